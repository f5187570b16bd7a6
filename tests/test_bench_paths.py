"""The benches find the development corpus from any checkout: a clone outside the workspace named it by env."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import SHARED_ENV, shared_corpus


def test_env_names_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "elsewhere" / "corpus"
    (corpus / "real").mkdir(parents=True)
    monkeypatch.setenv(SHARED_ENV, str(corpus))
    assert shared_corpus() == corpus.resolve()

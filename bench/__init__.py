"""Benchmarks: each module prints figures; none is a test."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# JIANGHUA_SHARED names the development corpus folder (the one holding real/ and seeds/) for a checkout that is
# not beside ../shared: a clone in /tmp found nothing and every bench needed a `shared` link made by hand.
SHARED_ENV = "JIANGHUA_SHARED"


def shared_corpus() -> Path:
    """The development corpus: $JIANGHUA_SHARED, else the nearest `shared/corpus` beside the checkout or a folder
    above it (a worktree one level deeper finds /work/shared), else ../shared/corpus (absent: callers say so)."""
    env = os.environ.get(SHARED_ENV)
    if env:
        return Path(env).expanduser().resolve()
    found = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), None)
    return found if found is not None else ROOT.parent / "shared" / "corpus"

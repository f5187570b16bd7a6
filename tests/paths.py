"""Paths the tests share. Test files import them from here, never from conftest: pytest loads conftest.py as
`conftest`, so `from tests.conftest import …` ran it a second time as `tests.conftest`, made a second Prefect home
and pointed PREFECT_HOME at it, and the session's clean-up removed only the first (86 homes left in /tmp)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
SEEDS = SAMPLES / "seeds"
SHARED = REPO.parent / "shared" / "corpus"

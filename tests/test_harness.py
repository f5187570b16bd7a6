"""The test harness itself: one isolated Prefect home per test process, removed at the end."""

from __future__ import annotations

import os
import re
import sys

from tests.paths import REPO

CONFTEST_IMPORT = re.compile(r"^\s*(from\s+(tests\.)?conftest\s+import|import\s+(tests\.)?conftest\b)", re.M)


def test_no_test_file_imports_conftest():
    # `from tests.conftest import SEEDS` ran conftest a second time and moved PREFECT_HOME to a home
    # nobody removed; shared paths live in tests/paths.py.
    offenders = [p.name for p in sorted((REPO / "tests").glob("*.py")) if CONFTEST_IMPORT.search(p.read_text("utf-8"))]
    assert offenders == []


def test_prefect_home_is_the_one_the_session_removes():
    conftest = sys.modules["conftest"]
    assert "tests.conftest" not in sys.modules
    assert os.environ["PREFECT_HOME"] == conftest._home
    assert os.path.isdir(conftest._home)

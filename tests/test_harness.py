"""The test harness itself: one isolated Prefect home per test process, removed at the end."""

from __future__ import annotations

import os
import re
import subprocess
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


def test_ci_installs_without_preparing_a_prefect_home_the_tests_never_read():
    # .ci/run's install leaves out `jianghua setup` (Makefile: SETUP): every test runs on a home of its own, and
    # tests/test_cli.py runs setup on a fresh one. A plain `make install` still prepares ~/.prefect.
    def install_commands(*args: str) -> str:
        cmd = ["make", "-n", "-B", "-C", str(REPO), ".venv/.installed", *args]
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    assert "jianghua setup" in install_commands()
    assert "jianghua setup" not in install_commands("SETUP=0")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^make lint SETUP=0\b", ci, re.M), ci

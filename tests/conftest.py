"""Test setup: an isolated Prefect home and API (Prefect's test harness), never the user's."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_home = tempfile.mkdtemp(prefix="jianghua-prefect-home-")
os.environ["PREFECT_HOME"] = _home
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PREFECT_SERVER_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
SEEDS = SAMPLES / "seeds"
SHARED = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def prefect_api():
    """One temporary Prefect server (own database under the isolated PREFECT_HOME) for the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A private copy of data/samples that a test may change."""
    dst = tmp_path / "landing"
    shutil.copytree(SAMPLES, dst)
    for p in dst.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return dst


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_home, ignore_errors=True)


# Property tests explore the same examples on every run (CI must not turn red on a new random draw);
# `HYPOTHESIS_PROFILE=explore pytest tests/test_normalize.py` searches fresh examples when hunting bugs.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

"""Test setup: an isolated Prefect home and API (Prefect's test harness), never the user's."""

from __future__ import annotations

import contextlib
import json
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

from tests.paths import REPO, SAMPLES, SEEDS, SHARED  # noqa: E402, F401

# The harness's server starts in ~10-25 s on 2 quiet cores; at load 30-40 (sessions 56 and 57, helpers' suites
# side by side) it took more than 120 s and every server-backed test of the file errored. A slow start is not a
# failure of the code under test: 600 s only bounds a start that hangs.
SERVER_STARTUP_SECONDS = 600


@pytest.fixture(scope="session")
def prefect_api():
    """One temporary Prefect server (own database under the isolated PREFECT_HOME) for the session.

    Its flows run as on the CLI's own temporary server: task runs untagged. A tagged task run asks the
    API for its tags' concurrency slots before its body starts, and on this SQLite server that check
    stalled a stage's first step for up to ~2.4 s: a run on the 15 sample pages took 11-12 s tagged,
    2.4 s untagged (session 41), ~70 % of the suite's time. The deployments of tests/test_service.py
    run in a served worker, tagged as on a real server, and check the tags there."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.cli import QUIET_SERVICES, TRIGGER_SERVICES
    from tasks import steps

    was = steps.tagging_task_runs()
    steps.tag_task_runs(False)
    try:
        with contextlib.ExitStack() as harness:
            # started without the services the CLI's temporary server turns off (flows.cli._quiet_services: no test
            # reads the events tables or installs an automation on this server); the environment only while its
            # process starts, so the tests see the operator's
            with _environ({k: "false" for k in (*QUIET_SERVICES, TRIGGER_SERVICES[0])}):
                harness.enter_context(prefect_test_harness(server_startup_timeout=SERVER_STARTUP_SECONDS))
            yield
    finally:
        steps.tag_task_runs(was)


@contextlib.contextmanager
def _environ(values: dict[str, str]):
    """`values` set in os.environ (a variable already set is left as it is), restored on leaving."""
    added = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A private copy of data/samples that a test may change."""
    dst = tmp_path / "landing"
    shutil.copytree(SAMPLES, dst)
    for p in dst.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return dst


# The two sample folders `few_samples` leaves out: six pages of the fifteen (one 60 KB report among them).
MANY_SHARDS_LEFT_OUT = ("aldohemsn__chinese-political-corpora", "johncodes404__china-provincial-gov-reports-2026")


@pytest.fixture
def few_samples(samples: Path) -> Path:
    """`samples` without MANY_SHARDS_LEFT_OUT: nine pages (five seeds, four reports, copies among them), for the tests
    that cut the corpus into a shard per page (`target_shard_docs=1`) to watch the flow's batches and windows. Such a
    run costs per step, not per character: the fifteen pages took 8-11 CPU-s in-process, ~0.6 per shard (session 58)."""
    for folder in MANY_SHARDS_LEFT_OUT:
        shutil.rmtree(samples / "real" / folder)
    return samples


# The suite runs on every core with whole files per worker (`make test`: pytest-xdist, --dist loadfile).
# xdist hands files out by their number of tests, most first, so the few files that each run the
# pipeline a dozen times came last and one worker ran them alone: in CI (2 cores) the last 5 % of
# the tests took 4.7 of 11.2 minutes. The Makefile turns that order off (--no-loadscope-reorder)
# and files are collected heaviest first by their measured seconds (longest job first), so the
# tail is the quick unit tests. DURATIONS holds them, per file; `make test-durations` measures
# again. A file missing there (a new one) counts as DEFAULT_FILE_SECONDS: before the unit tests.
DURATIONS = Path(__file__).resolve().parent / "durations.json"
DURATIONS_ENV = "JIANGHUA_TEST_DURATIONS"  # set: write DURATIONS at the session's end
DEFAULT_FILE_SECONDS = 20.0
_seconds: dict[str, float] = {}


def pytest_collection_modifyitems(session, config, items):
    try:
        known = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        first.setdefault(item.nodeid.split("::", 1)[0], i)
    items.sort(key=lambda it: (-known.get(f := it.nodeid.split("::", 1)[0], DEFAULT_FILE_SECONDS), first[f]))


def pytest_runtest_logreport(report):
    if os.environ.get(DURATIONS_ENV):
        f = report.nodeid.split("::", 1)[0]
        _seconds[f] = _seconds.get(f, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_home, ignore_errors=True)
    if os.environ.get(DURATIONS_ENV) and not hasattr(session.config, "workerinput") and _seconds:
        try:  # a run of some files updates theirs; files gone from tests/ drop out
            known = json.loads(DURATIONS.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known = {f: s for f, s in known.items() if (REPO / f).exists()} | {f: round(s, 1) for f, s in _seconds.items()}
        DURATIONS.write_text(json.dumps(dict(sorted(known.items())), indent=0) + "\n", encoding="utf-8")


# Property tests explore the same examples on every run (CI must not turn red on a new random draw);
# `HYPOTHESIS_PROFILE=explore pytest tests/test_normalize.py` searches fresh examples when hunting bugs.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

"""Process hygiene end to end: a real `python -m flows.cli run` on the shipped samples, with its
own Prefect home (so Prefect starts its temporary API server as a subprocess), killed mid-run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tasks import procs
from tasks.publish import current_release, output_lock

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and PR_SET_PDEATHSIG"),
]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# Loaded through PYTHONPATH by the CLI and by every worker it spawns: a call of the stage named in
# JIANGHUA_TEST_HOLD ("<runner substring>|<marker file>") writes the marker and waits, so a test
# can signal a run that is surely mid-flow (a run of the samples takes ~4 s: a test that signalled
# "soon after the flow started" sometimes signalled a finished run on a loaded CI box).
_HOLD = """
import importlib.abc, importlib.util, os, sys, time

_needle, _, _marker = os.environ.get("JIANGHUA_TEST_HOLD", "").partition("|")


class _Hold(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "tasks.calls":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module

        def wrapped(module):
            exec_module(module)
            original = module.run_stage

            def run_stage(runner, *args, **kwargs):
                if _needle in runner:
                    open(_marker, "w").close()
                    time.sleep(600)
                return original(runner, *args, **kwargs)

            run_stage.__module__, run_stage.__qualname__ = module.__name__, "run_stage"  # picklable by name
            module.run_stage = run_stage

        spec.loader.exec_module = wrapped
        return spec


if _needle:
    sys.meta_path.insert(0, _Hold())
"""


def _start(out: Path, home: Path, *extra: str, hold: tuple[str, Path] | None = None) -> subprocess.Popen:
    path = str(REPO)
    if hold is not None:
        hooks = hold[1].parent / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "sitecustomize.py").write_text(_HOLD, encoding="utf-8")
        path = f"{hooks}{os.pathsep}{REPO}"
    env = {
        **os.environ,
        **({"JIANGHUA_TEST_HOLD": f"{hold[0]}|{hold[1]}"} if hold is not None else {}),
        "PYTHONPATH": path,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",  # a busy CI box starts it slowly
    }
    for key in ("PREFECT_API_URL", "JIANGHUA_INLINE"):
        env.pop(key, None)
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(SAMPLES), "--out", str(out), "--workers", "2", *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so the test can clean up the whole group whatever happens
    )


def _wait_for_workers(cli: subprocess.Popen, timeout: float = 400) -> dict[int, int]:
    """Block until the run has its pool workers and Prefect's server; return its process tree."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert cli.poll() is None, f"the run ended before its workers were seen: {cli.communicate()}"
        tree = procs.descendants(cli.pid)
        kinds = [_cmdline(p) for p in tree]
        spawned = any("multiprocessing" in c and "spawn_main" in c for c in kinds)
        if spawned and any("uvicorn" in c for c in kinds):
            return tree
        time.sleep(0.1)
    raise AssertionError("no workers after {timeout} s")


def _survivors(tree: dict[int, int], within: float) -> list[str]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [p for p, start in tree.items() if (st := procs._stat(p)) is not None and st[1] == start]
        if not alive:
            return []
        time.sleep(0.1)
    return [f"{p}: {_cmdline(p)}" for p in alive]


@pytest.fixture
def home():
    path = Path(tempfile.mkdtemp(prefix="jianghua-procs-home-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def _set_up_home():
    """A Prefect home `jianghua setup` prepared (database created and migrated, block types
    registered), as `make install` leaves a user's: made once for the file."""
    path = Path(tempfile.mkdtemp(prefix="jianghua-procs-setup-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "JIANGHUA_INLINE")}
    env |= {"PREFECT_HOME": str(path), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "setup"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0 and (path / "prefect.db").exists(), done.stderr[-3000:]
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def ready_home(_set_up_home):
    """A private copy of the prepared home. The runs killed or stopped here need no fresh database:
    creating one took ~6.7 s a run (flows.cli._setup's figures: 10.3 s against 3.6 s) and is what the
    setup tests below kill; the two kill tests of setup keep a fresh home."""
    path = Path(tempfile.mkdtemp(prefix="jianghua-procs-home-"))
    shutil.copytree(_set_up_home, path, dirs_exist_ok=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _cleanup(cli: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(cli.pid, signal.SIGKILL)
    cli.wait()


def test_kill_9_of_the_main_process_leaves_no_process_behind(tmp_path, ready_home):
    cli = _start(tmp_path / "out", ready_home)
    try:
        tree = _wait_for_workers(cli)
        os.kill(cli.pid, signal.SIGKILL)  # what the OOM killer does
        cli.wait()
        assert _survivors(tree, within=5) == []
    finally:
        _cleanup(cli)


def _setup_started(home: Path, poll: float) -> tuple[subprocess.Popen, dict[int, int]]:
    """`jianghua setup` on a fresh Prefect home, once its server and watchdog are in its process tree
    (what a kill -9 leaves to clean up), looked for every `poll` seconds; with the tree then."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "JIANGHUA_INLINE")}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}
    cli = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "setup"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    tree: dict[int, int] = {}
    kinds: list[str] = []
    while not (any("uvicorn" in c for c in kinds) and any("_watch" in c for c in kinds)):
        if cli.poll() is not None or time.monotonic() > deadline:
            _cleanup(cli)
            raise AssertionError(f"setup's server and watchdog were not seen: {cli.communicate()}")
        time.sleep(poll)
        tree = procs.descendants(cli.pid)
        kinds = [_cmdline(p) for p in tree]
    return cli, tree


def test_kill_9_of_setup_leaves_no_server_behind(home):
    """`jianghua setup` killed while Prefect's server creates its database: the server goes too."""
    cli, _ = _setup_started(home, poll=0.05)
    try:
        time.sleep(3)  # the watchdog's first look at the tree (its imports, then every WATCH_POLL_SECONDS)
        assert cli.poll() is None, "setup finished before it could be killed"  # a fresh home takes ~8 s
        tree = procs.descendants(cli.pid)
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait()
        assert _survivors(tree, within=5) == []
    finally:
        _cleanup(cli)


def test_kill_9_at_once_leaves_no_server_behind(home):
    """Killed the moment its server and watchdog exist, before the watchdog's first look at the tree
    (its own start and imports): the watchdog knows the server from its command line and kills it.
    Before, a run killed in its first ~0.3 s left Prefect's server running for good."""
    cli, tree = _setup_started(home, poll=0)
    try:
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait()
        server = {p: s for p, s in tree.items() if "uvicorn" in _cmdline(p)}
        assert server, "the server was not seen"
        assert _survivors(server, within=5) == []
    finally:
        _cleanup(cli)


def test_sigterm_stops_the_run_within_seconds_and_keeps_the_previous_release(tmp_path, ready_home):
    out = tmp_path / "out"
    first = _start(out, ready_home)
    _stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr[-3000:]
    previous = current_release(out)
    manifest = (out / "manifest.json").read_text()

    held = tmp_path / "held"
    cli = _start(out, ready_home, "--rebuild", hold=("tasks.extract:", held))
    try:
        deadline = time.monotonic() + 400
        while not held.exists():  # the flow is running (its signal handling is in place), extract held
            assert cli.poll() is None and time.monotonic() < deadline, cli.communicate()
            time.sleep(0.1)
        tree = procs.descendants(cli.pid)
        started = time.monotonic()
        os.kill(cli.pid, signal.SIGTERM)
        _, stderr = cli.communicate(timeout=60)
        took = time.monotonic() - started
        assert cli.returncode == 143, stderr[-3000:]
        assert took < 15, f"SIGTERM took {took:.1f} s"
        assert "stopped by SIGTERM" in stderr and "previous release is still the current one" in stderr
        assert _survivors(tree, within=5) == []
        with output_lock(out, wait_seconds=0):  # released, not held by a leftover
            pass
        assert current_release(out) == previous
        assert (out / "manifest.json").read_text() == manifest
        assert json.loads(manifest)["release"] == previous
        import pandas as pd

        assert len(pd.read_parquet(out / "documents")) == json.loads(manifest)["counts"]["accepted"]
    finally:
        _cleanup(cli)


def test_a_finished_run_exits_zero_and_leaves_no_process_behind(tmp_path, ready_home):
    """The CLI ends without the interpreter's teardown (flows.cli.entry): the exit handlers that
    stop Prefect's server, the pool's workers and the watchdog must still have run."""
    cli = _start(tmp_path / "out", ready_home)
    try:
        tree = _wait_for_workers(cli)
        _stdout, stderr = cli.communicate(timeout=600)
        assert cli.returncode == 0, stderr[-3000:]
        assert (tmp_path / "out" / "current").exists()
        assert _survivors(tree, within=5) == []
    finally:
        _cleanup(cli)


def _sleeper(ignore_sigterm: bool) -> subprocess.Popen:
    code = "import signal, sys, time\n"
    if ignore_sigterm:
        code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    code += "print('ready', flush=True)\ntime.sleep(120)\n"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "ready\n"  # its handler is in place
    return child


def test_the_watchdog_gives_a_stopping_process_its_grace_and_then_kills_it():
    """A run's end asks Prefect's server to stop and hands it to the watchdog instead of waiting
    (flows.cli TemporaryServer.hand_over): one that exits in time is left alone, one that does not
    is killed when its grace is over, and the watchdog itself then ends."""
    polite, stuck = _sleeper(False), _sleeper(True)
    watchdog = procs.start_watchdog()
    try:
        assert watchdog.proc is not None
        time.sleep(procs.WATCH_POLL_SECONDS * 2)  # it has seen both
        for child in (polite, stuck):
            child.terminate()
        started = time.monotonic()
        watchdog.stop(linger=[polite.pid, stuck.pid], seconds=2.0)
        assert polite.wait(timeout=5) == -signal.SIGTERM  # its own exit, not the watchdog's kill
        time.sleep(1.0)
        assert stuck.poll() is None  # still within its grace: not killed yet
        assert stuck.wait(timeout=10) == -signal.SIGKILL
        assert time.monotonic() - started >= 2.0
        assert watchdog.proc.wait(timeout=5) == 0  # and the watchdog is gone
    finally:
        for child in (polite, stuck):
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            child.wait()
        if watchdog.proc is not None and watchdog.proc.poll() is None:
            watchdog.proc.kill()


def test_a_stopped_watchdog_with_nothing_to_wait_for_kills_nothing():
    child = _sleeper(False)
    watchdog = procs.start_watchdog()
    try:
        time.sleep(procs.WATCH_POLL_SECONDS * 2)
        watchdog.stop()
        assert watchdog.proc is not None and watchdog.proc.poll() is not None
        time.sleep(procs.WATCH_POLL_SECONDS * 2)
        assert child.poll() is None  # the run's other processes are the pool's to stop, not the watchdog's
    finally:
        child.kill()
        child.wait()

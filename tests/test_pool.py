"""The worker pool: work runs in other processes, a dead or stuck worker does not poison later
calls, workers die with their parent, and a per-document time budget interrupts slow code."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from tasks import pool, procs
from tasks.procs import TimeBudgetExceeded, time_budget

REPO = Path(__file__).resolve().parent.parent


def _pid(_: int) -> int:
    return os.getpid()


def _die(_: int) -> int:
    os._exit(3)  # what an out-of-memory kill looks like from the parent


def _read_fifo(path: str) -> bytes:
    with open(path, "rb") as fh:  # blocks until a writer opens the FIFO: never, here
        return fh.read()


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _budgeted(pattern: str, text: str, seconds: float) -> str:
    try:
        with time_budget(seconds):
            re.match(pattern, text)
        return "finished"
    except TimeBudgetExceeded as exc:
        return f"timeout: {exc}"


@pytest.fixture
def workers():
    def configure(n: int | None):
        return pool.configure(n)

    yield configure
    pool.shutdown()
    pool.configure(1)


def test_work_runs_in_worker_processes(workers):
    workers(2)
    assert pool.run(_pid, 0) != os.getpid()


def test_one_worker_is_one_worker_process(workers, monkeypatch):
    monkeypatch.delenv(pool.INLINE_ENV, raising=False)
    workers(1)
    assert pool.run(_pid, 0) != os.getpid()


def test_inline_mode_runs_in_this_process(workers, monkeypatch):
    workers(0)
    assert pool.run(_pid, 0) == os.getpid()
    monkeypatch.setenv(pool.INLINE_ENV, "1")
    assert workers(4) == 4 and pool.run(_pid, 0) == os.getpid()


def test_a_dead_worker_fails_that_call_and_the_retry_gets_a_fresh_pool(workers):
    workers(2)
    with pytest.raises(BrokenProcessPool):
        pool.run(_die, 0)
    assert pool.run(_pid, 0) != os.getpid()


def test_a_worker_stuck_on_a_fifo_is_killed_after_the_timeout(workers, tmp_path):
    workers(2)
    fifo = tmp_path / "stuck.txt"
    os.mkfifo(fifo)
    bystander: dict = {}
    t = threading.Thread(target=lambda: bystander.update(pid=pool.run(_sleep_then_pid, 4)))
    t.start()
    time.sleep(0.5)  # both calls are running
    stuck = pool.worker_pids()
    started = time.monotonic()
    with pytest.raises(pool.ShardTimeout, match=r"did not finish within 2 s"):
        pool.run(_read_fifo, str(fifo), timeout=2)
    assert time.monotonic() - started < 10
    t.join(30)
    assert bystander["pid"] not in stuck  # its pool was killed under it: resubmitted, not failed
    deadline = time.monotonic() + 5
    while any(procs._stat(p) for p in stuck) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(procs._stat(p) for p in stuck)
    assert pool.run(_pid, 0) not in stuck  # a fresh pool serves the next call


def test_terminate_kills_running_work_and_refuses_new_work(workers):
    workers(1)
    pool.run(_pid, 0)
    errors: list = []
    t = threading.Thread(target=lambda: _catch(errors, pool.run, _sleep_then_pid, 60))
    t.start()
    time.sleep(0.5)
    pids = pool.worker_pids()
    pool.terminate("test stop")
    t.join(10)
    assert not t.is_alive() and isinstance(errors[0], pool.PoolTerminated)
    with pytest.raises(pool.PoolTerminated):
        pool.run(_pid, 0)
    time.sleep(0.2)
    assert not any(procs._stat(p) for p in pids)


def _catch(errors: list, fn, *args) -> None:
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001
        errors.append(exc)


def test_time_budget_interrupts_a_catastrophic_regex_in_a_worker(workers):
    workers(1)
    result = pool.run(_budgeted, r"(a+)+$", "a" * 40 + "b", 0.5)
    assert result.startswith("timeout: took longer than its time budget of 0.5 s")
    assert pool.run(_budgeted, r"a+$", "aaa", 0.5) == "finished"


def test_time_budgets_nest_and_restore_the_outer_one():
    with pytest.raises(TimeBudgetExceeded, match=r"budget of 0\.3 s"), time_budget(0.3):
        with time_budget(5):
            pass
        time.sleep(2)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_budget_is_a_no_op_outside_the_main_thread():
    out: list = []
    t = threading.Thread(target=lambda: out.append(_budgeted(r"a+$", "aaa", 0.01)))
    t.start()
    t.join()
    assert out == ["finished"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_parent_killed_with_sigkill(tmp_path):
    pids_file = tmp_path / "pids"
    script = (
        "import os, sys, time\n"
        "from tasks import pool\n"
        "pool.configure(2)\n"
        "pool.run(os.getpid)\n"
        "open(sys.argv[1], 'w').write(' '.join(map(str, pool.worker_pids())))\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(pool.INLINE_ENV, None)
    parent = subprocess.Popen([sys.executable, "-c", script, str(pids_file)], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while not (pids_file.exists() and pids_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p) for p in pids_file.read_text().split()]
        assert workers and all(procs._stat(p) for p in workers)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while any(procs._stat(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(procs._stat(p) for p in workers)
    finally:
        parent.kill()
        parent.wait()

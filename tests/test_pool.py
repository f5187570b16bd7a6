"""The worker pool: work runs in other processes, a dead or stuck worker does not poison later
calls, workers die with their parent, and a per-document time budget interrupts slow code."""

from __future__ import annotations

import json
import os
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
from tests._pool_calls import (
    RENDEZVOUS_SECONDS,
    _arrow_mb,
    _arrow_other_mb,
    _budgeted,
    _die,
    _freeze_count,
    _hold_mb,
    _hold_release_until,
    _loaded,
    _meet,
    _meet_then_dataset,
    _meet_then_loaded,
    _meet_then_sleep_if,
    _module_cycle,
    _other_pid,
    _passing_big_mb,
    _passing_mb,
    _pid,
    _read_fifo,
    _rss_mb,
    _sleep_then_garbage,
    _sleep_then_pid,
    _sleep_then_tag,
    _started_at,
    _tables_then_passing_mb,
    _warm_tables,
    _writes_or_patches_mb,
    end_busy,
)

REPO = Path(__file__).resolve().parent.parent


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


def test_a_waiting_call_of_higher_priority_overtakes_earlier_ones(workers):
    """One worker busy; shard calls b, c queue, then a new shard's call n of the same stage (a
    higher rank), then a global call g: g runs next, then n, then b, then c (ProcessPoolExecutor
    alone would run b, c, n, g in arrival order)."""
    workers(1)
    pool.run(_pid, 0)  # the worker is up
    finished: list[str] = []
    lock = threading.Lock()

    def call(seconds: float, tag: str, priority: tuple[int, int, int]) -> None:
        got = pool.run(_sleep_then_tag, seconds, tag, priority=priority)
        with lock:
            finished.append(got)

    threads = [threading.Thread(target=call, args=(1.5, "a", (0, 3, 0)))]
    threads[0].start()
    time.sleep(0.5)  # a holds the only worker
    for tag, priority in (("b", (0, 3, 0)), ("c", (0, 3, 0)), ("n", (0, 3, 2)), ("g", (1, 3, 0))):
        threads.append(threading.Thread(target=call, args=(0.1, tag, priority)))
        threads[-1].start()
        time.sleep(0.2)  # arrival order b, c, n, g
    for t in threads:
        t.join(30)
    assert finished == ["a", "g", "n", "b", "c"]


def test_a_quick_call_waits_for_its_worker_in_the_executor_a_slow_one_at_the_gate(workers, monkeypatch):
    """While the only worker is busy, a call of a runner whose calls were all quick is handed to the
    executor (it starts the moment the worker is free, with no round trip through the gate); a call of a
    runner seen to be slow, or never seen, waits at the gate, where a later call of higher priority
    can still overtake it."""
    monkeypatch.setattr(pool, "QUEUE_AHEAD_SECONDS", 0.5)
    workers(1)
    pool.run(_other_pid, 0)  # known quick
    pool.run(_sleep_then_pid, 0.8)  # known slow

    def start(fn, *args) -> threading.Thread:
        t = threading.Thread(target=pool.run, args=(fn, *args))
        t.start()
        time.sleep(0.3)
        return t

    threads = [start(_sleep_then_tag, 1.5, "busy")]  # never seen: runs, as the worker is free
    assert pool._gate.busy == 1
    threads.append(start(_sleep_then_pid, 0.01))
    assert pool._gate.busy == 1  # the slow runner's call waits at the gate
    threads.append(start(_other_pid, 0))
    assert pool._gate.busy == 1  # a quick one behind it too: the gate's order holds
    for t in threads:
        t.join(30)
    # the running call sleeps well past the check (0.6 s after its start): a loaded machine (CI) must not
    # let it end, and the quick call behind it run, before the gate is read
    threads = [start(_sleep_then_pid, 3.0), start(_other_pid, 0)]
    assert pool._gate.busy == 2  # queued ahead: in the executor while the worker runs the other call
    for t in threads:
        t.join(30)
    assert pool._gate.busy == 0


def test_terminate_also_stops_calls_waiting_for_a_worker(workers):
    workers(1)
    pool.run(_pid, 0)
    errors: list = []
    threads = [threading.Thread(target=lambda: _catch(errors, pool.run, _sleep_then_pid, 60)) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.3)  # the first runs, the second waits in this process
    pool.terminate("test stop")
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert len(errors) == 2 and all(isinstance(e, pool.PoolTerminated) for e in errors)


def _catch(errors: list, fn, *args) -> None:
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001
        errors.append(exc)


def test_a_big_worker_is_replaced_before_a_new_stage_and_the_new_one_is_small(workers, monkeypatch, tmp_path):
    log = tmp_path / "memory.jsonl"
    monkeypatch.setenv(pool.MEMORY_LOG_ENV, str(log))
    pool.configure(1, recycle_mb=150)
    first = pool.run(_hold_mb, 300)
    assert pool.run(_hold_mb, 1) == first  # same stage: keeps its worker (and its tables)
    pid, mb = pool.run(_rss_mb, 0)  # another stage while holding ~300 MB: a fresh worker runs it
    assert pid != first and mb < 150
    assert not procs._stat(first)  # the big one is gone, not idle beside it
    assert pool.worker_pids() == [pid]
    again, _ = pool.run(_rss_mb, 0)
    assert again == pid  # a small worker is kept across stages
    recycled = [json.loads(x) for x in log.read_text().splitlines() if '"recycle"' in x]
    assert [(r["pid"], r["recycle"]) for r in recycled] == [(first, f"{_rss_mb.__module__}:_rss_mb")]
    assert recycled[0]["mb_held"] >= 300


def test_a_stage_known_to_fit_runs_on_a_big_worker_and_one_known_not_to_gets_a_fresh_one(workers):
    pool.configure(1, recycle_mb=100, budget_mb=500)
    a = pool.run(_passing_mb, 50)  # the pool learns: this stage adds ~50 MiB, the next ~300 MiB
    assert pool.run(_passing_big_mb, 300) == a
    assert pool.run(_hold_mb, 300) == a  # a small worker takes any stage; now it holds ~340 MiB
    b = pool.run(_pid, 0)  # not seen yet, and the worker is big: replaced
    assert b != a and pool.run(_hold_mb, 300) == b
    assert pool.run(_passing_mb, 50) == b  # ~340 + ~50 fits in 500
    c = pool.run(_passing_big_mb, 300)  # ~340 + ~300 does not
    assert c != b and not procs._stat(b)


def test_a_worker_grown_by_another_stage_is_replaced_before_a_stage_it_already_ran(workers):
    pool.configure(1, recycle_mb=100, budget_mb=500)
    a = pool.run(_passing_big_mb, 300)  # learned: ~300 MiB per call
    assert pool.run(_hold_mb, 300) == a  # another stage leaves ~340 MiB in the same worker
    b = pool.run(_passing_big_mb, 300)  # ran here before, but ~340 + ~300 is past 500 now
    assert b != a and not procs._stat(a)


def test_growth_measured_in_an_earlier_run_judges_the_first_call(workers):
    pool.configure(1, recycle_mb=100, budget_mb=500)
    pool.run(_passing_big_mb, 300)
    measured = pool.growth()
    assert measured[f"{_passing_big_mb.__module__}:_passing_big_mb"] >= 290  # MiB, within a page or two
    pool.configure(1, recycle_mb=100, budget_mb=500, growth=measured)  # the next run
    a = pool.run(_hold_mb, 300)
    b = pool.run(_passing_big_mb, 300)  # its first call in this pool, judged on the earlier figure
    assert b != a
    pool.configure(1, recycle_mb=100, budget_mb=500)  # without it: new stage, ~340 MiB held > 100
    a = pool.run(_hold_mb, 300)
    assert pool.run(_passing_big_mb, 300) != a  # replaced too, but only because nothing was known
    pool.configure(1, recycle_mb=10_000, budget_mb=500, growth=measured)
    a = pool.run(_hold_mb, 300)
    assert pool.run(_passing_big_mb, 300) != a  # recycle_mb alone would have kept it


def test_a_repeat_call_is_judged_on_what_it_adds_not_on_the_first_calls_table_load(workers):
    """A warm worker already holds the tables its first call loaded: judged on the first call's
    growth (tables + work), every warm extract worker looked too big for its next shard."""
    pool.configure(1, recycle_mb=10_000, budget_mb=600)  # only measured growth replaces workers
    a = pool.run(_tables_then_passing_mb, 300, 100)  # first call: +~400 MiB, ~300 of them kept
    assert pool.run(_tables_then_passing_mb, 300, 100) == a  # ~340 held + ~100 fits in 600
    measured = pool.growth()
    name = f"{_tables_then_passing_mb.__module__}:_tables_then_passing_mb"
    assert measured[name] >= 390 and 90 <= measured[name + pool.WARM] < 200
    assert pool.run(_hold_mb, 200) == a  # now ~540 held: ~540 + ~100 is past 600
    b = pool.run(_tables_then_passing_mb, 300, 100)
    assert b != a and not procs._stat(a)
    pool.configure(1, recycle_mb=10_000, budget_mb=600, growth=measured)  # the next run knows both figures
    c = pool.run(_tables_then_passing_mb, 300, 100)
    assert pool.run(_tables_then_passing_mb, 300, 100) == c


def test_a_repeat_call_that_would_not_fit_on_its_repeat_figure_gets_a_fresh_worker(workers):
    """A repeat call is judged on what repeat calls of its runner added (WARM), not waved through:
    the worker loop once read that figure from the wrong variable and judged every repeat as +1 MiB."""
    pool.configure(1, recycle_mb=10_000, budget_mb=500)  # only measured growth replaces workers
    a = pool.run(_tables_then_passing_mb, 300, 50)  # first call: +~350 MiB, ~300 of them kept
    assert pool.run(_tables_then_passing_mb, 300, 150) == a  # guessed +~50 (first less kept): runs, +~150
    name = f"{_tables_then_passing_mb.__module__}:_tables_then_passing_mb"
    assert 140 <= pool.growth()[name + pool.WARM] < 200
    b = pool.run(_tables_then_passing_mb, 300, 150)  # ~340 held + ~150 x the margin is past 500
    assert b != a and not procs._stat(a)


def test_a_part_after_another_is_judged_on_a_first_calls_growth(workers):
    """A repair part keeps some of what it read after its release, and the next part reads other
    clusters: judged as a warm repeat (first growth less what was kept) it went past the budget
    (100k: 670 MB held, judged on +145, took +383); with warm=False it gets a fresh worker."""
    pool.configure(1, recycle_mb=10_000, budget_mb=600)
    a = pool.run(_hold_mb, 300)  # first call: +~300 MiB, all of it kept
    assert pool.run(_hold_mb, 300) == a  # as a warm repeat: ~300 less ~300 kept, so it ran here...
    assert pool.run(_rss_mb, 0)[1] > 600  # ...and took the worker past the budget
    pool.configure(1, recycle_mb=10_000, budget_mb=600)
    a = pool.run(_hold_mb, 300, warm=False)
    b = pool.run(_hold_mb, 300, warm=False)  # ~340 held + ~300 (its first call's growth) is past 600
    assert b != a and not procs._stat(a)
    assert pool.run(_rss_mb, 0)[1] < 600


def test_a_call_must_fit_with_a_margin_over_the_most_its_runner_grew(monkeypatch):
    """The rule a worker applies before a call, on fixed figures: a call of one runner grows with its
    shard, so the largest growth seen so far is taken GROWTH_MARGIN larger."""
    monkeypatch.setattr(pool, "_recycle_mb", 450)
    monkeypatch.setattr(pool, "_budget_mb", 900)
    monkeypatch.setattr(pool, "_ran", {"tasks.export"})
    monkeypatch.setattr(pool, "_rss_bytes", lambda: 560 << 20)
    assert pool.GROWTH_MARGIN > 1
    fits = int((900 - 560) / pool.GROWTH_MARGIN)  # 272 MiB: 560 + 272 x the margin stays within 900
    assert not pool._should_recycle("tasks.export", fits)
    assert pool._should_recycle("tasks.export", fits + 2)  # 560 + 274 = 834 would fit without the margin
    assert pool._should_recycle("tasks.repair", None)  # unknown growth, a new module, 560 > 450 held
    monkeypatch.setattr(pool, "_rss_bytes", lambda: 280 << 20)  # a worker this small is never replaced
    assert not pool._should_recycle("tasks.export", 900)


def test_a_repeat_call_after_another_stage_is_judged_as_a_first_call(workers):
    """Back to back, a call reuses the pages its predecessor freed; after other stages those pages hold
    their objects: at 20k an export after repair and reuse parts grew 433 MB where back-to-back
    exports grew ≤ 382, and judged on the back-to-back figure it took a 600 MB worker to 1,033 MB."""
    pool.configure(1, recycle_mb=10_000, budget_mb=500)  # only measured growth replaces workers
    name = f"{_passing_mb.__module__}:_passing_mb"
    a = pool.run(_passing_mb, 300)  # first call: +~300 MiB
    assert pool.run(_passing_mb, 50) == a  # back to back: +~50 MiB, recorded as the warm figure
    measured = pool.growth()
    assert measured[name] >= 290 and 40 <= measured[name + pool.WARM] < 150
    assert pool.run(_hold_mb, 300) == a  # another stage leaves ~340 MiB held
    b = pool.run(_passing_mb, 50)  # ~340 + ~50 would fit, but ~340 + the first call's ~300 does not
    assert b != a and not procs._stat(a)
    assert pool.run(_passing_mb, 50) == b  # in the fresh worker: a first call, then back to back
    after = pool.growth()
    assert after[name + pool.WARM] == measured[name + pool.WARM]  # the gap call was not recorded as warm


def test_a_kind_of_call_is_judged_on_its_own_growth_not_on_the_runners_heaviest(workers):
    """At 20k a cold export adds ~507 MB, one patching an earlier file ~100: judged on the cold
    figure, the +1 % run replaced 3 workers (~470-510 MB held) before patching exports."""
    pool.configure(1, recycle_mb=10_000, budget_mb=500)  # only measured growth replaces workers
    a = pool.run(_writes_or_patches_mb, 300)  # a cold call: +~300 MiB under the runner's name
    assert pool.run(_writes_or_patches_mb, 50, kind="patch") == a  # +~50 MiB under its own key
    measured = pool.growth()
    name = f"{_writes_or_patches_mb.__module__}:_writes_or_patches_mb"
    assert measured[name] >= 290 and 40 <= measured[pool.KIND.format(name, "patch")] < 150
    assert pool.run(_hold_mb, 300) == a  # another stage leaves ~340 MiB held
    assert pool.run(_writes_or_patches_mb, 50, kind="patch") == a  # ~340 + ~50 fits in 500
    b = pool.run(_writes_or_patches_mb, 300)  # a cold call: ~340 + ~300 does not
    assert b != a and not procs._stat(a)
    pool.configure(1, recycle_mb=10_000, budget_mb=500, growth=measured)  # the next run knows both kinds
    c = pool.run(_hold_mb, 300)
    assert pool.run(_writes_or_patches_mb, 50, kind="patch") == c
    assert pool.run(_writes_or_patches_mb, 300) != c


def test_a_kind_not_measured_yet_is_judged_on_its_runners_growth(workers):
    """A growth file from before kinds (runner keys only) still loads; a kind it lacks is judged as
    every call of its runner was then, and one neither knows falls to the unknown-growth rule."""
    name = f"{_writes_or_patches_mb.__module__}:_writes_or_patches_mb"
    old = {name: 300, name + pool.WARM: 280, "tasks.gone:runner": 12}
    pool.configure(1, recycle_mb=10_000, budget_mb=500, growth=old)
    assert pool.growth() == dict(sorted(old.items()))
    a = pool.run(_hold_mb, 300)
    b = pool.run(_writes_or_patches_mb, 50, kind="patch")  # ~340 + 300 (the runner's figure) > 500
    assert b != a
    pool.configure(1, recycle_mb=100, budget_mb=500)  # nothing known: a new stage on a big worker
    a = pool.run(_hold_mb, 300)
    assert pool.run(_writes_or_patches_mb, 50, kind="patch") != a


def test_a_small_worker_keeps_running_every_stage(workers):
    pool.configure(1, recycle_mb=10_000)
    assert pool.run(_hold_mb, 50) == pool.run(_other_pid, 0) == pool.run(_pid, 0)


def test_recycling_never_runs_more_workers_than_configured(workers):
    pool.configure(2, recycle_mb=0, budget_mb=0)  # every change of stage replaces the worker
    seen: set[int] = set()
    most = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal most
        while not stop.is_set():
            pids = pool.worker_pids()
            most = max(most, len([p for p in pids if procs._stat(p)]))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        from concurrent.futures import ThreadPoolExecutor

        fns = [_pid, _other_pid, _sleep_then_pid] * 4
        with ThreadPoolExecutor(6) as threads:
            futures = [threads.submit(pool.run, f, 0.2 if f is _sleep_then_pid else 0) for f in fns]
            seen = {f.result() for f in futures}
    finally:
        stop.set()
        watcher.join()
    assert os.getpid() not in seen and len(seen) > 2  # workers were replaced, every call answered
    assert most <= 2


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
@pytest.mark.parametrize(
    "setup",
    [
        "pool.configure(2)\npool.run(os.getpid)\n",
        # a replacement worker is spawned by the pool's manager thread, not the submitting thread
        "pool.configure(2, recycle_mb=0, budget_mb=0)\npool.run(os.getpid)\npool.run(os.getppid)\npool.run(os.getpid)\n",
    ],
    ids=["first workers", "replacement workers"],
)
def test_workers_die_with_a_parent_killed_with_sigkill(tmp_path, setup):
    pids_file = tmp_path / "pids"
    script = (
        "import os, sys, time\n"
        "from tasks import pool\n" + setup + "open(sys.argv[1], 'w').write(' '.join(map(str, pool.worker_pids())))\n"
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


# ----------------------------------------------------------------------------- the release after a call


def test_a_result_goes_back_before_the_worker_releases_its_memory(workers, tmp_path):
    """A stage waiting on the call's result (and the flow's next submit) need not wait for the
    worker's gc/malloc_trim: the worker sends the result first and releases before its next call."""
    flag = str(tmp_path / "released")
    workers(1)
    pid = pool.run(_hold_release_until, flag)
    gave_up = Path(flag + ".gave-up").exists()  # before the flag: the release is still waiting on it
    Path(flag).touch()
    assert not gave_up, "the result came back only after the worker's release"
    assert pool.run(_pid, 0) == pid  # the worker released and took the next call


def test_a_release_walks_only_what_its_call_made_and_growth_brings_a_full_walk(workers, monkeypatch, tmp_path):
    """After a call the worker's survivors are frozen (gc.freeze): the next release's collection walks
    only the next call's objects, not every table the worker keeps (0.2-1.5 s of wall a hand-over in
    a loaded +1 % run). Garbage the frozen state forms meanwhile (a cycle a later call drops) is
    freed once the worker holds FULL_COLLECT_MB more than after its last full walk."""
    log = tmp_path / "memory.jsonl"
    monkeypatch.setenv(pool.MEMORY_LOG_ENV, str(log))
    workers(1)
    assert pool.run(_module_cycle, "make")
    assert pool.run(_module_cycle, "drop")  # unreachable now, but only a collection frees a cycle
    assert pool.run(_freeze_count, 0) > 0  # what the releases left is frozen
    assert pool.run(_module_cycle, "alive")  # the releases since did not walk it
    pool.run(_hold_mb, pool.FULL_COLLECT_MB + 50)  # the worker grew: its release walks everything
    assert not pool.run(_module_cycle, "alive")  # ... which freed the cycle
    pool.shutdown()  # a call's line is written after its release, which follows its result: wait for it
    calls = [json.loads(x) for x in log.read_text().splitlines() if '"call"' in x]
    assert len({c["pid"] for c in calls}) == 1
    assert [c["full"] for c in calls] == [True, False, False, False, True, False]
    assert all(c["release"] >= 0 and c["taken"] > 0 for c in calls)


def test_a_call_whose_pool_lost_its_manager_thread_is_resubmitted_instead_of_waiting_forever(
    workers, monkeypatch, caplog
):
    """Only the executor's manager thread completes a call's future: were it gone with the call
    unfinished (a CI run hung that way in session 10), the pool's workers are killed and the call
    runs on a fresh pool, with a warning saying so, instead of waiting forever."""
    monkeypatch.setattr(pool, "WAIT_POLL_SECONDS", 0.1)
    workers(1)
    executor = pool._get_pool()
    gone = threading.Thread(target=lambda: None)
    gone.start()
    gone.join()
    stale = executor._executor_manager_thread  # type: ignore[attr-defined]
    executor._executor_manager_thread = gone  # type: ignore[attr-defined]  # no live thread will run the call
    outcome: list[BaseException | int] = []

    def call() -> None:
        try:
            outcome.append(pool.run(_pid, 0))
        except BaseException as exc:  # noqa: BLE001 - the outcome is what is asserted
            outcome.append(exc)

    t = threading.Thread(target=call, daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the call still waits on a pool nobody will finish it on"
    assert isinstance(outcome[0], int), outcome  # ran on a fresh pool
    assert pool._get_pool() is not executor
    assert "manager thread ended with this call unfinished" in caplog.text
    executor._executor_manager_thread = stale  # type: ignore[attr-defined]


def test_a_manager_thread_that_died_of_an_exception_is_named_in_the_error(workers, monkeypatch):
    """The call's BrokenProcessPool carries why the manager thread ended (the one hang seen in CI
    left no trace of it): here, an exception while it handles a result."""
    from concurrent.futures import process as cf

    monkeypatch.setattr(pool, "WAIT_POLL_SECONDS", 0.1)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # keep the test's stderr quiet
    monkeypatch.setattr(pool, "_hook_installed", False)  # chain onto the quiet hook
    workers(1)

    def broken(self: object, result_item: object) -> None:
        raise RuntimeError("manager thread broke while handling a result")

    monkeypatch.setattr(cf._ExecutorManagerThread, "process_result_item", broken)
    with pytest.raises(BrokenProcessPool, match="manager thread broke while handling a result"):
        pool.run(_pid, 0)


def test_a_call_submitted_while_a_worker_is_idle_runs_there_without_spawning_another(workers):
    # Before: every submit spawned while the pool was short, and the spawned worker, waiting on the
    # queue first, took the next call and imported its stage module again (+1 % run: boilerplate's
    # call started 1.1-1.6 s after its submit, the warm worker idle).
    workers(2)
    first = pool.run(_pid, 0)
    second = pool.run(_other_pid, 0)
    assert first == second and pool.worker_pids() == [first]


def test_a_second_worker_is_spawned_when_two_calls_run_at_once(workers, tmp_path):
    workers(2)
    pool.run(_pid, 0)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as threads:
        pids = set(threads.map(lambda _: pool.run(_meet, str(tmp_path), 2), range(2)))
    assert len(pids) == 2 and len(pool.worker_pids()) == 2


def test_a_workers_stage_call_does_not_load_prefect(workers):
    """A step's call pickles its function by module: the worker side lives in tasks.calls, which does
    not import Prefect (~1.2 CPU-s and ~40 MB on every spawn and replacement when it lived in tasks.steps)."""
    from tasks import steps

    workers(1)
    ran = pool.run(steps.call, f"{_loaded.__module__}:_loaded", (("prefect", "tasks.steps", "tasks.calls"),), {})
    assert ran == [False, False, True]


def _started(warm) -> list[int]:
    assert warm is not None
    warm.result(timeout=120)
    return pool.worker_pids()


def test_prestarted_workers_are_kept_by_the_next_configure_and_hold_their_modules(workers, tmp_path):
    started = _started(pool.prestart(3, ("tasks.ingest",)))
    assert len(started) == pool.PRESTART_WORKERS == 1  # never more than a run's first call needs
    workers(3)  # what the flow does: the same settings keep the prestarted pool
    assert pool.worker_pids() == started
    assert pool.run(_loaded, ("tasks.ingest",)) == [True] and started[0] in pool.worker_pids()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as threads:  # three calls at once: the prestarted worker and the two spawned since
        seen = list(threads.map(lambda _: pool.run(_meet, str(tmp_path), 3), range(3)))
    assert started[0] in seen and len(set(seen)) == 3
    workers(3)  # a pool that ran calls is never carried into another run
    assert pool.run(_pid, 0) not in started


def test_a_worker_spawned_later_imports_nothing_ahead(workers, tmp_path):
    workers(3)  # no prestart: workers are spawned by the calls that need them
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as threads:  # three calls at once: three workers are spawned for them
        seen = dict(threads.map(lambda _: pool.run(_meet_then_loaded, str(tmp_path), 3), range(3)))
    assert list(seen.values()) == [False, False, False]


def _workers_up(n: int) -> list[int]:
    deadline = time.monotonic() + RENDEZVOUS_SECONDS
    while len(pool.worker_pids()) < n and time.monotonic() < deadline:
        time.sleep(0.02)
    return pool.worker_pids()


def test_a_kept_prestarted_pool_spawns_its_other_workers_at_the_runs_first_call(workers, tmp_path):
    """A run that calls nothing keeps one worker; the first call spawns the others, importing the
    prestart's modules before they take a call, so the new shard's signatures and extract (sent out
    together after a chain of single calls) both find a worker ready."""
    started = _started(pool.prestart(3, ("tasks.ingest",)))
    workers(3)  # what the flow does: the same settings keep the prestarted pool
    time.sleep(0.5)
    assert pool.worker_pids() == started  # no call yet (an unchanged rerun): no other worker
    assert pool.run(_pid, 0) == started[0]
    assert len(_workers_up(3)) == 3  # spawned without a second call
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as threads:
        seen = dict(threads.map(lambda _: pool.run(_meet_then_loaded, str(tmp_path), 3), range(3)))
    assert set(seen) == set(pool.worker_pids()) and list(seen.values()) == [True, True, True]
    workers(3)  # a pool that ran calls is never carried into another run, nor filled again
    assert pool.run(_pid, 0) not in started and len(pool.worker_pids()) == 1


def test_the_workers_a_runs_first_call_spawns_also_import_pandas_and_the_dataset_reader(workers, tmp_path):
    """The workers spawned at the first call import pandas and pyarrow.dataset before they take a call (their first
    call would, on a nightly run's serial path: pyarrow's pandas probe, pq.read_table); the prestarted worker, all an
    unchanged rerun starts, does not."""
    started = _started(pool.prestart(2, ("tasks.ingest",)))
    workers(2)
    assert pool.run(_pid, 0) == started[0]
    assert len(_workers_up(2)) == 2
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as threads:
        seen = dict(threads.map(lambda _: pool.run(_meet_then_dataset, str(tmp_path), 2), range(2)))
    assert seen == {started[0]: False, next(p for p in seen if p != started[0]): True}


def test_a_prestarted_pool_is_dropped_when_the_run_asks_for_other_settings(workers):
    started = _started(pool.prestart(2, ()))
    workers(1)
    assert pool.run(_pid, 0) not in started


# ----------------------------------------------------------------------------- freed pages kept for a repeat call


def test_a_worker_keeps_freed_pages_for_its_next_call_and_gives_them_back_when_idle(workers):
    """Giving freed pages back after every call made the next call fault them in again (~6-9 us a
    page, ~40 s of a cold 20k run's CPU): a worker keeps them for its next call, of any runner, and
    gives them back after a runner's first call (its tables are measured) and when idle."""
    pool.configure(1, recycle_mb=10_000, budget_mb=10_000)
    pool.run(_arrow_other_mb, 10)  # pyarrow imported by a first call, which gives its pages back
    pid, base = pool.run(_arrow_mb, 300)  # another runner's first call: its pages are given back after it
    assert pool.run(_arrow_mb, 300) == (pid, pytest.approx(base, abs=50))  # so its repeat starts without them
    _, start = pool.run(_arrow_mb, 300)
    assert start >= base + 250  # kept for the next call
    _, start = pool.run(_arrow_other_mb, 300)
    assert start >= base + 250  # of any runner: another stage reuses them too
    time.sleep(pool.IDLE_GIVE_BACK_SECONDS + 1.0)
    _, start = pool.run(_arrow_mb, 300)
    assert start < base + 100  # idle: given back
    name = f"{_arrow_mb.__module__}:_arrow_mb"
    assert pool.growth()[name + pool.WARM] >= 250  # its growth from given-back pages


def test_a_call_is_judged_as_if_the_kept_pages_were_gone_and_they_go_when_it_would_not_fit(workers):
    """A call beside kept pages reuses them: it is judged on what the worker held after its last
    give-back plus the call's growth; a call of unknown growth (a new stage) or one that would not
    fit even so gets the pages given back first, and a spawn only if it still does not fit."""
    pool.configure(1, recycle_mb=10_000, budget_mb=10_000)
    pool.run(_arrow_mb, 10)
    _, base = pool.run(_arrow_other_mb, 10)  # a worker with pyarrow loaded and nothing kept
    pool.configure(1, recycle_mb=base + 150, budget_mb=base + 450)  # a fresh pool
    pid, _ = pool.run(_arrow_mb, 10)
    assert pool.run(_arrow_mb, 300)[0] == pid  # +~300 from given-back pages: the WARM figure
    assert pool.run(_arrow_mb, 300) == (pid, pytest.approx(base + 300, abs=80))  # ~base + 300 held, kept
    # held with the kept pages ~base + 300, past recycle_mb: a new stage would be a spawn; given back, it fits
    again, held = pool.run(_rss_mb, 0)
    assert again == pid and held < base + 100
    pool.run(_arrow_mb, 300)  # not a repeat (another runner ran): judged on the first call's figure; keeps
    again, start = pool.run(_arrow_mb, 300)  # kept ~+300; ~base + 300 x the margin fits beside them
    assert again == pid and start >= base + 250


HEAVY_IMPORT = """
import os

import time

TABLE = b"i" * ({mb} << 20)  # what importing a stage module and its libraries loads (pyarrow, pandas, ...)
_end = time.process_time() + 0.3  # ... and the CPU it takes (compiling a stage's patterns)
while time.process_time() < _end:
    pass


def work(inputs, out_dir):
    return {{"pid": os.getpid()}}
"""


def test_a_stage_modules_imports_are_not_its_calls_growth(workers, tmp_path, monkeypatch):
    """A stage call (tasks.calls.run_stage, runner "module:function") imports its module inside the call: in a
    fresh worker that was pyarrow, numpy, pandas and the stage's own tables of regexes (+~200 MiB: a replaced
    worker's incremental annotate call went 18 -> 242 MB), recorded as the call's growth, the runner's largest,
    which then judged its calls in workers holding those modules already. The worker imports the module before
    it measures the call; what the import keeps stays in the worker's size, which every later call is judged on."""
    from tasks.calls import run_stage

    code = tmp_path / "code"
    code.mkdir()
    (code / "heavy_import_stage.py").write_text(HEAVY_IMPORT.format(mb=120), encoding="utf-8")
    monkeypatch.syspath_prepend(str(code))  # spawned workers get the parent's sys.path
    log = tmp_path / "memory.jsonl"
    monkeypatch.setenv(pool.MEMORY_LOG_ENV, str(log))
    pool.configure(1, recycle_mb=10_000, budget_mb=600)
    runner = "heavy_import_stage:work"
    first = pool.run(run_stage, runner, {}, str(tmp_path / "a"), {})["pid"]
    assert pool.growth()[runner] < 60  # the call itself allocates nothing; before: >= 120
    pid, held = pool.run(_rss_mb, 0)
    assert pid == first and held >= 120  # the module's table is the worker's, and later calls see it
    # bench/'s memory log still counts the import's CPU in the call's (a stage's CPU includes its first imports)
    calls = [json.loads(x) for x in log.read_text().splitlines() if '"call"' in x]
    assert [c["call"] for c in calls][:1] == [runner] and calls[0]["cpu"] >= 0.25


def test_a_small_call_is_judged_on_its_runners_growth_per_mb_of_input(workers):
    """A +1 % night's new shard holds 1 % of the documents (20k: 200 against a full shard's 2,500); its cold
    calls were judged on a full shard's growth and a worker left large by the night's earlier stages was
    replaced before them. With the call's input size the pool judges it on the runner's growth per MB."""
    pool.configure(1, recycle_mb=10_000, budget_mb=650)  # only measured growth replaces workers
    name = f"{_passing_mb.__module__}:_passing_mb"
    a = pool.run(_passing_mb, 300, size_mb=100.0)  # a full shard: +~300 MiB for 100 MB of input
    rate = (300 - pool.FIXED_GROWTH_MB) / 100
    assert rate - 0.05 <= pool.growth()[name + pool.PER_MB] <= rate + 0.1
    assert pool.run(_hold_mb, 300) == a  # another stage leaves ~340 MiB held
    assert pool.run(_passing_mb, 30, size_mb=1.0) == a  # judged on FIXED_GROWTH_MB + ~2: fits in 650
    b = pool.run(_passing_mb, 300, size_mb=100.0)  # a full shard again: ~340 + ~300 x the margin does not
    assert b != a and not procs._stat(a)
    assert pool.run(_hold_mb, 300) == b
    assert pool.run(_passing_mb, 30) != b  # its size unknown: judged on the runner's ~300 MiB


def test_a_small_call_is_judged_on_its_fixed_growth_plus_its_share_and_never_above_the_runners_growth(monkeypatch):
    """The rule on fixed figures: a call's growth is not all proportional to its input (a tiny call still
    loads buffers and tables: FIXED_GROWTH_MB), and scaling never judges a call above its runner's growth;
    a small call's own rate counts only what it grew beyond the fixed part, so it cannot inflate the rate."""
    name = "tasks.export:export_shard"
    fixed = pool.FIXED_GROWTH_MB
    monkeypatch.setattr(pool, "_growth", {name: 300, name + pool.PER_MB: 2.0, name + pool.SIZE: 60.0})
    assert pool._expected(name, name, 10.0) == (fixed + 20, None)
    assert pool._expected(name, name, 0.1) == (fixed + 1, None)
    assert pool._expected(name, name, 60.0) == (fixed + 120, None)  # the largest input measured
    assert pool._expected(name, name, 1_000.0) == (300, None)  # larger than any measured: not scaled
    assert pool._expected(name, name) == (300, None)  # no size: the growth figure, as before
    # a rate measured only on small calls (a night's new shard: rate 0) scales no larger call
    monkeypatch.setattr(pool, "_growth", {name: 300, name + pool.PER_MB: 0.0, name + pool.SIZE: 2.0})
    assert pool._expected(name, name, 1.5) == (fixed, None)
    assert pool._expected(name, name, 20.0) == (300, None)
    monkeypatch.setattr(pool, "_growth", {name: 300, name + pool.PER_MB: 2.0, name + pool.SIZE: 60.0})
    patch = pool.KIND.format(name, "patch")  # a kind not measured yet: its runner's figures, scaled
    assert pool._expected(name, patch, 10.0) == (fixed + 20, None)
    assert pool._rate(fixed - 60, 1.8) == 0 and pool._rate(fixed + 50, 25.0) == 2.0


def test_a_runs_own_measurements_are_what_it_saves_not_the_figures_it_was_given(workers):
    """pool.measured() holds only what this run's calls measured: a declared figure or an earlier run's
    larger one is no measurement of this run (the flow saved pool.growth(), so figures only ever grew)."""
    name = f"{_passing_mb.__module__}:_passing_mb"
    pool.configure(1, recycle_mb=10_000, budget_mb=500, growth={name: 400, "tasks.gone:runner": 12})
    pool.run(_passing_mb, 50, size_mb=20.0)
    assert pool.growth()[name] == 400  # still judged on the larger figure in this run ...
    measured = pool.measured()
    assert set(measured) == {name, name + pool.PER_MB, name + pool.SIZE}  # ... but this run measured only its call
    assert 40 <= measured[name] < 150 and measured[name + pool.PER_MB] == pool._rate(measured[name], 20.0)


def test_a_shard_steps_input_size_counts_its_input_files_and_the_files_directly_in_its_folders(tmp_path):
    from tasks.stages import input_mb

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "docs.parquet").write_bytes(b"x" * 2_000_000)
    (tmp_path / "a" / "_parts").mkdir()
    (tmp_path / "a" / "_parts" / "p.json").write_bytes(b"y" * 5_000_000)  # below the folder: not an input file
    (tmp_path / "b.jsonl").write_bytes(b"z" * 500_000)
    inputs = {"normalize": str(tmp_path / "a"), "files": [str(tmp_path / "b.jsonl")], "k": 3, "gone": "/nonexistent"}
    assert input_mb(inputs) == 2.5


def _warm_worker_busy(tmp_path: Path, busy_seconds: float) -> tuple[int, int, threading.Thread]:
    """Two workers up, one (returned first) that ran `_warm_tables` now busy for `busy_seconds`, the other free:
    (warm pid, cold pid, the thread of the warm worker's call)."""
    from concurrent.futures import ThreadPoolExecutor

    (tmp_path / "up").mkdir()
    with ThreadPoolExecutor(2) as threads:
        pids = set(threads.map(lambda _: pool.run(_meet, str(tmp_path / "up"), 2), range(2)))
    assert len(pids) == 2
    warm = pool.run(_warm_tables, 0)
    (tmp_path / "busy").mkdir()
    import queue

    ended: queue.Queue = queue.Queue()
    args = (_meet_then_sleep_if, str(tmp_path / "busy"), 2, warm, busy_seconds)
    calls = [threading.Thread(target=lambda: ended.put((threading.current_thread(), pool.run(*args)))) for _ in "ab"]
    for t in calls:
        t.start()
    first, pid = ended.get(timeout=120)  # the two calls meet, one in each worker: the cold one returns at once
    cold = next(p for p in pids if p != warm)
    if busy_seconds > 0:
        assert pid == cold
    # with busy_seconds 0 either may return first (CI, session 54: the warm one did)
    return warm, cold, first if pid == warm else next(t for t in calls if t is not first)


def test_a_call_preferring_a_warm_worker_waits_for_it_while_the_other_is_free(workers, tmp_path):
    """A nightly run's new shard's annotate uses extract's tables: on the free worker that never ran extract it
    built them again (~1 CPU-s, session 52). Preferring the workers that ran `_warm_tables`, it waits for the busy
    warm worker (the pool's queue would hand it to the free one at once)."""
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 0.6)
    ran = pool.run(_pid, 0, prefer=[f"{_warm_tables.__module__}:_warm_tables"])
    long.join(60)
    assert ran == warm != cold
    assert pool.run(_pid, 0) in (warm, cold)  # a call without a preference still runs at once


def test_a_call_preferring_a_warm_worker_waits_for_it_only_so_long(workers, tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "PREFER_WAIT_SECONDS", 0.3)
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 8.0)
    ran = pool.run(_pid, 0, prefer=[f"{_warm_tables.__module__}:_warm_tables"])
    assert long.is_alive()  # it did not wait for the warm worker's call to end
    end_busy(tmp_path / "busy")
    long.join(60)
    assert ran == cold != warm


def _preferring_calls(n: int, short: bool) -> tuple[list[threading.Thread], list[int]]:
    """`n` threads each running one call that prefers the workers that ran `_warm_tables`; the pids they ran on."""
    ran: list[int] = []

    def one() -> None:
        ran.append(pool.run(_pid, 0, prefer=[f"{_warm_tables.__module__}:_warm_tables"], prefer_short=short))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, ran


def test_short_preferring_calls_are_held_for_the_warm_worker_however_many_wait(workers, tmp_path, monkeypatch):
    """A nightly run's old shards with a few documents to annotate come together after dedupe: held only while alone,
    they went to the worker that never ran extract, and its first paid the set-up (~1 CPU-s at 20k, session 54)."""
    monkeypatch.setattr(pool, "PREFER_WAIT_SECONDS", 30.0)
    # a short call's own wait too: at 3 s, the last of the three sometimes left for the cold worker on a loaded machine
    # (session 61, beside a flow test), which is the wait running out, not the calls held only while alone
    monkeypatch.setattr(pool, "PREFER_SHORT_WAIT_SECONDS", 30.0)
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 1.5)
    threads, ran = _preferring_calls(3, short=True)
    for t in (*threads, long):
        t.join(60)
    assert ran == [warm] * 3 != [cold] * 3


def test_a_short_preferring_call_waits_longer_for_the_warm_worker(workers, tmp_path, monkeypatch):
    """The warm worker is busy with the new shard's annotate (1.76 s at 20k) when the old shards' short calls come: held
    only PREFER_WAIT_SECONDS, they went to the other worker, whose first paid the set-up anyway."""
    monkeypatch.setattr(pool, "PREFER_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(pool, "PREFER_SHORT_WAIT_SECONDS", 30.0)
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 2.0)
    threads, ran = _preferring_calls(1, short=True)
    for t in (*threads, long):
        t.join(60)
    assert ran == [warm] != [cold]


def test_cold_preferring_calls_are_not_held_when_several_wait(workers, tmp_path, monkeypatch):
    """A cold run's annotate shards all build the tables: a free worker is not left idle for the warm one."""
    monkeypatch.setattr(pool, "PREFER_WAIT_SECONDS", 30.0)
    workers(2)
    _, cold, long = _warm_worker_busy(tmp_path, 8.0)
    threads, ran = _preferring_calls(2, short=False)
    deadline = time.monotonic() + 60
    while not ran and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ran and ran[0] == cold and long.is_alive()  # it did not wait for the warm worker's call to end
    end_busy(tmp_path / "busy")
    for t in (*threads, long):
        t.join(60)


def test_a_worker_that_ran_a_preferring_call_counts_as_warm(workers):
    """The call built the tables it prefers where it ran (the other worker, after its wait): later calls preferring
    them may go there too, instead of waiting for the first warm worker."""
    workers(1)
    modules = frozenset({f"{_warm_tables.__module__}:_warm_tables"})
    assert not pool._warm_pids(modules)
    pid = pool.run(_pid, 0, prefer=sorted(modules), prefer_short=True)
    assert pool._warm_pids(modules) == {pid}
    assert pool.run(_pid, 0) == pid and pool._warm_pids(modules) == {pid}  # a later call's result keeps it


def test_a_cold_annotate_call_prefers_workers_that_ran_extract():
    """Not those that ran annotate: an old shard's incremental call that annotates nothing loads no extraction."""
    from tasks.steps import preferred_workers

    assert preferred_workers("annotate", "") == ["tasks.extract"]
    assert preferred_workers("annotate", "incremental") == []  # a re-run shard's call reads a handful of documents
    assert preferred_workers("export", "") == []


def test_a_preferring_calls_wait_starts_when_it_would_go_not_when_it_arrives(workers, tmp_path, monkeypatch):
    """Behind calls of higher priority, the call reaches the head of the line after its wait's bound has passed since
    its arrival (a +1 % run's new-shard annotate behind 8 members calls): it still waits for the warm worker then."""
    monkeypatch.setattr(pool, "PREFER_WAIT_SECONDS", 3.0)
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 4.0)
    ahead = threading.Thread(target=pool.run, args=(_sleep_then_pid, 2.0), kwargs={"priority": (1, 0, 0)})
    ahead.start()
    time.sleep(0.1)  # it holds the cold worker
    ran = pool.run(_pid, 0, prefer=[f"{_warm_tables.__module__}:_warm_tables"])
    ahead.join(60)
    long.join(60)
    assert ran == warm != cold


def test_a_call_held_for_a_warm_worker_is_not_overtaken_while_that_worker_releases_its_memory(workers, tmp_path):
    """The warm worker's call ends; until it has released its memory no worker reads the queue, so a later call let
    through then would reach the warm worker first (5k +1 %: two incremental annotate calls took it while the new
    shard's waited, which then went to the other worker after all)."""
    workers(2)
    warm, cold, long = _warm_worker_busy(tmp_path, 0.0)
    long.join(60)
    import queue

    ended: queue.Queue = queue.Queue()
    (tmp_path / "cold").mkdir()
    args = (_meet_then_sleep_if, str(tmp_path / "cold"), 2, cold, 6.0)  # the cold worker busy throughout
    busy = [threading.Thread(target=lambda: ended.put(pool.run(*args))) for _ in "ab"]
    for t in busy:
        t.start()
    assert ended.get(timeout=120) == warm  # the warm worker's returned at once: it is the free one
    warm_call = threading.Thread(target=pool.run, args=(_sleep_then_garbage, 1.0, 2_000_000))
    warm_call.start()
    time.sleep(0.3)
    marks = tmp_path / "marks"
    marks.mkdir()
    later = threading.Thread(target=pool.run, args=(_started_at, "later", str(marks)))
    ran: list[int] = []
    held = threading.Thread(
        target=lambda: ran.append(
            pool.run(
                _started_at, "held", str(marks), priority=(1, 0, 0), prefer=[f"{_warm_tables.__module__}:_warm_tables"]
            )
        )
    )
    held.start()
    time.sleep(0.1)
    later.start()
    for t in (warm_call, held, later):
        t.join(60)
    end_busy(tmp_path / "cold")  # busy until both calls had run
    for t in busy:
        t.join(60)
    assert ran == [warm]
    assert float((marks / "held").read_text()) < float((marks / "later").read_text())

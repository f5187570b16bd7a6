"""One pool of worker processes for the CPU-bound stage code.

Prefect runs the shard tasks on threads (one API server, no per-worker temporary servers);
each task hands its shard to this pool, so all cores work while Prefect only records state.
Workers are spawned, not forked: the flow process has threads and an API client running.

Stage code always runs in a worker process (with workers=1, in one worker), so a per-document
`procs.time_budget` works (it needs a process's main thread), a stuck worker can be killed, and
an out-of-memory kill takes a worker, not the run. Inline mode — `configure(0)` or the
environment variable JIANGHUA_INLINE=1 — runs `fn` in the calling thread instead: for Dask
(each task already runs inside a Dask worker) and for tests that monkeypatch stage code.
Workers die with the main process (procs.die_with_parent) and ignore SIGINT: stopping is the
main process's decision (procs.StopOnSignal calls `terminate`).

A worker is replaced by a fresh one when a call of a stage module it has not run reaches it and
would not fit: extraction leaves ~600 MB of tables (jieba's dictionaries, IDF, word frequencies)
resident for its next shard, and a global step run on top of them took the worker to 1.7 GB at
20k documents. "Fits" is judged from what the worker holds now and the most this stage module
has added to a worker's RSS during a call so far in this pool (exact peaks: VmHWM; a runner's
first call in a worker and its back-to-back repeat calls there apart: the first loads the tables; a kind of call
its caller names, such as an export patching an earlier file, apart too: KIND); a module not
seen yet fits only a worker holding at most `recycle_mb` (RECYCLE_MB). The call is handed back
unrun, the worker exits, the pool spawns its replacement (never more processes than `workers`)
and the call is resubmitted: a spawn plus imports (~1-3 s) once per worker per change of phase,
not per call.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

INLINE_ENV = "JIANGHUA_INLINE"
# Set to a file path: every call in a worker appends one JSON line (runner, pid, RSS before, peak
# and after, seconds) — how bench/ finds which stage makes a worker big. Off by default.
MEMORY_LOG_ENV = "JIANGHUA_STAGE_MEMORY"
MEMORY_SAMPLE_SECONDS = 0.05  # RSS sampling period of the probe (a stage call takes ≥ 0.1 s)
# A call whose pool was killed because ANOTHER call timed out is resubmitted up to this often.
MAX_RESUBMITS = 2
WAIT_POLL_SECONDS = 2.0  # how often a waiting call checks that its pool can still finish it (`_wait`)
MANAGER_ERROR_CHARS = 2000  # the tail of a dead manager thread's traceback kept for the error message
# A worker holding more than this (RSS after releasing its last call's memory) is replaced before it
# runs a call of a stage module it has not run yet. Measured at 5k/20k: a worker that ran ingest,
# lines or normalize holds 280-350 MB after release, one that ran extract ~600-650 MB; a global
# step (dedupe ~560 MB alone at 20k) on top of extract's set broke the 1 GB per-process target.
# 450 MB sits between the two, so only extract's resident set (or a ratchet as large) costs a spawn.
RECYCLE_MB = 450
# A worker whose RSS now plus a stage module's largest growth seen so far in this pool would exceed
# this is replaced before running that module's call: the 1 GB per process (954 MiB) less
# ~5 % because a stage's growth varies between shards (signatures at 5k: 250-290 MiB).
WORKER_BUDGET_MB = 900
# A call is expected to grow its worker by this much more than the most its runner (and kind) grew one
# so far: calls of one runner differ with their shard (20k cold, session 19: exports grew 249-433 MiB,
# shards of 669-952 documents), so the largest seen early in a run is not the largest. Without it, an
# export judged on +333 started at 567 MiB and peaked at 930. Replayed on the session 18-19 20k call
# logs, 1.25 replaces one more worker per cold run (that one) and none in the +1 % run; 1.5: 8-13 more.
GROWTH_MARGIN = 1.25
# What a worker holds after spawn, imports and one light call (ingest, lines: 170-340 MB measured
# at 20k); replacing a worker this small gains little, so it is never replaced.
FRESH_WORKER_MB = 300
# A call handed back by this many recycling workers in a row runs on the next worker regardless.
MAX_RECYCLES = 8
GATE_POLL_SECONDS = 0.5  # a call waiting for a worker notices `terminate` this often
# While every worker is busy, one more call per worker may wait inside the executor (its call queue)
# instead of at the gate, so a worker that finishes starts the next at once: without it, a worker sat idle between two
# calls for the result's trip back here, the gate hand-over and the submit thread (~0.1 s a call on
# the +1 % 20k run of session 8, ~80 calls of 0.05-1 s each: members, export, part batches). Only a
# call of a runner whose calls have all been short in this pool is queued ahead (a call arriving
# meanwhile with a higher priority then waits at most that long behind it): cold extract calls
# (15-80 s) never are, so dedupe's global call still overtakes queued extract shards.
QUEUE_AHEAD = 1  # calls per worker that may wait in the executor beyond the running ones
QUEUE_AHEAD_SECONDS = 2.0  # longest call of its runner so far for a call to be queued ahead
# A call that names the stage modules whose tables it would otherwise build (`run(..., prefer=)`: a nightly
# run's new shard's cold annotate, which uses extract's segmenter, dictionaries and gazetteer) waits at most
# this long at the gate for a worker that ran one of them, letting other calls pass it meanwhile, when the
# only free worker never ran them: that worker's first such call pays the set-up again (measured on a fresh
# process, session 53: importing tasks.extract 0.42-0.62 CPU-s plus the first document's shared tables
# 0.42-0.45 CPU-s; 5k/20k +1 % runs landed the call on the other worker in all three session-52 runs). The wait
# is bounded by about what that set-up costs the other worker, so at worst the call starts as late as it
# would have finished its set-up.
PREFER_WAIT_SECONDS = 1.0
# ... and a short call (`run`'s prefer_short: an old shard's annotate of a few documents, ~0.1-0.2 CPU-s on a warm
# worker against ~1 CPU-s of set-up elsewhere) this long: the calls behind it pass meanwhile, so its wait costs the
# other worker nothing while they last. It covers the warm worker's own call: the 20k +1 % run's new-shard annotate
# holds it 1.76 s (session 54: 12.40-14.16 s, the stage's calls 12.40-14.68); held one second, the short calls that
# come with it would reach the other worker before the warm one is free.
PREFER_SHORT_WAIT_SECONDS = 3.0
PREFER_POLL_SECONDS = 0.02  # how often a call waiting for a warm worker looks at the workers' board
# When a warm worker and a cold one are both free, the call goes to the executor and the cold one, already waiting
# on its queue, takes it: it hands the call back unrun (WorkerDeclined), waits this long before it reads the queue
# again so that the warm worker, waiting behind it, takes the resubmitted call, and `run` resubmits at most
# MAX_DECLINES times (then any worker runs it).
DECLINE_BACKOFF_SECONDS = 0.05
MAX_DECLINES = 2

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_prestarted: ProcessPoolExecutor | None = None  # the pool `prestart` made, until the next `configure`
# Workers `prestart` spawns, at most: a nightly run's first call is the new shard's ingest, and its second
# (that shard's extract, beside signatures → dedupe) comes ~1.5 s later, time for a spawned worker's
# imports. A second prestarted worker imported beside Prefect's server start, the run's critical path on
# two cores, and sat idle through an unchanged rerun: 20k bench, alternated (session 34), unchanged
# 5.7 / 6.0 and 5.0 / 5.0 s with two against 5.2 / 5.0 and 4.6 / 4.7 s with one; +1 % 24.0 / 25.1, 22.4 /
# 23.1 s against 24.3, 22.6 / 25.5 s (and one 36.1 s first run on a cold page cache).
PRESTART_WORKERS = 1
# The prestarted pool's other workers are spawned at the run's first call (`_fill`), importing the same
# modules: a run that calls nothing (an unchanged rerun) never starts them, and a nightly run's new shard
# runs ingest → lines → boilerplate → normalize on one worker with the other core free, then its
# signatures (→ dedupe, the run's critical path) and extract go out at once. Spawned only then, the second
# worker's start and imports came after that fork: 5k +1 % runs, load ~12: signatures taken 1.3 s after
# its submit while extract ran on the warm worker (the next run the other way round: extract 1.2 s late).
_prestart_modules: tuple[str, ...] = ()
# What those other workers import besides the prestart's modules: pandas and pyarrow.dataset. A worker's first call
# that builds an Arrow array from Python values imports pandas (pyarrow probes for it), and the first pq.read_table
# pyarrow.dataset with acero: 0.42 CPU-s in a fresh worker holding the prestart's modules, 0.004 once these are
# imported (0.34 at the worker's start; load ~30, session 55). In a nightly run that first call is on the serial
# path (both 5k +1 % runs of session 55: the new shard's signatures on the filled worker, then the dedupe call); here
# the imports run while the new shard's ingest runs on the prestarted worker. Every worker of a run with work imports
# them sooner or later; an unchanged rerun starts none of these workers.
RUN_MODULES = ("pandas", "pyarrow.dataset")
_unfilled: ProcessPoolExecutor | None = None  # the prestarted pool a run kept, until its first call spawns the rest
_killed: list[ProcessPoolExecutor] = []  # pools killed on purpose (a timeout, or terminate)
_workers = 1
_recycle_mb: float | None = RECYCLE_MB
_budget_mb: float = WORKER_BUDGET_MB
_inline = False
_terminated: str | None = None
# Largest RSS growth (MiB) seen during one call, per runner, in the current pool's workers: a
# runner's first call in a worker under its name, its back-to-back repeats there under name + WARM (a call
# of a named kind: under the runner plus its kind, KIND, instead of the name).
_growth: dict[str, float] = {}
# A runner's repeat calls in the same worker grow it far less than its first, which also loads the
# tables it keeps (extract at 20k: first calls 158 -> ~650 MB, +~490; repeat calls 470 -> ~700, +~240).
# Judged on the first call's figure, every warm extract worker (~430-470 MB) looked too big for its
# next shard: 16 replacements per cold 20k run, ~1.9 s of idle worker each.
WARM = " (repeat call)"
# A call of a runner whose kind the caller names (`run(..., kind=)`) is judged and recorded under the
# runner plus its kind, e.g. "tasks.export:export_shard (patch)": an export that patches an earlier
# file adds 22-125 MB (+1 % 20k log), a cold one writes the whole shard (+461-507 MB). Under one key the +1 % run
# judged every patching export on the cold run's figure: 3 needless worker replacements, 1-2 s each.
KIND = "{} ({})"
# A call whose caller gives its input's size (`run(..., size_mb=)`: a shard step's input files) also records
# its growth beyond FIXED_GROWTH_MB per MB of input under its memory key plus PER_MB, and a later sized call
# of that key is judged on FIXED_GROWTH_MB plus that rate times its own size when that is below the key's
# growth (never above: scaling only spares a small call a needless replacement). A +1 % night's new shard
# holds 1 % of the corpus's documents (20k: 200 against a full shard's 2,500), and its cold calls were
# judged on a full shard's growth.
PER_MB = " (MiB per input MB)"
# ... and the largest input size (MB) its calls were measured on, under its memory key plus SIZE: only a call
# no larger is scaled. A rate measured on a night's small calls alone says nothing of a full shard's (5k:
# every +1 % call grew less than FIXED_GROWTH_MB, rate 0), so a full shard's call is judged on the key's growth.
SIZE = " (largest input MB)"
# The part of a call's growth that does not follow its input (buffers, a module's lazily loaded tables): the
# 5k bench's +1 % runs (session 52), first calls on the new shard's 50 documents (1.8 MB of input files
# against a full shard's 22) grew 24-107 MiB (signatures 43-107, extract 68-76, ingest 61, normalize 24-26)
# where a full shard's first calls grew 108-197 MiB: far from proportional. A call is judged on at least
# this much, and its rate counts only what it grew beyond it, so a small call's rate never inflates.
FIXED_GROWTH_MB = 128
# This run's own measurements, by memory key (the largest growth of one call, or rate per MB): what the flow
# saves for the next run (`measured`), apart from the figures it was configured with (`_growth`).
_this_run: dict[str, float] = {}
# Longest call of each runner ("module:function") in the current pool, seconds measured in the worker:
# whether its next call may be queued ahead (QUEUE_AHEAD_SECONDS).
_seconds: dict[str, float] = {}
# Workers are spawned by the thread that submits; the kernel's parent-death signal fires when
# THAT thread exits, so every submit goes through this one thread, which lives as long as the process.
_submitter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianghua-pool-submit")
# The workers' board (shared memory, one (pid, busy) pair per slot, BOARD_SLOTS_PER_WORKER slots a worker so a
# replacement finds a free one): each worker marks itself busy from taking a call off the executor's queue to
# the end of its release, so the flow knows which worker would take the next call (`prefer`). A pool's board
# lives as long as the pool; None: no pool yet.
BOARD_SLOTS_PER_WORKER = 2
_board: Any = None
# In the flow: the stage modules each worker (by pid) had run by its last result (`prefer`).
_warm: dict[int, frozenset[str]] = {}


class PoolTerminated(RuntimeError):
    """The run is being stopped (SIGTERM/SIGINT): not transient, never retried."""


class WorkerRecycled(RuntimeError):
    """The worker handed the call back unrun and exited (too big for a new stage): resubmit it."""


class WorkerDeclined(RuntimeError):
    """A worker that does not hold the tables a call prefers handed it back unrun while a worker that does was free."""


class ShardTimeout(RuntimeError):
    """A call ran past its timeout; its worker was killed. Not transient: the same input would hang again."""


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def configure(
    workers: int | None,
    recycle_mb: float | None = RECYCLE_MB,
    budget_mb: float = WORKER_BUDGET_MB,
    growth: dict[str, float] | None = None,
) -> int:
    """Set the number of worker processes (None: every core; 0: inline). Returns the number set.

    A worker is replaced before a call that would take it past `budget_mb` MiB: what it holds plus
    the most that call's runner has added to a worker during one call (`growth`: measured earlier in
    this pool, or passed in from an earlier run). A runner not measured yet is judged by the
    worker's size alone: more than `recycle_mb` (None: never replace) and new to the worker."""
    global _workers, _inline, _terminated, _recycle_mb, _budget_mb, _prestarted, _unfilled
    inline_now = workers == 0 or os.environ.get(INLINE_ENV, "") not in ("", "0")
    count = default_workers() if workers is None else max(1, workers)
    same = (
        _pool is not None
        and _pool is _prestarted
        and not _terminated
        and not inline_now
        and (count, recycle_mb, budget_mb) == (_workers, _recycle_mb, _budget_mb)
    )
    _prestarted = None
    _unfilled = _pool if same else None
    if not same:
        shutdown()
    from tasks import procs

    _terminated = procs.stop_requested()  # a signal during the flow's start still stops it
    _recycle_mb, _budget_mb = recycle_mb, budget_mb
    _growth.clear()
    _this_run.clear()
    _seconds.clear()
    _warm.clear()
    _growth.update(
        {
            k: v if k.endswith(PER_MB) else int(v)
            for k, v in (growth or {}).items()
            if isinstance(v, int | float) and v >= 0
        }
    )
    _inline = inline_now
    _workers = count
    return _workers


def prestart(workers: int | None, modules: Sequence[str] = ()) -> Future | None:
    """Start the pool's first workers now (at most PRESTART_WORKERS), each importing `modules`,
    while this process waits for something else (the CLI: Prefect's temporary server, ~2.5 s of an
    idle wait with a core free on a quiet machine).

    A run's first calls otherwise wait for a worker's spawn and their stage modules' imports (+1 %
    20k run: the ingest call taken 1.0 s after its submit; the new shard's extract, the second
    call at once, on a worker spawned for it). The next `configure` with the same settings keeps
    this pool (and only then: a pool that ran calls is never carried into another run). Its workers
    have run no call: nothing about them differs from fresh ones but the modules they hold, which
    their first calls would load anyway; workers spawned later (more calls at once, replacements)
    import nothing ahead. Returns a future done once the workers are started (None: nothing
    started); each then imports on its own."""
    global _workers, _prestarted, _prestart_modules
    if workers == 0 or os.environ.get(INLINE_ENV, "") not in ("", "0") or _pool is not None:
        return None
    _workers = default_workers() if workers is None else max(1, workers)
    pool = _get_pool()
    _prestarted, _prestart_modules = pool, tuple(modules)

    def spawn() -> None:  # on the submit thread: the workers' parent-death signal is tied to it
        for _ in range(min(_workers, PRESTART_WORKERS)):
            assert isinstance(pool, _RecyclingPool)
            pool._spawn_process(tuple(modules))

    try:
        return _submitter.submit(spawn)
    except Exception:  # noqa: BLE001 - only a head start: the first real call meets the same problem
        return None


def _fill(pool: ProcessPoolExecutor) -> None:
    """Spawn the prestarted pool's other workers now, importing the prestart's modules before they
    take a call (see _prestart_modules): the run's first call says it has work for them."""
    global _unfilled
    _unfilled = None

    def spawn() -> None:  # on the submit thread: the workers' parent-death signal is tied to it
        me: Any = pool
        with me._shutdown_lock:
            if me._broken or me._shutdown_thread:
                return
            for _ in range(me._max_workers - len(me._processes)):
                assert isinstance(pool, _RecyclingPool)
                pool._spawn_process((*_prestart_modules, *RUN_MODULES))

    with contextlib.suppress(Exception):  # only a head start: a call that needs a worker spawns one
        _submitter.submit(spawn)


def expect_growth(runner: str, mb: int) -> None:
    """Judge `runner`'s ("module:function") calls on `mb` of growth until one is measured: a runner
    unknown to the pool fits only a worker holding at most RECYCLE_MB, so a light call of a module
    new to the workers (the report's partials, flows.pipeline.ReportPrefetch) would cost a spawn in
    a run's first use of it. A larger measured figure wins."""
    with _lock:
        _growth[runner] = max(_growth.get(runner, 0), int(mb))


def growth() -> dict[str, float]:
    """The most each runner ("module:function") has added to a worker's RSS during one call, in MiB (and per
    MB of input, PER_MB keys): the figures this run's calls are judged on, the configured ones included."""
    return dict(sorted(_growth.items()))


def measured() -> dict[str, float]:
    """What this run's own calls measured, by memory key (the largest growth of one call; PER_MB keys: the
    largest growth per MB of input): what the flow saves in OUT/.state for the next run's first calls."""
    return dict(sorted(_this_run.items()))


def inline() -> bool:
    """Whether `run` calls fn in the calling thread: inline mode, or a daemonic process (a Dask
    worker). `configure(0)` is called in the flow's process only, so in a Dask worker `_inline`
    stays False; without the daemon check a partitioned step there (tasks.steps.run_parts) spread
    its part batches over threads that each ran `fn` in the same process at once: the reuse
    step's parts then shared one ParquetFile and failed with "ReadRangeCache did not find matching
    cache entry" (test_dask_cluster_gives_byte_identical_output)."""
    return _inline or multiprocessing.current_process().daemon


def workers() -> int:
    """How many calls run at once (1 inline): what a step splitting its work into calls divides by."""
    return 1 if inline() else _workers


def run(
    fn: Callable[..., T],
    *args: Any,
    timeout: float | None = None,
    priority: tuple[int, ...] = (0, 0, 0),
    kind: str = "",
    warm: bool = True,
    size_mb: float | None = None,
    prefer: Sequence[str] = (),
    prefer_short: bool = False,
) -> T:
    """Run fn(*args) in a worker process (inline in inline mode).

    Calls wait in this process until a worker is free, then the highest `priority` goes first
    (first come, first served among equals): a global step submitted while shard calls queue does
    not wait behind all of them; a call of a runner known to be quick may wait for its worker inside
    the executor instead (QUEUE_AHEAD). With `timeout` (seconds), a call still running after that long
    (counted from when it entered the executor: at most one quick call before a worker was free for
    it) has its pool's workers killed and raises ShardTimeout; calls that were sharing the killed pool
    are resubmitted. `kind` names what kind of call of its runner this is, as the caller knows it in
    advance (e.g. "patch": an export that patches an earlier file): its memory growth is judged and
    recorded apart from the runner's other calls (see KIND). `warm=False`: a call right after another
    of its runner in the same worker reuses nothing that one left (each part of a partitioned step
    reads its own clusters), so it is judged on the runner's first-call growth, not on that growth less
    what the worker kept: at 100k a repair part ran in a worker that kept 269 MB of the part before
    it, was judged on +145 and took +383, to 1,053 MB (session 24). `size_mb`: the MB of input the call
    reads, when the caller knows it: its growth is also recorded per MB and a small call judged on that rate
    times its size (PER_MB, FIXED_GROWTH_MB). `prefer`: stage modules ("tasks.extract") whose resident tables
    the call uses: it waits up to PREFER_WAIT_SECONDS (a short call PREFER_SHORT_WAIT_SECONDS) for a worker that
    ran one of them (`_Gate.enter`), and its worker counts as one that did once it has run it. `prefer_short`: the
    call is short next to the set-up it would pay on another worker (an old shard's annotate of a few documents):
    held even while other preferring calls wait (a cold preferring call is held only when it is the only one: every
    worker will need the tables)."""
    if _terminated:
        raise PoolTerminated(_terminated)
    if inline():
        return fn(*args)  # a daemonic process (a Dask worker) may not start workers of its own
    longest = _seconds.get(_runner(_call, (fn, *args)))
    call_id = next(_call_ids)
    trace("pool_call", id=call_id)
    _gate.enter(
        priority,
        ahead=longest is not None and longest <= QUEUE_AHEAD_SECONDS,
        prefer=frozenset(prefer),
        short=prefer_short,
    )
    try:
        return _run(fn, args, timeout, kind, call_id, warm, size_mb, frozenset(prefer))
    finally:
        _gate.leave()


class _Gate:
    """At most `workers` calls in the executor (plus QUEUE_AHEAD short ones); the others wait here,
    by priority then arrival.

    ProcessPoolExecutor's own queue is first come, first served: a call could not overtake the
    calls queued before it. So only a call known to be short (`ahead`) enters it while every worker
    is busy. A call that prefers workers holding some stage module's tables (`prefer`) is passed over
    while the worker that would take it is not one of them (`_prefer_held`), for at most
    PREFER_WAIT_SECONDS from when it would otherwise have gone (not from its arrival: a +1 % run's new-shard
    annotate waited 6 s behind members calls): the calls behind it go first meanwhile."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.busy = 0
        self.waiting: list[tuple[tuple[int, ...], int]] = []  # heap of (negated priority, arrival)
        self.arrivals = itertools.count()
        # ticket -> (modules it prefers, until when it may wait: None until it first waits for a warm worker, whether
        # it is a short call: `run`'s prefer_short)
        self.prefer: dict[tuple[tuple[int, ...], int], tuple[frozenset[str], float | None, bool]] = {}

    def enter(
        self, priority: tuple[int, ...], ahead: bool = False, prefer: frozenset[str] = frozenset(), short: bool = False
    ) -> None:
        ticket = (tuple(-p for p in priority), next(self.arrivals))
        with self.cond:
            heapq.heappush(self.waiting, ticket)
            if prefer:
                self.prefer[ticket] = (prefer, None, short)
            try:
                while self.busy >= _workers * (1 + QUEUE_AHEAD if ahead else 1) or self._next() != ticket:
                    if _terminated:
                        raise PoolTerminated(_terminated)
                    self.cond.wait(PREFER_POLL_SECONDS if self.prefer else GATE_POLL_SECONDS)
            except BaseException:
                self.waiting.remove(ticket)
                heapq.heapify(self.waiting)
                self.prefer.pop(ticket, None)
                self.cond.notify_all()
                raise
            self.waiting.remove(ticket)
            heapq.heapify(self.waiting)
            self.prefer.pop(ticket, None)
            self.busy += 1
            self.cond.notify_all()  # the next in line may fit too

    def _next(self) -> tuple[tuple[int, ...], int] | None:
        """The waiting call that goes next: the first by priority and arrival, passing over a call held for a
        busy warm worker (`_prefer_held`) only while a worker that would not suit it waits on the executor's queue
        (a call let through then reaches that one; one let through while no worker waits there would reach the
        first worker to finish its release, perhaps the warm one); otherwise none goes yet. With several cold such
        calls waiting (a cold run's annotate shards) none of them is held: every worker will need the tables, and a
        cold worker left idle would only wait to build them later. Short ones (`run`'s prefer_short: a nightly
        run's old shards with a few documents to annotate) are held however many wait: on a warm worker each is a
        fraction of the set-up it would pay elsewhere."""
        if not self.prefer:
            return self.waiting[0]
        lone = sum(not short for _, _, short in self.prefer.values()) == 1
        now = time.monotonic()
        for ticket in sorted(self.waiting):
            held = self.prefer.get(ticket)
            if held is None or not (held[2] or lone) or (held[1] is not None and now >= held[1]):
                return ticket
            state = _prefer_held(held[0])
            if state == "go":
                return ticket
            if held[1] is None:  # its wait starts now, when it would go but for the preference
                wait = PREFER_SHORT_WAIT_SECONDS if held[2] else PREFER_WAIT_SECONDS
                self.prefer[ticket] = (held[0], now + wait, held[2])
            if state == "hold":
                return None
        return None

    def leave(self) -> None:
        with self.cond:
            self.busy -= 1
            self.cond.notify_all()


def _warm_pids(modules: frozenset[str]) -> set[int]:
    """The pool's live workers that have run one of `modules` (by their results)."""
    return {pid for pid in list(getattr(_pool, "_processes", None) or {}) if _warm.get(pid, frozenset()) & modules}


def _prefer_held(modules: frozenset[str]) -> str:
    """For a call preferring workers that ran one of `modules`: "go" (no live worker ran one, one that did is free,
    or no board to read), "pass" (none that did is free, another worker is: later calls may go to it) or "hold"
    (no worker is free: a call let through would reach whichever finishes its release first)."""
    warm = _warm_pids(modules)
    free = _free_workers() if warm else None
    if not warm or free is None:
        return "go"
    free &= set(getattr(_pool, "_processes", None) or {})
    if free & warm:
        return "go"
    return "pass" if free else "hold"


def _free_workers() -> set[int] | None:
    """Pids the workers' board shows waiting for a call (None without a board)."""
    board = _board
    if board is None:
        return None
    values = board[:]
    return {values[i] for i in range(0, len(values), 2) if values[i] and not values[i + 1]}


_gate = _Gate()


def _expected(runner: str, key: str, size_mb: float | None = None) -> tuple[int | None, int | None]:
    """The growth a call recorded under `key` is judged on: its first and repeat calls' figures.

    A kind of call not measured yet (`key` is the runner plus KIND) is judged on the runner's own
    figures, as every call of it was before kinds: never smaller than without them. Neither
    measured: (None, None), and the unknown-growth rule of `_should_recycle` applies. With the call's
    input size, each figure is at most FIXED_GROWTH_MB plus its rate per MB times that size (PER_MB) when
    its calls were measured on inputs at least as large (SIZE)."""
    if key != runner and key not in _growth:
        key = runner
    return _scaled(key, size_mb), _scaled(key + WARM, size_mb)


def _scaled(key: str, size_mb: float | None) -> int | None:
    """`key`'s growth figure, or FIXED_GROWTH_MB plus its rate per MB times the call's size where that is smaller."""
    figure, rate, seen = _growth.get(key), _growth.get(key + PER_MB), _growth.get(key + SIZE)
    if figure is None or rate is None or seen is None or size_mb is None or size_mb > seen:
        return None if figure is None else int(figure)
    return int(min(figure, FIXED_GROWTH_MB + -(-rate * size_mb // 1)))


def _rate(grew: int, size_mb: float) -> float:
    """A call's growth beyond FIXED_GROWTH_MB per MB of its input (0 for a call within it)."""
    return round(max(0, grew - FIXED_GROWTH_MB) / max(size_mb, 0.001), 3)


def _note(key: str, value: float) -> None:
    """Record a measurement: the largest of this run's (`_this_run`) and of the figures calls are judged on."""
    if value > _growth.get(key, -1):
        _growth[key] = value
    if value > _this_run.get(key, -1):
        _this_run[key] = value


def _note_warm(pool: ProcessPoolExecutor, pid: int, ran: frozenset[str]) -> None:
    """Remember which stage modules worker `pid` has run or built the tables of (`prefer`), forgetting workers that
    are gone."""
    _warm[pid] = ran | _warm.get(pid, frozenset())
    if len(_warm) > BOARD_SLOTS_PER_WORKER * _workers:
        alive = set(getattr(pool, "_processes", None) or {})
        for gone in [p for p in _warm if p not in alive]:
            del _warm[gone]


def _run(
    fn: Callable[..., T],
    args: tuple,
    timeout: float | None,
    kind: str = "",
    call_id: int = 0,
    warm: bool = True,
    size_mb: float | None = None,
    prefer: frozenset[str] = frozenset(),
) -> T:
    attempt = recycled = declined = 0
    while True:
        if _terminated:  # a call between the gate and its submit must not start a fresh pool after terminate
            raise PoolTerminated(_terminated)
        pool = _get_pool()
        wrapper = _call if recycled < MAX_RECYCLES else _call_here
        family = _runner(wrapper, (fn, *args))
        memory_key = KIND.format(family, kind) if kind else family
        expect = _expected(family, memory_key, size_mb)
        submit: Any = pool.submit
        # the workers a cold worker leaves the call to while one of them is free (`_worker_loop`)
        preferred = frozenset(_warm_pids(prefer)) if prefer and declined < MAX_DECLINES else frozenset()
        future: Future = _submitter.submit(
            submit,
            wrapper,
            fn,
            *args,
            expect_mb=expect,
            memory_key=memory_key,
            call_id=call_id,
            warm=warm,
            preferred=preferred,
        ).result()
        trace("pool_submit", id=call_id)
        if pool is _unfilled:
            _fill(pool)
        try:
            value, grew, repeat, seconds, pid, ran = _wait(pool, future, timeout)
            trace("pool_result", id=call_id)
            _note_warm(pool, pid, ran | prefer)  # a call that prefers tables builds them where it runs
            key = memory_key + WARM if repeat else memory_key
            if grew is not None:
                _note(key, grew)
                if size_mb is not None:
                    _note(key + PER_MB, _rate(grew, size_mb))
                    _note(key + SIZE, size_mb)
            if seconds > _seconds.get(family, -1.0):
                _seconds[family] = seconds
            return value
        except WorkerRecycled:
            recycled += 1  # handed back unrun by a worker that exited: a fresh one takes it
            continue
        except WorkerDeclined:
            declined += 1  # handed back unrun by a cold worker while a warm one was free: that one takes it
            continue
        except FutureTimeout:
            _kill(pool)
            raise ShardTimeout(
                f"{getattr(fn, '__name__', fn)} did not finish within {timeout:g} s; its worker was killed "
                "(a file that blocks on read, e.g. a FIFO, or a pathological input)"
            ) from None
        except BrokenProcessPool:
            _discard(pool)
            if _terminated:
                raise PoolTerminated(_terminated) from None
            if any(k is pool for k in _killed) and attempt < MAX_RESUBMITS:
                attempt += 1
                continue  # another call's timeout killed this pool: not this call's fault
            raise  # a worker died (out of memory?): the retry gets a fresh pool


def _wait(pool: ProcessPoolExecutor, future: Future, timeout: float | None) -> Any:
    """future.result(timeout), checking every WAIT_POLL_SECONDS that someone can still finish it.

    Only the executor's manager thread completes a call's future (with its result, or with
    BrokenProcessPool when a worker dies). Should that thread end with the call unfinished, the
    caller would wait forever (seen once in CI, session 10: a flow run hung with two calls waiting
    on a pool whose workers were zombies and whose manager thread was gone): kill the pool's workers
    and raise BrokenProcessPool, which `_run` answers by resubmitting the call to a fresh pool (a
    killed pool), with a warning naming why the thread ended (`_manager_errors`). A terminated pool's
    calls raise PoolTerminated."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        step = WAIT_POLL_SECONDS if deadline is None else max(0.0, min(WAIT_POLL_SECONDS, deadline - time.monotonic()))
        try:
            return future.result(timeout=step)
        except FutureTimeout:
            if deadline is not None and time.monotonic() >= deadline:
                raise
            if _terminated:
                raise PoolTerminated(_terminated) from None
            manager = getattr(pool, "_executor_manager_thread", None)  # private: CPython's executor
            if manager is not None and not manager.is_alive() and not future.done():
                why = _manager_errors.get(id(manager), "it raised nothing (it returned)")
                message = (
                    "the worker pool's manager thread ended with this call unfinished; the pool's workers are "
                    f"killed and its calls resubmitted to a fresh pool. The thread's end: {why}"
                )
                import logging

                logging.getLogger(__name__).warning(message)
                _kill(pool)  # its workers would wait forever on a queue nobody feeds; its calls are resubmitted
                raise BrokenProcessPool(message) from None


# A pool manager thread that died of an exception, by id(thread): its formatted traceback, so the
# BrokenProcessPool `_wait` raises (and the stage's retry logs) says why. The one hang seen (CI,
# session 10) left no trace of the cause; threading's default hook prints to a stderr that pytest
# or a scheduler may swallow.
_manager_errors: dict[int, str] = {}
_hook_installed = False


def _install_manager_hook() -> None:
    global _hook_installed
    if _hook_installed:
        return
    _hook_installed = True
    previous = threading.excepthook

    def hook(args: Any) -> None:
        from concurrent.futures import process as cf

        if isinstance(args.thread, cf._ExecutorManagerThread):
            import traceback

            text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
            _manager_errors[id(args.thread)] = text[-MANAGER_ERROR_CHARS:]
            for old in list(_manager_errors)[:-8]:  # never grows: only the last few pools matter
                del _manager_errors[old]
        previous(args)

    threading.excepthook = hook


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            global _board
            _install_manager_hook()
            context = multiprocessing.get_context("spawn")
            _board = context.Array("q", 2 * BOARD_SLOTS_PER_WORKER * _workers)
            _pool = _RecyclingPool(
                max_workers=_workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(os.getpid(), _recycle_mb, _budget_mb, _board),
            )
        return _pool


class _RecyclingPool(ProcessPoolExecutor):
    """ProcessPoolExecutor whose workers run `_worker_loop`, which may hand a call back and exit.

    The exit rides on the machinery of `max_tasks_per_child` (Python >= 3.11): the handed-back
    result carries the worker's pid, the executor's manager thread joins that worker and calls
    `_adjust_process_count`, which spawns the replacement — never above `max_workers`. Spawned
    from the manager thread, a replacement's parent-death signal is tied to that thread, which
    outlives every worker of its pool (it joins them before it ends)."""

    def _spawn_process(self, preload: tuple[str, ...] = ()) -> None:
        me: Any = self  # private attributes of the base class (typeshed leaves them out)
        p = me._mp_context.Process(
            target=_worker_loop,
            args=(me._call_queue, me._result_queue, me._initializer, (*me._initargs, preload)),
        )
        p.start()
        me._processes[p.pid] = p

    def _adjust_process_count(self) -> None:
        # The base class skips the spawn when its idle-worker count says a worker is free; a worker
        # that exited after being counted idle would then leave queued calls with no process to run
        # them. Here: spawn when the pool is short and holds more calls (running or queued) than it
        # has processes — counted, not remembered, so an exited worker is never counted as free.
        # Not whenever work is waiting: a worker idle at a call's submit then raced a spawned one
        # for it, and the spawned one, holding the queue's read lock since it started, took it and
        # first imported the stage module the idle one had loaded (+1 % 2k/20k runs: boilerplate's
        # call taken 1.1-1.6 s after its submit, with the first worker idle).
        me: Any = self
        if len(me._processes) < me._max_workers and len(me._pending_work_items) > len(me._processes):
            self._spawn_process()


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the pool's workers now (ProcessPoolExecutor has no public way to stop a running call)."""
    global _pool
    _killed.append(pool)
    del _killed[:-8]  # only the last few matter: callers of older pools have long been told
    if _pool is pool:  # no lock: also called from a signal handler, which must never wait
        _pool = None
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    pool = _pool
    return sorted((getattr(pool, "_processes", None) or {}).keys()) if pool is not None else []


def check_stop() -> None:
    """Raise PoolTerminated if the run is being stopped: for the flow's steps that call no worker
    (the release switch), which would otherwise finish a run a signal asked to stop."""
    if _terminated:
        raise PoolTerminated(_terminated)


def terminate(reason: str) -> None:
    """Stop now: kill the workers, fail the running calls and every later one with PoolTerminated."""
    global _terminated
    _terminated = reason
    with _gate.cond:
        _gate.cond.notify_all()  # calls waiting for a worker raise PoolTerminated now
    pool = _pool
    if pool is not None:
        _kill(pool)


def _init_worker(
    parent_pid: int,
    recycle_mb: float | None = None,
    budget_mb: float = WORKER_BUDGET_MB,
    board: Any = None,
    preload: tuple[str, ...] = (),
) -> None:
    global _recycle_mb, _budget_mb
    import importlib

    from tasks import procs

    _recycle_mb, _budget_mb = recycle_mb, budget_mb
    _claim_slot(board)
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", MIMALLOC_PURGE_DELAY_MS)  # read when pyarrow loads: not yet
    procs.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    _warm_up()
    for name in preload:  # a prestarted worker (see `prestart`)
        with contextlib.suppress(Exception):  # a module that fails to import fails its stage's call, with its error
            importlib.import_module(name)


def _warm_up() -> None:
    """Quiet the libraries a stage may load. Stage modules are imported by the first call that
    needs them (once per worker, as before): a worker that only clusters or repairs never
    loads jieba's dictionary, OpenCC or pypinyin."""
    import logging

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # jieba's dictionary-loading chatter would break the progress bar. A filter, not a level:
    # importing jieba (later, in the stage that uses it) sets its logger's level to DEBUG.
    logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)


# In a worker: the stage modules whose calls it has run (what its resident tables belong to), and
# the runners it has run, by memory key (a repeat call of one of those is judged on its repeat calls' growth).
_ran: set[str] = set()
_ran_runners: set[str] = set()
# In a worker: the memory key of the call it ran last. A repeat call counts as warm (judged and recorded
# under WARM) only right after a call of its own key: after other stages the pages its last call freed
# have gone to their objects, and it grows as a first call does. 20k cold (session 18): exports after
# repair and reuse parts grew 360-433 MB against 219-382 MB for back-to-back ones; judged on the back-to-back
# figure, one started at 600 MB held and peaked at 1,033 MB.
_last_runner: str | None = None
# In a worker: what each runner's first call here left resident (MiB; its tables). Until a repeat
# call has been measured anywhere, a repeat call is expected to add the first call's growth less that.
_kept_mb: dict[str, int] = {}
# In a worker: wall-clock time the current call was taken off the executor's call queue (the memory
# log's `taken`: with the previous call's end, whether a hand-over waited for the flow or for the worker).
_taken_at = 0.0
_call_id = 0  # in a worker: the id `run` gave the current call (the memory log's and trace's `id`)
# In a worker: CPU seconds the current call's module import took before it was measured (`_import_runner`): the
# memory log still counts them in the call's `cpu`, so a stage's CPU in bench/ includes its first call's imports.
_import_cpu = 0.0
_call_ids = itertools.count(1)  # in the flow: ids of pool calls, for the trace (MEMORY_LOG_ENV)
# In a worker: its RSS (bytes) after the last full collection, None before its first call (see _release).
_full_rss: int | None = None
# A release walks every object (unfreezes first) once the worker holds this much more than after the last
# full collection: garbage among frozen objects (a cycle of module state a later call dropped) then never
# keeps more than this resident, and the pool's budget check sees whatever it keeps (it judges RSS).
# ~10 % of the 1 GB per process; a new stage's resident tables (extract: +~490 MB) cost one full walk.
FULL_COLLECT_MB = 100
# Between calls a worker keeps the pages its calls freed, up to this RSS, for its next call: giving them
# back after every call (Arrow's mimalloc purge, glibc's malloc_trim) made the next call fault them in
# again, ~6-9 us a 4 KiB page here. A cold 20k run faulted 4.0-4.5 M pages (sys 38-44 of ~290 CPU-s);
# kept as below, 2.5-2.9 M: old and new code run at once (one worker each, the same window for both,
# session 35), 297.1 -> 288.9 and 289.5 -> 279.9 s, sys 43.7 -> 36.6 and 42.1 -> 35.5 s, user equal;
# largest process of two-worker runs 585-665 -> 630-840 MB (with a ten-minute purge delay: see
# MIMALLOC_PURGE_DELAY_MS for the one second kept). Pages are given back when the worker would hold
# more than this, after a runner's first call (what it left resident are its tables: `_kept_mb`),
# when a call would not fit beside them (`_should_recycle`), and after IDLE_GIVE_BACK_SECONDS without
# a call. A call is judged and measured from the worker's size after its last give-back (`_floor`),
# as if the pages were gone: below the 900 MB budget, two kept workers, the flow and the API server
# stay within the 2.5 GB for the tree.
KEEP_PAGES_MB = 800
# A call started beside kept pages records its growth (from `_floor`) only when it grew the worker past
# them by more than this (RSS moves by a few MiB on its own): had it fitted in them, peak - floor would
# be the pages' size, not its need, and a small call would be judged on a large stage's figure.
GREW_PAST_KEPT_MB = 16
IDLE_GIVE_BACK_SECONDS = 1.0  # an idle worker keeps its freed pages this long, then gives them back
# Arrow's allocator (mimalloc) in a worker purges pages free for longer than this (and all of them when
# the worker gives its pages back: `release_pages` forces it). Its default, 10 ms, purged them in the
# hand-over between two calls; -1 never purges them, not even when forced. Ten minutes (session 35)
# kept every page a call had touched until its end: a cold 20k run faulted 2.99 M pages, but at 100k
# calls peaked higher (reuse_finish 932 MiB, repair parts 911; session 31: 779 and 831). One second
# keeps pages across hand-overs (milliseconds) and lets a call's phases give back what they stopped
# using: 3.39 M faults at 20k (4.3 M before), 100k peaks 893 and 809 MiB, largest process 937 MB.
# An operator's own setting is kept.
MIMALLOC_PURGE_DELAY_MS = "1000"
# In a worker: the memory log line of the call just run (MEMORY_LOG_ENV), written once its memory is
# released (`_release`), with how long that took.
_pending_line: dict[str, Any] | None = None
# In a worker: whether it kept the pages its calls freed since it last gave them back (KEEP_PAGES_MB),
# and its RSS (bytes) right after that give-back: what it holds besides those pages, at most (what
# calls since left resident aside). A call's growth is measured and judged from there.
_kept_pages = False
_floor = 0


def _worker_loop(call_queue: Any, result_queue: Any, initializer: Any, initargs: tuple) -> None:
    """concurrent.futures.process._process_worker, plus: a call of a stage module this worker has not
    run that would not fit (`_should_recycle`) is handed back as WorkerRecycled and the worker exits
    (its replacement starts without the tables); a result goes back with the call's RSS growth."""
    from concurrent.futures import process as cf

    global _taken_at, _call_id, _last_runner
    sendback: Any = cf._sendback_result  # private helpers of the loop this one copies
    with_traceback: Any = cf._ExceptionWithTraceback

    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException:  # noqa: BLE001 - as the base class: the parent sees the process stop
            return
    while True:
        _mark(busy=False)
        call_item = _next_call(call_queue)
        _mark(busy=True)
        _taken_at = time.time()
        if call_item is None:
            _mark(busy=True, leaving=True)
            result_queue.put(os.getpid())  # wakes the manager thread, as the base class does
            return
        first, warm = call_item.kwargs.pop("expect_mb", None) or (None, None)
        family = _family(call_item.fn, call_item.args)
        # what the call's growth is recorded under: its runner, or the runner and its kind (KIND)
        runner = call_item.kwargs.pop("memory_key", None) or _runner(call_item.fn, call_item.args)
        _call_id = call_item.kwargs.pop("call_id", 0)
        reuses = call_item.kwargs.pop("warm", True)  # False: a repeat call reuses nothing (see `run`)
        preferred = call_item.kwargs.pop("preferred", frozenset())
        if preferred and os.getpid() not in preferred and _free_workers_here() & preferred:
            sendback(result_queue, call_item.work_id, exception=WorkerDeclined(family))
            del call_item
            time.sleep(DECLINE_BACKOFF_SECONDS)  # the free warm worker reads the queue first
            continue
        seen = runner in _ran_runners
        repeat = seen and runner == _last_runner and reuses
        expect = first
        if repeat:
            guess = None if first is None or runner not in _kept_mb else max(0, first - _kept_mb[runner])
            expect = warm if warm is not None else guess
        if call_item.fn is _call and _kept_pages and (expect is None or _should_recycle(family, expect)):
            _give_back()  # would not fit beside the kept pages (or nothing is known): give them back first
        if call_item.fn is _call and _should_recycle(family, expect):
            _log_recycle(family, expect)
            _mark(busy=True, leaving=True)
            sendback(result_queue, call_item.work_id, exception=WorkerRecycled(family), exit_pid=os.getpid())
            return
        _ran.add(family)
        _ran_runners.add(runner)
        _last_runner = runner
        if call_item.fn in (_call, _call_here):
            _import_runner(call_item.args)  # its imports are the worker's, not the call's growth
        kept_before, held_before = _kept_pages, _rss_bytes()
        before = _floor if kept_before else held_before  # growth as if the kept pages were gone
        exact = _reset_peak()
        started = time.monotonic()
        try:
            r = call_item.fn(*call_item.args, **call_item.kwargs)
        except BaseException as e:  # noqa: BLE001 - handed to the caller, as the base class does
            sendback(result_queue, call_item.work_id, exception=with_traceback(e, e.__traceback__))
            del e
        else:
            peak = _peak_bytes() if exact else 0
            grew = max(0, peak - before) >> 20 if exact else None
            if kept_before and peak <= held_before + (GREW_PAST_KEPT_MB << 20):
                grew = None  # it fitted in the kept pages: what it needed is unknown, at most held - floor
            seconds = time.monotonic() - started
            # the result goes back before the memory is released: the flow (a stage waiting on this
            # call, the next call's submit) need not wait for the release; the next call still does
            sendback(result_queue, call_item.work_id, result=(r, grew, repeat, seconds, os.getpid(), frozenset(_ran)))
            del r
        stage_call = call_item.fn in (_call, _call_here)
        del call_item
        if stage_call:
            # a runner's first call gives its pages back: what it left resident are its tables (_kept_mb)
            _release(keep=seen)
            if not seen:
                _kept_mb[runner] = max(0, _rss_bytes() - before) >> 20


# In a worker: the pool's board (see `_board`) and the index of its (pid, busy) pair there (-1: none).
_my_board: Any = None
_slot = -1


def _claim_slot(board: Any) -> None:
    """Take a free pair of the board (one no live process holds), written as busy until the first wait."""
    global _my_board, _slot
    if board is None:
        return
    with contextlib.suppress(Exception), board.get_lock():
        for i in range(0, len(board), 2):
            pid = board[i]
            if pid == 0 or not _alive(pid):
                board[i + 1], board[i] = 1, os.getpid()
                _my_board, _slot = board, i
                return


def _free_workers_here() -> set[int]:
    """In a worker: the pids the board shows waiting for a call."""
    if _slot < 0:
        return set()
    with contextlib.suppress(Exception):
        values = _my_board[:]
        return {values[i] for i in range(0, len(values), 2) if values[i] and not values[i + 1]}
    return set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _mark(busy: bool, leaving: bool = False) -> None:
    """Show on the board whether this worker waits for a call (`leaving`: it exits, its pair is free)."""
    if _slot < 0:
        return
    with contextlib.suppress(Exception):
        _my_board[_slot + 1] = int(busy)
        if leaving:
            _my_board[_slot] = 0


def _import_runner(args: tuple) -> None:
    """Import the stage module a call runs (tasks.steps passes its runner as "module:function") before the call is
    measured. Imported inside the call, the modules it loads (its own, pyarrow, numpy, pandas, ... in a fresh
    worker: +~200 MiB, a replaced worker's incremental annotate call 18 -> 242 MB) counted as the call's growth, and
    that figure, the runner's largest, then judged its calls in workers that hold those modules already (a needless
    replacement, whose fresh worker imports them again). They stay resident: the worker's size says so. A module
    that fails to import fails its call there, with its error."""
    import importlib

    global _import_cpu
    started, rest = time.process_time(), args[1:]
    if rest and isinstance(rest[0], str) and ":" in rest[0]:
        with contextlib.suppress(Exception):
            importlib.import_module(rest[0].split(":", 1)[0])
    _import_cpu = time.process_time() - started


def _next_call(call_queue: Any) -> Any:
    """The next call off the executor's queue; a worker that kept freed pages gives them back once it
    has waited IDLE_GIVE_BACK_SECONDS (a stage's last shard on the other worker, the flow between stages)."""
    import queue

    if _kept_pages:
        try:
            return call_queue.get(block=True, timeout=IDLE_GIVE_BACK_SECONDS)
        except queue.Empty:
            _give_back()
    return call_queue.get(block=True)


def _family(wrapper: Any, args: tuple) -> str:
    """The stage module a pool call runs: tasks.steps passes the runner as "module:function" first."""
    fn, rest = (args[0], args[1:]) if args else (wrapper, ())
    if rest and isinstance(rest[0], str) and ":" in rest[0]:
        return rest[0].split(":", 1)[0]
    return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', fn)}"


def _runner(wrapper: Any, args: tuple) -> str:
    """The runner a pool call runs ("module:function"): what its memory growth is recorded under."""
    fn, rest = (args[0], args[1:]) if args else (wrapper, ())
    if rest and isinstance(rest[0], str) and ":" in rest[0]:
        return rest[0]
    return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', fn)}"


def _should_recycle(family: str, expect_mb: int | None) -> bool:
    """Replace this worker (it has run something) before a call that would take it past the budget.

    With the call's growth known: what the worker holds plus that growth (GROWTH_MARGIN) passes `budget_mb` — checked
    on every call, not only a stage's first: at 20k an export shard (+350 MB) ran in a worker that
    reuse and repair parts had left at ~630 MB, and peaked at 1,017 MB. Unknown growth: the stage is
    new to the worker and the worker holds more than `recycle_mb`. A worker at or below
    FRESH_WORKER_MB is never replaced: a fresh one would not be much smaller. A runner's repeat call
    in a worker comes with its repeat calls' growth (the worker holds its tables already: see WARM)."""
    if _recycle_mb is None or not _ran:
        return False
    held = _rss_bytes() >> 20
    if held <= min(FRESH_WORKER_MB, _recycle_mb):
        return False
    if expect_mb is None:
        return family not in _ran and held > _recycle_mb
    # with freed pages kept, the call reuses them before it grows the worker past them
    base = _floor >> 20 if _kept_pages else held
    return max(held, base + expect_mb * GROWTH_MARGIN) > _budget_mb


def _reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM) so `_peak_bytes` gives the next call's; False: not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) << 10
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _log_recycle(family: str, expect_mb: int | None) -> None:
    if not os.environ.get(MEMORY_LOG_ENV):
        return
    import json

    held = round(_rss_bytes() / 2**20)
    line = dict(recycle=family, pid=os.getpid(), mb_held=held, mb_expected=expect_mb, ran=sorted(_ran))
    with contextlib.suppress(OSError), open(os.environ[MEMORY_LOG_ENV], "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


def trace(event: str, **fields: Any) -> None:
    """With MEMORY_LOG_ENV set (bench/), one JSON line for a flow-side event (a stage submitted, a
    step's body started or ended, the flow seeing a step finish) beside the workers' call lines: where
    the time between two calls goes (bench.overhead prints it). Nothing without the variable."""
    path = os.environ.get(MEMORY_LOG_ENV)
    if not path:
        return
    import json

    line = json.dumps(dict(event=event, at=round(time.time(), 3), **fields), default=str)
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _minor_faults() -> int:
    """This process's minor page faults so far (/proc/self/stat; 0 where there is none)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            return int(fh.read().rpartition(")")[2].split()[7])
    except (OSError, ValueError, IndexError):
        return 0


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _call(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker; the worker loop then sends the result back and releases the memory the
    call freed (`_release`) before it takes the next call.

    A stage frees its tables when it returns, but glibc's malloc and Arrow's allocator keep the
    freed pages for reuse: an idle worker would stay as big as its largest call, and the next
    stage would peak on top of that (measured at 5k: ~100-200 MB left after each normalize call)."""
    if os.environ.get(MEMORY_LOG_ENV):
        return _measured(fn, *args)
    return fn(*args)


def _call_here(fn: Callable[..., T], *args: Any) -> T:
    """`_call`, never handed back: a call recycled MAX_RECYCLES times runs where it lands."""
    return _call(fn, *args)


def _release(keep: bool = False) -> None:
    """After a call in a worker: collect what it made since the last release and, unless `keep` (its
    next call reuses them, KEEP_PAGES_MB), give the freed pages back to the OS.

    A full collection walks every tracked object the worker holds: its stage modules, Arrow's and
    jieba's tables stay resident between calls, so each release cost ~20-30 CPU-ms (session 9) —
    on every one of a +1 % run's ~80 hand-overs, where the next call was already queued. The objects
    alive after a release are frozen (`gc.freeze`: later collections skip them, automatic ones
    during a call too), so the next release walks only what its call made. Garbage those frozen
    objects form later (a cycle of module state a later call drops) is kept until the worker holds
    FULL_COLLECT_MB more than after its last full collection; then everything is unfrozen and walked.
    Measured on a loaded +1 % 20k run (load ~10 on 2 cores, py-spy attached): a full release took
    0.2-1.5 s of wall (gc.collect: 547 of 559 py-spy samples in release_memory), one that walks only
    the call's objects 8-20 ms; a full walk on every change of stage module still cost 16 worker-s."""
    import gc

    global _kept_pages
    started = time.monotonic()
    full = _full_rss is None
    if full:
        gc.unfreeze()
    gc.collect()
    if full or not keep or _rss_bytes() > KEEP_PAGES_MB << 20:
        full = _give_back(full)
    else:
        _kept_pages = True
    gc.freeze()
    global _pending_line
    line, _pending_line = _pending_line, None
    if line is not None:
        import json

        line["release"] = round(time.monotonic() - started, 3)
        line["full"] = full
        with contextlib.suppress(OSError), open(os.environ[MEMORY_LOG_ENV], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")


def _give_back(full: bool = False) -> bool:
    """Give the worker's freed pages back to the OS (`release_pages`); walk every object first when it
    holds FULL_COLLECT_MB more than after its last full walk (garbage among the frozen objects).
    True: every object was walked."""
    import gc

    global _full_rss, _kept_pages, _floor
    release_pages()
    if not full and _rss_bytes() > (_full_rss or 0) + (FULL_COLLECT_MB << 20):
        full = True
        gc.unfreeze()
        gc.collect()
        release_pages()
    if full:
        _full_rss = _rss_bytes()
        gc.freeze()
    _kept_pages = False
    _floor = _rss_bytes()
    return full


def release_memory() -> None:
    """Return freed memory to the OS: Python's garbage, Arrow's memory pool, glibc's free lists."""
    import gc

    gc.collect()
    release_pages()


def release_pages() -> None:
    """Give freed pages back to the OS: Arrow's memory pool (purged whatever its delay), glibc's free lists."""
    import sys

    if "pyarrow" in sys.modules:  # never import it just for this
        with contextlib.suppress(Exception):
            sys.modules["pyarrow"].default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _measured(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args), logging its peak RSS in this worker to the MEMORY_LOG_ENV file: exact (VmHWM) where
    the kernel lets us reset it, else sampled (a short spike between samples is then missed)."""
    import json
    import time

    before = peak = _rss_bytes()
    faults = _minor_faults()
    exact = _reset_peak()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(MEMORY_SAMPLE_SECONDS):
            peak = max(peak, _rss_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    at, started, cpu = time.time(), time.monotonic(), time.process_time()
    sampler.start()
    try:
        return fn(*args)
    finally:
        stop.set()
        sampler.join()
        ended = time.monotonic()
        after = _rss_bytes()
        if exact:
            peak = max(peak, _peak_bytes())
        label = args[0] if args and isinstance(args[0], str) else getattr(fn, "__name__", str(fn))
        line = dict(
            call=label,
            pid=os.getpid(),
            mb_before=round(before / 2**20),
            mb_peak=round(max(peak, after) / 2**20),
            mb_after=round(after / 2**20),
            faults=_minor_faults() - faults,  # pages first touched (or mapped from the page cache) by the call
            seconds=round(ended - started, 2),
            # this process's CPU (the sampler's too; and the import of the call's module before it: `_import_runner`)
            cpu=round(time.process_time() - cpu + (_import_cpu if _taken_at else 0.0), 2),  # below `seconds` = waits
            at=round(at, 3),  # wall-clock start: with the others', where workers waited between calls
            id=_call_id,
            taken=round(_taken_at, 3),  # when the worker took the call off the queue (0: not in a pool worker)
        )
        if _taken_at:  # in a pool worker: written after the release, with its seconds (`_release`)
            global _pending_line
            _pending_line = line
        else:
            with contextlib.suppress(OSError), open(os.environ[MEMORY_LOG_ENV], "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")


def shutdown() -> None:
    """Wait for running calls and stop the workers (kill them at once after `terminate`)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        if _terminated:
            _kill(pool)
        else:
            pool.shutdown(wait=True, cancel_futures=True)

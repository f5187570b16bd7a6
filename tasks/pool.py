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
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
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

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_killed: list[ProcessPoolExecutor] = []  # pools killed on purpose (a timeout, or terminate)
_workers = 1
_inline = False
_terminated: str | None = None
# Workers are spawned by the thread that submits; the kernel's parent-death signal fires when
# THAT thread exits, so every submit goes through this one thread, which lives as long as the process.
_submitter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianghua-pool-submit")


class PoolTerminated(RuntimeError):
    """The run is being stopped (SIGTERM/SIGINT): not transient, never retried."""


class ShardTimeout(RuntimeError):
    """A call ran past its timeout; its worker was killed. Not transient: the same input would hang again."""


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def configure(workers: int | None) -> int:
    """Set the number of worker processes (None: every core; 0: inline). Returns the number set."""
    global _workers, _inline, _terminated
    shutdown()
    _terminated = None
    _inline = workers == 0 or os.environ.get(INLINE_ENV, "") not in ("", "0")
    _workers = default_workers() if workers is None else max(1, workers)
    return _workers


def inline() -> bool:
    return _inline


def workers() -> int:
    """How many calls run at once (1 inline): what a step splitting its work into calls divides by."""
    return 1 if _inline else _workers


def run(fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
    """Run fn(*args) in a worker process (inline in inline mode).

    With `timeout` (seconds), a call still running after that long has its pool's workers
    killed and raises ShardTimeout; calls that were sharing the killed pool are resubmitted."""
    if _terminated:
        raise PoolTerminated(_terminated)
    if _inline or multiprocessing.current_process().daemon:
        return fn(*args)  # a daemonic process (a Dask worker) may not start workers of its own
    for attempt in range(MAX_RESUBMITS + 1):
        pool = _get_pool()
        future: Future = _submitter.submit(pool.submit, _call, fn, *args).result()
        try:
            return future.result(timeout=timeout)
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
                continue  # another call's timeout killed this pool: not this call's fault
            raise  # a worker died (out of memory?): the retry gets a fresh pool
    raise AssertionError("unreachable")


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(os.getpid(),),
            )
        return _pool


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


def terminate(reason: str) -> None:
    """Stop now: kill the workers, fail the running calls and every later one with PoolTerminated."""
    global _terminated
    _terminated = reason
    pool = _pool
    if pool is not None:
        _kill(pool)


def _init_worker(parent_pid: int) -> None:
    from tasks import procs

    procs.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    _warm_up()


def _warm_up() -> None:
    """Quiet the libraries a stage may load. Stage modules are imported by the first call that
    needs them (once per worker, as before): a worker that only clusters or repairs never
    loads jieba's dictionary, OpenCC or pypinyin."""
    import logging

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # jieba's dictionary-loading chatter would break the progress bar. A filter, not a level:
    # importing jieba (later, in the stage that uses it) sets its logger's level to DEBUG.
    logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _call(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker, then hand the memory it freed back to the system.

    A stage frees its tables when it returns, but glibc's malloc and Arrow's allocator keep the
    freed pages for reuse: an idle worker would stay as big as its largest call, and the next
    stage would peak on top of that (measured at 5k: ~100-200 MB left after each normalize call)."""
    try:
        return _measured(fn, *args) if os.environ.get(MEMORY_LOG_ENV) else fn(*args)
    finally:
        release_memory()


def release_memory() -> None:
    """Return freed memory to the OS: Python's garbage, Arrow's memory pool, glibc's free lists."""
    import gc
    import sys

    gc.collect()
    if "pyarrow" in sys.modules:  # never import it just for this
        with contextlib.suppress(Exception):
            sys.modules["pyarrow"].default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _measured(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args), logging its peak RSS in this worker (sampled) to the MEMORY_LOG_ENV file."""
    import json
    import time

    before = peak = _rss_bytes()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(MEMORY_SAMPLE_SECONDS):
            peak = max(peak, _rss_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    try:
        return fn(*args)
    finally:
        stop.set()
        sampler.join()
        after = _rss_bytes()
        label = args[0] if args and isinstance(args[0], str) else getattr(fn, "__name__", str(fn))
        line = dict(
            call=label,
            pid=os.getpid(),
            mb_before=round(before / 2**20),
            mb_peak=round(max(peak, after) / 2**20),
            mb_after=round(after / 2**20),
            seconds=round(time.monotonic() - started, 2),
        )
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

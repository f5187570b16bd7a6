"""One pool of worker processes for the CPU-bound stage code.

Prefect runs the shard tasks on threads (one API server, no per-worker temporary servers);
each task hands its shard to this pool, so all cores work while Prefect only records state.
Workers are spawned, not forked: the flow process has threads and an API client running.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_workers = 1


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def configure(workers: int | None) -> int:
    """Set the number of worker processes; 1 runs everything in this process (easy to debug)."""
    global _workers
    shutdown()
    _workers = max(1, workers or default_workers())
    return _workers


def run(fn: Callable[..., T], *args: Any) -> T:
    """Run fn(*args) in a worker process, or inline when the pool has one worker."""
    if _workers <= 1:
        return fn(*args)
    pool = _get_pool()
    try:
        return pool.submit(fn, *args).result()
    except BrokenProcessPool:
        _discard(pool)  # a worker died (out of memory?): the retry gets a fresh pool
        raise


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_up,
            )
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    """Import the heavy stage modules once per worker, not once per shard."""
    import logging

    import jieba

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter would break the progress bar
    import tasks.dedupe
    import tasks.extract
    import tasks.normalize  # noqa: F401


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None

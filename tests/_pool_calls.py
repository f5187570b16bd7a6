"""The calls tests/test_pool.py sends to worker processes, in a module of their own.

A spawned worker imports the module of every function it is sent: from tests/test_pool.py that was pytest and
the test module too (~0.23 CPU-s and ~0.3-1 s of wall a spawn, on ~100 spawns of the file). Only what a worker
runs lives here; it imports nothing a stage would not."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

from tasks import pool
from tasks.procs import TimeBudgetExceeded, time_budget


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


def _meet(folder: str, n: int) -> int:
    """Wait (up to RENDEZVOUS_SECONDS) until `n` workers are inside this call at once, then return this pid. Calls
    that must run at the same time meet instead of sleeping: a sleep was shorter than a spawn under heavy load
    (the first worker finished and took the second call too), a rendezvous never is."""
    mine = Path(folder) / str(os.getpid())
    mine.touch()
    deadline = time.monotonic() + RENDEZVOUS_SECONDS
    while len(list(Path(folder).iterdir())) < n and time.monotonic() < deadline:
        time.sleep(0.02)
    return os.getpid()


def _meet_then_loaded(folder: str, n: int) -> tuple[int, bool]:
    return _meet(folder, n), "tasks.ingest" in sys.modules


RENDEZVOUS_SECONDS = 60  # far above a spawn on a loaded CI machine (~1-5 s); only a serialized pool waits it out


def _other_pid(_: int) -> int:
    return os.getpid()  # a second "stage": another function than _pid


_held: list[bytes] = []


def _hold_mb(mb: int) -> int:
    """A stage that leaves a table resident in its worker (as extract leaves jieba's)."""
    _held.append(b"x" * (mb << 20))
    return os.getpid()


def _passing_mb(mb: int) -> int:
    """A stage that needs `mb` while it runs and keeps nothing."""
    return len(b"x" * (mb << 20)) and os.getpid()


def _passing_big_mb(mb: int) -> int:
    return _passing_mb(mb)


_tables: list[bytes] = []


def _tables_then_passing_mb(tables_mb: int, passing_mb: int) -> int:
    """extract's shape: its first call in a worker loads tables it keeps, every call needs `passing_mb`."""
    if not _tables:
        _tables.append(b"t" * (tables_mb << 20))
    return len(b"x" * (passing_mb << 20)) and os.getpid()


def _rss_mb(_: int) -> tuple[int, int]:
    return os.getpid(), pool._rss_bytes() >> 20


def _budgeted(pattern: str, text: str, seconds: float) -> str:
    try:
        with time_budget(seconds):
            re.match(pattern, text)
        return "finished"
    except TimeBudgetExceeded as exc:
        return f"timeout: {exc}"


def _sleep_then_tag(seconds: float, tag: str) -> str:
    time.sleep(seconds)
    return tag


def _writes_or_patches_mb(mb: int) -> int:
    """export's shape: a cold call writes the whole shard (needs much), a patching call little."""
    return _passing_mb(mb)


_release_hook: list = []


def _hold_release_until(flag: str) -> int:
    """A stage whose worker's next full collection (the pool's release after this call) waits until
    `flag` exists (at most 20 s, then it leaves a `.gave-up` file): when the result arrives before the
    flag is made, it was sent back before the release."""
    import gc

    def hold(phase: str, info: dict) -> None:
        if phase != "start" or info["generation"] != 2 or not _release_hook:
            return
        _release_hook.clear()
        gc.callbacks.remove(hold)
        deadline = time.monotonic() + 20
        while not os.path.exists(flag):
            if time.monotonic() > deadline:
                Path(flag + ".gave-up").touch()
                return
            time.sleep(0.01)

    gc.callbacks.append(hold)
    _release_hook.append(True)  # armed last: a collection inside this call is not the release
    return os.getpid()


class _Node:
    """An object in a reference cycle: only a collection frees it."""


_cycle_refs: list = []  # (the module state holding the cycle, a weak reference to it)


def _module_cycle(op: str) -> bool:
    """One runner, several calls: "make" keeps a cycle in module state (as a stage's cache may),
    "drop" lets go of it (a repeat call: the cycle is now garbage among frozen objects), "alive"
    says whether it is still in memory."""
    import weakref

    if op == "make":
        node = _Node()
        node.me = node  # type: ignore[attr-defined]
        _cycle_refs[:] = [node, weakref.ref(node)]
    elif op == "drop":
        del _cycle_refs[0]
    return _cycle_refs[-1]() is not None


def _freeze_count(_: int) -> int:
    import gc

    return gc.get_freeze_count()


def _loaded(names: tuple[str, ...]) -> list[bool]:
    return [name in sys.modules for name in names]


def _meet_then_dataset(folder: str, n: int) -> tuple[int, bool]:
    return _meet(folder, n), "pyarrow.dataset" in sys.modules and "pandas" in sys.modules


def _arrow_mb(mb: int) -> tuple[int, int]:
    """A stage whose working memory is Arrow's (as normalize's batches are): `mb` MiB allocated,
    touched and freed. Returns the worker's pid and its RSS when the call started (MiB)."""
    import pyarrow as pa

    start = pool._rss_bytes() >> 20
    buffers = [pa.allocate_buffer(1 << 20) for _ in range(mb)]
    for b in buffers:
        memoryview(b).cast("B")[::4096] = b"\x01" * (len(b) // 4096)  # touched: resident, as real work makes it
    del buffers
    return os.getpid(), start


def _arrow_other_mb(mb: int) -> tuple[int, int]:
    return _arrow_mb(mb)  # another runner with the same shape


def _warm_tables(_: int) -> int:
    """A stage whose worker keeps tables another stage's calls use (extract's segmenter, for annotate)."""
    return os.getpid()


def _meet_then_sleep_if(folder: str, n: int, pid: int, seconds: float) -> int:
    """`_meet`, then sleep `seconds` in worker `pid` only: the two calls meet, one in each worker. The sleep ends
    early once `end_busy(folder)` was called: a test that has checked what it needed of the busy worker does not
    wait out the rest (it held the file's tests ~20 s in all)."""
    _meet(folder, n)
    if os.getpid() == pid:
        deadline, stop = time.monotonic() + seconds, Path(folder + ".stop")
        while time.monotonic() < deadline and not stop.exists():
            time.sleep(min(0.02, max(0.0, deadline - time.monotonic())))
    return os.getpid()


def end_busy(folder: str | Path) -> None:
    """End `_meet_then_sleep_if`'s sleep in `folder`'s busy worker now."""
    Path(f"{folder}.stop").touch()


_cycles: list = []


def _sleep_then_garbage(seconds: float, cycles: int) -> int:
    """Sleep, then leave `cycles` reference cycles behind: the worker's release after the call (a full collection)
    takes a while, as a stage call's release does on a loaded machine, before the worker reads its queue again."""
    time.sleep(seconds)
    for _ in range(cycles):
        a: list = []
        a.append(a)
    return os.getpid()


def _started_at(tag: str, folder: str) -> int:
    (Path(folder) / tag).write_text(str(time.monotonic()))
    return os.getpid()

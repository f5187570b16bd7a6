"""Process hygiene: nothing the run started outlives it, and a signal stops it within seconds.

- Workers call `die_with_parent()` (Linux prctl PR_SET_PDEATHSIG): the kernel SIGKILLs them the
  moment the process that spawned them dies, kill -9 and the OOM killer included.
- `start_watchdog()` starts a tiny process that remembers the run's process tree (from /proc)
  and SIGKILLs whatever is left of it once the main process is gone — Prefect's temporary API
  server (a `python -m uvicorn` subprocess started by prefect.server.api.server.
  SubprocessASGIServer, stopped only by an atexit hook that kill -9 skips) and any grandchild.
  At a normal end it is told which processes were asked to stop (the CLI's temporary server) and
  waits for them, killing them after LINGER_SECONDS, so that the CLI itself need not wait.
- `StopOnSignal` runs the flow in a thread and keeps SIGTERM/SIGINT for the main thread: Prefect's
  engine installs its own SIGTERM handler only in the main thread (prefect.utilities.engine.
  capture_sigterm), and with it one SIGTERM unwound into `pool.shutdown(wait=True)`, which waits
  for every running shard. Here a signal kills the workers at once, the flow unwinds (the output
  lock is released, the previous release stays current) and the CLI exits 128+signal.
- `time_budget(seconds)` bounds one document's work in a worker's main thread (SIGALRM).
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_POLL_SECONDS = 0.25  # how often the watchdog looks: orphans die within about this long
# Prefect's temporary server, sent SIGTERM at a run's end, takes ~0.2 s to shut down (uvicorn checks
# its exit flag every 0.1 s, then closes connections and the app's services); the CLI used to wait
# for it. The watchdog waits instead, this long at most (Prefect's own SubprocessASGIServer.stop
# waits 5 s too), then kills it.
LINGER_SECONDS = 5.0
LINGER_POLL_SECONDS = 0.02
# After SIGTERM/SIGINT the workers are dead at once; the flow then only records its state in
# Prefect and releases the lock (well under a second on the test box). If it has not unwound after
# this long, the CLI exits anyway: the lock is an flock the kernel releases, and the previous
# release is current because the switch is one rename.
STOP_GRACE_SECONDS = 10.0


# ----------------------------------------------------------------------------- dying together


def die_with_parent(parent_pid: int | None = None) -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; False elsewhere).

    The "parent" is the thread that spawned us, so tasks.pool spawns workers from one thread that
    lives as long as the process. If the parent is already gone (it died before this call), die now."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in clock ticks) of a live process, None when it is gone."""
    try:  # os.open/os.read, not open(): the watchdog reads every process's stat 4 times a second (~40 % less CPU)
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
    except OSError:
        return None
    try:
        data = os.read(fd, 4096)  # one line: pid (comm) state ppid ... ~300 bytes
    except OSError:
        return None
    finally:
        os.close(fd)
    if b")" not in data:
        return None
    fields = data[data.rindex(b")") + 2 :].split()  # the command name may hold spaces and parens
    if fields[0] == b"Z":
        return None  # a zombie is already dead; killing it does nothing
    return int(fields[1]), int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every live descendant of `root`: pid -> start time (the pair survives pid reuse)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None:
                children.setdefault(st[0], []).append((int(name), st[1]))
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for pid, start in children.get(todo.pop(), []):
            if pid not in found:
                found[pid] = start
                todo.append(pid)
    return found


def kill_all(procs: dict[int, int]) -> list[int]:
    """SIGKILL each (pid, start time) that is still the same process."""
    killed = []
    for pid, start in procs.items():
        st = _stat(pid)
        if st is not None and st[1] == start:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
    return killed


def _watch(main_pid: int, adopted: Sequence[str] = ()) -> None:
    """Watchdog loop: remember the main process's tree; when the main process is gone, kill it.

    `adopted`: "pid:start" of processes the main process started before this one (Prefect's server),
    known from the first moment: a main process killed before the loop's first look (this process's
    own start and imports, ~0.1-0.3 s) left them running. A normal end says so on stdin
    (`Watchdog.stop(linger=...)`): the processes named there were asked to stop and get
    LINGER_SECONDS to exit on their own before they are killed."""
    import select

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and a group SIGTERM are the main process's
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    me = os.getpid()
    known: dict[int, int] = {int(p): int(s) for p, _, s in (a.partition(":") for a in adopted)}
    said = b""
    while os.getppid() == main_pid:  # reparented = the main process died
        tree = descendants(main_pid)
        tree.pop(me, None)
        known = {p: s for p, s in known.items() if _stat(p) is not None} | tree
        if select.select([0], [], [], WATCH_POLL_SECONDS)[0]:
            chunk = os.read(0, 4096)
            said += chunk
            if not chunk or said.endswith(b"\n"):  # the main process closed its end, or died
                break
    words = said.split()
    if words[:1] == [b"linger"] and len(words) > 2:
        _linger({p: st[1] for p in map(int, words[2:]) if (st := _stat(p)) is not None}, float(words[1]))
        return
    for _ in range(3):  # a killed worker's own children are found on the next pass
        killed = kill_all(known)
        more: dict[int, int] = {}
        for pid in killed:
            more |= descendants(pid)
        known = more
        if not known:
            break


def _linger(procs: dict[int, int], seconds: float) -> None:
    """Wait up to `seconds` for processes that were asked to stop, then kill what is left."""
    null = os.open(os.devnull, os.O_WRONLY)  # the run's stdout/stderr close when the main process exits
    os.dup2(null, 1)
    os.dup2(null, 2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        procs = {p: s for p, s in procs.items() if (st := _stat(p)) is not None and st[1] == s}
        if not procs:
            return
        time.sleep(LINGER_POLL_SECONDS)
    kill_all(procs)


class Watchdog:
    def __init__(self, proc: subprocess.Popen | None):
        self.proc = proc

    def stop(self, linger: Sequence[int] = (), seconds: float = LINGER_SECONDS) -> None:
        """The run ended normally: the watchdog is no longer needed. Processes in `linger` were asked
        to stop (Prefect's server, SIGTERM): the watchdog gives them `seconds`, then kills them, so
        that this process need not wait for them."""
        if self.proc is None or self.proc.poll() is not None:
            return
        if linger and self.proc.stdin is not None:
            with contextlib.suppress(OSError):  # the watchdog died: nobody to hand them to, nothing to wait for
                self.proc.stdin.write(f"linger {seconds} {' '.join(map(str, linger))}\n".encode())
                self.proc.stdin.close()
                return
        self.proc.kill()
        self.proc.wait()


def start_watchdog(adopt: Sequence[int] = ()) -> Watchdog:
    """Start the watchdog for this process (Linux with /proc; a no-op elsewhere).

    `adopt`: pids of children already started (Prefect's server), named to the watchdog on its
    command line with their start times, so it kills them even if this process dies before the
    watchdog's first look at the tree. What remains unguarded is the few milliseconds between
    such a child's start and this call."""
    if not os.path.isdir("/proc/self") or not sys.platform.startswith("linux"):
        return Watchdog(None)
    adopted = [f"{pid}:{st[1]}" for pid in adopt if (st := _stat(pid)) is not None]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tasks.procs import _watch; _watch(int(sys.argv[1]), sys.argv[2:])",
            str(os.getpid()),
            *adopted,
        ],
        stdin=subprocess.PIPE,  # Watchdog.stop's word; end of file when this process dies
        close_fds=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_repo_root(), os.environ.get("PYTHONPATH")) if p)},
    )
    return Watchdog(proc)


def _repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ----------------------------------------------------------------------------- stopping on a signal


_stop_signal: int | None = None  # set by StopOnSignal's handler; never cleared by the pool


def stop_requested() -> str | None:
    """Why the run is stopping (a signal arrived during StopOnSignal.run), or None.

    The pool's `configure` starts from this rather than from "not stopped": a signal that arrives
    while the flow starts, before its pool exists, must still stop the run."""
    return None if _stop_signal is None else f"the run was stopped by {signal.Signals(_stop_signal).name}"


class Stopped(Exception):
    """The run was stopped by SIGTERM/SIGINT; `exit_code` is 128 + the signal number.

    `finished` holds the run's result when the signal came after the run could no longer stop
    (its release already switched): the exit code still says a signal ended it, the message must
    not say the previous release is current."""

    def __init__(self, signum: int, hard: bool = False, finished: Any = None):
        self.signum = signum
        self.signame = signal.Signals(signum).name
        self.exit_code = 128 + signum
        self.hard = hard
        self.finished = finished
        super().__init__(f"stopped by {self.signame}")


class StartStopped(BaseException):
    """A signal while the command was starting (`StopOnSignal.guard_start`): nothing ran yet.

    A BaseException, so that no `except Exception` on the start's path (Prefect's import and plugin
    set-up, the pool's prestart) swallows it; `run` refuses to start after one anyway."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"stopped by {signal.Signals(signum).name} before the run started")


class StopOnSignal:
    """Run a function in a thread; SIGTERM/SIGINT kill the workers and stop it within seconds.

    `on_signal(signum)` runs in the main thread as soon as a signal arrives (tasks.pool.terminate
    by default). A second signal, or a run that has not unwound after STOP_GRACE_SECONDS, ends
    the process at once with exit code 128+signal (`on_hard_exit` runs first)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(
        self,
        on_signal: Callable[[int], None] | None = None,
        on_hard_exit: Callable[[int], None] | None = None,
        grace_seconds: float = STOP_GRACE_SECONDS,
    ):
        self.on_signal = on_signal or _terminate_pool
        self.on_hard_exit = on_hard_exit
        self.grace = grace_seconds
        self.signum: int | None = None
        self.deadline = 0.0
        self._original: dict[signal.Signals, Any] | None = None
        self._early: int | None = None  # a signal the start-up guard saw

    def guard_start(self) -> None:
        """From now until `run` takes over, a signal raises Stopped in the main thread.

        The CLI spends seconds starting Prefect's server and its first workers before the run (a
        busy box: a minute); nothing is written then, so a signal there ends the command with a
        message and 128+signal instead of a silent kill (SIGTERM) or a traceback (SIGINT). `run`
        replaces the guard and restores the handlers found here. Installed after the server's
        process is launched: a Stopped raised inside `Popen` could leave it without an owner."""
        if threading.current_thread() is threading.main_thread() and self._original is None:
            self._original = {s: signal.signal(s, self._guard) for s in self.SIGNALS}

    def _guard(self, signum: int, frame: Any) -> None:
        self._early = self._early or signum
        raise StartStopped(signum)

    def end_guard(self) -> None:
        """The handlers `guard_start` found, back (a start that ends before `run`)."""
        for s, h in (self._original or {}).items():
            signal.signal(s, h)
        self._original = None

    def _handler(self, signum: int, frame: Any) -> None:
        global _stop_signal
        if self.signum is not None:  # second signal: no more waiting
            self._hard_exit(signum)
        self.signum = signum
        _stop_signal = signum
        self.deadline = time.monotonic() + self.grace
        self.on_signal(signum)

    def _hard_exit(self, signum: int) -> None:
        if self.on_hard_exit is not None:
            with contextlib.suppress(Exception):
                self.on_hard_exit(signum)
        with contextlib.suppress(Exception):
            kill_all(descendants(os.getpid()) if os.path.isdir("/proc") else {})
        os._exit(128 + signum)

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """fn's result; Stopped if a signal arrived while it ran, even if it then finished."""
        global _stop_signal
        if threading.current_thread() is not threading.main_thread():
            return fn(*args, **kwargs)  # signals belong to the main thread: nothing to install
        if self._early is not None:  # the start-up guard's signal, caught on its way: do not start
            raise StartStopped(self._early)
        outcome: dict[str, Any] = {}
        _stop_signal = None
        context = contextvars.copy_context()  # the caller's settings contexts hold in the run's thread

        def target() -> None:
            try:
                outcome["value"] = context.run(fn, *args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                outcome["error"] = exc

        previous = {s: signal.signal(s, self._handler) for s in self.SIGNALS}
        try:
            worker = threading.Thread(target=target, name="jianghua-run", daemon=True)
            worker.start()
            while worker.is_alive():
                worker.join(0.1)
                if self.signum is not None and time.monotonic() > self.deadline:
                    self._hard_exit(self.signum)
        finally:
            if self._original is not None:  # the guard ends with the run: the handlers found before it
                previous, self._original = self._original, None
            for s, h in previous.items():
                signal.signal(s, h)
            _stop_signal = None
        if self.signum is not None:  # a run that finished anyway is still reported as stopped
            if "error" in outcome:
                raise Stopped(self.signum) from outcome["error"]
            raise Stopped(self.signum, finished=outcome.get("value"))
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")


def _terminate_pool(signum: int) -> None:
    from tasks import pool

    pool.terminate(f"the run was stopped by {signal.Signals(signum).name}")


# ----------------------------------------------------------------------------- time budget


class TimeBudgetExceeded(BaseException):
    """One document took longer than its budget; the stage runner turns it into a `timeout` reject.

    A BaseException, as KeyboardInterrupt: the stage code's guards (`except Exception` around one field or one side
    table, so that one failing keeps the others) caught it as an error, and the alarm, which fires once, was spent —
    the rest of the document then ran with no budget and its flag said `error`, not `timeout`."""


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise TimeBudgetExceeded inside the block once `seconds` have passed (wall clock).

    Works in the main thread of a process (every tasks.pool worker runs stage code there) via
    SIGALRM, which also interrupts long regex matches. Elsewhere (inline runs in a Prefect task
    thread) it is a no-op: the shard-level pool timeout is the backstop. Budgets nest: the
    shorter one wins and an outer budget keeps counting."""
    if (
        not seconds
        or seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return
    started = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)

    def expired(signum: int, frame: Any) -> None:
        raise TimeBudgetExceeded(f"took longer than its time budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    if outer_left and outer_left < seconds:
        signal.signal(signal.SIGALRM, previous)  # the outer budget ends first: let it fire
        signal.setitimer(signal.ITIMER_REAL, outer_left)
    else:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(1e-6, outer_left - (time.monotonic() - started)))

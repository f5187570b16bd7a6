"""Stopping on a signal, in process: a signal is never lost, whenever in the run it arrives."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tasks import pool, procs
from tasks.publish import OutputBusy, output_lock

pytestmark = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signal handlers need the main thread"
)


def _signal_self_then(value, wait: float = 0.3):
    """The run's thread: SIGTERM arrives, and the function finishes anyway (nothing it calls checks)."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(wait)  # the main thread's handler runs meanwhile
    return value


def test_a_run_that_finishes_after_the_signal_is_still_reported_stopped():
    seen: list[int] = []
    stopper = procs.StopOnSignal(on_signal=seen.append)
    with pytest.raises(procs.Stopped) as stopped:
        stopper.run(_signal_self_then, {"release": "abc"})
    assert seen == [signal.SIGTERM]
    assert stopped.value.exit_code == 143 and stopped.value.finished == {"release": "abc"}
    assert procs.stop_requested() is None  # cleared for the next run in this process


def test_a_run_without_a_signal_returns_its_value():
    assert procs.StopOnSignal(on_signal=lambda s: None).run(lambda: 7) == 7
    assert procs.stop_requested() is None


def test_a_signal_before_the_pool_is_configured_still_stops_the_calls():
    """configure() used to start every flow from "not stopped": a SIGTERM during the flow's start
    (before its pool existed) was dropped and the run went on to publish."""

    def flow_start() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.3)
        pool.configure(0)  # what the flow does after its start
        pool.check_stop()

    with pytest.raises(procs.Stopped) as stopped:
        procs.StopOnSignal(on_signal=lambda s: None).run(flow_start)
    assert isinstance(stopped.value.__cause__, pool.PoolTerminated)
    assert "SIGTERM" in str(stopped.value.__cause__)
    pool.configure(0)  # a later run in this process starts unstopped
    pool.check_stop()


def test_a_signal_while_waiting_for_the_output_lock_stops_the_wait(tmp_path):
    def second_run() -> None:
        with output_lock(tmp_path, wait_seconds=60):
            pass

    with output_lock(tmp_path):  # another run holds the folder
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        started = time.monotonic()
        with pytest.raises(procs.Stopped) as stopped:
            procs.StopOnSignal(on_signal=lambda s: None).run(second_run)
        timer.join()
    assert time.monotonic() - started < 5
    assert isinstance(stopped.value.__cause__, InterruptedError)
    assert not isinstance(stopped.value.__cause__, OutputBusy)


def test_the_stop_message_says_which_release_is_current():
    from rich.console import Console

    from flows.cli import _say_stopped

    console = Console(record=True, width=200)
    _say_stopped(console, signal.SIGTERM)
    _say_stopped(console, signal.SIGTERM, published="r123")
    before, after = console.export_text().strip().split("\n")
    assert "previous release is still the current one" in before
    assert "published release r123" in after and "previous release" not in after


def test_a_signal_before_the_run_starts_raises_in_the_main_thread_and_run_restores_the_handlers():
    """While the CLI starts (Prefect's server, the first workers) a SIGTERM used to kill it silently."""
    original = signal.getsignal(signal.SIGTERM)
    stopper = procs.StopOnSignal(on_signal=lambda s: None)
    stopper.guard_start()
    with pytest.raises(procs.StartStopped) as stopped:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler raises before this ends
    assert stopped.value.exit_code == 143
    stopper.end_guard()
    assert signal.getsignal(signal.SIGTERM) is original
    fresh = procs.StopOnSignal(on_signal=lambda s: None)
    fresh.guard_start()
    assert fresh.run(lambda: 5) == 5  # the run takes over from the guard ...
    assert signal.getsignal(signal.SIGTERM) is original  # ... and leaves the handlers found before it


def test_a_start_up_signal_swallowed_on_its_way_still_stops_the_run():
    """Prefect's import and the pool's prestart catch `Exception` in places: the guard raises a
    BaseException, and `run` refuses to start after a signal the guard saw anyway."""
    stopper = procs.StopOnSignal(on_signal=lambda s: None)
    stopper.guard_start()
    try:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        except Exception:  # noqa: BLE001 - what a library on the start's path may do
            pytest.fail("the guard's exception must not be an Exception")
    except procs.StartStopped:
        pass
    ran = []
    with pytest.raises(procs.StartStopped):
        stopper.run(lambda: ran.append(1))
    assert ran == []
    stopper.end_guard()


def test_the_command_stopped_while_it_starts_says_so_and_exits_143(tmp_path, monkeypatch, capsys):
    from flows import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("讲话" * 200, encoding="utf-8")
    original = signal.getsignal(signal.SIGTERM)
    waited = []

    def waiting_for_the_server(server):  # the signal lands while the CLI waits for Prefect's server
        waited.append(True)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        return False

    monkeypatch.setattr(cli, "_start_temporary_server", lambda: None)
    monkeypatch.setattr(cli, "_use_temporary_server", waiting_for_the_server)
    monkeypatch.setattr(pool, "prestart", lambda *a, **k: None)
    assert cli.main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 143
    assert waited and not (tmp_path / "out" / "current").exists()
    assert "stopped by SIGTERM before the run started" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is original

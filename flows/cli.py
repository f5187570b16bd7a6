"""`jianghua run INPUT... --out OUT`: the corpus flow from a terminal, with a progress bar.

`jianghua sql OUT "select …"` queries a built corpus with DuckDB through the views of tasks/views.sql
(speeches, documents, speech_mentions, speech_keywords …).

Exit status: 0 when the run completed (bad pages are rejects, not failures), 1 when the run
itself failed, 2 for a usage error, 143 when stopped by SIGTERM and 130 by SIGINT (Ctrl-C).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasks.procs import StopOnSignal

SERVER_STARTUP_TIMEOUT = 180  # seconds; see _run
# What the prestarted workers import while the CLI waits for the server: the modules of the first
# stages every run with new pages calls (ingest, then lines/boilerplate/normalize), ~0.7 + 0.6 s of
# imports (pyarrow, pandas and numpy with them) the run's first calls would otherwise wait for.
# Not extract's tables (~2 CPU-s, ~270 MB a worker): an unchanged rerun would hold them for nothing.
FIRST_STAGE_MODULES = ("tasks.ingest", "tasks.normalize")
HEALTH_POLL_SECONDS = 0.05  # Prefect polls its temporary server every 0.1 s; a request costs ~1 ms
UVICORN_BIND_FAILED = 3  # uvicorn's exit code when the port is taken (Prefect then tries another port)
PORT_RETRIES = 5
# The temporary server's app: Prefect's create_app, built with the cyclic collector off (flows/server_app.py): the
# server's CPU until it answers 4.76 -> 3.92 s (medians of 4 alternated starts, bench/server_start.py, load ~19),
# a start the flow waits for; without Prefect's own full collection, and its routes prepared in a thread, not
# during the client's first request
SERVER_APP_FACTORY = "flows.server_app:create_app"
# Modules Prefect imports only once the flow is called, i.e. after the temporary server answered, on the run's
# critical path: FastAPI (its `jsonable_encoder` serializes the flow's parameters for the flow run: 0.53 of the
# 0.74 CPU-s the flow's thread spent from the call to the flow's first line, cProfile, load ~30), the flow and task
# engines, the call's visualization tracker (graphviz). Imported with the CLI's own modules, they load while the
# server starts, on the other core.
FLOW_START_MODULES = (
    "fastapi.encoders",
    "prefect.flow_engine",
    "prefect.task_engine",
    "prefect.utilities.visualization",
)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "schema":
        from tasks.schema import columns_markdown

        print(columns_markdown())
        return 0
    if args.command == "sql":
        return _sql(args)
    if args.command == "setup":
        return _setup()
    return _run(args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jianghua", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command")
    run = sub.add_parser("run", help="build or update a corpus from scraped pages")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="folder (recursive), glob, file or fsspec URL")
    run.add_argument("--out", required=True, help="output folder (the corpus; its .state/ holds the cache)")
    run.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    run.add_argument("--shard-docs", type=int, default=2000, help="target documents per shard (default 2000)")
    run.add_argument("--shard-mb", type=int, default=32, help="largest shard in MB (default 32)")
    run.add_argument("--min-chars", type=int, default=200, help="reject pages with less speech than this (default 200)")
    run.add_argument("--max-doc-bytes", type=int, default=None, help="reject single pages larger than this")
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run the shard steps on a Dask cluster (e.g. tcp://scheduler:8786) via prefect-dask",
    )
    run.add_argument("--rebuild", action="store_true", help="recompute every step, ignoring the cache")
    run.add_argument(
        "--rehash",
        action="store_true",
        help="read and hash every input file, even those whose size, times and inode are unchanged since the last run",
    )
    run.add_argument(
        "--allow-empty",
        action="store_true",
        help="publish an empty corpus when the inputs hold no file (by default such a run fails and the current "
        "release stays: an unmounted landing folder must not empty the corpus)",
    )
    run.add_argument("--wait", type=float, default=0.0, help="seconds to wait when another run holds --out")
    run.add_argument("--verbose", "-v", action="store_true", help="show Prefect's task logs")
    sub.add_parser("schema", help="print every output column with its meaning (Markdown)")
    sub.add_parser(
        "setup",
        help="prepare Prefect's local database on this machine once (`make install` does): "
        "a machine's first run otherwise spends ~7 s creating it",
    )
    sql = sub.add_parser("sql", help="query a corpus with DuckDB (views: speeches, documents, speech_mentions …)")
    sql.add_argument("out", metavar="OUT", help="corpus folder (the --out of a run)")
    sql.add_argument("query", help='SQL, e.g. "select year, count(*) from speeches group by all order by all"')
    fmt = sql.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="print CSV (header + rows) instead of a table")
    fmt.add_argument("--json", action="store_true", help="print one JSON object per row instead of a table")
    sql.add_argument("--max-width", type=int, default=48, help="widest table cell, in terminal columns (default 48)")
    return p


VIEWS_SQL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tasks", "views.sql")


def _sql(args: argparse.Namespace) -> int:
    """Run one query over the corpus views; the result as an aligned table, CSV or JSON lines."""
    out = os.path.abspath(args.out)
    if not os.path.isdir(os.path.join(out, "documents")):
        print(
            f"jianghua sql: {args.out} is not a corpus (no documents/ folder); pass the --out of a run", file=sys.stderr
        )
        return 1
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET VARIABLE corpus = ?", [out])
        with open(VIEWS_SQL, encoding="utf-8") as fh:
            con.execute(fh.read())
        cur = con.execute(args.query)
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        print(f"jianghua sql: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.csv:
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        w.writerows([[_plain(v) for v in r] for r in rows])
    elif args.json:
        import json

        for r in rows:
            print(json.dumps(dict(zip(columns, r, strict=True)), ensure_ascii=False, default=str))
    else:
        print(format_table(columns, rows, args.max_width))
    return 0


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict, tuple)):
        import json

        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _width(s: str) -> int:
    """Terminal columns of s: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cut(s: str, width: int) -> str:
    s = s.replace("\n", "⏎")
    if _width(s) <= width:
        return s
    out, w = [], 0
    for c in s:
        cw = _width(c)
        if w + cw > width - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def format_table(columns: list[str], rows: list[tuple], max_width: int = 48) -> str:
    """Rows as an aligned text table (numbers right-aligned, NULL as empty, long cells cut with …)."""
    cells = [[_cut(_plain(v), max_width) for v in r] for r in rows]
    numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) and rows for i in range(len(columns))]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(vals: list[str]) -> str:
        parts = []
        for i, v in enumerate(vals):
            pad = " " * (widths[i] - _width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    body = [line(columns), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]
    body.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(body)


def _server_defaults() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no phoning home from a crawl box
    # Prefect gives its temporary server 20 s to answer; on a crawl box busy with other jobs (load 10-20 on
    # 2 cores, measured while eight sessions shared this machine) it needed longer and the run failed before
    # any work. Waiting longer costs nothing when the server is quick.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(SERVER_STARTUP_TIMEOUT))


def _setup() -> int:
    """Start Prefect's temporary server once and stop it. Its first start on a machine creates and
    migrates PREFECT_HOME's database and registers Prefect's block types: 2026-12-05, a fresh home,
    the samples' unchanged rerun took 10.3 s against 3.6 s, and a 20k bench's cold run waited 10.6 s
    for the server against 3.2-3.4 s in the runs after it. Done here (by `make install`), a first run,
    a first nightly run or a benchmark's cold run starts as every later one does. Nothing to do when
    the environment or Prefect's profile names an API."""
    from rich.console import Console

    console = Console(stderr=True)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    _server_defaults()
    from tasks import procs

    started = time.monotonic()
    server = _start_temporary_server()
    watchdog = procs.start_watchdog(_server_pids(server))  # the server goes with this process, even if it is killed
    try:
        used = _use_temporary_server(server)
    finally:
        if server is not None:
            server.stop()
        watchdog.stop()
    if server is None or (not used and not server.failed):
        console.print(
            "Prefect's API is configured elsewhere (PREFECT_API_URL, or the profile): nothing to prepare",
            soft_wrap=True,
        )
        return 0
    if not used:
        console.print(
            f"[red]Prefect's temporary server did not start[/red]: {server.failed}", highlight=False, soft_wrap=True
        )
        return 1
    home = os.environ.get("PREFECT_HOME") or "~/.prefect"
    console.print(
        f"Prefect's local database ready ({home}) in {time.monotonic() - started:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    if not args.verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    _server_defaults()
    from tasks import pool, procs

    pool.trace("cli_start")
    server = _start_temporary_server()  # first: its start overlaps everything below (imports, checks)
    watchdog = procs.start_watchdog(
        _server_pids(server)
    )  # kills the workers and Prefect's server if this process is killed
    stopper = procs.StopOnSignal()
    stopper.guard_start()  # a signal while the command starts ends it with a message, before any work
    try:
        return _start_and_run(args, server, stopper)
    except procs.StartStopped as exc:  # from the guard: the run had not started
        stopper.end_guard()  # a second signal while this prints takes the default action
        from rich.console import Console

        _say_stopped(Console(stderr=True), exc.signum, started=False)
        return exc.exit_code
    finally:
        stopper.end_guard()
        watchdog.stop(linger=server.hand_over() if server is not None else ())


def _start_and_run(args: argparse.Namespace, server: TemporaryServer | None, stopper: StopOnSignal) -> int:
    from rich.console import Console

    from tasks import pool, procs

    console = Console(stderr=True)
    from flows import progress
    from flows.pipeline import build_corpus, validate_parameters
    from tasks.ingest import MAX_DOC_BYTES

    _import_flow_start()

    try:  # the flow validates too (deployments); here a typo fails before the flow starts
        validate_parameters(
            args.inputs,
            args.out,
            args.workers,
            args.shard_docs,
            args.shard_mb,
            args.min_chars,
            args.max_doc_bytes or MAX_DOC_BYTES,
        )
    except (FileNotFoundError, FileExistsError, PermissionError, ValueError) as exc:
        console.print(f"[red]cannot start[/red]: {exc}", soft_wrap=True, highlight=False)
        return 1  # no join: the server is stopped at exit
    from tasks.publish import lock_holder

    holder = lock_holder(args.out) if not args.wait else None
    if holder:  # said before the flow starts (the flow would fail on the lock, with Prefect's traceback)
        console.print(
            f"[red]cannot start[/red]: output folder {args.out} is being written by {holder}; wait for it to "
            "finish (or pass --wait SECONDS) — two runs must not write one corpus",
            soft_wrap=True,
            highlight=False,
        )
        return 1
    pool.trace("cli_imported")
    if not args.dask:  # a worker and the first stages' modules get ready while the server finishes starting
        pool.prestart(args.workers, FIRST_STAGE_MODULES)
    settings: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if _use_temporary_server(server):  # the flow must not meet a server that is still starting
        from tasks import steps

        steps.tag_task_runs(False)  # no UI, no concurrency limits: spare each task run the API's slot check
        settings = _on_temporary_server()
    pool.trace("cli_server_ready")
    bar = _ProgressBar(console)
    remove_listener = progress.add_listener(bar.update)
    unquiet = quiet_storage_errors()

    def remove() -> None:
        remove_listener()
        unquiet()

    started = time.monotonic()
    from tasks.publish import current_release

    before = current_release(args.out)

    def hard_exit(signum: int) -> None:  # the run may have switched its release before it stuck
        now = current_release(args.out)
        _say_stopped(console, signum, hard=True, published=now if now != before else None)

    stopper.on_hard_exit = hard_exit
    try:
        with bar, settings:
            summary = stopper.run(
                build_corpus,
                inputs=args.inputs,
                out=args.out,
                workers=args.workers,
                target_shard_docs=args.shard_docs,
                max_shard_mb=args.shard_mb,
                min_chars=args.min_chars,
                max_doc_bytes=args.max_doc_bytes or MAX_DOC_BYTES,
                wait_for_lock_seconds=args.wait,
                rebuild=args.rebuild,
                rehash=args.rehash,
                dask_address=args.dask,
                allow_empty=args.allow_empty,
            )
    except procs.Stopped as exc:
        _say_stopped(
            console, exc.signum, published=exc.finished.get("release") if isinstance(exc.finished, dict) else None
        )
        return exc.exit_code
    except KeyboardInterrupt:  # not in the main thread: no handler of ours was installed
        _say_stopped(console, 2)
        return 130
    except Exception as exc:  # noqa: BLE001 - the run failed; say why and what to do
        from flows.pipeline import NothingToPublish
        from tasks.publish import CleanupFailed, OutputBusy

        hint = storage_hint(exc, args.out)
        if hint:  # the OSError's own words ("Error writing bytes to file. Detail: …") add nothing to it
            console.print(f"[red]run failed[/red]: {hint}", soft_wrap=True, highlight=False)
        else:
            console.print(f"[red]run failed[/red]: {exc.__class__.__name__}: {exc}", soft_wrap=True, highlight=False)
        if isinstance(exc, CleanupFailed):
            pass  # the message says the release is published
        elif isinstance(exc, (NothingToPublish, OutputBusy)) or hint:
            console.print("the previous output is untouched")  # the message says what to do; a rerun alone won't
        else:
            console.print("the previous output is untouched; finished shards are cached — rerun to resume")
        return 1
    finally:
        remove()
    pool.trace("cli_flow_returned")
    _print_summary(console, summary, time.monotonic() - started)
    return 0


def _import_flow_start() -> None:
    """Import FLOW_START_MODULES now, while the temporary server starts (a module that fails to import fails
    where Prefect imports it, with its error)."""
    import importlib

    for name in FLOW_START_MODULES:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


# A full or read-only filesystem fails the run with the OSError of whichever write met it (pyarrow's "Error writing
# bytes to file"; tasks.common.write_table adds the file's path): the operator was told to rerun, which fails the same
# way. Such errors are not retried (tasks.steps._TRANSIENT_ERRNOS) and Prefect's tracebacks of them are not printed
# (_StorageErrorsQuiet): the CLI's one line says which path and what to free.
_FULL = {errno.ENOSPC, errno.EDQUOT}
MB = 1 << 20


def _storage_error(exc: BaseException | None) -> OSError | None:
    """The full-disk or read-only OSError `exc` is or was caused by, if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (*_FULL, errno.EROFS):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _existing(path: str) -> str:
    """`path` or its nearest existing ancestor (a failed write removed its file)."""
    p = os.path.abspath(path)
    while not os.path.exists(p) and os.path.dirname(p) != p:
        p = os.path.dirname(p)
    return p


def storage_hint(exc: BaseException, out: str) -> str | None:
    """What to do when `exc` (or what caused it) is a full or read-only filesystem; None otherwise."""
    e = _storage_error(exc)
    if e is None:
        return None
    from tasks.publish import KEEP_RELEASES

    where = str(e.filename) if isinstance(e.filename, (str, bytes, os.PathLike)) and e.filename else None
    writing = f" (writing {where})" if where else ""
    if e.errno == errno.EROFS:
        return (
            f"a filesystem jianghua writes to is read-only{writing}: remount {out} read-write (or give another "
            "--out), then rerun"
        )
    full = where if where and not os.path.abspath(where).startswith(os.path.abspath(out) + os.sep) else out
    try:
        free = f"{shutil.disk_usage(_existing(full)).free // MB:,} MB free"
    except OSError:
        free = "its free space unknown"
    return (
        f"a filesystem jianghua writes to is full{writing}: {full} has {free} (the cache in .state/ and up to "
        f"{KEEP_RELEASES} releases live in {out}; PREFECT_HOME, JIANGHUA_CACHE and the temp folder are written too). "
        "Free space or give another --out, then rerun: finished shards are cached"
    )


class _StorageErrorsQuiet(logging.Filter):
    """Drops Prefect's console records of a task or flow run that failed on a full or read-only filesystem: a
    traceback per failed run (~60 lines each) buried the CLI's one line saying what to free."""

    _ERRNOS = tuple(f"[Errno {n}]" for n in (*_FULL, errno.EROFS))

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and _storage_error(record.exc_info[1]) is not None:
            return False
        if record.levelno >= logging.ERROR and record.name.startswith("prefect."):
            return not any(code in record.getMessage() for code in self._ERRNOS)
        return True


def quiet_storage_errors() -> Callable[[], None]:
    """Install _StorageErrorsQuiet on the console handlers Prefect configured; return its remover."""
    quiet = _StorageErrorsQuiet()
    handlers = [
        h
        for h in logging.getLogger().handlers + logging.getLogger("prefect").handlers
        if isinstance(h, logging.StreamHandler)
    ]
    for h in handlers:
        h.addFilter(quiet)

    def remove() -> None:
        for h in handlers:
            h.removeFilter(quiet)

    return remove


def _repo_root() -> str:
    """The folder holding the `flows` package, for uvicorn's --app-dir (the server imports SERVER_APP_FACTORY)."""
    return str(Path(__file__).resolve().parents[1])


class TemporaryServer:
    """Prefect's temporary API server, started by the CLI before Prefect is imported.

    Prefect starts the same server (`prefect.server.api.server.SubprocessASGIServer`: uvicorn on
    127.0.0.1 serving the API on PREFECT_HOME's database, UI off) when a flow first needs the API.
    That start waits for this process to import Prefect, the flow and the whole server package
    (~2.5 s of CPU only to reach that class) and then for the server's own start (~4.5 s of CPU
    on the other core). Launched here, first thing, the server starts while this process imports;
    the flow then talks to it through PREFECT_API_URL and never imports the server package. The
    run is recorded in the same database as before. At the run's end it is asked to stop and the
    watchdog, not this process, waits for it (`hand_over`); atexit stops it on paths that never got
    there, and the watchdog kills it if this process is killed."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.stopping: subprocess.Popen | None = None
        self.port = 0
        self.ready = threading.Event()
        self.failed = ""
        self._launch()
        self._thread = threading.Thread(target=self._wait_for_health, name="jianghua-prefect-server", daemon=True)
        self._thread.start()
        atexit.register(self.stop)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> None:
        import importlib.util

        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            sock.bind(("127.0.0.1", 0))  # a free port, as Prefect picks one; a lost race is retried below
            self.port = sock.getsockname()[1]
        if importlib.util.find_spec("prefect") is None:  # Prefect is not imported
            raise ModuleNotFoundError("prefect is not installed")
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                _repo_root(),
                "--factory",
                SERVER_APP_FACTORY,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=server_env(),
            stdin=subprocess.DEVNULL,
            # its output reaches this process's stderr through a pipe, not the same file: a server
            # still shutting down after this process exited (hand_over) holds no caller's pipe open
            stdout=write,
            stderr=write,
        )
        os.close(write)
        threading.Thread(
            target=_copy_to_stderr, args=(read,), name="jianghua-prefect-server-output", daemon=True
        ).start()

    def _wait_for_health(self) -> None:
        import urllib.error
        import urllib.request

        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", SERVER_STARTUP_TIMEOUT))
        deadline = time.monotonic() + timeout
        retries = PORT_RETRIES
        while time.monotonic() < deadline and self.proc is not None:
            code = self.proc.poll()
            if code is not None:
                if code == UVICORN_BIND_FAILED and retries > 0:  # the port was taken meanwhile: another one
                    retries -= 1
                    self._launch()
                    continue
                self.failed = f"the temporary server exited with code {code}"
                return
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=5) as response:
                    if response.status == 200:
                        self.ready.set()
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(HEALTH_POLL_SECONDS)
        self.failed = f"the temporary server did not answer within {timeout:.0f} s"

    def join(self) -> bool:
        """Wait until the server answers (True) or failed to start (False: it is stopped)."""
        self._thread.join()
        if not self.ready.is_set():
            self.stop()
        return self.ready.is_set()

    def hand_over(self) -> list[int]:
        """The run is over: ask the server to stop, without waiting (~0.2 s of every run's end: it
        checks its exit flag every 0.1 s, then closes its connections and services). What Prefect's
        client still queues (task runs' events, logs) is sent first: it would otherwise be sent at
        this process's exit, after the server was asked to stop. Returns the pid the watchdog is to
        give procs.LINGER_SECONDS before killing it (procs.Watchdog.stop)."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            self.proc = None
            return []
        _drain_prefect_clients()
        self.stopping, self.proc = proc, None  # kept: an unwaited Popen warns when collected
        proc.terminate()
        return [proc.pid]

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _copy_to_stderr(fd: int) -> None:
    """The temporary server's output, onto this process's stderr while this process lives."""
    with contextlib.suppress(OSError):
        while chunk := os.read(fd, 65536):
            os.write(2, chunk)
    with contextlib.suppress(OSError):
        os.close(fd)


def _drain_prefect_clients() -> None:
    """Send what Prefect's client queues for the API (events: task runs' states; logs) now, as
    Prefect does at interpreter exit (no time limit there either)."""
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all()
    if "prefect.logging.handlers" in sys.modules:
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all()


def server_env() -> dict[str, str]:
    """The temporary server's environment: what Prefect sets for its own (no UI, ephemeral services,
    one app), no block registration once Prefect has recorded one (~0.2 s of its ~2.8 s start), no
    migration check once the database is at Prefect's head (~0.2 CPU-s, see _skip_migrations) and
    none of the services only a long-lived server's users see (`_quiet_services`)."""
    return {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **_skip_block_registration(),
        **_skip_migrations(),
        **_quiet_services(),
    }


# Services Prefect's server runs even when it is ephemeral, which a run on the CLI's temporary server (no UI; it
# stops with the run) needs none of. Each setting with the alias Prefect also reads. The event persister writes
# every event (task runs' state changes among them) into the events tables, which only the UI's event feed reads
# (the task runs themselves are written by the task run recorder, which stays), and it schedules the events'
# vacuum; the distributor streams events to websocket subscribers (`prefect events stream`), of which a server
# on a random loopback port that lives for one run has none. Measured on a temporary server of this machine
# left idle for 30 s, load ~25: 0.60 CPU-s with them, 0.30 without (their flush and poll loops: ~10 ms of CPU a
# second of the run, on the cores the workers need).
QUIET_SERVICES = {
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "PREFECT_API_SERVICES_EVENT_PERSISTER_ENABLED",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "PREFECT_API_EVENTS_STREAM_OUT_ENABLED",
}
# Automations (triggers and their actions, `flows.automations`) are read from the server's database: the
# temporary server evaluates them only where that database holds one, so an operator who installed the alerts in
# PREFECT_HOME's database keeps them.
TRIGGER_SERVICES = ("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "PREFECT_API_SERVICES_TRIGGERS_ENABLED")
# What a settings file must mention for its services settings to be left to Prefect (the env wins over them)
SERVICE_WORDS = ("event_persister", "stream_out", "triggers")


def _quiet_services() -> dict[str, str]:
    """Settings that turn off the temporary server's services a run does not need (QUIET_SERVICES), and its
    automations' (TRIGGER_SERVICES) when PREFECT_HOME's database, the one it serves, holds no automation. A
    setting the operator gave in the environment, a profile or a settings file is left as it is."""
    texts = []
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    for f in (profiles, *(Path(n) for n in SETTINGS_FILES)):
        try:
            texts.append(f.read_text(encoding="utf-8", errors="replace").lower())
        except OSError:
            pass
    if any(word in text for text in texts for word in SERVICE_WORDS):
        return {}
    quiet = {k: "false" for k, alias in QUIET_SERVICES.items() if k not in os.environ and alias not in os.environ}
    if not any(k in os.environ for k in TRIGGER_SERVICES) and _own_database(home) and _automations(home) == 0:
        quiet[TRIGGER_SERVICES[0]] = "false"
    return quiet


def _automations(home: Path) -> int | None:
    """How many automations PREFECT_HOME's SQLite database holds (None: no such database, or unreadable)."""
    import sqlite3

    db = home / "prefect.db"
    if not db.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1)) as con:
            return int(con.execute("SELECT count(*) FROM automation").fetchone()[0])
    except sqlite3.Error:
        return None


# Prefect's flow engine sends a heartbeat event every `flows.heartbeat_frequency` s (default 180) from a
# thread that sleeps in 1 s steps, and joins that thread when the flow ends: every run waited up to
# 1 s for it after its last step (0.4-0.8 s measured in 20k unchanged reruns: ~15 % of one). Heartbeats
# let a long-lived server's automations notice a crashed run; the temporary server stops with this
# process, so under it they reach nobody. An operator's own setting in the environment is kept.
HEARTBEAT_SETTINGS = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")
# Prefect's client asks the server for a CSRF token before its first state-changing request (`GET /csrf-token`);
# a server without CSRF protection (Prefect's default, and the temporary server's unless this process's settings
# turn it on: it is started with them) answers 422 and the client stops asking. Measured (a request log of the
# temporary server, 400-document bench, load ~20): one such request in every run, 15-25 ms of server CPU and a
# 75-100 ms round trip while the flow starts. The client setting is turned off only where the server's is off.
CSRF_SETTINGS = ("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED",)
# Prefect's clients ask the server for its version (`GET /api/admin/version`) once per process, API and client
# version: a request log of the temporary server (session 57, 4-page run) had two, from the orchestration client's
# context and from the events client's. The temporary server is this interpreter's own Prefect: the versions cannot
# differ. Off only under it; an operator's own setting is kept.
VERSION_CHECK_SETTINGS = ("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED",)


def _on_temporary_server() -> contextlib.AbstractContextManager[Any]:
    """Settings for a run on the temporary server: no heartbeat thread (HEARTBEAT_SETTINGS), no CSRF token
    asked of a server that does not check one (CSRF_SETTINGS) and no version check of a server of this very
    Prefect (VERSION_CHECK_SETTINGS). An operator's own setting is kept."""
    from prefect.settings import (
        PREFECT_CLIENT_CSRF_SUPPORT_ENABLED,
        PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    updates: dict[Any, Any] = {}
    if not any(k in os.environ for k in HEARTBEAT_SETTINGS):
        updates[PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
    if (
        not any(k in os.environ for k in CSRF_SETTINGS)
        and not get_current_settings().server.api.csrf_protection_enabled
    ):
        updates[PREFECT_CLIENT_CSRF_SUPPORT_ENABLED] = False
    if not any(k in os.environ for k in VERSION_CHECK_SETTINGS):
        updates[PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED] = False
    return temporary_settings(updates=updates) if updates else contextlib.nullcontext()


def _skip_block_registration() -> dict[str, str]:
    """Settings that spare the temporary server Prefect's block registration, once it has been done.

    On every start Prefect's server imports every installed Prefect collection (prefect-dask pulls
    in dask.distributed) to see whether their block types are registered in its database: ~1 s of
    the server's ~5 s start (CPU, measured on this machine). The memo Prefect writes after a
    registration (PREFECT_HOME/memo_store.toml) says it happened; the runs need no block type, and
    `prefect server start` (the UI) registers new ones on its own start. Without the memo, or with
    these settings or another database named in the environment, Prefect does as it always does."""
    if any(
        k in os.environ
        for k in (
            "PREFECT_API_BLOCKS_REGISTER_ON_START",
            "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION",
            "PREFECT_API_DATABASE_CONNECTION_URL",
            "PREFECT_MEMO_STORE_PATH",
        )
    ):
        return {}
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        registered = "block_auto_registration" in (home / "memo_store.toml").read_text(encoding="utf-8")
    except OSError:
        registered = False
    if not registered:
        return {}
    return {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}


# Files through which Prefect's settings may name another database than PREFECT_HOME's prefect.db (a profile,
# the working folder's settings files): where one mentions a database, its migrations are left to Prefect.
SETTINGS_FILES = ("prefect.toml", "pyproject.toml", ".env")
MIGRATION_VERSIONS = ("server", "database", "_migrations", "versions", "sqlite")  # under Prefect's package
_REVISION_RE = re.compile(r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(.*)$", re.M)


def _skip_migrations() -> dict[str, str]:
    """A setting that spares the temporary server Prefect's migration check when PREFECT_HOME's SQLite
    database already stands at the head of Prefect's migrations.

    On every start Prefect's server runs `alembic upgrade head` (`create_app`'s lifespan): it imports
    alembic and reads the ~110 migration scripts to learn that nothing is to be done: 0.21 CPU-s
    (0.46 s wall at load 10) measured in a process that had imported the server, every run, before
    the server answers (the flow waits for that). The check here reads the scripts' revision lines
    (~8 ms) and the database's alembic_version table (sqlite3, read-only). A fresh home, an older
    database (Prefect upgraded), another database named in the environment, a profile or a settings
    file, or the operator's own setting: Prefect does as it always does."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    if not _own_database(home):
        return {}
    heads = _migration_heads()
    if not heads or heads != _database_revisions(home / "prefect.db"):
        return {}
    return {"PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false"}


def _own_database(home: Path) -> bool:
    """Whether the temporary server serves PREFECT_HOME's SQLite database: no other one is named in the
    environment, a profile or a settings file."""
    if any(k.startswith(("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")) for k in os.environ):
        return False
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    for f in (profiles, *(Path(n) for n in SETTINGS_FILES)):
        try:
            if "database" in f.read_text(encoding="utf-8", errors="replace").lower():
                return False
        except OSError:
            pass
    return True


def _migration_heads() -> set[str]:
    """The head revisions of Prefect's SQLite migrations (revisions no other script revises), from the
    scripts' text: Prefect is not imported. Empty when they cannot be read."""
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        return set()
    revisions: set[str] = set()
    revised: set[str] = set()
    try:
        for f in Path(locations[0]).joinpath(*MIGRATION_VERSIONS).glob("*.py"):
            for key, value in _REVISION_RE.findall(f.read_text(encoding="utf-8")):
                ids = set(re.findall(r"[\"'](\w+)[\"']", value))
                (revisions if key == "revision" else revised).update(ids)
    except OSError:
        return set()
    return revisions - revised


def _database_revisions(db: Path) -> set[str]:
    """The revisions recorded in a SQLite database's alembic_version table (empty: no such database or table)."""
    import sqlite3

    if not db.is_file():
        return set()
    try:
        with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1)) as con:
            return {str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        return set()


def _server_pids(server: TemporaryServer | None) -> list[int]:
    """The temporary server's pid, for the watchdog to adopt (procs.start_watchdog)."""
    return [server.proc.pid] if server is not None and server.proc is not None else []


def _start_temporary_server() -> TemporaryServer | None:
    """Start Prefect's temporary server now, unless the environment names an API (PREFECT_API_URL).

    A profile or settings file may also name one, or forbid the temporary server; that is known
    only once Prefect's settings are loaded (`_use_temporary_server`), which stops this one then."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    try:
        return TemporaryServer()
    except Exception:  # noqa: BLE001 - the flow's own start raises it with Prefect's message
        return None


def _use_temporary_server(server: TemporaryServer | None) -> bool:
    """Point Prefect at the server started by `_start_temporary_server`, once it answers; True when the
    run uses it (False: a configured API, or Prefect's own temporary server).

    Prefect's settings decide as they would have: a configured API, or the temporary server
    turned off, wins (this server is stopped unused). A server that failed to start is stopped
    and the flow starts its own, which retries and reports a failure in Prefect's words."""
    if server is None:
        return False
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        server.stop()
        return False
    if not server.join():
        return False
    os.environ["PREFECT_API_URL"] = server.api_url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()  # the settings were read at import, before the URL was known
    return True


def _say_stopped(console, signum: int, hard: bool = False, published: str | None = None, started: bool = True) -> None:
    import signal

    name = signal.Signals(signum).name
    how = " (forced: the run did not unwind in time)" if hard else ""
    if not started:
        console.print(
            f"[red]stopped[/red] by {name} before the run started: nothing was written, the current release "
            "is unchanged",
            soft_wrap=True,
            highlight=False,
        )
        return
    if published:  # the signal came after the release switch: the run's work is in place
        console.print(
            f"[red]stopped[/red] by {name}{how} after the run had published release {published}, "
            "which is the current one; output lock released",
            soft_wrap=True,
            highlight=False,
        )
        return
    console.print(
        f"[red]stopped[/red] by {name}{how}: workers killed, output lock released; "
        "the previous release is still the current one; finished shards are cached — rerun to resume",
        soft_wrap=True,
        highlight=False,
    )


# Redraws of the progress bar a second in a terminal. Rich's default, 10, rebuilds every stage's row from a thread
# of the flow process 10 times a second for the whole run (measured, 14 stage rows: 79 ms of CPU a second at 10,
# 30 at 2, 21 at 1); the counts move a shard step at a time and the elapsed column by the second.
BAR_REDRAWS_PER_SECOND = 2


class _ProgressBar:
    """One bar per stage: shards done, documents and documents/s.

    Where the console is no terminal (cron, a service's log, a pipe) rich shows only the final bars, at the
    end, so nothing redraws them during the run: its refresh thread rebuilt every row 10 times a second for
    nothing (11-13 ms of the flow process's CPU a second of the run, measured with 14 stage rows: ~1-2 CPU-s
    of a 5k +1 % run on a busy machine, ~4 of a 20k cold run). The final bars are the same."""

    def __init__(self, console):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        live = console.is_terminal and not console.is_dumb_terminal
        self.progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("shards  {task.fields[docs]:>8,} docs  {task.fields[rate]:>8,.0f} docs/s"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            auto_refresh=live,
            refresh_per_second=BAR_REDRAWS_PER_SECOND,
        )
        self.tasks: dict[str, Any] = {}
        self.started: dict[str, float] = {}

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def update(self, stage: str, done: int, total: int, docs: int) -> None:
        if stage not in self.tasks:
            self.started[stage] = time.monotonic()
            self.tasks[stage] = self.progress.add_task(stage, total=total, docs=0, rate=0.0)
        elapsed = max(1e-6, time.monotonic() - self.started[stage])
        self.progress.update(self.tasks[stage], completed=done, total=total, docs=docs, rate=docs / elapsed)


SKIPPED_SHOWN = 5  # earlier output folders named in the summary (all of them are in manifest.json)


def _print_summary(console, summary: dict[str, Any], seconds: float) -> None:
    from rich.table import Table

    c = summary["counts"]
    table = Table(title=f"corpus → {summary['output']}", show_header=False, box=None)
    table.add_row("discovered", f"{c['discovered']:,} documents in {c['discovered_files']:,} files")
    if skipped := summary.get("skipped_outputs"):  # pointed at an earlier output: say why nothing was read
        shown = "\n  ".join(skipped[:SKIPPED_SHOWN]) + (
            f"\n  … {len(skipped) - SKIPPED_SHOWN:,} more" if len(skipped) > SKIPPED_SHOWN else ""
        )
        table.add_row(
            "skipped", f"{len(skipped):,} earlier jianghua output folder(s), not read as speeches:\n  {shown}"
        )
    if hidden := summary.get("skipped_hidden"):
        table.add_row(
            "skipped", f"{hidden:,} hidden entr{'y' if hidden == 1 else 'ies'} (a name starting with '.'), not read"
        )
    table.add_row("accepted", f"{c['accepted']:,}")
    table.add_row(
        "rejected", f"{c['rejected']:,}" + "".join(f"\n  {r}: {n:,}" for r, n in c["rejected_by_reason"].items())
    )
    table.add_row("accounting", "discovered = accepted + rejected ✓")
    table.add_row(
        "duplicates",
        f"{c.get('duplicates') or 0:,} documents in {c.get('clusters') or 0:,} clusters "
        f"({', '.join(f'{k}: {v}' for k, v in c.get('duplicate_reasons', {}).items()) or 'none'})",
    )
    cache = summary.get("cache", {})
    table.add_row("cache", f"{cache.get('cached', 0)} of {cache.get('shard_steps', 0)} shard steps served from cache")
    table.add_row(
        "time",
        f"{seconds:,.1f} s  (" + ", ".join(f"{k} {v:.1f}" for k, v in summary["timings"].items() if k != "total") + ")",
    )
    console.print(table)


def entry() -> None:
    """The `jianghua` command: main(), then an exit without the interpreter's teardown.

    Tearing down a process that imported Prefect, pandas and pyarrow (freeing every module and
    object one by one, a last collection) took ~0.4 s after the summary was printed (+1 % 2k run,
    this machine) — a wait that makes nothing safer: the run's files are written and renamed by
    then. The exit handlers still run, in their order (threads joined, Prefect's logs and events
    flushed, the temporary server stopped, multiprocessing's finalizers); this one, registered
    before any other, runs last and ends the process."""
    code: list[int] = [1]

    def leave() -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code[0])

    atexit.register(leave)
    try:
        code[0] = main()
    except SystemExit as exc:  # argparse's --help and usage errors, sys.exit anywhere: keep their status
        code[0] = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
        raise
    except KeyboardInterrupt:
        code[0] = 130
        raise
    sys.exit(code[0])


if __name__ == "__main__":
    entry()

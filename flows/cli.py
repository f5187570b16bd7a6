"""`jianghua run INPUT... --out OUT`: the corpus flow from a terminal, with a progress bar.

`jianghua sql OUT "select …"` queries a built corpus with DuckDB through the views of tasks/views.sql
(speeches, documents, speech_mentions, speech_keywords …).

Exit status: 0 when the run completed (bad pages are rejects, not failures), 1 when the run
itself failed, 2 for a usage error, 143 when stopped by SIGTERM and 130 by SIGINT (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from typing import Any

SERVER_STARTUP_TIMEOUT = 180  # seconds; see _run


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
    run.add_argument("--wait", type=float, default=0.0, help="seconds to wait when another run holds --out")
    run.add_argument("--verbose", "-v", action="store_true", help="show Prefect's task logs")
    sub.add_parser("schema", help="print every output column with its meaning (Markdown)")
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


def _run(args: argparse.Namespace) -> int:
    if not args.verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no phoning home from a crawl box
    # Prefect gives its temporary server 20 s to answer; on a crawl box busy with other jobs (load 10-20 on
    # 2 cores, measured while eight sessions shared this machine) it needed longer and the run failed before
    # any work. Waiting longer costs nothing when the server is quick.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(SERVER_STARTUP_TIMEOUT))
    from tasks import procs

    watchdog = procs.start_watchdog()  # kills the workers and Prefect's server if this process is killed
    server = _start_temporary_server()  # its start overlaps the imports below (Prefect, the flow)
    from rich.console import Console

    console = Console(stderr=True)
    from flows import progress
    from flows.pipeline import build_corpus, validate_parameters
    from tasks.ingest import MAX_DOC_BYTES

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
    except (FileNotFoundError, PermissionError, ValueError) as exc:
        console.print(f"[red]cannot start[/red]: {exc}", soft_wrap=True, highlight=False)
        return 1  # no join: Prefect stops its server at exit; the watchdog (left running) kills one still starting
    server.join()  # the flow must not meet a server that is still starting (see _start_temporary_server)
    bar = _ProgressBar(console)
    remove = progress.add_listener(bar.update)
    started = time.monotonic()
    stopper = procs.StopOnSignal(on_hard_exit=lambda signum: _say_stopped(console, signum, hard=True))
    try:
        with bar:
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
            )
    except procs.Stopped as exc:
        _say_stopped(console, exc.signum)
        return exc.exit_code
    except KeyboardInterrupt:  # not in the main thread: no handler of ours was installed
        _say_stopped(console, 2)
        return 130
    except Exception as exc:  # noqa: BLE001 - the run failed; say why and what to do
        console.print(f"[red]run failed[/red]: {exc.__class__.__name__}: {exc}", soft_wrap=True, highlight=False)
        from tasks.publish import CleanupFailed

        if not isinstance(exc, CleanupFailed):
            console.print("the previous output is untouched; finished shards are cached — rerun to resume")
        return 1
    finally:
        remove()
        watchdog.stop()
    _print_summary(console, summary, time.monotonic() - started)
    return 0


def _start_temporary_server() -> threading.Thread:
    """Start Prefect's temporary API server (when no PREFECT_API_URL is set) in a thread.

    The flow would start it on entry, after this process has imported Prefect and the flow
    code; started here, the server's own start (a uvicorn process importing the Prefect server:
    seconds of CPU on the other core) runs while this process imports. It is the same server the
    flow uses (Prefect keeps one per process): the run is recorded exactly as before. The thread
    must be joined before the flow starts: Prefect marks the server running before it answers,
    and a flow entering then would find no one listening. A failure here is left to the flow's
    own start, which retries and reports it."""

    def start() -> None:
        try:
            from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

            if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
                return  # a configured server, or none allowed: the flow decides, as before
            from prefect.server.api.server import SubprocessASGIServer

            server = SubprocessASGIServer()
        except Exception:  # noqa: BLE001 - the flow's own start raises it with Prefect's message
            return
        try:
            server.start()
        except Exception:  # noqa: BLE001 - e.g. a start timeout on a busy machine
            # Prefect leaves a server that did not answer in time running: stop it, so the flow's
            # own start (which tries again and reports a failure) leaves no second server behind
            with contextlib.suppress(Exception):
                server.stop()

    thread = threading.Thread(target=start, name="jianghua-prefect-server", daemon=True)
    thread.start()
    return thread


def _say_stopped(console, signum: int, hard: bool = False) -> None:
    import signal

    how = " (forced: the run did not unwind in time)" if hard else ""
    console.print(
        f"[red]stopped[/red] by {signal.Signals(signum).name}{how}: workers killed, output lock released; "
        "the previous release is still the current one; finished shards are cached — rerun to resume",
        soft_wrap=True,
        highlight=False,
    )


class _ProgressBar:
    """One bar per stage: shards done, documents and documents/s."""

    def __init__(self, console):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("shards  {task.fields[docs]:>8,} docs  {task.fields[rate]:>8,.0f} docs/s"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
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


def _print_summary(console, summary: dict[str, Any], seconds: float) -> None:
    from rich.table import Table

    c = summary["counts"]
    table = Table(title=f"corpus → {summary['output']}", show_header=False, box=None)
    table.add_row("discovered", f"{c['discovered']:,} documents in {c['discovered_files']:,} files")
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


if __name__ == "__main__":
    sys.exit(main())

"""The CLI's temporary server started as a run starts it (`flows.cli.TemporaryServer`), with Prefect's own
app factory and with `flows.server_app` (the same app built with the cyclic collector off, then frozen):
the server's CPU-s and seconds until it answers /health, alternated.

    python bench/server_start.py --runs 5

Uses PREFECT_HOME's database as a run would (run `jianghua setup` first). CPU-s are the server process's
user + system time when it first answers; the machine is shared: compare the medians of one window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FACTORIES = {
    "prefect": "prefect.server.api.server:create_app",
    "jianghua": "flows.server_app:create_app",
}


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_once(factory: str) -> tuple[float, float]:
    """(server CPU-s, wall seconds) until the temporary server answers."""
    from flows import cli

    cli.SERVER_APP_FACTORY = factory
    started = time.monotonic()
    server = cli.TemporaryServer()
    try:
        if not server.join():
            raise RuntimeError(server.failed)
        wall = time.monotonic() - started
        assert server.proc is not None
        return _cpu_seconds(server.proc.pid), wall
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from flows import cli

    cli._server_defaults()  # as a run: no analytics
    seen: dict[str, list[tuple[float, float]]] = {k: [] for k in FACTORIES}
    for i in range(args.runs):
        for label, factory in FACTORIES.items():
            cpu, wall = start_once(factory)
            seen[label].append((cpu, wall))
            print(f"run {i} {label:9s} server cpu {cpu:.2f} s  answers after {wall:.2f} s", flush=True)
    for label, figs in seen.items():
        print(
            f"median {label:9s} server cpu {statistics.median(c for c, _ in figs):.2f} s  "
            f"answers after {statistics.median(w for _, w in figs):.2f} s"
        )


if __name__ == "__main__":
    main()

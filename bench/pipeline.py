"""Time a whole run on a corpus folder: documents/s, MB/s, peak memory, time per stage.

    python -m bench.pipeline ../shared/corpus/real [--workers N] [--out DIR]

Runs twice on a fresh output folder: cold (everything computed) and warm (everything from
the cache), so both the pipeline's speed and the cache's cost are visible.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", nargs="?", default="../shared/corpus/real")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--out", default=None, help="output folder (default: a temporary one, removed afterwards)")
    args = p.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus folder {args.corpus} not found; pass one (e.g. ../shared/corpus/real)", file=sys.stderr)
        return 2
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.pipeline import build_corpus

    out = Path(args.out or tempfile.mkdtemp(prefix="jianghua-bench-"))
    mb = sum(f.stat().st_size for f in Path(args.corpus).rglob("*") if f.is_file()) / 1e6
    try:
        for label in ("cold", "warm"):
            started = time.monotonic()
            summary = build_corpus(inputs=[args.corpus], out=str(out), workers=args.workers)
            seconds = time.monotonic() - started
            c = summary["counts"]
            print(
                f"\n== {label} run: {args.corpus} ({mb:,.1f} MB, {c['discovered']:,} documents, "
                f"{summary['shards']} shards, {summary['workers']} workers)"
            )
            print(f"  wall time       {seconds:8.2f} s")
            print(f"  documents/s     {c['discovered'] / seconds:8.1f}")
            print(f"  MB/s            {mb / seconds:8.2f}")
            print(
                f"  cache           {summary['cache']['cached']} of {summary['cache']['shard_steps']} shard steps cached"
            )
            print(f"  accepted        {c['accepted']:,}   rejected {c['rejected']:,} {c['rejected_by_reason']}")
            print(f"  clusters        {c['clusters']:,}   duplicates {c['duplicates']:,} {c['duplicate_reasons']}")
            print("  stage times (s) " + "  ".join(f"{k} {v:.2f}" for k, v in summary["timings"].items()))
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"\npeak memory: flow process {peak_self:,.0f} MB, largest worker/server process {peak_children:,.0f} MB")
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The dedupe call night after night: does a nightly run's cost stay flat as fast runs accumulate?

    python -m bench.bench_nights OUT --work DIR [--base 100] [--nights 13] [--threads 2] [--set NAME=VALUE]

OUT is a pipeline output (its last dedupe state names the signature files, in input order; e.g. the
100k bench's output after its +1 % run: 113 files of ~900 documents). In fresh processes: a cold
`cluster_shards` on the first `--base` files, then one fast call a night, each adding the next file
(~1 % of the corpus) on the previous night's state, as a crawl growing by a shard a night. Printed per
night: CPU and wall seconds, peak RSS, the phases that grow with what fast runs left behind (the add
layers of the index, the df bounds of the shingles they touched), the state's add-layer rows, and the
megabytes of state the night wrote (files not hard-linked from the night before: noise-free). A
bench of one +1 % run (`bench.scale plus`) always starts from a fresh full-path state and cannot show
this. Only the last two nights' folders are kept (states are mostly hard links to the one before).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from bench.bench_dedupe_plus import OVERRIDES, child, signature_files

PHASES = ("anchor candidates", "df changes", "measured pairs", "known pair deltas", "next state")


def _written(state: Path) -> int:
    """Bytes of the state's files written by its own call (one link: not shared with the night before)."""
    return sum(st.st_size for f in state.rglob("*") if f.is_file() and (st := f.stat()).st_nlink == 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--work", required=True)
    ap.add_argument("--base", type=int, default=100, help="signature files clustered cold on night 0")
    ap.add_argument("--nights", type=int, default=0, help="fast calls after it (default: every file left)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an integer constant")
    args = ap.parse_args(argv)
    for item in args.set:
        name, value = item.split("=", 1)
        OVERRIDES[name] = int(value)
    files = [str(f.parent) for f in signature_files(Path(args.out))]
    nights = args.nights or len(files) - args.base
    if args.base < 1 or args.base + nights > len(files):
        sys.exit(f"{args.out}: {len(files)} signature files, not enough for --base {args.base} + {nights} nights")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"{len(files)} signature files; cold on {args.base}, then {nights} nights of one file each")
    print(
        "night  docs     fast  cpu_s  wall_s  peak_mb  "
        + "  ".join(f"{p[:12]:>12}" for p in PHASES)
        + "  add_rows  written_mb"
    )
    prev = None
    for night in range(nights + 1):
        out = work / f"night-{night:03d}"
        got = child(files[: args.base + night], out, prev, threads=args.threads)
        info = json.loads((out / "state" / "index" / "index.json").read_text())
        add_rows = sum((info.get("delta") or {}).get("add_rows", {}).values())
        wall = got.get("phase_wall_s", {})
        print(
            f"{night:5d}  {got.get('docs', 0):7,d}  {got.get('fast_path', False)!s:>5}  {got['cpu_s']:5.1f}  "
            f"{got['wall_s']:6.1f}  {got['peak_mb']:7d}  "
            + "  ".join(f"{wall.get(p, 0.0):12.2f}" for p in PHASES)
            + f"  {add_rows:,d}  {_written(out / 'state') / 2**20:,.0f}",
            flush=True,
        )
        if night >= 2:
            shutil.rmtree(work / f"night-{night - 2:03d}", ignore_errors=True)
        prev = str(out / "state")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

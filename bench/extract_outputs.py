"""Run one checkout's extract runner on shards of a cold run and write its Parquet files, to compare two versions'
outputs byte for byte (and their CPU seconds) on the same documents.

    python -m bench.extract_outputs OUT DEST [--shards 0 2 5] [--root CHECKOUT]
    python -m bench.extract_outputs --compare DEST_A DEST_B
    python -m bench.extract_outputs INPUTS DEST --inputs [--shards 0 1]   # INPUTS: copies of normalize-* folders

OUT is the --out of a cold CLI run (read only: its normalize artifacts are extract's inputs, paired by
bench_stages.plan). Each shard is written to DEST/<shard index>/ by `tasks.extract:extract_shard` of --root (default
this checkout), in a fresh process, and the CPU seconds of each call are printed. --compare lists every Parquet file
of A and B and says whether their bytes are equal (the writer is deterministic, so equal tables give equal bytes).
--inputs reads extract's inputs from a folder of normalize-* artifact folders (copied out of a cold run, shard i the
i-th in name order: a cold run's folder another session overwrites or prunes meanwhile leaves the copies alone).
"""

from __future__ import annotations

import argparse
import filecmp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compare(a: Path, b: Path) -> int:
    names = sorted({p.relative_to(a) for p in a.rglob("*.parquet")} | {p.relative_to(b) for p in b.rglob("*.parquet")})
    differ = 0
    for name in names:
        pa_, pb = a / name, b / name
        same = pa_.exists() and pb.exists() and filecmp.cmp(pa_, pb, shallow=False)
        differ += not same
        print(f"{'identical' if same else 'DIFFERS  '} {name}")
    print(f"{len(names)} files, {differ} differ")
    return 1 if differ or not names else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs=2, type=Path)
    ap.add_argument("--shards", type=int, nargs="+", default=[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--inputs", action="store_true", help="OUT is a folder of normalize-* folders, not a cold run")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.paths)
    out, dest = args.paths
    sys.path.insert(0, str(ROOT))
    from bench.bench_stages import _params, plan

    if args.inputs:
        jobs = [({"normalize": str(d)}, None, 0) for d in sorted(out.glob("normalize-*"))]
    else:
        jobs = plan(out)["extract"]
    sys.path.insert(0, str(args.root.resolve()))
    for name in [m for m in sys.modules if m == "tasks" or m.startswith("tasks.")]:
        del sys.modules[name]
    from tasks import extract as E
    from tasks import pool

    assert Path(E.__file__).resolve().is_relative_to(args.root.resolve()), E.__file__
    pool._warm_up()
    total = 0.0
    for i in args.shards:
        inputs, _, nbytes = jobs[i]
        target = dest / str(i)
        target.mkdir(parents=True, exist_ok=True)
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        E.extract_shard(inputs, str(target), **_params("extract", out))
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
        total += cpu
        print(f"shard {i}: {nbytes / 1e6:.1f} MB cpu={cpu:.2f}s wall={time.perf_counter() - t0:.1f}s", flush=True)
    print(f"root={args.root} shards={args.shards} cpu={total:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

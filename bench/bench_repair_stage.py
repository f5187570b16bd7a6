"""CPU cost of the global repair step on a run's real repair inputs (the members parts of every shard).

Reads the `members/NNN.parquet` parts of the member artifacts of a finished run (e.g. the 5k scale
bench), runs `repair_table` on every part in this one process, and prints CPU seconds, peak RSS and
the clusters per CPU-second. With --reference (the run's repair artifact), checks that best_texts and
repairs are equal (pyarrow `.equals`, rows in write order) to what that run wrote. --profile prints
the cProfile top entries.

    python bench/bench_repair_stage.py --members /tmp/x/.state/artifacts/members \
        [--reference /tmp/x/.state/artifacts/repair/repair-…] [--parts 0-63] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from tasks.repair import REPAIR_PARTS, repair_table  # noqa: E402
from tasks.schema import MEMBERS, REPAIRS, SPEECHES  # noqa: E402

DEFAULT_RUN = Path("/tmp/jianghua-scale/pipeline-5000-out/.state/artifacts")


def _parts(spec: str) -> list[int]:
    lo, _, hi = spec.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def _sorted(t: pa.Table, keys: list[str]) -> pa.Table:
    return t.sort_by([(k, "ascending") for k in keys]) if t.num_rows else t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=Path, default=DEFAULT_RUN / "members", help="folder of members-* artifacts")
    ap.add_argument("--reference", type=Path, default=None, help="a repair-* artifact made from the same inputs")
    ap.add_argument("--parts", default=f"0-{REPAIR_PARTS - 1}")
    ap.add_argument("--profile", type=int, default=0, help="print this many cProfile entries (by own time)")
    args = ap.parse_args()
    if args.reference is None:
        found = sorted((args.members.parent / "repair").glob("repair-*"))
        args.reference = found[0] if len(found) == 1 else None
    shard_dirs = sorted(d for d in args.members.iterdir() if (d / "members").is_dir())
    prof = cProfile.Profile() if args.profile else None
    cpu = 0.0
    wall = 0.0
    clusters = docs = chars = 0
    mismatched: list[str] = []
    for p in _parts(args.parts):
        files = [d / "members" / f"{p:03d}.parquet" for d in shard_dirs]
        files = [f for f in files if f.exists()]
        if not files:
            continue
        members = pa.concat_tables([pq.read_table(f).cast(MEMBERS) for f in files])
        docs += members.num_rows
        chars += sum(len(t) for t in members.column("text").to_pylist() if t)
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        speeches, repairs = repair_table(members)
        if prof:
            prof.disable()
        cpu += time.process_time() - c0
        wall += time.perf_counter() - t0
        clusters += speeches.num_rows
        if args.reference:
            name = f"{p:03d}.parquet"
            ref_s = pq.read_table(args.reference / "best_texts" / name).cast(SPEECHES)
            ref_r = pq.read_table(args.reference / "repairs" / name).cast(REPAIRS)
            if not _sorted(speeches, ["cluster_id"]).equals(ref_s) or not _sorted(
                repairs, ["cluster_id", "position", "kind"]
            ).equals(ref_r):
                mismatched.append(name)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"repair_table on {len(shard_dirs)} member artifacts: {clusters:,} clusters, {docs:,} copies, "
        f"{chars / 1e6:.1f} M chars"
    )
    print(
        f"CPU {cpu:.2f} s ({clusters / max(cpu, 1e-9):.1f} clusters/CPU-s), wall {wall:.2f} s "
        f"(the machine is shared), peak RSS {rss:.0f} MB"
    )
    if args.reference:
        status = "all equal" if not mismatched else f"DIFFERENT in {len(mismatched)} parts: {mismatched[:10]}"
        print(f"against {args.reference.name}: {status}")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()

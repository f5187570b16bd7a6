"""CPU seconds of the reuse stages' calls on a +1 % run, from one pipeline output's members artifacts.

    python bench/bench_reuse_plus.py OUT WORK [--drop 96] [--seed 12]

OUT is a pipeline output (e.g. /tmp/jianghua-scale/pipeline-20000-out, read only). Its complete
members artifacts are the +1 % corpus (PLUS); BASE is the same shards less `--drop` canonical
documents picked by a hash of their doc id (each shard's canonical.parquet and anchors.parquet
rewritten without them into WORK/base, once): the +1 % run's new documents are spread over the
shards, so most shards' files differ, as in bench.scale plus (20k: 20 of 25 canonical files
changed), and the new doc ids fall between the old ones (96 new documents at 20k). With code that
lists shards from their listing.parquet (session 13), BASE and PLUS get the listing that code's
members stage would write beside each canonical.parquet (PLUS: links to OUT's files plus the
listing, in WORK/plus-listing). `--new-shard RELABEL` makes BASE as a flow's +1 % run finds it
instead: the new documents all in one new shard, the old shards' files changed by relabelled
clusters only (`make_base_shard`).

Then, in WORK/runs/<code version>: the stage cold on BASE and cold on PLUS (child processes), and
the +1 % calls (reuse_hits, reuse) of PLUS against BASE's artifacts in this process, each
function's process CPU seconds printed, and whether the +1 % tables equal the cold PLUS run's,
byte for byte. Why not bench/bench_plus_calls.py: the 20k output keeps only its last run's global
artifacts (the cold run's reuse_hits and reuse are pruned), and a changed artifact format needs a
cold output made by the same code anyway. An A/B runs this once per checkout (BENCH_CODE=DIR runs
another checkout's tasks/, e.g. `git archive BASE tasks | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if os.environ.get("BENCH_CODE"):
    sys.path.insert(0, os.environ["BENCH_CODE"])


def _members(out: Path) -> list[Path]:
    root = out / ".state" / "artifacts" / "members"
    return sorted(d for d in root.iterdir() if (d / "_done.json").exists() and (d / "anchors.parquet").exists())


def _dropped(ids: list[str], n: int, seed: int) -> set[str]:
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}\0{i}".encode()).hexdigest())
    return set(ranked[:n])


def make_base(out: Path, work: Path, n: int, seed: int) -> list[str]:
    """BASE's members folders: each shard less the dropped documents (written once)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.repair import _write_row_groups
    from tasks.reuse import CANONICAL_ROW_GROUP

    members = _members(out)
    listing_of = _listing_of()
    base = work / "base" / f"drop{n}-seed{seed}{'-listing' if listing_of else ''}"
    done = base / "_done"
    if not done.exists():
        shutil.rmtree(base, ignore_errors=True)
        ids = []
        for m in members:
            ids += pq.read_table(m / "canonical.parquet", columns=["doc_id"]).column(0).to_pylist()
        drop = pa.array(sorted(_dropped(ids, n, seed)), pa.string())
        for m in members:
            d = base / m.name
            d.mkdir(parents=True)
            t = pq.read_table(m / "canonical.parquet")
            t = t.filter(pc.invert(pc.is_in(t.column("doc_id"), value_set=drop)))
            _write_row_groups(t, d / "canonical.parquet", CANONICAL_ROW_GROUP)
            if listing_of is not None:
                write_table(listing_of(t), d / "listing.parquet")
            a = pq.read_table(m / "anchors.parquet")
            write_table(a.filter(pc.invert(pc.is_in(a.column("doc_id"), value_set=drop))), d / "anchors.parquet")
        done.write_text(json.dumps({"dropped": len(drop)}))
    return [str(base / m.name) for m in members]


def _listing_of():
    """tasks.reuse.canonical_listing when the code under test has it (session 13: members writes
    each shard's listing.parquet beside canonical.parquet; a checkout without it reads OUT's files
    as they are)."""
    from tasks import reuse

    return getattr(reuse, "canonical_listing", None)


def make_plus(out: Path, work: Path) -> list[str]:
    """PLUS's members folders: OUT's, or (`_listing_of`) links to OUT's files with the listing the
    code under test's members stage writes beside them (written once)."""
    import pyarrow.parquet as pq

    from tasks.common import write_table

    members = _members(out)
    listing_of = _listing_of()
    if listing_of is None:
        return [str(m) for m in members]
    plus = work / "plus-listing"
    if not (plus / "_done").exists():
        shutil.rmtree(plus, ignore_errors=True)
        for m in members:
            d = plus / m.name
            d.mkdir(parents=True)
            for name in ("canonical.parquet", "anchors.parquet"):
                os.link(m / name, d / name)
            write_table(listing_of(pq.read_table(m / "canonical.parquet")), d / "listing.parquet")
        (plus / "_done").write_text("{}")
    return [str(plus / m.name) for m in members]


def make_base_shard(out: Path, work: Path, relabel: int, seed: int) -> list[str]:
    """BASE as a flow's +1 % run finds it (`--new-shard`): PLUS less its smallest shard (the new
    pages' shard of bench.scale plus: 200 documents at 20k) and, in every other shard, `relabel`
    canonical documents with another cluster id (their own doc id: the cluster took a new member with
    a smaller hash since), so every old shard's files differ from PLUS's while their texts do not —
    what the members stage does to old shards in the flow's +1 % run (20k: 25 of 25 anchors files
    new, for relabels and canonical flips). Written once."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.repair import _write_row_groups
    from tasks.reuse import CANONICAL_ROW_GROUP

    members = _members(out)
    listing_of = _listing_of()
    sizes = {m: pq.ParquetFile(m / "canonical.parquet").metadata.num_rows for m in members}
    new = min(members, key=lambda m: (sizes[m], m.name))
    base = work / "base" / f"newshard-relabel{relabel}-seed{seed}{'-listing' if listing_of else ''}"
    if not (base / "_done").exists():
        shutil.rmtree(base, ignore_errors=True)
        for m in members:
            if m == new:
                continue
            d = base / m.name
            d.mkdir(parents=True)
            t = pq.read_table(m / "canonical.parquet")
            ids = t.column("doc_id").to_pylist()
            moved = _dropped(ids, relabel, seed)
            label = {i: i for i in moved}
            clusters = [label.get(i, c) for i, c in zip(ids, t.column("cluster_id").to_pylist(), strict=True)]
            field = t.schema.field("cluster_id")
            t = t.set_column(t.schema.get_field_index("cluster_id"), field, pa.array(clusters, field.type))
            _write_row_groups(t, d / "canonical.parquet", CANONICAL_ROW_GROUP)
            if listing_of is not None:
                write_table(listing_of(t), d / "listing.parquet")
            a = pq.read_table(m / "anchors.parquet")
            hit = pc.is_in(a.column("doc_id"), value_set=pa.array(sorted(moved), pa.string()))
            field = a.schema.field("cluster_id")
            a = a.set_column(
                a.schema.get_field_index("cluster_id"),
                field,
                pc.if_else(hit, a.column("doc_id"), a.column("cluster_id")),
            )
            write_table(a, d / "anchors.parquet")
        (base / "_done").write_text(json.dumps({"new_shard": new.name, "relabelled": relabel}))
    print("BASE:", base.name, "| new shard:", new.name, f"({sizes[new]} canonical documents)")
    return [str(base / m.name) for m in members if m != new]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for t in ("reuse", "reuse_formulae")
        for f in sorted((folder / t).glob("*.parquet"))
    }


def run(members: list[str], folder: Path, earlier: Path | None, timed) -> tuple[dict, dict]:
    """reuse_hits then reuse into folder/hits and folder/reuse, part by part (earlier: a folder of
    an earlier such run)."""
    from tasks import reuse

    shutil.rmtree(folder, ignore_errors=True)
    inputs = {"members": members}
    he = [str(earlier / "hits")] if earlier else []
    re_ = [str(earlier / "reuse")] if earlier else []
    hits_dir = folder / "hits"
    plan = timed("hits_plan", reuse.hits_plan, inputs, he)
    done = {p: timed("hits_part", reuse.hits_part, inputs, str(hits_dir), p, he) for p in sorted(plan)}
    hits = timed("hits_finish", reuse.hits_finish, inputs, str(hits_dir), done, he)
    (hits_dir / "_done.json").write_text(json.dumps(hits))
    inputs = {**inputs, "reuse_hits": str(hits_dir)}
    rplan = timed("reuse_plan", reuse.reuse_plan, inputs, re_)
    parts = {q: timed("reuse_part", reuse.reuse_part, inputs, str(folder / "reuse"), q, re_) for q in sorted(rplan)}
    reused = timed("reuse_finish", reuse.reuse_finish, inputs, str(folder / "reuse"), parts, re_)
    (folder / "reuse" / "_done.json").write_text(json.dumps(reused))
    reuse.release_parts()
    return hits, reused


def _hwm() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--drop", type=int, default=96, help="canonical documents BASE lacks (20k +1 %%: 96 new)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--phase", choices=["cold-base", "cold-plus"], help=argparse.SUPPRESS)
    ap.add_argument("--keep-cold", action="store_true", help="reuse WORK's cold runs of this code version")
    ap.add_argument(
        "--new-shard",
        type=int,
        metavar="RELABEL",
        help="BASE = PLUS less its smallest shard, RELABEL documents of each other shard relabelled (make_base_shard)",
    )
    ap.add_argument(
        "--profile", type=int, default=0, help="print the N top cProfile entries (cumulative) of each call kind"
    )
    args = ap.parse_args()
    from tasks import reuse

    version = reuse._code_version()
    runs = args.work / "runs" / (version + (f"-newshard{args.new_shard}" if args.new_shard is not None else ""))
    if args.new_shard is not None:
        base_members = make_base_shard(args.out, args.work, args.new_shard, args.seed)
    else:
        base_members = make_base(args.out, args.work, args.drop, args.seed)
    plus_members = make_plus(args.out, args.work)

    def untimed(name, fn, *a, **k):
        return fn(*a, **k)

    if args.phase == "cold-base":
        run(base_members, runs / "base", None, untimed)
        return
    if args.phase == "cold-plus":
        run(plus_members, runs / "coldplus", None, untimed)
        return
    print("code:", Path(reuse.__file__).parent.parent, "version", version)
    for phase, folder in (("cold-base", "base"), ("cold-plus", "coldplus")):
        if args.keep_cold and (runs / folder / "reuse" / "_done.json").exists():
            continue
        t = time.time()
        cmd = [sys.executable, __file__, str(args.out), str(args.work), "--drop", str(args.drop)]
        if args.new_shard is not None:
            cmd += ["--new-shard", str(args.new_shard)]
        subprocess.run([*cmd, "--seed", str(args.seed), "--phase", phase], check=True)
        print(f"{phase}: {time.time() - t:.1f} s wall")
    cpu: dict[str, list[float]] = {}
    import cProfile
    import pstats

    profiles: dict[str, cProfile.Profile] = {}

    def timed(name, fn, *a, **k):
        prof = profiles.setdefault(name, cProfile.Profile()) if args.profile else None
        t = time.process_time()
        if prof is not None:
            prof.enable()
        try:
            value = fn(*a, **k)
        finally:
            if prof is not None:
                prof.disable()
        cpu.setdefault(name, []).append(time.process_time() - t)
        return value

    hits, reused = run(plus_members, runs / "plus", runs / "base", timed)
    same = _digests(runs / "plus" / "reuse") == _digests(runs / "coldplus" / "reuse")
    keys = ("groups", "groups_paired", "hits", "hits_paired", "hits_carried", "anchor_rows_read")
    print("reuse_hits:", {k: hits.get(k) for k in keys})
    keys = ("pairs_computed", "pairs_reused", "parts_linked", "parts_written")
    print("reuse:", {k: reused.get(k) for k in keys}, "| +1 % tables equal the cold run's:", same)
    total = 0.0
    for name, xs in cpu.items():
        total += sum(xs)
        print(f"  {name:<14} {len(xs):>3} calls {sum(xs):7.2f} CPU-s (largest {max(xs):.2f})")
    print(f"  {'total':<14} {total:17.2f} CPU-s; peak RSS of this process {_hwm()} MB")
    for name, prof in profiles.items():
        print(f"\n== {name}: cProfile, top {args.profile} by cumulative time")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

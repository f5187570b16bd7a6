"""CPU seconds of the members and repair stages' calls in a +1 % run, replayed from a cold run's state.

    python -m bench.bench_repair_plus COLD_OUT PLUS_OUT [--root CHECKOUT] [--keep DIR]

COLD_OUT is a cold run's output folder and PLUS_OUT the +1 % run made on a copy of it (`bench.scale
plus`: PLUS_OUT's state holds the +1 % run's dedupe, normalize and extract artifacts). The calls the
flow would make on the +1 % run are replayed by the code of CHECKOUT (default: this one) against the
cold run's artifacts as `earlier`: a members call for every shard whose members key changed (the key
of `tasks.stages.assignments_and_shared`, when CHECKOUT has that view; otherwise every shard whose
assignments part changed, as the flow did), then every repair part. Printed: calls, CPU seconds of
one core (a shared machine's load does not skew it as it skews wall time), what was linked, copied
or recomputed, and whether the replayed repair parts equal the +1 % run's files byte for byte.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _artifacts(out: Path, stage: str) -> list[Path]:
    return sorted(d for d in (out / ".state" / "artifacts" / stage).iterdir() if (d / "_done.json").exists())


def _shard_of(artifact: str | None) -> str | None:
    """The shard a members artifact was made for (its `_done.json`), or None."""
    if not artifact:
        return None
    try:
        shard = json.loads((Path(artifact) / "_done.json").read_text()).get("shard")
    except (OSError, ValueError):
        return None
    return shard if isinstance(shard, str) else None


def _narrowed(earlier: list[str], ran: str | None, plan: frozenset[str]) -> list[str]:
    """The earlier artifacts the flow hands this shard's call (`tasks.stages.ByShard.for_shard`: its own,
    those of shards no longer planned; every one for a new shard), not every one: handed all, each call
    read every artifact's sources.json twice (100k: 25 k JSON reads in 112 calls that the flow never makes)."""
    from tasks.stages import ByShard

    shard = _shard_of(ran)
    if shard is None:
        return earlier
    return ByShard(tuple((d, _shard_of(d) or "") for d in earlier)).for_shard(shard, plan)


def shard_inputs(out: Path, besides: Path | None = None) -> list[dict[str, str]]:
    """Per shard (dedupe assignments part order): its normalize, extract, dedupe inputs (paired by doc
    ids). `besides`: an earlier run's output whose dedupe artifact the state may still hold (not pruned)."""
    import pyarrow.parquet as pq

    old = {d.name for d in _artifacts(besides, "dedupe")} if besides else set()
    dedupe = [d for d in _artifacts(out, "dedupe") if d.name not in old]
    if len(dedupe) != 1:
        sys.exit(f"{out}: expected the artifacts of one run (found {len(dedupe)} dedupe artifacts)")
    parts = sorted((dedupe[0] / "assignments").glob("*.parquet"))
    ids = [frozenset(pq.read_table(p, columns=["doc_id"]).column(0).to_pylist()) for p in parts]
    result = json.loads((dedupe[0] / "_done.json").read_text())
    shards = [
        {"dedupe": str(p), "duplicates": str(dedupe[0] / "duplicates.parquet"), "_index": k, "_result": result}
        for k, p in enumerate(parts)
    ]
    by_ids = {}
    for stage, name in (("normalize", "docs.parquet"), ("extract", "fields.parquet")):
        for d in _artifacts(out, stage):
            got = frozenset(pq.read_table(d / name, columns=["doc_id"]).column(0).to_pylist())
            by_ids.setdefault(got, {})[stage] = str(d)
    for k, want in enumerate(ids):
        shards[k].update(by_ids.get(want, {}))
    members = {}
    for d in _artifacts(out, "members"):  # the run's members artifact of each shard, by its canonical documents
        got = pq.read_table(d / "canonical.parquet", columns=["doc_id"]).column(0).to_pylist()
        members[got[0] if got else ""] = str(d)
    for s, want in zip(shards, ids, strict=True):
        s["_members"] = next((m for doc, m in members.items() if doc in want), "")
    return shards


def members_key(s: dict) -> list:
    from tasks import stages

    result = {**s["_result"], "dir": str(Path(s["dedupe"]).parent.parent)}
    return stages.assignments_and_shared(result, s["_index"], {})[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cold")
    ap.add_argument("plus")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]), help="checkout whose code runs")
    ap.add_argument("--keep", default="", help="write the replayed artifacts here (kept)")
    ap.add_argument(
        "--profile", type=int, default=0, help="print the N top cProfile entries (cumulative) of each stage"
    )
    ap.add_argument(
        "--cold-repair",
        action="store_true",
        help="the earlier repair artifact is made first by CHECKOUT's code from the cold run's members "
        "(untimed), not the cold run's own: the earlier state a cold run of that code leaves (its vote "
        "records), when the cold output was made by other code",
    )
    ap.add_argument("--earlier-repair", default="", help="use this repair artifact as the earlier one (kept)")
    ap.add_argument(
        "--skip-members", action="store_true", help="replay the repair parts only (the +1 %% run's members)"
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, args.root)

    # imports outside the timed calls
    import pyarrow.compute
    import pyarrow.parquet  # noqa: F401

    try:
        import pandas  # noqa: F401  (pyarrow's Table.filter imports it on first use)
    except ImportError:
        pass
    from tasks import repair

    cold_out, plus_out = Path(args.cold), Path(args.plus)
    cold, plus = shard_inputs(cold_out), shard_inputs(plus_out, cold_out)
    cold_members = [s["_members"] for s in cold]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-repair-plus-"))
    shutil.rmtree(work, ignore_errors=True)
    try:
        cols = ("normalize", "extract", "dedupe", "duplicates")
        cold_keys = {}
        for s in cold:
            try:
                cold_keys[(Path(s["normalize"]).name, Path(s["extract"]).name)] = members_key(s)
            except (KeyError, TypeError):
                cold_keys[(Path(s["normalize"]).name, Path(s["extract"]).name)] = None
        import cProfile
        import pstats

        profiles = {"members": cProfile.Profile(), "repair": cProfile.Profile()}
        plan = frozenset(filter(None, (_shard_of(s.get("_members")) for s in plus)))
        members_dirs, calls, cpu_m, linked, texts = [], 0, 0.0, 0, 0
        members_same: list[bool] = []
        for k, s in enumerate(plus):
            if args.skip_members:
                members_dirs.append(s["_members"])
                continue
            key = cold_keys.get((Path(s["normalize"]).name, Path(s["extract"]).name))
            if key is not None and key == members_key(s):
                members_dirs.append(
                    next(c["_members"] for c in cold if Path(c["normalize"]).name == Path(s["normalize"]).name)
                )
                continue  # the flow finds its artifact complete: no call
            out = work / "members" / str(k)
            t = time.process_time()
            if args.profile:
                profiles["members"].enable()
            st = repair.cluster_members_shard(
                {c: s[c] for c in cols}, str(out), earlier=_narrowed(cold_members, s.get("_members"), plan)
            )
            profiles["members"].disable()
            cpu_m += time.process_time() - t
            calls += 1
            linked += st.get("files_linked", 0)
            texts += st.get("texts_read", 0)
            members_dirs.append(str(out))
            ran_members = s.get("_members")
            if ran_members:  # the +1 % run's artifact of this shard (computed from its own earlier ones)
                names = sorted(
                    str(f.relative_to(ran_members)) for f in Path(ran_members).rglob("*.parquet") if f.is_file()
                )
                mine = sorted(str(f.relative_to(out)) for f in out.rglob("*.parquet") if f.is_file())
                members_same.append(
                    names == mine and all((out / n).read_bytes() == (Path(ran_members) / n).read_bytes() for n in names)
                )
        earlier = [str(d) for d in _artifacts(cold_out, "repair")]
        if args.cold_repair:
            repair.repair_parts({"members": cold_members}, str(work / "cold-repair"))
            earlier = [str(work / "cold-repair")]
        if args.earlier_repair:
            earlier = [args.earlier_repair]
        parts = repair.repair_plan({"members": members_dirs})
        counts: dict[str, int] = {}
        cpu_r = 0.0
        for p in parts:
            t = time.process_time()
            if args.profile:
                profiles["repair"].enable()
            st = repair.repair_part({"members": members_dirs}, str(work / "repair"), p, earlier)
            profiles["repair"].disable()
            cpu_r += time.process_time() - t
            for name, v in st.items():
                if isinstance(v, int):
                    counts[name] = counts.get(name, 0) + v
        ran = [
            d for d in _artifacts(plus_out, "repair") if d.name not in {r.name for r in _artifacts(cold_out, "repair")}
        ]
        same = None
        differ: list[str] = []
        if len(ran) == 1:
            # the tables both codes write (a flow of code before vote records has no votes/); the
            # release links best_texts and repairs: those must be equal, the intermediate ones
            # (memo, align, votes) may differ in encoding between two codes
            differ = [
                t
                for t in ("best_texts", "repairs", "memo", "align", "votes")
                if (ran[0] / t).exists()
                and any(
                    (work / "repair" / t / f"{p}.parquet").read_bytes() != (ran[0] / t / f"{p}.parquet").read_bytes()
                    for p in parts
                )
            ]
            same = not {"best_texts", "repairs"} & set(differ)
        print(f"{len(plus)} shards; CPU seconds, one core, code of {args.root}:")
        print(f"  members: {calls} calls, {cpu_m:.2f} s; {linked:,} files linked, {texts:,} member texts read")
        print(
            f"  repair:  {len(parts)} parts, {cpu_r:.2f} s; "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        )
        print(
            f"  published repair parts (best_texts, repairs) == the +1 % run's: {same}"
            + (f"; intermediate tables in another encoding or with other rows: {', '.join(differ)}" if differ else "")
        )
        print(
            f"  members artifacts == the +1 % run's (every Parquet file, byte for byte): "
            f"{sum(members_same)} of {len(members_same)}"
        )
        for name, prof in profiles.items() if args.profile else ():
            if name == "members" and not calls:
                continue  # nothing profiled (--skip-members, or no shard's members changed)
            print(f"\n== {name}: cProfile, top {args.profile} by cumulative time")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
        return 0 if same in (True, None) and all(members_same) else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

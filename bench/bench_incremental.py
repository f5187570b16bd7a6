"""CPU seconds of the members, export, repair and reuse stages on a nightly run, re-run from two states.

    python -m bench.bench_incremental BASE_OUT PLUS_OUT

BASE_OUT and PLUS_OUT are output folders of two runs (e.g. 5k, then the same + 1 % new documents, each
pruned to its own artifacts). Every shard of PLUS is re-run twice by the code of this checkout: cold (no
earlier artifact) and incremental (earlier artifacts made by this code from BASE's inputs, as the flow
passes them); repair (every part, then its finish) and reuse likewise, from artifacts made from BASE's
members. Printed: CPU seconds of
each (one core: a shared machine's load does not skew it as it skews wall time), how many documents were
copied rather than recomputed, and whether incremental and cold wrote the same bytes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def shard_inputs(out: Path) -> list[dict[str, str]]:
    """Per shard (dedupe assignments part order): its normalize, extract, dedupe inputs (paired by doc ids)."""
    import pyarrow.parquet as pq

    arts = out / ".state" / "artifacts"
    dedupe = [d for d in (arts / "dedupe").iterdir() if (d / "_done.json").exists()]
    if len(dedupe) != 1:
        sys.exit(f"{out}: expected the artifacts of one run (found {len(dedupe)} dedupe artifacts)")
    parts = sorted((dedupe[0] / "assignments").glob("*.parquet"))
    ids = [frozenset(pq.read_table(p, columns=["doc_id"]).column(0).to_pylist()) for p in parts]
    shards = [{"dedupe": str(p), "duplicates": str(dedupe[0] / "duplicates.parquet")} for p in parts]
    for stage, name in (("normalize", "docs.parquet"), ("extract", "fields.parquet")):
        for d in (arts / stage).iterdir():
            if (d / "_done.json").exists():
                got = frozenset(pq.read_table(d / name, columns=["doc_id"]).column(0).to_pylist())
                for k, want in enumerate(ids):
                    if got and got == want:
                        shards[k][stage] = str(d)
    return [s for s in shards if "normalize" in s and "extract" in s]


def _run(fn, inputs: dict, out: Path, **kw) -> tuple[float, dict]:
    t = time.process_time()
    stats = fn(inputs, str(out), **kw)
    cpu = time.process_time() - t
    (out / "_done.json").write_text(json.dumps(stats, default=str))
    return cpu, stats


def _bytes(folder: Path, only: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every Parquet file under folder (or only those in the named subfolders) and flows.json."""
    files = [p for p in sorted(folder.rglob("*.parquet")) if not only or p.parent.name in only]
    files += [p for p in [folder / "flows.json"] if p.exists()]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("plus")
    args = ap.parse_args(argv)

    import pyarrow.parquet  # noqa: F401  (imports outside the timed runs)

    from tasks.export import export_shard
    from tasks.repair import cluster_members_shard, repair_parts
    from tasks.reuse import reuse_stage

    base, plus = shard_inputs(Path(args.base)), shard_inputs(Path(args.plus))
    member_cols = ("normalize", "extract", "dedupe", "duplicates")
    export_cols = ("normalize", "extract", "dedupe")
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        earlier: dict[str, list[str]] = {"members": [], "export": []}
        for k, s in enumerate(base):
            _run(cluster_members_shard, {c: s[c] for c in member_cols}, work / "bm" / str(k))
            _run(export_shard, {c: s[c] for c in export_cols}, work / "be" / str(k), pipeline_version="bench")
            earlier["members"].append(str(work / "bm" / str(k)))
            earlier["export"].append(str(work / "be" / str(k)))
        cpu = {k: 0.0 for k in ("members cold", "members inc", "export cold", "export inc")}
        copied = computed = linked = files_linked = texts = 0
        same = True
        for k, s in enumerate(plus):
            for stage, fn, cols, kw in (
                ("members", cluster_members_shard, member_cols, {}),
                ("export", export_shard, export_cols, {"pipeline_version": "bench"}),
            ):
                inputs = {c: s[c] for c in cols}
                t_cold, _ = _run(fn, inputs, work / f"{stage}-cold" / str(k), **kw)
                t_inc, st = _run(fn, inputs, work / f"{stage}-inc" / str(k), earlier=earlier[stage], **kw)
                cpu[f"{stage} cold"] += t_cold
                cpu[f"{stage} inc"] += t_inc
                same &= _bytes(work / f"{stage}-cold" / str(k)) == _bytes(work / f"{stage}-inc" / str(k))
                copied += st.get("anchors_copied", 0)
                files_linked += st.get("files_linked", 0) if stage == "members" else 0
                texts += st.get("texts_read", 0) if stage == "members" else 0
                computed += st.get("anchors_computed", 0)
                linked += bool(st.get("linked"))
        _run(reuse_stage, [str(work / "bm" / str(k)) for k in range(len(base))], work / "reuse" / "a-base")
        t_inc, inc = _run(
            reuse_stage, [str(work / "members-inc" / str(k)) for k in range(len(plus))], work / "reuse" / "b-plus"
        )
        t_cold, cold = _run(
            reuse_stage, [str(work / "members-cold" / str(k)) for k in range(len(plus))], work / "cold" / "c"
        )
        outputs = ("reuse", "reuse_formulae")
        same &= _bytes(work / "reuse" / "b-plus", outputs) == _bytes(work / "cold" / "c", outputs)
        cpu["reuse cold"], cpu["reuse inc"] = t_cold, t_inc
        members = {"base": "bm", "inc": "members-inc", "cold": "members-cold"}
        n = {"base": len(base), "inc": len(plus), "cold": len(plus)}
        rep = {k: [str(work / v / str(i)) for i in range(n[k])] for k, v in members.items()}
        _run(repair_parts, {"members": rep["base"]}, work / "repair" / "a-base")
        t_inc, r_inc = _run(
            repair_parts, {"members": rep["inc"]}, work / "repair" / "b-plus", earlier=[str(work / "repair" / "a-base")]
        )
        t_cold, r_cold = _run(repair_parts, {"members": rep["cold"]}, work / "cold" / "r")
        same_repair = _bytes(work / "repair" / "b-plus") == _bytes(work / "cold" / "r")
        same &= same_repair
        cpu["repair cold"], cpu["repair inc"] = t_cold, t_inc
        print(f"{len(plus)} shards (base {len(base)}); CPU seconds, one core:")
        for stage in ("members", "export", "repair", "reuse"):
            c, i = cpu[f"{stage} cold"], cpu[f"{stage} inc"]
            print(f"  {stage:<8} cold {c:7.2f}   incremental {i:7.2f}   ({i / c:.0%} of cold)")
        print(f"  members: anchors of {copied:,} canonical documents copied, {computed:,} computed")
        print(f"  members: {files_linked:,} files linked from earlier artifacts, {texts:,} member texts read")
        print(f"  export: {linked} of {len(plus)} shards linked their unchanged tables")
        print(
            f"  reuse: pairs reused {inc['pairs_reused']:,}, computed {inc['pairs_computed']:,} (cold {cold['pairs_computed']:,})"
        )
        print(
            f"  repair: parts linked {r_inc.get('parts_reused', 0)}, repaired {r_inc.get('parts_repaired', 0)}; "
            f"clusters copied {r_inc.get('clusters_copied', 0):,}, repaired {r_inc.get('clusters_repaired', 0):,} "
            f"(cold {r_cold.get('clusters_repaired', 0):,}); copies read {r_inc.get('copies_read', 0):,} "
            f"(cold {r_cold.get('copies_read', 0):,}); bytes == cold: {same_repair}"
        )
        print(f"  incremental bytes == cold bytes: {same}")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

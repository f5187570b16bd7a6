"""CPU seconds of a +1 % run's reuse_hits, reuse and export calls, re-run in this process.

    python bench/bench_plus_calls.py OUT SCRATCH [--cold COLD_OUT] [--as-version] [--export N]

OUT is a pipeline output after a cold run and one +1 % run: its state holds both runs' artifacts,
or only the +1 % run's when the run pruned the cold ones (bench.scale plus: pipeline-N-out) — then
`--cold` names the cold output they are read from (pipeline-N-cold). With --cold the reuse calls
recompute every pair: the cold reuse artifact names its hits input by the path it had when written
(under pipeline-N-out), so it is not the base of the replayed hits; the reuse_hits calls are incremental. The +1 % run's reuse_hits and reuse steps
are re-run part by part against the cold run's artifacts (as the flow's `earlier`) into SCRATCH,
then up to N export calls of the +1 % run's shards against the cold run's export artifacts; each
function's process CPU seconds are printed, and the reuse tables are compared with the +1 % run's
own (byte for byte). An A/B of two versions of tasks/reuse.py runs this once per checkout on the
same OUT; `--as-version` lets this checkout use the cold run's artifacts although its code version
differs (only valid while the artifact formats agree, as the code version's check is meant to make
sure of). Timing a whole +1 % run needs a cold output made by the same code (bench.scale plus);
this measures the stages' calls alone, in CPU seconds, which a loaded machine disturbs less.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if os.environ.get("BENCH_CODE"):  # another checkout's tasks (e.g. `git archive BASE tasks | tar -x -C DIR`)
    sys.path.insert(0, os.environ["BENCH_CODE"])


def _by_age(folder: Path) -> list[Path]:
    return sorted(
        (d for d in folder.iterdir() if (d / "_done.json").exists()), key=lambda d: (d / "_done.json").stat().st_mtime
    )


def _members_of(art: Path, sources: list[str]) -> list[str]:
    """The members artifacts the +1 % run's reuse_hits read, in its order: `hits.json` names each by
    its anchors file's content (`reuse._source_id`), not by path."""
    from tasks import reuse

    by_id = {reuse._source_id(str(d)): str(d) for d in _by_age(art / "members")}
    missing = [s for s in sources if s not in by_id]
    if missing:
        sys.exit(f"{len(missing)} of the +1 % run's members sources are not in {art / 'members'}")
    return [by_id[s] for s in sources]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for t in ("reuse", "reuse_formulae")
        for f in sorted((folder / t).glob("*.parquet"))
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("scratch")
    ap.add_argument("--cold", default="", help="the cold run's output, when OUT holds only the +1 % run's reuse")
    ap.add_argument("--as-version", action="store_true")
    ap.add_argument("--export", type=int, default=25)
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument(
        "--reuse-only",
        action="store_true",
        help="replay only the +1 %% run's reuse step, on its own hits artifact, against the cold reuse "
        "artifact (--cold): incremental, as in the flow (the hits artifact names the cold hits as its base)",
    )
    args = ap.parse_args()
    from tasks import reuse

    print("code:", Path(reuse.__file__).parent.parent)
    art = Path(args.out) / ".state" / "artifacts"
    scratch = Path(args.scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    old = Path(args.cold) / ".state" / "artifacts" if args.cold else art
    cold_h, plus_h = _by_age(old / "reuse_hits")[0], _by_age(art / "reuse_hits")[-1]
    cold_r, plus_r = _by_age(old / "reuse")[0], _by_age(art / "reuse")[-1]
    if cold_h == plus_h:
        sys.exit(f"{art} holds one reuse_hits artifact: name the cold run's output with --cold")
    if args.as_version:
        version = json.loads((cold_h / "hits.json").read_text())["version"]
        reuse._code_version = lambda: version
    meta = json.loads((plus_h / "hits.json").read_text())
    members = _members_of(art, meta["sources"])
    inputs = {"members": members}
    cpu: dict[str, list[float]] = {}

    def timed(name, fn, *a, **k):
        t = time.process_time()
        value = fn(*a, **k)
        cpu.setdefault(name, []).append(time.process_time() - t)
        return value

    if args.export_only:
        _exports(art, scratch, args.export, timed)
        for name, xs in cpu.items():
            print(f"  {name:<14} {len(xs):>3} calls {sum(xs):7.2f} CPU-s")
        return
    hits_dir = scratch / "hits"
    he, re_ = [str(cold_h)], [str(cold_r)]
    if args.reuse_only:
        inputs = {**inputs, "reuse_hits": str(plus_h)}
        rplan = timed("reuse_plan", reuse.reuse_plan, inputs, re_)
        parts = {
            q: timed("reuse_part", reuse.reuse_part, inputs, str(scratch / "reuse"), q, re_) for q in sorted(rplan)
        }
        reused = timed("reuse_finish", reuse.reuse_finish, inputs, str(scratch / "reuse"), parts, re_)
        reuse.release_parts()
        keys = ("pairs_computed", "pairs_reused", "parts_linked", "parts_written")
        same = _digests(scratch / "reuse") == _digests(plus_r)
        print("reuse:", {k: reused.get(k) for k in keys}, "| tables equal the +1 % run's:", same)
        for name, xs in cpu.items():
            print(f"  {name:<14} {len(xs):>3} calls {sum(xs):7.2f} CPU-s")
        return
    plan = timed("hits_plan", reuse.hits_plan, inputs, he)
    done = {p: timed("hits_part", reuse.hits_part, inputs, str(hits_dir), p, he) for p in sorted(plan)}
    hits = timed("hits_finish", reuse.hits_finish, inputs, str(hits_dir), done, he)
    (hits_dir / "_done.json").write_text(json.dumps(hits))
    inputs = {**inputs, "reuse_hits": str(hits_dir)}
    rplan = timed("reuse_plan", reuse.reuse_plan, inputs, re_)
    parts = {q: timed("reuse_part", reuse.reuse_part, inputs, str(scratch / "reuse"), q, re_) for q in sorted(rplan)}
    reused = timed("reuse_finish", reuse.reuse_finish, inputs, str(scratch / "reuse"), parts, re_)
    reuse.release_parts()
    same = _digests(scratch / "reuse") == _digests(plus_r)
    keys = ("groups", "groups_paired", "hits", "hits_paired", "hits_carried", "anchor_rows_read")
    print("reuse_hits:", {k: hits.get(k) for k in keys})
    keys = ("pairs_computed", "pairs_reused", "parts_linked", "parts_written")
    print("reuse:", {k: reused.get(k) for k in keys}, "| tables equal the +1 % run's:", same)
    if args.export:
        _exports(art, scratch, args.export, timed)
    for name, xs in cpu.items():
        print(f"  {name:<14} {len(xs):>3} calls {sum(xs):7.2f} CPU-s")


def _exports(art: Path, scratch: Path, limit: int, timed) -> None:
    """The +1 % run's export calls (those made from an artifact the cold run also exported)."""
    import pyarrow.parquet as pq

    from tasks import export

    exports = _by_age(art / "export")
    dedupe = _by_age(art / "dedupe")[-1]
    by_sources: dict[str, Path] = {}
    for d in exports:
        by_sources.setdefault(json.dumps(json.loads((d / "_done.json").read_text())["sources"], sort_keys=True), d)
    first = {}
    for p in sorted((dedupe / "assignments").glob("*.parquet")):
        ids = pq.ParquetFile(p).read(columns=["doc_id"]).column(0).to_pylist()
        first.update(dict.fromkeys(ids, p))
    plus = [d for d in exports if d.stat().st_mtime >= (dedupe / "_done.json").stat().st_mtime][:limit]
    for k, d in enumerate(plus):
        made = json.loads((d / "_done.json").read_text())
        sources = made["sources"]
        prev = by_sources[json.dumps(sources, sort_keys=True)]
        doc = pq.ParquetFile(d / "documents.parquet").read(columns=["doc_id"]).column(0)[0].as_py()
        inputs = {
            "normalize": str(art / "normalize" / sources["normalize"]),
            "extract": str(art / "extract" / sources["extract"]),
            "annotate": str(art / "annotate" / made["annotate"]),
            "dedupe": str(first[doc]),
            "roots": [],
        }
        earlier = [str(prev)] if prev != d else []
        timed(
            "export_shard",
            export.export_shard,
            inputs,
            str(scratch / "export" / str(k)),
            sources["pipeline_version"],
            earlier,
        )


if __name__ == "__main__":
    main()

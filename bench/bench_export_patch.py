"""CPU seconds of a +1 % run's patching export calls, replayed on one pipeline output.

    python bench/bench_export_patch.py OUT SCRATCH [--repeat 3]

OUT is a pipeline output (e.g. /tmp/jianghua-scale/pipeline-20000-out, read only). Every export
artifact of it is made again into SCRATCH by `tasks.export.export_shard`, with that very artifact as
`earlier`: the call takes the patching path a +1 % run takes for an old shard (the same normalize and
extract artifacts: other tables linked, documents.parquet's dedupe and input_root columns encoded
again and spliced into the earlier file's bytes, its sha256 taken). Printed: the CPU seconds of the
calls (process_time) per repeat and their median, how many were patched, and one digest of every
documents.parquet written (compare it between the two checkouts of an A/B: the same bytes). Why not bench/bench_plus_calls.py --export:
it needs the cold run's export artifacts, which a +1 % run prunes. An A/B runs this once per
checkout (BENCH_CODE=DIR runs another checkout's tasks/, e.g. `git archive BASE tasks | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if os.environ.get("BENCH_CODE"):
    sys.path.insert(0, os.environ["BENCH_CODE"])


def main() -> None:
    import pyarrow.parquet as pq

    from tasks import export

    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("scratch", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--evict", action="store_true", help="drop the earlier files from the page cache before each repeat"
    )
    args = ap.parse_args()
    art = args.out / ".state" / "artifacts"
    dedupe = sorted(d for d in (art / "dedupe").iterdir() if (d / "_done.json").exists())[-1]
    part_of = {}
    for p in sorted((dedupe / "assignments").glob("*.parquet")):
        for doc_id in pq.ParquetFile(p).read(columns=["doc_id"]).column(0).to_pylist():
            part_of[doc_id] = str(p)
    calls = []
    for d in sorted(x for x in (art / "export").iterdir() if (x / "_done.json").exists()):
        made = json.loads((d / "_done.json").read_text())
        sources = made["sources"]
        first = pq.ParquetFile(d / "documents.parquet").read(columns=["doc_id"]).column(0)[0].as_py()
        inputs = {
            "normalize": str(art / "normalize" / sources["normalize"]),
            "extract": str(art / "extract" / sources["extract"]),
            "annotate": str(art / "annotate" / made["annotate"]),
            "dedupe": part_of[first],
            "roots": [],
        }
        calls.append((d, inputs, sources["pipeline_version"]))
    if hasattr(export, "_documents_digest"):
        # an earlier artifact made by this code records its documents file's piece digests: the earlier
        # folders are linked into SCRATCH-earlier with them, as a +1 % run finds its cold run's
        prepared = args.scratch.with_name(args.scratch.name + "-earlier")
        shutil.rmtree(prepared, ignore_errors=True)
        for k, (d, inputs, version) in enumerate(calls):
            target = prepared / d.name
            target.mkdir(parents=True)
            for f in d.glob("*.parquet"):
                os.link(f, target / f.name)
            made = json.loads((d / "_done.json").read_text())
            digest, made[export.PIECES] = export._documents_digest(target / "documents.parquet")
            made["digests"]["documents"] = digest
            (target / "_done.json").write_text(json.dumps(made))
            calls[k] = (target, inputs, version)
    print("code:", Path(export.__file__).parent.parent, f"| {len(calls)} export calls")
    totals = []
    for r in range(args.repeat):
        shutil.rmtree(args.scratch, ignore_errors=True)
        total, wall, patched, digest = 0.0, 0.0, 0, hashlib.sha256()
        if args.evict:
            from bench.scale import evict

            for d, _, _ in calls:
                evict(d)
        for k, (d, inputs, version) in enumerate(calls):
            target = args.scratch / str(k)
            t, w = time.process_time(), time.perf_counter()
            stats = export.export_shard(inputs, str(target), version, [str(d)])
            total += time.process_time() - t
            wall += time.perf_counter() - w
            patched += bool(stats.get("patched"))
            digest.update(hashlib.sha256((target / "documents.parquet").read_bytes()).digest())
        totals.append(total)
        print(
            f"  run {r + 1}: {total:.3f} CPU-s, {wall:.2f} s; patched {patched} of {len(calls)}; documents {digest.hexdigest()[:16]}"
        )
    print(f"  median {statistics.median(totals):.3f} CPU-s")
    shutil.rmtree(args.scratch, ignore_errors=True)
    shutil.rmtree(args.scratch.with_name(args.scratch.name + "-earlier"), ignore_errors=True)


if __name__ == "__main__":
    main()

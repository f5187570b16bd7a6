"""Peak RSS of each stage call alone, in a fresh process, on a finished run's artifacts.

    python -m bench.stage_peaks OUT [--stages dedupe,repair,reuse,members,export] [--shard N]

OUT is a pipeline output whose `.state/artifacts/<stage>/<key>/` hold the last run's artifacts
(e.g. /tmp/jianghua-scale/pipeline-20000-out; read only: every call writes under a temporary
folder). Each call runs in its own `python` process, as the pool would run it (tasks.steps), and
reports the kernel's exact peak (VmHWM) after the call, the RSS after its imports, and CPU seconds.
Global stages read every shard's artifacts; shard stages (members, export, extract, ...) run on one
shard (--shard, default: the largest). A partitioned stage (repair) runs its plan, each batch of
parts the pool would run (tasks.steps.balance over WORKERS x CALLS_PER_WORKER) and its finish, each
in a fresh process. Runs cold: no `earlier` artifacts, no previous dedupe index.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKERS = 2  # the bench's --workers: how the pool batches a partitioned stage's parts

CHILD = r"""
import json, resource, sys, time
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
import importlib
ref, args, kwargs = json.loads(sys.argv[1])
module, function = ref.split(":", 1)
fn = getattr(importlib.import_module(module), function)
import_mb = status("VmRSS")
t = time.process_time()
fn(*args, **kwargs)
print(json.dumps({"import_mb": import_mb, "peak_mb": status("VmHWM"), "cpu_s": round(time.process_time() - t, 1)}))
"""


def artifacts(state: Path, stage: str) -> list[str]:
    """Complete artifact folders of a stage (the last run's: the run prunes the others)."""
    return sorted(str(p.parent) for p in (state / "artifacts" / stage).glob("*/_done.json"))


def shard_order(state: Path) -> list[dict[str, str]]:
    """Per shard, in the flow's order (the dedupe artifact's assignments part index): its artifact
    folder of each shard stage, matched through the documents' ids."""
    import pyarrow.parquet as pq

    dedupe = Path(artifacts(state, "dedupe")[0])
    owner: dict[str, dict[str, str]] = {}
    for stage in ("normalize", "extract", "signatures", "members", "export"):
        for d in artifacts(state, stage):
            name = {"extract": "fields.parquet", "signatures": "signatures.parquet", "members": "canonical.parquet"}
            f = Path(d) / name.get(stage, "docs.parquet" if stage == "normalize" else "documents.parquet")
            if not f.exists():
                continue
            ids = pq.ParquetFile(f).read(columns=["doc_id"]).column("doc_id").to_pylist()
            for i in ids[:50]:
                owner.setdefault(i, {})[stage] = d
    shards = []
    for part in sorted((dedupe / "assignments").glob("*.parquet")):
        ids = pq.ParquetFile(part).read(columns=["doc_id"]).column("doc_id").to_pylist()
        found: dict[str, str] = {"assignments": str(part)}
        for i in ids:
            for stage, d in owner.get(i, {}).items():
                found.setdefault(stage, d)
        shards.append(found)
    return shards


def run_child(ref: str, args: list, kwargs: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([ref, args, kwargs])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(label: str, r: dict) -> None:
    if "error" in r:
        print(f"   {label:<40} FAILED: {r['error']}", flush=True)
    else:
        print(
            f"   {label:<40} peak {r['peak_mb']:>6,} MB  (after imports {r['import_mb']:>4,} MB)  {r['cpu_s']:>6.1f} s CPU",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    from tasks.stages import STAGES
    from tasks.steps import CALLS_PER_WORKER, balance

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--stages", default="dedupe,repair,reuse,members,export")
    ap.add_argument("--shard", type=int, default=None)
    args = ap.parse_args(argv)
    state = Path(args.out) / ".state"
    shards = shard_order(state)
    sizes = [sum(f.stat().st_size for f in Path(s["normalize"]).rglob("*") if f.is_file()) for s in shards]
    pick = args.shard if args.shard is not None else max(range(len(shards)), key=lambda i: sizes[i])
    dedupe_dir = artifacts(state, "dedupe")[0]
    print(f"{args.out}: {len(shards)} shards; shard stages on shard {pick} ({sizes[pick] / 1e6:,.0f} MB normalize)")
    with tempfile.TemporaryDirectory(prefix="stage-peaks-") as tmp:
        for name in args.stages.split(","):
            s = STAGES[name]
            out = str(Path(tmp) / name)
            if s.scope == "global":
                inputs = {r: [sh[r] for sh in shards] for r in s.reads}
            else:
                sh = shards[pick]
                inputs = {r: sh[r] for r in s.reads if r in sh}
                if "dedupe" in s.reads:
                    inputs["dedupe"] = sh["assignments"]
                    if s.views.get("dedupe", "").endswith("assignments_and_shared"):
                        inputs["duplicates"] = str(Path(dedupe_dir) / "duplicates.parquet")
                if "boilerplate" in s.reads:
                    inputs["boilerplate"] = artifacts(state, "boilerplate")[0]
            params: dict = {}
            if "pipeline_version" in s.params:
                params["pipeline_version"] = "bench"
            if "top_k" in s.params:
                params["top_k"] = 10
            if "min_chars" in s.params:
                params["min_chars"] = 200
            if s.hints.endswith("earlier_artifacts"):
                params["earlier"] = []
            if s.hints.endswith("previous_dedupe_index"):
                params["prev_state"] = None
            if not s.plan:
                show(name, run_child(s.runner, [inputs, out], params))
                continue
            planned = json.loads(
                subprocess.run(
                    [sys.executable, "-c", "import json,sys; from tasks.stages import resolve; "
                     "a=json.loads(sys.argv[1]); print(json.dumps(resolve(a[0])(a[1], **a[2])))",
                     json.dumps([s.plan, inputs, params])],
                    cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=True,
                ).stdout
            )  # fmt: skip
            show(f"{name} plan", run_child(s.plan, [inputs], params))
            Path(out).mkdir(parents=True, exist_ok=True)
            batches = balance(planned, WORKERS * CALLS_PER_WORKER)
            for i, batch in enumerate(batches):
                r = run_child("tasks.steps:run_part_batch", [s.runner, inputs, out, batch, params], {})
                show(f"{name} parts batch {i} ({len(batch)} parts)", r)
            marks = {p: Path(out) / "_parts" / f"{p}.json" for p in sorted(planned)}
            parts = {p: json.loads(m.read_text()) if m.exists() else {} for p, m in marks.items()}
            show(f"{name} finish", run_child(s.finish, [inputs, out, parts], params))
    return 0


if __name__ == "__main__":
    sys.exit(main())

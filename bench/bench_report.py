"""CPU seconds and peak RSS of building the corpus report (tasks.report), cold and warm cache.

    python bench/bench_report.py OUT SCRATCH [--scale K ...] [--repeat N]

OUT is an output folder (e.g. /tmp/jianghua-scale/pipeline-20000-out/current); it is only read.
SCRATCH receives the report cache (SCRATCH/cache), the written pages and the synthetic folders.
Each measurement runs `tasks.report.build_report` in a fresh interpreter and prints the call's
process CPU seconds, the process' peak RSS (ru_maxrss) and its RSS before the call (imports), so
a figure is the report's own and not the bench's. pandas and pyarrow.acero are imported before the
call (a pool worker that ran other calls has them: any pa.array() imports pandas, ~0.3-0.5 CPU-s
in a fresh process); --no-preimport counts them in. Modes:

    cold   no cache folder given (every file read; what a report of a foreign folder costs)
    fill   an empty cache folder (every file read, partial aggregates written)
    warm   the filled cache folder (nothing read but the cache and the footers)

`--plus LATER` fills the cache with OUT's report, then builds LATER's (a release of the same corpus
after a +1 % run: most files unchanged, documents re-exported with only dedupe columns moved) cold
and with that cache — what the flow's report costs on a +1 % run.
`--scale K` also builds SCRATCH/synth-K: OUT's documents linked, and its keyword files copied K
times with the doc ids made distinct (keyword rows ×K, as a corpus K times larger has), then
measures cold and fill on it: the peak RSS must stay flat as K grows (partials are per file).
`BENCH_CODE=DIR` imports another checkout's tasks (`git archive BASE tasks | tar -x -C DIR`)
for an A/B in the same window; a checkout without the cache measures its one whole-table read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import inspect, json, os, resource, sys, time
sys.path.insert(0, {root!r})
if os.environ.get("BENCH_CODE"):
    sys.path.insert(0, os.environ["BENCH_CODE"])
from tasks import report
if {preimport!r}:  # a pool worker that ran other calls has these loaded: measure the report's own work
    import pandas, pyarrow.acero, pyarrow.dataset
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
before = rss()
kw = {{}}
if {cache!r} is not None and "cache_dir" in inspect.signature(report.build_report).parameters:
    kw["cache_dir"] = {cache!r}
t0 = time.process_time()
text = report.build_report({out!r}, **kw)
cpu = time.process_time() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
open({page!r}, "w", encoding="utf-8").write(text)
print(json.dumps({{"cpu": cpu, "peak_mb": peak, "imports_mb": before, "cached": "cache_dir" in kw}}))
"""


PREIMPORT = True


def measure(out: str, cache: str | None, page: Path) -> dict:
    code = CHILD.format(root=str(ROOT), out=out, cache=cache, page=str(page), preimport=PREIMPORT)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    fig = json.loads(res.stdout.strip().splitlines()[-1])
    fig["sha"] = hashlib.sha256(page.read_bytes()).hexdigest()[:12]
    return fig


def synth(out: Path, scratch: Path, k: int) -> Path:
    """OUT's documents (linked) and its keywords ×k (distinct doc ids per copy)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    target = scratch / f"synth-{k}"
    if (target / ".done").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    (target / "documents").mkdir(parents=True)
    for f in sorted((out / "documents").glob("*.parquet")):
        os.symlink(f.resolve(), target / "documents" / f.name)
    (target / "keywords").mkdir()
    for f in sorted((out / "keywords").glob("*.parquet")):
        t = pq.read_table(f)
        for c in range(k):
            ids = pc.binary_join_element_wise(t.column("doc_id"), f"{c:04d}", "")
            pq.write_table(t.set_column(0, "doc_id", ids), target / "keywords" / f"{f.stem}-{c:04d}.parquet")
    (target / ".done").write_text("")
    return target


def show(label: str, fig: dict) -> None:
    print(
        f"{label:<28} cpu {fig['cpu']:7.3f} s   peak RSS {fig['peak_mb']:6d} MB "
        f"(imports {fig['imports_mb']} MB, call +{fig['peak_mb'] - fig['imports_mb']} MB)   page {fig['sha']}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("scratch")
    ap.add_argument("--scale", type=int, nargs="*", default=[])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--plus",
        help="a later release of the same corpus (the +1 %% run's): its report built cold, and with the cache OUT's filled",
    )
    ap.add_argument("--no-preimport", action="store_true", help="time pandas/acero imports as part of the call")
    args = ap.parse_args()
    global PREIMPORT
    PREIMPORT = not args.no_preimport
    out = os.path.abspath(args.out)
    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    print("code:", os.environ.get("BENCH_CODE") or ROOT)
    for r in range(args.repeat):
        cache = scratch / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        show(f"cold (no cache) #{r}", measure(out, None, scratch / "cold.html"))
        show(f"fill (empty cache) #{r}", measure(out, str(cache), scratch / "fill.html"))
        show(f"warm (filled cache) #{r}", measure(out, str(cache), scratch / "warm.html"))
    if args.plus:
        plus = os.path.abspath(args.plus)
        cache = scratch / "cache-plus"
        shutil.rmtree(cache, ignore_errors=True)
        show("OUT fill (empty cache)", measure(out, str(cache), scratch / "before.html"))
        show("plus cold (no cache)", measure(plus, None, scratch / "plus-cold.html"))
        show("plus with OUT's cache", measure(plus, str(cache), scratch / "plus-warm.html"))
        same = (scratch / "plus-cold.html").read_bytes() == (scratch / "plus-warm.html").read_bytes()
        print(f"plus report with the cache == cold: {same}")
    for k in args.scale:
        folder = synth(Path(out), scratch, k)
        cache = scratch / f"cache-{k}"
        shutil.rmtree(cache, ignore_errors=True)
        show(f"keywords x{k} cold", measure(str(folder), None, scratch / f"synth-{k}.html"))
        show(f"keywords x{k} fill", measure(str(folder), str(cache), scratch / f"synth-{k}-fill.html"))
        show(f"keywords x{k} warm", measure(str(folder), str(cache), scratch / f"synth-{k}-warm.html"))


if __name__ == "__main__":
    main()

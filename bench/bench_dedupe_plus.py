"""CPU seconds and peak RSS of the global dedupe call on a +1 % run, on a finished run's real signatures.

    python -m bench.bench_dedupe_plus OUT --work DIR [--new 1] [--cold-check] [--set NAME=VALUE ...]

OUT is a pipeline output whose last run added new shards (e.g. /tmp/jianghua-scale/pipeline-20000-out after
its +1 % run; read only). Its signature artifacts are copied to DIR in the dedupe state's input order; the
`--new` most recently written ones are the new documents. In fresh processes, with this checkout's code:
a cold `cluster_shards` on the other files (DIR/base, kept and reused while its inputs are the same), then
the +1 % call on all of them with DIR/base/state as the previous state. Each child prints CPU seconds (one
core: usable under load) and VmHWM; the +1 % child first reads one Parquet file, so the reader's library
pages (~90 MB of RssFile that a pool worker has already paged in) are not counted as the call's growth.
`--cold-check` also runs a cold call on all files and compares the Parquet outputs byte for byte.
`--set NAME=VALUE` sets an integer constant of tasks.dedupe_cluster in every child (e.g.
`DELTA_PART_PAIRS=20000` to force many pair partitions); use a separate DIR per setting (the base is
reused while its inputs are the same). `--pin-version` fixes the code version string in every child, so
one base (made by any checkout with the same state layout) serves +1 % calls of several checkouts, A/B in
one window (session 11); `--profile FILE` dumps cProfile stats of the +1 % call; `--threads N` runs the
+1 % call as the flow does on N workers (its wall time is then the figure: CPU counts every thread).
`--evict` drops the base state's and the signature files from the page cache before the +1 % call (posix_fadvise
DONTNEED): the flow's nightly call after a cold run whose output did not fit in the page cache
(100k: ~33 GB of output on a 24 GB machine; its call took 46 s in the flow against 31.5 s replayed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
import pyarrow.parquet as pq
import tasks.dedupe_cluster as dc
from tasks.dedupe_cluster import cluster_shards
dirs, out, prev, overrides, pin, profile, threads = json.loads(sys.argv[1])
for name, value in overrides.items():
    setattr(dc, name, value)
if pin:
    dc.params_version = lambda: "dedupe-pinned"
pq.read_table(dirs[-1] + "/signatures.parquet")  # warm-up: the Parquet reader's library pages
before = status("VmRSS")
if profile:
    import cProfile
    prof = cProfile.Profile(time.process_time)
    prof.enable()
t, w = time.process_time(), time.perf_counter()
stats = cluster_shards({"signatures": dirs}, out, prev, threads=threads)
cpu, wall = time.process_time() - t, time.perf_counter() - w
if profile:
    prof.disable()
    prof.dump_stats(profile)
keep = ("docs", "fast_path", "reexamined_docs", "reverified_pairs", "regrouped_docs", "candidates_bands",
        "candidates_anchors", "anchor_moved_pairs", "pair_partitions", "df_keys", "df_recount_keys",
        "weight_changed_keys", "weight_changed_rows", "holder_rows_skipped", "fast_steps", "state_bytes_hashed", "state_files_trusted",
        "phase_wall_s", "phase_cpu_s", "phase_peak_mb", "phase_read_mb")
import resource
io = dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())
print(json.dumps({"major_faults": resource.getrusage(resource.RUSAGE_SELF).ru_majflt, "read_mb": int(io["read_bytes"]) >> 20,
                  "cpu_s": round(cpu, 1), "wall_s": round(wall, 1), "peak_mb": status("VmHWM"), "growth_mb": status("VmHWM") - before,
                  **{k: stats[k] for k in keep if k in stats}}))
"""


def signature_files(out: Path) -> list[Path]:
    """The signature files of OUT's last dedupe call, in its input order (matched by digest)."""
    sys.path.insert(0, str(ROOT))
    from tasks.dedupe_cluster import _file_digest

    arts = out / ".state" / "artifacts"
    states = list((arts / "dedupe").glob("*/state/state.json"))
    if len(states) != 1:
        sys.exit(f"{out}: expected one dedupe artifact with a state (found {len(states)})")
    order = json.loads(states[0].read_text())["inputs"]
    by_digest = {_file_digest(str(f)): f for f in (arts / "signatures").glob("*/signatures.parquet")}
    missing = [d for d in order if d not in by_digest]
    if missing:
        sys.exit(f"{out}: {len(missing)} signature files of the dedupe state are not among the artifacts")
    return [by_digest[d] for d in order]


OVERRIDES: dict[str, int] = {}
PIN: list[bool] = [False]


def child(dirs: list[str], out: Path, prev: str | None, profile: str = "", threads: int = 1) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([dirs, str(out), prev, OVERRIDES, PIN[0], profile, threads])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        sys.exit(f"child failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def parquet_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet")) if "state" not in p.parts
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--work", required=True)
    ap.add_argument("--new", type=int, default=1, help="how many of the newest signature files are new")
    ap.add_argument("--cold-check", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an integer constant")
    ap.add_argument(
        "--pin-version",
        action="store_true",
        help="every child's params_version() is one fixed string: a base made by one checkout serves "
        "the +1 %% call of another (A/B of the same state layout without a cold call per edit)",
    )
    ap.add_argument("--profile", default="", metavar="FILE", help="cProfile stats of the +1 %% call to FILE")
    ap.add_argument("--threads", type=int, default=1, help="the +1 %% call's threads (the flow passes 2 on 2 workers)")
    ap.add_argument("--evict", action="store_true", help="the base state out of the page cache before the +1 %% call")
    args = ap.parse_args(argv)
    PIN[0] = args.pin_version
    for item in args.set:
        name, value = item.split("=", 1)
        OVERRIDES[name] = int(value)
    work = Path(args.work)
    copied = sorted(work.glob("sig/*/signatures.parquet"))
    if copied and not list(Path(args.out).glob(".state/artifacts/dedupe/*/state/state.json")):
        files = copied  # OUT is being rebuilt: the copies made from it earlier (same order, mtimes kept)
    else:
        files = signature_files(Path(args.out))
    newest = set(sorted(files, key=lambda f: f.stat().st_mtime)[-args.new :])
    dirs, base_dirs = [], []
    for i, f in enumerate(files):
        d = work / "sig" / f"{i:03d}"
        d.mkdir(parents=True, exist_ok=True)
        if not (d / "signatures.parquet").exists() or (d / "signatures.parquet").stat().st_size != f.stat().st_size:
            shutil.copy2(f, d / "signatures.parquet")
        dirs.append(str(d))
        if f not in newest:
            base_dirs.append(str(d))
    base = work / "base"
    stamp = work / "base-inputs.json"
    if not (base / "state").exists() or not stamp.exists() or json.loads(stamp.read_text()) != base_dirs:
        cold = child(base_dirs, base, None)
        stamp.write_text(json.dumps(base_dirs))
        print(f"base cold ({len(base_dirs)} files): {json.dumps(cold)}")
    if args.evict:
        from bench.scale import evict

        gone = evict(base / "state") + evict(work / "sig")
        print(f"evicted {gone / 1e6:,.0f} MB of the base state and signature files from the page cache")
    plus = child(dirs, work / "plus", str(base / "state"), args.profile, args.threads)
    print(f"+ {args.new} new file(s), incremental: {json.dumps(plus)}")
    if args.cold_check:
        cold = child(dirs, work / "cold", None)
        same = parquet_bytes(work / "plus") == parquet_bytes(work / "cold")
        print(f"cold on all files: {json.dumps(cold)}")
        print(f"incremental / cold CPU: {plus['cpu_s'] / cold['cpu_s']:.1%}; same bytes: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

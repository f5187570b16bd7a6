"""hits_finish on a +1 % run with many dirty pairs: its peak RSS and CPU seconds, this checkout
against another one (e.g. main before session 9), on the same hits parts.

The reuse step's incremental finish gathers the hits of every pair to recompute. On the 100k
bench's +1 % run (1,000 new near-copies) it peaked at 1,193 MB (session 8), over issue 10's
1 GB bound per process. This bench rebuilds that shape from a pipeline output's members
artifacts (e.g. the 20k bench's), all of them read-only:

  1. the hits step cold on BASE (every members artifact of OUT), in this process;
  2. COPIES near-copies of BASE's canonical documents (each a new document in its own cluster, its
     text the original less its last 200 characters) as one new members artifact in WORK, and the
     hits step's parts on BASE + it, compared with step 1 (each near-copy pairs with its original
     and every partner of it: their pairs are dirty; groups it joins can cross RARE_CLUSTERS);
  3. hits_finish on a copy of those parts, once per checkout, each in a child process: CPU
     seconds (time.process_time) and peak RSS (VmHWM, plus the RSS before the call), and
     whether both wrote the same pairs to recompute and the same dirty hits.

    python -m bench.bench_hits_finish OUT WORK [--copies 1000] [--code /tmp/before]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TAIL_CUT = 200  # characters a near-copy drops at its end: a new text, same passages


def members_of(out: Path) -> list[str]:
    folder = out / ".state" / "artifacts" / "members"
    return sorted(str(d) for d in folder.iterdir() if (d / "_done.json").exists())


def hits_parts(members: list[str], hits_dir: Path, earlier: list[str]) -> dict:
    from tasks import reuse

    inputs = {"members": members}
    plan = reuse.hits_plan(inputs, earlier)
    return {p: reuse.hits_part(inputs, str(hits_dir), p, earlier) for p in sorted(plan)}


def near_copies(members: list[str], n: int, folder: Path, seed: int = 9) -> str:
    import pyarrow.parquet as pq

    from bench.bench_reuse import write_members

    cols = ["doc_id", "cluster_id", "text", "year", "delivered_on", "admin_level"]
    docs = [r for m in members for r in pq.read_table(Path(m) / "canonical.parquet", columns=cols).to_pylist()]
    rng = random.Random(seed)
    picked = rng.sample([d for d in docs if len(d["text"] or "") > 4 * TAIL_CUT], n)
    out = []
    for k, d in enumerate(picked):
        doc_id = f"{rng.getrandbits(64):016x}"
        out.append({**d, "doc_id": doc_id, "cluster_id": f"copy-{k}", "text": d["text"][:-TAIL_CUT]})
    folder.mkdir(parents=True, exist_ok=True)
    return write_members(out, folder)


def vm_hwm() -> int:
    """This process's peak RSS in bytes since its exec (VmHWM). Not ru_maxrss: Linux carries the
    forking parent's RSS over into a child's ru_maxrss, and the parent here held the hits step."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(code: str, hits_dir: Path) -> None:
    """One measured hits_finish (with `code` first on sys.path): JSON on stdout."""
    sys.path.insert(0, code)
    import psutil

    from tasks import reuse

    assert Path(reuse.__file__).resolve().is_relative_to(Path(code).resolve()), reuse.__file__
    args = json.loads((hits_dir / "finish_args.json").read_text())
    rss0 = psutil.Process().memory_info().rss
    cpu = time.process_time()
    reuse.hits_finish({"members": args["members"]}, str(hits_dir), args["parts"], args["earlier"])
    cpu = time.process_time() - cpu
    peak = vm_hwm()
    print(json.dumps({"cpu": round(cpu, 2), "rss_before": rss0, "peak": peak}))


def dirty_of(hits_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(pairs to recompute, their hits) in either layout: one file (before) or one per part."""
    if (hits_dir / "dirty.npy").exists():
        return np.load(hits_dir / "dirty.npy"), np.load(hits_dir / "dirty_hits.npy")
    keys = [np.load(f) for f in sorted((hits_dir / "dirty_pairs").glob("*.npy"))]
    hits = [np.load(f) for f in sorted((hits_dir / "dirty_hits").glob("*.npy"))]
    return np.concatenate(keys), np.concatenate(hits)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a pipeline output (its members artifacts are read only)")
    ap.add_argument("work", type=Path, help="a folder of this bench's own")
    ap.add_argument("--copies", type=int, default=1000, help="near-copies in the new members artifact")
    ap.add_argument("--code", action="append", default=[], help="another checkout to measure (repeatable)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    sys.path.insert(0, str(ROOT))
    from tasks import reuse

    work = args.work
    base_members = members_of(args.out)
    base_hits = work / f"base-{reuse._code_version()}" / "hits"  # an earlier artifact of other code lends nothing
    if not (base_hits / "_done.json").exists():
        shutil.rmtree(base_hits, ignore_errors=True)
        t = time.process_time()
        parts = hits_parts(base_members, base_hits, [])
        reuse.hits_finish({"members": base_members}, str(base_hits), parts, [])
        (base_hits / "_done.json").write_text("{}")
        print(f"hits step cold on BASE ({len(base_members)} members): {time.process_time() - t:.1f} s CPU", flush=True)
    new = near_copies(base_members, args.copies, work / f"copies-{args.copies}")
    members = [*base_members, new]
    plus = work / f"plus-{args.copies}"
    shutil.rmtree(plus, ignore_errors=True)
    t = time.process_time()
    parts = hits_parts(members, plus, [str(base_hits)])
    print(f"hits parts on BASE + {args.copies} near-copies: {time.process_time() - t:.1f} s CPU", flush=True)
    (plus / "finish_args.json").write_text(
        json.dumps({"members": members, "parts": parts, "earlier": [str(base_hits)]})
    )
    results = {}
    print(f"{'code':<40} {'CPU':>7} {'RSS before':>11} {'peak RSS':>9} {'pairs':>10} {'dirty hits':>11}")
    for code in [*args.code, str(ROOT)]:
        run = work / f"finish-{len(results)}"
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(plus, run, copy_function=os.link)  # the parts' files, hard-linked: finish writes new ones
        cmd = [sys.executable, "-m", "bench.bench_hits_finish", str(args.out), str(work), "--child", code, str(run)]
        got = json.loads(subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
        if not (run / "hits.json").exists() or json.loads((run / "hits.json").read_text())["base"] is None:
            sys.exit(f"{run}: not compared with {base_hits}")
        keys, hits = dirty_of(run)
        results[code] = (keys, hits)
        print(
            f"{code:<40} {got['cpu']:>6.2f}s {got['rss_before'] / 1e6:>9,.0f}MB {got['peak'] / 1e6:>7,.0f}MB"
            f" {len(keys):>10,} {len(hits):>11,}",
            flush=True,
        )
    first = next(iter(results.values()))
    same = all(np.array_equal(k, first[0]) and np.array_equal(h, first[1]) for k, h in results.values())
    print(f"same pairs to recompute and dirty hits: {same}")


if __name__ == "__main__":
    main()

"""The release tail of a recorded nightly run, replayed: build_release and publish in a fresh process.

    python -m bench.bench_release OUT COLD SCRATCH [--old CHECKOUT] [--rounds 2] [--releases 3]

OUT is a finished +1 % output (`bench.scale plus` leaves it), COLD the cold output it was restored from.
Each round makes SCRATCH/out: the night's artifacts the release reads, hard-linked from OUT (never
written: every file the tail writes is new, by temp + rename), the cold release current with the cold
run's release state (`release-digests.json`, the merged rejects), and `--releases` releases in all (the
cold one linked again under older ids), so the publish drops the oldest as a night does once three are
kept. Then, in a fresh interpreter whose code is the checkout (this one, or `--old`), the flow's
release tail runs on it: build_release (the night's exports, reject files, duplicates and global
parts), then publish (no report) and its garbage collection; CPU-s (process_time) and wall of each, and
of the flow's critical path (until publish returns). A checkout whose publish takes `discard` gets a
thread that deletes the dropped release beside it, joined after the timing. Rounds alternate old and
new. The state a cold run of the code would have left (the new code's row counts and merged rejects'
sources) is made first by the same code on the cold release, untimed. Published bytes are compared.
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

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, threading, time
from pathlib import Path
import pandas, pyarrow.dataset  # loaded in the flow process by then (tasks.dedupe_cluster's import, the located rejects)
import pyarrow.parquet as pq
from tasks import publish as P
from tasks import schema

out, spec_file, prime = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "prime"
spec = json.loads(spec_file.read_text())
if prime:  # what a cold run of this code leaves beside the cold release (untimed)
    rows = getattr(P, "_Rows", None)
    if rows is not None:
        r = rows(out / ".state" / P.ROWS)
        P._describe(out / "releases" / spec["cold_id"], r)
        r.save()
    if hasattr(P, "_merge_rejects"):
        made = out / ".state" / "artifacts" / P.RELEASED
        digests = P._Digests(out / ".state" / P.DIGESTS)
        cold = [digests.of(p) for p in spec["cold_rejects"]]
        [merged] = made.glob("rejects-*.parquet")
        P._write_json_atomic({"sources": cold}, merged.with_suffix(".json"))
    sys.exit(0)
threads = []
def discard(folder):
    t = threading.Thread(target=lambda: __import__("shutil").rmtree(folder, ignore_errors=True))
    t.start(); threads.append(t)
c0, w0 = time.process_time(), time.perf_counter()
with P.output_lock(out):
    release_dir, tables = P.build_release(str(out), [tuple(x) for x in spec["exports"]], spec["rejects"],
                                          spec["duplicates"], spec["global_parts"])
    c1, w1 = time.process_time(), time.perf_counter()
    kw = {"discard": discard} if "discard" in P.publish.__code__.co_varnames else {}
    P.publish(str(out), release_dir, {"tables": tables}, **kw)
    c2, w2 = time.process_time(), time.perf_counter()
    for t in threads:
        t.join()
    c3, w3 = time.process_time(), time.perf_counter()
print(json.dumps({"build_cpu": c1 - c0, "build_wall": w1 - w0, "publish_cpu": c2 - c1, "publish_wall": w2 - w1,
                  "gc_after_cpu": c3 - c2, "gc_after_wall": w3 - w2, "release": Path(release_dir).name,
                  "tables": tables, "discard": bool(kw)}))
"""


def _link_tree(src: Path, dst: Path) -> None:
    subprocess.run(["cp", "-al", str(src), str(dst)], check=True)


def _spec(out: Path, night: Path, cold: Path) -> dict:
    """The flow's arguments to build_release for the night, from the artifacts its release links."""
    state = night / ".state" / "artifacts"
    plus_id = Path(os.readlink(night / "current")).name
    by_inode = {(d / "documents.parquet").stat().st_ino: d.name for d in (state / "export").iterdir() if d.is_dir()}
    exports = []
    for part in sorted((night / "releases" / plus_id / "documents").iterdir()):
        sid = part.name.split("-", 2)[2][: -len(".parquet")]
        exports.append((sid, str(out / ".state" / "artifacts" / "export" / by_inode[part.stat().st_ino])))

    def located(root: Path, where: Path) -> list[str]:
        files = sorted((root / ".state" / "artifacts" / "located").glob("*.parquet"))
        order = [f for f in files if f.name.startswith("ingest-")] + [
            f for f in files if f.name.startswith("normalize-")
        ]
        return [str(where / f.name) for f in order]

    [dedupe] = (state / "dedupe").iterdir()
    [repair] = (state / "repair").iterdir()
    [reuse] = (state / "reuse").iterdir()
    art = out / ".state" / "artifacts"
    return {
        "exports": exports,
        "rejects": located(night, art / "located"),
        "cold_rejects": located(cold, art / "located"),
        "duplicates": str(art / "dedupe" / dedupe.name / "duplicates.parquet"),
        "global_parts": {
            t: sorted(str(art / d.parent.name / d.name / t / p.name) for p in (d / t).glob("*.parquet"))
            for d, tables in ((repair, ("best_texts", "repairs")), (reuse, ("reuse", "reuse_formulae")))
            for t in tables
        },
        "cold_id": Path(os.readlink(cold / "current")).name,
        "plus_id": plus_id,
    }


def _prepare(night: Path, cold: Path, scratch: Path, releases: int) -> tuple[Path, dict]:
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    art = out / ".state" / "artifacts"
    art.mkdir(parents=True)
    for stage in ("export", "annotate", "dedupe", "repair", "reuse"):
        _link_tree(night / ".state" / "artifacts" / stage, art / stage)
    # located rejects of both runs (the cold run's are a subset of the night's, by name)
    (art / "located").mkdir()
    for root in (cold, night):
        for f in (root / ".state" / "artifacts" / "located").glob("*.parquet"):
            if not (art / "located" / f.name).exists():
                os.link(f, art / "located" / f.name)
    spec = _spec(out, night, cold)
    # the release state the cold run left (copies: the tail replaces them)
    shutil.copy2(cold / ".state" / "release-digests.json", out / ".state" / "release-digests.json")
    shutil.copytree(cold / ".state" / "artifacts" / "release", art / "release")
    (out / "releases").mkdir()
    cold_id = spec["cold_id"]
    _link_tree(night / "releases" / cold_id, out / "releases" / cold_id)
    now = time.time()
    for k in range(releases - 1):  # older releases (the cold one under other ids), oldest first
        fake = f"{k:020d}"
        _link_tree(night / "releases" / cold_id, out / "releases" / fake)
        os.utime(out / "releases" / fake, (now - 100 + k, now - 100 + k))
    os.symlink(f"releases/{cold_id}", out / "current")
    for name in (*_tables(), "manifest.json", "report.html"):
        os.symlink(f"current/{name}", out / name)
    return out, spec


def _tables() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tasks import schema

    return list(schema.TABLES)


def _published(out: Path, release: str) -> dict[str, str]:
    root = out / "releases" / release
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.parquet"))
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("out")
    ap.add_argument("cold")
    ap.add_argument("scratch")
    ap.add_argument("--old", default=None, help="a checkout of the code to compare with (alternated)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--releases", type=int, default=3, help="releases before the night's (3: the night drops one)")
    args = ap.parse_args(argv)
    night, cold, scratch = Path(args.out), Path(args.cold), Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    codes = [("old", Path(args.old).resolve()), ("new", ROOT)] if args.old else [("new", ROOT)]
    bytes_of: dict[str, dict[str, str]] = {}
    for r in range(args.rounds):
        for label, code in codes:
            out, spec = _prepare(night, cold, scratch, args.releases)
            spec_file = scratch / "spec.json"
            spec_file.write_text(json.dumps(spec))
            env = {**os.environ, "PYTHONPATH": str(code)}
            cmd = [sys.executable, "-c", CHILD, str(out), str(spec_file)]
            subprocess.run([*cmd, "prime"], cwd=code, env=env, check=True)
            got = json.loads(subprocess.run([*cmd, "run"], cwd=code, env=env, check=True, capture_output=True,
                                            text=True).stdout)  # fmt: skip
            kept = sorted(p.name for p in (out / "releases").iterdir() if not p.name.startswith("."))
            print(
                f"round {r + 1} {label}: build_release {got['build_cpu']:.3f} CPU-s {got['build_wall']:.3f} s; "
                f"publish {got['publish_cpu']:.3f} CPU-s {got['publish_wall']:.3f} s; "
                f"critical path {got['build_cpu'] + got['publish_cpu']:.3f} CPU-s "
                f"{got['build_wall'] + got['publish_wall']:.3f} s; dropped release deleted after: "
                f"{got['gc_after_cpu']:.3f} CPU-s {got['gc_after_wall']:.3f} s; releases kept {len(kept)}",
                flush=True,
            )
            assert got["release"] == spec["plus_id"], (got["release"], spec["plus_id"])
            published = _published(out, got["release"])
            if published != _published(night, spec["plus_id"]):
                sys.exit(f"{label}: the release's bytes differ from the recorded night's")
            bytes_of[label] = published
            manifest = json.loads((night / "manifest.json").read_text())["tables"]
            if got["tables"] != manifest:
                sys.exit(f"{label}: the release's tables (rows, files) differ from the recorded manifest's")
    print("published bytes and tables identical to the recorded night's for every run")
    shutil.rmtree(scratch / "out", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

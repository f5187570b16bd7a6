"""Per-stage throughput and worker memory of the shard stages, on the artifacts of one cold run.

    python -m bench.scale build 2000 /tmp/bench && python -m flows.cli run /tmp/bench --out /tmp/bench-out --workers 1
    python -m bench.bench_stages /tmp/bench-out [--stages normalize extract] [--profile extract] [--check]

Each shard stage (normalize, extract, signatures, members) is re-run on every shard of OUT's cold run, the way a
pool worker runs it: in a fresh forked process that first imports and warms the stage modules (timed apart as
"load"), then runs the stage's runner on each shard in turn. Printed per stage: load seconds, run seconds, MB/s
(UTF-8 bytes of the texts the stage reads / CPU seconds of the runs, one core: a shared machine's load
does not skew it as it skews wall time), the worker's peak RSS (ru_maxrss) and its RSS after the first shard
once the pool's release_memory ran ("kept": what an idle worker holds).
--check compares every table the re-run writes with the run's own artifact (pyarrow `equals`), so a speed
change that alters an output shows up here before the corpus comparison. --profile STAGE prints the top of a
cProfile of that stage. OUT must hold a single cold run (shards are paired with their inputs by doc ids).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = ("normalize", "extract", "signatures", "members", "annotate")
MB = 1_000_000


def _doc_ids(path: Path) -> tuple[str, ...]:
    import pyarrow.parquet as pq

    return tuple(sorted(pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()))


def _text_bytes(path: Path, column: str) -> int:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    col = pq.read_table(path, columns=[column]).column(column)
    return int(pc.sum(pc.binary_length(col.cast("binary"))).as_py() or 0)


def _dirs(state: Path, stage: str) -> list[Path]:
    return sorted(p for p in (state / "artifacts" / stage).glob(f"{stage}-*") if (p / "_done.json").exists())


def plan(out: Path) -> dict[str, list[tuple[dict, Path, int]]]:
    """stage -> [(runner inputs, artifact dir of the cold run, input bytes)] for every shard."""
    state = out / ".state"
    ingest = {}
    for d in _dirs(state, "ingest"):
        ids = _doc_ids(d / "docs.parquet")
        ingest.setdefault(ids, d)
    (boiler,) = _dirs(state, "boilerplate")
    normalized = {d: _doc_ids(d / "docs.parquet") for d in _dirs(state, "normalize")}
    extracted = {_doc_ids(d / "fields.parquet"): d for d in _dirs(state, "extract")}
    signed = {_doc_ids(d / "signatures.parquet"): d for d in _dirs(state, "signatures")}
    (dedupe,) = _dirs(state, "dedupe")
    assignments = {_doc_ids(p): p for p in sorted((dedupe / "assignments").glob("*.parquet"))}
    members = {}
    for d in _dirs(state, "members"):
        members[_doc_ids(d / "canonical.parquet")] = d
    annotations = {}  # shard doc ids -> annotate artifact (its memo lists every canonical document of the shard)
    for d in _dirs(state, "annotate"):
        canon = set(_doc_ids(d / "memo.parquet"))
        shard = next((ids for ids in normalized.values() if canon and canon <= set(ids)), None)
        if shard is not None:
            annotations.setdefault(shard, d)
    jobs: dict[str, list] = {s: [] for s in STAGES}
    for nd, ids in sorted(normalized.items()):
        nbytes = _text_bytes(nd / "docs.parquet", "text")
        ing = next(d for k, d in ingest.items() if set(ids) <= set(k))
        jobs["normalize"].append(
            ({"ingest": str(ing), "boilerplate": str(boiler)}, nd, _text_bytes(ing / "docs.parquet", "raw_text"))
        )
        jobs["extract"].append(({"normalize": str(nd)}, extracted[ids], nbytes))
        jobs["signatures"].append(({"normalize": str(nd)}, signed[ids], nbytes))
        inputs = {
            "normalize": str(nd),
            "extract": str(extracted[ids]),
            "dedupe": str(assignments[ids]),
            "duplicates": str(dedupe / "duplicates.parquet"),
        }
        canon = set(_doc_ids(assignments[ids]))  # members artifact: the one whose canonical docs lie in this shard
        mdir = next((d for k, d in members.items() if set(k) <= canon), None)
        if mdir is not None:
            jobs["members"].append((inputs, mdir, nbytes))
        annotated = annotations.get(ids)
        if annotated is not None:
            inputs = {"normalize": str(nd), "extract": str(extracted[ids]), "dedupe": str(assignments[ids])}
            jobs["annotate"].append((inputs, annotated, nbytes))
    return jobs


def _params(stage: str, out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text()) if (out / "manifest.json").exists() else {}
    params = manifest.get("params", {})
    if stage == "normalize":
        return {"min_chars": params.get("min_chars", 200), "doc_seconds": None}
    if stage == "extract":
        return {"doc_seconds": None}
    if stage == "annotate":
        return {"top_k": params.get("top_k", 20), "doc_seconds": None}
    return {}


def _same(a: Path, b: Path) -> list[str]:
    """Tables of re-run `a` that differ from artifact `b` (parquet files, also one level down)."""
    import pyarrow.parquet as pq

    diffs = []
    for p in sorted(a.rglob("*.parquet")):
        q = b / p.relative_to(a)
        if not q.exists() or not pq.read_table(p).equals(pq.read_table(q)):
            diffs.append(str(p.relative_to(a)))
    return diffs


def _worker(stage: str, jobs: list, params: dict, profile: bool, check: bool, conn) -> None:
    import importlib
    import resource

    from tasks import pool
    from tasks.stages import STAGES as DECLARED

    t0 = time.perf_counter()
    pool._warm_up()
    module, function = DECLARED[stage].runner.split(":", 1)
    runner = getattr(importlib.import_module(module), function)
    load = time.perf_counter() - t0
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
    diffs: list[str] = []
    run = 0.0
    kept = None
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    for inputs, artifact, _ in jobs:
        with tempfile.TemporaryDirectory(prefix=f"bench-{stage}-") as tmp:
            t1 = time.perf_counter()
            if prof:
                prof.enable()
            runner(inputs, tmp, **params)
            if prof:
                prof.disable()
            run += time.perf_counter() - t1
            if kept is None:  # what an idle pool worker keeps after its first call (the pool releases freed memory)
                pool.release_memory()
                kept = pool._rss_bytes()
            if check:
                diffs += [f"{Path(artifact).name}/{d}" for d in _same(Path(tmp), Path(artifact))]
    if prof:
        import io
        import pstats

        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(35)
        print(s.getvalue())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu0.ru_utime - cpu0.ru_stime  # robust to a busy machine, unlike wall
    conn.send({"load": load, "run": run, "cpu": cpu, "rss": usage.ru_maxrss * 1024, "kept": kept, "diffs": diffs})
    conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="--out of one cold CLI run")
    ap.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    ap.add_argument("--profile", choices=STAGES, help="cProfile this stage (timings then include profiler cost)")
    ap.add_argument("--check", action="store_true", help="compare every re-written table with the run's artifact")
    ap.add_argument("--shards", type=int, default=0, help="only the first N shards (0: all)")
    args = ap.parse_args(argv)
    jobs = plan(args.out)
    ctx = mp.get_context("fork")  # the parent imported no stage module: the child starts small
    print(
        f"{'stage':<11}{'shards':>7}{'MB':>8}{'load s':>8}{'run s':>8}{'cpu s':>8}{'MB/cpu-s':>9}{'peak RSS':>10}"
        f"{'kept RSS':>10}  check"
    )
    failed = False
    for stage in args.stages:
        todo = jobs[stage][: args.shards or None]
        if not todo:
            print(f"{stage:<11}  (no artifacts)")
            continue
        mb = sum(n for *_, n in todo) / MB
        parent, child = ctx.Pipe()
        p = ctx.Process(
            target=_worker,
            args=(stage, todo, _params(stage, args.out), args.profile == stage, args.check, child),
        )
        p.start()
        r = parent.recv()
        p.join()
        check = ("differs: " + ", ".join(r["diffs"]) if r["diffs"] else "identical") if args.check else ""
        failed |= bool(r["diffs"])
        print(
            f"{stage:<11}{len(todo):>7}{mb:>8.1f}{r['load']:>8.1f}{r['run']:>8.1f}{r['cpu']:>8.1f}{mb / r['cpu']:>9.2f}"
            f"{r['rss'] / 2**30:>9.2f}G{r['kept'] / 2**30:>9.2f}G  {check}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

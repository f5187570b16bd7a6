"""Ingest under hostile and real inputs: `python bench/bench_ingest.py [hostile|FOLDER]`.

`slices FILE.jsonl OUT [--slice-mb 32]` measures a container file cut into slices against the whole
file, each run in a fresh process (peak RSS = ru_maxrss of that process, CPU = its user+sys seconds):
ingest of the whole file vs its first and last slice, and extract of the whole file's documents vs
the first slice's (OUT is a cold run over FILE's folder whose normalize artifact is re-used, filtered
to the slice's doc ids: a document's normalized text does not depend on its shard). It also checks
that the slices' documents equal the whole file's.

`hostile` (default) builds the fuzz folder of tests/fixtures/fuzz.py (1 GB gzip bomb, FIFO, link
loops, deep JSON …) in a temp dir and prints time per step, outcomes and the process's peak RSS
with the default caps. A FOLDER prints ingest throughput (MB/s, one core) and peak RSS over it.
One process, so figures are per core; peak RSS includes the imported libraries (~110 MB).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.ingest import discover_all, fingerprint, ingest_files


def run(folder: str) -> None:
    t0 = time.perf_counter()
    found = discover_all([folder])
    t1 = time.perf_counter()
    prints = [fingerprint(f) for f in found.files]
    t2 = time.perf_counter()
    got = ingest_files([(f, sha) for f, (sha, _n, err) in zip(found.files, prints, strict=True) if not err])
    t3 = time.perf_counter()
    mb = sum(n for _sha, n, _err in prints) / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"entries         {len(found.files)} ({mb:.1f} MB on disk); skipped outputs: {len(found.skipped_outputs)}")
    print(f"discover        {t1 - t0:.2f} s")
    print(f"fingerprint     {t2 - t1:.2f} s")
    print(f"ingest          {t3 - t2:.2f} s  ({mb / max(t3 - t2, 1e-9):.1f} MB/s)")
    print(f"documents       {len(got.docs)}; rejects {dict(sorted(Counter(r['reason'] for r in got.rejects).items()))}")
    print(f"cacheable       {got.cacheable}")
    print(f"peak RSS        {peak:.0f} MB")


def _in_fresh_process(fn, *args):
    """(result, peak RSS MB, CPU s) of fn(*args) in a newly spawned interpreter."""
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_measured, (fn, *args))


def _measured(fn, *args):
    result = fn(*args)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return result, ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime


def _ingest_ids(f, sha: str, out_dir: str) -> tuple[int, list[str]]:
    import pyarrow.parquet as pq

    from tasks.ingest import MAX_DOC_BYTES, ingest_shard

    stats = ingest_shard({"files": [(f, sha)]}, out_dir, max_doc_bytes=MAX_DOC_BYTES)
    ids = pq.read_table(Path(out_dir) / "docs.parquet", columns=["doc_id"]).column("doc_id").to_pylist()
    return stats["docs"], ids


def _extract(normalize_dir: str, out_dir: str) -> int:
    from tasks.extract import extract_shard

    return extract_shard({"normalize": normalize_dir}, out_dir)["docs"]


def _column(path: Path, name: str) -> list:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[name]).column(name).to_pylist()


def _filtered_copy(src: Path, dst: Path, ids: set[str]) -> None:
    """A normalize artifact holding only the documents `ids` (the slice's share of the shard)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    dst.mkdir(parents=True, exist_ok=True)
    keep = pa.array(sorted(ids))
    for name in ("docs.parquet", "removed_lines.parquet", "rejects.parquet"):
        table = pq.read_table(src / name)
        if "doc_id" in table.column_names:
            table = table.filter(pc.is_in(table.column("doc_id"), value_set=keep))
        pq.write_table(table, dst / name)


def run_slices(path: str, out: str, slice_mb: int) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.ingest import discover, plan_shards

    (f,) = discover([path])
    sha = fingerprint(f)[0]
    slices = [s for p in plan_shards([f], max_bytes=slice_mb * 1024 * 1024) for s in p.files]
    print(f"file            {f.size / 1e6:.1f} MB -> {len(slices)} slices of {slice_mb} MB")
    with tempfile.TemporaryDirectory() as tmp:
        (n, whole_ids), rss, cpu = _in_fresh_process(_ingest_ids, f, sha, f"{tmp}/whole")
        print(f"ingest whole    {n} docs, peak RSS {rss:.0f} MB, CPU {cpu:.1f} s")
        sliced_ids: list[str] = []
        for i, s in enumerate(slices):
            (n, ids), rss, cpu = _in_fresh_process(_ingest_ids, s, sha, f"{tmp}/slice{i}")
            sliced_ids += ids
            if i in (0, len(slices) - 1):
                print(f"ingest slice {i}  {s.slice_record}: {n} docs, peak RSS {rss:.0f} MB, CPU {cpu:.1f} s")
        whole_docs = pq.read_table(f"{tmp}/whole/docs.parquet")
        same = True
        for i in range(len(slices)):
            part = pq.read_table(f"{tmp}/slice{i}/docs.parquet")
            mine = whole_docs.filter(pc.is_in(whole_docs.column("doc_id"), value_set=part.column("doc_id")))
            same = same and mine.equals(part)
        del whole_docs
        print(f"slices == whole {sorted(sliced_ids) == sorted(whole_ids) and same} ({len(sliced_ids)} docs)")
        state = Path(out) / ".state" / "artifacts" / "normalize"
        wanted = set(whole_ids)
        normalize_dir = next(
            d
            for d in sorted(state.iterdir())
            if (d / "_done.json").exists()
            and len(got := set(_column(d / "docs.parquet", "doc_id"))) > 0
            and got <= wanted
        )
        first = set(pq.read_table(f"{tmp}/slice0/docs.parquet", columns=["doc_id"]).column("doc_id").to_pylist())
        _filtered_copy(normalize_dir, Path(tmp) / "norm-slice0", first)
        for label, src in (("slice 0", f"{tmp}/norm-slice0"), ("whole  ", str(normalize_dir))):
            n, rss, cpu = _in_fresh_process(_extract, src, f"{tmp}/extract-{label.strip()}")
            print(f"extract {label} {n} docs, peak RSS {rss:.0f} MB, CPU {cpu:.1f} s")


def run_slices_pipeline(src: str, work: str, n_files: int, workers: int) -> None:
    import os
    import shutil
    import subprocess

    import pyarrow.parquet as pq

    from bench.scale import ROOT, TreeSampler, _mb

    base = Path(work)
    folder = base / "in"
    shutil.rmtree(base, ignore_errors=True)
    folder.mkdir(parents=True)
    parts = sorted(Path(src).glob("*.jsonl"))
    for k in range(n_files):
        with (folder / f"crawl-{k}.jsonl").open("wb") as dst:
            for part in parts[k::n_files]:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, dst, 1 << 20)
    sizes = [p.stat().st_size / 1e6 for p in sorted(folder.iterdir())]
    print(f"{len(parts)} files -> {n_files} containers of {', '.join(f'{s:.0f}' for s in sizes)} MB")
    docs = {}
    for label, shard_mb in (("sliced (--shard-mb 32)", 32), ("whole files (--shard-mb 4096)", 4096)):
        out = base / f"out-{shard_mb}"
        cmd = [sys.executable, "-m", "flows.cli", "run", str(folder), "--out", str(out)]
        cmd += ["--workers", str(workers), "--shard-mb", str(shard_mb)]
        env = dict(os.environ, PREFECT_LOGGING_LEVEL="WARNING", PREFECT_SERVER_ANALYTICS_ENABLED="false")
        env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        with TreeSampler(proc.pid) as mem:
            _, err = proc.communicate()
        wall = time.perf_counter() - t0
        if proc.returncode:
            sys.exit(f"{label}: the CLI failed ({proc.returncode}): {err[-2000:]}")
        manifest = json.loads((out / "manifest.json").read_text())
        print(f"\n== {label}: {manifest['shards']} shards, {wall:.0f} s wall (load {os.getloadavg()[0]:.1f}), "
              f"CPU {sum(mem.cpu.values()):.0f} s, peak RSS tree {_mb(mem.tree_peak)}")  # fmt: skip
        print("   stages (s): " + "  ".join(f"{k} {v:.1f}" for k, v in manifest.get("timings", {}).items()))
        for pid, (name, rss) in sorted(mem.per_process.items(), key=lambda x: -x[1][1])[:5]:
            print(f"   pid {pid:>7}  {_mb(rss):>9}  {name}")
        table = pq.read_table(out / "documents")
        docs[shard_mb] = table.drop_columns(["pipeline_version"]).sort_by("doc_id")
    print(f"\ndocuments equal sorted by doc_id: {docs[32].equals(docs[4096])} ({docs[32].num_rows} rows)")


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1] == "slices-pipeline":
        opt = {k: int(argv[argv.index(k) + 1]) for k in ("--files", "--workers") if k in argv}
        run_slices_pipeline(argv[2], argv[3], opt.get("--files", 2), opt.get("--workers", 2))
        return 0
    if len(argv) > 1 and argv[1] == "slices":
        slice_mb = int(argv[argv.index("--slice-mb") + 1]) if "--slice-mb" in argv else 32
        run_slices(argv[2], argv[3], slice_mb)
        return 0
    target = argv[1] if len(argv) > 1 else "hostile"
    if target != "hostile":
        run(target)
        return 0
    from tests.fixtures.fuzz import build_fuzz_folder

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        build_fuzz_folder(Path(tmp) / "landing")
        print(f"built fuzz folder in {time.perf_counter() - t:.2f} s")
        run(str(Path(tmp) / "landing"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

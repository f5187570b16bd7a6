"""Scale benchmark: wall time and peak memory of dedupe clustering and of the whole pipeline.

    python -m bench.scale cluster --n 5000 20000 100000      # cluster_corpus alone on signed texts
    python -m bench.scale cluster --synthetic 1000000         # ... on generated signatures
    python -m bench.scale cluster --synthetic 1000000 --dask 2 --memory-limit 1GB
                                                              # ... in this process, then on a Dask
                                                              # LocalCluster of 2 worker processes:
                                                              # outputs compared byte for byte
    python -m bench.scale cluster --n 5000 20000 --plus 0.01  # cold on N, then +1 % new documents:
                                                              # incremental (on the index) vs cold
    python -m bench.scale pipeline --n 20000 --workers 2      # CLI: cold, unchanged rerun, +1 % documents
    python -m bench.scale build 20000 DIR                     # only write the N-document bench folder
    python -m bench.scale plus --n 20000 --work DIR [--inputs-from /tmp/jianghua-scale/pipeline-20000]
                                                              # cold once (kept as DIR/pipeline-N-cold),
                                                              # then each call: the +1 % run alone on a
                                                              # fresh copy of that cold output

Documents are built from the shared real reports (../shared/corpus/real): 60 % near-copies of a
report with small edits (1 % of characters replaced, a span cut, a chrome line), 40 % paragraph
mosaics of 2-4 reports; written as 8 `.jsonl` shards, and beside the folder `<folder>.truth.jsonl`
(one line a document: id, kind near/mosaic, source reports) for bench/datatrove_minhash.py. The synthetic-signature mode skips texts:
each of N/5 "speeches" gets random MinHash values, sampled shingles and anchors; 60 % of documents
are near-copies (a few values changed, 1 in 10 exact), 40 % mosaics of two speeches (half of each),
so LSH proposes pairs that verification must reject. Peak RSS is sampled every 0.2 s with psutil
for every process of the measured tree (the clustering runs in a child process, so the generator's
memory is not counted). Figures: the machine is shared, so compare ratios within one window.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARDS = 8
NEAR_SHARE = 0.6  # the bench: 60 % near-copies, 40 % mosaics
EDIT_RATE = 0.01  # near-copy: share of characters replaced
SAMPLE_PER_DOC = 64  # synthetic signatures: sampled shingles (a ~1,000-character document)
ANCHORS_PER_DOC = 16
SYN_SHARD_DOCS = 15625  # synthetic signature files of this many documents (64 files for 1 M)


# --- memory sampling -------------------------------------------------------------------------


class TreeSampler:
    """Peak RSS of a process and all its descendants: per process and for the tree at once."""

    def __init__(self, pid: int, every: float = 0.2):
        import psutil

        self.root = psutil.Process(pid)
        self.every = every
        self.per_process: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, float] = {}  # last seen user + system CPU seconds of each process
        self.tree_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    name = _role(p.cmdline())
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    continue
                total += rss
                if rss > self.per_process.get(p.pid, ("", 0))[1]:
                    self.per_process[p.pid] = (name, rss)
            self.tree_peak = max(self.tree_peak, total)
            self._stop.wait(self.every)

    def largest(self) -> tuple[str, int]:
        return max(self.per_process.values(), key=lambda x: x[1], default=("", 0))


def _role(cmdline: list[str]) -> str:
    """A short name for a process of the measured tree (Dask workers and the pipeline's pool workers are both
    multiprocessing children: which one it is depends on the mode measured)."""
    text = " ".join(cmdline)
    if "multiprocessing.spawn" in text or "multiprocessing-fork" in text or "forkserver" in text:
        return "dask worker" if sys.argv[1:2] == ["cluster"] else "pool worker"
    if "resource_tracker" in text:
        return "resource tracker"
    if "_cluster" in cmdline:
        return "client + scheduler" if "--dask" in cmdline else "cluster_corpus"
    return " ".join(cmdline[1:4])[:60]


def _mb(b: int) -> str:
    return f"{b / 1e6:,.0f} MB"


# --- synthetic texts -------------------------------------------------------------------------


def real_files() -> list[Path]:
    from bench.devset_dedupe import DEFAULT_CORPUS

    files = sorted(DEFAULT_CORPUS.rglob("*.txt"))
    if not files:
        sys.exit(f"no real reports under {DEFAULT_CORPUS}")
    return files


def real_texts() -> list[str]:
    return [f.read_text(encoding="utf-8") for f in real_files()]


def _near_copy(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * EDIT_RATE)):
        chars[rng.randrange(len(chars))] = chr(rng.randrange(0x4E00, 0x9FA5))
    cut = rng.randrange(len(chars)) if chars else 0
    del chars[cut : cut + len(chars) // 50]
    return "".join(chars) + f"\n来源：{rng.choice(['人民网', '新华网', '中国政府网'])} 点击：{rng.randrange(10**5)}"


def _mosaic(texts: list[str], rng: random.Random, used: list[str] | None = None) -> str:
    """Paragraph spans of 2-4 reports; `used` receives the reports that gave at least one paragraph."""
    out = []
    for t in rng.sample(texts, rng.randint(2, 4)):
        paras = [p for p in t.split("\n") if p.strip()]
        if paras:
            start = rng.randrange(len(paras))
            out.extend(paras[start : start + rng.randint(3, 12)])
            if used is not None:
                used.append(t)
    return "\n".join(out)


def synthetic_docs_truth(n: int, seed: int = 10, start: int = 0):
    """(doc_id, text, truth) for documents start..start+n-1; truth = {"kind": "near" | "mosaic",
    "sources": [report paths relative to the corpus]}: which real report(s) a document was built from."""
    from bench.devset_dedupe import DEFAULT_CORPUS

    files = real_files()
    texts = [f.read_text(encoding="utf-8") for f in files]
    names = {id(t): f.relative_to(DEFAULT_CORPUS).as_posix() for t, f in zip(texts, files)}
    rng = random.Random(f"{seed}-{start}")
    for i in range(start, start + n):
        if rng.random() < NEAR_SHARE:
            source = rng.choice(texts)
            text, truth = _near_copy(source, rng), {"kind": "near", "sources": [names[id(source)]]}
        else:
            used: list[str] = []
            text = _mosaic(texts, rng, used)
            truth = {"kind": "mosaic", "sources": [names[id(t)] for t in used]}
        yield f"syn-{i:07d}", text, truth


def synthetic_docs(n: int, seed: int = 10, start: int = 0):
    """(doc_id, text) for documents start..start+n-1, deterministic for (n, seed, start)."""
    for doc_id, text, _ in synthetic_docs_truth(n, seed, start):
        yield doc_id, text


def truth_path(folder: Path) -> Path:
    """Sidecar beside (not inside: the pipeline would ingest it) a bench folder."""
    return folder.parent / f"{folder.name}.truth.jsonl"


def build_folder(n: int, folder: Path, start: int = 0, shards: int = SHARDS, seed: int = 10) -> int:
    """Write documents [start, start + n) as `shards` .jsonl files; returns bytes written."""
    from contextlib import ExitStack

    real_files()  # exits before any file is made: a folder of empty parts would be a bench of nothing
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    with ExitStack() as stack:
        outs = [
            stack.enter_context(open(folder / f"part-{start:07d}-{k}.jsonl", "w", encoding="utf-8"))
            for k in range(shards)
        ]
        truth = stack.enter_context(open(truth_path(folder), "a" if start else "w", encoding="utf-8"))
        for i, (doc_id, text, origin) in enumerate(synthetic_docs_truth(n, seed, start)):
            line = json.dumps({"id": doc_id, "url": f"https://example.org/{doc_id}", "text": text}, ensure_ascii=False)
            outs[i % shards].write(line + "\n")
            size += len(line.encode("utf-8")) + 1
            truth.write(json.dumps({"id": doc_id, **origin}, ensure_ascii=False) + "\n")
    return size


# --- signatures ------------------------------------------------------------------------------


def signed_texts(n: int, work: Path) -> list[str]:
    """Signature files (8 shards) of n synthetic texts, cached under work/."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.dedupe import shard_signatures

    d = work / f"sig-texts-{n}"
    files = [d / f"{k}.parquet" for k in range(SHARDS)]
    if all(f.exists() for f in files):
        return [str(f) for f in files]
    d.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    shard: list[list[tuple[str, str]]] = [[] for _ in range(SHARDS)]
    for i, doc in enumerate(synthetic_docs(n)):
        shard[i % SHARDS].append(doc)
    for k, docs in enumerate(shard):
        table = pa.table({"doc_id": [d for d, _ in docs], "text": [t for _, t in docs]})
        pq.write_table(shard_signatures(table), files[k])
        shard[k] = []
    print(f"  signed {n:,} texts in {time.perf_counter() - t0:.0f} s (cached in {d})")
    return [str(f) for f in files]


def signed_extra(n: int, k: int, work: Path) -> list[str]:
    """One signature file of k new documents (ids n..n+k-1, built like the first n), cached."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.dedupe import shard_signatures

    path = work / f"sig-texts-{n}-plus-{k}" / "0.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        docs = list(synthetic_docs(k, start=n))
        table = pa.table({"doc_id": [d for d, _ in docs], "text": [t for _, t in docs]})
        pq.write_table(shard_signatures(table), path)
    return [str(path)]


def synthetic_signatures(n: int, work: Path, seed: int = 11) -> list[str]:
    """Signature files of n generated documents (no texts), cached under work/."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import dedupe

    d = work / f"sig-synthetic-{n}"
    shards = max(1, -(-n // SYN_SHARD_DOCS))
    files = [d / f"{k}.parquet" for k in range(shards)]
    if all(f.exists() for f in files):
        return [str(f) for f in files]
    d.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    speeches = max(1, n // 5)

    def base(ids: np.ndarray, what: str, size: int) -> np.ndarray:
        """Per speech, `size` values derived from (seed, speech id): the same in every shard."""
        salt = {"mh": 1, "sample": 2, "anchors": 3, "fp": 4}[what]
        x = (ids.astype(np.uint64)[:, None] * np.uint64(1 << 20) + np.arange(size, dtype=np.uint64)) * np.uint64(8)
        return dedupe._mix64(x + np.uint64(salt + 16 * seed))

    for k in range(shards):
        lo, hi = n * k // shards, n * (k + 1) // shards
        m = hi - lo
        rng = np.random.default_rng([seed, k])
        s1 = rng.integers(0, speeches, m)
        s2 = rng.integers(0, speeches, m)
        near = rng.random(m) < NEAR_SHARE
        exact = near & (rng.random(m) < 0.1)
        mh = (base(s1, "mh", dedupe.NUM_PERM) >> np.uint64(32)).astype(np.uint32)
        mh2 = (base(s2, "mh", dedupe.NUM_PERM) >> np.uint64(32)).astype(np.uint32)
        sample, sample2 = base(s1, "sample", SAMPLE_PER_DOC), base(s2, "sample", SAMPLE_PER_DOC)
        anchors, anchors2 = base(s1, "anchors", ANCHORS_PER_DOC), base(s2, "anchors", ANCHORS_PER_DOC)
        half = np.arange(dedupe.NUM_PERM) >= dedupe.NUM_PERM // 2
        mosaic = ~near
        mh[mosaic] = np.where(half, mh2[mosaic], mh[mosaic])
        sample[mosaic, SAMPLE_PER_DOC // 2 :] = sample2[mosaic, SAMPLE_PER_DOC // 2 :]
        anchors[mosaic, ANCHORS_PER_DOC // 2 :] = anchors2[mosaic, ANCHORS_PER_DOC // 2 :]
        edit = near & ~exact  # a near-copy: 3 sampled shingles, 1 anchor and 6 MinHash values changed
        for arr, count in ((sample, 3), (anchors, 1), (mh, 6)):
            cols = rng.integers(0, arr.shape[1], (m, count))
            vals = rng.integers(0, 2**32 if arr.dtype == np.uint32 else 2**63, (m, count)).astype(arr.dtype)
            rows = np.repeat(np.flatnonzero(edit), count)
            arr[rows, cols[edit].ravel()] = vals[edit].ravel()
        fp = base(s1, "fp", 1)[:, 0]
        fp[~exact] = rng.integers(0, 2**63, int((~exact).sum())).astype(np.uint64)
        sample.sort(axis=1)
        anchors.sort(axis=1)
        n_chars = rng.integers(2000, 20000, m).astype(np.int32)
        cols = {
            "doc_id": pa.array([f"syn{i:08d}" for i in range(lo, hi)]),
            "fp_hash": pa.array(fp),
            "fp_chars": pa.array(n_chars),
            "n_chars": pa.array(n_chars),
            "truncated": pa.array(np.zeros(m, bool)),
            "n_flags": pa.array(np.zeros(m, np.int16)),
            "minhash": pa.FixedSizeListArray.from_arrays(pa.array(mh.ravel()), dedupe.NUM_PERM),
            "bands": _lists(dedupe._band_hashes(mh)),
            "sample": _lists(sample),
            "anchors": _lists(anchors),
        }
        pq.write_table(pa.table(cols).cast(dedupe.SIGNATURE_SCHEMA), files[k])
    print(f"  generated {n:,} signatures in {time.perf_counter() - t0:.0f} s ({shards} files in {d})")
    return [str(f) for f in files]


def _lists(matrix):
    import numpy as np
    import pyarrow as pa

    rows, width = matrix.shape
    offsets = pa.array((np.arange(rows + 1) * width).astype(np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(matrix.ravel()))


# --- modes ---------------------------------------------------------------------------------


def time_cluster(
    files: list[str],
    out: Path,
    label: str,
    workers: int,
    prev: Path | None = None,
    keep: bool = False,
    dask: int = 0,
    memory_limit: str = "1GB",
) -> tuple[float, dict]:
    """cluster_corpus in a child process (on the index in `prev` if given; on a Dask LocalCluster of
    `dask` worker processes if given), the memory and CPU of its whole process tree sampled."""
    import resource
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "bench.scale", "_cluster", str(out), str(workers), *files]
    if prev is not None:
        cmd += ["--prev", str(prev)]
    if dask:
        cmd += ["--dask", str(dask), "--memory-limit", memory_limit]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as mem:
        stdout, _ = proc.communicate()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # every process of the tree was waited for by its parent: their CPU is in RUSAGE_CHILDREN
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    if proc.returncode:
        sys.exit(f"{label}: cluster_corpus failed (exit {proc.returncode})")
    stats = json.loads(stdout.strip().splitlines()[-1])
    _, peak = mem.largest()
    print(
        f"{label:>28}: {stats['docs']:>9,} docs  {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
        f"{stats['docs'] / wall:8,.0f} docs/s  "
        f"peak RSS {_mb(peak)} (largest process), {_mb(mem.tree_peak)} (tree)  "
        f"clusters {stats['clusters']:,}, duplicates {stats['duplicates']:,}, candidate pairs "
        f"bands {stats.get('candidates_bands', 0):,} exact {stats.get('candidates_exact', 0):,} "
        f"anchors {stats.get('candidates_anchors', 0):,}; re-examined docs {stats.get('reexamined_docs', 0):,}, "
        f"measured pairs {stats.get('reverified_pairs', 0):,}"
    )
    print(f"{'':>28}  CPU {cpu:,.1f} s (user + system, whole tree); load average {os.getloadavg()[0]:.2f}")
    for pid, (name, rss) in sorted(mem.per_process.items(), key=lambda x: -x[1][1]):
        if rss > 50e6:
            print(f"{'':>28}  pid {pid:>7}  {_mb(rss):>9} peak  {mem.cpu.get(pid, 0):8.1f} s CPU  {name}")
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    stats["_cpu"] = cpu
    return wall, stats


def time_incremental(n: int, plus: float, work: Path, workers: int) -> None:
    """Cold on n documents (leaves its index), then n + plus*n: on that index vs cold, bytes compared."""
    import shutil

    base = signed_texts(n, work)
    k = max(1, round(n * plus))
    files = base + signed_extra(n, k, work)
    first, inc, cold = work / f"out-{n}-base", work / f"out-{n}-inc", work / f"out-{n}-cold"
    time_cluster(base, first, f"{n:,} texts, cold", workers, keep=True)
    t_inc, s_inc = time_cluster(files, inc, f"+{k:,} new, incremental", workers, prev=first / "state", keep=True)
    t_cold, s_cold = time_cluster(files, cold, f"+{k:,} new, cold", workers, keep=True)
    names = [f"assignments/{i:05d}.parquet" for i in range(len(files))] + ["duplicates.parquet"]
    same = all((inc / f).read_bytes() == (cold / f).read_bytes() for f in names)
    print(
        f"{'':>28}  incremental / cold = {t_inc / t_cold:.1%} wall, {s_inc['_cpu'] / s_cold['_cpu']:.1%} CPU; "
        f"outputs byte-identical: {same}"
    )
    for d in (first, inc, cold):
        shutil.rmtree(d, ignore_errors=True)
    if not same:
        sys.exit("incremental output differs from cold")


def same_outputs(a: Path, b: Path, parts: int) -> bool:
    """Every assignment part and the duplicates table, byte for byte."""
    names = [f"assignments/{i:05d}.parquet" for i in range(parts)] + ["duplicates.parquet"]
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in names)


_PREPARED: list[bool] = []


def prepare_prefect() -> None:
    """`jianghua setup` once, before the first timed run: on a machine where Prefect's database does not
    exist yet, the first run creates and migrates it (2026-12-05, a new machine: the 20k cold run waited
    10.6 s for the server, the runs after it 3.2-3.4 s), a one-off cost of the machine, not of the run."""
    if _PREPARED:
        return
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "setup"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:  # a timed run on a half-prepared database would measure the preparation
        print((done.stdout + done.stderr)[-2000:], file=sys.stderr)
        sys.exit(f"jianghua setup failed (exit {done.returncode}): the bench measures nothing before Prefect is ready")
    print(f"   Prefect's database prepared (jianghua setup, untimed): {time.perf_counter() - t0:.1f} s")
    _PREPARED.append(True)


def run_cli(
    folder: Path, out: Path, workers: int, label: str, mb: float, docs: int, stage_memory: Path | None = None
) -> None:
    """One CLI run, sampled. With `stage_memory` (a file), each pool worker logs every call's peak RSS
    there (tasks.pool JIANGHUA_STAGE_MEMORY) and the largest per stage is printed after the run."""
    prepare_prefect()
    cmd = [sys.executable, "-m", "flows.cli", "run", str(folder), "--out", str(out), "--workers", str(workers)]
    if stage_memory is not None:
        stage_memory.unlink(missing_ok=True)
    env = dict(
        os.environ,
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # a busy shared machine can take longer than the default 20 s to start the temporary API server
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        **({"JIANGHUA_STAGE_MEMORY": str(stage_memory)} if stage_memory is not None else {}),
    )

    def event(name: str) -> None:  # the launch and exit on the timeline of the run's stage-memory log
        if stage_memory is not None:
            with open(stage_memory, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"event": name, "at": round(time.time(), 3)}) + "\n")

    # The bench's own writes (the inputs, the restored copy, the run before: a cold 20k run writes
    # ~7 GB) are flushed before the clock starts: a nightly run does not begin with the previous
    # run's writeback in flight. Measured: a 20k +1 % run started 40 s after its cold run spent
    # 8.8 s in the dedupe call against 4.3-5.9 s for the same call on the same state later.
    os.sync()
    event("bench_launch")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as mem:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    event("bench_exit")
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
        sys.exit(f"{label}: the CLI failed (exit {proc.returncode})")
    manifest = json.loads((out / "manifest.json").read_text())
    print(
        f"\n== {label}: {wall:.1f} s wall, {docs / wall:,.1f} docs/s, {mb / wall:,.2f} MB/s; "
        f"peak RSS: tree {_mb(mem.tree_peak)}"
    )
    print("   stages (s): " + "  ".join(f"{k} {v:.1f}" for k, v in manifest.get("timings", {}).items()))
    for pid, (name, rss) in sorted(mem.per_process.items(), key=lambda x: -x[1][1])[:6]:
        print(f"   pid {pid:>7}  {_mb(rss):>9}  {mem.cpu.get(pid, 0):6.1f} CPU-s (last sampled)  {name}")
    # the CPU the orchestration takes from the workers' two cores: the flow process and the temporary API server
    roles = {"flow": "flows.cli", "API server": "uvicorn"}
    spent = {r: sum(mem.cpu.get(p, 0) for p, (n, _) in mem.per_process.items() if k in n) for r, k in roles.items()}
    print(f"   CPU-s: whole tree {sum(mem.cpu.values()):.1f}; " + ", ".join(f"{r} {v:.1f}" for r, v in spent.items()))
    if stage_memory is not None:
        from bench.overhead import stage_peaks, timeline

        print("   per stage (largest worker peak RSS during one call, MiB):")
        print(stage_peaks(stage_memory) or "   (no stage ran in a worker)")
        if os.environ.get("JIANGHUA_BENCH_TIMELINE"):
            print("   timeline (s from the first call or flow event; start end pid call, or flow event):")
            print(timeline(stage_memory))
        else:
            print("\n".join(x for x in timeline(stage_memory).splitlines() if "hand-over" in x or "of which" in x))
    sys.stdout.flush()


def plus_only(args, work: Path) -> int:
    """The +1 % step of `pipeline` without rebuilding and re-running cold each time: the cold output is
    made once and kept (`pipeline-N-cold`); each run restores a full copy of it at the same path (paths
    are recorded in the state) and adds the same +1 % file `pipeline` adds. A cold output only serves
    the code that made it: stage code edits change code versions, so make a new one after them (delete
    the kept copy). Flow and pool edits (tasks.steps, tasks.pool, tasks.stages, flows/) keep them."""
    import shutil

    folder, out, kept = work / f"pipeline-{args.n}", work / f"pipeline-{args.n}-out", work / f"pipeline-{args.n}-cold"
    extra = max(1, args.n // 100)
    extra_name = f"part-{args.n:07d}-0.jsonl"
    if not folder.exists():
        if args.inputs_from:  # a built bench folder (deterministic: the same bytes build_folder writes)
            folder.mkdir(parents=True)
            for f in sorted(Path(args.inputs_from).glob("part-*.jsonl")):
                if f.name != extra_name:
                    shutil.copy2(f, folder / f.name)
        else:
            build_folder(args.n, folder)
    mb = sum(f.stat().st_size for f in folder.glob("part-*.jsonl") if f.name != extra_name) / 1e6
    (folder / extra_name).unlink(missing_ok=True)

    def log(run: str) -> Path | None:
        return Path(f"{out}.{run}.stage-memory.jsonl") if args.stage_memory else None

    if not kept.exists():
        shutil.rmtree(out, ignore_errors=True)
        run_cli(folder, out, args.workers, f"cold, {args.n:,} documents ({mb:,.0f} MB)", mb, args.n, log("cold"))
        # with --link the kept copy is hard links too: each run's check below catches an in-place write
        subprocess.run(["cp", "-al" if args.link else "-a", str(out), str(kept)], check=True)
    for i in range(args.unchanged):  # the same inputs again: every step a cache hit, the release the same
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(["cp", "-al" if args.link else "-a", str(kept), str(out)], check=True)
        before = _stats(kept) if args.link else {}
        run_cli(folder, out, args.workers, f"unchanged rerun, run {i + 1}", mb, args.n, log(f"unchanged-{i + 1}"))
        _check_unwritten(args, kept, before)
    for i in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(["cp", "-al" if args.link else "-a", str(kept), str(out)], check=True)
        before = _stats(kept) if args.link else {}
        (folder / extra_name).unlink(missing_ok=True)
        if args.inputs_from and (Path(args.inputs_from) / extra_name).exists():
            shutil.copy2(Path(args.inputs_from) / extra_name, folder / extra_name)
        else:
            build_folder(extra, folder, start=args.n, shards=1)
        mb_extra = (folder / extra_name).stat().st_size / 1e6
        if args.evict:
            print(f"\nevicted {evict(out) / 1e6:,.0f} MB of the restored output from the page cache")
        run_cli(folder, out, args.workers, f"+{extra:,} new documents (1 %), run {i + 1}", mb + mb_extra,
                args.n + extra, log(f"plus1-{i + 1}"))  # fmt: skip
        (folder / extra_name).unlink(missing_ok=True)
        _check_unwritten(args, kept, before)
    return 0


def evict(folder: Path) -> int:
    """Drop the files under `folder` from the page cache (posix_fadvise DONTNEED, after a sync so
    every page is clean): a nightly run on a machine whose page cache no longer holds the previous
    run's output (100k: ~33 GB of output on a 24 GB machine). Returns the bytes advised."""
    os.sync()
    total = 0
    for f in folder.rglob("*"):
        if f.is_file() and not f.is_symlink():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                total += os.fstat(fd).st_size
            finally:
                os.close(fd)
    return total


def _check_unwritten(args, kept: Path, before: dict) -> None:
    if args.link and (changed := [p for p, st in _stats(kept).items() if before.get(p) != st]):
        sys.exit(f"the run wrote {len(changed)} files of the linked cold copy in place (e.g. {changed[0]}): "
                 "make a new one without --link")  # fmt: skip


def _stats(folder: Path) -> dict[str, tuple[int, int, int]]:
    """path -> (inode, size, mtime_ns) of every file: a file written in place keeps its inode, not its mtime."""
    return {
        str(p.relative_to(folder)): (st.st_ino, st.st_size, st.st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and p.name != "lock" and (st := p.stat())  # .state/lock: the run's
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("cluster", help="time cluster_corpus alone")
    c.add_argument("--n", type=int, nargs="*", default=[], help="documents built from real texts, then signed")
    c.add_argument("--synthetic", type=int, nargs="*", default=[], help="generated signatures (no texts)")
    c.add_argument("--workers", type=int, default=1)
    c.add_argument("--plus", type=float, default=0.0, help="then add this share of new documents (0.01)")
    c.add_argument("--work", default="/tmp/jianghua-scale", help="cache of built inputs")
    c.add_argument("--dask", type=int, default=0, help="also run on a LocalCluster of this many worker processes")
    c.add_argument("--memory-limit", default="1GB", help="Dask memory_limit per worker (the tree bound)")
    c.add_argument(
        "--against", default=None, help="with --dask: compare with this kept local output, skip the local run"
    )
    p = sub.add_parser("pipeline", help="the CLI: cold, unchanged rerun, +1 %% new documents")
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--work", default="/tmp/jianghua-scale")
    p.add_argument("--stage-memory", action="store_true", help="also print each stage's largest worker peak RSS")
    q = sub.add_parser("plus", help="the +1 %% run alone, on a copy of a kept cold output (made once)")
    q.add_argument("--n", type=int, default=20000)
    q.add_argument("--workers", type=int, default=2)
    q.add_argument("--work", default="/tmp/jianghua-scale-plus")
    q.add_argument("--inputs-from", default=None, help="copy the bench folder from here instead of building it")
    q.add_argument("--stage-memory", action="store_true")
    q.add_argument("--runs", type=int, default=1, help="+1 %% runs, each on a fresh copy of the cold output")
    q.add_argument("--unchanged", type=int, default=0, help="unchanged reruns first, each on a fresh copy")
    q.add_argument(
        "--evict",
        action="store_true",
        help="drop the restored cold output from the page cache before each +1 %% run (a nightly run "
        "whose previous output the page cache no longer holds)",
    )
    q.add_argument(
        "--link",
        action="store_true",
        help="restore the cold output as hard links (no disk space; fails loudly if a run wrote a file in place)",
    )
    b = sub.add_parser("build", help="only write the bench folder")
    b.add_argument("n", type=int)
    b.add_argument("folder")
    inner = sub.add_parser("_cluster")
    inner.add_argument("out")
    inner.add_argument("workers", type=int)
    inner.add_argument("files", nargs="*")
    inner.add_argument("--prev", default=None)
    inner.add_argument("--dask", type=int, default=0)
    inner.add_argument("--memory-limit", default="1GB")
    args = ap.parse_args(argv)

    if args.mode == "_cluster":
        from tasks.dedupe_cluster import cluster_corpus

        if not args.dask:
            print(json.dumps(cluster_corpus(args.files, args.prev, args.out, workers=args.workers)))
            return 0
        import distributed

        # one thread a worker: a worker's peak is one kernel's partition (PARTITION_ROWS), as in a pool
        with (
            distributed.LocalCluster(
                n_workers=args.dask,
                threads_per_worker=1,
                processes=True,
                memory_limit=args.memory_limit,
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            stats = cluster_corpus(args.files, args.prev, args.out, client=client)
        print(json.dumps(stats))
        return 0
    if args.mode == "build":
        size = build_folder(args.n, Path(args.folder))
        print(f"{args.n:,} documents, {size / 1e6:,.0f} MB in {args.folder}")
        return 0
    import shutil

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.mode == "cluster":
        for n in args.n:
            if args.plus:
                time_incremental(n, args.plus, work, args.workers)
            else:
                time_cluster(signed_texts(n, work), work / "out", f"{n:,} texts", args.workers)
        for n in args.synthetic:
            files = synthetic_signatures(n, work)
            if not args.dask:
                time_cluster(files, work / "out", f"{n:,} synthetic signatures", args.workers)
                continue
            local, on_dask = Path(args.against or work / f"out-{n}-local"), work / f"out-{n}-dask"
            if not args.against:
                time_cluster(files, local, f"{n:,} synthetic, local", args.workers, keep=True)
            time_cluster(
                files, on_dask, f"{n:,} synthetic, Dask ×{args.dask}", 1, keep=True, dask=args.dask,
                memory_limit=args.memory_limit,
            )  # fmt: skip
            same = same_outputs(local, on_dask, len(files))
            print(f"{'':>28}  local and Dask outputs byte-identical: {same}")
            if not same:
                sys.exit("Dask output differs from the local run (both kept for inspection)")
            if not args.against:
                shutil.rmtree(local, ignore_errors=True)
            shutil.rmtree(on_dask, ignore_errors=True)
        return 0
    if args.mode == "plus":
        return plus_only(args, work)
    folder, out = work / f"pipeline-{args.n}", work / f"pipeline-{args.n}-out"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    mb = build_folder(args.n, folder) / 1e6

    def log(run: str) -> Path | None:
        return Path(f"{out}.{run}.stage-memory.jsonl") if args.stage_memory else None

    run_cli(folder, out, args.workers, f"cold, {args.n:,} documents ({mb:,.0f} MB)", mb, args.n, log("cold"))
    run_cli(folder, out, args.workers, "unchanged rerun", mb, args.n, log("unchanged"))
    extra = max(1, args.n // 100)
    mb_extra = build_folder(extra, folder, start=args.n, shards=1) / 1e6
    run_cli(folder, out, args.workers, f"+{extra:,} new documents (1 %)", mb + mb_extra, args.n + extra, log("plus1"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

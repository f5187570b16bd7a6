"""datatrove 0.10.1's MinHash dedup on the scale bench: the throughput bar of issue 10, and how its
removals compare with jianghua's clusters on the same documents.

    python -m bench.datatrove_minhash --n 5000                    # build (or reuse) the bench, run both
    python -m bench.datatrove_minhash --n 5000 20000 --tokenizer chars jieba zho --stages
    python -m bench.datatrove_minhash --n 5000 --jianghua-out /tmp/jianghua-scale/pipeline-5000-out

The bench folder is `python -m bench.scale build N DIR` (same documents, byte for byte) plus its
sidecar `DIR.truth.jsonl` (which real report each near-copy was built from). datatrove is a
bench-only dependency, never in the project venv or requirements: on first use this script creates

    python3 -m venv /tmp/jianghua-datatrove-venv
    /tmp/jianghua-datatrove-venv/bin/pip install datatrove==0.10.1 xxhash==3.8.2 regex==2026.11.19 \\
        spacy==3.8.18 jieba==0.42.1 tokenizers==0.23.3 orjson==3.13.0

(xxhash, regex: its MinHash hashing and text normalisation; spacy + jieba: its Chinese tokenizer;
tokenizers: imported by datatrove.pipeline.dedup; orjson: its JsonlReader/JsonlWriter)
and runs datatrove in that venv as a child process, sampled with bench.scale.TreeSampler.

datatrove pipeline (its standard example, examples/minhash_deduplication.py): JsonlReader ->
MinhashDedupSignature (tasks=8) -> MinhashDedupBuckets (tasks=num_buckets) -> MinhashDedupCluster
(tasks=1) -> JsonlReader -> MinhashDedupFilter (exclusion_writer=JsonlWriter) -> JsonlWriter
(tasks=8), each a LocalPipelineExecutor with workers=2. MinhashConfig: 14 buckets x 8 hashes, 64-bit
xxhash (its defaults; threshold ~ (1/14)^(1/8) ~ 0.72), text normalised by its simplify_text
(lower case, no punctuation, digits -> 0). Chinese tokenizers (--tokenizer):

- jieba: language "zho_Hani", datatrove's own Chinese tokenizer (spaCy "zh" with the jieba
  segmenter), n_grams=5 words (its default). NOT language "zh" or Languages.chinese ("zho"): in
  0.10.1 those resolve to the multilingual whitespace tokenizer (rows of tokenizer_assignment.csv for
  Latin-script Chinese win): simplify_text turns punctuation into spaces, so each clause becomes one
  token and 5-grams of clauses rarely survive a 1 % character edit. Measured anyway as `zho`
  (what `language=Languages.chinese` gives).
- chars (the default, and the bar for issue 10): one token per non-space character, n_grams=5: the
  same 5-character shingles as tasks.dedupe.SHINGLE. On this bench two near-copies of one report
  have shingle Jaccard ~0.77 with chars, ~0.61 with jieba words, ~0.23 with zho clauses (threshold
  0.72), and chars costs the least CPU (signature stage ~1.4 MB per CPU-second, jieba ~0.24, zho ~0.75).

jianghua side (same folder, same window): tasks.dedupe.shard_signatures on each shard (a pool of
--workers processes) then tasks.dedupe_cluster.cluster_corpus (`bench.scale _cluster`), on the raw
texts (the pipeline signs normalised texts; pass --jianghua-out OUT of a `flows.cli run` on the same
folder to compare the published documents' dup_of instead or as well).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VENV = Path(os.environ.get("JIANGHUA_DATATROVE_VENV", "/tmp/jianghua-datatrove-venv"))
# pinned: the versions this bench was measured with (datatrove's extras leave them open)
VENV_PACKAGES = [
    "datatrove==0.10.1",
    "xxhash==3.8.2",
    "regex==2026.11.19",
    "spacy==3.8.18",
    "jieba==0.42.1",
    "tokenizers==0.23.3",
    "orjson==3.13.0",  # its JsonlReader/JsonlWriter: the probe imports it
]
TASKS = 8  # the bench: 8 shards, tasks=8
N_GRAMS = 5  # datatrove's default (words); for chars the same as tasks.dedupe.SHINGLE
TOKENIZERS = ("chars", "jieba", "zho")

try:  # only inside the datatrove venv; the project venv never imports datatrove
    from datatrove.utils.word_tokenizers import WordTokenizer as _WordTokenizer
except ImportError:  # pragma: no cover - the parent side
    _WordTokenizer = object  # type: ignore[assignment,misc]


class CharTokenizer(_WordTokenizer):  # type: ignore[misc,valid-type]
    """One token per non-space character: character n-grams for a script without spaces."""

    def __init__(self):
        super().__init__("zh")

    def word_tokenize(self, text: str) -> list[str]:
        return [c for c in text if not c.isspace()]

    def sent_tokenize(self, text: str) -> list[str]:
        return [s for s in text.split("\n") if s.strip()]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans


# --- datatrove side (runs inside the venv) ------------------------------------------------------


def datatrove_main(argv: list[str]) -> int:
    """Run the 4 stages on FOLDER into OUT; print one JSON line of per-stage wall times."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    folder, out, tokenizer, tasks, workers = argv[0], Path(argv[1]), argv[2], int(argv[3]), int(argv[4])
    config = MinhashConfig(n_grams=N_GRAMS, hash_config=HashConfig(precision=64, hash_fc="xxhash"))
    language = {"chars": CharTokenizer(), "jieba": "zho_Hani", "zho": "zho"}[tokenizer]
    logs = out / "logs"

    def reader():
        return JsonlReader(folder, glob_pattern="*.jsonl")

    stages = {
        "signatures": LocalPipelineExecutor(
            pipeline=[reader(), MinhashDedupSignature(str(out / "signatures"), config=config, language=language)],
            tasks=tasks,
            workers=workers,
            logging_dir=str(logs / "signatures"),
        ),
        "buckets": LocalPipelineExecutor(
            pipeline=[MinhashDedupBuckets(str(out / "signatures"), str(out / "buckets"), config=config)],
            tasks=config.num_buckets,
            workers=workers,
            logging_dir=str(logs / "buckets"),
        ),
        "cluster": LocalPipelineExecutor(
            pipeline=[MinhashDedupCluster(str(out / "buckets"), str(out / "remove_ids"), config=config)],
            tasks=1,
            logging_dir=str(logs / "cluster"),
        ),
        "filter": LocalPipelineExecutor(
            pipeline=[
                reader(),
                MinhashDedupFilter(str(out / "remove_ids"), exclusion_writer=JsonlWriter(str(out / "removed"))),
                JsonlWriter(str(out / "deduplicated")),
            ],
            tasks=tasks,
            workers=workers,
            logging_dir=str(logs / "filter"),
        ),
    }
    timings = {}
    for name, executor in stages.items():
        t0 = time.perf_counter()
        executor.run()
        timings[name] = time.perf_counter() - t0
    print(json.dumps({"timings": timings}))
    return 0


# --- parent side -------------------------------------------------------------------------------


def ensure_venv() -> Path:
    """The datatrove venv, created and filled on first use (never the project's venv)."""
    python = VENV / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import datatrove.pipeline.dedup, xxhash, regex, spacy, jieba, orjson; from importlib.metadata import version; assert version('datatrove') == '0.10.1'",
    ]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"  creating {VENV} with {' '.join(VENV_PACKAGES)}")
    subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *VENV_PACKAGES], check=True)
    subprocess.run(probe, check=True)
    return python


def ensure_bench(n: int, work: Path) -> tuple[Path, float]:
    """The `bench.scale build n` folder and its truth sidecar, reused when both are complete."""
    from bench.scale import build_folder, truth_path

    folder = work / f"bench-{n}"
    truth = truth_path(folder)
    if not (truth.exists() and sum(1 for _ in truth.open(encoding="utf-8")) == n):
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        build_folder(n, folder)
        print(f"  built {n:,} documents in {time.perf_counter() - t0:.0f} s: {folder}")
    mb = sum(f.stat().st_size for f in folder.glob("*.jsonl")) / 1e6
    return folder, mb


def _cpu_sampler(pid: int):
    """bench.scale.TreeSampler that also keeps each process's last-seen CPU time (user + system):
    on a shared machine CPU seconds compare better than wall time. Slightly low: the last < 0.2 s
    of each process is not seen (forkserver workers are not reaped into our RUSAGE_CHILDREN)."""
    import psutil

    from bench.scale import TreeSampler

    class CpuTreeSampler(TreeSampler):
        def __init__(self, pid: int):
            super().__init__(pid)
            self.cpu: dict[int, float] = {}
            self._cpu_stop = threading.Event()
            self._cpu_thread = threading.Thread(target=self._cpu_run, daemon=True)

        def __enter__(self):
            self._cpu_thread.start()
            return super().__enter__()

        def __exit__(self, *exc):
            self._cpu_stop.set()
            self._cpu_thread.join()
            return super().__exit__(*exc)

        def _cpu_run(self) -> None:
            while not self._cpu_stop.is_set():
                try:
                    procs = [self.root, *self.root.children(recursive=True)]
                except psutil.Error:
                    break
                for p in procs:
                    try:
                        t = p.cpu_times()
                    except psutil.Error:
                        continue
                    self.cpu[p.pid] = t.user + t.system
                self._cpu_stop.wait(self.every)

        def cpu_seconds(self) -> float:
            return sum(self.cpu.values())

    return CpuTreeSampler(pid)


def _sampled(cmd: list[str], label: str, env: dict | None = None) -> tuple[float, str, object]:
    """Run cmd with its process tree sampled; (wall, stdout, sampler)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with _cpu_sampler(proc.pid) as mem:
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(err[-3000:], file=sys.stderr)
        sys.exit(f"{label}: failed (exit {proc.returncode})")
    return wall, out, mem


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load avg {one:.1f} / {five:.1f} (1 / 5 min)"


def _peaks(mem) -> str:
    from bench.scale import _mb

    _, peak = mem.largest()
    return f"peak RSS {_mb(peak)} (largest process), {_mb(mem.tree_peak)} (tree)"


def run_datatrove(python: Path, folder: Path, out: Path, tokenizer: str, tasks: int, workers: int, n: int, mb: float):
    shutil.rmtree(out, ignore_errors=True)
    code = "import sys; from bench.datatrove_minhash import datatrove_main; sys.exit(datatrove_main(sys.argv[1:]))"
    cmd = [str(python), "-c", code, str(folder), str(out), tokenizer, str(tasks), str(workers)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    load = _load()
    wall, stdout, mem = _sampled(cmd, f"datatrove ({tokenizer})", env)
    timings = json.loads(stdout.strip().splitlines()[-1])["timings"]
    removed = set()
    for f in sorted((out / "removed").glob("*.jsonl*")):
        opener = gzip.open if f.suffix == ".gz" else open
        with opener(f, "rt", encoding="utf-8") as lines:
            removed.update(json.loads(line)["id"] for line in lines)
    print(
        f"  datatrove 0.10.1 MinHash ({tokenizer}, {tasks} tasks, {workers} workers): {wall:.1f} s, "
        f"{n / wall:,.1f} docs/s, {mb / wall:,.2f} MB/s; CPU ~{mem.cpu_seconds():,.0f} s "
        f"({mb / max(mem.cpu_seconds(), 1e-9):,.2f} MB per CPU-second); {_peaks(mem)}; removed {len(removed):,}; "
        f"{load} at start, "
        f"{_load()} at end"
    )
    return removed, wall, timings, mem, out


def _sign_shard(args: tuple[str, str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.dedupe import shard_signatures

    src, dst = args
    ids, texts = [], []
    with open(src, encoding="utf-8") as lines:
        for line in lines:
            rec = json.loads(line)
            ids.append(rec["id"])
            texts.append(rec["text"])
    pq.write_table(shard_signatures(pa.table({"doc_id": ids, "text": texts})), dst)
    return len(ids)


def sign_main(argv: list[str]) -> int:
    """Child: sign every shard of FOLDER into SIGDIR with a pool of WORKERS processes."""
    from concurrent.futures import ProcessPoolExecutor

    folder, sigdir, workers = Path(argv[0]), Path(argv[1]), int(argv[2])
    sigdir.mkdir(parents=True, exist_ok=True)
    jobs = [(str(f), str(sigdir / f"{k:05d}.parquet")) for k, f in enumerate(sorted(folder.glob("*.jsonl")))]
    with ProcessPoolExecutor(workers) as pool:
        docs = sum(pool.map(_sign_shard, jobs))
    print(json.dumps({"docs": docs, "files": [d for _, d in jobs]}))
    return 0


def run_jianghua(folder: Path, work: Path, workers: int, n: int, mb: float) -> tuple[dict[str, str], dict[str, float]]:
    """jianghua's dedupe alone: sign (pool) + cluster_corpus; returns {id with a dup_of: dup_reason}."""
    import pyarrow.parquet as pq

    sigdir, out = work / "signatures", work / "cluster"
    shutil.rmtree(work, ignore_errors=True)
    load = _load()
    sign = [sys.executable, "-m", "bench.datatrove_minhash", "_sign", str(folder), str(sigdir), str(workers)]
    w1, stdout, mem1 = _sampled(sign, "jianghua signatures")
    files = json.loads(stdout.strip().splitlines()[-1])["files"]
    w2, stdout, mem2 = _sampled([sys.executable, "-m", "bench.scale", "_cluster", str(out), str(workers), *files], "c")
    wall = w1 + w2
    flagged: dict[str, str] = {}
    for f in sorted((out / "assignments").glob("*.parquet")):
        t = pq.read_table(f, columns=["doc_id", "dup_of", "dup_reason"]).to_pydict()
        flagged.update((d, str(r)) for d, dup, r in zip(t["doc_id"], t["dup_of"], t["dup_reason"]) if dup is not None)
    from bench.scale import _mb

    peak = max(mem1.largest()[1], mem2.largest()[1])
    tree = max(mem1.tree_peak, mem2.tree_peak)
    cpu = mem1.cpu_seconds() + mem2.cpu_seconds()
    print(
        f"  jianghua dedupe (shard_signatures, {workers} processes + cluster_corpus, workers={workers}): {wall:.1f} s, "
        f"{n / wall:,.1f} docs/s, {mb / wall:,.2f} MB/s; CPU ~{cpu:,.0f} s ({mb / max(cpu, 1e-9):,.2f} MB per "
        f"CPU-second); peak RSS {_mb(peak)} (largest process), {_mb(tree)} (tree); "
        f"flagged {len(flagged):,}; {load} at start"
    )
    shutil.rmtree(work, ignore_errors=True)
    return flagged, {"signatures": w1, "cluster": w2}


def pipeline_flags(out: Path) -> tuple[set[str], set[str]]:
    """Bench ids (from the url) of the published documents that have a dup_of, and of every published
    document (a rejected page is neither kept nor removed as a duplicate)."""
    import pyarrow.parquet as pq

    t = pq.read_table(out / "documents", columns=["url", "dup_of"]).to_pydict()
    ids = [u.rsplit("/", 1)[-1] if u else None for u in t["url"]]
    return {i for i, dup in zip(ids, t["dup_of"]) if i and dup is not None}, {i for i in ids if i}


# Same speech under two names that DUPLICATE_PAIRS.tsv does not list (found by the 5k audit: the 1954
# State Council report in two collections).
EXTRA_SAME_SPEECH = (
    (
        "aldohemsn__chinese-political-corpora/gwr_071_1954年中华人民共和国国务院政府工作报告.txt",
        "lawtext__gov/国务院__1954.txt",
    ),
)


def same_speech(corpus: Path) -> Callable[[str], str]:
    """Source report -> one representative per speech: union-find over the corpus's known duplicate
    pairs (every kind but TEMPLATE-SIMILAR, which are different speeches) and EXTRA_SAME_SPEECH. Near-
    copies of a report and of its cross-site twin are copies of one speech: one of them should survive."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    tsv = corpus / "DUPLICATE_PAIRS.tsv"
    rows = tsv.read_text(encoding="utf-8").splitlines()[1:] if tsv.exists() else []
    pairs = [(c[0], c[1]) for c in (r.split("\t") for r in rows) if len(c) >= 5 and not c[-1].startswith("TEMPLATE")]
    for x, y in [*pairs, *EXTRA_SAME_SPEECH]:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return find


def compare(truth_file: Path, flagged: dict[str, set[str]], published: dict[str, set[str]] | None = None) -> None:
    """Per tool: removals against what the bench was built as; then tools against each other. Near-copies
    are grouped by speech (a report and its cross-site twins), and only published copies count: a tool's
    `published` set (default: every bench document) drops its rejected pages, reported separately."""
    from bench.devset_dedupe import DEFAULT_CORPUS

    find = same_speech(DEFAULT_CORPUS)
    truth = [json.loads(line) for line in truth_file.open(encoding="utf-8")]
    known = {t["id"] for t in truth}
    flagged = {tool: ids & known for tool, ids in flagged.items()}  # a pipeline OUT may hold later additions
    published = {tool: (published or {}).get(tool, known) & known for tool in flagged}
    speech: dict[str, str] = {}
    mosaics = set()
    for t in truth:
        if t["kind"] == "near":
            speech[t["id"]] = find(t["sources"][0])
        else:
            mosaics.add(t["id"])
    every: dict[str, list[str]] = defaultdict(list)
    for d, sp in speech.items():
        every[sp].append(d)
    print(
        f"  truth: {len(truth):,} documents; {len(speech):,} near-copies of {len(every)} speeches (a report and "
        f"its cross-site twins count as one); {len(mosaics):,} mosaics of 2-4 reports (none expected)"
    )
    survivors: dict[str, dict[str, int]] = {}
    multi_of: dict[str, dict[str, list[str]]] = {}
    for tool, ids in flagged.items():
        pub = published[tool]
        groups: dict[str, list[str]] = defaultdict(list)
        for d, sp in speech.items():
            if d in pub:
                groups[sp].append(d)
        multi = {r: m for r, m in groups.items() if len(m) > 1}
        single = {m[0] for m in groups.values() if len(m) == 1}
        expected = sum(len(m) - 1 for m in multi.values())
        rejected = [d for d in speech if d not in pub]
        rejected_sole = sum(1 for sp, m in every.items() if not any(d in pub for d in m))
        surv = {r: sum(d not in ids for d in m) for r, m in multi.items()}
        survivors[tool], multi_of[tool] = surv, multi
        hit = sum(min(len(multi[r]) - s, len(multi[r]) - 1) for r, s in surv.items())
        extra = sum(s - 1 for s in surv.values() if s > 1)
        wiped = sum(1 for s in surv.values() if s == 0)
        exact = sum(1 for s in surv.values() if s == 1)
        print(
            f"  {tool:>28}: flagged {len(ids):,}; near-copy removals {hit:,}/{expected:,} ({hit / max(expected, 1):.1%}); "
            f"speeches left with exactly 1 copy {exact}/{len(multi)}; near-copies kept beyond one {extra:,}; "
            f"speeches with no copy left {wiped}; lone near-copies removed {len(ids & single):,}; "
            f"mosaics removed {len(ids & mosaics):,}"
        )
        if rejected:
            print(
                f"  {'':>28}  rejected (not published, counted in none of the above): {len(rejected):,} near-copies, "
                f"{len(mosaics - pub):,} mosaics; speeches with every copy rejected {rejected_sole}"
            )
    tools = list(flagged)
    for i, a in enumerate(tools):
        for b in tools[i + 1 :]:
            multi = {r: m for r, m in multi_of[a].items() if r in multi_of[b]}
            single = {d for d, sp in speech.items() if sp not in multi_of[a] and sp not in multi_of[b]}
            same = sum(1 for r in multi if survivors[a][r] == survivors[b][r])
            print(
                f"  {a} vs {b}: flagged by both {len(flagged[a] & flagged[b]):,}, only {a} "
                f"{len(flagged[a] - flagged[b]):,}, only {b} {len(flagged[b] - flagged[a]):,}; speeches with the same "
                f"number of surviving near-copies {same}/{len(multi)}"
            )
            kinds = Counter(
                "mosaic" if d in mosaics else "lone near-copy" if d in single else "near-copy"
                for d in flagged[a] ^ flagged[b]
            )
            print(f"    documents flagged by one of the two, by kind: {dict(sorted(kinds.items()))}")


def _total(time_stats) -> str:
    """datatrove's per-step time: a dict with a total, or a bare number when the step saw no document."""
    if isinstance(time_stats, dict):
        time_stats = time_stats.get("total", 0)
    return f"{time_stats:.1f}" if isinstance(time_stats, (int, float)) else "?"


def print_stages(label: str, timings: dict[str, float], dt_out: Path | None = None) -> None:
    line = "  ".join(f"{k} {v:.1f}" for k, v in timings.items())
    print(f"    stages (s) {label}: {line}")
    if dt_out is None:
        return
    for stage in timings:  # datatrove's own stats: per step, summed over tasks (CPU-side time)
        stats = dt_out / "logs" / stage / "stats.json"
        if stats.exists():
            steps = json.loads(stats.read_text())
            parts = [f"{s.get('name', '?')} {_total(s.get('time_stats'))}" for s in steps if isinstance(s, dict)]
            print(f"      {stage} steps (s, summed over tasks): {'; '.join(parts)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_sign"]:
        return sign_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[5000])
    ap.add_argument("--tokenizer", nargs="*", choices=TOKENIZERS, default=["chars"], help="none: jianghua only")
    ap.add_argument("--tasks", type=int, default=TASKS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default="/tmp/jianghua-datatrove")
    ap.add_argument("--no-jianghua", action="store_true", help="skip jianghua's dedupe-only run")
    ap.add_argument("--jianghua-out", help="OUT of a `flows.cli run` on the same bench folder: compare its dup_of")
    ap.add_argument("--stages", action="store_true", help="print per-stage times (and datatrove's per-step stats)")
    ap.add_argument("--keep", action="store_true", help="keep datatrove's output folders")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    python = ensure_venv()
    for n in args.n:
        folder, mb = ensure_bench(n, work)
        print(f"\n== {n:,} documents, {mb:,.0f} MB ({folder})")
        flagged: dict[str, set[str]] = {}
        published: dict[str, set[str]] = {}
        for tok in args.tokenizer:
            removed, _, timings, _, out = run_datatrove(
                python, folder, work / f"dt-{n}-{tok}", tok, args.tasks, args.workers, n, mb
            )
            if args.stages:
                print_stages(f"datatrove {tok}", timings, out)
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
            flagged[f"datatrove {tok}"] = removed
        if not args.no_jianghua:
            reasons, timings = run_jianghua(folder, work / f"jh-{n}", args.workers, n, mb)
            if args.stages:
                print_stages("jianghua dedupe", timings)
            flagged["jianghua dedupe"] = set(reasons)
        if args.jianghua_out:
            flagged["jianghua pipeline"], published["jianghua pipeline"] = pipeline_flags(Path(args.jianghua_out))
        from bench.scale import truth_path

        compare(truth_path(folder), flagged, published)
        if not args.no_jianghua:
            kinds = {t["id"]: t["kind"] for t in map(json.loads, truth_path(folder).open(encoding="utf-8"))}
            by = Counter((kinds.get(d, "?"), r) for d, r in reasons.items())
            print(f"  jianghua dedupe: flagged by (built as, dup_reason): {dict(sorted(by.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

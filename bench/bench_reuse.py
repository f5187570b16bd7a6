"""Reuse on the shared corpus: which reports share passages with reports of other clusters.

Every report of ../shared/corpus/real goes through the real normalize and dedupe stages; one
document per cluster (the canonical) goes to `find_reuse`. Prints counts, the formulae, who copies
whom by level (earlier -> later), and a seeded sample of pairs to check by eye. Also checks that
the incremental run (the last 10 % of documents against the index of the first 90 %) finds the
same pairs that involve a new document as the full run.

    python bench/bench_reuse.py [--corpus DIR] [--sample 50] [--seed 13]
    python bench/bench_reuse.py --scale 2000 8000 [--old]   # the stage: peak RSS at two sizes, +1 %
    python bench/bench_reuse.py --pipeline BASE_OUT PLUS_OUT [--code /work/main] [--without NEW_SHARD_ARTIFACT]  # two runs' members

The scale mode writes N canonical documents (random Han text around 3 paragraphs of the shared real
reports, 30 % with a common paragraph; each its own cluster) as members artifacts of 500 documents
(canonical.parquet + anchors.parquet, as the members stage writes them), then runs the reuse stage
in a child process whose peak RSS is sampled (bench.scale.TreeSampler): cold, then with 1 % new
documents in a new shard (the earlier run lends its unchanged pairs), then unchanged. --old also
runs today's in-memory path (every canonical text loaded, find_reuse) for comparison.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if os.environ.get("REUSE_BENCH_CODE"):  # --code DIR: the child runs another checkout's tasks.reuse
    sys.path.insert(0, os.environ["REUSE_BENCH_CODE"])

from bench.bench_repair import DEFAULT_CORPUS  # noqa: E402
from tasks import dedupe, reuse  # noqa: E402
from tasks.normalize import normalize_text  # noqa: E402

LEVELS = {"国务院": "national", "省自治区": "province", "主要城市": "city", "其他地市": "city"}


def describe(rel: str) -> tuple[str, int | None]:
    """(level, year) from the file name: lawtext__gov/<level>__<region>__<year>.txt, 2026_上海市_…, gwr_069_1956年…"""
    name = rel.split("/", 1)[1]
    parts = name[:-4].split("__")
    if len(parts) >= 2:  # 国务院__1964-part, 省自治区__四川省__2019
        m = re.match(r"(19|20)\d\d", parts[-1])
        return LEVELS.get(parts[0], parts[0]), int(m.group(0)) if m else None
    m = re.search(r"(19|20)\d\d", name)
    if name.startswith("20") and m:
        return "province", int(m.group(0))
    return ("national", int(m.group(0)) if m else None) if name.startswith(("gwr", "cpc")) else ("other", None)


SCALE_SHARD_DOCS = 500  # documents per members artifact in the scale mode


SCALE_CHARS = 8_000  # own text of a synthetic document (random Han: shares no anchor by chance)
SCALE_REUSED = 3  # paragraphs copied verbatim from the real reports into each document
SCALE_BOILER = 6  # paragraphs that 30 % of documents carry: formulae once in 25+ clusters
_POOL: list[str] = []


def scale_docs(n: int, start: int, seed: int = 10):
    """Canonical documents start..start+n-1, each its own cluster: SCALE_CHARS of random Han text
    around SCALE_REUSED paragraphs of the real reports (reuse between documents that drew the same
    paragraph) and, for 30 %, one of SCALE_BOILER common paragraphs (formulae at scale)."""
    import numpy as np

    from bench.scale import real_texts

    if not _POOL:
        _POOL.extend(p.strip() for t in real_texts() for p in t.split("\n") if len(p.strip()) >= 80)
    for i in range(start, start + n):
        rng = random.Random(f"{seed}-{i}")
        own = np.random.default_rng([seed, i]).integers(0x4E00, 0x9FA5, SCALE_CHARS, dtype=np.uint32)
        text = own.tobytes().decode("utf-32-le")
        cuts = sorted(rng.randrange(len(text)) for _ in range(SCALE_REUSED))
        pieces = [_POOL[rng.randrange(len(_POOL))] for _ in cuts]
        if rng.random() < 0.3:
            pieces[0] = _POOL[rng.randrange(SCALE_BOILER)]
        out, last = [], 0
        for cut, piece in zip(cuts, pieces, strict=True):
            out += [text[last:cut], "。\n", piece, "\n"]
            last = cut
        out.append(text[last:])
        doc_id = f"{random.Random(i).getrandbits(64):016x}"  # 16 hex, like ingest's ids
        yield {"doc_id": doc_id, "cluster_id": doc_id, "text": "".join(out), "year": 1990 + i % 35}


def write_members(docs: list[dict], folder: Path) -> str:
    """A members artifact as cluster_members_shard writes it (canonical + anchors)."""
    from tasks.common import write_table
    from tasks.repair import _write_row_groups
    from tasks.schema import CANONICAL

    rows = [{"delivered_on": None, "admin_level": None, **d} for d in docs]
    table = pa.Table.from_pylist(rows, schema=CANONICAL).sort_by([("doc_id", "ascending")])
    _write_row_groups(table, folder / "canonical.parquet", reuse.CANONICAL_ROW_GROUP)
    write_table(reuse.anchor_table(docs), folder / "anchors.parquet")
    return str(folder)


def build_members(n: int, start: int, work: Path) -> tuple[list[str], int]:
    dirs, chars = [], 0
    for k in range(0, n, SCALE_SHARD_DOCS):
        docs = list(scale_docs(min(SCALE_SHARD_DOCS, n - k), start + k))
        chars += sum(len(d["text"]) for d in docs)
        dirs.append(write_members(docs, work / f"m{start + k:08d}"))
    return dirs, chars


def measured(cmd: list[str]) -> tuple[float, int, dict]:
    """Wall seconds, peak RSS of the child (sampled) and the JSON it prints."""
    import json
    import subprocess

    from bench.scale import TreeSampler

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, _ = proc.communicate()
    if proc.returncode:
        sys.exit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - t0, sampler.largest()[1], json.loads(out.strip().splitlines()[-1])


def child(argv: list[str]) -> None:
    """--child stage OUT DIR... | --child old DIR...: one measured run, JSON stats on stdout."""
    import json

    import pyarrow.parquet as pq

    if argv[0] == "stage":
        out = Path(argv[1])
        out.mkdir(parents=True)
        cpu = time.process_time()
        stats = reuse.reuse_stage(argv[2:], str(out))
        stats["cpu"] = round(time.process_time() - cpu, 2)
        (out / "_done.json").write_text(json.dumps(stats))
    else:  # today's path before the change: every canonical text in memory, find_reuse
        docs = [r for d in argv[1:] for r in pq.read_table(Path(d) / "canonical.parquet").to_pylist()]
        rows, formulae = reuse.find_reuse(docs)
        stats = {"reuse": len(rows), "formulae": len(formulae)}
    print(json.dumps(stats, default=str))


def scale(sizes: list[int], old: bool) -> None:
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    print(f"{'docs':>7} {'chars':>12} {'run':<22} {'wall':>8} {'peak RSS':>9}  stats")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
            work = Path(tmp)
            dirs, chars = build_members(n, 0, work / "members")
            new_dirs, new_chars = build_members(max(1, n // 100), n, work / "members")

            def show(label: str, wall: float, rss: int, stats: dict, n: int = n, chars: int = chars) -> None:
                keep = ("cpu", "reuse", "formulae", "hits", "groups", "groups_paired", "pairs_computed", "pairs_reused")
                brief = " ".join(f"{k}={stats[k]}" for k in (*keep, "parts_linked") if k in stats)
                print(f"{n:>7,} {chars:>12,} {label:<22} {wall:>7.1f}s {rss / 1e6:>7,.0f}MB  {brief}", flush=True)

            cold = measured([*me, "stage", str(work / "runs" / "cold"), *dirs])
            show("stage cold", *cold)
            inc = measured([*me, "stage", str(work / "runs" / "plus1"), *dirs, *new_dirs])
            show(f"stage +1 % ({new_chars:,} ch)", *inc)
            ratio = inc[2]["cpu"] / cold[2]["cpu"]  # CPU seconds: a shared machine's load skews wall time
            print(f"{'':>7} {'':>12} {'+1 % / cold, CPU':<22} {ratio:>8.0%}", flush=True)
            same = measured([*me, "stage", str(work / "runs" / "same"), *dirs, *new_dirs])
            show("stage unchanged", *same)
            if old:
                show("old: find_reuse", *measured([*me, "old", *dirs]))


def pipeline_members(out: Path) -> list[str]:
    """The complete members artifacts of a pipeline output (one per shard after pruning)."""
    folder = out / ".state" / "artifacts" / "members"
    return sorted(str(d) for d in folder.iterdir() if (d / "_done.json").exists())


def pipeline(base: Path, plus: Path, code: str | None, without: str | None = None) -> None:
    """The stage on two pipeline outputs' members artifacts: cold on BASE, then PLUS next to it (the
    earlier run lends what is unchanged), PLUS cold, PLUS again unchanged; CPU seconds and peak RSS
    of each child, and whether incremental and cold wrote the same reuse tables. With `without`
    (a members artifact folder name of PLUS, e.g. the +1 % run's new shard), BASE is PLUS's members
    less that one: a +1 % run from one pipeline output (each output keeps its last run's artifacts only)."""
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    if code:
        os.environ["REUSE_BENCH_CODE"] = code
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
        work = Path(tmp)
        runs = (
            ("cold BASE", "runs/a", base),
            ("+ new docs (PLUS inc)", "runs/b", plus),
            ("PLUS cold", "cold/c", plus),
            ("PLUS unchanged", "runs/d", plus),
        )
        print(f"{'run':<24} {'CPU':>8} {'wall':>8} {'peak RSS':>9}  stats")
        for label, rel, src in runs:
            members = pipeline_members(src)
            if without and rel == "runs/a":
                members = [m for m in members if Path(m).name != Path(without).name]
                assert len(members) == len(pipeline_members(src)) - 1, f"{without} is not a members artifact of {src}"
            wall, rss, stats = measured([*me, "stage", str(work / rel), *members])
            keep: tuple[str, ...] = (
                "hits",
                "anchor_rows_read",
                "pairs_computed",
                "pairs_reused",
                "parts_linked",
                "parts_written",
            )
            keep += ("reuse", "formulae", "formula_runs")
            brief = " ".join(f"{k}={stats[k]}" for k in keep if k in stats)
            print(f"{label:<24} {stats['cpu']:>7.2f}s {wall:>7.1f}s {rss / 1e6:>7,.0f}MB  {brief}", flush=True)

        def tables(folder: Path) -> dict[str, bytes]:
            keep = ("reuse", "reuse_formulae")
            files = [p for p in sorted(folder.rglob("*.parquet")) if p.parent.name in keep]
            return {str(p.relative_to(folder)): p.read_bytes() for p in [*files, folder / "flows.json"]}

        same = tables(work / "runs/b") == tables(work / "cold/c") == tables(work / "runs/d")
        print(f"incremental == cold == unchanged (reuse, reuse_formulae, flows.json): {same}")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--scale", type=int, nargs="+", help="document counts: the stage's peak RSS at each")
    ap.add_argument("--old", action="store_true", help="with --scale: also today's in-memory path")
    ap.add_argument("--pipeline", type=Path, nargs=2, metavar=("BASE_OUT", "PLUS_OUT"), help="two pipeline outputs")
    ap.add_argument("--code", help="with --pipeline: run another checkout's tasks.reuse (e.g. /work/main)")
    ap.add_argument("--without", help="with --pipeline: BASE = PLUS's members less this artifact folder")
    args = ap.parse_args()
    if args.pipeline:
        return pipeline(*args.pipeline, args.code, args.without)
    if args.scale:
        return scale(args.scale, args.old)
    files = sorted(str(p.relative_to(args.corpus)) for p in args.corpus.glob("*/*.txt"))
    t0 = time.perf_counter()
    texts = {f: normalize_text((args.corpus / f).read_text(encoding="utf-8", errors="replace")) for f in files}
    print(f"normalized {len(files)} reports in {time.perf_counter() - t0:.1f} s")
    table = pa.table(
        {
            "doc_id": files,
            "text": [texts[f].text for f in files],
            "quality_flags": pa.array([sorted(texts[f].flags) for f in files], pa.list_(pa.string())),
            "n_chars": pa.array([len(texts[f].text) for f in files], pa.int32()),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        sig = Path(tmp) / "sig.parquet"
        import pyarrow.parquet as pq

        pq.write_table(dedupe.shard_signatures(table), sig)
        assignments, _ = dedupe.cluster_documents([str(sig)], None, str(Path(tmp) / "state"))
    assign = {r["doc_id"]: r for r in assignments.to_pylist()}
    docs = []
    for f in files:
        level, year = describe(f)
        if assign[f]["is_canonical"]:
            docs.append(
                {
                    "doc_id": f,
                    "cluster_id": assign[f]["cluster_id"],
                    "text": texts[f].text,
                    "year": year,
                    "level": level,
                }
            )
    by_id = {d["doc_id"]: d for d in docs}
    print(f"clusters {len(docs)} (canonical documents passed to find_reuse)")

    t0, c0 = time.perf_counter(), time.process_time()
    rows, formulae = reuse.find_reuse(docs)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n_chars = sum(len(d["text"]) for d in docs)
    print(f"find_reuse: {n_chars:,} chars, wall {wall:.1f} s, CPU {cpu:.1f} s")
    pairs = {(r["doc_id_a"], r["doc_id_b"]) for r in rows}
    print(
        f"reuse passages {len(rows):,} between {len(pairs):,} document pairs; shared chars {sum(r['length'] for r in rows):,}"
    )
    print(f"formulae (in > {reuse.FORMULA_CLUSTERS} clusters, counted not paired): {len(formulae)}")
    for f in sorted(formulae, key=lambda f: -f["n_docs"])[:8]:
        print(f"  {f['n_docs']:4d} docs  {f['passage'][:70]}")

    flows = reuse.reuse_flows(rows, {d["doc_id"]: d["level"] for d in docs})
    print("who copies whom, by level (earlier -> later when dated; formulaic passages left out):")
    for f in flows:
        how = "earlier -> later" if f["dated"] else "same year/undated"
        print(f"  {f['from_level']:>9} -> {f['to_level']:<9} {how:<17} pairs {f['pairs']:>4}  chars {f['chars']:>7,}")
    print(f"formulaic passages (acknowledgements, procedure): {sum(r['formulaic'] for r in rows)} of {len(rows)}")
    rng = random.Random(args.seed)
    by_pair: dict = {}
    for r in rows:  # one passage per document pair, so one long pair does not fill the sample
        by_pair.setdefault((r["doc_id_a"], r["doc_id_b"]), []).append(r)
    keys = rng.sample(sorted(by_pair), min(args.sample, len(by_pair)))
    sample = [rng.choice(by_pair[k]) for k in keys]
    print(f"\nsample of {len(sample)} passages (one per document pair) to check by eye:")
    for k, r in enumerate(sorted(sample, key=lambda r: (r["doc_id_a"], r["start_a"])), 1):
        tb = by_id[r["doc_id_b"]]["text"][r["start_b"] : r["end_b"]]
        print(
            f"[{k}] {r['doc_id_a']} @{r['start_a']}  <->  {r['doc_id_b']} @{r['start_b']}  len {r['length']} first {r['first_doc_id']}"
            + (" FORMULAIC" if r["formulaic"] else "")
        )
        print(f"    A: {r['passage'][:160]}")
        if tb != r["passage"]:
            print(f"    B: {tb[:160]}")

    # incremental: the last 10 % of documents against the index of the first 90 %
    cut = int(len(docs) * 0.9)
    old, new = docs[:cut], docs[cut:]
    index = reuse.anchor_table(old)
    inc, _ = reuse.find_reuse(new, index, lambda ids: {i: by_id[i] for i in ids})
    new_ids = {d["doc_id"] for d in new}
    want = sorted(
        (r["doc_id_a"], r["doc_id_b"], r["start_a"]) for r in rows if {r["doc_id_a"], r["doc_id_b"]} & new_ids
    )
    got = sorted((r["doc_id_a"], r["doc_id_b"], r["start_a"]) for r in inc)
    print(
        f"\nincremental ({len(new)} new against {len(old)} indexed): {len(got)} passages, same as full run: {got == want}"
    )


if __name__ == "__main__":
    main()

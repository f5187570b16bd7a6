"""Deduplication benchmark on the labelled dev set (bench/devset_dedupe.py): quality and speed.

    /work/venv/bin/python bench/bench_dedupe.py [--copies 120] [--shards 4] [--compare]

Prints pairwise precision / recall / F1, recall per kind of damage, merges of a city's reports
from different years and of template-similar NPC resolutions, signature throughput, clustering
time, and the corpus built in steps (half the shards, then all of them, then one shard's pages
removed) checked byte for byte against a cold run on the same documents. With --compare
the same normalized texts go through text-dedup's and datatrove's MinHash with their default
settings (plus datatrove with only its word tokenizer switched to Chinese, labelled as such) in a
separate venv, and a markdown table of all of them is printed last. That venv
(JIANGHUA_COMPARE_PYTHON, default /work/venv-compare/bin/python) needs:

    pip install datatrove==0.10.1 text-dedup==0.4.0 spacy "xxhash<4" jieba

(datatrove's default word tokenizer is spaCy's blank English one; its `processing` extra pins
xxhash<4 — xxhash 4 refuses the str datatrove hashes; jieba only for the Chinese-tokenizer row.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COMPARE_PYTHON = os.environ.get("JIANGHUA_COMPARE_PYTHON", "/work/venv-compare/bin/python")


# --- evaluation ---------------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(pred: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth."""
    cells = Counter((pred[d], truth[d]) for d in truth)
    tp = sum(_pairs(n) for n in cells.values())
    p_all = sum(_pairs(n) for n in Counter(pred[d] for d in truth).values())
    t_all = sum(_pairs(n) for n in Counter(truth.values()).values())
    precision = tp / p_all if p_all else 1.0
    recall = tp / t_all if t_all else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": t_all, "predicted_pairs": p_all}


def recall_by_damage(pred: dict[str, str], truth: dict[str, str], damage: dict[str, str]) -> dict[str, float]:
    """Per damage kind: share of (copy, other true member) pairs that were merged."""
    members = defaultdict(list)
    for d, t in truth.items():
        members[t].append(d)
    hit, total = Counter(), Counter()
    for d, kind in damage.items():
        if kind == "original":
            continue
        for other in members[truth[d]]:
            if other != d:
                total[kind] += 1
                hit[kind] += pred[other] == pred[d]
    return {k: hit[k] / total[k] for k in sorted(total)}


_CITY_YEAR = re.compile(r"lawtext__gov/(.+?)__(.+?)__(\d{4})")


def forbidden_merges(
    pred: dict[str, str], truth: dict[str, str], source: dict[str, str], template_pairs: set[frozenset]
) -> dict[str, list]:
    """Merged pairs of different speeches that must never merge: a region's years, templates."""
    by_cluster = defaultdict(list)
    for d in truth:
        by_cluster[pred[d]].append(d)
    years, templates = set(), set()
    for docs in by_cluster.values():
        for i, a in enumerate(docs):
            for b in docs[i + 1 :]:
                if truth[a] == truth[b]:
                    continue
                sa, sb = source[a], source[b]
                ma, mb = _CITY_YEAR.search(sa), _CITY_YEAR.search(sb)
                if ma and mb and ma.group(2) == mb.group(2) and ma.group(3) != mb.group(3):
                    years.add(tuple(sorted((sa, sb))))
                if frozenset((sa, sb)) in template_pairs:
                    templates.add(tuple(sorted((sa, sb))))
    return {"region_years": sorted(years), "templates": sorted(templates)}


def false_pairs(pred, truth, source, limit=15) -> list[tuple[str, str]]:
    by_cluster = defaultdict(list)
    for d in truth:
        by_cluster[pred[d]].append(d)
    out = set()
    for docs in by_cluster.values():
        for i, a in enumerate(docs):
            for b in docs[i + 1 :]:
                if truth[a] != truth[b]:
                    out.add(tuple(sorted((source[a], source[b]))))
    return sorted(out)[:limit]


def missed_pairs(pred, truth, damage, limit=15) -> list[tuple[str, str]]:
    members = defaultdict(list)
    for d, t in truth.items():
        members[t].append(d)
    out = []
    for d in sorted(truth):
        for o in members[truth[d]]:
            if o > d and pred[o] != pred[d]:
                out.append((d, o))
    return out[:limit]


def report(name: str, pred, truth, damage, source, template_pairs) -> dict:
    scores = pairwise_scores(pred, truth)
    per = recall_by_damage(pred, truth, damage)
    bad = forbidden_merges(pred, truth, source, template_pairs)
    print(f"\n== {name}")
    print(
        f"pairwise precision {scores['precision']:.4f}  recall {scores['recall']:.4f}  F1 {scores['f1']:.4f}"
        f"  (true pairs {scores['true_pairs']}, predicted pairs {scores['predicted_pairs']})"
    )
    print("recall per damage: " + "  ".join(f"{k} {v:.3f}" for k, v in per.items()))
    print(f"merged region-years: {len(bad['region_years'])}  merged template-similar: {len(bad['templates'])}")
    for a, b in false_pairs(pred, truth, source, 8):
        print(f"  false merge: {a} ~ {b}")
    for a, b in missed_pairs(pred, truth, damage, 8):
        print(f"  missed: {a} ~ {b}")
    return {
        "scores": scores,
        "recall_by_damage": per,
        "region_years": len(bad["region_years"]),
        "templates": len(bad["templates"]),
    }


# --- running jianghua ---------------------------------------------------------------------------


def _assignments(out: Path, parts: int):
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa.concat_tables([pq.read_table(out / "assignments" / f"{i:05d}.parquet") for i in range(parts)])


def _same_bytes(a: Path, b: Path, parts: int) -> bool:
    names = [f"assignments/{i:05d}.parquet" for i in range(parts)] + ["duplicates.parquet"]
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def run_jianghua(table, shards: int, workdir: Path) -> tuple[dict, dict, dict]:
    import pyarrow.parquet as pq

    from tasks import dedupe
    from tasks.dedupe_cluster import cluster_corpus

    n = table.num_rows
    bounds = [n * i // shards for i in range(shards + 1)]
    files = []
    t0 = time.perf_counter()
    for i in range(shards):
        sig = dedupe.shard_signatures(table.slice(bounds[i], bounds[i + 1] - bounds[i]))
        path = workdir / f"sig-{i}.parquet"
        pq.write_table(sig, path)
        files.append(str(path))
    t_sig = time.perf_counter() - t0
    mb = sum(len(t.encode("utf-8")) for t in table.column("text").to_pylist()) / 1e6
    t0 = time.perf_counter()
    stats = cluster_corpus(files, None, str(workdir / "full"))
    t_cluster = time.perf_counter() - t0
    assignments = _assignments(workdir / "full", shards)
    print(f"signatures: {n} docs, {mb:.1f} MB in {t_sig:.1f} s = {mb / t_sig:.1f} MB/s (one process)")
    print(
        f"cluster_corpus: {t_cluster:.1f} s; clusters {stats['clusters']}, duplicates {stats['duplicates']}"
        f" {stats['duplicate_reasons']}; candidates bands {stats.get('candidates_bands')}, exact"
        f" {stats.get('candidates_exact')}, anchors {stats.get('candidates_anchors')}"
    )
    pred = dict(
        zip(assignments.column("doc_id").to_pylist(), assignments.column("cluster_id").to_pylist(), strict=False)
    )
    # the corpus built in steps (half the shards, all of them, then the first shard removed) must
    # give the same bytes as a cold run on what is present at each step
    half = shards // 2 or 1
    cluster_corpus(files[:half], None, str(workdir / "step-1"))
    t0 = time.perf_counter()
    cluster_corpus(files, str(workdir / "step-1" / "state"), str(workdir / "step-2"))
    t_inc = time.perf_counter() - t0
    t0 = time.perf_counter()
    cluster_corpus(files, str(workdir / "step-2" / "state"), str(workdir / "step-2b"))
    t_same = time.perf_counter() - t0
    cluster_corpus(files[1:], str(workdir / "step-2" / "state"), str(workdir / "step-3"))
    cluster_corpus(files[1:], None, str(workdir / "cold-3"))
    print(
        f"incremental second run {t_inc:.1f} s, unchanged rerun {t_same:.2f} s; byte-identical to cold: "
        f"step 2 {_same_bytes(workdir / 'step-2', workdir / 'full', shards)}, "
        f"rerun {_same_bytes(workdir / 'step-2b', workdir / 'full', shards)}, "
        f"first shard removed {_same_bytes(workdir / 'step-3', workdir / 'cold-3', shards - 1)}"
    )
    final = dict(pred)
    third = _assignments(workdir / "step-3", shards - 1)
    dup3 = pq.read_table(workdir / "step-3" / "duplicates.parquet")
    present = set(third.column("doc_id").to_pylist())
    pointers = {p for p in third.column("dup_of").to_pylist() + dup3.column("matched_with").to_pylist() if p}
    print(
        f"first shard removed: {len(set(final) - present)} documents gone, returned rows pointing at a removed "
        f"document: {len(pointers - present)}"
    )
    return pred, final, {"signatures": t_sig, "cluster": t_cluster}


# --- comparison tools (run inside /work/venv-compare) -------------------------------------------


def run_tool(tool: str, devset: str, out: str) -> None:
    """Entry point in the compare venv: cluster the dev set with a tool's default MinHash."""
    import pyarrow.parquet as pq

    table = pq.read_table(devset, columns=["doc_id", "text"])
    ids, texts = table.column("doc_id").to_pylist(), table.column("text").to_pylist()
    if tool == "datatrove":
        clusters = _datatrove(ids, texts)
    elif tool == "datatrove-zh":
        clusters = _datatrove(ids, texts, chinese=True)
    else:
        clusters = _text_dedup(ids, texts)
    Path(out).write_text(json.dumps(clusters, ensure_ascii=False))


def _datatrove(ids, texts, chinese: bool = False) -> dict[str, str]:
    """datatrove's MinHash pipeline with its defaults: MinhashConfig() (5-grams of words, 14 buckets x 8
    hashes) and the signature step's default language, English (spaCy's blank English tokenizer after
    datatrove's simplify_text, which turns punctuation into spaces). Needs spacy and xxhash<4 (the
    version datatrove's `processing` extra pins; xxhash 4 refuses the str datatrove hashes).
    chinese=True only switches the word tokenizer to Chinese (spaCy + jieba words), nothing else."""
    from datatrove.data import Document
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupSignature,
    )

    work = tempfile.mkdtemp(prefix="dt-")
    cfg = MinhashConfig()  # defaults: 5-gram word shingles, 14 buckets x 8 hashes
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    # Languages.chinese ("zho") maps to a whitespace tokenizer; only "zho_Hani" / "cmn" segment words (jieba)
    language = {"language": "zho_Hani"} if chinese else {}
    MinhashDedupSignature(output_folder=f"{work}/sigs", config=cfg, **language).run(iter(docs), rank=0, world_size=1)
    for b in range(cfg.num_buckets):
        list(
            MinhashDedupBuckets(input_folder=f"{work}/sigs", output_folder=f"{work}/buckets", config=cfg).run(
                rank=b, world_size=cfg.num_buckets
            )
            or []
        )
    list(
        MinhashDedupCluster(
            input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=cfg, save_cluster_id=True
        ).run()
        or []
    )
    return _datatrove_clusters(work, ids)


def _datatrove_clusters(work: str, ids) -> dict[str, str]:
    import struct

    # `.clusters` holds (doc index, cluster number) for documents in a cluster of 2+; the others are
    # alone (their own label must not collide with a cluster number)
    label = {i: f"dt-single-{i}" for i in range(len(ids))}
    for path in sorted(Path(work, "remove_ids").glob("*.clusters")):
        data = path.read_bytes()
        for k in range(0, len(data), 8):
            doc, cluster = struct.unpack("<II", data[k : k + 8])
            label[doc] = f"dt-cluster-{cluster}"
    return {ids[i]: label[i] for i in range(len(ids))}


def _text_dedup(ids, texts) -> dict[str, str]:
    """text-dedup's MinHash CLI with its defaults (5-grams after \\W splitting, 250 perms, t=0.7)."""
    import pickle

    import pyarrow as pa
    import pyarrow.parquet as pq
    from text_dedup.minhash import main as minhash_main

    work = Path(tempfile.mkdtemp(prefix="td-"))
    pq.write_table(pa.table({"text": texts}), work / "data.parquet")
    minhash_main(
        [
            "--path",
            "parquet",
            "--data_files",
            str(work / "data.parquet"),
            "--split",
            "train",
            "--column",
            "text",
            "--output",
            str(work / "out"),
            "--cache_dir",
            str(work / "cache"),
            "--debug",
        ],
        standalone_mode=False,
    )
    with open(work / "out" / "uf.pkl", "rb") as fh:
        uf = pickle.load(fh)
    return {ids[i]: f"td{uf.find(i) if i in uf.parent else i}" for i in range(len(ids))}


def compare(devset_path: str, truth, damage, source, template_pairs) -> dict:
    results = {}
    for tool in ("text-dedup", "datatrove", "datatrove-zh"):
        out = Path(tempfile.mkdtemp()) / f"{tool}.json"
        t0 = time.perf_counter()
        proc = subprocess.run(
            [COMPARE_PYTHON, __file__, "--run-tool", tool, "--devset", devset_path, "--out", str(out)],
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            print(f"\n== {tool}: failed ({proc.stderr.strip().splitlines()[-1:] if proc.stderr else 'no output'})")
            continue
        pred = json.loads(out.read_text())
        label = "Chinese word tokenizer, other settings default" if tool == "datatrove-zh" else "default settings"
        results[tool] = report(f"{tool} MinHash, {label} ({took:.0f} s)", pred, truth, damage, source, template_pairs)
        results[tool]["seconds"] = took
    return results


def markdown_table(rows: dict[str, dict]) -> str:
    """The comparison table of docs/dedupe.md and the README."""
    head = (
        "| | precision | recall | F1 | recall: truncated | recall: Traditional+pinyin | region-year merges "
        "| template merges | time (s) |\n|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for name, r in rows.items():
        sc, per = r["scores"], r["recall_by_damage"]
        lines.append(
            f"| {name} | {sc['precision']:.4f} | {sc['recall']:.4f} | {sc['f1']:.4f} "
            f"| {per.get('truncated', 0):.3f} | {per.get('traditional_pinyin', 0):.3f} "
            f"| {r['region_years']} | {r['templates']} | {r['seconds']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=120, help="reports that get one noisy copy per damage kind")
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--compare", action="store_true", help="also run datatrove and text-dedup (venv-compare)")
    ap.add_argument("--run-tool", help=argparse.SUPPRESS)
    ap.add_argument("--devset", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_tool:
        run_tool(args.run_tool, args.devset, args.out)
        return

    import pyarrow.parquet as pq

    from bench import devset_dedupe as dev

    if not dev.DEFAULT_CORPUS.is_dir():
        sys.exit(f"no corpus at {dev.DEFAULT_CORPUS}")
    t0 = time.perf_counter()
    docs = dev.build(copies=args.copies)
    table = dev.normalized_table(docs)
    print(
        f"dev set: {len(docs)} documents ({sum(d.damage == 'original' for d in docs)} reports, "
        f"{sum(d.damage != 'original' for d in docs)} noisy copies) built and normalized in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    truth = {d.doc_id: d.truth for d in docs}
    damage = {d.doc_id: d.damage for d in docs}
    source = {d.doc_id: d.source for d in docs}
    template_pairs = {frozenset((a, b)) for a, b, k in dev.read_pairs(dev.DEFAULT_CORPUS) if k == "template"}
    work = Path(tempfile.mkdtemp(prefix="bench-dedupe-"))
    try:  # the work folder holds ~1 GB of signatures and index: never left behind in /tmp
        pred, _, took = run_jianghua(table, args.shards, work)
        rows = {"jianghua": report("jianghua", pred, truth, damage, source, template_pairs)}
        rows["jianghua"]["seconds"] = took["signatures"] + took["cluster"]
        if args.compare:
            path = work / "devset.parquet"
            pq.write_table(table.select(["doc_id", "text"]), path)
            names = {
                "text-dedup": "text-dedup 0.4.0 MinHash (defaults)",
                "datatrove": "datatrove 0.10.1 MinHash (defaults)",
                "datatrove-zh": "datatrove 0.10.1 MinHash, language=zho_Hani (jieba words; not default)",
            }
            for tool, r in compare(str(path), truth, damage, source, template_pairs).items():
                rows[names[tool]] = r
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n" + markdown_table(rows))


if __name__ == "__main__":
    main()

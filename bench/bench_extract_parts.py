"""CPU seconds of each part of extract_shard (fields, the side tables one by one, keywords, and `arrow`: the runner's
conversion of each batch's rows to tables) on real shards, to compare two versions of the code A/B on the same shards
in one window (bench_stages times the whole runner).

    python -m bench.bench_extract_parts OUT [--shards 1] [--first 0] [--root DIR] [--inputs]

OUT is the --out of a cold CLI run (its normalize artifacts are extract's inputs; bench_stages pairs them). --root
runs another checkout's `tasks` (e.g. a `git archive` of main in /tmp) with this bench, so both versions read the same
documents: alternate the two roots, two or more times each (a loaded machine moves CPU seconds by a few per cent).
Each part is timed with time.process_time in a fresh process after the stage's tables are loaded (the first
document), with the runner's GC settings (extract_shard's threshold when the checkout has one). A part's figure
moves by ~5 % between runs of the same code on a loaded machine: compare means of several alternations.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--inputs", action="store_true", help="OUT is a folder of normalize-* folders (extract_outputs)")
    ap.add_argument("--first", type=int, default=0, help="index of the first shard timed")
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout whose tasks/ is timed (default: this one)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.bench_stages import plan  # the pairing of shards with their inputs, from this checkout

    if args.inputs:
        jobs = [({"normalize": str(d)}, None, 0) for d in sorted(args.out.glob("normalize-*"))]
    else:
        jobs = plan(args.out)["extract"]
    jobs = jobs[args.first : args.first + args.shards]
    sys.path.insert(0, str(args.root.resolve()))
    for name in [m for m in sys.modules if m == "tasks" or m.startswith("tasks.")]:
        del sys.modules[name]  # bench_stages imported nothing of tasks, but be sure the root's copy is the one timed
    import pyarrow.parquet as pq

    from tasks import extract as E
    from tasks import schema
    from tasks.common import rows_to_table
    from tasks.extract_structure import (
        NATIONAL_OPENING_CHARS,
        extract_figures,
        extract_mentions,
        extract_sections,
        extract_slogans,
        extract_tables,
    )

    assert Path(E.__file__).resolve().is_relative_to(args.root.resolve()), E.__file__
    docs, removed = [], {}
    for inputs, _, _ in jobs:
        folder = Path(inputs["normalize"])
        docs += pq.read_table(folder / "docs.parquet", columns=list(E.DOC_COLUMNS)).to_pylist()
        for r in pq.read_table(
            folder / "removed_lines.parquet", columns=["doc_id", "line_no", "text", "rule"]
        ).to_pylist():
            removed.setdefault(r["doc_id"], []).append((r["line_no"], r["text"], r["rule"]))
    mb = sum(len(d["text"].encode()) for d in docs) / 1e6
    E.extract_fields(docs[0]["text"])  # load the tables (gazetteer, jieba dictionary, IDF) outside the timings
    E.document_keywords("d", docs[0]["text"])
    extract_tables("d", docs[0]["text"])
    threshold = gc.get_threshold()
    gc.set_threshold(max(getattr(E, "EXTRACT_GC_GEN0", 0), threshold[0]), *threshold[1:])
    names = ("fields", "sections", "figures", "slogans", "mentions", "keywords", "arrow")
    parts = dict.fromkeys(names, 0.0)
    rows: dict[str, list[dict]] = {name: [] for name in schema.EXTRACT_TABLES}
    batches = []  # the runner converts the rows of E.BATCH_ROWS documents at a time
    clock = time.process_time
    for i, d in enumerate(docs):
        doc_id, text = d["doc_id"], d["text"] or ""
        t0 = clock()
        f = E.extract_fields(
            d["text"],
            raw_text=d["raw_text"],
            removed_lines=removed.get(d["doc_id"], ()),
            page_title=d["page_title"],
            url=d["url"],
        )
        t1 = clock()
        # extract_tables' parts one by one, as it calls them (its national rule, repeated)
        sections = extract_sections(doc_id, text)
        t2 = clock()
        national = (
            f.get("admin_level") == "national"
            or "全国人民代表大会" in text[:NATIONAL_OPENING_CHARS]
            or text[:NATIONAL_OPENING_CHARS].count("国务院") >= 2
        )
        figures = extract_figures(doc_id, text, sections, national, f.get("year"), f.get("admin_level"))
        t3 = clock()
        slogans = extract_slogans(doc_id, text)
        t4 = clock()
        mentions = extract_mentions(doc_id, text)
        t5 = clock()
        keywords = E.document_keywords(doc_id, text, k=20)
        t6 = clock()
        for name, got in zip(schema.EXTRACT_TABLES, (sections, figures, slogans, mentions, keywords), strict=True):
            rows[name].extend(got)
        if (i + 1) % E.BATCH_ROWS == 0 or i + 1 == len(docs):
            batches.append(rows)
            rows = {name: [] for name in schema.EXTRACT_TABLES}
        for name, t_a, t_b in zip(names, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6), strict=False):
            parts[name] += t_b - t_a
    to_table = getattr(E, "rows_table", rows_to_table)  # the runner's conversion (its own since session 9)
    t0 = clock()
    for batch in batches:
        for name, got in batch.items():
            to_table(got, schema.TABLES[name])
    parts["arrow"] = clock() - t0
    gc.set_threshold(*threshold)
    total = sum(parts.values())
    print(
        f"root={args.root} docs={len(docs)} MB={mb:.1f} "
        + " ".join(f"{k}={v:.2f}" for k, v in parts.items())
        + f" sum={total:.2f} MB/cpu-s={mb / total:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

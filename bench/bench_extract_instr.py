"""Instructions (callgrind) of extract's per-document work, part by part, on the first documents of a real shard: a
deterministic A/B where CPU seconds on the shared 2-core machine move by ±10 % between runs of the same code.

    python -m bench.bench_extract_instr OUT [--shard 0] [--docs 30] [--parts fields figures ...] [--root DIR]

OUT is the --out of a cold CLI run (bench_stages.plan pairs its shards with their normalize inputs). For each part
(fields, sections, figures, slogans, mentions, keywords, or `all`: every part, in extract_shard's order) two runs
under `valgrind --tool=callgrind` in a fresh process: one that loads the tables and runs the part on the documents,
one that only loads the tables the part reads (and warms the part on the shard's first document); the difference is the part's
instructions on the documents. --root runs another checkout's `tasks` (a `git archive` of main in /tmp), so both
versions read the same documents. PYTHONHASHSEED is fixed: set and dict orders (and so the instructions) repeat.
Each pair of runs takes a minute or two under valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("fields", "sections", "figures", "slogans", "mentions", "keywords")


def _child(folder: Path, docs: int, parts: list[str], root: Path) -> None:
    """Load the tables, then run `parts` on the first `docs` documents of a normalize folder (0: load only)."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(root.resolve()))
    for name in [m for m in sys.modules if m == "tasks" or m.startswith("tasks.")]:
        del sys.modules[name]
    from tasks import extract as E
    from tasks.extract_structure import extract_figures as figures_of
    from tasks.extract_structure import extract_mentions, extract_sections, extract_slogans, extract_tables

    rows = pq.read_table(folder / "docs.parquet", columns=list(E.DOC_COLUMNS)).to_pylist()[: max(docs, 1) + 1]
    first, rows = rows[0], rows[1 : docs + 1] if docs else []
    # warm only what the parts read (under valgrind the gazetteer and jieba's dictionary take minutes to load)
    if "fields" in parts:
        E.extract_fields(first["text"], raw_text=first["raw_text"], page_title=first["page_title"], url=first["url"])
    if {"sections", "figures", "slogans", "mentions"} & set(parts):
        extract_tables("d", first["text"])
    if "keywords" in parts:
        E.document_keywords("d", first["text"])
    for d in rows:
        doc_id, text = d["doc_id"], d["text"] or ""
        f = {}
        if "fields" in parts:
            f = E.extract_fields(d["text"], raw_text=d["raw_text"], page_title=d["page_title"], url=d["url"])
        sections = extract_sections(doc_id, text) if "sections" in parts or "figures" in parts else []
        if "figures" in parts:
            figures_of(doc_id, text, sections, False, f.get("year"), f.get("admin_level"))
        if "slogans" in parts:
            extract_slogans(doc_id, text)
        if "mentions" in parts:
            extract_mentions(doc_id, text)
        if "keywords" in parts:
            E.document_keywords(doc_id, text, k=20)


def _instructions(args: argparse.Namespace, folder: Path, parts: list[str], docs: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-instr-") as tmp:
        outfile = Path(tmp) / "callgrind.out"
        cmd = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={outfile}",
            sys.executable,
            "-m",
            "bench.bench_extract_instr",
            str(folder),
            "--child",
            "--docs",
            str(docs),
            "--root",
            str(args.root),
            "--parts",
            *parts,
        ]
        # fixed hash seed (set and dict orders) and one Arrow thread: the counts of two runs of the same code agree
        env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        m = re.search(r"Collected : (\d+)", res.stderr)
        assert m, res.stderr[-2000:]
        return int(m.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shard", type=int, default=0)
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--parts", nargs="+", default=["all"], choices=[*PARTS, "all"])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    parts = list(PARTS) if "all" in args.parts else args.parts
    if args.child:  # args.out is then the shard's normalize folder (plan reads every artifact: minutes in valgrind)
        _child(args.out, args.docs, parts, args.root)
        return 0
    sys.path.insert(0, str(ROOT))
    from bench.bench_stages import plan

    folder = Path(plan(args.out)["extract"][args.shard][0]["normalize"])
    for part in args.parts:
        these = list(PARTS) if part == "all" else [part]
        base = _instructions(args, folder, these, 0)
        got = _instructions(args, folder, these, args.docs)
        print(
            f"root={args.root} shard={args.shard} docs={args.docs} part={part} instructions={(got - base) / 1e6:,.0f}M"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

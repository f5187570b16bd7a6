"""Build the keywords' domain reference: in how many speeches of a corpus each term occurs.

    python -m bench.domain_df OUT [--to tasks/data/extract/domain_df.tsv] [--min-df 3]

OUT is a finished run's output folder (its current release). The canonical copy of each speech counts
once (a report copied by five sites is one report); pages of the seed samples are counted like any
other. Terms are those of `tasks.extract.term_counts` (jieba with the domain dictionary, stopwords out),
so the table matches what the keywords step looks up. Terms in fewer than --min-df speeches are left
out (they weigh as unseen terms: nearly 1), which keeps the file small.

The shipped table was built from the development corpus (`/work/shared/corpus/real` and its seeds: 588
canonical government work reports, 1954-2026, national, provincial and city). Rebuild it when the
segmenter, its dictionaries or the stopwords change: the extract stage's code version includes the file,
so the next run re-computes every document's keywords.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import pyarrow.dataset as ds

from tasks.extract import DOMAIN_DF_FILE, term_counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="a run's output folder")
    ap.add_argument("--to", default=str(DOMAIN_DF_FILE), help="where to write the table")
    ap.add_argument("--min-df", type=int, default=3)
    args = ap.parse_args(argv)

    docs = ds.dataset(str(Path(args.out) / "current" / "documents"), format="parquet")
    df: collections.Counter[str] = collections.Counter()
    n = 0
    for batch in docs.to_batches(columns=["text"], filter=ds.field("is_canonical"), batch_size=256):
        for text in batch.column("text").to_pylist():
            if text:
                df.update(term_counts(text).keys())
                n += 1
    rows = sorted((t, c) for t, c in df.items() if c >= args.min_df)
    with open(args.to, "w", encoding="utf-8") as f:
        f.write(f"# speeches\t{n}\n")
        f.write("# In how many speeches of the development corpus each keyword term occurs; see bench/domain_df.py.\n")
        f.writelines(f"{t}\t{c}\n" for t, c in rows)
    print(f"{n} speeches, {len(df):,} terms, {len(rows):,} written (df >= {args.min_df}) to {args.to}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

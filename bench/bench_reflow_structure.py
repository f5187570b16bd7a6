"""What a page's layout does to its structure: outline sections, paragraphs and figures on every reflowed variant.

bench_extract scores the head's fields on each layout of bench/reflow.py; this scores what the body gives: each
document is normalized and its sections and figures extracted as given and in each variant, and the variant is
scored against the page as given (its own reference, so no labels are needed):

- sections: the (path, marker style, heading) rows of the page as given that the variant gives too (kept), and the
  variant's rows the page as given does not have (extra);
- paragraphs: the page's paragraphs (normalized lines of PARAGRAPH_MIN+ characters) found as whole lines in the
  variant's text;
- figures: the (indicator, value, unit, kind, section path) rows kept.

    python -m bench.bench_reflow_structure [--corpus ../shared/corpus] [--variants a,b|all] [--limit N] [--show V]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import shared_corpus  # noqa: E402
from bench.bench_extract import (  # noqa: E402
    lawtext_cases,
    normalize,
    scraped_2026_cases,
    seed_cases,
    wikisource_cases,
)
from bench.reflow import VARIANTS  # noqa: E402
from tasks.extract_structure import extract_figures, extract_sections, figure_context  # noqa: E402

PARAGRAPH_MIN = 20  # shorter lines are headings, bylines and chrome: the sections score reads the headings


def structure(name: str, text: str) -> tuple[set, set, set]:
    sections = {(r["path"], r["marker_style"], r["heading"]) for r in extract_sections(name, text)}
    paragraphs = {line.strip() for line in text.split("\n") if len(line.strip()) >= PARAGRAPH_MIN}
    try:
        figs = extract_figures(name, text, figure_context(name, text), False, None, None, None)
    except Exception:  # noqa: BLE001 - a bench: a failing page scores nothing
        figs = []
    figures = {(f.get("indicator"), f.get("value"), f.get("unit"), f.get("kind"), f.get("section_path")) for f in figs}
    return sections, paragraphs, figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(shared_corpus()))
    ap.add_argument("--variants", default="all")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", default="", help="print the section rows this variant lost, by document")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    cases = seed_cases()
    if (corpus / "real" / "lawtext__gov").exists():
        cases += lawtext_cases(corpus) + scraped_2026_cases(corpus) + wikisource_cases(corpus)
    if args.limit:
        cases = cases[: args.limit]
    base = {name: structure(name, normalize(raw)[0]) for name, raw, _ in cases}
    wanted = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    print(f"documents: {len(cases)}")
    print(f"{'variant':22s}{'sections kept':>14s}{'extra':>7s}{'paragraphs':>12s}{'figures':>9s}")
    for v in wanted:
        tot: Counter = Counter()
        for name, raw, _ in cases:
            s0, p0, f0 = base[name]
            s1, p1, f1 = structure(name, normalize(VARIANTS[v](raw))[0])
            tot["s"] += len(s0)
            tot["sk"] += len(s0 & s1)
            tot["sx"] += len(s1 - s0)
            tot["p"] += len(p0)
            tot["pk"] += len(p0 & p1)
            tot["f"] += len(f0)
            tot["fk"] += len(f0 & f1)
            if v == args.show and s0 - s1:
                print(f"  {name}: lost {sorted(s0 - s1)[:4]} extra {sorted(s1 - s0)[:4]}")
        print(
            f"{v:22s}{tot['sk'] / max(tot['s'], 1):>14.1%}{tot['sx']:>7d}"
            f"{tot['pk'] / max(tot['p'], 1):>12.1%}{tot['fk'] / max(tot['f'], 1):>9.1%}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

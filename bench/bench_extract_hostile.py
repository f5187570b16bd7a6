"""Extraction on hostile pages: `python -m bench.bench_extract_hostile [--sizes 0.1,0.2,0.4,0.8]` prints, for pages
of each size (MB of UTF-8), the seconds of `extract_fields` and of annotate's side tables (`annotate_document`:
sections, figures, slogans, mentions, keywords). Each page repeats one pattern that made a step quadratic before
(session 43: a page that lost its 。 re-read its sentence once per figure; a 、 chain without its closing 等 was
read whole twice per 、). Linear time shows as a flat s/MB column; the tests check the pages' results, not time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.annotate import annotate_document
from tasks.extract import extract_fields

PAGES = {
    "run_on_figures": "收入增长8元",  # no clause mark at all
    "run_on_clauses": "增长8.5%，",  # clauses, no sentence end
    "list_chain": "一、发展",  # one 、 chain that never ends in 等
    "blank_lines": "\n",  # a run of empty lines (a caller's text, not normalize's): the head's line patterns
    "one_line_speech": "过去一年，全市地区生产总值增长6.5%，一般公共预算收入完成120亿元，城镇新增就业3.2万人，",
}
# Page titles that repeat a pattern (session 44: a run of separators before a site suffix was re-read from every dash
# of it by the site-suffix pattern, 0.76 s at 5,000 characters): the page's text is short, its title is the size.
TITLE_PAGES = {"dashed_title": "-"}
TITLE_SUFFIX = "政府_北京市人民政府"


def page(unit: str, mb: float) -> str:
    n = int(mb * 1_000_000) // len(unit.encode("utf-8")) + 1
    return "各位代表：\n" + unit * n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,0.2,0.4,0.8", help="page sizes in MB, comma-separated")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    annotate_document("d", "各位代表：\n全市地区生产总值增长6.5%。", 2024, None, 20)  # warm-up: dictionaries
    print(f"{'page':16s} {'MB':>5s} {'fields s':>9s} {'tables s':>9s} {'s/MB':>6s}")
    for name, unit in PAGES.items():
        for mb in sizes:
            text = page(unit, mb)
            size = len(text.encode("utf-8")) / 1e6
            t0 = time.perf_counter()
            extract_fields(text)
            t1 = time.perf_counter()
            annotate_document("d", text, 2024, None, 20)
            t2 = time.perf_counter()
            print(f"{name:16s} {size:5.2f} {t1 - t0:9.2f} {t2 - t1:9.2f} {(t2 - t0) / size:6.2f}", flush=True)
    for name, unit in TITLE_PAGES.items():
        for mb in sizes:
            title = "讲话" + page(unit, mb).split("\n", 1)[1] + TITLE_SUFFIX
            size = len(title.encode("utf-8")) / 1e6
            t0 = time.perf_counter()
            extract_fields("各位代表：\n全市地区生产总值增长6.5%。", page_title=title)
            t1 = time.perf_counter()
            print(f"{name:16s} {size:5.2f} {t1 - t0:9.2f} {0:9.2f} {(t1 - t0) / size:6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Normalize throughput: `python bench/bench_normalize.py [FOLDER]` prints MB/s per core over every *.txt below FOLDER,
then the scaling table: single-line pages of 1/2/4/8/16 MB built from FOLDER's text and hostile pages of the same
sizes (one huge unclosed parenthesis, quote and link, runs of pinyin, `?`, whitespace and punctuation, many short
lines that all join, notices). Linear time shows as a flat s/MB column. `--scaling` prints only the table.

Single process, so the figure is per core. Input MB are UTF-8 bytes of the raw text; reading files is not timed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import shared_corpus
from tasks.normalize import normalize_text

DEFAULT = shared_corpus() / "real"


SIZES_MB = (1, 2, 4, 8, 16)

# Each block repeats one pattern that used to make a regex or a loop quadratic; a hostile page is all blocks, each
# scaled to an equal share of the page.
HOSTILE_BLOCKS = {
    "open_paren": ("(", "发展经济改革开放"),
    "open_quote": ('"', "发展经济改革开放"),
    "open_link": ("", "["),
    "pinyin_run": ("區", "(ā)"),
    "latin_run": ("ā", "abcdefgh"),
    "qmark_run": ("区", "?"),
    "whitespace_run": ("篇幅", " "),
    "ideographic_space_run": ("标题", "\u3000"),
    "punct_run": ("发展", "，。、；,.;:!?"),
    "stars": ("**", "发展*经济_"),
    "comma_lines": ("", "发展经济，\n"),
    "notice_lines": ("", "温馨提示:\n1. 下载\n"),
    "wrap_lines": ("", "发展经济改革开放发展经济改革开放发展经济改\n"),
    "caption_lines": ("", "王正谱作政府工作报告。本报记者 霍艳恩摄\n"),
    "page_counter_lines": ("", "第3页 共8页\n"),
    "counter_mid_paragraph": ("", "基层党组织不断加\n第3页 共8页\n"),
    "unclosed_links": ("", "[发展](http://"),
    # a line ending in a long no-break-space run: the indent split's first pattern backtracked quadratically on it
    "nbsp_run": ("发展", "\u00a0"),
    "contents_lines": ("目录\n", "一、工作回顾……2\n"),
    # a WeChat copy's sentence a line, a blank line between paragraphs: every run is joined (_join_sentence_lines)
    "sentence_lines": ("", "发展经济改革开放。\n稳中求进。\n\n"),
}


def _scaled(unit: str, n_bytes: int) -> str:
    per = max(1, len(unit.encode("utf-8")))
    return unit * (n_bytes // per + 1)


def hostile_page(n_bytes: int) -> str:
    share = n_bytes // len(HOSTILE_BLOCKS)
    return "\n".join(head + _scaled(unit, share) for head, unit in HOSTILE_BLOCKS.values())


def single_line_page(texts: list[str], n_bytes: int) -> str:
    line = "".join("".join(t.split()) for t in texts[:50])
    page = _scaled(line, n_bytes)
    return page[: n_bytes // 3]


def scaling(texts: list[str]) -> None:
    print(f"{'page':12s} {'MB':>5s} {'seconds':>8s} {'s/MB':>6s} {'MB/s':>6s}")
    for kind, make in (("single_line", lambda n: single_line_page(texts, n)), ("hostile", hostile_page)):
        for mb in SIZES_MB:
            page = make(mb * 1_000_000)
            size = len(page.encode("utf-8")) / 1e6
            start = time.perf_counter()
            normalize_text(page)
            took = time.perf_counter() - start
            print(f"{kind:12s} {size:5.1f} {took:8.2f} {took / size:6.3f} {size / took:6.1f}", flush=True)


def main(argv: list[str]) -> int:
    only_scaling = "--scaling" in argv
    argv = [a for a in argv if a != "--scaling"]
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*.txt"))]
    if not texts:
        print(f"no .txt files under {folder}")
        return 1
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    normalize_text(texts[0])  # warm-up: OpenCC, pypinyin dictionaries
    if only_scaling:
        scaling(texts)
        return 0
    best = float("inf")
    flags: Counter = Counter()
    for _ in range(3):
        start = time.perf_counter()
        results = [normalize_text(t) for t in texts]
        best = min(best, time.perf_counter() - start)
    for r in results:
        flags.update(k for k in r.flags)
    removed = sum(len(r.removed_lines) for r in results)
    out_mb = sum(len(r.text.encode("utf-8")) for r in results) / 1e6
    print(f"folder          {folder}")
    print(f"documents       {len(texts)}")
    print(f"input           {mb:.2f} MB  -> output {out_mb:.2f} MB")
    print(f"best of 3       {best:.2f} s")
    print(f"throughput      {mb / best:.1f} MB/s per core")
    print(f"docs/s          {len(texts) / best:.0f}")
    print(f"removed lines   {removed}")
    print("docs flagged    " + ", ".join(f"{k}={v}" for k, v in sorted(flags.items())))
    print()
    scaling(texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

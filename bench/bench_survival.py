"""Body survival: no sentence of the speech is lost by normalization, whatever the page layout.

`python bench/bench_survival.py [CORPUS]` (default ../shared/corpus) runs every development document, as given and
in every reflowed variant of bench/reflow.py, through normalize_text and checks that each sentence of the document's
clean copy that is readable in the input is also in `text`. Prints per-variant counts and every lost sentence;
exits 1 if any sentence is lost.

Clean copies, built here independently of the normalize rules:
- johncodes404 scrapes: the paired lawtext__gov markdown file (DUPLICATE_PAIRS.tsv), cleaned as below;
- lawtext__gov: the file without YAML front matter, HTML comments (photo captions) and markdown markers;
- aldohemsn (wikisource): the file up to the licence template at its end;
- seeds: lines without the site vocabulary listed in SEED_CHROME (reviewed by hand on the five pages).

Sentences are compared as Han characters and digits only (Simplified, full-width folded, injected pinyin dropped):
punctuation, spacing and layout are normalize's to rewrite, the words are not.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import opencc

from bench import shared_corpus
from bench.reflow import variants
from tasks.normalize import normalize_text

DEFAULT = shared_corpus()
MIN_SENTENCE = 6  # Han/digit characters: shorter pieces (一、 / 各位代表) are not sentences a reader would miss

_T2S = opencc.OpenCC("t2s")
_FRONT = re.compile(r"\A\s*---\n.*?\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PINYIN = re.compile(r"[(（][a-zü\u00e0-\u01dc]{1,7}[)）]")
_NOT_WORD = re.compile(r"[^0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
# wikisource licence template: its first line opens with one of these, everything below it is the template
_LICENCE_START = re.compile(r"^\s*(?:本作品|这部作品|這部作品)")
# site vocabulary of the five seed pages (navigation, forum, download and disclaimer lines)
SEED_CHROME = re.compile(
    r"当前位置|當前位置|来源|來源|发布时间|發布時間|发表于|只看该作者|积分|帖子|楼主|今日|分享|本站|網友|网友|上传|"
    r"下载|客服|版权|篇幅|点此|點此|热词|熱詞|热点|熱點|文章阅读|嘉峪关论坛|第\d+页|导语|導語|温馨提示|时间|時間|"
    r"点评|回复|举报|回帖|扫一扫|sid\d"
)


def canon(text: str) -> str:
    """Han characters and digits only, Simplified, pinyin annotations dropped."""
    return _NOT_WORD.sub("", _T2S.convert(_PINYIN.sub("", text)).translate(_FULLWIDTH))


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}


# print-edition chrome inside the gov-site copies: page jumps, source lines, photographer signatures
# (an e-paper's lettered pages too: `（下转A3版）（上接A2版）`, 聊城 2021, 沧州 2016)
_PAGE_JUMP = re.compile(r"[（(]?(?:下转|上接|紧接|紧转|转|接)(?:第[一二三四五六七八九十\d]+|[A-Z]{1,2}\d{1,2})版[）)]")
_CHROME_LINE = re.compile(
    r"^\s*(?:[（(]?(?:本稿)?来源[:：].{0,30}|.{0,40}记者\s*[\u4e00-\u9fff·]{2,4}\s*(?:摄|报道)?"
    # the page's attachment list, print and wire citations, an unsigned caption of the report's photo (session 42)
    r"|[-*•·]?\s*.{1,80}\.(?i:pdf|docx?|xlsx?|wps|zip|rar|pptx?)"
    r"|[（(]《[^》]{1,12}》\d{6,8}第?.{1,8}版[）)]|[（(]新华社[^）)]{0,24}电[）)]|[（(][^）)]{2,16}网站[）)]"
    r"|[\u4e00-\u9fff·]{2,12}?(?:同志)?(?:代表[^，。]{2,14}?)?(?:向大会)?作政府工作报告。?)\s*$",
    re.M,
)


# a site, print or wire citation glued to the end of the last sentence (`…美好未来！（昆明市政府信息公开门户网站）`,
# `（新华社一九七五年一月二十日讯）（《人民日报》19750121第1版）`): read by eye, the copy's source, not the speech
_GLUED_CITATION = re.compile(r"[（(](?:[^（）()]{2,16}网站|《[^》]{1,12}》\d{6,8}第?[^）)]{1,8}版)[）)]\s*$", re.M)


def clean_markdown(text: str) -> str:
    """A lawtext markdown page as a reader sees it: no front matter, HTML comments (captions) or print chrome."""
    text = _CHROME_LINE.sub("", _PAGE_JUMP.sub("", _COMMENT.sub("\n", _FRONT.sub("", text))))
    return _GLUED_CITATION.sub("", text)


def clean_wikisource(text: str) -> str:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _LICENCE_START.match(line)]
    return "\n".join(lines[: starts[-1]] if starts else lines)


def clean_seed(text: str) -> str:
    """Seed pages minus site-vocabulary lines and the forum thread title (the <title> without its site suffix)."""
    lines = text.split("\n")
    title = re.split(r"\s+[-_|]\s+", lines[0].strip())[0] if lines and " - " in lines[0] else None
    return "\n".join(line for line in lines if not SEED_CHROME.search(line) and line.strip() != title)


def sentences(clean: str) -> list[tuple[str, str]]:
    """The clean copy's sentences long enough to matter, as (raw form for printing, canonical form)."""
    simp = _T2S.convert(_PINYIN.sub("", clean)).translate(_FULLWIDTH)
    pieces = zip(_SENTENCE_END.split(clean), _SENTENCE_END.split(simp), strict=False)
    out = []
    for raw, s in pieces:
        c = _NOT_WORD.sub("", s)
        if len(c) >= MIN_SENTENCE:
            out.append((raw.strip(), c))
    return out


def lost_sentences(raw: str, clean: str | list[tuple[str, str]]) -> list[str]:
    """Sentences of `clean` readable in `raw` that normalize_text(raw).text does not contain."""
    sents = sentences(clean) if isinstance(clean, str) else clean
    got = canon(normalize_text(raw).text)
    have = canon(raw)
    return [r for r, c in sents if c in have and c not in got]


def clean_copy(path: Path, corpus: Path, pairs: dict[str, str]) -> str:
    rel = path.relative_to(corpus).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    if rel.startswith("seeds/"):
        return clean_seed(text)
    sub = path.relative_to(corpus / "real").as_posix() if rel.startswith("real/") else rel
    if sub in pairs:
        return clean_markdown((corpus / "real" / pairs[sub]).read_text(encoding="utf-8"))
    if "aldohemsn" in rel:
        return clean_wikisource(text)
    return clean_markdown(text)


def johncodes_pairs(corpus: Path) -> dict[str, str]:
    """johncodes404 scrape -> its lawtext__gov twin, from the corpus's pairs list."""
    pairs: dict[str, str] = {}
    tsv = corpus / "real" / "DUPLICATE_PAIRS.tsv"
    if not tsv.exists():  # shipped samples: pair by region and year in the file names
        for p in sorted((corpus / "real").glob("johncodes404*/*.txt")):
            year, region = p.name.split("_")[:2]
            for twin in sorted((corpus / "real").glob(f"lawtext__gov/*__{region}__{year}.txt")):
                pairs[p.relative_to(corpus / "real").as_posix()] = twin.relative_to(corpus / "real").as_posix()
        return pairs
    with tsv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            a, b = row["file_a"], row["file_b"]
            if a.startswith("johncodes404") and b.startswith("lawtext__gov"):
                pairs[a] = b
    return pairs


def documents(corpus: Path) -> Iterable[Path]:
    return sorted(p for p in corpus.rglob("*.txt"))


def run(corpus: Path, out=print) -> int:
    pairs = johncodes_pairs(corpus)
    totals: dict[str, list[int]] = {}
    n_lost_total = 0
    start = time.perf_counter()
    for path in documents(corpus):
        clean = clean_copy(path, corpus, pairs)
        raw = path.read_text(encoding="utf-8", errors="replace")
        sents = sentences(clean)
        n_sent = len(sents)
        for name, text in variants(raw).items():
            lost = lost_sentences(text, sents)
            t = totals.setdefault(name, [0, 0, 0])
            t[0] += 1
            t[1] += n_sent
            t[2] += len(lost)
            n_lost_total += len(lost)
            for s in lost:
                out(f"LOST  {name:18s} {path.relative_to(corpus)} | {s[:120]}")
    out(f"corpus {corpus}  ({time.perf_counter() - start:.0f} s)")
    out(f"{'variant':20s} {'docs':>6s} {'sentences':>10s} {'lost':>6s}")
    for name, (docs, sent, lost) in totals.items():
        out(f"{name:20s} {docs:6d} {sent:10d} {lost:6d}")
    return 1 if n_lost_total else 0


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))

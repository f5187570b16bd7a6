"""Labelled development set for deduplication, built from ../shared/corpus/real/.

Every report of the corpus is a document; DUPLICATE_PAIRS.tsv says which ones are the same speech
(CROSS-SOURCE, WITHIN-SOURCE) and which only share a template (TEMPLATE-SIMILAR). A seeded sample
of reports also gets noisy copies, damaged the way the seed pages are, one per kind of damage.
Copies go through the real decode and normalize stages, exactly like crawled pages.

    python bench/devset_dedupe.py [--corpus DIR] [--copies N] [--out devset.parquet]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import shared_corpus  # noqa: E402

DEFAULT_CORPUS = shared_corpus() / "real"
TRUNCATION_NOTICE = "因篇幅问题不能全部显示,请点此查看更多更全内容"
SPIN = {
    "发展": "开展",
    "服务": "效劳",
    "则": "那么",
    "达到": "到达",
    "承认": "成认",
    "比如": "比方",
    "体现": "表达",
    "项目": "工程",
}
DAMAGES = (
    "chrome",
    "traditional_pinyin",
    "truncated",
    "spun",
    "ascii_punct",
    "reflow",
    "placeholder",
    "legacy_encoding",
    "combined",
)


@dataclass
class DevDoc:
    doc_id: str
    truth: str  # ground-truth speech id (union of the labelled positive pairs)
    damage: str  # "original" or one of DAMAGES
    source: str  # corpus file the text came from
    raw: str


def _union_find(pairs: list[tuple[str, str]], items: list[str]) -> dict[str, str]:
    parent = {i: i for i in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in items}


def read_pairs(corpus: Path) -> list[tuple[str, str, str]]:
    """(file_a, file_b, kind) with kind 'positive' or 'template'."""
    out = []
    with open(corpus / "DUPLICATE_PAIRS.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            kind = "template" if row["kind"].startswith("TEMPLATE") else "positive"
            out.append((row["file_a"], row["file_b"], kind))
    return out


# --- damage, the way the seed pages show it ------------------------------------------------------


def chrome(text: str, rng: random.Random) -> str:
    site = rng.choice(["布克知识网", "实习报告", "范文大全", "嘉峪关论坛", "第一范文网"])
    head = [
        f"首页 > 工作报告 > 政府工作报告 > {site}",
        f"发布时间:20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 来源: {site} 点击:{rng.randint(10, 9999)}",
        "导语:本文仅供参考,不代表本站观点。",
    ]
    tail = ["相关热词搜索:政府 工作报告 讲话", "热点文章阅读", f"第1页 共{rng.randint(2, 9)}页", "下载文档 收藏 打印"]
    return "\n".join([*head, text, *tail])


def traditional_pinyin(text: str, rng: random.Random) -> str:
    """s2t, then pinyin with tone marks after some characters, as in seed 002: 區(qū)長."""
    import opencc
    from pypinyin import Style, pinyin

    trad = opencc.OpenCC("s2t").convert(text)
    out = []
    for simp, tch in zip(text, trad, strict=False):
        out.append(tch)
        if tch != simp and rng.random() < 0.6:  # the seed injects after converted characters
            py = pinyin(simp, style=Style.TONE, errors="ignore")
            if py and py[0]:
                out.append(f"({py[0][0]})")
    return "".join(out) if len(trad) == len(text) else trad


def truncated(text: str, rng: random.Random) -> str:
    keep = int(len(text) * rng.uniform(0.40, 0.75))
    return text[:keep] + "\n" + TRUNCATION_NOTICE


def spun(text: str, rng: random.Random) -> str:
    pattern = re.compile("|".join(sorted(SPIN, key=len, reverse=True)))
    return pattern.sub(lambda m: SPIN[m.group(0)] if rng.random() < 0.8 else m.group(0), text)


def ascii_punct(text: str, rng: random.Random) -> str:
    table = str.maketrans(
        {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "“": "〞", "”": "〞", "！": "!", "？": "?"}
    )
    return text.translate(table)


def reflow(text: str, rng: random.Random) -> str:
    """Paragraphs joined and hard-wrapped at a fixed width, like a PDF-to-text page."""
    flat = "".join(line.strip() for line in text.splitlines())
    width = rng.randint(28, 45)
    return "\n".join(flat[i : i + width] for i in range(0, len(flat), width))


def placeholder(text: str, rng: random.Random) -> str:
    """Numbers replaced by × and place names by XX, as anonymized templates do."""
    text = re.sub(r"\d+(\.\d+)?", lambda m: "×" if rng.random() < 0.7 else m.group(0), text)
    return re.sub(
        r"[\u4e00-\u9fff]{2}(市|县|区|省)", lambda m: "XX" + m.group(1) if rng.random() < 0.5 else m.group(0), text
    )


def legacy_bytes(text: str, rng: random.Random) -> bytes:
    """GBK bytes (characters GBK lacks are lost, as '?'), or Big5 for a Traditional page."""
    if rng.random() < 0.5:
        return text.encode("gbk", errors="replace")
    import opencc

    return opencc.OpenCC("s2t").convert(text).encode("big5", errors="replace")


def combined(text: str, rng: random.Random) -> str:
    return chrome(ascii_punct(spun(reflow(text, rng), rng), rng), rng)


def damage(text: str, kind: str, rng: random.Random) -> str | bytes:
    if kind == "legacy_encoding":
        return legacy_bytes(chrome(text, rng), rng)
    return globals()[kind](text, rng)


def _strip_front_matter(text: str) -> str:
    """Damage is applied to the speech, not to the source repository's YAML header."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            return text[end + 4 :].lstrip("\n")
    return text


# --- the set ------------------------------------------------------------------------------------


def build(corpus: Path = DEFAULT_CORPUS, copies: int = 120, seed: int = 20260) -> list[DevDoc]:
    """Originals (all reports) plus noisy copies of `copies` sampled reports, one per damage kind."""
    files = sorted(str(p.relative_to(corpus)) for p in corpus.glob("*/*.txt"))
    positives = [(a, b) for a, b, k in read_pairs(corpus) if k == "positive"]
    truth = _union_find(positives, files)
    docs = [
        DevDoc(f, truth[f], "original", f, (corpus / f).read_text(encoding="utf-8", errors="replace")) for f in files
    ]
    rng = random.Random(seed)
    templates = sorted({x for a, b, k in read_pairs(corpus) if k == "template" for x in (a, b)})
    pool = [f for f in files if f not in templates]
    chosen = sorted(set(rng.sample(pool, min(copies, len(pool))) + templates[: max(4, copies // 20)]))
    for f in chosen:
        body = _strip_front_matter((corpus / f).read_text(encoding="utf-8", errors="replace"))
        for kind in DAMAGES:
            r = random.Random(f"{seed}:{f}:{kind}")
            docs.append(DevDoc(f"copy/{kind}/{f}", truth[f], kind, f, damage(body, kind, r)))
    return docs


def normalized_table(docs: list[DevDoc]) -> pa.Table:
    """Run every page through the real decode and normalize stages: the dedupe stage's input."""
    from tasks.ingest import decode_bytes
    from tasks.normalize import normalize_text

    rows = {"doc_id": [], "text": [], "quality_flags": [], "n_chars": []}
    for d in docs:
        raw = d.raw
        if isinstance(raw, bytes):
            try:
                raw, _ = decode_bytes(raw)
            except Exception:  # noqa: BLE001 - bench input of any encoding
                raw = raw.decode("gb18030", errors="replace")
        norm = normalize_text(raw)
        rows["doc_id"].append(d.doc_id)
        rows["text"].append(norm.text)
        rows["quality_flags"].append(sorted(norm.flags))
        rows["n_chars"].append(len(norm.text))
    return pa.table(
        {
            "doc_id": rows["doc_id"],
            "text": rows["text"],
            "quality_flags": pa.array(rows["quality_flags"], pa.list_(pa.string())),
            "n_chars": pa.array(rows["n_chars"], pa.int32()),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--copies", type=int, default=120)
    ap.add_argument("--out", type=Path, default=Path("devset_dedupe.parquet"))
    args = ap.parse_args()
    docs = build(args.corpus, args.copies)
    table = (
        normalized_table(docs)
        .append_column("truth", pa.array([d.truth for d in docs]))
        .append_column("damage", pa.array([d.damage for d in docs]))
    )
    import pyarrow.parquet as pq

    pq.write_table(table, args.out)
    print(f"{table.num_rows} documents -> {args.out}")


if __name__ == "__main__":
    main()

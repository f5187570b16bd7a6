"""A speech's structure as rows: outline sections, figures, slogans and mentions.

Compiled patterns over the normalized text; places come from the gazetteer scan in
`extract_regions`, organizations from `data/extract/orgs.txt`, people and places from
`extract_people` (mentions moved there).
"""

from __future__ import annotations

import re

from tasks.extract_people import extract_mentions
from tasks.extract_text import CN_NUM_CHARS, HAN, OFFICE_KW, YEAR_RE, cn_int

# ---------------------------------------------------------------- sections
CN = "一二三四五六七八九十"
# style name -> pattern capturing the ordinal; list styles are line-initial, enumerations may follow 。；：
LINE_STYLES = [
    ("一、", re.compile(rf"^([{CN}]{{1,3}})\s*[、.．]\s*")),
    ("（一）", re.compile(rf"^[（(]([{CN}]{{1,3}})[）)]\s*[、.．]?\s*")),
    ("1.", re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*")),
    ("（1）", re.compile(r"^[（(](\d{1,2})[）)]\s*")),
    ("第一，", re.compile(rf"^第([{CN}]{{1,3}})\s*[，,、：:]\s*")),
]
ENUM_STYLES = [
    ("一是", re.compile(rf"([{CN}]{{1,2}})是(?=[^，。；：]{{2}})")),
    ("一要", re.compile(rf"([{CN}]{{1,2}})要(?=[^，。；：]{{2}})")),
    ("第一，", re.compile(rf"第([{CN}]{{1,2}})\s*[，,、](?=[^，。；：]{{2}})")),
]
ENUM_START_RE = re.compile(r"(?:^|(?<=[。；！？]))")
HEADING_END_RE = re.compile(r"[。；！？!?]")


def _ordinal(s: str) -> int | None:
    v = cn_int(s)
    return v if v and 0 < v < 100 else None


def _candidates(text: str):
    """(start, style, ordinal, heading_start) for every marker at a line start or (enumerations) after 。；."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" \u3000*#")
        off = pos + len(line) - len(stripped)
        for style, rx in LINE_STYLES:
            m = rx.match(stripped)
            if m:
                n = _ordinal(m.group(1))
                if n:
                    yield off, style, n, off + m.end()
                break
        else:
            for style, rx in ENUM_STYLES:
                if style == "第一，":
                    continue
                m = rx.match(stripped)
                if m and _ordinal(m.group(1)):
                    yield off, style, _ordinal(m.group(1)), off + m.end()
                    break
        # enumerations inside a paragraph: only right after a sentence end
        for style, rx in ENUM_STYLES:
            for m in rx.finditer(stripped):
                if m.start() == 0:
                    continue
                if stripped[m.start() - 1] not in "。；！？：":
                    continue
                n = _ordinal(m.group(1))
                if n:
                    yield off + m.start(), style, n, off + m.end()
        pos += len(line) + 1


def _heading(text: str, start: int) -> str:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    seg = text[start:end]
    m = HEADING_END_RE.search(seg)
    if m:
        seg = seg[: m.start()]
    return seg.strip(" *#\u3000")[:120]


def extract_sections(doc_id: str, text: str) -> list[dict]:
    """Outline rows. Styles nest in order of first appearance; a marker counts only if it continues its
    style's sequence (一 then 二 …), which drops stray `一、` inside prose."""
    cands = sorted(set(_candidates(text)))
    stack: list[str] = []  # styles, outermost first
    counters: list[int] = []
    rows: list[dict] = []
    for start, style, n, hstart in cands:
        if style in stack:
            lvl = stack.index(style)
            if n != counters[lvl] + 1:
                if n == 1 and lvl == len(stack) - 1:
                    pass
                else:
                    continue
            if n == 1 and lvl == len(stack) - 1 and counters[lvl] >= 1:
                # a fresh run of the innermost style under the same parent only if the parent advanced
                continue
            del stack[lvl + 1 :]
            del counters[lvl + 1 :]
            counters[lvl] = n
        else:
            if n != 1:
                continue
            stack.append(style)
            counters.append(1)
            lvl = len(stack) - 1
        heading = _heading(text, hstart)
        if not heading:
            continue
        rows.append(
            {
                "doc_id": doc_id,
                "path": ".".join(str(c) for c in counters),
                "level": lvl + 1,
                "marker_style": style,
                "heading": heading,
                "start": start,
                "end": len(text),
            }
        )
    for i, r in enumerate(rows):
        for nxt in rows[i + 1 :]:
            if nxt["level"] <= r["level"]:
                r["end"] = nxt["start"]
                break
    return rows


def _section_at(rows: list[dict], pos: int) -> str | None:
    best = None
    for r in rows:
        if r["start"] <= pos < r["end"]:
            if best is None or r["level"] > best["level"]:
                best = r
    return best["path"] if best else None


# ---------------------------------------------------------------- figures
UNITS = [
    # (unit as written, kind, canonical unit, factor)
    ("万亿元", "amount", "亿元", 1e4),
    ("亿美元", "amount", "亿美元", 1),
    ("万美元", "amount", "万美元", 1),
    ("美元", "amount", "美元", 1),
    ("亿元", "amount", "亿元", 1),
    ("万元", "amount", "万元", 1),
    ("元", "amount", "元", 1),
    ("个百分点", "rate", "个百分点", 1),
    ("%", "percentage", "%", 1),
    ("％", "percentage", "%", 1),
    ("万平方米", "area", "万平方米", 1),
    ("平方公里", "area", "平方公里", 1),
    ("平方千米", "area", "平方公里", 1),
    ("平方米", "area", "平方米", 1),
    ("万亩", "area", "万亩", 1),
    ("亩", "area", "亩", 1),
    ("公顷", "area", "公顷", 1),
    ("万吨", "other", "万吨", 1),
    ("吨", "other", "吨", 1),
    ("公里", "other", "公里", 1),
    ("千米", "other", "公里", 1),
    ("倍", "rate", "倍", 1),
    ("万人次", "count", "万人次", 1),
    ("万人", "count", "万人", 1),
    ("万户", "count", "万户", 1),
    ("万个", "count", "万个", 1),
    ("个", "count", "个", 1),
    ("家", "count", "家", 1),
    ("项", "count", "项", 1),
    ("人次", "count", "人次", 1),
    ("人", "count", "人", 1),
    ("名", "count", "名", 1),
    ("户", "count", "户", 1),
    ("件", "count", "件", 1),
    ("所", "count", "所", 1),
    ("座", "count", "座", 1),
    ("条", "count", "条", 1),
    ("辆", "count", "辆", 1),
    ("台", "count", "台", 1),
    ("套", "count", "套", 1),
    ("处", "count", "处", 1),
    ("场次", "count", "场次", 1),
    ("批", "count", "批", 1),
    ("次", "count", "次", 1),
    ("位", "count", "位", 1),
]
UNIT_INFO = {u: (k, c, f) for u, k, c, f in UNITS}
UNIT_ALT = "|".join(re.escape(u) for u, *_ in sorted(UNITS, key=lambda x: -len(x[0])))
NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE_RE = re.compile(
    rf"(?P<num>{NUM}|[{CN_NUM_CHARS}]{{1,8}}|[×XＸx]{{1,3}})\s?(?P<mag>万亿|亿|万|千)?(?P<more>多|余)?"
    rf"(?P<unit>{UNIT_ALT})(?P<more2>多|余)?"
)
PRE_QUAL = [
    "约",
    "近",
    "超过",
    "超",
    "逾",
    "共",
    "累计",
    "达到",
    "达",
    "同比",
    "增长",
    "下降",
    "减少",
    "提高",
    "突破",
    "不到",
    "不足",
]
POST_QUAL = ["以上", "以下", "左右", "以内"]
SENT_SPLIT_RE = re.compile(r"[^。！？；\n]*[。！？；]?")
# Largest plausible value per canonical unit (national scale; a local speech stays far below).
BOUNDS = {
    "亿元": 2.0e6,
    "万元": 2.0e10,
    "元": 2.0e14,
    "%": 1.0e4,
    "个百分点": 100.0,
    "万平方米": 1.0e6,
    "平方公里": 1.0e7,
    "亩": 5.0e9,
    "万亩": 5.0e5,
}
LOCAL_BOUNDS = {"亿元": 2.0e5, "万元": 2.0e9}
MONEY_NOT_COUNT = re.compile(r"^(?:[一二两三四五六七八九十]+)(?:个)$")


def _num_value(num: str, mag: str | None, unit: str) -> tuple[float | None, bool]:
    if re.fullmatch(r"[×XＸx]{1,3}", num):
        return None, True
    if num[0].isdigit():
        v = float(num.replace(",", "").replace("，", ""))
    else:
        try:
            import cn2an

            v = float(cn2an.cn2an(num, "normal"))
        except Exception:
            return None, False
    mult = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, None: 1.0}[mag]
    kind, canon, factor = UNIT_INFO[unit]
    if canon in ("亿元", "亿美元") and mag is None:
        v *= factor
    elif canon == "亿元" and mag:
        v = v * mult / 1e8
    elif mag:
        v *= mult
    return v, False


def extract_figures(doc_id: str, text: str, sections: list[dict], national: bool = False) -> list[dict]:
    rows = []
    for sm in SENT_SPLIT_RE.finditer(text):
        sent = sm.group(0)
        if not sent.strip():
            continue
        base = sm.start()
        for m in FIGURE_RE.finditer(sent):
            num, unit, mag = m.group("num"), m.group("unit"), m.group("mag")
            if mag and not m.group("more") and (mag + unit) in UNIT_INFO:
                unit, mag = mag + unit, None  # 52万平方米: 万 belongs to the unit
            if not num[0].isdigit() and not re.fullmatch(r"[×XＸx]{1,3}", num):
                # Chinese numerals: only counts like 三个, 五项 (not 一个 as an article), no 万/亿 words alone.
                if unit not in ("个", "项", "家", "名", "人", "批", "次", "件", "条", "座", "所", "户", "倍", "%"):
                    continue
                if num in ("一",) or not any(c in "二两三四五六七八九十百千" for c in num):
                    continue
            if num[0].isdigit() and sent[m.end() : m.end() + 1] == "年":
                continue
            prev = sent[max(0, m.start() - 1) : m.start()]
            if prev and (prev.isdigit() or prev in ".-"):
                continue
            value, placeholder = _num_value(num, mag, unit)
            kind, canon, _ = UNIT_INFO[unit]
            before = sent[max(0, m.start() - 8) : m.start()]
            after = sent[m.end() : m.end() + 3]
            quals = [q for q in PRE_QUAL if q in before]
            quals = [q for q in quals if not any(q != o and q in o for o in quals)]
            if m.group("more") or m.group("more2"):
                quals.append(m.group("more") or m.group("more2"))
            quals += [q for q in POST_QUAL if after.startswith(q)]
            ref = None
            for ym in YEAR_RE.finditer(sent[: m.start()]):
                ref = int(ym.group(1))
            bound = BOUNDS.get(canon)
            if not national and canon in LOCAL_BOUNDS:
                bound = LOCAL_BOUNDS[canon]
            implausible = bool(value is not None and bound is not None and value > bound)
            start = base + m.start()
            rows.append(
                {
                    "doc_id": doc_id,
                    "section_path": _section_at(sections, start),
                    "sentence": sent.strip()[:500],
                    "as_written": m.group(0),
                    "value": value,
                    "unit": canon,
                    "kind": kind,
                    "qualifiers": sorted(set(quals)),
                    "ref_year": ref,
                    "is_placeholder": placeholder,
                    "is_implausible": implausible,
                    "start": start,
                }
            )
    _flag_outliers(rows)
    return rows


# Anti-plagiarism tools damage digit strings (`42023亿元` for `4-5亿元`): a bare integer of 5+ digits (no decimal
# point, no separator) more than 100x every other figure of the same unit in the document is implausible there.
OUTLIER_UNITS = {"亿元", "万元", "元", "万平方米", "平方米", "亩", "万亩", "万人", "人", "个", "家"}
BARE_INT_RE = re.compile(r"^\d{5,}$")


def _flag_outliers(rows: list[dict]) -> None:
    by_unit: dict[str, list[dict]] = {}
    for r in rows:
        if r["value"] is not None and r["unit"] in OUTLIER_UNITS:
            by_unit.setdefault(r["unit"], []).append(r)
    for rs in by_unit.values():
        sane = [r for r in rs if not r["is_implausible"]]
        for r in sane:
            num = re.match(r"\d+", r["as_written"])
            if (
                not num
                or not BARE_INT_RE.match(num.group(0))
                or r["as_written"][len(num.group(0)) : len(num.group(0)) + 1] in ".,，"
            ):
                continue
            others = [o["value"] for o in sane if o is not r and o["value"] > 0]
            if len(others) >= 2 and r["value"] > 100 * max(others):
                r["is_implausible"] = True


# ---------------------------------------------------------------- slogans
QUOTE_RE = re.compile(r"[“\"〝]([^“”\"〝〞\n]{1,16})[”\"〞]")
NUM_FORMULA_RE = re.compile(r"[0-9+＋]")
COUNTED_RE = re.compile(rf"^[{CN}两百千]+(?:个|大|项|不|乱|小|化|型|线|心|园|港|抓|比|进|到|联|促|有|创)")
CAMPAIGN_AFTER_RE = re.compile(
    r"^(?:活动|目标|行动|工程|战略|工作法|机制|布局|计划|攻坚战|会战|精神|理念|模式|格局|要求)"
)
CAMPAIGN_RE = re.compile(
    rf"(?:打好|打赢|打响|开展|进行|启动|推进|决战|第[一二三四五六七八九十]+次|新一轮)?"
    rf"((?:百日|千日|百天)?[{HAN}]{{0,2}}?(?:大会战|攻坚战|会战|百日行动|专项行动))"
)
NOT_SLOGAN = {"一把手", "一盘棋"}


def extract_slogans(doc_id: str, text: str) -> list[dict]:
    counts: dict[str, int] = {}
    for m in QUOTE_RE.finditer(text):
        inner = m.group(1).strip()
        if not inner or inner in NOT_SLOGAN or re.search(r"[，。！？,]", inner):
            continue
        after = text[m.end() : m.end() + 4]
        if (
            NUM_FORMULA_RE.search(inner)
            or COUNTED_RE.match(inner)
            or (CAMPAIGN_AFTER_RE.match(after) and len(inner) <= 10)
        ):
            key = f"“{inner}”"
            counts[key] = counts.get(key, 0) + 1
    for m in CAMPAIGN_RE.finditer(text):
        t = m.group(1)
        t = re.sub(r"^(?:第[一二三四五六七八九十]+次|新一轮|一次|这次|上一次|开展|进行|的|了)", "", t)
        if len(t) >= 4:
            counts[t] = counts.get(t, 0) + 1
    return [{"doc_id": doc_id, "text": t, "count": c} for t, c in sorted(counts.items())]


def extract_tables(doc_id: str, text: str) -> dict[str, list[dict]]:
    """Rows for sections, figures, slogans and mentions of one document; never raises."""
    text = text or ""
    out: dict[str, list[dict]] = {"sections": [], "figures": [], "slogans": [], "mentions": []}
    try:
        out["sections"] = extract_sections(doc_id, text)
    except Exception:
        pass
    national = "全国人民代表大会" in text[:600] or text[:600].count("国务院") >= 2
    for key, fn in (
        ("figures", lambda: extract_figures(doc_id, text, out["sections"], national)),
        ("slogans", lambda: extract_slogans(doc_id, text)),
        ("mentions", lambda: extract_mentions(doc_id, text)),
    ):
        try:
            out[key] = fn()
        except Exception:
            out[key] = []
    return out


__all__ = ["OFFICE_KW", "extract_figures", "extract_mentions", "extract_sections", "extract_slogans", "extract_tables"]

"""A speech's structure as rows: outline sections, figures, slogans and mentions.

Compiled patterns over the normalized text; places come from the gazetteer scan in
`extract_regions`, organizations from `data/extract/orgs.txt`, people from office-title patterns
(省委书记周本顺, 陈德荣书记, 朱区长) — jieba's `nr` tags alone were mostly wrong on these speeches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tasks import extract_regions as regions
from tasks.extract_figures import extract_figures
from tasks.extract_text import DATA_DIR, HAN, OFFICE_KW, cn_int, is_name, surnames

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


# ---------------------------------------------------------------- figures: tasks/extract_figures.py


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


# ---------------------------------------------------------------- mentions
@lru_cache(maxsize=1)
def _org_re() -> re.Pattern:
    words = set()
    for line in (DATA_DIR / "orgs.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):  # departments: with and without a level prefix (发改局, 区发改局)
            core = line[1:]
            words.add(core)
            for p in "省市区县":
                words.add(p + core)
        else:
            words.add(line)
    alt = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:{alt})")


PERSON_OFFICE = (
    r"(?:(?:中共)?(?:[省市区县州]委|国务院|省政府|市政府|区政府|县政府)(?:常务)?副?(?:书记|省长|市长|区长|县长|州长|总理|主席|主任|部长|秘书长)"
    r"|(?:常务)?副?(?:省长|市长|区长|县长|州长|总理))"
)
OFFICE_NAME_RE = re.compile(
    rf"(?P<office>{PERSON_OFFICE})(?P<name>[{HAN}]{{2,3}})(?=同志|在|的|、|，|。|和|讲|指出|强调|说|对|要求|代表|作|主持|出席|$)"
)
NAME_OFFICE_RE = re.compile(
    rf"(?P<name>[{HAN}]{{1,3}}?)(?P<office>(?:常务)?副?(?:书记|省长|市长|区长|县长|州长|主任|部长|局长|主席|总理))"
)
SINGLE_BAD = set(
    "区全和时国平都来相成明文南原信由利于但公元海云门向从与及把对将被让给跟同也还就才又再各每副正代市县省镇乡常任应易解计强宣党司管华支那上等位诸个的了在是有"
)


@lru_cache(maxsize=1)
def _word_tags() -> dict:
    try:
        import jieba.posseg as pseg

        return getattr(pseg.dt, "word_tag_tab", {})
    except Exception:  # pragma: no cover
        return {}


def _person_name(s: str) -> bool:
    """is_name plus jieba's word list: 强调/指出 are words, not people."""
    if not is_name(s):
        return False
    tag = _word_tags().get(s)
    return tag is None or tag.startswith("nr")


def extract_mentions(doc_id: str, text: str) -> list[dict]:
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []
    sn = surnames()

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in OFFICE_NAME_RE.finditer(text):
        name = m.group("name")
        if len(name) == 3 and name[2] in "在的和讲对说同作主出要":
            name = name[:2]
        if not _person_name(name):
            continue
        s, e = m.start(), m.start("name") + len(name)
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "person",
                "text": text[s:e],
                "name": name,
                "office": m.group("office"),
                "start": s,
                "end": e,
            }
        )
        taken.append((s, e))
    for m in NAME_OFFICE_RE.finditer(text):
        s_off = m.start("office")
        # choose the longest plausible name ending right before the office
        name = None
        for k in (3, 2, 1):
            if s_off - k < 0:
                continue
            cand = text[s_off - k : s_off]
            if not re.fullmatch(rf"[{HAN}]+", cand):
                continue
            if k == 1:
                if cand in sn and cand not in SINGLE_BAD:
                    name = cand
                break
            if _person_name(cand) and cand[0] not in SINGLE_BAD and not regions.load_gazetteer().by_name.get(cand):
                prev = text[s_off - k - 1 : s_off - k]
                if prev and re.match(rf"[{HAN}]", prev) and prev not in "和与及、，。向给对由请为同":
                    continue
                name = cand
                break
        if not name:
            continue
        s, e = s_off - len(name), m.end("office")
        if not free(s, e):
            continue
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "person",
                "text": text[s:e],
                "name": name,
                "office": m.group("office"),
                "start": s,
                "end": e,
            }
        )
        taken.append((s, e))
    for m in _org_re().finditer(text):
        s, e = m.span()
        if not free(s, e):
            continue
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "organization",
                "text": m.group(0),
                "name": m.group(0),
                "office": None,
                "start": s,
                "end": e,
            }
        )
    gz = regions.load_gazetteer()
    for h in regions.find_places(text):
        if not free(h.start, h.end):
            continue
        divs = gz.by_name.get(h.key, [])
        name = divs[0].full_name if len(divs) == 1 else h.surface
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "place",
                "text": h.surface,
                "name": name,
                "office": None,
                "start": h.start,
                "end": h.end,
            }
        )
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows


def extract_tables(
    doc_id: str, text: str, year: int | None = None, admin_level: str | None = None
) -> dict[str, list[dict]]:
    """Rows for sections, figures, slogans and mentions of one document; never raises."""
    text = text or ""
    out: dict[str, list[dict]] = {"sections": [], "figures": [], "slogans": [], "mentions": []}
    try:
        out["sections"] = extract_sections(doc_id, text)
    except Exception:
        pass
    national = admin_level == "national" or "全国人民代表大会" in text[:600] or text[:600].count("国务院") >= 2
    for key, fn in (
        ("figures", lambda: extract_figures(doc_id, text, out["sections"], national, year, admin_level)),
        ("slogans", lambda: extract_slogans(doc_id, text)),
        ("mentions", lambda: extract_mentions(doc_id, text)),
    ):
        try:
            out[key] = fn()
        except Exception:
            out[key] = []
    return out


__all__ = ["OFFICE_KW", "extract_figures", "extract_mentions", "extract_sections", "extract_slogans", "extract_tables"]

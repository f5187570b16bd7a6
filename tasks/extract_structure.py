"""A speech's structure as rows: outline sections, figures, slogans and mentions.

Compiled patterns over the normalized text; places come from the gazetteer scan in
`extract_regions`, organizations from `data/extract/orgs.txt`, people and places from
`extract_people` (mentions moved there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.extract_figures import extract_figures
from tasks.extract_people import extract_mentions
from tasks.extract_text import HAN, OFFICE_KW, cn_int, word_tags

# An outline heading is kept to 120 characters: a longer one lost the line break after it and runs into body text.
HEADING_MAX_CHARS = 120
# A national report addresses the NPC (`向第六届全国人民代表大会第一次会议作政府工作报告`) or speaks for the State
# Council (国务院) in its first 600 characters: its title, dateline and opening sentence.
NATIONAL_OPENING_CHARS = 600

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


# The characters a line-start marker can begin with (besides decimal digits, `\d`): the styles are tried only on
# lines that start with one.
LINE_FIRST = frozenset(CN + "（(第")
# ENUM_STYLES inside a paragraph, over the whole text: right after a sentence end (matched with it, so the scan
# jumps from one sentence end to the next in C), within one line (the per-line scan's strings held no line break).
# A match the per-line scan skipped (not after 。；！？：) could not hide a later one: its characters are numerals,
# 是/要/第, spaces and ，、, never a sentence end.
ENUM_INNER = [
    ("一是", re.compile(rf"[。；！？：]([{CN}]{{1,2}})是(?=[^，。；：\n]{{2}})")),
    ("一要", re.compile(rf"[。；！？：]([{CN}]{{1,2}})要(?=[^，。；：\n]{{2}})")),
    ("第一，", re.compile(rf"[。；！？：]第([{CN}]{{1,2}})[^\S\n]*[，,、](?=[^，。；：\n]{{2}})")),
]


def _candidates(text: str):
    """(start, style, ordinal, heading_start) for every marker at a line start or (enumerations) after 。；."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" \u3000*#")
        if stripped and (stripped[0] in LINE_FIRST or stripped[0].isdecimal()):
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
        pos += len(line) + 1
    # enumerations inside a paragraph: only right after a sentence end
    for style, rx in ENUM_INNER:
        for m in rx.finditer(text):
            n = _ordinal(m.group(1))
            if n:
                yield m.start() + 1, style, n, m.end()


def _heading(text: str, start: int) -> str:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    seg = text[start:end]
    m = HEADING_END_RE.search(seg)
    if m:
        seg = seg[: m.start()]
    return seg.strip(" *#\u3000")[:HEADING_MAX_CHARS]


# The glossary some reports end with (`名词解释`, `《政府工作报告》名词注释`, `附注：`): a line of its own whose
# numbered entries (`1.“六稳”：…`, `（33）多式联运：…`) were parsed as sections (~500 rows of the shared corpus).
GLOSSARY_HEAD_RE = re.compile(
    r"(?m)^(?:《[^》\n]{2,12}》)?[^\n，。]{0,8}(?:名词|术语)?(?:解释|注释|注解|附注)(?:和说明)?[:：]?$"
)


GLOSSARY_FROM = 0.5  # a glossary follows the speech: looked for in the text's second half only


def extract_sections(doc_id: str, text: str, glossary: bool = False) -> list[dict]:
    """Outline rows. Styles nest in order of first appearance; a marker counts only if it continues its
    style's sequence (一 then 二 …), which drops stray `一、` inside prose."""
    # the report's glossary: its numbered terms are no outline (figures still read their headings: `glossary`)
    head = None if glossary else GLOSSARY_HEAD_RE.search(text, int(len(text) * GLOSSARY_FROM))
    cut = head.start() if head else len(text)
    cands = sorted(c for c in set(_candidates(text)) if c[0] < cut)
    rows = _outline(doc_id, text, cands, [r["start"] for r in part_headings(doc_id, text)])
    _set_ends(rows, cut)
    return rows


def _outline(doc_id: str, text: str, cands: list[tuple[int, str, int, int]], parts: list[int]) -> list[dict]:
    """extract_sections' rows of the sorted candidates, their `end` not yet set. A row depends only on the
    candidates before it: the rows of the candidates before a position are those of all candidates there."""
    stack: list[str] = []  # styles, outermost first
    counters: list[int] = []  # path numbers
    marks: list[int] = []  # the markers' own numbers (the outermost run restarts at 一 in a new part)
    rows: list[dict] = []
    for start, style, n, hstart in cands:
        if style in stack:
            lvl = stack.index(style)
            last = next((r["start"] for r in reversed(rows) if r["level"] == 1), -1)
            if lvl == 0 and n == 1 and marks[0] >= 2 and any(last < p < start for p in parts):
                # `2021年主要目标和重点工作` / `一、…`: the plan part numbers its sections from 一 again; the path goes on
                del stack[1:], counters[1:], marks[1:]
                counters[0] += 1
                marks[0] = 1
            else:
                if n != marks[lvl] + 1:
                    if n == 1 and lvl == len(stack) - 1:
                        pass
                    else:
                        continue
                if n == 1 and lvl == len(stack) - 1 and marks[lvl] >= 1:
                    # a fresh run of the innermost style under the same parent only if the parent advanced
                    continue
                del stack[lvl + 1 :], counters[lvl + 1 :], marks[lvl + 1 :]
                counters[lvl] += n - marks[lvl] if lvl == 0 else n - counters[lvl]
                marks[lvl] = n
        else:
            if n != 1:
                continue
            last = next((r["start"] for r in reversed(rows) if r["level"] == 1), -1)
            if stack and any(last < p < start for p in parts):
                # a new part numbered in another style (`1.` after `一、` runs): its own first level, not nested
                top = counters[0]
                stack, counters, marks = [style], [top + 1], [1]
                lvl = 0
            else:
                stack.append(style)
                counters.append(1)
                marks.append(1)
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
    return rows


def _set_ends(rows: list[dict], cut: int) -> None:
    """A section ends where the next one of its level or above starts, the last at `cut`."""
    for i, r in enumerate(rows):
        r["end"] = cut
        for nxt in rows[i + 1 :]:
            if nxt["level"] <= r["level"]:
                r["end"] = nxt["start"]
                break


# A report's parts (`2020年工作回顾`, `“十四五”发展主要成就`, `2021年主要目标和重点工作`) stand on lines of their own,
# unnumbered: short, no sentence punctuation, no outline marker, a word that names a part.
PART_LINE_RE = re.compile(
    r"^(?![一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．])[^，。；：！？,;:!?\n]{4,30}$"
)
PART_WORD_RE = re.compile(
    r"回顾|成就|成效|工作安排|主要任务|重点任务|重点工作|主要工作|目标|总体要求|思路|总结|工作部署"
)


def part_headings(doc_id: str, text: str) -> list[dict]:
    """The report's unnumbered part headings, as rows shaped like sections' (level 0, style `part`): not published
    (sections are the numbered outline); figures read them to tell a plan part from a review part, and a part lets
    the outline's first level start again at 一."""
    rows: list[dict] = []
    pos = 0
    for line in text.split("\n"):
        if PART_LINE_RE.match(line) and PART_WORD_RE.search(line):
            rows.append(
                {"doc_id": doc_id, "path": None, "level": 0, "marker_style": "part", "heading": line, "start": pos}
            )
        pos += len(line) + 1
    for i, r in enumerate(rows):
        r["end"] = rows[i + 1]["start"] if i + 1 < len(rows) else len(text)
    return rows


def figure_context(doc_id: str, text: str) -> list[dict]:
    """The headings figures are read under: the parts and the outline, the glossary's entries included (they head
    their figures too: `17.2023年十件民生实事：…②全面开工3506户…`). The last part ends where the glossary begins:
    a term's definition is no plan."""
    head = GLOSSARY_HEAD_RE.search(text, int(len(text) * GLOSSARY_FROM))
    return _figure_context(head, part_headings(doc_id, text), extract_sections(doc_id, text, glossary=True))


def _figure_context(head: re.Match | None, parts: list[dict], sections: list[dict]) -> list[dict]:
    """figure_context of the glossary's heading, the part headings and the outline read with the glossary (its rows
    are changed)."""
    if head:
        parts = [{**r, "end": min(r["end"], head.start())} for r in parts if r["start"] < head.start()]
    # a section ends with the part it starts in: the rows must nest (figures keep them on a stack)
    ends = [(r["start"], r["end"]) for r in parts]
    for r in sections:
        r["end"] = min([r["end"], *(e for s, e in ends if s <= r["start"] < e)])
    return [*parts, *sections]


def sections_and_context(doc_id: str, text: str) -> tuple[list[dict], list[dict]]:
    """(extract_sections(doc_id, text), figure_context(doc_id, text)) from one reading of the text: the candidates,
    the part headings and the glossary's heading found once, the outline walked once (read with the glossary, the
    sections are its rows before the glossary). Each table read them on its own: ~5 % of annotate's CPU on the
    20k bench's cold calls."""
    head = GLOSSARY_HEAD_RE.search(text, int(len(text) * GLOSSARY_FROM))
    parts = part_headings(doc_id, text)
    outline = _outline(doc_id, text, sorted(set(_candidates(text))), [r["start"] for r in parts])
    cut = head.start() if head else len(text)
    sections = [dict(r) for r in outline if r["start"] < cut]
    _set_ends(sections, cut)
    _set_ends(outline, len(text))
    return sections, _figure_context(head, parts, outline)


def _section_at(rows: list[dict], pos: int) -> str | None:
    best = None
    for r in rows:
        if r["start"] <= pos < r["end"] and (best is None or r["level"] > best["level"]):
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
# Every campaign match ends in 战 or 行动 and holds only Han characters (prefixes, numerals and names alike), so it
# lies inside one run of Han characters that holds an ending: the scan runs over those runs alone. CAMPAIGN_RE has
# no anchor or lookaround, so its matches there are the matches of a scan of the whole text (tests check it); the
# whole-text scan tried the pattern at every position of a document, ~4 % of extract's CPU.
CAMPAIGN_END_RE = re.compile("战|行动")
NOT_HAN_RE = re.compile(f"[^{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]*")


def _campaign_matches(text: str) -> Iterator[re.Match]:
    """CAMPAIGN_RE.finditer(text), scanning only the Han runs that hold 战 or 行动."""
    ends = [m.start() for m in CAMPAIGN_END_RE.finditer(text)]
    if not ends:
        return
    # The run around an ending: its end is the next non-Han character, its start the end of the Han run that
    # ends there read backwards (a match on the reversed text), not a list of every non-Han position of the text.
    backwards = text[::-1]
    n = len(text)
    run_end = -1
    for at in ends:
        if at < run_end:
            continue  # in the run just scanned
        run_start = n - HAN_RUN_RE.match(backwards, n - at).end()  # type: ignore[union-attr]
        after = NOT_HAN_RE.search(text, at)
        run_end = after.start() if after else n
        yield from CAMPAIGN_RE.finditer(text, run_start, run_end)


# compiled once (re.search(pattern_string, ...) pays re's cache lookup per call: ~50k quotes a 20k-bench shard)
SENTENCE_PUNCT_RE = re.compile(r"[，。！？,]")
# A quoted token with digits is a formula (“1+N”, “5+2”, “三线一单”'s kin) only with a plus or a Han character
FORMULA_OK_RE = re.compile(rf"[+＋]|[{HAN}]")
PLAN_PERIOD_RE = re.compile(r"^[一二三四五六七八九十]{1,3}五$")  # 九五, 十五, 十一五 …: a plan period's name
BARE_CAMPAIGNS = frozenset({"专项行动", "攻坚战", "大会战", "百日行动"})  # the kind without its name
CAMPAIGN_WORD_WINDOW = 8  # characters read before a campaign to find the word its name starts in
CAMPAIGN_VERB_RE = re.compile(
    "打好|打赢|打响|开展|进行|启动|推进|决战|实施|组织|发起|部署"
)  # 打响|百日会战: not the name
CAMPAIGN_MAX = 12  # a campaign's name with the nouns before it: 营商环境便利化专项行动 has 11


def _campaign_name(text: str, start: int, end: int) -> str | None:
    """The campaign's name from the start of the word it begins in (便利化专项行动, not 利化专项行动), or None when its
    ending is part of another word (强省会战略: 会战|略)."""
    from tasks.extract import word_spans  # tasks.extract imports this module

    lo = max(0, start - CAMPAIGN_WORD_WINDOW)
    words = word_tags()
    spans = [(a + lo, b + lo) for a, b in word_spans(text[lo : min(len(text), end + 2)])]
    for a, b in spans:
        if b - a < 2 or text[a:b] not in words:
            continue
        if a < end < b:
            return None
        if a < start < b:
            start = a
    # nouns right before it belong to the name too: 污染|防治攻坚战, 营商|环境|便利化专项行动
    for a, b in reversed(spans):
        if (
            b == start
            and end - a <= CAMPAIGN_MAX
            and (words.get(text[a:b]) or "").startswith(("n", "vn"))
            and not CAMPAIGN_VERB_RE.fullmatch(text[a:b])
        ):
            start = a
    return text[start:end]


CAMPAIGN_LEAD_RE = re.compile(r"^(?:第[一二三四五六七八九十]+次|新一轮|一次|这次|上一次|开展|进行|的|了|个|项)")


def extract_slogans(doc_id: str, text: str) -> list[dict]:
    counts: dict[str, int] = {}
    for m in QUOTE_RE.finditer(text):
        inner = m.group(1).strip()
        if not inner or inner in NOT_SLOGAN or SENTENCE_PUNCT_RE.search(inner):
            continue
        after = text[m.end() : m.end() + 4]
        if PLAN_PERIOD_RE.match(inner) or (
            NUM_FORMULA_RE.search(inner) and not FORMULA_OK_RE.search(inner) and not CAMPAIGN_AFTER_RE.match(after)
        ):
            continue  # “十五” (a five-year plan's name), “12345” (a hotline); “1366”目标 is a slogan
        if (
            NUM_FORMULA_RE.search(inner)
            or COUNTED_RE.match(inner)
            or (CAMPAIGN_AFTER_RE.match(after) and len(inner) <= 10)
        ):
            key = f"“{inner}”"
            counts[key] = counts.get(key, 0) + 1
    for m in _campaign_matches(text):
        t = _campaign_name(text, m.start(1), m.end(1))
        if t is None:
            continue
        t = CAMPAIGN_LEAD_RE.sub("", t)
        if len(t) >= 4 and t not in BARE_CAMPAIGNS:
            counts[t] = counts.get(t, 0) + 1
    return [{"doc_id": doc_id, "text": t, "count": c} for t, c in sorted(counts.items())]


def extract_tables(
    doc_id: str,
    text: str,
    year: int | None = None,
    admin_level: str | None = None,
    reviewed_year: int | None = None,
    failed: list[str] | None = None,
) -> dict[str, list[dict]]:
    """Rows for sections, figures, slogans and mentions of one document; never raises. A table whose rules raised
    is empty and its name appended to `failed`: its caller flags the document (annotate_error) rather than publish
    a table that silently lacks its rows."""
    text = text or ""
    out: dict[str, list[dict]] = {"sections": [], "figures": [], "slogans": [], "mentions": []}
    context: list[dict] | None = None
    try:
        out["sections"], context = sections_and_context(doc_id, text)
    except Exception:  # noqa: BLE001 - each table on its own then: one failing must not lose the others
        try:
            out["sections"] = extract_sections(doc_id, text)
        except Exception:  # noqa: BLE001
            if failed is not None:
                failed.append("sections")
    national = (
        admin_level == "national"
        or "全国人民代表大会" in text[:NATIONAL_OPENING_CHARS]
        or text[:NATIONAL_OPENING_CHARS].count("国务院") >= 2
    )
    for key, fn in (
        (
            "figures",
            lambda: extract_figures(
                doc_id,
                text,
                context if context is not None else figure_context(doc_id, text),
                national,
                year,
                admin_level,
                reviewed_year,
            ),
        ),
        ("slogans", lambda: extract_slogans(doc_id, text)),
        ("mentions", lambda: extract_mentions(doc_id, text)),
    ):
        try:
            out[key] = fn()
        except Exception:  # noqa: BLE001 - one table failing must not lose the others
            out[key] = []
            if failed is not None:
                failed.append(key)
    return out


__all__ = ["OFFICE_KW", "extract_figures", "extract_mentions", "extract_sections", "extract_slogans", "extract_tables"]

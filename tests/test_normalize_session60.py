"""Session 60: normalize's passes made cheaper, each checked against the code it replaced (same text, same counts)."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks import normalize

FULLWIDTH = "".join(map(chr, normalize._WIDTH_MAP))


def _width_by_translate(text: str, counts: Counter) -> str:
    """_width as it was: the count by findall, the text by str.translate, the separators looked behind first."""
    counts["width.fullwidth_ascii"] += len(normalize._FULLWIDTH_ASCII.findall(text))
    text = text.translate(normalize._WIDTH_MAP)
    text, m = re.compile(r"(?<=\d)[．，](?=\d)").subn(lambda mm: "." if mm.group(0) == "．" else ",", text)
    counts["width.fullwidth_ascii"] += m
    return text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*FULLWIDTH[::7], "１", "２", "．", "，", "5", "中", "\n", "."])))
def test_width_by_its_matches_is_the_translation(text):
    got, want = Counter(), Counter()
    assert normalize._width(text, got) == _width_by_translate(text, want)
    assert got == want


def test_width_maps_every_fullwidth_letter_and_digit():
    counts: Counter = Counter()
    assert (
        normalize._width(FULLWIDTH + "２７，０００ ９６．９８", counts)
        == FULLWIDTH.translate(normalize._WIDTH_MAP) + "27,000 96.98"
    )
    assert counts["width.fullwidth_ascii"] == len(FULLWIDTH) + 9 + 2


def _truncation_folding_every_line(lines, counts: Counter, raw_text: str) -> int:
    """normalize._truncation as it was: every line's tail folded and searched (no look at its key first)."""
    found = 0
    if not normalize._TRUNCATION_TRIGGER.search(raw_text):
        return 0
    for i, raw in enumerate(lines.raw):
        if lines.rule[i] is not None or not lines.keys[i]:
            continue
        offset = max(0, len(raw) - normalize._TRUNCATION_TAIL)
        simp = normalize._fold(raw[offset:])
        if not normalize._TRUNCATION_LINE.search(simp):
            continue
        m = normalize.R.TRUNCATION.search(simp)
        if not m:
            continue
        found += 1
        m_start = offset + m.start()
        if not raw[:m_start].strip():
            lines.remove(i, "truncation.notice", whole=True)
        else:
            lines.raw[i] = raw[:m_start].rstrip()
            lines.keys[i] = normalize._key(lines.raw[i]) if len(lines.raw[i]) <= normalize._LONG_LINE else lines.raw[i]
            counts["truncation.notice"] += 1
    return found


NOTICE_PIECES = [
    "因篇幅问题不能全部显示，请点此查看更多更全内容。",
    "因篇(piān)幅問題不能全部顯示",
    "（未完，全文共2010字，当前显示249字）",
    "試讀結束，完整閱讀請下載後查看",
    "**未完待续**",
    "篇 幅 有 限",
    "## 隐藏内容",
    "各位代表：",
    "现在，我代表市人民政府向大会报告工作。",
    "文档",
    "\u3000\u3000",
    " ",
    "*",
    "(piān)",
    "查看",
    "篇",
    "發展",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NOTICE_PIECES), max_size=6).map("".join), min_size=1, max_size=8))
def test_truncation_reading_short_keys_first_finds_the_same_notices(page_lines):
    raw = "\n".join([*page_lines, "未完"])
    got, want = normalize._Lines(raw), normalize._Lines(raw)
    got_counts, want_counts = Counter(), Counter()
    assert normalize._truncation(got, got_counts, raw) == _truncation_folding_every_line(want, want_counts, raw)
    assert (got.raw, got.keys, got.rule, got_counts) == (want.raw, want.keys, want.rule, want_counts)


def test_truncation_notice_on_a_long_line_is_still_cut():
    body = "现在，我代表市人民政府向大会报告工作，请予审议。" * 12
    raw = "各位代表：\n" + body + "因篇幅问题不能全部显示，请点此查看更多更全内容。\n"
    n = normalize.normalize_text(raw)
    assert body in n.text and "篇幅" not in n.text and n.flags.get("truncated") == 1


def test_truncation_words_found_unfolded_as_in_the_folded_text():
    """_TRUNCATION_LINE_UNFOLDED finds a word in a text exactly where _TRUNCATION_LINE finds it in the text folded."""
    forms = {c for c, to in normalize._KEY_FOLD.items() if chr(c) not in "\n"}
    sample = [chr(c) for c in sorted(forms)[::3]] + list(
        "篇幅查看已结束結文档檔未读讀完隐隱藏试試读预預覽下载載后後需要先当當前仅僅显顯示 "
    )
    rng = __import__("random").Random(60)
    for _ in range(3000):
        text = "".join(rng.choice(sample) for _ in range(rng.randint(1, 12)))
        want = normalize._TRUNCATION_LINE.search(normalize._fold(text))
        got = normalize._TRUNCATION_LINE_UNFOLDED.search(text)
        assert (got and got.span()) == (want and want.span()), text


def test_readings_from_pypinyins_table_are_its_pinyin_of_each_character():
    """_readings reads pypinyin's single-character table instead of importing pypinyin: the same readings as
    pinyin(c, style=TONE, heteronym=True) for the Han blocks' characters (a sample of every block, all of the main one)."""
    from pypinyin import Style, pinyin

    assert normalize._pinyin_table() is not None
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    chars += [chr(c) for a, b in normalize.vocab.HAN_BLOCKS for c in range(a, b, 97)] + list("a1，(")
    for c in chars:
        want = frozenset(
            r for reading in pinyin(c, style=Style.TONE, heteronym=True, errors="ignore")[:1] for r in reading
        )
        got = frozenset(r for r in normalize._pinyin_table().get(ord(c), "").split(",") if r)
        assert got == want, c
    assert normalize._readings("區") >= {"qū", "ōu"}


def test_readings_without_the_table_ask_pypinyin(monkeypatch):
    monkeypatch.setattr(normalize, "_pinyin_table", lambda: None)
    normalize._readings.cache_clear()
    try:
        assert normalize._readings("區") >= {"qū", "ōu"} and normalize._readings("a") == frozenset()
    finally:
        normalize._readings.cache_clear()

"""A forum's anti-copy junk (Discuz's jammer strings at each line break of a post) is removed, and where the copy lost
its breaks the line is broken there again, so headings hidden by it come back; Latin a speech holds stays. Real
OpenCC and jieba, no mocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.reflow import forum_jammer, forum_jammer_grouped, jammer
from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "real" / "lawtext__gov" / "主要城市__上海市__2026.txt"

SPEECH = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。\n"
BODY = "去年，全市地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。"


def _sections(page: str) -> list[tuple[str, str, str]]:
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", normalize_text(page).text)]


def test_jammer_strings_are_discuz_pairs():
    s = jammer("一、去年工作回顾")
    assert s == jammer("一、去年工作回顾")  # the bench variant is deterministic
    pairs = [s[k : k + 3] for k in range(0, len(s), 3)]
    assert 5 <= len(pairs) <= 15 and all(" " <= p[0] <= ";" and p[1] == " " and "?" <= p[2] <= "~" for p in pairs)


@pytest.mark.parametrize("variant", [forum_jammer, forum_jammer_grouped])
def test_a_forum_copy_gives_the_text_and_outline_of_the_page(variant):
    """Each line of the post followed by its jammer (breaks kept or lost three lines at a time): the text as the page
    gives it, every section row back (before: the strings were kept and the grouped copy's headings ran into them)."""
    raw = SAMPLE.read_text("utf-8")
    copy = variant(raw)
    n = normalize_text(copy)
    assert n.text == normalize_text(raw).text
    assert _sections(copy) == _sections(raw) and len(_sections(raw)) >= 9
    body = raw.split("---\n", 2)[2]  # the front matter is the variant's page metadata: no jammer there
    assert n.rule_counts["chrome.forum_jammer"] == len([line for line in body.split("\n") if line.strip()])


def test_a_heading_hidden_by_a_jammer_stands_alone_and_the_junk_is_recorded_on_its_line():
    page = (
        SPEECH + "一、去年工作回顾+ v% [0 P+ _; u3 {$ y9 r" + BODY + "8 ]( X. a3 q, L\n二、今年工作安排\n" + BODY + "\n"
    )
    n = normalize_text(page)
    lines = n.text.split("\n")
    assert lines[2:6] == ["一、去年工作回顾", BODY, "二、今年工作安排", BODY]
    assert [(no, rule) for no, _, rule in n.removed_lines] == [(3, "chrome.forum_jammer")] * 2
    assert {span for _, span, _ in n.removed_lines} == {"+ v% [0 P+ _; u3 {$ y9 r", "8 ]( X. a3 q, L"}


def test_a_copy_that_folded_spaces_and_wrote_no_break_spaces_loses_its_junk_too():
    page = (
        SPEECH + "一、去年工作回顾\u00a0v%\u00a0[0\u00a0P+\u00a0_;\u00a0u3\u00a0{\n" + BODY + " v% [0 P+ _; u3 {$ y\n"
    )
    lines = normalize_text(page).text.split("\n")
    assert lines[2:] == ["一、去年工作回顾", BODY]


@pytest.mark.parametrize(
    "line",
    [
        "细颗粒物（PM2.5）平均浓度下降到30微克/立方米，GDP增长5.2%，建成5G基站2.1万个。",
        "成功举办APEC会议，详见 http://www.gov.cn/zhengce/2024-03/12/content_A1b2.htm ，邮箱 a.b@c.cn 。",
        "方案分为 A B C D E F 六档，适用 x y z 三类情形。",  # spaced letters: no punctuation or digit opens a pair
        "比分 1 A 2 B 3 C 依次排列，其余从略。",  # three pairs opening on a digit: under the five a string holds
        "参见 [1] A. Smith, B. Jones; C. Brown: Policy Review 2024, vol. 3, pp. 1-9.",
    ],
)
def test_latin_in_a_speech_stays(line):
    page = SPEECH + line + "\n" + BODY + "\n"
    n = normalize_text(page)
    assert "chrome.forum_jammer" not in n.rule_counts
    assert re.findall(r"[A-Za-z0-9]+", n.text) == re.findall(r"[A-Za-z0-9]+", SPEECH + line + BODY)


def test_a_short_run_of_pairs_is_no_jammer():
    """Four pairs opening on punctuation (`1, a2; b3: c4. d`) could be an index's letters: kept."""
    page = SPEECH + "附件编号为1, a2; b3: c4. d，请查阅。\n"
    n = normalize_text(page)
    assert "chrome.forum_jammer" not in n.rule_counts
    assert re.findall(r"[A-Za-z0-9]+", n.text) == ["1", "a2", "b3", "c4", "d"]


def test_latin_right_after_a_jammer_stays():
    """The string's last letter is one character: `…y9 r GDP增长` keeps its G (no pair is read into a word)."""
    page = SPEECH + "一、去年工作回顾+ v% [0 P+ _; u3 {$ y9 r GDP增长百分之六，PM2.5浓度下降。\n"
    lines = normalize_text(page).text.split("\n")
    assert lines[2:] == ["一、去年工作回顾", "GDP增长百分之六，PM2.5浓度下降。"]


def test_a_real_discuz_threads_strings_go_at_line_ends_line_starts_and_alone():
    """Lines of a real Discuz thread copied out (a speech-writing forum, blwyggh.caiyes.cn): strings after a line,
    on lines of their own, before a line, and one whose leading pair became the line break (`g0 ^3 R&…`)."""
    page = (
        "如何在材料中全面、系统、准确地阐述“加强领导”这一观点% J d5 N( @! K5 D: D\n"
        "$ F' b3 y5 ? x; \\( G' J Z, ]+ z$ [# ]; j7 k\n"
        "1 m2 O/ p2 U: f' {1 B# h1 p “加强领导”有其固有的内涵和特定的内容。8 d, e/ k! s# j+ Y1 m\n"
        "g0 ^3 R& t2 [( X* m\n"
        '7 H* A# b, u8 g0 N" b3 I( P: b( P6 v/ ^. D+ z" ?! ~ U\n'
        "下面，我结合自己的体会，谈谈如何写好“加强领导”这一部分：- O; b* ~# P# a0 I& K ~\n"
        ". ]3 c0 p* @: z# | 一要成立领导小组。\n"
    )
    n = normalize_text(page)
    assert n.text.split("\n") == [
        "如何在材料中全面、系统、准确地阐述“加强领导”这一观点",
        "“加强领导”有其固有的内涵和特定的内容。",
        "下面，我结合自己的体会，谈谈如何写好“加强领导”这一部分：",
        "一要成立领导小组。",
    ]
    assert n.rule_counts["chrome.forum_jammer"] == 8

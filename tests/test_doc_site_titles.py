"""Doc-sharing and 范文 sites' titles (session 50's fresh pages, helper h5): a title run into the speech's first words
with no line of its own, the upload's naming around a title, keyword lines, a name after the title. Every test failed
on the code before its commit."""

from __future__ import annotations

import pytest

from tasks.normalize import normalize_text

OPENING = (
    "今天，我们召开全县经济工作会议，主要任务是认真贯彻落实中央和省委经济工作会议精神，总结去年工作，部署今年任务。"
    "过去一年，全县地区生产总值增长百分之七，财政收入稳步增长，人民生活持续改善，各项事业全面进步。\n"
    "下面，我讲三点意见。一是坚定信心，二是突出重点，三是狠抓落实。希望大家认真贯彻，抓好落实。\n"
)
BODY = "同志们：\n" + OPENING


# ------------------------------------------------------------------ a title glued to the speech's first words


@pytest.mark.parametrize(
    ("glued", "title"),
    [
        ("在全市安全生产会议上的讲话", "在全市安全生产会议上的讲话"),
        (
            "市长在2022年市安委会第一次全体（扩大）会议上的讲话文稿同志们，",
            "市长在2022年市安委会第一次全体（扩大）会议上的讲话文稿",
        ),
        ("2021年脱贫攻坚会议主持讲话3", "2021年脱贫攻坚会议主持讲话3"),
        ("全县教师节表彰大会讲话稿", "全县教师节表彰大会讲话稿"),
        ("县长在全县春节团拜会上的致辞尊敬的各位老领导，", "县长在全县春节团拜会上的致辞"),
    ],
)
def test_a_title_run_into_the_opening_is_broken_off(glued, title):
    raw = "德育素材网 首页\n" + glued + OPENING
    n = normalize_text(raw)
    lines = n.text.split("\n")
    at = lines.index(title)
    assert lines[at + 1].startswith(glued[len(title) :] + OPENING[:4])  # the opening, nothing lost
    assert n.rule_counts.get("layout.head_split") == 1


@pytest.mark.parametrize(
    "line",
    [
        # a sentence about a speech, punctuation in what would be the title, no occasion named, the body itself
        "县委书记张三在全县大会上的讲话在全县引起强烈反响，" + OPENING,
        "刚才，李书记作了重要讲话今天的会议开得很好，" + OPENING,
        "李书记的讲话同志们要认真学习领会，" + OPENING,
    ],
)
def test_a_sentence_about_a_speech_is_not_broken(line):
    n = normalize_text(line)
    assert "layout.head_split" not in n.rule_counts
    assert n.text.split("\n")[0] == line.split("\n")[0].replace(",", "，")


# ------------------------------------------------------------------ a doc site's file name heading the page


@pytest.mark.parametrize(
    "line",
    ["副县长关于庆祝教师节的电视讲话.doc", "县长在全县经济工作会议上的讲话.docx", "在全县经济工作会议上的讲话稿.wps"],
)
def test_a_doc_sites_file_name_heading_the_page_keeps_its_title(line):
    n = normalize_text(line + "\n" + BODY)
    assert n.text.split("\n")[0] == line.rsplit(".", 1)[0]
    assert [r for _, _, r in n.removed_lines] == ["chrome.file_extension"]


def test_an_attachment_list_below_the_speech_is_still_removed():
    n = normalize_text(BODY + "附件：\n- 2026年政府工作报告.pdf\n- 2024政府工作报告名词解释.docx\n")
    assert "政府工作报告.pdf" not in n.text

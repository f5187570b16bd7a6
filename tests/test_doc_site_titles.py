"""Doc-sharing and 范文 sites' titles (session 50's fresh pages, helper h5): a title run into the speech's first words
with no line of its own, the upload's naming around a title, keyword lines, a name after the title. Every test failed
on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text

OPENING = (
    "今天，我们召开全县经济工作会议，主要任务是认真贯彻落实中央和省委经济工作会议精神，总结去年工作，部署今年任务。"
    "过去一年，全县地区生产总值增长百分之七，财政收入稳步增长，人民生活持续改善，各项事业全面进步。\n"
    "下面，我讲三点意见。一是坚定信心，二是突出重点，三是狠抓落实。希望大家认真贯彻，抓好落实。\n"
)
BODY = "同志们：\n" + OPENING


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


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


@pytest.mark.parametrize(
    ("glued", "title"),
    [
        ("在全市安全生产会议上的讲话", "在全市安全生产会议上的讲话"),
        (
            "市长在2022年市安委会第一次全体（扩大）会议上的讲话文稿同志们，",
            "市长在2022年市安委会第一次全体（扩大）会议上的讲话",
        ),
        ("2021年脱贫攻坚会议主持讲话3", "2021年脱贫攻坚会议主持讲话"),
        ("全县教师节表彰大会讲话稿", "全县教师节表彰大会讲话稿"),
    ],
)
def test_a_title_run_into_the_opening_is_read_without_the_uploads_naming(glued, title):
    raw = glued + OPENING
    n = normalize_text(raw)
    got = E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)["title"]
    assert got.replace("(", "（").replace(")", "）") == title


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("乡镇首届瓜菜文化艺术节上级领导致辞范文", "乡镇首届瓜菜文化艺术节上级领导致辞"),
        ("在全县经济工作会议上的讲话文稿", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话2", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话稿", "在全县经济工作会议上的讲话稿"),  # a speech's own word stays
        ("在庆祝建国70周年大会上的讲话", "在庆祝建国70周年大会上的讲话"),
    ],
)
def test_the_uploads_naming_after_a_title_is_cut(line, title):
    assert _fields(line + "\n" + BODY)["title"] == title


# ------------------------------------------------------------------ keyword lines, names, collections, file names


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("县长在全县经济工作会议上的讲话_领导讲话_范文", "县长在全县经济工作会议上的讲话"),
        ("县长在全县经济工作会议上的讲话|领导讲话|讲话稿", "县长在全县经济工作会议上的讲话"),
        ("领导讲话_县长讲话_经济工作会议讲话\n县长在全县经济工作会议上的讲话", "县长在全县经济工作会议上的讲话"),
        ("领导讲话_县长讲话_经济工作会议讲话", None),  # labels only: no title
    ],
)
def test_a_keyword_lines_labels_are_no_part_of_the_title(head, title):
    assert _fields(head + "\n" + BODY)["title"] == title


def test_a_name_or_a_portals_channel_after_an_underscore_stays():
    # `讲话_李强_中国政府网`: the speaker, kept (CHANNEL_SUFFIX_RE's rule), never a label
    assert _E_title("在国务院常务会议上的讲话_李强") == "在国务院常务会议上的讲话_李强"


def _E_title(line: str) -> str | None:
    return _fields(line + "\n" + BODY)["title"]


@pytest.mark.parametrize(
    ("head", "title", "name", "office"),
    [
        ("在全县经济工作会议上的讲话 张三", "在全县经济工作会议上的讲话", "张三", None),
        ("县长在全县经济工作会议上的讲话 李四明", "县长在全县经济工作会议上的讲话", "李四明", "县长"),
        ("年会嘉宾演讲 陈晋", "年会嘉宾演讲", "陈晋", None),
        ("在全县经济工作会议上的讲话 王 五", "在全县经济工作会议上的讲话", "王五", None),
    ],
)
def test_a_bare_name_a_space_after_the_title_is_the_speaker(head, title, name, office):
    f = _fields(head + "\n" + BODY)
    assert (f["title"], f["speaker_name"], f["speaker_title"]) == (title, name, office)


@pytest.mark.parametrize("word", ["全文", "原文", "范文", "解读", "摘要"])
def test_a_word_after_the_title_is_no_name(word):
    f = _fields(f"在全县经济工作会议上的讲话 {word}\n" + BODY)
    assert f["speaker_name"] is None


@pytest.mark.parametrize(
    ("head", "title", "office"),
    [
        ("第1篇 在全市招商引资工作会议上的讲话", "在全市招商引资工作会议上的讲话", None),
        ("第十二篇：县长在全县春耕生产动员会上的讲话", "县长在全县春耕生产动员会上的讲话", "县长"),
        ("演讲稿范文/公众演讲 副县长关于庆祝教师节的电视讲话公众演讲", "副县长关于庆祝教师节的电视讲话", "副县长"),
        ("领导讲话/会议讲话 在全县经济工作会议上的讲话", "在全县经济工作会议上的讲话", None),
    ],
)
def test_a_collections_item_number_and_category_path_are_cut(head, title, office):
    f = _fields(head + "\n" + BODY)
    assert (f["title"], f["speaker_title"]) == (title, office)


@pytest.mark.parametrize("toc", ["目录/提纲:……", "目录", "目 录", "提纲："])
def test_a_table_of_contents_label_is_no_title(toc):
    assert E.is_junk_title(toc)
    assert _fields(toc + "\n一、统一思想\n二、突出重点\n" + BODY)["title"] is None


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("副县长关于庆祝教师节的电视讲话.doc", "副县长关于庆祝教师节的电视讲话"),
        ("县长在全县经济工作会议上的讲话.docx", "县长在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话稿.wps", "在全县经济工作会议上的讲话稿"),
    ],
)
def test_a_doc_sites_file_name_heading_the_page_is_its_title(line, title):
    assert _fields(line + "\n" + BODY)["title"] == title

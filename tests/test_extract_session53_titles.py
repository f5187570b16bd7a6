"""Session 53's fresh real pages (helper h7): titles of doc-site and 范文 pages — a collection's number, page and
count, and site notes, whatever line the title is read from. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


SPEECH = (
    "同志们:\n一年一度的全市工业经济工作会在今年显得格外重要。这次会议是在我市工业遭受国际金融危机影响、遇到前所未有"
    "困难的形势下召开的。市政府决定召开这次会议,目的就是要进一步把大家的思想统一到党的十七大精神上来。\n"
    "一、充分肯定20xx年全市工业经济取得的成绩\n过去的一年,是我市工业发展极不平凡、极为困难的一年。\n"
)


def test_a_collections_number_is_cut_from_a_title_read_off_the_page_title():
    # xuexila's page 2 of a 范文 collection: its title with `(2)`, the item's heading `…材料篇3`; neither is a head title
    # (材料 is no genre word), so the title came from the page's first line, where the number was never cut
    raw = "全市工业经济工作会议讲话材料(2)\n全市工业经济工作会议讲话材料篇3\n" + SPEECH
    assert _page(raw)["title"] == "全市工业经济工作会议讲话材料"
    assert _page("全市工业经济工作会议讲话材料（二）\n" + SPEECH)["title"] == "全市工业经济工作会议讲话材料"


@pytest.mark.parametrize(
    ("title", "cut"),
    [
        ("2023年度在全市工业强市推进大会上讲话(完整)", "2023年度在全市工业强市推进大会上讲话"),
        ("乡镇长在重点工作会上的讲话汇编-13篇(第3/4页)", "乡镇长在重点工作会上的讲话汇编"),
        ("乡镇长在重点工作会上的讲话汇编（第2/4页）", "乡镇长在重点工作会上的讲话汇编"),
        ("在全县乡村振兴工作会议上的讲话 - 5篇", "在全县乡村振兴工作会议上的讲话"),
    ],
)
def test_a_doc_sites_page_count_and_note_are_cut(title, cut):
    assert E._unnote_title(title) == cut


@pytest.mark.parametrize(
    "title",
    [
        "关于进一步加强“三农”工作的讲话(2012年)",  # a year is no note
        "在全市第2篇章启动仪式上的讲话",
        "学习《条例》第3/4条的体会",
    ],
)
def test_a_titles_own_words_stay(title):
    assert E._unnote_title(title) == title


# ------------------------------------------------------------------ a site's phone line is no title


def test_a_sites_phone_line_is_no_title():
    # yunwushan.cn's notice: the site's hotline heads the page, the headline below it (its breadcrumb is removed)
    raw = (
        "全国免费热线:400-9913-666\n\n您的当前位置: 首页>>景区资讯>>景区新闻\n\n"
        "第十届木兰旅游文化节开幕暨木兰云雾山旅游风景区开园仪式\n\n"
        "2009年是建国60周年大庆,因此,办好武汉首届杜鹃节、第十届木兰旅游文化节和木兰云雾山旅游风景区开园仪式,为国庆献礼,"
        "促进我区旅游事业快速发展,具有多重社会意义。为此,定于4月3日在木兰云雾山旅游风景区举办“两节一开园”活动。\n"
        "本届旅游文化节的指导思想是:依托云雾山旅游景区开园的系列活动,开创“合力办节”的新机制。\n"
    )
    assert _page(raw)["title"] == "第十届木兰旅游文化节开幕暨木兰云雾山旅游风景区开园仪式"


@pytest.mark.parametrize("line", ["全国免费热线:400-9913-666", "咨询电话：0571-88888888", "服务热线：(0851) 8888 6666"])
def test_a_phone_line_is_junk(line):
    assert E.is_junk_title(line)


@pytest.mark.parametrize("title", ["在12345政务服务热线工作会议上的讲话", "在全市“12345”热线工作推进会上的讲话"])
def test_a_hotlines_meeting_is_a_title(title):
    assert not E.is_junk_title(title)

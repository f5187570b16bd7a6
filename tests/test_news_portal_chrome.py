"""News and government portals' head chrome and stamps (k3's held-out pages, third round): synthetic lines of the
forms those pages carried (a `>>` breadcrumb, a top bar, a channel bar, an e-paper's page list, a wire byline, a
site's summary and keyword lines, a scene caption, a masthead) and the speech lines that look like them."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text

BODY = "同志们：\n" + "今天召开全市工作会议，主要任务是总结去年工作，安排部署今年任务，请大家认真抓好落实。\n" * 3


def removed(page: str) -> dict[str, str]:
    n = normalize_text(page)
    return {str(r[1]).strip(): str(r[2]) for r in n.removed_lines}


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("海外网>>时政", "chrome.breadcrumb"),
        ("中国共产党新闻网>>高层动态", "chrome.breadcrumb"),
        ("当前位置是: 首页 >> 政府 >> 市政府领导 >> 副市长 >> 王某", "chrome.breadcrumb"),
        ("当前页面:首页", "chrome.breadcrumb"),
        ("当前栏目：政务动态", "chrome.breadcrumb"),
        ("首页 国际 港澳台 华人 中国 社会 领导 地方 人物 城市 反腐 财经", "chrome.breadcrumb"),
        ("首页评论时政台湾华人国际财经娱乐文史图片社区视频专题", "chrome.breadcrumb"),
        ("01版:要 闻", "chrome.breadcrumb"),
        ("02版：权威发布", "chrome.breadcrumb"),
        ("登录|注册|收藏首页|简体|繁体", "chrome.toolbar"),
        ("某某网|中国网络电视台|网站地图 |", "chrome.toolbar"),
        ("客服设为首页 |", "chrome.toolbar"),
        ("用户登录", "chrome.toolbar"),
        ("• 全国 [切换]", "chrome.toolbar"),
        ("扫一扫关注", "chrome.share"),
        ("新华社记者", "chrome.editor"),
        ("关键词：开学典礼；党校；班次；学期", "chrome.intro"),
        ("内容摘要：5月9日上午，某省委党校举行开学典礼，常务副校长某某出席并讲话。", "chrome.intro"),
        ("[导读]某某说，我们应该采取切实有效的措施。", "chrome.intro"),
        ("作者简介：", "chrome.intro"),
        ("大会现场", "chrome.photo_caption"),
        ("中国作家协会主管", "chrome.disclaimer"),
        ("某某社某某周刊官方网站 中央新闻网站 互联网新闻信息稿源单位", "chrome.disclaimer"),
        ("( 2023-03-15 ) 稿件来源:新华每日电讯 要 闻", "chrome.published_at"),
        ("2009-04-30 |", "chrome.published_at"),
    ],
)
def test_a_portals_head_line_is_chrome(line, rule):
    page = line + "\n在全市工作会议上的讲话\n" + BODY
    assert removed(page).get(line) == rule
    assert normalize_text(page).text.startswith("在全市工作会议上的讲话")


@pytest.mark.parametrize(
    "line",
    [
        "（三）优化企业注册登记服务",
        "三、抓好施工现场安全管理",
        "要把登录注册、网站地图这些基础服务做好，方便群众办事。",
        "第一版：总体要求",
        "首页要放在最显眼的位置，方便群众查看。",
        "关键在于抓落实，关键词是实干。",
    ],
)
def test_speech_lines_like_them_stay(line):
    page = "在全市工作会议上的讲话\n" + BODY + line + "\n" + BODY
    assert line.replace(" ", "") in normalize_text(page).text.replace(" ", "")


def test_the_portal_head_leaves_the_headline_as_title():
    page = (
        "登录|注册|收藏首页|简体|繁体\n首页评论时政台湾华人国际财经娱乐文史图片社区视频专题\n某某网>>时政\n"
        "某某：应对雾霾天气要用行动让人民看到希望\n" + BODY
    )
    n = normalize_text(page)
    f = E.extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)
    assert f["title"] == "某某:应对雾霾天气要用行动让人民看到希望"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            "（现场实录）习近平总书记在二十届中共中央政治局常委同中外记者见面时的讲话",
            "习近平总书记在二十届中共中央政治局常委同中外记者见面时的讲话",
        ),
        ("省长某某等分赴各设区市征求对政府工作意见 |", "省长某某等分赴各设区市征求对政府工作意见"),
    ],
)
def test_a_headlines_note_and_bar_leave_it(head, title):
    f = E.extract_fields(head + "\n" + BODY)
    assert f["title"] == title


def test_a_labelled_stamp_wins_over_a_bare_clock_above_it():
    """An e-paper reader's clock (the day the page was viewed) opens the page; the story's own stamp is below."""
    chrome = "2024-11-25 02:44:48\n发布时间:2016-10-22 13:50\n"
    page = chrome + "纪念大会在京隆重举行\n" + BODY
    n = normalize_text(page)
    f = E.extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)
    assert f["published_on"] == dt.date(2016, 10, 22)


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("省长某某等分赴各设区市征求对政府工作意见", None),
        ("县政府召开座谈会听取各界意见", None),
        ("中共中央 国务院关于全面推进乡村振兴加快农业农村现代化的意见", "意见"),
        ("某县人民政府关于印发《某县人民政府工作规则》的通知", "通知"),
        ("国务院办公厅关于加强安全生产工作的紧急通知", "通知"),
    ],
)
def test_an_issued_types_word_ends_an_issued_title_not_a_headlines_object(title, doc_type):
    news = "近日，某某和各位副省长分赴九个设区市，就进一步做好政府工作征求意见。座谈会发言踊跃，互动热烈。"
    f = E.extract_fields(title + "\n" + news, page_title=title)
    assert f["doc_type"] == doc_type


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("中共中央政治局常委李克强、张德江、俞正声、刘云山、王岐山、张高丽出席大会。", None),
        ("某地代表参观了孙中山先生故居。", None),
        ("德江县、岐山县和中山市的代表出席会议。", "德江县"),
    ],
)
def test_a_leaders_name_is_no_place(text, name):
    from tasks import extract_regions as R

    hits = [h.surface for h in R.find_places(text)]
    assert (hits[0] if hits else None) == name
    assert not any(h in ("德江", "岐山", "中山") for h in hits)


def test_a_journal_pages_citation_line_is_chrome_and_never_the_title():
    """`引用本文:作者.标题[J].刊名,年(期).` (a journal site's citation, alljournals and CNKI-style pages): the title it repeats
    split it before its type mark, and its first half, ending in 讲话, became the title."""
    from tasks.extract import extract_fields

    raw = (
        "在二季度全市安全生产专题会议上的讲话\n"
        "引用本文:周某某.在二季度全市安全生产专题会议上的讲话[J].某某市人民政府公报,2006(10).\n"
        "作者姓名:周某某\n"
        "同志们：\n今天，市政府召开二季度全市安全生产专题会议。目的有两个：一是统一思想；二是研究部署重点工作。\n"
        "刚才，市安监局通报了全市一季度安全生产运行情况，这些意见我都赞成，希望大家抓紧落实。\n"
    )
    n = normalize_text(raw)
    assert "引用本文" not in n.text and "[J]" not in n.text
    assert extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)["title"] == (
        "在二季度全市安全生产专题会议上的讲话"
    )

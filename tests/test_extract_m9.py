"""Dates, levels and greeting types of helper m9's fresh real pages (the search tool's stored pages, scored by hand:
county and township portals, doc-sharing copies, Taiwan and Hong Kong government pages, greeting letters). Places and
names are the pages' own or invented; each test is the class, not the page."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.extract_text import find_date


def _page(raw: str, url: str | None = None) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ admin_level without a region


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        (  # a 范文 copy: the office in the title, no place named
            "县长在2017年县政府全体会议上的讲话\n\n同志们：今天，我们召开本届县政府第一次全体会议，主要任务是，认真贯彻落实县"
            "第十三次党代会和县两会精神，推动全县经济社会发展。请各乡镇、各部门抓好贯彻落实。下面，我再讲三点意见。\n",
            "county",
        ),
        (  # a template's place starred out; the text's own 全县 counts
            "县政府2026年新春贺词\n\n岁序更替，华章日新。值此新春佳节到来之际，中共*县委、*县人民政府，向全县父老乡亲，向在外"
            "奋斗的*儿女致以诚挚的问候！\n\n刚刚过去的2025年，全县上下心往一处想、劲往一处使，干成了一批大事要事。坚持工业强县"
            "战略不动摇，全县经济稳中有进。\n",
            "county",
        ),
        (
            "区委书记在全区一季度经济工作会议上的讲话\n\n同志们：\n今天，我们召开全区一季度经济工作会议，总结分析一季度经济运行"
            "情况。我们首次把经济工作参会对象扩大到基层社区，就是要集聚全区的智慧和力量。下面，我讲三点意见。\n",
            "county",
        ),
        (
            "镇党委书记在党政干部大会上的讲话\n同志们：今天我们召开党务政务工作会，动员全镇广大党员干部，弘扬奋斗精神。刚才，"
            "各位分管领导对全镇各项工作作了系统全面的部署，我完全赞同。下面，我再强调三点意见。\n",
            "township",
        ),
        (
            "镇政府领导新春致辞\n\n同志们，朋友们，××镇的父老乡亲们：\n一元复始，万象更新！在此，中共××镇委员会、××镇人民政府，"
            "向勤劳智慧的××人民致以新年的祝福！××年，全镇完成国民生产总值××亿元，全镇经济社会持续健康协调发展。\n",
            "township",
        ),
    ],
)
def test_the_office_or_the_counts_fix_the_level_of_an_unnamed_place(raw, level):
    """A 县长's or 镇党委书记's speech whose place is starred out or never named had no admin_level at all (13 of 19
    county and township pages): the level is known though the region is not."""
    out = _page(raw)
    assert out["region"] is None
    assert out["admin_level"] == level


def test_a_city_alone_says_no_level():
    """A 市长 heads a prefecture or a county-level city (钟祥市 is one): with no place known the level stays unknown."""
    out = _page(
        "市长在全市经济工作会议上的讲话\n\n同志们：\n今天召开全市经济工作会议，主要任务是总结全市去年工作，部署今年全市经济"
        "工作。全市上下要坚定信心，真抓实干。下面，我讲三点意见。\n"
    )
    assert out["region"] is None
    assert out["admin_level"] is None


# ------------------------------------------------------------------ greetings


@pytest.mark.parametrize(
    "raw",
    [
        (  # a county paper's new-year letter under its site's breadcrumb and stamp
            "您当前的位置 : 文成新闻网  ->  新闻  ->  政务要闻  -> 正文政务要闻\n\n新春贺信\n\n发布时间:2023年01月21日 "
            "来源:文成新闻网\n\n各位父老乡亲、同志们、朋友们:\n\n  天地春晖近，日月开新年。在这辞旧迎新的美好时刻，我们谨代表"
            "中共青石县委、青石县人民政府，向全县人民致以新年的祝福和诚挚的问候！\n"
        ),
        (
            "八一建军节政府代表慰问信\n\n我区人民解放军、武警部队、预备役部队全体指战员，我区离休、复员军人干部：\n\n值此中国"
            "人民解放军成立周年之际，区委、区政府代表全区人民，向您致以节日的祝福和亲切的慰问！\n"
        ),
        (
            "首页 | 网站地图\n\n第四批援疆干部慰问信  \n\n 2010-01-29      \n\n 中共阿勒泰地委、行署，阿勒泰的各族父老乡亲们：\n\n"
            "你们好！\n\n我们是中央和国家机关第四批阿勒泰地区的援疆干部。在此，我们谨对受灾的各族人民表示最亲切的慰问。\n"
        ),
        (
            "春节致王城乡亲的一封信\n尊敬的各位乡亲：\n“奋斗铺就幸福路，汗水浇出艳阳春”。鼠年到来之际，家乡人民向你们道一声"
            "辛苦啦！\n回首过去，我们豪情满怀！过去的一年，王城镇党委政府认真贯彻落实乡村振兴战略。\n"
        ),
    ],
)
def test_greeting_and_sympathy_letters_are_addresses(raw):
    """新春贺信 was typed 讲话 (its 同志们), a 慰问信 or a festival's 一封信 nothing: read to an audience, they are 致辞."""
    assert _page(raw)["doc_type"] == "致辞"


def test_a_letter_of_another_occasion_is_no_greeting():
    """`致全县人民的一封信` on epidemic rules is an appeal, not a greeting: no type, as before."""
    out = _page(
        "疫情防控致全县人民的一封信\n全县广大人民群众：\n当前疫情防控形势严峻复杂，请大家做好个人防护，非必要不外出。\n"
        "青石县疫情防控指挥部\n"
    )
    assert out["doc_type"] is None


# ------------------------------------------------------------------ ROC calendar dates


def test_a_taiwan_page_stamp_in_the_roc_calendar_is_its_date():
    """`發稿時間:110年1 月1日 11:30` (tnews.cc, tainan.gov.tw) gave no published_on nor year."""
    raw = (
        "發稿單位:新聞及國際關係處 發稿時間:110年1 月1日 11:30 發稿人員:葉冠伶\n"
        "迎接2021年來臨，台南市政府今(1日)晨舉辦「慶祝2021年元旦升旗典禮」，市長黃偉哲親自帶領局處首長出席，"
        "並於典禮後發送台南農特產柳丁，祝福市民新的一年「添丁又發財」。\n"
    )
    out = _page(raw)
    assert out["published_on"] == dt.date(2021, 1, 1)
    assert out["year"] == 2021


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("中華民國112年2月24日", dt.date(2023, 2, 24)),
        ("民國113年1月1日上午", dt.date(2024, 1, 1)),
        ("中华民国7年(1918年)11月28日", dt.date(1918, 11, 28)),  # the Western year in brackets, as before
        ("截至108年6月26日止", None),  # a bare ROC year in prose: no date without a stamp's key
        ("第108年6月", None),
    ],
)
def test_a_date_named_in_the_roc_calendar_is_read_anywhere(line, want):
    found = find_date(line)
    assert (found[0] if found else None) == want


def test_a_bare_roc_year_outside_a_stamp_is_no_page_date():
    """A photo caption's `111年12月8日` and a breadcrumb's `108年` are no page stamp: only a keyed one is."""
    raw = (
        "首頁 > 新聞 > 108年 > 06月\n"
        "苗栗縣長(前左4)任期將屆滿，8日舉行記者會向鄉親報告施政成果。中央社記者攝  111年12月8日\n"
        "苗栗縣長今天舉行記者會向鄉親報告施政成果，預告16日辦理「感恩音樂會」，他期待準縣長能延續重大建設。\n"
    )
    assert _page(raw)["published_on"] is None


# ------------------------------------------------------------------ a month-day whose year the page states elsewhere


def test_a_dateless_lead_takes_the_year_of_the_meeting_it_reports():
    """`3月10日，童市镇隆重召开2016年度党委工作会` on a page with no stamp had no date at all."""
    out = _page(
        "3月10日，童市镇隆重召开2016年度党委工作会，对2015年工作进行总结，对先进单位和优秀个人进行表彰，对2016年工作进行"
        "部署。\n会上，党委书记段曙光发表重要讲话，他说，全镇上下要高度统一思想。\n会议要求，全镇上下2016年要坚定不移抓党建。\n"
    )
    assert out["delivered_on"] == dt.date(2016, 3, 10)
    assert out["year"] == 2016


def test_a_review_meeting_of_a_named_year_dates_nothing():
    """`召开2015年度总结表彰大会` on 2月26日 meets in 2016 or later: the year it names is not the date's."""
    out = _page(
        "2月26日，青石镇召开2015年度总结表彰大会，对先进单位和优秀个人进行表彰。\n会上，党委书记发表重要讲话，他说，全镇"
        "上下要高度统一思想。\n会议要求，全镇上下要坚定不移抓党建。\n"
    )
    assert out["delivered_on"] is None


def test_a_news_mark_lead_is_dated_by_the_url_of_its_page():
    """`本网讯1月10日上午，…团拜会在这里隆重举行` on `/content/2012/01/12/…` (no stamp on the page): 2012-01-10."""
    out = _page(
        "本网讯1月10日上午，青石县平茶镇文化活动中心内春意盎然、热闹非凡，一年一度的平茶镇各界人士迎春团拜会在这里隆重举行。\n"
        "团拜会上，镇长石某同志代表镇党委、政府作了热情洋溢的新春致辞。\n来源：平茶镇政府\n",
        url="https://jingzhouxw.com/content/2012/01/12/7451688.html",
    )
    assert out["delivered_on"] == dt.date(2012, 1, 10)
    assert out["year"] == 2012


# ------------------------------------------------------------------ government press releases


HK_RELEASE = (
    "新聞公報\n \n \n\n 寄給朋友政府主網頁\n\n政務司司長談行政長官請辭\n\n************\n\n"
    "以下為政務司司長今日(三月十日)傍晚在政府總部西座大堂就行政長官請辭會見傳媒的發言全文(中文部分):\n\n"
    "  剛才董先生宣布了他請辭的決定。大家都知道這個決定仍需要中央人民政府的批准，所以董先生仍然是我的上司，是我們的"
    "行政長官，而香港特區政府亦照常運作。\n\n(請同時參閱發言全文的英文部分)\n\n二○○五年三月十日(星期四)\n\n短片\n\n寄給朋友\n"
)


def test_a_press_release_is_dated_by_its_closing_date_line_and_titled_by_its_headline():
    """info.gov.hk: the `新聞公報` banner was the title (doc_type 公报) and the closing `二○○五年三月十日(星期四)` no date."""
    out = _page(HK_RELEASE, url="http://www.info.gov.hk/gia/general/200503/10/03100226.htm")
    assert out["published_on"] == dt.date(2005, 3, 10)
    assert out["title"] != "新闻公报"
    assert out["doc_type"] != "公报"

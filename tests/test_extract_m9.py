"""Dates, levels and greeting types of helper m9's fresh real pages (the search tool's stored pages, scored by hand:
county and township portals, doc-sharing copies, Taiwan and Hong Kong government pages, greeting letters). Places and
names are the pages' own or invented; each test is the class, not the page."""

from __future__ import annotations

import pytest

from tasks import extract as E


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

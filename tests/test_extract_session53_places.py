"""Session 53's fresh real pages (helper h7): places and levels of county pages, county-level cities and pages whose
short place names sit inside other words. Every test failed on the code before its commit."""

from __future__ import annotations

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ a county page under its superiors' words


# jspxxw.cn's commentary (session 53's fresh pages): the county names itself (沛县, 我县); its superiors' words
# (`省市委要求`, `市委书记…在沛调研`) outnumbered its one 全县, the page was a 市 kind and lost its county.
PEIXIAN = (
    "在实现“两个争做”奋斗目标中谱写新的沛县篇章\n"
    "丹桂飘香，金浪滚滚，十月的沛县处处洋溢着丰收的喜悦。在全县上下乘势而上再攀新高的奋斗中，随着2021年我县第二批"
    "城建重点工程的集中开工，我们迎来了中华人民共和国72华诞。\n"
    "今年是中共沛县第十五次代表大会召开之年，也是我县乘势而上再攀新高的起步之年。\n"
    "今年是我县乘势而上再攀新高的一年。省委书记娄勤俭，市委书记庄兆林在沛调研时对我县工作给予充分肯定。认真贯彻落实"
    "省市委要求，牢牢把握年初确定的各项重要任务和主要发展指标。\n"
)


def test_the_province_and_citys_committees_are_no_citys_own_words():
    assert E._kind_hint(None, None, None, PEIXIAN) != "市"
    got = _page(PEIXIAN)
    assert (got["region"], got["admin_level"]) == ("江苏省徐州市沛县", "county")


def test_a_citys_own_words_still_make_it_a_city():
    text = "我市召开全市经济工作会议。市委书记强调，全市上下要认真落实省委和市委要求，我市各县区要对标先进。"
    assert E._kind_hint(None, None, None, text) == "市"

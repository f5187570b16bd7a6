"""Speakers and their offices a careful reader gets right and the extractor did not (session 58's fresh pages,
sixteenth round): an office without the places it names."""

from __future__ import annotations

from tasks.extract import _strip_jurisdiction, extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_county_under_its_province_is_one_place_before_the_office():
    # a visiting delegation's head: `湖北省公安縣縣委書記` kept 公安县 in the office
    assert _strip_jurisdiction("湖北省公安县县委书记、县人大常委会主任") == "县委书记、县人大常委会主任"
    assert _strip_jurisdiction("公安县县委书记") == "县委书记"


def test_each_of_several_offices_loses_its_place():
    assert _strip_jurisdiction("江苏省委常委、南京市委书记") == "省委常委、市委书记"
    assert _strip_jurisdiction("区委副书记、区长") == "区委副书记、区长"
    assert _strip_jurisdiction("县政府党组书记、县长") == "县政府党组书记、县长"


def test_a_visiting_heads_office_in_a_news_lead():
    raw = (
        "近日，湖北省公安县县委书记、县人大常委会主任刘长青率领公安县党政代表团来我县考察。\n"
        "座谈会上，刘长青希望公安县与澧县在旅游产业发展等方面加强合作，携手共进。\n"
        "澧县县委书记邹明表示，两地合作空间广阔。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("刘长青", "县委书记、县人大常委会主任")


def test_a_relative_clause_then_a_place_before_the_office():
    raw = (
        "昨天下午，刚刚上任的江苏省委常委、南京市委书记朱某某出现在南京郊县工作会议上。\n"
        "朱某某表示，刚来南京，将先当学生，尽快熟悉情况。会上，市委副书记某某某首先回顾了郊县的发展情况。\n"
        "在完成各项议程后，朱某某最后讲话。他表示，希望全市各郊县认真落实这次会议精神。\n"
    )
    f = _fields(raw)
    assert f["speaker_title"] == "省委常委、市委书记"

"""News leads and speakers a careful reader gets right and the extractor did not (session 59's fresh pages,
seventeenth round): leads at dusk and a county media centre's mark."""

from __future__ import annotations

import pytest

from tasks.extract import NEWS_MARK_RE, extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_lead_at_dusk_is_a_news_lead():
    # `傍晚` (dusk) after the day: a Shanghai host's item was untyped and had no speaker
    raw = (
        "7月8日傍晚，上海市委书记某某某，市委副书记、市长韩某会见了由郑州市委书记王某某率领的郑州市党政代表团一行。\n"
        "会见前，韩某与郑州市党政代表团进行座谈，向客人们介绍了上海经济社会发展概况。韩某说，上海将加快建设“四个中心”。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("韩某", "市委副书记、市长")
    assert f["region"] == "上海市"


@pytest.mark.parametrize("hour", ["傍晚", "清晨", "凌晨", "早上", "中午"])
def test_every_time_of_day_opens_a_lead(hour):
    assert NEWS_MARK_RE.match(f"7月8日{hour}，市委书记某某某会见了来访客人。")


def test_a_county_media_centres_mark_opens_a_lead():
    raw = (
        "【张店融媒讯】2月14日下午，区委副书记、区长苏某某到湖田街道宣讲党的二十大精神并开展专题调研。\n"
        "苏某某指出，镇街是最基层的政权组织，要展现出新面貌、新状态。\n"
        "记者:某某某\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("苏某某", "区委副书记、区长")


def test_an_evening_alone_needs_its_comma():
    # `晚` alone stays read only before a comma or a clock (`12月31日晚全…` is no lead by itself)
    assert NEWS_MARK_RE.match("12月31日晚，全国政协举行新年茶话会。")
    assert not NEWS_MARK_RE.match("12月31日晚全国政协举行新年茶话会。")


def test_of_officers_listed_together_as_speaking_the_first_is_the_speaker():
    # docs/columns.md: of several the lead names, the first reported speaking; the run before `出席大会并致辞` lists
    # three who all spoke, ranked by the lead (the last of them was taken, the one right before the verb)
    raw = (
        "“万商云集有福之州”2023全球招商大会举行\n"
        "5月17日，“万商云集有福之州”2023全球招商大会举行，共签约项目59个。福建省委常委、福州市委书记林某某，"
        "省委常委、常务副省长郭某某，中国贸促会副会长陈某某出席大会并致辞。\n"
        "林某某在致辞中说，福州正加快建设现代化国际城市。郭某某代表省委省政府对大会召开表示祝贺。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("林某某", "省委常委、市委书记")


def test_a_speaker_in_a_later_sentence_is_no_part_of_the_list_before():
    # `…李四主持会议。县委书记张三出席并讲话`: two sentences, no list: who spoke
    raw = (
        "3月2日，全县经济工作会议召开。县委副书记、县长李某某主持会议。县委书记张某某出席会议并讲话。\n"
        "张某某强调，要坚定信心、真抓实干。\n"
    )
    assert _fields(raw)["speaker_name"] == "张某某"


def test_an_office_loses_the_partys_name_and_each_government_before_its_place():
    from tasks.extract import _strip_jurisdiction

    assert _strip_jurisdiction("中共眉山市委副书记、眉山市人民政府市长") == "市委副书记、市长"
    assert _strip_jurisdiction("中共南京市委书记") == "市委书记"
    # the party's central organs keep their name; a government's party group stays whole
    assert _strip_jurisdiction("中共中央总书记、国家主席") == "中共中央总书记、国家主席"
    assert _strip_jurisdiction("县政府党组书记、县长") == "县政府党组书记、县长"

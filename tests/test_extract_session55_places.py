"""Regions and levels a careful reader gives and the extractor missed (session 55's fresh pages, thirteenth round)."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_ministry_speaking_as_itself_is_national_whatever_city_it_helps():
    raw = (
        "做好定点扶贫开发工作\n——某某某副部长在2006年部扶贫领导小组会上的讲话\n\n同志们:\n"
        "今天我们召开扶贫领导小组会议,总结2005年我部定点扶贫开发工作,部署2006年的扶贫任务。"
        "长期以来,部党组都非常重视扶贫工作,努力做好对洛阳的定点扶贫开发工作,支持洛阳市嵩县、栾川县加快发展。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("全国", "national")


def test_a_county_department_saying_wobu_stays_the_county_s():
    raw = (
        "在全县组织工作会议上的讲话\n\n同志们:\n"
        "今天我们召开全县组织工作会议,总结2005年我部工作,部署今年全县组织工作。全县各级党组织要认真落实县委的部署,"
        "抓好全县基层党建。某某县委组织部将继续加强全县干部队伍建设,县委要求全县上下形成合力。\n"
    )
    f = _fields(raw)
    assert f["admin_level"] == "county"

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


def test_a_county_a_taiwanese_government_site_names_again_and_again_stays_the_page_s():
    raw = (
        "歷任鄉鎮長協會舉辦感恩餐會交流\n\n發布日期:\n記者: 某某某/綜合報導。\n"
        "金門縣歷任鄉鎮長協會成立十周年召開會員大會。\n"
        "金門縣歷任鄉鎮長協會召開第三屆第三次會員大會暨十週年感恩聯誼餐會,邀請歷任鄉鎮長一敘。\n"
        "某某某表示,金門縣歷任鄉鎮長協會今年剛好成立十週年,感謝金湖鎮鎮長某某某作東招待。\n"
    )
    f = _fields(raw, url="https://www.kmdn.gov.tw/1117/1271/1272/331815")
    assert (f["region"], f["admin_level"]) == ("台湾省金门县", "county")


def test_a_central_taiwanese_office_naming_a_city_twice_stays_taiwan_s():
    raw = (
        "總統出席活動致詞\n\n總統今天上午出席於台北市舉行的年會,他致詞表示,政府將持續推動產業升級。\n"
        "總統指出,台北市是重要的城市,感謝各界長期支持國家發展,期盼大家共同努力。\n"
    )
    f = _fields(raw, url="https://www.president.gov.tw/News/1")
    assert f["region"] == "台湾省"


def test_a_district_s_own_news_naming_only_its_district_once_in_full_is_the_district_s():
    raw = (
        "11月23日上午区委书记陈某、区长马某组织召开全区重点项目建设工作推进会\n\n"
        "11月23日上午,区委书记陈某、区长马某组织召开全区重点项目建设工作推进会。常务副区长王某等分管项目县级领导就项目"
        "进展情况进行汇报。马区长先后听取了环湖赛道改造、湛河区智能装备产业园等14个项目的进展情况及存在问题。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("河南省平顶山市湛河区", "county")


def test_a_district_named_once_beside_another_place_is_still_a_comparison():
    raw = (
        "区长在全区重点项目观摩会上的讲话\n\n同志们:\n今天我们组织全区重点项目观摩,全区上下要对标先进,"
        "学习厦门市思明区的经验,比追湛河区的速度,确保全区项目建设再上新台阶。\n"
    )
    assert _fields(raw)["region"] is None

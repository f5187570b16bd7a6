"""Speakers and their offices a careful reader gets right and the extractor did not (session 58's fresh pages,
sixteenth round): an office without the places it names."""

from __future__ import annotations

from tasks.extract import _news_speaker, _strip_jurisdiction, extract_fields
from tasks.extract_text import simplify
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


# ---------------------------------------------------------------- a council's speaker and a paper's byline line


def test_a_councils_speaker_is_its_speaker():
    # docs/columns.md: the office without its place; `高雄市議會議長` is a 议长
    assert _strip_jurisdiction("高雄市议会议长") == "议长"
    assert _strip_jurisdiction("连江县议会副议长") == "副议长"
    assert _strip_jurisdiction("台中市议会议员") == "台中市议会议员"  # no head's office: left as it is


def test_a_byline_line_ending_in_a_full_stop_marks_a_report():
    # kmdn.gov.tw writes `記者: 某某某/綜合報導。` on its own line: an association's news with no dated lead was untyped
    raw = (
        "歷任鄉鎮長協會舉辦感恩餐會交流\n"
        "發布日期:\n"
        "記者: 詹宗明/綜合報導。\n"
        "點閱率:821\n"
        "金門縣歷任鄉鎮長協會召開第三屆第三次會員大會暨十週年感恩聯誼餐會,邀請歷任鄉鎮長一敘。協會理事長蔡西山、"
        "民政處副處長許一明等貴賓共聚一堂。\n"
        "蔡西山表示,協會今年剛好成立十週年,感謝金湖鎮鎮長作東招待,讓協會活動得以盡興。\n"
        "受邀與會的聯合促進會會長洪某表示,鄉鎮長要成立一個協會不簡單。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("蔡西山", "理事长")


def test_a_council_speaker_listed_first_is_no_office_of_the_next():
    # `議長陳某某、副議長曹某某一行`: the run read 曹某某 with `…议长陈某某、副议长` for his office
    raw = (
        "連江聯運代表團抵府會拜會\n"
        "記者: 翁碧明/綜合報導。\n"
        "連江縣議會議長陳貴明、副議長曹以文一行、連江縣政府副縣長陳敬文等貴賓,昨率團隊抵金門參加離島運動會。"
        "同時抵金門縣政府、金門縣議會拜會,所到之處受到熱忱歡迎。\n"
        " 李沃明縣長指出,金門、馬祖是「兄弟縣」,對馬祖、澎湖前來參與離島運動會,表達熱忱歡迎。\n"
        "陳貴明提議金門、馬祖每年共推出一款紀念酒,行銷兩岸。\n"
        "王再明議長指出,金馬同為離島,面臨許多相同的困境,希望離島諸縣聯合向中央爭取更多的資源。\n"
    )
    f = _fields(raw)
    assert f["speaker_name"] != "曹以文"
    assert "、" not in (f["speaker_title"] or "")
    # the lead alone: its first officer, the council's speaker
    lead = raw.split("\n")[2]
    assert _news_speaker(simplify(lead)) == ("陈贵明", "议长")


def test_who_attended_and_spoke_over_the_chair():
    # docs/columns.md: of several the lead names, the first reported speaking, else who presided
    raw = (
        "某某工程设计协会会长会议在上海召开\n"
        "2016年12月2日，某某工程设计协会在上海召开会长会议。来自全国各省市的15位副会长出席会议。"
        "会议由会长金明主持，名誉会长韩立明参会并讲话。\n"
        "大会充分肯定了本届协会的成绩。协会第五届任期即将届满，会议讨论并推荐了下一届协会领导班子候选人。\n"
        "名誉会长韩立明在总结发言中指出，协会在会员单位的共同努力下取得了较好成绩。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("韩立明", "名誉会长")

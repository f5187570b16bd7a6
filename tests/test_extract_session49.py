"""Session 49's fresh real pages (helper n5): types and levels of news about meetings, township and street-office
(街道) pages, letters carried in full. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ news about a congress's opening

CONGRESS_OPENING = (
    "发布时间:2008-03-06 08:39:18 访问次数: 信息来源:桃源县政府网\n"
    "在全县人民的热切期盼下，桃源县第十五届人民代表大会第二次会议在县剧院隆重开幕，300多名人大代表汇聚一堂。\n"
    "下午3:00点，大会执行主席魏岳林宣布大会开幕。{clause}\n"
    "龚德汉在报告中对2007年的政府工作进行了回顾和总结。2007年，县人民政府在县委的正确领导和县人大的监督下，"
    "坚持科学发展观，各项工作取得了明显成效。\n"
    "会议动员全县上下以建设工业大县、旅游名县、生态美县为目标，实现经济社会又好又快发展。\n"
)


@pytest.mark.parametrize(
    "clause",
    [
        "县人民政府县长龚德汉向大会作政府工作报告。",
        "县委副书记、县长龚德汉代表县人民政府向大会作了政府工作报告。",
        "县长龚德汉向大会做《政府工作报告》。",
    ],
)
def test_news_telling_who_delivered_the_work_report_is_no_work_report(clause):
    out = _page(CONGRESS_OPENING.format(clause=clause))
    assert out["doc_type"] != "政府工作报告"


def test_the_report_opening_itself_stays_a_work_report():
    raw = "各位代表：\n现在，我代表县人民政府向大会作政府工作报告，请予审议，并请县政协委员提出意见。\n" + (
        "一、2007年工作回顾。过去一年，县人民政府在县委的正确领导下，各项工作取得了明显成效。\n" * 5
    )
    assert _page(raw)["doc_type"] == "政府工作报告"


# ------------------------------------------------------------------ township and street-office news leads


@pytest.mark.parametrize(
    "lead",
    [
        # the organ holding the meeting is the lead's subject; nobody is quoted as `某某指出，`
        "12月29日下午，茶地镇及时召开学习贯彻县“两会”精神会议，该镇镇、村干部60余人参加了会议。",
        "2月20日上午，春江街道召开了2010年开年工作会议，街道全体机关干部参加。会上，街道党工委书记杨国正代表"
        "街道党工委向全体机关干部拜年，祝大家在虎年生活和谐、身体健康。",
        "7月27日上午，东湖街道召开第一届民主议政会第二次会议，全体议政会成员参加了会议。",
    ],
)
def test_a_lead_with_an_organ_holding_a_meeting_is_news(lead):
    raw = (
        f"{lead}\n"
        "会上，该镇党委书记传达了会议精神，对下一步工作进行了安排部署。各村要抓好落实，确保各项工作任务圆满完成。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"


def test_a_speech_opening_on_the_day_is_no_news():
    raw = (
        "1月5日，我们在这里召开全镇经济工作会议，主要任务是总结去年工作，部署今年任务。\n"
        "同志们，过去一年，全镇上下团结一心，各项工作取得了新成效。今年我们要继续抓好项目建设。\n"
    )
    assert _page(raw)["doc_type"] != "新闻报道"


def test_a_clause_reporting_after_bing_counts_as_reported():
    # `…传达了…精神，并指出，`: the subject is left out after 并
    raw = (
        "12月29日下午，全镇干部大会在镇政府礼堂举行，镇村干部60余人参加。\n"
        "会上，该镇党委书记传达了县“两会”精神，并指出，全镇干部群众要深入学习宣传贯彻县“两会”精神。\n"
    )
    assert _page(raw)["doc_type"] == "新闻报道"

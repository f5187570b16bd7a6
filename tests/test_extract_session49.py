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


# ------------------------------------------------------------------ a speech studied names no speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "要坚持以全国“两会”精神特别是习近平总书记系列重要讲话精神为引领，狠抓干部作风。",
        "全镇干部特别是要认真学习领会县委书记傅藏荣在“两会”上的重要讲话精神。",
    ],
)
def test_a_studied_speech_does_not_make_a_township_item_national(sentence):
    raw = (
        "3月26日上午，白集镇在政府礼堂召开专题会，传达学习全国“两会”精神，对抓好贯彻落实进行具体部署。"
        "镇村全体干部210余人参加会议，会议由镇党委书记于海涛主持。\n"
        f"会议强调，全镇各级党组织和广大党员干部要迅速掀起学习热潮；{sentence}\n"
        "会议要求，全镇上下要确保两会精神落地生根。\n"
    )
    out = _page(raw)
    assert out["admin_level"] == "township"
    assert out["speaker_name"] == "于海涛" and out["speaker_title"] == "镇党委书记"


# ------------------------------------------------------------------ street offices (街道) are township-level


@pytest.mark.parametrize(
    "office",
    ["街道党工委书记", "街党工委书记", "街道办事处主任"],
)
def test_a_street_office_gives_the_township_level(office):
    raw = (
        "春江街道召开开年工作会议\n"
        f"2月20日上午，春江街道召开了开年工作会议，街道全体机关干部参加。会上，{office}杨国正强调了近段时间要做好的三件事，"
        "一是抓紧理思绪、明重点、定目标；二是下村企拜年；三是加快项目建设速度。\n"
    )
    assert _page(raw)["admin_level"] == "township"


def test_street_office_words_count_as_a_townships():
    raw = (
        "为全面总结街道基层组织建设工作，经街道党工委研究，1月12日下午建设街道办事处召开了社区党委书记抓基层党建工作"
        "专项述职会议。\n会上，六位社区书记进行了述职，随后，街道党工委书记翟忠满同志进行了点评。\n"
    )
    assert _page(raw)["admin_level"] == "township"


# ------------------------------------------------------------------ 代县长: acting, not 代县


@pytest.mark.parametrize("office", ["代县长", "代区长"])
def test_an_acting_head_is_no_place(office):
    raw = (
        f"县委副书记、{office}叶青参加人大第一代表团审议\n"
        f"3月17日下午，县委副书记、{office}叶青以普通代表的身份来到人大第一代表团，与代表们共同审议《政府工作报告》。"
        "在审议和讨论中，叶青强调，要团结奋进，抢抓机遇。\n"
    )
    out = _page(raw)
    assert out["region"] != "山西省忻州市代县" and "代县" not in out["region_mentions"]


def test_the_county_daixian_is_still_read():
    raw = "代县县长在全县经济工作会议上的讲话\n同志们：今天召开全县经济工作会议，主要任务是总结去年工作。代县县委、县政府高度重视。\n"
    assert _page(raw)["region"] == "山西省忻州市代县"


# ------------------------------------------------------------------ a letter carried in full; a site after a space


@pytest.mark.parametrize("word", ["贺信", "慰问信"])
def test_a_news_page_carrying_a_letter_in_full_is_an_address(word):
    raw = (
        "苏州市委、苏州市人民政府祝贺人大七十周年校庆\n"
        f"10月10日，中共苏州市委、苏州市人民政府向我校发来{word}。\n"
        f"{word}全文如下：\n中国人民大学：\n"
        "欣逢贵校七十周年华诞，中共苏州市委、苏州市人民政府谨向贵校师生员工和各界校友致以热烈的祝贺和美好的祝福！\n"
        "衷心祝愿贵校以此次华诞为新的起点，继往开来，再铸华章！\n中共苏州市委员会\n苏州市人民政府\n2007年10月10日\n"
    )
    assert _page(raw)["doc_type"] == "致辞"


@pytest.mark.parametrize(("site", "kind"), [("中华文库", "决定"), ("百度文库", "决议")])
def test_a_site_name_after_a_space_is_no_part_of_the_title(site, kind):
    title = "全国人民代表大会常务委员会关于第二届全国人民代表大会第一次会议召开时间的" + kind
    raw = (
        f"{title} {site}\n"
        "（1958年6月29日全国人民代表大会常务委员会第九十八次会议通过）\n"
        "为了适应目前全国工农业生产大跃进的情况，为了便于及时制定国民经济计划和国家预算，"
        "决定第二届全国人民代表大会第一次会议在一九五九年一月召开。\n" * 2
    )
    out = _page(raw)
    assert out["title"] == title and out["doc_type"] == kind


# ------------------------------------------------------------------ an office cut to its last word in the title


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("某街道办事处主任在街道环境整治工作部署会上的讲话", "township"),
        ("XX街道党工委副书记、办事处主任在街道安全生产工作会议上的讲话", "township"),
    ],
)
def test_a_title_office_cut_to_its_last_word_keeps_its_organ(title, level):
    raw = (
        f"{title}\n各位领导、同志们：\n"
        "今天，我们在这里召开环境整治工作会，主要任务就是贯彻落实区领导工作指示精神，切实提升城市管理水平。\n"
        "下面，就做好此次环境整治工作，我讲几点意见。\n"
    )
    assert _page(raw)["admin_level"] == level


# ------------------------------------------------------------------ a headline hearing a report


@pytest.mark.parametrize(
    "title",
    ["会议通过主要议程并开始听取关于第一个五年计划的报告", "市人大常委会听取市政府关于城市管理工作情况的报告"],
)
def test_a_headline_hearing_a_report_is_news(title):
    raw = (
        f"{title}\n"
        "中华人民共和国第一届全国人民代表大会第二次会议五日下午三时在北京中南海怀仁堂开幕。刘少奇委员长宣布会议开幕。\n"
        "接着，会议一致选出了由七十九人组成的本次会议的主席团和秘书长。\n"
    )
    assert _page(raw)["doc_type"] == "新闻报道"


def test_a_committees_report_on_its_review_stays_a_report():
    raw = (
        "全国人民代表大会法律委员会关于中华人民共和国物权法草案审议结果的报告\n"
        "全国人民代表大会：\n本次会议审议了物权法草案。法律委员会根据代表的审议意见，对草案进行了审议，现将审议结果报告如下。\n"
    )
    assert _page(raw)["doc_type"] == "报告"

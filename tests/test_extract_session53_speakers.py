"""Speakers and offices a careful reader finds and the extractor missed (session 53's fresh pages, eleventh round).

The texts are written for the tests in the shapes the pages had; names and places are made up.
"""

from __future__ import annotations

import pytest

from tasks.extract import _self_named_office, _strip_jurisdiction, _title_speaker, extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ---------------------------------------------------------------- offices: a double office, HK departments, terms


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("党组书记、主任在领导干部大会上的讲话(离任讲话)", "党组书记、主任"),  # a department head's farewell
        ("局党组书记、局长在全局工作会议上的讲话", "局党组书记、局长"),
        ("镇党委书记、镇长在全镇三级干部大会上的讲话", "镇党委书记、镇长"),
        ("区委副书记、区长在全区经济工作会议上的讲话", "区委副书记、区长"),  # was cut to 区长 too
    ],
)
def test_a_title_led_by_a_double_office_keeps_both(title, office):
    assert _title_speaker(title)[:2] == (None, office)


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("政务司副司长出席某某同乡会新春团拜致辞", "政务司副司长"),
        ("财政司司长出席某某商会周年晚宴致辞", "财政司司长"),
        ("律政司司长在某某法律论坛上的致辞", "律政司司长"),
    ],
)
def test_a_hong_kong_secretary_keeps_the_department(title, office):
    assert _title_speaker(title)[1] == office


@pytest.mark.parametrize(
    ("office", "bare"),
    [
        ("十二届全国人大常委会委员长", "全国人大常委会委员长"),
        ("第九届市政协主席", "市政协主席"),
        ("市委书记", "市委书记"),  # no term: unchanged
    ],
)
def test_a_term_before_an_office_is_no_part_of_it(office, bare):
    assert _strip_jurisdiction(office) == bare


# ---------------------------------------------------------------- the speaker's own office, in the first person


@pytest.mark.parametrize(
    ("opening", "office"),
    [
        ("各位代表、同志们：\n今天，大会选举我担任云溪市人民政府市长，我深感责任重大、使命光荣。", "市长"),
        ("主任、各位副主任、秘书长、各位委员：\n本次市人大常委会会议决定我为北塘市人民政府代理市长。", "代理市长"),
        ("非常感谢大家对我的信任，选举我担任青河市新一任市长。我在倍感光荣的同时，更感到责任重大。", "市长"),
        ("各位代表：\n这次大会选举我继续担任中华人民共和国主席，我对各位代表的信任，表示衷心感谢！", "国家主席"),
        ("同志们：\n县委决定由我担任县委书记一职，我坚决拥护，坚决服从。", "县委书记"),
    ],
)
def test_an_inaugural_speech_names_its_office_in_the_first_person(opening, office):
    f = _fields(opening + "\n" + SPEECH)
    assert f["speaker_title"] == office
    assert f["speaker_name"] is None  # nobody is named: the office alone


@pytest.mark.parametrize(
    "text",
    [
        "大会选举我们为代表，我们要履行职责。",  # 我们: the delegates, no one's office
        "同志们：\n今天的会议很重要。" + "我县经济发展较快。" * 60 + "大会选举我担任县长。",  # past the opening
    ],
)
def test_no_first_person_office_outside_an_opening_election(text):
    assert _self_named_office(text) is None


# ---------------------------------------------------------------- news: the deck, the headline's actor, a TV mark


def test_a_news_deck_names_the_speaker_over_a_leader_the_remarks_quote():
    raw = (
        "某某特区举行成立20周年庆祝酒会 孙立平致辞\n"
        "12月20日下午，某某特别行政区成立20周年庆祝酒会在会展中心隆重举行。\n"
        "当天上午宣誓就任第五任行政长官的孙立平在酒会致辞中说，在上午的就职典礼上，国家主席习近平发表了重要讲话，"
        "对特区今后的发展作出了明确的指示。特区政府将带头认真学习领会。\n"
        "孙立平表示，特区回归以来，经济整体实力明显增强，居民收入持续增加，各项社会事业分别取得进步。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("孙立平", "行政长官")


def test_a_headline_names_its_actor_by_office_and_name():
    # the wire mark was cut as a source line, so the page is untyped: the headline still names who presided and spoke
    raw = (
        "宁波代市长周海明首次主持市政府常务会议\n"
        "人民网宁波1月7日电 记者李某报道：1月7日上午，宁波市政府召开第60次常务会议，代市长周海明第一次主持，"
        "讲了6分钟的开场白。\n周海明说，根据工作需要，组织决定我到宁波工作。我将努力工作，不辜负信任和期望。\n"
        "会议讨论修改了提交市人代会的政府工作报告（讨论稿），近30个部门负责人讲了修改建议。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("周海明", "代市长")


def test_a_tv_channels_report_mark_makes_the_item_news():
    raw = (
        "某某新闻综合频道1月13日报道:市政协十届二次会议今天上午举行大会发言。委员们畅所欲言，为全市发展建言献策。\n"
        "大会秘书处共收到发言稿57份。发言中，许多委员对加快发展、改善民生提出了具体的建议。在认真听取了13位委员的发言后，"
        "市委副书记赵文涛说，政协委员在发言中不仅提问题，还提出解决问题的思路，市委、市政府将积极采纳。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("赵文涛", "市委副书记")


# ---------------------------------------------------------------- news: the participant whose words the item reports


def test_a_listed_leader_who_speaks_beats_a_silent_officer_named_after_the_list():
    raw = (
        "市领导看望人大代表\n"
        "本报讯（记者 某某）3月19日，市领导孙立平、钱国栋、周海明，市人大常委会秘书长吴德胜到各代表团驻地，"
        "看望出席市十七届人大一次会议的代表。\n"
        "孙立平、钱国栋等领导与代表们亲切握手。孙立平指出，这次会议是在全市加快发展的关键时期召开的一次重要会议。"
        "希望大家认真履行职责，审议好各项报告。\n代表们表示，一定牢记人民嘱托，圆满完成大会各项任务。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("孙立平", None)  # `市领导` is no office


def test_a_listed_leader_who_speaks_when_no_officer_is_named():
    raw = (
        "10月17日，我县召开2020年度县政府工作报告重点工作专题调度会议。县领导钱国栋、孙立平、周海明参加会议。\n"
        "钱国栋要求，各级各部门要对照年初目标任务，把问题找准，把措施理清，把责任压实，推动各项重点工作争先进位。"
        "要聚焦重点，靶向发力，确保全年圆满收官。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("钱国栋", None)


def test_a_guest_named_first_by_office_yields_to_the_official_whose_words_are_reported():
    raw = (
        "台灣新聞網記者某某/台中報導\n"
        "北區公所於今天舉行新春團拜,市長孫立平與公所同仁及現場民眾互道新年恭禧,並表示一定會更努力。"
        "現場鑼鼓喧天、年味十足,民政局長錢國棟、北區區長周海明等人也都共襄盛舉。"
        "孫立平表示,多年來與區公所同仁相處,真的像一家人般,未來一定要更努力,將城市建設得更好。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("孙立平", "市长")


def test_a_dated_lead_and_an_officer_named_before_the_office_make_a_news_item():
    raw = (
        "3月5日下午，我市召开全市春季农业生产工作视频会议，市委副书记钱国栋、市政府副市长周海明和市直有关部门领导"
        "在主会场，各乡镇主官在分会场参会。会上，周海明副市长安排部署了春耕生产和农村人居环境整治等工作。\n"
        "钱国栋副书记强调要全面领会，准确把握当前形势；精准发力，全面聚焦“三农”重点工作；担当作为，确保各项工作"
        "落实到位，不断开创全市农业农村工作新局面。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("钱国栋", "市委副书记")


def test_a_speech_quoting_a_leader_before_the_office_stays_a_speech():
    raw = (
        "在全市春季农业生产工作会议上的讲话\n同志们：\n今天召开全市春季农业生产工作会议，主要任务是部署春耕生产。"
        "习近平总书记强调要把粮食生产抓紧抓好。下面，我讲三点意见。\n" + SPEECH
    )
    f = _fields(raw)
    assert f["doc_type"] == "讲话" and f["speaker_name"] is None

"""Speakers and offices a careful reader finds and the extractor missed (session 52's fresh pages)."""

from __future__ import annotations

import pytest

from tasks.extract import _title_speaker, extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ---------------------------------------------------------------- a company's or a school's head, name first


def test_a_company_news_item_names_its_chairman_before_the_office():
    # netyos.net's Traditional page: the chairman who closed the meeting, named before 董事長, after a supervisor who only
    # attended and a general manager who summed up
    raw = (
        "發布時間:2018/1/3 13:22:31 瀏覽量:\n"
        "12月25日,集團公司2018年工作務虛會在吉華大廈5樓會議室勝利召開。集團公司領導班子,集團各部室負責人參加會議。"
        "國資委駐集團監事會主席程文軍、監事趙衍霞應邀出席會議。\n"
        "本次會議為期一天。會上,集團各部室分別匯報了本單位2017年度工作總結;李磊總經理結合大家的發言對整個集團的工作"
        "進行了總結。會議最後,史同偉董事長作總結講話。在講話中,史同偉董事長從兩個方面作了重要講話。講話緊扣問題導向,"
        "對集團公司2017年的工作進行了總結,並對2018年的工作進行了安排部署,具有很強的指導意義。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("史同伟", "董事长")


@pytest.mark.parametrize(
    ("title", "name", "office"),
    [
        ("翟美卿总裁2023年新春致辞", "翟美卿", "总裁"),  # hkfinance.com.cn's title
        ("窦桂梅校长新学期开学致辞", "窦桂梅", "校长"),  # a Traditional copy's title, simplified
        ("张晓明董事长在集团年度工作会议上的讲话", "张晓明", "董事长"),
    ],
)
def test_a_title_names_the_speaker_before_the_office_and_the_occasion(title, name, office):
    assert _title_speaker(title)[:2] == (name, office)


@pytest.mark.parametrize("title", ["习近平总书记系列重要讲话", "习近平总书记重要讲话", "李强总理讲话学习心得体会"])
def test_a_studied_speech_after_a_name_and_an_office_names_no_speaker(title):
    # the speech is the page's subject, not its text (the reason _office_lead refused a name before the office)
    assert _title_speaker(title)[0] is None


def test_a_company_head_signs_a_greeting_with_the_office():
    raw = (
        "岁序更替,华章日新。爆竹声声中,我们将翻开兔年的新篇章。在这普天同庆之时,我谨代表香江集团向全体员工致以春节最"
        "亲切的问候和最诚挚的祝福!过去一年,香江集团保持战略清醒和定力,全体员工同心协力、迎难而上,推进企业的高质量"
        "可持续发展。新的一年孕育新的希望,我们将踔厉奋发,勇毅前行。\n最后,祝大家兔年大吉,阖家幸福,事事如意!\n"
        "香江集团总裁 翟美卿\n2023年1月21日\n"
    )
    f = _fields(raw)
    assert f["speaker_name"] == "翟美卿"
    assert f["speaker_title"] in ("总裁", "香江集团总裁")


@pytest.mark.parametrize("lead", ["集团董事长", "公司总经理", "该校校长", "全校校长", "分行行长"])
def test_a_firms_or_schools_word_before_the_office_is_no_name(lead):
    from tasks.extract import _name_before_office

    assert _name_before_office(lead) is None


# ---------------------------------------------------------------- redacted names, office kept


@pytest.mark.parametrize("redacted", ["XXX", "×××", "某某", "xxx"])
def test_a_byline_whose_name_is_redacted_keeps_the_office(redacted):
    f = _fields(f"在全县经济工作会议上的讲话\n县委书记 {redacted}\n{SPEECH}")
    assert f["speaker_name"] is None
    assert f["speaker_title"] == "县委书记"
    assert f["flags"].get("anonymized_speaker") == 1


def test_a_title_whose_name_is_redacted_keeps_the_office():
    assert _title_speaker("某某校长毕业典礼致辞") == (None, "校长", True)
    f = _fields(f"在全县经济工作会议上的讲话\n县委书记 张晓明\n{SPEECH}")
    assert (f["speaker_name"], f["speaker_title"]) == ("张晓明", "县委书记")  # a real name is still read


# ---------------------------------------------------------------- the occasion before the office


@pytest.mark.parametrize(
    ("title", "office"),
    [("开学典礼校长讲话", "校长"), ("2023年春节团拜会书记致辞", "书记"), ("教师节校长讲话", "校长")],
)
def test_a_title_naming_the_occasion_then_the_office_gives_the_office(title, office):
    assert _title_speaker(title) == (None, office, False)


@pytest.mark.parametrize("title", ["优秀党员代表发言", "学生代表发言"])
def test_no_event_before_the_office_gives_nothing_here(title):
    assert _title_speaker(title)[1] is None


# ---------------------------------------------------------------- a headline is no byline


def test_a_news_headline_ending_on_an_office_word_is_no_byline():
    # today.line.me's Taiwanese page: the headline's last word is 縣長, and the whole line was the speaker_title
    raw = (
        "國內\n\n第19屆南投縣長就職 許淑華成為首位南投女縣長\n\n觀傳媒\n\n"
        "(觀傳媒南投新聞)【記者石振賢/南投報導】南投縣第19屆縣長宣誓就職及交接活動25日在文化局演藝廳舉行。在行政院主計"
        "總處主計長朱澤民監交下,新任縣長許淑華正式走馬上任,成為南投縣首位女性縣長。就職現場,坐無虛席,文化局內的演藝廳"
        "藝文表演接力登場,氣氛隆重中有歡樂。\n"
    )
    f = _fields(raw)
    assert f["speaker_title"] is None or len(f["speaker_title"]) <= 8
    # a real byline under a title is still read
    f = _fields(f"在全县经济工作会议上的讲话\n县委副书记、县长 张晓明\n{SPEECH}")
    assert (f["speaker_name"], f["speaker_title"]) == ("张晓明", "县委副书记、县长")


# ---------------------------------------------------------------- a surname and the office, nobody named in full


@pytest.mark.parametrize(("title", "office"), [("刘书记春节团拜会讲话", "书记"), ("张县长调研时的讲话", "县长")])
def test_a_surname_before_the_office_without_zai_keeps_the_office_and_names_nobody(title, office):
    # as `王书记在…` already did: the office is kept, the surname is no name (brief of session 52)
    f = _fields(f"{title}\n{SPEECH}")
    assert (f["speaker_name"], f["speaker_title"]) == (None, office)


def test_all_before_a_city_head_is_no_surname():
    assert _title_speaker("全市长远发展规划会议讲话")[1] is None  # `全市` + `长远`, not 全 + 市长

"""Doc types and dates, twelfth round (session 54's fresh pages): host scripts, greeted openings, issuing notices,
dash datelines without 日, titles opening on a bare year, news leads (an outlet's 消息 mark, a quote or scene first,
a purpose before 近日, the organ before its day, the event held) and the news of a press conference."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract
from tasks.extract import extract_fields
from tasks.normalize import normalize_text
from tasks.vocab import SALUTATION_WORDS

SPEECH_BODY = (
    "在这辞旧迎新的美好时刻，我们迎来了中国最重要的传统节日——春节。今天，我们齐聚一堂，共同见证一场充满欢乐的盛宴。\n"
    "接下来，让我们一起走进今晚的第一个节目，感受那份属于春节的独特气息。请欣赏……（节目名称）。\n"
    "愿今晚的欢笑与感动，陪伴大家度过一个温馨、快乐的新春佳节！谢谢大家！\n"
)
REPORTED = "会上，校长张某指出，要坚定信心、真抓实干。张某强调，各单位要狠抓落实，确保完成全年目标任务。\n"


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_extract_reads_vocabs_salutation_words():
    # one list: 同学们, 老师们 and 各位 alone are vocab's words, and extract's salutation anchor reads them
    assert f"(?:{SALUTATION_WORDS})" == extract.SALUTATION_WORDS
    segs, _ = extract.header_segments("【春节联欢晚会串词】各位观众朋友们，大家好！\n" + SPEECH_BODY)
    assert segs[:2] == ["【春节联欢晚会串词】", "各位观众朋友们，大家好！"]


@pytest.mark.parametrize(
    "raw",
    [
        "【春节联欢晚会串词】各位观众朋友们，大家好！\n" + SPEECH_BODY,
        "春节联欢晚会串联词\n各位观众朋友们，大家好！\n" + SPEECH_BODY,
        "文化馆春节联欢会主持词\n尊敬的各位领导、各位同仁：下午好！\n" + SPEECH_BODY,
    ],
)
def test_a_galas_host_script_is_a_chairing_script(raw):
    f = _fields(raw)
    assert f["doc_type"] == "主持词"
    assert "串" in f["title"] or "主持词" in f["title"]


def test_a_salutation_run_into_its_greeting_types_an_untitled_speech():
    raw = (
        "各位老师同学大家好，今天我演讲的题目是《我的梦，中国梦》。\n时光如梭，总是转着向前。我回到那个振奋人心的年代。\n"
        "这是中国的脊梁，这是誓与中国共存亡的梦想之花。\n"
    )
    assert _fields(raw)["doc_type"] == "讲话"
    assert _fields(raw.replace("各位老师同学", "各位来宾、女士们、先生们"))["doc_type"] == "致辞"
    # a text that opens on no salutation is typed by nothing here
    assert _fields(raw.replace("各位老师同学大家好，", ""))["doc_type"] is None


def test_an_untitled_notice_issuing_a_document_is_a_notice():
    raw = (
        "文号 | 鹿山政〔2020〕72号 |\n各科室，各站所，各村：为提高政府保障公共安全和处置突发公共事件的能力，经研究，制定《山福镇"
        "突发公共事件总体应急预案（修订）》，现印发给你们，请根据本预案的要求制定切实可行的专项应急预案。\n"
        "附件：山福镇突发公共事件总体应急预案（修订）\n"
    )
    assert _fields(raw)["doc_type"] == "通知"
    # a speech that mentions a notice issued is none
    speech = "同志们：\n今天，我们召开全县安全生产会议。县政府印发了《实施方案》，请大家认真贯彻落实。\n"
    assert _fields(speech)["doc_type"] == "讲话"


def test_a_dash_dateline_whose_day_lost_its_ri_dates_the_report():
    raw = (
        "2013年县政府工作报告\n——2013年12月25在沙县第十六届人民代表大会第三次会议上\n沙县人民政府代县长 林某某\n"
        "各位代表：\n现在，我代表县人民政府向大会报告政府工作，请予审议。\n"
    )
    f = _fields(raw)
    assert f["delivered_on"] == dt.date(2013, 12, 25)
    assert f["doc_type"] == "政府工作报告"
    # without the dash it is no dateline
    assert _fields(raw.replace("——2013", "2013"))["delivered_on"] is None


@pytest.mark.parametrize(
    ("title", "year"),
    [("2023开学典礼校长讲话致辞", 2023), ("2021春节团拜会上的讲话", 2021), ("2000亿元项目推进会上的讲话", None)],
)
def test_a_title_opening_on_its_bare_year_gives_the_year(title, year):
    raw = f"{title}\n尊敬的各位老师、亲爱的同学们：\n大家好！今天我们在这里隆重集会，迎接新学期的到来。\n谢谢大家！\n"
    assert _fields(raw)["year"] == year


@pytest.mark.parametrize(
    ("raw", "url", "day"),
    [
        # an outlet's 消息 mark under a photo caption, dated by the url
        (
            "人力资源社会保障部副部长、党组成员游某\n央视网消息：2月24日，国务院新闻办公室举行统筹疫情防控和经济社会发展工作"
            "发布会。\n会上，有记者提问疫情对就业有何影响？对此，游某回应称，当前我国就业形势总体是稳定的。游某表示，主要的就业"
            "指标也运行在合理区间。\n",
            "https://example.com/domestic/20200224/37833175.html",
            dt.date(2020, 2, 24),
        ),
        # a quote first, then the day
        (
            "“我自任职以来，一直努力工作，恪尽职守，为村民办实事，也取得了一些成绩。”5月13日，在莘畈乡举行的届末考察动员会暨"
            "领导班子和成员述职会上，所有班子成员都对自己五年来的工作进行了总结。\n考察组组长姜某作了动员讲话，就考察的要求作了"
            "详细说明。\n",
            "http://example.com/wcnews/system/2016/05/25/020457661.shtml",
            dt.date(2016, 5, 13),
        ),
        # scene-setting clauses, then the day
        (
            "金秋送爽，丹桂飘香，9月4日，某某中学迎来了2024-2025学年第一学期的开学典礼。九年级全体师生齐聚学校报告厅。\n"
            "国歌声后，蒋某校长发表了题为《做更好的自己》的精彩致辞。蒋校长强调，要做更好的自己。\n",
            None,
            None,
        ),
        # the purpose, then 近日
        (
            "为深入学习贯彻党的二十大精神，推动基层党建工作高质量发展，近日，我院在人文楼520会议室召开支部书记述职评议考核大会。"
            "会议由院党委副书记涂某主持。\n会上，各支部书记汇报了抓基层党建工作情况，党委书记张某提出四点要求：一是担好主责。\n",
            None,
            None,
        ),
        # the organ before its day alone
        (
            "中共中央、国务院8日上午在人民大会堂举行2024年春节团拜会。中共中央总书记、国家主席习近平发表讲话，向全国各族人民"
            "拜年。\n习近平强调，只要我们坚持道不变、志不改，就一定能够战胜各种艰难险阻。\n",
            None,
            None,
        ),
        # the event held is the lead's news, whoever spoke
        (
            "4月12日上午9点，由共青团延川县委主办的“我的梦中国梦”演讲比赛，在延川县法院大会议室隆重举办。参加本次比赛的选手"
            "共有29人。\n选手们紧紧围绕“中国梦”这一主题展开，展现了当代青年的风采。\n",
            None,
            None,
        ),
    ],
)
def test_news_leads_of_this_round_are_typed_and_dated(raw, url, day):
    f = _fields(raw, url)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == day


def test_a_speech_opening_on_scenery_and_its_day_stays_a_speech():
    raw = (
        "金秋送爽，丹桂飘香，9月1日，我们迎来了新学年的开学典礼。首先，我代表学校向同学们表示热烈的欢迎！\n"
        "希望同学们珍惜时光，努力学习。同学们要树立远大理想，养成良好习惯。\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"


def test_the_year_in_the_events_name_dates_a_dateless_lead():
    raw = (
        "时光恰好，金秋相见。9月1日，重庆南开中学2023年秋季开学典礼隆重举行。学校领导与全体师生出席。\n"
        "肖某校长以“人生以服务为目的”为题发表致辞，勉励学子心存此念。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2023, 9, 1)
    # a review meeting held the year after the one it names is not dated by it
    review = raw.replace("2023年秋季开学典礼", "2023年度总结表彰大会")
    assert _fields(review)["delivered_on"] is None


def test_a_wires_news_of_a_press_conference_is_no_transcript():
    news = (
        "人民网北京2月29日电(孙某) 今天上午，国新办在京举行新闻发布会，会上人力资源社会保障部部长尹某介绍了就业和社会保障"
        "有关情况。尹某表示，就业形势的好坏不仅仅反映在就业数据上。\n尹某指出，就业是民生之本，关系到千家万户的生活。\n"
    )
    assert _fields(news)["doc_type"] == "新闻报道"
    # the transcript: a reporter's turn (a byte of the outlet lost) and the official's answer under a dated lead
    transcript = (
        "新华网北京10月22日电 十九大新闻中心10月22日上午十点举办记者招待会，邀请相关负责人介绍保障改善民生有关情况，"
        "并回答记者提问。\n中国日\ufffd和中国日\ufffd网记者：\n我的问题是提给尹某部长的。请问我们是怎么做到保持总体稳定的？\n"
        "人力资源社会保障部党组书记、部长尹某：\n谢谢你对就业工作的关心。这五年我们国家的就业形势保持了总体稳定。\n"
    )
    assert _fields(transcript)["doc_type"] == "答记者问"


def test_a_date_alone_above_the_title_is_the_pages_date():
    raw = (
        "跑马灯制作\n2017/10/26\n闭幕典礼|吴某某代理县长致词\n新闻中心/宜兰县讯\n"
        "我们今天在座各位贵宾、各位选手、各位女士、各位先生，大家好。\n时间过得非常之快，我们筹备了两年。谢谢大家。\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2017, 10, 26)
    assert f["year"] == 2017
    # below the title, an unpadded dotted date is the manuscript's dateline, never the page's stamp
    below = "在全县工作会议上的讲话\n2023.1.5\n同志们：\n今天，我们召开全县工作会议。\n"
    assert _fields(below)["published_on"] is None

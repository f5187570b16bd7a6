"""News copies and press releases of speeches (held-out audit g1): leads that name the speaker before the full
text, titles that name the office before the name, datelines of wire copies. Every name and place is invented."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E


def _page(raw: str, url: str | None = None) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY = "尊敬的各位来宾、各位朋友：\n今天我很荣幸出席这个酒会，与各位一同庆祝这个大日子。我谨代表主办方，向各位表示热烈的欢迎！\n"


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        # a government press release: `以下为<office><name>今日(date)出席…的致辞全文`
        ("以下为行政长官陈立群今日（六月三十日）出席青石商会成立十周年酒会的致辞全文：\n", "陈立群", "行政长官"),
        (
            "以下是政务司司长林文博今日（二月十五日）晚上出席领事团晚宴的致辞全文（中文译本）：\n",
            "林文博",
            "政务司司长",
        ),
        ("以下为行政长官陈立群今(九月十六日)日出席联谊会酒会致辞全文:\n", "陈立群", "行政长官"),
        # a wire copy: `…总理温某发表主旨演讲。以下是主旨演讲全文`
        (
            "青石论坛上午开幕，由市委书记王立明主持。国务院总理赵文华发表主旨演讲。以下是主旨演讲全文：\n",
            "赵文华",
            "总理",
        ),
    ],
)
def test_press_release_lead_names_the_speaker(lead, name, office):
    out = _page("行政长官致辞全文\n" + lead + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_press_release_lead_is_read_only_for_a_full_text():
    """`以下为…全文` that introduces somebody else's text names no speaker of this one when no office stands there."""
    out = _page("以下为青石商会今日发布的公告全文：\n" + BODY)
    assert out["speaker_name"] is None


def test_press_release_lead_without_full_text_word():
    out = _page("行政长官国庆酒会致辞\n以下是行政长官陈立群今日（十月一日）出席国庆酒会致辞：\n" + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == ("陈立群", "行政长官")


@pytest.mark.parametrize(
    ("title", "name", "office"),
    [
        ("市长李文博在市十五届人大一次会议结束时的讲话", "李文博", "市长"),
        ("县委书记 张明远在全县经济工作会议上的讲话", "张明远", "县委书记"),
        ("王立新在市七届人大六次会议上的表态发言", "王立新", None),
        ("赵文华 在中国共产党青石市第十一次代表大会第四次会议上的报告", "赵文华", None),
        ("青石商会主席林文博先生致辞", "林文博", "青石商会主席"),
    ],
)
def test_title_names_the_speaker_after_the_office_or_alone(title, name, office):
    out = _page(
        title + "\n（2012年6月29日）\n各位代表、同志们：\n刚才，大会选举产生了新一届领导班子，这是组织的信任。\n"
    )
    assert out["speaker_name"] == name
    if office:
        assert out["speaker_title"] == office


@pytest.mark.parametrize(
    "title",
    [
        "全县在全面推进县城建设工作会议上的讲话",
        "政府工作报告",
        "市长在全市工作会议上的讲话",
        "高举旗帜在新征程上的讲话",
    ],
)
def test_title_without_a_name_names_no_speaker(title):
    out = _page(title + "\n各位代表、同志们：\n刚才，大会选举产生了新一届领导班子，这是组织的信任。\n")
    assert out["speaker_name"] is None


@pytest.mark.parametrize(
    ("head", "title", "doc_type"),
    [
        ("电子报阅读机\n新春献词\n日期：02-09\n市委书记 王立明\n", "新春献词", "致辞"),
        # info.gov.hk's `（只有中文）` is the site's note on the languages it gives (session 48), not the title's; so is
        # `全文` before it, as after any speech's word (session 57: one rule)
        ("新闻公报\n寄给朋友政府主网页\n行政长官致辞全文（只有中文）\n", "行政长官致辞", "致辞"),
        ("要闻播报\n赵文华在青石论坛上发表主旨演讲全文\n", "赵文华在青石论坛上发表主旨演讲全文", "讲话"),
        ("首页 > 好词好句 > 市长欢迎词\n市长欢迎词\n", "市长欢迎词", "致辞"),
        ("推荐图片\n在青石市第一届运动会上致闭幕词\n", "在青石市第一届运动会上致闭幕词", "致辞"),
    ],
)
def test_title_kinds_of_greetings_and_keynotes(head, title, doc_type):
    out = _page(head + BODY)
    assert (out["title"], out["doc_type"]) == (title, doc_type)


@pytest.mark.parametrize(
    ("raw", "url", "delivered"),
    [
        # a wire copy dated by its dateline, the year from the page's stamp
        (
            "青石会议闭幕会 主席王立明发表重要讲话全文\n2023-03-14 10:51 | 稿件来源：青石新闻网\n"
            "青石新闻网3月13日电 3月13日上午9时，青石会议举行闭幕会，主席王立明出席并发表重要讲话。以下为讲话全文：\n",
            None,
            dt.date(2023, 3, 13),
        ),
        # the lead names the evening before the dateline; the year from the url
        (
            "青石社青石7月30日电/7月29日晚，青石商会举行欢送宴会。商会主席林文博出席宴会并致辞。以下为致辞全文：\n",
            "http://news.example.cn/2011/07-30/123456.shtml",
            dt.date(2011, 7, 29),
        ),
        # a government press release: `今日（六月三十日）`, the year from the url's date path
        (
            "行政长官致辞全文\n以下为行政长官陈立群今日（六月三十日）出席青石商会成立十周年酒会的致辞全文：\n",
            "http://www.info.example.hk/gia/general/200706/30/P200706300150.htm",
            dt.date(2007, 6, 30),
        ),
    ],
)
def test_wire_dateline_dates_the_speech(raw, url, delivered):
    assert _page(raw + BODY, url=url)["delivered_on"] == delivered


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        # no year anywhere: no date
        ("青石社青石7月30日电/7月29日晚，商会主席林文博出席宴会并致辞。以下为致辞全文：\n", None),
        # a stamp months after the dateline dates a repost, not the speech
        ("2024-01-05\n青石新闻网3月13日电 主席王立明出席并发表重要讲话。以下为讲话全文：\n", None),
    ],
)
def test_wire_dateline_without_a_near_year_gives_no_date(raw, url):
    assert _page(raw + BODY, url=url)["delivered_on"] is None


@pytest.mark.parametrize(
    ("lead", "doc_type"),
    [
        ("青石社青石7月30日电/商会主席林文博出席宴会并致辞。以下为致辞全文：\n", "致辞"),
        ("以下为行政长官陈立群今日傍晚在欢迎晚宴上致辞全文：\n", "致辞"),
        ("国务院总理赵文华发表主旨演讲。以下是主旨演讲全文：\n", "讲话"),
        ("青石台综合报导\n（图/青石社）\n【王立明致词全文】\n", "致辞"),
    ],
)
def test_untitled_news_copy_takes_its_kind_from_the_lead(lead, doc_type):
    assert _page(lead + BODY)["doc_type"] == doc_type


@pytest.mark.parametrize(
    "news",
    [
        "1月13日，青石镇第十四届人民代表大会第六次会议隆重召开。与会人员认真听取镇长王立明向大会作的2010年青石镇人民政府工作报告，"
        "审议通过关于政府工作报告的决议。\n镇委书记林文博在会上发表讲话，号召人大代表切实履行职责。\n审编：陈某\n",
        "12月2日，青石镇第十七届人民代表大会第一次会议胜利召开，49名镇人大代表出席了会议。大会听取并审议通过了青石镇人民政府"
        "工作报告、人大工作报告、财政工作报告。\n在分组讨论阶段，与会代表积极展开讨论。\n",
    ],
)
def test_news_report_of_a_congress_is_no_work_report(news):
    assert _page(news)["doc_type"] != "政府工作报告"


def test_work_report_copy_without_title_still_typed():
    raw = "青石镇人民政府工作报告\n各位代表：\n现在，我代表镇人民政府向大会报告工作，请予审议。\n一、过去一年工作回顾\n"
    assert _page(raw)["doc_type"] == "政府工作报告"


def test_discuz_guest_notices_are_chrome():
    from tasks.normalize import normalize_text

    raw = (
        "马上注册，结交更多好友，享用更多功能，让你轻松玩转青石湾之窗\n您需要 登录 才可以下载或查看，没有账号？会员注册\n"
        "本帖最后由 一品飞云 于 2015-4-13 00:37 编辑\n12月2日，青石镇第十七届人民代表大会第一次会议胜利召开，"
        "来自全镇各条战线的49名镇人大代表出席了会议。\n"
    )
    n = normalize_text(raw)
    assert n.text.startswith("12月2日，青石镇") and "马上注册" not in n.text and "本帖最后由" not in n.text
    assert _page(raw)["title"] is None


def test_report_to_an_annual_session_of_a_party_congress():
    raw = (
        "奋力迈向一流城市\n（2019年1月11日）王立明 在中国共产党青石市第十一次代表大会第四次会议上的报告\n各位代表，同志们：\n"
        "现在，我代表十一届市委向大会报告工作，请予审议。\n"
    )
    out = _page(raw)
    assert (out["doc_type"], out["speaker_name"]) == ("党代会报告", "王立明")


@pytest.mark.parametrize(
    ("sentence", "meeting"),
    [
        ("我很高兴接受邀请，出席今天这个酒会。", None),
        ("今天这个全市安全生产工作会议，主要任务是部署工作。", "全市安全生产工作会议"),
    ],
)
def test_meeting_named_by_a_demonstrative(sentence, meeting):
    assert _page("各位朋友：\n" + sentence + "\n我谨代表主办方表示欢迎。\n")["meeting"] == meeting

"""Doc types and dates, eleventh round (session 53's fresh pages): full-date news leads, leads in words, press, salutations."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

SPEECH_BODY = (
    "金秋送爽，丹桂飘香，我们迎来了新的学期。首先，我代表学校向每一位同学表示热烈的欢迎，向辛勤耕耘的老师们致以诚挚的感谢。\n"
    "新学期是新的起点，希望同学们树立远大理想，养成良好习惯，珍惜每一次学习的机会，勇敢面对困难与挑战。\n"
    "最后，祝愿全体同学学业进步、快乐成长，祝愿全体教师工作顺利、身体健康！\n"
)


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        # a school party branch's, a company's and a department's item: the lead states its year, the page no date
        (
            "2023年4月19日，我院研究生党支部在五合校区报告厅召开了2023年《政府工作报告》专题学习会，学习会由党支部副书记"
            "周某同志主持。",
            dt.date(2023, 4, 19),
        ),
        (
            "2010年1月4日，集团在总部大楼培训室召开全资、控股企业总经理和部长以上干部会议，会议由集团副总裁陆某主持。",
            dt.date(2010, 1, 4),
        ),
        ("2022年11月4日，市民政局于四楼会议室召开全体干部职工大会，传达学习贯彻党的二十大精神。", dt.date(2022, 11, 4)),
        # the purpose first, then the full date
        (
            "为深入贯彻落实党的二十大精神和中央经济工作会议精神，谋划2023年工作思路和目标措施，2023年1月29日，集团召开"
            "年度工作务虚会。党委副书记、总经理秦某，各部门负责人参加了会议。",
            dt.date(2023, 1, 29),
        ),
        # 元月 is January (Traditional and company sites write it)
        (
            "2023年元月8日，海螺集团在总部召开2023年工作会议暨四届一次职工代表大会，总结2022年工作，部署2023年工作。",
            dt.date(2023, 1, 8),
        ),
    ],
)
def test_a_news_lead_stating_its_year_is_dated_and_typed_without_a_page_date(lead, day):
    raw = (
        f"{lead}\n会上，集团董事长杨某指出，要坚定信心、下定决心，推动高质量发展。\n"
        "杨某强调，各单位要认清形势，狠抓落实，确保完成全年目标任务。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == day
    assert f["year"] == day.year


def test_a_lead_in_words_and_a_correspondents_bracket_open_a_news_item():
    tail = "董事长张某向在座的老干部们拜年，并指出，新的一年要坚定信心。会议强调，要狠抓落实。\n"
    assert (
        _fields(f"元月十日下午，公司在管理中心召开一年一度的新春茶话会，公司领导参加了会议。{tail}")["doc_type"]
        == "新闻报道"
    )
    raw = f"(通讯员 李某)1月31日至2月2日，公司召开第二十届职工代表大会第四次会议，全面总结2022年工作。{tail}"
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_a_full_date_lead_after_the_pages_own_date_dates_nothing():
    raw = (
        "发布时间：2023-01-10\n2023年4月19日，我院研究生党支部在报告厅召开了专题学习会，学习会由党支部副书记周某主持。\n"
        "周某指出，要深入学习领会会议精神。会议强调，要狠抓落实。\n"
    )
    assert _fields(raw)["delivered_on"] is None


def test_a_speech_reviewing_a_dated_meeting_is_no_news_and_keeps_no_lead_date():
    raw = (
        "在全县项目建设推进会上的讲话\n同志们：\n2023年4月19日，县委召开常委会议，专题研究了项目建设工作。"
        "今天，我们召开这次会议，就是要把会议精神落到实处。下面，我讲三点意见。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "讲话"
    assert f["delivered_on"] is None


def test_a_congress_news_centres_group_interview_is_a_press_conference_dated_by_its_lead():
    raw = (
        "二十大新闻中心第一场集体采访\n摘要:二十大新闻中心举办第一场集体采访。\n"
        "2022年10月18日(星期二)下午15:00，二十大新闻中心在梅地亚新闻中心二层新闻发布厅举办第一场集体采访。北京、天津"
        "代表团新闻发言人出席，介绍代表团学习讨论二十大报告情况，并回答记者提问。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "答记者问"
    assert f["delivered_on"] == dt.date(2022, 10, 18)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        # untitled: whom it greets says which
        (f"尊敬的各位老师、亲爱的同学们：\n大家好！\n{SPEECH_BODY}谢谢大家！\n", "讲话"),
        (f"尊敬的各位领导、各位来宾、女士们、先生们：\n大家好！\n{SPEECH_BODY}", "致辞"),
        # a doc site's heading in brackets run into the salutation
        (f"【小学校长开学典礼致辞】尊敬的各位老师、亲爱的同学们：\n大家好！\n{SPEECH_BODY}谢谢大家！\n", "致辞"),
        # a title naming no kind over a participant's talk to the leaders
        (
            "民主党派基层负责人学习全会精神的几点感悟\n各位领导、各位同仁：\n大家好。\n金秋时节，硕果累累。今天，我想借此"
            f"宝贵机会，围绕全会精神浅谈几点体会，与各位共勉。\n{SPEECH_BODY}",
            "发言",
        ),
    ],
)
def test_an_untyped_spoken_text_is_typed_by_its_salutation(raw, kind):
    assert _fields(raw)["doc_type"] == kind


@pytest.mark.parametrize(
    "raw",
    [
        # a letter read by nobody
        f"致全县家长朋友的一封信\n亲爱的家长朋友们：\n今天，我们向您发出倡议。\n{SPEECH_BODY}",
        # a salutation with nothing spoken after it and no thanks at the end
        f"亲爱的同学们：\n{SPEECH_BODY}",
    ],
)
def test_a_letter_or_an_unspoken_salutation_gives_no_kind(raw):
    assert _fields(raw)["doc_type"] is None


def test_a_page_tools_strip_is_no_title_and_the_genre_headline_types_the_page():
    raw = (
        "【字号】【收藏】【打印】【关闭\n“我面临的工作还十分繁重”——温家宝与中外记者见面侧记\n记者 刘某 章某\n"
        "“我的任期还有两年，我面临的工作还十分繁重。”69岁的温家宝总理说。\n"
        "2011年中国两会的最后一次记者会上，中国总理如此回答有关他的任期的一个提问。\n"
    )
    f = _fields(raw)
    assert f["title"] != "【收藏】【打印】【关闭"
    assert f["doc_type"] == "新闻报道"


@pytest.mark.parametrize("note", ["【精选推荐】", "(精选推荐)", "【范文】"])
def test_a_doc_sites_intro_names_the_title_with_its_note_cut(note):
    raw = (
        f"下面是小编为大家整理的2023年度市长在全市安全生产工作调度会议上讲话{note},供大家参考。\n同志们：\n"
        "刚才各位同志的发言都讲得很好，接下来，我再说四点意见。\n"
        "一、我市的工作拖了全省的后腿，要知耻后勇，负重担当。分析事故发生的原因，主要存在以下几个方面的突出问题。\n"
    )
    f = _fields(raw)
    assert f["title"] == "2023年度市长在全市安全生产工作调度会议上讲话"
    assert f["year"] == 2023


def test_a_resolutions_adoption_line_run_into_its_opening_sentence_types_it():
    raw = (
        "(2023年2月3日义乌市第十六届人民代表大会第二次会议通过)义乌市第十六届人民代表大会第二次会议听取和审议了叶某市长"
        "代表市人民政府所作的政府工作报告。会议充分肯定市人民政府过去一年的工作，同意报告提出的2023年全市经济社会发展主要"
        "目标、任务和举措，决定批准这个报告。\n会议强调，2023年是全面贯彻落实党的二十大精神的开局之年，做好今年各项工作，"
        "意义十分重大。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "决议"
    assert f["title"] == "义乌市第十六届人民代表大会第二次会议关于政府工作报告的决议"
    assert f["delivered_on"] == dt.date(2023, 2, 3)


def test_a_news_headline_whose_deck_names_the_speakers_office_is_news():
    raw = (
        "郑州市委市政府举行2023年春节团拜会 市委书记安某致辞 市长何某主持\n安某致辞 何某主持\n"
        "日月开新元，奋进谱新篇。1月20日上午，市委、市政府举行2023年春节团拜会，省会各界人士欢聚一堂，共贺新春、共话发展。"
        "省委常委、市委书记安某出席并致辞。\n市委副书记、市长何某主持，市领导周某、杜某等出席团拜会。\n"
        "安某指出，2022年是迎难而上、奋力前行的一年。\n"
    )
    f = _fields(raw, url="http://example.com/news/2023-01/28/content_42241965.htm")
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2023, 1, 20)


def test_a_lead_stating_its_year_and_the_meeting_held_is_news_whatever_the_organ():
    raw = (
        "为深入学习贯彻党的十九大精神，全面准确掌握新党章内容，按照院党委有关工作要求以及行政党支部《关于开展“学习党章尊崇党章”"
        "专题学习活动的实施方案》和《行政党支部12月支部“主题党日”活动方案》的工作安排，2017年12月6日下午，行政党支部组织召开了"
        "“学习党章尊崇党章”支部书记上讲坛专题宣讲和党委委员讲党课活动。由支部书记赵某作新修订党章辅导解读。\n"
        "此次宣讲活动作为支部12月份的“主题党日”活动内容，主题确定为“学习党章，尊崇党章，做合格党员”。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2017, 12, 6)


def test_a_first_person_opening_on_a_dated_meeting_is_no_news():
    raw = (
        "2023年1月5日，我们召开了全县经济工作会议，大家一致认为过去一年的工作成绩来之不易。\n"
        "今年，我们要坚定信心，狠抓落实，确保完成全年目标任务。\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"

"""Golden tests: a speech's header read the same whether or not the page kept its line breaks (issue 11).

Each page below is one class of joined header seen on scraped pages; every test reads it as laid out (one part a
line) and run together (`join_paragraphs`, `join_header`) and wants the same fields.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bench.reflow import join_header, join_paragraphs
from tasks.extract import extract_fields, header_segments

FIELDS = (
    "title",
    "doc_type",
    "speaker_name",
    "speaker_title",
    "meeting",
    "delivered_on",
    "published_on",
    "year",
    "source_site",
    "region",
    "admin_level",
)
BODY = (
    "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。\n"
    "一、2025年工作回顾\n"
    "过去一年，全省上下在省委坚强领导下，经济运行稳中向好。全省生产总值增长5.5%，省委、省政府部署全面落实。\n"
    "二、2026年工作安排\n"
    "今年全省经济社会发展的主要预期目标是：地区生产总值增长5%左右。全省人民团结奋斗。\n"
)


def _same_whatever_the_layout(page: str) -> dict:
    want = extract_fields(page)
    for joined in (join_paragraphs(page), join_header(page)):
        got = extract_fields(joined)
        assert {f: got[f] for f in FIELDS} == {f: want[f] for f in FIELDS}
    return want


# Class 1: a news-site toolbar, the title, dateline, keyed source and date, byline, salutation.
TOOLBAR_PAGE = (
    "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"
    "2026年江西省政府工作报告\n"
    "——2026年1月20日在江西省第十四届人民代表大会第四次会议上\n"
    "来源：江西日报\n"
    "时间：2026-01-28\n"
    "江西省省长 孙 立\n"
    "各位代表：\n" + BODY
)


def test_toolbar_page_joined():
    out = _same_whatever_the_layout(TOOLBAR_PAGE)
    assert out["title"] == "2026年江西省政府工作报告"
    assert (out["speaker_name"], out["speaker_title"]) == ("孙立", "省长")
    assert out["meeting"] == "江西省第十四届人民代表大会第四次会议"
    assert out["delivered_on"] == dt.date(2026, 1, 20) and out["published_on"] == dt.date(2026, 1, 28)
    assert out["source_site"] == "江西日报" and out["region"] == "江西省"


# Class 2: a breadcrumb whose column is named twice, a clock-stamped page date, the source's value on its own line.
BREADCRUMB_PAGE = (
    "您的位置:首页>\n湖北要闻\n湖北要闻\n2026年政府工作报告\n"
    "2026-02-03 10:15:20\n来源：\n湖北日报\n【字体：大中小】\n"
    "——2026年1月27日在湖北省第十四届人民代表大会第四次会议上\n"
    "省长　周志明\n"
    "各位代表：\n" + BODY
)


def test_breadcrumb_page_joined():
    out = _same_whatever_the_layout(BREADCRUMB_PAGE)
    assert out["title"] == "2026年政府工作报告"
    assert out["published_on"] == dt.date(2026, 2, 3) and out["source_site"] == "湖北日报"
    assert (out["speaker_name"], out["speaker_title"]) == ("周志明", "省长")


def test_breadcrumb_spans():
    segs, _ = header_segments(join_paragraphs(BREADCRUMB_PAGE))
    assert "2026-02-03 10:15:20" in segs and "来源：湖北日报" in segs and "省长　周志明" in segs


# Class 3: the byline run into a photo caption that repeats the office and the name.
CAPTION_PAGE = (
    "2026年湖南省政府工作报告\n"
    "——2026年2月3日在湖南省第十四届人民代表大会第四次会议上\n"
    "湖南省人民政府省长 何建国\n"
    "湖南省人民政府省长何建国作政府工作报告。记者 李明 摄\n"
    "各位代表：\n" + BODY
)


def test_byline_then_caption_joined():
    out = _same_whatever_the_layout(CAPTION_PAGE)
    assert (out["speaker_name"], out["speaker_title"]) == ("何建国", "省长")
    assert out["title"] == "2026年湖南省政府工作报告"


@pytest.mark.parametrize(
    ("run", "byline"),
    [
        ("市长 张工张工作政府工作报告。", "市长 张工"),  # a two-character name: the caption repeats it
        ("省长 刘小涛省长刘小涛代表省人民政府作报告。", "省长 刘小涛"),  # the caption repeats the office
        ("自治区主席 艾力·买买提自治区主席作报告。", "自治区主席 艾力·买买提"),  # a `·` name
    ],
)
def test_byline_cut_from_what_follows(run, byline):
    segs, _ = header_segments("——2026年1月27日在某某第十四届人民代表大会第四次会议上" + run + "各位代表：现在开会。")
    assert byline in segs


# Class 4: a dateline that gives the adoption date (`…会议通过`), then the byline.
ADOPTED_PAGE = (
    "——2021年1月8日锦州市第十七届人民代表大会第五次会议通过\n"
    "锦州市人民政府市长 王秀梅\n"
    "各位代表：\n" + BODY.replace("省", "市")
)


def test_adoption_dateline_joined():
    out = _same_whatever_the_layout(ADOPTED_PAGE)
    assert (out["speaker_name"], out["speaker_title"]) == ("王秀梅", "市长")
    assert out["delivered_on"] == dt.date(2021, 1, 8) and out["region"] == "辽宁省锦州市"


# Class 5: national documents: an office alone on its line, a name set with spaces, a paren date.
STATE_COUNCIL_PAGE = (
    "政府工作报告\n——2025年3月5日在第十四届全国人民代表大会第三次会议上\n国务院总理　\n李　强\n"
    "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n"
    "一、2024年工作回顾\n过去一年，我国经济运行总体平稳。全国各族人民团结奋斗，全国上下共同努力。\n"
)
PARTY_PAGE = (
    "高举旗帜 团结奋斗\n——在中国共产党第二十次全国代表大会上的报告\n（2022年10月16日）\n习　近　平\n"
    "同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n"
    "中国共产党第二十次全国代表大会，是在全党全国各族人民迈上新征程的关键时刻召开的一次十分重要的大会。\n"
)


def test_state_council_joined():
    out = _same_whatever_the_layout(STATE_COUNCIL_PAGE)
    assert (out["speaker_name"], out["speaker_title"]) == ("李强", "总理")
    assert (out["region"], out["admin_level"], out["doc_type"]) == ("全国", "national", "政府工作报告")


def test_spaced_name_of_party_congress_report():
    out = _same_whatever_the_layout(PARTY_PAGE)
    assert out["speaker_name"] == "习近平" and out["doc_type"] == "党代会报告"
    assert out["meeting"] == "中国共产党第二十次全国代表大会" and out["delivered_on"] == dt.date(2022, 10, 16)


# Class 6: no byline, only a caption naming the speaker (`赵某某作政府工作报告`), or an HTML comment carrying it.
def test_caption_names_the_speaker():
    page = "——2021年12月8日在张掖市第五届人民代表大会第一次会议上\n赵立新作政府工作报告\n各位代表：\n" + BODY.replace(
        "省", "市"
    )
    out = _same_whatever_the_layout(page)
    assert out["speaker_name"] == "赵立新" and out["title"] is None
    out = extract_fields(
        "各位代表：\n" + BODY,
        removed_lines=[(1, "<!-- 西藏自治区主席白玛赤林作政府工作报告 -->", "markup.html_comment")],
    )
    assert out["speaker_name"] == "白玛赤林" and out["speaker_title"] == "自治区主席"


# Class 7: an NPC resolution: its name and adoption line run together.
def test_resolution_joined():
    page = (
        "第十四届全国人民代表大会第三次会议关于政府工作报告的决议\n"
        "（2025年3月11日第十四届全国人民代表大会第三次会议通过）\n"
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，"
        "同意报告提出的目标任务，决定批准这个报告。\n"
    )
    out = _same_whatever_the_layout(page)
    assert out["meeting"] == "第十四届全国人民代表大会第三次会议" and out["doc_type"] == "决议"
    assert out["delivered_on"] == dt.date(2025, 3, 11) and out["speaker_name"] is None


def test_title_that_is_a_caption_is_not_a_title():
    out = extract_fields("分享：\n省长赵刚作政府工作报告\n各位代表：\n" + BODY)
    assert out["title"] != "省长赵刚作政府工作报告"


# ---------------------------------------------------------------- chrome.tail never removes speech
def test_speech_below_a_forum_footer_is_kept():
    from tasks.normalize import normalize_text

    page = (
        "区长在全区经济工作会议上的讲话 - 某某论坛\n同志们：\n"
        "今天召开全区经济工作会议，主要任务是总结去年工作，安排部署今年任务。\n"
        "一、肯定成绩，坚定信心\n过去一年，全区经济运行稳中有进，财政收入稳步增长。\n"
        "点评回复举报\n"
        "二、突出重点，狠抓落实\n"
        "要坚持项目为王，全力推进重点项目建设，确保早开工早见效。\n"
        "全年目标任务必须按时完成！\n"
    )
    n = normalize_text(page)
    for line in (
        "二、突出重点，狠抓落实",
        "要坚持项目为王，全力推进重点项目建设，确保早开工早见效。",
        "全年目标任务必须按时完成！",
    ):
        assert line in n.text
    assert "点评回复举报" not in n.text
    # link titles below a related-reports heading still go
    n = normalize_text("同志们：\n今天召开全区经济工作会议，安排部署今年任务。\n相关报道：\n河北省政府工作报告解读\n")
    assert "河北省政府工作报告解读" not in n.text and "安排部署今年任务" in n.text


def test_central_committee_report_is_national_whatever_cities_it_names():
    """`我代表中央委员会` (no session number, as the early congress reports write it) is the CPC Central
    Committee: national, even when the report is mostly about party groups in 上海 and 北京."""
    text = (
        "现在我代表中央委员会作关于上届代表会议以来的工作报告。中央委员会的人员太少，搜集不了很多材料。\n"
        "代表会议以后，杭州委员会建议扩大中央委员会。可是上海和北京反对这个建议。当上海的迫害更加厉害时，"
        "中央委员会迁到北京。上海和广州小组由这两个市的一些地方小组组成。\n"
    )
    got = extract_fields(text, raw_text=text)
    assert (got["admin_level"], got["region"], got["region_code"]) == ("national", "全国", "100000")


# ---------------------------------------------------------------- session 4 classes (issue 11)
def _normalized_fields(page: str) -> list[dict]:
    """Fields of the page as laid out, with its paragraphs joined and with its header lines joined — each through
    the real normalizer, so what it cuts as chrome (captions, notices) reaches extraction as removed lines."""
    from tasks.normalize import normalize_text

    outs = []
    for raw in (page, join_paragraphs(page), join_header(page)):
        n = normalize_text(raw)
        outs.append(extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines))
    return outs


# Class 8: a byline that gives the name alone; the photo caption under it names the office mid-caption.
NAME_ONLY_PAGE = (
    "2026年某省政府工作报告\n"
    "——2026年2月3日在湖南省第十四届人民代表大会第四次会议上\n"
    "何建国\n"
    "2月3日，湖南省第十四届人民代表大会第四次会议在省人民会堂开幕。省长何建国作政府工作报告。湖南日报全媒体记者 刘尚文 摄\n"
    "各位代表：\n" + BODY
)


def test_name_only_byline_takes_the_office_from_the_caption():
    for out in _normalized_fields(NAME_ONLY_PAGE):
        assert (out["speaker_name"], out["speaker_title"]) == ("何建国", "省长")
    # a caption about someone else gives the byline's name no office
    out = _normalized_fields(NAME_ONLY_PAGE.replace("省长何建国作", "省长刘小涛作"))[0]
    assert (out["speaker_name"], out["speaker_title"]) == ("何建国", None)


# Class 9: a document site's download notice, its keyword line and the speech's own title run together.
NOTICE_PAGE = (
    "温馨提示：\n1. 部分包含数学公式或PPT动画的文件，查看预览时可能会显示错乱或异常，文件下载后无此问题，请放心下载。\n"
    "2. 本文档由用户上传，版权归属用户，汇文网负责整理代发布。如果您对本文档版权有争议请及时联系客服。\n"
    "网站客服：3074922707\n2023\n区长\n互学互汇报会致辞\n"
    "区长在互学互比汇报会讲话\n同志们：\n"
    "从12月26日开始，我们集中3天半时间开展新一轮的“互学互比”活动汇报会。8个功能区和70多个区直部门逐一登台亮相。\n"
    "全区上下要再鼓干劲、再促工作，区委区政府将继续加大支持力度。\n"
)


def test_download_notice_and_two_titles_joined():
    for out in _normalized_fields(NOTICE_PAGE):
        assert out["title"] == "区长在互学互比汇报会讲话"
        assert (out["speaker_title"], out["meeting"], out["region"]) == ("区长", "互学互比汇报会", None)
    # one title that joins two parts is not cut
    segs, _ = header_segments(
        "某某区人民政府网站首页2022年工作总结暨在全区经济工作会议上的讲话同志们：今天召开全区经济工作会议。"
    )
    assert "2022年工作总结暨在全区经济工作会议上的讲话" in "".join(segs[:2]) and not any(
        s.startswith("暨") for s in segs
    )


# Class 10: untitled State Council reports that open at the salutation: the speaker's own words say what it is.
def test_untitled_plan_report_is_a_report():
    page = (
        "各位代表：\n我代表国务院向第一届全国人民代表大会第五次会议，提出关于一九五八年度国民经济计划（草案）的报告，"
        "请予审议。\n一九五七年是我国在各个战线上取得伟大胜利的一年。全国人民团结一致。\n"
    )
    for out in _normalized_fields(page):
        assert (out["doc_type"], out["year"], out["region"]) == ("报告", 1958, "全国")
    # the head of government's five-year-plan report to the congress is the year's work report …
    premier = (
        "关于第七个五年计划的报告\n——1986年3月25日在第六届全国人民代表大会第四次会议上\n国务院总理　赵紫阳\n"
        + page.replace("提出关于一九五八年度国民经济计划（草案）的报告", "作关于第七个五年计划的报告")
    )
    for out in _normalized_fields(premier):
        assert out["doc_type"] == "政府工作报告"
    # … a vice-premier's programme report is a 报告 even under the headline `1960年政府工作报告`
    deputy = (
        "1960年政府工作报告\n为提前实现全国农业发展纲要而奋斗\n——1960年4月6日在第二届全国人民代表大会第二次会议上\n"
        "国务院副总理　谭震林\n各位代表：\n我受中共中央和国务院的委托，向大会作关于一九五六年到一九六七年全国农业发展纲要的"
        "执行情况和争取提前实现这个纲要的报告。\n全国农民和全国人民为执行农业发展纲要而努力。\n"
    )
    for out in _normalized_fields(deputy):
        assert out["doc_type"] == "报告"


def test_premier_report_to_a_new_congress_dates_itself():
    page = (
        "各位代表！\n根据中共中央的决定，我代表国务院，向第四届全国人民代表大会作政府工作报告。\n"
        "从三届人大以来，我国各族人民团结一致，全国上下共同努力。\n"
    )
    for out in _normalized_fields(page):
        assert (out["doc_type"], out["year"]) == ("政府工作报告", 1975)
    page = (
        "各位代表：\n中华人民共和国国务院向第一届全国人民代表大会第二次会议提出关于发展国民经济第一个五年计划的议案，"
        "我现在代表国务院向本次大会作关于第一个五年计划的报告。\n全国人民团结一致。\n"
    )
    for out in _normalized_fields(page):
        assert (out["doc_type"], out["year"]) == ("报告", 1955)


# Class 11: a work report whose page lost title and salutation: it opens at the review of the term.
def test_work_report_opening_at_its_review():
    page = (
        "一、过去四年工作回顾\n市十三届人大一次会议以来，在省委、省政府和市委的正确领导下，市政府紧紧依靠全市人民，"
        "统筹推进稳增长、调结构、惠民生，经济社会发展取得了新成就。\n综合经济实力显著增强。全市生产总值年均增长7.9%。\n"
    )
    for out in _normalized_fields(page):
        assert out["doc_type"] == "政府工作报告"
    standing = page.replace("市政府紧紧依靠全市人民", "市人大常委会紧紧依靠全市人民")
    for out in _normalized_fields(standing):
        assert out["doc_type"] != "政府工作报告"


# Class 12: years a report states only as a review heading or an estimate.
def test_review_heading_after_the_verb_and_estimates():
    page = (
        "白山市市长王某某\n各位代表：\n现在，我代表白山市人民政府向大会报告工作，请予审议。\n"
        "一、回顾2024年，我们克难攻坚、砥砺奋进\n一年来，全市经济社会发展取得积极成效。\n"
    )
    for out in _normalized_fields(page):
        assert out["year"] == 2025
    summary = (
        "五年来，我国各族人民在中国共产党的领导下，基本上完成了调整国民经济的任务，国务院作了说明。\n"
        "一九六四年全国工业总产值，预计比一九六三年增长百分之十五。一九六四年的产量都比一九六三年增长。\n"
        "他指出，一九六五年的主要任务就是开展增产节约运动。一九六五年国民经济计划草案拟定。\n"
    )
    for out in _normalized_fields(summary):
        assert out["year"] == 1964


# Class 13: a meeting named only by its kind (`这次代表会议`) is no meeting name; the 1923 report is a party
# congress report though it gives the Central Committee no term number.
def test_generic_meeting_is_no_meeting():
    text = (
        "现在我代表中央委员会作关于上届代表会议以来的工作报告。中央委员会的人员太少，搜集不了很多材料。\n"
        "我们要准备召开党代表会议，所以我们把一千六百用在这次代表会议上。\n"
    )
    for out in _normalized_fields(text):
        assert (out["meeting"], out["doc_type"]) == (None, "党代会报告")


# ---------------------------------------------------------------- the whole head on one line, page chrome included
# A scraper that drops the <br> of a page's head block delivers chrome, title, dateline, byline and caption as one
# line (bench/reflow.join_head). Normalization must not remove that line under the rule of one piece (a toolbar, a
# photo caption): it is broken again where the pieces meet (normalize._split_joined_head).


def _through_normalize(page: str) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(page)
    return extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)


def _same_when_the_head_is_one_line(page: str) -> dict:
    from bench.reflow import join_head

    joined = join_head(page)
    assert joined.count("\n") < page.count("\n")  # the head was joined
    want, got = _through_normalize(page), _through_normalize(joined)
    assert {f: got[f] for f in FIELDS} == {f: want[f] for f in FIELDS}
    return got


@pytest.mark.parametrize(
    ("chrome", "byline"),
    [
        # toolbar first, the caption repeats the name (市长 吴波吴波同志作…)
        (
            "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n",
            "湖州市市长 吴波\n吴波同志作政府工作报告。本报记者 陈立摄\n",
        ),
        # a breadcrumb, the title glued to its column name, a clock stamp; the caption repeats the office
        (
            "您的位置:\n首页\n>\n湖州要闻\n湖州要闻\n",
            "市长 吴波\n市长吴波代表市人民政府向大会作政府工作报告。记者 陈立 摄\n",
        ),
        # a share label; the caption opens with a date
        ("分享：\n", "市长 吴波\n1月20日，市长吴波作政府工作报告。湖州日报记者 陈立 摄\n"),
    ],
)
def test_a_head_run_together_with_its_chrome_keeps_its_fields(chrome, byline):
    page = (
        chrome + "2026年湖州市政府工作报告\n"
        "——2026年1月20日在湖州市第九届人民代表大会第五次会议上\n"
        "来源：湖州日报\n时间：2026-01-28 09:30\n" + byline + "各位代表：\n" + BODY.replace("省", "市")
    )
    out = _same_when_the_head_is_one_line(page)
    assert out["title"] == "2026年湖州市政府工作报告"
    assert (out["speaker_name"], out["speaker_title"]) == ("吴波", "市长")
    assert out["meeting"] == "湖州市第九届人民代表大会第五次会议"
    assert out["delivered_on"] == dt.date(2026, 1, 20) and out["published_on"] == dt.date(2026, 1, 28)
    assert out["source_site"] == "湖州日报"


def test_a_dotted_byline_keeps_its_name_before_a_spaced_caption():
    page = (
        "政府工作报告\n——2025年1月19日在新疆维吾尔自治区第十四届人民代表大会第三次会议上\n"
        "自治区主席艾力·买买提\n<!-- 艾力·买买提作政府工作报告。 -->\n新疆日报记者 李明 摄\n各位代表：\n" + BODY
    )
    out = _same_when_the_head_is_one_line(page)
    assert (out["speaker_name"], out["speaker_title"]) == ("艾力·买买提", "自治区主席")


def test_a_caption_before_the_title_and_a_bracketed_dateline():
    page = (
        "政府工作报告。 贵州日报记者 李明 摄\n"
        "政府工作报告（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）\n省长 张伟\n各位代表：\n" + BODY
    )
    out = _same_when_the_head_is_one_line(page)
    assert (out["speaker_name"], out["meeting"]) == ("张伟", "贵州省第十四届人民代表大会第四次会议")


def test_a_line_of_chrome_only_is_removed_whole():
    from tasks.normalize import normalize_text

    line = "發(fā)布時間:2021-03-25 來源: 實(shí)習(xí)報告 點(diǎn)擊:"
    assert normalize_text(f"讲话标题\n{line}\n同志们：\n{BODY}").removed_lines[0] == (2, line, "chrome.published_at")


def test_a_disclaimer_that_quotes_the_dateline_is_removed_whole():
    """`导语:——…会议上一文来源于网友上传,不代表本站观点…` holds a dateline, but is one piece of chrome: not broken."""
    from tasks.normalize import normalize_text

    dateline = "——2014年1月10日在乌海市第八届人民代表大会第四次会议上"
    page = f"导语:{dateline}一文来源于网友上传,不代表本站观点,欢迎参考。\n{dateline}\n市长 张三\n各位代表：\n{BODY}"
    n = normalize_text(page)
    assert n.text.startswith(dateline + "\n市长 张三\n各位代表：")
    assert [r[2] for r in n.removed_lines] == ["chrome.disclaimer"]


# ---------------------------------------------------------------- the head joined a few lines at a time
# A scraper that kept some of the head block's <br> and dropped others (bench/reflow `paragraphs_grouped`) cuts a
# label from its value (`…07时41分来源:` / `四川日报【字体：大`) and a font-size bar anywhere (`【字体：小中` / `大】政府工作
# 报告`): the page must give the same fields however its lines were grouped.


def _grouped(page: str, n: int, first: int) -> str:
    lines = [x for x in page.split("\n") if x.strip()]
    sizes = [first] + [n] * len(lines)
    out, i = [], 0
    for k in sizes:
        if i >= len(lines):
            break
        out.append("".join(lines[i : i + k]))
        i += k
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    "head",
    [
        # title, clock stamp, a label whose value is on the next line, a font-size bar token by token, a share label
        "2026年湖州市人民政府工作报告\n2026年02月10日 07时41分\n来源:\n湖州日报\n【字体：\n大\n中\n小\n】\n分享：\n"
        "2026年1月20日在湖州市第九届人民代表大会第五次会议上\n湖州市人民政府市长 吴波\n",
        # the source and its stamp, the bar, the dateline with its dash
        "2026年政府工作报告\n来源：湖州日报\n2026-01-28 09:02:33\n【字体：\n大\n中\n小\n"
        "】\n——2026年1月20日在湖州市第九届人民代表大会第五次会议上\n市长　吴波\n",
        # keyed stamp, keyed source, a count label, the bar, the title again
        "当前位置：\n首页\n>\n政务信息\n>\n湖州要闻\n2026年湖州市政府工作报告\n发表时间：\n2026-01-28 09:45:30\n来源：\n"
        "湖州日报客户端\n阅读量：\n【字体：\n小\n中\n大\n】\n政府工作报告\n"
        "——2026年1月20日在湖州市第九届人民代表大会第五次会议上\n市长 吴波\n",
    ],
)
def test_a_head_joined_a_few_lines_at_a_time_keeps_its_fields(head):
    page = head + "各位代表：\n" + BODY.replace("省", "市")
    want = _through_normalize(page)
    assert want["published_on"] == dt.date(2026, 1, 28) or want["published_on"] == dt.date(2026, 2, 10)
    assert want["source_site"] in ("湖州日报", "湖州日报客户端")
    for n in (2, 3, 4):
        for first in range(1, n + 1):
            got = _through_normalize(_grouped(page, n, first))
            assert {f: got[f] for f in FIELDS} == {f: want[f] for f in FIELDS}, (n, first)


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            "分享到:在全区社会管理创新工作推进会议上的讲话\n区委副书记、区长 孙俨玲\n",
            "在全区社会管理创新工作推进会议上的讲话",
        ),
        ("汇报会致辞区长在互学互比汇报会讲话\n", "区长在互学互比汇报会讲话"),
    ],
)
def test_a_short_head_line_cut_from_its_chrome_or_a_second_title(head, title):
    """`分享到:` glued to the title, a page's keyword run glued to the speech's title: short lines (< 40 characters)."""
    out = _through_normalize(
        head + "同志们：\n今天的会议很重要，我讲三点意见。大家要认真抓好落实，确保各项工作取得实效。\n"
    )
    assert out["title"] == title


@pytest.mark.parametrize(
    "chrome",
    [
        "来源：湖州日报2026-01-28 09:02:33【字体：",  # source, stamp and a toolbar's start on one removed line
        "2026年湖州市政府工作报告2026年01月28日 07时41分来源:湖州日报【字体：大",  # a clock in 时/分, the bar after
        "来源：湖州日报客户端阅读量：2026-01-28 09:45:30",  # the source's value runs into the next label
    ],
)
def test_chrome_run_together_on_a_removed_line_gives_its_date_and_source(chrome):
    text = (
        "2026年湖州市政府工作报告\n——2026年1月20日在湖州市第九届人民代表大会第五次会议上\n市长 吴波\n各位代表：\n"
        + BODY
    )
    out = extract_fields(text, raw_text=chrome + "\n" + text, removed_lines=[(1, chrome, "chrome.source")])
    assert out["published_on"] == dt.date(2026, 1, 28)
    assert out["source_site"] in ("湖州日报", "湖州日报客户端")


@pytest.mark.parametrize(
    ("head", "title", "meeting"),
    [
        # a photo caption cut short, its credit run into the title
        (
            "湖州市市长吴波作政府工作报告。 湖州日报记者 李森 摄政府工作报告\n"
            "（2026年1月20日在湖州市第九届人民代表大会第五次会议上）\n市长 吴波\n",
            "政府工作报告",
            "湖州市第九届人民代表大会第五次会议",
        ),
        # a dateline wrapped before its end, the wrap's line run into the byline and salutation
        (
            "政府工作报告\n——2026年1月20日在湖州市第九届\n人民代表大会第五次会议上湖州市市长 吴波",
            "政府工作报告",
            "湖州市第九届人民代表大会第五次会议",
        ),
        # a breadcrumb's last step run into the title
        ("您的当前位置:首页正文全区领导干部大会上的讲话材料\n", "全区领导干部大会上的讲话材料", "全区领导干部大会"),
    ],
)
def test_a_head_line_run_into_its_neighbour_keeps_the_title(head, title, meeting):
    out = _through_normalize(head + "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。\n" + BODY)
    assert (out["title"], out["meeting"]) == (title, meeting)

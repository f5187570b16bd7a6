"""Lost breaks, eighth round (session 50): outline headings a copy joined a few paragraphs at a time."""

from __future__ import annotations

from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text


def _sections(raw: str) -> list[tuple[str, str, str]]:
    text = normalize_text(raw).text
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", text)]


# A review's short sections, three paragraphs to a line: `（一）`…`（二）` under 210 characters apart on one line, the
# run going on with `（三）` on the next line.
SHORT_SECTIONS = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2025年工作回顾\n"
    "过去一年，我们迎难而上，较好完成了全年目标任务。（一）经济稳中有进。全市生产总值增长百分之五点二，"
    "财政收入增长百分之六。（二）改革持续深化。营商环境不断优化，新增经营主体一万二千户。\n"
    "（三）民生持续改善。城镇新增就业一万人，居民收入稳步增长，群众获得感不断增强，生活水平进一步提高。\n"
    "二、2026年主要任务\n今年重点抓好以下工作：（一）扩大内需；（二）稳定就业；（三）保障民生。\n"
)


def test_a_close_run_the_page_goes_on_with_is_its_outline():
    rows = _sections(SHORT_SECTIONS)
    assert ("1.1", "（一）", "经济稳中有进") in rows
    assert ("1.2", "（一）", "改革持续深化") in rows
    assert ("1.3", "（一）", "民生持续改善") in rows


def test_an_inline_list_stays_in_its_paragraph():
    text = normalize_text(SHORT_SECTIONS).text
    assert "今年重点抓好以下工作：（一）扩大内需；（二）稳定就业；（三）保障民生。" in text.split("\n")
    # a list after a sentence's end whose run ends where it is: no later `（三）`
    raw = (
        "一、工作回顾\n我们主要做了两件事。（一）抓项目。全年新开工项目五十个。（二）抓民生。新建学校三所。\n"
        "二、工作安排\n今年要抓好项目建设，办好民生实事，推动经济持续健康发展，确保完成全年目标任务。\n"
    )
    assert "我们主要做了两件事。（一）抓项目。全年新开工项目五十个。（二）抓民生。新建学校三所。" in (
        normalize_text(raw).text.split("\n")
    )


# An unpunctuated `一、` heading joined to the first heading below it (session 49's left-alone: 23 pairs on the
# grouped layout of the shared corpus).
HEADING_GLUED_TO_NESTED = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。一、2025年工作回顾\n"
    "过去一年，我们做了大量工作，取得了明显成效，全市经济稳中有进。二、2026年主要任务（一）扩大有效需求。"
    "我们将实施一批重大项目，推动消费持续回升。（二）发展新质生产力。我们将加快创新体系建设，培育新兴产业集群。\n"
)


def test_a_heading_glued_to_its_first_subheading_is_broken():
    text = normalize_text(HEADING_GLUED_TO_NESTED).text
    assert "二、2026年主要任务" in text.split("\n")
    rows = _sections(HEADING_GLUED_TO_NESTED)
    assert ("2", "一、", "2026年主要任务") in rows
    assert ("2.1", "（一）", "扩大有效需求") in rows
    assert ("2.2", "（一）", "发展新质生产力") in rows


def test_a_bracket_inside_a_heading_is_no_subheading():
    # a bracketed word (not a numeral) or a bracket at the line's end leaves the heading whole
    for raw in (
        "一、2025年工作回顾\n过去一年成效明显。二、推进中国（陕西）自由贸易试验区建设\n我们将深化改革，扩大开放。\n",
        "一、2025年工作回顾\n过去一年成效明显。二、2026年主要任务（一）\n我们将深化改革，扩大开放。\n",
    ):
        lines = normalize_text(raw).text.split("\n")
        assert not any(line.startswith("（一）") for line in lines), lines


# A doc site's watermark glued into the text (real pages: dawenge.com's `【更多公文素材，微信：…】` after the last
# sentence, xinyuwenchuang.cn's site name with junk symbols between its characters and its 公众号 before the title).
def test_a_watermark_glued_into_the_text_is_cut():
    raw = (
        "二心语文}创%素材[库:https://www.xinyuwenchuang.cn/。公众@号:笔杆子星域。XX镇2023年政府工作报告\n各位代表:\n"
        "现在,我代表镇人民政府向大会报告工作。\n一、今年工作怎么看\n在看到成绩的同时,我们也清醒地认识到不足。"
        "主要是:一是经济发展的位次不高。二是思想解放的程度不够。【更多公文素材,微信:dada wk01】\n"
    )
    n = normalize_text(raw)
    assert "素材" not in n.text and "笔杆子星域" not in n.text and "dada" not in n.text
    assert n.text.split("\n")[-1].endswith("二是思想解放的程度不够。")
    assert n.text.split("\n")[0].startswith("XX镇2023年政府工作报告")
    assert sum(1 for *_, rule in n.removed_lines if rule == "chrome.watermark") == 3


def test_a_speech_naming_its_channels_is_kept():
    for line in (
        "要用好政务微信公众号，推动政务公开。开通公众号，回应群众关切。",
        "我们要建设【智慧城市】平台，提升政务服务水平，网址https://www.gov.cn/。",
        "全市PM2.5平均浓度下降10%，5G基站新增3000个。",
    ):
        assert normalize_text("各位代表：\n" + line + "\n").text.split("\n")[-1] == line


# A doc site's preview with every break lost (xiaomilidoc.com, xinyuwenchuang.cn, jinrimiaobi.com: the title,
# salutation, first paragraph and the first part on one line).
def test_a_title_glued_to_the_salutation_is_broken_before_it():
    for title, sal in (("桥头镇2023年度政府工作报告", "各位代表："), ("在全县工作会议上的讲话", "同志们：")):
        lines = normalize_text(f"{title}{sal}现在，我代表镇人民政府，向大会报告工作，请予审议。\n").text.split("\n")
        # and the salutation's own line (session 51): its first paragraph follows on a line of its own
        assert lines[:3] == [title, sal, "现在，我代表镇人民政府，向大会报告工作，请予审议。"]
    # inside the speech: no title before it, nothing broken
    kept = "刚才听了张书记的讲话同志们：很受启发。"
    assert normalize_text("各位代表：\n" + kept + "\n").text.split("\n")[-1] == kept


def test_an_unnumbered_part_glued_between_paragraphs_stands_alone():
    raw = (
        "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。过去五年和2021年工作回顾过去五年，面对复杂形势，"
        "我们奋发有为。2022年主要任务2022年是关键之年，我们要稳中求进。\n"
    )
    lines = normalize_text(raw).text.split("\n")
    assert "过去五年和2021年工作回顾" in lines and "2022年主要任务" in lines
    assert "过去五年，面对复杂形势，我们奋发有为。" in lines
    # a sentence that reviews a year, or a task word inside a sentence, stays whole
    for line in ("我们要认真回顾2022年工作，总结经验。", "抓好重点工作今年要见成效。"):
        assert normalize_text("各位代表：\n" + line + "\n").text.split("\n")[-1] == line


def test_a_bold_part_heading_is_broken_off_on_the_first_pass():
    """A Markdown copy's bold part heading (`**2006年工作回顾** 2006年是…`, 新疆 2007 in the shared corpus): broken off
    on the first pass, where later passes glued it to its paragraph once the marks went and only a second run of
    normalize broke it — normalize's output must be its own fixed point."""
    raw = "各位代表：\n**2006年工作回顾** 2006年是“十一五”开局之年。一年来，我们奋发有为。\n**2007年主要任务**\u30002007年要稳中求进。\n"
    text = normalize_text(raw).text
    lines = text.split("\n")
    assert "2006年工作回顾" in lines and "2007年主要任务" in lines
    assert "2006年是“十一五”开局之年。一年来，我们奋发有为。" in lines
    assert normalize_text(text).text == text

"""Lost breaks, ninth round (session 51): the salutation's line, headings that run into a paragraph."""

from __future__ import annotations

from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text


def _lines(raw: str) -> list[str]:
    return normalize_text(raw).text.split("\n")


def _headings(raw: str) -> list[tuple[str, str, str]]:
    text = normalize_text(raw).text
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", text)]


# Real doc-site copies (fanwenq.com, book118.com, xiezuofangchengshi.com, 61taotao.com): the <p> after the salutation
# lost, the first paragraph on the salutation's line.
def test_the_opening_salutation_gets_a_line_of_its_own():
    for raw, salutation, first in (
        (
            "在区安全生产工作推进会上的讲话\n同志们:今天,我们在这里召开全区安全生产工作推进会,主要任务是部署下一阶段"
            "工作。刚才,几个部门作了汇报。\n一、认清形势\n安全生产这根弦,任何时候都只能紧绷。\n",
            "同志们：",
            "今天，我们在这里召开全区安全生产工作推进会，主要任务是部署下一阶段工作。刚才，几个部门作了汇报。",
        ),
        (
            "市委书记在市政协会议闭幕会上的讲话\n各位委员,同志们:市政协X届X次会议,圆满完成各项议程,就要闭幕了。\n",
            "各位委员，同志们：",
            "市政协X届X次会议，圆满完成各项议程，就要闭幕了。",
        ),
        (
            "在招商引资推介会上的致辞\n尊敬的各位领导、各位来宾,女士们、先生们:大家上午好!今天,我们相聚在这里。\n",
            "尊敬的各位领导、各位来宾，女士们、先生们：",
            "大家上午好！今天，我们相聚在这里。",
        ),
    ):
        lines = _lines(raw)
        assert salutation in lines, lines
        assert first in lines, lines


def test_a_salutation_without_its_paragraph_or_addressees_is_left_as_it_is():
    # alone on its line; a colon after no addressee; a later `同志们：` inside the speech (only the opening is read)
    raw = (
        "在全县经济工作会议上的讲话\n同志们:\n今天,我们召开全县经济工作会议。\n"
        "同志们:做好今年的工作,任务艰巨,责任重大。让我们团结一心,奋力拼搏。\n"
    )
    lines = _lines(raw)
    assert "同志们：" in lines
    assert "同志们：做好今年的工作，任务艰巨，责任重大。让我们团结一心，奋力拼搏。" in lines
    raw = "在全县经济工作会议上的讲话\n今年工作要求:全县上下要坚定信心,真抓实干,确保完成全年目标任务。\n"
    assert "今年工作要求：全县上下要坚定信心，真抓实干，确保完成全年目标任务。" in _lines(raw)


# A heading whose paragraph opens on a time phrase and its comma (`今年以来，`, `近年来，`, `去年，`): real doc-site
# copies (fanwenq.com, book118.com) lost the break between them. In the second, the clause opener further on
# (`认真贯彻`) had cut the heading after the time phrase: `…常抓不懈今年以来，全区上下`.
def test_a_heading_running_into_a_time_phrase_ends_before_it():
    raw = (
        "同志们:\n下面,我讲几点意见。\n一、进一步深化认识今年以来,我区各级各部门高度重视安全生产,强化工作责任。\n"
        "二、认清形势,深化认识,务必做到警钟长鸣、常抓不懈近年来,全区上下认真贯彻落实上级决策部署,安全形势总体稳定。\n"
    )
    assert _headings(raw) == [
        ("1", "一、", "进一步深化认识"),
        ("2", "一、", "认清形势，深化认识，务必做到警钟长鸣、常抓不懈"),
    ]
    assert "近年来，全区上下认真贯彻落实上级决策部署，安全形势总体稳定。" in _lines(raw)


# A report's part heading (`2019年工作安排`, `2018年工作回顾`) run into its first paragraph, which opens on the year
# or `今年`/`过去`: no comma after it (`今年是…`, `今年经济社会发展任务重`), the year typeset with a space (`2003 年`).
def test_a_part_heading_running_into_its_period_ends_before_it():
    raw = (
        "各位代表:\n现在,我代表市人民政府向大会报告工作。\n一、2018年工作回顾过去一年,我们做了大量工作,成效明显。\n"
        "二、2019 年政府工作任务今年经济社会发展任务重、挑战多、要求高。我们要突出重点、把握关键。\n"
    )
    assert _headings(raw) == [("1", "一、", "2018年工作回顾"), ("2", "一、", "2019年政府工作任务")]
    # the object of a verb is no paragraph's start: `认真回顾过去五年的工作` is read on to its paragraph's time phrase
    raw = "各位代表:\n现在报告工作。\n一、认真回顾过去五年的工作过去五年,我们做了很多工作。\n"
    assert _headings(raw) == [("1", "一、", "认真回顾过去五年的工作")]


# A markdown copy joined a few paragraphs at a time: `一、` ran into the head above (`**政府工作报告**（…）**一、…**`),
# so `二、` at its line's start did not continue a run the page had shown, and its end was not read.
def test_the_first_heading_a_page_shows_has_its_end_read():
    raw = (
        "**政府工作报告**（2014年1月24日在贵阳市第十三届人民代表大会第四次会议上）**一、2013年工作回顾**\n"
        "过去一年,我们在省委、省政府和市委的坚强领导下,做了大量工作。\n"
        "**二、2014年工作安排**今年是深入贯彻落实党的十八届三中全会精神的第一年。我们要突出重点。\n"
    )
    assert "二、2014年工作安排" in _lines(raw)
    assert ("2", "一、", "2014年工作安排") in _headings(raw) or ("1", "一、", "2014年工作安排") in _headings(raw)


# A doc site's preview of a PDF (wenku.docs.qq.com): the print lines' wraps became spaces, inside words
# (`加 快发展`, `突 破性进展`, `学习贯 彻`), a print line's width (27 characters on that page) apart.
PARAGRAPH = (
    "即将过去的20XX年,是我镇解放思想、凝心聚力、加快发展的一年,也是破除万难、创新机制、农业工作取得突破性进展的一年。"
    "今天我们召开这次全镇农业工作会议,旨在深入学习贯彻党的十七届三中全会、区委九届五次全委会和经济工作会议精神,认真总结"
    "08年我镇的农业工作,分析当前形势,理清思路,科学部署09年农业工作。刚才,王浩同志已全面客观地总结了我镇今年的农业工作。"
)


def _wrapped(text: str, width: int) -> str:
    """The text's print lines (`width` characters) joined with a space, as the preview gives them."""
    return " ".join(text[i : i + width] for i in range(0, len(text), width))


SPACE_WRAPPED = "镇长在农业工作总结会上的讲话\n同志们:\n" + _wrapped(PARAGRAPH, 27) + "\n"


def test_a_pdf_preview_whose_wraps_became_spaces_has_its_words_joined():
    text = normalize_text(SPACE_WRAPPED).text
    for word in ("加快发展的一年", "突破性进展", "学习贯彻", "经济工作会议精神", "已全面客观地总结"):
        assert word in text, text
    assert " " not in text.split("\n", 2)[2]


def test_spaces_a_few_characters_apart_are_no_wraps():
    # names and keywords set apart by spaces, a byline's one space: no print line's width between them
    raw = "在全县表彰大会上的讲话\n县长 王勇\n受表彰的有 张三 李四 王五 赵六 孙七 周八 吴九。\n同志们:\n今天我们召开表彰大会。\n"
    lines = normalize_text(raw).text.split("\n")
    assert "受表彰的有 张三 李四 王五 赵六 孙七 周八 吴九。" in lines, lines


# A heading of understanding (`深刻认识…的极端重要性`, `准确把握…的重大意义`) run into its paragraph's first words:
# real doc-site copies (sanweiyuan.com, wtabcd.cn).
def test_a_heading_ending_on_the_significance_it_names_ends_there():
    raw = (
        "同志们:\n下面,我讲四点意见。\n一、提高站位,深刻认识优化营商环境的极端重要性营商环境是一个地方经济软实力和"
        "综合竞争力的重要体现。\n二、站位全局,准确把握推进“一号工程”的重大意义市委、市政府旗帜鲜明地提出优化营商环境"
        "“一号工程”。\n"
    )
    assert _headings(raw) == [
        ("1", "一、", "提高站位，深刻认识优化营商环境的极端重要性"),
        ("2", "一、", "站位全局，准确把握推进“一号工程”的重大意义"),
    ]
    # the noun going on (`重要性和紧迫性`, `意义在于`) is no heading's end
    raw = "同志们:\n下面讲两点。\n一、深刻认识做好安全生产工作的重要性和紧迫性我们要把安全放在首位。\n"
    assert _headings(raw) == [("1", "一、", "深刻认识做好安全生产工作的重要性和紧迫性")]

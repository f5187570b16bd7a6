"""Pages whose line breaks were lost in more real ways (bench/reflow.py's third round): a table of contents above the
speech, print indents (`&nbsp;` runs, ideographic spaces) where <p> and <br> were dropped, an outline heading that runs
into its paragraph after a bold close or a space, a WeChat copy's empty <p> between a label and its value, a page
title wrapped at its site separator. Real OpenCC and jieba, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.extract import extract_fields
from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "real" / "lawtext__gov" / "主要城市__上海市__2026.txt"

OPENING = "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"
BODY = "过去一年，全市经济运行稳中有进，地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。"
SPEECH = "各位代表：\n" + OPENING + "\n"


def _fields(page: str) -> dict:
    n = normalize_text(page)
    return extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)


def _lines(page: str) -> list[str]:
    return normalize_text(page).text.split("\n")


def _sections(page: str) -> list[tuple[str, str, str]]:
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", normalize_text(page).text)]


# ---------------------------------------------------------------- a table of contents above the speech


def test_a_table_of_contents_goes_and_the_outline_starts_once():
    """`目录` and its entries read as speech made the outline start twice: the body's headings were dropped as
    repeats (bench/reflow.py toc_top: 19 % of section rows kept)."""
    from bench.reflow import VARIANTS

    raw = SAMPLE.read_text("utf-8")
    want = _sections(raw)
    assert len(want) >= 9
    toc = VARIANTS["toc_top"](raw)
    assert "目录" in toc and "……" in toc
    n = normalize_text(toc)
    assert _sections(toc) == want
    assert "\n目录\n" not in "\n" + n.text and "……" not in n.text
    assert {r[2] for r in n.removed_lines if "……" in r[1]} == {"chrome.toc"}


def test_contents_without_leaders_go_when_each_entry_opens_a_line_below():
    page = (
        "2026年政府工作报告\n目 录\n一、2025年工作回顾\n二、2026年工作安排\n"
        + SPEECH
        + "一、2025年工作回顾\n"
        + BODY
        + "\n二、2026年工作安排\n"
        + BODY
        + "\n"
    )
    lines = _lines(page)
    assert lines.count("一、2025年工作回顾") == 1 and "目录" not in lines and "目 录" not in lines
    assert [s[:2] for s in _sections(page)] == [("1", "一、"), ("2", "一、")]


def test_contents_right_above_the_body_s_first_heading_end_before_it():
    """石家庄 2017 has no head: the contents run straight into the body's `一、…` (no page number, no repeat)."""
    toc = "目录\n一、2025年工作回顾……2\n二、2026年工作安排……5\n"
    page = toc + "一、2025年工作回顾\n" + BODY + "\n二、2026年工作安排\n" + BODY + "\n"
    assert _lines(page)[0] == "一、2025年工作回顾" and _lines(page).count("二、2026年工作安排") == 1


def test_heading_lines_that_no_line_below_repeats_are_kept():
    """A body's heading followed by a sub-heading line (`一、…` / `（一）…`) is no table of contents."""
    page = SPEECH + "一、2025年工作回顾\n（一）经济运行稳中有进\n" + BODY + "\n（二）民生福祉明显改善\n" + BODY + "\n"
    assert "一、2025年工作回顾" in _lines(page) and "（一）经济运行稳中有进" in _lines(page)


# ---------------------------------------------------------------- print indents where the breaks were


@pytest.mark.parametrize("indent", ["\u00a0" * 4, "\u3000\u3000"])
def test_a_short_page_joined_with_print_indents_is_split_at_them(indent):
    """Under JOINED_LINE_MIN no break of a joined line was trusted: the page stayed one line."""
    paras = ["各位代表：", OPENING, "一、2025年工作回顾", BODY, "二、2026年工作安排", BODY]
    page = "".join(indent + p for p in paras) + "\n"
    assert len(page) < 2500
    assert _lines(page) == paras


def test_a_byline_padded_with_ideographic_spaces_keeps_its_name():
    page = (
        "政府工作报告\u3000\u3000代市长\u3000\u3000刘国中\u3000\u3000"
        + "\u3000\u3000".join(["各位代表：", OPENING])
        + "\n"
    )
    assert _lines(page)[:2] == ["政府工作报告", "代市长 刘国中"]


def test_a_name_padded_with_no_break_spaces_stays_on_its_office_line():
    """乌鲁木齐 2022: `市长&nbsp;&nbsp;买买提明·卡德` (a name of names joined by ·)."""
    page = "政府工作报告\n市长\u00a0\u00a0买买提明·卡德\n" + SPEECH
    assert "市长 买买提明·卡德" in _lines(page)
    # seed 001's head joined: the name, then its date in brackets
    page = "在全区工作推进会议上的讲话区委副书记、区长\u00a0\u00a0孙俨玲(2012年6月15日)同志们:\n" + OPENING + "\n"
    assert _fields(page)["speaker_title"] == "区委副书记、区长"


def test_a_head_joined_with_nbsp_indents_keeps_its_byline():
    """`天津市市长 张工&nbsp;&nbsp;&nbsp;&nbsp;张工作政府工作报告。`: the caption's rule took the byline with it
    (bench/reflow.py nbsp_breaks, 2026 天津: speaker None)."""
    head = ["2026年天津市政府工作报告", "——2026年1月26日在天津市第十八届人民代表大会第四次会议上", "天津市市长 张工"]
    head += ["张工作政府工作报告。", "各位代表：", OPENING, BODY * 30]
    page = "".join("\u00a0" * 4 + p for p in head) + "\n"
    out = _fields(page)
    assert out["speaker_name"] == "张工" and out["speaker_title"] == "市长"


# ---------------------------------------------------------------- a heading that runs into its paragraph


def test_a_bold_heading_glued_to_its_paragraph_ends_at_its_bold_close():
    """normalize drops `**`, and with it where the heading ended: `一、2016年工作回顾过去一年，是…` was the heading."""
    page = (
        SPEECH.rstrip("\n")
        + "**一、2025年工作回顾**"
        + BODY
        + "**（一）经济运行稳中有进**"
        + BODY * 3
        + "**二、2026年工作安排**"
        + BODY
        + "\n"
    )
    assert [s[2] for s in _sections(page)] == ["2025年工作回顾", "经济运行稳中有进", "2026年工作安排"]


def test_a_stray_bold_close_or_one_before_punctuation_breaks_nothing():
    """淮安 2020's `**三、全面加强政府自身建**设` (no paragraph after the close), 哈尔滨 2026's `**（一）…**。`."""
    page = (
        SPEECH
        + "一、2025年工作回顾\n"
        + BODY
        + "\n二、2026年工作安排\n"
        + BODY
        + "\n**三、全面加强政府自身建**设\n"
        + BODY
        + "\n"
    )
    assert "三、全面加强政府自身建设" in _lines(page)
    page = SPEECH + "**一、坚持稳中求进**。" + BODY + "\n"
    n = normalize_text(page)
    assert "一、坚持稳中求进。" + BODY in n.text.split("\n") and "layout.paragraph_split" not in n.rule_counts


def test_a_heading_a_space_before_its_paragraph_ends_at_the_space():
    page = SPEECH + "一、2025年工作回顾 " + BODY * 4 + "二、2026年工作安排\u3000" + BODY + "\n"
    assert [s[2] for s in _sections(page)] == ["2025年工作回顾", "2026年工作安排"]


def test_a_heading_alone_on_its_line_keeps_its_inner_space():
    page = SPEECH + "一、推动 “十项工程”建设，培育一批支柱产业\n" + BODY + "\n二、2026年工作安排\n" + BODY + "\n"
    assert "一、推动“十项工程”建设，培育一批支柱产业" in _lines(page)


# ---------------------------------------------------------------- chrome a copy spread over lines


def test_a_source_label_an_empty_paragraph_above_its_value():
    """A WeChat copy: each line its own <p>, an empty <p> between (bench/reflow.py sentence_lines, 2026 四川)."""
    page = "2026年四川省人民政府工作报告\n\n来源:\n\n四川日报\n\n" + SPEECH.replace("\n", "\n\n") + BODY + "\n"
    assert _fields(page)["source_site"] == "四川日报"


def test_a_page_title_wrapped_at_its_separator_gives_the_site():
    """A PDF's width fell right after the ` - `: `…的重要讲话 - ` / `长城论坛 公益书院`."""
    page = "县长在全县城乡建设工作推进会议上的重要讲话 - \n长城论坛 公益书院\n" + SPEECH + BODY + "\n"
    assert _fields(page)["source_site"] == "长城论坛"


def test_a_bold_open_inside_the_bracket_keeps_the_outline_so_a_second_pass_changes_nothing():
    """`（**三）…**` (云南 2005's copy opens its bold inside the bracket): the first pass must see the heading as the
    second pass does once the stars are gone, or `**（四）…** 抓住…` after it is split only by the second pass."""
    page = (
        "各位代表：\n\n**一、过去一年的工作**\n\n**（一）经济平稳增长**\n\n全年生产总值增长8%。\n\n**（二）改革深化**\n\n"
        "改革取得进展。\n\n（**三）各项改革不断深化**\n\n农村税费改革顺利完成。\n\n"
        "**（四）对外开放继续扩大** 抓住机遇，加快开放步伐。全年进出口增长10%。\n\n**（五）民主法制建设进一步加强**\n\n法制建设加强。\n"
    )
    once = normalize_text(page).text
    assert "（四）对外开放继续扩大\n抓住机遇" in once
    assert normalize_text(once).text == once


# ---------------------------------------------------------------- a PDF's text: full lines that end a sentence

WRAP = 31


def _wrapped(paras: list[str], width: int = WRAP) -> str:
    return "\n".join(p[i : i + width] for p in paras for i in range(0, len(p), width))


def test_a_full_pdf_line_that_ends_a_sentence_continues_its_paragraph():
    # the first paragraph's first line is 31 characters and ends on `。`: a hard wrap cut there by chance
    first = "过去一年，全市经济运行总体稳中有进，地区生产总值增长百分之六。城乡居民收入稳步提高，民生福祉明显改善，社会大局保持稳定。"
    assert first[WRAP - 1] == "。"
    paras = [
        first,
        "（一）坚持创新驱动发展，加快建设现代化产业体系。",
        BODY * 3,
        "二、二〇二六年工作安排",
        OPENING * 2,
    ]
    page = _wrapped(paras * 2)
    assert _lines(page) == paras * 2


def test_a_full_pdf_line_ending_a_sentence_before_a_heading_ends_its_paragraph():
    end = "各项工作都取得了新的成效。"
    para = BODY + end
    assert len(para) % WRAP == 0 and para.endswith("。")
    paras = [
        para,
        "（二）加快建设现代化产业体系",
        BODY * 2,
        "——经济实力实现重大跨越，综合实力迈上新台阶。",
        OPENING * 2,
    ]
    assert _lines(_wrapped(paras * 2)) == paras * 2


def test_a_pdf_paragraph_cut_by_a_page_footer_keeps_its_lines_after_the_footer():
    # the footer falls between two full lines: the halves are joined first (two widths), the wrap goes on after it
    paras = [BODY * 2, OPENING * 3, BODY * 3, OPENING * 2]
    lines = _wrapped(paras).split("\n")
    cut = next(  # a line ending mid-word after the footer: only the wrap's width says its paragraph goes on
        i for i in range(1, len(lines)) if len(lines[i - 1]) == len(lines[i]) == WRAP and lines[i][-1] not in "，、。"
    )
    page = "\n".join([*lines[:cut], "第1页 共2页", *lines[cut:]])
    assert _lines(page) == paras


# ---------------------------------------------------------------- a WeChat copy: a sentence a line


def _sentence_lines(paras: list[str]) -> str:
    return "\n\n".join("\n".join(s + "。" for s in p.split("。") if s) for p in paras)


def test_a_page_set_one_sentence_a_line_gets_its_paragraphs_back():
    paras = [
        "过去一年，全市经济运行稳中有进。地区生产总值增长百分之六。城乡居民收入稳步提高。",
        "我们坚持稳中求进工作总基调。扎实推进高质量发展。民生福祉明显改善。",
        "今年是实施规划的关键一年。我们要坚定信心。攻坚克难，奋发有为。",
    ]
    page = (
        "2026年政府工作报告\n\n各位代表：\n\n"
        + _sentence_lines(paras[:2])
        + "\n\n一、今年工作安排\n\n"
        + _sentence_lines(paras[2:])
    )
    assert _lines(page) == ["2026年政府工作报告", "各位代表：", *paras[:2], "一、今年工作安排", paras[2]]


def test_a_lead_sentence_above_its_long_paragraph_keeps_its_line():
    # wikisource's 1998-2002 reports: a bold lead sentence, then its paragraph, in one run between blank lines
    runs = [
        f"{lead}\n{BODY * 3}"
        for lead in ("国民经济保持良好发展势头。", "经济体制改革进一步深化。", "城乡人民生活继续改善。")
    ]
    page = "各位代表：\n\n" + "\n\n".join(runs)
    assert _lines(page) == ["各位代表：", *[line for run in runs for line in run.split("\n")]]


# ---------------------------------------------------------------- a heading glued to its paragraph, nothing between


@pytest.mark.parametrize(
    "opening",
    ["今年是实施规划的关键一年，", "刚刚过去的2025年，", "2026年是承上启下之年，", "“十四五”时期，", "过去一年，"],
)
def test_a_heading_glued_to_its_paragraph_ends_where_a_time_word_opens_the_paragraph(opening):
    page = SPEECH + "一、2025年工作回顾" + opening + BODY + BODY + "二、2026年工作安排" + opening + BODY + "\n"
    assert [s[2] for s in _sections(page)] == ["2025年工作回顾", "2026年工作安排"]


@pytest.mark.parametrize(
    "opening",
    [
        "按照市委部署，",
        "根据国家统一安排，",
        "面对复杂严峻的外部环境，",
        "围绕高质量发展主线，",
        "今年要坚持稳中求进，",
        "一是稳住工业基本盘，",
    ],
)
def test_a_heading_glued_to_its_paragraph_ends_where_a_framing_word_opens_the_paragraph(opening):
    page = (
        SPEECH + "一、加快建设现代化产业体系" + opening + BODY + BODY + "二、全面深化改革开放" + opening + BODY + "\n"
    )
    assert [s[2] for s in _sections(page) if s[1] == "一、"] == ["加快建设现代化产业体系", "全面深化改革开放"]


def test_a_framing_word_inside_a_sentence_keeps_the_glued_heading_whole():
    # after a comma or an adverb that takes it (`新年伊始，面对`, `严格按照`, `紧紧围绕`) it opens no paragraph, nor does 根据地
    page = (
        SPEECH
        + "（一）严格按照法定权限和程序履行职责。"
        + BODY
        + "\n（二）紧紧围绕中心服务大局，关心革命老根据地建设。"
        + BODY
        + "\n（三）新年伊始，面对疫情冲击稳住经济大盘。"
        + BODY
        + "\n"
    )
    assert [s[2] for s in _sections(page)] == [
        "严格按照法定权限和程序履行职责",
        "紧紧围绕中心服务大局，关心革命老根据地建设",
        "新年伊始，面对疫情冲击稳住经济大盘",
    ]


def test_a_time_word_inside_a_run_in_heading_sentence_keeps_the_heading_whole():
    # `确保今年…` and `回顾过去的2025年，` are the heading's own words: no break before them
    page = (
        SPEECH
        + "（一）坚持稳中求进，确保今年目标任务全面完成。"
        + BODY
        + "\n（二）回顾过去的2025年，成绩来之不易。"
        + BODY
        + "\n"
    )
    assert [s[2] for s in _sections(page)] == [
        "坚持稳中求进，确保今年目标任务全面完成",
        "回顾过去的2025年，成绩来之不易",
    ]


@pytest.mark.parametrize("pad", ["\u3000\u3000", "\u00a0\u00a0\u00a0\u00a0"])
def test_a_padded_byline_run_into_the_salutation_breaks_before_the_salutation(pad):
    page = f"2026年政府工作报告\n市长{pad}许勤各位代表：\n{OPENING}\n"
    assert _lines(page)[:3] == ["2026年政府工作报告", "市长 许勤", "各位代表："]


# ---------------------------------------------------------------- a short page on one line, spaces where breaks were


def test_a_short_page_joined_with_spaces_is_split_where_its_paragraphs_met():
    paras = [
        "会议听取和审议了市长所作的政府工作报告。会议充分肯定市人民政府过去一年的工作，决定批准这个报告。",
        "会议号召，全市人民更加紧密地团结起来，坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，扎实推动高质量发展。"
        "会议要求，各级政府要认真履职，依法行政，持续改善民生，保持社会大局稳定。",
        "让我们携手并进、团结奋斗，为全面完成今年目标任务而努力奋斗！",
    ]
    page = "关于政府工作报告的决议 （2026年1月20日市第十六届人民代表大会第四次会议通过） " + " ".join(paras) + "\n"
    assert _lines(page)[-3:] == paras


def test_a_short_paragraph_typeset_with_a_space_after_each_sentence_stays_whole():
    para = "会议听取和审议了市长所作的政府工作报告。 会议充分肯定市人民政府过去一年的工作。 决定批准这个报告。 " * 3
    assert _lines("关于政府工作报告的决议\n" + para.strip() + "\n") == [
        "关于政府工作报告的决议",
        para.replace(" ", "").strip(),
    ]


# ---------------------------------------------------------------- a page footer right below a heading


def test_a_pdf_heading_right_above_a_page_footer_keeps_its_line():
    # the footer falls after a heading: the heading is shorter than the page's width, so no paragraph goes on there
    paras = [BODY * 2, "（二）加快建设现代化产业体系", BODY * 3, OPENING * 2]
    lines = _wrapped(paras).split("\n")
    at = lines.index("（二）加快建设现代化产业体系") + 1
    page = "\n".join([*lines[:at], "第1页 共2页", *lines[at:]])
    assert _lines(page) == paras


def test_a_bold_heading_right_above_a_page_footer_keeps_its_line():
    # no wrap width to go by (a doc site's viewer pages): the closed bold span is a heading of its own
    page = SPEECH + "**一、主要工作**\n第3页 共8页\n全市经济运行稳中有进。\n二、今年安排\n今年要做好以下工作。\n"
    assert _lines(page)[-4:] == ["一、主要工作", "全市经济运行稳中有进。", "二、今年安排", "今年要做好以下工作。"]


# ---------------------------------------------------------------- a PDF heading exactly one line wide

WIDE = "（二）统筹推进城乡区域协调发展加快建设现代化都市圈和城市群落地"  # no punctuation after its marker


def test_a_pdf_heading_exactly_a_line_wide_keeps_its_line_where_the_page_sets_headings_alone():
    assert len(WIDE) == WRAP
    paras = ["（一）坚持创新驱动发展", BODY * 2, WIDE, BODY * 3, "（三）持续保障和改善民生", OPENING * 2]
    assert _lines(_wrapped(paras)) == paras
    assert [s[2] for s in _sections(_wrapped(paras))] == [p[3:] for p in paras[::2]]


def test_a_full_unpunctuated_first_line_of_a_run_in_heading_continues():
    # the page's headings of the style run into their paragraphs: the wide line is the first line of a long one
    long = WIDE + "，全面提升发展质量和效益。" + BODY
    paras = ["（一）坚持创新驱动发展。" + BODY * 2, long, "（三）持续保障和改善民生。" + OPENING * 2]
    assert _lines(_wrapped(paras)) == paras


# ---------------------------------------------------------------- short sections glued a few at a time


def test_short_sections_glued_close_together_continue_the_outline():
    # a review's short sections (under OUTLINE_GAP characters apart) numbered on from （七）: no inline enumeration
    short = "全市创造性地开展了领导接访、干部下访和党员走访活动，群众满意度明显提高。"
    page = (
        SPEECH
        + "".join(f"（{n}）第{n}项工作取得新成效。{BODY * 3}\n" for n in "一二三四五六")
        + f"（七）社会大局和谐稳定。{BODY * 2}（八）三访三化成效明显。{short}（九）政府自身建设得到加强。{short}\n"
    )
    assert [s[2] for s in _sections(page)][-3:] == ["社会大局和谐稳定", "三访三化成效明显", "政府自身建设得到加强"]


def test_an_inline_enumeration_counted_from_one_stays_in_its_paragraph():
    page = SPEECH + "一、主要工作\n" + BODY + "重点抓好：（一）稳增长。（二）促改革。（三）惠民生。" + BODY + "\n"
    assert [s[2] for s in _sections(page)] == ["主要工作"]


@pytest.mark.parametrize(
    "opening",
    [
        "我们要坚持稳中求进，",
        "这是全市上下共同奋斗的结果，",
        "本届政府将坚持依法行政，",
        "各级政府要带头过紧日子，",
        "坚持把发展经济的着力点放在实体经济上，",
        "始终把人民群众的安危冷暖放在心上，",
        "大力发展新质生产力，",
        "全面落实“两个毫不动摇”，",
        "坚定不移推进改革开放，",
        "多措并举稳定就业，",
        "认真贯彻新发展理念，",
        "只有正视不足才能精准发力，",
        "如果没有稳定的环境，",
        "当今世界正经历百年未有之大变局，",
    ],
)
def test_a_heading_glued_to_its_paragraph_ends_where_a_clause_opens_with_its_subject_or_a_stock_opening(opening):
    """A heading is an imperative phrase: a subject (`我们要`, `这是`, `本届政府`), a 把 construction after a word of
    stance or a paragraph's stock opening past its first words starts the paragraph (grouped layout: 99 headings)."""
    page = (
        SPEECH + "一、加快建设现代化产业体系" + opening + BODY + BODY + "二、全面深化改革开放" + opening + BODY + "\n"
    )
    assert [s[2] for s in _sections(page) if s[1] == "一、"] == ["加快建设现代化产业体系", "全面深化改革开放"]


def test_a_clause_opening_inside_a_heading_or_a_sentence_keeps_it_whole():
    # its first words (`坚定不移推进…`), after a comma, 须 or a dash (`必须大力发展`, `改革——我们的…`), `我们的`:
    # the heading's own words
    page = (
        SPEECH
        + "（一）坚定不移推进全面从严治党。"
        + BODY
        + "\n（二）建设文化强市，必须大力发展文化产业。"
        + BODY
        + "\n（三）改革——我们的最大红利，坚持把改革推向深入。"
        + BODY
        + "\n（四）深化改革，我们要啃硬骨头。"
        + BODY
        + "\n"
    )
    assert [s[2] for s in _sections(page)] == [
        "坚定不移推进全面从严治党",
        "建设文化强市，必须大力发展文化产业",
        "改革——我们的最大红利，坚持把改革推向深入",
        "深化改革，我们要啃硬骨头",
    ]

"""Figures: quantities only, what they measure, target or outcome, ranges, years, plausibility."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks.extract_figures import INDICATORS, extract_figures
from tasks.extract_structure import extract_sections

ROOT = Path(__file__).resolve().parents[1]


def _by(text: str, **kw) -> dict[str, dict]:
    return {r["as_written"]: r for r in extract_figures("d", text, [], **kw)}


def test_figures_units_qualifiers_placeholders_implausible():
    text = "一、回顾\n2020年共征收土地1400亩，完成拆迁52万平方米，投资要达到220230亿元，同比增长16.4%，×个重点项目，约30亿元以上。"
    rows = extract_figures("d", text, extract_sections("d", text))
    by = {r["as_written"]: r for r in rows}
    assert by["1400亩"]["kind"] == "area" and by["1400亩"]["value"] == 1400 and by["1400亩"]["ref_year"] == 2020
    assert by["52万平方米"]["unit"] == "万平方米" and by["52万平方米"]["value"] == 52
    assert by["220230亿元"]["is_implausible"] and by["220230亿元"]["unit"] == "亿元"
    assert by["16.4%"]["kind"] == "percentage" and "同比" in by["16.4%"]["qualifiers"]
    assert by["×个"]["is_placeholder"] and by["×个"]["value"] is None
    assert "以上" in by["30亿元"]["qualifiers"] and "约" in by["30亿元"]["qualifiers"] and by["30亿元"]["low"] == 30
    assert all(r["section_path"] == "1" for r in rows)
    big = extract_figures("d", "全国生产总值达到5.67万亿元。", [], national=True)
    assert big[0]["value"] == pytest.approx(56700) and not big[0]["is_implausible"]


def test_damaged_digits_flagged_against_the_documents_own_figures():
    text = (
        "我区今后五年投资要到达220230亿元，投资率要到达50%以上，现在要求60%，这样算起来今年要完成42023亿元以上。"
        "增加涉案金额1.2亿元；增加涉案金额7.2亿元。企业欠款30亿元。"
    )
    by = _by(text)
    assert by["220230亿元"]["is_implausible"] and by["42023亿元"]["is_implausible"]
    assert not by["30亿元"]["is_implausible"] and not by["7.2亿元"]["is_implausible"]
    ok = _by("地区生产总值14163亿元，财政收入1300亿元，投资5600亿元。")
    assert not ok["14163亿元"]["is_implausible"]


def test_plausibility_per_level():
    national = _by("国内生产总值56.9万亿元，比上年增长6.9%。", national=True, year=2018)
    assert not national["56.9万亿元"]["is_implausible"]
    county = _by("全县地区生产总值达到56.9万亿元。", admin_level="county")
    assert county["56.9万亿元"]["is_implausible"]


def test_set_phrases_and_ordinals_are_not_figures():
    text = "第十四届全国人民代表大会第三次会议，坚持“三个代表”，实现“两个一百年”，统筹推进“五位一体”，共建“一带一路”，“十三五”以来，百家宴。"
    assert extract_figures("d", text, []) == []


def test_ranges_and_one_sided_bounds():
    by = _by(
        "今年发展主要预期目标是：国内生产总值增长6.5%—7%，居民消费价格涨幅3%以内，城镇新增就业1100万人以上。",
        national=True,
        year=2016,
    )
    g = by["6.5%—7%"]
    assert (g["low"], g["high"], g["value"]) == (6.5, 7.0, 6.75)
    assert g["indicator"] == "国内生产总值" and g["measure"] == "growth" and g["is_target"] and g["ref_year"] == 2016
    assert by["3%"]["high"] == 3 and by["3%"]["low"] is None and by["3%"]["indicator"] == "居民消费价格"
    assert by["1100万人"]["low"] == 1100 and by["1100万人"]["indicator"] == "城镇新增就业"
    assert _by("经济增长4.5-5%。", national=True, year=2026)["4.5-5%"]["low"] == 4.5
    assert _by("今年计划增长6%到6.5%。")["6%到6.5%"]["high"] == 6.5
    cn = _by("今年经济增长速度的宏观调控目标，定为百分之八至九。", national=True, year=1995)["百分之八至九"]
    assert (cn["low"], cn["high"], cn["indicator"], cn["is_target"]) == (8, 9, "国内生产总值", True)


def test_outcome_vs_target_and_ref_year():
    text = (
        "过去一年，国内生产总值达到134.9万亿元、增长5%，城镇调查失业率平均为5.1%。\n"
        "今年发展主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右。\n"
        "2023年粮食产量1.39万亿斤。财政赤字率拟按4%左右安排。"
    )
    rows = extract_figures("d", text, [], national=True, year=2025)
    out = [(r["as_written"], r["indicator"], r["measure"], r["is_target"], r["ref_year"]) for r in rows]
    assert ("134.9万亿元", "国内生产总值", "level", False, 2024) in out
    assert ("5%", "国内生产总值", "growth", False, 2024) in out
    assert ("5.1%", "城镇调查失业率", "share", False, 2024) in out
    assert ("5%", "国内生产总值", "growth", True, 2025) in out
    assert ("1.39万亿斤", "粮食产量", "level", False, 2023) in out
    assert ("4%", "财政赤字率", "share", True, 2025) in out


def test_share_of_gdp_is_not_gdp_and_declines_are_negative():
    by = _by("财政赤字占国内生产总值的比重降到1.5%左右，单位国内生产总值能耗降低3%左右。", national=True, year=2013)
    assert by["1.5%"]["indicator"] != "国内生产总值" and by["1.5%"]["measure"] == "share"
    assert by["3%"]["indicator"] == "单位国内生产总值能耗" and by["3%"]["value"] == -3


def test_local_gdp_is_regional():
    r = _by("全市生产总值增长7%以上。", year=2020)["7%"]
    assert r["indicator"] == "地区生产总值" and r["low"] == 7


def test_every_indicator_is_documented():
    doc = (ROOT / "docs" / "indicators.md").read_text("utf-8")
    names = {name for name, _, _ in INDICATORS}
    assert names <= set(re.findall(r"`([^`]+)`", doc))


def test_bad_input():
    assert extract_figures("d", "", []) == []
    assert extract_figures("d", "%%、1-2月、2016—2020年、第3次", []) == []


def _ind(text: str, **kw) -> list[tuple]:
    return [(r["as_written"], r["indicator"], r["value"]) for r in extract_figures("d", text, [], **kw)]


def test_respectively_lists_pair_values_with_items():
    # 城乡 = 城镇 and 农村
    assert _ind("城乡居民人均可支配收入分别增长5.4%、7.6%。", year=2026) == [
        ("5.4%", "城镇居民人均可支配收入", 5.4),
        ("7.6%", "农村居民人均可支配收入", 7.6),
    ]
    # A、B和C…分别增长x%、y%和z%
    assert [i for _, i, _ in _ind("全市生产总值、地方财政收入、固定资产投资年均分别增长10.2%、17.5%和15.4%。")] == [
        "地区生产总值",
        "财政收入",
        "固定资产投资",
    ]
    # shared head (城镇、农村居民…), a second 分别 list with no phrase of its own, declines keep their sign
    rows = _ind("城镇和农村居民人均可支配收入分别达到41314元和18931元，分别增长5.3%和6.5%。")
    assert [i for _, i, _ in rows] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"] * 2
    assert _ind("安全事故起数和死亡人数分别下降7.6%和16.1%。") == [("7.6%", None, -7.6), ("16.1%", None, -16.1)]
    assert _ind("确保粮食种植面积、产量分别达180万亩、13.5亿斤以上。")[1][1] == "粮食产量"
    # an item that only contains an alias as a modifier is not that indicator
    rows = _ind("今后五年，单位国内生产总值用水量、能耗、二氧化碳排放量分别下降23%、15%、18%。", national=True)
    assert all(i != "国内生产总值" for _, i, _ in rows)


def test_bare_list_after_figures_of_different_indicators():
    rows = _ind("城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%。", year=2010)
    assert rows[2:] == [("9.8%", "城镇居民人均可支配收入", 9.8), ("8.5%", "农村居民人均纯收入", 8.5)]


def test_minus_signs_placeholders_and_bases():
    rows = extract_figures(
        "d", "去年工业总产值增速-×%，工业增加值增长-2.5%，与2002年相比，地区生产总值增长1.2倍。", [], year=2021
    )
    by = {r["as_written"]: r for r in rows}
    assert by["-×%"]["indicator"] == "工业总产值" and by["-×%"]["is_placeholder"]
    assert by["-2.5%"]["value"] == -2.5 and by["-2.5%"]["indicator"] == "工业增加值"
    assert by["1.2倍"]["ref_year"] != 2002  # a base year is not the year referred to
    assert _ind("早籼稻每50公斤提高3元。") == [("3元", None, 3.0)]  # 每50公斤: a base
    assert _ind("三个多月以来，坚持“三个代表”。") == []


def test_heading_year_and_local_gdp_words():
    text = "一、2022年工作回顾\n全市完成投资248亿元。\n二、2023年工作安排\n全年新增学位10000个。"
    rows = extract_figures("d", text, extract_sections("d", text), year=2022)
    assert [(r["as_written"], r["is_target"], r["ref_year"]) for r in rows] == [
        ("248亿元", False, 2022),
        ("10000个", True, 2023),
    ]
    by = _by("1997年全省国内生产总值达到6650亿元，人均国内生产总值比1992年增长97.9%。", year=1998)
    assert by["6650亿元"]["indicator"] == "地区生产总值" and by["6650亿元"]["ref_year"] == 1997
    assert by["97.9%"]["indicator"] == "人均地区生产总值" and by["97.9%"]["ref_year"] == 1997
    assert _by("全国国内生产总值增长5%。", year=2025)["5%"]["indicator"] == "国内生产总值"
    r = _by("无论今年一季度16.4%的经济增速，还是去年15.3%的经济增速。", year=2022)
    assert (r["16.4%"]["indicator"], r["16.4%"]["measure"], r["15.3%"]["ref_year"]) == ("地区生产总值", "growth", 2021)


def test_gdp_words_in_a_gnp_sentence_mean_gnp():
    text = "我们要实现到本世纪末国民生产总值翻两番的战略目标，今后大体需要保持每年递增百分之五点四的经济增长速度。"
    assert _ind(text, national=True, year=1990) == [("百分之五点四", "国民生产总值", 5.4)]


def test_sentence_memos_equal_the_per_number_scans():
    """Years and clause bounds are found once per sentence: the years ending by a number's start are those a scan
    of the text before it finds (YEAR_RE and CN_YEAR_RE look neither ahead nor past their match), and the clause
    bounds are the character walk's."""
    import random

    from tasks import extract_figures as F

    rng = random.Random(3)
    years = 0
    pieces = ["2020", "1998", "20", "19", "二〇二一", "一九九九", "〇", "年", " ", "比", "与", "相比", "同期", "较"]
    pieces += ["，", "、", "；", ":", "增长", "5.3%", "亿元", "低于", "1", "9"]
    for _ in range(3000):
        sent = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        for start in range(len(sent) + 1):
            head = sent[:start]
            found = [(m.start(), m.end(), int(m.group(1))) for m in F.YEAR_RE.finditer(head)]
            found += [(m.start(), m.end(), F._cn_year(m.group(1))) for m in F.CN_YEAR_RE.finditer(head)]
            memo = [(s, e) for s, e, _ in F._stated_years(sent) if e <= start]
            assert set(memo) <= {(s, e) for s, e, _ in found}, (sent, start)
            kept = [
                (s, e)
                for s, e, y in sorted(found)
                if y
                and not re.search(r"(?:[比与较同]|低于|高于|相对)\s*$", sent[max(0, s - 3) : s])
                and not re.match(r"\s*(?:相比|比|同期|水平|不变价|价格|可比价)", sent[e : e + 4])
            ]
            assert memo == kept, (sent, start)
            years += len(memo)
            if start < len(sent):
                s = start
                while s > 0 and sent[s - 1] not in F.CLAUSE_SPLIT:
                    s -= 1
                e = start
                while e < len(sent) and sent[e] not in F.CLAUSE_SPLIT:
                    e += 1
                assert F._clause_bounds(sent, start) == (s, e)
    assert years > 1000  # the pieces do write stated years


def test_a_plan_part_that_numbers_its_sections_from_one_again():
    """`2021年主要目标和重点工作` then `一、…`: the outline goes on (8, 9 …) and the plan part's figures are targets
    (广元 2021: its 45 plan figures were read as outcomes of the last review section)."""
    from tasks.extract_structure import extract_sections, extract_tables

    review = "".join(f"{n}、做好第{n}项工作\n过去一年，全市新建学校{n}所，增长{n}%。\n" for n in "一二三")
    plan = "".join(f"{n}、推进第{n}项任务\n全年新建学校{n}0所，增长{n}%左右。\n" for n in "一二")
    text = "各位代表：\n2020年工作回顾\n" + review + "2021年主要目标和重点工作\n" + plan
    paths = [r["path"] for r in extract_sections("d", text) if r["level"] == 1]
    assert paths == ["1", "2", "3", "4", "5"]
    figures = extract_tables("d", text, 2021, "prefecture")["figures"]
    planned = [f["is_target"] for f in figures if f["start"] > text.index("2021年主要目标")]
    done = [f["is_target"] for f in figures if f["start"] < text.index("2021年主要目标")]
    assert planned and all(planned) and done and not any(done)


def test_a_quantity_per_unit_of_output_is_not_output():
    """万元GDP用水量下降40% gave GDP growth -40 (77 rows of the shared corpus)."""
    for text in ("万元GDP用水量下降40%。", "单位地区生产总值建设用地下降4%。"):
        (row,) = extract_figures("d", text, [], False, 2020, "prefecture")
        assert row["indicator"] is None, text
    (row,) = extract_figures("d", "全市GDP增长5.5%。", [], False, 2020, "prefecture")
    assert row["indicator"] == "地区生产总值"


def test_the_year_a_multiple_is_taken_of_is_not_its_year():
    """是2002年的2.5倍: the multiple is this report's outcome (ref_year 2007 in a 2008 report), not 2002's."""
    rows = extract_figures("d", "全市生产总值达到500亿元，是2002年的2.5倍。", [], False, 2008, "prefecture")
    assert [(r["as_written"], r["ref_year"]) for r in rows] == [("500亿元", 2007), ("2.5倍", 2007)]
    (row,) = extract_figures("d", "其中2007年完成投资30亿元。", [], False, 2008, "prefecture")
    assert row["ref_year"] == 2007


def test_a_glossary_after_the_speech_is_no_outline():
    """`名词解释` then `1.“六稳”：…`: the glossary's numbered terms were parsed as sections (~500 rows)."""
    from tasks.extract_structure import extract_sections

    speech = (
        "".join(f"{n}、做好第{n}项工作\n过去一年，全市经济运行稳中有进，民生福祉明显改善。\n" for n in "一二三") * 3
    )
    text = speech + "名词解释\n1.“六稳”：稳就业、稳金融、稳外贸。\n2.“四早”：早诊断、早隔离。\n"
    rows = extract_sections("d", text)
    assert [r["heading"] for r in rows][-1].startswith("做好第三项") and all("六稳" not in r["heading"] for r in rows)
    assert rows[-1]["end"] == text.index("名词解释")


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("全年累计实施100亿元以上项目45个。", "100亿元"),  # a bound, then the class it bounds
        ("其中10亿元以上33个，建成投产117个。", "10亿元"),  # the class's count right after
        ("集体经济收入50万元以上的村达到90%。", "50万元"),
        ("集体经济收入5万元以下薄弱村全部清零。", "5万元"),
        ("年产10万吨以上项目开工建设。", "10万吨"),
        ("产值超百亿元产业集群达到15个。", "百亿元"),  # over a size, no bound word
        ("营业收入过10亿元的企业达到7家。", "10亿元"),
        ("培育一批千亿元产业集群。", "千亿元"),  # the class named straight after the size
        ("新增10亿元企业3家。", "10亿元"),
    ],
)
def test_a_size_that_names_a_class_is_a_threshold(text, figure):
    assert _by(text)[figure]["measure"] == "threshold"


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("全年完成固定资产投资3000亿元以上，其中工业投资1000亿元。", "3000亿元"),  # a level with its bound
        ("力争实现产值1000亿元以上的目标。", "1000亿元"),
        ("设立5亿元企业应急纾困基金。", "5亿元"),  # the fund's money
        ("成功发行15亿元企业债券。", "15亿元"),
        ("实施总投资超830亿元的产业项目。", "830亿元"),  # the projects' total
        ("打造40平方公里专业市场集群。", "40平方公里"),  # an area, not a class of sizes
    ],
)
def test_an_amount_with_a_bound_or_a_noun_after_it_stays_an_amount(text, figure):
    assert _by(text)[figure]["measure"] != "threshold"


@pytest.mark.parametrize(
    "text",
    [
        "出台“民营经济32条”，落实“7个100%”要求。",  # a policy named by its count
        "积极开展对“4050人员”的就业援助，推动“三公里”就业圈建设。",
        "进一步破除城乡二元结构，坚持党的一元化领导。",  # a numeral word, not money
        "1985年一度出现经济过热，中心城区“两度两力”全面提升。",
        "十三亿大陆同胞和两千三百万台湾同胞是血脉相连的命运共同体。",
        "落实《海南省515人才工程实施方案》。",
    ],
)
def test_numbers_inside_names_and_words_are_not_figures(text):
    assert _by(text) == {}


def test_quantities_next_to_those_words_stay():
    by = _by("引进资金3807亿人民币，每斤三元钱，节约用电一度电，“十三五”期间新增就业120万人。")
    assert by["3807亿人民币"]["unit"] == "亿元" and by["3807亿人民币"]["value"] == 3807
    assert by["三元"]["value"] == 3 and by["一度"]["value"] == 1
    assert by["120万人"]["value"] == 120


def test_this_year_in_the_numbers_clause_outranks_a_year_written_before():
    """1964's `一九五七年只有一百九十四万吨，今年预计增加到六百四十万吨`: 640 was dated 1957 (the written year)."""
    text = (
        "国家供应农业的化学肥料，一九五七年只有一百九十四万吨，今年预计增加到六百四十万吨。\n"
        "资本充足率从2007年底的8.4%提升到去年底的13.3%。\n"
        "1979年重工业总产值比上年增长7.7%，今年上半年又比去年同期增长6%。\n"
        "1982年的计划，要求工农业总产值的增长速度由今年预计的3%提高到4%。\n"
        "1955年国家决算用于经济建设方面的支出，共占本年支出的46.89%。\n"
        "到2018年培育10家以上年主营业务收入超100亿元的大型企业；6个以上年主营业务收入超300亿元的产业集群。"
    )
    ref = {r["as_written"]: r["ref_year"] for r in extract_figures("d", text, [], national=True, year=1964)}
    assert ref["六百四十万吨"] == 1964 and ref["一百九十四万吨"] == 1957
    assert ref["13.3%"] == 1963 and ref["8.4%"] == 2007
    assert ref["6%"] == 1964 and ref["7.7%"] == 1979
    assert ref["3%"] == 1964 and ref["4%"] == 1982  # after the clause's last number only
    assert ref["46.89%"] == 1955  # 本年 counts from the year written before it, not from the speech
    assert ref["300亿元"] == 2018  # 以上年 is no 上年


# Run-on "sentences" (a page that lost its 。) took minutes before (each figure re-read its sentence from its start):
# `python -m bench.bench_extract_hostile` measures their time; here, what they give.
RUN_ON_CHARS = 50_000


@pytest.mark.parametrize("unit", ["收入增长8元", "增长8.5%，"], ids=["no_clause_marks", "clauses"])
def test_a_run_on_sentence_of_figures_keeps_every_figure_at_its_place(unit):
    text = (unit * (RUN_ON_CHARS // len(unit) + 1))[:RUN_ON_CHARS]
    rows = extract_figures("d", text, [])
    assert rows and all(text[r["start"] : r["start"] + len(r["as_written"])] == r["as_written"] for r in rows)


def test_a_long_sentence_is_read_in_pieces_cut_at_clause_marks():
    """A sentence over FIGURE_SENTENCE_MAX is read in pieces: its figures keep their offsets and their clause's
    indicator; a sentence under it is read whole, as before."""
    from tasks.extract_figures import FIGURE_SENTENCE_MAX

    clause = "全市地区生产总值增长8.5%，"
    text = clause * (3 * FIGURE_SENTENCE_MAX // len(clause)) + "城镇居民人均可支配收入增长6%。"
    rows = extract_figures("d", text, [])
    assert len(rows) == 3 * FIGURE_SENTENCE_MAX // len(clause) + 1
    assert {r["indicator"] for r in rows[:-1]} == {rows[0]["indicator"]} and rows[0]["indicator"]
    assert rows[-1]["as_written"] == "6%" and text[rows[-1]["start"] :].startswith("6%")
    short = clause * 10 + "城镇居民人均可支配收入增长6%。"
    assert len(extract_figures("d", short, [])) == 11

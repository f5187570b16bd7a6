"""Extraction on the seeds' hand labels (tests/fixtures/extract/seeds.json) and one synthetic line per pattern."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tasks import extract as E
from tasks.extract_structure import extract_mentions, extract_sections, extract_slogans
from tasks.extract_text import find_date, simplify

ROOT = Path(__file__).resolve().parents[1]
LABELS = json.loads((ROOT / "tests/fixtures/extract/seeds.json").read_text("utf-8"))
SEEDS = sorted(k for k in LABELS if not k.startswith("_"))
FIELDS = [
    "title",
    "doc_type",
    "speaker_name",
    "speaker_title",
    "admin_level",
    "region",
    "region_code",
    "meeting",
    "delivered_on",
    "published_on",
    "year",
    "source_site",
]


def _normalize(raw: str):
    try:
        from tasks.normalize import normalize_text

        n = normalize_text(raw)
        return n.text, list(n.removed_lines)
    except ImportError:
        return simplify(raw), []


@pytest.fixture(scope="module")
def seed_out():
    out = {}
    for name in SEEDS:
        raw = (ROOT / "data/samples/seeds" / name).read_text("utf-8", errors="replace")
        text, removed = _normalize(raw)
        out[name] = (text, E.extract_fields(text, raw_text=raw, removed_lines=removed))
    return out


@pytest.mark.parametrize("name", SEEDS)
@pytest.mark.parametrize("field", FIELDS)
def test_seed_fields_match_hand_labels(seed_out, name, field):
    gold = LABELS[name][field]
    if field in ("delivered_on", "published_on") and gold:
        gold = dt.date.fromisoformat(gold)
    assert seed_out[name][1][field] == gold


@pytest.mark.parametrize("name", SEEDS)
def test_seed_anonymized_flag(seed_out, name):
    assert bool(seed_out[name][1]["flags"].get("anonymized_speaker")) == LABELS[name]["anonymized_speaker"]


def test_output_keys_and_types(seed_out):
    out = seed_out[SEEDS[0]][1]
    assert set(out) == {
        "title",
        "page_title",
        "doc_type",
        "speaker_name",
        "speaker_title",
        "admin_level",
        "region",
        "region_code",
        "region_mentions",
        "meeting",
        "delivered_on",
        "published_on",
        "year",
        "source_site",
        "url",
        "flags",
    }
    assert isinstance(out["region_mentions"], list) and "桥东区" in out["region_mentions"]


@pytest.mark.parametrize("bad", ["", "\n\n", "x" * 5, "一、\n（一）\n1.", "\ufffd" * 50, "同志们：\n" * 3])
def test_bad_input_never_raises(bad):
    out = E.extract_fields(bad, raw_text=bad, removed_lines=[(1, bad, "chrome.x")])
    assert isinstance(out["flags"], dict)
    tables = E.extract_tables("d", bad)
    assert set(tables) == {"sections", "figures", "slogans", "mentions"}


# ---------------------------------------------------------------- synthetic lines, one per pattern


def _fields(text, **kw):
    return E.extract_fields(text, **kw)


def test_byline_office_and_name():
    out = _fields(
        "政府工作报告\n——2016年1月19日在淮安市第七届人民代表大会第五次会议上\n淮安市人民政府代市长 惠建林\n各位代表：\n现在报告工作。"
    )
    assert out["speaker_name"] == "惠建林"
    assert out["speaker_title"] == "代市长"
    assert out["delivered_on"] == dt.date(2016, 1, 19)
    assert out["meeting"] == "淮安市第七届人民代表大会第五次会议"
    assert out["region"] == "江苏省淮安市" and out["region_code"] == "320800"
    assert out["admin_level"] == "prefecture"
    assert out["doc_type"] == "政府工作报告"


def test_byline_province_with_spaced_name():
    out = _fields(
        "在全省经济工作会议上的讲话\n广东省省长 马兴瑞\n同志们：\n全省上下要努力。全省经济稳中向好，省委省政府。"
    )
    assert out["speaker_name"] == "马兴瑞" and out["speaker_title"] == "省长"
    assert out["region"] == "广东省" and out["admin_level"] == "province"
    out = _fields("讲话\n市长 张 维国\n同志们：\n全市。")
    assert out["speaker_name"] == "张维国" and out["speaker_title"] == "市长"


def test_title_office_without_name_and_anonymized():
    out = _fields("长城区区长在全区工作会议上的讲话\n同志们：\n今天召开会议。")
    assert out["speaker_title"] == "区长" and out["speaker_name"] is None
    assert out["region"] == "甘肃省嘉峪关市长城区" and out["region_code"] is None
    assert out["flags"].get("region_no_code") == 1 and not out["flags"].get("anonymized_speaker")
    out = _fields("X区长在区政府全体会上的讲话\n今天，我们召开区政府全体会议。")
    assert out["speaker_title"] == "区长" and out["speaker_name"] is None
    assert out["flags"]["anonymized_speaker"] == 1


def test_ambiguous_district_resolved_by_context():
    body = "同志们：\n推动桥东区的新跨越。桥东区要争当邢台发展排头兵，大梁庄乡、东郭村镇都有突破。全区上下。"
    out = _fields("在全区大会上的讲话\n" + body)
    assert out["region"] == "河北省邢台市桥东区" and out["region_code"] == "130502"
    assert out["flags"].get("region_renamed") == 1
    out = _fields("在全区大会上的讲话\n同志们：\n桥东区要争当张家口发展排头兵。全区上下，桥东区。")
    assert out["region"] == "河北省张家口市桥东区" and out["region_code"] == "130702"


def test_chinese_numeral_and_paren_dates():
    assert find_date("二〇一六年一月十九日")[0] == dt.date(2016, 1, 19)
    out = _fields("在全县大会上的讲话\n（2012年6月15日）\n同志们：\n全县。")
    assert out["delivered_on"] == dt.date(2012, 6, 15) and out["year"] == 2012
    out = _fields("讲话\n——二〇一六年一月十九日在全县农村工作会议上\n同志们：\n全县。")
    assert out["delivered_on"] == dt.date(2016, 1, 19)
    assert out["meeting"] == "全县农村工作会议"


def test_published_on_and_source_site_from_chrome():
    raw = "某某讲话\n发布时间:2021-03-25 来源:布克知识网 点击:\n同志们：\n全区。"
    out = _fields(
        "某某讲话\n同志们：\n全区。",
        raw_text=raw,
        removed_lines=[(2, "发布时间:2021-03-25 来源:布克知识网 点击:", "chrome.published_at")],
    )
    assert out["published_on"] == dt.date(2021, 3, 25) and out["delivered_on"] is None
    assert out["source_site"] == "布克知识网" and out["year"] == 2021
    out = _fields("讲话\n同志们：\n全区。", url="https://www.example.gov.cn/a.html")
    assert out["source_site"] == "example.gov.cn"
    out = _fields("讲话\n同志们：", raw_text="发表于2019-01-29 15:57:43 |只看该作者\n讲话")
    assert out["published_on"] == dt.date(2019, 1, 29)


def test_split_title_joined():
    out = _fields(
        "在全区社会管理创新暨城乡一体化\n建设工作推进会议上的讲话\n区委副书记、区长  孙俨玲\n同志们：\n全区。"
    )
    assert out["title"] == "在全区社会管理创新暨城乡一体化建设工作推进会议上的讲话"
    assert out["speaker_title"] == "区委副书记、区长" and out["speaker_name"] == "孙俨玲"


def test_national_report():
    out = _fields(
        "政府工作报告\n——2010年3月5日在第十一届全国人民代表大会第三次会议上\n国务院总理　温家宝\n各位代表：\n国务院。"
    )
    assert out["admin_level"] == "national" and out["region"] == "全国" and out["region_code"] == "100000"
    assert out["speaker_name"] == "温家宝" and out["speaker_title"] == "总理"


# ---------------------------------------------------------------- tables


def test_sections_marker_styles_and_paths():
    text = (
        "同志们：\n一、总结成绩\n一是征地拆迁取得突破。二是服务业发展。\n（一）关于项目\n1. 抓开工\n2. 抓投产\n"
        "二、明确任务\n第一，抓落实。\n一要围绕目标抓落实。\n二要围绕项目抓落实。"
    )
    rows = extract_sections("d", text)
    got = [(r["path"], r["marker_style"], r["heading"]) for r in rows]
    assert ("1", "一、", "总结成绩") in got
    assert ("1.1", "一是", "征地拆迁取得突破") in got
    assert ("1.2", "一是", "服务业发展") in got
    assert any(p == "2" and h == "明确任务" for p, _, h in got)
    assert any(s == "一要" and h == "围绕项目抓落实" for _, s, h in got)
    top = [r for r in rows if r["level"] == 1]
    assert top[0]["end"] == top[1]["start"] and top[-1]["end"] == len(text)


def test_sections_ignore_out_of_sequence_marker():
    rows = extract_sections("d", "三、不是大纲\n正文。")
    assert rows == []


def test_slogans():
    text = "发扬“5+2”“白+黑”的精神，打好百日大会战，第二次百日大会战，落实“1366”目标和“六个围绕”，当好“一把手”。"
    got = {r["text"]: r["count"] for r in extract_slogans("d", text)}
    assert got["“5+2”"] == 1 and got["“白+黑”"] == 1 and got["“1366”"] == 1 and got["“六个围绕”"] == 1
    assert got["百日大会战"] == 2
    assert "“一把手”" not in got


def test_mentions_people_orgs_places():
    text = "省委书记周本顺同志指出，陈德荣书记强调，请朱区长牵头，区委、区政府和区发改局、纪委配合，邢台市桥东区。"
    rows = extract_mentions("d", text)
    people = {(r["name"], r["office"]) for r in rows if r["kind"] == "person"}
    assert ("周本顺", "省委书记") in people and ("陈德荣", "书记") in people
    assert not any(n == "朱" for n, _ in people)  # a surname with an office (朱区长) is not a countable name
    orgs = {r["text"] for r in rows if r["kind"] == "organization"}
    assert {"区委", "区政府", "区发改局", "纪委"} <= orgs
    places = {r["name"] for r in rows if r["kind"] == "place"}
    assert "河北省邢台市" in places
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]


def test_tables_match_schema_columns():
    from tasks import schema

    raw = (ROOT / "data/samples/seeds/000_fc7753713425c55d.txt").read_text("utf-8")
    text, _ = _normalize(raw)
    tables = E.extract_tables("doc", text)
    for key, sch in (
        ("sections", schema.SECTIONS),
        ("figures", schema.FIGURES),
        ("slogans", schema.SLOGANS),
        ("mentions", schema.MENTIONS),
    ):
        assert tables[key], key
        import pyarrow as pa

        pa.Table.from_pylist(tables[key], schema=sch)  # raises on a wrong column or type
    assert any(r["text"] == "百日大会战" for r in tables["slogans"])
    assert any(r["is_implausible"] is False for r in tables["figures"])


# ---------------------------------------------------------------- keywords


def test_term_counts_drop_domain_stopwords():
    tc = E.term_counts("全区要加快建设，工作要落实。征地拆迁取得突破，征地拆迁历史上的奇迹。")
    assert tc.get("征地拆迁") == 2
    for w in ("工作", "建设", "要", "全区"):
        assert w not in tc


def test_reference_idf_ranks_rare_terms_first_and_keywords_stand_alone():
    idf, median = E.reference_idf()
    assert idf["拆迁"] > idf["发展"] > 0 and min(idf.values()) <= median <= max(idf.values())
    rows = E.top_keywords("d", {"拆迁": 3, "发展": 3, "新词": 1}, idf, k=2)
    assert rows[0]["term"] == "拆迁" and rows[0]["rank"] == 1 and rows[0]["tf"] == 3 and rows[0]["doc_id"] == "d"
    assert E.top_keywords("d", {}, idf) == []
    text = "全区要加快征地拆迁工作。征地拆迁取得突破，乡村振兴稳步推进。"
    alone = E.document_keywords("d", text, k=5)
    assert alone and alone == E.document_keywords("d", text, k=5)  # a function of the document alone


def test_terms_every_report_uses_weigh_less_than_their_general_idf():
    """产业, 改革, 创新 are rare in jieba's general reference but in most government work reports: the domain
    table weighs them down, so a report's keywords are what sets it apart (公私合营, 建档立卡)."""
    n, df = E.domain_df()
    assert n > 100 and df["产业"] > 0.8 * n and df.get("公私合营", 0) < 0.1 * n
    idf, default = E.reference_idf()
    (w_industry, w_merger, w_unseen) = E.keyword_idf(["产业", "公私合营", "不存在的词语"])
    assert w_industry < 0.2 * idf["产业"] and w_merger > 0.8 * idf["公私合营"] and w_unseen == default
    text = "产业产业产业产业发展。公私合营公私合营。改革改革改革创新创新创新。"
    assert E.document_keywords("d", text, k=1)[0]["term"] == "公私合营"


def test_deterministic(seed_out):
    name = SEEDS[1]
    text, out = seed_out[name]
    raw = (ROOT / "data/samples/seeds" / name).read_text("utf-8", errors="replace")
    t2, removed = _normalize(raw)
    assert E.extract_fields(t2, raw_text=raw, removed_lines=removed) == out
    assert E.extract_tables("x", text) == E.extract_tables("x", text)


# ---------------------------------------------------------------- extract 1.1: real lines from the dev corpus

SALUTE = "\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。全市上下。"


@pytest.mark.parametrize(
    "byline,name,office",
    [
        ("上海市市长 龚 正", "龚正", "市长"),  # scraped 2026 page: normalize keeps the spaced name
        ("市长：王勇", "王勇", "市长"),  # 宝鸡 2023
        ("州长 多杰", "多杰", "州长"),  # 海北州 2022: Tibetan name, no surname
        ("代州长 刀文", "刀文", "代州长"),  # 西双版纳 2021: Dai name
        ("市长 喜清江", "喜清江", "市长"),  # 吴忠 2021
        ("自治区人民政府主席 包钢", "包钢", "自治区主席"),  # 内蒙古 2026: 包钢 is also a word (Baotou Steel)
        ("省人民政府省长 王清宪", "王清宪", "省长"),  # 安徽 2026
        ("佛山市委常委、常务副市长 刘 杰", "刘杰", "市委常委、常务副市长"),  # 佛山 2026: 市 belongs to 市委 too
        ("龙岩市长 池秋娜", "池秋娜", "市长"),  # 龙岩 2015: the place's 市 is the office's
        ("怒江州人民政府州长 李文辉", "李文辉", "州长"),  # 怒江 2023: a short place name, then its government
        ("内蒙古自治区人民政府主席 王莉霞", "王莉霞", "自治区主席"),  # the region's head, as 自治区人民政府主席
        ("广西壮族自治区代主席 蓝天立", "蓝天立", "自治区代主席"),
    ],
)
def test_byline_names_and_offices(byline, name, office):
    out = _fields("政府工作报告\n——2026年2月3日在某市第十六届人民代表大会第四次会议上\n" + byline + SALUTE)
    assert out["speaker_name"] == name and out["speaker_title"] == office


def test_byline_rejects_words_after_office():
    out = _fields("讲话\n市长 工作报告\n同志们：\n全市。")
    assert out["speaker_name"] is None


def test_bare_name_lines_next_to_the_dateline():
    out = _fields("——2014年1月9日在七台河市第十届人民代表大会第三次会议上\n韩立华" + SALUTE)
    assert out["speaker_name"] == "韩立华" and out["speaker_title"] is None
    out = _fields("——在哈密市第二届人民代表大会第一次会议上\n吾拉木江·热依木\n（2022年1月11日）" + SALUTE)
    assert out["speaker_name"] == "吾拉木江·热依木"
    assert out["meeting"] == "哈密市第二届人民代表大会第一次会议" and out["delivered_on"] == dt.date(2022, 1, 11)
    # a place name on its own line is not a speaker
    out = _fields("——2014年1月9日在七台河市第十届人民代表大会第三次会议上\n七台河" + SALUTE)
    assert out["speaker_name"] is None


def test_dateline_and_byline_on_one_line():
    out = _fields(
        "陕西省2026年政府工作报告\n2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚" + SALUTE
    )
    assert out["speaker_name"] == "赵刚" and out["speaker_title"] == "省长"
    assert out["meeting"] == "陕西省第十四届人民代表大会第四次会议"


def test_junk_is_never_a_title():
    out = _fields(
        "各位代表：\n现在我代表中华人民共和国国务院向第一届全国人民代表大会第三次会议提出关于1955年国家决算和1956年国家预算的报告，请予审查。"
    )
    assert out["title"] is None  # wikisource gwr_069 used to give `各位代表:`
    out = _fields("一、去年\n去年，这里没有任何组织，也不可能找到能在广州做组织工作的人。")
    assert out["title"] is None  # cpc_001 used to give `一、去年`
    out = _fields("——2014年1月9日在七台河市第十届人民代表大会第三次会议上\n韩立华" + SALUTE)
    assert out["title"] is None and out["page_title"] is None
    out = _fields(
        "把福建的现代化建设事业继续推向前进\n——2002年1月23日在福建省第九届人民代表大会第五次会议上的报告\n福建省人民政府省长 习近平"
        + SALUTE
    )
    assert out["title"] == "把福建的现代化建设事业继续推向前进"
    assert out["doc_type"] == "政府工作报告" and out["meeting"] == "福建省第九届人民代表大会第五次会议"


def test_npc_resolution_title_from_its_opening_sentence():
    text = (
        "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，"
        "同意报告提出的2024年经济社会发展的总体要求、政策取向和工作任务，决定批准这个报告。\n会议号召，全国各族人民更加紧密地团结。"
    )
    out = _fields(
        text,
        raw_text="第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的\n政府工作报告\n。会议充分肯定",
    )
    assert out["title"] == "第十四届全国人民代表大会第二次会议关于政府工作报告的决议"
    assert out["doc_type"] == "决议" and out["speaker_name"] is None
    assert out["meeting"] == "第十四届全国人民代表大会第二次会议" and out["admin_level"] == "national"
    assert out["year"] == 2024 and out["delivered_on"] is None  # no adoption line: the year the session met
    stated = (
        "第十四届全国人民代表大会第一次会议关于政府工作报告的决议\n（2023年3月13日第十四届全国人民代表大会第一次会议通过）\n"
        + text
    )
    assert _fields(stated)["title"] == "第十四届全国人民代表大会第一次会议关于政府工作报告的决议"


def test_budget_report_is_not_a_work_report():
    budget = (
        "关于1955年国家决算和1956年国家预算的报告\n——1956年6月15日在第一届全国人民代表大会第三次会议上\n"
        "国务院副总理兼财政部长 李先念\n各位代表：\n现在我代表中华人民共和国国务院提出关于国家预算的报告。全国。"
    )
    assert _fields(budget)["doc_type"] == "报告"
    plan = (
        "关于第六个五年计划的报告\n——1982年11月30日在第五届全国人民代表大会第五次会议上\n国务院总理 赵紫阳\n"
        "各位代表：\n全国。"
    )
    assert _fields(plan)["doc_type"] == "政府工作报告"


def test_city_reports_resolve_to_the_city():
    body = "贵阳要加快发展。全省上下，省委省政府。贵州发展。全省。贵州。"
    out = _fields(
        "政府工作报告\n（2014年1月24日在贵阳市第十三届人民代表大会第四次会议上）\n一、2013年工作回顾\n" + body
    )
    assert out["meeting"] == "贵阳市第十三届人民代表大会第四次会议"
    assert out["region"] == "贵州省贵阳市" and out["region_code"] == "520100"
    out = _fields(
        "政府工作报告\n各位代表：\n现在，我代表福州市人民政府，向大会报告政府工作。全省全省全省，福建福建，福州。"
    )
    assert out["region"] == "福建省福州市" and out["admin_level"] == "prefecture"
    # 合肥 (jieba tags it a common noun) is the city's alias; 巢湖 is one of its county-level cities.
    out = _fields(
        "各位代表：\n现在，我代表市人民政府向大会报告工作。合肥加快发展，合肥强。巢湖市、巢湖旅游。全市上下。"
    )
    assert out["region"] == "安徽省合肥市" and out["region_code"] == "340100"
    out = _fields(
        "——2021年1月19日在州八届人大五次会议上\n州长 刘芳震\n各位代表：\n现在，我代表州人民政府向大会报告工作。"
        "恩施发展，恩施州，恩施。武汉、宜昌、武汉都是。全州上下。"
    )
    assert out["region"] == "湖北省恩施土家族苗族自治州" and out["region_code"] == "422800"


def test_state_council_report_is_national():
    out = _fields("各位代表：\n现在，我代表国务院，向大会报告政府工作。大庆油田，大庆，大庆精神。全国。香港。")
    assert out["admin_level"] == "national" and out["region"] == "全国" and out["region_code"] == "100000"
    assert out["doc_type"] == "政府工作报告"


def test_alias_after_a_number_is_not_a_place():
    rows = extract_mentions("d", "全州GDP突破千亿元大关，经济总量晋升全省第三位。")
    assert not [r for r in rows if r["kind"] == "place" and r["text"] == "大关"]
    assert [r for r in extract_mentions("d", "大关县加快发展。") if r["kind"] == "place"]


# ---------------------------------------------------------------- dates and years stated only in the text

GREET = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"


def test_long_paren_dateline_with_meeting():
    # 毕节 2023 (lawtext): the dateline sits in parentheses, too long for the short `(2012年6月15日)` form
    out = _fields("(2022年12月30日在毕节市第三届人民代表大会第二次会议上)\n毕节市人民政府市长 吴东来\n" + GREET)
    assert out["delivered_on"] == dt.date(2022, 12, 30) and out["year"] == 2022


def test_horizontal_bar_dash_dateline():
    # 2026 青海 scraped page: `――` is U+2015, not an em dash
    out = _fields("政府工作报告\n――2026年1月27日在青海省第十四届人民代表大会第四次会议上\n省长 罗东川\n" + GREET)
    assert out["delivered_on"] == dt.date(2026, 1, 27) and out["year"] == 2026


def test_adoption_dateline():
    out = _fields("——2020年1月9日丹东市第十六届人民代表大会第三次会议通过\n丹东市人民政府市长 张淑萍\n" + GREET)
    assert out["delivered_on"] == dt.date(2020, 1, 9)
    # a date inside a sentence is not a dateline
    assert _fields("讲话\n——去年1月9日会议通过的方案\n" + GREET)["delivered_on"] is None


def _year(body: str) -> int | None:
    return _fields(GREET + body)["year"]


def test_year_from_this_years_opening_sentence():
    # gwr 2013: `YYYY年是…` followed by `今年工作的总体要求`
    assert (
        _year(
            "2013年是全面贯彻落实党的十八大精神的开局之年，是实施“十二五”规划承前启后的关键一年。\n"
            "今年工作的总体要求是：深入学习和全面贯彻落实党的十八大精神。"
        )
        == 2013
    )
    # 天津 2003: tied to `全市工作总的要求` instead of 今年
    assert (
        _year(
            "2003年是全面贯彻落实党的十六大精神的第一年，也是实现我市“三步走”战略第一步目标的重要一年。"
            "全市工作总的要求是：以邓小平理论和“三 个代表”重要思想为指导。"
        )
        == 2003
    )
    # a reviewed year (`2012年是…极不平凡的一年`) with no tie to this year says nothing
    assert _year("2012年是极不平凡的一年。全市经济平稳增长。") is None


def test_year_from_this_year_heading():
    # gwr 2006: `二、今年主要任务` then `2006年是…`
    assert _year("二、今年主要任务\n2006年是实施“十一五”规划的第一年，改革发展稳定的任务十分繁重。") == 2006


def test_year_from_year_work_heading():
    assert _year("三、2011年的工作\n全省经济。") == 2011  # gwr 2011
    assert _year("二、1992年政府工作总的要求\n全省经济。") == 1992  # 浙江 1992


def test_year_from_plan_or_budget_presented():
    assert _year("国务院经过认真研究，确定1987年经济体制改革的主要任务是：以增强企业活力为中心。") == 1987  # gwr 1987
    assert _year("二、1956年的国家预算\n预算。") == 1956  # gwr 1956
    assert _year("完成“十二五”各项目标任务，必须扎实做好2011年各项工作，确保开好局、起好步。") == 2011  # 湖南 2011
    assert _year("三、2012年工作部署 今年是新一届政府履职尽责、实现未来五年目标的起始之年。") == 2012  # 珠海 2012
    # gwr 1986: Chinese-numeral years
    assert _year("根据这些要求，国务院已经拟定一九八六年的国民经济和社会发展计划草案，请各位代表一并审议。") == 1986


def test_late_year_report_takes_the_estimated_year():
    # gwr 1980 (Aug 1980): presents the 1981 plan against 1980's estimates
    body = (
        "二、1981年国民经济计划的任务和主要指标\n根据上述要求，1981年国民经济计划主要指标安排如下。\n"
        "工农业总产值，比1980年预计增长5.5％，其中，农业总产值增长4％，工业总产值增长6％。"
    )
    assert _year(body) == 1980
    # a plan presented without current-year estimates keeps the plan's year
    assert _year("二、1981年国民经济计划的任务和主要指标\n根据上述要求，1981年国民经济计划主要指标安排如下。") == 1981


def test_year_from_national_congress_session():
    nat = "各位代表：\n"
    f = lambda body: _fields(nat + body)["year"]  # noqa: E731
    assert f("我代表国务院，向第六届全国人民代表大会第一次会议作政府工作报告，请予审议。") == 1983  # gwr 1983
    assert (
        f("我代表国务院报告工作。\n从去年9月第五届全国人民代表大会第三次会议到现在，已经过去了一年零两个月。") == 1981
    )
    assert f("我代表国务院报告工作。\n去年举行的六届人大一次会议曾经指出思想文化领域要批评资产阶级自由化倾向。") == 1984
    assert (
        f(
            "国务院报告。\n1 9 9 8年是全面贯彻中国共产党第十五次全国代表大会精神的第一年。"
            "九届全国人大一次会议将要进行政府换届。"
        )
        == 1998
    )  # gwr 1998 (spaced digits)
    assert f("我代表国务院报告。\n从第七届全国人民代表大会第一次会议，到这次大会的召开，已经整整过去了五年。") == 1993
    assert (
        f("我代表国务院报告。\n去年召开的党的第十一次全国代表大会，对我们党同“四人帮”的斗争，作了全面的总结。") == 1978
    )
    # a provincial congress is not the national one; an unknown session gives nothing
    assert f("我代表国务院报告。\n去年举行的省六届人大一次会议。") is None
    assert f("我代表国务院报告。\n去年举行的九十九届人大九次会议。") is None


def test_year_from_the_year_just_past():
    assert (
        _fields(
            "各位代表：\n国务院。\n这里还要着重指出的是，在刚刚过去的1987年，我国国民经济的发展继续保持了良好势头。"
        )["year"]
        == 1988
    )


def test_year_is_search_finds_what_finditer_finds():
    """The windowed search around each 年 is exact: the same matches as YEAR_IS_RE.finditer, on random strings
    dense in the pattern's pieces (delimiters, lookbehind characters, 否, full-width digits, back-to-back years)."""
    import random

    pieces = [*"年是，,否。！!；\n到前一今这”）０", "2013", "1999", "年是", "20", "19"]
    rng = random.Random(7)
    found = 0
    for _ in range(20000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        want = [(m.span(), m.group(1)) for m in E.YEAR_IS_RE.finditer(t)]
        assert [(m.span(), m.group(1)) for m in E.year_is_matches(t)] == want, t
        found += len(want)
    assert found > 300  # the strings do exercise the pattern
    page = "确保“十一五”开好局、起好步2006年是实施规划的第一年。2007年，是关键之年：2008年是"
    assert [m.group(1) for m in E.year_is_matches(page)] == ["2006", "2007"]  # `：` is no sentence start


def test_report_year_bad_input():
    for bad in ("", "年", "一九年", "〇〇〇〇年是", "刚刚过去的年", "第届全国人大第次会议", "今年" * 50, "\x00" * 10):
        E._text_year(bad)
        E._report_year(bad)


# ---------------------------------------------------------------- issue 11: layout-free headers, national, years, provenance
from bench.reflow import VARIANTS  # noqa: E402
from tasks.extract import extract_fields, header_segments  # noqa: E402

CANGZHOU = (
    "2024年沧州市政府工作报告\n"
    "——2024年1月30日在沧州市第十五届人民代表大会第五次会议上\n"
    "市长 向辉\n"
    "各位代表：\n"
    "现在，我代表沧州市人民政府向大会作工作报告，请予审议，并请市政协委员和其他列席人员提出意见。\n"
    "一、2023年工作回顾\n"
    "过去一年，全市上下在省委、省政府和市委的坚强领导下，河北省沧州市经济运行稳中向好。全市生产总值增长6.5%。\n"
    "二、2024年工作安排\n"
    "今年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右。\n"
)
HEADER_FIELDS = ("title", "speaker_name", "speaker_title", "meeting", "delivered_on", "region", "admin_level", "year")


def test_joined_header_quoted_in_issue_11():
    joined = (
        "——2024年1月30日在沧州市第十五届人民代表大会第五次会议上市长 向辉各位代表：现在，我代表沧州市人民政府"
        "向大会作工作报告，请予审议。过去一年，全市上下在省委、省政府和市委的坚强领导下，河北省经济运行稳中向好。"
    )
    segs, _ = header_segments(joined)
    assert segs[:3] == ["——2024年1月30日在沧州市第十五届人民代表大会第五次会议上", "市长 向辉", "各位代表："]
    out = extract_fields(joined)
    assert out["speaker_name"] == "向辉" and out["speaker_title"] == "市长"
    assert out["meeting"] == "沧州市第十五届人民代表大会第五次会议"
    assert out["delivered_on"] == dt.date(2024, 1, 30) and out["year"] == 2024
    assert out["region"] == "河北省沧州市" and out["admin_level"] == "prefecture"  # not 河北省
    assert out["doc_type"] == "政府工作报告"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_same_fields_whatever_the_layout(variant):
    want = extract_fields(CANGZHOU)
    assert want["speaker_name"] == "向辉" and want["region"] == "河北省沧州市"
    text = VARIANTS[variant](CANGZHOU)
    if variant.startswith("forum_jammer"):
        text = _normalize(text)[0]  # a forum's anti-copy strings are normalize's to remove (chrome.forum_jammer)
    got = extract_fields(text)
    assert {f: got[f] for f in HEADER_FIELDS} == {f: want[f] for f in HEADER_FIELDS}


def test_paren_date_and_spaced_name_joined():
    page = "——在中国共产党第二十次全国代表大会上的报告（2022年10月16日）习　近　平同志们：现在，我代表第十九届中央委员会向大会作报告。"
    segs, _ = header_segments(page)
    assert "（2022年10月16日）" in segs and "同志们：" in segs


def test_party_congress_report_is_national_and_not_a_speech():
    text = (
        "同志们：\n现在，我代表第十四届中央委员会向大会作报告。\n"
        "中国共产党第十五次全国代表大会是一次极为重要的大会。\n"
        "实现祖国完全统一。香港回归后，台湾省、香港特别行政区、澳门特别行政区……全国各族人民团结奋斗。\n" * 1
    )
    out = extract_fields(text)
    assert out["doc_type"] == "党代会报告"
    assert (out["region"], out["region_code"], out["admin_level"]) == ("全国", "100000", "national")
    assert out["meeting"] == "中国共产党第十五次全国代表大会" and out["year"] == 1997


def test_committee_entrusted_wording_names_the_next_congress():
    out = extract_fields(
        "同志们：\n我受十二届中央委员会委托，向大会作报告。\n党的第十二次全国代表大会，坚持和发展了路线。"
    )
    assert out["meeting"] == "中国共产党第十三次全国代表大会" and out["year"] == 1987


def test_1954_report_is_national_not_taiwan():
    text = (
        "各位代表：\n我們第一屆全國人民代表大會第一次會議，通過了憲法。現在，我代表中央人民政府作工作報告。\n"
        "我們一定要解放台灣。台灣是中國的領土。台灣省人民。台灣。\n"
    )
    out = extract_fields(text)
    assert out["region"] == "全国" and out["admin_level"] == "national"


def test_hong_kong_only_when_the_document_is_its_own():
    local = "各位代表：\n现在，我代表市人民政府向大会报告工作。全市与香港特别行政区、澳门合作，香港。\n"
    assert extract_fields(local)["region"] not in ("香港特别行政区", "澳门特别行政区")


def test_npc_resolution_adoption_date_gives_the_year():
    text = (
        "第十三届全国人民代表大会第五次会议关于政府工作报告的决议\n"
        "（2022年3月11日第十三届全国人民代表大会第五次会议通过）\n"
        "第十三届全国人民代表大会第五次会议听取和审议了国务院总理李克强所作的政府工作报告。会议决定批准这个报告。\n"
    )
    for page in (text, VARIANTS["fullwidth_digits"](text), VARIANTS["paragraphs_joined"](text)):
        out = extract_fields(page)
        assert out["delivered_on"] == dt.date(2022, 3, 11) and out["year"] == 2022
        assert out["doc_type"] == "决议" and out["admin_level"] == "national"


@pytest.mark.parametrize(
    ("dateline", "name"),
    [
        ("（2006年1月16日 梁保华）", "梁保华"),
        ("（2009年1月12日 罗保铭 ）", "罗保铭"),
        ("(2007年1月22日 司马义·铁力瓦尔地)", "司马义·铁力瓦尔地"),
        ("2004年2月12日　徐荣凯", "徐荣凯"),
        ("（2006年1月16日 南京）", None),  # a place, not a person
        ("（2006年1月16日 星期一）", None),
    ],
)
def test_a_dateline_that_ends_with_a_name_names_the_speaker(dateline, name):
    text = (
        f"江苏省2006年政府工作报告\n{dateline}\n各位代表：\n现在，我代表江苏省人民政府，向大会作工作报告，请予审议。\n"
    )
    out = extract_fields(text)
    assert out["speaker_name"] == name and out["delivered_on"].year in (2004, 2006, 2007, 2009)


@pytest.mark.parametrize(
    "note", ["（摘要）", "(根据录音整理)", "（本文有删节）", "（译自中共驻共产国际代表团档案俄文稿）", "【节选】"]
)
def test_an_editors_note_in_brackets_is_not_the_title(note):
    body = "同志们：\n今天我们召开全市经济工作会议，主要任务是总结工作、部署任务。\n"
    assert extract_fields(f"{note}\n\n{body}")["title"] is None
    titled = extract_fields(f"在全市经济工作会议上的讲话\n{note}\n{body}")
    assert titled["title"] == "在全市经济工作会议上的讲话" and titled["doc_type"] == "讲话"


@pytest.mark.parametrize(
    ("session", "year"),
    [
        ("第十届全国人民代表大会第五次会议", 2007),
        ("第二届全国人民代表大会第三次会议", 1962),
        ("第五届全国人民代表大会第二次会议", 1979),
    ],
)
def test_an_undated_npc_resolution_takes_its_sessions_year(session, year):
    """The second NPC skipped 1961 (its third session met in 1962); from the fifth on, one session a year."""
    text = f"{session}听取和审议了国务院总理所作的政府工作报告。会议充分肯定国务院过去一年的工作，决定批准这个报告。\n"
    out = extract_fields(text)
    assert (out["doc_type"], out["meeting"], out["year"]) == ("决议", session, year)


@pytest.mark.parametrize(
    ("opening", "meeting"),
    [
        ("我代表国务院向第六届全国人民代表大会第一次会议作政府工作报告，请审议。", "第六届全国人民代表大会第一次会议"),
        (
            "我代表国务院向第一届全国人民代表大会第五次会议，提出关于一九五八年度国民经济计划（草案）的报告。",
            "第一届全国人民代表大会第五次会议",
        ),
        (
            "根据中共中央的决定，我代表国务院，向第四届全国人民代表大会作政府工作报告。",
            "第四届全国人民代表大会第一次会议",
        ),
    ],
)
def test_a_national_reports_meeting_is_the_session_it_addresses(opening, meeting):
    out = extract_fields(f"各位代表：\n{opening}\n一\n过去的一年，我国各族人民取得了很大成就。\n")
    assert out["meeting"] == meeting and out["admin_level"] == "national"


def test_a_provincial_congress_session_gives_no_year_by_itself():
    text = "湖北省第十四届人民代表大会第四次会议听取和审议了省人民政府省长所作的政府工作报告，决定批准这个报告。\n"
    assert extract_fields(text)["year"] is None


def test_chinese_numeral_resolution_date():
    text = "关于政府工作报告的决议\n（二〇二二年三月十一日第十三届全国人民代表大会第五次会议通过）\n会议决定批准这个报告。\n"
    assert extract_fields(text)["delivered_on"] == dt.date(2022, 3, 11)


def test_a_title_broken_before_its_last_character_is_joined():
    """The wikisource copies of the 2017 and 2021 State Council reports break `政府工作报告` before 告."""
    text = (
        "政府工作报\n告\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n国务院总理\n李克强\n各位代表：\n"
        "现在，我代表国务院，向大会报告政府工作，请予审议。\n"
    )
    out = extract_fields(text, raw_text="\u200b\n\n\n" + text.replace("\n", "\n\n"))
    assert out["title"] == "政府工作报告" and out["speaker_name"] == "李克强"
    assert out["page_title"] == "政府工作报告"
    # a short line after a whole title stays its own (a byline's name, a fragment of something else)
    kept = extract_fields("在全市经济工作会议上的讲话\n王勇\n同志们：\n今天我们召开全市经济工作会议。\n")
    assert kept["title"] == "在全市经济工作会议上的讲话"


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("镇江市政府工作报告(2022年3月1日 徐曙海)", "镇江市政府工作报告"),
        ("郴州市政府工作报告 (2014年1月7日瞿海)", "郴州市政府工作报告"),
        ("关于1991年国民经济计划的报告(草案)", "关于1991年国民经济计划的报告(草案)"),  # no date in the brackets
        ("(2022年3月1日 徐曙海)", None),  # nothing before the dateline: no title
    ],
)
def test_a_page_titles_dateline_is_not_part_of_the_title(page, title):
    body = "各位代表：\n\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    out = extract_fields(body, raw_text=f"---\ntitle: {page}\n---\n\n{body}")
    assert out["title"] == title and out["page_title"] == page
    if "徐曙海" in page:
        assert out["speaker_name"] == "徐曙海" and out["delivered_on"] == dt.date(2022, 3, 1)


def test_url_date_and_site_from_front_matter():
    raw = (
        "---\nsource: https://www.hangzhou.gov.cn/col/art_1.html\ndate: 2026-02-03\ntitle: 2026年杭州市政府工作报告\n---\n"
        "（2026年1月21日在杭州市第十四届人民代表大会第六次会议上）\n杭州市人民政府市长 姚高员\n各位代表：\n"
    )
    text = raw.split("---\n", 2)[2]
    out = extract_fields(text, raw_text=raw)
    assert out["url"] == "https://www.hangzhou.gov.cn/col/art_1.html"
    assert out["published_on"] == dt.date(2026, 2, 3) and out["source_site"] == "hangzhou.gov.cn"
    removed = [(2, "source: https://www.gov.cn/zhengce/1.htm", "frontmatter.source")]
    out = extract_fields(text, removed_lines=removed)
    assert out["url"] == "https://www.gov.cn/zhengce/1.htm" and out["source_site"] == "中国政府网"
    canon = '<html><head><link rel="canonical" href="https://www.news.cn/a.htm"></head>'
    assert extract_fields(text, raw_text=canon + text)["url"] == "https://www.news.cn/a.htm"
    assert extract_fields(text, raw_text=canon + text, url="https://x.cn/1")["url"] == "https://x.cn/1"


def test_header_cut_by_the_normalizer_is_read_from_removed_lines():
    text = "过去一年，全市经济运行稳中向好。\n"
    removed = [
        (
            5,
            "——2024年1月30日在沧州市第十五届人民代表大会第五次会议上市长 向辉各位代表：现在，我代表沧州市人民政府向大会作工作报告。",
            "chrome.photo_caption",
        )
    ]
    out = extract_fields(text, removed_lines=removed)
    assert out["speaker_name"] == "向辉" and out["delivered_on"] == dt.date(2024, 1, 30)
    assert out["doc_type"] == "政府工作报告"


# ---------------------------------------------------------------- session 42: head shapes the audit found unread

OPENING = "\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。"


@pytest.mark.parametrize(
    ("head", "meeting", "delivered"),
    [
        # a bare `在…会议上` line, no dash, no date
        ("在河北省第十届人民代表大会第一次会议上\n省长 季允石", "河北省第十届人民代表大会第一次会议", None),
        # the date after the meeting
        (
            "在四川省第十三届人民代表大会第二次会议上（2019年1月14日）\n省长 尹力",
            "四川省第十三届人民代表大会第二次会议",
            dt.date(2019, 1, 14),
        ),
        # the adoption line, bracketed or not
        (
            "（1995年4月4日甘肃省第八届人民代表大会第三次会议通过）\n省长 张吾乐",
            "甘肃省第八届人民代表大会第三次会议",
            dt.date(1995, 4, 4),
        ),
        (
            "2019年1月11日长沙市第十五届人民代表大会第四次会议通过\n市长 胡忠雄",
            "长沙市第十五届人民代表大会第四次会议",
            dt.date(2019, 1, 11),
        ),
        # a speech given over two days
        (
            "——1981年11月30日和12月1日在第五届全国人民代表大会第四次会议上\n国务院总理 赵紫阳",
            "第五届全国人民代表大会第四次会议",
            dt.date(1981, 11, 30),
        ),
        (
            "——1955年7月5日至6日在第一届全国人民代表大会第二次会议上",
            "第一届全国人民代表大会第二次会议",
            dt.date(1955, 7, 5),
        ),
        # a dateline that lost its final 上
        (
            "——2009年1月8日在佛山市第十三届人民代表大会第三次会议\n市长 陈云贤",
            "佛山市第十三届人民代表大会第三次会议",
            dt.date(2009, 1, 8),
        ),
    ],
)
def test_meeting_and_date_lines_of_every_shape(head, meeting, delivered):
    f = E.extract_fields("政府工作报告\n" + head + OPENING)
    assert (f["meeting"], f["delivered_on"]) == (meeting, delivered)


def test_a_national_report_addressed_with_the_verb_report():
    f = E.extract_fields("各位代表：\n我代表国务院向第十届全国人民代表大会第一次会议报告政府工作，请予审议。")
    assert f["meeting"] == "第十届全国人民代表大会第一次会议" and f["year"] == 2003


@pytest.mark.parametrize(
    ("head", "name", "office"),
    [
        # one bracketed line: dateline and byline inside one pair of brackets
        ("政府工作报告（2017年1月15日在吉林省第十二届人民代表大会第六次会议上 代省长 刘国中）", "刘国中", "代省长"),
        # an office padded with a space
        ("政府工作报告\n——2020年1月14日在黑龙江省第十三届人民代表大会第三次会议上\n省 长 王文涛", "王文涛", "省长"),
        # a leader's name alone under the dateline (jieba tags 周恩来 as a time word)
        ("政府工作报告\n——1957年6月26日在第一届全国人民代表大会第四次会议上\n周恩来", "周恩来", None),
    ],
)
def test_bylines_the_audit_found_unread(head, name, office):
    f = E.extract_fields(head + OPENING)
    assert (f["speaker_name"], f["speaker_title"]) == (name, office)


def test_a_title_given_twice_is_given_once():
    page = "---\ntitle: 2003年广州市政府工作报告2003年广州市政府工作报告\n---\n" + OPENING
    f = E.extract_fields(page, raw_text=page)
    assert f["title"] == f["page_title"] == "2003年广州市政府工作报告"


def test_a_two_line_slogan_title_is_read_whole():
    page = (
        "高举中国特色社会主义伟大旗帜\n为全面建设社会主义现代化国家而团结奋斗\n"
        "——在中国共产党第二十次全国代表大会上的报告\n（2022年10月16日）\n习 近 平\n"
        "同志们：\n现在，我代表第十九届中央委员会向大会作报告。"
    )
    assert E.extract_fields(page)["title"] == "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗"


def test_the_speaker_named_only_by_the_photo_caption_normalization_removed():
    from tasks.normalize import normalize_text

    page = "——2021年12月8日在张掖市第五届人民代表大会第一次会议上\n赵立香作政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    n = normalize_text(page)
    assert "赵立香" not in n.text
    assert E.extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)["speaker_name"] == "赵立香"


def test_slogans_are_whole_names_not_fragments():
    text = (
        "开展营商环境便利化专项行动，打好污染防治攻坚战，实施强省会战略，开展3个专项行动，拨打“12345”热线，"
        "落实“1+N”政策和“1366”目标，“十五”计划期间。"
    )
    got = [r["text"] for r in extract_slogans("d", text)]
    assert "污染防治攻坚战" in got and "“1+N”" in got and "“1366”" in got
    for bad in ("利化专项行动", "防治攻坚战", "省会战", "专项行动", "个专项行动", "“12345”", "“十五”"):
        assert bad not in got, (bad, got)


def test_place_names_are_not_keywords():
    """A report's own places filled ~28 % of its top-10 keywords; they have columns and mention rows of their own."""
    text = "青岛市青岛市青岛市崂山区崂山区青岛青岛自治区自治区。海洋经济海洋经济，上合示范区上合示范区建设。"
    terms = [k["term"] for k in E.document_keywords("d", text, k=10)]
    assert terms and not {"青岛", "青岛市", "崂山区", "自治区"} & set(terms)
    assert {"海洋", "上合"} <= set(terms)


def test_pieces_of_a_phrase_are_not_keywords():
    """jieba's HMM joins a function word's character to a neighbour it cannot place (以学 of 以学促干, 中宁至)."""
    text = "坚持以学促干，以学铸魂，以学增智，比前一年增长，比前两年，每生每年补助，每生每年。中宁至吴忠城际，中宁至银川。提质增效提质，规上企业规上，对标一流对标。"
    terms = {k["term"] for k in E.document_keywords("d", text, k=20)}
    assert not {"以学", "比前", "每生", "中宁至"} & terms
    assert {"提质", "规上", "对标"} <= terms  # the domain's abbreviations, outside jieba's dictionary too


# ---------------------------------------------------------------- national documents (helper h1, session 43)
NPCSC_OPENING = "\n各位代表：\n现在，我受全国人民代表大会常务委员会委托，向大会报告工作，请予审议。"


@pytest.mark.parametrize(
    "title",
    [
        "全国人民代表大会常务委员会工作报告",
        "中国人民政治协商会议全国委员会常务委员会工作报告",
        "北京市人民代表大会常务委员会工作报告",
        "政协北京市委员会常务委员会工作报告",
    ],
)
def test_a_standing_committees_work_report_title_is_no_photo_caption(title):
    """`…常务委员会工作报告` read as office 委员 + name `会工` + 作 (a caption): every such title was lost."""
    f = E.extract_fields(title + "\n——2024年3月8日在第十四届全国人民代表大会第二次会议上" + NPCSC_OPENING)
    assert f["title"] == title
    assert E.is_junk_title("省长赵刚作政府工作报告")  # a caption still is one


@pytest.mark.parametrize(
    ("byline", "name", "office"),
    [
        ("全国人民代表大会常务委员会委员长　赵乐际", "赵乐际", "全国人民代表大会常务委员会委员长"),
        ("最高人民检察院检察长 应勇", "应勇", "最高人民检察院检察长"),
        ("最高人民法院院长 张军", "张军", "最高人民法院院长"),
    ],
)
def test_bylines_of_the_npc_standing_committee_and_the_procuratorate(byline, name, office):
    """`委员长 赵乐际` was office `…委员` and name `长赵乐际`; `检察长 应勇` no byline at all."""
    f = E.extract_fields("工作报告\n——2024年3月8日在第十四届全国人民代表大会第二次会议上\n" + byline + NPCSC_OPENING)
    assert (f["speaker_name"], f["speaker_title"]) == (name, office)


@pytest.mark.parametrize(
    ("opening", "national"),
    [
        ("现在，我受全国人民代表大会常务委员会委托，向大会报告工作，请予审议。", True),
        ("现在，我代表最高人民法院向大会报告工作，请予审议，并请全国政协委员提出意见。", True),
        ("我受政协第十四届全国委员会常务委员会委托，向大会报告工作，请予审议。", True),
        ("现在，我受北京市人民代表大会常务委员会委托，向大会报告工作，请予审议。全市全市。", False),
        ("现在，我代表北京市高级人民法院向大会报告工作，请予审议。全市全市。", False),
    ],
)
def test_another_organs_report_to_the_congress_is_no_government_work_report(opening, national):
    """A standing committee's, court's or procuratorate's report says 各位代表 and 向大会报告 as a government's does."""
    f = E.extract_fields("——2024年3月8日在某次会议上\n赵乐际\n各位代表：\n" + opening)
    assert f["doc_type"] == "报告"
    assert (f["admin_level"] == "national") == national
    assert (
        E.extract_fields("各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。")["doc_type"] == "政府工作报告"
    )


LEADER_BODY = "\n同志们：\n这次会议的主要任务是部署工作。我们在杭州举办峰会，杭州、杭州的经验很好，浙江各地都要学习。"


@pytest.mark.parametrize(
    ("head", "national"),
    [
        ("在中央经济工作会议上的讲话\n（2023年12月11日）\n中共中央总书记、国家主席、中央军委主席 习近平", True),
        ("在庆祝中国共产党成立100周年大会上的讲话\n（2021年7月1日）\n习近平", True),
        ("在全国生态环境保护大会上的讲话\n习近平\n（2023年7月17日）", True),
        ("在全国政协新年茶话会上的讲话\n（2024年1月1日）\n全国政协主席 王沪宁", True),
        # a Politburo member leading a city speaks as its leader; a leader at a local meeting is not national
        ("在全市干部大会上的讲话\n（2017年11月1日）\n中共中央政治局委员、上海市委书记 李强", False),
        ("在全省经济工作会议上的讲话\n（2006年12月1日）\n习近平", False),
    ],
)
def test_a_national_leaders_speech_at_a_national_gathering_is_national(head, national):
    """The speech's body named 杭州 (a summit's host): such speeches were Hangzhou's."""
    f = E.extract_fields(head + LEADER_BODY)
    assert (f["admin_level"] == "national") == national, f


def test_a_page_stamp_with_clock_and_bar_before_its_source():
    """people.com.cn's `2024年03月13日06:52 | 来源：人民网－人民日报` gave no published_on."""
    page = (
        "政府工作报告（全文）\n2024年03月13日06:52 | 来源：人民网－人民日报\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强"
        + OPENING
    )
    f = E.extract_fields(page, raw_text=page)
    assert f["published_on"] == dt.date(2024, 3, 13) and f["delivered_on"] == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("dateline", "meeting"),
    [
        ("——2024年3月5日在十四届全国人大二次会议上", "第十四届全国人民代表大会第二次会议"),
        ("——2024年3月5日在第十四届全国人大第二次会议上", "第十四届全国人民代表大会第二次会议"),
        ("——2024年3月4日在政协第十四届全国委员会第二次会议上", "中国人民政治协商会议第十四届全国委员会第二次会议"),
        ("——2024年3月4日在全国政协十四届二次会议上", "中国人民政治协商会议第十四届全国委员会第二次会议"),
        ("——2024年1月5日在市十六届人大三次会议上", "市第十六届人民代表大会第三次会议"),  # local: its place kept
        ("——2024年1月5日在南京市十六届人大三次会议上", "南京市第十六届人民代表大会第三次会议"),
        ("——2024年1月5日在市十六届人大常委会第三次会议上", "市十六届人大常委会第三次会议"),  # another body
    ],
)
def test_a_session_written_short_is_named_in_full(dateline, meeting):
    """Copies of one speech gave its session two names (`十四届全国人大二次会议` on news pages)."""
    f = E.extract_fields("政府工作报告\n" + dateline + "\n李强" + OPENING)
    assert f["meeting"] == meeting
    if "全国" in meeting:
        assert f["admin_level"] == "national"


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        (
            "习近平：高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗——在中国共产党第二十次全国代表大会上的报告",
            "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗",
        ),
        ("习近平：在庆祝中国共产党成立100周年大会上的讲话", "在庆祝中国共产党成立100周年大会上的讲话"),
        ("李强：政府工作报告", "政府工作报告"),
    ],
)
def test_a_news_headline_names_the_speaker_before_its_colon(headline, title):
    """xinhuanet / people.com.cn headlines: the name was part of the title and the speaker was unknown."""
    page = headline + "\n2022-10-25 来源：新华社\n同志们：\n现在，我代表第十九届中央委员会向大会作报告。"
    f = E.extract_fields(page, raw_text=page)
    assert (f["title"], f["speaker_name"]) == (title, headline.split("：")[0])
    assert f["admin_level"] == "national"
    # a colon after a word that is no name is no byline
    assert E._headline_speaker("学习：在全市干部大会上的讲话")[0] is None


def test_a_report_on_the_governments_work_is_a_government_work_report():
    f = E.extract_fields(
        "关于政府工作的报告\n——1954年9月23日在第一届全国人民代表大会第一次会议上\n周恩来\n各位代表：\n我们的国家。"
    )
    assert f["doc_type"] == "政府工作报告" and f["speaker_name"] == "周恩来"


def test_a_collected_works_editors_note_names_speaker_and_meeting():
    """文献选编 copies put `这是周恩来在第三届全国人民代表大会第一次会议上作的报告。` under the title (lawtext 1964-part)."""
    page = (
        "1964年政府工作报告[1]\n（一九六四年十二月二十一日、二十二日）\n[1]（根据中共中央文件刊印）\n"
        "这是周恩来在第三届全国人民代表大会第一次会议上作的报告。\n各位代表：\n我代表国务院向全国人民代表大会报告政府工作。"
    )
    f = E.extract_fields(page)
    assert (f["meeting"], f["speaker_name"]) == ("第三届全国人民代表大会第一次会议", "周恩来")
    page = (
        "在七届二中全会上的报告\n这是毛泽东在中国共产党第七届中央委员会第二次全体会议上的报告。\n同志们：\n全国胜利。"
    )
    f = E.extract_fields(page)
    assert (f["meeting"], f["speaker_name"]) == ("中国共产党第七届中央委员会第二次全体会议", "毛泽东")
    # a sentence of a speech that says 这是 … is no note
    f = E.extract_fields("讲话\n同志们：\n这是我们在全市大会上的共同任务。")
    assert f["meeting"] is None


# ---------------------------------------------------------------- held-out pages (session 44): doc sites, 范文 sites, gov
# disclosure tables, news leads. Pages in the shape the audit met, with invented names and numbers.


def _page(raw: str, url: str | None = None) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


GOV_OPENING = "各位代表：\n现在，我代表区人民政府向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。\n"


def test_disclosure_table_gives_page_title_and_publication_date():
    raw = (
        "文件名称 | 石桥区2024年政府工作报告 | ||\n索引号 | /2024-0001 | 公开目录：| 工作报告 |\n"
        "文号 | 成文日期：| 2024年03月02日 | |\n有效性 | 有效 | 公开日期：| 2024-03-05 10:20 |\n"
        "2024年2月26日在石桥区第五届人民代表大会第三次会议上\n石桥区人民政府区长 张立明\n" + GOV_OPENING
    )
    out = _page(raw)
    assert out["title"] == "石桥区2024年政府工作报告" and out["published_on"] == dt.date(2024, 3, 5)
    assert out["speaker_name"] == "张立明" and out["delivered_on"] == dt.date(2024, 2, 26)
    raw = (
        "标 题：| 某镇2022年政府工作报告 |\n文 号：| 发布机构：| 某县某镇 | 发布日期：| 2022-03-01 | |\n" + GOV_OPENING
    )
    assert _page(raw)["published_on"] == dt.date(2022, 3, 1)


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2023-05-12 08:11:30 某某范文网", dt.date(2023, 5, 12)),
        ("范文网 2023-05-12 08:11:30 讲话", dt.date(2023, 5, 12)),
        ("2022-09-01 8.00元 免费试读", dt.date(2022, 9, 1)),
        ("2022-09-01下载文档一键复制全文", dt.date(2022, 9, 1)),
    ],
)
def test_fanwen_page_stamps_are_publication_dates(stamp, day):
    out = _page("县长在全县春耕生产会议上的讲话\n" + stamp + "\n同志们：\n今天的会议，主要任务是部署春耕生产工作。\n")
    assert out["published_on"] == day and out["title"] == "县长在全县春耕生产会议上的讲话"


def test_title_from_a_fanwen_introduction():
    raw = (
        "下面是小编为大家整理的2022年县委书记在县政协十届二次会议开幕会上讲话，供大家参考。\n各位委员、同志们：\n"
        "新年伊始，县政协十届二次会议隆重开幕了。在此，我谨代表中共县委，向大会的召开表示热烈祝贺！\n"
    )
    out = _page(raw)
    assert out["title"] == "2022年县委书记在县政协十届二次会议开幕会上讲话"
    assert out["speaker_title"] == "县委书记" and out["meeting"] == "县政协十届二次会议开幕会" and out["year"] == 2022


def test_title_from_the_share_block_label():
    raw = (
        "各位代表：\n今天，大会选举我担任镇人民政府镇长。在此，向各位代表致以崇高的敬意和衷心的感谢！\n"
        "微信扫一扫在手机阅读、分享本文\n本文标题：在镇第五届人大二次会议闭幕式上的讲话\n链接地址：http://example.com/d/9.html\n"
    )
    out = _page(raw)
    assert out["title"] == "在镇第五届人大二次会议闭幕式上的讲话" and out["meeting"] == "镇第五届人大二次会议闭幕式"


def test_doc_site_head_glued_to_the_title():
    raw = (
        "第1页共9页县长在全县春耕生产会议上的讲话文章标题：县长在全县春耕生产会议上的讲话同志们：今天这次会议，"
        "主要任务是部署今年的春耕生产工作，非常重要。\n"
    )
    out = _page(raw)
    assert out["title"] == "县长在全县春耕生产会议上的讲话" and out["speaker_title"] == "县长"
    assert out["meeting"] == "全县春耕生产会议"  # not `这次会议`


def test_this_meeting_is_no_meeting_name():
    assert _page("同志们：\n今天这次会议，主要任务是部署今年的春耕生产工作，非常重要。\n")["meeting"] is None


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        ("全市第五届运动会开幕式今晚举行。组委会主席李文华致辞。以下为致辞全文：\n", "李文华", "组委会主席"),
        ("国际某某联合会主席李文华8日晚在第9届某某运动会开幕式上致辞，全文如下：\n", "李文华", "国际某某联合会主席"),
        ("3月4日下午，全国政协主席张明远代表政协全国委员会常务委员会作工作报告：\n", "张明远", "全国政协主席"),
    ],
)
def test_news_lead_names_the_speaker_of_the_full_text(lead, name, office):
    out = _page(
        lead
        + "尊敬的各位来宾，女士们、先生们：\n今天，我们在这里隆重集会。我谨代表组委会，向各位来宾表示热烈的欢迎！\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_review_heading_of_a_copy_without_title_is_no_title():
    """A report copy that starts at its opening sentence: `2019年工作回顾` is its first heading, not its title."""
    raw = (
        "现在，我代表石桥区人民政府，向大会作政府工作报告，请予审议，并请区政协委员提出意见。\n2019年工作回顾\n"
        "2019年是石桥区发展很不平凡的一年。全区地区生产总值增长百分之六。\n"
    )
    out = _page(raw)
    assert out["title"] is None and out["year"] == 2020


def test_township_head_office_loses_its_township():
    raw = (
        "政府工作报告\n——2022年2月20日在青石镇第五届人民代表大会第三次会议上\n青石镇镇长 王立明\n"
        "各位代表：\n现在，我代表镇人民政府向大会报告工作，请予审议。\n"
    )
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == ("王立明", "镇长")


@pytest.mark.parametrize(
    "head",
    [
        "第1页共5页县长安全生产会议讲话县长安全生产会议讲话（一）：",
        "[县长在县委书记]县长安全生产会议讲话\n",
    ],
)
def test_collection_numbering_and_tags_leave_the_title(head):
    out = _page(head + "同志们：今天的会议，主要任务是部署今年的安全生产工作，非常重要。\n")
    assert out["title"] == "县长安全生产会议讲话"


def test_a_repost_takes_the_year_its_title_names():
    """A doc site's upload stamp (2024) is not the speech's year when the title names an earlier one (2022)."""
    body = "尊敬的各位领导、各界朋友：\n大家好！很高兴参加今天的茶话会。在此，我谨向各位表示衷心的感谢！\n"
    out = _page("2022年中秋茶话会讲话致辞\n2024-11-26下载文档一键复制全文\n" + body)
    assert out["published_on"] == dt.date(2024, 11, 26) and out["year"] == 2022
    out = _page("2025年中秋茶话会讲话致辞\n2024-11-26下载文档一键复制全文\n" + body)
    assert out["year"] == 2024  # a later year in the title (a plan's) leaves the page's date


def test_title_from_a_wenmi_favourite_link_and_not_from_a_weekday_date():
    raw = (
        "2023年03月29日 星期三\n同志们：\n今天的会议，主要任务是部署秋收工作。\n"
        "……（未完，全文共3020字，当前仅显示1460字，请阅读下面提示信息。\n收藏《在全镇秋收工作会议上的讲话》）\n"
    )
    out = _page(raw)
    assert out["title"] == "在全镇秋收工作会议上的讲话" and out["meeting"] == "全镇秋收工作会议"


def test_meeting_named_after_the_verb_that_holds_it():
    raw = "各位领导、各位来宾：\n今天x县隆重举行25个工业项目集中开工奠基仪式，这是我县工业经济发展的一件大事。\n"
    assert _page(raw)["meeting"] == "25个工业项目集中开工奠基仪式"


def test_a_title_that_ends_in_its_own_book_title_mark_keeps_it():
    out = _page("2014年《政府工作报告》\n" + GOV_OPENING)
    assert out["title"] == "2014年《政府工作报告》"


# ---------------------------------------------------------------- national documents, second audit (helper h3, session 44)
CENTRAL_BODY = (
    "\n党中央认为，必须坚持不懈把解决好“三农”问题作为全党工作重中之重。支持黑龙江、吉林等地扩种大豆，北京、北京、吉林、"
    "吉林各地要稳住面积。全省全省要落实。"
)


@pytest.mark.parametrize(
    "title",
    [
        "中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见",
        "国务院关于印发《空气质量持续改善行动计划》的通知",
        "国务院办公厅关于发展银发经济增进老年人福祉的意见",
        "中共中央关于进一步全面深化改革 推进中国式现代化的决定",
        "教育部关于加强中小学科学教育的通知",
    ],
)
def test_a_document_a_national_organ_issues_is_national(title):
    """`中共中央 国务院关于…的意见` was 吉林省's (its body names 黑龙江、吉林), a 决定 of 中共中央 had no level."""
    f = E.extract_fields(title + CENTRAL_BODY)
    assert (f["admin_level"], f["region"]) == ("national", "全国"), f
    assert E.extract_fields("北京市人民政府关于印发实施方案的通知" + CENTRAL_BODY)["admin_level"] != "national"


@pytest.mark.parametrize(
    ("head", "meeting"),
    [
        (
            "在十四届全国人大常委会第十次会议上的讲话\n（2024年6月28日）\n赵乐际",
            "第十四届全国人民代表大会常务委员会第十次会议",
        ),
        ("在2024年全国教育工作会议上的讲话\n教育部党组书记、部长 怀进鹏\n（2024年1月11日）", "2024年全国教育工作会议"),
        ("蓝佛安部长在全国财政工作会议上的讲话", "全国财政工作会议"),
        ("中央经济工作会议在北京举行 习近平发表重要讲话", "中央经济工作会议"),
        (
            "在中国共产党第二十届中央委员会第三次全体会议上的讲话\n（2024年7月18日）",
            "中国共产党第二十届中央委员会第三次全体会议",
        ),
    ],
)
def test_national_meetings_and_ministers_make_a_speech_national(head, meeting):
    """The NPC Standing Committee's sessions, the central plenums and work conferences, a minister at a national
    conference: no level (or 北京市, where the news says 在北京举行)."""
    f = E.extract_fields(head + "\n同志们：\n这次会议的主要任务是部署工作。在北京举行，北京北京。" + CENTRAL_BODY)
    assert f["meeting"] == meeting and (f["admin_level"], f["region"]) == ("national", "全国"), f
    # a provincial governor's statement at a national conference stays the province's
    local = E.extract_fields("在全国教育工作会议上的发言\n浙江省人民政府省长 王浩\n同志们：\n全省全省全省教育工作。")
    assert local["admin_level"] == "province", local


@pytest.mark.parametrize(
    ("page_title", "title", "site"),
    [
        (
            "中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见_中央有关文件_中国政府网",
            "中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见",
            "中国政府网",
        ),
        (
            "中国人民政治协商会议全国委员会常务委员会工作报告--时政--人民网",
            "中国人民政治协商会议全国委员会常务委员会工作报告",
            "人民网",
        ),
        (
            "蓝佛安部长在全国财政工作会议上的讲话 - 中华人民共和国财政部",
            "蓝佛安部长在全国财政工作会议上的讲话",
            "中华人民共和国财政部",
        ),
        ("李強：政府工作報告｜香港文匯網", "政府工作报告", "香港文汇网"),
    ],
)
def test_a_portals_channel_and_an_organs_site_are_no_part_of_the_title(page_title, title, site):
    """gov.cn's `TITLE_channel_中国政府网`, people.com.cn's `TITLE--channel--人民网`, a ministry's `- 中华人民共和国财政部`
    and a Hong Kong site's full-width `｜` kept the channel or the site in the title."""
    f = E.extract_fields("同志们：\n这次会议的主要任务是部署工作。", page_title=page_title)
    assert (f["title"], f["source_site"]) == (title, site), f
    assert E._strip_site("在全县大会上的讲话_张三_范文网") == "在全县大会上的讲话_张三"  # a name is no channel


@pytest.mark.parametrize(
    ("chrome", "published"),
    [
        # gov.cn's info table, as trafilatura gives it: the signing date (成文日期) is not the page's
        ("| 发文机关：| 国务院 | 成文日期：| 2023年11月30日 |\n发布日期： | 2023年12月07日 |", dt.date(2023, 12, 7)),
        ("2024-03-05 11:20:15 香港文匯網", dt.date(2024, 3, 5)),
        ("来源：《求是》2023/08　作者：习近平　2023-04-15 09:00:00", dt.date(2023, 4, 15)),
        ("| 发文机关：| 国务院 | 成文日期：| 2023年11月30日 |", None),
    ],
)
def test_page_dates_in_an_info_table_or_by_a_clock(chrome, published):
    page = (
        chrome
        + "\n国务院关于印发行动计划的通知\n各省、自治区、直辖市人民政府：\n现将《行动计划》印发给你们，请认真贯彻执行。"
    )
    assert E.extract_fields(page, raw_text=page)["published_on"] == published


QIUSHI_BODY = "\n党的十九届五中全会提出构建新发展格局，我们对此作了全面部署。两年多来，各地区各部门扎实推进，取得了重要进展和成效。"


@pytest.mark.parametrize(
    ("note", "meeting", "delivered"),
    [
        (
            "这是习近平总书记2023年1月31日在二十届中央政治局第二次集体学习时讲话的一部分。",
            "二十届中央政治局第二次集体学习",
            dt.date(2023, 1, 31),
        ),
        (
            "本文是2021年1月11日习近平总书记在省部级主要领导干部学习贯彻党的十九届五中全会精神专题研讨班开班式上的讲话。",
            "省部级主要领导干部学习贯彻党的十九届五中全会精神专题研讨班开班式",
            dt.date(2021, 1, 11),
        ),
    ],
)
def test_a_qiushi_editors_note_names_speaker_meeting_and_kind(note, meeting, delivered):
    """qstheory.cn's `TITLE / 习近平 / 这是习近平总书记…时讲话的一部分`: the header cut the note at its date and the
    byline read `这是习近平总书记` as an office with no name; no speaker, meeting or doc_type."""
    f = E.extract_fields("加快构建新发展格局 把握未来发展主动权\n习近平\n" + note + QIUSHI_BODY)
    got = (f["speaker_name"], f["speaker_title"], f["meeting"], f["delivered_on"], f["doc_type"])
    assert got == ("习近平", None, meeting, delivered, "讲话"), f
    assert f["admin_level"] == "national"


def test_a_wire_leads_dateline_is_no_office():
    """`新华社北京1月19日电 国务院总理李强1月19日主持召开…`: speaker_title was `新华社北京1月19日电国务院总理`."""
    text = (
        "李强主持召开国务院常务会议\n新华社北京1月19日电 国务院总理李强1月19日主持召开国务院常务会议，研究推动高质量发展的"
        "政策举措。\n会议指出，推动高质量发展是新时代的硬道理。"
    )
    f = E.extract_fields(text)
    assert (f["speaker_name"], f["speaker_title"], f["admin_level"]) == ("李强", "总理", "national"), f


def test_a_slogan_title_above_its_subtitle_is_the_title():
    """A doc site's copy of the 20th congress report: its page title (`在中國共產黨第二十次全國代表大會上的報告 - 百度文庫`)
    is the subtitle; the title line above `——在…上的报告` was not read (no 报告/讲话 ending) and the subtitle won."""
    page = (
        "在中國共產黨第二十次全國代表大會上的報告 - 百度文庫\n高舉中國特色社會主義偉大旗幟 為全面建設社會主義現代化國家而團結奮斗\n"
        "——在中國共產黨第二十次全國代表大會上的報告\n（2022年10月16日）\n習近平\n同志們：\n現在，我代表第十九屆中央委員會向大會作報告。\n"
    )
    from tasks.normalize import normalize_text

    n = normalize_text(page)
    f = E.extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)
    assert f["title"] == "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗", f
    # a title on two lines above the subtitle stays joined as before
    two = "决胜全面建成小康社会\n夺取新时代中国特色社会主义伟大胜利\n——在中国共产党第十九次全国代表大会上的报告\n同志们：\n现在，我代表第十八届中央委员会向大会作报告。"
    assert E.extract_fields(two)["title"].startswith("决胜全面建成小康社会")


PRESSER = (
    "\n新华社北京3月13日电 国务院总理李强13日上午在人民大会堂金色大厅出席记者会并回答中外记者提问。\n"
    "新华社记者：李强总理，我们注意到今年政府工作报告提出的经济增长预期目标是5%左右，请问您怎么看？\n"
    "李强：关于今年的经济增长目标，我们综合考虑了多方面的因素。\n"
)


@pytest.mark.parametrize(
    "head", ["国务院总理李强出席记者会并回答中外记者提问", "李强总理答中外记者问（全文）\n2024年03月12日 来源：人民网"]
)
def test_a_premiers_press_conference(head):
    """A transcript's question names the government work report (`今年政府工作报告提出…`): it was typed 政府工作报告, had no
    speaker (the headline names him) and no level; people.com.cn's stamp `2024年03月12日 来源：人民网`, cut from its source
    by the header, was the day the press conference was held."""
    f = E.extract_fields(head + PRESSER)
    got = (f["doc_type"], f["speaker_name"], f["speaker_title"], f["admin_level"], f["delivered_on"])
    assert got == ("答记者问", "李强", "总理", "national", None), f
    assert E._title_speaker("外交部长王毅就中国外交政策和对外关系回答中外记者提问")[:2] == ("王毅", "外交部长")


NATIONAL_PAGES = ROOT / "tests/fixtures/extract/national"
NATIONAL_EXPECTED = json.loads((NATIONAL_PAGES / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("page", sorted(k for k in NATIONAL_EXPECTED if not k.startswith("_")))
def test_national_renderings_read_as_the_pipeline_reads_them(page):
    """20 pages of national documents (中发/国发/国办发 on gov.cn, a congress report on xinhua and Baidu Wenku, a 决定 of
    中共中央 and one of the NPC, the central economic work conference, press conferences, a State Council executive
    meeting, ministers' and NPCSC/CPPCC speeches, a Qiushi article, Big5 and Hong Kong pages): ingest's decoding and
    HTML extraction, normalization and extraction, every field the page states."""
    from tasks.ingest import decode_bytes, html_main_text, page_url
    from tasks.normalize import normalize_text

    data = (NATIONAL_PAGES / page).read_bytes()
    title = url = None
    if page.endswith(".html"):
        html, _ = decode_bytes(data, html=True)
        url = page_url(html)
        title, raw = html_main_text(html, url)
    else:
        raw, _ = decode_bytes(data)
    n = normalize_text(raw)
    f = E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, page_title=title, url=url)
    got = {k: (str(f[k]) if isinstance(f[k], dt.date) else f[k]) for k in NATIONAL_EXPECTED[page]}
    assert got == NATIONAL_EXPECTED[page]


def test_a_documents_signing_date_in_gov_cns_info_table_dates_it():
    """`国办发〔2024〕1号`: no dateline in its head, signed at its end; the info table's 成文日期 is its date (delivered_on
    was null), its 发布日期 the page's."""
    page = (
        "| 发文机关：| 国务院办公厅 | 成文日期：| 2024年01月11日 |\n发布日期： | 2024年01月15日 |\n"
        "国务院办公厅关于发展银发经济增进老年人福祉的意见\n各省、自治区、直辖市人民政府：\n为积极应对人口老龄化，现提出如下意见。"
    )
    f = E.extract_fields(page, raw_text=page)
    assert (f["delivered_on"], f["published_on"]) == (dt.date(2024, 1, 11), dt.date(2024, 1, 15)), f


def test_a_meeting_headline_over_the_delivered_report_is_no_communique():
    """xinhua files the full report under the day's headline: the text delivered in the first person decides."""
    page = "十四届全国人大二次会议在京开幕 李强作政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作。"
    assert E.extract_fields(page)["doc_type"] == "政府工作报告"


# ---------------------------------------------------------------- issued documents and communiqués (helper g3, session 44)
@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见", "意见"),
        ("国务院办公厅关于印发《促进创业投资高质量发展的若干政策措施》的通知", "通知"),
        ("中共中央关于进一步全面深化改革 推进中国式现代化的决定", "决定"),
        ("中国共产党第二十届中央委员会第三次全体会议公报", "公报"),
        ("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "纲要"),
        ("中国共产党纪律处分条例", "条例"),
        ("杭州市人民政府关于加快推进数字经济高质量发展的实施意见", "意见"),
        ("中共江苏省委 江苏省人民政府关于深化改革推进高质量发展的决定", "决定"),
        ("中央经济工作会议在北京举行 习近平发表重要讲话", "公报"),
        ("中国共产党第二十届中央委员会第三次全体会议在北京举行", "公报"),
        # a speech that names a document or a meeting stays a speech
        ("在学习贯彻《中国共产党纪律处分条例》专题会上的讲话", "讲话"),
        ("在全市经济工作会议上的讲话", "讲话"),
        ("关于《中共中央关于进一步全面深化改革、推进中国式现代化的决定》的说明", None),
    ],
)
def test_an_issued_documents_type_is_its_titles_last_word(title, kind):
    """意见/通知/决定/公报/纲要/条例 issued by national or local organs were null (no such values), and the central
    economic work conference's communiqué was a 讲话 because its headline says `发表重要讲话`: an analyst filtering
    speeches from documents could not."""
    f = E.extract_fields(
        title + "\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现就有关工作提出如下意见。"
    )
    assert f["doc_type"] == kind, f


@pytest.mark.parametrize(
    ("page", "delivered", "meeting"),
    [
        (  # the State Council executive meeting: the lead's month-day, the page's year
            "李强主持召开国务院常务会议 研究部署有关工作\n2024-01-19 20:08 来源： 新华社\n"
            "新华社北京1月19日电 国务院总理李强1月19日主持召开国务院常务会议，研究推动高质量发展的政策举措。\n"
            "会议指出，推动高质量发展是新时代的硬道理。",
            dt.date(2024, 1, 19),
            "国务院常务会议",
        ),
        (  # the day alone, the month from the agency's dateline
            "国务院总理李强出席记者会并回答中外记者提问\n2023-03-13 17:26 来源： 新华社\n"
            "新华社北京3月13日电 国务院总理李强13日上午在人民大会堂金色大厅出席记者会并回答中外记者提问。\n"
            "李强：各位记者朋友，大家上午好！",
            dt.date(2023, 3, 13),
            None,
        ),
        (  # a lead opening with its month-day
            "李强总理答中外记者问（全文）\n2024年03月12日 来源：人民网\n"
            "3月11日，十四届全国人大二次会议在北京人民大会堂举行记者会，国务院总理李强出席记者会并回答中外记者提问。\n"
            "新华社记者：总理您好。",
            dt.date(2024, 3, 11),
            "第十四届全国人民代表大会第二次会议记者会",  # the press conference the session held (k5)
        ),
        (  # a communiqué of a two-day meeting: the day it opened
            "中央经济工作会议在北京举行 习近平发表重要讲话\n2023-12-12 19:35:44 来源：新华社\n"
            "新华社北京12月12日电 中央经济工作会议12月11日至12日在北京举行。习近平出席会议并发表重要讲话。\n"
            "会议认为，2023年是全面贯彻党的二十大精神的开局之年。",
            dt.date(2023, 12, 11),
            "中央经济工作会议",
        ),
        (  # a January page on a December meeting: the year before the page's
            "中央政治局召开会议 分析研究明年经济工作\n发布时间：2025-01-03\n"
            "新华社北京12月9日电 中共中央政治局12月9日召开会议，分析研究2025年经济工作。\n会议认为，今年以来，经济运行总体平稳。",
            dt.date(2024, 12, 9),
            None,
        ),
        (  # no page year: no date
            "李强主持召开国务院常务会议\n新华社北京1月19日电 国务院总理李强1月19日主持召开国务院常务会议，研究有关工作。\n会议指出。",
            None,
            "国务院常务会议",
        ),
        (  # a speech's review deep in its body dates nothing
            "在全市经济工作会议上的讲话\n发布时间：2024-02-20\n同志们：\n今天召开全市经济工作会议。\n"
            "1月19日，市委召开常委会议，研究部署今年经济工作。",
            None,
            "全市经济工作会议",
        ),
    ],
)
def test_a_news_leads_month_day_dates_the_event_with_the_pages_year(page, delivered, meeting):
    """News pages of national meetings and press conferences had no delivered_on (`1月19日主持召开国务院常务会议`,
    `13日上午…出席记者会`, `12月11日至12日在北京举行`: a month-day with no year) and no meeting."""
    f = E.extract_fields(page, raw_text=page)
    assert (f["delivered_on"], f["meeting"]) == (delivered, meeting), f


@pytest.mark.parametrize(
    ("page", "title", "office"),
    [
        (  # a minister named by his office alone on his ministry's own site; the site's channel is no title
            "首页 > 政务信息 > 财政新闻\n同志们：\n这次全国财政工作会议的主要任务是总结今年财政工作。",
            "蓝佛安部长在全国财政工作会议上的讲话 - 中华人民共和国财政部",
            ("蓝佛安部长在全国财政工作会议上的讲话", "财政部部长"),
        ),
        (
            "首页 > 新闻发布 > 部领导讲话\n同志们：\n这次全国商务工作会议的主要任务是总结今年商务工作。",
            "王文涛部长在全国商务工作会议上的讲话 - 中华人民共和国商务部",
            ("王文涛部长在全国商务工作会议上的讲话", "商务部部长"),
        ),
        (  # a site's note on how much of the text it gives is no part of the title
            "政府工作报告（全文）\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n各位代表：\n"
            "现在，我代表国务院，向大会报告政府工作。",
            None,
            ("政府工作报告", "总理"),
        ),
        (
            "在全市经济工作会议上的讲话（摘要）\n市委书记 张三\n同志们：\n今天召开全市经济工作会议。",
            None,
            ("在全市经济工作会议上的讲话", "市委书记"),
        ),
    ],
)
def test_a_ministers_office_takes_the_ministry_from_its_site_and_a_title_drops_the_sites_note(page, title, office):
    """`蓝佛安部长` on mof.gov.cn was speaker_title 部长, the ministry's channel `部领导讲话` the title of a page whose
    headline the extractor lost, and `政府工作报告（全文）` kept its `（全文）`."""
    crumb, rest = page.split("\n", 1)
    if ">" in crumb:  # the normalizer cuts a breadcrumb
        f = E.extract_fields(rest, raw_text=page, page_title=title, removed_lines=[(1, crumb, "chrome.breadcrumb")])
    else:
        f = E.extract_fields(page, raw_text=page, page_title=title)
    assert (f["title"], f["speaker_title"]) == office, f

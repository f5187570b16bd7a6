"""Extraction on the seeds' hand labels (tests/fixtures/extract/seeds.json) and one synthetic line per pattern."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tasks import extract as E
from tasks.extract_structure import extract_figures, extract_mentions, extract_sections, extract_slogans
from tasks.extract_text import find_date, simplify

ROOT = Path(__file__).resolve().parents[1]
LABELS = json.loads((ROOT / "tests/fixtures/extract/seeds.json").read_text("utf-8"))
SEEDS = sorted(k for k in LABELS if not k.startswith("_"))
FIELDS = ["title", "doc_type", "speaker_name", "speaker_title", "admin_level", "region", "region_code",
          "meeting", "delivered_on", "published_on", "year", "source_site"]


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
    assert set(out) == {"title", "page_title", "doc_type", "speaker_name", "speaker_title", "admin_level", "region",
                        "region_code", "region_mentions", "meeting", "delivered_on", "published_on", "year",
                        "source_site", "flags"}
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
    out = _fields("政府工作报告\n——2016年1月19日在淮安市第七届人民代表大会第五次会议上\n淮安市人民政府代市长 惠建林\n各位代表：\n现在报告工作。")
    assert out["speaker_name"] == "惠建林"
    assert out["speaker_title"] == "代市长"
    assert out["delivered_on"] == dt.date(2016, 1, 19)
    assert out["meeting"] == "淮安市第七届人民代表大会第五次会议"
    assert out["region"] == "江苏省淮安市" and out["region_code"] == "320800"
    assert out["admin_level"] == "prefecture"
    assert out["doc_type"] == "政府工作报告"


def test_byline_province_with_spaced_name():
    out = _fields("在全省经济工作会议上的讲话\n广东省省长 马兴瑞\n同志们：\n全省上下要努力。全省经济稳中向好，省委省政府。")
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
    out = _fields("某某讲话\n同志们：\n全区。", raw_text=raw,
                  removed_lines=[(2, "发布时间:2021-03-25 来源:布克知识网 点击:", "chrome.published_at")])
    assert out["published_on"] == dt.date(2021, 3, 25) and out["delivered_on"] is None
    assert out["source_site"] == "布克知识网" and out["year"] == 2021
    out = _fields("讲话\n同志们：\n全区。", url="https://www.example.gov.cn/a.html")
    assert out["source_site"] == "example.gov.cn"
    out = _fields("讲话\n同志们：", raw_text="发表于2019-01-29 15:57:43 |只看该作者\n讲话")
    assert out["published_on"] == dt.date(2019, 1, 29)


def test_split_title_joined():
    out = _fields("在全区社会管理创新暨城乡一体化\n建设工作推进会议上的讲话\n区委副书记、区长  孙俨玲\n同志们：\n全区。")
    assert out["title"] == "在全区社会管理创新暨城乡一体化建设工作推进会议上的讲话"
    assert out["speaker_title"] == "区委副书记、区长" and out["speaker_name"] == "孙俨玲"


def test_national_report():
    out = _fields("政府工作报告\n——2010年3月5日在第十一届全国人民代表大会第三次会议上\n国务院总理　温家宝\n各位代表：\n国务院。")
    assert out["admin_level"] == "national" and out["region"] == "中华人民共和国"
    assert out["speaker_name"] == "温家宝" and out["speaker_title"] == "总理"


# ---------------------------------------------------------------- tables


def test_sections_marker_styles_and_paths():
    text = ("同志们：\n一、总结成绩\n一是征地拆迁取得突破。二是服务业发展。\n（一）关于项目\n1. 抓开工\n2. 抓投产\n"
            "二、明确任务\n第一，抓落实。\n一要围绕目标抓落实。\n二要围绕项目抓落实。")
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


def test_figures_units_qualifiers_placeholders_implausible():
    text = "一、回顾\n2020年共征收土地1400亩，完成拆迁52万平方米，投资要达到220230亿元，同比增长16.4%，×个重点项目，约30亿元以上。"
    rows = extract_figures("d", text, extract_sections("d", text))
    by = {r["as_written"]: r for r in rows}
    assert by["1400亩"]["kind"] == "area" and by["1400亩"]["value"] == 1400 and by["1400亩"]["ref_year"] == 2020
    assert by["52万平方米"]["unit"] == "万平方米" and by["52万平方米"]["value"] == 52
    assert by["220230亿元"]["is_implausible"] and by["220230亿元"]["unit"] == "亿元"
    assert by["16.4%"]["kind"] == "percentage" and "同比" in by["16.4%"]["qualifiers"]
    assert by["×个"]["is_placeholder"] and by["×个"]["value"] is None
    assert "以上" in by["30亿元"]["qualifiers"] and "约" in by["30亿元"]["qualifiers"]
    assert all(r["section_path"] == "1" for r in rows)
    big = extract_figures("d", "全国生产总值达到5.67万亿元。", [], national=True)
    assert big[0]["value"] == pytest.approx(56700) and not big[0]["is_implausible"]


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
    assert ("周本顺", "省委书记") in people and ("陈德荣", "书记") in people and ("朱", "区长") in people
    orgs = {r["text"] for r in rows if r["kind"] == "organization"}
    assert {"区委", "区政府", "区发改局", "纪委"} <= orgs
    places = {r["name"] for r in rows if r["kind"] == "place"}
    assert "河北省邢台市" in places
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]


def test_tables_match_schema_columns():
    from tasks import schema

    raw = (ROOT / "data/samples/seeds/000_fc7753713425c55d.txt").read_text("utf-8")
    text, _ = _normalize(raw)
    tables = E.extract_tables("doc", text)
    for key, sch in (("sections", schema.SECTIONS), ("figures", schema.FIGURES), ("slogans", schema.SLOGANS),
                     ("mentions", schema.MENTIONS)):
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


def test_idf_and_top_keywords():
    idf = E.idf_table({"拆迁": 1, "发展": 10}, 10)
    assert idf["拆迁"] > idf["发展"] > 0
    rows = E.top_keywords("d", {"拆迁": 3, "发展": 3, "新词": 1}, idf, k=2)
    assert [r["term"] for r in rows] == ["拆迁", "新词"] or [r["term"] for r in rows][0] == "拆迁"
    assert rows[0]["rank"] == 1 and rows[0]["tf"] == 3 and rows[0]["doc_id"] == "d"
    assert E.top_keywords("d", {}, idf) == []


def test_deterministic(seed_out):
    name = SEEDS[1]
    text, out = seed_out[name]
    raw = (ROOT / "data/samples/seeds" / name).read_text("utf-8", errors="replace")
    t2, removed = _normalize(raw)
    assert E.extract_fields(t2, raw_text=raw, removed_lines=removed) == out
    assert E.extract_tables("x", text) == E.extract_tables("x", text)

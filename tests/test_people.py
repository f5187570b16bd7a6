"""People, places and jurisdiction columns; pandas dtypes from the schema metadata."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tasks.extract_people import extract_mentions, person_mentions
from tasks.jurisdiction import NATIONAL_CODE, jurisdiction


def _people(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(r["name"], r["office"], r["level"]) for r in person_mentions("d", text)]


def test_office_before_and_after_the_name():
    assert _people("省委书记周本顺在会上讲话。") == [("周本顺", "省委书记", "province")]
    assert _people("审议了国务院总理李强所作的政府工作报告。") == [("李强", "国务院总理", "national")]
    assert ("习近平", "总书记", "national") in _people("在以习近平同志为核心的党中央领导下，习近平总书记指出")
    assert _people("陈金彪代市长上次来调研") == [("陈金彪", "代市长", "prefecture")]


def test_lists_bylines_and_later_occurrences():
    names = [n for n, _, _ in _people("出席会议的有李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希同志。")]
    assert names == ["李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希"]
    rows = _people("会议上\n\n市人民政府市长 庄建球\n\n各位代表：庄建球同志在讲话中说")
    assert rows == [("庄建球", "市人民政府市长", "prefecture"), ("庄建球", None, None)]
    assert [n for n, _, _ in _people("涌现出朱亚民、吴义海、黄荣文等一大批")] == ["朱亚民", "吴义海", "黄荣文"]


def test_words_are_not_names():
    for text in (
        "池州长江大桥",
        "班主任和干部长期坚持",
        "罗干将军",
        "汪洋大海",
        "毛主席和周总理",
        "坚持马克思列宁主义、毛泽东思想",
    ):
        assert all(n not in ("池", "班", "干", "罗干", "汪洋", "和周", "宁主义") for n, _, _ in _people(text)), text


def test_place_inside_a_name_is_not_a_place_and_ambiguous_places_stay_unresolved():
    rows = extract_mentions("d", "省长王金山主持会议。朝阳区的工作。")
    assert [(r["kind"], r["name"]) for r in rows if r["kind"] != "organization"] == [
        ("person", "王金山"),
        ("place", "朝阳区"),  # 北京 or 长春: nothing in the text says which
    ]
    rows = extract_mentions("d", "北京市朝阳区的工作。")
    assert ("place", "北京市朝阳区", "county") in {(r["kind"], r["name"], r["level"]) for r in rows}
    for r in rows:
        assert "北京市朝阳区的工作。"[r["start"] : r["end"]] == r["text"]


def test_jurisdiction_columns():
    assert jurisdiction("130503", "county") == {
        "province": "河北省",
        "province_code": "130000",
        "prefecture": "邢台市",
        "prefecture_code": "130500",
        "county": "信都区",
        "county_code": "130503",
    }
    beijing = jurisdiction("110105", "county")
    assert (beijing["province"], beijing["prefecture"], beijing["county"]) == ("北京市", None, "朝阳区")
    national = jurisdiction("100000", "national")
    assert national["province"] is None and national["province_code"] == NATIONAL_CODE
    assert set(jurisdiction(None, None).values()) == {None}


def test_pandas_reads_nullable_integers_as_integers(tmp_path):
    from tasks import schema

    rows = {f.name: [None, None] for f in schema.DOCUMENTS}
    rows.update(doc_id=["a", "b"], source_path=["x", "y"], content_sha256=["1", "2"], format=["txt", "txt"])
    rows.update(quality_flags=[[], []], pipeline_version=["v", "v"], year=[2020, None], n_chars=[10, None])
    table = pa.Table.from_pydict(rows).cast(schema.DOCUMENTS)
    pq.write_table(table, tmp_path / "d.parquet")
    df = pd.read_parquet(tmp_path / "d.parquet")
    assert str(df["year"].dtype) == "Int16" and str(df["n_chars"].dtype) == "Int32"
    assert df["year"].tolist()[0] == 2020 and pd.isna(df["year"].tolist()[1])


def test_jurisdiction_keeps_the_prefecture_of_a_provincial_capital():
    # 石家庄市 is 130100: a code ending in 0100 is a real prefecture outside the four municipalities
    got = jurisdiction("130102", "county")
    assert (got["prefecture"], got["prefecture_code"], got["county"]) == ("石家庄市", "130100", "长安区")
    assert jurisdiction("429004", "county")["prefecture"] is None  # 仙桃市 sits directly under 湖北省


def test_model_workers_and_denounced_leaders_without_an_office():
    text = "以身殉职的好干部张鸣岐同志，优秀教师王思明同志，革命家康生同志。粉碎王洪文、张春桥、江青、姚文元反党集团。"
    names = [n for n, _, _ in _people(text)]
    assert names == ["张鸣岐", "王思明", "康生", "王洪文", "张春桥", "江青", "姚文元"]


def test_lists_of_places_slogans_and_products_are_not_people():
    for text in (
        "成德、成眉、成资协同创新中心",
        "战贫、战疫、战洪。",
        "扩大宁创贷、苏科贷等规模",
        "兰州蓝、金城绿、黄河清成为城市名片",
        "孔学堂、阳明洞、阳明祠三足鼎立",
        "他们并肩战斗过的许多老同志",
        "省政协委员和列席同志提出意见",
        "高举毛主席的伟大旗帜",
        "习近平总书记来川视察",
        "坚持马克思列宁主义、科学发展观、习近平新时代中国特色社会主义思想",
    ):
        assert [n for n, _, _ in _people(text) if n != "习近平"] == [], text


def test_bylines_credits_and_dotted_names():
    assert _people("会议上\n\n广州市代市长 张广宁\n\n各位代表") == [("张广宁", "代市长", "prefecture")]
    assert [n for n, _, _ in _people("（记者 戴冰摄）\n本报记者 朱江 摄")] == ["戴冰", "朱江"]
    assert _people("会议上\n自治区主席 艾尔肯·吐尼亚孜\n各位代表") == [("艾尔肯·吐尼亚孜", "自治区主席", "province")]
    assert _people("市长 吴东来\n") == [("吴东来", "市长", "prefecture")]


def test_every_span_is_the_text_it_claims():
    text = "省委书记周本顺、省委副书记赵勇、宣传部长艾文礼,市委书记王爱民、市长孟祥伟等。在以习近平同志为核心的党中央领导下"
    for r in extract_mentions("d", text):
        assert (text[r["start"] : r["end"]] == r["text"] and r["name"] in r["text"]) or r["kind"] == "place"


def test_a_dotted_programme_name_is_not_a_person():
    # `市长在线·民声留言板` is a hotline: 在线 and 民声 are words, not transliterations
    assert _people("“市长在线·民声留言板”办理群众诉求4.1万件") == []
    assert _people("自治区主席 司马义·艾买提\n") == [("司马义·艾买提", "自治区主席", "province")]
    assert _people("自治区主席 雪克来提·扎克尔\n") == [("雪克来提·扎克尔", "自治区主席", "province")]
    assert ("川·立派", "总理", "national") in _people("接待了马来西亚总理马哈迪尔、泰国总理川·立派、新加坡资政李光耀")


def test_an_office_after_its_place_starts_the_mention():
    text = "天津市市长 张工\n各位代表"
    (row,) = person_mentions("d", text)
    assert (row["text"], row["office"]) == ("市长 张工", "市长")
    assert text[row["start"] : row["end"]] == row["text"]
    (row,) = person_mentions("d", "海南省省长沈晓明在会上讲话")
    assert (row["text"], row["office"]) == ("省长沈晓明", "省长")


def _places(text: str) -> list[str]:
    return [r["text"] for r in extract_mentions("d", text) if r["kind"] == "place"]


def test_a_place_name_inside_another_word_is_not_a_place():
    """23 % of the shared corpus's county mentions were cut words (示范县 held 范县, 均衡水平 衡水) — session 42."""
    for text in (
        "创建全国示范县，持续加大城市基础设施建设",
        "义务教育和县乡两级财政，推动基本公共服务均衡水平提升",
        "县级以上城市饮用水水源达标，坚持绿水青山就是金山银山",
        "推进鄱阳湖水利枢纽工程，建设长白山特色品牌",
        "创新建立协同机制，文体惠民工程全面推进",
    ):
        assert _places(text) == [], (text, _places(text))


def test_places_beside_offices_and_people_stay_places():
    assert _places("让每一位开封市民都成为城市的主人，马鞍山市和县县长出席") == ["开封市", "马鞍山市", "和县"]


def test_a_county_named_like_a_word_needs_its_prefecture_named():
    """老城区, 新建, 惠民: a county of 洛阳, 南昌, 滨州 only where the document names that city."""
    assert _places("江西省加快老城区改造，新建一批保障房，文体惠民") == ["江西省"]
    assert "老城区" in _places("洛阳市老城区加快改造")
    assert "合肥" in _places("安徽省多家银行机构落户合肥，支持证券业发展")
    assert "遵义" in _places("贵州省遵义打造对接成渝的桥头堡")


def test_a_doctrine_is_not_a_mention_of_the_leader():
    text = "坚持毛泽东思想、邓小平理论、习近平新时代中国特色社会主义思想，深入学习习近平经济思想。习近平总书记强调。"
    assert [(r["name"], r["text"]) for r in person_mentions("d", text)] == [("习近平", "习近平总书记")]


def test_autonomous_region_organs_and_a_dotted_name_before_a_verb():
    assert _people("自治区人民政府主席孙绍骋作报告。") == [("孙绍骋", "自治区人民政府主席", "province")]
    assert _people("自治区党委书记孙绍骋在会上讲话。") == [("孙绍骋", "自治区党委书记", "province")]
    assert _people("自治区主席艾尔肯·吐尼亚孜出席。") == [("艾尔肯·吐尼亚孜", "自治区主席", "province")]


def test_an_organization_is_named_whole_with_its_place_and_the_place_stays():
    text = "在中共郴州市委的坚强领导下，提请广西壮族自治区人大常委会审议，提请自治区人大常委会审议，支持香港特别行政区政府，推进乡镇政府职能转变。"
    rows = extract_mentions("d", text)
    orgs = [(r["text"], r["name"]) for r in rows if r["kind"] == "organization"]
    assert orgs == [
        ("中共郴州市委", "郴州市委"),
        ("广西壮族自治区人大", "广西壮族自治区人大"),
        ("自治区人大", "自治区人大"),  # not 区人大
        ("香港特别行政区政府", "香港特别行政区政府"),
        ("乡镇政府", "乡镇政府"),
    ]
    places = {r["name"] for r in rows if r["kind"] == "place"}
    assert {"湖南省郴州市", "广西壮族自治区", "香港特别行政区"} <= places  # were lost under the organization
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]


def test_the_governments_of_a_whole_level_are_no_organization():
    rows = extract_mentions("d", "全市政府投资项目518个，全省政府系统要坚持依法行政，市政府常务会议。")
    assert [r["text"] for r in rows if r["kind"] == "organization"] == ["市政府"]


def test_a_national_leaders_chairman_is_national():
    """`毛泽东主席`, `习近平主席`: 主席 says no level (a 政协 has one), the leader's does; a local office keeps its own."""
    rows = person_mentions(
        "d", "在毛泽东主席和叶剑英副主席的领导下。习近平主席出席。福建省省长习近平作报告。张三主席讲话。"
    )
    got = {(r["name"], r["office"]): r["level"] for r in rows}
    assert got[("毛泽东", "主席")] == "national" and got[("叶剑英", "副主席")] == "national"
    assert got[("习近平", "主席")] == "national" and got[("习近平", "省长")] == "province"
    assert got.get(("张三", "主席")) is None
    assert all(
        r["level"] is None for r in rows if r["office"] == "书记"
    )  # a secretary of what, the text says elsewhere


def test_a_long_list_chain_without_its_closing_word_is_no_list():
    """`一、发展` repeated: one 、 chain that never ends in 等 (two tries per 、 each read the whole chain: ~4 minutes
    at 200k characters; `python -m bench.bench_extract_hostile` measures it now)."""
    from tasks.extract_people import name_lists

    assert list(name_lists("一、发展" * 5_000)) == []
    assert [m.group(0) for m in name_lists("表彰了朱亚民、吴义海、黄荣文等同志。")] == ["朱亚民、吴义海、黄荣文等"]


def test_court_and_procuratorate_heads_are_offices():
    rows = extract_mentions(
        "d", "最高人民检察院检察长应勇作工作报告，省高级人民法院院长王晓东出席，市人民检察院检察长李明参加。"
    )
    people = [(r["name"], r["office"], r["level"]) for r in rows if r["kind"] == "person"]
    assert people == [
        ("应勇", "最高人民检察院检察长", "national"),
        ("王晓东", "省高级人民法院院长", "province"),
        ("李明", "市人民检察院检察长", "prefecture"),
    ]


def test_a_place_whose_level_character_an_office_repeats_stays_a_place():
    text = "罗城仫佬族自治县人民政府县长蒋韦慧出席，广西壮族自治区人民政府主席蓝天立讲话。"
    rows = extract_mentions("d", text)
    assert [(r["kind"], r["text"]) for r in rows] == [
        ("place", "罗城仫佬族自治县"),
        ("person", "县人民政府县长蒋韦慧"),
        ("place", "广西壮族自治区"),
        ("person", "自治区人民政府主席蓝天立"),
    ]


def test_a_list_of_brands_or_firms_names_no_people():
    # 、 lists closed by 等 and a noun of things: the tokens read as names (韩正 is a leader's) but name products
    for text in (
        "培育壮大可喜安、韩正、华瑞等人参精加工企业，着力构建高端产业。",
        "支持王老吉、周黑鸭、张小泉等老字号做大做强。",
        "引进李宁、安踏、特步等一批知名品牌。",
    ):
        assert _people(text) == [], text
    # people again: entrepreneurs, and a person named before the list
    assert [n for n, _, _ in _people("王老吉、周黑鸭、张小泉等企业家参加座谈。")] == ["王老吉", "周黑鸭", "张小泉"]
    assert [n for n, _, _ in _people("张明华同志引进李宁、安踏、特步等龙头企业。")] == ["张明华"]
    assert [n for n, o, _ in _people("市长王明华指出，要引进李宁、安踏、特步等龙头企业。")] == ["王明华"]


def test_a_doubled_word_is_no_name_and_a_national_organ_has_no_place():
    """A press conference's `谢谢总理` was a national person 谢谢 (jieba tags 谢谢 nr); an NPC decision's `香港特别行政区全国人大
    代表` an organization `香港特别行政区全国人大` (session 44, national audit)."""
    rows = extract_mentions(
        "d", "王超：谢谢总理，谢谢各位记者朋友。香港特别行政区全国人大代表、香港特别行政区全国政协委员。"
    )
    assert "谢谢" not in {r["name"] for r in rows if r["kind"] == "person"}
    orgs = {r["name"] for r in rows if r["kind"] == "organization"}
    assert orgs == {"全国人大", "全国政协"}, rows
    assert "香港特别行政区" in {r["name"] for r in rows if r["kind"] == "place"}
    # local organs keep their place (session 43)
    assert "郴州市委" in {
        r["name"] for r in extract_mentions("d", "中共郴州市委召开会议。") if r["kind"] == "organization"
    }


def test_a_city_its_province_runs_itself_is_named_without_the_tables_holder():
    # the gazetteer files 琼海, 济源, 石河子 under `省直辖行政区划`: it gave 海南省省直辖行政区划琼海市
    places = {
        (r["name"], r["level"])
        for r in extract_mentions("d", "琼海市要加快发展，济源市、石河子市也是如此。")
        if r["kind"] == "place"
    }
    assert {("海南省琼海市", "county"), ("河南省济源市", "county")} <= places, places
    assert not any("直辖" in name for name, _ in places)

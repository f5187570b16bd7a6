"""Places a careful reader gets right and the extractor did not (session 58's fresh pages, sixteenth round): a city's
short name inside a longer township's, `乡亲` read as a township, the Matsu islands, names several divisions share."""

from __future__ import annotations

from tasks import extract_regions as R
from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ---------------------------------------------------------------- a city's short name inside a township's


def test_a_township_ending_in_a_citys_short_name_is_no_city():
    # 莿桐鄉 (云林县) ends in 桐乡, 浙江's 桐乡市 short name: its office after it (公所, 鄉長) says it is the township
    raw = (
        "莿桐鄉公所日昨在三樓禮堂舉行元旦活動宣傳記者會，現場並展示莿桐優質農特產品。\n"
        "鄉長某某某、鄉民代表會主席某某某等踴躍出席。\n"
        "當天將由莿桐國中、莿桐鄉立幼兒園精彩演出，同時頒發莿桐鄉立圖書館感謝狀。\n"
        "莿桐鄉長表示，歡迎鄉親參加。\n"
    )
    f = _fields(raw)
    assert f["region"] != "浙江省嘉兴市桐乡市"
    assert "桐乡" not in f["region_mentions"]


def test_the_citys_own_short_name_stays():
    raw = (
        "桐乡市召开全市经济工作会议。\n"
        "会议指出，桐乡要坚持稳中求进，桐乡经济开发区要当好主力军。\n"
        "嘉兴桐乡立足数字经济，加快转型。\n"
    )
    assert _fields(raw)["region"] == "浙江省嘉兴市桐乡市"


def test_a_short_name_before_a_place_starting_with_chang_is_kept():
    # `新乡长垣`: 新乡 then 长垣市, not a township 新乡's head
    hits = [h.surface for h in R.find_places("河南省新乡长垣市召开会议")]
    assert "新乡" in hits


# ---------------------------------------------------------------- 乡亲 and the Matsu islands


def test_kinsfolk_are_no_township():
    # `馬祖鄉親` (Matsu's folk): the word 乡亲, not 马祖乡 (the mainland table's township of Fujian's 连江县)
    assert R.find_towns("感谢马祖乡亲的支持") == []
    assert R.find_towns("马祖乡人民政府") == [(0, "马祖乡")]


def test_matsu_pages_are_taiwans_lianjiang():
    raw = (
        "連江縣政府今天舉辦縣政成果發表會。連江縣長某某某指出，馬祖要在兩岸之間找出定位。\n"
        "連江縣長某某某致詞時說，馬祖從軍事要地走向觀光發展，特別感謝縣府團隊、馬祖鄉親。\n"
        "連江縣府指出，南竿、北竿與莒光的建設將持續推動。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省连江县", "county")


def test_fujians_lianjiang_stays_fujians():
    raw = (
        "连江县召开全县经济工作会议。县长某某某在讲话中指出，连江要当好海上福州排头兵。\n"
        "会议要求，琯头镇、黄岐镇要加快项目建设，深化与马祖的交流合作。\n"
        "连江县各乡镇、县直各部门负责人参加会议。\n"
    )
    assert _fields(raw)["region"] == "福建省福州市连江县"


# ---------------------------------------------------------------- names several divisions share


def test_a_name_four_districts_share_needs_evidence():
    # 鼓楼区 of 南京, 徐州, 开封 and 福州: the one whose code sorted last was taken
    raw = (
        "1月7日上午，中国人民政治协商会议鼓楼区第十届委员会第四次会议隆重开幕。\n"
        "区委书记某某某代表中共鼓楼区委作了讲话。区委副书记、区长某某某出席会议。\n"
        "区政协主席某某某受政协鼓楼区第十届委员会常务委员会委托向大会报告工作。\n"
    )
    f = _fields(raw)
    assert f["region"] is None
    assert f["admin_level"] == "county"  # the office still says a district's


def test_a_shared_name_with_its_city_named_is_that_citys():
    raw = (
        "1月7日上午，中国人民政治协商会议南京市鼓楼区第十届委员会第四次会议隆重开幕。\n"
        "区委书记某某某代表中共鼓楼区委作了讲话。区委副书记、区长某某某出席会议。\n"
        "区政协主席某某某受政协鼓楼区第十届委员会常务委员会委托向大会报告工作。\n"
    )
    assert _fields(raw)["region"] == "江苏省南京市鼓楼区"


def test_a_taiwanese_twin_named_with_its_own_head_stays():
    # 金门县 is Fujian's (泉州市) in the mainland table and Taiwan's: a page naming its own county head is Taiwan's
    raw = (
        "金門縣政府今天為烏坵鄉補選的鄉長舉行宣誓就職典禮，金門縣長某某某到場致意。\n"
        "金門縣政府秘書表示，期盼新任鄉長深入民瘼，金門縣府將全力支持。\n"
    )
    assert _fields(raw)["region"] == "台湾省金门县"


# ---------------------------------------------------------------- Taiwanese cities' districts (no table of them)


def test_a_taichung_district_named_with_its_office_under_its_city():
    raw = (
        "后里區里鄰長研習會,提升基層服務效能,共創富市台中\n"
        "后里區公所今(19)日舉辦114年度里鄰長研習會,邀請臺中市政府警察局、臺中市后里區衛生所等單位進行專業講習。\n"
        "臺中市政府秘書處副處長李政明代表市長出席,向辛勤付出的里鄰長表達感謝。\n"
        "后里區長賴同明表示,里鄰長在市政與區政業務扮演關鍵角色。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省台中市后里区", "county")  # a special municipality's district


def test_a_provincial_citys_district_is_a_township():
    raw = (
        "【記者某某/基隆報導】基隆市七堵區公所28日上午舉行資深里鄰長表揚活動,由區長趙明明主持。\n"
        "七堵區長趙明明表示,里鄰長扮演市府、區公所與民眾間溝通橋樑,讓市政工作順利推動。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省基隆市七堵区", "township")


def test_a_district_whose_city_the_page_never_names_has_no_region():
    raw = (
        "七堵區公所資深里鄰長表揚活動,28日上午隆重登場,由區長趙明明主持。\n"
        "七堵區長趙明明表示,感謝里鄰長平日扮演溝通橋樑。\n"
    )
    assert _fields(raw)["region"] is None


def test_a_mainland_district_head_stays_mainland():
    raw = "海淀区召开全区经济工作会议。\n海淀区长某某某在会上指出，海淀区要坚持创新驱动。海淀区长某某某强调，要抓好落实。\n"
    assert _fields(raw)["region"] == "北京市海淀区"

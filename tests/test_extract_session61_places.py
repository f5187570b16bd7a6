"""Places a careful reader gets right and the extractor did not (session 61's fresh pages, nineteenth round): a
Taiwanese township named with its organ once, right after its county, whose name holds a mainland division's."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_township_holding_a_mainland_county_s_name_is_the_township():
    # 泰武鄉 holds 武乡 (山西's 武乡县): the page went to Shanxi; its 鄉長 is named once, its county right before it
    raw = (
        "不畏風雨舉辦聯合收穫節暨鄉運開幕典禮 澆不熄泰武鄉民熱情參與\n"
        "【記者某某某/屏東報導】不畏風雨的屏東縣泰武鄉109年度聯合收穫節暨鄉運8月27日在大雨中舉辦開幕典禮,現場參與的鄉民與來賓熱情出席。"
        "泰武鄉長邱某某接受訪問時表示,今年的鄉運有別與過去的方式,由鄉公所各課室人員錄製宣導片。\n"
        "泰武鄉109年度聯合收穫節暨鄉運於27-29日在泰武國中舉辦傳統競技,歡迎各界朋友一起來泰武鄉過收穫節。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省屏东县泰武乡", "township")


def test_a_three_character_township_after_its_county_is_read():
    # `三地門鄉`: TW_TOWN_RE reads two-character names only (地门乡), and 九如鄉長 tied with it: no region
    raw = (
        "屏東縣三地門鄉昨起一連3天舉辦收穫節暨鄉運,鄉內10部落齊聚,獲三地門鄉長曾某某致贈「三地門之光」。\n"
        "三地門鄉收穫節昨熱鬧開幕,部落總動員,鄰近九如鄉長藍某某特別送上一隻豬祝賀。開幕活動由三地門鄉青壯年競技隊表演揭開序幕。\n"
        "今、明兩天三地門鄉運將登場,球類比賽外,還有傳統射箭、摔角等。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省屏东县三地门乡", "township")


def test_the_county_head_at_a_township_s_festival_keeps_the_county():
    # the county's head is the item's actor; the township's head is named once among the guests
    raw = (
        "記者某某某∕花蓮報導\n"
        "花蓮縣光復鄉砂荖部落豐年祭今(5)日盛大登場,縣長徐某某由縣府原住民行政處長陳某某陪同,為族人送上滿心祝福。\n"
        "縣長徐某某首先以流利的族語問候各年齡階層的族人,表示地方中央一條心,花蓮的進步才能大步向前行。\n"
        "活動中,徐某某展現親民魅力,與族人逐一握手寒暄。到場致意的人士還有縣議員賴某某、光復鄉長林某某等多人。\n"
    )
    f = _fields(raw)
    assert f["admin_level"] != "township"  # the relaxed reading gave 台湾省花莲县光复乡


def test_a_delegation_named_after_its_head_as_团长_is_the_guests():
    # `会见了由…为团长的天津市…考察团一行`: GUEST_LED_RE read `率领的` only, so the guests' city was the host's region
    raw = (
        "金黔在线讯11月14日,省委副书记王某某,省政协副主席、省委统战部部长伍某某在贵州饭店会见了由天津市政协副主席、"
        "市委统战部部长叶某某为团长的天津市各民主党派、工商联赴黔考察团一行。\n"
        "王某某对客人一行的到来表示热烈欢迎,并简要介绍了我省的基本省情。他说,贵州风景优美、气候宜人,资源非常丰富。"
        "希望天津的客人到贵州多走走,多看看。\n"
    )
    assert _fields(raw)["region"] == "贵州省"


def test_the_hometown_a_world_convention_or_an_overseas_hall_is_named_after_is_no_region():
    # `世界惠州(府署)同乡恳亲大会`, `新加坡惠州会馆`: ABROAD_ORG_RE knew 同乡会 and 商会, not the convention or the hall
    raw = (
        "(讯报棉兰讯)棉兰鹅城慈善基金会会长陈某某率领该会理事会理事长温某某于2024年九月28日至29日前往新加坡,"
        "参加由新加坡惠州会馆举办之第十一届世界惠州(府署)同乡恳亲大会,一行人在新加坡与来自20多个国家和地区的侨胞欢聚一堂。\n"
        "陈某某表示,世惠会为海外乡亲搭建了交流合作的平台。\n"
    )
    assert _fields(raw)["region"] is None  # was 广东省惠州市

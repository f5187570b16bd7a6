"""Places a careful reader gets right and the extractor did not (session 59's fresh pages, seventeenth round):
Taiwanese counties and districts that share their names, and words read as places."""

from __future__ import annotations

from tasks import extract_regions as R
from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ---------------------------------------------------------------- a county's own organ on its SAR's site


def test_a_county_acting_through_its_own_organ_on_a_taiwanese_site_is_the_county():
    # kmdn.gov.tw (金門日報) is a .gov.tw site: its items were 台湾省 unless they named 金門縣 three times
    raw = (
        "地方新聞\n-\n縣長期勉以宏觀思維推動永續治理 建立學習型政府團隊\n"
        "金門縣政府昨(22)日下午於縣府第一會議室召開「114年度第三季執行情形檢討會議」,由縣長某某某親自主持,"
        "縣府參議、秘書及各業務列管單位主管出席與會。某縣長開宗明義指出,中央資源取得不易,地方政府更要以高效率回應期待。\n"
    )
    f = _fields(raw, url="https://www.kmdn.gov.tw/1117/1271/1272/?Page=76")
    assert (f["region"], f["admin_level"]) == ("台湾省金门县", "county")


def test_a_city_the_president_visits_stays_a_venue():
    # `總統出席台北市政府…`: the city's organ after a verb of going is where the president spoke, not whose page it is
    raw = (
        "總統出席元旦升旗典禮\n"
        "總統今天上午出席臺北市政府舉辦的元旦升旗典禮,致詞時表示,新的一年國家將持續推動各項建設。\n"
    )
    f = _fields(raw, url="https://www.president.gov.tw/News/1")
    assert f["region"] == "台湾省"


# ---------------------------------------------------------------- Taiwanese districts named like mainland ones


def test_a_taiwanese_city_district_named_like_a_mainland_one_is_taiwans():
    # 大安区 (自贡) and 泰山区 (泰安) are in the mainland table: 台中's and 新北's districts went to Sichuan and Shandong
    raw = (
        "記者某某某/台中報導\n"
        "臺中市大安區公所昨日舉辦新春團拜活動,由區長率領各課室同仁齊聚一堂,互道恭喜。\n"
        "區長某某某致詞表示,過去一年區政推動穩健前行。大安區公所表示,將持續強化為民服務。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("台湾省台中市大安区", "county")
    raw = (
        "新北泰山區公所新春團拜 迎新展望城市發展\n"
        "新北市泰山區公所4日舉辦「新春團拜」,邀集轄內民代、里長共迎新春。區長某某某向市民祝賀,"
        "並強調泰山區各項建設正加速推動。泰山區公所未來將持續關懷長者。\n"
    )
    assert _fields(raw)["region"] == "台湾省新北市泰山区"


def test_a_mainland_district_named_with_its_own_city_stays_mainland():
    raw = (
        "自贡市大安区召开全区经济工作会议。\n大安区区长某某某在会上指出，大安区要坚持工业强区。"
        "大安区区长某某某强调，要抓好落实。台中市大安区公所的同行也发来贺信。\n"
    )
    assert _fields(raw)["region"] == "四川省自贡市大安区"


# ---------------------------------------------------------------- words read as places


def test_a_given_name_before_its_office_is_no_county():
    # `陳福海縣長` (Kinmen's head): 福海县 (新疆阿勒泰) read across his name and his office
    assert [h.surface for h in R.find_places("感謝陈福海县长的支持")] == []
    assert [h.surface for h in R.find_places("福海县县长某某某在会上讲话")] == ["福海县"]
    assert [h.surface for h in R.find_places("在福海县长期工作的干部")] == ["福海县"]


def test_hometown_after_a_preposition_is_no_township():
    # `熱衷於家鄉活動` (keen on the hometown's events): 于家乡 is a township of Hebei's 井陉县
    assert R.find_towns("旅台乡亲仍热衷于家乡活动") == []
    assert R.find_towns("井陉县于家乡召开全乡干部大会") == [(3, "于家乡")]


# ---------------------------------------------------------------- visits: the host's page


def test_a_host_meeting_a_delegation_is_the_hosts_page():
    # docs/doc_types.md (visits): the places naming the delegation and who leads it are the guests'
    raw = (
        "上海市委书记李某今天下午会见了由江苏省委常委、南京市委书记张某某率领的南京市党政代表团一行。\n"
        "李某说，上海与南京渊源深厚，希望两地更好发挥各自优势。张某某表示，这次率团来沪学习考察，是为了进一步接轨上海。\n"
        "上海市领导某某某参加会见。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == ("上海市", "province")
    assert f["speaker_name"] == "李某"


def test_a_delegation_led_to_a_meeting_names_its_own_places():
    # no host's verb before it: `由…率领的` alone (the delegation's own page) skips nothing
    assert R.not_jurisdiction("由南京市委书记张某某率领的南京市党政代表团赴上海学习考察。") == {}
    assert R.not_jurisdiction("市委书记李某会见了由南京市委书记张某某率领的南京市党政代表团。") == {"南京市": 2}


# ---------------------------------------------------------------- associations abroad


def test_an_association_abroad_is_named_after_a_hometown_it_does_not_govern():
    # docs/doc_types.md (visits): a Manila association's page went to 福建省泉州市晋江市 by the names of its associations
    raw = (
        "旅菲塘市上郭同乡会75-76届就职典礼\n"
        "菲律宾晋江同乡总会讯:\n"
        "2月19日下午7时,旅菲塘市上郭同乡会假座世纪海鲜酒家隆重庆祝成立74周年暨第75-76届职员就职典礼。"
        "晋总理事长某某某应邀出席庆典,受到新届理事长某某某的热烈欢迎。\n"
        "某理事长首先代表菲律宾晋江同乡总会向该会新届职员致以最热烈的祝贺,祝旅菲塘市上郭同乡会会务蓬勃发展!\n"
    )
    assert _fields(raw)["region"] is None
    assert R.not_jurisdiction("菲晋江市龙湖镇联乡总会与香港龙湖同乡会、世界晋江同乡总会") == {
        "晋江市": 1,
        "龙湖": 1,
        "晋江": 1,
    }


def test_an_association_at_home_or_of_hometown_folk_elsewhere_keeps_its_places():
    # associations in another Chinese city (异地商会) are read as before: their page's own place may be either
    assert R.not_jurisdiction("台州开化商会二届一次会员大会在台州市召开。上海市通化商会成立。") == {}


def test_an_acting_heads_office_names_no_district():
    # `代理區長` (acting district head): 代理区 of 台中市 was read for a district
    # (read on the simplified text, as extract_fields hands it over)
    text = "台中市政府今日举行代理区长真除典礼，民政局长代表市长主持。两位代理区长表示，将持续推动区政。\n"
    assert R.taiwan_township(text) is None
    text = "后里区里邻长研习会\n后里区公所今(19)日举办里邻长研习会，台中市政府代表出席。\n后里区长赖某某表示，里邻长扮演关键角色。\n"
    assert R.taiwan_township(text) == ("台湾省台中市后里区", "710400", "county")

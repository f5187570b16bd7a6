"""Session 53's fresh real pages (helper h7): places and levels of county pages, county-level cities and pages whose
short place names sit inside other words. Every test failed on the code before its commit."""

from __future__ import annotations

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ a county page under its superiors' words


# jspxxw.cn's commentary (session 53's fresh pages): the county names itself (沛县, 我县); its superiors' words
# (`省市委要求`, `市委书记…在沛调研`) outnumbered its one 全县, the page was a 市 kind and lost its county.
PEIXIAN = (
    "在实现“两个争做”奋斗目标中谱写新的沛县篇章\n"
    "丹桂飘香，金浪滚滚，十月的沛县处处洋溢着丰收的喜悦。在全县上下乘势而上再攀新高的奋斗中，随着2021年我县第二批"
    "城建重点工程的集中开工，我们迎来了中华人民共和国72华诞。\n"
    "今年是中共沛县第十五次代表大会召开之年，也是我县乘势而上再攀新高的起步之年。\n"
    "今年是我县乘势而上再攀新高的一年。省委书记娄勤俭，市委书记庄兆林在沛调研时对我县工作给予充分肯定。认真贯彻落实"
    "省市委要求，牢牢把握年初确定的各项重要任务和主要发展指标。\n"
)


def test_the_province_and_citys_committees_are_no_citys_own_words():
    assert E._kind_hint(None, None, None, PEIXIAN) != "市"
    got = _page(PEIXIAN)
    assert (got["region"], got["admin_level"]) == ("江苏省徐州市沛县", "county")


def test_a_citys_own_words_still_make_it_a_city():
    text = "我市召开全市经济工作会议。市委书记强调，全市上下要认真落实省委和市委要求，我市各县区要对标先进。"
    assert E._kind_hint(None, None, None, text) == "市"


# ------------------------------------------------------------------ a short name inside other words


# yunwushan.cn's festival notice (session 53's fresh pages): 木兰 sixteen times in names that are Hua Mulan's or a
# mountain's (`第十届木兰旅游文化节`, `木兰云雾山`, `花开木兰`), never 木兰县, never 哈尔滨 or 黑龙江; the district that runs
# the festival is named in full with its own organs.
MULAN = (
    "第十届木兰旅游文化节开幕暨木兰云雾山旅游风景区开园仪式\n"
    "2009年是建国60周年大庆,因此,办好武汉首届杜鹃节、第十届木兰旅游文化节和木兰云雾山旅游风景区开园仪式,为国庆献礼,"
    "促进我区旅游事业快速发展,具有多重社会意义。定于4月3日在木兰云雾山旅游风景区举办“两节一开园”活动。\n"
    "通过节庆宣传造势,扩大黄陂对外开放影响力,从而达到提升木兰旅游品牌形象的目的。本届旅游文化节的主题是“花开木兰,"
    "春满江城”。\n"
    "主办单位:中共黄陂区委、黄陂区人民政府、武汉市旅游局和武汉电视台。\n"
    "承办单位:李集街人民政府、黄陂区旅游局和木兰云雾山旅游风景区。\n"
    "协办单位:木兰山风景区、木兰湖旅游度假区、木兰天池风景区、木兰古门风景区、木兰清凉寨风景区、木兰草原风景区。\n"
)


def test_a_short_name_never_written_in_full_yields_to_the_place_named_in_full():
    got = _page(MULAN)
    assert (got["region"], got["admin_level"]) == ("湖北省武汉市黄陂区", "county")


def test_a_countys_own_short_name_still_names_it():
    # the county's own page writes its full name too (木兰县), or its city: the short name is the county's
    text = MULAN.replace("中共黄陂区委、黄陂区人民政府、", "中共木兰县委、木兰县人民政府、").replace("黄陂", "木兰")
    assert _page(text)["region"] == "黑龙江省哈尔滨市木兰县"
    text = "哈尔滨市木兰县召开全县经济工作会议。\n" + "木兰发展势头良好,木兰人民团结奋进,全县上下抓落实。\n" * 3
    assert _page(text)["region"] == "黑龙江省哈尔滨市木兰县"


# ------------------------------------------------------------------ Taiwanese pages


# udn's item (session 53's fresh pages): no headline, the city's council in its first sentence, then 市長 and 市總預算;
# a body mention of a Taiwanese place was never the jurisdiction (a mainland report names 台湾 often)
TAINAN = (
    "台南市議會第4屆第6次定期會今天上午開幕，由議長邱莉莉主持，展開為期70天的會期，將審議115年度逾1200億元市總預算，"
    "並進行市政總質詢、各局處業務與專案報告等議程。市長黃偉哲在首日進行施政總報告，說明市政成果與未來展望。\n"
    "會議一開始，議長邀請市長、議員及市府官員為花蓮風災罹難者默哀1分鐘，來自花蓮光復鄉的議員發言。\n"
    "本會期將處理29件提案，包括23件墊付款案、2件一般提案、3件市法規案及總預算案，經議會同意，多數案交付聯席審查。\n"
)


def test_a_taiwanese_city_named_with_its_own_council_in_the_opening_is_the_pages():
    got = _page(TAINAN)
    assert (got["region"], got["admin_level"]) == ("台湾省台南市", "prefecture")


def test_a_mainland_page_on_taiwans_council_is_not_taiwans():
    text = (
        "国务院台湾事务办公室发言人今天表示，台南市议会的有关议案无助于两岸关系发展。台湾同胞是我们的骨肉天亲，"
        "我们将继续推进两岸融合发展，全国人民要为祖国统一共同努力。\n"
    )
    assert E.extract_fields(text)["region"] != "台湾省台南市"


def test_miaoli_is_spelt_as_it_spells_itself():
    from tasks import extract_regions as R

    assert [d.full_name for d in R.lookup("苗栗县")] == ["台湾省苗栗县"]
    assert R.lookup("苗粟县") == []


# ------------------------------------------------------------------ a short name read across two words


def test_a_short_name_across_two_words_is_no_place():
    # fmrmzx.com's festival item (session 53's fresh pages): `弘扬中华民族` read 扬中 (江苏省镇江市扬中市)
    from tasks import extract_regions as R

    assert [h.surface for h in R.find_places("更是弘扬中华民族多元多彩的民族文化的具体实践")] == []
    assert [h.surface for h in R.find_places("市委书记到扬中调研，扬中发展势头良好")] == ["扬中", "扬中"]
    assert [h.surface for h in R.find_places("加快宝山建设，推进静安发展")] == ["宝山", "静安"]
    # a place after a preposition or a verb of motion stays one (至福 and 清高 are words)
    assert [h.surface for h in R.find_places("福州至福清高速开工，开展幸福建设的热潮")] == ["福州", "福清"]

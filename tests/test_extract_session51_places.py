"""Session 51's fresh real pages (helper h8): places, levels and offices of county, township, district and
development-zone pages — generic zone words, zones' own offices, guest delegations, the organs a congress is named
after, townships. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ generic zone words


@pytest.mark.parametrize(
    "text",
    [
        "示范区(高新区)党工委召开2024年第十七次会议",
        "区委书记、高新区党工委书记王娟参加区委十五届三次全会高新区组讨论",
        "要把新区建设成为产城融合的示范区",
    ],
)
def test_a_generic_zone_word_is_no_place(text):
    assert [h.surface for h in R.find_places(text)] == []


@pytest.mark.parametrize("word", ["开发区", "经济开发区", "高新区", "工业园区", "经济技术开发区", "开发区管委会"])
def test_a_generic_zone_word_is_no_township(word):
    assert R.find_towns(f"{word}召开了党工委会议，研究部署招商引资工作。") == []
    assert "高新街道" in R.load_gazetteer().towns  # a street office named 高新 stays a township


def test_a_zones_meeting_is_no_townships_congress():
    # 高新区党工委第24次委员(扩大)会议 opened on 高新区, which the table lists as a township: the page was read as a
    # township's own congress (admin_level township)
    text = "11月14日，高新区党工委第24次委员（扩大）会议召开，高新区党工委书记毕志伟主持会议并讲话。"
    assert E._kind_hint(None, None, "高新区党工委第24次委员(扩大)会议", text) != "镇"
    assert (
        E._kind_hint(None, None, "经济开发区建设工作会议", "今天，州委、州政府召开吉凤经济开发区建设工作会议。") != "镇"
    )


# ------------------------------------------------------------------ a development zone's own offices


@pytest.mark.parametrize(
    "office",
    [
        "高新区党工委书记",
        "区党工委书记",
        "市委常委、政法委书记，高新区党工委书记",
        "市委常委、金普新区党工委书记、管委会主任",
        "经济开发区党工委副书记、管委会主任",
    ],
)
def test_a_zones_office_is_of_county_level(office):
    assert E._kind_hint(office, None, None, "会议强调，要抓好招商引资和项目建设。") == E.ZONE_KIND
    assert E.LEVEL_OF_KIND_ALONE[E.ZONE_KIND] == "county"


@pytest.mark.parametrize(
    ("office", "kind"),
    [
        ("区委书记、高新区党工委书记", "区"),  # the district's secretary who also leads its zone
        ("县委常委、常务副县长、二坝集中示范园区管委会主任", "县"),
        ("街道党工委书记", "镇"),
    ],
)
def test_an_office_that_also_holds_a_divisions_is_that_divisions(office, kind):
    assert E._kind_hint(office, None, None, "会议强调，要抓好招商引资和项目建设。") == kind


def test_a_zones_page_is_placed_in_its_city_at_county_level():
    raw = (
        "11月14日，高新区党工委第24次委员（扩大）会议召开，市委常委、政法委书记，高新区党工委书记毕志伟主持会议并讲话，"
        "区党工委副书记、管委会主任孟霄以及区党工委、管委会领导班子成员参加会议。\n"
        "会议强调，要聚焦产业体系，强化科技创新和产业创新深度融合，为滨州高质量发展贡献高新力量。"
        "要压实企业安全生产主体责任，为滨州经济社会高质量发展提供安全保障。\n"
    )
    f = _page(raw)
    assert (f["region"], f["admin_level"]) == ("山东省滨州市", "county")
    assert f["speaker_title"].endswith("高新区党工委书记")


# ------------------------------------------------------------------ the organ a congress is named after


@pytest.mark.parametrize(
    ("meeting", "kind"),
    [
        ("共青团嵊泗县第十九次代表大会", "县"),
        ("中国共产主义青年团平和县第二十三次代表大会", "县"),
        ("政协襄垣县第九届委员会第一次会议", "县"),
        ("中国人民政治协商会议西华县第十届委员会第五次会议", "县"),
        ("共青团固镇县第十二次代表大会", "县"),  # 固镇县, not a township 固镇
    ],
)
def test_a_congress_named_after_its_organ_names_its_place(meeting, kind):
    # a guest from the city above (`团市委副书记`) must not make it a 市 page
    assert E._kind_hint("团市委副书记", None, meeting, "大会听取并审议了工作报告。") == kind


def test_a_youth_league_congress_with_a_guest_from_the_city_is_the_countys():
    raw = (
        "共青团嵊泗县第十九次代表大会开幕\n"
        "今天上午，中国共产主义青年团嵊泗县第十九次代表大会开幕。县领导杨松、何国忠，团市委副书记余凯出席大会。"
        "来自全县各条战线的118名共青团员代表参加会议。\n"
        "伴随着国歌与团歌的奏响，共青团嵊泗县第十九次代表大会隆重开幕。县委副书记杨松向出席会议的全体代表致以亲切的"
        "问候，并对我县共青团的工作予以充分肯定。\n"
    )
    f = _page(raw)
    assert (f["region"], f["admin_level"]) == ("浙江省舟山市嵊泗县", "county")


# ------------------------------------------------------------------ guests from elsewhere


@pytest.mark.parametrize(
    ("lead", "region"),
    [
        (
            "5月26日，齐河县委书记孟令兴带领齐河党政考察团来我县参观考察，庆云县委书记王晓东陪同。",
            "山东省德州市庆云县",
        ),
        (
            "3月2日，宁陵县委书记、县长李明率宁陵县党政代表团一行到我县考察学习，睢县县委书记王伟陪同。",
            "河南省商丘市睢县",
        ),
    ],
)
def test_a_visiting_delegations_home_is_not_the_pages_place(lead, region):
    home = region[-3:] if region.endswith("庆云县") else region[-2:]
    raw = (
        f"{lead}\n考察团先后参观了工业园区和现代农业示范基地，对{home}经济社会发展情况给予高度评价。"
        "考察团认为，我县大力弘扬务实担当的主旋律，在新起点上推动跨越发展。希望两地进一步加强沟通交流。\n"
    )
    assert _page(raw)["region"] == region


def test_a_pages_own_word_beats_a_visitors_higher_office():
    # the speaker read is a provincial survey group's member; the county's page calls itself 我县 throughout
    text = (
        "部分在赣全国人大代表、省人大代表专题调研组一行来到鄱阳。前来调研的有省委宣传部副部长、省文化厅厅长李玉英等20余人。"
        "调研组一行到达鄱阳后，便奔赴我县工业园区进行实地查看，代表们对我县的生态工业交口称赞。14日上午，我县召开汇报会。"
    )
    assert E._kind_hint("省委宣传部副部长、省文化厅厅长", None, None, text) == "县"
    assert E._kind_hint("市委常委、副市长", None, None, "市领导一行来到我区调研，对我区工作给予肯定。") == "区"


@pytest.mark.parametrize(
    ("office", "text", "kind"),
    [
        ("自治区主席", "我区经济持续发展，我区人民生活改善。", "省"),  # an autonomous region's own 我区
        ("市长", "我市经济持续发展，我县我县", "市"),  # the page says 我市 as well
        ("省委书记", "全省上下要团结一心。", "省"),
    ],
)
def test_an_office_of_the_pages_own_level_keeps_its_kind(office, text, kind):
    assert E._kind_hint(office, None, None, text) == kind


# ------------------------------------------------------------------ names inside other names


@pytest.mark.parametrize(
    "text",
    [
        "建设鄱阳湖生态经济区，保护好鄱阳湖一湖清水",  # a lake named after 鄱阳县
        "保护好广阳岛生态，建设长江风景眼",  # an island named like 广阳区
        "融入皖江城市带承接产业转移示范区建设",  # 江城 read across the region's name
        "洪泽湖渔业资源",
        "河口乡第十届人民代表大会第一次会议",  # a township named like 河口区
        "全镇干部群众在河口镇政府会议室集合",
    ],
)
def test_a_name_inside_a_lakes_an_islands_or_a_townships_is_no_place(text):
    assert [h.surface for h in R.find_places(text)] == []


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [("德清湖州两地合作", ["德清", "湖州"]), ("调研组来到鄱阳", ["鄱阳"]), ("江城区委", ["江城区"])],
)
def test_a_place_before_another_or_alone_stays(text, surfaces):
    assert [h.surface for h in R.find_places(text)] == surfaces


def test_a_townships_own_congress_naming_its_city_is_the_townships():
    raw = (
        "湖北宜昌墙体广告 11月2日，河口乡第十届人民代表大会第一次会议完成了大会的各项议程，顺利闭幕。全乡51名正式代表"
        "齐聚一堂，共绘河口乡发展规划。\n会上，代表们认真听取和审议了政府工作报告和人大主席团工作报告，依法选举产生了"
        "河口乡第十届人大主席、副主席和政府乡长、副乡长。\n大会肯定了河口乡过去五年经济社会发展的变化，与会代表纷纷"
        "表示要履行好代表职责，为河口乡经济发展更快作出贡献。\n"
    )
    f = _page(raw)
    assert (f["region"], f["admin_level"]) == ("湖北省宜昌市远安县河口乡", "township")


# ------------------------------------------------------------------ 和县 between organs; several townships of a county


@pytest.mark.parametrize(
    "text",
    ["对县人民法院和县人民检察院今年的工作充满信心", "各乡镇和县直各部门要抓好落实", "县委和县政府高度重视"],
)
def test_he_county_between_two_organs_is_and_county(text):
    assert [h.surface for h in R.find_places(text)] == []


@pytest.mark.parametrize("text", ["马鞍山市和县人民政府", "和县县委召开全会", "在和县调研"])
def test_he_countys_own_name_stays(text):
    assert "和县" in [h.surface for h in R.find_places(text)]


def test_several_townships_of_one_county_place_its_page():
    raw = (
        "为拓宽民意沟通渠道，使两院报告更加符合法院、检察院工作实际，2月6日至10日，我县法院院长陈有南、检察院检察长"
        "尚文理联袂到乡镇调研，认真听取了乡镇有关经济社会发展情况的介绍。\n"
        "下图为2月8日，我县法检两长到竹口镇、黄田镇调研征求两院工作报告意见。\n"
    )
    assert _page(raw)["region"] == "浙江省丽水市庆元县"


def test_townships_many_counties_share_place_nothing():
    assert R._towns_county(R.load_gazetteer(), {"城关镇": 1.0, "太平镇": 1.0}) is None


# ------------------------------------------------------------------ the people a speaker speaks for


def test_the_people_a_speaker_speaks_for_name_the_place():
    raw = (
        "尊敬的各位领导、各位嘉宾，女士们、先生们：\n"
        "今天，首届国际名湖大会在九江共青城市隆重开幕。在此，我代表500万九江人民，对本次大会的召开表示热烈的祝贺！\n"
        "2009年12月12日，国务院正式批复《鄱阳湖生态经济区规划》，江西省委、省政府高度重视，省委、省政府成立了领导小组，"
        "全省上下积极探索生态与经济双赢的发展模式。九江是鄱阳湖生态经济区的主体区域，省委、省政府寄予厚望。\n"
    )
    f = _page(raw)
    assert (f["region"], f["admin_level"]) == ("江西省九江市", "prefecture")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("我代表500万九江人民，表示热烈祝贺", "九江"),
        ("我谨代表全市各族人民", None),  # no place of its own: the counts decide
        ("我代表县人民政府向大会报告工作", None),  # a government's report (GOV_SELF_RE)
    ],
)
def test_people_self(text, place):
    assert E._people_self(text) == place


# ------------------------------------------------------------------ offices


@pytest.mark.parametrize(
    ("office", "kind"),
    [
        ("县人大常委会主任", "县"),
        ("县政协主席", "县"),
        ("市中级人民法院院长", "市"),
        ("县人民检察院检察长", "县"),
        ("省纪委书记", "省"),
        ("市纪委监委主任", "市"),
        ("县妇联主席", "县"),
        ("区总工会主席", "区"),
        ("镇人大主席", "镇"),
        ("乡人大主席", "镇"),
        ("州政协主席", "州"),
    ],
)
def test_offices_of_congresses_courts_commissions_and_mass_organisations_name_their_level(office, kind):
    assert E._kind_hint(office, None, None, "会议强调，要抓好落实。") == kind


def test_an_office_after_a_relative_clause_is_the_office():
    raw = (
        "新华社长沙11月20日电 刚刚在省委十一届一次全会上当选的省委书记张三20日主持召开省委常委会会议并讲话，强调要抓好"
        "落实。\n会议指出，要认真学习贯彻全会精神，奋力谱写新篇章。\n"
    )
    f = _page(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("张三", "省委书记")
    assert E._without_relative_clause("县委副书记、县长") == "县委副书记、县长"


def test_a_visiting_delegations_office_names_no_kind():
    text = "10月18日，全市农业农村工作观摩团来我县观摩。市政协副主席杨光祥参加观摩，县委常委朱卫东陪同观摩。"
    assert R.guest_visit(text)
    assert E._kind_hint("市政协副主席", None, None, text) is None
    assert E._kind_hint("市政协副主席", None, None, "市政协召开主席会议，研究部署全市政协工作。") == "市"


def test_a_papers_dateline_city_is_not_the_countys_news():
    raw = (
        "永州2月23日讯（记者 李明）23日，道县召开全县经济工作会议，县委书记何录春出席并讲话。\n"
        "何录春强调，全县上下要坚定信心，抓好项目建设，推动道县经济高质量发展。\n"
    )
    assert R.not_jurisdiction(raw) == {"永州": 1}
    assert _page(raw)["region"] == "湖南省永州市道县"

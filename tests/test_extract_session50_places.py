"""Session 50's fresh real pages (helper h7): places, levels and types of county, township and district pages —
news leads that open on an occasion or a festival day, name the meeting before its day or drop 日, a visit to the
page's own place; party-committee offices; county roots; townships; government sites named by initials. Every
test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ news leads


@pytest.mark.parametrize(
    "lead",
    [
        # the day named as an occasion, then its hour
        "11月8日是第25个中国记者节，当天上午，县委书记范耀江到县融媒体中心进行调研，并代表县委、县政府向全县新闻工作者"
        "致以节日祝福和诚挚问候。",
        "2022年11月8日是第23个中国记者节。上午，县委书记秦卫民到县融媒体中心看望慰问新闻工作者，向大家致以节日的祝福"
        "和诚挚的问候，勉励大家要深入学习宣传贯彻党的二十大精神。",
        # the occasion before the day
        "在第26个中国记者节来临之际，11月7日下午，诏安县委书记李亚容来到县融媒体中心，看望慰问新闻工作者。",
        # the meeting before its day, 日 dropped before the hour
        "在全县人民的热切期盼下，桃源县第十五届人民代表大会第二次会议3月4下午3:00在县剧院隆重开幕，300多名人大代表"
        "汇聚一堂，共商发展大计。",
        # the organ before its days
        "新北区春江镇于10月15、16日召开了第一次党代会，206名党代表出席了会议。",
        # a range of days, a quoted meeting name
        "2月1日-2日，新虹街道组织召开了“2012年新虹街道社区工作大会”。街道党政领导班子成员参加了会议。",
        # 号 for 日 after a TV script's label
        "【导语】19号上午，县政府召开征求意见会，就《2017年政府工作报告(征求意见稿)》征求人大代表、政协委员的意见。",
    ],
)
def test_a_county_news_lead_is_news(lead):
    raw = f"{lead}\n会议听取了工作报告，对下一步工作进行了安排部署。各单位要抓好落实，确保各项工作任务圆满完成。\n"
    assert _page(raw)["doc_type"] == "新闻报道"


def test_a_delegations_visit_to_the_pages_own_place_is_news():
    raw = (
        "10月18日，全市农业农村工作观摩团来我县观摩。副市长高斌参加观摩，副县长孙勇陪同观摩。\n"
        "观摩团来到与儿街镇大沙埂生态农业园、沙凡河河段治理工程等地，详细了解了我县农业农村工作开展情况。\n"
    )
    assert _page(raw)["doc_type"] == "新闻报道"


def test_a_lead_below_a_sites_link_bar_is_news():
    raw = (
        "更多》清流新闻\n更多》党员之家\n更多》文化之窗\n清流县领导看望慰问新闻工作者\n"
        "11月8日，第22个中国记者节，县委书记吴钟民，县委常委、宣传部部长章志都来到县融媒体中心，看望慰问新闻工作者，"
        "并向全体新闻工作者致以节日的问候与祝福。\n"
        "吴钟民指出，县融媒体中心要坚持正确政治方向和舆论导向，弘扬主旋律，紧紧围绕县委县政府中心工作。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("吴钟民", "县委书记")  # the first named, who ranks


def test_a_speech_naming_a_festival_day_stays_a_speech():
    raw = (
        "同志们：\n今天是第25个中国记者节，我们在这里召开座谈会，向全县新闻工作者致以节日的问候。\n"
        "一年来，全县新闻工作者围绕中心、服务大局，为全县经济社会发展营造了良好的舆论环境。\n"
    )
    assert _page(raw)["doc_type"] != "新闻报道"


def test_a_list_of_those_seated_is_nobodys_office():
    raw = (
        "在全县人民的热切期盼下，桃源县第十五届人民代表大会第二次会议3月4下午3:00在县剧院隆重开幕。\n"
        "大会执行主席:郑弟祥、龚德汉、周福初、吴丽兰以及全体在家的县级领导和主席团成员在主席台就坐。\n"
        "会议听取了工作报告，对下一步工作进行了安排部署。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道" and out["speaker_name"] != "团成员"


# ------------------------------------------------------------------ levels: party offices, a township's own congress


@pytest.mark.parametrize(
    ("office", "kind"),
    [
        ("县委书记", "县"),
        ("区委常委、政法委书记", "区"),
        ("市委常委、县委书记", "县"),  # a city's standing committee member who is a county's secretary
        ("省委常委、市委书记", "市"),
        ("旗委书记", "旗"),
        ("州委书记", "州"),
        ("自治区党委书记", "省"),
    ],
)
def test_a_party_committees_office_gives_its_kind(office, kind):
    # the text counts 全市 more than 全县: without the office the counts decided
    text = "全市项目建设大会聚焦产业兴市，对全市上下抓项目提出了要求。全市上下要全力以赴。\n"
    assert E._kind_hint(office, None, None, text) == kind


def test_a_county_secretarys_article_is_the_countys():
    raw = (
        "落实全市项目建设大会精神\n新乡县委书记 祝显成\n"
        "全市项目建设大会聚焦“产业兴市”“制造强市”发展战略，对全市上下全力以赴抓项目提出了明确要求、作出了重要部署。"
        "当前，新乡县正处于产业集群集聚、重振工业辉煌的关键时期，装备制造园区建设、市县一体协同发展、中原农谷建设等"
        "战略机遇叠加。全县上下将深入学习贯彻大会精神，铆足干劲、积极作为。\n"
    )
    out = _page(raw)
    assert (out["region"], out["admin_level"]) == ("河南省新乡市新乡县", "county")


@pytest.mark.parametrize(
    ("lead", "region"),
    [
        (
            "2月8日，文昌镇第十五届人民代表大会第一次会议在镇政府四楼会议室召开。区委常委、政法委书记孙国梁到会并讲话。",
            "安徽省宣城市宣州区文昌镇",
        ),
        (
            "昨天下午，中国共产党乌镇镇第十四次代表大会开幕，乌镇镇成为嘉兴首个镇党委换届单位。市委副书记、市政法委书记"
            "蒋惠玲出席会议。桐乡市委常委陶咏椿代表乌镇镇委员会向大会作报告。",
            "浙江省嘉兴市桐乡市乌镇镇",
        ),
    ],
)
def test_a_townships_own_congress_is_the_townships(lead, region):
    raw = (
        f"{lead}\n"
        "会议指出，全区上下要紧紧围绕区委、区政府提出的发展主题，进一步加强学习、解放思想、抢抓机遇。区委要求，镇人大要"
        "围绕中心，服务大局，为促进全市经济社会全面发展作出新贡献。\n"
    )
    out = _page(raw, url="https://www.xuanzhou.gov.cn/News/show/942129.html" if "文昌" in lead else None)
    assert (out["region"], out["admin_level"]) == (region, "township")


# ------------------------------------------------------------------ townships where no division is named


def test_a_street_office_named_again_and_again_is_its_own_page():
    raw = (
        "2月1日-2日，新虹街道组织召开了“2012年新虹街道社区工作大会”。街道党政领导班子成员、各科室负责人参加了会议。\n"
        "会上，朱建设主任代表党工委、街道办事处作了《新虹街道2011年工作总结及2012年工作思路》报告。朱主任指出，"
        "新虹街道2011年总体形势良好，各项工作都有序推进。\n"
    )
    out = _page(raw)
    assert (out["region"], out["admin_level"]) == ("上海市闵行区新虹街道", "township")


def test_a_countys_news_naming_its_town_is_the_countys():
    raw = (
        "10月18日，全市农业农村工作观摩团来我县观摩。市政协副主席杨光祥参加观摩，县委常委朱卫东陪同观摩。\n"
        "观摩团来到与儿街镇大沙埂生态农业园、龙井冲异地扶贫搬迁点等地，详细了解了我县农业农村工作开展情况。\n"
        "今年以来，我县认真贯彻落实中央和省、市农村工作会议精神，实现了农业经济的快速发展、农民收入的持续增加。\n"
    )
    out = _page(raw)
    assert (out["region"], out["admin_level"]) == ("安徽省六安市霍山县", "county")


def test_a_township_name_many_counties_share_names_none():
    raw = (
        "6月26日，白沙镇第一次党代会在镇政府四楼会议室隆重召开，本次大会共有111名党员参加。\n"
        "白沙镇党委书记孙建斌代表镇第一届党委作了报告。会议选举产生了出席县第十五次党代表大会代表。\n"
    )
    out = _page(raw)
    assert out["region"] is None and out["admin_level"] == "township"


@pytest.mark.parametrize(
    "sentence",
    [
        "特别是酒泉路街道近日在全省率先建立了一个以民警姓名命名的警务室，群众反映很好。",  # cited once in a county speech
        "接下来要多开展“首善街道”创建活动，以点带面推动全区工作。",  # a quoted honour
    ],
)
def test_a_township_a_county_speech_cites_places_nothing(sentence):
    raw = (
        "区长在互学互比汇报会上的讲话\n同志们：\n今天召开全区互学互比汇报会，刚才各单位作了汇报，讲得都很好。\n"
        f"{sentence}\n全区上下要进一步统一思想，抓好落实，确保完成全年目标任务。\n"
    )
    assert _page(raw)["region"] is None


# ------------------------------------------------------------------ a county's root after its full name


def test_a_countys_root_after_its_full_name_names_it():
    raw = (
        "我县召开全面融入长三角一体化发展座谈会\n"
        "7月22日下午，海盐县全面融入长三角一体化发展座谈会在县政协召开，县委书记陈玲芳与县政协主席会议成员齐聚一堂，"
        "围绕海盐全面融入长三角一体化发展畅所欲言、建言献策。\n"
        "县政协主席蔡志昌表示，融入长三角一体化发展，海盐要明确产业定位、实现错位发展，要打好交通区位牌，面向上海、"
        "杭州、宁波、苏州等，加强产业互动；要打好生态示范牌，将海盐打造成为长三角的旅游目的地和上海的“后花园”。\n"
    )
    out = _page(raw)
    assert (out["region"], out["admin_level"]) == ("浙江省嘉兴市海盐县", "county")


def test_a_root_without_its_full_name_is_no_mention():
    # 海盐 (sea salt) alone names no county: jieba's word, no alias
    raw = (
        "县长在全县盐业工作会议上的讲话\n同志们：\n全县海盐生产要提质增效，海盐加工企业要加快转型，海盐品牌要做大做强。\n"
        "全县上下要抓好落实，确保完成全年目标任务。\n"
    )
    assert _page(raw)["region"] is None


def test_a_generic_full_names_root_does_not_outscore_the_place():
    # `新城区` (西安's, 呼和浩特's) read once and `新城` (a new town) again and again: the place stays 陈仓
    raw = (
        "区长在全区城市建设工作会议上的讲话\n同志们：\n陈仓发展正处在关键时期，陈仓上下要抓住机遇。\n"
        "要加快新城区建设，新城建设要高起点规划，新城道路、新城管网、新城绿化要同步推进，新城功能要完善。\n"
        "陈仓区委、区政府将全力支持，全区上下要抓好落实。\n"
    )
    assert _page(raw)["region"] == "陕西省宝鸡市陈仓区"


# ------------------------------------------------------------------ a government site named by initials


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("http://www.gssn.gov.cn/dzdt/zwdt/202509/t20250916_1453414.html", "甘肃省张掖市肃南裕固族自治县"),
        ("https://www.ynmh.gov.cn/6.news.detail.dhtml?news_id=29349", "云南省西双版纳傣族自治州勐海县"),
    ],
)
def test_a_county_page_on_a_site_named_by_initials_is_the_countys(url, region):
    raw = (
        "9月9日，全县乡村振兴示范区创建现场推进会议召开。县委书记陆思东出席会议并讲话，县委副书记、县长钟向辉主持会议。\n"
        "陆思东指出，今年以来，全县上下紧紧围绕全省乡村振兴示范区创建目标，推动农业产业提质增效。\n"
    )
    out = _page(raw, url=url)
    assert (out["region"], out["admin_level"]) == (region, "county")


def test_a_provinces_page_on_a_site_named_by_initials_is_not_a_countys():
    # 甘肃's 景泰 (jt) and a department site's initials: only a county's page reads them
    assert R.site_place("www.gssn.gov.cn") is None and R.site_place("www.gssn.gov.cn", initials=True)
    raw = (
        "省长在全省交通运输工作会议上的讲话\n同志们：\n全省交通运输系统要深入贯彻落实省委、省政府决策部署。\n"
        "全省上下要抓好落实，确保完成全年目标任务。\n"
    )
    out = _page(raw, url="http://www.gssn.gov.cn/art/2024/1/5/art_1.html")
    assert out["region"] != "甘肃省张掖市肃南裕固族自治县"


# ------------------------------------------------------------------ regions and slogans named after a place


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("为中原更加出彩贡献力量", []),
        ("加快融入郑州都市圈建设", []),
        ("中原大地处处涌动着发展热潮", []),
        ("推进关中平原城市群建设", []),
        ("南昌都市圈建设提速", []),  # nor 昌都市 read inside it
        ("兰西城市群", []),  # nor 西城
        ("江西崛起势头强劲", ["江西"]),  # a province's own rise
        ("郑州市都市圈办公室", ["郑州市"]),  # a full name names its city
    ],
)
def test_a_region_or_slogan_named_after_a_place_is_no_place(text, kept):
    assert [h.surface for h in R.find_places(text)] == kept


def test_a_letter_for_the_central_plains_stays_its_citys():
    raw = (
        "致全市人民的一封信\n全市广大干部群众：\n"
        "新乡正处在加快发展的关键时期。让我们紧紧围绕“中原更加出彩”的目标，主动融入郑州都市圈，为中原更加出彩、"
        "郑州都市圈建设贡献新乡力量，谱写新时代中原更加出彩的新乡篇章。\n"
        "中共新乡市委 新乡市人民政府\n"
    )
    out = _page(raw)
    assert out["region"] == "河南省新乡市"


# ------------------------------------------------------------------ a street office head's office


@pytest.mark.parametrize(
    "title", ["某街道办事处主任在全街道安全生产工作会议上的讲话", "新虹街道办事处主任在社区工作会议上的讲话"]
)
def test_a_street_office_heads_office_keeps_its_organ(title):
    raw = (
        f"{title}\n同志们：\n今天召开全街道工作会议，主要任务是总结去年工作，部署今年任务。街道办事处要抓好落实，"
        "全街道上下要团结一心。\n"
    )
    out = _page(raw)
    assert (out["speaker_title"], out["admin_level"]) == ("街道办事处主任", "township")

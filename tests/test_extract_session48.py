"""Places and levels of session 48's fresh real pages (the search tool's stored pages, scored by hand): renamed
counties and leagues' short forms, a place's own organ in the opening, banners, prefecture words (地委, 盟委, 州委),
two-character counties read across a word, a delegation's head at a place's celebration. Names are invented."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ renamed divisions and leagues' short forms


def test_a_county_renamed_before_the_change_list_names_its_jurisdiction():
    out = _page(
        "2月28日，县委书记张学文主持召开县委十六届第43次常委会议。县委副书记、县长李明出席会议。\n"
        "会议审议了县政府党组《关于审定户县全面推行农村集体“三资”管理工作实施方案的请示》、县总工会党组"
        "《关于评选户县劳动模范的请示》，同时学习了干部选拔任用工作相关文件。\n"
        "张学文要求常委班子成员高度重视集体学习和个人学习，继续抓好各项经济工作的落实，"
        "努力推动全县经济社会各项事业健康快速发展。"
    )
    assert out["region"] == "陕西省西安市户县"
    assert out["region_code"] == "610118"  # 鄠邑区 since 2016
    assert out["admin_level"] == "county"
    assert "和县" not in (out["region_mentions"] or [])


@pytest.mark.parametrize(
    ("name", "code"),
    [("郫县", "510117"), ("唐海县", "130209"), ("伊克昭盟", "150600"), ("闸北区", "310106"), ("大庸市", "430800")],
)
def test_renamed_divisions_carry_their_successors_code(name, code):
    divs = R.lookup(name)
    assert [d.code for d in divs] == [code]
    assert divs[0].status == "renamed"


def test_a_leagues_short_form_with_its_own_bureau_names_the_league():
    out = _page(
        "为进一步增强“建设亮丽内蒙古，共圆伟大中国梦”的责任感使命感，按照自治区党委的要求，锡盟安监局组织全体干部"
        "员工认真学习内蒙古自治区成立70周年庆祝大会的讲话，全局干部员工倍感振奋。\n"
        "专题学习会上，局党组书记王建华同志强调，题词是内蒙古发展历程中具有里程碑意义的大事，对做好内蒙古工作"
        "提出了新期望新要求。\n会议要求全体干部员工不断谱写内蒙古经济发展、民族团结、生态文明、民生改善的新篇章。"
    )
    assert out["region"] == "内蒙古自治区锡林郭勒盟"
    assert out["admin_level"] == "prefecture"


def test_a_citys_own_organ_in_the_opening_beats_the_province_its_text_names_more():
    out = _page(
        "为深入贯彻省委全会精神，宿迁市委宣传部组织全体干部开展专题学习。\n"
        "会议指出，要牢记江苏发展大局，在江苏高质量发展中走在前列，为江苏现代化建设作出贡献。"
        "江苏的发展离不开每一位干部的努力，全体干部要立足岗位、真抓实干。"
    )
    assert out["region"] == "江苏省宿迁市"


def test_a_province_named_with_its_own_organ_keeps_its_page():
    out = _page(
        "为深入贯彻江苏省委全会精神，江苏省委宣传部组织全体干部开展专题学习，宿迁市委宣传部派员参加。\n"
        "会议指出，要牢记江苏发展大局，在江苏高质量发展中走在前列，为江苏现代化建设作出贡献。"
        "江苏的发展离不开每一位干部的努力，全体干部要立足岗位、真抓实干。"
    )
    assert out["region"] == "江苏省"


# ------------------------------------------------------------------ banners and prefectures


def test_a_banners_page_names_its_banner_not_a_county_in_a_persons_name():
    out = _page(
        "1月3日，旗委召开“两会”党员代表、党员委员会议。旗委书记赵国庆出席会议并讲话。旗领导孙立新、"
        "海乌兰托娅、周建军等出席。\n赵国庆指出，要切实把思想和行动统一到党中央决策部署和自治区党委、市委、"
        "旗委的工作要求上来。要围绕旗域经济总体思路，奋楫争先、矢志进位，续写乌拉特中旗现代化建设的崭新篇章。"
        "旗委分别成立了人大会议临时党组和政协会议临时党支部。"
    )
    assert out["region"] == "内蒙古自治区巴彦淖尔市乌拉特中旗"
    assert out["admin_level"] == "county"


@pytest.mark.parametrize(
    "raw",
    [
        "地委扩大会议讲话\n同志们：\n这次地委扩大会议是在我区实现良好开局的新形势下召开的一次十分重要的会议。"
        "会议的任务是，分析当前形势，总结今年工作，动员全区各级党组织和各族干部群众，努力开创地区改革开放和"
        "现代化建设新局面。地委要求全地区各级党组织认真贯彻落实。",
        "同志们：\n这次盟委全委会议的主要任务是，总结全盟上半年工作，安排部署下半年任务。盟委、行署高度重视，"
        "全盟上下要进一步统一思想，真抓实干，确保完成全年目标任务。各旗县市区要抓好落实。",
    ],
)
def test_a_prefectures_own_words_give_its_level_when_its_name_is_unknown(raw):
    out = _page(raw)
    assert out["region"] is None
    assert out["admin_level"] == "prefecture"


# ------------------------------------------------------------------ two-character counties across a word


@pytest.mark.parametrize(
    "text",
    [
        "创建国家级示范县，",
        "圆满完成县委交办的任务",
        "不断提高县域经济发展水平",
        "加强管理县级资金",
        "到达县城以后",
        "新任县委书记",
        "的请示》和县妇联",
    ],
)
def test_a_words_tail_and_county_is_no_two_character_county(text):
    assert R.find_places(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("山东单县", ["山东", "单县"]),
        ("湖北房县", ["湖北", "房县"]),
        ("安徽省和县人民政府", ["安徽省", "和县"]),
        ("在滑县调研", ["滑县"]),
        ("和县县委书记", ["和县"]),
    ],
)
def test_two_character_counties_after_a_place_or_a_non_word_stay(text, want):
    assert [h.surface for h in R.find_places(text)] == want


def test_a_word_tail_rule_keeps_a_slices_scan_equal_to_the_texts():
    text = "湖北房县。创建国家级示范县，山东单县到达县城" * 3
    for a in range(0, len(text), 3):
        for b in (len(text), len(text) - 5):
            got = [(h.start, h.surface) for h in R.find_places_in(text, a, b)]
            assert got == [(h.start, h.surface) for h in R.find_places(text[a:b])]


# ------------------------------------------------------------------ a delegation's head at a place's celebration


def test_a_central_delegations_head_at_a_places_celebration_leaves_it_the_places():
    out = _page(
        "巴音郭楞蒙古自治州成立70周年庆祝大会举行\n"
        "7月26日，八方宾客相聚“华夏第一州”，共同举行巴音郭楞蒙古自治州成立70周年庆祝大会。\n"
        "中央有关部门祝贺团团长、国家民委专职委员张文明，自治区祝贺团团长、自治区党委副书记李建国出席大会并讲话。\n"
        "张文明代表中央有关部门祝贺团对巴州各族人民表示祝贺。他说，70年来，巴州各族人民书写了共同团结奋斗、"
        "共同繁荣发展的恢宏篇章。巴音郭楞建州以来的发展成就雄辩地证明了民族区域自治制度的优越性。"
    )
    assert out["region"] == "新疆维吾尔自治区巴音郭楞蒙古自治州"
    assert out["admin_level"] == "prefecture"


# ------------------------------------------------------------------ a government site's own host


def test_a_city_named_only_by_its_government_sites_host():
    raw = (
        "3月20日，二届市委召开108次常委会会议，专题研究市人大、政府、政协、法院、检察院党组工作。州委副书记、"
        "市委书记王建明主持会议并讲话。市委常委，市人大常委会、市政府、市政协有关领导参加会议。\n会议指出\n"
        "市委常委会听取市人大、政府、政协、法院和检察院党组工作汇报，并研究部署今年工作重点，目的就是要进一步"
        "统一思想和行动，凝心聚力，按照既定的工作思路、工作安排推动全市各项工作再上新台阶。"
    )
    out = _page(raw, url="http://xianggelila.gov.cn/zwxx/yw/202003/20200323_74119.html")
    assert out["region"] == "云南省迪庆藏族自治州香格里拉市"
    assert _page(raw, url="http://www.example.com/a.html")["region"] is None


def test_a_site_host_shared_by_two_districts_of_one_name_is_told_by_the_text():
    raw = (
        "区委书记张国强在全区经济工作会议上的讲话\n同志们：\n今天召开全区经济工作会议，主要任务是贯彻落实临沂"
        "市委经济工作会议精神，总结今年工作，部署明年任务。全区上下要凝心聚力、真抓实干，区委、区政府将全力"
        "支持各街道和部门的工作，确保全区经济社会发展目标全面完成。"
    )
    out = _page(raw, url="http://www.hedong.gov.cn/info/9615/130777.htm")
    assert out["region"] == "山东省临沂市河东区"


@pytest.mark.parametrize(
    ("host", "want"),
    [
        ("xianggelila.gov.cn", "香格里拉市"),
        ("www.hanbin.gov.cn", "汉滨区"),
        ("linyi.gov.cn", None),  # 临沂市, 临邑县, 临猗县
        ("sc.gov.cn", None),
        ("www.gov.cn", None),
        ("xianggelila.gov.cn.example.com", None),
    ],
)
def test_site_hosts_name_one_place_or_none(host, want):
    assert R.site_place(host) == want


def test_the_site_names_file_is_the_gazetteers_pinyin():
    pytest.importorskip("pypinyin")
    want = R.site_names_tsv(R.build_site_names())
    assert (R.DATA_DIR / "site_names.tsv").read_text("utf-8") == want  # `python -m tasks.extract_regions site-names`


# ------------------------------------------------------------------ a county's short name ending an idiom


@pytest.mark.parametrize(
    "text",
    [
        "全县上下要同心同德，团结奋斗。",  # 同德县 (青海)
        "对各类市场主体一视同仁。",  # 同仁市 (青海)
        "经济运行否极泰来，发展基础稳如泰山。",  # 泰来县 (黑龙江), 泰山区 (泰安)
    ],
)
def test_a_counties_short_name_ending_an_idiom_is_no_place(text):
    assert R.find_places(text) == []
    page = "在全县经济工作会议上的讲话\n" + ("县长在全县大会上讲话，要求各部门狠抓落实。" + text + "\n") * 8
    assert R.find_places(page) == []
    assert _page(page)["region"] is None


def test_the_county_itself_is_still_read_beside_the_idiom_and_a_slice_reads_as_the_text():
    text = "同德县委书记在同德调研，要求同德各族干部群众同心同德。" * 2
    assert [h.surface for h in R.find_places(text)] == ["同德县", "同德", "同德"] * 2
    out = _page("同德县委书记在同德调研，要求同德各族干部群众同心同德，推动全县高质量发展。" * 3)
    assert out["region"] == "青海省海南藏族自治州同德县"
    for a in range(0, len(text), 2):
        for b in (len(text), len(text) - 3):
            got = [(h.start, h.surface) for h in R.find_places_in(text, a, b)]
            assert got == [(h.start, h.surface) for h in R.find_places(text[a:b])]

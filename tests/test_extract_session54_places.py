"""Session 54's fresh real pages (helper h8): places and levels of Taiwanese county and city pages, a county page whose
officer also holds a city's office, and an autonomous county named by its short form. Every test failed on the code
before its commit."""

from __future__ import annotations

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ Taiwanese counties and cities


# pchome's copy of a 台南 news item (session 54's fresh pages): `針對台南市政府…` holds 对台, read as the mainland's
# words on Taiwan, and the city its title names was dropped.
TAINAN = (
    "台南市長賴清德施政報告\n"
    "【記者林孟勳/南市報導】台南市議會第二屆第五次定期大會昨天開議,台南市長賴清德率領台南市政府一級主管向台南市議會與"
    "全體台南市民提出施政總報告。\n"
    " 針對台南市政府近半年來的施政成果,台南市長賴清德分為八項說明。分別為一、中央地方通力合作,城市建設大步向前。\n"
)


def test_a_marker_read_across_words_is_no_mainland_page():
    assert not any(R._mainland_on_taiwan(t) for t in ("针对台南市政府", "面对台风", "平台办理"))
    assert all(R._mainland_on_taiwan(t) for t in ("做好对台工作", "反对台独", "国台办", "台胞台企"))
    assert (_page(TAINAN)["region"], _page(TAINAN)["admin_level"]) == ("台湾省台南市", "prefecture")


# ntdtv's item on 嘉義縣's head (session 54's fresh pages): untitled by a place, its opening names the county by its
# head's office only (`嘉義縣長翁章梁`), which Taiwan's press writes for the county's own.
CHIAYI = (
    "就職滿3周年演說 翁章梁:農工大縣已在實現\n"
    "【新唐人亞太台 2021 年 12 月 28 日訊】嘉義縣長翁章梁上任滿3周年,今天(28日)在創新學院舉辦年終演說會,他以「農工大縣、"
    "正在實現」為主題,說明這3年來各項施政目標的進展,帶領嘉義縣逐步實現「農工大縣」目標。\n"
    "翁章梁表示,農業是嘉義縣的根,也是世界關注的產業。\n"
)


def test_a_taiwanese_county_named_by_its_heads_office_in_the_opening_is_the_pages_own():
    got = _page(CHIAYI)
    assert (got["region"], got["admin_level"]) == ("台湾省嘉义县", "county")


def test_a_county_head_named_further_down_is_still_a_passing_mention():
    text = "台湾同胞踊跃参加两岸交流活动。" * 10 + "据报道，嘉义县长翁章梁当天也出席活动。"
    assert (E.extract_fields(text)["region"] or "") != "台湾省嘉义县"


# beinan.gov.tw, a township's site (session 54's fresh pages): the .gov.tw site made the page 台湾省's, over the county
# its title names.
BEINAN = (
    "臺東縣第19屆卑南鄉長宣誓暨交接及第22屆村長就職典禮\n"
    "臺東縣第19屆卑南鄉長宣誓暨交接及第22屆村長就職典禮,於本月25日上午9點假卑南鄉公所3樓大禮堂舉行,臺東縣政府派任財經"
    "發展處副處長葉正鶴及臺東縣稅務局副局長廖俊智為主持人及監誓人,邀請地方人士觀禮參與。\n"
)


def test_a_county_the_title_names_stays_within_the_sars_own_site():
    got = _page(BEINAN, url="https://beinan.gov.tw/news/1")
    # session 57: the township whose 乡长 and 公所 the page names, under that county (no longer the county alone)
    assert (got["region"], got["admin_level"]) == ("台湾省台东县卑南乡", "township")


def test_a_datelines_city_is_no_sar_pages_own():
    assert not E._titled_within("台湾省台北市", "台湾省", "2020年01月01日于台北市")
    assert E._titled_within("台湾省台东县", "台湾省", "台东县第19届卑南乡长宣誓")
    assert not E._titled_within("台湾省", "台湾省", "台湾省政府")


# ------------------------------------------------------------------ a county's officer holding a city's office


# hengdong.gov.cn's oath news (session 54's fresh pages): the county's secretary is also a vice mayor of 衡阳市; his
# office read first (副市长) made the page a 市 kind and it went to the city.
HENGDONG = (
    "【两会进行时】蒋崇华当选县长 向宪法宣誓就职\n"
    "来源:衡东县融媒体中心      发布时间:2022-03-24\n"
    "3月24日上午,武家山政府会务中心,在雄壮的国歌声之后,新当选的衡东县人民政府县长蒋崇华向宪法庄重宣誓。衡阳市人民政府副"
    "市长、衡东县委书记陈礼洋、县人大常委会主任任中元、县政协主席段忠贤等本次大会执行主席站立监誓。县委副书记伍松主持宣誓"
    "仪式。\n"
    "铿锵有力的宣誓,是一份沉甸甸的责任,也是面向全县人民许下的一份庄严承诺。\n"
)


def test_a_citys_office_held_with_a_countys_committee_is_the_countys():
    assert E._kind_hint("副市长、衡东县委书记", None, None, "") == "县"
    assert E._kind_hint("市委常委、副市长", None, None, "") == "市"
    got = _page(HENGDONG)
    assert (got["region"], got["admin_level"]) == ("湖南省衡阳市衡东县", "county")


# ------------------------------------------------------------------ an autonomous county's short form


# ppdoc's excerpt of a 围场 secretary's article (session 54's fresh pages): the county named once in full, then `围场人`;
# `任县委书记` (to serve as the county's secretary) was read as 任县.
WEICHANG = (
    "论文部分内容阅读\n"
    "围场满族蒙古族自治县位于我省最北部的坝上山区,曾是国家级贫困县,有37个乡镇、312个村、50万人口。这里山川秀美,民风淳朴。"
    "我是一个土生土长的围场人,对家乡有着深厚的感情。在自己家乡这样一个面积大、人口多的农业大县、工业小县、财政弱县任县委书记,"
    "深感压力大、责任重。作为一把手,能否尽快带领全县人民脱贫致富,取决于对全县总体情况的把握程度。\n"
)


def test_an_autonomous_countys_short_form_is_its_root():
    assert [R._county_root(n) for n in ("围场满族蒙古族自治县", "莫力达瓦达斡尔族自治旗", "海盐县")] == [
        "围场",
        "莫力达瓦",
        "海盐",
    ]
    got = _page(WEICHANG)
    assert (got["region"], got["admin_level"]) == ("河北省承德市围场满族蒙古族自治县", "county")


def test_serving_as_a_countys_secretary_names_no_county():
    assert [h.surface for h in R.find_places("财政弱县任县委书记，深感压力大")] == []
    assert [h.surface for h in R.find_places("河北任县县委书记")] == ["河北", "任县"]


# ------------------------------------------------------------------ a central organ's own news


# srtc.org.cn's copy of a ministry's news (session 54's fresh pages): the ministry acts in the headline, its body
# names no place and no office the level tables know (`部党组书记、部长苗圩同志`): no region, no level.
MIIT = (
    "当前位置:首页--媒体报道\n"
    "工业和信息化部召开干部大会传达学习全国“两会”精神\n"
    "    2020年5月29日,工业和信息化部召开干部大会,工业和信息化部党组书记、部长苗圩同志传达全国“两会”精神,并代表部党组"
    "提出贯彻落实具体要求。\n"
    "    苗圩同志重点传达了习近平总书记“两会”期间四次下团组的重要讲话精神,从八个方面传达政府工作报告主要精神。部机关各"
    "司局、各单位要组织干部职工,紧密联系工作实际,深刻学习领会“两会”精神。\n"
)


def test_a_central_organs_own_news_is_national():
    got = _page(MIIT)
    assert (got["region"], got["admin_level"]) == ("全国", "national")
    assert E.NATIONAL_ORGAN_ACTS_TITLE_RE.match("商务部党组召开理论学习中心组学习会")
    assert not E.NATIONAL_ORGAN_ACTS_TITLE_RE.match("工业和信息化部部长苗圩到广东调研")


# ------------------------------------------------------------------ a Taiwanese township sharing a mainland name


# penghudaily's post on 白沙鄉's new head (session 54's fresh pages): the table has no Taiwanese townships, and the
# one mainland 白沙乡 (贵州 普安县) was taken for it by its name alone, on a page that names 澎湖 throughout.
BAISHA = (
    "澎湖日報提供澎湖每日在地新聞、時事專欄評論、縣政新聞、專題報導、旅遊動態報導、夾報、印刷服務等!\n"
    "白沙鄉長宣誓就職\n"
    "強調所會和諧 宋萬富:做懂得溝通鄉長\n"
    "【記者鄭家瑜報導】白沙鄉公所昨25日下午2時舉辦「鄉長宣示就職交接暨村長就任典禮」,卸任鄉長莊美李未出席,由公所代表將"
    "印信交接給新鄉長宋萬富,宋則強調任內會將達成所會和諧。\n"
    "鄉長宋萬富致詞時,表示將會秉持著這份初衷致力推動鄉政,促進和諧團結的白沙鄉,任內絕不辜負鄉親的期盼,全力為白沙鄉打拼。\n"
)


def test_a_township_named_alone_on_a_taiwanese_page_is_no_mainland_one():
    got = _page(BAISHA)
    assert got["region"] is None and got["admin_level"] == "township"
    mainland = "海宴镇党委书记在全镇干部大会上的讲话\n同志们：今天我们召开全镇干部大会，海宴镇要加快发展，全镇上下要团结一心。\n"
    assert E.extract_fields(mainland)["region"] == "广东省江门市台山市海宴镇"

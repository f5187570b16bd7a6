"""Places that are no jurisdiction (session 46): organisations and people named after a place, datelines, national
news, the governments of Hong Kong, Macau and Taiwan, townships. Short texts adapted from real pages."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.extract_regions import find_places


def surfaces(text: str) -> list[str]:
    return [h.surface for h in find_places(text)]


def test_an_organisation_named_after_a_place_is_no_place():
    assert surfaces("会议传达学习了习近平总书记在上海合作组织成员国元首理事会上的重要讲话精神") == []
    assert surfaces("北京大学校长在开学典礼上的讲话") == []
    assert surfaces("深圳证券交易所理事长致辞") == []
    assert surfaces("弘扬“务实、担当、包容”的桥东精神") == ["桥东"]  # the district's own motto is its evidence
    assert surfaces("上海市精神文明建设委员会") == ["上海市"]  # the city's own office
    assert surfaces("来源：福建日报") == ["福建"]  # a paper named after its place is the page's evidence
    # a place's university town, students and science park are its own (the shared corpus's reports)
    assert surfaces("推进蚌埠大学园区、桂林大学聚集区建设") == ["蚌埠", "桂林"]
    assert surfaces("建设湘潭大学城，建成福建省大学生创新创业园，推进湖南省大学科技产业园") == [
        "湘潭",
        "福建省",
        "湖南省",
    ]


def test_a_place_inside_a_persons_given_name_is_no_place():
    text = "县委副书记、县长雷兴平，县委常委张史奇出席。雷兴平汇报了我县工作。"
    assert surfaces(text) == []
    assert surfaces("县委书记牛青山同志讲话") == []
    assert surfaces("他到兴平市调研") == ["兴平市"]
    assert surfaces("组长江苏省") == ["江苏省"]  # 江 after an office is a surname only when a place follows it
    assert surfaces("学习蒋筑英同志和陕西骊山微电子公司") == ["陕西"]  # 和 after 同志 is a conjunction


def test_a_county_news_item_is_not_filed_under_the_place_of_an_organisation_or_a_name():
    text = (
        "邹城市召开市政府常务会议\n"
        "10月10日，市委副书记、市长王建文主持召开市政府常务会议。会议传达学习了习近平总书记在上海合作组织"
        "成员国元首理事会第二十二次会议上的重要讲话精神。要全面总结10年来我市发展成果，讲好邹城故事，传播邹城声音。"
    )
    assert extract_fields(text)["region"] == "山东省济宁市邹城市"
    text = (
        "9月21日，市委常委、副市长孙矿玲来我县调研。县委副书记、县长雷兴平陪同。\n"
        "在随后召开的座谈会上，雷兴平汇报了我县经济社会发展情况。全县上下，县委、县政府要进一步统一思想。"
    )
    assert extract_fields(text)["region"] != "陕西省咸阳市兴平市"


def test_a_dateline_or_a_national_venue_names_no_jurisdiction():
    from tasks.extract_regions import not_jurisdiction, resolve_region

    assert not_jurisdiction("新华社北京3月14日电（记者李斌）") == {"北京": 1}
    assert not_jurisdiction("中新社北京三月十六日电 题：大地开化时") == {"北京": 1}
    assert not_jurisdiction("（中央社记者王扬宇台北26日电）") == {"台北": 1}
    assert not_jurisdiction("中华民国111年（2022年）1月30日于台北市\n发布机关") == {"台北市": 1}
    assert not_jurisdiction("新华社南京电 会议在北京人民大会堂举行") == {"南京": 1, "北京": 1}
    assert not_jurisdiction("（2023年1月5日在福州市第十六届人民代表大会第三次会议上）") == {}  # the meeting's own place
    body = "新华社北京3月14日电 十四日上午，北京人民大会堂。广州代表团的代表们说，要把工作做好。"
    assert resolve_region("", "", body, None).region == "广东省广州市"


def test_national_news_leading_with_a_national_leader_or_session_is_national():
    text = (
        "温家宝总理中外记者会侧记\n"
        "新华社北京3月14日电 3月14日，国务院总理温家宝在北京人民大会堂与中外记者见面，并回答记者提问。"
        "又一场纷纷扬扬的春雪，将三月的北京装扮得银装素裹。"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("全国", "national")
    text = "十届全国人大一次会议昨日闭幕\n本报综合消息 十届全国人大一次会议昨天上午在人民大会堂举行闭幕会。北京的春天。"
    assert extract_fields(text)["admin_level"] == "national"
    text = "中国共产党第二十次全国代表大会在京闭幕\n大会选举产生新一届中央委员会。北京的秋天。"
    assert extract_fields(text)["admin_level"] == "national"
    text = (
        "上海合作组织峰会昨天在天津登场。中国国家主席习近平昨晚举行宴会欢迎国际代表。\n"
        "峰会于8月31日至9月1日在天津举行。中共天津市委书记陈敏尔等出席活动。"
    )
    assert extract_fields(text)["admin_level"] == "national"
    # a city's news that studies the leader's speech names its own office first
    text = (
        "10月10日，市委副书记、市长王建文主持召开市政府常务会议，传达学习国家主席习近平在上海合作组织峰会上的讲话。"
        "要讲好邹城故事。"
    )
    assert extract_fields(text)["region"] == "山东省济宁市邹城市"


def test_hong_kong_macau_and_taiwan_governments_own_pages():
    text = "政务司司长出席家庭慈善步行日致辞全文\n今日的活动非常特别，配合我们特区成立二十周年。多谢各位。\n"
    out = extract_fields(text, url="https://www.info.gov.hk/gia/general/201711/12/P2017111200446.htm")
    assert (out["region"], out["admin_level"]) == ("香港特别行政区", "province")
    text = (
        "新华社澳门9月29日电 澳门特区政府29日举行国庆酒会。\n澳门特区行政长官崔世安在致辞时说，20年来，澳门跟随国家"
        "发展的步伐。近十年来，澳门特区政府与社会各界携手同心，主动把握粤港澳大湾区建设等重大机遇。\n"
    )
    assert extract_fields(text)["region"] == "澳门特别行政区"
    text = (  # the pipeline reads a page's text simplified (normalize's OpenCC step)
        "中华民国一○九年元旦总统祝词\n2020年01月01日于台北市\n发布机关:中华民国总统 蔡英文\n"
        "各位亲爱的国人同胞，大家早安，新年快乐。这一、两年来，台湾面对国际经贸上的巨大变局。\n"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("台湾省", "province")
    text = (
        "立法院新会期今天开议，新任行政院长苏贞昌首度到立法院进行施政报告。从社会经济治安谈到两岸关系，"
        "苏贞昌更要正告北京当局，两岸应该平等交流。台湾要拚经济。\n"
    )
    assert extract_fields(text)["region"] == "台湾省"


def test_a_mainland_office_meeting_their_governments_keeps_its_own_place():
    from tasks.extract import _own_sar

    text = "广东省省长王伟中会见香港特区行政长官李家超一行。\n全省上下，省委、省政府要深化粤港合作。香港。\n"
    assert _own_sar(None, "", text) is None
    text = "国台办发言人表示，民进党当局和行政院长的言论，无法改变台湾是中国一部分的事实。\n"
    assert _own_sar(None, "", text) is None
    text = "行政长官李家超今日出席国庆酒会致辞。今年是香港回归祖国二十五周年。\n"
    assert _own_sar(None, "", text) == "香港特别行政区"


def test_a_townships_own_document_is_the_townships():
    text = (
        "海宴镇委书记在全镇工作会议上的讲话\n同志们：今天召开全镇工作会议。镇委、镇政府研究决定，全镇上下要真抓实干。\n"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("广东省江门市台山市海宴镇", "township")
    assert out["region_code"] == "440781"  # its county's: the jurisdiction columns name province, city and county
    text = (
        "3月10日，童市镇隆重召开2016年度党委工作会。会上，党委书记段曙光发表重要讲话，全镇上下要学深学细学透"
        "会议精神。全镇上下2016年要坚定不移抓党建。\n"
    )
    assert extract_fields(text)["region"] == "湖南省岳阳市平江县童市镇"
    # 文昌镇 is a township of five counties: none of them named, no township region (the level is a township's all the
    # same: its 全镇 counts say so, m9)
    text = "文昌镇第十五届人民代表大会第一次会议召开。全镇经济社会发展战略目标。全镇上下。\n"
    out = extract_fields(text)
    assert (out["region"], out["region_code"], out["admin_level"]) == (None, None, "township")


def test_a_place_a_national_leader_visited_is_no_jurisdiction():
    from tasks.extract_regions import not_jurisdiction

    # the place after the verb, or between 在 and the verb; an instruction about an event there
    assert not_jurisdiction("深入学习贯彻习近平总书记考察河北承德重要讲话精神") == {"河北": 1, "承德": 1}
    assert not_jurisdiction("学习习近平总书记在陕西榆林考察时的重要讲话精神") == {"陕西": 1, "榆林": 1}
    assert not_jurisdiction("李克强总理考察广西时的重要讲话") == {"广西": 1}
    assert not_jurisdiction("习近平总书记对四川省西昌市森林火灾作出的重要指示") == {"四川省": 1, "西昌市": 1}
    # one mention of the leader heads a list of his speeches joined by 、 (淮安's page)
    text = "会议传达学习习近平总书记在专题研讨班开班式上的重要讲话精神、在湖北考察时的重要讲话精神"
    assert not_jurisdiction(text) == {"湖北": 1}
    # the page's own province in an instruction about its work, and a local leader's own visit, stay
    assert not_jurisdiction("习近平总书记对江苏工作作出的重要指示") == {}
    assert not_jurisdiction("县委书记到平江县调研。") == {}
    assert not_jurisdiction("学习习近平总书记重要讲话。县委书记到平江县调研") == {}


def test_a_page_studying_a_leaders_visit_elsewhere_is_not_filed_there():
    text = (
        "市委常委会召开会议 学习贯彻习近平总书记重要讲话精神\n"
        "7日上午，济南市委常委会召开会议，传达学习习近平总书记在浙江考察时的重要讲话精神，研究贯彻落实意见。"
    )
    assert extract_fields(text)["region"] == "山东省济南市"
    text = (
        "11月27日上午，市人大常委会党组中心组集中学习会召开。\n会议传达学习习近平总书记在省部级主要领导干部"
        "专题研讨班开班式上的重要讲话精神、在湖北考察时的重要讲话精神，中央和省委意识形态领域形势通报主要精神。"
    )
    assert extract_fields(text)["region"] is None  # was 湖北省


def test_a_place_inside_a_name_of_a_list_of_people_is_no_place():
    assert surfaces("县领导尤典真、王永春参加慰问。") == []
    assert surfaces("在主席台就座的主席团成员有：黄政红、杜永春、鲁永明。") == []
    assert surfaces("张登亮杨铭书马文龙李灿光杜永春等出席") == []
    assert surfaces("王永春同志讲话") == []
    # places listed are items of their own (`福州、泉州`), not a surname's tail
    assert surfaces("推进永春、安溪、南安等地协同发展") == ["永春", "安溪", "南安"]
    assert surfaces("赴福州、泉州、厦门考察") == ["福州", "泉州", "厦门"]
    text = (
        "11月8日下午，县委书记郑俊华来到县政协委员驻地，看望慰问出席县政协十一届一次会议的县政协委员。\n"
        "县领导梁薇、石峰、王永春等参加慰问。"
    )
    assert extract_fields(text)["region"] is None  # was 福建省泉州市永春县


def test_a_mainland_page_about_taiwan_is_not_filed_under_taiwan():
    text = (
        "台湾同胞共话两岸融合发展\n7月10日，海峡青年交流营开营，来自台湾的50名青年参加。"
        "台湾青年代表说，希望更多台北、高雄的朋友来大陆看看。"
    )
    assert extract_fields(text)["region"] is None  # was 台湾省 (its title)
    # the central offices for Taiwan, Hong Kong and Macau speak for the country
    text = (
        "国台办：将坚持不懈地做有利于两岸融合发展的事\n10月26日，国务院台湾事务办公室举行例行新闻发布会。"
        "发言人马晓光表示，我们将积极支持福建探索海峡两岸融合发展新路，增进台湾同胞福祉。"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("全国", "national")
    text = (
        "中共中央台办、国务院台办主任宋涛致辞（中评社 林艳摄） 中评社天津10月30日电（记者 林艳）第十六届津台投资"
        "合作洽谈会29日在天津开幕。本届津台会在天津举办。宋涛表示，我们始终秉持两岸一家亲的理念。天津。"
    )
    assert extract_fields(text)["admin_level"] == "national"  # was 天津市
    # a city's own 台办 is the city's
    text = (
        "市台办召开台胞座谈会\n漳州市台胞代表30余人参加。市台办主任说，我市将为台胞台企提供更好服务，全市上下要落实。"
    )
    assert extract_fields(text)["region"] == "福建省漳州市"


def test_a_banners_own_words_and_a_place_before_its_own_congress():
    # 旗委, 旗人民政府, 我旗 are a county's own words; the banner named before its congress is named outright
    text = (
        "1月5日上午9时，土默特左旗第十八届人民代表大会第三次会议在雄壮的国歌声中隆重开幕。\n"
        "大会首先听取了旗长赵利民代表旗人民政府所作的工作报告。赵利民说，2023年是土左旗奋勇争先的一年。"
        "在市委、市政府和旗委的坚强领导下，全旗高质量发展迈出坚实步伐。我旗经济运行持续稳中向好。"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("内蒙古自治区呼和浩特市土默特左旗", "county")  # was none
    text = (
        "开幕会会场\n2017年12月6日上午，政协乌拉特中旗第十四届委员会第一次会议隆重开幕。来自全旗各族各界的委员齐聚一堂。\n"
        "旗委书记徐茂龙，旗委副书记、政府旗长闫永春出席会议。徐茂龙指出，旗政协紧紧围绕全旗中心工作履职。"
    )
    assert extract_fields(text)["region"] == "内蒙古自治区巴彦淖尔市乌拉特中旗"  # was none


def test_a_township_shared_by_counties_is_placed_by_the_pages_publisher():
    from tasks.normalize import normalize_text

    raw = (
        "沙沟镇2021年政府工作报告\n"
        "索 引 号: | yishuisgz2761108/2021-0000066 | 主 题 词: | 政务公开 | 公开方式: | 主动公开 |\n"
        "文 号: | 发布机构: | 沂水县沙沟镇 | 发布日期: | 2021-02-27 | |\n"
        "政 府 工 作 报 告\n——2021年2月27日在沙沟镇第十六届人民代表大会第六次会议上\n沙沟镇镇长 刘彦成\n各位代表：\n"
        "现在，我代表镇政府向大会报告工作，请予审议。全镇上下认真贯彻落实中央决策部署和省、市、县委工作要求，"
        "深入落实全县“重点工作攻坚年”活动要求，全镇顺利实现“零感染”。\n"
    )
    n = normalize_text(raw)
    out = extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)
    # four counties have a 沙沟镇: the publisher names this one's (was none)
    assert (out["region"], out["admin_level"]) == ("山东省临沂市沂水县沙沟镇", "township")


def test_a_provinces_page_naming_only_its_capital_and_a_name_before_its_verb():
    assert surfaces("省委书记王宁主持会议并讲话。王宁强调，要开好会议。") == []  # 宁强 is no place here
    assert surfaces("到宁强调研。宁强县的发展") == ["宁强", "宁强县"]
    text = (
        "1月9日，省委在昆明召开出席省十四届人大一次会议、省政协十三届一次会议的中共党员会议。\n"
        "省委书记王宁主持会议并讲话。省委副书记、省长王予波出席。\n王宁指出，这次省两会将研究确定今后五年全省经济"
        "社会发展的目标和任务，选举产生新一届省人大常委会、省政府、省政协领导班子。\n王宁强调，党员代表要带头履职。"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("云南省", "province")  # was none


def test_a_local_outlets_item_about_a_national_leader_stays_local():
    text = (
        "国家主席习近平给景宁畲族自治县各族干部群众回信 在我县引起强烈反响\n本报讯 6月26日，国家主席习近平给景宁"
        "畲族自治县各族干部群众的回信在我县各族干部群众中引起强烈反响。大家表示，要谱写畲乡景宁发展新篇章。"
    )
    assert extract_fields(text)["region"] == "浙江省丽水市景宁畲族自治县"  # was 全国
    text = "国家主席习近平主持召开会议\n新华社北京6月26日电 国家主席习近平主持召开会议，研究部署工作。北京。"
    assert extract_fields(text)["admin_level"] == "national"


def test_districts_named_like_zones_and_a_districts_congress_under_its_city():
    assert surfaces("长春市绿园区、商丘市梁园区、张家口市下花园区、西安市新城区") == [
        "长春市",
        "绿园区",
        "商丘市",
        "梁园区",
        "张家口市",
        "下花园区",
        "西安市",
        "新城区",
    ]
    assert surfaces("建设产业新城") == []  # 新城 (新城区's short name) is a common word
    text = (
        "长春市绿园区第十九届人民代表大会第四次会议开幕\n12月18日上午，长春市绿园区第十九届人民代表大会第四次会议开幕。"
        "该区区长作政府工作报告。区政府在区委坚强领导下，较好完成全年目标任务。"
    )
    out = extract_fields(text)
    assert (out["region"], out["admin_level"]) == ("吉林省长春市绿园区", "county")  # was 吉林省长春市


def test_a_provinces_page_is_not_filed_under_a_county_short_name_read_inside_a_word():
    """The province fallback (a province's page naming only its own cities) needs a city: `切合山东实际` reads 合山, the
    short name of 广西's county-level 合山市, and a Shandong page with no other place became 广西壮族自治区."""
    text = (
        "省长在全省发展改革工作会议上的讲话\n同志们：这次全省发展改革工作会议，主要是贯彻全国发展改革工作会议精神。"
        "省委书记、省长在全委会上的重要讲话，完全符合中央经济工作会议精神，切合山东实际情况，要认真抓好落实。\n"
    )
    assert extract_fields(text)["region"] != "广西壮族自治区"

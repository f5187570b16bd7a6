"""Session 51's fresh real pages (helper h5): news items of a leader's meeting, visit or remarks — mainland city,
county and CPPCC items, HK/Macau releases and papers, Taiwanese papers. Their type, speaker, office and dates. Every
test failed on the code before its commit."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY_SC = "会议强调，要把思想和行动统一到党中央的决策部署上来，切实增强抓落实的责任感、紧迫感和主动性，确保各项任务落地见效。\n"
BODY_TC = (
    "他又提到，面對外部環境的不確定性，社會各界要團結一致，共同把握新的發展機遇，推動產業轉型升級，照顧好每一個家庭。\n"
)


# ------------------------------------------------------------------ news marks and leads


def test_a_papers_mark_naming_where_it_filed_from():
    # `本报洛阳讯`: the paper's mark with its place; the mayor's words are what the item reports, not the vice
    # governor who announced the opening
    raw = (
        "本报洛阳讯4月10日，为期一个月的河南省第24届洛阳牡丹花会在洛阳市中国国花园正式开幕。\n"
        "上午9点30分，省委常委、常务副省长李克宣布，一年一度的洛阳牡丹花会拉开帷幕。济南军区副政委陈章元等出席了开幕式。\n"
        "洛阳市委副书记、市长连维良说，本届牡丹花会，将以牡丹文化为主线，努力办成近年来最好、最成功、最隆重的一届牡丹花会。\n"
    )
    out = _page(raw, url="https://news.sohu.com/20060411/n242741385.shtml")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("连维良", "市委副书记、市长")
    assert out["delivered_on"] == dt.date(2006, 4, 10)


def test_reporters_in_brackets_before_the_leads_day():
    raw = (
        "四川省省长张中伟会见泰国公主诗琳通\n"
        "（四川日报记者孙琳本报记者赖晓莉）昨日，省长张中伟在蓉会见了泰国公主诗琳通一行。张中伟首先代表四川省人民政府对"
        "诗琳通公主一行来访表示欢迎，对泰国驻成都领事办公室开馆表示祝贺。\n"
        "诗琳通公主愉快地回忆起24年前来川访问的情景，对四川发生的巨大变化感到欣喜。副省长柯尊平参加会见。\n"
    )
    out = _page(raw, url="http://news.sina.com.cn/c/2005-04-13/06565633445s.shtml")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("张中伟", "省长")
    assert out["delivered_on"] == dt.date(2005, 4, 12)


def test_a_day_named_as_an_occasion_and_officers_listed_with_enumeration_commas():
    raw = (
        "今日（10月1日）是國慶76周年，特區政府在早上於舉行升旗儀式，隨後有國慶酒會。前行政長官董建華連續第五年未有現身。\n"
        "升旗儀式於上午8時在金紫荊廣場舉行。行政長官李家超、全國政協副主席梁振英、中聯辦主任周霽等人出席升旗禮。\n"
        "李家超於酒會致辭時表示，國家成立四分三世紀以來，走過極不平凡的道路。\n" + BODY_TC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("李家超", "行政长官")


def test_a_reason_before_the_leads_day():
    raw = (
        "根据区政协年度工作安排，近日，区政协主席傅恬到毛坦厂镇、东河口镇等地看望政协委员，听取委员对政协工作的意见和建议。\n"
        "傅主席要求委员们要围绕乡镇中心工作，认真履行政协“三项职能”，为地方经济社会发展作出积极贡献。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("傅恬", "区政协主席")


@pytest.mark.parametrize(
    ("raw", "url", "day"),
    [
        (
            "中新社澳門九月二十四日電 (記者 黃鴻斌)澳門特區行政長官何厚鏵二十四日中午在《論壇》歡迎午宴上作熱情洋溢的"
            "祝酒辭。\n何厚鏵說，今天上午，第二屆部長級會議隆重開幕，一系列相關活動正陸續展開。\n" + BODY_TC,
            "http://m.yogviha.cn//other/news/2006/09-24/795199.shtml",
            dt.date(2006, 9, 24),
        ),
        (
            "李家超恭賀岑浩輝就任澳門特首\n【中新社澳門二十日電】十二月二十日，慶祝澳門回歸祖國廿五周年大會暨澳門特別行政區第六屆"
            "政府就職典禮在澳門舉行，香港特別行政區行政長官李家超率領香港特別行政區政府代表團出席。\n"
            "李家超表示，香港與澳門同為國家的特別行政區，同享「一國兩制」優勢，兩地情如手足。\n",
            "http://macaodaily.com/html/2024-12/21/content_1802254.htm",
            dt.date(2024, 12, 20),
        ),
    ],
)
def test_a_wire_dateline_in_chinese_numerals(raw, url, day):
    out = _page(raw, url=url)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_title"] == "行政长官"
    assert out["delivered_on"] == day


def test_the_day_inside_todays_brackets_and_two_officials_who_spoke():
    raw = (
        "澳門特別行政區政府今(十九日)晚在舉行特區成立儀式的場地設晚宴，慶祝特區成立一週年。\n"
        "晚宴在綜藝館舉行。國家主席江澤民伉儷、副總理錢其琛伉儷等六百多名嘉賓出席。\n行政長官何厚鏵和國務院副總理錢其琛分別致詞。\n"
        "何厚鏵首先代表特區政府熱烈歡迎國家主席親臨澳門，並向江澤民主席和夫人以及中央政府代表團各位領導致以敬意。\n"
        "何厚鏵說，「澳門特別行政區成立一年以來，維持了社會的基本團結。」\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("何厚铧", "行政长官")


def test_a_reporters_lenticular_bracket_under_a_news_sites_chrome():
    chrome = [
        " date 2025-09-22 為達最佳瀏覽效果，建議使用 Chrome、Firefox 或 Microsoft Edge 的瀏覽器。",
        "關閉此視窗 請至Edge官網下載 請至FireFox官網下載 請至Google官網下載",
        "晴時多雲",
        "自由電子報",
        "自由影音",
        "即時 熱門 政治 軍武 社會 生活 健康 國際 地方 蒐奇",
        "財富自由 財經 娛樂 藝文 汽車 時尚 體育 3 C 評論 玩咖 食譜 地產 專區 服務",
        "熱搜",
        "限制級",
        "您即將進入之新聞內容 需滿18歲 方可瀏覽。",
        "未滿18歲",
        "或不同意本條款離開離開",
        "我同意",
        "根據「電腦網路內容分級處理辦法」修正條文第六條第三款規定，已於網站首頁或各該限制級網頁依規定作標示。",
        "首頁　>　政治",
        "賴清德盼照顧民進黨籍議員 鍾東錦：地方父母官非藍非白也非綠",
        "賴清德期勉照顧民進黨籍議員，鍾東錦今表示「在地方父母官的角色上，非藍非白也非綠」。（資料照）",
        "2025/09/22 12:39",
    ]
    raw = (
        "\n\n".join(chrome)
        + "\n\n〔記者蔡政珉／苗栗報導〕總統賴清德昨天中午前往苗栗縣頭份市義民廟揭匾，苗栗縣長鍾東錦也全程陪同，"
        "賴清德「壓軸」致詞時表示，蔡英文與他執政並未將苗栗縣民當外人。\n\n" + BODY_TC
    )
    out = _page(raw, url="https://news.ltn.com.tw/news/politics/breakingnews/5186496")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("赖清德", "总统")
    assert out["delivered_on"] == dt.date(2025, 9, 21)


def test_lines_past_a_reporters_mark_budget_are_not_read():
    # a speech whose 41st line quotes a reporter's mark: no lead so deep
    lines = [f"第{i}段，我们要坚持稳中求进工作总基调，推动高质量发展。" for i in range(E.MARK_SCAN_LINES + 1)]
    text = "记者\n" + "\n".join(lines) + "\n〔記者某某／苗栗報導〕縣長某某今天表示，要推動建設。\n"
    assert not any(x.startswith("〔") for x in E._lead_lines(text))


@pytest.mark.parametrize(
    "raw",
    [
        # the chair presides and speaks; nobody is quoted as `某某指出，`
        "区政协召开五届五十六次主席会议\n3月2日，区政协召开五届五十六次主席会议。区政协主席张禾波主持会议并讲话。副主席丁某、孙某，"
        "秘书长林某参加会议。\n会议通报了1—2月份工作及3月份工作要点，审议了区政协常委会2021年主要工作安排。\n",
        "3日下午，广州市市长陈建华主持召开市政府常务会议。\n会议听取了稳增长调结构工作中需市层面协调解决问题的情况汇报，"
        "决定由市领导近期召开专题会议研究协调，再报市委审议。\n会议还研究了其他事项。\n",
        "本报讯（记者刘某马某）10月27日、28日，市委书记王东群深入乡镇、园区和重点项目建设现场进行实地调研。市领导陈某、"
        "赵某等分别陪同。\n“便民服务中心在哪儿？”“工作中有什么困难？”王东群一边听取汇报，一边认真记录。\n",
    ],
)
def test_a_dated_lead_whose_officer_presides_or_goes_out(raw):
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] in ("张禾波", "陈建华", "王东群")


@pytest.mark.parametrize(
    ("raw", "url", "name", "day"),
    [
        (
            "溫家寶與北韓總理舉行會談\n2009-03-18 (18:43)\n國務院總理溫家寶18日下午在人民大會堂與北韓總理金英日舉行會談。\n"
            "溫家寶說，中朝兩國是山水相連的友好鄰邦，兩國和兩國人民有著深厚友誼。\n",
            "http://news.h1.com.hk/instantnews/news_content/200903/18/20090318e185412.html",
            "温家宝",
            dt.date(2009, 3, 18),
        ),
        (
            "行政长官：民署与四川专家处理大熊猫的后续工作\n行政长官崔世安今(23)日回应传媒访问表示，民政总署已经与四川的专家组"
            "开展处理大熊猫的后续工作。\n他指出，现时在本澳的四川专家认同澳门的熊猫馆及民署人员对大熊猫给予适当照顾。\n",
            None,
            "崔世安",
            None,
        ),
    ],
)
def test_an_officers_lead_with_the_day_after_the_name(raw, url, name, day):
    out = _page(raw, url=url)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == name
    assert out["delivered_on"] == day


def test_a_deck_naming_the_toast():
    raw = (
        "河南省政府隆重举行国庆招待会 郭庚茂致祝酒辞\n9月29日晚，中州宾馆三号楼中原厅内，张灯结彩，喜气洋洋。河南省人民政府"
        "在这里隆重举行国庆招待会。省委副书记、省长郭庚茂致祝酒辞。省领导叶某、李某出席招待会。\n"
        "郭庚茂在致辞中代表省委、省政府，向出席招待会的外国专家表示热烈的欢迎。\n他说，61年砥砺奋进，61年春华秋实。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("郭庚茂", "省委副书记、省长")


def test_hk_papers_chief_executive_and_this_mornings_date():
    raw = (
        "直播︱李家超：兩隻在港出生大熊貓BB 將於正月十八舉行亮相儀式 翌日與公眾見面\n星島日報-香港·2025-01-21 18:04\n"
        "特首李家超今早（1月21日）出席行會前見記者。《星島頭條》將直擊記者會重點內容。\n"
        "李家超指，下周三迎來大年初一，預祝各位蛇年順利。他指農曆新年期間有許多活動。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("李家超", "特首")
    assert out["delivered_on"] == dt.date(2025, 1, 21)


def test_the_subject_before_the_leads_day():
    raw = (
        "鹿港公所新春團拜 同仁歡送鎮長\n【大紀元2012年01月31日訊】(大紀元記者郭益昌台灣彰化報導)彰化縣鹿港鎮公所31日舉行新春團拜"
        "活動，由於鎮長王惠美當選立委，因此公所同仁在她任內最後一天舉行歡送會。\n"
        "鎮長王惠美表示，她能順利當選立委，要感謝鄉親的支持與肯定。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("王惠美", "镇长")  # not the headline's tail
    assert out["delivered_on"] == dt.date(2012, 1, 31)


# ------------------------------------------------------------------ who the item reports


def test_the_officer_who_spoke_not_the_ranking_guest():
    raw = (
        "4月17日上午，第十二届中国（河南）国际投资贸易洽谈会在郑州国际会展中心隆重开幕。\n"
        "省委书记王国生，省长陈润儿，中国人民对外友好协会会长李小林等领导和嘉宾出席开幕式。\n"
        "王国生宣布：第十二届中国（河南）国际投资贸易洽谈会开幕。陈润儿、李小林先后致辞。\n"
        "陈润儿在致辞中代表省委、省政府，向嘉宾们表示欢迎。他说，近年来河南持续深化改革开放。\n"
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("陈润儿", "省长")


def test_a_list_of_attendees_is_no_office():
    raw = (
        "本报讯 昨天下午，区政协召开十届二十八次常委会议。区政协领导陈锁龙、黄克洪、葛惠明、朱亚群、陈忠平及秘书长施生华参加会议。\n"
        "会议协商通过了区政协2021年工作要点。\n区政协主席陈锁龙指出，2021年是“十四五”开局之年，区政协要认真落实区委全会部署。\n"
    )
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == ("陈锁龙", "区政协主席")


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        (
            "行政長官賀一誠及五司司長今(14)日與中文傳媒代表新春午宴。賀一誠在致辭中指出，特區政府將保障新聞自由。",
            "贺一诚",
            "行政长官",
        ),
        (
            "花蓮縣政府今(3)日舉行防災會報，縣長徐榛蔚提到，今年颱風季即將來臨，各單位要提早整備。徐榛蔚指出，防災不能等。",
            "徐榛蔚",
            "县长",
        ),
        (
            "3月5日，某镇召开全镇干部大会。会上镇党委书记章某对今年的重点工作提出明确要求。章某强调，要抓好项目建设。",
            "章某",
            "镇党委书记",
        ),
        (
            "（中央社記者管瑞平苗栗縣8日電）苗栗縣長徐耀昌2屆8年任期將屆滿，今天舉行記者會向鄉親報告施政成果。\n"
            "徐耀昌致詞表示，8年前上任之初，縣庫負債新台幣676億元。",
            "徐耀昌",
            "县长",
        ),
        (
            "中新社北京三月十六日電 (記者 楊強)中國國務院總理溫家寶今天在此間表示，希望四月份的訪問成為一次融冰之旅。",
            "温家宝",
            "总理",
        ),
        (
            "2026/01/29 19:59 記者劉禹慶／澎湖報導\n彰化縣鹿港鎮公所鎮長許志宏今（29）日率領5位里長拜會馬公市公所。",
            "许志宏",
            "镇长",
        ),
    ],
)
def test_the_officers_name_and_office_from_the_lead(lead, name, office):
    out = _page(lead + "\n" + BODY_TC)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        # a place opening on a preposition's character is no object of the verb (`和美`, `同安`)
        ("和美鎮長林庚壬8月28日對記者朋友說辛苦了。林庚壬表示，感謝每一位在專業上努力付出的記者。", "林庚壬", "镇长"),
        ("3月2日，同安区委书记张某主持召开区委常委会。张某强调，要抓好项目建设，推动高质量发展。", "张某", "区委书记"),
    ],
)
def test_a_place_opening_on_a_prepositions_character(lead, name, office):
    out = _page(lead + "\n" + BODY_TC)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_an_outlets_byline_without_its_slash():
    raw = (
        "水里鄉新春團拜\n台灣新聞網記者林某/南投報導\n2015.02.25\n南投縣政府今天上午舉行新春團拜，縣長林明溱率領縣府團隊向鄉親"
        "拜年，林明溱致詞時表示，今年縣府將全力推動觀光。\n" + BODY_TC
    )
    assert E.REPORTER_BYLINE_RE.match("台湾新闻网记者林某/南投报导")
    assert _page(raw)["doc_type"] == "新闻报道"


@pytest.mark.parametrize(
    ("office", "want"),
    [
        ("苗栗县长", "县长"),
        ("彰化县鹿港镇公所镇长", "镇长"),
        ("和美镇长", "镇长"),
        ("中国总理", "总理"),
        ("杨强）中国国务院总理", "总理"),
        ("〔记者蔡政珉／苗栗报导〕总统", "总统"),
        ("——国家主席", "国家主席"),
        # never a deputy's or an acting head's own word, nor a whole office
        ("常务副县长", "常务副县长"),
        ("代理市长", "代理市长"),
        ("乡镇长", "乡镇长"),
        ("市委副书记、市长", "市委副书记、市长"),
    ],
)
def test_an_offices_place_and_marks_are_cut(office, want):
    assert E._strip_jurisdiction(office) == want

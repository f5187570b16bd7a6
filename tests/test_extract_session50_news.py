"""Session 50's fresh real pages (helper h4): news reports of a leader's speech, meeting or visit — their type,
speaker, office and dates. Every test failed on the code before its commit."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY_SC = (
    "会议强调，要把思想和行动统一到党中央的决策部署上来，切实增强抓落实的责任感、紧迫感和主动性，确保各项任务落地见效。\n"
    "会议要求，各部门要按照既定的工作安排，全面对标对表，主动认领任务，制定落实方案，确保各项工作有力有序推进。\n"
)
BODY_TC = (
    "他說，今年是關鍵的一年，政府會繼續推動各項改革，照顧好每一個家庭，讓經濟發展的成果由全體市民共享。\n\n"
    "他又提到，面對外部環境的不確定性，社會各界要團結一致，共同把握新的發展機遇，推動產業轉型升級。\n"
)


# ------------------------------------------------------------------ the lead under chrome lines


def test_a_lead_under_four_chrome_lines_is_read():
    # a county portal: section label, its repeat, the headline and the stamp above the lead
    raw = (
        "政协要闻 位置: 首页>政协要闻\n政协要闻\n区政协召开六届十九次常委(扩大)会议\n发稿时间: 2025-07-03\n\n"
        "7月2日下午,区政协召开六届十九次常委(扩大)会议。区政协主席曹卫东主持会议并讲话,区政协副主席顾某、徐某等参加会议。\n\n"
        "曹卫东指出,自新城建设实施以来,全区各方面共同努力,推动新城发展加快上台阶、上水平,公共服务配套不断完善。\n"
        + BODY_SC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("曹卫东", "区政协主席")
    assert out["delivered_on"] == dt.date(2025, 7, 2)


def test_lines_past_the_lead_budget_are_not_read_as_leads():
    # four sentence lines, then a dated line: a speech's review of the year, not its lead
    lines = [
        f"第{i}段，我们要坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长，保持社会和谐稳定。"
        for i in range(4)
    ]
    text = "\n".join(lines) + "\n3月2日，市委召开常委会议，研究部署全年工作。\n"
    assert len(E._lead_lines(text)) == 4


# ------------------------------------------------------------------ a reporter's mark


@pytest.mark.parametrize(
    "raw",
    [
        # the mark alone on its line, the lead below it
        "【記者梁金源/臺中報導】\n\n 30日新春開工首日,台中市長盧秀燕率副市長黃國榮、王育敏、秘書長及市府一級機關首長拜晚年,"
        "盧市長表示,今年開工團拜兩大特別,一是史上最長年假後舉行,二是近三年來首次恢復舉辦。\n" + BODY_TC,
        # a bracket without 報導, glued to the lead; `祝福大家` is what she did
        "【記者蕭國華/台北】蔡英文總統就職國宴今(20)日晚間7時準時於台北萬豪酒店登場,席開110桌,蔡英文除感謝貴賓們參與,"
        "並舉杯祝福大家身體健康、友誼長存。她表示,民選總統就職是民主的喜事,人民才是主人。\n" + BODY_TC,
        # a bracket with 報導 and a verb no activity list has (率領…參與升旗)
        "【新南瀛記者黃鐘毅報導】台南市政府慶祝元旦升旗典禮活動,1日分別在新營區及永華市政中心,市長黃偉哲率領市府團隊、"
        "民代及市民參與升旗,揮舞小國旗。\n\n黃偉哲表示,感謝中央與地方全心協力,共同抗疫,造就民眾生活還能大致如常。\n"
        + BODY_TC,
        # a paper's dated mark and its reporter's bracket
        "【大紀元2012年07月01日訊】(大紀元記者李某台灣嘉義報導)三十而立,嘉義市各界7月1日歡喜慶祝升格恢復省轄市30周年,"
        "市長黃敏惠與應邀來賓共同切下紀念造型蛋糕。黃市長期許大家分享升格的喜悅的同時,能更團結。\n\n"
        "黃市長致詞時表示,嘉義市升格恢復省轄市,是透過許多先進的堅持與努力。\n" + BODY_TC,
    ],
)
def test_a_reporters_mark_makes_the_page_news(raw):
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_title"] in ("市长", "总统")


def test_a_wire_dateline_over_a_headline_reads_the_lead_below():
    raw = (
        "中新社北京10月25日電 題:新常委亮相:某某定下“工作坐標”\n\n“你們辛苦了，我向你們表示衷心的感謝。”\n\n"
        "25日上午，人民大會堂東大廳，國務院總理李強出席記者見面會，面帶微笑，向現場中外記者致意。\n\n" + BODY_TC
    )
    assert _page(raw)["doc_type"] == "新闻报道"


def test_a_speech_opening_with_a_bracketed_note_stays_a_speech():
    raw = (
        "【重要讲话】\n\n同志们：\n\n今天，我们召开全县经济工作会议，主要任务是总结今年工作，部署明年任务。"
        "下面，我讲三点意见。\n" + BODY_SC
    )
    assert _page(raw)["doc_type"] != "新闻报道"


# ------------------------------------------------------------------ 今日 without a bracketed day


@pytest.mark.parametrize(
    "lead",
    [
        "行政長官李家超今日(28日)出席行政會議前見記者。李家超表示,明日(3月29日)上午將前赴海南,出席博鰲亞洲論壇年會。",
        "行政長官李家超今日率領特區政府代表團在上海出席第六屆中國國際進口博覽會及相關活動,他說,現場氣氛熱烈。",
    ],
)
def test_an_office_and_name_then_today_and_the_act_is_a_news_lead(lead):
    out = _page(f"李家超:感受到國家重視香港\n\n2023年3月28日\n\n{lead}\n\n{BODY_TC}")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("李家超", "行政长官")


def test_a_speech_saying_today_is_no_news_lead():
    raw = "各位來賓:\n\n行政長官今日出席這個典禮,我感到十分榮幸。我們會繼續推動各項改革。\n" + BODY_TC
    assert _page(raw)["doc_type"] != "新闻报道"


def test_a_visit_is_the_leads_act():
    raw = (
        "總統參拜「龍華慈惠堂」\n中華民國108年02月24日\n\n"
        "蔡英文總統今(24)日下午前往彰化和美「龍華慈惠堂」參拜祈福時表示,臺灣目前所處的國際環境,正面臨許多挑戰。\n\n"
        + BODY_TC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("蔡英文", "总统")


# ------------------------------------------------------------------ a source's credit, dates without a comma or 日


def test_a_copy_crediting_the_wire_is_news_dated_by_its_yesterday():
    raw = (
        "据新华社北京电(记者 杨某 林某)中国人民政治协商会议全国委员会昨日上午在全国政协礼堂举行新年茶话会。党和国家领导人"
        "习近平、李克强等同各界人士代表欢聚一堂，喜迎2020年元旦。\n中共中央总书记、国家主席、中央军委主席习近平在茶话会上"
        "发表重要讲话。他强调，全面建成小康社会，承载着中华民族孜孜以求的美好梦想。\n" + BODY_SC
    )
    out = _page(raw, url="https://zzrb.example.cn/html/2020-01/01/content_1136583.htm")
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == "习近平"
    assert out["delivered_on"] == dt.date(2019, 12, 31) and out["year"] == 2019


def test_a_papers_credit_before_the_month_day_lead():
    raw = (
        "据某某日报消息 9月26日晚，省委书记张某某，省委副书记、代省长李某某等省领导到代表团看望出席会议的全体代表，"
        "与大家一一握手，致以亲切问候。\n张某某指出，近几年经济社会发展比较快，发展思路清晰。\n" + BODY_SC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("张某某", "省委书记")


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("12月31日上午全国政协举行新年茶话会，习近平等同各界人士代表欢聚一堂。", dt.date(2025, 12, 31)),
        ("3月4下午，县委书记王某某主持召开县委常委会会议，传达学习全国两会精神。", dt.date(2025, 3, 4)),
    ],
)
def test_a_month_day_lead_without_its_comma_or_its_day_character(lead, day):
    raw = f"{lead}\n习近平指出，要坚持稳中求进工作总基调。\n{BODY_SC}"
    out = _page(raw, url=f"http://news.example.cn/{day:%Y%m%d}/a.html")
    assert out["doc_type"] == "新闻报道"
    assert out["delivered_on"] == day


# ------------------------------------------------------------------ who the item is about


def test_the_first_of_two_leaders_in_a_headline():
    raw = (
        "省委书记张某某、副书记李某某看望我州代表(图)\n"
        "9月26日晚，省委书记张某某，省委副书记、代省长李某某等省领导到代表团看望全体代表，致以亲切问候。\n" + BODY_SC
    )
    assert (_page(raw)["speaker_name"], _page(raw)["speaker_title"]) == ("张某某", "省委书记")


def test_a_national_leader_reported_without_an_office():
    raw = (
        " date 2025-12-31 12月31日上午全國政協舉行新年茶話會。《新華社》報道，習近平、李強、趙樂際等同各界人士代表歡聚一堂，"
        "共迎2026年元旦。\n\n習近平指出，2026年是「十五五」開局之年，我們要完整準確全面貫徹新發展理念。\n\n" + BODY_TC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == "习近平"


def test_a_local_name_reported_without_an_office_is_not_taken():
    raw = "12月31日上午，全县召开新年茶话会，各界人士代表欢聚一堂。\n张某某指出，要坚持稳中求进工作总基调。\n" + BODY_SC
    assert _page(raw)["speaker_name"] is None


# ------------------------------------------------------------------ headline decks, captions, lists


@pytest.mark.parametrize(
    "title",
    ["浙江舉行各界人士新年茶話會 車俊致辭", "全国政协举行新年茶话会 习近平发表重要讲话 李克强等出席"],
)
def test_a_headline_with_the_leaders_remarks_as_its_deck_is_news(title):
    raw = (
        f"{title}\n\n12月27日，浙江省委書記、省人大常委會主任車俊出席2018年浙江省各界人士新年茶話會並講話。\n\n"
        "27日上午，浙江省政協、省委統戰部在省人民大會堂舉行各界人士新年茶話會。與會人員歡聚一堂、暢敘友情。\n\n"
        + BODY_TC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == "车俊"


def test_a_speech_titled_with_its_speaker_after_a_space_stays_a_speech():
    raw = "在全县经济工作会议上的讲话 张某某\n\n同志们：\n\n今天，我们召开全县经济工作会议。\n" + BODY_SC
    assert _page(raw)["doc_type"] == "讲话"


def test_a_reported_leaders_office_from_the_removed_photo_caption():
    raw = (
        "12月30日,全国政协在北京举行新年茶话会。中共中央总书记、国家主席、中央军委主席习近平在茶话会上发表重要讲话。"
        "新华社记者 张某摄\n习近平代表中共中央、国务院和中央军委，向各民主党派致以节日的问候和诚挚的祝福。\n"
        "习近平指出，2022年是党和国家发展史上极为重要的一年。\n12月30日，全国政协在北京举行新年茶话会。党和国家领导人出席。\n"
        + BODY_SC
    )
    out = _page(raw)
    assert out["speaker_name"] == "习近平"
    assert out["speaker_title"] == "中共中央总书记、国家主席、中央军委主席"


def test_an_office_words_plural_is_no_name():
    raw = (
        "昨日，肩负着神圣使命和历史责任，参加婺城区政协三届一次会议的委员们陆续来到会议地点报到。下午1时30分，区四套班子"
        "领导到各组讨论地点亲切看望了出席会议的政协委员们。\n"
        "婺城区委书记陈某某，区委副书记、代区长王某某，区政协主席施某某等向委员们致以亲切的问候。\n"
        "陈某某说，这次“两会”意义非比寻常，而且议程多、任务重。\n" + BODY_SC
    )
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == ("陈某某", "区委书记")


def test_the_first_of_a_guest_list_by_office():
    raw = (
        "本报讯 11月16日,我县在县宾馆二楼会议室召开对外宣传工作座谈会。县委书记郭某某,日报社社长刘某某,"
        "县委副书记、宣传部长李某某,县委常委、县委办主任申某某等参加座谈。\n"
        "在座谈会上,郭某某对日报社表示衷心感谢。李某某在主持会议时表示,要切实提高思想认识。\n" + BODY_SC
    )
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == ("郭某某", "县委书记")


# ------------------------------------------------------------------ quote headlines, HK answers to the media


def test_a_quote_headline_naming_the_person_with_an_office():
    raw = (
        "國慶盛典 臺南市長黃偉哲:珍惜國土、感恩前人\n\n10月10日為一年一度的雙十國慶,臺南市政府於10日上午8時舉辦國慶升旗典禮。\n\n"
        "市長黃偉哲表示,台南市升格為直轄市後,每年皆舉辦國慶、元旦升旗典禮,這是精神象徵。\n\n黃偉哲指出,今年台南經歷了幾個颱風。\n"
        + BODY_TC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("黄伟哲", "市长")


def test_hks_answers_to_the_media_are_answers_to_reporters():
    raw = (
        "跳至主要內容\n\n行政長官會見傳媒答問內容(附圖/短片)\n*******************\n"
        "  以下是行政長官林鄭月娥今日(十一月十一日)下午聯同律政司司長鄭若驊資深大律師和政制及內地事務局局長曾國衞就全國人民代表大會"
        "常務委員會關於香港特別行政區立法會議員資格問題作出的決定會見傳媒的答問內容:\n\n"
        "記者:特首,你好。其實現在人大是否「僭建」一個程序以賦權特首作出這個決定?\n \n"
        "行政長官:多謝你兩個問題。今次全國人大常委會的決定並沒有賦權行政長官。它已經作出一個決定,一經依法認定便會即時喪失他的資格。\n"
        + BODY_TC
    )
    out = _page(raw, url="https://www.info.gov.hk/gia/general/202011/11/P2020111100920.htm")
    assert out["doc_type"] == "答记者问"
    assert (out["speaker_name"], out["speaker_title"]) == ("林郑月娥", "行政长官")


# ------------------------------------------------------------------ the lead's day


def test_a_sentence_of_background_before_the_leads_month_day():
    raw = (
        "八所镇召开党委换届工作动员会\n时间:2016-08-12     分享到:\n\n"
        "    根据市委部署,八所镇党委安排在2016年下半年进行换届。8月12日上午,八所镇在六楼会议室召开换届工作动员,"
        "全镇干部职工和各村居书记参加会议。\n    市委常委、镇委书记张某在会上作重要讲话。他指出,此次会议,既是动员会,也是部署会。\n"
        + BODY_SC
    )
    assert _page(raw)["delivered_on"] == dt.date(2016, 8, 12)


def test_a_lead_naming_the_meeting_before_its_day_and_place():
    raw = (
        "某某出席贵州省政府参事省文史馆员迎春茶话会\n中央政府门户网站 www.gov.cn   2007年02月14日   来源:贵州日报\n\n"
        "    2007年贵州省政府参事、省文史馆员迎春茶话会2月13日下午在贵阳举行。贵州省委副书记、省长林某某,副省长吴某某,"
        "省政协副主席伍某某与省政府参事、省文史馆员欢聚一堂,共贺新春。\n\n    林某某说,刚刚过去的2006年,是实施“十一五”规划的第一年。\n"
        + BODY_SC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["delivered_on"] == dt.date(2007, 2, 13)
    assert out["speaker_name"] == "林某某"


def test_a_news_leads_opening_month_day_with_its_verb_far_after():
    raw = (
        "省委书记张某某看望我州代表(图)\n据某某日报消息 9月26日晚,省委书记张某某,省委副书记、代省长李某某,省委常委、组织部部长"
        "王某某等省领导到州代表团看望出席省十一届人大四次会议的全体代表,致以亲切问候。\n张某某指出,近几年经济社会发展比较快。\n"
        + BODY_SC
    )
    out = _page(raw, url="http://3g.example.cn/news/qdnyw/201009/40786.shtml")
    assert out["delivered_on"] == dt.date(2010, 9, 26) and out["year"] == 2010


def test_a_speech_line_opening_on_a_month_day_dates_nothing():
    raw = "在全市经济工作会议上的讲话\n\n9月26日晚，我们在一起研究部署了全年工作，大家一致认为要抓好落实。\n" + BODY_SC
    assert _page(raw, url="http://x.example.cn/201009/1.html")["delivered_on"] is None


def test_a_news_leads_day_alone_under_the_reporters_mark():
    raw = (
        "記者 097202\n發佈於:2023-1-30 20:41:35\n\n【記者梁金源/臺中報導】\n\n"
        " 30日新春開工首日,台中市長盧秀燕率副市長黃國榮、秘書長及市府一級機關首長拜晚年,盧市長表示,今年開工團拜兩大特別。\n"
        + BODY_TC
    )
    assert _page(raw)["delivered_on"] == dt.date(2023, 1, 30)


# ------------------------------------------------------------------ page dates


def test_an_roc_date_line_with_its_era():
    raw = (
        "總統參拜「龍華慈惠堂」\n中華民國108年02月24日\n\n"
        "蔡英文總統今(24)日下午前往彰化和美「龍華慈惠堂」參拜祈福時表示,臺灣目前所處的國際環境,正面臨許多挑戰。\n\n"
        + BODY_TC
    )
    assert _page(raw)["published_on"] == dt.date(2019, 2, 24)


def test_a_papers_dated_mark_dates_the_page():
    raw = (
        "庆祝嘉义市恢复升格省辖市30周年\n\n【大纪元2012年07月01日讯】(大纪元记者李某台湾嘉义报导)三十而立，嘉义市各界7月1日欢喜庆祝"
        "升格恢复省辖市30周年，市长黄某某与应邀来宾共同切下纪念造型蛋糕。\n\n黄市长致词时表示，嘉义市升格恢复省辖市，是透过许多先进的努力。\n"
        + BODY_SC
    )
    out = _page(raw)
    assert out["published_on"] == dt.date(2012, 7, 1) and out["year"] == 2012


def test_a_news_lead_writing_hao_for_the_day():
    raw = (
        "11月17號，縣長王某某主持召開縣政府常務會議，研究部署近期重點工作，各副縣長出席會議。\n\n王某某指出，要抓好落實。\n"
        + BODY_TC
    )
    assert _page(raw, url="http://news.example.tw/20231120/a.html")["delivered_on"] == dt.date(2023, 11, 17)


# ------------------------------------------------------------------ Taiwanese leads session 49 left


@pytest.mark.parametrize(
    "lead",
    [
        "副總統賴清德出席新創創業嘉年華時表示，未來五年內要新增兩萬個新創的工作機會，公私協力投注新創資金。",
        "賴清德副總統第二天前往台南出席地方活動，並與鄉親互動，現場氣氛熱絡，民眾夾道歡迎。",
    ],
)
def test_a_vice_presidents_lead_without_a_speech_word(lead):
    out = _page(f"{lead}\n\n{BODY_TC}")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("赖清德", "副总统")


def test_a_speech_thanking_those_who_attended_stays_a_speech():
    raw = "各位鄉親：\n\n縣長今天出席這個典禮時表示，感謝大家的支持，我們會繼續努力。\n" + BODY_TC
    assert _page(raw)["doc_type"] != "新闻报道"


# ------------------------------------------------------------------ read after the first held-out score


def test_a_release_titled_office_and_talk_names_no_talk():
    raw = (
        "新聞公報\n\n行政長官談話全文\n\n********\n\n以下為行政長官董建華今(七月二十四日)午會見傳媒的談話全文(中文部分):\n\n"
        "行政長官:各位,新班子已運作了一個月,我對他們很滿意,相信市民對他們的努力也很滿意。\n\n" + BODY_TC
    )
    out = _page(raw, url="http://www.info.gov.hk/gia/general/200207/24/0724174.htm")
    assert (out["speaker_name"], out["speaker_title"]) == ("董建华", "行政长官")


def test_a_verb_after_an_office_is_no_name():
    raw = (
        "(記者黃某某/嘉義報導)嘉義市第11屆市長宣誓就職典禮,今(25)日上午在文化局音樂廳舉行,社會各界代表皆到場祝賀。\n\n"
        + BODY_TC
    )
    assert _page(raw)["speaker_name"] != "宣誓"


def test_a_weekday_lead_dates_the_item():
    raw = (
        "中國國家主席習近平星期三(12月18日)會見澳門現任行政長官賀一誠時,稱讚其迎難而上、務實有為,也很有成績。\n"
        "根據新華社報道,習近平對賀一誠説,他擔任行政長官這五年,很不容易。\n" + BODY_TC
    )
    out = _page(raw, url="https://hk.example.com/2024/zaobao/news_2024_12_19_727583")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("习近平", "国家主席")
    assert out["delivered_on"] == dt.date(2024, 12, 18)


def test_a_local_papers_day_alone_lead():
    raw = (
        "《某日报》走基层记者团到定安采访\n刊发日期:2011-12-08 阅读次数:\n"
        "  5日,由《某日报》报业集团编委翁某某率领的走基层记者团一行5人到定安开展采访活动。\n"
        "  上午,定安县举行座谈会,县委副书记、政法委书记张某某,县委常委、宣传部长孙某某出席座谈会。\n"
        "  张某某在座谈会上向记者团详细介绍定安县近年来的经济社会发展情况时表示,定安将迎来大发展的绝佳机遇。\n"
        + BODY_SC
    )
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["delivered_on"] == dt.date(2011, 12, 5)
    assert (out["speaker_name"], out["speaker_title"]) == ("张某某", "县委副书记、政法委书记")

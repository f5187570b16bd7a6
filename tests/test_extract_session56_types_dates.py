"""Doc types and dates, fourteenth round (session 56's fresh pages): wire features on press conferences, an outlet's
bracket before its reporter's, a paper's `（香港1日讯）` mark, a HK ceremony's 礼 held 今日, 大家长 as no first person,
`今早（9日）`, a term's number in a day-only lead's subject, the day word before a reported meeting, and a related
column's list of stamps that is no page date."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_wire_feature_on_a_press_conference_quoting_nobody_is_news():
    raw = (
        "中评社北京3月4日电（记者 林艳）2023年全国两会正式拉开帷幕，昨天下午首场新闻发布会在人民大会堂新闻发布厅举行，"
        "郭卫民第五次以全国政协会议新闻发言人身份“打头阵”。中评社记者注意到，郭卫民是一位非常熟悉了解媒体的新闻发言人。\n"
        "众所周知，郭卫民是一位非常资深的发言人，曾担任过十九大新闻发言人、国新办新闻发言人、北京奥运会新闻发言人。\n"
    )
    out = _fields(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["meeting"] == "首场新闻发布会"  # the lead's day word is no part of the meeting's name


def test_a_wire_feature_quoting_one_sentence_is_news():
    raw = (
        "中评社北京3月3日电（中评社报道组）一年一度的全国两会在3月2日下午的政协首场新闻发布会中拉开序幕，大会新闻发言人"
        "在会后就中评社采访主任提出的问题作出回应，他表示，“如果没有‘九二共识’，任何都无从谈起。”\n"
        "大会新闻发言人王国庆昨天下午一如去年在3点时分笑容满面地出现在人民大会堂一楼新闻发布厅。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_a_wire_copy_of_a_speech_stays_the_speech():
    raw = (
        "新华社北京12月31日电 国家主席习近平31日发表二〇二四年新年贺词，全文如下：\n"
        "大家好！2024年的脚步越来越近，我在北京向大家致以美好的新年祝福！\n"
        "这一年，我们经历了风雨考验，一路走来十分不易。我们取得了新的成绩。\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"


def test_an_outlets_bracket_before_its_reporters_marks_the_lead():
    raw = (
        "請更新您的瀏覽器\n"
        "您使用的瀏覽器版本較舊，已不再受支援。建議您更新瀏覽器版本，以獲得最佳使用體驗。\n"
        "發布於 2022年12月25日07:49\n"
        "（觀傳媒南投新聞）【記者石振賢/南投報導】南投縣第19屆縣長宣誓就職及交接活動25日在文化局演藝廳舉行。"
        "在行政院主計總處主計長朱澤民監交下，新任縣長許淑華正式走馬上任。\n"
        "朱澤民表示，新任許淑華縣長熟悉地方，提出三大主軸、十大願景。立委馬文君說，許縣長提出很多政見，期待南投更好。\n"
    )
    out = _fields(raw)
    assert out["doc_type"] == "新闻报道"
    # the day alone after a subject holding its term's number (`第19屆…活動25日`), in the page date's month
    assert out["delivered_on"] == dt.date(2022, 12, 25)


def test_a_papers_day_mark_in_round_brackets():
    raw = (
        "香港政府周一上午在香港会展中心举行酒会，庆祝香港回归27周年。图为香港特首李家超（右2）与嘉宾碰杯。\n"
        "（香港1日讯）香港在周一（7月1日）庆祝回归27周年，香港政府在会展举行庆祝酒会。特首李家超在酒会上致辞时宣布，"
        "向香港送赠一对大熊猫。\n"
        "香港电台报导，李家超表示，香港好事陆续有来，藉着“七一”好日子，公布相关好消息。\n"
    )
    out = _fields(raw, url="https://deimos.orientaldaily.com.my/news/international/2024/07/01/662404")
    assert out["doc_type"] == "新闻报道"
    assert out["delivered_on"] == dt.date(2024, 7, 1)


def test_a_hk_ceremony_held_today_is_news_of_that_day():
    raw = (
        "【七一回歸】李家超︰香港吸引力有增無減\n"
        "發布時間: 2023/06/30 17:23\n"
        "香港各界慶典委員會舉行系列活動，慶祝七一回歸，慶祝香港回歸26周年活動啓動禮今日上午在維園舉行，特首李家超相信，"
        "香港的吸引力有增無減。\n"
        "李家超致辭時表示，香港現正處於由治及興的關鍵期。\n"
    )
    out = _fields(raw)
    assert out["doc_type"] == "新闻报道"
    assert out["delivered_on"] == dt.date(2023, 6, 30)


def test_a_countys_patriarch_is_no_first_person():
    raw = (
        "南投第17屆縣長宣誓就職\n"
        "台灣新聞網記者李華峻/南投報導\n"
        "南投縣政府今天上午，舉辦「南投縣第17屆縣長宣誓就職暨交接典禮」。行政院政務委員林政則，非常重視南投縣大家長的"
        "交接典禮，因此指派省府秘書長鄭培富代表應邀出席。\n"
        "第17屆南投縣長林明溱宣誓就職演說時表示，感謝兩位縣長擔任縣長期間所打下基礎。鄭培富表示，希望新縣長不負選民期望。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_this_mornings_bracketed_day():
    raw = (
        "“官宣”！香港十八区“整活儿”\n"
        "大湾区之声 2024-01-09 15:02:32\n"
        "今早（9日），香港特区行政长官李家超出席行政会议前会见传媒时表示，新一届区议会展现出新气象、新面貌。\n"
        "李家超认为，本届区议员背景更为多元化，也更全面。\n"
    )
    assert _fields(raw)["delivered_on"] == dt.date(2024, 1, 9)


def test_a_related_columns_list_of_stamps_is_no_page_date():
    raw = (
        "香港特首发表新春贺词 冀蛇年香港展现灵巧和韧力\n"
        "中新社香港1月28日电 28日适逢除夕。香港特区行政长官李家超当天发表新春贺词，向香港市民及各地游客送上新春祝福。\n"
        "李家超表示，蛇年香港会展现更多灵巧多变和韧性。（完）\n"
        "大湾区精选：\n"
        "- 2025年02月04日 23:10:05\n"
        "- 2025年02月04日 18:41:02\n"
        "- 2025年02月03日 17:37:19\n"
        "- 2025年02月03日 17:34:47\n"
    )
    out = _fields(raw, url="http://m.igo9go.com/dwq/2025/01-28/10361211.shtml")
    assert out["published_on"] == dt.date(2025, 1, 28)  # the url's day, not the list's latest stamp
    assert out["delivered_on"] == dt.date(2025, 1, 28)


def test_a_pages_own_stamp_repeated_stays_its_date():
    raw = (
        "来源:昭通新闻网\n"
        "2021-11-15 17:50\n"
        "2021-11-15 17:50\n"
        "2021-11-15 17:50\n"
        "11月15日，市政府党组书记、市长朱家伟主持召开市政府党组2021年第12次（扩大）会议，专题传达学习全会精神。\n"
        "朱家伟强调，全会提出了许多新思想、新观点、新论断。\n"
    )
    assert _fields(raw)["published_on"] == dt.date(2021, 11, 15)


def test_an_interview_naming_the_work_report_is_no_work_report():
    raw = (
        "永蔚两会第一线（3月12日）\n"
        "央视国际 www.cctv.com 2006年03月13日 15:04 来源：CCTV.com\n"
        "任永蔚 中央电视台记者：好的，大家可能透过我们的节目看到我们的问政高官，也了解了我们在这一个过程中一直在追访"
        "一些部长，是希望把政府工作报告的一些具体内容，透过部长的口看如何去落实。\n"
        "主持人：\n"
        "采访这些部长当中你觉得印象比较深的有哪几位？\n"
    )
    assert _fields(raw)["doc_type"] != "政府工作报告"


def test_a_padded_date_under_the_reporters_byline_is_the_pages_stamp():
    raw = (
        "台灣新聞網(Logo-image) 台灣新聞網(Logo-text)\n"
        "2025/04/27\n"
        "胡志強：要將中區建設得更好\n"
        "台灣新聞網記者陳祐堂/台中報導\n"
        "2014.02.07\n"
        "台中市中區公所於今天舉行新春團拜，市長胡志強與公所同仁及現場民眾互道新年恭禧，並表示一定會更努力。"
        "民政局長王秋冬、中區區長林仲敏等人也都共襄盛舉。\n"
        "胡志強表示，這些多年來與區公所同仁相處下來，真的像一家人般。\n"
    )
    out = _fields(raw)
    assert out["published_on"] == dt.date(2014, 2, 7)  # not the site's clock of today above the headline
    assert out["delivered_on"] == dt.date(2014, 2, 7)

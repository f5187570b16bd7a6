"""Leads, dates, speakers and titles a careful reader gets right and the extractor did not (session 57's fresh pages,
fifteenth round): Taiwanese townships, `公所同仁`, wire datelines, glued dates, offices before names, `…致辭全文`."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ---------------------------------------------------------------- Taiwanese townships (no table of them is committed)


def test_colleagues_of_a_township_office_are_no_qinghai_city():
    # `公所同仁` (colleagues) was 青海's 同仁市 (its alias); the township the page names with its office is the region
    raw = (
        "鄉長某某某現場並準備紅包發放給公所同仁,為新的一年祈願平安健康,現場喜氣洋洋同仁熱情參與。\n"
        "某某某表示,期許新的一年有新氣象,鼓勵同仁盡心盡力為民服務,讓西嶼鄉業務得以順利推動執行。\n"
        "△西嶼鄉公所新春團拜。 (鄉公所提供)\n"
        "澎湖日報提供澎湖每日在地新聞、時事專欄評論、縣政新聞等!\n"
        "Home 時事新聞 西嶼鄉公所新春團拜熱鬧滾滾\n"
    )
    f = _fields(raw)
    assert f["region"] == "台湾省澎湖县西屿乡"
    assert f["region_code"] == "710714"  # its county's: the table has no township codes
    assert f["admin_level"] == "township"


def test_colleagues_alone_name_no_place():
    raw = "各位同仁:\n今天我們在這裡歡聚一堂,感謝全體同仁一年來的辛勤付出,也感謝各位同仁的家人。\n謝謝大家!\n"
    assert _fields(raw)["region"] is None


def test_a_township_right_after_its_county():
    raw = (
        "鹿港公所新春團拜 同仁歡送鎮長\n"
        "(記者某某台灣彰化報導)彰化縣鹿港鎮公所31日舉行新春團拜活動,由於鎮長王某某當選立委,因此公所同仁舉行歡送會。\n"
        "鹿港鎮公所舉行新春團拜,各界貴賓都到場互相祝賀,場面熱絡。\n"
        "鎮長王某某表示,在鹿港鎮公所服務這段時間,由於公所團隊的努力,讓鎮政工作能順利推動。\n"
    )
    assert _fields(raw)["region"] == "台湾省彰化县鹿港镇"


def test_a_name_before_its_office_is_no_township():
    # `林庚壬鎮長` read as a township 庚壬鎮; the township is 和美鎮, under the county the page names
    raw = (
        "【記者某某/彰化報導】九一記者節即將到來,和美鎮長林庚壬於8月28日對記者朋友說辛苦了。\n"
        "林庚壬鎮長指出,感謝媒體記者協助鎮政推廣,目前和美鎮是彰化縣人口數最多的一個鄉鎮。\n"
        "林庚壬表示,現在彰化縣政府正在推出「彰化一日遊」活動。\n"
        "與會貴賓和美鎮長林庚壬、和美鎮代表主席周保方、秘書辛汎峰。\n"
    )
    assert _fields(raw)["region"] == "台湾省彰化县和美镇"


def test_a_township_whose_county_the_page_never_names_has_no_region():
    raw = (
        "土庫鎮公所十九日下午在老人會館活動中心舉行鎮政說明會,由鎮長陳某某率土庫鎮公所各課室主管團隊參加。\n"
        "立委張某某表示,一致讚譽陳某某鎮長對上任以來的建設相當用心。\n"
    )
    assert _fields(raw)["region"] is None


def test_two_townships_as_often_stay_silent():
    raw = (
        "五結鄉長率團拜會頭城鎮公所\n"
        "五結鄉公所鄉長某某某今日率團拜會頭城鎮公所,宜蘭縣議員等陪同。\n"
        "五結鄉公所與頭城鎮公所雙方就觀光交流。\n"
    )
    assert _fields(raw)["region"] == "台湾省宜兰县"  # the county both lie in, no township


def test_a_mainland_township_under_a_county_of_the_same_name_stays_fujians():
    # 连江县 is Fujian's and Taiwan's (马祖): a township the mainland table knows is never read as Taiwan's
    raw = (
        "连江县潘渡镇召开2023年工作会议\n"
        "1月5日，连江县潘渡镇召开2023年工作会议，潘渡镇镇长某某某作工作报告，潘渡镇党委书记某某某讲话。\n"
    )
    assert _fields(raw)["region"] != "台湾省连江县潘渡镇"


# ---------------------------------------------------------------- dates


def test_a_clock_glued_to_the_page_date():
    raw = (
        "某某县召开2024年安全生产工作会议\n"
        "发布时间：2024-05-0110:30 来源：县政府办\n"
        "4月30日上午，县委书记王某某主持召开全县安全生产工作会议并讲话。王某某强调，要压实责任。\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2024, 5, 1)
    assert f["delivered_on"] == dt.date(2024, 4, 30)


def test_a_padded_day_before_its_clock_is_read_whole():
    from tasks.extract_text import find_date

    assert find_date("2024-05-0123:45")[0] == dt.date(2024, 5, 1)
    assert find_date("2024-05-12 3:45")[0] == dt.date(2024, 5, 12)
    assert find_date("2024-05-123") is None  # no clock after it: no date


def test_the_event_day_not_the_wire_day_nor_the_e_paper_stamp():
    # the e-paper's `2024年11月21日` above the headline was the lead's date; the wire's 19日 is the day it filed, the
    # lead's 18日 the day of the event (doc_types.md: the event's day)
    raw = (
        "2024年11月21日\n"
        "第04版:時事新聞 PDF版\n"
        "中日互派記者60周年紀念活動在東京舉行\n"
        "新華社東京11月19日電(記者李某某)中日互派記者60周年紀念活動18日在東京舉行。兩國媒體界人士在活動上表示,將繼續促進中日友好。\n"
        "當天,中國駐日本大使吳某某等約100人出席活動。吳某某在致辭中表示,希望兩國媒體人發揮更大積極作用。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2024, 11, 18)


def test_a_month_day_that_lost_its_month_mark():
    raw = (
        "吴某主持召开市长办公会2021年第一次会议\n"
        "发布时间: 2021-09-30 08:36 来源: 某某市信息中心\n"
        "929日下午,代市长吴某主持召开市长办公会2021年第一次会议。徐某某、闫某出席会议。\n"
        "吴某强调,要继续保持当前良好的发展势头,毫不松懈抓好安全生产。\n"
    )
    assert _fields(raw)["delivered_on"] == dt.date(2021, 9, 29)


def test_an_ambiguous_glued_month_day_stays_unread():
    from tasks.extract import _lead_digits

    assert _lead_digits("111日上午，县委召开常委会。") == "111日上午，县委召开常委会。"  # 1|11 or 11|1
    assert _lead_digits("1011日上午，县委召开常委会。") == "10月11日上午，县委召开常委会。"


# ---------------------------------------------------------------- titles


def test_full_text_note_goes_under_the_sites_notes_and_a_day_in_words():
    # `全文` is the site's note on how much it gives whether or not info.gov.hk's notes follow it (one rule)
    raw = (
        "民政事務局局長出席北區大巡遊暨回歸紀念園開幕典禮致辭全文(十月四日)\n"
        "以下為民政事務局局長曾某某今日(十月四日)出席開幕典禮的致辭全文:\n"
        "侯主席、各位嘉賓、各位朋友:\n我非常高興出席今日的開幕典禮。今年是建國六十周年,每一位中華兒女都會同感國慶的喜悅。\n"
    )
    assert _fields(raw)["title"] == "民政事务局局长出席北区大巡游暨回归纪念园开幕典礼致辞"


# ---------------------------------------------------------------- leads


WIDGET = "".join(
    f"  • {town}\n    AQI\n    {aqi}\n    普通\n" for town, aqi in (("臺南", 134), ("新營", 93), ("善化", 112))
)


def test_a_lead_below_a_widget_of_short_chrome_lines():
    # a city site's weather and air-quality widget: 16+ short lines above the headline hid the lead (it read 10 lines)
    raw = (
        "跳到主要內容區塊\n晴天\n今日氣溫\n28 ~ 30\n" + WIDGET + "晴天\n今日氣溫\n28 ~ 30\n" + WIDGET + "\n"
        "迎新年元旦升旗 某某某感恩各界共創宜居城市\n"
        "發稿單位: 新聞及國際關係處\n發稿時間: 113年1月1日 08:45\n發稿人: 邱某某\n\n"
        "迎接113年元旦新年到來,台南市政府今(1)日一早在永華市政中心西拉雅廣場舉行升旗典禮。由台南市長黃某某率領市府團隊各局處首長參與。\n\n"
        "黃某某表示,昨夜舉辦的跨年晚會為2023年畫下圓滿句點。他感謝市議會各議員及市民對市政的監督與建議。\n\n"
        "台南市政府表示,新的一年,市府將繼續與市民攜手努力。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("黄某某", "市长")


def test_ten_chrome_lines_over_a_speech_do_not_make_it_news():
    # the lines after a chrome block are read as before when they open a speech: its salutation stops the lead
    raw = (
        "跳到主要內容區塊\n" + WIDGET + WIDGET + "\n"
        "市長元旦致詞\n各位市民朋友:\n大家新年好!今天我們在這裡舉行元旦升旗典禮,迎接新的一年。\n"
        "過去一年,市府團隊努力推動各項建設。謝謝大家!\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"


@pytest.mark.parametrize(
    "widget",
    ["人氣: 2", "本篇文章572字,读完约1分钟", "0101004台南元旦升旗.jpg", "台灣新聞網(Logo-image) 台灣新聞網(Logo-text)"],
)
def test_a_page_widget_above_the_headline_is_no_title(widget):
    raw = (
        f"{widget}\n"
        "【記者某某/基隆報導】基隆市長張某某今天清晨率領市府團隊成員,與上千名民眾齊聚文化中心前廣場參加元旦升旗典禮。\n"
        "張某某表示,祝福國家國運昌隆、市民平安快樂。\n"
    )
    assert _fields(raw)["title"] is None


# ---------------------------------------------------------------- speakers


def test_a_festival_year_between_the_name_and_the_greeting():
    raw = (
        "跳过导航\n\n澳门特别行政区行政长官何某某丙戌年新春献辞\n\n"
        "各位亲爱的市民: 爆竹一声除旧岁,普天同庆贺新春。踏入丙戌年的伊始,我首先代表澳门特别行政区政府,恭祝全澳市民身体健康。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"], f["doc_type"]) == ("何某某", "行政长官", "致辞")


def test_a_guest_lists_label_is_no_part_of_the_office():
    from tasks.extract import _strip_jurisdiction

    assert _strip_jurisdiction("与会贵宾和美镇长") == "镇长"
    assert _strip_jurisdiction("嘉宾市委书记") == "市委书记"
    assert _strip_jurisdiction("来宾市市长") == "市长"  # 来宾市 is a city

"""Titles, chrome, speakers, types and dates of session 47's real pages (the search tool's stored pages, scored by
hand): ROC dates, Taiwanese and Macanese portal heads, CNA's banners and datelines, 看望慰问 reports, `name: quote`
headlines, surname-and-office titles, wikisource's full title. Names are invented, except national leaders."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.extract_text import find_date
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ ROC dates


@pytest.mark.parametrize(
    ("s", "want"),
    [
        ("中华民国十七年十月十日", dt.date(1928, 10, 10)),
        ("中華民國一百一十三年五月二十日", dt.date(2024, 5, 20)),
        ("民国三十五年五月五日于南京", dt.date(1946, 5, 5)),
        ("中华民国84年06月10日(1995年6月10日)", dt.date(1995, 6, 10)),
        ("114年01月21日", dt.date(2025, 1, 21)),  # president.gov.tw's stamp
        ("中華民國7年(1918年)11月28日", dt.date(1918, 11, 28)),  # the Western year in brackets, as before
    ],
)
def test_roc_dates_are_read(s, want):
    assert find_date(s)[0] == want


@pytest.mark.parametrize("s", ["建党100年7月1日", "第100年5月4日", "民国时期的5月"])
def test_counts_of_years_are_no_roc_dates(s):
    """A bare three-digit year is a ROC stamp only with a two-digit month and day (`114年01月21日`)."""
    assert find_date(s) is None


def test_a_roc_dateline_with_its_western_twin_dates_the_speech():
    out = _page(
        "“民之所欲”——前总统王登明在母校演讲\n-----------\n中华民国84年06月10日(1995年6月10日)\n"
        "罗兹校长、各位老师、各位学长：\n谢谢校长的介绍，溢美之辞，愧不敢当。今天能在母校发表演说，深感荣幸。\n"
    )
    assert out["delivered_on"] == dt.date(1995, 6, 10)


# ------------------------------------------------------------------ chrome


def test_portal_chrome_lines_go_and_the_speech_stays():
    raw = (
        "直通屏山|福建|时评|大学城|台海|娱乐|体育|国内|国际\n:::\n总统府新闻\n浏览: 【大中小】\n"
        "Your browser does not appear to support Traditional Chinese. Would you like to go to CNA’s English website?\n"
        "請同意我們的隱私權規範,才能啟用聽新聞的功能。\n中央社一手新聞APP Icon中央社一手新聞APP\n"
        "同志们：\n今年全县经济运行平稳，各项工作取得新进展。（下转A3版）\n（上接A1版）我们要再接再厉。\n"
    )
    n = normalize_text(raw)
    assert n.text.split("\n")[0] == "同志们："
    assert "今年全县经济运行平稳，各项工作取得新进展。" in n.text
    assert "我们要再接再厉。" in n.text
    assert "A3版" not in n.text and "A1版" not in n.text


@pytest.mark.parametrize(
    "line",
    ["各位来宾新闻与活动中心揭牌", "地区|产值|增长|占比|排名|备注", "今年要闻不多，但大事不少。", "浏览了大中小企业"],
)
def test_chrome_rules_leave_text_lines(line):
    n = normalize_text(line + "\n同志们：\n今年全县经济运行平稳，各项工作取得新进展。\n")
    assert line in n.text


# ------------------------------------------------------------------ portal heads
TW_NEWS = (
    "跳到主要內容\n:::\n:::\n\n新聞與活動\n\n總統府新聞\n\n114年01月21日\n"
    "副總統親手捏陶及繪製平安龜 邀請國人體驗澎湖在地文化\n副總統出席「手做陶土平安龜活動」\n\n"
    "林文德副總統今(21)日下午在澎湖生活博物館參加「手做陶土平安龜活動」時表示，澎湖有非常豐富的在地文化，"
    "希望國人都能來澎湖觀光。\n\n副總統致詞時表示，今天來到澎湖，也很高興與小朋友一起動手做「平安龜」。\n"
)


def test_a_taiwanese_portal_head_gives_title_date_speaker_and_type():
    """`新聞與活動` was the title, `114年01月21日` no date, and the page untyped with nobody speaking."""
    out = _page(TW_NEWS)
    assert out["title"] == "副总统亲手捏陶及绘制平安龟 邀请国人体验澎湖在地文化"
    assert out["delivered_on"] == dt.date(2025, 1, 21)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("林文德", "副总统")


# ------------------------------------------------------------------ news reports


def test_a_visit_report_is_news_without_a_reported_sentence():
    """`本报讯` and a 看望慰问 lead, the secretary's words never quoted with `表示，`: untyped before."""
    out = _page(
        "本报讯 新春佳节即将来临，困难群众的生产生活一直牵动着青石县领导干部的心。2月9日至11日，县四大班子领导分成"
        "11个小组，看望慰问部分特困党员和敬老院老人。\n该县县委书记赵德明一行先后到县中心敬老院和老复员军人家中，"
        "送上米、面、油等生活品和慰问金。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("赵德明", "县委书记")


def test_a_scene_setting_sentence_before_the_day_still_leads_a_visit_report():
    out = _page(
        "新春佳节将至，困难群众的生活冷暖牵动人心。2月 2日，县委常委、组织部长周立新分别深入各乡镇看望慰问"
        "困难群众，向他们致以新春的问候和祝福。\n在困难群众家中，周立新为他们送去了慰问金。\n"
    )
    assert out["doc_type"] == "新闻报道"


def test_a_flash_mark_leads_a_macau_report():
    out = _page(
        "岑:續加強與特派員公署溝通對接\n\n2026-02-27\n\n【特訊】行政長官岑浩輝昨日出席外交部駐澳門特別行政區特派員公署"
        "到任酒會。他致辭時表示，特區政府將繼續加強與特派員公署的溝通對接。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("岑浩辉", "行政长官")


def test_a_year_and_clock_time_before_the_lead_make_it_news():
    out = _page(
        "2024年12月20日上午10时，庆祝大会暨就职典礼在体育馆隆重举行。中共中央总书记、国家主席、中央军委主席习近平"
        "出席并发表重要讲话。他指出，回归祖国25年来实践取得巨大成功。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == "习近平"


CNA = (
    "中央社一手新聞APP Icon中央社一手新聞APP\n下載\n\n{title}\n\n2025/9/30 20:23\n"
    "請同意我們的隱私權規範,才能啟用聽新聞的功能。\n\n(中央社記者王小明北京30日電){lead}\n\n{more}\n"
)


def test_a_name_quote_headline_is_a_news_report_of_that_person():
    """`中共建政招待會 習近平:深化兩岸交流反台獨`: no title, no type, nobody before."""
    out = _page(
        CNA.format(
            title="中共建政招待會 習近平:深化兩岸交流反台獨",
            lead="中共總書記習近平今晚在中共建政76週年招待會上宣稱，要深化兩岸交流合作。",
            more="在港澳方面，習近平說，新征程上要堅定不移貫徹「一國兩制」方針。",
        )
    )
    assert out["title"] == "中共建政招待会 习近平:深化两岸交流反台独"
    assert out["doc_type"] == "新闻报道"
    assert out["speaker_name"] == "习近平"
    assert out["delivered_on"] == dt.date(2025, 9, 30)  # the dateline's day, in the stamp's month


def test_a_name_quote_title_over_the_speech_itself_stays_the_speech():
    out = _page(
        "赵文华：在全县经济工作会议上的讲话\n同志们：\n今天我们召开全县经济工作会议，主要任务是总结去年工作。\n"
    )
    assert out["doc_type"] == "讲话"


def test_a_surname_and_office_title_names_the_person_the_text_names():
    """`蔡總統國慶談話全文`: 談話 was no speech word and 蔡總統 named nobody."""
    out = _page(
        CNA.format(
            title="蔡總統國慶談話全文",
            lead="總統蔡英文今天發表國慶談話，邀請各政黨領袖坐下來談。",
            more="蔡總統發表國慶致詞全文如下：\n\n現場的各位貴賓，大家早安，大家好。",
        ).replace("9/30", "10/10")
    )
    assert out["doc_type"] == "讲话"
    assert (out["speaker_name"], out["speaker_title"]) == ("蔡英文", "总统")


def test_a_surname_office_speaker_is_the_office():
    out = _page(
        "蔣主席在首都慶祝還都大會上對全國同胞致訓\n作者:蔣中正\n1946年5月5日\n\n全國軍民同胞們：\n今天是紀念日。\n"
    )
    assert out["speaker_title"] == "主席"
    assert out["doc_type"] == "讲话"


def test_a_cna_dateline_gives_the_day_in_the_stamp_month():
    """`（中央社記者…北京30日電）` under the stamp `2025/9/30 20:23`: the day alone, no date before."""
    out = _page(
        CNA.format(
            title="中共建政招待會 習近平談兩岸",
            lead="中共總書記習近平今晚在中共建政76週年招待會上宣稱，要深化兩岸交流合作。",
            more="在港澳方面，習近平說，新征程上要堅定不移貫徹「一國兩制」方針。",
        )
    )
    assert out["delivered_on"] == dt.date(2025, 9, 30)


# ------------------------------------------------------------------ wikisource


def test_wikisource_full_title_wins_over_its_short_header():
    out = _page(
        "中華民國大總統徐世昌在慶賀協約國勝利大會之演說\n\n在慶賀協約國勝利大會之演說\n中華民國大總統 徐世昌\n"
        "中華民國7年(1918年)11月28日\n\n  天祚吾民。使世界綿亙之戰役。忽焉吿蕆。\n"
    )
    assert out["title"] == "中华民国大总统徐世昌在庆贺协约国胜利大会之演说"


def test_a_news_leads_name_stops_before_suo_zuo_and_its_office_holds_no_clause():
    """`…听取和审议了国务院总理李克强所作的政府工作报告`: the lead's name was `李克强所` (所作 was no stop) and its
    office the clause before it (`人民代表大会第五次会议听取和审议了国务院总理`): a held-out NPC news page."""
    text = (
        "人大闭幕会表决通过关于政府工作报告的决议\n"
        "3月15日上午，第十二届全国人民代表大会第五次会议在人民大会堂举行闭幕会。会议表决通过了关于政府工作报告的决议。"
        "大会听取和审议了国务院总理李克强所作的政府工作报告。代表们认为，报告实事求是。\n"
    )
    out = E.extract_fields(text)
    assert out["speaker_name"] in (None, "李克强")
    assert out["speaker_title"] in (None, "国务院总理", "总理")
    name, office = E._news_speaker("3月15日上午，会议听取和审议了国务院总理李克强所作的政府工作报告。")
    # was ('李克强所', '会议听取和审议了国务院总理'); session 48: the premier whose report the session heard is no
    # speaker of the news item at all (its chair is, when the lead names one)
    assert name is None and office is None

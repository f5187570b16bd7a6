"""Session 49's fresh real pages (helper n4): news reports of a leader's speech or meeting — their speaker, office and
date. Every test failed on the code before its commit."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY = (
    "他說，今年是關鍵的一年，政府會繼續推動各項改革，照顧好每一個家庭，讓經濟發展的成果由全體市民共享。\n\n"
    "他又提到，面對外部環境的不確定性，社會各界要團結一致，共同把握新的發展機遇，推動產業轉型升級。\n"
)
BODY_SC = (
    "会议强调，要把思想和行动统一到党中央的决策部署上来，切实增强抓落实的责任感、紧迫感和主动性，确保各项任务落地见效。\n"
    "会议要求，各部门要按照既定的工作安排，全面对标对表，主动认领任务，制定落实方案，确保各项工作有力有序推进。\n"
)


# ------------------------------------------------------------------ a crawler's leading date field


@pytest.mark.parametrize(
    "lead",
    [
        "雙十國慶晚會在台中，賴清德總統到場致詞，他感謝負責籌辦的團隊，並強調要堅定守護民主自由與人權。",
        "總統賴清德今天出席國慶晚會並致詞表示，中華民國已經落地生根，要堅定守護民主自由與人權。",
    ],
)
def test_a_crawlers_date_field_dates_the_page_and_is_no_part_of_its_lead(lead):
    out = _page(f" date 2025-10-09 {lead}\n\n{BODY}")
    assert out["published_on"] == dt.date(2025, 10, 9)
    assert (out["speaker_name"], out["speaker_title"]) == ("赖清德", "总统")
    assert out["doc_type"] == "新闻报道"
    assert not (out["title"] or "").startswith("date")


def test_a_page_opening_on_another_english_word_keeps_its_text():
    out = _page(f"dated notes\n{BODY}")
    assert out["published_on"] is None


def test_the_crawlers_date_is_read_when_the_normalizer_cut_its_digits():
    # the stamp and a photo caption on the first line: the normalizer may leave `date` alone
    raw = f" date 2025-11-28 副總統蕭美琴28日出席點燈典禮。（記者王某攝）\n\n副總統蕭美琴出席點燈典禮並致詞，稱讚台灣是良善的福地。\n\n{BODY}"
    out = _page(raw)
    assert out["published_on"] == dt.date(2025, 11, 28)
    assert out["speaker_name"] == "萧美琴"


# ------------------------------------------------------------------ the record's url dates the page


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://www.ktsf.com/2019/12/20/macau-new-chief-executive/", dt.date(2019, 12, 20)),
        ("http://bfkb.example.cn/Html/2022-01-13/11048.html", dt.date(2022, 1, 13)),
        ("http://zhld.example.com/szb/pc/col/202209/06/content_177770.html", dt.date(2022, 9, 6)),
    ],
)
def test_a_url_date_is_the_pages_published_date(url, day):
    out = _page(f"8月31日，县委书记孔某主持召开党政联席会议。县长沈某等参加会议。\n{BODY_SC}", url=url)
    assert out["published_on"] == day


def test_a_page_stamp_wins_over_the_url_date():
    raw = f"发布时间：2022-09-07 10:00\n8月31日，县委书记孔某主持召开党政联席会议。县长沈某等参加会议。\n{BODY_SC}"
    assert _page(raw, url="http://x.example.com/202209/06/c_1.html")["published_on"] == dt.date(2022, 9, 7)


# ------------------------------------------------------------------ `今(X)日` and `今天` leads


@pytest.mark.parametrize(
    ("lead", "url", "day"),
    [
        (
            "國慶晚會今(5)日晚間在臺北登場，總統賴清德出席致詞時強調，要團結守護國家。",
            "https://n.example.tw/2024-10-05/1",
            5,
        ),
        (
            "總統賴清德今（28）日到台南市參拜，他在致詞中強調，台灣的表現關鍵在於團結。",
            "https://n.example.tw/2024-10-30/1",
            28,
        ),
        ("特區政府昨(4)日舉行酒會，行政長官李家超致辭時表示，香港前景光明。", "https://n.example.hk/2024-10-05/1", 4),
    ],
)
def test_a_bracketed_day_after_today_is_dated_by_the_url(lead, url, day):
    out = _page(f"{lead}\n\n{BODY}", url=url)
    assert out["delivered_on"] is not None and out["delivered_on"].day == day
    assert out["delivered_on"].month == 10 and out["delivered_on"].year == 2024


def test_a_bracketed_day_without_a_page_date_dates_nothing():
    lead = "總統賴清德今（28）日到台南市參拜，他在致詞中強調，台灣的表現關鍵在於團結。"
    assert _page(f"{lead}\n\n{BODY}", url="https://n.example.tw/news/1")["delivered_on"] is None


def test_a_bracketed_day_in_a_later_paragraph_dates_nothing():
    raw = (
        "總統賴清德到台南市參拜，他在致詞中強調，台灣的表現關鍵在於團結。\n\n" + BODY * 4 + "\n院會昨(3)日通過預算。\n"
    )
    assert _page(raw, url="https://n.example.tw/2024-10-05/1")["delivered_on"] is None


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("（中央社記者黃某新北22日電）副總統蕭美琴今天出席點燈典禮，稱讚台灣是良善的福地。", dt.date(2025, 11, 22)),
        ("副總統蕭美琴今晚到台南出席慶祝大會，蕭美琴致詞時表示，台灣是不可或缺的力量。", dt.date(2025, 11, 22)),
        ("(星島日報報道)昨天是國慶日，行政長官李家超與政府高層官員昨晨出席升旗儀式和國慶酒會。", dt.date(2025, 11, 21)),
    ],
)
def test_a_news_lead_today_is_the_pages_date(lead, day):
    out = _page(f" date 2025-11-22 新聞標題\n{lead}\n\n{BODY}")
    assert out["delivered_on"] == day


def test_a_speech_saying_today_is_not_dated_by_its_upload():
    raw = (
        "在全县经济工作会议上的讲话\n\n同志们：\n\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。\n"
        + BODY_SC
    )
    assert _page(raw, url="http://doc.example.com/2024-11-26/1.html")["delivered_on"] is None


# ------------------------------------------------------------------ leads without a date mark


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        (
            "澳門特區行政長官賀一誠在慶祝酒會致辭時表示，澳門特區將持續建立健全維護國家安全的法律制度。",
            "贺一诚",
            "行政长官",
        ),
        ("香港回歸28周年，特區政府舉行慶祝酒會，行政長官李家超致詞時提到香港正值經濟轉型期。", "李家超", "行政长官"),
        ("國務院總理李強主持召開經濟形勢專家和企業家座談會，聽取對當前經濟形勢的意見建議。", "李强", "总理"),
        ("雙十國慶晚會在台中，賴清德總統到場致詞，他感謝負責籌辦的團隊辛苦籌畫。", "赖清德", "总统"),
    ],
)
def test_a_lead_saying_who_spoke_or_presided_is_news(lead, name, office):
    out = _page(f"{lead}\n\n{BODY}")
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_a_speech_under_its_own_title_stays_a_speech():
    raw = (
        "在全市经济工作会议上的讲话\n\n市委书记张某某\n\n同志们：\n\n"
        "刚才，市长李某某主持召开了这次会议，市委副书记王某某致辞时表示要抓好落实。下面，我讲三点意见。\n" + BODY_SC
    )
    assert _page(raw)["doc_type"] != "新闻报道"


def test_a_quote_in_the_first_person_is_the_speakers():
    lead = "國慶晚會今(5)日晚間在臺北登場，總統賴清德出席致詞時強調，「我們是主權獨立的國家，我們要愛我們的國家」。"
    out = _page(f"{lead}\n\n{BODY}")
    assert out["doc_type"] == "新闻报道" and out["speaker_name"] == "赖清德"


def test_first_person_after_the_reporting_verb_is_the_speakers():
    lead = (
        "第16屆正副總統今(20)日上午就職後，晚上國宴在台南舉行。賴清德總統致詞時表示，他要感謝大家一起來台南參加國宴。"
    )
    out = _page(f"{lead}\n\n{BODY}")
    assert out["doc_type"] == "新闻报道" and (out["speaker_name"], out["speaker_title"]) == ("赖清德", "总统")


def test_a_speech_opening_in_the_first_person_is_no_news():
    raw = "3月5日，我们在这里隆重召开全县三级干部大会，市委书记张某某出席会议并讲话。\n" + BODY_SC
    assert _page(raw)["doc_type"] != "新闻报道"


# ------------------------------------------------------------------ who the lead names


def test_an_office_is_never_the_name():
    lead = "520總統副總統就職典禮明天登場，總統當選人賴清德今晚在慶賀團歡迎酒會上致詞時表示，感謝訪賓不遠千里而來。"
    out = _page(f"{lead}\n\n{BODY}")
    assert (out["speaker_name"], out["speaker_title"]) == ("赖清德", "总统当选人")


@pytest.mark.parametrize("office", ["韩国总统", "时任总统", "纪委书记", "宣传部长", "司法院长", "管委会主任", "台总统"])
def test_an_organ_or_a_country_before_an_office_is_no_name(office):
    assert E._name_before_office(office) is None


@pytest.mark.parametrize(
    ("office", "want"), [("赖清德总统", ("赖清德", "总统")), ("萧美琴副总统", ("萧美琴", "副总统"))]
)
def test_a_taiwanese_lead_names_the_person_before_the_office(office, want):
    assert E._name_before_office(office) == want


def test_the_first_of_those_who_went_is_the_speaker():
    lead = "(星島日報報道)昨天是國慶日，行政長官李家超與政府高層官員昨晨出席升旗儀式和國慶酒會，李家超在致辭時表示，國家發展一年比一年好。"
    out = _page(f"李家超：港遇強愈強\n{lead}\n\n{BODY}")
    assert (out["speaker_name"], out["speaker_title"]) == ("李家超", "行政长官")


def test_a_guest_list_joined_by_and_names_no_speaker():
    zone = "賴清德上台後，先向韓國瑜、盧秀燕、僑委會委員長徐佳青、立法院副院長江啟臣與其他立委問好，並致詞感謝。"
    assert E._news_speaker(E.to_half(normalize_text(zone).text))[0] != "江启臣"


# ------------------------------------------------------------------ round two: president.gov.tw, district news


PRESIDENT_PAGE = (
    "跳到主要內容\n\n新聞與活動\n\n總統府新聞\n\n{date}\n副總統出席頒獎典禮\n\n{lead}\n\n副總統致詞時表示，{body}"
)


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        ("吳敦義副總統上午前往臺中市，由總會長張某等陪同，出席商會聯合總會第19屆年會。", "吴敦义", "副总统"),
        ("陳建仁副總統「聖誼專案」一行於當地時間上午抵達羅馬，由駐教廷大使李某迎接。", "陈建仁", "副总统"),
    ],
)
def test_a_taiwanese_lead_opening_on_name_and_office_is_news(lead, name, office):
    out = _page(PRESIDENT_PAGE.format(date="101年07月21日", lead=lead, body=BODY))
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_a_surname_and_the_offices_own_vice_is_no_name():
    lead = "副總統蕭美琴今天出席婦女協會活動表示，協會是台灣少有的非政府組織。\n\n蕭副總統上午出席週年慶祝大會，她以英文致詞。"
    out = _page(f"{lead}\n\n{BODY}")
    assert (out["speaker_name"], out["speaker_title"]) == ("萧美琴", "副总统")


@pytest.mark.parametrize(
    ("line", "day"), [("101年07月21日", dt.date(2012, 7, 21)), ("98年1月5日", dt.date(2009, 1, 5))]
)
def test_an_roc_date_alone_on_its_line_is_the_pages_date(line, day):
    lead = "吳敦義副總統今(21)日上午出席商會年會時表示，臺商對國家做出很大的貢獻。"
    out = _page(PRESIDENT_PAGE.format(date=line, lead=lead, body=BODY))
    assert out["published_on"] == day


def test_an_roc_date_inside_a_sentence_is_no_page_date():
    raw = "總統府新聞\n\n副總統表示，101年07月21日起實施新制。\n\n" + BODY
    assert _page(raw)["published_on"] is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://m.news.example.cn/n/201603/309306.html", dt.date(2016, 3, 15)),
        ("http://yc.example.com/mrtt/201812/t4207143.shtml", dt.date(2018, 3, 15)),
        # a lead after the folder's month contradicts it: no date
        ("http://m.news.example.cn/n/201701/1.html", None),
    ],
)
def test_a_url_year_month_folder_gives_a_lead_its_year(url, day):
    raw = "3月15日，区委书记杨某某主持召开区委常委会，传达学习有关文件，研究当前有关工作。\n" + BODY_SC
    out = _page(raw, url=url)
    assert out["delivered_on"] == day
    assert out["published_on"] is None  # the folder dates no page


def test_a_studied_speech_is_no_speaker():
    raw = (
        "10月23日上午，区委常委会召开第138次(扩大)会议，传达习近平总书记近期重要讲话、重要指示精神，研究贯彻落实意见。"
        "区委书记张某某主持会议并讲话，区领导于某某等出席会议。\n" + BODY_SC
    )
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == ("张某某", "区委书记")


def test_a_january_folder_dates_a_december_lead_the_year_before():
    raw = "12月28日，区委书记杨某某主持召开区委常委会，传达学习有关文件，研究当前有关工作。\n" + BODY_SC
    assert _page(raw, url="http://m.news.example.cn/n/201701/1.html")["delivered_on"] == dt.date(2016, 12, 28)


# ------------------------------------------------------------------ a government's party group keeps its organ


@pytest.mark.parametrize(
    ("office", "want"),
    [
        ("县政府党组书记、县长", "县政府党组书记、县长"),
        ("市政府党组书记、市长", "市政府党组书记、市长"),
        ("省人民政府省长", "省长"),  # the government before its own head: still cut
    ],
)
def test_a_governments_party_group_keeps_its_organ(office, want):
    assert E._strip_jurisdiction(office) == want


def test_a_news_lead_keeps_the_governments_party_group():
    raw = "3月21日，县政府党组书记、县长吴某某主持召开县政府党组会议，传达学习全国“两会”精神。\n" + BODY_SC
    assert _page(raw)["speaker_title"] == "县政府党组书记、县长"


# ------------------------------------------------------------------ a url's date is the day a copy was posted


REPORT_COPY = (
    "某县政府工作报告\n\n各位代表：\n\n现在，我代表县人民政府，向大会报告政府工作，请予审议。\n\n一、2014年工作回顾\n\n"
    "过去的一年，全县上下团结一心，经济社会保持平稳健康发展，地区生产总值增长百分之八，城乡居民收入稳步提高。\n\n"
    "二、2015年主要目标任务\n\n今年政府工作的主要预期目标是：地区生产总值增长百分之七左右，城乡居民收入与经济增长同步。\n"
)


def test_a_report_dated_by_its_upload_path_alone_keeps_the_year_it_plans_for():
    """book118's `/html/2019/0312/…`: the day a copy was uploaded is its published_on, not the 2015 report's year."""
    out = _page(REPORT_COPY, url="https://max.book118.com/html/2019/0312/5012133300002014.shtm")
    assert out["published_on"] == dt.date(2019, 3, 12)
    assert out["doc_type"] == "政府工作报告"
    assert out["year"] == 2015


def test_a_report_whose_plan_year_is_after_its_upload_keeps_the_urls_year():
    """A plan year later than the upload is no report's own year (a five-year plan's target)."""
    page = REPORT_COPY.replace("2014年工作回顾", "过去一年工作回顾").replace("2015年主要目标任务", "2030年远景目标")
    out = _page(page, url="https://max.book118.com/html/2019/0312/5012133300002014.shtm")
    assert out["year"] == 2019

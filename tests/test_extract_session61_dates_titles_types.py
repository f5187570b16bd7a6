"""Dates, titles and types a careful reader gets right and the extractor did not (session 61's fresh pages, nineteenth
round): National Day and New Year events dated by their own name, a lead's slashed day, chrome and labels over titles."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


REST = (
    "市長某某某表示，今天大家來到市政中心前的廣場，以充滿朝氣的精神共同迎接新的開始，感謝市議會各議員及市民對市政的監督與建議。"
    "他期許市府團隊繼續一起為城市的發展而努力。\n"
)


def test_a_national_day_event_named_with_its_roc_year_dates_the_lead_on_the_tenth():
    # the day after the event's name (`…106年雙十國慶,10日上午…`), no page date: ROC 106 = 2017
    raw = (
        "雙十國慶升旗典禮 市府要打造某某爲宜居幸福城市\n"
        "某某市政府慶祝中華民國106年雙十國慶,10日上午7時在市府旁廣場舉辦「某某市慶祝106年雙十國慶升旗典禮」,"
        "由代理市長某某某率市府團隊,市議員、市民也熱情參與,與大家共同歡度國慶。\n" + REST
    )
    f = _fields(raw)
    assert f["delivered_on"] == dt.date(2017, 10, 10)
    assert f["year"] == 2017


def test_a_new_year_event_whose_day_follows_it_and_whose_zero_is_a_digit():
    # `一一0年` (the zero typed as a digit) and the day after the event's name, `1日分別在…`
    raw = (
        "【某某記者某某某報導】某某市政府慶祝一一0年元旦升旗典禮活動,1日分別在新營區綠都心公園及市政中心,"
        "市長某某某率領市府團隊、民代及市民參與升旗,揮舞小國旗。\n" + REST
    )
    assert _fields(raw)["delivered_on"] == dt.date(2021, 1, 1)


def test_a_holiday_day_the_lead_announces_or_a_western_national_day_is_no_delivery():
    announced = (
        "某某市政府慶祝一一0年元旦升旗典禮活動,1日上午將在市政中心廣場舉行,市長某某某歡迎市民踴躍參加,一同迎接新的一年。\n"
        + REST
    )
    assert _fields(announced)["delivered_on"] is None
    # 国庆 with a Western year: the PRC's 1 October or the ROC's 10th, unsaid
    western = (
        "某某市政府慶祝2020年國慶,10日上午在市府廣場舉辦升旗典禮,市長某某某率市府團隊與市民一同參與升旗。\n" + REST
    )
    assert _fields(western)["delivered_on"] is None


def test_a_leads_day_slashed_in_brackets_is_its_day():
    raw = (
        "「2024親子樂活健康齊步走」 與鄉親同樂迎接嶄新的一年\n\n某某新傳媒/ 2024.01.01 16:10\n\n記者某某某/花蓮報導\n"
        "某某鄉公所今(1/1)日上午在希望公園舉辦「2024親子樂活健康齊步走」活動,縣長某某某、鄉長某某某與鄉親共同參與升旗,"
        "高唱國歌,用滿滿的活力與熱情迎接2024年第一個美麗早晨。\n" + REST
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2024, 1, 1)
    assert f["delivered_on"] == dt.date(2024, 1, 1)


def test_a_doc_sites_upload_date_run_into_its_column_is_the_pages_date():
    raw = (
        "乡镇领导致辞\n\n某某网\n\n2025-07-10演讲稿\n\n欢迎阅读乡镇领导致辞(精选4篇),内容由某某网整理,希望对大家有所帮助。\n\n"
        "乡镇领导致辞 篇1\n\n各位老师,同志们:\n\n你们好!\n\n今天,我们在这秋高气爽、桃李金黄的九月欢聚一堂,隆重庆祝第二十七个教师节。"
        "首先,我代表乡党委和政府向取得优异成绩的各位模范教师表示热烈祝贺!\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2025, 7, 10)
    assert f["delivered_on"] is None
    # a dateline's place after the date is no column
    speech = (
        "在全县工作会议上的讲话\n2019-03-05在县委礼堂\n同志们:\n今天,我们召开全县工作会议,主要任务是部署今年的工作。\n"
    )
    assert _fields(speech)["published_on"] is None


def test_an_organ_acting_on_its_day_under_a_reporters_byline_is_a_news_report():
    raw = (
        "某某新聞網\n\n某某縣府舉辦97年新春團拜茶會\n\n記者某某某/彰化報導\n2008.02.15\n"
        "某某縣政府於今天舉辦「某某縣各界97年新春團拜茶會」,現場與會嘉賓雲集,各機關單位以及社團代表共襄盛舉。 "
        "縣長某某某首先以「一元復始,萬象更新」來向各界拜年,也代表縣政府歡迎各界嘉賓共襄盛舉。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["published_on"] == dt.date(2008, 2, 15)
    assert f["delivered_on"] == dt.date(2008, 2, 15)


def test_a_back_to_top_link_and_a_portals_trends_are_no_title():
    raw = (
        "回到頂端\n|||\n熱門: 某某某 某某某 地震\n\n「2024親子樂活健康齊步走」 與鄉親同樂迎接嶄新的一年\n\n"
        "某某新傳媒/ 2024.01.01 16:10\n\n記者某某某/花蓮報導\n"
        "某某鄉公所今(1/1)日上午在希望公園舉辦「2024親子樂活健康齊步走」活動,縣長某某某與鄉親共同參與升旗。\n" + REST
    )
    assert _fields(raw)["title"] == "「2024亲子乐活健康齐步走」 与乡亲同乐迎接崭新的一年"


def test_a_reference_entrys_source_label_is_no_title():
    raw = (
        "当前位置:首页 > 经典书库 > 中国文书大典\n\n祝酒词\n\n"
        "出处:按学科分类—社会科学总论 某某出版社《中国文书大典下卷》第2414页(4719字)\n\n【简介】:\n\n"
        "祝酒词,即是指外宾来访期间,在欢迎宴会、答谢宴会或告别宴会上,主、宾所作的致词。它属涉外致词类文书。\n"
    )
    assert not (_fields(raw)["title"] or "").startswith("出处")


def test_a_photo_albums_date_before_the_headline_is_no_part_of_it():
    raw = (
        "20100907-兩鄉一鎮昨在烈嶼聯誼\n2010/9/7\n記者某某某/烈嶼報導\n"
        "兩鄉好,加一鎮。某某鄉公所和鄉民代表會昨天聯袂至烈嶼鄉拜會參訪,增進彼此情誼;烈嶼鄉長某某某、某某鄉長某某某,"
        "他們希望三鄉鎮未來增加互訪和交流。\n"
    )
    assert _fields(raw)["title"] == "两乡一镇昨在烈屿联谊"


BLOG = (
    "页面\n\n2012年11月18日星期日\n\n某某的青春岁月\n\n某某的青春岁月\n\n\n"
    "2012年深秋,本报记者走访了某某村、某某县,探寻他在基层的成长轨迹,他嗜书如命,每日读书至深夜。\n\n"
    "他挑粪、拉煤、打坝、种地,经历过最穷苦的生活,却将其视为珍贵人生财富。\n"
    + "他待人谦和,踏实肯干,思想意识超前,这些待人处事的品格,成为他以后走向领导岗位的优质种子。\n"
    * 8
)


def test_a_blogs_weekday_date_header_in_its_urls_month_is_the_posts_date():
    assert _fields(BLOG, url="http://someone.blogspot.com/2012/11/blog-post_2094.html")["published_on"] == dt.date(
        2012, 11, 18
    )


def test_a_weekday_date_header_the_url_does_not_agree_with_is_a_sites_clock():
    assert _fields(BLOG, url="http://someone.blogspot.com/2013/02/blog-post_2094.html")["published_on"] is None
    assert _fields(BLOG)["published_on"] is None


def test_a_receptions_address_to_its_guests_tonight_is_an_address():
    raw = (
        "尊敬的各位来宾,\n女士们、先生们、朋友们:\n欢迎大家莅临今晚的招待会,共同庆祝即将到来的新春佳节。明天就是农历腊月三十,中国传统“除夕”。"
        "我谨代表使馆向各位来宾致以新春的问候和祝福,给大家拜年啦!\n女士们、先生们,\n刚刚过去的一年,无论是好还是坏,都是令人难忘的。\n"
    )
    assert _fields(raw)["doc_type"] == "致辞"

"""Titles a careful reader gives and the extractor missed (session 56's fresh pages, fourteenth round)."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# A Macau paper's page (session 56's fresh pages): the site's greeting and toolbar stand above the headline; the first
# of them, sharing no word with the article, was the title.
def test_a_greeting_and_toolbar_above_the_headline_are_chrome():
    raw = (
        "您好!今天是\n設為主頁收藏本頁\n社交網站:\n今日導讀\n本報新聞\n字體: 放大 還原 縮小\n"
        "政府總部下周六日對外開放\n"
        "    【特訊】政府總部將於本月十七日(周六)及十八日(周日)向公眾開放,市民和遊客除可參觀政府總部的裝潢和各式擺設外,"
        "還可欣賞豐富表演節目。\n"
        "    政府總部開放日時間為上午九時至下午六時,中午不休息,歡迎市民和遊客屆時蒞臨參觀,參觀期間需全程佩戴口罩。\n"
    )
    assert _fields(raw)["title"] == "政府总部下周六日对外开放"


# A county office's reprint of a People's Daily feature: its column's name (`社会广角`) above the headline.
def test_a_column_name_above_the_headline_is_no_title():
    raw = (
        "社会广角\n当前位置: > 阅览室 > 社会广角 >\n\n县委书记的一天(人民观察)\n\n"
        "记者  某某某  某某某        来源:人民网\n\n"
        "  县委书记到底是怎样的一群?他们每天在想些什么,忙些什么?本网记者分赴五个县,跟踪采访当地县委书记,"
        "观察他们的工作和生活状况,倾听他们的心声。\n"
        "  让我们一起走近县委书记,走进他们的内心世界,看一看县委书记的一天是怎样度过的。\n"
    )
    assert _fields(raw)["title"] == "县委书记的一天(人民观察)"


# A Taiwanese portal's menu above an untitled item (kingtop.com.tw): no line of the menu is its title.
def test_a_menu_run_above_an_untitled_article_gives_no_title():
    raw = (
        "114全運在雲林\n嘉市潮選店\n日本沖繩月\n雲林縣政府文化觀光處\n光織影舞\n業配廠商\n\n"
        "【嘉雲特派員某某某/嘉義縣報導】五合一選舉落幕,順利連任的縣長某某某今天(30日)銷假上班,"
        "抵達縣府時受到同仁熱情歡迎,翁縣長在中庭致詞時,除向同仁報告自己回來上班,也分享此次選舉開票結果!\n"
        "翁縣長強調,勝選象徵著鄉親對縣府團隊的期待與鼓勵,這場選戰能夠打贏,是因過去4年縣府團隊努力工作。\n"
    )
    assert _fields(raw)["title"] is None


# tainan.gov.tw: a weather widget's label (`今日氣溫`, twice) above the release's headline.
def test_a_widget_label_repeated_above_the_headline_is_chrome():
    widget = "晴天\n今日氣溫\n28 ~ 30\n  • 臺南\n    AQI\n    134\n    對敏感族群不健康\n"
    raw = (
        f"跳到主要內容區塊\n{widget}{widget}\n迎台南400元旦升旗 某某某感恩各界共創宜居城市\n\n"
        "發稿單位: 新聞及國際關係處\n\n"
        "迎接113年元旦新年到來,台南市政府今(1)日一早在西拉雅廣場舉行升旗典禮。由台南市長某某某率領市府團隊參與,"
        "與市民朋友一同為新的一年揭開序幕。\n"
        "某某某表示,今天是台南400的第一天,期盼城市有更好的發展,感謝各界默默奉獻的英雄,元旦升旗典禮圓滿完成。\n"
    )
    assert _fields(raw)["title"] == "迎台南400元旦升旗 某某某感恩各界共创宜居城市"


# A short title that shares little with its text keeps its place: a byline under it is no menu.
def test_a_short_title_over_its_byline_stays():
    raw = (
        "新春献词\n某某某\n2024年1月1日\n\n"
        "亲爱的朋友们:\n岁序更替,华章日新。在这辞旧迎新的美好时刻,我谨代表市委、市政府,向全市广大干部群众致以新年的祝福!\n"
        "过去的一年,我们坚持稳中求进,经济运行持续向好,民生福祉不断增进,各项事业取得了新的成绩。\n"
    )
    assert _fields(raw)["title"] == "新春献词"


# A radio station's page title joins its name, its channel and the headline; the headline stands below as a line too.
def test_a_banner_joining_site_channel_and_headline_gives_the_headline():
    raw = (
        "非凡音廣播電台 LIBRA RADIO FM98.5 - 焦點新聞 - 連江縣第8屆縣長某某某宣誓就職\n\n帳號:\n密碼: 忘記密碼\n\n"
        "> HOME > 活動公告 > 焦點新聞\n\n連江縣第8屆縣長某某某宣誓就職\n焦點新聞   2022-12-26\n\n"
        "    連江縣25日上午舉行第8屆縣長交接典禮,新任縣長某某某感謝前縣長任內貢獻,站在團隊既有基礎上,"
        "繼續開創更遠大、更前瞻的縣政。\n"
        " 縣長就職典禮昨天上午9時在介壽國中小大禮堂舉行,由僑務委員會委員長擔任監交,縣府局處首長到場觀禮及祝賀。\n"
    )
    assert _fields(raw)["title"] == "连江县第8届县长某某某宣誓就职"


# wenke99's SEO heading (session 56's fresh pages): the title twice, the second time without its year, then another
# phrasing of it after a space, all run into the salutation.
def test_a_doc_sites_seo_heading_gives_its_first_phrasing_once():
    raw = (
        "2022院长在开学典礼上的讲话院长在开学典礼上的讲话 校长在开学典礼上发言稿 老师们、同学们:大家好!"
        "虎步奔腾开胜景,春风浩荡展鸿图!度过喜悦、祥和、温情四溢的寒假,带着新的心情、新的希望、新的目标迎来了新的学期。"
        "一年之计在于春,这个春天我们有机遇又有挑战。\n"
    )
    assert _fields(raw)["title"] == "2022院长在开学典礼上的讲话"


def test_a_title_naming_its_speaker_before_a_space_is_no_seo_heading():
    raw = "某某某 在全县经济工作会议上的讲话\n同志们:\n今天我们召开全县经济工作会议,总结去年工作,部署今年任务。\n"
    assert _fields(raw)["title"].endswith("在全县经济工作会议上的讲话")  # its speaker's part is not a phrasing


# The prose's character pairs are tested as substrings of its Han run, not built as a set (session 57): the counts must
# be those of the set of adjacent pairs, a pair spanning two prose lines and Traditional lines included.
def test_agreement_by_substring_equals_the_set_of_prose_pairs():
    import re

    from tasks.extract import _agreement, _prose_han
    from tasks.extract_text import simplify
    from tasks.vocab import HAN, HAN_RE

    prose = (
        "【特訊】政府總部將於本月十七日(周六)及十八日(周日)向公眾開放,市民和遊客除可參觀政府總部的裝潢和各式擺設外,還可欣賞。\n"
        "短行不算\n"
        "開放日時間為上午九時至下午六時,中午不休息,歡迎市民和遊客屆時蒞臨參觀,參觀期間需全程佩戴口罩,ok 123。\n"
    )
    flat = "".join(x for x in prose.splitlines() if len(x.strip()) >= 40)
    han = "".join(HAN_RE.findall(simplify(flat)))
    pairs = {han[i : i + 2] for i in range(len(han) - 1)}
    assert "赏开" in pairs  # the two lines' run: 欣賞。 then 開放日
    for line in ("政府總部下周六日對外開放", "今日氣溫", "短行不算", "赏开", "ok", "欣赏 开放 口罩", ""):
        own = {r[i : i + 2] for r in re.findall(rf"[{HAN}]+", simplify(line)) for i in range(len(r) - 1)}
        assert _agreement(line, _prose_han(prose)) == (len(own & pairs), len(own)), line
    assert len(_prose_han("短\n" + "a" * 50 + "政\n")) < 2  # no pair: the first line is not weighed

"""Types and dates a careful reader gets right and the extractor did not (session 58's fresh pages, sixteenth round):
a Taiwanese township item's lead whose day is a word (日昨, 今天)."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# a photo caption above the lead, as yahoo's copies of local papers have it; the crawler's date field opens the page
YESTERDAY = (
    " date 2025-12-27 某某鄉公所舉辦元旦升旗典禮健行，鄉長某某某在記者會歡迎鄉親參加。（記者某某某攝）\n\n"
    "某某鄉公所日昨在三樓禮堂舉行元旦活動宣傳記者會，由幼兒園小朋友表演舞蹈開場，現場並展示優質農特產品。\n\n"
    "鄉長廖秋芳、鄉民代表會主席某某某及代表們踴躍出席共同代言行銷。\n\n"
    "廖鄉長表示，元旦一早七點將在公園現場發放毛巾、水、餐包等一千四百份活動物品，發完為止。\n"
)


def test_a_subject_with_its_day_in_words_opens_a_news_lead():
    f = _fields(YESTERDAY)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("廖秋芳", "乡长")


def test_rizuo_is_the_day_before_the_pages():
    assert _fields(YESTERDAY)["delivered_on"] == dt.date(2025, 12, 26)


def test_a_speech_saying_today_is_no_news_lead():
    raw = (
        "同志们：\n"
        "我们今天在这里隆重举行全县经济工作会议，主要任务是总结去年工作，部署今年任务。\n"
        "刚才，县长同志作了讲话，我完全同意。\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"


def test_a_verb_where_the_heads_name_would_stand_is_no_speaker():
    # the lead's day word now opens a news lead: `…補選的鄉長舉行宣誓就職典禮` left the head unnamed (anonymized), and
    # `举行宣誓` was read as his name with `今天为乌坵乡补选的乡长` for his office
    raw = (
        "金門縣政府今天為烏坵鄉補選的鄉長舉行宣誓就職典禮，金門縣長某某某到場致意。\n"
        "金門縣政府秘書表示，期盼新任鄉長深入民瘼，金門縣府將全力支持。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["speaker_name"] != "举行宣誓"


def test_a_lost_indent_before_the_lead_and_its_speaker():
    # `???` is a copy's lost U+3000 indent: the wire mark and the speaking clause behind it were not read
    raw = (
        "??? 本報訊 (記者王明) 7月27日,市委常委、政法委書記劉兆明帶領市協調督導組來我縣就縣域經濟發展進行調研。"
        "縣領導馬善明、王建明參加座談。\n"
        "??? 縣委書記馬善明向協調督導組簡要介紹了我縣縣域經濟發展情況,馬善明說,全縣經濟社會呈現出良好發展態勢。\n"
        "??? 劉兆明在講話中指出,實施加快縣域經濟發展市級領導協調督導機制是一項重要戰略部署。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("刘兆明", "市委常委、政法委书记")

"""Dates and types a careful reader gets right and the extractor did not (session 60's fresh pages, eighteenth round):
New Year's flag-raisings dated by their own event, previews dated by the day they were filed."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


REST = (
    "縣長某某某表示，升旗典禮不僅是新年的開始，更是縣府與鄉親攜手並肩、迎向更繁榮未來的重要象徵。他強調，縣府團隊在過去三年"
    "積極推動公共建設、觀光發展、社福照護及交通改善，地方的進步每天都在發生。\n"
)


def test_a_new_year_event_named_with_its_year_dates_the_lead_on_the_first():
    # no page date: the day alone (`1日清晨`) and the year only in the event's name (ROC 115 = 2026)
    raw = (
        "某某縣元旦升旗 縣長某某某 象徵奔馳向前\n"
        "(特派員某某/某某報導)某某縣政府1日清晨,再度回到縣府第一辦公大樓前廣場,舉辦「115年某某縣元旦升旗典禮」,"
        "縣長某某某率領縣府團隊與鄉親齊聚一堂,共同高唱國歌、參與升旗,場面莊嚴而感人。\n" + REST
    )
    f = _fields(raw)
    assert f["delivered_on"] == dt.date(2026, 1, 1)
    assert f["year"] == 2026


def test_the_year_and_day_written_in_chinese_numerals():
    raw = (
        "某某元旦升旗 以「旗開得勝」為主軸\n記者某某某／某某報導\n"
        "某某縣政府一日清晨，在縣府前廣場舉辦「一一五年某某縣元旦升旗典禮」，今年典禮以「旗開得勝」為主軸。\n" + REST
    )
    assert _fields(raw)["delivered_on"] == dt.date(2026, 1, 1)
    raw = "某某鄉公所今(一)日上午在國小操場舉行民國103年元旦升旗典禮，約500位民眾參與，開心迎接新的一年。\n" + REST
    assert _fields(raw)["delivered_on"] == dt.date(2014, 1, 1)


def test_a_new_year_event_announced_is_no_delivery():
    # a preview posted before the day (2025-12-19 for 115年一月一日), and one announcing the day with 将 (no page date)
    raw = (
        " date 2025-12-19 某某鄉公所舉辦「一一五年元旦升旗典禮活動」，鄉長某某某歡迎鄉親朋友一同前來共襄盛舉。\n\n"
        "為迎接二O二六年到來，某某鄉公所於一一五年一月一日上午八時在國小操場，舉辦「一一五年元旦升旗典禮活動」，"
        "鄉長某某某將帶領各界代表及鄉民朋友們齊唱國歌向國旗致敬。\n\n" + REST
    )
    assert _fields(raw)["delivered_on"] is None
    raw = (
        "與台中之光迎新年 中市府元旦邀選手領唱國歌\n"
        "迎接111年到來,台中市政府明年1月1日上午7時35分將在市政大樓府前廣場舉行台中市111年元旦升旗典禮,"
        "邀請柔道好手某某某一同領唱國歌,唱出市民的光榮與驕傲。\n" + REST
    )
    assert _fields(raw)["delivered_on"] is None


def test_a_wire_preview_is_not_dated_by_its_dateline():
    raw = (
        "桃園升格六都 送3千紀念T恤\n\n中央社/ 2014.12.24 00:00\n"
        "(中央社記者某某某桃園24日電)桃園市長當選人某某某明天就職,由於也是桃園市正式升格,除了有揭牌、慶祝表演活動外,"
        "預計送出3000件「升格紀念T恤」。\n\n某某某預計明天上午9時,參加在桃園市政府大禮堂所舉行的就職儀式,隨即到市長辦公室簽核視事公文。\n\n"
        "某某某表示,明天是桃園升格日,在市府前廣場舉辦升格典禮,將是「簡單、隆重,卻很不一樣」。\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2014, 12, 24)
    assert f["delivered_on"] is None
    raw = (
        "某某就任典禮流程公布:將邀千名市民草地野餐\n\n2018年12月19日 13:49:00來源:中國臺灣網\n\n"
        "  中國臺灣網12月19日訊 據臺灣“東森新聞云”報道,臺中將舉辦首次“草地就職典禮”,準臺中市長某某某宣布25日就職典禮移到"
        "戶外,邀請市民一同吃早餐。準臺中新聞局長某某某表示,有別于傳統在市府禮堂舉辦就職,因此將典禮選在戶外舉辦。\n"
    )
    assert _fields(raw)["delivered_on"] is None


def test_a_wire_lead_on_its_event_keeps_its_day():
    # the event held on the dateline's day, a later plan only after it: the dateline dates it as before
    raw = (
        "新华社北京3月17日电 国务院总理李强3月17日主持召开新一届国务院第一次全体会议。会议宣布国务院领导同志分工和国务院机构"
        "设置，审议通过新修订的《国务院工作规则》，对政府工作作出部署，将于近期印发。李强强调，要坚定维护党中央权威。\n"
        "李强指出，本届政府任期的五年，是全面建设社会主义现代化国家开局起步的关键时期。\n"
    )
    f = _fields(raw, url="http://example.cn/2023-03/17/c_1.htm")
    assert f["delivered_on"] == dt.date(2023, 3, 17)


NEW_YEAR_OPENING = (
    "日月开新元,万象启新篇。值此万家团圆、欢乐祥和的美好时刻,我谨代表中共某某县委、某某县人民政府,向全县广大干部群众,"
    "向所有关心和支持某某经济社会发展的各界人士,致以诚挚的问候和新春的祝福!\n"
    "2023年,是某某发展进程中极不寻常、极其难忘的一年,我们直面挑战、攻坚克难,取得了沉甸甸的收获。\n"
)


def test_a_new_year_address_to_the_folk_is_an_address():
    # untitled: the folk greeted with 同志们 and the festival's greeting, never a 讲话 for its 同志们
    assert _fields("各位父老乡亲、同志们、朋友们:\n" + NEW_YEAR_OPENING)["doc_type"] == "致辞"
    raw = (
        "尊敬的各位老乡:\n每逢佳节倍思亲。值此戊戌新春即将到来之际,我们谨代表中共某某县委、某某县人民政府和52万家乡人民,"
        "把我们无尽的牵挂和真诚的祝福,送给远在他乡的各位某某老乡。\n故乡山水远,两情总相依。多年来,大家在他乡异土奋斗拼搏。\n"
    )
    assert _fields(raw)["doc_type"] == "致辞"


def test_the_folk_greeted_without_a_festival_stay_a_speech():
    raw = (
        "各位父老乡亲、同志们:\n今天,我们在这里召开全镇防汛工作动员大会,主要任务是安排部署今年的防汛工作。下面,我讲三点意见。\n"
        "一、提高认识,切实增强做好防汛工作的责任感。\n"
    )
    assert _fields(raw)["doc_type"] == "讲话"


def test_a_credited_photo_caption_above_the_lead_is_not_the_lead():
    # the lead's day alone (`30日`) in the stamp's month, under a photo's caption that has a comma of its own
    raw = (
        "正聲新聞\n\n記者 097202\n發佈於:2023-1-30 20:41:35\n\n【記者某某某/臺中報導】\n\n"
        " 台中市長某某某(中)率副市長某某某及市府一級機關首長拜晚年,祝市政昌隆、錢兔似錦!(記者某某某攝)-正聲新聞\n\n"
        " 30日新春開工首日,台中市長某某某率副市長某某某及市府一級機關首長拜晚年,某市長表示,今年開工團拜兩大特別,"
        "一是史上最長年假後舉行,二是近三年來首次恢復舉辦,她非常開心、充滿感激。\n"
        "「台中市各界新春聯合團拜」今日在市府台灣大道市政大樓惠中樓1樓中庭舉行,現場以台中盛產的花卉為主要布置。\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2023, 1, 30)
    assert f["delivered_on"] == dt.date(2023, 1, 30)

"""Types and dates a careful reader gets right and the extractor did not (session 59's fresh pages, seventeenth round):
a Taiwanese lead's `今(3)日` below a site's menu, an e-paper reader's clock over its page, a eulogy, a writing guide
with its example, and a sentence's date with its clock."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


MENU = "".join(f"  • 欄目{k}\n" for k in "一二三四五六七") + "沒有結果\n查看所有結果\n"


def test_a_bracketed_day_below_a_sites_menu_dates_the_lead():
    raw = (
        "某某傳媒\n" + MENU + MENU + "Home 新聞區\n\n某某縣政府新春團拜，縣長某某某揭示未來發展願景\n\n2025-02-03\n"
        "發布在 新聞區, 藝術人文\n\n某某新聞-某某某/嘉義\n\n"
        "某某縣政府今(3)日在府前舉辦新春團拜，縣議長某某某及縣府團隊共同出席互道新年恭喜，向各界拜年。\n\n"
        "縣長某某某表示，新春團拜感謝縣府團隊一年來的努力，多項重大建設將會陸續落成。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2025, 2, 3)


def test_a_date_over_a_weekday_alone_is_the_readers_clock():
    # an e-paper reader's clock of the day it was read (2026) over a 2024 New Year address dated `02-09` only
    raw = (
        "电子报阅读机\n2026-01-25\n星期日\n当前报纸名称:某某日报\n\n新春献词\n\n日期:02-09\n字号:\n\n"
        "  市委书记 某某某\n\n  市长 某某某\n\n"
        "  岁序更替，华章日新。在农历甲辰龙年新春佳节到来之际，我们代表中共某某市委、某某市人民政府，向全市人民致以新春的"
        "问候和美好的祝福！\n"
    )
    f = _fields(raw)
    assert f["published_on"] is None
    assert f["year"] is None


def test_a_eulogy_is_an_address():
    raw = (
        "局长的悼词\n同志们、朋友们：\n今天我们怀着无比沉痛的心情，悼念一位德高望重的老前辈，XXX同志。\n"
        "XXX同志，您一路走好！\n"
    )
    assert _fields(raw)["doc_type"] == "致辞"


def test_a_writing_guide_with_its_example_is_no_speech():
    raw = (
        "悼词写法及范文\n日期:2024-05-21 08:04\n悼词，在为逝者举行的追悼会上所作的讲话或文章，专用于对逝者的哀悼。\n范文\n"
        "同志们、朋友们：\n今天，我们怀着十分沉痛的心情深切悼念离休干部***同志。\n"
    )
    assert _fields(raw)["doc_type"] is None


def test_a_sentences_date_and_clock_is_no_page_stamp():
    # the second example's death `於2006年7月29日12時10分病逝`, cut from its sentence, passed for a page stamp
    raw = (
        "局長的悼詞\n各位領導、各位來賓:\n白紗垂首,大地嗚咽。\n"
        "今天我們懷著無比沉痛的心情,悼念一位德高望重的老前輩,一位備受尊敬的老領導,XXX同志。\n"
        "XXX同志是黨的好干部、是單位的好領導。為人忠厚,襟懷坦誠;團結同志,平易近人;嚴于律己,寬以待人。\n"
        "XXX同志是一位好父親、是一位慈祥的長者。尊老愛幼,齊家嚴謹,是我們學習的楷模。\n"
        "XXX同志一生盡付于XX大地,甘灑青春熱血,勤奮努力,鞠躬盡瘁,為XX發展做出卓越功績。\n"
        "XXX同志堅持原則,顧全大局;處事公道,做事公正;為官廉正,為人清白。\n"
        "XXX同志言行相隨,堪稱典范,樹立了黨員領導干部的良好形象,深受廣大干部群眾的尊重。\n"
        "XXX同志對老人“孝”字為先,對妻子呵護備至,對子女嚴慈相濟,對親朋下屬關愛有加。\n"
        "XXX大地作紙,XX河水為墨,道不盡XX老的高風亮節,載物厚德,訴不完我們無窮的哀思。\n"
        "哀思情切,愁腸欲斷,肝膽俱裂,悲痛欲絕,昊天昏暗,親朋愴然。\n"
        "斯人已去,長歌當哭,生死永別,伏惟尚饗。\n"
        "XXX同志,您一路走好!\n"
        "局長的悼詞二\n今天,我們懷著無比崇敬和悲痛的心情,沉痛悼念我們的老局長——某同志。某同志是某市建設局離休干部,"
        "他離休不離崗,因長年忘我工作,勞累過度,突發多種疾病,于2006年7月29日12時10分病逝,享年73歲。某同志的去世,"
        "是某市城建事業的重大損失。我們黨失去了一位好黨員、好干部,城\n"
    )
    f = _fields(raw)
    assert f["published_on"] is None
    assert f["year"] is None


def test_a_subject_acting_on_its_bracketed_day_is_news():
    # a person named before his office (`某某某院長`), the day in brackets, the act: no organ, no reported speech
    raw = (
        "院長出席「某某漁港百年紀念活動」開幕典禮\n\n"
        "某某某院長今(16)日上午於某某漁港出席「某某漁港百年紀念活動」開幕典禮，現場來賓包含多位委員、縣長及漁會理事長。\n\n"
        "院長首先抵達漁港揭碑會場，與在場貴賓一同欣賞社區及國小充滿活力的演出後，完成揭碑儀式並合影留念。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_an_event_taking_the_stage_on_its_bracketed_day_is_news():
    raw = (
        "某某縣長就職 某某某：4年證明某某即將崛起\n\n"
        "某某縣長宣誓就職暨交接典禮今(25)日登場，某某縣長當選人某某某上任，正式從前縣長手上接下縣長一職。\n\n"
        "前縣長今卸下縣長職務，致詞感謝縣府團隊，感謝縣府團隊的工作夥伴一同突破困境。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_a_letter_greeting_at_a_festival_is_an_address():
    # the title names whom it greets, not the festival; its opening greets at the festival
    raw = (
        "畅叙桑梓情 共谋家乡事 ——致某某在外商贤的一封信\n2024-02-08 21:29:03\n来源:某某县融媒体中心\n"
        "畅叙桑梓情 共谋家乡事\n——致某某在外商贤的一封信\n尊敬的某某在外商贤：\n"
        "春风有信，佳节有期。值此龙年新春来临之际，我谨代表某某县委、县政府，向您和您的家人致以最诚挚的问候和最美好的祝福！"
        "走遍天涯路，最是乡情深。\n"
    )
    assert _fields(raw)["doc_type"] == "致辞"

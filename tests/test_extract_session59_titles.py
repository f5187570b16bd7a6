"""Titles a careful reader gets right and the extractor did not (session 59's fresh pages, seventeenth round): a site's
name with its English one, a ticker item or a portal's blurb above the headline, a column behind 丨, a collection's
` 篇1`, the reporters' credit run on after the headline, a video player's notice and a spaced byline."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


LEAD = (
    "某某縣政府今(3)日在府前舉辦新春團拜，縣議長某某某及縣府團隊共同出席互道新年恭喜，縣長某某某向各界拜年。\n\n"
    "縣長某某某表示，新春團拜感謝縣府團隊一年來的努力，多項重大建設將會陸續落成，帶動全縣轉型發展。\n\n"
    "縣長某某某指出，新的一年縣府團隊將持續推動重大建設，讓縣民感受到縣政的進步與發展。\n"
)


def test_a_sites_name_with_its_english_name_is_no_title():
    # the logo's text (Han and Latin) repeated by the menu above the headline: the normalizer cut it as a repeated
    # title, and at 22 characters it was longer than a label, so it titled the page
    raw = (
        "某某傳媒 | Moumou Media\n  • 藝術人文\n  • 兩岸國際\n沒有結果\n某某傳媒 | Moumou Media\n  • 藝術人文\n"
        "  • 兩岸國際\n沒有結果\nHome 新聞區\n\n某某縣政府新春團拜，縣長揭示未來發展願景\n\n2025-02-03\n\n" + LEAD
    )
    assert _fields(raw)["title"] == "某某县政府新春团拜，县长揭示未来发展愿景"


def test_a_ticker_item_above_the_headline_is_no_title():
    # udn's `快訊` ticker: its item shares no word with the text; the headline below it quotes its speaker
    raw = (
        "快訊\n\n台東逾6米高長浪 氣象專家:颱風沿東側北上 慎防致災雨\n\n"
        "燈會開燈祈福 蔡總統:新的一年不分黨派共同為台灣努力\n\n"
        "「台灣燈會」今晚七點登場，總統蔡英文在行政院長陪同下出席台灣燈會開燈儀式，為全國人民祈福。\n\n"
        "總統蔡英文致詞表示，台灣燈會回到台北舉行，希望新的一年中央地方不同黨派合作，共同為台灣努力。\n"
    )
    assert _fields(raw)["title"] == "灯会开灯祈福 蔡总统:新的一年不分党派共同为台湾努力"


def test_a_portals_blurb_over_its_menu_is_no_title():
    # a link to another item over the portal's menu, then the lead: the page shows no headline
    raw = (
        "114年1月1日起癌症篩檢擴大服務對象\n臺大醫院分院\n嘉義市國際管樂\n雲林身障日\n水保署\n114全運在雲林\n"
        "嘉市潮選店\n日本沖繩月\n雲林縣政府文化觀光處\n光織影舞\n廠商廣告\n\n"
        "【記者某某某/雲林報導】某某鄉公所迎接新年到來，將於明年1月1日舉辦元旦升旗暨健行活動，邀請鄉親踴躍參加。\n\n"
        "某某鄉公所今天(24日)在公所3樓大禮堂舉行宣傳記者會，鄉長某某某及各村村長到場代言宣傳活動。\n"
    )
    assert _fields(raw)["title"] is None


def test_a_column_behind_the_han_stroke_bar_is_no_part_of_the_title():
    raw = (
        "某某新闻丨罗某某主持召开县委专题会议强调:锚定目标加压奋进\n\n"
        "3月27日下午，县委书记罗某某主持召开县委专题会议强调，要锚定争先进位目标不动摇，抓实重点工作任务不松劲。\n"
    )
    assert _fields(raw)["title"] == "罗某某主持召开县委专题会议强调:锚定目标加压奋进"


def test_a_collections_item_number_after_a_space():
    raw = "秋季開學校長講話稿 篇1\n老師們、同學們：\n大家上午好！今天，我們歡聚在國旗下，舉行秋季學期開學典禮。\n"
    assert _fields(raw)["title"] == "秋季开学校长讲话稿"


def test_the_reporters_credit_run_on_after_the_headline():
    raw = (
        "院長出席「某某漁港百年紀念活動」開幕典禮記者:何某某 邱 某某\n記者:何某某 邱 某某 新北市報導\n\n"
        "某某某院長今(16)日上午於某某漁港出席「某某漁港百年紀念活動」開幕典禮，現場來賓包含多位委員及縣長。\n"
    )
    assert _fields(raw)["title"] == "院长出席「某某渔港百年纪念活动」开幕典礼"


def test_a_video_notice_and_a_spaced_byline_are_no_title():
    raw = (
        "视频加载中...\n"
        "编者按：阳春三月，转眼又到了开学季。让我们一起聆听校长们的“知心话”。\n"
        "大众网·海报新闻记者 李某某 东营报道\n"
        "东营市某某第一小学校长 刘某\n"
        "亲爱的同学们：\n"
        "喜悦祥和、幸福充实的寒假已悄然过去，生机盎然、万物复苏的春天如期而至，我们又要开启一段新的旅程了。\n"
    )
    assert _fields(raw)["title"] is None


def test_a_sites_banner_gives_way_to_the_genre_headline_below_it():
    # the banner shares a place name with the text (`千岛湖`), so it was no stranger; the headline names its genre
    raw = (
        "视界某某湖\n\n快·准·活·美\n\n点击打开\n您当前的位置: 某某新闻 > 时政要闻\n"
        "万象更新处 尽是为民声 县十六届人大五次会议开幕式侧记\n发布时间:2021-02-24 08:45:00\n\n"
        "  春回大地，万象更新。昨日上午，县十六届人大五次会议在某某湖演艺中心盛大开幕，人大代表再一次汇聚一堂。\n\n"
        "  上午9时，大会正式开始，县长某某某作《政府工作报告》，台下代表们凝神静听，全神贯注。\n"
    )
    assert _fields(raw)["title"] == "万象更新处 尽是为民声 县十六届人大五次会议开幕式侧记"


def test_a_speech_title_run_into_the_first_sentence():
    raw = (
        "在2022年县元旦团拜会上的致辞文稿一年一度的元旦即将来临。今天，我们大家欢聚一堂，同叙XX事、共话新春梦，充满温馨、"
        "充满喜悦、充满激情。在此，我谨代表县委、县政府向大家致以节日祝福和节日问候！刚刚过去的2021年，XX人用辛勤汗水，"
        "凝聚起干事创业的动力。\n"
    )
    f = _fields(raw)
    assert f["title"] == "在2022年县元旦团拜会上的致辞文稿"
    assert f["doc_type"] == "致辞"


def test_a_body_sentence_opening_on_a_speech_is_no_title():
    # `在…上的讲话精神，`: the sentence goes on after a comma, no title run into it
    raw = (
        "在全县经济工作会议上的讲话精神，我们要认真学习领会，切实把思想和行动统一到县委的决策部署上来，推动各项工作落地见效。"
        "全县上下要迅速行动，抓好贯彻落实，确保全年目标任务圆满完成，为全县经济社会发展作出新的更大贡献。\n"
    )
    assert _fields(raw)["title"] != "在全县经济工作会议上的讲话"

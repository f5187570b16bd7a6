"""Regions a careful reader gives and the extractor missed (session 56's fresh pages, fourteenth round)."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.extract_regions import load_gazetteer
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# The gazetteer's Hong Kong districts carry the city `香港` under the province 香港特别行政区: a district association's
# page was filed under `香港特别行政区香港湾仔区` (tkww.hk, session 56's fresh pages).
def test_a_hong_kong_district_is_named_once_with_its_region():
    wanchai = next(d for d in load_gazetteer().by_name["湾仔区"] if d.province == "香港特别行政区")
    assert wanchai.full_name == "香港特别行政区湾仔区"


def test_a_hong_kong_district_associations_page_is_the_districts():
    raw = (
        "香港灣仔區各界協會 慶祝香港回歸祖國二十七周年暨第十一屆執行委員會就職典禮\n"
        "香港灣仔區各界協會於6月15日舉辦就職典禮,並於典禮上展示香港灣仔區各界協會致力服務社會的五大方向:"
        "活力灣仔、健康灣仔、創科灣仔、環保灣仔及安全灣仔。\n"
        "某某某致歡迎辭表示,香港灣仔區各界協會成立至今走過二十九個年頭。當年灣仔區一批愛國愛港人士,創立了香港灣仔區各界協會,"
        "多年來該會作為灣仔區內極具影響力的地區團體,代表本區坊眾反映社會基層意見。\n"
    )
    assert _fields(raw, url="https://tkww.hk/epaper/view/newsDetail/1.html")["region"] == "香港特别行政区湾仔区"


# info.gov.hk (session 56's p17): a SAR secretary opening a district's building speaks for the SAR; a Taiwanese
# county its title names keeps its page (test_extract_session54_places), a Hong Kong district governs nothing.
def test_a_sar_secretarys_speech_at_a_districts_venue_is_the_sars():
    raw = (
        "政務司司長出席元朗文化康樂大樓開幕典禮致辭全文(只有中文)(附圖/短片)\n********************************\n\n"
        "  以下是政務司司長某某某今日(十一月二十日)出席元朗文化康樂大樓開幕典禮致辭全文:\n \n"
        "某主席(元朗區議會主席)、各位區議員、各位嘉賓、各大朋友、小朋友:\n\n"
        "  大家好!我今天很高興出席元朗文化康樂大樓的開幕典禮。今天能夠建成,證明香港的建築技術和同事的專業水平相當高。\n\n"
        "  元朗區由昔日的農村市集,發展成為今日的新市鎮,人口不斷增長,對康樂、文化及社區設施的需求與日俱增。"
        "康文署這座文化康樂大樓的落成,正正是回應元朗區居民所需。\n"
    )
    f = _fields(raw, url="https://www.info.gov.hk/gia/general/201711/20/P2017112000827p.htm")
    assert (f["region"], f["admin_level"]) == ("香港特别行政区", "province")

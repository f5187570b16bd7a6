"""Session 48's fresh real pages (helper n5): titles, speakers, types and dates of HK, Macau, Taiwan and mainland
news pages. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ info.gov.hk's releases

HK_RELEASE = (
    "跳至主要內容\n\n{title}\n*******************\n  以下是{lead}\n   \n"
    "  回望過去一年，牛耕穩大局。在中央支持和各界努力下，香港堅守「一國兩制」初心，重回「一國兩制」正軌。\n   \n"
    "  祝全港市民身體健康、家庭和睦、萬事如意！\n"
)


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("行政長官發表農曆新年賀辭(附圖/短片)", "行政长官发表农历新年贺辞"),
        ("行政长官国庆酒会致辞(附图/短片)", "行政长官国庆酒会致辞"),
        ("行政長官出席花卉展覽開幕典禮致辭全文(只有中文)(附圖/短片)", "行政长官出席花卉展览开幕典礼致辞全文"),
        # the page cut at its width inside the last note
        ("行政长官出席花卉展览开幕典礼致辞全文(只有中文)(附图/短片", "行政长官出席花卉展览开幕典礼致辞全文"),
        ("政务司司长出席酒会致辞(附图)", "政务司司长出席酒会致辞"),
    ],
)
def test_a_hk_release_note_is_no_part_of_the_title(title, want):
    out = _page(HK_RELEASE.format(title=title, lead="行政長官林鄭月娥今日（一月三十一日）發表的農曆新年賀辭全文："))
    assert out["title"] == want


def test_a_hk_release_hands_over_a_greeting_by_its_speaker():
    """`以下是行政長官林鄭月娥今日…發表的農曆新年賀辭全文：` named nobody: only 致辞/讲话/演讲/发言 were handed over."""
    out = _page(
        HK_RELEASE.format(
            title="行政長官發表農曆新年賀辭(附圖/短片)",
            lead="行政長官林鄭月娥今日（一月三十一日）發表的農曆新年賀辭全文：",
        )
    )
    assert (out["speaker_name"], out["speaker_title"], out["doc_type"]) == ("林郑月娥", "行政长官", "致辞")


def test_a_note_word_inside_a_title_stays():
    out = _page(HK_RELEASE.format(title="行政長官出席附圖展覽開幕典禮致辭", lead="行政長官李家超今日出席的致辭全文："))
    assert out["title"] == "行政长官出席附图展览开幕典礼致辞"

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

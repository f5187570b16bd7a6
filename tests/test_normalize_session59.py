"""Lost breaks, session 59: a sentence's own date and clock is never broken off it as a page stamp."""

from __future__ import annotations

import pytest

from tasks.normalize import normalize_text

EULOGY_HEAD = "悼词\n张三同志追悼会\n各位来宾：\n今天我们怀着沉痛的心情\n"


# A eulogy among the fresh pages (hJ, session 59): `…医治无效，于2006年7月29日12时10分病逝，享年73岁。` in the page's
# first lines was broken at the date and the clock, and the date removed as `chrome.published_at`: the text read
# `…于` / `病逝，享年73岁。` — speech lost.
@pytest.mark.parametrize(
    "sentence",
    [
        "在这里悼念张三同志。张三同志因病医治无效，于2006年7月29日12时10分病逝，享年73岁。",
        "本次会议定于2023年3月5日9时30分在县会议中心召开，会期一天。",
        "大会从2019-06-12 08:30开始，各代表团准时入场。",
        "值班时间自2020年1月1日8时00分起，全体人员在岗。",
    ],
)
def test_a_sentences_date_and_clock_stay_in_it(sentence):
    n = normalize_text(EULOGY_HEAD + sentence + "\n他的一生是光荣的一生。\n")
    assert sentence in n.text.split("\n") and n.removed_lines == []


@pytest.mark.parametrize(
    "head, stamp",
    [
        ("2026年四川省人民政府工作报告2026年02月10日 07时41分", "2026年02月10日 07时41分"),
        ("在全县经济工作会议上的讲话 2023-01-05 10:21", "2023-01-05 10:21"),
    ],
)
def test_a_page_stamp_run_into_the_title_is_still_broken_off(head, stamp):
    n = normalize_text(head + "\n同志们：今天我们召开大会，部署全年工作。\n")
    assert n.text.split("\n")[0] == head[: head.index(stamp)].strip()
    assert [(r[1].strip(), r[2]) for r in n.removed_lines] == [(stamp, "chrome.published_at")]


# A county news site's running clock above a 2016 page's head (文成新闻网, session 59's fresh pages): the line was kept
# and taken as the page's title. The clock is the day the page was read, so it is no stamp either.
@pytest.mark.parametrize("clock", ["2018/12/28 上午9:27:28 星期五", "2018年12月28日 星期五 09:27"])
def test_a_sites_running_clock_is_chrome_and_no_stamp(clock):
    from tasks.extract import extract_fields

    raw = (
        f"{clock}\n站在新起点 瞄准新目标 踏上新征程\n发布时间:2016年03月02日 来源:文成新闻网\n"
        "3月2日,县十五届人大五次会议在县文化中心大剧院开幕。县长在会上作政府工作报告。\n"
    )
    n = normalize_text(raw)
    assert (0, clock, "chrome.clock") in [(r[0] - 1, r[1].strip(), r[2]) for r in n.removed_lines]
    f = extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)
    assert f["title"] != clock and str(f["published_on"]) == "2016-03-02"


def test_a_date_with_its_weekday_alone_is_not_a_clock():
    """An e-paper's date with its weekday and no clock is the paper's day: not read as a running clock."""
    n = normalize_text("2018年12月28日 星期五\n在全市经济工作会议上的讲话\n同志们：今天我们召开全市经济工作会议。\n")
    assert all(r[2] != "chrome.clock" for r in n.removed_lines)

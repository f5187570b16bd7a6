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

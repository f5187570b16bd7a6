"""Places a careful reader gets right and the extractor did not (session 60's fresh pages, eighteenth round): a short
name read inside a longer word, a reporter's name holding a county's."""

from __future__ import annotations

import pytest

from tasks import extract_regions as R
from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def _short_names(text: str) -> list[str]:
    return [h.surface for h in R.find_places(text)]


@pytest.mark.parametrize(
    ("text", "not_read"),
    [
        ("庆祝国庆60周年公宴19日晚在旧金山华埠酒楼举行", "金山"),  # San Francisco, not 上海 金山区
        ("这里山明水秀，风景如画，欢迎各位来宾", "明水"),  # a scenic idiom, not 黑龙江 明水县
        ("共享一场融合团圆、文化与音乐的盛大庆典。", "大庆"),  # 盛大|庆典 (jieba tags 庆典 ns), not 大庆市
        ("完成大青山南坡绿化", "青山"),  # a mountain, not 青山区
        ("本报记者 陆某 通讯员 沈永昌昨天一早，", "永昌"),  # a correspondent's name, not 甘肃 永昌县
    ],
)
def test_a_short_name_inside_a_longer_word_is_no_place(text, not_read):
    assert not_read not in _short_names(text)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("推进产业园和永宁、贺兰协同发展", "永宁"),  # jieba's 和永宁 is a name: after a conjunction the place stays
        ("到大庆考察", "大庆"),
        ("赴旧金山前，他在金山考察", "金山"),  # the second one, after 在
    ],
)
def test_a_short_name_after_a_conjunction_or_a_verb_of_motion_stays(text, read):
    assert read in _short_names(text)


def test_a_san_francisco_banquet_has_no_shanghai_district():
    raw = (
        "3大宴会嘉宾如云 新中国60周年庆旧金山侨界同欢\n"
        "据媒体报道，庆祝中华人民共和国国庆60周年公宴19日晚分别在旧金山华埠康年、四海、新亚洲酒楼举行，2500多人参加了盛会。\n"
        "中领馆总领事高某某在晚宴上发表讲话：华埠街头，红幅高挂，喜气洋洋。\n"
    )
    f = _fields(raw)
    assert (f["region"], f["admin_level"]) == (None, None)


def test_a_name_before_its_title_holds_no_place():
    # `池洪湖主席伉俪`: a guest named before his title; 洪湖 (湖北 洪湖市) is his given name, here and where he is listed again
    text = "出席的嘉宾有：庆祝国庆委员会池洪湖主席伉俪、黄某某副主席伉俪、中国侨联顾问池洪湖、魏某某等。"
    assert "洪湖" not in _short_names(text)
    assert "洪湖" in _short_names("湖北洪湖主席台就座的同志")  # no surname before it: the place stays

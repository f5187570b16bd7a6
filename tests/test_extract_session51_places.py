"""Session 51's fresh real pages (helper h8): places, levels and offices of county, township, district and
development-zone pages — generic zone words, zones' own offices, guest delegations, the organs a congress is named
after, townships. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ generic zone words


@pytest.mark.parametrize(
    "text",
    [
        "示范区(高新区)党工委召开2024年第十七次会议",
        "区委书记、高新区党工委书记王娟参加区委十五届三次全会高新区组讨论",
        "要把新区建设成为产城融合的示范区",
    ],
)
def test_a_generic_zone_word_is_no_place(text):
    assert [h.surface for h in R.find_places(text)] == []


@pytest.mark.parametrize("word", ["开发区", "经济开发区", "高新区", "工业园区", "经济技术开发区", "开发区管委会"])
def test_a_generic_zone_word_is_no_township(word):
    assert R.find_towns(f"{word}召开了党工委会议，研究部署招商引资工作。") == []
    assert "高新街道" in R.load_gazetteer().towns  # a street office named 高新 stays a township


def test_a_zones_meeting_is_no_townships_congress():
    # 高新区党工委第24次委员(扩大)会议 opened on 高新区, which the table lists as a township: the page was read as a
    # township's own congress (admin_level township)
    text = "11月14日，高新区党工委第24次委员（扩大）会议召开，高新区党工委书记毕志伟主持会议并讲话。"
    assert E._kind_hint(None, None, "高新区党工委第24次委员(扩大)会议", text) != "镇"
    assert (
        E._kind_hint(None, None, "经济开发区建设工作会议", "今天，州委、州政府召开吉凤经济开发区建设工作会议。") != "镇"
    )

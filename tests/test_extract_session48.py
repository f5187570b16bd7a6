"""Places and levels of session 48's fresh real pages (the search tool's stored pages, scored by hand): renamed
counties and leagues' short forms, a place's own organ in the opening, banners, prefecture words (地委, 盟委, 州委),
two-character counties read across a word, a delegation's head at a place's celebration. Names are invented."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks import extract_regions as R
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ renamed divisions and leagues' short forms


def test_a_county_renamed_before_the_change_list_names_its_jurisdiction():
    out = _page(
        "2月28日，县委书记张学文主持召开县委十六届第43次常委会议。县委副书记、县长李明出席会议。\n"
        "会议审议了县政府党组《关于审定户县全面推行农村集体“三资”管理工作实施方案的请示》、县总工会党组"
        "《关于评选户县劳动模范的请示》，同时学习了干部选拔任用工作相关文件。\n"
        "张学文要求常委班子成员高度重视集体学习和个人学习，继续抓好各项经济工作的落实，"
        "努力推动全县经济社会各项事业健康快速发展。"
    )
    assert out["region"] == "陕西省西安市户县"
    assert out["region_code"] == "610118"  # 鄠邑区 since 2016
    assert out["admin_level"] == "county"


@pytest.mark.parametrize(
    ("name", "code"),
    [("郫县", "510117"), ("唐海县", "130209"), ("伊克昭盟", "150600"), ("闸北区", "310106"), ("大庸市", "430800")],
)
def test_renamed_divisions_carry_their_successors_code(name, code):
    divs = R.lookup(name)
    assert [d.code for d in divs] == [code]
    assert divs[0].status == "renamed"

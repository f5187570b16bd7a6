"""Guards from session 54's held-out scoring: values of a shape no careful reader would give.

The pages are held out (never read while fixing); these texts are made up to show each class.
"""

from __future__ import annotations

import pytest

from tasks.extract import _news_speaker, is_byline_name
from tasks.extract_text import is_name


@pytest.mark.parametrize("phrase", ["向全体", "向大家", "对各位", "为广大", "同与会", "向在座"])
def test_a_preposition_before_an_addressee_is_no_name(phrase: str) -> None:
    # 向 and 于 are surnames too: `…区长向全体作了动员讲话` gave the speaker 向全体
    assert not is_name(phrase)
    assert not is_byline_name(phrase)


@pytest.mark.parametrize("name", ["向警予", "于文明", "向大明", "和平", "向东"])
def test_a_surname_that_is_also_a_preposition_still_names(name: str) -> None:
    assert is_name(name)


def test_a_news_lead_never_gives_whom_the_officer_addressed_for_the_speaker() -> None:
    lead = "2月10日上午，东区召开2024年工作动员大会，张载养区长向全体作了动员讲话。他强调，要抓好落实。"
    name, _office = _news_speaker(lead)
    assert name != "向全体"


@pytest.mark.parametrize(
    ("lead", "speaker", "office"),
    [
        (
            "中新社澳门十一月十六日电(黄某孙某)澳门特首何厚铧十六日在庆祝活动上致辞时表示，澳门经济持续发展。",
            "何厚铧",
            "澳门特首",
        ),
        ("新华社北京十月一日电(王某)国务院总理李某一日在招待会上发表讲话。他强调，要继续努力。", "李某", "总理"),
    ],
)
def test_a_wire_dateline_glued_to_the_office_is_no_part_of_it(lead: str, speaker: str, office: str) -> None:
    # half-width brackets round the reporters and no space before the office: the office ran back over the dateline
    assert _news_speaker(lead) == (speaker, office)

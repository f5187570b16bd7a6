"""Speakers and offices a careful reader finds and the extractor missed (session 53's fresh pages, eleventh round).

The texts are written for the tests in the shapes the pages had; names and places are made up.
"""

from __future__ import annotations

import pytest

from tasks.extract import _strip_jurisdiction, _title_speaker

# ---------------------------------------------------------------- offices: a double office, HK departments, terms


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("党组书记、主任在领导干部大会上的讲话(离任讲话)", "党组书记、主任"),  # a department head's farewell
        ("局党组书记、局长在全局工作会议上的讲话", "局党组书记、局长"),
        ("镇党委书记、镇长在全镇三级干部大会上的讲话", "镇党委书记、镇长"),
        ("区委副书记、区长在全区经济工作会议上的讲话", "区委副书记、区长"),  # was cut to 区长 too
    ],
)
def test_a_title_led_by_a_double_office_keeps_both(title, office):
    assert _title_speaker(title)[:2] == (None, office)


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("政务司副司长出席某某同乡会新春团拜致辞", "政务司副司长"),
        ("财政司司长出席某某商会周年晚宴致辞", "财政司司长"),
        ("律政司司长在某某法律论坛上的致辞", "律政司司长"),
    ],
)
def test_a_hong_kong_secretary_keeps_the_department(title, office):
    assert _title_speaker(title)[1] == office


@pytest.mark.parametrize(
    ("office", "bare"),
    [
        ("十二届全国人大常委会委员长", "全国人大常委会委员长"),
        ("第九届市政协主席", "市政协主席"),
        ("市委书记", "市委书记"),  # no term: unchanged
    ],
)
def test_a_term_before_an_office_is_no_part_of_it(office, bare):
    assert _strip_jurisdiction(office) == bare

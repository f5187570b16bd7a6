"""Speakers and offices a careful reader finds and the extractor missed (session 53's fresh pages, eleventh round).

The texts are written for the tests in the shapes the pages had; names and places are made up.
"""

from __future__ import annotations

import pytest

from tasks.extract import _self_named_office, _strip_jurisdiction, _title_speaker, extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


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


# ---------------------------------------------------------------- the speaker's own office, in the first person


@pytest.mark.parametrize(
    ("opening", "office"),
    [
        ("各位代表、同志们：\n今天，大会选举我担任云溪市人民政府市长，我深感责任重大、使命光荣。", "市长"),
        ("主任、各位副主任、秘书长、各位委员：\n本次市人大常委会会议决定我为北塘市人民政府代理市长。", "代理市长"),
        ("非常感谢大家对我的信任，选举我担任青河市新一任市长。我在倍感光荣的同时，更感到责任重大。", "市长"),
        ("各位代表：\n这次大会选举我继续担任中华人民共和国主席，我对各位代表的信任，表示衷心感谢！", "国家主席"),
        ("同志们：\n县委决定由我担任县委书记一职，我坚决拥护，坚决服从。", "县委书记"),
    ],
)
def test_an_inaugural_speech_names_its_office_in_the_first_person(opening, office):
    f = _fields(opening + "\n" + SPEECH)
    assert f["speaker_title"] == office
    assert f["speaker_name"] is None  # nobody is named: the office alone


@pytest.mark.parametrize(
    "text",
    [
        "大会选举我们为代表，我们要履行职责。",  # 我们: the delegates, no one's office
        "同志们：\n今天的会议很重要。" + "我县经济发展较快。" * 60 + "大会选举我担任县长。",  # past the opening
    ],
)
def test_no_first_person_office_outside_an_opening_election(text):
    assert _self_named_office(text) is None

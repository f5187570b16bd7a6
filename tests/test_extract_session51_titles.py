"""Titles led by their speaker's office, a collection's numbers, ninth round (session 51's fresh doc-site pages)."""

from __future__ import annotations

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("区长领导干部大会上的讲话", "区长"),  # xuexila
        ("县长调研“县为单位、整合资金、整村推进、连片开发”试点项目工作时的讲话", "县长"),  # gongwen.com.cn
        ("县长2015年全县经济工作会议讲话", "县长"),  # session 50's left-alone list
        ("镇党委书记冬训动员报告讲话", "镇党委书记"),  # session 49's left-alone list
        ("2023年县长全县三级干部大会讲话", "县长"),
        # the office as the meeting's audience, a studied speech, a phrase before the office: no speaker's office
        ("全县乡镇党委书记座谈会上的讲话", None),
        ("村党组织书记培训班讲话", None),
        ("习近平总书记系列重要讲话", None),
        ("学习总书记系列重要讲话", None),
        ("关于县长工作的讲话", None),
    ],
)
def test_a_title_led_by_its_office_without_zai_gives_the_office(title, office):
    f = _fields(f"{title}\n{SPEECH}")
    assert f["title"] == title
    assert f["speaker_title"] == office
    assert f["speaker_name"] is None


@pytest.mark.parametrize(
    ("title", "want"),
    [
        (
            "全市巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作会议讲话(2篇)",
            "全市巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作会议讲话",
        ),
        ("在全县经济工作会议上的讲话（精选5篇）", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话篇3", "在全县经济工作会议上的讲话"),
    ],
)
def test_a_collections_count_or_item_number_is_no_part_of_the_title(title, want):
    assert _fields(f"{title}\n{SPEECH}")["title"] == want


def test_a_collections_item_heading_gives_the_title_and_its_office():
    # xuexila: `区长领导干部大会上的讲话篇2`, the item's heading over the text
    f = _fields(f"区长领导干部大会上的讲话篇2\n{SPEECH}")
    assert f["title"] == "区长领导干部大会上的讲话"
    assert f["speaker_title"] == "区长"


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("省长讲话文稿在省第十三次党代会上的报告", "省长"),  # session 50's left-alone list
        ("县长讲话稿在全县经济工作会议上的讲话", "县长"),
        ("领导讲话稿在全县经济工作会议上的讲话", None),
    ],
)
def test_a_doc_sites_word_for_the_text_between_office_and_zai(title, office):
    f = _fields(f"{title}\n{SPEECH}")
    assert f["speaker_title"] == office
    assert f["speaker_name"] is None

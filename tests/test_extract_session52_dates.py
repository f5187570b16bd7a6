"""Dates signed at a speech's end or written with dots under its title (session 52's brief and fresh pages)."""

from __future__ import annotations

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

TITLE = "在全县经济工作会议上的讲话\n"
SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
    "谢谢大家！\n"
)


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


@pytest.mark.parametrize(
    "footer",
    [
        "二〇二三年一月五日",
        "二○二三年一月五日",
        "2023年1月5日",
        "（2023年1月5日）",
        "2023.1.5",
        "县委书记 张三\n2023.1.5",
    ],
)
def test_a_date_signed_at_the_end_is_the_day_delivered(footer):
    f = _fields(f"{TITLE}{SPEECH}{footer}\n")
    assert str(f["delivered_on"]) == "2023-01-05"
    assert f["year"] == 2023


def test_a_dotted_manuscript_date_under_the_title_is_the_day_delivered_a_padded_stamp_is_not():
    assert str(_fields(f"{TITLE}2023.1.5\n{SPEECH}")["delivered_on"]) == "2023-01-05"
    stamped = _fields(f"{TITLE}2023-01-05\n{SPEECH}")
    assert stamped["delivered_on"] is None
    assert str(stamped["published_on"]) == "2023-01-05"


@pytest.mark.parametrize(
    "tail",
    [
        "2023-01-05",  # a site's stamp at the page's end
        "会议要求各地在2023年1月5日前报送材料。",  # a date inside a sentence
    ],
)
def test_a_stamp_or_a_sentences_date_at_the_end_is_no_signature(tail):
    assert _fields(f"{TITLE}{SPEECH}{tail}\n")["delivered_on"] is None

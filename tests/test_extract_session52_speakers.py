"""Speakers and offices a careful reader finds and the extractor missed (session 52's fresh pages)."""

from __future__ import annotations

import pytest

from tasks.extract import _title_speaker, extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ---------------------------------------------------------------- redacted names, office kept


@pytest.mark.parametrize("redacted", ["XXX", "×××", "某某", "xxx"])
def test_a_byline_whose_name_is_redacted_keeps_the_office(redacted):
    f = _fields(f"在全县经济工作会议上的讲话\n县委书记 {redacted}\n{SPEECH}")
    assert f["speaker_name"] is None
    assert f["speaker_title"] == "县委书记"
    assert f["flags"].get("anonymized_speaker") == 1


def test_a_title_whose_name_is_redacted_keeps_the_office():
    assert _title_speaker("某某校长毕业典礼致辞") == (None, "校长", True)
    f = _fields(f"在全县经济工作会议上的讲话\n县委书记 张晓明\n{SPEECH}")
    assert (f["speaker_name"], f["speaker_title"]) == ("张晓明", "县委书记")  # a real name is still read

"""A document's own words are no names (session 50's left-alone list, session 51)."""

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


@pytest.mark.parametrize("word", ["全文", "原文", "解读", "范文", "初稿", "文稿", "全集", "简报"])
def test_a_documents_own_word_is_no_name(word):
    # session 50's left-alone list: the surname test took 全文/原文/解读 (and jieba tags 范文 nr)
    from tasks.extract_text import is_byline_name, is_name

    assert not is_name(word)
    assert not is_byline_name(word)


def test_a_doc_sites_label_under_the_title_is_no_speaker():
    # `范文` alone under the title, by the dateline: read as a bare name next to the date before
    f = _fields(f"在全县经济工作会议上的讲话\n范文\n（2019年1月10日）\n{SPEECH}")
    assert f["speaker_name"] is None
    # an office's byline whose `name` is the site's label (`市长 解读`)
    f = _fields(f"在全市经济工作会议上的讲话\n市长 解读\n{SPEECH}")
    assert f["speaker_name"] is None
    # a real name in the same places is still read
    assert _fields(f"在全县经济工作会议上的讲话\n范晓文\n（2019年1月10日）\n{SPEECH}")["speaker_name"] == "范晓文"

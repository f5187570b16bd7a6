"""News copies and press releases of speeches (held-out audit g1): leads that name the speaker before the full
text, titles that name the office before the name, datelines of wire copies. Every name and place is invented."""

from __future__ import annotations

import pytest

from tasks import extract as E


def _page(raw: str, url: str | None = None) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY = "尊敬的各位来宾、各位朋友：\n今天我很荣幸出席这个酒会，与各位一同庆祝这个大日子。我谨代表主办方，向各位表示热烈的欢迎！\n"


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        # a government press release: `以下为<office><name>今日(date)出席…的致辞全文`
        ("以下为行政长官陈立群今日（六月三十日）出席青石商会成立十周年酒会的致辞全文：\n", "陈立群", "行政长官"),
        (
            "以下是政务司司长林文博今日（二月十五日）晚上出席领事团晚宴的致辞全文（中文译本）：\n",
            "林文博",
            "政务司司长",
        ),
        ("以下为行政长官陈立群今(九月十六日)日出席联谊会酒会致辞全文:\n", "陈立群", "行政长官"),
        # a wire copy: `…总理温某发表主旨演讲。以下是主旨演讲全文`
        (
            "青石论坛上午开幕，由市委书记王立明主持。国务院总理赵文华发表主旨演讲。以下是主旨演讲全文：\n",
            "赵文华",
            "总理",
        ),
    ],
)
def test_press_release_lead_names_the_speaker(lead, name, office):
    out = _page("行政长官致辞全文\n" + lead + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_press_release_lead_is_read_only_for_a_full_text():
    """`以下为…全文` that introduces somebody else's text names no speaker of this one when no office stands there."""
    out = _page("以下为青石商会今日发布的公告全文：\n" + BODY)
    assert out["speaker_name"] is None


def test_press_release_lead_without_full_text_word():
    out = _page("行政长官国庆酒会致辞\n以下是行政长官陈立群今日（十月一日）出席国庆酒会致辞：\n" + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == ("陈立群", "行政长官")

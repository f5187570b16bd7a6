"""Session 60: normalize's passes made cheaper, each checked against the code it replaced (same text, same counts)."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks import normalize

FULLWIDTH = "".join(map(chr, normalize._WIDTH_MAP))


def _width_by_translate(text: str, counts: Counter) -> str:
    """_width as it was: the count by findall, the text by str.translate, the separators looked behind first."""
    counts["width.fullwidth_ascii"] += len(normalize._FULLWIDTH_ASCII.findall(text))
    text = text.translate(normalize._WIDTH_MAP)
    text, m = re.compile(r"(?<=\d)[．，](?=\d)").subn(lambda mm: "." if mm.group(0) == "．" else ",", text)
    counts["width.fullwidth_ascii"] += m
    return text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*FULLWIDTH[::7], "１", "２", "．", "，", "5", "中", "\n", "."])))
def test_width_by_its_matches_is_the_translation(text):
    got, want = Counter(), Counter()
    assert normalize._width(text, got) == _width_by_translate(text, want)
    assert got == want


def test_width_maps_every_fullwidth_letter_and_digit():
    counts: Counter = Counter()
    assert (
        normalize._width(FULLWIDTH + "２７，０００ ９６．９８", counts)
        == FULLWIDTH.translate(normalize._WIDTH_MAP) + "27,000 96.98"
    )
    assert counts["width.fullwidth_ascii"] == len(FULLWIDTH) + 9 + 2

"""Session 61's normalize changes that keep the text: _punctuation's odd and corner quotes replaced a character at a
time (str.translate looked every character of a non-ASCII page up in its dict: 23-46 ms on the few Taiwanese pages
that hold one)."""

from __future__ import annotations

import random

from tasks import normalize


def test_quote_replacements_are_the_translations():
    """The same text as str.translate (no target is a source), on strings dense in every source and target character."""
    pieces = [*'〝〞〟＂「」『』“”‘’"', "的", "\n", "\U00020000"]
    rng = random.Random(3)
    for table in (normalize._ODD_QUOTES, normalize._CORNER_QUOTES):
        assert not {ord(t) for t in table.values()} & set(table)
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
            assert normalize._replace_each(text, table) == text.translate(table), text

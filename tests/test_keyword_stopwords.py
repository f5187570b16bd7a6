"""Keywords: words that only point at the speaker's own jurisdiction (我区, 本市, 全州) are not keywords."""

from __future__ import annotations

from tasks.extract import PLACE_PRONOUN_RE, term_counts


def test_place_pronouns_are_not_terms_but_place_names_are():
    text = "我区坚持乡村振兴，我市、我省、我县、我州、我旗和我国，本市本区，全州全盟上下推进乡村振兴；白云区、通州区发展旅游。"
    tc = term_counts(text)
    for word in ("我区", "我市", "我省", "我县", "我州", "我旗", "我国", "本市", "本区", "全州", "全盟"):
        assert word not in tc, word
    assert tc["乡村振兴"] == 2
    assert "旅游" in tc
    # the rule is the pronoun + one admin-unit character, nothing longer or different
    assert not PLACE_PRONOUN_RE.match("我区域") and not PLACE_PRONOUN_RE.match("全域")
    assert not PLACE_PRONOUN_RE.match("通州") and not PLACE_PRONOUN_RE.match("全面")

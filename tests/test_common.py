"""Shared helpers (tasks.common) that the stages' hot loops rely on for exact, repeatable output."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.common import stable_order

BOUNDS = [1, 2, 300, 1 << 16, (1 << 16) + 1, 1 << 31, 1 << 47, 1 << 60]


@pytest.mark.parametrize(
    ("bound", "dtype"),
    [(b, t) for t in (np.int32, np.int64, np.uint64) for b in BOUNDS if b - 1 <= np.iinfo(t).max],
)
def test_stable_order_is_numpys_stable_argsort(bound, dtype):
    """The radix passes give the one stable permutation: equal keys keep their input order (the
    hits files are laid out by document a with each document's hits in the order they were made),
    for keys below one digit, two, three, and above (numpy's merge sort)."""
    rng = np.random.default_rng(bound % 997)
    for n in (0, 1, 5, 20_000):
        keys = rng.integers(0, bound, n, dtype=np.uint64 if bound > 1 << 62 else np.int64).astype(dtype)
        keys[: n // 4] = keys[n // 2 : n // 2 + n // 4]  # many equal keys
        assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))
        assert np.array_equal(stable_order(keys, bound), np.argsort(keys, kind="stable"))


def test_stable_order_of_a_structured_field_and_negative_keys():
    rec = np.zeros(1000, dtype=[("a", "<i4"), ("b", "<i4")])
    rng = np.random.default_rng(5)
    rec["a"], rec["b"] = rng.integers(0, 70_000, 1000), np.arange(1000)
    assert np.array_equal(stable_order(rec["a"]), np.argsort(rec["a"], kind="stable"))
    neg = rng.integers(-50, 50, 1000)
    assert np.array_equal(stable_order(neg), np.argsort(neg, kind="stable"))


def test_content_digest_tells_parts_apart_and_takes_any_text():
    from tasks.common import content_digest

    assert content_digest("ab", "c") != content_digest("a", "bc")  # parts are length-prefixed
    assert content_digest("1", None) != content_digest(1, None) != content_digest("1", "")  # and typed
    assert content_digest("区长", 2020, [[1, "x", "rule"]]) == content_digest("区长", 2020, [[1, "x", "rule"]])
    assert len(content_digest("lone \ud800 surrogate")) == 32  # a page's broken text still gets a memo digest

"""`_intersect` (the cold path's per-partition pair verification) against a brute-force per-pair
intersection, and `_overlaps` (which sorts the pairs once for every partition) against the old
`_expand` kernel."""

import numpy as np
import pytest

from tasks import dedupe_cluster


@pytest.fixture(params=["compiled", "numpy"])
def kernels(request, monkeypatch):
    """Each test runs with the compiled kernels and with the numpy fallback (an install without a C
    compiler): the same exact integers."""
    assert dedupe_cluster._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    if request.param == "numpy":
        monkeypatch.setattr(dedupe_cluster, "_kernels", None)
    return request.param


def brute(code: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: summed weight (of a's rows) and count of the shingles a and b both hold, one pair at a time."""
    docs, ranks = code >> 32, code & 0xFFFFFFFF
    rows = {int(d): {int(r): int(x) for r, x in zip(ranks[docs == d], w[docs == d])} for d in np.unique(docs)}
    out_w, out_n = np.zeros(len(a), np.int64), np.zeros(len(a), np.int64)
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        mine, theirs = rows.get(x, {}), rows.get(y, {})
        both = [r for r in mine if r in theirs]
        out_w[i] = sum(mine[r] for r in both)
        out_n[i] = len(both)
    return out_w, out_n


def random_case(rng: np.random.Generator):
    nd, nr = int(rng.integers(1, 40)), int(rng.integers(1, 60))
    m = int(rng.integers(1, 400))
    g, r = rng.integers(0, nd, m), rng.integers(0, nr, m)
    keep = g % 5 != 3  # some documents hold no row at all (empty documents)
    code = np.unique((g[keep].astype(np.int64) << 32) | r[keep])
    w = rng.integers(-5000, 5000, len(code))  # per row: `_intersect` must take a's row weights
    npairs = int(rng.integers(4, 200))
    a, b = rng.integers(0, nd + 3, npairs), rng.integers(0, nd + 3, npairs)  # ids past the last row too
    k = npairs // 4
    a[:k], b[:k] = a[-k:], b[-k:]  # duplicate pairs
    return code, w, a, b


@pytest.mark.parametrize("sort_by_b", [True, False])
def test_intersect_equals_brute_force(sort_by_b, kernels):
    """Empty documents, pairs with no rows in the partition, pairs past the partition's last
    document, duplicate pairs and self pairs: the same exact integers, with the pairs sorted by b
    (as `_overlaps` passes them: each b marked once) or in any order (b marked again per run)."""
    rng = np.random.default_rng(5)
    seen = 0
    for _ in range(60):
        code, w, a, b = random_case(rng)
        a[:3] = b[:3]  # self pairs
        if sort_by_b:
            o = np.argsort(b, kind="stable")
            a, b = a[o], b[o]
        want = brute(code, w, a, b)
        got = dedupe_cluster._intersect(code, w, a, b)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        for batch in (1, 7, 2_000_000):
            assert np.array_equal(dedupe_cluster._expand(code, w, a, b, batch)[1], want[1])
        seen += int(want[1].sum())
    assert seen > 0  # the cases share rows at all


def test_marked_sums_rejects_short_outputs():
    """The compiled kernel checks its lengths rather than writing past an array."""
    from tasks import _kernels

    z = np.zeros(3, np.int64)
    with pytest.raises(ValueError):
        _kernels.marked_sums(np.zeros(2, np.int64), z, z, z, z, 1, np.zeros(2, np.int64), z)


def test_intersect_empty_inputs(kernels):
    e = np.zeros(0, np.int64)
    w, n = dedupe_cluster._intersect(e, e, np.array([1, 2]), np.array([2, 3]))
    assert w.tolist() == [0, 0] and n.tolist() == [0, 0]
    w, n = dedupe_cluster._intersect(np.array([5 << 32 | 1], np.int64), np.array([9]), e, e)
    assert len(w) == 0 and len(n) == 0
    w, n = dedupe_cluster._intersect(np.array([5 << 32 | 1], np.int64), np.array([9]), np.array([0]), np.array([1]))
    assert w.tolist() == [0] and n.tolist() == [0]  # neither document has rows


def test_overlaps_sums_partitions_in_pair_order(tmp_path, monkeypatch, kernels):
    """`_overlaps` sorts the pairs by b once and puts the per-partition sums back in the callers'
    order: equal to the brute force summed over the partitions, pairs in random order."""
    rng = np.random.default_rng(9)
    parts = [random_case(rng)[:2] for _ in range(4)]
    a, b = rng.integers(0, 45, 300), rng.integers(0, 45, 300)
    monkeypatch.setattr(dedupe_cluster, "_prepared_partition", lambda src, group: parts[int(src)] + (None,) * 3)

    class Plan:
        n = 50

        def run_dir(self, kind, p):
            return str(p)

        def parts(self, kind):
            return len(parts)

    got_w, got_n, total, _ = dedupe_cluster._overlaps(Plan(), None, a, b, None, 1, None)
    want = [brute(code, w, a, b) for code, w in parts]
    assert total is None
    assert np.array_equal(got_w, sum(x[0] for x in want)) and np.array_equal(got_n, sum(x[1] for x in want))
    assert got_n.sum() > 0


@pytest.mark.parametrize("holder_rows", [1, 3, 7, 10_000])
def test_distinct_per_key_in_key_ranges_counts_like_one_pass(monkeypatch, holder_rows):
    """`_distinct_per_key` sorts a range of keys at a time (HOLDER_ROWS rows): the same counts as
    counting distinct (key, value) rows in one pass, whatever the ranges (repeated rows, a key with
    most rows, ranges that hold no row)."""
    monkeypatch.setattr(dedupe_cluster, "HOLDER_ROWS", holder_rows)
    rng = np.random.default_rng(7)
    for _ in range(30):
        keys = np.unique(rng.integers(0, 2**63, int(rng.integers(1, 30)), dtype=np.uint64))
        m = int(rng.integers(0, 200))
        k = keys[np.minimum(rng.geometric(0.3, m) - 1, len(keys) - 1)]  # skewed: the first key holds most rows
        v = rng.integers(0, 6, m).astype(np.uint64)
        want = np.array([len(set(v[k == x].tolist())) for x in keys], np.int64)
        assert dedupe_cluster._distinct_per_key(keys, k, v).tolist() == want.tolist()


@pytest.mark.parametrize("holder_rows", [1, 4, 10_000])
def test_unwitnessed_names_counts_like_testing_every_row(monkeypatch, holder_rows):
    """`_unwitnessed_names` (the fast path's df widening: rows reduced to distinct (name, key)
    codes a slice at a time, witnesses read in batches of HOLDER_ROWS rows, each marking the codes
    it holds) counts, per key, the distinct names of its rows that no witness holds — the first
    FAST_DF_WITNESSES eligible documents of that name, by gid — as testing every row against every
    witness does. Names and keys span uint64 (>= 2^63), rows repeat, parts may be empty."""
    monkeypatch.setattr(dedupe_cluster, "HOLDER_ROWS", holder_rows)
    rng = np.random.default_rng(11)
    top = np.iinfo(np.uint64).max
    for _ in range(25):
        keys = np.unique(rng.integers(0, top, int(rng.integers(1, 25)), dtype=np.uint64, endpoint=True))
        n_docs = int(rng.integers(1, 15))
        name_pool = rng.integers(0, top, 4, dtype=np.uint64, endpoint=True)
        name_of = name_pool[rng.integers(0, 4, n_docs)]
        eligible = rng.random(n_docs) < 0.7
        held = [keys[rng.random(len(keys)) < 0.5] for _ in range(n_docs)]  # each document's keys

        def cur(kind, gids, held=held):
            assert kind == "sample"
            vals = [held[g] for g in gids.tolist()]
            return np.concatenate(vals or [np.zeros(0, np.uint64)]), np.repeat(gids, [len(v) for v in vals])

        parts = []
        for _ in range(int(rng.integers(1, 3))):
            m = int(rng.integers(0, 40))
            parts.append((keys[rng.integers(0, len(keys), m)], name_pool[rng.integers(0, 4, m)]))
        rows_of_doc = np.array([len(h) for h in held], np.int64)
        got = dedupe_cluster._unwitnessed_names(keys, parts, eligible, name_of, cur, rows_of_doc)
        witnesses: dict[int, list[int]] = {}
        for g in range(n_docs):  # gid order: the first FAST_DF_WITNESSES of each name witness
            if eligible[g] and len(witnesses.setdefault(int(name_of[g]), [])) < dedupe_cluster.FAST_DF_WITNESSES:
                witnesses[int(name_of[g])].append(g)
        want = np.zeros(len(keys), np.int64)
        for i, key in enumerate(keys.tolist()):
            names = {int(nm) for k, names_ in parts for kk, nm in zip(k.tolist(), names_.tolist()) if kk == key}
            want[i] = sum(1 for nm in names if not any(key in held[g].tolist() for g in witnesses.get(nm, [])))
        assert got.tolist() == want.tolist()


def test_radix_order_is_numpys_stable_argsort(kernels):
    """`_order` (compiled radix passes for uint64 keys) gives np.argsort(kind="stable")'s
    permutation: ties kept in input order, keys over the whole uint64 range (>= 2^63 too), digits
    that never vary (skipped passes), every key equal, sorted and reversed input, and other dtypes
    (numpy's sort)."""
    rng = np.random.default_rng(3)
    top = np.iinfo(np.uint64).max
    cases = [
        rng.integers(0, top, 10_000, dtype=np.uint64, endpoint=True),
        rng.integers(0, 5, 10_000).astype(np.uint64),  # many ties, one pass
        rng.integers(0, 1 << 16, 10_000).astype(np.uint64) << np.uint64(48),  # only the top digit varies
        np.full(9_000, top, np.uint64),
        np.sort(rng.integers(0, top, 8_000, dtype=np.uint64, endpoint=True)),
        np.sort(rng.integers(0, top, 8_000, dtype=np.uint64, endpoint=True))[::-1].copy(),
        rng.integers(0, top, 100, dtype=np.uint64, endpoint=True),  # below ORDER_MIN_KEYS
        rng.integers(-5, 5, 10_000),  # int64: numpy's own sort
        np.zeros(0, np.uint64),
    ]
    for keys in cases:
        assert np.array_equal(dedupe_cluster._order(keys), np.argsort(keys, kind="stable"))
    if kernels == "compiled":
        from tasks import _kernels

        for keys in cases[:6]:
            assert np.array_equal(_kernels.radix_order(keys), np.argsort(keys, kind="stable"))


def test_radix_order_of_hashes_sharing_high_halves_is_numpys_stable_argsort(kernels):
    """Hash-like keys are sorted by their high half, then each run of one high half by its low half:
    runs short (insertion) and long (radix passes over the low digits), in order already or not,
    with whole keys repeated (ties stay in input order), low digits that never vary inside a run,
    and pair codes whose low half has few varying digits (the plain passes)."""
    if kernels != "compiled":
        pytest.skip("the compiled kernel's own path")
    from tasks import _kernels

    rng = np.random.default_rng(24)
    top = np.iinfo(np.uint64).max
    u64 = np.uint64

    def keys_of(high: np.ndarray, low: np.ndarray) -> np.ndarray:
        return (high.astype(u64) << u64(32)) | low.astype(u64)

    low = rng.integers(0, 1 << 32, 60_000, dtype=np.uint64)
    cases = [
        rng.integers(0, top, 60_000, dtype=np.uint64, endpoint=True),  # high halves almost never shared
        keys_of(rng.integers(0, 3, 60_000), low),  # three runs of ~20k: radix inside each
        keys_of(rng.integers(0, 4_000, 60_000), low),  # runs of ~15: insertion
        keys_of(rng.integers(0, 2_000, 60_000), low),  # runs of ~30: both sides of RUN_INSERTION_MAX
        keys_of(rng.integers(0, 50, 60_000), rng.integers(0, 1 << 32, 60_000) & ~np.int64(0xFF00)),  # a constant digit
        keys_of(rng.integers(0, 7, 60_000), rng.integers(0, 1 << 32, 60_000)[rng.integers(0, 900, 60_000)]),  # repeats
        np.sort(keys_of(rng.integers(0, 5, 60_000), low)),  # runs already in order
        keys_of(np.repeat(np.arange(600), 100), np.tile(np.arange(100)[::-1] * 0x01010101, 600)),  # each run reversed
        keys_of(rng.integers(0, 20_000, 60_000), rng.integers(0, 20_000, 60_000)),  # pair codes: not split
    ]
    for keys in cases:
        assert np.array_equal(_kernels.radix_order(keys), np.argsort(keys, kind="stable"))


def test_sorted_is_numpys_sort(kernels, monkeypatch):
    """`_sorted` is np.sort (numpy 2's vectorized sort of 64-bit keys beats the compiled radix passes,
    which it no longer calls): pair codes (a << 32 | b), keys over the whole uint64 range, every key
    equal, int64 with a negative value, sorted and reversed input; `_sort_unique` and `_grouped` the
    same as tasks.dedupe's numpy versions."""
    from tasks import dedupe as sig

    if dedupe_cluster._kernels is not None:

        def refused(x):
            raise AssertionError("_sorted called the radix sort")

        monkeypatch.setattr(dedupe_cluster._kernels, "radix_sort", refused)

    rng = np.random.default_rng(5)
    top = np.iinfo(np.uint64).max
    pairs = (rng.integers(0, 20_000, 50_000).astype(np.uint64) << np.uint64(32)) | rng.integers(
        0, 20_000, 50_000
    ).astype(np.uint64)
    cases = [
        pairs,
        pairs.view(np.int64),
        rng.integers(0, top, 10_000, dtype=np.uint64, endpoint=True),
        rng.integers(0, 3, 10_000).astype(np.uint64),
        np.full(9_000, top, np.uint64),
        np.r_[rng.integers(0, 1 << 40, 9_999), -1],  # one negative int64: numpy's sort
        np.sort(pairs),
        np.sort(pairs)[::-1].copy(),
        pairs[:100],  # below ORDER_MIN_KEYS
        np.zeros(0, np.uint64),
    ]
    for keys in cases:
        got = dedupe_cluster._sorted(keys)
        assert got.dtype == keys.dtype and np.array_equal(got, np.sort(keys))
        assert np.array_equal(dedupe_cluster._sort_unique(keys), sig._sort_unique(keys))
    keys = rng.integers(0, 300, 20_000).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    members = rng.integers(0, 5_000, 20_000)
    for got, want in zip(
        dedupe_cluster._grouped(keys, members, 5_000), sig._grouped(keys, members, 5_000), strict=True
    ):
        assert np.array_equal(got, want)


def _write_sample_runs(d, keys: np.ndarray, gids: np.ndarray) -> None:
    """A sampled-shingle partition as pass 1 leaves it: one run of (key, gid) rows, documents in gid order."""
    d.mkdir(parents=True)
    np.save(d / "00000.npy", np.stack([keys, gids.astype(np.uint64)]))


def test_plain_partition_is_the_weighted_pass_with_unit_weights(tmp_path, monkeypatch, kernels):
    """The election's plain pass reads the verification's weighted partition back (the same rows and ranks,
    every weight W_ONE) instead of loading and sorting the partition's keys again, and returns what computing
    it from the runs returns."""
    rng = np.random.default_rng(47)
    n_docs = 300
    pool = rng.integers(0, 2**64, 2_000, dtype=np.uint64)  # shared shingles: ranks repeat across documents
    keys, gids = [], []
    for d in range(n_docs):
        mine = np.unique(rng.choice(pool, int(rng.integers(0, 40))))
        keys.append(mine)
        gids.append(np.full(len(mine), d, np.int64))
    k, g = np.concatenate(keys), np.concatenate(gids)
    assert len(k) >= dedupe_cluster.ORDER_MIN_KEYS  # the compiled sort's side of the threshold
    group = rng.integers(0, n_docs // 3, n_docs)
    _write_sample_runs(tmp_path / "run", k, g)
    _write_sample_runs(tmp_path / "fresh", k, g)
    dedupe_cluster._prepared_partition(tmp_path / "run", group)
    expected = dedupe_cluster._prepared_partition(tmp_path / "fresh", None)

    def no_runs(src):
        raise AssertionError("the plain pass loaded the partition's runs again")

    monkeypatch.setattr(dedupe_cluster, "_load_runs", no_runs)
    got = dedupe_cluster._prepared_partition(tmp_path / "run", None)
    for x, y in zip(got, expected, strict=True):
        assert x.dtype == y.dtype and x.shape == y.shape
        np.testing.assert_array_equal(x, y)


def test_spill_flush_keeps_each_partitions_rows_in_arrival_order(tmp_path, kernels, monkeypatch):
    """`_Spill.flush` splits its rows by pair partition with a stable order by radix passes (`_order`,
    not numpy's stable argsort, twice as slow): each partition's file holds its rows in the order they
    came, and `summed` adds them per pair code like np.unique."""
    monkeypatch.setattr(dedupe_cluster, "LOST_FLUSH_CODES", 10**9)
    rng = np.random.default_rng(5)
    spill = dedupe_cluster._Spill(tmp_path / "spill", 16)
    parts, codes, counts = [], [], []
    for _ in range(3):
        p = rng.integers(0, 16, 6_000)
        u = rng.integers(0, 500, 6_000).astype(np.uint64)
        c = rng.integers(1, 4, 6_000).astype(np.int64)
        spill.add(p, u, c)
        parts.append(p)
        codes.append(u)
        counts.append(c)
    calls = []
    real_order = dedupe_cluster._order
    monkeypatch.setattr(dedupe_cluster, "_order", lambda k: calls.append(len(k)) or real_order(k))
    spill.flush()
    assert calls == [18_000]  # one order of the buffered rows' partitions
    p, u, c = np.concatenate(parts), np.concatenate(codes), np.concatenate(counts)
    for q in range(16):
        rows = np.fromfile(tmp_path / "spill" / f"{q:05d}.bin", dtype=dedupe_cluster._Spill.DTYPE)
        assert np.array_equal(rows["u"], u[p == q]) and np.array_equal(rows["c"], c[p == q])
        got_u, got_c = spill.summed(q)
        want_u = np.unique(u[p == q])
        assert np.array_equal(got_u, want_u)
        assert np.array_equal(
            got_c, np.bincount(np.searchsorted(want_u, u[p == q]), weights=c[p == q]).astype(np.int64)
        )


@pytest.mark.parametrize("top", [1 << 24, (1 << 31) - 1, 1 << 40])
def test_intersect_by_key_weights_equals_brute_force(top, kernels):
    """Weights given per key rank (`wrank`, each row's weight its key's, as `_prepared_partition` makes
    them): `_kernels.marked_weights` marks b's keys with their weights and reads only a's ranks. The
    same integers as brute force with weights up to W_ONE, up to the int32 mark's limit, and past it
    (the per-row kernel then), pairs sorted by b or not, empty documents and pairs past the last one."""
    rng = np.random.default_rng(11)
    seen = 0
    for case in range(60):
        code, _w, a, b = random_case(rng)
        a[:3] = b[:3]
        width = int((code & 0xFFFFFFFF).max()) + 1 if len(code) else 1
        wrank = rng.integers(1, top, width, dtype=np.int64, endpoint=True)
        w = wrank[code & 0xFFFFFFFF]
        if case % 2:
            o = np.argsort(b, kind="stable")
            a, b = a[o], b[o]
        want = brute(code, w, a, b)
        got = dedupe_cluster._intersect(code, w, a, b, wrank)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        seen += int(want[1].sum())
    assert seen > 0


def test_marked_weights_rejects_short_outputs():
    from tasks import _kernels

    z = np.zeros(3, np.int64)
    with pytest.raises(ValueError):
        _kernels.marked_weights(np.zeros(2, np.int64), np.zeros(3, np.uint32), np.ones(1, np.int32), z, z, z[:2], z)

"""The fast path's intersections (`_block_deltas`, `_shared_by_doc`) against `_expand` (numpy, binary search)."""

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


@pytest.mark.parametrize("holder_rows", [3, 50])
def test_fast_path_with_tiny_slices_matches_cold(tmp_path, monkeypatch, holder_rows, kernels):
    """A weight flip between old documents (their pairs' shared weights move by `_block_deltas`,
    one call per block of changed rows) and its removal, through the fast path with every slice
    tiny: holder slices and blocks (HOLDER_ROWS) and expansion batches (SHARED_BATCH) cross their
    boundaries many times and one doc-major file is mapped at a time (MAPS_OPEN); incremental ==
    cold, byte for byte."""
    from tests.test_dedupe_incremental import boiler_case, check_step, cluster_of

    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", 10.0)
    monkeypatch.setattr(dedupe_cluster, "ADD_MAX_SHARE", 1e9)
    monkeypatch.setattr(dedupe_cluster, "HOLDER_ROWS", holder_rows)
    monkeypatch.setattr(dedupe_cluster, "SHARED_BATCH", 4)
    monkeypatch.setattr(dedupe_cluster, "MAPS_OPEN", 1)  # every gather of another file closes the last map
    calls = []
    real = dedupe_cluster._block_deltas

    def counting(*args, **kwargs):
        calls.append(int(args[0].size))  # changed rows in the block
        return real(*args, **kwargs)

    monkeypatch.setattr(dedupe_cluster, "_block_deltas", counting)
    old, others = boiler_case()
    s0, _ = check_step(tmp_path, "two", [old], None)
    s1, stats = check_step(tmp_path, "seven", [old, others], s0)
    assert stats["fast_path"] and len(calls) > 1 and sum(calls) > 0  # known pairs' deltas, block by block
    rows = cluster_of(tmp_path / "seven-inc", 2)
    assert rows["x"]["cluster_id"] != rows["y"]["cluster_id"]
    _, stats = check_step(tmp_path, "back", [old], s1)
    assert stats["fast_path"]
    rows = cluster_of(tmp_path / "back-inc", 1)
    assert rows["x"]["cluster_id"] == rows["y"]["cluster_id"]


def test_merged_sums_rejects_short_outputs():
    from tasks import _kernels

    z = np.zeros(3, np.int64)
    with pytest.raises(ValueError):
        _kernels.merged_sums(np.zeros(3, np.uint64), z, z, z, z, z, np.zeros(2, np.int64), z)


def test_shared_by_doc_equals_expand(kernels):
    """`_shared_by_doc` (the fast path's new pairs: a partner's rows searched in the new document's
    own sorted keys, no sort of the batch) gives `_expand`'s exact integers: negative weights,
    documents with no rows, a document paired with itself, repeated pairs, pairs in any order, and
    documents whose runs sit in `vals` in any order (a gather returns them file by file)."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        nd, nk = int(rng.integers(1, 40)), int(rng.integers(1, 60))
        held = [np.unique(rng.integers(0, nk, int(rng.integers(0, 30)))) for _ in range(nd)]  # key ranks
        # keys over the whole uint64 range: the merge compares unsigned (a key >= 2^63 is not negative)
        keys = np.unique(rng.integers(0, np.iinfo(np.uint64).max, nk, dtype=np.uint64, endpoint=True))
        nk = len(keys)
        held = [r[r < nk] for r in held]
        wkey = rng.integers(-5000, 5000, nk)  # a key weighs the same in every document
        length = np.array([len(r) for r in held], np.int64)
        layout = rng.permutation(nd)
        start = np.zeros(nd, np.int64)
        start[layout] = np.r_[0, np.cumsum(length[layout])[:-1]]
        vals, w, owner = (np.zeros(int(length.sum()), t) for t in (np.uint64, np.int64, np.int64))
        for d, r in enumerate(held):
            vals[start[d] : start[d] + len(r)] = keys[r]  # sorted and distinct, as the doc-major files hold them
            w[start[d] : start[d] + len(r)] = wkey[r]
            owner[start[d] : start[d] + len(r)] = d
        x, y = rng.integers(0, nd, 200), rng.integers(0, nd, 200)
        got = dedupe_cluster._shared_by_doc(vals, start, length, w, x, y)
        code = np.sort((owner << 32) | np.searchsorted(keys, vals).astype(np.int64))
        want = dedupe_cluster._expand(code, wkey[code & 0xFFFFFFFF], x, y)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        assert want[1].sum() > 0  # the case has shared rows at all


def test_block_deltas_equal_expand(kernels):
    """`_block_deltas` (the fast path's known pairs against one block of changed rows) adds
    `_expand`'s exact integers to what the pairs already hold: pairs in any order, repeated pairs,
    self pairs, runs of pairs sharing their first document, documents with no row in the block,
    documents past the block's last one, and a block that holds nothing."""
    rng = np.random.default_rng(13)
    for _ in range(60):
        nd, nr = int(rng.integers(1, 60)), int(rng.integers(1, 80))
        g, r = rng.integers(0, nd, 400), rng.integers(0, nr, 400)
        code = np.unique((g.astype(np.int64) << 32) | r)
        wrank = rng.integers(-5000, 5000, nr)
        a, b = rng.integers(0, nd + 3, 300), rng.integers(0, nd + 3, 300)
        a[:5] = b[:5]
        a[5:10], b[5:10] = a[10:15], b[10:15]
        for order in (np.arange(300), np.argsort(a, kind="stable")):  # any order; by a, as the fast path passes
            acc = rng.integers(-100, 100, 300)
            want = acc + dedupe_cluster._expand(code, wrank[code & 0xFFFFFFFF], a[order], b[order])[0]
            dedupe_cluster._block_deltas(code, wrank, a[order], b[order], acc, np.zeros(nd + 3, bool))
            assert np.array_equal(acc, want)
    acc = np.ones(2, np.int64)
    dedupe_cluster._block_deltas(np.zeros(0, np.int64), np.zeros(0, np.int64), np.array([1, 2]), np.array([2, 3]),
                                 acc, np.zeros(4, bool))  # fmt: skip
    assert acc.tolist() == [1, 1]


@pytest.mark.parametrize("slice_rows", [0, 10**9])
def test_copy_runs_equals_one_gather_through_an_index_array(monkeypatch, slice_rows):
    """`_copy_runs` by slices (every run) and by one gather (no run long enough): the rows of
    `keys[_ranges(lo, hi)]`, empty runs and repeated documents included."""
    monkeypatch.setattr(dedupe_cluster, "GATHER_SLICE_ROWS", slice_rows)
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 1 << 63, 5000, dtype=np.uint64)
    offs = np.r_[0, np.cumsum(rng.integers(0, 40, 300))]
    offs = offs[offs <= len(keys)]
    for docs in ([], [3], [0, 0, 5, 2], rng.integers(0, len(offs) - 1, 50).tolist()):
        rows = np.asarray(docs, np.int64)
        lo, hi = offs[rows], offs[rows + 1]
        out = np.full(int((hi - lo).sum()), 7, np.uint64)
        dedupe_cluster._copy_runs(keys, lo, hi, out)
        assert np.array_equal(out, keys[dedupe_cluster._ranges(lo, hi)])


def test_fast_path_gathers_by_slices_match_cold(tmp_path, monkeypatch):
    """The fast path with every doc-major gather copied run by run (`GATHER_SLICE_ROWS` 1): its
    witnesses, regrouped and measured pairs' rows as by one index array; incremental == cold."""
    from tests.test_dedupe_incremental import boiler_case, check_step

    monkeypatch.setattr(dedupe_cluster, "GATHER_SLICE_ROWS", 1)
    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", 10.0)
    monkeypatch.setattr(dedupe_cluster, "ADD_MAX_SHARE", 1e9)
    copies = []
    real = dedupe_cluster._copy_runs

    def counting(keys, lo, hi, out):
        copies.append(len(lo))
        return real(keys, lo, hi, out)

    monkeypatch.setattr(dedupe_cluster, "_copy_runs", counting)
    old, others = boiler_case()
    s0, _ = check_step(tmp_path, "two", [old], None)
    _, stats = check_step(tmp_path, "seven", [old, others], s0)
    assert stats["fast_path"] and copies


@pytest.mark.parametrize(
    "runs",
    [
        [],
        [[5]],
        [[1, 2, 2, 9], [0, 2, 3]],  # two runs sharing values
        [[4, 4, 4], [4, 4], [4]],
        [list(range(k, 100, 7)) for k in range(6)],
        [[k] for k in range(40, 0, -1)],  # 39 descents: the default sort
    ],
)
def test_sort_unique_of_sorted_runs_is_np_unique(monkeypatch, runs):
    x = np.asarray([v for r in runs for v in r], np.int64)
    few = len(x) > 1 and int((x[1:] < x[:-1]).sum()) < dedupe_cluster.SORT_RUNS
    sorted_by = []
    real = dedupe_cluster._sorted

    def default(v):
        sorted_by.append("default")
        return real(v)

    monkeypatch.setattr(dedupe_cluster, "_sorted", default)
    got = dedupe_cluster._sort_unique(x, runs=True)
    assert np.array_equal(got, np.unique(x)) and got.dtype == x.dtype
    assert sorted_by == ([] if few or len(x) < 2 else ["default"])  # few runs: merged, not sorted anew
    assert np.array_equal(dedupe_cluster._sort_unique(x), np.unique(x))


@pytest.mark.parametrize("sort_min", [0, 1 << 40])
def test_located_is_searchsorted(monkeypatch, sort_min):
    """`_located` with its queries sorted first (every size) and as they come: np.searchsorted's
    positions, for keys absent, present, repeated, past both ends, and already sorted queries."""
    monkeypatch.setattr(dedupe_cluster, "LOCATE_SORT_MIN", sort_min)
    rng = np.random.default_rng(3)
    keys = np.sort(rng.integers(0, 1 << 20, 3000, dtype=np.uint64))
    runs = [np.sort(np.r_[rng.choice(keys, 50), rng.integers(0, 1 << 21, 50, dtype=np.uint64)]) for _ in range(9)]
    for q in (np.concatenate(runs), np.sort(np.concatenate(runs)), np.zeros(0, np.uint64), keys[[5, 5, 5]]):
        assert np.array_equal(dedupe_cluster._located(keys, q), np.searchsorted(keys, q))

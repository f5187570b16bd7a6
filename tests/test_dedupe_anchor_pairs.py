"""The cold dedupe call's anchor candidates: pairs of documents sharing rare anchors and how many they share,
counted per anchor partition by the compiled kernel (`_kernels.anchor_pair_counts`, each pair once) or by the
numpy path (each pair once per shared anchor, then run-length counted), against a brute-force count."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tasks import dedupe as sig
from tasks import dedupe_cluster as dc


@pytest.fixture(params=["compiled", "numpy"])
def kernels(request, monkeypatch):
    assert dc._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    if request.param == "numpy":
        monkeypatch.setattr(dc, "_kernels", None)
    return request.param


def brute(keys: np.ndarray, gids: np.ndarray, n: int) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """Shared rare anchors per pair (an anchor held by 2..ANCHOR_MAX_DF documents), and each document's
    distinct anchors."""
    holders: dict[int, set[int]] = {}
    for k, g in zip(keys.tolist(), gids.tolist()):
        holders.setdefault(k, set()).add(g)
    shared: Counter = Counter()
    per_doc = np.zeros(n, np.int64)
    for docs in holders.values():
        for d in docs:
            per_doc[d] += 1
        if 2 <= len(docs) <= sig.ANCHOR_MAX_DF:
            shared.update(itertools.combinations(sorted(docs), 2))
    return dict(shared), per_doc


def run_partitions(tmp_path: Path, parts: list[tuple[np.ndarray, np.ndarray]], n: int, ranges: int):
    """The cold call's two steps on anchor partitions given as (keys, gids) rows: per partition the pair
    chunks (`_anchor_kernel`), then the counts over document ranges (`_pair_count_kernel`)."""
    dirs, per_doc = [], np.zeros(n, np.int64)
    for p, (keys, gids) in enumerate(parts):
        src = tmp_path / "runs" / f"{p:05d}"
        src.mkdir(parents=True)
        np.save(src / "00000.npy", np.stack([keys.astype(np.uint64), gids.astype(np.uint64)]))
        dst = tmp_path / "codes" / f"{p:05d}"
        per_doc += np.bincount(dc._anchor_kernel((src, dst, n)), minlength=n)
        dirs.append(dst)
    files = dc._chunk_files(dirs)
    codes, counts = [], []
    bounds = [n * i // ranges for i in range(ranges + 1)]
    for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        out = tmp_path / "pairs" / f"{k:05d}.npy"
        out.parent.mkdir(parents=True, exist_ok=True)
        dc._pair_count_kernel((files, out, per_doc, lo, hi))
        codes.append(np.load(out))
        counts.append(np.load(out.with_suffix(".cnt.npy")))
    return np.concatenate(codes), np.concatenate(counts), per_doc


@pytest.mark.parametrize("seed", range(8))
def test_shared_anchor_counts_match_brute_force(kernels, tmp_path: Path, monkeypatch, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    parts, all_keys, all_gids = [], [], []
    for p in range(int(rng.integers(1, 4))):
        rows = int(rng.integers(1, 400))
        keys = rng.integers(0, int(rng.integers(1, 80)), rows).astype(np.uint64) + np.uint64(p << 40)
        gids = rng.integers(0, n, rows)
        if rng.random() < 0.3:  # some anchors held by more documents than ANCHOR_MAX_DF: boilerplate, no pairs
            keys = np.r_[keys, np.full(sig.ANCHOR_MAX_DF + 1, p << 40 | 999, np.uint64)]
            gids = np.r_[gids, rng.permutation(max(n, sig.ANCHOR_MAX_DF + 1))[: sig.ANCHOR_MAX_DF + 1] % n]
        parts.append((keys, gids))
        all_keys.append(keys)
        all_gids.append(gids)
    monkeypatch.setattr(dc, "PARTITION_ROWS", int(rng.integers(1, 50)))  # chunks cut often, resumed
    codes, counts, per_doc = run_partitions(tmp_path, parts, n, int(rng.integers(1, 5)))
    shared, want_per_doc = brute(np.concatenate(all_keys), np.concatenate(all_gids), n)
    assert per_doc.tolist() == want_per_doc.tolist()
    need = {(a, b): max(sig.MIN_SHARED_ANCHORS, sig.MIN_ANCHOR_SHARE * min(per_doc[a], per_doc[b])) for a, b in shared}
    want = sorted((a << 32 | b, c) for (a, b), c in shared.items() if c >= need[a, b])
    assert [int(c) for c in codes] == [c for c, _ in want]
    assert counts.tolist() == [c for _, c in want]
    assert counts.dtype == np.int32


def test_compiled_pairs_come_once_each_in_order_of_their_first_document(tmp_path: Path, monkeypatch) -> None:
    """What the range reads rely on: chunks in order of the pair's first document, each pair once."""
    rng = np.random.default_rng(7)
    keys, gids = rng.integers(0, 30, 2000).astype(np.uint64), rng.integers(0, 40, 2000)
    monkeypatch.setattr(dc, "PARTITION_ROWS", 10)
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    np.save(src / "00000.npy", np.stack([keys, gids.astype(np.uint64)]))
    dc._anchor_kernel((src, dst, 40))
    chunks = [np.load(f) for f in dc._chunk_files([dst])]
    assert len(chunks) > 1
    codes = np.concatenate(chunks)
    first = codes >> np.uint64(32)
    assert (first[1:] >= first[:-1]).all()
    assert len(np.unique(codes)) == len(codes)

"""Shared helpers (tasks.common) that the stages' hot loops rely on for exact, repeatable output."""

from __future__ import annotations

from pathlib import Path

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


def test_rows_by_id_reads_only_the_row_groups_that_hold_the_ids(tmp_path, monkeypatch):
    """A few documents of a shard by id: the row groups whose doc_id range (footer statistics) holds
    none of them are not read; the rows come back whatever groups they fall in, unknown ids ignored."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.common import rows_by_id, write_table

    ids = [f"{k:016x}" for k in range(0, 300, 3)]  # 100 documents, 10 row groups of 10
    path = tmp_path / "docs.parquet"
    write_table(
        pa.table({"doc_id": ids, "text": [f"正文{k}" for k in range(100)]}), path, ["doc_id"], row_group_size=10
    )
    reads: list[int] = []
    real = pq.ParquetFile.read_row_group

    def counted(self, i, *args, **kwargs):
        reads.append(i)
        return real(self, i, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counted)
    wanted = [ids[9], ids[10], ids[55], "ffffffffffffffff", "0000000000000001"]  # groups 0, 1, 5; two unknown
    got = pa.concat_tables(rows_by_id(path, wanted, ["doc_id", "text"])).to_pylist()
    assert got == [{"doc_id": ids[k], "text": f"正文{k}"} for k in (9, 10, 55)]
    # group 0 is read for its ids (0000000000000001 is inside its range) but holds ids[9] anyway
    assert sorted(set(reads)) == [0, 1, 5]
    assert list(rows_by_id(path, [], ["doc_id", "text"])) == []
    reads.clear()
    assert list(rows_by_id(path, ["0000000000000001"], ["doc_id"])) == []  # in range, not there: ids only
    assert reads == [0]


def _texts_table(n: int, reverse: bool = False):
    import pyarrow as pa

    ids = [f"d{i:05d}" for i in range(n)]
    rows = list(zip(ids, [("讲话" * (i % 7 + 1) * 2000) + str(i) for i in range(n)], strict=True))
    if reverse:
        rows.reverse()
    return pa.table({"doc_id": [r[0] for r in rows], "text": [r[1] for r in rows]})


def test_write_table_gives_the_bytes_of_a_sorted_copy_whatever_the_chunks(tmp_path):
    """A table already in order is combined, not gathered row by row: its Parquet bytes are what sort_by's copy
    writes, and they do not depend on how the rows were chunked (Parquet pages do: the bytes differ by chunks)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.common import write_table

    whole = _texts_table(600)
    chunked = pa.concat_tables([whole.slice(i, 97) for i in range(0, whole.num_rows, 97)])
    assert chunked.column("text").num_chunks > 1
    reference = whole.sort_by([("doc_id", "ascending")])
    pq.write_table(
        reference, tmp_path / "ref.parquet", compression="none", use_dictionary=["doc_id"], row_group_size=64
    )
    pq.write_table(chunked, tmp_path / "raw.parquet", compression="none", use_dictionary=["doc_id"], row_group_size=64)
    ref = (tmp_path / "ref.parquet").read_bytes()
    assert (tmp_path / "raw.parquet").read_bytes() != ref  # why the chunks must be combined
    for name, table in (("sorted", chunked), ("reversed", _texts_table(600, reverse=True))):
        path = write_table(
            table, tmp_path / f"{name}.parquet", ["doc_id"], compression="none", plain=["text"], row_group_size=64
        )
        assert Path(path).read_bytes() == ref, name


def test_a_saved_table_removes_its_kinds_tables_that_are_older_than_the_keep_time(tmp_path, monkeypatch):
    """The table cache does not grow with every upgrade: saving `<kind>-<format>-<digest>` removes other tables of
    that kind older than CACHE_KEEP_SECONDS, and keeps recent ones (another install's) and other kinds."""
    import os
    import time

    from tasks import common

    monkeypatch.setenv("JIANGHUA_CACHE", str(tmp_path))
    old = time.time() - common.CACHE_KEEP_SECONDS - 60
    for name in ("gazetteer-1-aaaa", "gazetteer-0-bbbb", "jieba-dict-1-cccc", "gazetteer-1-dddd"):
        common.save_arrays(name, {"x": np.arange(3)})
    for name in ("gazetteer-1-aaaa", "gazetteer-0-bbbb", "jieba-dict-1-cccc"):
        os.utime(tmp_path / f"{name}.npz", (old, old))
    left = tmp_path / ".gazetteer-1-ffff.4242.tmp.npz"  # a process killed while saving
    left.write_bytes(b"partial")
    os.utime(left, (old, old))
    common.save_arrays("gazetteer-1-eeee", {"x": np.arange(4)})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gazetteer-1-dddd.npz",
        "gazetteer-1-eeee.npz",
        "jieba-dict-1-cccc.npz",
    ]
    assert common.load_arrays("gazetteer-1-eeee")["x"].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("damage", ["cut", "garbage", "empty"])
def test_a_damaged_cached_table_is_built_again(tmp_path, monkeypatch, damage):
    """A cached table cut short (a full disk, a copy of the cache folder interrupted) or overwritten is no table: the
    caller builds it again instead of failing every call of its stage."""
    from tasks import common

    monkeypatch.setenv("JIANGHUA_CACHE", str(tmp_path))
    common.save_arrays("idf-1-abcd", {"x": np.arange(1000)})
    path = tmp_path / "idf-1-abcd.npz"
    whole = path.read_bytes()
    path.write_bytes({"cut": whole[: len(whole) // 2], "garbage": b"PK\x03\x04" + b"\x00" * 64, "empty": b""}[damage])
    assert common.load_arrays("idf-1-abcd") is None

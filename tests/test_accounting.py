"""Accounting shard by shard (tasks.export.account_shard / merge_accounts): the same verdicts as the
whole-release check (tasks.export.account), from each shard's own rows, so a run reads only the
shards it changed. The flow tests compare both on real runs (test_flow_faults, test_flow_slices)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks.export import account_shard, merge_accounts
from tasks.ingest import InputFile

ROOT = "/landing"


def _file(path: str, part: tuple[int, int | None] | None = None) -> InputFile:
    return InputFile(path=f"{ROOT}/{path}", source_path=path, relpath=path, size=100, input_root=ROOT, part=part)


def _rows(folder: Path, name: str, rows: list[tuple[str, str | None, str]]) -> str:
    """rows: (source_path, record, reason) — a documents file when every reason is ''."""
    path = folder / f"{name}.parquet"
    table = pa.table(
        {
            "input_root": [ROOT] * len(rows),
            "source_path": [r[0] for r in rows],
            "record": [r[1] for r in rows],
            "reason": [r[2] for r in rows],
        }
    )
    pq.write_table(table, path)
    return str(path)


def test_a_shard_whose_files_all_have_a_row_accounts_cleanly(tmp_path):
    files = [_file("a.html"), _file("b.jsonl"), _file("c.bin")]
    docs = _rows(tmp_path, "docs", [("a.html", None, ""), ("b.jsonl", "L1", ""), ("b.jsonl", "L2", "")])
    rej = _rows(tmp_path, "rej", [("c.bin", None, "binary"), ("b.jsonl", "L3", "bad_record")])
    a = account_shard(files, docs, [rej])
    assert (a["accepted"], a["rejected"], a["missing"], a["twice"]) == (3, 2, [], [])
    assert a["rejected_by_reason"] == {"bad_record": 1, "binary": 1}
    total = merge_accounts(files, [a], {(ROOT, f.source_path) for f in files}, [])
    assert total == {"discovered_files": 3, "accepted": 3, "rejected": 2, "rejected_by_reason": a["rejected_by_reason"]}


def test_a_file_with_no_row_a_row_twice_and_a_row_of_another_shards_file_fail(tmp_path):
    files = [_file("a.html"), _file("b.html")]
    docs = _rows(tmp_path, "docs", [("a.html", None, ""), ("x.html", None, "")])
    rej = _rows(tmp_path, "rej", [("a.html", None, "too_short")])
    a = account_shard(files, docs, [rej])
    assert a["missing"] == [(ROOT, "b.html", "")]
    assert a["twice"] == [(ROOT, "a.html", ""), (ROOT, "x.html", "")]
    with pytest.raises(RuntimeError, match=r"1 discovered inputs are in neither.*2 rows are in both or twice"):
        merge_accounts(files, [a], {(ROOT, "a.html"), (ROOT, "b.html")}, [])


def test_a_container_s_slices_are_checked_together(tmp_path):
    whole = _file("crawl.jsonl")
    s1, s2 = _file("crawl.jsonl", (0, 50)), _file("crawl.jsonl", (50, None))
    first = account_shard([s1], _rows(tmp_path, "d1", [("crawl.jsonl", "L1", "")]), [])
    empty = account_shard([s2], _rows(tmp_path, "d2", []), [])  # a slice may hold no record
    heads = {(ROOT, "crawl.jsonl")}
    assert merge_accounts([whole], [first, empty], heads, [])["accepted"] == 1
    again = account_shard([s2], _rows(tmp_path, "d3", [("crawl.jsonl", "L1", "")]), [])
    with pytest.raises(RuntimeError, match="1 rows are in both or twice"):  # one record in two slices
        merge_accounts([whole], [first, again], heads, [])
    nothing = account_shard([s1], _rows(tmp_path, "d4", []), [])
    with pytest.raises(RuntimeError, match="1 discovered inputs are in neither"):  # no slice holds a record
        merge_accounts([whole], [nothing, empty], heads, [])


def test_unreadable_files_are_accounted_by_their_rejects_and_never_also_read(tmp_path):
    read, lost = _file("a.html"), _file("gone.html")
    a = account_shard([read], _rows(tmp_path, "d", [("a.html", None, "")]), [])
    unreadable = [{"input_root": ROOT, "source_path": "gone.html", "record": None, "reason": "read_error"}]
    total = merge_accounts([read, lost], [a], {(ROOT, "a.html")}, unreadable)
    assert total["rejected"] == 1 and total["rejected_by_reason"] == {"read_error": 1}
    with pytest.raises(RuntimeError, match="1 discovered inputs are in neither"):  # lost and not reported
        merge_accounts([read, lost], [a], {(ROOT, "a.html")}, [])
    both = [{"input_root": ROOT, "source_path": "a.html", "record": None, "reason": "read_error"}]
    with pytest.raises(RuntimeError, match="rows are in both or twice"):  # read by a shard and unreadable
        merge_accounts([read], [a], {(ROOT, "a.html")}, both)


def _documents(folder: Path, name: str, records: list[str], clusters: list[str]) -> str:
    path = folder / f"{name}.parquet"
    n = len(records)
    pq.write_table(
        pa.table({"input_root": [ROOT] * n, "source_path": ["b.jsonl"] * n, "record": records, "cluster_id": clusters}),
        path,
    )
    return str(path)


def test_the_key_columns_digest_ignores_dedupe_columns_and_sees_every_key(tmp_path):
    from tasks.export import key_columns_digest

    base = key_columns_digest(_documents(tmp_path, "a", ["L1", "L2"], ["c1", "c1"]))
    assert key_columns_digest(_documents(tmp_path, "b", ["L1", "L2"], ["c9", "c1"])) == base  # a copy joined
    assert key_columns_digest(_documents(tmp_path, "c", ["L1", "L3"], ["c1", "c1"])) != base
    assert key_columns_digest(_documents(tmp_path, "d", ["L1"], ["c1"])) != base


def test_a_shard_s_accounting_is_read_back_until_its_rows_change(tmp_path, monkeypatch):
    import flows.pipeline as pipeline

    calls: list[str] = []
    real = pipeline.account_shard
    monkeypatch.setattr(pipeline, "account_shard", lambda m, d, r: calls.append(d) or real(m, d, r))
    state = tmp_path / "state"
    export = tmp_path / "export"
    export.mkdir()
    members = [(_file("b.jsonl"), "sha")]
    rejects = [_rows(tmp_path, "ingest-rej", []), _rows(tmp_path, "norm-rej", [])]
    _documents(export, "documents", ["L1", "L2"], ["c1", "c1"])
    args = (str(state), [_file("b.jsonl")], {"s1": members}, {"s1": {"dir": str(export)}}, rejects, [])
    assert pipeline._account(*args)["accepted"] == 2 and len(calls) == 1
    _documents(export, "documents", ["L1", "L2"], ["c2", "c1"])  # re-exported: only a dedupe column moved
    assert pipeline._account(*args)["accepted"] == 2 and len(calls) == 1
    _documents(export, "documents", ["L1", "L2", "L3"], ["c2", "c1", "c3"])
    assert pipeline._account(*args)["accepted"] == 3 and len(calls) == 2
    assert len(list((state / "artifacts" / pipeline.ACCOUNTED).iterdir())) == 1  # the outdated one is gone

"""bench/bench_side_layout.py: the layouts it prices give a cold write's bytes, and it counts what a night changed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench import bench_side_layout
from tasks import schema
from tasks.common import write_table


def _value(field: pa.Field, doc: int, row: int, rng: random.Random):
    t = field.type
    if pa.types.is_string(t):
        return f"第{doc}篇第{row % 7}句增长{rng.randint(1, 9)}%" if field.nullable or field.name != "doc_id" else None
    if pa.types.is_boolean(t):
        return rng.random() < 0.3
    if pa.types.is_integer(t):
        return row * 10 if field.name == "start" else rng.randint(0, 100)
    if pa.types.is_floating(t):
        return rng.random()
    if pa.types.is_list(t):
        return ["约"] if row % 3 == 0 else []
    return None


def _side_tables(folder: Path, docs: list[str], rng: random.Random) -> None:
    for name in schema.EXTRACT_TABLES:
        target = schema.TABLES[name]
        rows = []
        for k, doc in enumerate(docs):
            for r in range(rng.randint(0, 30)):
                row = {f.name: _value(f, k, r, rng) for f in target}
                row["doc_id"] = doc
                rows.append(row)
        write_table(pa.Table.from_pylist(rows, schema=target), folder / f"{name}.parquet", schema.SORT_KEYS[name])
    write_table(pa.table({"doc_id": docs}), folder / "memo.parquet", ["doc_id"])


def test_a_splice_of_document_chosen_row_groups_gives_the_cold_bytes(tmp_path, capsys):
    rng = random.Random(1)
    docs = sorted(f"d{rng.getrandbits(40):010x}" for _ in range(120))
    folder = tmp_path / "cold" / ".state" / "artifacts" / "annotate" / "annotate-1"
    folder.mkdir(parents=True)
    _side_tables(folder, docs, rng)
    # the splice itself: groups copied where their documents are unchanged, the cold write's bytes
    table = pq.read_table(folder / "figures.parquet").cast(schema.TABLES["figures"])
    bench_side_layout._write_groups(table, tmp_path / "earlier.parquet", 8)
    keep = set(docs) - {docs[5], docs[70]}
    sort_by = schema.SORT_KEYS["figures"]
    assert bench_side_layout._splice(
        tmp_path / "s.parquet", tmp_path / "earlier.parquet", keep, table.schema, sort_by, 8
    )
    kept = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(keep))))
    bench_side_layout._write_groups(kept, tmp_path / "cold.parquet", 8)
    assert (tmp_path / "s.parquet").read_bytes() == (tmp_path / "cold.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "s.parquet").metadata.num_row_groups > 3
    # ... and the bench, which checks the same for every drop and table
    bench_side_layout.layouts(tmp_path / "cold", [4, 16], shards=1, drop=2, trials=2)
    printed = capsys.readouterr().out
    assert "K=4:" in printed and "K=16:" in printed and "today: re-run" in printed


def test_changed_counts_the_rows_and_tables_of_old_shards_a_night_rewrote(tmp_path, capsys):
    docs = [f"d{k:03d}" for k in range(20)]
    for run, moved in (("cold", None), ("plus", "d007")):
        folder = tmp_path / run / ".state" / "artifacts" / "export" / f"export-{run}"
        folder.mkdir(parents=True)
        rows = [{"doc_id": d, "dup_of": "d001" if d == moved else None, "input_root": run} for d in docs]
        write_table(pa.Table.from_pylist(rows), folder / "documents.parquet", ["doc_id"])
        _side_tables(folder, docs if run == "cold" else docs[:-1], random.Random(3))
        (folder / "_done.json").write_text(json.dumps({"shard": "shard-a"}), encoding="utf-8")
    bench_side_layout.changed(tmp_path / "cold", tmp_path / "plus")
    printed = capsys.readouterr().out
    assert "shard-a: 1 of 20 documents rows differ {'dup_of': 1}" in printed  # input_root is where the files are
    assert "1 old shards exported again, 1 rows differ" in printed
    assert "rewritten: none" not in printed

"""What a +1 % night's old-shard annotate and export calls rewrite, and what other layouts of the published side
tables would cost (issue 10: annotate's 0-document re-runs; session 53, h4).

    python -m bench.bench_side_layout changed COLD PLUS      # per old shard: rows of its export that differ
    python -m bench.bench_side_layout layouts COLD [--k 96 48 24] [--shards 4] [--drop 2] [--trials 3]

`changed`: COLD and PLUS are pipeline outputs (a kept cold run and a +1 % run made on a copy of it, e.g. bench.scale
plus's `pipeline-N-cold` and `pipeline-N-out`): for every shard whose export artifact the +1 % run made again, the
documents rows that differ by column (input_root aside) and the side tables whose bytes differ.

`layouts`: on the first `--shards` annotate artifacts of COLD, a call that drops `--drop` canonical documents (what
a night's old-shard annotate does: a longer new copy took them) priced three ways, CPU ms per shard for the five
tables (process_time, median of `--trials` drops):
- today: each table read whole, the dropped rows filtered out, sorted, written again (one file, 8,192-row groups);
- groups: row groups cut where the documents choose (after a document whose xxh64(doc_id) % K == 0, or at 8,192
  rows), the cold write of that layout, and a splice that copies every group whose documents are unchanged and
  encodes the others (footer moved with tasks.parquet_thrift); the spliced file is checked byte for byte against
  the cold write of the same rows;
- files: the same cut, each group a file of its own (a published folder of B parts per shard), the cold write of
  them all, and a re-run that rewrites the files holding a dropped document and links the others.
Printed with the published bytes of each layout against today's. Nothing of the pipeline imports this module.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS_MAX = 8192  # tasks.common.write_table's row group: a document-chosen group is cut there too


def _exports(out: Path) -> dict[str, Path]:
    found = {}
    for done in (out / ".state" / "artifacts" / "export").glob("*/_done.json"):
        found[json.loads(done.read_text(encoding="utf-8")).get("shard", "")] = done.parent
    return found


def changed(cold: Path, plus: Path) -> None:
    import pyarrow.parquet as pq

    from tasks import schema

    before, after = _exports(cold), _exports(plus)
    total: dict[str, int] = {}
    rows_total = shards = 0
    for shard, folder in sorted(after.items()):
        if shard not in before:
            print(f"{shard}: new shard")
            continue
        if before[shard] == folder:
            continue
        shards += 1
        a = pq.read_table(before[shard] / "documents.parquet").to_pylist()
        b = pq.read_table(folder / "documents.parquet").to_pylist()
        if [r["doc_id"] for r in a] != [r["doc_id"] for r in b]:
            print(f"{shard}: other documents")
            continue
        columns: dict[str, int] = {}
        rows = 0
        for x, y in zip(a, b, strict=True):
            diff = [k for k in x if k != "input_root" and x[k] != y[k]]
            rows += bool(diff)
            for k in diff:
                columns[k] = columns.get(k, 0) + 1
        side = [
            t
            for t in schema.EXTRACT_TABLES
            if (before[shard] / f"{t}.parquet").read_bytes() != (folder / f"{t}.parquet").read_bytes()
        ]
        print(f"{shard}: {rows} of {len(a)} documents rows differ {columns}; side tables rewritten: {side or 'none'}")
        rows_total += rows
        for k, n in columns.items():
            total[k] = total.get(k, 0) + n
    print(f"{shards} old shards exported again, {rows_total} rows differ; by column {total}")


# ----------------------------------------------------------------------------- document-chosen row groups


def _doc_runs(column: Any) -> tuple[list[str], list[int]]:
    """The documents of a doc_id column grouped by document, and each one's row count."""
    import numpy as np
    import pyarrow as pa

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(column) == 0:
        return [], []
    encoded = column.dictionary_encode()
    codes = encoded.indices.to_numpy()
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    counts = np.diff(np.append(starts, len(codes)))
    return encoded.dictionary.take(pa.array(codes[starts])).to_pylist(), counts.tolist()


def _groups(docs: Sequence[str], counts: Sequence[int], k: int) -> list[list[str]]:
    import xxhash

    groups: list[list[str]] = []
    current: list[str] = []
    rows = 0
    for doc, n in zip(docs, counts, strict=True):
        current.append(doc)
        rows += n
        if rows >= ROWS_MAX or xxhash.xxh64_intdigest(doc.encode()) % k == 0:
            groups.append(current)
            current, rows = [], 0
    if current:
        groups.append(current)
    return groups


_OPTIONS: dict[str, Any] = {"compression": "zstd", "use_dictionary": True, "write_statistics": True}


def _encode(table: Any, lengths: Sequence[int], sink: Any) -> None:
    import pyarrow.parquet as pq

    with pq.ParquetWriter(sink, table.schema, **_OPTIONS) as writer:
        at = 0
        for n in lengths:
            writer.write_table(table.slice(at, n), row_group_size=n)
            at += n


def _write_groups(table: Any, path: Path, k: int) -> None:
    docs, counts = _doc_runs(table.column("doc_id"))
    rows = dict(zip(docs, counts, strict=True))
    _encode(table, [sum(rows[d] for d in g) for g in _groups(docs, counts, k)], str(path))


def _splice(path: Path, earlier: Path, keep: set[str], target: Any, sort_by: list[str], k: int) -> bool:
    """`earlier`'s rows of the `keep` documents written at `path`: unchanged groups copied, the others encoded."""
    import mmap

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.common import sorted_table
    from tasks.parquet_thrift import _STRUCT, _get, _moved, _parquet_footer, _set, _span, _write_struct

    with open(earlier, "rb") as fh:
        view = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    meta = _parquet_footer(view)
    old_groups = (_get(meta, 4) or (_STRUCT, []))[1]
    source = pq.ParquetFile(earlier)
    docs_old, counts_old = _doc_runs(source.read(columns=["doc_id"], use_threads=False).column(0))
    by_group: list[tuple[str, ...]] = []
    at = 0
    for group in old_groups:
        n, taken, members = _get(group, 3), 0, []
        while taken < n:
            members.append(docs_old[at])
            taken += counts_old[at]
            at += 1
        by_group.append(tuple(members))
    counts = {d: n for d, n in zip(docs_old, counts_old, strict=True) if d in keep}
    docs = sorted(counts)
    groups = _groups(docs, [counts[d] for d in docs], k)
    old_of = {g: i for i, g in enumerate(by_group)}
    plan = [old_of.get(tuple(g)) for g in groups]
    if all(i is None for i in plan):
        return False
    encode = [d for g, i in zip(groups, plan, strict=True) if i is None for d in g]
    needed = [i for i, g in enumerate(by_group) if i not in plan and set(encode).intersection(g)]
    table = source.read_row_groups(needed, use_threads=False) if needed else pq.read_schema(earlier).empty_table()
    table = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(encode, pa.string()))).cast(target)
    table = sorted_table(table, sort_by) if table.num_rows else table
    sink = pa.BufferOutputStream()
    _encode(table, [sum(counts[d] for d in g) for g, i in zip(groups, plan, strict=True) if i is None], sink)
    small = memoryview(sink.getvalue().to_pybytes())
    fresh = _parquet_footer(small)
    if [_get(fresh, f) for f in (1, 2, 5, 6, 7)] != [_get(meta, f) for f in (1, 2, 5, 6, 7)]:
        return False  # another schema or writer (version, schema, key-value metadata, created_by, column orders)
    fresh_groups = iter((_get(fresh, 4) or (_STRUCT, []))[1])
    pieces, out_groups, pos = [], [], 4
    for i in plan:
        group = old_groups[i] if i is not None else next(fresh_groups)
        data = view if i is not None else small
        chunks = _get(group, 1)[1]
        start, length = _span(chunks[0])[0], sum(_span(c)[1] for c in chunks)
        for chunk in chunks:
            _moved(chunk, pos - start)
        if _get(group, 5) is not None:
            _set(group, 5, _get(group, 5) + pos - start)
        pieces.append(data[start : start + length])
        out_groups.append(group)
        pos += length
    _set(fresh, 3, sum(counts.values()))
    _set(fresh, 4, (_STRUCT, out_groups))
    footer = bytearray()
    _write_struct(fresh, footer)
    with open(path, "wb") as sink_file:
        sink_file.write(b"PAR1")
        for piece in pieces:
            sink_file.write(piece)
        sink_file.write(bytes(footer) + len(footer).to_bytes(4, "little") + b"PAR1")
    return True


def layouts(cold: Path, ks: Sequence[int], shards: int, drop: int, trials: int) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.common import sorted_table, write_table

    folders = sorted((cold / ".state" / "artifacts" / "annotate").glob("*/memo.parquet"))[:shards]
    scratch = Path(tempfile.mkdtemp(prefix="side-layout-"))
    rng = random.Random(53)
    drops = {
        f.parent: [
            set(rng.sample(pq.read_table(f, columns=["doc_id"]).column(0).to_pylist(), drop)) for _ in range(trials)
        ]
        for f in folders
    }

    def cpu(fn: Any) -> float:
        t = time.process_time()
        fn()
        return time.process_time() - t

    today: list[float] = []
    size_today = 0
    for folder, sets in drops.items():
        size_today += sum((folder / f"{t}.parquet").stat().st_size for t in schema.EXTRACT_TABLES)
        for gone in sets:

            def rewrite(folder: Path = folder, gone: set[str] = gone) -> None:
                for t in schema.EXTRACT_TABLES:
                    table = pq.ParquetFile(folder / f"{t}.parquet").read()
                    mask = pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(gone), pa.string())))
                    write_table(
                        table.filter(mask).cast(schema.TABLES[t]), scratch / f"{t}.parquet", schema.SORT_KEYS[t]
                    )

            today.append(cpu(rewrite))
    per_shard = len(folders)
    print(
        f"{per_shard} shards, {drop} canonical documents dropped a call, {trials} drops each (CPU ms per shard, 5 tables)"
    )
    print(f"today: re-run {statistics.median(today) * 1000:.1f}")
    for k in ks:
        g_cold, g_splice, f_cold, f_rerun, n_groups = [], [], [], [], []
        size_groups = size_files = 0
        for folder, sets in drops.items():
            tables = {t: pq.read_table(folder / f"{t}.parquet").cast(schema.TABLES[t]) for t in schema.EXTRACT_TABLES}
            g_cold.append(
                cpu(
                    lambda tables=tables, k=k: [
                        _write_groups(tb, scratch / f"g-{t}.parquet", k) for t, tb in tables.items()
                    ]
                )
            )
            size_groups += sum((scratch / f"g-{t}.parquet").stat().st_size for t in tables)
            n_groups += [pq.ParquetFile(scratch / f"g-{t}.parquet").metadata.num_row_groups for t in tables]
            cuts = {}
            for t, tb in tables.items():
                docs, counts = _doc_runs(tb.column("doc_id"))
                rows = dict(zip(docs, counts, strict=True))
                cuts[t] = [(g, sum(rows[d] for d in g)) for g in _groups(docs, counts, k)]

            def files_cold(tables: dict = tables, cuts: dict = cuts) -> None:
                for t, tb in tables.items():
                    at = 0
                    for i, (_, n) in enumerate(cuts[t]):
                        write_table(tb.slice(at, n), scratch / f"f-{t}-{i}.parquet", schema.SORT_KEYS[t])
                        at += n

            f_cold.append(cpu(files_cold))
            size_files += sum(p.stat().st_size for p in scratch.glob("f-*.parquet"))
            for gone in sets:
                keep = {d for tb in tables.values() for d in tb.column("doc_id").to_pylist()} - gone

                def splice(keep: set[str] = keep, tables: dict = tables, k: int = k) -> None:
                    for t in tables:
                        if not _splice(
                            scratch / f"s-{t}.parquet",
                            scratch / f"g-{t}.parquet",
                            keep,
                            schema.TABLES[t],
                            schema.SORT_KEYS[t],
                            k,
                        ):
                            table = pq.read_table(scratch / f"g-{t}.parquet")
                            table = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(keep))))
                            table = sorted_table(table.cast(schema.TABLES[t]), schema.SORT_KEYS[t])
                            _write_groups(table, scratch / f"s-{t}.parquet", k)

                g_splice.append(cpu(splice))
                for t in tables:  # the splice gives the cold write's bytes
                    table = pq.read_table(scratch / f"g-{t}.parquet")
                    table = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(keep))))
                    _write_groups(table.cast(schema.TABLES[t]), scratch / f"c-{t}.parquet", k)
                    assert (scratch / f"s-{t}.parquet").read_bytes() == (scratch / f"c-{t}.parquet").read_bytes(), t

                def files_rerun(gone: set[str] = gone, cuts: dict = cuts, tables: dict = tables) -> None:
                    for t in tables:
                        for i, (g, _) in enumerate(cuts[t]):
                            src, dst = scratch / f"f-{t}-{i}.parquet", scratch / f"r-{t}-{i}.parquet"
                            dst.unlink(missing_ok=True)
                            if gone.intersection(g):
                                table = pq.ParquetFile(src).read()
                                mask = pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(gone))))
                                write_table(table.filter(mask), dst, schema.SORT_KEYS[t])
                            else:
                                os.link(src, dst)

                f_rerun.append(cpu(files_rerun))
            for p in scratch.glob("[fr]-*.parquet"):
                p.unlink()
        print(
            f"K={k}: groups {statistics.mean(n_groups):.1f} a table | row groups: cold write "
            f"{statistics.median(g_cold) * 1000:.1f}, re-run (splice) {statistics.median(g_splice) * 1000:.1f}, bytes "
            f"{size_groups / size_today:.3f}x | one file a group: cold write {statistics.median(f_cold) * 1000:.1f}, "
            f"re-run {statistics.median(f_rerun) * 1000:.1f}, bytes {size_files / size_today:.3f}x"
        )
    cold_today = []
    for folder in drops:
        tables = {t: pq.read_table(folder / f"{t}.parquet").cast(schema.TABLES[t]) for t in schema.EXTRACT_TABLES}
        cold_today.append(
            cpu(
                lambda tables=tables: [
                    write_table(tb, scratch / f"{t}.parquet", schema.SORT_KEYS[t]) for t, tb in tables.items()
                ]
            )
        )
    print(f"today: cold write {statistics.median(cold_today) * 1000:.1f}")
    shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("changed")
    c.add_argument("cold", type=Path)
    c.add_argument("plus", type=Path)
    lay = sub.add_parser("layouts")
    lay.add_argument("cold", type=Path)
    lay.add_argument("--k", type=int, nargs="+", default=[96, 48, 24])
    lay.add_argument("--shards", type=int, default=4)
    lay.add_argument("--drop", type=int, default=2)
    lay.add_argument("--trials", type=int, default=3)
    args = ap.parse_args(argv)
    if args.mode == "changed":
        changed(args.cold, args.plus)
    else:
        layouts(args.cold, args.k, args.shards, args.drop, args.trials)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Annotate stage: a speech's side tables — sections, figures, slogans, mentions and keywords.

They describe the speech, not one site's copy of it, so only the canonical copy of each duplicate
cluster is annotated (documents.is_canonical; singletons are their own canonical). On the 20k
bench 63 % of the documents are copies: annotating every one of them was ~45 % of a cold run's
worker time for rows no analyst query reads (the speech_* views already kept the canonical's only).
The stage runs once dedupe has elected the canonicals; extract (the documents' fields, which every
copy needs) runs beside dedupe, before it.

A document's rows are a function of its text, its year and level (from extract) and top_k, so one
whose digest of those is in an `earlier` artifact of this code is copied, not annotated again: when
a new page makes an old copy canonical, its shard re-runs for that one document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tasks.common import content_digest

# Documents decoded to Python at a time (as extract's batches): bounds a worker by the batch, not the shard.
BATCH_ROWS = 256
# what annotation reads of extract's fields: delivered_on only for the year a document reviews (figures' ref_year,
# extract_figures.reviewed_year), which enters a document's digest only when it is not the default
FIELD_COLUMNS = ("doc_id", "year", "admin_level", "delivered_on")


def annotate_shard(
    inputs: dict, out_dir: str, top_k: int, doc_seconds: float | None = None, earlier: Sequence[str] = ()
) -> dict:
    """Side tables of the shard's canonical documents; `inputs` = normalize, extract and the shard's
    dedupe assignments part (doc_id, is_canonical)."""
    return _annotate_shard(inputs, out_dir, top_k, doc_seconds, earlier)


def annotate_document(
    doc_id: str,
    text: str,
    year: int | None,
    admin_level: str | None,
    top_k: int,
    reviewed: int | None = None,
    failed: list[str] | None = None,
) -> dict:
    """The side-table rows of one document (schema.ANNOTATE_TABLES names -> rows); `reviewed`: the year its outcomes
    refer to when not the year before its own (extract_figures.reviewed_year); `failed` gets the tables whose rules
    raised (extract_tables), left empty."""
    from tasks.extract import document_keywords
    from tasks.extract_structure import extract_tables

    tables = extract_tables(doc_id, text, year=year, admin_level=admin_level, reviewed_year=reviewed, failed=failed)
    tables["keywords"] = document_keywords(doc_id, text, k=top_k)
    return tables


def _annotate_shard(inputs: dict, out_dir: str, top_k: int, doc_seconds: float | None, earlier: Sequence[str]) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.common import write_table

    assign = pq.ParquetFile(inputs["dedupe"]).read(columns=["doc_id", "is_canonical"])
    canonical = {d for d, c in zip(assign.column(0).to_pylist(), assign.column(1).to_pylist(), strict=True) if c}
    del assign
    tables: dict[str, list[pa.Table]] = {name: [] for name in schema.EXTRACT_TABLES}
    counts = dict.fromkeys(schema.EXTRACT_TABLES, 0)
    memo: list[dict] = []
    reused: dict[str, list[str]] = {}  # earlier artifact -> its documents copied here
    sources = {"normalize": Path(inputs["normalize"]).name, "extract": Path(inputs["extract"]).name, "top_k": top_k}
    # documents an earlier artifact annotated from these very normalize and extract artifacts: their
    # digests are its memo's, so their texts are neither read nor hashed again (a +1 % call re-runs a
    # shard for the few documents whose canonical flag moved: reading and hashing every canonical
    # text was ~60 of its ~170 ms of own work at 20k, session 26)
    for doc_id, (digest, src) in _same_sources_memo(earlier, sources, canonical).items():
        memo.append({"doc_id": doc_id, "digest": digest, "flags": []})
        reused.setdefault(src, []).append(doc_id)
    todo = canonical - {m["doc_id"] for m in memo}
    errors = timeouts = 0
    if todo:
        errors, timeouts = _annotate_documents(inputs, todo, top_k, doc_seconds, earlier, memo, reused, tables, counts)
    out = Path(out_dir)
    digests = {}
    for name in schema.EXTRACT_TABLES:
        parts = tables.pop(name)
        path = out / f"{name}.parquet"
        if not any(t.num_rows for t in parts) and len(reused) == 1:
            # every row is an earlier artifact's (a night's old shard whose canonicals only shrank, or that took
            # its new canonicals from another artifact): that file itself where no row of it left, else its
            # rows less the lost documents', still in its sorted order
            ((src, ids),) = reused.items()
            kept = _kept_rows(Path(src) / f"{name}.parquet", ids, schema.TABLES[name], path)
            counts[name] += kept
        else:
            for src, ids in sorted(reused.items()):
                copied = _rows_of(Path(src) / f"{name}.parquet", ids, schema.TABLES[name])
                counts[name] += copied.num_rows
                parts.append(copied)
            table = pa.concat_tables(parts) if parts else schema.TABLES[name].empty_table()
            del parts
            # written as export publishes it (schema, sort, options): export links the file, it never re-encodes it
            write_table(table, path, schema.SORT_KEYS[name])
            del table
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_table(pa.Table.from_pylist(memo, schema=schema.ANNOTATE_MEMO), out / "memo.parquet", ["doc_id"])
    del tables
    pa.default_memory_pool().release_unused()  # what the shard's tables freed (see tasks.extract)
    return {
        "docs": len(memo),
        "reused_docs": sum(len(ids) for ids in reused.values()),
        "errors": errors,
        "timeouts": timeouts,
        "flagged": errors + timeouts,
        **counts,
        "digests": digests,
        "sources": sources,
        "cacheable": timeouts == 0,
    }


def _annotate_documents(
    inputs: dict,
    todo: set[str],
    top_k: int,
    doc_seconds: float | None,
    earlier: Sequence[str],
    memo: list[dict],
    reused: dict[str, list[str]],
    tables: dict[str, list],
    counts: dict[str, int],
) -> tuple[int, int]:
    """Annotate the `todo` documents (those no earlier artifact of the same sources holds), or copy one whose
    digest an earlier artifact knows; appends to `memo`, `reused`, `tables`, `counts`; returns (errors, timeouts).

    Only here are extraction's modules imported (~0.5 CPU-s in a fresh worker, session 53) and its tables built
    on the first document annotated (segmenter, dictionaries, gazetteer, ~0.45 more): a nightly run's old shard
    whose canonicals only shrank copies its rows and pays neither, on whichever worker it lands."""
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.extract import _earlier_digests, fewer_collections, rows_table
    from tasks.extract_figures import reviewed_year
    from tasks.procs import TimeBudgetExceeded, time_budget

    with fewer_collections():  # short-lived acyclic objects, as extract
        fields_table = pq.ParquetFile(Path(inputs["extract"]) / "fields.parquet").read(columns=list(FIELD_COLUMNS))
        fields = {r["doc_id"]: r for r in fields_table.to_pylist() if r["doc_id"] in todo}
        del fields_table
        errors = timeouts = 0
        known = _earlier_digests(earlier)
        for batch in _canonical_batches(Path(inputs["normalize"]) / "docs.parquet", todo):
            batch_rows: dict[str, list[dict]] = {name: [] for name in schema.EXTRACT_TABLES}
            for doc_id, text in batch:
                got = fields.get(doc_id) or {}
                year, level = got.get("year"), got.get("admin_level")
                reviewed = reviewed_year(year, got.get("delivered_on"))
                digest = _digest(doc_id, text, year, level, top_k, reviewed)
                if digest in known:
                    memo.append({"doc_id": doc_id, "digest": digest, "flags": []})
                    reused.setdefault(known[digest], []).append(doc_id)
                    continue
                flags: list[str] = []
                failed: list[str] = []
                try:
                    with time_budget(doc_seconds):
                        doc_tables = annotate_document(doc_id, text or "", year, level, top_k, reviewed, failed)
                except TimeBudgetExceeded:
                    doc_tables, flags = {}, ["annotate_timeout"]
                    timeouts += 1
                except Exception:  # noqa: BLE001 - annotation must not lose the page: a flag says it failed
                    doc_tables, flags = {}, ["annotate_error"]
                    errors += 1
                else:
                    if failed:  # the other tables' rows are kept; the flag says some are missing
                        flags = ["annotate_error"]
                        errors += 1
                # a timed-out document is never reused from its memo: the next run tries it again
                memo.append({"doc_id": doc_id, "digest": digest if not flags else f"failed:{digest}", "flags": flags})
                for name in schema.EXTRACT_TABLES:
                    batch_rows[name].extend(doc_tables.get(name, ()))
            for name, rows in batch_rows.items():
                counts[name] += len(rows)
                tables[name].append(rows_table(rows, schema.TABLES[name]))
        return errors, timeouts


def _rows_of(path: Path, ids: list[str], target: Any) -> Any:
    """The rows of `ids` in an earlier artifact's table, in its (sorted) order (tasks.extract's `_rows_of`,
    here so that copying rows does not import extraction's modules)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path).read()
    return table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(ids, pa.string()))).cast(target)


def _kept_rows(src: Path, ids: list[str], target: Any, path: Path) -> int:
    """Write at `path` the rows of `ids` in the earlier artifact's table `src`, which holds no other
    documents' rows a cold run would write: the file itself (a hard link, else a copy) when every row
    of it is kept, else its kept rows in its order (it is sorted), encoded as `write_table` encodes a
    sorted table. Returns the rows written. Session 52's hard-link variant linked 0 of 25 tables only
    because it linked when the whole artifact was unchanged; a table is linked here on its own rows."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.common import write_table

    source = pq.ParquetFile(src)
    doc_ids = source.read(columns=["doc_id"]).column(0)
    keep = pc.is_in(doc_ids, value_set=pa.array(ids, pa.string()))
    n = pc.sum(keep).as_py() or 0
    if n == len(doc_ids) and source.schema_arrow.remove_metadata().equals(target):
        del source
        _link_file(src, path)
        return n
    table = source.read().filter(keep).cast(target).combine_chunks()  # what sorted_table gives a sorted table
    write_table(table, path)
    return n


def _link_file(src: Path, dst: Path) -> None:
    """dst as a hard link to src (the artifacts are immutable once complete), a copy across filesystems."""
    import os
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _same_sources_memo(earlier: Sequence[str], sources: dict, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """doc_id -> (its digest, the artifact) for the wanted documents an earlier artifact made from the
    same sources annotated (its `_done.json` says so; a failed one is tried again)."""
    import json

    import pyarrow.parquet as pq

    found: dict[str, tuple[str, str]] = {}
    for folder in sorted(earlier):
        try:
            made = json.loads((Path(folder) / "_done.json").read_text(encoding="utf-8"))
            if not isinstance(made, dict) or made.get("sources") != sources:
                continue
            memo = pq.ParquetFile(Path(folder) / "memo.parquet").read(columns=["doc_id", "digest"])
        except (OSError, ValueError, KeyError):
            continue
        for doc_id, digest in zip(memo.column(0).to_pylist(), memo.column(1).to_pylist(), strict=True):
            if doc_id in wanted and doc_id not in found and digest and not digest.startswith("failed:"):
                found[doc_id] = (digest, folder)
    return found


def _digest(
    doc_id: str, text: str | None, year: int | None, level: str | None, top_k: int, reviewed: int | None = None
) -> str:
    """Everything annotation reads of one document (the code is versioned by the artifact). `reviewed` only when
    set: the documents that review the year before their own (most) keep the digests they had."""
    if reviewed is None:
        return content_digest(doc_id, text, year, level, top_k)
    return content_digest(doc_id, text, year, level, top_k, reviewed)


def _canonical_batches(path: Path, canonical: set[str]) -> Iterator[list[tuple[str, str | None]]]:
    """(doc_id, text) of the canonical documents of a docs.parquet, BATCH_ROWS at a time: only the row
    groups that hold them are read (common.rows_by_id), and only their texts turned into Python strings."""
    import pyarrow as pa

    from tasks.common import rows_by_id

    for rows in rows_by_id(path, canonical, ["doc_id", "text"]):
        keep = rows.column("doc_id").to_pylist()
        texts = rows.column("text").to_pylist()
        del rows
        pa.default_memory_pool().release_unused()
        for at in range(0, len(keep), BATCH_ROWS):
            yield list(zip(keep[at : at + BATCH_ROWS], texts[at : at + BATCH_ROWS], strict=True))
        del keep, texts


__all__ = ["annotate_document", "annotate_shard"]

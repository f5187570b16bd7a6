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

from tasks.common import content_digest
from tasks.extract import EXTRACT_GC_GEN0, _earlier_digests, _rows_of, document_keywords, rows_table
from tasks.extract_figures import reviewed_year
from tasks.extract_structure import extract_tables

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
    import gc

    threshold = gc.get_threshold()
    gc.set_threshold(max(EXTRACT_GC_GEN0, threshold[0]), *threshold[1:])  # short-lived acyclic objects, as extract
    try:
        return _annotate_shard(inputs, out_dir, top_k, doc_seconds, earlier)
    finally:
        gc.set_threshold(*threshold)


def annotate_document(
    doc_id: str, text: str, year: int | None, admin_level: str | None, top_k: int, reviewed: int | None = None
) -> dict:
    """The side-table rows of one document (schema.ANNOTATE_TABLES names -> rows); `reviewed`: the year its outcomes
    refer to when not the year before its own (extract_figures.reviewed_year)."""
    tables = extract_tables(doc_id, text, year=year, admin_level=admin_level, reviewed_year=reviewed)
    tables["keywords"] = document_keywords(doc_id, text, k=top_k)
    return tables


def _annotate_shard(inputs: dict, out_dir: str, top_k: int, doc_seconds: float | None, earlier: Sequence[str]) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.common import write_table
    from tasks.procs import TimeBudgetExceeded, time_budget

    assign = pq.ParquetFile(inputs["dedupe"]).read(columns=["doc_id", "is_canonical"])
    canonical = {d for d, c in zip(assign.column(0).to_pylist(), assign.column(1).to_pylist(), strict=True) if c}
    del assign
    fields_table = pq.ParquetFile(Path(inputs["extract"]) / "fields.parquet").read(columns=list(FIELD_COLUMNS))
    fields = {r["doc_id"]: r for r in fields_table.to_pylist() if r["doc_id"] in canonical}
    del fields_table
    tables: dict[str, list[pa.Table]] = {name: [] for name in schema.EXTRACT_TABLES}
    counts = dict.fromkeys(schema.EXTRACT_TABLES, 0)
    errors = timeouts = 0
    known = _earlier_digests(earlier)
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
    for batch in _canonical_batches(
        Path(inputs["normalize"]) / "docs.parquet", canonical - {m["doc_id"] for m in memo}
    ):
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
            try:
                with time_budget(doc_seconds):
                    doc_tables = annotate_document(doc_id, text or "", year, level, top_k, reviewed)
            except TimeBudgetExceeded:
                doc_tables, flags = {}, ["annotate_timeout"]
                timeouts += 1
            except Exception:  # noqa: BLE001 - annotation must not lose the page: a flag says it failed
                doc_tables, flags = {}, ["annotate_error"]
                errors += 1
            # a timed-out document is never reused from its memo: the next run tries it again
            memo.append({"doc_id": doc_id, "digest": digest if not flags else f"failed:{digest}", "flags": flags})
            for name in schema.EXTRACT_TABLES:
                batch_rows[name].extend(doc_tables.get(name, ()))
        for name, rows in batch_rows.items():
            counts[name] += len(rows)
            tables[name].append(rows_table(rows, schema.TABLES[name]))
    for src, ids in sorted(reused.items()):
        for name in schema.EXTRACT_TABLES:
            copied = _rows_of(Path(src) / f"{name}.parquet", ids, schema.TABLES[name])
            counts[name] += copied.num_rows
            tables[name].append(copied)
    out = Path(out_dir)
    digests = {}
    for name in schema.EXTRACT_TABLES:
        parts = tables.pop(name)
        table = pa.concat_tables(parts) if parts else rows_table([], schema.TABLES[name])
        del parts
        # written as export publishes it (schema, sort, options): export links the file, it never re-encodes it
        path = Path(write_table(table, out / f"{name}.parquet", schema.SORT_KEYS[name]))
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        del table
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

"""Export stage: each shard's slice of every published table, and the accounting of a release.

Publishing the release (one atomic switch for all tables) is `tasks.publish`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks import schema
from tasks.common import read_table, rows_to_table, write_table
from tasks.ingest import resolve_root

TEXT_COLUMNS = ("raw_text", "text")
DUPLICATE_COLUMNS = ("cluster_id", "is_canonical", "dup_of", "dup_jaccard", "dup_containment", "dup_reason")


def export_shard(
    inputs: dict[str, Any], out_dir: str, pipeline_version: str, earlier: Sequence[str] = ()
) -> dict[str, Any]:
    """Assemble the shard's slice of every published table.

    `earlier` are complete export artifacts made by this code (the flow passes them). One made from
    the same normalize and extract artifacts differs from this one only in the dedupe columns of
    documents (a new copy joined one of its clusters): its other tables are linked, not rewritten,
    and its documents rows are kept with only those columns replaced, so a nightly run rewrites
    only what its new pages changed."""
    norm_dir, extract_dir = Path(inputs["normalize"]), Path(inputs["extract"])
    sources = {"normalize": norm_dir.name, "extract": extract_dir.name, "pipeline_version": pipeline_version}
    out = Path(out_dir)
    assign = {r["doc_id"]: r for r in read_table(inputs["dedupe"]).to_pylist()}
    prev = _earlier_export(earlier, sources)
    roots = list(inputs.get("roots") or [])  # the shard's input roots now: provenance is where the files are
    if prev is not None:
        table = _located(_rededuped(read_table(prev / "documents.parquet"), assign), norm_dir, roots)
        ids = table.column("doc_id").to_pylist()
        # the earlier file's rows are in doc_id order already (checked): no sort, same bytes
        write_table(table, out / "documents.parquet", () if ids == sorted(ids) else schema.SORT_KEYS["documents"])
        counts_out: dict[str, Any] = {"documents": table.num_rows, "sources": sources, "linked": True}
        for name in ("removed_lines", *schema.EXTRACT_TABLES):
            _link(prev / f"{name}.parquet", out / f"{name}.parquet")
            counts_out[name] = pq.ParquetFile(out / f"{name}.parquet").metadata.num_rows
        # a linked file is the earlier one: the digest it recorded, not a re-read of its bytes
        recorded = _recorded_digests(prev)
        counts_out["digests"] = {
            t: recorded.get(t) if t != "documents" and recorded.get(t) else _sha256(out / f"{t}.parquet")
            for t in schema.SHARD_TABLES
        }
        return counts_out
    # the two text columns (~90 % of a shard's bytes) stay Arrow: as Python rows, then rebuilt and
    # re-sorted, they took export of a 91 MB shard to 961 MiB (bench.stage_peaks, 20k bench)
    norm_table = read_table(norm_dir / "docs.parquet")
    light = [c for c in norm_table.column_names if c not in TEXT_COLUMNS]
    norm = {r["doc_id"]: r for r in norm_table.select(light).to_pylist()}
    fields = {r["doc_id"]: r for r in read_table(extract_dir / "fields.parquet").to_pylist()}
    rows = []
    for doc_id in sorted(norm):
        doc, got, dup = norm[doc_id], fields.get(doc_id, {}), assign.get(doc_id)
        if dup is None or dup.get("cluster_id") is None:
            raise RuntimeError(_UNASSIGNED.format(doc_id=doc_id))
        counts = dict(doc["norm_flags"] or [])
        for flag, n in got.get("extract_flags") or []:
            counts[flag] = counts.get(flag, 0) + n
        row = {name: doc.get(name) for name in schema.DOCUMENTS.names if name in doc}
        row["input_root"] = resolve_root(row.get("input_root"), roots)
        row.update(
            {
                k: v
                for k, v in got.items()
                if k in schema.DOCUMENTS.names and k not in ("doc_id", "url") and v is not None
            }
        )
        row["url"] = doc.get("url") or got.get("url")  # the crawler's url first, else the page's own
        row.update(
            quality_flags=sorted(counts),
            flag_counts=sorted(counts.items()),
            rule_counts=doc["rule_counts"],
            pipeline_version=pipeline_version,
            **{k: dup.get(k) for k in DUPLICATE_COLUMNS},
        )
        rows.append(row)
    table = rows_to_table(rows, schema.DOCUMENTS)  # rows in doc_id order (SORT_KEYS["documents"])
    order = pc.sort_indices(norm_table.column("doc_id"))
    if order.to_pylist() != list(range(len(order))):  # normalize writes its docs sorted: no copy then
        norm_table = norm_table.take(order)
    for name in TEXT_COLUMNS:
        field = schema.DOCUMENTS.field(name)
        table = table.set_column(table.schema.get_field_index(name), field, norm_table.column(name).cast(field.type))
    del norm_table
    write_table(table, out / "documents.parquet")
    counts_out = {"documents": len(rows), "sources": sources, "linked": False}
    copies = {"removed_lines": norm_dir / "removed_lines.parquet"}
    copies.update({name: extract_dir / f"{name}.parquet" for name in schema.EXTRACT_TABLES})
    for name, src in copies.items():
        table = read_table(src).cast(schema.TABLES[name])
        write_table(table, out / f"{name}.parquet", schema.SORT_KEYS[name])
        counts_out[name] = table.num_rows
    # content digests, recorded once: the release id is built from them without re-reading parts
    counts_out["digests"] = {t: _sha256(out / f"{t}.parquet") for t in schema.SHARD_TABLES}
    return counts_out


_UNASSIGNED = "document {doc_id} has no duplicate-cluster assignment; this is a jianghua bug"


def _earlier_export(earlier: Sequence[str], sources: dict[str, str]) -> Path | None:
    """A complete earlier export artifact made from the same normalize and extract artifacts."""
    import json

    for folder in sorted(earlier):
        try:
            done = json.loads((Path(folder) / "_done.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        names = ("documents", "removed_lines", *schema.EXTRACT_TABLES)
        if done.get("sources") == sources and all((Path(folder) / f"{t}.parquet").exists() for t in names):
            return Path(folder)
    return None


def _recorded_digests(folder: Path) -> dict[str, str]:
    """The content digests an export artifact recorded when it wrote its files."""
    import json

    try:
        found = json.loads((folder / "_done.json").read_text(encoding="utf-8")).get("digests")
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _rededuped(docs: pa.Table, assign: dict[str, dict]) -> pa.Table:
    """documents rows with the dedupe columns taken from `assign` (every other column is a function
    of the normalize and extract rows, unchanged)."""
    ids = docs.column("doc_id").to_pylist()
    for doc_id in ids:
        dup = assign.get(doc_id)
        if dup is None or dup.get("cluster_id") is None:
            raise RuntimeError(_UNASSIGNED.format(doc_id=doc_id))
    if not docs.schema.equals(schema.DOCUMENTS, check_metadata=True):
        docs = docs.cast(schema.DOCUMENTS)
    for name in DUPLICATE_COLUMNS:
        field = schema.DOCUMENTS.field(name)
        values = pa.array([assign[i].get(name) for i in ids], field.type)
        docs = docs.set_column(schema.DOCUMENTS.get_field_index(name), field, values)
    return docs


def _located(docs: pa.Table, norm_dir: Path, roots: list[str]) -> pa.Table:
    """documents rows with input_root resolved from the normalize rows' root tokens: an earlier
    artifact of the same documents may have been made while the landing folder was elsewhere."""
    norm = read_table(norm_dir / "docs.parquet", ["doc_id", "input_root"])
    where = dict(zip(norm.column("doc_id").to_pylist(), norm.column("input_root").to_pylist(), strict=True))
    values = pa.array([resolve_root(where.get(i), roots) for i in docs.column("doc_id").to_pylist()], pa.string())
    at = schema.DOCUMENTS.get_field_index("input_root")
    return docs.set_column(at, schema.DOCUMENTS.field(at), values)


def _link(src: Path, dst: Path) -> None:
    """Hard link an unchanged part (immutable artifacts), or copy it across filesystems."""
    import os
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def account(files: list[Any], release_dir: str) -> dict[str, Any]:
    """Every discovered input ends in documents or rejects, once — checked, not assumed."""
    from collections import Counter

    import pyarrow.parquet as pq

    from tasks.ingest import accounting_gaps

    def rows(table: str, columns: list[str]) -> list[dict[str, Any]]:
        paths = sorted(Path(release_dir, table).glob("*.parquet"))
        return [r for p in paths for r in pq.read_table(p, columns=columns).to_pylist()]

    key = ["input_root", "source_path", "record"]
    docs, rejects = rows("documents", key), rows("rejects", [*key, "reason"])
    keys = [(r["input_root"] or "", r["source_path"], r["record"] or "") for r in docs + rejects]
    missing, twice = accounting_gaps(files, keys)
    if missing or twice:
        raise RuntimeError(
            f"accounting failed: {len(missing)} discovered inputs are in neither documents nor rejects "
            f"(e.g. {list(missing)[:3]}), {len(twice)} rows are in both or twice (e.g. {list(twice)[:3]}); "
            "this is a jianghua bug — please report it with the run's manifest.json"
        )
    return {
        "discovered_files": len(files),
        "accepted": len(docs),
        "rejected": len(rejects),
        "rejected_by_reason": dict(sorted(Counter(r["reason"] for r in rejects).items())),
    }

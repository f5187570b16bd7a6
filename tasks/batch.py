"""Shard runners: read a shard's artifact, apply a stage's pure functions, write the next artifact.

These run in worker processes (see tasks.pool), so they take and return paths and small dicts:
a shard's documents never travel through Prefect or the flow process. Each runner is
deterministic, so cached artifacts and fresh ones are interchangeable.
"""

from __future__ import annotations

import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa

from tasks import schema
from tasks.common import read_table, rows_to_table, write_table
from tasks.ingest import InputFile, ingest_files

# ----------------------------------------------------------------------------- schemas of artifacts

INGEST_DOCS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("content_sha256", pa.string()),
        ("format", pa.string()),
        ("encoding", pa.string()),
        ("url", pa.string()),
        ("fetched_at", pa.string()),
        ("page_title", pa.string()),
        ("raw_text", pa.string()),
        ("group", pa.string()),
    ]
)
LINE_COUNTS = pa.schema([("group", pa.string()), ("line_key", pa.string()), ("n_docs", pa.int64())])
NORMALIZED_DOCS = pa.schema(
    list(INGEST_DOCS)
    + [
        ("text", pa.string()),
        ("n_chars", pa.int32()),
        ("script", pa.string()),
        ("traditional_ratio", pa.float32()),
        ("norm_flags", schema.COUNTS),
        ("rule_counts", schema.COUNTS),
    ]
)
EXTRACTED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("page_title", pa.string()),
        ("doc_type", pa.string()),
        ("speaker_name", pa.string()),
        ("speaker_title", pa.string()),
        ("admin_level", pa.string()),
        ("region", pa.string()),
        ("region_code", pa.string()),
        ("region_mentions", pa.list_(pa.string())),
        ("meeting", pa.string()),
        ("delivered_on", pa.date32()),
        ("published_on", pa.date32()),
        ("year", pa.int16()),
        ("source_site", pa.string()),
        ("url", pa.string()),
        ("extract_flags", schema.COUNTS),
    ]
)
TERM_COUNTS = pa.schema([("doc_id", pa.string()), ("term", pa.string()), ("tf", pa.int32())])
EXTRACT_TABLES = ("sections", "figures", "slogans", "mentions")


def _processing_reject(doc: dict[str, Any], stage: str, exc: BaseException) -> dict[str, Any]:
    """A bug met on one odd page must not sink the run: the page becomes a reject that says so."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return {
        "source_path": doc["source_path"],
        "content_sha256": doc.get("content_sha256"),
        "reason": "processing_error",
        "detail": f"{stage} failed on this page ({exc.__class__.__name__}: {str(exc)[:200]}{at}); "
        "this is a jianghua bug — please report it with the file",
    }


# ----------------------------------------------------------------------------- ingest


def ingest_shard(files: list[tuple[InputFile, str | None]], out_dir: str, max_doc_bytes: int) -> dict[str, Any]:
    from tasks.normalize import line_keys

    result = ingest_files(files, max_doc_bytes=max_doc_bytes)
    line_counts: Counter[tuple[str, str]] = Counter()
    for doc in result.docs:
        for key in line_keys(doc["raw_text"]):
            line_counts[(doc["group"], key)] += 1
    groups = Counter(doc["group"] for doc in result.docs)
    out = Path(out_dir)
    write_table(rows_to_table(result.docs, INGEST_DOCS), out / "docs.parquet", ["doc_id"])
    write_table(rows_to_table(result.rejects, schema.REJECTS), out / "rejects.parquet", ["source_path"])
    lines = [{"group": g, "line_key": k, "n_docs": n} for (g, k), n in line_counts.items()]
    write_table(rows_to_table(lines, LINE_COUNTS), out / "lines.parquet", ["group", "line_key"])
    return {
        "docs": len(result.docs),
        "rejects": len(result.rejects),
        "groups": dict(sorted(groups.items())),
        "bytes": sum(len(d["raw_text"].encode("utf-8")) for d in result.docs),
    }


# ----------------------------------------------------------------------------- normalize


def normalize_shard(ingest_dir: str, boilerplate_file: str | None, out_dir: str, min_chars: int) -> dict[str, Any]:
    from tasks.normalize import normalize_text

    docs = read_table(Path(ingest_dir) / "docs.parquet").to_pylist()
    boilerplate = _load_boilerplate(boilerplate_file, {d["group"] for d in docs})
    kept, removed, rejects = [], [], []
    for doc in docs:
        try:
            norm = normalize_text(doc["raw_text"], boilerplate.get(doc["group"], frozenset()))
        except Exception as exc:  # noqa: BLE001 - one page's bug becomes its reject
            rejects.append(_processing_reject(doc, "normalize", exc))
            continue
        removed.extend(
            {"doc_id": doc["doc_id"], "line_no": n, "text": line, "rule": rule} for n, line, rule in norm.removed_lines
        )
        n_chars = len(norm.text)
        if _speech_chars(norm.text) < min_chars:
            rejects.append(
                {
                    "source_path": doc["source_path"],
                    "content_sha256": doc["content_sha256"],
                    "reason": "too_short",
                    "detail": f"only {_speech_chars(norm.text)} characters of speech left after removing page chrome "
                    f"(minimum {min_chars}); a stub, index or login page? lower --min-chars to keep such pages",
                }
            )
            continue
        kept.append(
            {
                **doc,
                "text": norm.text,
                "n_chars": n_chars,
                "script": norm.script,
                "traditional_ratio": norm.traditional_ratio,
                "norm_flags": sorted(norm.flags.items()),
                "rule_counts": sorted(norm.rule_counts.items()),
            }
        )
    out = Path(out_dir)
    write_table(rows_to_table(kept, NORMALIZED_DOCS), out / "docs.parquet", ["doc_id"])
    write_table(rows_to_table(removed, schema.REMOVED_LINES), out / "removed_lines.parquet", ["doc_id", "line_no"])
    write_table(rows_to_table(rejects, schema.REJECTS), out / "rejects.parquet", ["source_path"])
    flags = Counter(flag for d in kept for flag, _ in d["norm_flags"])
    return {
        "docs": len(kept),
        "rejects": len(rejects),
        "removed_lines": len(removed),
        "bytes": sum(len(d["raw_text"].encode("utf-8")) for d in kept),
        "flags": dict(sorted(flags.items())),
    }


def _speech_chars(text: str) -> int:
    """Characters that carry content (Han, letters, digits), so punctuation cannot pad a stub."""
    return sum(1 for ch in text if ch.isalnum())


def _load_boilerplate(path: str | None, groups: set[str]) -> dict[str, frozenset[str]]:
    if not path:
        return {}
    table = read_table(path)
    out: dict[str, set[str]] = {}
    for row in table.to_pylist():
        if row["group"] in groups:
            out.setdefault(row["group"], set()).add(row["line_key"])
    return {g: frozenset(keys) for g, keys in out.items()}


BOILERPLATE = pa.schema([("group", pa.string()), ("line_key", pa.string()), ("n_docs", pa.int64())])


def learn_boilerplate(line_files: list[str], out_file: str) -> dict[str, Any]:
    """Global step: lines recurring across many pages of one site/folder are that site's chrome."""
    from tasks.normalize import learn_boilerplate as learn

    line_counts: Counter[tuple[str, str]] = Counter()
    group_docs: Counter[str] = Counter()
    for path in line_files:
        for row in read_table(path).to_pylist():
            line_counts[(row["group"], row["line_key"])] += row["n_docs"]
    for path in line_files:
        docs = read_table(Path(path).parent / "docs.parquet", columns=["group"]).column("group").to_pylist()
        group_docs.update(docs)
    learned = learn(line_counts, group_docs)
    rows = [{"group": g, "line_key": k, "n_docs": line_counts[(g, k)]} for g, keys in learned.items() for k in keys]
    write_table(rows_to_table(rows, BOILERPLATE), out_file, ["group", "line_key"])
    return {"lines": len(rows), "groups": len(learned)}


# ----------------------------------------------------------------------------- extract


def extract_shard(normalize_dir: str, out_dir: str) -> dict[str, Any]:
    from tasks.extract import extract_fields, extract_tables, term_counts

    docs = read_table(Path(normalize_dir) / "docs.parquet").to_pylist()
    removed = _removed_by_doc(Path(normalize_dir) / "removed_lines.parquet")
    fields, terms, errors = [], [], 0
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in EXTRACT_TABLES}
    for doc in docs:
        try:
            got = extract_fields(
                doc["text"],
                raw_text=doc["raw_text"],
                removed_lines=removed.get(doc["doc_id"], ()),
                page_title=doc["page_title"],
                url=doc["url"],
            )
            doc_tables = extract_tables(doc["doc_id"], doc["text"])
            tf = term_counts(doc["text"])
        except Exception:  # noqa: BLE001
            # Keep the document: extraction is annotation; a failure leaves its fields null and a flag says so.
            got = {"flags": {"extract_error": 1}}
            doc_tables, tf = {}, {}
            errors += 1
        flags = got.pop("flags", None) or {}
        fields.append({**got, "doc_id": doc["doc_id"], "extract_flags": sorted(flags.items())})
        for name in EXTRACT_TABLES:
            tables[name].extend(doc_tables.get(name, ()))
        terms.extend({"doc_id": doc["doc_id"], "term": t, "tf": n} for t, n in tf.items())
    out = Path(out_dir)
    write_table(rows_to_table(fields, EXTRACTED), out / "fields.parquet", ["doc_id"])
    write_table(rows_to_table(terms, TERM_COUNTS), out / "terms.parquet", ["doc_id", "term"])
    for name in EXTRACT_TABLES:
        write_table(rows_to_table(tables[name], schema.TABLES[name]), out / f"{name}.parquet", schema.SORT_KEYS[name])
    return {"docs": len(fields), "errors": errors, **{name: len(rows) for name, rows in tables.items()}}


def _removed_by_doc(path: Path) -> dict[str, list[tuple[int, str, str]]]:
    out: dict[str, list[tuple[int, str, str]]] = {}
    for row in read_table(path).to_pylist():
        out.setdefault(row["doc_id"], []).append((row["line_no"], row["text"], row["rule"]))
    return out


DOC_FREQ = pa.schema([("term", pa.string()), ("df", pa.int64())])


def document_frequencies(term_files: list[str], out_file: str) -> dict[str, Any]:
    """Global step: document frequency of every term, the corpus's own IDF."""
    df: Counter[str] = Counter()
    n_docs = 0
    for path in term_files:
        table = read_table(path, columns=["doc_id", "term"])
        df.update(table.column("term").to_pylist())
        n_docs += len(set(table.column("doc_id").to_pylist()))
    rows = [{"term": t, "df": n} for t, n in df.items()]
    write_table(rows_to_table(rows, DOC_FREQ), out_file, ["term"])
    return {"terms": len(rows), "n_docs": n_docs}


def keywords_shard(extract_dir: str, df_file: str, n_docs: int, out_dir: str, top_k: int) -> dict[str, Any]:
    from tasks.extract import idf_table, top_keywords

    terms = read_table(Path(extract_dir) / "terms.parquet").to_pylist()
    by_doc: dict[str, dict[str, int]] = {}
    for row in terms:
        by_doc.setdefault(row["doc_id"], {})[row["term"]] = row["tf"]
    wanted = {row["term"] for row in terms}
    df = {row["term"]: row["df"] for row in read_table(df_file).to_pylist() if row["term"] in wanted}
    idf = idf_table(df, n_docs)
    rows = [kw for doc_id in sorted(by_doc) for kw in top_keywords(doc_id, by_doc[doc_id], idf, k=top_k)]
    write_table(rows_to_table(rows, schema.KEYWORDS), Path(out_dir) / "keywords.parquet", schema.SORT_KEYS["keywords"])
    return {"docs": len(by_doc), "keywords": len(rows)}


# ----------------------------------------------------------------------------- dedupe


def signature_shard(normalize_dir: str, out_dir: str) -> dict[str, Any]:
    from tasks.dedupe import shard_signatures

    docs = read_table(Path(normalize_dir) / "docs.parquet", columns=["doc_id", "text", "norm_flags", "n_chars"])
    flags = [sorted(k for k, _ in (m or [])) for m in docs.column("norm_flags").to_pylist()]
    table = pa.table(
        {
            "doc_id": docs.column("doc_id"),
            "text": docs.column("text"),
            "quality_flags": pa.array(flags, pa.list_(pa.string())),
            "n_chars": docs.column("n_chars"),
        }
    )
    sigs = shard_signatures(table)
    write_table(sigs, Path(out_dir) / "signatures.parquet")
    return {"docs": sigs.num_rows}


# ----------------------------------------------------------------------------- export


def export_shard(
    normalize_dir: str,
    extract_dir: str,
    keywords_dir: str,
    assignments_file: str,
    pipeline_version: str,
    out_dir: str,
) -> dict[str, Any]:
    """Assemble the shard's slice of every published table."""
    norm = {r["doc_id"]: r for r in read_table(Path(normalize_dir) / "docs.parquet").to_pylist()}
    fields = {r["doc_id"]: r for r in read_table(Path(extract_dir) / "fields.parquet").to_pylist()}
    assign = _assignments_for(assignments_file, set(norm))
    rows = []
    for doc_id in sorted(norm):
        doc, got, dup = norm[doc_id], fields.get(doc_id, {}), assign.get(doc_id, {})
        counts = dict(doc["norm_flags"] or [])
        for flag, n in got.get("extract_flags") or []:
            counts[flag] = counts.get(flag, 0) + n
        row = {name: doc.get(name) for name in schema.DOCUMENTS.names if name in doc}
        row.update({k: v for k, v in got.items() if k in schema.DOCUMENTS.names and k != "doc_id"})
        if not row.get("page_title"):
            row["page_title"] = doc.get("page_title")
        row.update(
            quality_flags=sorted(counts),
            flag_counts=sorted(counts.items()),
            rule_counts=doc["rule_counts"],
            pipeline_version=pipeline_version,
            **{
                k: dup.get(k)
                for k in ("cluster_id", "is_canonical", "dup_of", "dup_jaccard", "dup_containment", "dup_reason")
            },
        )
        rows.append(row)
    out = Path(out_dir)
    write_table(rows_to_table(rows, schema.DOCUMENTS), out / "documents.parquet", schema.SORT_KEYS["documents"])
    copies = {
        "removed_lines": Path(normalize_dir) / "removed_lines.parquet",
        "keywords": Path(keywords_dir) / "keywords.parquet",
    }
    copies.update({name: Path(extract_dir) / f"{name}.parquet" for name in EXTRACT_TABLES})
    counts_out = {"documents": len(rows)}
    for name, src in copies.items():
        table = read_table(src).cast(schema.TABLES[name])
        write_table(table, out / f"{name}.parquet", schema.SORT_KEYS[name])
        counts_out[name] = table.num_rows
    return counts_out


def _assignments_for(path: str, doc_ids: set[str]) -> dict[str, dict[str, Any]]:
    import pyarrow.compute as pc

    table = read_table(path)
    table = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(doc_ids), pa.string())))
    return {r["doc_id"]: r for r in table.to_pylist()}

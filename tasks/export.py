"""Export stage: each shard's slice of every published table, and the accounting of a release.

Publishing the release (one atomic switch for all tables) is `tasks.publish`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks import schema
from tasks.common import export_source_key, read_table, rows_to_table, write_table
from tasks.ingest import resolve_root
from tasks.parquet_thrift import _STRUCT, _get, _moved, _parquet_footer, _set, _span, _Unsupported, _write_struct

TEXT_COLUMNS = ("raw_text", "text")
DUPLICATE_COLUMNS = ("cluster_id", "is_canonical", "dup_of", "dup_jaccard", "dup_containment", "dup_reason")


def export_shard(
    inputs: dict[str, Any], out_dir: str, pipeline_version: str, earlier: Sequence[str] | Mapping[str, str] = ()
) -> dict[str, Any]:
    """Assemble the shard's slice of every published table.

    `earlier` are complete export artifacts made by this code (the flow passes them). One made from
    the same normalize and extract artifacts differs from this one only in the dedupe columns of
    documents (a new copy joined one of its clusters): its other tables are linked, not rewritten,
    and its documents rows are kept with only those columns replaced, so a nightly run rewrites
    only what its new pages changed."""
    norm_dir, extract_dir = Path(inputs["normalize"]), Path(inputs["extract"])
    annotate_dir = Path(inputs["annotate"])
    sources = {"normalize": norm_dir.name, "extract": extract_dir.name, "pipeline_version": pipeline_version}
    out = Path(out_dir)
    assign = {r["doc_id"]: r for r in _read(inputs["dedupe"]).to_pylist()}
    annotated = _annotate_flags(annotate_dir)
    prev = _earlier_export(earlier, sources)
    if prev is not None and (annotated or _recorded(prev).get("annotate_flagged")):
        prev = None  # a failed annotation is a quality flag of its document: written whole, never patched
    roots = list(inputs.get("roots") or [])  # the shard's input roots now: provenance is where the files are
    if prev is not None:
        counts_out: dict[str, Any] = {
            "sources": sources,
            "annotate": annotate_dir.name,
            "linked": True,
            "annotate_flagged": 0,
        }
        ids = _read(prev / "documents.parquet", ["doc_id"]).column(0).to_pylist()
        # dedupe columns from this run's assignments, input_root from where the files are now
        dup = _dedupe_columns(ids, assign).append_column(
            schema.DOCUMENTS.field("input_root"), _located_roots(ids, norm_dir, roots)
        )
        # the earlier file's rows are in doc_id order already (checked): its other columns' encoded
        # pages are copied, only these columns are encoded again (see _splice_columns)
        made = _recorded(prev)
        spliced = (
            _splice_columns(prev / "documents.parquet", dup, out / "documents.parquet", made.get(PIECES))
            if ids == sorted(ids)
            else None
        )
        counts_out["patched"] = spliced is not None
        written: tuple[str, list[str] | None]
        if spliced is None:
            table = _rededuped(read_table(prev / "documents.parquet"), dup)
            write_table(table, out / "documents.parquet", () if ids == sorted(ids) else schema.SORT_KEYS["documents"])
            written = _documents_digest(out / "documents.parquet")
        else:
            written = spliced
        counts_out["documents"] = len(ids)
        _link(prev / "removed_lines.parquet", out / "removed_lines.parquet")
        # a linked file is the earlier one: the row count it recorded, not its footer read again
        n = made.get("removed_lines")
        counts_out["removed_lines"] = (
            n if isinstance(n, int) else pq.ParquetFile(out / "removed_lines.parquet").metadata.num_rows
        )
        # ... and the digest it recorded, not a re-read of its bytes
        recorded = made.get("digests")
        if not isinstance(recorded, dict):
            recorded = {}
        counts_out["digests"] = {
            "removed_lines": recorded.get("removed_lines") or _sha256(out / "removed_lines.parquet"),
            "documents": written[0],
        }
        counts_out[PIECES] = written[1]
        _link_side_tables(annotate_dir, out, counts_out)
        return counts_out
    # the two text columns (~90 % of a shard's bytes) stay Arrow: as Python rows, then rebuilt and
    # re-sorted, they took export of a 91 MB shard to 961 MiB (bench.stage_peaks, 20k bench)
    norm_table = read_table(norm_dir / "docs.parquet")
    light = [c for c in norm_table.column_names if c not in TEXT_COLUMNS]
    norm = {r["doc_id"]: r for r in norm_table.select(light).to_pylist()}
    fields = {r["doc_id"]: r for r in read_table(extract_dir / "fields.parquet").to_pylist()}
    rows = []
    # the names once: `Schema.names` builds a new list at each access, and testing each extracted
    # field against it was 3.5 of 22 CPU-s of 30 shards' cold exports (100k bench, session 32)
    names = schema.DOCUMENTS.names
    extracted = frozenset(names) - {"doc_id", "url"}
    for doc_id in sorted(norm):
        doc, got, dup = norm[doc_id], fields.get(doc_id, {}), assign.get(doc_id)
        if dup is None or dup.get("cluster_id") is None:
            raise RuntimeError(_UNASSIGNED.format(doc_id=doc_id))
        counts = dict(doc["norm_flags"] or [])
        for flag, n in got.get("extract_flags") or []:
            counts[flag] = counts.get(flag, 0) + n
        for flag in annotated.get(doc_id, ()):
            counts[flag] = counts.get(flag, 0) + 1
        row = {name: doc.get(name) for name in names if name in doc}
        row["input_root"] = resolve_root(row.get("input_root"), roots)
        row.update({k: v for k, v in got.items() if k in extracted and v is not None})
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
    counts_out = {
        "documents": len(rows),
        "sources": sources,
        "annotate": annotate_dir.name,  # where its side tables came from (not a source: they are linked, never read)
        "linked": False,
        "annotate_flagged": len(annotated),
    }
    table = read_table(norm_dir / "removed_lines.parquet").cast(schema.TABLES["removed_lines"])
    write_table(table, out / "removed_lines.parquet", schema.SORT_KEYS["removed_lines"])
    counts_out["removed_lines"] = table.num_rows
    del table
    # content digests, recorded once: the release id is built from them without re-reading parts
    digest, counts_out[PIECES] = _documents_digest(out / "documents.parquet")
    counts_out["digests"] = {"documents": digest, "removed_lines": _sha256(out / "removed_lines.parquet")}
    _link_side_tables(annotate_dir, out, counts_out)
    return counts_out


def _annotate_flags(folder: Path) -> dict[str, list[str]]:
    """doc_id -> what went wrong annotating it (annotate_error, annotate_timeout); usually empty."""
    memo = _read(folder / "memo.parquet", ["doc_id", "flags"])
    return {d: f for d, f in zip(memo.column(0).to_pylist(), memo.column(1).to_pylist(), strict=True) if f}


def _link_side_tables(annotate_dir: Path, out: Path, counts_out: dict[str, Any]) -> None:
    """The annotate artifact's side tables, linked: annotate writes them as they are published (schema, row
    order, options), so export never decodes or re-encodes them; counts and digests as annotate recorded them."""
    made = _recorded(annotate_dir)
    recorded = made.get("digests")
    if not isinstance(recorded, dict):
        recorded = {}
    for name in schema.EXTRACT_TABLES:
        _link(annotate_dir / f"{name}.parquet", out / f"{name}.parquet")
        n = made.get(name)
        counts_out[name] = n if isinstance(n, int) else pq.ParquetFile(out / f"{name}.parquet").metadata.num_rows
        counts_out["digests"][name] = recorded.get(name) or _sha256(out / f"{name}.parquet")


_UNASSIGNED = "document {doc_id} has no duplicate-cluster assignment; this is a jianghua bug"


def _earlier_export(earlier: Sequence[str] | Mapping[str, str], sources: dict[str, str]) -> Path | None:
    """A complete earlier export artifact made from the same normalize and extract artifacts.

    `earlier` is the flow's index (source key -> folder: one lookup) or a list of folders to scan."""
    import json

    if isinstance(earlier, Mapping):
        hit = earlier.get(export_source_key(sources))
        earlier = [hit] if hit else []
    for folder in sorted(earlier):
        try:
            done = json.loads((Path(folder) / "_done.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        names = ("documents", "removed_lines")
        if done.get("sources") == sources and all((Path(folder) / f"{t}.parquet").exists() for t in names):
            return Path(folder)
    return None


def _recorded(folder: Path) -> dict[str, Any]:
    """What an export artifact recorded when it wrote its files (_done.json: row counts, content
    digests), read once a call: a patching call takes its linked tables' counts and digests from it."""
    import json

    try:
        found = json.loads((folder / "_done.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _dedupe_columns(ids: list[str], assign: dict[str, dict]) -> pa.Table:
    """The documents table's dedupe columns for the rows `ids`, from the shard's assignments."""
    for doc_id in ids:
        dup = assign.get(doc_id)
        if dup is None or dup.get("cluster_id") is None:
            raise RuntimeError(_UNASSIGNED.format(doc_id=doc_id))
    fields = [schema.DOCUMENTS.field(name) for name in DUPLICATE_COLUMNS]
    return pa.Table.from_arrays(
        [pa.array([assign[i].get(f.name) for i in ids], f.type) for f in fields], schema=pa.schema(fields)
    )


def _rededuped(docs: pa.Table, dup: pa.Table) -> pa.Table:
    """documents rows with the dedupe columns replaced by `dup`'s (every other column is a function
    of the normalize and extract rows, unchanged)."""
    if not docs.schema.equals(schema.DOCUMENTS, check_metadata=True):
        docs = docs.cast(schema.DOCUMENTS)
    for name in dup.column_names:  # the dedupe columns (and input_root, where the files are now)
        docs = docs.set_column(schema.DOCUMENTS.get_field_index(name), schema.DOCUMENTS.field(name), dup.column(name))
    return docs


def _read(path: str | Path, columns: list[str] | None = None) -> pa.Table:
    """A Parquet file (or some of its columns) read in this thread, without the datasets layer
    pq.read_table goes through: a patching export's four small reads cost ~2x the CPU that way
    (20k +1 %, 25 calls: ~0.3 CPU-s of ~2.4; session 13, as tasks.reuse._read in session 12)."""
    with pq.ParquetFile(path, pre_buffer=False) as pf:
        return pf.read(columns=columns, use_threads=False)


def _located_roots(ids: list[str], norm_dir: Path, roots: list[str]) -> pa.Array:
    """input_root of the rows `ids`, resolved from the normalize rows' root tokens: an earlier
    artifact of the same documents may have been made while the landing folder was elsewhere."""
    norm = _read(norm_dir / "docs.parquet", ["doc_id", "input_root"])
    where = dict(zip(norm.column("doc_id").to_pylist(), norm.column("input_root").to_pylist(), strict=True))
    return pa.array([resolve_root(where.get(i), roots) for i in ids], pa.string())


# ----------------------------------------------------------------------------- patching columns in place
#
# A Parquet file is "PAR1", each row group's column chunks back to back in schema order, the
# footer (a Thrift compact-protocol FileMetaData) and its length, "PAR1". A column chunk's bytes
# and metadata depend only on that column's values and the writer options, not on its neighbours,
# so a documents file whose only change is the dedupe columns is the earlier file's chunks with
# those columns' chunks encoded again, and the footer with their metadata and the offsets after
# them moved. Encoding the text columns again was most of a re-run shard's cost (profile in
# bench/bench_incremental.py's export row). Every assumption is checked on the file at hand
# (footer re-encodes to its own bytes, chunks contiguous, no page index/bloom filter/encryption,
# the old dedupe columns encode to the very chunks the file holds); if one fails, the caller
# writes the table again as before.

# Options of tasks.common.write_table; a change there fails the "same chunks" check, never the bytes.
_WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "use_dictionary": True,
    "write_statistics": True,
    "row_group_size": 8192,
}
_FILE_FIELDS = (1, 2, 5, 6, 7)  # FileMetaData: version, schema, key_value_metadata, created_by, column_orders


@functools.cache
def _documents_file_fields() -> list[Any]:
    """What every documents file this code writes has in its footer whatever its rows."""
    meta = _parquet_footer(_small_parquet(schema.DOCUMENTS.empty_table()), layout=False)
    return [_get(meta, fid) for fid in _FILE_FIELDS]


def _small_parquet(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **_WRITE_OPTIONS)
    return sink.getvalue().to_pybytes()


# A documents file's content digest, as the release id uses it: sha256 over the digests of its pieces
# (the "PAR1" head, each column chunk in file order, the footer with its tail), recorded per piece in
# the export's _done.json. A patching export changes a few small dedupe columns of a ~30 MB file; with
# the earlier file's piece digests it neither reads nor hashes the unchanged chunks (the text columns,
# ~90 % of the bytes), and it copies them file to file in the kernel (os.copy_file_range): 100k +1 %,
# 113 patching calls, 3.4 GB copied through an mmap and hashed whole (session 29). A function of the
# bytes alone, so a run-by-run corpus and a cold one get the same digests (and release id).
PIECES = "documents_pieces"
PIECE_DIGEST_BYTES = 16


def _piece_digest(data: Any) -> str:
    import hashlib

    return hashlib.sha256(data).digest()[:PIECE_DIGEST_BYTES].hex()


def _joined_digest(pieces: Sequence[str]) -> str:
    import hashlib

    return hashlib.sha256(bytes.fromhex("".join(pieces))).hexdigest()


def _piece_spans(view: Any) -> list[tuple[int, int]]:
    """(first byte, length) of each piece of a Parquet file laid out back to back (_parquet_footer)."""
    meta = _parquet_footer(view)
    spans = [(0, 4)]
    for group in (_get(meta, 4) or (_STRUCT, []))[1]:
        spans.extend(_span(chunk) for chunk in _get(group, 1)[1])
    end = spans[-1][0] + spans[-1][1]
    return [*spans, (end, len(view) - end)]


def _documents_digest(path: Path) -> tuple[str, list[str] | None]:
    """(content digest, piece digests) of a documents file; a file not laid out back to back (not
    written by this code) gets its plain sha256 and no pieces: still a function of its bytes."""
    import mmap

    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            return _sha256(path), None
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    try:
        spans = _piece_spans(view)
    except (_Unsupported, IndexError, TypeError, ValueError, AttributeError):
        return _sha256(path), None
    pieces = [_piece_digest(view[a : a + n]) for a, n in spans]
    return _joined_digest(pieces), pieces


def _splice_columns(
    src: Path, new: pa.Table, dst: Path, src_pieces: Sequence[str] | None = None
) -> tuple[str, list[str]] | None:
    """Write src with its columns named in `new` replaced by new's values (same rows, same order),
    without decoding or encoding any other column. Returns the content digest and piece digests of
    the file written, or None (nothing written) when src is not laid out as this assumes.
    `src_pieces`: src's piece digests as recorded when it was written (else its pieces are hashed)."""
    import mmap
    import tempfile

    names = new.column_names
    old_small = _small_parquet(_read(src, names).cast(new.schema))
    new_small = _small_parquet(new)
    try:
        # the file memory-mapped: only the replaced chunks and the footer are read here. Never
        # closed by hand: a failed check's traceback may still hold views of it, and the map goes
        # with the last of them.
        with open(src, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(mapped)
        pieces, footer = _spliced(view, old_small, new_small, names)
    except (_Unsupported, IndexError, TypeError, ValueError, AttributeError, OSError):
        return None
    recorded = list(src_pieces) if src_pieces is not None and len(src_pieces) == len(pieces) + 2 else None
    tail = footer + len(footer).to_bytes(4, "little") + b"PAR1"
    digests = [_piece_digest(b"PAR1")]
    for k, (data, at) in enumerate(pieces, start=1):
        digests.append(recorded[k] if recorded is not None and at is not None else _piece_digest(data))
    digests.append(_piece_digest(tail))
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as sink, open(src, "rb") as source:
            sink.write(b"PAR1")
            run: list[int] = []  # a run of pieces back to back in src: [first byte, length]
            for data, at in [*pieces, (memoryview(tail), None)]:
                if at is not None and run and run[0] + run[1] == at:
                    run[1] += len(data)
                    continue
                if run:
                    _copy_range(source, sink, run[0], run[1], view)
                    run = []
                if at is not None:
                    run = [at, len(data)]
                else:
                    sink.write(data)
            if run:
                _copy_range(source, sink, run[0], run[1], view)
        os.chmod(tmp, 0o644)  # as tasks.common.write_table: analysts on other accounts read the corpus
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return _joined_digest(digests), digests


def _copy_range(source: Any, sink: Any, at: int, length: int, view: memoryview) -> None:
    """length bytes of source from `at` appended to sink: in the kernel, or through the mapped view
    where the filesystem or platform cannot (another filesystem on an old kernel, no copy_file_range)."""
    sink.flush()
    done = 0
    copy = getattr(os, "copy_file_range", None)
    while copy is not None and done < length:
        try:
            n = copy(source.fileno(), sink.fileno(), length - done, at + done)
        except OSError:
            break
        if n == 0:
            break
        done += n
    if done < length:
        sink.write(view[at + done : at + length])


def _spliced(
    view: memoryview, old_small: bytes, new_small: bytes, names: list[str]
) -> tuple[list[tuple[memoryview, int | None]], bytes]:
    """The column chunks (after "PAR1", each with its first byte in `view` when it is the file's own,
    None when it is new) and footer of the file in `view` with the columns `names` taken from
    new_small; old_small (the same columns' old values, written alone) proves that a column written
    alone gives the very chunks the file holds."""
    import copy

    meta, old, new = _parquet_footer(view), _parquet_footer(old_small), _parquet_footer(new_small)
    # written from the published schema by this pyarrow: version, schema, key-value metadata (the
    # Arrow schema), created_by and column orders as a cold write's
    if [_get(meta, fid) for fid in _FILE_FIELDS] != _documents_file_fields():
        raise _Unsupported("not written from the documents schema")
    groups, old_groups, new_groups = (_get(m, 4)[1] for m in (meta, old, new))
    if not (len(groups) == len(old_groups) == len(new_groups)):
        raise _Unsupported("row groups differ")
    pieces: list[tuple[memoryview, int | None]] = []
    pos = 4
    for group, og, ng in zip(groups, old_groups, new_groups, strict=True):
        if not (_get(group, 3) == _get(og, 3) == _get(ng, 3)):
            raise _Unsupported("row group sizes differ")
        chunks = _get(group, 1)[1]
        paths = [tuple(_get(_get(c, 3), 3)[1]) for c in chunks]
        replaced = {paths.index((name.encode(),)): k for k, name in enumerate(names)}
        first_delta = None
        for i, chunk in enumerate(chunks):
            start, length = _span(chunk)
            source, at, own = view, start, True
            if i in replaced:
                k = replaced[i]
                o_chunk, n_chunk = _get(og, 1)[1][k], _get(ng, 1)[1][k]
                o_start, o_len = _span(o_chunk)
                same = _moved(copy.deepcopy(chunk), -start) == _moved(copy.deepcopy(o_chunk), -o_start)
                if not same or view[start : start + length] != old_small[o_start : o_start + o_len]:
                    raise _Unsupported("a column written alone does not give the file's chunk")
                chunk, (at, length) = n_chunk, _span(n_chunk)
                source, own = memoryview(new_small), False
            chunks[i] = _moved(chunk, pos - at)
            first_delta = pos - start if first_delta is None else first_delta
            pieces.append((source[at : at + length], at if own else None))
            pos += length
        for fid, o_group, n_group in ((2, og, ng), (6, og, ng)):  # total_byte_size, total_compressed_size
            if _get(group, fid) is not None:
                _set(group, fid, _get(group, fid) - _get(o_group, fid) + _get(n_group, fid))
        if _get(group, 5) is not None:
            _set(group, 5, _get(group, 5) + first_delta)
    out = bytearray()
    _write_struct(meta, out)
    return pieces, bytes(out)


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


# --------------------------------------------------------------------------- accounting, shard by shard
# `account` reads every published document's key in the flow process: 0.25 CPU-s at 20k, linear in
# the corpus (a million documents: ~500 MB of Python rows) on every run that publishes. The same check
# splits by shard: a shard's rows come from its own files only, so each shard is checked against its
# files alone (`account_shard`, cached by the flow with the shard's artifacts) and only what crosses
# shards is checked when they are merged (`merge_accounts`): the slices of one container file (spread
# over shards: a slice may hold no record, the file must hold one, no record twice) and the files
# found unreadable before any shard read them.

_KEY = ["input_root", "source_path", "record"]


def _row_keys(table: pa.Table) -> list[tuple[str, str, str]]:
    cols = [table.column(c).to_pylist() for c in _KEY]
    return [(r or "", p, c or "") for r, p, c in zip(*cols, strict=True)]


def key_columns_digest(documents: str) -> str:
    """sha256 of the encoded bytes of a documents file's key columns (input_root, source_path,
    record), read without decoding: what a shard's accounting depends on in that file.

    A +1 % run re-exports every shard whose clusters a new copy joined, but only the dedupe columns
    change: a patching export copies the other columns' encoded pages (`_splice_columns`) and a
    rewrite encodes the same values the same way, so this digest — unlike the file's — stays, and
    the shard's cached accounting with it. Any change to a key value changes it."""
    import hashlib

    h = hashlib.sha256()
    pf = pq.ParquetFile(documents)
    md = pf.metadata
    wanted = [i for i in range(md.num_columns) if md.schema.column(i).path in _KEY]
    h.update(repr((md.num_rows, [md.schema.column(i).path for i in wanted])).encode())
    with open(documents, "rb") as fh:
        for g in range(md.num_row_groups):
            for i in wanted:
                c = md.row_group(g).column(i)
                start = c.dictionary_page_offset if c.has_dictionary_page else c.data_page_offset
                fh.seek(start)
                h.update(fh.read(c.total_compressed_size))
    return h.hexdigest()


def account_shard(members: Sequence[Any], documents: str, rejects: Sequence[str]) -> dict[str, Any]:
    """One shard's accounting: its documents and rejects against its files (InputFile, real roots).

    `missing`: whole files of the shard with no row; `twice`: keys held by more than one row, and
    rows of files that are not the shard's (a row only ever comes from its shard's files); `sliced`:
    the records of each container file this shard holds a slice of, for `merge_accounts`."""
    from collections import Counter

    docs = _row_keys(pq.ParquetFile(documents).read(columns=_KEY))  # not pq.read_table: no dataset layer in the flow
    reasons: Counter[str] = Counter()
    rej: list[tuple[str, str, str]] = []
    for path in rejects:
        t = pq.ParquetFile(path).read(columns=[*_KEY, "reason"])
        rej.extend(_row_keys(t))
        reasons.update(t.column("reason").to_pylist())
    heads = {(f.input_root, f.source_path) for f in members}
    sliced_heads = {(f.input_root, f.source_path) for f in members if f.part is not None}
    counts = Counter(docs + rej)
    seen = {(k[0], k[1]) for k in counts}
    sliced: dict[str, list[str]] = {f"{r}\0{p}": [] for r, p in sorted(sliced_heads)}
    for k in counts:
        if (k[0], k[1]) in sliced_heads:
            sliced[f"{k[0]}\0{k[1]}"].extend([k[2]] * counts[k])
    return {
        "accepted": len(docs),
        "rejected": len(rej),
        "rejected_by_reason": dict(sorted(reasons.items())),
        "missing": sorted(
            {(f.input_root, f.source_path, "") for f in members if f.part is None} - {(*h, "") for h in seen}
        ),
        "twice": sorted({k for k, n in counts.items() if n > 1} | {k for k in counts if (k[0], k[1]) not in heads}),
        "sliced": {h: sorted(r) for h, r in sliced.items()},
    }


def merge_accounts(
    files: Sequence[Any],
    shards: Sequence[dict[str, Any]],
    shard_heads: set[tuple[str, str]],
    unreadable: Sequence[dict],
) -> dict[str, Any]:
    """The corpus' accounting from its shards' (`account_shard`), as `account` gives it for the
    release: every discovered file in documents or rejects, no key twice. `shard_heads`: the
    (root, path) of every file some shard read; `unreadable`: the reject rows of the others."""
    from collections import Counter

    reasons: Counter[str] = Counter()
    missing: set[tuple[str, str, str]] = set()
    twice: set[tuple[str, str, str]] = set()
    records: dict[str, list[str]] = {}
    accepted = rejected = 0
    for a in shards:
        accepted += a["accepted"]
        rejected += a["rejected"]
        reasons.update(a["rejected_by_reason"])
        missing.update(tuple(k) for k in a["missing"])
        twice.update(tuple(k) for k in a["twice"])
        for head, recs in a["sliced"].items():
            records.setdefault(head, []).extend(recs)
    for head, recs in records.items():  # a container file's slices, together
        root, path = head.split("\0", 1)
        if not recs:
            missing.add((root, path, ""))
        twice.update((root, path, r) for r, n in Counter(recs).items() if n > 1)
    lost = Counter((r.get("input_root") or "", r["source_path"], r.get("record") or "") for r in unreadable)
    rejected += len(unreadable)
    reasons.update(r["reason"] for r in unreadable)
    twice.update(k for k, n in lost.items() if n > 1 or (k[0], k[1]) in shard_heads)
    lost_heads = {(k[0], k[1]) for k in lost}
    missing.update(
        (f.input_root, f.source_path, "")
        for f in files
        if (f.input_root, f.source_path) not in shard_heads and (f.input_root, f.source_path) not in lost_heads
    )
    if missing or twice:
        m, t = sorted(missing), sorted(twice)
        raise RuntimeError(
            f"accounting failed: {len(m)} discovered inputs are in neither documents nor rejects "
            f"(e.g. {m[:3]}), {len(t)} rows are in both or twice (e.g. {t[:3]}); "
            "this is a jianghua bug — please report it with the run's manifest.json"
        )
    return {
        "discovered_files": len(files),
        "accepted": accepted,
        "rejected": rejected,
        "rejected_by_reason": dict(sorted(reasons.items())),
    }

"""Small helpers every stage shares: hashing, deterministic Parquet I/O, atomic files."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash


def _serialise_literal_eval() -> None:
    """Python 3.11's AST constructor keeps its recursion depth in per-interpreter state, so two
    threads building ASTs at once can fail with "SystemError: AST constructor recursion depth
    mismatch" (CPython gh-106905). numpy parses every .npy header (np.load, each member of an .npz)
    with ast.literal_eval, and threaded Dask workers (processes=False, threads_per_worker > 1) load
    arrays at once: seen in CI, test_dedupe_dask[many-partitions], dedupe's _prepared_partition.
    literal_eval is pure and these calls parse ~100-byte headers: one lock costs nothing. The lock is AST_LOCK, which
    every other syntax-tree build of this process takes too (tasks.stages parses the stage modules under it)."""
    import ast

    inner = ast.literal_eval
    if getattr(inner, "_jianghua_serialised", False):
        return

    def literal_eval(node_or_string: Any) -> Any:
        with AST_LOCK:
            return inner(node_or_string)

    literal_eval._jianghua_serialised = True  # type: ignore[attr-defined]
    literal_eval._jianghua_lock = AST_LOCK  # type: ignore[attr-defined]
    ast.literal_eval = literal_eval


def _ast_lock() -> threading.Lock:
    """The lock an earlier import of this module installed literal_eval's wrapper with, else a new one: one lock a
    process, whatever copy of the module holds it."""
    import ast

    return getattr(ast.literal_eval, "_jianghua_lock", None) or threading.Lock()


AST_LOCK = _ast_lock()
_serialise_literal_eval()

PIPELINE_NAME = "jianghua"
__version__ = "0.1.0"


_PUBLIC = 0o644  # mkstemp makes 0600 files; analysts on other accounts must read the corpus


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def stable_hash(*parts: Any) -> str:
    """Hash of JSON-able parts, independent of dict order: the basis of every cache key."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def content_digest(*parts: Any) -> str:
    """A 128-bit digest of a document's parts (texts, ids, small values), each hashed with its type and length:
    no JSON encoding of the texts (escaping a page's ~100 KB of text and raw text was ~3 % of extract's CPU), and a
    lone surrogate hashes instead of failing to encode.

    xxh3-128, not blake2b: a memo key, not a security boundary — the parts hold the document's id, itself the
    content hash of its page, so a page cannot be made to take another page's memo. blake2b was ~2/3 of this
    digest's cost (the UTF-8 encoding the rest): ~55 ms a 20k-bench shard's texts and raw texts, xxh3 ~3 ms."""
    h = xxhash.xxh3_128()
    for part in parts:
        if isinstance(part, str):
            data = part.encode("utf-8", "surrogatepass")
            h.update(b"s" + (len(data) + 1).to_bytes(8, "little"))
        else:  # None, numbers, lists of them: small
            data = json.dumps(part, ensure_ascii=False).encode("utf-8", "surrogatepass")
            h.update(b"j" + (len(data) + 1).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def export_source_key(sources: dict[str, Any]) -> str:
    """What an export artifact was made from, as one string (the index `stages.earlier_exports` builds)."""
    return "/".join(str(sources.get(k)) for k in ("normalize", "extract", "pipeline_version"))


# Intermediate artifacts that only later stages read (ingest's and normalize's pages, signatures, the members
# step's texts; never published) are written uncompressed and their text and hash columns without a dictionary.
# 20k bench, one shard (py-spy of a whole cold run: writing Parquet was the largest single cost, ~7 % of worker
# time): normalize's docs written in 295 -> 112 ms and read whole in 112 -> 17 ms (the fallback from a dictionary
# page made every read of a text column ~2.5x slower), ingest's 136 -> 82 / 57 -> 9 ms, signatures 79 -> 29 ms
# (hashes do not compress: 19.7 MB either way). The price is disk: text artifacts take ~2.1x the bytes (20k: ~1.1
# -> ~2.4 GB of the 5.1 GB state; dedupe's index is uncompressed already). Published tables keep zstd.
ARTIFACT_COMPRESSION = "none"
# A full filesystem (or quota) and a read-only one: no retry helps, the operator must act (flows.cli.storage_hint).
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def write_table(
    table: pa.Table,
    path: str | os.PathLike,
    sort_by: Iterable[str] = (),
    *,
    compression: str = "zstd",
    plain: Iterable[str] = (),
    row_group_size: int = 8192,
) -> str:
    """Write Parquet deterministically (fixed options, sorted rows) and atomically (temp + rename).

    `plain`: columns written without a dictionary (long unique texts, hashes: a dictionary is tried and dropped)."""
    sort_by = list(sort_by)
    if sort_by and table.num_rows:
        table = sorted_table(table, sort_by)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(
            table,
            tmp,
            compression=compression,
            use_dictionary=_dictionary_columns(table, plain),
            write_statistics=True,
            row_group_size=row_group_size,
        )
        os.chmod(tmp, _PUBLIC)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.filename is None and exc.errno in STORAGE_ERRNOS:
            # pyarrow's "Error writing bytes to file" names no file: say which, so the operator knows the filesystem
            raise OSError(exc.errno, os.strerror(exc.errno), str(path)) from exc
        raise
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return str(path)


def sorted_table(table: pa.Table, sort_by: list[str]) -> pa.Table:
    """`table.sort_by(sort_by)`: a table already in that order (most are: the stages write rows in the order they
    read them) is only combined into one chunk a column, as `take` leaves it (the Parquet bytes depend on the
    chunks), not gathered row by row into fresh memory (normalize's docs, ~25 MB a batch: a ~0.1 s take of mostly
    page faults in a worker, twice a shard)."""
    import numpy as np
    import pyarrow.compute as pc

    order = pc.sort_indices(table, sort_keys=[(c, "ascending") for c in sort_by])
    if np.array_equal(order.to_numpy(), np.arange(len(order), dtype=np.uint64)):
        return table.combine_chunks()
    return table.take(order)


def _dictionary_columns(table: pa.Table, plain: Iterable[str]) -> bool | list[str]:
    plain = set(plain)
    return [c for c in table.column_names if c not in plain] if plain else True


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> pa.Table:
    return pq.read_table(path, columns=columns)


def rows_by_id(path: str | os.PathLike, ids: Iterable[str], columns: list[str]) -> Iterator[pa.Table]:
    """The rows of the named documents of a Parquet file sorted by doc_id, one row group at a time
    (`columns`, doc_id first among them or not): a row group whose doc_id range in the footer holds
    none of them is not read, and of the others only the doc_id column is read before the rest.
    A +1 % run reads a handful of texts per shard (annotate's newly canonical documents, the members
    step's copies not in an earlier artifact): in one row group of ~900 documents that was the whole
    33 MB text column, ~70 ms a call (100k bench, session 32)."""
    import pyarrow.compute as pc

    wanted = sorted(set(ids))
    if not wanted:
        return
    value_set = pa.array(wanted, pa.string())
    pf = pq.ParquetFile(path)
    meta = pf.metadata
    leaf = next((i for i in range(meta.num_columns) if meta.schema.column(i).path == "doc_id"), None)
    for group in range(meta.num_row_groups):
        stats = meta.row_group(group).column(leaf).statistics if leaf is not None else None
        if stats is not None and stats.has_min_max:
            at = bisect_left(wanted, stats.min)
            if at == len(wanted) or wanted[at] > stats.max:
                continue
        doc_ids = pf.read_row_group(group, columns=["doc_id"]).column(0)
        mask = pc.is_in(doc_ids, value_set=value_set)
        if not pc.any(mask).as_py():
            continue
        yield pf.read_row_group(group, columns=columns).filter(mask)


def write_json(obj: Any, path: str | os.PathLike) -> str:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        fh.write("\n")
    os.chmod(tmp, _PUBLIC)
    os.replace(tmp, path)
    return str(path)


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Build a table of exactly `schema` from row dicts (missing keys become nulls)."""
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def processing_reject(
    doc: dict[str, Any], stage: str, exc: BaseException, reason: str = "processing_error"
) -> dict[str, Any]:
    """A bug (or a time overrun) met on one odd page must not sink the run: the page becomes a reject."""
    import traceback

    if reason == "timeout":
        detail = (
            f"{stage} gave up on this page ({exc}); it is pathological (one huge line? a dump?) — "
            "split or clean it, or raise --doc-seconds; the next run tries it again"
        )
    else:
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        detail = (
            f"{stage} failed on this page ({exc.__class__.__name__}: {str(exc)[:200]}{at}); "
            "this is a jianghua bug — please report it with the file"
        )
    row = {"source_path": doc["source_path"], "content_sha256": doc.get("content_sha256"), "reason": reason}
    row.update({k: doc[k] for k in ("record", "input_root") if k in doc})
    return {**row, "detail": detail}


# Tables a stage builds from its libraries' data files (jieba's IDF list) are kept in the user's cache
# folder as plain NumPy arrays, named by a hash of what they are built from: a fresh worker then loads
# them instead of parsing the files again. JIANGHUA_CACHE names another folder; "off" disables it.
CACHE_ENV = "JIANGHUA_CACHE"


def table_cache_dir() -> Path | None:
    """The folder cached tables live in (created), or None: caching off or no writable place."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() in ("off", "0", "none"):
        return None
    base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jianghua"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None


def load_arrays(name: str) -> dict[str, Any] | None:
    """The arrays `save_arrays` kept under `name` (never pickles: only plain arrays are read back), or None."""
    import zipfile

    import numpy as np

    folder = table_cache_dir()
    if folder is None:
        return None
    try:
        with np.load(folder / f"{name}.npz", allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    # absent, or a damaged file: build again (a cut .npz raises zipfile's BadZipFile, which is none of the others:
    # it failed every call of the stage that loads the table, session 61)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def save_arrays(name: str, arrays: dict[str, Any]) -> None:
    """Keep `arrays` under `name` (atomically; silently not at all when no folder is writable)."""
    import numpy as np

    folder = table_cache_dir()
    if folder is None:
        return
    # the thread's id too: threads of one process (an inline run, a Dask worker) that build the same table at once
    # wrote one temporary file together, and the first to finish renamed the other's half-written file into place
    tmp = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp.npz"
    try:
        np.savez(tmp, **arrays)
        os.replace(tmp, folder / f"{name}.npz")
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    _prune_older(folder, name)


# A cached table of the same kind ("<kind>-<format>-<digest>") built from other files or code is removed once it
# is this old: every upgrade (or edit of the code a name hashes) writes a new one, and two installs sharing the
# folder still find each other's recent tables.
CACHE_KEEP_SECONDS = 30 * 86400


def _prune_older(folder: Path, name: str) -> None:
    import time

    kind = name.rsplit("-", 2)[0]
    now = time.time()
    # other tables of the kind, and temporary files a process killed while saving one left behind
    for old in [*folder.glob(f"{kind}-*.npz"), *folder.glob(f".{kind}-*.tmp.npz")]:
        if old.name != f"{name}.npz" and old.name.lstrip(".").rsplit("-", 2)[0] == kind:
            try:
                if now - old.stat().st_mtime > CACHE_KEEP_SECONDS:
                    old.unlink()
            except OSError:
                pass


RADIX_DIGIT = 16  # numpy's stable argsort is a radix sort for 16-bit integers, a merge sort above
RADIX_PASSES = 3  # keys below 2^48 take at most 3 radix passes (2 M keys below 90 k: 51 ms against 206 ms)


def stable_order(keys: Any, bound: int | None = None) -> Any:
    """np.argsort(keys, kind="stable") of non-negative integer keys below `bound` (default: max + 1),
    as least-significant-digit radix passes of 16 bits. The same permutation (a stable sort is
    unique); ~4x (two passes) to ~14x (one) faster on the document codes the hot loops sort."""
    import numpy as np

    keys = np.asarray(keys)
    if len(keys) == 0:
        return np.zeros(0, np.intp)
    top = int(keys.max()) + 1 if bound is None else int(bound)
    passes = max(1, (max(top - 1, 1).bit_length() + RADIX_DIGIT - 1) // RADIX_DIGIT)
    if passes > RADIX_PASSES or int(keys.min()) < 0:
        return np.argsort(keys, kind="stable")
    mask = (1 << RADIX_DIGIT) - 1
    order = np.argsort((keys & mask).astype(np.uint16), kind="stable")
    for k in range(1, passes):
        digit = ((keys[order] >> (k * RADIX_DIGIT)) & mask).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
    return order

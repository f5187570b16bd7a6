"""Small helpers every stage shares: hashing, deterministic Parquet I/O, atomic files."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

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


def write_table(table: pa.Table, path: str | os.PathLike, sort_by: Iterable[str] = ()) -> str:
    """Write Parquet deterministically (fixed options, sorted rows) and atomically (temp + rename)."""
    sort_by = list(sort_by)
    if sort_by and table.num_rows:
        table = table.sort_by([(c, "ascending") for c in sort_by])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(
            table,
            tmp,
            compression="zstd",
            use_dictionary=True,
            write_statistics=True,
            row_group_size=8192,
        )
        os.chmod(tmp, _PUBLIC)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return str(path)


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> pa.Table:
    return pq.read_table(path, columns=columns)


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

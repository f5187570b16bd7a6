"""Publishing: readers see the previous corpus until the new one is complete, then the new one.

A release is a folder `OUT/.state/releases/<release_id>/<table>/part-*.parquet` built from the
shards' export artifacts (hard links, so publishing costs no copy). `OUT/<table>` is a
symlink that is swapped atomically (rename over the old link) once the release is complete.
The release id is a hash of what it contains, so an unchanged rerun republishes the same
folder and every Parquet byte stays the same.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from tasks import schema
from tasks.common import read_table, stable_hash, write_json, write_table

RELEASES = "releases"
KEEP_RELEASES = 2  # the current one and the one a slow reader may still have open


class OutputBusy(RuntimeError):
    pass


@contextlib.contextmanager
def output_lock(out_dir: str | os.PathLike, wait_seconds: float = 0.0) -> Iterator[None]:
    """One run per output folder: a second run waits up to `wait_seconds`, then stops cleanly."""
    state = Path(out_dir) / ".state"
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / "lock", "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another run"
                    raise OutputBusy(
                        f"output folder {out_dir} is being written by {holder}; wait for it to finish "
                        "(or pass a longer --wait) — two runs must not write one corpus"
                    ) from None
                time.sleep(0.5)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}")
        fh.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def merge_tables(paths: list[str], target: pa.Schema) -> pa.Table:
    tables = [read_table(p).cast(target) for p in paths if Path(p).exists()]
    if not tables:
        return target.empty_table()
    return pa.concat_tables(tables)


def build_release(
    state_dir: str,
    shard_exports: list[tuple[str, str]],
    reject_files: list[str],
    duplicates_file: str | None,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Assemble the release folder (idempotent). Returns (release_dir, table -> rows/files)."""
    tables = [t for t in schema.TABLES if t not in ("rejects", "duplicates", *schema.GLOBAL_TABLES)]
    release_id = stable_hash(
        sorted(shard_exports), sorted(_file_digest(p) for p in reject_files), _file_digest(duplicates_file)
    )[:20]
    releases = Path(state_dir) / RELEASES
    final = releases / release_id
    if not (final / "_complete").exists():
        tmp = releases / f".tmp-{release_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        for shard_id, export_dir in sorted(shard_exports):
            for table in tables:
                src = Path(export_dir) / f"{table}.parquet"
                _link(src, tmp / table / f"part-{shard_id}.parquet")
        rejects = merge_tables(reject_files, schema.REJECTS)
        write_table(rejects, tmp / "rejects" / "part-0.parquet", schema.SORT_KEYS["rejects"])
        dups = (
            read_table(duplicates_file).cast(schema.DUPLICATES) if duplicates_file else schema.DUPLICATES.empty_table()
        )
        write_table(dups, tmp / "duplicates" / "part-0.parquet", schema.SORT_KEYS["duplicates"])
        for table in schema.TABLES:
            (tmp / table).mkdir(parents=True, exist_ok=True)
        (tmp / "_complete").write_text(release_id)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    return str(final), _describe(final)


def _file_digest(path: str | None) -> str | None:
    if not path or not Path(path).exists():
        return None
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another filesystem, or links not allowed
        shutil.copy2(src, dst)


def _describe(release: Path) -> dict[str, dict[str, Any]]:
    import pyarrow.parquet as pq

    out = {}
    for table in schema.TABLES:
        files = sorted((release / table).glob("*.parquet"))
        out[table] = {
            "rows": sum(pq.ParquetFile(f).metadata.num_rows for f in files),
            "files": [f"{table}/{f.name}" for f in files],
        }
    return out


def publish(out_dir: str, release_dir: str, manifest: dict[str, Any]) -> None:
    """Point every OUT/<table> at the new release, atomically per table, then write the manifest."""
    out = Path(out_dir)
    release = Path(release_dir)
    for table in schema.TABLES:
        link = out / table
        if link.exists() and not link.is_symlink():
            raise FileExistsError(
                f"{link} is a real folder, not a jianghua release link; move it away or choose another --out"
            )
        tmp = out / f".{table}.link-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.relpath(release / table, out), tmp)
        os.replace(tmp, link)
    write_json(manifest, out / "manifest.json")
    _collect_garbage(release.parent, keep=release.name)


def _collect_garbage(releases: Path, keep: str) -> None:
    """Drop old releases but the newest few; a reader of the previous one keeps working."""
    done = [p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    done.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    survivors = {keep} | {p.name for p in done[:KEEP_RELEASES]}
    for p in done:
        if p.name not in survivors:
            shutil.rmtree(p, ignore_errors=True)
    for p in releases.glob(".tmp-*"):
        if time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)
    os.utime(releases / keep)

"""Publishing: readers see one whole release, the previous one until the new one is switched in.

Layout of an output folder OUT:

    OUT/releases/<release_id>/<table>/part-<release_id>-<shard>.parquet
    OUT/releases/<release_id>/manifest.json, report.html
    OUT/current          -> releases/<release_id>     (swapped with ONE rename(2) per release)
    OUT/<table>          -> current/<table>           (stable links, created once)
    OUT/manifest.json    -> current/manifest.json
    OUT/report.html      -> current/report.html

A release folder only appears under its id once it is complete (built under a temp name, then
renamed), its manifest and report are written into it before the switch, and the switch of
`OUT/current` is the only step a reader can observe. Part names carry the release id, so a
reader that lists `OUT/keywords/` and then opens the parts gets one whole release or
FileNotFoundError, never parts of two. The release id is a hash of the content, so an unchanged
rerun republishes the same folder and every Parquet byte stays the same. The last
KEEP_RELEASES releases stay readable under `OUT/releases/<id>/` (pinning).

The caller holds `output_lock(OUT)` for build_release and publish: every `.tmp-*` name found
under OUT is then a leftover of a killed run and is removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tasks import procs, schema
from tasks.common import stable_hash, write_table


def read_table(path: str | os.PathLike) -> pa.Table:
    """One Parquet file, read as itself: `pq.read_table` goes through pyarrow's dataset layer, whose import cost the
    flow process ~0.5 CPU-s on a nightly run's tail (the release merges the new shard's rejects after the last
    export step, with the workers idle); the same table."""
    return pq.ParquetFile(path).read()


RELEASES = "releases"
CURRENT = "current"
MANIFEST = "manifest.json"
REPORT = "report.html"
# The current release and the two before it: a reader that pinned the previous release keeps
# working through two more publishes (a nightly run: two days), and three copies of a corpus
# cost little because unchanged shards are hard links shared by every release.
KEEP_RELEASES = 3
TMP = ".tmp-"  # every temporary name under OUT starts with this (and carries the writer's pid)
_OLD_TMP_GLOBS = (".*.link-*", ".report-*.tmp")  # temp names of the per-table layout and of write_report
STABLE_LINKS = (*schema.TABLES, MANIFEST, REPORT)


class OutputBusy(RuntimeError):
    pass


def check_output_layout(out_dir: str | Path) -> None:
    """The names a release switch replaces (current, the tables' links) must be links or absent: a real folder
    there (a user's own `documents/`) is never replaced. Checked before a run starts and again when publishing."""
    out = Path(out_dir)
    for name in (CURRENT, *STABLE_LINKS):
        link = out / name
        if link.is_dir() and not link.is_symlink():
            raise FileExistsError(
                f"{link} is a real folder, not a jianghua release link; move it away or choose another --out"
            )


class CleanupFailed(RuntimeError):
    """The new release IS published (OUT/current points at it); only tidying up afterwards failed."""

    def __init__(self, release_id: str, cause: BaseException):
        self.release_id = release_id
        super().__init__(
            f"release {release_id} is published (OUT/current -> releases/{release_id}); "
            f"cleanup failed: {cause.__class__.__name__}: {cause} — the next run retries the cleanup"
        )


def lock_holder(out_dir: str | os.PathLike) -> str | None:
    """Who holds the output lock now ("pid 123 since …"), or None: a probe that takes and drops it at once, for a
    message before a run starts (the run itself takes the lock with `output_lock`)."""
    path = Path(out_dir) / ".state" / "lock"
    try:
        fh = open(path)  # noqa: SIM115 - closed below; never created here
    except OSError:
        return None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                return None
            return fh.read().strip() or "another run"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


@contextlib.contextmanager
def output_lock(out_dir: str | os.PathLike, wait_seconds: float = 0.0) -> Iterator[None]:
    """One run per output folder: a second run waits up to `wait_seconds`, then stops cleanly.

    The lock is an flock on OUT/.state/lock, so the kernel releases it whenever the holder dies
    (kill -9 included): a crashed run never blocks the next one."""
    state = Path(out_dir) / ".state"
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / "lock", "a+")  # noqa: SIM115 - held open for the whole run
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if stopping := procs.stop_requested():  # a signal while waiting for the lock
                    raise InterruptedError(stopping) from None
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


def out_root(path: str | os.PathLike) -> Path:
    """OUT for OUT itself or for OUT/.state (what the flow passed before releases moved to OUT)."""
    p = Path(path)
    return p.parent if p.name == ".state" else p


def build_release(
    out_dir: str,
    shard_exports: list[tuple[str, str]],
    reject_files: list[str],
    duplicates_file: str | None,
    global_parts: dict[str, list[str]] | None = None,
    current: tuple[str, dict[str, dict[str, Any]]] | None = None,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Assemble OUT/releases/<id>/ (idempotent; invisible to readers until `publish`).

    Returns (release_dir, table -> {"rows", "files"}). A folder named by a release id is always
    complete: it is built under a temp name and renamed, and garbage collection renames it away
    before deleting it. `current` is (id, tables) of the release the last run published (its
    manifest): when this release is that one, its tables are returned without reading every part's
    footer again (an unchanged rerun)."""
    out = out_root(out_dir)
    tables = list(schema.SHARD_TABLES)
    digests = _Digests(out / ".state" / DIGESTS)
    reject_digests = [digests.of(p) for p in reject_files]
    dups_digest = digests.of(duplicates_file)
    recorded = {sid: _recorded(d) for sid, d in shard_exports}
    release_id = stable_hash(
        sorted(_export_identity(sid, d, tables, digests, recorded[sid]) for sid, d in shard_exports),
        sorted(reject_digests),
        dups_digest,
        {t: [(Path(f).name, digests.of(f)) for f in fs] for t, fs in sorted((global_parts or {}).items())},
    )[:20]
    digests.save()
    rows = _Rows(out / ".state" / ROWS)
    for sid, counted in recorded.items():  # what each export step counted as it wrote its files
        rows.record({f"{t}/part-{release_id}-{sid}.parquet": counted.get(t) for t in tables})
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    sweep_temps(out)
    final = releases / release_id
    if not final.is_dir():
        tmp = releases / f"{TMP}{release_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        for shard_id, export_dir in sorted(shard_exports):
            for table in tables:
                src = Path(export_dir) / f"{table}.parquet"
                _link(src, tmp / table / f"part-{release_id}-{shard_id}.parquet")
        made = out / ".state" / "artifacts" / RELEASED
        rejects = _made_once(
            made / f"rejects-{stable_hash(reject_digests)[:24]}.parquet",
            lambda path: _merge_rejects(path, reject_files, reject_digests),
        )
        dups = (
            Path(duplicates_file)
            if duplicates_file and in_release_form(duplicates_file, "duplicates")
            else _made_once(
                made / f"duplicates-{stable_hash(dups_digest)[:24]}.parquet",
                lambda path: write_table(
                    read_table(duplicates_file).cast(schema.DUPLICATES)
                    if duplicates_file
                    else schema.DUPLICATES.empty_table(),
                    path,
                    schema.SORT_KEYS["duplicates"],
                ),
            )
        )
        for old in made.iterdir():  # the release holds its own links; only the newest are kept
            if old not in (rejects, rejects.with_suffix(".json"), dups):
                old.unlink(missing_ok=True)
        _link(rejects, tmp / "rejects" / f"part-{release_id}-0.parquet")
        _link(dups, tmp / "duplicates" / f"part-{release_id}-0.parquet")
        for table in schema.GLOBAL_TABLES:  # corpus-wide tables written in parts
            files = (global_parts or {}).get(table) or []
            for f in files:
                _link(Path(f), tmp / table / f"part-{release_id}-{Path(f).stem}.parquet")
            if not files:  # an empty part, so every table reads as a (possibly empty) table
                write_table(schema.TABLES[table].empty_table(), tmp / table / f"part-{release_id}-0.parquet")
                rows.record({f"{table}/part-{release_id}-0.parquet": 0})
        for table in schema.TABLES:
            (tmp / table).mkdir(parents=True, exist_ok=True)
        os.rename(tmp, final)
    elif current is not None and current[0] == release_id and set(current[1]) == set(schema.TABLES):
        return str(final), current[1]
    described = _describe(final, rows)
    rows.save()
    return str(final), described


# OUT/.state/release-digests.json: sha256 of the files a release is identified by, under each file's
# identity (device, inode, size, mtime): artifacts are written once (temp + rename) and never
# changed, so an unchanged file — most of them on a +1 % run, all on an unchanged rerun — is not
# read again (the reuse, best_texts and repairs parts: ~45 MB at 20k documents, every run).
DIGESTS = "release-digests.json"
# OUT/.state/artifacts/release/: the merged rejects and the release's duplicates file, named by the
# digests of what they are made from: a run whose rejects did not change links them, unread.
RELEASED = "release"


class _ByIdentity:
    """A value per file, memoized under the file's identity (device, inode, size, mtime) in a JSON file
    of OUT/.state: release artifacts are written once (temp + rename) and never changed in place."""

    def __init__(self, path: Path):
        self.path = path
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.known = {str(k): v for k, v in loaded.items() if self._valid(v)}
        except (OSError, ValueError):
            pass

    @staticmethod
    def _valid(value: Any) -> bool:
        raise NotImplementedError

    @staticmethod
    def _identity(path: str | Path) -> str:
        st = os.stat(path)
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"

    def save(self) -> None:
        if self.used == self.known:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_json_atomic(dict(sorted(self.used.items())), self.path)


class _Digests(_ByIdentity):
    @staticmethod
    def _valid(value: Any) -> bool:
        return isinstance(value, str)

    def of(self, path: str | None) -> str | None:
        if not path:
            return None
        try:
            ident = self._identity(path)
        except FileNotFoundError:
            return None
        digest = self.known.get(ident) or _file_digest(path)
        if digest is not None:
            self.used[ident] = digest
        return digest


# OUT/.state/release-rows.json: the row count of each file a release links, under the file's identity
# (device, inode, size, mtime) as DIGESTS. The manifest's counts were every part's footer opened on
# every publishing run (20k: ~400 files, of which a +1 % run changes ~60); the shard tables' counts are
# what the export step recorded in its _done.json, the other files' footers are read once.
ROWS = "release-rows.json"


class _Rows(_ByIdentity):
    """Row counts of release files: recorded by the step that wrote them, else memoized by identity."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.given: dict[str, int] = {}

    @staticmethod
    def _valid(value: Any) -> bool:
        return type(value) is int and value >= 0

    def record(self, counts: dict[str, Any]) -> None:
        """Counts by the file's name in the release (`table/part-….parquet`), as their writer recorded them."""
        self.given.update({name: n for name, n in counts.items() if self._valid(n)})

    def of(self, path: Path, name: str) -> int:
        ident = self._identity(path)
        n = self.given.get(name)
        if n is None:
            n = self.known.get(ident)
        if n is None:
            n = pq.ParquetFile(path).metadata.num_rows
        self.used[ident] = n
        return n


def in_release_form(path: str, table: str) -> bool:
    """A file the release can link as it is: the table's schema (pandas metadata included), every row
    group declaring the table's sort keys as its `sorting_columns` (the writer's promise: the dedupe
    step writes its duplicates file so), readable by every account. Only the footer is read."""
    try:
        f = pq.ParquetFile(path)
        want = tuple(  # leaf column indices, as Parquet counts them
            pq.SortingColumn.from_ordering(schema.TABLES[table], [(c, "ascending") for c in schema.SORT_KEYS[table]])
        )
        return (
            f.schema_arrow.equals(schema.TABLES[table], check_metadata=True)
            and all(tuple(f.metadata.row_group(i).sorting_columns) == want for i in range(f.metadata.num_row_groups))
            and os.stat(path).st_mode & 0o044 == 0o044
        )
    except (OSError, ValueError, pa.ArrowException):
        return False


def _merge_rejects(path: Path, reject_files: list[str], digests: list[str | None]) -> None:
    """The release's rejects: every shard step's rejects merged and sorted, written to `path`, with
    beside it (`.json`) the digests of the files it was made from, in their order.

    A nightly run adds a new shard's two reject files to ~50 unchanged ones: the rows are the last
    merged file's plus the added files' (read once each), when the last file's sources are this
    run's less the added ones, in the same order, and no two rows share a sort key (then the stable
    sort gives the rows of a full merge in the same order: the same bytes). Otherwise every file is
    merged again."""
    keys = schema.SORT_KEYS["rejects"]
    table = None
    if None not in digests:
        last = _last_merge(path, digests)
        if last is not None:
            merged, added = last
            parts = [
                read_table(merged).cast(schema.REJECTS),
                *(read_table(reject_files[i]).cast(schema.REJECTS) for i in added),
            ]
            candidate = pa.concat_tables(parts)
            if candidate.group_by(keys).aggregate([]).num_rows == candidate.num_rows:
                table = candidate
    if table is None:
        table = merge_tables(reject_files, schema.REJECTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_json_atomic({"sources": digests}, path.with_suffix(".json"))  # first: never a file without it
    write_table(table, path, keys)


def _last_merge(path: Path, digests: list[str | None]) -> tuple[Path, list[int]] | None:
    """The last merged rejects file (beside `path`) whose sources are `digests` less some, in the same
    order, and the indices of those others (the files added since); None if there is none."""
    for sidecar in sorted(path.parent.glob("rejects-*.json")):
        merged = sidecar.with_suffix(".parquet")
        if merged == path or not merged.is_file():
            continue
        try:
            sources = json.loads(sidecar.read_text(encoding="utf-8"))["sources"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not isinstance(sources, list):
            continue
        added, j = [], 0
        for i, d in enumerate(digests):
            if j < len(sources) and sources[j] == d:
                j += 1
            else:
                added.append(i)
        if j == len(sources):
            return merged, added
    return None


def _made_once(path: Path, make: Callable[[Path], Any]) -> Path:
    """`path`, made by `make(path)` unless a run made it already (its name says what from)."""
    if not path.is_file():
        make(path)
    return path


def _recorded(export_dir: str) -> dict[str, Any]:
    """What a shard's export step recorded when it wrote its files (_done.json: digests, row counts)."""
    try:
        made = json.loads(Path(export_dir, "_done.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return made if isinstance(made, dict) else {}


def _export_identity(
    shard_id: str,
    export_dir: str,
    tables: list[str],
    digests: _Digests | None = None,
    made: dict[str, Any] | None = None,
) -> list[Any]:
    """What identifies a shard's export: the content digests its export step recorded when it wrote
    the files (so nothing is re-read), else the files' own digests. Content, never the artifact's
    key or path: a corpus built run by run and one built cold get the same release id."""
    recorded = (made if made is not None else _recorded(export_dir)).get("digests")
    if not isinstance(recorded, dict):
        recorded = {}
    digest = digests.of if digests is not None else _file_digest
    return [shard_id, [recorded.get(t) or digest(str(Path(export_dir, f"{t}.parquet"))) for t in tables]]


def _file_digest(path: str | None) -> str | None:
    if not path or not Path(path).exists():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another filesystem, or links not allowed
        shutil.copy2(src, dst)


def _describe(release: Path, rows: _Rows) -> dict[str, dict[str, Any]]:
    """Each table's rows and files in a release (the rows as `rows` knows them: no footer it has counted)."""
    out = {}
    for table in schema.TABLES:
        files = sorted((release / table).glob("*.parquet"))
        names = [f"{table}/{f.name}" for f in files]
        out[table] = {
            "rows": sum(rows.of(f, name) for f, name in zip(files, names, strict=True)),
            "files": names,
        }
    return out


def publish(
    out_dir: str,
    release_dir: str,
    manifest: dict[str, Any],
    write_extras: Callable[[str], Any] | None = None,
    before_switch: Callable[[], Any] | None = None,
    discard: Callable[[Path], Any] | None = None,
) -> dict[str, Any]:
    """Make `release_dir` the current release with one rename; returns the manifest as written.

    Before the switch: the manifest (plus "release" and "keep_releases") is written to
    `release_dir/manifest.json`, then `write_extras(release_dir)` runs (e.g. the flow's
    `lambda d: write_report(d)`, which reads the release folder and writes its report.html), then
    `before_switch()` (the flow's `pool.check_stop`: a run stopped by a signal after its last worker
    call must not publish). An exception up to here leaves the previous release current and untouched. After the switch
    only old releases and leftovers are removed; a failure there raises CleanupFailed, whose
    message says that the release is published. `discard`: see collect_garbage."""
    out = Path(out_dir)
    release = Path(release_dir)
    release_id = release.name
    if release.parent.resolve() != (out / RELEASES).resolve() or not release.is_dir():
        raise ValueError(f"{release_dir} is not a release folder of {out_dir}; build it with build_release")
    check_output_layout(out)
    sweep_temps(out)
    _migrate_per_table_layout(out)
    written = {**manifest, "release": release_id, "keep_releases": KEEP_RELEASES}
    _write_json_atomic(written, release / MANIFEST)
    if write_extras is not None:
        write_extras(str(release))
    os.utime(release)  # newest mtime = most recently published, for garbage collection
    for name in STABLE_LINKS:
        _ensure_link(out / name, f"{CURRENT}/{name}")
    if before_switch is not None:
        before_switch()
    _swap_link(out / CURRENT, f"{RELEASES}/{release_id}")  # THE switch
    try:
        _fsync_dir(out)
        collect_garbage(out, discard)
    except Exception as exc:  # the switch happened: say so
        raise CleanupFailed(release_id, exc) from exc
    return written


def current_release(out_dir: str | os.PathLike) -> str | None:
    """Id of the release OUT/current points at (None before the first publish)."""
    try:
        return Path(os.readlink(Path(out_dir) / CURRENT)).name
    except OSError:
        return None


def sweep_temps(out: Path) -> list[str]:
    """Remove leftovers of killed runs: every `.tmp-*` under OUT, releases/ and each release."""
    removed: list[str] = []
    releases = out / RELEASES
    folders = [out, releases, out / ".state"]
    if releases.is_dir():
        folders += [p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for folder in folders:
        if not folder.is_dir():
            continue
        stale = list(folder.glob(f"{TMP}*"))
        for pattern in _OLD_TMP_GLOBS:
            stale += folder.glob(pattern)
        for p in stale:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            removed.append(str(p))
    return removed


def collect_garbage(out: Path, discard: Callable[[Path], Any] | None = None) -> list[str]:
    """Keep the current release and the most recently published others, KEEP_RELEASES in all.

    A release is renamed to a temp name before it is deleted, so a half-deleted folder never
    carries a release id (build_release trusts any folder named by an id). `discard(folder)`, when
    given, deletes that renamed folder instead (the flow's does it in a thread while the run winds
    down: a night's oldest release is ~400 links, of files its later releases no longer hold); one
    it leaves is a `.tmp-` name the next run's sweep removes."""
    sweep_temps(out)  # first: the folders handed to `discard` below are temp names too
    releases = out / RELEASES
    current = current_release(out)
    done = [p for p in releases.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
    done.sort(key=lambda p: (p.name != current, -p.stat().st_mtime, p.name))
    dropped = []
    old = out / ".state" / RELEASES  # the per-table layout kept its releases here
    if old.is_dir() and (out / CURRENT).is_symlink():
        _remove_dir(old)
    for p in done[KEEP_RELEASES:]:
        _remove_dir(p, discard)
        dropped.append(p.name)
    return dropped


def _remove_dir(p: Path, discard: Callable[[Path], Any] | None = None) -> None:
    trash = p.parent / f"{TMP}del-{p.name}-{os.getpid()}"
    os.rename(p, trash)
    if discard is not None:
        discard(trash)
    else:
        shutil.rmtree(trash)


def _migrate_per_table_layout(out: Path) -> None:
    """Adopt the release the old per-table links point at as OUT/releases/<id> and make it current.

    The old layout linked each OUT/<table> to .state/releases/<id>/<table> and kept a real
    OUT/manifest.json. If all links agree on one release, it is copied (hard links, renamed parts)
    into the new layout and made current, so re-pointing the links to current/<table> changes
    nothing a reader sees; the new release then arrives with the one switch like any other."""
    if (out / CURRENT).is_symlink():
        return
    targets = {}
    for table in schema.TABLES:
        link = out / table
        if link.is_symlink():
            targets[table] = (out / os.readlink(link)).parent
    olds = {t.resolve() for t in targets.values()}
    if len(olds) != 1 or set(targets) != set(schema.TABLES):
        return  # nothing published yet, or a run of the old layout died mid-publish: no whole release to keep
    old = olds.pop()
    if not old.is_dir():
        return
    old_id = old.name
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / old_id
    if not final.is_dir():
        tmp = releases / f"{TMP}{old_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        for table in schema.TABLES:
            (tmp / table).mkdir(parents=True, exist_ok=True)
            for part in sorted((old / table).glob("part-*.parquet")):
                _link(part, tmp / table / f"part-{old_id}-{part.name[len('part-') :]}")
        for name in (MANIFEST, REPORT):
            src = out / name
            if src.is_file() and not src.is_symlink():
                shutil.copy2(src, tmp / name)
        os.rename(tmp, final)
    _swap_link(out / CURRENT, f"{RELEASES}/{old_id}")
    for name in STABLE_LINKS:  # same data behind each name: the old release, now via current/
        _ensure_link(out / name, f"{CURRENT}/{name}")


def _ensure_link(link: Path, target: str) -> None:
    if link.is_symlink() and os.readlink(link) == target:
        return
    _swap_link(link, target)


def _swap_link(link: Path, target: str) -> None:
    """Point `link` at `target` with one rename (readers see the old or the new target)."""
    tmp = link.parent / f"{TMP}link-{link.name}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _write_json_atomic(obj: Any, path: Path) -> None:
    tmp = path.parent / f"{TMP}{path.name}-{os.getpid()}"
    data = (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

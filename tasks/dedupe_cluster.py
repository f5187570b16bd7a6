"""Global dedupe step, out of core: candidate shuffle, streamed verification, components, election.

`cluster_corpus` reads the per-shard signature files `tasks.dedupe.shard_signatures` wrote and
never holds more than one partition of any keyed table in memory. Documents get integer ids
(`gid` = file offset + row) for the run; the only per-document state in memory is a handful of
numpy arrays (`_Meta`, 31 bytes a document, plus labels and weights: at most ~130 bytes a document
at any moment, docs/dedupe.md). Everything keyed (LSH bands, exact
fingerprints, anchors, sampled shingles, candidate pairs) is written as partitioned `.npy` runs
under a work folder and processed one partition at a time by pure kernels (`_band_kernel`,
`_anchor_kernel`, `_pair_count_kernel`, …) that take and return paths and small arrays, so they
run the same in this process, in a thread pool (`workers`) or as Dask tasks (`client`).

The output is a function of the signed documents in listing order only: a cluster's id is the id
hash of its first member in the listing (gid order: the signature files as given, then their rows;
the flow gives the shards in path order, each file's rows in listing order), the canonical is elected by a total order on member content, every
other tie is broken by a hash of the doc_id (never by history). So a run on a corpus that was built
up incrementally gives the same bytes as a cold run on the same files, and a cluster keeps its id
when copies join it later in the listing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import json
import mmap
import os
import queue
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from tasks import dedupe as sig
from tasks.common import stable_order
from tasks.schema import ASSIGNMENTS, DUPLICATES, SHARED_CLUSTERS

_kernels: Any
try:  # compiled at install (setup.py, tasks/_kernels.pyx)
    import tasks._kernels as _kernels
except ImportError:  # no C compiler where it was installed: numpy's `_expand` (same integers, ~3x slower)
    _kernels = None

# --- budgets (memory is flat in corpus size: these bound what one partition holds) -------------
PARTITION_ROWS = 2_000_000  # keyed rows (or pair codes) per partition/chunk: 32 MB of (key, gid) pairs,
# ~0.3 GB peak per kernel with sort temporaries: under the 1 GB per-process target of issue 10
PAIR_BATCH = 2_000_000  # candidate pairs verified at once (accumulators ~40 MB)
EXPAND_BATCH = 2_000_000  # sampled-shingle rows expanded at once when intersecting pairs (~100 MB)
SHARED_BATCH = 250_000  # rows the fast path's evidence pairs expand at once (`_expand`: ~6 arrays of 8
# bytes a row, ~12 MB). The known pairs' deltas and the cold verification no longer expand rows in numpy
# (`_kernels.pair_deltas`, `marked_sums`; session 16): their dense-matrix budgets (DENSE_CELLS, SHARED_CELLS) are gone
PERM_GROUP = 8  # MinHash permutations loaded at once for Jaccard: 32 bytes a document
RUN_ROWS = 4_000_000  # (key, gid) rows held before pass 1 writes its runs: 64 MB, twice PARTITION_ROWS
SCATTER_DOCS = 256  # signature rows read at once in pass 1 (~10 MB of sampled shingles for long reports)
# Partitions the cold call works on at once, in threads (numpy's sorts, takes and the compiled
# kernels release the GIL). 20k bench signatures, session 24: 1 thread 44.1 s wall / 43.0 CPU-s /
# 407 MB, 2 threads 30.1 s / 46.3 CPU-s / 601 MB, byte-identical output. Each thread holds one
# partition's arrays (bounded by PARTITION_ROWS, not by the corpus); more than 2 is not measured.
MAX_THREADS = 2
DUP_PARTS = 16  # duplicates table is sorted in cluster-id ranges (top bits of the id hash)
DF_GRID_STEPS = 4  # df rounded up to the grid ceil(4 * 2^(k / steps)) before weighting (0 = exact df): a
# weight moves only when df crosses a grid point. Session 10, 20k bench vs exact: steps 4 (5, 6, 7, 8, 10,
# 12, 14, 16, 20, ...) changes 27 duplicate flags of 20,169 documents (near-copy removals 11,520 vs 11,527
# of 11,649; dev set byte-identical) and cuts the +1 % call's changed weight rows ~9 M -> 1.8 M; steps 1
# (powers of two): 0.5 M rows but 350 flags changed (removals 11,434), steps 2: 139 (11,496)
W_ONE = 1 << 24  # shingle weights are integers in units of 2^-24: sums are exact in any order, so an
# incremental run's delta-updated weights equal a cold run's bit for bit; 2^-24 is far finer than any
# threshold (0.8 containment of >= 8 units), and a sum stays < 2^53 up to 5e8 sampled shingles a document

ASSIGNMENTS_SCHEMA = ASSIGNMENTS  # tasks.schema owns every schema
ASSIGNMENT_COLUMNS = ASSIGNMENTS.names
READ_COLUMNS = [
    "doc_id",
    "fp_hash",
    "fp_chars",
    "n_chars",
    "truncated",
    "n_flags",
    "minhash",
    "bands",
    "sample",
    "anchors",
]


class DedupeStateError(RuntimeError):
    """A signature file or a state file that exists but cannot be read: never skipped silently."""


def params_version() -> str:
    """Hash of every constant that shapes clusters and of the code that applies them: the
    persisted index is reused only when this matches (no hand-bumped version)."""
    names = [
        "SHINGLE", "NUM_PERM", "BANDS", "ROWS", "MINHASH_SEED", "SAMPLE_MOD", "WINDOW", "MIN_SHARED_ANCHORS",
        "MIN_ANCHOR_SHARE", "ANCHOR_MAX_DF", "BOILER_MIN_DF", "NEAR_JACCARD", "MIN_CONTAINMENT", "MIN_WEIGHT",
        "NEAR_GROUP_JACCARD", "NEAR_GROUP_CONTAINMENT",
    ]  # fmt: skip
    params = {n: getattr(sig, n) for n in names}
    from tasks.stages import code_version  # the dedupe stage's code, hashed without comments and docstrings

    blob = json.dumps(params, sort_keys=True).encode() + code_version("dedupe").encode()
    return "dedupe-" + xxhash.xxh3_64_hexdigest(blob)


# --- executor: the same kernels sequentially, in threads, or on Dask ---------------------------


def _map(fn: Callable, items: Iterable, workers: int, client: Any = None) -> list:
    return list(_imap(fn, items, workers, client))


def _imap(fn: Callable, items: Iterable, workers: int, client: Any = None):
    """Results in input order, at most a window of tasks in flight: a reduction over partitions
    holds one partition's result at a time (and sums in a fixed order: byte-identical output)."""
    items = list(items)
    if client is None and (workers <= 1 or len(items) <= 1):
        for x in items:
            yield fn(x)
        return
    window = max(2, workers) if client is None else max(2, 2 * len(client.scheduler_info().get("workers", {})))
    pool = ThreadPoolExecutor(workers) if client is None else None
    submit = (lambda x: pool.submit(fn, x)) if pool is not None else (lambda x: client.submit(fn, x, pure=False))
    try:
        pending = [submit(x) for x in items[:window]]
        nxt = len(pending)
        while pending:
            yield pending.pop(0).result()
            if nxt < len(items):
                pending.append(submit(items[nxt]))
                nxt += 1
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
            _trim()


def _ahead(items: Iterator[Any], on: bool) -> Iterator[Any]:
    """`items` in order, each made in a thread while the caller works on the one before (`on`), so
    the fast path's holder reads (mapped index slices, digests, sorts: ~1/3 of a +1 % call) overlap
    the pair counting done on the chunk before; the call is the flow's critical path, the other
    worker idle meanwhile. At most three chunks live (the caller's, one queued, one being made).
    A caller that stops early (a `return` in its loop) stops the thread when this generator closes."""
    if not on:
        yield from items
        return
    box: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for x in items:
                box.put((True, x))
                if stop.is_set():
                    return
            box.put((True, _END))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            box.put((False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="jianghua-dedupe-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, x = box.get()
            if not ok:
                raise x
            if x is _END:
                return
            yield x
    finally:
        stop.set()
        while thread.is_alive():  # unblock a pending put, then let the thread see `stop`
            with contextlib.suppress(queue.Empty):
                box.get_nowait()
            thread.join(0.01)
        _trim()  # the thread's heap arena: what it freed would stay resident through the phases after


_END = object()


def _trim() -> None:
    """Give the heap the threads freed back to the OS: each thread allocates from its own glibc arena,
    and what a pass freed there stayed resident through the serial phases after it (100k documents
    in 112 shard files, 2 threads: 725 MB at the next state against 581 with one thread)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


# --- run-local working arrays -------------------------------------------------------------------


class _Bundle:
    """Named arrays of one working file, as a folder of `.npy` files: `np.savez` zips them and
    checks a CRC32 of every array on each read (~1 s of the 20k cold call, whose prepared
    partitions are read once per batch of pairs). Only for files of this run's `.work`; the
    persisted index keeps its `.npz` members (digested, see `_write_index`)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> _Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __getitem__(self, name: str) -> np.ndarray:
        return np.load(self.path / f"{name}.npy")

    def exists(self) -> bool:
        return (self.path / "done").exists()


def _save_bundle(path: Path, **arrays: np.ndarray) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for name, a in arrays.items():
        np.save(path / f"{name}.npy", a)
    (path / "done").touch()  # written last: a half-written bundle is never read as a cache hit


# --- per-document metadata: the only O(N) state -------------------------------------------------


@dataclass
class _Meta:
    """Per-document arrays indexed by gid (39 bytes a document)."""

    idhash: np.ndarray  # uint64 xxh3 of doc_id: tie-breaks and cluster ids (8)
    fp: np.ndarray  # uint64 fingerprint hash (8)
    fp_chars: np.ndarray  # int32 (4)
    n_chars: np.ndarray  # int32 (4)
    truncated: np.ndarray  # bool (1)
    n_flags: np.ndarray  # int16 (2)
    n_sample: np.ndarray  # int32 sampled shingles (4)
    dockey: np.ndarray  # uint64 hash of the doc_id and its whole signature row: the index's key (8)
    # filled later: group / component labels (int64, 8 + 8), total rare weight (float64, 8)


def _id_hashes(ids: pa.Array) -> np.ndarray:
    return np.fromiter((xxhash.xxh3_64_intdigest(s.encode("utf-8")) for s in ids.to_pylist()), np.uint64, len(ids))


# --- pass 1: read each signature file once, scatter keyed runs ---------------------------------


@dataclass
class _Plan:
    work: Path
    files: list[str]
    base: np.ndarray  # gid of each file's first row (len files + 1)
    bits: dict[str, int]  # partition bits per keyed table
    digests: list[str] | None = None  # xxh3-128 of each signature file
    cached: dict[int, dict[str, str]] | None = None  # file -> its pass-1 output in the previous index
    index_root: Path | None = None

    @property
    def n(self) -> int:
        return int(self.base[-1])

    def parts(self, kind: str) -> int:
        return 1 << self.bits[kind]

    def run_dir(self, kind: str, p: int) -> Path:
        return self.work / kind / f"{p:05d}"


def _bits_for(rows: int) -> int:
    bits = 0
    while (rows >> bits) > PARTITION_ROWS and bits < 16:
        bits += 1
    return bits


ORDER_MIN_KEYS = 4096  # below this numpy's sort is as quick as the compiled one (no call overhead)


def _order(keys: np.ndarray) -> np.ndarray:
    """np.argsort(keys, kind="stable"): for uint64 keys (shingle, anchor and document hashes, pair
    codes) by compiled 8-bit radix passes, the same permutation ~3x faster (numpy merge-sorts
    64-bit keys: a fifth of the 20k cold dedupe call; session 16)."""
    if _kernels is not None and keys.dtype == np.uint64 and len(keys) >= ORDER_MIN_KEYS:
        return _kernels.radix_order(np.ascontiguousarray(keys))
    return np.argsort(keys, kind="stable")


def _sorted(x: np.ndarray) -> np.ndarray:
    """np.sort(x). Sessions 23-53 sorted uint64 and non-negative int64 keys by the compiled radix passes
    (`_kernels.radix_sort`: ~7x numpy 1.x's sort of 64-bit keys then). The pinned numpy (2.4) sorts them
    with its vectorized quicksort, 3-7x faster than those passes on this machine (session 54, CPU ms,
    best of 3: 1 M pair codes 10 against 30, 1 M random keys 13 against 93, 4 M pair codes 53 against
    146): values sorted are the same array whatever the algorithm. `_order` (a stable permutation, where
    numpy's stable argsort is the slower) keeps the radix passes."""
    return np.sort(x)


def _is_sorted(x: np.ndarray) -> bool:
    """Whether x is in non-decreasing order (one pass, no sort)."""
    return len(x) < 2 or bool((x[1:] >= x[:-1]).all())


def _taken(v: np.ndarray, mask: np.ndarray | None, order: np.ndarray | None) -> np.ndarray:
    """v[mask][order], skipping the copies of an all-true mask (None) and of the identity order (None)."""
    v = v if mask is None else v[mask]
    return v if order is None else v[order]


# Descents below which `_sort_unique(runs=True)` sorts by numpy's stable sort: timsort merges the sorted
# runs it finds, where the default quicksort starts over. CPU ms on 1 M random int64 in k sorted runs of
# equal length, stable against default: k = 2: 7 / 22, 4: 12 / 26, 8: 16 / 21, 16: 21 / 20, 32: 26 / 20;
# one run of 1 M plus one of 100 k: 3.4 / 19.5. The count of descents costs ~1.4 ms a million.
SORT_RUNS = 8


def _sort_unique(x: np.ndarray, runs: bool = False) -> np.ndarray:
    """Sorted distinct values (what np.unique returns), by sorting. `runs`: x is likely a few sorted runs
    one after another (a holder chunk's rows, one run per index layer): then, when it has fewer than
    SORT_RUNS descents, the runs are merged (the same values, sorted by another algorithm)."""
    if len(x) < 2:
        return np.array(x, copy=True)
    if runs and int(np.count_nonzero(x[1:] < x[:-1])) < SORT_RUNS:
        s = np.sort(x, kind="stable")
    else:
        s = _sorted(x)
    return s[np.r_[True, s[1:] != s[:-1]]]


# Queries below this many are searched as they come (`_located`); from here on, sorting them first pays:
# 2 M rows of 1,000 documents (each document's keys ascending) searched in 924 k sorted keys, CPU-s
# alternated: 0.60 / 0.60 as they come, 0.30 / 0.29 sorted first (argsort, search, scatter back).
LOCATE_SORT_MIN = 1 << 16


def _located(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """np.searchsorted(keys, q), the same positions. Rows gathered document by document (sorted per
    document only) make every search start over in all of `keys`, missing the cache on most of its
    levels; searched in key order, each search starts where the last ended. So many unsorted queries
    are sorted first and their positions put back."""
    if len(q) < LOCATE_SORT_MIN or _is_sorted(q):
        return np.searchsorted(keys, q)
    o = np.argsort(q)
    at = np.empty(len(q), np.intp)
    at[o] = np.searchsorted(keys, q[o])
    return at


def _grouped(keys: np.ndarray, members: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """tasks.dedupe._grouped (group rank, member) by the compiled sorts: the same arrays."""
    order = _order(keys) if keys.dtype == np.uint64 else np.argsort(keys, kind="stable")
    k = keys[order]
    rank = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1
    code = _sorted(rank * span + members[order].astype(np.int64))
    code = code[np.r_[True, code[1:] != code[:-1]]]
    return code // span, code % span


def _partition_of(keys: np.ndarray, bits: int) -> np.ndarray:
    if bits == 0:
        return np.zeros(len(keys), dtype=np.int64)
    return (sig._mix64(keys) >> np.uint64(64 - bits)).astype(np.int64)


class _Runs:
    """(key, gid) rows of one signature file's batches, collected per (kind, partition) and written
    as one run per partition every RUN_ROWS rows: a file of SCATTER_DOCS-row batches used to leave
    one tiny `.npy` per batch per partition (226k files at 1 M documents, ~520 s to delete). Run
    names are the first batch's (`<file>-<batch>`), so they still sort in gid order; the rows of a
    partition, read in run order, are the same as before."""

    def __init__(self, plan: _Plan, file: int) -> None:
        self.plan, self.file = plan, file
        self.parts: dict[tuple[str, int], list[np.ndarray]] = {}
        self.rows, self.first = 0, 0

    def add(self, kind: str, keys: np.ndarray, gids: np.ndarray) -> None:
        part = _partition_of(keys, self.plan.bits[kind])
        order = stable_order(part, 1 << self.plan.bits[kind])  # radix: numpy's merge sort was 2.4 of 55 CPU-s
        part, keys, gids = part[order], keys[order], gids[order]
        starts = np.flatnonzero(np.r_[True, part[1:] != part[:-1]]) if len(part) else np.zeros(0, np.int64)
        for s, e in zip(starts, np.r_[starts[1:], len(part)], strict=False):
            rows = np.stack([keys[s:e].astype(np.uint64), gids[s:e].astype(np.uint64)])
            self.parts.setdefault((kind, int(part[s])), []).append(rows)
        self.rows += len(part)

    def end_batch(self, batch: int) -> None:
        """After batch `batch`: write when RUN_ROWS rows are held; the next run starts at batch + 1."""
        if self.rows >= RUN_ROWS:
            self.flush()
            self.first = batch + 1

    def flush(self) -> None:
        for (kind, p), chunks in sorted(self.parts.items()):
            d = self.plan.run_dir(kind, p)
            d.mkdir(parents=True, exist_ok=True)
            np.save(d / f"{self.file:06d}-{self.first:05d}.npy", np.concatenate(chunks, axis=1))
        self.parts, self.rows = {}, 0


BYDOC = {"sample": np.uint64, "anchors": np.uint64, "minhash": np.uint32}  # raw doc-major files


class _ByDoc:
    """A signature file's keys document by document (what the next run's fast path reads for the
    few documents it re-examines), appended batch by batch to raw files whose digests are taken
    as they are written: no second pass, no copy (the cold run's cost of the fast path's state)."""

    def __init__(self, d: Path, file: int) -> None:
        d.mkdir(parents=True, exist_ok=True)
        self.d, self.file = d, file
        self.out = {k: open(d / f"{file:06d}-{k}.bin", "wb") for k in BYDOC}  # noqa: SIM115 (closed in close)
        self.hash = {k: xxhash.xxh3_128() for k in BYDOC}
        self.ns: list[np.ndarray] = []
        self.na: list[np.ndarray] = []

    def add(self, sample: np.ndarray, ns: np.ndarray, anchors: np.ndarray, na: np.ndarray, mh: np.ndarray) -> None:
        for k, arr in (("sample", sample), ("anchors", anchors), ("minhash", mh)):
            data = np.ascontiguousarray(arr, dtype=BYDOC[k]).data
            self.out[k].write(data)
            self.hash[k].update(data)
        self.ns.append(np.asarray(ns, np.int64))
        self.na.append(np.asarray(na, np.int64))

    def close(self, done: bool) -> None:
        for f in self.out.values():
            f.close()
        if done:
            ns = np.concatenate(self.ns) if self.ns else np.zeros(0, np.int64)
            na = np.concatenate(self.na) if self.na else np.zeros(0, np.int64)
            np.savez(
                self.d / f"{self.file:06d}-offsets.npz", soff=np.r_[0, np.cumsum(ns)], aoff=np.r_[0, np.cumsum(na)]
            )
            digests = {k: h.hexdigest() for k, h in self.hash.items()}
            (self.d / f"{self.file:06d}-digests.json").write_text(json.dumps(digests))


def _read_parquet(path: str | Path, columns: list[str] | None = None, pre_buffer: bool = True) -> pa.Table:
    """One Parquet file read through `pq.ParquetFile`, not `pq.read_table`: read_table builds a dataset
    (file system resolution, fragment, scanner) on every call, ~0.65 against ~0.15 CPU-ms for a column of
    a part here; a +1 % night's call reads ~55 of them at 20k (names, parts, the cluster lists). Same
    table values."""
    with pq.ParquetFile(path, pre_buffer=pre_buffer) as pf:
        return pf.read(columns=columns)


def _read_signature_file(path: str, columns: list[str] | None = None) -> pa.Table:
    pa.default_memory_pool().release_unused()  # the previous file's buffers go back to the OS
    try:
        return _read_parquet(path, columns=columns or READ_COLUMNS, pre_buffer=False)
    except Exception as exc:  # our own step wrote it: a broken file is a broken run, say which
        raise DedupeStateError(f"signature file {path} is unreadable ({exc}); re-run its signatures step") from exc


def _flat(table: pa.Table, col: str) -> tuple[np.ndarray, np.ndarray]:
    arr = table.column(col).combine_chunks()
    if table.num_rows == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    off = arr.offsets.to_numpy().astype(np.int64)
    vals = arr.values.to_numpy()[off[0] : off[-1]]
    return vals, np.diff(off)


def _scatter_file(args: tuple[_Plan, int]) -> dict[str, np.ndarray]:
    """Kernel of pass 1 for one signature file, read SCATTER_DOCS rows at a time: keyed runs on
    disk, MinHash into the permutation-major file, per-doc metadata back."""
    plan, i = args
    if plan.cached and i in plan.cached:
        return _scatter_cached(plan, i)
    meta: dict[str, list[np.ndarray]] = {k: [] for k in _Meta.__dataclass_fields__}
    try:
        reader = pq.ParquetFile(plan.files[i])
        batches = reader.iter_batches(batch_size=SCATTER_DOCS, columns=READ_COLUMNS)
        start = int(plan.base[i])
        runs = _Runs(plan, i)
        bydoc = _ByDoc(plan.work / "bydoc", i)
        done = False
        try:
            for c, batch in enumerate(batches):
                t = pa.Table.from_batches([batch])
                _scatter_batch(plan, runs, t, start, meta, bydoc)
                runs.end_batch(c)
                start += t.num_rows
                del t, batch
                pa.default_memory_pool().release_unused()
            runs.flush()
            done = True
        finally:
            bydoc.close(done)
    except DedupeStateError:
        raise
    except Exception as exc:  # our own step wrote it: a broken file is a broken run, say which
        raise DedupeStateError(
            f"signature file {plan.files[i]} is unreadable ({exc}); re-run its signatures step"
        ) from exc
    return {k: _cat(v, k) for k, v in meta.items()}


KINDS = ("bands", "anchors", "sample", "exact")


def _scatter_cached(plan: _Plan, i: int) -> dict[str, np.ndarray]:
    """Pass 1 of a signature file the previous run saw byte for byte: its keyed runs stay in the
    index (a `.ref` per partition points at them, with this run's first gid), its MinHash and
    metadata come from there too. Nothing of the file is read."""
    assert plan.cached is not None and plan.digests is not None and plan.index_root is not None
    files, root = plan.cached[i], plan.index_root
    prefix = f"files/{plan.digests[i]}/"
    z = _load_checked(root / (prefix + "meta.npz"), files.get(prefix + "meta.npz"))
    start = int(plan.base[i])
    mh = z["minhash"]
    if mh.shape[1]:
        with open(plan.work / "minhash.bin", "r+b") as f:
            for r in range(sig.NUM_PERM):
                os.pwrite(f.fileno(), np.ascontiguousarray(mh[r]).tobytes(), (r * plan.n + start) * 4)
    for kind in KINDS:
        rel = prefix + f"{kind}-at.npz"
        runs = _load_checked(root / rel, files.get(rel))
        at = runs["at"]
        if len(at) != plan.parts(kind) + 1 or len(runs["digest"]) != plan.parts(kind):
            raise DedupeStateError(
                f"dedupe index file {root / rel} has {len(at) - 1} partitions, not {plan.parts(kind)}"
            )
        for p in np.flatnonzero(np.diff(at)).tolist():
            d = plan.run_dir(kind, p)
            d.mkdir(parents=True, exist_ok=True)
            ref = {
                "keys": str(root / (prefix + f"{kind}-k.bin")),
                "rows": str(root / (prefix + f"{kind}-row.bin")),
                "slice": [int(at[p]), int(at[p + 1])],
                "digest": str(runs["digest"][p]),
                "base": start,
            }
            (d / f"{i:06d}-00000.ref").write_text(json.dumps(ref))
    return {k: z[k] for k in _Meta.__dataclass_fields__}


def _scatter_batch(plan: _Plan, runs: _Runs, t: pa.Table, start: int, meta: dict[str, list], bydoc: _ByDoc) -> None:
    n = t.num_rows
    gid = np.arange(start, start + n, dtype=np.uint64)
    bands, nb = _flat(t, "bands")
    runs.add("bands", bands, np.repeat(gid, nb))
    anchors, na = _flat(t, "anchors")
    runs.add("anchors", anchors, np.repeat(gid, na))
    sample, ns = _flat(t, "sample")
    runs.add("sample", sample, np.repeat(gid, ns))
    fp = t.column("fp_hash").to_numpy()
    fp_chars = t.column("fp_chars").to_numpy().astype(np.int32)
    has = fp_chars > 0
    runs.add("exact", fp[has], gid[has])
    # MinHash, stored permutation-major so a group of permutations for all documents is one read
    if n:
        mh = t.column("minhash").combine_chunks().flatten().to_numpy().reshape(n, sig.NUM_PERM)
        with open(plan.work / "minhash.bin", "r+b") as f:
            for r in range(sig.NUM_PERM):
                os.pwrite(f.fileno(), np.ascontiguousarray(mh[:, r]).tobytes(), (r * plan.n + start) * 4)
    bydoc.add(sample, ns, anchors, na, mh if n else np.zeros((0, sig.NUM_PERM), np.uint32))
    meta["idhash"].append(_id_hashes(t.column("doc_id").combine_chunks()))
    meta["fp"].append(fp.astype(np.uint64))
    meta["fp_chars"].append(fp_chars)
    meta["n_chars"].append(t.column("n_chars").to_numpy().astype(np.int32))
    meta["truncated"].append(t.column("truncated").to_numpy(zero_copy_only=False).astype(bool))
    meta["n_flags"].append(t.column("n_flags").to_numpy().astype(np.int16))
    meta["n_sample"].append(ns.astype(np.int32))
    meta["dockey"].append(
        _doc_keys(t, mh if n else np.zeros((0, sig.NUM_PERM), np.uint32), bands, nb, sample, ns, anchors, na)
    )


def _doc_keys(t: pa.Table, mh, bands, nb, sample, ns, anchors, na) -> np.ndarray:
    """xxh3 of everything a document's pairs and election depend on: a document whose key is in
    the previous index has the same signature, so its pairs' Jaccard, overlap and weights carry over."""
    ids = t.column("doc_id").to_pylist()
    scal = np.stack(
        [
            t.column("fp_hash").to_numpy().astype(np.uint64),
            t.column("fp_chars").to_numpy().astype(np.uint64),
            t.column("n_chars").to_numpy().astype(np.uint64),
            t.column("truncated").to_numpy(zero_copy_only=False).astype(np.uint64),
            t.column("n_flags").to_numpy().astype(np.uint64),
        ],
        axis=1,
    )
    ob, os_, oa = np.r_[0, np.cumsum(nb)], np.r_[0, np.cumsum(ns)], np.r_[0, np.cumsum(na)]
    out = np.empty(len(ids), np.uint64)
    for r, d in enumerate(ids):
        h = xxhash.xxh3_64()
        h.update(d.encode("utf-8") + b"\0")
        h.update(scal[r].tobytes())
        h.update(np.ascontiguousarray(mh[r]).tobytes())
        h.update(bands[ob[r] : ob[r + 1]].tobytes() + b"|")
        h.update(sample[os_[r] : os_[r + 1]].tobytes() + b"|")
        h.update(anchors[oa[r] : oa[r + 1]].tobytes())
        out[r] = h.intdigest()
    return out


def _read_slice(ref: dict) -> tuple[np.ndarray, np.ndarray]:
    """One partition's (keys, file-local rows) of a signature file kept in the index
    (`_write_file_runs`), read and checked against that partition's digest alone."""
    lo, hi = ref["slice"]
    data = []
    for path, width in ((ref["keys"], 8), (ref["rows"], 4)):
        try:
            with open(path, "rb") as f:
                f.seek(lo * width)
                data.append(f.read((hi - lo) * width))
        except OSError as exc:
            raise DedupeStateError(
                f"dedupe index file {path} is missing ({exc}); delete {Path(path).parents[2]}"
            ) from exc
    if (
        len(data[0]) != (hi - lo) * 8
        or len(data[1]) != (hi - lo) * 4
        or (xxhash.xxh3_128_hexdigest(data[0] + data[1]) != ref["digest"])
    ):
        raise DedupeStateError(
            f"dedupe index file {ref['keys']} is damaged (rows {lo}-{hi} differ from their digest); "
            f"delete the state folder {Path(ref['keys']).parents[2]} to rebuild"
        )
    return np.frombuffer(data[0], np.uint64), np.frombuffer(data[1], np.uint32)


def _load_runs(d: Path) -> tuple[np.ndarray, np.ndarray]:
    """A partition's (key, gid) rows in gid order: runs written this run (`.npy`) and runs of
    unchanged files kept in the index (`.ref`: file-local rows, shifted to this run's gids)."""
    runs = []
    found = [*d.glob("[0-9]*.npy"), *d.glob("[0-9]*.ref")] if d.is_dir() else []  # not bykey-*.npy
    for p in sorted(found, key=lambda x: x.stem):
        if p.suffix == ".npy":
            runs.append(np.load(p))
        else:
            ref = json.loads(p.read_text())
            keys, rows = _read_slice(ref)
            runs.append(np.stack([keys, rows.astype(np.uint64) + np.uint64(ref["base"])]))
    if not runs:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    rows = np.concatenate(runs, axis=1)
    return rows[0], rows[1].astype(np.int64)


# --- pass 2: candidate pairs per key partition --------------------------------------------------


def _band_kernel(args: tuple[Path, Path]) -> int:
    """Pairs (a < b) sharing a key in one partition (bands or exact fingerprints), written as
    chunks of at most PARTITION_ROWS pair codes (a key held by k documents makes k^2/2 pairs)."""
    src, dst = args
    keys, gids = _load_runs(src)
    if len(keys) < 2:
        return _save_chunks([], dst)
    span = int(gids.max()) + 1
    rank, m = _grouped(keys, gids, span)
    del keys, gids
    return _save_chunks((_sort_unique(c) for c in _pair_code_chunks(rank, m)), dst)


def _pair_code_chunks(rank: np.ndarray, members: np.ndarray):
    """Pair codes (a << 32 | b, a < b) of every group, in chunks of about PARTITION_ROWS codes;
    rows sorted by group then member. A group too big for one chunk is cut by rows of its triangle."""
    if len(rank) < 2:
        return
    starts = np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]])
    sizes = np.diff(np.r_[starts, len(rank)])
    npairs = sizes * (sizes - 1) // 2
    lo = 0
    while lo < len(starts):
        if npairs[lo] > PARTITION_ROWS:  # one huge group: its triangle a block of rows at a time
            grp = members[starts[lo] : starts[lo] + sizes[lo]].astype(np.uint64)
            step = max(1, PARTITION_ROWS // len(grp))
            for r in range(0, len(grp) - 1, step):
                a = np.repeat(np.arange(r, min(r + step, len(grp) - 1)), len(grp))
                b = np.tile(np.arange(len(grp)), len(a) // len(grp))
                keep = b > a
                yield _pair_code(grp[a[keep]], grp[b[keep]])
            lo += 1
            continue
        cum = np.cumsum(npairs[lo:])
        hi = min(len(starts), lo + max(1, int(np.searchsorted(cum, PARTITION_ROWS, side="right"))))
        r0, r1 = starts[lo], (starts[hi] if hi < len(starts) else len(rank))
        span = int(members[r0:r1].max()) + 1
        code = sig._group_pair_codes(rank[r0:r1], members[r0:r1], span)
        if len(code):
            yield _pair_code(code // span, code % span)
        lo = hi


def _save_chunks(chunks, dst: Path) -> int:
    dst.mkdir(parents=True, exist_ok=True)
    total = 0
    for k, c in enumerate(chunks):
        np.save(dst / f"{k:05d}.npy", c)
        total += len(c)
    return total


def _pair_code(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)


def _unique_codes(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return np.zeros(0, np.uint64)
    return _sort_unique(_pair_code(pairs[:, 0], pairs[:, 1]))


def _anchor_kernel(args: tuple[Path, Path, int]) -> np.ndarray:
    """One anchor partition: pair codes of documents sharing a rare anchor (repeated once per
    shared anchor, for counting later; written in bounded chunks) and, returned, the gid of every
    distinct anchor row, rare or not (each document's anchor count, the pre-filter's denominator,
    is their bincount: a property of the document alone, so an anchor becoming boilerplate
    changes nothing but the shared counts of the pairs among its own holders)."""
    src, dst, _n = args
    keys, gids = _load_runs(src)
    if len(keys) == 0:
        _save_chunks([], dst)
        return np.zeros(0, np.int64)
    # runs arrive in gid order, so a stable sort by key gives (key, gid) order
    if len(gids) > 1 and (gids[1:] < gids[:-1]).any():
        order = np.lexsort((gids, keys))
    else:
        order = _order(keys)
    k, m = keys[order], gids[order]
    del keys, gids, order
    keep = np.r_[True, (k[1:] != k[:-1]) | (m[1:] != m[:-1])]
    k, m = k[keep], m[keep]
    np.save(src / "bykey-k.npy", k)  # the fast path's base table, sorted and distinct already
    np.save(src / "bykey-d.npy", m.astype(np.uint32))
    first = np.r_[True, k[1:] != k[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(k)])
    per_doc = m
    rare = (sizes >= 2) & (sizes <= sig.ANCHOR_MAX_DF)
    if _kernels is not None:
        chunks = _counted_pairs(starts[rare], sizes[rare], m)
    else:
        shared = np.repeat(rare, sizes)
        rank = (np.cumsum(first) - 1)[shared]
        chunks = (_run_counts(_sorted(c)) for c in _pair_code_chunks(rank, m[shared]))
    _save_counted(chunks, dst)  # in order of the first document: read by range
    return per_doc


def _counted_pairs(starts: np.ndarray, sizes: np.ndarray, m: np.ndarray):
    """(pair codes, shared anchors) of one anchor partition, each pair once, in chunks of at most
    PARTITION_ROWS pairs (more only where one document's own pairs are more), in order of their first
    document across chunks (what `_code_bounds` needs to read a range; `_pair_count_kernel` sorts):
    `_kernels.anchor_pair_counts` counts each document's later co-holders in a dense array. The numpy
    path made each pair once per anchor it shares (148 M codes for 2-3 M pairs on the 20k bench), then
    sorted, wrote and re-read them: 19 of the cold call's 55 CPU-s (session 60)."""
    rows = _ranges(starts, starts + sizes)
    if len(rows) == 0:
        return
    row_end = np.zeros(len(m), np.int64)
    row_end[rows] = np.repeat((starts + sizes).astype(np.int64), sizes)
    gid = np.ascontiguousarray(m, np.int64)
    by_doc = np.ascontiguousarray(rows[_order(gid[rows].astype(np.uint64))], np.int64)  # radix: 2 passes at 20k
    n = int(gid.max()) + 1
    cap = max(PARTITION_ROWS, n)  # one document's pairs (fewer than n) always fit
    pos = 0
    while pos < len(by_doc):
        code, count = np.empty(cap, np.uint64), np.empty(cap, np.int32)
        pos, written = _kernels.anchor_pair_counts(by_doc, row_end, gid, pos, n, code, count)
        yield code[:written], count[:written]


def _run_counts(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted codes as (distinct codes, how often each occurs)."""
    if len(codes) == 0:
        return codes, np.zeros(0, np.int32)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return codes[starts], np.diff(np.r_[starts, len(codes)]).astype(np.int32)


def _save_counted(chunks, dst: Path) -> int:
    """`_save_chunks` for (codes, counts) chunks: the counts beside each chunk's codes (`.cnt.npy`)."""
    dst.mkdir(parents=True, exist_ok=True)
    total = 0
    for k, (c, w) in enumerate(chunks):
        np.save(dst / f"{k:05d}.npy", c)
        np.save(dst / f"{k:05d}.cnt.npy", w)
        total += len(c)
    return total


def _pair_count_kernel(args: tuple[list[Path], Path, np.ndarray, int, int]) -> int:
    """Count how many rare anchors each pair shares (one slice of the pair-code space), keep pairs
    with MIN_SHARED_ANCHORS and MIN_ANCHOR_SHARE of the smaller one's anchors; their shared counts
    go to `.cnt.npy` (the fast path moves them by the anchors that cross ANCHOR_MAX_DF)."""
    srcs, dst, per_doc, lo, hi = args
    codes, counts = _counted_in_range(srcs, lo, hi)
    if _kernels is not None:  # the sums and the thresholds a first document at a time, no sort of the entries
        per = np.ascontiguousarray(per_doc, np.int64)
        args_ = (sig.MIN_SHARED_ANCHORS, sig.MIN_ANCHOR_SHARE)
        codes, counts = _kernels.anchor_count_sums(codes, counts, lo, hi, per, *args_)
    elif len(codes):
        o = _order(codes)  # a pair's counts from several partitions (and numpy chunks) summed
        codes, counts = codes[o], counts[o]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        counts = np.add.reduceat(counts.astype(np.int64), starts)
        codes = codes[starts]
        a = (codes >> np.uint64(32)).astype(np.int64)
        b = (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
        need = np.maximum(sig.MIN_SHARED_ANCHORS, sig.MIN_ANCHOR_SHARE * np.minimum(per_doc[a], per_doc[b]))
        codes, counts = codes[counts >= need], counts[counts >= need]
    else:
        counts = np.zeros(0, np.int64)
    np.save(dst, codes)
    np.save(dst.with_suffix(".cnt.npy"), counts.astype(np.int32))
    return len(codes)


def _chunk_files(dirs: list[Path]) -> list[Path]:
    return [f for d in dirs for f in sorted(d.glob("*.npy")) if not f.name.endswith(".cnt.npy")]


def _codes_in_range(files: list[Path], lo: int, hi: int) -> np.ndarray:
    """Pair codes whose first document is in [lo, hi), from sorted chunk files: each is memory-mapped
    and only its slice for the range is read (scanning every file whole for every range made this
    quadratic in the candidate pairs: 13 of the 20k cold call's 55 CPU-s; session 16)."""
    parts = [_sorted_slice(np.load(f, mmap_mode="r"), lo, hi) for f in files]
    return np.concatenate(parts) if parts else np.zeros(0, np.uint64)


def _counted_in_range(files: list[Path], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """`_codes_in_range` with each code's count (`_save_counted`'s `.cnt.npy`), from chunks in order of
    their codes' first document (their high 32 bits): `_code_bounds` finds a range's slice in those."""
    codes, counts = [np.zeros(0, np.uint64)], [np.zeros(0, np.int32)]
    for f in files:
        c = np.load(f, mmap_mode="r")
        i, j = _code_bounds(c, lo, hi)
        codes.append(np.array(c[i:j], np.uint64))
        counts.append(np.array(np.load(f.with_suffix(".cnt.npy"), mmap_mode="r")[i:j], np.int32))
        del c
    return np.concatenate(codes), np.concatenate(counts)


def _code_bounds(codes: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """Where the pair codes with first document in [lo, hi) start and end in the sorted `codes`."""
    i, j = np.searchsorted(codes, np.array([lo, hi], np.uint64) << np.uint64(32))
    return int(i), int(j)


def _sorted_slice(codes: np.ndarray, lo: int, hi: int) -> np.ndarray:
    i, j = _code_bounds(codes, lo, hi)
    return np.array(codes[i:j], np.uint64)  # a copy: the map is closed with the array


def _merge_pairs_kernel(args: tuple[list[Path], list[Path], Path, int, int]) -> int:
    """Union of candidate pair codes with first document in [lo, hi): one pair partition, and
    where each came from (`.src.npy`: 1 bands or fingerprint, 2 anchors) for the fast path."""
    band_srcs, anchor_srcs, dst, lo, hi = args
    bands = _sort_unique(_codes_in_range(band_srcs, lo, hi))
    ac, an = [np.zeros(0, np.uint64)], [np.zeros(0, np.int32)]
    for f in anchor_srcs:  # anchor pairs are distinct across files (one pair-code range each), sorted
        c = np.load(f, mmap_mode="r")
        i, j = _code_bounds(c, lo, hi)
        ac.append(np.array(c[i:j], np.uint64))
        an.append(np.array(np.load(f.with_suffix(".cnt.npy"), mmap_mode="r")[i:j], np.int32))
        del c
    anchors, acount = np.concatenate(ac), np.concatenate(an)
    o = _order(anchors)
    anchors, acount = anchors[o], acount[o]
    codes = _sort_unique(np.concatenate([bands, anchors]))
    src = np.isin(codes, bands).astype(np.int8) | (np.isin(codes, anchors).astype(np.int8) << 1)
    cnt = np.zeros(len(codes), np.int32)  # shared rare anchors of the anchor candidates, 0 otherwise
    cnt[np.searchsorted(codes, anchors)] = acount
    np.save(dst, codes)
    np.save(dst.with_suffix(".src.npy"), src)
    np.save(dst.with_suffix(".acnt.npy"), cnt)
    return len(codes)


# --- pass 3: Jaccard from permutation-major MinHash ---------------------------------------------


def _jaccard(plan: _Plan, a: np.ndarray, b: np.ndarray, meta: _Meta) -> np.ndarray:
    """MinHash Jaccard per pair, PERM_GROUP permutations of every document in memory at a time."""
    match = np.zeros(len(a), dtype=np.int32)
    n = plan.n
    with open(plan.work / "minhash.bin", "rb") as f:
        for r0 in range(0, sig.NUM_PERM, PERM_GROUP):
            r1 = min(sig.NUM_PERM, r0 + PERM_GROUP)
            f.seek(r0 * n * 4)
            block = np.fromfile(f, dtype=np.uint32, count=(r1 - r0) * n).reshape(r1 - r0, n)
            for row in block:
                match += row[a] == row[b]
    jac = (match / sig.NUM_PERM).astype(np.float32)
    jac[(meta.fp_chars[a] == 0) | (meta.fp_chars[b] == 0)] = 0.0
    return jac


# --- components: min-label propagation over edge batches ----------------------------------------


def _components(n: int, edge_batches: Callable[[], Iterable[tuple[np.ndarray, np.ndarray]]]) -> np.ndarray:
    """Connected components (label = smallest gid) by min-label propagation with pointer jumping,
    streaming the edges from disk each round: O(N) labels in memory, edges never all at once."""
    labels = np.arange(n, dtype=np.int64)
    while True:
        new = labels.copy()
        for a, b in edge_batches():
            m = np.minimum(labels[a], labels[b])
            np.minimum.at(new, a, m)
            np.minimum.at(new, b, m)
        np.minimum.at(new, labels, new)  # a root takes its members' smallest label
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            return labels
        labels = new


def _stable_names(labels: np.ndarray, dk: np.ndarray, namer: np.ndarray) -> np.ndarray:
    """Each document's group name (a uint64 document key), from its component label: the key of a
    member that named its group before (`namer`: its previous group name is its own key), the
    smallest such one when groups merged; else the smallest member key (a cold run names every group
    so). A group's name is always the key of one of its members, so two groups never share one.

    Why: named by their smallest key only, a group took a new page's key whenever the page's key was
    smaller than its members' (a speech of ~88 copies: 1 new copy in 89), and all its members counted
    as regrouped — their shingles joined the df widening with no witness for the new name (100k +1 %:
    1,000 regrouped pages beside the 1,000 new ones, 120 k shingles' holders read again). Names
    only identify groups in the df counts (distinct names per shingle), so the outputs stay a cold
    run's while the state's names keep their history."""
    top = np.iinfo(np.uint64).max
    kept = np.full(len(labels), top, np.uint64)
    np.minimum.at(kept, labels[namer], dk[namer])
    smallest = np.full(len(labels), top, np.uint64)
    np.minimum.at(smallest, labels, dk)
    return np.where(kept != top, kept, smallest)[labels]


# --- pass 4: sampled-shingle overlap per hash partition ----------------------------------------


def _prepared_partition(src: Path, group: np.ndarray | None):
    """(gid << 32 | shingle rank) sorted, the integer weight of each row, each document's total
    weight, the partition's sorted distinct shingle keys and the weight of each (by rank), in one
    sampled-shingle partition; computed once per run and weighting, then read back (every batch of
    pairs visits every partition)."""
    cache = _Bundle(src / ("prepared-weighted" if group is not None else "prepared-plain"))
    if cache.exists():
        return cache["code"], cache["w"], cache["totals"], cache["ukeys"], cache["wrank"]
    weighted = _Bundle(src / "prepared-weighted")
    if group is None and weighted.exists():
        # the plain pass (the election's evidence, after verification) has the weighted pass's rows and ranks, only
        # every weight W_ONE: its code and keys are read back instead of sorting the partition's keys a second
        # time (half of _prepared_partition's CPU, ~20 % of the 5k cold call; session 47)
        code, ukeys = weighted["code"], weighted["ukeys"]
        plain = np.full(len(code), W_ONE, np.int64), np.full(len(ukeys), W_ONE, np.int64)
        return code, plain[0], np.zeros((2, 0), np.int64), ukeys, plain[1]
    keys, gids = _load_runs(src)
    empty = np.zeros(0, np.int64)
    if len(keys) == 0:
        return empty, empty, np.zeros((2, 0), np.int64), np.zeros(0, np.uint64), empty
    # runs arrive document by document with sorted samples, files in gid order: rows are
    # already sorted by (gid, key); one argsort by key gives each shingle its rank
    by_key = _order(keys)
    ks = keys[by_key]
    first = np.r_[True, ks[1:] != ks[:-1]]
    ukeys = ks[first]
    rank_sorted = np.cumsum(first) - 1
    rank = np.empty(len(keys), np.int64)
    rank[by_key] = rank_sorted
    if group is not None:  # df = distinct groups per shingle
        gcode = _sort_unique(rank_sorted * (1 << 32) + group[gids[by_key]])
        df = np.bincount(gcode >> 32, minlength=len(ukeys))
        wrank = _weight_of_df(df)
        np.save(src / "bykey-u.npy", ukeys)  # the fast path's df bounds (exact here), by distinct key
        np.save(src / "bykey-df.npy", df.astype(np.uint32))
        del gcode, df
    else:
        wrank = np.full(len(ukeys), W_ONE, np.int64)
    w = wrank[rank]
    if group is not None:  # the fast path's base table, written as it will be kept (no second sort)
        np.save(src / "bykey-k.npy", ks)
        np.save(src / "bykey-d.npy", gids[by_key].astype(np.uint32))
    del by_key, ks, first, rank_sorted
    code = (gids << 32) | rank  # sorted: a document's shingles are one slice
    if len(code) > 1 and not (code[1:] > code[:-1]).all():  # runs not in (gid, key) order: sort them
        order = _order(code)
        code, w, gids = code[order], w[order], gids[order]
    totals = np.zeros((2, 0), np.int64)
    if group is not None:
        st = np.flatnonzero(np.r_[True, gids[1:] != gids[:-1]])
        totals = np.stack([gids[st].astype(np.int64), np.add.reduceat(w, st)])
    _save_bundle(cache.path, code=code, w=w, totals=totals, ukeys=ukeys, wrank=wrank)
    return code, w, totals, ukeys, wrank


def _prepared_weights(src: Path, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A prepared partition's distinct keys and their weights alone: the index's `weights/<p>.npz`.
    Read from the verification pass's bundle without its row arrays (code and w: 16 bytes a sampled
    row, ~0.85 GB read back for nothing by the 20k cold call)."""
    cache = _Bundle(src / "prepared-weighted")
    if cache.exists():
        return cache["ukeys"], cache["wrank"]
    _code, _w, _t, ukeys, wrank = _prepared_partition(src, group)
    return ukeys, wrank


def _df_grid(steps: int) -> np.ndarray:
    """The grid df is rounded up to: ceil(BOILER_MIN_DF * 2^(k / steps)), k = 0, 1, ... up to
    2^32 documents (integers, so the weights stay exact integers)."""
    k = np.arange(32 * steps + 1, dtype=np.float64)
    return np.unique(np.ceil(sig.BOILER_MIN_DF * 2.0 ** (k / steps)).astype(np.int64))


def _weight_of_df(df: np.ndarray) -> np.ndarray:
    """min(1, BOILER_MIN_DF / df_q) in W_ONE units (floor): a shingle in df > 4 groups is
    boilerplate. df_q = df rounded up to the DF_GRID_STEPS grid, so a weight moves only when df
    crosses a grid point: a run adding a few documents changes few weights (the fast path's
    work follows the change, not the holders of every boilerplate shingle it touches)."""
    df = np.maximum(df.astype(np.int64), 1)
    if DF_GRID_STEPS > 0:
        grid = _df_grid(DF_GRID_STEPS)
        df = np.where(df <= sig.BOILER_MIN_DF, df, grid[np.minimum(np.searchsorted(grid, df), len(grid) - 1)])
    return np.where(df <= sig.BOILER_MIN_DF, W_ONE, (int(sig.BOILER_MIN_DF) * W_ONE) // df).astype(np.int64)


def _expand(
    code: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray, batch: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: summed weight and count of the rows of `a` in `code` that `b` holds too (exact
    integers), expanding at most `batch` (EXPAND_BATCH) rows at once."""
    batch = batch or EXPAND_BATCH
    inter_w = np.zeros(len(a), np.int64)
    inter_n = np.zeros(len(a), np.int64)
    if len(code) == 0 or len(a) == 0:
        return inter_w, inter_n
    docs = code >> 32
    by_b = _order(b)  # queries sorted by b: searchsorted walks memory in order
    a, b = a[by_b], b[by_b]
    lo = np.searchsorted(docs, a, side="left")
    hi = np.searchsorted(docs, a, side="right")
    lens = hi - lo
    cum = np.cumsum(lens)
    s = 0
    while s < len(a):
        e = int(np.searchsorted(cum, (cum[s - 1] if s else 0) + batch, side="right"))
        e = max(e, s + 1)
        ln = lens[s:e]
        pair = np.repeat(np.arange(s, e), ln)
        pos = np.repeat(lo[s:e] - np.r_[0, np.cumsum(ln)[:-1]], ln) + np.arange(int(ln.sum()))
        want = (b[pair].astype(np.int64) << 32) | (code[pos] & 0xFFFFFFFF)
        at = np.minimum(np.searchsorted(code, want), len(code) - 1)
        hit = code[at] == want
        # float64 bincount of integers < 2^53 is exact
        inter_w[by_b[s:e]] = np.rint(np.bincount(pair[hit] - s, weights=w[pos[hit]], minlength=e - s))
        inter_n[by_b[s:e]] = np.bincount(pair[hit] - s, minlength=e - s)
        s = e
    return inter_w, inter_n


MARK_WEIGHT_MAX = (1 << 31) - 1  # `_kernels.marked_weights` marks a key with its weight in an int32


def _intersect(
    code: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray, wrank: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`_expand` for the cold path's verification (same exact integers, any pair order): every pair
    is tested in every sampled-shingle partition (64 partitions at 20k documents, 256 at 100k), so
    the per-pair work is paid pairs x partitions times. Each document's rows are located from one
    bincount of the partition's gids (dense offsets); `_kernels.marked_sums` marks b's keys once per
    run of pairs with the same b (the caller sorts the pairs by b once for all partitions) and sums
    the weights of a's rows that are marked, each row read once. `wrank`, when given, is each key
    rank's weight and w = wrank[rank] (as `_prepared_partition` makes them): with every weight in
    1..MARK_WEIGHT_MAX, `_kernels.marked_weights` marks b's keys with their weights and reads only
    a's 4-byte ranks (the 20k cold call's kernel 7.5 -> ~5.5 CPU-s, session 61)."""
    inter_w = np.zeros(len(a), np.int64)
    inter_n = np.zeros(len(a), np.int64)
    if len(code) == 0 or len(a) == 0:
        return inter_w, inter_n
    if _kernels is None:
        return _expand(code, w, a, b)
    code = np.ascontiguousarray(code, np.int64)
    docs = code >> 32
    n = max(int(docs[-1]), int(a.max()), int(b.max())) + 1
    start = np.zeros(n + 1, np.int64)  # rows of document d: start[d]:start[d + 1] (code is sorted)
    np.cumsum(np.bincount(docs, minlength=n), out=start[1:])
    del docs
    if wrank is not None and len(wrank) and int(wrank.min()) >= 1 and int(wrank.max()) <= MARK_WEIGHT_MAX:
        # every pair in one call: a document with no rows here reads none (no selection of live pairs)
        x, y = np.ascontiguousarray(a, np.int64), np.ascontiguousarray(b, np.int64)
        rank = code.astype(np.uint32)  # the low 32 bits: the key's rank
        _kernels.marked_weights(start, rank, wrank.astype(np.int32), x, y, inter_w, inter_n)
        return inter_w, inter_n
    live = np.flatnonzero((start[a + 1] > start[a]) & (start[b + 1] > start[b]))
    if len(live) == 0:
        return inter_w, inter_n
    width = int((code & 0xFFFFFFFF).max()) + 1
    ow, on = np.empty(len(live), np.int64), np.empty(len(live), np.int64)
    x, y = np.ascontiguousarray(a[live], np.int64), np.ascontiguousarray(b[live], np.int64)
    _kernels.marked_sums(start, code, np.ascontiguousarray(w, np.int64), x, y, width, ow, on)
    inter_w[live], inter_n[live] = ow, on
    return inter_w, inter_n


def _shared_by_doc(
    vals: np.ndarray, start: np.ndarray, length: np.ndarray, w: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`_expand` for rows kept document by document: document d's keys are vals[start[d]:start[d] +
    length[d]], sorted and distinct (as the doc-major files and the signatures hold them), w the
    integer weight of each row. Per pair (x, y): the summed weight (of x's rows) and the count of
    the keys both hold — the two sorted runs merged (`_kernels.merged_sums`), pairs taken a
    document x at a time so its keys stay in cache; no sort of the rows at all (the fast path's new
    pairs: session 11; compiled in session 16)."""
    inter_w = np.zeros(len(x), np.int64)
    inter_n = np.zeros(len(x), np.int64)
    if len(x) == 0:
        return inter_w, inter_n
    if _kernels is None:  # rows as (document << 32 | key rank), sorted, for `_expand`
        docs = np.flatnonzero(length > 0)
        rows = _ranges(start[docs], start[docs] + length[docs])
        owner = np.repeat(docs.astype(np.int64), length[docs])
        code = (owner << 32) | np.unique(vals[rows], return_inverse=True)[1].astype(np.int64)
        o = _order(code)
        return _expand(code[o], w[rows][o], x, y)
    order = stable_order(x)
    _kernels.merged_sums(
        np.ascontiguousarray(vals, np.uint64),
        np.ascontiguousarray(start, np.int64),
        np.ascontiguousarray(length, np.int64),
        np.ascontiguousarray(w, np.int64),
        np.ascontiguousarray(x[order], np.int64),
        np.ascontiguousarray(y[order], np.int64),
        inter_w,
        inter_n,
    )
    inter_w[order], inter_n[order] = inter_w.copy(), inter_n.copy()
    return inter_w, inter_n


def _block_deltas(
    code: np.ndarray, wrank: np.ndarray, a: np.ndarray, b: np.ndarray, acc: np.ndarray, mark: np.ndarray
) -> None:
    """acc[k] += the weight change of the shingles both a[k] and b[k] hold among one block of changed
    rows (`code`: sorted distinct gid << 32 | rank in C; wrank: each rank's change). Compiled: a[k]'s
    rows marked, b[k]'s tested against the marks (`_kernels.pair_deltas`: no per-block selection of
    pairs and rows; the 100k +1 % call ran this loop 432 times). Numpy: the pairs whose
    documents both have rows here, their rows selected by a mask (`mark`: a scratch bool per
    document), then `_expand`."""
    if _kernels is not None:
        _kernels.pair_deltas(
            np.ascontiguousarray(code, np.int64),
            np.ascontiguousarray(wrank, np.int64),
            np.ascontiguousarray(a, np.int64),
            np.ascontiguousarray(b, np.int64),
            acc,
        )
        return
    docs_b = code >> 32
    mark[:] = False
    mark[docs_b] = True
    sel = np.flatnonzero(mark[a] & mark[b])
    if len(sel) == 0:
        return
    mark[:] = False  # only the rows of these pairs' documents are expanded (a mask, no sort)
    mark[a[sel]], mark[b[sel]] = True, True
    rows = code[mark[docs_b]]
    acc[sel] += _expand(rows, wrank[rows & 0xFFFFFFFF], a[sel], b[sel])[0]


def _overlap_kernel(args: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One sampled-shingle partition. Weights: a shingle held by df near-duplicate groups weighs
    min(1, BOILER_MIN_DF / df). Returns per pair (small a, big b) the shared weight and shared
    count inside this partition, per document its total weight here (sparse: gids, sums) and,
    for the `known` pairs of an incremental run, the change of their shared weight: the sum of
    (new - old weight) over the shingles both hold whose weight changed since the index `old`."""
    src, a, b, group, known, old = args
    code, w, totals, ukeys, wrank = _prepared_partition(src, group)
    inter_w, inter_n = _intersect(code, w, a, b, wrank)
    delta = np.zeros(0 if known is None else len(known[0]), np.int64)
    if known is not None and len(delta) and len(code):
        okeys, ow = _load_weights(old)
        at = np.minimum(np.searchsorted(okeys, ukeys), max(len(okeys) - 1, 0))
        found = (okeys[at] == ukeys) if len(okeys) else np.zeros(len(ukeys), bool)
        dw = np.where(found, wrank - (ow[at] if len(ow) else 0), 0)  # a shingle new here: no old pair holds it
        rows = dw[code & 0xFFFFFFFF] != 0
        if rows.any():
            ccode = code[rows]
            delta = _expand(ccode, dw[ccode & 0xFFFFFFFF], known[0], known[1])[0]
    return inter_w, inter_n, totals, delta


def _overlaps(plan, meta, a, b, group, workers, client, known=None, index=None):
    """Shared weight and count per pair summed over every sampled-shingle partition, each
    document's total weight when `group` is given, and the shared-weight change of `known` pairs."""
    inter_w = np.zeros(len(a), np.int64)
    inter_n = np.zeros(len(a), np.int64)
    delta = np.zeros(0 if known is None else len(known[0]), np.int64)
    total = np.zeros(plan.n, np.int64) if group is not None else None
    order = stable_order(b, plan.n)  # once for every partition: `_intersect` marks each b once per run
    a, b = a[order], b[order]
    sa, sb, sg = a, b, group
    if client is not None:  # the same arrays for every partition: sent to each worker once, not with every task
        sa, sb = client.scatter(a, broadcast=True, hash=False), client.scatter(b, broadcast=True, hash=False)
        if group is not None:
            sg = client.scatter(group, broadcast=True, hash=False)
    jobs = [
        (plan.run_dir("sample", p), sa, sb, sg, known, None if index is None else index.weights_path(p))
        for p in range(plan.parts("sample"))
    ]
    for iw, inn, tot, dl in _imap(_overlap_kernel, jobs, workers, client):
        inter_w += iw  # in the sorted order: put back once below
        inter_n += inn
        if len(dl):
            delta += dl
        if total is not None and tot.shape[1]:
            np.add.at(total, tot[0].astype(np.int64), tot[1])
    inter_w[order], inter_n[order] = inter_w.copy(), inter_n.copy()
    return inter_w, inter_n, total, delta


# --- the global step ----------------------------------------------------------------------------


def _lasting(stats: dict[str, Any]) -> dict[str, Any]:
    """The stats a later run that reuses these outputs reports too: counts, not this call's seconds."""
    return {k: v for k, v in stats.items() if not k.startswith("phase_")}


def cluster_corpus(
    signature_files: list[str],
    prev_state_dir: str | None,
    out_dir: str,
    workers: int = 1,
    client: Any = None,
    clusters: dict[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Cluster every document of `signature_files`; write `assignments/<i:05d>.parquet` (one part per
    input file, same documents, sorted by doc_id), `duplicates.parquet` and `state/`; return stats.

    `prev_state_dir` is a previous run's `out_dir/state`. Same parameters and code (`params_version`)
    and byte-identical signature files: its outputs are reused. Same version, other files: its
    index (`state/index`) supplies every quantity of a pair of documents it has seen (Jaccard, shared
    shingles, shared weight updated by the weights that changed), and only pairs with a new or changed
    document are computed. The result is the same bytes as a cold run either way.

    `clusters`, when given, receives each document's cluster hash and whether its cluster has
    copies ("hash", "multi", in input order; "base": each file's first row) unless the outputs were
    reused as they were: what the per-shard lists of clusters with copies are made from
    (`cluster_shards`) without reading the tables just written back."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = [str(f) for f in signature_files]
    version = params_version()
    digests, stamps = _input_digests(files, prev_state_dir)
    shutil.rmtree(out / "assignments", ignore_errors=True)  # no stale part of an earlier, larger run
    reused = _reuse(prev_state_dir, version, digests, out)
    if reused is not None:
        return reused
    index = _Index.open(prev_state_dir, version)
    steps = _fast_steps(files, digests, index)
    work = out / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        # more new documents than one fast run holds: fast runs on the kept files plus a batch at a time
        for k, sub in enumerate(steps):
            step_out = out / ".steps" / f"{k:03d}"
            cluster_corpus(sub, prev_state_dir, str(step_out), workers, client)
            if k:
                shutil.rmtree(out / ".steps" / f"{k - 1:03d}", ignore_errors=True)
            prev_state_dir = str(step_out / "state")
            index = _Index.open(prev_state_dir, version)
        stats = _fast(files, digests, index, prev_state_dir, out, version, workers if client is None else 1)
        if stats is not None and steps:
            stats["fast_steps"] = len(steps) + 1
        if stats is None:  # no usable delta state, or too large a change: the full path
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            stats = _cold(files, work, out, workers, client, index, version, digests)
        elected = stats.pop("_clusters")
        if clusters is not None:
            clusters.update(elected)
        new = out / ".state-new"  # the previous state may be out/state itself: replaced only at the end
        shutil.rmtree(new, ignore_errors=True)
        (new / "outputs" / "assignments").mkdir(parents=True)
        for i in range(len(files)):
            part = f"{i:05d}.parquet"
            _link_or_copy(out / "assignments" / part, new / "outputs" / "assignments" / part)
        _link_or_copy(out / "duplicates.parquet", new / "outputs" / "duplicates.parquet")
        shutil.move(str(work / INDEX_DIR), str(new / INDEX_DIR))
        (new / "state.json").write_text(
            json.dumps(
                {"version": version, "inputs": digests, "input_stamps": stamps, "stats": _lasting(stats)},
                indent=1,
                sort_keys=True,
            )
            + "\n"
        )
        shutil.rmtree(out / "state", ignore_errors=True)
        os.replace(new, out / "state")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out / ".steps", ignore_errors=True)
    return stats


def _fast_steps(files: list[str], digests: list[str], index: _Index | None) -> list[list[str]]:
    """The input lists of the fast runs that lead up to this one, when its new files hold more
    sampled shingles than one fast run holds (FAST_STEP_ROWS): the kept files plus the new ones a
    batch at a time, in input order (a file never split; removed files are left out of the first).
    Each run's output is a cold run's on its own inputs, so the last, on every file, gives the same
    bytes whatever the steps; only its memory is bounded by a batch instead of by the change."""
    if index is None or "delta" not in index.info:
        return []
    old = set(index.info["delta"].get("inputs", []))
    new = [(d, _list_length_estimate(_parquet_meta(f), "sample")) for f, d in zip(files, digests, strict=True)]
    new = [(d, rows) for d, rows in new if d not in old]
    if sum(rows for _, rows in new) <= FAST_STEP_ROWS:
        return []
    batches: list[set[str]] = [set()]
    held = 0
    for d, rows in new:
        if batches[-1] and held + rows > FAST_STEP_ROWS:
            batches.append(set())
            held = 0
        batches[-1].add(d)
        held += rows
    steps, included = [], set()
    for batch in batches[:-1]:
        included |= batch
        steps.append([f for f, d in zip(files, digests, strict=True) if d in old or d in included])
    return steps


# --- the persisted index: what the next run reuses ----------------------------------------------

INDEX_DIR = "index"


def _pair_hash(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return sig._mix64(sig._mix64(lo.astype(np.uint64)) ^ hi.astype(np.uint64))


def _load_checked(path: Path, digest: str | None) -> dict[str, np.ndarray]:
    """An index file whose bytes still have the digest recorded when it was written."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DedupeStateError(f"dedupe index file {path} is missing ({exc}); delete {path.parent.parent}") from exc
    if digest is None or xxhash.xxh3_128_hexdigest(data) != digest:
        raise DedupeStateError(
            f"dedupe index file {path} is damaged (its digest differs from index.json); "
            f"delete the state folder {Path(path).parents[2]} to rebuild"
        )
    with np.load(io.BytesIO(data)) as z:
        return {k: z[k] for k in z.files}


def _load_weights(old: tuple[Path, str | None]) -> tuple[np.ndarray, np.ndarray]:
    z = _load_checked(*old)
    return z["ukeys"], z["wrank"]


LOOKUP_FIELDS = (("found", bool, False), ("ijac", np.float32, 0), ("in", np.int64, 0), ("iw", np.int64, -1))


class _Index:
    """The previous run's index (`state/index`), keyed by document keys (`_doc_keys`), so it does
    not depend on file order or gids: per sampled-shingle partition the sorted shingle keys and
    their weights; per pair-hash partition the pairs (both keys) with Jaccard, shared sampled
    shingles and shared weight (-1: not verified, an evidence pair); the sorted document keys.
    Every file is checked against its digest in index.json: a damaged index raises."""

    def __init__(self, root: Path, info: dict):
        self.root, self.info = root, info
        self.bits = {k: int(info["bits"][k]) for k in KINDS}
        self.sample_bits, self.pair_bits = self.bits["sample"], int(info["pair_bits"])

    @staticmethod
    def open(prev_state_dir: str | None, version: str) -> _Index | None:
        if not prev_state_dir or not (Path(prev_state_dir) / INDEX_DIR).exists():
            return None  # first run, or a state without an index: cold
        root = Path(prev_state_dir) / INDEX_DIR
        try:
            info = json.loads((root / "index.json").read_text())
            info["files"], info["pair_bits"], [info["bits"][k] for k in KINDS]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DedupeStateError(f"dedupe index {root}/index.json is unreadable ({exc}); delete {root}") from exc
        if info.get("version") != version:
            return None  # other parameters or code: rebuilt from scratch
        return _Index(root, info)

    def load(self, rel: str) -> dict[str, np.ndarray]:
        return _load_checked(self.root / rel, self.info["files"].get(rel))

    def weights_path(self, p: int) -> tuple[Path, str | None]:
        rel = f"weights/{p:05d}.npz"
        return self.root / rel, self.info["files"].get(rel)

    def lookup_chunks(self, cand: list[Path], dockey: np.ndarray) -> None:
        """`lookup` for every candidate chunk, each index partition read once: the queries are
        first split by index partition, then answered partition by partition; the answers go to
        memory-mapped <chunk>.{found,ijac,in,iw}.npy."""
        if not cand:
            return
        qdir = cand[0].parent / "lookup"
        for k, path in enumerate(cand):
            c = np.load(path)
            a, b = (c >> np.uint64(32)).astype(np.int64), (c & np.uint64(0xFFFFFFFF)).astype(np.int64)
            lo, hi = np.minimum(dockey[a], dockey[b]), np.maximum(dockey[a], dockey[b])
            part = _partition_of(_pair_hash(lo, hi), self.pair_bits)
            for p in np.unique(part).tolist():
                sel = np.flatnonzero(part == p)
                (qdir / f"{p:05d}").mkdir(parents=True, exist_ok=True)
                np.save(qdir / f"{p:05d}" / f"{k:06d}.npy", np.stack([sel.astype(np.uint64), lo[sel], hi[sel]]))
            for name, dtype, fill in LOOKUP_FIELDS:
                m = np.lib.format.open_memmap(path.with_suffix(f".{name}.npy"), "w+", dtype, (len(c),))
                m[:] = fill
                del m
        for p in range(1 << self.pair_bits):
            qs = sorted((qdir / f"{p:05d}").glob("*.npy")) if (qdir / f"{p:05d}").is_dir() else []
            if not qs:
                continue
            z = self.load(f"pairs/{p:05d}.npz")
            for q in qs:
                sel, lo, hi = np.load(q)
                path = cand[int(q.stem)]
                sel = sel.astype(np.int64)
                for (name, _, _), values in zip(LOOKUP_FIELDS, self._answer(z, lo, hi), strict=True):
                    m = np.load(path.with_suffix(f".{name}.npy"), mmap_mode="r+")  # only these rows written
                    m[sel] = values
                    m.flush()
                    del m
        shutil.rmtree(qdir, ignore_errors=True)

    @staticmethod
    def _answer(z: dict[str, np.ndarray], lo: np.ndarray, hi: np.ndarray):
        found = np.zeros(len(lo), bool)
        jac = np.zeros(len(lo), np.float32)
        cnt = np.zeros(len(lo), np.int64)
        wt = np.full(len(lo), -1, np.int64)
        if len(z["h"]):
            h = _pair_hash(lo, hi)
            at = np.minimum(np.searchsorted(z["h"], h), len(z["h"]) - 1)
            ok = (z["h"][at] == h) & (z["lo"][at] == lo) & (z["hi"][at] == hi)
            found[ok] = True
            jac[ok], cnt[ok], wt[ok] = z["jac"][at[ok]], z["n"][at[ok]], z["w"][at[ok]]
        return found, jac, cnt, wt

    def lookup(self, ka: np.ndarray, kb: np.ndarray):
        """(found, jaccard, shared count, shared weight) of the pairs (ka, kb) the index holds."""
        lo, hi = np.minimum(ka, kb), np.maximum(ka, kb)
        h = _pair_hash(lo, hi)
        part = _partition_of(h, self.pair_bits)
        found = np.zeros(len(h), bool)
        jac = np.zeros(len(h), np.float32)
        cnt = np.zeros(len(h), np.int64)
        wt = np.full(len(h), -1, np.int64)
        for p in np.unique(part).tolist():
            sel = np.flatnonzero(part == p)
            z = self.load(f"pairs/{p:05d}.npz")
            if len(z["h"]) == 0:
                continue
            at = np.minimum(np.searchsorted(z["h"], h[sel]), len(z["h"]) - 1)
            ok = (z["h"][at] == h[sel]) & (z["lo"][at] == lo[sel]) & (z["hi"][at] == hi[sel])
            found[sel[ok]] = True
            jac[sel[ok]], cnt[sel[ok]], wt[sel[ok]] = z["jac"][at[ok]], z["n"][at[ok]], z["w"][at[ok]]
        return found, jac, cnt, wt


def _write_file_cache(plan: _Plan, meta: _Meta, save: Callable, files: dict[str, str], bydoc: bool = True) -> None:
    """Each signature file's pass-1 output (keyed runs with file-local rows, metadata, MinHash),
    under files/<digest>/: hard links to the previous index for a file it already had."""
    dst = plan.work / INDEX_DIR
    listing: dict[str, list[dict[int, list[Path]]]] = {}
    for i, digest in enumerate(plan.digests or []):
        prefix = f"files/{digest}/"
        if prefix + "meta.npz" in files:
            continue  # the same file twice in the list: its doc_ids repeat and the run has raised already
        if plan.cached and i in plan.cached and plan.index_root is not None:
            _link_files(plan.index_root, dst, plan.cached[i])
            files.update(plan.cached[i])
            continue
        lo, hi = int(plan.base[i]), int(plan.base[i + 1])
        for kind in KINDS:
            if kind not in listing:
                listing[kind] = _run_listing(plan, kind)
            _write_file_runs(plan, i, kind, lo, prefix, save, files, listing[kind])
        mh = np.empty((sig.NUM_PERM, hi - lo), np.uint32)
        with open(plan.work / "minhash.bin", "rb") as f:
            for perm in range(sig.NUM_PERM):
                f.seek((perm * plan.n + lo) * 4)
                mh[perm] = np.fromfile(f, dtype=np.uint32, count=hi - lo)
        arrays = {k: getattr(meta, k)[lo:hi] for k in _Meta.__dataclass_fields__}
        save(prefix + "meta.npz", minhash=mh, **arrays)
        if bydoc:  # the raw doc-major files pass 1 wrote (digests taken while writing): moved, not copied
            src = plan.work / "bydoc"
            digests = json.loads((src / f"{i:06d}-digests.json").read_text())
            for k in BYDOC:
                rel = prefix + f"bydoc-{k}.bin"
                os.replace(src / f"{i:06d}-{k}.bin", dst / rel)
                files[rel] = digests[k]
            with np.load(src / f"{i:06d}-offsets.npz") as z:
                save(prefix + "bydoc-meta.npz", soff=z["soff"], aoff=z["aoff"], **arrays)


def _run_listing(plan: _Plan, kind: str) -> list[dict[int, list[Path]]]:
    """Per partition of `kind`: each signature file's pass-1 runs (`<file>-<batch>.npy`), sorted. Each
    folder listed once for every file: a glob per file and partition (24 files x 50 partitions at 20k)
    cost the cold call ~0.6 CPU-s."""
    out: list[dict[int, list[Path]]] = []
    for p in range(plan.parts(kind)):
        d = plan.run_dir(kind, p)
        runs: dict[int, list[Path]] = {}
        names = sorted(os.listdir(d)) if d.is_dir() else []
        for name in names:  # what the glob `<file:06d>-*.npy` matched (not bykey-*.npy, not .ref)
            file, dash, _rest = name.partition("-")
            if dash and file.isdigit() and len(file) >= 6 and name.endswith(".npy"):
                runs.setdefault(int(file), []).append(d / name)
        out.append(runs)
    return out


def _write_file_runs(
    plan: _Plan, i: int, kind: str, lo: int, prefix: str, save: Callable, files: dict, listing: list | None = None
) -> None:
    """Signature file i's keyed runs of one kind, every partition in one pair of raw files
    (`<kind>-k.bin` keys, `<kind>-row.bin` file-local rows, partition after partition) and
    `<kind>-at.npz`: where each partition's rows start, and each partition's own digest, so a later
    run reads and checks one partition's slice (`_load_runs`) without the rest of the file.
    One file a partition (before session 37) made the index hold signature files x partitions
    files: 36 k of its 38.8 k at 100k (2.9 M at a million documents), each created by the cold call
    and linked again into the next index every night."""
    dst = plan.work / INDEX_DIR
    parts = plan.parts(kind)
    at = np.zeros(parts + 1, np.int64)
    digests: list[str] = []
    k_rel, row_rel = prefix + f"{kind}-k.bin", prefix + f"{kind}-row.bin"
    (dst / k_rel).parent.mkdir(parents=True, exist_ok=True)
    for rel in (k_rel, row_rel):
        (dst / rel).unlink(missing_ok=True)  # never write through a hard link to the old state
    hk, hr = xxhash.xxh3_128(), xxhash.xxh3_128()
    with open(dst / k_rel, "wb") as fk, open(dst / row_rel, "wb") as fr:
        for p in range(parts):
            runs = (
                listing[p].get(i, []) if listing is not None else sorted(plan.run_dir(kind, p).glob(f"{i:06d}-*.npy"))
            )
            if runs:
                r = np.concatenate([np.load(x) for x in runs], axis=1)
                kb = np.ascontiguousarray(r[0], dtype=np.uint64).tobytes()
                rb = (r[1] - np.uint64(lo)).astype(np.uint32).tobytes()
                del r
            else:
                kb = rb = b""
            fk.write(kb)
            fr.write(rb)
            hk.update(kb)
            hr.update(rb)
            hp = xxhash.xxh3_128(kb)  # the digest of kb + rb, without joining them
            hp.update(rb)
            digests.append(hp.hexdigest())
            at[p + 1] = at[p] + len(kb) // 8
    files[k_rel], files[row_rel] = hk.hexdigest(), hr.hexdigest()
    save(prefix + f"{kind}-at.npz", at=at, digest=np.array(digests, dtype="U32"))


def _encode(rel: str, array: tuple, arrays: dict) -> bytes:
    """An index file's bytes: raw (`.bin`), one array (`.npy`) or several (`.npz`)."""
    buf = io.BytesIO()
    if rel.endswith(".bin"):
        return np.ascontiguousarray(array[0]).tobytes()
    if rel.endswith(".npy"):
        np.save(buf, array[0])
    else:
        np.savez(buf, **arrays)
    return buf.getvalue()


def _write_index(
    plan: _Plan, meta: _Meta, cand: list[Path], group: np.ndarray, version: str, extra: dict | None = None
) -> None:
    """The next run's index, under work/index: weights per sample partition, every pair this run
    measured (candidates and evidence pairs) partitioned by pair hash, the document keys; and the
    fast path's state (`delta/`: per-document results, candidate pairs, key-major tables)."""
    dst = plan.work / INDEX_DIR
    files: dict[str, str] = {}

    def save(rel: str, *array: np.ndarray, **arrays: Any) -> None:
        data = _encode(rel, array, arrays)
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / rel).write_bytes(data)
        files[rel] = xxhash.xxh3_128_hexdigest(data)

    def adopt(rel: str, path: Path) -> None:
        """A file a kernel wrote in its final form: moved into the index, hashed streaming."""
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dst / rel)
        files[rel] = _hash_file(dst / rel)

    for p in range(plan.parts("sample")):
        ukeys, wrank = _prepared_weights(plan.run_dir("sample", p), group)
        save(f"weights/{p:05d}.npz", ukeys=ukeys, wrank=wrank)

    def measured():
        for path in cand:
            c = np.load(path)
            a, b = (c >> np.uint64(32)).astype(np.int64), (c & np.uint64(0xFFFFFFFF)).astype(np.int64)
            n = [np.load(f) for f in sorted(path.parent.glob(path.stem + ".n*.npy"))]
            w = [np.load(f) for f in sorted(path.parent.glob(path.stem + ".w*.npy"))]
            cat = np.concatenate
            yield a, b, np.load(path.with_suffix(".jac.npy")), cat(n) if n else a * 0, cat(w) if w else a * 0
        if ev.exists():
            with ev as z:
                yield z["a"], z["b"], z["jac"], z["n"], np.full(len(z["a"]), -1, np.int64)

    ev = _Bundle(plan.work / "evidence")
    total = sum(_npy_rows(path) for path in cand) + (_npy_rows(ev.path / "a.npy") if ev.exists() else 0)
    bits = _bits_for(total)
    runs = plan.work / "pair-index"
    for k, (a, b, jac, n, w) in enumerate(measured()):
        ka, kb = meta.dockey[a], meta.dockey[b]
        lo, hi = np.minimum(ka, kb), np.maximum(ka, kb)
        h = _pair_hash(lo, hi)
        part = _partition_of(h, bits)
        for p in np.unique(part).tolist():
            m = part == p
            (runs / f"{p:05d}").mkdir(parents=True, exist_ok=True)
            _save_bundle(runs / f"{p:05d}" / f"{k:06d}", h=h[m], lo=lo[m], hi=hi[m], jac=jac[m], n=n[m], w=w[m])
    for p in range(1 << bits):
        cols: dict[str, list[np.ndarray]] = {c: [] for c in ("h", "lo", "hi", "jac", "n", "w")}
        for f in sorted((runs / f"{p:05d}").iterdir()) if (runs / f"{p:05d}").is_dir() else []:
            with _Bundle(f) as z:
                for c in cols:
                    cols[c].append(z[c])
        dtypes = {"h": np.uint64, "lo": np.uint64, "hi": np.uint64, "jac": np.float32, "n": np.int64, "w": np.int64}
        arr = {c: (np.concatenate(v) if v else np.zeros(0)).astype(dtypes[c]) for c, v in cols.items()}
        order = np.lexsort((arr["hi"], arr["lo"], arr["h"]))
        save(f"pairs/{p:05d}.npz", **{c: v[order] for c, v in arr.items()})
    shutil.rmtree(runs, ignore_errors=True)
    save("docs.npz", dockey=_sorted(meta.dockey))
    fast = extra is not None  # any pair count: the fast path holds one delta/pairs partition at a time
    _write_file_cache(plan, meta, save, files, fast)
    info = {"version": version, "bits": plan.bits, "pair_bits": bits, "files": files}
    if fast:
        assert extra is not None
        info["delta"] = _write_delta_base(plan, meta, cand, group, extra, save, adopt)
    info["stamps"] = _stamps(dst, files)
    # compact: json's C encoder serves only indent=None (100k: 40 k files listed, 8.5 MB; 0.15 -> 0.05 s)
    (dst / "index.json").write_text(json.dumps(info, sort_keys=True) + "\n")


def _write_delta_base(plan: _Plan, meta: _Meta, cand: list[Path], group: np.ndarray, extra: dict, save, adopt) -> dict:
    """The fast path's state after a full run: per document (by key) its group, total weight,
    rare-anchor count, output row and evidence; every candidate pair with its measures and source;
    per keyed partition the (key, document key) rows sorted by key (the base layer)."""
    n, dk = plan.n, meta.dockey
    rep = np.full(n, np.iinfo(np.uint64).max, np.uint64)
    np.minimum.at(rep, group, dk)
    m = extra["members"]
    cols: dict[str, np.ndarray] = {
        "reason": np.full(n, -1, np.int8),
        "dup_j": np.zeros(n, np.float32),
        "dup_c": np.zeros(n, np.float32),
        "matched": np.zeros(n, np.uint64),
        "ev_j": np.zeros(n, np.float32),
        "ev_n": np.zeros(n, np.int64),
    }
    for k in ("reason", "dup_j", "dup_c", "ev_j", "ev_n"):
        cols[k][m] = extra[k]
    cols["matched"][m] = dk[extra["matched"]]
    floc = np.repeat(np.arange(len(plan.files)), np.diff(plan.base)).astype(np.int32)
    order = _order(dk)
    docs = {
        "dockey": dk,
        "idhash": meta.idhash,
        "group": rep[group],
        "total": extra["total"].astype(np.int64),
        "per_doc": extra["per_doc"].astype(np.int64),
        "chash": extra["chash"],
        "canon": dk[extra["canon"]],
        "multi": extra["multi"],
        "floc": floc,
        "row": np.arange(n, dtype=np.int64) - plan.base[floc],
        **cols,
    }
    save("delta/docs.npz", **{k: v[order] for k, v in docs.items()})
    save("delta/base-docs.npy", dk)  # base rows name documents by their gid in this run
    # candidate pairs by partition of their smaller document key (`_delta_part`), written as runs
    # chunk by chunk and gathered one partition at a time (never every pair at once)
    n_pairs = sum(_npy_rows(path) for path in cand)
    pbits = _delta_pair_bits(n_pairs)
    runs = plan.work / "delta-pairs"
    for ci, path in enumerate(cand):
        c = np.load(path)
        a, b = _split_codes(c)
        cnt = [np.load(f) for f in sorted(path.parent.glob(path.stem + ".n*.npy"))]
        wt = [np.load(f) for f in sorted(path.parent.glob(path.stem + ".w*.npy"))]
        cols = {
            "ka": dk[a],
            "kb": dk[b],
            "jac": np.load(path.with_suffix(".jac.npy")).astype(np.float32),
            "n": np.concatenate(cnt).astype(np.int64) if cnt else np.zeros(len(c), np.int64),
            "w": np.concatenate(wt).astype(np.int64) if wt else np.zeros(len(c), np.int64),
            "src": np.load(path.with_suffix(".src.npy")).astype(np.int8),
            "ac": np.load(path.with_suffix(".acnt.npy")).astype(np.int32),
            "code": c.astype(np.uint64),  # this run's pair code: the partition's order (_gather_pair_runs)
        }
        part = _delta_part(cols["ka"], cols["kb"], pbits)
        for p in np.unique(part).tolist():
            m = part == p
            (runs / f"{p:05d}").mkdir(parents=True, exist_ok=True)
            np.savez(runs / f"{p:05d}" / f"{ci:06d}.npz", **{name: v[m] for name, v in cols.items()})
    for p in range(1 << pbits):
        save(f"delta/pairs/{p:05d}.npz", **_gather_pair_runs(runs / f"{p:05d}"))
    shutil.rmtree(runs, ignore_errors=True)
    rows = {}
    for kind in KINDS:
        rows[kind] = 0
        for p in range(plan.parts(kind)):
            d = plan.run_dir(kind, p)
            rel = f"delta/base/{kind}-{p:05d}"
            if (d / "bykey-d.npy").exists():  # written by the kernel that sorted the partition
                length = _npy_rows(d / "bykey-k.npy")
                if length:
                    u, o = _key_offsets(np.load(d / "bykey-k.npy", mmap_mode="r"))
                    save(rel + "-u.npy", u)
                    save(rel + "-o.npy", o)
                    del u, o
                    adopt(rel + "-k.npy", d / "bykey-k.npy")
                    adopt(rel + "-d.npy", d / "bykey-d.npy")
                if kind == "sample" and length:  # df of each distinct sampled shingle (`_FastState.df_bounds`)
                    adopt(f"delta/df/base-{p:05d}-k.npy", d / "bykey-u.npy")
                    adopt(f"delta/df/base-{p:05d}-v.npy", d / "bykey-df.npy")
                rows[kind] += length
                continue
            keys, gids = _load_runs(d)
            keys, gids = _unique_rows(keys, gids)
            if len(keys):
                save(rel + "-k.npy", keys.astype(np.uint64))
                save(rel + "-d.npy", gids.astype(np.uint32))
                u, o = _key_offsets(keys.astype(np.uint64))
                save(rel + "-u.npy", u)
                save(rel + "-o.npy", o)
            if kind == "sample" and len(keys):  # a partition no pair batch prepared: its df here
                uk = _sort_unique(keys)
                save(f"delta/df/base-{p:05d}-k.npy", uk)
                save(f"delta/df/base-{p:05d}-v.npy", _distinct_per_key(uk, keys, group[gids]).astype(np.uint32))
            rows[kind] += len(keys)
    return {
        "inputs": list(plan.digests or []),
        "base_rows": rows,
        "add_rows": dict.fromkeys(KINDS, 0),
        "add_runs": [],
        "add_seq": 0,
        "add_format": ADD_FORMAT,
        "pairs_format": DELTA_PAIRS_FORMAT,
        "pair_bits": pbits,
        "pairs": n_pairs,
        "df_format": DELTA_DF_FORMAT,
    }


DELTA_PAIR_COLUMNS = {"ka": np.uint64, "kb": np.uint64, "jac": np.float32, "n": np.int64, "w": np.int64,
                      "src": np.int8, "ac": np.int32}  # fmt: skip


def _split_codes(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (a << 32 | b) -> (a, b) as int64."""
    return (c >> np.uint64(32)).astype(np.int64), (c & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _delta_pair_bits(n_pairs: int) -> int:
    """Partition bits of delta/pairs: at most DELTA_PART_PAIRS pairs per partition."""
    bits = 0
    while (n_pairs >> bits) > DELTA_PART_PAIRS and bits < 16:
        bits += 1
    return bits


def _delta_part(ka: np.ndarray, kb: np.ndarray, bits: int) -> np.ndarray:
    """Partition of pairs (by document keys) in delta/pairs: the smaller key's hash, so a pair lands
    in the same partition whatever the gids or the order of its two documents."""
    return _partition_of(np.minimum(ka, kb).astype(np.uint64), bits)


def _gather_pair_runs(d: Path) -> dict[str, np.ndarray]:
    """One delta/pairs partition from its runs, in the order of this run's pair codes (gid << 32 |
    gid): the order the fast path keeps its pairs in, so the next night, whose documents keep their
    gids while files are only appended, finds them sorted and neither orders nor gathers them again
    (until session 53 a cold run wrote them by document keys: the first night sorted ~454 k pairs at
    20k and gathered every column through that order)."""
    cols: dict[str, list[np.ndarray]] = {c: [] for c in (*DELTA_PAIR_COLUMNS, "code")}
    for f in sorted(d.glob("*.npz")) if d.is_dir() else []:
        with np.load(f) as z:
            for c in cols:
                cols[c].append(z[c])
    kinds = {**DELTA_PAIR_COLUMNS, "code": np.uint64}
    arr = {c: (np.concatenate(v) if v else np.zeros(0)).astype(kinds[c]) for c, v in cols.items()}
    order = _order(arr.pop("code"))
    return {c: v[order] for c, v in arr.items()}


def _npy_rows(path: Path) -> int:
    """Rows of a `.npy` file, from its header alone."""
    with open(path, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        fmt = np.lib.format
        shape = (fmt.read_array_header_1_0(f) if major == 1 else fmt.read_array_header_2_0(f))[0]
    return int(shape[0])


def _hash_file(path: Path) -> str:
    h = xxhash.xxh3_128()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _cat_or(default):
    def cat(chunks: list, dtype=default) -> np.ndarray:
        return np.concatenate(chunks).astype(dtype) if chunks else np.zeros(0, dtype)

    return cat


def _file_digest(path: str) -> str:
    h = xxhash.xxh3_128()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as exc:
        raise DedupeStateError(f"signature file {path} is unreadable ({exc}); re-run its signatures step") from exc
    return h.hexdigest()


def _input_digests(files: list[str], prev_state_dir: str | None) -> tuple[list[str], dict[str, Any]]:
    """Each signature file's digest, and the stamps to record with them (state.json "input_stamps").

    A file the previous state recorded with the same (size, mtime, inode), not racily clean then
    (STAMP_RACY_NS), keeps its recorded digest unread. Why: every call hashed every signature file
    whole to know which are new — 579 MB at 20k, ~3 GB at 100k, read from disk when the page cache
    no longer holds them: O(corpus) bytes a nightly run for a few new files. Signature files are
    artifacts written once under their own key, never in place; a rewritten, truncated or replaced
    one is hashed again."""
    recorded: dict[str, Any] = {}
    at = 0
    if prev_state_dir:
        try:
            prev = json.loads((Path(prev_state_dir) / "state.json").read_text()).get("input_stamps") or {}
            recorded, at = prev.get("files") or {}, int(prev.get("at") or 0)
        except (OSError, ValueError, TypeError, AttributeError):
            recorded = {}  # no usable stamps: every file is hashed (the state itself is checked later)
    taken = time.time_ns()
    digests, out = [], {}
    for f in files:
        try:
            st = os.stat(f)
        except OSError as exc:
            raise DedupeStateError(f"signature file {f} is unreadable ({exc}); re-run its signatures step") from exc
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        was = recorded.get(f)
        if isinstance(was, list) and len(was) == 4 and was[:3] == stamp and st.st_mtime_ns < at - STAMP_RACY_NS:
            digest = str(was[3])
        else:
            digest = _file_digest(f)
        digests.append(digest)
        out[f] = [*stamp, digest]
    return digests, {"at": taken, "files": out}


def _reuse(prev_state_dir: str | None, version: str, digests: list[str], out: Path) -> dict | None:
    """Outputs of the previous run when it saw the same signature bytes under the same version.
    A state that exists but cannot be read raises (never a silent partial reuse)."""
    if not prev_state_dir or not (Path(prev_state_dir) / "state.json").exists():
        return None
    prev = Path(prev_state_dir)
    try:
        meta = json.loads((prev / "state.json").read_text())
    except (OSError, ValueError) as exc:
        raise DedupeStateError(f"dedupe state {prev}/state.json is unreadable ({exc}); delete {prev}") from exc
    if meta.get("version") != version or meta.get("inputs") != digests:
        return None  # other parameters/code, or other documents: recompute
    src = prev / "outputs"
    try:
        (out / "assignments").mkdir(parents=True, exist_ok=True)
        for i in range(len(digests)):
            pq.read_metadata(src / "assignments" / f"{i:05d}.parquet")
            _link_or_copy(src / "assignments" / f"{i:05d}.parquet", out / "assignments" / f"{i:05d}.parquet")
        pq.read_metadata(src / "duplicates.parquet")
        _link_or_copy(src / "duplicates.parquet", out / "duplicates.parquet")
    except Exception as exc:
        raise DedupeStateError(f"dedupe state {prev} is damaged ({exc}); delete {prev} to rebuild") from exc
    state = out / "state"
    if state.resolve() != prev.resolve():
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(prev, state, copy_function=_link_or_copy)
    stats = dict(meta["stats"])
    stats.update(reexamined_docs=0, reexamined_clusters=0)
    return stats


def _link_or_copy(src, dst) -> None:
    """dst as a hard link to src (a copy across file systems), replacing a file already there."""
    try:
        os.link(src, dst)
        return
    except FileExistsError:
        os.unlink(dst)
    except OSError:
        shutil.copy2(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _link_files(src_root: Path, dst_root: Path, rels: Iterable[str]) -> None:
    """Hard-link (or copy) each relative path from src_root to dst_root, making each folder once.
    A fast run links the previous index's unchanged files into the new one (38 k at 100k): with a
    `Path` and a `mkdir` per file, ~3 of the 100k +1 % call's 22 CPU-s (session 16)."""
    src, dst = str(src_root), str(dst_root)
    made: set[str] = set()
    for rel in rels:
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(os.path.join(dst, folder), exist_ok=True)
            made.add(folder)
        _link_or_copy(os.path.join(src, rel), os.path.join(dst, rel))


def _cold(
    files: list[str],
    work: Path,
    out: Path,
    workers: int,
    client: Any,
    index: _Index | None = None,
    version: str = "",
    digests: list[str] | None = None,
) -> dict[str, Any]:
    """The whole step; with `index`, every pair of two documents the index has seen takes its
    Jaccard, shared count and (updated) shared weight from it instead of being measured."""
    phase = _Phases()
    phase("scatter")
    sizes, rows = [], {"bands": 0, "anchors": 0, "sample": 0, "exact": 0}
    for f in files:
        md = _parquet_meta(f)
        sizes.append(md.num_rows)
        rows["bands"] += md.num_rows * sig.BANDS
        rows["exact"] += md.num_rows
        for col in ("anchors", "sample"):
            rows[col] += _list_length_estimate(md, col)
    base = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    if base[-1] >= 1 << 32:
        raise ValueError("more than 2^32 documents: pair codes need wider ids")
    bits = {k: _bits_for(v) for k, v in rows.items()}
    cached: dict[int, dict[str, str]] = {}
    if index is not None and all((rows[k] >> index.bits[k]) <= 2 * PARTITION_ROWS for k in KINDS):
        bits = dict(index.bits)  # the index's runs and weights are partitioned like this run's rows
        for i, d in enumerate(digests or []):
            mine = {rel: h for rel, h in index.info["files"].items() if rel.startswith(f"files/{d}/")}
            if f"files/{d}/meta.npz" in mine and all(f"files/{d}/{kind}-at.npz" in mine for kind in KINDS):
                cached[i] = mine  # (cached one partition a file, before session 37: scattered again)
    elif index is not None:
        index = None  # the corpus outgrew the index's partitions: rebuilt from scratch
    plan = _Plan(work, files, base, bits, digests, cached, index.root if index is not None else None)
    _log_count(work, "reused_files", len(cached))  # signature files whose pass 1 came from the index
    n = plan.n
    with open(work / "minhash.bin", "wb") as mh:
        mh.truncate(n * sig.NUM_PERM * 4)
    parts = _map(_scatter_file, [(plan, i) for i in range(len(files))], workers, client)
    meta = _Meta(**{k: _cat([p[k] for p in parts], k) for k in _Meta.__dataclass_fields__})
    del parts
    _check_unique_ids(meta.idhash, files)
    fresh = np.ones(n, bool)
    if index is not None:
        old = index.load("docs.npz")["dockey"]
        at = np.minimum(np.searchsorted(old, meta.dockey), max(len(old) - 1, 0))
        fresh = ~(old[at] == meta.dockey) if len(old) else fresh
        del old, at

    phase("candidates")
    # candidate pairs: bands and exact fingerprints, then anchors (counted across partitions)
    (work / "pairs").mkdir()
    pair_dirs = []
    for kind in ("bands", "exact"):
        jobs = [(plan.run_dir(kind, p), work / "pairs" / f"{kind}-{p:05d}") for p in range(plan.parts(kind))]
        counts = _map(_band_kernel, jobs, workers, client)
        pair_dirs += [j[1] for j in jobs]
        _log_count(work, f"candidates_{kind}", sum(counts))
    per_doc = np.zeros(n, np.int64)
    anchor_jobs = [
        (plan.run_dir("anchors", p), work / "anchor-codes" / f"{p:05d}", n) for p in range(plan.parts("anchors"))
    ]
    for pd in _imap(_anchor_kernel, anchor_jobs, workers, client):
        per_doc += np.bincount(pd, minlength=n)
    code_files = _chunk_files([j[1] for j in anchor_jobs])
    ranges = _gid_ranges(n, sum(np.load(c, mmap_mode="r").shape[0] for c in code_files))
    (work / "pairs" / "anchors").mkdir()
    count_jobs = [
        (code_files, work / "pairs" / "anchors" / f"{k:05d}.npy", per_doc, lo, hi) for k, (lo, hi) in enumerate(ranges)
    ]
    _log_count(work, "candidates_anchors", sum(_map(_pair_count_kernel, count_jobs, workers, client)))
    shutil.rmtree(work / "anchor-codes")
    band_files, anchor_files = _chunk_files(pair_dirs), _chunk_files([work / "pairs" / "anchors"])
    total_pairs = sum(np.load(p, mmap_mode="r").shape[0] for p in band_files + anchor_files)
    ranges = _gid_ranges(n, total_pairs)
    cand = [work / f"cand-{k:05d}.npy" for k in range(len(ranges))]
    merge_jobs = [(band_files, anchor_files, cand[k], lo, hi) for k, (lo, hi) in enumerate(ranges)]
    _map(_merge_pairs_kernel, merge_jobs, workers, client)
    shutil.rmtree(work / "pairs")

    phase("jaccard")

    # Jaccard per candidate pair (pair partitions are bounded; each gets a jac file)
    def codes_of(path):
        c = np.load(path)
        return (c >> np.uint64(32)).astype(np.int64), (c & np.uint64(0xFFFFFFFF)).astype(np.int64)

    reverified = 0
    if index is not None:
        index.lookup_chunks(cand, meta.dockey)
    for path in cand:
        a, b = codes_of(path)
        if index is not None:
            found, jac, cnt, wt = (np.load(path.with_suffix(f".{f[0]}.npy")) for f in LOOKUP_FIELDS)
        else:
            found, jac, cnt, wt = np.zeros(len(a), bool), np.zeros(len(a), np.float32), None, None
        if (~found).any():
            jac[~found] = _jaccard(plan, a[~found], b[~found], meta)
        np.save(path.with_suffix(".jac.npy"), jac)
        known = found & (wt >= 0) if wt is not None else found
        reverified += int((~known).sum())
        if index is not None:
            _save_bundle(path.with_suffix(".known"), known=known, n=cnt, w=wt)

    def near_edges():
        for path in cand:
            a, b = codes_of(path)
            jac = np.load(path.with_suffix(".jac.npy"))
            near = (jac >= sig.NEAR_GROUP_JACCARD) | ((meta.fp[a] == meta.fp[b]) & (meta.fp_chars[a] > 0))
            near |= _estimated_containment(jac, meta.n_sample[a], meta.n_sample[b]) >= sig.NEAR_GROUP_CONTAINMENT
            yield a[near], b[near]

    phase("near groups")
    group = _components(n, near_edges)

    phase("verification")
    # verification: weighted overlap of the smaller document in the larger, one pair partition at a time
    total = None
    one_way = []
    for path in cand:
        a, b = codes_of(path)
        jac = np.load(path.with_suffix(".jac.npy"))
        swap = meta.n_sample[a] > meta.n_sample[b]
        small, big = np.where(swap, b, a), np.where(swap, a, b)
        kn = _Bundle(path.with_suffix(".known")) if index is not None else None
        for s in range(0, max(len(a), 1), PAIR_BATCH):
            sl = slice(s, s + PAIR_BATCH)
            if kn is None:
                iw, inn, tot, _ = _overlaps(plan, meta, small[sl], big[sl], group, workers, client)
            else:  # pairs the index has seen: its shared weight plus the change of their shingles' weights
                k = kn["known"][sl]
                iw = np.zeros(len(k), np.int64)
                inn = np.zeros(len(k), np.int64)
                u = ~k
                iw[u], inn[u], tot, delta = _overlaps(
                    plan, meta, small[sl][u], big[sl][u], group, workers, client, (small[sl][k], big[sl][k]), index
                )
                iw[k] = kn["w"][sl][k] + delta
                inn[k] = kn["n"][sl][k]
            np.save(path.with_suffix(f".n{s // PAIR_BATCH:04d}.npy"), inn)  # shared count: reused below
            np.save(path.with_suffix(f".w{s // PAIR_BATCH:04d}.npy"), iw)  # shared weight: for the index
            if total is None:
                total = tot
            keep, mutual, cont = _verdicts(meta, small[sl], big[sl], jac[sl], iw, total)
            np.save(
                path.with_suffix(f".e{s // PAIR_BATCH:04d}.npy"),
                np.stack([small[sl][keep & mutual], big[sl][keep & mutual]]),
            )
            np.save(path.with_suffix(f".c{s // PAIR_BATCH:04d}.npy"), np.stack([cont[keep], jac[sl][keep]]))
            ow = keep & ~mutual
            one_way.append(np.stack([small[sl][ow], big[sl][ow], cont[ow], jac[sl][ow]]))
            np.save(path.with_suffix(f".k{s // PAIR_BATCH:04d}.npy"), np.stack([small[sl][keep], big[sl][keep]]))
    ow = np.concatenate(one_way, axis=1) if one_way else np.zeros((4, 0))
    best_one_way = _best_containers(ow, meta)

    def accepted():
        for path in cand:
            for e in sorted(path.parent.glob(path.stem + ".e*.npy")):
                m = np.load(e)
                yield m[0], m[1]
        yield best_one_way[0].astype(np.int64), best_one_way[1].astype(np.int64)

    phase("election")
    comp = _components(n, accepted)
    _log_count(work, "reverified_pairs", reverified)
    stats, elected = _elect_and_write(plan, meta, comp, cand, best_one_way, out, workers, client, index, fresh)
    phase("next state")
    _write_index(plan, meta, cand, group, version, {**elected, "total": total, "per_doc": per_doc})
    clusters = {"hash": elected["chash"], "multi": elected["multi"], "base": plan.base}
    return {**stats, **phase.stats(), "fast_path": False, "_clusters": clusters}


def _cat(chunks: list[np.ndarray], name: str) -> np.ndarray:
    dtype = {"idhash": np.uint64, "fp": np.uint64, "fp_chars": np.int32, "n_chars": np.int32, "truncated": bool,
             "n_flags": np.int16, "n_sample": np.int32, "dockey": np.uint64}[name]  # fmt: skip
    return np.concatenate(chunks).astype(dtype) if chunks else np.zeros(0, dtype)


def _parquet_meta(path: str):
    try:
        return pq.read_metadata(path)
    except Exception as exc:
        raise DedupeStateError(f"signature file {path} is unreadable ({exc}); re-run its signatures step") from exc


def _list_length_estimate(md, col: str) -> int:
    """Elements of a list column from Parquet metadata (value counts of the leaf column)."""
    total = 0
    for rg in range(md.num_row_groups):
        g = md.row_group(rg)
        for c in range(g.num_columns):
            if g.column(c).path_in_schema.split(".")[0] == col:
                total += g.column(c).num_values
    return total


def _check_unique_ids(idhash: np.ndarray, files: list[str]) -> None:
    s = _sorted(idhash)
    if len(s) > 1 and (s[1:] == s[:-1]).any():
        raise ValueError(f"a doc_id appears twice across the signature files ({len(files)} files): shards overlap")


def _gid_ranges(n: int, rows: int) -> list[tuple[int, int]]:
    k = max(1, -(-rows // PARTITION_ROWS))
    bounds = [n * i // k for i in range(k + 1)]
    return list(itertools.pairwise(bounds))


def _log_count(work: Path, key: str, value: int) -> None:
    path = work / "counts.json"
    d = json.loads(path.read_text()) if path.exists() else {}
    d[key] = int(value)
    path.write_text(json.dumps(d))


def _estimated_containment(jac: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """Share of the smaller set inside the larger, from their Jaccard and sizes: |A∩B| = J(|A|+|B|)/(1+J)."""
    na, nb = na.astype(np.float64), nb.astype(np.float64)
    small = np.minimum(na, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = jac * (na + nb) / ((1.0 + jac) * small)
    return np.where(small > 0, np.minimum(c, 1.0), 0.0)


def _verdicts(meta, small, big, jac, inter_w, total) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Accept exact, near (Jaccard) and rare-weight containment; mark mutual ones."""
    exact = (meta.fp[small] == meta.fp[big]) & (meta.fp_chars[small] > 0)
    ws, wb = total[small], total[big]
    with np.errstate(divide="ignore", invalid="ignore"):
        wc = np.where(ws > 0, inter_w / ws, 0.0)
        back = np.where(wb > 0, inter_w / wb, 0.0)
    wc = np.where(meta.n_sample[small] > 0, wc, 0.0)
    near = jac >= sig.NEAR_GROUP_JACCARD
    contained = (wc >= sig.MIN_CONTAINMENT) & (ws >= sig.MIN_WEIGHT * W_ONE)
    keep = exact | near | contained
    mutual = exact | near | (contained & (back >= sig.MIN_CONTAINMENT))
    cont = np.where(exact, 1.0, wc).astype(np.float32)
    return keep, mutual, cont


def _evidence(plan, meta, members, cn, cand, workers, client, index=None) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard and shared sampled-shingle count of each (member, canonical) pair: taken from the
    verification pass when the pair was a candidate, computed (same kernels) for the others."""
    jac = np.zeros(len(members), np.float32)
    inter_n = np.zeros(len(members), np.int64)
    known = np.zeros(len(members), bool)
    q = _pair_code(np.minimum(members, cn), np.maximum(members, cn))
    for path in cand:
        codes = np.load(path)
        if len(codes) == 0:
            continue
        at = np.minimum(np.searchsorted(codes, q), len(codes) - 1)
        hit = codes[at] == q
        jac[hit] = np.load(path.with_suffix(".jac.npy"))[at[hit]]
        counts = [np.load(f) for f in sorted(path.parent.glob(path.stem + ".n*.npy"))]
        inter_n[hit] = np.concatenate(counts)[at[hit]]
        known |= hit
    rest = np.flatnonzero(~known)
    if len(rest) and index is not None:  # pairs measured by an earlier run
        seen, j, c, _ = index.lookup(meta.dockey[members[rest]], meta.dockey[cn[rest]])
        jac[rest[seen]], inter_n[rest[seen]] = j[seen], c[seen]
        todo = rest[~seen]
    else:
        todo = rest
    if len(todo):
        jac[todo] = _jaccard(plan, members[todo], cn[todo], meta)
        for s in range(0, len(todo), PAIR_BATCH):
            r = todo[s : s + PAIR_BATCH]
            inter_n[r] = _overlaps(plan, meta, members[r], cn[r], None, workers, client)[1]
    _save_bundle(plan.work / "evidence", a=members[rest], b=cn[rest], jac=jac[rest], n=inter_n[rest])
    return jac, inter_n


def _best_containers(ow: np.ndarray, meta: _Meta) -> np.ndarray:
    """A one-way contained document (a truncation) keeps only its best container: highest
    containment, then Jaccard, then the container's id hash (never file order)."""
    if ow.shape[1] == 0:
        return np.zeros((2, 0), np.int64)
    small, big = ow[0].astype(np.int64), ow[1].astype(np.int64)
    order = np.lexsort((meta.idhash[big], -ow[3], -ow[2], small))
    first = np.r_[True, small[order][1:] != small[order][:-1]]
    keep = order[first]
    return np.stack([small[keep], big[keep]])


# --- election and outputs -----------------------------------------------------------------------


def _elect(meta: _Meta, comp: np.ndarray, best_one_way: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Canonical per component, each document's component size and cluster hash: the id hash of
    the component's first member in the listing (the earliest signature file holding one, its first
    row there), so a cluster keeps its id when copies arrive later in the listing (a crawler's new
    dated folder) and analysts can follow it across releases. Canonical: not truncated, not one-way
    contained in another member (a mosaic quoting part of a speech never wins over the speech, even
    when the speech carries a flag), fewest flags, longest, then smallest id hash."""
    n = len(comp)
    inside = np.zeros(n, bool)
    inside[best_one_way[0].astype(np.int64)] = True
    order = np.lexsort((meta.idhash, -meta.n_chars.astype(np.int64), meta.n_flags, inside, meta.truncated, comp))
    first = np.r_[True, comp[order][1:] != comp[order][:-1]] if n else np.zeros(0, bool)
    canon_of_comp = np.zeros(n, np.int64)
    canon_of_comp[comp[order][first]] = order[first]
    canon = canon_of_comp[comp]
    size = np.bincount(comp, minlength=n)[comp]
    # `comp` is the component's smallest gid (`_components`): its first member in the listing
    return canon, size, meta.idhash[comp]


def _reasons(meta: _Meta, members, cn, jac, inter_n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dup_reason code (0 exact, 1 near, 2 contained), dup_jaccard, dup_containment per member."""
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(meta.n_sample[members] > 0, inter_n / np.maximum(meta.n_sample[members], 1), 0.0)
        back = np.where(meta.n_sample[cn] > 0, inter_n / np.maximum(meta.n_sample[cn], 1), 0.0)
    exact = meta.fp[members] == meta.fp[cn]
    near = (jac >= sig.NEAR_JACCARD) | (np.minimum(raw, back) >= sig.MIN_CONTAINMENT)
    # `contained` only when the shown containment in the canonical reaches MIN_CONTAINMENT. Otherwise
    # the member was merged by verified pair evidence the canonical's figures do not show: a chain
    # (near copy of a copy, a quote inside another copy of the speech) or a pair whose
    # boilerplate-discounted containment passed while the raw share is under 0.8: `linked`, with
    # the partner in duplicates.matched_with.
    contained = raw >= sig.MIN_CONTAINMENT
    reason = np.where(exact, 0, np.where(near, 1, np.where(contained, 2, 3))).astype(np.int8)
    dup_j = np.where(exact, 1.0, jac).astype(np.float32)
    dup_c = np.where(exact, 1.0, raw).astype(np.float32)
    return reason, dup_j, dup_c


REASONS = np.array(["exact", "near", "contained", "linked"], dtype=object)


def _part_tables(ids: pa.Array, lo: int, hi: int, members, cluster_hash, cn, matched, reason, dup_j, dup_c, size,
                 name_of) -> tuple[pa.Table, pa.Table | None, np.ndarray]:  # fmt: skip
    """One signature file's assignments part (sorted by doc_id) and its duplicates rows (clusters
    of 2+) with each row's duplicates partition (top 4 bits of the cluster hash)."""
    g = np.arange(lo, hi)
    at = np.searchsorted(members, g)
    is_member = (
        (at < len(members)) & (members[np.minimum(at, len(members) - 1)] == g)
        if len(members)
        else np.zeros(len(g), bool)
    )
    k = at[is_member]
    cid = pa.array([f"{h:016x}" for h in cluster_hash[lo:hi].tolist()], pa.string())
    dup_of = _scatter_strings(len(g), is_member, name_of(cn[k]) if len(k) else pa.array([], pa.string()))
    mw = _scatter_strings(len(g), is_member, name_of(matched[k]) if len(k) else pa.array([], pa.string()))
    rs = _scatter_strings(len(g), is_member, pa.array(REASONS[reason[k]].tolist(), pa.string()))
    jj = _scatter_floats(len(g), is_member, dup_j[k])
    cc = _scatter_floats(len(g), is_member, dup_c[k])
    table = pa.table(
        {
            "doc_id": ids,
            "cluster_id": cid,
            "is_canonical": pa.array(~is_member),
            "dup_of": dup_of,
            "dup_jaccard": jj,
            "dup_containment": cc,
            "dup_reason": rs,
        }
    ).cast(ASSIGNMENTS_SCHEMA)
    multi = size[lo:hi] > 1
    d = None
    if multi.any():
        d = pa.table(
            {
                "cluster_id": cid,
                "doc_id": ids,
                "canonical_id": pc.if_else(pa.array(is_member), dup_of, ids),
                "is_canonical": pa.array(~is_member),
                "reason": rs,
                "jaccard": jj,
                "containment": cc,
                "matched_with": mw,
            }
        ).filter(pa.array(multi))
    dpart = (cluster_hash[lo:hi][multi] >> np.uint64(60)).astype(np.int64)
    return table.sort_by("doc_id"), d, dpart


def _elect_and_write(plan, meta, comp, cand, best_one_way, out: Path, workers, client, index, fresh):
    n = plan.n
    canon, size, cluster_hash = _elect(meta, comp, best_one_way)

    # evidence of every member against its canonical
    members = np.flatnonzero(canon != np.arange(n))
    cn = canon[members]
    jac, inter_n = _evidence(plan, meta, members, cn, cand, workers, client, index)
    reason, dup_j, dup_c = _reasons(meta, members, cn, jac, inter_n)
    matched = _matched_with(meta, cand, best_one_way, members)
    matched = np.where(matched >= 0, matched, cn)

    # doc_id strings of canonicals and partners, resolved one file at a time
    want = np.unique(np.concatenate([cn, matched]))
    names = _resolve_names(plan, want)

    def name_of(g):
        return pc.take(names, pa.array(np.searchsorted(want, g)))

    (out / "assignments").mkdir(parents=True, exist_ok=True)
    dup_dir = plan.work / "dups"
    for p in range(DUP_PARTS):
        (dup_dir / f"{p:02d}").mkdir(parents=True)
    for i, f in enumerate(plan.files):
        lo, hi = int(plan.base[i]), int(plan.base[i + 1])
        ids = _read_signature_file(f, ["doc_id"]).column("doc_id").combine_chunks()
        args = (members, cluster_hash, canon[members], matched, reason, dup_j, dup_c, size, name_of)
        table, d, dpart = _part_tables(ids, lo, hi, *args)
        _write(table, out / "assignments" / f"{i:05d}.parquet")
        if d is not None:
            for p in np.unique(dpart).tolist():
                _write(d.filter(pa.array(dpart == p)).cast(DUPLICATES), dup_dir / f"{p:02d}" / f"{i:06d}.parquet")
    _write_duplicates(dup_dir, out / "duplicates.parquet")

    sizes = Counter(np.bincount(comp, minlength=n)[np.unique(comp)].tolist()) if n else Counter()
    counts = json.loads((plan.work / "counts.json").read_text()) if (plan.work / "counts.json").exists() else {}
    elected = {
        "chash": cluster_hash,
        "canon": canon,
        "members": members,
        "reason": reason,
        "dup_j": dup_j,
        "dup_c": dup_c,
        "matched": matched,
        "multi": size > 1,
        "ev_j": jac,
        "ev_n": inter_n,
    }
    return {
        "docs": n,
        "clusters": int(sum(sizes.values())),
        "duplicates": len(members),
        "duplicate_reasons": {r: int(c) for r, c in zip(REASONS, np.bincount(reason, minlength=4), strict=True) if c},
        "cluster_sizes": {str(k): int(v) for k, v in sorted(sizes.items())},
        "reexamined_docs": int(fresh.sum()),  # new or changed documents (all of them in a cold run)
        "reexamined_clusters": len(np.unique(comp[fresh])),  # the clusters they are in
        **counts,
    }, elected


def _scatter_strings(n: int, mask: np.ndarray, values: pa.Array) -> pa.Array:
    idx = np.full(n, -1, np.int64)
    idx[mask] = np.arange(int(mask.sum()))
    return pc.take(values, pa.array(idx, mask=idx < 0)) if len(values) else pa.nulls(n, pa.string())


def _scatter_floats(n: int, mask: np.ndarray, values: np.ndarray) -> pa.Array:
    out = np.zeros(n, np.float32)
    out[mask] = values
    return pa.array(out, mask=~mask)


def _matched_with(meta, cand, best_one_way, members) -> np.ndarray:
    """Per non-canonical member: the partner of its best accepted pair (containment, Jaccard,
    then the partner's id hash) — the pair evidence that joined it to the cluster."""
    found = np.zeros((4, 0))
    for path in cand:
        for kf in sorted(path.parent.glob(path.stem + ".k*.npy")):
            k = np.load(kf)
            c = np.load(str(kf).replace(".k", ".c"))
            ok = _accepted_mask(k[0], k[1], best_one_way, kf)
            x = np.r_[k[0][ok], k[1][ok]]
            y = np.r_[k[1][ok], k[0][ok]]
            cj = np.tile(c[:, ok], 2)
            found = _best_partner(np.concatenate([found, np.stack([x, y, cj[0], cj[1]])], axis=1), meta)
    best = np.full(len(members), -1, np.int64)
    x = found[0].astype(np.int64)
    at = np.asarray(np.searchsorted(members, x))
    hit = np.asarray(at < len(members))
    hit[hit] = members[at[hit]] == x[hit]
    best[at[hit]] = found[1][hit].astype(np.int64)
    return best


def _best_partner(rows: np.ndarray, meta: _Meta) -> np.ndarray:
    """Per document x (rows[0]), its row of highest containment (rows[2]), then Jaccard (rows[3]),
    then smallest partner id hash (meta.idhash of rows[1]); ties beyond that keep the first row.
    Columns in x order: the first row of np.lexsort((idhash[y], -jac, -cont, x)) per x, found by one
    stable radix order on x and three per-x reductions instead of a four-key lexsort (the 20k +1 %
    call sorts ~0.9 M accepted rows twice a night: 0.19 of its ~4.4 CPU-s, session 53)."""
    if rows.shape[1] == 0:
        return rows
    x = rows[0].astype(np.int64)
    cont, jac = rows[2], rows[3]
    if np.isnan(cont).any() or np.isnan(jac).any():  # lexsort's order of NaN: keep its answer
        order = np.lexsort((meta.idhash[rows[1].astype(np.int64)], -jac, -cont, x))
        first = np.r_[True, x[order][1:] != x[order][:-1]]
        return rows[:, order[first]]
    o = _order(x.view(np.uint64)) if x.min() >= 0 else np.argsort(x, kind="stable")
    xs = x[o]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    g = np.cumsum(np.r_[False, xs[1:] != xs[:-1]])  # each sorted row's group
    c = cont[o]
    pick = c == np.maximum.reduceat(c, starts)[g]
    jm = np.where(pick, jac[o], -np.inf)
    pick &= jm == np.maximum.reduceat(jm, starts)[g]
    ih = np.where(pick, meta.idhash[rows[1].astype(np.int64)[o]], np.uint64(np.iinfo(np.uint64).max))
    pick &= ih == np.minimum.reduceat(ih, starts)[g]
    at = np.flatnonzero(pick)
    first = at[np.r_[True, g[at][1:] != g[at][:-1]]]  # the first such row of each group (stable order)
    return rows[:, o[first]]


def _accepted_mask(s, bg, best_one_way, kf) -> np.ndarray:
    """Kept pairs that are edges: mutual ones, or the one best container of a one-way pair."""
    e = np.load(str(kf).replace(".k", ".e"))
    mutual = np.isin(_pair_code(s, bg), _pair_code(e[0], e[1]))
    best = np.isin(_pair_code(s, bg), _pair_code(best_one_way[0], best_one_way[1]))
    return mutual | best


def _resolve_names(plan: _Plan, gids: np.ndarray, keep: dict[int, pa.Array] | None = None) -> pa.Array:
    """The doc_ids of `gids` (sorted), each file's column read once; with `keep`, the doc_id columns of
    the files named in it (as keys) are left there for the caller, which writes those files' parts next."""
    out = []
    for i, f in enumerate(plan.files):
        lo, hi = int(plan.base[i]), int(plan.base[i + 1])
        sel = gids[(gids >= lo) & (gids < hi)]
        if len(sel):
            ids = _read_signature_file(f, ["doc_id"]).column("doc_id").combine_chunks()
            out.append(pc.take(ids, pa.array(sel - lo)))
            if keep is not None and i in keep:
                keep[i] = ids
    return pa.concat_arrays(out) if out else pa.array([], pa.string())


def _write(table: pa.Table, path: Path) -> None:
    """Deterministic Parquet: fixed options, no wall-clock metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=65536, write_statistics=True)
    os.replace(tmp, path)


def _write_duplicates(dup_dir: Path, dst: Path) -> None:
    """Cluster-id ranges sorted one at a time and appended: a globally sorted table, flat memory."""

    def parts():
        for p in range(DUP_PARTS):
            files = sorted((dup_dir / f"{p:02d}").glob("*.parquet"))
            if files:
                yield pa.concat_tables([_read_parquet(x) for x in files])

    _write_duplicate_parts(parts(), dst)


HEX_DIGITS = pa.array(list("0123456789abcdefABCDEF"))
HEX_VALUES = np.r_[np.arange(16), np.arange(10, 16)].astype(np.int64)


def _dup_parts(cluster_ids: pa.ChunkedArray) -> np.ndarray:
    """Each duplicates row's partition: the first hex digit of its cluster id (its hash's top 4 bits),
    by Arrow kernels. Why: a Python int() per row of the whole table every night (20k: 13.6 k rows,
    6-8 ms against 1.3; ~0.4 s at a million documents' ~700 k rows; session 56)."""
    first = pc.utf8_slice_codeunits(cluster_ids, 0, 1)
    at = pc.index_in(first, value_set=HEX_DIGITS)
    if at.null_count:
        raise DedupeStateError("a duplicates row's cluster id does not start with a hex digit")
    return HEX_VALUES[at.to_numpy()]


# The duplicates file is written in the release's form (schema.DUPLICATES, sorted by these columns and
# saying so in every row group's `sorting_columns`, readable by every account): the release links it
# as it is (tasks.publish.in_release_form) instead of reading and rewriting the whole table in the
# flow process on every run that adds a document (~700 k rows at a million documents).
DUPLICATES_SORTING = pq.SortingColumn.from_ordering(DUPLICATES, [("cluster_id", "ascending"), ("doc_id", "ascending")])


def _write_duplicate_parts(parts: Iterable[pa.Table], dst: Path) -> None:
    """One table per non-empty cluster-id range, in range order, each sorted alone."""
    tmp = dst.with_name(dst.name + ".tmp")
    wrote = False
    opts = dict(compression="zstd", write_statistics=True, sorting_columns=DUPLICATES_SORTING)
    with pq.ParquetWriter(tmp, DUPLICATES, **opts) as w:
        for t in parts:
            t = t.sort_by([("cluster_id", "ascending"), ("doc_id", "ascending")])
            w.write_table(t.cast(DUPLICATES), row_group_size=65536)
            wrote = True
        if not wrote:
            w.write_table(DUPLICATES.empty_table())
    os.chmod(tmp, 0o644)  # linked into releases that analysts on other accounts read
    os.replace(tmp, dst)


# --- the fast path: an incremental run whose cost follows the change ----------------------------

FAST_MAX_SHARE = 0.25  # new + removed documents above this share of the corpus take the full path:
# it regroups everything anyway and writes fresh base tables (a nightly +1 % is far below)
# Sampled shingles of new documents one fast run takes on (`_fast_steps`): its arrays are sized by the
# change (the changed documents' shingles, their holders' pairs), not bounded by the corpus. Measured
# (bench.bench_dedupe_plus, 2 threads, session 26): 20k +200 pages (~0.5 M rows) +207 MB; 20k +869 pages
# (2.2 M rows) +563-631 MB, peak 724-790 MB; 100k +1,000 pages (one 26 MB shard, 2.5 M rows) 674 MB in the
# flow. One shard of the default 32 MB holds up to ~2.7 M: it fits in one run; a larger change runs as
# several, a shard's worth of new pages at a time. 20k +3,375 pages (5 shards): before, the fast path gave
# up (too many anchor pairs) and the full path on the index took 37.2 s / peak 944 MB; in 5 steps 55.9 s /
# 870 MB (the same bytes). At 100k the full path costs minutes: steps keep the cost with the change.
FAST_STEP_ROWS = 3_000_000
DELTA_PART_PAIRS = 250_000  # candidate pairs per partition of delta/pairs (by the smaller document
# key): the fast path holds one partition's pair arrays at a time (~600 bytes a pair at its peak: ~150 MB).
# Session 8's fast path held every pair at once (20k bench, +1 %: 606 k pairs, 935 MB peak) and a corpus
# above 1 M pairs (DELTA_MAX_PAIRS) wrote no fast-path state: a 100k +1 % run took the full path (609 s)
DELTA_PAIRS_FORMAT = 2  # layout of delta/pairs: 2 = partitions delta/pairs/<p>.npz; a state without it
# (one delta/pairs.npz) takes the full path, which writes the new layout
DELTA_DF_FORMAT = 1  # delta/df: bounds on each sampled shingle's df (session 10); a state without them
# takes the full path, which writes them
MAPS_OPEN = 512  # doc-major files a fast run keeps memory-mapped at once (each holds a descriptor; 100k: 113
# signature files x 3 kinds). Above it the oldest is closed and mapped again when needed
HOLDER_ROWS = 500_000  # index rows (holders of changed keys) the fast path handles at once: ~50 MB
# of working arrays (rank, gid, previous row, codes and their sorts, ~100 bytes a row); the holders of
# a new page's shingles grow with the corpus (copies of a speech), so they are read slice by slice
FAST_MAX_ANCHOR_CODES = 4 * PARTITION_ROWS  # (pair, shared-anchor count) rows the fast path holds
# while recounting anchor pairs (~16 bytes each plus their sort: ~0.3 GB); beyond, the full path.
# Reached by removals: on the 20k bench, removing the 200 pages of a +1 % run made anchors rare
# again for 11,661 documents (X), whose anchor pairs ran to 2.4 GB before this bound
HASH_CHUNK = 8 << 20  # bytes of a mapped index file hashed at a time when checking its digest (`_mapped`)
ADD_MAX_SHARE = 0.5  # rows added by fast runs above this share of a kind's base rows: the next run
# takes the full path, which folds them into a new base
# What fast runs add to the index (holder rows of new documents, df bounds of the shingles they touched)
# goes to runs, one per night, merged as in a log-structured merge tree: a level's runs become one run
# of the next level when it holds ADD_RUNS_PER_LEVEL of them. Each added row is rewritten once per level
# (log4 of the nights since the last full run), not every night: one add layer, rewritten whole in every
# partition a night touched (all of them), cost night k about k nights' rows, and its df bounds were
# loaded whole (bench.bench_nights, session 29). Lookups search the base and every run (at most
# ADD_RUNS_PER_LEVEL - 1 per level).
ADD_RUNS_PER_LEVEL = 4
ADD_FORMAT = 1  # delta/add/<run>/, delta/df/<run>/ and the delta's "add_runs": a state without them runs full


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Every index of the ranges [lo, hi), concatenated."""
    ln = np.maximum(hi - lo, 0).astype(np.int64)
    ends = np.cumsum(ln)
    total = int(ends[-1]) if len(ends) else 0
    if total == 0:
        return np.zeros(0, np.int64)
    # not np.r_: its indexing machinery is Python (a +1 % call at 100k makes ~25 k of these)
    return np.repeat(lo.astype(np.int64) - (ends - ln), ln) + np.arange(total)


# Mean rows a document's run must hold for `_copy_runs` to copy runs by slices: measured on 8 M uint64
# keys (CPU-s of 2,000 runs, alternated): 2,500-row runs (a long report's sampled shingles) 17 ms by slices
# against 36-44 ms through one index array, 1,000-row 10-11 against 15-16, 256-row runs the same either way;
# short runs (bands, anchors of short pages) keep the index array (a slice's Python cost per run).
GATHER_SLICE_ROWS = 512


def _copy_runs(keys: np.ndarray, lo: np.ndarray, hi: np.ndarray, out: np.ndarray) -> None:
    """keys[lo[i]:hi[i]] for every i, one after another, into `out` (exactly their length): by slices
    when the runs are long (a memcpy each, no index array of every row), else by one gather."""
    ln = hi - lo
    if len(ln) and int(ln.sum()) >= GATHER_SLICE_ROWS * len(ln):
        at = 0
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            out[at : at + b - a] = keys[a:b]
            at += b - a
    else:
        out[:] = keys[_ranges(lo, hi)]


def _by_file(fidx: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(file, the positions of its rows in fidx, increasing) for each file of fidx, in file order:
    one stable sort, not a pass over every row per file (a gather of a measured-pairs batch spans
    ~100 signature files at 100k: 249 batches x 100 files x the batch's rows)."""
    if not len(fidx):
        return
    order = np.argsort(fidx, kind="stable")
    f = fidx[order]
    cut = np.flatnonzero(f[1:] != f[:-1]) + 1
    for a, b in zip([0, *cut.tolist()], [*cut.tolist(), len(f)], strict=True):
        yield int(f[a]), order[a:b]


def _unique_rows(k: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (k, g) rows, sorted by k then g. When g are integers in [0, 2^32) (gids), the
    rank of k and g are packed in one int64 and sorted once (numpy's vectorized quicksort):
    ~2.5x faster than `np.lexsort` (a stable two-key merge sort) on the fast path's millions of
    gathered rows (session 12); other g (group names) take the lexsort."""
    if len(k) == 0:
        return k, g
    if g.dtype.kind in "iu" and int(g.min()) >= 0 and int(g.max()) < (1 << 32):
        u, inv = np.unique(k, return_inverse=True)
        code = _sort_unique((inv.astype(np.int64) << 32) | g.astype(np.int64))
        return u[code >> 32], (code & 0xFFFFFFFF).astype(g.dtype)
    o = np.lexsort((g, k))
    k, g = k[o], g[o]
    keep = np.r_[True, (k[1:] != k[:-1]) | (g[1:] != g[:-1])]
    return k[keep], g[keep]


def _distinct_per_key(keys: np.ndarray, k: np.ndarray, v: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """For each of the sorted `keys` (every k is one of them): how many distinct v its rows (k, v)
    have (only the rows where the mask `rows` is set, if given: no filtered copy of k and v). A range of
    keys at a time, about HOLDER_ROWS rows each: the rows of a +1 % run's new and regrouped pages run
    to millions at 100k (5.5 M, sorted whole: the call's peak, 983 MB; session 10)."""
    counts = np.zeros(len(keys), np.int64)
    if len(k) == 0:
        return counts
    parts = max(1, min(len(keys), -(-len(k) // HOLDER_ROWS)))
    edges = keys[(np.arange(1, parts) * len(keys)) // parts]  # range i holds edges[i-1] <= k < edges[i]
    for i in range(parts):
        if parts == 1 and rows is None:
            kp, vp = k, v
        else:
            m = k >= edges[i - 1] if i else np.ones(len(k), bool)
            if i < parts - 1:
                m &= k < edges[i]
            if rows is not None:
                m &= rows
            kp, vp = k[m], v[m]
            del m
        kk, _ = _unique_rows(kp, vp)
        counts += np.bincount(np.searchsorted(keys, kk), minlength=len(keys))
        del kp, vp, kk
    return counts


# Documents per group name whose shingles are read as witnesses (`_unwitnessed_names`): one near copy holds
# most of its speech's sampled shingles; a second covers most of what the first lacks.
FAST_DF_WITNESSES = 2


def _unwitnessed_names(
    keys: np.ndarray,
    parts: list[tuple[np.ndarray, np.ndarray]],
    eligible: np.ndarray,
    name_of: np.ndarray,
    cur: Callable,
    rows_of_doc: np.ndarray,
) -> np.ndarray:
    """For each of the sorted `keys`: how many distinct names its rows (k, name) have (the rows of
    every (k, names) part; each k one of the keys) that no witness holds — a witness of (k, name)
    is a document among `eligible` (a mask over gids) with name_of[gid] == name holding k. Up to
    FAST_DF_WITNESSES documents per name are read (`cur`: their sampled shingles; `rows_of_doc`:
    how many each holds), a batch of about HOLDER_ROWS rows at a time.

    Rows with the same (name, key) share their verdict, so the rows are reduced first to their
    distinct codes (rank of the name << 32 | position of the key), a part at a time, and each
    witness batch marks the codes it holds: memory follows the distinct codes and one batch
    (100k +1 %: 5.8 M rows whose keys and names, 93 MB, were tested whole against every witness
    code merged into one array, ~12 M codes and their merges: the call's peak; session 28)."""
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    wanted = _sort_unique(np.concatenate([_sort_unique(nm.astype(np.uint64)) for _, nm in parts]))
    codes = np.zeros(0, np.int64)
    for k, nm in parts:
        got = [codes]
        for s in range(0, len(k), HOLDER_ROWS):  # the rows' codes, a slice at a time, distinct
            rank = np.searchsorted(wanted, nm[s : s + HOLDER_ROWS].astype(np.uint64)).astype(np.int64)
            got.append(_sort_unique((rank << 32) | _located(keys, k[s : s + HOLDER_ROWS]).astype(np.int64)))
            del rank
        codes = _sort_unique(np.concatenate(got), runs=True)  # sorted runs: the codes so far, each slice's
        del got
    seen = np.zeros(len(codes), bool)
    docs = np.flatnonzero(eligible & np.isin(name_of, wanted)) if len(codes) else np.zeros(0, np.int64)
    if len(docs):
        docs = docs[_order(name_of[docs].astype(np.uint64))]  # by name, gid order within one (stable)
        nm = name_of[docs]
        start = np.flatnonzero(np.r_[True, nm[1:] != nm[:-1]])
        rank = np.arange(len(docs)) - np.repeat(start, np.diff(np.r_[start, len(docs)]))
        docs = np.sort(docs[rank < FAST_DF_WITNESSES])
        del nm, start, rank
        cum = np.cumsum(rows_of_doc[docs].astype(np.int64))
        s0 = 0
        while s0 < len(docs):
            e0 = max(s0 + 1, int(np.searchsorted(cum, (cum[s0 - 1] if s0 else 0) + HOLDER_ROWS, side="right")))
            wk, wg = cur("sample", docs[s0:e0])
            at = np.minimum(_located(keys, wk), len(keys) - 1)  # rows in document order: `_located`
            held = keys[at] == wk
            name_rank = np.searchsorted(wanted, name_of[wg[held]].astype(np.uint64)).astype(np.int64)
            w = (name_rank << 32) | at[held]
            j = np.minimum(np.searchsorted(codes, w), len(codes) - 1)
            seen[j[codes[j] == w]] = True
            del wk, wg, at, held, name_rank, w, j
            s0 = e0
    return np.bincount(codes[~seen] & 0xFFFFFFFF, minlength=len(keys)).astype(np.int64)


def _pairs_touching(k: np.ndarray, g: np.ndarray, touch: np.ndarray):
    """Pair codes (a < b) of documents sharing a key, for pairs with a touched row: rows are
    distinct (k, g) sorted by k; each (pair, shared key) comes out once. Yielded in chunks of
    about PARTITION_ROWS codes (a key held by many documents makes many pairs)."""
    if len(k) == 0:
        return
    first = np.r_[True, k[1:] != k[:-1]]
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(k)]
    rank = np.cumsum(first) - 1
    t_all = np.flatnonzero(touch)
    span = ends[rank[t_all]] - starts[rank[t_all]]
    cum = np.cumsum(span)
    s = 0
    while s < len(t_all):
        e = max(s + 1, int(np.searchsorted(cum, (cum[s - 1] if s else 0) + PARTITION_ROWS, side="right")))
        t = t_all[s:e]
        lo, hi = starts[rank[t]], ends[rank[t]]
        idx = _ranges(lo, hi)
        x = np.repeat(g[t], hi - lo)
        y = g[idx]
        keep = (x != y) & (~touch[idx] | (x < y))  # two touched rows: counted from the smaller one only
        x, y = x[keep], y[keep]
        yield _pair_code(np.minimum(x, y), np.maximum(x, y))
        s = e


_MADV_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)  # Linux, macOS; elsewhere a no-op (`_drop`)


def _drop(mm: mmap.mmap) -> None:
    """Drop a mapping's resident pages (a read-only file mapping: they stay in the page cache and
    fault back in when read again), so a file checked whole does not count whole in the RSS."""
    if _MADV_DONTNEED is not None:
        mm.madvise(_MADV_DONTNEED)


# A state file whose (size, mtime, inode) are those recorded when its index was written is taken as
# checked without hashing it, unless it was modified in the file system's timestamp tick of the record
# or later (git's "racily clean" rule: a write in the same tick could go unseen). The tick of the record
# is the mtime of a marker file `_stamps` writes into the index just before it reads the stamps
# ("clock"): the file system's own clock at its own granularity (ns on ext4/xfs/btrfs, 1-2 s on
# HFS+/FAT), as git compares with its index file's mtime. A file modified after the record gets a
# timestamp at or after the marker's, never the one recorded (older than it). Why: the rule used the
# wall clock with a 1 s margin (`STAMP_RACY_NS`), and the index is written in the last second of the
# call, so the first nightly run after a cold run hashed every state file it mapped (20k +1 %, session
# 56: see tasks.dedupe_cluster's stats `state_bytes_hashed`). Records without a "clock" keep the margin.
# Why stamps at all: the fast path hashed every state file it mapped, whole, to read a few rows of it —
# at 100k +1 % the holders' doc-major files and partitions, ~9 of the call's ~37 CPU-s under a profiler
# (session 26): O(corpus) bytes a nightly run. A rewrite in place (new mtime), a truncation (size) or
# another file renamed over it (inode) is still hashed and refused; silent corruption that keeps all
# three is not seen (the full path, `--rebuild` and `--rehash` hash everything).
STAMP_RACY_NS = 1_000_000_000
STAMP_CLOCK = ".stamp-clock"  # the marker `_stamps` writes and removes (never an index file)


def _fs_clock(root: Path) -> int | None:
    """The file system's timestamp for "now" under root: the mtime of a marker written and removed
    (None: root cannot take it, and the stamps fall back to the wall clock's margin)."""
    marker = root / STAMP_CLOCK
    try:
        with open(marker, "wb") as f:
            f.write(b"\0")
            f.flush()
            clock = os.fstat(f.fileno()).st_mtime_ns
        marker.unlink()
    except OSError:
        return None
    return clock


def _stamps(root: Path, files: Iterable[str]) -> dict[str, Any]:
    """(size, mtime_ns, inode) of every index file, when they were taken (index.json "stamps") and
    the file system's timestamp of that moment ("clock", `_fs_clock`)."""
    clock = _fs_clock(root)
    at = time.time_ns()
    out: dict[str, list[int]] = {}
    for rel in files:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        out[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return {"at": at, "files": out} if clock is None else {"at": at, "clock": clock, "files": out}


def _stamped(info: dict, rel: str, path: Path) -> bool:
    """Whether the file is the one index.json's stamps recorded, and was not racily clean then."""
    stamps = info.get("stamps")
    if not isinstance(stamps, dict) or not isinstance(stamps.get("files"), dict):
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    recorded = stamps["files"].get(rel)
    clock = stamps.get("clock")
    before = int(clock) if isinstance(clock, int) else int(stamps["at"]) - STAMP_RACY_NS
    return recorded == [st.st_size, st.st_mtime_ns, st.st_ino] and st.st_mtime_ns < before


LOST_FLUSH_CODES = 1_000_000  # (pair, count) rows of anchors turned boilerplate buffered before a spill (~16 MB)


class _Spill:
    """(pair code, count) rows appended to one raw file per pair partition, a buffer of
    LOST_FLUSH_CODES rows at a time: memory follows the buffer and one partition's rows, not the
    change's every row."""

    DTYPE = np.dtype([("u", "<u8"), ("c", "<i8")])

    def __init__(self, folder: Path, nparts: int):
        self.folder, self.nparts = folder, nparts
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.parts: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.held = 0

    def add(self, part: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> None:
        row = np.empty(len(codes), self.DTYPE)
        row["u"], row["c"] = codes, counts
        self.parts.append(part.astype(np.int64))
        self.rows.append(row)
        self.held += len(codes)
        if self.held >= LOST_FLUSH_CODES:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        part, rows = np.concatenate(self.parts), np.concatenate(self.rows)
        self.parts, self.rows, self.held = [], [], 0
        o = _order(part.astype(np.uint64))  # stable, by radix passes: half numpy's stable argsort (26 -> 13 ms at 20k)
        part, rows = part[o], rows[o]
        cut = np.searchsorted(part, np.arange(self.nparts + 1))
        for p in np.flatnonzero(np.diff(cut)).tolist():
            with open(self.folder / f"{p:05d}.bin", "ab") as fh:
                rows[cut[p] : cut[p + 1]].tofile(fh)

    def summed(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        """Partition p's distinct pair codes, sorted, with their counts summed."""
        path = self.folder / f"{p:05d}.bin"
        if not path.exists():
            return np.zeros(0, np.uint64), np.zeros(0, np.int64)
        rows = np.fromfile(path, dtype=self.DTYPE)
        u, c = rows["u"], rows["c"]
        o = _order(u)
        u, c = u[o], c[o]
        if len(u):
            st_ = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
            u, c = u[st_], np.add.reduceat(c, st_)
        return u, c

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _run_files(st: _FastState, run: str) -> dict[str, dict[str, str]]:
    """One fast run's files by partition ("df/00012", "sample/00012") and column."""
    out: dict[str, dict[str, str]] = {}
    for rel in sorted(st.files):
        if rel.startswith(f"delta/df/{run}/"):
            stem, col = rel.removesuffix(".npy").rsplit("-", 1)
            out.setdefault(f"df/{stem.rsplit('/', 1)[1]}", {})[col] = rel
        elif rel.startswith(f"delta/add/{run}/"):
            stem, col = rel.removesuffix(".npy").rsplit("-", 1)
            kind, p = stem.rsplit("/", 1)[1].rsplit("-", 1)
            out.setdefault(f"{kind}/{p}", {})[col] = rel
    return out


# A base holder partition keeps, beside its (key, document) rows sorted by key (-k, -d), its distinct
# keys and where each one's rows start (-u, -o): a lookup binary-searches the distinct keys, ~1/18 of
# the rows at 100k (sample: 14 M distinct keys of 259 M rows). Searching the rows' own key column
# faulted in nearly every page of it (the 100k +1 % df changes look up 120 k keys, one every few pages,
# and read 4.85 GB from disk with read-around; 3.1 GB now, most of it the document column and the
# doc-major files; docs/dedupe.md "Session 30").
def _key_offsets(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys of a sorted key column and the offset of each one's first row (one more
    offset: the column's length)."""
    if len(k) == 0:
        return np.zeros(0, np.uint64), np.zeros(1, np.int64)
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    return np.asarray(k[starts], np.uint64), np.r_[starts, len(k)].astype(np.int64)


def _merge_runs(parts: list[dict[str, np.ndarray]], newest_wins: bool) -> dict[str, np.ndarray]:
    """One partition of several runs (oldest first) merged: rows sorted by key (stable: a key's rows
    keep their age order); with `newest_wins` (df bounds) one row a key, the newest run's."""
    cols = {c: np.concatenate([x[c] for x in parts]) for c in parts[0]}
    o = _order(cols["k"].astype(np.uint64))
    cols = {c: v[o] for c, v in cols.items()}
    if newest_wins and len(cols["k"]):
        last = np.r_[cols["k"][1:] != cols["k"][:-1], True]  # stable: the newest of equal keys is last
        cols = {c: v[last] for c, v in cols.items()}
    return cols


class _FastState:
    """The delta state of the previous index; every file read is checked against its digest in
    index.json (a damaged or missing one raises DedupeStateError: the run takes the full path).
    Counts the keyed partitions it reads (`partitions_read`)."""

    def __init__(self, index: _Index, mem: dict, threads: int = 1):
        self.index, self.files, self.mem = index, index.info["files"], mem
        self.threads = threads
        self.runs = [str(r["id"]) for r in index.info.get("delta", {}).get("add_runs", [])]  # oldest first
        self.reads: Counter = Counter()
        self.skipped_rows: Counter = Counter()  # table rows of keys `_holder_chunks` left out (`skip_above`)
        self._bydoc: dict[str, dict] = {}  # per file and kind: its keys memory-mapped (at most MAPS_OPEN)
        self._maps: OrderedDict[tuple[str, str], mmap.mmap] = OrderedDict()  # the open mappings, oldest first
        self._ok: set[str] = set()  # files whose digest was checked this run
        self._check = threading.Lock()  # a file is checked once, and counted once, whichever thread maps it
        self.hashed = 0  # bytes of state files hashed to check them
        self.trusted = 0  # state files taken on their stamp (`_stamped`)
        self._bymeta: dict[str, dict] = {}  # per file: its bydoc-meta.npz
        self.gid_of: Callable = lambda k: k
        self.old_of: Callable = lambda k: k

    def bind(self, gid_of: Callable, old_of: Callable) -> None:
        """Document keys -> this run's gids and the previous run's rows (-1: absent); the base
        layer's positions are mapped once (a gather per looked-up row, no search)."""
        self.gid_of, self.old_of = gid_of, old_of
        self.base_docs = self.npy("delta/base-docs.npy")
        self.base_gid, self.base_old = gid_of(self.base_docs), old_of(self.base_docs)
        self.add_docs = self.npy("delta/add-docs.npy") if "delta/add-docs.npy" in self.files else np.zeros(0, np.uint64)

    def _mapped(self, rel: str) -> mmap.mmap | None:
        """The file memory-mapped, its bytes checked against the digest in index.json the first
        time this run (None: an empty file, which cannot be mapped; checked all the same). The
        digest is taken over the mapping itself — the same bytes and the same xxh3_128 as a
        streamed read, so the same damage is detected — and the caller reads its arrays from that
        mapping: the pages hashed are the pages searched, read once. (Session 12: hashing with
        `read` copied every checked byte (~1.3 GB at 20k +1 %) and the arrays were then mapped again
        and faulted in a second time: ~0.2 of the call's CPU-s, with the partitions' searches.)"""
        path = self.index.root / rel
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        except OSError as exc:
            raise DedupeStateError(f"dedupe index file {path} is missing ({exc})") from exc
        with self._check:
            self._checked(rel, path, mm, size)
        return mm

    def _checked(self, rel: str, path: Path, mm: mmap.mmap | None, size: int) -> None:
        if rel not in self._ok and _stamped(self.index.info, rel, path):
            self.trusted += 1
            self._ok.add(rel)
        if rel not in self._ok:
            h = xxhash.xxh3_128()
            if mm is not None:
                view = memoryview(mm)
                for i in range(0, size, HASH_CHUNK):  # a few MB at a time into the hash (no copy)
                    h.update(view[i : i + HASH_CHUNK])
                view.release()
            self.hashed += size
            if h.hexdigest() != self.files.get(rel):
                raise DedupeStateError(f"dedupe index file {path} is damaged (its digest differs from index.json)")
            self._ok.add(rel)

    def npy(self, rel: str, mmap: bool = False, sparse: bool = False) -> np.ndarray:
        """A checked `.npy` of the index, read from its mapping (`_mapped`): with `mmap` a view of
        it (only the pages a gather or a binary search touches are read, unless this run checked
        it just now), else a copy. `sparse`: a gather will read few of its rows, so the pages the
        check touched are dropped from the mapping (they stay in the page cache; held whole, the
        holders' partitions raised the 20k +1 % call's peak by ~13 MB; session 12)."""
        mm = self._mapped(rel)
        if sparse and mm is not None:
            _drop(mm)
        path = self.index.root / rel
        if mm is None:
            raise DedupeStateError(f"dedupe index file {path} is empty")
        try:
            head = io.BytesIO(mm[: min(len(mm), 1 << 16)])
            version = np.lib.format.read_magic(head)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(head)
            count = int(np.prod(shape))
            if dtype.hasobject or head.tell() + count * dtype.itemsize != len(mm):
                raise ValueError("unexpected layout")
            a = np.frombuffer(mm, dtype=dtype, count=count, offset=head.tell())
        except ValueError as exc:
            raise DedupeStateError(f"dedupe index file {path} is not a readable .npy ({exc})") from exc
        a = a.reshape(shape, order="F" if fortran else "C")
        return a if mmap else a.copy()

    def raw(self, rel: str, shape: tuple) -> tuple[np.ndarray, mmap.mmap | None]:
        """A checked raw doc-major file (`_ByDoc`), memory-mapped: a gather reads only its rows."""
        dtype = np.dtype(BYDOC[rel.rsplit("bydoc-", 1)[1].removesuffix(".bin")])
        mm = self._mapped(rel)
        if (len(mm) if mm is not None else 0) != int(np.prod(shape)) * dtype.itemsize:
            raise DedupeStateError(f"dedupe index file {self.index.root / rel} has the wrong size for its offsets")
        if mm is None:
            return np.zeros(shape, dtype), None
        _drop(mm)  # a gather reads a few of its rows: the hash's pages are not kept resident
        return np.frombuffer(mm, dtype=dtype).reshape(shape), mm

    def holder_chunks(
        self,
        kind: str,
        keys: np.ndarray,
        mk: np.ndarray,
        mg: np.ndarray,
        max_rows: int = 0,
        ahead: bool = True,
        skip_above: int = 0,
    ):
        """`_holder_chunks`, each chunk made ahead in a thread when the call has two (`_ahead`) and
        the caller allows it (`ahead`)."""
        return _ahead(self._holder_chunks(kind, keys, mk, mg, max_rows, skip_above), ahead and self.threads > 1)

    def only_previous(self) -> bool:
        """Whether every document the keyed tables name was in the previous run: then a key's table
        rows (one per distinct holder, in one layer) count exactly its previous holders, read from
        the offsets alone. A removal since the last full run leaves rows of absent documents."""
        return bool((self.base_old >= 0).all()) and bool((self.old_of(self.add_docs) >= 0).all())

    def _holder_chunks(
        self, kind: str, keys: np.ndarray, mk: np.ndarray, mg: np.ndarray, max_rows: int = 0, skip_above: int = 0
    ):
        """Current holders of the keys (with the new documents' rows mk, mg that are not in the
        tables yet), a slice of keys at a time: per chunk (its sorted distinct keys, distinct rows
        (rank, gid) sorted by rank, each table row's rank and its document's row in the previous
        run; -1 when absent). A chunk is a run of keys of one partition with about `max_rows`
        table rows (HOLDER_ROWS); only the partitions the keys fall in are opened, memory-mapped,
        and only the slices of their sorted keys that hold the queries are read. A (key, document)
        row is in one layer once. `skip_above`: keys with more table rows than this are left out
        before any row is read (the caller knows they cannot matter: `only_previous`)."""
        max_rows = max_rows or HOLDER_ROWS
        mk = mk.astype(np.uint64)
        mg = mg.astype(np.int64)
        keys = _sort_unique(keys.astype(np.uint64))
        o = _order(mk)
        mk, mg = mk[o], mg[o]
        bits = self.index.bits[kind]
        # both split by partition once (a stable sort keeps each partition's keys sorted), not one
        # mask over every key per partition (32 x the new pages' rows per call at 20k; session 12)
        part = _partition_of(keys, bits)
        keys = keys[_order(part)]
        kcut = np.r_[0, np.cumsum(np.bincount(part, minlength=1 << bits))]
        mpart = _partition_of(mk, bits)
        mo = _order(mpart)  # each partition's rows, still sorted by key
        mcut = np.r_[0, np.cumsum(np.bincount(mpart, minlength=1 << bits))]
        del mpart
        for p in np.unique(part).tolist():
            q = keys[kcut[p] : kcut[p + 1]]
            mkp, mgp = mk[mo[mcut[p] : mcut[p + 1]]], mg[mo[mcut[p] : mcut[p + 1]]]
            self.reads[kind] += 1
            layers = []
            for layer in ("base", *(f"add/{r}" for r in self.runs)):
                rel = f"delta/{layer}/{kind}-{p:05d}"
                if rel + "-k.npy" not in self.files:
                    continue
                d = self.npy(rel + "-d.npy", mmap=True, sparse=True)
                if rel + "-u.npy" in self.files:  # the base's distinct keys and their row offsets
                    u, o = self.npy(rel + "-u.npy", mmap=True), self.npy(rel + "-o.npy", mmap=True)
                    j = np.minimum(np.searchsorted(u, q), len(u) - 1)
                    hit = np.asarray(u[j]) == q
                    lo = np.where(hit, np.asarray(o[j]), 0).astype(np.int64)
                    layers.append((layer, d, lo, np.where(hit, np.asarray(o[j + 1]), 0).astype(np.int64)))
                    del u, o
                    continue
                k = self.npy(rel + "-k.npy", mmap=True)
                layers.append((layer, d, np.searchsorted(k, q, "left"), np.searchsorted(k, q, "right")))
                del k
            per_key = sum((hi - lo for _, _, lo, hi in layers), np.zeros(len(q), np.int64))
            if skip_above:
                few = per_key <= skip_above
                self.skipped_rows[kind] += int(per_key[~few].sum())
                q, per_key = q[few], per_key[few]
                layers = [(layer, d, lo[few], hi[few]) for layer, d, lo, hi in layers]
            cum = np.cumsum(per_key)
            s = 0
            while s < len(q):
                e = max(s + 1, int(np.searchsorted(cum, (cum[s - 1] if s else 0) + max_rows, side="right")))
                ck = q[s:e]
                rk, gs, os_ = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
                for layer, d, lo, hi in layers:
                    ln = hi[s:e] - lo[s:e]
                    dd = np.asarray(d[_ranges(lo[s:e], hi[s:e])])
                    rk.append(np.repeat(np.arange(e - s, dtype=np.int64), ln))
                    if layer == "base":
                        gs.append(self.base_gid[dd])
                        os_.append(self.base_old[dd])
                    else:
                        gs.append(self.gid_of(dd))
                        os_.append(self.old_of(dd))
                rank, tg, to = np.concatenate(rk), np.concatenate(gs), np.concatenate(os_)
                a_, b_ = np.searchsorted(mkp, ck[0], "left"), np.searchsorted(mkp, ck[-1], "right")
                mks, mgs = mkp[a_:b_], mgp[a_:b_]
                mr = np.minimum(np.searchsorted(ck, mks), len(ck) - 1).astype(np.int64)
                hit = ck[mr] == mks  # the new documents' rows of these keys only
                code = np.r_[(rank[tg >= 0] << 32) | tg[tg >= 0], (mr[hit] << 32) | mgs[hit]]
                code = _sort_unique(code.astype(np.int64), runs=True)  # each layer's rows and the new ones: a run each
                yield ck, code >> 32, code & 0xFFFFFFFF, rank, to
                s = e
            del layers

    def df_bounds(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bounds [lo, hi] on the df of each of the sorted distinct sampled-shingle `keys`, always
        inside one cell of `_weight_of_df`'s grid: the newest fast run that holds the shingle
        (delta/df/<run>/<p>-{k,lo,hi}.npy: the shingles whose df may have moved that night), else the
        full run's exact df (delta/df/base-<p>-{k,v}.npy), else 0 (no holder). Every file
        memory-mapped and binary-searched: nothing is loaded whole."""
        keys = keys.astype(np.uint64)
        lo, hi = np.zeros(len(keys), np.int64), np.zeros(len(keys), np.int64)
        part = _partition_of(keys, self.index.bits["sample"])
        for p in np.unique(part).tolist():
            sel = np.flatnonzero(part == p)
            q = keys[sel]
            rest = np.ones(len(q), bool)
            for run in reversed(self.runs):
                rel = f"delta/df/{run}/{p:05d}"
                if rel + "-k.npy" not in self.files or not rest.any():
                    continue
                k = self.npy(rel + "-k.npy", mmap=True)
                m = np.flatnonzero(rest)
                j = np.minimum(np.searchsorted(k, q[m]), len(k) - 1)
                hit = np.asarray(k[j]) == q[m]
                got = j[hit]
                lo[sel[m[hit]]] = np.asarray(self.npy(rel + "-lo.npy", mmap=True)[got]).astype(np.int64)
                hi[sel[m[hit]]] = np.asarray(self.npy(rel + "-hi.npy", mmap=True)[got]).astype(np.int64)
                rest[m[hit]] = False
                del k
            rel = f"delta/df/base-{p:05d}"
            if rel + "-k.npy" in self.files and rest.any():
                k, v = self.npy(rel + "-k.npy", mmap=True), self.npy(rel + "-v.npy", mmap=True)
                m = np.flatnonzero(rest)
                j = np.minimum(np.searchsorted(k, q[m]), len(k) - 1)
                hit = np.asarray(k[j]) == q[m]
                got = np.asarray(v[j[hit]]).astype(np.int64)
                lo[sel[m[hit]]], hi[sel[m[hit]]] = got, got
                del k, v
        return lo, hi

    def bydoc(self, digest: str, what: str) -> tuple[np.ndarray, Any]:
        """One file's doc-major keys `what` (sample, anchors, minhash), memory-mapped (only that
        kind's file: a batch that needs sampled shingles maps nothing else), and their offsets."""
        if digest in self.mem:
            m = self.mem[digest]
            return m[what], m.get({"sample": "soff", "anchors": "aoff", "bands": "boff"}.get(what, ""))
        pre = f"files/{digest}/"
        if digest not in self._bymeta:  # offsets (small) kept for the run; `release` unmaps only the keys
            self._bymeta[digest] = self.index.load(pre + "bydoc-meta.npz")
        z = self._bymeta[digest]
        maps = self._bydoc.setdefault(digest, {})
        if what not in maps:
            shape = {"sample": (int(z["soff"][-1]),), "anchors": (int(z["aoff"][-1]),),
                     "minhash": (len(z["soff"]) - 1, sig.NUM_PERM)}[what]  # fmt: skip
            maps[what], mm = self.raw(pre + f"bydoc-{what}.bin", shape)
            if mm is not None:
                self._maps[(digest, what)] = mm
                while len(self._maps) > MAPS_OPEN:  # each holds a file descriptor: close the oldest
                    (d_old, w_old), _ = self._maps.popitem(last=False)
                    self._bydoc.get(d_old, {}).pop(w_old, None)
        elif (digest, what) in self._maps:
            self._maps.move_to_end((digest, what))
        return maps[what], z.get({"sample": "soff", "anchors": "aoff"}.get(what, ""))

    def release(self) -> None:
        """Drop the pages gathers touched in the doc-major files: they count as resident while
        mapped (the new pairs' partners: ~300 MB at 20k +1 %, session 10). The mappings stay open
        (up to MAPS_OPEN): mapping every file again for each batch was 27 k opens at 100k +1 %."""
        for mm in self._maps.values():
            _drop(mm)

    def gather(self, what: str, digests: list[str], fidx: np.ndarray, rows: np.ndarray):
        """Keys `what` (sample, anchors, bands) of documents (file fidx, row): (values, position
        of the owning document in the query). Copied straight into one array sized first (no
        concatenation of per-file copies), a document's run by a slice when runs are long
        (`_copy_runs`)."""
        found = []
        for f, sel in _by_file(fidx):
            keys, offs = self.bydoc(digests[f], what)
            found.append((f, keys, offs[rows[sel]], offs[rows[sel] + 1], sel))
            del keys
        total = sum(int((hi - lo).sum()) for _, _, lo, hi, _ in found)
        vals = np.empty(total, np.uint64 if not found else found[0][1].dtype)
        own = np.empty(total, np.int64)
        at = 0
        for f, keys, lo, hi, sel in found:
            at_end = at + int((hi - lo).sum())
            _copy_runs(keys, lo, hi, vals[at:at_end])
            own[at:at_end] = np.repeat(sel, hi - lo)
            at = at_end
            self._unmap(digests[f], what)
        return vals, own

    def _unmap(self, digest: str, what: str) -> None:
        """Drop the pages of one file's mapping once a gather has copied its rows: they would count
        as resident until the run ends (regrouped pages' shingles at 100k +1 %: ~130 MB of the
        call's peak, session 10). The mapping stays open for the next gather."""
        mm = self._maps.get((digest, what))
        if mm is not None:
            _drop(mm)

    def minhash(self, digests: list[str], fidx: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), sig.NUM_PERM), np.uint32)
        for f, sel in _by_file(fidx):
            out[sel] = np.asarray(self.bydoc(digests[f], "minhash")[0][rows[sel]])
            self._unmap(digests[f], "minhash")
        return out


def _read_new_file(path: str) -> tuple[dict, dict]:
    """A signature file the previous run did not see: per-document metadata and keys in memory."""
    t = _read_signature_file(path)
    n = t.num_rows
    bands, nb = _flat(t, "bands")
    anchors, na = _flat(t, "anchors")
    sample, ns = _flat(t, "sample")
    mh = (
        t.column("minhash").combine_chunks().flatten().to_numpy().reshape(n, sig.NUM_PERM)
        if n
        else np.zeros((0, sig.NUM_PERM), np.uint32)
    )
    meta = {
        "idhash": _id_hashes(t.column("doc_id").combine_chunks()),
        "fp": t.column("fp_hash").to_numpy().astype(np.uint64),
        "fp_chars": t.column("fp_chars").to_numpy().astype(np.int32),
        "n_chars": t.column("n_chars").to_numpy().astype(np.int32),
        "truncated": t.column("truncated").to_numpy(zero_copy_only=False).astype(bool),
        "n_flags": t.column("n_flags").to_numpy().astype(np.int16),
        "n_sample": ns.astype(np.int32),
        "dockey": _doc_keys(t, mh, bands, nb, sample, ns, anchors, na),
    }
    mem = {
        "sample": sample.astype(np.uint64),
        "soff": np.r_[0, np.cumsum(ns)].astype(np.int64),
        "anchors": anchors.astype(np.uint64),
        "aoff": np.r_[0, np.cumsum(na)].astype(np.int64),
        "bands": bands.astype(np.uint64),
        "boff": np.r_[0, np.cumsum(nb)].astype(np.int64),
        "minhash": np.ascontiguousarray(mh, dtype=np.uint32),
        "ns": ns,
        "na": na,
    }
    return meta, mem


def _fast(
    files, digests, index: _Index | None, prev_state_dir, out: Path, version: str, threads: int = 1
) -> dict | None:
    """An incremental run on the previous index's delta state, or None (take the full path) when
    that state is missing, damaged, or the change is too large. Only the new and removed documents'
    keys are looked up (their partitions read), only the pairs they make are measured, and only the
    documents whose near-duplicate group changed have their shingles' document frequencies
    recounted: weights, totals and shared weights move by exact integer deltas. Verdicts, components
    and the election are then re-run over the per-document and per-pair arrays (no keyed table),
    and only the assignments parts whose rows changed are rewritten. Same bytes as a cold run."""
    if index is None or prev_state_dir is None or "delta" not in index.info:
        return None
    dl = index.info["delta"]
    if dl.get("pairs_format") != DELTA_PAIRS_FORMAT or dl.get("df_format") != DELTA_DF_FORMAT:
        return None  # an older layout of delta/pairs (one file) or no df bounds: the full path rewrites them
    if dl.get("add_format") != ADD_FORMAT:
        return None  # one add layer rewritten whole (before runs): the full path starts the runs
    if any(dl["add_rows"][k] > ADD_MAX_SHARE * max(dl["base_rows"][k], 1) for k in KINDS):
        return None
    if (int(dl["pairs"]) >> int(dl["pair_bits"])) > 4 * DELTA_PART_PAIRS:
        return None  # the pairs outgrew their partitions: the full path partitions them anew
    rows = {"bands": 0, "anchors": 0, "sample": 0, "exact": 0}
    for f in files:
        md = _parquet_meta(f)
        rows["bands"] += md.num_rows * sig.BANDS
        rows["exact"] += md.num_rows
        for col in ("anchors", "sample"):
            rows[col] += _list_length_estimate(md, col)
    if any((rows[k] >> index.bits[k]) > 2 * PARTITION_ROWS for k in KINDS):
        return None
    background = _Background()
    try:
        return _fast_run(files, digests, index, Path(prev_state_dir), out, version, threads, background)
    except DedupeStateError:
        return None  # damaged or missing delta state: the full path (it raises on a damaged main index)
    finally:
        background.join_all()  # never left writing into a work folder the caller clears


def _write_night(
    save: Callable[..., None],
    files_out: dict[str, str],
    st: Any,
    index: _Index,
    dl: dict,
    dst_root: Path,
    mem: dict[str, dict],
    kept_files: dict[str, str],
    C: np.ndarray,
    lo_c: np.ndarray,
    hi_c: np.ndarray,
    rows_of: Callable[[str, np.ndarray], tuple[np.ndarray, np.ndarray]],
    newmem: np.ndarray,
    dk: np.ndarray,
) -> tuple[dict[str, int], list[dict], int]:
    """Tonight's LSM run of a fast call's next index, written through `save` (which records each file's
    digest in `files_out`, the caller's): the new files' doc-major keys, the new documents' holder rows
    (`newmem`, whose rows `rows_of` gathers from memory) and the df bounds of the shingles C whose df
    may have moved, merged with the runs of its level when that level is full (and so on up). Only the
    runs made or merged tonight are written, the older ones linked. Returns the delta's add_rows,
    add_runs and add_seq."""
    for d, m in mem.items():
        if f"files/{d}/bydoc-meta.npz" in kept_files:
            continue
        save(f"files/{d}/bydoc-sample.bin", m["sample"].astype(np.uint64))
        save(f"files/{d}/bydoc-anchors.bin", m["anchors"].astype(np.uint64))
        save(f"files/{d}/bydoc-minhash.bin", m["minhash"].astype(np.uint32))
        save(f"files/{d}/bydoc-meta.npz", soff=m["soff"], aoff=m["aoff"], **m["meta"])
    part_c = _partition_of(C, index.bits["sample"])
    night: dict[str, dict[str, np.ndarray]] = {}
    for p in np.unique(part_c).tolist():
        m = part_c == p
        night[f"df/{p:05d}"] = {"k": C[m].astype(np.uint64), "lo": lo_c[m].astype(np.uint32),
                                "hi": hi_c[m].astype(np.uint32)}  # fmt: skip
    del part_c
    add_rows = dict(dl["add_rows"])
    for kind in KINDS:
        nk, ng = rows_of(kind, newmem)
        part = _partition_of(nk, index.bits[kind])
        for p in np.unique(part).tolist():
            m = part == p
            o = _order(nk[m].astype(np.uint64))
            night[f"{kind}/{p:05d}"] = {"k": nk[m].astype(np.uint64)[o], "d": dk[ng[m]].astype(np.uint64)[o]}
        add_rows[kind] += len(nk)
    runs, seq = [dict(r) for r in dl["add_runs"]], int(dl["add_seq"])
    level, merged = 0, set()
    while True:  # tonight's run takes the place of every full level below the first that is not
        full = {r["id"] for r in runs if r["level"] == level}
        if len(full) + 1 < ADD_RUNS_PER_LEVEL:
            break
        merged |= full
        level += 1
    sources = [_run_files(st, str(r["id"])) for r in runs if r["id"] in merged]  # oldest first
    runs = [r for r in runs if r["id"] not in merged]
    seq += 1
    run_id = f"r{seq:06d}"
    runs.append({"id": run_id, "level": level})
    for name in sorted(set(night).union(*sources)):  # one partition in memory at a time
        parts = [{col: st.npy(rel) for col, rel in f[name].items()} for f in sources if name in f]
        cols = _merge_runs([*parts, night[name]] if name in night else parts, name.startswith("df/"))
        group, where = name.split("/")
        if group == "df":
            for col in ("k", "lo", "hi"):
                save(f"delta/df/{run_id}/{where}-{col}.npy", cols[col])
        else:
            save(f"delta/add/{run_id}/{group}-{where}-k.npy", cols["k"])
            save(f"delta/add/{run_id}/{group}-{where}-d.npy", cols["d"])
        del parts, cols
    del night
    prefixes = tuple(f"delta/{where}/{r['id']}/" for r in runs[:-1] for where in ("add", "df"))
    linked = [r for r in st.files if r.startswith(prefixes)]
    _link_files(index.root, dst_root, linked)
    files_out.update({r: st.files[r] for r in linked})
    save("delta/add-docs.npy", _sorted(np.r_[st.add_docs, dk[newmem]]))
    return add_rows, runs, seq


class _Background:
    """Helper threads for a call's file work that only its last phase needs, each a named job: linking
    the previous index's ~40 k unchanged files into the next one and taking their stamps (100k +1 %:
    ~1.3 s of syscalls, which release the GIL) runs while the pairs are measured instead of after them;
    tonight's LSM run of the index (`_write_night`) while the clusters are elected and the outputs
    written. The caller joins every job however the call ends (`join_all`): none is left writing into a
    work folder it clears."""

    def __init__(self) -> None:
        self._jobs: dict[str, tuple[threading.Thread, dict[str, Any]]] = {}

    def start(self, fn: Callable[[], Any], name: str = "kept") -> None:
        box: dict[str, Any] = {}

        def body() -> None:
            try:
                box["result"] = fn()
            except BaseException as exc:  # noqa: BLE001 - re-raised by join in the calling thread
                box["error"] = exc

        thread = threading.Thread(target=body, name=f"dedupe-background-{name}", daemon=True)
        self._jobs[name] = (thread, box)
        thread.start()

    def join(self, name: str = "kept", raise_error: bool = True) -> Any:
        job = self._jobs.get(name)
        if job is None:
            return None
        thread, box = job
        thread.join()
        if raise_error and "error" in box:
            raise box["error"]
        return box.get("result")

    def join_all(self) -> None:
        for name in list(self._jobs):
            self.join(name, raise_error=False)


class _Phases:
    """Seconds of a call's phases, for its stats (manifest.json `stages`, the step's `_done.json`):
    where a nightly run's dedupe time goes is read from any run, not from a profiler session.
    CPU is this process's (the cold path's Dask or process workers are in the wall figure only).
    Disk reads (`phase_read_mb`, Linux) are this process's reads that missed the page cache: a phase
    slower in the flow than replayed shows there whether it waited for the disk."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self.peak: dict[str, int] = {}
        self.read: dict[str, float] = {}
        self._name: str | None = None
        self._at = (time.process_time(), time.perf_counter(), _read_bytes())

    def __call__(self, name: str | None) -> None:
        """End the current phase and start `name` (None: only end it)."""
        now = (time.process_time(), time.perf_counter(), _read_bytes())
        if self._name is not None:
            self.cpu[self._name] = round(self.cpu.get(self._name, 0.0) + now[0] - self._at[0], 3)
            self.wall[self._name] = round(self.wall.get(self._name, 0.0) + now[1] - self._at[1], 3)
            if (hwm := _peak_mb()) is not None:
                self.peak[self._name] = hwm
            if now[2] is not None and self._at[2] is not None:
                self.read[self._name] = round(self.read.get(self._name, 0.0) + (now[2] - self._at[2]) / 2**20, 1)
        self._name, self._at = name, now

    def stats(self) -> dict[str, dict[str, Any]]:
        self(None)
        out: dict[str, dict[str, Any]] = {
            "phase_cpu_s": dict(self.cpu),
            "phase_wall_s": dict(self.wall),
            "phase_peak_mb": dict(self.peak),
        }
        if self.read:
            out["phase_read_mb"] = dict(self.read)
        return out


def _read_bytes() -> int | None:
    """Bytes this process has read from storage so far (/proc/self/io read_bytes; None elsewhere)."""
    try:
        with open("/proc/self/io", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("read_bytes:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _peak_mb() -> int | None:
    """This process's peak RSS so far (VmHWM, MiB; the pool resets it before each call), or None:
    each phase's figure says in which phase the call's peak was reached (the first that shows it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) >> 10
    except OSError:
        pass
    return None


def _fast_run(
    files, digests, index: _Index, prev: Path, out: Path, version: str, threads: int = 1, background: Any = None
) -> dict | None:
    phase = _Phases()
    phase("load")
    dl = index.info["delta"]
    old_inputs: list[str] = dl["inputs"]
    mem: dict[str, dict] = {}
    st = _FastState(index, mem, threads)
    D = index.load("delta/docs.npz")
    metas = []
    for f, d in zip(files, digests, strict=True):
        rel = f"files/{d}/bydoc-meta.npz"
        if rel in st.files:
            z = index.load(rel)
            metas.append({k: z[k] for k in _Meta.__dataclass_fields__})
        elif d in mem:
            metas.append(mem[d]["meta"])
        else:
            m, mem[d] = _read_new_file(f)
            mem[d]["meta"] = m
            metas.append(m)
    meta = _Meta(**{k: _cat([x[k] for x in metas], k) for k in _Meta.__dataclass_fields__})
    sizes = [len(x["dockey"]) for x in metas]
    base = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    n = int(base[-1])
    _check_unique_ids(meta.idhash, files)
    floc = np.repeat(np.arange(len(files)), sizes)
    frow = np.arange(n, dtype=np.int64) - base[floc]
    dk = meta.dockey

    phase("new and removed")
    # which documents are new, which are gone
    okeys = D["dockey"]
    if len(okeys) == 0:
        return None
    at = np.minimum(np.searchsorted(okeys, dk), max(len(okeys) - 1, 0))
    known = (okeys[at] == dk) if len(okeys) else np.zeros(n, bool)
    oi = np.where(known, at, -1)
    fresh = ~known
    new = np.flatnonzero(fresh)
    present = np.zeros(len(okeys), bool)
    present[oi[known]] = True
    removed = np.flatnonzero(~present)
    if len(new) + len(removed) > FAST_MAX_SHARE * max(n, 1):
        return None
    if len(removed) * float(meta.n_sample.mean() if n else 0) > FAST_STEP_ROWS:
        return None  # removed pages are gathered at once (their shingles' df, their anchors): a mass removal runs cold
    if any(digests[f] not in mem for f in np.unique(floc[new]).tolist()):
        return None  # a new document in a file the index knows: inconsistent state, full path
    kord = _order(dk)
    ksorted = dk[kord]

    def gid_of(keys: np.ndarray) -> np.ndarray:
        if n == 0:
            return np.full(len(keys), -1, np.int64)
        j = np.minimum(np.searchsorted(ksorted, keys), n - 1)
        return np.where(ksorted[j] == keys, kord[j], -1)

    def old_of(keys: np.ndarray) -> np.ndarray:
        if len(okeys) == 0:
            return np.full(len(keys), -1, np.int64)
        j = np.minimum(np.searchsorted(okeys, keys), len(okeys) - 1)
        return np.where(okeys[j] == keys, j, -1)

    def cur(what, gids):
        v, own = st.gather(what, digests, floc[gids], frow[gids])
        return v, gids[own]

    def gone(what, ridx):
        v, own = st.gather(what, old_inputs, D["floc"][ridx], D["row"][ridx])
        return v, ridx[own]

    st.bind(gid_of, old_of)
    # new documents whose rows are not in the tables yet (a re-added document's rows still are)
    in_tables = np.isin(dk[new], st.base_docs) | np.isin(dk[new], st.add_docs)
    newmem = new[~in_tables]

    def rows_of(kind, gids):
        """(key, gid) of these documents, each (key, document) once."""
        if kind == "exact":
            sel = gids[meta.fp_chars[gids] > 0]
            return meta.fp[sel], sel
        k, g = cur(kind, gids)
        return _unique_rows(k, g)

    def count_distinct(nkeys, rank, val):
        code = _sort_unique((rank.astype(np.int64) << 32) | val.astype(np.int64))
        return np.bincount(code >> 32, minlength=nkeys).astype(np.int64)

    phase("band candidates")
    # candidate pairs with a new document: shared band or fingerprint keys
    extra_codes, extra_src = [np.zeros(0, np.uint64)], [np.zeros(0, np.int8)]
    for kind in ("bands", "exact"):
        qk, _ = rows_of(kind, new)
        if len(qk) == 0:
            continue
        mk, mg = rows_of(kind, newmem)
        pairs = [np.zeros(0, np.uint64)]
        for _, r2, g2, _, _ in st.holder_chunks(kind, qk, mk, mg):
            pairs += [_sort_unique(c) for c in _pairs_touching(r2, g2, fresh[g2])]
        codes = _sort_unique(np.concatenate(pairs))
        extra_codes.append(codes)
        extra_src.append(np.ones(len(codes), np.int8))

    phase("anchor candidates")
    # anchors. The pre-filter's threshold depends on each document's own anchor count (fixed by its
    # key), so an anchor crossing ANCHOR_MAX_DF moves only the shared counts of pairs among its
    # holders. Anchors that became boilerplate (new holders): the previous anchor candidates among
    # their holders lose one shared anchor each (counts kept in the pair table); nothing else moves.
    # Anchors that became rare again (holders removed): their holders (X) get their anchor pairs
    # recounted in full, as do the new documents.
    # Holders are read a slice of keys at a time (HOLDER_ROWS).
    ak_n, ag_n = rows_of("anchors", new)
    ak_r, _ = gone("anchors", removed)
    mk_a, mg_a = rows_of("anchors", newmem)
    inX = fresh.copy()
    per_doc = np.zeros(n, np.int64)  # every distinct anchor of the document, rare or not
    per_doc[known] = D["per_doc"][oi[known]]
    per_doc[new] = np.bincount(ag_n, minlength=n)[new]

    def need_of(a, b):
        return np.maximum(sig.MIN_SHARED_ANCHORS, sig.MIN_ANCHOR_SHARE * np.minimum(per_doc[a], per_doc[b]))

    def eligible(a, b):
        """Pairs counted in full now: a new document, or both holding an anchor that became rare."""
        return fresh[a] | fresh[b] | (inX[a] & inX[b])

    us, cs = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
    held = [0]  # (pair, count) rows held for the recount

    def recount_pairs(r2: np.ndarray, g2: np.ndarray, us: list, cs: list) -> bool:
        """The shared rare anchors of the pairs touching X among one chunk of holders, into us, cs (False:
        too many pairs to recount in memory, the full path counts them out of core)."""
        rk = (np.bincount(r2)[r2] <= sig.ANCHOR_MAX_DF) if len(r2) else np.zeros(0, bool)  # rare anchors' rows
        for codes in _pairs_touching(r2[rk], g2[rk], inX[g2[rk]]):  # shared rare anchors per pair, by chunks
            a, b = (codes >> np.uint64(32)).astype(np.int64), (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
            u, c = np.unique(codes[eligible(a, b)], return_counts=True)  # pair-level test: all rows stay
            us.append(u)
            cs.append(c.astype(np.int64))
            held[0] += len(u)
            if held[0] > FAST_MAX_ANCHOR_CODES:
                return False
        return True

    # Without removed pages no anchor becomes rare again: X is the new pages, whose anchors' holders are
    # the chunks read just below, so their pairs are recounted from those chunks (one holder pass, not
    # two: 100k +1 %, session 28). An anchor turning rare anyway drops that count and recounts as below.
    fused = len(removed) == 0
    if fused and int(per_doc[new].sum()) > FAST_MAX_ANCHOR_CODES:
        return None
    common = [np.zeros(0, np.uint64)]  # anchors that became boilerplate
    # Without removals an anchor held by more than ANCHOR_MAX_DF previous documents was boilerplate and
    # stays so: it cannot cross, and no pair counts it. When the tables name only previous documents
    # their rows per key are that count (offsets, no row read), so such keys' holders are not read: a
    # new page's common phrases are held by a share of the corpus (5k +1 %: the phase grew with the
    # corpus while the new pages stayed 50).
    skip = sig.ANCHOR_MAX_DF if fused and st.only_previous() else 0
    for ck, hr, hg, rank, to in st.holder_chunks("anchors", np.r_[ak_n, ak_r], mk_a, mg_a, skip_above=skip):
        cnt_old = count_distinct(len(ck), rank[to >= 0], to[to >= 0])
        cnt_new = np.bincount(hr, minlength=len(ck))
        common.append(ck[(cnt_old <= sig.ANCHOR_MAX_DF) & (cnt_new > sig.ANCHOR_MAX_DF)])
        to_rare = (cnt_old > sig.ANCHOR_MAX_DF) & (cnt_new <= sig.ANCHOR_MAX_DF)
        if to_rare.any():
            inX[hg[to_rare[hr]]] = True
            fused = False
        if fused and not recount_pairs(hr, hg, us, cs):
            return None
    xs = np.flatnonzero(inX)
    if not fused:
        us, cs, held[0] = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)], 0
        if int(per_doc[xs].sum()) > FAST_MAX_ANCHOR_CODES:
            return None  # X's anchor rows alone are too many to hold (a removal): the full path
        k_all, _ = rows_of("anchors", xs)
        for _, r2, g2, _, _ in st.holder_chunks("anchors", k_all, mk_a, mg_a):
            if not recount_pairs(r2, g2, us, cs):
                return None
    u, c = np.concatenate(us), np.concatenate(cs)
    o = _order(u)
    u, c = u[o], c[o]
    if len(u):
        st_ = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
        u, c = u[st_], np.add.reduceat(c, st_)
    a, b = (u >> np.uint64(32)).astype(np.int64), (u & np.uint64(0xFFFFFFFF)).astype(np.int64)
    ok_anchor = c >= need_of(a, b)
    extra_codes.append(u[ok_anchor])
    extra_src.append(np.full(int(ok_anchor.sum()), 2, np.int8))
    extra_ac = [np.zeros(len(x), np.int64) for x in extra_codes[:-1]] + [c[ok_anchor]]
    # shared anchors that became boilerplate, per pair of their (old) holders: (pair, count), spilled to
    # disk by pair partition as they are made (`_Spill`) and summed per partition below. Held in memory
    # they were bounded by FAST_MAX_ANCHOR_CODES and the night took the full path past it: a speech
    # whose copies pass ANCHOR_MAX_DF makes every pair of its ~64 holders lose each shared anchor
    # (bench.bench_nights from 53.6 k documents of the 100k bench: every night, ~125 s against ~25 s).
    pbits = int(dl["pair_bits"])
    nparts = 1 << pbits
    lost = _Spill(out / ".work" / "fast-lost", nparts)
    for _, hr, hg, _, _ in st.holder_chunks("anchors", np.concatenate(common), mk_a, mg_a):
        for codes in _pairs_touching(hr, hg, np.ones(len(hr), bool)):
            a, b = (codes >> np.uint64(32)).astype(np.int64), (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
            uu, cc = np.unique(codes[~eligible(a, b)], return_counts=True)
            x, y = _split_codes(uu)
            lost.add(_delta_part(dk[x], dk[y], pbits), uu, cc.astype(np.int64))
    lost.flush()

    phase("candidate partitions")
    # past the last decline: the next index's unchanged files are linked meanwhile (see _Background)
    dst_root = out / ".work" / INDEX_DIR
    keep_prefixes = tuple(f"files/{d}/" for d in digests)
    kept_files = {
        rel: h
        for rel, h in st.files.items()
        if not rel.startswith(("delta/docs", "delta/pairs", "delta/add", "delta/df/r"))
        and (not rel.startswith("files/") or rel.startswith(keep_prefixes))
    }
    background = background or _Background()

    def link_kept() -> dict[str, Any]:
        _link_files(index.root, dst_root, kept_files)
        return _stamps(dst_root, kept_files)["files"]

    background.start(link_kept)
    # the candidate set, one pair partition at a time. delta/pairs/<p> holds the previous run's pairs
    # whose smaller document key falls in partition p (`_delta_part`); the new pairs and the moved
    # anchor counts (sized by the change) are split the same way. Per partition: the previous pairs of
    # documents still here (anchor counts moved by the anchors that became boilerplate; recounted
    # pairs take their new count) merged with the new ones, and the Jaccard of the pairs measured
    # now. Its arrays go to the work folder (fast-pairs/<p>/) and are read back by the later
    # pair-local phases: memory follows the partition, not the corpus's pair count.
    pdir = out / ".work" / "fast-pairs"
    pdir.mkdir(parents=True, exist_ok=True)

    def by_part(cs_: np.ndarray, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
        """Pair codes (and their columns) ordered by pair partition (stable: sorted codes stay
        sorted within one), with the bounds of each partition."""
        x, y = _split_codes(cs_)
        part = _delta_part(dk[x], dk[y], pbits)
        o = _order(part)
        return (np.searchsorted(part[o], np.arange(nparts + 1)), cs_[o], *[col[o] for col in cols])

    ebound, ec, es, ea = by_part(
        np.concatenate(extra_codes), np.concatenate(extra_src), np.concatenate(extra_ac).astype(np.int64)
    )
    moved = 0
    del extra_codes, extra_src, extra_ac, u, c, us, cs
    ua_l, ub_l, uoff = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [0]
    n_known = 0
    for p in range(nparts):
        P = index.load(f"delta/pairs/{p:05d}.npz")
        pa_, pb_ = gid_of(P["ka"]), gid_of(P["kb"])
        ok = (pa_ >= 0) & (pb_ >= 0)
        kept = None if ok.all() else ok
        a0, b0 = _taken(np.minimum(pa_, pb_), kept, None), _taken(np.maximum(pa_, pb_), kept, None)
        code0 = _pair_code(a0, b0)
        # the stored pairs are in the previous run's code order: while the documents keep their gids
        # (a night that only appends files) they come sorted, and the radix order and the gathers of
        # every stored column in it would be copies of the same arrays (~454 k pairs a night at 20k)
        o0 = None if _is_sorted(code0) else _order(code0)
        if o0 is not None:
            code0, a0, b0 = code0[o0], a0[o0], b0[o0]
        src0, ac0 = _taken(P["src"], kept, o0), _taken(P["ac"], kept, o0).astype(np.int64)
        lu_p, lc_p = lost.summed(p)
        moved += len(lu_p)
        jl = np.minimum(np.searchsorted(lu_p, code0), max(len(lu_p) - 1, 0))
        hit_l = (lu_p[jl] == code0) if len(lu_p) else np.zeros(len(code0), bool)
        ac0 = ac0 - np.where(hit_l, lc_p[jl] if len(lu_p) else 0, 0)
        full0 = eligible(a0, b0)
        keep_a = ((src0 & 2) != 0) & ~full0 & (ac0 >= need_of(a0, b0))
        src0 = ((src0 & 1) | (keep_a.astype(np.int8) << 1)).astype(np.int8)
        ac0 = np.where(keep_a, ac0, 0)
        pj, pn, pw = _taken(P["jac"], kept, o0), _taken(P["n"], kept, o0), _taken(P["w"], kept, o0)
        del P, pa_, pb_, ok, kept, o0, a0, b0, jl, hit_l, full0, keep_a  # per-pair arrays: held only while needed
        e0, e1 = int(ebound[p]), int(ebound[p + 1])
        allc = np.concatenate([code0, ec[e0:e1]])
        alls = np.concatenate([src0, es[e0:e1]])
        alla = np.concatenate([ac0, ea[e0:e1]])
        del src0, ac0
        o = _order(allc)
        allc, alls, alla = allc[o], alls[o], alla[o]
        if len(allc):
            starts = np.flatnonzero(np.r_[True, allc[1:] != allc[:-1]])
            src = np.bitwise_or.reduceat(alls, starts)
            acnt = np.maximum.reduceat(alla, starts)
            codes = allc[starts]
        else:
            src, codes, acnt = np.zeros(0, np.int8), np.zeros(0, np.uint64), np.zeros(0, np.int64)
        del allc, alls, alla, o
        acnt = acnt[src != 0]
        codes, src = codes[src != 0], src[src != 0]
        a, b = _split_codes(codes)
        j = np.minimum(np.searchsorted(code0, codes), max(len(code0) - 1, 0))
        kn = (code0[j] == codes) if len(code0) else np.zeros(len(codes), bool)
        jac = np.zeros(len(codes), np.float32)
        jac[kn] = pj[j[kn]]
        kn_n, kn_w = np.zeros(len(codes), np.int64), np.zeros(len(codes), np.int64)
        kn_n[kn], kn_w[kn] = pn[j[kn]], pw[j[kn]]  # stored shared count and weight of the known pairs
        del code0, j, pj, pn, pw
        un = np.flatnonzero(~kn)
        if len(un):  # MinHash Jaccard of the pairs measured now
            docs = np.unique(np.r_[a[un], b[un]])
            mh = st.minhash(digests, floc[docs], frow[docs])
            ia, ib = np.searchsorted(docs, a[un]), np.searchsorted(docs, b[un])
            match = (mh[ia] == mh[ib]).sum(axis=1).astype(np.int32)
            jac[un] = (match / sig.NUM_PERM).astype(np.float32)
            jac[un[(meta.fp_chars[a[un]] == 0) | (meta.fp_chars[b[un]] == 0)]] = 0.0
            del mh, docs
        # near-duplicate edges (pair-local), grouped below over every partition
        near = (jac >= sig.NEAR_GROUP_JACCARD) | ((meta.fp[a] == meta.fp[b]) & (meta.fp_chars[a] > 0))
        near |= _estimated_containment(jac, meta.n_sample[a], meta.n_sample[b]) >= sig.NEAR_GROUP_CONTAINMENT
        swap = meta.n_sample[a] > meta.n_sample[b]
        small, big = np.where(swap, b, a), np.where(swap, a, b)
        _save_bundle(pdir / f"{p:05d}", codes=codes, small=small, big=big, src=src, acnt=acnt, jac=jac, kn=kn,
                 kn_n=kn_n, kn_w=kn_w, near=near, un=un)  # fmt: skip
        ua_l.append(small[un])
        ub_l.append(big[un])
        uoff.append(uoff[-1] + len(un))
        n_known += int(kn.sum())
        del codes, small, big, src, acnt, jac, kn, kn_n, kn_w, near, a, b, swap
    del ec, es, ea
    lost.remove()

    def pair_files(stem: str, *cols: str):
        """The columns of every pair partition's working file, one partition at a time."""
        for p in range(nparts):
            with _Bundle(pdir / f"{stem}{p:05d}") as z:
                yield [z[col] for col in cols]

    def near_edges():
        for s_, b_, m_ in pair_files("", "small", "big", "near"):
            yield s_[m_], b_[m_]

    phase("near groups")
    # near-duplicate groups (components of the near edges, streamed), each keeping its name when it can
    # (`_stable_names`): a copy that joins its speech's group does not rename it
    glab = _components(n, near_edges)
    grp = _stable_names(glab, dk, known & (D["group"][np.maximum(oi, 0)] == dk))
    regrouped = np.flatnonzero(known & (grp != D["group"][np.maximum(oi, 0)]))

    phase("df changes")
    _trim()  # the call's peak is reached in this phase: what the phases before freed goes back to the OS first
    # df changes only for shingles of new, removed and regrouped documents (C). The state keeps per
    # sampled shingle bounds [lo, hi] on its df, exact after a full run and always inside one cell
    # of `_weight_of_df`'s grid, so its weight is known without reading its holders. A group name N
    # adds 1 to the df of s only if a new or regrouped document now named N holds s, and removes 1
    # only if a removed or regrouped document formerly named N holds s (its other members are the
    # same before and after): the bounds widen by those counts, taken from the changed documents'
    # own rows. Only the shingles whose widened bounds straddle a grid point are recounted from their
    # holders (a slice of keys at a time, HOLDER_ROWS rows): exact df again and, when the weight
    # moved, every holder's total moves by exact integers and the changed (document, shingle) rows
    # go to disk in blocks of about HOLDER_ROWS rows, each sorted by document, with the change per
    # shingle of C (`dw_c`): every pair partition then reads, block by block, only the rows of its
    # own documents.
    s_new, g_new = rows_of("sample", new)
    r_k, r_g = cur("sample", regrouped)
    x_k, x_r = gone("sample", removed)
    C = _sort_unique(np.concatenate([_sort_unique(x.astype(np.uint64)) for x in (s_new, r_k, x_k)]), runs=True)
    old_name = np.where(known, D["group"][np.maximum(oi, 0)], np.uint64(0))  # a known document's group before
    # A name N can add 1 to the df of s only if N held no holder of s before: a witness (a document named N
    # before that holds s) rules it out, and a name O can take 1 away only if no holder of s is named O now.
    # A near copy joining its speech's group (most new pages of a nightly run) is witnessed by the copies
    # already there: its shingles' bounds no longer widen, and far fewer are recounted from their holders.
    up = _unwitnessed_names(C, [(s_new, grp[g_new]), (r_k, grp[r_g])], known, old_name, cur, meta.n_sample)
    del old_name
    down_rows = [(x_k, D["group"][x_r]), (r_k, D["group"][oi[r_g]])]
    del r_k, r_g, x_k, x_r
    down = _unwitnessed_names(C, down_rows, np.ones(n, bool), grp, cur, meta.n_sample)
    del down_rows
    lo_c, hi_c = st.df_bounds(C)
    w_old = _weight_of_df(hi_c)  # = the weight at lo_c: bounds stay inside one grid cell
    lo_c, hi_c = np.maximum(lo_c - down, 0), hi_c + up
    w_c = _weight_of_df(hi_c)  # the weight of each shingle of C now (recounted ones below)
    recount = w_c != _weight_of_df(lo_c)
    del up, down
    total = np.zeros(n, np.int64)
    total[known] = D["total"][oi[known]]
    # the new documents not in the tables yet: their rows are some of the new ones' (sorted, distinct)
    in_mem = np.zeros(n, bool)
    in_mem[newmem] = True
    mk_s, mg_s = (s_new, g_new) if len(newmem) == len(new) else (s_new[in_mem[g_new]], g_new[in_mem[g_new]])
    del in_mem
    dw_c = np.zeros(len(C), np.int64)  # weight change of each shingle of C
    w_changed = [0, 0]  # shingles of C whose weight moved, and their (holder, shingle) rows
    blocks: list[Path] = []  # files of changed rows (gid << 32 | position in C), each sorted
    buffered: list[np.ndarray] = []

    def flush_changed() -> None:
        if buffered:
            path = pdir / f"changed-{len(blocks):05d}.npy"
            np.save(path, _sorted(np.concatenate(buffered)))
            blocks.append(path)
            buffered.clear()

    # chunks made ahead in the call's second thread: their holder reads (~3 GB at 100k when the
    # state is not in the page cache) overlap the counting. Session 25 left this loop unthreaded for
    # memory (711 -> 848 MB); since then the call peaks lower, and replayed at 100k +1 %
    # (bench_dedupe_plus --threads 2 --evict, alternated) the phase took 5.5-6.3 -> 4.9-5.7 s, the
    # call 23.0-23.8 -> 20.9-22.2 s, peak 662-671 -> 661-684 MB (warm cache: 3.7 -> 3.4 s, 664 -> 704 MB)
    for ck, hr, hg, _, _ in st.holder_chunks("sample", C[recount], mk_s, mg_s, ahead=True):
        ci = np.searchsorted(C, ck)
        df_new = count_distinct(len(ck), hr, glab[hg])
        lo_c[ci], hi_c[ci] = df_new, df_new
        w_c[ci] = _weight_of_df(df_new)
        dw = w_c[ci] - w_old[ci]
        dw_c[ci] = dw
        chg = dw[hr] != 0  # known pairs: their shared weight moves by the change of the shingles both hold
        w_changed[0] += int((dw != 0).sum())
        w_changed[1] += int(chg.sum())
        ko = chg & known[hg]  # known documents' totals move by the change (new ones are summed below)
        total += np.rint(np.bincount(hg[ko], weights=dw[hr[ko]], minlength=n)).astype(np.int64)
        if chg.any() and n_known:
            buffered.append((hg[chg] << 32) | ci[hr[chg]])
            if sum(len(x) for x in buffered) >= HOLDER_ROWS:  # a block is bounded like a slice
                flush_changed()
        del hr, hg
    flush_changed()
    df_recount, df_keys = int(recount.sum()), len(C)
    del w_old, recount, mk_s, mg_s
    # new documents' totals: every shingle they hold is in C (float64 bincount of integers < 2^53 is exact)
    w_new = w_c[np.searchsorted(C, s_new)]  # searched in key order: each search starts where the last ended
    total += np.rint(np.bincount(g_new, weights=w_new, minlength=n)).astype(np.int64)
    # the same rows and weights document by document (a document's keys ascending, as a gather returns
    # them): the measured pairs take a new document's weights from here. Searching its gathered rows in C
    # batch by batch (rows in document order, so every search starts over in ~7 MB of C at 20k) was ~4 %
    # of a 20k night's call (py-spy; the same search in key order above costs a quarter of it).
    by_doc = _order(g_new.astype(np.uint64))
    new_keys, new_w = s_new[by_doc], w_new[by_doc]
    new_off = np.r_[0, np.cumsum(np.bincount(g_new, minlength=n))].astype(np.int64)
    del s_new, g_new, w_new, by_doc

    files_out: dict[str, str] = {}  # the next index's files written by this call -> their digests

    def save(rel: str, *array: np.ndarray, **arrays: Any) -> None:
        data = _encode(rel, array, arrays)
        (dst_root / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst_root / rel).unlink(missing_ok=True)  # never write through a hard link to the old state
        (dst_root / rel).write_bytes(data)
        files_out[rel] = xxhash.xxh3_128_hexdigest(data)

    phase("measured pairs")
    # pairs measured now (a new document, or an old pair new as a candidate): shared weight and
    # count over every shingle both hold, from their own rows; weights of C from above, of the
    # other shingles from their (unchanged) bounds. Pairs go in batches whose two documents hold
    # about 4 x HOLDER_ROWS rows in all (grouped by their new document: its partners, copies of one
    # speech, are gathered once a batch), so memory follows the batch, not every partner's rows at
    # once. Each document's rows come sorted and distinct from the doc-major files, so a pair is
    # measured by searching the partner's rows in its new document's own keys (`_shared_by_doc`):
    # no sort of the batch's rows (session 11: 3.6 of the 20k +1 % call's 8.5 CPU-s went to sorting
    # ~27 M gathered rows twice and expanding them).
    ua, ub = np.concatenate(ua_l), np.concatenate(ub_l)
    del ua_l, ub_l
    uw, un_n = np.zeros(len(ua), np.int64), np.zeros(len(ua), np.int64)
    mark = np.zeros(n, bool)
    ux = np.where(fresh[ua], ua, ub)  # the side whose keys are searched: the new document (else a)
    uy = np.where(fresh[ua], ub, ua)
    by_new = _order(ux)
    cum = np.cumsum(meta.n_sample[ua[by_new]].astype(np.int64) + meta.n_sample[ub[by_new]])

    def gathered(
        by_new: np.ndarray, cum: np.ndarray, ux: np.ndarray, uy: np.ndarray
    ) -> Iterator[tuple[np.ndarray, ...]]:
        """Each batch's pairs and its documents' rows; made ahead in a second thread when the call
        has two (`_ahead`): the gathers fault pages in from the doc-major files while the batch
        before is measured."""
        s0 = 0
        while s0 < len(by_new):
            e0 = max(s0 + 1, int(np.searchsorted(cum, (cum[s0 - 1] if s0 else 0) + 4 * HOLDER_ROWS, side="right")))
            bi = by_new[s0:e0]
            bx, by = ux[bi], uy[bi]
            docs = np.unique(np.r_[bx, by])
            vals, own = st.gather("sample", digests, floc[docs], frow[docs])
            st.release()  # the partners' pages of this batch (its rows are copied)
            yield bi, bx, by, docs, vals, own
            s0 = e0

    for bi, bx, by, docs, vals, own in _ahead(gathered(by_new, cum, ux, uy), st.threads > 1):
        length = np.bincount(own, minlength=len(docs)).astype(np.int64)
        start = np.zeros(len(docs), np.int64)
        first = np.flatnonzero(np.r_[True, own[1:] != own[:-1]]) if len(own) else np.zeros(0, np.int64)
        start[own[first]] = first  # a gather returns each document's rows in one run
        lx, ly = np.searchsorted(docs, bx), np.searchsorted(docs, by)
        xd = np.unique(lx)
        w_rows = np.zeros(len(vals), np.int64)
        gx = docs[xd]
        kept = fresh[gx] & (length[xd] == new_off[gx + 1] - new_off[gx])  # new: weights from new_w
        xr_n = _ranges(start[xd[kept]], start[xd[kept]] + length[xd[kept]])
        src = _ranges(new_off[gx[kept]], new_off[gx[kept] + 1])
        if np.array_equal(vals[xr_n], new_keys[src]):  # the same keys in the same order (always, as gathered)
            w_rows[xr_n] = new_w[src]
            xd = xd[~kept]
        del gx, kept, xr_n, src
        xr = _ranges(start[xd], start[xd] + length[xd])  # the rows whose weight a pair can add
        kx = vals[xr]
        at_c = np.minimum(np.searchsorted(C, kx), max(len(C) - 1, 0))
        in_c = (C[at_c] == kx) if len(C) else np.zeros(len(kx), bool)
        wx = np.zeros(len(kx), np.int64)
        wx[in_c] = w_c[at_c[in_c]]
        if not in_c.all():  # an old pair new as a candidate: shingles outside C keep their bound's weight
            out_c = kx[~in_c]
            ek = _sort_unique(out_c)
            wx[~in_c] = _weight_of_df(st.df_bounds(ek)[1])[np.searchsorted(ek, out_c)]
            del out_c, ek
        w_rows[xr] = wx
        del kx, at_c, in_c, wx, xr, own, first
        uw[bi], un_n[bi] = _shared_by_doc(vals, start, length, w_rows, lx, ly)
        del vals, w_rows, start, length
    del ux, uy, by_new, cum, new_keys, new_w, new_off

    phase("known pair deltas")

    # per pair partition: the known pairs' shared weights moved by the changed rows of their
    # documents (block by block), the measured ones taken from above, verdicts; the one-way pairs
    # reduced to each smaller document's best container as the partitions go (a total order: the
    # reduction of a union is the reduction of the partial reductions)
    def part_deltas(
        p: int, dw_c: np.ndarray = dw_c, uw: np.ndarray = uw, un_n: np.ndarray = un_n, mark: np.ndarray = mark
    ) -> tuple[np.ndarray, int]:
        """One pair partition's deltas, verdicts and files; its one-way pairs reduced (4 x rows)."""
        with _Bundle(pdir / f"{p:05d}") as bundle:
            codes, small, big, src, acnt, jac, kn, kn_n, kn_w, un = (
                bundle[k] for k in ("codes", "small", "big", "src", "acnt", "jac", "kn", "kn_n", "kn_w", "un")
            )
        kni = np.flatnonzero(kn)
        # by the smaller gid, in code order: `pair_deltas` marks a document's rows once for its run of pairs
        ks_, kb_ = np.minimum(small[kni], big[kni]).astype(np.int64), np.maximum(small[kni], big[kni]).astype(np.int64)
        delta = np.zeros(len(kni), np.int64)
        scratch = mark if st.threads == 1 else np.zeros(n, bool)  # the numpy fallback's marks, one set a thread
        # every partition scans every block: mapped, not copied (100k +1 %: ~113 MB of blocks, 16 times)
        for path in blocks if len(kni) else []:
            _block_deltas(np.load(path, mmap_mode="r"), dw_c, ks_, kb_, delta, scratch)
        iw, inn = kn_w, kn_n
        iw[kni] += delta
        iw[un], inn[un] = uw[uoff[p] : uoff[p + 1]], un_n[uoff[p] : uoff[p + 1]]
        del ks_, kb_, delta, kni, kn_w, kn_n
        keep, mutual, cont = _verdicts(meta, small, big, jac, iw, total)
        ow = keep & ~mutual
        rows = _best_partner(np.stack([small[ow], big[ow], cont[ow], jac[ow]]), meta)
        _save_bundle(pdir / f"v{p:05d}", codes=codes, small=small, big=big, jac=jac, inn=inn, keep=keep,
                 mutual=mutual, cont=cont, src=src)  # fmt: skip
        a, b = _split_codes(codes)
        save(f"delta/pairs/{p:05d}.npz", ka=dk[a], kb=dk[b], jac=jac, n=inn, w=iw, src=src.astype(np.int8),
             ac=acnt.astype(np.int32))  # fmt: skip
        shutil.rmtree(pdir / f"{p:05d}")
        return rows, len(codes)

    # partitions two at a time when the call has two threads (`pair_deltas` is compiled and lets go of
    # the GIL): the reduction of the one-way pairs is a total order, so its partial reductions may come
    # from either thread; results are taken in partition order all the same
    ow_rows = np.zeros((4, 0))
    n_pairs = 0
    with ThreadPoolExecutor(max_workers=min(st.threads, 2)) if st.threads > 1 else contextlib.nullcontext() as ex:
        results = ex.map(part_deltas, range(nparts)) if ex is not None else map(part_deltas, range(nparts))
        for rows, count in results:
            ow_rows = _best_partner(np.concatenate([ow_rows, rows], axis=1), meta)
            n_pairs += count
    if st.threads > 1:
        _trim()  # the second thread's heap arena
    for path in blocks:
        path.unlink()
    del dw_c, ua, ub, uw, un_n, mark

    phase("election")
    # Tonight's LSM run of the index (the df bounds of C, the new documents' holder rows, merged with the
    # runs of its level when that level is full) and the new files' doc-major keys: only the next run reads
    # them, and nothing from here on changes them, so a helper thread writes them while the clusters are
    # elected and the outputs written (one core's work, NumPy and Arrow) instead of after the outputs, on
    # the flow's critical path (100k +1 %: ~1,400 files at ~1 ms a creation here, ~3 s; session 38).
    # Not earlier: beside the two threads of the measured pairs and known pair deltas it slowed them by
    # as much as it saved. The new documents' rows are in memory (`mem`), so its gathers map no file.
    background.start(
        functools.partial(
            _write_night, save, files_out, st, index, dl, dst_root, mem, kept_files, C, lo_c, hi_c, rows_of, newmem, dk
        ),
        name="night",
    )
    del lo_c, hi_c
    # best containers, components of the accepted edges (streamed from the partitions), election
    best_one_way = _best_containers(ow_rows, meta)
    del ow_rows

    def accepted_edges():
        for s_, b_, k_, m_ in pair_files("v", "small", "big", "keep", "mutual"):
            e = k_ & m_
            yield s_[e], b_[e]
        yield best_one_way[0], best_one_way[1]

    comp = _components(n, accepted_edges)
    canon, size, cluster_hash = _elect(meta, comp, best_one_way)
    members = np.flatnonzero(canon != np.arange(n))
    cn = canon[members]
    q = _pair_code(np.minimum(members, cn), np.maximum(members, cn))
    ev_j = np.zeros(len(members), np.float32)
    ev_n = np.zeros(len(members), np.int64)
    hit = np.zeros(len(members), bool)
    # per partition: the (member, canonical) pairs that are candidates, and each member's best
    # accepted partner (reduced as the partitions go, like the best containers)
    qpart = _delta_part(dk[members], dk[cn], pbits)
    bo = _pair_code(best_one_way[0], best_one_way[1])
    found = np.zeros((4, 0))
    n_bands = n_anchors = 0
    for p, (codes, small, big, jac, inn, keep, mutual, cont, src) in enumerate(
        pair_files("v", "codes", "small", "big", "jac", "inn", "keep", "mutual", "cont", "src")
    ):
        sel = np.flatnonzero(qpart == p)
        if len(sel) and len(codes):
            jj = np.minimum(np.searchsorted(codes, q[sel]), len(codes) - 1)
            h = codes[jj] == q[sel]
            hit[sel[h]] = True
            ev_j[sel[h]], ev_n[sel[h]] = jac[jj[h]], inn[jj[h]]
        # accepted: mutual kept pairs, and the one-way kept pairs that are their small side's best
        # container (only those few are looked up in bo: an isin over every pair of the partition
        # was ~35 ms a partition at 20k)
        acc = keep & mutual
        one_way = np.flatnonzero(keep & ~mutual)
        acc[one_way[np.isin(_pair_code(small[one_way], big[one_way]), bo)]] = True
        cj = np.tile(np.stack([cont[acc], jac[acc]]), 2)
        rows4 = np.stack([np.r_[small[acc], big[acc]], np.r_[big[acc], small[acc]], cj[0], cj[1]]).astype(np.float64)
        found = _best_partner(np.concatenate([found, rows4], axis=1), meta)
        n_bands += int(((src & 1) != 0).sum())
        n_anchors += int(((src & 2) != 0).sum())
    shutil.rmtree(pdir, ignore_errors=True)
    mo = oi[members]
    same = ~hit & (mo >= 0)
    same[same] = (D["canon"][mo[same]] == dk[cn[same]]) & (D["reason"][mo[same]] >= 0)
    ev_j[same], ev_n[same] = D["ev_j"][mo[same]], D["ev_n"][mo[same]]
    todo = np.flatnonzero(~hit & ~same)
    if len(todo):  # (member, canonical) pairs never measured: MinHash and plain shared count
        x, y = members[todo], cn[todo]
        docs = np.unique(np.r_[x, y])
        mh = st.minhash(digests, floc[docs], frow[docs])
        match = (mh[np.searchsorted(docs, x)] == mh[np.searchsorted(docs, y)]).sum(axis=1).astype(np.int32)
        ev_j[todo] = (match / sig.NUM_PERM).astype(np.float32)
        ev_j[todo[(meta.fp_chars[x] == 0) | (meta.fp_chars[y] == 0)]] = 0.0
        sk, sg = cur("sample", docs)
        kr = np.unique(sk, return_inverse=True)[1]
        code_e = _sort_unique((sg.astype(np.int64) << 32) | kr)
        ev_n[todo] = _expand(code_e, np.ones(len(code_e), np.int64), x, y, SHARED_BATCH)[1]
    reason, dup_j, dup_c = _reasons(meta, members, cn, ev_j, ev_n)
    best = np.full(len(members), -1, np.int64)
    fx = found[0].astype(np.int64)
    fa = np.searchsorted(members, fx)
    fh = fa < len(members)
    fh[fh] = members[fa[fh]] == fx[fh]
    best[fa[fh]] = found[1][fh].astype(np.int64)
    matched = np.where(best >= 0, best, cn)

    # per-document output rows: which changed since the previous run
    t_reason = np.full(n, -1, np.int8)
    t_j, t_c = np.zeros(n, np.float32), np.zeros(n, np.float32)
    t_m, t_ej, t_en = np.zeros(n, np.uint64), np.zeros(n, np.float32), np.zeros(n, np.int64)
    t_reason[members], t_j[members], t_c[members] = reason, dup_j, dup_c
    t_m[members], t_ej[members], t_en[members] = dk[matched], ev_j, ev_n
    mine = {"chash": cluster_hash, "canon": dk[canon], "multi": size > 1, "reason": t_reason, "dup_j": t_j,
            "dup_c": t_c, "matched": t_m}  # fmt: skip
    changed = fresh.copy()
    for k, v in mine.items():
        changed[known] |= D[k][oi[known]] != v[known]

    phase("outputs")
    # outputs: unchanged parts linked from the previous run, the others written
    plan = _Plan(out / ".work", list(files), base, dict(index.bits))
    old_pos = {d: i for i, d in enumerate(old_inputs)}
    rewrite = [i for i in range(len(files)) if digests[i] not in old_pos or changed[base[i] : base[i + 1]].any()]
    dup_src = np.flatnonzero(changed & (size > 1))
    want_g = np.unique(np.r_[members[np.isin(floc[members], rewrite)], members[np.isin(members, dup_src)]])
    at_m = np.searchsorted(members, want_g)
    want = np.unique(np.r_[cn[at_m], matched[at_m]])
    # the doc_ids of the files whose parts or duplicates rows are written below, kept from the name lookup
    # when it reads them too (each file's column read once: a +1 % night rewrites every part, and the lookup
    # read every file's column as well; 5k replay: 19 -> 10 reads). Per document, like the arrays above
    # (~50 bytes a doc_id), and each is dropped once its part is written.
    extra = sorted(set(np.unique(floc[dup_src]).tolist()) - set(rewrite))
    kept_ids: dict[int, pa.Array | None] = dict.fromkeys([*rewrite, *extra])
    names = _resolve_names(plan, want, keep=kept_ids)

    def name_of(g):
        return pc.take(names, pa.array(np.searchsorted(want, g)))

    def ids_of(i: int) -> pa.Array:
        ids = kept_ids.pop(i, None)
        return ids if ids is not None else _read_signature_file(files[i], ["doc_id"]).column("doc_id").combine_chunks()

    (out / "assignments").mkdir(parents=True, exist_ok=True)
    new_dups = []
    args = (members, cluster_hash, cn, matched, reason, dup_j, dup_c, size, name_of)
    for i in range(len(files)):
        lo, hi = int(base[i]), int(base[i + 1])
        dst = out / "assignments" / f"{i:05d}.parquet"
        if i not in rewrite:
            src_part = prev / "outputs" / "assignments" / f"{old_pos[digests[i]]:05d}.parquet"
            if not src_part.exists():
                raise DedupeStateError(f"dedupe state output {src_part} is missing")
            _link_or_copy(src_part, dst)
            continue
        table, d, _ = _part_tables(ids_of(i), lo, hi, *args)
        _write(table, dst)
        if d is not None:
            d = d.filter(pa.array(changed[lo:hi][size[lo:hi] > 1]))
            new_dups.append(d.cast(DUPLICATES))
    for i in extra:
        lo, hi = int(base[i]), int(base[i + 1])
        _, d, _ = _part_tables(ids_of(i), lo, hi, *args)
        if d is not None:  # the file holds a changed document of a cluster of 2+ (dup_src)
            new_dups.append(d.filter(pa.array(changed[lo:hi][size[lo:hi] > 1])).cast(DUPLICATES))
    try:
        old_dups = _read_parquet(prev / "outputs" / "duplicates.parquet")
    except Exception as exc:
        raise DedupeStateError(f"dedupe state {prev} is damaged ({exc})") from exc
    gone_ids = np.r_[meta.idhash[changed], D["idhash"][removed]]
    kept = old_dups.filter(pa.array(~np.isin(_id_hashes(old_dups.column("doc_id").combine_chunks()), gone_ids)))
    dups = pa.concat_tables([kept.cast(DUPLICATES), *new_dups])
    part = _dup_parts(dups.column("cluster_id"))
    _write_duplicate_parts(
        (dups.filter(pa.array(part == p)) for p in range(DUP_PARTS) if (part == p).any()), out / "duplicates.parquet"
    )

    phase("next state")
    # the next run's state: per-document arrays rewritten (the pair partitions are written above),
    # new documents' keys added to the add layer of their partitions only, new files' doc-major keys
    kept_stamps = background.join()  # the unchanged files, linked since "candidate partitions"
    files_out.update(kept_files)
    add_rows, runs, seq = background.join("night")  # tonight's run, written since the df changes
    order = _order(dk)
    docs_out = {
        "dockey": dk,
        "idhash": meta.idhash,
        "group": grp,
        "total": total,
        "per_doc": per_doc,
        "floc": floc.astype(np.int32),
        "row": frow,
        "ev_j": t_ej,
        "ev_n": t_en,
        **mine,
    }
    save("delta/docs.npz", **{k: v[order] for k, v in docs_out.items()})
    info = {
        **{k: v for k, v in index.info.items() if k not in ("files", "delta")},
        "files": files_out,
        "delta": {
            "inputs": list(digests),
            "base_rows": dl["base_rows"],
            "add_rows": add_rows,
            "add_runs": runs,
            "add_seq": seq,
            "add_format": ADD_FORMAT,
            "pairs_format": DELTA_PAIRS_FORMAT,
            "pair_bits": pbits,
            "pairs": n_pairs,
            "df_format": DELTA_DF_FORMAT,
        },
    }
    info["stamps"] = _stamps(dst_root, (rel for rel in files_out if rel not in kept_stamps))
    info["stamps"]["files"].update(kept_stamps)
    (dst_root / "index.json").write_text(json.dumps(info, sort_keys=True) + "\n")  # compact: see _write_index

    sizes_c = Counter(np.bincount(comp, minlength=n)[np.unique(comp)].tolist()) if n else Counter()
    return {
        "_clusters": {"hash": cluster_hash, "multi": size > 1, "base": base},  # for cluster_corpus's caller
        **phase.stats(),
        "docs": n,
        "clusters": int(sum(sizes_c.values())),
        "duplicates": len(members),
        "duplicate_reasons": {r: int(c) for r, c in zip(REASONS, np.bincount(reason, minlength=4), strict=True) if c},
        "cluster_sizes": {str(k): int(v) for k, v in sorted(sizes_c.items())},
        "reexamined_docs": int(fresh.sum()),
        "reexamined_clusters": len(np.unique(comp[fresh])),
        "reused_files": sum(1 for d in digests if d not in mem),
        "reverified_pairs": int(uoff[-1]),
        "candidates_bands": n_bands,
        "candidates_exact": 0,
        "candidates_anchors": n_anchors,
        "pair_partitions": nparts,
        "fast_path": True,
        "partitions_read": {k: int(st.reads[k]) for k in KINDS},
        "holder_rows_skipped": int(st.skipped_rows["anchors"]),  # boilerplate anchors' rows not read
        "state_bytes_hashed": st.hashed,  # state files checked by their digest (the others: by their stamp)
        "state_files_trusted": st.trusted,
        "rewritten_parts": len(rewrite),
        "regrouped_docs": len(regrouped),
        "anchor_recount_docs": len(xs),  # new documents + holders of anchors that became rare again
        "anchor_moved_pairs": moved,  # pairs whose shared anchors became boilerplate (count moved)
        "df_keys": df_keys,  # sampled shingles whose df may have moved (held by new/removed/regrouped docs)
        "df_recount_keys": df_recount,  # of them, those whose df bounds straddled a grid point: holders read
        "weight_changed_keys": w_changed[0],  # of them, those whose (quantized) weight moved
        "weight_changed_rows": w_changed[1],  # their (holder, shingle) rows: the known pairs' delta work
    }


# ----------------------------------------------------------------------------- stage runner


def cluster_shards(inputs: dict, out_dir: str, prev_state: str | None = None, threads: int = 1) -> dict:
    """Global step: every signed document clustered (out of core), one assignments part per shard
    (each shard's export reads only its own), the duplicates table, and the index for next run.

    `threads`: the cold call's partitions at once (tasks.stages.previous_dedupe_index gives the
    pool's size, up to MAX_THREADS). The call is the flow's critical path: every later stage reads
    its assignments, and a cold run's other worker sat idle for its last ~13 s (20k, session 24)."""
    import hashlib

    sig_files = [str(Path(d) / "signatures.parquet") for d in inputs["signatures"]]
    clusters: dict[str, np.ndarray] = {}
    stats = cluster_corpus(sig_files, prev_state, out_dir, workers=max(1, threads), clusters=clusters)
    copied_of = _copied_clusters(clusters, Path(out_dir), len(sig_files))
    parts, shared_parts = {}, {}
    (Path(out_dir) / SHARED_DIR).mkdir(exist_ok=True)
    for i in range(len(sig_files)):
        part = Path(out_dir) / "assignments" / f"{i:05d}.parquet"
        parts[str(i)] = hashlib.sha256(part.read_bytes()).hexdigest()[:16]
        copied = copied_of(i)
        # the shard's clusters that have copies (elsewhere too): what its repair inputs depend on,
        # and what its members step reads instead of the whole duplicates table (O(corpus) a call)
        shared_parts[str(i)] = hashlib.sha256("\n".join(copied).encode()).hexdigest()[:16]
        pq.write_table(
            pa.table({"cluster_id": pa.array(copied, pa.string())}, schema=SHARED_CLUSTERS),
            Path(out_dir) / SHARED_DIR / f"{i:05d}.parquet",
            compression="none",
        )
    # False: tasks/_kernels.pyx was not built (no C compiler at install): same output, slower
    return {**stats, "compiled_kernels": _kernels is not None, "part_digests": parts, "shared_digests": shared_parts}


def _copied_clusters(clusters: dict[str, np.ndarray], out: Path, n_files: int) -> Callable[[int], list[str]]:
    """Per input file: the sorted ids of its clusters that have copies (a row in duplicates.parquet).
    From the call's own arrays when it made them (a cluster has rows there iff it holds 2+
    documents; ids are fixed-width hex, so numeric order is their string order); from the tables
    when the outputs were reused. Why: reading them back cost 25 assignments parts and the
    duplicates table a night, ~0.05 CPU-s at 20k warm (session 56)."""
    if clusters:
        h, base = clusters["hash"], clusters["base"]
        with_copies = _sort_unique(h[clusters["multi"]])

        def from_arrays(i: int) -> list[str]:
            mine = _sort_unique(h[int(base[i]) : int(base[i + 1])])
            return [f"{x:016x}" for x in mine[np.isin(mine, with_copies, assume_unique=True)].tolist()]

        return from_arrays
    shared = pc.unique(_read_parquet(out / "duplicates.parquet", columns=["cluster_id"]).column("cluster_id"))

    def from_tables(i: int) -> list[str]:
        part = out / "assignments" / f"{i:05d}.parquet"
        mine = pc.unique(_read_parquet(part, columns=["cluster_id"]).column("cluster_id"))
        return sorted(mine.filter(pc.is_in(mine, value_set=shared)).to_pylist())

    return from_tables


INDEX_POINTER = "dedupe-state.json"
SHARED_DIR = "shared"  # per shard: its clusters that have copies (schema.SHARED_CLUSTERS), read by its members step


def previous_index(state_dir: str, rebuild: bool) -> str | None:
    """The index the last published run left (none on --rebuild). Only a shortcut: the clusters
    depend on the signatures alone, so the step's cache key never includes it."""
    pointer = Path(state_dir) / INDEX_POINTER
    if rebuild or not pointer.exists():
        return None
    index = json.loads(pointer.read_text(encoding="utf-8")).get("state_dir")
    return index if index and Path(index).exists() else None


def remember_index(state_dir: str, index_dir: str) -> None:
    """After publishing: the next run starts from this index."""
    from tasks.common import write_json

    write_json({"state_dir": index_dir}, Path(state_dir) / INDEX_POINTER)

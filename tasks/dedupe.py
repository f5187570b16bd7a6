"""Deduplication: find every copy of a speech and never merge two different speeches.

Two steps, shaped like the Dask plan in docs/dedupe.md:

1. `shard_signatures` (per shard, parallel): fingerprint text -> exact hash, MinHash (rensa) and
   LSH band hashes over character 5-shingles, a 1-in-4 consistent sample of shingle hashes
   (for containment), and winnowed anchor hashes (to find truncated copies LSH cannot).
2. `cluster_documents` (global): only reads signature tables and the previous state. Band and
   anchor tables are grouped on (key, hash) to get candidate pairs, pairs are deduplicated,
   verified on exact sampled-shingle overlap with boilerplate discounted by document frequency,
   and joined by union-find. The state (docs registry, band/anchor tables, shingle document
   frequencies) is Parquet, so a later run only signs its new documents.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import rensa
import xxhash

from tasks.schema import DOCUMENTS, DUPLICATES
from tasks.vocab import SPIN_PAIRS as _SPIN_PAIRS  # spun form -> original (开展 -> 发展 …)
from tasks.vocab import TRUNCATION_NOTICE_RE as _TRUNCATION

DEDUPE_VERSION = "dedupe-1"

# --- parameters (changing any of them changes output: bump DEDUPE_VERSION) -----------------
SHINGLE = 5  # characters per shingle: 2-char word swaps touch 6 shingles, not the whole text
NUM_PERM = 128  # MinHash permutations
BANDS = 32  # LSH bands x rows = NUM_PERM; threshold ~ (1/32)^(1/4) ~ 0.42
ROWS = NUM_PERM // BANDS
MINHASH_SEED = 1729
SAMPLE_MOD = 4  # keep shingle hashes with h % 4 == 0: consistent across documents
WINDOW = 24  # winnowing window: every shared run of 28+ characters shares an anchor
MIN_SHARED_ANCHORS = 2  # candidate pair from anchors needs two shared rare anchors
MIN_ANCHOR_SHARE = 0.3  # ... and 30 % of the smaller one's rare anchors: a cheap overlap pre-filter
ANCHOR_MAX_DF = 64  # anchors in more documents than this are boilerplate, not evidence
BOILER_MIN_DF = 4  # a shingle is boilerplate when its df exceeds max(4, BOILER_FACTOR * q25)
BOILER_FACTOR = 3.0
NEAR_JACCARD = 0.8  # reason 'near': Jaccard with the canonical this high, or containment both ways
MIN_CONTAINMENT = 0.8  # merge when the smaller copy's rare shingles are this much in the larger
MIN_WEIGHT = 8.0  # ... and it has at least this much rare-shingle weight (about 32 rare characters)

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

SIGNATURE_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("fp_hash", pa.uint64(), nullable=False),
        pa.field("fp_chars", pa.int32(), nullable=False),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("truncated", pa.bool_(), nullable=False),
        pa.field("n_flags", pa.int16(), nullable=False),
        pa.field("minhash", pa.list_(pa.uint32(), NUM_PERM), nullable=False),
        pa.field("bands", pa.list_(pa.uint64()), nullable=False),
        pa.field("sample", pa.list_(pa.uint64()), nullable=False),
        pa.field("anchors", pa.list_(pa.uint64()), nullable=False),
    ],
    metadata={"dedupe_version": DEDUPE_VERSION},
)

# --- fingerprint text ----------------------------------------------------------------------

_SPIN = re.compile("|".join(sorted(_SPIN_PAIRS, key=len, reverse=True)))
# Keep only CJK ideographs and digits: punctuation, whitespace, Latin (pinyin, X placeholders,
# dropped-in English) and the × placeholder all go.
_NOT_KEPT = re.compile(r"[^0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def fingerprint_text(text: str) -> str:
    """Fold a normalized text to what survives every kind of site damage, for hashing."""
    if not isinstance(text, str) or not text:
        return ""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and punctuation
    text = _TRUNCATION.sub("", text)
    text = _NOT_KEPT.sub("", text)
    return _SPIN.sub(lambda m: _SPIN_PAIRS[m.group(0)], text)


# --- hashing (numpy, vectorized) -------------------------------------------------------------


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads polynomial hashes over all 64 bits."""
    x = x.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


def shingle_hashes(fp: str) -> np.ndarray:
    """64-bit hashes of every SHINGLE-character window of a fingerprint, in text order."""
    if not fp:
        return np.zeros(0, dtype=np.uint64)
    cps = np.frombuffer(fp.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    k = min(SHINGLE, len(cps))
    n = len(cps) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + cps[j : j + n]
    return _mix64(h)


def _winnow(h: np.ndarray) -> np.ndarray:
    """Minimum of every WINDOW consecutive shingle hashes (winnowing), unique and sorted."""
    if len(h) <= WINDOW:
        return np.unique(h.min(keepdims=True)) if len(h) else h
    return _sort_unique(np.lib.stride_tricks.sliding_window_view(h, WINDOW).min(axis=1))


def _band_hashes(digests: np.ndarray) -> np.ndarray:
    """One 64-bit hash per band of ROWS MinHash values (the band index is mixed in)."""
    n = digests.shape[0]
    d = digests.reshape(n, BANDS, ROWS).astype(np.uint64)
    h = np.broadcast_to(np.arange(BANDS, dtype=np.uint64) + np.uint64(1), (n, BANDS)).copy()
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            h = _mix64(h * np.uint64(0x9E3779B97F4A7C15) + d[:, :, r])
    return h


# --- per-shard signatures -------------------------------------------------------------------


def _column(docs: pa.Table, name: str, default):
    if name in docs.column_names:
        return docs.column(name).to_pylist()
    return [default] * docs.num_rows


def shard_signatures(docs: pa.Table) -> pa.Table:
    """Sign one shard: everything the global step needs, so it never touches text again."""
    ids = _column(docs, "doc_id", None)
    texts = _column(docs, "text", "")
    flags = _column(docs, "quality_flags", [])
    n_chars = _column(docs, "n_chars", None)
    rows = [i for i, d in enumerate(ids) if isinstance(d, str) and d]
    fps = [fingerprint_text(texts[i] if isinstance(texts[i], str) else "") for i in rows]
    shingles = [shingle_hashes(fp) for fp in fps]
    lengths = np.array([len(s) for s in shingles], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint64)
    flat = np.concatenate(shingles) if shingles else np.zeros(0, dtype=np.uint64)
    if rows:
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, MINHASH_SEED)
        digests = np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(rows), NUM_PERM)
    else:
        digests = np.zeros((0, NUM_PERM), dtype=np.uint32)
    bands = _band_hashes(digests)
    out = {f.name: [] for f in SIGNATURE_SCHEMA}
    for j, i in enumerate(rows):
        fl = [f for f in (flags[i] or []) if isinstance(f, str)]
        sh = shingles[j]
        out["doc_id"].append(ids[i])
        out["fp_hash"].append(xxhash.xxh3_64_intdigest(fps[j].encode("utf-8")))
        out["fp_chars"].append(len(fps[j]))
        nc = n_chars[i]
        out["n_chars"].append(int(nc) if isinstance(nc, int) and nc >= 0 else len(texts[i] or ""))
        out["truncated"].append("truncated" in fl)
        out["n_flags"].append(len(set(fl)))
        out["minhash"].append(digests[j])
        out["bands"].append(bands[j] if len(sh) else np.zeros(0, dtype=np.uint64))
        out["sample"].append(_sort_unique(sh[sh % np.uint64(SAMPLE_MOD) == 0]))
        out["anchors"].append(_winnow(sh))
    return _signature_table(out)


def _signature_table(cols: dict) -> pa.Table:
    arrays = []
    for f in SIGNATURE_SCHEMA:
        vals = cols[f.name]
        if pa.types.is_list(f.type) or pa.types.is_fixed_size_list(f.type):
            arrays.append(_list_array(vals, f.type))
        else:
            arrays.append(pa.array(vals, type=f.type))
    table = pa.Table.from_arrays(arrays, schema=SIGNATURE_SCHEMA)
    return table.sort_by("doc_id") if table.num_rows else table


def _list_array(values: list[np.ndarray], type_: pa.DataType) -> pa.Array:
    """Build a list column from numpy arrays without a Python object per element."""
    value_type = type_.value_type
    np_type = np.dtype(value_type.to_pandas_dtype())
    flat = np.concatenate(values).astype(np_type) if values else np.zeros(0, dtype=np_type)
    if pa.types.is_fixed_size_list(type_):
        return pa.FixedSizeListArray.from_arrays(pa.array(flat, type=value_type), type_.list_size)
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in values])]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), pa.array(flat, type=value_type))


# --- global step: state on disk ------------------------------------------------------------
#
# state_dir/
#   state.json                 {"dedupe_version": ...}
#   registry.parquet           one row per document ever seen: assignment + what canonical choice needs
#   docs/part-<run>.parquet    signature rows (minhash, sample) of the documents a run added
#   bands/part-<run>.parquet   (band, hash, doc_id): the LSH index, one row per document and band
#   anchors/part-<run>.parquet (hash, doc_id): winnowed anchors
#   df/part-<run>.parquet      (hash, groups): per run, how many new near-duplicate groups hold a shingle

REGISTRY_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("group_id", pa.string(), nullable=False),
        pa.field("fp_hash", pa.uint64(), nullable=False),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("truncated", pa.bool_(), nullable=False),
        pa.field("n_flags", pa.int16(), nullable=False),
        pa.field("is_canonical", pa.bool_(), nullable=False),
        pa.field("dup_of", pa.string()),
        pa.field("dup_jaccard", pa.float32()),
        pa.field("dup_containment", pa.float32()),
        pa.field("dup_reason", pa.string()),
        pa.field("matched_with", pa.string()),
    ]
)
ASSIGNMENT_COLUMNS = ["doc_id", "cluster_id", "is_canonical", "dup_of", "dup_jaccard", "dup_containment", "dup_reason"]
ASSIGNMENTS_SCHEMA = pa.schema([DOCUMENTS.field(c) for c in ASSIGNMENT_COLUMNS])
BANDS_SCHEMA = pa.schema([("band", pa.uint8()), ("hash", pa.uint64()), ("doc_id", pa.string())])
ANCHORS_SCHEMA = pa.schema([("hash", pa.uint64()), ("doc_id", pa.string())])
DF_SCHEMA = pa.schema([("hash", pa.uint64()), ("groups", pa.int32())])
NEAR_GROUP_JACCARD = 0.8  # near-duplicate groups count once in document frequencies
DOC_COLUMNS = ["doc_id", "fp_hash", "fp_chars", "n_chars", "truncated", "n_flags", "minhash", "sample"]


def _write(table: pa.Table, path: Path) -> None:
    """Deterministic Parquet: fixed options, no wall-clock metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=65536, write_statistics=True)
    os.replace(tmp, path)


def _read(path: Path, schema: pa.Schema, filter_col: str | None = None, values=None) -> pa.Table:
    """Read one state file; unreadable or missing files count as empty (bad state never raises)."""
    try:
        table = pq.read_table(path, columns=schema.names)
        if filter_col is not None:
            table = table.filter(pc.is_in(table.column(filter_col), value_set=values))
        return table.cast(schema)
    except Exception:
        return schema.empty_table()


def _read_parts(state: Path | None, kind: str, schema: pa.Schema, filter_col=None, values=None) -> pa.Table:
    """Rows of every part file of one state table, filtered on the way in (is_in on a column)."""
    if state is None or not (state / kind).is_dir():
        return schema.empty_table()
    parts = sorted(p for p in (state / kind).glob("part-*.parquet"))
    if values is not None and len(values) == 0:
        return schema.empty_table()
    tables = [_read(p, schema, filter_col, values) for p in parts]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _prev_state(prev_state_dir: str | None) -> Path | None:
    """Previous state if it exists and was written by this DEDUPE_VERSION."""
    if not prev_state_dir:
        return None
    path = Path(prev_state_dir)
    try:
        meta = pq.read_schema(path / "registry.parquet").metadata or {}
    except Exception:
        return None
    return path if meta.get(b"dedupe_version") == DEDUPE_VERSION.encode() else None


def _read_signatures(files: list[str]) -> pa.Table:
    """Concatenate signature files (unreadable ones skipped), one row per doc_id, sorted."""
    tables = []
    for f in sorted(set(files or [])):
        try:
            tables.append(pq.read_table(f).select(SIGNATURE_SCHEMA.names).cast(SIGNATURE_SCHEMA))
        except Exception:
            continue
    if not tables:
        return SIGNATURE_SCHEMA.empty_table()
    table = pa.concat_tables(tables).sort_by([("doc_id", "ascending"), ("fp_hash", "ascending")])
    ids = table.column("doc_id").to_numpy(zero_copy_only=False)
    keep = np.ones(len(ids), dtype=bool)
    keep[1:] = ids[1:] != ids[:-1]
    return table.filter(pa.array(keep))


# --- candidate pairs: group on (key, hash) ---------------------------------------------------
#
# numpy's np.unique without return_counts/inverse is hash-based and very slow on millions of
# 64-bit values; everything here sorts instead (stable sort: the inputs are runs of per-document
# sorted hashes, which timsort merges fast), and counts pair codes with bincount when dense.

_DENSE_BINS = 1 << 23  # count pair codes with bincount up to this many bins (64 MB)


def _sort_unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (what np.unique returns), by sorting."""
    if len(x) < 2:
        return np.array(x, copy=True)
    s = np.sort(x, kind="stable")
    return s[np.r_[True, s[1:] != s[:-1]]]


def _count_codes(code: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of int64 codes in [0, size) with their counts (np.unique's result)."""
    if len(code) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if size <= max(_DENSE_BINS, 4 * len(code)):
        counts = np.bincount(code)
        uniq = np.flatnonzero(counts)
        return uniq.astype(np.int64), counts[uniq].astype(np.int64)
    s = np.sort(code)
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    return s[starts], np.diff(np.r_[starts, len(s)]).astype(np.int64)


def _grouped(keys: np.ndarray, members: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """(group rank, member) sorted by key then member, repeated (key, member) rows dropped."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    rank = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1
    code = np.sort(rank * span + members[order].astype(np.int64), kind="stable")
    code = code[np.r_[True, code[1:] != code[:-1]]]
    return code // span, code % span


def _group_pair_codes(rank: np.ndarray, members: np.ndarray, n: int) -> np.ndarray:
    """a * n + b for every member pair a < b of every group (rows sorted by group, then member).
    Groups of one size at a time: a (groups, size) matrix indexed with the upper triangle."""
    if len(rank) < 2:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]])
    sizes = np.diff(np.r_[starts, len(rank)])
    members = members.astype(np.int64, copy=False)
    out = []
    for size in np.unique(sizes[sizes >= 2]).tolist():
        first = starts[sizes == size]
        mat = members[first[:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        out.append((mat[:, i] * n + mat[:, j]).ravel())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _pairs_from_groups(keys: np.ndarray, members: np.ndarray) -> np.ndarray:
    """All member pairs (a < b) that share a key, as an (n, 2) int64 array (may repeat)."""
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    members = np.asarray(members, dtype=np.int64)
    span = int(members.max()) + 1
    rank, m = _grouped(keys, members, span)
    code = _group_pair_codes(rank, m, span)
    return np.stack([code // span, code % span], axis=1)


def _unique_pairs(pairs: np.ndarray, n: int, min_count: int = 1) -> np.ndarray:
    if len(pairs) == 0:
        return pairs
    uniq, counts = _count_codes(pairs[:, 0] * n + pairs[:, 1], n * n)
    uniq = uniq[counts >= min_count]
    return np.stack([uniq // n, uniq % n], axis=1)


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected components by min-label propagation with pointer jumping (Dask-friendly)."""
    labels = np.arange(n, dtype=np.int64)
    if len(edges) == 0:
        return labels
    a, b = edges[:, 0], edges[:, 1]
    while True:
        m = np.minimum(labels[a], labels[b])
        new = labels.copy()
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


# --- verification ----------------------------------------------------------------------------


@dataclass
class _Docs:
    """Signature data of every document this run looks at, indexed 0..n-1 (sorted by doc_id)."""

    ids: np.ndarray  # object array of doc_id
    is_new: np.ndarray  # bool
    fp: np.ndarray  # uint64
    fp_chars: np.ndarray  # int32
    n_chars: np.ndarray
    truncated: np.ndarray
    n_flags: np.ndarray
    minhash: np.ndarray  # (n, NUM_PERM) uint32
    sample_flat: np.ndarray  # uint64
    sample_off: np.ndarray  # int64 (n + 1)

    def sample(self, i: int) -> np.ndarray:
        return self.sample_flat[self.sample_off[i] : self.sample_off[i + 1]]


def _docs_from_table(table: pa.Table, is_new: np.ndarray) -> _Docs:
    n = table.num_rows
    mh = table.column("minhash").combine_chunks()
    sample = table.column("sample").combine_chunks()
    offsets = sample.offsets.to_numpy().astype(np.int64)
    flat = sample.values.to_numpy()[offsets[0] : offsets[-1]] if n else np.zeros(0, dtype=np.uint64)
    return _Docs(
        ids=np.asarray(table.column("doc_id").to_pylist(), dtype=object),
        is_new=is_new,
        fp=table.column("fp_hash").to_numpy(),
        fp_chars=table.column("fp_chars").to_numpy(),
        n_chars=table.column("n_chars").to_numpy(),
        truncated=table.column("truncated").to_numpy(zero_copy_only=False),
        n_flags=table.column("n_flags").to_numpy(),
        minhash=mh.flatten().to_numpy().reshape(n, NUM_PERM) if n else np.zeros((0, NUM_PERM), np.uint32),
        sample_flat=flat,
        sample_off=offsets - offsets[0] if n else np.zeros(1, dtype=np.int64),
    )


def _jaccard(docs: _Docs, pairs: np.ndarray) -> np.ndarray:
    """MinHash Jaccard estimate per pair, in chunks to bound memory."""
    out = np.zeros(len(pairs), dtype=np.float32)
    for s in range(0, len(pairs), 65536):
        p = pairs[s : s + 65536]
        out[s : s + len(p)] = (docs.minhash[p[:, 0]] == docs.minhash[p[:, 1]]).mean(axis=1)
    empty = (docs.fp_chars[pairs[:, 0]] == 0) | (docs.fp_chars[pairs[:, 1]] == 0) if len(pairs) else []
    out[empty] = 0.0
    return out


def _shared(si: np.ndarray, sj: np.ndarray) -> np.ndarray:
    """Which elements of sorted-unique si occur in sorted-unique sj (one binary search each)."""
    if len(sj) == 0:
        return np.zeros(len(si), dtype=bool)
    return sj[np.minimum(np.searchsorted(sj, si), len(sj) - 1)] == si


def _containment(docs: _Docs, i: int, j: int, weights: np.ndarray | None = None) -> tuple[float, float, float]:
    """(raw containment of i in j, boilerplate-discounted containment of i in j, rare weight of i)."""
    si, sj = docs.sample(i), docs.sample(j)
    if len(si) == 0:
        return 0.0, 0.0, 0.0
    shared = _shared(si, sj)
    if weights is None:
        return float(shared.mean()), float(shared.mean()), float(len(si))
    w = weights[docs.sample_off[i] : docs.sample_off[i + 1]]
    total = float(w.sum())
    return float(shared.mean()), float(w[shared].sum() / total) if total else 0.0, total


# --- the global step ---------------------------------------------------------------------------


def _explode(table: pa.Table, list_col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row index, position in list, value) for every element of a list column."""
    arr = table.column(list_col).combine_chunks()
    if table.num_rows == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0, dtype=np.uint64)
    offsets = arr.offsets.to_numpy().astype(np.int64)
    lengths = np.diff(offsets)
    rows = np.repeat(np.arange(table.num_rows), lengths)
    pos = np.arange(len(rows)) - np.repeat(offsets[:-1] - offsets[0], lengths)
    values = arr.values.to_numpy()[offsets[0] : offsets[-1]]
    return rows, pos, values


def _index_of(ids: pa.Array | pa.ChunkedArray, universe: pa.Array) -> np.ndarray:
    return pc.index_in(ids, value_set=universe).to_numpy(zero_copy_only=False).astype(np.int64)


def _new_documents(sigs: pa.Table, registry: pa.Table) -> np.ndarray:
    """Rows of sigs not in the registry, or whose fingerprint changed (re-normalized text)."""
    idx = pc.index_in(sigs.column("doc_id"), value_set=registry.column("doc_id").combine_chunks())
    known = idx.is_valid().to_numpy(zero_copy_only=False)
    old_fp = registry.column("fp_hash").to_numpy()
    fp = sigs.column("fp_hash").to_numpy()
    pos = idx.fill_null(0).to_numpy(zero_copy_only=False)
    same = known & (old_fp[pos] == fp if len(old_fp) else known)
    return ~same


@dataclass
class _Rows:
    """Candidate keys: this run's new documents (row numbers in `new`) and the old rows sharing them."""

    band_hash: np.ndarray  # new documents' band hashes and their rows in `new`
    band_row: np.ndarray
    anchor_hash: np.ndarray
    anchor_row: np.ndarray
    old_bands: pa.Table  # BANDS_SCHEMA rows of old documents sharing a band hash
    old_anchors: pa.Table  # ANCHORS_SCHEMA rows of old documents sharing an anchor
    exact: pa.Table  # (fp_hash, doc_id) of new documents and of old ones sharing a fingerprint
    new_bands: pa.Table  # the new part files' rows, sorted for writing
    new_anchors: pa.Table

    def old_ids(self) -> pa.Array:
        ids = [t.column("doc_id").combine_chunks().cast(pa.string()) for t in (self.old_bands, self.old_anchors)]
        return pc.unique(pa.concat_arrays([*ids, self.exact.column("doc_id").combine_chunks().cast(pa.string())]))


def _candidate_rows(new: pa.Table, prev: Path | None, registry: pa.Table) -> _Rows:
    """Band, exact and anchor keys of new documents plus the old rows that share their keys."""
    new_ids = new.column("doc_id").combine_chunks()
    has_old = prev is not None

    def old_rows(kind, schema, hashes):  # old rows of re-signed documents are superseded by their new rows
        if not has_old:
            return schema.empty_table()
        t = _read_parts(prev, kind, schema, "hash", pa.array(_sort_unique(hashes)))
        return t.filter(pc.invert(pc.is_in(t.column("doc_id"), value_set=new_ids)))

    band_row, band, band_hash = _explode(new, "bands")
    anchor_row, _, anchor_hash = _explode(new, "anchors")
    # part files sorted by (band, hash, doc_id) and (hash, doc_id): `new` is sorted by doc_id, so the
    # row number stands for the doc_id
    order = np.lexsort((band_row, band_hash, band))
    new_bands = pa.table(
        {
            "band": pa.array(band[order].astype(np.uint8)),
            "hash": pa.array(band_hash[order]),
            "doc_id": pc.take(new_ids, pa.array(band_row[order])),
        },
        schema=BANDS_SCHEMA,
    )
    order = np.argsort(anchor_hash, kind="stable")  # rows come doc by doc: stable keeps doc order per hash
    new_anchors = pa.table(
        {"hash": pa.array(anchor_hash[order]), "doc_id": pc.take(new_ids, pa.array(anchor_row[order]))},
        schema=ANCHORS_SCHEMA,
    )
    fps = new.column("fp_hash").combine_chunks()
    old_exact = registry.filter(pc.is_in(registry.column("fp_hash"), value_set=fps)).select(["fp_hash", "doc_id"])
    old_exact = old_exact.filter(pc.invert(pc.is_in(old_exact.column("doc_id"), value_set=new_ids)))
    return _Rows(
        band_hash,
        band_row,
        anchor_hash,
        anchor_row,
        old_rows("bands", BANDS_SCHEMA, band_hash),
        old_rows("anchors", ANCHORS_SCHEMA, anchor_hash),
        pa.concat_tables([new.select(["fp_hash", "doc_id"]), old_exact]),
        new_bands,
        new_anchors,
    )


def _load_docs(new: pa.Table, prev: Path | None, registry: pa.Table, old_ids: pa.Array) -> tuple[_Docs, pa.Table]:
    """Signature rows of new documents and of the old ones involved, plus their whole old clusters."""
    new_ids = new.column("doc_id").combine_chunks()
    old_ids = pc.filter(old_ids, pc.invert(pc.is_in(old_ids, value_set=new_ids)))
    involved = registry.filter(pc.is_in(registry.column("doc_id"), value_set=old_ids))
    clusters = involved.column("cluster_id").combine_chunks().unique()
    members = registry.filter(pc.is_in(registry.column("cluster_id"), value_set=clusters))
    old_all = pc.unique(pa.concat_arrays([old_ids.cast(pa.string()), members.column("doc_id").combine_chunks()]))
    old_docs = _read_parts(prev, "docs", pa.schema([SIGNATURE_SCHEMA.field(c) for c in DOC_COLUMNS]), "doc_id", old_all)
    old_docs = old_docs.filter(pc.invert(pc.is_in(old_docs.column("doc_id"), value_set=new_ids)))
    old_docs = _first_per_id(old_docs)
    table = new.select(DOC_COLUMNS)  # sorted by doc_id
    if old_docs.num_rows:
        table = pa.concat_tables([table, old_docs]).sort_by("doc_id")
    is_new = pc.is_in(table.column("doc_id"), value_set=new_ids).to_numpy(zero_copy_only=False)
    old_reg = registry.filter(pc.is_in(registry.column("doc_id"), value_set=table.column("doc_id").combine_chunks()))
    return _docs_from_table(table, is_new), old_reg


def _first_per_id(table: pa.Table) -> pa.Table:
    if table.num_rows < 2:
        return table
    table = table.sort_by("doc_id")
    ids = table.column("doc_id").to_numpy(zero_copy_only=False)
    keep = np.r_[True, ids[1:] != ids[:-1]]
    return table.filter(pa.array(keep))


def _star_edges(labels: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Edges joining every valid row to the first row with the same label (old clusters/groups)."""
    idx = np.flatnonzero(valid)
    if len(idx) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    lab = labels[idx]
    order = np.lexsort((idx, lab))
    idx, lab = idx[order], lab[order]
    first = np.r_[True, lab[1:] != lab[:-1]]
    head = idx[np.maximum.accumulate(np.where(first, np.arange(len(idx)), 0))]
    e = np.stack([head, idx], axis=1)
    return e[e[:, 0] != e[:, 1]]


def _old_labels(docs: _Docs, old_reg: pa.Table, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per involved doc: the old label (cluster or group id, as an int code) and whether it has one."""
    n = len(docs.ids)
    codes = np.full(n, -1, dtype=np.int64)
    names = np.asarray(sorted(set(old_reg.column(column).to_pylist())), dtype=object)
    if old_reg.num_rows:
        pos = _index_of(old_reg.column("doc_id"), pa.array(docs.ids.tolist(), pa.string()))
        lab = np.searchsorted(names, np.asarray(old_reg.column(column).to_pylist(), dtype=object))
        old_mask = ~docs.is_new[pos]
        codes[pos[old_mask]] = lab[old_mask]
    return codes, names


def _component_names(comp: np.ndarray, codes: np.ndarray, names: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Name per component: smallest old name among its members, else the smallest fingerprint hash."""
    out = np.empty(len(comp), dtype=object)
    order = np.lexsort((fp, comp))
    best_new: dict[int, str] = {}
    best_old: dict[int, int] = {}
    for i in order:  # one pass over involved docs only (bounded by this run's work)
        c = int(comp[i])
        best_new.setdefault(c, f"{int(fp[i]):016x}")
        if codes[i] >= 0:
            best_old[c] = min(best_old.get(c, codes[i]), codes[i])
    for i in range(len(comp)):
        c = int(comp[i])
        out[i] = names[best_old[c]] if c in best_old else best_new[c]
    return out


def _anchor_pairs(keys: np.ndarray, members: np.ndarray, n: int) -> np.ndarray:
    """Pairs sharing enough rare anchors: 2+ and a MIN_ANCHOR_SHARE of the smaller doc's rare anchors.
    Anchors held by more than ANCHOR_MAX_DF rows are boilerplate and dropped first (df^2 pairs)."""
    if len(keys) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    k, m = keys[order], members[order]
    first = np.r_[True, k[1:] != k[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(k)])
    per_doc = np.bincount(m[np.repeat(sizes <= ANCHOR_MAX_DF, sizes)], minlength=n)
    shared = np.repeat((sizes >= 2) & (sizes <= ANCHOR_MAX_DF), sizes)
    code = np.sort((np.cumsum(first) - 1)[shared] * n + m[shared], kind="stable")
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    pair_code, counts = _count_codes(_group_pair_codes(code // n, code % n, n), n * n)
    a, b = pair_code // n, pair_code % n
    need = np.maximum(MIN_SHARED_ANCHORS, MIN_ANCHOR_SHARE * np.minimum(per_doc[a], per_doc[b]))
    ok = counts >= need
    return np.stack([a[ok], b[ok]], axis=1)


def _candidate_pairs(docs: _Docs, rows: _Rows, new_ids: pa.Array, stats: dict) -> np.ndarray:
    """Pairs (a < b, at least one new) sharing a band bucket, the fingerprint, or 2+ rare anchors."""
    universe = pa.array(docs.ids.tolist(), pa.string())
    n = len(docs.ids)
    new_pos = _index_of(new_ids, universe)

    def keyed(new_hash, new_row, old, key):
        m = np.concatenate([new_pos[new_row], _index_of(old.column("doc_id"), universe)])
        k = np.concatenate([new_hash, old.column(key).to_numpy()])
        return k[m >= 0], m[m >= 0]

    found = []
    for (k, m), key in (
        (keyed(rows.band_hash, rows.band_row, rows.old_bands, "hash"), "hash"),
        (keyed(np.zeros(0, np.uint64), np.zeros(0, np.int64), rows.exact, "fp_hash"), "fp_hash"),
    ):
        found.append(_unique_pairs(_pairs_from_groups(k, m), n))
        stats[f"candidates_{key}"] = len(found[-1])
    k, m = keyed(rows.anchor_hash, rows.anchor_row, rows.old_anchors, "hash")
    if len(k):
        found.append(_anchor_pairs(k, m, n))
        stats["candidates_anchors"] = len(found[-1])
    pairs = _unique_pairs(np.concatenate(found) if found else np.zeros((0, 2), np.int64), n)
    if len(pairs):
        pairs = pairs[docs.is_new[pairs[:, 0]] | docs.is_new[pairs[:, 1]]]
    return pairs


@dataclass
class _Shingles:
    """Every sampled shingle of the involved documents, by distinct hash (one stable sort)."""

    uniq: np.ndarray  # sorted distinct hashes
    inverse: np.ndarray  # per element of docs.sample_flat: its index in uniq
    order: np.ndarray  # docs.sample_flat sorted (stable) = uniq[run]
    run: np.ndarray  # inverse[order]: index in uniq, in sorted order


def _shingle_index(docs: _Docs) -> _Shingles:
    order = np.argsort(docs.sample_flat, kind="stable")  # per-document sorted runs: a fast merge
    h = docs.sample_flat[order]
    first = np.r_[True, h[1:] != h[:-1]] if len(h) else np.zeros(0, dtype=bool)
    run = np.cumsum(first) - 1
    inverse = np.empty(len(h), dtype=np.int64)
    inverse[order] = run
    return _Shingles(h[first], inverse, order, run)


def _df_increments(docs: _Docs, group: np.ndarray, sh: _Shingles) -> tuple[pa.Table, np.ndarray]:
    """Per shingle, how many near-duplicate groups gained it this run (copies count once): a group
    counts when a new member holds the shingle and no old member does (that was counted before).
    Returns the df part rows and the increment per distinct hash (aligned with sh.uniq)."""
    n_uniq = len(sh.uniq)
    if len(docs.sample_flat) == 0:
        return DF_SCHEMA.empty_table(), np.zeros(n_uniq, dtype=np.int64)
    rows = np.repeat(np.arange(len(docs.ids)), np.diff(docs.sample_off))[sh.order]
    span = np.int64(len(docs.ids))
    # (shingle, group) codes in shingle order; within a shingle, sort by group (nearly sorted: fast)
    code = sh.run * span + group[rows]
    if docs.is_new.all():  # a first run: every (shingle, group) is new
        code = np.sort(code, kind="stable")
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        fresh = starts
    else:
        within = np.argsort(code, kind="stable")
        code, new_rows = code[within], docs.is_new[rows[within]]
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        fresh = starts[np.add.reduceat((~new_rows).astype(np.int64), starts) == 0]
    gained = np.bincount(code[fresh] // span, minlength=n_uniq).astype(np.int64)
    keep = gained > 0
    table = pa.table(
        {"hash": pa.array(sh.uniq[keep], pa.uint64()), "groups": pa.array(gained[keep].astype(np.int32))},
        schema=DF_SCHEMA,
    )
    return table, gained


def _shingle_weights(prev: Path | None, docs: _Docs, sh: _Shingles, gained: np.ndarray) -> np.ndarray:
    """Weight per element of docs.sample_flat: 1 while few near-duplicate groups share the shingle,
    falling as BOILER_MIN_DF/df for boilerplate (df = previous runs' counts + this run's)."""
    df = gained.copy()
    if prev is not None and len(sh.uniq):
        old = _read_parts(prev, "df", DF_SCHEMA, "hash", pa.array(sh.uniq))
        if old.num_rows:
            pos = np.searchsorted(sh.uniq, old.column("hash").to_numpy())
            np.add.at(df, pos, old.column("groups").to_numpy().astype(np.int64))
    df = np.where(df > 0, df, 1).astype(np.float64)  # a shingle with no count yet counts once
    return np.minimum(1.0, BOILER_MIN_DF / np.maximum(df, 1.0))[sh.inverse]


@dataclass
class _Edges:
    pairs: np.ndarray  # (m, 2) accepted pairs
    jaccard: np.ndarray
    containment: np.ndarray  # discounted containment of the smaller in the larger


def _verify(docs: _Docs, pairs: np.ndarray, jac: np.ndarray, weights: np.ndarray) -> _Edges:
    """Accept exact, near and mutual-containment pairs; a one-way contained copy (a truncation) keeps
    only its best container, so a short text cannot glue two different speeches together."""
    keep = np.zeros(len(pairs), dtype=bool)
    mutual = np.zeros(len(pairs), dtype=bool)
    cont = np.zeros(len(pairs), dtype=np.float32)
    small_of = np.zeros(len(pairs), dtype=np.int64)
    off = docs.sample_off
    lengths = np.diff(off)
    totals: dict[int, float] = {}

    def total(i: int) -> float:  # rare weight of a document (summed exactly as a slice, cached)
        if i not in totals:
            totals[i] = float(weights[off[i] : off[i + 1]].sum())
        return totals[i]

    for k, (a, b) in enumerate(pairs.tolist()):
        small, big = (a, b) if lengths[a] <= lengths[b] else (b, a)
        small_of[k] = small
        if docs.fp[a] == docs.fp[b] and docs.fp_chars[a] > 0:  # exact
            keep[k] = mutual[k] = True
            cont[k] = 1.0
            continue
        wc = weight = 0.0
        if lengths[small]:
            shared = _shared(docs.sample(small), docs.sample(big))
            # the shared shingles, hence their weights, are the same seen from either side
            inter = weights[off[small] : off[small + 1]][shared].sum()
            weight = total(small)
            wc = float(inter / weight) if weight else 0.0
        near = jac[k] >= NEAR_GROUP_JACCARD
        contained = wc >= MIN_CONTAINMENT and weight >= MIN_WEIGHT
        keep[k] = near or contained
        if near:
            mutual[k] = True
        elif contained:
            back = total(big)
            mutual[k] = (float(inter / back) if back else 0.0) >= MIN_CONTAINMENT
        cont[k] = wc
    one_way = np.flatnonzero(keep & ~mutual)
    if len(one_way):
        # best container per contained document: highest containment, then Jaccard, then pair order
        order = np.lexsort((one_way, -jac[one_way], -cont[one_way], small_of[one_way]))
        ranked = one_way[order]
        first = np.r_[True, small_of[ranked][1:] != small_of[ranked][:-1]]
        keep[ranked[~first]] = False
    return _Edges(pairs[keep], jac[keep], cont[keep])


def _canonical_order(docs: _Docs, members: np.ndarray) -> np.ndarray:
    """Members best first: not truncated, fewest damage flags, longest body, then doc_id."""
    ids = docs.ids[members]
    rank_id = np.argsort(np.argsort(ids.astype(str)))
    order = np.lexsort(
        (rank_id, -docs.n_chars[members].astype(np.int64), docs.n_flags[members], docs.truncated[members])
    )
    return members[order]


def _assign_touched(
    docs: _Docs,
    comp: np.ndarray,
    names: np.ndarray,
    edges: _Edges,
    old_reg: pa.Table,
    present: np.ndarray,
    stale: np.ndarray,
) -> list[dict]:
    """Registry rows for every member of every cluster that gained a document this run or whose
    stored assignment no longer fits the documents present (`stale`). The canonical is elected among
    the members present in this run; absent members stay in the cluster, pointing at it."""
    stored = {}
    if old_reg.num_rows:
        for did, mw in zip(old_reg.column("doc_id").to_pylist(), old_reg.column("matched_with").to_pylist()):
            stored[did] = mw
    touched = _sort_unique(np.concatenate([comp[docs.is_new], comp[stale]]))
    partners: dict[int, list[tuple]] = {}
    for (a, b), j, c in zip(edges.pairs, edges.jaccard, edges.containment):
        partners.setdefault(int(a), []).append((-float(c), -float(j), str(docs.ids[b]), int(b)))
        partners.setdefault(int(b), []).append((-float(c), -float(j), str(docs.ids[a]), int(a)))
    by_comp = np.argsort(comp, kind="stable")  # members of each component in index order
    starts = np.searchsorted(comp[by_comp], touched, side="left")
    ends = np.searchsorted(comp[by_comp], touched, side="right")
    rows = []
    for c, lo, hi in zip(touched.tolist(), starts.tolist(), ends.tolist()):
        members = _canonical_order(docs, by_comp[lo:hi])
        here = members[present[members]]
        canon = here[0] if len(here) else members[0]
        cid = str(names[canon])
        here_ids = set(docs.ids[here].tolist())
        for m in members:
            row = {
                "doc_id": str(docs.ids[m]),
                "cluster_id": cid,
                "group_id": "",
                "fp_hash": int(docs.fp[m]),
                "n_chars": int(docs.n_chars[m]),
                "truncated": bool(docs.truncated[m]),
                "n_flags": int(docs.n_flags[m]),
                "is_canonical": bool(m == canon),
                "dup_of": None,
                "dup_jaccard": None,
                "dup_containment": None,
                "dup_reason": None,
                "matched_with": None,
            }
            if m != canon:
                jac = float(_jaccard(docs, np.array([[m, canon]]))[0])
                raw, _, _ = _containment(docs, m, canon)
                back, _, _ = _containment(docs, canon, m)
                exact = docs.fp[m] == docs.fp[canon]
                near = jac >= NEAR_JACCARD or min(raw, back) >= MIN_CONTAINMENT
                row.update(
                    dup_of=str(docs.ids[canon]),
                    dup_jaccard=1.0 if exact else jac,
                    dup_containment=1.0 if exact else raw,
                    dup_reason="exact" if exact else ("near" if near else "contained"),
                )
                inside = [p for p in partners.get(int(m), []) if comp[p[3]] == c and present[p[3]]]
                if inside:
                    row["matched_with"] = min(inside)[2]
                elif stored.get(row["doc_id"]) in here_ids:
                    row["matched_with"] = stored[row["doc_id"]]
                else:
                    row["matched_with"] = str(docs.ids[canon])
            rows.append(row)
    return rows


def _stale_clusters(registry: pa.Table, present_ids: pa.Array) -> pa.Array:
    """One present doc_id per cluster whose stored assignment does not fit the documents present:
    its canonical is absent or no longer the best present member (a better copy came back), or a
    present member points (dup_of, matched_with) at another doc than the present canonical."""
    if registry.num_rows == 0 or len(present_ids) == 0:
        return pa.array([], pa.string())
    reg = registry.filter(pc.is_in(registry.column("doc_id"), value_set=present_ids))
    if reg.num_rows == 0:
        return pa.array([], pa.string())
    reg = reg.sort_by(
        [
            ("cluster_id", "ascending"),
            ("truncated", "ascending"),
            ("n_flags", "ascending"),
            ("n_chars", "descending"),
            ("doc_id", "ascending"),
        ]
    )  # = _canonical_order
    cid = np.asarray(reg.column("cluster_id").to_pylist(), dtype=object)
    ids = np.asarray(reg.column("doc_id").to_pylist(), dtype=object)
    first = np.r_[True, cid[1:] != cid[:-1]]
    best = ids[np.maximum.accumulate(np.where(first, np.arange(len(ids)), 0))]
    canonical = reg.column("is_canonical").to_numpy(zero_copy_only=False)
    dup_of = np.asarray(reg.column("dup_of").to_pylist(), dtype=object)
    matched = pc.is_in(reg.column("matched_with"), value_set=present_ids).to_numpy(zero_copy_only=False)
    ok = (canonical == first) & (first | ((dup_of == best) & matched))
    starts = np.flatnonzero(first)
    return pa.array(ids[starts][np.logical_or.reduceat(~ok, starts)].tolist(), pa.string())


def cluster_documents(
    signature_files: list[str], prev_state_dir: str | None, new_state_dir: str
) -> tuple[pa.Table, pa.Table]:
    """Cluster every signed document against everything seen before; write the new state."""
    sigs = _read_signatures(signature_files)
    prev = _prev_state(prev_state_dir)
    registry = _read(prev / "registry.parquet", REGISTRY_SCHEMA) if prev else REGISTRY_SCHEMA.empty_table()
    new = sigs.filter(pa.array(_new_documents(sigs, registry))) if sigs.num_rows else sigs
    cand = _candidate_rows(new, prev, registry)
    present_ids = sigs.column("doc_id").combine_chunks()
    stale_ids = _stale_clusters(registry, present_ids)
    docs, old_reg = _load_docs(new, prev, registry, pc.unique(pa.concat_arrays([cand.old_ids(), stale_ids])))
    present = pc.is_in(pa.array(docs.ids.tolist(), pa.string()), value_set=present_ids).to_numpy(zero_copy_only=False)
    stale = np.flatnonzero(
        pc.is_in(pa.array(docs.ids.tolist(), pa.string()), value_set=stale_ids).to_numpy(zero_copy_only=False)
    )
    n = len(docs.ids)
    stats = {
        "dedupe_version": DEDUPE_VERSION,
        "documents_signed": sigs.num_rows,
        "documents_new": new.num_rows,
        "documents_involved": n,
    }
    pairs = _candidate_pairs(docs, cand, new.column("doc_id").combine_chunks(), stats)
    stats["candidate_pairs"] = len(pairs)
    jac = _jaccard(docs, pairs)

    # near-duplicate groups (exact or high Jaccard): the unit document frequencies count
    gcodes, gnames = _old_labels(docs, old_reg, "group_id")
    near = pairs[(jac >= NEAR_GROUP_JACCARD) | (docs.fp[pairs[:, 0]] == docs.fp[pairs[:, 1]])] if len(pairs) else pairs
    group = _components(n, np.concatenate([near, _star_edges(gcodes, gcodes >= 0)]))
    shingles = _shingle_index(docs)
    increments, gained = _df_increments(docs, group, shingles)
    weights = _shingle_weights(prev, docs, shingles, gained)

    edges = _verify(docs, pairs, jac, weights)
    ccodes, cnames = _old_labels(docs, old_reg, "cluster_id")
    comp = _components(n, np.concatenate([edges.pairs, _star_edges(ccodes, ccodes >= 0)]))
    names = _component_names(comp, ccodes, cnames, docs.fp)
    group_names = _component_names(group, gcodes, gnames, docs.fp)
    stats["accepted_pairs"] = len(edges.pairs)
    rows = _assign_touched(docs, comp, names, edges, old_reg, present, stale)
    index = {d: i for i, d in enumerate(docs.ids.tolist())}
    for row in rows:
        row["group_id"] = str(group_names[index[row["doc_id"]]])
    touched = pa.Table.from_pylist(rows, schema=REGISTRY_SCHEMA)
    registry = pa.concat_tables(
        [registry.filter(pc.invert(pc.is_in(registry.column("doc_id"), value_set=touched.column("doc_id")))), touched]
    ).sort_by("doc_id")
    _write_state(Path(new_state_dir), prev, registry, new, cand.new_bands, cand.new_anchors, increments)
    assignments, duplicates = _outputs(registry, present_ids)
    sizes = assignments.group_by("cluster_id").aggregate([("doc_id", "count")]).column("doc_id_count").to_numpy()
    stats.update(
        documents_total=registry.num_rows,
        documents_absent=registry.num_rows - assignments.num_rows,
        clusters=len(sizes),
        clusters_with_copies=int((sizes > 1).sum()),
        largest_cluster=int(sizes.max()) if len(sizes) else 0,
    )
    (Path(new_state_dir) / "stats.json").write_text(json.dumps(stats, indent=1, sort_keys=True) + "\n")
    return assignments, duplicates


def _outputs(registry: pa.Table, present_ids: pa.Array) -> tuple[pa.Table, pa.Table]:
    """Assignments of the documents present in this run (its signature files), and every present
    member of every cluster with 2+ present members. Documents of the registry that are absent
    (their file was removed) are never returned: the canonical was re-elected among present members."""
    assigned = registry.filter(pc.is_in(registry.column("doc_id"), value_set=present_ids)).sort_by("doc_id")
    assignments = assigned.select(ASSIGNMENT_COLUMNS).cast(ASSIGNMENTS_SCHEMA)
    sizes = assigned.group_by("cluster_id").aggregate([("doc_id", "count")])
    multi = sizes.filter(pc.greater(sizes.column("doc_id_count"), 1)).column("cluster_id")
    members = assigned.filter(pc.is_in(assigned.column("cluster_id"), value_set=multi.combine_chunks()))
    members = members.sort_by([("cluster_id", "ascending"), ("doc_id", "ascending")])
    dup = pa.table(
        {
            "cluster_id": members.column("cluster_id"),
            "doc_id": members.column("doc_id"),
            "canonical_id": pc.if_else(
                members.column("is_canonical"), members.column("doc_id"), members.column("dup_of")
            ),
            "is_canonical": members.column("is_canonical"),
            "reason": members.column("dup_reason"),
            "jaccard": members.column("dup_jaccard"),
            "containment": members.column("dup_containment"),
            "matched_with": members.column("matched_with"),
        }
    ).cast(DUPLICATES)
    return assignments, dup


def _write_state(
    out: Path,
    prev: Path | None,
    registry: pa.Table,
    new: pa.Table,
    bands: pa.Table,
    anchors: pa.Table,
    increments: pa.Table,
) -> None:
    """New state = previous parts (hard-linked) + one part per table for this run's documents."""
    for name in ("docs", "bands", "anchors", "df"):
        shutil.rmtree(out / name, ignore_errors=True)
        (out / name).mkdir(parents=True, exist_ok=True)
        if prev is not None and (prev / name).is_dir():
            for part in sorted((prev / name).glob("part-*.parquet")):
                _link_or_copy(part, out / name / part.name)
    if new.num_rows:
        run = xxhash.xxh3_64_hexdigest("\n".join([DEDUPE_VERSION, *new.column("doc_id").to_pylist()]).encode())
        part = f"part-{run}.parquet"
        # all four come sorted: new by doc_id, bands by (band, hash, doc_id), anchors by (hash, doc_id),
        # increments by hash
        _write(new.select(DOC_COLUMNS), out / "docs" / part)
        _write(bands, out / "bands" / part)
        _write(anchors, out / "anchors" / part)
        _write(increments, out / "df" / part)
    meta = registry.schema.with_metadata({"dedupe_version": DEDUPE_VERSION})
    _write(registry.cast(meta), out / "registry.parquet")


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# ----------------------------------------------------------------------------- stage runners


def signature_shard(inputs: dict, out_dir: str) -> dict:
    """Per shard: fingerprints, MinHash bands and anchors of every normalized document."""
    docs = pq.read_table(
        Path(inputs["normalize"]) / "docs.parquet", columns=["doc_id", "text", "norm_flags", "n_chars"]
    )
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
    from tasks.common import write_table

    write_table(sigs, Path(out_dir) / "signatures.parquet")
    return {"docs": sigs.num_rows}


def cluster_shards(inputs: dict, out_dir: str, prev_state: str | None = None) -> dict:
    """Global step: cluster all signed documents against the persisted index; one assignments part
    per shard (so each shard's export reads only its own) and the duplicates table."""
    import hashlib
    from collections import Counter

    from tasks import schema
    from tasks.common import write_table

    sig_files = [str(Path(d) / "signatures.parquet") for d in inputs["signatures"]]
    assignments, duplicates = cluster_documents(sig_files, prev_state, str(Path(out_dir) / "state"))
    out = Path(out_dir)
    write_table(duplicates.cast(schema.DUPLICATES), out / "duplicates.parquet", schema.SORT_KEYS["duplicates"])
    parts = {}
    for i, path in enumerate(sig_files):
        ids = pq.read_table(path, columns=["doc_id"]).column("doc_id")
        part = assignments.filter(pc.is_in(assignments.column("doc_id"), value_set=ids.combine_chunks()))
        target = out / "assignments" / f"{i:05d}.parquet"
        write_table(part.cast(schema.ASSIGNMENTS), target, ["doc_id"])
        parts[str(i)] = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
    sizes = Counter(Counter(assignments.column("cluster_id").to_pylist()).values())
    reasons = Counter(r for r in assignments.column("dup_reason").to_pylist() if r)
    return {
        "docs": assignments.num_rows,
        "clusters": sum(sizes.values()),
        "duplicates": sum(reasons.values()),
        "duplicate_reasons": dict(sorted(reasons.items())),
        "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
        "part_digests": parts,
    }


INDEX_POINTER = "dedupe-state.json"


def previous_index(state_dir: str, signature_keys: list[str], rebuild: bool) -> tuple[dict | None, str | None]:
    """The index the last published run left: (its record, its folder) — none on --rebuild."""
    pointer = Path(state_dir) / INDEX_POINTER
    if rebuild or not pointer.exists():
        return None, None
    last = json.loads(pointer.read_text(encoding="utf-8"))
    if last.get("signature_keys") == signature_keys:
        return last, last.get("prev_state")  # the same corpus: the same step, served from its cache
    return last, last["state_dir"] if Path(last["state_dir"]).exists() else None


def remember_index(state_dir: str, key: str, index_dir: str, prev_state: str | None, signature_keys: list[str]) -> None:
    """After publishing: the next run clusters its new pages against this index."""
    from tasks.common import write_json

    record = {"key": key, "state_dir": index_dir, "prev_state": prev_state, "signature_keys": signature_keys}
    write_json(record, Path(state_dir) / INDEX_POINTER)

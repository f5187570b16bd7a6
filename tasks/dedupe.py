"""Deduplication: find every copy of a speech and never merge two different speeches.

Two steps (docs/dedupe.md):

1. `shard_signatures` (here; per shard, parallel): fingerprint text -> exact hash, MinHash (rensa)
   and LSH band hashes over character 5-shingles, a 1-in-4 consistent sample of shingle hashes
   (for containment), and winnowed anchor hashes (to find truncated copies LSH cannot).
2. `tasks.dedupe_cluster.cluster_corpus` (global, out of core): reads only the signature files.

The constants below are every threshold of both steps; `dedupe_cluster.params_version` hashes
them (and the code) into the version of the persisted index.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pyarrow as pa
import rensa
import xxhash

from tasks.common import sorted_table
from tasks.schema import NUM_PERM, SIGNATURES  # NUM_PERM: MinHash permutations (the signature width)
from tasks.vocab import SPIN_PAIRS as _SPIN_PAIRS  # spun form -> original (开展 -> 发展 …)
from tasks.vocab import TRUNCATION_NOTICE_RE as _TRUNCATION

# --- parameters (all hashed into dedupe_cluster.params_version: a change rebuilds the index) --
# Quality flags that record what normalize removed whole, leaving no damage in the text: injected pinyin
# (區(qū)長 -> 区长). Such a copy ranks after an undamaged one and before any damaged one (bench_repair_mix trad:
# 漳州 2020's Big5 copy with holes, `6.1?；`, was elected over a Traditional+pinyin copy that came out exact).
# `short` (a page kept below --min-chars because its text is prose) says how long the page is, not that its text is
# damaged: counted as damage it tied a clean short statement with a longer copy carrying real damage, which then won
# on length (session 49's left-alone list).
NOTE_FLAGS = frozenset({"pinyin_removed", "short"})
DAMAGE_STEP = 16  # one damage flag outweighs every note flag together
# Damage the other copies cannot mend: repair fills spots (placeholders, lost characters, spun words), never a
# page's lost paragraph breaks. It weighs as two spot damages (bench_repair_mix reflowed: 5 of 6 speeches took a
# hard-wrapped copy as base over one with a few lost characters the others filled: best_text 41-97 line breaks
# off where the lost-character base came out exact).
UNMENDABLE_FLAGS = frozenset({"hard_wrapped"})


def flag_rank(flags) -> int:
    """The order of copies by their quality flags (fewer is better): damage flags first (those repair cannot
    mend twice), then notes."""
    fl = {f for f in (flags or []) if isinstance(f, str)}
    damage = len(fl - NOTE_FLAGS) + len(fl & UNMENDABLE_FLAGS)
    return DAMAGE_STEP * damage + len(fl & NOTE_FLAGS)


SHINGLE = 5  # characters per shingle: 2-char word swaps touch 6 shingles, not the whole text
BANDS = 32  # LSH bands x rows = NUM_PERM; threshold ~ (1/32)^(1/4) ~ 0.42
ROWS = NUM_PERM // BANDS
MINHASH_SEED = 1729
SAMPLE_MOD = 4  # keep shingle hashes with h % 4 == 0: consistent across documents
WINDOW = 24  # winnowing window: every shared run of 28+ characters shares an anchor
MIN_SHARED_ANCHORS = 2  # candidate pair from anchors needs two shared rare anchors
MIN_ANCHOR_SHARE = 0.15  # ... and 15 % of the smaller one's anchors (all of them, boilerplate included: the
# denominator is the document's own, so an anchor turning boilerplate moves only its holders' shared counts and
# the incremental run stays bounded). It was 30 % of the smaller one's *rare* anchors; on the 5k scale bench 30 %
# of all anchors lost 2 short, mostly-boilerplate copies (21-23 anchors, 5-6 rare) contained in a speech
# (2,356 near-copy removals instead of 2,358); 20 % lost one; 15 % keeps both (33 k anchor candidates, was 25 k).
ANCHOR_MAX_DF = 64  # anchors in more documents than this are boilerplate, not evidence
BOILER_MIN_DF = 4  # a shingle held by df > 4 near-duplicate groups weighs 4/df (boilerplate discount)
NEAR_GROUP_JACCARD = 0.8  # near-duplicate groups (exact or this Jaccard) count once in df
# ... or the smaller copy this much inside the larger (containment estimated from the MinHash Jaccard and the
# sampled-shingle counts): a truncated or damaged copy of a speech is a copy, not another document quoting it.
# Without it, copies damaged like a doc-sharing site's (1 % characters replaced, a span cut: Jaccard 0.78 and
# containment 0.88 on the 5k scale bench) each count in df; with a few speeches quoting them, their shared text
# is discounted as boilerplate while each copy's own damage (shingles no other document has) keeps full weight,
# and weighted containment falls under MIN_CONTAINMENT: 208 of 2,325 built near-copies stayed apart (91.1 %
# removed; 97.9 % with this rule, 100 % with no discount at all; dev-set precision unchanged, 0.9998).
# A half-and-half mosaic estimates ~0.5.
NEAR_GROUP_CONTAINMENT = 0.85
NEAR_JACCARD = 0.8  # reason 'near': Jaccard with the canonical this high, or containment both ways
MIN_CONTAINMENT = 0.8  # merge when the smaller copy's rare shingles are this much in the larger
MIN_WEIGHT = 8.0  # ... and it has at least this much rare-shingle weight (about 32 rare characters)

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

SIGNATURE_SCHEMA = SIGNATURES  # tasks.schema owns every schema

# --- fingerprint text ----------------------------------------------------------------------

# Anti-plagiarism "spinning" swaps (tasks.vocab): both spellings fold to one so a spun copy shingles alike.
_SPIN = re.compile("|".join(sorted(_SPIN_PAIRS, key=len, reverse=True)))
# Keep only CJK ideographs and digits: punctuation, whitespace, Latin (pinyin, X placeholders,
# dropped-in English) and the × placeholder all go.
_NOT_KEPT = re.compile(r"[^0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def fingerprint_text(text: str) -> str:
    """Fold a normalized text to what survives every kind of site damage, for hashing."""
    if not isinstance(text, str) or not text:
        return ""
    kept = _kept_fast(text)
    if kept is None:
        return _fingerprint_exact(text)
    return _SPIN.sub(lambda m: _SPIN_PAIRS[m.group(0)], kept)


def _fingerprint_exact(text: str) -> str:
    """The definition: NFKC, truncation notices out, only the kept characters, spun words folded."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and punctuation
    text = _TRUNCATION.sub("", text)
    text = _NOT_KEPT.sub("", text)
    return _SPIN.sub(lambda m: _SPIN_PAIRS[m.group(0)], text)


# The same fold without normalizing the whole text (NFKC of a page was the stage's largest cost): one table
# lookup per code point gives the kept characters of the character's own NFKC form. That is exact: NFKC(text)
# equals NFKC of the characters' NFKC forms side by side, and composition and mark reordering never create, drop
# or move a digit or a CJK ideograph (none composes, none is a combining mark), so the kept characters are the
# same in the same order. Two cases take the exact path: a character whose NFKC form keeps two or more
# characters (⑽ -> 10), and a text whose kept characters hold the start of a truncation notice (因篇幅 / 查看 /
# 已结束: every notice keeps one of them contiguous, since injected pinyin and punctuation are dropped).
_KEPT_NONE = 0  # NUL: not a kept character, so free as "keeps nothing"
_KEPT_MANY = 0xFFFFFFFF
_TABLE_BLOCK = 256  # code points checked at once while building the table
_NOTICE_KEPT = ("因篇幅", "查看", "已结束")


def _is_kept(c: int) -> bool:
    return 0x30 <= c <= 0x39 or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF


@functools.cache
def _kept_table() -> np.ndarray:
    """Code point -> the one kept character of its NFKC form, _KEPT_NONE, or _KEPT_MANY (built once a process)."""
    codes = np.arange(0x110000, dtype=np.uint32)
    table = np.where(
        ((codes >= 0x30) & (codes <= 0x39))
        | ((codes >= 0x3400) & (codes <= 0x4DBF))
        | ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 0xF900) & (codes <= 0xFAFF)),
        codes,
        np.uint32(_KEPT_NONE),
    ).astype(np.uint32)
    # the characters NFKC changes: checked 256 at a time, then one by one in the blocks that hold any (a
    # character NFKC changes never appears in normalized text, so a normalized block holds none)
    valid = codes[(codes < 0xD800) | (codes > 0xDFFF)]
    every = valid.tobytes().decode("utf-32-le")
    for lo in range(0, len(every), _TABLE_BLOCK):
        block = every[lo : lo + _TABLE_BLOCK]
        if unicodedata.is_normalized("NFKC", block):
            continue
        for c in block:
            if not unicodedata.is_normalized("NFKC", c):
                kept = [ord(x) for x in unicodedata.normalize("NFKC", c) if _is_kept(ord(x))]
                table[ord(c)] = kept[0] if len(kept) == 1 else _KEPT_NONE if not kept else _KEPT_MANY
    return table


def _kept_fast(text: str) -> str | None:
    """The kept characters of NFKC(text) (before spin folding), or None when the exact path must decide."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = _kept_table()[codes]
    if (mapped == _KEPT_MANY).any():
        return None
    kept = mapped[mapped != _KEPT_NONE].tobytes().decode("utf-32-le")
    if any(w in kept for w in _NOTICE_KEPT):
        return None
    return kept


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
    return _sort_unique(_runs(_window_min(h, WINDOW)))


def _window_min(h: np.ndarray, w: int) -> np.ndarray:
    """min(h[i:i + w]) for every i, by doubling (sparse table): log2(w) + 1 passes over the array instead of
    w comparisons per position. Windows of 2**k overlap to cover w: min is idempotent."""
    m, span = h, 1
    while span * 2 <= w:
        m = np.minimum(m[:-span], m[span:])  # m[i] = min(h[i:i + 2 * span])
        span *= 2
    n = len(h) - w + 1
    return m[:n] if span == w else np.minimum(m[:n], m[w - span : w - span + n])


def _runs(x: np.ndarray) -> np.ndarray:
    """x without consecutive repeats (a window minimum holds for many windows): less to sort."""
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) > 1 else x


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
    out: dict[str, list] = {f.name: [] for f in SIGNATURE_SCHEMA}
    for j, i in enumerate(rows):
        fl = [f for f in (flags[i] or []) if isinstance(f, str)]
        sh = shingles[j]
        out["doc_id"].append(ids[i])
        out["fp_hash"].append(xxhash.xxh3_64_intdigest(fps[j].encode("utf-8")))
        out["fp_chars"].append(len(fps[j]))
        nc = n_chars[i]
        out["n_chars"].append(int(nc) if isinstance(nc, int) and nc >= 0 else len(texts[i] or ""))
        out["truncated"].append("truncated" in fl)
        out["n_flags"].append(flag_rank(fl))
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
    return sorted_table(table, ["doc_id"]) if table.num_rows else table


def _list_array(values: list[np.ndarray], type_: pa.DataType) -> pa.Array:
    """Build a list column from numpy arrays without a Python object per element."""
    value_type = type_.value_type
    np_type = np.dtype(value_type.to_pandas_dtype())
    flat = np.concatenate(values).astype(np_type) if values else np.zeros(0, dtype=np_type)
    if pa.types.is_fixed_size_list(type_):
        return pa.FixedSizeListArray.from_arrays(pa.array(flat, type=value_type), type_.list_size)
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in values])]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), pa.array(flat, type=value_type))


# --- grouping kernels (sort-based; shared by the partition kernels of dedupe_cluster) ----------
#
# numpy's np.unique without return_counts/inverse is hash-based and very slow on millions of
# 64-bit values; everything here sorts instead (stable sort: the inputs are runs of per-document
# sorted hashes, which timsort merges fast).


def _sort_unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (what np.unique returns), by sorting."""
    if len(x) < 2:
        return np.array(x, copy=True)
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]]


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


# ----------------------------------------------------------------------------- stage runner


# Documents signed at a time (texts, shingles and digests of one batch in memory, not the shard's).
# A 32 MB slice of the 20k bench alone in a fresh process: 512 rows 448 MB peak, 128 rows 334 MB,
# 64 rows 310 MB, same CPU (4.3-4.7 s) and bytes; in a pool worker this adds to extract's ~590 MB.
SIGN_BATCH_ROWS = 128


_RECORD_NUMBER = re.compile(r"\d+")


def listing_key(source_path: str | None, record: str | None, doc_id: str) -> tuple[str, int, str]:
    """A document's place in the input listing: its path, then its position in a multi-document
    file (`L12` before `L100`, `row=3`; -1 for a whole file), then doc_id. The same whether a
    container file is one shard or several slices."""
    found = _RECORD_NUMBER.search(record) if record else None
    return (source_path or "", int(found.group()) if found else -1, doc_id)


def signature_shard(inputs: dict, out_dir: str) -> dict:
    """Per shard: fingerprints, MinHash bands and anchors of every normalized document, rows in
    listing order (`listing_key`): the global step names a cluster after its first member in the
    listing, which must not depend on where the shard boundaries fall."""
    from pathlib import Path

    import pyarrow.parquet as pq

    from tasks.common import ARTIFACT_COMPRESSION, write_table

    parts, place = [], {}
    # Row batches: a worker holds one batch's texts and shingles, the signatures of the shard as Arrow.
    docs_file = pq.ParquetFile(Path(inputs["normalize"]) / "docs.parquet")
    columns = ["doc_id", "text", "norm_flags", "n_chars", "source_path", "record"]
    for docs in docs_file.iter_batches(SIGN_BATCH_ROWS, columns=columns):
        flags = [sorted(k for k, _ in (m or [])) for m in docs.column("norm_flags").to_pylist()]
        ids = docs.column("doc_id").to_pylist()
        for d, path, rec in zip(ids, docs.column("source_path").to_pylist(), docs.column("record").to_pylist()):
            place[d] = listing_key(path, rec, d)
        table = pa.table(
            {
                "doc_id": docs.column("doc_id"),
                "text": docs.column("text"),
                "quality_flags": pa.array(flags, pa.list_(pa.string())),
                "n_chars": docs.column("n_chars"),
            }
        )
        parts.append(shard_signatures(table))
    sigs = pa.concat_tables(parts) if parts else shard_signatures(pa.table({"doc_id": pa.array([], pa.string())}))
    keys = [place[d] for d in sigs.column("doc_id").to_pylist()]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    # in the normalized file's order: nearly always the order the batches came in (see common.sorted_table)
    sigs = sigs.combine_chunks() if order == list(range(len(keys))) else sigs.take(pa.array(order, pa.int64()))
    hashes = ("minhash", "bands", "sample", "anchors")  # incompressible: 19.7 MB a shard with zstd or without
    write_table(sigs, Path(out_dir) / "signatures.parquet", compression=ARTIFACT_COMPRESSION, plain=hashes)
    return {"docs": sigs.num_rows}

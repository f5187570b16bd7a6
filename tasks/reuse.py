"""Reuse: passages shared by documents of different clusters (a county copying its city's wording,
a speech reusing last year's).

Built like dedupe's anchor index: each document's normalized characters (Han and digits) are
shingled (5 characters) and winnowed (window 24), so every shared run of 28+ characters shares
an anchor. Anchors are grouped per hash partition (a contiguous range of the hash's top bits:
memory bounded by one partition); an anchor in more than FORMULA_CLUSTERS clusters is a formula,
counted in a summary instead of paired. Hits of one document pair on one diagonal are chained and
extended to the exact maximal shared passage; passages of MIN_PASSAGE+ characters with mostly rare
anchors are kept.

    anchors = anchor_table(docs)                              # per shard (the members stage)
    rows, formulae = find_reuse(new_docs, old_anchors, old_docs)  # in memory (tests, bench)
    reuse_stage(member_dirs, out_dir)                         # the pipeline's global step, out of core

The stage never holds the corpus: anchors are read one hash partition at a time from every
shard's anchors.parquet, the pairs they give are spilled to disk, then processed by ranges of
doc_id_a (output parts, more of them as the corpus grows: reuse_part_count; they concatenate in
sorted order); texts are read only for the pairs whose passages must be extended, in batches, from
the row groups that hold them.
Incremental: each hash partition keeps a digest per anchor group; the next run pairs only the
groups whose rows changed (new documents join few groups), keeps the other groups' hits, and names
the document pairs those changes touch. Only those pairs are extended again; every other pair keeps
its rows, and an output part with none of them is linked, not rewritten.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.common import sorted_table, stable_order
from tasks.dedupe import SHINGLE, WINDOW, shingle_hashes
from tasks.schema import ANCHORS

_kernels: Any
try:  # compiled at install (setup.py, tasks/_kernels.pyx); without them the same positions, in numpy
    import tasks._kernels as _kernels
except ImportError:  # pragma: no cover - no C compiler at install
    _kernels = None

MIN_PASSAGE = 50  # shared characters (Han + digits) for a passage to count as reuse (issue 13)
FORMULA_CLUSTERS = 25  # anchor in more clusters than this: a formula (政府工作报告 openings), not paired
FORMULA_DOCS = 60  # ... or in more documents than this (copies of one speech count once per cluster)
RARE_CLUSTERS = 4  # an anchor in at most this many clusters is rare: real evidence of copying
MIN_RARE_SHARE = 0.5  # a passage needs half of its anchors rare (boilerplate discount)
MIN_FORMULA_ANCHORS = 2  # one common anchor is a common phrase (各民主党派); a formula passage has several
PARTITIONS = 16  # anchor hash partitions of the in-memory find_reuse (the stage picks its own, see below)
PART_BITS = 12  # anchors.part = the hash's top 12 bits (4096 buckets); a partition is a contiguous range of them
MAX_PARTITION_ROWS = 250_000  # anchor rows of one partition in memory (~0.5 KB each while read and paired, bench_reuse)
# Output parts = ranges of doc_id_a by its first hex digits (doc ids are 16 hex, ingest): REUSE_PARTS,
# doubled while a part would hold more than REUSE_PART_DOCS canonical documents on average
# (reuse_part_count). A part's call holds its pairs' rows and hits, so with a fixed 64 a call grew with
# the corpus: the largest reuse_part call grew its worker by 252 MiB at 20k (7,440 canonical
# documents, 116 a part) and 649 MiB at 100k (40 k, 627 a part; session 35's runs). 256 keeps 20k at
# 64 parts (its output unchanged) and bounds a part at about twice the 20k bench's.
REUSE_PARTS = 64
REUSE_PART_DOCS = 256
TEXT_BATCH_CHARS = 16_000_000  # texts of one batch of pairs in memory (8 B a character with the folded copy: ~130 MB)
TEXT_CACHE_CHARS = 16_000_000  # recently used texts kept across batches and parts (another ~130 MB at most)
# What of that cache a worker keeps between its reuse calls (release_parts), for the next call of the same
# run: a canonical text pairs with documents of many output parts, and a +1 % run's parts are dealt out to
# several calls, so 37 % of the 5k bench's +1 % text reads were texts another call had read (session 51).
# ~8 B a character held (the text, its folded copy and int32 offsets): ~32 MB. See _TextCache.
KEPT_TEXT_CHARS = 4_000_000
# reuse_finish's formula runs: texts read per batch, and the corpus's text cache in that call. The 100k
# cold call replayed (session 36) grew 581 MiB with TEXT_BATCH_CHARS and the 16 M cache, 397 MiB with
# 4 M for both (CPU 3.1 -> 4.1 s: texts read again; a nightly run computes few runs); 2 M or no cache
# gained less than 45 MiB more for up to 2.6 s. What is left is the corpus, the formula records as
# Python tuples and Arrow's buffers of the row groups read.
FORMULA_TEXT_CHARS = 4_000_000
# documents per row group of canonical.parquet: a text is read with the others of its group. An
# incremental run reads the texts of the new documents' partners, scattered over every shard: with
# 16, 2,313 texts cost 1,126 row groups (18 k texts decompressed) on the 5k bench's +1 % run
CANONICAL_ROW_GROUP = 4
# Row groups read by one call: one read and one filter a row group cost ~0.3 ms of Arrow calls, and a cold run's
# reuse parts read ~15 k of them. The 20k cold run's 64 parts replayed in one process (session 34): one group a
# call 17.1 / 16.5 CPU-s, peak 432 / 421 MB; 16 a call 12.3 / 12.7 CPU-s, 469 / 510 MB (<= 64 texts, ~7 MB as
# UTF-8, held before the wanted rows are taken); 64 a call 13.4 CPU-s, 557 MB. Same files.
TEXT_READ_GROUPS = 16
# What a text read takes from a shard's listing.parquet (schema.CANONICAL_LISTING: canonical.parquet's
# columns but the text, rows in the same order): only the text is read from canonical.parquet
LISTED_FIELDS = ("doc_id", "cluster_id", "year", "delivered_on", "admin_level")
CHAIN_GAP = WINDOW + SHINGLE  # winnowing puts an anchor at least every WINDOW positions of a shared run
# an earlier run's partition ranges are kept (its groups compared, not re-paired) while the partition
# count is the same and no partition holds more than this times MAX_PARTITION_ROWS: memory stays
# within 25 % of the cap's; past that the hash space is cut again (a recut pairs everything once).
# Winnowed hashes are uniform, so the ranges of an earlier run stay balanced as the corpus grows.
BOUNDS_SLACK = 1.25
# A re-run shard most of whose canonical documents kept their texts (a +1 % run: a cluster's canonical
# copy moved into it): its other documents' rows are read from its anchors file once per process and
# the rest adopted from the earlier partitions, instead of the whole file's range in every partition
# (100k +1 %: 38 such documents made 31 shards' 4.6 M rows be read again, for ~16 k rows; session 17).
# Taken while the shard's unknown documents are at most this share of it, and at most
# PARTLY_KNOWN_MAX_DOCS in all (their rows are held for the process: ~420 rows, ~13 KB a document).
PARTLY_KNOWN_MAX_SHARE = 0.1
PARTLY_KNOWN_MAX_DOCS = 4096
MAX_GROUP_PAIRS = 1_000_000  # occurrence pairs generated at once (one triu block: ~60 B a pair in flight, bench_reuse)

# Acknowledgement and procedure paragraphs every report words alike (向…致以崇高的敬意, 自觉接受…监督,
# 请予审议): shared wording, but not policy reuse. Flagged, not dropped.
FORMULAIC = re.compile(
    r"致以|敬意|谢意|衷心(?:的)?感谢|接受.{0,12}监督|向大会(?:作|报告)|请予审议|提出意见|的结果[；;，。]"
    r"|[向、，]各民主党派|驻[\u4e00-\u9fff]{1,4}(?:部队|解放军|单位)|解放军指战员|武警(?:部队)?官兵"
)

ANCHOR_SCHEMA = ANCHORS  # tasks.schema owns every schema


def fold(text: str) -> tuple[str, np.ndarray]:
    """Han and digits only (punctuation, spacing, Latin go), with each kept character's offset in text."""
    if not isinstance(text, str) or not text:
        return "", np.zeros(0, dtype=np.int64)
    cps = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    keep = (
        ((cps >= 0x30) & (cps <= 0x39))
        | ((cps >= 0x3400) & (cps <= 0x4DBF))
        | ((cps >= 0x4E00) & (cps <= 0x9FFF))
        | ((cps >= 0xF900) & (cps <= 0xFAFF))
    )
    offs = np.flatnonzero(keep)
    return cps[keep].tobytes().decode("utf-32-le"), offs


def _winnow_positions(h: np.ndarray) -> np.ndarray:
    """Positions of the winnowed minima (rightmost minimum of each window), unique, in order."""
    if len(h) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(h) <= WINDOW:
        return np.array([int(np.argmin(h))], dtype=np.int64)
    if _kernels is not None and h.dtype == np.uint64:
        return _kernels.winnow(np.ascontiguousarray(h), WINDOW)
    return _winnow_numpy(h, WINDOW)


def _winnow_numpy(h: np.ndarray, window: int) -> np.ndarray:
    """_kernels.winnow without a compiler: every window read whole (len(h) > window)."""
    win = np.lib.stride_tricks.sliding_window_view(h, window)
    rev = window - 1 - np.argmin(win[:, ::-1], axis=1)
    return np.unique(np.arange(len(win)) + rev)


def _part_of(h: np.ndarray) -> np.ndarray:
    """anchors.part: the hash's top PART_BITS bits, so a partition is a contiguous range of parts
    (one read with row-group pruning per shard) and any power of two up to 4096 can be used."""
    return (h >> np.uint64(64 - PART_BITS)).astype(np.int16)


def partition_range(p: int, n: int) -> tuple[int, int]:
    """Parts [lo, hi) of partition p of n (n a power of two, at most 2**PART_BITS)."""
    if n < 1 or n & (n - 1) or n > 1 << PART_BITS:
        raise ValueError(f"partition count must be a power of two up to {1 << PART_BITS}, got {n}")
    width = (1 << PART_BITS) // n
    return p * width, (p + 1) * width


def anchor_table(docs: Iterable[dict]) -> pa.Table:
    """Winnowed anchors of documents (doc_id, cluster_id, text): the reuse index rows."""
    cols: dict[str, list] = {f.name: [] for f in ANCHOR_SCHEMA}
    for d in docs:
        if not d.get("doc_id"):
            continue
        fp, _ = fold(d.get("text") or "")
        h = shingle_hashes(fp)
        pos = _winnow_positions(h)
        hv = h[pos].astype(np.uint64)
        cols["part"].append(_part_of(hv))
        cols["hash"].append(hv)
        cols["pos"].append(pos.astype(np.int32))
        cols["doc_id"].append(np.full(len(pos), d["doc_id"], dtype=object))
        cols["cluster_id"].append(np.full(len(pos), d.get("cluster_id") or d["doc_id"], dtype=object))
    if not cols["hash"]:
        return ANCHOR_SCHEMA.empty_table()
    table = pa.table(
        {
            "part": pa.array(np.concatenate(cols["part"]), pa.int16()),
            "hash": pa.array(np.concatenate(cols["hash"]), pa.uint64()),
            "doc_id": pa.array(np.concatenate(cols["doc_id"]).tolist(), pa.string()),
            "cluster_id": pa.array(np.concatenate(cols["cluster_id"]).tolist(), pa.string()),
            "pos": pa.array(np.concatenate(cols["pos"]), pa.int32()),
        },
        schema=ANCHOR_SCHEMA,
    )
    return sorted_table(table, ["part", "hash", "doc_id", "pos"])


def _hits(
    h: np.ndarray, d: np.ndarray, c: np.ndarray, pos: np.ndarray, is_new: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Pairs of anchor occurrences in different clusters (one of them new) within one partition,
    and the formula anchors (too many clusters to pair).

    h: hashes, d: document codes ordered like the doc_id strings, c: cluster codes, pos: folded
    offsets, is_new: per row. Returns hits {a, b, pa, pb, rare, h} with a < b (h: the anchor's hash),
    and formulae {hash,
    n_docs, n_clusters, doc, pos, other, other_pos} (the first document of the anchor, and the
    first one in another cluster: the two examples its passage is extended between)."""
    hits: dict[str, list] = {k: [] for k in ("a", "b", "pa", "pb", "rare", "h")}
    if len(h):  # most anchors are in one document only: keep the rows of hashes that occur twice or more
        hs = h[(o := np.argsort(h))]
        same = hs[1:] == hs[:-1]
        multi = o[np.r_[False, same] | np.r_[same, False]]
        h, d, c, pos, is_new = h[multi], d[multi], c[multi], pos[multi], is_new[multi]
    n = len(h)
    if n == 0:
        return _concat(hits), _formula_arrays(None)
    o = np.lexsort((pos, d, h))  # (hash, document, offset) is unique: the order does not depend on the input's
    h, d, c, pos, is_new = h[o], d[o], c[o], pos[o], is_new[o]
    start = np.r_[True, h[1:] != h[:-1]]
    gs = np.flatnonzero(start)
    size = np.diff(np.r_[gs, n])
    gid = np.cumsum(start) - 1
    n_docs = np.add.reduceat((start | np.r_[True, d[1:] != d[:-1]]).astype(np.int64), gs)
    o2 = np.lexsort((c, h))  # the same groups, clusters sorted inside: distinct clusters per anchor
    hc, cc = h[o2], c[o2]
    n_cl = np.add.reduceat(np.r_[True, (hc[1:] != hc[:-1]) | (cc[1:] != cc[:-1])].astype(np.int64), gs)
    shared = n_cl >= 2
    formula = shared & ((n_cl > FORMULA_CLUSTERS) | (n_docs > FORMULA_DOCS))
    fg = np.flatnonzero(formula)
    if len(fg):
        other_at = np.where(c != c[gs][gid], np.arange(n), n)
        other = np.minimum.reduceat(other_at, gs)[fg]
        first = gs[fg]
        f = {
            "hash": h[first],
            "n_docs": n_docs[fg],
            "n_clusters": n_cl[fg],
            "doc": d[first],
            "pos": pos[first],
            "other": d[other],
            "other_pos": pos[other],
        }
    else:
        f = _formula_arrays(None)
    pg = np.flatnonzero(shared & ~formula)
    if not is_new.all():
        pg = pg[np.add.reduceat(is_new.astype(np.int64), gs)[pg] > 0]
    sizes = size[pg]
    for s in np.unique(sizes).tolist():
        starts = gs[pg[sizes == s]]
        ii, jj = np.triu_indices(s, k=1)
        step = max(1, MAX_GROUP_PAIRS // len(ii))
        for k in range(0, len(starts), step):
            st = starts[k : k + step, None]
            i, j = (st + ii).ravel(), (st + jj).ravel()
            keep = (c[i] != c[j]) & (is_new[i] | is_new[j])
            i, j = i[keep], j[keep]  # sorted by document inside an anchor: d[i] < d[j]
            hits["a"].append(d[i])
            hits["b"].append(d[j])
            hits["pa"].append(pos[i])
            hits["pb"].append(pos[j])
            hits["rare"].append(n_cl[gid[i]] <= RARE_CLUSTERS)
            hits["h"].append(h[i])
    return _concat(hits), f


def _concat(cols: dict[str, list]) -> dict[str, np.ndarray]:
    kinds = {"a": np.int64, "b": np.int64, "pa": np.int64, "pb": np.int64, "rare": np.bool_, "h": np.uint64}
    return {k: (np.concatenate(v).astype(kinds[k]) if v else np.zeros(0, kinds[k])) for k, v in cols.items()}


def _formula_arrays(parts: list[dict[str, np.ndarray]] | None) -> dict[str, np.ndarray]:
    names = ("hash", "n_docs", "n_clusters", "doc", "pos", "other", "other_pos")
    if not parts:
        return {k: np.zeros(0, np.uint64 if k == "hash" else np.int64) for k in names}
    return {k: np.concatenate([p[k] for p in parts]) for k in names}


def _formula_tuples(f: dict[str, np.ndarray], ids: np.ndarray) -> list[tuple]:
    return list(
        zip(
            f["hash"].tolist(),
            f["n_docs"].tolist(),
            f["n_clusters"].tolist(),
            ids[f["doc"]].tolist(),
            f["pos"].tolist(),
            ids[f["other"]].tolist(),
            f["other_pos"].tolist(),
            strict=True,
        )
    )


def _table_hits(t: pa.Table, new_ids: set[str]) -> tuple[dict[str, np.ndarray], list[tuple]]:
    """_hits on an anchor table (hash, doc_id, cluster_id, pos), documents as doc_id strings."""
    if t.num_rows == 0:
        return {k: np.zeros(0, object) for k in ("a", "b")} | _concat({"pa": [], "pb": [], "rare": []}), []
    ids, d = np.unique(np.asarray(t.column("doc_id").to_pylist(), dtype=object), return_inverse=True)
    _, c = np.unique(np.asarray(t.column("cluster_id").to_pylist(), dtype=object), return_inverse=True)
    is_new = np.isin(ids, np.array(sorted(new_ids), dtype=object))[d]
    hits, f = _hits(t.column("hash").to_numpy(), d, c, t.column("pos").to_numpy().astype(np.int64), is_new)
    hits["a"], hits["b"] = ids[hits["a"]], ids[hits["b"]]
    return hits, _formula_tuples(f, ids)


def _extend(fa: str, fb: str, x: int, y: int) -> tuple[int, int, int]:
    """Maximal exact common run of fa and fb through (x, y): (start_a, start_b, length)."""
    s = 0
    while x - s - 16 >= 0 and y - s - 16 >= 0 and fa[x - s - 16 : x - s] == fb[y - s - 16 : y - s]:
        s += 16
    while x - s > 0 and y - s > 0 and fa[x - s - 1] == fb[y - s - 1]:
        s += 1
    e = 0
    while fa[x + e : x + e + 64] == fb[y + e : y + e + 64] and x + e + 64 <= len(fa) and y + e + 64 <= len(fb):
        e += 64
    while x + e < len(fa) and y + e < len(fb) and fa[x + e] == fb[y + e]:
        e += 1
    return x - s, y - s, s + e


def _date_of(d: dict) -> tuple[dt.date | None, int | None]:
    day = d.get("delivered_on")
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        day = None
    year = d.get("year")
    year = int(year) if isinstance(year, int | np.integer) else (day.year if day else None)
    return day, year


def _first(da: dict, db: dict) -> str | None:
    (day_a, year_a), (day_b, year_b) = _date_of(da), _date_of(db)
    if day_a and day_b and day_a != day_b:
        return da["doc_id"] if day_a < day_b else db["doc_id"]
    if year_a and year_b and year_a != year_b:
        return da["doc_id"] if year_a < year_b else db["doc_id"]
    return None


def find_reuse(
    new_docs: list[dict],
    old_anchors: Callable[[int], pa.Table] | pa.Table | None = None,
    old_docs: Callable[[list[str]], dict[str, dict]] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Reuse rows (schema.REUSE) and formula rows (schema.REUSE_FORMULAE) for new documents, in memory.

    new_docs: dicts with doc_id, cluster_id, text, optional delivered_on (date) and year; pass one
    document per cluster (the canonical, or best_text) — copies of one speech are never paired.
    old_anchors: the stored index (anchor_table of earlier documents), a table or a function
    partition -> table (partition p of PARTITIONS: parts partition_range(p, PARTITIONS)). old_docs:
    doc_id -> dict for the earlier documents a pair needs (their text and dates). Anchor counts
    (formula, rare) then include the earlier documents; rows of old pairs are not returned.
    """
    new = {d["doc_id"]: d for d in new_docs if d.get("doc_id")}
    new_index = anchor_table(new.values())
    new_ids = pa.array(sorted(new), pa.string())
    found: list[dict[str, np.ndarray]] = []
    formula: list[tuple] = []
    for part in range(PARTITIONS):
        lo, hi = partition_range(part, PARTITIONS)
        t = _parts(new_index, lo, hi)
        if old_anchors is not None:
            old = _parts(old_anchors(part) if callable(old_anchors) else old_anchors, lo, hi)
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=new_ids)))
            t = pa.concat_tables([t, old.select(ANCHOR_SCHEMA.names).cast(ANCHOR_SCHEMA)])
        hits, f = _table_hits(t, set(new))
        found.append(hits)
        formula.extend(f)
    a = np.concatenate([h["a"] for h in found])
    b = np.concatenate([h["b"] for h in found])
    docs = dict(new)
    need = sorted((set(a.tolist()) | set(b.tolist())) - set(docs))
    if need and old_docs is not None:
        docs.update(old_docs(need))
    ids, codes = np.unique(np.concatenate([a, b]).astype(object), return_inverse=True) if len(a) else (a, a)
    rows = _passages(
        codes[: len(a)],
        codes[len(a) :],
        np.concatenate([h["pa"] for h in found]),
        np.concatenate([h["pb"] for h in found]),
        np.concatenate([h["rare"] for h in found]),
        ids,
        docs,
    )
    return rows, _formulae(formula, docs, old_docs)


def _parts(t: pa.Table, lo: int, hi: int) -> pa.Table:
    part = t.column("part")
    return t.filter(pc.and_(pc.greater_equal(part, lo), pc.less(part, hi)))


def _sorted_hits(a, b, pa_, pb_, rare) -> tuple[np.ndarray, ...]:
    """Hits sorted by pair, diagonal, offset; and where each chain starts (same pair, same diagonal,
    consecutive anchors at most CHAIN_GAP apart)."""
    diag = pb_ - pa_
    o = np.lexsort((pa_, diag, b, a))
    a, b, pa_, pb_, rare, diag = a[o], b[o], pa_[o], pb_[o], rare[o], diag[o]
    brk = np.r_[
        True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (diag[1:] != diag[:-1]) | (pa_[1:] - pa_[:-1] > CHAIN_GAP)
    ]
    return a, b, pa_, pb_, rare, np.flatnonzero(brk)


def _passages(
    a, b, pa_, pb_, rare, ids: np.ndarray, docs: dict[str, dict], outcomes: list[tuple] | None = None
) -> list[dict]:
    """Rows of the hits (a, b: codes into ids), sorted; documents missing from docs are skipped.
    outcomes: receives each extended chain's (a, b, x, y, sa, sb, length, start_a, start_b), length 0
    where it gave no row (CHAIN_DTYPE: what lets a later run take the pair's rows without texts)."""
    if not len(a):
        return []
    a, b, pa_, pb_, rare, starts = _sorted_hits(a, b, pa_, pb_, rare)
    rare_share = np.add.reduceat(rare.astype(np.int64), starts) / np.diff(np.r_[starts, len(a)])
    folded: dict[str, tuple[str, np.ndarray]] = {}

    def fp(doc_id: str) -> tuple[str, np.ndarray]:
        if doc_id not in folded:
            d = docs[doc_id]
            folded[doc_id] = d["_fold"] if "_fold" in d else fold(d.get("text") or "")
        return folded[doc_id]

    rows: list[dict] = []
    half = (MIN_PASSAGE + 1) // 2  # a run of MIN_PASSAGE through x reaches half of it on one side
    keep = rare_share >= MIN_RARE_SHARE  # mostly common anchors: never a row, not worth extending
    starts = starts[keep]
    for ca, cb, x, y in zip(
        a[starts].tolist(), b[starts].tolist(), pa_[starts].tolist(), pb_[starts].tolist(), strict=True
    ):
        da, db = str(ids[ca]), str(ids[cb])
        if da not in docs or db not in docs:
            continue
        (fa, oa), (fb, ob) = fp(da), fp(db)
        if fa[x : x + SHINGLE] != fb[y : y + SHINGLE]:
            if outcomes is not None:
                outcomes.append((ca, cb, x, y, -1, -1, 0, -1, -1))
            continue  # hash collision
        if fa[x : x + half] != fb[y : y + half] and (x < half or y < half or fa[x - half : x] != fb[y - half : y]):
            if outcomes is not None:
                outcomes.append((ca, cb, x, y, -1, -1, 0, -1, -1))
            continue  # shorter than MIN_PASSAGE whichever way it extends
        sa, sb, length = _extend(fa, fb, x, y)
        if length < MIN_PASSAGE:
            if outcomes is not None:
                outcomes.append((ca, cb, x, y, -1, -1, 0, -1, -1))
            continue
        start_a, end_a = int(oa[sa]), int(oa[sa + length - 1]) + 1
        start_b, end_b = int(ob[sb]), int(ob[sb + length - 1]) + 1
        if outcomes is not None:
            outcomes.append((ca, cb, x, y, sa, sb, length, start_a, start_b))
        if rows and rows[-1]["doc_id_a"] == da and rows[-1]["doc_id_b"] == db and rows[-1]["_fa"] == (sa, sb):
            continue  # the same run reached from a later chain
        ta = docs[da].get("text") or ""
        day_a, _ = _date_of(docs[da])
        day_b, _ = _date_of(docs[db])
        rows.append(
            {
                "doc_id_a": da,
                "doc_id_b": db,
                "cluster_a": docs[da].get("cluster_id"),
                "cluster_b": docs[db].get("cluster_id"),
                "start_a": start_a,
                "end_a": end_a,
                "start_b": start_b,
                "end_b": end_b,
                "length": length,
                "passage": ta[start_a:end_a],
                "formulaic": bool(FORMULAIC.search(ta[start_a:end_a])),
                "first_doc_id": _first(docs[da], docs[db]),
                "date_a": day_a,
                "date_b": day_b,
                "_fa": (sa, sb),
            }
        )
    seen = set()
    out = []
    for r in rows:
        key = (r["doc_id_a"], r["doc_id_b"], r["start_a"], r["start_b"])
        if key in seen:
            continue
        seen.add(key)
        r.pop("_fa")
        out.append(r)
    out.sort(key=lambda r: (r["doc_id_a"], r["doc_id_b"], r["start_a"], r["start_b"]))
    return out


def _formulae(
    formula: list[tuple],
    docs: dict[str, dict],
    old_docs,
    memo: dict[str, Any] | None = None,
    print_of: Callable[[str], str] | None = None,
    chars_of: Callable[[str], int] | None = None,
) -> list[dict]:
    """Formula anchors merged into passages of their example document, one row per passage.

    memo (with print_of: doc id -> the fingerprint of its text, cluster and dates): each run of
    anchors' row (or None) by a key of the run and its two documents' fingerprints. Runs found
    there need no text; the others are computed and added, so the stage's next run reads only the
    texts of runs that changed. chars_of (doc id -> its length): the texts are read through
    old_docs in batches of at most FORMULA_TEXT_CHARS, not all at once."""
    if not formula:
        return []
    formula.sort(key=lambda f: (f[3], f[4]))
    runs: list[list[tuple]] = []
    k = 0
    while k < len(formula):
        m = k + 1
        while m < len(formula) and formula[m][3] == formula[k][3] and formula[m][4] - formula[m - 1][4] <= CHAIN_GAP:
            m += 1
        if m - k >= MIN_FORMULA_ANCHORS:
            runs.append(formula[k:m])
        k = m
    keys: list[str | None] = [None] * len(runs)
    if memo is not None and print_of is not None:
        keys = [
            hashlib.sha256(
                json.dumps(
                    [[(f[0], f[3], f[4], f[5], f[6]) for f in run], print_of(run[0][3]), print_of(run[0][5])]
                ).encode()
            ).hexdigest()[:24]
            for run in runs  # the counts are left out: a formula that spreads keeps its passage
        ]
    todo = [i for i, key in enumerate(keys) if key is None or memo is None or key not in memo]
    spans: dict[int, tuple[int, str] | None] = {}
    for batch in _text_batches(todo, runs, docs, chars_of):
        need = sorted({runs[i][0][3] for i in batch} | {runs[i][0][5] for i in batch})
        need = [d for d in need if d not in docs]
        texts = {**docs, **old_docs(need)} if need and old_docs is not None else docs
        for i in batch:
            spans[i] = _formula_span(runs[i], texts)
        del texts
    out: dict[str, dict] = {}
    for i, run in enumerate(runs):
        key = keys[i]
        if i in spans:
            span = spans[i]
            if memo is not None and key is not None:
                memo[key] = span
        else:
            span = memo[key] if memo is not None and key is not None else None
        if span is None:
            continue
        row = {
            "passage": span[1],
            "n_docs": min(f[1] for f in run),
            "n_clusters": min(f[2] for f in run),
            "example_doc_id": run[0][3],
            "start": span[0],
        }
        passage = row["passage"]
        if passage not in out or row["n_docs"] > out[passage]["n_docs"]:
            out[passage] = row
    if memo is not None:  # only this corpus's runs go on to the next run
        live = set(keys)
        for key in [key for key in memo if key not in live]:
            del memo[key]
    return [out[p] for p in sorted(out)]


def _text_batches(
    todo: list[int], runs: list[list[tuple]], docs: dict[str, dict], chars_of: Callable[[str], int] | None
) -> Iterable[list[int]]:
    """The runs to compute, in order, cut where their documents' texts not already in `docs` would
    pass FORMULA_TEXT_CHARS (one batch without chars_of). A cold 100k run's reuse_finish read every
    text a formula run needed at once: +515 MiB in that call, growing with the corpus."""
    if chars_of is None:
        if todo:
            yield todo
        return
    batch: list[int] = []
    held: set[str] = set()
    chars = 0
    for i in todo:
        more = {runs[i][0][3], runs[i][0][5]} - held - docs.keys()
        extra = sum(chars_of(d) for d in more)
        if batch and chars + extra > FORMULA_TEXT_CHARS:
            yield batch
            batch, held, chars = [], set(), 0
            more = {runs[i][0][3], runs[i][0][5]} - docs.keys()
            extra = sum(chars_of(d) for d in more)
        batch.append(i)
        held |= more
        chars += extra
    if batch:
        yield batch


def _formula_span(run: list[tuple], docs: dict[str, dict]) -> tuple[int, str] | None:
    """(start, passage) of one run of formula anchors of one document (None: not a formula passage)."""
    doc, other = run[0][3], run[0][5]
    if doc not in docs or other not in docs:
        return None
    fa, oa = docs[doc]["_fold"] if "_fold" in docs[doc] else fold(docs[doc].get("text") or "")
    fb, _ = docs[other]["_fold"] if "_fold" in docs[other] else fold(docs[other].get("text") or "")
    x, y = run[0][4], run[0][6]
    if fa[x : x + SHINGLE] != fb[y : y + SHINGLE]:
        return None
    s, _, length = _extend(fa, fb, x, y)  # the whole formula, not just the span of its anchors ...
    # ... but no further than one window past its first and last formula anchor: a longer run would
    # hold another formula anchor, so beyond that the two examples share text the others do not
    s_clip = max(s, x - WINDOW)
    e_clip = min(s + length, run[-1][4] + SHINGLE + WINDOW)
    if e_clip - s_clip < MIN_PASSAGE:
        return None  # a common word or phrase, not a formula passage
    start, end = int(oa[s_clip]), int(oa[e_clip - 1]) + 1
    return start, (docs[doc].get("text") or "")[start:end]


# ----------------------------------------------------------------------------- the stage, out of core

# one hit: documents a < b (codes), their offsets, whether the anchor is rare, and g: the index of
# its anchor group in the partition's groups/PPPP.npy (a later run keeps or drops hits by group)
HIT_DTYPE = np.dtype([("a", "<i4"), ("b", "<i4"), ("pa", "<i4"), ("pb", "<i4"), ("rare", "?"), ("g", "<i4")])
GROUP_DTYPE = np.dtype([("hash", "<u8"), ("digest", "<u8")])  # anchor groups of 2+ rows, sorted by hash
# the anchor rows of a partition, kept for the next run (src: index of the shard in the step's members)
ROW_DTYPE = np.dtype([("hash", "<u8"), ("doc", "<i4"), ("pos", "<i4"), ("src", "<i4")])


def _records(rec: np.ndarray, index: Any) -> np.ndarray:
    """rec[index] for a record array (HIT_DTYPE, ROW_DTYPE: packed, unaligned fields), copied as
    whole records through a void view: numpy copies a structured item field by field, ~4x the CPU
    of moving the same bytes (600 k hits: 20 against 5 ms a mask). The hits of a partition are
    copied so ~8 times a night (kept, lost, carried, sorted by a): 5k +1 %, ~1/5 of hits_part."""
    return rec.view(_void_of(rec.dtype))[index].view(rec.dtype)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """np.concatenate of record arrays of one dtype, as whole records (see _records): numpy also
    promotes a structured dtype field by field in Python on every call."""
    dtype = parts[0].dtype
    return np.concatenate([p.view(_void_of(dtype)) for p in parts]).view(dtype)


def _inserted(rec: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """np.insert(rec, at, values) of record arrays of one dtype, as whole records (see _records)."""
    void = _void_of(rec.dtype)
    return np.insert(rec.view(void), at, values.view(void)).view(rec.dtype)


@lru_cache(maxsize=8)
def _void_of(dtype: np.dtype) -> np.dtype:
    return np.dtype((np.void, dtype.itemsize))


def partition_count(anchor_rows: int) -> int:
    """Anchor partitions for a corpus: at least PARTITIONS, at most MAX_PARTITION_ROWS rows each
    (anchors spread evenly over the hash's top bits)."""
    n = PARTITIONS
    while anchor_rows > n * MAX_PARTITION_ROWS and n < 1 << PART_BITS:
        n *= 2
    return n


def reuse_part_count(docs: int) -> int:
    """Output parts of a corpus of `docs` canonical documents (see REUSE_PART_DOCS). A function of the
    corpus alone, so a nightly run and a cold run of the same corpus cut it alike; a run whose count
    differs from its earlier artifact's (the corpus crossed a doubling) recomputes every part once."""
    n = REUSE_PARTS
    while docs > n * REUSE_PART_DOCS:
        n *= 2
    return n


@lru_cache(maxsize=8)
def part_bounds(n: int) -> tuple[str, ...]:
    """The first doc id prefix of each output part but the first, for `n` parts."""
    digits = 2
    while 16**digits < n:
        digits += 1
    return tuple(f"{q * 16**digits // n:0{digits}x}" for q in range(1, n))


def part_name(q: int, n: int) -> str:
    """Output part q's file stem: zero-padded alike for every part, so the names sort in part order."""
    return f"{q:0{max(3, len(str(n - 1)))}d}"


def part_of_doc(doc_id: str, n: int = REUSE_PARTS) -> int:
    """Output part of a pair: a range of doc_id_a (16 hex digits, ingest.doc_id_for), so the parts
    concatenate in sorted order and a nightly run's new documents touch few parts' rows."""
    return bisect.bisect_right(part_bounds(n), doc_id)


def _part_starts(ids: pa.Array, n: int) -> list[int]:
    """Where each of the n output parts' codes start in the sorted doc ids, then their count (n + 1
    offsets, `_code_range`'s lower bounds): a binary search per part bound on the Arrow array. A hits
    part turned the whole listing into a Python list (twice with an earlier artifact) to find these
    64 numbers: a term of corpus size x hash partitions in every nightly run (100k: 2 x 152 lists of
    40 k ids; at a million documents ~2 x 1,500 lists of 400 k). Kept for the next partition the
    worker runs on the same listing (the ids are cached objects): the searches themselves, 256
    bounds x 16 steps of `as_py`, were ~1 of a 100k +1 % run's 25.5 profiled hits CPU-s."""
    with _STARTS_LOCK:
        for held, held_n, kept in _STARTS:
            if held is ids and held_n == n:
                return list(kept)
    starts = _part_starts_of(ids, n)
    with _STARTS_LOCK:
        _STARTS[:] = [(ids, n, tuple(starts)), *_STARTS[:1]]  # this run's listing and the earlier one's
    return starts


_STARTS: list[tuple[pa.Array, int, tuple[int, ...]]] = []  # the arrays are held: an identity is never reused
_STARTS_LOCK = threading.Lock()


def _part_starts_of(ids: pa.Array, n: int) -> list[int]:
    total = len(ids)
    starts = [0]
    for bound in part_bounds(n):
        lo, hi = starts[-1], total
        while lo < hi:
            mid = (lo + hi) // 2
            if ids[mid].as_py() < bound:
                lo = mid + 1
            else:
                hi = mid
        starts.append(lo)
    return [*starts, total]


def _code_range(id_list: list[str], q: int, n: int) -> tuple[int, int]:
    """Codes [lo, hi) of the documents whose doc_id falls in output part q of n (id_list sorted)."""
    bounds = part_bounds(n)
    lo = bisect.bisect_left(id_list, bounds[q - 1]) if q else 0
    hi = bisect.bisect_left(id_list, bounds[q]) if q < len(bounds) else len(id_list)
    return lo, hi


def _code_version() -> str:
    """This module's source and thresholds: an earlier run's rows are reused only from the same code."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


RELABELLED_FILE = "relabelled.npy"  # a hits artifact's codes of the documents whose cluster alone changed
TOUCHED_FILE = "touched.npy"  # ... of the documents new or changed (text, dates, level) since its base
# A reuse artifact's live pairs of output part QQQ: pairs/QQQ.npy, sorted pair keys (_pair_keys) in the codes of
# the hits listing it was made from, linked into the artifact as LIVE_LISTING (its docs.parquet): the next run
# moves them to its codes with _code_remap. Stored as doc id strings in Parquet, reading, looking up and writing
# them back was ~0.15-0.2 CPU-s of a 5k +1 % run's reuse parts (74 k live pairs; 0.02 as keys).
LIVE_LISTING = "docs.parquet"
LISTING_FILE = "listing.parquet"  # a members artifact's canonical.parquet without texts (schema.CANONICAL_LISTING)


def text_digests(text: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """(xxh3_128 of each text's UTF-8 bytes, of b"" when null; its length in characters, 0 when
    null): what a document's listing row depends on of its text (`canonical_listing`). Hashed where
    Arrow holds the bytes: no Python string is made."""
    import xxhash

    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    text = text.cast(pa.string())
    chars = pc.fill_null(pc.utf8_length(text), 0).cast(pa.int32())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + len(text) + 1]
    data = memoryview(text.buffers()[2] or b"")
    valid = text.is_valid().to_numpy(zero_copy_only=False)
    empty = xxhash.xxh3_128_digest(b"")
    digests = [
        xxhash.xxh3_128_digest(data[offsets[i] : offsets[i + 1]]) if valid[i] else empty for i in range(len(text))
    ]
    return pa.array(digests, pa.binary(16)), chars


def canonical_listing(canonical: pa.Table) -> pa.Table:
    """A shard's `listing.parquet` (schema.CANONICAL_LISTING) from its canonical.parquet table: the
    members stage writes both; the reuse step lists the corpus (`corpus_listing`) and numbers its
    documents (`_doc_codes`) from the listing, one row group, instead of canonical.parquet's
    thousands of 4-document row groups and its texts."""
    from tasks.schema import CANONICAL_LISTING

    digests, chars = text_digests(canonical.column("text"))
    small = canonical.select([n for n in CANONICAL_LISTING.names if n in canonical.column_names])
    return small.append_column("text_digest", digests).append_column("chars", chars).cast(CANONICAL_LISTING)


def _listing_table(member_dir: str | Path) -> pa.Table:
    """A shard's listing: its listing.parquet, or (an artifact without one: tests, benches write
    canonical.parquet alone) made from its canonical.parquet, to the same values."""
    f = Path(member_dir) / LISTING_FILE
    if f.exists():
        return _read(f)
    return canonical_listing(_read(Path(member_dir) / "canonical.parquet"))


def _listing_file(member_dir: str | Path) -> Path:
    """The file a shard's listing is read from (what its key in docs.parquet and hits.json names)."""
    return Path(_found(member_dir, LISTING_FILE, "canonical.parquet")[0])


def _found(member_dir: str | Path, first: str, fallback: str) -> tuple[str, tuple[int, ...], bool]:
    """(path, _stamp, whether it is `first`) of `first` in the folder, else of `fallback`: one stat
    where `first` exists, as strings. Why: every hits part names every shard's files (its key, its
    codes, its sources) — O(shards) a part, and parts grow with the corpus too; through pathlib and
    three stats a file that was ~2 of a 100k +1 % run's 25.6 hits CPU-s (152 parts x 113 shards).
    Raises FileNotFoundError when neither exists."""
    for name, is_first in ((first, True), (fallback, False)):
        path = os.path.join(member_dir, name)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if is_first:
                continue
            raise
        return path, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), is_first
    raise AssertionError("unreachable")


LISTING_SCHEMA = pa.schema(
    [
        ("shard", pa.int32()),
        ("shard_key", pa.string()),
        ("doc_id", pa.string()),
        ("cluster_id", pa.string()),
        ("fingerprint", pa.string()),
        ("chars", pa.int64()),
        ("admin_level", pa.string()),
        # what the document's anchor rows depend on besides its id (_partition_rows)
        ("text_digest", pa.binary(16)),
        # the fingerprint without the cluster's value (_listing_diff: relabelled documents)
        ("content", pa.string()),
    ]
)


def corpus_listing(member_dirs: list[str], earlier: Path | None = None) -> pa.Table:
    """One row per canonical document: its shard (index into member_dirs), doc id, cluster, the
    fingerprint of what its rows depend on (cluster, dates, text), length and level. A shard file
    listed in the earlier run's docs.parquet (same size and sha256) is not read again: its rows are
    a slice of that table, in Arrow (as Python tuples, every document of the corpus was ~9 list
    appends a night: ~1.4 of a 100k +1 % run's profiled hits CPU-s). The rows come from the shard's
    listing.parquet (`_listing_table`): a +1 % run at 20k rewrites 20 of 25 shards' canonical.parquet
    for a few changed documents, and reading those (4-document row groups, texts decoded for their
    digests) was ~0.6 CPU-s of the listing."""
    known, runs = _earlier_listing(earlier)
    tables = []
    for k, d in enumerate(member_dirs):
        f = _listing_file(d)
        # members writes its files deterministically: the same bytes, the same rows (a shard re-run
        # into a new artifact, or another output folder, is still recognised)
        key = f"{f.name}\0{f.stat().st_size}\0{hashlib.sha256(f.read_bytes()).hexdigest()}"
        if key in runs:
            at, n = runs[key]
            rows = known.slice(at, n)
            tables.append(rows.set_column(0, "shard", pa.array(np.full(n, k, np.int32))))
        else:
            tables.append(_shard_listing(k, key, _listing_table(d)))
    if not tables:
        return LISTING_SCHEMA.empty_table()
    return pa.concat_tables(tables).combine_chunks()


def _shard_listing(k: int, key: str, t: pa.Table) -> pa.Table:
    """corpus_listing's rows of one shard (index k, file key) from its listing table."""
    out: dict[str, list] = {name: [] for name in LISTING_SCHEMA.names}
    small = t.select(["doc_id", "cluster_id", "year", "delivered_on", "admin_level"]).to_pylist()
    digests = t.column("text_digest").to_pylist()
    n_chars = t.column("chars").to_pylist()
    for i, r in enumerate(small):
        head = f"{r['cluster_id']}\0{r['year']}\0{r['delivered_on']}\0".encode()
        fingerprint = hashlib.sha256(head + digests[i]).hexdigest()[:16]
        # the same without the cluster (whether it is null stays in): a document whose content is
        # the same and whose fingerprint is not was relabelled (_listing_diff)
        head = f"{r['cluster_id'] is None}\0{r['year']}\0{r['delivered_on']}\0".encode()
        content = hashlib.sha256(head + digests[i]).hexdigest()[:16]
        values = (k, key, r["doc_id"], r["cluster_id"] or r["doc_id"], fingerprint, n_chars[i], r["admin_level"])
        for name, value in zip(out, (*values, digests[i], content), strict=True):
            out[name].append(value)
    return pa.table({name: pa.array(out[name], LISTING_SCHEMA.field(name).type) for name in out})


def _earlier_listing(earlier: Path | None) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """An earlier run's docs.parquet (LISTING_SCHEMA) and, per shard key, where its rows run
    (offset, count): a shard's rows are contiguous, as corpus_listing writes them."""
    f = earlier / "docs.parquet" if earlier is not None else None
    if f is None or not f.exists():
        return LISTING_SCHEMA.empty_table(), {}
    t = _read(f).select(LISTING_SCHEMA.names).cast(LISTING_SCHEMA).combine_chunks()
    keys = t.column("shard_key")
    if not len(keys):
        return t, {}
    cut = np.flatnonzero(
        np.r_[True, ~np.asarray(pc.equal(keys.slice(1), keys.slice(0, len(keys) - 1)).to_numpy(zero_copy_only=False))]
    )
    ends = np.r_[cut[1:], len(keys)]
    names = pc.take(keys, pa.array(cut)).to_pylist()
    runs: dict[str, tuple[int, int]] = {}
    for name, a, b in zip(names, cut.tolist(), ends.tolist(), strict=True):
        runs.setdefault(name, (a, b - a))  # two shards of the same bytes list the same rows
    return t, runs


def _doc_codes(member_dirs: list[str], base: Path | None = None) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(doc ids sorted: a document's code is its index, cluster code per document, a 64-bit hash of
    each document's id and cluster): the codes _Corpus gives, from the id columns alone (what a
    hits part needs, without texts), and what an anchor row of the document depends on besides
    its hash and offset. Kept for the next part the same worker runs (ids only: ~100 B a document).
    A shard whose canonical.parquet the earlier hits artifact `base` listed is taken from its
    docs.parquet instead of its own file (thousands of tiny row groups)."""
    stamps = tuple(
        (d, _content_id_of(f, st), st)
        for d in member_dirs
        for f, st, _ in [_found(d, LISTING_FILE, "canonical.parquet")]
    )
    listed = None
    if base is not None:  # what is read from the earlier artifact: its version is part of the key too
        listed = tuple((str(Path(base) / n), _stamp_or_none(Path(base) / n)) for n in ("docs.parquet", "hits.json"))
    return _doc_codes_of(stamps, str(base) if base is not None else None, listed)


def _file_id(member_dir: str | Path) -> str:
    """A shard's listing file as hits.json records it (what docs.parquet's shard index names): its
    content (_content_id)."""
    f, st, _ = _found(member_dir, LISTING_FILE, "canonical.parquet")
    return _content_id_of(f, st)


def _content_id(f: Path) -> str:
    """A file named by its name, size and sha256: what hits.json records of each shard's files.
    Named by path, size and mtime (before session 11), a +1 % run shared nothing with the earlier
    artifact: the members stage re-runs every shard into a new artifact when the duplicates change
    (20k +1 %: 25 of 25), and writes the same bytes for a shard whose documents did not change
    (deterministic Parquet), but at another path — every anchor row was read and matched again
    (3.05 M) and no document counted as kept. Hashed once per version of the file in a process
    (_stamp: 25 shards' two files, ~120 MB at 20k, ~0.1 CPU-s a worker)."""
    return _content_id_of(str(f), _stamp(f))


@lru_cache(maxsize=4096)
def _content_id_of(path: str, stamp: tuple[int, ...]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return f"{Path(path).name}\0{stamp[2]}\0{digest.hexdigest()}"


def _stamp(f: Path) -> tuple[int, ...]:
    """Which version of a file a value cached in this process was made from: device, inode, size,
    mtime_ns. Size and mtime alone can stay the same when a file is replaced at its path (a part's
    files are moved into the artifact by rename, a retried step rewrites its artifact, an earlier
    artifact's files are hard links or copies keeping mtime); the inode of a replacement differs."""
    st = f.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _os_stamp(path: str) -> tuple[int, ...] | None:
    """_stamp_or_none of a path given as a string (no pathlib object: keys made once a partition
    for every shard)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _stamp_or_none(f: Path) -> tuple[int, ...] | None:
    try:
        return _stamp(f)
    except OSError:
        return None


@lru_cache(maxsize=1)
def _doc_codes_of(
    stamps: tuple[tuple[str, str, tuple[int, ...]], ...], base: str | None, listed_from: tuple | None
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """_doc_codes, cached on the version (_stamp) of every file it reads: each canonical.parquet
    and, with `base`, its docs.parquet and hits.json (`listed_from`, only a key)."""

    listed: dict[str, tuple[list, list]] = {}
    if base is not None and (Path(base) / "docs.parquet").exists():
        known = _meta(Path(base)).get("canonicals", [])
        if any(x in known for _, x, _ in stamps):
            t = _read(Path(base) / "docs.parquet", ["shard", "doc_id", "cluster_id"]).to_pydict()
            listed = {x: ([], []) for x in known}
            for shard, doc_id, cluster_id in zip(t["shard"], t["doc_id"], t["cluster_id"], strict=True):
                if 0 <= shard < len(known):
                    listed[known[shard]][0].append(doc_id)
                    listed[known[shard]][1].append(cluster_id)
    ids: list[str] = []
    clusters: list[str] = []
    for d, x, _ in stamps:
        if x in listed:
            ids += listed[x][0]
            clusters += listed[x][1]
            continue
        f = _listing_file(d)
        t = _read(f, ["doc_id", "cluster_id"])
        doc_ids = t.column("doc_id").to_pylist()
        ids += doc_ids
        clusters += [c or i for i, c in zip(doc_ids, t.column("cluster_id").to_pylist(), strict=True)]
    arr = np.array(ids, dtype=object)
    order = np.argsort(arr, kind="stable")
    sorted_clusters = np.array(clusters, dtype=object)[order]
    _, cluster = np.unique(sorted_clusters, return_inverse=True)
    keyed = b"".join(
        hashlib.blake2b(f"{i}\0{c}".encode(), digest_size=8).digest()
        for i, c in zip(arr[order].tolist(), sorted_clusters.tolist(), strict=True)
    )
    return pa.array(arr[order].tolist(), pa.string()), cluster, np.frombuffer(keyed, dtype="<u8")


class _TextCache:
    """The canonical rows a process has read (text, fields, "_fold"), most recently used last, keyed by
    (canonical.parquet's path, its version: _stamp, doc_id), shared by the process's threads and by its
    calls: a call's parts keep up to their corpus's bound (TEXT_CACHE_CHARS), and between calls
    release_parts trims it to KEPT_TEXT_CHARS, so the next reuse call of the run on this worker reads
    only the texts it has not met yet. A file replaced at its path has another stamp: never served
    stale. reuse_finish empties it (the stage is over)."""

    def __init__(self) -> None:
        self._rows: OrderedDict[tuple[str, tuple[int, ...], str], dict] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = 0  # rows served from the cache, for the calls' stats (texts_cached)

    def get(self, keys: list[tuple[str, tuple[int, ...], str]]) -> dict[str, dict]:
        out = {}
        with self._lock:
            for key in keys:
                row = self._rows.get(key)
                if row is not None:
                    self._rows.move_to_end(key)
                    out[key[2]] = row
            self.hits += len(out)
        return out

    def put(self, file_key: tuple[str, tuple[int, ...]], row: dict) -> None:
        with self._lock:
            key = (*file_key, row["doc_id"])
            old = self._rows.pop(key, None)
            if old is not None:
                self._chars -= len(old["text"] or "")
            self._rows[key] = row
            self._chars += len(row["text"] or "")

    def trim(self, limit: int) -> None:
        with self._lock:
            while self._chars > limit and self._rows:
                _, row = self._rows.popitem(last=False)
                self._chars -= len(row["text"] or "")

    @property
    def chars(self) -> int:
        return self._chars


_TEXTS = _TextCache()


class _Corpus:
    """The canonical documents of every shard as ids, fingerprints, levels and lengths (no
    texts: those are read on demand, a few row groups at a time), from a listing (`corpus_listing`).

    Not thread-safe: it keeps the shards' ParquetFiles open, and a ParquetFile read from two
    threads at once fails (its pre-buffered ranges are replaced under the other read: "ReadRangeCache
    did not find matching cache entry", or an abort in a mutex). `_load_corpus` gives each thread
    its own; `close` shuts the files when the thread's batch of parts is done."""

    def __init__(self, member_dirs: list[str], listing: pa.Table):
        self.files = [Path(d) / "canonical.parquet" for d in member_dirs]
        self.listing = listing
        # the columns it keeps (shard_key, ~100 B a document, and cluster ids are not used here:
        # every reuse part and the finish build a corpus, so this is a per-call cost)
        cols = listing.select(["doc_id", "fingerprint", "chars", "shard", "admin_level"]).to_pydict()
        self._listing_clusters = listing.column("cluster_id") if "cluster_id" in listing.column_names else None
        ids = np.array(cols["doc_id"], dtype=object)
        order = np.argsort(ids, kind="stable")
        self._order = order
        self._clusters: pa.Array | None = None
        self.ids = ids[order]
        if len(self.ids) > 1 and (self.ids[1:] == self.ids[:-1]).any():
            raise ValueError("a doc_id appears in two shards' canonical.parquet: shards overlap")
        self.id_list = self.ids.tolist()
        self.prints = np.array(cols["fingerprint"], dtype=object)[order]
        self.chars = np.array(cols["chars"], dtype=np.int64)[order]
        self.shard = np.array(cols["shard"], dtype=np.int64)[order]
        self.levels = dict(zip(self.id_list, np.array(cols["admin_level"], dtype=object)[order].tolist(), strict=True))
        self._groups: dict[int, list[tuple[str, str]]] = {}
        self._place: dict[int, tuple[dict[str, int], pa.Table, list[int]] | None] = {}
        self._open: dict[int, Any] = {}
        self._file_keys: dict[int, tuple[str, tuple[int, ...]]] = {}  # shard -> its canonical file's version
        self._code_of: dict[str, int] | None = None
        self.cache_chars: int | None = None  # the text cache's bound (None: TEXT_CACHE_CHARS)
        self.texts_read = 0  # rows read from canonical.parquet (the others came from _TEXTS)

    def clusters(self, codes: np.ndarray) -> pa.Array:
        """The listing's cluster ids of these document codes (a corpus listed with its cluster_id)."""
        if self._clusters is None:
            if self._listing_clusters is None:
                raise ValueError("a corpus listed without its clusters")
            self._clusters = self._listing_clusters.combine_chunks().take(pa.array(self._order))
        return self._clusters.take(pa.array(codes, pa.int64()))

    def codes(self, doc_ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Codes of doc ids (-1: not a canonical document), from a dict of the corpus built once.
        pc.index_in hashed the whole corpus's ids on every call: ~1.5 ms at 100k, four calls an
        output part, a term of corpus size x output parts (256 at 100k)."""
        if self._code_of is None:
            self._code_of = dict(zip(self.id_list, range(len(self.id_list)), strict=True))
        get = self._code_of.get
        return np.fromiter((get(x, -1) for x in doc_ids.to_pylist()), np.int64, count=len(doc_ids))

    def texts(self, codes: Iterable[int]) -> dict[str, dict]:
        """doc_id -> canonical row (text, cluster, dates, and "_fold": the folded text) of these
        documents. Misses are read from the row groups that can hold them; the most recently used
        rows stay in the process's text cache (_TEXTS) up to TEXT_CACHE_CHARS (a document pairs with
        others in many parts, of this call and of the run's next calls on this worker)."""
        import pyarrow.parquet as pq

        want_ids = sorted({self.id_list[c] for c in codes})
        shard_of = {i: int(self.shard[bisect.bisect_left(self.id_list, i)]) for i in want_ids}
        out = _TEXTS.get([(*self._file_key(shard_of[i]), i) for i in want_ids])
        by_shard: dict[int, list[str]] = {}
        for i in want_ids:
            if i not in out:
                by_shard.setdefault(shard_of[i], []).append(i)

        def keep(k: int, r: dict) -> None:
            folded, offs = fold(r["text"] or "")
            r["_fold"] = (folded, offs.astype(np.int32))
            out[r["doc_id"]] = r
            _TEXTS.put(self._file_key(k), r)
            self.texts_read += 1

        for k, want in sorted(by_shard.items()):
            if k not in self._open:
                self._open[k] = pq.ParquetFile(self.files[k])
            pf = self._open[k]
            placed = self._placed(k, pf)
            if placed is not None:
                for r in self._text_rows(pf, placed, want):
                    keep(k, r)
                continue
            wanted = pa.array(want, pa.string())
            groups = [
                g
                for g, (lo, hi) in enumerate(self._row_groups(k, pf))
                if (at := bisect.bisect_left(want, lo)) < len(want) and want[at] <= hi
            ]
            for s in range(0, len(groups), TEXT_READ_GROUPS):
                group = pf.read_row_groups(groups[s : s + TEXT_READ_GROUPS], use_threads=False)
                # only the wanted rows become Python objects (a row group holds CANONICAL_ROW_GROUP texts)
                for r in group.filter(pc.is_in(group.column("doc_id"), value_set=wanted)).to_pylist():
                    keep(k, r)
        _TEXTS.trim(TEXT_CACHE_CHARS if self.cache_chars is None else self.cache_chars)
        return out

    def _file_key(self, k: int) -> tuple[str, tuple[int, ...]]:
        """Shard k's canonical.parquet as the text cache knows it: path and version (_stamp)."""
        key = self._file_keys.get(k)
        if key is None:
            key = self._file_keys[k] = (str(self.files[k]), _stamp(self.files[k]))
        return key

    def _placed(self, k: int, pf) -> tuple[dict[str, int], pa.Table, list[int]] | None:
        """Shard k's listing: its doc ids' rows (canonical.parquet's order), the other fields a
        text read gives (LISTED_FIELDS), and where each row group of canonical.parquet starts. The
        members stage writes listing.parquet beside canonical.parquet from the same table and links the
        two together. None where the shard has no listing, or one of another length: its texts are
        found by the row groups' doc_id statistics, the rows read whole (as before)."""
        import pyarrow.parquet as pq

        if k in self._place:
            return self._place[k]
        placed = None
        listing = self.files[k].parent / LISTING_FILE
        if listing.exists():
            small = pq.ParquetFile(listing).read(columns=list(LISTED_FIELDS), use_threads=False)
            meta = pf.metadata
            if small.num_rows == meta.num_rows:
                starts = [0]
                for g in range(meta.num_row_groups):
                    starts.append(starts[-1] + meta.row_group(g).num_rows)
                ids = small.column("doc_id").to_pylist()
                placed = (dict(zip(ids, range(len(ids)), strict=True)), small, starts)
        self._place[k] = placed
        return placed

    @staticmethod
    def _text_rows(pf, placed: tuple[dict[str, int], pa.Table, list[int]], want: list[str]) -> Iterator[dict]:
        """The canonical rows of `want` (doc ids of one shard, sorted; one not listed is skipped): only
        the text column of the row groups that hold them is read (CANONICAL_ROW_GROUP documents a
        group) and the wanted rows taken by position; the other fields come from the listing. Reading
        every column of the groups and filtering them by doc_id cost ~30 % more (5k +1 %: the 8 calls'
        2,254 text reads replayed, 0.85-0.88 against 0.60-0.63 CPU-s), most of it per column chunk."""
        row_of, small, starts = placed
        at = [x for x in (row_of.get(i) for i in want) if x is not None]
        if not at:
            return
        fields = small.take(pa.array(at, pa.int64())).to_pylist()
        group_of = [bisect.bisect_right(starts, x) - 1 for x in at]
        order = sorted(range(len(at)), key=group_of.__getitem__)  # the wanted rows by row group
        groups = sorted(set(group_of))
        done = 0
        for s in range(0, len(groups), TEXT_READ_GROUPS):
            chosen = groups[s : s + TEXT_READ_GROUPS]
            read_at, n = {}, 0  # where each chosen group's rows start among the rows read
            for g in chosen:
                read_at[g], n = n, n + starts[g + 1] - starts[g]
            end = done
            while end < len(order) and group_of[order[end]] <= chosen[-1]:
                end += 1
            mine, done = order[done:end], end
            local = pa.array([read_at[group_of[j]] + at[j] - starts[group_of[j]] for j in mine], pa.int64())
            text = pf.read_row_groups(chosen, columns=["text"], use_threads=False).column("text")
            for j, t in zip(mine, text.take(local).to_pylist(), strict=True):
                f = fields[j]
                yield {
                    "doc_id": f["doc_id"],
                    "cluster_id": f["cluster_id"],
                    "text": t,
                    "year": f["year"],
                    "delivered_on": f["delivered_on"],
                    "admin_level": f["admin_level"],
                }

    def close(self) -> None:
        """Close the shards' files and drop the texts: no handle outlives the parts it served."""
        for pf in self._open.values():
            pf.close()
        self._open.clear()
        self._groups.clear()
        self._place.clear()
        self._file_keys.clear()

    def _row_groups(self, k: int, pf) -> list[tuple[str, str]]:
        if k not in self._groups:
            col = pf.schema_arrow.get_field_index("doc_id")
            self._groups[k] = [
                (
                    pf.metadata.row_group(g).column(col).statistics.min,
                    pf.metadata.row_group(g).column(col).statistics.max,
                )
                for g in range(pf.metadata.num_row_groups)
            ]
        return self._groups[k]


# The stage runs as two partitioned global steps (tasks.stages: "reuse_hits", then "reuse"), a
# shuffle: anchors are grouped by hash partition, the pairs they give by document. A pair's rows
# need all its hits, which lie in every hash partition, so no one split serves both phases.
#   reuse_hits, part "docs":     the corpus listing (docs.parquet: ids, fingerprints, lengths)
#   reuse_hits, part "PPPP-NNNN": the anchors with part in [PPPP, NNNN) -> hits/PPPP.npy (sorted by
#                                document a), formulae/PPPP.npy, groups/PPPP.npy (digest per anchor
#                                group) and, compared with an earlier run, dirty/PPPP.npy (pairs
#                                of the groups that changed)
#   reuse_hits, finish:          hits.json, hits/index.npy, per output part QQQ dirty_pairs/QQQ.npy
#                                (its pairs to recompute) and dirty_hits/QQQ.npy (their hits, sorted
#                                by document a), one output part at a time
#   reuse, part "QQQ":           output part QQQ (a range of doc_id_a) from its slice of every hits
#                                file (only the dirty pairs, the others' rows lent) -> reuse/QQQ.parquet
#   reuse, finish:               reuse_formulae/0.parquet, flows.json, reuse_parts.json
# `reuse_stage` runs the same functions one after another in one process (tests, benches).

# an extended chain of a live pair (reuse/pairs' codes): its start (x, y: folded offsets), the run it
# extended to (sa, sb, length; length 0: no row) and the row's start_a, start_b -> chains/QQQ.npy
CHAIN_DTYPE = np.dtype([(k, "<i8") for k in ("pair", "x", "y", "sa", "sb", "length", "start_a", "start_b")])
FORMULA_DTYPE = np.dtype(
    [(k, "<u8" if k == "hash" else "<i8") for k in ("hash", "n_docs", "n_clusters", "doc", "pos", "other", "other_pos")]
)
DOCS_PART = "docs"
FORMULA_MEMO = "formula_runs.json"  # in a reuse artifact: each formula run's row by its key (_formulae)


def _anchor_sources(member_dirs: list[str]) -> list:
    """Per shard: (ParquetFile, part ranges of its row groups) of anchors.parquet, or the anchor
    table itself for a members artifact made before anchors.parquet existed."""
    import pyarrow.parquet as pq

    out: list[tuple[Any, Any]] = []
    for d in member_dirs:
        f = Path(d) / "anchors.parquet"
        if f.exists():
            # doc ids as a dictionary per row group (a few hundred documents): _doc_code_column
            # looks up each distinct id once instead of decoding and matching 3 M strings (20k)
            pf = pq.ParquetFile(f, read_dictionary=["doc_id"])
            out.append((pf, _part_ranges(pf)))
        else:
            rows = pq.read_table(Path(d) / "canonical.parquet", columns=["doc_id", "cluster_id", "text"]).to_pylist()
            out.append((anchor_table(rows), None))
    return out


def _close_sources(sources: list) -> None:
    """Close the anchors files `_anchor_sources` opened (their reads are done)."""
    for what, ranges in sources:
        if ranges is not None:
            what.close()


def _source_part_counts(source) -> np.ndarray:
    """Anchor rows per value of anchors.part (2**PART_BITS counts) of one shard."""
    what, ranges = source
    part = what.column("part") if ranges is None else what.read(columns=["part"], use_threads=False).column(0)
    return np.bincount(part.combine_chunks().to_numpy().astype(np.int64), minlength=1 << PART_BITS)


def partition_bounds(counts: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Contiguous ranges [lo, hi) of anchors.part holding about 1/n of the rows each. Winnowing keeps
    each window's smallest hash, so anchors crowd the low hashes: equal ranges of parts put ~80 % of
    the rows in the first of 16 (P(min of 24 > 1/16) = (15/16)**24 = 21 %; 825k of 1.3M rows on the
    5k bench), i.e. one part held most of the memory and the work."""
    target = max(1, -(-int(counts.sum()) // max(1, n)))
    bounds, lo, acc = [], 0, 0
    for part, c in enumerate(counts.tolist()):
        if acc and acc + c > target:
            bounds.append((lo, part))
            lo, acc = part, 0
        acc += c
    bounds.append((lo, len(counts)))
    return bounds


def _source_parts(source, lo: int, hi: int) -> pa.Table:
    what, ranges = source
    if ranges is None:
        return _parts(what, lo, hi).select(["hash", "doc_id", "pos"])
    return _read_parts(what, ranges, lo, hi)


def hits_plan(inputs: dict, earlier: Iterable[str] = (), partitions: int | None = None) -> dict[str, int]:
    """Parts of the reuse_hits step: the listing, and every hash partition ("0000-0007": the anchor
    rows whose anchors.part is in [0, 7); partition_count of them, cut to hold equal rows,
    partition_bounds). The newest earlier artifact's ranges are kept while the count is the same
    and none outgrew BOUNDS_SLACK: a partition then re-pairs only its changed anchor groups.
    Weights: rows read."""
    members = list(inputs["members"])
    base = _newest_hits(earlier, _code_version())
    known = _known_part_counts(base) if base is not None else {}
    counts = np.zeros(1 << PART_BITS, np.int64)
    read = [m for m in members if _source_id(m) not in known]
    for m in members:  # a shard the earlier artifact read: its counts are kept there
        if m not in read:
            counts += known[_source_id(m)]
    sources = _anchor_sources(read)
    for source in sources:
        counts += _source_part_counts(source)
    _close_sources(sources)
    total = int(counts.sum())
    n = partitions or partition_count(total)
    bounds = partition_bounds(counts, n)
    if base is not None:
        meta = _meta(base)
        prev = [tuple(b) for b in meta.get("bounds", [])]
        biggest = max((int(counts[lo:hi].sum()) for lo, hi in prev), default=0)
        if prev and meta.get("count") == n and biggest <= BOUNDS_SLACK * MAX_PARTITION_ROWS:
            bounds = prev
    plan = {f"{lo:04d}-{hi:04d}": max(1, int(counts[lo:hi].sum())) for lo, hi in bounds}
    plan[DOCS_PART] = max(1, total // n)
    return plan


def _known_part_counts(base: Path) -> dict[str, np.ndarray]:
    """Shard source id -> its rows per value of anchors.part, from a hits artifact's partitions
    (rows/PPPP.counts.npy cover every part once; {} if any is missing)."""
    meta = _meta(base)
    sources, bounds = meta.get("sources", []), meta.get("bounds", [])
    out = np.zeros((len(sources), 1 << PART_BITS), np.int64)
    for lo, hi in bounds:
        f = base / "rows" / f"{lo:04d}.counts.npy"
        if not f.exists():
            return {}
        c = np.load(f)
        if c.shape != (len(sources), hi - lo):
            return {}
        out[:, lo:hi] = c
    if not bounds or sum(hi - lo for lo, hi in bounds) != 1 << PART_BITS:
        return {}
    return {x: out[k] for k, x in enumerate(sources)}


def _group_digests(h: np.ndarray, d: np.ndarray, pos: np.ndarray, dochash: np.ndarray) -> tuple[np.ndarray, ...]:
    """The anchor groups of a partition that have two rows or more (a group of one gives no hit):
    (rows of those groups ordered by hash, where each group starts, its hash, its digest). A
    group's digest covers its rows (document id, cluster, offset: all its hits and formula depend
    on), so an equal digest means equal hits; it is a sum, free of the rows' order."""
    o = np.argsort(h, kind="stable")
    if len(o) < 2:  # no group of two (a corpus of empty files: no anchors at all)
        return o[:0], np.zeros(0, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    hs = h[o]
    same = hs[1:] == hs[:-1]
    o = o[np.r_[False, same] | np.r_[same, False]]
    hs = h[o]
    gs = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]]) if len(hs) else np.zeros(0, np.int64)
    if not len(gs):
        return o, gs, np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    row = _mix(dochash[d[o]] ^ _mix(pos[o].astype(np.uint64) + np.uint64(0x452821E638D01377)))
    size = np.diff(np.r_[gs, len(o)]).astype(np.uint64)
    return o, gs, hs[gs], np.add.reduceat(row, gs) ^ _mix(size)


def _record(hits: dict[str, np.ndarray], groups: np.ndarray) -> np.ndarray:
    rec = np.empty(len(hits["a"]), dtype=HIT_DTYPE)
    for col in ("a", "b", "pa", "pb", "rare"):
        rec[col] = hits[col]
    rec["g"] = np.searchsorted(groups, hits["h"])
    return _records(rec, stable_order(rec["a"]))


def _formula_record(f: dict[str, np.ndarray]) -> np.ndarray:
    frec = np.empty(len(f["hash"]), dtype=FORMULA_DTYPE)
    for col in FORMULA_DTYPE.names or ():
        frec[col] = f[col]
    return frec


def hits_part(
    inputs: dict, out_dir: str, part: str, earlier: Iterable[str] = (), partitions: int | None = None
) -> dict:
    """One part of reuse_hits (see hits_plan). Memory: one hash partition's anchor rows and hits.

    Incremental: with the newest earlier artifact (same code) that has this very range, only the
    anchor groups whose digest changed (or that are new) are paired; the hits and formula anchors
    of the others are the earlier ones, their document codes moved to this corpus's codes. The
    pairs whose hits in the changed groups moved go to dirty/PPPP.npy: the reuse step recomputes
    only them (hits_finish adds the pairs of documents whose text, cluster, dates or level changed)."""
    members = list(inputs["members"])
    out = Path(out_dir)
    version = _code_version()
    if part == DOCS_PART:
        from tasks.common import write_table

        listing = corpus_listing(members, _newest_hits(earlier, version))
        write_table(listing, out / "docs.parquet")
        return {"docs": listing.num_rows}
    lo, hi = (int(x) for x in part.split("-"))
    base = _newest_hits(earlier, version)
    ids, cluster, dochash = _doc_codes(members, base)
    if base is not None and [lo, hi] not in _meta(base).get("bounds", []):
        base = None  # another cut of the hash space: nothing to compare group by group
    h, d, pos, src, counts, fresh, read_docs = _partition_rows(members, ids, lo, hi, base)
    h, d, pos, src = _by_hash(h, d, pos, src)
    rows = int(counts.sum())
    (out / "rows").mkdir(parents=True, exist_ok=True)
    stored = np.empty(len(h), dtype=ROW_DTYPE)
    stored["hash"], stored["doc"], stored["pos"], stored["src"] = h, d, pos, src
    np.save(out / "rows" / f"{lo:04d}.npy", stored)
    np.save(out / "rows" / f"{lo:04d}.counts.npy", counts)
    o, gs, ghash, gdigest = _group_digests(h, d, pos, dochash)
    changed = np.ones(len(gs), dtype=bool)
    size = np.diff(np.r_[gs, len(o)])
    take = o[np.repeat(changed, size)]
    row_new = np.ones(len(take), dtype=bool)
    if base is not None:
        prev = np.load(base / "groups" / f"{lo:04d}.npy")
        at = np.minimum(np.searchsorted(prev["hash"], ghash), max(0, len(prev) - 1))
        if len(prev):
            changed = ~((prev["hash"][at] == ghash) & (prev["digest"][at] == gdigest))
        take = o[np.repeat(changed, size)]  # every row of a changed group: its counts need them all
        # ... but its pairs of two earlier rows are the earlier hits (carried below) where the group
        # was paired before (a group of 2+ rows then, not a formula): only pairs with a new row are made
        old_doc = _same_rows(base, lo, ids, dochash, h, d, pos, read_docs)
        before_formula = np.load(base / "formulae" / f"{lo:04d}.npy")["hash"]
        trusted = changed & (prev["hash"][at] == ghash) if len(prev) else np.zeros(len(gs), bool)
        trusted &= ~_in_sorted(ghash, np.unique(before_formula))
        row_new = ~(old_doc[d[take]] & np.repeat(trusted[changed], size[changed]))
    del stored, src
    h_take, c_take = h[take], cluster[d[take]]
    hits, f = _hits(h_take, d[take], c_take, pos[take], row_new)
    del h, d, pos, o, take
    rec = _record(hits, ghash)
    paired, carried = len(rec), np.zeros(0, HIT_DTYPE)
    frec = _formula_record(f)
    dirty = None
    was = now = np.zeros(0, HIT_DTYPE)
    gone_parts: list[int] = []
    if base is not None:
        old = np.load(base / "hits" / f"{lo:04d}.npy")
        remap = _code_remap(base, ids)
        new_g = np.full(len(prev), -1, np.int64)  # earlier group -> this run's group, when unchanged
        new_g[at[~changed]] = np.flatnonzero(~changed)
        g = new_g[old["g"]] if len(old) else np.zeros(0, np.int64)
        keep = g >= 0
        lost = _records(old, ~keep)  # hits of groups that changed or are gone, in this run's codes
        la, lb = remap[lost["a"]], remap[lost["b"]]
        gone = (la < 0) | (lb < 0)  # a document gone: the output part of its pairs drops their rows
        was_parts = _meta(base).get("parts", REUSE_PARTS)  # gone_parts are in the earlier cut; hits_finish
        old_bounds = _part_starts(_listing_ids(base), was_parts)[:was_parts]  # drops them if it differs
        gone_parts = np.unique(np.searchsorted(old_bounds, lost["a"][gone], side="right") - 1).tolist()
        lost = _records(lost, ~gone)
        lost["a"], lost["b"] = la[~gone], lb[~gone]
        carried, same, rare_moved = _carried_hits(
            lost, prev, at, ghash, changed, trusted, old_doc, h_take, c_take, f["hash"]
        )
        # a carried hit whose rare flag stayed is the same hit before and after: it moves no pair,
        # and _unchanged_pairs (earlier hits = all hits - now + was) sees it in the pair's hits either
        # way, so it is left out of both sides
        lost_x = _records(lost, ~same)
        rec_x = _by_a(_joined([rec, _records(carried, rare_moved)]))
        dirty = _moved_pairs(lost_x, rec_x)
        # the changed groups' hits of those pairs, before and after: hits_finish rebuilds each pair's
        # earlier hits from them and drops the pairs whose chains to extend did not change. Both stay
        # sorted by document a (lost: the earlier hits, codes mapped increasingly; rec: _record):
        # hits_finish finds each output part's rows by binary search
        was, now = (
            _records(lost_x, _in_sorted(_pair_keys(lost_x["a"], lost_x["b"]), dirty)),  # dirty: sorted, distinct
            _records(rec_x, _in_sorted(_pair_keys(rec_x["a"], rec_x["b"]), dirty)),
        )
        rec = _by_a(_joined([rec, carried]))
        kept = _records(old, keep)
        kept["a"], kept["b"], kept["g"] = remap[kept["a"]], remap[kept["b"]], g[keep]
        rec = _inserted(kept, np.searchsorted(kept["a"], rec["a"], side="right"), rec)  # both sorted by a
        oldf = np.load(base / "formulae" / f"{lo:04d}.npy")
        fat = np.minimum(np.searchsorted(ghash, oldf["hash"]), max(0, len(ghash) - 1))
        fkeep = (ghash[fat] == oldf["hash"]) & ~changed[fat] if len(ghash) else np.zeros(len(oldf), bool)
        oldf = oldf[fkeep]
        oldf["doc"], oldf["other"] = remap[oldf["doc"]], remap[oldf["other"]]
        frec = np.concatenate([oldf, frec])
        frec = frec[np.argsort(frec["hash"], kind="stable")]
    for sub in ("hits", "formulae", "groups", "dirty"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    np.save(out / "hits" / f"{lo:04d}.npy", rec)
    # where each output part's hits start and end: the reuse step slices without searching
    bounds = _part_starts(ids, reuse_part_count(len(ids)))
    np.save(out / "hits" / f"{lo:04d}.idx.npy", np.searchsorted(rec["a"], bounds).astype(np.int64))
    np.save(out / "formulae" / f"{lo:04d}.npy", frec)
    groups = np.empty(len(ghash), dtype=GROUP_DTYPE)
    groups["hash"], groups["digest"] = ghash, gdigest
    np.save(out / "groups" / f"{lo:04d}.npy", groups)
    if dirty is not None:
        np.save(out / "dirty" / f"{lo:04d}.npy", dirty)
        np.save(out / "dirty" / f"{lo:04d}.was.npy", was)
        np.save(out / "dirty" / f"{lo:04d}.now.npy", now)
    return {
        "anchor_rows": rows,
        "anchor_rows_read": fresh,
        "hits": len(rec),
        "formula_anchors": len(frec),
        "groups": len(gs),
        "groups_paired": int(changed.sum()),
        "hits_paired": paired,  # hits made by pairing rows (the others are earlier hits, carried)
        "hits_carried": len(carried),  # earlier hits of changed groups kept (pairs of two earlier rows)
        "base": str(base.resolve()) if base is not None else None,
        "gone_parts": gone_parts,
    }


def _by_hash(h: np.ndarray, d: np.ndarray, pos: np.ndarray, src: np.ndarray) -> tuple[np.ndarray, ...]:
    """A partition's rows in hash order (stable: ties keep their order), as rows/PPPP.npy stores
    them. The next run takes most of its rows from that file with masks, which keep the order, so
    its rows come as one long sorted run plus the few rows read: the stable sorts here and in
    _group_digests (timsort finds the runs) then cost ~1/40 of sorting them afresh, which was
    ~10 % of a hits part on a 5k night with no change at all (session 50)."""
    if len(h) < 2 or bool((h[1:] >= h[:-1]).all()):
        return h, d, pos, src
    o = np.argsort(h, kind="stable")
    return h[o], d[o], pos[o], src[o]


def _by_a(rec: np.ndarray) -> np.ndarray:
    """Hits sorted by document a (stable): how every hits file is laid out."""
    return _records(rec, stable_order(rec["a"]))


def _same_rows(
    base: Path,
    lo: int,
    ids: pa.Array,
    dochash: np.ndarray,
    h: np.ndarray,
    d: np.ndarray,
    pos: np.ndarray,
    read_docs: np.ndarray | None = None,
) -> np.ndarray:
    """Per document code: whether the document has the same anchor rows in this partition (hash and
    offset) and the same id and cluster as in the earlier artifact `base`. The pairs of two such
    rows in an anchor group paired before are the earlier hits (hits_part carries them). Judged
    per document and partition, not per shard: a +1 % run's members stage re-runs most shards
    (20k: 20 of 25 canonical files changed, for 33 of 7,440 earlier documents).

    read_docs (_partition_rows): per document code, whether its rows were read from an anchors file
    rather than taken from base's rows. A document taken from base has base's rows by construction,
    so only the read ones' rows are summed: summing every row of the partition twice (np.add.at)
    was ~12 % of a hits part on a 5k night with no change at all (session 50)."""
    n = len(ids)
    remap = _code_remap(base, ids)
    same_doc = np.zeros(n, dtype=bool)
    at = remap >= 0
    same_doc[remap[at]] = _listing_doc_hashes(base)[at] == dochash[remap[at]]
    if read_docs is not None:
        if not read_docs.any():
            return same_doc
        now = read_docs[d]
        h, d, pos = h[now], d[now], pos[now]
    was = _base_rows(base / "rows" / f"{lo:04d}.npy")
    wd = remap[was["doc"]] if len(was) else np.zeros(0, np.int64)
    ok = wd >= 0  # the two fields read, not the records (a masked record copy goes field by field)
    if read_docs is not None:
        ok[ok] = read_docs[wd[ok]]
    was_hash, was_pos, wd = was["hash"][ok], was["pos"][ok], wd[ok]

    def per_doc(hh: np.ndarray, dd: np.ndarray, pp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        total = np.zeros(n, np.uint64)
        np.add.at(total, dd, _mix(hh.astype(np.uint64) ^ _mix(pp.astype(np.uint64) + np.uint64(0x452821E638D01377))))
        return total, np.bincount(dd, minlength=n)

    now_sum, now_n = per_doc(h, d, pos)
    was_sum, was_n = per_doc(was_hash, wd, was_pos)
    same = (now_sum == was_sum) & (now_n == was_n)
    if read_docs is not None:
        same |= ~read_docs
    return same_doc & same


def _listing_doc_hashes(base: Path) -> np.ndarray:
    """Per document code of a hits artifact: its id and cluster hashed as _doc_codes hashes this
    run's (what _same_rows compares). Once per version of the artifact's docs.parquet in a process:
    made per partition, reading the listing and 7.5 k blake2b calls took ~0.3 CPU-s of a 20k +1 %
    reuse_hits step (17 partitions)."""
    f = Path(base) / "docs.parquet"
    return _listing_doc_hashes_of(str(f), _stamp(f))


@lru_cache(maxsize=2)
def _listing_doc_hashes_of(path: str, stamp: tuple[int, ...]) -> np.ndarray:
    import pyarrow.parquet as pq

    listing = pq.ParquetFile(path).read(columns=["doc_id", "cluster_id"])
    listing = listing.take(pc.sort_indices(listing, sort_keys=[("doc_id", "ascending")]))
    return np.frombuffer(
        b"".join(
            hashlib.blake2b(f"{i}\0{c or i}".encode(), digest_size=8).digest()
            for i, c in zip(listing.column("doc_id").to_pylist(), listing.column("cluster_id").to_pylist(), strict=True)
        ),
        dtype="<u8",
    )


def _carried_hits(
    lost: np.ndarray,
    prev: np.ndarray,
    at: np.ndarray,
    ghash: np.ndarray,
    changed: np.ndarray,
    trusted: np.ndarray,
    old_doc: np.ndarray,
    h_take: np.ndarray,
    c_take: np.ndarray,
    formula_now: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The earlier hits (lost: of the groups that changed, in this run's codes) that stay hits now:
    both rows are earlier rows (old_doc) of a group paired before and paired now (trusted, not a
    formula now). Its rare flag follows the group's cluster count now (h_take, c_take: the rows of
    the changed groups, by hash). Returns (those hits with rare and g of this run, per lost hit
    whether it is carried with the same rare flag, per carried hit whether its flag moved).

    _hits then pairs only the rows of new (or re-read) documents in those groups: pairing a changed
    group whole made every pair of its earlier rows again (20k bench, a shard taken as new: 6.7 M
    pairs of rows in the groups it joined, 0.94 M of them with one of its rows)."""
    none = np.zeros(0, dtype=bool)
    if not len(lost):
        return np.zeros(0, HIT_DTYPE), none, none
    to_now = np.full(len(prev), -1, np.int64)  # earlier group -> this run's group of the same hash
    to_now[at[trusted]] = np.flatnonzero(trusted)
    g = to_now[lost["g"]]
    keep = (g >= 0) & old_doc[lost["a"]] & old_doc[lost["b"]]
    keep[keep] &= ~_in_sorted(ghash[g[keep]], np.unique(formula_now))
    n_cl = np.zeros(len(ghash), np.int64)  # distinct clusters of each changed group now
    if len(h_take):
        starts = np.flatnonzero(np.r_[True, h_take[1:] != h_take[:-1]])
        o2 = np.lexsort((c_take, h_take))
        hc, cc = h_take[o2], c_take[o2]
        n_cl[np.flatnonzero(changed)] = np.add.reduceat(
            np.r_[True, (hc[1:] != hc[:-1]) | (cc[1:] != cc[:-1])].astype(np.int64), starts
        )
    carried = _records(lost, keep)
    carried["g"] = g[keep]
    carried["rare"] = n_cl[carried["g"]] <= RARE_CLUSTERS
    moved = carried["rare"] != lost["rare"][keep]
    same = np.zeros(len(lost), dtype=bool)
    same[np.flatnonzero(keep)[~moved]] = True
    return carried, same, moved


def _source_id(member_dir: str) -> str:
    """What a shard's anchor rows are read from: the file's content (_content_id; the same bytes,
    the same rows, whichever artifact of the shard holds them)."""
    f, st, anchors = _found(member_dir, "anchors.parquet", "canonical.parquet")
    # an artifact made before anchors.parquet: its rows are derived from canonical.parquet
    return _content_id_of(f, st) if anchors else "derived\0" + _content_id_of(f, st)


def _partition_rows(members: list[str], ids: pa.Array, lo: int, hi: int, base: Path | None) -> tuple[Any, ...]:
    """The anchor rows of parts [lo, hi) of every shard (hash, document code, offset, shard index),
    the shard x part row counts (hits_plan's weights, kept in the artifact), the rows read and, with
    base rows, per document code whether its rows were read (not taken from base: _same_rows). The
    rows of a shard whose anchors file the earlier artifact `base` read are taken from its
    rows/PPPP.npy (document codes moved to this corpus's), not read and matched by doc id again: a
    nightly run reads the new and re-run shards only."""
    ident = [_source_id(m) for m in members]
    width = hi - lo
    counts = np.zeros((len(members), width), np.int64)
    fresh = list(range(len(members)))
    partly_read = 0  # rows of partly known shards' unknown documents
    read_docs = None  # per document code: its rows were read, not taken from base's (None: no base rows)
    parts_h, parts_d, parts_pos, parts_src = [], [], [], []
    stored_file = base / "rows" / f"{lo:04d}.npy" if base is not None else None
    if base is not None and stored_file is not None and stored_file.exists():
        # Files are named by content, so two shards may share a name (two anchors files with no rows:
        # the same bytes): the i-th shard of a name now takes the i-th of it in the earlier list.
        listed = _meta(base).get("sources", [])
        slots: dict[str, list[int]] = {}
        for k, x in enumerate(listed):
            slots.setdefault(x, []).append(k)
        new_src = np.full(len(listed), -1, np.int64)  # the earlier artifact's shard index -> this run's
        old_counts = np.load(base / "rows" / f"{lo:04d}.counts.npy")
        fresh = []
        for k, x in enumerate(ident):
            if slots.get(x):
                j = slots[x].pop(0)
                new_src[j] = k
                counts[k] = old_counts[j]
            else:
                fresh.append(k)
        stored = _base_rows(stored_file)
        srcs = new_src[stored["src"]] if len(new_src) else np.zeros(len(stored), np.int64)
        d = _code_remap(base, ids)[stored["doc"]] if len(stored) else np.zeros(0, np.int64)
        keep = (srcs >= 0) & (d >= 0)
        # a re-run shard whose every document has the text it had: its rows are the earlier ones
        # (a partly known shard: those of its known documents; the others' rows are read below)
        shard_of, unknown = _text_known_shards(members, fresh, ids, base)
        if len(shard_of):
            adopt = (srcs < 0) & (d >= 0)
            adopt[adopt] = shard_of[d[adopt]] >= 0
            srcs[adopt] = shard_of[d[adopt]]
            keep |= adopt
            adopted = np.flatnonzero(np.bincount(srcs[adopt], minlength=len(members)))  # not a sort of every row
            at = srcs[adopt] * width + ((stored["hash"][adopt] >> np.uint64(64 - PART_BITS)).astype(np.int64) - lo)
            counts[adopted] = np.bincount(at, minlength=len(members) * width).reshape(len(members), width)[adopted]
            known = set(np.unique(shard_of[shard_of >= 0]).tolist())  # once: not per shard
            fresh = [k for k in fresh if k not in known]
            ids_digest = _ids_digest(ids) if unknown else ""  # once a run, not once a shard
            for k, codes in sorted(unknown.items()):  # the few documents of a partly known shard
                r = _unknown_rows(members[k], codes, ids, ids_digest)
                sel = (r["part"] >= lo) & (r["part"] < hi)
                counts[k] += np.bincount(r["part"][sel] - lo, minlength=width)
                parts_h.append(r["hash"][sel])
                parts_d.append(r["doc"][sel])
                parts_pos.append(r["pos"][sel])
                parts_src.append(np.full(int(sel.sum()), k, np.int64))
                partly_read += int(sel.sum())
        parts_h.append(stored["hash"][keep])
        parts_d.append(d[keep])
        read_docs = np.ones(len(ids), dtype=bool)
        read_docs[d[keep]] = False  # a document with a row taken from base: all its rows are base's
        parts_pos.append(stored["pos"][keep].astype(np.int64))
        parts_src.append(srcs[keep])
        del stored
    if fresh:
        sources = _anchor_sources([members[k] for k in fresh])
        for k, source in zip(fresh, sources, strict=True):
            t = _source_parts(source, lo, hi)
            h = t.column("hash").to_numpy()
            counts[k] = np.bincount((h >> np.uint64(64 - PART_BITS)).astype(np.int64) - lo, minlength=width)
            d = _doc_code_column(t.column("doc_id"), ids)
            ok = d >= 0
            parts_h.append(h[ok])
            parts_d.append(d[ok])
            parts_pos.append(t.column("pos").to_numpy().astype(np.int64)[ok])
            parts_src.append(np.full(int(ok.sum()), k, np.int64))
        _close_sources(sources)
    read = (int(counts[fresh].sum()) if fresh else 0) + partly_read
    if not parts_h:
        z = np.zeros(0, np.int64)
        return np.zeros(0, np.uint64), z, z, z, counts, read, read_docs
    return (
        np.concatenate(parts_h).astype(np.uint64),
        np.concatenate(parts_d).astype(np.int64),
        np.concatenate(parts_pos).astype(np.int64),
        np.concatenate(parts_src).astype(np.int64),
        counts,
        read,
        read_docs,
    )


def _base_rows(f: Path) -> np.ndarray:
    """An earlier hits artifact's anchor rows of one partition (rows/PPPP.npy), read-only: read once
    for the two readers of one hits_part call (_partition_rows, _same_rows). Reading them twice was
    ~0.33 GB of the ~1.5 GB a 100k +1 % reuse_hits step reads (session 32)."""
    return _base_rows_of(str(f), _stamp(f))


@lru_cache(maxsize=1)
def _base_rows_of(path: str, stamp: tuple[int, ...]) -> np.ndarray:
    rows = np.load(path)
    rows.flags.writeable = False
    return rows


def _text_known_shards(
    members: list[str], fresh: list[int], ids: pa.Array, base: Path
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Per document code: the index of its shard among `fresh` (shards whose anchors file the
    earlier artifact `base` did not read) when every document of that shard is in base's listing
    with the same text digest, else -1 (empty: none). A document's anchor rows (hash, offset) are a
    function of its text alone, so such a shard's rows are base's rows of its documents: its
    anchors file need not be read. A +1 % run re-runs most shards for relabelled clusters or
    canonical flips elsewhere (20k: 25 of 25 anchors files new), and reading their ranges of
    anchors.parquet was ~1/3 of the partitions' CPU. Known from the shards' listing.parquet
    (digests written by members); a shard without one is read.

    The same for every partition of a run, so made once per process (`_KNOWN_SHARDS`): made per
    partition, shard by shard, it was 69 % of a 100k +1 % hits_part's CPU (113 listings read again
    past their cache and two hash tables of 100 k ids built per shard, for each of 153 partitions)."""
    if not fresh:
        return np.zeros(0, np.int64), {}
    docs = Path(base) / "docs.parquet"
    listings = [os.path.join(members[k], LISTING_FILE) for k in fresh]  # strings: a key a partition
    key = (str(docs), _stamp(docs), tuple(fresh), tuple((f, _os_stamp(f)) for f in listings), _ids_digest(ids))
    with _KNOWN_LOCK:  # parts may run in threads of one process: one computes, the others wait for it
        known = _KNOWN_SHARDS.get(key)
        if known is None:
            known = _text_known_shards_of(fresh, [Path(f) for f in listings], ids, base)
            _KNOWN_SHARDS.clear()  # one run's answer at a time
            _KNOWN_SHARDS[key] = known
    return known


_KNOWN_SHARDS: dict[tuple, tuple[np.ndarray, dict[int, np.ndarray]]] = {}
_KNOWN_LOCK = threading.Lock()


def _ids_digest(ids: pa.Array) -> str:
    """_array_digest of a corpus's sorted doc ids, kept for the next partition the worker runs on the
    same (cached) array: hashing ~0.8 MB of ids twice a partition was a term of corpus size x
    partitions (100k +1 %: 304 digests, ~0.3 profiled CPU-s)."""
    held = _IDS_DIGEST[0]
    if held is not None and held[0] is ids:
        return held[1]
    digest = _array_digest(ids)
    _IDS_DIGEST[0] = (ids, digest)  # the array is held: an identity is never reused
    return digest


_IDS_DIGEST: list[tuple[pa.Array, str] | None] = [None]


def _array_digest(a: pa.Array) -> str:
    """A digest of a string array's values (its buffers, offsets from the array's own offset)."""
    a = pa.concat_arrays([a]) if a.offset else a  # a slice: rebased, so equal values hash equal
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{a.type}\0{len(a)}\0{a.null_count}".encode())
    for b in a.buffers():
        h.update(b"\0" if b is None else len(b).to_bytes(8, "little"))
        if b is not None:
            h.update(memoryview(b))
    return h.hexdigest()


def _unknown_rows(member_dir: str, codes: np.ndarray, ids: pa.Array, ids_digest: str) -> dict[str, np.ndarray]:
    """The anchor rows (part, hash, document code, offset) of these documents of one shard, read
    from its anchors file once per process for all the partitions (a few documents: small). Only
    the current corpus's entries are kept (`ids_digest`, `_array_digest(ids)`): a long-lived Dask
    worker holds one run's, at most PARTLY_KNOWN_MAX_DOCS documents' rows."""
    f = os.path.join(member_dir, "anchors.parquet")
    key = (f, _os_stamp(f), hashlib.blake2b(codes.tobytes(), digest_size=16).hexdigest())
    with _UNKNOWN_LOCK:
        if _UNKNOWN_RUN[0] != ids_digest:  # another corpus: the earlier one's rows are not needed again
            _UNKNOWN_ROWS.clear()
            _UNKNOWN_RUN[0] = ids_digest
        rows = _UNKNOWN_ROWS.get(key)
        if rows is None:
            ((what, ranges),) = _anchor_sources([member_dir])
            t = what if ranges is None else what.read(columns=["part", "hash", "doc_id", "pos"], use_threads=False)
            if ranges is not None:
                what.close()
            d = _doc_code_column(t.column("doc_id"), ids)
            sel = np.isin(d, codes)
            rows = {
                "part": t.column("part").to_numpy().astype(np.int64)[sel],
                "hash": t.column("hash").to_numpy()[sel],
                "doc": d[sel],
                "pos": t.column("pos").to_numpy().astype(np.int64)[sel],
            }
            _UNKNOWN_ROWS[key] = rows
    return rows


_UNKNOWN_ROWS: dict[tuple, dict[str, np.ndarray]] = {}
_UNKNOWN_RUN: list[str | None] = [None]  # the ids digest the cached rows belong to
_UNKNOWN_LOCK = threading.Lock()


def _text_known_shards_of(
    fresh: list[int], listings: list[Path], ids: pa.Array, base: Path
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """(shard_of, unknown): shard_of as `_text_known_shards` says, for every document of a known
    shard and the known documents of a partly known one; unknown: partly known shard -> the codes
    of its documents whose rows must be read (new to the earlier listing, or a changed text)."""
    earlier_ids, earlier_digests = _listing_text_digests(Path(base))
    none: tuple[np.ndarray, dict[int, np.ndarray]] = (np.zeros(0, np.int64), {})
    if earlier_digests is None:
        return none
    shard, doc_ids, digests = [], [], []
    for k, f in zip(fresh, listings, strict=True):
        if not f.exists():
            continue
        t = _read(f, ["doc_id", "text_digest"])
        shard.append(np.full(t.num_rows, k, np.int64))
        doc_ids.append(t.column("doc_id").combine_chunks())
        digests.append(_fixed16(t.column("text_digest")))
    of = np.concatenate(shard) if shard else np.zeros(0, np.int64)
    if not len(of):  # no listing, or only listings of no document (a shard of copies only)
        return none
    rows = pa.concat_arrays(doc_ids)
    # one hash table per side for all the shards' ids, not two per shard
    was = pc.fill_null(pc.index_in(rows, value_set=earlier_ids), -1).to_numpy(zero_copy_only=False).astype(np.int64)
    now = pc.fill_null(pc.index_in(rows, value_set=ids), -1).to_numpy(zero_copy_only=False).astype(np.int64)
    ok = (was >= 0) & (now >= 0)  # not: a document new to the corpus (or not listed now)
    ok[ok] = earlier_digests[was[ok]] == np.concatenate(digests)[ok]  # not: a text that changed
    size = np.bincount(of)
    n_bad = np.bincount(of[~ok], minlength=len(size))
    # partly known: a few documents to read (the others known), within the process's budget
    partly = np.flatnonzero((n_bad > 0) & (n_bad < size) & (n_bad <= PARTLY_KNOWN_MAX_SHARE * size))
    partly = partly[np.cumsum(n_bad[partly]) <= PARTLY_KNOWN_MAX_DOCS]
    whole = n_bad == 0  # a shard is known when every document of it is ...
    whole[partly] = True  # ... or partly known: its known documents' rows are adopted
    take = whole[of] & ok
    shard_of = np.full(len(ids), -1, np.int64)
    shard_of[now[take]] = of[take]
    read = np.isin(of, partly) & ~ok & (now >= 0)  # a document not listed now has no row to read
    unknown = {int(k): np.sort(now[read & (of == k)]) for k in partly.tolist()}
    return (shard_of, unknown) if (shard_of >= 0).any() else none


def _listing_text_digests(base: Path) -> tuple[pa.Array, np.ndarray | None]:
    """(doc ids, text digests as 16-byte values) of a hits artifact's docs.parquet in code order;
    None without the column. Once per version of the file in a process."""
    f = Path(base) / "docs.parquet"
    return _listing_text_digests_of(str(f), _stamp(f))


@lru_cache(maxsize=2)
def _listing_text_digests_of(path: str, stamp: tuple[int, ...]) -> tuple[pa.Array, np.ndarray | None]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path, pre_buffer=False) as pf:
        if "text_digest" not in pf.schema_arrow.names:
            return pa.array([], pa.string()), None
        t = pf.read(columns=["doc_id", "text_digest"], use_threads=False)
    t = t.take(pc.sort_indices(t, sort_keys=[("doc_id", "ascending")]))
    return t.column("doc_id").combine_chunks(), _fixed16(t.column("text_digest"))


def _fixed16(col: pa.ChunkedArray) -> np.ndarray:
    """A binary(16) column as a NumPy array of 16-byte values compared byte for byte (void, not
    "S16", which ignores trailing zero bytes; nulls: 16 zero bytes)."""
    return np.frombuffer(b"".join(b or bytes(16) for b in col.to_pylist()), dtype="V16")


def _doc_code_column(col: pa.ChunkedArray, ids: pa.Array) -> np.ndarray:
    """Codes (index in the sorted doc ids `ids`, -1: not canonical) of a doc id column, plain or
    dictionary-encoded (anchors.parquet read with read_dictionary: each chunk's distinct ids are
    looked up, its rows take their codes by index). One lookup for all the chunks: index_in builds
    its hash table of `ids` on every call, and a shard's range of anchors.parquet comes in one chunk
    per row group (100k +1 %: the new shard's chunks, each against 100 k ids, in each of 153
    partitions, were a fifth of reuse_hits' CPU)."""
    if not col.chunks:
        return np.zeros(0, np.int64)
    values, rows = [], []
    for chunk in col.chunks:
        if pa.types.is_dictionary(chunk.type):
            values.append(chunk.dictionary)
            rows.append(chunk.indices.to_numpy(zero_copy_only=False).astype(np.int64))
        else:
            values.append(chunk)
            rows.append(np.arange(len(chunk), dtype=np.int64))
    distinct = pa.concat_arrays(values)
    if all(pa.types.is_dictionary(c.type) for c in col.chunks):
        # a few ids a row group: looked up in the corpus's dict, kept for the worker's next partition
        # (index_in hashed every canonical id for each partition and fresh shard: a term of corpus
        # size x partitions, ~4 % of a 5k +1 % run's hits parts by py-spy)
        get = _code_lookup(ids).get
        codes = np.fromiter((get(x, -1) for x in distinct.to_pylist()), np.int64, count=len(distinct))
    else:  # plain ids (an anchor table derived from canonical.parquet): one hash lookup of them all
        codes = pc.fill_null(pc.index_in(distinct, value_set=ids), -1).to_numpy(zero_copy_only=False)
        codes = codes.astype(np.int64)
    at = np.cumsum([0] + [len(v) for v in values[:-1]])
    return np.concatenate([codes[o + r] for o, r in zip(at.tolist(), rows, strict=True)])


def _code_lookup(ids: pa.Array) -> dict[str, int]:
    """doc id -> code of a corpus's sorted ids, built once for the partitions a worker runs on the
    same (cached) array; None-free: a null id is no key."""
    held = _LOOKUP[0]
    if held is not None and held[0] is ids:
        return held[1]
    lookup = {x: i for i, x in enumerate(ids.to_pylist())}
    _LOOKUP[0] = (ids, lookup)  # the array is held: an identity is never reused
    return lookup


_LOOKUP: list[tuple[pa.Array, dict[str, int]] | None] = [None]


def _moved_pairs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Keys of the document pairs with a hit in x or in y but not in both (hits of the changed
    groups before and after): a new document that joins a group of old ones changes no hit of two
    old ones unless the group's count crosses RARE_CLUSTERS or a formula threshold."""
    if not len(x) + len(y):
        return np.zeros(0, np.int64)
    k1 = np.r_[_pair_keys(x["a"], x["b"]), _pair_keys(y["a"], y["b"])]
    k2 = np.r_[_pair_keys(x["pa"], x["pb"]), _pair_keys(y["pa"], y["pb"])]
    k3 = np.r_[x["rare"], y["rare"]].astype(np.int8)
    o = np.lexsort((k3, k2, k1))
    k1, k2, k3 = k1[o], k2[o], k3[o]
    both = (k1[1:] == k1[:-1]) & (k2[1:] == k2[:-1]) & (k3[1:] == k3[:-1])  # each side holds a hit once
    return np.unique(k1[~(np.r_[False, both] | np.r_[both, False])])


def _kept_chains(rec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair key, pa << 32 | pb of the first hit) of every chain of these hits that _passages
    extends (mostly rare anchors): a pair's rows are a function of these and its two documents."""
    if not len(rec):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # _sorted_hits' order and chains, on two sort keys instead of four (~1 M hits at 20k +1 %)
    pair = _pair_keys(rec["a"], rec["b"])
    pa_, pb_ = rec["pa"].astype(np.int64), rec["pb"].astype(np.int64)
    diag = pb_ - pa_
    o = np.lexsort((((diag + (1 << 31)).astype(np.uint64) << np.uint64(32)) | pa_.astype(np.uint64), pair))
    pair, pa_, pb_, diag, rare = pair[o], pa_[o], pb_[o], diag[o], rec["rare"][o]
    brk = np.r_[True, (pair[1:] != pair[:-1]) | (diag[1:] != diag[:-1]) | (pa_[1:] - pa_[:-1] > CHAIN_GAP)]
    chain = np.flatnonzero(brk)
    share = np.add.reduceat(rare.astype(np.int64), chain) / np.diff(np.r_[chain, len(pair)])
    c = chain[share >= MIN_RARE_SHARE]
    return pair[c], _pair_keys(pa_[c], pb_[c])


def _in_set(x1: np.ndarray, x2: np.ndarray, y1: np.ndarray, y2: np.ndarray) -> np.ndarray:
    """Per element of x: whether (x1, x2) occurs among the (y1, y2) (each pair unique in y)."""
    n = len(x1)
    tag = np.r_[np.zeros(n, np.int8), np.ones(len(y1), np.int8)]
    k1, k2 = np.r_[x1, y1].astype(np.int64), np.r_[x2, y2].astype(np.int64)
    o = np.lexsort((tag, k2, k1))  # an x before the equal y
    s1, s2, t = k1[o], k2[o], tag[o]
    eq = (s1[1:] == s1[:-1]) & (s2[1:] == s2[:-1]) & (t[:-1] == 0) & (t[1:] == 1)
    out = np.zeros(n, dtype=bool)
    out[o[:-1][eq]] = True
    return out


def _in_sorted(x: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """np.isin(x, keys) for sorted distinct keys: a binary search per element of x, no sort of both
    (~1.8x faster on pair keys; hits_finish asks it for every part's hits at 100k)."""
    if not len(keys):
        return np.zeros(len(x), dtype=bool)
    return keys[np.minimum(np.searchsorted(keys, x), len(keys) - 1)] == x


def _unchanged_pairs(cand: np.ndarray, new: np.ndarray, was: np.ndarray, now: np.ndarray) -> np.ndarray:
    """The pairs of cand (sorted keys) whose extended chains are the same before and after: new
    holds every hit of those pairs now, now the hits of changed groups now, was those groups' hits
    before (in this run's codes), so the earlier hits are new - now + was."""
    was = _records(was, _in_sorted(_pair_keys(was["a"], was["b"]), cand))
    now = _records(now, _in_sorted(_pair_keys(now["a"], now["b"]), cand))
    nk, nk2 = _pair_keys(new["a"], new["b"]), _pair_keys(new["pa"], new["pb"])
    gone = _in_set(nk, nk2, _pair_keys(now["a"], now["b"]), _pair_keys(now["pa"], now["pb"]))
    before = _joined([_records(new, ~gone), was])
    k_old, s_old = _kept_chains(before)
    k_new, s_new = _kept_chains(new)
    differ = np.r_[k_old[~_in_set(k_old, s_old, k_new, s_new)], k_new[~_in_set(k_new, s_new, k_old, s_old)]]
    return np.setdiff1d(cand, differ)


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per document pair (codes below 2**31), increasing with (a, b)."""
    return (a.astype(np.int64) << 32) | b.astype(np.int64)


def _code_remap(base: Path, ids: pa.Array) -> np.ndarray:
    """Earlier artifact's document codes -> this corpus's codes (-1: gone). Both number the sorted
    doc ids, so the map is increasing: hits sorted by document stay sorted. Read-only, and kept for
    the next hash partition the worker runs against the same two listings: a hash of every id per
    call, three calls a partition, was a term of corpus size x partitions (100k: ~1.5 CPU-s a
    night; at a million documents minutes)."""
    old = _listing_ids(base)  # cached on the listing file's stamp: the same object while unchanged
    kept = _REMAP[0]
    if kept is not None and kept[0] is old and kept[1] is ids:
        return kept[2]
    codes = pc.index_in(old, value_set=ids)
    remap = pc.fill_null(codes, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    remap.flags.writeable = False
    _REMAP[0] = (old, ids, remap)  # the arrays themselves are held: an identity cannot be reused
    return remap


_REMAP: list[tuple[pa.Array, pa.Array, np.ndarray] | None] = [None]


def _listing_ids(hits_dir: Path) -> pa.Array:
    """The sorted doc ids of a hits artifact's docs.parquet: its document codes."""
    f = Path(hits_dir) / "docs.parquet"
    return _listing_ids_of(str(f), _stamp(f))


@lru_cache(maxsize=2)
def _listing_ids_of(path: str, stamp: tuple[int, ...]) -> pa.Array:

    ids = np.array(_read(path, ["doc_id"]).column(0).to_pylist(), dtype=object)
    return pa.array(np.sort(ids).tolist(), pa.string())


def _listing_diff(now_file: Path, was_file: Path, n_parts: int) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """(per document code of this listing: whether its row (doc id, content fingerprint, level) is
    not in the earlier listing; how many earlier doc ids are gone; where each output part's codes
    start, n_parts + 1 offsets; per document code: whether only its cluster changed). Columnar:
    the listings are compared as Arrow columns, one doc id lookup, no Python object per document (a
    set of row tuples of both listings was O(corpus) Python objects in the finish call).

    A relabelled document (same text, dates and level, another cluster: a new copy with a smaller
    hash joined its cluster) is not touched: its pairs' rows change only in cluster_a / cluster_b
    (reuse_part rewrites those), and whatever the cluster changes in the hits (two documents now
    in one cluster, a rare flag) moves the pairs' hits in the changed groups, which dirty/PPPP.npy
    holds. Recomputing every pair of such a document read and extended their texts again
    (session 13)."""

    cols = ["doc_id", "content", "admin_level", "fingerprint"]
    now = _read(now_file, cols)
    was = _read(was_file, cols)
    # codes number the sorted doc ids (Arrow orders strings by UTF-8 bytes: code point order, as sorted())
    now = now.take(pc.sort_indices(now, sort_keys=[("doc_id", "ascending")]))
    ids = now.column("doc_id").combine_chunks()
    at = pc.index_in(ids, value_set=was.column("doc_id"))
    same = pc.is_valid(at)
    prev = was.take(at)  # a null row where the doc id is new

    def equal(c: str) -> Any:  # a null equals a null, as in a tuple comparison
        x, y = now.column(c), prev.column(c)
        return pc.or_(pc.fill_null(pc.equal(x, y), False), pc.and_(pc.is_null(x), pc.is_null(y)))

    for c in ("content", "admin_level"):
        same = pc.and_(same, equal(c))
    kept = np.asarray(pc.fill_null(same, False).to_numpy(zero_copy_only=False), dtype=bool)
    touched = ~kept
    relabelled = kept & ~np.asarray(pc.fill_null(equal("fingerprint"), False).to_numpy(zero_copy_only=False), bool)
    gone = pc.invert(pc.is_in(pc.unique(was.column("doc_id")), value_set=ids))
    removed = int(pc.sum(gone.cast(pa.int64())).as_py() or 0)
    # _code_range's bounds: the codes below each part's first doc id prefix
    bounds = [0] + [int(pc.sum(pc.less(ids, b).cast(pa.int64())).as_py() or 0) for b in part_bounds(n_parts)]
    return touched, removed, np.array([*bounds, len(ids)], np.int64), relabelled


class _NpySlices:
    """Rows [i, j) of 1-d .npy files, each read with one seek, each file's header parsed once.
    _dirty_parts reads a slice of every partition's files per output part: np.load's memory map and
    header parse per slice were half its CPU (20k +1 %: 4,330 loads, 2.5 of 5.3 s profiled), and a
    layout cache keyed by (path, stat) still cost a stat and path joins per slice (100k +1 %:
    38 k slices of 612 files, ~1.7 of 6.5 CPU-s). The files are the call's own inputs, written
    before it starts: their layout cannot change during it."""

    def __init__(self) -> None:
        self._layout: dict[str, tuple[np.dtype, int, int]] = {}

    def gather(self, slices: Iterable[tuple[str, int, int]], dtype: np.dtype) -> np.ndarray:
        """Rows [i, j) of each (path, i, j), in that order, in one array: one pread a slice, on a
        descriptor kept open (output parts x partitions slices: an open and a close each were ~a
        third of a slice's cost at 100k, 256 parts x 152 partitions), straight into the array. Not
        np.concatenate of one array a slice: on structured arrays it promotes their dtypes field by
        field in Python for every input (100k +1 %: ~110 k `_promote_fields` calls, ~3.3 of the
        finish call's 12.7 profiled CPU-s)."""
        wanted = [(path, i, j) for path, i, j in slices if j > i]
        out = np.empty(sum(j - i for _, i, j in wanted), dtype=dtype)
        view = memoryview(out.view(np.uint8))  # type: ignore[arg-type]  # an ndarray is a buffer
        at = 0
        for path, i, j in wanted:
            layout = self._layout.get(path)
            if layout is None:
                file_dtype, offset = _npy_layout(path)
                layout = self._layout[path] = (file_dtype, offset, os.open(path, os.O_RDONLY))
            file_dtype, offset, fd = layout
            if file_dtype != dtype:
                raise ValueError(f"{path}: rows of {file_dtype}, not {dtype}")
            size = (j - i) * dtype.itemsize
            if os.preadv(fd, [view[at : at + size]], offset + i * dtype.itemsize) != size:
                raise ValueError(f"{path}: rows {i}-{j} past its end")
            at += size
        return out

    def close(self) -> None:
        for _, _, fd in self._layout.values():
            os.close(fd)
        self._layout.clear()


def _npy_layout(path: str) -> tuple[np.dtype, int]:
    from numpy.lib import format as npy

    with open(path, "rb") as f:
        version = npy.read_magic(f)
        read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = read(f)
        if len(shape) != 1 or fortran:
            raise ValueError(f"{path}: not a 1-d array")
        return dtype, f.tell()


# _dirty_parts_in's per-document flags, one byte a document
_TOUCHED, _RELABELLED, _AS_A, _AS_B = (np.uint8(1 << k) for k in range(4))


def _dirty_parts(
    out: Path, starts: list[int], index: np.ndarray, bounds: np.ndarray, touched: np.ndarray, relabelled: np.ndarray
) -> tuple[list[int], list[int]]:
    """_dirty_parts_in, its files closed however it ends."""
    files = _NpySlices()
    try:
        return _dirty_parts_in(files, out, starts, index, bounds, touched, relabelled)
    finally:
        files.close()


def _dirty_parts_in(
    files: _NpySlices,
    out: Path,
    starts: list[int],
    index: np.ndarray,
    bounds: np.ndarray,
    touched: np.ndarray,
    relabelled: np.ndarray,
) -> tuple[list[int], list[int]]:
    """Per output part q, from every partition's slice of it: the moved pairs (dirty/PPPP.npy), the
    hits of those pairs and of the pairs of a touched document (its rows may change with no hit
    moving) -> dirty_hits/QQQ.npy sorted by document a, and every pair to recompute ->
    dirty_pairs/QQQ.npy. Returns each part's count of pairs to recompute (reuse_plan's weights) and
    the parts with a hit of a relabelled document (their rows' cluster columns change).

    One output part at a time: every hit of a pair lies in the part of its document a, and so do
    its changed groups' hits before and after (dirty/PPPP.was.npy, .now.npy, sorted by a like the
    hits), so _unchanged_pairs sees whole chains, and memory follows the largest part's dirty hits,
    not their sum (100k +1 %: 1,193 MB when every part's were gathered in one array, session 8)."""
    dirty = out / "dirty"
    # per partition: where each output part starts in its dirty files
    key_at: list[list[int]] = []
    was_at: list[list[int]] = []
    now_at: list[list[int]] = []
    for p in starts:
        keys = np.load(dirty / f"{p:04d}.npy", mmap_mode="r")
        key_at.append(np.searchsorted(keys, bounds << 32).tolist())
        for side, at in (("was", was_at), ("now", now_at)):
            rows = np.load(dirty / f"{p:04d}.{side}.npy", mmap_mode="r")
            at.append(np.searchsorted(np.ascontiguousarray(rows["a"]), bounds).tolist())
            del rows
        del keys
    for sub in ("dirty_pairs", "dirty_hits"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    counts = []
    relabel_parts: list[int] = []
    names = {suffix: [str(dirty / f"{p:04d}{suffix}") for p in starts] for suffix in (".npy", ".was.npy", ".now.npy")}
    hit_files = [str(out / "hits" / f"{p:04d}.npy") for p in starts]

    def gather(suffix: str, at: list[list[int]], q: int, dtype: np.dtype) -> np.ndarray:
        return files.gather(
            ((name, offsets[q], offsets[q + 1]) for name, offsets in zip(names[suffix], at, strict=True)), dtype
        )

    # per document: whether it is document a / document b of a moved pair of the current part (set
    # and cleared per part): a hit can be of a moved pair only if both hold, so only those hits'
    # pair keys are searched among the moved pairs (searching every hit's key was a third of the
    # finish: 7.65 M hits at 20k, of which a few hundred thousand pass)
    # The four per-document flags live in one byte each (TOUCHED, RELABELLED, AS_A, AS_B), so a
    # part's hits are looked up twice (document a, document b), not six times (5k +1 %: ~2 M hits).
    flags = touched.astype(np.uint8) | (relabelled.astype(np.uint8) << np.uint8(1))
    n_parts = len(bounds) - 1
    for q in range(n_parts):
        moved = np.unique(gather(".npy", key_at, q, np.dtype(np.int64)))
        ma, mb = moved >> 32, moved & 0xFFFFFFFF
        flags[ma] |= _AS_A
        flags[mb] |= _AS_B
        # the part's hits from every partition, then one pass over them (a pass per slice was
        # Python work per output part x partition: 39 k slices at 100k with 256 parts)
        slices = [(k, int(index[k, q]), int(index[k, q + 1])) for k in range(len(starts))]
        rec = files.gather(((hit_files[k], i, j) for k, i, j in slices), HIT_DTYPE)
        ra, rb = rec["a"], rec["b"]
        fa, fb = flags[ra], flags[rb]
        either = fa | fb
        if (either & _RELABELLED).any():
            relabel_parts.append(q)
        sel = (either & _TOUCHED).astype(bool)
        maybe = np.flatnonzero((fa & _AS_A).astype(bool) & (fb & _AS_B).astype(bool) & ~sel)
        if len(maybe) and len(moved):
            key = _pair_keys(ra[maybe], rb[maybe])
            hit = np.minimum(np.searchsorted(moved, key), len(moved) - 1)
            sel[maybe[moved[hit] == key]] = True
        picked = _records(rec, sel)
        del rec, ra, rb, fa, fb, either, sel, maybe
        flags[ma] &= ~_AS_A
        flags[mb] &= ~_AS_B
        # a pair of two untouched documents whose hits moved only by a count crossing RARE_CLUSTERS
        # or a formula threshold (a new document joined the anchor's group) keeps its rows when the
        # chains _passages extends are the same ones: drop it (+1 % at 20k: 3,671 of 4,720 pairs
        # to extend, whose texts are most of what the reuse step reads)
        pkey = _pair_keys(picked["a"], picked["b"])
        cand = moved[~(touched[moved >> 32] | touched[moved & 0xFFFFFFFF])] if len(moved) else moved
        if len(cand):
            was = gather(".was.npy", was_at, q, HIT_DTYPE)
            now = gather(".now.npy", now_at, q, HIT_DTYPE)
            same = _unchanged_pairs(cand, _records(picked, _in_sorted(pkey, cand)), was, now)
            del was, now
            if len(same):
                keep = ~_in_sorted(pkey, same)
                picked, pkey = _records(picked, keep), pkey[keep]
                moved = np.setdiff1d(moved, same)
        picked = _records(picked, stable_order(picked["a"]))
        keys = np.unique(np.r_[moved.astype(np.int64), pkey])
        np.save(out / "dirty_pairs" / f"{part_name(q, n_parts)}.npy", keys)
        np.save(out / "dirty_hits" / f"{part_name(q, n_parts)}.npy", picked)
        counts.append(len(keys))
        del moved, picked, pkey, keys
    return counts, relabel_parts


def hits_finish(
    inputs: dict, out_dir: str, parts: dict[str, dict], earlier: Iterable[str] = (), partitions: int | None = None
) -> dict:
    """hits.json (the partitions' ranges, the earlier artifact they were compared with, the
    output parts that held pairs of documents gone since), hits/index.npy and, when every
    partition was compared with the same earlier artifact, per output part QQQ
    dirty_pairs/QQQ.npy: the document pairs the reuse step must recompute (sorted keys,
    a << 32 | b): those of changed anchor groups, and every pair of a document whose listing row
    (text and cluster fingerprint, dates, level) changed; and dirty_hits/QQQ.npy, every hit of
    those pairs. Memory: one output part's dirty hits at a time (_dirty_parts), never all of them."""
    ranges = sorted(tuple(int(x) for x in k.split("-")) for k in parts if k != DOCS_PART)
    starts = [lo for lo, _ in ranges]
    n = len(starts)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # the parts' slice offsets in one array (partition x output part): a reuse part opens one file
    # to find its slices instead of one per partition
    n_parts = reuse_part_count(int(parts.get(DOCS_PART, {}).get("docs", 0)))
    offsets = [np.load(out / "hits" / f"{p:04d}.idx.npy") for p in starts]
    index = np.stack(offsets) if offsets else np.zeros((0, n_parts + 1), np.int64)
    if index.shape[1] != n_parts + 1:
        raise ValueError(f"hits parts cut the output in {index.shape[1] - 1} parts, the listing says {n_parts}")
    np.save(out / "hits" / "index.npy", index)
    bases = {s.get("base") for k, s in parts.items() if k != DOCS_PART}
    only = bases.pop() if len(bases) == 1 else None
    base = Path(only) if only is not None else None
    removed, gone_parts, dirty_counts, relabel_parts = 0, list[int](), None, list[int]()
    if base is not None and not (base / "docs.parquet").exists():
        base = None
    if base is not None and _meta(base).get("parts", REUSE_PARTS) != n_parts:
        base = None  # the corpus crossed a doubling: the output is cut anew, every part computed once
    if base is not None:
        touched, removed, bounds, relabelled = _listing_diff(out / "docs.parquet", base / "docs.parquet", n_parts)
        gone_parts = sorted({q for k, st in parts.items() if k != DOCS_PART for q in st.get("gone_parts", [])})
        dirty_counts, relabel_parts = _dirty_parts(out, starts, index, bounds, touched, relabelled)
        np.save(out / RELABELLED_FILE, np.flatnonzero(relabelled).astype(np.int64))
        np.save(out / TOUCHED_FILE, np.flatnonzero(touched).astype(np.int64))
    meta = {
        "version": _code_version(),
        "count": partitions or partition_count(sum(int(s.get("anchor_rows", 0)) for s in parts.values())),
        "partitions": n,
        "parts": n_parts,  # output parts (reuse_part_count of the listing)
        "starts": starts,
        "bounds": [list(r) for r in ranges],
        "base": str(base) if base is not None else None,
        "removed": removed,  # documents gone since the earlier artifact
        "gone_parts": gone_parts,  # output parts whose earlier rows hold a pair of a document gone
        "relabel_parts": relabel_parts,  # output parts with a pair of a relabelled document (RELABELLED_FILE)
        "dirty_pairs": dirty_counts,  # per output part: its pairs to recompute (None: no earlier artifact)
        "sources": [_source_id(m) for m in inputs["members"]],  # what rows/*.npy's src index names
        "canonicals": [_file_id(m) for m in inputs["members"]],  # docs.parquet's shard
    }
    (out / "hits.json").write_text(json.dumps(meta, sort_keys=True))
    counts = {"docs": 0, "anchor_rows": 0, "partitions": n, "hits": 0, "formula_anchors": 0}
    counts |= {"groups": 0, "groups_paired": 0, "anchor_rows_read": 0, "hits_paired": 0, "hits_carried": 0}
    summed = ("anchor_rows", "anchor_rows_read", "hits", "formula_anchors", "groups", "groups_paired")
    for stats in parts.values():
        for k in ("docs", *summed, "hits_paired", "hits_carried"):
            counts[k] += int(stats.get(k, 0))
    return counts


# The corpus of the hits artifact this thread serves now (one entry per thread). Per thread, not
# per process: threads of one process may run parts at once (a Dask worker runs Prefect tasks in
# several threads; two flows may share a cluster) and a _Corpus is not thread-safe.
_LOADED = threading.local()


def _load_corpus(inputs: dict) -> _Corpus:
    """The corpus of a hits artifact, kept for the next part the same thread runs: a document pairs
    with documents of many output parts, and its text stays in the corpus's bounded text cache
    (TEXT_CACHE_CHARS) instead of being read and folded again by every part. A thread holds the
    corpus of one artifact at most; the end of a batch of parts and reuse_finish drop it
    (release_parts, release_corpus). Its key is the version of every file it reads or keeps open
    (_stamp), so a file replaced at its path is never read through a handle or a listing of the
    file it replaced."""

    listing = Path(inputs["reuse_hits"]) / "docs.parquet"
    members = list(inputs["members"])
    key = (str(listing.resolve()), _stamp(listing), tuple((m, _stamp(Path(m) / "canonical.parquet")) for m in members))
    held = getattr(_LOADED, "corpus", None)
    if held is None or held[0] != key:
        release_corpus()
        columns = ["doc_id", "cluster_id", "fingerprint", "chars", "shard", "admin_level"]
        _LOADED.corpus = (key, _Corpus(members, _read(listing, columns)))
    return _LOADED.corpus[1]


def release_corpus() -> None:
    """Forget this thread's corpus: close its files, drop its texts (the stage is done)."""
    held = getattr(_LOADED, "corpus", None)
    _LOADED.corpus = None
    if held is not None:
        held[1].close()


def release_parts() -> None:
    """Called by the pool after each call's batch of parts (tasks.steps.run_part_batch), in the
    thread that ran them: the corpus, its open files and its text cache serve the parts of one
    call only. Kept across calls, they stayed resident in both workers for the rest of the run
    (+1 % at 20k: RSS before successive reuse_part calls grew 610 -> 694 -> 714 -> 764 MB, and the
    worker went on holding it through repair and export). The process's text cache is trimmed to
    KEPT_TEXT_CHARS instead of dropped: the run's next reuse call on this worker reads fewer texts."""
    release_corpus()
    _TEXTS.trim(KEPT_TEXT_CHARS)
    _listing_ids_of.cache_clear()
    _listing_doc_hashes_of.cache_clear()
    _levels_of_file.cache_clear()
    _meta_of.cache_clear()
    with _STARTS_LOCK:
        _STARTS.clear()
    _REMAP[0] = None
    _IDS_DIGEST[0] = None
    _LOOKUP[0] = None


def _part_slices(hits_dir: Path, q: int) -> np.ndarray | None:
    """The hits of output part q, from every hash partition's file (only the slice is read)."""
    index = np.load(hits_dir / "hits" / "index.npy", mmap_mode="r")
    files = _NpySlices()
    try:
        slices = [
            (os.path.join(hits_dir, "hits", f"{p:04d}.npy"), i, j)
            for p, (i, j) in zip(_meta(hits_dir)["starts"], index[:, q : q + 2].tolist(), strict=True)
            if j > i
        ]
        return files.gather(slices, HIT_DTYPE) if slices else None
    finally:
        files.close()


def _dirty_of(hits_dir: Path, q: int) -> np.ndarray | None:
    """The pair keys to recompute of output part q (None: no comparison with an earlier artifact,
    every pair is computed). One part's file: never every part's pairs."""
    meta = _meta(hits_dir)
    if meta.get("dirty_pairs") is None:
        return None
    return np.load(hits_dir / "dirty_pairs" / f"{part_name(q, meta['parts'])}.npy")


def reuse_plan(inputs: dict, earlier: Iterable[str] = ()) -> dict[str, int]:
    """Output parts that have hits ("007": doc_id_a in its range), weighted by their hit count, or
    by their pairs to recompute when the hits step compared its groups with an earlier artifact."""
    hits_dir = Path(inputs["reuse_hits"])
    index = np.load(hits_dir / "hits" / "index.npy")
    n_parts = _meta(hits_dir)["parts"]
    sizes = np.diff(index, axis=1).sum(axis=0) if len(index) else np.zeros(n_parts, np.int64)
    per = _meta(hits_dir).get("dirty_pairs")
    if per is not None and _reuse_base(earlier, _code_version(), _meta(hits_dir).get("base")) is not None:
        return {part_name(q, n_parts): 1 + int(per[q]) for q, n in enumerate(sizes.tolist()) if n}
    return {part_name(q, n_parts): int(n) for q, n in enumerate(sizes.tolist()) if n}


def _reuse_base(earlier: Iterable[str] | None, version: str, hits_base: str | None) -> Path | None:
    """The newest complete earlier reuse artifact (same code) made from the hits artifact this
    run's hits were compared with: its rows are those of every pair not to recompute."""
    if hits_base is None:
        return None
    best = None
    for d in earlier or ():
        folder = Path(d)
        done = folder / "_done.json"
        meta = _meta(folder)
        if not done.exists() or meta.get("version") != version or meta.get("hits") != hits_base:
            continue
        stamp = (done.stat().st_mtime_ns, str(folder))
        if best is None or stamp > best[0]:
            best = (stamp, folder)
    return best[1] if best else None


def _pair_rows(
    rec: np.ndarray, corpus: _Corpus, counts: dict, known: Callable[[int], tuple[np.ndarray, set] | None] | None = None
) -> tuple[list[dict], np.ndarray, np.ndarray, dict[int, set]]:
    """Rows of the pairs whose hits are rec (every hit of each pair), texts read in batches, the
    keys of the pairs that have a chain to extend (counts["pairs_computed"]), each extended chain's
    outcome (CHAIN_DTYPE) and the carried pairs: key -> the (start_a, start_b) of their rows.

    known(pair key): an earlier run's chain outcomes of a pair of two unchanged documents and the
    starts of its earlier rows, or None. A maximal common run through a point is unique, so a chain
    whose start is a chain the earlier run extended, or lies on one of its runs, extends to that
    run: when every chain of the pair is such, its rows are those of its earlier rows with these
    runs, and no text is read (pairs_carried; 20k +1 %: half of the pairs to recompute joined two
    unchanged documents, read only because a chain's start or rare share moved)."""
    none = np.zeros(0, CHAIN_DTYPE)
    if not len(rec):
        return [], np.zeros(0, np.int64), none, {}
    a, b, pa_, pb_, rare, chain = _sorted_hits(
        rec["a"].astype(np.int64),
        rec["b"].astype(np.int64),
        rec["pa"].astype(np.int64),
        rec["pb"].astype(np.int64),
        rec["rare"],
    )
    pair_start = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    pair_end = np.r_[pair_start[1:], len(a)]
    # a pair's rows come from its chains that are mostly rare anchors (_passages): a pair with no
    # such chain gives no row and no text is read for it
    share = np.add.reduceat(rare.astype(np.int64), chain) / np.diff(np.r_[chain, len(a)])
    kept = chain[share >= MIN_RARE_SHARE]
    owner = np.searchsorted(pair_start, kept, side="right") - 1
    live = np.unique(owner)
    keys = _pair_keys(a[pair_start[live]], b[pair_start[live]])
    outcomes: list[tuple] = []
    carried: dict[int, set] = {}
    todo = []
    first = np.searchsorted(owner, live)  # each live pair's kept chains: kept[first[i]:last[i]]
    last = np.r_[first[1:], len(owner)]
    for i, p in enumerate(live.tolist()):
        got = known(int(keys[i])) if known is not None else None
        runs = _carried_runs(got[0], pa_[kept[first[i] : last[i]]], pb_[kept[first[i] : last[i]]]) if got else None
        starts = {(r[5], r[6]) for r in runs if r[4] >= MIN_PASSAGE} if runs is not None else None
        if got is not None and starts is not None and starts <= got[1]:  # every row is an earlier row
            ca, cb = int(a[pair_start[p]]), int(b[pair_start[p]])
            outcomes.extend((ca, cb, *r) for r in runs or ())
            carried[int(keys[i])] = starts
            continue
        todo.append((int(pair_start[p]), int(pair_end[p])))
    rows: list[dict] = []
    for batch in _batches(todo, a, b, corpus.chars):
        sel = np.concatenate([np.arange(s, e) for s, e in batch])
        docs = corpus.texts(np.unique(np.r_[a[sel], b[sel]]).tolist())
        rows.extend(_passages(a[sel], b[sel], pa_[sel], pb_[sel], rare[sel], corpus.ids, docs, outcomes))
    counts["pairs_computed"] += len(live)
    counts["pairs_extended"] += len(todo)
    counts["pairs_carried"] += len(carried)
    return rows, keys, _chain_array(outcomes), carried


def _carried_runs(earlier: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[tuple] | None:
    """Each chain start (x, y)'s outcome (x, y, sa, sb, length, start_a, start_b) from a pair's earlier
    outcomes (CHAIN_DTYPE rows), None if one is not known. A start the earlier run extended has its
    outcome; one on an earlier run of MIN_PASSAGE+ characters (same diagonal, sa <= x <= end -
    SHINGLE) extends to that run: _extend goes to the run's ends, the shingle at x matches, and half
    of MIN_PASSAGE lies on one side of x within the run, so _passages' checks pass."""
    exact = {(int(r["x"]), int(r["y"])): r for r in earlier}
    found = [r for r in earlier if r["length"] >= MIN_PASSAGE]
    out = []
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        r = exact.get((x, y))
        if r is None:
            r = next(
                (r for r in found if y - x == r["sb"] - r["sa"] and r["sa"] <= x <= r["sa"] + r["length"] - SHINGLE),
                None,
            )
            if r is None:
                return None
        out.append((x, y, int(r["sa"]), int(r["sb"]), int(r["length"]), int(r["start_a"]), int(r["start_b"])))
    return out


def _chain_array(outcomes: list[tuple]) -> np.ndarray:
    """Chain outcomes (pair codes a, b first) as CHAIN_DTYPE rows, sorted by pair and start."""
    out = np.zeros(len(outcomes), CHAIN_DTYPE)
    if outcomes:
        cols = list(zip(*outcomes, strict=True))
        out["pair"] = _pair_keys(np.array(cols[0], np.int64), np.array(cols[1], np.int64))
        for name, col in zip(("x", "y", "sa", "sb", "length", "start_a", "start_b"), cols[2:], strict=True):
            out[name] = col
    return out[np.lexsort((out["y"], out["x"], out["pair"]))]


def reuse_part(inputs: dict, out_dir: str, part: str, earlier: Iterable[str] = ()) -> dict:
    """Output part `part` of the reuse step: the rows of every pair whose document a lies in its
    range. Memory: that part's hits and one batch of texts.

    Incremental: when the hits step compared its anchor groups with an earlier hits artifact and
    the reuse artifact made from that one is among `earlier`, only the pairs in dirty_pairs/QQQ.npy are
    recomputed (from all their hits); every other pair keeps its earlier rows, and a part with no
    such pair (and no earlier pair of a document gone) is hard-linked without reading a hit or a
    text."""
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.schema import REUSE

    out = Path(out_dir)
    q = int(part)
    hits_dir = Path(inputs["reuse_hits"])
    version = _code_version()
    hits_meta = _meta(hits_dir)
    before = _reuse_base(earlier, version, hits_meta.get("base"))
    corpus = _load_corpus(inputs)
    read_before = corpus.texts_read
    counts = dict.fromkeys(_PART_COUNTS, 0)
    name = f"{part_name(q, hits_meta['parts'])}.parquet"
    dirty = _dirty_of(hits_dir, q) if before is not None else None
    old_rows = REUSE.empty_table()
    prev_flows = _meta(before).get("flows", {}).get(str(q)) if before is not None else None
    if prev_flows is None:
        dirty = None  # a part the earlier run did not have: every pair is computed
    old_live = np.zeros(0, np.int64)
    old_chains = np.zeros(0, CHAIN_DTYPE)  # the chains of the live pairs not recomputed
    known = None  # pair key -> its earlier chains and rows' starts, for pairs of two unchanged documents
    dropped_rows = None  # the earlier rows of the pairs recomputed or gone (their flows leave prev_flows)
    dropped_keys = np.zeros(0, np.int64)
    if before is not None and dirty is not None:
        prev = before / "reuse" / name
        relabel = q in hits_meta.get("relabel_parts", [])
        if not len(dirty) and q not in hits_meta.get("gone_parts", []) and not relabel:
            n_rows = 0
            if prev.exists():
                _link(prev, out / "reuse" / name)
                n_rows = pq.ParquetFile(prev).metadata.num_rows
            kept_live = _earlier_live(before, name, hits_dir)  # the same pairs, in this run's codes
            if kept_live is not None and len(kept_live):
                _save_live(out, name, kept_live)
            kept_chains = _earlier_chains(before, name, hits_dir)
            if kept_chains is not None and len(kept_chains):
                _save_chains(out, name, kept_chains)
            live = int(_meta(before).get("live", {}).get(str(q), 0))
            counts["parts_linked"] += 1
            counts["pairs_reused"] += live
            return {**counts, "reuse": n_rows, "live": live, "flows": prev_flows}
        if prev.exists():
            old = _read(prev)
            ra, rb = corpus.codes(old.column("doc_id_a")), corpus.codes(old.column("doc_id_b"))
            key = _pair_keys(ra, rb)
            keep = (ra >= 0) & (rb >= 0) & ~np.isin(key, dirty)
            old_rows = old.filter(pa.array(keep, pa.bool_())).cast(REUSE)
            dropped_rows = old.filter(pa.array(~keep, pa.bool_()))
            dropped_keys = key[~keep]
            if relabel:
                old_rows = _relabelled_rows(old_rows, corpus, np.load(hits_dir / RELABELLED_FILE))
        kept_live = _earlier_live(before, name, hits_dir)
        if kept_live is not None:
            old_live = kept_live[~_in_sorted(kept_live, dirty)]  # live pairs not recomputed (dirty: sorted, distinct)
            counts["pairs_reused"] += len(old_live)
        chains = _earlier_chains(before, name, hits_dir)
        if chains is not None:
            redo = _in_sorted(chains["pair"], dirty)
            old_chains = chains[~redo]
            if dropped_rows is not None:
                known = _known_pairs(chains[redo], dropped_rows, dropped_keys, hits_dir)
    if dirty is None:
        rec = _part_slices(hits_dir, q)
    else:  # the hits of this part's pairs to recompute, gathered by hits_finish
        rec = np.load(hits_dir / "dirty_hits" / name.replace(".parquet", ".npy"))
    new_rows, new_live, new_chains, carried = (
        _pair_rows(rec, corpus, counts, known) if rec is not None else ([], np.zeros(0, np.int64), old_chains[:0], {})
    )
    live_keys = np.union1d(old_live, new_live)
    if len(live_keys):  # the pairs with a chain to extend: what pairs_reused counts on the next run
        _save_live(out, name, live_keys)
    all_chains = np.concatenate([old_chains, new_chains])
    if len(all_chains):
        _save_chains(out, name, all_chains[np.lexsort((all_chains["y"], all_chains["x"], all_chains["pair"]))])
    new_t = pa.Table.from_pylist(new_rows, schema=REUSE)
    if carried and dropped_rows is not None:  # the carried pairs' rows: earlier rows, no text read
        new_t = pa.concat_tables([new_t, _carried_rows(dropped_rows, dropped_keys, carried, corpus, hits_dir)])
    rows_t = pa.concat_tables([old_rows, new_t])
    rows_t = rows_t.sort_by([(k, "ascending") for k in ("doc_id_a", "doc_id_b", "start_a", "start_b")])
    if rows_t.num_rows:
        write_table(rows_t, out / "reuse" / name)
    counts["parts_written"] += 1
    levels_before = _levels_of(hits_meta.get("base")) if dropped_rows is not None and prev_flows is not None else None
    if levels_before is not None and dropped_rows is not None and prev_flows is not None:
        flows = _flows_moved(prev_flows, dropped_rows, levels_before, new_t, corpus.levels)
    else:
        flows = _part_flows(rows_t, corpus.levels)
    texts = {"texts_read": corpus.texts_read - read_before}  # from canonical.parquet (the rest: _TEXTS)
    return {**counts, "reuse": rows_t.num_rows, "live": len(live_keys), "flows": flows, **texts}


def _earlier_live(before: Path, name: str, hits_dir: Path) -> np.ndarray | None:
    """The live pairs (sorted keys) an earlier reuse artifact stored for output part `name`, moved to
    the codes of this run's hits listing; pairs of a document gone are dropped. The map is
    increasing, so the keys stay sorted. None: the part had no live pair."""
    f = before / "pairs" / name.replace(".parquet", ".npy")
    if not f.exists():
        return None
    keys = np.load(f)
    remap = _code_remap(before, _listing_ids(hits_dir))  # before / LIVE_LISTING: the codes keys are in
    a, b = remap[keys >> 32], remap[keys & 0xFFFFFFFF]
    ok = (a >= 0) & (b >= 0)
    return _pair_keys(a[ok], b[ok])


_PART_COUNTS = ("pairs_reused", "pairs_computed", "pairs_extended", "pairs_carried", "parts_linked", "parts_written")


def _earlier_chains(before: Path, name: str, hits_dir: Path) -> np.ndarray | None:
    """The chain outcomes an earlier reuse artifact stored for output part `name` (CHAIN_DTYPE), pair
    keys moved to this run's codes as `_earlier_live` moves its live pairs; None: none stored."""
    f = before / "chains" / name.replace(".parquet", ".npy")
    if not f.exists():
        return None
    chains = np.load(f)
    remap = _code_remap(before, _listing_ids(hits_dir))
    a, b = remap[chains["pair"] >> 32], remap[chains["pair"] & 0xFFFFFFFF]
    ok = (a >= 0) & (b >= 0)
    chains = chains[ok]
    chains["pair"] = _pair_keys(a[ok], b[ok])
    return chains


def _known_pairs(
    chains: np.ndarray, dropped: pa.Table, dropped_keys: np.ndarray, hits_dir: Path
) -> Callable[[int], tuple[np.ndarray, set] | None]:
    """pair key -> (its earlier chain outcomes, the (start_a, start_b) of its earlier rows) for the
    pairs to recompute whose two documents are unchanged (not in the hits artifact's TOUCHED_FILE:
    same text, dates and level; a relabelled one's cluster is set on its rows as on kept rows).
    None for any other pair: its rows are computed from the texts."""
    f = hits_dir / TOUCHED_FILE
    touched = np.load(f) if f.exists() else None
    if touched is None or not len(chains):
        return lambda key: None
    ok = ~(_in_sorted(chains["pair"] >> 32, touched) | _in_sorted(chains["pair"] & 0xFFFFFFFF, touched))
    chains = chains[ok]
    starts = dropped.select(["start_a", "start_b"]).to_pydict()
    rows: dict[int, set] = {}
    for k, sa, sb in zip(dropped_keys.tolist(), starts["start_a"], starts["start_b"], strict=True):
        rows.setdefault(k, set()).add((sa, sb))
    cut = np.flatnonzero(np.r_[True, chains["pair"][1:] != chains["pair"][:-1]]).tolist() if len(chains) else []
    ends = [*cut[1:], len(chains)] if cut else []
    by_pair = {int(chains["pair"][s]): chains[s:e] for s, e in zip(cut, ends, strict=True)}

    def known(key: int) -> tuple[np.ndarray, set] | None:
        got = by_pair.get(key)
        return (got, rows.get(key, set())) if got is not None else None

    return known


def _carried_rows(
    dropped: pa.Table, dropped_keys: np.ndarray, carried: dict[int, set], corpus: _Corpus, hits_dir: Path
) -> pa.Table:
    """The earlier rows of the carried pairs whose runs their chains reach now, clusters as now."""
    from tasks.schema import REUSE

    starts = dropped.select(["start_a", "start_b"]).to_pydict()
    keep = [
        (sa, sb) in carried.get(k, ())
        for k, sa, sb in zip(dropped_keys.tolist(), starts["start_a"], starts["start_b"], strict=True)
    ]
    rows = dropped.filter(pa.array(keep, pa.bool_())).cast(REUSE)
    relabelled = hits_dir / RELABELLED_FILE
    return _relabelled_rows(rows, corpus, np.load(relabelled)) if relabelled.exists() else rows


def _save_chains(out: Path, name: str, chains: np.ndarray) -> None:
    """chains/QQQ.npy of a reuse part (CHAIN_DTYPE, sorted by pair and start): written whole or not at all."""
    f = out / "chains" / name.replace(".parquet", ".npy")
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_name(f".tmp-{f.name}")
    with open(tmp, "wb") as fh:
        np.save(fh, chains)
    os.replace(tmp, f)


def _save_live(out: Path, name: str, keys: np.ndarray) -> None:
    """pairs/QQQ.npy of a reuse part: its live pair keys, written whole or not at all (temp + rename)."""
    f = out / "pairs" / name.replace(".parquet", ".npy")
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_name(f".tmp-{f.name}")
    with open(tmp, "wb") as fh:
        np.save(fh, np.ascontiguousarray(keys, dtype=np.int64))
    os.replace(tmp, f)


_FLOW_COLUMNS = ["doc_id_a", "doc_id_b", "length", "formulaic", "first_doc_id"]


def _part_flows(rows: pa.Table, levels: dict[str, str | None]) -> list[list]:
    """An output part's flows ([from_level, to_level, dated, pairs, chars] by key) from all its rows."""
    acc: dict[tuple[str, str, bool], list] = {}  # a pair lies in one part: pair sets stay per part
    _flow_add(acc, rows.select(_FLOW_COLUMNS).to_pylist(), levels)
    return [[*k, len(v[0]), v[1]] for k, v in sorted(acc.items())]


def _flows_moved(
    prev: list, dropped: pa.Table, levels_before: dict[str, str | None], added: pa.Table, levels: dict[str, str | None]
) -> list[list]:
    """An incremental part's flows: the earlier part's flows less those of its rows dropped (the
    pairs recomputed or gone, counted with the levels they had then) plus those of the new rows.
    Exact because a pair's rows are kept or dropped together and counted under one key (its first
    document and both levels, which a kept pair keeps: a changed level or date makes its document
    touched, and its pairs recomputed). Every row counted again in Python (`to_pylist`, a dict update a
    row): 20k +1 %, 58 k rows in 64 parts, 0.13 CPU-s a night against 0.02 for the rows of changed
    pairs (plus ~3 ms a call for the earlier levels)."""
    acc = {(k[0], k[1], bool(k[2])): [int(k[3]), int(k[4])] for k in prev}
    for table, sign, lv in ((dropped, -1, levels_before), (added, 1, levels)):
        part: dict[tuple[str, str, bool], list] = {}
        _flow_add(part, table.select(_FLOW_COLUMNS).to_pylist(), lv)
        for k, (pairs, chars) in part.items():
            cell = acc.setdefault(k, [0, 0])
            cell[0] += sign * len(pairs)
            cell[1] += sign * chars
    return [[*k, v[0], v[1]] for k, v in sorted(acc.items()) if v[0]]


def _levels_of(hits_dir: str | None) -> dict[str, str | None] | None:
    """doc_id -> admin_level of a hits artifact's listing (what its reuse parts counted flows with),
    or None when it is gone. Once per version of the file in a process."""
    if hits_dir is None:
        return None
    f = Path(hits_dir) / "docs.parquet"
    stamp = _stamp_or_none(f)
    return _levels_of_file(str(f), stamp) if stamp is not None else None


@lru_cache(maxsize=1)
def _levels_of_file(path: str, stamp: tuple[int, ...]) -> dict[str, str | None]:
    t = _read(path, ["doc_id", "admin_level"])
    return dict(zip(t.column("doc_id").to_pylist(), t.column("admin_level").to_pylist(), strict=True))


def _relabelled_rows(rows: pa.Table, corpus: _Corpus, relabelled: np.ndarray) -> pa.Table:
    """Kept reuse rows with cluster_a / cluster_b of the relabelled documents (codes `relabelled`)
    set to their clusters now. Such a document's cluster is never null (a null cluster is part of
    the listing's content fingerprint), so the listing's value is the canonical row's."""
    for side in ("a", "b"):
        codes = corpus.codes(rows.column(f"doc_id_{side}"))
        moved = np.isin(codes, relabelled)
        if not moved.any():
            continue
        name = f"cluster_{side}"
        now = corpus.clusters(np.where(moved, codes, 0)).cast(rows.schema.field(name).type)
        column = pc.if_else(pa.array(moved, pa.bool_()), now, rows.column(name))
        rows = rows.set_column(rows.schema.get_field_index(name), rows.schema.field(name), column)
    return rows


def reuse_finish(inputs: dict, out_dir: str, parts: dict[str, dict], earlier: Iterable[str] = ()) -> dict:
    """The formulae (every formula anchor of the corpus, merged into passages of their example
    document), flows.json (who copies whom, summed over the parts), reuse_parts.json (the hits
    artifact this one was made from, per part its flows and pairs: what a later run links a part
    with) and the step's counts. The corpus it reads formula texts through is released (its files
    closed) however it ends."""
    try:
        return _reuse_finish(inputs, out_dir, parts, earlier)
    finally:
        release_corpus()
        _TEXTS.trim(0)  # the stage is over: no text outlives it


def _reuse_finish(inputs: dict, out_dir: str, parts: dict[str, dict], earlier: Iterable[str]) -> dict:
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.schema import REUSE_FORMULAE, SORT_KEYS

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    version = _code_version()
    hits_dir = Path(inputs["reuse_hits"])
    before_dir = _reuse_base(earlier, version, _meta(hits_dir).get("base"))
    corpus = _load_corpus(inputs)
    corpus.cache_chars = FORMULA_TEXT_CHARS  # released when the call ends (reuse_finish)
    counts = dict.fromkeys(_PART_COUNTS, 0)
    flow_acc: dict[tuple[str, str, bool], list] = {}
    n_rows = 0
    for stats in parts.values():
        for k in counts:
            counts[k] += int(stats.get(k, 0))
        n_rows += int(stats.get("reuse", 0))
        for src, dst, dated, n_pairs, n_chars in stats.get("flows", []):
            cell = flow_acc.setdefault((src, dst, bool(dated)), [0, 0])
            cell[0] += n_pairs
            cell[1] += n_chars
    formula_parts = []
    for p in _meta(hits_dir)["starts"]:
        frec = np.load(hits_dir / "formulae" / f"{p:04d}.npy")
        formula_parts.append({k: frec[k] for k in FORMULA_DTYPE.names or ()})
    f = _formula_arrays(formula_parts)
    tuples = _formula_tuples(f, corpus.ids)
    involved = np.unique(np.r_[f["doc"], f["other"]]).astype(np.int64)
    fdigest = hashlib.sha256(
        json.dumps([version, tuples, corpus.prints[involved].tolist()], default=str).encode()
    ).hexdigest()[:20]
    prev_meta = _meta(before_dir) if before_dir is not None else {}
    target = out / "reuse_formulae" / "0.parquet"
    runs_computed = 0
    if (
        before_dir is not None
        and prev_meta.get("formulae") == fdigest
        and (before_dir / "reuse_formulae" / "0.parquet").exists()
    ):
        _link(before_dir / "reuse_formulae" / "0.parquet", target)
        if (before_dir / FORMULA_MEMO).exists():
            _link(before_dir / FORMULA_MEMO, out / FORMULA_MEMO)
        n_formulae = pq.ParquetFile(target).metadata.num_rows
    else:
        ids_code = {x: i for i, x in enumerate(corpus.id_list)} if tuples else {}
        memo: dict[str, Any] = {}
        if before_dir is not None and (before_dir / FORMULA_MEMO).exists():
            memo = json.loads((before_dir / FORMULA_MEMO).read_text())
        known = set(memo)
        formulae = _formulae(
            tuples,
            {},
            lambda need: corpus.texts(ids_code[x] for x in need),
            memo,
            lambda doc_id: str(corpus.prints[ids_code[doc_id]]),
            lambda doc_id: int(corpus.chars[ids_code[doc_id]]),
        )
        (out / FORMULA_MEMO).write_text(json.dumps(memo, ensure_ascii=False, sort_keys=True))
        runs_computed = len(set(memo) - known)
        write_table(pa.Table.from_pylist(formulae, schema=REUSE_FORMULAE), target, SORT_KEYS["reuse_formulae"])
        n_formulae = len(formulae)
    (out / "flows.json").write_text(json.dumps(_flow_rows(flow_acc), ensure_ascii=False, sort_keys=True))
    _link(hits_dir / "docs.parquet", out / LIVE_LISTING)  # the codes of pairs/*.npy (_earlier_live)
    meta = {
        "version": version,
        "hits": str(hits_dir.resolve()),
        "flows": {str(int(q)): s.get("flows", []) for q, s in sorted(parts.items())},
        "live": {str(int(q)): int(s.get("live", 0)) for q, s in sorted(parts.items())},
        "formulae": fdigest,
    }
    (out / "reuse_parts.json").write_text(json.dumps(meta, sort_keys=True))
    return {"docs": len(corpus.ids), **counts, "reuse": n_rows, "formulae": n_formulae, "formula_runs": runs_computed}


def reuse_stage(member_dirs: list[str], out_dir: str, partitions: int | None = None) -> dict:
    """The global reuse step in one process: reuse/<part>.parquet, reuse_formulae/0.parquet and
    flows.json in out_dir (the hits step's artifact in out_dir/hits). The flow runs the same
    functions as two partitioned steps, parts spread over its workers. The newest complete earlier
    artifact next to out_dir made by the same code lends its unchanged groups, pairs and parts.

    Memory: one anchor partition, then one output part's hits and one batch of texts; never the
    corpus."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    earlier = _earlier_run(out, _code_version())
    hits_earlier = [str(earlier / "hits")] if earlier is not None else []
    reuse_earlier = [str(earlier)] if earlier is not None else []
    members = {"members": list(member_dirs)}
    hits_dir = out / "hits"
    plan = hits_plan(members, hits_earlier, partitions=partitions)
    done = {p: hits_part(members, str(hits_dir), p, hits_earlier, partitions=partitions) for p in sorted(plan)}
    for stats in done.values():
        stats.pop("formula_anchors", None)
    hit_counts = hits_finish(members, str(hits_dir), done, hits_earlier, partitions=partitions)
    (hits_dir / "_done.json").write_text(json.dumps(hit_counts, sort_keys=True))
    inputs = {**members, "reuse_hits": str(hits_dir)}
    parts = {q: reuse_part(inputs, out_dir, q, reuse_earlier) for q in sorted(reuse_plan(inputs, reuse_earlier))}
    counts = reuse_finish(inputs, out_dir, parts, reuse_earlier)
    return {**{k: v for k, v in hit_counts.items() if k != "formula_anchors"}, **counts}


def _newest_hits(earlier: Iterable[str] | None, version: str) -> Path | None:
    """The newest complete reuse_hits artifact among `earlier` made by this code (hits.json names
    its version; one made before the groups were kept has none)."""
    best = None
    for d in earlier or ():
        folder = Path(d)
        done = folder / "_done.json"
        if not done.exists() or _meta(folder).get("version") != version:
            continue
        stamp = (done.stat().st_mtime_ns, str(folder))
        if best is None or stamp > best[0]:
            best = (stamp, folder)
    return best[1] if best else None


def _batches(todo: list[tuple[int, int]], a: np.ndarray, b: np.ndarray, chars: np.ndarray):
    """Consecutive pairs (hit ranges) whose documents' texts together stay under TEXT_BATCH_CHARS."""
    batch: list[tuple[int, int]] = []
    seen: set[int] = set()
    size = 0
    for s, e in todo:
        add = {int(a[s]), int(b[s])} - seen
        extra = int(sum(chars[c] for c in add))
        if batch and size + extra > TEXT_BATCH_CHARS:
            yield batch
            batch, seen, size = [], set(), 0
            add = {int(a[s]), int(b[s])}
            extra = int(sum(chars[c] for c in add))
        batch.append((s, e))
        seen |= add
        size += extra
    if batch:
        yield batch


def _part_ranges(pf) -> list[tuple[int, int]]:
    """(min, max) of anchors.part in each row group (the file is sorted by part)."""
    col = pf.schema_arrow.get_field_index("part")
    out = []
    for g in range(pf.metadata.num_row_groups):
        st = pf.metadata.row_group(g).column(col).statistics
        out.append((st.min, st.max) if st is not None and st.has_min_max else (0, (1 << PART_BITS) - 1))
    return out


def _read_parts(pf, ranges: list[tuple[int, int]], lo: int, hi: int) -> pa.Table:
    """Anchor rows with lo <= part < hi: only the row groups that can hold them are read."""
    groups = [g for g, (a, b) in enumerate(ranges) if a < hi and b >= lo]
    if not groups:
        return pa.table(
            {"hash": pa.array([], pa.uint64()), "doc_id": pa.array([], pa.string()), "pos": pa.array([], pa.int32())}
        )
    t = pf.read_row_groups(groups, columns=["part", "hash", "doc_id", "pos"], use_threads=False)
    part = t.column("part")
    t = t.filter(pc.and_(pc.greater_equal(part, lo), pc.less(part, hi)))
    return pa.table(
        {
            "hash": t.column("hash").cast(pa.uint64()),
            "doc_id": t.column("doc_id"),
            "pos": t.column("pos").cast(pa.int32()),
        }
    )


def _earlier_run(out: Path, version: str) -> Path | None:
    """The newest complete earlier reuse artifact next to out_dir made by the same code."""
    best = None
    for sibling in sorted(out.parent.iterdir()) if out.parent.exists() else []:
        if sibling == out or not (sibling / "_done.json").exists():
            continue
        if _meta(sibling).get("version") != version:
            continue
        stamp = (sibling / "_done.json").stat().st_mtime
        if best is None or stamp > best[0]:
            best = (stamp, sibling)
    return best[1] if best else None


def _read(path: Path | str, columns: list[str] | None = None) -> pa.Table:
    """A whole Parquet file (or some of its columns) in this thread, without pre-buffering.
    pq.read_table goes through the datasets layer: on this stage's small files (a reuse part's
    earlier rows, the listings) and many-row-group files (canonical.parquet: row groups of
    CANONICAL_ROW_GROUP documents) it cost 2-4x the CPU of ParquetFile.read (20k: the doc ids of 25
    canonical files, 0.26-0.51 s against 0.09-0.12 s)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path, pre_buffer=False) as pf:
        return pf.read(columns=columns, use_threads=False)


def _meta(folder: Path) -> dict:
    """reuse_parts.json of a reuse artifact, hits.json of a hits artifact ({} if none); parsed once
    per version of the file (the dict is shared: read it, never change it)."""
    for name in ("reuse_parts.json", "hits.json"):
        try:
            stamp = _stamp(Path(folder) / name)
        except OSError:
            continue
        return _meta_of(str(Path(folder) / name), stamp)
    return {}


@lru_cache(maxsize=8)
def _meta_of(path: str, stamp: tuple[int, ...]) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer on uint64 arrays (wrapping arithmetic): a well-spread 64-bit hash."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another filesystem
        shutil.copy2(src, dst)


def _flow_add(acc: dict, rows: Iterable[dict], level_of: dict[str, str | None]) -> None:
    for r in rows:
        if r.get("formulaic"):
            continue
        a, b = r["doc_id_a"], r["doc_id_b"]
        first = r.get("first_doc_id")
        src, dst = (b, a) if first == b else (a, b)
        key = (level_of.get(src) or "unknown", level_of.get(dst) or "unknown", first is not None)
        cell = acc.setdefault(key, [set(), 0])
        cell[0].add((a, b))
        cell[1] += int(r["length"])


def _flow_rows(acc: dict) -> list[dict]:
    return [
        {"from_level": k[0], "to_level": k[1], "dated": k[2], "pairs": v[0], "chars": v[1]}
        for k, v in sorted(acc.items(), key=lambda kv: (-kv[1][1], kv[0]))
    ]


def reuse_flows(rows: list[dict], level_of: dict[str, str | None]) -> list[dict]:
    """Who copies whom, by level (the report's chart): per (from_level, to_level, dated) the pairs and
    shared characters, from the earlier document to the later one; undated or same-date pairs count
    under dated=False with the lower doc_id as `from`. Formulaic passages are left out."""
    acc: dict[tuple[str, str, bool], list] = {}
    _flow_add(acc, rows, level_of)
    return _flow_rows({k: [len(v[0]), v[1]] for k, v in acc.items()})

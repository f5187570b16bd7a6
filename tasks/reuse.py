"""Reuse: passages shared by documents of different clusters (a county copying its city's wording,
a speech reusing last year's).

Built like dedupe's anchor index: each document's normalized characters (Han and digits) are
shingled (5 characters) and winnowed (window 24), so every shared run of 28+ characters shares
an anchor. Anchors are grouped per hash partition (hash % PARTITIONS: memory bounded by one
partition); an anchor in more than FORMULA_CLUSTERS clusters is a formula, counted in a summary
instead of paired. Hits of one document pair on one diagonal are chained and extended to the
exact maximal shared passage; passages of MIN_PASSAGE+ characters with mostly rare anchors are
kept. Incremental: new documents are matched against the stored anchors of older ones.

    anchors = anchor_table(docs)                              # per shard, parallel
    rows, formulae = find_reuse(new_docs, old_anchors, old_docs)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.dedupe import SHINGLE, WINDOW, shingle_hashes
from tasks.schema import ANCHORS

MIN_PASSAGE = 50  # shared characters (Han + digits) for a passage to count as reuse (issue 13)
FORMULA_CLUSTERS = 25  # anchor in more clusters than this: a formula (政府工作报告 openings), not paired
FORMULA_DOCS = 60  # ... or in more documents than this (copies of one speech count once per cluster)
RARE_CLUSTERS = 4  # an anchor in at most this many clusters is rare: real evidence of copying
MIN_RARE_SHARE = 0.5  # a passage needs half of its anchors rare (boilerplate discount)
MIN_FORMULA_ANCHORS = 2  # one common anchor is a common phrase (各民主党派); a formula passage has several
PARTITIONS = 16  # anchor hash partitions processed one at a time
CHAIN_GAP = WINDOW + SHINGLE  # winnowing puts an anchor at least every WINDOW positions of a shared run

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
    win = np.lib.stride_tricks.sliding_window_view(h, WINDOW)
    rev = WINDOW - 1 - np.argmin(win[:, ::-1], axis=1)
    return np.unique(np.arange(len(win)) + rev)


def anchor_table(docs: Iterable[dict]) -> pa.Table:
    """Winnowed anchors of documents (doc_id, cluster_id, text): the reuse index rows."""
    cols: dict[str, list] = {f.name: [] for f in ANCHOR_SCHEMA}
    for d in docs:
        if not d.get("doc_id"):
            continue
        fp, _ = fold(d.get("text") or "")
        h = shingle_hashes(fp)
        pos = _winnow_positions(h)
        hv = h[pos]
        cols["part"].append((hv % np.uint64(PARTITIONS)).astype(np.int16))
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
    return table.sort_by([("part", "ascending"), ("hash", "ascending"), ("doc_id", "ascending"), ("pos", "ascending")])


@dataclass
class _Hits:
    a: list[np.ndarray]
    b: list[np.ndarray]
    pa: list[np.ndarray]
    pb: list[np.ndarray]
    rare: list[np.ndarray]


def _partition_hits(t: pa.Table, new_ids: set[str], hits: _Hits, formula: list[tuple]) -> None:
    """Pairs of anchor occurrences in different clusters (one of them new) within one partition."""
    if t.num_rows == 0:
        return
    t = t.sort_by([("hash", "ascending"), ("doc_id", "ascending"), ("pos", "ascending")])
    h = t.column("hash").to_numpy()
    docs = np.asarray(t.column("doc_id").to_pylist(), dtype=object)
    clus = np.asarray(t.column("cluster_id").to_pylist(), dtype=object)
    pos = t.column("pos").to_numpy()
    bounds = np.flatnonzero(np.r_[True, h[1:] != h[:-1], True])
    los, his = bounds[:-1], bounds[1:]
    multi = (his - los) >= 2  # most anchors are in one document only
    for lo, hi in zip(los[multi].tolist(), his[multi].tolist(), strict=True):
        cl = clus[lo:hi]
        n_clusters = len(set(cl.tolist()))
        if n_clusters < 2:
            continue
        n_docs = len(set(docs[lo:hi].tolist()))  # an anchor can recur inside one document
        if n_clusters > FORMULA_CLUSTERS or n_docs > FORMULA_DOCS:
            other = lo + int(np.argmax(cl != cl[0]))  # a second example in another cluster: to extend the run
            formula.append(
                (int(h[lo]), n_docs, n_clusters, str(docs[lo]), int(pos[lo]), str(docs[other]), int(pos[other]))
            )
            continue
        idx = np.arange(lo, hi)
        ii, jj = np.triu_indices(hi - lo, k=1)
        i, j = idx[ii], idx[jj]
        keep = clus[i] != clus[j]
        is_new = np.array([d in new_ids for d in docs[lo:hi]])
        keep &= is_new[ii] | is_new[jj]
        if not keep.any():
            continue
        i, j = i[keep], j[keep]
        swap = docs[i] > docs[j]  # doc_id_a < doc_id_b
        a = np.where(swap, j, i)
        b = np.where(swap, i, j)
        hits.a.append(docs[a])
        hits.b.append(docs[b])
        hits.pa.append(pos[a].astype(np.int64))
        hits.pb.append(pos[b].astype(np.int64))
        hits.rare.append(np.full(len(a), n_clusters <= RARE_CLUSTERS))


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
    """Reuse rows (schema.REUSE) and formula rows (schema.REUSE_FORMULAE) for new documents.

    new_docs: dicts with doc_id, cluster_id, text, optional delivered_on (date) and year; pass one
    document per cluster (the canonical, or best_text) — copies of one speech are never paired.
    old_anchors: the stored index (anchor_table of earlier documents), a table or a function
    partition -> table (read one partition at a time from Parquet). old_docs: doc_id -> dict for
    the earlier documents a pair needs (their text and dates).
    """
    new = {d["doc_id"]: d for d in new_docs if d.get("doc_id")}
    new_index = anchor_table(new.values())
    hits = _Hits([], [], [], [], [])
    formula: list[tuple] = []
    for part in range(PARTITIONS):
        t = new_index.filter(pc.equal(new_index.column("part"), part))
        if old_anchors is not None:
            old = old_anchors(part) if callable(old_anchors) else old_anchors
            old = old.filter(pc.equal(old.column("part"), part))
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=pa.array(list(new), pa.string()))))
            t = pa.concat_tables([t, old.select(ANCHOR_SCHEMA.names).cast(ANCHOR_SCHEMA)])
        _partition_hits(t, set(new), hits, formula)

    docs = dict(new)
    if hits.a:
        need = sorted({*np.concatenate(hits.a).tolist(), *np.concatenate(hits.b).tolist()} - set(docs))
        if need and old_docs is not None:
            docs.update(old_docs(need))
    rows = _passages(hits, docs)
    return rows, _formulae(formula, docs, old_docs)


def _passages(hits: _Hits, docs: dict[str, dict]) -> list[dict]:
    if not hits.a:
        return []
    a = np.concatenate(hits.a)
    b = np.concatenate(hits.b)
    pa_ = np.concatenate(hits.pa)
    pb_ = np.concatenate(hits.pb)
    rare = np.concatenate(hits.rare)
    diag = pb_ - pa_
    order = np.lexsort((pa_, diag, b.astype(str), a.astype(str)))
    folded: dict[str, tuple[str, np.ndarray]] = {}

    def fp(doc_id: str) -> tuple[str, np.ndarray]:
        if doc_id not in folded:
            folded[doc_id] = fold(docs[doc_id].get("text") or "")
        return folded[doc_id]

    rows: list[dict] = []
    k = 0
    n = len(order)
    while k < n:
        # one chain: same pair, same diagonal, consecutive anchors close together
        first = order[k]
        m = k + 1
        while (
            m < n
            and a[order[m]] == a[first]
            and b[order[m]] == b[first]
            and diag[order[m]] == diag[first]
            and pa_[order[m]] - pa_[order[m - 1]] <= CHAIN_GAP
        ):
            m += 1
        chain = order[k:m]
        k = m
        da, db = str(a[first]), str(b[first])
        if da not in docs or db not in docs:
            continue
        (fa, oa), (fb, ob) = fp(da), fp(db)
        x, y = int(pa_[first]), int(pb_[first])
        if fa[x : x + SHINGLE] != fb[y : y + SHINGLE]:
            continue  # hash collision
        sa, sb, length = _extend(fa, fb, x, y)
        if length < MIN_PASSAGE or rare[chain].mean() < MIN_RARE_SHARE:
            continue
        if rows and rows[-1]["doc_id_a"] == da and rows[-1]["doc_id_b"] == db and rows[-1]["_fa"] == (sa, sb):
            continue  # the same run reached from a later chain
        ta = docs[da].get("text") or ""
        start_a, end_a = int(oa[sa]), int(oa[sa + length - 1]) + 1
        start_b, end_b = int(ob[sb]), int(ob[sb + length - 1]) + 1
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


def _formulae(formula: list[tuple], docs: dict[str, dict], old_docs) -> list[dict]:
    """Formula anchors merged into passages of their example document, one row per passage."""
    if not formula:
        return []
    formula.sort(key=lambda f: (f[3], f[4]))
    need = sorted({f[3] for f in formula} | {f[5] for f in formula} - set(docs))
    need = [d for d in need if d not in docs]
    if need and old_docs is not None:
        docs = {**docs, **old_docs(need)}
    out: dict[str, dict] = {}
    k = 0
    while k < len(formula):
        m = k + 1
        while m < len(formula) and formula[m][3] == formula[k][3] and formula[m][4] - formula[m - 1][4] <= CHAIN_GAP:
            m += 1
        run = formula[k:m]
        k = m
        doc, other = run[0][3], run[0][5]
        if len(run) < MIN_FORMULA_ANCHORS or doc not in docs or other not in docs:
            continue
        fa, oa = fold(docs[doc].get("text") or "")
        fb, _ = fold(docs[other].get("text") or "")
        x, y = run[0][4], run[0][6]
        if fa[x : x + SHINGLE] != fb[y : y + SHINGLE]:
            continue
        s, _, length = _extend(fa, fb, x, y)  # the whole formula, not just the span of its anchors ...
        # ... but no further than one window past its first and last formula anchor: a longer run would
        # hold another formula anchor, so beyond that the two examples share text the others do not
        s_clip = max(s, x - WINDOW)
        e_clip = min(s + length, run[-1][4] + SHINGLE + WINDOW)
        if e_clip - s_clip < MIN_PASSAGE:
            continue  # a common word or phrase, not a formula passage
        start, end = int(oa[s_clip]), int(oa[e_clip - 1]) + 1
        passage = (docs[doc].get("text") or "")[start:end]
        row = {
            "passage": passage,
            "n_docs": min(f[1] for f in run),
            "n_clusters": min(f[2] for f in run),
            "example_doc_id": doc,
            "start": start,
        }
        if passage not in out or row["n_docs"] > out[passage]["n_docs"]:
            out[passage] = row
    return [out[p] for p in sorted(out)]


def reuse_flows(rows: list[dict], level_of: dict[str, str | None]) -> list[dict]:
    """Who copies whom, by level (the report's chart): per (from_level, to_level, dated) the pairs and
    shared characters, from the earlier document to the later one; undated or same-date pairs count
    under dated=False with the lower doc_id as `from`. Formulaic passages are left out."""
    acc: dict[tuple[str, str, bool], list] = {}
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
    return [
        {"from_level": k[0], "to_level": k[1], "dated": k[2], "pairs": len(v[0]), "chars": v[1]}
        for k, v in sorted(acc.items(), key=lambda kv: (-kv[1][1], kv[0]))
    ]

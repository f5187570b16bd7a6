"""The report's numbers as mergeable per-file partial aggregates, cached by what each file holds.

The corpus report (tasks.report) used to read whole tables in one process: every keyword row
(~20 per document), every slogan, documents' light columns, reuse joined with documents'
admin_level. At a million documents that is ~20 M keyword rows in one worker, past the 1 GB
per-process bound, and a +1 % run re-read all of it to change a few numbers. Here every file of
a table gives a small partial aggregate (label counts, year counts, flag document counts,
cluster-id counts, term stats = distinct documents / summed tf / summed score per term, reject
reasons with their first example, reuse flows ...), computed once per version of the file and
kept in a cache folder under a digest of the encoded bytes of the columns it reads (the idea of
tasks.export.key_columns_digest: a +1 % run re-exports documents whose dedupe columns changed,
but their light columns' pages are copied, so those partials stay). A run merges the partials;
memory is bounded by one file plus the number of distinct labels / terms / clusters, never by
rows. A missing, damaged or foreign cache entry is recomputed from the file; without a cache
folder every file is read (still one at a time).

Equal to the whole-table computation because documents never span files (doc ids are per shard;
reuse pairs lie in one part: parts are ranges of doc_id_a) — for a foreign folder breaking that,
a document in two files counts once per file. One intended difference: a term's summed score is
the exactly rounded sum of its scores (integer mantissas per binary exponent, see
`_exact_parts`), not the running float sum in file order, so it no longer depends on how the
corpus is cut into files (a cold and an incremental build of the same documents agree); on the
20k bench release the page is byte-identical to the whole-table one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.schema import TABLES

# Bump when a partial's format or meaning changes: entries of another version are never read.
CACHE_VERSION = 2
DIGESTS_FILE = "digests.json"  # file identity (dev, inode, size, mtime_ns) -> column digests
FOLD_FILES = 16  # term / cluster partials concatenated before each re-grouping (memory: acc + 16 files)
EXP_SPLIT = 27  # a double's 53-bit mantissa is summed as two int64 halves of < 2^27: 2^36 rows per term stay exact
SCALE_EXP = 1074 + 53  # lowest binary exponent of a mantissa unit (subnormals): exact sums are ints at 2^-SCALE_EXP


# ---------------------------------------------------------------------------------------------
# Reading one file as tasks.report.read_table reads it
# ---------------------------------------------------------------------------------------------


def one_line(s: str, limit: int) -> str:
    from tasks.report import _one_line

    return _one_line(s, limit)


def read_part(
    path: str, name: str, wanted: Sequence[str], cast: pa.Schema | None = None, pf: pq.ParquetFile | None = None
) -> tuple[pa.Table, set[str]]:
    """The wanted columns of one file, missing ones as nulls of the contract type (tasks.schema),
    and the columns the file really has; raises on any damage (the caller notes it)."""
    schema = TABLES.get(name)
    pf = pf if pf is not None else pq.ParquetFile(path)
    available = set(pf.schema_arrow.names)
    cols = [c for c in wanted if c in available]
    t = pf.read(columns=cols, use_threads=False)  # small files: threads cost more than they save
    arrays, fields = [], []
    for c in wanted:
        if c in t.column_names:
            arr = t.column(c)
        else:
            typ = schema.field(c).type if schema is not None and c in schema.names else pa.null()
            arr = pa.chunked_array([pa.nulls(t.num_rows, type=typ)], type=typ)
        arrays.append(arr)
        fields.append(pa.field(c, arr.type))
    t = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    if cast is not None:
        t = pa.concat_tables([cast.empty_table(), t], promote_options="permissive")
    return t, available


def wanted_types(path: str, name: str, wanted: Sequence[str]) -> pa.Schema:
    """The schema `read_part` gives the file (from its footer only)."""
    schema = TABLES.get(name)
    arrow = pq.ParquetFile(path).schema_arrow
    fields = []
    for c in wanted:
        if c in arrow.names:
            fields.append(pa.field(c, arrow.field(c).type))
        else:
            fields.append(pa.field(c, schema.field(c).type if schema is not None and c in schema.names else pa.null()))
    return pa.schema(fields)


def columns_digest(path: str, columns: Sequence[str], pf: pq.ParquetFile | None = None) -> str:
    """sha256 of the encoded bytes of the named columns' chunks (every leaf under each name), the
    row count and the columns' Arrow types, read without decoding: what a partial of these
    columns depends on. A file re-exported with only other columns changed keeps it."""
    h = hashlib.sha256()
    pf = pf if pf is not None else pq.ParquetFile(path)
    md = pf.metadata
    arrow = pf.schema_arrow
    names = set(columns)
    wanted = [i for i in range(md.num_columns) if md.schema.column(i).path.split(".")[0] in names]
    types = [(c, str(arrow.field(c).type) if c in arrow.names else None) for c in columns]
    h.update(repr((md.num_rows, md.num_row_groups, types, [md.schema.column(i).path for i in wanted])).encode())
    with open(path, "rb") as fh:
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            for i in wanted:
                c = rg.column(i)
                start = c.dictionary_page_offset if c.has_dictionary_page else c.data_page_offset
                fh.seek(start)
                h.update(fh.read(c.total_compressed_size))
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# The cache folder
# ---------------------------------------------------------------------------------------------


class Cache:
    """Partials under a folder (None: nothing kept, every partial computed), and a memo of column
    digests by file identity, so an unchanged file (a hard link of the same artifact in every
    release) is not even re-hashed. Pipeline files are written once under a new name (temp +
    rename), so a file whose inode, size and mtime are the same holds the same bytes."""

    def __init__(self, folder: str | os.PathLike | None):
        self.scratch: tempfile.TemporaryDirectory | None = None
        if not folder:  # partial tables still go to disk: merges load one file's at a time
            self.scratch = tempfile.TemporaryDirectory(prefix="jianghua-report-")
        self.folder: Path | None = Path(folder) if folder else None
        self.kept = self.folder is not None
        self.digests: dict[str, str] = {}
        self.used_digests: dict[str, str] = {}
        self.used: set[str] = set()
        self.hits = self.misses = 0
        if self.folder is not None:
            try:
                loaded = json.loads((self.folder / DIGESTS_FILE).read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and loaded.get("version") == CACHE_VERSION:
                    self.digests = {str(k): str(v) for k, v in loaded.get("digests", {}).items()}
            except (OSError, ValueError, AttributeError):
                pass

    @property
    def where(self) -> Path:
        return self.folder if self.folder is not None else Path(self.scratch.name)  # type: ignore[union-attr]

    def digest(self, path: str, columns: Sequence[str], pf: pq.ParquetFile | None = None) -> str:
        st = os.stat(path)
        ident = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{','.join(columns)}"
        d = self.digests.get(ident)
        if d is None:
            d = columns_digest(path, columns, pf)
        self.used_digests[ident] = d
        return d

    def load(self, key: str, tables: Sequence[str] = ()) -> dict | None:
        """A partial's numbers, when it and its tables' files are there (None: recompute)."""
        try:
            obj = json.loads((self.where / f"{key}.json").read_text(encoding="utf-8"))
            if not isinstance(obj, dict) or obj.get("_key") != key:
                return None
            if not all((self.where / f"{key}.{t}.arrow").is_file() for t in tables):
                return None
        except Exception:  # noqa: BLE001 - any damage: recompute from the file
            return None
        self.used.add(key)
        return obj

    def table(self, key: str, name: str) -> pa.Table:
        with pa.memory_map(str(self.where / f"{key}.{name}.arrow")) as fh:
            return pa.ipc.open_file(fh).read_all()

    def save(self, key: str, obj: dict, tables: dict[str, pa.Table] | None = None) -> bool:
        """Keep a partial (False when the folder cannot take it: the caller keeps it in memory)."""
        try:
            self.where.mkdir(parents=True, exist_ok=True)
            for t, table in (tables or {}).items():
                self._atomic(f"{key}.{t}.arrow", functools.partial(_write_ipc, table=table))
            data = json.dumps({**obj, "_key": key}, ensure_ascii=False, sort_keys=True).encode("utf-8")
            self._atomic(f"{key}.json", lambda fh: fh.write(data))  # last: its presence means complete
            self.used.add(key)
            return True
        except OSError:  # a read-only or full cache folder costs memory and speed, never the report
            return False

    def _atomic(self, name: str, write: Callable[[Any], Any]) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.where)
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
            os.replace(tmp, self.where / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def finish(self) -> None:
        """Keep only what this report used (the cache follows the release, it does not grow)."""
        if self.scratch is not None:
            self.scratch.cleanup()
            return
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            body = {"version": CACHE_VERSION, "digests": dict(sorted(self.used_digests.items()))}
            self._atomic(DIGESTS_FILE, lambda fh: fh.write(json.dumps(body, sort_keys=True).encode()))
            for p in self.folder.iterdir():
                if p.name != DIGESTS_FILE and p.name.split(".", 1)[0] not in self.used:
                    p.unlink(missing_ok=True)
        except OSError:
            pass


def _write_ipc(fh: Any, *, table: pa.Table) -> None:
    with pa.ipc.new_file(fh, table.schema) as w:
        w.write_table(table)


# ---------------------------------------------------------------------------------------------
# Partials of one file
# ---------------------------------------------------------------------------------------------


def _label(v: Any) -> str:
    from tasks.report import _label as label

    return label(v)


def label_counts(col: pa.ChunkedArray) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for item in pc.value_counts(col).to_pylist():
        counts[_label(item["values"])] += item["counts"]
    return dict(counts)


def year_partial(col: pa.ChunkedArray) -> tuple[list[list[int]], int]:
    from tasks.report import _as_int

    counts: Counter[int] = Counter()
    unknown = 0
    for item in pc.value_counts(col).to_pylist():
        y = _as_int(item["values"])
        if y is None:
            unknown += item["counts"]
        else:
            counts[y] += item["counts"]
    return [[y, n] for y, n in sorted(counts.items())], unknown


def _typesig(t: pa.Table) -> dict[str, str]:
    return {f.name: str(f.type) for f in t.schema}


DOC_LIGHT = ["doc_id", "year", "region", "source_site", "doc_type", "quality_flags", "admin_level"]
DOC_DUPS = ["cluster_id", "is_canonical", "dup_of", "dup_reason"]


def docs_light(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    from tasks.report import flag_doc_counts

    flags, clean = flag_doc_counts(t.column("quality_flags"))
    years, unknown = year_partial(t.column("year"))
    obj = {
        "rows": t.num_rows,
        "region": label_counts(t.column("region")),
        "source_site": label_counts(t.column("source_site")),
        "doc_type": label_counts(t.column("doc_type")),
        "years": years,
        "year_unknown": unknown,
        "flags": dict(flags),
        "flags_clean": clean,
    }
    return obj, {"levels": t.select(["doc_id", "admin_level"]).combine_chunks()}


def docs_dups(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    canon, dup_of, reasons = t.column("is_canonical"), t.column("dup_of"), t.column("dup_reason")
    canon_valid = len(canon) - canon.null_count
    obj = {
        "rows": t.num_rows,
        "canon_valid": canon_valid,
        "canon_true": int(pc.sum(canon.drop_null()).as_py() or 0) if canon_valid else 0,
        "canon_null_dup_of": int(pc.sum(pc.and_(pc.is_null(canon), pc.is_valid(dup_of))).as_py() or 0),
        "dup_of_valid": len(dup_of) - dup_of.null_count,
        "dup_reason_valid": len(reasons) - reasons.null_count,
        "dup_reasons": label_counts(reasons.drop_null()),
    }
    ids = t.column("cluster_id").drop_null()
    vc = pc.value_counts(ids) if len(ids) else pa.array([], pa.struct([("values", ids.type), ("counts", pa.int64())]))
    clusters = pa.table({"cluster_id": vc.field("values"), "n": vc.field("counts")})
    return obj, {"clusters": clusters}


def _exact_parts(key: pa.ChunkedArray, score: pa.ChunkedArray) -> tuple[pa.Table, pa.Table]:
    """A term's scores as integer mantissa sums per binary exponent (exactly mergeable), and the
    running sum of its non-finite scores (NaN / inf, as a float sum would carry them)."""
    x = np_values(pc.cast(score, pa.float64()))
    valid = np_values(pc.is_valid(score)).astype(bool)
    finite = valid & np.isfinite(np.where(valid, x, 0.0))
    m, e = np.frexp(np.where(finite, x, 0.0))
    mi = (m * float(1 << 53)).astype(np.int64)
    unit = e.astype(np.int64) - 53
    hi = mi >> EXP_SPLIT
    lo = mi - (hi << EXP_SPLIT)
    keys = key.combine_chunks() if isinstance(key, pa.ChunkedArray) else key
    idx = np.flatnonzero(finite)
    both = pa.table(
        {
            "key": pa.concat_arrays([keys.take(pa.array(idx)), keys.take(pa.array(idx))]),
            "exp": np.concatenate([unit[idx] + EXP_SPLIT, unit[idx]]),
            "m": np.concatenate([hi[idx], lo[idx]]),
        }
    )
    both = both.filter(pc.not_equal(both.column("m"), 0))
    g = both.group_by(["key", "exp"], use_threads=False).aggregate([("m", "sum")])
    exact = pa.table({"key": g.column("key"), "exp": g.column("exp"), "m": g.column("m_sum")})
    odd = np.flatnonzero(valid & ~finite)
    rows: dict[Any, float] = {}
    kl = keys.take(pa.array(odd)).to_pylist() if len(odd) else []
    for k, v in zip(kl, x[odd].tolist(), strict=True):
        rows[k] = rows.get(k, 0.0) + v
    nonfinite = pa.table({"key": pa.array(list(rows), keys.type), "v": pa.array(list(rows.values()), pa.float64())})
    return exact, nonfinite


def terms(t: pa.Table, key: str, weight: str, score: str | None) -> tuple[dict, dict[str, pa.Table]]:
    """Per term of one file: distinct documents, summed weight (and exact score parts)."""
    rows = t.num_rows  # the table's rows, null terms included (what "is empty" is judged by)
    t = t.filter(pc.is_valid(t.column(key)))
    g = t.group_by([key], use_threads=False).aggregate([("doc_id", "count_distinct"), (weight, "sum")])
    stats = pa.table({"key": g.column(key), "docs": g.column("doc_id_count_distinct"), "w": g.column(f"{weight}_sum")})
    out = {"stats": stats}
    if score:
        out["exact"], out["nonfinite"] = _exact_parts(t.column(key), t.column(score))
    return {"rows": rows}, out


def rejects_partial(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    """Per reason: count, and the first (by source_path, then row) row with a detail."""
    cols = {c: t.column(c).to_pylist() for c in ("reason", "detail", "source_path")}
    by: dict[str, list[Any]] = {}
    for i in range(t.num_rows):
        reason = _label(cols["reason"][i])
        row = by.setdefault(reason, [0, None])
        row[0] += 1
        if cols["detail"][i]:
            cand = [str(cols["source_path"][i] or ""), i, str(cols["detail"][i]), _jsonable(cols["source_path"][i])]
            if row[1] is None or cand[:2] < row[1][:2]:
                row[1] = cand
    return {"rows": t.num_rows, "reasons": by}, {}


def _jsonable(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)


def reuse_pairs(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    """One reuse part's passages as the pairs of documents they join (formulaic passages left out):
    per (source doc, target doc, dated, doc_id_a, doc_id_b) the shared characters. No level in it, so
    the partial depends on the part's own columns only: a run that adds documents (a new shard, every
    release's new file names) leaves every unchanged part's pairs cached, and `reuse_flows` puts the
    levels on (20k +1 %: every part was read and re-grouped again by every report)."""
    rows = t.num_rows
    t = t.filter(pc.invert(pc.fill_null(pc.cast(t.column("formulaic"), pa.bool_()), False)))
    if t.num_rows == 0:
        return {"rows": rows, "pairs": 0}, {"pairs": REUSE_PAIRS.empty_table()}
    a, b = t.column("doc_id_a").combine_chunks(), t.column("doc_id_b").combine_chunks()
    first = t.column("first_doc_id").combine_chunks()
    src_is_b = pc.fill_null(pc.equal(first, b), False)
    g = pa.table(
        {
            "src": pc.if_else(src_is_b, b, a),
            "dst": pc.if_else(src_is_b, a, b),
            "dated": pc.is_valid(first),
            "a": a,
            "b": b,
            "length": pc.cast(t.column("length"), pa.int64()),
        }
    )
    pairs = g.group_by(["src", "dst", "dated", "a", "b"], use_threads=False).aggregate([("length", "sum")])
    pairs = pairs.select(REUSE_PAIRS.names)  # types as the part has them (a foreign folder's too)
    return {"rows": rows, "pairs": pairs.num_rows}, {"pairs": pairs}


# `reuse_pairs`' table (of a pipeline's part: a foreign folder's keeps its own id types), the characters
# summed per group
REUSE_PAIRS = pa.schema(
    [
        ("src", pa.string()),
        ("dst", pa.string()),
        ("dated", pa.bool_()),
        ("a", pa.string()),
        ("b", pa.string()),
        ("length_sum", pa.int64()),
    ]
)


def reuse_flows(pairs: pa.Table, lookup: Callable[[pa.Array], pa.Array]) -> list[list]:
    """Who copies whom in one reuse part (tasks.reuse.reuse_flows, columnar), from its `reuse_pairs`:
    per (from level, to level, dated) the distinct pairs (a, b) and their shared characters, as
    [from, to, dated, pairs, chars]. Two orientations of one pair whose documents share a level count
    once, as grouping the passages by levels directly does."""
    if pairs.num_rows == 0:
        return []
    g = pa.table(
        {
            "src": lookup(pairs.column("src").combine_chunks()),
            "dst": lookup(pairs.column("dst").combine_chunks()),
            "dated": pairs.column("dated"),
            "a": pairs.column("a"),
            "b": pairs.column("b"),
            "length": pairs.column("length_sum"),
        }
    )
    by_pair = g.group_by(["src", "dst", "dated", "a", "b"], use_threads=False).aggregate([("length", "sum")])
    flows = by_pair.group_by(["src", "dst", "dated"], use_threads=False).aggregate(
        [("length_sum", "sum"), ("length_sum", "count", pc.CountOptions(mode="all"))]
    )
    return sorted(
        [r["src"], r["dst"], bool(r["dated"]), int(r["length_sum_count"]), int(r["length_sum_sum"] or 0)]
        for r in flows.to_pylist()
    )


# ---------------------------------------------------------------------------------------------
# A table: its files' partials, and what the report needs of them
# ---------------------------------------------------------------------------------------------


@dataclass
class Part:
    """One readable file: its partials' numbers (small) and where their tables are (loaded one
    file at a time by `Summary.table`, so a merge never holds every file's tables)."""

    rel: str
    path: str
    obj: dict = field(default_factory=dict)
    keys: dict[str, tuple[str, Any]] = field(default_factory=dict)  # table -> (cache key, its group)
    held: dict[str, pa.Table] = field(default_factory=dict)  # tables the cache could not take
    types: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # group -> its columns' digest


@dataclass
class Summary:
    """A table as far as it could be read (tasks.report.TableData, without its rows)."""

    name: str
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    parts: list[Part] = field(default_factory=list)  # the readable files whose numbers count
    cache: Cache | None = None

    @property
    def readable(self) -> bool:
        return bool(self.parts)

    @property
    def rows(self) -> int:
        return sum(int(p.obj["rows"]) for p in self.parts)

    def no_data_reason(self) -> str | None:
        if not self.parts:
            if self.problems:
                return f"table `{self.name}` could not be read ({'; '.join(self.problems)})"
            return f"table `{self.name}` is missing"
        if self.rows == 0:
            return f"table `{self.name}` is empty"
        return None

    def has(self, column: str) -> bool:
        return bool(self.parts) and column in self.present

    def table(self, part: Part, name: str) -> pa.Table:
        """One partial table of one file: from the cache, else computed again from the file."""
        if name in part.held:
            return part.held[name]
        key, (columns, fn, cast) = part.keys[name]
        try:
            return self.cache.table(key, name)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the entry went bad since it was checked: read the file
            t, _ = read_part(part.path, self.name, columns, cast=cast)
            return fn(t)[1][name]

    def tables(self, name: str) -> Iterator[pa.Table]:
        for p in self.parts:
            yield self.table(p, name)


Group = tuple[str, list[str], Callable[[pa.Table], tuple[dict, dict[str, pa.Table]]], tuple[str, ...]]


def summarize(
    out_dir: str, name: str, wanted: list[str], groups: list[Group], cache: Cache, extra: str = ""
) -> Summary:
    """Every file of OUT/<name>/ as its groups' partials (each group: a set of columns, the
    function of a table of them, the names of the tables it returns), cached by column digest.

    A file that cannot be read is noted with the message reading all `wanted` columns gives (as
    the whole-table report did). Files whose column types differ are read again as the whole
    table's permissive concatenation would cast them, or, when those types do not merge, only
    the first readable file counts (the whole-table report's rule, same note)."""
    from tasks.report import _table_files

    summary = Summary(name=name, cache=cache)
    for path in _table_files(out_dir, name):
        rel = os.path.relpath(path, out_dir)
        summary.files.append(rel)
        part = Part(rel=rel, path=path)
        try:
            summary.present |= summarize_file(path, name, wanted, groups, cache, extra, part)
            summary.parts.append(part)
        except Exception as exc:  # noqa: BLE001 - the note says what reading the file the plain way says
            summary.problems.append(_read_problem(path, rel, name, wanted, exc))
    _unify(summary, wanted, groups)
    return summary


def summarize_file(
    path: str,
    name: str,
    wanted: list[str],
    groups: list[Group],
    cache: Cache,
    extra: str = "",
    part: Part | None = None,
) -> set[str]:
    """One file's partials of every group, from the cache or computed and kept there (into `part`
    when given); returns the columns the file has. Raises on a file that cannot be read."""
    part = part if part is not None else Part(rel=path, path=path)
    pf = pq.ParquetFile(path)  # one footer parse per file (documents' carry ~30 KB of metadata)
    available = set(pf.schema_arrow.names)
    for gname, columns, fn, tables in groups:
        digest = cache.digest(path, columns, pf)
        key = hashlib.sha256(
            json.dumps([CACHE_VERSION, name, gname, wanted, columns, digest, extra]).encode()
        ).hexdigest()[:32]
        obj = cache.load(key, tables)
        if obj is None:
            t, _ = read_part(path, name, columns, pf=pf)
            obj, made = fn(t)
            obj = {**obj, "types": _typesig(t)}
            if not cache.save(key, obj, made):
                part.held.update(made)
            cache.misses += 1
        else:
            cache.hits += 1
        part.types.update(obj["types"])
        part.obj.update({k: v for k, v in obj.items() if k not in ("types", "_key")})
        part.keys.update({t: (key, (columns, fn, None)) for t in tables})
        part.digests[gname] = digest
    return available


def _read_problem(path: str, rel: str, name: str, wanted: list[str], failure: Exception) -> str:
    """The whole-table report's note for a file it could not read; a file that reads but could not
    be summarized (odd values of a foreign writer) says so, with the error."""
    try:
        read_part(path, name, wanted)
    except Exception as exc:  # noqa: BLE001
        return f"{rel}: {type(exc).__name__}: {one_line(str(exc), 160)}"
    return f"{rel}: could not be summarized ({type(failure).__name__}: {one_line(str(failure), 160)})"


def _unify(summary: Summary, wanted: list[str], groups: list[Group]) -> None:
    if len({json.dumps(p.types, sort_keys=True) for p in summary.parts}) <= 1:
        return
    try:
        schemas = [wanted_types(p.path, summary.name, wanted) for p in summary.parts]
        unified = pa.concat_tables([s.empty_table() for s in schemas], promote_options="permissive").schema
    except Exception as exc:  # noqa: BLE001 - files disagree on types: keep what fits the first
        summary.problems.append(f"files disagree on column types: {one_line(str(exc), 160)}")
        summary.parts = summary.parts[:1]
        return
    for p, s in zip(summary.parts, schemas, strict=True):
        if s.equals(unified):
            continue
        for _gname, columns, fn, _tables in groups:  # rare (foreign folders): held in memory
            cast = pa.schema([unified.field(c) for c in columns])
            t, _ = read_part(p.path, summary.name, columns, cast=cast)
            obj, made = fn(t)
            p.obj.update(obj)
            p.held.update(made)


def fold(tables: Iterable[pa.Table], keys: list[str], sums: list[str]) -> pa.Table | None:
    """Sum partial tables by key, FOLD_FILES at a time: memory = the running result + a batch.
    Columnar without Acero (its import costs ~0.5 CPU-s, more than a warm report)."""
    acc: pa.Table | None = None
    batch: list[pa.Table] = []

    def flush() -> None:
        nonlocal acc, batch
        if not batch:
            return
        t = pa.concat_tables(([acc] if acc is not None else []) + batch, promote_options="permissive")
        acc = sum_by(t, keys, sums)
        batch = []

    for t in tables:
        batch.append(t)
        if len(batch) >= FOLD_FILES:
            flush()
    flush()
    return acc


def np_values(arr: pa.Array | pa.ChunkedArray, fill: float | int = 0) -> np.ndarray:
    """A numeric (or boolean) column as a numpy array, nulls as `fill`."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_boolean(arr.type):
        arr = pc.cast(arr, pa.int8())
    elif pa.types.is_null(arr.type):
        return np.full(len(arr), fill, np.int64)
    if arr.null_count:
        arr = pc.fill_null(arr, pa.scalar(fill, arr.type))
    return arr.to_numpy(zero_copy_only=False)


def sum_by(t: pa.Table, keys: list[str], sums: list[str]) -> pa.Table:
    """group_by(keys).sum(sums) for non-null keys: integer sums stay exact (sorted reduceat); a
    group whose values are all null sums to null, as Arrow's sum does."""
    if t.num_rows == 0:
        return t.select([*keys, *sums])
    codes = []
    uniques = []
    for k in keys:
        enc = t.column(k).combine_chunks().dictionary_encode()
        codes.append(np_values(enc.indices).astype(np.int64))
        uniques.append(enc.dictionary)
    if len(keys) == 1:
        code = codes[0]
    else:  # one code per key combination (mixed radix; key columns are few and small)
        code = np.zeros(t.num_rows, np.int64)
        for c, u in zip(codes, uniques, strict=True):
            code = code * len(u) + c
    order = np.argsort(code, kind="stable")
    sc = code[order]
    starts = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]])
    first = order[starts]
    cols = {k: t.column(k).take(pa.array(first)) for k in keys}
    for s in sums:
        col = t.column(s).combine_chunks()
        valid = np_values(col.is_valid()).astype(bool)
        typ = col.type
        if pa.types.is_integer(typ) or pa.types.is_null(typ):
            vals = np_values(col).astype(np.int64)
            out_type = pa.int64()
        else:
            vals = np_values(pc.cast(col, pa.float64()))
            out_type = pa.float64()
        total = np.add.reduceat(vals[order], starts)
        any_valid = np.add.reduceat(valid[order].astype(np.int64), starts) > 0
        cols[s] = pa.array(total, out_type, mask=~any_valid)
    return pa.table(cols)


def exact_float(parts: list[tuple[int, int]], nonfinite: float | None) -> float:
    """The correctly rounded value of sum(m * 2**exp), plus the non-finite scores' sum."""
    total = 0
    for exp, m in parts:
        total += int(m) << (int(exp) + SCALE_EXP)
    try:
        value = total / (1 << SCALE_EXP)
    except OverflowError:
        value = float("inf") if total > 0 else float("-inf")
    return value + nonfinite if nonfinite is not None else value

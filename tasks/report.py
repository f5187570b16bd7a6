"""Corpus report: one self-contained HTML page (inline CSS + inline SVG) describing an output folder.

Pure functions, no Prefect: the flow calls `write_report(release_dir, None, cache_dir)` in a worker
before publishing. Every input is treated as possibly missing or damaged — a bad table or manifest
turns its section into "no data", never an exception — because a report that crashes would hide the
run it is meant to explain. Output is deterministic (sorted, no clock reads), so the same folder
always gives the same bytes.

Tables are read file by file into partial aggregates (tasks.report_parts) and merged: memory is one
file plus the distinct labels / terms / clusters, never the rows; with a cache folder (the flow's
OUT/.state/artifacts/report) a file's partials are computed once per version of its columns. The
whole-table functions below (read_table, value_counts, term_stats, ...) are the reference the
merged numbers are tested against.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.report_parts import (
    DOC_DUPS,
    DOC_LIGHT,
    Cache,
    Group,
    Summary,
    docs_dups,
    docs_light,
    exact_float,
    fold,
    np_values,
    rejects_partial,
    reuse_flows,
    reuse_pairs,
    summarize,
    summarize_file,
    terms,
)
from tasks.schema import TABLES

REPORT_FILE = "report.html"
MANIFEST_FILE = "manifest.json"
UNKNOWN = "unknown"
TOP_CATEGORIES = 20
TOP_TERMS = 30

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", '
    '"PingFang SC", "Microsoft YaHei", sans-serif'
)

# Only the columns the report needs: documents also carries raw_text/text, which can be huge.
DOC_COLUMNS = [
    "doc_id",
    "year",
    "region",
    "source_site",
    "doc_type",
    "quality_flags",
    "cluster_id",
    "is_canonical",
    "dup_of",
    "dup_reason",
    "admin_level",
]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class TableData:
    """A table as far as it could be read: `table` is None when nothing usable was found."""

    name: str
    table: pa.Table | None
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # columns at least one file really has

    @property
    def rows(self) -> int:
        return 0 if self.table is None else self.table.num_rows

    def no_data_reason(self) -> str | None:
        """Why a section built on this table has nothing to show (None when it has rows)."""
        if self.table is None:
            if self.problems:
                return f"table `{self.name}` could not be read ({'; '.join(self.problems)})"
            return f"table `{self.name}` is missing"
        if self.table.num_rows == 0:
            return f"table `{self.name}` is empty"
        return None

    def column(self, name: str) -> pa.ChunkedArray | None:
        """The column, or None when the table lacks it (an older or foreign writer)."""
        if self.table is None or name not in self.table.column_names or name not in self.present:
            return None
        return self.table.column(name)


def _table_files(out_dir: str, name: str) -> list[str]:
    """Parquet files of one table, sorted; nested folders allowed (partitioned writers)."""
    root = os.path.join(out_dir, name)
    found: list[str] = []
    if not os.path.isdir(root):
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in filenames:
            if fn.endswith(".parquet") and not fn.startswith((".", "_")):
                found.append(os.path.join(dirpath, fn))
    return sorted(found)


def read_table(out_dir: str, name: str, columns: Sequence[str] | None = None) -> TableData:
    """Read the wanted columns of OUT/<name>/**.parquet; unreadable files are noted, not raised.

    Columns a file lacks are filled with nulls of the contract type (tasks.schema), so callers
    can rely on the column being present whenever the table is.
    """
    schema = TABLES.get(name)
    wanted = list(columns) if columns is not None else (schema.names if schema is not None else None)
    files = _table_files(out_dir, name)
    data = TableData(name=name, table=None, files=[os.path.relpath(f, out_dir) for f in files])
    parts: list[pa.Table] = []
    for path in files:
        rel = os.path.relpath(path, out_dir)
        try:
            pf = pq.ParquetFile(path)
            available = set(pf.schema_arrow.names)
            cols = [c for c in wanted if c in available] if wanted is not None else None
            t = pf.read(columns=cols)
            if wanted is not None:
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
            parts.append(t)
            data.present |= available
        except Exception as exc:  # noqa: BLE001 - any damage means "skip this file", never crash
            data.problems.append(f"{rel}: {type(exc).__name__}: {_one_line(str(exc), 160)}")
    if parts:
        try:
            data.table = pa.concat_tables(parts, promote_options="permissive")
        except Exception as exc:  # noqa: BLE001 - files disagree on types: keep what fits the first
            data.problems.append(f"files disagree on column types: {_one_line(str(exc), 160)}")
            data.table = parts[0]
    return data


def read_manifest(out_dir: str) -> tuple[dict[str, Any], str | None]:
    """The manifest as a dict ({} when missing or broken) and a problem note, if any."""
    path = os.path.join(out_dir, MANIFEST_FILE)
    if not os.path.isfile(path):
        return {}, f"{MANIFEST_FILE} is missing"
    try:
        with open(path, encoding="utf-8") as fh:
            obj = json.load(fh)
    except Exception as exc:  # noqa: BLE001
        return {}, f"{MANIFEST_FILE} could not be read ({type(exc).__name__})"
    if not isinstance(obj, dict):
        return {}, f"{MANIFEST_FILE} is not a JSON object"
    return obj, None


def _get(obj: Any, *keys: str) -> Any:
    """Nested dict lookup that tolerates any missing level or wrong type."""
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return None
        obj = obj[k]
    return obj


MAX_COUNT = 10**15  # larger "counts" in a manifest are garbage, not data
MAX_SECONDS = 10**9


def _as_int(v: Any) -> int | None:
    """An integer count from JSON, or None for anything else (bools, fractions, absurd sizes)."""
    if isinstance(v, bool):
        return None
    if (isinstance(v, float) and math.isfinite(v) and v.is_integer()) or (
        isinstance(v, str) and re.fullmatch(r"\s*-?\d{1,18}\s*", v)
    ):
        v = int(v)
    if isinstance(v, int) and abs(v) <= MAX_COUNT:
        return v
    return None


def _as_float(v: Any) -> float | None:
    """A finite, sane number of seconds from JSON, or None."""
    if isinstance(v, bool):
        return None
    f: float | None = None
    if isinstance(v, int):
        f = float(v) if abs(v) <= MAX_SECONDS else None
    elif isinstance(v, float):
        f = v
    elif isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return None
    if f is None or not math.isfinite(f) or abs(f) > MAX_SECONDS:
        return None
    return f


def _int_mapping(v: Any) -> list[tuple[str, int]]:
    """A {label: int} manifest mapping as pairs, dropping entries that are not numbers."""
    if not isinstance(v, dict):
        return []
    out = []
    for k, n in v.items():
        i = _as_int(n)
        if i is not None:
            out.append((str(k), i))
    return out


# ---------------------------------------------------------------------------------------------
# Aggregation (pure, on Arrow tables)
# ---------------------------------------------------------------------------------------------


def _label(v: Any) -> str:
    if v is None:
        return UNKNOWN
    s = _one_line(str(v), 200)
    return s if s else UNKNOWN


def value_counts(col: pa.ChunkedArray | None) -> list[tuple[str, int]]:
    """Label counts sorted by count desc then label; null and blank become "unknown"."""
    if col is None:
        return []
    counts: Counter[str] = Counter()
    for item in pc.value_counts(col).to_pylist():
        counts[_label(item["values"])] += item["counts"]
    return sort_counts(counts.items())


def sort_counts(items: Iterable[tuple[str, float]]) -> list[tuple[str, Any]]:
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def top_n(items: list[tuple[str, int]], n: int) -> tuple[list[tuple[str, int]], int, int]:
    """First n items plus how many labels and how much count were left off."""
    rest = items[n:]
    return items[:n], len(rest), sum(v for _, v in rest)


def year_counts(col: pa.ChunkedArray | None) -> list[tuple[str, int]]:
    """Documents per year in year order, gaps filled with 0 (when the span is sane), unknown last."""
    if col is None:
        return []
    counts: dict[int, int] = {}
    unknown = 0
    for item in pc.value_counts(col).to_pylist():
        y = _as_int(item["values"])
        if y is None:
            unknown += item["counts"]
        else:
            counts[y] = counts.get(y, 0) + item["counts"]
    years = sorted(counts)
    if years and years[-1] - years[0] <= 60:
        years = list(range(years[0], years[-1] + 1))
    out = [(str(y), counts.get(y, 0)) for y in years]
    if unknown:
        out.append((UNKNOWN, unknown))
    return out


def flag_doc_counts(flags: pa.ChunkedArray | None) -> tuple[list[tuple[str, int]], int]:
    """Documents carrying each quality flag (a doc counts once per flag) and docs with no flag."""
    if flags is None:
        return [], 0
    counts: Counter[str] = Counter()
    clean = 0
    for chunk in flags.chunks:
        if len(chunk) == 0:
            continue
        lengths = pc.fill_null(pc.list_value_length(chunk), 0)
        clean += len(chunk) - (pc.sum(pc.greater(lengths, 0)).as_py() or 0)
        values = pc.list_flatten(chunk)
        if len(values) == 0:
            continue
        parents = pc.list_parent_indices(chunk)
        pairs = pa.table({"p": parents, "f": values}).group_by(["p", "f"], use_threads=False).aggregate([])
        for item in pc.value_counts(pairs.column("f")).to_pylist():
            counts[_label(item["values"])] += item["counts"]
    return sort_counts(counts.items()), clean


@dataclass
class ClusterStats:
    clusters: int
    multi: int  # clusters with at least two documents
    sizes: list[tuple[int, int]]  # (cluster size, number of clusters), size ascending


def cluster_stats(cluster_ids: pa.ChunkedArray | None) -> ClusterStats | None:
    """Cluster sizes from the documents' cluster_id (null ids are ignored)."""
    if cluster_ids is None:
        return None
    ids = cluster_ids.drop_null()
    if len(ids) == 0:
        return None
    per_cluster = pc.value_counts(ids).field("counts")
    sizes = Counter(per_cluster.to_pylist())
    pairs = sorted(sizes.items())
    return ClusterStats(clusters=len(per_cluster), multi=sum(n for s, n in pairs if s >= 2), sizes=pairs)


def size_buckets(sizes: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Histogram bins: one per size while sizes are small, else log-like bins so bars stay readable."""
    if not sizes:
        return []
    if max(s for s, _ in sizes) <= 15:
        lo, hi = min(s for s, _ in sizes), max(s for s, _ in sizes)
        d = dict(sizes)
        return [(str(s), d.get(s, 0)) for s in range(lo, hi + 1)]
    edges: list[tuple[int, int | None]] = [
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
        (5, 5),
        (6, 10),
        (11, 20),
        (21, 50),
        (51, 100),
        (101, 1000),
        (1001, None),
    ]
    out = []
    for lo, top in edges:
        n = sum(c for s, c in sizes if s >= lo and (top is None or s <= top))
        label = str(lo) if lo == top else (f"{lo}–{top}" if top is not None else f"{lo}+")
        out.append((label, n))
    while out and out[-1][1] == 0:
        out.pop()
    while out and out[0][1] == 0:
        out.pop(0)
    return out


def term_stats(
    table: pa.Table | None, key: str, weight: str, weight_name: str, score: str | None = None
) -> list[dict[str, Any]]:
    """Per term/slogan: distinct documents, summed `weight` (and summed `score`), best first."""
    if table is None or table.num_rows == 0 or key not in table.column_names:
        return []
    t = table.filter(pc.is_valid(table.column(key)))
    if t.num_rows == 0:
        return []
    aggs = [("doc_id", "count_distinct"), (weight, "sum")]
    if score:
        aggs.append((score, "sum"))
    g = t.group_by([key], use_threads=False).aggregate(aggs)
    rows = []
    for r in g.to_pylist():
        row = {
            "term": _label(r[key]),
            "docs": int(r["doc_id_count_distinct"] or 0),
            weight_name: r[f"{weight}_sum"] or 0,
        }
        if score:
            row["score"] = float(r[f"{score}_sum"] or 0.0)
        rows.append(row)
    rows.sort(key=lambda r: (-int(r["docs"]), -float(r.get("score") or r[weight_name]), str(r["term"])))
    return rows


def reject_rows(table: pa.Table | None) -> list[dict[str, Any]]:
    """Per reject reason: count, and the first (by source_path) detail and path as an example."""
    if table is None or table.num_rows == 0 or "reason" not in table.column_names:
        return []
    cols = {
        c: table.column(c).to_pylist() if c in table.column_names else [None] * table.num_rows
        for c in ("reason", "detail", "source_path")
    }
    by: dict[str, dict[str, Any]] = {}
    order = sorted(range(table.num_rows), key=lambda i: (str(cols["source_path"][i] or ""), i))
    for i in order:
        reason = _label(cols["reason"][i])
        row = by.setdefault(reason, {"reason": reason, "count": 0, "detail": None, "path": None})
        row["count"] += 1
        if row["detail"] is None and cols["detail"][i]:
            row["detail"] = str(cols["detail"][i])
            row["path"] = cols["source_path"][i]
    return sorted(by.values(), key=lambda r: (-r["count"], r["reason"]))


# ---------------------------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _one_line(s: str, limit: int) -> str:
    """Collapse whitespace, drop control chars (invalid in HTML) and cap the length."""
    s = _CONTROL.sub("", " ".join(str(s).split()))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def esc(v: Any) -> str:
    """HTML-escape anything (web text included) after removing characters HTML cannot carry."""
    return html.escape(_CONTROL.sub("", str(v)), quote=True)


def fmt_num(v: float | int | None) -> str:
    if v is None:
        return "—"
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def fmt_seconds(v: float) -> str:
    if v < 60:
        return f"{v:.1f} s" if v >= 1 or v == 0 else f"{v:.2f} s"
    m, s = divmod(round(v), 60)
    if m < 60:
        return f"{m} min {s:02d} s"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"


def _c(x: float) -> str:
    """SVG coordinate: fixed precision keeps the bytes deterministic."""
    return f"{x:.1f}"


def text_width(s: str, size: float) -> float:
    """Rough rendered width: wide (CJK) characters take 1em, others about 0.6em."""
    w = 0.0
    for ch in s:
        w += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6
    return w * size


def fit_text(s: str, size: float, max_w: float) -> str:
    """Shorten to max_w by cutting the middle: region names differ at both ends (省 … 区)."""
    if text_width(s, size) <= max_w:
        return s
    head, tail = s[: (len(s) + 1) // 2], s[(len(s) + 1) // 2 :]
    while (head or tail) and text_width(head + "…" + tail, size) > max_w:
        if len(head) > len(tail) * 1.5 or not tail:
            head = head[:-1]
        else:
            tail = tail[1:]
    return head + "…" + tail


def nice_ticks(max_v: float, integer: bool, n: int = 5) -> list[float]:
    """Axis ticks 0..nice_max with a 1/2/2.5/5×10^k step."""
    if not max_v or max_v <= 0:
        max_v = 1
    raw = max_v / n
    mag = 10 ** math.floor(math.log10(raw))
    step = mag
    for m in (1, 2, 2.5, 5, 10):
        step = m * mag
        if step >= raw:
            break
    if integer:
        step = max(1, math.ceil(step))
    top = math.ceil(max_v / step - 1e-9) * step
    k = round(top / step)
    return [i * step for i in range(k + 1)]


# ---------------------------------------------------------------------------------------------
# SVG charts
# ---------------------------------------------------------------------------------------------

PALETTE = {
    "blue": "#3b6ea5",
    "red": "#b5473a",
    "orange": "#c7782a",
    "green": "#3f8a5a",
    "purple": "#6f5aa5",
    "teal": "#2f8a8a",
    "gray": "#6b7280",
}
FS = 12  # base font size of chart text


def _value_scale(items: Sequence[tuple[str, float]]) -> tuple[list[float], float]:
    """Axis ticks for the values and the top of the scale (integers get integer ticks)."""
    integer = all(isinstance(v, int) for _, v in items)
    ticks = nice_ticks(max((v for _, v in items), default=0), integer)
    return ticks, ticks[-1]


def hbar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    x_label: str,
    y_label: str,
    color: str = "blue",
    fmt: Callable[[Any], str] = fmt_num,
    width: int = 860,
    chart_id: str = "",
) -> str:
    """Horizontal bars (categories with long, often Chinese, labels), values printed at bar ends."""
    ticks, top_v = _value_scale(items)
    label_w = min(260.0, max((text_width(lbl, FS) for lbl, _ in items), default=40.0) + 10)
    value_w = max((text_width(fmt(v), FS - 1) for _, v in items), default=20.0) + 12
    left, right, top, bottom = 26 + label_w, max(40.0, value_w), 36, 46
    row_h, bar_h = 24, 17
    plot_w = width - left - right
    plot_h = row_h * len(items)
    height = top + plot_h + bottom
    fill = PALETTE.get(color, color)
    out = [
        _svg_open(width, height, title, chart_id),
        f'<text class="ct" x="{_c(width / 2)}" y="20" text-anchor="middle">{esc(title)}</text>',
    ]
    for t in ticks:
        x = left + plot_w * t / top_v
        out.append(f'<line class="grid" x1="{_c(x)}" y1="{top}" x2="{_c(x)}" y2="{_c(top + plot_h)}"/>')
        out.append(
            f'<text class="tick" x="{_c(x)}" y="{_c(top + plot_h + 15)}" text-anchor="middle">{esc(fmt(t))}</text>'
        )
    for i, (lbl, v) in enumerate(items):
        y = top + i * row_h + (row_h - bar_h) / 2
        w = plot_w * v / top_v if top_v else 0
        if v > 0:
            w = max(w, 2.0)  # a nonzero count must stay visible next to a huge one
        shown = fit_text(lbl, FS, label_w - 10)
        out.append(f'<g class="row"><title>{esc(lbl)}: {esc(fmt(v))}</title>')
        out.append(
            f'<text class="lbl" x="{_c(left - 6)}" y="{_c(y + bar_h / 2 + 4)}" text-anchor="end">{esc(shown)}</text>'
        )
        out.append(f'<rect class="bar" x="{_c(left)}" y="{_c(y)}" width="{_c(w)}" height="{bar_h}" fill="{fill}"/>')
        out.append(f'<text class="val" x="{_c(left + w + 4)}" y="{_c(y + bar_h / 2 + 4)}">{esc(fmt(v))}</text></g>')
    out.append(f'<line class="axis" x1="{_c(left)}" y1="{top}" x2="{_c(left)}" y2="{_c(top + plot_h)}"/>')
    out.append(
        f'<line class="axis" x1="{_c(left)}" y1="{_c(top + plot_h)}" x2="{_c(left + plot_w)}" y2="{_c(top + plot_h)}"/>'
    )
    out.append(
        f'<text class="axl" x="{_c(left + plot_w / 2)}" y="{_c(height - 8)}" text-anchor="middle">{esc(x_label)}</text>'
    )
    cy = top + plot_h / 2
    out.append(
        f'<text class="axl" x="14" y="{_c(cy)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_c(cy)})">{esc(y_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def column_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    x_label: str,
    y_label: str,
    color: str = "blue",
    fmt: Callable[[Any], str] = fmt_num,
    width: int = 860,
    chart_id: str = "",
) -> str:
    """Vertical columns for ordered categories (years, cluster sizes), values printed above."""
    ticks, top_v = _value_scale(items)
    n = max(1, len(items))
    tick_w = max((text_width(fmt(t), FS - 1) for t in ticks), default=10)
    left, right, top = 34 + tick_w, 16, 40
    plot_w = width - left - right
    col_w = plot_w / n
    bar_w = min(56.0, col_w * 0.72)
    lbl_max = max((text_width(lbl, FS - 1) for lbl, _ in items), default=10)
    rotate_lbl = lbl_max > col_w - 4
    lbl_h = min(110.0, lbl_max * 0.72 + 8) if rotate_lbl else 16
    val_max = max((text_width(fmt(v), FS - 1) for _, v in items), default=10)
    rotate_val = val_max > col_w - 2
    head = (val_max + 6) if rotate_val else 16
    plot_h = 220.0
    bottom = lbl_h + 34
    height = top + head + plot_h + bottom
    y0 = top + head + plot_h  # baseline
    fill = PALETTE.get(color, color)
    out = [
        _svg_open(width, height, title, chart_id),
        f'<text class="ct" x="{_c(width / 2)}" y="20" text-anchor="middle">{esc(title)}</text>',
    ]
    for t in ticks:
        y = y0 - plot_h * t / top_v
        out.append(f'<line class="grid" x1="{_c(left)}" y1="{_c(y)}" x2="{_c(left + plot_w)}" y2="{_c(y)}"/>')
        out.append(f'<text class="tick" x="{_c(left - 5)}" y="{_c(y + 4)}" text-anchor="end">{esc(fmt(t))}</text>')
    for i, (lbl, v) in enumerate(items):
        cx = left + col_w * (i + 0.5)
        h = plot_h * v / top_v if top_v else 0
        if v > 0:
            h = max(h, 2.0)
        x = cx - bar_w / 2
        out.append(f'<g class="col"><title>{esc(lbl)}: {esc(fmt(v))}</title>')
        out.append(
            f'<rect class="bar" x="{_c(x)}" y="{_c(y0 - h)}" width="{_c(bar_w)}" height="{_c(h)}" fill="{fill}"/>'
        )
        vy = y0 - h - 4
        if rotate_val:
            out.append(
                f'<text class="val" x="{_c(cx + 4)}" y="{_c(vy)}" '
                f'transform="rotate(-90 {_c(cx + 4)} {_c(vy)})">{esc(fmt(v))}</text>'
            )
        else:
            out.append(f'<text class="val" x="{_c(cx)}" y="{_c(vy)}" text-anchor="middle">{esc(fmt(v))}</text>')
        ly = y0 + 14
        if rotate_lbl:
            shown = fit_text(lbl, FS - 1, 140)
            out.append(
                f'<text class="lbl" x="{_c(cx + 3)}" y="{_c(ly)}" text-anchor="end" '
                f'transform="rotate(-45 {_c(cx + 3)} {_c(ly)})">{esc(shown)}</text>'
            )
        else:
            out.append(f'<text class="lbl" x="{_c(cx)}" y="{_c(ly)}" text-anchor="middle">{esc(lbl)}</text>')
        out.append("</g>")
    out.append(f'<line class="axis" x1="{_c(left)}" y1="{_c(top + head)}" x2="{_c(left)}" y2="{_c(y0)}"/>')
    out.append(f'<line class="axis" x1="{_c(left)}" y1="{_c(y0)}" x2="{_c(left + plot_w)}" y2="{_c(y0)}"/>')
    out.append(
        f'<text class="axl" x="{_c(left + plot_w / 2)}" y="{_c(height - 8)}" text-anchor="middle">{esc(x_label)}</text>'
    )
    cy = top + head + plot_h / 2
    out.append(
        f'<text class="axl" x="14" y="{_c(cy)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_c(cy)})">{esc(y_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def _svg_open(width: float, height: float, title: str, chart_id: str) -> str:
    cid = f' id="{esc(chart_id)}"' if chart_id else ""
    return (
        f'<svg class="chart"{cid} xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_c(width)}" height="{_c(height)}" viewBox="0 0 {_c(width)} {_c(height)}" '
        f'data-title="{esc(title)}"><title>{esc(title)}</title>'
    )


# ---------------------------------------------------------------------------------------------
# HTML pieces
# ---------------------------------------------------------------------------------------------


def no_data(reason: str | None) -> str:
    return f'<p class="nodata">no data{(" — " + esc(reason)) if reason else ""}</p>'


def data_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[bool] = (), cls: str = ""
) -> str:
    """Plain table; cells are escaped here, numbers right-aligned."""
    num = list(numeric) + [False] * (len(headers) - len(numeric))
    out = [f'<table class="{esc(cls)}"><thead><tr>']
    out += [f"<th{' class=num' if num[i] else ''}>{esc(h)}</th>" for i, h in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            text = fmt_num(cell) if isinstance(cell, (int, float)) and not isinstance(cell, bool) else cell
            out.append(f"<td{' class=num' if num[i] else ''}>{esc('—' if text is None else text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def chart_data(items: list[tuple[str, Any]], label: str, value: str) -> str:
    """The numbers behind a chart, folded away, for copying."""
    return (
        "<details><summary>numbers</summary>" + data_table([label, value], items, numeric=[False, True]) + "</details>"
    )


def section(sid: str, title: str, body: str, note: str = "") -> str:
    n = f'<p class="note">{note}</p>' if note else ""
    return f'<section id="{esc(sid)}"><h2>{esc(title)}</h2>{n}{body}</section>\n'


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


@dataclass
class Context:
    out_dir: str
    manifest: dict[str, Any]
    manifest_problem: str | None
    docs: Summary
    rejects: Summary
    keywords: Summary
    slogans: Summary
    cache: Cache
    _docs_numbers: dict[str, Any] | None = None

    def numbers(self) -> dict[str, Any]:
        """The documents' partials merged (once; a section that fails here fails alone)."""
        if self._docs_numbers is None:
            self._docs_numbers = merge_docs(self.docs)
        return self._docs_numbers


def _headline(ctx: Context) -> str:
    counts = _get(ctx.manifest, "counts") or {}
    docs = ctx.docs
    cards: list[tuple[str, str, str]] = []  # (label, value, small note)

    def card(label: str, table_value: int | None, manifest_key: str | None, note: str = "") -> None:
        m = _as_int(_get(counts, manifest_key)) if manifest_key else None
        if table_value is None and m is None:
            cards.append((label, "—", "no data"))
            return
        if table_value is None:
            cards.append((label, fmt_num(m), "from manifest"))
            return
        extra = note
        if m is not None and m != table_value:
            extra = (extra + "; " if extra else "") + f"manifest says {fmt_num(m)}"
        cards.append((label, fmt_num(table_value), extra))

    n_docs = docs.rows if docs.readable else None
    card("documents", n_docs, "accepted")
    card("rejected inputs", ctx.rejects.rows if ctx.rejects.readable else None, "rejected")
    discovered = _as_int(_get(counts, "discovered"))
    cards.append(
        (
            "inputs discovered",
            fmt_num(discovered) if discovered is not None else "—",
            "from manifest" if discovered is not None else "no data",
        )
    )
    cs = _cluster_stats(ctx)
    card(
        "duplicate clusters",
        cs.clusters if cs else None,
        "clusters",
        f"{fmt_num(cs.multi)} with ≥ 2 copies" if cs else "",
    )
    card("duplicate copies", _duplicate_count(ctx), "duplicates")
    canon = _canonical_count(ctx)
    if canon is not None:
        cards.append(("unique speeches", fmt_num(canon), "canonical copies"))

    html_cards = "".join(
        f'<div class="card"><div class="cv">{esc(v)}</div><div class="cl">{esc(lbl)}</div>'
        f"{f'<div class=cn>{esc(note)}</div>' if note else ''}</div>"
        for lbl, v, note in cards
    )
    run_rows = [
        ("run id", _scalar(ctx.manifest.get("run_id"))),
        ("pipeline version", _scalar(ctx.manifest.get("pipeline_version"))),
        ("started", _scalar(ctx.manifest.get("started_at"))),
        ("finished", _scalar(ctx.manifest.get("finished_at"))),
        ("run time", _run_time(ctx.manifest)),
        ("output folder", os.path.abspath(ctx.out_dir)),
        ("input fingerprint", _scalar(ctx.manifest.get("input_fingerprint"))),
    ]
    inputs = ctx.manifest.get("inputs")
    if isinstance(inputs, list) and inputs:
        shown = ", ".join(_one_line(str(i), 200) for i in inputs[:10])
        if len(inputs) > 10:
            shown += f" … (+{len(inputs) - 10} more)"
        run_rows.append(("inputs", shown))
    run_table = (
        '<table class="kv"><tbody>'
        + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v if v is not None else '—')}</td></tr>" for k, v in run_rows)
        + "</tbody></table>"
    )
    problems = []
    if ctx.manifest_problem:
        problems.append(ctx.manifest_problem)
    note = "; ".join(esc(p) for p in problems)
    return section("headline", "Headline numbers", f'<div class="cards">{html_cards}</div>{run_table}', note)


def _scalar(v: Any) -> str | None:
    if v is None or isinstance(v, (dict, list)):
        return None
    return _one_line(str(v), 300)


def _run_time(manifest: dict[str, Any]) -> str | None:
    try:
        a = datetime.fromisoformat(str(manifest["started_at"]).replace("Z", "+00:00"))
        b = datetime.fromisoformat(str(manifest["finished_at"]).replace("Z", "+00:00"))
        secs = (b - a).total_seconds()
    except Exception:  # noqa: BLE001 - missing or odd timestamps: just no run time
        return None
    return fmt_seconds(secs) if secs >= 0 else None


def _duplicate_count(ctx: Context) -> int | None:
    """Non-canonical copies: is_canonical false, or (when that is null) dup_of set."""
    docs = ctx.docs
    if not docs.readable:
        return None
    n = ctx.numbers()
    if docs.has("is_canonical") and n["canon_valid"]:
        dups = n["canon_valid"] - n["canon_true"]
        if docs.has("dup_of"):
            dups += n["canon_null_dup_of"]
        return int(dups)
    if docs.has("dup_of") and n["dup_of_valid"]:
        return int(n["dup_of_valid"])
    return None if docs.rows else 0


def _canonical_count(ctx: Context) -> int | None:
    if not ctx.docs.has("is_canonical") or not ctx.numbers()["canon_valid"]:
        return None
    return int(ctx.numbers()["canon_true"])


def _cluster_stats(ctx: Context) -> ClusterStats | None:
    """Cluster sizes from the documents' cluster_id (null ids are ignored), merged over files."""
    if not ctx.docs.has("cluster_id"):
        return None
    merged = fold(ctx.docs.tables("clusters"), ["cluster_id"], ["n"])
    if merged is None or merged.num_rows == 0:
        return None
    sizes = Counter(merged.column("n").to_pylist())
    pairs = sorted(sizes.items())
    return ClusterStats(clusters=merged.num_rows, multi=sum(n for s, n in pairs if s >= 2), sizes=pairs)


def merge_docs(docs: Summary) -> dict[str, Any]:
    """The documents' per-file partials summed (tasks.report_parts.docs_light / docs_dups)."""
    out: dict[str, Any] = {c: Counter() for c in ("region", "source_site", "doc_type", "flags", "dup_reasons")}
    out["years"] = Counter()
    for k in ("year_unknown", "flags_clean", "canon_valid", "canon_true", "canon_null_dup_of", "dup_of_valid"):
        out[k] = 0
    out["dup_reason_valid"] = 0
    for p in docs.parts:
        o = p.obj
        for c in ("region", "source_site", "doc_type", "flags", "dup_reasons"):
            out[c].update(o[c])
        out["years"].update({int(y): int(n) for y, n in o["years"]})
        for k in ("year_unknown", "flags_clean", "canon_valid", "canon_true", "canon_null_dup_of", "dup_of_valid"):
            out[k] += int(o[k])
        out["dup_reason_valid"] += int(o["dup_reason_valid"])
    return out


def _category_section(
    ctx: Context, sid: str, title: str, column: str, axis: str, color: str, manifest_key: str | None = None
) -> str:
    reason = ctx.docs.no_data_reason()
    if reason is None and not ctx.docs.has(column):
        reason = f"column `{column}` is missing"
    if reason is not None:
        return section(sid, title, no_data(reason))
    items = sort_counts(ctx.numbers()[column].items())
    shown, more, more_n = top_n(items, TOP_CATEGORIES)
    note = f"all {fmt_num(ctx.docs.rows)} documents (duplicate copies included); null → “{UNKNOWN}”"
    if more:
        note += (
            f"; top {TOP_CATEGORIES} of {fmt_num(len(items))} shown — {fmt_num(more)} more with "
            f"{fmt_num(more_n)} documents"
        )
    chart = hbar_chart(f"Documents by {axis}", shown, "documents", axis, color=color, chart_id=f"chart-{sid}")
    return section(sid, title, chart + chart_data(shown, axis, "documents"), esc(note))


def _years(ctx: Context) -> str:
    title = "Documents by year"
    reason = ctx.docs.no_data_reason()
    if reason is None and not ctx.docs.has("year"):
        reason = "column `year` is missing"
    if reason is not None:
        return section("years", title, no_data(reason))
    items = _year_items(ctx.numbers()["years"], ctx.numbers()["year_unknown"])
    note = f"all {fmt_num(ctx.docs.rows)} documents (duplicate copies included); no year → “{UNKNOWN}”"
    chart = column_chart(title, items, "year", "documents", chart_id="chart-years")
    return section("years", title, chart + chart_data(items, "year", "documents"), esc(note))


def _year_items(counts: dict[int, int], unknown: int) -> list[tuple[str, int]]:
    """year_counts' rows from merged counts: year order, gaps filled (sane span), unknown last."""
    years = sorted(counts)
    if years and years[-1] - years[0] <= 60:
        years = list(range(years[0], years[-1] + 1))
    out = [(str(y), counts.get(y, 0)) for y in years]
    if unknown:
        out.append((UNKNOWN, unknown))
    return out


def _flags(ctx: Context) -> str:
    title = "Damage flags"
    reason = ctx.docs.no_data_reason()
    items: list[tuple[str, int]] = []
    note = ""
    if reason is None and ctx.docs.has("quality_flags"):
        items, clean = sort_counts(ctx.numbers()["flags"].items()), ctx.numbers()["flags_clean"]
        note = (
            f"documents carrying each quality flag (a document may carry several); "
            f"{fmt_num(clean)} of {fmt_num(ctx.docs.rows)} documents carry none"
        )
    else:
        m = _int_mapping(_get(ctx.manifest, "counts", "flags"))
        if m:
            items = sort_counts(m)
            note = "from manifest (" + (reason or "column `quality_flags` is missing") + ")"
        elif reason is None:
            reason = "column `quality_flags` is missing"
    if not items:
        if reason is None and note:
            return section("flags", title, '<p class="nodata">no damage flags — every document is clean</p>', esc(note))
        return section("flags", title, no_data(reason))
    chart = hbar_chart(
        "Documents per quality flag", items, "documents", "quality flag", color="red", chart_id="chart-flags"
    )
    return section("flags", title, chart + chart_data(items, "flag", "documents"), esc(note))


REUSE_COLUMNS = ["doc_id_a", "doc_id_b", "length", "formulaic", "first_doc_id"]


def _level_lookup(docs: Summary) -> Callable[[pa.Array], pa.Array]:
    """doc id -> its document's admin_level label ("unknown" when missing, null or blank), as
    `level_of.get(id) or "unknown"` over dict(zip(doc_id, admin_level)) (a later row wins).
    Built from the documents' cached (doc_id, admin_level) columns, only when a reuse part's flows
    must be computed. The pipeline's doc ids are 16 hex digits: held as sorted uint64 (8 bytes a
    document, plus a label code) and looked up by binary search; other ids (a foreign folder) go
    through Arrow's hash lookup, rebuilt per call."""
    if not (docs.has("doc_id") and docs.has("admin_level")) or not docs.parts:
        return lambda ids: pa.array([UNKNOWN] * len(ids), pa.string())
    t = pa.concat_tables(list(docs.tables("levels")), promote_options="permissive")
    ids = t.column("doc_id").combine_chunks()[::-1]  # the first match is the last row: it wins
    labels = pc.cast(t.column("admin_level").combine_chunks()[::-1], pa.string())
    labels = pc.if_else(pc.fill_null(pc.not_equal(labels, ""), False), labels, UNKNOWN)
    del t
    keys = hex_ids(ids)
    if keys is None:

        def by_hash(values: pa.Array) -> pa.Array:
            return pc.fill_null(labels.take(pc.index_in(values, value_set=ids)), UNKNOWN)

        return by_hash
    order = np.argsort(keys, kind="stable")  # among equal ids the first (= the last row) comes first
    keys = keys[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    keys, order = keys[first], order[first]
    codes = labels.dictionary_encode()
    names = codes.dictionary
    code_of = np_values(codes.indices).astype(np.int32)[order]

    def by_search(values: pa.Array) -> pa.Array:
        wanted = hex_ids(values)
        if wanted is None:
            return pc.fill_null(labels.take(pc.index_in(values, value_set=ids)), UNKNOWN)
        pos = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        found = keys[pos] == wanted if len(keys) else np.zeros(len(wanted), bool)
        idx = pa.array(np.where(found, code_of[pos] if len(keys) else 0, 0), pa.int32(), mask=~found)
        return pc.fill_null(names.take(idx), UNKNOWN)

    return by_search


_HEX = np.full(256, 255, np.uint8)
_HEX[np.frombuffer(b"0123456789abcdef", np.uint8)] = np.arange(16, dtype=np.uint8)


def hex_ids(arr: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """16-lowercase-hex-digit ids (ingest's doc ids) as uint64, or None when any id is not one."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) or arr.null_count:
        return None
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.uint64)
    offsets = np.frombuffer(arr.buffers()[1], np.int32, count=n + 1, offset=arr.offset * 4)
    if not np.all(np.diff(offsets) == 16):
        return None
    data = np.frombuffer(arr.buffers()[2], np.uint8)[offsets[0] : offsets[-1]].reshape(n, 16)
    nibbles = _HEX[data]
    if (nibbles == 255).any():
        return None
    out = np.zeros(n, np.uint64)
    for j in range(16):
        out = (out << np.uint64(4)) | nibbles[:, j].astype(np.uint64)
    return out


def _reuse(ctx: Context) -> str:
    """Who copies whom, by level: passages of one speech found in another (formulae left out),
    from the earlier document's level to the later one's. Each reuse part's pairs of documents are
    cached under the part's columns alone (report_parts.reuse_pairs) and given the documents' levels
    here: a pair lies in one part (parts are ranges of doc_id_a), so the parts' flows add up."""
    from tasks.reuse import _flow_rows

    title = "Shared passages between speeches"
    docs = ctx.docs
    reuse = summarize(ctx.out_dir, "reuse", *table_groups()["reuse"], ctx.cache)
    reason = reuse.no_data_reason() or docs.no_data_reason()
    if reason is not None:
        return section("reuse", title, no_data(reason))
    acc: dict[tuple[str, str, bool], list[int]] = {}
    lookup: Callable[[pa.Array], pa.Array] | None = None
    for p in reuse.parts:
        if not p.obj.get("pairs"):
            continue
        if lookup is None:  # built once, from the documents' cached (doc_id, admin_level) columns
            lookup = _level_lookup(docs)
        for src, dst, dated, n_pairs, n_chars in reuse_flows(reuse.table(p, "pairs"), lookup):
            cell = acc.setdefault((src, dst, bool(dated)), [0, 0])
            cell[0] += n_pairs
            cell[1] += n_chars
    flows = _flow_rows(acc)
    if not flows:
        return section("reuse", title, no_data("no passage is shared by two different speeches"))
    items = [(f"{f['from_level']} → {f['to_level']}" + ("" if f["dated"] else " (undated)"), f["pairs"]) for f in flows]
    shown, _more, _more_n = top_n(items, TOP_CATEGORIES)
    chart = hbar_chart(
        "Who copies whom", shown, "pairs of speeches", "from level → to level", color="purple", chart_id="chart-reuse"
    )
    note = (
        f"{fmt_num(reuse.rows)} shared passages of 50+ characters between different speeches; "
        "from the earlier document's level to the later one's; formulae shared by many speeches are left out"
    )
    return section("reuse", title, chart + chart_data(shown, "levels", "pairs"), esc(note))


def _clusters(ctx: Context) -> str:
    title = "Duplicate clusters"
    reason = ctx.docs.no_data_reason()
    cs = _cluster_stats(ctx) if reason is None else None
    sizes: list[tuple[int, int]] = []
    note = ""
    if cs is not None:
        sizes = cs.sizes
        note = (
            f"{fmt_num(cs.clusters)} clusters, {fmt_num(cs.multi)} with two or more copies; "
            f"a cluster of size 1 is a speech with no duplicate"
        )
    else:
        m = _int_mapping(_get(ctx.manifest, "counts", "cluster_sizes"))
        sizes = sorted((int(k), v) for k, v in m if re.fullmatch(r"\d+", k))
        if sizes:
            note = "from manifest (" + (reason or "column `cluster_id` is empty") + ")"
        elif reason is None:
            reason = "no document has a cluster_id"
    if not sizes:
        return section("clusters", title, no_data(reason))
    items = size_buckets(sizes)
    body = column_chart(
        "Duplicate cluster sizes",
        items,
        "documents in the cluster",
        "clusters",
        color="purple",
        chart_id="chart-clusters",
    )
    body += chart_data(items, "cluster size", "clusters")
    if cs is not None and ctx.docs.has("dup_reason") and ctx.numbers()["dup_reason_valid"]:
        r_items = sort_counts(ctx.numbers()["dup_reasons"].items())
        body += hbar_chart(
            "Why copies were merged",
            r_items,
            "duplicate copies",
            "reason",
            color="purple",
            chart_id="chart-dup-reasons",
        )
    return section("clusters", title, body, esc(note))


def _terms_section(
    sid: str,
    title: str,
    data: Summary,
    ranked: tuple[list[dict[str, Any]], int],
    weight_name: str,
    weight_header: str,
    chart_title: str,
    axis: str,
    color: str,
) -> str:
    reason = data.no_data_reason()
    top, n_terms = ranked
    if reason is None and not n_terms:
        reason = f"table `{data.name}` has no usable rows"
    if reason is not None:
        return section(sid, title, no_data(reason))
    items = [(r["term"], r["docs"]) for r in top]
    chart = hbar_chart(chart_title.format(n=len(top)), items, "documents", axis, color=color, chart_id=f"chart-{sid}")
    headers = ["#", axis, "documents", weight_header] + (["sum of scores"] if "score" in top[0] else [])
    trows = []
    for i, r in enumerate(top, 1):
        row = [str(i), r["term"], r["docs"], r[weight_name]]
        if "score" in r:
            row.append(f"{r['score']:.3f}")
        trows.append(row)
    table = data_table(headers, trows, numeric=[True, False, True, True, True])
    note = (
        f"top {len(top)} of {fmt_num(n_terms)} by number of documents "
        f"(ties broken by {'summed score' if 'score' in top[0] else weight_header})"
    )
    return section(sid, title, chart + f"<details><summary>table</summary>{table}</details>", esc(note))


def merged_terms(data: Summary, weight_name: str, score: bool) -> tuple[list[dict[str, Any]], int]:
    """term_stats over the files' partials: the first TOP_TERMS rows (by documents, then summed
    score — or weight when the score sums to 0 — then term) and how many terms there are. Only
    the terms that can reach the top (as many documents as the TOP_TERMS-th most) get their
    exact score sum; the rest are counted."""
    stats = fold(data.tables("stats"), ["key"], ["docs", "w"])
    if stats is None or stats.num_rows == 0:
        return [], 0
    n_terms = stats.num_rows
    docs = np_values(stats.column("docs"))
    if n_terms > TOP_TERMS:
        floor = int(np.sort(docs)[-TOP_TERMS])
        stats = stats.filter(pc.greater_equal(stats.column("docs"), floor))
    scores: dict[Any, float] = {}
    if score:
        keys = stats.column("key")
        parts: dict[Any, list[tuple[int, int]]] = {}
        odd: dict[Any, float] = {}
        for p in data.parts:
            ex = data.table(p, "exact")
            ex = ex.filter(pc.is_in(ex.column("key"), value_set=keys.combine_chunks()))
            for k, e, m in zip(*(ex.column(c).to_pylist() for c in ("key", "exp", "m")), strict=True):
                parts.setdefault(k, []).append((e, m))
            nonfinite = data.table(p, "nonfinite")
            for k, v in zip(*(nonfinite.column(c).to_pylist() for c in ("key", "v")), strict=True):
                odd[k] = odd.get(k, 0.0) + v
        scores = {k: exact_float(parts.get(k, []), odd.get(k)) for k in keys.to_pylist()}
    rows = []
    for k, d, w in zip(*(stats.column(c).to_pylist() for c in ("key", "docs", "w")), strict=True):
        row = {"term": _label(k), "docs": int(d or 0), weight_name: w or 0}
        if score:
            row["score"] = float(scores[k] or 0.0)
        rows.append(row)
    rows.sort(key=lambda r: (-int(r["docs"]), -float(r.get("score") or r[weight_name]), str(r["term"])))
    return rows[:TOP_TERMS], n_terms


def merged_rejects(rejects: Summary) -> list[dict[str, Any]]:
    """reject_rows over the files' partials: per reason the count and the first example (by
    source_path, then file, then row)."""
    by: dict[str, dict[str, Any]] = {}
    best: dict[str, tuple[str, int, int]] = {}
    for i, p in enumerate(rejects.parts):
        for reason, (count, example) in p.obj["reasons"].items():
            row = by.setdefault(reason, {"reason": reason, "count": 0, "detail": None, "path": None})
            row["count"] += int(count)
            if example is not None and (reason not in best or (example[0], i, example[1]) < best[reason]):
                best[reason] = (example[0], i, example[1])
                row["detail"], row["path"] = example[2], example[3]
    return sorted(by.values(), key=lambda r: (-r["count"], r["reason"]))


def _keywords(ctx: Context) -> str:
    rows = merged_terms(ctx.keywords, "tf", score=True) if ctx.keywords.no_data_reason() is None else ([], 0)
    return _terms_section(
        "keywords", "Top keywords", ctx.keywords, rows, "tf", "occurrences (tf)", "Top {n} keywords", "keyword", "green"
    )


def _slogans(ctx: Context) -> str:
    rows = merged_terms(ctx.slogans, "count", score=False) if ctx.slogans.no_data_reason() is None else ([], 0)
    return _terms_section(
        "slogans", "Top slogans", ctx.slogans, rows, "count", "occurrences", "Top {n} slogans", "slogan", "teal"
    )


def _timings(ctx: Context) -> str:
    title = "Stage timings"
    raw = _get(ctx.manifest, "timings")
    items: list[tuple[str, float]] = []
    if isinstance(raw, dict):
        for k, v in raw.items():  # manifest order = pipeline order
            f = _as_float(v)
            if f is not None and f >= 0:
                items.append((_one_line(str(k), 80), f))
    if not items:
        reason = ctx.manifest_problem or "manifest has no stage timings"
        return section("timings", title, no_data(reason))
    total = sum(v for _, v in items)
    chart = hbar_chart(
        "Seconds per stage",
        items,
        "seconds",
        "stage",
        color="gray",
        fmt=lambda v: fmt_num(round(v, 2)),
        chart_id="chart-timings",
    )
    note = f"in pipeline order; stages add up to {fmt_seconds(total)}"
    return section(
        "timings", title, chart + chart_data([(k, fmt_seconds(v)) for k, v in items], "stage", "time"), esc(note)
    )


def _rejects(ctx: Context) -> str:
    title = "Reject reasons"
    reason = ctx.rejects.no_data_reason()
    rows = merged_rejects(ctx.rejects) if reason is None else []
    note = ""
    if not rows:
        m = _int_mapping(_get(ctx.manifest, "counts", "rejected_by_reason"))
        if m:
            rows = [{"reason": k, "count": v, "detail": None, "path": None} for k, v in sort_counts(m)]
            note = f"from manifest ({reason or 'rejects table has no reasons'}); no examples"
        elif ctx.rejects.readable and ctx.rejects.rows == 0 and not ctx.rejects.problems:
            return section("rejects", title, '<p class="nodata">no rejects — every input was accepted</p>')
    if not rows:
        return section("rejects", title, no_data(reason or "no reject reasons"))
    items = [(r["reason"], r["count"]) for r in rows]
    total = sum(v for _, v in items)
    discovered = _as_int(_get(ctx.manifest, "counts", "discovered"))
    rate = f"{fmt_num(total)} inputs rejected"
    if discovered:
        rate += f" of {fmt_num(discovered)} discovered ({100 * total / discovered:.1f}%)"
    note = rate + (f"; {note}" if note else "")
    chart = hbar_chart("Rejected inputs by reason", items, "inputs", "reason", color="orange", chart_id="chart-rejects")
    table = data_table(
        ["reason", "inputs", "example detail", "example input"],
        [
            (
                r["reason"],
                r["count"],
                _one_line(r["detail"], 400) if r["detail"] else None,
                _one_line(str(r["path"]), 200) if r["path"] else None,
            )
            for r in rows
        ],
        numeric=[False, True, False, False],
        cls="rejects",
    )
    return section("rejects", title, chart + table, esc(note))


def _tables(ctx: Context, datas: dict[str, Summary]) -> str:
    rows = []
    for name in TABLES:
        d = datas.get(name)
        if d is None:
            d = Summary(name=name, files=[os.path.relpath(f, ctx.out_dir) for f in _table_files(ctx.out_dir, name)])
            rows_n: Any = _count_rows(ctx.out_dir, d)
        else:
            rows_n = d.rows if d.readable else None
        m = _as_int(_get(ctx.manifest, "tables", name, "rows"))
        status = "ok"
        if not d.files:
            status = "missing"
        elif d.problems:
            status = f"{len(d.problems)} unreadable file(s)"
        elif rows_n == 0:
            status = "empty"
        if m is not None and rows_n is not None and m != rows_n:
            status += f" (manifest says {fmt_num(m)} rows)"
        rows.append((f"{name}/", rows_n, len(d.files), status))
    table = data_table(["table", "rows", "files", "status"], rows, numeric=[False, True, True, False])
    return section(
        "tables",
        "Output tables",
        table,
        esc(f"Parquet under {os.path.abspath(ctx.out_dir)}; columns are documented in docs/columns.md"),
    )


def _count_rows(out_dir: str, d: Summary) -> int | None:
    """Row count from Parquet footers only (cheap), noting unreadable files."""
    if not d.files:
        return None
    n = 0
    for rel in d.files:
        try:
            n += pq.ParquetFile(os.path.join(out_dir, rel)).metadata.num_rows
        except Exception as exc:  # noqa: BLE001
            d.problems.append(f"{rel}: {type(exc).__name__}")
    return n


# ---------------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------------

CSS = """
:root{color-scheme:light}
body{font-family:%(font)s;margin:0;background:#f6f7f9;color:#1f2933;line-height:1.45}
main{max-width:900px;margin:0 auto;padding:24px 20px 60px}
h1{font-size:26px;margin:8px 0 2px}
.sub{color:#52606d;margin:0 0 18px}
.sub.reused{color:#7c5e10;background:#fff8e1;padding:6px 10px;border-radius:4px}
section{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 18px 16px;margin:18px 0}
h2{font-size:19px;margin:2px 0 6px}
.note{color:#52606d;font-size:13px;margin:0 0 8px}
.nodata{color:#8a5a00;background:#fff7e6;border:1px dashed #e0b050;padding:8px 12px;border-radius:6px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:6px 0 14px}
.card{background:#f0f4f8;border-radius:8px;padding:10px 12px}
.cv{font-size:26px;font-weight:700}
.cl{font-size:13px;color:#334e68}
.cn{font-size:11px;color:#7b8794}
table{border-collapse:collapse;font-size:13px;margin:6px 0;width:100%%}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f5f7fa}
.num{text-align:right;white-space:nowrap}
table.kv th{width:150px;font-weight:600}
details{margin:4px 0}
summary{cursor:pointer;color:#3b6ea5;font-size:13px}
svg.chart{display:block;max-width:100%%;height:auto;margin:6px 0}
svg.chart text{font-family:%(font)s;font-size:12px;fill:#1f2933}
svg.chart .ct{font-size:15px;font-weight:700}
svg.chart .tick{font-size:11px;fill:#52606d}
svg.chart .val{font-size:11px;fill:#1f2933}
svg.chart .axl{font-size:12px;fill:#334e68;font-weight:600}
svg.chart .grid{stroke:#e4e7eb;stroke-width:1}
svg.chart .axis{stroke:#7b8794;stroke-width:1}
nav a{margin-right:10px;font-size:13px;color:#3b6ea5}
@media print{body{background:#fff}section{break-inside:avoid;border:none}}
""" % {"font": FONT_STACK}  # noqa: UP031  # CSS braces make str.format unusable

# Marks that the charts really laid out (used by the headless-browser test, harmless otherwise).
RENDER_CHECK = """
(function(){
  var svgs=document.querySelectorAll('svg.chart'), ok=0, bars=0, texts=0;
  for(var i=0;i<svgs.length;i++){
    var r=svgs[i].getBoundingClientRect(), b=svgs[i].getBBox();
    if(r.width>0&&r.height>0&&b.width>0&&b.height>0) ok++;
    var rects=svgs[i].querySelectorAll('rect.bar');
    for(var j=0;j<rects.length;j++){var q=rects[j].getBoundingClientRect(); if(q.width>0&&q.height>0) bars++;}
    var ts=svgs[i].querySelectorAll('text');
    for(var k=0;k<ts.length;k++){ if(ts[k].getComputedTextLength()>0) texts++; }
  }
  // Chinese glyphs really drawn? Two different characters rendered as missing-glyph boxes look the same.
  var cjk='no';
  try{
    var font=getComputedStyle(document.body).fontFamily;
    var draw=function(ch){var c=document.createElement('canvas');c.width=24;c.height=24;
      var g=c.getContext('2d');g.font='20px '+font;g.fillText(ch,0,20);
      return g.getImageData(0,0,24,24).data.join(',');};
    var a=draw('\u8bb2'), b=draw('\u8bdd'), e=draw(' ');
    if(a!==b&&a!==e&&b!==e) cjk='yes';
  }catch(err){cjk='error';}
  var d=document.body;
  d.setAttribute('data-cjk', cjk);
  d.setAttribute('data-charts', String(svgs.length));
  d.setAttribute('data-charts-rendered', String(ok));
  d.setAttribute('data-bars-rendered', String(bars));
  d.setAttribute('data-texts-rendered', String(texts));
  d.setAttribute('data-rendered', ok===svgs.length ? 'yes' : 'no');
})();
"""

SECTION_TITLES = [
    ("headline", "Headline"),
    ("years", "Years"),
    ("regions", "Regions"),
    ("sites", "Sites"),
    ("doc-types", "Doc types"),
    ("flags", "Damage"),
    ("clusters", "Duplicates"),
    ("reuse", "Reuse"),
    ("keywords", "Keywords"),
    ("slogans", "Slogans"),
    ("timings", "Timings"),
    ("rejects", "Rejects"),
    ("tables", "Tables"),
]


def _guard(fn: Callable[[], str], sid: str, title: str) -> str:
    """A bug or odd data in one section must not cost the whole report."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001
        return section(sid, title, no_data(f"could not be computed ({type(exc).__name__}: {_one_line(str(exc), 200)})"))


REJECT_COLUMNS = ["source_path", "reason", "detail"]
KEYWORD_COLUMNS = ["doc_id", "term", "tf", "score"]
SLOGAN_COLUMNS = ["doc_id", "text", "count"]


def _keyword_terms(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    return terms(t, "term", "tf", "score")


def _slogan_terms(t: pa.Table) -> tuple[dict, dict[str, pa.Table]]:
    return terms(t, "text", "count", None)


def table_groups() -> dict[str, tuple[list[str], list[Group]]]:
    """Table -> (the columns the report wants of it, its groups of partials): what `build_report`
    summarizes file by file, and `presummarize` ahead of it."""
    return {
        "documents": (
            DOC_COLUMNS,
            [("light", DOC_LIGHT, docs_light, ("levels",)), ("dups", DOC_DUPS, docs_dups, ("clusters",))],
        ),
        "rejects": (REJECT_COLUMNS, [("reasons", REJECT_COLUMNS, rejects_partial, ())]),
        "keywords": (KEYWORD_COLUMNS, [("terms", KEYWORD_COLUMNS, _keyword_terms, ("stats", "exact", "nonfinite"))]),
        "slogans": (SLOGAN_COLUMNS, [("terms", SLOGAN_COLUMNS, _slogan_terms, ("stats",))]),
        "reuse": (REUSE_COLUMNS, [("pairs", REUSE_COLUMNS, reuse_pairs, ("pairs",))]),
    }


def presummarize(files: dict[str, str | Sequence[str]], cache_dir: str) -> int:
    """Put the partials of a few files (table -> path or paths, e.g. one export step's documents,
    keywords and slogans, or a batch of the reuse step's parts) into the report's cache folder, keyed
    as `build_report` keys them, so the report reads only what is not there yet. The flow calls it as
    each export step (and the reuse step) finishes: the report is the run's last call and ran alone,
    re-summarizing every file the run changed (20k +1 %: 117 files, ~0.8 of its ~1.1 CPU-s); ahead of
    it those files are summarized on every worker, beside the exports. The cache is not pruned here
    (the report prunes it to what it used). A file that cannot be read is left to the report, which
    notes it. Returns the partials computed."""
    cache = Cache(cache_dir)
    groups = table_groups()
    for name, paths in sorted(files.items()):
        if name not in groups:
            continue
        for path in [paths] if isinstance(paths, str) else paths:
            try:
                summarize_file(path, name, *groups[name], cache)
            except Exception:  # noqa: BLE001 - the report reads the file again and says what is wrong with it
                continue
    return cache.misses


def build_report(out_dir: str, cache_dir: str | os.PathLike | None = None) -> str:
    """Return the corpus report of an output folder as one self-contained HTML page.

    Tables are read file by file into partial aggregates (tasks.report_parts), merged here:
    memory is one file plus the distinct labels / terms / clusters. With `cache_dir` each file's
    partials are kept there under a digest of the columns they come from, so the next report
    reads only the files that changed (the flow passes OUT/.state/artifacts/report); the folder
    is pruned to what this report used."""
    manifest, manifest_problem = read_manifest(out_dir)
    cache = Cache(cache_dir)
    parts_of = table_groups()
    docs, rejects, keywords, slogans = (
        summarize(out_dir, name, *parts_of[name], cache) for name in ("documents", "rejects", "keywords", "slogans")
    )
    ctx = Context(out_dir, manifest, manifest_problem, docs, rejects, keywords, slogans, cache)
    datas = {"documents": docs, "rejects": rejects, "keywords": keywords, "slogans": slogans}

    parts = [
        _guard(lambda: _headline(ctx), "headline", "Headline numbers"),
        _guard(lambda: _years(ctx), "years", "Documents by year"),
        _guard(
            lambda: _category_section(ctx, "regions", "Documents by region", "region", "region", "blue"),
            "regions",
            "Documents by region",
        ),
        _guard(
            lambda: _category_section(ctx, "sites", "Documents by source site", "source_site", "source site", "blue"),
            "sites",
            "Documents by source site",
        ),
        _guard(
            lambda: _category_section(ctx, "doc-types", "Documents by type", "doc_type", "doc type", "blue"),
            "doc-types",
            "Documents by type",
        ),
        _guard(lambda: _flags(ctx), "flags", "Damage flags"),
        _guard(lambda: _clusters(ctx), "clusters", "Duplicate clusters"),
        _guard(lambda: _reuse(ctx), "reuse", "Shared passages"),
        _guard(lambda: _keywords(ctx), "keywords", "Top keywords"),
        _guard(lambda: _slogans(ctx), "slogans", "Top slogans"),
        _guard(lambda: _timings(ctx), "timings", "Stage timings"),
        _guard(lambda: _rejects(ctx), "rejects", "Reject reasons"),
        _guard(lambda: _tables(ctx, datas), "tables", "Output tables"),
    ]
    cache.finish()
    run_id = _scalar(manifest.get("run_id"))
    head_title = "jianghua corpus report" + (f" — {run_id}" if run_id else "")
    nav = "".join(f'<a href="#{sid}">{esc(t)}</a>' for sid, t in SECTION_TITLES)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(head_title)}</title><style>{CSS}</style></head>\n"
        f'<body><main><h1 lang="en">jianghua corpus report</h1>'
        f'<p class="sub">run {esc(run_id or "—")} · output {esc(os.path.abspath(out_dir))}</p>'
        f"{RUN_NOTE_OPEN}{RUN_NOTE_CLOSE}"
        f"<nav>{nav}</nav>\n" + "".join(parts) + f"</main><script>{RENDER_CHECK}</script></body></html>\n"
    )


# Where a later run that kept this report says so (`note_reuse`): an unchanged rerun does not
# rebuild the report (that reads every table), it only replaces what is between these markers.
RUN_NOTE_OPEN = "<!--jianghua:run-note-->"
RUN_NOTE_CLOSE = "<!--/jianghua:run-note-->"


def reuse_note(made_by: str | None, made_at: str | None, run_id: str | None, run_at: str | None) -> str:
    """The line a kept report shows: which run made it, and that this run reused it."""
    made = f"run {made_by or '—'}" + (f" (finished {made_at})" if made_at else "")
    this = f"run {run_id or '—'}" + (f" (finished {run_at})" if run_at else "")
    return (
        f'<p class="sub reused"><b>Unchanged since {esc(made)}.</b> {esc(this)} found the same inputs and '
        "the same release, and kept this report: its numbers and stage timings are that run's; this "
        "run's own are in manifest.json.</p>"
    )


def has_run_note(html_path: str) -> bool:
    """The report exists and has the run-note markers (reports made since they were added)."""
    try:
        with open(html_path, encoding="utf-8") as fh:
            return RUN_NOTE_CLOSE in fh.read()
    except (OSError, ValueError):
        return False


def note_reuse(html_path: str, note_html: str) -> bool:
    """Put `note_html` between the run-note markers of a written report (atomically); False when
    the report has no markers (made before them): the caller rebuilds it instead."""
    try:
        with open(html_path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return False
    start, end = text.find(RUN_NOTE_OPEN), text.find(RUN_NOTE_CLOSE)
    if start < 0 or end < start:
        return False
    text = text[: start + len(RUN_NOTE_OPEN)] + note_html + text[end:]
    folder = os.path.dirname(os.path.abspath(html_path))
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, html_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def write_report(out_dir: str, html_path: str | None = None, cache_dir: str | os.PathLike | None = None) -> str:
    """Write the report (default OUT/report.html) atomically: temp file in the same folder + os.replace.
    `cache_dir`: where the files' partial aggregates are kept between reports (build_report)."""
    path = html_path or os.path.join(out_dir, REPORT_FILE)
    text = build_report(out_dir, cache_dir)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


if __name__ == "__main__":  # python -m tasks.report OUT [report.html]
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m tasks.report OUT_DIR [HTML_PATH]")
    print(write_report(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))

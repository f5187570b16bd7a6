"""Tests for tasks/report.py: the numbers in OUT/report.html, its robustness to bad folders, and that
its charts really render (headless Chromium, as in CI)."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import struct
import subprocess
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks import report
from tasks.schema import TABLES

CHROMIUM = "/usr/bin/chromium"
EVIL_SITE = '<script>alert("x")</script>论坛'
EVIL_DETAIL = "decode failed <img src=x onerror=alert(1)> — 请检查编码"

# 23 distinct named regions (more than the top 20 shown) plus nulls.
REGIONS = [
    "河北省邢台市桥东区",
    "甘肃省嘉峪关市",
    "河北省邢台市桥东区",
    None,
    "广东省深圳市南山区",
    "河北省邢台市桥东区",
    "甘肃省嘉峪关市",
    None,
] + [f"测试省第{i}市" for i in range(21)]
N_DOCS = len(REGIONS)  # 29
YEARS = [2015, 2015, 2017, 2017, 2017, 2018, None, None, 2020, 2020, 2020, 2020] + [2019] * (N_DOCS - 12)
SITES = ["布克知识网", "嘉峪关论坛", EVIL_SITE, None] * 7 + ["布克知识网"]
TYPES = ["讲话", "致辞", "政府工作报告", "讲话", None, "发言"] * 4 + ["讲话"] * (N_DOCS - 24)
FLAGS = [["placeholder", "truncated"], ["truncated"], [], ["spun"], [], ["redacted_name", "truncated"]] + [[]] * (
    N_DOCS - 6
)
# cluster c00: docs 0,1,2 ; c01: docs 3,4 ; c02: docs 5,6 ; everything else a singleton.
CLUSTER_OF = {0: "c00", 1: "c00", 2: "c00", 3: "c01", 4: "c01", 5: "c02", 6: "c02"}
DUP = {1: ("d000", "exact"), 2: ("d000", "near"), 4: ("d003", "contained"), 6: ("d005", "near")}
TIMINGS = {"discover": 1.25, "ingest": 12.5, "normalize": 30.0, "dedupe": 4.75, "annotate": 61.0, "publish": 0.5}
REJECTS = [
    ("a/empty.txt", "empty", "file is empty: nothing to do"),
    ("b/bin.dat", "binary", "binary content (NUL bytes): not a text page"),
    ("c/gbk.txt", "decode_error", EVIL_DETAIL),
    ("d/tiny.txt", "too_short", "12 characters < 200: too short for a speech"),
    ("e/tiny2.txt", "too_short", "30 characters < 200: too short for a speech"),
]
KEYWORDS = {
    0: ["发展", "改革", "经济"],
    1: ["发展", "改革"],
    2: ["发展", "脱贫攻坚"],
    3: ["发展", "生态"],
    4: ["项目", "发展"],
    5: ["项目"],
    9: ["改革", "项目"],
    10: ["招商引资"],
}
SLOGANS = [
    ("d000", "“五位一体”", 2),
    ("d001", "“五位一体”", 1),
    ("d002", "百日大会战", 3),
    ("d009", "“五位一体”", 1),
    ("d010", "“六个围绕”", 1),
]


def _doc_id(i: int) -> str:
    return f"d{i:03d}"


def _write(out: Path, table: str, rows: list[dict], files: int = 1) -> None:
    folder = out / table
    folder.mkdir(parents=True, exist_ok=True)
    schema = TABLES[table]
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    t = pa.table(cols, schema=schema)
    step = max(1, -(-t.num_rows // files))
    for k in range(files):
        pq.write_table(t.slice(k * step, step), folder / f"part-{k:04d}.parquet")


def _documents() -> list[dict]:
    rows = []
    for i in range(N_DOCS):
        dup_of, why = DUP.get(i, (None, None))
        year = YEARS[i]
        rows.append(
            {
                "doc_id": _doc_id(i),
                "source_path": f"pages/{i}.html",
                "content_sha256": f"{i:064x}",
                "format": "html",
                "text": "同志们：今天召开全区三级干部大会。" * 3,
                "n_chars": 48,
                "title": f"在全区经济工作会议上的讲话（{i}）",
                "doc_type": TYPES[i],
                "region": REGIONS[i],
                "year": year,
                "delivered_on": dt.date(year, 3, 1) if year else None,
                "source_site": SITES[i],
                "quality_flags": FLAGS[i],
                "flag_counts": [(f, 1) for f in FLAGS[i]],
                "cluster_id": CLUSTER_OF.get(i, f"s{i:03d}"),
                "is_canonical": dup_of is None,
                "dup_of": dup_of,
                "dup_reason": why,
                "pipeline_version": "jianghua 0.1.0",
            }
        )
    return rows


def _manifest() -> dict:
    return {
        "run_id": "run-2024-05-01-<x>",
        "pipeline_version": "jianghua 0.1.0",
        "started_at": "2024-05-01T02:00:00+08:00",
        "finished_at": "2024-05-01T02:01:50+08:00",
        "inputs": ["/data/landing"],
        "input_fingerprint": "abc123",
        "counts": {
            "discovered": N_DOCS + len(REJECTS),
            "accepted": N_DOCS,
            "rejected": len(REJECTS),
            "rejected_by_reason": dict(Counter(r[1] for r in REJECTS)),
            "clusters": 999,
            "duplicates": len(DUP),
            "cluster_sizes": {"1": 22, "2": 2, "3": 1},
            "flags": {"truncated": 3},
        },
        "timings": TIMINGS,
        "tables": {"documents": {"rows": N_DOCS, "files": ["documents/part-0000.parquet"]}},
    }


def make_out(
    root: Path, *, missing: tuple[str, ...] = (), empty: tuple[str, ...] = (), manifest: object = "default"
) -> Path:
    """A small synthetic output folder: Chinese text, nulls, HTML in web fields, an empty `sections`
    table and a missing `mentions` table (plus whatever the caller removes or empties)."""
    out = root / "out"
    out.mkdir(parents=True)
    docs = _documents()
    duplicates = [
        {
            "cluster_id": d["cluster_id"],
            "doc_id": d["doc_id"],
            "canonical_id": d["dup_of"] or d["doc_id"],
            "is_canonical": d["is_canonical"],
            "reason": d["dup_reason"],
        }
        for d in docs
    ]
    tables = {
        "documents": docs,
        "rejects": [{"source_path": p, "content_sha256": None, "reason": r, "detail": d} for p, r, d in REJECTS],
        "duplicates": duplicates,
        "removed_lines": [{"doc_id": "d000", "line_no": 1, "text": "首页 > 讲话稿", "rule": "chrome.breadcrumb"}],
        "sections": [],
        "figures": [],
        "keywords": [
            {"doc_id": _doc_id(i), "rank": r + 1, "term": t, "tf": 3 - r, "score": 0.5 / (r + 1)}
            for i, terms in KEYWORDS.items()
            for r, t in enumerate(terms)
        ],
        "slogans": [{"doc_id": d, "text": t, "count": c} for d, t, c in SLOGANS],
    }
    for name, rows in tables.items():
        if name in missing:
            continue
        _write(out, name, [] if name in empty else rows, files=2 if name == "documents" else 1)
    if manifest == "default":
        (out / "manifest.json").write_text(json.dumps(_manifest(), ensure_ascii=False), encoding="utf-8")
    elif isinstance(manifest, str):
        (out / "manifest.json").write_text(manifest, encoding="utf-8")
    elif manifest is not None:
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def section_html(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{re.escape(sid)}">(.*?)</section>', page, re.S)
    assert m, f"section {sid} missing"
    return m.group(1)


def chart_numbers(svg_section: str, chart_id: str) -> dict[str, str]:
    """label -> value as printed in one chart (read back from the SVG's per-bar <title>)."""
    m = re.search(rf'<svg class="chart" id="{re.escape(chart_id)}".*?</svg>', svg_section, re.S)
    assert m, f"chart {chart_id} missing"
    pairs = re.findall(r"<g class=\"(?:row|col)\"><title>(.*?): ([^<:]*)</title>", m.group(0))
    return {html.unescape(k): v for k, v in pairs}


def headline_cards(page: str) -> dict[str, str]:
    sec = section_html(page, "headline")
    return {
        html.unescape(lbl): html.unescape(v)
        for v, lbl in re.findall(r'<div class="cv">(.*?)</div><div class="cl">(.*?)</div>', sec)
    }


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def test_full_report_numbers(tmp_path):
    out = make_out(tmp_path)
    path = report.write_report(str(out))
    assert path == str(out / "report.html")
    page = Path(path).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for sid in [
        "headline",
        "years",
        "regions",
        "sites",
        "doc-types",
        "flags",
        "clusters",
        "keywords",
        "slogans",
        "timings",
        "rejects",
        "tables",
    ]:
        assert "no data" not in section_html(page, sid), sid

    cards = headline_cards(page)
    assert cards["documents"] == str(N_DOCS)
    assert cards["rejected inputs"] == str(len(REJECTS))
    assert cards["inputs discovered"] == str(N_DOCS + len(REJECTS))
    n_clusters = len(set(CLUSTER_OF.values())) + N_DOCS - len(CLUSTER_OF)
    assert cards["duplicate clusters"] == str(n_clusters)
    assert "manifest says 999" in section_html(page, "headline")  # disagreement is shown, not hidden
    assert cards["duplicate copies"] == str(len(DUP))
    assert cards["unique speeches"] == str(N_DOCS - len(DUP))
    assert "run-2024-05-01-&lt;x&gt;" in page
    assert html.escape(str(out.resolve())) in page
    assert "1 min 50 s" in section_html(page, "headline")

    years = chart_numbers(section_html(page, "years"), "chart-years")
    expected_years = Counter("unknown" if y is None else str(y) for y in YEARS)
    assert list(years) == ["2015", "2016", "2017", "2018", "2019", "2020", "unknown"]  # gap filled, in order
    assert {k: int(v) for k, v in years.items()} == {**{"2016": 0}, **expected_years}

    regions = chart_numbers(section_html(page, "regions"), "chart-regions")
    expected_regions = Counter("unknown" if r is None else r for r in REGIONS)
    assert len(regions) == 20
    assert list(regions)[:3] == ["河北省邢台市桥东区", "unknown", "甘肃省嘉峪关市"]  # ties by label
    assert all(int(v) == expected_regions[k] for k, v in regions.items())
    assert f"top 20 of {len(expected_regions)} shown" in section_html(page, "regions")

    sites = chart_numbers(section_html(page, "sites"), "chart-sites")
    assert {k: int(v) for k, v in sites.items()} == Counter("unknown" if s is None else s for s in SITES)
    types = chart_numbers(section_html(page, "doc-types"), "chart-doc-types")
    assert {k: int(v) for k, v in types.items()} == Counter("unknown" if t is None else t for t in TYPES)

    flags = chart_numbers(section_html(page, "flags"), "chart-flags")
    assert {k: int(v) for k, v in flags.items()} == Counter(f for fl in FLAGS for f in fl)
    assert f"{sum(1 for f in FLAGS if not f)} of {N_DOCS} documents carry none" in page

    sizes = chart_numbers(section_html(page, "clusters"), "chart-clusters")
    assert {k: int(v) for k, v in sizes.items()} == {"1": N_DOCS - len(CLUSTER_OF), "2": 2, "3": 1}
    reasons = chart_numbers(section_html(page, "clusters"), "chart-dup-reasons")
    assert {k: int(v) for k, v in reasons.items()} == Counter(r for _, r in DUP.values())

    kw = chart_numbers(section_html(page, "keywords"), "chart-keywords")
    kw_docs = Counter(t for terms in KEYWORDS.values() for t in set(terms))
    assert {k: int(v) for k, v in kw.items()} == kw_docs
    kw_score = Counter()
    for terms in KEYWORDS.values():
        for r, t in enumerate(terms):
            kw_score[t] += 0.5 / (r + 1)
    assert list(kw) == sorted(kw_docs, key=lambda t: (-kw_docs[t], -kw_score[t], t))  # docs, then score
    assert list(kw)[:3] == ["发展", "项目", "改革"]

    sl = chart_numbers(section_html(page, "slogans"), "chart-slogans")
    assert {k: int(v) for k, v in sl.items()} == {"“五位一体”": 3, "百日大会战": 1, "“六个围绕”": 1}
    assert ">3</td><td class=num>4</td>" in section_html(page, "slogans")  # 3 documents, 2+1+1 occurrences

    tm = chart_numbers(section_html(page, "timings"), "chart-timings")
    assert list(tm) == list(TIMINGS)  # pipeline order, not sorted
    assert [float(v) for v in tm.values()] == list(TIMINGS.values())

    rej = section_html(page, "rejects")
    assert {k: int(v) for k, v in chart_numbers(rej, "chart-rejects").items()} == Counter(r[1] for r in REJECTS)
    assert "12 characters &lt; 200" in rej  # example = first by source_path
    assert "30 characters" not in rej

    tables = section_html(page, "tables")
    assert re.search(r"<td>sections/</td><td class=num>0</td><td class=num>1</td><td>empty</td>", tables)
    assert re.search(r"<td>mentions/</td><td class=num>—</td><td class=num>0</td><td>missing</td>", tables)
    assert re.search(rf"<td>documents/</td><td class=num>{N_DOCS}</td><td class=num>2</td><td>ok</td>", tables)


def test_web_text_is_escaped(tmp_path):
    page = report.build_report(str(make_out(tmp_path)))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape(EVIL_SITE) in page
    assert html.escape(EVIL_DETAIL) in page
    assert page.count("<script>") == 1  # only the report's own render check


def test_deterministic_and_atomic(tmp_path):
    out = make_out(tmp_path)
    first = Path(report.write_report(str(out))).read_bytes()
    second = Path(report.write_report(str(out))).read_bytes()
    assert first == second
    assert first.decode("utf-8") == report.build_report(str(out))
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["manifest.json", "report.html"]
    elsewhere = tmp_path / "site" / "r.html"
    assert report.write_report(str(out), str(elsewhere)) == str(elsewhere)
    assert elsewhere.read_bytes() == first


# ---------------------------------------------------------------------------------------------
# Bad or missing inputs never raise
# ---------------------------------------------------------------------------------------------


def test_empty_and_missing_tables_say_no_data(tmp_path):
    out = make_out(tmp_path, missing=("keywords", "rejects"), empty=("slogans",))
    page = report.build_report(str(out))
    assert "no data — table `keywords` is missing" in section_html(page, "keywords")
    assert "no data — table `slogans` is empty" in section_html(page, "slogans")
    rej = section_html(page, "rejects")  # falls back to the manifest's counts, and says so
    assert "from manifest" in rej
    assert {k: int(v) for k, v in chart_numbers(rej, "chart-rejects").items()} == Counter(r[1] for r in REJECTS)
    assert headline_cards(page)["rejected inputs"] == str(len(REJECTS))
    assert "chart-years" in page


def test_no_documents_falls_back_to_manifest(tmp_path):
    out = make_out(tmp_path, missing=("documents",))
    page = report.build_report(str(out))
    for sid in ["years", "regions", "sites", "doc-types"]:
        assert "no data — table `documents` is missing" in section_html(page, sid)
    assert headline_cards(page)["documents"] == str(N_DOCS)
    assert headline_cards(page)["duplicate clusters"] == "999"
    assert chart_numbers(section_html(page, "clusters"), "chart-clusters") == {"1": "22", "2": "2", "3": "1"}
    assert chart_numbers(section_html(page, "flags"), "chart-flags") == {"truncated": "3"}


def test_corrupt_parquet_and_broken_manifest(tmp_path):
    out = make_out(tmp_path, manifest="{not json")
    (out / "documents" / "part-0000.parquet").write_bytes(b"PAR1 garbage")
    (out / "keywords" / "part-0000.parquet").write_bytes(b"")
    page = report.build_report(str(out))
    assert "manifest.json could not be read" in page
    assert "no data" in section_html(page, "timings")
    assert "could not be read" in section_html(page, "keywords")
    # the second documents file is still good: its rows are counted, the bad file is reported
    good = pq.read_table(out / "documents" / "part-0001.parquet").num_rows
    assert headline_cards(page)["documents"] == str(good)
    assert "1 unreadable file(s)" in section_html(page, "tables")


def test_old_writer_without_columns(tmp_path):
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    pq.write_table(
        pa.table({"doc_id": ["a", "b", "c"], "region": ["北京市", None, "北京市"]}), out / "documents" / "x.parquet"
    )
    page = report.build_report(str(out))
    assert chart_numbers(section_html(page, "regions"), "chart-regions") == {"北京市": "2", "unknown": "1"}
    assert "no data" in section_html(page, "years")
    assert "manifest.json is missing" in page


def test_empty_folder(tmp_path):
    page = report.build_report(str(tmp_path / "nothing-here"))
    assert page.count("no data") >= 10
    assert '<svg class="chart"' not in page


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
manifest_keys = st.sampled_from(
    [
        "run_id",
        "started_at",
        "finished_at",
        "inputs",
        "counts",
        "timings",
        "tables",
        "pipeline_version",
        "input_fingerprint",
    ]
)
count_keys = st.sampled_from(
    ["discovered", "accepted", "rejected", "rejected_by_reason", "clusters", "duplicates", "cluster_sizes", "flags"]
)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    top=st.dictionaries(manifest_keys, json_values, max_size=6),
    counts=st.dictionaries(count_keys, json_values, max_size=6),
)
def test_any_manifest_shape_is_tolerated(tmp_path, top, counts):
    out = tmp_path / "m"
    out.mkdir(exist_ok=True)
    top = dict(top)
    if counts:
        top["counts"] = counts
    (out / "manifest.json").write_text(json.dumps(top), encoding="utf-8")
    page = report.build_report(str(out))
    assert page.count("<section id=") == 13
    assert "could not be computed" not in page  # no section fell into the safety net


def test_absurd_manifest_numbers_are_ignored(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "counts": {
                    "rejected_by_reason": {"empty": 1.5e308, "binary": 2, "too_short": True},
                    "accepted": 10**30,
                    "cluster_sizes": {"1": 5, "x": 3},
                },
                "timings": {"ingest": 1e300, "dedupe": "2.5", "annotate": -1},
            }
        ),
        encoding="utf-8",
    )
    page = report.build_report(str(out))
    assert chart_numbers(section_html(page, "rejects"), "chart-rejects") == {"binary": "2"}
    assert chart_numbers(section_html(page, "timings"), "chart-timings") == {"dedupe": "2.50"}
    assert chart_numbers(section_html(page, "clusters"), "chart-clusters") == {"1": "5"}
    assert headline_cards(page)["documents"] == "—"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def test_nice_ticks_cover_the_maximum():
    for max_v, integer in [(1, True), (7, True), (29, True), (0, True), (61.0, False), (0.3, False), (12345, True)]:
        ticks = report.nice_ticks(max_v, integer)
        assert ticks[0] == 0 and ticks[-1] >= max_v and 2 <= len(ticks) <= 11
        if integer:
            assert all(float(t).is_integer() for t in ticks)


def test_size_buckets_for_large_clusters():
    b = dict(report.size_buckets([(1, 500), (2, 40), (7, 3), (12, 2), (250, 1)]))
    assert b["1"] == 500 and b["6–10"] == 3 and b["11–20"] == 2 and b["101–1000"] == 1
    assert "1001+" not in b
    assert sum(b.values()) == 546


def test_fit_text_respects_width():
    s = "河北省邢台市桥东区人民政府办公室关于印发会议讲话的通知"
    cut = report.fit_text(s, 12, 100)
    assert "…" in cut and report.text_width(cut, 12) <= 100
    head, tail = cut.split("…")
    assert s.startswith(head) and s.endswith(tail) and len(head) >= 2 and len(tail) >= 2
    assert report.fit_text("北京市", 12, 100) == "北京市"


# ---------------------------------------------------------------------------------------------
# Headless Chromium: the charts really render
# ---------------------------------------------------------------------------------------------


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="Chromium not installed (apt-get install -y chromium fonts-noto-cjk); CI runs this",
)
def test_charts_render_in_headless_chromium(tmp_path):
    out = make_out(tmp_path)
    path = report.write_report(str(out))
    page = Path(path).read_text(encoding="utf-8")
    url = Path(path).resolve().as_uri()

    n_charts = page.count('<svg class="chart"')
    visible_bars = sum(
        1
        for w, h in re.findall(r'<rect class="bar" [^>]*width="([\d.]+)" height="([\d.]+)"', page)
        if float(w) > 0 and float(h) > 0
    )
    n_texts = sum(svg.count("<text") for svg in re.findall(r"<svg class=\"chart\".*?</svg>", page, re.S))
    assert n_charts == 11 and visible_bars > 60

    dumped = _chromium(["--dump-dom", url], tmp_path / "profile-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dumped.stdout)
    assert body, dumped.stdout[:500]
    attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', body.group(1)))
    assert attrs.get("data-rendered") == "yes", attrs
    assert int(attrs["data-charts"]) == n_charts
    assert int(attrs["data-charts-rendered"]) == n_charts
    assert int(attrs["data-bars-rendered"]) == visible_bars
    assert int(attrs["data-texts-rendered"]) == n_texts
    assert attrs.get("data-cjk") == "yes", "Chinese renders as missing-glyph boxes: apt-get install fonts-noto-cjk"

    png = tmp_path / "report.png"
    shot = _chromium([f"--screenshot={png}", "--window-size=1000,2400", url], tmp_path / "profile-png")
    assert shot.returncode == 0 and png.exists(), shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 2400)
    assert len(data) > 40_000  # a blank page compresses to a few KB; charts and text do not
    keep = os.environ.get("JIANGHUA_REPORT_PNG")  # set to keep the screenshot for a human look
    if keep:
        shutil.copy(png, keep)


def test_reuse_chart_counts_pairs_from_the_earlier_level_to_the_later(tmp_path):
    out = make_out(tmp_path)
    ids = [d["doc_id"] for d in _documents()]
    a, b, c = ids[0], ids[1], ids[2]

    def passage(x, y, start, length, formulaic):
        return {
            "doc_id_a": x,
            "doc_id_b": y,
            "cluster_a": x,
            "cluster_b": y,
            "start_a": start,
            "end_a": start + length,
            "start_b": start,
            "end_b": start + length,
            "length": length,
            "passage": "各位代表" * (length // 4),
            "formulaic": formulaic,
            "first_doc_id": x,
        }

    rows = [
        passage(a, b, 0, 80, False),
        passage(a, b, 200, 60, False),  # the same pair again: counted once
        passage(a, c, 0, 70, True),  # a formula: left out of the chart
    ]
    _write(out, "reuse", rows)
    page = report.build_report(str(out))
    body = section_html(page, "reuse")
    label = "unknown → unknown"  # the fixture's documents state no admin_level
    assert chart_numbers(body, "chart-reuse") == {label: "1"}
    assert "2 shared passages" not in body and "3 shared passages" in body


def test_a_kept_report_says_which_run_made_it_and_that_this_run_reused_it(tmp_path):
    out = make_out(tmp_path)
    path = report.write_report(str(out))
    before = Path(path).read_text(encoding="utf-8")
    assert report.has_run_note(path) and "Unchanged since" not in before
    note = report.reuse_note("run-a", "2026-12-01T01:00:00Z", "run-b", "2026-12-02T01:00:00Z")
    assert report.note_reuse(path, note)
    after = Path(path).read_text(encoding="utf-8")
    assert "Unchanged since run run-a (finished 2026-12-01T01:00:00Z)" in after
    assert "run run-b (finished 2026-12-02T01:00:00Z) found the same inputs" in after
    assert after.replace(note, "") == before  # nothing else is rewritten
    # a later unchanged run replaces the note, it does not add a second one
    assert report.note_reuse(path, report.reuse_note("run-a", None, "run-c", None))
    again = Path(path).read_text(encoding="utf-8")
    assert again.count("Unchanged since") == 1 and "run-c" in again and "run-b" not in again
    # a report from before the markers existed is not patched (the flow rebuilds it)
    old = tmp_path / "old.html"
    old.write_text(before.replace(report.RUN_NOTE_OPEN + report.RUN_NOTE_CLOSE, ""), encoding="utf-8")
    assert not report.has_run_note(str(old)) and not report.note_reuse(str(old), note)
    assert not report.has_run_note(str(tmp_path / "missing.html"))

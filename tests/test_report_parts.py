"""The report's per-file partial aggregates (tasks.report_parts): merged they give the whole-table
numbers, the cache follows file changes (only changed files are read again), a damaged cache falls
back to the files, and the flow's report of a +1 % run equals a report made cold."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks import report, report_parts
from tasks.schema import TABLES
from tests.test_report import _write, make_out

RNG = np.random.default_rng(13)


def _reuse_rows(ids: list[str]) -> list[dict]:
    rows = []
    for k in range(40):
        a, b = sorted(RNG.choice(ids, 2, replace=False).tolist())
        first = [a, b, None][k % 3]
        for rep in range(1 + k % 2):  # a pair with two passages counts once
            length = int(50 + RNG.integers(0, 200))
            rows.append(
                {
                    "doc_id_a": a,
                    "doc_id_b": b,
                    "cluster_a": a,
                    "cluster_b": b,
                    "start_a": rep * 300,
                    "end_a": rep * 300 + length,
                    "start_b": 0,
                    "end_b": length,
                    "length": length,
                    "passage": "各位代表" * 13,
                    "formulaic": k % 7 == 0,
                    "first_doc_id": first,
                }
            )
    return sorted(rows, key=lambda r: (r["doc_id_a"], r["doc_id_b"], r["start_a"]))


def big_out(root: Path, hexed: bool = False) -> Path:
    """make_out's folder with more rows, every table in several files (as a release has them):
    documents with levels, many keywords with float32 scores of many magnitudes, reuse parts.
    `hexed`: doc ids of 16 hex digits, as ingest makes them (the report's level lookup by uint64)."""
    out = make_out(root)
    docs = pq.read_table(out / "documents").to_pylist()
    levels = ["province", "prefecture", "county", None, ""]
    for i, d in enumerate(docs):
        d["admin_level"] = levels[i % len(levels)]
        if hexed:
            d["doc_id"] = f"{(i * 0x9E3779B97F4A7C15) % 2**64:016x}"
    if hexed:
        docs[-1]["doc_id"] = docs[0]["doc_id"]  # an id twice: the later row's level wins, as in a dict
        docs[-1]["admin_level"] = "national"
    shutil.rmtree(out / "documents")
    _write(out, "documents", docs, files=3)
    ids = list(dict.fromkeys(d["doc_id"] for d in docs))  # a document's keywords and pairs lie in one file
    terms = [f"词{k}" for k in range(60)]
    kw = []
    for doc in ids:
        for r, t in enumerate(RNG.choice(terms, 12, replace=False).tolist()):
            kw.append(
                {
                    "doc_id": doc,
                    "rank": r + 1,
                    "term": t,
                    "tf": int(RNG.integers(1, 9)),
                    "score": float(RNG.lognormal(-3, 3)),
                }
            )
    shutil.rmtree(out / "keywords")
    _write(out, "keywords", kw, files=4)
    rej = pq.read_table(out / "rejects").to_pylist()
    shutil.rmtree(out / "rejects")
    _write(out, "rejects", rej + [{**r, "source_path": "0/" + r["source_path"]} for r in rej], files=2)
    rows = _reuse_rows(ids)
    half = next(i for i, r in enumerate(rows) if r["doc_id_a"] >= ids[len(ids) // 2])  # parts: ranges of doc_id_a
    folder = out / "reuse"
    folder.mkdir()
    for k, chunk in enumerate((rows[:half], rows[half:])):
        pq.write_table(pa.Table.from_pylist(chunk, schema=TABLES["reuse"]), folder / f"part-{k:03d}.parquet")
    return out


def _summaries(out: Path, cache: report_parts.Cache) -> dict[str, report_parts.Summary]:
    return {  # the groups build_report uses
        "documents": report_parts.summarize(
            str(out),
            "documents",
            report.DOC_COLUMNS,
            [
                ("light", report_parts.DOC_LIGHT, report_parts.docs_light, ("levels",)),
                ("dups", report_parts.DOC_DUPS, report_parts.docs_dups, ("clusters",)),
            ],
            cache,
        ),
        "keywords": report_parts.summarize(
            str(out),
            "keywords",
            report.KEYWORD_COLUMNS,
            [
                (
                    "terms",
                    report.KEYWORD_COLUMNS,
                    lambda t: report_parts.terms(t, "term", "tf", "score"),
                    ("stats", "exact", "nonfinite"),
                )
            ],
            cache,
        ),
        "rejects": report_parts.summarize(
            str(out),
            "rejects",
            report.REJECT_COLUMNS,
            [("reasons", report.REJECT_COLUMNS, report_parts.rejects_partial, ())],
            cache,
        ),
    }


@pytest.mark.parametrize("hexed", [False, True])
def test_merged_partials_equal_the_whole_table_numbers(tmp_path, hexed):
    out = big_out(tmp_path, hexed)
    cache = report_parts.Cache(None)
    s = _summaries(out, cache)
    whole = report.read_table(str(out), "documents", report.DOC_COLUMNS)
    merged = report.merge_docs(s["documents"])
    for col in ("region", "source_site", "doc_type"):
        assert report.sort_counts(merged[col].items()) == report.value_counts(whole.column(col))
    assert report._year_items(merged["years"], merged["year_unknown"]) == report.year_counts(whole.column("year"))
    flags, clean = report.flag_doc_counts(whole.column("quality_flags"))
    assert report.sort_counts(merged["flags"].items()) == flags and merged["flags_clean"] == clean
    ctx = report.Context(str(out), {}, None, s["documents"], s["rejects"], s["keywords"], s["keywords"], cache)
    assert report._cluster_stats(ctx) == report.cluster_stats(whole.column("cluster_id"))
    assert report.sort_counts(merged["dup_reasons"].items()) == report.value_counts(
        whole.column("dup_reason").drop_null()
    )

    kw = report.read_table(str(out), "keywords", report.KEYWORD_COLUMNS).table
    full = report.term_stats(kw, "term", "tf", "tf", score="score")
    top, n = report.merged_terms(s["keywords"], "tf", score=True)
    assert n == len(full) == 60
    assert [(r["term"], r["docs"], r["tf"]) for r in top] == [(r["term"], r["docs"], r["tf"]) for r in full[:30]]
    for r in top:  # the exactly rounded sum; the file-order running sum is within a few ulps of it
        scores = kw.filter(pa.compute.equal(kw.column("term"), r["term"])).column("score").to_pylist()
        assert r["score"] == math.fsum(scores)
        assert math.isclose(r["score"], next(f["score"] for f in full if f["term"] == r["term"]), rel_tol=1e-12)

    rej = report.read_table(str(out), "rejects", report.REJECT_COLUMNS).table
    assert report.merged_rejects(s["rejects"]) == report.reject_rows(rej)

    from tasks.reuse import reuse_flows

    rows = report.read_table(str(out), "reuse", report.REUSE_COLUMNS).table.to_pylist()
    levels = dict(zip(whole.column("doc_id").to_pylist(), whole.column("admin_level").to_pylist(), strict=True))
    want = [(f["from_level"], f["to_level"], f["dated"], f["pairs"]) for f in reuse_flows(rows, levels)]
    page = report.build_report(str(out))
    shown = dict(report_parts_chart(page))
    assert shown == {f"{a} → {b}" + ("" if d else " (undated)"): str(p) for a, b, d, p in want[:20]}
    assert f"{len(rows)} shared passages" in page
    cache.finish()


def report_parts_chart(page: str) -> list[tuple[str, str]]:
    from tests.test_report import chart_numbers, section_html

    return list(chart_numbers(section_html(page, "reuse"), "chart-reuse").items())


def test_rows_with_null_terms_count_as_rows_not_as_terms(tmp_path):
    out = tmp_path / "out"
    (out / "keywords").mkdir(parents=True)
    rows = [{"doc_id": "d1", "rank": 1, "term": None, "tf": 1, "score": 0.5}]  # a foreign writer's null term
    pq.write_table(pa.Table.from_pylist(rows), out / "keywords" / "a.parquet")
    page = report.build_report(str(out))
    assert "table `keywords` has no usable rows" in page  # not "is empty": the table has a row
    rows.append({"doc_id": "d1", "rank": 2, "term": "发展", "tf": 2, "score": 0.25})
    pq.write_table(pa.Table.from_pylist(rows), out / "keywords" / "a.parquet")
    assert "top 1 of 1 by number of documents" in report.build_report(str(out))


def test_exact_score_sums_do_not_depend_on_the_cut_into_files():
    x = np.array([1e-30, 3.5, -3.5, 2.0**-1074, 1e300, -1e300, 0.1, 0.2, 0.3], np.float64)
    key = pa.chunked_array([pa.array(["t"] * len(x))])
    exact, odd = report_parts._exact_parts(key, pa.chunked_array([pa.array(x)]))
    parts = list(zip(exact.column("exp").to_pylist(), exact.column("m").to_pylist(), strict=True))
    assert report_parts.exact_float(parts, None) == math.fsum(x.tolist()) and odd.num_rows == 0
    halves = [
        report_parts._exact_parts(key.slice(a, b), pa.chunked_array([pa.array(x[a : a + b])]))
        for a, b in ((0, 4), (4, 5))
    ]
    parts2 = [p for e, _ in halves for p in zip(e.column("exp").to_pylist(), e.column("m").to_pylist(), strict=True)]
    assert report_parts.exact_float(parts2, None) == math.fsum(x.tolist())
    _, odd = report_parts._exact_parts(key.slice(0, 2), pa.chunked_array([pa.array([np.inf, 1.0])]))
    assert odd.column("v").to_pylist() == [np.inf]


def _counting_reads(monkeypatch) -> list[tuple[str, tuple[str, ...]]]:
    reads: list[tuple[str, tuple[str, ...]]] = []
    real = report_parts.read_part

    def counting(path, name, wanted, cast=None, pf=None):
        reads.append((Path(path).name, tuple(wanted)))
        return real(path, name, wanted, cast, pf)

    monkeypatch.setattr(report_parts, "read_part", counting)
    return reads


def test_the_cache_reads_only_the_files_and_columns_that_changed(tmp_path, monkeypatch):
    out = big_out(tmp_path)
    cache = tmp_path / "cache"
    reads = _counting_reads(monkeypatch)
    cold = report.build_report(str(out))
    n_files = sum(
        len(list((out / t).glob("*.parquet"))) for t in ("documents", "keywords", "slogans", "rejects", "reuse")
    )
    reads.clear()
    assert report.build_report(str(out), cache) == cold
    assert len(reads) == n_files + 3  # documents: two groups of columns per file
    reads.clear()
    assert report.build_report(str(out), cache) == cold
    assert reads == []  # warm: nothing read but the cache

    # a keyword file changes: only it is read again
    kw = sorted((out / "keywords").glob("*.parquet"))[1]
    t = pq.read_table(kw)
    pq.write_table(t.set_column(2, "term", pa.array(["新词"] * t.num_rows)), kw)
    reads.clear()
    changed = report.build_report(str(out), cache)
    assert reads == [(kw.name, tuple(report.KEYWORD_COLUMNS))]
    assert changed == report.build_report(str(out)) and "新词" in changed

    # a documents file re-exported with only its dedupe columns changed: only those are read again
    doc = sorted((out / "documents").glob("*.parquet"))[0]
    t = pq.read_table(doc)
    i = t.schema.get_field_index("cluster_id")
    pq.write_table(t.set_column(i, t.schema.field(i), pa.array(["c00"] * t.num_rows)), doc)
    reads.clear()
    moved = report.build_report(str(out), cache)
    assert reads == [(doc.name, tuple(report_parts.DOC_DUPS))]  # not its light columns, not the reuse parts
    assert moved == report.build_report(str(out)) and moved != changed

    # the cache keeps what the last report used, nothing older
    entries = {p.name.split(".")[0] for p in cache.iterdir() if p.name != report_parts.DIGESTS_FILE}
    assert len(entries) == n_files + 3


def test_a_damaged_cache_falls_back_to_the_files(tmp_path, monkeypatch):
    out = big_out(tmp_path)
    cache = tmp_path / "cache"
    cold = report.build_report(str(out))
    report.build_report(str(out), cache)
    for damage in ("truncate-arrow", "garbage-json", "no-json", "garbage-digests"):
        for p in sorted(cache.iterdir()):
            if damage == "truncate-arrow" and p.suffix == ".arrow":
                p.write_bytes(p.read_bytes()[:20])
            elif damage == "garbage-json" and p.suffix == ".json" and p.name != report_parts.DIGESTS_FILE:
                p.write_text('{"rows": "many"', encoding="utf-8")
            elif damage == "no-json" and p.suffix == ".json":
                p.unlink()
            elif damage == "garbage-digests" and p.name == report_parts.DIGESTS_FILE:
                p.write_text('{"version": 1, "digests": {"x": 1}}', encoding="utf-8")
        assert report.build_report(str(out), cache) == cold, damage
        assert report.build_report(str(out), cache) == cold, damage  # and the cache was rewritten whole
    # a cache folder that cannot be written costs speed, not the report
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    assert report.build_report(str(out), blocked) == cold


def test_a_cache_entry_of_another_file_version_is_never_used(tmp_path):
    out = big_out(tmp_path)
    cache = tmp_path / "cache"
    report.build_report(str(out), cache)
    # the same bytes under another inode (a copy): a digest miss, the same partials
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    assert report.build_report(str(copy), cache) == report.build_report(str(copy))


@pytest.mark.usefixtures("prefect_api")
def test_the_flow_s_report_of_a_plus_one_run_equals_a_cold_report(samples, tmp_path, monkeypatch):
    """The nightly case: the report of a run that added a page is built from cached partials of
    the unchanged files, and equals a report of the same release made from its files alone."""
    from flows.pipeline import REPORTED, build_corpus

    monkeypatch.setenv("JIANGHUA_INLINE", "1")
    for folder in ("aldohemsn__chinese-political-corpora", "johncodes404__china-provincial-gov-reports-2026"):
        shutil.rmtree(samples / "real" / folder)
    out = tmp_path / "out"
    build_corpus(inputs=[str(samples)], out=str(out), workers=1, target_shard_docs=3)
    cache = out / ".state" / "artifacts" / REPORTED
    assert any(cache.glob("*.json"))
    reads = _counting_reads(monkeypatch)
    original = samples / "real" / "lawtext__gov" / "国务院__1956.txt"
    (samples / "zz-new").mkdir()
    (samples / "zz-new" / "转载.txt").write_text(
        original.read_text(encoding="utf-8") + "\n（本文转载自人民网。）\n", encoding="utf-8"
    )
    build_corpus(inputs=[str(samples)], out=str(out), workers=1, target_shard_docs=3)
    release = (out / "current").resolve()
    n_files = sum(len(list((release / t).glob("*.parquet"))) for t in ("documents", "keywords", "slogans", "rejects"))
    assert 0 < len([r for r in reads if r[1] != tuple(report.REUSE_COLUMNS)]) < n_files  # unchanged files: cached
    page = (release / "report.html").read_text(encoding="utf-8")
    reads.clear()
    assert page == report.build_report(str(release))


def test_partials_summarized_ahead_are_the_reports_own(tmp_path, monkeypatch):
    """The flow summarizes each export step's files as the step finishes (flows.pipeline.ReportPrefetch):
    the report then reads none of them again, and its page is the one it makes alone."""
    out = big_out(tmp_path)
    cache = tmp_path / "cache"
    alone = report.build_report(str(out))
    ahead = ("documents", "keywords", "slogans")
    files = {t: sorted(str(p) for p in (out / t).glob("*.parquet")) for t in ahead}
    computed = 0
    for i in range(max(len(v) for v in files.values())):  # one export step's files at a time
        step = {t: v[i] for t, v in files.items() if i < len(v)}
        computed += report.presummarize({**step, "figures": "/nonexistent.parquet"}, str(cache))
    assert computed == len(files["documents"]) * 2 + len(files["keywords"]) + len(files["slogans"])
    reads = _counting_reads(monkeypatch)
    assert report.build_report(str(out), cache) == alone
    assert {w for _, w in reads} == {
        tuple(report.REJECT_COLUMNS),
        tuple(report.REUSE_COLUMNS),
    }  # only tables not summarized ahead
    # a file that cannot be read is left to the report, which notes it as before
    assert report.presummarize({"documents": str(tmp_path / "missing.parquet")}, str(cache)) == 0


def _as_new_release(out: Path, tag: str) -> None:
    """Every file renamed as the next release links it (`part-<release id>-<shard>.parquet`): the same
    inode and bytes under a new name."""
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        for f in sorted(folder.glob("*.parquet")):
            f.rename(f.with_name(f"part-{tag}-{f.name}"))


def test_reuse_parts_are_not_read_again_when_only_documents_are_added(tmp_path, monkeypatch):
    """A +1 % run: a release of new file names, one documents file more (new ids, new levels), the
    reuse parts' bytes unchanged. Their pairs come from the cache (the levels are put on at report
    time) and the page equals a report made from the files alone; the old key (every documents
    file's name and digest) read every reuse part again in every release."""
    out = big_out(tmp_path, hexed=True)
    cache = tmp_path / "cache"
    report.build_report(str(out), cache)
    _as_new_release(out, "r2")
    docs = pq.read_table(sorted((out / "documents").glob("*.parquet"))[0]).to_pylist()
    new = [
        {**d, "doc_id": f"{(0xABCDEF + i) * 0x9E3779B97F4A7C15 % 2**64:016x}", "admin_level": "county"}
        for i, d in enumerate(docs)
    ]
    pq.write_table(pa.Table.from_pylist(new, schema=TABLES["documents"]), out / "documents" / "part-r2-new.parquet")
    reads = _counting_reads(monkeypatch)
    page = report.build_report(str(out), cache)
    assert not [r for r in reads if r[1] == tuple(report.REUSE_COLUMNS)]
    assert {r[0] for r in reads} == {"part-r2-new.parquet"}  # the new file only
    assert page == report.build_report(str(out))


def test_a_document_s_new_level_moves_the_cached_reuse_flows(tmp_path):
    """The levels are not in the reuse partials' key any more: a documents file whose admin_level
    changed must still move the chart (the pairs are cached, the levels are read each report)."""
    out = big_out(tmp_path, hexed=True)
    cache = tmp_path / "cache"
    before = report.build_report(str(out), cache)
    doc = sorted((out / "documents").glob("*.parquet"))[0]
    t = pq.read_table(doc)
    i = t.schema.get_field_index("admin_level")
    pq.write_table(t.set_column(i, t.schema.field(i), pa.array(["national"] * t.num_rows)), doc)
    after = report.build_report(str(out), cache)
    assert after == report.build_report(str(out)) and report_parts_chart(after) != report_parts_chart(before)


@pytest.mark.parametrize("seed", range(4))
def test_reuse_flows_from_cached_pairs_equal_the_row_by_row_flows(seed):
    """reuse_pairs then reuse_flows, summed over parts, equal tasks.reuse.reuse_flows on the rows
    (pairs and characters): passages of one pair in both orientations, same-level and unknown-level
    documents, undated and formulaic passages."""
    from tasks.reuse import reuse_flows

    rng = np.random.default_rng(seed)
    ids = [f"{int(x):016x}" for x in rng.integers(0, 2**62, 30)]
    level_of = {d: [None, "", "province", "county", "national"][k % 5] for k, d in enumerate(ids[:25])}
    rows = []
    for _ in range(400):
        a, b = sorted(rng.choice(ids, 2, replace=False).tolist())
        rows.append(
            {
                "doc_id_a": a,
                "doc_id_b": b,
                "length": int(rng.integers(50, 400)),
                "formulaic": bool(rng.random() < 0.1),
                "first_doc_id": [a, b, None][int(rng.integers(0, 3))],
            }
        )
    rows.sort(key=lambda r: r["doc_id_a"])
    docs = pa.table({"doc_id": list(level_of), "admin_level": list(level_of.values())})
    summary = report_parts.Summary(name="documents", present={"doc_id", "admin_level"})
    summary.parts.append(report_parts.Part(rel="d", path="d", held={"levels": docs}))
    lookup = report._level_lookup(summary)
    acc: dict = {}
    cut = len(rows) // 3
    while cut < len(rows) and rows[cut]["doc_id_a"] == rows[cut - 1]["doc_id_a"]:
        cut += 1  # parts are ranges of doc_id_a: a pair lies in one
    for chunk in (rows[:cut], rows[cut:]):
        obj, made = report_parts.reuse_pairs(pa.Table.from_pylist(chunk))
        assert obj["rows"] == len(chunk)
        for src, dst, dated, n, chars in report_parts.reuse_flows(made["pairs"], lookup):
            cell = acc.setdefault((src, dst, dated), [0, 0])
            cell[0] += n
            cell[1] += chars
    want = {(f["from_level"], f["to_level"], f["dated"]): [f["pairs"], f["chars"]] for f in reuse_flows(rows, level_of)}
    assert acc == want

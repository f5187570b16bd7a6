"""Reuse between documents of different clusters, on shipped sample reports (no ../shared)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tasks import reuse
from tasks.normalize import normalize_text

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "real"
# A policy passage worded like the 2016 city reports (79 Han characters); no sample text contains it
PASSAGE = (
    "坚持把创新作为引领发展的第一动力，深入实施创新驱动发展战略，加快建设区域性科技创新中心，"
    "推动大众创业、万众创新，促进科技与经济深度融合，让创新成为全市经济社会发展的主引擎。"
)


def text_of(rel: str) -> str:
    return normalize_text((SAMPLES / rel).read_text(encoding="utf-8")).text


def two_reports() -> tuple[str, str]:
    return text_of("lawtext__gov/主要城市__上海市__2026.txt"), text_of("lawtext__gov/国务院__1956.txt")


def insert(text: str, at: int, passage: str) -> str:
    cut = text.index("。", at) + 1
    return text[:cut] + passage + text[cut:]


def test_a_copied_passage_is_found_with_offsets_and_order():
    a, b = two_reports()
    docs = [
        {"doc_id": "city", "cluster_id": "k1", "text": insert(a, 5000, PASSAGE), "year": 2026},
        {"doc_id": "county", "cluster_id": "k2", "text": insert(b, 9000, PASSAGE.replace("，", ",")), "year": 2027},
    ]
    rows, formulae = reuse.find_reuse(docs)
    hits = [r for r in rows if "创新驱动发展战略" in r["passage"]]
    assert len(hits) == 1
    (r,) = hits
    assert r["doc_id_a"] == "city" and r["doc_id_b"] == "county"
    assert r["passage"] == docs[0]["text"][r["start_a"] : r["end_a"]]
    assert PASSAGE.rstrip("。") in r["passage"] or r["passage"] in PASSAGE
    assert r["length"] >= len(reuse.fold(PASSAGE)[0])
    county = docs[1]["text"][r["start_b"] : r["end_b"]]
    assert county.replace(",", "，") == r["passage"]  # punctuation does not break a passage
    assert r["first_doc_id"] == "city"
    assert r["formulaic"] is False
    assert formulae == []


def test_short_shared_text_and_same_cluster_copies_are_not_reuse():
    a, b = two_reports()
    short = PASSAGE[:40]
    docs = [
        {"doc_id": "x", "cluster_id": "k1", "text": insert(a, 5000, short)},
        {"doc_id": "y", "cluster_id": "k2", "text": insert(b, 9000, short)},
        {"doc_id": "z", "cluster_id": "k1", "text": a},  # a copy of x: same speech, not reuse
    ]
    rows, _ = reuse.find_reuse(docs)
    assert not [r for r in rows if short[:20] in r["passage"]]
    assert not [r for r in rows if {r["doc_id_a"], r["doc_id_b"]} == {"x", "z"}]


def test_dates_decide_which_came_first():
    a, b = two_reports()
    docs = [
        {"doc_id": "a", "cluster_id": "k1", "text": insert(a, 3000, PASSAGE), "delivered_on": dt.date(2020, 3, 1)},
        {"doc_id": "b", "cluster_id": "k2", "text": insert(b, 3000, PASSAGE), "delivered_on": dt.date(2019, 1, 5)},
        {
            "doc_id": "c",
            "cluster_id": "k3",
            "text": insert(
                text_of("aldohemsn__chinese-political-corpora/cpc_001_廣州共產黨報告 (一大).txt"), 500, PASSAGE
            ),
        },
    ]
    rows, _ = reuse.find_reuse(docs)
    first = {(r["doc_id_a"], r["doc_id_b"]): r["first_doc_id"] for r in rows if "创新驱动" in r["passage"]}
    assert first[("a", "b")] == "b"
    assert first[("a", "c")] is None  # c is undated


def slices(n: int) -> list[str]:
    """n different stretches of real report text that do not overlap (no two share a passage)."""
    a, b = two_reports()
    whole = a + b
    step = len(whole) // n
    assert step > 1000
    return [whole[k * step : (k + 1) * step - 10] for k in range(n)]


def test_a_formula_in_many_clusters_is_counted_not_paired():
    n = reuse.FORMULA_CLUSTERS + 5
    docs = [
        {"doc_id": f"d{k:02d}", "cluster_id": f"k{k:02d}", "text": s[:700] + PASSAGE + s[700:]}
        for k, s in enumerate(slices(n))
    ]
    rows, formulae = reuse.find_reuse(docs)
    assert not [r for r in rows if "创新驱动" in r["passage"]]
    (f,) = [f for f in formulae if "创新驱动" in f["passage"]]
    assert f["n_clusters"] == n and f["n_docs"] == n  # documents, not occurrences
    assert f["example_doc_id"] == "d00"
    assert docs[0]["text"][f["start"] :].startswith(f["passage"])


def test_incremental_run_finds_what_the_full_run_finds_for_new_documents():
    a, b = two_reports()
    docs = [
        {"doc_id": "old1", "cluster_id": "k1", "text": insert(a, 5000, PASSAGE), "year": 2020},
        {"doc_id": "old2", "cluster_id": "k2", "text": insert(b, 7000, PASSAGE[10:]), "year": 2021},
        {"doc_id": "new1", "cluster_id": "k3", "text": insert(b[8000:], 2000, PASSAGE), "year": 2022},
    ]
    full, _ = reuse.find_reuse(docs)
    by_id = {d["doc_id"]: d for d in docs}
    index = reuse.anchor_table(docs[:2])
    inc, _ = reuse.find_reuse(docs[2:], index, lambda ids: {i: by_id[i] for i in ids})
    want = [r for r in full if "new1" in (r["doc_id_a"], r["doc_id_b"])]
    assert want and inc == want
    # the index may also be read one partition at a time
    parted, _ = reuse.find_reuse(
        docs[2:], lambda p: reuse._parts(index, *reuse.partition_range(p, reuse.PARTITIONS)), lambda ids: {i: by_id[i] for i in ids}
    )
    assert parted == want


def test_empty_and_missing_text_do_not_crash():
    rows, formulae = reuse.find_reuse([{"doc_id": "a", "cluster_id": "k", "text": None}, {"doc_id": "b", "text": ""}])
    assert rows == [] and formulae == []


def test_flows_go_from_the_earlier_document_to_the_later_one_by_level():
    a, b = two_reports()
    docs = [
        {"doc_id": "prov", "cluster_id": "k1", "text": insert(a, 5000, PASSAGE), "year": 2019},
        {"doc_id": "city", "cluster_id": "k2", "text": insert(b, 3000, PASSAGE), "year": 2020},
    ]
    rows, _ = reuse.find_reuse(docs)
    flows = reuse.reuse_flows(rows, {"prov": "province", "city": "prefecture"})
    assert flows[0]["from_level"] == "province" and flows[0]["to_level"] == "prefecture"
    assert flows[0]["dated"] is True and flows[0]["pairs"] == 1 and flows[0]["chars"] >= 79
    formulaic = [{**r, "formulaic": True} for r in rows]
    assert reuse.reuse_flows(formulaic, {}) == []

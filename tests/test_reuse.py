"""Reuse between documents of different clusters, on shipped sample reports (no ../shared)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

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
    # Winnowing picks an anchor by its neighbours' hashes: near the formula's ends a shingle of it is picked in some
    # documents and not others, and one picked in <= RARE_CLUSTERS of them pairs those few (a known weakness, see
    # docs/architecture.md, session 42). The formula itself is counted, and pairs through it stay a handful of the
    # n * (n - 1) / 2 = 435.
    assert len([r for r in rows if "创新驱动" in r["passage"]]) <= 10
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
        docs[2:],
        lambda p: reuse._parts(index, *reuse.partition_range(p, reuse.PARTITIONS)),
        lambda ids: {i: by_id[i] for i in ids},
    )
    assert parted == want


def test_compiled_winnowing_picks_the_numpy_positions():
    """The rightmost minimum of every window, distinct: on random hashes, runs of ties (a repeated
    phrase hashes alike: 发展发展发展…), sorted and constant input, every window width around the one used."""
    import numpy as np
    import pytest

    kernels = pytest.importorskip("tasks._kernels")
    rng = np.random.default_rng(24)
    cases = [rng.integers(0, 2**64, n, dtype=np.uint64) for n in (2, 25, 26, 300, 5000)]
    cases += [rng.integers(0, 4, n).astype(np.uint64) for n in (30, 200, 3000)]  # many ties
    cases += [np.arange(100, dtype=np.uint64), np.arange(100, dtype=np.uint64)[::-1].copy(), np.full(80, 7, np.uint64)]
    for h in cases:
        for window in (1, 2, 3, reuse.WINDOW - 1, reuse.WINDOW, reuse.WINDOW + 1):
            if len(h) <= window:
                continue
            got = kernels.winnow(h, window)
            want = reuse._winnow_numpy(h, window)
            assert got.dtype == np.int64 and got.tolist() == want.tolist(), (len(h), window)
    text = "各地区各部门要深入贯彻落实新发展理念，推动高质量发展。" * 20
    h = reuse.shingle_hashes(reuse.fold(text)[0])
    assert reuse._winnow_positions(h).tolist() == reuse._winnow_numpy(h, reuse.WINDOW).tolist()
    with pytest.raises(ValueError):
        kernels.winnow(np.arange(5, dtype=np.uint64), 5)


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


# ----------------------------------------------------------------------------- the stage, out of core


def write_shard(folder: Path, docs: list[dict], listing: bool = True) -> str:
    """A members artifact as the members stage writes it: canonical.parquet, its listing.parquet
    (`listing=False`: an artifact without one) and anchors.parquet."""
    import pyarrow as pa

    from tasks.common import write_table
    from tasks.repair import _write_row_groups
    from tasks.schema import CANONICAL

    rows = [{"year": None, "delivered_on": None, "admin_level": None, **d} for d in docs]
    table = pa.Table.from_pylist(rows, schema=CANONICAL).sort_by([("doc_id", "ascending")])
    _write_row_groups(table, folder / "canonical.parquet", reuse.CANONICAL_ROW_GROUP)
    if listing:
        write_table(reuse.canonical_listing(table), folder / reuse.LISTING_FILE)
    write_table(reuse.anchor_table(docs), folder / "anchors.parquet")
    return str(folder)


def run_stage(member_dirs: list[str], out: Path, **kw) -> dict:
    """One run of the stage into out, marked complete as the step runner does."""
    import json

    out.mkdir(parents=True)
    stats = reuse.reuse_stage(member_dirs, str(out), **kw)
    (out / "_done.json").write_text(json.dumps(stats))
    return stats


def table_bytes(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if (p.is_file() and p.parent.name in ("reuse", "reuse_formulae")) or p.name == "flows.json"
    }


def corpus_docs() -> list[list[dict]]:
    """Three shards of hex-named documents: a pair that shares PASSAGE, a formula in 30 clusters,
    and (shard 3, the 'new' pages) four more documents with PASSAGE, which make it common: the old
    pair's passage is no longer mostly rare anchors, so the old pair's row must go."""
    n = reuse.FORMULA_CLUSTERS + 5
    pieces = slices(n + 8)
    formula = "各位代表，现在我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。" * 2
    docs = []
    for k in range(n + 8):
        text = pieces[k][:600] + (formula if k < n else "") + pieces[k][600:]
        doc_id = f"{(k * 37) % 256:02x}{k:014x}"
        docs.append({"doc_id": doc_id, "cluster_id": f"c{k:03d}", "text": text, "year": 2000 + k % 20})
    for k in (0, 1, n, n + 1, n + 2, n + 3):
        docs[k]["text"] = insert(docs[k]["text"], 300, PASSAGE)
    docs[5]["text"] = insert(docs[5]["text"], 200, PASSAGE[::-1] + PASSAGE[:60])  # shares only with 0 and 1
    old = [d for k, d in enumerate(docs) if k < n]
    new = [d for k, d in enumerate(docs) if k >= n]
    return [old[::2], old[1::2], new]


def test_the_stage_gives_find_reuse_rows_whatever_the_partition_count(tmp_path):
    import pyarrow.parquet as pq

    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    rows, formulae = reuse.find_reuse([d for s in shards for d in s])
    assert rows and formulae
    outputs = []
    for n in (1, 16, 256):
        out = tmp_path / f"out{n}" / "run"
        run_stage(dirs, out, partitions=n)
        outputs.append(table_bytes(out))
        got = [r for f in sorted((out / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
        assert got == rows  # the parts concatenate in sorted order
        assert pq.read_table(out / "reuse_formulae" / "0.parquet").to_pylist() == formulae
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) > 3  # several output parts


def test_an_incremental_run_writes_the_cold_run_bytes_and_reuses_unchanged_pairs(tmp_path):
    import pyarrow.parquet as pq

    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    first = run_stage(dirs[:2], tmp_path / "runs" / "a")
    before = [
        r for f in sorted((tmp_path / "runs" / "a" / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
    ]
    pair = (shards[0][0]["doc_id"], shards[1][0]["doc_id"])
    assert pair in {(r["doc_id_a"], r["doc_id_b"]) for r in before}  # the old pair, rare while two clusters share it
    assert first["pairs_computed"] > 0 and first["pairs_reused"] == 0

    inc = run_stage(dirs, tmp_path / "runs" / "b")  # next to a: lends its unchanged groups and pairs
    cold = run_stage(dirs, tmp_path / "cold" / "c")  # no sibling: computes everything
    assert table_bytes(tmp_path / "runs" / "b") == table_bytes(tmp_path / "cold" / "c")
    assert inc["pairs_reused"] > 0 and inc["pairs_computed"] < cold["pairs_computed"]
    # only the anchor groups the new shard's documents joined (or made) are paired again
    assert cold["groups_paired"] == cold["groups"] and 0 < inc["groups_paired"] < cold["groups"] // 2
    after = [
        r for f in sorted((tmp_path / "cold" / "c" / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
    ]
    assert pair not in {(r["doc_id_a"], r["doc_id_b"]) for r in after if "创新驱动" in r["passage"]}

    again = run_stage(dirs, tmp_path / "runs" / "d")  # unchanged: every part linked, no group paired
    assert again["pairs_computed"] == 0 and again["parts_written"] == 0 and again["groups_paired"] == 0
    assert table_bytes(tmp_path / "runs" / "d") == table_bytes(tmp_path / "cold" / "c")


# ----------------------------------------------------------------------------- the partitioned steps


def run_steps(
    member_dirs: list[str], out: Path, earlier: dict[str, list[str]] | None = None, hits_params: dict | None = None
) -> dict:
    """Both steps as the flow runs them (tasks.steps.run_part_batch: each part into its own staging
    folder, then moved into the artifact), parts in reverse order and in two batches, then finish."""
    import json

    from tasks.steps import run_part_batch

    earlier = earlier or {"reuse_hits": [], "reuse": []}
    stats = {}
    inputs = {"members": member_dirs}
    for stage, plan, runner, finish, folder in (
        ("reuse_hits", reuse.hits_plan, "tasks.reuse:hits_part", reuse.hits_finish, out / "hits"),
        ("reuse", reuse.reuse_plan, "tasks.reuse:reuse_part", reuse.reuse_finish, out / "reuse_step"),
    ):
        params = {"earlier": earlier[stage], **(hits_params or {} if stage == "reuse_hits" else {})}
        parts = sorted(plan(inputs, **params), reverse=True)
        done = {}
        for batch in (parts[::2], parts[1::2]):
            done |= run_part_batch(runner, inputs, str(folder), batch, params)
        stats[stage] = finish(inputs, str(folder), {p: done[p] for p in sorted(done)}, **params)
        (folder / "_done.json").write_text(json.dumps(stats[stage]))
        inputs = {**inputs, stage: str(folder)}
    return stats


def test_the_partitioned_steps_write_the_stage_bytes_and_reuse_what_is_unchanged(tmp_path):
    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_stage(dirs, tmp_path / "one" / "run")  # the same functions in one process
    want = table_bytes(tmp_path / "one" / "run")

    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "cold" / "reuse_step") == want
    assert cold["reuse"]["pairs_reused"] == 0 and cold["reuse"]["parts_written"] > 3
    assert cold["reuse_hits"]["docs"] == sum(len(s) for s in shards)

    # a run on the first two shards, then all three given it as the earlier artifact of each step
    first = run_steps(dirs[:2], tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    assert table_bytes(tmp_path / "inc" / "reuse_step") == want
    assert inc["reuse"]["pairs_reused"] > 0
    # anchor rows are read from the new shard only; the others come from the earlier partitions' rows
    import pyarrow.parquet as pq

    new_rows = pq.ParquetFile(Path(dirs[2]) / "anchors.parquet").metadata.num_rows
    assert inc["reuse_hits"]["anchor_rows_read"] == new_rows < inc["reuse_hits"]["anchor_rows"]
    assert cold["reuse_hits"]["anchor_rows_read"] == cold["reuse_hits"]["anchor_rows"]
    # the ids of shards the earlier artifact listed come from its docs.parquet: the same codes
    ids, cluster, keyed = reuse._doc_codes(dirs, tmp_path / "first" / "hits")
    ids2, cluster2, keyed2 = reuse._doc_codes(dirs)
    assert ids.equals(ids2) and (cluster == cluster2).all() and (keyed == keyed2).all()
    assert inc["reuse"]["pairs_computed"] < cold["reuse"]["pairs_computed"]
    assert first["reuse"]["parts_written"] > 0
    # in the groups the new shard's documents joined, only pairs with one of their rows are made:
    # the pairs of two earlier rows are the earlier hits, carried (their rare flag updated)
    assert cold["reuse_hits"]["hits_paired"] == cold["reuse_hits"]["hits"] and cold["reuse_hits"]["hits_carried"] == 0
    assert inc["reuse_hits"]["hits_carried"] > 0

    # unchanged: every part linked, nothing paired or extended
    after_inc = {"reuse_hits": [str(tmp_path / "inc" / "hits")], "reuse": [str(tmp_path / "inc" / "reuse_step")]}
    again = run_steps(dirs, tmp_path / "again", after_inc)
    assert again["reuse_hits"]["groups_paired"] == 0 and again["reuse_hits"]["anchor_rows_read"] == 0
    assert again["reuse"]["pairs_computed"] == 0 and again["reuse"]["parts_written"] == 0
    assert table_bytes(tmp_path / "again" / "reuse_step") == want
    # a reuse artifact not made from the hits artifact the groups were compared with lends nothing
    mixed = run_steps(dirs, tmp_path / "mixed", {**after_inc, "reuse": [str(tmp_path / "first" / "reuse_step")]})
    assert mixed["reuse"]["pairs_reused"] == 0 and mixed["reuse"]["pairs_computed"] == cold["reuse"]["pairs_computed"]
    assert table_bytes(tmp_path / "mixed" / "reuse_step") == want
    # an earlier artifact of other code lends nothing
    meta = tmp_path / "inc" / "reuse_step" / "reuse_parts.json"
    meta.write_text(meta.read_text().replace(reuse._code_version(), "other-code"))
    other = run_steps(dirs, tmp_path / "other", after_inc)
    assert other["reuse_hits"]["groups_paired"] == 0  # the hits artifact is still of this code
    assert other["reuse"]["pairs_reused"] == 0
    assert table_bytes(tmp_path / "other" / "reuse_step") == want


def test_changed_gone_and_relabelled_documents_give_the_cold_run_bytes(tmp_path):
    """What a nightly run brings besides new pages: a page's dates or level corrected (no anchor
    moves: its pairs are recomputed all the same), a document that joined another cluster (its
    anchor rows change), a document gone from the canonical set, a shard re-cut. Incremental from
    the earlier run == cold, byte for byte, through the partitioned steps."""
    shards = corpus_docs()
    n = reuse.FORMULA_CLUSTERS + 5
    changed = [[dict(d) for d in s] for s in shards]
    changed[0][0]["year"] = 1990  # a date corrected: the old pair's first_doc_id moves
    changed[0][0]["admin_level"] = "province"
    changed[1][0]["cluster_id"] = changed[0][0][
        "cluster_id"
    ]  # joined the cluster of the document it shares PASSAGE with
    del changed[0][2]  # gone (its cluster got another canonical elsewhere)
    changed[2] = changed[2][:2]
    changed.append([shards[2][3], {**shards[2][2], "doc_id": f"ff{n:014x}"}])  # a new shard, one document a copy
    first_dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    dirs = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(changed)]
    run_steps(first_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert table_bytes(tmp_path / "inc" / "reuse_step") != table_bytes(tmp_path / "first" / "reuse_step")
    assert 0 < inc["reuse_hits"]["groups_paired"] < cold["reuse_hits"]["groups_paired"]
    assert inc["reuse"]["pairs_computed"] < cold["reuse"]["pairs_computed"]


def test_hash_ranges_are_kept_while_balanced_and_cut_again_when_not(tmp_path):
    """The earlier run's partition ranges are what lets a partition compare its groups; with
    another partition count (the corpus outgrew MAX_PARTITION_ROWS) they are cut again, and the
    hits are then computed as in a cold run (same bytes)."""
    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    want = run_steps(dirs, tmp_path / "cold")
    first = run_steps(dirs[:2], tmp_path / "first")
    ranges_first = {p for p in reuse.hits_plan({"members": dirs[:2]}) if p != reuse.DOCS_PART}
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    kept = {p for p in reuse.hits_plan({"members": dirs}, before["reuse_hits"]) if p != reuse.DOCS_PART}
    assert kept == ranges_first and first["reuse_hits"]["partitions"] == len(kept) < 32
    inc = run_steps(dirs, tmp_path / "inc", before)
    assert 0 < inc["reuse_hits"]["groups_paired"] < want["reuse_hits"]["groups_paired"]

    recut = run_steps(dirs, tmp_path / "recut", before, hits_params={"partitions": 32})
    assert recut["reuse_hits"]["partitions"] >= 32
    assert recut["reuse_hits"]["groups_paired"] == recut["reuse_hits"]["groups"]  # nothing to compare with
    assert recut["reuse"]["pairs_reused"] == 0
    for run in ("inc", "recut"):
        assert table_bytes(tmp_path / run / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")


def test_a_pair_whose_anchors_only_became_common_keeps_its_rows_without_being_recomputed(tmp_path):
    """New pages that quote the first 40 characters of an old pair's passage make those anchors
    common (more than RARE_CLUSTERS clusters): the old pair's hits move, but its passage is still
    mostly rare anchors, so the chain extended is the same one. hits_finish leaves the pair out of
    the pairs to recompute; the rows are still the cold run's."""
    import numpy as np
    import pyarrow.parquet as pq

    pieces = slices(12)
    long_passage = PASSAGE + "坚持以人民为中心的发展思想，把增进民生福祉作为城市发展的根本目的，让群众有更多获得感。"
    old = [
        {"doc_id": f"{k:02x}{k:014x}", "cluster_id": f"c{k:02d}", "text": insert(pieces[k], 300, long_passage)}
        for k in (0, 1)
    ]
    old += [{"doc_id": f"{k:02x}{k:014x}", "cluster_id": f"c{k:02d}", "text": pieces[k]} for k in range(2, 8)]
    new = [
        {"doc_id": f"{k * 16:02x}{k:014x}", "cluster_id": f"c{k:02d}", "text": insert(pieces[k], 300, PASSAGE[:40])}
        for k in range(8, 12)
    ]
    old_dirs = [write_shard(tmp_path / "s0", old)]
    dirs = [*old_dirs, write_shard(tmp_path / "s1", new)]
    run_steps(old_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")

    hits = tmp_path / "inc" / "hits"
    ids = sorted(pq.read_table(hits / "docs.parquet", columns=["doc_id"]).column(0).to_pylist())
    key = (ids.index(old[0]["doc_id"]) << 32) | ids.index(old[1]["doc_id"])
    moved = np.concatenate([np.load(f) for f in sorted((hits / "dirty").glob("*[0-9].npy"))])
    assert key in moved  # its hits moved: some of its anchors are common now ...
    recompute = np.concatenate([np.load(f) for f in sorted((hits / "dirty_pairs").glob("*.npy"))])
    assert key not in recompute  # ... but it is not recomputed
    rows = [
        r
        for f in sorted((tmp_path / "inc" / "reuse_step" / "reuse").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    assert [(r["doc_id_a"], r["doc_id_b"]) for r in rows] == [(old[0]["doc_id"], old[1]["doc_id"])]
    assert inc["reuse"]["pairs_computed"] < cold["reuse"]["pairs_computed"]


def test_a_pair_of_unchanged_documents_whose_chains_moved_takes_its_rows_without_texts(tmp_path, monkeypatch):
    """New pages in more than FORMULA_CLUSTERS clusters quote the head of an old pair's first
    passage and the whole of its second (一国两制 wording every report repeats): those anchors become
    formulae and leave the pair's hits, so its chains start elsewhere or go, and the pair is to
    recompute. Its two documents are unchanged, and each chain it extends now starts where the
    earlier run extended one or on a run it found: its rows are earlier rows, taken without reading
    or extending its texts. The bytes are the cold run's."""
    import pyarrow.parquet as pq

    second = "坚持以人民为中心的发展思想，把增进民生福祉作为城市发展的根本目的，织密扎牢托底的民生保障网，让群众有更多获得感幸福感安全感。"
    pieces = slices(reuse.FORMULA_CLUSTERS + 10)
    old = [
        {
            "doc_id": f"{k:02x}{k:014x}",
            "cluster_id": f"c{k:02d}",
            "text": insert(insert(pieces[k], 300, PASSAGE), 700, second),
        }
        for k in (0, 1)
    ]
    old += [{"doc_id": f"{k:02x}{k:014x}", "cluster_id": f"c{k:02d}", "text": pieces[k]} for k in range(2, 8)]
    new = [
        {
            "doc_id": f"{k * 7:02x}{k:014x}",
            "cluster_id": f"c{k:02d}",
            "text": insert(insert(pieces[k], 300, PASSAGE[:40]), 700, second),
        }
        for k in range(8, 8 + reuse.FORMULA_CLUSTERS + 1)
    ]
    old_dirs = [write_shard(tmp_path / "s0", old)]
    dirs = [*old_dirs, write_shard(tmp_path / "s1", new)]
    run_steps(old_dirs, tmp_path / "first")
    first = [
        r
        for f in sorted((tmp_path / "first" / "reuse_step" / "reuse").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    assert {(r["doc_id_a"], r["doc_id_b"]) for r in first} == {(old[0]["doc_id"], old[1]["doc_id"])}
    assert len(first) == 2  # the two passages

    extended: list[tuple[str, str]] = []
    passages = reuse._passages

    def spy(a, b, pa_, pb_, rare, ids, docs, outcomes=None):
        extended.extend(zip(ids[a].tolist(), ids[b].tolist(), strict=True))
        return passages(a, b, pa_, pb_, rare, ids, docs, outcomes)

    monkeypatch.setattr(reuse, "_passages", spy)
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    hits = tmp_path / "inc" / "hits"
    ids = sorted(pq.read_table(hits / "docs.parquet", columns=["doc_id"]).column(0).to_pylist())
    key = (ids.index(old[0]["doc_id"]) << 32) | ids.index(old[1]["doc_id"])
    recompute = np.concatenate([np.load(f) for f in sorted((hits / "dirty_pairs").glob("*.npy"))])
    assert key in recompute  # the pair's chains moved: it is recomputed ...
    assert (old[0]["doc_id"], old[1]["doc_id"]) not in extended  # ... from the chains, not the texts
    assert inc["reuse"]["pairs_carried"] == 1
    extended.clear()
    cold = run_steps(dirs, tmp_path / "cold")
    assert (old[0]["doc_id"], old[1]["doc_id"]) in extended
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert cold["reuse"]["pairs_carried"] == 0
    # and the night after, the carried pair's chains are there to be carried again
    after = {"reuse_hits": [str(tmp_path / "inc" / "hits")], "reuse": [str(tmp_path / "inc" / "reuse_step")]}
    chains = np.concatenate([np.load(f) for f in sorted((tmp_path / "inc" / "reuse_step" / "chains").glob("*.npy"))])
    assert key in chains["pair"]
    again = run_steps(dirs, tmp_path / "again", after)
    assert again["reuse"]["pairs_computed"] == 0
    assert table_bytes(tmp_path / "again" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")


def test_a_formula_that_spreads_keeps_its_passage_without_reading_texts_again(tmp_path):
    """New pages with the formula change every formula anchor's counts: the formula table is
    written again, but each run of anchors' passage comes from the earlier run (formula_runs.json);
    the bytes are the cold run's."""
    import pyarrow.parquet as pq

    shards = corpus_docs()
    n = reuse.FORMULA_CLUSTERS + 5
    formula = "各位代表，现在我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。" * 2
    spread = [{**d, "text": d["text"][:600] + formula + d["text"][600:]} for d in shards[2]]
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate([*shards[:2], spread])]
    run_steps(dirs[:2], tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    was = pq.read_table(tmp_path / "first" / "reuse_step" / "reuse_formulae" / "0.parquet").to_pylist()
    now = pq.read_table(tmp_path / "inc" / "reuse_step" / "reuse_formulae" / "0.parquet").to_pylist()
    assert [f["n_docs"] for f in was if "请予审议" in f["passage"]] == [n]
    assert [f["n_docs"] for f in now if "请予审议" in f["passage"]] == [n + len(spread)]
    assert cold["reuse"]["formula_runs"] > 0 and inc["reuse"]["formula_runs"] < cold["reuse"]["formula_runs"]


# ----------------------------------------------------------------------------- state kept in a worker


def test_threads_of_one_process_each_read_texts_through_their_own_files(tmp_path):
    """A Dask worker may run reuse parts in several threads at once. They once shared one corpus and
    so one open ParquetFile: a read in one thread replaced the ranges another thread's read had
    pre-buffered ("ReadRangeCache did not find matching cache entry", test_flow's dask test). Each
    thread has its own corpus now, and the end of one thread's batch (release_parts) closes that
    thread's files only."""
    import threading

    from tasks.steps import run_part_batch

    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(dirs, tmp_path / "run")
    inputs = {"members": dirs, "reuse_hits": str(tmp_path / "run" / "hits")}
    codes = list(range(len(reuse._load_corpus(inputs).ids)))
    mine = reuse._load_corpus(inputs)
    want = {k: v["text"] for k, v in mine.texts(codes[:5]).items()}
    assert mine._open  # a shard file is kept open for the next part of this thread's batch
    theirs: dict[str, object] = {}

    def other_thread() -> None:
        theirs["corpus"] = reuse._load_corpus(inputs)
        # a whole batch of parts, as a pool call runs it, then release_parts in this thread
        parts = sorted(reuse.reuse_plan(inputs))[:2]
        theirs["stats"] = run_part_batch("tasks.reuse:reuse_part", inputs, str(tmp_path / "other"), parts, {})
        theirs["after"] = reuse._load_corpus(inputs)

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert theirs["stats"] and theirs["corpus"] is not mine and theirs["after"] is not theirs["corpus"]
    assert reuse._load_corpus(inputs) is mine  # the other thread's release left this one alone ...
    assert all(not pf.closed for pf in mine._open.values())  # ... and its files open
    reuse._TEXTS.trim(0)
    assert {k: v["text"] for k, v in mine.texts(codes[:5]).items()} == want
    reuse.release_parts()
    assert not mine._open  # closed with the batch: no handle outlives the parts it served


def test_a_workers_next_reuse_call_reads_only_texts_its_earlier_calls_did_not(tmp_path):
    """The parts of a run's reuse step are dealt out to several calls, and a canonical text pairs with
    documents of many parts: a worker keeps up to KEPT_TEXT_CHARS of the texts it read after a call
    (release_parts), so its next call of the same run reads from canonical.parquet only texts it has
    not met (each call dropped them before: the same texts read again). A file replaced at its path is
    read again, never served from the cache; reuse_finish empties it. Outputs are the same bytes."""
    import os
    import shutil

    from tasks.steps import run_part_batch

    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(dirs, tmp_path / "run")
    inputs = {"members": dirs, "reuse_hits": str(tmp_path / "run" / "hits")}
    parts = sorted(reuse.reuse_plan(inputs))
    reuse.release_parts()
    reuse._TEXTS.trim(0)

    def call(folder: str) -> int:
        done = run_part_batch("tasks.reuse:reuse_part", inputs, str(tmp_path / folder), parts, {})
        return sum(s["texts_read"] for s in done.values())

    first = call("a")
    assert first > 0 and 0 < reuse._TEXTS.chars <= reuse.KEPT_TEXT_CHARS
    assert call("b") == 0  # the same worker's next call: every text from the kept cache
    assert table_bytes(tmp_path / "a") == table_bytes(tmp_path / "b")
    f = Path(dirs[0]) / "canonical.parquet"
    shutil.copy2(f, tmp_path / "copy.parquet")
    os.replace(tmp_path / "copy.parquet", f)  # the same bytes under another inode: another file version
    again = call("c")
    assert 0 < again < first and table_bytes(tmp_path / "c") == table_bytes(tmp_path / "a")
    reuse.reuse_finish(inputs, str(tmp_path / "a"), {}, [])
    assert reuse._TEXTS.chars == 0


def test_cached_listings_follow_a_file_replaced_at_the_same_path(tmp_path):
    """Values kept in a worker across parts (docs.parquet's ids, hits.json) are keyed on the file's
    inode as well as its size and mtime: a file replaced at its path by one of the same size and
    mtime (a rename into the artifact, a copy keeping mtime) is read again, not served stale."""
    import json
    import os

    import pyarrow as pa

    from tasks.common import write_table

    folder = tmp_path / "hits"
    folder.mkdir()

    def replace(name: str, write) -> None:
        target = folder / name
        before = target.stat() if target.exists() else None
        staged = tmp_path / f"new-{name}"
        write(staged)
        if before is not None:
            assert staged.stat().st_size == before.st_size
            os.utime(staged, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(staged, target)

    def listing(ids: list[str]):
        return lambda f: write_table(pa.table({"doc_id": pa.array(ids, pa.string())}), f)

    replace("docs.parquet", listing(["aaaa", "bbbb"]))
    assert reuse._listing_ids(folder).to_pylist() == ["aaaa", "bbbb"]
    replace("docs.parquet", listing(["cccc", "dddd"]))
    assert reuse._listing_ids(folder).to_pylist() == ["cccc", "dddd"]

    replace("hits.json", lambda f: f.write_text(json.dumps({"version": "aaaa"})))
    assert reuse._meta(folder)["version"] == "aaaa"
    replace("hits.json", lambda f: f.write_text(json.dumps({"version": "bbbb"})))
    assert reuse._meta(folder)["version"] == "bbbb"


def test_hits_finish_holds_one_output_part_of_dirty_hits_at_a_time(tmp_path, monkeypatch):
    """Near-copies of old pages, whose pairs lie in four output parts (a pair's part is that of its
    smaller doc id): every hit of those pairs is dirty. hits_finish gathers them one output part at
    a time (session 8: all parts' in one array, 1,193 MB at 100k +1 %): no hit array it
    concatenates is larger than the largest part's hits, yet the result is still the cold run's."""
    import numpy as np

    pieces = slices(12)
    prefixes = ("00", "40", "80", "c0")  # output parts 0, 16, 32, 48 of 64
    old = [{"doc_id": f"{prefixes[k % 4]}{k:014x}", "cluster_id": f"c{k:02d}", "text": pieces[k]} for k in range(8)]
    # a copy sorts right after its original: the pair is in the original's part
    new = [
        {"doc_id": f"{prefixes[k % 4]}{k:013x}f", "cluster_id": f"n{k:02d}", "text": pieces[k][:900] + "。新增一句。"}
        for k in range(4)
    ]
    old_dirs = [write_shard(tmp_path / "s0", old)]
    dirs = [*old_dirs, write_shard(tmp_path / "s1", new)]
    run_steps(old_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}

    sizes: list[int] = []
    concatenate, finish = np.concatenate, reuse.hits_finish

    def spy_concatenate(*args, **kw):
        got = concatenate(*args, **kw)
        if got.dtype in (reuse.HIT_DTYPE, reuse._void_of(reuse.HIT_DTYPE)):  # hits, or hits copied as records
            sizes.append(len(got))
        return got

    def spied_finish(*args, **kw):
        monkeypatch.setattr(np, "concatenate", spy_concatenate)
        try:
            return finish(*args, **kw)
        finally:
            monkeypatch.setattr(np, "concatenate", concatenate)

    monkeypatch.setattr(reuse, "hits_finish", spied_finish)
    run_steps(dirs, tmp_path / "inc", before)
    monkeypatch.setattr(reuse, "hits_finish", finish)
    run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")

    hits = tmp_path / "inc" / "hits"
    index = np.load(hits / "hits" / "index.npy")
    largest_part = int(np.diff(index, axis=1).sum(axis=0).max())
    dirty = [len(np.load(f)) for f in sorted((hits / "dirty_hits").glob("*.npy"))]
    assert sum(n > 0 for n in dirty) == 4 and sum(dirty) > largest_part  # what one array of every part held
    assert sizes and max(sizes) <= largest_part


def test_doc_codes_of_a_dictionary_column_are_those_of_the_plain_ids(tmp_path):
    """anchors.parquet is read with its doc ids as a dictionary per row group (session 12): each
    chunk's codes come from its own dictionary, ids not in the corpus are -1, as index_in gives on
    the plain strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pa.array(["0a", "1b", "2c", "3d"], pa.string())
    plain = pa.table({"doc_id": ["3d", "0a", "zz", "3d", "1b", "1b", "0a"]})
    pq.write_table(plain, tmp_path / "a.parquet", row_group_size=3, use_dictionary=True)
    pf = pq.ParquetFile(tmp_path / "a.parquet", read_dictionary=["doc_id"])
    col = pf.read_row_groups([0, 1, 2]).column("doc_id")
    assert pa.types.is_dictionary(col.type) and col.num_chunks == 3
    assert reuse._doc_code_column(col, ids).tolist() == [3, 0, -1, 3, 1, 1, 0]
    assert reuse._doc_code_column(plain.column("doc_id"), ids).tolist() == [3, 0, -1, 3, 1, 1, 0]
    assert reuse._doc_code_column(pa.chunked_array([], pa.string()), ids).tolist() == []


def test_the_listing_and_document_codes_read_the_shards_listing_files_not_their_texts(tmp_path, monkeypatch):
    """The members stage writes each shard's listing.parquet (canonical.parquet without texts, one row
    group; session 13): the corpus listing and the document codes read those, never canonical.parquet
    (4-document row groups, texts decoded for their digests: ~0.6 CPU-s of a +1 % run's listing at
    20k). A shard without a listing file is listed from its canonical.parquet, to the same rows; the
    stage's tables are the same bytes either way."""
    import pyarrow.parquet as pq

    docs = [d for shard in corpus_docs() for d in shard]
    docs[3]["text"] = None
    docs[4]["text"] = ""
    docs[5] = {**docs[5], "year": None, "delivered_on": None, "admin_level": "city"}
    shards = [docs[:10], docs[10:25], docs[25:]]
    with_listing = [write_shard(_mkdir(tmp_path / "a" / str(k)), s) for k, s in enumerate(shards)]
    without = [write_shard(_mkdir(tmp_path / "b" / str(k)), s, listing=False) for k, s in enumerate(shards)]

    opened: list[str] = []
    real = pq.ParquetFile

    class Recording(real):
        def __init__(self, source, *a, **k):
            opened.append(str(source))
            super().__init__(source, *a, **k)

    monkeypatch.setattr(pq, "ParquetFile", Recording)
    listed = reuse.corpus_listing(with_listing)
    reuse._doc_codes_of.cache_clear()
    codes = reuse._doc_codes(with_listing)
    assert opened and not [f for f in opened if f.endswith("canonical.parquet")]
    monkeypatch.setattr(pq, "ParquetFile", real)

    unlisted = reuse.corpus_listing(without)
    reuse._doc_codes_of.cache_clear()
    assert listed.drop(["shard_key"]).equals(unlisted.drop(["shard_key"]))
    same = reuse._doc_codes(without)
    assert codes[0].equals(same[0]) and (codes[1] == same[1]).all() and (codes[2] == same[2]).all()
    assert len(set(listed.column("fingerprint").to_pylist())) == len(docs)
    run_stage(with_listing, tmp_path / "out-a")
    run_stage(without, tmp_path / "out-b")
    assert table_bytes(tmp_path / "out-a") == table_bytes(tmp_path / "out-b") != {}


def test_texts_are_read_from_the_text_column_at_the_listings_rows(tmp_path, monkeypatch):
    """A text read takes only the text column of canonical.parquet's row groups (the wanted rows by their
    place in the shard's listing.parquet, which holds the other fields in the same order): reading every
    column of the groups and filtering them by doc_id cost ~30 % more per text, and texts are ~half of a
    +1 % run's reuse parts. Shards of several row groups, the last one short, dates and levels set: the
    tables are the bytes of a run whose shards have no listing (every column read, as before)."""
    import pyarrow.parquet as pq

    docs = [d for shard in corpus_docs() for d in shard]
    for k, d in enumerate(docs):
        d["delivered_on"] = dt.date(2001 + k % 7, 1 + k % 12, 1 + k % 28) if k % 3 else None
        d["admin_level"] = ("county", "city", None)[k % 3]
    shards = [docs[:11], docs[11:26], docs[26:]]  # 11 rows: row groups of 4, 4 and 3
    with_listing = [write_shard(_mkdir(tmp_path / "a" / str(k)), s) for k, s in enumerate(shards)]
    without = [write_shard(_mkdir(tmp_path / "b" / str(k)), s, listing=False) for k, s in enumerate(shards)]

    asked: list[tuple[str, object]] = []
    real = pq.ParquetFile.read_row_groups

    def recording(self, row_groups, columns=None, *a, **k):
        if "text" in self.schema_arrow.names:  # canonical.parquet (anchors.parquet has no text)
            asked.append((columns, len(row_groups)))
        return real(self, row_groups, columns, *a, **k)

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", recording)
    run_stage(with_listing, tmp_path / "a" / "out")  # apart: no earlier run beside it
    read = list(asked)
    asked.clear()
    run_stage(without, tmp_path / "b" / "out")
    assert read and all(columns == ["text"] for columns, _ in read)
    assert asked and all(columns is None for columns, _ in asked)
    assert table_bytes(tmp_path / "a" / "out") == table_bytes(tmp_path / "b" / "out") != {}
    rows = [
        r for f in sorted((tmp_path / "a" / "out" / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
    ]
    assert any(r["date_a"] for r in rows) and any(r["first_doc_id"] for r in rows)


def test_an_unchanged_shards_listing_rows_come_from_the_earlier_listing(tmp_path, monkeypatch):
    """corpus_listing with an earlier docs.parquet: a shard whose listing file has the same bytes takes
    its rows from the earlier table (renumbered to its place now), only a changed or new shard is
    listed from its file, and the table is the one listed from scratch, value for value and in its
    Parquet bytes."""
    from tasks.common import write_table

    docs = [d for shard in corpus_docs() for d in shard]
    shards = [docs[:10], docs[10:25], docs[25:]]
    dirs = [write_shard(_mkdir(tmp_path / "s" / str(k)), s) for k, s in enumerate(shards)]
    earlier = _mkdir(tmp_path / "earlier")
    write_table(reuse.corpus_listing(dirs[1:]), earlier / "docs.parquet")  # shards 1 and 2, at places 0 and 1
    changed = [dict(d) for d in shards[2]]
    changed[0]["year"] = 1990
    dirs[2] = write_shard(_mkdir(tmp_path / "s" / "2b"), changed)
    listed: list[int] = []
    real = reuse._shard_listing
    monkeypatch.setattr(reuse, "_shard_listing", lambda k, key, t: listed.append(k) or real(k, key, t))
    got = reuse.corpus_listing(dirs, earlier)
    assert listed == [0, 2]  # shard 1's rows came from the earlier listing
    monkeypatch.setattr(reuse, "_shard_listing", real)
    want = reuse.corpus_listing(dirs)
    assert got.equals(want) and got.schema == reuse.LISTING_SCHEMA
    assert got.column("shard").to_pylist() == [k for k, s in enumerate(shards) for _ in s]
    write_table(got, tmp_path / "got.parquet")
    write_table(want, tmp_path / "want.parquet")
    assert (tmp_path / "got.parquet").read_bytes() == (tmp_path / "want.parquet").read_bytes()


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


def test_a_rerun_shard_whose_texts_are_unchanged_is_not_read_again(tmp_path):
    """A +1 % run's members stage rewrites old shards for relabelled clusters, canonical documents
    gone or dates corrected (20k: 25 of 25 anchors files new), without changing a text. Their anchor
    rows (hash, offset: a function of the text) are the earlier partitions' rows, known from the
    text digests of their listing.parquet and the earlier docs.parquet (session 13): only a shard with
    a new or changed text (or without a listing file) is read. Incremental == cold, byte for byte."""
    import pyarrow.parquet as pq

    shards = corpus_docs()
    n = reuse.FORMULA_CLUSTERS + 5
    changed = [[dict(d) for d in s] for s in shards]
    changed[0][0]["year"] = 1990  # a date corrected
    changed[1][0]["cluster_id"] = changed[0][0]["cluster_id"]  # relabelled: joined another cluster
    del changed[1][2]  # gone from the canonical set
    changed[2][1]["text"] = changed[2][1]["text"][:-40] + PASSAGE[:40]  # a text that changed
    changed.append([{**shards[2][2], "doc_id": f"ff{n:014x}"}])  # a new shard: a copy of an old page
    first_dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(first_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}

    def rows(folder: str) -> int:
        return pq.ParquetFile(Path(folder) / "anchors.parquet").metadata.num_rows

    dirs = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(changed)]
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert inc["reuse_hits"]["anchor_rows_read"] == rows(dirs[2]) + rows(dirs[3])  # shards 0 and 1 not read
    assert inc["reuse_hits"]["anchor_rows"] == cold["reuse_hits"]["anchor_rows"]

    # the same shards written without their listing files: each is read, the bytes are the same
    bare = [write_shard(tmp_path / f"u{k}", docs, listing=k != 1) for k, docs in enumerate(changed)]
    got = run_steps(bare, tmp_path / "bare", before)
    assert table_bytes(tmp_path / "bare" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert got["reuse_hits"]["anchor_rows_read"] == rows(bare[1]) + rows(bare[2]) + rows(bare[3])


def test_a_shard_where_a_few_documents_changed_reads_only_their_rows(tmp_path, monkeypatch):
    """The 100k +1 % run re-read 31 whole shards (4.6 M rows) because one of each shard's documents
    had become canonical (its cluster's canonical copy moved) or changed its text. A shard whose
    unknown documents are few (PARTLY_KNOWN_MAX_SHARE) takes the others' rows from the earlier
    partitions and reads only those documents' rows (session 17); past the share, or past the run's
    PARTLY_KNOWN_MAX_DOCS, the whole shard is read as before. Incremental == cold, byte for byte."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    shards = corpus_docs()
    first = [shards[0][1:], shards[1], shards[2]]  # shards[0][0]: not canonical yet
    first_dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(first)]
    run_steps(first_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    changed = [[dict(d) for d in s] for s in shards]  # shard 0: one document became canonical
    changed[1][3]["text"] = changed[1][3]["text"][:-40] + PASSAGE[:40]  # shard 1: one text changed
    assert len(changed[0]) > 10 and len(changed[1]) > 10  # one document is under the share

    def rows(folder: str, doc_id: str | None = None) -> int:
        t = pq.read_table(Path(folder) / "anchors.parquet", columns=["doc_id"])
        return t.num_rows if doc_id is None else int(pc.sum(pc.equal(t.column("doc_id"), doc_id)).as_py())

    dirs = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(changed)]
    few = rows(dirs[0], changed[0][0]["doc_id"]) + rows(dirs[1], changed[1][3]["doc_id"])
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert inc["reuse_hits"]["anchor_rows"] == cold["reuse_hits"]["anchor_rows"]
    assert few > 0 and inc["reuse_hits"]["anchor_rows_read"] == few  # shard 2: the same file, not read

    # past the run's budget: the shards are read whole, the bytes are the same
    monkeypatch.setattr(reuse, "PARTLY_KNOWN_MAX_DOCS", 0)
    again = [write_shard(tmp_path / f"u{k}", docs) for k, docs in enumerate(changed)]  # other files: no cache
    whole = run_steps(again, tmp_path / "whole", before)
    assert table_bytes(tmp_path / "whole" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert whole["reuse_hits"]["anchor_rows_read"] == rows(again[0]) + rows(again[1])


def test_a_new_shard_without_canonical_documents_changes_nothing(tmp_path):
    """A nightly folder of copies only (every page a duplicate of an old one) gives the members stage a
    shard whose listing and anchors have no rows: the only shard the earlier artifact did not read.
    The run is the earlier one's (no anchor row read, the same bytes as cold), and a second run in
    the same process with other inputs gets its own answer, not the first one's cached."""
    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    empty = write_shard(_mkdir(tmp_path / "empty"), [])
    inc = run_steps([*dirs, empty], tmp_path / "inc", before)
    run_steps([*dirs, empty], tmp_path / "cold")
    assert inc["reuse_hits"]["anchor_rows_read"] == 0
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert table_bytes(tmp_path / "cold" / "reuse_step") == table_bytes(tmp_path / "first" / "reuse_step")

    # the same process, other inputs: a text changed in a re-run shard (known shards differ)
    changed = [[dict(d) for d in s] for s in shards]
    changed[1][0]["text"] = changed[1][0]["text"][:-40] + PASSAGE[:40]
    again = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(changed)]
    inc2 = run_steps([*again, empty], tmp_path / "inc2", before)
    run_steps([*again, empty], tmp_path / "cold2")
    assert table_bytes(tmp_path / "inc2" / "reuse_step") == table_bytes(tmp_path / "cold2" / "reuse_step")
    assert inc2["reuse_hits"]["anchor_rows_read"] > 0


def test_a_relabelled_document_keeps_its_pairs_rows_with_its_cluster_now(tmp_path):
    """A cluster renamed (a new copy with a smaller hash joined it: cluster id = smallest member
    hash) changes its documents' listing rows but neither their texts nor their hits' pairs: their
    pairs are not recomputed (no text read), the kept rows take the new cluster_a / cluster_b, and
    the parts holding them are rewritten, not linked (session 13). Incremental == cold."""
    import pyarrow.parquet as pq

    shards = corpus_docs()
    first = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(first, tmp_path / "first")
    rows = [
        pq.read_table(f).to_pylist() for f in sorted((tmp_path / "first" / "reuse_step" / "reuse").glob("*.parquet"))
    ]
    pair = rows[0][0]  # the documents of a pair with rows, both renamed
    renamed = [[dict(d) for d in s] for s in shards]
    for d in (d for s in renamed for d in s if d["doc_id"] in (pair["doc_id_a"], pair["doc_id_b"])):
        d["cluster_id"] = "r-" + d["cluster_id"]
    dirs = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(renamed)]
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    cold = run_steps(dirs, tmp_path / "cold")
    got = table_bytes(tmp_path / "inc" / "reuse_step")
    assert got == table_bytes(tmp_path / "cold" / "reuse_step") != table_bytes(tmp_path / "first" / "reuse_step")
    assert inc["reuse"]["pairs_computed"] == 0 < cold["reuse"]["pairs_computed"]
    assert inc["reuse"]["parts_written"] > 0


def test_an_incremental_part_counts_flows_and_lists_live_pairs_from_its_changes_only(tmp_path, monkeypatch):
    """A rewritten output part's flows are the earlier part's less its dropped rows (counted with the
    levels they had) plus its new rows, and its live pairs the earlier file's kept rows plus the new
    ones: its kept rows are not counted again in Python. Flows, pairs files and tables == cold."""
    import json

    import pyarrow.parquet as pq

    shards = corpus_docs()[:2]  # PASSAGE rare: its pair's rows are policy reuse, counted in the flows
    first = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(first, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    rows = [
        r
        for f in sorted((tmp_path / "first" / "reuse_step" / "reuse").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    policy = [r for r in rows if not r["formulaic"]]
    assert policy and len(policy) < len(rows)
    counted: list[int] = []
    flow_add = reuse._flow_add
    monkeypatch.setattr(reuse, "_flow_add", lambda acc, r, lv: (counted.append(len(r)), flow_add(acc, r, lv))[1])

    def flows(run: str) -> dict:
        return json.loads((tmp_path / run / "reuse_step" / "reuse_parts.json").read_text())["flows"]

    for run, change in (("renamed", "cluster_id"), ("level", "admin_level")):
        changed = [[dict(d) for d in s] for s in shards]
        docs = {d["doc_id"]: d for s in changed for d in s}
        if change == "cluster_id":  # every document renamed: every pair's rows kept, every part rewritten
            for d in docs.values():
                d["cluster_id"] = "r-" + d["cluster_id"]
        else:  # a level corrected: the pairs of that document recomputed, their flows move to its level now
            docs[policy[0]["doc_id_a"]]["admin_level"] = "province"
        dirs = [write_shard(tmp_path / run / f"t{k}", s) for k, s in enumerate(changed)]
        counted.clear()
        inc = run_steps(dirs, tmp_path / run / "inc", before)
        inc_counted = sum(counted)
        cold = run_steps(dirs, tmp_path / run / "cold")
        for folder in ("reuse", "pairs"):
            got = {p.name: p.read_bytes() for p in sorted((tmp_path / run / "inc" / "reuse_step" / folder).glob("*"))}
            want = {p.name: p.read_bytes() for p in sorted((tmp_path / run / "cold" / "reuse_step" / folder).glob("*"))}
            assert got == want and got
        assert table_bytes(tmp_path / run / "inc" / "reuse_step") == table_bytes(tmp_path / run / "cold" / "reuse_step")
        assert flows(f"{run}/inc") == flows(f"{run}/cold")
        if change == "cluster_id":
            assert inc["reuse"]["pairs_computed"] == 0 < inc["reuse"]["parts_written"]
            assert inc_counted == 0  # no row dropped or added: the earlier flows stand
        else:
            assert 0 < inc["reuse"]["pairs_computed"] < cold["reuse"]["pairs_computed"]
            assert flows(f"{run}/inc") != flows("first")


def test_output_part_starts_are_found_in_the_arrow_ids_as_in_a_list():
    """The 64 output parts' first codes, searched in the sorted Arrow ids, are `_code_range`'s on a
    Python list of them: empty, one id, ids at a part bound's very prefix, parts with no id."""
    import random

    import pyarrow as pa

    rng = random.Random(7)
    cases = [[], ["0000000000000000"], ["ffffffffffffffff"], [f"{q * 4:02x}00000000000000" for q in range(64)]]
    cases += [sorted(f"{rng.getrandbits(64):016x}" for _ in range(n)) for n in (5, 300, 5000)]
    cases += [sorted(f"{rng.choice('3a'):s}{rng.getrandbits(60):015x}" for _ in range(200))]  # two parts only
    for n in (64, 128, 512, 2048):
        for ids in cases:
            want = [reuse._code_range(ids, q, n)[0] for q in range(n)] + [len(ids)]
            assert reuse._part_starts(pa.array(ids, pa.string()), n) == want


def test_output_part_starts_are_kept_for_the_same_listing_only(monkeypatch):
    """A worker's hash partitions ask for the starts of one listing again and again: they are
    searched once per listing array, never served for another array (even one of equal values,
    whose identity says nothing), and forgotten when the batch of parts ends."""
    import pyarrow as pa

    reuse.release_parts()
    ids = pa.array(sorted(f"{k * 7919:016x}" for k in range(3000)), pa.string())
    want = reuse._part_starts(ids, 64)
    searched = []
    real = reuse._part_starts_of
    monkeypatch.setattr(reuse, "_part_starts_of", lambda a, n: searched.append(n) or real(a, n))
    assert reuse._part_starts(ids, 64) == want and searched == []
    assert reuse._part_starts(ids, 128) == real(ids, 128) and searched == [128]
    twin = pa.array(ids.to_pylist(), pa.string())
    assert reuse._part_starts(twin, 64) == want and searched == [128, 64]
    reuse.release_parts()
    assert reuse._part_starts(ids, 64) == want and searched == [128, 64, 64]
    reuse.release_parts()


def test_slices_of_several_hits_files_are_read_into_one_array(tmp_path):
    """_NpySlices.gather: rows [i, j) of each file in the order asked, empty slices skipped, the
    bytes those of np.load's slices; another dtype or a slice past a file's end is an error."""
    rng = np.random.default_rng(3)
    paths = []
    for k, n in enumerate((50, 0, 17)):
        rec = np.zeros(n, reuse.HIT_DTYPE)
        for name in ("a", "b", "pa", "pb", "g"):
            rec[name] = rng.integers(0, 1 << 30, n)
        rec["rare"] = rng.integers(0, 2, n).astype(bool)
        np.save(tmp_path / f"{k}.npy", rec)
        paths.append(str(tmp_path / f"{k}.npy"))
    np.save(tmp_path / "keys.npy", np.arange(10, dtype=np.int64))
    asked = [(paths[2], 3, 9), (paths[0], 0, 50), (paths[1], 0, 0), (paths[0], 10, 10), (paths[2], 0, 2)]
    files = reuse._NpySlices()
    try:
        got = files.gather(asked, reuse.HIT_DTYPE)
        want = np.concatenate([np.load(p)[i:j] for p, i, j in asked])
        assert got.dtype == reuse.HIT_DTYPE and got.tobytes() == want.tobytes()
        assert len(files.gather([], reuse.HIT_DTYPE)) == 0
        with pytest.raises(ValueError, match=r"keys\.npy"):
            files.gather([(str(tmp_path / "keys.npy"), 0, 3)], reuse.HIT_DTYPE)
        with pytest.raises(ValueError, match="past its end"):
            files.gather([(paths[2], 10, 18)], reuse.HIT_DTYPE)
    finally:
        files.close()


def test_the_formula_passages_read_their_texts_in_bounded_batches(tmp_path, monkeypatch):
    """reuse_finish reads the texts of the formula runs it computes through the corpus: in batches
    of at most FORMULA_TEXT_CHARS (a cold 100k run had read them all in one go, +515 MiB in that one
    call), with the same passages as the whole-corpus find_reuse."""
    import pyarrow.parquet as pq

    formulas = [
        "各位代表，现在我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。" * 2,
        "我们要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届历次全会精神，统筹发展和安全。"
        * 2,
        "让我们更加紧密地团结在以习近平同志为核心的党中央周围，开拓进取，真抓实干，为全面建设社会主义现代化国家而努力奋斗！"
        * 2,
    ]
    n = 36  # each formula in 30 clusters (a formula: more than FORMULA_CLUSTERS), not all with the same example
    pieces = slices(n)
    docs = [
        {
            "doc_id": f"{k:016x}",
            "cluster_id": f"c{k:03d}",
            "text": pieces[k][:500] + "".join(f for j, f in enumerate(formulas) if k % 6 != j) + pieces[k][500:],
        }
        for k in range(n)
    ]
    shards = [docs[0::3], docs[1::3], docs[2::3]]
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    _, formulae = reuse.find_reuse(docs)
    assert len({f["example_doc_id"] for f in formulae}) >= 2
    longest = max(len(d["text"]) for d in docs)
    monkeypatch.setattr(reuse, "FORMULA_TEXT_CHARS", 2 * longest + 1)  # a run's two documents at most
    monkeypatch.setattr(reuse, "TEXT_CACHE_CHARS", 0)  # every batch read, none served from the cache
    finishing: list[bool] = []
    reads: list[list[str]] = []  # the documents of each text read of reuse_finish
    texts, finish = reuse._Corpus.texts, reuse._reuse_finish

    def counting(self, codes):
        got = texts(self, codes)
        if finishing:
            reads.append(sorted(got))
        return got

    def flagged(*args, **kwargs):
        finishing.append(True)
        return finish(*args, **kwargs)

    monkeypatch.setattr(reuse._Corpus, "texts", counting)
    monkeypatch.setattr(reuse, "_reuse_finish", flagged)
    out = tmp_path / "run"
    run_stage(dirs, out)
    assert pq.read_table(out / "reuse_formulae" / "0.parquet").to_pylist() == formulae
    chars = {d["doc_id"]: len(d["text"]) for d in docs}
    assert len(reads) >= 2  # the formulae's runs came in several batches ...
    assert all(sum(chars[i] for i in ids) <= reuse.FORMULA_TEXT_CHARS for ids in reads)  # ... each bounded


def test_the_output_parts_double_as_the_corpus_grows():
    assert [reuse.reuse_part_count(n) for n in (0, 7_440, 64 * 256, 64 * 256 + 1, 40_157, 400_000)] == [
        64,
        64,  # the 20k bench: its output is cut as before
        64,
        128,
        256,  # the 100k bench's canonical documents
        2048,
    ]
    assert list(reuse.part_bounds(64)) == [f"{q * 4:02x}" for q in range(1, 64)]  # the fixed cut of sessions past
    for n in (64, 128, 256, 512, 4096):
        bounds = reuse.part_bounds(n)
        assert len(bounds) == n - 1 and list(bounds) == sorted(set(bounds))
        names = [reuse.part_name(q, n) for q in range(n)]
        assert names == sorted(names) and len({len(x) for x in names}) == 1  # the files sort in part order
    assert reuse.part_name(7, 64) == "007" and reuse.part_name(7, 2048) == "0007"


def test_a_run_across_a_doubling_cuts_the_output_anew_and_writes_the_cold_run_bytes(tmp_path, monkeypatch):
    """Output parts follow the corpus (reuse_part_count): the nightly run in which it crosses a
    doubling cuts every part anew (no earlier part covers the same documents) and writes what a cold
    run of the same corpus writes; each part holds the pairs of its own range of doc_id_a."""
    import pyarrow.parquet as pq

    monkeypatch.setattr(reuse, "REUSE_PARTS", 2)  # small parts: the test corpus spans a doubling
    monkeypatch.setattr(reuse, "REUSE_PART_DOCS", 8)
    shards = corpus_docs()
    before, after = len(shards[0]) + len(shards[1]), sum(len(s) for s in shards)
    assert reuse.reuse_part_count(before) < reuse.reuse_part_count(after)
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    rows, formulae = reuse.find_reuse([d for s in shards for d in s])
    run_stage(dirs[:2], tmp_path / "runs" / "a")
    inc = run_stage(dirs, tmp_path / "runs" / "b")  # next to a: its earlier artifact, cut in fewer parts
    cold = run_stage(dirs, tmp_path / "cold" / "c")
    assert table_bytes(tmp_path / "runs" / "b") == table_bytes(tmp_path / "cold" / "c")
    assert inc["pairs_reused"] == 0 and inc["pairs_computed"] == cold["pairs_computed"]  # every part computed
    n = reuse.reuse_part_count(after)
    files = sorted((tmp_path / "cold" / "c" / "reuse").glob("*.parquet"))
    assert len(files) > 1
    got = []
    for f in files:
        part = pq.read_table(f).to_pylist()
        assert {reuse.part_of_doc(r["doc_id_a"], n) for r in part} == {int(f.stem)}
        got += part
    assert got == rows
    assert pq.read_table(tmp_path / "cold" / "c" / "reuse_formulae" / "0.parquet").to_pylist() == formulae
    again = run_stage(dirs, tmp_path / "runs" / "d")  # the next night, same cut: incremental again
    assert again["pairs_computed"] == 0 and again["parts_written"] == 0
    assert table_bytes(tmp_path / "runs" / "d") == table_bytes(tmp_path / "cold" / "c")


def test_an_incremental_run_moves_the_earlier_live_pairs_by_code_without_reading_their_ids(tmp_path, monkeypatch):
    """A reuse part's live pairs (what pairs_reused counts the next night) are stored as pair keys in
    the codes of the hits listing, linked into the artifact: the next run moves them to its codes
    with one map, instead of reading each part's doc id strings from Parquet, looking every one up
    and writing them back. The keys an incremental night stores equal a cold run's, byte for byte,
    whether the part was recomputed or linked (the next, unchanged night)."""
    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(dirs[:2], tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    read = reuse._read
    paths: list[str] = []
    monkeypatch.setattr(reuse, "_read", lambda path, columns=None: (paths.append(str(path)), read(path, columns))[1])
    inc = run_steps(dirs, tmp_path / "inc", before)
    run_steps(dirs, tmp_path / "cold")
    assert inc["reuse"]["pairs_reused"] > 0 and inc["reuse"]["parts_written"] > 0
    assert paths and not [p for p in paths if "/pairs/" in p]  # the earlier rows are read, never their pairs' ids

    def live(run: str) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((tmp_path / run / "reuse_step" / "pairs").glob("*"))}

    assert live("inc") == live("cold") and live("cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    after = {"reuse_hits": [str(tmp_path / "inc" / "hits")], "reuse": [str(tmp_path / "inc" / "reuse_step")]}
    again = run_steps(dirs, tmp_path / "again", after)  # nothing changed: every part linked, its keys moved
    assert again["reuse"]["parts_linked"] > 0 and again["reuse"]["parts_written"] == 0
    assert live("again") == live("cold")
    assert again["reuse"]["pairs_reused"] == sum(
        len(np.load(tmp_path / "cold" / "reuse_step" / "pairs" / n)) for n in live("cold")
    )


def test_a_new_shards_ids_are_coded_without_hashing_the_corpus_in_every_partition(tmp_path, monkeypatch):
    """A +1 % run reads the new shard's anchor rows in every hash partition: its doc ids (a
    dictionary per row group) are looked up in the corpus's id -> code map made once for the
    worker's partitions, not by pc.index_in against every canonical id in each partition (a term
    of corpus size x partitions). The codes are the same: incremental == cold, byte for byte."""
    import pyarrow.compute as pc

    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    run_steps(dirs[:2], tmp_path / "first", hits_params={"partitions": 4})
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    n_docs = sum(len(s) for s in shards)
    index_in = pc.index_in
    corpus_wide: list[int] = []
    # the hits step's lookups only: the reuse step moves its earlier live pairs to this run's codes once a
    # batch of parts (_earlier_live through the cached _code_remap), not once a partition
    in_hits = [False]
    hits_part = reuse.hits_part

    def hits_counted(*args, **kwargs):
        in_hits[0] = True
        try:
            return hits_part(*args, **kwargs)
        finally:
            in_hits[0] = False

    def counted(values, value_set=None, **kw):
        if in_hits[0] and value_set is not None and len(value_set) == n_docs:
            corpus_wide.append(len(values))
        return index_in(values, value_set=value_set, **kw)

    monkeypatch.setattr(reuse.pc, "index_in", counted)
    monkeypatch.setattr(reuse, "hits_part", hits_counted)
    inc = run_steps(dirs, tmp_path / "inc", before, hits_params={"partitions": 4})
    monkeypatch.setattr(reuse.pc, "index_in", index_in)
    cold = run_steps(dirs, tmp_path / "cold", hits_params={"partitions": 4})
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert inc["reuse_hits"]["partitions"] >= 4 and inc["reuse_hits"]["anchor_rows_read"] > 0
    assert corpus_wide  # the counter saw the hits step's lookups
    # the earlier artifact's listing and the known shards are matched once a process (cached), not
    # once a partition: fewer corpus-wide lookups than partitions
    assert len(corpus_wide) < inc["reuse_hits"]["partitions"]
    # anchors derived from canonical.parquet (an artifact made before anchors.parquet): plain ids,
    # one lookup of them all per partition, the same codes
    (Path(dirs[2]) / "anchors.parquet").unlink()
    derived = run_steps(dirs, tmp_path / "derived", before, hits_params={"partitions": 4})
    assert table_bytes(tmp_path / "derived" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert derived["reuse_hits"]["anchor_rows"] == cold["reuse_hits"]["anchor_rows"]


def test_hit_and_row_records_copied_whole_are_numpys_structured_copies():
    """hits_part and hits_finish copy their packed record arrays through a void view (reuse._records,
    _joined, _inserted): the same bytes as numpy's field-by-field copy, for masks, orders, empties."""
    rng = np.random.default_rng(7)
    for dtype in (reuse.HIT_DTYPE, reuse.ROW_DTYPE):
        rec = np.zeros(1000, dtype)
        for name in dtype.names:
            rec[name] = rng.integers(0, 2 if dtype[name] == np.bool_ else 1 << 20, len(rec))
        mask = rng.random(len(rec)) < 0.3
        order = rng.permutation(len(rec))
        for index in (mask, ~mask, order, order[:0], np.zeros(len(rec), bool)):
            assert reuse._records(rec, index).tobytes() == rec[index].tobytes()
            assert reuse._records(rec, index).dtype == dtype
        strided = rec[::3]  # a view, not contiguous
        assert reuse._records(strided, mask[: len(strided)]).tobytes() == strided[mask[: len(strided)]].tobytes()
        parts = [rec[:10], rec[10:10], rec[500:]]
        assert reuse._joined(parts).tobytes() == np.concatenate(parts).tobytes()
        at = np.sort(rng.integers(0, len(rec) + 1, 50))
        values = rec[order[:50]]
        assert reuse._inserted(rec, at, values).tobytes() == np.insert(rec, at, values).tobytes()
        assert reuse._inserted(rec[:0], np.zeros(3, np.int64), values[:3]).tobytes() == values[:3].tobytes()


def test_the_flow_knows_a_reuse_step_that_lends_the_earlier_rows(tmp_path):
    """stages.reuse_kind, read in the flow without importing tasks.reuse, says "incremental" exactly
    when reuse_part finds an earlier artifact to lend rows from (`_reuse_base`): the pool then judges
    the step's part calls on incremental parts' growth, not on cold parts'. A cold run, a reuse
    artifact made from other hits or by other code: "" (every pair computed: the cold kind)."""
    import json

    from tasks import stages

    assert stages.reuse_code_version() == reuse._code_version()
    shards = corpus_docs()
    dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards)]
    first = run_steps(dirs[:2], tmp_path / "first")
    assert first["reuse"]["pairs_reused"] == 0
    cold_inputs = {"members": dirs, "reuse_hits": str(tmp_path / "first" / "hits")}
    assert stages.reuse_kind(cold_inputs, {"earlier": []}) == ""  # the first run's hits: no base
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}
    inc = run_steps(dirs, tmp_path / "inc", before)
    assert inc["reuse"]["pairs_reused"] > 0
    inputs = {"members": dirs, "reuse_hits": str(tmp_path / "inc" / "hits")}
    meta = json.loads((tmp_path / "inc" / "hits" / "hits.json").read_text())
    assert reuse._reuse_base(before["reuse"], reuse._code_version(), meta["base"]) is not None
    assert stages.reuse_kind(inputs, {"earlier": before["reuse"]}) == "incremental"
    assert stages.reuse_kind(inputs, {"earlier": []}) == ""
    # an earlier reuse artifact made from other hits lends nothing
    assert stages.reuse_kind(inputs, {"earlier": [str(tmp_path / "inc" / "reuse_step")]}) == ""
    # ... nor one of other code
    made = tmp_path / "first" / "reuse_step" / "reuse_parts.json"
    made.write_text(made.read_text().replace(reuse._code_version(), "other-code"))
    assert reuse._reuse_base(before["reuse"], reuse._code_version(), meta["base"]) is None
    assert stages.reuse_kind(inputs, {"earlier": before["reuse"]}) == ""


def test_rows_are_stored_by_hash_and_only_the_read_documents_rows_are_compared(tmp_path, monkeypatch):
    """A night takes most of a partition's rows from the earlier rows/PPPP.npy. Stored in hash order,
    those rows come back as one sorted run (the group sort then costs ~1/40 of sorting them anew),
    and a document whose rows were taken from there has the earlier rows by construction: _same_rows
    sums only the rows of the documents read (a new shard, a changed text, one that lost every row
    of a partition), with the answer of summing them all. Incremental == cold, byte for byte."""
    shards = corpus_docs()
    changed = [[dict(d) for d in s] for s in shards]
    changed[1][3]["text"] = changed[1][3]["text"][:-300]  # a text cut: its rows of some partitions are gone
    first_dirs = [write_shard(tmp_path / f"s{k}", docs) for k, docs in enumerate(shards[:2])]
    run_steps(first_dirs, tmp_path / "first")
    before = {"reuse_hits": [str(tmp_path / "first" / "hits")], "reuse": [str(tmp_path / "first" / "reuse_step")]}

    calls = []
    plain = reuse._same_rows

    def checked(base, lo, ids, dochash, h, d, pos, read_docs=None):
        got = plain(base, lo, ids, dochash, h, d, pos, *(() if read_docs is None else (read_docs,)))
        assert (got == plain(base, lo, ids, dochash, h, d, pos)).all()  # every row summed
        calls.append((read_docs, d))
        return got

    monkeypatch.setattr(reuse, "_same_rows", checked)
    dirs = [write_shard(tmp_path / f"t{k}", docs) for k, docs in enumerate(changed)]
    inc = run_steps(dirs, tmp_path / "inc", before)
    run_steps(dirs, tmp_path / "cold")
    assert table_bytes(tmp_path / "inc" / "reuse_step") == table_bytes(tmp_path / "cold" / "reuse_step")
    assert 0 < inc["reuse_hits"]["anchor_rows_read"] < inc["reuse_hits"]["anchor_rows"]
    assert len(calls) > 1 and all(read is not None for read, _ in calls)
    read = np.unique(np.concatenate([np.flatnonzero(r) for r, _ in calls]))
    listed = {x: i for i, x in enumerate(reuse._doc_codes(dirs)[0].to_pylist())}
    cut = listed[changed[1][3]["doc_id"]]
    new = [listed[d["doc_id"]] for d in changed[2]]
    assert cut in read and set(new) <= set(read.tolist()) and len(read) < len(listed)
    # the rows summed now are the rows read (shard 0, the same file, and shard 1's other documents: taken)
    assert sum(int(r[d].sum()) for r, d in calls) == inc["reuse_hits"]["anchor_rows_read"]
    for run in ("first", "inc", "cold"):
        for f in sorted((tmp_path / run / "hits" / "rows").glob("[0-9][0-9][0-9][0-9].npy")):
            h = np.load(f)["hash"]
            assert (h[1:] >= h[:-1]).all(), f

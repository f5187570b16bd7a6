"""Deduplication on small real pairs from data/samples (no ../shared needed): real rensa, real Parquet."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import opencc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from tasks import dedupe
from tasks.normalize import normalize_text
from tasks.schema import DOCUMENTS, DUPLICATES

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
NOTICE = "因篇幅问题不能全部显示,请点此查看更多更全内容"


def sample(name: str) -> str:
    path = next(SAMPLES.rglob(f"{name}*"))
    return path.read_text(encoding="utf-8")


def table(docs: dict[str, str]) -> pa.Table:
    """The stage's input, made by the real normalize stage from raw pages."""
    ids = sorted(docs)
    norm = [normalize_text(docs[i]) for i in ids]
    return pa.table(
        {
            "doc_id": ids,
            "text": [n.text for n in norm],
            "quality_flags": pa.array([sorted(n.flags) for n in norm], pa.list_(pa.string())),
            "n_chars": pa.array([len(n.text) for n in norm], pa.int32()),
        }
    )


def run(tmp_path: Path, docs: dict[str, str], prev: str | None = None, name: str = "run", also: tuple = ()):
    """Sign `docs` into one shard file and cluster it with the shard files in `also` (the flow passes
    every shard's signature file on every run)."""
    sig = dedupe.shard_signatures(table(docs))
    path = tmp_path / f"{name}-sig.parquet"
    pq.write_table(sig, path)
    state = tmp_path / f"{name}-state"
    assignments, duplicates = dedupe.cluster_documents([str(path), *also], prev, str(state))
    return assignments, duplicates, str(state)


def by_id(assignments: pa.Table) -> dict[str, dict]:
    return {r["doc_id"]: r for r in assignments.to_pylist()}


def traditional_with_pinyin(text: str, seed: int = 1) -> str:
    """Damage like seed 002: Traditional script with tone-marked pinyin after converted characters."""
    rng = random.Random(seed)
    trad = opencc.OpenCC("s2t").convert(text)
    out = []
    for simp, tch in zip(text, trad):
        out.append(tch)
        if tch != simp and rng.random() < 0.6:
            out.append(f"({pinyin(simp, style=Style.TONE)[0][0]})")
    return "".join(out)


HUAIAN = "其他地市__淮安市__2016"
HUAINAN = "其他地市__淮南市__2016"
SH_GOV = "主要城市__上海市__2026"
SH_NEWS = "2026_上海市_政府工作报告"
NPC_A = "gwr_001"
NPC_B = "gwr_003"


# --- fingerprint ---------------------------------------------------------------------------------


def test_fingerprint_folds_site_damage():
    clean = "１９５６年，我们要发展经济、服务人民！"
    damaged = "1956年,我们要 开展经济、效劳人民!\n" + NOTICE
    assert dedupe.fingerprint_text(clean) == dedupe.fingerprint_text(damaged) == "1956年我们要发展经济服务人民"
    assert dedupe.fingerprint_text("×月×日，XX县区长") == "月日县区长"


@pytest.mark.parametrize("bad", [None, "", 5, "，。！ \n\t", "Public domain"])
def test_fingerprint_of_nothing_is_empty(bad):
    assert dedupe.fingerprint_text(bad) == ""


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fingerprint_keeps_only_ideographs_and_digits(text):
    fp = dedupe.fingerprint_text(text)
    assert all(ch.isdigit() or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in fp)


# --- signatures ----------------------------------------------------------------------------------


def test_signatures_are_deterministic_and_complete():
    docs = {"a": sample(HUAIAN), "b": sample(NPC_A), "empty": ""}
    first, second = dedupe.shard_signatures(table(docs)), dedupe.shard_signatures(table(docs))
    assert first.equals(second)
    assert first.schema.equals(dedupe.SIGNATURE_SCHEMA, check_metadata=False)
    rows = {r["doc_id"]: r for r in first.to_pylist()}
    assert len(rows["a"]["bands"]) == dedupe.BANDS and len(rows["a"]["minhash"]) == dedupe.NUM_PERM
    assert rows["empty"]["bands"] == [] and rows["empty"]["sample"] == []  # empty text buckets with nothing
    assert rows["a"]["sample"] == sorted(rows["a"]["sample"])


def test_signatures_survive_bad_rows():
    bad = pa.table({"doc_id": ["x", None, ""], "text": [None, "文本", "文本"]})
    sig = dedupe.shard_signatures(bad)  # no quality_flags / n_chars columns, null text, null id
    assert sig.column("doc_id").to_pylist() == ["x"]
    assert dedupe.shard_signatures(pa.table({"other": [1]})).num_rows == 0


def test_shingle_hashes_match_a_plain_python_reference():
    fp = dedupe.fingerprint_text(sample(NPC_A))[:40]
    got = dedupe.shingle_hashes(fp)
    ref = []
    for i in range(len(fp) - dedupe.SHINGLE + 1):
        h = 0
        for ch in fp[i : i + dedupe.SHINGLE]:
            h = (h * 0x100000001B3 + ord(ch)) % 2**64
        ref.append(h)
    assert np.array_equal(got, dedupe._mix64(np.array(ref, dtype=np.uint64)))


# --- merging ---------------------------------------------------------------------------------------


def test_within_source_exact_pair_merges(tmp_path):
    a, d, _ = run(tmp_path, {HUAIAN: sample(HUAIAN), HUAINAN: sample(HUAINAN), NPC_A: sample(NPC_A)})
    rows = by_id(a)
    assert rows[HUAIAN]["cluster_id"] == rows[HUAINAN]["cluster_id"] != rows[NPC_A]["cluster_id"]
    dup = [r for r in (rows[HUAIAN], rows[HUAINAN]) if not r["is_canonical"]]
    assert len(dup) == 1 and dup[0]["dup_reason"] == "exact" and dup[0]["dup_containment"] == 1.0
    assert sorted(d.column("doc_id").to_pylist()) == sorted([HUAIAN, HUAINAN])


def test_cross_source_and_full_width_digit_pairs_merge(tmp_path):
    docs = {k: sample(k) for k in (SH_GOV, SH_NEWS, "gwr_069", "国务院__1956", HUAIAN)}
    rows = by_id(run(tmp_path, docs)[0])
    assert rows[SH_GOV]["cluster_id"] == rows[SH_NEWS]["cluster_id"]
    assert rows["gwr_069"]["cluster_id"] == rows["国务院__1956"]["cluster_id"]
    assert len({r["cluster_id"] for r in rows.values()}) == 3
    member = rows[SH_NEWS] if not rows[SH_NEWS]["is_canonical"] else rows[SH_GOV]
    assert member["dup_reason"] == "near" and member["dup_jaccard"] > 0.9


def test_truncated_copy_is_contained_and_never_canonical(tmp_path):
    full = sample(HUAIAN)
    cut = full[: int(len(full) * 0.45)] + "\n" + NOTICE
    rows = by_id(run(tmp_path, {"full": full, "cut": cut, "other": sample(SH_GOV)})[0])
    assert rows["cut"]["cluster_id"] == rows["full"]["cluster_id"] != rows["other"]["cluster_id"]
    assert rows["full"]["is_canonical"] and not rows["cut"]["is_canonical"]
    assert rows["cut"]["dup_reason"] == "contained" and rows["cut"]["dup_of"] == "full"
    assert rows["cut"]["dup_containment"] > 0.9 and rows["cut"]["dup_jaccard"] < 0.6


def test_truncated_copy_that_is_longer_still_loses_canonical(tmp_path):
    """A truncated page with chrome can outgrow a clean copy; canonical goes to the complete one."""
    full = sample(NPC_A)
    cut = full[: int(len(full) * 0.7)] + "\n" + NOTICE
    rows = by_id(run(tmp_path, {"a-full": full, "b-cut": cut})[0])
    assert rows["a-full"]["is_canonical"] and rows["b-cut"]["dup_of"] == "a-full"


def test_traditional_with_pinyin_copy_merges(tmp_path):
    body = normalize_text(sample(SH_GOV)).text
    rows = by_id(run(tmp_path, {"simp": body, "trad": traditional_with_pinyin(body), "other": sample(HUAIAN)})[0])
    assert rows["trad"]["cluster_id"] == rows["simp"]["cluster_id"] != rows["other"]["cluster_id"]


def test_template_similar_resolutions_and_their_truncations_stay_apart(tmp_path):
    a, b = sample(NPC_A), sample(NPC_B)
    text_a = normalize_text(a).text
    docs = {"npc-a": a, "npc-b": b}
    for frac in (0.4, 0.55, 0.75):  # short truncations of A look like B's template too
        docs[f"npc-a-cut{frac}"] = text_a[: int(len(text_a) * frac)] + "\n" + NOTICE
    rows = by_id(run(tmp_path, docs)[0])
    assert rows["npc-a"]["cluster_id"] != rows["npc-b"]["cluster_id"]
    for frac in (0.4, 0.55, 0.75):
        assert rows[f"npc-a-cut{frac}"]["cluster_id"] == rows["npc-a"]["cluster_id"]


# --- output contract, stability, determinism ------------------------------------------------------


def test_output_schemas_and_every_document_clustered(tmp_path):
    docs = {HUAIAN: sample(HUAIAN), HUAINAN: sample(HUAINAN), "seed": sample("000_"), "empty": ""}
    a, d, _ = run(tmp_path, docs)
    assert a.schema.equals(pa.schema([DOCUMENTS.field(c) for c in dedupe.ASSIGNMENT_COLUMNS]))
    assert d.schema.equals(DUPLICATES)
    assert a.column("doc_id").to_pylist() == sorted(docs)
    assert all(a.column("cluster_id").to_pylist())
    rows = by_id(a)
    assert rows["empty"]["is_canonical"] and rows["empty"]["dup_of"] is None
    for r in rows.values():
        assert r["is_canonical"] == (r["dup_of"] is None) == (r["dup_reason"] is None)


def test_same_inputs_give_byte_identical_tables_and_state(tmp_path):
    docs = {HUAIAN: sample(HUAIAN), HUAINAN: sample(HUAINAN), NPC_A: sample(NPC_A), NPC_B: sample(NPC_B)}
    a1, d1, s1 = run(tmp_path, docs, name="one")
    a2, d2, s2 = run(tmp_path, docs, name="two")
    assert a1.equals(a2) and d1.equals(d2)
    files1 = sorted(p.relative_to(s1) for p in Path(s1).rglob("*") if p.is_file())
    files2 = sorted(p.relative_to(s2) for p in Path(s2).rglob("*") if p.is_file())
    assert files1 == files2
    for f in files1:
        assert (Path(s1) / f).read_bytes() == (Path(s2) / f).read_bytes(), f


def test_incremental_run_keeps_cluster_ids_and_finds_old_copies(tmp_path):
    full = sample(HUAIAN)
    first = {"old-full": full, "old-npc": sample(NPC_A), "old-sh": sample(SH_GOV)}
    a1, _, state1 = run(tmp_path, first, name="first")
    ids1 = {r["doc_id"]: r["cluster_id"] for r in a1.to_pylist()}
    fp = {r["doc_id"]: r["fp_hash"] for r in dedupe.shard_signatures(table(first)).to_pylist()}
    assert ids1["old-full"] == f"{fp['old-full']:016x}"  # brand-new cluster: named by its content
    second = {
        "new-cut": full[: len(full) // 2] + "\n" + NOTICE,
        "new-copy": sample(HUAINAN),
        "new-sh": sample(SH_NEWS),
        "new-alone": sample("001_"),
    }
    first_sig = str(tmp_path / "first-sig.parquet")
    a2, d2, state2 = run(tmp_path, second, prev=state1, name="second", also=(first_sig,))
    rows = by_id(a2)
    assert sorted(rows) == sorted([*first, *second])  # every present document, old ones as they are
    assert rows["new-cut"]["cluster_id"] == rows["new-copy"]["cluster_id"] == ids1["old-full"]
    assert rows["new-sh"]["cluster_id"] == ids1["old-sh"]
    assert rows["old-npc"] == by_id(a1)["old-npc"]
    assert rows["new-alone"]["is_canonical"] and rows["new-alone"]["cluster_id"] not in ids1.values()
    # only the new documents were added to the index, and the stats say what was new
    docs_rows = sum(pq.read_table(p).num_rows for p in Path(state2, "docs").glob("*.parquet"))
    assert docs_rows == len(first) + len(second)
    assert pq.read_table(Path(state2, "registry.parquet")).num_rows == len(first) + len(second)
    stats = json.loads(Path(state2, "stats.json").read_text())
    assert stats["documents_new"] == len(second) and stats["documents_absent"] == 0
    # the same inputs again: nothing new, the same tables
    both = [first_sig, str(tmp_path / "second-sig.parquet")]
    again, dup_again = dedupe.cluster_documents(both, state2, str(tmp_path / "third"))
    assert again.equals(a2) and dup_again.equals(d2)
    # no signature file at all: nothing present, nothing returned
    a4, d4 = dedupe.cluster_documents([], state2, str(tmp_path / "fourth"))
    assert a4.num_rows == 0 and d4.num_rows == 0


# --- documents whose file was removed from the landing folder ---------------------------------------

FULL, COPY, CUT = "a-full", "b-copy", "cut"  # canonical order: equal lengths, then doc_id


def three_copies() -> dict[str, str]:
    """One speech three times: FULL (canonical), an exact copy from another site, a truncated copy."""
    full = sample(HUAIAN)
    return {
        FULL: full,
        COPY: sample(HUAINAN),
        CUT: full[: int(len(full) * 0.5)] + "\n" + NOTICE,
        "other": sample(NPC_A),
    }


def assert_only_present(assignments: pa.Table, duplicates: pa.Table, present: set[str]) -> None:
    """(a) no absent document is returned, (b) nothing returned points at one."""
    assert set(assignments.column("doc_id").to_pylist()) == present
    assert set(duplicates.column("doc_id").to_pylist()) <= present
    pointers = (
        assignments.column("dup_of").to_pylist()
        + duplicates.column("canonical_id").to_pylist()
        + duplicates.column("matched_with").to_pylist()
    )
    assert {p for p in pointers if p is not None} <= present
    for cid in set(assignments.column("cluster_id").to_pylist()):
        members = [r for r in assignments.to_pylist() if r["cluster_id"] == cid]
        assert sum(r["is_canonical"] for r in members) == 1, cid


def test_removed_copy_is_not_returned_and_cluster_keeps_its_id(tmp_path):
    docs = three_copies()
    a1, _d1, s1 = run(tmp_path, docs, name="all")
    before = by_id(a1)
    assert before[FULL]["is_canonical"] and before[COPY]["dup_of"] == before[CUT]["dup_of"] == FULL
    present = {k: v for k, v in docs.items() if k != COPY}  # the exact copy's file was deleted
    a2, d2, s2 = run(tmp_path, present, prev=s1, name="removed")
    assert_only_present(a2, d2, set(present))
    after = by_id(a2)
    assert after[FULL]["cluster_id"] == after[CUT]["cluster_id"] == before[FULL]["cluster_id"]
    assert after[FULL]["is_canonical"] and after[CUT] == before[CUT]  # nothing to re-elect
    assert sorted(d2.column("doc_id").to_pylist()) == sorted([CUT, FULL])
    assert json.loads(Path(s2, "stats.json").read_text())["documents_absent"] == 1
    # a copy left alone by the removals is no longer listed as a duplicate
    alone = {k: v for k, v in docs.items() if k in (FULL, "other")}
    a3, d3, _ = run(tmp_path, alone, prev=s2, name="alone")
    assert_only_present(a3, d3, set(alone))
    assert d3.num_rows == 0 and by_id(a3)[FULL]["cluster_id"] == before[FULL]["cluster_id"]


def test_removed_canonical_is_re_elected_and_comes_back(tmp_path):
    docs = three_copies()
    a1, _d1, s1 = run(tmp_path, docs, name="all")
    cid = by_id(a1)[FULL]["cluster_id"]
    present = {k: v for k, v in docs.items() if k != FULL}  # the canonical's file was deleted
    a2, d2, s2 = run(tmp_path, present, prev=s1, name="removed")
    assert_only_present(a2, d2, set(present))
    rows = by_id(a2)
    assert rows[COPY]["is_canonical"] and rows[COPY]["cluster_id"] == rows[CUT]["cluster_id"] == cid
    assert rows[CUT]["dup_of"] == COPY and rows[CUT]["dup_reason"] == "contained"
    assert rows["other"] == by_id(a1)["other"]
    # the same inputs again give the same tables (the re-election was stored)
    again = dedupe.cluster_documents([str(tmp_path / "removed-sig.parquet")], s2, str(tmp_path / "again"))
    assert again[0].equals(a2) and again[1].equals(d2)
    # the file comes back: the complete copy is canonical again, the cluster id never changed
    a3, d3, _ = run(tmp_path, docs, prev=s2, name="back")
    assert_only_present(a3, d3, set(docs))
    assert a3.equals(a1)


def test_new_copy_of_a_removed_canonical_joins_its_cluster(tmp_path):
    docs = three_copies()
    a1, _, s1 = run(tmp_path, docs, name="all")
    cid = by_id(a1)[FULL]["cluster_id"]
    # FULL and COPY are gone; a new truncated copy arrives that only the absent ones contain fully
    body = docs[FULL]
    present = {CUT: docs[CUT], "other": docs["other"], "new-cut": body[: int(len(body) * 0.6)] + "\n" + NOTICE}
    a2, d2, _s2 = run(tmp_path, present, prev=s1, name="new")
    assert_only_present(a2, d2, set(present))
    rows = by_id(a2)
    assert rows["new-cut"]["cluster_id"] == rows[CUT]["cluster_id"] == cid
    assert rows["new-cut"]["is_canonical"] and rows[CUT]["dup_of"] == "new-cut"  # the longer truncation


def test_stale_clusters_reads_only_the_registry():
    reg = pa.Table.from_pylist(
        [
            {
                "doc_id": "a",
                "cluster_id": "c1",
                "group_id": "g",
                "fp_hash": 1,
                "n_chars": 100,
                "truncated": False,
                "n_flags": 0,
                "is_canonical": True,
                "dup_of": None,
                "dup_jaccard": None,
                "dup_containment": None,
                "dup_reason": None,
                "matched_with": None,
            },
            {
                "doc_id": "b",
                "cluster_id": "c1",
                "group_id": "g",
                "fp_hash": 2,
                "n_chars": 90,
                "truncated": False,
                "n_flags": 0,
                "is_canonical": False,
                "dup_of": "a",
                "dup_jaccard": 0.9,
                "dup_containment": 0.9,
                "dup_reason": "near",
                "matched_with": "a",
            },
            {
                "doc_id": "c",
                "cluster_id": "c1",
                "group_id": "g",
                "fp_hash": 3,
                "n_chars": 50,
                "truncated": True,
                "n_flags": 1,
                "is_canonical": False,
                "dup_of": "a",
                "dup_jaccard": 0.4,
                "dup_containment": 0.95,
                "dup_reason": "contained",
                "matched_with": "b",
            },
        ],
        schema=dedupe.REGISTRY_SCHEMA,
    )
    stale = lambda ids: dedupe._stale_clusters(reg, pa.array(ids, pa.string())).to_pylist()  # noqa: E731
    assert stale(["a", "b", "c"]) == [] and stale(["a", "b"]) == []  # a non-canonical left: consistent
    assert stale(["a", "c"]) == ["a"]  # c was matched with the absent b: re-assign (matched_with)
    assert stale(["b", "c"]) == ["b"]  # the canonical left: re-elect (one present doc names the cluster)
    assert stale(["a", "b"]) == []
    assert stale(["b"]) == ["b"]  # alone now, but stored as a copy of a
    assert (
        stale([]) == []
        and dedupe._stale_clusters(dedupe.REGISTRY_SCHEMA.empty_table(), pa.array(["a"])).to_pylist() == []
    )


def test_bad_state_and_missing_signature_files_do_not_raise(tmp_path):
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "registry.parquet").write_bytes(b"not parquet")
    a, d = dedupe.cluster_documents([str(tmp_path / "missing.parquet")], str(junk), str(tmp_path / "out"))
    assert a.num_rows == 0 and d.num_rows == 0
    a, _, _ = run(tmp_path, {"x": sample(HUAIAN)}, prev=str(junk))
    assert a.num_rows == 1


def test_components_label_propagation_handles_long_chains():
    n = 1000
    chain = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1)[::-1].copy()
    labels = dedupe._components(n + 3, np.concatenate([chain, [[n + 1, n + 2]]]))
    assert (labels[:n] == 0).all() and labels[n] == n and labels[n + 1] == labels[n + 2] == n + 1


def test_pairs_from_groups_lists_every_pair_once():
    keys = np.array([5, 5, 5, 7, 7, 9])
    members = np.array([0, 1, 2, 1, 3, 4])
    pairs = dedupe._unique_pairs(dedupe._pairs_from_groups(keys, members), 10)
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2], [1, 3]]


def test_count_codes_dense_and_sorted_paths_agree_with_numpy():
    rng = np.random.default_rng(7)
    code = rng.integers(0, 5000, 20000)
    want = np.unique(code, return_counts=True)
    for size in (5000, 10**12):  # bincount path, then the sort path (too many bins)
        got = dedupe._count_codes(code, size)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert [len(x) for x in dedupe._count_codes(np.zeros(0, np.int64), 10)] == [0, 0]


def test_anchor_pairs_match_a_plain_python_reference():
    rng = np.random.default_rng(3)
    n = 40
    keys = rng.integers(0, 300, 3000).astype(np.uint64)
    members = rng.integers(0, n, 3000)
    keys[:200] = 999  # one boilerplate anchor held by 200 rows: must be ignored
    holders: dict[int, set] = {}
    rows_of: dict[int, int] = {}
    for k, m in zip(keys.tolist(), members.tolist()):
        holders.setdefault(k, set()).add(m)
        rows_of[k] = rows_of.get(k, 0) + 1
    rare = {k for k, c in rows_of.items() if c <= dedupe.ANCHOR_MAX_DF}
    per_doc = [0] * n
    for k, m in zip(keys.tolist(), members.tolist()):
        per_doc[m] += k in rare
    shared: dict[tuple, int] = {}
    for k in rare:
        hs = sorted(holders[k])
        for i, a in enumerate(hs):
            for b in hs[i + 1 :]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    want = sorted(
        p
        for p, c in shared.items()
        if c >= max(dedupe.MIN_SHARED_ANCHORS, dedupe.MIN_ANCHOR_SHARE * min(per_doc[p[0]], per_doc[p[1]]))
    )
    got = dedupe._anchor_pairs(keys, members, n)
    assert [tuple(p) for p in got.tolist()] == want and len(want) > 0

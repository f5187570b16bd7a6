"""Deduplication on small real pairs from data/samples (no ../shared needed): real rensa, real Parquet."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import opencc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from tasks import dedupe, dedupe_cluster
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


def sign(tmp_path: Path, docs: dict[str, str], name: str) -> str:
    path = tmp_path / f"{name}-sig.parquet"
    pq.write_table(dedupe.shard_signatures(table(docs)), path)
    return str(path)


def outputs(out: str | Path, parts: int) -> tuple[pa.Table, pa.Table]:
    """All assignment parts (concatenated, sorted by doc_id) and the duplicates table."""
    tables = [pq.read_table(Path(out) / "assignments" / f"{i:05d}.parquet") for i in range(parts)]
    a = pa.concat_tables(tables).sort_by("doc_id") if tables else dedupe_cluster.ASSIGNMENTS_SCHEMA.empty_table()
    return a, pq.read_table(Path(out) / "duplicates.parquet")


def run(tmp_path: Path, docs: dict[str, str], prev: str | None = None, name: str = "run", shards: int = 2):
    """Sign `docs` into `shards` signature files (documents dealt round-robin by doc_id) and cluster
    them; returns the assignments, the duplicates and the state folder for a next run."""
    ids = sorted(docs)
    files = [sign(tmp_path, {d: docs[d] for d in ids[k::shards]}, f"{name}-{k}") for k in range(shards)]
    out = tmp_path / f"{name}-out"
    dedupe_cluster.cluster_corpus(files, prev, str(out))
    a, d = outputs(out, len(files))
    return a, d, str(out / "state")


def by_id(assignments: pa.Table) -> dict[str, dict]:
    return {r["doc_id"]: r for r in assignments.to_pylist()}


def traditional_with_pinyin(text: str, seed: int = 1) -> str:
    """Damage like seed 002: Traditional script with tone-marked pinyin after converted characters."""
    rng = random.Random(seed)
    trad = opencc.OpenCC("s2t").convert(text)
    out = []
    for simp, tch in zip(text, trad, strict=False):
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


def test_a_copy_whose_pinyin_was_removed_is_canonical_before_a_copy_with_lost_characters(tmp_path):
    """pinyin_removed records what normalize removed whole; `?` for lost characters is damage left in the text."""
    body = normalize_text(sample(SH_GOV)).text
    lossy = re.sub("[\u4e00-\u9fff]{12}", lambda m: m.group(0)[:6] + "\ufffd" + m.group(0)[7:], body, count=30)
    lossy += "\n各位代表，让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力谱写新篇章！"  # the longer copy
    docs = {"a-lossy": lossy, "b-trad": traditional_with_pinyin(body)}
    flags = {i: sorted(normalize_text(t).flags) for i, t in docs.items()}
    assert flags == {"a-lossy": ["lost_chars"], "b-trad": ["pinyin_removed"]}
    rows = by_id(run(tmp_path, docs)[0])
    assert rows["a-lossy"]["cluster_id"] == rows["b-trad"]["cluster_id"]
    assert rows["b-trad"]["is_canonical"] and not rows["a-lossy"]["is_canonical"]
    assert (
        dedupe.flag_rank(["pinyin_removed"])
        < dedupe.flag_rank(["lost_chars"])
        < dedupe.flag_rank(["lost_chars", "pinyin_removed"])
    )


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
    assert a.schema.equals(pa.schema([DOCUMENTS.field(c) for c in dedupe_cluster.ASSIGNMENT_COLUMNS]))
    assert d.schema.equals(DUPLICATES)
    assert a.column("doc_id").to_pylist() == sorted(docs)
    assert all(a.column("cluster_id").to_pylist())
    rows = by_id(a)
    assert rows["empty"]["is_canonical"] and rows["empty"]["dup_of"] is None
    for r in rows.values():
        assert r["is_canonical"] == (r["dup_of"] is None) == (r["dup_reason"] is None)


def test_one_assignment_part_per_signature_file_with_its_own_documents(tmp_path):
    files = [
        sign(tmp_path, {"b": sample(HUAIAN), "a": sample(NPC_A)}, "s0"),
        sign(tmp_path, {}, "s1"),  # an empty shard still gets its (empty) part
        sign(tmp_path, {"c": sample(HUAINAN)}, "s2"),
    ]
    stats = dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "out"))
    parts = [pq.read_table(tmp_path / "out" / "assignments" / f"{i:05d}.parquet") for i in range(3)]
    assert [p.column("doc_id").to_pylist() for p in parts] == [["a", "b"], [], ["c"]]
    rows = by_id(pa.concat_tables(parts))
    assert rows["c"]["cluster_id"] == rows["b"]["cluster_id"] and rows["c"]["dup_reason"] == "exact"
    assert stats["docs"] == 3 and stats["clusters"] == 2 and stats["duplicates"] == 1
    assert stats["duplicate_reasons"] == {"exact": 1} and stats["cluster_sizes"] == {"1": 1, "2": 1}
    # the cluster id is its first member's id hash in the listing (file s0 before s2)
    assert rows["b"]["cluster_id"] == f"{xxhash.xxh3_64_intdigest(b'b'):016x}"


def _ids_by_hash(n: int) -> list[str]:
    """n doc ids in decreasing order of their id hash: each later one would win a smallest-hash rule."""
    ids = [f"d{i}" for i in range(4 * n)]
    return sorted(ids, key=lambda d: -xxhash.xxh3_64_intdigest(d.encode()))[:n]


def test_a_cluster_keeps_its_id_when_copies_arrive_later_in_the_listing(tmp_path):
    """Copies of one speech arrive night after night in new files, each copy's id hash smaller than
    every earlier one's: the cluster's id stays its first member's (a smallest-hash id would move
    every night), in the incremental run and in a cold one on the same files."""
    first, *later = _ids_by_hash(4)
    text = sample(HUAIAN)
    files = [sign(tmp_path, {first: text, "other": sample(NPC_A)}, "night0")]
    state = None
    want = f"{xxhash.xxh3_64_intdigest(first.encode()):016x}"
    for night, doc in enumerate(later, 1):
        files.append(sign(tmp_path, {doc: text}, f"night{night}"))
        stats = dedupe_cluster.cluster_corpus(files, state, str(tmp_path / f"out{night}"))
        cold = dedupe_cluster.cluster_corpus(files, None, str(tmp_path / f"cold{night}"))
        assert stats["duplicates"] == cold["duplicates"] == night
        a, d = outputs(tmp_path / f"out{night}", len(files))
        rows = by_id(a)
        assert {rows[x]["cluster_id"] for x in [first, *later[:night]]} == {want}
        assert set(d.column("cluster_id").to_pylist()) == {want}
        assert rows["other"]["cluster_id"] != want
        assert outputs(tmp_path / f"cold{night}", len(files))[0].equals(a)
        state = str(tmp_path / f"out{night}" / "state")


def test_a_merge_keeps_the_id_of_the_cluster_that_comes_first(tmp_path):
    """A page bridging two clusters (a full copy joining a head-cut and a tail-cut one) merges them
    under the id of the member that comes first in the listing."""
    text = sample(HUAIAN)
    cut = len(text) // 2
    late, early, bridge = _ids_by_hash(3)  # the earliest file's member has the largest hash
    files = [
        sign(tmp_path, {early: text[:cut]}, "a"),
        sign(tmp_path, {late: text[cut:]}, "b"),
    ]
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "apart"))
    rows = by_id(outputs(tmp_path / "apart", 2)[0])
    assert rows[early]["cluster_id"] != rows[late]["cluster_id"]
    files.append(sign(tmp_path, {bridge: text}, "c"))
    dedupe_cluster.cluster_corpus(files, str(tmp_path / "apart" / "state"), str(tmp_path / "merged"))
    rows = by_id(outputs(tmp_path / "merged", 3)[0])
    want = f"{xxhash.xxh3_64_intdigest(early.encode()):016x}"
    assert rows[early]["cluster_id"] == rows[late]["cluster_id"] == rows[bridge]["cluster_id"] == want


def test_same_inputs_give_byte_identical_outputs_and_reuse_them(tmp_path):
    docs = {HUAIAN: sample(HUAIAN), HUAINAN: sample(HUAINAN), NPC_A: sample(NPC_A), NPC_B: sample(NPC_B)}
    _, _, s1 = run(tmp_path, docs, name="one")
    _, _, s2 = run(tmp_path, docs, name="two")
    o1, o2 = Path(s1).parent, Path(s2).parent
    names = ["assignments/00000.parquet", "assignments/00001.parquet", "duplicates.parquet"]
    assert all((o1 / n).read_bytes() == (o2 / n).read_bytes() for n in names)
    files = [str(tmp_path / f"one-{k}-sig.parquet") for k in range(2)]
    stats = dedupe_cluster.cluster_corpus(files, s1, str(tmp_path / "three"))
    assert stats["reexamined_docs"] == 0 and stats["docs"] == 4  # unchanged signatures: reused
    assert all((o1 / n).read_bytes() == (tmp_path / "three" / n).read_bytes() for n in names)


def part_bytes(out: Path, parts: int) -> list[bytes]:
    return [(out / "assignments" / f"{i:05d}.parquet").read_bytes() for i in range(parts)] + [
        (out / "duplicates.parquet").read_bytes()
    ]


def test_corpus_built_in_steps_gives_the_bytes_of_a_cold_run(tmp_path):
    """Additions, a rewritten file and a deletion, each run on the previous state, end with the
    same bytes as one cold run on the final documents (cluster ids and canonicals from content)."""
    full = sample(HUAIAN)
    s0 = {"a-full": full, "npc-a": sample(NPC_A)}
    s1 = {"b-copy": sample(HUAINAN), "sh-gov": sample(SH_GOV)}
    s2 = {"c-cut": full[: len(full) // 2] + "\n" + NOTICE, "sh-news": sample(SH_NEWS)}
    f0, f1 = sign(tmp_path, s0, "s0"), sign(tmp_path, s1, "s1")
    dedupe_cluster.cluster_corpus([f0, f1], None, str(tmp_path / "step1"))
    f2 = sign(tmp_path, s2, "s2")  # a new shard
    dedupe_cluster.cluster_corpus([f0, f1, f2], str(tmp_path / "step1" / "state"), str(tmp_path / "step2"))
    s1b = {"b-copy": sample(NPC_B), "sh-gov": sample(SH_GOV)}  # b-copy rewritten: now another speech
    f1b = sign(tmp_path, s1b, "s1b")
    s0b = {"npc-a": sample(NPC_A)}  # a-full deleted: the cut copy loses its container
    f0b = sign(tmp_path, s0b, "s0b")
    final = [f0b, f1b, f2]
    dedupe_cluster.cluster_corpus(final, str(tmp_path / "step2" / "state"), str(tmp_path / "step3"))
    dedupe_cluster.cluster_corpus(final, None, str(tmp_path / "cold"))
    assert part_bytes(tmp_path / "step3", 3) == part_bytes(tmp_path / "cold", 3)
    a, _d = outputs(tmp_path / "cold", 3)
    rows = by_id(a)
    assert rows["sh-gov"]["cluster_id"] == rows["sh-news"]["cluster_id"]
    assert rows["c-cut"]["is_canonical"] and rows["b-copy"]["is_canonical"]  # nothing left to merge with
    # and in step 2 the cut copy and the exact copy were in the full speech's cluster
    rows2 = by_id(outputs(tmp_path / "step2", 3)[0])
    assert rows2["c-cut"]["cluster_id"] == rows2["b-copy"]["cluster_id"] == rows2["a-full"]["cluster_id"]
    assert rows2["c-cut"]["dup_reason"] == "contained"
    # a shard whose documents' assignments did not change keeps the bytes of its part
    dedupe_cluster.cluster_corpus([f0b, f1b], None, str(tmp_path / "two-shards"))
    assert part_bytes(tmp_path / "two-shards", 2)[0] == part_bytes(tmp_path / "cold", 3)[0]


def test_workers_and_dask_give_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    docs = three_copies() | {SH_GOV: sample(SH_GOV), SH_NEWS: sample(SH_NEWS)}
    ids = sorted(docs)
    files = [sign(tmp_path, {d: docs[d] for d in ids[k::3]}, f"s{k}") for k in range(3)]
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "serial"))
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "threads"), workers=2)
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "dask"), client=client)
    want = part_bytes(tmp_path / "serial", 3)
    assert part_bytes(tmp_path / "threads", 3) == want and part_bytes(tmp_path / "dask", 3) == want


def test_small_partition_budget_gives_the_same_bytes(tmp_path, monkeypatch):
    """Many partitions (every keyed table split, pairs in several batches) = one partition."""
    docs = three_copies() | {SH_GOV: sample(SH_GOV), SH_NEWS: sample(SH_NEWS), NPC_B: sample(NPC_B)}
    ids = sorted(docs)
    files = [sign(tmp_path, {d: docs[d] for d in ids[k::2]}, f"s{k}") for k in range(2)]
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "big"))
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 200)
    monkeypatch.setattr(dedupe_cluster, "PAIR_BATCH", 3)
    monkeypatch.setattr(dedupe_cluster, "EXPAND_BATCH", 100)
    monkeypatch.setattr(dedupe_cluster, "PERM_GROUP", 3)
    monkeypatch.setattr(dedupe_cluster, "SCATTER_DOCS", 2)
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "small"))
    assert part_bytes(tmp_path / "small", 2) == part_bytes(tmp_path / "big", 2)
    assert len(list((tmp_path / "small").glob("assignments/*.parquet"))) == 2


# --- documents whose file was removed from the landing folder ---------------------------------------

FULL, COPY, CUT = "a-full", "b-copy", "cut"  # canonical order: equal lengths, then doc_id


def three_copies() -> dict[str, str]:
    """One speech three times: FULL (canonical), an exact copy from another site, a truncated copy."""
    full = sample(HUAIAN)
    return {
        FULL: full,
        COPY: full,
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


def test_removed_canonical_is_re_elected_and_comes_back(tmp_path):
    docs = three_copies()
    a1, _, s1 = run(tmp_path, docs, name="all")
    rows1 = by_id(a1)
    canonical = next(d for d in (FULL, COPY) if rows1[d]["is_canonical"])  # equal copies: id hash decides
    other_copy = COPY if canonical == FULL else FULL
    assert rows1[CUT]["dup_of"] == canonical and rows1[CUT]["dup_reason"] == "contained"
    present = {k: v for k, v in docs.items() if k != canonical}  # the canonical's file was deleted
    a2, d2, s2 = run(tmp_path, present, prev=s1, name="removed")
    assert_only_present(a2, d2, set(present))
    rows = by_id(a2)
    assert rows[other_copy]["is_canonical"] and rows[CUT]["dup_of"] == other_copy
    assert rows["other"] == rows1["other"]
    # the file comes back: the same bytes as before it left
    a3, d3, _ = run(tmp_path, docs, prev=s2, name="back")
    assert a3.equals(a1) and d3.equals(outputs(Path(s1).parent, 2)[1])


def test_removed_copies_leave_a_singleton_out_of_duplicates(tmp_path):
    docs = three_copies()
    _, _, s1 = run(tmp_path, docs, name="all")
    alone = {k: v for k, v in docs.items() if k in (FULL, "other")}
    a, d, _ = run(tmp_path, alone, prev=s1, name="alone")
    assert_only_present(a, d, set(alone))
    assert d.num_rows == 0 and all(a.column("is_canonical").to_pylist())


# --- state: versioned by parameters and code, never silently skipped -------------------------------


def test_changed_threshold_rebuilds_and_unchanged_reuses(tmp_path, monkeypatch):
    docs = three_copies()
    _, _, s1 = run(tmp_path, docs, name="one")
    files = [str(tmp_path / f"one-{k}-sig.parquet") for k in range(2)]
    assert dedupe_cluster.cluster_corpus(files, s1, str(tmp_path / "same"))["reexamined_docs"] == 0
    version = dedupe_cluster.params_version()
    monkeypatch.setattr(dedupe, "MIN_CONTAINMENT", 0.95)
    assert dedupe_cluster.params_version() != version
    stats = dedupe_cluster.cluster_corpus(files, s1, str(tmp_path / "changed"))
    assert stats["reexamined_docs"] == len(docs)
    state = json.loads((tmp_path / "changed" / "state" / "state.json").read_text())
    assert state["version"] == dedupe_cluster.params_version()


def test_unreadable_state_or_signature_file_fails_loudly(tmp_path):
    _, _, s1 = run(tmp_path, {"x": sample(HUAIAN)}, name="one")
    files = [str(tmp_path / f"one-{k}-sig.parquet") for k in range(2)]
    (Path(s1) / "state.json").write_text("{not json")
    with pytest.raises(dedupe_cluster.DedupeStateError, match=r"state\.json"):
        dedupe_cluster.cluster_corpus(files, s1, str(tmp_path / "out"))
    with pytest.raises(dedupe_cluster.DedupeStateError, match=r"missing\.parquet"):
        dedupe_cluster.cluster_corpus([str(tmp_path / "missing.parquet")], None, str(tmp_path / "out2"))
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet")
    with pytest.raises(dedupe_cluster.DedupeStateError, match=r"junk\.parquet"):
        dedupe_cluster.cluster_corpus([str(junk)], None, str(tmp_path / "out3"))
    # a state whose output part is gone is damaged: said, not skipped
    _, _, s2 = run(tmp_path, {"x": sample(HUAIAN)}, name="two")
    (Path(s2) / "outputs" / "assignments" / "00000.parquet").unlink()
    files = [str(tmp_path / f"two-{k}-sig.parquet") for k in range(2)]
    with pytest.raises(dedupe_cluster.DedupeStateError, match="damaged"):
        dedupe_cluster.cluster_corpus(files, s2, str(tmp_path / "out4"))


def test_no_signature_files_give_empty_outputs(tmp_path):
    stats = dedupe_cluster.cluster_corpus([], None, str(tmp_path / "out"))
    assert stats["docs"] == 0 and pq.read_table(tmp_path / "out" / "duplicates.parquet").num_rows == 0


def test_components_label_propagation_handles_long_chains():
    n = 1000
    chain = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1)[::-1].copy()
    edges = np.concatenate([chain, [[n + 1, n + 2]]])
    batches = lambda: [(edges[:500, 0], edges[:500, 1]), (edges[500:, 0], edges[500:, 1])]  # noqa: E731
    labels = dedupe_cluster._components(n + 3, batches)
    assert (labels[:n] == 0).all() and labels[n] == n and labels[n + 1] == labels[n + 2] == n + 1


def test_pairs_from_groups_lists_every_pair_once():
    keys = np.array([5, 5, 5, 7, 7, 9])
    members = np.array([0, 1, 2, 1, 3, 4])
    codes = dedupe_cluster._unique_codes(dedupe._pairs_from_groups(keys, members))
    assert [(int(c) >> 32, int(c) & 0xFFFFFFFF) for c in codes] == [(0, 1), (0, 2), (1, 2), (1, 3)]


def test_anchor_pairs_match_a_plain_python_reference(tmp_path, monkeypatch):
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 500)  # pair codes in several chunks
    rng = np.random.default_rng(3)
    n = 120  # so the 200 rows of key 999 are held by more than ANCHOR_MAX_DF documents
    keys = rng.integers(0, 300, 3000).astype(np.uint64)
    members = rng.integers(0, n, 3000)
    keys[:200] = 999  # one boilerplate anchor held by 200 rows: must be ignored
    # a document holds each anchor once (winnowed anchors are unique per document)
    pairs = sorted(set(zip(keys.tolist(), members.tolist(), strict=True)))
    keys = np.array([k for k, _ in pairs], dtype=np.uint64)
    members = np.array([m for _, m in pairs])
    holders: dict[int, set] = {}
    rows_of: dict[int, int] = {}
    for k, m in zip(keys.tolist(), members.tolist(), strict=False):
        holders.setdefault(k, set()).add(m)
        rows_of[k] = rows_of.get(k, 0) + 1
    rare = {k for k, c in rows_of.items() if c <= dedupe.ANCHOR_MAX_DF}
    per_doc = [0] * n  # the pre-filter's denominator: every anchor of the document, rare or not
    for m in members.tolist():
        per_doc[m] += 1
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
    # the kernels: two anchor partitions (a key is in one), pair codes counted across them
    runs = []
    for p in range(2):
        d = tmp_path / f"anchors-{p}"
        d.mkdir()
        sel = (keys % 2) == p
        np.save(d / "000000.npy", np.stack([keys[sel], members[sel].astype(np.uint64)]))
        runs.append(d)
    got_per_doc = np.zeros(n, np.int64)
    for p, d in enumerate(runs):
        got_per_doc += np.bincount(dedupe_cluster._anchor_kernel((d, tmp_path / f"codes-{p}", n)), minlength=n)
    assert got_per_doc.tolist() == per_doc
    codes = dedupe_cluster._chunk_files([tmp_path / f"codes-{p}" for p in range(2)])
    dedupe_cluster._pair_count_kernel((codes, tmp_path / "pairs.npy", got_per_doc, 0, n))
    got = [(int(c) >> 32, int(c) & 0xFFFFFFFF) for c in np.load(tmp_path / "pairs.npy")]
    # each kept pair's shared rare-anchor count is stored with it (the fast path moves it)
    assert np.load(tmp_path / "pairs.cnt.npy").tolist() == [shared[p] for p in got]
    assert got == want and len(want) > 0


def test_pair_chunks_cover_every_pair_of_every_group_once(monkeypatch):
    """Pairs of a popular key (k^2/2 of them) come in bounded chunks, a huge group by rows."""
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 50)
    sizes = [3, 1, 12, 2, 40, 5]  # the 40-member group (780 pairs) is cut by rows of its triangle
    rank = np.repeat(np.arange(len(sizes)), sizes)
    members = np.concatenate(
        [np.sort(np.random.default_rng(g).choice(500, s, replace=False)) for g, s in enumerate(sizes)]
    )
    chunks = list(dedupe_cluster._pair_code_chunks(rank, members))
    got = sorted(int(c) for chunk in chunks for c in chunk)
    want = sorted(
        (int(a) << 32) | int(b)
        for g in range(len(sizes))
        for i, a in enumerate(members[rank == g])
        for b in members[rank == g][i + 1 :]
    )
    assert got == want and len(chunks) > 3
    assert max(len(c) for c in chunks) <= 2 * 50 + 40  # bounded by the budget (plus one group's row)


def _damaged(text: str, rng: random.Random, rate: float, cut: float) -> str:
    """A doc-sharing site's copy: `rate` of the Han characters replaced, a span of `cut` of the text gone."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < rate:
            chars[i] = chr(rng.randrange(0x4E00, 0x9FA5))
    start = rng.randrange(len(chars) // 10, len(chars) - int(len(chars) * cut) - 1)
    del chars[start : start + int(len(chars) * cut)]
    return "".join(chars)


def test_damaged_copies_quoted_by_other_speeches_still_cluster(tmp_path):
    """Four copies of one speech, each damaged differently (1 % of Han characters replaced, 6 % cut:
    Jaccard under 0.8 with each other), while ten other speeches each quote 70 % of its paragraphs:
    every shared shingle is in more than BOILER_MIN_DF documents. Copies one is mostly inside the
    other count once in df, so their shared text is not discounted as boilerplate against their
    own damage and they merge (before NEAR_GROUP_CONTAINMENT this fixture gave 3 clusters); the
    quoting speeches stay apart."""
    rng = random.Random(1)
    base = sample(HUAIAN)
    paras = [p for p in base.split("\n") if len(p) > 40]
    others = [p for name in (SH_GOV, HUAINAN) for p in sample(name).split("\n") if len(p) > 40]
    docs = {f"copy{i}": _damaged(base, rng, 0.01, 0.06) for i in range(4)}
    for k in range(10):
        mine = rng.sample(paras, int(len(paras) * 0.7))
        docs[f"quote{k}"] = "\n".join(mine + rng.sample(others, min(len(others), len(mine))))
    rows = by_id(run(tmp_path, docs)[0])
    assert len({rows[f"copy{i}"]["cluster_id"] for i in range(4)}) == 1
    assert all(rows[f"quote{k}"]["cluster_id"] != rows["copy0"]["cluster_id"] for k in range(10))


def test_estimated_containment_groups_damaged_and_truncated_copies_not_mosaics():
    est = dedupe_cluster._estimated_containment
    j = np.array([0.78, 0.5, 1 / 3, 0.0], np.float32)
    na = np.array([1000, 1000, 1000, 0], np.int32)
    nb = np.array([1000, 500, 1000, 10], np.int32)
    got = est(j, na, nb)
    assert got[0] == pytest.approx(0.876, abs=0.001)  # two damaged full copies: one group for df
    assert got[1] == pytest.approx(1.0)  # a copy truncated at half is inside the full one
    assert got[2] == pytest.approx(0.5, abs=0.001)  # a mosaic holding half of the speech is not its copy
    assert got[3] == 0.0
    assert (got[:3] >= dedupe.NEAR_GROUP_CONTAINMENT).tolist() == [True, True, False]


def test_flagged_speech_is_elected_over_an_unflagged_mosaic_quoting_it(tmp_path):
    """Three copies of a long speech carry `foreign_word` (their source writes 推进smart城市); a short
    clean page quoting a quarter of its paragraphs is inside each copy, but only one way. Fewest flags
    used to elect the quote, and the 16k-character copies were `contained` in it at ~25 %."""
    base = sample(HUAIAN)
    paras = [p for p in base.split("\n") if len(p) > 40]
    flagged = base.replace("。", "。推进smart城市建设。", 1)
    docs = {f"copy{i}": flagged + "\n" * i for i in range(3)}
    docs["mosaic"] = "\n".join(paras[: len(paras) // 4])
    docs["other"] = sample(SH_GOV)
    rows = by_id(run(tmp_path, docs)[0])
    assert len({rows[k]["cluster_id"] for k in docs if k != "other"}) == 1
    assert rows["other"]["cluster_id"] != rows["mosaic"]["cluster_id"]
    canon = [k for k in docs if k != "other" and rows[k]["is_canonical"]]
    assert len(canon) == 1 and canon[0].startswith("copy")
    assert rows["mosaic"]["dup_of"] == canon[0] and rows["mosaic"]["dup_reason"] == "contained"
    assert rows["mosaic"]["dup_containment"] >= dedupe.MIN_CONTAINMENT
    for k in ("copy0", "copy1", "copy2"):
        if k != canon[0]:
            assert rows[k]["dup_reason"] in ("exact", "near")


def test_member_joined_through_a_chain_is_labelled_linked_not_contained(tmp_path):
    """A speech, a revision with 14 % of its text replaced, and a revision of that revision with
    another 14 % replaced: each is near the one before (85 % shared both ways), but the last shares
    only ~70 % with the canonical, so neither `near` nor `contained` is true of it against the
    canonical; its label says it joined through a chain (`linked`), its evidence columns show the
    measured values and duplicates.matched_with names the copy it was verified against."""
    lines = normalize_text(sample(HUAIAN)).text.split("\n")
    other = [p for p in normalize_text(sample(SH_GOV)).text.split("\n") if len(p) > 60]
    long_ones = [i for i, p in enumerate(lines) if len(p) > 60]
    total = sum(len(p) for p in lines)

    def revise(src: list[str], picks: list[int], fill: str) -> list[str]:
        out, used = list(src), 0
        for i in picks:
            if used >= 0.14 * total:
                break
            n = int(len(out[i]) * 0.95)  # a little shorter: the original stays the longest
            out[i], fill, used = fill[:n], fill[n:], used + len(out[i])
        return out

    mid = revise(lines, long_ones[0::2], "".join(other[0::2]))
    far = revise(mid, long_ones[1::2], "".join(other[1::2]))
    docs = {"a-base": "\n".join(lines), "b-mid": "\n".join(mid), "c-far": "\n".join(far), "other": sample(NPC_A)}
    a, d, _ = run(tmp_path, docs)
    rows = by_id(a)
    assert len({rows[k]["cluster_id"] for k in ("a-base", "b-mid", "c-far")}) == 1
    assert rows["a-base"]["is_canonical"]
    far_row = rows["c-far"]
    assert far_row["dup_jaccard"] < dedupe.NEAR_JACCARD and far_row["dup_containment"] < dedupe.MIN_CONTAINMENT
    assert far_row["dup_reason"] == "linked"
    dup = {r["doc_id"]: r for r in d.to_pylist()}
    assert dup["c-far"]["matched_with"] == "b-mid" and dup["c-far"]["reason"] == "linked"
    assert rows["b-mid"]["dup_reason"] == "near"


# --- the fast fingerprint (a per-code-point NFKC table) is the definition, exactly ---------------------------

FOLD_CASES = [
    "２０２３年，全区ＧＤＰ增长５．２％。",  # full-width digits fold to ASCII digits, which are kept
    "豈更車賈滑",  # CJK compatibility ideographs (U+F900…) fold to the unified ones
    "⑽项任务，⑴加快发展",  # ⑽ keeps two digits: the exact path decides
    "面积１２０㎡，½的",  # ㎡ -> m2 keeps one digit; ½ -> 1⁄2 keeps two
    "e\u0301中\u0301国\u20e31",  # combining marks next to kept characters
    "经济开展很快……那么",  # spun words fold after the table
    "正文到此。因篇(piān)幅问题不能全部显示,请点此查看更多更全内容",  # a notice with injected pinyin
    "文末点此查看更多更全内容\n下一行",
    "试读已结束，请购买",
    "\ud800孤立代理项" + chr(0x2F800) + chr(0x1D7CE),  # a lone surrogate; astral compatibility forms
    "",
]


@pytest.mark.parametrize("text", FOLD_CASES)
def test_fast_fingerprint_is_the_exact_fold(text):
    assert dedupe.fingerprint_text(text) == dedupe._fingerprint_exact(text)


def test_fast_fingerprint_folds_what_nfkc_folds():
    assert dedupe.fingerprint_text("２０２３年⑴") == "2023年1"
    assert dedupe.fingerprint_text("经济开展，⑽项") == "经济发展10项"
    assert dedupe.fingerprint_text("正文。因篇幅问题不能全部显示,请点此查看") == "正文"


def test_fast_fingerprint_every_bmp_code_point():
    """Each code point alone and between kept characters: the table agrees with NFKC + the kept-character regex."""
    bad = [
        hex(c)
        for c in range(0x10000)
        if not 0xD800 <= c <= 0xDFFF
        and dedupe.fingerprint_text(f"中{chr(c)}1") != dedupe._fingerprint_exact(f"中{chr(c)}1")
    ]
    assert bad == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"中国发展开展那么篇幅查看因已结束１２⑽㎡…（）(ā)豈 \n", "e\u0301"])).map("".join))
def test_fast_fingerprint_random_mixes(text):
    assert dedupe.fingerprint_text(text) == dedupe._fingerprint_exact(text)


@pytest.mark.parametrize("n", [1, 23, 24, 25, 48, 49, 1000])
@pytest.mark.parametrize("w", [1, 2, 3, 8, 16, 24, 33])
def test_window_min_is_the_sliding_minimum(n, w):
    if n < w:
        return
    h = np.random.default_rng(n * 100 + w).integers(0, 1 << 63, n, dtype=np.uint64)
    assert np.array_equal(dedupe._window_min(h, w), np.lib.stride_tricks.sliding_window_view(h, w).min(axis=1))


def test_listing_key_orders_records_by_their_position_in_the_file():
    keys = [
        dedupe.listing_key("b.jsonl", "L10", "x"),
        dedupe.listing_key("b.jsonl", "L2", "y"),
        dedupe.listing_key("a.txt", None, "z"),
        dedupe.listing_key("b.parquet", "row=0", "w"),
    ]
    assert [k[2] for k in sorted(keys)] == ["z", "y", "x", "w"]  # a.txt, L2 before L10, then b.parquet


def test_a_clean_short_page_is_canonical_before_a_longer_damaged_copy(tmp_path):
    """`short` marks a page kept below --min-chars because its text is prose (normalize's short_document): it says
    how long the page is, not that anything in its text is damaged. Counted as damage, it tied a clean short
    statement with a longer copy that carries real damage (`spun`), and the longer damaged copy won on length."""
    body = [p for p in normalize_text(sample(HUAIAN)).text.split("\n") if len(p) > 60][1][:170]
    clean = body + "特此说明。"
    damaged = body + "以上内容由网友整理上传，仅供参考学习使用。"  # the longer copy, with spun words elsewhere
    ids = ["a-clean", "b-damaged"]
    t = pa.table(
        {
            "doc_id": ids,
            "text": [clean, damaged],
            "quality_flags": pa.array([["short"], ["spun"]], pa.list_(pa.string())),
            "n_chars": pa.array([len(clean), len(damaged)], pa.int32()),
        }
    )
    path = tmp_path / "sig.parquet"
    pq.write_table(dedupe.shard_signatures(t), path)
    dedupe_cluster.cluster_corpus([str(path)], None, str(tmp_path / "out"))
    rows = by_id(outputs(tmp_path / "out", 1)[0])
    assert rows["a-clean"]["cluster_id"] == rows["b-damaged"]["cluster_id"]
    assert rows["a-clean"]["is_canonical"] and rows["b-damaged"]["dup_of"] == "a-clean"
    assert dedupe.flag_rank(["short"]) < dedupe.flag_rank(["spun"]) < dedupe.flag_rank(["short", "spun"])

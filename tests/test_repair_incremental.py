"""A members shard re-run because a new page elsewhere changed some of its clusters (issue 10):
texts come from the earlier artifact of the same pages, not from the normalize artifact, and the
bytes are a cold run's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tasks.repair import cluster_members_shard
from tests.test_incremental_parts import artifact_bytes, member_docs, write_inputs


def test_a_rerun_shard_takes_every_text_from_its_earlier_artifact(tmp_path):
    """c2 becomes shared (its canonical d2 joins the members: its text is in the earlier
    canonical.parquet), then d5 becomes c0's canonical (canonical.parquet rebuilt: d5's text is in
    the earlier members part of c0). No text is decoded from the normalize artifact."""
    docs = member_docs()
    first = tmp_path / "first"
    cold0 = cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))
    assert cold0["texts_decoded"] == cold0["canonical"] + 2  # cold: every text from normalize

    inputs = write_inputs(tmp_path / "in2", docs, ["c0", "c1", "c2"], root="/elsewhere")
    inc = cluster_members_shard(inputs, str(tmp_path / "inc"), earlier=[str(first)])
    cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["texts_read"] > 0 and inc["texts_decoded"] == 0

    later = [dict(d) for d in docs]
    later[0]["canonical"], later[5]["canonical"] = False, True  # d5 now stands for c0
    inputs = write_inputs(tmp_path / "in3", later, ["c0", "c1", "c2"], root="/elsewhere")
    again = cluster_members_shard(inputs, str(tmp_path / "again"), earlier=[str(tmp_path / "inc")])
    cluster_members_shard(inputs, str(tmp_path / "cold2"))
    assert artifact_bytes(tmp_path / "again") == artifact_bytes(tmp_path / "cold2")
    assert not os.path.samefile(tmp_path / "again" / "canonical.parquet", tmp_path / "inc" / "canonical.parquet")
    assert again["texts_decoded"] == 0
    assert (again["anchors_copied"], again["anchors_computed"]) == (5, 1)  # d5's anchors are new


def test_texts_missing_from_the_earlier_artifact_are_decoded_and_the_bytes_stay_cold(tmp_path):
    """The earlier artifact lost its canonical.parquet and a members part (pruned, or made
    otherwise): what it still holds is used, the rest is decoded from the normalize artifact."""
    docs = member_docs()
    first = tmp_path / "first"
    cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))
    broken = tmp_path / "broken"
    shutil.copytree(first, broken)
    (broken / "canonical.parquet").unlink()
    later = [dict(d) for d in docs]
    later[0]["canonical"], later[5]["canonical"] = False, True
    inputs = write_inputs(tmp_path / "in2", later, ["c0", "c1", "c2"], root="/elsewhere")
    got = cluster_members_shard(inputs, str(tmp_path / "got"), earlier=[str(broken)])
    cold = cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "got") == artifact_bytes(tmp_path / "cold")
    assert 0 < got["texts_decoded"] < cold["texts_decoded"]


def test_a_rerun_loads_the_earlier_alignments_of_the_clusters_it_repairs_only(tmp_path):
    """cA and cB share a part; a new copy joins cB. Only cB's earlier alignments become blocks
    (cA is copied); the known one is not computed again, and the bytes are a cold run's."""
    import random

    from tasks.repair import Aligner, _earlier_alignments, align, repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()
    rng = random.Random(5)

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": i == 0}
            for i, (d, c, t) in enumerate(docs)
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    a = shard("a", [("a1", "cA", text), ("a2", "cB", text[::-1])])
    b = shard("b", [("b1", "cA", truncate(text, 0.6)), ("b2", "cB", placeholders(text[::-1], rng))])
    repair_parts({"members": [a, b]}, str(tmp_path / "r1"))
    every = _earlier_alignments([tmp_path / "r1"], "007.parquet")
    only_b = _earlier_alignments([tmp_path / "r1"], "007.parquet", {"cB"})
    assert 0 < len(only_b) < len(every) and set(only_b) <= set(every)

    c = shard("c", [("c1", "cB", truncate(text[::-1], 0.5))])
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert (warm["clusters_repaired"], warm["clusters_copied"]) == (1, 1)
    assert (warm["alignments_computed"], warm["alignments_known"]) == (1, 1)
    cold = repair_parts({"members": [a, b, c]}, str(tmp_path / "r3"))
    assert cold["alignments_computed"] == 3
    for t in ("best_texts", "repairs", "memo", "align"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (tmp_path / "r3" / t / "007.parquet").read_bytes()

    # blocks made from the stored flat memo are align's blocks
    base, copy = text[::-1], placeholders(text[::-1], random.Random(5))
    aligner = Aligner(flat=every)
    got = aligner(base, copy, lambda: None)
    assert aligner.computed == 0 and got == align(base, copy)


def test_a_rerun_on_the_same_input_files_does_not_hash_them_again(tmp_path, monkeypatch):
    """The earlier artifact recorded which files it hashed (device, inode, size, mtime) and the
    digests of its members files: a re-run on the same files reuses both; other files are hashed."""
    import json

    import tasks.repair as repair

    docs = member_docs()
    inputs = write_inputs(tmp_path / "in1", docs, ["c0", "c1"])
    first = tmp_path / "first"
    cluster_members_shard(inputs, str(first))
    made = json.loads((first / "sources.json").read_text())
    assert set(made["stat"]) == {"normalize", "extract"} and made["files"]

    def no_hash(*_):
        raise AssertionError("hashed again")

    shared = write_inputs(tmp_path / "in2", docs, ["c0", "c1", "c2"])  # same pages, new upstream files
    inputs["duplicates"] = shared["duplicates"]
    with monkeypatch.context() as m:
        m.setattr(repair, "_input_identity", no_hash)
        inc = cluster_members_shard(inputs, str(tmp_path / "inc"), earlier=[str(first)])
    cold = cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["part_digests"] == cold["part_digests"] and inc["files_linked"] > 0

    with monkeypatch.context() as m, pytest.raises(AssertionError, match="hashed again"):
        m.setattr(repair, "_input_identity", no_hash)  # other upstream files: hashed ...
        cluster_members_shard(shared, str(tmp_path / "other"), earlier=[str(first)])
    # ... and recognised as the same pages
    other = cluster_members_shard(shared, str(tmp_path / "other2"), earlier=[str(first)])
    assert other["files_linked"] > 0


def test_a_members_shard_is_keyed_by_the_assignment_columns_it_reads_only(tmp_path):
    """A new copy elsewhere rewrites dup_of and the match figures of its cluster's members: the
    shard's members key stays (its rows are the same), while a changed cluster_id or canonical
    flag, or a cluster newly shared with another shard, gives another key."""
    import pyarrow as pa

    from tasks.common import write_table
    from tasks.schema import ASSIGNMENTS
    from tasks.stages import assignments_and_shared

    def key(name: str, rows: list[dict], shared: str = "s0") -> list:
        folder = tmp_path / name
        write_table(pa.Table.from_pylist(rows, schema=ASSIGNMENTS), folder / "assignments" / "00000.parquet")
        result = {"dir": str(folder), "part_digests": {"0": name}, "shared_digests": {"0": shared}}
        return assignments_and_shared(result, 0, {})[1]

    rows = [
        {"doc_id": "d1", "cluster_id": "c1", "is_canonical": True, "dup_reason": None},
        {
            "doc_id": "d2",
            "cluster_id": "c1",
            "is_canonical": False,
            "dup_of": "d1",
            "dup_jaccard": 0.9,
            "dup_containment": 0.95,
            "dup_reason": "near",
        },
        {"doc_id": "d3", "cluster_id": "c3", "is_canonical": True},
    ]
    first = key("first", rows)
    figures = [dict(r) for r in rows]
    figures[1].update(dup_of="d9", dup_jaccard=0.8, dup_containment=0.85, dup_reason="contained")
    assert key("figures", figures) == first
    relabelled = [dict(r) for r in rows]
    relabelled[0]["cluster_id"] = relabelled[1]["cluster_id"] = "c0"
    assert key("relabelled", relabelled) != first
    flipped = [dict(r) for r in rows]
    flipped[0]["is_canonical"], flipped[1]["is_canonical"] = False, True
    assert key("flipped", flipped) != first
    assert key("shared", rows, shared="s1") != first


def test_a_rerun_shard_reads_the_earlier_canonical_keys_once(tmp_path, monkeypatch):
    """A shard whose canonical documents changed looks up the earlier canonical.parquet for texts
    and for anchors: its keys are read once per call, from its listing.parquet (one row group; from
    canonical.parquet's 4-document row groups a read was ~5 ms at 20k), and the bytes stay a cold
    run's."""
    import pyarrow.parquet as pq

    docs = member_docs()
    first = tmp_path / "first"
    cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))
    later = [dict(d) for d in docs]
    later[0]["canonical"], later[5]["canonical"] = False, True  # canonical.parquet is rebuilt
    inputs = write_inputs(tmp_path / "in2", later, ["c0", "c1", "c2"], root="/elsewhere")

    reads: list[tuple[str, list[str] | None]] = []
    real_read = pq.ParquetFile.read

    def counted(self, *args, **kwargs):
        if str(getattr(self, "_jh_path", "")).startswith(str(first)):
            reads.append((Path(self._jh_path).name, kwargs.get("columns")))
        return real_read(self, *args, **kwargs)

    real_init = pq.ParquetFile.__init__

    def init(self, source, *args, **kwargs):
        real_init(self, source, *args, **kwargs)
        self._jh_path = str(source)

    monkeypatch.setattr(pq.ParquetFile, "read", counted)
    monkeypatch.setattr(pq.ParquetFile, "__init__", init)
    got = cluster_members_shard(inputs, str(tmp_path / "got"), earlier=[str(first)])
    monkeypatch.undo()
    cold = cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "got") == artifact_bytes(tmp_path / "cold")
    assert got["texts_decoded"] == 0 and got["anchors_copied"] > 0 and cold["canonical"] == got["canonical"]
    keys = [
        name for name, cols in reads if cols and "doc_id" in cols and name in ("canonical.parquet", "listing.parquet")
    ]
    assert keys == ["listing.parquet"]


def test_members_writes_each_shards_listing_beside_canonical_and_links_it_with_it(tmp_path):
    """listing.parquet (session 13: what the reuse step lists of a shard, without texts) holds
    canonical.parquet's rows, in its order, with each text's digest and length; a re-run whose
    canonical documents are unchanged links it with canonical.parquet, one whose canonical set
    changed writes both again — a cold run's bytes either way."""
    import pyarrow.parquet as pq

    from tasks import reuse

    docs = member_docs()
    first = tmp_path / "first"
    cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))
    canonical = pq.read_table(first / "canonical.parquet")
    listing = pq.read_table(first / reuse.LISTING_FILE)
    assert listing.equals(reuse.canonical_listing(canonical))
    assert (
        listing.column("doc_id").equals(canonical.column("doc_id"))
        and pq.ParquetFile(first / reuse.LISTING_FILE).metadata.num_row_groups == 1
    )

    inputs = write_inputs(tmp_path / "in2", docs, ["c0", "c1", "c2"], root="/elsewhere")
    cluster_members_shard(inputs, str(tmp_path / "inc"), earlier=[str(first)])
    for name in ("canonical.parquet", reuse.LISTING_FILE):
        assert os.path.samefile(tmp_path / "inc" / name, first / name)

    later = [dict(d) for d in docs]
    later[0]["canonical"], later[5]["canonical"] = False, True
    inputs = write_inputs(tmp_path / "in3", later, ["c0", "c1", "c2"], root="/elsewhere")
    cluster_members_shard(inputs, str(tmp_path / "again"), earlier=[str(tmp_path / "inc")])
    cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "again") == artifact_bytes(tmp_path / "cold")
    assert not os.path.samefile(tmp_path / "again" / reuse.LISTING_FILE, first / reuse.LISTING_FILE)
    again = pq.read_table(tmp_path / "again" / reuse.LISTING_FILE)
    assert again.equals(reuse.canonical_listing(pq.read_table(tmp_path / "again" / "canonical.parquet")))


def test_a_rerun_part_reads_the_footers_of_changed_members_files_only(tmp_path):
    """Parts 3 and 7 in two shards; a third shard brings a copy of cB (part 7). The warm run takes the
    cluster digests of the unchanged files (same stamps) from the earlier parts' sources records: one
    footer read (the new file), part 3 linked without opening a file, and every table a cold run's bytes.
    An earlier artifact without records (made before them) or a file rewritten in place of its old one
    (a new inode) is read from its footer, with the same bytes."""
    import random

    from tasks.repair import SOURCES_DIR, repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()
    rng = random.Random(11)

    def shard(name: str, parts: dict[str, list[tuple[str, str, str]]]) -> str:
        for part, docs in parts.items():
            rows = [
                {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
                for d, c, t in docs
            ]
            write_members_part(rows, tmp_path / name / "members" / f"{part}.parquet")
        return str(tmp_path / name)

    a = shard("a", {"003": [("a0", "cC", text[7:])], "007": [("a1", "cA", text), ("a2", "cB", text[::-1])]})
    b = shard(
        "b",
        {
            "003": [("b0", "cC", truncate(text[7:], 0.5))],
            "007": [("b1", "cA", truncate(text, 0.6)), ("b2", "cB", placeholders(text[::-1], rng))],
        },
    )
    first = repair_parts({"members": [a, b]}, str(tmp_path / "r1"))
    assert first["member_footers_read"] == 4 and first["parts_repaired"] == 2

    def tables(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}

    c = shard("c", {"007": [("c1", "cB", truncate(text[::-1], 0.4))]})
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["member_footers_read"] == 1
    assert (warm["parts_reused"], warm["parts_repaired"], warm["clusters_repaired"]) == (1, 1, 1)
    assert os.path.samefile(
        tmp_path / "r2" / "best_texts" / "003.parquet", tmp_path / "r1" / "best_texts" / "003.parquet"
    )
    cold = repair_parts({"members": [a, b, c]}, str(tmp_path / "r3"))
    assert tables(tmp_path / "r2") == tables(tmp_path / "r3")
    assert {k: v for k, v in warm.items() if k in ("best_texts", "repairs")} == {
        k: v for k, v in cold.items() if k in ("best_texts", "repairs")
    }

    # a night later nothing changed: every part linked, no footer read
    again = repair_parts({"members": [a, b, c]}, str(tmp_path / "r4"), earlier=[str(tmp_path / "r2")])
    assert (again["parts_reused"], again.get("member_footers_read", 0)) == (2, 0)
    assert (again["best_texts"], again["repairs"]) == (cold["best_texts"], cold["repairs"])

    # no records in the earlier artifact, and b's part 7 rewritten (same rows, a new inode): footers
    shutil.rmtree(tmp_path / "r2" / SOURCES_DIR)
    moved = Path(b) / "members" / "007.parquet"
    shutil.copy2(moved, moved.with_suffix(".tmp"))
    os.replace(moved.with_suffix(".tmp"), moved)
    after = repair_parts({"members": [a, b, c]}, str(tmp_path / "r5"), earlier=[str(tmp_path / "r2")])
    assert after["member_footers_read"] == 5 and after["parts_reused"] == 2
    assert tables(tmp_path / "r5") == tables(tmp_path / "r3")


def test_anchors_are_written_as_an_artifact_with_the_hashes_and_positions_plain(tmp_path):
    """anchors.parquet (read by the reuse steps only) is uncompressed like the other intermediate artifacts, its
    near-unique hash and pos columns without a dictionary (one was tried and dropped on every row group), its doc
    and cluster ids with one (the reuse step reads doc ids as a dictionary); the rows are the anchor table's."""
    import pyarrow.parquet as pq

    from tasks import reuse
    from tasks.common import ARTIFACT_COMPRESSION

    docs = member_docs()
    out = tmp_path / "out"
    cluster_members_shard(write_inputs(tmp_path / "in", docs, ["c0", "c1"]), str(out))
    pf = pq.ParquetFile(out / "anchors.parquet")
    assert pf.metadata.num_rows > 0
    for g in range(pf.metadata.num_row_groups):
        for c in range(pf.metadata.num_columns):
            col = pf.metadata.row_group(g).column(c)
            assert col.compression == (
                "UNCOMPRESSED" if ARTIFACT_COMPRESSION == "none" else ARTIFACT_COMPRESSION.upper()
            )
            assert col.has_dictionary_page == (col.path_in_schema not in ("hash", "pos")), col.path_in_schema
    canonical = pq.read_table(out / "canonical.parquet", columns=["doc_id", "cluster_id", "text"]).to_pylist()
    want = reuse.anchor_table(canonical).sort_by(
        [("part", "ascending"), ("hash", "ascending"), ("doc_id", "ascending"), ("pos", "ascending")]
    )
    assert pf.read().equals(want.cast(pf.schema_arrow))


def test_a_rerun_links_the_intermediate_tables_and_writes_only_a_delta_of_changed_clusters(tmp_path):
    """20 clusters share part 7; each night touches one or two. The alignment memo and the vote
    records are the first run's files hard-linked plus a delta holding the changed clusters (the
    delta of a later night carries the earlier night's clusters, whose records it reads back);
    best_texts, repairs and memo are a cold run's bytes, and base + delta hold a cold run's rows.
    Past DELTA_MAX_SHARE of the part's clusters, the tables are written whole again: a cold run's bytes."""
    import random

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()[:3000]
    rng = random.Random(7)
    texts = {f"c{k:02d}": text[k * 97 :] + text[: k * 97] for k in range(20)}
    damaged = {c: placeholders(t, rng) for c, t in texts.items()}

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard("a", [(f"a{c}", c, t) for c, t in texts.items()]),
        shard("b", [(f"b{c}", c, t) for c, t in damaged.items()]),
    ]

    def night(name: str, earlier: str | None, new: list[str]) -> dict:
        """New truncated copies of the clusters `new`; the repair with `earlier`, and a cold one beside it."""
        if new:
            shards.append(shard(f"s{name}", [(f"{name}{c}", c, truncate(texts[c], 0.5)) for c in new]))
        stats = repair_parts(
            {"members": shards}, str(tmp_path / name), earlier=[str(tmp_path / earlier)] if earlier else []
        )
        repair_parts({"members": shards}, str(tmp_path / f"{name}-cold"))
        for t in ("best_texts", "repairs", "memo"):
            assert (tmp_path / name / t / "007.parquet").read_bytes() == (
                tmp_path / f"{name}-cold" / t / "007.parquet"
            ).read_bytes(), (name, t)
        for t in rp.DELTA_TABLES:
            cold = pq.read_table(tmp_path / f"{name}-cold" / t / "007.parquet")
            got = rp._resolved(tmp_path / name, t, "007.parquet", set(texts))
            keys = [("cluster_id", "ascending")] + ([("pair", "ascending")] if t == "align" else [])
            assert got.cast(cold.schema).sort_by(keys).equals(cold), (name, t)
            assert rp._delta_file(tmp_path / f"{name}-cold", t, "007.parquet").exists() is False
        return stats

    night("r1", None, [])
    second = night("r2", "r1", ["c03"])
    assert (second["clusters_repaired"], second["intermediate_parts_linked"]) == (1, 2)
    third = night("r3", "r2", ["c03", "c11"])  # c03 again: its record and alignments come from r2's delta
    assert third["clusters_repaired"] == 2 and third["clusters_from_votes"] == 2
    delta = pq.read_table(rp._delta_file(tmp_path / "r2", "votes", "007.parquet")).to_pylist()
    base = {r["cluster_id"]: r["votes"] for r in pq.read_table(tmp_path / "r1" / "votes" / "007.parquet").to_pylist()}
    assert [r["cluster_id"] for r in delta] == ["c03"] and delta[0]["votes"] != base["c03"]
    assert rp._earlier_votes([tmp_path / "r2"], "007.parquet", {"c03", "c04"}) == {
        "c03": delta[0]["votes"],
        "c04": base["c04"],
    }
    for t in rp.DELTA_TABLES:
        for name in ("r2", "r3"):
            assert os.path.samefile(tmp_path / name / t / "007.parquet", tmp_path / "r1" / t / "007.parquet")
        assert rp._delta_owned(tmp_path / "r2", t, "007.parquet") == {"c03"}
        assert rp._delta_owned(tmp_path / "r3", t, "007.parquet") == {"c03", "c11"}
    # two more clusters: 4 of 20 is past DELTA_MAX_SHARE, so the part is written whole (a cold run's bytes)
    fourth = night("r4", "r3", ["c05", "c17"])
    assert fourth["clusters_repaired"] == 2 and fourth["intermediate_parts_linked"] == 0
    for t in rp.DELTA_TABLES:
        assert (tmp_path / "r4" / t / "007.parquet").read_bytes() == (
            tmp_path / "r4-cold" / t / "007.parquet"
        ).read_bytes()
        assert not rp._delta_file(tmp_path / "r4", t, "007.parquet").exists()


def test_a_rerun_carries_the_stored_alignments_of_a_revoted_cluster_without_decoding_them(tmp_path):
    """c1 has four copies; a truncated fifth joins it and its base stays, so it is re-voted from its record:
    only the new copy is aligned, and the three stored alignments go back to the memo as stored (int32 views of
    the column read, never Python integers); every table holds a cold run's rows, the published ones its bytes."""
    import random

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()[:3000]
    rng = random.Random(3)

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard("a", [("a1", "c1", text)]),
        shard("b", [("b1", "c1", placeholders(text, rng)), ("b2", "c1", placeholders(text, rng))]),
        shard("c", [("c1", "c1", placeholders(text, rng))]),
    ]
    repair_parts({"members": shards}, str(tmp_path / "r1"))
    shards.append(shard("d", [("d1", "c1", truncate(text, 0.5))]))
    warm = repair_parts({"members": shards}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert (warm["clusters_from_votes"], warm["alignments_computed"], warm["alignments_known"]) == (1, 1, 3)
    assert warm["alignments_decoded"] == 0
    repair_parts({"members": shards}, str(tmp_path / "cold"))
    for t in ("best_texts", "repairs", "memo"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold" / t / "007.parquet"
        ).read_bytes()
    for t in rp.DELTA_TABLES:
        cold = pq.read_table(tmp_path / "cold" / t / "007.parquet")
        keys = [("cluster_id", "ascending")] + ([("pair", "ascending")] if t == "align" else [])
        assert rp._resolved(tmp_path / "r2", t, "007.parquet", {"c1"}).cast(cold.schema).sort_by(keys).equals(cold)


def test_a_rerun_part_reads_each_earlier_intermediate_file_once_and_builds_no_dataset(tmp_path, monkeypatch):
    """Four clusters in part 7, a night touches two (past DELTA_MAX_SHARE: the part is written whole). The
    earlier alignment memo is read once for the clusters to repair and the copied ones (it was read twice),
    the earlier vote records by row groups through a ParquetFile, not pq.read_table's dataset (~1.3 ms a
    call), and the sources record encoded in one piece; the tables are a cold run's bytes, and a part cut
    into batches (nothing kept between them) too."""
    import json
    import random

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()[:3000]
    rng = random.Random(5)
    texts = {f"c{k}": text[k * 97 :] + text[: k * 97] for k in range(4)}

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard("a", [(f"a{c}", c, t) for c, t in texts.items()]),
        shard("b", [(f"b{c}", c, placeholders(t, rng)) for c, t in texts.items()]),
    ]
    repair_parts({"members": shards}, str(tmp_path / "r1"))
    shards.append(shard("n", [(f"n{c}", c, truncate(texts[c], 0.5)) for c in ("c1", "c2")]))

    reads: dict[str, int] = {}
    read = pq.ParquetFile.read
    groups_read: dict[str, list[int]] = {}
    read_groups = pq.ParquetFile.read_row_groups

    def counted(self, *args, **kwargs):
        path = str(getattr(self, "_h2_path", ""))
        reads[path] = reads.get(path, 0) + 1
        return read(self, *args, **kwargs)

    def counted_groups(self, groups, *args, **kwargs):
        groups_read.setdefault(str(getattr(self, "_h2_path", "")), []).extend(groups)
        return read_groups(self, groups, *args, **kwargs)

    init = pq.ParquetFile.__init__

    def remember(self, source, *args, **kwargs):
        init(self, source, *args, **kwargs)
        self._h2_path = source

    def no_dataset(*args, **kwargs):
        raise AssertionError("pq.read_table builds a dataset for every call")

    def no_stream(*args, **kwargs):
        raise AssertionError("json.dump encodes in Python")

    with monkeypatch.context() as m:
        m.setattr(pq.ParquetFile, "__init__", remember)
        m.setattr(pq.ParquetFile, "read", counted)
        m.setattr(pq.ParquetFile, "read_row_groups", counted_groups)
        m.setattr(pq, "read_table", no_dataset)
        m.setattr(json, "dump", no_stream)
        warm = repair_parts({"members": shards}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["clusters_repaired"] == 2 and warm["intermediate_parts_linked"] == 0
    align = str(tmp_path / "r1" / "align" / "007.parquet")
    assert align not in reads and groups_read[align]  # by row groups (ALIGN_ROW_GROUP)
    assert sorted(groups_read[align]) == sorted(set(groups_read[align]))  # each group read once
    assert str(tmp_path / "r1" / "votes" / "007.parquet") in groups_read  # the copied clusters' records
    repair_parts({"members": shards}, str(tmp_path / "cold"))
    monkeypatch.setattr(rp, "REPAIR_BATCH_CLUSTERS", 1)  # one cluster a batch: spans, nothing kept
    repair_parts({"members": shards}, str(tmp_path / "r3"), earlier=[str(tmp_path / "r1")])
    for name in ("r2", "r3"):
        for t in ("best_texts", "repairs", "memo", "align", "votes"):
            assert (tmp_path / name / t / "007.parquet").read_bytes() == (
                tmp_path / "cold" / t / "007.parquet"
            ).read_bytes(), (name, t)
    sources = tmp_path / "r2" / rp.SOURCES_DIR / "007.json"
    assert sources.read_text(encoding="utf-8") == json.dumps(json.loads(sources.read_text()), sort_keys=True)


def test_a_rerun_finds_a_changed_clusters_row_groups_by_its_place_in_the_file_without_a_filter(tmp_path, monkeypatch):
    """A members file holds one row group per cluster, in cluster order: a rerun reads the groups of the
    clusters it repairs by their place among the file's cluster digests (each checked against its
    statistics), without the statistics of every group nor a filter (~0.4 ms a file, ~1,000 files a 20k
    night). A file of the layout before (several clusters in a group) is still read by statistics and
    filtered; both give a cold run's bytes."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, truncate

    text = body()[:3000]
    texts = {f"c{k}": text[k * 97 :] + text[: k * 97] for k in range(5)}

    def rows(prefix: str, picked: dict[str, str]) -> list[dict]:
        return [
            {"doc_id": f"{prefix}{c}", "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": prefix == "a"}
            for c, t in picked.items()
        ]

    def shard(name: str, docs: list[dict]) -> str:
        write_members_part(docs, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard("a", rows("a", texts)),
        shard("b", rows("b", {c: truncate(t, 0.7) for c, t in texts.items()})),
    ]
    # shard o: the layout before one row group per cluster (every cluster in one group, digests in the footer);
    # its copies are the longest, the bases: a re-voted cluster reads its base's file
    old = pa.Table.from_pylist(rows("o", {c: t + "\n谢谢大家！" for c, t in texts.items()}), schema=rp.MEMBERS)
    old = old.replace_schema_metadata({rp.CLUSTER_DIGESTS: json.dumps(rp._cluster_digests(old), sort_keys=True)})
    (tmp_path / "o" / "members").mkdir(parents=True)
    pq.write_table(old, tmp_path / "o" / "members" / "007.parquet")
    shards.append(str(tmp_path / "o"))
    repair_parts({"members": shards}, str(tmp_path / "r1"))
    shards.append(shard("n", rows("n", {c: truncate(texts[c], 0.5) for c in ("c1", "c3")})))

    scanned: list[int] = []
    groups_of = rp._groups_of

    def counted(pf, wanted):
        scanned.append(pf.metadata.num_row_groups)
        return groups_of(pf, wanted)

    monkeypatch.setattr(rp, "_groups_of", counted)
    warm = repair_parts({"members": shards}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["clusters_repaired"] == 2
    assert scanned == [1, 1]  # shard o's file only, once for each base's text: n is found by place, a and b unread
    assert rp._cluster_groups(
        pq.ParquetFile(tmp_path / "a" / "members" / "007.parquet"), {c: "" for c in texts}, {"c1", "c3"}
    ) == [1, 3]
    assert (
        rp._cluster_groups(pq.ParquetFile(tmp_path / "o" / "members" / "007.parquet"), {c: "" for c in texts}, {"c1"})
        is None
    )
    repair_parts({"members": shards}, str(tmp_path / "cold"))
    for t in ("best_texts", "repairs", "memo", "align", "votes"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold" / t / "007.parquet"
        ).read_bytes(), t


def test_a_revoted_cluster_reads_only_the_members_files_whose_rows_of_it_changed(tmp_path, monkeypatch):
    """c1 has copies in five shards (a holds its base). A night adds a truncated copy in shard n: the
    cluster is re-voted from its record, which lists its copies by the digest of each members file's rows
    of it, so only n's file (the new copy) and a's (the base's text) are read — b, c, d and e hold the very
    rows the record lists (20k +1 %: ~7 files read a re-voted cluster, ~960 reads a night). A night whose new
    copy becomes the base repairs the cluster from every copy, reading every file. Every table holds a cold
    run's bytes either way."""
    import random

    import pyarrow.parquet as pq

    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()[:3000]
    other = text[500:] + text[:500]
    rng = random.Random(11)

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [shard("a", [("a1", "c1", text), ("a2", "c2", other)])]
    shards += [shard(s, [(f"{s}1", "c1", placeholders(text, rng))]) for s in "bcde"]
    shards.append(shard("f", [("f2", "c2", placeholders(other, rng))]))
    repair_parts({"members": shards}, str(tmp_path / "r1"))

    reads: list[str] = []
    read_groups = pq.ParquetFile.read_row_groups

    def counted(self, groups, *args, **kwargs):
        table = read_groups(self, groups, *args, **kwargs)
        if "doc_id" in table.column_names and table.num_rows:
            reads.append(table.column("doc_id")[0].as_py()[0])  # the shard a members file belongs to
        return table

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", counted)
    night = [*shards, shard("n", [("n1", "c1", truncate(text, 0.5))])]
    warm = repair_parts({"members": night}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert sorted(reads) == ["a", "n"]
    assert (warm["clusters_repaired"], warm["clusters_from_votes"], warm["copies_from_records"]) == (1, 1, 5)
    assert warm["member_groups_read"] == 2 and warm["copies_read"] == 2
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", read_groups)
    repair_parts({"members": night}, str(tmp_path / "cold"))
    for t in ("best_texts", "repairs", "memo", "align", "votes"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold" / t / "007.parquet"
        ).read_bytes(), t

    # a longer, complete copy: the base changes, the record cannot tell the vote — every file is read
    reads.clear()
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", counted)
    longer = [*shards, shard("m", [("m1", "c1", text + "\n同志们，让我们携手共进，再创佳绩！")])]
    moved = repair_parts({"members": longer}, str(tmp_path / "r3"), earlier=[str(tmp_path / "r1")])
    assert sorted(reads) == ["a", "b", "c", "d", "e", "m"]
    assert moved["clusters_repaired"] == 1 and moved["clusters_from_votes"] == 0
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", read_groups)
    repair_parts({"members": longer}, str(tmp_path / "cold3"))
    for t in ("best_texts", "repairs", "memo", "align", "votes"):
        assert (tmp_path / "r3" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold3" / t / "007.parquet"
        ).read_bytes(), t


def test_a_rerun_reads_only_the_alignment_row_groups_of_the_clusters_it_repairs(tmp_path, monkeypatch):
    """Eight clusters of three copies share part 7; a night adds a copy to c3. Its stored alignments are read
    by the row groups of the earlier memo whose statistics hold c3 (ALIGN_ROW_GROUP rows each), not the whole
    memo (20k +1 %: ~1.3 MB a part read for ~2 of ~16 clusters). Every table holds a cold run's bytes."""
    import random

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    monkeypatch.setattr(rp, "ALIGN_ROW_GROUP", 4, raising=False)  # several row groups in a small part
    text = body()[:2000]
    rng = random.Random(7)
    texts = {f"c{k}": text[k * 71 :] + text[: k * 71] for k in range(8)}

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard(s, [(f"{s}{c}", c, placeholders(t, rng) if s != "a" else t) for c, t in texts.items()]) for s in "abc"
    ]
    repair_parts({"members": shards}, str(tmp_path / "r1"))
    align = tmp_path / "r1" / "align" / "007.parquet"
    memo = pq.ParquetFile(align)
    assert memo.num_row_groups >= 3

    rows_read: dict[str, int] = {}
    read, read_groups = pq.ParquetFile.read, pq.ParquetFile.read_row_groups
    init = pq.ParquetFile.__init__

    def remember(self, source, *args, **kwargs):
        init(self, source, *args, **kwargs)
        self._h2_path = str(source)

    def counted(self, *args, **kwargs):
        t = read(self, *args, **kwargs)
        rows_read[self._h2_path] = rows_read.get(self._h2_path, 0) + t.num_rows
        return t

    def counted_groups(self, *args, **kwargs):
        t = read_groups(self, *args, **kwargs)
        rows_read[self._h2_path] = rows_read.get(self._h2_path, 0) + t.num_rows
        return t

    night = [*shards, shard("n", [("n3", "c3", truncate(texts["c3"], 0.5))])]
    with monkeypatch.context() as m:
        m.setattr(pq.ParquetFile, "__init__", remember)
        m.setattr(pq.ParquetFile, "read", counted)
        m.setattr(pq.ParquetFile, "read_row_groups", counted_groups)
        warm = repair_parts({"members": night}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["clusters_repaired"] == 1 and warm["intermediate_parts_linked"] == 2
    c3 = [g for g in range(memo.num_row_groups) if "c3" in memo.read_row_group(g).column("cluster_id").to_pylist()]
    assert rows_read[str(align)] == sum(memo.metadata.row_group(g).num_rows for g in c3) < memo.metadata.num_rows
    repair_parts({"members": night}, str(tmp_path / "cold"))
    for t in ("best_texts", "repairs", "memo"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold" / t / "007.parquet"
        ).read_bytes()
    for t in rp.DELTA_TABLES:
        cold = pq.read_table(tmp_path / "cold" / t / "007.parquet")
        keys = [("cluster_id", "ascending")] + ([("pair", "ascending")] if t == "align" else [])
        got = rp._resolved(tmp_path / "r2", t, "007.parquet", set(texts)).cast(cold.schema).sort_by(keys)
        assert got.equals(cold)


def test_a_rerun_part_takes_the_earlier_memo_from_its_sources_record_without_opening_it(tmp_path, monkeypatch):
    """Part 7's earlier memo is the digests of its sources record put together: a night that touches one of
    its clusters (and one that touches none, its members files rewritten) opens no earlier memo file, and
    its tables are a cold run's bytes; an earlier artifact without a record is read from its memo."""
    import random

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part
    from tests.test_repair import body, placeholders, truncate

    text = body()[:3000]
    rng = random.Random(7)
    texts = {f"c{k}": text[k * 97 :] + text[: k * 97] for k in range(4)}

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    shards = [
        shard("a", [(f"a{c}", c, t) for c, t in texts.items()]),
        shard("b", [(f"b{c}", c, placeholders(t, rng)) for c, t in texts.items()]),
    ]
    repair_parts({"members": shards}, str(tmp_path / "r1"))
    shards.append(shard("n", [("nc1", "c1", truncate(texts["c1"], 0.5))]))
    opened: list[str] = []
    init = pq.ParquetFile.__init__

    def remember(self, source, *args, **kwargs):
        opened.append(str(source))
        init(self, source, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(pq.ParquetFile, "__init__", remember)
        warm = repair_parts({"members": shards}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["clusters_repaired"] == 1 and warm["clusters_copied"] == 3
    assert str(tmp_path / "r1" / "memo" / "007.parquet") not in opened, opened
    repair_parts({"members": shards}, str(tmp_path / "cold"))
    for t in ("best_texts", "repairs", "memo"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (
            tmp_path / "cold" / t / "007.parquet"
        ).read_bytes()
    # the same clusters in rewritten members files: the part is linked from r2 by its memo, read from the record
    for d in shards:
        f = Path(d) / "members" / "007.parquet"
        data = f.read_bytes()
        f.unlink()
        f.write_bytes(data)
    opened.clear()
    with monkeypatch.context() as m:
        m.setattr(pq.ParquetFile, "__init__", remember)
        same = repair_parts({"members": shards}, str(tmp_path / "r3"), earlier=[str(tmp_path / "r2")])
    assert same["parts_reused"] == 1 and not [p for p in opened if "/memo/" in p], opened
    assert os.path.samefile(
        tmp_path / "r3" / "best_texts" / "007.parquet", tmp_path / "r2" / "best_texts" / "007.parquet"
    )
    # an earlier artifact without sources records (made before them): its memo file is read
    shutil.rmtree(tmp_path / "r2" / rp.SOURCES_DIR)
    opened.clear()
    with monkeypatch.context() as m:
        m.setattr(pq.ParquetFile, "__init__", remember)
        old = repair_parts({"members": shards}, str(tmp_path / "r4"), earlier=[str(tmp_path / "r2")])
    assert old["parts_reused"] == 1 and str(tmp_path / "r2" / "memo" / "007.parquet") in opened

"""Shard stages re-run because a few documents changed do only those documents' work (issue 10):
the members stage copies unchanged documents' anchors from its earlier artifact, the export stage
links the tables its inputs did not change; either way the bytes equal a cold run's."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xxhash

from tasks.common import rows_to_table, write_table
from tasks.repair import cluster_members_shard
from tasks.schema import COUNTS
from tests.test_reuse import PASSAGE, insert, text_of

REPORTS = (
    "lawtext__gov/主要城市__上海市__2026.txt",
    "lawtext__gov/其他地市__淮南市__2016.txt",
    "lawtext__gov/其他地市__淮安市__2016.txt",
    "lawtext__gov/国务院__1956.txt",
    "aldohemsn__chinese-political-corpora/cpc_003_論聯合政府 (七大).txt",
)


def member_docs() -> list[dict]:
    """Eight documents of one shard: five reports, two near-copies and a spun page; d0/d5 and
    d1/d6 are copies of one speech (d5 and d6 are not canonical)."""
    texts = [text_of(r)[:4000] for r in REPORTS]
    docs = [
        {"doc_id": f"d{k}", "cluster_id": f"c{k}", "text": t, "canonical": True, "flags": {}}
        for k, t in enumerate(texts)
    ]
    docs.append({"doc_id": "d5", "cluster_id": "c0", "text": texts[0][:3000], "canonical": False, "flags": {}})
    docs.append({"doc_id": "d6", "cluster_id": "c1", "text": texts[1] + "谢谢。", "canonical": False, "flags": {}})
    docs.append(
        {"doc_id": "d7", "cluster_id": "c7", "text": insert(texts[2], 500, PASSAGE), "canonical": True, "flags": {}}
    )
    docs[7]["flags"] = {"spun": 2}
    return docs


def write_inputs(
    folder: Path, docs: list[dict], shared: list[str], root: str = "/corpus", row_group_size: int = 64
) -> dict:
    """The members stage's inputs as the upstream stages write them (the columns it reads, and one
    it does not: the input root)."""
    norm, ext = folder / "normalize", folder / "extract"
    write_table(
        pa.table(
            {
                "doc_id": [d["doc_id"] for d in docs],
                "input_root": [root] * len(docs),
                "text": [d["text"] for d in docs],
                "norm_flags": pa.array([list(d["flags"].items()) for d in docs], COUNTS),
            }
        ),
        norm / "docs.parquet",
        ["doc_id"],
        row_group_size=row_group_size,
    )
    write_table(
        pa.table(
            {
                "doc_id": [d["doc_id"] for d in docs],
                "year": pa.array([2016 + len(d["text"]) % 5 for d in docs], pa.int16()),
                "delivered_on": pa.array(
                    [dt.date(2016, 1, 1) + dt.timedelta(days=k) for k in range(len(docs))], pa.date32()
                ),
                "admin_level": [None] * len(docs),
            }
        ),
        ext / "fields.parquet",
    )
    write_table(
        pa.table(
            {
                "doc_id": [d["doc_id"] for d in docs],
                "cluster_id": [d["cluster_id"] for d in docs],
                "is_canonical": [d["canonical"] for d in docs],
            }
        ),
        folder / "assignments.parquet",
    )
    write_table(pa.table({"cluster_id": pa.array(shared, pa.string())}), folder / "duplicates.parquet")
    return {
        "normalize": str(norm),
        "extract": str(ext),
        "dedupe": str(folder / "assignments.parquet"),
        "duplicates": str(folder / "duplicates.parquet"),
    }


def artifact_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def test_members_rerun_copies_unchanged_documents_and_writes_the_cold_bytes(tmp_path):
    docs = member_docs()
    first = tmp_path / "first"
    stats = cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))
    assert stats["anchors_computed"] == stats["canonical"] == 6 and stats["anchors_copied"] == 0

    later = [dict(d) for d in docs if d["doc_id"] != "d3"]  # d3 taken down
    later[2]["text"] = insert(later[2]["text"], 800, PASSAGE)  # d2 rewritten
    later[3]["cluster_id"] = "c0"  # d4 joins c0 (a new copy elsewhere made them one speech) ...
    later[3]["canonical"] = False
    later[0]["cluster_id"] = later[5]["cluster_id"] = "c4"  # ... whose id is now c4's
    later.append(
        {"doc_id": "d8", "cluster_id": "c8", "text": text_of(REPORTS[3])[4000:8000], "canonical": True, "flags": {}}
    )
    inputs = write_inputs(tmp_path / "in2", later, ["c4", "c1"])
    inc = cluster_members_shard(inputs, str(tmp_path / "inc"), earlier=[str(first)])
    cold = cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["part_digests"] == cold["part_digests"]
    # canonical now: d0 (cluster changed), d1, d2 (text changed), d7, d8 (new): only d1 and d7 copied
    assert (inc["anchors_copied"], inc["anchors_computed"]) == (2, 3)
    assert (cold["anchors_copied"], cold["anchors_computed"]) == (0, 5)

    again = cluster_members_shard(inputs, str(tmp_path / "again"), earlier=[str(first), str(tmp_path / "inc")])
    assert (again["anchors_copied"], again["anchors_computed"]) == (5, 0)
    assert artifact_bytes(tmp_path / "again") == artifact_bytes(tmp_path / "cold")


def test_members_rerun_on_the_same_pages_links_unchanged_files_and_reads_only_changed_texts(tmp_path):
    """A nightly run: the shard's pages are unchanged (normalize ran again elsewhere: another input
    root), but a new page in another shard made c2 a shared cluster, then made d5 the canonical of
    c0. Only the member parts of those clusters are written (only their texts read); every other
    file is the earlier one, hard-linked; the bytes are a cold run's."""
    import xxhash

    from tasks.repair import REPAIR_PARTS

    def part_of(cid: str) -> str:
        return f"{xxhash.xxh64_intdigest(cid.encode()) % REPAIR_PARTS:03d}"

    docs = member_docs()
    first = tmp_path / "first"
    cluster_members_shard(write_inputs(tmp_path / "in1", docs, ["c0", "c1"]), str(first))

    inputs = write_inputs(tmp_path / "in2", docs, ["c0", "c1", "c2"], root="/elsewhere")
    inc = cluster_members_shard(inputs, str(tmp_path / "inc"), earlier=[str(first)])
    cold = cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["part_digests"] == cold["part_digests"]
    members = {p.name: p for p in (tmp_path / "inc" / "members").glob("*.parquet")}
    assert part_of("c2") + ".parquet" in members
    for name, path in members.items():  # c2's part is new; every other part is the first run's file
        old = first / "members" / name
        assert (old.exists() and os.path.samefile(path, old)) == (name != part_of("c2") + ".parquet")
    for name in ("canonical.parquet", "anchors.parquet"):  # same canonical documents and clusters
        assert os.path.samefile(tmp_path / "inc" / name, first / name)
    rows = pq.read_table(members[part_of("c2") + ".parquet"], columns=["doc_id"]).num_rows
    assert inc["texts_read"] == rows < cold["texts_read"]
    assert (inc["anchors_copied"], inc["anchors_computed"]) == (6, 0)

    later = [dict(d) for d in docs]
    later[0]["canonical"], later[5]["canonical"] = False, True  # d5 now stands for c0
    inputs = write_inputs(tmp_path / "in3", later, ["c0", "c1", "c2"], root="/elsewhere")
    again = cluster_members_shard(inputs, str(tmp_path / "again"), earlier=[str(first), str(tmp_path / "inc")])
    cold = cluster_members_shard(inputs, str(tmp_path / "cold2"))
    assert artifact_bytes(tmp_path / "again") == artifact_bytes(tmp_path / "cold2")
    assert not os.path.samefile(tmp_path / "again" / "canonical.parquet", first / "canonical.parquet")
    assert (again["anchors_copied"], again["anchors_computed"]) == (5, 1)  # d5's anchors are new
    for name in os.listdir(tmp_path / "again" / "members"):
        linked = os.path.samefile(tmp_path / "again" / "members" / name, tmp_path / "inc" / "members" / name)
        assert linked == (name != part_of("c0") + ".parquet")


def test_members_ignores_an_earlier_artifact_it_cannot_read(tmp_path):
    docs = member_docs()
    inputs = write_inputs(tmp_path / "in", docs, ["c0"])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "canonical.parquet").write_bytes(b"not parquet")
    gone = tmp_path / "gone"  # pruned meanwhile
    got = cluster_members_shard(inputs, str(tmp_path / "out"), earlier=[str(broken), str(gone)])
    cluster_members_shard(inputs, str(tmp_path / "cold"))
    assert got["anchors_copied"] == 0 and got["anchors_computed"] == 6
    assert artifact_bytes(tmp_path / "out") == artifact_bytes(tmp_path / "cold")
    assert not os.path.exists(gone)
    assert pq.read_table(tmp_path / "out" / "anchors.parquet").num_rows > 0


def _export_inputs(tmp_path: Path) -> tuple[dict, list[str]]:
    """Real normalize and extract artifacts of the seed pages, and their doc ids."""
    from tasks import extract, normalize, schema
    from tasks.annotate import annotate_shard
    from tests.test_speed import _ingest_rows

    write_table(rows_to_table(_ingest_rows(), schema.INGEST_DOCS), tmp_path / "ingest" / "docs.parquet", ["doc_id"])
    normalize.normalize_shard({"ingest": str(tmp_path / "ingest")}, str(tmp_path / "normalize"), min_chars=50)
    extract.extract_shard({"normalize": str(tmp_path / "normalize")}, str(tmp_path / "extract"))
    ids = pq.read_table(tmp_path / "normalize" / "docs.parquet", columns=["doc_id"]).column(0).to_pylist()
    inputs = {"normalize": str(tmp_path / "normalize"), "extract": str(tmp_path / "extract")}
    every = _assignments(tmp_path / "all-canonical.parquet", ids, {})
    made = annotate_shard({**inputs, "dedupe": every}, str(tmp_path / "annotate"), top_k=10)
    (tmp_path / "annotate" / "_done.json").write_text(json.dumps(made))  # complete, as the step runner marks it
    return {**inputs, "annotate": str(tmp_path / "annotate")}, ids


def _assignments(path: Path, ids: list[str], joined: dict[str, str]) -> str:
    """One cluster per document, except `joined`: doc -> the canonical it is now a near copy of."""
    from tasks.schema import ASSIGNMENTS

    rows = []
    for d in ids:
        dup_of = joined.get(d)
        rows.append(
            {
                "doc_id": d,
                "cluster_id": f"k-{dup_of or d}",
                "is_canonical": dup_of is None,
                "dup_of": dup_of,
                "dup_jaccard": 0.91 if dup_of else None,
                "dup_containment": 0.97 if dup_of else None,
                "dup_reason": "near" if dup_of else None,
            }
        )
    return write_table(pa.Table.from_pylist(rows, schema=ASSIGNMENTS), path, ["doc_id"])


def test_export_rerun_links_unchanged_tables_and_writes_the_cold_bytes(tmp_path):
    import json

    from tasks.export import export_shard

    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    a = export_shard({**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {})}, str(first), "v1")
    assert a["linked"] is False
    (first / "_done.json").write_text(json.dumps(a))  # complete, as the step runner marks it

    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[1]: ids[0], ids[3]: ids[0]})}
    inc = export_shard(later, str(tmp_path / "inc"), "v1", earlier=[str(first)])
    cold = export_shard(later, str(tmp_path / "cold"), "v1")
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["digests"] == cold["digests"] and inc["digests"]["documents"] != a["digests"]["documents"]
    assert inc["linked"] is True and inc["patched"] is True and cold["linked"] is False
    for name in ("removed_lines", "mentions", "keywords"):  # the same file, not a rewrite
        assert os.path.samefile(tmp_path / "inc" / f"{name}.parquet", first / f"{name}.parquet")
    docs = pq.read_table(tmp_path / "inc" / "documents.parquet").to_pylist()
    assert {d["doc_id"]: d["dup_of"] for d in docs if d["dup_of"]} == {ids[1]: ids[0], ids[3]: ids[0]}

    # another pipeline version, or other extract output, is never linked
    other = export_shard(later, str(tmp_path / "v2"), "v2", earlier=[str(first)])
    assert other["linked"] is False
    moved = {**later, "extract": str(tmp_path / "extract2")}
    os.rename(tmp_path / "extract", tmp_path / "extract2")
    assert export_shard(moved, str(tmp_path / "x2"), "v1", earlier=[str(first)])["linked"] is False


def test_reuse_rerun_after_removals_rewrites_and_cluster_moves_equals_cold(tmp_path):
    """Pages taken down, rewritten, or moved to another cluster: the pairs they are in are computed
    again, every other pair keeps its rows, and the bytes are a cold run's."""
    from tests.test_reuse import corpus_docs, run_stage, table_bytes, write_shard

    shards = corpus_docs()
    first = run_stage([write_shard(tmp_path / f"s{k}", d) for k, d in enumerate(shards)], tmp_path / "runs" / "a")
    assert first["reuse"] > 0 and first["pairs_reused"] == 0

    later = [[dict(d) for d in s] for s in shards]
    removed = later[2].pop(0)  # a page with PASSAGE taken down
    later[0][0]["text"] = insert(later[0][0]["text"], 100, PASSAGE[:40] + "。")  # rewritten
    later[1][2]["cluster_id"] = later[0][2]["cluster_id"]  # now a copy of another speech: never paired with it
    before = [
        r for f in sorted((tmp_path / "runs" / "a" / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
    ]
    untouched = {d["doc_id"]: d for d in later[1][3:] + later[0][3:]}
    pair = next(
        r for r in before if r["first_doc_id"] in untouched and {r["doc_id_a"], r["doc_id_b"]} <= set(untouched)
    )
    dated = untouched[pair["first_doc_id"]]  # the earlier one of a pair, dated anew (same text): now the later
    dated["year"] = 2031
    dirs = [write_shard(tmp_path / f"t{k}", d) for k, d in enumerate(later)]
    inc = run_stage(dirs, tmp_path / "runs" / "b")
    cold = run_stage(dirs, tmp_path / "cold" / "c")
    assert table_bytes(tmp_path / "runs" / "b") == table_bytes(tmp_path / "cold" / "c")
    assert inc["pairs_reused"] > 0 and inc["pairs_computed"] < cold["pairs_computed"]
    assert inc["pairs_reused"] + inc["pairs_computed"] == cold["pairs_computed"]
    rows = [
        r for f in sorted((tmp_path / "cold" / "c" / "reuse").glob("*.parquet")) for r in pq.read_table(f).to_pylist()
    ]
    assert removed["doc_id"] not in {r["doc_id_a"] for r in rows} | {r["doc_id_b"] for r in rows}
    assert not [r for r in rows if {r["cluster_a"], r["cluster_b"]} == {later[0][2]["cluster_id"]}]
    firsts = {r["first_doc_id"] for r in rows if dated["doc_id"] in (r["doc_id_a"], r["doc_id_b"])}
    assert firsts and dated["doc_id"] not in firsts


def test_members_parts_built_in_arrow_equal_parts_built_from_python_rows(tmp_path, monkeypatch):
    """The members stage takes texts in Arrow batch by batch and digests clusters a few rows at a
    time (memory); its parts are the bytes `write_members_part` makes from whole Python rows."""
    import json

    from tasks import repair

    monkeypatch.setattr(repair, "CLUSTER_DIGEST_BATCH", 2)
    docs = member_docs()
    inputs = write_inputs(tmp_path / "in", docs, ["c0", "c1"], row_group_size=2)  # texts from several row groups
    stats = cluster_members_shard(inputs, str(tmp_path / "arrow"))
    assert stats["texts_read"] == 5  # c0 and c1 copies (d0, d1, d5, d6) and the spun page d7
    by_id = {d["doc_id"]: d for d in docs}
    parts = sorted((tmp_path / "arrow" / "members").glob("*.parquet"))
    assert parts
    for part in parts:
        ids = pq.read_table(part, columns=["doc_id"]).column(0).to_pylist()
        rows = [
            {
                "doc_id": i,
                "cluster_id": by_id[i]["cluster_id"],
                "text": by_id[i]["text"],
                "quality_flags": sorted(by_id[i]["flags"]),
                "is_canonical": by_id[i]["canonical"],
            }
            for i in reversed(ids)  # any order: the part is sorted by cluster and document
        ]
        repair.write_members_part(rows, tmp_path / "rows.parquet")
        assert (tmp_path / "rows.parquet").read_bytes() == part.read_bytes(), part.name
        # the footer's digests: xxh3-128 of each cluster's rows, each its other columns as a JSON list and its
        # text's UTF-8 bytes, both length-prefixed (computed here from Python rows)
        table = pq.read_table(part)
        recorded = json.loads(table.schema.metadata[repair.CLUSTER_DIGESTS.encode()])
        for cid in recorded:
            h = xxhash.xxh3_128()
            for r in table.select(list(repair.REPAIR_COLUMNS)).to_pylist():
                if r["cluster_id"] == cid:
                    head = json.dumps([r["doc_id"], r["cluster_id"], r["quality_flags"], r["is_canonical"]],
                                      ensure_ascii=False).encode()  # fmt: skip
                    body = r["text"].encode()
                    h.update(len(head).to_bytes(8, "little") + head + len(body).to_bytes(8, "little") + body)
            assert recorded[cid] == h.hexdigest()


def _documents_table(n: int, seed: int = 7) -> pa.Table:
    """A documents table of exactly the published schema: n rows in doc_id order, texts varied
    enough that the text columns fall back from dictionary to plain pages, several row groups."""
    import random

    from tasks import schema

    rnd = random.Random(seed)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府南江"
    cluster = [f"c{k:06d}" for k in range(n)]
    values: dict[str, list] = {
        "doc_id": [f"{k:016x}" for k in range(n)],
        "source_path": [f"site/{k % 97}/page-{k}.html" for k in range(n)],
        "content_sha256": [f"{rnd.getrandbits(256):064x}" for _ in range(n)],
        "format": ["html"] * n,
        "raw_text": ["".join(rnd.choices(chars, k=rnd.randint(80, 400))) for _ in range(n)],
        "text": ["".join(rnd.choices(chars, k=rnd.randint(60, 300))) for _ in range(n)],
        "n_chars": [rnd.randint(60, 300) for _ in range(n)],
        "region_mentions": [["河北省", "邢台市"][: k % 3] for k in range(n)],
        "quality_flags": [["spun"] if k % 5 == 0 else [] for k in range(n)],
        "flag_counts": [[("spun", 2)] if k % 5 == 0 else [] for k in range(n)],
        "year": [1990 + k % 37 for k in range(n)],
        "cluster_id": cluster,
        "is_canonical": [True] * n,
        "pipeline_version": ["v1"] * n,
    }
    return rows_to_table([dict(zip(values, row)) for row in zip(*values.values())], schema.DOCUMENTS)


def _rededupe(table: pa.Table, joined: dict[int, int]) -> pa.Table:
    """table with rows `joined` (row -> row of its canonical) made near copies."""
    from tasks import export

    rows = table.select(list(export.DUPLICATE_COLUMNS)).to_pylist()
    ids = table.column("doc_id").to_pylist()
    for k, c in joined.items():
        rows[k].update(
            cluster_id=rows[c]["cluster_id"],
            is_canonical=False,
            dup_of=ids[c],
            dup_jaccard=0.9 + k % 7 / 100,
            dup_containment=0.95,
            dup_reason="near" if k % 2 else "contained",
        )
    dup = export._dedupe_columns(ids, {i: r | {"doc_id": i} for i, r in zip(ids, rows, strict=True)})
    return dup


def test_patching_dedupe_columns_writes_the_bytes_of_a_full_write(tmp_path):
    """Several row groups (the writer's 8192 rows), text columns past the dictionary limit: the
    file patched in place is the file pyarrow writes for the whole new table, byte for byte."""
    import hashlib

    from tasks import export

    table = _documents_table(20_000)
    write_table(table, tmp_path / "a.parquet")
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups == 3
    dup = _rededupe(table, {5: 4, 9000: 3, 19_999: 16_500, 12: 11})
    spliced = export._splice_columns(tmp_path / "a.parquet", dup, tmp_path / "patched.parquet")
    full = export._rededuped(table, dup)
    write_table(full, tmp_path / "full.parquet")
    patched = (tmp_path / "patched.parquet").read_bytes()
    assert patched == (tmp_path / "full.parquet").read_bytes()
    assert spliced == export._documents_digest(tmp_path / "full.parquet")
    assert pq.read_table(tmp_path / "patched.parquet").equals(full)
    # the piece digests: one per column chunk, plus head and footer, joined into the content digest
    digest, pieces = spliced
    md = pq.ParquetFile(tmp_path / "patched.parquet").metadata
    assert len(pieces) == 2 + md.num_row_groups * md.num_columns and digest != hashlib.sha256(patched).hexdigest()


def test_a_patch_with_recorded_piece_digests_reads_no_unchanged_chunk(tmp_path, monkeypatch):
    """The earlier file's piece digests (its export's _done.json) stand for its unchanged chunks: only
    the replaced columns' chunks and the footer are hashed, and the unchanged bytes are copied file to
    file (os.copy_file_range), or through the mapped file where that fails: the same bytes either way."""
    from tasks import export

    table = _documents_table(20_000)
    write_table(table, tmp_path / "a.parquet")
    _, pieces_a = export._documents_digest(tmp_path / "a.parquet")
    assert pieces_a is not None
    dup = _rededupe(table, {5: 4, 9000: 3, 19_999: 16_500})
    write_table(export._rededuped(table, dup), tmp_path / "full.parquet")
    want = export._documents_digest(tmp_path / "full.parquet")
    hashed: list[int] = []
    piece_digest = export._piece_digest
    monkeypatch.setattr(export, "_piece_digest", lambda data: hashed.append(len(data)) or piece_digest(data))
    got = export._splice_columns(tmp_path / "a.parquet", dup, tmp_path / "p1.parquet", pieces_a)
    assert got == want
    assert (tmp_path / "p1.parquet").read_bytes() == (tmp_path / "full.parquet").read_bytes()
    # head, one chunk per replaced column and row group, the footer: no text chunk
    assert len(hashed) == 2 + 3 * len(dup.column_names)
    assert sum(hashed) < (tmp_path / "full.parquet").stat().st_size // 20

    def refused(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(export.os, "copy_file_range", refused, raising=False)
    assert export._splice_columns(tmp_path / "a.parquet", dup, tmp_path / "p2.parquet", pieces_a) == want
    assert (tmp_path / "p2.parquet").read_bytes() == (tmp_path / "full.parquet").read_bytes()
    # recorded digests of another layout (a count that does not match) are not taken: hashed again
    assert export._splice_columns(tmp_path / "a.parquet", dup, tmp_path / "p3.parquet", pieces_a[:-1]) == want


def test_a_file_laid_out_otherwise_is_not_patched(tmp_path):
    """A page index, another codec: not the layout the patch proves itself on, so nothing is written."""
    from tasks import export

    table = _documents_table(300)
    dup = _rededupe(table, {5: 4})
    for name, options in (("index", {"write_page_index": True}), ("snappy", {"compression": "snappy"})):
        src = tmp_path / f"{name}.parquet"
        pq.write_table(table, src, **{**export._WRITE_OPTIONS, **options})
        assert export._splice_columns(src, dup, tmp_path / f"{name}-out.parquet") is None
        assert not (tmp_path / f"{name}-out.parquet").exists()
    assert list(tmp_path.glob(".tmp-*")) == []


def test_export_rerun_on_an_earlier_file_it_cannot_patch_still_writes_the_cold_bytes(tmp_path):
    import json

    from tasks.export import export_shard

    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    a = export_shard({**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {})}, str(first), "v1")
    (first / "_done.json").write_text(json.dumps(a))
    docs = first / "documents.parquet"
    table = pq.read_table(docs)
    os.unlink(docs)
    pq.write_table(table, docs, compression="snappy")  # same rows, other bytes
    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[2]: ids[0]})}
    inc = export_shard(later, str(tmp_path / "inc"), "v1", earlier=[str(first)])
    export_shard(later, str(tmp_path / "cold"), "v1")
    assert inc["linked"] is True and inc["patched"] is False
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")


@pytest.mark.usefixtures("prefect_api")
def test_a_near_copy_in_a_new_shard_patches_the_shard_of_its_original(samples, tmp_path, monkeypatch):
    """The nightly case: a new page copies one already published. The original's shard is re-run
    only for its dedupe columns, patched in place, and the release is a cold build's, byte for byte."""
    import hashlib

    from flows.pipeline import build_corpus
    from tasks import export

    patched: list[str | None] = []
    splice = export._splice_columns

    def counting(*args):
        patched.append(splice(*args))
        return patched[-1]

    monkeypatch.setattr(export, "_splice_columns", counting)
    monkeypatch.setenv("JIANGHUA_INLINE", "1")  # in-process, so the patch above is what runs
    from tasks import stages

    kinds: list[str] = []  # the kind each export call was judged as by the worker pool (tasks.pool.KIND)
    kind_of = stages.export_kind
    monkeypatch.setattr(stages, "export_kind", lambda *a: kinds.append(kind_of(*a)) or kinds[-1])

    def run(out: Path) -> dict[str, str]:
        build_corpus(inputs=[str(samples)], out=str(out), workers=1, target_shard_docs=3)
        release = (out / "current").resolve()
        return {
            str(p.relative_to(release)): hashlib.sha256(p.read_bytes()).hexdigest() for p in release.rglob("*.parquet")
        }

    for folder in ("aldohemsn__chinese-political-corpora", "johncodes404__china-provincial-gov-reports-2026"):
        shutil.rmtree(samples / "real" / folder)  # nine pages in four shards are enough, and quicker
    run(tmp_path / "inc")
    assert patched == [] and kinds and set(kinds) == {""}
    kinds.clear()
    original = samples / "real" / "lawtext__gov" / "国务院__1956.txt"
    text = original.read_text(encoding="utf-8")
    (samples / "zz-new").mkdir()
    (samples / "zz-new" / "转载.txt").write_text(text + "\n（本文转载自人民网，转载请注明出处。）\n", encoding="utf-8")
    incremental = run(tmp_path / "inc")
    assert patched and all(d is not None for d in patched)
    # the flow knew before each call which ones would patch: once to batch the patches (flows.pipeline
    # PATCH_STEPS_PER_TASK), once as the step's memory kind
    assert kinds.count("patch") == 2 * len(patched)
    assert incremental == run(tmp_path / "cold")


def test_the_flows_index_of_earlier_exports_finds_the_match_in_one_lookup(tmp_path):
    """`stages.earlier_exports` reads each earlier export's `_done.json` once per run; a shard then
    looks its match up instead of reading every earlier artifact's marker again."""
    import json

    from tasks.export import export_shard
    from tasks.stages import code_version, earlier_exports

    inputs, ids = _export_inputs(tmp_path)
    state = tmp_path / "state"
    folders = {}
    for name, version in (("b-old", "v1"), ("a-other", "v0"), ("c-later", "v1")):
        folders[name] = state / "artifacts" / "export" / name
        made = export_shard(
            {**inputs, "dedupe": _assignments(tmp_path / f"{name}.parquet", ids, {})}, str(folders[name]), version
        )
        made["code_version"] = code_version("export")
        (folders[name] / "_done.json").write_text(json.dumps(made))
    stale = state / "artifacts" / "export" / "d-stale"  # made by other code: never offered
    stale.mkdir()
    (stale / "_done.json").write_text(json.dumps({"code_version": "older", "sources": made["sources"]}))

    index = earlier_exports("export", str(state), rebuild=False)["earlier"]
    assert sorted(index.values()) == [str(folders["a-other"]), str(folders["b-old"])]  # first of equal sources
    later = {**inputs, "dedupe": _assignments(tmp_path / "later.parquet", ids, {ids[1]: ids[0]})}
    inc = export_shard(later, str(tmp_path / "inc"), "v1", earlier=index)
    scanned = export_shard(later, str(tmp_path / "scan"), "v1", earlier=sorted(map(str, folders.values())))
    assert inc["linked"] is True and inc == {**scanned}
    assert os.path.samefile(tmp_path / "inc" / "keywords.parquet", folders["b-old"] / "keywords.parquet")
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "scan")
    assert earlier_exports("export", str(state), rebuild=True) == {"earlier": {}}

"""The annotate stage: side tables of each cluster's canonical copy only, reused per document across runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq

from tasks import schema
from tasks.annotate import annotate_document, annotate_shard
from tasks.extract import rows_table
from tests.test_incremental_parts import _assignments, _export_inputs, artifact_bytes


def _doc_ids(folder: Path, table: str) -> set[str]:
    return set(pq.read_table(folder / f"{table}.parquet", columns=["doc_id"]).column(0).to_pylist())


def test_only_canonical_copies_are_annotated_with_the_rows_of_each_alone(tmp_path):
    inputs, ids = _export_inputs(tmp_path)  # every document canonical: tmp_path/annotate
    copies = {ids[1]: ids[0], ids[3]: ids[0]}  # 3 copies of one speech: 1 and 3 are not annotated
    out = tmp_path / "some"
    stats = annotate_shard({**inputs, "dedupe": _assignments(tmp_path / "a.parquet", ids, copies)}, str(out), top_k=10)
    every = Path(inputs["annotate"])
    assert stats["docs"] == len(ids) - 2 and stats["flagged"] == 0
    for name in schema.EXTRACT_TABLES:
        assert _doc_ids(out, name) == _doc_ids(every, name) - set(copies), name
    # a canonical's rows are the ones annotating it alone gives, with its own year and level from extract
    fields = {r["doc_id"]: r for r in pq.read_table(Path(inputs["extract"]) / "fields.parquet").to_pylist()}
    texts = {r["doc_id"]: r["text"] for r in pq.read_table(Path(inputs["normalize"]) / "docs.parquet").to_pylist()}
    d = ids[0]
    alone = annotate_document(d, texts[d], fields[d]["year"], fields[d]["admin_level"], 10)
    for name in schema.EXTRACT_TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        got = [r for r in table.to_pylist() if r["doc_id"] == d]
        want = rows_table(alone[name], schema.TABLES[name])
        assert got == want.sort_by([(k, "ascending") for k in schema.SORT_KEYS[name]]).to_pylist(), name
    assert sum(len(v) for v in alone.values()) > 0


def test_a_copy_becoming_canonical_is_annotated_and_the_rest_copied_with_cold_bytes(tmp_path, monkeypatch):
    from tasks import annotate

    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    a = annotate_shard(
        {**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {ids[1]: ids[0]})}, str(first), 10
    )
    (first / "_done.json").write_text(json.dumps(a))
    assert a["reused_docs"] == 0 and ids[1] not in _doc_ids(first, "keywords")

    seen: list[str] = []
    real = annotate.annotate_document
    monkeypatch.setattr(annotate, "annotate_document", lambda d, *rest: seen.append(d) or real(d, *rest))
    texts_read: list[
        set[str]
    ] = []  # the earlier artifact has these very sources: only the new canonical's text is read
    batches = annotate._canonical_batches
    monkeypatch.setattr(
        annotate, "_canonical_batches", lambda path, want: texts_read.append(set(want)) or batches(path, want)
    )
    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[0]: ids[1]})}  # 1 won the election
    inc = annotate_shard(later, str(tmp_path / "inc"), 10, earlier=[str(first)])
    assert seen == [ids[1]] and inc["reused_docs"] == len(ids) - 2
    assert texts_read == [{ids[1]}]
    cold = annotate_shard(later, str(tmp_path / "cold"), 10)
    assert artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")
    assert inc["digests"] == cold["digests"]
    assert ids[1] in _doc_ids(tmp_path / "inc", "keywords") and ids[0] not in _doc_ids(tmp_path / "inc", "keywords")
    # another top_k is another annotation: nothing is copied
    assert annotate_shard(later, str(tmp_path / "k5"), 5, earlier=[str(first)])["reused_docs"] == 0


def test_a_failed_annotation_is_a_quality_flag_and_never_reused(tmp_path, monkeypatch):
    """The page stays (documents row, every other table); its flag says the side tables are missing, and the
    next run tries it again (a timeout is often the machine, not the page)."""
    from tasks import annotate
    from tasks.export import export_shard

    inputs, ids = _export_inputs(tmp_path)
    real = annotate.annotate_document

    def broken(d, *rest):
        if d == ids[2]:
            raise ValueError("a figure rule met a page it never saw")
        return real(d, *rest)

    monkeypatch.setattr(annotate, "annotate_document", broken)
    dedupe = _assignments(tmp_path / "a.parquet", ids, {})
    first = tmp_path / "first"
    made = annotate_shard({**inputs, "dedupe": dedupe}, str(first), 10)
    (first / "_done.json").write_text(json.dumps(made))
    assert made["errors"] == 1 and ids[2] not in _doc_ids(first, "keywords")
    exported = export_shard({**inputs, "annotate": str(first), "dedupe": dedupe}, str(tmp_path / "x"), "v1")
    docs = {r["doc_id"]: r for r in pq.read_table(tmp_path / "x" / "documents.parquet").to_pylist()}
    assert "annotate_error" in docs[ids[2]]["quality_flags"] and exported["annotate_flagged"] == 1
    assert all("annotate_error" not in r["quality_flags"] for d, r in docs.items() if d != ids[2])

    monkeypatch.setattr(annotate, "annotate_document", real)
    again = annotate_shard({**inputs, "dedupe": dedupe}, str(tmp_path / "again"), 10, earlier=[str(first)])
    assert again["reused_docs"] == len(ids) - 1 and again["flagged"] == 0
    assert ids[2] in _doc_ids(tmp_path / "again", "keywords")
    # the export made with the flag is never patched: its documents rows are written again, flag gone
    (tmp_path / "x" / "_done.json").write_text(json.dumps(exported))
    fixed = {**inputs, "annotate": str(tmp_path / "again"), "dedupe": dedupe}
    inc = export_shard(fixed, str(tmp_path / "inc"), "v1", earlier=[str(tmp_path / "x")])
    export_shard(fixed, str(tmp_path / "cold"), "v1")
    assert inc["linked"] is False and artifact_bytes(tmp_path / "inc") == artifact_bytes(tmp_path / "cold")


def test_export_links_the_side_tables_annotate_wrote(tmp_path):
    from tasks.export import export_shard

    inputs, ids = _export_inputs(tmp_path)
    out = tmp_path / "x"
    made = export_shard({**inputs, "dedupe": _assignments(tmp_path / "a.parquet", ids, {})}, str(out), "v1")
    for name in schema.EXTRACT_TABLES:
        assert os.path.samefile(out / f"{name}.parquet", Path(inputs["annotate"]) / f"{name}.parquet")
        assert pq.read_schema(out / f"{name}.parquet").equals(schema.TABLES[name], check_metadata=False)
        assert made[name] == pq.ParquetFile(out / f"{name}.parquet").metadata.num_rows


def test_a_speech_delivered_late_in_its_year_reviews_that_year():
    """`预计全年国内生产总值增长3%左右` in a December 中央经济工作会议 speech is 2022's: figures' outcomes defaulted to the
    year before the document's whatever its date (2021). A report delivered in March reviews the year before; a
    document of unknown date keeps the default, and its digest (the annotate cache key) is the one it had."""
    import datetime as dt

    from tasks.annotate import _digest
    from tasks.common import content_digest
    from tasks.extract_figures import reviewed_year

    text = "同志们：\n预计全年国内生产总值增长3%左右，城镇新增就业1200万人以上。\n明年要坚持稳字当头、稳中求进。"

    def refs(delivered):
        rows = annotate_document("d", text, 2022, "national", 5, reviewed_year(2022, delivered))["figures"]
        return {r["as_written"]: r["ref_year"] for r in rows}

    assert refs(dt.date(2022, 12, 15)) == {"3%": 2022, "1200万人": 2022}
    assert refs(dt.date(2022, 7, 28)) == {"3%": 2022, "1200万人": 2022}
    assert refs(dt.date(2022, 3, 5)) == {"3%": 2021, "1200万人": 2021}
    assert refs(None) == {"3%": 2021, "1200万人": 2021}
    assert reviewed_year(2023, dt.date(2022, 12, 15)) is None  # a date of another year than the document's says nothing
    assert _digest("d", text, 2022, "national", 5) == content_digest("d", text, 2022, "national", 5)
    assert _digest("d", text, 2022, "national", 5, 2022) != _digest("d", text, 2022, "national", 5)


def test_the_flow_knows_an_annotate_step_that_copies_an_earlier_artifact(tmp_path):
    """stages.annotate_kind, read in the flow from the step's earlier artifacts' `_done.json`, says "incremental"
    exactly when annotate_shard finds an earlier artifact of the same normalize and extract artifacts and top_k
    to copy its documents from (`_same_sources_memo`): the pool then judges the call on incremental calls' growth,
    not on a cold call's (every canonical text segmented), which replaced both workers before a 20k +1 % run's
    annotate calls. Otherwise "" (the cold kind)."""
    from tasks import annotate, stages

    assert stages.STAGES["annotate"].memory_kind == "tasks.stages:annotate_kind"
    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    cold = {**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {ids[1]: ids[0]})}
    assert stages.annotate_kind(cold, {"top_k": 10, "earlier": []}) == ""
    made = annotate_shard(cold, str(first), 10)
    (first / "_done.json").write_text(json.dumps({**made, "code_version": "v"}))  # as tasks.steps writes it
    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[0]: ids[1]})}
    params = {"top_k": 10, "earlier": [str(first)]}
    assert stages.annotate_kind(later, params) == "incremental"
    assert annotate._same_sources_memo(params["earlier"], made["sources"], set(ids))  # what the call then finds
    assert annotate_shard(later, str(tmp_path / "inc"), 10, earlier=[str(first)])["reused_docs"] == len(ids) - 2
    # another top_k, other extract fields, an artifact without its record: every document annotated again
    assert stages.annotate_kind(later, {**params, "top_k": 5}) == ""
    other = {**later, "extract": str(tmp_path / "elsewhere" / Path(inputs["extract"]).name / "x")}
    assert stages.annotate_kind(other, params) == ""
    assert stages.annotate_kind(later, {"top_k": 10, "earlier": [str(tmp_path / "nowhere")]}) == ""
    assert stages.annotate_kind(later, {"top_k": 10}) == ""


def test_the_flow_knows_which_incremental_annotate_calls_have_documents_to_annotate(tmp_path):
    """stages.annotate_builds says whether an incremental call has a canonical document no earlier artifact of its
    sources holds: exactly the calls that import extraction and build its tables (`_annotate_documents`). Only
    those prefer the workers that ran extract (tasks.steps.warm_when; a nightly run's old shards with 1-3 new
    canonicals paid ~1 CPU-s of set-up on the other worker, session 54)."""
    from tasks import stages
    from tasks.steps import preferred_workers, warm_when

    inputs, ids = _export_inputs(tmp_path)
    base = {k: v for k, v in inputs.items() if k != "annotate"}
    first = tmp_path / "first"
    made = annotate_shard(
        {**base, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {ids[1]: ids[0]})}, str(first), 10
    )
    (first / "_done.json").write_text(json.dumps({**made, "code_version": "v"}))
    params = {"top_k": 10, "earlier": [str(first)]}
    cases = {
        "same": ({ids[1]: ids[0]}, False),
        "shrunk": ({ids[1]: ids[0], ids[2]: ids[0]}, False),  # a canonical lost: rows copied, nothing annotated
        "gained": ({ids[0]: ids[1]}, True),  # ids[1] canonical now, never annotated
    }
    for name, (joined, builds) in cases.items():
        later = {**base, "dedupe": _assignments(tmp_path / f"{name}.parquet", ids, joined)}
        assert stages.annotate_kind(later, params) == "incremental", name
        assert stages.annotate_builds(later, params) is builds, name
        assert warm_when("annotate", "incremental", later, params) is builds, name
        got = annotate_shard(later, str(tmp_path / name), 10, earlier=[str(first)])
        assert (got["reused_docs"] < got["docs"]) is builds, name  # what the call then does
    assert stages.annotate_builds(later, {"top_k": 10, "earlier": []}) is True  # nothing to copy from
    assert stages.annotate_builds(later, {**params, "top_k": 5}) is True  # an artifact of other sources
    assert not warm_when("annotate", "", later, params)  # a cold call prefers as such (preferred_workers)
    assert preferred_workers("annotate", "incremental") == [] and not warm_when("export", "patch", later, params)


_SHRUNK_CALL = """
import json, sys
from tasks.annotate import annotate_shard
stats = annotate_shard(json.loads(sys.argv[1]), sys.argv[2], 10, earlier=[sys.argv[3]])
print(json.dumps({"stats": stats, "modules": sorted(m for m in sys.modules if m.startswith("tasks.extract"))}))
"""


def test_an_old_shard_whose_canonicals_only_shrank_copies_its_rows_without_extraction(tmp_path):
    """A nightly run's old shard that lost a canonical (a longer new copy elsewhere took it) annotates nothing: it
    imports none of extraction's modules (~0.5 CPU-s in a worker that never ran extract, plus ~0.45 of tables for a
    document annotated, session 53), links each table none of whose rows left, writes the others as a cold run does."""
    import subprocess
    import sys

    inputs, ids = _export_inputs(tmp_path)
    earlier = Path(inputs["annotate"])  # every document canonical
    for lost, folder in (({}, "same"), ({ids[1]: ids[0]}, "shrunk")):
        later = {k: v for k, v in inputs.items() if k != "annotate"}
        later["dedupe"] = _assignments(tmp_path / f"{folder}.parquet", ids, lost)
        run = subprocess.run(
            [sys.executable, "-c", _SHRUNK_CALL, json.dumps(later), str(tmp_path / folder), str(earlier)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert run.returncode == 0, run.stderr[-3000:]
        got = json.loads(run.stdout.splitlines()[-1])
        assert got["modules"] == [] and got["stats"]["reused_docs"] == len(ids) - len(lost), folder
        cold = annotate_shard(later, str(tmp_path / f"{folder}-cold"), 10)
        assert artifact_bytes(tmp_path / folder) == artifact_bytes(tmp_path / f"{folder}-cold"), folder
        assert got["stats"]["digests"] == cold["digests"]
        for name in schema.EXTRACT_TABLES:
            kept = not (set(lost) & _doc_ids(earlier, name))
            assert os.path.samefile(tmp_path / folder / f"{name}.parquet", earlier / f"{name}.parquet") == kept, name
    assert any(ids[1] in _doc_ids(earlier, name) for name in schema.EXTRACT_TABLES)  # some table lost rows


def _slogans_of(folder: Path) -> dict[str, int]:
    rows = pq.read_table(folder / "slogans.parquet", columns=["doc_id"]).column(0).to_pylist()
    return {d: rows.count(d) for d in set(rows)}


def test_one_side_table_failing_keeps_the_others_and_flags_the_speech(tmp_path, monkeypatch):
    """A side table whose rules raise on one speech (session 61: a segmenter shared by threads refused a borrow) is
    no silent gap: the speech's other tables keep their rows, its memo says annotate_error, and the next run annotates
    it again instead of copying the gap."""
    from tasks import extract_structure

    inputs, ids = _export_inputs(tmp_path)
    dedupe = _assignments(tmp_path / "a.parquet", ids, {})
    whole = annotate_shard({**inputs, "dedupe": dedupe}, str(tmp_path / "whole"), 10)
    slogans = _slogans_of(tmp_path / "whole")
    victim = next(d for d in ids if slogans.get(d))  # a speech with slogans
    real = extract_structure.extract_slogans

    def broken(doc_id, text):
        if doc_id == victim:
            raise RuntimeError("Already borrowed")
        return real(doc_id, text)

    monkeypatch.setattr(extract_structure, "extract_slogans", broken)
    first = tmp_path / "first"
    made = annotate_shard({**inputs, "dedupe": dedupe}, str(first), 10)
    (first / "_done.json").write_text(json.dumps(made))
    assert made["errors"] == 1 and made["timeouts"] == 0 and whole["errors"] == 0
    assert victim not in _slogans_of(first) and victim in _doc_ids(first, "keywords")
    for name in ("sections", "figures", "mentions", "keywords"):
        assert _doc_ids(first, name) == _doc_ids(tmp_path / "whole", name), name
    memo = {r["doc_id"]: r for r in pq.read_table(first / "memo.parquet").to_pylist()}
    assert memo[victim]["flags"] == ["annotate_error"] and memo[victim]["digest"].startswith("failed:")

    monkeypatch.setattr(extract_structure, "extract_slogans", real)
    again = annotate_shard({**inputs, "dedupe": dedupe}, str(tmp_path / "again"), 10, earlier=[str(first)])
    assert again["reused_docs"] == len(ids) - 1 and again["flagged"] == 0
    assert artifact_bytes(tmp_path / "again") == artifact_bytes(tmp_path / "whole")


def test_a_time_budget_spent_inside_one_side_table_is_a_timeout(tmp_path, monkeypatch):
    """The budget's alarm raised inside a table's rules is not one table's error: the speech's annotation stops there
    and is flagged annotate_timeout (before session 61 the table's guard caught it, and the speech's remaining tables
    ran with no budget left)."""
    import time

    from tasks import extract_structure

    inputs, ids = _export_inputs(tmp_path)
    dedupe = _assignments(tmp_path / "a.parquet", ids, {})
    real_slogans, real_mentions = extract_structure.extract_slogans, extract_structure.extract_mentions
    after: list[str] = []

    def stuck(doc_id, text):
        if doc_id == ids[2]:
            time.sleep(30)  # a regex that never ends, as far as the budget can tell
        return real_slogans(doc_id, text)

    monkeypatch.setattr(extract_structure, "extract_slogans", stuck)
    monkeypatch.setattr(extract_structure, "extract_mentions", lambda d, t: after.append(d) or real_mentions(d, t))
    started = time.monotonic()
    made = annotate_shard({**inputs, "dedupe": dedupe}, str(tmp_path / "out"), 10, doc_seconds=1.0)
    assert time.monotonic() - started < 25
    assert made["timeouts"] == 1 and made["errors"] == 0 and ids[2] not in after
    memo = {r["doc_id"]: r for r in pq.read_table(tmp_path / "out" / "memo.parquet").to_pylist()}
    assert memo[ids[2]]["flags"] == ["annotate_timeout"]

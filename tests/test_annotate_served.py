"""A shard whose documents only stopped being canonical needs no annotate call (issue 10): the flow serves the
earlier annotate artifact, which holds every canonical document's rows (stages.annotated_superset), and export
publishes the canonical documents' rows of it, byte for byte what a cold run publishes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks import schema
from tasks.annotate import annotate_shard
from tasks.export import export_shard
from tests.test_incremental_parts import _assignments, _export_inputs, artifact_bytes


def _done(folder: Path, made: dict) -> None:
    """Mark an artifact complete as tasks.steps.run_step does (its code version recorded)."""
    from tasks.stages import code_version

    (folder / "_done.json").write_text(json.dumps({**made, "code_version": code_version(folder.parent.name)}))


def test_export_of_a_superset_artifact_publishes_the_cold_side_tables(tmp_path):
    inputs, ids = _export_inputs(tmp_path)  # tmp_path/annotate: every document annotated
    lost = _assignments(tmp_path / "lost.parquet", ids, {ids[1]: ids[0], ids[3]: ids[2]})  # 1 and 3 lost theirs
    cold_annotate = tmp_path / "cold-annotate"
    annotate_shard({**inputs, "dedupe": lost}, str(cold_annotate), top_k=10)
    cold = export_shard({**inputs, "annotate": str(cold_annotate), "dedupe": lost}, str(tmp_path / "cold"), "v1")
    served = export_shard({**inputs, "dedupe": lost}, str(tmp_path / "served"), "v1")  # the superset artifact
    assert artifact_bytes(tmp_path / "served") == artifact_bytes(tmp_path / "cold")
    for name in schema.EXTRACT_TABLES:
        assert served[name] == cold[name] and served["digests"][name] == cold["digests"][name], name
        assert ids[1] not in set(pq.read_table(tmp_path / "served" / f"{name}.parquet")["doc_id"].to_pylist())
    assert served["annotate_filtered"] == 2
    # ... and so does a patching export (an earlier export of the same pages), the documents rows patched
    first = tmp_path / "first"
    made = export_shard({**inputs, "dedupe": _assignments(tmp_path / "all.parquet", ids, {})}, str(first), "v1")
    (first / "_done.json").write_text(json.dumps(made))
    patched = export_shard({**inputs, "dedupe": lost}, str(tmp_path / "patched"), "v1", earlier=[str(first)])
    assert patched["linked"] is True and artifact_bytes(tmp_path / "patched") == artifact_bytes(tmp_path / "cold")
    # an artifact of exactly the canonical documents is linked, as before
    assert os.path.samefile(tmp_path / "cold" / "keywords.parquet", cold_annotate / "keywords.parquet")


def test_the_superset_serves_a_shard_only_while_it_holds_every_canonical_document(tmp_path):
    from tasks.stages import annotated_superset

    inputs, ids = _export_inputs(tmp_path)
    state = tmp_path / "state" / "annotate"
    some = state / "some"  # annotated with ids[1] a copy of ids[0]
    made = annotate_shard(
        {**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {ids[1]: ids[0]})}, str(some), top_k=10
    )
    _done(some, made)
    lost = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[1]: ids[0], ids[3]: ids[2]})}
    assert annotated_superset(lost, {"top_k": 10, "earlier": [str(some)]}) == str(some)
    gained = {**inputs, "dedupe": _assignments(tmp_path / "a3.parquet", ids, {ids[0]: ids[1]})}  # 1 now canonical
    assert annotated_superset(gained, {"top_k": 10, "earlier": [str(some)]}) == ""
    assert annotated_superset(lost, {"top_k": 5, "earlier": [str(some)]}) == ""  # another annotation
    assert annotated_superset(lost, {"top_k": 10, "earlier": []}) == ""
    other = tmp_path / "other-extract"  # other pages (another extract artifact): never
    shutil.copytree(inputs["extract"], other)
    assert annotated_superset({**lost, "extract": str(other)}, {"top_k": 10, "earlier": [str(some)]}) == ""
    _done(some, {**made, "flagged": 1})  # a failed document is tried again
    assert annotated_superset(lost, {"top_k": 10, "earlier": [str(some)]}) == ""
    (some / "_done.json").write_text(json.dumps({**made, "code_version": "older"}))  # other code: never
    assert annotated_superset(lost, {"top_k": 10, "earlier": [str(some)]}) == ""


@pytest.mark.usefixtures("prefect_api")
def test_a_longer_copy_in_a_new_shard_runs_no_annotate_call_in_the_shard_it_took_the_canonical_from(
    samples, tmp_path, monkeypatch
):
    """The nightly case: a new page is an old one plus a line, so the election (the longest copy) moves the
    canonical to the new shard. The old shard's annotate artifact still holds every canonical it has: no call,
    and the release is a cold build's, byte for byte."""
    from flows.pipeline import build_corpus
    from tasks import annotate

    monkeypatch.setenv("JIANGHUA_INLINE", "1")  # in-process, so the count below sees every call
    calls: list[str] = []
    real = annotate.annotate_shard
    monkeypatch.setattr(
        annotate, "annotate_shard", lambda inputs, *a, **k: calls.append(inputs["normalize"]) or real(inputs, *a, **k)
    )

    def run(out: Path) -> dict[str, str]:
        build_corpus(inputs=[str(samples)], out=str(out), workers=1, target_shard_docs=3)
        release = (out / "current").resolve()
        return {
            str(p.relative_to(release)): hashlib.sha256(p.read_bytes()).hexdigest() for p in release.rglob("*.parquet")
        }

    for folder in ("aldohemsn__chinese-political-corpora", "johncodes404__china-provincial-gov-reports-2026"):
        shutil.rmtree(samples / "real" / folder)  # nine pages in four shards are enough, and quicker
    run(tmp_path / "inc")
    first = len(calls)
    assert first > 1
    calls.clear()
    original = samples / "real" / "lawtext__gov" / "国务院__1956.txt"
    (samples / "zz-new").mkdir()
    (samples / "zz-new" / "转载.txt").write_text(
        original.read_text(encoding="utf-8") + "\n（本文转载自人民网，转载请注明出处。）\n", encoding="utf-8"
    )
    incremental = run(tmp_path / "inc")
    assert len(calls) == 1  # the new shard's only
    rows = pq.read_table(
        (tmp_path / "inc" / "current").resolve() / "documents", columns=["source_path", "is_canonical"]
    ).to_pylist()
    canonical = {r["source_path"].rsplit("/", 1)[-1]: r["is_canonical"] for r in rows}
    assert canonical["转载.txt"] and not canonical["国务院__1956.txt"]  # the old shard lost its canonical
    assert incremental == run(tmp_path / "cold")

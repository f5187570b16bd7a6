"""The whole flow on a container file cut into slices: same corpus as unsplit, accounted, cached."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import flows.pipeline as pipeline
from flows.pipeline import build_corpus
from tasks import ingest, steps
from tasks.export import account
from tests.fixtures.fuzz import speech

pytestmark = pytest.mark.usefixtures("prefect_api")

SLICE_BYTES = 20_000  # ~16 records a slice: the 60-record file below becomes 3-4 shards


def _landing(root: Path, n: int, first: int = 0) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "crawl.jsonl").open("a", encoding="utf-8") as fh:
        for i in range(first, first + n):
            if i == 21:
                fh.write("{not json\n")  # one bad record: a reject in its own slice only
            fh.write(json.dumps({"text": speech(i), "url": f"https://www.gov.cn/{i}.html"}, ensure_ascii=False) + "\n")
    (root / "page.txt").write_text(speech(500), encoding="utf-8")
    return root


def _run(landing: Path, out: Path, monkeypatch, sliced: bool) -> dict:
    if sliced:
        real = ingest.plan_shards
        monkeypatch.setattr(pipeline, "plan_shards", lambda files, target, _max: real(files, target, SLICE_BYTES))
    else:
        monkeypatch.setattr(pipeline, "plan_shards", ingest.plan_shards)
    monkeypatch.setenv("JIANGHUA_INLINE", "1")
    return build_corpus(inputs=[str(landing)], out=str(out), workers=1)


def _table(out: Path, name: str, key: list[str]) -> list[dict]:
    rows = [r for p in sorted((out / name).glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))


@pytest.fixture
def ingested(monkeypatch) -> Counter:
    counts: Counter = Counter()
    original = ingest.ingest_shard

    def counting(inputs, *args, **kw):
        for f, _sha in inputs["files"]:
            counts[f.slice_record or f.source_path] += 1
        return original(inputs, *args, **kw)

    monkeypatch.setattr(ingest, "ingest_shard", counting)
    return counts


def test_a_sliced_container_gives_the_unsplit_corpus(tmp_path, monkeypatch, ingested):
    landing = _landing(tmp_path / "landing", 60)
    whole = _run(landing, tmp_path / "whole", monkeypatch, sliced=False)
    hashed: Counter = Counter()
    fingerprint = steps.fingerprint
    monkeypatch.setattr(steps, "fingerprint", lambda f: hashed.update([f.source_path]) or fingerprint(f))
    sliced = _run(landing, tmp_path / "sliced", monkeypatch, sliced=True)
    assert sliced["shards"] >= whole["shards"] + 2  # the file is several shards
    assert hashed == Counter({"crawl.jsonl": 1, "page.txt": 1})  # a sliced file is fingerprinted once
    assert ingested["bytes=0-20000"] == 1 and ingested["crawl.jsonl"] == 1
    for table, key in (("documents", ["doc_id"]), ("rejects", ["source_path", "record", "reason"])):
        assert _table(tmp_path / "sliced", table, key) == _table(tmp_path / "whole", table, key), table
    assert sliced["counts"]["accepted"] == 61 and sliced["counts"]["rejected"] == 1
    files = ingest.discover_all([str(landing)], exclude=[str(tmp_path / "sliced")]).files
    reference = account(files, str((tmp_path / "sliced" / "current").resolve()))  # the whole-release check
    assert {k: sliced["counts"][k] for k in reference} == reference
    assert [(r["record"], r["reason"]) for r in _table(tmp_path / "sliced", "rejects", ["record"])] == [
        ("L22", "bad_record")
    ]

    ingested.clear()
    again = _run(landing, tmp_path / "sliced", monkeypatch, sliced=True)  # unchanged: served from the cache
    assert ingested == Counter() and again["cache"]["computed"] == 0

    before = {r["doc_id"]: r for r in _table(tmp_path / "sliced", "documents", ["doc_id"])}
    _landing(landing, 20, first=60)  # the crawler appends tonight's pages
    grown = _run(landing, tmp_path / "sliced", monkeypatch, sliced=True)
    after = {r["doc_id"]: r for r in _table(tmp_path / "sliced", "documents", ["doc_id"])}
    assert grown["counts"]["accepted"] == 81 and grown["shards"] > sliced["shards"]
    keep = ("source_path", "record", "content_sha256", "url", "raw_text", "text")
    assert {k: {c: v[c] for c in keep} for k, v in after.items() if k in before} == {
        k: {c: v[c] for c in keep} for k, v in before.items()
    }


def test_a_copy_after_a_sliced_container_does_not_name_its_cluster(tmp_path, monkeypatch):
    """Whole files on both sides of a sliced container: the copy in `zz-copy.txt` (after the container
    in the listing) must not come first because its shard was planned before the slices — the
    cluster keeps the container's first record's id, sliced or not."""
    landing = _landing(tmp_path / "landing", 40)
    other = Path(__file__).parents[1] / "data" / "samples" / "real" / "lawtext__gov" / "主要城市__上海市__2026.txt"
    # small whole files (one shard together, under the shard size) on both sides of the container
    (landing / "a-first.txt").write_text(other.read_text(encoding="utf-8")[:800], encoding="utf-8")  # unrelated
    (landing / "zz-copy.txt").write_text(speech(5), encoding="utf-8")  # record L6's text, after it
    whole = _run(landing, tmp_path / "whole", monkeypatch, sliced=False)
    sliced = _run(landing, tmp_path / "sliced", monkeypatch, sliced=True)
    assert sliced["shards"] >= whole["shards"] + 2
    docs = {r["source_path"] + (r["record"] or ""): r for r in _table(tmp_path / "sliced", "documents", ["doc_id"])}
    assert docs["zz-copy.txt"]["cluster_id"] == docs["crawl.jsonlL1"]["cluster_id"]
    assert _table(tmp_path / "sliced", "documents", ["doc_id"]) == _table(tmp_path / "whole", "documents", ["doc_id"])

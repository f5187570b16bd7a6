"""A landing folder that moves (another mount point, a copy) keeps every shard step's cache, and
the published provenance says where the files are now (issue 10)."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from flows.pipeline import build_corpus
from tasks import dedupe, export, extract, ingest, normalize, repair, schema

pytestmark = pytest.mark.usefixtures("prefect_api")


def _run(inputs: list[Path], out: Path, **kw):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")  # in-process, so the test can count runner calls
        return build_corpus(inputs=[str(p) for p in inputs], out=str(out), workers=1, target_shard_docs=4, **kw)


def _digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for table in schema.TABLES
        for p in sorted((out / table).glob("*.parquet"))
    }


@pytest.fixture
def calls(monkeypatch):
    counts: Counter[str] = Counter()
    for module, name in (
        (ingest, "ingest_shard"),
        (normalize, "normalize_shard"),
        (extract, "extract_shard"),
        (dedupe, "signature_shard"),
        (repair, "cluster_members_shard"),
        (export, "export_shard"),
    ):
        original = getattr(module, name)

        def counting(*args, _name=name, _original=original, **kw):
            counts[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(module, name, counting)
    return counts


def test_a_moved_landing_folder_is_served_from_cache_with_its_new_provenance(samples, tmp_path, calls):
    # two inputs: the landing folder, and a second root holding a copy of one page at the same
    # relative path (ingest reads it once and names the other root in a duplicate_input reject)
    (samples / "bad").mkdir()
    (samples / "bad" / "empty.txt").write_bytes(b"")
    (samples / "bad" / "slides.pptx").write_bytes(b"PK\x03\x04")
    other = tmp_path / "zz-mirror"
    (other / "seeds").mkdir(parents=True)
    shutil.copy2(samples / "seeds" / "001_49f5c10d9eda79ac.txt", other / "seeds" / "001_49f5c10d9eda79ac.txt")
    out = tmp_path / "out"
    first = _run([samples, other], out)
    assert first["cache"]["computed"] == first["cache"]["shard_steps"]

    moved = tmp_path / "mnt" / "landing-copy"  # another mount point: same files, other absolute path
    shutil.copytree(samples, moved)
    shutil.rmtree(samples)
    calls.clear()
    second = _run([moved, other], out)
    # every shard step but export comes from the cache; export re-runs on its earlier artifact
    # (its documents rows carry the roots): per shard, a read and write of one table
    assert calls["export_shard"] == second["shards"]
    assert sum(calls.values()) == calls["export_shard"], calls
    assert second["cache"]["cached"] == second["cache"]["shard_steps"] - second["shards"]

    docs = pd.read_parquet(out / "documents")
    rejects = pd.read_parquet(out / "rejects")
    assert set(docs["input_root"]) | set(rejects["input_root"]) == {str(moved), str(other)}
    assert (rejects.set_index("source_path").loc["bad/empty.txt", "input_root"]) == str(moved)
    dup = rejects[rejects["reason"] == "duplicate_input"]
    assert len(dup) == 1 and dup["input_root"].iloc[0] == str(other)
    assert repr(str(moved)) in dup["detail"].iloc[0]  # the root the kept copy was read under, now
    assert not any("\0" in str(v) for v in [*docs["input_root"], *rejects["input_root"], *rejects["detail"]])

    # byte-identical to a cold run on the new location
    cold = tmp_path / "cold"
    third = _run([moved, other], cold)
    assert third["release"] == second["release"]
    assert _digests(cold) == _digests(out)

    # and once moved, an unchanged rerun computes nothing
    calls.clear()
    fourth = _run([moved, other], out)
    assert sum(calls.values()) == 0, calls
    assert fourth["release"] == second["release"]
    # it kept the release's report, which now says so
    assert fourth["report_made_by"]["run_id"] == second["run_id"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"Unchanged since run {second['run_id']}" in page and f"run {fourth['run_id']} (finished" in page

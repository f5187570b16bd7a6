"""Cluster ids across nightly runs: a cluster keeps its id while copies land in later folders."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pandas as pd
import pytest
import xxhash

from flows.pipeline import build_corpus
from tasks import ingest

pytestmark = pytest.mark.usefixtures("prefect_api")

OLD, NEW = "2026-11-30", "2026-12-01"  # a crawler's dated folders: the new one sorts after
REPORTS = Path(__file__).parents[1] / "data" / "samples" / "real" / "lawtext__gov"


def _run(landing: Path, out: Path) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")
        # two documents a shard: each night's folder is a shard of its own
        return build_corpus(inputs=[str(landing)], out=str(out), workers=1, target_shard_docs=2)


def _id_hash(relpath: str, data: bytes) -> int:
    doc_id = ingest.doc_id_for(hashlib.sha256(data).hexdigest(), relpath)
    return xxhash.xxh3_64_intdigest(doc_id.encode())


def _clusters(out: Path) -> dict[str, str]:
    docs = pd.read_parquet(out / "documents", columns=["source_path", "cluster_id"])
    return dict(zip(docs["source_path"], docs["cluster_id"], strict=True))


def test_a_cluster_keeps_its_id_when_a_copy_lands_in_a_later_folder(tmp_path):
    landing = tmp_path / "landing"
    (landing / OLD).mkdir(parents=True)
    text = (REPORTS / "其他地市__淮南市__2016.txt").read_bytes()
    old = {
        f"{OLD}/a.txt": text,
        f"{OLD}/b.txt": text,
        f"{OLD}/c.txt": (REPORTS / "主要城市__上海市__2026.txt").read_bytes(),
    }
    for rel, data in old.items():
        (landing / rel).write_bytes(data)
    _run(landing, tmp_path / "out")
    night1 = _clusters(tmp_path / "out")
    want = f"{_id_hash(f'{OLD}/a.txt', text):016x}"  # the copy that comes first in the listing
    assert night1[f"{OLD}/a.txt"] == night1[f"{OLD}/b.txt"] == want != night1[f"{OLD}/c.txt"]

    # tonight's copy: an id hash below every old copy's (a smallest-hash id would move to it) and a
    # shard whose name sorts before the old ones (a listing in shard-name order would put it first)
    smallest = min(_id_hash(rel, text) for rel in (f"{OLD}/a.txt", f"{OLD}/b.txt"))
    names = {xxhash.xxh64_hexdigest(rel.encode()) for rel in old}
    rel = next(
        r
        for r in (f"{NEW}/copy-{k}.txt" for k in itertools.count())
        if _id_hash(r, text) < smallest and xxhash.xxh64_hexdigest(r.encode()) < min(names)
    )
    (landing / NEW).mkdir()
    (landing / rel).write_bytes(text)
    _run(landing, tmp_path / "out")
    night2 = _clusters(tmp_path / "out")
    assert night2[rel] == night2[f"{OLD}/a.txt"] == night2[f"{OLD}/b.txt"] == want
    assert night2[f"{OLD}/c.txt"] == night1[f"{OLD}/c.txt"]

    _run(landing, tmp_path / "cold")  # the same inputs built at once: the same ids
    assert _clusters(tmp_path / "cold") == night2

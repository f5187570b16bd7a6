"""Adding a stage is its module plus one registration: the flow wires, caches and versions it."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.pipeline import build_corpus
from tasks import dedupe, extract, ingest, normalize, stages
from tasks.stages import STAGES, Stage

pytestmark = pytest.mark.usefixtures("prefect_api")

COUNTS = pa.schema([("cluster_id", pa.string()), ("docs", pa.int64()), ("chars", pa.int64())])

# A toy stage written the way CONTRIBUTING.md says: pure code plus a runner at the end of its module.
TOY_MODULE = """
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.common import write_table

CALLS = []
WEIGHT = 1


def count_by_cluster(inputs: dict, out_dir: str) -> dict:
    CALLS.append(out_dir)
    docs = pq.read_table(Path(inputs["normalize"]) / "docs.parquet", columns=["doc_id", "text"]).to_pylist()
    part = pq.read_table(inputs["dedupe"], columns=["doc_id", "cluster_id"]).to_pylist()
    cluster = {r["doc_id"]: r["cluster_id"] for r in part}
    rows: dict[str, list[int]] = {}
    for d in docs:
        c = rows.setdefault(cluster[d["doc_id"]], [0, 0])
        c[0] += 1
        c[1] += WEIGHT * len(d["text"])
    schema = pa.schema([("cluster_id", pa.string()), ("docs", pa.int64()), ("chars", pa.int64())])
    table = pa.table({"cluster_id": list(rows), "docs": [v[0] for v in rows.values()],
                      "chars": [v[1] for v in rows.values()]}, schema=schema)
    write_table(table, Path(out_dir) / "counts.parquet", ["cluster_id"])
    return {"docs": len(docs), "clusters": len(rows)}
"""


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Write the toy module and register its one declaration (for this test only)."""
    code = tmp_path / "toycode"
    code.mkdir()
    (code / "toy_counts.py").write_text(TOY_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(code))
    importlib.invalidate_caches()
    sys.modules.pop("toy_counts", None)
    monkeypatch.setitem(
        STAGES,
        "toy",
        Stage(
            "toy",
            "shard",
            "toy_counts:count_by_cluster",
            reads=("normalize", "dedupe"),
            writes={"counts.parquet": COUNTS},
            views={"dedupe": "tasks.stages:assignments_part"},  # its own shard's part of the global dedupe step
        ),
    )
    stages.code_version.cache_clear()
    stages._parsed.cache_clear()
    yield code / "toy_counts.py"
    sys.modules.pop("toy_counts", None)
    stages.code_version.cache_clear()
    stages._parsed.cache_clear()


@pytest.fixture
def calls(monkeypatch):
    """How often the existing shard runners really execute."""
    counts: dict[str, int] = {}
    for module, name in (
        (ingest, "ingest_shard"),
        (normalize, "normalize_shard"),
        (extract, "extract_shard"),
        (dedupe, "signature_shard"),
    ):
        original = getattr(module, name)

        def counting(*args, _name=name, _original=original, **kw):
            counts[_name] = counts.get(_name, 0) + 1
            return _original(*args, **kw)

        monkeypatch.setattr(module, name, counting)
    return counts


def _run(landing: Path, out: Path) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")  # in-process: the toy module's call log is visible here
        return build_corpus(inputs=[str(landing)], out=str(out), workers=1, target_shard_docs=3)


def _toy_totals(summary: dict, out: Path) -> tuple[int, int]:
    """(documents, characters) over every toy artifact of the run."""
    folders = sorted((out / ".state" / "artifacts" / "toy").iterdir())
    assert len(folders) == summary["shards"]  # superseded artifacts are pruned like any stage's
    tables = [pq.read_table(f / "counts.parquet") for f in folders]
    return sum(sum(t.column("docs").to_pylist()) for t in tables), sum(
        sum(t.column("chars").to_pylist()) for t in tables
    )


def test_a_registered_stage_runs_is_cached_and_reruns_when_its_code_changes(samples, tmp_path, toy, calls):
    out = tmp_path / "out"
    first = _run(samples, out)
    module = sys.modules["toy_counts"]
    assert len(module.CALLS) == first["shards"] >= 3  # one step per shard
    # it ran on every accepted document, reading its own shard's dedupe part
    docs, chars = _toy_totals(first, out)
    assert docs == first["counts"]["accepted"] and chars > 0
    assert first["stages"]["toy"]["docs"] == first["counts"]["accepted"]
    assert "toy" in first["timings"] and "toy" in first["code_versions"]

    module.CALLS.clear()
    calls.clear()
    second = _run(samples, out)
    assert module.CALLS == [] and calls == {}  # served from the cache, like every declared stage
    assert second["release"] == first["release"]

    # a behaviour change in the toy module: its code version changes, it re-runs, nothing upstream does
    toy.write_text(toy.read_text(encoding="utf-8").replace("WEIGHT = 1", "WEIGHT = 2"), encoding="utf-8")
    stages.code_version.cache_clear()
    stages._parsed.cache_clear()
    assert stages.code_version("toy") != first["code_versions"]["toy"]
    sys.modules.pop("toy_counts", None)
    third = _run(samples, out)
    module = sys.modules["toy_counts"]
    assert len(module.CALLS) == third["shards"]
    assert calls == {}  # ingest, normalize, extract, signatures: all cached
    assert _toy_totals(third, out) == (docs, 2 * chars)

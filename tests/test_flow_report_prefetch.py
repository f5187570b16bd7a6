"""The report's partials of each export step's files and of the reuse step's parts are summarized as
the step finishes (flows.pipeline.ReportPrefetch), so the report — the run's last call, run alone —
reads none of the files the run's exports and reuse step wrote, and makes the page it makes alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import pipeline
from flows.pipeline import build_corpus
from tasks import report, report_parts

pytestmark = pytest.mark.usefixtures("prefect_api")


def test_the_report_finds_every_export_steps_partials_ready(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("JIANGHUA_INLINE", "1")  # in-process: the test sees what the report reads
    reads: list[tuple[str, tuple[str, ...]]] = []
    in_report = []
    real_read, real_write = report_parts.read_part, pipeline.write_report

    def counting(path, name, wanted, cast=None, pf=None):
        if in_report:
            reads.append((name, tuple(wanted)))
        return real_read(path, name, wanted, cast, pf)

    def write_report(*args):
        in_report.append(True)
        try:
            return real_write(*args)
        finally:
            in_report.clear()

    monkeypatch.setattr(report_parts, "read_part", counting)
    monkeypatch.setattr(pipeline, "write_report", write_report)
    out = tmp_path / "out"
    manifest = build_corpus(inputs=[str(samples)], out=str(out), workers=1, target_shard_docs=4)
    assert manifest["shards"] > 1
    assert reads and not [r for r in reads if r[0] in pipeline.PRESUMMARIZED_TABLES], reads
    assert manifest["tables"]["reuse"]["rows"] and not [r for r in reads if r[0] == "reuse"], reads  # its parts too
    assert (out / "report.html").read_text(encoding="utf-8") == report.build_report(
        str(out / "releases" / manifest["release"])
    )


def test_a_prefetch_closed_before_its_steps_runs_none_of_them(tmp_path, monkeypatch):
    ran: list[dict] = []
    monkeypatch.setattr(pipeline.pool, "run", lambda fn, files, cache, priority: ran.append(files))
    off = pipeline.ReportPrefetch(str(tmp_path), 0)  # on Dask: no local pool, nothing summarized ahead
    off.step_done("export", "s1", {"dir": str(tmp_path / "e1")})
    off.wait()
    prefetch = pipeline.ReportPrefetch(str(tmp_path), 2)
    prefetch.step_done("extract", "s1", {"dir": str(tmp_path / "x1")})  # only export steps
    prefetch.step_done("export", "s1", {"dir": str(tmp_path / "e1")})
    prefetch.wait()
    assert ran == [{t: str(Path(tmp_path, "e1", f"{t}.parquet")) for t in pipeline.PRESUMMARIZED_TABLES}]
    # the reuse step's parts, spread over the submitting threads
    for k in range(3):
        (tmp_path / "r1" / "reuse").mkdir(parents=True, exist_ok=True)
        (tmp_path / "r1" / "reuse" / f"{k:05d}.parquet").write_bytes(b"")
    prefetch.step_done("reuse", "corpus", {"dir": str(tmp_path / "r1")})
    prefetch.wait()
    parts = [str(tmp_path / "r1" / "reuse" / f"{k:05d}.parquet") for k in range(3)]
    assert sorted(ran[1:], key=str) == sorted([{"reuse": parts[0::2]}, {"reuse": parts[1::2]}], key=str)
    prefetch.close()
    prefetch.step_done("export", "s2", {"dir": str(tmp_path / "e2")})
    prefetch.wait()
    assert len(ran) == 3


def test_a_presummarize_call_is_judged_light_before_any_is_measured(tmp_path, monkeypatch):
    """A runner the pool has not measured fits only a worker holding at most RECYCLE_MB: without a
    figure, a run's first presummarize call would replace a worker that exports left at ~500 MB."""
    monkeypatch.setattr(pipeline.pool, "_growth", {})
    runner = "tasks.report:presummarize"
    pipeline.ReportPrefetch(str(tmp_path), 0)
    assert runner not in pipeline.pool.growth()  # no local pool: nothing declared
    pipeline.ReportPrefetch(str(tmp_path), 2)
    assert pipeline.pool.growth()[runner] == pipeline.PRESUMMARIZE_MB
    pipeline.pool._growth[runner] = 3 * pipeline.PRESUMMARIZE_MB  # measured larger: kept
    pipeline.ReportPrefetch(str(tmp_path), 2)
    assert pipeline.pool.growth()[runner] == 3 * pipeline.PRESUMMARIZE_MB

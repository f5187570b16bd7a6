"""The whole flow under Prefect's test harness: accounting, caching, retries, atomic publishing."""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows.pipeline import build_corpus
from tasks import dedupe, export, extract, ingest, normalize, schema, stages, steps
from tasks.publish import output_lock

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"

pytestmark = pytest.mark.usefixtures("prefect_api")


def _run(landing: Path, out: Path, **kw):
    if "workers" in kw:
        return build_corpus(inputs=[str(landing)], out=str(out), **kw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")  # in-process, so tests can count and inject calls
        return build_corpus(inputs=[str(landing)], out=str(out), workers=1, **kw)


def _digests(out: Path) -> dict[str, str]:
    """sha256 of every published Parquet file, by its path below OUT."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for table in schema.TABLES
        for p in sorted((out / table).glob("*.parquet"))
    }


@pytest.fixture
def calls(monkeypatch):
    """Count how often each shard runner really executes (cache hits do not call it)."""
    counts: Counter[str] = Counter()
    for module, name in (
        (ingest, "ingest_shard"),
        (normalize, "normalize_shard"),
        (extract, "extract_shard"),
        (dedupe, "signature_shard"),
        (export, "export_shard"),
    ):
        original = getattr(module, name)

        def counting(*args, _name=name, _original=original, **kw):
            counts[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(module, name, counting)
    return counts


def _add_bad_inputs(landing: Path) -> None:
    (landing / "bad").mkdir()
    (landing / "bad" / "empty.txt").write_bytes(b"")
    (landing / "bad" / "scan.txt").write_bytes(b"%PDF-1.7\x00\x01" + bytes(range(256)) * 8)
    (landing / "bad" / "slides.pptx").write_bytes(b"PK\x03\x04")
    (landing / "bad" / "nav.txt").write_text("首页 > 新闻中心 > 领导讲话\n上一篇 下一篇\n", encoding="utf-8")


@pytest.fixture(scope="module")
def shared_run(prefect_api, tmp_path_factory):
    """One inline run of the samples (and the bad inputs) for the tests that only read its output:
    landing, out and the summary. Each such test ran the pipeline itself before (~3.5 s of a ~25-run
    file); a test that changes inputs or output folders still makes its own run."""
    root = tmp_path_factory.mktemp("shared-run")
    landing, out = root / "landing", root / "out"
    shutil.copytree(SAMPLES, landing)
    for p in landing.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    _add_bad_inputs(landing)
    summary = _run(landing, out)
    return landing, out, summary


def test_every_input_is_a_document_or_a_reject(shared_run):
    samples, out, summary = shared_run
    counts = summary["counts"]
    n_files = sum(1 for p in samples.rglob("*") if p.is_file())
    assert counts["discovered_files"] == n_files
    assert counts["discovered"] == counts["accepted"] + counts["rejected"]
    docs = pd.read_parquet(out / "documents")
    rejects = pd.read_parquet(out / "rejects")
    assert len(docs) == counts["accepted"] and len(rejects) == counts["rejected"]
    assert set(docs["source_path"]) | set(rejects["source_path"]) == {
        p.relative_to(samples).as_posix() for p in samples.rglob("*") if p.is_file()
    }
    by_file = dict(zip(rejects["source_path"].map(lambda s: Path(s).name), rejects["reason"]))
    assert by_file["empty.txt"] == "empty" and by_file["scan.txt"] == "binary"
    assert by_file["slides.pptx"] == "unsupported_type" and by_file["nav.txt"] == "too_short"
    assert rejects["detail"].str.len().min() > 20  # every reject explains itself
    # the published schema is the contract
    assert (
        pq.read_schema(next((out / "documents").glob("*.parquet"))).remove_metadata()
        == schema.DOCUMENTS.remove_metadata()
    )
    assert docs["doc_id"].is_unique and docs["cluster_id"].notna().all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["accepted"] == len(docs) and manifest["input_fingerprint"]
    assert set(manifest["timings"]) >= {"ingest", "normalize", "extract", "dedupe", "export"}
    phases = manifest["dedupe_phases"]  # the cold dedupe call's breakdown
    # disk reads per phase where the kernel counts them (/proc/self/io): where a slow phase waited
    reads = {"phase_read_mb"} if Path("/proc/self/io").exists() else set()
    assert set(phases) == {"phase_cpu_s", "phase_wall_s", "phase_peak_mb"} | reads
    assert "verification" in phases["phase_wall_s"]
    peaks = phases["phase_peak_mb"]  # VmHWM at each phase's (last) end: where the call's peak was reached
    assert set(peaks) == set(phases["phase_wall_s"]) and min(peaks.values()) > 0
    if reads:
        assert (
            set(phases["phase_read_mb"]) == set(phases["phase_wall_s"]) and min(phases["phase_read_mb"].values()) >= 0
        )
    stages = manifest["stages"]
    assert stages["ingest"]["docs"] + stages["ingest"]["rejects"] == counts["discovered"]
    assert stages["normalize"]["docs"] == stages["export"]["documents"] == counts["accepted"]
    assert stages["ingest"]["rejects"] + stages["normalize"]["rejects"] == counts["rejected"]


def test_traditional_pages_are_read_as_simplified(shared_run):
    _, out, _ = shared_run
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    seed_004 = docs.loc["seeds/004_6b5c8583c107af7e.txt"]
    assert seed_004["script"] == "traditional"
    assert "组织部长" in seed_004["text"] and "組織部長" in seed_004["raw_text"]


def test_unchanged_rerun_is_served_from_cache_and_byte_identical(samples, tmp_path, calls):
    out = tmp_path / "out"
    first = _run(samples, out)
    before = _digests(out)
    assert calls["ingest_shard"] == first["shards"]
    calls.clear()
    second = _run(samples, out)
    assert sum(calls.values()) == 0, calls  # no shard step executed
    assert second["cache"]["computed"] == 0 and second["cache"]["cached"] == second["cache"]["shard_steps"]
    assert first["dedupe_phases"] and second["dedupe_phases"] == {}  # nothing clustered this time
    assert _digests(out) == before
    assert second["release"] == first["release"]


def test_shard_steps_run_a_few_to_a_task_run_each_recorded_as_its_own(few_samples, tmp_path):
    """Shard steps of a stage go to Prefect in batches (`steps.STEPS_PER_TASK`): fewer task runs, each
    step still its own artifact, computed by this flow run (the batch's threads carry its context)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.pipeline import _batches

    assert [len(b) for b in _batches(list("abcdefghij"), 4)] == [4, 3, 3]
    assert _batches(list("abcd"), 4) == [list("abcd")] and _batches([], 4) == []
    assert [len(b) for b in _batches(list("abcde"), 4)] == [3, 2]
    summary = _run(few_samples, tmp_path / "out", target_shard_docs=1)
    assert summary["shards"] >= 7
    cache = summary["cache"]
    assert cache["computed"] == cache["shard_steps"] >= 8 * summary["shards"]
    done = [json.loads(p.read_text()) for p in (tmp_path / "out" / ".state" / "artifacts").glob("*/*/_done.json")]
    assert done and {d["computed_by"] for d in done} == {summary["run_id"]}
    import time

    deadline = time.monotonic() + 60  # the API records task runs from the events they send: it may lag
    while True:
        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[summary["run_id"]])))
        steps_runs = [r for r in runs if not r.name.startswith("fingerprint")]
        if (steps_runs and all(r.state and r.state.is_completed() for r in runs)) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert all(r.state and r.state.is_completed() for r in runs), [(r.name, r.state) for r in runs]
    assert len(steps_runs) < cache["shard_steps"] / 2, len(steps_runs)
    assert any(" more" in r.name for r in steps_runs)  # "extract shard-… (3 docs) and 3 more"
    again = _run(few_samples, tmp_path / "out", target_shard_docs=1, rebuild=True)  # a batch trusts no artifact then
    assert again["cache"]["computed"] == again["cache"]["shard_steps"] == cache["shard_steps"]


def test_changing_one_file_recomputes_only_its_shard(samples, tmp_path, calls):
    out = tmp_path / "out"
    first = _run(samples, out, target_shard_docs=3)
    assert first["shards"] >= 3
    calls.clear()
    page = samples / "seeds" / "003_7e76521d6e309743.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n谢谢大家！\n", encoding="utf-8")
    second = _run(samples, out, target_shard_docs=3)
    for stage in ("ingest_shard", "normalize_shard", "extract_shard", "signature_shard"):
        assert calls[stage] == 1, (stage, calls)
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    assert docs.loc[page.relative_to(samples).as_posix(), "text"].rstrip().endswith("谢谢大家！")
    assert second["input_fingerprint"] != first["input_fingerprint"]
    # the superseded shard's artifacts are pruned: the state holds one artifact per shard and stage
    assert len(list((out / ".state" / "artifacts" / "ingest").iterdir())) == second["shards"]
    assert second["pruned"]["artifacts"] >= 4
    # ... and deleted by the time the run returns (set aside first, deleted beside the release: tasks.steps.set_aside)
    assert not list((out / ".state" / "artifacts").glob(".tmp-pruned-*"))


def test_code_version_change_invalidates_that_stage_and_downstream(samples, tmp_path, calls, monkeypatch):
    out = tmp_path / "out"
    first = _run(samples, out)
    calls.clear()
    real = stages.code_version  # the versions this process already computed

    def bumped(stage: str) -> str:
        return real(stage) + ("-edited" if stage == "extract" else "")

    monkeypatch.setattr(stages, "code_version", bumped)
    _run(samples, out)
    assert calls["ingest_shard"] == 0 and calls["normalize_shard"] == 0 and calls["signature_shard"] == 0
    assert calls["extract_shard"] == first["shards"] and calls["export_shard"] == first["shards"]


def test_transient_io_error_is_retried(few_samples, tmp_path, monkeypatch):
    attempts = Counter()
    original = ingest.ingest_shard

    def flaky(*args, **kw):
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise OSError(errno.EIO, "Input/output error (injected)")
        return original(*args, **kw)

    monkeypatch.setattr(ingest, "ingest_shard", flaky)
    monkeypatch.setattr(steps, "step", steps.step.with_options(retry_delay_seconds=0))
    monkeypatch.setattr(steps, "steps_batch", steps.steps_batch.with_options(retry_delay_seconds=0))
    summary = _run(few_samples, tmp_path / "out", target_shard_docs=1)  # several shards: ingest's run in batches
    assert summary["shards"] > steps.STEPS_PER_TASK
    assert attempts["n"] == summary["shards"] + 1  # one shard needed a second attempt (not its batch's others)
    assert summary["counts"]["accepted"] > 0


def test_data_bug_is_not_retried_and_previous_output_stays(samples, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _run(samples, out)
    before = _digests(out)
    attempts = Counter()

    def broken(*args, **kw):
        attempts["n"] += 1
        raise ValueError("deterministic bug (injected)")

    monkeypatch.setattr(export, "export_shard", broken)
    (samples / "seeds" / "new.txt").write_text(
        (samples / "seeds" / "000_fc7753713425c55d.txt").read_text() + "新增", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="injected"):
        _run(samples, out)
    assert attempts["n"] == 1  # not retried
    assert _digests(out) == before  # readers still see the complete previous corpus
    assert len(pd.read_parquet(out / "documents")) > 0


def test_a_second_run_on_the_same_output_stops_with_a_clear_message(samples, tmp_path):
    out = tmp_path / "out"
    with output_lock(out), pytest.raises(Exception, match="being written by"):
        _run(samples, out)


def test_deleted_artifacts_are_recomputed_not_trusted(samples, tmp_path, calls):
    import shutil

    out = tmp_path / "out"
    _run(samples, out)
    before = _digests(out)
    shutil.rmtree(out / ".state" / "artifacts" / "normalize")
    calls.clear()
    _run(samples, out)
    assert calls["normalize_shard"] >= 1 and calls["ingest_shard"] == 0
    assert _digests(out) == before


def test_worker_processes_give_the_same_output(shared_run, tmp_path):
    samples, inline, _ = shared_run
    _run(samples, tmp_path / "one", workers=1)
    _run(samples, tmp_path / "two", workers=2)
    assert _digests(inline) == _digests(tmp_path / "one")
    assert _digests(tmp_path / "one") == _digests(tmp_path / "two")


def test_bad_parameters_fail_before_any_work(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        build_corpus(inputs=[str(tmp_path / "no-such-landing")], out=str(out))
    with pytest.raises(ValueError, match="workers must be at least 1"):
        build_corpus(inputs=[str(tmp_path)], out=str(out), workers=0)
    assert not out.exists()  # nothing was created


def test_rate_jumps_are_warned_about():
    from flows.pipeline import rate_jumps

    before = {"counts": {"discovered": 1000, "rejected": 20, "accepted": 980, "duplicates": 100}, "finished_at": "x"}
    same = {"counts": {"discovered": 1100, "rejected": 23, "accepted": 1077, "duplicates": 110}}
    worse = {"counts": {"discovered": 1100, "rejected": 200, "accepted": 900, "duplicates": 400}}
    assert rate_jumps(same, before) == []
    warnings = rate_jumps(worse, before)
    assert len(warnings) == 2 and "reject rate jumped from 2.0% to 18.2%" in warnings[0]
    assert rate_jumps(worse, None) == []


def test_run_publishes_keyed_artifacts_for_the_ui(shared_run):
    from prefect import get_client

    _, out, summary = shared_run
    with get_client(sync_client=True) as client:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

        def of_the_run(key: str) -> list:  # the shared run's own, whatever other tests published since
            run = ArtifactFilterFlowRunId(any_=[summary["run_id"]])
            return client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]), flow_run_id=run)
            )

        table, report = of_the_run("corpus-run-summary"), of_the_run("corpus-report")
    latest = max(table, key=lambda a: a.created)
    rows = latest.data if isinstance(latest.data, list) else json.loads(latest.data)
    by_metric = {(r["section"], r["metric"]): r["value"] for r in rows}
    assert by_metric[("counts", "accepted")] == summary["counts"]["accepted"]
    assert ("timings (s)", "normalize") in by_metric
    assert str(out) in max(report, key=lambda a: a.created).data


@pytest.mark.slow
def test_dask_cluster_gives_byte_identical_output(shared_run, tmp_path, monkeypatch):
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    samples, local, _ = shared_run  # in-process: the same bytes as on worker processes (test above)
    # Dask worker processes must report to the same (test) Prefect API, not start their own.
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = _run(samples, tmp_path / "dask", dask_address=cluster.scheduler_address)
    assert on_dask["workers"].startswith("dask tcp://")
    assert _digests(tmp_path / "dask") == _digests(local)


def test_a_global_step_is_not_held_behind_a_backlog_of_shard_steps(few_samples, tmp_path, monkeypatch):
    """Each Prefect task holds one of the flow's threads from its start: with every shard's extract
    submitted at once (100k bench: 112 tasks on 32 threads) dedupe's task waited 796 s for a thread.
    Shard steps go out a window at a time, so dedupe is submitted while extract shards still wait."""
    from flows import pipeline
    from tasks import steps

    order: list[str] = []
    real, real_batch = steps.task_for, steps.batch_task_for

    def recorded(stage, task):
        class Recorded:
            def submit(self, *args, **kwargs):
                order.append(stage)
                return task.submit(*args, **kwargs)

        return Recorded()

    monkeypatch.setattr(steps, "task_for", lambda stage, *a: recorded(stage, real(stage, *a)))
    monkeypatch.setattr(steps, "batch_task_for", lambda stage: recorded(stage, real_batch(stage)))
    monkeypatch.setattr(pipeline, "SHARD_WINDOW", 2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")
        windowed = build_corpus(inputs=[str(few_samples)], out=str(tmp_path / "w"), workers=1, target_shard_docs=1)
    assert windowed["shards"] >= 8
    assert "extract" in order[order.index("dedupe") :]  # dedupe went out before the last extract shards
    assert order.index("signatures") < order.index("extract")  # the longer chain's shards first

    monkeypatch.setattr(steps, "task_for", real)
    monkeypatch.setattr(steps, "batch_task_for", real_batch)
    monkeypatch.setattr(pipeline, "SHARD_WINDOW", 1000)  # every shard step at once, as before
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")
        build_corpus(inputs=[str(few_samples)], out=str(tmp_path / "all"), workers=1, target_shard_docs=1)
    for table in ("documents", "duplicates", "keywords"):
        a = pd.read_parquet(tmp_path / "w" / table).sort_values("doc_id").reset_index(drop=True)
        b = pd.read_parquet(tmp_path / "all" / table).sort_values("doc_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            a.drop(columns=["pipeline_version"], errors="ignore"), b.drop(columns=["pipeline_version"], errors="ignore")
        )

"""Prefect tasks: thin wrappers that give the stage code caching, retries and good names.

Cache keys are computed by the flow from what a step really reads — the sha256 of the input
bytes, the keys of upstream artifacts — plus the code version of the stage (a hash of its
source files and the libraries that shape its output) plus the parameters that change it.
Prefect's INPUTS policy would hash a path, not the file, and TASK_SOURCE misses edits in the
helpers a task calls; an explicit key has neither blind spot.

Each step writes its artifact to `OUT/.state/artifacts/<stage>/<key>/` and returns a small
stats dict, which Prefect persists under `OUT/.state/prefect-results/<key>`. A cache hit
therefore costs one small file read; documents never travel through Prefect.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import CacheKeyFnPolicy
from prefect.context import TaskRunContext
from prefect.tasks import exponential_backoff

from tasks import batch, pool
from tasks.ingest import InputFile, fingerprint

TASKS_DIR = Path(__file__).resolve().parent
DONE_FILE = "_done.json"

# The source files (relative to tasks/) and libraries each stage's output depends on.
STAGE_CODE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ingest": (
        ("ingest.py", "common.py", "batch.py", "normalize*.py", "data/normalize"),
        ("trafilatura", "charset-normalizer"),
    ),
    "boilerplate": (("normalize*.py", "data/normalize", "batch.py"), ()),
    "normalize": (("normalize*.py", "data/normalize", "batch.py", "common.py"), ("opencc", "pypinyin")),
    "extract": (("extract*.py", "data/extract", "batch.py", "common.py"), ("jieba", "cn2an")),
    "signatures": (("dedupe*.py", "batch.py"), ("rensa", "numpy")),
    "dedupe": (("dedupe*.py",), ("rensa", "numpy")),
    "doc_freq": (("batch.py",), ()),
    "keywords": (("extract*.py", "data/extract", "batch.py"), ()),
    "export": (("batch.py", "schema.py", "common.py"), ("pyarrow",)),
}


@cache
def code_version(stage: str) -> str:
    """Hash of the stage's source files and library versions: any edit invalidates its cache."""
    patterns, libraries = STAGE_CODE[stage]
    h = hashlib.sha256(stage.encode())
    for pattern in patterns:
        target = TASKS_DIR / pattern
        paths = sorted(target.rglob("*")) if target.is_dir() else sorted(TASKS_DIR.glob(pattern))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(TASKS_DIR)).encode())
                h.update(path.read_bytes())
    for lib in libraries:
        try:
            h.update(f"{lib}=={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}==absent".encode())
    return h.hexdigest()[:16]


def step_key(stage: str, *parts: Any) -> str:
    payload = json.dumps([stage, code_version(stage), parts], sort_keys=True, default=str)
    return f"{stage}-{hashlib.sha256(payload.encode()).hexdigest()[:24]}"


@dataclass(frozen=True)
class Job:
    """What one step run works on: its cache key, where its artifact goes, and a label for the UI."""

    stage: str
    key: str
    state_dir: str
    label: str

    @property
    def dir(self) -> str:
        return str(Path(self.state_dir) / "artifacts" / self.stage / self.key)

    def path(self, name: str) -> str:
        return str(Path(self.dir) / name)


def job(stage: str, state_dir: str, label: str, *key_parts: Any) -> Job:
    return Job(stage, step_key(stage, *key_parts), state_dir, label)


def _cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """The job's key — unless its artifact has gone missing, then forget the cached result.

    An operator who deletes artifacts to save space must get a recompute, not a cache hit
    that points at nothing.
    """
    j: Job = parameters["job"]
    if not (Path(j.dir) / DONE_FILE).exists():
        record = Path(j.state_dir) / "prefect-results" / j.key
        record.unlink(missing_ok=True)
    return j.key


TRANSIENT = (TimeoutError, ConnectionError, BrokenPipeError, InterruptedError)
_TRANSIENT_ERRNOS = {
    errno.EIO,
    errno.EAGAIN,
    errno.ETIMEDOUT,
    errno.ECONNRESET,
    errno.ENOSPC,
    errno.EBUSY,
    errno.ESTALE,
}


def is_transient(exc: BaseException | None) -> bool:
    """I/O hiccups and timeouts may pass on retry; anything else is a bug or a data error."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, (TRANSIENT, BrokenProcessPool)):
        return True
    return isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    return is_transient(state.data if isinstance(state.data, BaseException) else None)


STEP_OPTIONS: dict[str, Any] = dict(
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),  # 2 s, 4 s, 8 s
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
    cache_policy=CacheKeyFnPolicy(cache_key_fn=_cache_key),
    persist_result=True,
)


def _finish(j: Job, stats: dict[str, Any]) -> dict[str, Any]:
    """Mark the artifact complete; only then may a later run trust it."""
    stats = {"key": j.key, "dir": j.dir, "computed_by": _flow_run_id(), **stats}
    Path(j.dir).mkdir(parents=True, exist_ok=True)
    (Path(j.dir) / DONE_FILE).write_text(json.dumps(stats, sort_keys=True, default=str))
    return stats


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return str(flow_run.id) if flow_run.id else None


def _fresh(j: Job) -> None:
    """Start from an empty artifact folder: a retry must not see a half-written attempt."""
    shutil.rmtree(j.dir, ignore_errors=True)
    Path(j.dir).mkdir(parents=True, exist_ok=True)


def prune_state(state_dir: str, keep: set[str]) -> dict[str, int]:
    """Drop artifacts and result records this run did not use, so nightly runs don't grow the
    state forever. Published releases are hard links and outlive the artifacts they came from."""
    state = Path(state_dir)
    removed = {"artifacts": 0, "results": 0}
    artifacts = state / "artifacts"
    for stage_dir in sorted(artifacts.iterdir()) if artifacts.exists() else []:
        if stage_dir.name not in STAGE_CODE:
            continue
        for artifact in stage_dir.iterdir():
            if artifact.name not in keep:
                shutil.rmtree(artifact, ignore_errors=True)
                removed["artifacts"] += 1
    results = state / "prefect-results"
    for record in sorted(results.iterdir()) if results.exists() else []:
        if record.is_file() and record.name not in keep:
            record.unlink(missing_ok=True)
            removed["results"] += 1
    return removed


# ----------------------------------------------------------------------------- steps


@task(
    name="fingerprint",
    task_run_name="fingerprint {label}",
    tags=["ingest"],
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
)
def fingerprint_files(files: list[InputFile], label: str) -> list[tuple[str | None, int, str | None]]:
    """sha256 of every file's bytes: the content that all cache keys start from. Never cached."""
    return pool.run(_fingerprint_many, [f.path for f in files])


def _fingerprint_many(paths: list[str]) -> list[tuple[str | None, int, str | None]]:
    return [fingerprint(p) for p in paths]


@task(name="ingest", task_run_name="ingest {job.label}", tags=["ingest"], **STEP_OPTIONS)
def ingest(job: Job, files: list[tuple[InputFile, str | None]], max_doc_bytes: int) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.ingest_shard, files, job.dir, max_doc_bytes))


@task(name="learn-boilerplate", task_run_name="learn boilerplate ({job.label})", tags=["normalize"], **STEP_OPTIONS)
def learn_boilerplate(job: Job, line_files: list[str]) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.learn_boilerplate, line_files, job.path("boilerplate.parquet")))


@task(name="normalize", task_run_name="normalize {job.label}", tags=["normalize"], **STEP_OPTIONS)
def normalize(job: Job, ingest_dir: str, boilerplate_file: str | None, min_chars: int) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.normalize_shard, ingest_dir, boilerplate_file, job.dir, min_chars))


@task(name="extract", task_run_name="extract {job.label}", tags=["extract"], **STEP_OPTIONS)
def extract(job: Job, normalize_dir: str) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.extract_shard, normalize_dir, job.dir))


@task(name="signatures", task_run_name="signatures {job.label}", tags=["dedupe"], **STEP_OPTIONS)
def signatures(job: Job, normalize_dir: str) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.signature_shard, normalize_dir, job.dir))


@task(name="cluster-duplicates", task_run_name="cluster duplicates ({job.label})", tags=["dedupe"], **STEP_OPTIONS)
def cluster_duplicates(job: Job, signature_files: list[str], prev_state_dir: str | None) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(_cluster, signature_files, prev_state_dir, job.dir))


def _cluster(signature_files: list[str], prev_state_dir: str | None, out_dir: str) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.dedupe_cluster import ASSIGNMENTS_SCHEMA, cluster_corpus

    stats = cluster_corpus(signature_files, prev_state_dir, out_dir)
    # bridge until export reads assignments/<i>.parquet of its own shard: one table, as before
    parts = [pq.read_table(Path(out_dir) / "assignments" / f"{i:05d}.parquet") for i in range(len(signature_files))]
    table = pa.concat_tables(parts) if parts else ASSIGNMENTS_SCHEMA.empty_table()
    write_table(table, Path(out_dir) / "assignments.parquet", ["doc_id"])
    return {k: stats[k] for k in ("docs", "clusters", "duplicates", "duplicate_reasons", "cluster_sizes")}


@task(name="document-frequencies", task_run_name="document frequencies ({job.label})", tags=["extract"], **STEP_OPTIONS)
def document_frequencies(job: Job, term_files: list[str]) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.document_frequencies, term_files, job.path("doc_freq.parquet")))


@task(name="keywords", task_run_name="keywords {job.label}", tags=["extract"], **STEP_OPTIONS)
def keywords(job: Job, extract_dir: str, df_file: str, n_docs: int, top_k: int) -> dict[str, Any]:
    _fresh(job)
    return _finish(job, pool.run(batch.keywords_shard, extract_dir, df_file, n_docs, job.dir, top_k))


@task(name="export", task_run_name="export {job.label}", tags=["export"], **STEP_OPTIONS)
def export(
    job: Job, normalize_dir: str, extract_dir: str, keywords_dir: str, assignments_file: str, pipeline_version: str
) -> dict[str, Any]:
    _fresh(job)
    return _finish(
        job,
        pool.run(
            batch.export_shard, normalize_dir, extract_dir, keywords_dir, assignments_file, pipeline_version, job.dir
        ),
    )

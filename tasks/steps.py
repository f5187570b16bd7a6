"""Prefect tasks derived from the stage declarations in tasks.stages.

One generic step runs any declared stage: it clears the artifact folder, hands the work to the
worker pool (tasks.pool) and marks the artifact complete. Its cache key is the job's key, built
by `tasks.stages.step_key` from what the step really reads — the sha256 of the input bytes, the
keys of upstream artifacts — plus the stage's code version and parameters. Prefect's INPUTS
policy would hash a path, not the file, and TASK_SOURCE misses edits in the helpers a task calls;
an explicit key has neither blind spot.

Each step writes its artifact to `OUT/.state/artifacts/<stage>/<key>/` and returns a small stats
dict, which Prefect persists under `OUT/.state/prefect-results/<key>`. A cache hit therefore
costs one small file read; documents never travel through Prefect.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import Task, task
from prefect.cache_policies import NO_CACHE, CacheKeyFnPolicy
from prefect.context import TaskRunContext
from prefect.tasks import exponential_backoff

from tasks import pool
from tasks.calls import PARTS_DIR, call, part_done, run_part_batch, run_stage
from tasks.ingest import InputFile, fingerprint
from tasks.stages import STAGES, call_priority, code_version, input_mb, resolve, step_key

DONE_FILE = "_done.json"
# A shard step that runs this long is stuck (a blocked read, a runaway page past its budget): its
# workers are killed and the run fails with a message instead of holding the output lock forever.
# The slowest step measured, extraction of a 32 MB shard, takes ~60 s per core; 1 h is far beyond.
STEP_SECONDS = 3600.0


@dataclass(frozen=True)
class Job:
    """What one step run works on: its cache key, where its artifact goes, and a label for the UI."""

    stage: str
    key: str
    state_dir: str
    label: str
    shard: str = ""  # the shard a shard step works on (recorded in `_done.json`: see stages.ByShard)
    # among a stage's waiting calls, the higher first (flows.pipeline.fresh_shards: how many of its
    # inputs this run computed): never part of the key
    rank: int = 0

    @property
    def dir(self) -> str:
        return str(Path(self.state_dir) / "artifacts" / self.stage / self.key)

    def path(self, name: str) -> str:
        return str(Path(self.dir) / name)


def job(stage: str, state_dir: str, label: str, *key_parts: Any, shard: str = "", rank: int = 0) -> Job:
    return Job(stage, step_key(stage, *key_parts), state_dir, label, shard, rank)


def _cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """The job's key — unless its artifact is not complete, then forget the cached result.

    An operator who deletes artifacts to save space gets a recompute, not a cache hit that points
    at nothing; a step whose result must not be reused (a page changed while read) left no marker.
    """
    j: Job = parameters["job"]
    if not (Path(j.dir) / DONE_FILE).exists():
        record = Path(j.state_dir) / "prefect-results" / j.key
        record.unlink(missing_ok=True)
    return j.key


TRANSIENT = (TimeoutError, ConnectionError, BrokenPipeError, InterruptedError)
# Not ENOSPC/EDQUOT (nor EROFS): a full disk stays full for the seconds a retry waits. Retried, a full OUT failed
# after 3 retries (2 + 4 + 8 s of backoff) with Prefect's traceback printed for each; it fails at once now, and the
# CLI says which path and what to free (flows.cli.storage_hint).
_TRANSIENT_ERRNOS = {
    errno.EIO,
    errno.EAGAIN,
    errno.ETIMEDOUT,
    errno.ECONNRESET,
    errno.EBUSY,
    errno.ESTALE,
}


def is_transient(exc: BaseException | None) -> bool:
    """I/O hiccups and timeouts may pass on retry; anything else is a bug or a data error."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, (*TRANSIENT, BrokenProcessPool)):
        return True
    return isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    return is_transient(state.data if isinstance(state.data, BaseException) else None)


RETRIES: dict[str, Any] = dict(
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),  # 2 s, 4 s, 8 s
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
)


@task(name="step", cache_policy=CacheKeyFnPolicy(cache_key_fn=_cache_key), persist_result=True, **RETRIES)
def step(job: Job, inputs: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Run one declared stage on one shard (or the whole corpus, for a global stage)."""
    return run_step(job, inputs, params)


# Shard steps of one stage per task run, at most: each step stays its own pool call and artifact, the
# steps of a batch run side by side, and the task run only records them together. A task run costs
# ~50 ms of flow and API-server CPU on top of its step (20k bench: flow 2.8 + server 5.7 CPU-s for
# the ~70 task runs of a +1 % run, whose members/annotate/export steps take 0.1-0.2 s each; a cold
# run's ~270 task runs: flow 6.7 + server 11.8 CPU-s, on the cores the workers use). Four: a stage of
# a few shards still shows one task run per shard or two, and a failing batch holds few steps.
STEPS_PER_TASK = 4


@task(name="steps", cache_policy=NO_CACHE, persist_result=False, **RETRIES)
def steps_batch(jobs: list[Job], inputs: list[dict[str, Any]], params: list[dict[str, Any]], label: str) -> list[dict]:
    """Several shard steps of one stage in one task run (`STEPS_PER_TASK`), run side by side, each
    exactly as `step` runs it; their stats in order. A retry re-runs only the steps whose artifact is
    not complete; a step that fails lets the others finish, then fails the task run with its error."""
    import contextvars
    from concurrent.futures import ThreadPoolExecutor, wait

    context = TaskRunContext.get()
    retry = context is not None and context.task_run.run_count > 1  # first attempts run all (a --rebuild too)

    def one(j: Job, i: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
        done = finished(j) if retry else None
        return done if done is not None else run_step(j, i, p)

    # each thread runs in a copy of this task's context: the flow run's id (`computed_by`), settings
    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix=f"{jobs[0].stage}-steps") as threads:
        futures = [
            threads.submit(contextvars.copy_context().run, one, j, i, p)
            for j, i, p in zip(jobs, inputs, params, strict=True)
        ]
        wait(futures)
    return [f.result() for f in futures]  # the first failure, if any, fails the task run


def batch_task_for(stage: str) -> Task:
    """The task that runs several shard steps of a declared stage (`steps_batch`), named after it."""
    s = STAGES[stage]
    return steps_batch.with_options(name=s.name, task_run_name=f"{s.name} {{label}}", tags=_tags(s.tag or s.name))


def run_step(job: Job, inputs: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """One step's work: its artifact written and marked complete, its stats returned."""
    pool.trace("step_start", stage=job.stage, label=job.label)
    first = call_priority(job.stage, job.rank)
    if STAGES[job.stage].plan:
        stats = run_parts(job, inputs, params)
    else:
        shutil.rmtree(job.dir, ignore_errors=True)  # a retry must not see a half-written attempt
        Path(job.dir).mkdir(parents=True, exist_ok=True)
        declared = STAGES[job.stage]
        kind = resolve(declared.memory_kind)(inputs, params) if declared.memory_kind else ""
        # a shard step's input size: its growth is judged in proportion (a night's new shard is small)
        size = input_mb(inputs) if job.shard else None
        prefer = preferred_workers(job.stage, kind)
        short = not prefer and warm_when(job.stage, kind, inputs, params)
        if short:  # a few documents to annotate: held for a warm worker even while other such calls wait
            prefer = [STAGES[s].module for s in declared.warm_with]
        stats = pool.run(
            run_stage,
            declared.runner,
            inputs,
            job.dir,
            params,
            timeout=STEP_SECONDS,
            priority=first,
            kind=kind,
            size_mb=size,
            prefer=prefer,
            prefer_short=short,
        )
    stats = {"key": job.key, "dir": job.dir, "computed_by": _flow_run_id(), **stats}
    stats["code_version"] = code_version(job.stage)  # which earlier artifacts a re-run shard may copy from
    if job.shard:
        stats["shard"] = job.shard  # ... and for which shard it was made (stages.ByShard)
    if stats.pop("cacheable", True):  # only a complete, reusable artifact is marked done
        (Path(job.dir) / DONE_FILE).write_text(json.dumps(stats, sort_keys=True, default=str))
    # part markers only serve a resume of this artifact; one not to be reused must not be resumed either
    shutil.rmtree(Path(job.dir) / PARTS_DIR, ignore_errors=True)
    pool.trace("step_end", stage=job.stage, label=job.label)
    return stats


def preferred_workers(stage: str, kind: str) -> list[str]:
    """The stage modules whose workers a call of this kind prefers (tasks.pool.run's `prefer`): a cold call (no
    kind) builds the tables of its stage's `warm_with` stages on first use, a worker holding them already skips
    that; a patching or incremental kind of call reads few documents and builds little."""
    return [] if kind else [STAGES[s].module for s in STAGES[stage].warm_with]


def warm_when(stage: str, kind: str, inputs: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether a call of a named (cheap) kind still builds its stage's `warm_with` tables (`Stage.warm_when`): it then
    prefers warm workers as a short call (tasks.pool.run's `prefer_short`), not as a cold one."""
    declared = STAGES[stage]
    return bool(kind and declared.warm_with and declared.warm_when and resolve(declared.warm_when)(inputs, params))


# ----------------------------------------------------------------------------- partitioned stages

# Calls per worker for a partitioned step: several, so that one slow call does not leave the other
# workers idle at the end (repair's 64 parts vary ~4x in cost on the 5k bench), few enough that a
# call still does seconds of work (a pool call costs ~1 ms; a Prefect task run ~10 ms plus the
# server's, which is why parts are pool calls inside one step, not tasks).
CALLS_PER_WORKER = 4


def run_parts(job: Job, inputs: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """A partitioned global step: plan its parts, run the parts not in place yet in batches spread
    over the worker pool, then finish the artifact (see `Stage.plan`).

    Parts already in place in this artifact folder (same key: same inputs, same code) are kept:
    a retry or a rerun after a crash runs only the missing ones. `_done.json` is written by `step`
    after `finish`, so an artifact interrupted half-way never looks complete."""
    declared = STAGES[job.stage]
    out = Path(job.dir)
    (out / DONE_FILE).unlink(missing_ok=True)
    (out / PARTS_DIR).mkdir(parents=True, exist_ok=True)
    first = call_priority(job.stage)
    planned: dict[str, float] = pool.run(call, declared.plan, (inputs,), params, timeout=STEP_SECONDS, priority=first)
    for part in planned:
        if not part or Path(part).name != part or part.startswith("."):
            raise ValueError(f"stage {job.stage!r}: part id {part!r} is not a plain file name")
    done = {p: stats for p in planned if (stats := part_done(job.dir, p)) is not None}
    # the kind of the step's part calls (Stage.memory_kind): the pool judges and records their memory
    # growth apart (an incremental reuse part is not judged on a cold part's growth)
    kind = resolve(declared.memory_kind)(inputs, params) if declared.memory_kind else ""
    batches = balance({p: w for p, w in planned.items() if p not in done}, pool.workers() * CALLS_PER_WORKER)

    def run_batch(batch: list[str]) -> dict[str, Any]:
        # warm=False: a part reads its own clusters, nothing the part before it left is reused
        args = (run_part_batch, declared.runner, inputs, job.dir, batch, params)
        return pool.run(*args, timeout=STEP_SECONDS, priority=first, warm=False, kind=kind)

    if len(batches) <= 1 or pool.inline():
        for batch in batches:
            done |= run_batch(batch)
    else:
        from concurrent.futures import ThreadPoolExecutor, wait

        # each thread only waits on its pool call; the pool's queue hands the next batch to a free worker
        with ThreadPoolExecutor(max_workers=len(batches), thread_name_prefix=f"{job.stage}-parts") as threads:
            futures = [threads.submit(run_batch, batch) for batch in batches]
            wait(futures)  # every batch that can finish does: a rerun then has less to do
        for f in futures:
            done |= f.result()  # the first failure, if any, fails the step
    parts = {p: done[p] for p in sorted(planned)}
    stats = pool.run(call, declared.finish, (inputs, job.dir, parts), params, timeout=STEP_SECONDS, priority=first)
    if not all(s.get("cacheable", True) for s in parts.values()):
        stats["cacheable"] = False  # a part that must not be reused makes the artifact one too
    return stats


def balance(weights: dict[str, float], n: int) -> list[list[str]]:
    """At most n batches of parts with near-equal total weight (largest part first into the
    lightest batch), heaviest batch first: it is submitted, so it starts, first."""
    if not weights:
        return []
    batches: list[tuple[float, int, list[str]]] = [(0.0, i, []) for i in range(min(n, len(weights)))]
    for part in sorted(weights, key=lambda p: (-weights[p], p)):
        total, i, members = min(batches)
        batches[i] = (total + weights[part], i, [*members, part])
    return [members for _, _, members in sorted(batches, key=lambda b: (-b[0], b[1]))]


def finished(job: Job) -> dict[str, Any] | None:
    """The stats a complete artifact's step returned (its `_done.json`), or None.

    A step whose artifact is complete is served from this file without a Prefect task run: an
    unchanged rerun then costs a file read per shard and stage instead of a task run's API
    round trips. It is the same dict Prefect's cached result holds (the step writes both)."""
    try:
        return json.loads((Path(job.dir) / DONE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# Tags let a server's tag concurrency limits govern a stage's task runs. Each tagged task run asks the
# API for its tags' concurrency slots before its body starts (prefect.concurrency: a synchronous call
# even when no limit exists; an untagged run makes none), and on a SQLite-backed server the first
# request for each tag stalled up to ~1.8-2.4 s (session 41: 20 tasks of distinct tags in a flow,
# median 60 ms, 3 of 15 at ~1.8 s, 7-11 s in all; one tag repeated: ≤ 78 ms; the samples' flow
# 11-12 s tagged, 2.4 s untagged), and the session 9 +1 % 20k timeline showed ~2 s between a stage's
# submission and its first step body. So a run tags a stage's task runs only where the server has a
# limit for that tag (`refresh_tag_limits`, once per flow run: one read of the server's limits); the
# CLI's temporary server has no limits and no UI, so the CLI turns tags off (`tag_task_runs(False)`),
# and so does the tests' harness. Task run names carry the stage either way (`normalize shard-…`).
_tag_task_runs = True
_limited_tags: frozenset[str] | None = None  # None: not looked up (every stage tagged)


def tag_task_runs(on: bool) -> None:
    """Whether the tasks made from now on may carry their stage tag (see above)."""
    global _tag_task_runs, _limited_tags
    _tag_task_runs, _limited_tags = on, None


def tagging_task_runs() -> bool:
    return _tag_task_runs


def refresh_tag_limits(read: Callable[[], Iterable[str]] | None = None) -> frozenset[str] | Exception | None:
    """Look up which tags have a concurrency limit on the server: from now on only task runs of
    those stages are tagged. `read` returns the server's limit names (tests). Returns the tags, None
    when task runs go untagged anyway, or the error of a failed read: then every stage is tagged, as
    before (a limit the server holds is never skipped)."""
    global _limited_tags
    if not _tag_task_runs:
        return None
    try:
        names = list(read() if read is not None else _limit_names())
    except Exception as exc:  # noqa: BLE001 - an API that cannot list its limits: keep every tag
        _limited_tags = None
        return exc
    _limited_tags = frozenset(n[len("tag:") :] for n in names if n.startswith("tag:"))
    return _limited_tags


def _limit_names() -> list[str]:
    """Names of the server's concurrency limits (`tag:<tag>` for a tag limit), every page of them."""
    from prefect.client.orchestration import get_client

    names: list[str] = []
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_global_concurrency_limits(limit=200, offset=len(names))
            names.extend(str(limit.name) for limit in page)
            if len(page) < 200:
                return names


def _tags(tag: str) -> list[str] | None:
    if not _tag_task_runs or (_limited_tags is not None and tag not in _limited_tags):
        return None
    return [tag]


def task_for(stage: str, result_storage: Path, refresh: bool) -> Task:
    """The Prefect task of a declared stage: named and tagged after it, results under OUT/.state."""
    s = STAGES[stage]
    return step.with_options(
        name=s.name,
        task_run_name=f"{s.name} {{job.label}}",
        tags=_tags(s.tag or s.name),
        result_storage=result_storage,
        refresh_cache=refresh or None,  # type: ignore[arg-type]  # None: the global setting
    )


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return str(flow_run.id) if flow_run.id else None


@task(name="fingerprint", task_run_name="fingerprint {label}", **RETRIES)
def fingerprint_files(
    files: list[InputFile], label: str, cache_file: str | None = None, rehash: bool = False
) -> list[tuple[str | None, int, str | None]]:
    """sha256 of every file's bytes: the content that all cache keys start from. Never cached as
    a task; a file whose stat is unchanged since it was hashed reuses its sha256 (see below).

    Runs in the task's thread, not the worker pool: reading and sha256 release the GIL, and an
    unchanged rerun (stat calls only) then never starts the worker processes."""
    return _fingerprint_many(list(files), cache_file, rehash)


# A file modified within this long before its stat was recorded may change again without its
# mtime moving (coarse timestamps: 1 s on ext3, 2 s on FAT), so its cached sha256 is not
# trusted (git's "racily clean" rule). 3 s covers the coarsest common filesystem.
RACY_NS = 3_000_000_000


def _stat_key(path: str) -> list[int] | None:
    """(size, mtime_ns, ctime_ns, inode, device) of a local regular file; None: not trusted."""
    import os
    import stat as stat_mod

    if "://" in path:
        return None  # remote (fsspec) inputs are always hashed
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat_mod.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _fingerprint_many(
    files: list[InputFile], cache_file: str | None = None, rehash: bool = False
) -> list[tuple[str | None, int, str | None]]:
    """Fingerprint a shard's files, re-hashing only those whose stat changed.

    The rule: a file's cached sha256 is reused when its (size, mtime_ns, ctime_ns, inode, device)
    equal the ones recorded when it was hashed and it was last modified more than RACY_NS before
    that record. ctime moves on any write or metadata change, even one that restores mtime
    (`touch -d`), so a rewrite never keeps a stale sha. Ingest still hashes every byte it reads
    and compares with this fingerprint, so a file changed after this check becomes
    `changed_during_run`, as before. `rehash` (CLI `--rehash`, implied by `--rebuild`) hashes
    every file. The cache is one small JSON file per shard under OUT/.state/fingerprints.
    """
    import time

    cached: dict[str, list] = {}
    if cache_file and not rehash:
        try:
            cached = json.loads(Path(cache_file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}  # a missing or damaged cache only costs a full hash
    out: list[tuple[str | None, int, str | None]] = []
    record: dict[str, list] = {}
    for f in files:
        if f.problem is not None:
            out.append(fingerprint(f))
            continue
        before = _stat_key(f.path)
        entry = cached.get(f.path)
        if before is not None and entry is not None and entry[0] == before and before[1] < entry[2] - RACY_NS:
            out.append((entry[1], before[0], None))
            record[f.path] = entry
            continue
        checked = time.time_ns()
        sha, size, error = fingerprint(f)
        out.append((sha, size, error))
        if sha is not None and before is not None and _stat_key(f.path) == before:
            record[f.path] = [before, sha, checked]  # unchanged while hashed: trust it next run
    if cache_file:
        target = Path(cache_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        tmp.replace(target)
    return out


def fingerprint_task() -> Task:
    """`fingerprint_files`, tagged like ingest unless task runs go untagged (`tag_task_runs`)."""
    return fingerprint_files.with_options(tags=_tags("ingest"))


def stat_cached_fingerprints(
    files: list[InputFile], cache_file: str, rehash: bool = False
) -> list[tuple[str | None, int, str | None]] | None:
    """The shard's fingerprints when every file's sha256 comes from its stat cache (the rule of
    `_fingerprint_many`), else None: the flow then runs the fingerprint task. An unchanged shard
    costs a few stat calls in the flow's thread, not a Prefect task run's API round trips."""
    if rehash:
        return None
    try:
        cached = json.loads(Path(cache_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    out: list[tuple[str | None, int, str | None]] = []
    for f in files:
        if f.problem is not None:
            out.append((None, 0, None))  # as `fingerprint` says: never opened, ingest rejects it
            continue
        before = _stat_key(f.path)
        entry = cached.get(f.path)
        if before is None or entry is None or entry[0] != before or not before[1] < entry[2] - RACY_NS:
            return None
        out.append((entry[1], before[0], None))
    return out


# Where `set_aside` moves the artifacts a run no longer uses before they are deleted: under
# OUT/.state/artifacts/ (no stage scans it: `steps.finished` and `stages.earlier_artifacts` read
# artifacts/<stage>/<key>/), one folder per run, named with the writer's pid and the time.
PRUNED = ".tmp-pruned-"


def prune_state(state_dir: str, keep: set[str]) -> dict[str, int]:
    """Drop artifacts and result records this run did not use, so nightly runs don't grow the
    state forever. Published releases are hard links and outlive the artifacts they came from."""
    removed, trash = set_aside(state_dir, keep)
    discard(trash)
    return removed


def set_aside(state_dir: str, keep: set[str]) -> tuple[dict[str, int], Path | None]:
    """Move every artifact this run did not use out of its stage folder, one rename each, and drop
    the unused result records; returns the counts and the folder they went to (for `discard`).

    A rename takes an artifact away whole: deleted in place (rmtree, in directory order), a run
    killed meanwhile left `_done.json` beside missing files, and a later run keyed the same (a
    landing folder put back) was served that artifact as complete. The deleting itself
    (`discard`) can then run beside the run's last work instead of before it (20k +1 %: ~3,000
    files of ~60 artifacts)."""
    state = Path(state_dir)
    removed = {"artifacts": 0, "results": 0}
    artifacts = state / "artifacts"
    trash = artifacts / f"{PRUNED}{os.getpid()}-{time.time_ns()}"  # never a killed run's name
    moved = False
    for stage_dir in sorted(artifacts.iterdir()) if artifacts.exists() else []:
        if stage_dir.name.startswith(PRUNED):  # a killed run's, not deleted yet
            trash.mkdir(exist_ok=True)
            os.rename(stage_dir, trash / stage_dir.name)
            moved = True
            continue
        if stage_dir.name not in STAGES:
            continue
        for artifact in sorted(stage_dir.iterdir()):
            if artifact.name not in keep:
                trash.mkdir(exist_ok=True)
                os.rename(artifact, trash / f"{stage_dir.name}-{artifact.name}")
                removed["artifacts"] += 1
                moved = True
    results = state / "prefect-results"
    for record in sorted(results.iterdir()) if results.exists() else []:
        if record.is_file() and record.name not in keep:
            record.unlink(missing_ok=True)
            removed["results"] += 1
    return removed, trash if moved else None


def discard(trash: Path | None) -> None:
    """Delete what `set_aside` moved away (a run killed first leaves it to the next run's)."""
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


__all__ = [
    "Job",
    "code_version",
    "discard",
    "fingerprint_files",
    "fingerprint_task",
    "finished",
    "is_transient",
    "job",
    "prune_state",
    "set_aside",
    "stat_cached_fingerprints",
    "step",
    "tag_task_runs",
    "task_for",
]

"""The corpus flow: discover → ingest → normalize → extract / dedupe → export → publish.

Orchestration only: every step is a task from tasks.steps working on a shard (thousands of
documents), so Prefect's per-task cost stays small and the UI shows one row per shard and stage.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import os
import queue
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.progress import RunProgress
from tasks import pool, steps
from tasks.common import __version__, rows_to_table, stable_hash, write_table
from tasks.export import account_shard, key_columns_digest, merge_accounts
from tasks.ingest import (
    MAX_DOC_BYTES,
    InputFile,
    discover_all,
    input_key,
    locate_rejects,
    located,
    plan_shards,
    reject_row,
)
from tasks.publish import REPORT, build_release, check_output_layout, current_release, output_lock, publish
from tasks.report import has_run_note, note_reuse, presummarize, reuse_note, write_report
from tasks.schema import REJECTS
from tasks.stages import STAGES, ByShard, code_version, downstream_depth, resolve, topological

MB = 1024 * 1024
DOC_SECONDS = 120.0  # per-page time budget: the slowest real page (a 1 MB report) takes ~3 s in extraction


def pipeline_version() -> str:
    """The package version plus every stage's code version: documents say what made them."""
    parts = ",".join(f"{s}:{code_version(s)}" for s in sorted(STAGES))
    return f"{__version__}+{stable_hash(parts)[:12]}"


def progress_steps(shards: int) -> int:
    """Steps a run of this many shards finishes: each shard stage and the fingerprint once per shard,
    each global stage once (counting global stages per shard left a 113-shard run at 74 % in the
    UI when it ended, and a run with no shard at 500 %)."""
    per_shard = sum(1 for s in STAGES.values() if s.scope == "shard") + 1
    return shards * per_shard + sum(1 for s in STAGES.values() if s.scope == "global")


# Threads of the flow's task runner: they only wait (tasks.pool does the CPU work). A Prefect task
# holds a thread from its start, so shard steps are submitted at most SHARD_WINDOW at a time and the
# other threads are left for global steps: the pool's priorities (a global call before queued shard
# calls) work only among tasks that have started. 100k bench, session 14: 112 extract tasks took all
# 32 threads; dedupe's task (the critical path) waited 796 s for one, then ran alone for the last
# 314 s with the second worker idle.
TASK_THREADS = 32
SHARD_WINDOW = 24  # shard steps in flight (Dag.slots); the other 8 threads: at most 3 global steps run at once
# Shard steps that patch an earlier artifact of their own shard (made by the same code: a nightly run's old
# shards, whose steps re-run because a global input moved a few rows) go to Prefect this many to a task run,
# not `steps.STEPS_PER_TASK`: a task run costs ~10 ms of flow and ~43 ms of API-server CPU (session 51), and
# such a step 0.05-0.2 s of worker time (20k +1 %: 20 members, 13 annotate and 24 export patches took 14 task
# runs for ~6 CPU-s of work). The window's size: a batch that fits the window goes out once it is free, and
# a retry re-runs only the batch's incomplete steps. Steps computing their shard from scratch keep batches of
# STEPS_PER_TASK (a cold run, a new shard, a stage whose code changed: one UI row per few shards).
PATCH_STEPS_PER_TASK = SHARD_WINDOW
# Window slots a batch of such patches takes: one, the thread its task run holds, not one per step. Counted per
# step, a stage of more patches than PATCH_STEPS_PER_TASK went out in rounds (20k +1 %: export's 25 steps as
# 13 + 12, the second task run submitted only once the first's last step ended), though holding a patch back
# saves no thread and orders nothing (the pool's priorities order the calls of the task runs that started).
PATCH_BATCH_SLOTS = 1


@flow(
    name="build-corpus",
    flow_run_name="corpus → {out}",
    task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS),  # type: ignore[arg-type]
    log_prints=True,
    validate_parameters=True,
)
def build_corpus(
    inputs: list[str],
    out: str,
    workers: int | None = None,
    target_shard_docs: int = 2000,
    max_shard_mb: int = 32,
    min_chars: int = 200,
    max_doc_bytes: int = MAX_DOC_BYTES,
    top_keywords: int = 20,
    doc_seconds: float = DOC_SECONDS,
    wait_for_lock_seconds: float = 0.0,
    rebuild: bool = False,
    dask_address: str | None = None,
    rehash: bool = False,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Build (or incrementally update) the corpus in `out` from every page under `inputs`.

    Unchanged shards are served from the cache in `out/.state` (unless `rebuild`, e.g. after a
    rule change outside the versioned code); the published output is the whole corpus. A page
    that takes longer than `doc_seconds` in one stage becomes a `timeout` reject. A file whose
    stat is unchanged since it was last hashed is not read again unless `rehash` (or `rebuild`). With
    `dask_address` the shard steps run on that Dask cluster (prefect-dask) instead of local
    worker processes. Inputs holding no file while the current release holds documents (an unmounted
    landing folder) fail the run before anything is written, unless `allow_empty`. Returns the run
    summary that is also written to `out/manifest.json`.
    """
    log = get_run_logger()
    started = time.time()
    pool.trace("flow_start")
    out_dir = validate_parameters(
        inputs, out, workers, target_shard_docs, max_shard_mb, min_chars, max_doc_bytes, doc_seconds
    )
    previous = _previous_manifest(out_dir)
    settings: dict[str, Any] = dict(
        inputs=list(inputs),
        out=str(out_dir),
        target_docs=target_shard_docs,
        max_shard_bytes=max_shard_mb * MB,
        min_chars=min_chars,
        max_doc_bytes=max_doc_bytes,
        top_k=top_keywords,
        doc_seconds=doc_seconds,
        rebuild=rebuild,
        rehash=rehash,
        # an empty listing must not replace a corpus of this many documents (0: it may)
        keep_documents=0 if allow_empty else int(((previous or {}).get("counts") or {}).get("accepted") or 0),
    )
    with output_lock(out_dir, wait_for_lock_seconds):
        if dask_address:
            from prefect_dask import DaskTaskRunner

            pool.configure(0)  # on Dask, each task runs its shard inside a Dask worker
            on_dask = _shards_on_dask.with_options(task_runner=DaskTaskRunner(address=dask_address))  # type: ignore[arg-type]
            summary = on_dask(settings=settings, where=f"dask {dask_address}")
        else:
            n_workers = pool.configure(workers, growth=_growth_figures(out_dir))
            dropped = Discarded()
            try:
                summary = _build(log, workers=n_workers, dropped=dropped, **settings)
            except BaseException:
                pool.terminate("the run stopped")  # don't wait for running shards: the release stays as it was
                raise
            finally:
                pool.shutdown()
                _save_growth(out_dir, pool.measured())
                dropped.join()
    summary["timings"]["total"] = round(time.time() - started, 3)
    _warn_on_jumps(log, summary, previous)
    _publish_artifacts(summary)
    _log_summary(log, summary)
    pool.trace("flow_end")
    return summary


@flow(name="build-corpus-shards", flow_run_name="shards on {where}", log_prints=True)
def _shards_on_dask(settings: dict[str, Any], where: str) -> dict[str, Any]:
    """The same stages, with the task runner the parent chose (prefect-dask's DaskTaskRunner)."""
    return _build(get_run_logger(), workers=where, **settings)


class Discarded:
    """Old releases the publish renamed away (tasks.publish.collect_garbage), deleted by a thread while
    the run winds down (its after-publish steps, the workers' exit) instead of before the flow returns;
    joined before the output lock is let go. One a killed run leaves is swept by the next run."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def __call__(self, folder: Path) -> None:
        t = threading.Thread(target=steps.discard, args=(folder,), name="jianghua-old-release", daemon=True)
        t.start()
        self.threads.append(t)

    def join(self) -> None:
        for t in self.threads:
            t.join()


class NothingToPublish(RuntimeError):
    """The inputs hold no file while the current release holds documents: refused, nothing written."""


def validate_parameters(
    inputs, out, workers, target_shard_docs, max_shard_mb, min_chars, max_doc_bytes, doc_seconds=DOC_SECONDS
) -> Path:
    """Fail before any work, with a message that says what to fix."""
    import glob as globlib

    if not inputs:
        raise ValueError("no inputs given: pass at least one folder, glob, file or fsspec URL")
    from tasks.ingest import is_local_spec

    for spec in inputs:
        local = is_local_spec(spec)
        if local and spec.startswith("file://"):
            spec = spec[len("file://") :]  # a file:// URL is read as the local path it names (discovery does)
        elif not local:
            # an unknown protocol or a backend not installed (`s3://` without s3fs) failed inside the flow, with
            # Prefect's traceback and "rerun to resume"; importing the backend needs no network
            import fsspec

            try:
                fsspec.get_filesystem_class(spec.split("://", 1)[0])
            except (ValueError, ImportError) as exc:
                raise ValueError(f"input {spec!r} cannot be read: {exc}") from None
            continue
        if not any(ch in spec for ch in "*?[") and not Path(spec).expanduser().exists():
            raise FileNotFoundError(f"input {spec!r} does not exist: give a folder, a glob, a file or an fsspec URL")
        if any(ch in spec for ch in "*?[") and not globlib.glob(spec, recursive=True):
            raise FileNotFoundError(f"input glob {spec!r} matches nothing")
    for name, value in (
        ("target_shard_docs", target_shard_docs),
        ("max_shard_mb", max_shard_mb),
        ("max_doc_bytes", max_doc_bytes),
    ):
        if value is None or value < 1:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1 (or omitted for every core), got {workers!r}")
    if doc_seconds is not None and doc_seconds <= 0:
        raise ValueError(f"doc_seconds must be positive, got {doc_seconds!r}")
    if min_chars < 0:
        raise ValueError(f"min_chars must be >= 0, got {min_chars!r}")
    out_dir = Path(out).expanduser().resolve()
    existing = next((p for p in [out_dir, *out_dir.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise PermissionError(f"cannot write the output folder {out_dir}: {existing} is not a writable folder")
    for spec in inputs:
        if "://" in spec or any(ch in spec for ch in "*?["):
            continue
        root = Path(spec).expanduser().resolve()
        if root == out_dir or out_dir in root.parents:
            raise ValueError(
                f"input {spec!r} is inside the output folder {out_dir}: a corpus folder's files are never read as "
                "input, so the run would find nothing; keep the landing folder outside --out"
            )
    check_output_layout(out_dir)
    return out_dir


class Dag:
    """Runs the declared stages in dependency order, each as soon as what it reads is ready.

    Every stage is submitted the same way (tasks.steps): one Prefect task per shard step for a shard
    stage (up to `steps.STEPS_PER_TASK` of them to one task run on the local pool, up to
    `PATCH_STEPS_PER_TASK` steps that patch their shard's earlier artifact), one for a global stage (whose task spreads its parts over the workers if it declares
    `plan`). What a step reads and what its key holds come from the
    declaration: a shard stage reads its own shard's upstream artifacts, a global stage every
    shard's, and a shard stage reads a global stage through the view it declares (the whole
    artifact by default). Independent stages run side by side (extract beside signatures →
    dedupe, repair beside reuse).
    """

    GLOBAL = "corpus"  # the one "shard" id of a global stage

    def __init__(
        self,
        state: str,
        rebuild: bool,
        progress: RunProgress,
        params: dict[str, Any],
        runtime: dict[str, Any],
        window: int | None = SHARD_WINDOW,
        after_step: Callable[[str, str, dict[str, Any]], Any] | None = None,
    ):
        self.state = state
        self.after_step = after_step  # told of every step this run computed, as it is seen done
        self.rebuild = rebuild
        self.progress = progress
        self.params = params  # values of the declared params (they change the output: keyed)
        self.runtime = runtime  # settings that bound a run (time budgets) but never change an artifact
        storage = Path(state) / "prefect-results"
        self.tasks = {name: steps.task_for(name, storage, rebuild) for name in STAGES}
        self.batches = {name: steps.batch_task_for(name) for name, st in STAGES.items() if st.scope == "shard"}
        self.jobs: dict[str, dict[str, steps.Job]] = {}
        self.timings: dict[str, float] = {}
        self.window = window  # shard steps in flight at most (None: all at once, e.g. on a Dask cluster)
        self.patch_batches: set[tuple[str, tuple[str, ...]]] = set()  # (stage, shard ids): PATCH_BATCH_SLOTS each

    def work(
        self,
        stage: str,
        shard_ids: list[str],
        sources: dict[str, dict[str, tuple[Any, list[Any], int]]],
        results: dict[str, dict[str, dict[str, Any]]],
    ) -> dict[str, tuple[dict[str, Any], list[Any], int]]:
        """shard id -> (runner inputs, key parts, documents for the label), from the declaration.

        `sources` are inputs the flow supplies (the fingerprinted `files`), per shard."""
        declared = STAGES[stage]
        if declared.scope == "global":
            inputs: dict[str, Any] = {}
            parts: list[Any] = []
            for r in declared.reads:
                if STAGES[r].scope == "shard":
                    inputs[r] = [results[r][sid]["dir"] for sid in shard_ids]
                    parts += [results[r][sid]["key"] for sid in shard_ids]
                else:
                    inputs[r] = results[r][self.GLOBAL]["dir"]
                    parts.append(results[r][self.GLOBAL]["key"])
            return {self.GLOBAL: (inputs, parts, 0)}
        work = {}
        for i, sid in enumerate(shard_ids):
            mine = {r: results[r][sid] for r in declared.reads if r in STAGES and STAGES[r].scope == "shard"}
            inputs, parts, n = {}, [], None
            for r in declared.reads:
                if r not in STAGES:
                    value, key_parts, count = sources[r][sid]
                    inputs[r] = value
                    parts += key_parts
                    n = count if n is None else n
                elif STAGES[r].scope == "shard":
                    inputs[r] = mine[r]["dir"]
                    parts.append(mine[r]["key"])
                    n = int(mine[r].get("docs", 0) or 0) if n is None else n
                elif r in declared.views:
                    view_inputs, key_parts = resolve(declared.views[r])(results[r][self.GLOBAL], i, mine)
                    inputs.update(view_inputs)
                    parts += key_parts
                else:
                    inputs[r] = results[r][self.GLOBAL]["dir"]
                    parts.append(results[r][self.GLOBAL]["key"])
            work[sid] = (inputs, parts, n or 0)
        return work

    def submit(
        self, stage: str, work: dict[str, tuple[dict[str, Any], list[Any], int]], fresh: dict[str, int] | None = None
    ) -> tuple[dict[str, dict[str, Any]], list[tuple[list[str], Callable[[], Any]]]]:
        """(shard id -> the stats of its complete artifact, served without a task run; the steps still
        to run, as (shard ids, a function that submits their Prefect task and returns its future)):
        one task run per step, or per batch of up to `steps.STEPS_PER_TASK` shard steps on the local
        pool (`steps.steps_batch`; `run` decides when each goes out), of up to `PATCH_STEPS_PER_TASK`
        steps that patch their shard's earlier artifact."""
        declared = STAGES[stage]
        keyed = [self.params[p] for p in declared.params]
        what = "files" if "files" in declared.reads else "docs"
        shard = declared.scope == "shard"
        fresh = fresh or {}
        jobs = {
            sid: steps.job(
                stage,
                self.state,
                f"{sid} ({n:,} {what})" if shard else sid,
                parts,
                keyed,
                shard=sid if shard else "",
                rank=fresh.get(sid, 0),
            )
            for sid, (_, parts, n) in work.items()
        }
        self.jobs[stage] = jobs
        done = {} if self.rebuild else {sid: r for sid, j in jobs.items() if (r := steps.finished(j)) is not None}
        if len(done) == len(jobs):
            return done, []
        if self.rebuild and declared.plan:  # parts in place from an interrupted run are kept, unless rebuilding
            for j in jobs.values():
                shutil.rmtree(j.dir, ignore_errors=True)
        run_params = {p: self.params[p] for p in declared.params}
        run_params |= {k: v for k, v in self.runtime.items() if k in declared.runtime}
        if declared.hints:
            run_params |= resolve(declared.hints)(stage, self.state, self.rebuild)
        plan = frozenset(work)

        def params_of(sid: str) -> dict[str, Any]:
            """The step's own share of a hint given by shard (`stages.ByShard`)."""
            return {k: v.for_shard(sid, plan) if isinstance(v, ByShard) else v for k, v in run_params.items()}

        # shards some hint lends an earlier artifact made for them (stages.ByShard: by this code)
        lent = {shard for v in run_params.values() if isinstance(v, ByShard) for _, shard in v.artifacts}

        def patches(sid: str) -> bool:
            """Whether the step lends from an earlier artifact its own shard's step made with this code (a
            hint's `ByShard` holds one made for it, or the stage's memory kind says it patches one, as an
            export of unchanged normalize and extract artifacts does): its work follows the change, not
            the shard's size (`PATCH_STEPS_PER_TASK`)."""
            if sid in lent:
                return True
            return bool(declared.memory_kind) and bool(resolve(declared.memory_kind)(work[sid][0], params_of(sid)))

        # Steps with more inputs this run computed go first, in batches of their own, and wait for a
        # worker ahead of the others (Job.rank): a nightly run's new shard computes every document
        # where an old shard's step patches a few rows. Last in line, it ran alone with the other
        # worker idle and held up the next stage (100k +1 %: the new shard's annotate, 2.8 s, after
        # 77 quick ones).
        one_each = declared.scope == "global" or self.window is None  # a Dask cluster schedules each step
        batches: list[list[str]] = []
        patching = set() if one_each else {s for s in work if s not in done and patches(s)}
        computing = [sid for sid in work if sid not in done and sid not in patching]
        # the patches last, in few task runs; each keeps its rank for the pool's order (Job.rank)
        position = {sid: k for k, sid in enumerate(work)}
        by_rank = sorted(patching, key=lambda sid: (-fresh.get(sid, 0), position[sid]))
        if by_rank and len(computing) < steps.STEPS_PER_TASK:
            # a nightly run's new shard: its few computing steps share the patches' task runs (each still its own
            # pool call, first by its rank) instead of one more task run per stage (5k +1 %: members, annotate and
            # export each made a task run for the new shard's one step beside one for every patch)
            ordered = sorted(computing, key=lambda sid: (-fresh.get(sid, 0), position[sid]))
            patched = _batches(ordered + by_rank, PATCH_STEPS_PER_TASK)
            self.patch_batches.update((stage, tuple(sids)) for sids in patched)
            return done, self._launches(stage, jobs, work, params_of, patched)
        for rank in sorted({fresh.get(sid, 0) for sid in work if sid not in done}, reverse=True):
            tier = [sid for sid in computing if fresh.get(sid, 0) == rank]
            batches += [[sid] for sid in tier] if one_each else _batches(tier, steps.STEPS_PER_TASK)
        patched = _batches(by_rank, PATCH_STEPS_PER_TASK)
        self.patch_batches.update((stage, tuple(sids)) for sids in patched)
        return done, self._launches(stage, jobs, work, params_of, batches + patched)

    def slots(self, stage: str, sids: list[str]) -> int:
        """The window slots a submitted batch takes: one per step, PATCH_BATCH_SLOTS for a batch of patches."""
        return PATCH_BATCH_SLOTS if (stage, tuple(sids)) in self.patch_batches else len(sids)

    def admits(self, in_flight: int, slots: int) -> bool:
        """Whether a batch taking `slots` goes out with `in_flight` slots taken (one always goes when none is)."""
        return self.window is None or in_flight == 0 or in_flight + slots <= self.window

    def _launches(
        self,
        stage: str,
        jobs: dict[str, steps.Job],
        work: dict[str, tuple[dict[str, Any], list[Any], int]],
        params_of: Callable[[str], dict[str, Any]],
        batches: list[list[str]],
    ) -> list[tuple[list[str], Callable[[], Any]]]:
        """(shard ids, a function submitting their task run) for each batch: `step` for one, `steps_batch` for more."""
        task = self.tasks[stage]
        launches: list[tuple[list[str], Callable[[], Any]]] = []
        for sids in batches:
            if len(sids) == 1:
                launches.append(
                    (sids, functools.partial(task.submit, jobs[sids[0]], work[sids[0]][0], params_of(sids[0])))
                )
                continue
            label = f"{jobs[sids[0]].label} and {len(sids) - 1} more"
            submit = functools.partial(
                self.batches[stage].submit,
                [jobs[s] for s in sids],
                [work[s][0] for s in sids],
                [params_of(s) for s in sids],
                label,
            )
            launches.append((sids, submit))
        return launches

    def run(
        self, shard_ids: list[str], sources: dict[str, dict[str, tuple[Any, list[Any], int]]]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """Every declared stage, in dependency order, as soon as its reads are done."""
        log = get_run_logger()
        run_id = _run_id()
        results: dict[str, dict[str, dict[str, Any]]] = {}  # stages whose steps are all done
        partial: dict[str, dict[str, dict[str, Any]]] = {}
        waiting = topological()
        running: dict[Any, tuple[str, list[str]]] = {}  # future -> (stage, its shard ids)
        trackers: dict[str, Any] = {}
        started: dict[str, float] = {}
        # shard steps not submitted yet: the longer chain of stages after theirs first, then in order
        backlog: list[tuple[int, int, str, list[str], Callable[[], Any]]] = []
        depth, arrival = downstream_depth(), itertools.count()
        in_flight = 0  # window slots of the shard steps submitted and not finished (Dag.slots)

        def launch() -> bool:
            """Submit backlogged shard steps while the window has room for them; True if any was."""
            nonlocal in_flight
            launched = False
            while backlog and self.admits(in_flight, self.slots(backlog[0][2], backlog[0][3])):
                _, _, stage, sids, start = heapq.heappop(backlog)
                running[start()] = (stage, sids)
                in_flight += self.slots(stage, sids)
                launched = True
            return launched

        def finish(stage: str, sid: str, result: dict[str, Any]) -> bool:
            """Record one step's result; True when it was the stage's last."""
            partial[stage][sid] = result
            trackers[stage].advance(int(result.get("docs", result.get("documents", 0)) or 0))
            counts = ", ".join(
                f"{k} {v:,}" for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool)
            )
            cached = "" if result.get("computed_by") == run_id else " (cached)"
            if not cached:
                pool.trace("step_seen", stage=stage, label=sid)
                if self.after_step is not None:
                    self.after_step(stage, sid, result)
            log.info(f"{stage} {sid}: {counts}{cached}")
            if len(partial[stage]) < trackers[stage].total:
                return False
            results[stage] = dict(sorted(partial.pop(stage).items()))
            self.timings[stage] = round(time.monotonic() - started[stage], 3)
            return True

        while waiting or running or backlog:
            ready = [s for s in waiting if all(r in results or r not in STAGES for r in STAGES[s].reads)]
            for stage in ready:
                waiting.remove(stage)
                started[stage] = time.monotonic()
                done, launches = self.submit(
                    stage, self.work(stage, shard_ids, sources, results), fresh_shards(stage, results, run_id)
                )
                pool.trace("stage_submitted", stage=stage, steps=sum(len(sids) for sids, _ in launches))
                trackers[stage] = self.progress.stage(stage, len(done) + sum(len(sids) for sids, _ in launches))
                partial[stage] = {}
                if not done and not launches:  # no shards: nothing to wait for
                    results[stage] = {}
                    self.timings[stage] = 0.0
                for sid, result in done.items():
                    finish(stage, sid, result)
                for sids, start in launches:
                    if STAGES[stage].scope == "global":  # never behind a backlog of shard steps
                        running[start()] = (stage, sids)
                    else:
                        heapq.heappush(backlog, (-depth[stage], next(arrival), stage, sids, start))
            launch()
            if ready and any(s in results for s in ready):
                continue  # a stage served from its artifacts may unblock others at once
            if not running:
                if waiting and not ready:
                    raise RuntimeError(f"stages {waiting} wait for stages that never run")
                continue
            for fut in as_completed(list(running)):
                stage, sids = running.pop(fut)
                if STAGES[stage].scope == "shard":
                    in_flight -= self.slots(stage, sids)
                got = fut.result()
                last = [finish(stage, sid, r) for sid, r in zip(sids, got if len(sids) > 1 else [got], strict=True)]
                if any(last):
                    break  # a stage finished: submit what it unblocks, then wait again
                if launch():
                    break  # wait for the steps just submitted too
        return results

    def used_keys(self) -> set[str]:
        return {j.key for jobs in self.jobs.values() for j in jobs.values()}


# What `ReportPrefetch` summarizes of an export step: the shard tables the report reads file by file
# (tasks.report.table_groups; rejects are merged at release time, not per shard).
PRESUMMARIZED_TABLES = ("documents", "keywords", "slogans")
# ... and of the reuse step's parts (tasks.report_parts.reuse_pairs): a +1 % run rewrites most of them (new
# documents' passages land in every doc_id_a range), and the report re-grouped each one alone at the run's end
PRESUMMARIZED_GLOBAL = {"reuse": "reuse"}  # stage -> the table under its artifact folder
# Below every stage's calls (stages.call_priority: its first element, the depth, is >= 0): a partial is only
# needed by the report, the run's last call, so it takes a worker no stage call is waiting for.
PRESUMMARIZE_PRIORITY = (-1, 0, 0, 0)
# A presummarize call's growth of its worker, until the pool measures one (pool.expect_growth): one export
# step's documents, keywords and slogans files, decoded a group of columns at a time. Measured +2 MiB on
# the shared corpus's shards and +14 MiB on the 20k bench's largest documents file's shard; a shard of 4x
# that stays well within 64.
PRESUMMARIZE_MB = 64


class ReportPrefetch:
    """The report's partials of each export step's files and of the reuse step's parts
    (tasks.report.presummarize), summarized in pool workers as the flow sees the step done, so the report, run alone after the release is
    built, finds them in its cache instead of reading every file the run changed (20k +1 %, session
    45: a 0.46 s call re-summarizing 117 files, with the other worker idle). `threads` submitting
    threads (0: off, e.g. on Dask, whose workers have no local pool). Failures only leave the report
    its own work; `wait` before the report, `close` always."""

    def __init__(self, cache_dir: str, threads: int):
        self.cache_dir = cache_dir
        self.threads = max(0, threads)
        self.queue: queue.Queue[dict[str, str | list[str]] | None] = queue.Queue()
        self.started: list[threading.Thread] = []
        self.closed = False
        if (
            self.threads
        ):  # never a spawn for a call this light (the pool replaces a big worker before an unknown runner)
            pool.expect_growth(f"{presummarize.__module__}:{presummarize.__qualname__}", PRESUMMARIZE_MB)

    def step_done(self, stage: str, sid: str, result: dict[str, Any]) -> None:
        if stage not in ("export", *PRESUMMARIZED_GLOBAL) or not self.threads or self.closed or not result.get("dir"):
            return
        if stage == "export":
            self.queue.put({t: str(Path(result["dir"]) / f"{t}.parquet") for t in PRESUMMARIZED_TABLES})
        else:  # a global step's parts, in one batch per submitting thread
            table = PRESUMMARIZED_GLOBAL[stage]
            parts = sorted(str(p) for p in (Path(result["dir"]) / table).glob("*.parquet"))
            for k in range(min(self.threads, len(parts))):
                self.queue.put({table: parts[k :: self.threads]})
        while len(self.started) < self.threads:
            t = threading.Thread(target=self._work, name=f"jianghua-presummarize-{len(self.started)}", daemon=True)
            t.start()
            self.started.append(t)

    def _work(self) -> None:
        while (files := self.queue.get()) is not None:
            try:
                if not self.closed:
                    pool.run(presummarize, files, self.cache_dir, priority=PRESUMMARIZE_PRIORITY)
            except Exception:  # noqa: BLE001 - the report summarizes whatever is missing itself
                pass
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def wait(self) -> None:
        """Until every queued step's partials are in the cache (or failed)."""
        if self.started:
            self.queue.join()

    def then(self, fn: Callable[..., Any], *args: Any) -> Any:
        """fn(*args) once every queued step's partials are in the cache."""
        self.wait()
        return fn(*args)

    def close(self) -> None:
        """Drop what is still queued and let the threads end (they never hold up the process's exit)."""
        self.closed = True
        for _ in self.started:
            self.queue.put(None)
        self.started = []


def fresh_shards(stage: str, results: dict[str, dict[str, dict[str, Any]]], run_id: str | None) -> dict[str, int]:
    """Shard -> how many of a shard stage's shard inputs this run computed rather than read from its
    cache: a new shard's every input (its pages are new), an old shard's only what a change reached."""
    if STAGES[stage].scope != "shard" or run_id is None:
        return {}
    fresh: dict[str, int] = {}
    for r in STAGES[stage].reads:
        if r in STAGES and STAGES[r].scope == "shard":
            for sid, result in results.get(r, {}).items():
                if result.get("computed_by") == run_id:
                    fresh[sid] = fresh.get(sid, 0) + 1
    return fresh


def _batches(items: list[str], most: int) -> list[list[str]]:
    """Consecutive runs of `items`, as few as hold at most `most` each, their sizes within one."""
    n = -(-len(items) // most) if items else 0
    size, extra = divmod(len(items), n) if n else (0, 0)
    out, at = [], 0
    for k in range(n):
        step = size + (k < extra)
        out.append(items[at : at + step])
        at += step
    return out


def _build(
    log,
    inputs: list[str],
    out: str,
    workers: int | str,
    target_docs: int,
    max_shard_bytes: int,
    min_chars: int,
    max_doc_bytes: int,
    top_k: int,
    doc_seconds: float | None = None,
    rebuild: bool = False,
    rehash: bool = False,
    keep_documents: int = 0,
    dropped: Callable[[Path], Any] | None = None,
) -> dict[str, Any]:
    out_dir = Path(out)
    state = str(out_dir / ".state")
    timings: dict[str, float] = {}
    started = time.time()
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[step] = round(timings.get(step, 0.0) + now - clock, 3)
        clock = now
        pool.trace("lap", stage=step)

    # ---- discover + plan
    found = discover_all(inputs, exclude=[str(out_dir)], max_doc_bytes=max_doc_bytes)
    files = found.files
    if not files and keep_documents:
        raise NothingToPublish(
            f"no file found under {', '.join(map(str, inputs))}, but the current release holds {keep_documents:,} "
            "documents: is the landing folder mounted, and did the crawler drop its pages there? Nothing was "
            "written; the current release stays. To publish an empty corpus on purpose, run with --allow-empty "
            "(flow parameter allow_empty)"
        )
    plans = plan_shards(files, target_docs, max_shard_bytes)
    log.info(
        f"discovered {len(files):,} files ({sum(f.size for f in files) / MB:,.1f} MB) in {len(plans)} shards; "
        f"workers: {workers}"
    )
    progress = RunProgress(total_steps=progress_steps(len(plans)), artifact_key="corpus-progress")
    version = pipeline_version()
    params = dict(max_doc_bytes=max_doc_bytes, min_chars=min_chars, top_k=top_k, pipeline_version=version)
    window = SHARD_WINDOW if isinstance(workers, int) else None  # a Dask cluster's own scheduler orders its tasks
    # stage tags only where the server limits them (tasks.steps), looked up before the tasks are made
    limited = steps.refresh_tag_limits()
    if isinstance(limited, Exception):
        log.warning(
            f"could not list the server's concurrency limits ({type(limited).__name__}: {limited}): "
            "every stage's task runs are tagged, so any tag limit still applies"
        )
    elif limited is not None:
        log.info(f"task runs tagged for the server's tag concurrency limits: {sorted(limited) or 'none'}")
    # the report's partials of each export step's files, summarized as the step finishes (on a local pool)
    prefetch = ReportPrefetch(str(Path(state) / "artifacts" / REPORTED), pool.workers() if window is not None else 0)
    dag = Dag(state, rebuild, progress, params, {"doc_seconds": doc_seconds}, window, after_step=prefetch.step_done)
    lap("discover")

    # ---- fingerprint: the content every cache key starts from
    shard_files, unreadable = _fingerprint(plans, progress, state, rehash or rebuild)
    # listing (path) order, as planned: dedupe names a cluster after its first member in this order, so
    # a crawler's new dated folder (later paths) leaves every earlier cluster's id as it was
    shard_ids = list(shard_files)
    input_fingerprint = stable_hash(
        sorted({(f.input_root, f.source_path, sha) for m in shard_files.values() for f, sha in m})
    )
    lap("fingerprint")

    # ---- the DAG declared in tasks.stages: ingest → lines → boilerplate → normalize →
    #      (extract | signatures → dedupe) → members → (repair | reuse), export
    # Shard steps see each root as a token (tasks.ingest.located): their keys and artifacts do not
    # depend on where the landing folder is mounted; export and the rejects below resolve it.
    files_source, roots_source = {}, {}
    for sid, m in shard_files.items():
        tokened, roots = located(m)
        files_source[sid] = (tokened, sorted(input_key(f, sha) for f, sha in tokened), len(m))
        roots_source[sid] = (roots, [roots], len(m))
    try:
        done = dag.run(shard_ids, {"files": files_source, "roots": roots_source})
    except BaseException:
        prefetch.close()
        raise
    timings.update(dag.timings)
    clock = time.monotonic()
    # the artifacts this run did not use leave their stage folders now, one rename each, and are deleted
    # beside the release's work and the report, not before it (joined once the release is published;
    # a run that fails first leaves them to the next run's)
    pruned, trash = steps.set_aside(state, dag.used_keys())
    discarding = threading.Thread(target=steps.discard, args=(trash,), name="jianghua-discard", daemon=True)
    discarding.start()
    corpus = Dag.GLOBAL
    normalized, exported = done["normalize"], done["export"]
    clustered, repaired, reused = done["dedupe"][corpus], done["repair"][corpus], done["reuse"][corpus]

    # ---- release: the export artifacts, the rejects and the global tables, linked
    duplicates_file = str(Path(clustered["dir"]) / "duplicates.parquet")
    reject_files = _located_rejects(
        state,
        [(stage, done[stage][sid], roots_source[sid][0]) for stage in ("ingest", "normalize") for sid in shard_ids],
    )
    if unreadable:
        reject_files.append(
            write_table(
                rows_to_table(unreadable, REJECTS),
                Path(state) / "artifacts" / "unreadable" / f"{input_fingerprint[:16]}.parquet",
            )
        )
    # an unchanged rerun: same inputs, and the release they make is the one published last time
    previous = _previous_manifest(out_dir) or {}
    same_inputs = (
        previous.get("input_fingerprint") == input_fingerprint
        and previous.get("inputs") == list(inputs)
        and previous.get("release") == current_release(out_dir)
        and isinstance(previous.get("tables"), dict)
        and isinstance(previous.get("counts"), dict)
    )
    release_dir, tables = build_release(
        str(out_dir),
        [(sid, exported[sid]["dir"]) for sid in shard_ids],
        reject_files,
        duplicates_file,
        {
            **{
                t: sorted(str(p) for p in Path(repaired["dir"], t).glob("*.parquet")) for t in ("best_texts", "repairs")
            },
            **{
                t: sorted(str(p) for p in Path(reused["dir"], t).glob("*.parquet")) for t in ("reuse", "reuse_formulae")
            },
        },
        current=(previous["release"], previous["tables"]) if same_inputs else None,
    )
    unchanged = same_inputs and Path(release_dir).name == previous["release"]
    # the same inputs in the same release account the same way: the check ran when it was built
    accounting = (
        _accounting_of(previous["counts"])
        if unchanged
        else _account(state, files, shard_files, exported, reject_files[: 2 * len(shard_ids)], unreadable)
    )
    lap("release")

    counts = _counts(len(files), tables, accounting, normalized, clustered)
    manifest = {
        "run_id": _run_id(),
        "pipeline_version": version,
        "code_versions": {s: code_version(s) for s in sorted(STAGES)},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "inputs": list(inputs),
        "output": str(out_dir),
        "input_fingerprint": input_fingerprint,
        "skipped_outputs": list(found.skipped_outputs),  # earlier corpora found inside the input
        "skipped_hidden": found.skipped_hidden,  # names starting with "." (.git, .DS_Store): never read
        "release": Path(release_dir).name,
        "shards": len(shard_ids),
        "workers": workers,
        "counts": counts,
        "stages": _stage_counts(**done),
        "cache": _cache_report(*(done[s] for s in STAGES if STAGES[s].scope == "shard")),
        "timings": timings,
        # where this run's global dedupe call spent its seconds (none when served from the cache)
        "dedupe_phases": {
            k: clustered[k]
            for k in ("phase_cpu_s", "phase_wall_s", "phase_peak_mb", "phase_read_mb")
            if k in clustered and clustered.get("computed_by") == _run_id()
        },
        "tables": tables,
    }
    manifest["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    manifest["pruned"] = pruned  # the release holds its own links
    manifest["report"] = str(out_dir / "report.html")
    # one switch: tables, manifest, report (the report reads the release's tables: in a worker, not here).
    # An unchanged rerun keeps the release's report (its tables are the same; the new run is in the
    # manifest): no worker process starts for a run with nothing to compute.
    # (a report made before reports could say so is rebuilt once)
    keep_report = unchanged and has_run_note(str(Path(release_dir) / REPORT))
    if keep_report:  # the report says which run made it, and that this one reused it
        manifest["report_made_by"] = previous.get("report_made_by") or {
            "run_id": previous.get("run_id"),
            "finished_at": previous.get("finished_at"),
        }
    try:
        publish(
            str(out_dir),
            release_dir,
            manifest,
            write_extras=(
                (lambda d: _note_kept_report(d, manifest))
                if keep_report
                else lambda d: prefetch.then(pool.run, write_report, d, None, str(Path(state) / "artifacts" / REPORTED))
            ),
            before_switch=pool.check_stop,
            discard=dropped,
        )
    finally:
        prefetch.close()
        discarding.join()
    for stage, declared in STAGES.items():
        if declared.after_publish:
            for result in done[stage].values():
                resolve(declared.after_publish)(state, result)
    lap("publish")
    return manifest


def _fingerprint(
    plans: list, progress: RunProgress, state: str, rehash: bool
) -> tuple[dict[str, list[tuple[InputFile, str | None]]], list[dict]]:
    """sha256 of every file, shard by shard (only files whose stat changed are read: see
    tasks.steps._fingerprint_many); unreadable files become rejects right here. A file cut into
    slices is hashed once, by the shard of its first slice."""
    stage = progress.stage("fingerprint", len(plans))
    caches = Path(state) / "fingerprints"
    hashed = {p.shard_id: [f for f in p.files if f.owns_file] for p in plans}
    prints: dict[tuple[str, str], tuple[str | None, int, str | None]] = {}
    futures = {}
    fingerprint_files = steps.fingerprint_task()
    for p in plans:
        if not hashed[p.shard_id]:  # a shard of later slices only: nothing of its own to hash
            continue
        cache_file = str(caches / f"{p.shard_id}.json")
        known = steps.stat_cached_fingerprints(hashed[p.shard_id], cache_file, rehash)
        if known is not None:  # every file's stat unchanged since it was hashed: no task run
            prints.update({(f.input_root, f.source_path): r for f, r in zip(hashed[p.shard_id], known, strict=True)})
            continue
        label = f"{p.shard_id} ({len(p.files):,} files)"
        futures[fingerprint_files.submit(hashed[p.shard_id], label=label, cache_file=cache_file, rehash=rehash)] = p
    if caches.exists():  # shards that no longer exist
        for old in caches.glob("*.json"):
            if old.stem not in {p.shard_id for p in plans}:
                old.unlink(missing_ok=True)
    shard_files: dict[str, list[tuple[InputFile, str | None]]] = {}
    unreadable: list[dict[str, Any]] = []
    for fut in as_completed(list(futures)):
        plan = futures[fut]
        for f, result in zip(hashed[plan.shard_id], fut.result(), strict=True):
            prints[(f.input_root, f.source_path)] = result
    for plan in plans:
        members: list[tuple[InputFile, str | None]] = []  # sha None: discovery already knows its reject
        for f in plan.files:
            sha, _size, error = prints[(f.input_root, f.source_path)]
            if error:
                if f.owns_file:
                    unreadable.append(reject_row(f.whole, None, "read_error", error))
            else:
                members.append((f, sha))
        shard_files[plan.shard_id] = members
        stage.advance(len(members))
    return shard_files, unreadable


def _note_kept_report(release_dir: str, manifest: dict[str, Any]) -> None:
    """An unchanged rerun keeps the release's report and adds one line naming the run that made it."""
    made = manifest["report_made_by"]
    note = reuse_note(made.get("run_id"), made.get("finished_at"), manifest.get("run_id"), manifest["finished_at"])
    if not note_reuse(str(Path(release_dir) / REPORT), note):
        raise RuntimeError(f"the report of {release_dir} lost its run-note markers while the run held the lock")


LOCATED = "located"  # OUT/.state/artifacts/located/: shard rejects with their roots resolved


def _located_rejects(state: str, steps_done: list[tuple[str, dict[str, Any], list[str]]]) -> list[str]:
    """Each shard step's rejects.parquet with its root tokens resolved to where the files are now
    (tasks.ingest.locate_rejects), one small file per (step key, roots), made once and kept while
    in use: an unchanged rerun only checks they exist; a moved landing folder rewrites only these."""
    folder = Path(state) / "artifacts" / LOCATED
    paths = []
    for stage, result, roots in steps_done:
        # computed_by: a step re-run under the same key (not cacheable, or its artifact deleted) is new
        made = stable_hash(result["key"], result.get("computed_by"), roots)[:24]
        target = folder / f"{stage}-{made}.parquet"
        if not target.exists():
            import pyarrow.parquet as pq

            source = Path(result["dir"]) / "rejects.parquet"
            # the file itself, not pq.read_table: its dataset layer cost the flow ~0.5 CPU-s to import, on a nightly
            # run's tail (the new shard's rejects are located after the last export step, with the workers idle)
            table = pq.ParquetFile(source).read()
            write_table(locate_rejects(table, roots), target)  # rows stay in their order
        paths.append(str(target))
    used = {Path(p).name for p in paths}
    for old in folder.glob("*.parquet") if folder.exists() else ():
        if old.name not in used:
            old.unlink(missing_ok=True)
    return paths


# OUT/.state/artifacts/report/: each table file's partial aggregates for the report (tasks.report_parts),
# keyed by the digest of the columns they come from: a +1 % run's report reads only the files it changed
REPORTED = "report"
ACCOUNTED = "accounting"  # OUT/.state/artifacts/accounting/: each shard's accounting (tasks.export.account_shard)


def _account(
    state: str,
    files: list,
    shard_files: dict[str, list[tuple[InputFile, str | None]]],
    exported: dict[str, dict[str, Any]],
    shard_rejects: list[str],
    unreadable: list[dict[str, Any]],
) -> dict[str, Any]:
    """Every discovered input in documents or rejects, once: checked shard by shard, each shard's
    summary kept beside the artifacts under what it was made from, so a run reads the shards it
    changed (see tasks.export.account_shard). `shard_rejects`: the shards' located ingest rejects,
    then their normalize rejects, in shard order (as `_located_rejects` returns them)."""
    folder = Path(state) / "artifacts" / ACCOUNTED
    folder.mkdir(parents=True, exist_ok=True)
    shard_ids = list(shard_files)  # the run's shard order (listing order), as `shard_rejects`
    version = code_version("export")
    summaries, used = [], set()
    for i, sid in enumerate(shard_ids):
        members = [f for f, _sha in shard_files[sid]]
        rejects = [shard_rejects[i], shard_rejects[len(shard_ids) + i]]
        documents = str(Path(exported[sid]["dir"]) / "documents.parquet")
        made = stable_hash(
            version,
            sid,
            key_columns_digest(documents),  # not the export's key: a +1 % run re-exports most shards' dedupe columns
            [Path(p).name for p in rejects],
            [(f.input_root, f.source_path, f.part) for f in members],
        )[:24]
        target = folder / f"{made}.json"
        used.add(target.name)
        try:
            summary = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = account_shard(members, documents, rejects)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(summary, sort_keys=True), encoding="utf-8")
            tmp.replace(target)
        summaries.append(summary)
    for old in folder.iterdir():
        if old.name not in used:
            old.unlink(missing_ok=True)
    heads = {(f.input_root, f.source_path) for members in shard_files.values() for f, _sha in members}
    return merge_accounts(files, summaries, heads, unreadable)


def _accounting_of(counts: dict[str, Any]) -> dict[str, Any]:
    """The accounting a published run's counts record (see tasks.export.account)."""
    return {
        "discovered_files": counts["discovered_files"],
        "accepted": counts["accepted"],
        "rejected": counts["rejected"],
        "rejected_by_reason": counts["rejected_by_reason"],
    }


def _counts(n_files: int, tables: dict, accounting: dict, normalized: dict, clustered: dict) -> dict[str, Any]:
    return {
        "discovered": accounting["accepted"] + accounting["rejected"],
        "discovered_files": n_files,
        "accepted": accounting["accepted"],
        "rejected": accounting["rejected"],
        "rejected_by_reason": accounting["rejected_by_reason"],
        "clusters": clustered.get("clusters"),
        "duplicates": clustered.get("duplicates"),
        "duplicate_reasons": clustered.get("duplicate_reasons", {}),
        "cluster_sizes": clustered.get("cluster_sizes", {}),
        "flags": dict(sorted(sum((Counter(r.get("flags", {})) for r in normalized.values()), Counter()).items())),
        **{f"{t}_rows": v["rows"] for t, v in tables.items() if t not in ("documents", "rejects")},
    }


def _stage_counts(**stages: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Each stage's counts summed over its shards (documents in and out, rejects, rows written)."""
    out: dict[str, dict[str, int]] = {}
    for stage, results in stages.items():
        totals: Counter[str] = Counter()
        for result in results.values():
            totals.update({k: v for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool)})
        out[stage] = dict(sorted(totals.items()))
    return out


def _cache_report(*stages: dict[str, dict[str, Any]]) -> dict[str, int]:
    """How many shard steps ran in this run and how many came from the cache."""
    run_id = _run_id()
    results = [r for stage in stages for r in stage.values()]
    computed = sum(1 for r in results if r.get("computed_by") == run_id)
    return {"shard_steps": len(results), "computed": computed, "cached": len(results) - computed}


def _run_id() -> str | None:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id)
    except Exception:  # noqa: BLE001
        return None


GROWTH_FILE = "worker-growth.json"  # under OUT/.state: each runner's largest RSS growth in one call, MiB


def _growth_figures(out_dir: Path) -> dict[str, float]:
    """What the pool judges calls on: the figures measured in earlier runs (`_load_growth`), and for a
    call never measured, its stage's declared figure (Stage.memory_growth, Stage.memory_kind_growth)."""
    declared = {
        pool.KIND.format(stage.runner, kind): mb for stage in STAGES.values() for kind, mb in stage.memory_kind_growth
    }
    declared |= {stage.runner: stage.memory_growth for stage in STAGES.values() if stage.memory_growth}
    return declared | _load_growth(out_dir)


def _load_growth(out_dir: Path) -> dict[str, float]:
    """The memory each runner took in the last runs, so a worker left large by one stage is replaced
    before the first call of another that would take it past the budget, not only before the second."""
    import json

    try:
        found = json.loads((out_dir / ".state" / GROWTH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


# A saved growth figure that a run's calls of its key did not reach is lowered to this share of itself
# (a decayed maximum): judged with GROWTH_MARGIN (1.25), 0.9x and 0.81x of the largest figure ever
# measured are still 1.125x and 1.01x of it, so two runs of smaller calls (a night's handful) leave the
# judgement above every measurement; a stage made smaller is judged on its new size within a few more
# runs (0.9^5 = 0.59: the spread of one runner's calls within one run, 20k exports 249-433 MiB). Before,
# figures only ever grew: a figure taken before a change (imports counted as growth until session 51)
# judged every later run.
GROWTH_DECAY = 0.9


def _save_growth(out_dir: Path, measured: dict[str, float]) -> None:
    """This run's own measurements (`pool.measured`), key by key: the larger of this run's figure and
    GROWTH_DECAY times the saved one (a rate per MB of input: the larger of the two, see pool.SIZE); a key
    this run did not measure keeps its figure, and a stage's declared figure (Stage.memory_growth,
    memory_kind_growth) is never saved as if measured."""
    import json

    if not measured:
        return
    merged = _load_growth(out_dir)
    for key, value in measured.items():
        old = merged.get(key)
        old = old if isinstance(old, int | float) else 0
        if key.endswith(pool.PER_MB):  # a rate per MB is kept at its largest: only calls no larger than
            merged[key] = max(value, old)  # the (decaying) largest input measured are scaled by it
        else:
            decayed = old * GROWTH_DECAY
            merged[key] = max(value, round(decayed, 3) if key.endswith(pool.SIZE) else int(decayed))
    path = out_dir / ".state" / GROWTH_FILE
    tmp = path.with_name(f".tmp-{os.getpid()}-{GROWTH_FILE}")
    try:
        tmp.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a hint for the next run, never worth failing this one


def _previous_manifest(out_dir: Path) -> dict[str, Any] | None:
    import json

    try:
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


JUMP_ABSOLUTE = 0.05  # a rate must rise by 5 points ...
JUMP_RELATIVE = 1.5  # ... and by half again to be worth a warning


def rate_jumps(summary: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    """Reject and duplicate rates against the previous run: a jump usually means a crawler or
    site changed, and is worth a look before analysts use the corpus."""
    if not previous or "counts" not in previous:
        return []
    warnings = []
    for name, num, den in (("reject rate", "rejected", "discovered"), ("duplicate rate", "duplicates", "accepted")):
        new = _rate(summary["counts"], num, den)
        old = _rate(previous["counts"], num, den)
        if new is not None and old is not None and new - old >= JUMP_ABSOLUTE and new >= old * JUMP_RELATIVE:
            warnings.append(
                f"{name} jumped from {old:.1%} to {new:.1%} since the previous run "
                f"({previous.get('finished_at', '?')}); check the new pages (see rejects/ and duplicates/)"
            )
    return warnings


def _rate(counts: dict[str, Any], num: str, den: str) -> float | None:
    n, d = counts.get(num), counts.get(den)
    return None if not d or n is None else n / d


def _warn_on_jumps(log, summary: dict[str, Any], previous: dict[str, Any] | None) -> None:
    summary["warnings"] = rate_jumps(summary, previous)
    for warning in summary["warnings"]:
        log.warning(warning)


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The run as rows (section, metric, value): one keyed table artifact per run, comparable
    over time in the UI's Artifacts page."""
    c = summary["counts"]
    rows = [
        {"section": "counts", "metric": k, "value": c[k]}
        for k in ("discovered", "discovered_files", "accepted", "rejected", "clusters", "duplicates")
    ]
    rows += [{"section": "rejects", "metric": k, "value": v} for k, v in c["rejected_by_reason"].items()]
    rows += [{"section": "duplicates", "metric": k, "value": v} for k, v in c.get("duplicate_reasons", {}).items()]
    rows += [
        {"section": "cluster sizes", "metric": f"size {k}", "value": v} for k, v in c.get("cluster_sizes", {}).items()
    ]
    rows += [{"section": "damage flags", "metric": k, "value": v} for k, v in c.get("flags", {}).items()]
    rows += [{"section": "timings (s)", "metric": k, "value": v} for k, v in summary["timings"].items()]
    rows += [{"section": "cache", "metric": k, "value": v} for k, v in summary.get("cache", {}).items()]
    return rows


def _publish_artifacts(summary: dict[str, Any]) -> None:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    c = summary["counts"]
    create_table_artifact(
        key="corpus-run-summary", table=summary_rows(summary), description=f"Run summary of {summary['output']}"
    )
    reasons = "\n".join(f"| {r} | {n:,} |" for r, n in c["rejected_by_reason"].items()) or "| — | 0 |"
    warnings = "\n".join(f"- ⚠️ {w}" for w in summary.get("warnings", [])) or "- none"
    create_markdown_artifact(
        key="corpus-report",
        description="Headline numbers of the corpus",
        markdown=f"""
# Corpus `{summary["output"]}`

| documents | rejected | clusters | duplicates | shards | time |
|---:|---:|---:|---:|---:|---:|
| {c["accepted"]:,} | {c["rejected"]:,} | {c.get("clusters") or 0:,} | {c.get("duplicates") or 0:,} | {summary["shards"]} | {summary["timings"]["total"]:.1f} s |

Discovered {c["discovered"]:,} documents in {c["discovered_files"]:,} files: accepted + rejected = discovered ✓.
Cache: {summary["cache"]["cached"]} of {summary["cache"]["shard_steps"]} shard steps reused.

| reject reason | count |
|---|---:|
{reasons}

Warnings:
{warnings}

Output: `{summary["output"]}` — tables `documents/`, `rejects/`, `duplicates/`, `removed_lines/`, `sections/`,
`figures/`, `slogans/`, `mentions/`, `keywords/`; report `{summary.get("report", "report.html")}`;
release `{summary["release"]}`, pipeline version `{summary["pipeline_version"]}`.
""",
    )


def _log_summary(log, summary: dict[str, Any]) -> None:
    c = summary["counts"]
    log.info(
        f"discovered {c['discovered']:,} = accepted {c['accepted']:,} + rejected {c['rejected']:,} ✓; "
        f"{c.get('clusters') or 0:,} clusters, {c.get('duplicates') or 0:,} duplicates; "
        f"{summary['timings']['total']:.1f} s"
    )

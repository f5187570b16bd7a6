"""The corpus flow: discover → ingest → normalize → extract / dedupe → export → publish.

Orchestration only: every step is a task from tasks.steps working on a shard (thousands of
documents), so Prefect's per-task cost stays small and the UI shows one row per shard and stage.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.progress import RunProgress
from tasks import pool, steps
from tasks.common import __version__, read_table, rows_to_table, stable_hash, write_table
from tasks.export import build_release, output_lock, publish
from tasks.ingest import MAX_DOC_BYTES, InputFile, discover, plan_shards
from tasks.report import write_report
from tasks.schema import REJECTS

MB = 1024 * 1024
STAGES = ("ingest", "normalize", "extract", "signatures", "keywords", "export")


def pipeline_version() -> str:
    """The package version plus every stage's code version: documents say what made them."""
    parts = ",".join(f"{s}:{steps.code_version(s)}" for s in sorted(steps.STAGE_CODE))
    return f"{__version__}+{stable_hash(parts)[:12]}"


@flow(
    name="build-corpus",
    flow_run_name="corpus → {out}",
    task_runner=ThreadPoolTaskRunner(max_workers=32),  # threads only wait; tasks.pool does the CPU work
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
    wait_for_lock_seconds: float = 0.0,
    rebuild: bool = False,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """Build (or incrementally update) the corpus in `out` from every page under `inputs`.

    Unchanged shards are served from the cache in `out/.state` (unless `rebuild`, e.g. after a
    rule change outside the versioned code); the published output is the whole corpus. With
    `dask_address` the shard steps run on that Dask cluster (prefect-dask) instead of local
    worker processes. Returns the run summary that is also written to `out/manifest.json`.
    """
    log = get_run_logger()
    started = time.time()
    out_dir = validate_parameters(inputs, out, workers, target_shard_docs, max_shard_mb, min_chars, max_doc_bytes)
    previous = _previous_manifest(out_dir)
    settings = dict(
        inputs=list(inputs),
        out=str(out_dir),
        target_docs=target_shard_docs,
        max_shard_bytes=max_shard_mb * MB,
        min_chars=min_chars,
        max_doc_bytes=max_doc_bytes,
        top_k=top_keywords,
        rebuild=rebuild,
    )
    with output_lock(out_dir, wait_for_lock_seconds):
        if dask_address:
            from prefect_dask import DaskTaskRunner

            pool.configure(1)  # on Dask, each task runs its shard inside a Dask worker
            summary = _shards_on_dask.with_options(task_runner=DaskTaskRunner(address=dask_address))(
                settings=settings, where=f"dask {dask_address}"
            )
        else:
            n_workers = pool.configure(workers)
            try:
                summary = _build(log, workers=n_workers, **settings)
            finally:
                pool.shutdown()
    summary["timings"]["total"] = round(time.time() - started, 3)
    _warn_on_jumps(log, summary, previous)
    _publish_artifacts(summary)
    _log_summary(log, summary)
    return summary


@flow(name="build-corpus-shards", flow_run_name="shards on {where}", log_prints=True)
def _shards_on_dask(settings: dict[str, Any], where: str) -> dict[str, Any]:
    """The same stages, with the task runner the parent chose (prefect-dask's DaskTaskRunner)."""
    return _build(get_run_logger(), workers=where, **settings)


def validate_parameters(inputs, out, workers, target_shard_docs, max_shard_mb, min_chars, max_doc_bytes) -> Path:
    """Fail before any work, with a message that says what to fix."""
    import glob as globlib

    if not inputs:
        raise ValueError("no inputs given: pass at least one folder, glob, file or fsspec URL")
    for spec in inputs:
        local = "://" not in spec
        if local and not any(ch in spec for ch in "*?[") and not Path(spec).expanduser().exists():
            raise FileNotFoundError(f"input {spec!r} does not exist: give a folder, a glob, a file or an fsspec URL")
        if local and any(ch in spec for ch in "*?[") and not globlib.glob(spec, recursive=True):
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
    if min_chars < 0:
        raise ValueError(f"min_chars must be >= 0, got {min_chars!r}")
    out_dir = Path(out).expanduser().resolve()
    existing = next((p for p in [out_dir, *out_dir.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise PermissionError(f"cannot write the output folder {out_dir}: {existing} is not a writable folder")
    return out_dir


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
    rebuild: bool = False,
) -> dict[str, Any]:
    out_dir = Path(out)
    state = str(out_dir / ".state")
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[stage] = round(timings.get(stage, 0.0) + now - clock, 3)
        clock = now

    # Tasks persist their small results next to the artifacts, never in the user's home.
    storage = Path(state) / "prefect-results"
    t = {
        name: getattr(steps, name).with_options(result_storage=storage, refresh_cache=rebuild or None)
        for name in (
            "ingest",
            "learn_boilerplate",
            "normalize",
            "extract",
            "signatures",
            "cluster_duplicates",
            "document_frequencies",
            "keywords",
            "export",
        )
    }

    # ---- discover + plan
    files = discover(inputs, exclude=[str(out_dir)])
    plans = plan_shards(files, target_docs, max_shard_bytes)
    log.info(
        f"discovered {len(files):,} files ({sum(f.size for f in files) / MB:,.1f} MB) in {len(plans)} shards; "
        f"workers: {workers}"
    )
    progress = RunProgress(total_steps=len(plans) * (len(STAGES) + 1), artifact_key="corpus-progress")
    lap("discover")

    # ---- fingerprint: the content every cache key starts from
    fp_stage = progress.stage("fingerprint", len(plans))
    fp_futures = {
        steps.fingerprint_files.submit(list(p.files), label=_label(p.shard_id, len(p.files), "files")): p for p in plans
    }
    shard_files: dict[str, list[tuple[InputFile, str]]] = {}
    unreadable: list[dict[str, Any]] = []
    for fut in as_completed(list(fp_futures)):
        plan = fp_futures[fut]
        members = []
        for f, (sha, _size, error) in zip(plan.files, fut.result()):
            if error:
                unreadable.append(
                    {"source_path": f.source_path, "content_sha256": None, "reason": "read_error", "detail": error}
                )
            else:
                members.append((f, sha))
        shard_files[plan.shard_id] = members
        fp_stage.advance(len(members))
    shard_ids = sorted(shard_files)
    input_fingerprint = stable_hash(sorted((f.relpath, sha) for m in shard_files.values() for f, sha in m))
    lap("fingerprint")

    # ---- ingest
    ingest_jobs = {
        sid: steps.job(
            "ingest",
            state,
            _label(sid, len(shard_files[sid]), "files"),
            [(f.relpath, f.source_path, sha) for f, sha in shard_files[sid]],
            max_doc_bytes,
        )
        for sid in shard_ids
    }
    ingested = _run_stage(
        progress,
        "ingest",
        {sid: t["ingest"].submit(ingest_jobs[sid], shard_files[sid], max_doc_bytes) for sid in shard_ids},
    )
    lap("ingest")

    # ---- corpus-learned boilerplate (global), then normalize
    bp_job = steps.job("boilerplate", state, f"{len(shard_ids)} shards", sorted(j.key for j in ingest_jobs.values()))
    bp = (
        t["learn_boilerplate"]
        .submit(bp_job, [str(Path(ingested[s]["dir"]) / "lines.parquet") for s in shard_ids])
        .result()
    )
    bp_file = str(Path(bp["dir"]) / "boilerplate.parquet")
    bp_digests = _boilerplate_digests(bp_file)
    norm_jobs = {
        sid: steps.job(
            "normalize",
            state,
            _label(sid, ingested[sid]["docs"], "docs"),
            ingest_jobs[sid].key,
            sorted((g, bp_digests.get(g)) for g in ingested[sid]["groups"]),
            min_chars,
        )
        for sid in shard_ids
    }
    normalized = _run_stage(
        progress,
        "normalize",
        {sid: t["normalize"].submit(norm_jobs[sid], ingested[sid]["dir"], bp_file, min_chars) for sid in shard_ids},
    )
    lap("normalize")

    # ---- extract and dedupe signatures, per shard, side by side
    ex_jobs = {
        sid: steps.job("extract", state, _label(sid, normalized[sid]["docs"], "docs"), norm_jobs[sid].key)
        for sid in shard_ids
    }
    sig_jobs = {
        sid: steps.job("signatures", state, _label(sid, normalized[sid]["docs"], "docs"), norm_jobs[sid].key)
        for sid in shard_ids
    }
    ex_futures = {sid: t["extract"].submit(ex_jobs[sid], normalized[sid]["dir"]) for sid in shard_ids}
    sig_futures = {sid: t["signatures"].submit(sig_jobs[sid], normalized[sid]["dir"]) for sid in shard_ids}
    signed = _run_stage(progress, "signatures", sig_futures)
    lap("signatures")

    # ---- dedupe (global: reads only signatures and the previous run's index)
    cluster_job, prev_state = _cluster_job(state, sorted(j.key for j in sig_jobs.values()))
    clustered = (
        t["cluster_duplicates"]
        .submit(cluster_job, [str(Path(signed[s]["dir"]) / "signatures.parquet") for s in shard_ids], prev_state)
        .result()
    )
    lap("dedupe")

    extracted = _run_stage(progress, "extract", ex_futures)
    lap("extract")

    # ---- keywords: IDF from this corpus, then top terms per document
    df_job = steps.job("doc_freq", state, f"{len(shard_ids)} shards", sorted(j.key for j in ex_jobs.values()))
    df = (
        t["document_frequencies"]
        .submit(df_job, [str(Path(extracted[s]["dir"]) / "terms.parquet") for s in shard_ids])
        .result()
    )
    df_file = str(Path(df["dir"]) / "doc_freq.parquet")
    kw_jobs = {
        sid: steps.job(
            "keywords", state, _label(sid, extracted[sid]["docs"], "docs"), ex_jobs[sid].key, df_job.key, top_k
        )
        for sid in shard_ids
    }
    keyworded = _run_stage(
        progress,
        "keywords",
        {
            sid: t["keywords"].submit(kw_jobs[sid], extracted[sid]["dir"], df_file, df["n_docs"], top_k)
            for sid in shard_ids
        },
    )
    lap("keywords")

    # ---- export shards, then publish the release atomically
    version = pipeline_version()
    assignments_file = str(Path(clustered["dir"]) / "assignments.parquet")
    exp_jobs = {
        sid: steps.job(
            "export",
            state,
            _label(sid, normalized[sid]["docs"], "docs"),
            norm_jobs[sid].key,
            ex_jobs[sid].key,
            kw_jobs[sid].key,
            cluster_job.key,
            version,
        )
        for sid in shard_ids
    }
    exported = _run_stage(
        progress,
        "export",
        {
            sid: t["export"].submit(
                exp_jobs[sid],
                normalized[sid]["dir"],
                extracted[sid]["dir"],
                keyworded[sid]["dir"],
                assignments_file,
                version,
            )
            for sid in shard_ids
        },
    )
    reject_files = [str(Path(ingested[s]["dir"]) / "rejects.parquet") for s in shard_ids]
    reject_files += [str(Path(normalized[s]["dir"]) / "rejects.parquet") for s in shard_ids]
    if unreadable:
        reject_files.append(
            write_table(
                rows_to_table(unreadable, REJECTS),
                Path(state) / "artifacts" / "unreadable" / f"{input_fingerprint[:16]}.parquet",
            )
        )
    release_dir, tables = build_release(
        state,
        [(sid, exported[sid]["dir"]) for sid in shard_ids],
        reject_files,
        str(Path(clustered["dir"]) / "duplicates.parquet"),
    )
    accounting = _account(files, release_dir)
    lap("export")

    counts = _counts(len(files), tables, accounting, normalized, clustered)
    manifest = {
        "run_id": _run_id(),
        "pipeline_version": version,
        "code_versions": {s: steps.code_version(s) for s in sorted(steps.STAGE_CODE)},
        "started_at": None,  # filled below
        "inputs": list(inputs),
        "output": str(out_dir),
        "input_fingerprint": input_fingerprint,
        "release": Path(release_dir).name,
        "shards": len(shard_ids),
        "workers": workers,
        "counts": counts,
        "stages": _stage_counts(
            ingest=ingested,
            normalize=normalized,
            extract=extracted,
            signatures=signed,
            keywords=keyworded,
            export=exported,
            dedupe={"all": clustered},
        ),
        "cache": _cache_report(ingested, normalized, extracted, signed, keyworded, exported),
        "timings": timings,
        "tables": tables,
    }
    manifest["started_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - sum(timings.values())))
    manifest["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    used = {bp_job.key, cluster_job.key, df_job.key} | {
        j.key for jobs in (ingest_jobs, norm_jobs, ex_jobs, sig_jobs, kw_jobs, exp_jobs) for j in jobs.values()
    }
    manifest["pruned"] = steps.prune_state(state, used)  # the release holds its own links
    publish(str(out_dir), release_dir, manifest)
    _remember_cluster_state(state, cluster_job, prev_state, sorted(j.key for j in sig_jobs.values()))
    lap("publish")
    manifest["report"] = write_report(str(out_dir))
    lap("report")
    return manifest


def _label(shard_id: str, n: int, what: str) -> str:
    return f"{shard_id} ({n:,} {what})"


def _run_stage(progress: RunProgress, stage: str, futures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Wait for one stage's shard tasks, reporting each as it finishes."""
    tracker = progress.stage(stage, len(futures))
    by_future = {fut: sid for sid, fut in futures.items()}
    results: dict[str, dict[str, Any]] = {}
    log = get_run_logger()
    for fut in as_completed(list(by_future)):
        result = fut.result()
        sid = by_future[fut]
        results[sid] = result
        tracker.advance(int(result.get("docs", result.get("documents", 0)) or 0))
        counts = ", ".join(f"{k} {v:,}" for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool))
        cached = "" if result.get("computed_by") == _run_id() else " (cached)"
        log.info(f"{stage} {sid}: {counts}{cached}")
    return results


def _boilerplate_digests(path: str) -> dict[str, str]:
    """Per site/folder digest of the learned boilerplate, so a shard's normalize key only changes
    when the boilerplate of its own groups does."""
    rows: dict[str, list[str]] = {}
    for row in read_table(path).to_pylist():
        rows.setdefault(row["group"], []).append(row["line_key"])
    return {g: stable_hash(sorted(keys))[:16] for g, keys in rows.items()}


def _cluster_job(state: str, signature_keys: list[str]) -> tuple[steps.Job, str | None]:
    """Dedupe reads the index the last published run left; an unchanged corpus reuses its result."""
    import json

    pointer = Path(state) / "dedupe-state.json"
    last = json.loads(pointer.read_text()) if pointer.exists() else None
    if last and last.get("signature_keys") == signature_keys:
        j = steps.Job("dedupe", last["key"], state, f"{len(signature_keys)} shards")
        return j, last.get("prev_state")
    prev_state = last["state_dir"] if last and Path(last["state_dir"]).exists() else None
    j = steps.job("dedupe", state, f"{len(signature_keys)} shards", signature_keys, last["key"] if last else None)
    return j, prev_state


def _remember_cluster_state(state: str, j: steps.Job, prev_state: str | None, signature_keys: list[str]) -> None:
    from tasks.common import write_json

    write_json(
        {
            "key": j.key,
            "state_dir": str(Path(j.dir) / "state"),
            "prev_state": prev_state,
            "signature_keys": signature_keys,
        },
        Path(state) / "dedupe-state.json",
    )


def _account(files: list[InputFile], release_dir: str) -> dict[str, Any]:
    """Every discovered file ends in documents or rejects — checked, not assumed."""
    import pyarrow.parquet as pq

    def sources(table: str) -> list[str]:
        paths = sorted(Path(release_dir, table).glob("*.parquet"))
        return [s for p in paths for s in pq.read_table(p, columns=["source_path"]).column("source_path").to_pylist()]

    docs, rejects = sources("documents"), sources("rejects")
    reasons = Counter(
        r
        for p in sorted(Path(release_dir, "rejects").glob("*.parquet"))
        for r in pq.read_table(p, columns=["reason"]).column("reason").to_pylist()
    )
    seen = Counter(s.split("#", 1)[0] for s in docs + rejects)
    record_ids = Counter(docs + rejects)
    missing = sorted({f.source_path for f in files} - set(seen))
    twice = sorted(s for s, n in record_ids.items() if n > 1)
    if missing or twice:
        raise RuntimeError(
            f"accounting failed: {len(missing)} discovered files are in neither documents nor rejects "
            f"(e.g. {missing[:3]}), {len(twice)} rows are in both or twice (e.g. {twice[:3]}); this is a jianghua bug"
        )
    return {
        "discovered_files": len(files),
        "accepted": len(docs),
        "rejected": len(rejects),
        "rejected_by_reason": dict(sorted(reasons.items())),
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

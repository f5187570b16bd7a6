"""Fixed cost and memory of a run: the flow process holds ids (no stage code or libraries), workers
load a stage's libraries only when a stage needs them, Prefect's temporary server is started early
and still records every run, and an unchanged rerun still notices a changed file."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from importlib import util
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks import pool, procs, schema, stages

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jieba", "opencc", "pypinyin", "pandas", "rjieba", "trafilatura", "tasks.normalize", "tasks.extract")


def _loaded(names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in sys.modules)


def _boilerplate(folder: Path) -> Path:
    rows = {
        "group": ["gov.cn/a", "gov.cn/a", "gov.cn/b"],
        "line_key": ["首页 > 新闻", "打印本页", "关闭窗口"],
    }
    table = pa.table({f.name: rows.get(f.name, [None] * 3) for f in schema.BOILERPLATE}, schema=schema.BOILERPLATE)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "boilerplate.parquet")
    return folder


def test_flow_process_computes_versions_and_keys_without_loading_stage_code(tmp_path):
    folder = _boilerplate(tmp_path / "boilerplate")
    code = (
        "import sys; from flows.pipeline import pipeline_version; from tasks import stages\n"
        f"pipeline_version(); stages._boilerplate_digests({str(folder)!r})\n"
        f"print([n for n in {HEAVY!r} if n in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_boilerplate_digests_in_the_flow_equal_normalizes_own(tmp_path):
    from tasks.normalize import boilerplate_digests

    folder = _boilerplate(tmp_path / "boilerplate")
    stages._boilerplate_digests.cache_clear()
    got = stages._boilerplate_digests(str(folder))
    assert got == boilerplate_digests(str(folder))
    assert set(got) == {"gov.cn/a", "gov.cn/b"}


def test_modules_found_on_disk_are_the_ones_python_would_import():
    names = [f"tasks.{p.stem}" for p in (REPO / "tasks").glob("*.py") if p.stem != "__init__"]
    for name in names:
        assert stages._module_path(name) == Path(util.find_spec(name).origin), name
    assert stages._module_path("tasks") == REPO / "tasks" / "__init__.py"
    assert stages._module_path("tasks.common.sha256_hex") is None  # a name imported from a module
    assert not stages._is_module("tasks.no_such_module")


def _modules_in_worker(_: int) -> list[str]:
    return _loaded(HEAVY)


def _normalize_in_worker(_: int) -> list[str]:
    import tasks.normalize  # noqa: F401 - what a normalize step does first

    return _loaded(HEAVY)


def test_a_worker_loads_a_stages_libraries_only_when_it_runs_that_stage():
    pool.configure(1)
    try:
        assert pool.run(_modules_in_worker, 0) == []
        assert "opencc" in pool.run(_normalize_in_worker, 0)
        assert "jieba" not in pool.run(_modules_in_worker, 0)  # normalize does not need jieba
    finally:
        pool.shutdown()


def _allocate(mb: int) -> int:
    block = bytearray(mb * 2**20)
    return len(block)


def test_the_memory_probe_logs_each_calls_peak(tmp_path, monkeypatch):
    log = tmp_path / "memory.jsonl"
    monkeypatch.setenv(pool.MEMORY_LOG_ENV, str(log))
    pool.configure(1)  # workers spawned now see the variable
    try:
        assert pool.run(_allocate, 200) == 200 * 2**20
    finally:
        pool.shutdown()
    (line,) = [r for x in log.read_text().splitlines() if "call" in (r := json.loads(x))]  # not the pool's events
    assert line["call"] == "_allocate"
    assert line["mb_peak"] >= line["mb_before"] + 150  # the 200 MB block was seen
    assert line["mb_after"] < line["mb_peak"] - 150  # and given back once the call returned


# --------------------------------------------------------------------------- the CLI, end to end


def _cli(inputs: Path, out: Path, home: Path, worker_log: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    if worker_log is not None:
        env[pool.MEMORY_LOG_ENV] = str(worker_log)  # a line per call that ran in a worker process
    env |= {
        "PREFECT_HOME": str(home),  # its own database: a temporary server of its own, as for a user
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",  # a busy CI machine
    }
    cmd = [sys.executable, "-m", "flows.cli", "run", str(inputs), "--out", str(out), "--workers", "1"]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def _flow_runs(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "prefect.db") as db:
        return db.execute("select name, state_type from flow_run order by created").fetchall()


def _left_running(home: Path) -> list[int]:
    """Processes (a temporary API server …) still running with this PREFECT_HOME."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"PREFECT_HOME={home}".encode() in env:
            found.append(int(pid))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_unchanged_rerun_is_a_recorded_flow_run_and_still_sees_a_changed_file(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for src in sorted(p for p in (samples / "seeds").iterdir() if p.is_file())[:2]:  # keeps three runs short
        shutil.copy(src, inputs / src.name)
    out, home = tmp_path / "out", tmp_path / "prefect-home"

    runs, reports, logs = [], [], [tmp_path / "cold.jsonl", tmp_path / "unchanged.jsonl"]
    for log in logs:
        done = _cli(inputs, out, home, log)
        assert done.returncode == 0, done.stderr[-2000:]
        runs.append(json.loads((out / "manifest.json").read_text()))
        reports.append((out / "report.html").read_bytes())
    cold, unchanged = runs
    assert unchanged["cache"]["computed"] == 0 and unchanged["cache"]["cached"] == cold["cache"]["shard_steps"]
    assert unchanged["run_id"] != cold["run_id"]

    def worker_calls(log: Path) -> list[dict]:  # the log also holds the flow's events (tasks.pool.trace)
        return [r for r in map(json.loads, log.read_text().splitlines()) if "call" in r] if log.exists() else []

    assert worker_calls(logs[0])  # the cold run worked in worker processes ...
    growth = json.loads((out / ".state" / "worker-growth.json").read_text())  # ... and kept what each took
    assert "tasks.extract:extract_shard" in growth and all(v >= 0 for v in growth.values())
    # MiB figures are whole; a shard step's rate per MB of input and its largest input are not (pool.PER_MB)
    assert all(isinstance(v, int) for k, v in growth.items() if not k.endswith((pool.PER_MB, pool.SIZE)))
    assert "tasks.extract:extract_shard" + pool.PER_MB in growth
    assert not worker_calls(logs[1])  # ... the unchanged one started none
    assert any(r.get("event") == "flow_end" for r in map(json.loads, logs[1].read_text().splitlines()))
    assert unchanged["release"] == cold["release"] and unchanged["tables"] == cold["tables"]
    assert unchanged["counts"] == cold["counts"]
    # same release, same tables: its report is kept, not rendered again — only its run note says so
    from tasks.report import RUN_NOTE_CLOSE, RUN_NOTE_OPEN

    def outside_note(html: bytes) -> bytes:
        start, end = html.index(RUN_NOTE_OPEN.encode()), html.index(RUN_NOTE_CLOSE.encode())
        return html[:start] + html[end:]

    assert outside_note(reports[1]) == outside_note(reports[0])
    assert cold["run_id"] in reports[1].decode() and unchanged["run_id"] in reports[1].decode()

    page = next(p for p in sorted(inputs.rglob("*")) if p.is_file())
    page.write_bytes(page.read_bytes().replace(b"\xe3\x80\x82", b"\xef\xbc\x9b", 1) + b"\n")  # 。 -> ；
    done = _cli(inputs, out, home)
    assert done.returncode == 0, done.stderr[-2000:]
    changed = json.loads((out / "manifest.json").read_text())
    assert changed["cache"]["computed"] > 0  # the edit was seen, not served from the cache
    assert changed["input_fingerprint"] != unchanged["input_fingerprint"]
    assert changed["release"] != cold["release"]
    assert changed["run_id"].encode() in (out / "report.html").read_bytes()  # a new release, a new report

    recorded = _flow_runs(home)  # every run, the unchanged one included, is a completed flow run
    assert [state for _, state in recorded] == ["COMPLETED"] * 3
    assert all(name.startswith("corpus → ") for name, _ in recorded)
    # the cold run's task runs reached the database (their states travel as events, which the CLI
    # sends before it asks the server to stop and stops waiting for it)
    with sqlite3.connect(home / "prefect.db") as db:
        tasks = db.execute(
            "select t.state_type, count(*) from task_run t join flow_run f on t.flow_run_id = f.id "
            "where f.created = (select min(created) from flow_run) group by t.state_type"
        ).fetchall()
    assert [state for state, _ in tasks] == ["COMPLETED"] and tasks[0][1] >= 5, tasks
    # no temporary server outlives its run for long: the watchdog gives it procs.LINGER_SECONDS
    deadline = time.monotonic() + procs.LINGER_SECONDS + 5
    while _left_running(home) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _left_running(home) == []


def test_the_ui_progress_artifact_is_updated_at_most_every_five_seconds_and_at_the_end(prefect_api, monkeypatch):
    import prefect.artifacts
    from prefect import flow

    from flows import progress
    from flows.progress import RunProgress

    real = prefect.artifacts.update_progress_artifact
    sent: list[float] = []

    def counting(artifact_id, progress, *args, **kwargs):
        sent.append(progress)
        return real(artifact_id, progress, *args, **kwargs)

    monkeypatch.setattr(prefect.artifacts, "update_progress_artifact", counting)

    @flow
    def steps() -> None:
        run = RunProgress(total_steps=40, artifact_key="overhead-test-progress")
        assert run._artifact_id is not None
        stage = run.stage("ingest", 40)
        for _ in range(40):  # forty steps served from the cache in well under a second
            stage.advance(10)

    steps()
    assert 2 <= len(sent) <= 4, sent  # the first, the last, and at most a couple in between
    assert sent[-1] == 100.0

    clock = [progress.time.monotonic()]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    sent.clear()

    @flow
    def slow_steps() -> None:
        run = RunProgress(total_steps=20, artifact_key="overhead-test-progress")
        stage = run.stage("ingest", 20)
        for _ in range(20):  # a step every 1.5 s: 30 s of a run
            clock[0] += 1.5
            stage.advance(10)

    slow_steps()
    assert 6 <= len(sent) <= 8, sent  # every fourth step (6 s apart), and the last
    assert sent[-1] == 100.0


def test_the_temporary_server_skips_block_registration_only_once_prefect_recorded_it(tmp_path, monkeypatch):
    from flows import cli

    for name in (
        "PREFECT_API_BLOCKS_REGISTER_ON_START",
        "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION",
        "PREFECT_API_DATABASE_CONNECTION_URL",
        "PREFECT_MEMO_STORE_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert cli._skip_block_registration() == {}  # a fresh home: Prefect registers, as always
    (tmp_path / "memo_store.toml").write_text('block_auto_registration = "ca90d799"\n', encoding="utf-8")
    skip = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
    assert cli._skip_block_registration() == skip
    env = cli.server_env()  # what the server is launched with (29a92bc wrote the check, never passed it)
    assert {k: env[k] for k in skip} == skip
    assert env["PREFECT__SERVER_EPHEMERAL"] == "1" and env["PREFECT_HOME"] == str(tmp_path)
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://db/prefect")
    assert cli._skip_block_registration() == {}  # another database: its own registration is unknown
    assert not set(skip) & set(cli.server_env())


def test_a_run_on_the_temporary_server_starts_no_heartbeat_thread_unless_the_operator_set_one(monkeypatch):
    """The flow engine reads its heartbeat setting in the run's thread (procs.StopOnSignal.run): the
    CLI's settings must reach it there, and an operator's own setting wins."""
    from prefect.settings import get_current_settings

    from flows import cli
    from tasks import procs

    def heartbeat() -> int | None:
        return get_current_settings().flows.heartbeat_frequency

    for name in cli.HEARTBEAT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    stopper = procs.StopOnSignal(on_signal=lambda s: None)
    assert stopper.run(heartbeat) is not None  # Prefect's default: a heartbeat every 180 s
    with cli._on_temporary_server():
        assert stopper.run(heartbeat) is None
    assert stopper.run(heartbeat) is not None
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    operator = temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60})  # what Prefect read from it
    with operator, cli._on_temporary_server():
        assert stopper.run(heartbeat) == 60


def test_a_run_on_the_temporary_server_asks_no_csrf_token_unless_its_server_checks_one(monkeypatch):
    """Prefect's client built in the run's thread (procs.StopOnSignal.run) has CSRF support off where the server,
    started with this process's settings, has CSRF protection off; on where it is on or the operator set it."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED, temporary_settings

    from flows import cli
    from tasks import procs

    def csrf() -> bool:
        return get_client(sync_client=True)._client.enable_csrf_support

    for name in (
        *cli.CSRF_SETTINGS,
        "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED",
        "PREFECT_SERVER_CSRF_PROTECTION_ENABLED",
    ):
        monkeypatch.delenv(name, raising=False)
    stopper = procs.StopOnSignal(on_signal=lambda s: None)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):  # a server's client, never called
        assert stopper.run(csrf) is True  # Prefect's default: a token asked for before the first change
        with cli._on_temporary_server():
            assert stopper.run(csrf) is False
        with temporary_settings(updates={PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED: True}), cli._on_temporary_server():
            assert stopper.run(csrf) is True  # the server checks tokens: the client must send them
        monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "true")
        with cli._on_temporary_server():
            assert stopper.run(csrf) is True


def test_a_run_on_the_temporary_server_asks_no_server_version_unless_the_operator_wants_it(monkeypatch):
    """A client context entered in the run's thread (procs.StopOnSignal.run) asks the server's version before
    anything else (`GET /api/admin/version`); under the temporary server, a server of this very Prefect, it does
    not: against an address nothing answers, the context is entered without a request."""
    from prefect.context import SyncClientContext
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows import cli
    from tasks import procs

    def enter() -> str:
        with SyncClientContext.get_or_create():
            return "entered"

    for name in cli.VERSION_CHECK_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    stopper = procs.StopOnSignal(on_signal=lambda s: None)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):  # nothing listens on port 9
        with pytest.raises(RuntimeError, match="Failed to reach API"):
            stopper.run(enter)  # Prefect's default: the version asked first
        with cli._on_temporary_server():
            assert stopper.run(enter) == "entered"
        monkeypatch.setenv("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED", "true")
        with cli._on_temporary_server(), pytest.raises(RuntimeError, match="Failed to reach API"):
            stopper.run(enter)


def test_a_configured_api_starts_no_temporary_server(monkeypatch):
    from flows import cli

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert cli._start_temporary_server() is None


def test_a_linked_export_takes_its_linked_tables_digests_from_the_earlier_artifact(tmp_path, monkeypatch):
    from tasks import export
    from tests.test_incremental_parts import _assignments, _export_inputs

    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    a = export.export_shard({**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {})}, str(first), "v1")
    (first / "_done.json").write_text(json.dumps(a))
    hashed: list[str] = []
    real = export._sha256
    monkeypatch.setattr(export, "_sha256", lambda p: hashed.append(p.name) or real(p))
    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[1]: ids[0]})}
    inc = export.export_shard(later, str(tmp_path / "inc"), "v1", earlier=[str(first)])
    assert inc["linked"] is True
    assert inc["patched"] is True
    assert hashed == []  # linked files are not read again; the patched one is hashed as it is written
    assert {t: v for t, v in inc["digests"].items() if t != "documents"} == {
        t: v for t, v in a["digests"].items() if t != "documents"
    }


def test_an_export_is_of_the_patch_kind_exactly_when_the_flows_index_has_its_earlier_artifact(tmp_path):
    """The worker pool judges a patching export on its own growth (tasks.pool.KIND): the kind the
    flow computes before the call must agree with what export_shard then finds."""
    from tasks import export
    from tasks.common import export_source_key
    from tasks.stages import STAGES, export_kind, resolve
    from tests.test_incremental_parts import _assignments, _export_inputs

    assert resolve(STAGES["export"].memory_kind) is export_kind
    inputs, ids = _export_inputs(tmp_path)
    first = tmp_path / "first"
    cold = {**inputs, "dedupe": _assignments(tmp_path / "a1.parquet", ids, {})}
    assert export_kind(cold, {"pipeline_version": "v1", "earlier": {}}) == ""
    a = export.export_shard(cold, str(first), "v1", earlier={})
    (first / "_done.json").write_text(json.dumps(a))
    index = {export_source_key(a["sources"]): str(first)}  # what stages.earlier_exports builds
    later = {**inputs, "dedupe": _assignments(tmp_path / "a2.parquet", ids, {ids[1]: ids[0]})}
    assert export_kind(later, {"pipeline_version": "v1", "earlier": index}) == "patch"
    assert export_kind(later, {"pipeline_version": "v2", "earlier": index}) == ""  # another version: cold
    assert export.export_shard(later, str(tmp_path / "inc"), "v1", earlier=index)["linked"] is True


def test_task_runs_are_tagged_only_for_the_servers_tag_limits(tmp_path):
    """A tagged task run asks the API for its tags' concurrency slots before it starts (a SQLite server
    stalled the first request of each tag up to ~2 s); a run tags a stage only where the server has a
    limit for its tag, and the CLI's temporary server (no UI, no limits) and the tests' harness leave
    every stage untagged."""
    from tasks import steps

    def broken():
        raise ConnectionError("no API")

    was = steps.tagging_task_runs()
    try:
        steps.tag_task_runs(True)
        assert steps.task_for("ingest", tmp_path, False).tags == {"ingest"}  # not looked up: every stage
        limited = steps.refresh_tag_limits(lambda: ["tag:normalize", "deployment:3f2a", "jianghua-io"])
        assert limited == {"normalize"}
        assert steps.task_for("lines", tmp_path, False).tags == {"normalize"}  # lines carries normalize's tag
        assert steps.batch_task_for("normalize").tags == {"normalize"}
        assert not steps.task_for("extract", tmp_path, False).tags and not steps.fingerprint_task().tags
        assert steps.refresh_tag_limits(lambda: []) == frozenset()
        assert not steps.task_for("normalize", tmp_path, False).tags
        assert isinstance(steps.refresh_tag_limits(broken), ConnectionError)  # unknown: tag every stage
        assert steps.task_for("extract", tmp_path, False).tags == {"extract"}
        steps.tag_task_runs(False)  # what flows.cli does once it runs on its own temporary server
        assert steps.refresh_tag_limits(lambda: ["tag:normalize"]) is None
        assert not steps.task_for("normalize", tmp_path, False).tags
        assert not steps.fingerprint_task().tags
    finally:
        steps.tag_task_runs(was)


@pytest.mark.usefixtures("prefect_api")
def test_the_tag_limits_are_read_from_the_server():
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

    from tasks import steps

    with get_client(sync_client=True) as client:
        made = client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="tag:extract", limit=2))
        try:
            names = steps._limit_names()
        finally:
            client.delete_global_concurrency_limit_by_name("tag:extract")
    assert "tag:extract" in names and made


def test_a_patching_export_is_judged_on_its_declared_figure_until_one_is_measured(tmp_path):
    """After a cold run the pool has no figure for a patching export: judged on a full export's
    (~509 MB at 20k), the first +1 % run replaced two workers before its patches (+33-158 MB)."""
    from flows.pipeline import GROWTH_FILE, _growth_figures
    from tasks import pool
    from tasks.stages import DEDUPE_CALL_MB, INCREMENTAL_ANNOTATE_MB, INCREMENTAL_REUSE_MB, PATCH_EXPORT_MB, STAGES

    runner = STAGES["export"].runner
    patch = pool.KIND.format(runner, "patch")
    (tmp_path / ".state").mkdir()
    (tmp_path / ".state" / GROWTH_FILE).write_text(json.dumps({runner: 509}))  # what a cold run leaves
    dedupe = STAGES["dedupe"].runner
    reuse = pool.KIND.format(STAGES["reuse"].runner, "incremental")
    annotate = pool.KIND.format(STAGES["annotate"].runner, "incremental")
    assert _growth_figures(tmp_path) == {
        runner: 509,
        patch: PATCH_EXPORT_MB,
        dedupe: DEDUPE_CALL_MB,
        reuse: INCREMENTAL_REUSE_MB,
        annotate: INCREMENTAL_ANNOTATE_MB,
    }
    assert PATCH_EXPORT_MB < 509
    (tmp_path / ".state" / GROWTH_FILE).write_text(json.dumps({runner: 509, patch: 170}))
    assert _growth_figures(tmp_path)[patch] == 170  # measured: the declared figure steps aside
    try:
        pool.configure(1, growth=_growth_figures(tmp_path))
        assert pool._expected(runner, patch) == (170, None)
        # the cold dedupe call runs once per run: its declared figure is what a cold run's pool judges it on
        assert pool._expected(dedupe, dedupe) == (DEDUPE_CALL_MB, None)
    finally:
        pool.configure(None)


def test_a_worker_left_at_600_mb_by_a_nights_earlier_stages_runs_a_patching_export_judged_on_its_declared_figure(
    monkeypatch,
):
    """Both +1 % 20k runs of session 51 replaced a worker that held 593-601 MB before export: a cold output's
    growth file has no patch figure, so the first patching export was judged on PATCH_EXPORT_MB (256, taken
    with imports that are no longer a call's growth; patching calls grow 0-69 MiB since)."""
    from tasks import pool
    from tasks.stages import PATCH_EXPORT_MB

    monkeypatch.setattr(pool, "_recycle_mb", pool.RECYCLE_MB)
    monkeypatch.setattr(pool, "_budget_mb", pool.WORKER_BUDGET_MB)
    monkeypatch.setattr(pool, "_ran", {"tasks.reuse", "tasks.repair", "tasks.export"})
    monkeypatch.setattr(pool, "_rss_bytes", lambda: 601 << 20)
    assert not pool._should_recycle("tasks.export", PATCH_EXPORT_MB)
    assert PATCH_EXPORT_MB >= 69 * 1.5  # still above the largest patching call measured, with room


def test_a_saved_growth_figure_decays_when_a_run_measures_less_and_declared_figures_are_never_saved(tmp_path):
    """worker-growth.json only ever grew (the flow saved every figure the pool was judged on, the stages'
    declared ones included): a stage made smaller, or a figure taken before imports left the calls' growth,
    judged every later run. A run's own smaller measurement now lowers a figure by GROWTH_DECAY, a larger
    one replaces it, a key it did not measure keeps its figure."""
    from flows.pipeline import GROWTH_DECAY, GROWTH_FILE, _growth_figures, _load_growth, _save_growth
    from tasks import pool
    from tasks.stages import STAGES

    export, dedupe = STAGES["export"].runner, STAGES["dedupe"].runner
    (tmp_path / ".state").mkdir()
    (tmp_path / ".state" / GROWTH_FILE).write_text(json.dumps({export: 500, "tasks.gone:runner": 12}))
    try:
        pool.configure(1, growth=_growth_figures(tmp_path))
        assert pool.growth()[dedupe] > 0  # judged on its declared figure ...
        pool._note(export, 100)  # what a call of this run measured (the worker loop's figure)
        _save_growth(tmp_path, pool.measured())
    finally:
        pool.configure(None)
    saved = _load_growth(tmp_path)
    assert dedupe not in saved  # ... never saved as if measured
    assert saved == {export: int(500 * GROWTH_DECAY), "tasks.gone:runner": 12}
    _save_growth(tmp_path, {export: 100})
    assert _load_growth(tmp_path)[export] == int(int(500 * GROWTH_DECAY) * GROWTH_DECAY)
    _save_growth(tmp_path, {export: 700, export + pool.PER_MB: 2.5, export + pool.SIZE: 80.0})
    saved = _load_growth(tmp_path)
    assert saved == {export: 700, export + pool.PER_MB: 2.5, export + pool.SIZE: 80.0, "tasks.gone:runner": 12}
    _save_growth(tmp_path, {export + pool.PER_MB: 0.0, export + pool.SIZE: 2.0})  # a night's small calls
    saved = _load_growth(tmp_path)  # the rate stays at its largest, the largest input measured decays
    assert saved[export + pool.PER_MB] == 2.5 and saved[export + pool.SIZE] == pytest.approx(80 * GROWTH_DECAY)


def test_the_temporary_server_skips_the_migration_check_only_when_the_database_is_at_prefects_head(
    tmp_path, monkeypatch
):
    """Prefect's server runs `alembic upgrade head` on every start (~0.2 CPU-s before it answers); the
    CLI turns that off only when PREFECT_HOME's database already records every head of Prefect's own
    migration scripts, and leaves it to Prefect for any other database or an older one."""
    import prefect.server.database
    from alembic.script import ScriptDirectory

    from flows import cli

    for name in list(os.environ):
        if name.startswith(("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_", "PREFECT_PROFILES_PATH")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    migrations = Path(prefect.server.database.__file__).parent / "_migrations"
    heads = set(
        ScriptDirectory(str(migrations), version_locations=[str(migrations / "versions" / "sqlite")]).get_heads()
    )
    assert heads and cli._migration_heads() == heads  # read from the scripts' text, without alembic
    skip = {"PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false"}
    assert cli._skip_migrations() == {}  # a fresh home: Prefect creates and migrates its database
    db = tmp_path / "prefect.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        con.executemany("INSERT INTO alembic_version VALUES (?)", [("0123456789ab",)])
    con.close()
    assert cli._skip_migrations() == {}  # an older database (Prefect was upgraded): migrate
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM alembic_version")
        con.executemany("INSERT INTO alembic_version VALUES (?)", [(h,) for h in heads])
    con.close()
    assert cli._skip_migrations() == skip
    env = cli.server_env()
    assert {k: env[k] for k in skip} == skip
    code = "from prefect.settings import get_current_settings as g; print(g().server.database.migrate_on_start)"
    seen = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert seen.stdout.strip() == "False"  # the name Prefect reads it under
    (tmp_path / "profiles.toml").write_text(
        '[profiles.pg]\nPREFECT_API_DATABASE_CONNECTION_URL = "postgresql+asyncpg://db/prefect"\n', encoding="utf-8"
    )
    assert cli._skip_migrations() == {}  # a profile may name another database
    (tmp_path / "profiles.toml").unlink()
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql+asyncpg://db/prefect")
    assert cli._skip_migrations() == {}
    assert not set(skip) & set(cli.server_env())


def test_the_temporary_server_leaves_off_the_services_a_run_does_not_need_unless_the_operator_set_them(
    tmp_path, monkeypatch
):
    """The event persister and the event stream serve a long-lived server's UI feed and subscribers; the
    automations' services are needed only where the served database holds an automation."""
    import sqlite3

    from flows import cli

    for name in list(os.environ):
        if name.startswith(("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_", "PREFECT_PROFILES_PATH")):
            monkeypatch.delenv(name)
        if name.startswith(("PREFECT_SERVER_SERVICES_", "PREFECT_API_SERVICES_", "PREFECT_SERVER_EVENTS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    quiet = {
        "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
        "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    }
    assert cli._quiet_services() == quiet  # no database yet: whether it will hold automations is unknown
    with contextlib.closing(sqlite3.connect(tmp_path / "prefect.db")) as con:
        con.execute("CREATE TABLE automation (id CHAR(36) PRIMARY KEY, name VARCHAR)")
        con.commit()
    triggers = {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false"}
    assert cli._quiet_services() == quiet | triggers
    env = cli.server_env()
    assert {k: env[k] for k in quiet | triggers} == quiet | triggers
    code = (
        "from prefect.settings import get_current_settings as g; s = g().server; "
        "print(s.services.event_persister.enabled, s.events.stream_out_enabled, s.services.triggers.enabled, "
        "s.services.task_run_recorder.enabled)"
    )
    seen = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert seen.stdout.split() == ["False", "False", "False", "True"]  # the names Prefect reads; runs still recorded
    with contextlib.closing(sqlite3.connect(tmp_path / "prefect.db")) as con:
        con.execute("INSERT INTO automation VALUES ('a', 'jianghua: build-corpus run failed')")
        con.commit()
    assert cli._quiet_services() == quiet  # an installed alert keeps its triggers and actions
    monkeypatch.setenv("PREFECT_API_SERVICES_EVENT_PERSISTER_ENABLED", "true")  # the operator's, by its old name
    assert cli._quiet_services() == {"PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false"}
    monkeypatch.delenv("PREFECT_API_SERVICES_EVENT_PERSISTER_ENABLED")
    (tmp_path / "prefect.toml").write_text("[server.services.event_persister]\nenabled = true\n", encoding="utf-8")
    assert cli._quiet_services() == {}  # a settings file's services settings are left to Prefect


_SERVER_APP = """
import gc, sys
from flows import server_app

assert "prefect.server.api.server" not in sys.modules
from prefect.settings import Settings

hashed = []  # Prefect's settings hashed (a dump of every setting) while the app is built
_hash = Settings.hash_key
Settings.hash_key = lambda self: hashed.append(id(self)) or _hash(self)
import threading
from sqlalchemy import event
from sqlalchemy.orm import Mapper

configured = []  # where SQLAlchemy configures the ORM's mappers (else at the first query, in a request)
event.listen(Mapper, "before_configured", lambda: configured.append(threading.current_thread().name))
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
app = server_app.create_app()
during = list(collections)
assert len(hashed) == 1, hashed  # create_app's and create_api_app's cache keys: one settings object, hashed once
import asyncio, os, threading
import fastapi.routing
import httpx
from prefect.server.api.server import create_app

assert os.environ["PREFECT__SERVER_FINAL"] == "1"  # the server's setting, as it was
assert create_app() is app  # Prefect's own app (its cache, keyed by the same settings)
for t in threading.enumerate():  # the routes' state, built beside the server's start
    if t.name == "jianghua-route-warm-up":
        t.join()
assert gc.isenabled()
assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()  # Prefect's server objects, frozen
assert during == [], during  # no collection while it was built: not even Prefect's own full one
assert configured == ["jianghua-route-warm-up"], configured
built = []
make = fastapi.routing._EffectiveRouteContext.from_api_route
fastapi.routing._EffectiveRouteContext.from_api_route = lambda *a, **k: built.append(1) or make(*a, **k)


async def first(path):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://server") as client:
        return (await client.get(path)).status_code


assert asyncio.run(first("/api/admin/version")) == 200  # the client's first request, past 28 other routers
assert built == [], len(built)  # no route's state left to build (183 before: 0.45 CPU-s of the request)
paths = set(app.api_app.openapi()["paths"])  # the endpoints a run calls
for used in ("/health", "/flows/", "/flow_runs/", "/task_runs/", "/artifacts/", "/logs/"):
    assert used in paths, used
"""


def test_the_temporary_servers_app_is_prefects_built_without_collections_then_frozen_its_routes_ready(tmp_path):
    """Building Prefect's server app (its imports: ~1 M objects that survive) ran ~600 young and 6 full automatic
    collections, ~0.5-0.9 of the server's ~4.8 CPU-s start, which the flow waits for (bench/server_start.py), then
    Prefect's own full one (0.3 CPU-s to free 6.6 k objects); the client's first request built 183 routes' state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "PREFECT_SERVER_SERVICES_"))}
    env |= {"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env |= {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_APP], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]


_UI_VIEW_FLOW = """
import os, sys
from flows import cli

server = cli.TemporaryServer()
assert server.join(), server.failed
with open(f"/proc/{server.proc.pid}/cmdline", encoding="utf-8") as fh:  # the app built by flows.server_app
    assert cli.SERVER_APP_FACTORY in fh.read().split("\\0")
os.environ["PREFECT_API_URL"] = server.api_url
from prefect import flow, task
from prefect.artifacts import create_table_artifact


@task(task_run_name="normalize shard-a (3 docs)")
def normalize():
    return 3


@task(task_run_name="export shard-a (3 docs)")
def export():
    raise ValueError("页面坏了: export failed")


@flow(name="build-corpus", flow_run_name="corpus → ui-view")
def build():
    normalize.submit().result()
    create_table_artifact(key="corpus-run-summary", table=[{"section": "counts", "metric": "accepted", "value": 3}])
    export()


try:
    build()
except ValueError:
    pass
proc = server.proc
server.hand_over()  # what the CLI does at the run's end: the client's queued events and logs sent, then stop
proc.wait(timeout=120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_run_on_the_quiet_temporary_server_still_shows_its_task_runs_artifacts_and_failure_logs(tmp_path):
    """What an operator opens in the UI on PREFECT_HOME's database after a CLI run: the flow run, its task
    runs by stage with their states, the run's artifacts and the logs of a failure. The events tables, which
    only the event feed reads, stay empty (the event persister is off)."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "PREFECT_SERVER_SERVICES_"))}
    env |= {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", _UI_VIEW_FLOW], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with contextlib.closing(sqlite3.connect(home / "prefect.db")) as db:
        runs = db.execute("select id, name, state_type from flow_run").fetchall()
        assert [(name, state) for _, name, state in runs] == [("corpus → ui-view", "FAILED")]
        tasks = db.execute("select name, state_type from task_run where flow_run_id = ? order by name", (runs[0][0],))
        assert tasks.fetchall() == [("export shard-a (3 docs)", "FAILED"), ("normalize shard-a (3 docs)", "COMPLETED")]
        keys = [k for (k,) in db.execute("select key from artifact where flow_run_id = ?", (runs[0][0],))]
        assert "corpus-run-summary" in keys
        logs = [m for (m,) in db.execute("select message from log where flow_run_id = ?", (runs[0][0],))]
        assert any("页面坏了" in m for m in logs), logs
        assert db.execute("select count(*) from events").fetchone()[0] == 0  # nothing for the feed nobody reads


@pytest.mark.parametrize("terminal", [False, True])
def test_the_progress_bar_is_redrawn_only_where_a_terminal_shows_it_and_then_twice_a_second(terminal):
    """Rich rebuilt every stage's row 10 times a second from a thread of the flow process, also where the
    console is no terminal (cron, a log file, a pipe: only the final bars are ever shown there)."""
    import io
    import threading

    from rich.console import Console

    from flows import cli

    out = io.StringIO()
    bar = cli._ProgressBar(Console(file=out, force_terminal=terminal, width=120))
    built = []
    real = bar.progress.make_tasks_table
    bar.progress.make_tasks_table = lambda tasks: (built.append(threading.current_thread().name), real(tasks))[1]  # type: ignore[method-assign]
    with bar:
        for stage in ("ingest", "normalize", "extract", "dedupe", "export"):
            bar.update(stage, 8, 8, 5_000)  # a new stage's row is drawn once when it is added
        before = len(built)
        time.sleep(1.5)
        during = len(built) - before  # redraws of the clock
    if terminal:
        assert 1 <= during <= 1.5 * cli.BAR_REDRAWS_PER_SECOND + 2, during  # live, at the slower rate
    else:
        assert during == 0  # nothing to show until the end
    final = out.getvalue()
    assert all(stage in final for stage in ("ingest", "normalize", "extract", "dedupe", "export"))
    assert "8/8" in final and "5,000 docs" in final  # the final bars, as before


def test_the_flows_release_path_reads_parquet_without_pyarrows_dataset_layer(tmp_path):
    """A nightly run's tail, in the flow process: the new shard's rejects located and merged into the release's,
    its accounting read from its documents. `pq.read_table` imported pyarrow.dataset there (~0.5 CPU-s, 2k +1 %
    profile: `_located_rejects` 2.1 s of the flow thread under load), with the workers idle; each reads its file."""
    from tasks import schema as sch

    shard = tmp_path / "ingest" / "k1"
    shard.mkdir(parents=True)
    rows = {"input_root": ["$0"], "source_path": ["a.pdf"], "reason": ["unsupported_type"], "detail": ["a PDF"]}
    rejects = pa.table({f.name: rows.get(f.name, [None]) for f in sch.REJECTS}, schema=sch.REJECTS)
    pq.write_table(rejects, shard / "rejects.parquet")
    documents = tmp_path / "documents.parquet"
    pq.write_table(sch.DOCUMENTS.empty_table(), documents)
    code = (
        "import sys, json\n"
        "from flows.pipeline import _located_rejects\n"
        "from tasks import publish, export\n"
        f"state = {str(tmp_path / 'state')!r}\n"
        f"located = _located_rejects(state, [('ingest', {{'key': 'k1', 'dir': {str(shard)!r}}}, ['/land'])])\n"
        f"publish._merge_rejects(__import__('pathlib').Path({str(tmp_path / 'merged.parquet')!r}), located, ['d1'])\n"
        f"summary = export.account_shard([], {str(documents)!r}, located)\n"
        "print(json.dumps([summary['rejected'], 'pyarrow.dataset' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [1, False], out.stdout
    assert pq.read_table(tmp_path / "merged.parquet").column("source_path").to_pylist() == ["a.pdf"]

"""Run it as a service, for real: `prefect server start` on loopback, the process work pool,
`prefect deploy --all` from prefect.yaml, a `prefect worker`, runs triggered through the API, and the
alert automations installed with `python -m flows.automations install` (docs/service.md).

The end-to-end tests share one server, deployment and worker (module fixture) and run in file
order: the nightly run publishes the corpus, two concurrent runs must not interleave, a bad input
fails fast, and the automations fire a notification to a webhook on loopback. Every process is
started with this interpreter (`sys.executable -m prefect …`): PATH need not contain the venv.
"""

from __future__ import annotations

import http.server
import inspect
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import pandas as pd
import pytest
import yaml

from flows import automations

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
FAILED_ALERT = "jianghua: build-corpus run failed"
NIGHTLY_ALERT = "jianghua: no successful nightly run in 26 hours"
RUN_TIMEOUT = 150  # seconds for one cold run of the samples through the worker (about 20 s on 2 cores)


# ----------------------------------------------------------------------------------------- fast checks


def test_prefect_yaml_declares_the_deployments_with_real_flow_parameters():
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    deployments = {d["name"]: d for d in config["deployments"]}
    assert set(deployments) >= {"nightly", "rebuild"}
    from flows.pipeline import build_corpus

    accepted = set(inspect.signature(build_corpus.fn).parameters)
    for d in deployments.values():
        assert d["entrypoint"] == "flows/pipeline.py:build_corpus"
        assert set(d["parameters"]) <= accepted, f"{d['name']}: unknown parameters {set(d['parameters']) - accepted}"
        assert d["work_pool"]["name"] == "jianghua" and d["concurrency_limit"] == 1
    assert (
        deployments["nightly"]["parameters"]["rebuild"] is False
        and deployments["rebuild"]["parameters"]["rebuild"] is True
    )
    assert [(s["cron"], s["timezone"]) for s in deployments["nightly"]["schedules"]] == [("0 2 * * *", "Asia/Shanghai")]
    assert not deployments["rebuild"].get("schedules")


def test_automation_definitions_are_valid_prefect_automations():
    from prefect.events.schemas.automations import Posture

    block = UUID(int=7)
    built = {d["name"]: automations.build_automation(d, [block]) for d in automations.load_definitions()}
    assert set(built) == {FAILED_ALERT, NIGHTLY_ALERT}
    failed, nightly = built[FAILED_ALERT].trigger, built[NIGHTLY_ALERT].trigger
    assert failed.posture == Posture.Reactive and failed.expect >= {
        "prefect.flow-run.Failed",
        "prefect.flow-run.Crashed",
    }
    assert nightly.posture == Posture.Proactive and nightly.expect == {"prefect.flow-run.Completed"}
    assert nightly.within == timedelta(hours=26) and nightly.threshold == 1
    for automation in built.values():
        assert automation.enabled
        assert [(a.type, a.block_document_id) for a in automation.actions] == [("send-notification", block)]
    # without a block the automation still fires (UI only) and validates
    assert [a.type for a in automations.build_automation(automations.load_definitions()[0], []).actions] == [
        "do-nothing"
    ]


def test_automation_installer_refuses_to_guess(tmp_path, capsys):
    with pytest.raises(SystemExit):  # neither --notify nor --ui-only: where would alerts go?
        automations.main(["install", "--api", "http://127.0.0.1:9/api"])
    assert "--notify" in capsys.readouterr().err
    (tmp_path / "a.yaml").write_text("name: x\n")
    assert automations.main(["install", "--ui-only", "--dir", str(tmp_path), "--api", "http://127.0.0.1:9/api"]) == 2
    assert "needs at least `name` and `trigger`" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ the real service


@dataclass
class Service:
    api: str
    env: dict[str, str]
    root: Path
    landing: Path
    corpus: Path
    logs: dict[str, Path] = field(default_factory=dict)

    @contextmanager
    def settings(self):
        """Point this process's Prefect client at the test server."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: self.api}):
            yield

    @contextmanager
    def client(self):
        """A synchronous Prefect client talking to the test server."""
        from prefect.client.orchestration import get_client

        with self.settings(), get_client(sync_client=True) as client:
            yield client

    def run(self, *args: str, timeout: float = 120, cwd: Path = REPO) -> subprocess.CompletedProcess:
        """A command with this interpreter against the test server; fails the test if it fails."""
        proc = subprocess.run(
            [sys.executable, *args], env=self.env, cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
        assert proc.returncode == 0, (
            f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
        return proc

    def log_tail(self, n: int = 4000) -> str:
        return "\n".join(
            f"---- {name} log (tail)\n{p.read_text(errors='replace')[-n:]}"
            for name, p in self.logs.items()
            if p.exists()
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(cmd: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen:
    """A child in its own process group, so teardown can stop it and everything it started."""
    with open(log, "ab") as fh:
        return subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # the group may still hold children (a flow run process) after its leader exited
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_healthy(api: str, proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _service_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}  # never the user's profile or server
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",  # the API is what is tested; skips building the UI bundle
            "PREFECT_LOGGING_LEVEL": "INFO",
            "PREFECT_WORKER_QUERY_SECONDS": "1",  # poll often: the test waits on it
            "PREFECT_DEPLOYMENT_CONCURRENCY_SLOT_WAIT_SECONDS": "2",  # a run waiting for the slot retries soon
            "PWD": str(home.parent),  # a stale $PWD (as a service manager may leave it) must not matter
        }
    )
    return env


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("service")
    landing, corpus = root / "landing", root / "corpus"
    shutil.copytree(SAMPLES, landing)
    for p in landing.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    env = _service_env(root / "prefect-home")
    procs: dict[str, subprocess.Popen] = {}
    svc = None
    try:
        for attempt in range(3):  # a free port can be taken between the probe and the bind
            port = _free_port()
            api = f"http://127.0.0.1:{port}/api"
            env["PREFECT_API_URL"] = api
            log = root / f"server-{attempt}.log"
            procs["server"] = _spawn(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env,
                log,
                root,
            )
            if _wait_healthy(api, procs["server"], timeout=90):
                break
            _stop(procs.pop("server"))
        else:
            pytest.fail(f"prefect server did not become healthy:\n{log.read_text(errors='replace')[-4000:]}")
        svc = Service(
            api=api,
            env={**env, "JIANGHUA_LANDING": str(landing), "JIANGHUA_CORPUS": str(corpus)},
            root=root,
            landing=landing,
            corpus=corpus,
            logs={"server": log, "worker": root / "worker.log"},
        )

        svc.run("-m", "prefect", "work-pool", "create", "jianghua", "--type", "process")
        svc.run("-m", "prefect", "--no-prompt", "deploy", "--all")
        # the worker starts outside the checkout: the deployment's pull step must bring the run there
        procs["worker"] = _spawn(
            [
                sys.executable,
                "-m",
                "prefect",
                "worker",
                "start",
                "--pool",
                "jianghua",
                "--type",
                "process",
                "--name",
                "jianghua-test-worker",
            ],
            svc.env,
            svc.logs["worker"],
            root,
        )
        yield svc
    finally:
        for name in ("worker", "server"):
            _stop(procs.get(name))
        if svc is not None:
            print(svc.log_tail())  # shown by pytest when a test failed


def _wait_final(svc: Service, flow_run_ids: list[UUID], timeout: float) -> list[Any]:
    deadline = time.monotonic() + timeout
    with svc.client() as client:
        while True:
            runs = [client.read_flow_run(i) for i in flow_run_ids]
            if all(r.state and r.state.is_final() for r in runs):
                return runs
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"runs not finished after {timeout} s: {[str(r.state) for r in runs]}\n{svc.log_tail()}"
                )
            time.sleep(1)


def _run_nightly(svc: Service, parameters: dict[str, Any] | None = None, timeout: float = RUN_TIMEOUT):
    from prefect.deployments import run_deployment

    with svc.settings():
        started = run_deployment("build-corpus/nightly", parameters=parameters or {}, timeout=0)
    return _wait_final(svc, [started.id], timeout)[0]


@pytest.mark.slow
def test_deployments_as_the_server_reports_them(service):
    with service.client() as client:
        nightly = client.read_deployment_by_name("build-corpus/nightly")
        rebuild = client.read_deployment_by_name("build-corpus/rebuild")
    assert nightly.work_pool_name == "jianghua" and rebuild.work_pool_name == "jianghua"
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in nightly.schedules] == [
        ("0 2 * * *", "Asia/Shanghai", True)
    ]
    assert not rebuild.schedules
    for d in (nightly, rebuild):
        assert d.global_concurrency_limit is not None and d.global_concurrency_limit.limit == 1, d.name
        assert d.global_concurrency_limit.active
        assert d.parameters["inputs"] == [str(service.landing)] and d.parameters["out"] == str(service.corpus)
        assert d.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}]
        assert set(d.parameter_openapi_schema["required"]) == {"inputs", "out"}
    assert nightly.parameters["rebuild"] is False and rebuild.parameters["rebuild"] is True


@pytest.mark.slow
def test_the_scheduler_books_the_next_nightly_runs_at_2am_shanghai(service):
    """The server's scheduler turns the cron into scheduled runs (a broken server dependency, e.g.
    SQLAlchemy 2.1 under Prefect 3.8, makes it fail silently: the deployment looks right, nothing runs)."""
    from zoneinfo import ZoneInfo

    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter

    with service.client() as client:
        nightly = client.read_deployment_by_name("build-corpus/nightly")
        deadline, scheduled = time.monotonic() + 45, []
        while not scheduled and time.monotonic() < deadline:
            scheduled = [
                r
                for r in client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[nightly.id])),
                    flow_run_filter=FlowRunFilter(state={"type": {"any_": ["SCHEDULED"]}}),
                )
                if r.auto_scheduled
            ]
            time.sleep(1)
        assert scheduled, f"the scheduler created no nightly runs\n{service.log_tail()}"
        local = sorted(r.expected_start_time.astimezone(ZoneInfo("Asia/Shanghai")) for r in scheduled)
        assert all((t.hour, t.minute) == (2, 0) for t in local), local
        assert [(b - a).total_seconds() for a, b in itertools.pairwise(local)] == [86400.0] * (len(local) - 1)
        # the rest of this module triggers runs by hand: keep a real 02:00 run from joining in
        for s in nightly.schedules:
            client.update_deployment_schedule(nightly.id, s.id, active=False)
        for r in client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[nightly.id])),
            flow_run_filter=FlowRunFilter(state={"type": {"any_": ["SCHEDULED"]}}),
        ):
            client.delete_flow_run(r.id)  # (deactivating the schedule normally removes them already)


@pytest.mark.slow
def test_nightly_run_through_the_worker_publishes_the_corpus(service):
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

    with service.client() as client:  # an operator's tag limit: normalize's task runs are tagged for it
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="tag:normalize", limit=8))
    run = _run_nightly(service)
    assert run.state.is_completed(), f"{run.state}: {run.state.message}\n{service.log_tail()}"
    manifest = json.loads((service.corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == str(run.id)  # this run, not an earlier one, published the corpus
    counts = manifest["counts"]
    assert counts["discovered_files"] == sum(1 for p in service.landing.rglob("*") if p.is_file())
    assert counts["discovered"] == counts["accepted"] + counts["rejected"]
    docs = pd.read_parquet(service.corpus / "documents")
    rejects = pd.read_parquet(service.corpus / "rejects")
    assert len(docs) == counts["accepted"] > 0 and len(rejects) == counts["rejected"]
    assert set(docs["source_path"]) | set(rejects["source_path"]) == {
        p.relative_to(service.landing).as_posix() for p in service.landing.rglob("*") if p.is_file()
    }
    assert manifest["cache"]["computed"] == manifest["cache"]["shard_steps"] > 0  # a cold start computed everything
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from tasks.stages import STAGES

    # a stage with a tag limit on the server has its task runs tagged (the limit governs them); the others
    # go untagged: a tagged run asks the API for slots before it starts (tasks.steps)
    with service.client() as client:
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    tag_of = {s.name: s.tag or s.name for s in STAGES.values()} | {"fingerprint": "ingest"}
    want = {t.name: ["normalize"] if tag_of[t.name.split(" ", 1)[0]] == "normalize" else [] for t in tasks}
    assert {t.name: t.tags for t in tasks} == want
    assert (
        len([t for t in tasks if t.tags]) >= 3 and len([t for t in tasks if not t.tags]) >= 5
    )  # lines, boilerplate, normalize


@pytest.mark.slow
def test_concurrent_runs_never_interleave(service):
    """Two nightly runs and a rebuild triggered at once. The deployment's concurrency limit (1) holds
    the second nightly run back until the first has finished; the rebuild (another deployment) starts
    but waits for the output lock. No two runs' tasks overlap in time, all three complete, and the
    corpus they leave is whole."""
    from prefect.client.schemas.actions import WorkPoolUpdate
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.deployments import run_deployment

    one = {"workers": 1}  # shard work in the flow process: this test is about orchestration, keep it quick
    # The pool is paused while the three runs are created, so the worker's next poll finds them all at once: at
    # load (3 test workers on 2 cores, session 58) the worker polled between two creations and ran the first
    # nightly run to its end before the second existed, and no run ever waited for the slot.
    with service.client() as client:
        client.update_work_pool("jianghua", WorkPoolUpdate(is_paused=True))
    try:
        with service.settings():
            nightly = [run_deployment("build-corpus/nightly", parameters=one, timeout=0) for _ in range(2)]
            rebuild = run_deployment("build-corpus/rebuild", parameters=one, timeout=0)
    finally:
        with service.client() as client:
            client.update_work_pool("jianghua", WorkPoolUpdate(is_paused=False))
    runs = _wait_final(service, [r.id for r in (*nightly, rebuild)], 3 * RUN_TIMEOUT)
    for r in runs:
        assert r.state.is_completed(), f"{r.name}: {r.state} {r.state.message}\n{service.log_tail()}"
    a, b = sorted(runs[:2], key=lambda r: r.start_time)
    assert a.end_time <= b.start_time, (
        f"nightly runs overlapped: {a.start_time}–{a.end_time}, {b.start_time}–{b.end_time}"
    )
    with service.client() as client:
        waited = {r.id: [s.name for s in client.read_flow_run_states(r.id)] for r in runs[:2]}
        windows = []
        for r in runs:
            tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[r.id])))
            if not tasks:  # a run that finds its landing files unchanged (stat cache) starts no task
                continue
            windows.append(
                (min(t.start_time for t in tasks if t.start_time), max(t.end_time for t in tasks if t.end_time), r.id)
            )
    assert any("AwaitingConcurrencySlot" in names for names in waited.values()), waited
    # the rebuild always works, and so does whichever run came first (the others may find nothing changed)
    assert rebuild.id in {w[2] for w in windows} and len(windows) >= 1, windows
    windows.sort()
    for (_, end, first), (start, _, second) in itertools.pairwise(windows):
        assert end <= start, f"run {second} worked while run {first} still held the output: {windows}"
    manifest = json.loads((service.corpus / "manifest.json").read_text(encoding="utf-8"))
    last = max(runs, key=lambda r: r.end_time)
    assert manifest["run_id"] in (str(last.id), str(windows[-1][2]))  # published by the last run (or kept by it)
    counts = manifest["counts"]
    assert counts["discovered"] == counts["accepted"] + counts["rejected"] == counts["discovered_files"]
    assert len(pd.read_parquet(service.corpus / "documents")) == counts["accepted"]


@pytest.mark.slow
def test_missing_input_folder_fails_fast_with_a_clear_message(service, tmp_path):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    missing, out = tmp_path / "no-such-landing", tmp_path / "out"
    run = _run_nightly(service, {"inputs": [str(missing)], "out": str(out)}, timeout=90)
    assert run.state.is_failed(), f"{run.state}\n{service.log_tail()}"
    message = run.state.message or ""
    assert "does not exist" in message and str(missing) in message, message
    assert (run.end_time - run.start_time).total_seconds() < 30, "the bad input was not caught up front"
    with service.client() as client:
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    assert tasks == [], f"work started before the inputs were checked: {[t.name for t in tasks]}"
    assert not (out / "documents").exists() and not (out / "manifest.json").exists()


@pytest.mark.slow
def test_invalid_parameter_is_refused_when_the_run_is_created(service):
    from prefect.deployments import run_deployment

    with service.settings(), pytest.raises(Exception, match="workers") as excinfo:
        run_deployment("build-corpus/nightly", parameters={"workers": "all of them"}, timeout=0)
    assert "validat" in str(excinfo.value).lower()


class _Hook(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).received.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def webhook():
    """An HTTP endpoint on loopback that records what the server's notification action posts."""
    _Hook.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Hook.received
    finally:
        server.shutdown()
        server.server_close()


def _events(svc: Service, name: str, flow_run_id: UUID, timeout: float = 30) -> list[Any]:
    """The server's recorded events of one name for one flow run (the persister writes in batches)."""
    from prefect.server.events.schemas.events import ReceivedEvent

    body = json.dumps(
        {"filter": {"event": {"name": [name]}, "resource": {"id": [f"prefect.flow-run.{flow_run_id}"]}}}
    ).encode()
    deadline = time.monotonic() + timeout
    while True:
        req = urllib.request.Request(
            f"{svc.api}/events/filter", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            events = [ReceivedEvent.model_validate(e) for e in json.load(resp)["events"]]
        if events or time.monotonic() > deadline:
            return events
        time.sleep(1)


@pytest.mark.slow
def test_alerts_install_idempotently_and_reach_a_notification_block(service, webhook, tmp_path):
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.server.events.schemas.automations import EventTrigger as ServerEventTrigger
    from prefect.server.events.schemas.events import RelatedResource

    url, received = webhook
    with service.settings():
        CustomWebhookNotificationBlock(
            name="jianghua alerts", url=url, json_data={"subject": "{{subject}}", "body": "{{body}}"}
        ).save("jianghua-test-hook")

    install = ["-m", "flows.automations", "install", "--api", service.api]
    first = service.run(*install, "--ui-only")
    second = service.run(*install, "--notify", "custom-webhook/jianghua-test-hook")
    assert first.stdout.count("created") == 2 and second.stdout.count("updated") == 2, (first.stdout, second.stdout)

    with service.client() as client:
        installed = client.read_automations()
        block_id = client.read_block_document_by_name("jianghua-test-hook", "custom-webhook").id
    assert sorted(a.name for a in installed) == sorted([FAILED_ALERT, NIGHTLY_ALERT])  # updated, not duplicated
    by_name = {a.name: a for a in installed}
    for a in installed:
        assert a.enabled and [(x.type, x.block_document_id) for x in a.actions] == [("send-notification", block_id)]
    failed, nightly = by_name[FAILED_ALERT].trigger, by_name[NIGHTLY_ALERT].trigger
    assert failed.posture == "Reactive" and "prefect.flow-run.Failed" in failed.expect
    assert nightly.posture == "Proactive" and nightly.expect == {"prefect.flow-run.Completed"}
    assert nightly.within == timedelta(hours=26)

    # the failure alert fires on a real failed run and the notification reaches the block's endpoint
    missing = tmp_path / "gone"
    run = _run_nightly(service, {"inputs": [str(missing)], "out": str(tmp_path / "out")}, timeout=90)
    assert run.state.is_failed()
    deadline = time.monotonic() + 60
    while not any(str(missing) in m.get("body", "") for m in received) and time.monotonic() < deadline:
        time.sleep(0.5)
    hits = [m for m in received if str(missing) in m.get("body", "")]
    assert len(hits) == 1, f"notifications received: {received}\n{service.log_tail()}"
    assert "does not exist" in hits[0]["body"] and run.name in hits[0]["subject"]

    # the nightly watchdog is satisfied by a Completed nightly run (its filter matches the real event)
    # and not by a Completed run of another deployment
    # a completed run of the nightly deployment: other tests on this server also run the rebuild one,
    # which may have finished last
    with service.client() as client:
        nightly_id = client.read_deployment_by_name("build-corpus/nightly").id
        completed = client.read_flow_runs(sort="END_TIME_DESC", limit=50)
    found = [r for r in completed if r.state and r.state.is_completed() and r.deployment_id == nightly_id]
    nightly_ok = found[0] if found else _run_nightly(service, {"workers": 1})
    assert nightly_ok.state.is_completed(), f"{nightly_ok.state}\n{service.log_tail()}"
    [event] = _events(service, "prefect.flow-run.Completed", nightly_ok.id)
    watchdog = ServerEventTrigger.model_validate(nightly.model_dump(mode="json"))
    assert watchdog.covers(event)
    other = event.model_copy(
        update={
            "related": [
                RelatedResource.model_validate({**r.root, "prefect.resource.name": "rebuild"})
                if r.root["prefect.resource.role"] == "deployment"
                else r
                for r in event.related
            ]
        }
    )
    assert not watchdog.covers(other)

"""`jianghua run`: exit codes, the summary an operator reads, and messages that say what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import main

pytestmark = pytest.mark.usefixtures("prefect_api")


@pytest.fixture
def inline(monkeypatch):
    """The runs' steps in this process (JIANGHUA_INLINE): these tests check what the command says and
    returns, not the worker pool (tests/test_procs.py and tests/test_overhead.py run the CLI on spawned
    workers). A spawned worker imports every stage's modules again: one CLI run of the samples took
    ~9 CPU-s of its process tree on a worker against ~2.7 in-process (session 58)."""
    monkeypatch.setenv("JIANGHUA_INLINE", "1")


def test_run_prints_a_summary_and_exits_zero_despite_rejects(samples, tmp_path, capsys, inline):
    (samples / "empty.txt").write_bytes(b"")
    (samples / ".git").mkdir()
    (samples / ".git" / "HEAD").write_text("ref: refs/heads/main")
    code = main(["run", str(samples), "--out", str(tmp_path / "out"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 0
    assert "discovered = accepted + rejected ✓" in err and "empty: 1" in err
    assert "1 hidden entry (a name starting with '.'), not read" in err
    assert "docs/s" in err  # the progress bar
    assert len(pd.read_parquet(tmp_path / "out" / "documents")) > 0
    # pointed at that output by mistake: nothing is read, and the summary says why
    assert main(["run", str(tmp_path / "out"), "--out", str(tmp_path / "again"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "0 documents in 0 files" in err and "1 earlier jianghua output folder(s), not read" in err


def test_missing_input_fails_with_a_clear_message(tmp_path, capsys):
    code = main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "does not exist" in err and "nowhere" in err


def test_schema_command_lists_every_column(capsys):
    from tasks.schema import DOCUMENTS

    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert all(f"`{name}`" in out for name in DOCUMENTS.names)


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--help"], 0), (["run"], 2), (["run", "/nowhere/at/all", "--out", "/tmp/jianghua-never"], 1), (["schema"], 0)],
)
def test_the_command_keeps_main_s_exit_status_through_its_fast_exit(args, code):
    """`python -m flows.cli` / `jianghua` end with os._exit after the exit handlers (flows.cli.entry):
    argparse's SystemExit and main's own status must survive it."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=repo, capture_output=True, timeout=300)
    assert done.returncode == code, done.stderr[-2000:]


def test_setup_prepares_prefects_database_once_so_a_first_run_starts_as_later_ones(tmp_path):
    """`jianghua setup` on a fresh Prefect home: the database and the record of its block types
    exist afterwards (what a machine's first run otherwise makes on its critical path); with an
    API named in the environment there is nothing to prepare and nothing is made."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    env |= {"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
    cmd = [sys.executable, "-m", "flows.cli", "setup"]
    done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "database ready" in done.stderr
    assert (tmp_path / "home" / "prefect.db").stat().st_size > 0
    assert "block_auto_registration" in (tmp_path / "home" / "memo_store.toml").read_text()

    elsewhere = env | {"PREFECT_HOME": str(tmp_path / "other"), "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = subprocess.run(cmd, cwd=repo, env=elsewhere, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "nothing to prepare" in done.stderr
    assert not (tmp_path / "other" / "prefect.db").exists()


def test_an_input_inside_the_output_folder_cannot_start(tmp_path, capsys):
    """Every file under OUT is skipped as corpus output: an input there would publish an empty corpus."""
    landing = tmp_path / "out" / "landing"
    landing.mkdir(parents=True)
    (landing / "a.txt").write_text("同志们：" + "今天我们召开全区经济工作会议。" * 30, encoding="utf-8")
    for out in (tmp_path / "out", landing):
        assert main(["run", str(landing), "--out", str(out), "--workers", "1"]) == 1
        err = capsys.readouterr().err
        assert "cannot start" in err and "inside the output folder" in err
    assert not (tmp_path / "out" / "current").exists()


def test_a_real_folder_where_a_release_link_goes_is_refused_before_any_work(samples, tmp_path, capsys):
    (tmp_path / "out" / "documents").mkdir(parents=True)
    assert main(["run", str(samples), "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "cannot start" in err and "real folder" in err
    assert not (tmp_path / "out" / ".state").exists()  # nothing ran


def test_an_empty_landing_folder_does_not_empty_the_corpus(samples, tmp_path, capsys, inline):
    out = tmp_path / "out"
    assert main(["run", str(samples), "--out", str(out), "--workers", "1"]) == 0
    before = (out / "current").resolve()
    n = len(pd.read_parquet(out / "documents"))
    empty = tmp_path / "unmounted"
    empty.mkdir()
    capsys.readouterr()
    assert main(["run", str(empty), "--out", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "no file found" in err and f"{n:,} documents" in err and "--allow-empty" in err
    assert "rerun to resume" not in err
    assert (out / "current").resolve() == before and len(pd.read_parquet(out / "documents")) == n
    # on purpose
    assert main(["run", str(empty), "--out", str(out), "--workers", "1", "--allow-empty"]) == 0
    assert len(pd.read_parquet(out / "documents")) == 0


def test_a_second_run_on_a_busy_output_says_so_before_it_starts(samples, tmp_path, capsys):
    """The lock's holder is named before the flow starts: no flow run, no Prefect traceback, no resume advice."""
    from tasks.publish import output_lock

    out = tmp_path / "out"
    with output_lock(out):
        assert main(["run", str(samples), "--out", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "cannot start" in err and "being written by pid" in err and "--wait" in err
    assert "Traceback" not in err and "rerun to resume" not in err
    assert not (out / "current").exists()


def test_an_input_url_that_cannot_be_read_cannot_start(tmp_path, capsys):
    """An unknown protocol, a backend that is not installed, a file:// URL naming nothing: said before the flow
    starts (they failed inside it, with Prefect's traceback and "rerun to resume", which would not help)."""
    for spec, says in (
        ("nosuchproto://bucket/landing", "Protocol not known"),
        (f"file://{tmp_path}/missing", "does not exist"),
    ):
        assert main(["run", spec, "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
        err = capsys.readouterr().err
        assert "cannot start" in err and says in err and "rerun" not in err, err
    assert not (tmp_path / "out" / ".state").exists()  # nothing ran


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full (every write: ENOSPC)")
def test_a_full_filesystem_says_to_free_space_not_only_to_rerun(tmp_path):
    """A run on a full OUT failed with pyarrow's "Error writing bytes to file … No space left on device" and was told
    "rerun to resume", which fails the same way."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from flows.cli import storage_hint

    # the error a step's Parquet write raises on a full disk; through a file object: given a path, pyarrow removes
    # the file a failed write leaves, and as root that removed the device node /dev/full itself
    with pytest.raises(OSError) as full, open("/dev/full", "wb") as device:
        pq.write_table(pa.table({"text": ["讲话"] * 1000}), device)
    hint = storage_hint(full.value, str(tmp_path))
    assert hint is not None and f"{tmp_path} has " in hint and "MB free" in hint and "Free space" in hint
    try:
        raise RuntimeError("task failed") from full.value  # as a wrapped failure reaches the CLI
    except RuntimeError as wrapped:
        assert storage_hint(wrapped, str(tmp_path)) == hint
    assert storage_hint(OSError(errno.EROFS, "Read-only file system"), "OUT").startswith(
        "a filesystem jianghua writes to is read-only"
    )
    assert storage_hint(ValueError("a bug"), str(tmp_path)) is None


def _small_tmpfs(path: Path, size: str) -> bool:
    """Mount a tmpfs of `size` on `path` (root in a container may; elsewhere the test skips)."""
    path.mkdir()
    if os.geteuid() != 0:
        return False
    import subprocess

    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
        ).returncode
        == 0
    )


def test_a_full_disk_fails_at_once_naming_the_file_and_prefect_prints_no_traceback(tmp_path):
    """ENOSPC was classed transient: a full OUT was retried three times (2 + 4 + 8 s of backoff), and each failed
    task and flow run printed Prefect's ~60-line traceback over the CLI's hint, which named no file."""
    import logging
    import subprocess

    import pyarrow as pa

    from flows.cli import _StorageErrorsQuiet, storage_hint
    from tasks.common import write_table
    from tasks.steps import is_transient

    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        assert not is_transient(OSError(code, os.strerror(code)))
    assert is_transient(OSError(errno.EIO, "I/O error"))  # a passing I/O error still is

    disk = tmp_path / "disk"
    if not _small_tmpfs(disk, "256k"):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        target = disk / "out" / ".state" / "docs.parquet"
        with pytest.raises(OSError) as full:
            write_table(pa.table({"text": [os.urandom(1024).hex() for _ in range(1024)]}), target, plain=["text"])
        assert full.value.errno == errno.ENOSPC and full.value.filename == str(target)
        try:
            raise RuntimeError("step failed") from full.value
        except RuntimeError as wrapped:
            hint = storage_hint(wrapped, str(disk / "out"))
        assert hint is not None and f"writing {target}" in hint and "MB free" in hint
        assert not list(target.parent.glob(".tmp-*"))  # the failed write left no temp file
    finally:
        subprocess.run(["umount", str(disk)], check=False)

    quiet = _StorageErrorsQuiet()

    def record(msg: str, exc: BaseException | None, level: int = logging.ERROR) -> logging.LogRecord:
        info = (type(exc), exc, None) if exc else None
        return logging.LogRecord("prefect.task_runs", level, __file__, 1, msg, (), info)

    assert not quiet.filter(record("Task run failed with exception", full.value))
    assert not quiet.filter(record(f"Finished in state Failed('{full.value}')", None))
    assert quiet.filter(record("Task run failed with exception", ValueError("a bug")))
    assert quiet.filter(record("Finished in state Completed()", None, logging.INFO))


_FLOW_START = """
import json, os, sys
from tasks import pool


def trace(event, **fields):  # the CLI's milestones: stop once Prefect's API is ready, before the flow is called
    if event == "cli_server_ready":  # what Prefect's Flow.__call__, run_flow and the first task submit import
        wanted = ("fastapi.encoders", "prefect.flow_engine", "prefect.task_engine", "prefect.utilities.visualization")
        print(json.dumps([m for m in wanted if m not in sys.modules]), flush=True)
        os._exit(0)


pool.trace = trace
from flows import cli

cli.main(["run", sys.argv[1], "--out", sys.argv[2]])
"""


def test_what_prefect_imports_when_the_flow_is_called_is_imported_while_the_server_starts(samples, tmp_path):
    """Once the temporary server answered, calling the flow imported FastAPI (to serialize its parameters), the
    flow and task engines and graphviz before the flow's first line: 0.6 of the flow thread's 0.74 CPU-s there
    (cProfile, load ~30), on the run's critical path. The CLI imports them with its own modules, beside the
    server's start. (An API named in the environment: no server is started, nothing is contacted before this.)"""
    import json
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PREFECT_API_URL="http://127.0.0.1:9/api", JIANGHUA_INLINE="1")
    done = subprocess.run(
        [sys.executable, "-c", _FLOW_START, str(samples), str(tmp_path / "out")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []

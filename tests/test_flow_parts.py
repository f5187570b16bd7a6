"""A global stage that declares its parts (Stage.plan/finish) runs them across the worker pool,
keeps the parts already in place after a crash, and gives the artifact one call would."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.pipeline import build_corpus
from tasks import repair, stages, steps
from tasks.stages import STAGES, Stage

pytestmark = pytest.mark.usefixtures("prefect_api")

LENGTHS = pa.schema([("doc_id", pa.string()), ("chars", pa.int64())])

# A toy partitioned stage: documents hashed into 12 parts; each part writes lengths/<part>.parquet.
# Every part call appends "<part> <pid>" to CALL_LOG (written from the worker processes), and the
# part named in CRASH_FILE, if that file exists, writes its file and then fails.
TOY_MODULE = """
import hashlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.common import write_table

CALL_LOG = {log!r}
CRASH_FILE = {crash!r}
PARTS = 12
SCHEMA = pa.schema([("doc_id", pa.string()), ("chars", pa.int64())])


def part_of(doc_id):
    return f"{{int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % PARTS:02d}}"


def plan(inputs):
    return {{f"{{p:02d}}": 1 + p % 3 for p in range(PARTS)}}


def lengths_part(inputs, out_dir, part):
    with open(CALL_LOG, "a", encoding="utf-8") as log:
        log.write(f"{{part}} {{os.getpid()}}\\n")
    rows = []
    for d in inputs["normalize"]:
        t = pq.read_table(Path(d) / "docs.parquet", columns=["doc_id", "text"])
        rows += [{{"doc_id": i, "chars": len(x)}} for i, x in zip(t.column("doc_id").to_pylist(), t.column("text").to_pylist()) if part_of(i) == part]
    write_table(pa.Table.from_pylist(rows, schema=SCHEMA), Path(out_dir) / "lengths" / f"{{part}}.parquet", ["doc_id"])
    if os.path.exists(CRASH_FILE) and Path(CRASH_FILE).read_text() == part:
        raise RuntimeError(f"simulated crash in part {{part}}")
    return {{"docs": len(rows), "pid": os.getpid()}}


def finish(inputs, out_dir, parts):
    Path(out_dir, "index.json").write_text(__import__("json").dumps(sorted(parts)))
    return {{"docs": sum(s["docs"] for s in parts.values()), "parts": len(parts), "workers": len({{s["pid"] for s in parts.values()}})}}
"""


@pytest.fixture
def toy(tmp_path, monkeypatch):
    code = tmp_path / "toycode"
    code.mkdir()
    log, crash = tmp_path / "calls.log", tmp_path / "crash.txt"
    (code / "toy_parts.py").write_text(TOY_MODULE.format(log=str(log), crash=str(crash)), encoding="utf-8")
    monkeypatch.syspath_prepend(str(code))  # spawned workers get the parent's sys.path
    importlib.invalidate_caches()
    sys.modules.pop("toy_parts", None)
    monkeypatch.setitem(
        STAGES,
        "toy",
        Stage(
            "toy",
            "global",
            "toy_parts:lengths_part",
            reads=("normalize",),
            writes={"lengths": LENGTHS},
            plan="toy_parts:plan",
            finish="toy_parts:finish",
        ),
    )
    stages.code_version.cache_clear()
    stages._parsed.cache_clear()
    yield log, crash
    sys.modules.pop("toy_parts", None)
    stages.code_version.cache_clear()
    stages._parsed.cache_clear()


def _run(landing: Path, out: Path) -> dict:
    return build_corpus(inputs=[str(landing)], out=str(out), workers=2, target_shard_docs=3)


def _calls(log: Path) -> list[tuple[str, int]]:
    lines = log.read_text(encoding="utf-8").split() if log.exists() else []
    return [(lines[i], int(lines[i + 1])) for i in range(0, len(lines), 2)]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != steps.DONE_FILE
    }


def test_parts_run_across_workers_resume_after_a_crash_and_equal_one_call(samples, tmp_path, toy):
    log, crash = toy
    out = tmp_path / "out"
    crash.write_text("07")
    with pytest.raises(Exception, match="simulated crash in part 07"):
        _run(samples, out)
    assert not (out / "current").exists()  # nothing published
    (artifact,) = (out / ".state" / "artifacts" / "toy").iterdir()
    assert not (artifact / steps.DONE_FILE).exists()  # the half artifact does not look complete
    assert steps.part_done(str(artifact), "07") is None
    crashed_run = _calls(log)
    # The parts ran in pool workers, not the flow process. Not asserted: that both workers took
    # some — another global stage (dedupe) may hold one worker for the whole step, and the pool
    # may replace a big worker before a new stage (tasks.pool.RECYCLE_MB), giving a third pid.
    assert os.getpid() not in {pid for _, pid in crashed_run}
    first = {p for p, _ in crashed_run}
    in_place = {p for p in first if steps.part_done(str(artifact), p) is not None}
    assert "07" in first and "07" not in in_place and len(in_place) >= 6

    crash.unlink()
    log.unlink()
    summary = _run(samples, out)
    rerun = _calls(log)
    assert sorted(p for p, _ in rerun) == sorted({f"{p:02d}" for p in range(12)} - in_place)  # only the missing
    assert (artifact / steps.DONE_FILE).exists() and not (artifact / steps.PARTS_DIR).exists()
    assert summary["stages"]["toy"]["docs"] == summary["counts"]["accepted"]
    assert summary["stages"]["toy"]["parts"] == 12
    assert json.loads((artifact / steps.DONE_FILE).read_text())["parts"] == 12

    # the same artifact as one call of plan, every part, finish (in this process)
    module = importlib.import_module("toy_parts")
    inputs = {"normalize": sorted(str(d) for d in (out / ".state" / "artifacts" / "normalize").iterdir())}
    one = tmp_path / "one"
    parts = {p: module.lengths_part(inputs, str(one), p) for p in module.plan(inputs)}
    module.finish(inputs, str(one), parts)
    assert _files(artifact) == _files(one)
    rows = pa.concat_tables(pq.read_table(f) for f in sorted((artifact / "lengths").glob("*.parquet")))
    assert rows.num_rows == summary["counts"]["accepted"]

    # --rebuild trusts nothing in place: every part runs again
    log.unlink()
    build_corpus(inputs=[str(samples)], out=str(out), workers=2, target_shard_docs=3, rebuild=True)
    assert sorted(p for p, _ in _calls(log)) == [f"{p:02d}" for p in range(12)]
    assert _files(artifact) == _files(one)


def test_the_repair_stage_gives_the_same_artifact_partitioned_and_in_one_call(samples, tmp_path, monkeypatch):
    import dataclasses

    parted = _run(samples, tmp_path / "parted")
    monkeypatch.setitem(
        STAGES, "repair", dataclasses.replace(STAGES["repair"], runner="tasks.repair:repair_parts", plan="", finish="")
    )
    stages.code_version.cache_clear()
    # the one-call reference runs in this process (JIANGHUA_INLINE), the parted run keeps its spawned workers: the
    # test took 25.2 -> 22.1 CPU-s of its process tree (one pair, load ~30)
    try:
        monkeypatch.setenv("JIANGHUA_INLINE", "1")
        whole = build_corpus(inputs=[str(samples)], out=str(tmp_path / "whole"), workers=1, target_shard_docs=3)
    finally:
        stages.code_version.cache_clear()
    (a,) = (tmp_path / "parted" / ".state" / "artifacts" / "repair").iterdir()
    (b,) = (tmp_path / "whole" / ".state" / "artifacts" / "repair").iterdir()
    assert a.name != b.name  # two declarations, two code versions: both really ran
    # the parts' sources records name the members files by stamp (inode, mtime: this run's own files);
    # what they say of them is the same, every other file byte for byte
    record = repair.SOURCES_DIR + "/"
    files = {k: v for k, v in _files(a).items() if not k.startswith(record)}
    assert files == {k: v for k, v in _files(b).items() if not k.startswith(record)}
    assert "parts.json" in files and len(json.loads(files["parts.json"])) >= 2
    said = [
        {p.name: {k: v for k, v in json.loads(p.read_text()).items() if k != "stamps"} for p in (d / record).iterdir()}
        for d in (a, b)
    ]
    assert said[0] == said[1] and len(said[0]) == len(json.loads(files["parts.json"]))
    assert parted["stages"]["repair"] == whole["stages"]["repair"]
    assert parted["counts"]["best_texts_rows"] == whole["counts"]["best_texts_rows"] > 0


def test_balance_spreads_parts_into_near_equal_batches_heaviest_first():
    weights = {f"{p:03d}": (p * 37) % 11 + 1 for p in range(64)}
    batches = steps.balance(weights, 8)
    assert len(batches) == 8 and sorted(p for b in batches for p in b) == sorted(weights)
    totals = [sum(weights[p] for p in b) for b in batches]
    assert totals == sorted(totals, reverse=True) and totals[0] - totals[-1] <= max(weights.values())
    assert steps.balance(weights, 8) == batches  # deterministic
    assert steps.balance({"a": 1.0}, 8) == [["a"]] and steps.balance({}, 8) == []


def test_a_partitioned_declaration_is_global_and_complete():
    with pytest.raises(ValueError, match="partitioned"):
        Stage("x", "shard", "m:f", reads=(), plan="m:plan", finish="m:finish")
    with pytest.raises(ValueError, match="partitioned"):
        Stage("x", "global", "m:f", reads=(), plan="m:plan")


def write_part(inputs: dict, out_dir: str, part: str) -> dict:
    """A part runner that links an earlier file when told to, else writes in place (open "w")."""
    import os

    target = Path(out_dir) / "t" / f"{part}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    if inputs.get("link"):
        os.link(inputs["link"], target)
    else:
        target.write_text(inputs["text"], encoding="utf-8")
    return {"rows": 1, **({"cacheable": False} if inputs.get("uncacheable") else {})}


def test_a_rerun_part_replaces_its_files_and_never_writes_into_a_linked_earlier_one(tmp_path):
    runner = f"{__name__}:write_part"
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("earlier", encoding="utf-8")
    out = tmp_path / "artifact"
    assert steps.run_part_batch(runner, {"link": str(earlier)}, str(out), ["p1"], {}) == {"p1": {"rows": 1}}
    assert steps.part_done(str(out), "p1") == {"rows": 1}
    (out / steps.PARTS_DIR / "p1.json").unlink()  # as if it had crashed before its marker
    steps.run_part_batch(runner, {"text": "new"}, str(out), ["p1"], {})
    assert (out / "t" / "p1.txt").read_text(encoding="utf-8") == "new"
    assert earlier.read_text(encoding="utf-8") == "earlier"  # replaced by rename, not overwritten
    assert sorted(p.name for p in (out / steps.PARTS_DIR).iterdir()) == ["p1.json"]  # no staging left
    # a part whose result must not be reused is in place but unmarked: a rerun runs it again
    steps.run_part_batch(runner, {"text": "x", "uncacheable": True}, str(out), ["p2"], {})
    assert (out / "t" / "p2.txt").exists() and steps.part_done(str(out), "p2") is None


def test_in_a_dask_worker_the_part_batches_run_one_after_another_in_the_step_thread(toy, tmp_path, monkeypatch):
    """A Dask worker is a daemonic process: pool.run calls fn inline there, but configure(0) was
    called in the flow's process only, so the worker's pool still counted its default workers and
    run_parts spread the batches over threads that each ran them in the worker at once (the reuse
    step's parts then shared a ParquetFile across threads: "ReadRangeCache did not find matching
    cache entry"). In a daemonic process the pool is inline: one batch at a time, in this thread."""
    import multiprocessing
    import threading

    from tasks import pool

    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)  # as in a Dask worker
    monkeypatch.setattr(pool, "_inline", False)
    monkeypatch.setattr(pool, "_workers", 2)
    assert pool.inline() and pool.workers() == 1
    ran_in: list[threading.Thread] = []
    original = steps.run_part_batch

    def recording(*args, **kw):
        ran_in.append(threading.current_thread())
        return original(*args, **kw)

    monkeypatch.setattr(steps, "run_part_batch", recording)
    job = steps.Job("toy", "k" * 16, str(tmp_path / "state"), "toy")
    stats = steps.run_parts(job, {"normalize": []}, {})
    assert stats["parts"] == 12
    assert ran_in and all(t is threading.current_thread() for t in ran_in)


def test_part_calls_are_judged_under_their_kind(toy, tmp_path, monkeypatch):
    """The pool judges and records a partitioned step's part calls under the runner plus the kind
    Stage.memory_kind gives (tasks.pool.KIND): an incremental reuse part (+103-145 MiB at 5k) is not
    judged on the cold parts' growth (+220), which replaced workers of 448-523 MB before the 20k +1 %
    run's reuse parts. The plan and finish calls keep their own keys."""
    from flows import pipeline
    from tasks import pool

    monkeypatch.setattr(pool, "_inline", True)
    monkeypatch.setitem(
        STAGES,
        "toy",
        Stage(
            "toy",
            "global",
            "toy_parts:lengths_part",
            reads=("normalize",),
            writes={"lengths": LENGTHS},
            plan="toy_parts:plan",
            finish="toy_parts:finish",
            memory_kind="tasks.stages:reuse_kind",
        ),
    )
    monkeypatch.setattr(stages, "reuse_kind", lambda inputs, params: "incremental")
    kinds: list[tuple[object, str]] = []
    original = pool.run

    def recording(fn, *args, kind="", **kw):
        kinds.append((fn, kind))
        return original(fn, *args, kind=kind, **kw)

    monkeypatch.setattr(pool, "run", recording)
    job = steps.Job("toy", "k" * 16, str(tmp_path / "state"), "toy")
    assert steps.run_parts(job, {"normalize": []}, {})["parts"] == 12
    assert {k for fn, k in kinds if fn is steps.run_part_batch} == {"incremental"}
    assert {k for fn, k in kinds if fn is not steps.run_part_batch} == {""}
    # until one is measured, the first +1 % run after a cold run judges them on the declared figure
    figures = pipeline._growth_figures(tmp_path / "no-output-yet")
    key = pool.KIND.format(STAGES["reuse"].runner, "incremental")
    assert figures[key] == stages.INCREMENTAL_REUSE_MB < figures.get(STAGES["reuse"].runner, 1 << 20)

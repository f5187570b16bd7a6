"""What a worker process runs for a step: a stage's runner by reference, a partitioned step's parts.

Kept apart from tasks.steps, which builds the Prefect tasks: a worker unpickles its call's function
by module, so a function living in tasks.steps made every fresh worker import Prefect (~1.2 CPU-s
and ~40 MB before its first call, measured on the 2k bench's +1 % run: a worker waiting for a call
took it 1.6 s after it was queued) — on every spawn and every replacement. Nothing here imports
Prefect; tests/test_flow_parts.py checks that a worker's stage call leaves it unloaded.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path
from typing import Any

PARTS_DIR = "_parts"  # inside a partitioned step's artifact: <part>.json once a part is in place
# Set to a file path: every shard step's call appends one JSON line (runner, inputs, out_dir, params),
# so bench/replay_calls.py can re-run a run's calls of one stage alone, profiled. Off by default.
CALL_LOG_ENV = "JIANGHUA_CALL_LOG"


def run_stage(runner: str, inputs: dict[str, Any], out_dir: str, params: dict[str, Any]) -> dict[str, Any]:
    """Call a stage's runner by reference (in a worker process; it imports the stage module)."""
    import os

    if log := os.environ.get(CALL_LOG_ENV):
        line = {"runner": runner, "inputs": inputs, "out_dir": out_dir, "params": params}
        with open(log, "a", encoding="utf-8") as f:  # one write of one line: appends from workers do not interleave
            f.write(json.dumps(line, sort_keys=True, default=logged_value) + "\n")
    module, function = runner.split(":", 1)
    return getattr(importlib.import_module(module), function)(inputs, out_dir, **params)


def logged_value(value: Any) -> Any:
    """A call-log value JSON cannot hold: a dataclass (ingest's InputFile) as its class and fields, so a
    replay rebuilds it (`replayed_value`); anything else as its str."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {DATACLASS_KEY: f"{cls.__module__}:{cls.__qualname__}", **fields}
    return str(value)


DATACLASS_KEY = "__dataclass__"  # marks a logged dataclass: "module:Class" beside its fields


def replayed_value(value: Any) -> Any:
    """A logged value with its dataclasses rebuilt; their list fields come back as tuples (JSON has none,
    and InputFile's composite fields are tuples)."""
    if isinstance(value, list):
        return [replayed_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if DATACLASS_KEY not in value:
        return {k: replayed_value(v) for k, v in value.items()}
    module, name = value[DATACLASS_KEY].split(":", 1)
    cls = getattr(importlib.import_module(module), name)
    fields = {k: tuple(v) if isinstance(v, list) else replayed_value(v) for k, v in value.items() if k != DATACLASS_KEY}
    return cls(**fields)


def call(ref: str, args: tuple, params: dict[str, Any]) -> Any:
    """Call a "module:function" reference (in a worker process)."""
    module, function = ref.split(":", 1)
    return getattr(importlib.import_module(module), function)(*args, **params)


def run_part_batch(
    runner: str, inputs: dict[str, Any], out_dir: str, parts: list[str], params: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Run parts one after another (in a worker): each writes into a fresh folder of its own, its
    files are then moved into the artifact (rename: a file linked from an earlier artifact is
    replaced, never overwritten in place) and only then is its marker written."""
    module, function = runner.split(":", 1)
    fn = getattr(importlib.import_module(module), function)
    out = Path(out_dir)
    results: dict[str, dict[str, Any]] = {}
    try:
        _run_batch(fn, inputs, out, parts, params, results)
    finally:  # a module may keep state across the parts of one call (reuse: texts); never across calls
        getattr(importlib.import_module(module), "release_parts", lambda: None)()
    return results


def _run_batch(fn, inputs: dict[str, Any], out: Path, parts: list[str], params: dict[str, Any], results: dict) -> None:
    import os

    for part in parts:
        staging = out / PARTS_DIR / f"{part}.tmp"
        shutil.rmtree(staging, ignore_errors=True)  # what a crashed attempt left
        staging.mkdir(parents=True)
        stats = json.loads(json.dumps(fn(inputs, str(staging), part=part, **params), sort_keys=True, default=str))
        for f in sorted(p for p in staging.rglob("*") if p.is_file()):
            target = out / f.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, target)
        shutil.rmtree(staging)
        results[part] = stats
        if not stats.get("cacheable", True):
            continue  # in place for this attempt only: no marker, a rerun runs it again
        marker = out / PARTS_DIR / f"{part}.json"
        tmp = marker.with_name(marker.name + ".tmp")
        tmp.write_text(json.dumps(stats, sort_keys=True), encoding="utf-8")
        tmp.replace(marker)


def part_done(out_dir: str, part: str) -> dict[str, Any] | None:
    """The stats of a part already in place in a partitioned step's artifact, or None."""
    try:
        return json.loads((Path(out_dir) / PARTS_DIR / f"{part}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

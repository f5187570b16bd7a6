"""Re-run one stage's calls of a recorded run, alone, in this process: CPU seconds and a profile.

    JIANGHUA_CALL_LOG=/tmp/calls.jsonl python -m bench.scale plus ...     # record a run's calls
    python -m bench.replay_calls /tmp/calls.jsonl annotate_shard SCRATCH [--profile 30]
        [--fallback OUT=COLD] [--limit N]

Each recorded call (tasks.calls.CALL_LOG_ENV: runner, inputs, out_dir, params) whose runner contains
the given text is run again with the same inputs and parameters into SCRATCH/<n>, and its files are
compared with the recorded call's own (sha256, by path): an A/B of a stage's code runs this once per
checkout on the same log. A run that pruned the artifacts its calls read (bench.scale plus restores
the cold output, the +1 % run then prunes what it superseded) is replayed with `--fallback
OUT=COLD`: a recorded path under OUT that no longer exists is read from the same place under COLD.
Only shard steps are logged (tasks.calls.run_stage; ingest's InputFile entries are logged as their
fields and rebuilt, so ingest_shard replays too); a partitioned stage's parts have their own
replays (bench_repair_plus, bench_plus_calls).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _fallback(value: Any, old: str, new: str) -> Any:
    """`value` with every missing path under `old` moved under `new` (strings inside dicts and lists)."""
    if isinstance(value, str):
        if value.startswith(old) and not os.path.exists(value):
            moved = new + value[len(old) :]
            return moved if os.path.exists(moved) else value
        return value
    if isinstance(value, list):
        return [_fallback(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _fallback(v, old, new) for k, v in value.items()}
    return value


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith("_")
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("log")
    ap.add_argument("runner", help="text the recorded runner contains, e.g. annotate_shard")
    ap.add_argument("scratch")
    ap.add_argument("--profile", type=int, default=0, help="print the N functions of most cumulative time")
    ap.add_argument("--fallback", default="", help="OUT=COLD: missing paths under OUT are read under COLD")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)

    from tasks.calls import replayed_value, run_stage

    lines = [json.loads(x) for x in Path(args.log).read_text(encoding="utf-8").splitlines() if x.strip()]
    calls = [c for c in lines if args.runner in c["runner"]]
    if args.limit:
        calls = calls[: args.limit]
    old, _, new = args.fallback.partition("=")
    scratch = Path(args.scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    profile = cProfile.Profile() if args.profile else None
    total_cpu = total_wall = 0.0
    same = differ = 0
    for n, c in enumerate(calls):
        inputs, params = c["inputs"], c["params"]
        if old:
            inputs, params = _fallback(inputs, old, new), _fallback(params, old, new)
        inputs, params = replayed_value(inputs), replayed_value(params)
        out = scratch / f"{n:04d}"
        out.mkdir(parents=True)
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        stats = run_stage(c["runner"], inputs, str(out), params)
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        total_cpu += cpu
        total_wall += wall
        recorded = Path(c["out_dir"])
        if recorded.exists():
            ok = _digests(recorded) == _digests(out)
            same, differ = same + ok, differ + (not ok)
            verdict = "same files" if ok else "FILES DIFFER"
        else:
            verdict = "recorded output gone"
        docs = stats.get("docs", stats.get("documents", ""))
        print(f"{n:4d} {Path(c['out_dir']).name[:12]} {cpu:6.3f} CPU-s {wall:6.3f} s  docs {docs}  {verdict}")
    print(
        f"{len(calls)} calls of {args.runner}: {total_cpu:.2f} CPU-s, {total_wall:.2f} s; same {same}, differ {differ}"
    )
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

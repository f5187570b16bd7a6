"""Fixed cost and memory of a run: cold, then unchanged rerun, with peak RSS per process and per stage.

    python -m bench.overhead FOLDER --out OUT [--workers 2] [--runs cold,unchanged]

Runs the CLI (bench.scale.run_cli: per-process and whole-tree peak RSS, sampled every 0.2 s) and
has each pool worker log every stage call's peak RSS (tasks.pool JIANGHUA_STAGE_MEMORY), printed
as the largest peak per stage. Figures are wall clock: quote the machine load beside them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def stage_peaks(log: Path) -> str:
    """Largest sampled peak RSS (MB) and total seconds per stage runner, from the workers' log, and
    the workers tasks.pool replaced (RECYCLE_MB) before a stage module they had not run."""
    peak: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)  # the worker's CPU-s during the calls (logs since session 22)
    calls: dict[str, int] = defaultdict(int)
    faults: dict[str, int] = defaultdict(int)  # minor page faults during the calls (logs since session 35)
    recycled: dict[str, list[int]] = defaultdict(list)
    spans: list[tuple[float, float]] = []  # (start, end) of every call that logged its start time
    for line in log.read_text().splitlines() if log.exists() else []:
        r = json.loads(line)
        if "event" in r:  # a flow-side event (tasks.pool.trace): see timeline()
            continue
        if "recycle" in r:  # a worker replaced before this stage module: the MB it held
            recycled[r["recycle"]].append(r["mb_held"])
            continue
        name = r["call"].split(":")[-1]
        peak[name] = max(peak[name], r["mb_peak"])
        seconds[name] += r["seconds"]
        cpu[name] += r.get("cpu", float("nan"))
        calls[name] += 1
        faults[name] += r.get("faults", 0)
        if "at" in r:
            spans.append((r["at"], r["at"] + r["seconds"]))
    rows = sorted(peak, key=lambda k: -peak[k])
    lines = [
        f"   {k:<28} peak {peak[k]:>6,} MB  {calls[k]:>3} calls  {seconds[k]:>7.1f} s  {cpu[k]:>7.1f} CPU-s"
        + (f"  {faults[k] / 1e3:>7,.0f} k page faults" if faults[k] else "")
        for k in rows
    ]
    lines += [
        f"   worker replaced before {k}: {len(v)}x (it held {', '.join(f'{mb:,}' for mb in v)} MB)"
        for k, v in sorted(recycled.items())
    ]
    if spans:  # how busy the workers were between the first call's start and the last call's end
        first, last = min(a for a, _ in spans), max(b for _, b in spans)
        busy, idle_at = sum(b - a for a, b in spans), _idle_gaps(spans)
        lines.append(
            f"   calls {busy:,.1f} worker-s ({sum(cpu.values()):,.1f} CPU-s: the rest waited for the disk or a core)"
            f" between the first call's start and the last's end ({last - first:,.1f} s);"
            f" no call running for {sum(g for g, _ in idle_at):,.1f} s of it"
            + (f", longest {idle_at[0][0]:.1f} s before {idle_at[0][1]}" if idle_at else "")
        )
    return "\n".join(lines)


def timeline(log: Path) -> str:
    """Every worker call and flow-side event (tasks.pool.trace) of a run in time order, seconds from
    the first, and the time workers sat between two consecutive calls of their own (what the flow,
    Prefect and the pool's hand-over cost a worker that had more work queued)."""
    rows = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    rows = [r for r in rows if "at" in r]
    if not rows:
        return "   (no timeline)"
    t0 = min(r["at"] for r in rows)
    out = []
    for r in sorted(rows, key=lambda r: r["at"]):
        if "event" in r:
            what = f"{r['event']:<16} {r.get('stage', '')} {r.get('label', '')}".rstrip()
            out.append(f"   {r['at'] - t0:7.2f}          flow   {what}")
        elif "call" in r:
            name = r["call"].split(":")[-1] if ":" in r["call"] else "report"
            out.append(
                f"   {r['at'] - t0:7.2f} {r['at'] - t0 + r['seconds']:7.2f}  {r['pid']:>6} {name}  {r['mb_peak']} MB"
            )
    by_pid: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        if "call" in r:
            by_pid[r["pid"]].append(r)
    pairs = [(a, b) for calls in by_pid.values() for a, b in itertools.pairwise(sorted(calls, key=lambda r: r["at"]))]
    short = [(a, b) for a, b in pairs if b["at"] - (a["at"] + a["seconds"]) < 1.0]  # longer: nothing queued
    if short:
        gaps = [b["at"] - (a["at"] + a["seconds"]) for a, b in short]
        out.append(
            f"   between a worker's consecutive calls (< 1 s apart): {len(short)} hand-overs, "
            f"{sum(gaps):.2f} worker-s, mean {sum(gaps) / len(gaps) * 1000:.0f} ms"
        )
        if all("release" in a and b.get("taken") for a, b in short):  # logs of the pool since session 10
            release = [a["release"] for a, _ in short]
            wait = [b["taken"] - (a["at"] + a["seconds"] + a["release"]) for a, b in short]
            start = [b["at"] - b["taken"] for _, b in short]
            out.append(
                "   of which (mean ms): releasing the call's memory "
                f"{sum(release) / len(short) * 1000:.0f}, waiting for the next call (result sent back, flow, "
                f"queue) {sum(wait) / len(short) * 1000:.0f}, taking it up (worker loop, probe) "
                f"{sum(start) / len(short) * 1000:.0f}"
            )
            out.append(_handover_sides(short, rows))
    return "\n".join(out)


def _handover_sides(short: list[tuple[dict, dict]], rows: list[dict]) -> str:
    """Which side a hand-over waited on, from the pool's own events (tasks.pool.trace: a call reaching
    `pool.run`, entering the executor, its result back in the flow): the next call already inside the
    executor when the worker was free (the worker's own cost: memory release, result and call pickled
    through the queues), or not yet — still in Prefect/the step (had not reached the pool) or waiting at
    the pool's gate."""
    at: dict[str, dict[int, float]] = defaultdict(dict)
    for r in rows:
        if r.get("event", "").startswith("pool_") and "id" in r:
            at[r["event"]][r["id"]] = r["at"]
    if not at:
        return "   (no pool events in the log)"
    queued, not_arrived, gated = [], [], []
    for a, b in short:
        free = a["at"] + a["seconds"] + a["release"]
        gap = b["at"] - (a["at"] + a["seconds"])
        submitted, arrived = at["pool_submit"].get(b.get("id", 0)), at["pool_call"].get(b.get("id", 0))
        if submitted is None or arrived is None:
            continue
        if submitted <= free:
            queued.append(gap)
        elif arrived > free:
            not_arrived.append(gap)
        else:
            gated.append(gap)

    def part(name: str, gaps: list[float]) -> str:
        return f"{name} {len(gaps)} ({sum(gaps):.2f} s, mean {sum(gaps) / max(1, len(gaps)) * 1000:.0f} ms)"

    return "   hand-overs whose next call was: " + "; ".join(
        (
            part("already in the executor", queued),
            part("not yet at the pool (Prefect, the step)", not_arrived),
            part("at the pool's gate", gated),
        )
    )


def _idle_gaps(spans: list[tuple[float, float]]) -> list[tuple[float, str]]:
    """Stretches where no worker ran a call (waiting on the flow: task starts, spawns, the release),
    longest first, each with the offset (s) of the call that ended it."""
    gaps, start = [], min(a for a, _ in spans)
    reach = start
    for a, b in sorted(spans):
        if a > reach + 0.05:
            gaps.append((a - reach, f"+{a - start:.1f} s"))
        reach = max(reach, b)
    return sorted(gaps, reverse=True)


def main(argv: list[str] | None = None) -> int:
    from bench.scale import run_cli

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--out", required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", default="cold,unchanged")
    args = ap.parse_args(argv)
    folder, out = Path(args.folder), Path(args.out)
    files = [p for p in folder.rglob("*") if p.is_file()]
    mb = sum(p.stat().st_size for p in files) / 1e6
    docs = sum(1 for p in files for _ in p.open("rb")) if all(p.suffix == ".jsonl" for p in files) else len(files)
    for run in args.runs.split(","):
        if run == "cold":
            shutil.rmtree(out, ignore_errors=True)
        log = Path(f"{out}.{run}.stage-memory.jsonl")
        log.unlink(missing_ok=True)
        os.environ["JIANGHUA_STAGE_MEMORY"] = str(log)
        run_cli(folder, out, args.workers, run, mb, docs)
        print("   per stage (largest worker peak RSS during one call):")
        print(stage_peaks(log) or "   (no stage ran in a worker)")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

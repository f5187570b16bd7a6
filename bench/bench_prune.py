"""What pruning a nightly run's unused artifacts costs the run's tail: serial in the flow, or set aside.

    python -m bench.bench_prune SCRATCH [--rounds 2] [--kb 64]

Builds a state folder shaped like a 20k +1 % night's pruned artifacts (counted in the 20k bench's
state: 21 members artifacts of 69 files, the dedupe artifact's 787 index files, 25 export artifacts of
7, 14 annotate of 3, the repair, reuse and reuse_hits artifacts; ~3,100 files, `--kb` each) plus one
kept artifact, and times, alternately, `prune_state` (everything deleted before the flow goes on, as
the flow did until the set-aside) and `set_aside` (what the flow now waits for; `discard` runs in a
thread beside the release and report). CPU-s of this process (`time.process_time`) and wall seconds.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# stage -> (artifacts a 20k +1 % night supersedes, files in each)
SHAPE = {
    "members": (21, 69),
    "dedupe": (1, 787),
    "export": (25, 7),
    "annotate": (14, 3),
    "repair": (1, 330),
    "reuse": (1, 200),
    "reuse_hits": (1, 106),
}


def build(state: Path, kb: int) -> int:
    blob = b"x" * (kb * 1024)
    n = 0
    for stage, (artifacts, files) in SHAPE.items():
        for a in range(artifacts):
            folder = state / "artifacts" / stage / f"old{a:03d}"
            folder.mkdir(parents=True)
            for f in range(files):
                (folder / f"{f:04d}.parquet").write_bytes(blob)
                n += 1
        (state / "artifacts" / stage / "kept").mkdir(parents=True)
    results = state / "prefect-results"
    results.mkdir(parents=True)
    for k in range(70):
        (results / f"old{k}").write_text("{}")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("scratch")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--kb", type=int, default=64)
    args = ap.parse_args(argv)

    import os

    from tasks import steps

    scratch = Path(args.scratch)
    for r in range(args.rounds):
        for how in ("prune_state", "set_aside"):
            state = scratch / f"{how}-{r}" / ".state"
            shutil.rmtree(state.parent, ignore_errors=True)
            n = build(state, args.kb)
            os.sync()  # the build's writeback is not the prune's
            c0, w0 = time.process_time(), time.perf_counter()
            if how == "prune_state":
                steps.prune_state(str(state), {"kept"})
                serial_cpu, serial_wall = time.process_time() - c0, time.perf_counter() - w0
            else:
                _, trash = steps.set_aside(str(state), {"kept"})
                serial_cpu, serial_wall = time.process_time() - c0, time.perf_counter() - w0
                worker = threading.Thread(target=steps.discard, args=(trash,))
                worker.start()
                worker.join()
            total_cpu, total_wall = time.process_time() - c0, time.perf_counter() - w0
            print(
                f"round {r + 1} {how:<11} {n:,} files: the flow waits {serial_cpu:.3f} CPU-s / {serial_wall:.3f} s; "
                f"all deleting {total_cpu:.3f} CPU-s / {total_wall:.3f} s"
            )
            shutil.rmtree(state.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

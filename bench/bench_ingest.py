"""Ingest under hostile and real inputs: `python bench/bench_ingest.py [hostile|FOLDER]`.

`hostile` (default) builds the fuzz folder of tests/fixtures/fuzz.py (1 GB gzip bomb, FIFO, link
loops, deep JSON …) in a temp dir and prints time per step, outcomes and the process's peak RSS
with the default caps. A FOLDER prints ingest throughput (MB/s, one core) and peak RSS over it.
One process, so figures are per core; peak RSS includes the imported libraries (~110 MB).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.ingest import discover_all, fingerprint, ingest_files


def run(folder: str) -> None:
    t0 = time.perf_counter()
    found = discover_all([folder])
    t1 = time.perf_counter()
    prints = [fingerprint(f) for f in found.files]
    t2 = time.perf_counter()
    got = ingest_files([(f, sha) for f, (sha, _n, err) in zip(found.files, prints, strict=True) if not err])
    t3 = time.perf_counter()
    mb = sum(n for _sha, n, _err in prints) / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"entries         {len(found.files)} ({mb:.1f} MB on disk); skipped outputs: {len(found.skipped_outputs)}")
    print(f"discover        {t1 - t0:.2f} s")
    print(f"fingerprint     {t2 - t1:.2f} s")
    print(f"ingest          {t3 - t2:.2f} s  ({mb / max(t3 - t2, 1e-9):.1f} MB/s)")
    print(f"documents       {len(got.docs)}; rejects {dict(sorted(Counter(r['reason'] for r in got.rejects).items()))}")
    print(f"cacheable       {got.cacheable}")
    print(f"peak RSS        {peak:.0f} MB")


def main(argv: list[str]) -> int:
    target = argv[1] if len(argv) > 1 else "hostile"
    if target != "hostile":
        run(target)
        return 0
    from tests.fixtures.fuzz import build_fuzz_folder

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        build_fuzz_folder(Path(tmp) / "landing")
        print(f"built fuzz folder in {time.perf_counter() - t:.2f} s")
        run(str(Path(tmp) / "landing"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Normalize throughput: `python bench/bench_normalize.py [FOLDER]` prints MB/s per core over every *.txt below FOLDER.

Single process, so the figure is per core. Input MB are UTF-8 bytes of the raw text; reading files is not timed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.normalize import normalize_text

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*.txt"))]
    if not texts:
        print(f"no .txt files under {folder}")
        return 1
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    normalize_text(texts[0])  # warm-up: OpenCC, pypinyin dictionaries
    best = float("inf")
    flags: Counter = Counter()
    for _ in range(3):
        start = time.perf_counter()
        results = [normalize_text(t) for t in texts]
        best = min(best, time.perf_counter() - start)
    for r in results:
        flags.update(k for k in r.flags)
    removed = sum(len(r.removed_lines) for r in results)
    out_mb = sum(len(r.text.encode("utf-8")) for r in results) / 1e6
    print(f"folder          {folder}")
    print(f"documents       {len(texts)}")
    print(f"input           {mb:.2f} MB  -> output {out_mb:.2f} MB")
    print(f"best of 3       {best:.2f} s")
    print(f"throughput      {mb / best:.1f} MB/s per core")
    print(f"docs/s          {len(texts) / best:.0f}")
    print(f"removed lines   {removed}")
    print("docs flagged    " + ", ".join(f"{k}={v}" for k, v in sorted(flags.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

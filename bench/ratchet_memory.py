"""Does a worker keep the memory a stage call freed? RSS before/after each signature_shard call in one
process, with tasks.pool.release_memory after each call ("release") or without ("keep").

    python -m bench.ratchet_memory release|keep NORMALIZE_ARTIFACTS_DIR OUT_DIR [CALLS]

NORMALIZE_ARTIFACTS_DIR is a run's OUT/.state/artifacts/normalize (one folder per shard).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from tasks import pool
    from tasks.dedupe import signature_shard

    mode, base, out = sys.argv[1], sys.argv[2], sys.argv[3]
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    rows = []
    for i, d in enumerate(sorted(os.listdir(base))[:calls]):
        target = os.path.join(out, f"{mode}-{i}")
        os.makedirs(target, exist_ok=True)
        before = pool._rss_bytes() >> 20
        signature_shard({"normalize": os.path.join(base, d)}, target)
        if mode == "release":
            pool.release_memory()
        rows.append((before, pool._rss_bytes() >> 20))
    print(mode, "RSS (MB) before -> after each signature_shard call:", rows)


if __name__ == "__main__":
    main()

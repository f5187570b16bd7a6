"""What a cluster label that does not move would leave to the members stage in a +1 % run.

    python -m bench.bench_stable_labels COLD_OUT PLUS_OUT

COLD_OUT / PLUS_OUT as for `bench.bench_repair_plus`. Until session 14 a cluster's id was its smallest
member hash, so a new page with a smaller hash (or a merge) renamed a cluster in every shard holding a
copy; it is now its first member's in the listing (this bench measured the choice; on outputs made
since, both columns below should agree but for merges).
Counted for the old shards, from the two runs' dedupe assignments: whose member rows (doc, cluster,
canonical flag, by repair part) or canonical rows change — with the ids as they are, and with each
cluster keeping the smallest earlier id among its old members (a "stable" label). Members rows of
documents flagged `spun` but not shared are left out (a handful).
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    import pyarrow.parquet as pq
    import xxhash

    from bench.bench_repair_plus import shard_inputs
    from tasks.repair import REPAIR_PARTS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cold")
    ap.add_argument("plus")
    args = ap.parse_args(argv)
    cold, plus = shard_inputs(Path(args.cold)), shard_inputs(Path(args.plus), Path(args.cold))

    def assignments(shards: list[dict]) -> dict[str, tuple[str, bool]]:
        out = {}
        for s in shards:
            for r in pq.read_table(s["dedupe"], columns=["doc_id", "cluster_id", "is_canonical"]).to_pylist():
                out[r["doc_id"]] = (r["cluster_id"], bool(r["is_canonical"]))
        return out

    old, new = assignments(cold), assignments(plus)
    shared_old = set(pq.read_table(cold[0]["duplicates"], columns=["cluster_id"]).column(0).to_pylist())
    shared_new = set(pq.read_table(plus[0]["duplicates"], columns=["cluster_id"]).column(0).to_pylist())
    members = collections.defaultdict(list)
    for d, (c, _) in new.items():
        members[c].append(d)
    stable = {}
    for c, docs in members.items():
        earlier = sorted({old[d][0] for d in docs if d in old})
        stable[c] = earlier[0] if earlier else c
    print(f"clusters whose id is not the smallest earlier id of their old members: "
          f"{sum(1 for c in members if stable[c] != c)}")  # fmt: skip

    def rows(assign, shared, docs, label):
        parts, canonical = collections.defaultdict(set), set()
        for d in docs:
            c, is_canonical = assign[d]
            lab = label(c)
            if c in shared:
                parts[xxhash.xxh64_intdigest(lab.encode()) % REPAIR_PARTS].add((d, lab, is_canonical))
            if is_canonical:
                canonical.add((d, lab))
        return parts, canonical

    # repair re-votes a cluster whose member rows changed: under its label, the set of (doc, canonical)
    old_members = collections.defaultdict(set)
    for d, (c, can) in old.items():
        if c in shared_old:
            old_members[c].add((d, can))
    for name, label in (("ids as they are", lambda c: c), ("stable ids", lambda c: stable[c])):
        changed = [
            c
            for c, docs in members.items()
            if c in shared_new and {(d, new[d][1]) for d in docs} != old_members.get(label(c), set())
        ]
        part = lambda c: xxhash.xxh64_intdigest(c.encode()) % REPAIR_PARTS  # noqa: E731
        now = {label(c) for c in members if c in shared_new}
        gone = [c for c in old_members if c not in now]  # old labels no cluster has now: their parts lose them
        parts = {part(label(c)) for c in changed} | {part(c) for c in gone}
        print(
            f"{name}: shared clusters whose member rows change (repair re-votes them) {len(changed)}, "
            f"repair parts to rewrite {len(parts)} of {REPAIR_PARTS}"
        )
    for name, label in (("ids as they are", lambda c: c), ("stable ids", lambda c: stable[c])):
        shards = canon = parts = 0
        for s in cold:
            docs = pq.read_table(s["dedupe"], columns=["doc_id"]).column(0).to_pylist()
            p_old, c_old = rows(old, shared_old, docs, lambda c: c)
            p_new, c_new = rows(new, shared_new, docs, label)
            changed = [p for p in set(p_old) | set(p_new) if p_old.get(p) != p_new.get(p)]
            parts += len(changed)
            canon += c_old != c_new
            shards += bool(changed) or c_old != c_new
        print(f"{name}: old shards whose rows change {shards} of {len(cold)}, canonical rows change in "
              f"{canon}, members parts to rewrite {parts}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

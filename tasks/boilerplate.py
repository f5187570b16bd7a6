"""The boilerplate stage: a site's chrome lines learned from every shard's line counts (tasks.normalize's
`line_counts_shard` makes them; `learn_boilerplate` decides). Apart from tasks.normalize so that the code version
of the lines and normalize stages does not cover the learning's bookkeeping (an edit here re-runs this stage only:
normalize is keyed on the learned lines of its groups, tasks.stages.boilerplate_of_groups)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.normalize import LINE_PARTS, MIN_GROUP_DOCS, MIN_LINE_DOCS, MIN_LINE_SHARE, learn_boilerplate

BOILERPLATE_ROWS_PER_PASS = 4_000_000  # ~200 MB of Arrow rows per pass: the learning step's memory bound


def learn_boilerplate_shards(
    inputs: dict[str, Any], out_dir: str, earlier: list[str] | tuple[str, ...] = ()
) -> dict[str, Any]:
    """Global step, out of core: sum line counts over shards one range of hash parts at a time. With an `earlier`
    artifact of this code whose shards are all still read, only the new shards' counts are added to its kept
    counts (`_learn_incremental`): a nightly run reads one shard's lines, not every shard's."""
    from pathlib import Path

    from tasks import schema
    from tasks.common import rows_to_table, write_table

    out = Path(out_dir)
    for folder in _usable_states(earlier, inputs["lines"]):
        learned = _learn_incremental(folder, inputs["lines"])
        if learned is not None:
            rows, state = learned
            break
    else:
        rows, state = _learn_all(inputs["lines"])
    write_table(rows_to_table(rows, schema.BOILERPLATE), out / "boilerplate.parquet", ["group", "line_key"])
    _write_state(out, state)
    return {
        "lines": len(rows),
        "groups": len({r["group"] for r in rows}),
        "passes": _passes(state.rows),
        "incremental": state.added,
    }


# What a boilerplate artifact keeps for the next run's learning (BOILERPLATE_STATE_FILE, BOILERPLATE_COUNTS_FILE): the
# line artifacts it summed, their row count, each group's documents, and the exact summed count of every line key of a
# group that reached the group's floor. At a cold learning the floor is MIN_LINE_DOCS (the keys learning looks at);
# a night that adds a shard with d documents (families) of a group raises that group's floor by d: a key not kept had
# fewer than the old floor and gained at most d. Learning stays exact while the floor is at most the group's learning
# threshold (ceil(MIN_LINE_SHARE x documents)); past it, or when a summed shard is gone (re-ingested, re-planned),
# every shard is read again, which resets the floors. 20k bench: 94,723 distinct keys in 233,575 rows of 24 shards,
# 12,175 of them at >= 3 documents kept; the threshold (~4,700) leaves ~40 nights of +1 % before a floor reaches it.
BOILERPLATE_STATE_FILE = "state.json"
BOILERPLATE_COUNTS_FILE = "counts.parquet"


@dataclass
class _BoilerplateState:
    lines: list[str]  # the names of the line artifacts summed (their cache keys)
    rows: int  # their rows: the number of passes a cold learning makes
    groups: dict[str, list[int]]  # group -> [documents, floor]
    counts: dict[tuple[str, str], tuple[int, int]]  # (group, key) -> (part, documents), every key at its group's floor
    added: int = 0  # line artifacts added to an earlier state (0: every shard read)


def _passes(rows: int) -> int:
    return max(1, -(-rows // BOILERPLATE_ROWS_PER_PASS))


def _boilerplate_rows(
    counts: Mapping[tuple[str, str], tuple[int, int]], group_docs: Mapping[str, int], passes: int
) -> list[dict[str, Any]]:
    """The learned rows from the summed counts of keys at MIN_LINE_DOCS or more, a pass (a range of hash parts) at a
    time as the cold learning reads them: a key is looked up only among its own pass's keys."""
    step = -(-LINE_PARTS // passes)
    by_pass: dict[int, dict[tuple[str, str], int]] = {}
    for gk, (part, n) in counts.items():
        if n >= MIN_LINE_DOCS:
            by_pass.setdefault(part // step, {})[gk] = n
    rows: list[dict[str, Any]] = []
    for p in sorted(by_pass):
        lookup = by_pass[p]
        learned = learn_boilerplate(lookup, group_docs)
        rows += [
            {"group": g, "line_key": k, "n_docs": lookup.get((g, k), 0)} for g, keys in learned.items() for k in keys
        ]
    return rows


def _learn_all(line_dirs: list[str]) -> tuple[list[dict[str, Any]], _BoilerplateState]:
    """Every shard's line counts summed, one range of hash parts at a time (the memory bound)."""
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from tasks import schema

    line_files = [str(Path(d) / "lines.parquet") for d in line_dirs]
    group_docs: Counter[str] = Counter()
    for d in line_dirs:
        t = pq.read_table(Path(d) / "groups.parquet")
        group_docs.update(dict(zip(t.column("group").to_pylist(), t.column("n_docs").to_pylist(), strict=True)))
    total = sum(pq.ParquetFile(f).metadata.num_rows for f in line_files)
    passes = _passes(total)
    step = -(-LINE_PARTS // passes)
    dataset = ds.dataset(line_files, schema=schema.LINE_COUNTS, format="parquet") if line_files else None
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for lo in range(0, LINE_PARTS, step):
        if dataset is None:
            break
        part = pc.field("part")
        table = dataset.to_table(
            filter=(part >= lo) & (part < lo + step), columns=["part", "group", "line_key", "n_docs"]
        )
        if not table.num_rows:
            continue
        # part follows from (group, line_key): one more key changes no sum
        summed = table.group_by(["group", "line_key", "part"]).aggregate([("n_docs", "sum")])
        n = summed.column("n_docs_sum")
        floor = pa.array([MIN_LINE_DOCS] * len(n), pa.int64())
        candidates = summed.filter(pc.greater_equal(n, floor))
        counts.update(
            ((g, k), (p, c))
            for g, k, p, c in zip(
                candidates.column("group").to_pylist(),
                candidates.column("line_key").to_pylist(),
                candidates.column("part").to_pylist(),
                candidates.column("n_docs_sum").to_pylist(),
                strict=True,
            )
        )
    state = _BoilerplateState(
        lines=sorted(Path(d).name for d in line_dirs),
        rows=total,
        groups={g: [n, MIN_LINE_DOCS] for g, n in sorted(group_docs.items())},
        counts=counts,
    )
    return _boilerplate_rows(counts, group_docs, passes), state


def _usable_states(earlier: list[str] | tuple[str, ...], line_dirs: list[str]) -> list[str]:
    """Earlier boilerplate artifacts whose summed shards are all among `line_dirs`, the one summing most first."""
    import json
    from pathlib import Path

    names = {Path(d).name for d in line_dirs}
    usable: list[tuple[int, str]] = []
    for folder in earlier:
        try:
            made = json.loads((Path(folder) / BOILERPLATE_STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        summed = made.get("lines") if isinstance(made, dict) else None
        if isinstance(summed, list) and summed and set(summed) <= names:
            usable.append((-len(summed), str(folder)))
    return [f for _, f in sorted(usable)]


def _learn_incremental(folder: str, line_dirs: list[str]) -> tuple[list[dict[str, Any]], _BoilerplateState] | None:
    """The learned rows from an earlier artifact's kept counts plus the shards it did not sum; None when that cannot
    be exact (a group's floor passed its threshold, a key's count below the floor needed): then every shard is read."""
    from pathlib import Path

    import pyarrow.parquet as pq

    old = _read_state(Path(folder))
    if old is None:
        return None
    summed = set(old.lines)
    added = [d for d in line_dirs if Path(d).name not in summed]
    group_docs = {g: v[0] for g, v in old.groups.items()}
    floors = {g: v[1] for g, v in old.groups.items()}
    new_docs: Counter[str] = Counter()
    new_counts: dict[tuple[str, str], list[int]] = {}  # (group, key) -> [part, documents] in the added shards
    rows = old.rows
    for d in added:
        t = pq.ParquetFile(Path(d) / "groups.parquet").read()
        new_docs.update(dict(zip(t.column("group").to_pylist(), t.column("n_docs").to_pylist(), strict=True)))
        lines = pq.ParquetFile(Path(d) / "lines.parquet")
        rows += lines.metadata.num_rows
        t = lines.read(columns=["part", "group", "line_key", "n_docs"])
        for p, g, k, n in zip(*(t.column(c).to_pylist() for c in ("part", "group", "line_key", "n_docs")), strict=True):
            have = new_counts.setdefault((g, k), [p, 0])
            have[1] += n
    counts = dict(old.counts)
    for gk, (part, n) in new_counts.items():
        g = gk[0]
        if g not in group_docs:  # a group no summed shard had: every count of its keys is the added shards'
            if n >= MIN_LINE_DOCS:
                counts[gk] = (part, n)
        elif gk in counts:
            counts[gk] = (part, counts[gk][1] + n)
    for g, n in new_docs.items():
        if g in group_docs:
            floors[g] += n
        else:
            floors[g] = MIN_LINE_DOCS
        group_docs[g] = group_docs.get(g, 0) + n
    for g, docs in group_docs.items():
        if docs >= MIN_GROUP_DOCS and floors[g] > max(MIN_LINE_DOCS, math.ceil(MIN_LINE_SHARE * docs)):
            return None  # a key below the floor may have reached the threshold
    counts = {gk: v for gk, v in counts.items() if v[1] >= floors[gk[0]]}
    learned = _boilerplate_rows(counts, group_docs, _passes(rows))
    for r in learned:  # a learned key's n_docs is its normalized key's count (learn_boilerplate): is that one known?
        gk = (r["group"], r["line_key"])
        if gk not in counts and floors[gk[0]] > MIN_LINE_DOCS:
            return None
    state = _BoilerplateState(
        lines=sorted(Path(d).name for d in line_dirs),
        rows=rows,
        groups={g: [group_docs[g], floors[g]] for g in sorted(group_docs)},
        counts=counts,
        added=len(added),
    )
    return learned, state


def _write_state(out: Path, state: _BoilerplateState) -> None:
    import json

    from tasks import schema
    from tasks.common import rows_to_table, write_table

    rows = [{"part": p, "group": g, "line_key": k, "n_docs": n} for (g, k), (p, n) in state.counts.items()]
    write_table(rows_to_table(rows, schema.LINE_COUNTS), out / BOILERPLATE_COUNTS_FILE, ["group", "line_key"])
    made = {"lines": state.lines, "rows": state.rows, "groups": state.groups}
    (out / BOILERPLATE_STATE_FILE).write_text(json.dumps(made, sort_keys=True, ensure_ascii=False), encoding="utf-8")


def _read_state(folder: Path) -> _BoilerplateState | None:
    import json

    import pyarrow.parquet as pq

    try:
        made = json.loads((folder / BOILERPLATE_STATE_FILE).read_text(encoding="utf-8"))
        t = pq.ParquetFile(folder / BOILERPLATE_COUNTS_FILE).read()
    except (OSError, ValueError):
        return None
    counts = {
        (g, k): (p, n)
        for p, g, k, n in zip(*(t.column(c).to_pylist() for c in ("part", "group", "line_key", "n_docs")), strict=True)
    }
    return _BoilerplateState(lines=made["lines"], rows=made["rows"], groups=made["groups"], counts=counts)

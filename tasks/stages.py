"""Every stage declared once: its name, what it reads and writes, its runner, what versions it.

From a declaration come the Prefect task (`tasks.steps.task_for`), the cache key (`step_key`:
the stage's code version + the keys or bytes of what it reads + the parameters that change its
output) and the flow's wiring (`flows/pipeline.py` submits stages by name). Adding a stage means
writing its module(s) and one `Stage(...)` entry in `STAGES`; see CONTRIBUTING.md.

The code version is computed from what the stage really executes: the import closure of its
runner's module inside the `tasks` package, each module hashed as its syntax tree without
docstrings (comments never reach the tree), plus the data files and library versions that
shape the output and the schemas it writes. Editing a comment re-executes nothing; changing a
helper re-executes exactly the stages whose closure contains it, and what reads their output.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, util
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from tasks import schema

TASKS_DIR = Path(__file__).resolve().parent
PACKAGE = "tasks"

# Plumbing every stage passes through but whose edits never change an artifact's bytes: the
# declarations themselves, Prefect wrappers, the worker pool, process hygiene and the schema
# module (the schemas a stage writes are hashed directly, so a doc edit of one table does not
# re-run every stage).
NOT_CODE = frozenset(
    {"tasks.stages", "tasks.steps", "tasks.calls", "tasks.pool", "tasks.procs", "tasks.schema", "tasks.publish"}
)


# What a patching export (tasks.export on a shard exported before) adds to a worker before the pool
# has measured one. Session 13 set 256: 1.6x the largest first call seen, 158 MB in a fresh worker on the
# 20k bench's +1 % run — imports included (~150 MB of pyarrow, numpy, pandas and the stage modules), which
# since session 51 are the worker's size, not the call's growth. Measured since: 69 MiB replayed in a fresh
# worker at 5k (session 51), 0-2 MiB in the 5k +1 % runs' patching calls (session 52, 16 calls). 128 is
# ~2x the largest; at 256 every +1 % 20k run (restarted from a cold output's growth file, which has no
# patch figure) replaced a worker that held 593-601 MB before export (600 + 1.25 x 256 > 900). Shards are
# bounded in size (--shard-docs / --shard-mb), so this does not grow with the corpus.
PATCH_EXPORT_MB = 128
# What an incremental reuse part call adds to a worker until the pool has measured one (the first +1 %
# run after a cold run; every +1 % run of bench.scale plus). Judged on the cold parts' growth instead
# (5k: +220 MiB, more at 20k), a worker left at 448-523 MB by extract and annotate is replaced before the
# +1 % run's reuse parts once held + GROWTH_MARGIN x that figure passes the budget (session 49's 20k
# +1 % runs replaced two before tasks.reuse). 5k +1 % with the cold figure set to 420 MiB (session 50):
# a worker at 391 MB replaced, its first reuse part 0.74 CPU-s against 0.23-0.29 (imports), reuse_part
# 1.9-2.2 -> 2.5 CPU-s. Measured at 5k +1 %: at most +79 MiB a call (cold parts +149-221); an
# incremental call's texts are those of its parts' dirty pairs, within tasks.reuse.TEXT_CACHE_CHARS
# (~130 MB), so the figure leaves room for a larger corpus. A larger measured figure replaces it.
INCREMENTAL_REUSE_MB = 200
# What an incremental annotate call (an old shard re-run because its canonical copies moved: the documents an
# earlier artifact of the same normalize and extract artifacts annotated are copied from it) adds to a worker
# until the pool has measured one (the first +1 % run after a cold run). Judged on the cold calls' growth
# instead (20k: +310 MiB, a shard's every canonical text segmented), the first 20k +1 % run of session 50
# replaced both workers (held 522-582 MB after repair and reuse) before its annotate calls: two fresh
# workers' imports and dictionaries, annotate 8.5 CPU-s against 4.0 in the run that replaced none.
# Measured at 5k +1 % (session 51): incremental calls +37-52 MiB in a worker that holds the segmenter; a call
# that annotates documents in one that does not loads it (the new shard's 30 canonicals: +128 MiB). A larger
# measured figure replaces it.
INCREMENTAL_ANNOTATE_MB = 160
# What the cold dedupe call adds to a worker before the pool has measured one (a cold run on a new
# OUT): 20k bench, 2 threads, session 24: +529 MiB (395 -> 924 in a worker that had run signatures;
# one thread +236); 100k in shard-sized files, one process: +554. Judged on it, a worker left at
# ~400 MB by the shard stages is replaced by a fresh one first (a spawn, ~1-2 s), so the call peaks
# under 1 GB whatever the worker ran before; without it, only a worker above RECYCLE_MB was.
DEDUPE_CALL_MB = 560


@dataclass(frozen=True)
class Stage:
    """One step of the DAG. `runner` is "module:function"; it is called in a worker process as
    `runner(inputs, out_dir, **params)` and returns a small JSON-able stats dict."""

    name: str
    scope: Literal["shard", "global"]
    runner: str
    reads: tuple[str, ...]
    writes: dict[str, pa.Schema] = field(default_factory=dict)
    params: tuple[str, ...] = ()
    runtime: tuple[str, ...] = ()  # settings passed to the runner that bound a run but never change an artifact
    libraries: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    tag: str = ""
    # How a shard stage reads a global stage it names in `reads` (default: the whole artifact
    # folder, keyed by the global step's key): "module:function" called in the flow as
    # `view(global_result, shard_index, shard_results)` -> (runner inputs, key parts), where
    # shard_results holds this shard's results of the shard stages in `reads`. A view that keys
    # on the shard's own slice (its part's digest) re-runs only the shards whose slice changed.
    views: dict[str, str] = field(default_factory=dict)
    # "module:function"(stage, state_dir, rebuild) -> extra runner arguments that are shortcuts, never
    # part of the key (the previous dedupe index; earlier artifacts to copy unchanged documents from)
    hints: str = ""
    # "module:function"(state_dir, result), called once the run's release is published
    after_publish: str = ""
    # A global stage whose work splits into independent parts (tasks.steps spreads them over the
    # worker pool, a few calls per worker): `plan`(inputs, **params) -> {part id: weight} names the
    # parts (ids are file-name safe; weight ~ cost, e.g. input bytes); the runner is then called
    # once per part as `runner(inputs, part_dir, part=id, **params)` -> stats, writing only that
    # part's files (the artifact's layout, under part_dir); `finish`(inputs, out_dir, parts,
    # **params), parts = {part id: its stats}, assembles the rest and returns the step's stats.
    # A part is kept once all its files are in place, so a rerun after a crash runs only the rest.
    plan: str = ""
    finish: str = ""
    # "module:function"(inputs, params) -> the kind of this call ("" for the plain kind), computed in
    # the flow before the call: the worker pool judges and records its memory growth under the runner
    # plus that kind (tasks.pool.KIND), so a light kind of call (an export patching an earlier file,
    # +~100 MB) is not judged on the heavy kind's growth (a cold export, +~507 MB at 20k).
    memory_kind: str = ""
    # A figure for a kind of call the pool has not measured yet ((kind, MiB), ...): without one, an
    # unmeasured kind is judged on the runner's own (heavier) growth, so the first +1 % run after a
    # cold run replaced two workers before its first patching exports (session 13's 20k bench,
    # ~1-2 s of its 21 s). Within a run a larger measurement replaces it; the next run is judged on the
    # measured figure (flows.pipeline._save_growth), larger or smaller.
    memory_kind_growth: tuple[tuple[str, int], ...] = ()
    # The same for the runner's plain calls (MiB): a global step runs once per run, so the pool's own
    # measurement comes too late for the cold run that needs it (DEDUPE_CALL_MB).
    memory_growth: int = 0
    # Stages whose calls leave resident the tables this stage's cold calls build on first use (annotate: extract's
    # segmenter, dictionaries and gazetteer): such a call (memory kind "", the step's whole shard) prefers a worker
    # that ran one of them (tasks.pool.run's `prefer`). A nightly run's new shard's annotate otherwise landed on the
    # worker that had not run its extract and paid ~1 CPU-s of set-up again (session 52, three runs of three).
    warm_with: tuple[str, ...] = ()
    # "module:function"(inputs, params) -> bool: whether a call of a named memory kind (cheap, few documents) still
    # builds the `warm_with` tables (annotate: an old shard's incremental call with a new canonical to annotate). Such
    # a call prefers warm workers too, held even while others are (tasks.pool.run's `prefer_short`): at 20k six of
    # thirteen old-shard calls annotated 1-3 documents and the first on the cold worker paid ~1 CPU-s of set-up
    # for ~0.1 s of work (session 54).
    warm_when: str = ""

    def __post_init__(self) -> None:
        if bool(self.plan) != bool(self.finish) or (self.plan and self.scope != "global"):
            raise ValueError(f"stage {self.name!r}: a partitioned stage is global and declares both plan and finish")

    @property
    def module(self) -> str:
        return self.runner.split(":", 1)[0]

    @property
    def function(self) -> str:
        return self.runner.split(":", 1)[1]

    @property
    def modules(self) -> list[str]:
        """The modules whose code makes the artifact: the runner's, plus the plan's and finish's."""
        return sorted({ref.split(":", 1)[0] for ref in (self.runner, self.plan, self.finish) if ref})


STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage(
            "ingest",
            "shard",
            "tasks.ingest:ingest_shard",
            reads=("files",),
            writes={"docs.parquet": schema.INGEST_DOCS, "rejects.parquet": schema.REJECTS},
            params=("max_doc_bytes",),
            libraries=("trafilatura", "charset-normalizer", "lxml"),
            tag="ingest",
        ),
        Stage(
            "lines",
            "shard",
            "tasks.normalize:line_counts_shard",
            reads=("ingest",),
            writes={"lines.parquet": schema.LINE_COUNTS, "groups.parquet": schema.GROUP_COUNTS},
            libraries=("opencc",),
            tag="normalize",
        ),
        Stage(
            "boilerplate",
            "global",
            "tasks.boilerplate:learn_boilerplate_shards",
            reads=("lines",),
            # counts.parquet and state.json: what the next run's learning adds its new shards' counts to
            writes={"boilerplate.parquet": schema.BOILERPLATE, "counts.parquet": schema.LINE_COUNTS},
            libraries=("opencc",),
            tag="normalize",
            hints="tasks.stages:earlier_artifacts",
        ),
        Stage(
            "normalize",
            "shard",
            "tasks.normalize:normalize_shard",
            reads=("ingest", "boilerplate"),
            writes={
                "docs.parquet": schema.NORMALIZED_DOCS,
                "removed_lines.parquet": schema.REMOVED_LINES,
                "rejects.parquet": schema.REJECTS,
            },
            params=("min_chars",),
            runtime=("doc_seconds",),
            libraries=("opencc", "pypinyin"),
            tag="normalize",
            views={"boilerplate": "tasks.stages:boilerplate_of_groups"},
        ),
        Stage(
            "extract",
            "shard",
            "tasks.extract:extract_shard",
            reads=("normalize",),
            writes={"fields.parquet": schema.EXTRACTED, "memo.parquet": schema.EXTRACT_MEMO},
            runtime=("doc_seconds",),
            libraries=("jieba", "rjieba", "cn2an", "jionlp", "numpy"),
            data=("data/extract",),
            tag="extract",
            hints="tasks.stages:earlier_artifacts",
        ),
        Stage(
            "signatures",
            "shard",
            "tasks.dedupe:signature_shard",
            reads=("normalize",),
            writes={"signatures.parquet": schema.SIGNATURES},
            libraries=("numpy",),
            tag="dedupe",
        ),
        Stage(
            "dedupe",
            "global",
            "tasks.dedupe_cluster:cluster_shards",
            reads=("signatures",),
            writes={
                "duplicates.parquet": schema.DUPLICATES,
                "assignments": schema.ASSIGNMENTS,
                "shared": schema.SHARED_CLUSTERS,
            },
            libraries=("numpy", "pyarrow"),
            tag="dedupe",
            hints="tasks.stages:previous_dedupe_index",
            after_publish="tasks.stages:remember_dedupe_index",
            memory_growth=DEDUPE_CALL_MB,
        ),
        Stage(
            "members",
            "shard",
            "tasks.repair:cluster_members_shard",
            reads=("normalize", "extract", "dedupe"),
            writes={
                "members": schema.MEMBERS,
                "canonical.parquet": schema.CANONICAL,
                "listing.parquet": schema.CANONICAL_LISTING,
                "anchors.parquet": schema.ANCHORS,
            },
            tag="repair",
            views={"dedupe": "tasks.stages:assignments_and_shared"},
            hints="tasks.stages:earlier_artifacts",
        ),
        Stage(
            "repair",
            "global",
            "tasks.repair:repair_part",
            reads=("members",),
            writes={"best_texts": schema.SPEECHES, "repairs": schema.REPAIRS, "memo": schema.CLUSTER_MEMO},
            tag="repair",
            hints="tasks.stages:earlier_artifacts",
            plan="tasks.repair:repair_plan",  # its REPAIR_PARTS hash parts of clusters, spread over the workers
            finish="tasks.repair:repair_finish",
        ),
        Stage(  # reuse, phase 1 of 2: anchors grouped by hash partition -> hits, spread over the workers
            "reuse_hits",
            "global",
            "tasks.reuse:hits_part",
            reads=("members",),
            tag="repair",
            hints="tasks.stages:earlier_artifacts",
            plan="tasks.reuse:hits_plan",
            finish="tasks.reuse:hits_finish",
        ),
        Stage(  # phase 2: hits grouped by document -> rows, per output part (a range of doc_id_a)
            "reuse",
            "global",
            "tasks.reuse:reuse_part",
            reads=("members", "reuse_hits"),
            writes={"reuse": schema.REUSE, "reuse_formulae": schema.REUSE_FORMULAE},
            tag="repair",
            hints="tasks.stages:earlier_artifacts",
            plan="tasks.reuse:reuse_plan",
            finish="tasks.reuse:reuse_finish",
            memory_kind="tasks.stages:reuse_kind",
            memory_kind_growth=(("incremental", INCREMENTAL_REUSE_MB),),
        ),
        Stage(  # the side tables, of each cluster's canonical copy only (tasks.annotate's doc)
            "annotate",
            "shard",
            "tasks.annotate:annotate_shard",
            reads=("normalize", "extract", "dedupe"),
            writes={
                **{f"{t}.parquet": schema.TABLES[t] for t in schema.EXTRACT_TABLES},
                "memo.parquet": schema.ANNOTATE_MEMO,
            },
            params=("top_k",),
            runtime=("doc_seconds",),
            libraries=("jieba", "rjieba", "cn2an", "jionlp", "numpy"),
            data=("data/extract",),
            tag="extract",
            views={"dedupe": "tasks.stages:canonical_of_part"},
            hints="tasks.stages:earlier_artifacts",
            memory_kind="tasks.stages:annotate_kind",
            memory_kind_growth=(("incremental", INCREMENTAL_ANNOTATE_MB),),
            # extract only: an incremental annotate call that annotates nothing (an old shard whose canonicals only
            # shrank) no longer imports extraction's modules, so a worker that ran one holds none of its tables
            warm_with=("extract",),
            warm_when="tasks.stages:annotate_builds",
        ),
        Stage(
            "export",
            "shard",
            "tasks.export:export_shard",
            reads=("normalize", "extract", "annotate", "dedupe", "roots"),  # roots: where the files are now
            writes={f"{t}.parquet": schema.TABLES[t] for t in schema.SHARD_TABLES},
            params=("pipeline_version",),
            libraries=("pyarrow",),
            tag="export",
            views={"dedupe": "tasks.stages:assignments_part"},
            hints="tasks.stages:earlier_exports",
            memory_kind="tasks.stages:export_kind",
            memory_kind_growth=(("patch", PATCH_EXPORT_MB),),
        ),
    )
}


# ----------------------------------------------------------------------------- wiring


def resolve(ref: str) -> Callable[..., Any]:
    """The function a "module:function" reference names."""
    import importlib

    module, function = ref.split(":", 1)
    return getattr(importlib.import_module(module), function)


def topological() -> list[str]:
    """Stage names, each after every stage it reads; among stages ready together, the one with the
    longer chain of stages after it first (then declaration order).

    The flow submits ready stages in this order and the pool runs calls first come, first served:
    signatures (-> dedupe, one long global call -> members ...) go before extract, so dedupe runs on
    one worker while the other still extracts, instead of starting after the last extract shard
    (20k bench: dedupe's 157 s single call ran with the second core idle)."""
    depth = downstream_depth()
    done: list[str] = []
    todo = list(STAGES)
    while todo:
        ready = [s for s in todo if all(r in done or r not in STAGES for r in STAGES[s].reads)]
        if not ready:
            raise ValueError(f"the stage declarations have a cycle among {todo}")
        done += sorted(ready, key=lambda s: -depth[s])
        todo = [s for s in todo if s not in ready]
    return done


def call_priority(stage: str, rank: int = 0) -> tuple[int, int, int, int]:
    """The pool's order for calls waiting for a worker (higher first): the longer chain of stages
    after the stage, then a global stage's calls before shard calls (one global call holds up every
    stage after it), then the longer chain before the stage, then the step's rank among its stage's
    (steps.Job.rank: a new shard's first). 20k bench: dedupe's single 157 s call waited behind every
    queued extract shard (both have 3 stages after them: the global call still goes first).

    The chain after comes before the scope: repair and reuse end the run (nothing reads them), annotate
    does not (export reads it), and with global first a +1 % run's annotate calls waited behind every
    repair and reuse part, then export behind them (20k, this machine: the last annotate calls ran after
    the last reuse part, export 10 s after that). The chain before breaks ties between stages that both
    end the run: reuse (after reuse_hits) became ready later than repair and has its plan and finish
    calls still to run one at a time, so its parts go ahead of repair's queued ones."""
    return (
        downstream_depth()[stage],
        int(STAGES[stage].scope == "global"),
        upstream_height()[stage],
        rank,
    )  # a dozen stages: no cache (plugins register more)


def upstream_height() -> dict[str, int]:
    """Stage -> the number of stages on the longest chain it reads, directly or not (0: none)."""
    height: dict[str, int] = {}

    def of(s: str, seen: tuple[str, ...] = ()) -> int:
        if s in seen:
            raise ValueError(f"the stage declarations have a cycle through {s}")
        if s not in height:
            height[s] = max((1 + of(r, (*seen, s)) for r in STAGES[s].reads if r in STAGES), default=0)
        return height[s]

    for s in STAGES:
        of(s)
    return height


def downstream_depth() -> dict[str, int]:
    """Stage -> the number of stages on the longest chain that reads it, directly or not (0: none)."""
    readers: dict[str, list[str]] = {s: [] for s in STAGES}
    for name, st in STAGES.items():
        for r in st.reads:
            if r in readers:
                readers[r].append(name)
    depth: dict[str, int] = {}

    def of(s: str, seen: tuple[str, ...] = ()) -> int:
        if s in seen:
            raise ValueError(f"the stage declarations have a cycle through {s}")
        if s not in depth:
            depth[s] = max((1 + of(r, (*seen, s)) for r in readers[s]), default=0)
        return depth[s]

    for s in STAGES:
        of(s)
    return depth


@cache
def _boilerplate_digests(folder: str) -> dict[str, str]:
    """tasks.normalize.boilerplate_digests, restated (tests/test_overhead.py checks they agree): importing
    tasks.normalize would load opencc, pypinyin and numpy into the flow process for a few lines of pyarrow."""
    import pyarrow.parquet as pq

    from tasks.common import stable_hash

    table = pq.ParquetFile(Path(folder) / "boilerplate.parquet").read(
        columns=["group", "line_key"]
    )  # read_table loads pandas
    keys: dict[str, list[str]] = {}
    for g, k in zip(table.column("group").to_pylist(), table.column("line_key").to_pylist(), strict=True):
        keys.setdefault(g, []).append(k)
    return {g: stable_hash(sorted(v))[:16] for g, v in keys.items()}


def boilerplate_of_groups(result: dict, index: int, shard: dict[str, dict]) -> tuple[dict, list]:
    """Normalize reads the learned boilerplate, keyed on the digests of its own groups only."""
    digests = _boilerplate_digests(result["dir"])
    return {"boilerplate": result["dir"]}, [sorted((g, digests.get(g)) for g in shard["ingest"]["groups"])]


def assignments_part(result: dict, index: int, shard: dict[str, dict]) -> tuple[dict, list]:
    """The dedupe step's assignments part of the index-th shard, keyed by that part's digest."""
    part = str(Path(result["dir"]) / "assignments" / f"{index:05d}.parquet")
    return {"dedupe": part}, [result["part_digests"][str(index)]]


def canonical_of_part(result: dict, index: int, shard: dict[str, dict]) -> tuple[dict, list]:
    """The index-th shard's assignments part, keyed by its doc_id and is_canonical columns only: annotate
    re-runs a shard when its canonicals change, not when a new copy rewrites its members' dup_of figures."""
    inputs, _ = assignments_part(result, index, shard)
    return inputs, [_columns_digest(Path(inputs["dedupe"]), ("doc_id", "is_canonical"))]


# What the members step reads of a shard's assignments part (tasks.repair.cluster_members_shard).
MEMBERS_ASSIGNMENT_COLUMNS = ("doc_id", "cluster_id", "is_canonical")


def assignments_and_shared(result: dict, index: int, shard: dict[str, dict]) -> tuple[dict, list]:
    """Its assignments part plus the duplicates table, keyed by what the members step reads of them:
    the part's doc_id, cluster_id and is_canonical columns and the shard's clusters that have copies
    in other shards. Not by the whole part: a new copy elsewhere rewrites the dup_of / matched figures
    of its cluster's members, and keyed on the part's bytes every shard holding a copy of a changed
    cluster re-ran (25 of 25 calls in a +1 % run at 20k) with the rows it writes unchanged.
    The digest is of the columns' compressed bytes (footer and those column chunks, nothing decoded:
    the writer is deterministic, so equal values give equal bytes)."""
    inputs, _ = assignments_part(result, index, shard)
    # the shard's own list of them (session 26): the whole duplicates table has the same column and
    # gives the same rows, but reading it made each members call O(corpus)
    shared = Path(result["dir"]) / "shared" / f"{index:05d}.parquet"
    duplicates = str(shared if shared.exists() else Path(result["dir"]) / "duplicates.parquet")
    columns = _columns_digest(Path(inputs["dedupe"]), MEMBERS_ASSIGNMENT_COLUMNS)
    return {**inputs, "duplicates": duplicates}, [columns, result["shared_digests"][str(index)]]


def _columns_digest(path: Path, columns: tuple[str, ...]) -> str:
    """Digest of the named columns of a Parquet file from their compressed column chunks (and the
    schema, row group sizes): what tasks.repair._input_identity computes, here so the flow does
    not import the repair module (numpy, the segmenter's rules) to key a shard."""
    import pyarrow.parquet as pq

    h = hashlib.sha256()
    pf = pq.ParquetFile(path)
    md = pf.metadata
    h.update(str(pf.schema_arrow.remove_metadata()).encode())
    with open(path, "rb") as f:
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            h.update(str(rg.num_rows).encode())
            for c in range(rg.num_columns):
                col = rg.column(c)
                if col.path_in_schema.split(".")[0] not in columns:
                    continue
                start = col.data_page_offset
                if col.has_dictionary_page and col.dictionary_page_offset:
                    start = min(start, col.dictionary_page_offset)
                f.seek(start)
                h.update(col.path_in_schema.encode())
                h.update(f.read(col.total_compressed_size))
    return h.hexdigest()[:32]


@dataclass(frozen=True)
class ByShard:
    """A shard stage's earlier artifacts by the shard each was made for (`_done.json`'s "shard";
    "" when it does not say: made before it was recorded). The flow hands each step
    `for_shard(its id, the plan's ids)`, not every artifact: a re-run shard's runner reads what
    it lends from (annotate's and extract's memos, members' sources) in those artifacts only.
    Handed every artifact, each call read one memo per shard of the corpus: O(corpus) per call,
    O(shards x corpus) per run (100k +1 %: 78 annotate calls each decoding ~37 k digests of 113
    memos; at a million documents ~2 s a call, session 26)."""

    artifacts: tuple[tuple[str, str], ...]  # (artifact folder, shard id or "")

    def for_shard(self, shard: str, plan: frozenset[str] | set[str]) -> list[str]:
        """The shard's own earlier artifacts, plus those of shards no longer planned and those of
        unknown shard (a file whose boundary moved took its pages there); every artifact for a
        shard that has none of its own (a new shard: its pages may have been in any)."""
        if not any(s == shard for _, s in self.artifacts):
            return [d for d, _ in self.artifacts]
        return [d for d, s in self.artifacts if s == shard or s not in plan]

    def __len__(self) -> int:
        return len(self.artifacts)


def earlier_artifacts(stage: str, state_dir: str, rebuild: bool) -> dict[str, Any]:
    """Complete artifacts of `stage` made by its current code: a shard runner copies from them the
    documents whose inputs are unchanged (per-document reuse inside a re-run shard). For a shard
    stage, by shard (`ByShard`): the flow narrows them per step."""
    if rebuild:
        return {"earlier": []}
    found: list[tuple[str, str]] = []
    version = code_version(stage)
    for done in sorted((Path(state_dir) / "artifacts" / stage).glob("*/_done.json")):
        try:
            made = json.loads(done.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(made, dict) and made.get("code_version") == version:
            shard = made.get("shard")
            found.append((str(done.parent), shard if isinstance(shard, str) else ""))
    if STAGES[stage].scope == "shard":
        return {"earlier": ByShard(tuple(found))}
    return {"earlier": [d for d, _ in found]}


def earlier_exports(stage: str, state_dir: str, rebuild: bool) -> dict[str, Any]:
    """`earlier_artifacts` for export, indexed by what each was made from (`export_source_key`): a
    re-run shard finds its match in one lookup. Scanning every earlier artifact's `_done.json` per
    shard was quadratic in the number of shards, and a nightly run re-runs every shard's export."""
    from tasks.common import export_source_key

    if rebuild:
        return {"earlier": {}}
    found: dict[str, str] = {}
    version = code_version(stage)
    for done in sorted((Path(state_dir) / "artifacts" / stage).glob("*/_done.json")):
        try:
            made = json.loads(done.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        sources = made.get("sources") if isinstance(made, dict) else None
        if made.get("code_version") == version and isinstance(sources, dict):
            found.setdefault(export_source_key(sources), str(done.parent))  # the first in sorted order, as a scan
    return {"earlier": found}


def input_mb(inputs: dict[str, Any]) -> float:
    """The MB of files a shard step reads: each input that is a file, the files directly inside each that is
    a folder (an artifact), of lists of them too. What the pool scales a call's judged memory growth by
    (tasks.pool.PER_MB); a stat per file in the flow, a few dozen a call."""
    total = 0
    for value in inputs.values():
        for item in value if isinstance(value, list | tuple) else (value,):
            if not isinstance(item, str | Path):
                continue
            try:
                if Path(item).is_file():
                    total += Path(item).stat().st_size
                    continue
                with os.scandir(item) as entries:
                    total += sum(e.stat().st_size for e in entries if e.is_file())
            except OSError:
                continue
    return round(total / 1e6, 3)


def export_kind(inputs: dict[str, Any], params: dict[str, Any]) -> str:
    """The kind "patch" when the flow's index of earlier exports (`earlier_exports`) has one made from this
    call's sources: tasks.export then links or patches that artifact's files (+~100 MB a call at 20k)
    instead of writing the shard (+~507 MB). The sources are built as `export_shard` builds them; a
    mismatch only gives "" (the cold kind's larger figure), never a smaller one than the call needs.
    Computed here rather than in tasks.export: a change there would change export's code version."""
    from tasks.common import export_source_key

    earlier = params.get("earlier")
    if not isinstance(earlier, dict) or not earlier or "normalize" not in inputs or "extract" not in inputs:
        return ""
    sources = {
        "normalize": Path(inputs["normalize"]).name,
        "extract": Path(inputs["extract"]).name,
        "pipeline_version": params.get("pipeline_version"),
    }
    return "patch" if export_source_key(sources) in earlier else ""


def annotate_kind(inputs: dict[str, Any], params: dict[str, Any]) -> str:
    """The kind "incremental" when one of the step's earlier annotate artifacts was made from this call's
    normalize and extract artifacts with its top_k (its `_done.json` "sources", as
    `tasks.annotate._same_sources_memo` finds it): the call then copies that artifact's documents (their
    texts not even read) and annotates only the documents it does not hold, a handful on a nightly run.
    Otherwise "" (the cold kind: every canonical document may be annotated). Read in the flow from the
    `_done.json` of the step's own earlier artifacts (`ByShard` narrows them to the shard's)."""
    try:
        sources = {
            "normalize": Path(inputs["normalize"]).name,
            "extract": Path(inputs["extract"]).name,
            "top_k": params.get("top_k"),
        }
    except (KeyError, TypeError):
        return ""
    earlier = params.get("earlier")
    for folder in earlier if isinstance(earlier, list | tuple) else ():
        try:
            made = json.loads((Path(folder) / "_done.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            continue
        if isinstance(made, dict) and made.get("sources") == sources:
            return "incremental"
    return ""


def annotate_builds(inputs: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether an incremental annotate call has a canonical document to annotate: one of its part's canonical
    documents that no earlier artifact of the same sources holds in its memo (`tasks.annotate._same_sources_memo`
    copies the others). Only such a call imports extraction and builds its tables (~1 CPU-s on a worker that has
    not: session 53); the others copy rows. Read in the flow: the part's two columns and those memos' doc ids
    (a few ms a call; the flow does not import tasks.annotate, whose closure it would load)."""
    import pyarrow.parquet as pq

    try:
        sources = {
            "normalize": Path(inputs["normalize"]).name,
            "extract": Path(inputs["extract"]).name,
            "top_k": params.get("top_k"),
        }
        part = pq.ParquetFile(inputs["dedupe"]).read(columns=["doc_id", "is_canonical"])
    except (KeyError, TypeError, OSError, ValueError):
        return True  # unknown: as a cold call, it may build them
    # in Python, not pyarrow.compute: its first call in the flow process costs ~0.35 CPU-s (5k +1 %, session 55)
    wanted = [d for d, c in zip(part.column(0).to_pylist(), part.column(1).to_pylist(), strict=True) if c]
    held: set[str] = set()
    earlier = params.get("earlier")
    for folder in sorted(earlier) if isinstance(earlier, list | tuple) else ():
        try:
            made = json.loads((Path(folder) / "_done.json").read_text(encoding="utf-8"))
            if not isinstance(made, dict) or made.get("sources") != sources:
                continue
            memo = pq.ParquetFile(Path(folder) / "memo.parquet").read(columns=["doc_id", "digest"])
        except (OSError, ValueError, TypeError):
            continue
        for doc_id, digest in zip(memo.column(0).to_pylist(), memo.column(1).to_pylist(), strict=True):
            if digest and not digest.startswith("failed:"):
                held.add(doc_id)
    return any(d not in held for d in wanted)


def reuse_kind(inputs: dict[str, Any], params: dict[str, Any]) -> str:
    """The kind "incremental" when the reuse step's parts will lend the earlier artifact's rows and
    extend only the dirty pairs: the hits artifact was compared with an earlier one (its hits.json
    lists dirty pairs) and an earlier complete reuse artifact of the same reuse code was made from
    that one, as `tasks.reuse._reuse_base` finds it. Otherwise "" (every pair is computed: the cold
    kind). Read in the flow from two small JSON files per artifact; tasks.reuse is not imported."""
    try:
        meta = json.loads((Path(inputs["reuse_hits"]) / "hits.json").read_text(encoding="utf-8"))
    except (KeyError, TypeError, OSError, ValueError):
        return ""
    if not isinstance(meta, dict) or meta.get("dirty_pairs") is None or meta.get("base") is None:
        return ""
    version = reuse_code_version()
    for folder in params.get("earlier") or ():
        try:
            made = json.loads((Path(folder) / "reuse_parts.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (
            isinstance(made, dict)
            and (Path(folder) / "_done.json").exists()
            and made.get("version") == version
            and made.get("hits") == meta["base"]
        ):
            return "incremental"
    return ""


def reuse_code_version() -> str:
    """tasks.reuse._code_version() without importing the module (numpy, the dedupe kernels): the digest
    of its file's bytes, which an earlier reuse artifact records (reuse_parts.json: "version")."""
    spec = util.find_spec("tasks.reuse")
    if spec is None or spec.origin is None:
        return ""
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:16]


# tasks.dedupe_cluster's index pointer file (INDEX_POINTER) and its cold call's thread cap (MAX_THREADS),
# restated with the pointer's reading and writing (previous_index, remember_index) for the flow's hint and
# after-publish step: importing tasks.dedupe_cluster loaded pandas, numpy and the dedupe module into the flow
# process (~0.45-0.53 CPU-s) between the last signatures step and the dedupe call, the +1 % run's critical
# path (20k recording of 282956b: 0.62 s from the new shard's signatures seen to dedupe submitted, while the
# new shard's extract call waited 0.7 s to reach its idle worker). tests/test_stages.py checks they agree.
DEDUPE_INDEX_POINTER = "dedupe-state.json"
DEDUPE_MAX_THREADS = 2


def previous_dedupe_index(stage: str, state_dir: str, rebuild: bool) -> dict[str, Any]:
    """The index the last published run left, and the threads the call may use: shortcuts only,
    never part of the key (the output is the same bytes either way)."""
    from tasks import pool

    return {"prev_state": _previous_index(state_dir, rebuild), "threads": min(pool.workers(), DEDUPE_MAX_THREADS)}


def _previous_index(state_dir: str, rebuild: bool) -> str | None:
    """tasks.dedupe_cluster.previous_index: the index folder the pointer names, if it still exists."""
    pointer = Path(state_dir) / DEDUPE_INDEX_POINTER
    if rebuild or not pointer.exists():
        return None
    index = json.loads(pointer.read_text(encoding="utf-8")).get("state_dir")
    return index if index and Path(index).exists() else None


def remember_dedupe_index(state_dir: str, result: dict) -> None:
    """After publishing: the next run starts from this index (tasks.dedupe_cluster.remember_index)."""
    from tasks.common import write_json

    write_json({"state_dir": str(Path(result["dir"]) / "state")}, Path(state_dir) / DEDUPE_INDEX_POINTER)


# ----------------------------------------------------------------------------- code versions


def _module_path(module: str) -> Path | None:
    if module == PACKAGE or module.startswith(PACKAGE + "."):  # looked up on disk: find_spec would
        rel = module.split(".")[1:]  # import the parents, i.e. stage code and its libraries
        for path in (
            TASKS_DIR.joinpath(*rel[:-1], rel[-1] + ".py") if rel else None,
            TASKS_DIR.joinpath(*rel[:-1], rel[-1] + ".pyx") if rel else None,  # compiled at install (setup.py)
            TASKS_DIR.joinpath(*rel, "__init__.py"),
        ):
            if path is not None and path.is_file():
                return path
        return None
    spec = util.find_spec(module)
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def _is_module(name: str) -> bool:
    try:
        return _module_path(name) is not None
    except ImportError:  # `tasks.common.sha256_hex`: a name, not a module
        return False


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


# Parsed modules, by the sha256 of their bytes and the Python version (ast.dump's text is not
# stable across versions): a rerun reads and hashes each module (~1 ms) instead of parsing and
# dumping its syntax tree (~0.9 s of CPU for every stage's closure, measured on the 5k bench). It
# lives beside the bytecode Python caches for the same sources; a cache that cannot be read or
# written only costs the parse.
PARSE_CACHE = TASKS_DIR / "__pycache__" / "jianghua-code-versions.json"
_parse_cache: dict[str, list] | None = None


def _cached_parse(key: str) -> list | None:
    global _parse_cache
    if _parse_cache is None:
        try:
            _parse_cache = json.loads(PARSE_CACHE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _parse_cache = {}
    found = _parse_cache.get(key)
    return found if isinstance(found, list) and len(found) == 2 else None


def _remember_parse(key: str, value: list) -> None:
    import os

    assert _parse_cache is not None
    _parse_cache[key] = value
    tmp = PARSE_CACHE.with_name(f"{PARSE_CACHE.name}.{os.getpid()}.tmp")
    try:
        PARSE_CACHE.parent.mkdir(exist_ok=True)
        tmp.write_text(json.dumps(_parse_cache, sort_keys=True), encoding="utf-8")
        tmp.replace(PARSE_CACHE)  # atomic: a concurrent writer's entries are at worst parsed again
    except OSError:
        tmp.unlink(missing_ok=True)


@cache
def _parsed(module: str) -> tuple[str, frozenset[str]]:
    """(hash of the module's code without docstrings/comments, the tasks.* modules it imports)."""
    import sys

    path = _module_path(module)
    if path is None:
        raise ModuleNotFoundError(f"stage code module {module!r} not found")
    source = path.read_bytes()
    if path.suffix == ".pyx":  # Cython: its bytes (no Python syntax tree); it imports no tasks.* module
        return hashlib.sha256(source).hexdigest(), frozenset()
    key = f"{sys.version_info[0]}.{sys.version_info[1]}:{hashlib.sha256(source).hexdigest()}"
    # CPython < 3.11.8 (gh-106905): two threads building syntax trees at once fail ("AST constructor recursion depth
    # mismatch"), ast.parse here or numpy's .npy header parse (ast.literal_eval) in a stage's thread: the cache dict and
    # the parse under the lock tasks.common serialises literal_eval with (imported here, once a module: this function
    # is cached, and the flow imports tasks.common anyway)
    from tasks.common import AST_LOCK

    with AST_LOCK:
        found = _cached_parse(key)
        if found is None:
            digest, imported = _parse(source)
            _remember_parse(key, [digest, sorted(imported)])
        else:
            digest, imported = found[0], set(found[1])
    local = {m for m in imported if m.startswith(PACKAGE + ".") and _is_module(m)}
    return digest, frozenset(local - {PACKAGE})


def _parse(source: bytes) -> tuple[str, set[str]]:
    """The syntax tree's digest (docstrings stripped) and every module name it imports."""
    tree = ast.parse(source.decode("utf-8"))
    imports: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imports.add(node.module)
            # `from tasks import normalize_rules` imports a module, not a name
            imports.update(f"{node.module}.{a.name}" for a in node.names)
    digest = hashlib.sha256(ast.dump(_strip_docstrings(tree), include_attributes=False).encode()).hexdigest()
    return digest, imports


def code_closure(module: str) -> list[str]:
    """The tasks.* modules a stage's runner module executes, itself included (sorted)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        m = todo.pop()
        if m in seen or m in NOT_CODE:
            continue
        seen.add(m)
        todo.extend(_parsed(m)[1])
    return sorted(seen)


def _data_digest(folder: str) -> str:
    h = hashlib.sha256()
    root = TASKS_DIR / folder
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(TASKS_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def code_version(stage: str) -> str:
    """Hash of what the stage executes and what shapes its output (see the module docstring)."""
    s = STAGES[stage]
    closure = sorted({m for module in s.modules for m in code_closure(module)})
    parts: dict[str, Any] = {
        "stage": s.name,
        "code": {m: _parsed(m)[0] for m in closure},
        "function": s.function,
        "data": {d: _data_digest(d) for d in s.data},
        "libraries": {lib: _library_version(lib) for lib in s.libraries},
        "writes": {name: sch.serialize().to_pybytes().hex() for name, sch in sorted(s.writes.items())},
    }
    if s.plan:  # only partitioned stages: every other stage keeps its version
        parts |= {"plan": s.plan, "finish": s.finish}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def step_key(stage: str, *parts: Any) -> str:
    """Cache key of one step: stage, its code version, and what it reads and is told."""
    payload = json.dumps([stage, code_version(stage), parts], sort_keys=True, default=str)
    return f"{stage}-{hashlib.sha256(payload.encode()).hexdigest()[:24]}"


def upstream(stage: str) -> set[str]:
    """Every stage whose output flows into `stage` (transitively)."""
    out: set[str] = set()
    todo = [r for r in STAGES[stage].reads if r in STAGES]
    while todo:
        r = todo.pop()
        if r not in out:
            out.add(r)
            todo.extend(x for x in STAGES[r].reads if x in STAGES)
    return out


def downstream(stage: str) -> set[str]:
    """Stages that re-execute when `stage`'s code changes: itself and everything reading it."""
    return {stage} | {s for s in STAGES if stage in upstream(s)}

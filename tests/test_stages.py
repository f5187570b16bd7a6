"""Stage declarations: code versions follow what a stage executes, and nothing else."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tasks import stages
from tasks.stages import STAGES, code_closure, downstream

REPO = Path(__file__).resolve().parents[1]


# One process answers every _versions call of the file: each call forgets every `tasks` module, imports
# the package under the asked root afresh (no bytecode written: an edit within the same second as an
# earlier import could otherwise load a stale .pyc) and computes the versions there. A new interpreter
# a call spent ~2 CPU-s, mostly importing pyarrow and numpy, which are the same for every root.
VERSIONS_WORKER = r"""
import importlib, json, os, sys
sys.dont_write_bytecode = True
import pyarrow, numpy  # noqa: F401  (what every `tasks.stages` import pays; the same for every root)
for line in sys.stdin:
    root = line.rstrip("\n")
    for name in [m for m in sys.modules if m == "tasks" or m.startswith("tasks.")]:
        del sys.modules[name]
    sys.path.insert(0, root)
    os.chdir(root)
    importlib.invalidate_caches()
    try:
        from tasks.stages import STAGES, code_version
        assert os.path.dirname(sys.modules["tasks"].__file__) == os.path.join(root, "tasks")
        print(json.dumps({"versions": {s: code_version(s) for s in STAGES}}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    finally:
        sys.path.remove(root)
"""
_worker: list[subprocess.Popen] = []


def _versions(root: Path) -> dict[str, str]:
    """Every stage's code version as computed from the `tasks` package under `root`."""
    if not _worker or _worker[0].poll() is not None:
        _worker[:] = [
            subprocess.Popen(
                [sys.executable, "-c", VERSIONS_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        ]
    w = _worker[0]
    assert w.stdin is not None and w.stdout is not None
    w.stdin.write(f"{root}\n")
    w.stdin.flush()
    answer = json.loads(w.stdout.readline())
    assert "versions" in answer, answer
    return answer["versions"]


@pytest.fixture(scope="module", autouse=True)
def _stop_versions_worker():
    yield
    for w in _worker:
        w.stdin.close()  # type: ignore[union-attr]
        w.wait(timeout=60)
    _worker.clear()


@pytest.fixture(scope="module")
def original() -> dict[str, str]:
    return _versions(REPO)


@pytest.fixture
def cold_copy(tmp_path: Path) -> Path:
    """A copy of the `tasks` package without its caches: every module is parsed."""
    shutil.copytree(REPO / "tasks", tmp_path / "tasks", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.fixture
def copy(cold_copy: Path, original: dict[str, str]) -> Path:
    """A copy with the parse cache `original` left in the repo: only the modules a test edits are parsed
    (a cold copy parsed all ~40, ~1.5 CPU-s a version computation). The cache is keyed by a module's bytes
    and test_the_parse_cache_… proves cached and cold versions equal."""
    cache = REPO / "tasks" / "__pycache__" / stages.PARSE_CACHE.name
    assert cache.is_file(), "computing `original` writes the parse cache"
    (cold_copy / "tasks" / "__pycache__").mkdir()
    shutil.copyfile(cache, cold_copy / "tasks" / "__pycache__" / cache.name)
    return cold_copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_comments_and_docstrings_change_no_version(copy, original):
    for module in sorted({m for s in STAGES.values() for m in code_closure(s.module)}):
        path = copy / Path(*module.split(".")).with_suffix(".py")
        if not path.exists():  # a Cython module (tasks/_kernels.pyx): hashed as bytes, see below
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'"""(.*?)"""', lambda m: '"""' + m.group(1) + ' (reworded)"""', text, count=3, flags=re.S)
        path.write_text(text + "\n# a comment added at the end\n", encoding="utf-8")
    assert _versions(copy) == original


def test_a_helper_change_reruns_exactly_the_stages_that_execute_it(copy, original):
    # extract_text is a helper of extraction only — fields (extract) and side tables (annotate); the steps
    # after them re-run through their keys
    _edit(
        copy / "tasks" / "extract_text.py",
        "def clean_line(s: str) -> str:",
        "def clean_line(s: str) -> str:  # noqa\n    s = s.strip()\n",
    )
    changed = {s for s, v in _versions(copy).items() if v != original[s]}
    assert changed == {"extract", "annotate"}


def test_the_parse_cache_gives_the_same_versions_and_never_hides_an_edit(cold_copy, original):
    copy = cold_copy
    cache = copy / "tasks" / "__pycache__" / stages.PARSE_CACHE.name
    assert _versions(copy) == original  # cold: every module parsed, the cache written
    assert cache.is_file()
    assert _versions(copy) == original  # warm: served from the cache
    _edit(
        copy / "tasks" / "extract_text.py",
        "def clean_line(s: str) -> str:",
        "def clean_line(s: str) -> str:  # noqa\n    s = s.strip()\n",
    )
    edited = _versions(copy)  # the cache is keyed by the module's bytes: the edit is parsed
    assert {s for s, v in edited.items() if v != original[s]} == {"extract", "annotate"}
    cache.write_text("{damaged", encoding="utf-8")
    assert _versions(copy) == edited  # a damaged cache only costs the parse


def test_a_compiled_kernel_edit_reruns_the_stages_that_execute_it(copy, original):
    """tasks/_kernels.pyx is built at install; its source is part of the code version of every stage
    whose runner imports it (dedupe; repair's alignment, whose module also holds the members
    stage; reuse's winnowing, which its two stages run), byte for byte (Cython has no syntax tree here)."""
    assert "tasks._kernels" in code_closure(STAGES["dedupe"].module)
    _edit(copy / "tasks" / "_kernels.pyx", "s += w[r] & (-m)", "s += w[r] * m")
    changed = {s for s, v in _versions(copy).items() if v != original[s]}
    importers = {s for s in STAGES if "tasks._kernels" in code_closure(STAGES[s].module)}
    assert changed == importers == {"dedupe", "members", "repair", "reuse_hits", "reuse"}


def test_a_text_scan_kernel_edit_reruns_extraction_only(copy, original):
    """The gazetteer scans are compiled apart (tasks/_textscan.pyx): their edit re-runs the stages that scan
    texts for places (extract, annotate), a dedupe kernel's edit does not (the test above)."""
    _edit(copy / "tasks" / "_textscan.pyx", "found += 1", "found = found + 1")
    changed = {s for s, v in _versions(copy).items() if v != original[s]}
    importers = {s for s in STAGES if "tasks._textscan" in code_closure(STAGES[s].module)}
    assert changed == importers == {"extract", "annotate"}


def test_a_dedupe_threshold_change_reclusters(copy, original):
    _edit(copy / "tasks" / "dedupe.py", "MIN_CONTAINMENT = 0.8", "MIN_CONTAINMENT = 0.75")
    changed = {s for s, v in _versions(copy).items() if v != original[s]}
    assert "dedupe" in changed
    assert changed == {s for s in STAGES if "tasks.dedupe" in code_closure(STAGES[s].module)}


def test_a_schema_doc_edit_reruns_only_the_stages_that_write_that_table(copy, original):
    _edit(copy / "tasks" / "schema.py", '"Formula or campaign', '"A formula or a campaign')
    changed = {s for s, v in _versions(copy).items() if v != original[s]}
    assert changed == {"annotate", "export"}  # the slogans table is written by both


def test_ingest_does_not_execute_normalization_code():
    assert "tasks.normalize" not in code_closure(STAGES["ingest"].module)
    assert "tasks.extract" not in code_closure(STAGES["normalize"].module)


def test_downstream_follows_the_declared_reads():
    assert downstream("extract") == {"extract", "annotate", "members", "repair", "reuse_hits", "reuse", "export"}
    assert downstream("dedupe") >= {"annotate", "members", "export"}
    assert downstream("normalize") >= {"normalize", "extract", "signatures", "dedupe", "export"}
    assert "ingest" not in downstream("normalize")


@pytest.mark.parametrize(("workers", "threads"), [(0, 1), (1, 1), (2, 2), (5, 2)])
def test_the_dedupe_call_gets_threads_from_the_pool_size_capped(tmp_path, monkeypatch, workers, threads):
    """The cold dedupe call is the critical path: it takes the pool's idle cores (up to
    MAX_THREADS; inline — Dask, tests — one), and never as part of its key."""
    import inspect

    from tasks import pool
    from tasks.dedupe_cluster import MAX_THREADS, cluster_shards

    monkeypatch.delenv(pool.INLINE_ENV, raising=False)
    try:
        pool.configure(workers)
        hints = stages.previous_dedupe_index("dedupe", str(tmp_path), False)
    finally:
        pool.configure(0)
    assert MAX_THREADS == 2 and hints == {"prev_state": None, "threads": threads}
    assert set(hints) <= set(inspect.signature(cluster_shards).parameters)  # the runner takes every hint


def test_the_flows_dedupe_index_pointer_is_the_one_dedupe_reads_and_writes(tmp_path):
    """The flow restates tasks.dedupe_cluster's pointer and thread cap (so it never imports the module):
    each side reads what the other wrote, and the cap is the module's."""
    from tasks import dedupe_cluster

    assert (stages.DEDUPE_INDEX_POINTER, stages.DEDUPE_MAX_THREADS) == (
        dedupe_cluster.INDEX_POINTER,
        dedupe_cluster.MAX_THREADS,
    )
    state = tmp_path / "state"
    index = tmp_path / "artifacts" / "dedupe" / "dedupe-abc" / "state"
    index.mkdir(parents=True)
    assert stages.previous_dedupe_index("dedupe", str(state), False)["prev_state"] is None  # no pointer yet
    stages.remember_dedupe_index(str(state), {"dir": str(index.parent)})
    assert dedupe_cluster.previous_index(str(state), False) == str(index)
    assert stages.previous_dedupe_index("dedupe", str(state), True)["prev_state"] is None  # --rebuild
    other = tmp_path / "other" / "state"
    other.mkdir(parents=True)
    dedupe_cluster.remember_index(str(state), str(other))
    assert stages.previous_dedupe_index("dedupe", str(state), False)["prev_state"] == str(other)
    shutil.rmtree(other)  # an index deleted since: none, as dedupe_cluster says
    assert stages.previous_dedupe_index("dedupe", str(state), False)["prev_state"] is None
    assert dedupe_cluster.previous_index(str(state), False) is None


def test_the_flows_dedupe_hint_and_after_publish_load_no_stage_code(tmp_path):
    """Between the last signatures step and the dedupe call (a nightly run's critical path) the flow only
    reads the index pointer: importing tasks.dedupe_cluster there cost ~0.5 CPU-s (pandas, numpy)."""
    index = tmp_path / "dedupe-abc" / "state"
    index.mkdir(parents=True)
    code = (
        "import sys; from tasks import stages\n"
        f"stages.remember_dedupe_index({str(tmp_path)!r}, {{'dir': {str(index.parent)!r}}})\n"
        f"hints = stages.previous_dedupe_index('dedupe', {str(tmp_path)!r}, False)\n"
        "print(hints['prev_state']); print([n for n in ('tasks.dedupe_cluster', 'pandas') if n in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == [str(index), "[]"], out.stdout


def test_every_stage_names_a_real_runner_and_declared_reads():
    import importlib

    for s in STAGES.values():
        assert callable(getattr(importlib.import_module(s.module), s.function)), s.runner
        for r in s.reads:
            assert r in STAGES or r in ("files", "roots"), (s.name, r)
        assert s.scope in ("shard", "global")
    assert stages.step_key("ingest", 1) != stages.step_key("ingest", 2)


def test_stages_ready_together_start_with_the_longer_chain_after_them():
    """signatures -> dedupe (one long global call) -> members: submitted before extract, so dedupe
    runs beside the last extract shards instead of after them."""
    order = stages.topological()
    for i, name in enumerate(order):  # still a topological order
        assert all(r not in STAGES or r in order[:i] for r in STAGES[name].reads), name
    assert order.index("signatures") < order.index("extract")
    assert order.index("reuse_hits") < order.index("repair")  # reuse_hits -> reuse
    depth = stages.downstream_depth()
    assert depth["signatures"] == depth["extract"] + 1 and depth["reuse"] == 0

"""The whole flow against what operators meet off the happy path (issue 9): a hostile landing
folder, a page rewritten while the run reads it, and a corpus built up run by run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.pipeline import build_corpus
from tasks import ingest
from tasks.export import account
from tests.fixtures.fuzz import build_fuzz_folder

pytestmark = pytest.mark.usefixtures("prefect_api")


def _run(landing: Path, out: Path, **kw):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")  # in-process: the tests patch stage functions
        return build_corpus(inputs=[str(landing)], out=str(out), workers=1, **kw)


@pytest.fixture
def progress_runs(monkeypatch) -> list:
    """Every run's progress counter: a finished run finished every step it announced (the UI's bar
    ends at 100 %, never short of it or past it)."""
    import flows.pipeline as pipeline

    made = []

    class Counted(pipeline.RunProgress):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(pipeline, "RunProgress", Counted)
    return made


def _published(out: Path) -> dict[str, str]:
    """sha256 of every published Parquet part, by its path inside the release."""
    release = (out / "current").resolve()
    return {str(p.relative_to(release)): hashlib.sha256(p.read_bytes()).hexdigest() for p in release.rglob("*.parquet")}


def test_a_hostile_landing_folder_is_accounted_for_and_the_run_completes(tmp_path):
    landing = tmp_path / "landing"
    expected = build_fuzz_folder(landing)
    out = tmp_path / "out"
    summary = _run(landing, out)  # raises if any discovered input is in neither table (or twice)
    c = summary["counts"]
    assert c["discovered"] == c["accepted"] + c["rejected"]
    # the flow checks shard by shard (cached); the whole-release check over the published tables agrees
    reference = account(ingest.discover_all([str(landing)], exclude=[str(out)]).files, str((out / "current").resolve()))
    assert {k: c[k] for k in reference} == reference
    docs = pd.read_parquet(out / "documents")
    rejects = pd.read_parquet(out / "rejects")
    rows = [(r.source_path, r.record, None) for r in docs.itertuples()]
    rows += [(r.source_path, r.record, r.reason) for r in rejects.itertuples()]
    for source, outcome in expected.items():
        mine = [(rec, reason) for path, rec, reason in rows if path == source]
        if outcome == "skipped_output":
            assert not mine and any(source in s for s in summary["skipped_outputs"]), source
        elif outcome == "document":
            assert mine and all(reason is None for _, reason in mine), (source, mine)
        elif isinstance(outcome, dict):
            assert mine, source  # every record of a multi-document file is somewhere
        else:
            # a file-level reject, unless normalize judged its page (then it is a too_short reject)
            assert [reason for _, reason in mine] in ([outcome], ["too_short"]), (source, outcome, mine)
    assert rejects["detail"].str.len().min() > 20  # every reject says what to do


def test_a_page_rewritten_during_the_run_is_rejected_now_and_read_right_next_run(samples, tmp_path, monkeypatch):
    page = samples / "seeds" / "001_49f5c10d9eda79ac.txt"
    added = "我们要继续努力，把各项工作做得更好，为全区人民创造更加美好的生活。"
    settled = page.read_text(encoding="utf-8").replace("同志们:\n", f"同志们:\n{added}\n", 1)
    assert added in settled
    original = ingest.ingest_shard
    rewritten = []

    def crawler_writes_meanwhile(*args, **kw):
        if not rewritten:  # the crawler rewrites the page after fingerprinting, before ingest reads it
            page.write_text(settled, encoding="utf-8")
            rewritten.append(True)
        return original(*args, **kw)

    monkeypatch.setattr(ingest, "ingest_shard", crawler_writes_meanwhile)
    out = tmp_path / "out"
    _run(samples, out)
    rejects = pd.read_parquet(out / "rejects")
    assert rejects.loc[rejects["source_path"] == "seeds/001_49f5c10d9eda79ac.txt", "reason"].tolist() == [
        "changed_during_run"
    ]
    _run(samples, out)  # the crawler has settled: the page is read, not served from a poisoned cache
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    assert added in docs.loc["seeds/001_49f5c10d9eda79ac.txt", "text"]
    assert "seeds/001_49f5c10d9eda79ac.txt" not in set(pd.read_parquet(out / "rejects")["source_path"])


def test_an_incremental_corpus_is_byte_identical_to_a_cold_build(samples, tmp_path, progress_runs):
    landing = tmp_path / "crawl"
    landing.mkdir()
    everything = sorted(p for p in samples.rglob("*") if p.is_file())
    first, later = everything[::2], everything[1::2]

    def place(files):
        for p in files:
            target = landing / p.relative_to(samples)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, target)

    out = tmp_path / "incremental"
    place(first)
    _run(landing, out, target_shard_docs=3)
    place(later)  # pages arrive
    changed = landing / later[0].relative_to(samples)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n谢谢大家！\n", encoding="utf-8")  # one is rewritten
    (landing / first[0].relative_to(samples)).unlink()  # one is taken down
    _run(landing, out, target_shard_docs=3)
    cold = tmp_path / "cold"
    _run(landing, cold, target_shard_docs=3)
    assert _published(out) == _published(cold)
    assert (out / "current").resolve().name == (cold / "current").resolve().name  # the same release id
    assert len(progress_runs) == 3 and all(p.done_steps == p.total_steps > 10 for p in progress_runs)


def test_a_corpus_with_no_document_publishes_empty_tables_and_grows_and_shrinks(samples, tmp_path, progress_runs):
    """A landing folder that holds only rejects (a crawler's first night, or every page taken down)
    crashed reuse on a partition without one anchor (session 17); it is a corpus like any other."""
    landing = tmp_path / "nothing"
    landing.mkdir()
    (landing / "empty.jsonl").write_bytes(b"")
    (landing / "blank.txt").write_text("\n\n", encoding="utf-8")
    (landing / "binary.bin").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"

    def run_and_read():
        summary = _run(landing, out)
        docs, rejects = pd.read_parquet(out / "documents"), pd.read_parquet(out / "rejects")
        assert summary["counts"]["discovered"] == summary["counts"]["accepted"] + summary["counts"]["rejected"]
        return summary, docs, rejects

    summary, docs, rejects = run_and_read()
    assert summary["counts"]["accepted"] == 0 and docs.empty
    assert set(rejects["source_path"]) == {"empty.jsonl", "blank.txt", "binary.bin"}
    page = next(p for p in sorted(samples.rglob("*.txt")) if p.stat().st_size > 2000)
    shutil.copy2(page, landing / "page.txt")  # a page arrives: the incremental path from an empty index
    summary, docs, _ = run_and_read()
    assert summary["counts"]["accepted"] == 1 and list(docs["source_path"]) == ["page.txt"]
    (landing / "page.txt").write_bytes(b"")  # and is emptied: back to no document
    summary, docs, rejects = run_and_read()
    assert summary["counts"]["accepted"] == 0 and docs.empty
    assert "page.txt" in set(rejects["source_path"])
    for table in ("speeches", "reuse", "duplicates"):  # every published table reads, with no rows
        if (out / table).exists():
            assert pd.read_parquet(out / table).empty, table
    (tmp_path / "no-file").mkdir()  # a landing folder with nothing in it: no shard at all
    summary = _run(tmp_path / "no-file", tmp_path / "out-none")
    assert summary["counts"]["discovered"] == 0 and summary["shards"] == 0
    assert all(p.done_steps == p.total_steps for p in progress_runs) and len(progress_runs) == 4


def test_a_run_killed_inside_a_repair_and_a_reuse_part_reruns_to_the_cold_corpus(samples, tmp_path, monkeypatch):
    """A part killed while it writes (SIGKILL: no `finally` runs) leaves its writers' temporary files
    (`.tmp-*.parquet`, made by mkstemp before the first row) beside the part files of the unfinished
    artifact, and the rerun finishes that same artifact. The release takes the stage's part files
    only: the rerun publishes the corpus a cold run publishes, byte for byte."""
    import tasks.repair as repair
    import tasks.reuse as reuse

    landing = tmp_path / "crawl"
    shutil.copytree(samples, landing)
    out = tmp_path / "out"
    killed: list[str] = []

    def killing(real, table):
        def part(inputs, out_dir, part, *args, **kwargs):
            if not killed or killed[-1] != table:
                killed.append(table)
                folder = Path(out_dir) / table
                folder.mkdir(parents=True, exist_ok=True)
                (folder / ".tmp-4242-abcd.parquet").write_bytes(b"")  # mkstemp's empty file
                (folder / ".tmp-4242-efgh.parquet").write_bytes(b"PAR1\x00\x00")  # a write cut short
                raise RuntimeError(f"killed in {table} part {part}")
            return real(inputs, out_dir, part, *args, **kwargs)

        return part

    monkeypatch.setattr(repair, "repair_part", killing(repair.repair_part, "best_texts"))
    with pytest.raises(Exception, match="killed in best_texts"):
        _run(landing, out, target_shard_docs=3)
    monkeypatch.undo()
    monkeypatch.setattr(reuse, "reuse_part", killing(reuse.reuse_part, "reuse"))
    with pytest.raises(Exception, match="killed in reuse"):
        _run(landing, out, target_shard_docs=3)
    monkeypatch.undo()
    assert killed == ["best_texts", "reuse"]
    _run(landing, out, target_shard_docs=3)
    cold = tmp_path / "cold"
    _run(landing, cold, target_shard_docs=3)
    assert _published(out) == _published(cold)
    assert (out / "current").resolve().name == (cold / "current").resolve().name

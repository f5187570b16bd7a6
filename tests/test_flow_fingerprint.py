"""Fingerprints: a file whose stat is unchanged is not read again; any change is re-hashed."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from tasks import steps
from tasks.ingest import InputFile

HOUR_NS = 3600 * 10**9


def _file(root: Path, name: str, text: str, age_ns: int = HOUR_NS) -> InputFile:
    path = root / name
    path.write_text(text, encoding="utf-8")
    then = time.time_ns() - age_ns
    os.utime(path, ns=(then, then))
    return InputFile(path=str(path), source_path=name, relpath=name, size=path.stat().st_size)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files really read and hashed."""
    seen: list[str] = []
    original = steps.fingerprint

    def counting(item):
        seen.append(item.path)
        return original(item)

    monkeypatch.setattr(steps, "fingerprint", counting)
    return seen


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_unchanged_files_are_not_read_again(tmp_path, reads):
    files = [_file(tmp_path, f"{i}.txt", f"讲话 {i}\n" * 50) for i in range(3)]
    cache = str(tmp_path / "state" / "fingerprints" / "shard-a.json")
    first = steps._fingerprint_many(files, cache)
    assert [sha for sha, _, _ in first] == [_sha(f"讲话 {i}\n" * 50) for i in range(3)]
    assert len(reads) == 3
    reads.clear()
    assert steps._fingerprint_many(files, cache) == first
    assert reads == []
    assert steps._fingerprint_many(files, cache, rehash=True) == first  # --rehash reads everything
    assert len(reads) == 3


def test_a_rewrite_that_keeps_size_and_mtime_is_still_rehashed(tmp_path, reads):
    f = _file(tmp_path, "a.txt", "原来的讲话稿")
    cache = str(tmp_path / "fp.json")
    steps._fingerprint_many([f], cache)
    mtime = Path(f.path).stat().st_mtime_ns
    Path(f.path).write_text("修改的讲话稿", encoding="utf-8")  # same byte length
    os.utime(f.path, ns=(mtime, mtime))  # mtime restored: only ctime tells
    reads.clear()
    ((sha, _size, error),) = steps._fingerprint_many([f], cache)
    assert reads == [f.path] and sha == _sha("修改的讲话稿") and error is None


def test_a_file_written_just_before_it_was_hashed_is_not_trusted(tmp_path, reads):
    fresh = _file(tmp_path, "fresh.txt", "刚写入的讲话", age_ns=0)  # mtime within the racy window
    old = _file(tmp_path, "old.txt", "早已写好的讲话")
    cache = str(tmp_path / "fp.json")
    steps._fingerprint_many([fresh, old], cache)
    reads.clear()
    steps._fingerprint_many([fresh, old], cache)
    assert reads == [fresh.path]  # it could change again within its timestamp's granularity


def test_missing_and_damaged_caches_cost_a_full_hash_only(tmp_path, reads):
    files = [_file(tmp_path, "a.txt", "讲话")]
    cache = tmp_path / "fp.json"
    cache.write_text("{not json", encoding="utf-8")
    assert steps._fingerprint_many(files, str(cache))[0][0] == _sha("讲话")
    reads.clear()
    (tmp_path / "a.txt").unlink()
    sha, _size, error = steps._fingerprint_many(files, str(cache))[0]
    assert sha is None and error  # a vanished file is an error (a reject), never a cached sha


def test_the_flow_checks_stat_unchanged_shards_without_a_task_run(tmp_path, reads):
    """stat_cached_fingerprints (the flow's own check) agrees with the fingerprint task where every
    stat is unchanged, and declines (None: run the task) wherever the task would read a file."""
    files = [_file(tmp_path, f"{i}.txt", f"讲话 {i}\n" * 50) for i in range(3)]
    problem = InputFile(str(tmp_path / "fifo"), "fifo", "fifo", 0, problem=("not_regular_file", "a FIFO"))
    cache = str(tmp_path / "fp.json")
    assert steps.stat_cached_fingerprints(files, cache) is None  # no cache yet
    first = steps._fingerprint_many([*files, problem], cache)
    reads.clear()
    assert steps.stat_cached_fingerprints([*files, problem], cache) == first
    assert reads == []
    assert steps.stat_cached_fingerprints(files, cache, rehash=True) is None
    Path(files[1].path).write_text("改过的讲话\n" * 50, encoding="utf-8")
    assert steps.stat_cached_fingerprints(files, cache) is None  # the task re-hashes it
    fresh = _file(tmp_path, "fresh.txt", "刚写入的讲话", age_ns=0)
    steps._fingerprint_many([fresh], str(tmp_path / "fresh.json"))
    assert steps.stat_cached_fingerprints([fresh], str(tmp_path / "fresh.json")) is None  # racy: not trusted

"""Stage code on several threads of one process (an inline run: the tests' flows, Dask workers) gives what one thread
gives: the shared segmenter is filled once, under a lock (session 61: two threads filling rjieba's one default while a
third segmented with it raised "Already borrowed", and a document lost its slogans without a flag)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tasks import extract as E

SEEDS = sorted((Path(__file__).resolve().parents[1] / "data/samples/seeds").glob("*.txt"))
THREADS = 4


def _segment_on_threads(texts: list[str]) -> list:
    """Each thread's word spans of every text (or what it raised), the threads started at once."""
    start = threading.Barrier(THREADS)
    got: list = [None] * THREADS

    def work(i: int) -> None:
        start.wait()
        try:
            got[i] = [E.word_spans(t) for t in texts]
        except BaseException as exc:  # noqa: BLE001 - the caller's assert shows it
            got[i] = repr(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got


def _fresh_segmenter() -> None:
    E._segmenter.cache_clear()
    E._SEGMENTERS.clear()


@pytest.mark.parametrize("bundled", [True, False], ids=["rjieba's default", "filled from dict.txt"])
def test_threads_that_meet_an_unfilled_segmenter_segment_as_one_thread(bundled, monkeypatch):
    pytest.importorskip("rjieba")
    if not bundled:
        monkeypatch.setattr(E, "RJIEBA_BUILTIN_IS_JIEBAS", set())
    texts = [p.read_text("utf-8", errors="replace") for p in SEEDS]
    try:
        _fresh_segmenter()
        want = [E.word_spans(t) for t in texts]
        for _ in range(3):  # a race is a matter of timing: every round starts from an unfilled segmenter
            _fresh_segmenter()
            assert _segment_on_threads(texts) == [want] * THREADS
    finally:
        monkeypatch.undo()
        _fresh_segmenter()


def test_overlapping_extract_and_annotate_calls_leave_the_gc_threshold_as_found(monkeypatch):
    """The collector's threshold is the process's: an extract call and an annotate call on two threads, the first
    ending while the second runs, keep it raised while either runs and restore the process's own after both (each
    restoring what it had found restored the default under the second, then left the raised one behind)."""
    import gc

    import pyarrow.parquet as pq

    from tasks import annotate

    entered = {"extract": threading.Event(), "annotate": threading.Event()}
    leave = {"extract": threading.Event(), "annotate": threading.Event()}

    def held(name: str):
        def body(*args, **kwargs):
            entered[name].set()
            assert leave[name].wait(30)
            raise RuntimeError("done")

        return body

    monkeypatch.setattr(E, "_extract_shard", held("extract"))
    monkeypatch.setattr(pq, "ParquetFile", held("annotate"))  # the first thing _annotate_documents reads
    calls = {
        "extract": lambda: E.extract_shard({"normalize": "nowhere"}, "nowhere"),
        "annotate": lambda: annotate._annotate_documents({"extract": "nowhere"}, {"a"}, 1, None, (), [], {}, {}, {}),
    }
    before = gc.get_threshold()
    raised = (max(E.EXTRACT_GC_GEN0, before[0]), *before[1:])
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            calls[name]()
        except RuntimeError:
            pass
        except BaseException as exc:  # noqa: BLE001 - the assert below shows it
            errors.append(exc)

    first = threading.Thread(target=run, args=("extract",))
    second = threading.Thread(target=run, args=("annotate",))
    try:
        first.start()
        assert entered["extract"].wait(30)
        second.start()
        assert entered["annotate"].wait(30)
        assert gc.get_threshold() == raised
        leave["extract"].set()
        first.join(30)
        assert gc.get_threshold() == raised  # the annotate call still runs
        leave["annotate"].set()
        second.join(30)
        assert gc.get_threshold() == before and not errors
    finally:
        for event in leave.values():
            event.set()
        first.join(30)
        second.join(30)
        gc.set_threshold(*before)


def test_threads_saving_one_cached_table_write_their_own_temporary_files(tmp_path, monkeypatch):
    """Two threads of one process that build the same table at once (its first documents on two threads) save it
    through temporary files of their own: named by the pid alone, they wrote one file together, and the first to
    finish renamed it into place while the other still wrote it."""
    import numpy as np

    from tasks import common

    monkeypatch.setenv(common.CACHE_ENV, str(tmp_path))
    real = np.savez
    together = threading.Barrier(2, timeout=30)
    written: list[str] = []

    def savez(file, **arrays):
        written.append(str(file))
        together.wait()  # both threads are writing now
        real(file, **arrays)
        together.wait()  # and both have written before either renames

    monkeypatch.setattr(np, "savez", savez)
    table = {"keys": np.arange(50_000, dtype=np.int64), "values": np.linspace(0.0, 1.0, 50_000)}
    threads = [threading.Thread(target=common.save_arrays, args=("word-freq-1-abc", table)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(written) == 2 and len(set(written)) == 2
    loaded = common.load_arrays("word-freq-1-abc")
    assert loaded is not None and all(np.array_equal(loaded[k], table[k]) for k in table)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["word-freq-1-abc.npz"]
    # a temporary file a killed save left under such a name is still found and removed once old
    left = Path(written[0])
    left.write_bytes(b"PK")
    os.utime(left, (0, 0))
    monkeypatch.setattr(np, "savez", real)
    common.save_arrays("word-freq-1-abd", table)
    assert not left.exists()


def test_a_stage_modules_parse_and_numpys_header_parse_take_one_lock(tmp_path, monkeypatch):
    """Python 3.11 builds one syntax tree at a time per process (gh-106905): the code version's parse of a stage
    module (tasks.stages) and numpy's .npy header parse (ast.literal_eval, serialised by tasks.common) on another
    thread wait for each other (each took a lock of its own, so a Dask worker computing dedupe's code version while
    another thread loaded arrays could fail with "AST constructor recursion depth mismatch")."""
    import io

    import numpy as np

    from tasks import stages

    want = stages._parsed("tasks.vocab")
    monkeypatch.setattr(stages, "PARSE_CACHE", tmp_path / "versions.json")  # nothing cached: the module is parsed
    monkeypatch.setattr(stages, "_parse_cache", None)
    real = stages._parse
    parsing, finish = threading.Event(), threading.Event()

    def slow_parse(source: bytes):
        parsing.set()
        assert finish.wait(30)
        return real(source)

    monkeypatch.setattr(stages, "_parse", slow_parse)
    buf = io.BytesIO()
    np.save(buf, np.arange(7))
    got: dict[str, object] = {}
    parser = threading.Thread(target=lambda: got.update(parsed=stages._parsed.__wrapped__("tasks.vocab")))
    loader = threading.Thread(target=lambda: got.update(loaded=np.load(io.BytesIO(buf.getvalue()))))
    try:
        parser.start()
        assert parsing.wait(30)
        loader.start()
        loader.join(0.5)
        assert loader.is_alive() and "loaded" not in got  # the header's parse waits for the module's
    finally:
        finish.set()
        parser.join(30)
        loader.join(30)
    assert np.array_equal(got["loaded"], np.arange(7)) and got["parsed"] == want

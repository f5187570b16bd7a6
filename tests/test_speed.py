"""Speed and memory changes must not change outputs: batched shard stages write what whole-shard runs wrote,
the fast segmenter cuts as jieba does, the dictionary frequencies are jieba's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks import annotate, dedupe, normalize, schema
from tasks import extract as E
from tasks.common import rows_to_table, write_table

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data/samples/seeds").glob("*.txt"))
# Runs jieba's HMM step splits and jieba-rs would keep whole: hyphens, decimals, percent, plus signs, mixed script.
TRICKY = (
    "推进Wi-Fi全覆盖，落实2011-2020年规划，增长3.5%和1-11月数据；COVID-19防控，C++与A+B方案，"
    "III-V族材料，REITs试点、GEP核算，Communica-tions。第1.2.3条，50%-60%，No.1工程。"
)


def _ingest_rows() -> list[dict]:
    rows = []
    for i, p in enumerate(SEEDS):
        raw = p.read_text("utf-8", errors="replace")
        for copy in range(2):  # two pages per seed so batches split a shard in odd places
            rows.append(
                {
                    "doc_id": f"d{i:02d}{copy}",
                    "source_path": f"{p.name}#{copy}",
                    "content_sha256": f"{i:02d}{copy}",
                    "format": "txt",
                    "raw_text": raw + ("\n" + TRICKY if copy else ""),
                    "group": "seeds",
                    "page_title": None,
                    "url": None,
                }
            )
    return rows


@pytest.fixture(scope="module")
def shard(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shard")
    write_table(rows_to_table(_ingest_rows(), schema.INGEST_DOCS), folder / "ingest" / "docs.parquet", ["doc_id"])
    return folder


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def test_normalize_extract_signatures_batched_equal_whole_shard(shard, tmp_path, monkeypatch):
    from tests.test_incremental_parts import _assignments

    outs = {}
    for rows in (3, 10_000):
        monkeypatch.setattr(normalize, "BATCH_ROWS", rows)
        monkeypatch.setattr(E, "BATCH_ROWS", rows)
        monkeypatch.setattr(dedupe, "SIGN_BATCH_ROWS", rows)
        monkeypatch.setattr(annotate, "BATCH_ROWS", rows)
        n, x, a, s = (tmp_path / f"{name}-{rows}" for name in ("normalize", "extract", "annotate", "signatures"))
        normalize.normalize_shard({"ingest": str(shard / "ingest")}, str(n), min_chars=50)
        E.extract_shard({"normalize": str(n)}, str(x))
        ids = pq.read_table(n / "docs.parquet", columns=["doc_id"]).column(0).to_pylist()
        canonical = _assignments(tmp_path / f"assign-{rows}.parquet", ids, {ids[1]: ids[0]})
        annotate.annotate_shard({"normalize": str(n), "extract": str(x), "dedupe": canonical}, str(a), top_k=10)
        dedupe.signature_shard({"normalize": str(n)}, str(s))
        outs[rows] = {
            **_tables(n),
            **{f"x/{k}": v for k, v in _tables(x).items()},
            **{f"a/{k}": v for k, v in _tables(a).items()},
            "sig": _tables(s),
        }
    assert pq.read_table(tmp_path / "normalize-3" / "docs.parquet").num_rows == 2 * len(SEEDS)
    assert pq.read_table(tmp_path / "annotate-3" / "keywords.parquet").num_rows > 0
    assert outs[3] == outs[10_000]  # byte-identical Parquet


def test_word_freq_is_jiebas_dictionary():
    freq = {w: f for w, f in E._tokenizer().FREQ.items() if f > 0}  # the Tokenizer adds prefixes with 0
    assert E.word_freq() == freq
    assert E.word_freq()["区政府"] == 10  # the domain user dictionary overrides jieba's own entry
    assert E.word_freq(100) == {w: f for w, f in freq.items() if f >= 100}


def _word_freq_loop(entries, min_freq: int) -> dict[str, int]:
    """word_freq's meaning: the entries in jieba's load order, a word at the floor set, one below it dropped."""
    out: dict[str, int] = {}
    for word, freq, _ in entries:
        if freq >= min_freq:
            out[word] = freq
        else:
            out.pop(word, None)
    return out


def test_word_freq_picks_jiebas_words_in_c_despite_its_repeated_entry(monkeypatch):
    """jieba's dict.txt lists one word twice ('B超'), which sent every fresh worker's word_freq through a Python loop
    over its 349k entries (~0.1-0.15 CPU-s of the first extract or annotate call): the entries picked in C give the
    loop's dict, in its order, unless a word kept is dropped by a later entry."""
    words = E.jieba_main_dict()[0]
    assert len(set(words)) < len(words)  # the repeated entry this is about
    looped: list[int] = []
    entries = E._jieba_dict_entries
    monkeypatch.setattr(E, "_jieba_dict_entries", lambda: looped.append(1) or entries())
    for floor in (1, 100, 1000):
        fast = E._word_freq(floor)
        assert list(fast.items()) == list(_word_freq_loop(entries(), floor).items())
    assert not looped
    # every way a word can repeat: kept twice, dropped twice, dropped then kept, kept then dropped (the loop's case)
    main = (["甲", "乙", "丙", "丁", "甲", "乙", "丙", "丁", "戊"], [5, 1, 1, 5, 7, 1, 5, 1, 5], [None] * 9)
    monkeypatch.setattr(E, "jieba_main_dict", lambda: main)
    monkeypatch.setattr(E, "_userdict_entries", lambda: iter([("戊", 1, None), ("己", 9, None)]))
    for floor in (1, 5, 6):
        entries_now = [*zip(*main, strict=True), ("戊", 1, None), ("己", 9, None)]
        assert list(E._word_freq(floor).items()) == list(_word_freq_loop(entries_now, floor).items())


@pytest.mark.parametrize("bundled", [True, False], ids=["rjieba's bundled dictionary", "filled from dict.txt"])
def test_segmenter_cuts_as_jieba(bundled, monkeypatch):
    """Either way rjieba's segmenter is built (its bundled dictionary for a checked pair of versions, else every
    entry of jieba's file added), it counts jieba's tokens."""
    rjieba = pytest.importorskip("rjieba")
    if not bundled:
        monkeypatch.setattr(E, "RJIEBA_BUILTIN_IS_JIEBAS", set())
    E._token_counts.cache_clear()
    E._segmenter.cache_clear()  # else the segmenter an earlier test built answers for both
    try:
        tk = E._tokenizer()
        for text in [TRICKY, *(p.read_text("utf-8", errors="replace") for p in SEEDS)]:
            assert E._token_counts()(text) == Counter(tk.lcut(text, HMM=True))
        if not bundled:  # this one was filled from the file, not rjieba's default
            assert E._segmenter() is not getattr(rjieba.cut, "__self__", None)
    finally:
        E._token_counts.cache_clear()
        E._segmenter.cache_clear()


@pytest.mark.parametrize("text", ["", "中" * 199, "，" * 5000 + "a" * 150, "ab，" * 90, "中" * 200, "x，" * 10_000])
def test_speech_chars_exact_below_the_threshold(text):
    exact = sum(1 for ch in text if ch.isalnum())
    got = normalize._speech_chars(text, 200)
    assert got == exact if exact < 200 else got >= 200


def test_extract_copies_unchanged_documents_from_an_earlier_artifact(shard, tmp_path):
    """A shard re-extracted because a page arrived and another changed writes the bytes a cold run
    writes, extracting only those two pages (the rest are copied from the earlier artifact)."""
    rows = _ingest_rows()
    normalize.normalize_shard({"ingest": str(shard / "ingest")}, str(tmp_path / "n0"), min_chars=50)
    first = E.extract_shard({"normalize": str(tmp_path / "n0")}, str(tmp_path / "x0"))
    assert first["reused_docs"] == 0
    rows[1] = {**rows[1], "raw_text": rows[1]["raw_text"] + "\n各位代表：今年全市生产总值增长6.5%左右。"}
    rows.append({**rows[0], "doc_id": "new", "source_path": "new.txt", "content_sha256": "new"})
    write_table(rows_to_table(rows, schema.INGEST_DOCS), tmp_path / "i1" / "docs.parquet", ["doc_id"])
    normalize.normalize_shard({"ingest": str(tmp_path / "i1")}, str(tmp_path / "n1"), min_chars=50)
    warm = E.extract_shard({"normalize": str(tmp_path / "n1")}, str(tmp_path / "warm"), earlier=[str(tmp_path / "x0")])
    cold = E.extract_shard({"normalize": str(tmp_path / "n1")}, str(tmp_path / "cold"))
    assert warm["reused_docs"] == len(rows) - 2  # the changed page and the new one are extracted
    assert cold["reused_docs"] == 0
    assert _tables(tmp_path / "warm") == _tables(tmp_path / "cold")

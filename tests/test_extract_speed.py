"""The extract stage's fast paths give what the plain ones gave: each rewritten matcher is checked against the
straightforward version it replaced (kept here as the reference) on tricky strings, random strings over the
characters that matter, and the sample speeches."""

from __future__ import annotations

import itertools
import math
import random
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks import extract as E
from tasks import extract_figures as F
from tasks import extract_people as P
from tasks import extract_regions as R
from tasks import extract_structure as S
from tasks import extract_text as T
from tasks import vocab

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [p.read_text("utf-8", errors="replace") for p in sorted((ROOT / "data/samples/seeds").glob("*.txt"))]


def _random_texts(alphabet: str, n: int = 400, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def _spans(rx: re.Pattern, text: str) -> list[tuple[int, int, str, dict]]:
    return [(m.start(), m.end(), m.group(0), m.groupdict()) for m in rx.finditer(text)]


def _spans_groups(rx: re.Pattern, text: str) -> list[tuple]:
    """_spans with every group (the year and session patterns read numbered ones)."""
    return [(m.span(), m.groups(), m.lastgroup) for m in rx.finditer(text)]


# ---------------------------------------------------------------- gazetteer scans


def _places_reference(text: str) -> list[R.PlaceHit]:
    """find_places as it was: a Python step per character."""
    gz = R.load_gazetteer()
    hits, i, n = [], 0, len(text)
    while i < n - 1:
        cands = gz.prefix2.get(text[i : i + 2])
        if cands:
            for key in cands:
                surface = key[1:] if key[0] == "~" else key
                if text.startswith(surface, i):
                    if key[0] == "~" and i > 0 and text[i - 1] in R._NUMERIC_BEFORE:
                        continue
                    end = i + len(surface)
                    if key[0] == "~" and end - i == 2 and i and R._straddles(text, i):
                        continue  # 弘扬|中华: a short name read across two words
                    if key[0] == "~" and (
                        (text[end : end + 1] in R.FEATURE_AFTER_ALIAS and not R._place_at(text, end, gz.prefix2))
                        or (text[end : end + 1] in R.TOWN_SUFFIXES and text[i : end + 1] in gz.towns)
                    ):
                        i = end - 1  # 小昆山镇, 长兴镇: a township's name holds the alias (find_places skips it)
                        break
                    hits.append(R.PlaceHit(i, i + len(surface), surface, key, key[0] == "~"))
                    i += len(surface) - 1
                    break
        i += 1
    return hits


def _towns_reference(text: str) -> list[tuple[int, str]]:
    gz = R.load_gazetteer()
    out, i, n = [], 0, len(text)
    while i < n - 2:
        cands = gz.town_prefix2.get(text[i : i + 2])
        if cands:
            for t in cands:
                if text.startswith(t, i):
                    out.append((i, t))
                    i += len(t) - 1
                    break
        i += 1
    return out


PLACE_TEXTS = [
    "",
    "邢",
    "邢台",
    "邢台市",
    "河北省邢台市桥东区",  # nested names: leftmost-longest, no overlap
    "3个大同，千亿元大关",  # an alias after a count is skipped, a shorter name may still start there
    "大梁庄乡和东郭村镇",
    "到大梁庄乡",  # a town at the very end
    "大梁庄",  # shorter than any town with its suffix
    "北京市海淀区中关村北京市",
    "朝阳区朝阳区朝阳",
    "𠀀邢台市\ud800北京市海淀区𠀁大梁庄乡",  # a character beyond the BMP and a lone surrogate keep the positions
]


@pytest.mark.parametrize("text", PLACE_TEXTS)
def test_place_and_town_scans_match_the_per_character_scan(text):
    assert R.find_places(text) == _places_reference(text)
    assert R.find_towns(text) == _towns_reference(text)


def test_place_and_town_scans_on_samples_and_random_place_characters():
    gz = R.load_gazetteer()
    names = [k.lstrip("~") for k in list(gz.by_name)[:400]] + [t for t in list(gz.towns)[:200]]
    rng = random.Random(3)
    texts = list(SAMPLES)
    for _ in range(300):  # names glued together, cut and mixed with digits: many overlaps and near-misses
        parts = [rng.choice(names)[rng.randint(0, 1) :] for _ in range(rng.randint(1, 6))]
        texts.append(rng.choice(["", "3", "十", "和"]).join(parts))
    assert sum(len(_places_reference(t)) for t in texts) > 300  # the texts do contain places
    for t in texts:
        assert R.find_places(t) == _places_reference(t)
        assert R.find_towns(t) == _towns_reference(t)


def test_scanners_marked_in_numpy_are_the_loops_tables():
    """_scanners' per-character bits and sorted gram codes, set in NumPy (session 56), equal the loop over every
    gram's characters they replaced, for the gazetteer's place pairs and township triples."""
    gz = R.load_gazetteer()
    sc = R._scanners(gz)
    pairs = {k for k in gz.prefix2 if len(k) == 2}
    triples = {t[:3] for names in gz.town_prefix2.values() for t in names}
    chars = np.zeros(0x110000, dtype=np.uint8)
    for grams, bits in (
        (pairs, (R.PLACE_FIRST, R.PLACE_SECOND)),
        (triples, (R.TOWN_FIRST, R.TOWN_SECOND, R.TOWN_THIRD)),
    ):
        for g in grams:
            for c, bit in zip(g, bits, strict=True):
                chars[ord(c)] |= bit
    assert np.array_equal(sc.chars, chars) and sc.chars.dtype == np.uint8 and chars.any()
    for (width, bit, codes), grams, first in ((sc.prefixes, pairs, R.PLACE_FIRST), (sc.towns, triples, R.TOWN_FIRST)):
        want = np.array(sorted(map(R._gram_code, grams)), dtype=np.uint64)
        assert (width, bit) == (len(next(iter(grams))), first) and codes.dtype == np.uint64
        assert np.array_equal(codes, want) and len(codes) == len(grams)


def test_gram_filters_pass_every_code_of_their_table():
    """The filter in front of the binary search drops only grams that are no name's: each table's own codes pass
    (a dropped code would be a name never found), and most grams of ordinary text do not."""
    sc = R._scanners(R.load_gazetteer())
    tables = [sc.prefixes, sc.towns] + ([P._org_index()[1]] if P._org_index() else [])
    for _, _, codes in tables:
        assert R._gram_filter(codes)[R._gram_hash(codes)].all()
        assert R._gram_filter(codes) is R._gram_filter(codes)  # built once
        assert R._gram_filter(codes).mean() < 0.05
        packed = R._packed_gram_filter(codes)  # the compiled scan's: a bit per hash, 128 KB (a core's L2 holds it)
        assert packed.dtype == np.uint8 and packed.nbytes == (1 << R.GRAM_FILTER_BITS) // 8
        assert np.array_equal(np.unpackbits(packed, bitorder="little").astype(bool), R._gram_filter(codes))


def test_compiled_gram_scan_refuses_a_filter_shorter_than_its_hash_bits():
    """The kernel reads bit h of `maybe` for hashes h < 2^hash_bits without bounds checks: a byte-per-hash filter's
    caller would read past a shorter one, so the kernel says so instead."""
    kernels = R._compiled_kernels()
    if kernels is None:
        pytest.skip("tasks._textscan is not built here")
    sc = R._scanners(R.load_gazetteer())
    width, bit, codes = sc.prefixes
    points = np.frombuffer("北京市海淀区".encode("utf-32-le"), dtype=np.uint32)
    packed = R._packed_gram_filter(codes)
    found = kernels.gram_starts(points, sc.chars, bit, width, width, packed, R.GRAM_FILTER_BITS, codes)
    assert found.tolist() == [0, 3]
    with pytest.raises(ValueError):
        kernels.gram_starts(points, sc.chars, bit, width, width, packed[:-1], R.GRAM_FILTER_BITS, codes)


def test_compiled_gram_scan_finds_the_numpy_scans_positions(monkeypatch):
    """tasks._kernels.gram_starts (the compiled scan) against _gram_starts' numpy passes, for each kind of table
    (place prefixes, township triples, an organisation index's first-character table), whole texts and windows,
    on the samples, glued names and text with astral and surrogate code points."""
    if R._compiled_kernels() is None:
        pytest.skip("tasks._kernels is not built here")
    gz = R.load_gazetteer()
    sc = R._scanners(gz)
    tables = [(sc, sc.prefixes), (sc, sc.towns)] + ([(None, P._org_index()[1])] if P._org_index() else [])
    names = [k.lstrip("~") for k in list(gz.by_name)[:300]] + list(gz.towns)[:300]
    rng = random.Random(11)
    texts = [*SAMPLES, "", "北", "\U0002a6a5北京\ud800市", "\U0010ffff" * 3]
    for _ in range(200):
        parts = [rng.choice(names)[rng.randint(0, 1) :] for _ in range(rng.randint(1, 8))]
        texts.append(rng.choice(["", "3", "\U00020000", "和"]).join(parts))
    got = [
        R._gram_starts(t, s, table, pos, end) for t in texts for s, table in tables for pos, end in ((0, None), (1, 9))
    ]
    monkeypatch.setattr(R, "_compiled_kernels", lambda: None)
    want = [
        R._gram_starts(t, s, table, pos, end) for t in texts for s, table in tables for pos, end in ((0, None), (1, 9))
    ]
    assert got == want
    assert sum(map(len, want)) > 1000  # the texts do hold names


def test_short_texts_scan_in_python_at_the_compiled_scans_positions(monkeypatch):
    """A text of up to SHORT_SCAN_CHARS is scanned by a set lookup per position: the positions of the compiled (or
    numpy) scan, for both tables, whole texts and windows, with astral and surrogate code points."""
    gz = R.load_gazetteer()
    sc = R._scanners(gz)
    names = [k.lstrip("~") for k in list(gz.by_name)[:300]] + list(gz.towns)[:300]
    rng = random.Random(7)
    texts = ["", "北", "北京", "\U0002a6a5北京\ud800市", "\U0010ffff" * 3, "县长雷兴平", "中共大梁庄乡委员会"]
    for _ in range(300):
        parts = [rng.choice(names)[rng.randint(0, 1) :] for _ in range(rng.randint(1, 6))]
        texts.append(rng.choice(["", "3", "\U00020000", "和"]).join(parts)[: rng.randint(1, R.SHORT_SCAN_CHARS + 8)])
    windows = ((0, None), (1, 9), (2, None), (0, R.SHORT_SCAN_CHARS - 3))

    def scans() -> list[list[int]]:
        return [
            R._gram_starts(t, sc, table, a, b) for t in texts for table in (sc.prefixes, sc.towns) for a, b in windows
        ]

    assert sum(len(t) <= R.SHORT_SCAN_CHARS for t in texts) > 250
    python = scans()
    monkeypatch.setattr(R, "SHORT_SCAN_CHARS", -1)
    compiled = scans()
    assert python == compiled
    assert sum(map(len, python)) > 500  # the texts do hold names


def _place_texts() -> list[str]:
    gz = R.load_gazetteer()
    names = [k.lstrip("~") for k in list(gz.by_name)[:400]]
    rng = random.Random(5)
    texts = list(SAMPLES)
    for _ in range(200):  # names glued together, cut, after counts (3个大同) and full-width signs (５％大同)
        parts = [rng.choice(names)[rng.randint(0, 1) :] for _ in range(rng.randint(1, 8))]
        texts.append("".join(rng.choice(["", "3", "３", "％", "%", "（", "十", "和"]) + p for p in parts))
    return texts


def test_places_of_a_slice_are_read_from_the_whole_texts_scan():
    """find_places_in (the region's body, read from the scan the mentions table shares) is find_places of the
    slice at every cut: through a name, right after a count, at the ends."""
    rng = random.Random(11)
    checked = 0
    for t in _place_texts():
        cuts = {0, len(t)} | {
            x for h in _places_reference(t)[:20] for x in (h.start - 1, h.start, h.start + 1, h.end - 1, h.end)
        }
        cuts |= {rng.randint(0, len(t)) for _ in range(10)}
        cuts = sorted(x for x in cuts if 0 <= x <= len(t))
        for a in cuts:
            for b in cuts[cuts.index(a) :: 3]:
                want = _places_reference(t[a:b])
                assert R.find_places_in(t, a, b) == want, (t, a, b)
                names = [(h.surface, h.key, h.is_alias) for h in R.find_places_in(t, a, b, positions=False)]
                assert names == [(h.surface, h.key, h.is_alias) for h in want], (t, a, b)  # resolve_region's read
                checked += 1
        assert R.find_places_in(t, 3, len(t) + 50) == _places_reference(t[3:])  # an end past the text
    assert checked > 2000


def test_places_of_a_slice_scan_the_slice_alone(monkeypatch):
    """resolve_region's body (find_places_in) scans the slice, never the whole text around it (that scan served the
    mentions table, in annotate now: ~12 % of extract's CPU), and leaves the whole text's memo as it was; the hits
    at the whole text's positions (positions=False) are the slice's shifted."""
    text = "".join(SAMPLES)
    head = text.index("\n", 300)
    body = text[head : head + 5000]
    want = list(R._scan_places(body))
    R.find_places("北京市海淀区" * 40)  # a memo that holds another text
    memo = R._LAST_PLACES
    scans = []
    original = R._scan_places
    monkeypatch.setattr(R, "_scan_places", lambda t, pos=0, shift=0: scans.append(len(t)) or original(t, pos, shift))
    got = R.find_places_in(text, head, head + 5000)
    assert got == want and len(got) > 10
    assert scans == [len(body)] and R._LAST_PLACES is memo
    whole = R.find_places_in(text, head, head + 5000, positions=False)
    assert whole == [R.PlaceHit(h.start + head, h.end + head, h.surface, h.key, h.is_alias) for h in got]
    assert all(text[h.start : h.end] == h.surface for h in whole)


def test_a_long_text_is_encoded_once_for_its_scans(monkeypatch):
    """resolve_region scans a body for places (find_places_in's slice) and for townships (an equal string, another
    object): the second scan reuses the code points; a text of the same length but other characters, or a short
    clause scanned between, does not take or lose them, and every scan's positions are as encoded afresh."""
    text = "".join(SAMPLES)
    body = text[300:5300]
    again = "".join(list(body))  # equal, not the same object
    other = body[::-1]
    assert again == body and again is not body
    monkeypatch.setattr(R, "_LAST_POINTS", ("", None))
    sc = R._scanners(R.load_gazetteer())
    got_places = R._gram_starts(body, sc, sc.prefixes, 0)
    assert R._LAST_POINTS[0] is body
    clause = "在北京市海淀区召开的会议上各位代表同志们大家好今天我们在这里隆重集会共商发展大计" * 3
    assert R.SHORT_SCAN_CHARS < len(clause) < R.POINTS_MEMO_MIN_CHARS  # encoded for the compiled scan, not kept
    assert R._gram_starts(clause, sc, sc.prefixes, 0)
    assert R._LAST_POINTS[0] is body  # the clause scanned between leaves the body's
    kept = R._LAST_POINTS[1]
    got_towns = R._gram_starts(again, sc, sc.towns, 0)
    assert R._LAST_POINTS[1] is kept  # reused
    got_other = R._gram_starts(other, sc, sc.prefixes, 0)
    assert R._LAST_POINTS[0] is other and R._LAST_POINTS[1] is not kept
    assert got_places == R._gram_starts(body, sc, sc.prefixes, 0) and got_places
    assert got_towns == R._gram_starts(body, sc, sc.towns, 0)
    assert got_other == R._gram_starts(other, sc, sc.prefixes, 0)
    monkeypatch.setattr(R, "_LAST_POINTS", ("", None))
    assert got_places == R._gram_starts(body, sc, sc.prefixes, 0)  # as encoded afresh
    assert got_towns == R._gram_starts(again, sc, sc.towns, 0)


def test_half_width_text_reuses_the_scan_only_when_the_hits_are_the_same(monkeypatch):
    from tasks.extract_text import to_half

    monkeypatch.setattr(R, "PLACES_MEMO_MIN_CHARS", 0)  # these texts are short: memoize them all the same
    assert "％" in R._half_unsafe()  # `５％大同`: ％ is no count sign, % is — the alias rule reads them differently
    reused = 0
    for t in _place_texts():
        R.find_places(to_half(t))  # the fields scan the half-width text first
        got = R.find_places(t)  # then the mentions table asks for the text itself
        assert got == _places_reference(t)
        reused += to_half(t) != t and not (set(t) & R._half_unsafe())
    assert reused > 20  # the shared path was taken


def test_a_short_scan_between_keeps_the_documents_scan_for_its_mentions(monkeypatch):
    """The fields scan a byline or a meeting's name after the body: that does not evict the text's hits, which the
    mentions table then reads without scanning again (and a short text's own hits are still right)."""
    text = "".join(SAMPLES)
    assert len(text) >= R.PLACES_MEMO_MIN_CHARS
    first = R.find_places(text)
    assert R.find_places("北京市海淀区") == _places_reference("北京市海淀区")
    scans = []
    original = R._scan_places
    monkeypatch.setattr(R, "_scan_places", lambda t, pos=0: scans.append(t) or original(t, pos))
    assert R.find_places(text) == first and not scans
    short = "邢台市" * ((R.PLACES_MEMO_MIN_CHARS - 1) // 3)
    assert R.find_places(short) == _places_reference(short) and R.find_places(text) == first and len(scans) == 1


def test_a_short_text_seen_again_is_not_scanned_again(monkeypatch):
    """The fields scan the same bylines, offices and titles page after page: a short text's hits are remembered (a
    fresh list each time), a long text still takes the one-text memo, and another gazetteer scans afresh."""
    scans = []
    original = R._scan_places
    monkeypatch.setattr(R, "_scan_places", lambda t, pos=0, shift=0: scans.append(t) or original(t, pos, shift))
    office = "河北省邢台市桥东区人民政府区长（session 60）"
    first = R.find_places(office)
    assert first == _places_reference(office) and len(first) == 3 and scans == [office]
    first.clear()  # a caller's list is its own
    assert R.find_places("".join(list(office))) == _places_reference(office) and scans == [office]
    long = office * (R.PLACES_MEMO_MIN_CHARS // len(office) + 1)
    assert R.find_places(long) == _places_reference(long) and scans == [office, long]
    other = id(R.load_gazetteer()) + 1  # another gazetteer's: its own entry
    assert list(R._short_places(office, other)) == _places_reference(office) and scans == [office, long, office]


def test_jieba_dictionary_is_parsed_once_for_every_reader(monkeypatch):
    """One parse of jieba's dict.txt serves the POS table, word_freq and the segmenter: it is the file's lines as
    jieba reads them (CRLF and blank lines too), and word_freq builds from it rather than reading the file again."""
    import importlib.util

    from tasks import extract_text as T

    text = Path(importlib.util.find_spec("jieba").origin).with_name("dict.txt").read_text("utf-8")
    words, freqs, tags = T.jieba_main_dict()
    lines = [ln.split(" ") for ln in text.split("\n") if ln]
    assert list(freqs) == [int(x[1]) for x in lines] and words == [x[0] for x in lines]
    assert tags == [x[2] for x in lines] and words[:2] == ["AT&T", "B超"]
    assert T.parse_jieba_dict("甲 3 n\r\n\n乙 5 v\n") == (["甲", "乙"], T.array("q", [3, 5]), ["n", "v"])
    calls = []
    original = E.jieba_main_dict
    monkeypatch.setattr(E, "jieba_main_dict", lambda: calls.append(1) or original())
    fresh = E._word_freq(1)
    assert calls and fresh == E.word_freq(1) and fresh["区政府"] == 10  # the user dictionary still overrides


def test_jieba_dictionary_and_gazetteer_loaded_from_the_cache_are_the_built_ones(tmp_path, monkeypatch):
    """A fresh worker loads jieba's parsed dictionary and the gazetteer from the table cache instead of parsing and
    building them (~0.5 s of its first extract or annotate call): the same lists, tables, order and shared objects;
    a damaged cache file is built again, and an edit of the gazetteer's data gives it another name."""
    from tasks import extract_text as T

    monkeypatch.setenv("JIANGHUA_CACHE", str(tmp_path))

    def fresh():
        T.jieba_main_dict.cache_clear()
        R.load_gazetteer.cache_clear()
        return T.jieba_main_dict(), R.load_gazetteer()

    try:
        parsed, built = fresh()
        text = SAMPLES[0] + "河北省邢台市桥东区和平路"
        monkeypatch.setattr(R, "_LAST_PLACES", ("", []))
        hits = R.find_places(text)
        (dict_file,) = tmp_path.glob("jieba-dict-*.npz")
        (gz_file,) = tmp_path.glob("gazetteer-*.npz")
        (words, freqs, tags), loaded = fresh()
        assert (words, list(freqs), tags) == (parsed[0], list(parsed[1]), parsed[2]) and type(freqs) is type(parsed[1])
        assert all(t is u for t, u in zip(tags, parsed[2], strict=True))  # interned, as the parse makes them
        assert loaded == built == R._build_gazetteer(R._jionlp_dir())
        for name in ("by_name", "by_code", "prefix2", "towns", "town_prefix2", "alias_of"):
            assert list(getattr(loaded, name)) == list(getattr(built, name)), name  # dict order: scans try keys in it
        # one object per division, as built: by_code's entry is the very one its full name lists
        same = [d for d in loaded.by_name["邢台市"] if d.code in loaded.by_code]
        assert same and all(loaded.by_code[d.code] is d for d in same)
        monkeypatch.setattr(R, "_LAST_PLACES", ("", []))
        assert R.find_places(text) == hits
        dict_file.write_bytes(b"not an npz")
        gz_file.write_bytes(b"not an npz")
        again_parse, again = fresh()
        assert again_parse[0] == parsed[0] and again == built
        _damage(dict_file)  # a bad CRC: zipfile.BadZipFile, which failed every extract and annotate call
        _damage(gz_file)
        again_parse, again = fresh()
        assert again_parse[0] == parsed[0] and again == built
        extra = tmp_path / "places_extra.tsv"
        extra.write_text(
            (R.DATA_DIR / "places_extra.tsv").read_text("utf-8") + "甘肃省\t嘉峪关市\t测试区\tcounty\n", "utf-8"
        )
        monkeypatch.setattr(R, "DATA_DIR", tmp_path)
        _, edited = fresh()
        assert "测试区" in edited.by_name and "测试区" not in built.by_name
        assert len(list(tmp_path.glob("gazetteer-*.npz"))) == 2
    finally:
        monkeypatch.undo()
        fresh()


def _damage(path: Path) -> None:
    """Flip a byte inside the first array stored in an npz: the zip's CRC check fails on read (BadZipFile)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"NUMPY") + 200  # past the array's header, inside its data
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_word_freq_and_domain_table_loaded_from_the_cache_are_the_built_ones(tmp_path, monkeypatch):
    """A fresh worker loads word_freq's table and the domain df table from the table cache (session 56) instead of
    walking jieba's dictionary and parsing the TSV: the same dicts in the same order. A missing, damaged (not a zip,
    a bad CRC, cut short, columns of different lengths) or stale (a data file or the code edited) cache file is built
    again; another process's half-written temporary file is never read; JIANGHUA_CACHE=off builds and keeps nothing."""
    import shutil

    cache = tmp_path / "cache"
    monkeypatch.setenv("JIANGHUA_CACHE", str(cache))

    def fresh():
        E.word_freq.cache_clear()
        E.domain_df.cache_clear()
        return E.word_freq(10), E.domain_df()

    try:
        built_freq, built_df = fresh()  # missing: built and kept
        assert list(built_freq.items()) == list(E._word_freq(10).items()) and built_freq["区政府"] == 10
        assert built_df == E._read_domain_df() and built_df[0] > 0 and len(built_df[1]) > 1000
        (freq_file,) = cache.glob("word-freq-*.npz")
        (df_file,) = cache.glob("domain-df-*.npz")
        monkeypatch.setattr(E, "_word_freq", lambda floor: pytest.fail("built again"))
        monkeypatch.setattr(E, "_read_domain_df", lambda: pytest.fail("read again"))
        (cache / f".{freq_file.stem}.4242.tmp.npz").write_bytes(freq_file.read_bytes()[:1000])  # another writer's
        loaded_freq, loaded_df = fresh()
        assert list(loaded_freq.items()) == list(built_freq.items())
        assert loaded_df[0] == built_df[0] and list(loaded_df[1].items()) == list(built_df[1].items())
        monkeypatch.undo()
        monkeypatch.setenv("JIANGHUA_CACHE", str(cache))
        good = {p: p.read_bytes() for p in (freq_file, df_file)}
        for damage in (
            lambda p: p.write_bytes(b"not an npz"),
            _damage,
            lambda p: p.write_bytes(good[p][: len(good[p]) // 2]),
            lambda p: np.savez(p, keys=np.frombuffer("甲\n乙".encode(), np.uint8), values=np.arange(3)),
        ):
            for p in good:
                damage(p)
            again_freq, again_df = fresh()
            assert list(again_freq.items()) == list(built_freq.items()) and again_df == built_df
            assert all(p.read_bytes() == good[p] for p in good)  # built again and kept again
        # stale: an edited user dictionary (or code) names another table, which is built from the edit
        data = tmp_path / "data"
        shutil.copytree(E.DATA_DIR, data)
        with (data / "userdict.txt").open("a", encoding="utf-8") as fh:
            fh.write("高质量发展新词 900 n\n")
        monkeypatch.setattr(E, "DATA_DIR", data)
        edited, _ = fresh()
        assert edited["高质量发展新词"] == 900 and "高质量发展新词" not in built_freq
        assert len(list(cache.glob("word-freq-*.npz"))) == 2
        monkeypatch.setattr(E, "DATA_DIR", R.DATA_DIR)
        monkeypatch.setenv("JIANGHUA_CACHE", "off")
        shutil.rmtree(cache)
        off_freq, off_df = fresh()
        assert off_freq == built_freq and off_df == built_df and not cache.exists()
    finally:
        monkeypatch.undo()
        fresh()


def test_extraction_and_annotation_are_the_same_with_tables_built_or_loaded(tmp_path, monkeypatch):
    """Every table a fresh worker builds or loads from the table cache (jieba's parse, the gazetteer, IDF, word
    frequencies, the domain table, the scanners) gives the same fields and side-table rows: caching off, building
    into an empty cache, and loading from it."""
    from tasks import annotate

    tables = (
        T.jieba_main_dict,
        T.word_tags,
        R.load_gazetteer,
        E.word_freq,
        E.domain_df,
        E.reference_idf,
        E._token_counts,
        E._segmenter,
        P._word_tags,
        P._freq,
    )

    def clear() -> None:
        for f in tables:
            f.cache_clear()
        R._SCANNERS.clear()
        E._TOKEN_WEIGHTS.clear()

    def run() -> list:
        clear()
        monkeypatch.setattr(R, "_LAST_PLACES", ("", []))
        out = []
        for i, text in enumerate(SAMPLES):
            fields = E.extract_fields(text)
            rows = annotate.annotate_document(f"d{i}", text, fields.get("year"), fields.get("admin_level"), 20)
            out.append((fields, rows))
        return out

    try:
        monkeypatch.setenv("JIANGHUA_CACHE", "off")
        off = run()
        monkeypatch.setenv("JIANGHUA_CACHE", str(tmp_path))
        built = run()
        kinds = sorted(p.name.split("-1-")[0] for p in tmp_path.glob("*.npz"))
        assert kinds == ["domain-df", "gazetteer", "idf", "jieba-dict", "word-freq"]
        loaded = run()
        assert off == built == loaded and any(rows["keywords"] and rows["mentions"] for _, rows in off)
    finally:
        monkeypatch.undo()
        clear()  # tables of the test's cache folder: the next reader builds or loads its own


def test_the_segmenter_is_rjiebas_own_default():
    """Importing rjieba builds its default segmenter from the bundled dictionary: for a checked pair of versions the
    keywords' segmenter is that one (with the domain words), not a second build (0.13-0.2 CPU-s and 24 MB of every
    fresh extract or annotate worker, session 56)."""
    import importlib.metadata

    rjieba = pytest.importorskip("rjieba")
    if (importlib.metadata.version("rjieba"), T.jieba_dict_digest()) not in E.RJIEBA_BUILTIN_IS_JIEBAS:
        pytest.skip("not a checked pair: the segmenter is filled from dict.txt")
    assert E._segmenter() is rjieba.cut.__self__
    assert rjieba.cut("区政府", False) == ["区政府"]  # the user dictionary's word, added to it


def test_rjiebas_bundled_dictionary_is_jiebas_file_for_the_pinned_versions():
    """_token_counts builds its segmenter from rjieba's bundled dictionary when the installed (rjieba, dict.txt)
    pair is one checked here: every word's frequency (through suggest_freq) and tag, and the total (suggest_freq of
    two words joined divides by it), equal a segmenter built by adding the file's entries one by one. An upgrade of
    either package fails the first assert until the pair is checked and pinned."""
    import importlib.metadata

    rjieba = pytest.importorskip("rjieba")
    from tasks import extract_text as T

    pair = (importlib.metadata.version("rjieba"), T.jieba_dict_digest())
    assert pair in E.RJIEBA_BUILTIN_IS_JIEBAS, f"check rjieba's bundled dictionary for {pair}, then pin it"
    words, freqs, tags = T.jieba_main_dict()
    bundled, added = rjieba.Jieba(), rjieba.Jieba.empty()
    for w, f, t in zip(words, freqs, tags, strict=True):
        added.add_word(w, f, t)
    assert [bundled.suggest_freq(w) for w in words] == [added.suggest_freq(w) for w in words]
    assert [bundled.tag(w, False) for w in words] == [added.tag(w, False) for w in words]
    rng = random.Random(7)
    joined = [rng.choice(words) + rng.choice(words) for _ in range(5000)]
    assert [bundled.suggest_freq(w) for w in joined] == [added.suggest_freq(w) for w in joined]
    assert [bundled.has_word(w) for w in joined] == [added.has_word(w) for w in joined]
    assert bundled.cut(SAMPLES[0], True) == added.cut(SAMPLES[0], True)


def test_pos_table_is_jiebas_and_reference_idf_is_jiebas_file():
    """The POS table read from jieba's dictionary is jieba.posseg's word_tag_tab; the packed reference IDF answers
    what the plain dict of jieba's idf.txt answered (the keyword tests check the rest)."""
    import jieba.posseg

    from tasks.extract_text import word_tags

    assert word_tags() == jieba.posseg.dt.word_tag_tab
    assert R._common_words() is word_tags() and P._word_tags() is word_tags()  # one copy
    idf, median = E.reference_idf()
    plain: dict[str, float] = {}
    path = Path(jieba.__file__).with_name("analyse") / "idf.txt"
    for line in path.read_text("utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        if word:
            plain[word] = float(value)
    assert len(idf) == len(plain) and E._max_idf() == max(plain.values())
    assert median == statistics.median(plain.values())
    assert all(idf.get(w) == v for w, v in plain.items())
    for miss in ("", "不存在的词语", "x" * 40, "发展x"):
        assert idf.get(miss, -1.0) == (plain.get(miss, -1.0))
        assert (miss in idf) == (miss in plain)
    assert idf["发展"] == plain["发展"] and sorted(idf) == sorted(plain)


# ---------------------------------------------------------------- first-character lookaheads


def _unguarded(rx: re.Pattern) -> re.Pattern:
    """The pattern without its leading first-character lookahead."""
    m = re.match(r"\(\?=\[[^\]]*\]\)", rx.pattern)
    assert m, rx.pattern
    return re.compile(rx.pattern[m.end() :], rx.flags)


def _pattern_alphabet(rx: re.Pattern) -> str:
    """The letters a pattern names, and a few neighbours: random texts over them hit its alternatives often."""
    return "".join(sorted(set(re.findall(r"[\u4e00-\u9fffA-Za-z0-9]", rx.pattern)))) + "，：的比"


def test_prefixed_guards_only_what_re_does_not_scan_for_itself():
    assert F._prefixed("(?<!商务)服务业增加值|第三产业增加值").pattern.startswith("(?=[服第])")
    assert F._prefixed("(?:增长|增速)率?$").pattern == "(?:增长|增速)率?$"  # alternatives led by literals
    assert F._prefixed("国民收入").pattern == "国民收入"
    assert F._prefixed("(?:全国)?第[一二]位").pattern.startswith("(?=[全第])")
    assert F._prefixed("(?:全国)?").pattern == "(?:全国)?"  # matches empty: no first character
    assert F._prefixed(r"(?:\w+)?亿").pattern == r"(?:\w+)?亿"  # \w: not a small known set
    # \d is named as itself in the lookahead (re's Unicode digits, or ASCII ones under re.ASCII: the same as the body's)
    assert F._prefixed(r"(?<!\d)\d+亿|万").pattern == r"(?=[\d万])(?:(?<!\d)\d+亿|万)"
    assert F._prefixed(r"(?<!x)\d+", re.ASCII).match("٣") is None


OFFICE_ALPHABET = (
    "中共央国务院家全省市区县州旗盟镇乡委人民政府大常会协自治代理务执行副总书记主席长任部秘局厅表同志们李强，。 发"
)


@pytest.mark.parametrize(
    ("rx", "alphabet"),
    [
        (P.OFFICE_RE, OFFICE_ALPHABET),
        (P.AFTER_RE, OFFICE_ALPHABET + "提出指的、"),
        (F.FIGURE_RE, "0123456789.,%％个百分点亿万千元吨人次一二两三四五十百之×Xx多余-至到~ 年第届"),
        *[
            (rx, _pattern_alphabet(rx))
            for rx in (
                F.INDICATOR_ANY_RE,
                F.GDP_WORD_RE,
                F.NOT_HEAD_RE,
                F.RANK_RE,
                F.OUTCOME_RE,
                F.MULTI_YEAR,
                F.NOT_NOUN_RE,
                *tuple(rx for _, rx, _ in F.INDICATOR_RES if rx.pattern.startswith("(?=")),
            )
        ],
        # session 10: whole-text scans of the fields and the figures' paragraph cue (years, offices, sessions)
        *[
            (rx, _pattern_alphabet(rx) + "。；\n、-/.0123456789")
            for rx in (
                F.PARA_OUTCOME_RE,
                T.YEAR_RE,
                T.ISO_DATE_RE,
                T.OFFICE_KW_RE,
                T.ORG_PREFIX_RE,
                E.PLAN_YEAR_RE,
                E.REVIEW_YEAR_RE,
                E.YEAR_WORK_HEAD_JOINED_RE,
                E.PLAN_YEAR2_RE,
                E.YEAR_EST_RE,
                E.NPC_RE,
            )
        ],
    ],
)
def test_lookahead_guarded_regexes_match_their_plain_pattern(rx, alphabet):
    plain = _unguarded(rx)
    texts = _random_texts(alphabet) + SAMPLES
    for t in texts:
        assert _spans(rx, t) == _spans(plain, t)
    # .match at a position (AFTER_RE is also used so) agrees too
    for t in texts[:100]:
        for pos in range(len(t)):
            a, b = rx.match(t, pos), plain.match(t, pos)
            assert (a and a.span()) == (b and b.span())


SESSION_10_GUARDED = (
    F.PARA_OUTCOME_RE,
    T.YEAR_RE,
    T.ISO_DATE_RE,
    T.OFFICE_KW_RE,
    T.ORG_PREFIX_RE,
    E.PLAN_YEAR_RE,
    E.REVIEW_YEAR_RE,
    E.YEAR_WORK_HEAD_JOINED_RE,
    E.PLAN_YEAR2_RE,
    E.YEAR_EST_RE,
    E.NPC_RE,
    E.HEAD_SPLIT_RE,
    E.DATELINE_PASSED_RE,
    E.HEAD_CHROME_END_RE,
    E.HEAD_CHROME_START_RE,
    T.DATE_RE,
)


@pytest.mark.parametrize("rx", SESSION_10_GUARDED, ids=lambda rx: rx.pattern[:24])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_guarded_whole_text_patterns_match_their_plain_pattern_around_real_matches(rx, data):
    """Random letters seldom spell `2019年主要任务` or `十三届全国人大第二次会议`: texts here hold strings the plain
    pattern matches (drawn from it), glued between pieces of other matches and the characters around them."""
    plain = _unguarded(rx)
    alphabet = _pattern_alphabet(rx) + "。；\n、-/.0123456789"
    piece = st.one_of(st.from_regex(plain), st.text(alphabet, max_size=6))
    text = "".join(data.draw(st.lists(piece, min_size=1, max_size=6)))
    assert _spans_groups(rx, text) == _spans_groups(plain, text)
    for pos in range(len(text)):
        a, b = rx.search(text, pos), plain.search(text, pos)
        assert (a and a.span()) == (b and b.span())


def test_name_list_scan_matches_the_regex():
    rng = random.Random(11)
    lists = []  # names of 1-4 characters joined by 、 (sometimes ，), closed by 等 or not, glued to their neighbours
    for _ in range(300):
        text = "".join(rng.choice("王李张强伟亚民。") for _ in range(rng.randint(0, 3)))
        for i in range(rng.randint(2, 6)):
            text += rng.choice("、、、、，") if i else ""
            text += "".join(rng.choice("朱亚民吴义海黄荣文") for _ in range(rng.choice([1, 2, 2, 3, 3, 4])))
        lists.append(text + rng.choice(["等", "等同志", "", "和"]))
    texts = _random_texts("王李张强伟、等，。同志") + lists + SAMPLES
    found = 0
    for t in texts:
        got = [(m.start(), m.end()) for m in P.name_lists(t)]
        assert got == [(m.start(), m.end()) for m in P.NAME_LIST_RE.finditer(t)]
        found += len(got)
    assert found > 20


def _name_lists_every_start(text: str) -> list[tuple[int, int]]:
    """name_lists as it was: NAME_LIST_RE tried 2 and 3 characters before every 、, bounded at NAME_LIST_MAX_CHARS."""
    starts = sorted({q - n for q in (m.start() for m in P.LIST_MARK_RE.finditer(text)) for n in (2, 3) if q >= n})
    out, pos = [], 0
    for s in starts:
        if s < pos:
            continue
        m = P.NAME_LIST_RE.match(text, s, min(len(text), s + P.NAME_LIST_MAX_CHARS))
        if m is not None:
            out.append(m.span())
            pos = m.end()
    return out


def test_name_list_scan_tries_only_runs_that_hold_a_lists_end():
    """Starts are tried only in a run of Han characters and 、 holding `、name等` after them: the same matches as
    trying every 、, on chains longer than the scan's bound, lists at the text's first character, 等 inside names,
    runs broken by punctuation."""
    rng = random.Random(60)
    texts = [
        "朱亚民、吴义海、黄荣文等",
        "亚民、吴义海、黄荣文等同志",
        "、朱亚、吴义、黄荣等",
        "王伟、李强、" * 120 + "张三等",
    ]
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 60)):
            parts.append("".join(rng.choice("朱亚民吴义海等") for _ in range(rng.choice([1, 2, 2, 3, 3, 4]))))
            parts.append(rng.choice("、、、、、、，。等 "))
        texts.append("".join(parts))
    found = 0
    for t in texts:
        got = [m.span() for m in P.name_lists(t)]
        assert got == _name_lists_every_start(t), t
        found += len(got)
    assert found > 100


def test_organization_regex_matches_its_plain_alternation():
    rx = P._org_re()
    plain = _unguarded(rx)
    words = re.findall(r"[^|()?:\\]+", plain.pattern)[:300]
    rng = random.Random(5)
    texts = SAMPLES + ["".join(rng.choice(words)[rng.randint(0, 2) :] for _ in range(5)) for _ in range(300)]
    assert sum(len(_spans(plain, t)) for t in texts) > 100
    for t in texts:
        assert _spans(rx, t) == _spans(plain, t)
        assert P._org_matches(t) == [(a, b, w) for a, b, w, _ in _spans(plain, t)]


def test_campaign_scan_is_skipped_only_where_it_cannot_match():
    """extract_slogans scans for campaigns only in texts with 战 or 行动: every campaign match contains one."""
    texts = _random_texts("打好赢响开展进行启动推进决战第一二次新轮百日千天大会攻坚专项行动作，") + SAMPLES
    found = 0
    for t in texts:
        for m in S.CAMPAIGN_RE.finditer(t):
            found += 1
            assert "战" in m.group(0) or "行动" in m.group(0)
    assert found > 20
    rows = S.extract_slogans("d", "打响百日会战，开展消费专项行动，开展专项行动。")
    assert [r["text"] for r in rows] == ["消费专项行动", "百日会战"]  # a bare 专项行动 names no campaign


def test_campaign_scan_of_han_runs_finds_what_the_whole_text_scan_finds():
    """Campaigns are searched only in the runs of Han characters that hold 战 or 行动; the matches (spans and
    groups) are those of CAMPAIGN_RE over the whole text: runs cut by punctuation, digits, Latin letters, a rare
    Extension-B character inside a name, an ending at a run's first or last character, long 第…次 prefixes."""
    alphabet = "打好赢响开展进行启动推进决战第一二三十次新轮百日千天大会攻坚专项行动的㙟𠮷，。A1\n"
    rng = random.Random(11)
    texts = _random_texts(alphabet) + SAMPLES
    pieces = [
        "打好",
        "开展",
        "第十二次",
        "第",
        "次",
        "新一轮",
        "百日",
        "千日",
        "三",
        "大会战",
        "攻坚战",
        "会战",
        "行动",
    ]
    pieces += ["百日行动", "专项行动", "战", "动", "，", "1", "A", "𠮷", "㙟", "的", "\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    texts += ["行动", "战", "会战", "第十一十二次大会战。", "，专项行动", "𠮷专项行动𠮷", "A百日行动1攻坚战"]
    found = 0
    for t in texts:
        whole = [(m.span(), m.group(1)) for m in S.CAMPAIGN_RE.finditer(t)]
        assert [(m.span(), m.group(1)) for m in S._campaign_matches(t)] == whole, t
        found += len(whole)
    assert found > 500


# ---------------------------------------------------------------- figures


def _indicator_reference(before: str, national: bool):
    """_indicator without the combined pre-scan and the memo."""
    before = F.BASIS_RE.sub("", before)
    zhan = before.find("占")
    head = before[:zhan] if zhan > 0 else before
    best = None
    for prio, (name, rx, _) in enumerate(F.INDICATOR_RES):
        for m in rx.finditer(head):
            key = (m.end(), -prio, name)
            if best is None or key > best:
                best = key
    for gm in F.GDP_WORD_RE.finditer(head):
        if best is None or gm.end() > best[0]:
            best = (gm.end(), 1, F.NATIONAL_GDP if national else F.REGIONAL_GDP)
    phrase = F.SUBJECT_TRIM.sub("", head.strip(' “”"（）()')).strip()
    if best is None:
        return None, phrase
    end, _, name = best
    if F.NOT_HEAD_RE.search(F.TARGET_OF_RE.sub("", head[end:])):
        return None, phrase
    if name in (F.NATIONAL_GDP, "人均国内生产总值") and not national and not re.search(r"全国|我国|国家", head[:end]):
        name = F.REGIONAL_GDP if name == F.NATIONAL_GDP else "人均地区生产总值"
    return name, phrase


INDICATOR_CLAUSES = [
    "",
    "全省地区生产总值",
    "其中服务业增加值占地区生产总值的比重",  # 占: the part before it governs
    "商务服务业增加值",  # a lookbehind inside an alias
    "扣除物价因素，城镇居民人均可支配收入实际",
    "经济增长速度的宏观调控目标",
    "全国国内生产总值",
    "国内生产总值增长对就业的贡献率",
    "人均GDP",
    "M2余额",
    "货币供应量M2",
    "户籍人口城镇化率",
    "规模以上工业增速",
    "比上年",
]


@pytest.mark.parametrize("clause", INDICATOR_CLAUSES)
@pytest.mark.parametrize("national", [False, True])
def test_indicator_prescan_and_memo_keep_the_answer(clause, national):
    assert F._indicator(clause, national) == _indicator_reference(clause, national)
    assert F._indicator(clause, national) == _indicator_reference(clause, national)  # memo hit


def test_indicator_on_every_clause_of_the_samples():
    clauses = [c for t in SAMPLES for c in re.split(r"[，,；;：:、。！？\n\d]", t) if c]
    assert len(clauses) > 500
    for c in clauses:
        for national in (False, True):
            assert F._indicator(c, national) == _indicator_reference(c, national)


def _has_noun_reference(subject: str) -> bool:
    s = re.sub(r"增加值", "增值", subject)
    s = s.replace("人均", "每人")
    s = F.RANK_RE.sub("", F.BASIS_RE.sub("", s))
    s = re.sub(F.NOT_NOUN_RE.pattern, "", s)
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", s)) >= 2


def test_has_noun_memo_keeps_the_answer():
    clauses = [*INDICATOR_CLAUSES, "工业增加值增加", "人均3712元", "比上年增长", "居全国第六位", "分别", "总量"]
    clauses += [c for t in SAMPLES for c in re.split(r"[，,；;：:、。！？\n\d]", t) if c]
    assert {_has_noun_reference(c) for c in clauses} == {True, False}
    for c in clauses:
        assert F._has_noun(c) is _has_noun_reference(c)
        assert F._has_noun(c) is _has_noun_reference(c)


def _figure_sentences() -> list[str]:
    """The sample speeches' sentences that hold a numeral (those extract_figures reads), and tricky ones."""
    sents = [m.group(0) for t in SAMPLES for m in F.SENT_RE.finditer(t) if F.NUMERAL_RE.search(m.group(0))]
    sents += ["比2010年增长3%", "二〇二〇年增长5%", "与1978年相比，增长了两倍", "增长5%，2019年", "年均增长8%"]
    assert len(sents) > 300
    return sents


def _stated_years_reference(sent: str) -> tuple:
    """_stated_years without its 年 pre-test."""
    found = [(ym.start(), ym.end(), int(ym.group(1))) for ym in T.YEAR_RE.finditer(sent)]
    found += [(ym.start(), ym.end(), F._cn_year(ym.group(1))) for ym in F.CN_YEAR_RE.finditer(sent)]
    out = []
    for ys, ye, y in sorted(found):
        base = re.search(r"(?:[比与较同]|低于|高于|相对)\s*$", sent[max(0, ys - 3) : ys]) or re.match(
            r"\s*(?:相比|比|同期|水平|不变价|价格|可比价)", sent[ye : ye + 4]
        )
        if y and not base:
            out.append((ys, ye, y))
    return tuple(out)


def test_stated_years_skip_only_sentences_without_a_year():
    sents = _figure_sentences()
    assert any("年" not in x for x in sents) and any(_stated_years_reference(x) for x in sents)
    for x in sents:
        assert F._stated_years(x) == _stated_years_reference(x), x


def _measure_reference(kind: str, unit: str, clause_before: str, indicator: str | None) -> str:
    """_measure's first test as it was (no 到/至 pre-test); the rest is _measure's own."""
    tail = clause_before[-8:]
    if unit != "个百分点" and (
        F.TO_LEVEL_RE.search(tail.rstrip("了约近超过达")) or re.search(r"(?:提高|增加|增长|下降|降低)(?:到|至)", tail)
    ):
        return "share" if unit in ("%", "‰") else ("count" if kind == "count" and indicator is None else "level")
    return F._measure.__wrapped__(kind, unit, clause_before, indicator)


def test_measure_to_level_pretest_keeps_the_answer():
    clauses = [c for x in _figure_sentences() for c in re.split(r"[，,；;：:、。！？\d]", x)]
    clauses += ["提高到", "增加至约", "下降到了", "降低至", "增长至", "增速提高至", "提高", "到", "增长了"]
    units = [("rate", "%"), ("amount", "元"), ("count", "人"), ("rate", "个百分点"), ("rate", "倍")]
    for c in clauses:
        for kind, unit in units:
            for indicator in (None, "城镇登记失业率", F.REGIONAL_GDP):
                assert F._measure(kind, unit, c, indicator) == _measure_reference(kind, unit, c, indicator), c


@given(st.text(alphabet="经济增长速度率总量生产总值GDP全国省的是和均，：实际年平均每", max_size=30))
@settings(max_examples=300, deadline=None)
def test_gdp_word_and_basis_matches_start_with_their_literals(text):
    """_indicator scans for GDP_WORD_RE and substitutes BASIS_RE only in clauses holding one of their literals."""
    for m in F.GDP_WORD_RE.finditer(text):
        assert text.startswith(F.GDP_WORD_LITERALS, m.start())
    assert not F.GDP_WORD_RE.search(text) or any(w in text for w in F.GDP_WORD_LITERALS)
    for m in F.BASIS_RE.finditer(text + "扣除价格因素按可比口径计算"):
        assert m.group(0).startswith(("扣除", "按可比"))


def _figure_rows_of(sent: str) -> list[dict]:
    return F._sentence_figures("d", sent, 0, F._Sections([]), False, 2020, None)


@given(
    st.text(alphabet="12３0.,  -～至到多余万亿千百十五两一〇百分之%％‰元人个家项倍亩吨岁次年月第×Xx和增长", max_size=24)
)
@settings(max_examples=600, deadline=None)
def test_sentences_skipped_by_the_unit_pretest_have_no_figure(sent):
    """extract_figures calls _sentence_figures only for sentences UNIT_AFTER_NUMBER_RE (or 百分之) lets through: the
    others yield no row, whatever their numbers (spaces, magnitudes, 多/余, ranges, placeholders)."""
    if not (F.UNIT_AFTER_NUMBER_RE.search(sent) or "百分之" in sent):
        assert _figure_rows_of(sent) == []


def test_unit_pretest_on_the_sample_sentences():
    sents = [*_figure_sentences(), "增长5 %", "达到3 亿元", "×元", "八至九个百分点", "5%-6%", "增长百分之五"]
    skipped = [x for x in sents if not (F.UNIT_AFTER_NUMBER_RE.search(x) or "百分之" in x)]
    assert len(skipped) > 20
    assert all(_figure_rows_of(x) == [] for x in skipped)
    assert all(_figure_rows_of(x) for x in ["增长5 %", "达到3 亿元", "增长百分之五", "5%-6%"])


def _figures_reference(doc_id, text, sections=(), national=False, year=None, admin_level=None) -> list[dict]:
    """extract_figures as it was: every sentence with a numeral read, every sentence searched for the paragraph cue."""
    level = admin_level or ("national" if national else None)
    national = national or level == "national"
    secs = F._Sections(sections)
    rows: list[dict] = []
    para_outcome = False
    for sm in F.SENT_RE.finditer(text):
        sent = sm.group(0)
        if sm.start() == 0 or text[sm.start() - 1] == "\n":
            para_outcome = False
        if sent.strip() and F.NUMERAL_RE.search(sent):
            rows.extend(F._sentence_figures(doc_id, sent, sm.start(), secs, national, year, level, para_outcome))
        para_outcome = para_outcome or bool(F.PARA_OUTCOME_RE.search(sent))
    F._flag_outliers(rows)
    return rows


def test_figures_read_the_paragraph_cue_lazily_with_the_same_rows():
    """The paragraph cue (去年, 过去一年 …) is searched only when a later sentence of the paragraph has figures."""
    texts = list(SAMPLES)
    texts += [
        "去年，全市生产总值增长5%。今年预期增长6%。\n增长7%。",
        "一年来，工作扎实。我们努力。生产总值增长8%，达到100亿元。\n。过去五年。增长9%。",
        "增长5%。过去一年，增长6%。增长7%。\n今年增长8%。",
        "。去年。\n\n增长3%。",
        "增长5%。去年。\n今年增长6%。",  # the cue of a paragraph with no figure after it does not carry over
    ]
    checked = 0
    for t in texts:
        for year, national in ((2020, False), (None, True)):
            got = F.extract_figures("d", t, S.extract_sections("d", t), national, year)
            assert got == _figures_reference("d", t, S.extract_sections("d", t), national, year)
            checked += len(got)
    assert checked > 100


# sentences of a report (figures or not, the paragraph cues 去年/过去一年 among them) and what ends them: terminators,
# line ends, a line end before a terminator (`\n。` starts no paragraph), a unit across a line end (`5\n元`)
FIGURE_SENTENCES = [
    "今年全市生产总值增长5%",
    "今年力争增长6%",
    "今年财政收入达到12亿元",
    "去年全市生产总值增长7%",
    "过去一年，工作扎实",
    "一年来",
    "比去年增长3%",
    "预期目标是增长百分之五",
    "全年粮食产量达到500万吨以上",
    "我们努力",
    "第三次会议",
    "5",
    "元",
    "",
]
FIGURE_SEPARATORS = ["。", "！", "？", "!", "?", "\n", "\n\n", "\n。", "。\n", "。。", " ", "，"]


@given(st.lists(st.tuples(st.sampled_from(FIGURE_SENTENCES), st.sampled_from(FIGURE_SEPARATORS)), max_size=14))
@settings(max_examples=500, deadline=None)
def test_figures_search_candidates_with_the_same_rows_as_reading_every_sentence(parts):
    """extract_figures reads only the sentences holding a candidate (a unit after a number, 百分之) and finds a
    sentence's start and paragraph from the text around it: the same rows, paragraph cues included, as reading
    every sentence in turn (terminators and line ends in every order, `\n。`, a unit across a line end)."""
    text = "".join(a + b for a, b in parts)
    for year, national in ((2020, False), (None, True)):
        sections = S.extract_sections("d", text)
        assert F.extract_figures("d", text, sections, national, year) == _figures_reference(
            "d", text, sections, national, year
        )


def test_figures_candidate_search_on_the_samples():
    for t in SAMPLES:
        for cut in (t, t.replace("。", "\n"), t.replace("，", "\n。")):
            assert F.extract_figures("d", cut, (), False, 2020) == _figures_reference("d", cut, (), False, 2020)


def _indicator_aliases_reference(head: str) -> tuple | None:
    """_indicator's best alias as it was found: every alias pattern tried on the clause."""
    best = None
    for prio, (name, rx, _) in enumerate(F.INDICATOR_RES):
        for m in rx.finditer(head):
            key = (m.end(), -prio, name)
            if best is None or key > best:
                best = key
    return best


@given(st.text(alphabet="".join(sorted({c for _, rx, _ in F.INDICATORS for c in rx if c >= "\u4e00"})) + "，的占5%"))
@settings(max_examples=300, deadline=None)
def test_indicator_tries_only_the_aliases_of_the_clause_characters(head):
    """_indicator tries only the aliases that can start with one of the clause's characters: the same indicator as
    trying all of them, on clauses drawn from the aliases' own characters and on every sample clause."""
    F._indicator.cache_clear()
    for national in (False, True):
        got = F._indicator(head, national)
        F.INDICATOR_BY_FIRST, saved = (
            {c: tuple(range(len(F.INDICATORS))) for c in F.INDICATOR_BY_FIRST},
            F.INDICATOR_BY_FIRST,
        )
        try:
            F._indicator.cache_clear()
            want = F._indicator(head, national)
        finally:
            F.INDICATOR_BY_FIRST = saved
            F._indicator.cache_clear()
        assert got == want


def test_indicator_first_characters_on_the_samples():
    heads = {x[:i] for x in _figure_sentences() for i in range(len(x))}
    checked = 0
    for head in heads:
        want = _indicator_aliases_reference(head)
        tried = set()
        for c in F.INDICATOR_BY_FIRST.keys() & set(head):
            tried.update(F.INDICATOR_BY_FIRST[c])
        got = max(
            ((m.end(), -p, F.INDICATOR_RES[p][0]) for p in tried for m in F.INDICATOR_RES[p][1].finditer(head)),
            default=None,
        )
        assert got == want
        checked += want is not None
    assert checked > 150


def test_numbers_without_a_qualifier_word_have_no_qualifiers():
    """_sentence_figures skips _quals (memo and all) when neither 多/余, a POST_QUAL start nor a PRE_QUAL word is
    there: _quals then gives () on every number of the samples, and gives something where the test passes."""
    seen = {True: 0, False: 0}
    for x in _figure_sentences():
        for m in F.FIGURE_RE.finditer(x):
            start, end = m.start(), m.end()
            for before in (x[max(0, start - 8) : start], x[:start][-3:]):
                post = x[end : end + 3]
                for more, more3 in ((m.group("more"), m.group("more3")), (None, None)):
                    asks = bool(more or more3 or post[:1] in F.POST_QUAL_FIRST or F.PRE_QUAL_RE.search(before))
                    seen[asks] += 1
                    if not asks:
                        assert F._quals(before, more, more3, post) == ()
    assert seen[True] > 50 and seen[False] > 50
    assert F._quals("", None, None, "以上") == ("以上",) and F._quals("约", None, None, "") == ("约",)


# an outline's pieces: styles that nest and restart, parts that restart the first level, a glossary's heading and
# its numbered terms, prose with figures
OUTLINE_PIECES = ["一、", "二、", "三、", "（一）", "（二）", "1.", "2.", "第一，", "一是", "二是", "2020年工作回顾"]
OUTLINE_PIECES += ["2021年主要目标和重点工作", "名词解释", "。", "\n", "\n", "发展经济", "增长8%", "；"]


@given(st.lists(st.sampled_from(OUTLINE_PIECES), max_size=60))
@settings(max_examples=300, deadline=None)
def test_sections_and_context_are_the_two_separate_reads(pieces):
    """sections_and_context walks the outline once, with the glossary: its sections (the rows before the glossary,
    ends cut there) and figures' context are what extract_sections and figure_context give each on its own."""
    text = "".join(pieces)
    assert S.sections_and_context("d", text) == (S.extract_sections("d", text), S.figure_context("d", text))


def test_sections_and_context_on_the_samples():
    glossary = "\n名词解释\n1.“六稳”：稳就业、稳金融。\n2.“三农”：农业、农村、农民。\n"
    for t in SAMPLES:
        for text in (t, t + glossary, t.replace("\n\n", "\n2021年主要目标和重点工作\n", 1)):
            assert S.sections_and_context("d", text) == (S.extract_sections("d", text), S.figure_context("d", text))


def test_annotation_reads_the_outline_once(monkeypatch):
    """extract_tables finds a text's outline candidates and part headings once for sections and figures (each
    table read them on its own: candidates twice, parts three times)."""
    calls: Counter = Counter()

    def counting(name: str, real):
        def counted(*args):
            calls[name] += 1
            return real(*args)

        return counted

    for name in ("_candidates", "part_headings"):
        monkeypatch.setattr(S, name, counting(name, getattr(S, name)))
    S.extract_tables("d", max(SAMPLES, key=len), year=2020)
    assert calls == {"_candidates": 1, "part_headings": 1}


def test_a_failing_shared_outline_leaves_each_table_its_own_read(monkeypatch):
    text = max(SAMPLES, key=len)
    want = S.extract_tables("d", text, year=2020)
    assert want["sections"] and want["figures"]

    def fail(doc_id, text):
        raise RuntimeError("outline")

    monkeypatch.setattr(S, "sections_and_context", fail)
    assert S.extract_tables("d", text, year=2020) == want


# ---------------------------------------------------------------- keywords


def _term_counts_reference(text: str) -> dict[str, int]:
    stop = E._stopwords()
    counts = E._token_counts()(text)
    return {
        t: n
        for t, n in sorted(counts.items())
        if len(t) >= 2
        and t not in stop
        and E.TERM_RE.match(t)
        and not E.PLACE_PRONOUN_RE.match(t)
        and not E._is_place_name(t)
        and not E._is_fragment(t)
    }


def _keywords_reference(doc_id: str, text: str, k: int) -> list[dict]:
    idf, default = E.reference_idf()
    n, df = E.domain_df()
    tf = _term_counts_reference(text)

    def weight(t: str) -> float:  # the domain weight, written out
        return (math.log((n + 1) / (df.get(t, 0) + 1)) / math.log(n + 1)) ** E.DOMAIN_IDF_POWER

    return E.top_keywords(doc_id, tf, {t: idf.get(t, default) * weight(t) for t in tf}, k=k)


TRICKY = "推进Wi-Fi全覆盖，落实2011-2020年规划，我区、本市、全国；C++与A+B方案，III-V族，REITs试点。"


def test_term_counts_and_keywords_match_the_sorting_versions():
    texts = [*SAMPLES, TRICKY, "", "。", "发展发展发展经济经济"]
    for t in texts:
        assert E.term_counts(t) == _term_counts_reference(t)
        assert list(E.term_counts(t)) == list(_term_counts_reference(t))  # sorted by term
        for k in (0, 1, 5, 20, 500):
            assert E.document_keywords("d", t, k=k) == _keywords_reference("d", t, k)


def test_keywords_of_tokens_that_left_the_memo_are_the_same():
    """A token whose weight another thread cleared from the memo between documents is judged again: the same
    keywords, ties on the score ordered by term."""
    for t in (max(SAMPLES, key=len), TRICKY, "发展发展经济经济改革改革"):
        want = _keywords_reference("d", t, 5)
        assert E.document_keywords("d", t, k=5) == want
        for token in list(E._token_counts()(t))[::2]:
            E._TOKEN_WEIGHTS.pop(token, None)
        assert E.document_keywords("d", t, k=5) == want


def test_a_term_of_weight_zero_is_a_term_and_judged_tokens_are_remembered(monkeypatch):
    """The memo's weights tell terms from other tokens by NOT_A_TERM alone: a term every speech of the domain table
    uses weighs exactly 0.0 and stays a term (its rows score 0.0); a token judged once is not judged again."""
    n, df = E.domain_df()
    assert n
    monkeypatch.setattr(E, "domain_df", lambda: (n, {**df, "改革": n}))
    monkeypatch.setattr(E, "_TOKEN_WEIGHTS", {})
    text = "改革。创新。产业。"
    assert E.keyword_idf(["改革"]) == [0.0]
    assert "改革" in E.term_counts(text)
    rows = E.document_keywords("d", text, k=20)
    assert {r["term"]: r["score"] for r in rows}["改革"] == 0.0
    assert rows == _keywords_reference("d", text, 20)
    assert E._TOKEN_WEIGHTS["改革"] == 0.0 and E._TOKEN_WEIGHTS["。"] == E.NOT_A_TERM
    judged = []
    monkeypatch.setattr(E, "_is_term", lambda t, stop: judged.append(t) or False)
    assert E.document_keywords("d", text, k=20) == rows
    assert judged == []


def test_term_memo_is_bounded_and_clearing_it_changes_nothing(monkeypatch):
    monkeypatch.setattr(E, "TERM_MEMO_MAX", 50)
    monkeypatch.setattr(E, "_TOKEN_WEIGHTS", {})
    for t in SAMPLES:
        assert E.term_counts(t) == _term_counts_reference(t)
        assert E.document_keywords("d", t, k=20) == _keywords_reference("d", t, 20)
        assert len(E._TOKEN_WEIGHTS) <= max(50, len(Counter(E._token_counts()(t))))


def test_clean_line_skips_only_substitutions_that_change_nothing():
    from tasks import extract_text as X

    def reference(s: str) -> str:
        return X.SPACES_RE.sub(" ", X.MARKUP_RE.sub("", s)).strip()

    texts = _random_texts(" \t\u3000\xa0\n\r\x1c\u2028#*_<!->甲乙a1", n=3000) + SAMPLES
    texts += [
        "## 标题",
        "  #甲",
        "**甲**",
        "甲__乙",
        "<!-- x -->甲",
        "甲<!--乙",
        "甲\u3000\u3000乙",
        "\x85甲",
        "#######甲",
    ]
    for t in texts + [line for s in SAMPLES for line in s.splitlines()]:
        assert X.clean_line(t) == reference(t), repr(t)


def test_to_half_replaces_exactly_what_translate_did():
    from tasks.extract_text import FULLWIDTH, to_half

    texts = _random_texts("０１２３４５６７８９．％：（）0123.:()一二，。ａＡ 　") + SAMPLES
    for t in texts:
        assert to_half(t) == t.translate(FULLWIDTH)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "、",
        "、、、",
        "王洪文、张春桥、江青、姚文元",
        "象马天水、于会泳、迟群、张铁生那样",
        "一二三四五六七八九十一二三四五六七八九十、甲乙、丙丁",  # a first item longer than 12 characters
        "甲、乙\n、丙、丁、戊",  # a line break inside
        "甲乙、丙丁、戊己、庚辛、壬癸，子丑、寅卯",
        "ab、甲、乙、丙",
        "甲、乙",  # a pair: no list, and no try
        "甲、一二三四五六七八九十一二三、乙、丙",  # a second item longer than 12 characters
        "甲、一二三四五六七八九十一二、乙、丙",  # the longest second item
        "甲、乙、，丙、丁、戊",  # no Han character after the second 、
    ],
)
def test_long_lists_match_the_regex_scan(text):
    assert _spans(P.LONG_LIST_RE, text) == [(m.start(), m.end(), m.group(0), {}) for m in P.long_lists(text)]


def test_long_lists_match_the_regex_scan_on_random_and_sample_texts():
    rng = random.Random(60)
    tokens = ["".join(rng.choice("甲乙丙") for _ in range(rng.choice([1, 2, 3, 11, 12, 13, 14]))) for _ in range(200)]
    chains = [
        "".join(rng.choice(tokens) + rng.choice("、、、，") for _ in range(rng.randint(1, 5))) for _ in range(300)
    ]
    texts = _random_texts("甲乙丙丁、、，a1\n", n=1500) + chains + SAMPLES
    found = 0
    for t in texts:
        want = _spans(P.LONG_LIST_RE, t)
        found += len(want)
        assert [(m.start(), m.end(), m.group(0), {}) for m in P.long_lists(t)] == want
    assert found > 100


def _section_candidates_reference(text: str):
    """extract_structure._candidates as it was: every style tried on every line, enumerations line by line."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" \u3000*#")
        off = pos + len(line) - len(stripped)
        for style, rx in S.LINE_STYLES:
            m = rx.match(stripped)
            if m:
                n = S._ordinal(m.group(1))
                if n:
                    yield off, style, n, off + m.end()
                break
        else:
            for style, rx in S.ENUM_STYLES:
                if style == "第一，":
                    continue
                m = rx.match(stripped)
                if m and S._ordinal(m.group(1)):
                    yield off, style, S._ordinal(m.group(1)), off + m.end()
                    break
        for style, rx in S.ENUM_STYLES:
            for m in rx.finditer(stripped):
                if m.start() == 0 or stripped[m.start() - 1] not in "。；！？：":
                    continue
                n = S._ordinal(m.group(1))
                if n:
                    yield off + m.start(), style, n, off + m.end()
        pos += len(line) + 1


def test_section_candidates_match_the_per_line_scan():
    texts = _random_texts("一二三是要第，、。；：！ \u3000\n\r\t（）(1)２.．*#做好工作", n=1500) + SAMPLES
    found = inner = 0
    for t in texts:
        want = sorted(set(_section_candidates_reference(t)))
        assert sorted(set(S._candidates(t))) == want
        found += len(want)
        inner += sum(1 for c in want if c[0] and t[c[0] - 1] in "。；！？：")
    assert found > 150 and inner > 30


# ---------------------------------------------------------------- session 8: date cue, chrome lines


@pytest.mark.parametrize(
    "line",
    [
        "",
        "发布时间：2021-03-25",
        "2021年3月5日",
        "二〇二一年三月五日",
        "2021.3.5",
        "2021/03/05",
        "２０２１．３．５",
        "时间：2026-02-09 来源：解放日报",
        "没有日期的一行",
        "2021年",
        "12月",
        "-",
        "３月",
    ],
)
def test_find_date_cue_skips_only_lines_without_a_date(line):
    from tasks import extract_text as X

    def reference(s):
        s = X.to_half(s)
        best = None
        for rx in (X.DATE_RE, X.ISO_DATE_RE):
            for m in rx.finditer(s):
                d = X.make_date(m["y"], m["m"], m["d"])
                if d is not None:
                    if best is None or m.start() < best[1]:
                        best = (d, m.start(), m.end())
                    break
        return best

    assert X.find_date(line) == reference(line)


def test_simplify_lines_is_simplify_line_by_line():
    from tasks.extract_text import simplify, simplify_lines

    lines = [ln for t in SAMPLES for ln in t.splitlines()[:80]]
    lines += [
        "",
        "區(qū)長經(jīng)濟",
        "發佈時間：２０２１年３月",
        "  ",
        "乾隆",
        "后台 後臺",
        "a\rb",
        "\u2028",
        "藉口",
        "區長 藉口",
    ]
    assert simplify_lines(lines) == [simplify(x) for x in lines]
    assert simplify_lines(["甲\n乙", "發"]) == [simplify("甲\n乙"), simplify("發")]  # a break inside: line by line
    assert simplify_lines([]) == []


def test_simplify_lines_finds_every_line_holding_traditional_script():
    """simplify_lines finds the lines holding Traditional script with one search from each such line's end on: lines
    at the block's ends, side by side, empty, or holding several Traditional characters are each found once."""
    import random

    from tasks.extract_text import _lines_holding, _traditional, simplify, simplify_lines

    pool = [
        "國務院",
        "区长讲话",
        "",
        "發佈時間：２０２１年",
        "后台 後臺",
        "藉口",
        "乾隆",
        "經濟發展",
        "北京",
        "  ",
        "𠀋字",
    ]
    rng = random.Random(60)
    for _ in range(300):
        lines = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        s = "\n".join(lines)
        if m := _traditional().search(s):
            assert _lines_holding(s, m) == [i for i, x in enumerate(lines) if _traditional().search(x)], lines
        assert simplify_lines(lines) == [simplify(x) for x in lines], lines


def test_simplify_reads_a_simplified_line_as_written():
    """OpenCC runs only on lines holding a character t2s converts on its own, as normalize converts pages: its phrases
    would rewrite Simplified words (藉 is Simplified too); a line with Traditional script converts whole."""
    from tasks.extract_text import simplify, simplify_lines

    assert simplify("藉口") == "藉口"
    assert simplify("區長 藉口") == "区长 借口"
    assert simplify_lines(["藉口", "區(qū)長講話", "２０２１年"]) == ["藉口", "区长讲话", "2021年"]


@pytest.mark.parametrize("stage", ["extract", "annotate"])
def test_extract_and_annotate_shards_raise_the_gc_threshold_and_restore_it(monkeypatch, stage):
    import gc

    from tasks import annotate

    before = gc.get_threshold()
    seen = []

    def fake(*args):
        seen.append(gc.get_threshold())
        raise RuntimeError("boom")

    if stage == "extract":
        monkeypatch.setattr(E, "_extract_shard", fake)

        def call():
            return E.extract_shard({"normalize": "nowhere"}, "nowhere")
    else:
        # since session 54 only a call that annotates documents raises it (an old shard whose canonicals only shrank
        # copies rows): the first thing _annotate_documents reads is extract's fields
        import pyarrow.parquet as pq

        monkeypatch.setattr(pq, "ParquetFile", fake)

        def call():
            return annotate._annotate_documents({"extract": "nowhere"}, {"a"}, 1, None, (), [], {}, {}, {})

    with pytest.raises(RuntimeError):
        call()
    assert seen == [(max(E.EXTRACT_GC_GEN0, before[0]), *before[1:])]
    assert gc.get_threshold() == before


def test_reference_idf_get_many_is_get_of_each_word():
    idf, default = E.reference_idf()
    words = [*list(idf)[:200:7], *list(idf)[-50:], "不在词典里的词", "Zz", "", "发展", "经济", "a", "龘龘龘龘龘龘龘龘"]
    assert idf.get_many(words, default) == [idf.get(w, default) for w in words]
    assert idf.get_many([], default) == []


def test_rows_table_is_rows_to_table():
    from tasks import schema
    from tasks.common import rows_to_table

    fields, tables = [], {name: [] for name in schema.EXTRACT_TABLES}
    for i, text in enumerate(SAMPLES):
        got = E.extract_fields(text)
        got.pop("flags", None)
        fields.append({**got, "doc_id": f"d{i}", "extract_flags": [("x", 1)], "not_a_column": 1})
        for name, rows in S.extract_tables(f"d{i}", text, year=got.get("year")).items():
            tables[name].extend(rows)
        tables["keywords"].extend(E.document_keywords(f"d{i}", text))
    fields.append({"doc_id": "bare", "extract_flags": []})  # every other column missing: nulls
    cases = [(fields, schema.EXTRACTED)] + [(rows, schema.TABLES[name]) for name, rows in tables.items()]
    cases += [([], schema.TABLES[name]) for name in schema.EXTRACT_TABLES]
    for rows, sch in cases:
        new, old = E.rows_table(rows, sch), rows_to_table(rows, sch)
        assert new.schema.equals(old.schema, check_metadata=True)
        assert new.equals(old)
    assert all(tables.values())


def test_keywords_survive_a_memo_cleared_while_a_document_is_judged(monkeypatch):
    # in-process runs extract shards in threads sharing the memo: another thread may clear it (it passed
    # TERM_MEMO_MAX) right after this document's new tokens were judged; the keywords must not change
    text = SAMPLES[0]
    want = _keywords_reference("d", text, 20)
    monkeypatch.setattr(E, "_TOKEN_WEIGHTS", {})
    real = E.keyword_idf

    def idf_then_cleared(terms):
        got = real(terms)
        E._TOKEN_WEIGHTS.clear()
        return got

    monkeypatch.setattr(E, "keyword_idf", idf_then_cleared)
    assert E.document_keywords("d", text, k=20) == want


def test_the_reference_idf_loaded_from_the_cache_is_the_parsed_one(tmp_path, monkeypatch):
    """A fresh worker loads the packed IDF arrays (tasks.common.load_arrays) instead of parsing jieba's
    idf.txt: the same table, median and maximum; a damaged cache file is built again."""
    from tasks import extract

    monkeypatch.setenv("JIANGHUA_CACHE", str(tmp_path))

    def fresh():
        extract.reference_idf.cache_clear()
        table, median = extract.reference_idf()
        return table, median, extract._max_idf()

    built, median, top = fresh()
    (cached_file,) = tmp_path.glob("idf-*.npz")
    loaded, median2, top2 = fresh()
    assert (median2, top2, len(loaded)) == (median, top, len(built))
    assert list(loaded) == list(built)
    words = ["改革", "发展", "人民群众", "高质量", "乡村振兴", "不存在的词语"]
    assert loaded.get_many(words, -1.0) == built.get_many(words, -1.0)
    cached_file.write_bytes(b"not an npz")
    again, median3, _ = fresh()
    assert median3 == median and len(again) == len(built)
    _damage(cached_file)  # a bad CRC (zipfile.BadZipFile) is parsed again too, not a failed call
    again, median3, _ = fresh()
    assert median3 == median and list(again) == list(built)
    extract.reference_idf.cache_clear()


# ---------------------------------------------------------------- session 45: chrome cuts behind word gates


def _split_chrome_reference(line: str) -> list[int]:
    """_split_chrome as it was: both chrome patterns scanned over every line."""
    cuts = []
    for m in E.HEAD_CHROME_END_RE.finditer(line):
        cuts += [m.start(), m.end()]
    for m in E.HEAD_CHROME_START_RE.finditer(line):
        cuts.append(m.start())
    return cuts


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_chrome_cut_gates_skip_only_lines_the_chrome_patterns_cannot_match(data):
    """Lines built from strings the chrome patterns match (dates, keyed sources, toolbars, breadcrumbs, credits) and
    pieces of their letters cut the same with the gates as with both patterns scanned."""
    alphabet = _pattern_alphabet(E.HEAD_CHROME_END_RE) + _pattern_alphabet(E.HEAD_CHROME_START_RE) + "-/. 年月日"
    piece = st.one_of(
        st.from_regex(_unguarded(E.HEAD_CHROME_END_RE)),
        st.from_regex(_unguarded(E.HEAD_CHROME_START_RE)),
        st.text(alphabet, max_size=8),
    )
    line = "".join(data.draw(st.lists(piece, min_size=1, max_size=5))).replace("\n", " ")
    assert E._split_chrome(line) == _split_chrome_reference(line)


def test_chrome_cut_gates_on_the_samples_and_random_chrome_letters():
    alphabet = (
        _pattern_alphabet(E.HEAD_CHROME_END_RE) + _pattern_alphabet(E.HEAD_CHROME_START_RE) + "-/. 年月日:：>【】"
    )
    lines = [x for t in SAMPLES for x in t.splitlines()] + _random_texts(alphabet, n=3000)
    lines += [
        "来源：解放日报时间：2026-02-09",
        "2026年02月10日 07时41分",
        "您的位置：首页>要闻",
        "【字体：大中小】打印",
    ]
    lines += ["记者 李森 摄", "客服QQ：3074922707", "2024.1.30来源：新华社", "二〇二四年一月三十日 作者：某"]
    assert sum(1 for x in lines if _split_chrome_reference(x)) > 100
    for x in lines:
        assert E._split_chrome(x) == _split_chrome_reference(x), x


@pytest.mark.parametrize(
    ("rx", "holds"),
    [
        (vocab.HEAD_SEPARATOR_RE, lambda s: "|" in s or "｜" in s or "│" in s),
        (_unguarded(E.DATELINE_PASSED_RE), lambda s: "通过" in s),
        (E.SITE_SUFFIX_CUT_RE, lambda s: bool(E._SITE_SEPARATOR_RE.search(s))),
    ],
    ids=["separator", "dateline_passed", "site_suffix_cut"],
)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_head_span_gates_hold_in_every_match_of_their_pattern(rx, holds, data):
    """_header_segments runs the separator and `…会议通过` dateline patterns (and _site_suffix_wrap its cut-suffix one) only on a line holding their gate: every
    string the pattern matches holds it, so a line without it has no match."""
    assert holds(data.draw(st.from_regex(rx, fullmatch=True)))


def test_small_chinese_numbers_read_without_cn2an_are_cn2ans_values():
    """cn_int reads 一 … 九 and 十 … 九十九 from a table (cn2an's import cost a process ~0.15 CPU-s for them): each
    value is the one cn2an gives, and the table holds every such number."""
    import cn2an

    assert len(T.SMALL_CN_INT) == 9 + 10 * 10
    for s, v in T.SMALL_CN_INT.items():
        assert int(cn2an.cn2an(s, "normal")) == v == T.cn_int(s), s
    assert T.cn_int("一百二十") == 120 and T.cn_int("十二万") == 120000  # the rest still through cn2an


@pytest.mark.parametrize(
    ("rx", "holds"),
    [
        (E.CHROME_SITE_RE, lambda s: bool(E._SITE_CUE_RE.search(s))),
        (E.WELCOME_SITE_RE, lambda s: bool(E._SITE_CUE_RE.search(s))),
        (E.EDITOR_NOTE_RE, lambda s: "这是" in s or "本文是" in s),
        (_unguarded(T.ISO_DATE_RE), lambda s: bool(T._ISO_CUE_RE.search(s))),
    ],
    ids=["chrome_site", "welcome_site", "editor_note", "iso_date"],
)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_field_gates_hold_in_every_text_their_pattern_finds(rx, holds, data):
    """_source_site reads a site's name, _editor_note its note and find_date an ISO date only from a text holding
    their gate: every text the pattern finds a match in (lookarounds included) holds it."""
    text = data.draw(st.from_regex(rx))
    assert rx.search(text) is None or holds(text)


def test_chrome_key_line_gate_keeps_the_answer():
    lines = [x for t in SAMPLES for x in t[:4000].splitlines()]
    lines += [
        "来源：",
        "来源： ",
        "发布时间:\t",
        "时间：\n",
        "日期：\u3000",
        "来源：人民网",
        "来源：\n\n",
        "时间 ： \xa0",
        "：来源",
    ]
    rng = random.Random(5)
    tokens = ["来源", "时间", "发布日期", "：", ":", " ", "\t", "\u3000", "\xa0", "\n", "人民网", "x"]
    lines += ["".join(rng.choice(tokens) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    assert sum(1 for x in lines if E.CHROME_KEY_LINE_RE.search(x)) > 200
    for x in lines:
        assert E._chrome_key_line(x) == bool(E.CHROME_KEY_LINE_RE.search(x)), repr(x)


def _cuts_a_word_reference(text: str, hit) -> bool:
    """extract_people._cuts_a_word before it skipped the window's words no test reads (every word sliced and looked
    up in the dictionary)."""
    s, e = hit.start, hit.end
    lo = max(0, s - P.PLACE_WORD_WINDOW)
    words = P._word_tags()
    for a, b in E.word_spans(text[lo : min(len(text), e + P.PLACE_WORD_WINDOW)]):
        a, b = a + lo, b + lo
        if b - a < 2 or text[a:b] not in words:
            continue
        if s < a < e < b and e - a == 1 and text[a] in "省市县区州旗盟" and P.PLACE_WORD_TAIL_RE.match(text[e:b]):
            continue
        if a < s < b or s < a < e < b:
            return True
        if a == s and b > e and P.PLACE_FEATURE_TAIL_RE.match(text[e:b]):
            return True
        if a == s and b == e and hit.is_alias and P._county_or_below(hit.key):
            tag = P._word_tags().get(text[s:e])
            if tag is not None and not tag.startswith(("ns", "nr")):
                return True
    return False


def test_cuts_a_word_reads_only_the_words_its_tests_need():
    # the samples' gazetteer hits, and random runs of place names, their suffixes and the words that cut them
    texts = list(SAMPLES)
    rng = random.Random(11)
    pieces = ["示范县", "和县乡", "均衡水平", "以上城市", "绿水青山", "鄱阳湖", "惠民", "新建", "开封市民", "贵州省委"]
    pieces += ["长白山", "河北大学", "衡水", "青山", "上城", "范县", "，", "。", "的", "全市", "四川省委", "县级"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    hits = 0
    for text in texts:
        for h in R.find_places(text):
            hits += 1
            assert P._cuts_a_word(text, h) == _cuts_a_word_reference(text, h), (
                text[max(0, h.start - 9) : h.end + 9],
                h,
            )
    assert hits > 1000


def test_word_pair_filter_holds_every_pair_of_every_dictionary_word():
    """_cuts_a_word skips a hit whose end pairs the filter lacks: a pair of a word missing from it would skip a hit
    that word cuts."""
    words = [w for w in P._word_tags() if len(w) > 1]
    assert len(words) > 300_000
    missing = [w for w in words if not all(P._in_a_word_pair(x, y) for x, y in itertools.pairwise(w))]
    assert missing == []
    # and it is a filter, not everything: most pairs of punctuation and a Han character are in no word
    assert sum(P._in_a_word_pair(x, y) for x in "，。；：、" for y in "郑州北京上海广深") < 10


def test_cuts_a_word_segments_only_hits_a_dictionary_word_can_cross(monkeypatch):
    """A hit between punctuation, or in pairs no dictionary word holds, is judged without a segmentation; a hit a
    word may cross is segmented as before (义务教育和县乡: 和|县乡, not 和县)."""
    segmented = []
    real = E.word_spans

    def spy(text: str) -> list[tuple[int, int]]:
        segmented.append(text)
        return real(text)

    monkeypatch.setattr(E, "word_spans", spy)
    text = "义务教育和县乡"
    (crossed,) = R.find_places(text)
    assert text[crossed.start : crossed.end] == "和县"
    assert P._cuts_a_word(text, crossed)  # 和|县乡
    assert segmented == [text]
    segmented.clear()
    for text in ("郑州", "，郑州。", "会议在，郑州。"):
        (lone,) = R.find_places(text)
        pairs = [text[lone.start - 1 : lone.start + 1], text[lone.end - 1 : lone.end + 1]]
        if any(len(p) == 2 and P._in_a_word_pair(*p) for p in pairs):
            continue  # a pair the filter's hash shares with a word's: segmented, as before
        assert not P._cuts_a_word(text, lone)
    assert segmented == []
    assert not P._cuts_a_word("郑州", R.find_places("郑州")[0])  # nothing before or after it
    assert segmented == []


def test_paragraph_cue_searched_over_whole_runs_of_sentences():
    """extract_figures searches a run of sentences for the paragraph cue at once (PARA_OUTCOME_SPAN_RE): the answer
    of PARA_OUTCOME_RE on each sentence of the run (`^去年` at a sentence's start, 比去年 not a cue), and the rows of
    the per-sentence reference on texts dense in the cues, their near misses, terminators and line ends."""
    rng = random.Random(5)
    pieces = [
        "去年",
        "比去年",
        "去年，",
        "去年以来",
        "去年全年",
        "过去一年",
        "过去的一年",
        "一年来",
        "五年来",
        "过去五年",
    ]
    pieces += ["。", "！", "?", "\n", " ", "，", "增长5%", "达到3亿元", "比", "今年", "工作", "过去", "一年", "\n。"]
    runs = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(3000)]
    for text in runs:
        starts = [0] + [i + 1 for i, c in enumerate(text) if c in F.SENTENCE_ENDS_LF]
        for a in starts[:4]:
            for b in starts[-3:]:
                if a < b:
                    want = any(F.PARA_OUTCOME_RE.search(u.group(0)) for u in F.SENT_RE.finditer(text, a, b))
                    assert (F.PARA_OUTCOME_SPAN_RE.search(text, a, b) is not None) == want, (text, a, b)
    for text in runs[:800]:
        for year in (2020, None):
            assert F.extract_figures("d", text, (), False, year) == _figures_reference("d", text, (), False, year)


def test_pre_qualifiers_drop_the_words_inside_a_longer_one_found():
    """_pre_qualifiers drops a word held by a longer one found through PRE_QUAL_INSIDE: the words the comparison of
    every pair of words found dropped, on random runs of the qualifiers and their pieces."""

    def reference(before: str) -> tuple[str, ...]:
        quals = [q for q in F.PRE_QUAL if q in before]
        return tuple(q for q in quals if not any(q != o and q in o for o in quals))

    rng = random.Random(3)
    pieces = [*F.PRE_QUAL, "到", "过", "增", "长", "平均", "每年", "，", "5%", "亿元"]
    runs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(5000)]
    assert {F._pre_qualifiers.__wrapped__(x) == reference(x) for x in runs} == {True}
    assert any("达" in x and "达到" in x and "达" not in F._pre_qualifiers.__wrapped__(x) for x in runs)


def test_indicator_gdp_literals_in_line():
    """_indicator tests GDP_WORD_LITERALS in line: every GDP_WORD_RE match holds one of them."""
    assert F.GDP_WORD_LITERALS == ("经济", "生产总值", "GDP")
    for text in [*SAMPLES, *_random_texts("经济增长速度率总量生产值GDP全国省的，实际年均 1%")]:
        for m in F.GDP_WORD_RE.finditer(text):
            assert any(w in m.group(0) for w in F.GDP_WORD_LITERALS)


def test_chrome_lines_read_again_are_remembered_and_long_lines_never_kept():
    """find_date and clean_line give what their uncached bodies give; a short line read again (a head line every
    field's reader asks about) adds no miss, and a line longer than LINE_MEMO_MAX_CHARS is never kept."""
    from tasks import extract_text as X

    X._find_date_memo.cache_clear()
    X._clean_line_memo.cache_clear()
    lines = ["发布时间：2021年3月5日  来源：人民网", "**标题**", "时间：2026-02-09 来源：解放日报", "没有日期的一行"]
    lines += [line for s in SAMPLES for line in s.splitlines()]
    first = [(X.find_date(x), X.clean_line(x)) for x in lines]
    assert first == [(X._find_date(x), X._clean_line(x)) for x in lines]
    misses = (X._find_date_memo.cache_info().misses, X._clean_line_memo.cache_info().misses)
    assert [(X.find_date(x), X.clean_line(x)) for x in lines] == first
    assert (X._find_date_memo.cache_info().misses, X._clean_line_memo.cache_info().misses) == misses
    size = X._find_date_memo.cache_info().currsize
    long_line = "时间：2026-02-09 " + "甲" * X.LINE_MEMO_MAX_CHARS
    assert X.find_date(long_line) == X._find_date(long_line) and X.clean_line(long_line) == long_line
    assert X._find_date_memo.cache_info().currsize == size


def _year_texts() -> list[str]:
    """Report-like runs of years, keywords and separators: plans, reviews, estimates, `做好…工作`, digits glued before."""
    rng = random.Random(58)
    pieces = ["2019年主要目标", "2024年的总体要求", "1987年工作任务", "2019年预计", "1990年全年产值，预计", "做好2011年各项工作",
              "2019年度国民经济和社会发展计划", "2006年的主要任务", "2023年工作回顾", "一、回顾2024年，", "32019年主要目标",
              "2019", "年", "的", "工作", "目标任务", "回顾", "做好", "预计", "，", "。", "\n", "一、", "今年"]  # fmt: skip
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(600)]


def test_anchored_year_searches_find_what_the_patterns_find():
    """search_at / finditer_at (tried only where the 年 a match holds stands) give the patterns' own search and
    finditer: the same spans and groups, the first match first, a window's end kept."""
    texts = _year_texts()
    assert sum(bool(E.PLAN_YEAR_RE.search(t)) for t in texts) > 50
    for t in texts:
        for end in (len(t), 17):
            want = E.PLAN_YEAR_RE.search(t[:end])
            got = E.search_at(E.PLAN_YEAR_RE, t, "年", E.PLAN_YEAR_LEAD, end)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
        assert bool(E.REVIEW_YEAR_RE.search(t)) <= (E.REVIEW_WORD in t)
        for rx, leads in ((E.PLAN_YEAR2_RE, E.PLAN_YEAR2_LEADS), (E.YEAR_EST_RE, (E.PLAN_YEAR_LEAD,))):
            want_all = [(m.span(), m.groups()) for m in rx.finditer(t)]
            assert [(m.span(), m.groups()) for m in E.finditer_at(rx, t, "年", leads)] == want_all


def test_head_lines_are_cut_once_and_as_when_cut_afresh():
    """_header_segments cuts each line of a head by itself (_line_spans, remembered for short lines): the head's
    spans are its lines' spans up to the salutation, and a head read again (or to another length, as
    _resolution_title reads it) gives what it gives with the memo empty."""
    heads = [
        "在全市经济工作会议上的讲话\n——2024年1月30日在沧州市…会议上市长 向辉各位代表：现在，我代表市人民政府",
        "关于政府工作报告的决议\n（2024年1月15日第十四届人民代表大会第二次会议通过）\n同志们：今天",
        "首页 > 新闻 | 市长 向辉 | 2024-01-30 09:02:33【字体：大 中 小】\n" * 3 + "各位代表：",
        *SAMPLES,
    ]
    for text in heads:
        for head in (text, text[:1500]):
            E._line_spans.cache_clear()
            fresh = E._header_segments(head)
            assert E._header_segments(head) == fresh and E._line_spans.cache_info().hits >= 1
            spans: list[str] = []
            offset, at = 0, min(len(head), E.HEAD_CHARS)
            for line in head[: E.HEAD_CHARS].split("\n"):
                got, sal_end = E._line_spans_of(line)
                spans += got
                if sal_end >= 0:
                    at = offset + sal_end
                    break
                offset += len(line) + 1
                if len(spans) >= E.HEAD_MAX_LINES:
                    break
            assert fresh == (spans, at)
    assert any(E._line_spans_of(x)[1] >= 0 for t in heads for x in t.split("\n"))  # salutations were cut


def test_place_scan_reads_its_tables_once():
    """_scan_places' per-scan tables say what the checks they replace said: the idiom set is the four-character words
    jieba tags i (the idiom rule's lookup), the pair set its two-character words not tagged ns (the straddle and word
    tail rules'), each prefix entry its key's surface, alias mark and length, and the rules' tests of the name alone
    (a two-character alias, an alias ending in 乡/镇, 代X / 任X, 和县)."""
    tags = R._common_words()
    idioms = R._idioms()
    assert idioms == {w for w, t in tags.items() if t == "i" and len(w) == 4} and "同心同德" in idioms
    assert R._pair_words() == {w for w, t in tags.items() if len(w) == 2 and t != "ns"}  # _straddles, _word_tail
    assert R._straddles("弘扬中华民族", 1) and not R._straddles("福州至福清高速", 3) and R._word_tail("示范县", 1)
    gz = R.load_gazetteer()
    entries = R._scanners(gz).entries
    assert entries.keys() == gz.prefix2.keys()
    flags: Counter = Counter()
    for gram, keys in gz.prefix2.items():
        assert [e[0] for e in entries[gram]] == keys
        for key, surface, alias, n, short_alias, town_tail, acting, appointed, conjunction in entries[gram]:
            assert (surface, alias, n) == (key[1:] if key[0] == "~" else key, key[0] == "~", len(surface))
            assert short_alias == (alias and n == 2) and town_tail == (alias and surface[-1] in R.TOWN_SUFFIXES)
            assert acting == (n == 2 and surface[0] in R.ACTING) and appointed == (n == 2 and surface[0] in R.APPOINTED)
            assert conjunction == (surface in R.CONJUNCTION_COUNTIES)
            flags[short_alias, town_tail, acting, appointed, conjunction] += 1
    assert all(flags[tuple(k == j for k in range(5))] for j in range(5))  # each test holds for some name alone
    assert [h.surface for h in R.find_places("同心同德建设同德县")] == ["同德县"]


def test_year_heading_gates_drop_no_match():
    """_text_year tries the heading patterns only on texts holding their literal parts: every THIS_YEAR_HEAD_RE match
    holds 今年 and every YEAR_WORK_HEAD_RE / YEAR_WORK_HEAD_JOINED_RE match a YEAR_WORK_RE match."""
    texts = [
        *_year_texts(),
        "一、2011年的工作\n二、今年主要任务\n",
        "。三、2011年的工作2011年，是",
        "二、1992年政府工作总的要求展望新的一年",
        "（三）关于2005年工作安排",
        *SAMPLES,
    ]
    heads = 0
    for t in texts:
        head = E.YEAR_WORK_HEAD_RE.search(t) or E.YEAR_WORK_HEAD_JOINED_RE.search(t)
        heads += bool(head)
        assert not head or E.YEAR_WORK_RE.search(t)
        assert not E.THIS_YEAR_HEAD_RE.search(t) or "今年" in t
    assert heads >= 3
    assert T.simplify_lines(["國務院", "a\nb", "区"]) == [T.simplify(x) for x in ("國務院", "a\nb", "区")]


def test_chrome_pieces_remembered_as_cut_afresh():
    """A short chrome line's pieces come from the memo, a long line's are cut each time: the same pieces either way."""
    lines = [
        "来源：云南日报2026-02-03 09:02:33【字体：大 中 小】",
        "您的位置:首页>要闻要闻2026年政府工作报告",
        "发布时间：2024-03-05 11:20:15 来源：人民网 作者：某某 浏览次数：120",
        "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。",
        "来源：" + "新华网" * 80 + " 2024-01-01 来源：人民网",
    ]
    E._chrome_pieces_memo.cache_clear()
    first = [E._chrome_pieces(x) for x in lines]
    assert [E._chrome_pieces(x) for x in lines] == first == [E._chrome_pieces_of(x) for x in lines]
    assert E._chrome_pieces_memo.cache_info().hits == sum(len(x) <= T.LINE_MEMO_MAX_CHARS for x in lines)
    assert sum(map(len, first)) >= 6  # the lines do hold chrome cut inside them


def test_region_reads_each_names_divisions_once_as_they_are():
    """resolve_region reads a name's divisions from a table built at its first hit: each division's score key, the
    division and its named province and city, in the gazetteer's order; the same regions as before with it warm."""
    gz = R.load_gazetteer()
    texts = [(s[:40], s[40:200], s[200:4000]) for s in SAMPLES]
    first = [R.resolve_region(*t, None) for t in texts]
    held = R._DIVISION_ENTRIES[id(gz)]
    assert held[0] is gz and len(held[1]) > 20
    for key, entries in held[1].items():
        divs = gz.by_name[key]
        assert [e[1] for e in entries] == divs
        for (k, _dv, ancestors), d in zip(entries, divs, strict=True):
            assert k == (d.code, d.name, d.status) and ancestors == tuple(a for a in (d.province, d.city) if a)
    assert [R.resolve_region(*t, None) for t in texts] == first


def test_document_digests_from_arrow_buffers_are_doc_digest(tmp_path):
    """extract_shard's memo digests (what an unchanged document is copied by) are read from the text columns' Arrow
    buffers, not from the decoded strings encoded again: the same digest as _doc_digest for texts with astral and
    full-width characters, empty and missing values, removed lines or none, row groups and batches of any size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(60)
    texts = [*SAMPLES, "", "𠀋𠀌字\n\n區(qū)長", "ａｂｃ１２３", "x" * 5000]
    rows = []
    for k in range(700):
        rows.append(
            {
                "doc_id": f"{k:016x}",
                "text": rng.choice([*texts, None]),
                "raw_text": rng.choice([*texts, None]),
                "page_title": rng.choice(["标题", "", None]),
                "url": rng.choice(["https://a.gov.cn/1.html", None]),
            }
        )
    removed = {r["doc_id"]: [(1, "来源：新华社", "chrome.source"), (3, "𠀋", "chrome.x")] for r in rows[::3]}
    table = pa.Table.from_pylist(rows)
    for large in (False, True):
        if large:
            table = table.cast(pa.schema([(f.name, pa.large_string()) for f in table.schema]))
        path = tmp_path / f"docs{large}.parquet"
        pq.write_table(table, path, row_group_size=300, use_dictionary=False)
        docs = [d for batch in E._doc_batches(path, removed) for d in batch]
        assert len(docs) == len(rows)
        for d in docs:
            digest = d.pop("digest")
            assert digest == E._doc_digest(d, removed.get(d["doc_id"], ())), d["doc_id"]
        assert [d for batch in E._doc_batches(path) for d in batch] == docs  # no digest asked: none made

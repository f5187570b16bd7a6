"""Normalize stage: raw page text -> the speech in Simplified script, one paragraph per line.

Every change is explainable: removed lines keep their raw line number and the rule that removed them,
every rewrite counts under a rule name, and damage is flagged (with counts), never silently kept.

Lost characters are marked with U+FFFD (the Unicode replacement character): one marker per damaged place
(`秩序?qū)m?xiàng整治` -> `秩序�整治`); U+FFFD already in the raw text counts as lost too.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import opencc

from tasks import normalize_rules as R
from tasks import vocab

LOST = "\ufffd"

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")


@dataclass(frozen=True)
class Normalized:
    text: str
    script: str
    traditional_ratio: float | None
    flags: dict[str, int] = field(default_factory=dict)
    rule_counts: dict[str, int] = field(default_factory=dict)
    removed_lines: list[tuple[int, str, str]] = field(default_factory=list)


# ============================================================================ character tables


def _script_tables() -> tuple[dict[int, str], frozenset[str], frozenset[str]]:
    """Char-level t2s map plus the characters only one script uses, measured with OpenCC itself."""
    chars = [chr(c) for c in range(0x4E00, 0x9FFF + 1)] + [chr(c) for c in range(0x3400, 0x4DC0)]
    to_simp = _T2S.convert("\n".join(chars)).split("\n")
    to_trad = _S2T.convert("\n".join(chars)).split("\n")
    t2s_map: dict[int, str] = {}
    trad_only, simp_only = set(), set()
    for c, s, t in zip(chars, to_simp, to_trad, strict=True):
        if s != c:
            t2s_map[ord(c)] = s
            trad_only.add(c)
        elif t != c:
            simp_only.add(c)
    # Characters both scripts write (a Simplified form that is also an ordinary Traditional character).
    shared = set("干后里面台系范制准冲征余云才谷丑向松只发采借价卷回恶困朴千斗划历凶几了志症致注")
    return t2s_map, frozenset(trad_only - shared), frozenset(simp_only - shared)


_T2S_MAP, TRAD_ONLY, SIMP_ONLY = _script_tables()


def _t2s_table() -> np.ndarray:
    """A bool per code point up to U+FFFF, then one for every character beyond: True where OpenCC t2s converts the
    character on its own (every BMP character tried, as _script_tables does; beyond the BMP not tried, so True)."""
    chars = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
    alone = _T2S.convert("\n".join(chars)).split("\n")
    table = np.zeros(0x10001, dtype=bool)
    table[[ord(c) for c, s in zip(chars, alone, strict=True) if s != c]] = True
    table[0x10000] = True
    return table


_T2S_TABLE = _t2s_table()  # ~60 ms once a process
# 20k bench: 12,280 of 19,969 documents hold a Traditional character and 12,182 of those have a traditional_ratio
# below 5 % — a Simplified speech with a few copied forms —; converting their whole texts (215 M characters) was
# 7.5 s of normalize's ~64 worker-s (py-spy of a cold run).


def _to_simplified(text: str) -> str:
    """OpenCC t2s of the lines of `text` that hold Traditional script (_T2S_TABLE), each as it would convert alone (no
    t2s phrase spans a line break: tasks.extract_text.simplify_lines relies on the same).

    Lines of Simplified text are left as written. Converting the whole page let t2s phrases rewrite Simplified
    words in lines far from any Traditional character (`藉口` -> `借口`: 藉 is a Simplified character too), and only
    in a page that held one somewhere — the same line in a page without was never converted. 20k bench: 32 of
    12,280 converted pages read differently (each such line is now as its copies without Traditional script read)."""
    # the lines holding such a character, found in NumPy: a regex search of every line cost as much as OpenCC saved
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hits = np.flatnonzero(_T2S_TABLE[np.minimum(points, 0x10000)])
    if not len(hits):
        return text
    breaks = np.flatnonzero(points == 10)
    line_of = np.searchsorted(breaks, hits)  # line k runs up to the k-th line break; ascending as the hits are
    todo = line_of[np.concatenate(([True], line_of[1:] != line_of[:-1]))]  # each line once (np.unique sorted again)
    starts = np.concatenate(([0], breaks + 1))[todo].tolist()
    ends = np.concatenate((breaks, [len(text)]))[todo].tolist()
    spans = list(zip(starts, ends, strict=True))
    lines = [text[a:b] for a, b in spans]
    done = _T2S.convert("\n".join(lines)).split("\n")  # one call: OpenCC's cost is per call too
    if len(done) != len(lines):  # t2s maps no character to a line break; were it to, each line alone
        done = [_T2S.convert(line) for line in lines]
    out: list[str] = []
    at = 0  # the other lines are copied as runs of text, not split and joined
    for (a, b), line in zip(spans, done, strict=True):
        out += (text[at:a], line)
        at = b
    out.append(text[at:])
    return "".join(out)


_WIDTH_MAP = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH_MAP.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH_MAP.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_KEY_FOLD: dict[int, int | str] = dict(_WIDTH_MAP)
_KEY_FOLD.update({0xFF1A: ":", 0xFF0F: "/", 0xFF5C: "|", 0xFF1E: ">", 0xFF0C: ",", 0xFF0E: ".", 0xFF05: "%"})
_KEY_FOLD.update(_T2S_MAP)

# whitespace, and the control and invisible characters cleaning removes later: a line key is what the line
# will be, so a rule judges `\x08×` as it judges `×` (normalizing twice changes nothing)
_WS = re.compile(r"[\s\u3000\u00a0\u2000-\u200d\u2028\u2029\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_WS_IN_LINE = re.compile(r"[^\S\r\n]+|[\u200b\ufeff]+")
_HAN_RE = vocab.HAN_RE


_KEY_PINYIN = vocab.PINYIN_ANNOTATION_RE


_LONG_LINE = 200
_KEY_MARKUP = re.compile(r"\*+|^#+|^>+(?=.)")


def _split_lines(raw: str) -> list[str]:
    """Lines as numbered in removed_lines: split at \\r\\n, \\r and \\n only."""
    if "\r" in raw:
        return _LINE_SPLIT.split(raw)
    return raw.split("\n")


def _key(line: str) -> str:
    """Line key for rules and learned boilerplate: Simplified, width-folded, no whitespace, no (pinyin)."""
    return _key_finish(_fold(_WS.sub("", line)))


def _key_finish(key: str) -> str:
    """The key of a line already stripped of _WS characters and folded with _KEY_FOLD."""
    if "*" in key or "#" in key or key[:1] == ">":
        key = _KEY_MARKUP.sub("", key)
    return _KEY_PINYIN.sub("", key) if "(" in key or "（" in key else key


@functools.cache
def _fold_tables() -> tuple[np.ndarray, np.ndarray]:
    """(code point is a _WS character, code point after _KEY_FOLD): _key as two array lookups (built once)."""
    codes = np.arange(0x110000, dtype=np.uint32)
    every = codes[(codes < 0xD800) | (codes > 0xDFFF)].tobytes().decode("utf-32-le")
    drop = np.zeros(0x110000, dtype=bool)
    for m in _WS.finditer(every):
        drop[[ord(c) for c in m.group(0)]] = True
    drop[[0x0A, 0x0D]] = False  # line breaks stay: they separate the keys
    fold = codes.copy()
    for c, to in _KEY_FOLD.items():
        fold[c] = ord(to) if isinstance(to, str) else to
    return drop, fold


_DROPPED = np.uint32(0xFFFFFFFF)  # no code point: what _key_fold_table gives a _WS character


@functools.cache
def _key_fold_table() -> np.ndarray:
    """_fold_tables' two in one: a code point's fold, or _DROPPED for a _WS character. One lookup and one comparison
    a character, where the two tables took two lookups, a negation and an index (~45 % of the fold's CPU, which is
    ~3 % of normalize's)."""
    drop, fold = _fold_tables()
    table = fold.copy()
    table[drop] = _DROPPED
    return table


def _line_keys_of(raw: str) -> list[str]:
    """_key of every line of `raw` (split as _split_lines splits), folding the whole text at once: the
    per-line substitution and translation were the largest costs of the line-counting stage. Exact: no
    _WS character is a line break (\\r and \\n) and every fold maps one code point to one code point."""
    if "\r" in raw:  # one break per line first: dropping the spaces of `\r \n` must not make it one `\r\n`
        raw = "\n".join(_LINE_SPLIT.split(raw))
    codes = _key_fold_table()[np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    folded = codes[codes != _DROPPED].tobytes().decode("utf-32-le", "surrogatepass")
    keys = folded.split("\n")
    for k in _unfinished_keys(folded):
        keys[k] = _key_finish(keys[k])
    return keys


_PINYIN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzü" + vocab.PINYIN_TONED)  # what opens a _KEY_PINYIN reading


def _unfinished_keys(folded: str) -> list[int]:
    """The lines of `folded` (keys joined by \\n, not yet finished) whose key _key_finish may change: a `*` anywhere, a
    `#` or `>` opening the line (_KEY_MARKUP), a bracket a pinyin letter follows (_KEY_PINYIN; with a `*` between the
    two the line holds a `*`). Found with literal finds: 97 % of a 20k bench shard's pages hold a `（` somewhere,
    and finishing each of their keys was ~2 % of normalize's and line counting's CPU, for the ~4 % of keys it changes."""
    at: list[int] = []
    for mark in ("(", "（"):
        i = folded.find(mark)
        while i >= 0:
            if folded[i + 1 : i + 2] in _PINYIN_FIRST:
                at.append(i)
            i = folded.find(mark, i + 1)
    i = folded.find("*")
    while i >= 0:
        at.append(i)
        i = folded.find("*", folded.find("\n", i) + 1 or len(folded))  # one a line is enough
    if folded[:1] in ("#", ">"):
        at.append(0)
    for mark in ("\n#", "\n>"):
        i = folded.find(mark)
        while i >= 0:
            at.append(i + 1)
            i = folded.find(mark, i + 1)
    if not at:
        return []
    out: list[int] = []
    line = prev = 0
    for i in sorted(at):
        line += folded.count("\n", prev, i)
        prev = i
        if not out or out[-1] != line:
            out.append(line)
    return out


# ============================================================================ script

# One pass over the code points classifies every character (numpy lookup table): the script counts and the
# presence of what later rewrites look for, so a rewrite that has nothing to do costs no regex scan.
C_OTHER, C_TRAD, C_SIMP, C_TONED, C_JUNK, C_SPACE, C_SURROGATE, C_FULLWIDTH, C_QMARK, C_LOWER = range(10)
# an outline marker's numeral and what closes it (一、, （一）): where the page's outline headings may stand; line breaks
C_NUMERAL, C_MARK_END, C_LF, C_CR = range(10, 14)
# A Han character outside GB2312's first level (its 3,755 most used characters) and of neither script's own set: a
# speech's text holds few (names and places: 莞, 濮, 漯, 儋), a doc site's scrambled preview mostly these (R.GARBLED_*).
C_RARE_HAN = 14
N_CLASSES = 15
_OUTLINE_NUMERALS = "一二三四五六七八九十"  # R.LINE_HEADING's and R.GLUED_HEADING's


def _class_table() -> np.ndarray:
    table = np.zeros(0x110000, dtype=np.int8)
    table[[ord(c) for c in TRAD_ONLY]] = C_TRAD
    table[[ord(c) for c in SIMP_ONLY]] = C_SIMP
    table[[ord(c) for c in "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"]] = C_TONED
    junk = [c for c in range(0x20) if c not in (0x0A, 0x0D)] + [0x7F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD]
    table[junk] = C_JUNK
    space = [0x09, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
    table[space] = C_SPACE
    table[0xD800:0xE000] = C_SURROGATE
    table[0xFF10:0xFF1A] = C_FULLWIDTH
    table[0xFF21:0xFF3B] = C_FULLWIDTH
    table[0xFF41:0xFF5B] = C_FULLWIDTH
    table[ord("?")] = C_QMARK
    table[ord("a") : ord("z") + 1] = C_LOWER
    for c, cls in ((_OUTLINE_NUMERALS, C_NUMERAL), ("、）)", C_MARK_END), ("\n", C_LF), ("\r", C_CR)):
        codes = [ord(ch) for ch in c]
        assert not table[codes].any()  # of no other class
        table[codes] = cls
    table[_rare_han_table() & (table == C_OTHER)] = C_RARE_HAN
    return table


def _rare_han_table() -> np.ndarray:
    """A bool per code point: a Han character outside GB2312's first level and not Traditional-only (a Traditional
    page's own characters are never rare for it), whatever its class."""
    rare = np.zeros(0x110000, dtype=bool)
    for a, b in vocab.HAN_BLOCKS:
        rare[a:b] = True
    rare[[ord(c) for c in _gb2312_level1()]] = False
    rare[[ord(c) for c in TRAD_ONLY]] = False
    return rare


def _gb2312_level1() -> str:
    """GB2312's first-level Hanzi (rows 16-55: 3,755 characters, the standard's most used), read from the codec."""
    pairs = bytes(b for row in range(0xB0, 0xD8) for col in range(0xA1, 0xFF) for b in (row, col))
    return pairs.decode("gb2312", "ignore")  # row 55 ends at 0xD7F9: the five cells after it hold no character


_CLASS_TABLE = _class_table()
_RARE_HAN = _rare_han_table()  # the Simplified-only characters of GB2312's second level and beyond too


def _char_classes(text: str) -> np.ndarray:
    """The class of each character of `text` (C_*)."""
    return _CLASS_TABLE[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]


def _char_profile(text: str) -> np.ndarray:
    return np.bincount(_char_classes(text), minlength=N_CLASSES)


_NUMERAL_THEN_END = bytes([C_NUMERAL, C_MARK_END])
_LF, _CR, _CRLF = bytes([C_LF]), bytes([C_CR]), bytes([C_CR, C_LF])


def _marked_lines(classes: np.ndarray, cr: bool) -> set[int]:
    """The lines (numbered as _split_lines splits: \\r\\n, \\r, \\n) holding an outline numeral followed by its 、 or closing
    bracket, from the page's character classes (`cr`: the page holds a \\r): every outline heading (R.LINE_HEADING,
    R.GLUED_HEADING) ends so. The classes as bytes: two-byte and one-byte searches and counts, not array passes."""
    kinds = classes.tobytes()
    out: set[int] = set()
    line = prev = 0
    at = kinds.find(_NUMERAL_THEN_END)
    while at >= 0:
        line += kinds.count(_LF, prev, at)
        if cr:  # \r\n is one break (its \n), a lone \r one
            line += kinds.count(_CR, prev, at) - kinds.count(_CRLF, prev, at)
        out.add(line)
        prev = at
        at = kinds.find(_NUMERAL_THEN_END, at + 2)
    return out


def detect_script(text: str) -> tuple[str, float | None, int]:
    """Script from characters only one script uses, over the whole text (pages start with navigation)."""
    return _script_of(_char_profile(text) if isinstance(text, str) else np.zeros(N_CLASSES, dtype=np.int64))


def _script_of(profile: np.ndarray) -> tuple[str, float | None, int]:
    trad, simp = int(profile[C_TRAD]), int(profile[C_SIMP])
    total = trad + simp
    if total == 0:
        return "unknown", None, 0
    ratio = trad / total
    if total < 5:
        script = "unknown"
    elif ratio >= 0.8:
        script = "traditional"
    elif ratio <= 0.2:
        script = "simplified"
    else:
        script = "mixed"
    return script, round(ratio, 4), trad


# ============================================================================ line removal


class _Lines:
    """Raw lines with their keys and the rule that removed each (None = kept)."""

    def __init__(self, raw: str):
        self.raw = _split_lines(raw)
        self.keys = [
            key if len(line) <= _LONG_LINE else line for line, key in zip(self.raw, _line_keys_of(raw), strict=True)
        ]
        self.rule: list[str | None] = [None] * len(self.raw)
        self.cuts: list[tuple[int, str, str]] = []  # (line, span, rule): chrome cut from a line whose rest is kept
        self.origin = list(range(len(self.raw)))  # the page's line each line comes from (split() shares it)
        self.splits = 0
        self.wraps = 0  # datelines wrapped before their end, rejoined in the head (counted as layout.title_wrap)

    def split(self, i: int, at: list[int], count: bool = True, strip: str | None = None) -> None:
        """Line i becomes several lines, broken at the offsets `at` (a joined head: see _split_joined_head; `count`:
        counted as a head split; `strip`: the characters taken off each piece's ends, whitespace by default)."""
        raw = self.raw[i]
        bounds = [0, *at, len(raw)]
        pieces = [raw[a:b].strip(strip) for a, b in itertools.pairwise(bounds)]
        pieces = [p for p in pieces if p]
        self.raw[i : i + 1] = pieces
        self.keys[i : i + 1] = [_key(p) if len(p) <= _LONG_LINE else p for p in pieces]
        self.rule[i : i + 1] = [None] * len(pieces)
        self.origin[i : i + 1] = [self.origin[i]] * len(pieces)
        if count:
            self.splits += len(pieces) - 1

    def join_next(self, i: int, j: int) -> None:
        """Line j (the next non-empty line after i) appended to line i, the empty lines between dropped: a head line
        cut from its toolbar's close (see R.HEAD_BAR_CLOSE)."""
        self.raw[i : j + 1] = [self.raw[i].rstrip() + self.raw[j].strip()]
        self.keys[i : j + 1] = [_key(self.raw[i]) if len(self.raw[i]) <= _LONG_LINE else self.raw[i]]
        self.rule[i : j + 1] = [None]
        self.origin[i : j + 1] = [self.origin[i]]

    def cut(self, i: int, start: int, end: int, rule: str, record: str | None = None) -> None:
        """Cut raw[start:end] from line i (chrome glued to text on one line) and keep the rest; removed_lines gets
        the span (or `record`)."""
        raw = self.raw[i]
        self.cuts.append((self.origin[i], raw[start:end] if record is None else record, rule))
        self.raw[i] = (
            (raw[:start].rstrip() + " " + raw[end:].lstrip()).strip() if end < len(raw) else raw[:start].rstrip()
        )
        self.keys[i] = _key(self.raw[i]) if len(self.raw[i]) <= _LONG_LINE else self.raw[i]

    def remove(self, i: int, rule: str, whole: bool = False) -> bool:
        """Mark line i removed by `rule`. Unless the rule recognised the whole line as chrome (`whole`), a line that
        reads as speech (long, a speech mark, a sentence) is refused: a rule that removes lines cannot remove speech."""
        if self.rule[i] is not None:
            return False
        if not whole and _speechlike(self.keys[i]):
            return False
        self.rule[i] = rule
        return True

    def kept_nonempty(self) -> list[int]:
        return [i for i, k in enumerate(self.keys) if k and self.rule[i] is None]


_LINE_RULES = [(name, re.compile(pattern)) for name, pattern in R.LINE_RULES]
# one alternation, one match per line; group r<i> tells which rule (first alternative that matches wins)
_LINE_RULES_ANY = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(R.LINE_RULES)))
_LINE_RULE_NAMES = {f"r{i}": name for i, (name, _) in enumerate(R.LINE_RULES)}

# A rule that reads a run of any characters (`.{0,120}(?:不代表本站观点|…)`, `.{0,80}?(?:下面|以下)…小编…`) tries its
# words at every character of that run on every line, and a few such rules were half the line rules' cost (400 bench
# pages: 12,414 keys, 64 ms). Each rule's words one of which every match holds are read off its parsed pattern
# (_rule_words); a key holding none of the scanning rules' words is matched against the other rules alone, in their
# order: the same first rule as the whole alternation.
_SCAN_REACH = 8  # a repeat of any character or of a negated class reaching this far makes a rule scan the key
try:  # re's own parser and op codes (CPython 3.11+); without them every rule stays in the one alternation
    _RE_PARSER: Any = importlib.import_module("re._parser")
    _RE_OPS: Any = importlib.import_module("re._constants")
except ImportError:
    _RE_PARSER = _RE_OPS = None


def _rule_words(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed pattern `items` holds (None: none known): a literal run, a class
    of a few literal characters, a group, a repeat of at least one, or the union over a branch's alternatives."""
    C = _RE_OPS
    best: frozenset[str] | None = None
    run: list[str] = []

    def rank(words: frozenset[str]) -> tuple[bool, int, int]:  # few words of two characters or more: a rare match
        shortest = min(map(len, words))
        return shortest >= 2, -len(words), shortest

    def keep(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or rank(found) > rank(best)):
            best = found

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        keep(frozenset(["".join(run)]) if run else None)
        run = []
        if op is C.SUBPATTERN and not av[1] & C.SRE_FLAG_IGNORECASE:
            keep(_rule_words(av[3]))
        elif op is C.BRANCH:
            alternatives = [_rule_words(a) for a in av[1]]
            if all(a is not None for a in alternatives):
                keep(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            keep(_rule_words(av[2]))
        elif op is C.IN and all(o is C.LITERAL for o, _ in av):
            keep(frozenset(chr(c) for _, c in av))
    keep(frozenset(["".join(run)]) if run else None)
    return best


def _any_character(item: Any) -> bool:
    """The parsed item reads any character, or any but a few (a negated class)."""
    op, av = item
    return bool(op is _RE_OPS.ANY or (op is _RE_OPS.IN and av[0][0] is _RE_OPS.NEGATE))


def _rule_scans(items: Any) -> bool:
    """The parsed pattern `items` holds a repeat of any character or of a negated class reaching _SCAN_REACH."""
    C = _RE_OPS
    for op, av in items:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            inner = list(av[2])
            if av[1] >= _SCAN_REACH and len(inner) == 1 and _any_character(inner[0]):
                return True
            if _rule_scans(inner):
                return True
        elif (op is C.SUBPATTERN and _rule_scans(av[3])) or (op is C.BRANCH and any(_rule_scans(a) for a in av[1])):
            return True
    return False


def _scanning_rules() -> dict[int, frozenset[str]]:
    """The line rules that scan the key (by index), with the words one of which each one's matches hold."""
    if _RE_PARSER is None:
        return {}
    out = {}
    for i, (_, pattern) in enumerate(R.LINE_RULES):
        parsed = _RE_PARSER.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            continue
        words = _rule_words(parsed)
        if words and _rule_scans(parsed):
            out[i] = words
    return out


_SCANNING_RULES = _scanning_rules()
# any word of a scanning rule (none: the empty pattern, found in every key)
_SCANNING_WORDS = re.compile(
    "|".join(re.escape(w) for w in sorted(set().union(*_SCANNING_RULES.values()), key=lambda w: (-len(w), w)))
)


# A line rule is matched at a key's start, so it can match only a key that opens on a character its pattern may open
# on. Each rule's opening characters are read off its parsed pattern (_opening_chars; None: any character, as
# `.{0,120}…` and `[^，。]…` open), and in the alternations _line_rule matches the rule stands behind a lookahead for
# them: a key opening on none of them is past the rule after one test, where re tried the rule itself, its optional
# openings one by one and its lookaheads over the whole key (chrome.toolbar's `(?=[^+-]*[+-])` read every key that
# reached it). The same first rule matches. 1,681 pages of the 5k bench and the shared corpus, their 62,780 keys:
# the alternations 0.66 -> 0.50 CPU-s.
_OPENING_RANGE_MAX = 0x10000  # a class's range up to this many code points is expanded (the Han block is ~21,000)
_OPENING_CLASS_MAX = 256  # a rule opening on more characters than this stays ungated: its class would be no quicker


def _opening_chars(items: Any) -> tuple[frozenset[str] | None, bool]:
    """(the characters a match of the parsed pattern `items` may open on, None for any; whether it may match
    nothing). Lookarounds and anchors read no character: they add none and may be passed."""
    C = _RE_OPS
    found: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            first, empty = frozenset(chr(av)), False
        elif op is C.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is C.LITERAL:
                    chars.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < _OPENING_RANGE_MAX:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:  # a negation, a category (\d, \s): any
                    return None, False
            first, empty = frozenset(chars), False
        elif op is C.SUBPATTERN:
            if av[1] & C.SRE_FLAG_IGNORECASE:
                return None, False
            got, empty = _opening_chars(av[3])
            if got is None:
                return None, False
            first = got
        elif op is C.ATOMIC_GROUP:
            got, empty = _opening_chars(av)
            if got is None:
                return None, False
            first = got
        elif op is C.BRANCH:
            union: set[str] = set()
            empty = False
            for alternative in av[1]:
                got, e = _opening_chars(alternative)
                if got is None:
                    return None, False
                union |= got
                empty |= e
            first = frozenset(union)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            got, e = _opening_chars(av[2])
            if got is None:
                return None, False
            first, empty = got, e or av[0] == 0
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            first, empty = frozenset(), True
        else:  # any character, a back reference, a conditional …
            return None, False
        found |= first
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _rule_openings() -> list[frozenset[str] | None]:
    """Per line rule, the characters its matches open on (None: any, or re's parser not at hand)."""
    out: list[frozenset[str] | None] = []
    for _, pattern in R.LINE_RULES:
        if _RE_PARSER is None:
            out.append(None)
            continue
        parsed = _RE_PARSER.parse(pattern)
        first, empty = (None, True) if parsed.state.flags & re.IGNORECASE else _opening_chars(parsed)
        out.append(None if empty else first)
    return out


def _gated(i: int) -> str:
    """Line rule i behind a lookahead for the characters it may open on (as it is when they are any or many)."""
    first = _RULE_OPENINGS[i]
    pattern = R.LINE_RULES[i][1]
    if first is None or not first or len(first) > _OPENING_CLASS_MAX:
        return pattern
    return "(?=[" + "".join(re.escape(c) for c in sorted(first)) + "])(?:" + pattern + ")"


_RULE_OPENINGS = _rule_openings()
_GATED_RULES_OTHER = re.compile(
    "|".join(f"(?P<r{i}>{_gated(i)})" for i in range(len(R.LINE_RULES)) if i not in _SCANNING_RULES)
)
_RULE_INDEX = {f"r{i}": i for i in range(len(R.LINE_RULES))}
_SCANNING_RULE = {i: re.compile(_gated(i)) for i in _SCANNING_RULES}  # each scanning rule alone
# a word _SCANNING_WORDS finds -> the scanning rules holding it or a word it starts with (the pattern tries the longest
# word first, so a shorter word at the same start is found as its prefix)
_WORD_RULES = {
    w: frozenset(i for i, words in _SCANNING_RULES.items() if any(w.startswith(u) for u in words))
    for w in set().union(*_SCANNING_RULES.values())
}


# Line keys whose rule is remembered (_line_rule). A page's short lines recur across the pages of a shard (a
# site's chrome, a speech's headings and short paragraphs in each of its copies): 30 % of the 42,669 keys the rules
# read on two shards of the 5k bench had been read before, each at ~10 us of pattern matching (the gate's search,
# then the rules). Keys are at most _MAX_CHROME_KEY characters when read for the rules: 16,384 are a few MB.
LINE_RULE_MEMO_SIZE = 16_384


def _line_rule(key: str) -> str | None:
    """The name of the first line rule that matches the key at its start (_LINE_RULES_ANY.match(key)), or None: the
    scanning rules tried only when the key holds one of their words, each other one only past the test of its
    opening character. A function of the key alone: a key of a chrome line's length is remembered (_line_rule_memo)."""
    return _line_rule_memo(key) if len(key) <= _MAX_CHROME_KEY else _match_line_rule(key)


def _match_line_rule(key: str) -> str | None:
    found = _SCANNING_WORDS.search(key) if _SCANNING_RULES else None
    m = _GATED_RULES_OTHER.match(key)
    if found is not None:
        # the scanning rules holding a word the key holds, tried one by one before the other rules' first match: the
        # whole alternation's first rule (it is the lowest-numbered rule that matches), where the alternation tried
        # all of them on a key holding any word (`.` of a number, `以上`: 19 % of keys, ~38 us each, now ~12)
        before = _RULE_INDEX[str(m.lastgroup)] if m else len(R.LINE_RULES)
        rules: set[int] = set()
        while found is not None:  # every word the key holds: the longest at each start, with its prefixes' rules
            rules |= _WORD_RULES[found.group()]
            found = _SCANNING_WORDS.search(key, found.start() + 1)
        for i in sorted(rules):
            if i >= before:
                break
            if _SCANNING_RULE[i].match(key):
                return R.LINE_RULES[i][0]
    return _LINE_RULE_NAMES[str(m.lastgroup)] if m else None


_line_rule_memo = functools.lru_cache(maxsize=LINE_RULE_MEMO_SIZE)(_match_line_rule)


_WHOLE_LINE_RULES_ANY = re.compile(
    "|".join(f"(?:{pattern})" for name, pattern in R.LINE_RULES if name in R.WHOLE_LINE_RULES)
)
_INFO_TABLE = re.compile(
    "|".join(f"(?:{p})" for name, p in R.LINE_RULES if name in ("chrome.info_table", "chrome.table_title"))
)
_STAMP_LINE = re.compile(R.STAMP_WITH_TRAILER)
_HAS_SEPARATOR = re.compile("[|│｜]")  # one scan in C before the separator pattern's
_MAX_CHROME_KEY = 160
_BODY_MIN_HAN = 30


def _speechlike(key: str) -> bool:
    """Long, or holding a speech mark (我代表 / 请予审议 / 各位代表 …), or a sentence of >= 20 Han characters."""
    if len(key) > R.REMOVABLE_MAX or R.SPEECH_MARK.search(key):
        return True
    return bool(R.SENTENCE_PUNCT.search(key)) and len(_HAN_RE.findall(key)) >= R.SPEECH_MIN_HAN


def _is_caption(key: str) -> bool:
    """A photo caption: short, signed (记者 NAME 摄 / 。NAME摄 / 摄影：NAME), no speech mark."""
    return (
        0 < len(key) <= R.CAPTION_MAX
        and any(t in key for t in R.CAPTION_TRIGGERS)
        and not R.SPEECH_MARK.search(key)
        and not key.startswith("关于")
        and bool(R.PHOTO_CAPTION.match(key))
    )


def _is_body(key: str) -> bool:
    """A line of running speech: many Han characters and sentence punctuation."""
    if len(key) < _BODY_MIN_HAN or not ("，" in key or "。" in key or "," in key or "；" in key):
        return False
    return len(key) >= 60 or len(_HAN_RE.findall(key)) >= 20


def _head_end(lines: _Lines) -> int:
    """Index where the speech body starts: the salutation (各位代表：) or the first body line that is no caption."""
    for i, key in enumerate(lines.keys):
        if lines.rule[i] is None and (_SALUTATION.match(key) or (_is_body(key) and not _is_caption(key))):
            return i
    return len(lines.keys)


_SALUTATION = vocab.SALUTATION_LINE_RE


# a YAML front-matter line: `key: value`, an indented continuation (ASCII indent: an ideographic one is a
# paragraph of speech) or a `- item`
_YAML_LINE = re.compile(r"[ \t]*(?:[A-Za-z_][A-Za-z0-9_-]*[ \t]*:|-[ \t]|[ \t])")
_YAML_KEY = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")


def _damaged_delimiter(line: str) -> bool:
    """A closing --- with a character lost or replaced by a bad copy: -衑- / --X / --."""
    s = line.strip()
    return 2 <= len(s) <= 4 and s.count("-") >= 2 and not any(c.isspace() for c in s)


def _front_matter(lines: _Lines) -> None:
    """YAML front matter (--- title: … ---): removed as lines, `title:` under its own rule for extract.

    The closing --- is looked for within R.FRONT_MATTER_MAX_LINES. Without it (lost by a bad copy, cut by a scraper)
    only what is clearly metadata goes: the opening --- and the `key: value` lines right after it."""
    nonempty = [i for i, k in enumerate(lines.keys) if k][:2]
    if not nonempty or lines.raw[nonempty[0]].strip() != "---":
        # an opener damaged like a closer (-湂-) counts when a `key:` line follows it
        if len(nonempty) < 2 or not _damaged_delimiter(lines.raw[nonempty[0]]):
            return
        if not _YAML_KEY.match(lines.raw[nonempty[1]]):
            return
    start = nonempty[0]
    stop = min(len(lines.raw), start + R.FRONT_MATTER_MAX_LINES)
    end = next((j for j in range(start + 1, stop) if lines.raw[j].strip() == "---"), None)
    closer = None
    if end is not None and all(_YAML_LINE.match(lines.raw[i]) for i in range(start + 1, end) if lines.keys[i]):
        closer = end
    else:  # unclosed (or the --- found is a markdown rule below text): the key lines after the opener only
        end = start + 1
        while end < stop and (not lines.keys[end] or _YAML_KEY.match(lines.raw[end])):
            end += 1
        if not any(lines.keys[i] for i in range(start + 1, end)):
            return  # a markdown rule (---) above text, not front matter: nothing after it is metadata
        if end < len(lines.raw) and _damaged_delimiter(lines.raw[end]):
            closer = end
    lines.remove(start, "frontmatter.delimiter", whole=True)
    if closer is not None:
        lines.remove(closer, "frontmatter.delimiter", whole=True)
    for i in range(start + 1, end):
        m = _YAML_KEY.match(lines.raw[i])
        if lines.keys[i]:
            lines.remove(i, f"frontmatter.{m.group(1).lower()}" if m else "frontmatter.field", whole=True)


_MD_IMAGE_LINE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_RULE_LINE = re.compile(r"(?:-{3,}|\*{3,}|_{3,})")


def _comment_close(lines: _Lines, i: int, start: int) -> int | None:
    """The line that closes the <!-- opened on line i at `start`, if within R.COMMENT_MAX_LINES / _CHARS.

    None (unclosed) also when another <!-- opens first (comments do not nest: ours lost its -->) or a line of
    speech comes first (a salutation, a body paragraph)."""
    size = len(lines.raw[i]) - start
    for j in range(i + 1, min(len(lines.raw), i + R.COMMENT_MAX_LINES)):
        raw = lines.raw[j]
        end = raw.find("-->")
        opener = raw.find("<!--")
        if opener >= 0 and (end < 0 or opener < end):
            return None
        size += 1 + (end + 3 if end >= 0 else len(raw))
        if size > R.COMMENT_MAX_CHARS:
            return None
        if end >= 0:
            return j
        if _SALUTATION.match(lines.keys[j]) or _is_body(lines.keys[j]):
            return None
    return None


def _html_comments(lines: _Lines) -> None:
    """<!-- photo captions --> of markdown copies: whole comment lines go; a comment inside a line of text is cut.

    A <!-- whose --> is not found within a bounded span is unclosed: only its own line goes (or, when text is glued
    to it, only the `<!--`), never the speech after it."""
    i = 0
    while i < len(lines.raw):
        raw = lines.raw[i]
        s = raw.strip()
        if "<!--" in raw:
            start = raw.index("<!--")
            end = raw.find("-->", start)
            at_start = start == raw.find(s)
            if end >= 0 and at_start and not raw[end + 3 :].strip():
                lines.remove(i, "markup.html_comment", whole=True)
            elif end >= 0:
                while start >= 0 and end >= 0:  # every comment on the line; the text between them stays
                    lines.cut(i, start, end + 3, "markup.html_comment")
                    start = lines.raw[i].find("<!--")
                    end = lines.raw[i].find("-->", start) if start >= 0 else -1
            elif not at_start and (close := _comment_close(lines, i, start)) is not None:
                # text<!-- a caption the page wrapped onto the next line -->text (a hard-wrapped page of a markdown
                # copy: bench_repair_mix `reflowed` kept `贺海东<!-- 2月10日，市长…向` / `大会作…摄 -->各位代表`)
                lines.cut(i, start, len(raw), "markup.html_comment")
                _remove_comment_lines(lines, i + 1, close)
                i = close
            elif at_start:
                close = _comment_close(lines, i, start)
                if close is not None:
                    _remove_comment_lines(lines, i, close)
                    i = close
                elif len(lines.keys[i]) <= R.UNCLOSED_COMMENT_MAX and not (
                    R.SPEECH_MARK.search(lines.keys[i]) or _SALUTATION.search(lines.keys[i])
                ):
                    lines.remove(i, "markup.html_comment", whole=True)  # <!-- 新华社北京3月15日电 -衑>
                else:
                    lines.cut(i, start, start + 4, "markup.html_comment")  # <!-- 图 --X各位代表：… keeps the text
        elif s == "-->":
            lines.remove(i, "markup.html_comment", whole=True)  # the closer of a comment whose opener was lost
        elif s[:1] in ("!", "-", "*", "_") and (_MD_IMAGE_LINE.fullmatch(s) or _MD_RULE_LINE.fullmatch(s)):
            lines.remove(i, "markup.image" if s.startswith("!") else "markup.rule", whole=True)
        i += 1


def _remove_comment_lines(lines: _Lines, first: int, close: int) -> None:
    """A comment's lines from `first` to the one holding its `-->`: removed whole, the last cut through `-->` when
    text follows it."""
    for j in range(first, close):
        lines.remove(j, "markup.html_comment", whole=True)
    end = lines.raw[close].find("-->")
    if lines.raw[close][end + 3 :].strip():
        lines.cut(close, 0, end + 3, "markup.html_comment")
    else:
        lines.remove(close, "markup.html_comment", whole=True)


_DATELINE_DASHES = ("—", "―", "─", "-")  # R.HEAD_DATELINE's dashes
_TOOLBAR_WORDS = ("下载", "打印", "全屏", "收藏")  # R.HEAD_CHROME_LABEL's toolbar run


def _may_break_head(line: str, folded: str) -> bool:
    """False when _head_breaks cannot break `line` (its folded window `folded`), found by substring tests before the
    patterns: 9 of 10 lines it is given are paragraphs, and its patterns over a 600-character window on every one
    cost more than the rest of the head split (on 400 bench pages 1,920 lines, 23 broken, 161 with a colon).

    A break needs a dateline, two chrome labels, or one label or a run-together (R.HEAD_RUN_TOGETHER) not read whole.
    Every chrome label (R.HEAD_CHROME_LABEL) but a toolbar run, every doc-site head (R.DOCSITE_HEAD) but a page count,
    and a font-size bar hold a colon (`：` folded); a separator is looked for over the whole line as _head_breaks does.
    Without those, only a dateline (a date's 日 or a dash), a toolbar run, a page count (第…页), or a breadcrumb's end
    (正文), a photo credit (摄) or a clock (时) run into other text can break the line."""
    if ":" in folded or _HAS_SEPARATOR.search(line):
        return True
    if ("日" in folded or any(d in folded for d in _DATELINE_DASHES)) and R.HEAD_DATELINE.search(folded):
        return True
    if any(w in folded for w in _TOOLBAR_WORDS) or ("第" in folded and "页" in folded):
        return True
    return ("正文" in folded or "摄" in folded or "时" in folded) and bool(R.HEAD_RUN_TOGETHER.search(folded))


def _head_breaks(line: str) -> list[int]:
    """Offsets where a head line that lost its line breaks is broken again (none: not a joined head).

    Matched on the line folded as keys are (Simplified, half-width: same offsets), within its first
    R.HEAD_SPLIT_CHARS characters, and only when that part holds a dateline or two chrome labels."""
    folded, offsets = _folded(line[: R.HEAD_SPLIT_CHARS])  # 發(fā)布時間: matched as 发布时间:
    return _head_breaks_at(line, folded, offsets) if _may_break_head(line, folded) else []


def _head_breaks_at(line: str, folded: str, offsets: list[int] | None) -> list[int]:
    """_head_breaks of `line` whose window folds to `folded` (`offsets`: see _folded), with no prefilter."""
    key = _key(line[: R.HEAD_SPLIT_CHARS])
    if _INFO_TABLE.match(key):
        return []  # a disclosure table's row (`文 号：| 发布机构：| … | 发布日期：| 2021-02-27 |`) is read whole
    if len(line) <= R.HEAD_SPLIT_CHARS and _STAMP_LINE.match(key):
        return []  # a page stamp with its site or count (`某某网 2023-05-12 08:11:30 讲话`): its rule removes it whole
    dateline = R.HEAD_DATELINE.search(folded)
    docsite = list(R.DOCSITE_HEAD.finditer(folded))
    # separators over the whole line (one linear scan): a joined head's pieces may hold a long paragraph (a resolution
    # printed above the report) that puts the title and byline past the window
    separators = [m.start() for m in R.HEAD_SEPARATOR.finditer(line)] if _HAS_SEPARATOR.search(line) else []
    if separators and _WHOLE_LINE_RULES_ANY.match(key):
        separators = []  # a line a chrome rule reads whole (`字号：默认 大 超大 | 打印 |`, `上传人：… | 格式：DOC`)
    labels = len(R.HEAD_CHROME_LABEL.findall(folded)) + len(docsite) + len(separators)
    whole = _WHOLE_LINE_RULES_ANY.match(folded)
    # one label with a byline or salutation after it, unless a whole-line rule (a disclaimer) reads the line from its
    # start: `組織部長在…講話時間:…導語:…不代表本站觀點…講話同志們:` stays one line, its title with it
    # (or a font-size bar or a clock stamp run into other text: a head joined a few lines at a time, the same proviso)
    joined = not whole and (
        (labels == 1 and bool(R.HEAD_JOINED_BODY.search(folded))) or bool(R.HEAD_RUN_TOGETHER.search(folded))
    )
    if not dateline and labels < 2 and not joined:
        return []  # no dateline and at most one chrome label: a line its rules read whole
    at = {m.start() for m in R.HEAD_BREAK_BEFORE.finditer(folded)}
    at |= {m.end("name") if m.group("name") else m.end() for m in R.HEAD_BREAK_AFTER.finditer(folded)}
    at |= {a for m in docsite for a in ((m.start(),) if m.group("note") else (m.start(), m.end()))}
    at |= {a for m in docsite if m.group("stamp") for a in _stamp_title(folded, m.start(), m.end())}
    if whole:  # `导语:——…会议上一文来源于网友上传,不代表本站观点…`: the disclaimer's rule reads it to its end phrase
        at = {a for a in at if a >= whole.end()}
    if offsets is not None:
        at = {offsets[a] if a < len(offsets) else len(line) for a in at}
    at |= set(separators)  # offsets in the line as given
    salutation = R.HEAD_SALUTATION.search(folded)
    if salutation:  # the speech begins: nothing after its salutation is broken here
        last = offsets[salutation.start()] if offsets is not None else salutation.start()
        at = {a for a in at if a <= last}
    first, last = len(line) - len(line.lstrip()), len(line.rstrip())  # text on both sides: first < a < last
    out = _outside_brackets(line, sorted(a for a in at if first < a < last))
    keys = [_key(line[a:b].strip(R.HEAD_SEPARATOR_CHARS)) for a, b in itertools.pairwise([0, *out, len(line)])]
    if not dateline and all(_line_rule(k) for k in keys if k):
        return []  # chrome only (发布时间:… 来源:… 点击:): one line, removed whole by the rule of its start
    return out


# A 范文 template's summary before its unfilled date stamp repeats the title that opens the document after it
# (`县委常委、县政府负责人全县…会议上的主持词201X/X/XX全县…会议上的主持词县委常委、县政府负责人xxx（…）`): the title is
# broken off both copies, so the summary's office and the document's byline stand on lines of their own and the two
# titles are one title repeated. STAMP_TITLE_MIN: a shorter common run (`在全`) is no title.
STAMP_TITLE_MIN = 6
STAMP_TITLE_MAX = 80  # TITLE_LINE_RE's longest title


def _stamp_title(folded: str, start: int, end: int) -> tuple[int, ...]:
    """Where the title that ends the text before a template stamp and opens the text after it starts (before) and
    ends (after); none when the two sides share no run of STAMP_TITLE_MIN characters there."""
    before, after = folded[max(0, start - STAMP_TITLE_MAX) : start], folded[end : end + STAMP_TITLE_MAX]
    for k in range(min(len(before), len(after)), STAMP_TITLE_MIN - 1, -1):
        if before.endswith(after[:k]):
            return (start - k, end + k)
    return ()


def _notice_end(line: str) -> int | None:
    """Where a document site's download notice that opens a joined line ends (after its support contact), if it does."""
    if not line.lstrip().startswith(("温", "溫", "下", "特")):
        return None
    folded, offsets = _folded(line[: R.HEAD_NOTICE_CHARS])
    m = R.HEAD_NOTICE.match(folded, len(folded) - len(folded.lstrip()))
    if not m:
        return None
    return offsets[m.end() - 1] + 1 if offsets is not None else m.end()


def _outside_brackets(line: str, offsets: list[int]) -> list[int]:
    """The sorted offsets that lie inside no open bracket: `政府工作报告（2017年1月15日在…会议上 代省长 刘国中）` is read
    whole. One pass over the line (counting from its start for each offset made a one-line page's split quadratic:
    8 MB in 9.5 s, 6.6 of them counting brackets)."""
    out: list[int] = []
    depth = prev = 0
    for a in offsets:
        depth += (
            line.count("（", prev, a) + line.count("(", prev, a) - line.count("）", prev, a) - line.count(")", prev, a)
        )
        prev = a
        if depth <= 0:
            out.append(a)
    return out


def _cut_from_next(lines: _Lines, i: int) -> int | None:
    """The next non-empty line when head line i was cut from it inside a toolbar (see R.HEAD_BAR_CLOSE); None
    otherwise, or when the two would pass R.HEAD_SPLIT_CHARS."""
    key = lines.keys[i]
    j = i + 1
    while j < len(lines.raw) and not lines.keys[j]:
        j += 1
    if j >= len(lines.raw) or lines.rule[j] is not None or len(key) + len(lines.keys[j]) > R.HEAD_SPLIT_CHARS:
        return None
    nxt = lines.keys[j]
    if R.HEAD_SALUTATION.match(nxt):
        return None
    open_dateline = R.HEAD_DATELINE_OPEN.search(key)
    if (
        open_dateline
        and not R.HEAD_DATELINE_REST.fullmatch(key, open_dateline.start())
        and R.HEAD_DATELINE_REST.match(nxt)
    ):
        lines.wraps += 1
        return j  # `——2026年1月26日在广东省第十四届` + `人民代表大会第五次会议上…`
    opened = key.rfind("【")
    if opened > key.rfind("】") and (opened > 0 or R.HEAD_BAR_CLOSE.match(nxt)):
        return j  # `…09:02:33【字体:` + `大中小`, `【字体:小中` + `大】政府工作报告`
    return None


def _split_joined_head(lines: _Lines) -> None:
    """`下载打印全屏收藏【字号：加大还原减小】2026年北京市政府工作报告——2026年1月25日在…会议上来源：北京日报时间：
    2026-02-02北京市市长 殷勇…`: a scraper dropped the head's line breaks, and a rule for one piece (a toolbar, a
    photo caption) would remove the whole line, title, dateline and byline with it. The line is broken where the
    pieces meet, so each rule sees its own piece. Only the page's first non-empty lines are looked at."""
    seen = 0
    i = 0
    prev: int | None = None  # the last head line looked at
    while i < len(lines.raw) and seen < R.HEAD_SPLIT_LINES:
        if not lines.keys[i] or lines.rule[i] is not None:
            i += 1
            continue
        if R.HEAD_SALUTATION.match(lines.keys[i]):
            # below a head line (a page that opens on the salutation is a speech alone: left as it is)
            if seen and (end := _salutation_end(lines.raw[i])) is not None:
                lines.split(i, [end])  # `同志们：今天，…`: the first paragraph on a line of its own
            return  # the speech begins: what follows is body, never broken here
        if sal := R.TITLE_THEN_SALUTATION.search(lines.raw[i], 0, R.TITLE_SALUTATION_CHARS):
            lines.split(i, [sal.start("sal")])  # the title and the speech it runs into: the salutation opens a line
        elif seen and (end := _salutation_end(lines.raw[i])) is not None:
            lines.split(i, [end])  # `尊敬的各位领导：…`: the paragraph is looked at as the line was
            i += 1
            seen += 1
            continue
        seen += 1
        if tail := R.FONT_BAR_TAIL.match(lines.raw[i]):
            lines.cut(i, 0, tail.end(), "chrome.toolbar")
        while (j := _cut_from_next(lines, i)) is not None:
            lines.join_next(i, j)
        raw = lines.raw[i]
        notice = _notice_end(raw)
        if (
            notice is not None
        ):  # `温馨提示：1. …网站客服：3074922707` + what the page ran into it: the notice goes whole
            if raw[notice:].strip():
                lines.split(i, [notice])
            lines.remove(i, "chrome.download_notice", whole=True)
            i += 1
            continue
        at = _head_breaks(raw) if len(raw) >= R.HEAD_SPLIT_MIN else []
        if not at and (glued := _glued_title_end(lines, i, prev)) is not None:
            at = [glued]
        if not at and (opened := _opening_glued_title_end(raw)) is not None:
            at = [opened]
        prev = i
        if (
            not at
            and (sub := R.GREETING_SUBTITLE.search(raw, 0, R.GREETING_SUBTITLE_CHARS))
            and raw[sub.end() :].strip()
        ):
            at = [a for a in (sub.start(), sub.end()) if raw[:a].strip()]  # `…——代2026年新年献词` + the text
        if at:
            before = len(lines.raw)
            lines.split(i, at, strip=R.HEAD_SEPARATOR_CHARS)
            i += len(lines.raw) - before
            if len(raw) > R.HEAD_SPLIT_CHARS:
                continue  # a head longer than the window: its last piece is looked at in turn (seen bounds the passes)
        i += 1


def _salutation_end(raw: str) -> int | None:
    """Where the salutation opening line `raw` ends when its first paragraph follows on the line (see
    R.OPENING_SALUTATION); None when the line is the salutation alone or what precedes the colon is no addressee."""
    m = R.OPENING_SALUTATION.match(raw)
    if not m:
        return None
    rest = raw[m.end() :].strip()
    if len(rest) < R.SALUTATION_BODY_MIN or not R.SALUTATION_BODY_END.search(rest):
        return None
    pieces = [p for p in R.ADDRESSEE_PIECES.split(raw[: m.end() - 1].strip(" \t\u3000*#")) if p]
    if not pieces or not all(R.ADDRESSEE_WORD.search(p) for p in pieces):
        return None
    return m.end()


def _opening_glued_title_end(raw: str) -> int | None:
    """Where a title ends that the text's first words run on from with no title line above (R.OPENING_GLUED_TITLE:
    `在全市安全生产会议上的讲话今天,我们召开…` is broken after `讲话`)."""
    lead = len(raw) - len(raw.lstrip())
    m = R.OPENING_GLUED_TITLE.match(raw, lead)
    if not m or not R.OPENING_GLUED_OCCASION.search(m.group("title")):
        return None
    return m.end()


def _glued_title_end(lines: _Lines, i: int, prev: int | None) -> int | None:
    """Where the copy of the title line `prev` ends in line i when the text's first sentence runs on from it
    (R.GLUED_TITLE): `市长在全市…交流会上的讲话这次…` under `在全市…交流会上的讲话` is broken after `讲话`."""
    if prev is None:
        return None
    title = lines.raw[prev].strip()
    if not R.GLUED_TITLE_MIN <= len(title) <= R.GLUED_TITLE_MAX or not R.GLUED_TITLE.match(title):
        return None
    raw = lines.raw[i]
    at = raw.find(title, 0, R.GLUED_TITLE_LEAD + len(title) + len(raw) - len(raw.lstrip()))
    end = at + len(title)
    if at < 0 or not raw[end:].strip() or R.HEAD_SALUTATION.match(_key(raw[end:].strip())):
        return None  # the title alone (the repeated-title rule's), or the salutation after it (its own break)
    return end


def _marker_style(mark: str) -> str:
    """`二、` -> 一、, `（三）` -> （一）, `4.` -> 1., `（5）` -> （1）: the outline style of a marker."""
    if mark[0] in "（(":
        return "(1)" if mark[1].isdecimal() else "(一)"
    return "1." if mark[0].isdecimal() else "一、"


_SPACED_NUMBER = re.compile(r"[\d.．%％]+[ \t]")


def _typeset_space(line: str, a: int) -> bool:
    """The whitespace run ending at `a` spaces a number from its words (`一、2002 年工作回顾`, `达到 55 亿元`, as copies
    typeset them), not two paragraphs: it follows a digit, or it precedes a number that a space follows too."""
    b = a
    while b > 0 and line[b - 1] in " \t\u3000\u00a0":
        b -= 1
    return (b > 0 and line[b - 1].isdecimal()) or bool(_SPACED_NUMBER.match(line, a))


def _paragraph_breaks(line: str) -> list[int]:
    """Offsets where a line holding many paragraphs is broken again (see R.JOINED_LINE_MIN)."""
    at = {m.end() for m in R.JOINED_BREAK.finditer(line) if not _typeset_space(line, m.end())}
    for m in R.JOINED_BOLD.finditer(line):
        at |= {m.start(), m.end()}
    marks: dict[str, list[int]] = {}
    for m in R.JOINED_OUTLINE.finditer(line):
        marks.setdefault(_marker_style(m.group().lstrip("*# \t")), []).append(m.start())
    for starts in marks.values():
        for k, a in enumerate(starts):
            prev = starts[k - 1] if k else None
            nxt = starts[k + 1] if k + 1 < len(starts) else None
            if (prev is None or a - prev >= R.OUTLINE_GAP) and (nxt is None or nxt - a >= R.OUTLINE_GAP):
                at.add(a)
    # the head (title, dateline, byline, chrome) up to the salutation is _split_joined_head's to break
    salutation = R.HEAD_SALUTATION.search(line, 0, R.JOINED_HEAD_CHARS)
    start = salutation.start() if salutation else 0
    return _outside_brackets(line, sorted(a for a in at if max(start, 1) <= a < len(line)))


_SPACED_END = re.compile(r"[。！？；…”」』）!?][ \t\u3000\u00a0]+(?=\S)")  # R.JOINED_BREAK's sentence ends
_SENTENCE_ENDS = re.compile(r"[。！？；…”」』）!?](?=.)")  # inside the line: its last one has nothing to be spaced from


def _spaced_ends(line: str) -> bool:
    """A short page's one line whose paragraphs met at a space (R.SHORT_JOINED_MIN …): some of its sentence ends,
    not nearly all, have a space after them."""
    spaced = len(_SPACED_END.findall(line))
    return spaced >= R.SHORT_SPACED_MIN and spaced <= R.SHORT_SPACED_SHARE_MAX * len(_SENTENCE_ENDS.findall(line))


def _split_joined_body(lines: _Lines, counts: Counter) -> None:
    """A page whose paragraphs arrived on one line (a PDF's text, a <div> of <span>s, one <td>, line breaks turned
    into spaces or ideographic spaces) is broken into paragraphs again where they plainly met: a space after a
    sentence's end, an indent, a space after an outline heading, an outline marker after a sentence's end. Every
    rule after this one sees the page's paragraphs, chrome and speech on lines of their own."""
    total = -1  # the page's kept characters, counted only when a short page's line may be its whole (most pages: no)
    for i in range(len(lines.raw) - 1, -1, -1):
        n = len(lines.raw[i])
        if lines.rule[i] is not None:
            continue
        if n < R.JOINED_LINE_MIN:
            if n < R.SHORT_JOINED_MIN:
                continue
            if total < 0:
                total = sum(len(raw) for raw, rule in zip(lines.raw, lines.rule, strict=True) if rule is None)
            if not (n >= R.SHORT_JOINED_SHARE * total and _spaced_ends(lines.raw[i])):
                continue
        at = _paragraph_breaks(lines.raw[i])
        if at:
            before = len(lines.raw)
            lines.split(i, at, count=False)
            counts["layout.paragraph_split"] += len(lines.raw) - before


def _split_indents(lines: _Lines, counts: Counter) -> None:
    """Print indents inside a line (see R.INDENT_BREAK) are line breaks a copy lost, head and body alike: the line is
    broken at them before any other split, so the head split and the paragraph split see the page's own lines."""
    for i in range(len(lines.raw) - 1, -1, -1):
        raw = lines.raw[i]
        if (
            lines.rule[i] is not None
            or not ("\u3000\u3000" in raw or "\u00a0\u00a0" in raw)
            or not _MID_INDENT.search(raw)
        ):
            continue
        at = []
        for m in R.INDENT_BREAK.finditer(raw):
            name = R.INDENT_NAME.match(raw, m.end()) if raw[m.start() - 1] in R.INDENT_NAME_OFFICE else None
            if name is None:
                at.append(m.end())
            elif name.end() < len(raw) and _HAN_RE.match(raw, name.end()):
                at.append(name.end())  # `市长　　许勤各位代表：`: the break is before the salutation
        if at:
            before = len(lines.raw)
            lines.split(i, _outside_brackets(raw, at), count=False)
            counts["layout.paragraph_split"] += len(lines.raw) - before


_MID_INDENT = re.compile(r"\S[\u3000\u00a0]{2}")  # a page holds one somewhere: its lines are looked at


_SENTENCE_CLOSE = re.compile(r"[。！？!?]")
_HAS_SPACE = re.compile(r"[ \t\u3000\u00a0]")


def _heading_end(raw: str, a: int, mark_end: int) -> int | None:
    """Where the outline heading whose marker line `raw` holds at [a, mark_end) ends when its paragraph follows on
    the line (see R.HEADING_BOLD_CLOSE, R.HEADING_SPACE); None when no mark tells."""
    if "**" in raw[a:mark_end] or raw.startswith("**", mark_end):
        m = R.HEADING_BOLD_CLOSE.match(raw, mark_end)
        # a paragraph follows (a sentence end after the close): `**三、全面加强政府自身建**设` is a copy's stray close
        return m.end() if m and _SENTENCE_CLOSE.search(raw, m.end()) else None
    if _HAS_SPACE.search(raw, mark_end, mark_end + R.HEADING_SPACE_MAX + 2):
        m = R.HEADING_SPACE.match(raw, mark_end)
        if m and not _typeset_space(raw, m.end()) and _SENTENCE_CLOSE.search(raw, m.end()):
            return m.end()
    m = R.HEADING_OPENER.match(raw, mark_end)
    if m and _SENTENCE_CLOSE.search(raw, m.end()):
        return m.end()
    return None


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def _cn_ordinal(s: str) -> int:
    """一 … 九十九 -> 1 … 99 (0 when not a numeral of that form)."""
    if "十" not in s:
        return _CN_DIGITS.get(s, 0) if len(s) == 1 else 0
    tens, _, ones = s.partition("十")
    t = _CN_DIGITS.get(tens, 0) if tens else 1
    o = _CN_DIGITS.get(ones, 0) if ones else 0
    return t * 10 + o if t and (o or not ones) else 0


def _heading_of(m: re.Match) -> tuple[str, int]:
    """(style, number) of a LINE_HEADING / GLUED_HEADING match."""
    return ("一、", _cn_ordinal(m.group(2))) if m.group(2) else ("（一）", _cn_ordinal(m.group(3)))


def _decimal_of(m: re.Match) -> tuple[str, int]:
    """(style, number) of a LINE_DECIMAL / GLUED_DECIMAL match: 0 (no heading) for 0 and 00."""
    return "1.", int(m.group(2))


# a `1.` marker's number and its point (R.LINE_DECIMAL, R.GLUED_DECIMAL): one scan of the page finds the lines
# _split_glued_headings reads for them (what stands before it is left to those patterns: a line the page's earlier
# splits started holds its marker as the raw page does). The pattern opens on the point and looks back for the digit:
# re tries it only at a point, where `\d[.．、]` (a category first) was tried at every character (3 % of normalize's
# CPU on a 20k bench shard; half of it so). A match is the point (the digit before it stands on its line).
_DECIMAL_MARK = re.compile(r"[.．、](?<=\d[.．、])(?![\d.．、%％])")


def _decimal_lines(raw: str, cr: bool) -> set[int]:
    """The lines (numbered as _split_lines splits: \\r\\n, \\r, \\n) holding a digit then a point that may close a
    `1.` marker."""
    out: set[int] = set()
    line = prev = 0
    for m in _DECIMAL_MARK.finditer(raw):
        at = m.start()
        line += raw.count("\n", prev, at)
        if cr:
            line += raw.count("\r", prev, at) - raw.count("\r\n", prev, at)
        out.add(line)
        prev = at
    return out


_BLOCK_END = ("。", "！", "？", "；", "…", "!", "?", ";")
_FAR = 1 << 40  # an offset step no page reaches: markers in different blocks are never near


def _close_numbers(lines: _Lines, decimal: set[int]) -> set[tuple[int, int]]:
    """The `1.` markers glued after a sentence's end (R.GLUED_DECIMAL) that are items of an inline list, as (line,
    offset): the same rule as the other styles' on one line (a neighbour of the style under R.OUTLINE_GAP characters
    away, unless the run counts on from 2 or later), over the page's lines together: a PDF's text wraps such a list
    over many short lines (`…好事。1.教育惠民。1.3万名幼儿…` / `…全覆盖。2.卫生惠民。…`), and its wrap is joined
    only later (_join_hard_wraps). Only markers of one block of lines count as neighbours: lines up to one that ends
    on a sentence's end."""
    starts = list(itertools.accumulate((len(r) + 1 for r in lines.raw), initial=0))
    # a paragraph's lines: a line ending on a sentence's end ends its block (a PDF wraps inside sentences; a copy
    # that joined paragraphs a few at a time ends every line on one, and its headings are no list's items)
    block = list(itertools.accumulate((r.rstrip().endswith(_BLOCK_END) for r in lines.raw), initial=0))
    found = [
        (starts[i] + m.start() + 1 + block[i] * _FAR, i, m.start() + 1, int(m.group(2)))
        for i in sorted(decimal)
        if lines.rule[i] is None and lines.keys[i] and len(lines.raw[i]) < R.JOINED_LINE_MIN
        for m in R.GLUED_DECIMAL.finditer(lines.raw[i])
    ]
    close: set[tuple[int, int]] = set()
    b, m, first, where = -R.OUTLINE_GAP, -1, 0, (-1, -1)
    for g, i, a, n in found:
        near = g - b < R.OUTLINE_GAP
        if near and not (n == m + 1 and first >= 2):
            close |= {(i, a), where}
        b, m, first, where = g, n, first if near and n == m + 1 else n, (i, a)
    return close


def _heading_marks(lines: _Lines, read: list[int], glued_on: dict[int, list[re.Match]]) -> dict[str, list[tuple]]:
    """The page's `一、`/`（一）` markers that stand where a heading does, by style: ((line, offset), number) in page
    order, for a line's start (R.LINE_HEADING) or glued after a sentence's end (not after `：`/`；`, which open lists)."""
    heads: dict[str, list[tuple]] = {}
    for i in read:
        raw = lines.raw[i]
        if m := R.LINE_HEADING.match(raw):
            style, n = _heading_of(m)
            heads.setdefault(style, []).append(((i, 0), n))
        for m in glued_on.get(i, ()):
            if raw[m.start()] in R.SENTENCE_END_CHARS:
                style, n = _heading_of(m)
                heads.setdefault(style, []).append(((i, m.start() + 1), n))
    return heads


def _outline_runs(
    glued: list[tuple[int, str, int]], close: set[int], heads: dict[str, list[tuple]], i: int
) -> set[int]:
    """The close markers of line `i` (an inline list by R.OUTLINE_GAP) that are the page's outline after all: a run
    numbered on by one (`。（一）…。（二）…`) whose next number stands later in the page as a heading of the same style
    (`（三）` on a later line or glued after a later sentence's end), as a review's short sections do when a copy joined
    their paragraphs a few at a time; an inline list's run ends where it is (its items' next number
    is the next list's `（一）` or none)."""
    out: set[int] = set()
    for style in {st for _, st, _ in glued}:
        run = [(a, n) for a, st, n in glued if st == style and a in close]
        k = 0
        while k < len(run):
            j = k
            while j + 1 < len(run) and run[j + 1][1] == run[j][1] + 1:
                j += 1
            last_a, last_n = run[j]
            nxt = next((n for at, n in heads.get(style, ()) if at > (i, last_a)), None)
            if nxt == last_n + 1 and j > k:
                out |= {a for a, _ in run[k : j + 1]}
            k = j + 1
    return out


def _split_glued_headings(
    lines: _Lines, counts: Counter, marked: set[int], decimal_marked: frozenset[int] | set[int] = frozenset()
) -> None:
    """Paragraphs joined a few at a time (lines under R.JOINED_LINE_MIN): a line is broken before an outline heading
    glued after a sentence's end when it continues the page's outline (see R.GLUED_HEADING), so the outline and the
    figures' sections see it. One pass in page order; a line's breaks are applied after the pass.

    Only lines from the page's lines `marked` (_marked_lines: an outline numeral and its 、 or bracket) are read: no
    other holds a heading, and the line rules, splits and cuts before this step never bring two characters together.
    The two patterns tried on each of a page's lines were 65 of normalize's 1,150 ms on 400 bench pages (24,124 lines,
    4,559 markers, 19 glued headings)."""
    last: dict[str, int] = {}
    prev_style = ""
    breaks: dict[int, list[int]] = {}
    decimal = {i for i, line in enumerate(lines.origin) if line in decimal_marked} if decimal_marked else set()
    listed = _close_numbers(lines, decimal) if decimal else set()
    read = [i for i, line in enumerate(lines.origin) if line in marked or i in decimal] if marked or decimal else []
    read = [i for i in read if lines.rule[i] is None and lines.keys[i]]
    glued_on = {i: list(R.GLUED_HEADING.finditer(lines.raw[i])) for i in read if len(lines.raw[i]) < R.JOINED_LINE_MIN}
    heads: dict[str, list[tuple]] | None = None  # read only when a line holds a close run (most pages: none)
    for i in read:
        raw = lines.raw[i]
        events: list[tuple[int, str, int]] = []
        mark_ends: dict[int, int] = {}  # event offset -> its marker's end
        start = R.LINE_HEADING.match(raw)
        if start:
            events.append((0, *_heading_of(start)))
            mark_ends[0] = start.end("mark")
        elif i in decimal and (start := R.LINE_DECIMAL.match(raw)):
            events.append((0, *_decimal_of(start)))
            mark_ends[0] = start.end("mark")
        if len(raw) < R.JOINED_LINE_MIN:
            found = glued_on[i]
            glued = [(m.start() + 1, *_heading_of(m)) for m in found]  # after its 。
            if i in decimal:
                numbered = list(R.GLUED_DECIMAL.finditer(raw))
                glued += [(m.start() + 1, *_decimal_of(m)) for m in numbered]
                found += numbered
                glued.sort()
            mark_ends.update((m.start() + 1, m.end("mark")) for m in found)
            seen: dict[str, tuple[int, int, int]] = {}  # style -> (offset, number, its run's first number)
            close: set[int] = set()
            for a, style, n in glued:
                if style == "1.":  # read over the page's lines: _close_numbers
                    if (i, a) in listed:
                        close.add(a)
                    continue
                b, m, first = seen.get(style, (-R.OUTLINE_GAP, -1, n))
                if a - b < R.OUTLINE_GAP and not (n == m + 1 and first >= 2):
                    close |= {a, b}  # an inline enumeration: its items are close
                # a run of close markers numbered on from 二 or later (`。（八）…成效明显。…（九）…`: a review's short
                # sections) continues the outline: an enumeration inside a paragraph counts from 一
                seen[style] = (a, n, first if a - b < R.OUTLINE_GAP and n == m + 1 else n)
            if close:
                if heads is None:
                    heads = _heading_marks(lines, read, glued_on)
                close -= _outline_runs(glued, close, heads, i)
            events += [(a, style, n) for a, style, n in glued if a not in close and raw[a - 1] not in "；;"]
        # an unpunctuated `一、` heading glued to the first heading of the level below (`二、2026年主要任务（一）扩大…`)
        for a, style, _ in list(events):
            if style == "一、" and (nested := R.HEADING_THEN_NESTED.match(raw, mark_ends[a])):
                events.append((nested.start("mark"), "（一）", _cn_ordinal(nested.group(2))))
                mark_ends[nested.start("mark")] = nested.end("mark")
        events.sort()
        for a, style, n in events:
            if not n:
                continue
            follows = n == last.get(style, 0) + 1 or (n == 1 and prev_style not in ("", style))
            # a line's own heading, the first of its style the page shows (`**二、2014年工作安排**今年是…` when `一、`
            # ran into the head above): its end is read too
            opens = a == 0 and style not in last
            if a == 0 or follows:
                if a:
                    breaks.setdefault(i, []).append(a)
                # a `1.` heading is only broken before: its line is often a glossary's term and definition
                # (`21.窄带物联网：英文名称是Narrow Band…`), whose spaces are no heading's end
                if (
                    (follows or opens)
                    and style != "1."
                    and len(raw) < R.JOINED_LINE_MIN
                    and (end := _heading_end(raw, a, mark_ends[a])) is not None
                ):
                    breaks.setdefault(i, []).append(end)  # the heading's paragraph runs on after it
                last[style] = n
                prev_style = style
    for i in sorted(breaks, reverse=True):
        before = len(lines.raw)
        lines.split(i, sorted(set(breaks[i])), count=False)
        counts["layout.paragraph_split"] += len(lines.raw) - before


def _glued_part_ends(raw: str) -> list[int]:
    """Where a part's closing words (R.PART_GLUED_ENDS) end right before a time word (R.PART_OPENER): literal finds,
    the opener tried at each (a scan of the page for the words cost ~0.16 CPU-s on the shared corpus's 12 M
    characters; the finds a tenth of it)."""
    out = []
    for word in R.PART_GLUED_ENDS:
        at = raw.find(word)
        while at >= 0:
            end = at + len(word)
            # a Markdown copy's bold heading (`**2006年工作回顾** 2006年是…`): split after its closing marks, where
            # later passes would glue the two once the marks go (normalize must give the same text when run twice)
            marks = end
            while marks < len(raw) and raw[marks] == "*":
                marks += 1
            opener = marks
            while opener < len(raw) and raw[opener] in " \t\u3000":
                opener += 1
            if R.PART_OPENER.match(raw, opener):
                out.append(marks)
            at = raw.find(word, end)
    return out


def _split_glued_parts(lines: _Lines, counts: Counter) -> None:
    """A report's unnumbered part heading glued between a sentence's end and its first paragraph (R.PART_GLUED_ENDS)
    goes on a line of its own."""
    for i in range(len(lines.raw) - 1, -1, -1):  # from the end: a split shifts only the lines after it
        raw = lines.raw[i]
        if lines.rule[i] is not None:
            continue
        at: list[int] = []
        for end in sorted(set(_glued_part_ends(raw))):
            # the sentence's end is looked for only within the longest part's reach: linear on a line without one
            lo = max(0, end - R.PART_GLUED_MAX - 1)
            start = max(raw.rfind(c, lo, end) for c in "。！？!?") + 1
            if not start and lo:
                continue
            part = raw[start:end].strip("*")
            if (
                R.PART_GLUED_MIN <= len(part) <= R.PART_GLUED_MAX
                and not any(c in R.PART_PUNCT for c in part)
                and R.PART_TIME.search(part)
            ):
                at += [a for a in (start, end) if a]
        if at:
            before = len(lines.raw)
            lines.split(i, sorted(set(at)), count=False)
            counts["layout.paragraph_split"] += len(lines.raw) - before


def _split_glued_glossary(lines: _Lines, raw: str) -> None:
    """A glossary's label glued after the speech's last sentence, its first entry next (R.GLOSSARY_GLUED): broken off
    onto a line of its own, in the page's second half only (a glossary follows the speech)."""
    if not any(w in raw for w in R.GLOSSARY_WORDS):
        return
    end = len(raw)  # where line i ends in the page (about: the lines' breaks and cuts are not counted back)
    for i in range(len(lines.raw) - 1, -1, -1):  # from the end: a split shifts only the lines after it
        line = lines.raw[i]
        if end < len(raw) // 2:
            break
        end -= len(line) + 1
        if lines.rule[i] is not None or not any(w in line for w in R.GLOSSARY_WORDS):
            continue
        m = R.GLOSSARY_GLUED.search(line)
        if m:
            at = [m.start("annex")] if m.group("annex") else []
            lines.split(i, [*at, m.start("label"), m.end("label")], count=False)


def _line_rules(lines: _Lines) -> None:
    width: int | None = -1  # the page's hard-wrap width, looked up once when needed
    for i, key in enumerate(lines.keys):
        if not key or len(key) > _MAX_CHROME_KEY or lines.rule[i] is not None:
            continue
        name = _line_rule(key)
        if name:
            if "，" in key or "," in key or "。" in key:
                # `府工作人员的监督检查。充分发挥群众监督…认真查处举报` (浙江 1992 as a PDF's text): a line cut at the
                # page's wrap width is a piece of a paragraph whatever chrome word it happens to end in
                if width == -1:
                    width = _wrap_width([raw.strip() for raw in lines.raw])
                if width is not None and abs(len(lines.raw[i].strip()) - width) <= 1:
                    continue
            whole = name in R.WHOLE_LINE_RULES and (name in R.SITE_VOICE_RULES or not R.SPEECH_MARK.search(key))
            lines.remove(i, name, whole=whole)


def _editor_notes(lines: _Lines) -> None:
    """`编者按：本文主要从…几个方面进行阐述。…具体材料请详见：` — a doc site's note above the speech, longer than a line
    rule reads: removed whole when it stands in the head, above the salutation."""
    seen = 0
    for i, key in enumerate(lines.keys):
        if not key or lines.rule[i] is not None:
            continue
        if seen >= R.HEAD_SPLIT_LINES or R.HEAD_SALUTATION.match(key):
            return
        seen += 1
        if key.startswith(R.EDITOR_NOTE_LABEL) and len(key) <= R.EDITOR_NOTE_MAX and not R.HEAD_SALUTATION.search(key):
            lines.remove(i, "chrome.intro", whole=True)


def _toolbar_runs(lines: _Lines) -> None:
    """下载/打印/全屏/收藏/【字号：/加大/还原/减小/】 one token per line: a run with a strong token."""
    idx = [i for i, k in enumerate(lines.keys) if k]
    run: list[int] = []
    for i in [*idx, None]:
        if i is not None and lines.keys[i] in R.TOOLBAR_TOKENS:
            run.append(i)
            continue
        if any(lines.keys[j] in R.TOOLBAR_STRONG for j in run) or (
            len(run) >= 3 and any(lines.rule[j] is not None for j in run)
        ):
            for j in run:
                lines.remove(j, "chrome.toolbar")
        run = []


_PATH_MARKS_RE = re.compile(r"[>＞»›]+")
BREADCRUMB_STEP_MAX = 10  # characters: a column's name (`营商`, `政经部门`); a title repeated under its path is longer
# a step that names a text (`首页 > 好词好句 > 市长欢迎词` / `市长欢迎词`): the page's own title under its path, kept
_DOC_WORD_END = re.compile(r"(?:讲话|致辞|致词|词|报告|发言|演讲|讲稿|稿|书|信|公报|决议|决定|意见|通知|纪要)$")


def _last_step(key: str) -> str | None:
    """The last step of a breadcrumb path's key (`首页>政经部门>营商` -> `营商`), None for a key without marks."""
    if ">" not in key and "＞" not in key and "»" not in key and "›" not in key:
        return None
    step = _PATH_MARKS_RE.split(_PATH_MARKS_RE.sub(">", key).rstrip(">"))[-1]
    return step if 0 < len(step) <= BREADCRUMB_STEP_MAX else None


def _breadcrumb_runs(lines: _Lines) -> None:
    """您的位置: / 首页 / > / 云南要闻 / 云南要闻 — tokens following a breadcrumb start or joined by '>'."""
    keys = lines.keys
    idx = [i for i, k in enumerate(keys) if k]
    pos = 0
    while pos < len(idx):
        i = idx[pos]
        if (
            lines.rule[i] == "chrome.breadcrumb"
            and pos + 1 < len(idx)
            and lines.rule[idx[pos + 1]] is None
            and (step := _last_step(keys[i]))
            and keys[idx[pos + 1]] == step
            and not _DOC_WORD_END.search(step)
        ):
            # `您现在的位置是: 首页 > 政经部门 > 营商` / `营商`: the path's last step repeated as the column's heading under
            # it (gongwensou; a bare category word left above the title, session 50's left-alone list)
            lines.remove(idx[pos + 1], "chrome.breadcrumb")
        starts = lines.rule[i] == "chrome.breadcrumb" and keys[i][-1] in ":："
        chained = keys[i] == "首页" and pos + 1 < len(idx) and keys[idx[pos + 1]] in (">", "›", "»", "/")
        if not (starts or chained):
            pos += 1
            continue
        lines.remove(i, "chrome.breadcrumb")
        last = keys[i]
        pos += 1
        expect_token = True
        while pos < len(idx):
            k = keys[idx[pos]]
            if k in (">", "›", "»", "/"):
                expect_token = True
            elif expect_token and len(k) <= 10 and not re.search(r"[，。,；]", k):
                expect_token = False
                last = k
            elif k == last and len(k) <= 10:
                pass  # section name repeated under the crumbs
            else:
                break
            lines.remove(idx[pos], "chrome.breadcrumb")
            pos += 1


def _label_values(lines: _Lines) -> None:
    """来源： alone, value on the next line: both removed under the label's rule."""
    idx = [i for i, k in enumerate(lines.keys) if k]
    for a, b in itertools.pairwise(idx):
        if (
            lines.rule[a]
            and R.LABEL_ONLY.match(lines.keys[a])
            and lines.rule[b] is None
            and len(lines.keys[b]) <= 24
            and not _is_body(lines.keys[b])
            and not _SALUTATION.match(lines.keys[b])
            and _label_takes(lines.keys[a], lines.keys[b])
        ):
            lines.remove(b, lines.rule[a] or "chrome.repeated_title")


def _label_takes(label: str, value: str) -> bool:
    """A value of the label's kind: a count label's is a number, a time label's holds a digit, any other any."""
    if R.LABEL_COUNT.match(label):
        return bool(R.COUNT_VALUE.match(value))
    if R.LABEL_TIME.match(label):
        return any(c.isdigit() for c in value)
    return True


def _forum_block(lines: _Lines) -> None:
    """Forum post header: statistics line … 楼主/分享到: — the thread title and user panel between them."""
    keys = lines.keys
    # the statistics line opens with 今日 (R.FORUM_START): a prefix test a line, not a pattern (45,680 lines of 400
    # bench pages: 21 ms); the loop removes lines, never changes a key
    for i in [i for i, key in enumerate(keys) if key.startswith("今日")]:
        if not R.FORUM_START.match(keys[i]):
            continue
        for j in range(i + 1, min(len(keys), i + R.FORUM_SPAN)):
            if R.FORUM_END.match(keys[j]):
                for k in range(i, j + 1):
                    if keys[k]:
                        lines.remove(k, "chrome.forum")
                break
            if _is_body(keys[j]):
                break


def _file_name_title(lines: _Lines) -> None:
    """The page's first line a doc site's file name (R.FILE_NAME_TITLE): its extension cut, the title kept."""
    for i, key in enumerate(lines.keys):
        if not key or lines.rule[i] is not None:
            continue
        raw = lines.raw[i]
        if "." in raw[-6:] and (m := R.FILE_NAME_TITLE.match(raw.strip())):
            at = len(raw) - len(raw.lstrip()) + m.end("title")
            lines.cut(i, at, len(raw), "chrome.file_extension")
        return


def _garbled_preview(lines: _Lines, raw: str, classes: np.ndarray, profile: np.ndarray) -> int:
    """Lines of a doc site's scrambled preview (R.GARBLED_*: mostly Han characters outside GB2312's first level) are
    removed; their number is returned. Only the page's lines holding R.GARBLED_LINE_RARE such characters within
    R.GARBLED_CLUMP_SPAN characters are read (found from the character classes of `raw`, the page they were made
    from): a speech's rare characters stand apart (`东莞`, `濮阳`), a preview's crowd."""
    if profile[C_RARE_HAN] < R.GARBLED_LINE_RARE:
        return 0
    pos = np.flatnonzero(classes == C_RARE_HAN)
    k = R.GARBLED_LINE_RARE - 1
    close = np.flatnonzero(pos[k:] - pos[:-k] <= R.GARBLED_CLUMP_SPAN)
    if not len(close):
        return 0
    places: list[str] = []
    end = -1
    for j in close.tolist():
        at = int(pos[j])
        if at <= end or at >= len(raw):
            continue
        start = raw.rfind("\n", 0, at) + 1
        end = raw.find("\n", at)
        end = len(raw) if end < 0 else end
        places.append(raw[start:end])
    n = 0
    for i, line in enumerate(lines.raw):
        if lines.rule[i] is not None or len(line) < R.GARBLED_MIN_HAN or not any(line in p for p in places):
            continue
        n_rare = int(np.count_nonzero(_RARE_HAN[np.frombuffer(line.encode("utf-32-le", "surrogatepass"), np.uint32)]))
        n_han = len(_HAN_RE.findall(line))
        if n_han >= R.GARBLED_MIN_HAN and n_rare >= R.GARBLED_RARE_SHARE * n_han:
            n += lines.remove(i, "chrome.garbled_preview", whole=True)
    return n


def _forum_jammer(lines: _Lines) -> None:
    """A forum's anti-copy strings (R.JAMMER) stand at the post's line breaks: each is broken off its line and
    removed, so a heading it followed stands alone again (a copy that lost its breaks kept them there)."""
    for i in range(len(lines.raw) - 1, -1, -1):  # from the end: a split shifts only the lines after it
        raw = lines.raw[i]
        if lines.rule[i] is not None or (" " not in raw and "\u00a0" not in raw):
            continue
        found = [
            m
            for m in R.JAMMER.finditer(raw)
            if len(R.JAMMER_PAIR_OPENING.findall(raw, m.start(), m.end())) >= R.JAMMER_OPENINGS_MIN
        ]
        if not found:
            continue
        junk = {raw[m.start() : m.end()].strip(" \u00a0") for m in found}
        n = len(lines.raw)
        lines.split(i, [a for m in found for a in (m.start(), m.end())], count=False, strip=" \t\u3000\u00a0")
        for k in range(i, i + len(lines.raw) - n + 1):
            if lines.raw[k] in junk:
                lines.remove(k, "chrome.forum_jammer", whole=True)


def _watermarks(lines: _Lines) -> None:
    """A doc site's watermark glued into a line (R.WATERMARK) is cut from it, the line's text kept."""
    for i, raw in enumerate(lines.raw):
        if lines.rule[i] is not None or not R.WATERMARK_GATE.search(raw):
            continue
        for m in reversed(list(R.WATERMARK.finditer(raw))):
            lines.cut(i, m.start(), m.end(), "chrome.watermark")
        if not lines.keys[i]:
            lines.remove(i, "chrome.watermark", whole=True)


def _inline_page_marks(lines: _Lines) -> None:
    """A page footer inside a line (R.INLINE_PAGE_MARK) is cut from it, the line's text kept; between two Han
    characters the words close up again (`今 第2页共18页 年` -> `今年`). A footer alone on its line is a line rule's."""
    for i, raw in enumerate(lines.raw):
        if lines.rule[i] is not None or ("页" not in raw and " -" not in raw and " －" not in raw):
            continue
        found = [m for m in R.INLINE_PAGE_MARK.finditer(raw) if m.start() > 0 or m.end() < len(raw)]
        if not found or (len(found) == 1 and found[0].start() == 0 and found[0].end() == len(raw)):
            continue
        for m in reversed(found):
            before, after = raw[: m.start()].rstrip(), raw[m.end() :].lstrip()
            if not before and not after:
                continue
            lines.cut(i, m.start(), m.end(), "chrome.page_counter")
            if before and after and _HAN_RE.match(before[-1]) and _HAN_RE.match(after[0]):
                lines.raw[i] = before + after  # a word the footer split (`今` / `年`): no space between
                lines.keys[i] = _key(lines.raw[i]) if len(lines.raw[i]) <= _LONG_LINE else lines.raw[i]
            raw = lines.raw[i]


def _download_notice(lines: _Lines) -> None:
    """温馨提示: followed by numbered lines (each line is looked at once: linear time)."""
    idx = [i for i, k in enumerate(lines.keys) if k]
    pos = 0
    while pos < len(idx):
        if lines.rule[idx[pos]] != "chrome.download_notice":
            pos += 1
            continue
        pos += 1
        while pos < len(idx):
            j = idx[pos]
            if not (
                R.NUMBERED.match(lines.keys[j])
                and len(lines.keys[j]) < 120
                and lines.rule[j] in (None, "chrome.download_notice")
            ):
                break
            lines.remove(j, "chrome.download_notice", whole=not R.SPEECH_MARK.search(lines.keys[j]))
            pos += 1


# characters from which one array lookup (_fold_tables) folds a text faster than str.translate's dict lookup a
# character (CJK code points are no cached ints: ~0.16 us a character; the array costs ~10 us a call, flat to a few
# hundred characters: even at 32-64 characters, translate 15 us at 64)
_FOLD_ARRAY_MIN = 48


def _fold(text: str) -> str:
    """text.translate(_KEY_FOLD) (Simplified, half-width; one code point to one), by array lookup when long."""
    if len(text) < _FOLD_ARRAY_MIN:
        return text.translate(_KEY_FOLD)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _fold_tables()[1][codes].tobytes().decode("utf-32-le", "surrogatepass")


def _folded(text: str) -> tuple[str, list[int] | None]:
    """`text` folded as keys are (Simplified, half-width: same offsets) without injected pinyin (相關(guān)熱詞搜索 is
    matched as 相关热词搜索), and the offset in `text` of each folded character kept (None: all of them)."""
    folded = _fold(text)
    if "(" not in folded or not _KEY_PINYIN.search(folded):
        return folded, None
    dropped = {j for m in _KEY_PINYIN.finditer(folded) for j in range(m.start(), m.end())}
    offsets = [j for j in range(len(folded)) if j not in dropped]
    return "".join(folded[j] for j in offsets), offsets


def _joined_tail(lines: _Lines) -> None:
    """`…作出新的更大贡献！相关报道：` / `…幸福实景！》》点击图片进入专题《《收藏|分享到：…`: a page whose paragraphs were
    joined (whole, or a few at a time) carries its end-of-page chrome on the speech's last line, where _tail_cut (a
    line at a time) cannot see it. A tail marker right after a sentence's end, or a marker no speech uses anywhere
    (`…希望全区各级点评 回复 举报 快速回帖…`: a copy cut mid-sentence), near the line's end starts the cut; the
    lines after it go too when they are short and hold no speech (link titles, the rest of the chrome)."""
    idx = [i for i, k in enumerate(lines.keys) if k and lines.rule[i] is None][-R.TAIL_WINDOW :]
    for pos in range(len(idx) - 1, -1, -1):
        i = idx[pos]
        after = idx[pos + 1 :]
        if any(len(lines.keys[j]) > R.TAIL_LINE_MAX or _tail_speech(lines.keys[j]) for j in after):
            return  # the speech goes on below this line
        raw = lines.raw[i]
        start = max(0, len(raw) - R.JOINED_TAIL_CHARS)
        folded, offsets = _folded(raw[start:])
        # a marker after a sentence's end on any line; one no speech uses only on a joined body (not a link title)
        markers = (
            (R.JOINED_TAIL_MARKER, R.JOINED_TAIL_STRONG) if len(raw) >= R.JOINED_TAIL_MIN else (R.JOINED_TAIL_MARKER,)
        )
        found = [m.start() for rx in markers if (m := rx.search(folded))]
        if not found:
            continue
        at = min(found)
        at = start + (offsets[at] if offsets is not None else at)
        lines.cut(i, at, len(raw), "chrome.tail")
        for j in after:
            lines.remove(j, _rule_of(lines.keys[j]) or "chrome.tail", whole=not R.SPEECH_MARK.search(lines.keys[j]))
        return


def _join_across_cuts(lines: _Lines, counts: Counter) -> None:
    """`…基层党组织不断加` / `第3页 共8页` / `强。党风廉政建设…`: a page counter (or page jump) the copy printed in the
    middle of a paragraph is removed, and the paragraph's two halves are one line again, when the first half ends
    mid-sentence.

    The half before the counter is no paragraph's first half when it is a block of its own: a whole bold line
    (`**（一）全力促进经济平稳健康发展**`: a page cut inside a bold span leaves it open), or, on a page hard-wrapped at a
    fixed width (a PDF's text), a line shorter than that width (a heading or a paragraph's last line: the line before
    a page break that cuts a paragraph is a full one).

    One pass over the lines, the joined halves gathered and concatenated once at the end: a page of page counters
    (100,000 of them: 44 s at 400k characters when each counter looked back and ahead for its neighbours and each
    join copied the growing paragraph) costs a step a line."""
    width: int | None = -1  # the page's hard-wrap width, measured at the first join (most pages have no counter)
    prev = None  # the last kept line: the first half of a paragraph a counter may cut
    prev_key = ""  # its key (after joins: recomputed only while short, as _Lines keys are)
    tail = ""  # its text's last piece, stripped on the right (what ends the paragraph so far)
    gap: bool | None = None  # between prev and here: None no removed line, True only counters, False another rule
    parts: dict[int, list[str]] = {}
    for i, key in enumerate(lines.keys):
        if not key:
            continue
        rule = lines.rule[i]
        if rule is not None:
            gap = gap is not False and rule in R.MID_PARAGRAPH_RULES
            continue
        if (
            prev is not None
            and gap
            and tail
            and tail[-1] not in R.SENTENCE_END
            and not _SALUTATION.match(prev_key)
            and not R.HEADING_START.match(key)
            and not (prev not in parts and _block_of_its_own(lines, prev))
        ):
            if width == -1:
                width = _wrap_width(
                    [raw.strip() for raw, rule in zip(lines.raw, lines.rule, strict=True) if rule is None]
                )
            if width is not None and prev not in parts and len(lines.raw[prev].strip()) < width - 1:
                prev, prev_key, tail, gap = i, key, lines.raw[i].rstrip(), None
                continue
            pieces = parts.setdefault(prev, [lines.raw[prev].rstrip()])
            pieces.append(lines.raw[i].strip())
            tail = pieces[-1]
            if len(prev_key) <= _LONG_LINE:
                joined = "".join(pieces)
                prev_key = _key(joined) if len(joined) <= _LONG_LINE else joined
            lines.raw[i], lines.keys[i] = "", ""
            counts["layout.broken_line"] += 1
        else:
            prev, prev_key, tail = i, key, lines.raw[i].rstrip()
        gap = None
    for p, pieces in parts.items():
        lines.raw[p] = "".join(pieces)
        lines.keys[p] = _key(lines.raw[p]) if len(lines.raw[p]) <= _LONG_LINE else lines.raw[p]


def _block_of_its_own(lines: _Lines, i: int) -> bool:
    """Line `i` is a whole bold span (`**（一）全力促进经济平稳健康发展**`): a heading, never half a paragraph."""
    raw = lines.raw[i].strip()
    return len(raw) > 4 and raw.startswith("**") and raw.endswith("**") and "**" not in raw[2:-2]


def _tail_cut(lines: _Lines) -> None:
    """相关报道： / 点评 / 关闭窗口 near the end: the marker and everything after it are chrome.

    "Near" counts only lines no other rule removed, so a second pass sees the same window."""
    idx = [i for i, k in enumerate(lines.keys) if k]
    kept_after = 0
    start = None
    for i in reversed(idx):
        if R.TAIL_MARKERS.match(lines.keys[i]):
            start = i
        if lines.rule[i] is None:
            kept_after += 1
            if kept_after > R.TAIL_WINDOW:
                break
    if start is None:
        return
    body = "".join(lines.keys[i] for i in idx if i < start and lines.rule[i] is None)
    if any(
        j > start and lines.rule[j] is None and _tail_speech(lines.keys[j]) and lines.keys[j] not in body for j in idx
    ):
        return  # the speech goes on below the marker (a forum's next floor): the marker did not end it
    for j in idx:
        if j < start or lines.rule[j] is not None:
            continue
        key = lines.keys[j]
        # link titles are short; a long paragraph below a marker stays. A speech line there (a related page's
        # preview: 各位代表：现在，我代表…) goes only when the page's own text above already holds it.
        whole = len(key) <= R.TAIL_LINE_MAX and not R.SPEECH_MARK.search(key)
        if not whole and len(key) <= R.TAIL_LINE_MAX:
            whole = key in body
        lines.remove(j, _rule_of(key) or "chrome.tail", whole=whole)


def _tail_speech(key: str) -> bool:
    """A line below a tail marker that is speech, not a link title: an outline heading (`二、突出重点，狠抓落实`) or
    a sentence (`全年目标任务必须按时完成！`, >= TAIL_SENTENCE_MIN_HAN Han characters ending in 。！？)."""
    if R.TAIL_OUTLINE.match(key):
        return True
    return bool(R.TAIL_SENTENCE_END.search(key)) and len(_HAN_RE.findall(key)) >= R.TAIL_SENTENCE_MIN_HAN


def _rule_of(key: str) -> str | None:
    return _line_rule(key)


_HEAD_MAX_LINES = 40
_COUNTER_MAX_DIGITS = 7  # a view count under ten million: a longer run of digits is no counter
_YEAR_KEY = re.compile(r"(?:19|20)\d{2}")  # `2023` over a doc site's keyword lines is one of them (chrome.keywords)
_PAGE_TITLE_MAX = 120  # a <title> with its site suffix; longer first lines are text (and the regex stays cheap)


# A 范文 collection's item number after a title repeated in the head: its page's `(2)` and its item's `篇2` (xuexila)
_TITLE_ITEM_NUMBER_RE = re.compile(r"(?:[(（]\d{1,2}[)）]|篇\d{1,2})$")
_TITLE_ITEM_MIN = 5  # characters of title before the number (`篇1` alone is the toolbar rule's)


def _head_rules(lines: _Lines) -> None:
    """Page head: first-line page title with site suffix, repeated header lines, keywords, photo captions."""
    end = _head_end(lines)
    head = [i for i in range(end) if lines.keys[i] and lines.rule[i] is None][:_HEAD_MAX_LINES]
    first_kept = next((i for i, k in enumerate(lines.keys) if k and lines.rule[i] is None), None)
    if head and head[0] == first_kept:
        first = lines.raw[head[0]].strip()
        if len(first) <= _PAGE_TITLE_MAX and R.PAGE_TITLE_SUFFIX.match(first):
            lines.remove(head[0], "chrome.page_title")  # the <title> with its site suffix, never a joined line
    # a photo caption nobody signed (`省长赵刚作政府工作报告`): chrome only in the head, where the photo stands
    for i in head:
        if lines.rule[i] is None and R.UNSIGNED_CAPTION.fullmatch(lines.keys[i]):
            lines.remove(i, "chrome.photo_caption", whole=True)
    # a broadcaster's tag opening the lead (`【Now新聞台】行政長官…`): the source, cut off (the lead may lie under the
    # head's end: the head stops at the first paragraph)
    for i in range(min(len(lines.raw), _HEAD_MAX_LINES)):
        raw = lines.raw[i]
        if (
            lines.rule[i] is None
            and raw.lstrip()[:1] == "【"
            and (m := R.BROADCASTER_TAG.match(raw))
            and m.end() < len(raw)
        ):
            lines.cut(i, m.start(), m.end(), "chrome.source")
    # counters above everything (a news page's like and share counts, `0` / `0` over the headline): no Han line yet
    for i, k in enumerate(lines.keys):
        if k and _HAN_RE.search(k):
            break
        if lines.rule[i] is None and k.isdigit() and len(k) <= _COUNTER_MAX_DIGITS and not _YEAR_KEY.fullmatch(k):
            lines.remove(i, "chrome.clicks", whole=True)
        # a header line repeated further down the head: the earlier copy is the page's, the later the speech's
    seen: dict[str, int] = {}
    for i in head:
        k = lines.keys[i]
        if len(k) > 50 or "。" in k or not _HAN_RE.search(k):
            continue  # a count repeated (a news page's like and share counters, `0` / `0`) is no title
        if (
            (k[-1:].isdigit() or k[-1:] in ")）")
            and (n := _TITLE_ITEM_NUMBER_RE.search(k))
            and n.start() >= _TITLE_ITEM_MIN
        ):
            # `区长…讲话(2)` / `区长…讲话篇2`: a 范文 collection's page title and its item heading, one title
            k = k[: n.start()]
        if k in seen and lines.rule[seen[k]] is None:
            lines.remove(seen[k], "chrome.repeated_title")
        seen[k] = i
    # runs of keyword lines (2023 / 区长 / 互学互 / 汇报会 / 致辞)
    run: list[int] = []
    candidates: list[int | None] = [i for i in head if lines.rule[i] is None]
    for c in [*candidates, None]:
        if (
            c is not None
            and R.KEYWORD_LINE.fullmatch(lines.keys[c])
            and not R.GREETING_TITLE_KEY.match(lines.keys[c])
            and (not run or c == run[-1] + 1 or _blank_between(lines, run[-1], c))
        ):
            run.append(c)
            continue
        if len(run) >= R.KEYWORD_RUN:
            for j in run:
                lines.remove(j, "chrome.keywords")
        run = [c] if c is not None and R.KEYWORD_LINE.fullmatch(lines.keys[c]) else []


_SIGNED_CAPTION_END = re.compile(r"(?:摄影?|报道|供图)[。）)]?$")


def _captions(lines: _Lines) -> None:
    """Signed photo captions anywhere on the page (本报记者 霍艳恩摄); a caption is never speech (see _is_caption).

    A caption glued to the byline above it (a head that lost its line breaks: `北京市市长 殷勇殷勇同志作政府工作报告。
    本报记者 戴冰摄`) loses only the caption: the byline stays for extract."""
    width: int | None = -1  # the page's hard-wrap width, looked up once when needed
    for i, key in enumerate(lines.keys):
        if lines.rule[i] is None and key and len(key) <= R.CAPTION_MAX and _is_caption(key):
            if not _SIGNED_CAPTION_END.search(key):
                # `“约法三章”：2013 年3 月全国两会后，李克强总理在与中外记者见面时`: a PDF's line cut at its width that
                # ends in 记者 and two characters is no caption (signed ones end 摄/报道/供图 and stay captions)
                if width == -1:
                    width = _wrap_width([raw.strip() for raw in lines.raw])
                if width is not None and abs(len(lines.raw[i].strip()) - width) <= 1:
                    continue
            at = _caption_after_byline(lines.raw[i])
            if at is not None:
                lines.cut(i, at, len(lines.raw[i]), "chrome.photo_caption")
            else:
                lines.remove(i, "chrome.photo_caption", whole=True)
                if width == -1:
                    width = _wrap_width([raw.strip() for raw in lines.raw])
                _caption_wrapped_start(lines, i, key, width)


_STAMP_RULES = ("chrome.published_at", "chrome.source")


def _stamp_wraps(lines: _Lines) -> None:
    """A page stamp hard-wrapped at the page's width (seed 002 at 36 characters: `發布時間:2021-03-25 來源: 實習報` /
    `告 點擊:`): the short line after it, the value's last characters and a chrome label, goes with the stamp (it
    stayed in the speech, and the source read `实习报`); extract reads the two removed lines as one."""
    width: int | None = -1
    for i in range(len(lines.raw) - 1):
        if lines.rule[i] not in _STAMP_RULES or lines.rule[i + 1] is not None:
            continue
        if not R.STAMP_WRAP_TAIL.fullmatch(lines.keys[i + 1]):
            continue
        if width == -1:
            width = _wrap_width([raw.strip() for raw in lines.raw])
        if width is not None and abs(len(lines.raw[i].strip()) - width) <= 1:
            lines.remove(i + 1, str(lines.rule[i]), whole=True)


def _caption_wrapped_start(lines: _Lines, i: int, key: str, width: int | None) -> None:
    """The lines a hard-wrapped caption started on (湖南 2026 at 36 characters a line: `2月3日，…在省人民会堂开幕。省长毛伟` /
    `明作政府工作报告。湖南日报全媒体记者 刘尚文 摄`): a line just above, of the page's wrap width and ending
    mid-sentence, goes with the caption when the two read as one caption (only the last line is signed)."""
    if width is None:
        return
    j = i - 1
    while j >= 0 and lines.rule[j] is None and lines.keys[j]:
        prev = lines.raw[j].strip()
        if abs(len(prev) - width) > 1 or prev[-1] in _TERMINAL or len(lines.keys[j]) + len(key) > R.CAPTION_MAX:
            return
        key = lines.keys[j] + key
        if not _is_caption(key):
            return
        lines.remove(j, "chrome.photo_caption", whole=True)
        j -= 1


def _caption_after_byline(line: str) -> int | None:
    """Where the caption starts in `OFFICE NAME` + caption, or None (the line is all caption).

    The name's length is known only from what follows it: the name again (殷勇殷勇同志作…), an office
    (刘小涛省长刘小涛代表…), a date (王予波1月28日，…) or a space and a signed caption."""
    folded = _fold(line)
    m = R.BYLINE_OFFICE.match(folded)
    if m is None:
        return None
    q = m.end()
    for opening in (R.CAPTION_OPENING, R.CAPTION_OPENING_LOOSE):
        for n in range(R.BYLINE_NAME_MIN, R.BYLINE_NAME_MAX + 1):
            name = folded[q : q + n]
            if len(name) < n or not R.BYLINE_NAME.fullmatch(name):
                if name[-1:] == "·":
                    continue  # 艾尔肯· of 艾尔肯·吐尼亚孜
                break
            rest = folded[q + n :]
            if rest.startswith(name) or opening.match(rest) or (rest[:1].isspace() and _is_caption(_key(rest))):
                return q + n  # 艾尔肯·吐尼亚孜 石榴云/新疆日报记者 谢龙 摄: a space, then a whole caption
    return None


def _licence(lines: _Lines) -> None:
    """Wikisource licence template at the page end (本作品是中华人民共和国的… / Public domain / false).

    The block runs from its opening to the end, every line short, and names the public domain or wikisource. When
    the page's lines were joined (whole, a few at a time, or broken again at its sentences), the template's opening is
    glued to the end of a line: it is cut from there, with the template's lines after it."""
    idx = [i for i, k in enumerate(lines.keys) if k][-R.LICENCE_WINDOW :]
    block: list[int] = []
    span = 0  # characters of the long lines in the block (template sentences of a reflowed page)
    for i in reversed(idx):
        key = lines.keys[i]
        if len(key) <= R.LICENCE_LINE_MAX and R.LICENCE_START.match(key):
            block.append(i)
            if any(R.LICENCE_PROOF.search(lines.keys[j]) for j in block):
                for j in block:
                    lines.remove(j, "chrome.licence", whole=True)
            return
        raw = lines.raw[i]
        tail = raw[-R.LICENCE_SPAN_MAX :]
        starts = [m.start() for m in R.LICENCE_START.finditer(tail)]
        if starts:
            template = tail[starts[0] :] + "".join(lines.keys[j] for j in block)
            if R.LICENCE_PROOF.search(_WS.sub("", template)):
                lines.cut(i, len(raw) - len(tail) + starts[0], len(raw), "chrome.licence")
                for j in block:
                    lines.remove(j, "chrome.licence", whole=True)
            return
        if len(key) > R.LICENCE_LINE_MAX:
            span += len(raw)
            if span > R.LICENCE_SPAN_MAX or R.SPEECH_MARK.search(key):
                return
        block.append(i)


_RUNNING_OPENERS = ("[", "［", "《", "“", "‘", "「", "『", "(", "（")
_RUNNING_CLOSERS = ("]", "］", "》", "”", "’", "」", "』", ")", "）")


def _running_headers(lines: _Lines) -> None:
    """A PDF's text: each page's running header (`政府工作报告`, `XX市人民政府`) and page number (`12`) stand between
    its lines. A short unpunctuated line alone on its line R.RUNNING_MIN_COUNT+ times is a header (but its first time
    when that is in the head: the title); bare numbers counting up by one, as many, are page numbers. _join_across_cuts then joins the
    paragraph halves they cut."""
    nonempty = lines.kept_nonempty()
    # a line between a bracket or quote opened on the line before and closed on the line after (wikisource's `《` /
    # `纲要（草案）` / `》`, a footnote mark's `[` / `1` / `]`) is a piece of a sentence
    enclosed = {
        i
        for p, i, n in zip(nonempty, nonempty[1:], nonempty[2:], strict=False)
        if lines.raw[p].rstrip().endswith(_RUNNING_OPENERS) and lines.raw[n].lstrip().startswith(_RUNNING_CLOSERS)
    }
    kept = [i for i in nonempty if len(lines.keys[i]) <= R.RUNNING_MAX and i not in enclosed]
    seen: dict[str, list[int]] = {}
    for i in kept:
        if R.RUNNING_LINE.fullmatch(lines.keys[i]) and len(_HAN_RE.findall(lines.keys[i])) >= R.RUNNING_MIN_HAN:
            seen.setdefault(lines.keys[i], []).append(i)
    head_end = _head_end(lines)
    for idx in seen.values():
        if len(idx) >= R.RUNNING_MIN_COUNT:
            # its first time stays when it stands as a title: in the head, or after a paragraph's end (a report's
            # title below the resolution a page prints first), not between a paragraph's halves
            before = [j for j in nonempty if j < idx[0]]
            title = idx[0] < head_end or not before or lines.raw[before[-1]].rstrip().endswith(tuple(R.SENTENCE_END))
            for i in idx[1:] if title else idx:
                lines.remove(i, "chrome.running_header", whole=True)
    numbers = [i for i in kept if R.PAGE_NUMBER_LINE.fullmatch(lines.keys[i])]
    run: list[int] = []
    for n in [*numbers, None]:
        if n is not None and (not run or int(lines.keys[n]) == int(lines.keys[run[-1]]) + 1):
            run.append(n)
            continue
        if len(run) >= R.RUNNING_MIN_COUNT:
            for j in run:
                lines.remove(j, "chrome.page_counter", whole=True)
        run = [n] if n is not None else []


def _table_of_contents(lines: _Lines) -> None:
    """`目录` / `一、2025年工作回顾……2` / `二、2026年工作安排……5` above the speech: each entry repeats a heading that
    opens a later line (see R.TOC_ENTRY); the run goes as chrome.toc, so the outline starts once, in the body."""
    seen = 0
    before: int | None = None  # the kept non-empty line before i
    for i, key in enumerate(lines.keys):
        if not key or lines.rule[i] is not None:
            continue
        seen += 1
        if seen > R.TOC_HEAD_LINES or len(key) >= R.TOC_BODY_LINE:
            return  # past the head, or the speech's paragraphs began: contents stand above them
        if key[0] not in _TOC_FIRST or not (m := R.TOC_ENTRY.match(lines.raw[i].strip(" \t\u3000*#"))):
            before = i
            continue
        run = [(i, _key(m.group("entry")), bool(m.group("page")))]
        j = i + 1
        while j < len(lines.keys) and len(run) < R.TOC_MAX_ENTRIES:
            if lines.keys[j] and lines.rule[j] is None:
                if len(lines.keys[j]) >= R.TOC_BODY_LINE:
                    break  # a paragraph (and the entry pattern is tried on short lines only)
                m = R.TOC_ENTRY.match(lines.raw[j].strip(" \t\u3000*#"))
                if not m or (run[0][2] and not m.group("page")):
                    break  # contents with page numbers end at the first heading without one (the body's)
                k = _key(m.group("entry"))
                if any(k == e for _, e, _ in run):
                    break  # an entry again: the body's first heading right under the contents
                run.append((j, k, bool(m.group("page"))))
            j += 1
        if len(run) < R.TOC_MIN_ENTRIES:
            before = i
            continue
        # one pass over the lines after the run: the entries' keys that open one of them
        lengths = {len(k) for _, k, _ in run}
        wanted = {k for _, k, _ in run}
        rest = range(run[-1][0] + 1, len(lines.keys))
        opened = {lines.keys[a][:n] for a in rest if lines.rule[a] is None for n in lengths} & wanted
        while run and not (run[-1][1] in opened or run[-1][2]):
            run.pop()  # the body's first heading right under contents without page numbers: no repeat below
        if len(run) >= R.TOC_MIN_ENTRIES and all(k in opened or page for _, k, page in run):
            if before is not None and R.TOC_TITLE.fullmatch(lines.raw[before]):
                lines.remove(before, "chrome.toc", whole=True)
            for j, _, _ in run:
                lines.remove(j, "chrome.toc", whole=True)
        return  # the first run of outline headings is the contents or the body's outline: looked at once


_TOC_FIRST = frozenset("一二三四五六七八九十（(第")  # the characters a contents entry's key starts with


def _blank_between(lines: _Lines, a: int, b: int) -> bool:
    return all(not lines.keys[k] for k in range(a + 1, b))


def _learned(lines: _Lines, boilerplate: frozenset[str]) -> None:
    if not boilerplate:
        return
    boilerplate = _rekeyed(boilerplate)
    for i, key in enumerate(lines.keys):
        if key and lines.rule[i] is None and key in boilerplate and not R.FORMULAIC.search(key):
            lines.remove(i, "learned.boilerplate")


@functools.lru_cache(maxsize=256)
def _rekeyed(keys: frozenset[str]) -> frozenset[str]:
    """Keys as _key makes them, whoever built the set."""
    return frozenset(_key(k) for k in keys)


_TRUNCATION_TAIL = 400  # chars: the longest notice, with pinyin injected after each character, is under 300
_TRUNCATION_TRIGGER = re.compile("|".join(re.escape(t) for t in vocab.TRUNCATION_TRIGGERS))  # one scan of the page
# a line that may hold a notice (folded to Simplified): a trigger, or 篇 (因篇(piān)幅: pinyin may split 篇幅)
_TRUNCATION_LINE = re.compile("|".join(re.escape(t) for t in (*vocab.TRUNCATION_TRIGGERS, "篇")))


def _unfolded(words: tuple[str, ...]) -> re.Pattern:
    """A pattern finding in a text what `words` finds in the text folded (_fold, one character to one): each character
    of a word becomes the class of every character folding to it (a word no folded text can hold is left out)."""
    forms: dict[str, set[str]] = {}
    for ch in {ch for w in words for ch in w}:
        if ord(ch) not in _KEY_FOLD:
            forms.setdefault(ch, set()).add(ch)
    for code, to in _KEY_FOLD.items():
        forms.setdefault(to if isinstance(to, str) else chr(to), set()).add(chr(code))
    found = [w for w in words if all(forms.get(ch) for ch in w)]
    first = "".join(map(re.escape, sorted({c for w in found for c in forms[w[0]]})))
    # behind a lookahead for the words' first characters: re then skips to them (without it, the alternation of classes
    # was tried at every character, slower than folding the text and searching it)
    alternation = "|".join("".join("[" + "".join(map(re.escape, sorted(forms[ch]))) + "]" for ch in w) for w in found)
    return re.compile(f"(?=[{first}])(?:{alternation})")


# _TRUNCATION_LINE over a line's text as it is, for its folded tail: each line's tail was folded first (str.translate
# or an array lookup) to be searched, ~2.7 ms on a page holding a trigger (75 of 1,572 pages of two cold 20k shards:
# ~2 % of normalize); now only a line that holds a word is folded
_TRUNCATION_LINE_UNFOLDED = _unfolded((*vocab.TRUNCATION_TRIGGERS, "篇"))


def _paywall_cut(lines: _Lines) -> int:
    """A 范文 site's preview: its length stamp (R.ARTICLE_LENGTH) goes, and says the text was cut when the page shows
    less than it counts; a last line cut with an ellipsis above a login prompt (R.ELLIPSIS_CUT) was cut too."""
    kept = [i for i, k in enumerate(lines.keys) if k and lines.rule[i] is None]
    cut = 0
    stamps = [i for i in kept[-R.TAIL_WINDOW :] if len(lines.keys[i]) <= 40 and R.ARTICLE_LENGTH.search(lines.keys[i])]
    for i in stamps:
        lines.remove(i, "chrome.paywall", whole=True)
        counted = int(R.ARTICLE_LENGTH.search(lines.keys[i]).group(1))  # type: ignore[union-attr]
        shown = sum(len(lines.raw[j]) for j in kept if lines.rule[j] is None)
        cut = cut or int(shown < counted * R.ARTICLE_SHOWN_SHARE)
    last = next((i for i in reversed(kept) if lines.rule[i] is None and _HAN_RE.search(lines.keys[i])), None)
    if (
        not cut
        and last is not None
        and R.ELLIPSIS_CUT.search(lines.raw[last].rstrip())
        and any(r == "chrome.paywall" for r in lines.rule[last + 1 :])
    ):
        cut = 1
    return cut


def _truncation(lines: _Lines, counts: Counter, raw_text: str) -> int:
    """因篇幅问题不能全部显示…: a whole line is removed; a notice glued to a body line is cut from it."""
    found = 0
    if not _TRUNCATION_TRIGGER.search(raw_text):
        return 0
    for i, raw in enumerate(lines.raw):
        if lines.rule[i] is not None or not lines.keys[i]:
            continue
        # the notice ends its line: only the line's tail is searched, and folded (a 4 MB line costs no more)
        offset = max(0, len(raw) - _TRUNCATION_TAIL)
        if not _TRUNCATION_LINE_UNFOLDED.search(raw, offset):
            continue  # the notice's regex tries many openings at every character: only lines that may hold one
        simp = _fold(raw[offset:])
        m = R.TRUNCATION.search(simp)
        if not m:
            continue
        found += 1
        m_start = offset + m.start()
        if not raw[:m_start].strip():
            lines.remove(i, "truncation.notice", whole=True)
        else:
            lines.raw[i] = raw[:m_start].rstrip()
            lines.keys[i] = _key(lines.raw[i]) if len(lines.raw[i]) <= _LONG_LINE else lines.raw[i]
            counts["truncation.notice"] += 1
    return found


# ============================================================================ text rewrites

_TONED = vocab.PINYIN_TONED
_PY_LETTERS = vocab.PINYIN_LETTERS
# a fixed-width page (a PDF's text) may wrap inside the annotation: `状态(t` / `ài)`, `项(xiàn` / `g)目`, `设` / `(shè)`;
# one line break, anywhere in it, is allowed (the break is kept, after the character). Some mirrors leave a space
# before the closing paren (`會(huì )議新聞發布會(huì )`, 07774.cn: session 49's fresh pages kept every reading, and the
# meeting's name with them); the space goes with the reading.
_PINYIN_AFTER_HAN = re.compile(
    f"([{R.HAN}])(\n?)[(（](\n?)([{_PY_LETTERS}]{{0,7}})(\n?)([{_PY_LETTERS}]{{0,7}})(\n?) ?[)）]"
)
_TONED_SYLLABLE = re.compile(f"[a-zA-Zü]*[{_TONED}][a-zA-Zü{_TONED}]*")
_DAMAGE_CHARS = set("?()" + _TONED + "üabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@functools.lru_cache(maxsize=65536)
def _readings(char: str) -> frozenset[str]:
    """Tone-marked readings of a Han character (its Simplified form too: pypinyin knows more of those)."""
    table = _pinyin_table()
    found: set[str] = set()
    for c in {char, char.translate(_T2S_MAP)}:
        if table is not None:
            found.update(r for r in table.get(ord(c), "").split(",") if r)
            continue
        from pypinyin import Style, pinyin

        for reading in pinyin(c, style=Style.TONE, heteronym=True, errors="ignore")[:1]:
            found.update(reading)
    return frozenset(found)


@functools.cache
def _pinyin_table() -> dict[int, str] | None:
    """pypinyin's readings of single characters (its pinyin_dict.json: code point -> `zhōng,zhòng`), read without
    importing pypinyin, or None where the file is not found. pinyin(c, style=TONE, heteronym=True) of one character
    gives exactly these (every character of R.HAN's blocks checked: pypinyin 0.55); importing pypinyin loads its phrase
    dictionary and segmenter too: 0.33-0.42 CPU-s and 47 MB in every normalize worker that meets a page with toned
    pinyin (each of the 20k bench's two normalize workers, on its first call), this file 0.055 s and 4 MB."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        data = json.loads((Path(spec.submodule_search_locations[0]) / "pinyin_dict.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return {int(k): v for k, v in data.items()}


def _in_context(text: str, at: int, after: int) -> str:
    """The Simplified form of text[at] as OpenCC's phrases convert it between its neighbours (text[at - 1] and
    text[after], the character after its pinyin): 瞭解 -> 了解, where 瞭 alone stays 瞭 (瞭望). Injectors annotate
    the Simplified text and convert it after, so 瞭(le)解 carries 了's reading."""
    before = text[at - 1] if at > 0 else ""
    window = before + text[at] + text[after : after + 1]
    converted = _T2S.convert(window)
    return converted[len(before)] if len(converted) == len(window) else text[at]


def _remove_pinyin(text: str, counts: Counter) -> str:
    """區(qū)長 -> 區長 only when (qū) is a reading of 區 (or of its Simplified form in the phrase: 瞭(le)解):
    中国(China), 张三(zhāng) stay."""

    def repl(m: re.Match) -> str:
        char, reading = m.group(1), m.group(4) + m.group(6)
        breaks = m.group(2) + m.group(3) + m.group(5) + m.group(7)
        if not 1 <= len(reading) <= 7 or len(breaks) > 1:
            return m.group(0)
        if reading in _readings(char) or reading in _readings(_in_context(m.string, m.start(1), m.end())):
            counts["pinyin.injected"] += 1
            return char + breaks
        return m.group(0)

    if "(" not in text and "（" not in text:
        return text
    return _PINYIN_AFTER_HAN.sub(repl, text)


_ANY_TONED = re.compile(f"[{_TONED}]")
_LETTER_AT_PAREN = re.compile(r"[A-Za-z]\(|\)[A-Za-z]")
_DAMAGE_RUN = re.compile("[" + re.escape("".join(sorted(_DAMAGE_CHARS))) + "]+")
_CLEAN_ANNOTATION = re.compile(f"[(（][{_PY_LETTERS}]+[)）]")


def _mark_damage(text: str, counts: Counter) -> str:
    """秩序?qū)m?xiàng整治 / 實施;A(chǔ)設施: bytes lost around injected pinyin -> one U+FFFD per place.

    Each maximal run of pinyin/damage characters that holds a toned letter is judged once (linear time)."""
    if not _ANY_TONED.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in _DAMAGE_RUN.finditer(text):
        a, b = m.span()
        span = m.group(0)
        if not _ANY_TONED.search(span):
            continue
        clean_annotation = _CLEAN_ANNOTATION.fullmatch(span) and a > 0 and _HAN_RE.match(text[a - 1])
        damaged = "?" in span or _LETTER_AT_PAREN.search(span)
        if clean_annotation or not damaged:
            continue
        out.append(text[pos:a])
        out.append(LOST)
        counts["damage.lost_chars"] += 1
        pos = b
    out.append(text[pos:])
    return "".join(out)


_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_HEADING = re.compile(r"^(?:#{1,6}[ \t]+)+|^#{1,6}(?=[^#\s\x00-\x7f])", re.M)  # `## 一、` and `##（一）`
# emphasis markers left unpaired when a bold span ran over a line break (`**——2026年…` / `代市长 熊征宇**`), and a lone
# `*` at a line edge; a single `*` inside a line is a censored character (“*人计划”) and stays
# (`**…`, `^*` before a non-ASCII character, `*$` after one). Every match starts with its `*`, and the pattern does too
# (the line-start and line-end tests look back from after it): the search skips to each `*` instead of trying a
# lookbehind at every character (the 54 of 400 bench pages holding a `*`: 43 ms, ~2 now)
_MD_STRAY_STARS = re.compile(r"\*(?:\*+|(?<![^\n]\*)(?=[^\s*\x00-\x7f])|(?<=[^\s*\x00-\x7f]\*)$)", re.M)
_MD_QUOTE = re.compile(r"^(?:>[ \t]*)+", re.M)
_STAR_KEPT = "\ufdd0"  # a noncharacter: no page holds it (a page that does keeps the old behaviour)
# the address stops at a bracket too: `[发展](http://` repeated with no `)` made each `[` read to the line's end
_MD_LINK = re.compile(r"\[([^\[\]\n]++)\]\((?:https?://|/)[^)\s\[\]]*+\)")
_MD_FOOTNOTE = re.compile(r"\[\^(\d+)\](:?)")


_STAR_BOLD_OPEN = re.compile(vocab.STAR_BOLD_OPEN)


def _keep_star(m: re.Match) -> str:
    """A placeholder's stars hidden as _STAR_KEPT; a blanked name's stays `**` when a bold span opened just before it
    on its line may close there (`**加强党建**市委要求`)."""
    if m.group("name"):
        text, a = m.string, m.start()
        lo = max(text.rfind("\n", 0, a) + 1, a - vocab.STAR_BOLD_REACH)
        if _STAR_BOLD_OPEN.search(text, lo, a):
            return m.group(0)
    return m.group(0).replace("*", _STAR_KEPT)


def _star_placeholder_in(text: str) -> bool:
    """R.STAR_PLACEHOLDER.search(text) is not None, searched only around the gate's matches (every match holds one,
    vocab.STAR_PLACEHOLDER_GATE): the pattern opens on lookbehinds, so a search of the whole text tried it at every
    character of a page whose stars stand before a date or a unit (73 of 1,681 pages of the 5k bench and the shared
    corpus, 3 of them holding a placeholder: 0.165 CPU-s). A match starting at or before the gate's star reads no
    further than STAR_PLACEHOLDER_READ from its start, so it is found as in the whole text; one starting after the
    star is its own gate match's to find."""
    for g in R.STAR_PLACEHOLDER_GATE.finditer(text):
        a = g.start()
        m = R.STAR_PLACEHOLDER.search(text, max(0, a - vocab.STAR_PLACEHOLDER_LEAD), a + vocab.STAR_PLACEHOLDER_READ)
        if m is not None and m.start() <= a:
            return True
    return False


def _strip_markdown(text: str, counts: Counter) -> str:
    if "*" in text or "_" in text:
        # stars that stand for a year's digits, a date's or a name (`20**年`, `**月**日`, `在**市委领导下`) are
        # placeholders, not bold: hidden from the bold and stray-star patterns, then put back
        kept = "*" in text and _STAR_KEPT not in text and _star_placeholder_in(text)
        if kept:
            text = R.STAR_PLACEHOLDER.sub(_keep_star, text)
        text, n = _MD_BOLD.subn(lambda m: m.group(1) or m.group(2), text)
        counts["markup.bold"] += n
        if "*" in text:
            text, n = _MD_STRAY_STARS.subn("", text)
            counts["markup.bold"] += n
        if kept:
            text = text.replace(_STAR_KEPT, "*")
    # both patterns start at a line start (^ with re.M): a # or > there, not anywhere, makes them worth a scan
    if text[:1] == "#" or "\n#" in text:
        text, n = _MD_HEADING.subn("", text)
        counts["markup.heading"] += n
    if text[:1] == ">" or "\n>" in text:
        text, n = _MD_QUOTE.subn("", text)
        counts["markup.quote"] += n
    if "](" in text:
        text, n = _MD_LINK.subn(r"\1", text)
        counts["markup.link"] += n
    if "[^" in text:
        text, n = _MD_FOOTNOTE.subn(r"[\1]", text)
        counts["markup.footnote"] += n
    return text


_H = R.HAN
_CJK_P = "，。、；：？！“”‘’（）《》【】…—「」『』〝〞〟"
_FULLWIDTH_ASCII = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # _WIDTH_MAP's characters
# _WIDTH_MAP as a match's replacement: str.translate with a dict looks up every character of a non-ASCII text (a page
# holding ９６．９８ spent ~2.3 ms of its ~6 translating; the 68 of 1,572 pages of two 20k bench shards that hold one
# were ~1.5 % of normalize), a substitution only the matches
_HALF_WIDTH = {chr(c): chr(h) for c, h in _WIDTH_MAP.items()}
# the pattern opens on its separator and looks back for the digit, so the search skips to each ．/， instead of trying
# the lookbehind at every character (the same matches: each is the one separator character)
_FW_DIGIT_SEP = re.compile(r"[．，](?<=\d[．，])(?=\d)")
_COMMA = re.compile(rf"[ \t]*,[ \t]*(?=[{_H}{_CJK_P}“])|(?<=[{_H}{_CJK_P}”])[ \t]*,[ \t]*")
# A `&name;` no browser knows (kept by _entities, counted damage.unknown_entity) keeps its `;`: `推进&xyz;项目` became
# `推进&xyz；项目`, a reference no longer recognisable as one. The first alternative matches such a reference whole
# (it starts at its `&`, before the semicolon rule can match its `;`) and _semicolons puts it back unchanged.
_SEMI = re.compile(rf"({R.ENTITY_NAMED})|[ \t]*;[ \t]*(?=[{_H}“])|(?<=[{_H}{_CJK_P}”])[ \t]*;[ \t]*")
# the same without the reference alternative, for a text with no `&` (most pages: the alternative cost ~1 % of normalize)
_SEMI_NO_REF = re.compile(rf"()(?!)|[ \t]*;[ \t]*(?=[{_H}“])|(?<=[{_H}{_CJK_P}”])[ \t]*;[ \t]*")
_COLON_P = re.compile(rf"(?<=[{_H}）”])[ \t]*:[ \t]*")
_QMARK = re.compile(rf"(?<=[{_H}”])\?")
_EXCL = re.compile(rf"(?<=[{_H}”])!")
_PARENS = re.compile(rf"\(((?=[^()\n]*+\))[^()\n{_H}]*+[{_H}][^()\n]*+)\)")
_ASCII_QUOTES = re.compile(rf'"((?=[^"\n]*+")[^"\n{_H}]*+[{_H}][^"\n]*+)"')
_ODD_QUOTES = str.maketrans({"〝": "“", "〞": "”", "〟": "”", "＂": '"'})
_CORNER_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def _replace_each(text: str, table: dict[int, str]) -> str:
    """text.translate(table) for a table of one character to one that no source character is the target of, by one
    str.replace a character: translate looks every character of a non-ASCII text up in the dict (~2.3 ms on a
    Taiwanese page of 「」), a replace finds its character at C speed (the same text: no replacement is replaced
    again)."""
    for source, target in table.items():
        if chr(source) in text:
            text = text.replace(chr(source), target)
    return text


_SPACE_NEAR_CJK_P = re.compile(rf"[ \t]+(?=[{_CJK_P}])|(?<=[{_CJK_P}])[ \t]+")


_PUNCT_RULES = (
    (",", _COMMA, "，"),
    (";", _SEMI, "；"),
    (":", _COLON_P, "："),
    ("?", _QMARK, "？"),
    ("!", _EXCL, "！"),
    ("(", _PARENS, r"（\1）"),
    ('"', _ASCII_QUOTES, r"“\1”"),
)


_ODD_CLOSER_LINE = re.compile("[^\n]*〞[^\n]*")


def _odd_quote_pairs(line: str) -> str:
    """`〞` for both marks (`〞两新〞`, `“两新〞〞三农〞`): one that opens no quote but is closed later on its line is
    `“`, the others `”` (`“互学互比〞` keeps its opener)."""
    out = list(line)
    is_open = False
    for i, c in enumerate(line):
        if c in "“〝":
            is_open = True
        elif c in "”〟":
            is_open = False
        elif c == "〞":
            if not is_open and any(d in "〞”〟" for d in line[i + 1 :]):
                out[i], is_open = "“", True
            else:
                out[i], is_open = "”", False
    return "".join(out)


def _punctuation(text: str, counts: Counter) -> str:
    """ASCII , : ; ? ! ( ) " in Chinese text -> ，：；？！（）“”; odd and corner quotes -> “”."""
    odd = sum(text.count(c) for c in "〝〞〟＂")
    if odd:
        if "〞" in text:
            text = _ODD_CLOSER_LINE.sub(lambda m: _odd_quote_pairs(m.group(0)), text)
        text = _replace_each(text, _ODD_QUOTES)
        counts["punct.odd_quotes"] += odd
    corner = sum(text.count(c) for c in "「」『』")
    if corner:
        text = _replace_each(text, _CORNER_QUOTES)
        counts["punct.corner_quotes"] += corner
    n_total = 0
    for _ in range(4):  # one conversion can make a neighbour convertible: `」:,` -> `”：,` -> `”：，`
        n_round = 0
        for char, pattern, repl in _PUNCT_RULES:
            if char not in text:
                continue
            if pattern is _SEMI:
                text, n = _semicolons(text)
            elif pattern in _LINE_LOCAL_PUNCT:
                text, n = _sub_in_lines(pattern, repl, text, char)
            else:
                text, n = pattern.subn(repl, text)
            n_round += n
        n_total += n_round
        if not n_round:
            break
    counts["punct.ascii_to_cjk"] += n_total
    return text


def _semicolons(text: str) -> tuple[str, int]:
    """`;` in Chinese text -> `；` (_SEMI), a `&name;` left as it is; the count is of the semicolons converted."""
    n = 0

    def one(m: re.Match[str]) -> str:
        nonlocal n
        if m.group(1) is not None:
            return m.group(1)
        n += 1
        return "；"

    return _sub_in_lines(_SEMI if "&" in text else _SEMI_NO_REF, one, text, ";")[0], n


# The punctuation patterns whose every match holds the rule's character and lies within one line, their lookarounds
# reading one character of classes that hold no line break, no anchors: _sub_in_lines searches only the lines holding
# the character. Each pattern opens on a lookbehind or an optional space run, so a substitution over the whole text
# tried it at every character (1,681 pages of the 5k bench and the shared corpus: `:` and `;` 0.38 CPU-s, 0.03 so).
_LINE_LOCAL_PUNCT = (_COMMA, _COLON_P, _QMARK, _EXCL)


def _sub_in_lines(
    pattern: re.Pattern, repl: str | Callable[[re.Match[str]], str], text: str, char: str
) -> tuple[str, int]:
    """pattern.subn(repl, text) (repl a plain string, no group references, or a function) for a pattern whose every
    match holds `char` and lies within a line, read by its lookarounds up to the line's break: each line holding `char`
    is searched as the whole text would be there (pos at its start; endpos past its break, so a lookahead sees it)."""
    out: list[str] = []
    n = done = 0
    end = len(text)
    at = text.find(char)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        stop = text.find("\n", at)
        stop = end if stop < 0 else stop
        for m in pattern.finditer(text, start, stop + 1):
            out.append(text[done : m.start()])
            out.append(repl if isinstance(repl, str) else repl(m))
            done = m.end()
            n += 1
        at = text.find(char, stop + 1) if stop < end else -1
    if not n:
        return text, 0
    out.append(text[done:])
    return "".join(out), n


_SUBSCRIPT = re.compile(r"(?<=[A-Za-z])_(?=\d)")
# also an e-paper's lettered pages (`（下转A3版）`, `(上接A1版)`, `（转B2版）`)
_PAGE_JUMP = re.compile(r"[（(]?(?:下转|上接|紧接|紧转|转|接)(?:第[一二三四五六七八九十\d]+|[A-Z]{1,2}\d{1,2})版[）)]")
_LOST_QMARK = re.compile(rf"(?:(?<=[、，。；：“（\n])|^)\?(?=[{R.HAN}])|(?<=[{R.HAN}])\?{{2,}}+(?=[{R.HAN}])", re.M)


# a full-width comma between digits, three digits after it (and after each further separator); the pattern starts
# with its comma and looks back for the digit: the search skips to each comma instead of trying a lookbehind at every
# character of every page (62 of normalize's 1,150 ms on 400 bench pages; ~10 now)
_DIGIT_GROUP = re.compile(r"，(?<=\d，)(?=\d{3}(?:[，,]\d{3})*(?!\d))")


def _small_repairs(text: str, counts: Counter) -> str:
    """PM_2.5 -> PM2.5; （下转第四版）（紧接第一版） cut; `、?水灌区` -> `、�水灌区` (a character lost in encoding)."""
    if "_" in text:
        text, n = _SUBSCRIPT.subn("", text)
        counts["markup.subscript"] += n
    if "版）" in text or "版)" in text:
        text, n = _PAGE_JUMP.subn("", text)
        counts["chrome.page_jump"] += n
    if "，" in text:  # 14，328，144，000元: a thousands separator typeset full width (the 1950s reports)
        text, n = _DIGIT_GROUP.subn(",", text)
        counts["punct.digit_group"] += n
    return text


def _lost_question_marks(line: str, counts: Counter) -> str:
    """`、?水灌区`: a `?` no sentence can hold is a character the encoding lost (run on the final text)."""
    line, n = _LOST_QMARK.subn(LOST, line)
    counts["damage.lost_chars"] += n
    return line


def _half_width(m: re.Match) -> str:
    return _HALF_WIDTH[m.group()]


def _width(text: str, counts: Counter) -> str:
    """１９５５ -> 1955, ２７，０００ -> 27,000, ９６．９８ -> 96.98."""
    text, n = _FULLWIDTH_ASCII.subn(_half_width, text)  # text.translate(_WIDTH_MAP), by the matches alone
    counts["width.fullwidth_ascii"] += n
    text, m = _FW_DIGIT_SEP.subn(lambda mm: "." if mm.group(0) == "．" else ",", text)
    counts["width.fullwidth_ascii"] += m
    return text


# [^\S\n]+ (whitespace but the line break), its characters listed (str.isspace, as `\s` reads; none lies past U+3000):
# re tests a listed class at each character about twice as fast as the negated category (a 20k bench shard's
# _clean_lines ran it on most pages)
_INNER_WS = re.compile("[" + re.escape("".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")) + "]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_DIGIT_HAN = re.compile(rf"(?<=[\d%])[ ](?=[{_H}])|(?<=[{_H}])[ ](?=\d)")
_NAME_PADDING = re.compile(rf"^(.{{0,20}}?(?:长|席|书记|主任|理|任))[ ]([{_H}])[ ]([{_H}])$")


def _clean_lines(text: str, counts: Counter, profile: np.ndarray) -> str:
    """Before any rewrite: lone surrogates -> U+FFFD, control and zero-width characters out, each line
    stripped of its indentation (　　 ideographic spaces) and inner whitespace runs collapsed to one space."""
    if profile[C_SURROGATE]:
        text = _BAD_CODEPOINTS.sub(LOST, text)
    if profile[C_JUNK]:
        text = _ZERO_WIDTH.sub("", _CONTROL.sub("", text))
    if profile[C_SPACE] or "  " in text:
        text = _INNER_WS.sub(" ", text)
    if " " in text:
        if "  " in text:  # (not after _INNER_WS, which leaves single spaces only)
            text = _SPACE_RUN.sub(functools.partial(_space_or_nothing, counts=counts), text)
        else:
            text = _single_spaces(text, counts)
    return text


_SPACE_RUN = re.compile(" +")
_CJK_P_SET = frozenset(_CJK_P)
# A text whose spaces stand alone (no two in a row: every text past _INNER_WS) is rewritten as _space_or_nothing
# rewrites each run, by two substitutions that find only the spaces that go, each opening on the literal space: one
# at a line's edge, then one next to Chinese punctuation. The callback on every space kept (`241 亿元`) was ~0.45
# of normalize's 11 CPU-s on 1,681 pages of the 5k bench and the shared corpus.
_SPACE_AT_EDGE = re.compile(r" (?:(?<=\A )|(?<=\n )|(?=\n)|\Z)")
_SPACE_NEAR_PUNCT = re.compile(f" (?:(?<=[{re.escape(_CJK_P)}] )|(?=[{re.escape(_CJK_P)}]))")


def _single_spaces(text: str, counts: Counter) -> str:
    """_SPACE_RUN.sub(_space_or_nothing) of a text holding no two spaces in a row: the same text and counts (a space
    both at a line's edge and next to punctuation counts as the edge's, as there)."""
    text, n = _SPACE_AT_EDGE.subn("", text)
    if n:
        counts["space.strip"] += n
    text, n = _SPACE_NEAR_PUNCT.subn("", text)
    if n:
        counts["space.around_punct"] += n
    return text


def _space_or_nothing(m: re.Match, counts: Counter) -> str:
    """A space at a line edge or next to Chinese punctuation goes; any other run becomes one space."""
    text, a, b = m.string, m.start(), m.end()
    before = text[a - 1] if a else "\n"
    after = text[b] if b < len(text) else "\n"
    if before == "\n" or after == "\n":
        counts["space.strip"] += 1
        return ""
    if before in _CJK_P_SET or after in _CJK_P_SET:
        counts["space.around_punct"] += 1
        return ""
    return " "


# A number typeset digit by digit (a 1998 State Council report: 1 9 9 7年, 1 5 ．3 ％, 1 2月2 0日): single digits (or
# a decimal point and a digit) set one space apart; three or more of them, or two before a unit, a date word or %
_SPACED_DIGITS = re.compile(r"(?<![\d.．])(?<!\d )\d(?: [.．]?\d)+(?!\d)(?: ?[%％‰])?")
# A number split in two by a space before its unit (金额2 33亿元, 新增1 2.2万人, 1 4％; 13 of 13 such splits on the
# shared corpus were one number); 年 only when the two parts make four digits (201 0年, not 2019 2020年)
_SPLIT_NUMBER_UNITS = (
    "万亿|亿|万|千|元|美元|%|％|‰|个|户|人|家|项|吨|公里|平方|亩|公顷|千瓦|台|辆|套|座|条|所|处|件|名|位|次|倍|年"
)
_SPLIT_NUMBER_UNIT_RE = re.compile(f"(?:{_SPLIT_NUMBER_UNITS}|月|日)")
_SPLIT_NUMBER = re.compile(rf"(?<![\d.,．， ])(\d{{1,4}}) (\d[\d.]*)(?=(?:{_SPLIT_NUMBER_UNITS}))")


def _digits_joined(m: re.Match) -> str:
    found = m.group(0)
    if found.count(" ") < 2 and found[-1] not in "%％‰" and not _SPLIT_NUMBER_UNIT_RE.match(m.string, m.end()):
        return found  # “6 1”支柱产业: two digits and no unit, a name's
    return found.replace(" ", "").replace("．", ".")


def _split_number_joined(m: re.Match) -> str:
    left, right = m.group(1), m.group(2)
    if m.string.startswith("年", m.end()) and len(left) + len(right) != 4:
        return m.group(0)
    return left + right


# a line of single characters set apart with spaces, as print layouts set a name or a title: one word
_SPACED_LINE = re.compile(f"[{R.HAN}](?: [{R.HAN}]){{1,11}}")


def _spaces(line: str, counts: Counter) -> str:
    stripped = line.strip()
    if "  " in stripped:
        stripped = _INNER_WS.sub(" ", stripped)
    if " " not in stripped:
        return stripped
    stripped, n = _SPACE_NEAR_CJK_P.subn("", stripped)
    counts["space.around_punct"] += n
    stripped, n = _SPACE_DIGIT_HAN.subn("", stripped)
    counts["space.digit_han"] += n
    if " " in stripped:
        stripped, n = _SPACED_DIGITS.subn(_digits_joined, stripped)
        joined = _SPLIT_NUMBER.sub(_split_number_joined, stripped)
        counts["space.digit_split"] += n + len(stripped) - len(joined)  # each split joined drops one space
        stripped = joined
    m = _NAME_PADDING.match(stripped)
    if m:  # 上海市市长 龚 正 -> 上海市市长 龚正
        counts["space.name_padding"] += 1
        stripped = f"{m.group(1)} {m.group(2)}{m.group(3)}"
    elif _SPACED_LINE.fullmatch(stripped):  # 习 近 平 -> 习近平, 政 府 工 作 报 告 -> 政府工作报告
        counts["space.name_padding"] += 1
        stripped = stripped.replace(" ", "")
    return stripped


# ============================================================================ layout


def _join_space_wraps(lines: list[str], counts: Counter) -> list[str]:
    """A PDF's wraps turned into spaces inside words (see R.SPACE_WRAP_BETWEEN): dropped when the page's such spaces
    stand a print line's width (or a multiple of it) apart."""
    found = [[m.start() for m in R.SPACE_WRAP_BETWEEN.finditer(line)] if " " in line else [] for line in lines]
    gaps = [b - a for at in found for a, b in itertools.pairwise(at)]
    if len(gaps) < R.SPACE_WRAP_GAPS_MIN:
        return lines
    width = sorted(gaps)[len(gaps) // 2]
    if not R.SPACE_WRAP_WIDTH_MIN <= width <= R.SPACE_WRAP_WIDTH_MAX:
        return lines
    fits = sum(
        1 for g in gaps if any(abs(g - k * width) <= R.SPACE_WRAP_SLACK for k in range(1, R.SPACE_WRAP_MULTIPLES + 1))
    )
    if fits < R.SPACE_WRAP_SHARE * len(gaps):
        return lines
    out = []
    for line, at in zip(lines, found, strict=True):
        if at:
            line, n = R.SPACE_WRAP_BETWEEN.subn("", line)
            counts["layout.space_wrap"] += n
        out.append(line)
    return out


_TERMINAL = "。！？；：…”」）)!?;:"
_TITLE_DONE = re.compile(r".*(?:讲话|致辞|发言|会议上|会上|大会上)[）)]?$")
_TITLE_START = re.compile(r"^(?:——|--|－－|[（(])?.{0,12}?在")


_TITLE_PIECE_MAX = vocab.TITLE_PIECE_MAX
_TITLE_HEAD_LINES = (
    40  # a page without a salutation: its year titles (vocab.year_title_wrap) are read in its first lines
)


def _title_wrap(a: str, b: str, in_head: bool) -> bool:
    """`a` then `b` are one title broken in two (a line break or, where breaks became spaces, a space)."""
    if not a or not b or len(a) > _TITLE_PIECE_MAX or len(b) > _TITLE_PIECE_MAX or a[-1] in _TERMINAL:
        return False
    if re.search(r"[，。,；]", a + b):
        return False
    if _TITLE_START.match(a) and not _TITLE_DONE.match(a) and _TITLE_DONE.match(a + b):
        return True
    return in_head and vocab.year_title_wrap(a, b)


def _join_title_wraps(lines: list[str], counts: Counter) -> list[str]:
    """在全区社会管理创新暨城乡一体化 / 建设工作推进会议上的讲话 -> one title line; the same two halves on one line a
    space apart (a page whose breaks became spaces) lose the space."""
    out: list[str] = []
    in_head = True
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_head and (_SALUTATION.match(line) or i >= _TITLE_HEAD_LINES):
            in_head = False
        if line.count(" ") == 1 and len(line) <= 2 * _TITLE_PIECE_MAX + 1:
            a, b = line.split(" ")
            if _title_wrap(a, b, in_head):
                line = a + b
                counts["layout.title_wrap"] += 1
        if i + 1 < len(lines) and _title_wrap(line, lines[i + 1], in_head):
            out.append(line + lines[i + 1])
            counts["layout.title_wrap"] += 1
            i += 2
            continue
        out.append(line)
        i += 1
    return out


# A WeChat copy sets each sentence in a <p> of its own and marks a paragraph's end with an empty <p>: its text has
# one sentence a line and a blank line between paragraphs (bench/reflow.py `sentence_lines`). Its paragraphs are the
# runs of lines between blank lines, when the page reads that way throughout: SENTENCE_BLOCKS_MIN+ runs of two lines
# or more, SENTENCE_LINE_SHARE of their lines ending a sentence, and their median line a sentence's length, not a
# paragraph's (SENTENCE_LINE_MEDIAN_MAX: the median line of such runs is 27-49 characters on the shared corpus's pages
# set out that way; the median paragraph of its 678 pages as given is longer than 80). A line that ends no sentence
# (a heading, `各位代表：`) keeps its breaks.
SENTENCE_BLOCKS_MIN = 3
SENTENCE_LINE_SHARE = 0.9
SENTENCE_LINE_MEDIAN_MAX = 60
# and their upper quartile too: wikisource's 1998-2002 State Council reports set a bold lead sentence above each
# paragraph in one run (`国民经济保持良好发展势头。` / its paragraph): median 25-32, upper quartile 143-210; pages set a
# sentence a line have 33-133 (bench/reflow.py `sentence_lines`, every fifth shared-corpus page)
SENTENCE_LINE_UPPER_MAX = 120
_SENTENCE_DONE = re.compile(r"[。！？!?…][”’」』）)]*$")


def _join_sentence_lines(lines: list[str], counts: Counter) -> list[str]:
    """Lines (blank lines kept) of a page set one sentence a line, a blank line between paragraphs: each run of
    sentence lines between blank lines is one paragraph (SENTENCE_BLOCKS_MIN …). Other pages are returned as given."""
    runs: list[list[int]] = []  # indices of the non-blank lines of each run of two or more
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if line:
            run.append(i)
            continue
        if len(run) >= 2:
            runs.append(run)
        run = []
    if len(runs) < SENTENCE_BLOCKS_MIN:
        return lines
    inside = [i for r in runs for i in r]
    done = [bool(_SENTENCE_DONE.search(lines[i])) for i in inside]
    if sum(done) < SENTENCE_LINE_SHARE * len(done):
        return lines
    lengths = sorted(len(lines[i]) for i in inside)
    if (
        lengths[len(lengths) // 2] > SENTENCE_LINE_MEDIAN_MAX
        or lengths[len(lengths) * 3 // 4] > SENTENCE_LINE_UPPER_MAX
    ):
        return lines
    out = list(lines)
    for r in runs:
        head = None  # the line the run's sentences are gathered on
        parts: list[str] = []
        for i in r:
            ends = bool(_SENTENCE_DONE.search(lines[i]))
            if head is not None and ends:
                parts.append(lines[i])
                out[i] = ""
                counts["layout.sentence_line"] += 1
                continue
            if head is not None:
                out[head] = "".join(parts)
            head, parts = (i, [lines[i]]) if ends else (None, [])
        if head is not None:
            out[head] = "".join(parts)
    return out


def _wrap_width(lines: list[str]) -> int | None:
    """The width a page's text was hard-wrapped at: the commonest length of its lines of 20+ characters, when it is
    the length of 5+ of them and 30 %+ of them (None: not hard-wrapped)."""
    lengths = Counter(len(line) for line in lines if len(line) >= 20)
    if not lengths:
        return None
    width, n_at_width = lengths.most_common(1)[0]
    if n_at_width < 5 or n_at_width < 0.3 * sum(lengths.values()):
        return None
    return width


# A line of the wrap width that ends a sentence is a full line like any other when the page's full lines end
# sentences only by chance: a hard wrap cuts wherever the width falls, so about one full line in twenty ends on
# `。`/`；` (bench/reflow.py `pdf_pages` on 17 shared-corpus pages: 2-7 % of the lines at the width), and reading each
# as a paragraph's end cut a quarter of the paragraphs in two (pdf_pages kept 74 % of them). A page whose lines of
# the commonest length are its paragraphs ends nearly all of them on one; above this share the old reading stands.
WRAP_TERMINAL_SHARE_MAX = 0.2
# (a line one short of the width that ends a sentence is a paragraph's last line: a full line ends on its
# punctuation at the width, or one past it where the printer keeps a mark off the next line's start)
# a full line ending a sentence is still a paragraph's end when the next line opens a block: an outline heading
# (`一、` `（三）` `第二章` `1.` `（1）`), a dash-led item (`——经济实力…`), a salutation
_BLOCK_START = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[章部节篇]"
    r"|\d{1,2}[.．、](?!\d)|——|[-－]{2})"
)


# A full line that is an outline heading with no punctuation after its marker (`（三）…` exactly the page's width) is
# a heading alone on its line when the page sets that style's headings on lines of their own: another heading of the
# style is a short unpunctuated line and none runs into its paragraph (`（一）…。` then text on the line). On a page
# whose headings of the style run in, such a line is the first line of a long one (`（三）持续实施以大数据…战略行动计划
# 和…，推动…。`: 9 of the shared corpus's marker-led paragraphs have no punctuation in their first 34-37 characters,
# against 2 of its 2,400 unpunctuated headings that long).
_WIDE_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
_ANY_PUNCT = re.compile(r"[，。、；：！？“”‘’《》（）()…—,.;:!?]")


def _heading_style(line: str) -> str | None:
    """`一、` or `（一）` when the line opens with that outline marker."""
    m = _WIDE_HEADING.match(line)
    return None if m is None else ("一、" if m.group().endswith("、") else "（一）")


def _standalone_styles(lines: list[str], width: int) -> set[str]:
    """The outline styles whose headings this page sets on lines of their own (see _WIDE_HEADING)."""
    alone: set[str] = set()
    run_in: set[str] = set()
    for line in lines:
        style = _heading_style(line)
        if style is None:
            continue
        rest = line[_WIDE_HEADING.match(line).end() :]  # type: ignore[union-attr]
        if _SENTENCE_CLOSE.search(rest) or "；" in rest:
            run_in.add(style)
        elif len(line) < width - 1 and not _ANY_PUNCT.search(rest):
            alone.add(style)
    return alone - run_in


def _join_hard_wraps(lines: list[str], counts: Counter) -> list[str]:
    """Text wrapped at a fixed width: lines of that width ending mid-sentence continue on the next line; so do those
    ending a sentence, on a page whose full lines end sentences only by chance (WRAP_TERMINAL_SHARE_MAX), unless
    the next line opens a block. A full line that is a heading of its own (_WIDE_HEADING) ends its block."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    standalone: set[str] | None = None  # the page's standalone heading styles, looked for at the first wide heading
    full = [line[-1] in _TERMINAL for line in lines if abs(len(line) - width) <= 1]
    chance_ends = sum(full) <= WRAP_TERMINAL_SHARE_MAX * len(full)
    out: list[list[str]] = []  # parts of each output line, joined once at the end (linear time)
    last_len = 0
    for line in lines:
        # a salutation (`各位代表：`) is a line of its own: the wrapped line before it is a caption or a heading cut
        # short (湖南 2026 at 36 characters: `…开幕。省长毛伟` / `明作…摄` went as a caption, `各位代表：` stayed)
        # a line of two widths or more is two full lines joined across a page footer (_join_across_cuts: `…又提高1`
        # / `- 2 -` / `0%。…全面建立临时救`): its last piece is full when its length is a multiple of the width
        if (
            out
            and (
                abs(last_len - width) <= 1
                or (last_len > width and (last_len % width <= 1 or last_len % width == width - 1))
            )
            and (
                out[-1][-1][-1] not in _TERMINAL
                or (chance_ends and 0 <= last_len - width <= 1 and not _BLOCK_START.match(line.lstrip(" *#\u3000")))
            )
            and not _SALUTATION.match(line.strip())
        ):
            prev = out[-1][0]
            if len(out[-1]) == 1 and prev[:1] in _TOC_FIRST and (style := _heading_style(prev)):
                rest = prev[_WIDE_HEADING.match(prev).end() :]  # type: ignore[union-attr]
                if not _ANY_PUNCT.search(rest):
                    if standalone is None:
                        standalone = _standalone_styles(lines, width)
                    if style in standalone:
                        out.append([line])
                        last_len = len(line)
                        continue
            out[-1].append(line)
            counts["layout.hard_wrap"] += 1
        else:
            out.append([line])
        last_len = len(line)
    return ["".join(parts) for parts in out]


_OPEN_END = ("的", "和", "与", "及", "或", "并", "是：", "是:", "，", "、", ",")  # ASCII `,` becomes `，` later
# a quote or title bracket opened at a line's end, or closed at the next line's start: wikisource renders a linked
# quotation or book title (`毛主席指出：“` / `这次无产阶级文化大革命…` / `”。`) on lines of its own (589 breaks in 33 reports)
_OPENER_END = ("“", "《", "‘", "「", "『", "[", "［")
_CLOSER_START = re.compile(r"^[”》’」』\]］]")
# `广义货币M` / `2` / `和社会融资`, `邓同志` / `[4]` / `在唐山…`: a subscript or footnote mark on a line of its own
_LONE_MARK = re.compile(r"^(?:[0-9A-Za-z]{1,2}|\[\d{1,3}\]|［\d{1,3}］)$")
_TERM_LINE = re.compile(r"^(?:\d+[.、．]|［\d+］|\[\d+\])[^，。；]{1,24}[：:]$")
_CONTINUATION_START = re.compile(
    r"^(?:是[：:]|[，、；。）,;)]|的(?![确士]))"
)  # ASCII forms too: they become full-width later
# the first characters the two patterns at a line's start can match (a set: `"" in` a string would be true)
_CONTINUATION_FIRST = frozenset("是，、；。）,;)的")
_CLOSER_FIRST = frozenset("”》’」』]］")
_LONE_MARK_MAX = 5  # characters of _LONE_MARK's longest line: [123]


def _join_broken_lines(lines: list[str], counts: Counter) -> list[str]:
    """Paragraphs cut at inline markup: `…发展的` / `主要目标` / `是：…`, `1.“四上”企业：` / `现阶段…`."""
    out: list[list[str]] = []  # parts of each output line, joined once at the end (linear time)
    for line in lines:
        # each pattern after a test of the line's end or first character it needs (a pattern a line: 4 x 22,000
        # calls on 400 bench pages)
        if out and (
            (out[-1][-1].endswith(_OPEN_END) and (len(out[-1]) > 1 or len(out[-1][-1]) > 1))
            or out[-1][-1].endswith(_OPENER_END)
            or (len(out[-1]) == 1 and out[-1][0].endswith(("：", ":")) and _TERM_LINE.match(out[-1][0]))
            or (line[:1] in _CONTINUATION_FIRST and _CONTINUATION_START.match(line))
            or (line[:1] in _CLOSER_FIRST and _CLOSER_START.match(line))
        ):
            out[-1].append(line)
            counts["layout.broken_line"] += 1
        else:
            out.append([line])
    return _join_lone_marks(["".join(parts) for parts in out], counts)


def _join_lone_marks(lines: list[str], counts: Counter) -> list[str]:
    """A subscript or footnote mark alone on its line (`[` `4` `]` joined above into `[4]`) is inside a sentence:
    joined with the lines on both sides, unless the line before it ends a sentence."""
    out: list[list[str]] = []
    glue = False
    for line in lines:
        lone = (
            bool(out)
            and len(line) <= _LONE_MARK_MAX
            and bool(_LONE_MARK.match(line))
            and not out[-1][-1].endswith(_TERMINAL_END)
        )
        if glue or lone:
            out[-1].append(line)
            counts["layout.broken_line"] += 1
        else:
            out.append([line])
        glue = lone
    return ["".join(parts) for parts in out]


_TERMINAL_END = ("。", "！", "？", "；", "：", "…", "!", "?", ";", ":")


# ============================================================================ flags


def _damage_flags(text: str, has_lower: bool = True) -> dict[str, int]:
    """Evidence counts; each pattern runs only around its trigger characters (most texts have none)."""
    return {
        "placeholder": _count_placeholders(text) if any(t in text for t in _PLACEHOLDER_TRIGGERS) else 0,
        "spun": _count_spun(text),
        "foreign_word": _count_foreign_words(text) if has_lower else 0,
        "lost_chars": text.count(LOST),
        "redacted_name": (len(R.REDACTED.findall(text)) if _redacted_trigger(text) else 0)
        + (text.startswith("的") and not text.startswith(("的确", "的士"))),
    }


_PLACEHOLDER_TRIGGERS = vocab.PLACEHOLDER_TRIGGERS
# Whether a text holds one of R.REDACTED_TRIGGERS. The triggers `，的` `。的` … (a mark, then 的) are found by one
# pattern that opens on the literal 的 and looks behind it for the mark: re skips to each 的 at C speed, where one
# alternation of the 13 triggers opened on a class of common marks and was tried at most characters (1,681 pages of
# the 5k bench and the shared corpus: 0.37 CPU-s; 0.17 this way, nearly all of it the other triggers' `in`). The
# other triggers are looked for with `in`.
_REDACTED_AFTER_MARK = "".join(t[0] for t in R.REDACTED_TRIGGERS if len(t) == 2 and t[1] == "的")
_REDACTED_MARK_DE = re.compile(f"的(?<=[{re.escape(_REDACTED_AFTER_MARK)}]的)")
_REDACTED_WORDS = tuple(t for t in R.REDACTED_TRIGGERS if not (len(t) == 2 and t[1] == "的"))


def _redacted_trigger(text: str) -> bool:
    """Any of R.REDACTED_TRIGGERS in text."""
    return _REDACTED_MARK_DE.search(text) is not None or any(w in text for w in _REDACTED_WORDS)


def _placeholder_matches(text: str) -> Iterator[re.Match]:
    """R.PLACEHOLDER.finditer(text), the pattern tried only where a character it opens on stands (PLACEHOLDER_START,
    a one-class scan in C): every match opens on one (vocab.PLACEHOLDER_FIRST), none is empty, none looks behind."""
    find, match = R.PLACEHOLDER_START.search, R.PLACEHOLDER.match
    pos = 0
    while (c := find(text, pos)) is not None:
        m = match(text, c.start())
        if m is None:
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def _count_placeholders(text: str) -> int:
    """×月×日, XX县区, X区长, 20xx年, 某某 — but not the x of a Latin word (Max年)."""
    n = 0
    for m in _placeholder_matches(text):
        before = text[m.start() - 1] if m.start() else ""
        if (
            "a" <= before.lower() <= "z"
            or before == "+"
            or (m.group(0) == "〇〇" and before in "一二三四五六七八九十〇零")
        ):
            continue  # Max年 is a word, 二〇〇〇年 a year
        n += 1
    return n


def _count_spun(text: str) -> int:
    """Spinner contexts, searched only in a window around each trigger word (开展, 效劳, 那么, 工程, 表达 …).

    The window of a 开展 or 工程 with no other trigger in it is not searched when the words around it
    are none of R.SPUN_CONTEXT's: every SPUN match holds a whole trigger word, so a match overlapping a
    lone trigger is one of that word's own alternatives, and each needs one of those words right before or
    after it. The two words are 99 % of the triggers of a bench shard (19,396 of 19,493), in ordinary
    phrases (开展工作, 重点工程); their window searches were ~4 % of normalize's CPU (session 22)."""
    spans: set[tuple[int, int]] = set()
    found = [m.span() for m in R.SPUN_TRIGGER.finditer(text)]
    for k, (start, end) in enumerate(found):
        lo, hi = max(0, start - SPUN_BEFORE), min(len(text), end + SPUN_AFTER)
        context = R.SPUN_CONTEXT.get(text[start:end])
        if (
            context is not None
            and (k == 0 or found[k - 1][0] < lo)  # no other trigger wholly in the window
            and (k + 1 == len(found) or found[k + 1][1] > hi)
            and not text.endswith(context[0], lo, start)
            and not text.startswith(context[1], end, hi)
        ):
            continue
        for hit in R.SPUN.finditer(text, lo, hi):
            if hit.start() <= start < hit.end() or hit.start() < end <= hit.end():
                spans.add(hit.span())
    return len(spans)


# The window searched around a trigger: SPUN's reach (normalize_rules.SPUN_REACH_*). It was 12 / 14 until
# session 40, shorter than what 表达了's lookahead reads (a principle word up to 19 characters on): the window's
# end cut it off, and `充分表达了以人民为中心的新时代发展思想` was not counted.
SPUN_BEFORE, SPUN_AFTER = R.SPUN_REACH_BEFORE, R.SPUN_REACH_AFTER


# A text's ASCII characters alone (encode with errors="ignore", in C) hold FOREIGN_MIN_LEN lowercase letters in a row
# wherever the text holds a lowercase word that long: a text whose ASCII has none has no foreign word, and
# LATIN_RUN's scan of its every character (a class scan: ~0.45 of normalize's 11 CPU-s on 1,681 pages of the 5k
# bench and the shared corpus, where 153 final texts hold such a run) is skipped.
_FOREIGN_GATE = re.compile(b"[a-z]{%d}" % R.FOREIGN_MIN_LEN)


def _may_hold_foreign_word(text: str) -> bool:
    """False only when _count_foreign_words(text) is 0: no FOREIGN_MIN_LEN lowercase ASCII letters in a row."""
    return _FOREIGN_GATE.search(text.encode("ascii", "ignore")) is not None


def _count_foreign_words(text: str) -> int:
    """A whole lowercase Latin word of >= 4 letters with a Han neighbour: 市government."""
    n = 0
    if not _may_hold_foreign_word(text):
        return n
    for m in R.LATIN_RUN.finditer(text):
        word = m.group(0)
        if len(word) < R.FOREIGN_MIN_LEN or not word.islower() or word in R.FOREIGN_OK:
            continue
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if _HAN_RE.match(before) or _HAN_RE.match(after):
            n += 1
    return n


# ============================================================================ public API

_BAD_CODEPOINTS = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_REF_SPACES = "\n\r\t\x0b\x0c"  # what `&#10;` and the like resolve to: a space, so the page's lines stay its lines


def _entities(text: str, counts: Counter) -> str:
    """Character references resolved as a browser resolves them in text (html.unescape: a legacy name without `;`
    takes its longest known prefix, `&copy2020` -> ©2020); a `&name;` no browser knows stays and is counted."""
    import html

    def one(m: re.Match[str]) -> str:
        ref = m.group(0)
        got = html.unescape(ref)
        if got == ref:
            if ref.endswith(";") and ref[1] != "#":
                counts["damage.unknown_entity"] += 1
            return ref
        counts["fix.entity"] += 1
        return "".join(" " if c in _REF_SPACES else c for c in got)

    return R.ENTITY.sub(one, text)


def normalize_text(raw_text: str, boilerplate: frozenset[str] = frozenset()) -> Normalized:
    """The speech of a page: chrome removed (and recorded), Simplified, Chinese punctuation, one paragraph a line."""
    raw = raw_text if isinstance(raw_text, str) else ""
    counts: Counter = Counter()
    if "&" in raw:
        raw = _entities(raw, counts)
    if "_x000" in raw:
        raw, n = R.XML_ESCAPED_BREAK.subn("\n", raw)
        counts["layout.escaped_break"] += n
    classes = _char_classes(raw)
    profile = np.bincount(classes, minlength=N_CLASSES)
    script, ratio, n_trad = _script_of(profile)

    lines = _Lines(raw)
    _front_matter(lines)
    _html_comments(lines)
    if R.JAMMER_GATE.search(raw) or ("\u00a0" in raw and R.JAMMER_GATE_NBSP.search(raw)):
        _forum_jammer(lines)
    if ("\u3000\u3000" in raw or "\u00a0\u00a0" in raw) and _MID_INDENT.search(raw):
        _split_indents(lines, counts)
    _split_joined_body(lines, counts)
    if "】" in raw or "://" in raw or "号：" in raw or "号:" in raw:  # after the split: a cut leaves a space
        _watermarks(lines)
    if "页" in raw or " -" in raw or " －" in raw:  # cheap literal gate: most pages hold neither
        _inline_page_marks(lines)
    cr = bool(profile[C_CR])
    _split_glued_glossary(lines, raw)
    _split_glued_headings(lines, counts, _marked_lines(classes, cr), _decimal_lines(raw, cr))
    if _glued_part_ends(raw):  # the page holds one: its lines are looked at
        _split_glued_parts(lines, counts)
    _split_joined_head(lines)
    truncated = _truncation(lines, counts, raw)
    garbled = _garbled_preview(lines, raw, classes, profile)
    _file_name_title(lines)
    _line_rules(lines)
    _editor_notes(lines)
    _toolbar_runs(lines)
    _breadcrumb_runs(lines)
    _forum_block(lines)
    _download_notice(lines)
    _label_values(lines)
    _licence(lines)
    _joined_tail(lines)
    _tail_cut(lines)
    _captions(lines)
    _stamp_wraps(lines)
    _head_rules(lines)
    _learned(lines, boilerplate)
    _running_headers(lines)
    truncated += _paywall_cut(lines)
    _table_of_contents(lines)

    _join_across_cuts(lines, counts)
    removed = sorted(
        [(lines.origin[i] + 1, lines.raw[i], rule) for i, rule in enumerate(lines.rule) if rule is not None]
        + [(i + 1, span, rule) for i, span, rule in lines.cuts]
    )
    if lines.wraps:
        counts["layout.title_wrap"] += (
            lines.wraps
        )  # the same repair _join_title_wraps makes on a page that kept its breaks
    if lines.splits:
        counts["layout.head_split"] += lines.splits
    for _, line, rule in removed:
        counts[rule] += 1
        if profile[C_TONED]:
            _remove_pinyin(line, counts)  # 發(fā)布時間 in a chrome line is injected pinyin of the page too

    text = "\n".join(line for line, rule in zip(lines.raw, lines.rule, strict=True) if rule is None)
    text = _clean_lines(text, counts, profile)
    if profile[C_TONED]:
        text = _remove_pinyin(text, counts)
        text = _mark_damage(text, counts)
    if n_trad:
        text = _to_simplified(text)
        counts["script.t2s"] += n_trad
    text = _strip_markdown(text, counts)
    text = _small_repairs(text, counts)
    if profile[C_FULLWIDTH]:
        text = _width(text, counts)
    text = _punctuation(text, counts)
    out_lines = [_spaces(line, counts) for line in text.split("\n")]
    if " " in text:
        out_lines = _join_space_wraps(out_lines, counts)
    out_lines = [s for s in _join_sentence_lines(out_lines, counts) if s]
    out_lines = _join_title_wraps(out_lines, counts)
    out_lines = _join_hard_wraps(out_lines, counts)
    out_lines = _join_broken_lines(out_lines, counts)
    text = "\n".join(out_lines)
    if any(counts[k] for k in ("layout.title_wrap", "layout.hard_wrap", "layout.broken_line")):
        text = _punctuation(text, counts)  # a join can put ASCII punctuation next to Chinese: `,` + `。…`
    if profile[C_QMARK] and "?" in text:  # after the joins: a join can bring `?` to a place no sentence holds
        text = _lost_question_marks(text, counts)

    flags = _damage_flags(text, bool(profile[C_LOWER] >= R.FOREIGN_MIN_LEN))
    flags["pinyin_removed"] = counts.get("pinyin.injected", 0)
    # wrapped at a fixed width (a PDF-to-text or reflowed page): its paragraphs are rebuilt by guess, so a copy that
    # kept them is the better base and canonical (bench_repair_mix `twenty`: a reflowed copy, the longest unflagged
    # one, was the base of a speech whose 19 other copies kept their paragraphs; 272 line breaks off the original)
    flags["hard_wrapped"] = counts.get("layout.hard_wrap", 0)
    flags["truncated"] = truncated
    flags["garbled"] = garbled  # lines of a doc site's scrambled preview removed: the copy lacks that text
    return Normalized(
        text=text,
        script=script,
        traditional_ratio=ratio,
        flags={k: v for k, v in sorted(flags.items()) if v},
        rule_counts={k: v for k, v in sorted(counts.items()) if v},
        removed_lines=removed,
    )


_MAX_KEY_LEN = 60


def line_keys(raw_text: str) -> set[str]:
    """Keys of the page's short lines: the candidates for corpus-learned boilerplate."""
    if not isinstance(raw_text, str):
        return set()
    return {k for k in _line_keys_of(raw_text) if 0 < len(k) <= _MAX_KEY_LEN}


MIN_GROUP_DOCS = 5
MIN_LINE_DOCS = 3
MIN_LINE_SHARE = 0.3

# Copies of one speech in one site/folder are no evidence that its lines are the site's chrome: a folder holding
# five copies of a report lost the speaker's byline and short headings of every copy (bench_repair_mix `five`:
# `自治区主席 云布龙`; `twenty`: `这五年，是…的五年`, `继续办好10件惠民实事。`), which no copy could then repair. The
# lines stage counts a line once per family of pages (pages that are copies of one speech) and a group's pages
# likewise. A family is found from a sketch of each page's Han text: the FAMILY_SKETCH smallest hashes of its
# FAMILY_GRAM-character runs, the page's first and last FAMILY_TRIM left out (its chrome), Traditional folded and
# pinyin dropped as line keys are; two pages sharing FAMILY_SHARED sketch values are copies. Measured on the
# shared corpus's three folders (676 reports) and bench_repair_mix's 1,125 pairs of copies (truncated to 40 %,
# spun, placeholders, lost characters, reflowed, Traditional + pinyin, chrome): copies share 17-64 values;
# different reports at most 11 (the State Council's 2025 and 2026 reports; the 17th and 18th CPC congress reports).
FAMILY_GRAM = 8
FAMILY_SKETCH = 64
FAMILY_SHARED = 15
FAMILY_TRIM = 0.1
FAMILY_MIN_HAN = 1_000  # a shorter page has no sketch: it is a family of its own, as every page was before
FAMILY_MAX_DOCS = 64  # a sketch value more pages of a group hold is a formula, no evidence (and caps the pair count)


def page_sketch(keys: list[str]) -> np.ndarray:
    """The FAMILY_SKETCH smallest hashes of a page's Han runs (its line keys joined), sorted; empty when short."""
    cps = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    han = cps[(cps >= 0x4E00) & (cps <= 0x9FFF)].astype(np.uint64)
    if len(han) < FAMILY_MIN_HAN:
        return np.zeros(0, dtype=np.uint64)
    trim = int(len(han) * FAMILY_TRIM)
    han = han[trim : len(han) - trim]
    n = len(han) - FAMILY_GRAM + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(FAMILY_GRAM):
            h = h * np.uint64(0x100000001B3) + han[j : j + n]
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    if len(h) > FAMILY_SKETCH:  # linear selection, not a sort of the page's ~10^4 hashes
        h = np.partition(h, FAMILY_SKETCH)[:FAMILY_SKETCH]
    return np.unique(h)


def page_families(sketches: list[np.ndarray]) -> list[int]:
    """A family label per page (the smallest index of its family): pages sharing FAMILY_SHARED sketch values,
    transitively, are copies of one speech."""
    parent = list(range(len(sketches)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holders: dict[int, list[int]] = {}
    for i, sk in enumerate(sketches):
        for v in sk.tolist():
            holders.setdefault(v, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in holders.values():
        if 1 < len(docs) <= FAMILY_MAX_DOCS:
            shared.update(itertools.combinations(docs, 2))
    for (a, b), n in shared.items():
        if n >= FAMILY_SHARED:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(len(sketches))]


def learn_boilerplate(
    line_doc_counts: Mapping[tuple[str, str], int], group_doc_counts: Mapping[str, int]
) -> dict[str, frozenset[str]]:
    """Lines in >= 30 % (and >= 3) of a group's documents are that site's chrome — unless formulaic speech."""
    learned: dict[str, set[str]] = {}
    for (group, key), n in line_doc_counts.items():
        docs = group_doc_counts.get(group, 0)
        if docs < MIN_GROUP_DOCS or n < max(MIN_LINE_DOCS, math.ceil(MIN_LINE_SHARE * docs)):
            continue
        key = _key(key)
        if R.FORMULAIC.search(key):
            continue
        learned.setdefault(group, set()).add(key)
    return {g: frozenset(keys) for g, keys in sorted(learned.items())}


# ----------------------------------------------------------------------------- stage runners

LINE_PARTS = 256  # line keys are hashed into this many parts; learning reads a range of parts at a time


def line_counts_shard(inputs: dict[str, Any], out_dir: str) -> dict[str, Any]:
    """Per shard: in how many documents of each site/folder each short line occurs (copies of one speech: once)."""
    from pathlib import Path

    import pyarrow.parquet as pq
    import xxhash

    from tasks import schema
    from tasks.common import rows_to_table, write_table

    counts: Counter[tuple[str, str]] = Counter()
    groups: Counter[str] = Counter()
    # row batches: a worker holds one batch of pages, not the shard's texts (a page's short keys and sketch are kept)
    pages: dict[str, list[tuple[set[str], np.ndarray]]] = {}
    docs = pq.ParquetFile(Path(inputs["ingest"]) / "docs.parquet")
    for batch in docs.iter_batches(BATCH_ROWS, columns=["group", "raw_text"]):
        for group, raw in zip(batch.column("group").to_pylist(), batch.column("raw_text").to_pylist(), strict=True):
            keys = _line_keys_of(raw) if isinstance(raw, str) else []
            short = {k for k in keys if 0 < len(k) <= _MAX_KEY_LEN}
            pages.setdefault(group, []).append((short, page_sketch(keys)))
    for group, members in pages.items():
        # a line counts once per family of copies of one speech, and so does the group's page count
        family = page_families([sk for _, sk in members])
        groups[group] += len(set(family))
        per_family: dict[int, set[str]] = {}
        for (short, _), f in zip(members, family, strict=True):
            per_family.setdefault(f, set()).update(short)
        for keys_of in per_family.values():
            counts.update((group, key) for key in keys_of)
    rows = [
        {"part": xxhash.xxh64_intdigest(f"{g}\n{k}".encode()) % LINE_PARTS, "group": g, "line_key": k, "n_docs": n}
        for (g, k), n in counts.items()
    ]
    out = Path(out_dir)
    write_table(rows_to_table(rows, schema.LINE_COUNTS), out / "lines.parquet", ["part", "group", "line_key"])
    group_rows = [{"group": g, "n_docs": n} for g, n in groups.items()]
    write_table(rows_to_table(group_rows, schema.GROUP_COUNTS), out / "groups.parquet", ["group"])
    return {"docs": sum(groups.values()), "lines": len(rows)}


def _speech_chars(text: str, at_least: int) -> int:
    """Letters and digits of `text`: exact below `at_least`, else any count >= it (the stub test needs no more,
    and a char-by-char count of every page was the stage's largest single cost: 8.9 -> 10.9 MB per CPU-second)."""
    n = pos = 0
    step = max(2 * at_least, SPEECH_STEP)
    while pos < len(text) and n < at_least:
        n += sum(map(str.isalnum, text[pos : pos + step]))
        pos += step
    return n


# A page below --min-chars is still a document when what is left after its chrome is prose: a 1958 NPC decision of
# one sentence under its title and dateline, a premier's press conference opening (three turns), a short news item
# (`3月17日下午，代县长叶青…审议《政府工作报告》。`), an NPC resolution of two paragraphs. What a stub, an index, a login
# wall or a tag page leaves has no such sentence: link titles and tags end in no 。, a 404 or login notice's sentences
# are short (`对不起，您访问的页面不存在！`, 11 Han characters) and name the site's own things (登录, 页面 …). Session 49's
# fresh pages: the real short pages hold 2-5 sentences of 17-70 Han characters, the rejects none. A decision of one
# sentence has its title on a line of its own (`…的决定`), which a fragment of a transcript or a caption lacks.
SHORT_SENTENCE_HAN = 16  # Han characters a prose sentence has at least (a chrome notice's sentences have 8-13)
SHORT_DOC_SENTENCES = 2  # such sentences a short document has (one alone is a photo caption or a fragment)
SHORT_SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]")
# a document's own title line: a kind word ends it (an index lists such titles too, but no sentence under them)
SHORT_TITLE_RE = re.compile(
    r"^[^。！？!?\n]{4,80}(?:决议|决定|公告|公报|贺信|贺电|贺词|慰问信|一封信|致辞|讲话|发言|主持词|开幕词|闭幕词|报告)\s*$",
    re.M,
)
# words of a page's own machinery: a sentence holding one is the site talking, never the document
SITE_TALK_RE = re.compile(r"登录|登陆|注册|下载|浏览器|网页|页面|网址|链接|会员|点击|扫码|客户端|验证码|本站|版权|转载")


def short_document(text: str) -> bool:
    """True when a page too short for --min-chars is prose (SHORT_DOC_SENTENCES sentences of SHORT_SENTENCE_HAN Han
    characters, none of them the site talking; a title line counts for one when a sentence follows): kept and flagged
    `short`, not a too_short reject."""
    n = 1 if SHORT_TITLE_RE.search(text) else 0
    if n and SITE_TALK_RE.search(text):
        n = 0  # `在…会议上的讲话` over a login wall: the title is the teaser's
    for m in SHORT_SENTENCE_RE.finditer(text):
        sentence = m.group()
        if len(vocab.HAN_RE.findall(sentence)) >= SHORT_SENTENCE_HAN and not SITE_TALK_RE.search(sentence):
            n += 1
            if n >= SHORT_DOC_SENTENCES:
                return True
    return False


SPEECH_STEP = 1024  # characters counted at a time before checking the threshold (a typical page's first lines)

# Pages converted to Python at a time: bounds a worker's memory by the batch, not the shard.
BATCH_ROWS = 256
TEXT_COLUMNS = ("raw_text", "text")  # written without a dictionary (tasks.common.ARTIFACT_COMPRESSION)
# docs.parquet's row groups: a later stage reading a few documents by id (common.rows_by_id) reads
# ~2.4 MB of texts for them, not the shard's whole ~33 MB column (100k bench shards of ~900 pages);
# whole-shard readers go group by group as before, which also bounds their batches (session 32)
DOC_ROW_GROUP = 64
# the columns of a page that normalize_shard reads in Python (the others pass through as Arrow)
_DOC_FIELDS = ("doc_id", "raw_text", "group", "source_path", "content_sha256", "record", "input_root", "cut_short")
# A page cut short (ingest.html_cut_short) is truncated when its text ends without a sentence's end too: the cut fell
# in the speech, not in the footer after it. The characters that end a speech's last sentence (repair.TERMINAL's).
FINISHED_END = "。！？；…”）」』!?;"


def normalize_shard(
    inputs: dict[str, Any], out_dir: str, min_chars: int, doc_seconds: float | None = None
) -> dict[str, Any]:
    """Normalize every page of the shard; a page that fails or overruns its time budget is a reject."""
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.common import ARTIFACT_COMPRESSION, processing_reject, rows_to_table, write_table
    from tasks.procs import TimeBudgetExceeded, time_budget

    docs_path = Path(inputs["ingest"]) / "docs.parquet"
    groups = set(pq.ParquetFile(docs_path).read(columns=["group"]).column("group").to_pylist())
    boilerplate = _load_boilerplate(inputs.get("boilerplate"), groups)
    kept_parts: list[pa.Table] = []
    removed: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    flags: Counter = Counter()
    n_kept = n_bytes = 0
    cacheable = True
    # Row batches, not the whole shard as dicts: a worker holds one batch of pages, the kept rows as Arrow.
    ingest_names = [f.name for f in schema.INGEST_DOCS]
    added = pa.schema([f for f in schema.NORMALIZED_DOCS if f.name not in ingest_names])
    for batch in pq.ParquetFile(docs_path).iter_batches(BATCH_ROWS):
        # the page's own columns go to the output as Arrow (taken by row), not through Python objects, when
        # the batch has them all with their types
        passthrough = all(
            f.name in batch.schema.names and batch.schema.field(f.name).type == f.type for f in schema.INGEST_DOCS
        )
        names = [n for n in _DOC_FIELDS if n in batch.schema.names] if passthrough else batch.schema.names
        values = [batch.column(n).to_pylist() for n in names]
        kept: list[dict[str, Any]] = []
        kept_rows: list[int] = []
        for row, doc in enumerate(dict(zip(names, v, strict=True)) for v in zip(*values, strict=True)):
            try:
                with time_budget(doc_seconds):
                    norm = normalize_text(doc["raw_text"], boilerplate.get(doc["group"], frozenset()))
            except TimeBudgetExceeded as exc:
                cacheable = False  # a slow machine's verdict; the next run tries again
                rejects.append(processing_reject(doc, "normalize", exc, reason="timeout"))
                continue
            except Exception as exc:  # noqa: BLE001 - one page's bug becomes its reject
                rejects.append(processing_reject(doc, "normalize", exc))
                continue
            removed.extend(
                {"doc_id": doc["doc_id"], "line_no": n, "text": line, "rule": rule}
                for n, line, rule in norm.removed_lines
            )
            speech = _speech_chars(norm.text, min_chars)  # punctuation cannot pad a stub
            short = speech < min_chars and short_document(norm.text)
            if speech < min_chars and not short:
                garbled = norm.flags.get("garbled", 0)
                rejects.append(
                    {
                        "source_path": doc["source_path"],
                        "content_sha256": doc["content_sha256"],
                        "reason": "garbled" if garbled else "too_short",
                        "detail": (
                            f"{garbled} lines of a scrambled preview (characters drawn from a shuffled font's glyph "
                            f"table, not text) removed, only {speech} characters of speech left (minimum {min_chars})"
                            if garbled
                            else f"only {speech} characters of speech left after removing page chrome "
                            f"(minimum {min_chars}) and no sentences of prose; a stub, index or login page? "
                            "lower --min-chars to keep such pages"
                        ),
                        **{k: doc.get(k) for k in ("record", "input_root") if k in doc},
                    }
                )
                continue
            kept_rows.append(row)
            norm_flags, rule_counts = norm.flags, norm.rule_counts
            if short:  # kept below --min-chars: prose, not a stub (short_document)
                norm_flags = {**norm_flags, "short": 1}
            if doc.get("cut_short") and norm.text.rstrip()[-1:] not in FINISHED_END:
                norm_flags = {**norm_flags, "truncated": norm_flags.get("truncated", 0) + 1}
                rule_counts = {**rule_counts, "ingest.cut_short": 1}
            kept.append(
                {
                    **({} if passthrough else doc),
                    "text": norm.text,
                    "n_chars": len(norm.text),
                    "script": norm.script,
                    "traditional_ratio": norm.traditional_ratio,
                    "norm_flags": sorted(norm_flags.items()),
                    "rule_counts": sorted(rule_counts.items()),
                }
            )
            flags.update(norm_flags.keys())
            n_bytes += len(doc["raw_text"].encode("utf-8"))
        n_kept += len(kept)
        if passthrough:
            own = batch.select(ingest_names)
            if len(kept_rows) < batch.num_rows:  # a batch keeping every page (nearly all) is not copied row by row
                own = own.take(pa.array(kept_rows, pa.int64()))
            new_cols = rows_to_table(kept, added)
            kept_parts.append(pa.Table.from_arrays([*own.columns, *new_cols.columns], schema=schema.NORMALIZED_DOCS))
        else:
            kept_parts.append(rows_to_table(kept, schema.NORMALIZED_DOCS))
    out = Path(out_dir)
    kept_table = pa.concat_tables(kept_parts) if kept_parts else rows_to_table([], schema.NORMALIZED_DOCS)
    write_table(
        kept_table,
        out / "docs.parquet",
        ["doc_id"],
        compression=ARTIFACT_COMPRESSION,
        plain=TEXT_COLUMNS,
        row_group_size=DOC_ROW_GROUP,
    )
    del kept_table, kept_parts
    write_table(rows_to_table(removed, schema.REMOVED_LINES), out / "removed_lines.parquet", ["doc_id", "line_no"])
    write_table(rows_to_table(rejects, schema.REJECTS), out / "rejects.parquet", schema.SORT_KEYS["rejects"])
    return {
        "docs": n_kept,
        "rejects": len(rejects),
        "removed_lines": len(removed),
        "bytes": n_bytes,
        "flags": dict(sorted(flags.items())),
        "cacheable": cacheable,
    }


def _load_boilerplate(folder: str | None, groups: set[str]) -> dict[str, frozenset[str]]:
    """Only the shard's own sites/folders: a filter pushed into the Parquet read."""
    if not folder or not groups:
        return {}
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    # batches filtered as read (pq.read_table's filter loads pyarrow.dataset: 0.3 CPU s a process)
    wanted = pa.array(sorted(groups), pa.string())
    out: dict[str, set[str]] = {}
    for batch in pq.ParquetFile(Path(folder) / "boilerplate.parquet").iter_batches(columns=["group", "line_key"]):
        batch = batch.filter(pc.is_in(batch.column("group"), value_set=wanted))
        for g, k in zip(batch.column("group").to_pylist(), batch.column("line_key").to_pylist(), strict=True):
            out.setdefault(g, set()).add(k)
    return {g: frozenset(keys) for g, keys in out.items()}


def boilerplate_digests(folder: str) -> dict[str, str]:
    """Per site/folder digest of the learned boilerplate: a shard's normalize key changes only when
    the boilerplate of its own groups does."""
    from pathlib import Path

    import pyarrow.parquet as pq

    from tasks.common import stable_hash

    table = pq.read_table(Path(folder) / "boilerplate.parquet", columns=["group", "line_key"])
    keys: dict[str, list[str]] = {}
    for g, k in zip(table.column("group").to_pylist(), table.column("line_key").to_pylist(), strict=True):
        keys.setdefault(g, []).append(k)
    return {g: stable_hash(sorted(v))[:16] for g, v in keys.items()}

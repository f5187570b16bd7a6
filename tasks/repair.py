"""Repair: let the copies of one speech repair each other into one faithful `best_text`.

Every copy of a speech is damaged differently (a truncated tail, `×月×日` placeholders, lost bytes
`秩序�整治`, anti-plagiarism swaps `经济开展`). The copies are aligned character by character on
unique 5-gram anchors (patience-diff style: n·log n), with difflib only inside the short gaps
between anchors, and a damaged span of the base text is replaced only where other copies show a
clean token that fits the damage. A real difference between versions is never touched; copies
that disagree on a damaged span leave it as it is and add a `conflict` row.

Pure functions on plain data: `repair_cluster(cluster_id, members) -> (speech_row, repair_rows)`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import json
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import xxhash
from rapidfuzz.distance import Indel as _Indel

from tasks import normalize_rules as R
from tasks.common import ARTIFACT_COMPRESSION
from tasks.dedupe import SHINGLE, flag_rank, shingle_hashes
from tasks.schema import CANONICAL, CANONICAL_FIELDS, MEMBERS, REPAIRS, SPEECHES
from tasks.vocab import SPIN_PAIRS  # spun form -> original (开展 -> 发展 …)

_kernels: Any
try:  # compiled at install (setup.py, tasks/_kernels.pyx); without them the same runs, in Python
    import tasks._kernels as _kernels
except ImportError:  # pragma: no cover - no C compiler at install
    _kernels = None

ANCHOR_K = 5  # dedupe.SHINGLE: a 5-character window unique in both texts is a safe anchor
DIFFLIB_MAX_CELLS = 40_000
# a side of a gap this large (cells) takes its longest common run from NumPy, not difflib (on the
# 20k +1 % bench's gaps: 5,000 / 20,000 / 100,000 cost alike, a little less than difflib alone)
LONGEST_MATCH_NUMPY_CELLS = 20_000  # gaps up to ~200x200 characters go to difflib directly
GAP_MAX_CELLS = 4_000_000  # larger gaps without anchors are left unaligned (one big difference)
MAX_DEPTH = 4  # anchor recursion depth inside gaps
MIN_TAIL = 10  # a copy must go on for 10+ characters past the base's end to complete its tail
MAX_FILL = 8  # a placeholder or lost span is filled by at most 8 characters
MAX_MEMBERS = 64  # the 64 best copies vote; more copies of one speech add cost, not evidence
TERMINAL = "。！？；…”）!?;"
CUT_LINE = 20  # an unflagged base counts as cut only when its last line is this long and unfinished
# A base that ends a sentence can still be cut: a site that drops a report's last page at a paragraph end leaves
# no notice and no unfinished line (bench/bench_repair_mix.py `cut_long`: 5 of 5 speeches lost their last 3-8 %,
# 100+ characters, to such a base). Its tail is completed when every copy that reaches the base's end goes on, by
# at least this much, ending a sentence. On the shared corpus one copy goes on past an unflagged base, by 27
# characters of an editor's note (`字库未存字注释：…`, 国务院 1956): no silently cut page ends less than a paragraph early.
CUT_TAIL_MIN = 100

LOST = "\ufffd"
_HAN = R.HAN
_PLACEHOLDER_SPAN = re.compile(r"(?:[×xX]{1,3}|某某|〇〇|□□)+")
_LOST_SPAN = re.compile(r"[\ufffd?？]+")
_DAMAGE_CHAR = re.compile(r"[×\ufffd?？]|某某|〇〇|□□|(?<![A-Za-z])[xX]{1,3}(?![A-Za-z])")
_PLACEHOLDER_UNIT = "月日年号个项条家人次名%％万亿元县区市省镇乡村街局委长书处科部"
_NUMBER_FILL = re.compile(r"[0-9.,一二三四五六七八九十百千万亿零〇两几多余]+|[0-9.]+(?:×[0-9.]+)+")  # 2×600兆瓦
_MIXED_SPAN = re.compile(r"(?:[×\ufffd?？])+")
_NUMBER_SEP = re.compile(r"[0-9.]+(?:[?？][0-9.]+)+")
_HAN_FILL = re.compile(f"[{_HAN}0-9]{{1,{MAX_FILL}}}")
_DAMAGE_RUN = re.compile(r"(?:[×\ufffd?？]|某某|〇〇|□□|[xX]{1,3}(?![A-Za-z]))+")
_SPUN_WORD = re.compile("|".join(sorted(SPIN_PAIRS, key=len, reverse=True)))
# Context repairs safe on a lone copy: spinner output no writer produces (0 hits on the 676 real
# reports, see normalize 1.1). 到达/比方/工程/表达 are real words in other contexts: never by context.
_CONTEXT_TRIGGERS = frozenset({"那么", "效劳", "开展", "成认"})
_RULE_PRECEDES = "原否规准细实法"  # 原那么 -> 原则, 否那么 -> 否则 …


# --------------------------------------------------------------------------- alignment


def _unique_positions(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, position) of the hashes occurring exactly once, sorted by hash."""
    if len(h) == 0:
        return h, np.zeros(0, dtype=np.int64)
    order = np.argsort(h)  # ties are dropped below, so the sort need not be stable
    s = h[order]
    first = np.r_[True, s[1:] != s[:-1]]
    last = np.r_[s[1:] != s[:-1], True]
    once = first & last
    return s[once], order[once]


def anchor_index(text: str) -> tuple[Any, ...]:
    """The 5-grams unique in a text: (hashes sorted, their positions, the rank of each position in
    text order, the positions in text order), the text's code points, the unique hashes in text
    order and their `_kernels.anchor_table` (None without the kernels). `align` against many copies
    takes the base's once instead of hashing and sorting it per pair."""
    hs, pos = _unique_positions(shingle_hashes(text))
    in_order = np.argsort(pos)
    rank = np.empty(len(pos), dtype=np.int64)
    rank[in_order] = np.arange(len(pos))
    hu = hs[in_order]
    table = _kernels.anchor_table(hu) if _kernels is not None else None  # what every copy's chain probes
    return hs, pos, rank, pos[in_order], _codepoints(text), hu, table


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _mismatches(
    a_cp: np.ndarray, b_cp: np.ndarray, xs: np.ndarray, ys: np.ndarray
) -> tuple[list[int], list[int], list[int], int]:
    """Where a run grown from an anchor stops, for every anchor at once: anchors in a row on one
    diagonal (same ys - xs) form a group; inside the span from its first anchor to its last one's
    end, the characters that differ are found in one vectorised compare.

    Returns sorted keys group * stride + position of every differing character, each anchor's group,
    each group's span end in a, and the stride."""
    d = ys - xs
    new = np.r_[True, d[1:] != d[:-1]]
    gid = np.cumsum(new) - 1
    firsts = np.flatnonzero(new)
    lasts = np.r_[firsts[1:], len(xs)] - 1
    lo, hi, dg = xs[firsts], xs[lasts] + ANCHOR_K, d[firsts]
    lens = hi - lo
    starts = np.cumsum(lens) - lens
    p = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(lo - starts, lens)
    g = np.repeat(np.arange(len(firsts), dtype=np.int64), lens)
    differ = a_cp[p] != b_cp[p + np.repeat(dg, lens)]
    stride = len(a_cp) + 1
    return (g[differ] * stride + p[differ]).tolist(), gid.tolist(), hi.tolist(), stride


def _lis(b_pos: Sequence[int] | np.ndarray) -> list[int]:
    """Indices of a longest strictly increasing subsequence (n log n): exactly the one patience
    sorting picks element by element, but a rising stretch is placed as one slice.

    Why a stretch can go in one step: after v lands at tails[k], the next, larger value v' lands at
    k+1 iff the old tails[k+1] >= v' (or tails ends there) — one vectorised compare for the stretch."""
    b = np.asarray(b_pos, dtype=np.int64)
    n = len(b)
    if not n:
        return []
    rises = np.flatnonzero(np.diff(b) <= 0) + 1  # strictly rising stretches of the sequence
    stretch_ends = [*rises.tolist(), n]
    tails = np.empty(n, dtype=np.int64)
    tails_idx = np.empty(n, dtype=np.int64)
    length = 0
    seg_starts: list[int] = []
    seg_prev: list[int] = []  # prev of a segment's first element; inside a segment prev[i] = i - 1
    s = 0
    for e in stretch_ends:
        while s < e:
            k = int(np.searchsorted(tails[:length], b[s]))
            m = min(e - s, length - k)  # elements whose slot already holds an old tail
            size = e - s
            if m > 1:
                late = tails[k + 1 : k + m] < b[s + 1 : s + m]
                if late.any():
                    size = 1 + int(late.argmax())
            seg_starts.append(s)
            seg_prev.append(int(tails_idx[k - 1]) if k else -1)
            tails[k : k + size] = b[s : s + size]
            tails_idx[k : k + size] = np.arange(s, s + size)
            length = max(length, k + size)
            s += size
    out: list[int] = []
    i = int(tails_idx[length - 1])
    while i >= 0:
        r = bisect_right(seg_starts, i) - 1
        out.extend(range(i, seg_starts[r] - 1, -1))
        i = seg_prev[r]
    return out[::-1]


def _common_prefix(a: str, i: int, b: str, j: int, limit: int, step: int = 16) -> int:
    """Length of the longest common prefix of a[i:] and b[j:], at most `limit`: slices compared in
    C, growing while they agree, then halving inside the first window that does not."""
    n, grow = 0, True
    while n < limit:
        m = min(step, limit - n)
        if a[i + n : i + n + m] == b[j + n : j + n + m]:
            n += m
            if grow:
                step *= 2
        elif m == 1:
            return n
        else:
            grow = False
            step = m // 2
    return n


def _common_suffix(a: str, i: int, b: str, j: int, limit: int, step: int = 4) -> int:
    """Length of the longest common suffix of a[:i] and b[:j], at most `limit` (as `_common_prefix`)."""
    n, grow = 0, True
    while n < limit:
        m = min(step, limit - n)
        if a[i - n - m : i - n] == b[j - n - m : j - n]:
            n += m
            if grow:
                step *= 2
        elif m == 1:
            return n
        else:
            grow = False
            step = m // 2
    return n


def _longest_match(a_cp: np.ndarray, b_cp: np.ndarray, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """difflib's `find_longest_match(alo, ahi, blo, bhi)` without junk, on code points: the
    longest common run, the first in a, then the first in b. The same dynamic programme (run
    length ending at each cell = the one up-left + 1 where the characters agree), but one NumPy
    step per character of the shorter side: difflib steps through every character of a in
    Python, and inside a gap of 10,000 x 100 characters (a copy's missing paragraph) each of the
    recursion's calls walked all of a again."""
    a, b = a_cp[alo:ahi], b_cp[blo:bhi]
    best_k, best_i, best_j = 0, alo, blo
    if len(a) <= len(b):  # rows of a in order: the first row reaching a length has the first start in a
        prev, cur = np.zeros(len(b), np.int32), np.empty(len(b), np.int32)
        for i in range(len(a)):
            cur[0] = 1
            np.add(prev[:-1], 1, out=cur[1:])
            cur *= b == a[i]
            j = int(cur.argmax())  # the first end in b of this row's longest run
            k = int(cur[j])
            if k > best_k:
                best_k, best_i, best_j = k, alo + i - k + 1, blo + j - k + 1
            prev, cur = cur, prev
    else:  # columns of b in order: a tie goes to the first start in a, then in b
        prev, cur = np.zeros(len(a), np.int32), np.empty(len(a), np.int32)
        for j in range(len(b)):
            cur[0] = 1
            np.add(prev[:-1], 1, out=cur[1:])
            cur *= a == b[j]
            i = int(cur.argmax())
            k = int(cur[i])
            if k and (k > best_k or (k == best_k and (alo + i - k + 1, blo + j - k + 1) < (best_i, best_j))):
                best_k, best_i, best_j = k, alo + i - k + 1, blo + j - k + 1
            prev, cur = cur, prev
    return best_i, best_j, best_k


def _difflib_blocks(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int]]:
    """difflib's matching blocks of a[a0:a1] and b[b0:b1] (SequenceMatcher without junk), without difflib.

    difflib takes the longest common substring (the first in a, then in b), then recurses on
    both sides, and joins adjacent blocks: the same recursion here. Each side is first asked of rapidfuzz's LCS (C++, bit-parallel):
    with no common subsequence nothing matches there; when a longest common subsequence is one
    contiguous block of length L, the longest common substring is L long too and nothing matches
    beside it (that would make a longer subsequence), so that side's block is the first length-L
    piece of a found in b (`str.find`). rapidfuzz's own blocks are not used: an LCS can scatter
    where difflib keeps the longest run, and on bench_repair's seed 13 they cost two recovered
    sentences (docs/repair.md, session 12). Only a side whose LCS has several blocks asks
    difflib's `find_longest_match` (one SequenceMatcher per gap: its index of b is built once).
    Equal to difflib's blocks: tests/test_repair.py."""
    sa, sb = a[a0:a1], b[b0:b1]
    if set(sa).isdisjoint(sb):
        return []  # nothing in common: difflib finds no block (a swapped word, a placeholder)
    found: list[tuple[int, int, int]] = []
    sm = None
    cps: tuple[np.ndarray, np.ndarray] | None = None
    queue = [(0, len(sa), 0, len(sb))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        lcs = [m for m in _Indel.opcodes(sa[alo:ahi], sb[blo:bhi]).as_matching_blocks() if m.size]
        if not lcs:
            continue
        if len(lcs) == 1:
            n = lcs[0].size
            pa_, pb_ = sa[alo:ahi], sb[blo:bhi]
            i = next(i for i in range(len(pa_) - n + 1) if pb_.find(pa_[i : i + n]) >= 0)
            found.append((alo + i, blo + pb_.find(pa_[i : i + n]), n))
            continue
        if (ahi - alo) * (bhi - blo) >= LONGEST_MATCH_NUMPY_CELLS:
            if cps is None:
                cps = _codepoints(sa), _codepoints(sb)
            i, j, n = _longest_match(*cps, alo, ahi, blo, bhi)
        else:
            if sm is None:
                sm = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
            i, j, n = sm.find_longest_match(alo, ahi, blo, bhi)
        found.append((i, j, n))
        if alo < i and blo < j:
            queue.append((alo, i, blo, j))
        if i + n < ahi and j + n < bhi:
            queue.append((i + n, ahi, j + n, bhi))
    found.sort()
    out: list[tuple[int, int, int]] = []
    for i, j, n in found:  # adjacent blocks are one (difflib's get_matching_blocks does the same)
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            out[-1] = (out[-1][0], out[-1][1], out[-1][2] + n)
        else:
            out.append((i, j, n))
    return [(a0 + i, b0 + j, n) for i, j, n in out]


def _anchors(
    a: str,
    b: str,
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    a_index: tuple[Any, ...] | None,
    b_cps: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The longest chain of 5-grams unique in both a[a0:a1] and b[b0:b1], increasing in both (positions).

    Compiled (`_kernels.anchor_chain`) after the hashing when built: the same chain. Against a base's
    index with b's code points (`b_cps`), `_kernels.anchor_chain_of` hashes b's 5-grams and probes the
    base's table in one pass: hashing b in NumPy and building a table of it for every pair were ~45 %
    of a cold repair's CPU (20k bench, py-spy)."""
    if _kernels is not None:
        if a_index is not None and b_cps is not None and a_index[6] is not None and b1 - b0 >= SHINGLE:
            return _kernels.anchor_chain_of(a_index[6], a_index[3], a0, b_cps, b0, b1, SHINGLE)
        hb_all = shingle_hashes(b[b0:b1])
        if a_index is not None:
            return _kernels.anchor_chain(a_index[5], a_index[3], a0, hb_all, b0, True)
        ha_all = shingle_hashes(a[a0:a1])
        return _kernels.anchor_chain(ha_all, np.arange(len(ha_all), dtype=np.int64), a0, hb_all, b0, False)
    ha, _, rank, pa_sorted, _, _, _ = a_index if a_index is not None else anchor_index(a[a0:a1])
    hb, pb_ = _unique_positions(shingle_hashes(b[b0:b1]))
    if not len(ha) or not len(hb):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    at = np.searchsorted(hb, ha)  # both sorted by hash: a merge-like lookup
    at[at == len(hb)] = 0
    both = hb[at] == ha
    # into a's text order through the rank (positions in a are distinct: (a, b) order = a order)
    in_a = np.zeros(len(ha), dtype=bool)
    in_a[rank[both]] = True
    xb_of = np.empty(len(ha), dtype=np.int64)
    xb_of[rank[both]] = pb_[at[both]]
    xa = pa_sorted[in_a] + a0
    xb = xb_of[in_a] + b0
    chain = _lis(xb)
    return xa[chain], xb[chain]


def _blocks(
    a: str,
    b: str,
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    depth: int,
    a_index: tuple[np.ndarray, ...] | None = None,
    cps: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[tuple[int, int, int]]:
    """Matching blocks (i, j, n) of a[a0:a1] and b[b0:b1], in order.

    The runs grown from the anchors come from `_kernels.anchor_runs` (compiled) or `_anchor_runs`;
    the gaps between them are aligned here, by difflib or by anchors again one level down.
    cps: the code points of the whole of a and b, once per alignment (the kernels read them)."""
    na, nb = a1 - a0, b1 - b0
    if na <= 0 or nb <= 0:
        return []
    if cps is None and _kernels is not None:
        try:
            cps = (a_index[4] if a_index is not None else _codepoints(a)), _codepoints(b)
        except UnicodeEncodeError:  # a lone surrogate: the Python walk compares the strings instead
            cps = None
    if na * nb <= DIFFLIB_MAX_CELLS:
        return _gap_blocks(a, b, a0, a1, b0, b1, cps)
    runs: list[list[int]] | list[tuple[int, int, int]] = []
    if depth < MAX_DEPTH and na >= ANCHOR_K and nb >= ANCHOR_K:
        x_np, y_np = _anchors(a, b, a0, a1, b0, b1, a_index, cps[1] if cps is not None else None)
        if len(x_np) and cps is not None and _kernels is not None:
            runs = _kernels.anchor_runs(*cps, x_np, y_np, a0, a1, b0, b1, ANCHOR_K).tolist()
        elif len(x_np):
            runs = _anchor_runs(a, b, a0, a1, b0, b1, x_np, y_np, a_index)
    if not runs:
        return _gap_blocks(a, b, a0, a1, b0, b1, cps) if na * nb <= GAP_MAX_CELLS else []
    out: list[tuple[int, int, int]] = []
    ca, cb = a0, b0  # end of the last run
    for s_a, s_b, n in runs:
        ga, gb = s_a - ca, s_b - cb
        if ga > 1 or gb > 1:  # a 1x1 gap is one differing character on each side: nothing matches
            if ga * gb <= DIFFLIB_MAX_CELLS:
                if ga and gb:
                    out.extend(_gap_blocks(a, b, ca, s_a, cb, s_b, cps))
            else:
                out.extend(_blocks(a, b, ca, s_a, cb, s_b, depth + 1, cps=cps))
        out.append((s_a, s_b, n))
        ca, cb = s_a + n, s_b + n
    out.extend(_blocks(a, b, ca, a1, cb, b1, depth + 1, cps=cps))
    return out


def _gap_blocks(
    a: str, b: str, a0: int, a1: int, b0: int, b1: int, cps: tuple[np.ndarray, np.ndarray] | None
) -> list[tuple[int, int, int]]:
    """difflib's blocks of a gap: `_kernels.matching_blocks` (its recursion in C) when built, else
    `_difflib_blocks`; the same blocks. On the 20k bench's cold repair the kernel was ~30x faster on
    small gaps (150 x 150) and ~8x on the large ones without anchors (up to 10,512 x 361: 4.7 vs 19.5 ms)."""
    if cps is not None and _kernels is not None:
        return _kernels.matching_blocks(*cps, a0, a1, b0, b1)
    return _difflib_blocks(a, b, a0, a1, b0, b1)


def _anchor_runs(
    a: str,
    b: str,
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    x_np: np.ndarray,
    y_np: np.ndarray,
    a_index: tuple[np.ndarray, ...] | None,
) -> list[tuple[int, int, int]]:
    """The runs (i, j, n) grown from a chain of anchors, in Python (`_kernels.anchor_runs` when it is
    built: the same runs). Anchors inside the run an earlier anchor grew into are skipped by bisection
    (both chains increase), and an anchor's 5-gram is compared only when it starts a run (a hash
    collision drops it), so the loop runs once per run, not once per anchor."""
    xs, ys = x_np.tolist(), y_np.tolist()
    grown = None  # where runs stop, found for all anchors at once (the top level, a's index given)
    if a_index is not None and a0 == 0 and b0 == 0:
        grown = _mismatches(a_index[4], _codepoints(b), x_np, y_np)
    runs: list[tuple[int, int, int]] = []
    ca, cb = a0, b0  # end of the last run
    k, n_anchors = 0, len(xs)
    while True:
        k = max(bisect_left(xs, ca, k), bisect_left(ys, cb, k))  # first anchor past the last run
        if k >= n_anchors:
            break
        xa, xb = xs[k], ys[k]
        k += 1
        if a[xa : xa + ANCHOR_K] != b[xb : xb + ANCHOR_K]:
            continue  # equal hashes, different 5-grams
        # extend the anchor backwards to the previous run, forwards as far as the texts agree
        back = _common_suffix(a, xa, b, xb, min(xa - ca, xb - cb))
        s_a, s_b = xa - back, xb - back
        limit = min(a1 - xa, b1 - xb) - ANCHOR_K
        if grown is None:
            fwd = _common_prefix(a, xa + ANCHOR_K, b, xb + ANCHOR_K, limit)
        else:
            keys, gid, span_end, stride = grown
            g = gid[k - 1]
            base, start = g * stride, xa + ANCHOR_K
            q = bisect_left(keys, base + start)
            if q < len(keys) and keys[q] < base + stride:
                fwd = keys[q] - base - start  # a differing character inside the group's span
            else:  # equal to the span's end, then on past the group's last anchor
                fwd = span_end[g] - start
                fwd += _common_prefix(a, span_end[g], b, span_end[g] + xb - xa, limit - fwd)
        e_a = xa + ANCHOR_K + fwd
        runs.append((s_a, s_b, e_a - s_a))
        ca, cb = e_a, xb + ANCHOR_K + fwd
    return runs


def align(a: str, b: str, a_index: tuple[np.ndarray, ...] | None = None) -> list[tuple[int, int, int]]:
    """Matching blocks (i, j, n) with a[i:i+n] == b[j:j+n], increasing in both texts.

    a_index: `anchor_index(a)`, when a is aligned against many texts (hashed once, not per pair)."""
    return _blocks(a, b, 0, len(a), 0, len(b), 0, a_index)


Blocks = list[tuple[int, int, int]]


class Aligner:
    """`align` with a memo: alignments of earlier runs (text pair digest -> blocks; align is a pure
    function of the two texts), and a record of every pair this run asked for, by cluster, so the
    repair step can keep them for the next run. A cluster that gained a copy then aligns only the
    new copy (and any whose base changed)."""

    def __init__(self, known: dict[str, Blocks] | None = None, flat: dict[str, Any] | None = None):
        self.known = known or {}
        self.flat = flat or {}  # as stored (i, j, n flattened; int32 views of the memo): blocks made when asked for
        self.decoded = 0  # stored alignments turned into Python blocks (the others go back to the memo as stored)
        self._cluster = ""
        self._digests: dict[str, str] = {}
        self.used: dict[tuple[str, str], Any] = {}  # Blocks, or a `_Flat` carried as stored
        self.computed = 0
        self.from_votes = 0  # clusters repaired from their earlier vote records (`_repair_fast`)

    @property
    def cluster(self) -> str:
        return self._cluster

    @cluster.setter
    def cluster(self, cid: str) -> None:
        self._cluster = cid
        self._digests = {}  # texts of one cluster only: a batch's texts are not kept alive

    def _digest(self, text: str) -> str:
        """_text_digest, once per text of a cluster (the base is asked for once per copy, a copy
        once per base: a cluster of 64 copies hashed its 37 KB texts ~130 times)."""
        d = self._digests.get(text)
        if d is None:
            d = self._digests[text] = _text_digest(text)
        return d

    def carry(self, a: str, b_digest: str, compute: Callable[[], Blocks]) -> None:
        """Record the pair (a, the text of digest b_digest) as used without turning its stored blocks
        into Python triples (`_repair_fast`: a copy that keeps its vote is not aligned, but its
        alignment stays in the memo for the next run); `compute` when no earlier run stored it."""
        key = self._digest(a) + b_digest
        if (self.cluster, key) in self.used:
            return
        blocks = self.known.get(key)
        if blocks is not None:
            self.used[(self.cluster, key)] = blocks
            return
        flat = self.flat.get(key)
        if flat is not None:
            self.used[(self.cluster, key)] = _Flat(flat)
            return
        compute()

    def __call__(self, a: str, b: str, index) -> Blocks:
        """index: a function returning `anchor_index(a)` (built only when an alignment is computed)."""
        key = self._digest(a) + self._digest(b)
        blocks = self.known.get(key)
        if blocks is None:
            flat = self.flat.pop(key, None)
            if flat is not None:
                triples = iter(flat.tolist() if isinstance(flat, np.ndarray) else flat)  # (i, j, n), zipped in C
                blocks = list(zip(triples, triples, triples))
                self.decoded += 1
            else:
                blocks = align(a, b, index())
                self.computed += 1
            self.known[key] = blocks
        self.used[(self.cluster, key)] = blocks
        return blocks


class _Flat:
    """An alignment's blocks as stored (i, j, n flattened: an int32 array, a view of the memo column it was
    read from, or a list), recorded for the memo as they are: never turned into Python integers."""

    __slots__ = ("values",)

    def __init__(self, values: Any):
        self.values = values

    def __len__(self) -> int:
        return len(self.values)


def _text_digest(text: str) -> str:
    """A text's key in the alignment memo. xxh3-128, not blake2b: every copy of a re-repaired
    cluster is hashed once a run (100k +1 %: 23 k texts, 1.7 of the repair parts' 28 CPU-s with
    blake2b-96; ~3x faster, the UTF-8 encoding then most of it). Not a security boundary: a
    collision would only pair a cached alignment with the wrong text pair, at 2^-64 odds per pair."""
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8", "surrogatepass"))


def _plain_align(a: str, b: str, index) -> Blocks:
    return align(a, b, index())


class _Lazy:
    """A value computed on first use (the base's anchor index, unneeded when every alignment is known)."""

    def __init__(self, fn):
        self.fn, self.value = fn, None

    def __call__(self):
        if self.value is None:
            self.value = self.fn()
        return self.value


# --------------------------------------------------------------------------- what a copy offers


def _fill_kind(base: str, e1: int, e2: int, offer: str) -> str | None:
    """`placeholder` or `lost_chars` when base[e1:e2] is damage and `offer` a clean token that fits it."""
    span = base[e1:e2]
    if not span or not offer or len(offer) > MAX_FILL or "\n" in offer:
        return None
    if _DAMAGE_CHAR.search(offer) and not (
        _NUMBER_FILL.fullmatch(offer)
        or (_NUMBER_SEP.fullmatch(offer) and set(re.sub(r"[0-9.]", "", offer)) <= set(span))
    ):
        return None  # `12?20` fills `×?×` (the source itself has the `?`); other damaged offers never count
    after = base[e2] if e2 < len(base) else ""
    if _LOST_SPAN.fullmatch(span):
        # `？` / `?`: a character lost in encoding (`、?水灌区`, `惠民？、`) — filled only by Han or digits, or by
        # symbols a legacy encoding cannot hold (`6.1?；` -> `6.1‰；` from a Big5 page), one for each `?`
        if LOST not in span and not (
            (_HAN_FILL.fullmatch(offer) and len(offer) <= 2 * len(span))
            or (len(offer) == len(span) and all(map(_legacy_lost, offer)))
        ):
            return None
        return "lost_chars"
    if _PLACEHOLDER_SPAN.fullmatch(span):
        if span[0] in "xX" and after not in _PLACEHOLDER_UNIT:
            return None  # X光, Xbox: a letter, not a placeholder
        if "某" in span or "〇" in span or "□" in span:
            return "placeholder" if _HAN_FILL.fullmatch(offer) else None
        return "placeholder" if (_NUMBER_FILL.fullmatch(offer) or _HAN_FILL.fullmatch(offer)) else None
    if _MIXED_SPAN.fullmatch(span) and (_NUMBER_SEP.fullmatch(offer) or _NUMBER_FILL.fullmatch(offer)):
        return "placeholder"  # `×?×`: placeholders around a lost character
    return None


# The encodings Chinese pages were saved in before UTF-8: a character one of them lacks became `?` in such a copy
LEGACY_ENCODINGS = ("gb2312", "gbk", "big5")


@functools.lru_cache(maxsize=4096)
def _legacy_lost(ch: str) -> bool:
    """A symbol (not ASCII, not Han) that some legacy encoding cannot hold: ‰ ∶ ～ in Big5, • in GBK, · in GB2312."""
    if ch.isascii() or _HAN_FILL.fullmatch(ch) or ch in "？\ufffd×":
        return False
    for enc in LEGACY_ENCODINGS:
        try:
            ch.encode(enc)
        except UnicodeEncodeError:
            return True
    return False


# --------------------------------------------------------------------------- the cluster


class _View:
    """Where a copy's text sits against the base, from its matching blocks."""

    def __init__(self, blocks: list[tuple[int, int, int]]):
        self.blocks = blocks
        self.starts = [i for i, _, _ in blocks]
        self.ends = [i + n for i, _, n in blocks]

    def segment(self, copy: str, s: int, e: int) -> tuple[str | None, bool, bool]:
        """The copy's text where base[s:e] is, and whether each edge is inside an equal block
        (an edge between blocks takes in what the copy inserted there: 到达 <-> 达到)."""
        bl = self.blocks
        if not bl or (s < self.starts[0] and e <= self.starts[0]) or s >= self.ends[-1]:
            return None, False, False
        k = bisect_left(self.ends, s)  # first block ending at or after s
        if k < len(bl) and self.ends[k] == s:
            left, left_ok = bl[k][1] + bl[k][2], True  # a block ends exactly at s
        elif k < len(bl) and self.starts[k] <= s:
            left, left_ok = bl[k][1] + s - bl[k][0], True
        else:
            left, left_ok = (bl[k - 1][1] + bl[k - 1][2]) if k else 0, False
        r = bisect_right(self.starts, e) - 1  # last block starting at or before e
        if r >= 0 and self.starts[r] == e:
            right, right_ok = bl[r][1], True
        elif r >= 0 and e < self.ends[r]:
            right, right_ok = bl[r][1] + e - bl[r][0], True
        elif r + 1 < len(bl):
            right, right_ok = bl[r + 1][1], False
        else:
            return None, False, False  # past the copy's last block: not covered
        if right < left:
            return None, False, False
        return copy[left:right], left_ok, right_ok


def _order(members: list[dict]) -> list[dict]:
    """Best base first: not truncated, fewest damage flags (then notes: dedupe.flag_rank), longest, then doc_id
    (= dedupe's canonical order)."""

    def key(m: dict):
        flags = m.get("quality_flags") or []
        return ("truncated" in flags, flag_rank(flags), -len(m["text"]), m["doc_id"])

    return sorted(members, key=key)


def _looks_truncated(member: dict, text: str) -> bool:
    """Flagged truncated, or cut mid-paragraph: a long last line without a sentence end (a closing
    `谢谢大家` or a date line is short; site chrome after it in another copy must not be appended)."""
    if "truncated" in (member.get("quality_flags") or []):
        return True
    last = text.rstrip().rsplit("\n", 1)[-1]
    return len(last) >= CUT_LINE and last[-1] not in TERMINAL


def _tail_offer(text: str, m: dict, blocks: Blocks) -> tuple | None:
    """What one copy offers `_complete_tail` against `text`: ("tail", rank, tail) when it goes on
    MIN_TAIL+ characters past the text's end, ("stop",) when it ends there too, None otherwise."""
    if not blocks:
        return None
    i, j, n = blocks[-1]
    slack = len(text) - (i + n)
    if slack > 3:
        return None  # the base's end is not aligned with this copy
    tail = m["text"][j + n + slack :]
    if len(tail) >= MIN_TAIL:
        return "tail", ("truncated" in (m.get("quality_flags") or []), -len(tail), m["doc_id"]), tail
    return ("stop",)


def _complete_tail(
    base: str, base_member: dict, others: list[dict], aligner=_plain_align, trace: list | None = None
) -> tuple[str, list[dict], dict[int, list[tuple[int, int, int]]]]:
    """Append the tail a cut base lacks, from the copy that goes on furthest (complete copies first): a base flagged
    truncated or ending mid-line takes any tail of MIN_TAIL+; one ending a sentence only a tail every copy reaching
    its end shows (CUT_TAIL_MIN+, ending a sentence).

    Also returns the alignments against the final text made on the way (by id of the member dict),
    so the cluster does not align those copies a second time. `trace` (a list) gets one entry per
    round: [doc_id of the best tail or None, its rank, the doc_ids of the copies that stop at the
    text's end (sorted), whether the text counted as cut] — what a later copy must leave alone for
    the completion to stay the same (`_repair_fast`)."""
    tails: list[dict] = []
    aligned: dict[int, list[tuple[int, int, int]]] = {}
    text = base
    used = {base_member["doc_id"]}
    truncated = _looks_truncated(base_member, base)
    while True:
        best = None
        stopped: list[str] = []  # copies that reach the text's end and end there too
        index = _Lazy(lambda t=text: anchor_index(t))
        aligned = {}
        for m in others:
            if m["doc_id"] in used or not m["text"]:
                continue
            blocks = aligner(text, m["text"], index)
            aligned[id(m)] = blocks
            offer = _tail_offer(text, m, blocks)
            if offer is None:
                continue
            if offer[0] == "tail":
                if best is None or offer[1] < best[0]:
                    best = (offer[1], m, offer[2])
            else:
                stopped.append(m["doc_id"])
        if trace is not None:
            trace.append(
                [best[1]["doc_id"] if best else None, list(best[0]) if best else None, sorted(stopped), truncated]
            )
        if best is None:
            break
        _, m, tail = best
        stops = len(stopped)
        if not truncated and not (stops == 0 and len(tail) >= CUT_TAIL_MIN and tail.rstrip()[-1] in TERMINAL):
            break  # the text ends where a copy ends, or what a copy adds is no cut page of the speech
        aligned = {}  # the text grows: these alignments are stale
        tails.append(
            {"position": len(text), "before": "", "after": tail, "kind": "truncated_tail", "evidence": [m["doc_id"]]}
        )
        text = text + tail
        used.add(m["doc_id"])
        truncated = "truncated" in (m.get("quality_flags") or [])
    return text, tails, aligned


def _unspun_fills(text: str, s: int, e: int, offers: dict[str, list[str]]) -> list[str]:
    """The fills that do not make a spun word with the text around them (开 in `？展` makes 开展)."""
    out = []
    for alt in offers:
        around = text[max(0, s - 2) : s] + alt + text[e : e + 2]
        lo, hi = min(s, 2), min(s, 2) + len(alt)
        if not any(m.start() < hi and lo < m.end() for m in _SPUN_WORD.finditer(around)):
            out.append(alt)
    return out


def _context_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of `R.spun_spans(text)` that can hold a context trigger (_CONTEXT_TRIGGERS), in order.

    spun_spans searches SPUN in windows around the trigger words, merged where they touch, each window
    on its own (`finditer(text, lo, hi)`): a window's matches do not depend on the others, and lie inside
    it. So a window without any context trigger word gives no span `_context_edits` uses and is not
    searched. On the 5k bench's 593 speeches: 10,267 of 19,447 windows hold one (开展 mostly), 0.31 ->
    0.22 CPU-s; spun_spans was ~16 % of a repair part's CPU when every cluster of a part is re-voted."""
    n = len(text)
    lo = hi = -1
    for m in R.SPUN_TRIGGER.finditer(text):
        start, end = max(0, m.start() - R.SPUN_REACH_BEFORE), min(n, m.end() + R.SPUN_REACH_AFTER)
        if start > hi:
            if hi > lo and _holds_context_trigger(text, lo, hi):
                yield from (x.span() for x in R.SPUN.finditer(text, lo, hi))
            lo = start
        hi = max(hi, end)
    if hi > lo and _holds_context_trigger(text, lo, hi):
        yield from (x.span() for x in R.SPUN.finditer(text, lo, hi))


def _holds_context_trigger(text: str, lo: int, hi: int) -> bool:
    return any(text.find(w, lo, hi) >= 0 for w in _CONTEXT_TRIGGERS)


def _context_edits(text: str, taken: list[tuple[int, int]]) -> list[dict]:
    """Spinner contexts no writer produces (`原那么` -> `原则`, `公共效劳` -> `公共服务`), on any text."""
    out = []
    for m_start, m_end in _context_spans(text):
        for t in R.SPUN_TRIGGER.finditer(text, m_start, m_end):
            word = t.group(0)
            if word not in _CONTEXT_TRIGGERS:
                continue
            s, e = t.span()
            if word == "那么" and (s == 0 or text[s - 1] not in _RULE_PRECEDES):
                continue
            if any(s < te and ts < e for ts, te in taken):
                continue
            out.append({"start": s, "end": e, "after": SPIN_PAIRS[word], "kind": "spin_context", "evidence": []})
            taken.append((s, e))
    return out


def repair_cluster(cluster_id: str, members: list[dict], aligner=_plain_align) -> tuple[dict, list[dict]]:
    """The speech row (best_text …) and the repair rows of one duplicate cluster.

    members: dicts with doc_id, text, quality_flags, optionally is_canonical (the cluster's documents).
    Cost: one anchor alignment per member, O(n log n) in the cluster's text size. aligner: an
    `Aligner` that knows earlier alignments (same result, fewer alignments computed).
    """
    speech, rows, _ = _repair_full(cluster_id, members, aligner)
    return speech, rows


def member_digest(flags: Any, text: bytes | memoryview) -> str:
    """What a copy brings to its cluster's vote (its quality flags and text), as a key: xxh3-128 of
    the flags' JSON, length-prefixed, then the text's UTF-8 bytes (as `_text_digest`, not a security
    boundary). A record's voter whose digest is unchanged votes as it did."""
    head = json.dumps(list(flags or []), ensure_ascii=False).encode()
    h = xxhash.xxh3_128()
    h.update(len(head).to_bytes(8, "little") + head)
    h.update(text)
    return h.hexdigest()


def _member_votes(text: str, spots: list[tuple[str, int, int]], c: str, blocks: Blocks) -> list[tuple[int, str | None]]:
    """What one copy (text c, aligned to the completed base `text` by `blocks`) shows at each spot:
    (spot index, None) where it shows the base's own span, (spot index, its fill or original word)
    where it offers one; spots it does not cover or offers nothing usable for are left out."""
    view = _View(blocks)
    out: list[tuple[int, str | None]] = []
    for k, (kind, s, e) in enumerate(spots):
        seg, left_ok, right_ok = view.segment(c, s, e)
        if seg is None:
            continue  # this copy does not cover the spot (a truncated copy's missing tail)
        if seg == text[s:e] and left_ok and right_ok:
            out.append((k, None))
        elif kind == "spin":
            orig = SPIN_PAIRS[text[s:e]]
            # 工程100个 vs 项目×个: the copy's own damage next to the word leaves one side unaligned
            if seg == orig or (left_ok and seg.startswith(orig)) or (right_ok and seg.endswith(orig)):
                out.append((k, orig))
        elif left_ok and right_ok and _fill_kind(text, s, e, seg) is not None:
            out.append((k, seg))
    return out


def _spots(text: str) -> list[tuple[str, int, int]]:
    spots = [("fill", *m.span()) for m in _DAMAGE_RUN.finditer(text)]
    spots += [("spin", *m.span()) for m in _SPUN_WORD.finditer(text)]
    spots.sort(key=lambda t: (t[1], t[2], t[0]))
    return spots


def _repair_full(cluster_id: str, members: list[dict], aligner=_plain_align) -> tuple[dict, list[dict], dict | None]:
    """`repair_cluster`, and its vote record (`_vote_record`: what `_repair_fast` needs to add or
    take away copies later without reading the others again); None for a cluster of no copies."""
    members = [
        {**m, "text": m.get("text") if isinstance(m.get("text"), str) else ""}
        for m in sorted(members, key=lambda m: str(m.get("doc_id")))
        if m.get("doc_id")
    ]
    canonical = next((m["doc_id"] for m in members if m.get("is_canonical")), None)
    if not members:
        return _speech_row(cluster_id, canonical, None, "", [], 0, []), [], None
    n_members = len(members)
    ordered = _order(members)[:MAX_MEMBERS]
    members = sorted(ordered, key=lambda m: m["doc_id"])
    base_member = ordered[0]
    flagged_spun = {m["doc_id"] for m in members if "spun" in (m.get("quality_flags") or [])}

    trace: list = []
    text, tail_rows, aligned = _complete_tail(base_member["text"], base_member, ordered[1:], aligner, trace)
    base_len = len(base_member["text"])

    # every member against the (completed) base: what each one shows at each damaged or spun spot
    spots = _spots(text)
    same: list[list[str]] = [[] for _ in spots]
    offers: list[dict[str, list[str]]] = [{} for _ in spots]
    index = _Lazy(lambda: anchor_index(text))
    for m in members:
        c = m["text"]
        if m is base_member:
            blocks = [(0, 0, base_len)]
        else:
            blocks = aligned[id(m)] if id(m) in aligned else aligner(text, c, index)
        for k, seg in _member_votes(text, spots, c, blocks):
            if seg is None:
                same[k].append(m["doc_id"])
            else:
                offers[k].setdefault(seg, []).append(m["doc_id"])
    speech, rows = _decide(
        cluster_id, canonical, base_member["doc_id"], n_members, text, tail_rows, spots, same, offers, flagged_spun
    )
    voters = {
        m["doc_id"]: m.get("_digest")
        or member_digest(m.get("quality_flags"), m["text"].encode("utf-8", "surrogatepass"))
        for m in members
    }
    record = {
        "voters": voters,
        "base": base_member["doc_id"],
        "tails": [[t["position"], t["after"], t["evidence"][0]] for t in tail_rows],
        "trace": trace,
        "spots": spots,
        "same": same,
        "offers": offers,
    }
    return speech, rows, record


def _decide(
    cluster_id: str,
    canonical: str | None,
    base_id: str,
    n_members: int,
    text: str,
    tail_rows: list[dict],
    spots: list[tuple[str, int, int]],
    same_at: list[list[str]],
    offers_at: list[dict[str, list[str]]],
    flagged_spun: set[str],
) -> tuple[dict, list[dict]]:
    """The vote's outcome: each spot's tally (the doc_ids showing the base's span, and per fill or
    original word the doc_ids offering it, in order of the smallest doc_id offering it) decides the
    edits; then spinner contexts, the edits applied, the rows."""
    edits: list[dict] = []
    conflicts: list[dict] = []
    taken: list[tuple[int, int]] = []
    last_end = -1
    for k, spot in enumerate(spots):
        kind, s, e = spot
        offers = offers_at[k]
        if not offers or s < last_end:
            continue
        evidence = sorted(d for ids in offers.values() for d in ids)
        if kind == "spin":
            ((orig, ids),) = offers.items()
            same = same_at[k]
            # spinners only ever write the spun form: the original shown by as many copies, or by any
            # copy when every copy showing the spun form is itself flagged spun, is the speech's word
            if len(ids) >= len(same) or all(d in flagged_spun for d in same):
                edits.append({"start": s, "end": e, "after": orig, "kind": "spin", "evidence": sorted(ids)})
                taken.append((s, e))
                last_end = e
            else:
                conflicts.append({"start": s, "end": e, "after": orig, "kind": "conflict", "evidence": evidence})
            continue
        fill = _fill_kind(text, s, e, next(iter(offers)))
        if fill is None:
            continue
        ranked = sorted(offers.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        after, ids = ranked[0]
        unspun = _unspun_fills(text, s, e, offers)
        if len(offers) > 1 and len(unspun) == 1:
            # `？展`: one copy shows 发, a spun one 开 — spinners write 开展 from 发展, never the reverse
            after, ids = unspun[0], offers[unspun[0]]
        if len(ids) > sum(len(v) for _, v in ranked[1:]) or (len(unspun) == 1 and after == unspun[0]):
            # the span is damage whatever it held: the fill most copies agree on (all, or a clear majority)
            edits.append({"start": s, "end": e, "after": after, "kind": fill, "evidence": sorted(ids)})
            taken.append((s, e))
            last_end = e
        else:
            alts = " | ".join(sorted(offers))
            conflicts.append({"start": s, "end": e, "after": alts, "kind": "conflict", "evidence": evidence})
    edits += _context_edits(text, taken)

    # apply, recording positions in best_text
    edits.sort(key=lambda r: r["start"])
    starts = [ed["start"] for ed in edits]
    deltas = np.cumsum([0] + [len(ed["after"]) - (ed["end"] - ed["start"]) for ed in edits]).tolist()

    def shifted(x: int) -> int:  # offset x of the completed base -> offset in best_text
        return x + deltas[bisect_left(starts, x)]

    out: list[str] = []
    cur = 0
    for ed in edits:
        out.append(text[cur : ed["start"]])
        out.append(ed["after"])
        cur = ed["end"]
    out.append(text[cur:])
    best = "".join(out)
    rows = [
        {
            "position": shifted(ed["start"]),
            "before": text[ed["start"] : ed["end"]],
            "after": ed["after"],
            "kind": ed["kind"],
            "evidence": ed["evidence"],
        }
        for ed in [*edits, *conflicts]
    ]
    for t in tail_rows:  # the tail as it stands in best_text (its own repairs are rows too)
        pos = shifted(t["position"])
        rows.append({**t, "position": pos, "after": best[pos:]})
    rows.sort(key=lambda r: (r["position"], r["kind"], r["before"]))
    rows = [_repair_row(cluster_id, r) for r in rows]
    sources = sorted({d for r in rows for d in r["evidence"]} | {base_id})
    return _speech_row(cluster_id, canonical, base_id, best, rows, n_members, sources), rows


def _vote_json(record: dict, copies: list[dict] | None = None) -> str:
    """A vote record as stored (the `votes` table): voters by index in doc_id order. `copies`: every copy
    of the cluster (`_copy_meta` dicts with `_origin`, the digest of its members file's rows of the
    cluster): stored as "g" (those digests, sorted) and "c" (per copy in doc_id order: doc_id, its digest's
    index in "g", `_copy_meta`'s values), so a later run reads only the copies of files whose rows changed."""
    ids = sorted(record["voters"])
    at = {d: i for i, d in enumerate(ids)}
    out: dict[str, Any] = {
        "v": ids,
        "d": [record["voters"][d] for d in ids],
        "b": record["base"],
        "t": record["tails"],
        "k": [[b, r, [at[d] for d in stops], cut] for b, r, stops, cut in record["trace"]],
        "s": [list(x) for x in record["spots"]],
        "m": [[at[d] for d in ids_] for ids_ in record["same"]],
        "o": [[[seg, [at[d] for d in ids_]] for seg, ids_ in offers.items()] for offers in record["offers"]],
    }
    if copies is not None:
        groups = sorted({m["_origin"] for m in copies})
        where = {g: i for i, g in enumerate(groups)}
        out["g"] = groups
        out["c"] = [
            [m["doc_id"], where[m["_origin"]], *(m.get(k) for k in COPY_FIELDS)]
            for m in sorted(copies, key=lambda m: m["doc_id"])
        ]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


# What `_repair_fast` knows of a copy without its text, in a vote record's "c" (`_vote_json`).
COPY_FIELDS = ("quality_flags", "is_canonical", "n_chars", "_digest", "_text_digest")


def _vote_record(raw: str) -> dict:
    """`_vote_json`'s inverse; "copies" (group digest -> its copies, as `_copy_meta` without a text) when
    the record stores them, else None."""
    j = json.loads(raw)
    ids = j["v"]
    copies: dict[str, list[dict]] | None = None
    if "c" in j and "g" in j:
        copies = {g: [] for g in j["g"]}
        for doc_id, g, *values in j["c"]:
            copies[j["g"][g]].append({"doc_id": doc_id, **dict(zip(COPY_FIELDS, values, strict=True))})
    return {
        "voters": dict(zip(ids, j["d"], strict=True)),
        "base": j["b"],
        "tails": j["t"],
        "trace": [[b, r, [ids[i] for i in stops], cut] for b, r, stops, cut in j["k"]],
        "spots": [tuple(x) for x in j["s"]],
        "same": [[ids[i] for i in x] for x in j["m"]],
        "offers": [{seg: [ids[i] for i in x] for seg, x in offers} for offers in j["o"]],
        "copies": copies,
    }


def _repair_fast(
    cluster_id: str, members: list[dict], text_of: Callable[[str], str], record: dict, aligner=_plain_align
) -> tuple[dict, list[dict], dict] | None:
    """`_repair_full` from the cluster's earlier vote record, or None when that cannot be told.

    members: dicts with doc_id, quality_flags, is_canonical, n_chars (the text's length) and
    _digest (`member_digest`), no text; `text_of(doc_id)` gives a text when one is needed: the
    base's, and the copies that vote now and did not (new copies, or changed). Their alignments
    against the completed base are added to the tallies, the votes of copies that no longer vote
    taken out; the tallies decide as in `_repair_full`. None (repair from the copies) when the base
    is another copy or another text, or when a copy added or taken away could change the tail
    completion: a better tail offered, or a round's count of copies ending with the text going
    from none to some or back where that count decided the round."""
    members = sorted((m for m in members if m.get("doc_id")), key=lambda m: str(m["doc_id"]))
    if not members:
        return None
    canonical = next((m["doc_id"] for m in members if m.get("is_canonical")), None)

    def key(m: dict):
        flags = m.get("quality_flags") or []
        return ("truncated" in flags, flag_rank(flags), -m["n_chars"], m["doc_id"])

    ordered = sorted(members, key=key)[:MAX_MEMBERS]
    base = ordered[0]
    old = record["voters"]
    if base["doc_id"] != record["base"] or old.get(base["doc_id"]) != base["_digest"]:
        return None
    voters = {m["doc_id"]: m for m in ordered}
    kept = {d for d, m in voters.items() if old.get(d) == m["_digest"]}
    gone = [d for d in old if d not in kept]
    added = sorted(d for d in voters if d not in kept)
    trace = [[b, r, list(stops), cut] for b, r, stops, cut in record["trace"]]

    def decided_by_stops(round_: list) -> bool:  # the count of copies ending with the text decided the round
        return round_[0] is not None and not round_[3]

    for d in gone:
        for round_ in trace:
            if round_[0] == d:
                return None  # the tail it gave goes
            if d in round_[2]:
                round_[2].remove(d)
                if not round_[2] and decided_by_stops(round_):
                    return None
    base_text = text_of(base["doc_id"])
    texts = [base_text]
    for _, tail, _ in record["tails"]:
        texts.append(texts[-1] + tail)
    text = texts[-1]
    new = {d: {**voters[d], "text": text_of(d)} for d in added}
    carry = getattr(aligner, "carry", None)  # an Aligner records the pairs of the copies that keep their votes
    for k, round_ in enumerate(trace):
        t = texts[k]
        index = _Lazy(lambda t=t: anchor_index(t))
        used = {base["doc_id"], *(x[2] for x in record["tails"][:k])}
        if carry is not None:
            for d in sorted(kept - used):
                if voters[d]["n_chars"]:
                    carry(t, voters[d]["_text_digest"], lambda d=d, t=t, index=index: aligner(t, text_of(d), index))
        for d, m in new.items():
            if d in used or not m["text"]:
                continue
            offer = _tail_offer(t, m, aligner(t, m["text"], index))
            if offer is None:
                continue
            if offer[0] == "tail":
                if round_[0] is None or offer[1] < tuple(round_[1]):
                    return None  # a better tail than the round took
            else:
                if not round_[2] and decided_by_stops(round_):
                    return None
                round_[2] = sorted([*round_[2], d])
    spots = [tuple(x) for x in record["spots"]]
    gone_set = set(gone)
    same = [[d for d in ids if d not in gone_set] for ids in record["same"]]
    offers = [{seg: [d for d in ids if d not in gone_set] for seg, ids in o.items()} for o in record["offers"]]
    index = _Lazy(lambda: anchor_index(text))
    if carry is not None:
        for d in sorted(kept - {base["doc_id"]}):
            carry(text, voters[d]["_text_digest"], lambda d=d: aligner(text, text_of(d), index))
    for d, m in new.items():
        for k, seg in _member_votes(text, spots, m["text"], aligner(text, m["text"], index)):
            if seg is None:
                same[k].append(d)
            else:
                offers[k].setdefault(seg, []).append(d)
    if new:
        same = [sorted(ids) for ids in same]
    offers = [
        dict(sorted(((seg, sorted(ids)) for seg, ids in o.items() if ids), key=lambda kv: kv[1][0])) for o in offers
    ]
    flagged_spun = {d for d, m in voters.items() if "spun" in (m.get("quality_flags") or [])}
    tail_rows = [
        {"position": pos, "before": "", "after": tail, "kind": "truncated_tail", "evidence": [giver]}
        for pos, tail, giver in record["tails"]
    ]
    speech, rows = _decide(
        cluster_id, canonical, base["doc_id"], len(members), text, tail_rows, spots, same, offers, flagged_spun
    )
    out = {
        "voters": {d: m["_digest"] for d, m in voters.items()},
        "base": base["doc_id"],
        "tails": record["tails"],
        "trace": trace,
        "spots": spots,
        "same": same,
        "offers": offers,
    }
    return speech, rows, out


def _repair_row(cluster_id: str, r: dict) -> dict:
    return {
        "cluster_id": cluster_id,
        "position": int(r["position"]),
        "before": r["before"],
        "after": r["after"],
        "kind": r["kind"],
        "evidence": sorted(r["evidence"]),
    }


def _speech_row(
    cluster_id: str,
    canonical: str | None,
    base: str | None,
    best: str,
    rows: list[dict],
    n_members: int,
    sources: list[str],
) -> dict:
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["kind"]] += 1
    return {
        "cluster_id": cluster_id,
        "canonical_id": canonical or base,
        "base_id": base,
        "best_text": best,
        "n_chars": len(best),
        "n_members": n_members,
        "n_repairs": sum(v for k, v in counts.items() if k != "conflict"),
        "n_conflicts": counts.get("conflict", 0),
        "repair_counts": dict(sorted(counts.items())),
        "sources": sources,
    }


def repair_table(
    docs: pa.Table,
    cluster_ids: set[str] | None = None,
    aligner: Aligner | None = None,
    votes: dict[str, str] | None = None,
    records: dict[str, str] | None = None,
) -> tuple[pa.Table, pa.Table]:
    """speeches and repairs tables (schema.SPEECHES / REPAIRS) for the clusters of a documents table.

    docs needs doc_id, cluster_id, text, quality_flags (is_canonical optional). With cluster_ids,
    only those clusters are rebuilt: a run that added copies to some clusters recomputes just them
    and keeps the other speeches rows, so cost follows the changed clusters.

    votes: cluster_id -> an earlier run's vote record of the cluster (`_vote_json`): such a cluster
    is repaired from it where it can be (`_repair_fast`: only the base's text and the new copies'
    become Python strings and are aligned). records (a dict): gets every repaired cluster's record."""

    cols = [c for c in ("doc_id", "cluster_id", "quality_flags", "is_canonical") if c in docs.column_names]
    meta = docs.select(cols).to_pylist()
    texts = docs.column("text") if "text" in docs.column_names else pa.nulls(docs.num_rows, pa.string())
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(meta):
        cid = row.get("cluster_id") or row.get("doc_id")
        if cid and (cluster_ids is None or cid in cluster_ids):
            groups[cid].append(i)
    origin = docs.column("_origin").to_pylist() if "_origin" in docs.column_names else None
    keyed = records is not None or bool(votes)
    if keyed:  # what each copy brings to the vote, from the text's UTF-8 bytes (no Python string)
        lengths = _utf8_lengths(texts)
        digests, text_digests = _row_digests(texts, [m.get("quality_flags") for m in meta])
    speeches: list[dict] = []
    repairs: list[dict] = []
    every_text: list | None = None
    for cid in sorted(groups):
        if aligner is not None:
            aligner.cluster = cid
        rows = groups[cid]
        result: tuple[dict, list[dict], dict | None] | None = None
        raw = votes.get(cid) if votes else None
        if raw is not None:
            at = {meta[i].get("doc_id"): i for i in rows}

            def text_of(d: str, at: dict = at) -> str:
                value = texts[at[d]].as_py()
                return value if isinstance(value, str) else ""

            members = [
                {**meta[i], "n_chars": lengths[i], "_digest": digests[i], "_text_digest": text_digests[i]} for i in rows
            ]
            result = _repair_fast(cid, members, text_of, _vote_record(raw), aligner or _plain_align)
            if result is not None and aligner is not None:
                aligner.from_votes += 1
        if result is None:
            if every_text is None:  # one conversion of the whole column (per-cluster `take`s copied the texts)
                every_text = texts.to_pylist()
            members = [{**meta[i], "text": every_text[i]} for i in rows]
            if keyed:
                for m, i in zip(members, rows, strict=True):
                    m["_digest"] = digests[i]
            result = _repair_full(cid, members, aligner or _plain_align)
        speech, out, record = result
        speeches.append(speech)
        repairs.extend(out)
        if records is not None and record is not None:
            copies = None
            if origin is not None:  # where each copy came from: the next run reads only changed files' copies
                copies = [
                    {
                        "doc_id": meta[i]["doc_id"],
                        "_origin": origin[i],
                        "quality_flags": meta[i].get("quality_flags"),
                        "is_canonical": meta[i].get("is_canonical"),
                        "n_chars": lengths[i],
                        "_digest": digests[i],
                        "_text_digest": text_digests[i],
                    }
                    for i in rows
                    if meta[i].get("doc_id")
                ]
            records[cid] = _vote_json(record, copies)
    return (
        pa.Table.from_pylist(speeches, schema=SPEECHES),
        pa.Table.from_pylist(repairs, schema=REPAIRS),
    )


def _row_digests(texts: pa.ChunkedArray | pa.Array, flags: list) -> tuple[list[str], list[str]]:
    """Per row: `member_digest` of its flags and text, and `_text_digest` of its text (a null text is
    empty, as repair_cluster reads it), hashed from the Arrow buffers."""
    chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
    digests: list[str] = []
    text_digests: list[str] = []
    k = 0
    for chunk in chunks:
        starts, data, valid = _utf8_slices(chunk)
        for i in range(len(chunk)):
            b = data[int(starts[i]) : int(starts[i + 1])] if valid[i] else b""
            digests.append(member_digest(flags[k], b))
            text_digests.append(xxhash.xxh3_128_hexdigest(b))
            k += 1
    return digests, text_digests


# ----------------------------------------------------------------------------- stage runners

REPAIR_PARTS = 64  # clusters are hashed into this many parts; the repair step reads a part from every shard
# A part grows with the corpus (1/64 of its copies), so it is repaired in batches of whole clusters,
# contiguous in cluster_id order: memory follows these constants, not the corpus.
REPAIR_BATCH_COPIES = (
    2_000  # copies of the clusters to repair in memory at once (~37 KB each on the scale bench: ~75 MB)
)
REPAIR_BATCH_CLUSTERS = 2_000  # clusters per batch, repaired or copied from an earlier run (one best_text each)
SPEECH_ROW_GROUP = 512  # best_texts rows per row group (written as they come: ~19 MB of text at 37 KB a speech)
SPILL_DIR = "_spill"  # a part's copies sorted into their batches on disk when it needs more than one
# The repair step reads many small one-row-group files with `use_threads=False`: threads gain
# nothing there, and what Arrow's default pool (mimalloc) allocates on its worker threads stayed
# with the worker after `tasks.pool.release_memory` (20k +1 %, 8 batches of 8 parts in one process:
# RSS after release 229 -> 281 MB threaded, 212 -> 227 MB with these reads unthreaded).


def cluster_members_shard(inputs: dict, out_dir: str, earlier: Sequence[str] = ()) -> dict:
    """Per shard: the documents whose clusters can be repaired (several copies, or a spun page),
    written to one file per cluster part, so the repair step reads a part from every shard.

    `earlier` are complete members artifacts made by this code (the flow passes them). One made
    from the same normalize and extract artifacts (`sources.json`) lends every file whose rows are
    unchanged (hard links: a member part whose rows' ids, clusters and flags digest the same, the
    canonical and anchor files when the canonical documents and their clusters are the same), and
    texts are read only for the documents of the files still to write. Elsewhere a canonical
    document whose text and cluster are unchanged keeps its anchor rows (copied, not winnowed
    again). Either way the bytes are a cold run's, and a shard re-run because a new page joined
    one of its clusters writes only the parts of that cluster."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    import xxhash

    from tasks.common import stable_hash, write_table
    from tasks.reuse import CANONICAL_ROW_GROUP, LISTING_FILE, anchor_table, canonical_listing

    out = Path(out_dir)
    docs_file = Path(inputs["normalize"]) / "docs.parquet"
    fields_file = Path(inputs["extract"]) / "fields.parquet"
    stat = {"normalize": _file_stat(docs_file), "extract": _file_stat(fields_file)}
    seen = _identities_seen(earlier, stat)
    sources = {
        "normalize": seen.get("normalize") or _input_identity(docs_file, ["doc_id", "text", "norm_flags"]),
        "extract": seen.get("extract") or _input_identity(fields_file, ["doc_id", *CANONICAL_FIELDS]),
    }
    meta = pq.ParquetFile(docs_file).read(columns=["doc_id", "norm_flags"]).to_pylist()  # no texts yet
    assign = pq.ParquetFile(inputs["dedupe"]).read(columns=["doc_id", "cluster_id", "is_canonical"])
    by_id = {r["doc_id"]: r for r in assign.to_pylist()}
    clusters = pa.array(sorted({r["cluster_id"] for r in by_id.values()}), pa.string())
    dup = pq.ParquetFile(inputs["duplicates"]).read(columns=["cluster_id"])
    shared = set(
        pc.unique(dup.filter(pc.is_in(dup.column("cluster_id"), value_set=clusters)).column("cluster_id")).to_pylist()
    )
    canonical_ids = [
        (d["doc_id"], by_id[d["doc_id"]]["cluster_id"]) for d in meta if by_id[d["doc_id"]]["is_canonical"]
    ]
    parts: dict[int, list[dict]] = {}  # member rows without their texts, in document order
    for d in meta:
        a = by_id[d["doc_id"]]
        flags = sorted(k for k, _ in d["norm_flags"] or [])
        if a["cluster_id"] in shared or "spun" in flags:
            row = {
                "doc_id": d["doc_id"],
                "cluster_id": a["cluster_id"],
                "quality_flags": flags,
                "is_canonical": bool(a["is_canonical"]),
            }
            parts.setdefault(xxhash.xxh64_intdigest(a["cluster_id"].encode()) % REPAIR_PARTS, []).append(row)
    digests = {
        "canonical": stable_hash(sorted(canonical_ids))[:32],
        "parts": {f"{p:03d}": stable_hash(rows)[:32] for p, rows in sorted(parts.items())},
    }
    lend = _same_sources(earlier, sources)
    lent = {name: src for name, src in _lendable(lend, digests).items() if _link_file(src, out / name)}
    linked = set(lent)
    file_digests = {str(folder): made.get("files", {}) for folder, made in lend}
    canonical_linked = {"canonical.parquet", "anchors.parquet", LISTING_FILE} <= linked
    # texts of the documents whose files are still to write (kept in Arrow: no Python strings)
    need = {row["doc_id"] for p, rows in parts.items() if f"members/{p:03d}.parquet" not in linked for row in rows}
    read = need if canonical_linked else need | {doc_id for doc_id, _ in canonical_ids}
    to_write = [f"{p:03d}.parquet" for p in parts if f"members/{p:03d}.parquet" not in linked]
    keys: dict[Path, pa.Table] = {}  # earlier canonical.parquet -> its (doc_id, cluster_id), read once
    text_table = _earlier_texts([folder for folder, _ in lend], read, to_write, keys)
    rest = read.difference(text_table.column("doc_id").to_pylist())
    if rest:
        text_table = pa.concat_tables([text_table, _texts(docs_file, rest)])
    # one chunk: a take from a column of many chunks (one per row group read: canonical.parquet
    # keeps 4 documents a row group) joined all of them again for every part written (20k +1 %:
    # take was a tenth of the members calls' CPU)
    text_table = text_table.combine_chunks()
    copied_n = len(canonical_ids)
    if not canonical_linked:
        ordered = sorted(canonical_ids)
        ids = pa.array([doc_id for doc_id, _ in ordered], pa.string())
        fields = pq.ParquetFile(fields_file).read(columns=["doc_id", *CANONICAL_FIELDS])
        at = pc.index_in(ids, value_set=fields.column("doc_id"))
        columns = {
            "doc_id": ids,
            "cluster_id": pa.array([cid for _, cid in ordered], pa.string()),
            "text": text_table.column("text").take(pc.index_in(ids, value_set=text_table.column("doc_id"))),
            **{c: fields.column(c).take(at) for c in CANONICAL_FIELDS},
        }
        canonical_table = pa.table(columns).cast(CANONICAL)
        # small row groups: the reuse step reads the texts of a few pairs' documents, not the shard
        _write_row_groups(canonical_table, out / "canonical.parquet", CANONICAL_ROW_GROUP)
        # ... and what it lists of each document, without the texts, in one row group
        write_table(canonical_listing(canonical_table), out / LISTING_FILE)
        # the reuse index of this shard: winnowed anchors, sorted by hash part (the reuse step reads
        # one range of parts from every shard)
        canonical = [{"doc_id": doc_id, "cluster_id": cid} for doc_id, cid in ordered]
        position = {doc_id: k for k, (doc_id, _) in enumerate(ordered)}

        def text_of(doc_id: str) -> str | None:
            return canonical_table.column("text")[position[doc_id]].as_py()

        # an artifact of these very pages holds every document of the shard that was canonical
        # before: the others were not canonical anywhere (searching the other shards' artifacts for
        # them read 24 canonical files per shard at 20k, most of a +1 % call), so they are winnowed
        same_pages = [folder for folder, _ in lend]
        copied, todo = _earlier_anchors(canonical, [str(f) for f in same_pages] or earlier, same_pages, text_of, keys)
        copied_n = len(canonical) - len(todo)
        if len(copied) == 1 and not todo:
            anchors = copied[0]  # rows of one sorted file (relabelled clusters are no sort key): still sorted
        else:
            anchors = pa.concat_tables([*copied, anchor_table({**d, "text": text_of(d["doc_id"])} for d in todo)])
            anchors = anchors.sort_by(
                [("part", "ascending"), ("hash", "ascending"), ("doc_id", "ascending"), ("pos", "ascending")]
            )
        write_table(anchors, out / "anchors.parquet", compression=ARTIFACT_COMPRESSION, plain=ANCHOR_PLAIN_COLUMNS)
        del canonical_table, anchors, copied
    part_digests = {}
    for p, rows in sorted(parts.items()):
        target = out / "members" / f"{p:03d}.parquet"
        name = f"members/{p:03d}.parquet"
        if name not in linked:
            write_members_table(_member_rows(rows, text_table), target)
        known = file_digests.get(str(lent[name].parent.parent), {}).get(str(p)) if name in lent else None
        part_digests[str(p)] = known or hashlib.sha256(target.read_bytes()).hexdigest()[:16]
    made = {**sources, **digests, "files": part_digests, "stat": stat}
    (out / SOURCES_FILE).write_text(json.dumps(made, sort_keys=True), encoding="utf-8")
    return {
        "docs": sum(len(r) for r in parts.values()),
        "canonical": len(canonical_ids),
        "anchors_copied": copied_n,
        "anchors_computed": len(canonical_ids) - copied_n,
        "files_linked": len(linked),
        "texts_read": len(need),
        "texts_decoded": len(rest),  # read from the normalize artifact (the others: from earlier files)
        "part_digests": part_digests,
    }


def write_members_part(rows: list[dict], path: Path) -> None:
    """One members part from rows (doc_id, cluster_id, text, quality_flags, is_canonical)."""
    write_members_table(pa.Table.from_pylist(rows, schema=MEMBERS), path)


def write_members_table(table: pa.Table, path: Path) -> None:
    """One members part (schema MEMBERS, sorted by cluster and document) with the digest of each
    cluster's rows in its metadata: the repair step knows which clusters changed from the footers."""
    from tasks.common import ARTIFACT_COMPRESSION, write_table

    table = table.sort_by([("cluster_id", "ascending"), ("doc_id", "ascending")]).combine_chunks()
    digests = json.dumps(_cluster_digests(table), sort_keys=True)
    table = table.replace_schema_metadata({CLUSTER_DIGESTS: digests})
    if table.num_rows == 0:
        write_table(table, path, compression=ARTIFACT_COMPRESSION, plain=["text"])
        return
    # one row group per cluster: the repair step reads the row groups of the clusters it repairs,
    # not every text of the file (100k +1 %: 7,232 files of ~9 copies read whole, 3.1 GB of texts,
    # for the 23 k copies of the 477 clusters a thousand new pages touched)
    ids = table.column("cluster_id").to_numpy(zero_copy_only=False)
    cuts = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
    _write_groups(table, path, [(a, b - a) for a, b in itertools.pairwise(cuts)])


def _write_groups(table: pa.Table, path: Path, groups: list[tuple[int, int]]) -> None:
    """write_table's deterministic options (uncompressed, texts without a dictionary), one row
    group per (offset, length) slice; atomic (temp + rename)."""
    import os
    import tempfile

    import pyarrow.parquet as pq

    from tasks.common import ARTIFACT_COMPRESSION

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        with pq.ParquetWriter(
            tmp,
            table.schema,
            compression=ARTIFACT_COMPRESSION,
            use_dictionary=[c for c in table.column_names if c not in PLAIN_COLUMNS],
            write_statistics=True,
        ) as writer:
            for offset, length in groups:
                writer.write_table(table.slice(offset, length), row_group_size=length)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _groups_of(pf: Any, wanted: set[str]) -> list[int]:
    """Row groups of an opened members file that may hold a cluster of `wanted`: from the cluster_id
    statistics (one cluster a row group, `write_members_table`); a group without them is kept."""
    meta = pf.metadata
    column = pf.schema_arrow.get_field_index("cluster_id")
    if not wanted:
        return []
    lo_w, hi_w = min(wanted), max(wanted)
    keep = []
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max:
            keep.append(g)
        elif stats.min == stats.max:
            if stats.min in wanted:
                keep.append(g)
        elif not (stats.max < lo_w or stats.min > hi_w):
            keep.append(g)  # several clusters (a file written before): read, then filtered
    return keep


def _cluster_groups(pf: Any, held: dict[str, str], wanted: set[str]) -> list[int] | None:
    """The row groups of an opened members file holding exactly the clusters of `wanted` it holds, found
    without reading every group's statistics: a file with one row group per cluster
    (`write_members_table`: sorted clusters, one group each) has group k for its k-th cluster of `held`
    (its cluster digests), and each group picked is checked to hold that cluster only. None when the file
    is not so laid out (then `_groups_of`, and a filter). Statistics of every group and the filter cost
    ~0.4 ms a file, as much as reading the groups (20k +1 %: ~1,000 files read a night)."""
    meta = pf.metadata
    if not held or meta.num_row_groups != len(held):
        return None
    column = pf.schema_arrow.get_field_index("cluster_id")
    picked = [(k, cid) for k, cid in enumerate(sorted(held)) if cid in wanted]
    for k, cid in picked:
        stats = meta.row_group(k).column(column).statistics
        if stats is None or not stats.has_min_max or stats.min != cid or stats.max != cid:
            return None
    return [k for k, _ in picked]


def _group_copies(pf: Any) -> dict[str, int] | None:
    """cluster_id -> its rows in an opened members file, from the row groups' statistics; None when
    a row group holds several clusters or has no statistics (count from the column instead)."""
    meta = pf.metadata
    column = pf.schema_arrow.get_field_index("cluster_id")
    counts: dict[str, int] = {}
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        stats = rg.column(column).statistics
        if stats is None or not stats.has_min_max or stats.min != stats.max:
            return None
        counts[stats.min] = counts.get(stats.min, 0) + rg.num_rows
    return counts


def _member_rows(rows: list[dict], texts: pa.Table) -> pa.Table:
    """A part's member rows with their texts taken from `texts` (doc_id, text) in Arrow: as Python
    strings, a 91 MB shard's texts were held twice (members peaked at 531 MiB, bench.stage_peaks)."""
    import pyarrow.compute as pc

    ids = pa.array([r["doc_id"] for r in rows], pa.string())
    at = pc.index_in(ids, value_set=texts.column("doc_id"))
    if at.null_count:
        missing = ids.filter(pc.is_null(at))[0].as_py()
        raise KeyError(f"member {missing} has no text in its normalize artifact; this is a jianghua bug")
    return pa.table(
        {
            "doc_id": ids,
            "cluster_id": pa.array([r["cluster_id"] for r in rows], pa.string()),
            "text": texts.column("text").take(at),
            "quality_flags": pa.array([r["quality_flags"] for r in rows], MEMBERS.field("quality_flags").type),
            "is_canonical": pa.array([r["is_canonical"] for r in rows], pa.bool_()),
        },
        schema=MEMBERS,
    )


# anchors.parquet is read by the reuse steps only (never published), so it is written as the other artifacts
# later stages read are (tasks.common.ARTIFACT_COMPRESSION, session 21), and its winnowed hashes and positions
# without a dictionary: near-unique values, a dictionary tried on each row group and dropped (zstd and a
# dictionary on every column, as before: the hash column's fallback was the larger file). Measured on the 5k
# bench's shards (165 k rows, best of 7, one process): write 41-50 -> 17-23 ms, read (as the reuse steps do, doc
# ids as a dictionary) 15-17 -> 8-11 ms, file 2.2 -> 2.6 MB. Members writes it in every cold call and in each
# +1 % re-run whose shard lost or gained a canonical (7 of 8 old shards at 5k: about a third of such a call's
# ~0.1 CPU-s was this write), and hits, reuse and the next members call read it.
ANCHOR_PLAIN_COLUMNS = ("hash", "pos")
SOURCES_FILE = "sources.json"  # what a members artifact was made from, and digests of its files' rows
CLUSTER_DIGESTS = "jianghua.cluster_digests"  # members part metadata: cluster_id -> digest of its rows


def _input_identity(path: Path, columns: Sequence[str]) -> str:
    """Digest of what the named columns of a Parquet file hold, from their compressed bytes (no
    page is decoded): the writer is deterministic, so equal values give equal bytes. A re-run
    upstream artifact whose other columns changed (another input root) is still recognised."""
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


def _file_stat(path: Path) -> list[int]:
    """What tells an artifact file apart without reading it: artifacts are written once, by rename
    (a new inode), so device, inode, size and modification time name one content."""
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _identities_seen(earlier: Sequence[str], stat: dict[str, list[int]]) -> dict[str, str]:
    """Input identities an earlier members artifact computed from these very files (same
    `_file_stat`): a re-run shard does not hash its normalize artifact's text bytes again."""
    seen: dict[str, str] = {}
    for folder in sorted(earlier):
        try:
            made = json.loads((Path(folder) / SOURCES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(made, dict) or not isinstance(made.get("stat"), dict):
            continue
        for k, v in stat.items():
            if k not in seen and made["stat"].get(k) == v and isinstance(made.get(k), str):
                seen[k] = made[k]
    return seen


def _same_sources(earlier: Sequence[str], sources: dict) -> list[tuple[Path, dict]]:
    """(folder, its sources.json) of the earlier members artifacts made from the same normalize and
    extract inputs."""
    found = []
    for folder in sorted(earlier):
        try:
            made = json.loads((Path(folder) / SOURCES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(made, dict) and all(made.get(k) == v for k, v in sources.items()):
            found.append((Path(folder), made))
    return found


def _lendable(lend: list[tuple[Path, dict]], digests: dict) -> dict[str, Path]:
    """file name -> the earlier file with the same rows (members parts; canonical, its listing and anchors)."""
    from tasks.reuse import LISTING_FILE

    files: dict[str, Path] = {}
    for folder, made in lend:
        if made.get("canonical") == digests["canonical"]:
            for name in ("canonical.parquet", "anchors.parquet", LISTING_FILE):
                files.setdefault(name, folder / name)
        for p, d in digests["parts"].items():
            if made.get("parts", {}).get(p) == d:
                files.setdefault(f"members/{p}.parquet", folder / "members" / f"{p}.parquet")
    return files


def _link_file(src: Path, dst: Path) -> bool:
    """Hard link an unchanged file of an immutable earlier artifact (copy across filesystems);
    False when it is gone (pruned meanwhile): the caller writes it."""
    import os
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except FileExistsError:
        return True
    except OSError:
        try:
            shutil.copy2(src, dst)
        except OSError:
            return False
    return True


def _texts(docs_file: Path, ids: set[str]) -> pa.Table:
    """(doc_id, text) of the named documents only, from the row groups that hold them."""
    from tasks.common import rows_by_id

    kept = list(rows_by_id(docs_file, ids, ["doc_id", "text"]))
    return (
        pa.concat_tables(kept)
        if kept
        else pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
    )


def _canonical_keys(path: Path, cache: dict[Path, pa.Table] | None) -> pa.Table:
    """(doc_id, cluster_id) of an earlier canonical.parquet, read once per call: its 4-document
    row groups make even one column cost ~5 ms, and the texts and the anchors of a re-run shard
    both look it up (20k +1 %: 67 reads of its doc_id column in 25 calls, ~6 % of their CPU)."""
    import pyarrow.parquet as pq

    from tasks.reuse import LISTING_FILE

    if cache is not None and path in cache:
        return cache[path]
    # its listing (written with it, same rows in the same order; one row group) when there is one
    listing = path.parent / LISTING_FILE
    source = listing if listing.exists() else path
    t = pq.ParquetFile(source, pre_buffer=False).read(columns=["doc_id", "cluster_id"], use_threads=False)
    if cache is not None:
        cache[path] = t
    return t


def _earlier_texts(
    same_pages: Sequence[Path], ids: set[str], part_names: Sequence[str], keys: dict[Path, pa.Table] | None = None
) -> pa.Table:
    """(doc_id, text) of the named documents found in earlier members artifacts made from these very
    pages: every document of a shard is in one of its canonical.parquet (singletons are canonical)
    or members parts, so a re-run shard reads the texts from those files (only the row groups of
    canonical.parquet that hold them: 4 documents each) instead of decoding the whole text column of
    the normalize artifact (its one row group: the larger part of a +1 % call at 20k). Looked for in
    canonical.parquet and the earlier files of the parts being written."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    found: list[pa.Table] = []
    want = set(ids)
    for folder in same_pages:
        for f in [folder / "canonical.parquet", *(folder / "members" / n for n in part_names)]:
            if not want:
                break
            try:
                pf = pq.ParquetFile(f)
                if f.name == "canonical.parquet":
                    doc_ids = _canonical_keys(f, keys).column("doc_id")
                else:
                    doc_ids = pf.read(columns=["doc_id"]).column(0)
                wanted = pa.array(sorted(want), pa.string())
                hit = pc.is_in(doc_ids, value_set=wanted).to_numpy(zero_copy_only=False)
                if not hit.any():
                    continue
                sizes = [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)]
                group_of = np.repeat(np.arange(len(sizes)), sizes)
                groups = sorted(set(group_of[hit].tolist()))
                t = pf.read_row_groups(groups, columns=["doc_id", "text"])
            except (OSError, ValueError, KeyError, pa.ArrowInvalid):
                continue  # pruned meanwhile: read from the normalize artifact instead
            t = t.filter(pc.is_in(t.column("doc_id"), value_set=wanted))
            found.append(t.select(["doc_id", "text"]).cast(pa.schema([("doc_id", pa.string()), ("text", pa.string())])))
            want.difference_update(t.column("doc_id").to_pylist())
    if not found:
        return pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
    return pa.concat_tables(found)


def _earlier_anchors(
    canonical: list[dict],
    earlier: Sequence[str],
    same_pages: Sequence[Path] = (),
    text_of: Callable[[str], str | None] | None = None,
    keys: dict[Path, pa.Table] | None = None,
) -> tuple[list[pa.Table], list[dict]]:
    """(anchor rows copied from earlier members artifacts, canonical rows still to winnow).

    A document's anchors depend only on its text and cluster: where an earlier artifact's
    canonical.parquet holds the same doc_id with the same text and cluster_id, its rows of that
    artifact's anchors.parquet are the ones anchor_table would compute. Only the doc_id column of
    an earlier artifact is read unless it shares documents with this shard, and its texts only
    when it was made from other pages than `same_pages` (artifacts made from these very texts):
    there a document's rows are taken whatever its cluster was, relabelled with its cluster now.
    `text_of(doc_id)`: a document's text when the rows do not carry it."""
    from pathlib import Path

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tasks.schema import ANCHORS

    want = {d["doc_id"]: d for d in canonical if d.get("doc_id")}
    if text_of is None:
        text_of = lambda doc_id: want[doc_id]["text"]  # noqa: E731
    taken: set[str] = set()
    copied: list[pa.Table] = []
    for folder in sorted(earlier):
        if len(taken) == len(want):
            break
        src = Path(folder)
        try:
            texts_known = src in same_pages
            if texts_known:  # (doc_id, cluster_id): read once per call (`_canonical_keys`)
                prev = _canonical_keys(src / "canonical.parquet", keys)
                ids = prev.column("doc_id")
            else:
                ids = pq.ParquetFile(src / "canonical.parquet").read(columns=["doc_id"]).column(0)
            open_ids = pa.array(sorted(set(want) - taken), pa.string())
            hit = pc.is_in(ids, value_set=open_ids)
            if not pc.any(hit).as_py():
                continue
            if texts_known:
                prev = prev.filter(hit)
            else:
                cols = ["doc_id", "cluster_id", "text"]
                prev = pq.ParquetFile(src / "canonical.parquet").read(columns=cols).filter(hit)
            same = [
                r["doc_id"]
                for r in prev.to_pylist()
                if texts_known
                or (r["text"] == text_of(r["doc_id"]) and r["cluster_id"] == want[r["doc_id"]]["cluster_id"])
            ]
            if not same:
                continue
            rows = pq.ParquetFile(src / "anchors.parquet").read()
            keep = pa.array(sorted(same), pa.string())
            rows = rows.filter(pc.is_in(rows.column("doc_id"), value_set=keep)).cast(ANCHORS)
            if texts_known:  # anchors depend on the text only; the cluster is a label
                now = pa.array([want[d].get("cluster_id") or d for d in sorted(same)], pa.string())
                label = now.take(pc.index_in(rows.column("doc_id"), value_set=keep))
                rows = rows.set_column(rows.schema.get_field_index("cluster_id"), ANCHORS.field("cluster_id"), label)
            copied.append(rows)
        except (OSError, ValueError, KeyError, pa.ArrowInvalid):
            continue  # pruned meanwhile, or made before anchors: its documents are winnowed again
        taken.update(same)
    return copied, [d for d in canonical if d.get("doc_id") not in taken]


def repair_parts(inputs: dict, out_dir: str, earlier: Sequence[str] = ()) -> dict:
    """Global step in one call: every part (`repair_part`) one after another, then `repair_finish`.
    The flow runs the same three functions with the parts spread over its workers (Stage.plan)."""
    parts = {p: repair_part(inputs, out_dir, p, earlier) for p in repair_plan(inputs, earlier)}
    return repair_finish(inputs, out_dir, parts, earlier)


def repair_plan(inputs: dict, earlier: Sequence[str] = ()) -> dict[str, int]:
    """The parts that have copies: part id ("007") -> bytes of its member files (its cost)."""
    from pathlib import Path

    sizes: dict[str, int] = {}
    for p in range(REPAIR_PARTS):
        found = [
            f.stat().st_size for d in inputs["members"] if (f := Path(d) / "members" / f"{p:03d}.parquet").exists()
        ]
        if found:
            sizes[f"{p:03d}"] = sum(found)
    return sizes


def repair_part(inputs: dict, out_dir: str, part: str, earlier: Sequence[str] = ()) -> dict:
    """best_text and repairs of every cluster in one part (memory: that part's copies only).

    `earlier` are complete repair artifacts made by this code (the flow passes them). A cluster
    whose copies are unchanged (the same digest of its member rows, which the members stage keeps in
    each file's metadata, so no text is read to know it) is copied from there and only the others
    are repaired, reading only their rows; a part whose clusters are all unchanged is linked. So a
    nightly run repairs, and reads the copies of, only the clusters its new pages touched. Returns
    the part's counts and the digest of its inputs."""
    from collections import Counter

    import pyarrow.parquet as pq

    from tasks.common import stable_hash

    out = Path(out_dir)
    counts: Counter[str] = Counter()
    name = f"{part}.parquet"
    # the part's members files by their stamps: a file an earlier part saw (the same stamp: a members
    # artifact links its unchanged parts) gives its cluster digests from that part's sources record, and
    # is opened only when its rows are read (every footer of every shard was opened: 25 a part at 20k)
    paths: list[Path] = []
    stamps: list[list[int]] = []
    in_file: list[dict[str, str]] = []
    seen, made, records = _earlier_sources([Path(d) for d in earlier], part)
    opened: dict[int, Any] = {}
    for d in inputs["members"]:
        f = Path(d) / "members" / name
        if (stamp := _stamp_of(f)) is None:
            continue
        held = seen.get(tuple(stamp))
        if held is None:
            if (pf := _open_parquet(f)) is None:
                continue
            opened[len(paths)] = pf
            held = _file_cluster_digests(pf)
            counts["member_footers_read"] += 1
        paths.append(f)
        stamps.append(stamp)
        in_file.append(held)
    memo = _memo_of(in_file)
    digest = stable_hash(sorted(memo.items()))[:20]
    names = {t: out / t / name for t in ("best_texts", "repairs", "memo", "align", "votes")}
    # the very files an earlier part was made from (their stamps, in this order): its memo is this one
    same_files = next(((d, n) for d, got, n in made if got == stamps), None)
    record = Path(SOURCES_DIR) / f"{part}.json"
    if same_files is not None and _link_all(same_files[0], names):
        counts["parts_reused"] += 1
        rows = same_files[1]
        if not _link_file(same_files[0] / record, out / record):  # the same files: the same record
            _write_sources(out, part, stamps, in_file, rows)
    else:
        known, same, present = _earlier_clusters([Path(d) for d in earlier], name, memo, records)
        if same is not None and _link_all(same, names):
            counts["parts_reused"] += 1
            rows = {t: pq.ParquetFile(names[t]).metadata.num_rows for t in ("best_texts", "repairs")}
        else:
            rows = _repair_clusters(part, name, names, paths, opened, in_file, memo, known, present, counts)
        _write_sources(out, part, stamps, in_file, rows)
    counts["best_texts"] += rows["best_texts"]
    counts["repairs"] += rows["repairs"]
    return {**counts, "digest": digest}


def _link_all(src: Path, names: dict[str, Path]) -> bool:
    """Every table of part `names` hard-linked from the earlier artifact `src`, with the deltas of
    its intermediate tables where it has them (False: one is gone)."""
    if not all(_link_file(src / t / target.name, target) for t, target in names.items()):
        return False
    out = names["best_texts"].parent.parent
    name = names["best_texts"].name
    return all(
        _link_file(_delta_file(src, t, name), _delta_file(out, t, name))
        for t in DELTA_TABLES
        if _delta_file(src, t, name).exists()
    )


def _repair_clusters(
    part: str,
    name: str,
    names: dict[str, Path],
    paths: list[Path],
    opened: dict[int, Any],
    in_file: list[dict],
    memo: dict[str, str],
    known: dict[str, Path],
    present: dict[Path, set[str]],
    counts: Any,
) -> dict[str, int]:
    """A part's tables: the clusters whose digest an earlier part holds (`known`) copied from there,
    the others repaired from their copies. Only the members files holding a cluster to repair are opened.
    The intermediate tables (DELTA_TABLES) are the earlier part's file hard-linked plus a delta of the
    clusters that changed since it was written whole (`_delta_plan`), or written whole. `present`: the
    clusters each earlier artifact's part holds (its memo). Returns the rows written to best_texts and
    repairs."""
    import shutil

    from tasks.common import write_table
    from tasks.schema import CLUSTER_MEMO

    out = names["best_texts"].parent.parent
    copy: dict[Path, list[str]] = {}
    todo: set[str] = set()
    for cid, d in memo.items():
        if d in known:
            copy.setdefault(known[d], []).append(cid)
        else:
            todo.add(cid)
    earlier = sorted(present)
    votes = _earlier_votes(earlier, name, todo, present) if todo else {}
    # a cluster whose record lists its copies by members file (`_vote_json`) reads only the files whose rows
    # of it changed (and the base's, and any copy whose alignment is not stored); the others read them all
    stored = {cid: rec for cid, raw in votes.items() if (rec := _vote_record(raw))["copies"] is not None}
    whole_todo = todo.difference(stored)
    files = [
        (opened.get(k) or _open_parquet(f)) if not whole_todo.isdisjoint(held) else None
        for k, (f, held) in enumerate(zip(paths, in_file, strict=True))
    ]

    def read(k: int, cid: str) -> pa.Table:  # one cluster's rows in the k-th members file
        pf = opened.get(k) or _open_parquet(paths[k])
        if pf is None:
            raise FileNotFoundError(paths[k])
        opened[k] = pf
        t = _file_rows(pf, in_file[k], {cid})
        counts["copies_read"] += t.num_rows
        counts["member_groups_read"] += 1
        return t

    batches = _cluster_batches(sorted(memo), files, in_file, whole_todo)
    # one batch: the earlier intermediate files read whole are kept for the part (the alignment memo is read
    # for the clusters to repair, then for the copied ones when the part is written whole); several batches:
    # each reads its row groups, nothing kept
    whole: dict[Path, Any] | None = {} if len(batches) == 1 else None
    aligner = Aligner(flat=_earlier_alignments(earlier, name, todo, present, whole) if todo else {})
    base, owned = _delta_plan(name, memo, todo, copy)
    writers = {
        "best_texts": _SortedWriter(names["best_texts"], SPEECHES, ["cluster_id"], SPEECH_ROW_GROUP),
        "repairs": _SortedWriter(names["repairs"], REPAIRS, ["cluster_id", "position", "kind"]),
    }
    for t, sch, keys, size in (
        ("align", ALIGN_MEMO, ["cluster_id", "pair"], ALIGN_ROW_GROUP),
        ("votes", VOTES, ["cluster_id"], VOTES_ROW_GROUP),
    ):
        held = owned[t]
        if base is not None and held is not None and _link_file(base / t / name, names[t]):
            meta = {DELTA_CLUSTERS: json.dumps(sorted(held))}
            target = _delta_file(out, t, name)
            writers[t] = _SortedWriter(target, sch.with_metadata(meta), keys, size, **INTERMEDIATE[t])
        else:
            owned[t] = None  # written whole: every cluster's rows
            writers[t] = _SortedWriter(names[t], sch, keys, size, **INTERMEDIATE[t])
    asked = 0
    try:
        # batches are ranges of sorted cluster ids: each batch's sorted rows follow the last one's
        for batch, members in _member_batches(files, in_file, whole_todo, batches, out / f"{SPILL_DIR}-{part}"):
            aligner.used = {}
            records: dict[str, str] = {}
            speeches, repairs = repair_table(members, whole_todo & batch, aligner, votes, records)
            counts["copies_read"] += members.num_rows
            counts["member_groups_read"] += len(set(members.column(ORIGIN).to_pylist()))  # one per (file, cluster)
            lean = [
                _repair_stored(cid, stored[cid], in_file, read, aligner, records)
                for cid in sorted(batch.intersection(stored))
            ]
            counts["copies_from_records"] += sum(n for *_, n in lean)
            asked += len(aligner.used)  # clusters of one batch only: the batches' counts add up
            added: dict[str, list[pa.Table]] = {
                "best_texts": [speeches, pa.Table.from_pylist([sp for sp, _, _ in lean], schema=SPEECHES)],
                "repairs": [repairs, pa.Table.from_pylist([r for _, rs, _ in lean for r in rs], schema=REPAIRS)],
                "align": [_alignment_rows(aligner.used)],
                "votes": [_vote_rows(records)],
            }
            for src, ids in sorted(copy.items()):
                keep = batch.intersection(ids)
                for t, sch in (("best_texts", SPEECHES), ("repairs", REPAIRS), ("align", ALIGN_MEMO), ("votes", VOTES)):
                    held = owned.get(t)
                    wanted = keep if held is None else keep & held  # a delta: only the clusters it holds
                    if not wanted:
                        continue
                    if t in DELTA_TABLES:
                        added[t].append(_resolved(src, t, name, wanted, whole).cast(sch))
                    else:
                        added[t].append(_rows_of(src / t / name, wanted).cast(sch))
            for t, w in writers.items():
                w.add(pa.concat_tables(added[t]))
            del members, speeches, repairs, added
        for w in writers.values():
            w.close()
    finally:
        for w in writers.values():
            w.abort()
        shutil.rmtree(out / f"{SPILL_DIR}-{part}", ignore_errors=True)
    counts["clusters_from_votes"] += aligner.from_votes
    counts["alignments_computed"] += aligner.computed
    counts["alignments_known"] += asked - aligner.computed
    counts["alignments_decoded"] += aligner.decoded  # the other known ones went back to the memo as stored
    counts["intermediate_parts_linked"] += sum(owned.get(t) is not None for t in DELTA_TABLES)
    memo_rows = [{"cluster_id": c, "digest": d} for c, d in sorted(memo.items())]
    write_table(pa.Table.from_pylist(memo_rows, schema=CLUSTER_MEMO), names["memo"], ["cluster_id"])
    counts["parts_repaired"] += 1
    counts["clusters_repaired"] += len(todo)
    counts["clusters_copied"] += len(memo) - len(todo)
    return {t: writers[t].written for t in ("best_texts", "repairs")}


def _repair_stored(
    cid: str, record: dict, in_file: list[dict], read: Callable[[int, str], pa.Table], aligner: Aligner, records: dict
) -> tuple[dict, list[dict], int]:
    """`repair_table` of one cluster whose earlier vote record lists its copies by members file (its
    "copies": the digest of a file's rows of the cluster -> what each copy brings to the vote): a file whose
    rows of the cluster have that digest still holds those very copies, so only the other files are read
    (`read(k, cid)`: the cluster's rows in the k-th file), and a kept copy's file only when its text is
    asked for (the base's; a copy whose alignment was not stored; every one when the cluster is repaired
    from its copies). The same speech, repairs and record as `repair_table` from every copy. Returns
    (speech, repair rows, copies taken from the record); the record goes to `records`."""
    aligner.cluster = cid
    members: list[dict] = []
    file_of: dict[str, int] = {}
    text_at: dict[str, tuple[pa.ChunkedArray, int]] = {}
    unread: set[int] = set()
    from_record = 0
    known = record["copies"]

    def load(k: int) -> pa.Table:
        t = read(k, cid)
        texts = t.column("text")
        for i, doc_id in enumerate(t.column("doc_id").to_pylist()):
            text_at[doc_id] = (texts, i)
        unread.discard(k)
        return t

    for k, held in enumerate(in_file):
        digest = held.get(cid)
        if digest is None:
            continue
        if digest in known:
            for m in known[digest]:
                members.append({**m, "cluster_id": cid, ORIGIN: digest})
                file_of[m["doc_id"]] = k
            from_record += len(known[digest])
            unread.add(k)
            continue
        t = load(k)
        meta = t.select(["doc_id", "quality_flags", "is_canonical"]).to_pylist()
        digests, text_digests = _row_digests(t.column("text"), [m["quality_flags"] for m in meta])
        lengths = _utf8_lengths(t.column("text"))
        for i, m in enumerate(meta):
            m.update(cluster_id=cid, n_chars=lengths[i], _digest=digests[i], _text_digest=text_digests[i])
            m[ORIGIN] = digest
            members.append(m)

    def text_of(doc_id: str) -> str:
        if doc_id not in text_at:
            load(file_of[doc_id])
        texts, i = text_at[doc_id]
        value = texts[i].as_py()
        return value if isinstance(value, str) else ""

    members = [m for m in members if m.get("doc_id")]
    fast = _repair_fast(cid, members, text_of, record, aligner)
    result: tuple[dict, list[dict], dict | None]
    if fast is not None:
        aligner.from_votes += 1
        result = fast
    else:  # from every copy, as repair_table would
        for k in sorted(unread):
            load(k)
        result = _repair_full(cid, [{**m, "text": text_of(m["doc_id"])} for m in members], aligner)
    speech, rows, out = result
    if out is not None:
        records[cid] = _vote_json(out, members)
    return speech, rows, from_record


def _utf8_lengths(texts: pa.ChunkedArray | pa.Array) -> list[int]:
    """Characters of each text (a null one: 0), as `repair_table` counts them."""
    import pyarrow.compute as pc

    return pc.fill_null(pc.utf8_length(texts), 0).to_pylist()


# The intermediate tables a +1 % run rewrote whole in every part it touched (20k: 59 of 64 parts for ~2 changed
# clusters each) are kept as a base and a delta (as the dedupe index keeps a base and runs, docs/dedupe.md): the
# earlier part's base file hard-linked, and `<table>_delta/<part>.parquet` holding the rows of every cluster
# changed since that base was written whole, with the list of those clusters in its metadata (a cluster it lists
# has its rows there, none in the base — a cluster that lost its alignments shadows its old ones). A reader takes
# a cluster's rows from the delta when the delta lists it, else from the base, and only clusters the part's memo
# holds. Published tables (best_texts, repairs) are never split: a cold run's bytes.
DELTA_TABLES = ("align", "votes")
DELTA_CLUSTERS = "jianghua.delta_clusters"  # a delta file's metadata: JSON list of the clusters it holds
# A night re-reads and rewrites the delta (its share s of the part) and, once every ~s/c nights (c: the share of
# the part a night changes), the whole part: ~s/2 + c/s of a whole rewrite a night, least at s = sqrt(2c). The
# 20k bench's +1 % night changes ~2 of ~150 clusters in a touched part (c ~ 0.013, session 51): s ~ 0.16.
DELTA_MAX_SHARE = 0.16


def _delta_file(folder: Path, table: str, name: str) -> Path:
    return folder / f"{table}_delta" / name


_DELTA_OWNED: dict[tuple[str, int, int, int], frozenset[str]] = {}  # by file identity: a part reads one ~6 times
DELTA_OWNED_CACHED = 4096  # delta files whose lists a worker keeps (64 parts x a few earlier artifacts)


def _delta_owned(folder: Path, table: str, name: str) -> set[str]:
    """The clusters the delta of a part's intermediate table holds (none without a delta file)."""
    import pyarrow.parquet as pq

    path = _delta_file(folder, table, name)
    try:
        st = path.stat()
    except FileNotFoundError:
        return set()
    key = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)  # artifacts are written once (temp + rename)
    got = _DELTA_OWNED.get(key)
    if got is None:
        raw = (pq.ParquetFile(path).schema_arrow.metadata or {}).get(DELTA_CLUSTERS.encode())
        got = frozenset(json.loads(raw)) if raw else frozenset()
        if len(_DELTA_OWNED) >= DELTA_OWNED_CACHED:
            _DELTA_OWNED.clear()
        _DELTA_OWNED[key] = got
    return set(got)


def _delta_plan(
    name: str, memo: dict[str, str], todo: set[str], copy: dict[Path, list[str]]
) -> tuple[Path | None, dict[str, set[str] | None]]:
    """(the earlier artifact whose base files the part links — the one it copies most clusters from —, per
    intermediate table the clusters its new delta holds), or (None, ...) when the tables are written whole:
    no earlier artifact, or a delta past DELTA_MAX_SHARE of the part's clusters (it folds into a new base)."""
    owned: dict[str, set[str] | None] = {t: None for t in DELTA_TABLES}
    if not copy:
        return None, owned
    base = max(sorted(copy), key=lambda d: len(copy[d]))
    mine = set(copy[base])
    others = {c for d, ids in copy.items() if d != base for c in ids}
    plan: dict[str, set[str] | None] = {}
    for t in DELTA_TABLES:
        try:
            carried = _delta_owned(base, t, name) & mine
        except (OSError, ValueError, pa.ArrowInvalid):
            return None, owned
        held = todo | others | carried
        if len(held) > DELTA_MAX_SHARE * len(memo):
            return None, owned
        plan[t] = held
    return base, plan


def _rows_of(path: Path, clusters: set[str], whole: dict[Path, Any] | None = None) -> pa.Table:
    """The rows of `clusters` in a table sorted by cluster_id, reading only the row groups whose cluster_id
    statistics hold one of them (a ParquetFile: pq.read_table's filters built a dataset for every call, ~1.3 ms
    against ~0.2 for a part's small votes file). `whole`: the row groups of the part's files read so far (one
    batch): a row group is read once a part however many callers want rows of it (the alignment memo is read
    for the clusters to repair, then for the copied ones)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = sorted(clusters)
    if whole is None:
        pf = pq.ParquetFile(path, memory_map=True)
        groups = _groups_holding(pf, wanted)
        t = pf.read_row_groups(groups, use_threads=False) if groups else pf.schema_arrow.empty_table()
    else:
        if path not in whole:
            whole[path] = (pq.ParquetFile(path, memory_map=True), {})
        pf, held = whole[path]
        groups = _groups_holding(pf, wanted)
        missing = [g for g in groups if g not in held]
        if missing:
            got = pf.read_row_groups(missing, use_threads=False)
            at = 0
            for g in missing:
                n = pf.metadata.row_group(g).num_rows
                held[g] = got.slice(at, n)
                at += n
        t = pa.concat_tables([held[g] for g in groups]) if groups else pf.schema_arrow.empty_table()
    return t.filter(pc.is_in(t.column("cluster_id"), value_set=pa.array(wanted, pa.string())))


def _groups_holding(pf: Any, wanted: list[str]) -> list[int]:
    """Row groups of an opened file whose cluster_id statistics may hold one of the sorted clusters `wanted`
    (a group without statistics is kept): the row groups a filter on those clusters would read."""
    meta = pf.metadata
    column = pf.schema_arrow.get_field_index("cluster_id")
    keep = []
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max:
            keep.append(g)
            continue
        k = bisect_left(wanted, stats.min)
        if k < len(wanted) and wanted[k] <= stats.max:
            keep.append(g)
    return keep


def _resolved(
    folder: Path,
    table: str,
    name: str,
    clusters: set[str],
    whole: dict[Path, Any] | None = None,
) -> pa.Table:
    """The rows of `clusters` in an earlier artifact's intermediate table: from its delta for the clusters
    the delta holds, from its base for the others (the rows a whole file of the part would hold).
    `whole` as in `_rows_of`."""
    owned = _delta_owned(folder, table, name) & clusters
    parts = []
    if clusters - owned:
        parts.append(_rows_of(folder / table / name, clusters - owned, whole))
    if owned:
        parts.append(_rows_of(_delta_file(folder, table, name), owned, whole))
    if not parts:
        return (ALIGN_MEMO if table == "align" else VOTES).empty_table()
    return pa.concat_tables([p.cast(parts[0].schema) for p in parts])


SOURCES_DIR = "sources"  # a repair part's members files by stamp, their cluster digests, its row counts (JSON)


def _stamp_of(path: Path) -> list[int] | None:
    """`_file_stat` of a members file, None when the shard has no such part."""
    try:
        return _file_stat(path)
    except FileNotFoundError:
        return None


def _write_sources(out: Path, part: str, stamps: list[list[int]], in_file: list[dict], rows: dict[str, int]) -> None:
    """The part's sources record, atomically: a later run's part takes the cluster digests of a file with
    one of these stamps from here instead of its footer, and links the part when its stamps are these."""
    import os
    import tempfile

    folder = out / SOURCES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    record = {"stamps": stamps, "digests": in_file, "rows": rows}
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(record, sort_keys=True))  # json.dump encodes in Python, piece by piece
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / f"{part}.json")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _earlier_sources(
    earlier: list[Path], part: str
) -> tuple[dict[tuple[int, ...], dict[str, str]], list[tuple[Path, list, dict[str, int]]], dict[Path, list[dict]]]:
    """(stamp -> cluster digests of that members file, from the earlier parts' sources records; per
    earlier artifact with a record: (its folder, the stamps of the files its part was made from, in
    order, its row counts); per such artifact, the cluster digests of each of those files, in order:
    what its part's memo was made from, `_memo_of`). Artifacts without records (made before them) give
    nothing: their files' footers are read."""
    seen: dict[tuple[int, ...], dict[str, str]] = {}
    made = []
    records: dict[Path, list[dict]] = {}
    for d in sorted(earlier):
        try:
            record = json.loads((d / SOURCES_DIR / f"{part}.json").read_text(encoding="utf-8"))
            got, digests, rows = record["stamps"], record["digests"], record["rows"]
            made.append((d, got, {t: int(rows[t]) for t in ("best_texts", "repairs")}))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        records[d] = digests
        for stamp, held in zip(got, digests, strict=True):
            seen.setdefault(tuple(stamp), held)
    return seen, made, records


def _memo_of(in_file: list[dict[str, str]]) -> dict[str, str]:
    """A part's memo (cluster_id -> digest of its rows over the part's members files, in order) from the
    cluster digests of each file."""
    return {
        cid: hashlib.blake2b("/".join(d[cid] for d in in_file if cid in d).encode(), digest_size=16).hexdigest()
        for cid in sorted({c for d in in_file for c in d})
    }


def _open_parquet(path: Path) -> Any:
    """pq.ParquetFile of `path`, None when there is no such file."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path, memory_map=True)  # a file read in part: no copy of the rest (0.37 vs 0.57 ms)
    except FileNotFoundError:
        return None


def _cluster_batches(clusters: list[str], files: list[Any], in_file: list[dict], todo: set[str]) -> list[set[str]]:
    """Sorted clusters cut into contiguous batches of at most REPAIR_BATCH_COPIES copies to repair
    and REPAIR_BATCH_CLUSTERS clusters. Copies are counted from the cluster_id column only.
    `files`: the part's members files, opened (pq.ParquetFile)."""
    import pyarrow.compute as pc

    holding = [f for f, held in zip(files, in_file, strict=True) if not todo.isdisjoint(held)]
    if sum(f.metadata.num_rows for f in holding) <= REPAIR_BATCH_COPIES and len(clusters) <= REPAIR_BATCH_CLUSTERS:
        return [set(clusters)]  # what counting would give: every copy fits in one batch
    copies: dict[str, int] = {}
    for f, held in zip(files, in_file, strict=True):
        if not todo.isdisjoint(held):
            known = _group_copies(f)
            if known is None:
                counted = pc.value_counts(f.read(columns=["cluster_id"], use_threads=False).column(0))
                known = {c["values"]: c["counts"] for c in counted.to_pylist()}
            for cid, n in known.items():
                if cid in todo:
                    copies[cid] = copies.get(cid, 0) + n
    batches: list[set[str]] = []
    batch: set[str] = set()
    held_copies = 0
    for cid in clusters:
        n = copies.get(cid, 0)
        if batch and (held_copies + n > REPAIR_BATCH_COPIES or len(batch) >= REPAIR_BATCH_CLUSTERS):
            batches.append(batch)
            batch, held_copies = set(), 0
        batch.add(cid)
        held_copies += n
    if batch:
        batches.append(batch)
    return batches


ORIGIN = "_origin"  # a member row's column while repaired: the digest of its file's rows of its cluster
MEMBERS_FROM = MEMBERS.append(pa.field(ORIGIN, pa.string()))


def _file_rows(f: Any, held: dict, wanted_set: set[str], wanted: pa.Array | None = None) -> pa.Table:
    """The member rows of the clusters `wanted_set` in an opened members file (`held`: its cluster digests):
    their row groups found by place (`_cluster_groups`), else by statistics and filtered."""
    import pyarrow.compute as pc

    groups = _cluster_groups(f, held, wanted_set)
    exact = groups is not None
    if groups is None:
        groups = _groups_of(f, wanted_set)
    if not groups:
        return MEMBERS.empty_table()
    t = f.read_row_groups(groups, use_threads=False).cast(MEMBERS)  # small row groups: no threads
    if exact:
        return t
    if wanted is None:
        wanted = pa.array(sorted(wanted_set), pa.string())
    return t.filter(pc.is_in(t.column("cluster_id"), value_set=wanted))


def _member_batches(
    files: list[Any], in_file: list[dict], todo: set[str], batches: list[set[str]], spill: Path
) -> Iterator[tuple[set[str], pa.Table]]:
    """(batch, the member rows of its clusters to repair), batch by batch, rows in file order.

    One batch: read as before. Several: every file is read once and its rows are sorted into one
    Arrow IPC file per batch (a shuffle on disk), so each copy is read twice, never held with the
    whole part."""
    import pyarrow.compute as pc
    import pyarrow.ipc as ipc

    holding = [(f, held) for f, held in zip(files, in_file, strict=True) if not todo.isdisjoint(held)]

    def rows_of(f: Any, held: dict, wanted: pa.Array, wanted_set: set[str]) -> pa.Table:
        t = _file_rows(f, held, wanted_set, wanted)
        cids = t.column("cluster_id").to_pylist()
        return t.append_column(ORIGIN, pa.array([held.get(c) for c in cids], pa.string()))

    if len(batches) <= 1:
        for batch in batches:
            wanted_set = todo & batch
            wanted = pa.array(sorted(wanted_set), pa.string())
            tables = [rows_of(f, held, wanted, wanted_set) for f, held in holding] if len(wanted) else []
            yield batch, pa.concat_tables(tables) if tables else MEMBERS_FROM.empty_table()
        return
    order = sorted(todo)
    batch_of = np.zeros(len(order), dtype=np.int32)
    for k, batch in enumerate(batches):
        for cid in batch & todo:
            batch_of[bisect_left(order, cid)] = k
    spill.mkdir(parents=True, exist_ok=True)
    writers: dict[int, Any] = {}
    try:
        wanted = pa.array(order, pa.string())
        for f, held in holding:
            t = rows_of(f, held, wanted, todo)
            where = batch_of[pc.index_in(t.column("cluster_id"), value_set=wanted).to_numpy(zero_copy_only=False)]
            for k in np.unique(where):
                if int(k) not in writers:
                    writers[int(k)] = ipc.new_file(str(spill / f"{int(k):05d}.arrow"), MEMBERS_FROM)
                writers[int(k)].write_table(t.filter(pa.array(where == k)))
            del t
    finally:
        for w in writers.values():
            w.close()
    for k, batch in enumerate(batches):
        if k not in writers:
            yield batch, MEMBERS_FROM.empty_table()
            continue
        with pa.memory_map(str(spill / f"{k:05d}.arrow")) as source:
            yield batch, ipc.open_file(source).read_all()
        (spill / f"{k:05d}.arrow").unlink()


# The alignment memo and the vote records are intermediate tables (only a later repair part reads them), and a
# +1 % run rewrites them whole in every part it touches (20k: 59 of 64): written as the other intermediate
# artifacts are (tasks.common.ARTIFACT_COMPRESSION, session 21), their unique columns (a pair's digests, its
# blocks, a record's JSON) without a dictionary — one is tried and dropped on every file. Measured on the 5k
# bench's 64 align parts (11.9 MB in Arrow, CPU-s of one core): zstd with dictionaries write 0.197, read
# 0.072, 6.8 MB on disk; uncompressed and plain 0.062 and 0.033, 11.6 MB.
INTERMEDIATE: dict[str, dict[str, Any]] = {
    "align": {"compression": ARTIFACT_COMPRESSION, "plain": ("pair", "blocks")},
    "votes": {"compression": ARTIFACT_COMPRESSION, "plain": ("votes",)},
}


class _SortedWriter:
    """`tasks.common.write_table(concat of every added table, sort_by)` without holding them:
    tables are added in sort order of their first key (batches of cluster ranges), buffered to whole
    row groups, written as they fill — the same bytes as one write of the whole table.
    Atomic like write_table: a temporary file renamed by `close`; `abort` drops it if not closed."""

    def __init__(
        self,
        path: Path,
        schema: pa.Schema,
        sort_by: list[str],
        row_group_size: int = 8192,
        *,
        compression: str = "zstd",
        plain: Sequence[str] = (),
    ):
        """`compression` and `plain` (columns without a dictionary) as in tasks.common.write_table: the
        published tables keep zstd and every dictionary, the intermediate ones (INTERMEDIATE) do not."""
        import os
        import tempfile

        self.path, self.schema, self.sort_by, self.size = Path(path), schema, sort_by, row_group_size
        self.compression = compression
        self.dictionary: bool | list[str] = [c for c in schema.names if c not in plain] if plain else True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=self.path.parent)
        os.close(fd)
        self.buffer: list[pa.Table] = []
        self.buffered = self.written = 0
        self.writer: Any = None

    def _write(self, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(
                self.tmp,
                self.schema,
                compression=self.compression,
                use_dictionary=self.dictionary,
                write_statistics=True,
            )
        self.writer.write_table(table.combine_chunks(), row_group_size=self.size)
        self.written += table.num_rows

    def add(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        table = table.cast(self.schema)
        self.buffer.append(table.sort_by([(c, "ascending") for c in self.sort_by]))
        self.buffered += table.num_rows
        if self.buffered >= self.size:
            whole = pa.concat_tables(self.buffer)
            cut = self.buffered - self.buffered % self.size
            self._write(whole.slice(0, cut))
            rest = whole.slice(cut)
            self.buffer, self.buffered = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> None:
        import os

        if self.buffered or not self.written:  # an empty table still gets its one empty row group
            self._write(pa.concat_tables(self.buffer) if self.buffer else self.schema.empty_table())
        self.writer.close()
        self.writer = None
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        import os

        if self.writer is not None:
            self.writer.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


def repair_finish(inputs: dict, out_dir: str, parts: dict[str, dict], earlier: Sequence[str] = ()) -> dict:
    """parts.json (part -> digest of its inputs: what a later run links unchanged parts by) and
    the step's counts, summed over its parts."""
    import json
    from collections import Counter
    from pathlib import Path

    counts: Counter[str] = Counter()
    for stats in parts.values():
        counts.update({k: v for k, v in stats.items() if k != "digest"})
    digests = {str(int(p)): stats["digest"] for p, stats in parts.items()}
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    (Path(out_dir) / "parts.json").write_text(json.dumps(digests, sort_keys=True))
    return dict(sorted(counts.items()))


REPAIR_COLUMNS = ("doc_id", "cluster_id", "text", "quality_flags", "is_canonical")  # what repair_table reads


CLUSTER_DIGEST_BATCH = 256  # rows turned into Python at a time: a members part's texts never are all at once


def _cluster_digests(members: pa.Table) -> dict[str, str]:
    """cluster_id (a lone document's doc_id) -> xxh3-128 of its member rows in the order repair_table
    sees them: per row, its other REPAIR_COLUMNS as a short JSON list, then its text's UTF-8 bytes read
    straight from the Arrow buffer, each length-prefixed. Not the JSON of whole rows through blake2b
    with every text turned into a Python string: that was ~9 % of the members calls' CPU at 100k +1 %
    (16 k rows, 1.3 of 14.2 profiled CPU-s). Not a security boundary (as `_text_digest`)."""
    hashers: dict[str, Any] = {}
    table = members.select(list(REPAIR_COLUMNS))
    for batch in table.to_batches(max_chunksize=CLUSTER_DIGEST_BATCH):
        doc = batch.column("doc_id").to_pylist()
        cluster = batch.column("cluster_id").to_pylist()
        flags = batch.column("quality_flags").to_pylist()
        canonical = batch.column("is_canonical").to_pylist()
        starts, data, valid = _utf8_slices(batch.column("text"))
        for i in range(batch.num_rows):
            cid = cluster[i] or doc[i]
            if not cid:
                continue
            h = hashers.get(cid)
            if h is None:
                h = hashers[cid] = xxhash.xxh3_128()
            head = json.dumps([doc[i], cluster[i], flags[i], canonical[i]], ensure_ascii=False).encode()
            h.update(len(head).to_bytes(8, "little") + head)
            if valid[i]:
                a, b = int(starts[i]), int(starts[i + 1])
                h.update((b - a).to_bytes(8, "little"))
                h.update(data[a:b])
            else:
                h.update(b"\xff" * 8)  # a null text: no length is 2^64 - 1
    return {cid: h.hexdigest() for cid, h in hashers.items()}


def _utf8_slices(arr: pa.Array) -> tuple[np.ndarray, memoryview, np.ndarray]:
    """(offsets, data, valid) of a string array's buffers: value i is data[offsets[i]:offsets[i + 1]]."""
    kind = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _, offsets, data = arr.buffers()[:3]
    starts = (
        np.frombuffer(offsets, dtype=kind)[arr.offset : arr.offset + len(arr) + 1]
        if offsets is not None
        else np.zeros(len(arr) + 1, kind)
    )
    valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return starts, memoryview(data if data is not None else b""), valid


# The alignments a part's clusters were repaired with (text pair digest -> blocks i, j, n flattened):
# a later run that adds a copy to a cluster aligns only the new copy against an unchanged base.
ALIGN_MEMO = pa.schema(
    [
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("pair", pa.string(), nullable=False),
        pa.field("blocks", pa.list_(pa.int32()), nullable=False),
    ]
)


# Rows per row group of the alignment memo (sorted by cluster, ~16 alignments a cluster at 20k: ~2 clusters a group).
# A re-voted cluster's stored alignments are read by their row groups' statistics: with one group a part (8192
# rows), a 20k +1 % night read every align base whole (~250 rows, ~1.3 MB a part; 74 reads, 77 MB) for the ~2
# clusters of a part it re-votes.
ALIGN_ROW_GROUP = 32


def _alignment_rows(used: dict[tuple[str, str], Any]) -> pa.Table:
    """The memo rows of the alignments a batch used. The blocks column is built from one flat
    NumPy array and its offsets (the same list<int32> values as a list of lists, without a Python
    list per alignment: 20k +1 %, 3,360 alignments a run); an alignment carried as stored (`_Flat`)
    goes in as its int32 values, never as Python integers (20k +1 %: 3,087 of 3,472 rows)."""
    rows = sorted(used.items())
    offsets = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(b) if isinstance(b, _Flat) else 3 * len(b) for _, b in rows], out=offsets[1:])
    pieces = [
        np.asarray(b.values, dtype=np.int32)
        if isinstance(b, _Flat)
        else np.fromiter(itertools.chain.from_iterable(b), dtype=np.int32, count=3 * len(b))
        for _, b in rows
    ]
    flat = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return pa.table(
        {
            "cluster_id": pa.array([c for (c, _), _ in rows], pa.string()),
            "pair": pa.array([k for (_, k), _ in rows], pa.string()),
            "blocks": pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat), type=pa.list_(pa.int32())),
        },
        schema=ALIGN_MEMO,
    )


def _earlier_alignments(
    earlier: list[Path],
    name: str,
    clusters: set[str] | None = None,
    present: dict[Path, set[str]] | None = None,
    whole: dict[Path, Any] | None = None,
) -> dict[str, np.ndarray]:
    """text pair digest -> blocks (i, j, n flattened: an int32 view of the column read, no Python integers),
    from the alignment memos of a part in earlier repair artifacts (base and delta, `_resolved`); with
    `clusters`, only the rows of those clusters (the ones to repair: turning every alignment of the part into
    Python objects was a third of a +1 % repair call at 20k, and the objects' memory stayed with the worker),
    and with `present` only those each artifact's part holds (`whole`: as in `_rows_of`). An alignment is a
    pure function of the two texts, so one not loaded is computed again with the same result."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    known: dict[str, np.ndarray] = {}
    for d in sorted(earlier):
        try:
            if clusters is None:
                t = pq.ParquetFile(d / "align" / name).read(use_threads=False)
                owned = _delta_owned(d, "align", name)
                if owned:
                    keep = pc.invert(pc.is_in(t.column("cluster_id"), value_set=pa.array(sorted(owned), pa.string())))
                    t = pa.concat_tables([t.filter(keep), _rows_of(_delta_file(d, "align", name), owned)])
            else:
                wanted = clusters if present is None else clusters & present.get(d, set())
                if not wanted:
                    continue
                t = _resolved(d, "align", name, wanted, whole)
        except (OSError, ValueError, KeyError, pa.ArrowInvalid):
            continue
        if not t.num_rows:
            continue
        blocks = t.column("blocks").combine_chunks()
        ends = blocks.offsets.to_numpy()  # each alignment a view of the values: no Python integer made
        values = blocks.values.to_numpy()
        for k, pair in enumerate(t.column("pair").to_pylist()):
            known.setdefault(pair, values[ends[k] : ends[k + 1]])
    return known


# Each repaired cluster's vote record (`_vote_json`): the tallies a later run that adds copies to
# the cluster updates with the new copies' votes instead of reading and aligning every copy again.
VOTES = pa.schema(
    [
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("votes", pa.string(), nullable=False),
    ]
)
VOTES_ROW_GROUP = 64  # records per row group: a run reads only the row groups of the clusters it repairs


def _vote_rows(records: dict[str, str]) -> pa.Table:
    ids = sorted(records)
    return pa.table(
        {"cluster_id": pa.array(ids, pa.string()), "votes": pa.array([records[c] for c in ids], pa.string())},
        schema=VOTES,
    )


def _earlier_votes(
    earlier: list[Path], name: str, clusters: set[str], present: dict[Path, set[str]] | None = None
) -> dict[str, str]:
    """cluster_id -> vote record, from the vote tables of a part in earlier repair artifacts (base and
    delta, `_resolved`; of the clusters to repair only, and with `present` only those each artifact's part
    holds; row groups whose cluster_id range holds none of them are not read)."""
    found: dict[str, str] = {}
    for d in sorted(earlier):
        wanted = clusters if present is None else clusters & present.get(d, set())
        if not wanted:
            continue
        try:
            t = _resolved(d, "votes", name, wanted)
        except (OSError, ValueError, KeyError, pa.ArrowInvalid):
            continue  # no such part there, or made before vote records
        for cid, raw in zip(t.column("cluster_id").to_pylist(), t.column("votes").to_pylist(), strict=True):
            found.setdefault(cid, raw)
    return found


def _file_cluster_digests(pf: Any) -> dict[str, str]:
    """cluster_id -> digest of its rows in one members file (opened: pq.ParquetFile): from the
    file's metadata (the footer only), else (a file written without it) from its rows."""
    raw = (pf.schema_arrow.metadata or {}).get(CLUSTER_DIGESTS.encode())
    if raw is not None:
        return json.loads(raw)
    return _cluster_digests(pf.read(use_threads=False).cast(MEMBERS))


# An earlier part's memo is the digests of its sources record put together (`_memo_of`): the record is read
# anyway (`_earlier_sources`), and opening and decoding the memo file cost 3-8 ms a touched part (cProfile of a
# +1 % replay, 400-document bench, load ~20: 0.25 of 0.87 CPU-s for 30 parts), ~60 parts a 20k night. Same
# clusters, same digests, same sort order (cluster_id) as the file, which stays written for older readers.
def _earlier_clusters(
    earlier: list[Path], name: str, memo: dict[str, str], records: dict[Path, list[dict]] | None = None
) -> tuple[dict[str, Path], Path | None, dict[Path, set[str]]]:
    """(cluster digest -> an earlier artifact whose part `name` holds that cluster's rows, an
    earlier artifact whose part holds exactly the clusters of `memo` or None, the clusters each
    earlier artifact's part holds). An artifact whose part has a sources record (`records`, from
    `_earlier_sources`) gives its memo from the record's digests, the memo file unopened."""
    import os

    import pyarrow.parquet as pq

    found: dict[str, Path] = {}
    present: dict[Path, set[str]] = {}
    same = None
    for d in sorted(earlier):
        digests_of = (records or {}).get(d)
        if digests_of is not None and os.path.exists(d / "memo" / name):
            held = _memo_of(digests_of)
            ids, digests = list(held), list(held.values())
        else:
            try:
                t = pq.ParquetFile(d / "memo" / name).read(
                    columns=["cluster_id", "digest"], use_threads=False
                )  # no dataset setup
            except (OSError, ValueError, KeyError, pa.ArrowInvalid):
                continue  # no such part there, or made before memos
            ids, digests = t.column("cluster_id").to_pylist(), t.column("digest").to_pylist()
        present[d] = set(ids)
        if same is None and dict(zip(ids, digests, strict=True)) == memo:
            same = d
        for digest in digests:
            found.setdefault(digest, d)
    return found, same, present


# canonical.parquet is an intermediate artifact: nothing compressed (tasks.common.ARTIFACT_COMPRESSION; session 13
# had left only the text zstd — its row groups hold CANONICAL_ROW_GROUP = 4 documents, and zstd's per-page cost on
# the small columns was ~20 % of writing the file for no bytes saved), the text without a dictionary. The reuse
# step reads a few documents' texts at a time from it: decompressing them was 7 of its ~21 worker-s (20k cold).
PLAIN_COLUMNS = ("text",)


def _write_row_groups(table: pa.Table, path, row_group_size: int) -> None:
    """write_table's deterministic options with another row group size (atomic: temp + rename);
    nothing compressed (an intermediate artifact), PLAIN_COLUMNS without a dictionary."""
    import os
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        from tasks.common import ARTIFACT_COMPRESSION

        pq.write_table(
            table,
            tmp,
            compression=ARTIFACT_COMPRESSION,
            use_dictionary=[c for c in table.column_names if c not in PLAIN_COLUMNS],
            write_statistics=True,
            row_group_size=row_group_size,
        )
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

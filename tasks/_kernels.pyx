# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled inner loops of the dedupe and repair steps (built at install by setup.py).

The numpy versions of these loops materialize every expanded row several times (positions, wanted
codes, hits, weights): the 100k bench's +1 % dedupe call spent half its time there, bound by memory
traffic, and threads did not help (docs/dedupe.md, session 15). Here each row is read once, the
GIL is released, and the result is the same exact integers.
"""

import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc, qsort


def marked_sums(
    const int64_t[::1] start,
    const int64_t[::1] code,
    const int64_t[::1] w,
    const int64_t[::1] x,
    const int64_t[::1] y,
    int64_t width,
    int64_t[::1] out_w,
    int64_t[::1] out_n,
):
    """Per pair k: the summed w and the count of the rows of document x[k] whose key the document
    y[k] holds too. Rows of document d are code[start[d]:start[d + 1]], keys in the low 32 bits
    (< width), distinct within a document. Pairs with the same y should be consecutive (sorted by y):
    y's keys are marked once per run of pairs, then each x's rows are tested against the marks."""
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t j, k
    cdef int64_t r, r1, yy, s, c, m
    cdef int64_t low = 0xFFFFFFFF
    if out_w.shape[0] < n or out_n.shape[0] < n or y.shape[0] < n:
        raise ValueError("marked_sums: x, y, out_w and out_n must have the same length")
    cdef uint8_t* mark = <uint8_t*> calloc(width if width > 0 else 1, 1)
    if mark == NULL:
        raise MemoryError()
    with nogil:
        while i < n:
            yy = y[i]
            j = i + 1
            while j < n and y[j] == yy:
                j += 1
            for r in range(start[yy], start[yy + 1]):
                mark[code[r] & low] = 1
            for k in range(i, j):
                s = 0
                c = 0
                r1 = start[x[k] + 1]
                for r in range(start[x[k]], r1):
                    m = mark[code[r] & low]
                    s += w[r] & (-m)  # branch-free: hits are unpredictable
                    c += m
                out_w[k] = s
                out_n[k] = c
            for r in range(start[yy], start[yy + 1]):
                mark[code[r] & low] = 0
            i = j
    free(mark)


def marked_weights(
    const int64_t[::1] start,
    const uint32_t[::1] rank,
    const int32_t[::1] wrank,
    const int64_t[::1] x,
    const int64_t[::1] y,
    int64_t[::1] out_w,
    int64_t[::1] out_n,
):
    """`marked_sums` where a row's weight is its key's (wrank[rank], every weight >= 1): per pair k, the
    summed weight and the count of the keys of document x[k] that y[k] holds too. Rows of document d
    are rank[start[d]:start[d + 1]] (ranks < len(wrank), distinct within a document). y's keys are
    marked with their weights once per run of pairs with the same y, so a row of x costs 4 bytes read
    in order and one lookup in the marks, not 16 bytes (code and w): the 20k cold call's verification
    read ~13 GB of rows that way (session 61)."""
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t width = wrank.shape[0]
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t j, k
    cdef int64_t r, yy, s, c
    cdef int32_t m
    cdef uint32_t q
    if out_w.shape[0] < n or out_n.shape[0] < n or y.shape[0] < n:
        raise ValueError("marked_weights: x, y, out_w and out_n must have the same length")
    cdef int32_t* mark = <int32_t*> calloc(width if width > 0 else 1, sizeof(int32_t))
    if mark == NULL:
        raise MemoryError()
    with nogil:
        while i < n:
            yy = y[i]
            j = i + 1
            while j < n and y[j] == yy:
                j += 1
            for r in range(start[yy], start[yy + 1]):
                q = rank[r]
                mark[q] = wrank[q]
            for k in range(i, j):
                s = 0
                c = 0
                for r in range(start[x[k]], start[x[k] + 1]):
                    m = mark[rank[r]]
                    s += m
                    c += m != 0
                out_w[k] = s
                out_n[k] = c
            for r in range(start[yy], start[yy + 1]):
                mark[rank[r]] = 0
            i = j
    free(mark)


def merged_sums(
    const uint64_t[::1] vals,
    const int64_t[::1] start,
    const int64_t[::1] length,
    const int64_t[::1] w,
    const int64_t[::1] x,
    const int64_t[::1] y,
    int64_t[::1] out_w,
    int64_t[::1] out_n,
):
    """Per pair k: the summed w (of x[k]'s rows) and the count of the keys both x[k] and y[k] hold.
    Document d's keys are vals[start[d]:start[d] + length[d]], sorted and distinct; the two runs
    are merged (keys are hashes, too sparse to mark)."""
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t k
    cdef int64_t i, i1, j, j1, s, c
    cdef uint64_t a, b
    if out_w.shape[0] < n or out_n.shape[0] < n or y.shape[0] < n:
        raise ValueError("merged_sums: x, y, out_w and out_n must have the same length")
    with nogil:
        for k in range(n):
            i = start[x[k]]
            i1 = i + length[x[k]]
            j = start[y[k]]
            j1 = j + length[y[k]]
            s = 0
            c = 0
            while i < i1 and j < j1:
                a = vals[i]
                b = vals[j]
                if a == b:
                    s += w[i]
                    c += 1
                    i += 1
                    j += 1
                elif a < b:
                    i += 1
                else:
                    j += 1
            out_w[k] = s
            out_n[k] = c


# Radix digits of DIGIT_BITS bits: 8 keeps a pass's 256 write positions in the L1 cache; 16-bit
# passes (half as many) scattered over 65,536 positions and took ~18 ns a key each on pair codes,
# 8-bit ones ~2.5 ns (session 23: 10 M codes sorted in 0.10 s against numpy's 0.7 s).
cdef enum:
    DIGIT_BITS = 8
    BUCKETS = 1 << DIGIT_BITS
    DIGIT_MASK = BUCKETS - 1
    PASSES = 64 // DIGIT_BITS


cdef int _histograms(const uint64_t* keys, Py_ssize_t n, int64_t* counts) noexcept nogil:
    """Every digit's histogram in one read; returns a bit mask of the passes to run (a pass whose
    digit is the same in every key moves nothing and is skipped)."""
    cdef Py_ssize_t i
    cdef uint64_t d
    cdef int p, mask = 0
    for i in range(n):
        d = keys[i]
        for p in range(PASSES):
            counts[p * BUCKETS + ((d >> (DIGIT_BITS * p)) & DIGIT_MASK)] += 1
    for p in range(PASSES):
        if counts[p * BUCKETS + ((keys[0] >> (DIGIT_BITS * p)) & DIGIT_MASK)] != n:
            mask |= 1 << p
    return mask


cdef void _offsets(int64_t* cnt) noexcept nogil:
    cdef int64_t total = 0
    cdef int64_t c
    cdef Py_ssize_t i
    for i in range(BUCKETS):
        c = cnt[i]
        cnt[i] = total
        total += c


# A run of keys with the same high half at most this long is put in order by insertion (a few
# moves); a longer one by radix passes over its low digits (linear whatever the run holds).
cdef enum:
    RUN_INSERTION_MAX = 32


cdef void _order_runs(uint64_t* k, int64_t* p, uint64_t* tk, int64_t* tp, Py_ssize_t n) noexcept nogil:
    """Keys k (with their positions p) sorted by the high 32 bits, stably: each run of one high half
    put in order by the low half, stably (tk, tp: scratch of n)."""
    cdef Py_ssize_t s = 0, e, i, j
    cdef uint64_t hi, kv
    cdef int64_t pv, at
    cdef int64_t cnt[BUCKETS]
    cdef int q, b, moved
    cdef uint64_t* sk
    cdef int64_t* sp
    cdef uint64_t* dk
    cdef int64_t* dp
    cdef uint64_t first
    while s < n:
        hi = k[s] >> 32
        e = s + 1
        while e < n and (k[e] >> 32) == hi:
            e += 1
        i = s + 1
        while i < e and k[i - 1] <= k[i]:  # most runs are one key, or already in order
            i += 1
        if i < e:
            if e - s <= RUN_INSERTION_MAX:
                for i in range(s + 1, e):
                    kv = k[i]
                    pv = p[i]
                    j = i
                    while j > s and k[j - 1] > kv:  # >: an equal key stays after (stable)
                        k[j] = k[j - 1]
                        p[j] = p[j - 1]
                        j -= 1
                    k[j] = kv
                    p[j] = pv
            else:
                sk, sp, dk, dp = k + s, p + s, tk + s, tp + s
                moved = 0
                for q in range(4):
                    for b in range(BUCKETS):
                        cnt[b] = 0
                    first = (sk[0] >> (DIGIT_BITS * q)) & DIGIT_MASK
                    for i in range(e - s):
                        cnt[(sk[i] >> (DIGIT_BITS * q)) & DIGIT_MASK] += 1
                    if cnt[first] == e - s:
                        continue
                    _offsets(cnt)
                    for i in range(e - s):
                        kv = sk[i]
                        at = cnt[(kv >> (DIGIT_BITS * q)) & DIGIT_MASK]
                        cnt[(kv >> (DIGIT_BITS * q)) & DIGIT_MASK] = at + 1
                        dk[at] = kv
                        dp[at] = sp[i]
                    sk, sp, dk, dp = dk, dp, sk, sp
                    moved ^= 1
                if moved:
                    for i in range(e - s):
                        k[s + i] = sk[i]
                        p[s + i] = sp[i]
        s = e


def radix_order(const uint64_t[::1] keys):
    """np.argsort(keys, kind="stable") of uint64 keys as least-significant-digit radix passes of
    DIGIT_BITS bits (a pass is skipped where every key has the same digit): the same permutation (a stable sort
    is unique), ~3x faster than numpy's merge sort on the shingle and anchor hashes of a partition.
    Each pass moves the keys beside their positions, so every read is sequential (reading
    keys[position] at random cost ~2x on a 1.6 M-key partition, session 23). Hashes, whose low half
    varies in every digit, are sorted by their high half only, then each run of one high half by its
    low half (`_order_runs`): random 64-bit keys rarely share a high half, so 4 passes and one scan
    instead of 8 passes (session 24)."""
    cdef Py_ssize_t n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    cdef int64_t[::1] pos_a = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] pos_b = np.empty(n, dtype=np.int64)
    cdef uint64_t[::1] key_a = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] key_b = np.empty(n, dtype=np.uint64)
    cdef int64_t* counts = <int64_t*> calloc(PASSES * BUCKETS, sizeof(int64_t))
    cdef int64_t* cnt
    cdef const uint64_t* sk = &keys[0]
    cdef int64_t* sp = NULL  # NULL: the identity (before the first pass that moves anything)
    cdef uint64_t* dk
    cdef int64_t* dp
    cdef Py_ssize_t i
    cdef int p, shift, mask, flip = 0, low = 0, split
    cdef int64_t at
    cdef uint64_t d
    if counts == NULL:
        raise MemoryError()
    with nogil:
        mask = _histograms(sk, n, counts)
        for p in range(PASSES // 2):
            low += (mask >> p) & 1
        split = low >= 3 and (mask >> (PASSES // 2)) != 0  # a hash-like low half, and a high half to sort by
        for p in range(PASSES):
            if not (mask >> p) & 1 or (split and p < PASSES // 2):
                continue
            cnt = counts + p * BUCKETS
            shift = DIGIT_BITS * p
            _offsets(cnt)
            dk = &key_a[0] if flip == 0 else &key_b[0]
            dp = &pos_a[0] if flip == 0 else &pos_b[0]
            for i in range(n):
                d = sk[i]
                at = cnt[(d >> shift) & DIGIT_MASK]
                cnt[(d >> shift) & DIGIT_MASK] = at + 1
                dk[at] = d
                dp[at] = sp[i] if sp != NULL else i
            sk, sp = dk, dp
            flip ^= 1
        if split:  # sk, sp are key_a/pos_a (flip 1) or key_b/pos_b: the other pair is scratch
            if flip == 1:
                _order_runs(&key_a[0], &pos_a[0], &key_b[0], &pos_b[0], n)
            else:
                _order_runs(&key_b[0], &pos_b[0], &key_a[0], &pos_a[0], n)
        if sp == NULL:
            for i in range(n):
                pos_a[i] = i
    free(counts)
    if sp == NULL or flip == 1:
        return np.asarray(pos_a)
    return np.asarray(pos_b)


def radix_sort(const uint64_t[::1] keys):
    """np.sort(keys) of uint64 keys (a new array) by the same DIGIT_BITS passes over the values: ~5x
    numpy's sort on this machine's pair codes, whose high digits rarely vary (a << 32 | b with
    fewer than 65,536 documents: four passes), session 23."""
    cdef Py_ssize_t n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    cdef uint64_t[::1] key_a = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] key_b = np.empty(n, dtype=np.uint64)
    cdef int64_t* counts = <int64_t*> calloc(PASSES * BUCKETS, sizeof(int64_t))
    cdef int64_t* cnt
    cdef const uint64_t* sk = &keys[0]
    cdef uint64_t* dk
    cdef Py_ssize_t i
    cdef int p, shift, mask, flip = 0, moved = 0
    cdef int64_t at
    cdef uint64_t d
    if counts == NULL:
        raise MemoryError()
    with nogil:
        mask = _histograms(sk, n, counts)
        for p in range(PASSES):
            if not (mask >> p) & 1:
                continue
            cnt = counts + p * BUCKETS
            shift = DIGIT_BITS * p
            _offsets(cnt)
            dk = &key_a[0] if flip == 0 else &key_b[0]
            for i in range(n):
                d = sk[i]
                at = cnt[(d >> shift) & DIGIT_MASK]
                cnt[(d >> shift) & DIGIT_MASK] = at + 1
                dk[at] = d
            sk = dk
            flip ^= 1
            moved = 1
        if not moved:
            for i in range(n):
                key_a[i] = keys[i]
    free(counts)
    if not moved or flip == 1:
        return np.asarray(key_a)
    return np.asarray(key_b)


def pair_deltas(
    const int64_t[::1] code,
    const int64_t[::1] wrank,
    const int64_t[::1] a,
    const int64_t[::1] b,
    int64_t[::1] acc,
):
    """acc[k] += the summed wrank[rank] of the ranks both a[k] and b[k] hold among the rows `code`
    (sorted distinct document << 32 | rank): each document's run located by one pass over the rows
    (offsets per document id). a[k]'s ranks are marked in a byte per rank and b[k]'s run is tested
    against the marks, which stay set while the next pair has the same a: pairs in code order (a
    ascending) mark each document once per block, and a pair costs its b run only, without the
    merge's unpredictable branches (100k +1 %: 432 blocks x ~227 k pairs, 3.9 of the call's
    ~35 CPU-s as a merge; session 28). Any pair order gives the same sums."""
    cdef Py_ssize_t n = a.shape[0]
    cdef Py_ssize_t m = code.shape[0]
    cdef Py_ssize_t nr = wrank.shape[0]
    cdef Py_ssize_t k, r
    cdef int64_t i, i1, j, j1, s, x, y, rk, top, cur = -1
    cdef int64_t low = 0xFFFFFFFF
    cdef int64_t* start
    cdef uint8_t* mark
    if b.shape[0] < n or acc.shape[0] < n:
        raise ValueError("pair_deltas: a, b and acc must have the same length")
    if m == 0 or n == 0:
        return
    top = code[m - 1] >> 32  # documents past the block's last one have no row here
    start = <int64_t*> calloc(top + 2, sizeof(int64_t))
    mark = <uint8_t*> calloc(nr + 1, sizeof(uint8_t))
    if start == NULL or mark == NULL:
        free(start)
        free(mark)
        raise MemoryError()
    with nogil:
        for r in range(m):  # rows of document d: start[d]:start[d + 1]
            start[(code[r] >> 32) + 1] += 1
        for r in range(top + 1):
            start[r + 1] += start[r]
        for k in range(n):
            x = a[k]
            y = b[k]
            if x > top or y > top or x < 0 or y < 0:
                continue
            j = start[y]
            j1 = start[y + 1]
            if j == j1 or start[x] == start[x + 1]:
                continue
            if x != cur:
                if cur >= 0:
                    for i in range(start[cur], start[cur + 1]):
                        mark[code[i] & low] = 0
                for i in range(start[x], start[x + 1]):
                    mark[code[i] & low] = 1
                cur = x
            s = 0
            for i in range(j, j1):
                rk = code[i] & low
                s += wrank[rk] * mark[rk]
            acc[k] += s
    free(start)
    free(mark)


cdef inline Py_ssize_t _bisect_left(const int64_t[::1] v, int64_t x, Py_ssize_t lo) noexcept nogil:
    """bisect.bisect_left(v, x, lo) on an increasing array."""
    cdef Py_ssize_t hi = v.shape[0]
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if v[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def anchor_runs(
    const uint32_t[::1] a,
    const uint32_t[::1] b,
    const int64_t[::1] xs,
    const int64_t[::1] ys,
    int64_t a0,
    int64_t a1,
    int64_t b0,
    int64_t b1,
    int64_t k_len,
):
    """The runs repair's `_blocks` grows from a chain of anchors (xs, ys: increasing positions of
    k_len-grams in the code points a and b), as (start in a, start in b, length) rows: the Python
    loop of `_blocks` (first anchor past the last run by binary search, a 5-gram compared, the run
    extended backwards to the last run and forwards inside [a0, a1) x [b0, b1)) without a Python
    step per run. The gaps between runs are left to the caller, which aligns them as before."""
    cdef Py_ssize_t n = xs.shape[0]
    cdef Py_ssize_t na = a.shape[0]
    cdef Py_ssize_t nb = b.shape[0]
    cdef int64_t[:, ::1] out = np.empty((n, 3), dtype=np.int64)
    cdef Py_ssize_t m = 0
    cdef Py_ssize_t k = 0
    cdef Py_ssize_t lo, t
    cdef int64_t ca = a0
    cdef int64_t cb = b0
    cdef int64_t xa, xb, back, fwd, limit, i
    cdef bint same
    if ys.shape[0] != n:
        raise ValueError("anchor_runs: xs and ys must have the same length")
    with nogil:
        while True:
            # k = max(bisect_left(xs, ca, k), bisect_left(ys, cb, k))
            t = _bisect_left(xs, ca, k)
            lo = _bisect_left(ys, cb, k)
            k = t if t > lo else lo
            if k >= n:
                break
            xa = xs[k]
            xb = ys[k]
            k += 1
            if xa < 0 or xb < 0 or xa + k_len > na or xb + k_len > nb:
                continue  # not a k_len-gram of both texts (never from _anchors)
            same = True
            for i in range(k_len):
                if a[xa + i] != b[xb + i]:
                    same = False
                    break
            if not same:
                continue  # equal hashes, different k-grams
            limit = xa - ca if xa - ca < xb - cb else xb - cb
            back = 0
            while back < limit and a[xa - back - 1] == b[xb - back - 1]:
                back += 1
            limit = (a1 - xa if a1 - xa < b1 - xb else b1 - xb) - k_len
            fwd = 0
            while fwd < limit and a[xa + k_len + fwd] == b[xb + k_len + fwd]:
                fwd += 1
            out[m, 0] = xa - back
            out[m, 1] = xb - back
            out[m, 2] = k_len + fwd + back
            m += 1
            ca = xa + k_len + fwd
            cb = xb + k_len + fwd
    return np.asarray(out)[:m]


cdef int _by_start(const void* x, const void* y) noexcept nogil:
    cdef int64_t u = (<const int64_t*>x)[0]
    cdef int64_t v = (<const int64_t*>y)[0]
    return (u > v) - (u < v)


def matching_blocks(
    const uint32_t[::1] a,
    const uint32_t[::1] b,
    int64_t a0,
    int64_t a1,
    int64_t b0,
    int64_t b1,
):
    """difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False).get_matching_blocks()
    without its final (len, len, 0), at positions in the whole code-point arrays a and b.

    difflib's own recursion (the longest common run of a rectangle, the first in a then in b; then
    the rectangles before and after it) and its join of adjacent blocks; the longest run by the
    dynamic programme difflib runs per character of a (run length ending at (i, j) = the one at
    (i - 1, j - 1) + 1 where the characters agree), here one C loop per cell. Repair's small gaps
    (≤ DIFFLIB_MAX_CELLS cells) were ~20 % of a +1 % repair's CPU through difflib and rapidfuzz."""
    if not (0 <= a0 <= a1 <= a.shape[0] and 0 <= b0 <= b1 <= b.shape[0]):
        raise ValueError("matching_blocks: the ranges must lie inside the texts")
    cdef Py_ssize_t na = a1 - a0
    cdef Py_ssize_t nb = b1 - b0
    if na == 0 or nb == 0:
        return []
    cdef Py_ssize_t cap = (na if na < nb else nb) + 1  # blocks found, at most; pending rectangles, at most + 1
    cdef int64_t* found = <int64_t*>malloc(3 * cap * sizeof(int64_t))
    cdef int64_t* stack = <int64_t*>malloc(4 * (cap + 1) * sizeof(int64_t))
    cdef int32_t* prev = <int32_t*>malloc((nb + 1) * sizeof(int32_t))
    cdef int32_t* cur = <int32_t*>malloc((nb + 1) * sizeof(int32_t))
    cdef int32_t* swap
    cdef Py_ssize_t m = 0
    cdef Py_ssize_t top = 0
    cdef Py_ssize_t w, t, kept
    cdef int64_t alo, ahi, blo, bhi, i, bi, bj
    cdef int32_t bk, v
    cdef uint32_t ai
    if found == NULL or stack == NULL or prev == NULL or cur == NULL:
        free(found)
        free(stack)
        free(prev)
        free(cur)
        raise MemoryError()
    try:
        with nogil:
            stack[0] = a0
            stack[1] = a1
            stack[2] = b0
            stack[3] = b1
            top = 1
            while top:
                top -= 1
                alo = stack[4 * top]
                ahi = stack[4 * top + 1]
                blo = stack[4 * top + 2]
                bhi = stack[4 * top + 3]
                w = bhi - blo
                for t in range(w + 1):
                    prev[t] = 0
                cur[0] = 0
                bk = 0
                bi = alo
                bj = blo
                for i in range(alo, ahi):
                    ai = a[i]
                    for t in range(w):
                        if b[blo + t] == ai:
                            v = prev[t] + 1
                            cur[t + 1] = v
                            if v > bk:  # strictly longer: a tie keeps the first in a, then in b
                                bk = v
                                bi = i - v + 1
                                bj = blo + t - v + 1
                        else:
                            cur[t + 1] = 0
                    swap = prev
                    prev = cur
                    cur = swap
                if bk == 0:
                    continue
                found[3 * m] = bi
                found[3 * m + 1] = bj
                found[3 * m + 2] = bk
                m += 1
                if alo < bi and blo < bj:
                    stack[4 * top] = alo
                    stack[4 * top + 1] = bi
                    stack[4 * top + 2] = blo
                    stack[4 * top + 3] = bj
                    top += 1
                if bi + bk < ahi and bj + bk < bhi:
                    stack[4 * top] = bi + bk
                    stack[4 * top + 1] = ahi
                    stack[4 * top + 2] = bj + bk
                    stack[4 * top + 3] = bhi
                    top += 1
            # blocks increase in both texts: sorted by their start in a; adjacent ones are one block
            qsort(found, m, 3 * sizeof(int64_t), _by_start)
            kept = 0
            for t in range(m):
                if kept and found[3 * (kept - 1)] + found[3 * (kept - 1) + 2] == found[3 * t] and (
                    found[3 * (kept - 1) + 1] + found[3 * (kept - 1) + 2] == found[3 * t + 1]
                ):
                    found[3 * (kept - 1) + 2] += found[3 * t + 2]
                else:
                    found[3 * kept] = found[3 * t]
                    found[3 * kept + 1] = found[3 * t + 1]
                    found[3 * kept + 2] = found[3 * t + 2]
                    kept += 1
        return [(found[3 * t], found[3 * t + 1], found[3 * t + 2]) for t in range(kept)]
    finally:
        free(found)
        free(stack)
        free(prev)
        free(cur)


cdef struct _Slot:
    uint64_t key
    int64_t pos  # the first position holding the key
    int64_t count  # 0: an empty slot


cdef _Slot* _count_keys(const uint64_t[::1] keys, Py_ssize_t* mask) noexcept nogil:
    """An open-addressing table of keys -> (first position, occurrences); NULL when out of memory."""
    cdef Py_ssize_t n = keys.shape[0]
    cdef Py_ssize_t size = 16
    cdef Py_ssize_t i, s
    cdef uint64_t k
    cdef _Slot* table
    while size < 2 * n:
        size <<= 1
    table = <_Slot*>calloc(size, sizeof(_Slot))
    if table == NULL:
        return NULL
    mask[0] = size - 1
    for i in range(n):
        k = keys[i]
        s = <Py_ssize_t>((k ^ (k >> 29)) & <uint64_t>(size - 1))
        while table[s].count and table[s].key != k:
            s = (s + 1) & (size - 1)
        if table[s].count == 0:
            table[s].key = k
            table[s].pos = i
        table[s].count += 1
    return table


cdef inline int64_t _occurrences(const _Slot* table, Py_ssize_t mask, uint64_t k, int64_t* pos) noexcept nogil:
    cdef Py_ssize_t s = <Py_ssize_t>((k ^ (k >> 29)) & <uint64_t>mask)
    while table[s].count:
        if table[s].key == k:
            pos[0] = table[s].pos
            return table[s].count
        s = (s + 1) & mask
    return 0


cdef tuple _patience_chain(xa_all, xb_all, Py_ssize_t m):
    """The pairs (xa, xb) of the longest chain increasing in xb among the first m, in order: the
    subsequence element-by-element patience sorting picks (repair's `_lis`), for both anchor kernels."""
    tails = np.empty(m + 1, dtype=np.int64)  # xb at the end of the best chain of each length
    ends = np.empty(m + 1, dtype=np.int64)  # ... and the index of that element
    prev = np.empty(m + 1, dtype=np.int64)
    cdef int64_t[::1] xb_v = xb_all
    cdef int64_t[::1] tails_v = tails
    cdef int64_t[::1] ends_v = ends
    cdef int64_t[::1] prev_v = prev
    cdef Py_ssize_t t, lo, hi, mid, last, length = 0
    cdef int64_t v
    with nogil:
        for t in range(m):  # the first tail not below xb replaced (strictly increasing)
            v = xb_v[t]
            lo = 0
            hi = length
            if length and tails_v[length - 1] < v:
                lo = length  # what the search finds: copies agree, most anchors extend the chain
                hi = length
            while lo < hi:
                mid = (lo + hi) >> 1
                if tails_v[mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            tails_v[lo] = v
            ends_v[lo] = t
            prev_v[t] = ends_v[lo - 1] if lo else -1
            if lo == length:
                length += 1
    chain = np.empty(length, dtype=np.int64)
    cdef int64_t[::1] chain_v = chain
    if length:
        last = ends_v[length - 1]
        for t in range(length - 1, -1, -1):
            chain_v[t] = last
            last = prev_v[last]
    return xa_all[chain], xb_all[chain]


def anchor_chain(
    const uint64_t[::1] ha,
    const int64_t[::1] pa,
    int64_t a0,
    const uint64_t[::1] hb,
    int64_t b0,
    bint a_unique,
):
    """repair's `_anchors` after the hashing: the k-grams whose hash occurs once in a (ha: hashes in
    a's text order, at positions pa + a0; `a_unique`: ha holds only such already) and once in b (hb:
    the hash of every k-gram of b from b0), paired in a's order, then the longest chain increasing in
    b — the subsequence element-by-element patience sorting picks (`_lis`). Returns (xa, xb) of the
    chain. The NumPy version sorted b's hashes, matched them by binary search and ran the LIS with a
    Python step per rising stretch: ~60 % of a cold repair's CPU (20k bench)."""
    cdef Py_ssize_t n_a = ha.shape[0]
    cdef Py_ssize_t n_b = hb.shape[0]
    cdef Py_ssize_t mask_a = 0
    cdef Py_ssize_t mask_b = 0
    cdef Py_ssize_t t, m = 0
    cdef int64_t pos = 0
    cdef _Slot* in_a = NULL
    cdef _Slot* in_b = NULL
    if pa.shape[0] != n_a:
        raise ValueError("anchor_chain: ha and pa must have the same length")
    xa_all = np.empty(n_a, dtype=np.int64)
    xb_all = np.empty(n_a, dtype=np.int64)
    cdef int64_t[::1] xa_v = xa_all
    cdef int64_t[::1] xb_v = xb_all
    try:
        with nogil:
            in_b = _count_keys(hb, &mask_b)
            if not a_unique:
                in_a = _count_keys(ha, &mask_a)
            if in_b != NULL and (a_unique or in_a != NULL):
                for t in range(n_a):
                    if not a_unique and _occurrences(in_a, mask_a, ha[t], &pos) != 1:
                        continue
                    if _occurrences(in_b, mask_b, ha[t], &pos) != 1:
                        continue
                    xa_v[m] = pa[t] + a0
                    xb_v[m] = pos + b0
                    m += 1
        if in_b == NULL or (not a_unique and in_a == NULL):
            raise MemoryError()
    finally:
        free(in_a)
        free(in_b)
    return _patience_chain(xa_all, xb_all, m)


cdef inline uint64_t _mix64(uint64_t x) noexcept nogil:
    """tasks.dedupe._mix64 (splitmix64's finalizer) of one value."""
    x ^= x >> 30
    x *= <uint64_t>0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= <uint64_t>0x94D049BB133111EBULL
    x ^= x >> 31
    return x


def anchor_table(const uint64_t[::1] hu):
    """An open-addressing table of a text's unique k-gram hashes `hu` (distinct, in text order) for
    `anchor_chain_of`: slot s holds [key, index in hu + 1] at 2s and 2s + 1 (0: empty), at least
    twice as many slots as keys. Built once per base text (repair's `anchor_index`), probed by every
    copy aligned to it: `anchor_chain` built a table of each copy's k-grams per pair instead."""
    cdef Py_ssize_t n = hu.shape[0]
    cdef Py_ssize_t size = 16
    cdef Py_ssize_t i, s
    cdef uint64_t k
    while size < 2 * n:
        size <<= 1
    table = np.zeros(2 * size, dtype=np.uint64)
    cdef uint64_t[::1] tv = table
    with nogil:
        for i in range(n):
            k = hu[i]
            s = <Py_ssize_t>((k ^ (k >> 29)) & <uint64_t>(size - 1))
            while tv[2 * s + 1]:
                s = (s + 1) & (size - 1)
            tv[2 * s] = k
            tv[2 * s + 1] = <uint64_t>(i + 1)
    return table


def anchor_chain_of(
    const uint64_t[::1] table,
    const int64_t[::1] pa,
    int64_t a0,
    const uint32_t[::1] cb,
    Py_ssize_t b0,
    Py_ssize_t b1,
    Py_ssize_t k,
):
    """`anchor_chain(hu, pa, a0, shingle_hashes(b[b0:b1]), b0, True)` with a's unique hashes given
    as their `anchor_table` and b as its code points `cb`: each k-gram of b[b0:b1] is hashed here
    (tasks.dedupe.shingle_hashes: Horner with 0x100000001B3, then _mix64; the same integers) and
    looked up in a's table, counting per key of a how often b holds it. The same pairs (keys once in
    a and once in b, in a's order) and the same patience chain. Needs b1 - b0 >= k >= 1."""
    cdef Py_ssize_t n_u = pa.shape[0]
    cdef Py_ssize_t mask = (table.shape[0] >> 1) - 1
    cdef Py_ssize_t j, i, s, t, m = 0
    cdef uint64_t h, u
    if k < 1 or b0 < 0 or b1 > cb.shape[0] or b1 - b0 < k:
        raise ValueError("anchor_chain_of needs 0 <= b0, b1 - b0 >= k >= 1 and b1 within the text")
    if table.shape[0] < 32 or (table.shape[0] >> 1) & mask or (table.shape[0] >> 1) < n_u:
        raise ValueError("anchor_chain_of: not an anchor_table of these keys")
    seen = np.zeros(n_u, dtype=np.uint8)  # occurrences in b of each key of a: 0, 1, 2 = more
    at_b = np.empty(n_u, dtype=np.int64)
    xa_all = np.empty(n_u, dtype=np.int64)
    xb_all = np.empty(n_u, dtype=np.int64)
    cdef uint8_t[::1] seen_v = seen
    cdef int64_t[::1] at_v = at_b
    cdef int64_t[::1] xa_v = xa_all
    cdef int64_t[::1] xb_v = xb_all
    with nogil:
        if n_u:
            for j in range(b0, b1 - k + 1):
                h = 0
                for i in range(k):
                    h = h * <uint64_t>0x100000001B3ULL + cb[j + i]
                h = _mix64(h)
                s = <Py_ssize_t>((h ^ (h >> 29)) & <uint64_t>mask)
                while True:
                    u = table[2 * s + 1]
                    if u == 0:
                        break
                    if table[2 * s] == h:
                        t = <Py_ssize_t>(u - 1)
                        if seen_v[t] == 0:
                            at_v[t] = j
                            seen_v[t] = 1
                        else:
                            seen_v[t] = 2
                        break
                    s = (s + 1) & mask
            for t in range(n_u):
                if seen_v[t] == 1:
                    xa_v[m] = pa[t] + a0
                    xb_v[m] = at_v[t]
                    m += 1
    return _patience_chain(xa_all, xb_all, m)


def winnow(const uint64_t[::1] h, Py_ssize_t window):
    """Positions of the rightmost minimum of every `window` consecutive hashes, distinct, in order
    (tasks.reuse._winnow_positions): one pass with a deque of positions whose hashes increase, O(n),
    where the numpy version reads every window whole (n x window reads through a strided view:
    ~30 % of the members step, session 24). Consecutive windows' rightmost minima never move left,
    so distinct is: not the one just written. Needs len(h) > window >= 1."""
    cdef Py_ssize_t n = h.shape[0]
    if window < 1 or n <= window:
        raise ValueError("winnow needs more hashes than the window, and a window of at least 1")
    out = np.empty(n - window + 1, dtype=np.int64)
    cdef int64_t[::1] out_v = out
    cdef int64_t* dq = <int64_t*> malloc(n * sizeof(int64_t))  # positions, hashes strictly increasing
    cdef Py_ssize_t head = 0, tail = 0, j, m = 0
    cdef int64_t last = -1, p
    if dq == NULL:
        raise MemoryError()
    with nogil:
        for j in range(n):
            while tail > head and h[dq[tail - 1]] >= h[j]:  # >=: an equal hash to the right wins
                tail -= 1
            dq[tail] = j
            tail += 1
            if j + 1 >= window:
                while dq[head] <= j - window:
                    head += 1
                p = dq[head]
                if p != last:
                    out_v[m] = p
                    m += 1
                    last = p
    free(dq)
    return out[:m].copy()


def anchor_pair_counts(
    const int64_t[::1] by_doc,
    const int64_t[::1] row_end,
    const int64_t[::1] gid,
    Py_ssize_t pos,
    int64_t n,
    uint64_t[::1] out_code,
    int32_t[::1] out_count,
):
    """Per pair of documents a < b sharing rare anchors of one partition: the pair code (a << 32 | b)
    and how many of the partition's anchors both hold. Rows are (anchor, document) sorted by anchor
    then document, distinct: row r's document is gid[r], the rows after it up to row_end[r] are the
    anchor's later holders. by_doc lists the rows to count, grouped by document in increasing order.
    Each document a's later holders are counted in a dense per-document array (n counters: in cache),
    then written out in the order first met. Starts at by_doc[pos] (a document's first row) and stops
    before the document whose pairs would overflow out_code; returns (next pos, pairs written): the pairs
    come out each once, in order of a (b unordered: the counting step sorts them; sorting each
    document's b here cost a third of the call), where the numpy path made every pair once per shared
    anchor, then sorted them all."""
    cdef Py_ssize_t rows = by_doc.shape[0]
    cdef Py_ssize_t cap = out_code.shape[0]
    cdef Py_ssize_t i = pos
    cdef Py_ssize_t j, t, q
    cdef Py_ssize_t written = 0
    cdef int64_t a, b, r, r2
    if out_count.shape[0] < cap:
        raise ValueError("anchor_pair_counts: out_count is shorter than out_code")
    cdef int32_t* count = <int32_t*> calloc(n if n > 0 else 1, sizeof(int32_t))
    cdef int64_t* touched = <int64_t*> malloc((n if n > 0 else 1) * sizeof(int64_t))
    if count == NULL or touched == NULL:
        free(count)
        free(touched)
        raise MemoryError()
    with nogil:
        while i < rows:
            a = gid[by_doc[i]]
            j = i
            t = 0
            while j < rows and gid[by_doc[j]] == a:
                r = by_doc[j]
                for r2 in range(r + 1, row_end[r]):
                    b = gid[r2]
                    if count[b] == 0:
                        touched[t] = b
                        t += 1
                    count[b] += 1
                j += 1
            if written + t > cap:
                for q in range(t):
                    count[touched[q]] = 0
                break
            for q in range(t):
                b = touched[q]
                out_code[written] = (<uint64_t>a << 32) | <uint64_t>b
                out_count[written] = count[b]
                count[b] = 0
                written += 1
            i = j
    free(count)
    free(touched)
    return i, written


cdef int _by_int64(const void* x, const void* y) noexcept nogil:
    cdef int64_t u = (<const int64_t*>x)[0]
    cdef int64_t v = (<const int64_t*>y)[0]
    return (u > v) - (u < v)


def anchor_count_sums(
    const uint64_t[::1] codes,
    const int32_t[::1] counts,
    int64_t lo,
    int64_t hi,
    const int64_t[::1] per_doc,
    int64_t min_shared,
    double min_share,
):
    """The anchor candidates of the pairs whose first document is in [lo, hi): each pair's counts summed
    (codes a << 32 | b, in any order, a pair repeated once per anchor partition), kept when the sum
    reaches max(min_shared, min_share * min(per_doc[a], per_doc[b])) (compared in doubles, as numpy
    did). Returns (codes, sums) sorted by code: the entries bucketed by a, each a's b summed in a dense
    array, only the kept b of an a sorted — where sorting every entry cost the counting step its time."""
    cdef Py_ssize_t n_in = codes.shape[0]
    cdef int64_t span = hi - lo
    cdef int64_t n = per_doc.shape[0]
    cdef Py_ssize_t e, q, t, kept, written
    cdef int64_t a, b, s, mn
    cdef double need
    cdef uint64_t low = 0xFFFFFFFF
    if counts.shape[0] != n_in:
        raise ValueError("anchor_count_sums: codes and counts must have the same length")
    out_code = np.empty(n_in, dtype=np.uint64)
    out_sum = np.empty(n_in, dtype=np.int32)
    cdef uint64_t[::1] oc = out_code
    cdef int32_t[::1] osum = out_sum
    if n_in == 0 or span <= 0:
        return out_code[:0], out_sum[:0]
    cdef int64_t* start = <int64_t*> calloc(span + 1, sizeof(int64_t))
    cdef int64_t* fill = <int64_t*> malloc((span + 1) * sizeof(int64_t))
    cdef int64_t* order = <int64_t*> malloc(n_in * sizeof(int64_t))
    cdef int64_t* acc = <int64_t*> calloc(n if n > 0 else 1, sizeof(int64_t))
    cdef int64_t* touched = <int64_t*> malloc((n if n > 0 else 1) * sizeof(int64_t))
    if start == NULL or fill == NULL or order == NULL or acc == NULL or touched == NULL:
        free(start)
        free(fill)
        free(order)
        free(acc)
        free(touched)
        raise MemoryError()
    cdef bint outside = False
    with nogil:
        for e in range(n_in):
            a = <int64_t>(codes[e] >> 32) - lo
            if a < 0 or a >= span or <int64_t>(codes[e] & low) >= n:
                outside = True
                break
            start[a + 1] += 1
    if outside:
        free(start)
        free(fill)
        free(order)
        free(acc)
        free(touched)
        raise ValueError("anchor_count_sums: a code's first document is outside [lo, hi) or its second past per_doc")
    with nogil:
        for a in range(span):
            start[a + 1] += start[a]
        for a in range(span + 1):
            fill[a] = start[a]
        for e in range(n_in):
            a = <int64_t>(codes[e] >> 32) - lo
            order[fill[a]] = e
            fill[a] += 1
        written = 0
        for a in range(span):
            t = 0
            for q in range(start[a], start[a + 1]):
                e = order[q]
                b = <int64_t>(codes[e] & low)
                if acc[b] == 0:
                    touched[t] = b
                    t += 1
                acc[b] += counts[e]
            kept = 0
            for q in range(t):
                b = touched[q]
                s = acc[b]
                acc[b] = 0
                mn = per_doc[a + lo] if per_doc[a + lo] < per_doc[b] else per_doc[b]
                need = min_share * <double>mn
                if need < <double>min_shared:
                    need = <double>min_shared
                if <double>s >= need:
                    touched[kept] = (b << 32) | s  # b and its sum in one key: sorted by b
                    kept += 1
            qsort(touched, kept, sizeof(int64_t), _by_int64)
            for q in range(kept):
                oc[written] = (<uint64_t>(a + lo) << 32) | <uint64_t>(touched[q] >> 32)
                osum[written] = <int32_t>(touched[q] & <int64_t>low)
                written += 1
    free(start)
    free(fill)
    free(order)
    free(acc)
    free(touched)
    return out_code[:written], out_sum[:written]

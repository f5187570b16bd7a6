# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled text scans of the extract and annotate steps (built at install by setup.py).

A module of its own, not part of tasks._kernels: a stage's code version hashes the .pyx sources it
imports, so an edit of a dedupe kernel would otherwise re-run extraction of the whole corpus.
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t


def gram_starts(
    const uint32_t[::1] points,
    const uint8_t[::1] kinds,
    int bit,
    int checked,
    int width,
    const uint8_t[::1] maybe,
    int hash_bits,
    const uint64_t[::1] codes,
):
    """Positions i, in order, where the `width` code points from points[i] pack (21 bits each) into
    one of the sorted `codes`: tasks.extract_regions._gram_starts' numpy passes in two compiled reads.
    A position is a candidate if kinds[points[i + k]] has bit << k for every k < checked (a code point
    past the table reads its last entry, which is 0); candidates are kept without a branch (which
    way the test goes is a coin toss on Chinese text: a branch per position was mispredicted most of
    the time), then looked up: in `maybe` at the gram's Fibonacci hash (top hash_bits bits of
    gram * 2^64 / golden ratio; `maybe` holds one bit per hash, bit h & 7 of byte h >> 3), then by binary search in
    codes. A bit, not a byte, per hash: the townships' filter is 128 KB, which stays in a core's L2 cache (a
    quarter of a text's positions read it), where the byte filter's 1 MB did not."""
    cdef Py_ssize_t n = points.shape[0] - width + 1
    cdef Py_ssize_t tl = kinds.shape[0]
    cdef Py_ssize_t nc = codes.shape[0]
    cdef Py_ssize_t i, j, lo, hi, mid, cand = 0, found = 0
    cdef int k
    cdef uint32_t c, top
    cdef uint64_t g
    cdef uint64_t golden = 0x9E3779B97F4A7C15ULL
    cdef int shift = 64 - hash_bits
    cdef unsigned int v
    cdef uint64_t h
    if maybe.shape[0] < (<Py_ssize_t>1 << hash_bits) >> 3:
        raise ValueError("maybe holds fewer than 2^hash_bits bits")
    if n <= 0 or nc == 0 or tl == 0 or checked < 1 or checked > width:
        return np.empty(0, dtype=np.int64)
    top = <uint32_t>(tl - 1)
    cdef int64_t[::1] out = np.empty(n, dtype=np.int64)
    with nogil:
        for i in range(n):
            v = bit
            for k in range(checked):
                c = points[i + k]
                v &= kinds[c if c < top else top] >> k
            out[cand] = i
            cand += v != 0
        for j in range(cand):
            i = out[j]
            g = points[i]
            for k in range(1, width):
                g = (g << 21) | points[i + k]
            h = (g * golden) >> shift
            if not (maybe[h >> 3] >> (h & 7)) & 1:
                continue
            lo = 0
            hi = nc
            while lo < hi:
                mid = (lo + hi) >> 1
                if codes[mid] < g:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < nc and codes[lo] == g:
                out[found] = i
                found += 1
    return np.asarray(out[:found]).copy()

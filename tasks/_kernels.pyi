import numpy as np

def marked_sums(
    start: np.ndarray,
    code: np.ndarray,
    w: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    width: int,
    out_w: np.ndarray,
    out_n: np.ndarray,
) -> None: ...
def marked_weights(
    start: np.ndarray,
    rank: np.ndarray,
    wrank: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    out_w: np.ndarray,
    out_n: np.ndarray,
) -> None: ...
def merged_sums(
    vals: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    w: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    out_w: np.ndarray,
    out_n: np.ndarray,
) -> None: ...
def radix_order(keys: np.ndarray) -> np.ndarray: ...
def radix_sort(keys: np.ndarray) -> np.ndarray: ...
def pair_deltas(code: np.ndarray, wrank: np.ndarray, a: np.ndarray, b: np.ndarray, acc: np.ndarray) -> None: ...
def anchor_runs(
    a: np.ndarray, b: np.ndarray, xs: np.ndarray, ys: np.ndarray, a0: int, a1: int, b0: int, b1: int, k_len: int
) -> np.ndarray: ...
def matching_blocks(a: np.ndarray, b: np.ndarray, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int]]: ...
def anchor_chain(
    ha: np.ndarray, pa: np.ndarray, a0: int, hb: np.ndarray, b0: int, a_unique: bool
) -> tuple[np.ndarray, np.ndarray]: ...
def anchor_table(hu: np.ndarray) -> np.ndarray: ...
def anchor_chain_of(
    table: np.ndarray, pa: np.ndarray, a0: int, cb: np.ndarray, b0: int, b1: int, k: int
) -> tuple[np.ndarray, np.ndarray]: ...
def winnow(h: np.ndarray, window: int) -> np.ndarray: ...
def anchor_pair_counts(
    by_doc: np.ndarray,
    row_end: np.ndarray,
    gid: np.ndarray,
    pos: int,
    n: int,
    out_code: np.ndarray,
    out_count: np.ndarray,
) -> tuple[int, int]: ...
def anchor_count_sums(
    codes: np.ndarray,
    counts: np.ndarray,
    lo: int,
    hi: int,
    per_doc: np.ndarray,
    min_shared: int,
    min_share: float,
) -> tuple[np.ndarray, np.ndarray]: ...

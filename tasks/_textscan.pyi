import numpy as np

def gram_starts(
    points: np.ndarray,
    kinds: np.ndarray,
    bit: int,
    checked: int,
    width: int,
    maybe: np.ndarray,
    hash_bits: int,
    codes: np.ndarray,
) -> np.ndarray: ...

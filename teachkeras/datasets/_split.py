"""One train/test split shared by boston_housing, digits and iris: shuffle, then cut.

Keras shuffles with NumPy's legacy `RandomState(seed)`; we use the very same call so
that `seed=113` picks the same test samples here as in Keras. (This is the one place
where randomness does not come from `teachkeras.backend.random`: matching Keras's
split beats using our generator, and a fixed seed makes it repeatable all the same.)
"""

from __future__ import annotations

import numpy as np


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 "
            "(exclusive of 1): the fraction of samples kept aside for testing, e.g. 0.2."
        )


def shuffled_indices(n: int, seed: int) -> np.ndarray:
    """`0..n-1` in the order Keras's `RandomState(seed).shuffle` puts them."""
    indices = np.arange(n)
    np.random.RandomState(seed).shuffle(indices)
    return indices


def shuffle_and_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int):
    """Shuffle `(x, y)` together, then the first `1 - test_split` is train, the rest test.

    Formula: n_train = int(n * (1 - test_split))   (e.g. 506 houses -> 404 train, 102 test)

    Returns:
        `(x_train, y_train), (x_test, y_test)`, fresh arrays (not views of `x`, `y`).
    """
    check_test_split(test_split)
    order = shuffled_indices(len(x), seed)
    x, y = x[order], y[order]
    n_train = int(len(x) * (1 - test_split))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])

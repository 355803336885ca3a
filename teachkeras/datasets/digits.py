"""8×8 handwritten digits (UCI "optdigits"), shipped inside teachkeras: no network needed.

1,797 images of the digits 0-9, each 8×8 pixels with values 0..16: the count of ink
pixels in a 4×4 block of a 32×32 scan. A small MNIST that trains in seconds, which
is why the notebooks use it. Source and licence (CC BY 4.0): `data/README.md`.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ._split import shuffle_and_split

FILE = "digits.npz"


def _read_shipped(name: str) -> dict[str, np.ndarray]:
    """Read an `.npz` file shipped in `teachkeras/datasets/data/` (no pickle, no network)."""
    with (resources.files(__package__) / "data" / name).open("rb") as f:
        with np.load(f, allow_pickle=False) as arrays:
            return {key: arrays[key] for key in arrays.files}


def load_data(test_split: float = 0.2, seed: int = 113):
    """Loads the 8×8 digits, split like `boston_housing`: a seeded shuffle, then a cut.

    Args:
        test_split: fraction kept as the test set, in `[0, 1)`.
        seed: seed of the shuffle (Keras's `RandomState(seed)`), fixed so every run
            gets the same split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x uint8 images `(n, 8, 8)` with values
        **0..16** (scale with `x / 16`, not `/ 255`); y int64 labels 0..9.
        By default n = 1437 for training and 360 for testing.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = digits.load_data()
        >>> x_train.shape, y_train.shape, x_test.shape
        ((1437, 8, 8), (1437,), (360, 8, 8))
    """
    arrays = _read_shipped(FILE)
    return shuffle_and_split(arrays["images"], arrays["labels"], test_split, seed)

"""Boston house prices (1970s): 13 features -> median value in k$: `keras.datasets.boston_housing`.

506 samples, split 404/102 by a seeded shuffle. Downloaded once (`boston_housing.npz`)
into `~/.keras/datasets/`.

**Warning** (as in Keras): the data has an ethical problem. Its authors included a
variable, "B", that may appear to assume that racial self-segregation influences house
prices. Prefer another regression set unless the lesson is about exactly such issues.
"""

from __future__ import annotations

import numpy as np

from ._download import get_file
from ._split import check_test_split, shuffle_and_split

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"  # sha256


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113):
    """Loads the Boston Housing dataset.

    Args:
        path: file name in the cache (`~/.keras/datasets/`).
        test_split: fraction of the data kept as the test set, in `[0, 1)`.
        seed: seed of the shuffle made before the split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x float64 `(n, 13)`, y float64 `(n,)`
        prices in k$ (typically 10 to 50); n = 404 train and 102 test by default.
    """
    check_test_split(test_split)  # before any download, as Keras does
    path = get_file(path, origin=ORIGIN_FOLDER + "boston_housing.npz", file_hash=FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffle_and_split(x, y, test_split, seed)

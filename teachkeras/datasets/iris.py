"""Fisher's iris flowers (1936), shipped inside teachkeras: no network needed.

150 flowers, 50 of each of three species, measured four times in centimetres. One
species (setosa) is separable from the others by a straight line; versicolor and
virginica overlap a little: a first classifier sees both cases. Source and licence
(CC BY 4.0): `data/README.md`.
"""

from __future__ import annotations

from ._split import shuffle_and_split
from .digits import _read_shipped

FILE = "iris.npz"
CLASS_NAMES = ("setosa", "versicolor", "virginica")
FEATURE_NAMES = (
    "sepal length (cm)",
    "sepal width (cm)",
    "petal length (cm)",
    "petal width (cm)",
)


def load_data(test_split: float = 0.2, seed: int = 113):
    """Loads iris, split like `boston_housing`: a seeded shuffle, then a cut.

    Args:
        test_split, seed: as in `digits.load_data` (the fraction kept as the test set, and
            the seed of the shuffle, fixed so every run gets the same split).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x float32 `(n, 4)` measurements in cm
        (columns as in `FEATURE_NAMES`); y int64 species 0..2 (`CLASS_NAMES[y]`).
        By default n = 120 for training and 30 for testing.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = iris.load_data()
        >>> x_train.shape, x_test.shape
        ((120, 4), (30, 4))
    """
    arrays = _read_shipped(FILE)
    return shuffle_and_split(arrays["features"], arrays["labels"], test_split, seed)

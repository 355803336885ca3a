"""`to_categorical` and `normalize`: the two array helpers every tutorial uses."""

from __future__ import annotations

import numpy as np


def to_categorical(x, num_classes: int | None = None) -> np.ndarray:
    """Class indices -> one-hot rows: `to_categorical([0, 2], 3)` is `[[1,0,0],[0,0,1]]`.

    A trailing axis of size 1 is dropped first, so labels of shape (n, 1) give (n, num_classes).
    The result is float32, as in Keras.
    """
    x = np.asarray(x)
    if x.size and not np.all(np.equal(np.mod(x, 1), 0)):
        raise ValueError(
            f"to_categorical expects integer class indices; got values like {x.ravel()[:5]}."
        )
    x = x.astype("int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if x.size and x.min() < 0:
        raise ValueError(f"to_categorical expects class indices >= 0; got {x.min()}.")
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and x.max() >= num_classes:
        raise ValueError(
            f"to_categorical: class index {int(x.max())} does not fit num_classes={num_classes} "
            f"(indices must be < num_classes)."
        )
    return np.eye(num_classes, dtype="float32")[x]


def normalize(x, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scale each vector along `axis` to unit `order`-norm (zero vectors stay zero)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)

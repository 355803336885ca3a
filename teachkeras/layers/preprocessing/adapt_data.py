"""What `adapt(data)` accepts, for every preprocessing layer that learns from data.

    an array or tensor         one batch: the whole data at once
    a PyDataset, a dataset from `keras.utils.image_dataset_from_directory` & co, a
    generator or a list of arrays
                               batches, one after another; a batch `(x, y)` counts as its x

`batches(data, steps)` turns each of these into the same thing: an iterator of NumPy
arrays. Layers cannot import `keras.utils` (it sits above them), so a dataset is
recognised by what it does (it iterates), not by its class.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...backend.tensor import Tensor, as_array


def is_one_batch(data) -> bool:
    """An array or tensor (the whole data), rather than an iterable of batches."""
    return isinstance(data, np.ndarray | Tensor)


def batches(data, steps: int | None = None, what: str = "adapt") -> Iterator[np.ndarray]:
    """The batches of `data` as NumPy arrays (at most `steps` of them); `(x, y)` gives x."""
    if is_one_batch(data):
        yield np.asarray(as_array(data))
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(
            f"{what}() takes an array, a tensor, a dataset (such as "
            "keras.utils.image_dataset_from_directory's), a PyDataset, or an iterable of "
            f"batches. Received: {type(data).__name__}"
        )
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        if isinstance(batch, tuple):  # (x, y) or (x, y, sample_weight)
            batch = batch[0]
        yield np.asarray(as_array(batch) if isinstance(batch, Tensor) else batch)

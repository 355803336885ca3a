"""From what the user passes to `fit` (arrays, lists, dicts) to batches of NumPy arrays.

Every check of the data happens here, before any training, so that a learner's
mistake (x and y of different lengths, an empty array, a NaN) is reported in plain
words instead of failing deep inside a matrix product.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..backend import config
from ..backend.random import global_generator
from ..backend.tensor import Tensor, as_array


@dataclass
class ArrayData:
    """Inputs, targets and sample weights as lists of arrays with the same first axis."""

    x: list[np.ndarray]
    y: list[np.ndarray] | None = None
    sample_weight: np.ndarray | None = None

    @property
    def num_samples(self) -> int:
        return len(self.x[0])

    def take(self, index) -> ArrayData:
        return ArrayData(
            [a[index] for a in self.x],
            None if self.y is None else [a[index] for a in self.y],
            None if self.sample_weight is None else self.sample_weight[index],
        )

    def batches(
        self, batch_size: int, shuffle: bool = False, steps: int | None = None
    ) -> Iterator[ArrayData]:
        """Consecutive batches (the last one may be smaller), in a new random order if `shuffle`."""
        n = self.num_samples
        order = global_generator().permutation(n) if shuffle else None
        num_batches = math.ceil(n / batch_size)
        if steps is not None:
            if steps > num_batches:
                warnings.warn(
                    f"Your input ran out of data: steps={steps} but {n} samples in batches of "
                    f"{batch_size} give only {num_batches} batches; training stops there.",
                    stacklevel=4,
                )
            num_batches = min(num_batches, steps)
        for b in range(num_batches):
            index = slice(b * batch_size, (b + 1) * batch_size)
            yield self.take(order[index] if order is not None else index)


def to_arrays(data, what: str, model=None) -> list[np.ndarray] | None:
    """One array or a list/dict of them -> a list of arrays (floats become floatx)."""
    if data is None:
        return None
    if isinstance(data, dict):
        names = _names_for(model, what)
        if names and all(n in data for n in names):
            data = [data[n] for n in names]
        else:
            data = list(data.values())
    items = data if isinstance(data, list | tuple) and _is_list_of_arrays(data) else [data]
    arrays = []
    for item in items:
        array = np.asarray(as_array(item))
        if array.dtype == object:
            raise ValueError(
                f"Could not turn {what} into a numeric array (got ragged or mixed data)."
            )
        if np.issubdtype(array.dtype, np.floating) and array.dtype != np.dtype(config.floatx()):
            array = array.astype(config.floatx())
        if array.ndim == 0:
            raise ValueError(f"{what} must have a batch axis; got a single number {array}.")
        arrays.append(array)
    return arrays


def _is_list_of_arrays(data) -> bool:
    """`[x1, x2]` (several inputs, each an array) as opposed to `[1, 2, 3]` (one input as a list)."""
    return len(data) > 0 and all(isinstance(d, np.ndarray | Tensor) for d in data)


def _names_for(model, what: str) -> list[str]:
    if model is None:
        return []
    return list(getattr(model, "input_names" if what == "x" else "output_names", []) or [])


def prepare(x, y=None, sample_weight=None, class_weight=None, model=None) -> ArrayData:
    """Check and package the data given to fit/evaluate/predict."""
    if x is None:
        raise ValueError("No data was given: pass x (and y) to fit/evaluate/predict.")
    xs = to_arrays(x, "x", model)
    ys = to_arrays(y, "y", model)
    sw = (
        None
        if sample_weight is None
        else np.asarray(as_array(sample_weight), dtype=config.floatx())
    )
    _check_lengths(xs, ys, sw)
    _warn_non_finite(xs, "x")
    if ys is not None:
        _warn_non_finite(ys, "y")
    if class_weight is not None:
        sw = _class_weight_to_sample_weight(class_weight, ys, sw)
    return ArrayData(xs, ys, sw)


def _check_lengths(xs, ys, sw) -> None:
    sizes = {"x": [len(a) for a in xs]}
    if ys is not None:
        sizes["y"] = [len(a) for a in ys]
    if sw is not None:
        sizes["sample_weight"] = [len(sw)]
    every = {n for group in sizes.values() for n in group}
    if len(every) > 1:
        listing = ", ".join(f"{k} sizes: {', '.join(map(str, v))}" for k, v in sizes.items())
        raise ValueError(
            f"Data cardinality is ambiguous: {listing}. Make sure all arrays contain the same "
            "number of samples (the first axis is the sample axis)."
        )
    if every == {0}:
        raise ValueError("The data is empty (0 samples): check how x and y were built or filtered.")


def _warn_non_finite(arrays: list[np.ndarray], what: str) -> None:
    for i, a in enumerate(arrays):
        if np.issubdtype(a.dtype, np.floating):
            nan, inf = _count_non_finite(a)
            if nan or inf:
                where = what if len(arrays) == 1 else f"{what}[{i}]"
                warnings.warn(
                    f"{where} contains {nan} NaN and {inf} infinite values out of {a.size}; the loss "
                    "will become NaN. Clean or impute them (e.g. np.nan_to_num) before training.",
                    stacklevel=4,
                )


def _count_non_finite(a: np.ndarray) -> tuple[int, int]:
    """How many NaN and how many ±inf values `a` holds.

    One quick pass answers for clean data (the usual case, and `fit` checks every call):
    a NaN or an infinity makes the sum non-finite. A sum can also overflow with finite
    values only; the exact count, which reads the data twice more, then finds none.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # this check warns in its own words
        if np.isfinite(a.sum()):
            return 0, 0
    return int(np.isnan(a).sum()), int(np.isinf(a).sum())


def _class_weight_to_sample_weight(class_weight: dict, ys, sw):
    if ys is None or len(ys) != 1:
        raise ValueError(
            "`class_weight` is only supported for models with a single output and given y."
        )
    y = ys[0]
    labels = (
        np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    )
    labels = np.round(labels).astype(np.int64)
    missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
    if missing:
        raise ValueError(
            f"class_weight has no entry for classes {missing}; it has {sorted(class_weight)}."
        )
    weights = np.array([class_weight[c] for c in labels], dtype=config.floatx())
    return weights if sw is None else sw * weights


def split_validation(data: ArrayData, validation_split: float) -> tuple[ArrayData, ArrayData]:
    """The last `validation_split` fraction (taken before any shuffling) is held out."""
    if not 0 <= validation_split < 1:
        raise ValueError(
            f"validation_split must be in [0, 1), got {validation_split}: it is the fraction of "
            "the training data held out for validation, e.g. 0.2."
        )
    n = data.num_samples
    split_at = math.floor(n * (1 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={validation_split} of {n} samples leaves "
            f"{split_at} for training and {n - split_at} for validation; both need at least one."
        )
    return data.take(slice(0, split_at)), data.take(slice(split_at, n))


def unpack_validation_data(validation_data):
    """(x_val, y_val) or (x_val, y_val, sample_weight_val)."""
    if not isinstance(validation_data, list | tuple) or len(validation_data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val); "
            f"got {type(validation_data).__name__} of length {len(validation_data) if hasattr(validation_data, '__len__') else '?'}."
        )
    x, y, *rest = validation_data
    return x, y, (rest[0] if rest else None)


def check_batch_size(batch_size) -> int:
    if batch_size is None:
        return 32
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    return int(batch_size)

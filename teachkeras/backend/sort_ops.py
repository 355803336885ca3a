"""Sorting and ranking: sort, argsort, top_k, in_top_k.

An order is a list of indices, and indices have no gradient. The sorted *values* do:
each one is an entry of x, moved. So `sort` and `top_k` are written as `argsort`
followed by `take_along_axis`, whose gradient (a `getitem`'s) sends each value's
gradient back to the place it came from:

    order  = argsort(x)                    # constant
    sorted = take_along_axis(x, order)     # ∂L/∂x[order[i]] = g[i]
"""

from __future__ import annotations

import numpy as np

from .array_ops import take_along_axis
from .tensor import Tensor, as_array


def argsort(x, axis: int = -1) -> Tensor:
    """The indices that sort `x` along `axis`, ascending, as int32 (ties keep their order)."""
    return Tensor(np.argsort(as_array(x), axis=axis, kind="stable").astype(np.int32))


def sort(x, axis: int = -1) -> Tensor:
    """`x` sorted ascending along `axis` (written as argsort + take_along_axis)."""
    return take_along_axis(x, argsort(x, axis), axis=axis)


def top_k(x, k: int, sorted: bool = True) -> tuple[Tensor, Tensor]:  # noqa: A002 (Keras's name)
    """The `k` largest values along the last axis, and their indices (int32).

    Largest first (ties: the lower index first, as TensorFlow); `sorted=False` is
    accepted and gives the same order. The values are differentiable, the indices not.

    Example:
        >>> values, indices = top_k([[1.0, 3.0, 2.0]], 2)    # [[3, 2]], [[1, 2]]
    """
    scores = as_array(x)
    if not 0 <= k <= scores.shape[-1]:
        raise ValueError(
            f"top_k: k={k} must be between 0 and the size of the last axis, {scores.shape[-1]} "
            f"(x has shape {scores.shape})."
        )
    # descending and stable: sort the negated scores (booleans and unsigned as signed ints)
    signed = scores if np.issubdtype(scores.dtype, np.floating) else scores.astype(np.int64)
    indices = Tensor(np.argsort(-signed, axis=-1, kind="stable")[..., :k].astype(np.int32))
    return take_along_axis(x, indices, axis=-1), indices


def in_top_k(targets, predictions, k: int) -> Tensor:
    """For each row, whether its target class is among the `k` highest predictions.

    Ties count in the target's favour (as Keras and TensorFlow): it is in the top k when
    fewer than k classes score strictly higher. Not differentiable: booleans, shape (batch,).

    Args:
        targets: class indices, shape (batch,).
        predictions: scores, shape (batch, classes).
    """
    scores = as_array(predictions)
    labels = as_array(targets).astype(np.int64).reshape(-1)
    if scores.ndim != 2 or len(labels) != len(scores):
        raise ValueError(
            "in_top_k expects predictions of shape (batch, classes) and one target per row; "
            f"got {scores.shape} and {as_array(targets).shape}."
        )
    target_scores = np.take_along_axis(scores, labels[:, None], axis=1)  # (batch, 1)
    higher = np.sum(scores > target_scores, axis=1)  # classes that beat the target
    return Tensor(higher < int(k))

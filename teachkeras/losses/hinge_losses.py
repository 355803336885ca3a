"""Hinge losses: the margin losses of support vector machines.

Labels are -1 or 1 and the prediction is a raw score; a sample costs nothing once
its score is on the right side with a margin of 1:

    hinge               mean(max(1 - t·p, 0))
    squared_hinge       mean(max(1 - t·p, 0)²)
    categorical_hinge   max(max_{c≠true} p_c - p_true + 1, 0)     (one-hot t)

Labels given as 0/1 are converted to -1/1 first (when every label is 0 or 1).
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend.tensor import Tensor, as_array
from .loss import FixedFunctionLoss
from .regression_losses import prepare_pair


def convert_binary_labels_to_hinge(y_true: Tensor) -> Tensor:
    """0/1 labels -> -1/1 labels; anything else is returned unchanged."""
    values = as_array(y_true)
    if np.all((values == 0) | (values == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred) -> Tensor:
    """Hinge loss for labels in {-1, 1} (or {0, 1}, converted).

    Formula: `loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)`
    Gradient: `dL/dy_pred = -y_true / d` where the margin is violated, else 0.
    """
    y_true, y_pred = prepare_pair("hinge", y_true, y_pred, line_up=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred) -> Tensor:
    """Squared hinge loss: violations cost quadratically.

    Formula: `loss = mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`
    Gradient: `dL/dy_pred = -2 y_true max(1 - y_true y_pred, 0) / d`.
    """
    y_true, y_pred = prepare_pair("squared_hinge", y_true, y_pred, line_up=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred) -> Tensor:
    """Multi-class hinge: the true class must beat the best wrong class by a margin of 1.

    Formula: `loss = maximum(neg - pos + 1, 0)`
    where `pos = sum(y_true * y_pred, axis=-1)` and `neg = max((1 - y_true) * y_pred, axis=-1)`.
    """
    y_true, y_pred = prepare_pair("categorical_hinge", y_true, y_pred, line_up=False)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


class Hinge(FixedFunctionLoss):
    """Hinge loss (`hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(FixedFunctionLoss):
    """Squared hinge loss (`squared_hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(FixedFunctionLoss):
    """Categorical hinge loss (`categorical_hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

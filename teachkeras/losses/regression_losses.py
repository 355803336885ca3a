"""Regression losses: how far is each prediction from its target value?

Each function returns one value per sample: the mean over the last axis (the
features of one sample). The class beside it wraps the function as a `Loss`, which
adds sample weights and the reduction over the batch.

    loss                              per value, with e = y_pred - y_true
    mean_squared_error                e²
    mean_absolute_error               |e|
    mean_absolute_percentage_error    100 |e| / max(|y_true|, ε)
    mean_squared_logarithmic_error    (ln(max(y_pred, ε) + 1) - ln(max(y_true, ε) + 1))²
    huber                             ½e² if |e| ≤ δ, else δ|e| - ½δ²
    log_cosh                          ln cosh(e)
    cosine_similarity                 -Σ ŷ_true ŷ_pred  (vectors scaled to length 1)
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor
from .loss import FixedFunctionLoss, Loss, squeeze_or_expand_to_same_rank


def prepare_pair(name: str, y_true, y_pred, line_up: bool = True) -> tuple[Tensor, Tensor]:
    """`y_pred` as a tensor, `y_true` cast to its float type, ranks lined up.

    Shapes that cannot be compared element by element raise a ValueError naming
    the loss and both shapes (instead of NumPy's broadcasting message).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype if _is_float(y_pred) else None)
    if line_up:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    try:
        np.broadcast_shapes(y_true.shape, y_pred.shape)
    except ValueError:
        raise ValueError(
            f"{name}: y_true and y_pred must have the same shape, got y_true.shape="
            f"{y_true.shape} and y_pred.shape={y_pred.shape}. Check that the last "
            "layer has one unit per target column."
        ) from None
    return y_true, y_pred


def _is_float(x: Tensor) -> bool:
    return np.issubdtype(x.dtype, np.floating)


# --- functions --------------------------------------------------------------------------
def mean_squared_error(y_true, y_pred) -> Tensor:
    """Mean of squared errors over the last axis.

    Formula: `loss = mean(square(y_true - y_pred), axis=-1)`
    Gradient: `dL/dy_pred = 2 (y_pred - y_true) / d` (d = size of the last axis).
    """
    y_true, y_pred = prepare_pair("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    """Mean of absolute errors over the last axis.

    Formula: `loss = mean(abs(y_true - y_pred), axis=-1)`
    Gradient: `dL/dy_pred = sign(y_pred - y_true) / d`.
    """
    y_true, y_pred = prepare_pair("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred) -> Tensor:
    """Absolute error as a percentage of the target (ε keeps a zero target finite).

    Formula: `loss = 100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`
    """
    y_true, y_pred = prepare_pair("mean_absolute_percentage_error", y_true, y_pred)
    diff = ops.abs(ops.divide(y_true - y_pred, ops.maximum(ops.abs(y_true), config.epsilon())))
    return 100.0 * ops.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred) -> Tensor:
    """Squared error between log(1 + value)s: relative errors count, not absolute ones.

    Formula: `loss = mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`
    (both values first raised to at least ε, so negative inputs cannot break the log).
    """
    y_true, y_pred = prepare_pair("mean_squared_logarithmic_error", y_true, y_pred)
    first_log = ops.log(ops.maximum(y_pred, config.epsilon()) + 1.0)
    second_log = ops.log(ops.maximum(y_true, config.epsilon()) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


def l2_normalize(x, axis: int = -1) -> Tensor:
    """$x / \\max(\\lVert x \\rVert, ε)$: scale to length 1 (a zero vector stays zero).

    Written as $x / \\sqrt{\\max(\\sum x^2, ε^2)}$, which equals Keras's
    `x * min(rsqrt(sum(x²)), 1/ε)` and never divides by zero.
    """
    x = ops.convert_to_tensor(x)
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(square_sum, config.epsilon() ** 2)))


def cosine_similarity(y_true, y_pred, axis: int = -1) -> Tensor:
    """Negative cosine of the angle between the two vectors: -1 when they point the same way.

    Formula: `loss = -sum(l2_norm(y_true) * l2_norm(y_pred), axis=axis)`
    (negative, so that minimising the loss makes the vectors more similar).
    """
    y_true, y_pred = prepare_pair("cosine_similarity", y_true, y_pred)
    return -ops.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta: float = 1.0) -> Tensor:
    """Squared error near zero, absolute error beyond `delta`: robust to outliers.

    Formula: `loss = mean(0.5 * x**2 if |x| <= delta else delta * |x| - 0.5 * delta**2, axis=-1)`
    with `x = y_pred - y_true`.  Gradient: `x` inside, `delta * sign(x)` outside (over d).
    """
    y_true, y_pred = prepare_pair("huber", y_true, y_pred)
    delta = np.asarray(delta, dtype=y_pred.dtype)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    return ops.mean(
        ops.where(
            ops.less_equal(abs_error, delta),
            0.5 * ops.square(error),
            delta * abs_error - 0.5 * delta * delta,
        ),
        axis=-1,
    )


def log_cosh(y_true, y_pred) -> Tensor:
    """Logarithm of the hyperbolic cosine of the error: like ½e² for small e, |e| - ln 2 for large.

    Formula: `loss = mean(log(cosh(y_pred - y_true)), axis=-1)`
    computed as `x + softplus(-2x) - log(2)`, which cannot overflow.
    Gradient: `tanh(y_pred - y_true) / d`.
    """
    y_true, y_pred = prepare_pair("log_cosh", y_true, y_pred)
    log2 = np.asarray(np.log(2.0), dtype=y_pred.dtype)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - log2, axis=-1)


# --- classes ----------------------------------------------------------------------------
class MeanSquaredError(FixedFunctionLoss):
    """Mean of squares of errors between labels and predictions (`mean_squared_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(FixedFunctionLoss):
    """Mean of absolute differences between labels and predictions (`mean_absolute_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(FixedFunctionLoss):
    """Mean absolute percentage error (`mean_absolute_percentage_error`)."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanSquaredLogarithmicError(FixedFunctionLoss):
    """Mean squared logarithmic error (`mean_squared_logarithmic_error`)."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


class CosineSimilarity(FixedFunctionLoss):
    """Negative cosine similarity along `axis` (`cosine_similarity`)."""

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)

    def get_config(self) -> dict:
        return Loss.get_config(self)  # Keras leaves `axis` out of this config


class Huber(FixedFunctionLoss):
    """Huber loss with threshold `delta` (`huber`).

    (Keras's config keeps only `name` and `reduction`, so `delta` is not saved.)
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)

    def get_config(self) -> dict:
        return Loss.get_config(self)  # Keras leaves `delta` out of this config


class LogCosh(FixedFunctionLoss):
    """Logarithm of the hyperbolic cosine of the prediction error (`log_cosh`)."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

"""Keras 2's `K` neural-network functions that Keras 3 dropped or changed, from primitives.

    K.relu(x, alpha=0.1, max_value=6.0)       leaky, capped ReLU in one call
    K.hard_sigmoid(x)                         Keras 2's formula (Keras 3 changed it)
    K.l2_normalize(x, axis=-1)                unit-length rows
    K.in_top_k(predictions, targets, k)       Keras 2's argument order (ops: targets first)
    K.bias_add(x, bias, data_format)          add one bias per channel
    K.batch_normalization(x, mean, var, beta, gamma)    Keras 2's argument order
    K.normalize_batch_in_training(x, gamma, beta, reduction_axes)
    K.pool2d(x, pool_size, strides=(1, 1), pool_mode='max'), K.max_pool2d, K.avg_pool1d, ...

Every differentiable one is written with backend ops, so its gradient is theirs.
"""

from __future__ import annotations

import numpy as np

from ...backend.array_ops import reshape
from ...backend.config import standardize_data_format
from ...backend.math_ops import (
    add,
    cast,
    clip,
    divide,
    greater,
    maximum,
    multiply,
    sqrt,
    square,
    subtract,
)
from ...backend.nn_ops import dropout as _dropout
from ...backend.nn_ops import leaky_relu
from ...backend.nn_ops import relu as _relu
from ...backend.normalization_ops import batch_normalization as _batch_normalization
from ...backend.normalization_ops import batch_normalization_train
from ...backend.pooling_ops import average_pool, max_pool
from ...backend.reduction_ops import sum
from ...backend.sort_ops import in_top_k as _in_top_k
from ...backend.tensor import Tensor, as_tensor
from ...backend.window_geometry import standardize_tuple


def relu(x, alpha: float = 0.0, max_value=None, threshold: float = 0.0) -> Tensor:
    """Rectified linear unit with Keras 2's options.

    Formula: $f(x) = \\min(x, m)$ for $x > \\theta$, else $\\alpha (x - \\theta)$
    (m = `max_value`, θ = `threshold`; plain $\\max(x, 0)$ by default).

    Args:
        alpha: slope below the threshold (a leaky ReLU).
        max_value: cap on the output (6 for ReLU6), or None.
        threshold: values at or below it are "off".
    """
    x = as_tensor(x)
    if max_value is None and threshold == 0:
        return _relu(x) if alpha == 0 else leaky_relu(x, negative_slope=alpha)
    # above the threshold x itself; the rest contributes α(x - θ) (it is ≤ 0 there)
    on = multiply(x, cast(greater(x, threshold), x.dtype)) if threshold != 0 else _relu(x)
    if max_value is not None:
        on = clip(on, 0.0, max_value)
    if alpha == 0:
        return on
    below = _relu(subtract(threshold, x))  # θ - x where x < θ, else 0
    return subtract(on, multiply(alpha, below))


def hard_sigmoid(x) -> Tensor:
    """Keras 2's piecewise-linear sigmoid: $f(x) = \\mathrm{clip}(0.2x + 0.5, 0, 1)$.

    (Keras 3's `keras.activations.hard_sigmoid` is a different line, $\\mathrm{relu6}(x + 3)/6$;
    `K` keeps Keras 2's.)  Gradient: $0.2g$ for $|x| < 2.5$, else 0.
    """
    x = as_tensor(x)
    return clip(add(multiply(x, 0.2), 0.5), 0.0, 1.0)


def l2_normalize(x, axis=None) -> Tensor:
    """Scale `x` to unit Euclidean length along `axis` (all axes when None).

    Formula: $y = x / \\sqrt{\\max(\\sum x^2, 10^{-12})}$ (TensorFlow's floor on the squared norm,
    so that a zero vector stays zero instead of dividing by zero).
    """
    x = as_tensor(x)
    squared = sum(square(x), axis=axis, keepdims=True)
    return divide(x, sqrt(maximum(squared, 1e-12)))


def in_top_k(predictions, targets, k: int) -> Tensor:
    """For each sample, whether its target class is among the `k` highest predictions.

    Keras 2's argument order; `ops.in_top_k(targets, predictions, k)` does the work.
    """
    return _in_top_k(targets, predictions, k)


def bias_add(x, bias, data_format=None) -> Tensor:
    """Add one bias per channel: $y = x + b$ along the channel axis of `data_format`.

    `bias` has shape `(channels,)`, or the shape of one sample (rank of x minus 1).
    """
    x, bias = as_tensor(x), as_tensor(bias)
    data_format = standardize_data_format(data_format)
    if bias.ndim not in (1, x.ndim - 1):
        raise ValueError(
            f"Unexpected bias dimensions {bias.ndim}: expected 1 (one value per channel) or "
            f"{x.ndim - 1} (the shape of one sample of x, {x.shape[1:]})."
        )
    if bias.ndim == 1:
        channels_first = data_format == "channels_first" and x.ndim > 2
        shape = (1, -1) + (1,) * (x.ndim - 2) if channels_first else (-1,)
        return add(x, reshape(bias, shape))
    if data_format == "channels_first" and x.ndim in (3, 4, 5):  # bias given channels-last
        shape = (1, bias.shape[-1], *bias.shape[:-1])
        return add(x, reshape(bias, shape))
    return add(x, reshape(bias, (1, *bias.shape)))


def batch_normalization(
    x, mean, var, beta=None, gamma=None, axis=-1, epsilon: float = 1e-3, *, offset=None, scale=None
) -> Tensor:
    """Normalise with given statistics: $y = \\gamma (x - \\mu)/\\sqrt{\\sigma^2 + \\epsilon} + \\beta$.

    Keras 2's argument order, `(x, mean, var, beta, gamma, axis, epsilon)`. Keras 3's
    `ops.batch_normalization(x, mean, variance, axis, offset=, scale=)` is accepted too:
    an int (or a list of ints) in the fourth place is read as its `axis`.
    """
    if _looks_like_axis(beta):  # Keras 3 order: (x, mean, variance, axis, offset, scale, epsilon)
        axis, beta, gamma = beta, gamma, (None if _looks_like_axis(axis) else axis)
    return _batch_normalization(
        x,
        mean,
        var,
        axis=axis,
        offset=beta if offset is None else offset,
        scale=gamma if scale is None else scale,
        epsilon=epsilon,
    )


def _looks_like_axis(value) -> bool:
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return True
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, int) for v in value)
    )


def dropout(x, level: float | None = None, noise_shape=None, seed=None, *, rate=None) -> Tensor:
    """Keras 2's `K.dropout(x, level)`: zero each value with probability `level`, scale the rest
    by $1 / (1 - level)$. Keras 3 calls the fraction `rate` (`keras.random.dropout(x, rate)`):
    `rate=` is accepted too."""
    if (level is None) == (rate is None):
        raise TypeError("K.dropout needs the fraction to drop: K.dropout(x, level) (or rate=).")
    return _dropout(x, level if rate is None else rate, noise_shape=noise_shape, seed=seed)


def normalize_batch_in_training(
    x, gamma, beta, reduction_axes, epsilon: float = 1e-3
) -> tuple[Tensor, Tensor, Tensor]:
    """Keras 2's `K.normalize_batch_in_training`: the engine's fused `batch_normalization_train`."""
    return batch_normalization_train(x, gamma, beta, axes=reduction_axes, epsilon=epsilon)


# --- pooling by rank, and Keras 2's K.pool2d ----------------------------------------------------
def max_pool1d(x, pool_size=2, strides=None, padding="valid", data_format=None) -> Tensor:
    """`max_pool` of a batch of sequences (batch, steps, channels)."""
    return _ranked(max_pool, 1, x, pool_size, strides, padding, data_format)


def max_pool2d(x, pool_size=(2, 2), strides=None, padding="valid", data_format=None) -> Tensor:
    """`max_pool` of a batch of images (batch, height, width, channels)."""
    return _ranked(max_pool, 2, x, pool_size, strides, padding, data_format)


def avg_pool1d(x, pool_size=2, strides=None, padding="valid", data_format=None) -> Tensor:
    """`average_pool` of a batch of sequences (batch, steps, channels)."""
    return _ranked(average_pool, 1, x, pool_size, strides, padding, data_format)


def avg_pool2d(x, pool_size=(2, 2), strides=None, padding="valid", data_format=None) -> Tensor:
    """`average_pool` of a batch of images (batch, height, width, channels)."""
    return _ranked(average_pool, 2, x, pool_size, strides, padding, data_format)


def pool2d(
    x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"
) -> Tensor:
    """Keras 2's `K.pool2d` (note its default strides=(1, 1), not pool_size)."""
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"pool_mode must be 'max' or 'avg'. Received: pool_mode={pool_mode!r}")
    op = max_pool if pool_mode == "max" else average_pool
    return _ranked(op, 2, x, pool_size, strides, padding, data_format)


def _ranked(op, rank: int, x, pool_size, strides, padding, data_format) -> Tensor:
    """`op` after checking that `x` has `rank` spatial axes (an error names the function)."""
    x = as_tensor(x)
    name = f"{'max' if op is max_pool else 'avg'}_pool{rank}d"
    if x.ndim != rank + 2:
        layout = ("steps",) if rank == 1 else ("height", "width")
        data_format = standardize_data_format(data_format)
        last = data_format == "channels_last"
        dims = ("batch", *layout, "channels") if last else ("batch", "channels", *layout)
        raise ValueError(
            f"{name} expects a {rank + 2}-D input {dims} ({data_format}), got shape {x.shape}."
        )
    return op(x, standardize_tuple(pool_size, rank, "pool_size"), strides, padding, data_format)

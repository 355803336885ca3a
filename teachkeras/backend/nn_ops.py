"""Neural-network ops: activations, softmax, dropout and the cross-entropies.

The activations here are primitives (one NumPy expression forward, one backward);
`teachkeras.activations` builds the rest (selu, swish, gelu, ...) from them.
The cross-entropies follow Keras 3's formulas exactly (its PyTorch backend):
probabilities are renormalised, clipped to [ε, 1 - ε], then logged.
"""

from __future__ import annotations

import numpy as np

from . import config
from .linalg_ops import norm
from .math_ops import (
    as_floating,
    clip,
    divide,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    rsqrt,
    square,
    subtract,
)
from .reduction_ops import sum
from .tensor import Tensor, as_array, as_tensor, record


def relu(x) -> Tensor:
    """$f(x) = \\max(x, 0)$.  VJP: $g$ where $x > 0$, else 0."""
    x = as_tensor(x)
    positive = x.data > 0
    out = np.maximum(x.data, 0)  # not np.where: a NaN must stay NaN, as in Keras
    return record(out, (x,), (lambda g: g * positive,))


def leaky_relu(x, negative_slope: float = 0.2) -> Tensor:
    """$f(x) = x$ if $x > 0$ else $\\alpha x$.  VJP: $g$ or $\\alpha g$."""
    x = as_tensor(x)
    slope = np.where(x.data > 0, 1, negative_slope).astype(x.dtype)
    return record(x.data * slope, (x,), (lambda g: g * slope,))


def elu(x, alpha: float = 1.0) -> Tensor:
    """$f(x) = x$ if $x > 0$ else $\\alpha(e^x - 1)$.  VJP: $g$ or $g\\,\\alpha e^x$."""
    x = as_tensor(x)
    xv = x.data
    positive = xv > 0
    expm1 = np.expm1(np.minimum(xv, 0))  # minimum: no overflow warnings for large x
    out = np.where(positive, xv, alpha * expm1).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * np.where(positive, 1, alpha * (expm1 + 1)),))


def sigmoid(x) -> Tensor:
    """$\\sigma(x) = 1 / (1 + e^{-x})$.  VJP: $g\\,\\sigma(x)(1 - \\sigma(x))$."""
    x = as_tensor(x)
    xv = x.data
    # Two branches so that e^{-x} never overflows: for x < 0 use e^x / (1 + e^x).
    z = np.exp(-np.abs(xv))
    out = np.where(xv >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * out * (1 - out),))


def softplus(x) -> Tensor:
    """$f(x) = \\ln(1 + e^x)$.  VJP: $g\\,\\sigma(x)$."""
    x = as_tensor(x)
    xv = x.data
    out = np.logaddexp(0, xv).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * np.exp(xv - out),))


def softmax(x, axis: int = -1) -> Tensor:
    """$s_i = e^{x_i} / \\sum_j e^{x_j}$.  VJP: $s \\odot (g - \\sum_j g_j s_j)$.

    The Jacobian is $\\mathrm{diag}(s) - s s^T$; multiplying it by $g$ gives the
    formula above without ever building the matrix.
    """
    x = as_tensor(x)
    e = np.exp(x.data - np.max(x.data, axis=axis, keepdims=True))
    s = e / np.sum(e, axis=axis, keepdims=True)
    return record(s, (x,), (lambda g: s * (g - np.sum(g * s, axis=axis, keepdims=True)),))


def log_softmax(x, axis: int = -1) -> Tensor:
    """$f_i = x_i - \\ln \\sum_j e^{x_j}$.  VJP: $g - \\mathrm{softmax}(x) \\sum_j g_j$."""
    x = as_tensor(x)
    shifted = x.data - np.max(x.data, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    s = np.exp(out)
    return record(out, (x,), (lambda g: g - s * np.sum(g, axis=axis, keepdims=True),))


def dropout(x, rate: float, noise_shape=None, seed=None) -> Tensor:
    """Zero each value with probability `rate`, scale the rest by $1 / (1 - rate)$.

    The scaling keeps the expected sum unchanged, so nothing needs rescaling at
    inference time (when dropout is simply off). VJP: $g$ times the same mask.
    """
    from .random import make_generator

    x = as_tensor(x)
    if not 0 <= rate < 1:
        raise ValueError(
            f"dropout rate must be in [0, 1): the fraction of values to zero. Received: rate={rate}"
        )
    if rate == 0:
        return x
    shape = x.shape if noise_shape is None else _resolve_noise_shape(noise_shape, x.shape)
    keep = make_generator(seed).random(shape) >= rate
    mask = (keep / (1 - rate)).astype(x.dtype)
    return record(x.data * mask, (x,), (lambda g: g * mask,))


def _resolve_noise_shape(noise_shape, shape) -> tuple[int, ...]:
    """`None` entries of a noise shape take the input's size (as in Keras)."""
    return tuple(s if n is None else int(n) for n, s in zip(noise_shape, shape, strict=True))


def normalize(x, axis: int | None = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """x divided by its norm along `axis`: unit vectors (as `keras.ops.normalize`).

    Formula: order 2: $x \\cdot \\min\\big(1 / \\sqrt{\\sum x^2},\\ 1/ε\\big)$ (Keras's form);
    other orders: $x / \\max(\\|x\\|_p, ε)$. ε defaults to `keras.config.epsilon()`.
    Written from primitives: no backward of its own (an all-zero vector gets a NaN
    gradient, as in Keras, from $1/\\sqrt{0}$).
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = as_floating(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        with np.errstate(divide="ignore"):  # 1/√0 = inf, then capped at 1/ε
            inverse_norm = rsqrt(sum(square(x), axis=axis, keepdims=True))
        return multiply(x, minimum(inverse_norm, 1.0 / epsilon))
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), epsilon))


# --- cross-entropies (Keras 3 formulas) ----------------------------------------------
def _clipped_probabilities(output: Tensor, axis: int) -> Tensor:
    """Renormalise along `axis`, then clip into [ε, 1 - ε] so the log stays finite."""
    eps = config.epsilon()
    output = divide(output, sum(output, axis=axis, keepdims=True))
    return clip(output, eps, 1.0 - eps)


def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1) -> Tensor:
    """$L = -\\sum_i t_i \\ln p_i$ over `axis`, with $p$ = softmax(output) for logits.

    Args:
        target: one-hot (or soft) labels, same shape as `output`.
        output: probabilities (or logits if `from_logits`).
    """
    target, output = as_tensor(target), as_tensor(output)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if from_logits:
        log_prob = log_softmax(output, axis=axis)
    else:
        log_prob = log(_clipped_probabilities(output, axis))
    return negative(sum(multiply(target, log_prob), axis=axis))


def sparse_categorical_crossentropy(
    target, output, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """$L = -\\ln p_{t}$: categorical cross-entropy with integer class labels $t$."""
    output = as_tensor(output)
    labels = as_array(target)
    if labels.ndim == output.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = output.shape[: axis % output.ndim] + output.shape[axis % output.ndim + 1 :]
    if labels.shape != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: target.shape={labels.shape}, output.shape={output.shape}"
        )
    num_classes = output.shape[axis]
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"Labels must be class indices in [0, {num_classes}), got values from "
            f"{labels.min()} to {labels.max()}."
        )
    one_hot = np.moveaxis(np.eye(num_classes, dtype=output.dtype)[labels], -1, axis)
    return categorical_crossentropy(one_hot, output, from_logits=from_logits, axis=axis)


def binary_crossentropy(target, output, from_logits: bool = False) -> Tensor:
    """$L = -[t \\ln p + (1 - t) \\ln(1 - p)]$ elementwise, $p$ clipped to [ε, 1 - ε].

    With logits $x$ it uses the stable form $\\max(x, 0) - x t + \\ln(1 + e^{-|x|})$.
    """
    target, output = as_tensor(target), as_tensor(output)
    if target.shape != output.shape:  # as Keras: broadcasting (n,) against (n, 1) is a bug
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if from_logits:
        return sigmoid_crossentropy_with_logits(target, output)
    eps = config.epsilon()
    p = clip(output, eps, 1.0 - eps)
    positive = multiply(target, log(p))
    negative_part = multiply(subtract(1.0, target), log(subtract(1.0, p)))
    return negative(positive + negative_part)


def sigmoid_crossentropy_with_logits(target, logits) -> Tensor:
    """$L = \\max(x, 0) - x t + \\ln(1 + e^{-|x|})$.  VJPs: $g(\\sigma(x) - t)$, $-g x$."""
    target, logits = as_tensor(target), as_tensor(logits)
    x, t = logits.data, target.data.astype(logits.dtype)
    out = (np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))).astype(logits.dtype)
    z = np.exp(-np.abs(x))
    sig = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return record(out, (target, logits), (lambda g: -g * x, lambda g: g * (sig - t)))

"""Neural-network ops: activations, softmax, dropout and the cross-entropies.

The activations here are primitives (one NumPy expression forward, one backward);
`teachkeras.activations` builds the rest (selu, swish, gelu, ...) from them.
The cross-entropies follow Keras 3's formulas exactly (its PyTorch backend):
probabilities are renormalised, clipped to [ε, 1 - ε], then logged.
"""

from __future__ import annotations

import numpy as np

from . import config
from .math_ops import clip, divide, log, multiply, negative, subtract
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

    Softmax does not change when a constant is subtracted from a row, so the textbook
    subtracts each row's maximum first: then e^x cannot overflow. Finding the maxima of
    many short rows is as slow in NumPy as the exponential itself, though, and for
    attention scores (a megabyte array per layer) it is worth skipping: along the last
    axis, e^x is computed first, and only the rows whose sum overflowed or vanished
    (scores beyond about ±69, or a row of masked scores) are redone with the shift.
    """
    x = as_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):  # integers have no gradient: a plain cast
        x = as_tensor(x.data.astype(config.floatx()))
    if isinstance(axis, list | tuple) and len(axis) == 1:  # Softmax(axis=(3,)), as in attention
        axis = axis[0]
    if x.ndim > 1 and axis in (-1, x.ndim - 1):  # rows of the last axis
        s = _softmax_last_axis(x.data)
    else:
        s = np.exp(x.data - np.max(x.data, axis=axis, keepdims=True))  # ≤ 0: no overflow
        s /= np.sum(s, axis=axis, keepdims=True)

    def vjp(g: np.ndarray) -> np.ndarray:
        dx = g - _sum_along(g, axis, times=s)  # g - Σ_j g_j s_j
        dx *= s
        return dx

    return record(s, (x,), (vjp,))


def _softmax_last_axis(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Softmax along the last axis, shifting by the row maximum only where it is needed
    (into `out`, when given)."""
    with np.errstate(over="ignore", under="ignore"):  # the rows where it happens are redone
        e = np.exp(x, out=out)
    sums = e @ np.ones(x.shape[-1], x.dtype)  # one matrix-vector product sums every row
    redo = ~((sums > 1e-30) & (sums < 1e30))  # overflowed, vanished (or NaN) rows: rare
    if np.any(redo):
        rows = x[redo]  # (rows to redo, n)
        e[redo] = np.exp(rows - rows.max(axis=-1, keepdims=True))
        sums[redo] = e[redo].sum(axis=-1)
    e /= sums[..., None]
    return e


def _sum_along(a: np.ndarray, axis, times: np.ndarray | None = None) -> np.ndarray:
    """Σ along `axis` of a·times, keeping the axis: for the last axis with one einsum,
    which NumPy computes faster than a product and a sum along short rows."""
    if axis not in (-1, a.ndim - 1):
        return np.sum(a * times, axis=axis, keepdims=True)
    return np.einsum("...i,...i->...", a, times)[..., None]


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

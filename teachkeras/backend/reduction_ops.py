"""Reductions (sum, mean, max, ...) with their vector-Jacobian products.

A reduction removes axes; its VJP puts them back (as length-1 axes) so that the
incoming gradient can broadcast over the elements that were reduced:

    sum    g copied to every element
    mean   g / n copied to every element
    max    g sent to the element(s) that were the maximum (shared on ties)
"""

from __future__ import annotations

import numpy as np

from .math_ops import divide, log, multiply, sqrt, square, subtract
from .tensor import Tensor, as_array, as_tensor, record


def _normalize_axis(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, list | tuple) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes)) if ndim else ()


def _restore_axes(g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """Re-insert the reduced axes (length 1) so `g` broadcasts over the input."""
    return g if keepdims else np.expand_dims(g, axes)


def sum(x, axis=None, keepdims: bool = False) -> Tensor:
    """$f(x) = \\sum_i x_i$ over `axis`.  VJP: $g$ broadcast back to every $x_i$."""
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    shape = x.shape
    out = np.sum(x.data, axis=axes, keepdims=keepdims)
    return record(
        np.asarray(out),
        (x,),
        (lambda g: np.broadcast_to(_restore_axes(g, axes, keepdims), shape),),
    )


def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """$f(x) = \\frac{1}{n}\\sum_i x_i$ over `axis`.  VJP: $g / n$ to every $x_i$."""
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    shape = x.shape
    n = int(np.prod([shape[a] for a in axes])) if axes else 1
    out = np.mean(x.data, axis=axes, keepdims=keepdims)
    if np.issubdtype(x.dtype, np.floating):
        out = out.astype(x.dtype, copy=False)
    return record(
        np.asarray(out),
        (x,),
        (lambda g: np.broadcast_to(_restore_axes(g, axes, keepdims) / n, shape),),
    )


def _extreme(x, axis, keepdims: bool, pick) -> Tensor:
    """Shared body of `max` and `min`: the gradient goes to the winners, split on ties."""
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    xv = x.data
    out_kept = pick(xv, axis=axes, keepdims=True)
    winners = xv == out_kept
    # in x's float type: bool / int would be float64 and upcast the whole backward pass
    share = (winners / np.sum(winners, axis=axes, keepdims=True)).astype(_float_of(xv.dtype))
    out = out_kept if keepdims else np.squeeze(out_kept, axis=axes)
    return record(out, (x,), (lambda g: _restore_axes(g, axes, keepdims) * share,))


def _float_of(dtype: np.dtype) -> np.dtype:
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def max(x, axis=None, keepdims: bool = False) -> Tensor:
    """$f(x) = \\max_i x_i$.  VJP: $g$ to the maximum (split evenly between ties)."""
    return _extreme(x, axis, keepdims, np.max)


def min(x, axis=None, keepdims: bool = False) -> Tensor:
    """$f(x) = \\min_i x_i$.  VJP: $g$ to the minimum (split evenly between ties)."""
    return _extreme(x, axis, keepdims, np.min)


def prod(x, axis=None, keepdims: bool = False) -> Tensor:
    """$f(x) = \\prod_i x_i$.  VJP: $g \\prod_{j \\ne i} x_j$ (computed without division)."""
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    xv = x.data
    out = np.prod(xv, axis=axes, keepdims=keepdims)

    def vjp(g):
        # product of all the others = exclusive cumprod from the left times from the right
        moved = np.moveaxis(xv, axes, tuple(range(-len(axes), 0)))
        flat = moved.reshape((*moved.shape[: moved.ndim - len(axes)], -1))
        left = np.cumprod(np.concatenate([np.ones_like(flat[..., :1]), flat[..., :-1]], -1), -1)
        right = np.cumprod(np.concatenate([np.ones_like(flat[..., :1]), flat[..., :0:-1]], -1), -1)[
            ..., ::-1
        ]
        others = np.moveaxis((left * right).reshape(moved.shape), tuple(range(-len(axes), 0)), axes)
        return _restore_axes(g, axes, keepdims) * others

    return record(np.asarray(out), (x,), (vjp,))


def cumsum(x, axis: int = 0) -> Tensor:
    """$y_i = \\sum_{j \\le i} x_j$.  VJP: reversed cumulative sum of $g$."""
    x = as_tensor(x)
    return record(
        np.cumsum(x.data, axis=axis),
        (x,),
        (lambda g: np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis),),
    )


def var(x, axis=None, keepdims: bool = False) -> Tensor:
    """Variance $\\frac{1}{n}\\sum (x - \\bar x)^2$ (written from primitives)."""
    x = as_tensor(x)
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims: bool = False) -> Tensor:
    """Standard deviation $\\sqrt{\\mathrm{var}(x)}$ (written from primitives)."""
    return sqrt(var(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims: bool = False) -> Tensor:
    """$\\ln \\sum_i e^{x_i}$, shifted by $\\max x$ so that nothing overflows."""
    from .math_ops import add, exp

    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    shift = np.max(x.data, axis=axes, keepdims=True)  # a constant: the result does not depend on it
    shifted = subtract(x, shift)
    out = add(log(sum(exp(shifted), axis=axes, keepdims=True)), shift)
    if keepdims:
        return out
    from .array_ops import squeeze

    return squeeze(out, axes)


def argmax(x, axis: int = -1) -> Tensor:
    """Index of the largest value (not differentiable)."""
    return Tensor(np.argmax(as_array(x), axis=axis))


def argmin(x, axis: int = -1) -> Tensor:
    """Index of the smallest value (not differentiable)."""
    return Tensor(np.argmin(as_array(x), axis=axis))


def any(x, axis=None, keepdims: bool = False) -> Tensor:
    return Tensor(np.any(as_array(x), axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims: bool = False) -> Tensor:
    return Tensor(np.all(as_array(x), axis=axis, keepdims=keepdims))


def norm(x, axis=None, keepdims: bool = False) -> Tensor:
    """Euclidean norm $\\sqrt{\\sum x^2}$ (written from primitives)."""
    return sqrt(sum(square(x), axis=axis, keepdims=keepdims))


def weighted_mean(values, weights) -> Tensor:
    """$\\sum w v / \\sum w$ (written from primitives)."""
    return divide(sum(multiply(values, weights)), sum(weights))

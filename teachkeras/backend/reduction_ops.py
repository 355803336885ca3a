"""Reductions (sum, mean, max, ...) with their vector-Jacobian products.

A reduction removes axes; its VJP puts them back (as length-1 axes) so that the
incoming gradient can broadcast over the elements that were reduced:

    sum      g copied to every element
    mean     g / n copied to every element
    max      g sent to the element(s) that were the maximum (shared on ties)
    prod     g times the product of all the others
    cumsum   the reversed running sum of g

var, std, logsumexp and average are written with these. argmax, argmin, count_nonzero,
any and all return indices, counts or booleans: no gradient.
"""

from __future__ import annotations

import numpy as np

from .array_ops import reshape, squeeze
from .math_ops import (
    add,
    as_floating,
    divide,
    exp,
    log,
    maximum,
    minimum,
    multiply,
    sqrt,
    square,
    subtract,
)
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
    # float inputs keep their type; integers and booleans average to float32 (as Keras 3)
    out = out.astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float32, copy=False)
    return record(
        np.asarray(out),
        (x,),
        (lambda g: np.broadcast_to(_restore_axes(g, axes, keepdims) / n, shape),),
    )


def _extreme(x, axis, keepdims: bool, initial, pick, against) -> Tensor:
    """Shared body of `max` and `min`: the gradient goes to the winners, split on ties.

    `initial` takes part as one more value (`against` is `maximum` or `minimum`).
    """
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    xv = x.data
    if xv.size == 0 and initial is not None:  # nothing to reduce: `initial` everywhere
        return Tensor(pick(xv, axis=axes, keepdims=keepdims, initial=initial))
    out_kept = pick(xv, axis=axes, keepdims=True)
    winners = xv == out_kept
    # in x's float type: bool / int would be float64 and upcast the whole backward pass
    share = (winners / np.sum(winners, axis=axes, keepdims=True)).astype(_float_of(xv.dtype))
    out = out_kept if keepdims else np.squeeze(out_kept, axis=axes)
    result = record(out, (x,), (lambda g: _restore_axes(g, axes, keepdims) * share,))
    return result if initial is None else against(result, initial)


def _float_of(dtype: np.dtype) -> np.dtype:
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def max(x, axis=None, keepdims: bool = False, initial=None) -> Tensor:
    """$f(x) = \\max_i x_i$ (and `initial`, if given).  VJP: $g$ to the maximum (split between ties)."""
    return _extreme(x, axis, keepdims, initial, np.max, maximum)


def min(x, axis=None, keepdims: bool = False, initial=None) -> Tensor:
    """$f(x) = \\min_i x_i$ (and `initial`, if given).  VJP: $g$ to the minimum (split between ties)."""
    return _extreme(x, axis, keepdims, initial, np.min, minimum)


def prod(x, axis=None, keepdims: bool = False, dtype=None) -> Tensor:
    """$f(x) = \\prod_i x_i$.  VJP: $g \\prod_{j \\ne i} x_j$ (computed without division)."""
    x = as_tensor(x) if dtype is None else as_tensor(x, dtype)
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


def cumsum(x, axis=None, dtype=None) -> Tensor:
    """$y_i = \\sum_{j \\le i} x_j$ along `axis` (of the flattened `x` when None).

    VJP: the reversed cumulative sum of $g$ (each $x_j$ feeds every $y_i$ with $i \\ge j$).
    """
    x = as_tensor(x)
    if dtype is not None or x.dtype == bool:
        x = as_tensor(x, dtype or "int32")  # booleans count as integers, as in Keras
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    return record(
        np.cumsum(x.data, axis=axis, dtype=x.dtype),  # (NumPy would widen int32 to int64)
        (x,),
        (lambda g: np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis),),
    )


def var(x, axis=None, keepdims: bool = False) -> Tensor:
    """Variance $\\frac{1}{n}\\sum (x - \\bar x)^2$ (written from primitives)."""
    x = as_floating(x)
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims: bool = False) -> Tensor:
    """Standard deviation $\\sqrt{\\mathrm{var}(x)}$ (written from primitives)."""
    return sqrt(var(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims: bool = False) -> Tensor:
    """$\\ln \\sum_i e^{x_i}$, shifted by $\\max x$ so that nothing overflows."""
    x = as_tensor(x)
    axes = _normalize_axis(axis, x.ndim)
    shift = np.max(x.data, axis=axes, keepdims=True)  # a constant: the result does not depend on it
    shifted = subtract(x, shift)
    out = add(log(sum(exp(shifted), axis=axes, keepdims=True)), shift)
    return out if keepdims else squeeze(out, axes)


def argmax(x, axis=None, keepdims: bool = False) -> Tensor:
    """Index of the largest value (of the flattened `x` when `axis` is None), as int32."""
    return Tensor(np.argmax(as_array(x), axis=axis, keepdims=keepdims).astype(np.int32))


def argmin(x, axis=None, keepdims: bool = False) -> Tensor:
    """Index of the smallest value (of the flattened `x` when `axis` is None), as int32."""
    return Tensor(np.argmin(as_array(x), axis=axis, keepdims=keepdims).astype(np.int32))


def count_nonzero(x, axis=None) -> Tensor:
    """How many values are not 0 along `axis` (all of them when None), as int32."""
    return Tensor(np.asarray(np.count_nonzero(as_array(x), axis=axis), dtype=np.int32))


def any(x, axis=None, keepdims: bool = False) -> Tensor:
    return Tensor(np.any(as_array(x), axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims: bool = False) -> Tensor:
    return Tensor(np.all(as_array(x), axis=axis, keepdims=keepdims))


def average(x, axis=None, weights=None) -> Tensor:
    """Weighted mean $\\sum_i w_i x_i / \\sum_i w_i$ along `axis` (written from primitives).

    Without `weights` it is `mean`. 1-D `weights` with an `axis` weigh the entries
    along that axis; otherwise `weights` has the shape of `x`.
    """
    if weights is None:
        return mean(x, axis=axis)
    x, weights = as_tensor(x), as_tensor(weights)
    if weights.shape != x.shape:
        if axis is None or weights.ndim != 1 or len(weights) != x.shape[axis]:
            raise ValueError(
                "average: `weights` must have the shape of x, or be 1-D with one weight per "
                f"entry along `axis`. Received: x.shape={x.shape}, weights.shape="
                f"{weights.shape}, axis={axis}"
            )
        along = [1] * x.ndim
        along[axis] = -1
        weights = reshape(weights, along)  # (1, ..., n, ..., 1): broadcasts along `axis`
    return divide(sum(multiply(x, weights), axis=axis), sum(weights, axis=axis))

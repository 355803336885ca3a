"""Keras 2's `K` math and shape functions that Keras 3 dropped or changed, from primitives.

Each is a few backend ops (matmul, reshape, transpose, getitem, where, prod, ...), so each
gradient comes from theirs: nothing here writes a backward pass.

Where Keras 3 kept a function but changed its arguments or defaults, `K` keeps Keras 2's
and calls the Keras 3 op (the engine's, with its gradient):

    K.concatenate(tensors, axis=-1)     ops.concatenate(xs, axis=0)
    K.argmax(x, axis=-1)                ops.argmax(x, axis=None)        (and argmin)
    K.cumsum(x, axis=0)                 ops.cumsum(x, axis=None)
    K.clip(x, min_value, max_value)     ops.clip(x, x_min, x_max)
    K.reshape(x, shape)                 ops.reshape(x, newshape)
    K.one_hot(indices, num_classes)     ops.one_hot(x, num_classes, axis=-1)
    K.tile(x, n)                        ops.tile(x, repeats)
    K.repeat(x, n)                      (batch, dim) -> (batch, n, dim): not ops.repeat
    K.dot(x, y), K.flatten(x), K.arange(start, stop, step, dtype='int32')

And Keras 2's own:

    K.batch_dot(x, y, axes)   one dot product per sample
    K.gather(x, indices)      rows of x
    K.cumprod(x, axis)        running product
    K.slice(x, start, size)   a block of x
    K.batch_flatten(x)        (batch, ...) -> (batch, everything else)
"""

from __future__ import annotations

import builtins

import numpy as np

from ...backend import config
from ...backend.array_ops import broadcast_to, getitem, pad, ravel, take, transpose
from ...backend.array_ops import concatenate as _concatenate
from ...backend.array_ops import expand_dims as _expand_dims
from ...backend.array_ops import one_hot as _one_hot
from ...backend.array_ops import repeat as _repeat
from ...backend.array_ops import reshape as _reshape
from ...backend.array_ops import tile as _tile
from ...backend.config import standardize_data_format
from ...backend.creation_ops import arange as _arange
from ...backend.linalg_ops import dot as _dot
from ...backend.math_ops import cast, matmul, where
from ...backend.math_ops import clip as _clip
from ...backend.reduction_ops import argmax as _argmax
from ...backend.reduction_ops import argmin as _argmin
from ...backend.reduction_ops import cumsum as _cumsum
from ...backend.reduction_ops import mean as _mean
from ...backend.reduction_ops import prod
from ...backend.tensor import Tensor, as_tensor


# --- Keras 2's arguments and defaults for Keras 3's ops ----------------------------------------
def concatenate(tensors, axis: int = -1) -> Tensor:
    """Join tensors along `axis` (Keras 2's default: the last one)."""
    return _concatenate(tensors, axis=axis)


def argmax(x, axis: int = -1) -> Tensor:
    """Index of the largest value along `axis` (Keras 2's default: the last one)."""
    return _argmax(x, axis=axis)


def argmin(x, axis: int = -1) -> Tensor:
    """Index of the smallest value along `axis` (Keras 2's default: the last one)."""
    return _argmin(x, axis=axis)


def cumsum(x, axis: int = 0) -> Tensor:
    """Running sum along `axis` (Keras 2's default: the first one)."""
    return _cumsum(x, axis=axis)


def clip(x, min_value, max_value) -> Tensor:
    """Clip every value into `[min_value, max_value]`."""
    return _clip(x, min_value, max_value)


def reshape(x, shape) -> Tensor:
    """Same values, new `shape` (`-1` infers one axis)."""
    return _reshape(x, shape)


def one_hot(indices, num_classes: int) -> Tensor:
    """Class indices -> one-hot vectors along a new last axis."""
    return _one_hot(indices, num_classes)


def repeat(x, n: int) -> Tensor:
    """Repeat a batch of vectors `n` times: (batch, dim) -> (batch, n, dim).

    (Not `ops.repeat`, which repeats each element along an axis: that one is
    `K.repeat_elements`.) Written as expand_dims + tile, so the gradient sums the copies.
    """
    x = as_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"K.repeat expects a 2-D input (batch, dim); got shape {x.shape}.")
    return _tile(_expand_dims(x, 1), (1, int(n), 1))


def dot(x, y) -> Tensor:
    """Keras 2's `K.dot`: the matrix product, extended to more axes as `np.dot` does
    (the same as `ops.dot`: see `backend/linalg_ops.py`)."""
    return _dot(x, y)


def flatten(x) -> Tensor:
    """All values in one axis (`ops.ravel`)."""
    return ravel(x)


def batch_flatten(x) -> Tensor:
    """Keep the batch axis, flatten the rest: (n, a, b, ...) -> (n, a*b*...)."""
    x = as_tensor(x)
    return _reshape(x, (x.shape[0], -1))


def arange(start, stop=None, step=1, dtype="int32") -> Tensor:
    """`start, start + step, ...` below `stop` (Keras 2's default type: int32)."""
    return _arange(start, stop, step, dtype=dtype)


# --- products ---------------------------------------------------------------------------------
def batch_dot(x, y, axes=None) -> Tensor:
    """One dot product per sample: axis `axes[0]` of x meets axis `axes[1]` of y.

    Formula: $z_b = \\sum_k x_{b,\\ldots,k,\\ldots}\\, y_{b,\\ldots,k,\\ldots}$; the result has the batch axis,
    then x's other axes, then y's other axes, or shape `(batch, 1)` for two matrices.

    Args:
        axes: an int (the same axis of both), a pair, or None for x's last axis and y's
            last (2-D y) or second-to-last axis. Axis 0, the batch, cannot be reduced.

    Example:
        >>> K.batch_dot(np.ones((32, 20, 1)), np.ones((32, 30, 20)), axes=(1, 2)).shape
        (32, 1, 30)
    """
    x, y = as_tensor(x), as_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with rank < 2. Received shapes {x.shape} and {y.shape}."
        )
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"Cannot do batch_dot on inputs with different batch sizes: {x.shape} and {y.shape}."
        )
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    elif isinstance(axes, int | np.integer):
        axes = (axes, axes)
    a0, a1 = (int(a) % n for a, n in zip(axes, (x.ndim, y.ndim), strict=True))
    if 0 in (a0, a1):
        raise ValueError(
            "Cannot perform batch_dot over axis 0 (the batch). If your inputs are not batched, "
            "add a batch axis first: K.expand_dims(x, 0)."
        )
    _check_contracted("batch_dot", x.shape[a0], y.shape[a1], x, y, f" with axes={(a0, a1)}")
    batch, k = x.shape[0], x.shape[a0]
    x_free = [i for i in range(1, x.ndim) if i != a0]
    y_free = [i for i in range(1, y.ndim) if i != a1]
    x3 = _reshape(transpose(x, [0, *x_free, a0]), (batch, -1, k))  # (batch, x's rest, k)
    y3 = _reshape(transpose(y, [0, a1, *y_free]), (batch, k, -1))  # (batch, k, y's rest)
    out = matmul(x3, y3)  # (batch, x's rest, y's rest)
    shape = (batch, *(x.shape[i] for i in x_free), *(y.shape[i] for i in y_free))
    return _reshape(out, shape if len(shape) > 1 else (batch, 1))


def _check_contracted(op: str, n1: int, n2: int, x, y, detail: str = "") -> None:
    if n1 != n2:
        raise ValueError(
            f"K.{op}: the axes to multiply together have different lengths ({n1} != {n2}); "
            f"shapes {x.shape} and {y.shape}{detail}."
        )


# --- reductions and gathering ------------------------------------------------------------------
def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """$\\frac{1}{n}\\sum_i x_i$ over `axis`; booleans count as 0/1 in `floatx()` (Keras 2).

    So `K.mean(K.equal(y_true, y_pred))` is an accuracy, as in Keras 2's metrics.
    """
    x = as_tensor(x)
    if x.dtype == bool:
        x = cast(x, config.floatx())
    return _mean(x, axis=axis, keepdims=keepdims)


def gather(reference, indices) -> Tensor:
    """Rows of `reference` (along axis 0): `reference[indices]`.  Gradient: scattered back."""
    return take(reference, indices, axis=0)


def cumprod(x, axis: int = 0) -> Tensor:
    """Running product $y_j = \\prod_{k \\le j} x_k$ along `axis`.

    Written as a product over a triangular mask, $y_j = \\prod_k (x_k \\text{ if } k \\le j
    \\text{ else } 1)$, so its gradient is `prod`'s, which is exact even where x is 0
    (it never divides). It builds an (n, n) block per position: meant for axes of a
    few hundred values, not millions.
    """
    x = as_tensor(x)
    axis = int(axis) % x.ndim
    last = [i for i in range(x.ndim) if i != axis] + [axis]
    moved = transpose(x, last)  # (..., n)
    n = moved.shape[-1]
    rows = broadcast_to(_expand_dims(moved, -2), (*moved.shape[:-1], n, n))  # [..., j, k] = x_k
    prefix = where(np.tril(np.ones((n, n), dtype=bool)), rows, 1)  # x_k where k <= j, else 1
    return transpose(prod(prefix, axis=-1), np.argsort(last))


# --- shapes ----------------------------------------------------------------------------------
def permute_dimensions(x, pattern) -> Tensor:
    """Reorder the axes: `pattern=(0, 2, 1)` swaps the last two.  Gradient: the inverse order."""
    return transpose(x, tuple(pattern))


def expand_dims(x, axis: int = -1) -> Tensor:
    """Insert a length-1 axis at `axis` (default: a new last axis)."""
    return _expand_dims(x, axis)


def tile(x, n=None, *, reps=None) -> Tensor:
    """Repeat all of `x` `n` times along each axis (`n` an int or one count per axis).

    (`reps=` is accepted as another name for `n`, as `np.tile` calls it.)
    """
    n = reps if n is None else n
    return _tile(x, (n,) if isinstance(n, int | np.integer) else tuple(n))


def slice(x, start, size) -> Tensor:
    """The block of `x` starting at `start` with `size` values along each axis (-1: to the end).

    Formula: $y = x[s_0 : s_0 + n_0,\\ \\ldots]$.  Gradient: $g$ written into zeros at that block.
    """
    x = as_tensor(x)
    start, size = [int(s) for s in start], [int(n) for n in size]
    if len(start) != x.ndim or len(size) != x.ndim:
        raise ValueError(
            f"K.slice needs one start and one size per axis of x (rank {x.ndim}); "
            f"got start={start}, size={size}."
        )
    index = []
    for axis, (s, n, length) in enumerate(zip(start, size, x.shape, strict=True)):
        stop = length if n == -1 else s + n
        if not 0 <= s <= stop <= length:
            raise ValueError(
                f"K.slice: axis {axis} has length {length}, but start={s} and size={n} "
                "reach outside it."
            )
        index.append(builtins.slice(s, stop))
    return getitem(x, tuple(index))


def repeat_elements(x, rep: int, axis: int) -> Tensor:
    """Repeat each element `rep` times along `axis` (`np.repeat`): [a, b] -> [a, a, b, b]."""
    return _repeat(x, int(rep), int(axis))


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None) -> Tensor:
    """Pad images with zeros: ((top, bottom), (left, right)) pixels.  Gradient: the inner block."""
    if len(padding) != 2 or any(np.ndim(p) != 1 or len(p) != 2 for p in padding):
        raise ValueError(
            "Expected `padding` to be a tuple of 2 tuples of 2 integers, e.g. ((1, 1), (2, 2)). "
            f"Received: padding={padding}"
        )
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"spatial_2d_padding expects 4-D images; got shape {x.shape}.")
    rows, columns = tuple(padding[0]), tuple(padding[1])
    if standardize_data_format(data_format) == "channels_first":
        return pad(x, [(0, 0), (0, 0), rows, columns])
    return pad(x, [(0, 0), rows, columns, (0, 0)])

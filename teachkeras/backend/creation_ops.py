"""Making tensors: zeros, ones, full, eye, arange, linspace, and asking for a shape.

These make constants (no gradient flows into a value that does not depend on any
input). Floats are `floatx()` unless `dtype` says otherwise, as in Keras 3;
`arange` of Python ints gives int32, as Keras's type rules do.
"""

from __future__ import annotations

import numpy as np

from .config import floatx
from .tensor import Tensor, as_array


def shape(x) -> tuple:
    """The shape as a tuple of ints (`None` for an unknown size of a symbolic tensor)."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def zeros(shape, dtype=None) -> Tensor:
    """A tensor of zeros."""
    return Tensor(np.zeros(shape, dtype=dtype or floatx()))


def ones(shape, dtype=None) -> Tensor:
    """A tensor of ones."""
    return Tensor(np.ones(shape, dtype=dtype or floatx()))


def full(shape, fill_value, dtype=None) -> Tensor:
    """A tensor of `shape` with every entry `fill_value`."""
    return Tensor(np.full(shape, as_array(fill_value), dtype=dtype or floatx()))


def zeros_like(x, dtype=None) -> Tensor:
    """Zeros with the shape (and, unless `dtype` is given, the type) of `x`."""
    return Tensor(np.zeros_like(as_array(x), dtype=dtype))


def ones_like(x, dtype=None) -> Tensor:
    """Ones with the shape (and, unless `dtype` is given, the type) of `x`."""
    return Tensor(np.ones_like(as_array(x), dtype=dtype))


def full_like(x, fill_value, dtype=None) -> Tensor:
    """`fill_value` everywhere, with the shape (and, unless `dtype` is given, the type) of `x`."""
    return Tensor(np.full_like(as_array(x), as_array(fill_value), dtype=dtype))


def eye(N, M=None, k: int = 0, dtype=None) -> Tensor:
    """An N x M matrix (N x N by default) with ones on diagonal `k` (0: the main one)."""
    return Tensor(np.eye(N, M, k, dtype=dtype or floatx()))


def identity(n, dtype=None) -> Tensor:
    """The n x n identity matrix."""
    return Tensor(np.identity(n, dtype=dtype or floatx()))


def arange(start, stop=None, step=None, dtype=None) -> Tensor:
    """`start, start + step, ...` up to (not including) `stop`; `arange(n)` is 0 .. n - 1.

    Python ints give int32 and Python floats `floatx()` (Keras's rule), unless `dtype` is given.
    """
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = floatx() if any(_is_float(v) for v in given) else np.int32
    if stop is None:
        start, stop = 0, start
    return Tensor(np.arange(start, stop, 1 if step is None else step, dtype=dtype))


def linspace(
    start, stop, num: int = 50, endpoint: bool = True, retstep: bool = False, dtype=None, axis=0
):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`).

    With `retstep=True`, also the spacing between them: `(values, step)`.
    """
    values, step = np.linspace(
        as_array(start), as_array(stop), num, endpoint=endpoint, retstep=True, axis=axis
    )
    values = Tensor(values.astype(dtype or floatx()))
    return (values, step) if retstep else values


def _is_float(value) -> bool:
    return np.issubdtype(np.asarray(value).dtype, np.floating)

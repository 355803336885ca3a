"""Pooling: the max or the average of each window, with hand-written, vectorised backwards.

A pooling op slides a window of `pool_size` over the spatial axes (the steps of a
sequence, the height and width of an image, or the depth, height and width of a
volume) in steps of `strides`, and keeps one
number per window and channel. The windows are a strided *view* of the input
(`sliding_window_view`: no values are copied), with the window axes last:

    x        (batch, height, width, channels)
    windows  (batch, out_h, out_w, channels, pool_h, pool_w)      a view into x
    max      y = windows.max(axis=(-2, -1))
    average  y = windows.sum(axis=(-2, -1)) / count

The backward pass sends each output's gradient back to the cells of its window. It
walks the window offsets (di, dj): a loop of pool_h * pool_w steps, each one
vectorised slice-add over the whole batch. When windows overlap (strides < pool_size)
a cell belongs to several windows and collects a gradient from each: the adds do that.

Padding follows Keras (and TensorFlow): 'valid' uses only whole windows,
out = floor((n - pool) / stride) + 1; 'same' gives out = ceil(n / stride) and pads

    pad = max((out - 1) * stride + pool - n, 0),   pad // 2 before, the rest after.

Padded cells never win a max (they are -inf) and never count in an average: 'same'
average pooling divides each window by the number of real cells in it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import config
from .tensor import Tensor, as_tensor, record
from .window_geometry import same_padding, standardize_padding
from .window_geometry import standardize_tuple as normalize_tuple


# --- arguments and shapes ------------------------------------------------------------------
def pooling_output_length(n: int | None, pool: int, stride: int, padding: str) -> int | None:
    """Windows along one axis of length `n`: floor((n - pool) / stride) + 1 or ceil(n / stride)."""
    if n is None:
        return None
    if padding == "same":
        return math.ceil(n / stride)
    return (n - pool) // stride + 1


def spatial_axes(ndim: int, data_format: str) -> tuple[int, ...]:
    """The pooled axes of a `ndim`-axis batch: all but batch and channels."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + ndim - 2))


def pooling_output_shape(
    input_shape: Sequence[int | None],
    pool_size,
    strides=None,
    padding: str = "valid",
    data_format: str | None = None,
    owner: str = "pooling",
) -> tuple[int | None, ...]:
    """The output shape of a pooling op (None stays None), checking that the window fits.

    `owner` names who asks (a layer) in the error message.
    """
    input_shape = tuple(input_shape)
    data_format = config.standardize_data_format(data_format)
    axes = spatial_axes(len(input_shape), data_format)
    pool = normalize_tuple(pool_size, len(axes), "pool_size")
    steps = pool if strides is None else normalize_tuple(strides, len(axes), "strides")
    padding = standardize_padding(padding)
    spatial = tuple(input_shape[a] for a in axes)
    if padding == "valid" and any(
        n is not None and n < k for n, k in zip(spatial, pool, strict=True)
    ):
        raise _window_too_large(owner, input_shape, spatial, pool)
    shape = list(input_shape)
    for axis, k, s in zip(axes, pool, steps, strict=True):
        shape[axis] = pooling_output_length(input_shape[axis], k, s, padding)
    return tuple(shape)


def _window_too_large(owner, input_shape, spatial, pool) -> ValueError:
    missing = [max(k - n, 0) for n, k in zip(spatial, pool, strict=True)]
    fits = tuple(min(n, k) for n, k in zip(spatial, pool, strict=True))
    if len(pool) > 1:
        pairs = ", ".join(f"(0, {m})" for m in missing)
        pad_first = f"pad the input first, e.g. ZeroPadding{len(pool)}D(({pairs}))"
    else:
        pad_first = f"pad the input by {missing[0]} step(s) first"
    return ValueError(
        f"{owner}: the pool window {pool} is larger than the input's spatial size {spatial} "
        f"(input shape {input_shape}, padding='valid'). Use padding='same' (it pads so that "
        f"every window fits), a pool_size of at most {fits}, or {pad_first}."
    )


class _Geometry(NamedTuple):
    """Where the windows are: pooled axes, window size, steps, padding, output sizes."""

    axes: tuple[int, ...]
    pool_size: tuple[int, ...]
    strides: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]  # (before, after) per pooled axis
    out_sizes: tuple[int, ...]  # windows along each pooled axis


def _geometry(shape, pool_size, strides, padding, data_format, op: str) -> _Geometry:
    data_format = config.standardize_data_format(data_format)
    rank = len(pool_size) if isinstance(pool_size, Sequence) else max(len(shape) - 2, 1)
    if rank < 1 or len(shape) != rank + 2:
        layout = {1: ("steps",), 2: ("height", "width")}.get(rank, ("depth", "height", "width"))
        dims = (
            ("batch", *layout, "channels")
            if data_format == "channels_last"
            else ("batch", "channels", *layout)
        )
        raise ValueError(
            f"{op} expects a {rank + 2}-D input ({', '.join(dims)}) ({data_format}), got shape "
            f"{tuple(shape)}."
        )
    out_shape = pooling_output_shape(shape, pool_size, strides, padding, data_format, owner=op)
    axes = spatial_axes(len(shape), data_format)
    pool = normalize_tuple(pool_size, rank, "pool_size")
    steps = pool if strides is None else normalize_tuple(strides, rank, "strides")
    if standardize_padding(padding) == "same":
        pads = tuple(
            same_padding(shape[a], k, s) for a, k, s in zip(axes, pool, steps, strict=True)
        )
    else:
        pads = ((0, 0),) * rank
    return _Geometry(axes, pool, steps, pads, tuple(out_shape[a] for a in axes))


# --- windows as strided views ----------------------------------------------------------------
def _pad(array: np.ndarray, geo: _Geometry, fill) -> np.ndarray:
    """`array` padded on its pooled axes with `fill` (no copy when there is no padding)."""
    if not any(before or after for before, after in geo.pads):
        return array
    widths = [(0, 0)] * array.ndim
    for axis, pad in zip(geo.axes, geo.pads, strict=True):
        widths[axis] = pad
    return np.pad(array, widths, constant_values=fill)


def _unpad(array: np.ndarray, geo: _Geometry) -> np.ndarray:
    """The inverse of `_pad`: the cells that were real input."""
    index = [slice(None)] * array.ndim
    for axis, (before, after) in zip(geo.axes, geo.pads, strict=True):
        index[axis] = slice(before, array.shape[axis] - after)
    return array[tuple(index)]


def _windows(array: np.ndarray, geo: _Geometry, writeable: bool = False) -> np.ndarray:
    """Every window, as a view: pooled axes become output positions, window axes go last.

    (batch, h, w, channels) -> (batch, out_h, out_w, channels, pool_h, pool_w)
    """
    view = sliding_window_view(array, geo.pool_size, axis=geo.axes, writeable=writeable)
    step = [slice(None)] * array.ndim  # keep every `stride`-th window start
    for axis, stride in zip(geo.axes, geo.strides, strict=True):
        step[axis] = slice(None, None, stride)
    return view[tuple(step)]


def _real_cells_per_window(geo: _Geometry, shape, dtype) -> np.ndarray:
    """How many cells of each window are input, not padding (broadcasts over the output).

    Along one axis, the window of output o starts at o * stride - pad_before and covers
    [start, start + pool) ∩ [0, n); the count over 2 axes is the product of the two.
    """
    counts = np.ones((1,) * len(shape), dtype=np.int64)
    for axis, k, s, (before, _), out in zip(
        geo.axes, geo.pool_size, geo.strides, geo.pads, geo.out_sizes, strict=True
    ):
        n = shape[axis]
        starts = np.arange(out) * s - before  # (out,)
        real = np.minimum(starts + k, n) - np.maximum(starts, 0)  # (out,)
        along = [1] * len(shape)
        along[axis] = real.size
        counts = counts * real.reshape(along)
    return counts.astype(dtype)


# --- the two pooling ops ----------------------------------------------------------------------
def max_pool(inputs, pool_size, strides=None, padding: str = "valid", data_format=None) -> Tensor:
    """Max pooling over 1, 2 or 3 spatial axes (as `keras.ops.max_pool`).

    Formula: $y_{n,o,c} = \\max_{k} \\tilde x_{n, o s + k, c}$  ($\\tilde x$: x padded with $-\\infty$)
    VJP: $\\partial L/\\partial x_{n, o s + k^*, c} \\mathrel{+}= g_{n,o,c}$, where $k^*$ is the
        FIRST offset (row-major in the window) that holds the maximum.

    Ties: the whole gradient goes to the first maximum in the window, as TensorFlow and
    PyTorch do (not split between equal values, as `ops.max` does).

    Args:
        inputs: (batch, steps, channels), (batch, height, width, channels) or (batch,
            depth, height, width, channels); channels first when
            `data_format='channels_first'`.
        pool_size: int or tuple, the window size.
        strides: int or tuple; default `pool_size` (windows side by side).
        padding: 'valid' (whole windows only) or 'same' (out = ceil(n / stride)).

    Example:
        >>> max_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2)[0, ..., 0]   # [[5, 7], [13, 15]]
    """
    x = as_tensor(inputs)
    geo = _geometry(x.shape, pool_size, strides, padding, data_format, "max_pool")
    lowest = -np.inf if np.issubdtype(x.dtype, np.floating) else np.iinfo(x.dtype).min
    xp = _pad(x.data, geo, fill=lowest)  # (batch, h + pad, w + pad, channels)
    windows = _windows(xp, geo)  # (batch, out_h, out_w, channels, pool_h, pool_w): a view
    out = windows.max(axis=tuple(range(-len(geo.pool_size), 0)))  # (batch, out_h, out_w, channels)

    def vjp(g):
        dxp = np.zeros(xp.shape, dtype=g.dtype)
        dwindows = _windows(dxp, geo, writeable=True)  # the same windows, into the gradient
        routed = np.zeros(out.shape, dtype=bool)  # has this window's gradient found its max?
        for offset in np.ndindex(*geo.pool_size):  # pool_h * pool_w vectorised steps
            at = (..., *offset)
            first_max = windows[at] == out
            first_max &= ~routed  # a later cell equal to the max gets nothing
            target = dwindows[at]  # (batch, out_h, out_w, channels): a view into dxp
            target += g * first_max  # (np.add's where= is 5x slower)
            routed |= first_max
        return _unpad(dxp, geo)

    return record(out, (x,), (vjp,))


def average_pool(
    inputs, pool_size, strides=None, padding: str = "valid", data_format=None
) -> Tensor:
    """Average pooling over 1, 2 or 3 spatial axes (as `keras.ops.average_pool`).

    Formula: $y_{n,o,c} = \\frac{1}{|W_o|} \\sum_{k \\in W_o} x_{n, o s + k, c}$, $W_o$ = the
        real (not padded) cells of window o: 'same' padding never dilutes the average.
    VJP: $\\partial L/\\partial x_{n, o s + k, c} \\mathrel{+}= g_{n,o,c} / |W_o|$ for every k in $W_o$.

    Args: as `max_pool`. Integer inputs give `floatx()` outputs.

    Example:
        >>> average_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2)[0, ..., 0]   # [[2.5, 4.5], ...]
    """
    x = as_tensor(inputs)
    geo = _geometry(x.shape, pool_size, strides, padding, data_format, "average_pool")
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype(config.floatx())
    xp = _pad(x.data.astype(dtype, copy=False), geo, fill=0)
    windows = _windows(xp, geo)  # (batch, out_h, out_w, channels, pool_h, pool_w): a view
    count = _real_cells_per_window(geo, x.shape, dtype)  # (1, out_h, out_w, 1)
    out = windows.sum(axis=tuple(range(-len(geo.pool_size), 0))) / count

    def vjp(g):
        share = g / count  # each real cell of a window gets an equal share
        dxp = np.zeros(xp.shape, dtype=g.dtype)
        dwindows = _windows(dxp, geo, writeable=True)
        for offset in np.ndindex(*geo.pool_size):  # padded cells get some too: cut off below
            target = dwindows[(..., *offset)]
            target += share
        return _unpad(dxp, geo)

    return record(out, (x,), (vjp,))

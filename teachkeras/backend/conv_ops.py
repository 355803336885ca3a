"""Convolutions over 1, 2 or 3 spatial axes, each one fused op: `conv` and `conv_transpose`.

A convolution slides a small kernel over an image and, at each position, takes the
dot product of the kernel with the patch of pixels under it (Keras, like every deep
learning library, does not flip the kernel: strictly this is a cross-correlation):

    y[n, i, j, o] = Σ_{a, b, c} x[n, i·s + a·d, j·s + b·d, c] · W[a, b, c, o]

with strides `s`, dilation `d` and `x` already padded. Written this way it is a
matrix product in disguise. Lay every patch out as one row of a matrix (the *patch
matrix*, "im2col") and the kernel as a column per filter:

    patches  (batch·out_h·out_w, kh·kw·in_ch)   one row per output pixel
    W        (kh·kw·in_ch, out_ch)             one column per filter
    y = patches @ W                            ONE matrix product (GEMM)

The patches are first a *view* of the input (`as_strided`: no pixel is copied to
make it); the reshape into a matrix is the one copy, and NumPy's GEMM does the rest.
That matrix is kh·kw times the size of the input, so it is not kept for the backward
pass: the backward rebuilds it from the input (a cheap copy next to the GEMMs).

The backward pass is the same picture read backwards (for g = ∂L/∂y):

    ∂L/∂W       = patchesᵀ @ g                 GEMM 1
    ∂L/∂patches = g @ Wᵀ                       GEMM 2 (done per kernel offset, so the
                                               scatter reads contiguous memory)
    ∂L/∂x       = col2im(∂L/∂patches)          each patch's gradient added back where
                                               the patch came from ("patch scatter")

Patches overlap, so col2im *adds*: a pixel under several windows receives a share
from each. The scatter is a loop over the kh·kw kernel offsets, each step one
vectorised slice-add over the whole batch (never a loop over pixels).

Nothing above depends on there being two spatial axes. A sequence (batch, steps,
channels) has one, a volume (batch, depth, height, width, channels) three: the windows
gain or lose an axis, the kernel offsets become (a,), (a, b) or (a, b, e), and the GEMMs
are the same. So one function serves every rank, and `conv1d`, `conv2d`, `conv3d` only
check that the input has the rank their name promises.

The transposed convolution is the same machinery swapped: its forward is GEMM 2 and
the scatter (it is the gradient of a convolution with respect to its input), its
backward is the patches and a GEMM. The depthwise convolution (`depthwise_conv_ops.py`)
reads the same window view and uses the same scatter, summing one kernel offset at a time
(its per-channel products are too thin for a GEMM). Everything is
computed channels_last; a channels_first input is transposed at the edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .config import standardize_data_format
from .tensor import Tensor, as_tensor, record
from .window_geometry import (
    Pair,
    effective_kernel_size,
    same_padding,
    standardize_padding,
    standardize_tuple,
)

Sizes = tuple[int, ...]  # one number per spatial axis
_AXES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def conv_output_size(
    size: int, kernel_size: int, stride: int, pads: Pair, dilation: int = 1
) -> int:
    """Output length: $\\lfloor (size + p_0 + p_1 - k_{eff}) / s \\rfloor + 1$."""
    return (size + pads[0] + pads[1] - effective_kernel_size(kernel_size, dilation)) // stride + 1


def conv_transpose_crops(
    size: int, kernel_size: int, stride: int, padding: str, output_padding, dilation: int = 1
) -> Pair:
    """What Keras cuts off each end of the full transposed-convolution output.

    Scattering every input pixel's kernel-sized contribution gives the *full* output,
    of length $(size - 1) s + k_{eff}$. Keras (which follows TensorFlow/JAX here) then
    keeps a window of it:

    - `'valid'`: all of it, plus `output_padding` zeros at the end (default:
      $\\max(k_{eff}, s) - k_{eff}$, so the length is $(size - 1) s + \\max(k_{eff}, s)$);
    - `'same'`: a centred window of length $size \\cdot s$ (or
      $(size - 1) s + k_{eff} \\bmod 2 + output\\_padding$ when it is given).

    Returns (crop_before, crop_after); a negative crop means zeros are added instead.
    """
    k = effective_kernel_size(kernel_size, dilation)
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return 0, -extra
    # 'same': the input (spread out by the stride) is padded by pad_total, split with
    # the odd pixel first but never more than k - 1 on the left, as JAX does.
    if output_padding is None:
        pad_total = stride + k - 2
    else:
        pad_total = k + k % 2 - 2 + output_padding
    before = min(pad_total // 2 + pad_total % 2, k - 1)
    after = pad_total - before
    return (k - 1) - before, (k - 1) - after


def conv_transpose_output_size(
    size: int, kernel_size: int, stride: int, padding: str, output_padding, dilation: int = 1
) -> int:
    """Length of a transposed convolution's output (see `conv_transpose_crops`)."""
    full = (size - 1) * stride + effective_kernel_size(kernel_size, dilation)
    before, after = conv_transpose_crops(
        size, kernel_size, stride, padding, output_padding, dilation
    )
    return full - before - after


# --- where the windows are --------------------------------------------------------------------
class Windows(NamedTuple):
    """A convolution's windows along each spatial axis: sizes in, kernel, steps, gaps,
    zero padding (before, after), and the number of windows (the output size)."""

    spatial: Sizes
    kernel: Sizes
    strides: Sizes
    dilation: Sizes
    pads: tuple[Pair, ...]
    out: Sizes


def windows_of(
    op: str,
    x_shape: tuple,
    kernel_sizes: Sizes,
    strides,
    padding: str,
    dilation_rate,
    allowed_paddings=("valid", "same"),
) -> Windows:
    """The windows of a convolution over a channels_last batch `x_shape` (checked: not empty).

    `padding`: 'valid' (none), 'same' (Keras's split: the odd pixel at the end) or, for
    sequences, 'causal' (all of it at the start, so step t never sees a later step).
    """
    rank = len(kernel_sizes)
    strides = standardize_tuple(strides, rank, "strides")
    dilation = standardize_tuple(dilation_rate, rank, "dilation_rate")
    padding = standardize_padding(padding, allowed_paddings)
    spatial = tuple(x_shape[1:-1])
    if padding == "same":
        pads = tuple(map(same_padding, spatial, kernel_sizes, strides, dilation))
    elif padding == "causal":
        pads = tuple(
            (effective_kernel_size(k, d) - 1, 0)
            for k, d in zip(kernel_sizes, dilation, strict=True)
        )
    else:
        pads = ((0, 0),) * rank
    out = tuple(map(conv_output_size, spatial, kernel_sizes, strides, pads, dilation))
    if min(out) <= 0:
        reach = tuple(map(effective_kernel_size, kernel_sizes, dilation))
        padded = tuple(n + sum(p) for n, p in zip(spatial, pads, strict=True))
        raise ValueError(
            f"{op}: the kernel spans {reach} pixels (kernel {'x'.join(map(str, kernel_sizes))}, "
            f"dilation_rate={dilation}), more than the padded input's {padded}: the output would "
            "be empty. padding='same' would fit, or use a smaller kernel."
        )
    return Windows(spatial, tuple(kernel_sizes), strides, dilation, pads, out)


def pad_spatial(x: np.ndarray, pads: tuple[Pair, ...]) -> np.ndarray:
    """Zeros around the spatial axes of a channels_last batch (no copy when there are none)."""
    if not any(map(any, pads)):
        return x
    return np.pad(x, ((0, 0), *pads, (0, 0)))


def unpad_spatial(x: np.ndarray, pads: tuple[Pair, ...]) -> np.ndarray:
    """The inverse of `pad_spatial`: the cells that were input."""
    inside = tuple(
        slice(before, size - after)
        for size, (before, after) in zip(x.shape[1:-1], pads, strict=True)
    )
    return x[(slice(None), *inside)]


# --- patches and their scatter (im2col / col2im) -------------------------------------------
def window_view(xp: np.ndarray, out: Sizes, kernel: Sizes, strides: Sizes, dilation: Sizes):
    """Every kernel window of a padded channels_last batch, as a view (no copy).

    In 2-D, `windows[n, i, j, a, b, c] = xp[n, i·s_h + a·d_h, j·s_w + b·d_w, c]`: the shape
    is (batch, *out, *kernel, channels). Read-only: windows overlap in memory.
    """
    step_n, *step_spatial, step_c = xp.strides  # bytes to the next sample, cell, channel
    next_window = [step * s for step, s in zip(step_spatial, strides, strict=True)]  # s cells on
    next_tap = [step * d for step, d in zip(step_spatial, dilation, strict=True)]  # d cells on
    return as_strided(
        xp,
        shape=(xp.shape[0], *out, *kernel, xp.shape[-1]),
        strides=(step_n, *next_window, *next_tap, step_c),
        writeable=False,
    )


def patch_matrix(xp: np.ndarray, w: Windows) -> np.ndarray:
    """The windows laid out as a matrix: the one copy the convolution makes.

    Shape (batch·out..., kernel...·channels): row = output pixel, column = (a, b, c).
    """
    windows = window_view(xp, w.out, w.kernel, w.strides, w.dilation)  # (n, *out, *k, c)
    return windows.reshape(-1, math.prod(windows.shape[1 + len(w.out) :]))


def col2im(
    stamp: Callable[[tuple], np.ndarray], w: Windows, padded_shape: tuple, dtype
) -> np.ndarray:
    """Add each kernel offset's stamp back where its pixels came from (the patch scatter).

    `stamp(offset)` is (batch, *out, channels): for the kernel offset (a, b), the share of
    the input pixel (i·s_h + a·d_h, j·s_w + b·d_w) in window (i, j). Windows overlap, so the
    strided slices overlap and the adds accumulate: one vectorised slice-add per kernel
    offset. Going offset by offset keeps a single input-sized stamp in memory.
    """
    result = np.zeros(padded_shape, dtype=dtype)  # (n, *padded, c)
    for offset in np.ndindex(*w.kernel):
        cells = tuple(
            slice(k * d, k * d + (o - 1) * s + 1, s)
            for k, d, o, s in zip(offset, w.dilation, w.out, w.strides, strict=True)
        )
        result[(slice(None), *cells)] += stamp(offset)
    return result


def _crop(x: np.ndarray, crops: tuple[Pair, ...]) -> np.ndarray:
    """Cut `crops[i] = (before, after)` pixels off spatial axis i; a negative crop pads zeros."""
    x = pad_spatial(x, tuple((max(-b, 0), max(-e, 0)) for b, e in crops))
    return unpad_spatial(x, tuple((max(b, 0), max(e, 0)) for b, e in crops))


def _uncrop(g: np.ndarray, crops: tuple[Pair, ...]) -> np.ndarray:
    """The adjoint of `_crop`: zeros where it cut, and cut where it padded."""
    return _crop(g, tuple((-b, -e) for b, e in crops))


# --- data formats ----------------------------------------------------------------------------
def to_channels_last(x: np.ndarray, data_format: str) -> np.ndarray:
    # contiguous, so that the patch-matrix copy reads memory in order
    return np.ascontiguousarray(np.moveaxis(x, 1, -1)) if data_format == "channels_first" else x


def from_channels_last(x: np.ndarray, data_format: str) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(x, -1, 1)) if data_format == "channels_first" else x


def check_ranks(op: str, x: Tensor, kernel: Tensor, ranks=(1, 2, 3)) -> int:
    """The number of spatial axes, after checking that the input and the kernel agree on it."""
    rank = x.ndim - 2
    if rank not in ranks or kernel.ndim != x.ndim:
        ranks_text = " or ".join(f"{r + 2}-D" for r in ranks)
        layouts = " or ".join(f"(batch, {', '.join(_AXES[r])}, channels)" for r in ranks)
        raise ValueError(
            f"{op}: expects a {ranks_text} input {layouts} (channels second for "
            "data_format='channels_first') and a kernel of the same rank. Received: "
            f"inputs.shape={x.shape}, kernel.shape={kernel.shape}"
        )
    return rank


def _check_channels(op: str, channels: int, expected: int, kernel_shape, layout: str) -> None:
    if channels != expected:
        raise ValueError(
            f"{op}: the input has {channels} channels, but the kernel {layout} = "
            f"{kernel_shape} expects {expected}."
        )


# --- the ops -----------------------------------------------------------------------------------
def conv(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """Convolution (cross-correlation) over 1, 2 or 3 spatial axes: one GEMM on the patch matrix.

    Formula (2-D): $y_{n,i,j,o} = \\sum_{a,b,c} x_{n,\\,i s_h + a d_h,\\,j s_w + b d_w,\\,c}\\, W_{a,b,c,o}$
    (x padded first), i.e. `y = patches(x) @ W`; one more index per axis in 3-D, one less in 1-D.
    VJPs: $\\partial L/\\partial W = patches^T g$; $\\partial L/\\partial x = \\mathrm{col2im}(g W^T)$.

    Args:
        inputs: (batch, *spatial, channels) for `'channels_last'`, (batch, channels,
            *spatial) for `'channels_first'`; the rank says how many spatial axes.
        kernel: (*kernel_size, in_channels, out_channels), as Keras's Conv layers store it.
        strides: step between windows, an int or one per spatial axis.
        padding: `'valid'` (no padding), `'same'` (zeros around, so that the output has
            ceil(size / stride) pixels; the odd pixel goes at the end) or, for sequences,
            `'causal'` (zeros at the start only).
        data_format: default `image_data_format()`.
        dilation_rate: gap between kernel taps, an int or one per spatial axis.

    Returns:
        (batch, *out_spatial, out_channels) (or channels first), the input's float type.

    Example:
        >>> conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 2))).shape
        (1, 3, 3, 2)
    """
    x, kernel = as_tensor(inputs), as_tensor(kernel)
    check_ranks("conv", x, kernel)
    data_format = standardize_data_format(data_format)
    x_cl = to_channels_last(x.data, data_format)  # (n, *spatial, c)
    *kernel_sizes, k_in, filters = kernel.shape
    _check_channels("conv", x_cl.shape[-1], k_in, kernel.shape, "(*kernel_size, in, out)")
    paddings = ("valid", "same", "causal") if x.ndim == 3 else ("valid", "same")
    w = windows_of(
        "conv", x_cl.shape, tuple(kernel_sizes), strides, padding, dilation_rate, paddings
    )
    dtype = np.result_type(x.dtype, kernel.dtype)
    xp = pad_spatial(x_cl, w.pads)  # (n, *padded, c)
    W = kernel.data.reshape(-1, filters)  # (K·c, filters): one column per filter

    lead = (len(xp), *w.out)  # (n, *out): one row of the patch matrix each
    patches = patch_matrix(xp, w)  # (n·out, K·c)
    y = (patches @ W).reshape(*lead, filters).astype(dtype, copy=False)  # (n, *out, f)
    del patches  # rebuilt in the backward pass: keeping it would cost K times the input

    def vjp_x(g: np.ndarray) -> np.ndarray:
        g2 = to_channels_last(g, data_format).reshape(-1, filters)  # (n·out, f)

        def stamp(offset):  # GEMM 2, g Wᵀ, one kernel offset at a time
            return (g2 @ kernel.data[offset].T).reshape(*lead, -1)  # (n, *out, c)

        dx = unpad_spatial(col2im(stamp, w, xp.shape, g.dtype), w.pads)  # (n, *spatial, c)
        return from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        g2 = to_channels_last(g, data_format).reshape(-1, filters)  # (n·out, f)
        dW = patch_matrix(xp, w).T @ g2  # GEMM 1: (K·c, f)
        return dW.reshape(kernel.shape).astype(kernel.dtype, copy=False)

    return record(from_channels_last(y, data_format), (x, kernel), (vjp_x, vjp_kernel))


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    output_padding=None,
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """Transposed convolution over 1, 2 or 3 spatial axes: each input pixel paints a stamp.

    Formula (2-D): $y^{full}_{n,\\,i s_h + a d_h,\\,j s_w + b d_w,\\,o} \\mathrel{+}= \\sum_c x_{n,i,j,c}\\, W_{a,b,o,c}$,
    i.e. `y_full = col2im(x @ Wᵀ)`, then cropped to Keras's output size
    (see `conv_transpose_crops`). It is exactly the gradient of `conv` with respect
    to its input, which is why it "undoes" a strided convolution's shape.
    VJPs: $\\partial L/\\partial x = patches(g) W$; $\\partial L/\\partial W = patches(g)^T x$
    (g zero-padded back to the full size first).

    Args:
        inputs: (batch, *spatial, in_channels) (or channels_first).
        kernel: (*kernel_size, out_channels, in_channels), as Keras's ConvTranspose layers
            store it (note: out before in).
        output_padding: extra cells at the end of each spatial axis, each < its stride
            (None: Keras's default size).
    """
    x, kernel = as_tensor(inputs), as_tensor(kernel)
    rank = check_ranks("conv_transpose", x, kernel)
    data_format = standardize_data_format(data_format)
    x_cl = to_channels_last(x.data, data_format)  # (n, *spatial, c_in)
    *kernel_sizes, filters, c_in = kernel.shape
    _check_channels("conv_transpose", x_cl.shape[-1], c_in, kernel.shape, "(*kernel_size, out, in)")
    strides = standardize_tuple(strides, rank, "strides")
    dilation = standardize_tuple(dilation_rate, rank, "dilation_rate")
    padding = standardize_padding(padding)
    out_pad = (
        (None,) * rank
        if output_padding is None
        else standardize_tuple(output_padding, rank, "output_padding", True)
    )
    # The windows of the convolution whose input-gradient this is: one window per input
    # pixel, over the full (uncropped) output.
    spatial = x_cl.shape[1:-1]
    full = tuple(
        (n - 1) * s + effective_kernel_size(k, d)
        for n, s, k, d in zip(spatial, strides, kernel_sizes, dilation, strict=True)
    )
    w = Windows(full, tuple(kernel_sizes), strides, dilation, ((0, 0),) * rank, spatial)
    crops = tuple(
        conv_transpose_crops(n, k, s, padding, extra, d)
        for n, k, s, extra, d in zip(spatial, kernel_sizes, strides, out_pad, dilation, strict=True)
    )
    dtype = np.result_type(x.dtype, kernel.dtype)
    x2 = x_cl.reshape(-1, c_in)  # (n·spatial, c_in)

    def stamp(offset):  # x Wᵀ for one kernel offset: (n, *spatial, f)
        return (x2 @ kernel.data[offset].T).reshape(*x_cl.shape[:-1], filters)

    y_full = col2im(stamp, w, (len(x_cl), *w.spatial, filters), dtype)  # (n, *full, f)
    y = _crop(y_full, crops)
    W = kernel.data.reshape(-1, c_in)  # (K·f, c_in): rows in (offset, o) order

    def g_patches(g: np.ndarray) -> np.ndarray:
        g_full = _uncrop(to_channels_last(g, data_format), crops)  # (n, *full, f)
        return patch_matrix(g_full, w)  # (n·spatial, K·f)

    def vjp_x(g: np.ndarray) -> np.ndarray:
        dx = (g_patches(g) @ W).reshape(x_cl.shape)  # a plain convolution of g
        return from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        dW = g_patches(g).T @ x2  # (K·f, c_in)
        return dW.reshape(kernel.shape).astype(kernel.dtype, copy=False)

    y = np.ascontiguousarray(y).astype(dtype, copy=False)
    return record(from_channels_last(y, data_format), (x, kernel), (vjp_x, vjp_kernel))


# --- one name per rank: Keras 2's K.conv1d/2d/3d and K.conv2d_transpose/3d -----------------
def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
    """`conv` of sequences (batch, steps, channels); `padding='causal'` pads the start only."""
    _with_rank("conv1d", 1, x, kernel)
    return conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv2d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
    """`conv` of images (batch, height, width, channels); kernel (kh, kw, in, out)."""
    _with_rank("conv2d", 2, x, kernel)
    return conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv3d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
    """`conv` of volumes (batch, depth, height, width, channels); kernel (kd, kh, kw, in, out)."""
    _with_rank("conv3d", 3, x, kernel)
    return conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv2d_transpose(
    x, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1
) -> Tensor:
    """`conv_transpose` of images; kernel (kh, kw, out, in)."""
    _with_rank("conv2d_transpose", 2, x, kernel)
    return conv_transpose(x, kernel, strides, padding, output_padding, data_format, dilation_rate)


def conv3d_transpose(
    x, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1
) -> Tensor:
    """`conv_transpose` of volumes; kernel (kd, kh, kw, out, in)."""
    _with_rank("conv3d_transpose", 3, x, kernel)
    return conv_transpose(x, kernel, strides, padding, output_padding, data_format, dilation_rate)


def _with_rank(op: str, rank: int, x, kernel) -> None:
    check_ranks(op, as_tensor(x), as_tensor(kernel), (rank,))

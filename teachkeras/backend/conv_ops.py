"""Convolutions: `conv2d`, `conv1d` and `conv2d_transpose`, each one fused op.

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
    ∂L/∂patches = g @ Wᵀ                       GEMM 2 (done per kernel offset, as one
                                               stacked matmul, so the scatter reads
                                               contiguous memory)
    ∂L/∂x       = col2im(∂L/∂patches)          each patch's gradient added back where
                                               the patch came from ("patch scatter")

Patches overlap, so col2im *adds*: a pixel under several windows receives a share
from each. The scatter is a loop over the kh·kw kernel offsets, each step one
vectorised slice-add over the whole batch (never a loop over pixels).

The transposed convolution is the same machinery swapped: its forward is GEMM 2 and
the scatter (it is the gradient of a convolution with respect to its input), its
backward is the patches and a GEMM. Everything is computed channels_last; a
channels_first input is transposed at the edges.
"""

from __future__ import annotations

import math

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


# --- patches and their scatter (im2col / col2im) -------------------------------------------
def _windows(
    xp: np.ndarray, out_hw: Pair, kernel_hw: Pair, strides: Pair, dilation: Pair
) -> np.ndarray:
    """Every kernel window of a padded channels_last batch, as a view (no copy).

    `windows[n, i, j, a, b, c] = xp[n, i·s_h + a·d_h, j·s_w + b·d_w, c]`; the shape is
    (batch, out_h, out_w, kh, kw, channels). Read-only: windows overlap in memory.
    """
    n, _, _, c = xp.shape
    step_n, step_h, step_w, step_c = xp.strides
    return as_strided(
        xp,
        shape=(n, *out_hw, *kernel_hw, c),
        strides=(
            step_n,
            step_h * strides[0],  # next output row: `s_h` input rows further
            step_w * strides[1],
            step_h * dilation[0],  # next kernel row: `d_h` input rows further
            step_w * dilation[1],
            step_c,
        ),
        writeable=False,
    )


def _patch_matrix(
    xp: np.ndarray, out_hw: Pair, kernel_hw: Pair, strides: Pair, dilation: Pair
) -> np.ndarray:
    """The windows laid out as a matrix: the one copy the convolution makes.

    Shape (batch·out_h·out_w, kh·kw·channels): row = output pixel, column = (a, b, c).
    """
    windows = _windows(xp, out_hw, kernel_hw, strides, dilation)  # (n, oh, ow, kh, kw, c)
    return windows.reshape(-1, math.prod(windows.shape[3:]))


def _col2im_product(
    m: np.ndarray,
    kernel: np.ndarray,
    lead_shape: tuple,
    padded_shape: tuple,
    strides: Pair,
    dilation: Pair,
) -> np.ndarray:
    """col2im of `m @ Wᵀ`: each kernel offset's product, added back where it came from.

    For the kernel offset (a, b), `m @ kernel[a, b]ᵀ` holds one value per (window,
    channel): the share of the input pixel (i·s_h + a·d_h, j·s_w + b·d_w) in window
    (i, j). Windows overlap, so the strided slices overlap and the adds accumulate:
    kh·kw vectorised steps, each one GEMM and one slice-add. Going offset by offset keeps
    a single input-sized stamp in memory (all kh·kw at once would cost kh·kw times the input).

    Args:
        m: (n·out_h·out_w, kernel.shape[3]) rows, one per window.
        kernel: (kh, kw, channels, kernel.shape[3]).
        lead_shape: (n, out_h, out_w).
        padded_shape: shape of the result, (n, padded_h, padded_w, channels).
    """
    kh, kw = kernel.shape[:2]
    _, out_h, out_w = lead_shape
    result = np.zeros(padded_shape, dtype=m.dtype)  # (n, padded_h, padded_w, c)
    for a in range(kh):
        top = a * dilation[0]
        rows = slice(top, top + (out_h - 1) * strides[0] + 1, strides[0])
        for b in range(kw):
            left = b * dilation[1]
            cols = slice(left, left + (out_w - 1) * strides[1] + 1, strides[1])
            result[:, rows, cols, :] += (m @ kernel[a, b].T).reshape(*lead_shape, -1)
    return result


def _crop(x: np.ndarray, crops: tuple[Pair, Pair]) -> np.ndarray:
    """Cut `crops[i] = (before, after)` pixels off spatial axis i; a negative crop pads zeros."""
    pad = [(0, 0)] + [(max(-b, 0), max(-e, 0)) for b, e in crops] + [(0, 0)]
    if any(p != (0, 0) for p in pad):
        x = np.pad(x, pad)
    (top, bottom), (left, right) = [(max(b, 0), max(e, 0)) for b, e in crops]
    return x[:, top : x.shape[1] - bottom, left : x.shape[2] - right, :]


def _uncrop(g: np.ndarray, crops: tuple[Pair, Pair]) -> np.ndarray:
    """The adjoint of `_crop`: zeros where it cut, and cut where it padded."""
    return _crop(g, tuple((-b, -e) for b, e in crops))


# --- data formats ----------------------------------------------------------------------------
def _to_channels_last(x: np.ndarray, data_format: str) -> np.ndarray:
    # contiguous, so that the patch-matrix copy reads memory in order
    return np.ascontiguousarray(np.moveaxis(x, 1, -1)) if data_format == "channels_first" else x


def _from_channels_last(x: np.ndarray, data_format: str) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(x, -1, 1)) if data_format == "channels_first" else x


def _check_ranks(op: str, x: Tensor, kernel: Tensor, ndim: int) -> None:
    if x.ndim != ndim or kernel.ndim != ndim:
        raise ValueError(
            f"{op} expects a {ndim}-D input (batch, spatial..., channels) and a {ndim}-D "
            f"kernel. Received: inputs.shape={x.shape}, kernel.shape={kernel.shape}"
        )


# --- the ops -----------------------------------------------------------------------------------
def _conv2d_padded(
    x: Tensor, kernel: Tensor, strides: Pair, pads, dilation: Pair, data_format: str
) -> Tensor:
    """`conv2d` with explicit `pads = ((top, bottom), (left, right))` (conv1d's causal needs it)."""
    x_cl = _to_channels_last(x.data, data_format)  # (n, h, w, c)
    n, h, w, c = x_cl.shape
    kh, kw, k_in, filters = kernel.shape
    if k_in != c:
        raise ValueError(
            f"conv2d: the input has {c} channels, but the kernel (kh, kw, in_channels, "
            f"out_channels) = {kernel.shape} expects {k_in}."
        )
    out_hw = (
        conv_output_size(h, kh, strides[0], pads[0], dilation[0]),
        conv_output_size(w, kw, strides[1], pads[1], dilation[1]),
    )
    if min(out_hw) <= 0:
        reach = (effective_kernel_size(kh, dilation[0]), effective_kernel_size(kw, dilation[1]))
        padded = (h + sum(pads[0]), w + sum(pads[1]))
        raise ValueError(
            f"conv2d: the kernel spans {reach} pixels (kernel {kh}x{kw}, dilation_rate="
            f"{dilation}), more than the padded input's {padded}: the output would be empty. "
            "padding='same' would fit, or use a smaller kernel."
        )
    dtype = np.result_type(x.dtype, kernel.dtype)
    xp = np.pad(x_cl, ((0, 0), *pads, (0, 0))) if any(map(any, pads)) else x_cl
    W = kernel.data.reshape(kh * kw * c, filters)  # (kh·kw·c, filters): one column per filter

    patches = _patch_matrix(xp, out_hw, (kh, kw), strides, dilation)  # (n·oh·ow, kh·kw·c)
    y = (patches @ W).reshape(n, *out_hw, filters).astype(dtype, copy=False)  # (n, oh, ow, f)
    del patches  # rebuilt in the backward pass: keeping it would cost kh·kw times the input

    def vjp_x(g: np.ndarray) -> np.ndarray:
        g2 = _to_channels_last(g, data_format).reshape(-1, filters)  # (n·oh·ow, f)
        # GEMM 2, g Wᵀ, one kernel offset at a time, each added where its pixels came from
        dxp = _col2im_product(g2, kernel.data, (n, *out_hw), xp.shape, strides, dilation)
        dx = dxp[:, pads[0][0] : pads[0][0] + h, pads[1][0] : pads[1][0] + w, :]
        return _from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        g2 = _to_channels_last(g, data_format).reshape(-1, filters)  # (n·oh·ow, f)
        patches = _patch_matrix(xp, out_hw, (kh, kw), strides, dilation)
        return (patches.T @ g2).reshape(kernel.shape).astype(kernel.dtype, copy=False)  # GEMM 1

    return record(_from_channels_last(y, data_format), (x, kernel), (vjp_x, vjp_kernel))


def conv2d(
    x,
    kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """2-D convolution (cross-correlation), one GEMM on the patch matrix.

    Formula: $y_{n,i,j,o} = \\sum_{a,b,c} x_{n,\\,i s_h + a d_h,\\,j s_w + b d_w,\\,c}\\, W_{a,b,c,o}$
    (x padded first), i.e. `y = patches(x) @ W`.
    VJPs: $\\partial L/\\partial W = patches^T g$; $\\partial L/\\partial x = \\mathrm{col2im}(g W^T)$.

    Args:
        x: images, (batch, height, width, channels) for `'channels_last'` or
            (batch, channels, height, width) for `'channels_first'`.
        kernel: (kh, kw, in_channels, out_channels), as a Keras Conv2D stores it.
        strides: step between windows, an int or (s_h, s_w).
        padding: `'valid'` (no padding) or `'same'` (zeros around, so that the output
            has ceil(size / stride) pixels; the odd pixel goes at the bottom/right).
        data_format: default `image_data_format()`.
        dilation_rate: gap between kernel taps, an int or (d_h, d_w).

    Returns:
        (batch, out_h, out_w, out_channels) (or channels first), the input's float type.

    Example:
        >>> conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 2))).shape
        (1, 3, 3, 2)
    """
    x, kernel = as_tensor(x), as_tensor(kernel)
    _check_ranks("conv2d", x, kernel, 4)
    data_format = standardize_data_format(data_format)
    strides = standardize_tuple(strides, 2, "strides")
    dilation = standardize_tuple(dilation_rate, 2, "dilation_rate")
    padding = standardize_padding(padding)
    hw = x.shape[1:3] if data_format == "channels_last" else x.shape[2:4]
    pads = tuple(
        same_padding(size, k, s, d) if padding == "same" else (0, 0)
        for size, k, s, d in zip(hw, kernel.shape[:2], strides, dilation, strict=True)
    )
    return _conv2d_padded(x, kernel, strides, pads, dilation, data_format)


def conv1d(
    x,
    kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """1-D convolution over (batch, steps, channels): `conv2d` on a height-1 image.

    Formula: $y_{n,t,o} = \\sum_{a,c} x_{n,\\,t s + a d,\\,c}\\, W_{a,c,o}$ (x padded first).
    `padding='causal'` pads $(k - 1) d$ zeros at the start only, so that $y_t$ sees
    no input after step $t$ (for sequences). Gradients come from `conv2d`.

    Args:
        x: (batch, steps, channels) or, channels_first, (batch, channels, steps).
        kernel: (k, in_channels, out_channels), as Keras's Conv1D stores it.
    """
    from .array_ops import expand_dims, squeeze

    x, kernel = as_tensor(x), as_tensor(kernel)
    _check_ranks("conv1d", x, kernel, 3)
    data_format = standardize_data_format(data_format)
    (stride,) = standardize_tuple(strides, 1, "strides")
    (dilation,) = standardize_tuple(dilation_rate, 1, "dilation_rate")
    padding = standardize_padding(padding, ("valid", "same", "causal"))
    steps, k = x.shape[1] if data_format == "channels_last" else x.shape[2], kernel.shape[0]
    if padding == "same":
        pads = same_padding(steps, k, stride, dilation)
    elif padding == "causal":
        pads = (effective_kernel_size(k, dilation) - 1, 0)
    else:
        pads = (0, 0)
    # (n, steps, c) -> (n, 1, steps, c), or (n, c, steps) -> (n, c, 1, steps); kernel (1, k, c, f)
    image = expand_dims(x, 1 if data_format == "channels_last" else 2)
    y = _conv2d_padded(
        image, expand_dims(kernel, 0), (1, stride), ((0, 0), pads), (1, dilation), data_format
    )
    return squeeze(y, 1 if data_format == "channels_last" else 2)


def conv2d_transpose(
    x,
    kernel,
    strides=1,
    padding: str = "valid",
    output_padding=None,
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """Transposed 2-D convolution: each input pixel paints a kernel-sized stamp.

    Formula: $y^{full}_{n,\\,i s_h + a d_h,\\,j s_w + b d_w,\\,o} \\mathrel{+}= \\sum_c x_{n,i,j,c}\\, W_{a,b,o,c}$,
    i.e. `y_full = col2im(x @ Wᵀ)`, then cropped to Keras's output size
    (see `conv_transpose_crops`). It is exactly the gradient of `conv2d` with respect
    to its input, which is why it "undoes" a strided convolution's shape.
    VJPs: $\\partial L/\\partial x = patches(g) W$; $\\partial L/\\partial W = patches(g)^T x$
    (g zero-padded back to the full size first).

    Args:
        x: (batch, height, width, in_channels) (or channels_first).
        kernel: (kh, kw, out_channels, in_channels), as Keras's Conv2DTranspose stores it.
        output_padding: extra rows/cols at the end of the output, each < stride
            (None: Keras's default size).
    """
    x, kernel = as_tensor(x), as_tensor(kernel)
    _check_ranks("conv2d_transpose", x, kernel, 4)
    data_format = standardize_data_format(data_format)
    strides = standardize_tuple(strides, 2, "strides")
    dilation = standardize_tuple(dilation_rate, 2, "dilation_rate")
    padding = standardize_padding(padding)
    out_pad = (
        (None, None)
        if output_padding is None
        else standardize_tuple(output_padding, 2, "output_padding", True)
    )

    x_cl = _to_channels_last(x.data, data_format)  # (n, h, w, c_in)
    n, h, w, c_in = x_cl.shape
    kh, kw, filters, k_in = kernel.shape
    if k_in != c_in:
        raise ValueError(
            f"conv2d_transpose: the input has {c_in} channels, but the kernel (kh, kw, "
            f"out_channels, in_channels) = {kernel.shape} expects {k_in}."
        )
    full_shape = (
        n,
        (h - 1) * strides[0] + effective_kernel_size(kh, dilation[0]),
        (w - 1) * strides[1] + effective_kernel_size(kw, dilation[1]),
        filters,
    )
    crops = tuple(
        conv_transpose_crops(size, k, s, padding, op, d)
        for size, k, s, op, d in zip((h, w), (kh, kw), strides, out_pad, dilation, strict=True)
    )
    dtype = np.result_type(x.dtype, kernel.dtype)
    W = kernel.data.reshape(kh * kw * filters, c_in)  # rows in (a, b, o) order
    # x @ Wᵀ, offset first: (kh·kw, n·h·w, f)
    y_full = _col2im_product(
        x_cl.reshape(-1, c_in), kernel.data, (n, h, w), full_shape, strides, dilation
    )  # (n, full_h, full_w, f)
    y = _crop(y_full, crops).astype(dtype, copy=False)

    def g_patches(g: np.ndarray) -> np.ndarray:
        g_full = _uncrop(_to_channels_last(g, data_format), crops)  # (n, full_h, full_w, f)
        return _patch_matrix(g_full, (h, w), (kh, kw), strides, dilation)  # (n·h·w, kh·kw·f)

    def vjp_x(g: np.ndarray) -> np.ndarray:
        dx = (g_patches(g) @ W).reshape(n, h, w, c_in)  # a plain convolution of g
        return _from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        dW = g_patches(g).T @ x_cl.reshape(-1, c_in)  # (kh·kw·f, c_in)
        return dW.reshape(kernel.shape).astype(kernel.dtype, copy=False)

    return record(
        _from_channels_last(np.ascontiguousarray(y), data_format), (x, kernel), (vjp_x, vjp_kernel)
    )


# --- Keras 3's `ops.conv` and `ops.conv_transpose`: the rank comes from the input ------------
def conv(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """A 1-D or 2-D convolution, chosen by the input's rank: `conv1d` or `conv2d`.

    Args:
        inputs: (batch, steps, channels) or (batch, height, width, channels) (channels
            first when `data_format='channels_first'`).
        kernel: (k, in_channels, out_channels) or (kh, kw, in_channels, out_channels).
        strides, padding, dilation_rate: as `conv2d` ('valid' or 'same'; 'causal' for 1-D).
    """
    inputs = as_tensor(inputs)
    if inputs.ndim == 3:
        return conv1d(inputs, kernel, strides, padding, data_format, dilation_rate)
    if inputs.ndim == 4:
        return conv2d(inputs, kernel, strides, padding, data_format, dilation_rate)
    raise ValueError(
        "conv: teachkeras convolves sequences (3-D inputs) and images (4-D inputs). "
        f"Received: inputs.shape={inputs.shape}"
    )


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    output_padding=None,
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """A 1-D or 2-D transposed convolution, chosen by the input's rank.

    The 1-D one is `conv2d_transpose` on a height-1 image, as `conv1d` is `conv2d`'s.

    Args:
        inputs: (batch, steps, channels) or (batch, height, width, channels).
        kernel: (k, out_channels, in_channels) or (kh, kw, out_channels, in_channels).
        output_padding: as `conv2d_transpose` (an int for 1-D).
    """
    from .array_ops import expand_dims, squeeze

    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    if inputs.ndim == 4:
        return conv2d_transpose(
            inputs, kernel, strides, padding, output_padding, data_format, dilation_rate
        )
    if inputs.ndim != 3:
        raise ValueError(
            "conv_transpose: teachkeras supports sequences (3-D inputs) and images (4-D inputs). "
            f"Received: inputs.shape={inputs.shape}"
        )
    _check_ranks("conv_transpose", inputs, kernel, 3)
    data_format = standardize_data_format(data_format)
    height = 1 if data_format == "channels_last" else 2  # the added axis of length 1
    (stride,) = standardize_tuple(strides, 1, "strides")
    (dilation,) = standardize_tuple(dilation_rate, 1, "dilation_rate")
    if output_padding is not None:
        (output_padding,) = standardize_tuple(output_padding, 1, "output_padding", True)
        output_padding = (0, output_padding)
    y = conv2d_transpose(
        expand_dims(inputs, height),
        expand_dims(kernel, 0),  # (1, k, out, in)
        (1, stride),
        padding,
        output_padding,
        data_format,
        (1, dilation),
    )
    return squeeze(y, height)

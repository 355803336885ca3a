"""Depthwise and separable convolutions: `depthwise_conv` (one fused op) and `separable_conv`.

A depthwise convolution gives every input channel kernels of its own (`M` of them, the
depth multiplier) and never mixes channels:

    y[n, i, j, c·M + m] = Σ_{a, b} x[n, i·s + a·d, j·s + b·d, c] · W[a, b, c, m]

It reads the same windows as `conv` (`conv_ops.window_view`, a view: nothing copied). But
where a convolution's sum runs over kh·kw·channels numbers, and is worth one large matrix
product, a depthwise one sums only the kh·kw taps of one channel: per channel a product
of a (pixels, kh·kw) by a (kh·kw, M) matrix, far too thin for a GEMM to pay off (NumPy's
batched matmul is 10× slower here than what follows). So the sum is written as it reads,
one kernel offset (a, b) at a time, each step one multiply-add over the whole batch:

    y[..., c, m] += windows[..., a, b, c] · W[a, b, c, m]       kh·kw vectorised steps

The backward pass walks the same offsets (for g = ∂L/∂y):

    ∂L/∂W[a, b, c, m] = Σ_{n,i,j} windows[n, i, j, a, b, c] · g[n, i, j, c, m]
    ∂L/∂x             = col2im(Σ_m g · W[a, b])                the patch scatter of conv_ops

A depthwise convolution costs K·M multiply-adds per input value where a full one costs
K·filters: the whole point of MobileNet and Xception.

A *separable* convolution is a depthwise one followed by a 1×1 convolution that mixes
the channels (the "pointwise" step). It is written as those two ops, so it needs no
backward of its own.
"""

from __future__ import annotations

import numpy as np

from .config import standardize_data_format
from .conv_ops import (
    check_ranks,
    col2im,
    conv,
    from_channels_last,
    pad_spatial,
    to_channels_last,
    unpad_spatial,
    window_view,
    windows_of,
)
from .tensor import Tensor, as_tensor, record


def depthwise_conv(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """Depthwise convolution over 1, 2 or 3 spatial axes (as `keras.ops.depthwise_conv`).

    Formula (2-D): $y_{n,i,j,\\,cM+m} = \\sum_{a,b} x_{n,\\,i s_h + a d_h,\\,j s_w + b d_w,\\,c}\\, W_{a,b,c,m}$
    (x padded first), summed one kernel offset (a, b) at a time over the window view.
    VJPs: $\\partial L/\\partial W_{a,b,c,m} = \\sum_{n,i,j} \\mathrm{windows}_{n,i,j,a,b,c}\\, g_{n,i,j,c,m}$;
    $\\partial L/\\partial x = \\mathrm{col2im}(\\sum_m g_{\\cdot,c,m} W_{a,b,c,m})$.

    Args:
        inputs: (batch, *spatial, channels) (or channels_first).
        kernel: (*kernel_size, in_channels, depth_multiplier), as Keras's DepthwiseConv
            layers store it. Output channel `c·M + m` is input channel c's m-th kernel.
        strides, padding ('valid' or 'same'), data_format, dilation_rate: as `conv`.

    Returns:
        (batch, *out_spatial, in_channels·depth_multiplier) (or channels first).

    Example:
        >>> depthwise_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2))).shape
        (1, 3, 3, 6)
    """
    x, kernel = as_tensor(inputs), as_tensor(kernel)
    check_ranks("depthwise_conv", x, kernel)
    data_format = standardize_data_format(data_format)
    x_cl = to_channels_last(x.data, data_format)  # (n, *spatial, c)
    *kernel_sizes, channels, multiplier = kernel.shape
    if x_cl.shape[-1] != channels:
        raise ValueError(
            f"depthwise_conv: the input has {x_cl.shape[-1]} channels, but the kernel "
            f"(*kernel_size, in_channels, depth_multiplier) = {kernel.shape} expects {channels}."
        )
    w = windows_of(
        "depthwise_conv", x_cl.shape, tuple(kernel_sizes), strides, padding, dilation_rate
    )
    dtype = np.result_type(x.dtype, kernel.dtype)
    xp = pad_spatial(x_cl, w.pads)  # (n, *padded, c)
    windows = window_view(xp, w.out, w.kernel, w.strides, w.dilation)  # (n, *out, *k, c): a view
    lead = (len(xp), *w.out)  # (n, *out)

    def taps(offset):
        """Every window's input at one kernel offset: (n, *out, c), a view."""
        return windows[(..., *offset, slice(None))]

    y = np.zeros((*lead, channels, multiplier), dtype=dtype)  # (n, *out, c, M)
    for offset in np.ndindex(*w.kernel):  # kh·kw multiply-adds over the whole batch
        y += taps(offset)[..., None] * kernel.data[offset]  # (n, *out, c, 1) · (c, M)
    y = y.reshape(*lead, channels * multiplier)  # output channel c·M + m

    def per_channel(g: np.ndarray) -> np.ndarray:
        """g as (n, *out, c, M): each output's gradient, by input channel and kernel."""
        return to_channels_last(g, data_format).reshape(*lead, channels, multiplier)

    def vjp_x(g: np.ndarray) -> np.ndarray:
        g5 = per_channel(g)  # (n, *out, c, M)

        def stamp(offset):  # Σ_m g W[offset]: each pixel's share, one kernel offset at a time
            return (g5 * kernel.data[offset]).sum(axis=-1)  # (n, *out, c)

        dx = unpad_spatial(col2im(stamp, w, xp.shape, g.dtype), w.pads)  # (n, *spatial, c)
        return from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        g5 = per_channel(g)  # (n, *out, c, M)
        batch_and_out = "nijk"[: len(lead)]  # summed over: every window of every sample
        sum_over_windows = f"{batch_and_out}c,{batch_and_out}cm->cm"
        dW = [np.einsum(sum_over_windows, taps(offset), g5) for offset in np.ndindex(*w.kernel)]
        return np.reshape(dW, kernel.shape).astype(kernel.dtype, copy=False)  # (*k, c, M)

    return record(from_channels_last(y, data_format), (x, kernel), (vjp_x, vjp_kernel))


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate=1,
) -> Tensor:
    """Depthwise, then pointwise: `conv(depthwise_conv(x, D), P)` with a 1×1 kernel P.

    Formula: $y_{\\cdot,o} = \\sum_{k} \\mathrm{depthwise}(x, D)_{\\cdot,k}\\, P_{k,o}$ (k runs over
    the in_channels·M depthwise outputs). Gradients come from the two ops.

    Args:
        depthwise_kernel: (*kernel_size, in_channels, depth_multiplier).
        pointwise_kernel: (1, ..., 1, in_channels·depth_multiplier, filters).
        The rest as `depthwise_conv` (strides and dilation belong to the depthwise step).

    Example:
        >>> separable_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2)), np.ones((1, 1, 6, 4))).shape
        (1, 3, 3, 4)
    """
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)

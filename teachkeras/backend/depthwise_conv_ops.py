"""Depthwise and separable convolutions: `depthwise_conv` (one fused op) and `separable_conv`.

A depthwise convolution gives every input channel kernels of its own (`M` of them, the
depth multiplier) and never mixes channels:

    y[n, i, j, c·M + m] = Σ_{a, b} x[n, i·s + a·d, j·s + b·d, c] · W[a, b, c, m]

It is the im2col picture of `conv_ops.py` with the channels kept apart. The patches of
one channel form a matrix (one row per output pixel, one column per kernel offset), and
that channel's M kernels are its columns:

    patches  (channels, batch·out_h·out_w, kh·kw)    one matrix per channel
    W        (channels, kh·kw, M)                    that channel's kernels
    y = patches @ W                                  one GEMM, batched over the channels

The backward pass reads the same way: ∂L/∂W = patchesᵀ @ g (per channel), and ∂L/∂x is
the patch scatter (`col2im`) of g·W, one kernel offset at a time. A depthwise convolution
costs K·M multiply-adds per input value where a full one costs K·filters: the whole point
of MobileNet and Xception.

A *separable* convolution is a depthwise one followed by a 1×1 convolution that mixes
the channels (the "pointwise" step). It is written as those two ops, so it needs no
backward of its own.
"""

from __future__ import annotations

import math

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


def _channel_patches(xp: np.ndarray, w) -> np.ndarray:
    """Each channel's patch matrix: (channels, batch·out..., kernel...), the one copy made."""
    windows = window_view(xp, w.out, w.kernel, w.strides, w.dilation)  # (n, *out, *k, c)
    channels_first = np.moveaxis(windows, -1, 0)  # (c, n, *out, *k): still a view
    return channels_first.reshape(xp.shape[-1], -1, math.prod(w.kernel))  # (c, P, K)


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
    (x padded first), i.e. per channel `y[c] = patches[c] @ W[c]`.
    VJPs: $\\partial L/\\partial W_{c} = patches_c^T g_c$;
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
    count = math.prod(w.kernel)
    W = np.moveaxis(kernel.data.reshape(count, channels, multiplier), 1, 0)  # (c, K, M)

    y = _channel_patches(xp, w) @ W  # (c, P, M): one GEMM per channel
    lead = (len(xp), *w.out)  # (n, *out)
    y = np.moveaxis(y, 0, 1).reshape(*lead, channels * multiplier)  # channel c·M + m
    y = y.astype(dtype, copy=False)

    def per_channel(g: np.ndarray) -> np.ndarray:
        """g as (P, c, M): each output pixel's gradient, split by input channel."""
        return to_channels_last(g, data_format).reshape(-1, channels, multiplier)

    def vjp_x(g: np.ndarray) -> np.ndarray:
        g3 = per_channel(g)  # (P, c, M)

        def stamp(offset):  # Σ_m g W[offset]: each pixel's share, one kernel offset at a time
            return (g3 * kernel.data[offset]).sum(axis=-1).reshape(*lead, channels)

        dx = unpad_spatial(col2im(stamp, w, xp.shape, g.dtype), w.pads)  # (n, *spatial, c)
        return from_channels_last(dx, data_format).astype(x.dtype, copy=False)

    def vjp_kernel(g: np.ndarray) -> np.ndarray:
        g3 = np.moveaxis(per_channel(g), 1, 0)  # (c, P, M)
        dW = np.swapaxes(_channel_patches(xp, w), 1, 2) @ g3  # (c, K, M): patchesᵀ g
        return np.moveaxis(dW, 0, 1).reshape(kernel.shape).astype(kernel.dtype, copy=False)

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

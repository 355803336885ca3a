"""Image resizing by whole factors, the op behind `UpSampling2D` (and Keras 2's `K.resize_images`).

Both interpolations are built from primitives, so their gradients come for free:
'nearest' repeats pixels (`repeat`), 'bilinear' multiplies by a fixed matrix per axis
($Y = A_h X A_w^T$, whose gradient is $A_h^T G A_w$).
"""

from __future__ import annotations

import numpy as np

from .array_ops import repeat, reshape, transpose
from .config import standardize_data_format
from .math_ops import matmul
from .tensor import Tensor, as_tensor


def resize_images(
    x, height_factor: int, width_factor: int, data_format=None, interpolation: str = "nearest"
) -> Tensor:
    """Enlarge images by whole factors: each pixel repeated ('nearest') or interpolated ('bilinear').

    'bilinear' uses half-pixel centres (TensorFlow 2, PyTorch's `align_corners=False`,
    Keras 3's `ops.image.resize`): output pixel o reads input position
    $(o + 0.5)/f - 0.5$, clamped to the image, mixing its two neighbours. Along each axis
    that is a fixed matrix A, so $Y = A_h X A_w^T$ (two matmuls; the gradient is $A_h^T G A_w$).
    """
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"resize_images expects 4-D images; got shape {x.shape}.")
    data_format = standardize_data_format(data_format)
    first = 1 if data_format == "channels_last" else 2  # the height axis
    factors = (int(height_factor), int(width_factor))
    if interpolation == "nearest":
        rows = repeat(x, factors[0], first)
        return repeat(rows, factors[1], first + 1)
    if interpolation != "bilinear":
        raise ValueError(
            f"`interpolation` must be 'nearest' or 'bilinear'. Received: {interpolation!r}"
        )
    height, width = x.shape[first], x.shape[first + 1]
    resize_h = Tensor(linear_resize_matrix(height, factors[0]).astype(x.dtype))  # (H, h)
    resize_w = Tensor(linear_resize_matrix(width, factors[1]).astype(x.dtype))  # (W, w)
    if data_format == "channels_first":  # (batch, c, h, w): A_h @ x @ A_w^T
        return matmul(resize_h, matmul(x, transpose(resize_w)))
    batch, _, _, channels = x.shape  # (batch, h, w, c): mix rows, then columns
    rows = matmul(resize_h, reshape(x, (batch, height, width * channels)))  # (batch, H, w*c)
    rows = reshape(rows, (batch, height * factors[0], width, channels))
    return matmul(resize_w, rows)  # (W, w) @ (batch, H, w, c) -> (batch, H, W, c)


def linear_resize_matrix(n: int, factor: int) -> np.ndarray:
    """The (n * factor, n) matrix of linear upsampling along one axis (half-pixel centres)."""
    src = np.clip((np.arange(n * factor) + 0.5) / factor - 0.5, 0, n - 1)
    below = np.floor(src).astype(np.int64)
    above = np.minimum(below + 1, n - 1)
    t = src - below
    matrix = np.zeros((n * factor, n))
    rows = np.arange(n * factor)
    matrix[rows, below] += 1 - t
    matrix[rows, above] += t  # += : at the last pixel below == above and t == 0
    return matrix

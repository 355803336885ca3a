"""Image ops: resizing and affine transforms (Keras 3's `keras.ops.image`), and resizing by
whole factors (`UpSampling2D`, Keras 2's `K.resize_images`).

Every op here is written from primitives, so its gradient comes for free:

    resize_images     'nearest' repeats pixels (`repeat`); 'bilinear' is a fixed matrix per axis
    resize            any size: one fixed matrix per axis, Y = R_h X R_wᵀ (gradient R_hᵀ G R_w)
    affine_transform  each output pixel reads the input at a transformed position: the
                      2 × 2 neighbours of every position (or the nearest one) are fetched with
                      ONE gather (`take`) for the whole batch, weighted and summed; the
                      gradient is the gather's, scattered back to the pixels that were read
"""

from __future__ import annotations

import numpy as np

from .array_ops import getitem, pad, repeat, reshape, take, transpose
from .config import standardize_data_format
from .math_ops import add, matmul, multiply
from .reduction_ops import sum as reduce_sum
from .tensor import Tensor, as_array, as_tensor


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
    return resize_matrix(n, n * factor, "bilinear")


# --- resize to any size: one matrix per axis ------------------------------------------------
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic")
_CUBIC_A = -0.75  # PyTorch's bicubic (Keras 3 on PyTorch); TensorFlow's uses -0.5


def resize_matrix(
    n_in: int, n_out: int, interpolation: str = "bilinear", antialias: bool = False
) -> np.ndarray:
    """The `(n_out, n_in)` matrix R with `resized = R @ column` along one axis.

    Output pixel i sits at input position s = (i + ½)·n_in/n_out − ½ (pixel centres line up,
    PyTorch's `align_corners=False`, which Keras 3's `ops.image.resize` uses):

        nearest   weight 1 on pixel ⌊(i + ½)·n_in/n_out⌋ ("nearest-exact")
        bilinear  weights 1 − t and t on pixels ⌊s⌋ and ⌊s⌋ + 1 (t = s − ⌊s⌋, s clamped at 0)
        bicubic   Keys' cubic on pixels ⌊s⌋ − 1 … ⌊s⌋ + 2 (a = −0.75; indices clamped)

    With `antialias`, bilinear and bicubic use PyTorch's antialiasing kernels (as Keras 3 on
    PyTorch does): when shrinking (scale = n_in/n_out > 1) the kernel is widened by the scale,
    so every input pixel under it is averaged; weights are normalised to sum 1 (bicubic's
    kernel then has a = −0.5, so it differs from plain bicubic even when enlarging).
    """
    scale = n_in / n_out
    i = np.arange(n_out)
    matrix = np.zeros((n_out, n_in))
    if interpolation == "nearest":
        matrix[i, np.minimum(np.floor((i + 0.5) * scale).astype(np.int64), n_in - 1)] = 1.0
        return matrix
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`: {interpolation!r}. Expected one of "
            f"{RESIZE_INTERPOLATIONS} (teachkeras has no 'lanczos3', 'lanczos5' or 'area')."
        )
    if antialias and interpolation != "nearest":
        return _antialias_matrix(n_in, n_out, interpolation)
    if interpolation == "bilinear":
        s = np.maximum((i + 0.5) * scale - 0.5, 0.0)
        low = np.minimum(np.floor(s).astype(np.int64), n_in - 1)
        t = s - low
        np.add.at(matrix, (i, low), 1.0 - t)
        np.add.at(matrix, (i, np.minimum(low + 1, n_in - 1)), t)  # += : both may be the last
        return matrix
    s = (i + 0.5) * scale - 0.5  # bicubic: not clamped
    low = np.floor(s).astype(np.int64)
    t = s - low
    for k, distance in enumerate((t + 1, t, 1 - t, 2 - t)):  # to pixels low-1 .. low+2
        np.add.at(matrix, (i, np.clip(low - 1 + k, 0, n_in - 1)), _cubic(distance))
    return matrix


def _cubic(x: np.ndarray, a: float = _CUBIC_A) -> np.ndarray:
    """Keys' cubic convolution kernel at distance |x| (0 beyond 2)."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _antialias_matrix(n_in: int, n_out: int, interpolation: str) -> np.ndarray:
    """Output i averages the input pixels j whose centres lie within `support` of its
    centre c = scale·(i + ½), weighted by the kernel at (j + ½ − c)/stretch, normalised to
    sum 1; stretch = max(scale, 1) widens the kernel only when shrinking."""
    scale = n_in / n_out
    stretch = max(scale, 1.0)
    support = (1.0 if interpolation == "bilinear" else 2.0) * stretch
    centre = scale * (np.arange(n_out) + 0.5)  # (n_out,)
    start = np.maximum((centre - support + 0.5).astype(np.int64), 0)
    stop = np.minimum((centre + support + 0.5).astype(np.int64), n_in)
    j = np.arange(n_in)  # (n_in,)
    distance = (j[None, :] + 0.5 - centre[:, None]) / stretch  # (n_out, n_in)
    kernel = (
        np.maximum(1 - np.abs(distance), 0)
        if interpolation == "bilinear"
        else _cubic(distance, a=-0.5)
    )
    inside = (j[None, :] >= start[:, None]) & (j[None, :] < stop[:, None])
    weights = np.where(inside, kernel, 0.0)
    return weights / weights.sum(axis=1, keepdims=True)


def resize(
    images,
    size,
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format=None,
) -> Tensor:
    """Resize images `(batch, height, width, channels)` (or one image) to `size = (h, w)`.

    Optionally first crop the centre (`crop_to_aspect_ratio`) or pad both sides with
    `fill_value` (`pad_to_aspect_ratio`) to the target's aspect ratio, so nothing is
    stretched. Then one matrix per axis (`resize_matrix`): Y = R_h X R_wᵀ.
    Gradient (for free, from `matmul`): R_hᵀ G R_w.
    """
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={x.shape}"
        )
    if len(size) != 2:
        raise ValueError(
            f"Argument `size` must be a tuple of two elements (height, width). Received: size={size}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    if fill_mode != "constant":
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}"
        )
    single = x.ndim == 3
    if single:
        x = reshape(x, (1, *x.shape))
    channels_first = standardize_data_format(data_format) == "channels_first"
    if channels_first:
        x = transpose(x, (0, 2, 3, 1))  # (batch, height, width, channels)
    if not np.issubdtype(x.dtype, np.floating):
        x = as_tensor(x, "float32")
    target_height, target_width = (int(d) for d in size)
    height, width = x.shape[1:3]
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(width * target_height / target_width)), 1)
        crop_w = max(min(width, int(height * target_width / target_height)), 1)
        top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
        x = getitem(x, (slice(None), slice(top, top + crop_h), slice(left, left + crop_w)))
    elif pad_to_aspect_ratio:  # the same margin on both sides (Keras: even when odd is needed)
        top = int((max(height, int(width * target_height / target_width)) - height) / 2)
        left = int((max(width, int(height * target_width / target_height)) - width) / 2)
        x = pad(x, ((0, 0), (top, top), (left, left), (0, 0)), constant_values=fill_value)
    batch, height, width, channels = x.shape
    rows = resize_matrix(height, target_height, interpolation, antialias)  # (out_h, h)
    cols = resize_matrix(width, target_width, interpolation, antialias)  # (out_w, w)
    rows, cols = Tensor(rows.astype(x.dtype)), Tensor(cols.astype(x.dtype))
    y = matmul(rows, reshape(x, (batch, height, width * channels)))  # (batch, out_h, w·c)
    y = reshape(y, (batch, target_height, width, channels))
    y = matmul(cols, y)  # (out_w, w) @ (batch, out_h, w, c) -> (batch, out_h, out_w, c)
    if channels_first:
        y = transpose(y, (0, 3, 1, 2))
    return reshape(y, y.shape[1:]) if single else y


# --- affine transforms: where each output pixel reads, and one gather -------------------------
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def affine_transform(
    images,
    transform,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format=None,
) -> Tensor:
    """Move, rotate, zoom or shear images: output pixel (y, x) takes the input's value at

        x_in = a0·x + a1·y + a2,    y_in = b0·x + b1·y + b2

    with `transform = [a0, a1, a2, b0, b1, b2, c0, c1]` (one row per image, or one for all;
    c0 = c1 = 0: Keras's projective part is not used by its layers, and refused here).

    Between pixels: 'bilinear' mixes the 4 neighbours ⌊y_in⌋, ⌊y_in⌋ + 1 × ⌊x_in⌋, ⌊x_in⌋ + 1
    by their distances; 'nearest' takes the pixel at the rounded position (halves to even).
    Outside the image (`fill_mode`, on each neighbour's index, as Keras 3 does):

        reflect   d c b a | a b c d | d c b a   (the edge pixel repeated)
        mirror    d c b | a b c d | c b a       (the edge pixel not repeated)
        wrap      a b c d | a b c d | a b c d
        nearest   a a a a | a b c d | d d d d
        constant  k k k k | a b c d | k k k k   (k = fill_value; a neighbour outside counts as k)

    Every neighbour of every output pixel of every image is fetched by one `take` from the
    batch flattened to (batch·height·width, channels); the gradient of `take` sends each
    output's gradient back, weighted, to the pixels it read.
    """
    x = as_tensor(images)
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected of one {AFFINE_INTERPOLATIONS}."
            f" Received: interpolation={interpolation}"
        )
    if fill_mode not in AFFINE_FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected of one {AFFINE_FILL_MODES}. "
            f"Received: fill_mode={fill_mode}"
        )
    if x.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={x.shape}"
        )
    matrix = np.asarray(as_array(transform), dtype=np.float32)
    if matrix.ndim not in (1, 2) or matrix.shape[-1] != 8:
        raise ValueError(
            "Invalid transform: expected shape (8,) (one transform) or (batch, 8). Received "
            f"input with shape: transform.shape={matrix.shape}"
        )
    if np.any(matrix[..., 6:] != 0):
        raise NotImplementedError(
            "affine_transform: the projective part (c0, c1) of `transform` must be 0 in "
            "teachkeras (Keras's layers always leave it 0)."
        )
    single = x.ndim == 3
    if single:
        x = reshape(x, (1, *x.shape))
    channels_first = standardize_data_format(data_format) == "channels_first"
    if channels_first:
        x = transpose(x, (0, 2, 3, 1))  # (batch, height, width, channels)
    batch, height, width, channels = x.shape
    matrix = np.broadcast_to(matrix.reshape(-1, 8), (batch, 8))
    rows, cols = _sample_positions(matrix, height, width)  # (batch, height, width) each
    index, weight, outside = _neighbours(rows, cols, height, width, interpolation, fill_mode)
    flat = reshape(x, (batch * height * width, channels))
    gathered = take(flat, index, axis=0)  # (batch, height, width, k, channels): one gather
    y = reduce_sum(multiply(gathered, Tensor(weight[..., None].astype(x.dtype))), axis=3)
    if fill_mode == "constant" and fill_value != 0:  # the neighbours outside count as fill_value
        y = add(y, Tensor((fill_value * outside)[..., None].astype(x.dtype)))
    if channels_first:
        y = transpose(y, (0, 3, 1, 2))
    return reshape(y, y.shape[1:]) if single else y


def _sample_positions(matrix: np.ndarray, height: int, width: int):
    """Where each output pixel reads, (y_in, x_in), in float32 as Keras computes them."""
    a0, a1, a2, b0, b1, b2 = (matrix[:, k, None, None] for k in range(6))  # (batch, 1, 1)
    y, x = np.meshgrid(
        np.arange(height, dtype=np.float32), np.arange(width, dtype=np.float32), indexing="ij"
    )
    rows = (y * b1 + x * b0) + b2  # (batch, height, width)
    cols = (y * a1 + x * a0) + a2
    return rows, cols


def _neighbours(rows, cols, height: int, width: int, interpolation: str, fill_mode: str):
    """The input pixels each output pixel mixes: their flat indices (batch, h, w, k), their
    weights, and (for 'constant') the total weight of the neighbours outside the image."""
    if interpolation == "nearest":
        row_nodes = [(np.rint(rows).astype(np.int64), np.ones_like(rows))]
        col_nodes = [(np.rint(cols).astype(np.int64), np.ones_like(cols))]
    else:
        row_nodes, col_nodes = _linear_nodes(rows), _linear_nodes(cols)
    batch = np.arange(rows.shape[0])[:, None, None] * (height * width)  # (batch, 1, 1)
    indices, weights, outside = [], [], np.zeros(rows.shape)
    for r, wr in row_nodes:
        for c, wc in col_nodes:
            weight = wr * wc  # (batch, h, w)
            if fill_mode == "constant":
                inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
                outside = outside + np.where(inside, 0.0, weight)
                weight = np.where(inside, weight, 0.0)
            fixed_r, fixed_c = _fix_index(r, height, fill_mode), _fix_index(c, width, fill_mode)
            indices.append(batch + fixed_r * width + fixed_c)
            weights.append(weight)
    return np.stack(indices, axis=-1), np.stack(weights, axis=-1), outside


def _linear_nodes(position: np.ndarray):
    """The two pixels around each position, and their weights 1 − t, t."""
    low = np.floor(position)
    t = position - low
    low = low.astype(np.int64)
    return [(low, 1 - t), (low + 1, t)]


def _fix_index(index: np.ndarray, size: int, fill_mode: str) -> np.ndarray:
    """An index outside [0, size) brought inside, as each fill mode extends the image."""
    if fill_mode in ("constant", "nearest"):
        return np.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "mirror":
        return _triangle_wave(index, size)
    return (_triangle_wave(2 * index + 1, 2 * size + 1) - 1) // 2  # reflect


def _triangle_wave(index: np.ndarray, size: int) -> np.ndarray:
    """0, 1, …, size−1, size−2, …, 1, 0, 1, …: mirror an index at both ends."""
    period = size - 1
    if period == 0:
        return np.zeros_like(index)
    return np.abs((index + period) % (2 * period) - period)

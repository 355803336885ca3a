"""Images from files to arrays and back: `load_img`, `img_to_array`, `array_to_img`,
`save_img`, and `resize_images` / `smart_resize` to bring them to one size.

    image = keras.utils.load_img("cat.jpg", target_size=(180, 180))   # a PIL image
    x = keras.utils.img_to_array(image)                                # (180, 180, 3) float32
    batch = x[None]                                                    # (1, 180, 180, 3)

Files are read with Pillow (installed with matplotlib). Resizing an array is two small
matrix products, one per axis: each output row is a weighted sum of input rows.
"""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from ..backend import config


def _pil():
    from PIL import Image  # Pillow comes with matplotlib, a dependency

    return Image


def _interpolations() -> dict:
    Image = _pil()
    return {
        "nearest": Image.Resampling.NEAREST,
        "bilinear": Image.Resampling.BILINEAR,
        "bicubic": Image.Resampling.BICUBIC,
        "hamming": Image.Resampling.HAMMING,
        "box": Image.Resampling.BOX,
        "lanczos": Image.Resampling.LANCZOS,
    }


def _data_format(data_format):
    return data_format or config.image_data_format()


# --- files <-> PIL images <-> arrays -----------------------------------------------------
def load_img(
    path,
    color_mode: str = "rgb",
    target_size=None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
):
    """Read an image file as a PIL image (Keras 3's `keras.utils.load_img`).

    Args:
        path: a file path (str or Path), or an `io.BytesIO`.
        color_mode: "rgb" (3 channels), "rgba" (4) or "grayscale" (1).
        target_size: `(height, width)` to resize to, or None to keep the file's size.
        interpolation: how Pillow resizes: "nearest" (default), "bilinear", "bicubic",
            "hamming", "box", "lanczos".
        keep_aspect_ratio: crop the center to the target's aspect ratio first, so the
            image is not stretched.
    """
    Image = _pil()
    if isinstance(path, io.BytesIO):
        image = Image.open(path)
    elif isinstance(path, pathlib.Path | bytes | str):
        with open(path, "rb") as f:
            image = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    modes = {"grayscale": ("L", ("L", "I;16", "I")), "rgba": ("RGBA",), "rgb": ("RGB",)}
    if color_mode not in modes:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    wanted = modes[color_mode]
    if image.mode not in (wanted[1] if len(wanted) > 1 else wanted):
        image = image.convert(wanted[0])
    if target_size is None:
        return image
    size = (target_size[1], target_size[0])  # PIL counts (width, height)
    if image.size == size:
        return image
    methods = _interpolations()
    if interpolation not in methods:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported methods are "
            + ", ".join(methods)
        )
    box = None
    if keep_aspect_ratio:
        width, height = image.size
        crop_height = min(height, (width * size[1]) // size[0])
        crop_width = min(width, (height * size[0]) // size[1])
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        box = [left, top, left + crop_width, top + crop_height]
    return image.resize(size, methods[interpolation], box=box)


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """A PIL image as an array `(height, width, channels)` of `dtype` (default floatx)."""
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:  # a grayscale image: add the channel axis
        x = x[..., None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def array_to_img(x, data_format=None, scale: bool = True, dtype=None):
    """An array `(height, width, channels)` (1, 3 or 4 channels) as a PIL image.

    With `scale`, values are stretched to fill 0..255 (min -> 0, max -> 255).
    """
    Image = _pil()
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        if np.max(x) != 0:
            x /= np.max(x)
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale: bool = True, **kwargs) -> None:
    """Write an array as an image file (the format from the file's extension)."""
    if file_format is None and isinstance(path, str | pathlib.Path):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


# --- resizing arrays ------------------------------------------------------------------------
def resize_matrix(n_in: int, n_out: int, interpolation: str = "bilinear") -> np.ndarray:
    """The `(n_out, n_in)` matrix R with `resized = R @ column` along one axis.

    Output pixel i sits at input position s = (i + ½)·n_in/n_out − ½ (pixel centers line
    up; Keras 3's `ops.image.resize`, antialias off):
        bilinear  weights 1 − f and f on pixels ⌊s⌋ and ⌊s⌋ + 1 (f = s − ⌊s⌋; s ≥ 0, clamped
                  at the edges)
        nearest   weight 1 on pixel ⌊(i + ½)·n_in/n_out⌋
    """
    scale = n_in / n_out
    i = np.arange(n_out)
    matrix = np.zeros((n_out, n_in))
    if interpolation == "nearest":
        matrix[i, np.minimum(np.floor((i + 0.5) * scale).astype(int), n_in - 1)] = 1.0
        return matrix
    if interpolation != "bilinear":
        raise ValueError(
            f"Invalid value for argument `interpolation`: {interpolation!r}. teachkeras resizes "
            "arrays with 'bilinear' or 'nearest'."
        )
    s = np.maximum((i + 0.5) * scale - 0.5, 0.0)
    low = np.minimum(np.floor(s).astype(int), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    f = s - low
    np.add.at(matrix, (i, low), 1.0 - f)
    np.add.at(matrix, (i, high), f)
    return matrix


def resize_images(
    images,
    size,
    interpolation: str = "bilinear",
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
    data_format=None,
) -> np.ndarray:
    """Resize `(height, width, channels)` images (or a batch of them) to `size` =
    `(height, width)`, as Keras 3's `ops.image.resize`: optionally first crop the center,
    or pad the sides with `fill_value`, to the target's aspect ratio."""
    x = np.asarray(images, dtype=np.float32)
    single = x.ndim == 3
    if x.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={x.shape}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    x = x[None] if single else x
    if _data_format(data_format) == "channels_first":
        x = x.transpose(0, 2, 3, 1)  # (batch, height, width, channels)
    height, width = x.shape[1:3]
    target_height, target_width = size
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(width * target_height / target_width)), 1)
        crop_w = max(min(width, int(height * target_width / target_height)), 1)
        top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
        x = x[:, top : top + crop_h, left : left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(width * target_height / target_width))
        pad_w = max(width, int(height * target_width / target_height))
        top, left = int((pad_h - height) / 2), int((pad_w - width) / 2)
        x = np.pad(x, ((0, 0), (top, top), (left, left), (0, 0)), constant_values=fill_value)
    rows = resize_matrix(x.shape[1], target_height, interpolation)  # (out_h, in_h)
    cols = resize_matrix(x.shape[2], target_width, interpolation)  # (out_w, in_w)
    out = np.einsum("ih,bhwc,jw->bijc", rows, x, cols).astype(np.float32)  # (b, out_h, out_w, c)
    if _data_format(data_format) == "channels_first":
        out = out.transpose(0, 3, 1, 2)
    return out[0] if single else out


def smart_resize(x, size, interpolation: str = "bilinear", data_format="channels_last"):
    """Resize without distorting: crop the center to the target's aspect ratio, then resize."""
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, "
            f"of shape {x.shape}."
        )
    return resize_images(x, size, interpolation, crop_to_aspect_ratio=True, data_format=data_format)

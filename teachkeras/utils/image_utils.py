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

from ..backend import config, image_ops
from ..backend.tensor import as_array, no_grad


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
    `(height, width)`, as Keras 3's `ops.image.resize` (`backend/image_ops.py`, one matrix per
    axis): optionally first crop the center, or pad the sides with `fill_value`, to the
    target's aspect ratio. Returns a float32 NumPy array."""
    x = np.asarray(images, dtype=np.float32)
    with no_grad():
        resized = image_ops.resize(
            x,
            size,
            interpolation=interpolation,
            crop_to_aspect_ratio=crop_to_aspect_ratio,
            pad_to_aspect_ratio=pad_to_aspect_ratio,
            fill_value=fill_value,
            data_format=_data_format(data_format),
        )
    return as_array(resized)


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

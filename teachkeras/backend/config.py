"""Global numeric settings, as in `keras.config`: float type, fuzz factor, image layout.

These three values are read by almost every other file, so they live alone here
and import nothing.
"""

from __future__ import annotations

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"

_VALID_FLOATX = ("float16", "float32", "float64")
_VALID_DATA_FORMATS = ("channels_last", "channels_first")


def floatx() -> str:
    """The default float type, as a string: `'float32'` unless changed."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type (`'float16'`, `'float32'` or `'float64'`)."""
    global _FLOATX
    value = str(value)
    if value not in _VALID_FLOATX:
        raise ValueError(f"Unknown floatx type: {value!r}. Expected one of {_VALID_FLOATX}.")
    _FLOATX = value


def epsilon() -> float:
    """The fuzz factor (1e-7) added to denominators and used to clip probabilities."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used by losses, optimizers and normalization."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """`'channels_last'` (N, H, W, C) or `'channels_first'` (N, C, H, W)."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Choose the default layout of image tensors for every image layer."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in _VALID_DATA_FORMATS:
        raise ValueError(
            f"Unknown data_format: {data_format!r}. Expected one of {_VALID_DATA_FORMATS}."
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format: str | None) -> str:
    """`None` means the global default; anything else must be a valid layout."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in _VALID_DATA_FORMATS:
        raise ValueError(
            f"Unknown data_format: {data_format!r}. Expected one of {_VALID_DATA_FORMATS}."
        )
    return data_format

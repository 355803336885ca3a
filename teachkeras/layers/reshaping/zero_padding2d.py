"""`ZeroPadding2D`: a border of zeros around each image."""

from __future__ import annotations

import numpy as np

from ... import ops
from ...backend.config import standardize_data_format
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class ZeroPadding2D(Layer):
    """Add rows of zeros above and below, and columns left and right, of every image.

    (batch, h, w, c) -> (batch, top + h + bottom, left + w + right, c). The gradient of
    padding is the inner slice of the upstream gradient (`ops.pad`).

    Args:
        padding: an int p (p on every side), a pair (ph, pw) (ph above and below, pw
            left and right), or ((top, bottom), (left, right)).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).

    Example:
        >>> ZeroPadding2D((3, 3))(np.ones((1, 32, 32, 3))).shape
        (1, 38, 38, 3)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = two_pairs(padding, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (top, bottom), (left, right) = self.padding
        no_pad = (0, 0)
        if self.data_format == "channels_last":
            widths = (no_pad, (top, bottom), (left, right), no_pad)
        else:
            widths = (no_pad, no_pad, (top, bottom), (left, right))
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        for axis, (before, after) in zip((first, first + 1), self.padding, strict=True):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("ZeroPadding2D", 2, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


_INT = int | np.integer


def two_pairs(value, name: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """int, (a, b) or ((top, bottom), (left, right)) -> ((top, bottom), (left, right)).

    Shared by ZeroPadding2D (`padding`) and Cropping2D (`cropping`).
    """
    return spatial_pairs(value, 2, name)


_FORMS = {
    2: "a tuple of 2 ints (symmetric height, symmetric width), or a tuple of 2 tuples of 2 "
    "ints ((top, bottom), (left, right))",
    3: "a tuple of 3 ints (symmetric depth, height, width), or a tuple of 3 tuples of 2 ints "
    "((front, back), (top, bottom), (left, right))",
}


def spatial_pairs(value, dimensions: int, name: str) -> tuple[tuple[int, int], ...]:
    """int, one int per axis, or one (before, after) pair per axis -> a pair per axis.

    Shared by the 2-D and 3-D ZeroPadding and Cropping layers.
    """
    forms = f"`{name}` should be an int, {_FORMS[dimensions]}."
    if isinstance(value, _INT):
        pairs = ((value, value),) * dimensions
    elif isinstance(value, list | tuple) and len(value) == dimensions:
        pairs = tuple((v, v) if isinstance(v, _INT) else tuple(v) for v in value)
    else:
        raise ValueError(f"{forms} Received: {name}={value!r}.")
    if not all(len(p) == 2 and all(isinstance(v, _INT) for v in p) for p in pairs):
        raise ValueError(f"{forms} Received: {name}={value!r}.")
    if any(v < 0 for p in pairs for v in p):
        raise ValueError(f"`{name}` cannot be negative. Received: {name}={value!r}.")
    return tuple(tuple(int(v) for v in p) for p in pairs)

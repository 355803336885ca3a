"""`ZeroPadding3D`: a border of zeros around each volume."""

from __future__ import annotations

from ... import ops
from ...backend.config import standardize_data_format
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint
from .zero_padding2d import spatial_pairs


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class ZeroPadding3D(Layer):
    """(batch, d, h, w, c) -> (batch, d + pads, h + pads, w + pads, c), the new cells 0.

    Args:
        padding: an int p (p on every side), three ints (one per axis, both sides), or
            ((front, back), (top, bottom), (left, right)).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).

    Example:
        >>> ZeroPadding3D(1)(np.ones((1, 8, 16, 16, 3))).shape
        (1, 10, 18, 18, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = spatial_pairs(padding, 3, "padding")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        if self.data_format == "channels_last":
            widths = ((0, 0), *self.padding, (0, 0))
        else:
            widths = ((0, 0), (0, 0), *self.padding)
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        for axis, (before, after) in enumerate(self.padding, start=first):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("ZeroPadding3D", 3, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}

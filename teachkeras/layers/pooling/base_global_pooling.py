"""`BaseGlobalPooling`: one number per channel, from the whole sequence or image.

Written with the reductions `ops.mean` and `ops.max`, so it needs no backward of its own:
their gradients are already known (the mean shares `g / n` with every cell; the max
sends `g` to the maximum, split evenly between equal maxima, as `keras.ops.max` does).
"""

from __future__ import annotations

from ...backend.config import standardize_data_format
from ..input_spec import InputSpec
from ..layer import Layer
from .base_pooling import spatial_input_hint


class BaseGlobalPooling(Layer):
    """Reduce every spatial axis: (batch, h, w, c) -> (batch, c), or (batch, 1, 1, c) with keepdims.

    Args:
        pool_dimensions: 1 for sequences, 2 for images, 3 for volumes.
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).
        keepdims: keep the reduced axes with length 1.
    """

    def __init__(self, pool_dimensions: int, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.pool_dimensions = pool_dimensions
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """(1, 2) for channels_last images, (2, 3) for channels_first; (1,) or (2,) in 1-D."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.pool_dimensions))

    def call(self, inputs):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        batch = input_shape[0]
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        if not self.keepdims:
            return (batch, channels)
        ones = (1,) * self.pool_dimensions
        if self.data_format == "channels_last":
            return (batch, *ones, channels)
        return (batch, channels, *ones)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint(
            type(self).__name__, self.pool_dimensions, self.data_format, shape
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}

"""`Flatten`: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""

from __future__ import annotations

import math

from ... import ops
from ...backend.config import standardize_data_format
from ..layer import Layer


class Flatten(Layer):
    """Keep the batch axis, lay everything else out in one axis.

    With `data_format='channels_first'` the channel axis is moved last first, so the
    flattened order is the same as for channels_last data (as in Keras).
    """

    def __init__(self, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.transpose(inputs, (0, *range(2, inputs.ndim), 1))
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}

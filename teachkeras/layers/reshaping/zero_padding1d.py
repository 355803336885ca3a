"""`ZeroPadding1D`: zero steps at the start and end of each sequence."""

from __future__ import annotations

from ... import ops
from ...backend.config import standardize_data_format
from ...backend.window_geometry import standardize_tuple
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint


class ZeroPadding1D(Layer):
    """(batch, steps, features) -> (batch, before + steps + after, features), the new steps 0.

    The gradient of padding is the inner slice of the upstream gradient (`ops.pad`).

    Args:
        padding: an int p (p steps at each end) or a pair (before, after).
        data_format: 'channels_last' (batch, steps, features) or 'channels_first'
            (batch, features, steps); default `keras.config.image_data_format()`.

    Example:
        >>> ZeroPadding1D(2)(np.ones((1, 10, 3))).shape
        (1, 14, 3)
    """

    def __init__(self, padding=1, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    @property
    def _steps_axis(self) -> int:
        return 1 if self.data_format == "channels_last" else 2

    def call(self, inputs):
        widths = [(0, 0), (0, 0), (0, 0)]
        widths[self._steps_axis] = self.padding
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if shape[self._steps_axis] is not None:
            shape[self._steps_axis] += sum(self.padding)
        return tuple(shape)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("ZeroPadding1D", 1, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}

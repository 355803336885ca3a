"""`UpSampling3D`: make each volume larger by repeating its cells."""

from __future__ import annotations

from ... import ops
from ...backend.config import standardize_data_format
from ...backend.window_geometry import standardize_tuple
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class UpSampling3D(Layer):
    """(batch, d, h, w, c) -> (batch, d · size_d, h · size_h, w · size_w, c).

    Each cell is repeated along each axis (`ops.repeat`, nearest neighbour); the
    gradient adds the copies back up.

    Args:
        size: int or (size_d, size_h, size_w), default (2, 2, 2).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).

    Example:
        >>> UpSampling3D(2)(np.ones((1, 4, 8, 8, 16))).shape
        (1, 8, 16, 16, 16)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)

    @property
    def _spatial_axes(self) -> range:
        return range(1, 4) if self.data_format == "channels_last" else range(2, 5)

    def call(self, inputs):
        for axis, factor in zip(self._spatial_axes, self.size, strict=True):
            inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._spatial_axes, self.size, strict=True):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("UpSampling3D", 3, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}

"""`Rescaling`: multiply the inputs by `scale` and add `offset` (pixels 0..255 -> 0..1)."""

from __future__ import annotations

import numpy as np

from ... import ops
from ...backend import config
from ...serialization.keras_objects import serialize_keras_object
from ..layer import Layer


class Rescaling(Layer):
    """y = x · scale + offset, computed in the layer's dtype (integer pixels become floats).

        Rescaling(1 / 255)               [0, 255] -> [0, 1]
        Rescaling(1 / 127.5, offset=-1)  [0, 255] -> [-1, 1]

    `scale` and `offset` may also be one number per channel (a list); with
    `image_data_format() == "channels_first"` a per-channel scale is laid along axis 1.

    Args:
        scale: the factor.
        offset: the shift, added after scaling (default 0).

    Example:
        >>> Rescaling(1 / 255)(np.array([[0, 51, 255]], "uint8"))
        [[0.0, 0.2, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        scale = np.asarray(self.scale, dtype=self.dtype)
        offset = np.asarray(self.offset, dtype=self.dtype)
        if scale.ndim > 0 and config.image_data_format() == "channels_first":
            scale = scale.reshape(scale.shape + (1,) * (3 - scale.ndim))  # (channels, 1, 1)
        return ops.cast(inputs, self.dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": serialize_keras_object(self.scale),
            "offset": serialize_keras_object(self.offset),
        }

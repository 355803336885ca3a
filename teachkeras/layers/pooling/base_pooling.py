"""`BasePooling`: what MaxPooling1D/2D/3D and AveragePooling1D/2D/3D share.

A pooling layer has no weights. It stores its window (`pool_size`), its step
(`strides`, default: the window, so windows sit side by side) and its `padding`, and
calls one backend op, `ops.max_pool` or `ops.average_pool`, whose backward pass is written
out in `teachkeras/backend/pooling_ops.py`.
"""

from __future__ import annotations

from ...backend import pooling_ops
from ...backend.config import standardize_data_format
from ...legacy.renames import DIM_ORDERING
from ..input_spec import InputSpec
from ..layer import Layer

# Keras 1: MaxPooling2D(border_mode='same', dim_ordering='th'), MaxPooling1D(pool_length=3)
# Each pooling class takes these with `@accepts_renamed(KERAS1_POOLING)` (legacy/renames.py).
KERAS1_POOLING = {
    "pool_length": "pool_size",
    "stride": "strides",
    "border_mode": "padding",
    "dim_ordering": DIM_ORDERING,
}


class BasePooling(Layer):
    """Max or average pooling over `pool_dimensions` spatial axes.

    Each subclass says which, as two class attributes: `pool_dimensions` (1 for sequences
    (batch, steps, channels), 2 for images, 3 for volumes) and `pool_mode` ('max' or
    'average'); its
    constructor then passes on only what the learner gave.

    Args:
        pool_size: int or tuple, the window size.
        strides: int, tuple or None (None: equal to `pool_size`).
        padding: 'valid' (whole windows only) or 'same' (output = ceil(input / stride)).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).
    """

    pool_dimensions: int
    pool_mode: str

    def __init__(
        self, pool_size, strides, padding: str = "valid", data_format=None, name=None, **kwargs
    ) -> None:
        super().__init__(name=name, **kwargs)
        if self.pool_mode not in ("max", "average"):
            raise ValueError(
                "`pool_mode` must be either 'max' or 'average'. "
                f"Received: pool_mode={self.pool_mode!r}"
            )
        self.pool_size = pooling_ops.normalize_tuple(pool_size, self.pool_dimensions, "pool_size")
        self.strides = (
            self.pool_size
            if strides is None
            else pooling_ops.normalize_tuple(strides, self.pool_dimensions, "strides")
        )
        self.padding = pooling_ops.standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.pool_dimensions + 2)

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)  # a window that does not fit: a clear error
        op = pooling_ops.max_pool if self.pool_mode == "max" else pooling_ops.average_pool
        return op(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        return pooling_ops.pooling_output_shape(
            input_shape,
            self.pool_size,
            self.strides,
            self.padding,
            self.data_format,
            owner=f"{type(self).__name__} layer {self.name!r}",
        )

    def _input_hint(self, shape) -> str:
        return spatial_input_hint(
            type(self).__name__, self.pool_dimensions, self.data_format, shape
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }


# --- shared with the global pooling and image reshaping layers ---------------------------------
def spatial_input_hint(layer: str, dimensions: int, data_format: str, shape) -> str:
    """The usual fix when a 1-D/2-D/3-D spatial layer gets a batch of the wrong rank."""
    shape = tuple(shape)
    if len(shape) == dimensions + 1 and len(shape) >= 2:  # one axis short: no channel axis
        spatial = ", ".join("None" if d is None else str(d) for d in shape[1:])
        if data_format == "channels_last":
            add, target = "x[..., None]", f"({spatial}, 1)"
        else:
            add, target = "x[:, None]", f"(1, {spatial})"
        return (
            f" A channel axis is missing: {layer} expects "
            f"{_layout(dimensions, data_format)}. For one channel (e.g. grayscale), "
            f"use {add} or put Reshape({target}) before this layer."
        )
    if dimensions == 2 and len(shape) == 2:
        return (
            f" {layer} expects images {_layout(2, data_format)}, not flat vectors: "
            "put it before Flatten, or reshape the data into images."
        )
    if dimensions == 1 and len(shape) == 4:
        return f" For images {_layout(2, data_format)}, use the 2D version of {layer}."
    return f" {layer} expects {_layout(dimensions, data_format)}."


def _layout(dimensions: int, data_format: str) -> str:
    spatial = {1: "steps", 2: "height, width", 3: "depth, height, width"}[dimensions]
    if data_format == "channels_last":
        return f"(batch, {spatial}, channels)"
    return f"(batch, channels, {spatial})"

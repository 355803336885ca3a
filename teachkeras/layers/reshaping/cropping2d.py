"""`Cropping2D`: cut rows and columns off the borders of each image."""

from __future__ import annotations

from ...backend.config import standardize_data_format
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint
from .zero_padding2d import two_pairs


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class Cropping2D(Layer):
    """Remove `top` and `bottom` rows and `left` and `right` columns of every image.

    (batch, h, w, c) -> (batch, h - top - bottom, w - left - right, c). It is a slice, so
    its gradient is the upstream gradient put back in place, zeros on the cut border.

    Args:
        cropping: an int, a pair (symmetric height, symmetric width), or
            ((top, bottom), (left, right)), as for ZeroPadding2D.
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).

    Example:
        >>> Cropping2D(((2, 2), (4, 4)))(np.ones((1, 28, 28, 3))).shape
        (1, 24, 20, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = two_pairs(cropping, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        height, width = self._check_fits(inputs.shape)
        (top, bottom), (left, right) = self.cropping
        rows, cols = slice(top, height - bottom), slice(left, width - right)
        if self.data_format == "channels_last":
            return inputs[:, rows, cols, :]
        return inputs[:, :, rows, cols]

    def compute_output_shape(self, input_shape):
        height, width = self._check_fits(input_shape)
        (top, bottom), (left, right) = self.cropping
        height = None if height is None else height - top - bottom
        width = None if width is None else width - left - right
        if self.data_format == "channels_last":
            return (input_shape[0], height, width, input_shape[3])
        return (input_shape[0], input_shape[1], height, width)

    def _check_fits(self, shape):
        """(height, width) of the input; an error if the cropping leaves nothing."""
        first = 1 if self.data_format == "channels_last" else 2
        sizes = (shape[first], shape[first + 1])
        for axis_name, size, (before, after) in zip(
            ("rows", "columns"), sizes, self.cropping, strict=True
        ):
            if size is not None and before + after >= size:
                raise ValueError(
                    f"Cropping2D layer {self.name!r}: cropping={self.cropping} removes "
                    f"{before + after} {axis_name}, but the input (shape {tuple(shape)}, "
                    f"{self.data_format}) has only {size}: nothing would be left. Crop fewer "
                    f"than {size} {axis_name} in total, or check data_format."
                )
        return sizes

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("Cropping2D", 2, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}

"""`Cropping3D`: cut slices off the borders of each volume."""

from __future__ import annotations

from ...backend.config import standardize_data_format
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint
from .zero_padding2d import spatial_pairs


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class Cropping3D(Layer):
    """Remove (before, after) cells along depth, height and width of every volume.

    (batch, d, h, w, c) -> (batch, d - cuts, h - cuts, w - cuts, c). A slice, so its
    gradient is the upstream gradient put back in place, zeros on the cut border.

    Args:
        cropping: an int, three ints (symmetric per axis), or
            ((front, back), (top, bottom), (left, right)), as for ZeroPadding3D.
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).

    Example:
        >>> Cropping3D(((1, 1), (2, 2), (2, 2)))(np.ones((1, 8, 16, 16, 3))).shape
        (1, 6, 12, 12, 3)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = spatial_pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)

    @property
    def _first_spatial_axis(self) -> int:
        return 1 if self.data_format == "channels_last" else 2

    def call(self, inputs):
        sizes = self._check_fits(inputs.shape)
        kept = tuple(
            slice(before, size - after)
            for size, (before, after) in zip(sizes, self.cropping, strict=True)
        )
        if self.data_format == "channels_last":
            return inputs[(slice(None), *kept, slice(None))]
        return inputs[(slice(None), slice(None), *kept)]

    def compute_output_shape(self, input_shape):
        sizes = self._check_fits(input_shape)
        shape = list(input_shape)
        for axis, size, (before, after) in zip(
            range(self._first_spatial_axis, self._first_spatial_axis + 3),
            sizes,
            self.cropping,
            strict=True,
        ):
            shape[axis] = None if size is None else size - before - after
        return tuple(shape)

    def _check_fits(self, shape):
        """(depth, height, width) of the input; an error if the cropping leaves nothing."""
        first = self._first_spatial_axis
        sizes = tuple(shape[first : first + 3])
        for axis_name, size, (before, after) in zip(
            ("depth", "height", "width"), sizes, self.cropping, strict=True
        ):
            if size is not None and before + after >= size:
                raise ValueError(
                    f"Cropping3D layer {self.name!r}: cropping={self.cropping} removes "
                    f"{before + after} cells of the {axis_name}, but the input (shape "
                    f"{tuple(shape)}, {self.data_format}) has only {size}: nothing would be "
                    f"left. Crop fewer than {size} in total, or check data_format."
                )
        return sizes

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("Cropping3D", 3, self.data_format, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}

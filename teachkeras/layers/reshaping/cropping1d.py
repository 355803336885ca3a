"""`Cropping1D`: cut steps off the start and end of each sequence."""

from __future__ import annotations

from ...backend.window_geometry import standardize_tuple
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint


class Cropping1D(Layer):
    """(batch, steps, features) -> (batch, steps - before - after, features).

    A slice, so its gradient is the upstream gradient put back in place, zeros on the
    cut steps.

    Args:
        cropping: an int (that many steps off each end) or a pair (before, after).

    Example:
        >>> Cropping1D((2, 1))(np.ones((1, 10, 3))).shape
        (1, 7, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs) -> None:
        super().__init__(**kwargs)
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        steps = self._check_fits(inputs.shape)
        before, after = self.cropping
        return inputs[:, before : steps - after, :]

    def compute_output_shape(self, input_shape):
        steps = self._check_fits(input_shape)
        length = None if steps is None else steps - sum(self.cropping)
        return (input_shape[0], length, input_shape[2])

    def _check_fits(self, shape):
        """The number of steps; an error if the cropping leaves none."""
        steps = shape[1]
        if steps is not None and sum(self.cropping) >= steps:
            raise ValueError(
                f"Cropping1D layer {self.name!r}: cropping={self.cropping} removes "
                f"{sum(self.cropping)} steps, but the input (shape {tuple(shape)}) has only "
                f"{steps}: nothing would be left. Crop fewer than {steps} steps in total."
            )
        return steps

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("Cropping1D", 1, "channels_last", shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}

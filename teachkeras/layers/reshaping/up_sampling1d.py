"""`UpSampling1D`: repeat each step of a sequence `size` times."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint


@accepts_renamed({"length": "size"})  # Keras 1: UpSampling1D(length=2)
class UpSampling1D(Layer):
    """(batch, steps, features) -> (batch, steps · size, features): `ops.repeat` on the steps.

    Its gradient adds up the `size` copies of each step.

    Args:
        size: how many times to repeat each step (default 2).

    Example:
        >>> UpSampling1D(3)(np.ones((1, 5, 2))).shape
        (1, 15, 2)
    """

    def __init__(self, size: int = 2, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return ops.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("UpSampling1D", 1, "channels_last", shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}

"""`Softmax`: turn scores into probabilities along an axis."""

from __future__ import annotations

from ... import ops
from ...backend.tensor import as_array
from ..layer import Layer


class Softmax(Layer):
    """$y_i = e^{x_i} / \\sum_j e^{x_j}$ along `axis` (the outputs sum to 1).

    `call(inputs, mask=None)`: where `mask` is False the score is ignored (its
    probability is 0), as in Keras.
    """

    def __init__(self, axis: int = -1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            # a very negative score has probability e^{-1e9} = 0 after softmax
            inputs = ops.where(as_array(mask), inputs, -1e9)
        return ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

"""`ActivityRegularization`: pass the input through, and add a penalty on it to the loss."""

from __future__ import annotations

from ...regularizers import L1L2
from ..layer import Layer


class ActivityRegularization(Layer):
    """$y = x$; the loss gains $(l_1 \\sum |x| + l_2 \\sum x^2) / \\text{batch}$.

    It is any layer's `activity_regularizer=L1L2(l1, l2)`, as a layer of its own: the
    penalty pushes the activations (not the weights) towards 0, e.g. for sparse
    autoencoders. Like every activity penalty in Keras 3, it is divided by the batch size.

    Args:
        l1, l2: the strengths of the two penalties (default 0).

    Example:
        >>> layer = ActivityRegularization(l1=0.01)
        >>> layer(np.ones((2, 3))); layer.losses      # [0.01 * 6 / 2]
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs) -> None:
        super().__init__(activity_regularizer=L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)  # it is l1 and l2, not an argument
        return {**config, "l1": self.l1, "l2": self.l2}

"""`Identity`: the layer that changes nothing (a placeholder, a named branch point)."""

from __future__ import annotations

from ..layer import Layer


class Identity(Layer):
    """$y = x$, for any input (one tensor or a list of them); the mask passes through too.

    Handy as a switchable placeholder (`Dropout(0.5) if regularize else Identity()`) or
    to give a point of a functional graph a name.

    Example:
        >>> Identity()(np.ones((2, 3))).shape
        (2, 3)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

"""`UnitNormalization`: scale each sample to length 1 (its L2 norm) along an axis."""

from __future__ import annotations

from ... import ops
from ..layer import Layer


class UnitNormalization(Layer):
    """$y = x / \\|x\\|_2$ along `axis` (Keras's `ops.normalize`, with ε = 1e-12).

    After it, a dot product of two outputs is their cosine similarity. No weights.

    Args:
        axis: an int or a list of ints: the axes whose values make up one vector.

    Example:
        >>> UnitNormalization()(np.array([[3.0, 4.0]]))
        [[0.6, 0.8]]
    """

    def __init__(self, axis=-1, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(axis, list | tuple):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis}"
            )
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        return ops.normalize(inputs, axis=axis, order=2, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(
                    f"UnitNormalization layer {self.name!r}: axis {axis} is out of bounds for "
                    f"input shape {tuple(input_shape)}. Received: axis={self.axis}"
                )
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

"""`Subtract` and `subtract`: the element-wise difference of exactly two tensors."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Subtract(Merge):
    """The difference of two tensors of the same shape: $y = x_1 - x_2$.

    Example:
        >>> y = Subtract()([x1, x2])     # x1 - x2
    """

    def build(self, input_shape) -> None:
        super().build(input_shape)
        self._check_two(input_shape)

    def _merge_function(self, inputs):
        self._check_two(inputs)
        return ops.subtract(inputs[0], inputs[1])

    def _check_two(self, items) -> None:
        if len(items) != 2:
            raise ValueError(
                f"A `Subtract` layer should be called on exactly 2 inputs. Layer {self.name!r} "
                f"received {len(items)}. Subtract computes x1 - x2; for more inputs, combine "
                "Subtract with Add."
            )


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`: `subtract([x1, x2])` is `x1 - x2`."""
    return Subtract(**kwargs)(inputs)

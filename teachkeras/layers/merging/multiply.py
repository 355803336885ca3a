"""`Multiply` and `multiply`: the element-wise product (gates, attention weights)."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Multiply(Merge):
    """The element-wise product of a list of tensors: $y = x_1 \\odot x_2 \\odot \\dots$.

    Example:
        >>> gate = Dense(16, activation="sigmoid")(x)
        >>> y = Multiply()([x, gate])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.multiply(output, x)
        return output


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`: `multiply([x1, x2])` is `x1 * x2`."""
    return Multiply(**kwargs)(inputs)

"""`Add` and `add`: the element-wise sum, the join of a residual (skip) connection."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Add(Merge):
    """Sum a list of tensors of the same shape: $y = x_1 + x_2 + \\dots$.

    The gradient of a sum reaches every input unchanged, which is why a residual
    block `y = x + F(x)` lets gradients flow through deep networks.

    Example:
        >>> x = Input((16,))
        >>> y = Add()([x, Dense(16, activation="relu")(x)])    # a residual connection
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


def add(inputs, **kwargs):
    """Functional form of `Add`: `add([x1, x2])` is `Add()([x1, x2])`.

    Args:
        inputs: a list of tensors of the same shape.
        **kwargs: layer keyword arguments (e.g. `name`).
    """
    return Add(**kwargs)(inputs)

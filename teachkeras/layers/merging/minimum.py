"""`Minimum` and `minimum`: the element-wise minimum of a list of tensors."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Minimum(Merge):
    """$y = \\min(x_1, x_2, \\dots)$ element by element.

    The gradient goes to the input that was smallest at each position (split on ties).

    Example:
        >>> y = Minimum()([x1, x2])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.minimum(output, x)
        return output


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`: `minimum([x1, x2])`."""
    return Minimum(**kwargs)(inputs)

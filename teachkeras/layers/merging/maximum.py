"""`Maximum` and `maximum`: the element-wise maximum of a list of tensors."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Maximum(Merge):
    """$y = \\max(x_1, x_2, \\dots)$ element by element.

    The gradient goes to the input that was largest at each position (split on ties).

    Example:
        >>> y = Maximum()([x1, x2])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.maximum(output, x)
        return output


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`: `maximum([x1, x2])`."""
    return Maximum(**kwargs)(inputs)

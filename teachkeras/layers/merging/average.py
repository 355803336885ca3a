"""`Average` and `average`: the element-wise mean (e.g. of an ensemble's outputs)."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge


class Average(Merge):
    """The element-wise mean of a list of tensors: $y = (x_1 + \\dots + x_n) / n$.

    Example:
        >>> y = Average()([model_a(x), model_b(x)])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return ops.divide(output, len(inputs))


def average(inputs, **kwargs):
    """Functional form of `Average`: `average([x1, x2])` is `(x1 + x2) / 2`."""
    return Average(**kwargs)(inputs)

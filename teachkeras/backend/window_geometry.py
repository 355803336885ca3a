"""Window geometry shared by convolution and pooling: sizes, strides, 'same' padding.

A window (a kernel, or a pooling window) of size k, dilated by d, spans
$(k - 1) d + 1$ input cells; sliding it with stride s over n cells gives
$\\lfloor (n - k_{eff}) / s \rfloor + 1$ outputs ('valid'), or $\\lceil n / s \rceil$
outputs when the input is first padded Keras's 'same' way.
"""

from __future__ import annotations

import math

import numpy as np

Pair = tuple[int, int]


def standardize_tuple(value, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """`3` -> `(3, 3)` for n = 2; a tuple is checked for length and sign."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received: {name}={value!r}"
    try:
        values = (value,) * n if isinstance(value, int | np.integer) else tuple(value)
        if len(values) != n or any(isinstance(v, bool) or int(v) != v for v in values):
            raise ValueError(message)
    except (TypeError, ValueError):
        raise ValueError(message) from None
    values = tuple(int(v) for v in values)
    if any(v < 0 or (v == 0 and not allow_zero) for v in values):
        sign = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"Every value of `{name}` must be {sign}. Received: {name}={value!r}")
    return values


def standardize_padding(padding: str, allowed=("valid", "same")) -> str:
    """`'SAME'` -> `'same'`; anything but the allowed names is an error."""
    padding = str(padding).lower()
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {list(allowed)}. Received: padding={padding!r}"
        )
    return padding


def effective_kernel_size(kernel_size: int, dilation: int) -> int:
    """A kernel of size k dilated by d spans $(k - 1) d + 1$ input pixels."""
    return (kernel_size - 1) * dilation + 1


def same_padding(size: int, kernel_size: int, stride: int, dilation: int = 1) -> Pair:
    """(before, after) padding of Keras's `'same'`: the output has $\\lceil size / s \\rceil$ pixels.

    Formula: `total = max((ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0)`,
    `before = total // 2`, `after = total - before` (the odd pixel goes at the end).
    """
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective_kernel_size(kernel_size, dilation) - size, 0)
    return total // 2, total - total // 2

"""Moving values between NumPy and teachkeras: `convert_to_tensor` and `convert_to_numpy`.

A `Tensor` is a NumPy array plus, when a gradient is needed, the record of how it was
computed (`teachkeras/backend/tensor.py`). These two functions are the doors in and out.
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import Tensor, as_tensor


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None) -> Tensor:
    """`x` as a `Tensor`: a tensor stays itself (cast if `dtype` differs), anything else is wrapped.

    Python floats (and lists of them) become `floatx()`, so `convert_to_tensor(0.5)` is
    float32 like the rest of a model; a NumPy array keeps its own dtype unless `dtype` is
    given. A cast of a tensor is an op: the gradient flows back through it.

    Example:
        >>> convert_to_tensor([1.0, 2.0]).dtype
        dtype('float32')
    """
    if sparse or ragged:
        raise ValueError("teachkeras has no sparse or ragged tensors: pass dense values.")
    return as_tensor(x, dtype)


def convert_to_numpy(x) -> np.ndarray:
    """The value of `x` as a NumPy array.

    A variable's value is copied (the variable is updated in place later, as in Keras);
    a computed tensor hands over its own array.

    Example:
        >>> convert_to_numpy(ops.square(convert_to_tensor([1.0, 2.0])))
        array([1., 4.], dtype=float32)
    """
    if isinstance(x, Tensor):
        return x.numpy()
    return np.asarray(x)

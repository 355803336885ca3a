"""The backend `K`: tensors, variables, differentiable ops and their gradients.

    from teachkeras import backend as K

Everything a layer computes goes through these functions, so everything has a
gradient. Each op lives in a file by family, with its vector-Jacobian product
beside it: `math_ops` (elementwise, matmul), `reduction_ops` (sum, mean, max),
`array_ops` (reshape, slice, join), `nn_ops` (activations, dropout, cross-entropy),
and the fused image ops `conv_ops`, `pooling_ops`, `normalization_ops`.
"""

from __future__ import annotations

import numpy as np

from . import random
from .array_ops import (
    batch_flatten,
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    one_hot,
    pad,
    repeat,
    reshape,
    squeeze,
    stack,
    take,
    tile,
    transpose,
)
from .config import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from .conv_ops import conv1d, conv2d, conv2d_transpose
from .gradient_check import GradientCheckError, check_gradients, numeric_gradient
from .math_ops import (
    abs,
    add,
    cast,
    clip,
    cos,
    divide,
    equal,
    erf,
    exp,
    floor,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    log1p,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    power,
    round,
    sign,
    sin,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tanh,
    where,
)
from .naming import get_uid, reset_uids
from .nn_ops import (
    binary_crossentropy,
    categorical_crossentropy,
    dropout,
    elu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    sigmoid_crossentropy_with_logits,
    softmax,
    softplus,
    sparse_categorical_crossentropy,
)
from .normalization_ops import (
    batch_normalization,
    batch_normalization_train,
    normalize_batch_in_training,
)
from .pooling_ops import (
    average_pool,
    avg_pool1d,
    avg_pool2d,
    max_pool,
    max_pool1d,
    max_pool2d,
    pool2d,
)
from .reduction_ops import (
    all,
    any,
    argmax,
    argmin,
    cumsum,
    logsumexp,
    max,
    mean,
    min,
    norm,
    prod,
    std,
    sum,
    var,
)
from .tensor import GradientTape, Tensor, as_array, as_tensor, enable_grad, gradients, no_grad
from .variable import Variable

# Keras's names for the same ops.
dot = matmul
gather = take
pow = power
permute_dimensions = transpose


def backend() -> str:
    """The name of the engine underneath: always `'numpy'` here."""
    return "numpy"


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def variable(value, dtype=None, name=None, constraint=None) -> Variable:
    """A `Variable` holding `value` (Keras 2's `K.variable`)."""
    return Variable(value, dtype=dtype or _float_or_own(value), name=name, constraint=constraint)


def constant(value, dtype=None, shape=None, name=None) -> Tensor:
    """A constant tensor (filled to `shape` when `value` is a scalar)."""
    array = np.asarray(as_array(value), dtype=dtype or floatx())
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)).copy()
    return Tensor(array, name=name)


def _float_or_own(value) -> str:
    array = as_array(value)
    return (
        floatx()
        if np.issubdtype(array.dtype, np.floating) or array.dtype == bool
        else str(array.dtype)
    )


def eval(x) -> np.ndarray:
    """The value of a tensor or variable as a NumPy array."""
    return np.asarray(as_array(x))


get_value = eval


def set_value(x: Variable, value) -> None:
    x.assign(value)


def int_shape(x) -> tuple[int, ...]:
    return tuple(np.shape(as_array(x))) if not hasattr(x, "shape") else tuple(x.shape)


def ndim(x) -> int:
    return len(int_shape(x))


def dtype(x) -> str:
    return str(np.dtype(getattr(x, "dtype", as_array(x).dtype)))


def count_params(x) -> int:
    return int(np.prod(int_shape(x)))


def clear_session() -> None:
    """Forget default layer names (the next Dense is `dense` again)."""
    reset_uids()

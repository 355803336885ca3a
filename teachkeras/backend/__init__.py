"""The backend `K`: tensors, variables, differentiable ops and their gradients.

    from teachkeras import backend as K

Everything a layer computes goes through these functions, so everything has a
gradient. Each op lives in a file by family, with its vector-Jacobian product
beside it: `math_ops` (elementwise, matmul), `reduction_ops` (sum, mean, max),
`array_ops` (reshape, slice, join), `nn_ops` (activations, dropout, cross-entropy),
and the fused image ops `conv_ops`, `pooling_ops`, `normalization_ops`.

Keras 2's `K` namespace is here too, so that its tutorials run unchanged:
`keras2_api` (variables, random tensors, updates, shapes), `keras2_ops` and `keras2_nn`
(the functions Keras 3 dropped, from primitives), `learning_phase`, and its graph mode:
`symbolic` (placeholders, and the one dispatch point that lets every function below
accept them) and `graph_function` (`K.function`, symbolic `K.gradients`, `K.eval`).
"""

from __future__ import annotations

import inspect as _inspect

from . import random
from .array_ops import (
    batch_flatten,
    broadcast_to,
    concatenate,
    flatten,
    getitem,
    one_hot,
    pad,
    repeat,
    reshape,
    squeeze,
    stack,
    take,
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
from .graph_function import Function, eval, function, gradients
from .image_ops import resize_images
from .keras2_api import (
    backend,
    batch_get_value,
    batch_set_value,
    cast_to_floatx,
    clear_session,
    constant,
    count_params,
    dtype,
    eye,
    get_value,
    identity,
    int_shape,
    is_keras_tensor,
    is_placeholder,
    is_tensor,
    moving_average_update,
    ndim,
    ones,
    ones_like,
    random_normal,
    random_normal_variable,
    random_uniform,
    random_uniform_variable,
    set_value,
    shape,
    truncated_normal,
    update,
    update_add,
    update_sub,
    variable,
    zeros,
    zeros_like,
)
from .keras2_nn import (
    batch_normalization,
    bias_add,
    hard_sigmoid,
    in_top_k,
    l2_normalize,
    relu,
    softsign,
)
from .keras2_ops import (
    batch_dot,
    cumprod,
    dot,
    expand_dims,
    gather,
    mean,
    permute_dimensions,
    repeat_elements,
    slice,
    spatial_2d_padding,
    tile,
)
from .learning_phase import (
    in_test_phase,
    in_train_phase,
    learning_phase,
    set_learning_phase,
    switch,
)
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
    sigmoid,
    sigmoid_crossentropy_with_logits,
    softmax,
    softplus,
    sparse_categorical_crossentropy,
)
from .normalization_ops import batch_normalization_train, normalize_batch_in_training
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
    min,
    norm,
    prod,
    std,
    sum,
    var,
)
from .symbolic import SymbolicTensor, placeholder
from .symbolic import symbolic_op as _symbolic_op
from .tensor import GradientTape, Tensor, as_array, as_tensor, enable_grad, no_grad
from .variable import Variable

# Keras's names for the same ops.
pow = power


# --- the one dispatch point: every op accepts symbolic tensors ----------------------------
# Each public function is wrapped by `symbolic.symbolic_op` (see symbolic.py): on concrete values it
# runs as it is, with a placeholder among its arguments it is recorded for `K.function`.
# Left alone: functions marked `handles_symbolic` (gradients, function, eval, int_shape,
# switch, ...), and these tools, which never compute on tensors or must see concrete ones.
_NOT_OPS = {
    "as_array",
    "as_tensor",
    "no_grad",
    "enable_grad",
    "check_gradients",
    "numeric_gradient",
    "variable",  # a variable holds a concrete value
    "placeholder",
    "get_uid",
    "reset_uids",
    "clear_session",
    "backend",
    "epsilon",
    "floatx",
    "image_data_format",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "set_learning_phase",
}

_wrapped: dict[int, object] = {}  # one wrapper per function, so aliases stay aliases (pow is power)
for _name, _value in list(globals().items()):
    if (
        not _name.startswith("_")
        and _inspect.isfunction(_value)
        and _name not in _NOT_OPS
        and not getattr(_value, "_handles_symbolic", False)
    ):
        globals()[_name] = _wrapped.setdefault(id(_value), _symbolic_op(_value))

# Python's operators on a concrete tensor meet symbolic ones too: `w * x` with w a variable
# and x a placeholder is recorded like `K.multiply(w, x)`.
for _name in (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__pow__",
    "__rpow__",
    "__matmul__",
    "__rmatmul__",
    "__gt__",
    "__ge__",
    "__lt__",
    "__le__",
    "__getitem__",
):
    setattr(Tensor, _name, _symbolic_op(getattr(Tensor, _name)))
del _name, _value, _wrapped

# Training frees and re-allocates the same large arrays every step: keep that memory
# mapped instead of handing it back to the OS after each step (see `memory.py`).
from . import memory as _memory  # noqa: E402

_memory.keep_freed_memory()

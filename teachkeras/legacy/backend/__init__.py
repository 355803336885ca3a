"""Keras 2's `K`: the backend namespace that Keras 2 tutorials import.

    from keras import backend as K       # or: from teachkeras import backend as K
    x = K.placeholder(shape=(None, 3))
    f = K.function([x], [K.sum(K.square(x), axis=1)])

`teachkeras.backend` hands every name it does not hold itself to this module. Here are
the engine's ops (the same functions as `teachkeras.ops`), each seen through the symbolic
wrapper below, plus what Keras 2 had and Keras 3 dropped:
`keras2_api` (variables, random tensors, updates, shapes), `keras2_ops` and `keras2_nn`
(functions from primitives), `learning_phase`, and the graph mode: `symbolic`
(placeholders, and the one dispatch point that lets every function accept them) and
`graph_function` (`K.function`, symbolic `K.gradients`, `K.eval`).

Nothing in the core (layers, losses, training) imports this module: they use `ops`.
"""

from __future__ import annotations

import inspect as _inspect

from ... import config as _config
from ... import ops as _ops
from ...backend import random
from ...backend.array_ops import getitem
from ...backend.config import standardize_data_format
from ...backend.conv_ops import conv1d, conv2d, conv2d_transpose
from ...backend.global_state import clear_session
from ...backend.gradient_check import GradientCheckError, check_gradients, numeric_gradient
from ...backend.image_ops import resize_images
from ...backend.naming import get_uid, reset_uids
from ...backend.nn_ops import sigmoid_crossentropy_with_logits
from ...backend.normalization_ops import batch_normalization_train
from ...backend.tensor import GradientTape, Tensor, as_array, as_tensor, enable_grad, no_grad
from ...backend.variables import Variable
from .graph_function import Function, eval, function, gradients
from .keras2_api import (
    backend,
    batch_get_value,
    batch_set_value,
    cast_to_floatx,
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
    avg_pool1d,
    avg_pool2d,
    batch_normalization,
    bias_add,
    dropout,
    hard_sigmoid,
    in_top_k,
    l2_normalize,
    max_pool1d,
    max_pool2d,
    normalize_batch_in_training,
    pool2d,
    relu,
)
from .keras2_ops import (
    arange,
    argmax,
    argmin,
    batch_dot,
    batch_flatten,
    clip,
    concatenate,
    cumprod,
    cumsum,
    dot,
    expand_dims,
    flatten,
    gather,
    mean,
    one_hot,
    permute_dimensions,
    repeat,
    repeat_elements,
    reshape,
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
from .symbolic import SymbolicTensor, placeholder
from .symbolic import symbolic_op as _symbolic_op

# What Keras 2's K shares with Keras 3, under the same names and with the same arguments: the
# settings of `keras.config` and these ops of `keras.ops`, taken from there by name. (Where Keras 2's
# arguments differ, as in `K.clip(x, min_value, max_value)`, K has its own version, imported above.)
_SHARED_WITH_KERAS_3 = {
    _config: "epsilon floatx image_data_format set_epsilon set_floatx set_image_data_format",
    _ops: """
        abs add all any average_pool binary_crossentropy broadcast_to cast categorical_crossentropy
        cos divide elu equal erf exp floor greater greater_equal leaky_relu less less_equal log
        log1p log_softmax logsumexp matmul max max_pool maximum min minimum multiply negative norm
        not_equal pad pow power prod round sigmoid sign sin softmax softplus softsign
        sparse_categorical_crossentropy sqrt square squeeze stack std stop_gradient subtract sum
        take tanh transpose var where
    """,
}
for _module, _names in _SHARED_WITH_KERAS_3.items():
    globals().update({_name: getattr(_module, _name) for _name in _names.split()})
del _module, _names


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
    "backend",
    "epsilon",
    "floatx",
    "image_data_format",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "set_learning_phase",
    "clear_session",
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

del _name, _value, _wrapped

"""`teachkeras.ops`: Keras 3's `keras.ops`, the differentiable operations everything is built from.

    from teachkeras import ops

    y = ops.matmul(x, w) + b                   # what Dense computes
    loss = ops.mean(ops.square(y - target))    # what mean_squared_error computes

Layers, losses, metrics, optimizers and the training loop are written with these ops,
so everything they compute has a gradient: a layer never writes a backward pass, and
neither does a learner's own `Layer` subclass.

Each op is defined, with its gradient beside it, in a file of `teachkeras/backend/` by
family: follow the import below to read one.

    math_ops.py            elementwise arithmetic and functions, comparisons, matmul
    reduction_ops.py       sum, mean, max, argmax, cumsum, norm, ...
    array_ops.py           reshape, transpose, concatenate, stack, take, one_hot, ...
    nn_ops.py              relu, sigmoid, softmax, the cross-entropies
    conv_ops.py            convolutions (im2col and one matrix product)
    pooling_ops.py         max and average pooling
    normalization_ops.py   batch normalization

These ops compute at once, on NumPy arrays (`Tensor`s), and record what they did when
a gradient is needed. Keras 2's `K` (placeholders, `K.function`) is the same ops seen
through a symbolic wrapper: that lives at the edge, in `teachkeras.legacy`.
"""

from ..backend.array_ops import (
    broadcast_to,
    concatenate,
    expand_dims,
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
from ..backend.math_ops import (
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
from ..backend.nn_ops import (
    binary_crossentropy,
    categorical_crossentropy,
    elu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    sparse_categorical_crossentropy,
)
from ..backend.normalization_ops import batch_normalization
from ..backend.pooling_ops import average_pool, max_pool
from ..backend.reduction_ops import (
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
from .core import convert_to_numpy, convert_to_tensor

# NumPy's and Keras's names for the same ops.
absolute = abs
pow = power

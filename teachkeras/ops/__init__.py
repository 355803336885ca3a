"""`teachkeras.ops`: Keras 3's `keras.ops`, the differentiable operations everything is built from.

    from teachkeras import ops

    y = ops.matmul(x, w) + b                   # what Dense computes
    loss = ops.mean(ops.square(y - target))    # what mean_squared_error computes

Layers, losses, metrics, optimizers and the training loop are written with these ops,
so everything they compute has a gradient: a layer never writes a backward pass, and
neither does a learner's own `Layer` subclass. The names, arguments and defaults are
Keras 3's (`ops.concatenate(xs, axis=0)`, `ops.clip(x, x_min, x_max)`), so code
written for `keras.ops` runs here.

Each op is defined, with its gradient beside it, in a file of `teachkeras/backend/` by
family: follow the import below to read one.

    math_ops.py            elementwise arithmetic and functions, comparisons, logic, matmul
    reduction_ops.py       sum, mean, max, argmax, cumsum, var, logsumexp, average, ...
    array_ops.py           reshape, transpose, concatenate, stack, split, take, pad, one_hot, ...
    sort_ops.py            sort, argsort, top_k, in_top_k
    linalg_ops.py          dot, tensordot, einsum, outer, diagonals, triangles, norm
    creation_ops.py        zeros, ones, full, eye, arange, linspace, shape
    nn_ops.py              relu, sigmoid, softmax, the cross-entropies, dot_product_attention
    activation_ops.py      gelu, silu, selu, relu6, hard_sigmoid, ... (from the primitives)
    conv_ops.py            convolutions (im2col and one matrix product)
    depthwise_conv_ops.py  depthwise and separable convolutions
    pooling_ops.py         max and average pooling
    normalization_ops.py   batch and layer normalization, moments

These ops compute at once, on NumPy arrays (`Tensor`s), and record what they did when
a gradient is needed. Keras 2's `K` (placeholders, `K.function`) is the same ops seen
through a symbolic wrapper: that lives at the edge, in `teachkeras.legacy`.
"""

from ..backend.activation_ops import (
    gelu,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    log_sigmoid,
    relu6,
    selu,
    silu,
    softsign,
    swish,
)
from ..backend.array_ops import (
    broadcast_to,
    concatenate,
    expand_dims,
    flip,
    moveaxis,
    one_hot,
    pad,
    ravel,
    repeat,
    reshape,
    split,
    squeeze,
    stack,
    swapaxes,
    take,
    take_along_axis,
    tile,
    transpose,
)
from ..backend.conv_ops import conv, conv_transpose
from ..backend.creation_ops import (
    arange,
    eye,
    full,
    full_like,
    identity,
    linspace,
    ones,
    ones_like,
    shape,
    zeros,
    zeros_like,
)
from ..backend.depthwise_conv_ops import depthwise_conv, separable_conv
from ..backend.linalg_ops import (
    diag,
    diagonal,
    dot,
    einsum,
    norm,
    outer,
    tensordot,
    trace,
    tril,
    triu,
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
    exp2,
    expm1,
    floor,
    floor_divide,
    greater,
    greater_equal,
    isfinite,
    isnan,
    less,
    less_equal,
    log,
    log1p,
    log2,
    log10,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    power,
    reciprocal,
    round,
    rsqrt,
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
    dot_product_attention,
    elu,
    leaky_relu,
    log_softmax,
    normalize,
    relu,
    sigmoid,
    softmax,
    softplus,
    sparse_categorical_crossentropy,
)
from ..backend.normalization_ops import batch_normalization, layer_normalization, moments
from ..backend.pooling_ops import average_pool, max_pool
from ..backend.reduction_ops import (
    all,
    any,
    argmax,
    argmin,
    average,
    count_nonzero,
    cumsum,
    logsumexp,
    max,
    mean,
    min,
    prod,
    std,
    sum,
    var,
)
from ..backend.sort_ops import argsort, in_top_k, sort, top_k
from . import image
from .core import convert_to_numpy, convert_to_tensor

# NumPy's and Keras's names for the same ops.
absolute = abs
pow = power

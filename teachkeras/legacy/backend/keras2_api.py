"""Keras 2's `K` helpers: making tensors and variables, asking about them, updating them.

    from keras import backend as K
    w = K.random_normal_variable((3, 2), mean=0.0, scale=0.1)   # a Variable
    K.int_shape(w), K.dtype(w), K.count_params(w)                # (3, 2), 'float32', 6
    K.update_add(w, K.ones((3, 2)))                              # w ← w + 1
    K.batch_get_value([w])                                       # [array(...)]

Keras 2's choices, kept: `zeros`, `ones`, `eye` and the `random_*_variable`s return
variables (they were meant to be trained); `zeros_like`, `random_uniform`, ... return
tensors. Every random draw comes from `backend.random` (an int `seed` gives its own
generator; no seed, the global one that `set_random_seed` controls).
"""

from __future__ import annotations

import numpy as np

from ...backend import config
from ...backend.array_ops import reshape
from ...backend.random import make_generator
from ...backend.tensor import Tensor, as_array
from ...backend.variables import Variable
from .symbolic import handles_symbolic, is_model_input, is_symbolic


# --- making tensors and variables ---------------------------------------------------------
def variable(value, dtype=None, name=None, constraint=None) -> Variable:
    """A `Variable` holding `value`, of type `dtype` (default `floatx()`, as in Keras 2)."""
    return Variable(
        as_array(value), dtype=dtype or config.floatx(), name=name, constraint=constraint
    )


def constant(value, dtype=None, shape=None, name=None) -> Tensor:
    """A constant tensor (filled to `shape` when `value` is a scalar)."""
    array = np.asarray(as_array(value), dtype=dtype or config.floatx())
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)).copy()
    return Tensor(array, name=name)


def eye(size, dtype=None, name=None) -> Variable:
    """The identity matrix as a variable; `size` is n, or (rows, columns)."""
    rows, columns = (size, size) if np.ndim(size) == 0 else tuple(size)
    return variable(np.eye(int(rows), int(columns)), dtype=dtype, name=name)


def zeros(shape, dtype=None, name=None) -> Variable:
    """A variable of zeros (Keras 2 returned a variable, meant to be trained)."""
    return variable(np.zeros(_shape_tuple(shape)), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None) -> Variable:
    """A variable of ones."""
    return variable(np.ones(_shape_tuple(shape)), dtype=dtype, name=name)


def zeros_like(x, dtype=None, name=None) -> Tensor:
    """A tensor of zeros with the shape (and, unless `dtype` is given, the type) of `x`."""
    array = as_array(x)
    return Tensor(np.zeros(array.shape, dtype=dtype or array.dtype), name=name)


def ones_like(x, dtype=None, name=None) -> Tensor:
    """A tensor of ones with the shape (and, unless `dtype` is given, the type) of `x`."""
    array = as_array(x)
    return Tensor(np.ones(array.shape, dtype=dtype or array.dtype), name=name)


def identity(x, name=None) -> Tensor:
    """The same values, as a new tensor (gradients pass through unchanged).

    Formula: $y = x$.  Gradient: $g$.
    """
    return reshape(x, np.shape(as_array(x)))


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None) -> Variable:
    """A variable drawn uniformly from [low, high)."""
    value = make_generator(seed).uniform(low, high, _shape_tuple(shape))
    return variable(value, dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None) -> Variable:
    """A variable drawn from a normal distribution N(mean, scale²)."""
    value = make_generator(seed).normal(mean, scale, _shape_tuple(shape))
    return variable(value, dtype=dtype, name=name)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> Tensor:
    """A tensor drawn uniformly from [minval, maxval)."""
    value = make_generator(seed).uniform(minval, maxval, _shape_tuple(shape))
    return Tensor(value.astype(dtype or config.floatx()))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """A tensor drawn from N(mean, stddev²)."""
    value = make_generator(seed).normal(mean, stddev, _shape_tuple(shape))
    return Tensor(value.astype(dtype or config.floatx()))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Normal, but values more than 2 standard deviations from the mean are drawn again."""
    rng = make_generator(seed)
    z = rng.standard_normal(_shape_tuple(shape))
    outside = np.abs(z) >= 2
    while outside.any():  # about 4.6% of the values each round: a few rounds at most
        z[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(z) >= 2
    return Tensor((mean + stddev * z).astype(dtype or config.floatx()))


def _shape_tuple(shape) -> tuple[int, ...]:
    if is_symbolic(shape):  # cannot happen: such calls are recorded instead
        raise TypeError("A shape must be concrete here.")
    shape = as_array(shape).tolist() if isinstance(shape, Tensor) else shape
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)


# --- reading and writing values -----------------------------------------------------------
@handles_symbolic
def get_value(x) -> np.ndarray:
    """The value of a variable (or any tensor) as a NumPy array."""
    from .graph_function import eval

    return eval(x)


@handles_symbolic
def batch_get_value(tensors) -> list[np.ndarray]:
    """The values of several tensors or variables at once."""
    return [get_value(x) for x in tensors]


def set_value(x: Variable, value) -> None:
    """Give a variable a new value (of the same shape)."""
    _check_variable(x, "set_value")
    x.assign(np.asarray(as_array(value), dtype=x.dtype))


def batch_set_value(tuples) -> None:
    """`set_value` for each `(variable, value)` pair."""
    for x, value in tuples:
        set_value(x, value)


def update(x: Variable, new_x) -> Variable:
    """$x \\leftarrow x_{new}$; returns the variable (not differentiable: it changes state)."""
    _check_variable(x, "update")
    return x.assign(as_array(new_x))


def update_add(x: Variable, increment) -> Variable:
    """$x \\leftarrow x + \\Delta$; returns the variable."""
    _check_variable(x, "update_add")
    return x.assign_add(as_array(increment))


def update_sub(x: Variable, decrement) -> Variable:
    """$x \\leftarrow x - \\Delta$; returns the variable."""
    _check_variable(x, "update_sub")
    return x.assign_sub(as_array(decrement))


def moving_average_update(x: Variable, value, momentum) -> Variable:
    """An exponential moving average, as BatchNormalization keeps its statistics.

    Formula: $x \\leftarrow x - (x - v)(1 - m) = m\\,x + (1 - m)\\,v$.
    """
    _check_variable(x, "moving_average_update")
    value = as_array(value, x.dtype)
    return x.assign_sub((x.data - value) * np.asarray(1 - momentum, dtype=x.dtype))


def _check_variable(x, what: str) -> None:
    if not isinstance(x, Variable):
        raise TypeError(
            f"K.{what} changes a variable, but got {type(x).__name__}. Make one first: "
            "v = K.variable(value)."
        )


# --- asking about tensors ------------------------------------------------------------------
def backend() -> str:
    """The name of the engine underneath: always `'numpy'` here."""
    return "numpy"


@handles_symbolic
def is_tensor(x) -> bool:
    """True for tensors, variables and symbolic tensors (not for NumPy arrays)."""
    return isinstance(x, Tensor) or is_symbolic(x)


@handles_symbolic
def is_keras_tensor(x) -> bool:
    """True for the tensors a Keras layer made (`Input(...)`, `layer.output`).

    As in Keras 2, asking about something that is not a tensor at all is an error.
    """
    if not is_tensor(x):
        raise ValueError(
            f"Unexpectedly found an instance of type {type(x).__name__!r}. "
            "Expected a symbolic tensor instance."
        )
    return getattr(x, "_keras_history", None) is not None


@handles_symbolic
def is_placeholder(x) -> bool:
    """True for `K.placeholder(...)` and a model's `Input(...)`."""
    return bool(getattr(x, "_is_placeholder", False)) or is_model_input(x)


@handles_symbolic
def int_shape(x) -> tuple:
    """The shape as a tuple of ints (`None` for sizes unknown until data arrives)."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(as_array(x)))


@handles_symbolic
def ndim(x) -> int:
    """The number of axes."""
    return len(int_shape(x))


@handles_symbolic
def dtype(x) -> str:
    """The element type's name, e.g. `'float32'`."""
    return str(np.dtype(x.dtype if hasattr(x, "dtype") else as_array(x).dtype))


@handles_symbolic
def count_params(x) -> int:
    """The number of scalars in `x`."""
    shape = int_shape(x)
    if any(d is None for d in shape):
        raise ValueError(f"count_params: the shape {shape} has unknown sizes (None).")
    return int(np.prod(shape))


def shape(x) -> Tensor:
    """The shape as an int32 tensor (on a symbolic tensor: computed when the graph runs)."""
    return Tensor(np.asarray(np.shape(as_array(x)), dtype=np.int32))


def cast_to_floatx(x) -> np.ndarray:
    """`x` as a NumPy array of type `floatx()`."""
    return np.asarray(as_array(x), dtype=config.floatx())

"""Regularizers: penalties on weights, added to the loss so that training keeps them small.

    Dense(64, kernel_regularizer=regularizers.L2(0.01))

A regularizer is a function `weights -> scalar`. `fit` adds the penalties of every
layer (`model.losses`) to the data loss, so the gradient of the penalty joins the
gradient of the data term. Written with backend ops, the penalties differentiate
themselves:

    L1:  l1 * Σ|w|     gradient  l1 * sign(w)   pushes weights to exactly 0 (sparse)
    L2:  l2 * Σ w²     gradient  2 * l2 * w     shrinks every weight in proportion ("weight decay")
"""

from __future__ import annotations

import math

import numpy as np

from . import ops
from .backend import config
from .backend.tensor import Tensor
from .legacy import warn_once
from .legacy.renames import accepts_renamed
from .serialization.registry import resolve, resolve_callable


def validate_float_arg(value, name: str) -> float:
    """`value` as a float, if it is a finite, non-negative number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, float | int | np.floating | np.integer)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class: a regularizer is called on a weight and returns a scalar penalty.

    Any function `f(weights) -> scalar tensor` works as a regularizer too; subclass this
    (and write `get_config`) when the penalty must be saved with the model.
    """

    def __call__(self, x) -> Tensor | float:
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)

    def __repr__(self) -> str:
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{type(self).__name__}({args})"


def _float_tensor(x) -> Tensor:
    x = ops.convert_to_tensor(x)
    return x if np.issubdtype(x.dtype, np.floating) else ops.cast(x, config.floatx())


class L1L2(Regularizer):
    """Both penalties at once.

    Formula: loss = l1 * Σ|x| + l2 * Σ x²
    Gradient: l1 * sign(x) + 2 * l2 * x.

    The defaults are 0 (no penalty); Keras 2's string 'l1_l2' meant l1=l2=0.01.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x) -> Tensor:
        x = _float_tensor(x)
        penalty = ops.convert_to_tensor(0.0, dtype=x.dtype)
        if self.l1 != 0.0:
            penalty = penalty + self.l1 * ops.sum(ops.abs(x))
        if self.l2 != 0.0:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


@accepts_renamed({"l": "l1"})  # Keras 1: l1(l=0.01)
class L1(Regularizer):
    """Lasso penalty: drives unneeded weights to exactly 0.

    Formula: loss = l1 * Σ|x|
    Gradient: l1 * sign(x) (the same size for every weight, however small).
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")

    def __call__(self, x) -> Tensor:
        return self.l1 * ops.sum(ops.abs(_float_tensor(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@accepts_renamed({"l": "l2"})  # Keras 1: l2(l=0.01)
class L2(Regularizer):
    """Ridge penalty, or weight decay: shrinks every weight in proportion to its size.

    Formula: loss = l2 * Σ x²
    Gradient: 2 * l2 * x.
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x) -> Tensor:
        return self.l2 * ops.sum(ops.square(_float_tensor(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    """x / max(‖x‖, ε) along `axis` (Keras's `normalize`); a zero row stays zero."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    # max(‖x‖, ε) = sqrt(max(Σx², ε²)): never takes the square root of 0, so no 0/0 in the gradient.
    return x / ops.sqrt(ops.maximum(square_sum, config.epsilon() ** 2))


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight to be orthogonal to each other.

    Formula: with u_i the L2-normalised rows (`mode="rows"`) or columns,
             loss = factor * mean over pairs i < j of |u_i · u_j|
             (written as factor * 0.5 * Σ_{i≠j} |u_i · u_j| / (n (n - 1) / 2)).
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, inputs) -> Tensor:
        x = _float_tensor(inputs)
        if x.ndim != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={x.shape}"
            )
        if self.mode == "rows":
            u = _l2_normalize(x, axis=1)
            products = ops.matmul(u, ops.transpose(u))  # (rows, rows): every pair's dot product
        else:
            u = _l2_normalize(x, axis=0)
            products = ops.matmul(ops.transpose(u), u)  # (columns, columns)
        size = products.shape[0]
        off_diagonal = (1.0 - np.eye(size)).astype(x.dtype)  # a row with itself does not count
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.abs(products * off_diagonal)) / num_pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


# The lower-case spellings Keras exports: each is the class itself.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS: dict[str, type] = {
    "Regularizer": Regularizer,
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "regularizer": Regularizer,
    "l1": L1,
    "l2": L2,
    "l1l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def get(identifier):
    """The regularizer `identifier` stands for.

    Accepts None (-> None), a name (`'l2'` gives `L2(0.01)`), a Keras config dict, a class
    (instantiated with its defaults), or any callable (returned unchanged).
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier == "l1_l2":
        # Keras 2 read the string 'l1_l2' as L1L2(l1=0.01, l2=0.01); Keras 3 rejects it.
        warn_once(
            "regularizers.l1_l2",
            "kernel_regularizer='l1_l2' is the Keras 2 spelling (meaning l1=l2=0.01); "
            "write kernel_regularizer=regularizers.L1L2(l1=0.01, l2=0.01) instead.",
        )
        return L1L2(l1=0.01, l2=0.01)
    return resolve_callable(
        identifier,
        ALL_OBJECTS,
        "regularizer",
        "Pass a name such as 'l2', a Regularizer such as L2(0.01), or a function.",
    )


def serialize(regularizer) -> dict | None:
    """The Keras config dict: {'module', 'class_name', 'config', 'registered_name'}."""
    from .serialization.keras_objects import serialize_keras_object

    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects: dict | None = None):
    """The regularizer described by `config` (a Keras config dict or a name)."""
    return resolve(config, ALL_OBJECTS, "regularizer", custom_objects, instantiate=True)


# Keras 1 spellings: regularizers.l1l2(...) and the activity_* helpers.
def _keras1_l1l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    return L1L2(l1=l1, l2=l2)


def _keras1_activity_l1(l: float = 0.01) -> L1L2:
    return L1L2(l1=l)


def _keras1_activity_l2(l: float = 0.01) -> L1L2:
    return L1L2(l2=l)


_KERAS1_NAMES = {
    "l1l2": (_keras1_l1l2, "regularizers.L1L2(l1=0.01, l2=0.01)"),
    "activity_l1": (_keras1_activity_l1, "activity_regularizer=regularizers.L1(0.01)"),
    "activity_l2": (_keras1_activity_l2, "activity_regularizer=regularizers.L2(0.01)"),
    "activity_l1l2": (_keras1_l1l2, "activity_regularizer=regularizers.L1L2(0.01, 0.01)"),
}


def __getattr__(name: str):
    if name in _KERAS1_NAMES:
        function, modern = _KERAS1_NAMES[name]
        warn_once(f"regularizers.{name}", f"regularizers.{name} is Keras 1; write {modern}.")
        return function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Constraints: projections applied to a weight after every optimizer step.

    Dense(64, kernel_constraint=constraints.MaxNorm(3))

After each update the optimizer replaces the weight `w` by `constraint(w)`: the
step is taken freely, then `w` is put back inside the allowed set (norm at most 3,
all entries non-negative, ...). This is "projected gradient descent".

The norms are taken along `axis`: for a Dense kernel (inputs, units), axis=0 gives
one norm per unit, over the weights coming into it. For a Conv2D kernel
(rows, cols, in_channels, filters) use axis=[0, 1, 2]: one norm per filter.
"""

from __future__ import annotations

from . import ops
from .backend import config
from .backend.tensor import Tensor
from .legacy import warn_once
from .legacy.renames import accepts_renamed
from .serialization.registry import resolve, resolve_callable


class Constraint:
    """Base class: a constraint maps a weight to its allowed version (the default keeps it)."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _norms(w: Tensor, axis) -> Tensor:
    """‖w‖ along `axis`, kept as length-1 axes so that it broadcasts against w."""
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


@accepts_renamed({"m": "max_value"})  # Keras 1: maxnorm(m=2)
class MaxNorm(Constraint):
    """Rescale each weight vector whose norm exceeds `max_value` down to that norm.

    Formula: w <- w * clip(‖w‖, 0, max_value) / (ε + ‖w‖),  ε = keras.config.epsilon()
    (Srivastava et al., 2014, used it with dropout.)
    """

    def __init__(self, max_value: float = 2, axis=0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w) -> Tensor:
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0.0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Move each weight vector's norm into [min_value, max_value], a fraction `rate` of the way.

    Formula: target = rate * clip(‖w‖, min_value, max_value) + (1 - rate) * ‖w‖
             w <- w * target / (ε + ‖w‖)
    rate=1 enforces the bounds at once; rate<1 approaches them over several steps.
    """

    def __init__(
        self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis=0
    ) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w) -> Tensor:
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


class NonNeg(Constraint):
    """Set negative weights to 0.

    Formula: w <- max(w, 0)
    """

    def __call__(self, w) -> Tensor:
        return ops.maximum(ops.convert_to_tensor(w), 0.0)


class UnitNorm(Constraint):
    """Rescale each weight vector to norm 1.

    Formula: w <- w / (ε + ‖w‖)
    """

    def __init__(self, axis=0) -> None:
        self.axis = axis

    def __call__(self, w) -> Tensor:
        w = ops.convert_to_tensor(w)
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


# The lower-case spellings Keras exports: each is the class itself.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS: dict[str, type] = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "MinMaxNorm": MinMaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "constraint": Constraint,
    "max_norm": MaxNorm,
    "min_max_norm": MinMaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
}

# Keras 1 and 2 also wrote maxnorm, nonneg, unitnorm (without the underscore).
_OLD_NAMES = {"maxnorm": "max_norm", "nonneg": "non_neg", "unitnorm": "unit_norm"}


def _warn_old_name(old: str) -> None:
    warn_once(
        f"constraints.{old}",
        f"constraints.{old} is the older Keras spelling; write constraints.{_OLD_NAMES[old]} "
        f"(or {ALL_OBJECTS[_OLD_NAMES[old]].__name__}) instead.",
    )


def get(identifier):
    """The constraint `identifier` stands for.

    Accepts None (-> None), a name (`'max_norm'`, `'NonNeg'`), a Keras config dict, a class
    (instantiated with its defaults), or any callable (returned unchanged).
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in _OLD_NAMES:
        _warn_old_name(identifier)
        identifier = _OLD_NAMES[identifier]
    return resolve_callable(
        identifier,
        ALL_OBJECTS,
        "constraint",
        "Pass a name such as 'max_norm', a Constraint such as MaxNorm(3), or a function.",
    )


def serialize(constraint) -> dict | None:
    """The Keras config dict: {'module', 'class_name', 'config', 'registered_name'}."""
    from .serialization.keras_objects import serialize_keras_object

    return serialize_keras_object(constraint)


def deserialize(config, custom_objects: dict | None = None):
    """The constraint described by `config` (a Keras config dict or a name)."""
    return resolve(config, ALL_OBJECTS, "constraint", custom_objects, instantiate=True)


def __getattr__(name: str):
    if name in _OLD_NAMES:
        _warn_old_name(name)
        return ALL_OBJECTS[_OLD_NAMES[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""`teachkeras.initializers`: how a new weight gets its first values (Keras 3 API).

    Dense(64, kernel_initializer="he_normal", bias_initializer="zeros")
    Dense(64, kernel_initializer=initializers.glorot_uniform(seed=0))

The lower-case names are the classes themselves (`glorot_uniform is GlorotUniform`),
as in Keras, so `glorot_uniform(seed=0)` builds an initializer. Keras 1's names
(`init='uniform'`, `'normal'`, `'zero'`, `'one'`) are understood too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..backend.tensor import Tensor, as_array
from ..serialization.registry import resolve, resolve_callable
from .constant_initializers import Constant, Identity, Ones, Zeros
from .initializer import Initializer, standardize_dtype
from .random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

# The lower-case spellings Keras exports: each is the class itself.
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
random_uniform = RandomUniform
random_normal = RandomNormal
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal
orthogonal = Orthogonal
uniform = RandomUniform
normal = RandomNormal

_CLASSES = (
    Initializer, Zeros, Ones, Constant, Identity, RandomUniform, RandomNormal, TruncatedNormal,
    VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform,
    LecunNormal, Orthogonal,
)  # fmt: skip

# Every name `get` understands: 'GlorotUniform', 'glorot_uniform', and the older aliases.
ALL_OBJECTS: dict[str, type] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update(
    {
        "initializer": Initializer,
        "zeros": Zeros,
        "ones": Ones,
        "constant": Constant,
        "identity": Identity,
        "random_uniform": RandomUniform,
        "random_normal": RandomNormal,
        "truncated_normal": TruncatedNormal,
        "variance_scaling": VarianceScaling,
        "glorot_uniform": GlorotUniform,
        "glorot_normal": GlorotNormal,
        "he_uniform": HeUniform,
        "he_normal": HeNormal,
        "lecun_uniform": LecunUniform,
        "lecun_normal": LecunNormal,
        "orthogonal": Orthogonal,
        # Older spellings Keras 3 still accepts (Keras 1's init='uniform', 'zero', ...).
        "uniform": RandomUniform,
        "normal": RandomNormal,
        "zero": Zeros,
        "one": Ones,
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
    }
)


def get(identifier) -> Callable | None:
    """The initializer `identifier` stands for.

    Accepts None (-> None), a name (`'he_normal'`, `'HeNormal'`, Keras 1's `'uniform'`),
    a Keras config dict (`{'class_name': 'GlorotUniform', 'config': {'seed': 0}}`), a class
    (instantiated with its defaults), an initializer or any `f(shape, dtype=None)`
    (returned unchanged), or an array: its values, for a weight of exactly that shape.
    """
    if identifier is None:
        return None
    if isinstance(identifier, np.ndarray | np.generic | Tensor) and not isinstance(identifier, str):
        return _from_array(as_array(identifier))  # (a NumPy string is a name, not values)
    return resolve_callable(
        identifier,
        ALL_OBJECTS,
        "initializer",
        "Pass a name such as 'glorot_uniform', an Initializer, a function f(shape, dtype=None), "
        "or an array.",
    )


def _from_array(values: np.ndarray) -> Callable:
    """An initializer that returns a copy of `values` (which fixes the weight's shape)."""

    def initialize_fn(shape, dtype=None) -> np.ndarray:
        if tuple(shape) != values.shape:
            raise ValueError(
                f"Expected `shape` to be {values.shape} for direct tensor as initializer. "
                f"Received shape={tuple(shape)}"
            )
        return np.array(values, dtype=standardize_dtype(dtype))

    return initialize_fn


def serialize(initializer) -> dict | None:
    """The Keras config dict of an initializer: {'module', 'class_name', 'config', 'registered_name'}."""
    from ..serialization.keras_objects import serialize_keras_object

    return serialize_keras_object(initializer)


def deserialize(config, custom_objects: dict | None = None) -> Initializer:
    """The initializer described by `config` (a Keras config dict or a name)."""
    return resolve(config, ALL_OBJECTS, "initializer", custom_objects, instantiate=True)


__all__ = [
    "ALL_OBJECTS",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "standardize_dtype",
    "truncated_normal",
    "uniform",
    "variance_scaling",
    "zeros",
]

"""`Initializer`: the object that fills a new weight with its first values.

An initializer is a callable `init(shape, dtype=None) -> np.ndarray`. Layers call it
once per weight, in `build`, through `add_weight(initializer=...)`. A plain function
with the same signature works too; the class adds `get_config` so that a saved
model remembers how its weights were initialised.
"""

from __future__ import annotations

import numpy as np

from ..backend import config


class Initializer:
    """Base class of every initializer: subclasses implement `__call__`.

    Example:
        >>> class Fives(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return np.full(shape, 5, dtype=standardize_dtype(dtype))
    """

    def __call__(self, shape, dtype=None) -> np.ndarray:
        """A new array of `shape` and `dtype` (default `floatx()`)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(self, shape, dtype=None)`."
        )

    def get_config(self) -> dict:
        """The constructor arguments, JSON-ready: `type(self)(**config)` rebuilds it."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer with the same settings."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def standardize_dtype(dtype) -> np.dtype:
    """`dtype` as a NumPy dtype; None means `floatx()` ('float32' unless you changed it)."""
    return np.dtype(config.floatx() if dtype is None else dtype)


def standardize_shape(shape, owner: str) -> tuple[int, ...]:
    """`shape` as a tuple of non-negative ints (an int `n` means `(n,)`)."""
    if isinstance(shape, int | np.integer):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"{owner} needs a shape made of integers, e.g. (784, 64). Received: shape={shape!r}"
        ) from None
    if any(d < 0 for d in dims) or any(d != s for d, s in zip(dims, shape, strict=True)):
        raise ValueError(
            f"{owner} needs a shape of non-negative integers. Received: shape={shape!r}"
        )
    return dims

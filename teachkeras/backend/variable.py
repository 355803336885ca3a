"""`Variable`: a tensor whose value persists and changes (weights, optimizer slots)."""

from __future__ import annotations

import numpy as np

from . import config
from .tensor import Tensor, as_array


class Variable(Tensor):
    """A named, persistent tensor: a layer's weight or an optimizer's slot.

    Gradients always flow to variables (`requires_grad` is True). Their value is
    replaced, never mutated in place, by `assign`, so a graph recorded before an
    update still holds the values it was computed with.

    Args:
        initializer: an array-like value, or a callable `f(shape, dtype)`.
        shape: required when `initializer` is a callable.
        dtype: defaults to `floatx()` for float values.
        trainable: whether optimizers update it (`layer.trainable_weights`).
        name: short name, e.g. `'kernel'`.
        constraint: a callable applied to the value after each optimizer update.
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable: bool = True,
        name: str | None = None,
        constraint=None,
        path: str | None = None,
    ) -> None:
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable {name!r}: an initializer callable needs a `shape`.")
            value = initializer(tuple(shape), dtype=dtype or config.floatx())
        else:
            value = initializer
        value = as_array(value, dtype)
        if dtype is None and np.issubdtype(value.dtype, np.floating):
            value = value.astype(config.floatx())
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise ValueError(
                f"Variable {name!r}: initial value has shape {value.shape}, expected {tuple(shape)}."
            )
        super().__init__(np.array(value), name=name or "variable")
        self.requires_grad = True
        self.trainable = trainable
        self.constraint = constraint
        self.path = path or self.name

    @property
    def value(self) -> np.ndarray:
        """The current value (Keras 3 spelling)."""
        return self.data

    def assign(self, value) -> Variable:
        """Replace the value; the shape may not change."""
        value = as_array(value, self.dtype)
        if value.shape != self.shape:
            if value.size == self.data.size and value.ndim == 0:
                value = np.full(self.shape, value, dtype=self.dtype)
            else:
                raise ValueError(
                    f"Cannot assign a value of shape {value.shape} to variable "
                    f"{self.path!r} of shape {self.shape}."
                )
        self.data = np.array(value, dtype=self.dtype)
        return self

    def assign_add(self, delta) -> Variable:
        """`v ← v + delta` (a new array: the old value stays valid in recorded graphs)."""
        return self._replace(self.data + as_array(delta, self.dtype))

    def assign_sub(self, delta) -> Variable:
        """`v ← v - delta`."""
        return self._replace(self.data - as_array(delta, self.dtype))

    def _replace(self, array: np.ndarray) -> Variable:
        # `array` is freshly computed and owned by nobody else, so it needs no copy.
        if array.shape != self.shape:
            return self.assign(array)
        self.data = array.astype(self.dtype, copy=False)
        return self

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, threshold=20)
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={body}>"

"""`Variable`: a tensor whose value persists and changes (weights, optimizer slots)."""

from __future__ import annotations

import weakref

import numpy as np

from . import config
from .tensor import Tensor, as_array


class Variable(Tensor):
    """A named, persistent tensor: a layer's weight or an optimizer's slot.

    Gradients always flow to variables (`requires_grad` is True).

    `assign`, `assign_add` and `assign_sub` write into the variable's own array, as
    TensorFlow and PyTorch do: an optimizer step then allocates no new weights, which
    keeps a training step fast and its memory in the CPU's cache. Two rules keep that
    safe:

    - copy on write: while a recorded graph can still use the value (an op read the
      variable and its VJPs have not run yet with `retain_graph=False`), an update
      gives the variable a new array instead, so the graph's gradients use the value
      it was computed with;
    - `numpy()` returns a copy (as Keras's does), so a snapshot taken before training
      does not move with the weights. `value` is the live array itself.

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
        self._readers: weakref.WeakSet = weakref.WeakSet()  # filled by `tensor.record`
        self.requires_grad = True
        self.trainable = trainable
        self.constraint = constraint
        self.path = path or self.name

    @property
    def value(self) -> np.ndarray:
        """The current value (Keras 3 spelling): the live array, updated in place."""
        return self.data

    def numpy(self) -> np.ndarray:
        """A copy of the current value: later updates leave it alone."""
        return np.array(self.data)

    def assign(self, value) -> Variable:
        """Set the value; the shape may not change."""
        value = as_array(value, self.dtype)
        if value.shape != self.shape:
            if value.size == self.data.size and value.ndim == 0:
                value = np.full(self.shape, value, dtype=self.dtype)
            else:
                raise ValueError(
                    f"Cannot assign a value of shape {value.shape} to variable "
                    f"{self.path!r} of shape {self.shape}."
                )
        if self._held_by_a_graph():
            self.data = np.array(value, dtype=self.dtype)  # copy on write
        else:
            np.copyto(self.data, value)
        return self

    def assign_add(self, delta) -> Variable:
        """`v ← v + delta`."""
        return self._update(np.add, delta)

    def assign_sub(self, delta) -> Variable:
        """`v ← v - delta`."""
        return self._update(np.subtract, delta)

    def _update(self, op: np.ufunc, delta) -> Variable:
        """`v ← op(v, delta)`: into the variable's own array when that is safe."""
        delta = as_array(delta, self.dtype)
        if (delta.shape == self.shape or delta.ndim == 0) and not self._held_by_a_graph():
            op(self.data, delta, out=self.data)
            return self
        return self.assign(op(self.data, delta))  # checks the shape; copies on write

    def _held_by_a_graph(self) -> bool:
        """True while a recorded op that read this value may still run its VJPs.

        A node leaves `_readers` when its backward has run with `retain_graph=False`
        (`GradNode.release`) or when nothing refers to it any more (a weak set).
        """
        return bool(self._readers)

    # A copy (copy.deepcopy, pickle) is read by no recorded op: it starts with no readers.
    def __getstate__(self) -> dict:
        return {**self.__dict__, "_readers": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._readers = weakref.WeakSet()

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, threshold=20)
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={body}>"

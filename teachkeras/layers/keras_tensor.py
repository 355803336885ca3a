"""`KerasTensor`: a placeholder with a shape but no values, for building models.

`Input((4,))` returns one. Calling a layer on it computes only the output *shape*
(`layer.compute_output_shape`) and returns another `KerasTensor` that remembers
which layer call produced it (`_keras_history`). `Model(inputs, outputs)` then follows
those records backwards to find the graph of layers.

Python's operators work on it as in Keras 3: `x * 2` or `x[:, 0]` is recorded as one
more call in the graph (an `OpLayer` applying the op, see `core/op_layer.py`), so
`Model(inputs, x[:, 0] * 2)` is a model.
"""

from __future__ import annotations

import numpy as np

from ..backend.operators import define_operators


class KerasTensor:
    """A symbolic tensor: shape (with `None` for the batch axis), dtype, and history.

    Attributes:
        shape: e.g. `(None, 4)`.
        dtype: a dtype name, e.g. `'float32'`.
        name: a readable name (the producing layer's, for model inputs).
        _keras_history: `(layer, node_index, tensor_index)` of the layer call that made it.
    """

    # NumPy arrays and Tensors hand their operators over to ours: `2 * x`, `array + x`.
    __array_ufunc__ = None

    def __init__(self, shape, dtype="float32", name: str | None = None) -> None:
        self.shape = tuple(None if d is None else int(d) for d in shape)
        # "string": Keras's name for text, e.g. Input(shape=(1,), dtype="string")
        self.dtype = "string" if dtype in ("string", "str", str) else str(np.dtype(dtype))
        self.name = name
        self._keras_history = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"{self!r} is symbolic: it has a shape but no values yet. Inside a model, apply "
            "Python's operators (x * 2, x[:, 0]) or write the op in a layer's call(); to get "
            "numbers, build Model(inputs, outputs) and call model.predict(x) (or, Keras 2 "
            "style, K.function([model.input], [tensor])([x]))."
        )

    def __len__(self):
        raise TypeError(
            f"len() of a symbolic tensor is unknown (shape {self.shape}); use .shape instead."
        )

    def __iter__(self):
        raise TypeError(
            f"A symbolic tensor (shape {self.shape}) cannot be iterated: index it (x[0]) instead."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            f"The truth value of {self!r} is unknown until data flows through the model: "
            "use ops.where(condition, a, b) instead of `if`."
        )

    __hash__ = object.__hash__  # `==` stays identity: tensors can be dict keys


def _record_op(op, *operands):
    """`x + 1` on a KerasTensor: one more layer call in the graph, applying `op`."""
    from .core.op_layer import OpLayer  # a layer; imported here because layers import us

    return OpLayer.apply(op, operands)


define_operators(KerasTensor, _record_op)


def is_keras_tensor(x) -> bool:
    """True for the symbolic tensors that `Input` and layer calls on it return."""
    return isinstance(x, KerasTensor)

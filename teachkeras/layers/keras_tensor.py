"""`KerasTensor`: a placeholder with a shape but no values, for building models.

`Input((4,))` returns one. Calling a layer on it computes only the output *shape*
(`layer.compute_output_shape`) and returns another `KerasTensor` that remembers
which layer produced it (`_keras_history`). `Model(inputs, outputs)` then follows
those records backwards to find the graph of layers.
"""

from __future__ import annotations

import numpy as np


class KerasTensor:
    """A symbolic tensor: shape (with `None` for the batch axis), dtype, and history.

    Attributes:
        shape: e.g. `(None, 4)`.
        dtype: a dtype name, e.g. `'float32'`.
        name: a readable name (the producing layer's, for model inputs).
        _keras_history: `(layer, node_index, tensor_index)` of the layer call that made it.
    """

    def __init__(self, shape, dtype="float32", name: str | None = None) -> None:
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = str(np.dtype(dtype))
        self.name = name
        self._keras_history = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"{self!r} is symbolic: it has a shape but no values yet. Build a model with "
            "Model(inputs, outputs) and call model.predict(x) to get numbers."
        )

    def __len__(self):
        raise TypeError(
            f"len() of a symbolic tensor is unknown (shape {self.shape}); use .shape instead."
        )


def is_keras_tensor(x) -> bool:
    """True for the symbolic tensors that `Input` and layer calls on it return."""
    return isinstance(x, KerasTensor)

"""`KerasTensor`: a placeholder with a shape but no values, for building models.

`Input((4,))` returns one. Calling a layer on it computes only the output *shape*
(`layer.compute_output_shape`) and returns another `KerasTensor` that remembers
which layer produced it (`_keras_history`). `Model(inputs, outputs)` then follows
those records backwards to find the graph of layers.

A `KerasTensor` is also a backend `SymbolicTensor`, so Keras 2 graph code works on it:
`K.mean(layer.output[:, 0])` is recorded, and `K.function([model.input], [layer.output])`
evaluates it by running the layers of its history (`_compute` below).
"""

from __future__ import annotations

from ..backend.symbolic import SymbolicTensor


class KerasTensor(SymbolicTensor):
    """A symbolic tensor: shape (with `None` for the batch axis), dtype, and history.

    Attributes:
        shape: e.g. `(None, 4)`.
        dtype: a dtype name, e.g. `'float32'`.
        name: a readable name (the producing layer's, for model inputs).
        _keras_history: `(layer, node_index, tensor_index)` of the layer call that made it.
    """

    def __init__(self, shape, dtype="float32", name: str | None = None) -> None:
        super().__init__(shape, dtype, name=name)
        self._keras_history = None

    # --- the backend's graph protocol (see backend/symbolic.py) -------------------------
    def _node(self):
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    @property
    def _is_placeholder(self) -> bool:
        """True for a model input (`Input(...)`): its value must be fed."""
        return self._keras_history is not None and not self._node().input_tensors

    def _symbolic_inputs(self) -> list:
        return [] if self._keras_history is None else list(self._node().input_tensors)

    def _variables(self) -> list:
        return [] if self._keras_history is None else list(self._node().layer.weights)

    def _compute(self, value_of, run):
        """Run the layer call that produced this tensor on the values of its inputs."""
        if self._is_placeholder or self._keras_history is None:
            raise ValueError(
                f"Model input {self.name!r} (shape {self.shape}) was given no value. Put it in the "
                f"inputs of K.function and feed an array for it: "
                "f = K.function([model.input, ...], outputs); f([x, ...])."
            )
        layer, _, tensor_index = self._keras_history
        node = self._node()
        if id(node) not in run.cache:  # a layer with several outputs runs once
            from .node import flatten, map_structure

            inputs = map_structure(value_of, node.inputs)
            kwargs = dict(node.arguments)
            positional = kwargs.pop("_positional", ())
            if kwargs.get("training") is None and run.training is not None:
                kwargs["training"] = run.training  # the learning phase fed to K.function
            run.cache[id(node)] = flatten(layer(inputs, *positional, **kwargs))
        return run.cache[id(node)][tensor_index]

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"{self!r} is symbolic: it has a shape but no values yet. Build a model with "
            "Model(inputs, outputs) and call model.predict(x) to get numbers (or, Keras 2 style, "
            "K.function([model.input], [tensor])([x]))."
        )

    def __len__(self):
        raise TypeError(
            f"len() of a symbolic tensor is unknown (shape {self.shape}); use .shape instead."
        )


def is_keras_tensor(x) -> bool:
    """True for the symbolic tensors that `Input` and layer calls on it return."""
    return isinstance(x, KerasTensor)

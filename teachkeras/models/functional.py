"""The functional API: a model is the graph of layer calls between `Input`s and outputs.

    x = Input(shape=(4,))
    h = Dense(8, activation="relu")(x)
    y = Dense(1)(h)
    model = Model(inputs=x, outputs=y)

Each layer call on a symbolic tensor left a `Node`. `Functional` follows them back
from the outputs once, puts them in an order where every node comes after the nodes
it needs (a topological sort), and `call` runs them in that order on real data.
"""

from __future__ import annotations

from .. import ops
from ..backend.tensor import Tensor
from ..backend.topological_order import topological_order
from ..layers.core.input_layer import InputLayer
from ..layers.core.op_layer import OpLayer
from ..layers.keras_tensor import KerasTensor
from ..layers.layer import _is_shape, flatten_shapes, get_mask, set_mask
from ..layers.node import Node, flatten, map_structure
from .data_adapter import select_by_name
from .model import Model


class Functional(Model):
    """A model defined by its input and output tensors (what `Model(inputs, outputs)` makes)."""

    def __init__(
        self, inputs, outputs, name: str | None = None, trainable: bool = True, **kwargs
    ) -> None:
        super().__init__(name=name, trainable=trainable, **kwargs)
        _check_symbolic(inputs, "inputs")
        _check_symbolic(outputs, "outputs")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        for tensor in self.inputs:
            if not isinstance(tensor._keras_history[0], InputLayer):
                raise ValueError(
                    f"Model inputs must come from `Input(...)`; {tensor!r} was produced by layer "
                    f"{tensor._keras_history[0].name!r}."
                )
        self._nodes = _nodes_in_order(self.outputs)
        _check_connected(self._nodes, self.inputs)
        self._set_layers_in_keras_order()
        self.built = True

    # --- the graph ------------------------------------------------------------------
    def _set_layers_in_keras_order(self) -> None:
        """Order layers as Keras does: by depth from the outputs (inputs first), then by discovery."""
        depth: dict[int, int] = {}
        for node in reversed(self._nodes):  # outputs first
            depth.setdefault(id(node), 0)
            for parent in node.parent_nodes:
                depth[id(parent)] = max(depth.get(id(parent), 0), depth[id(node)] + 1)
        layer_depth: dict[int, int] = {}
        first_seen: dict[int, int] = {}
        layers = []
        for i, node in enumerate(self._nodes):
            key = id(node.layer)
            if key not in first_seen:
                first_seen[key] = i
                layers.append(node.layer)
            layer_depth[key] = max(layer_depth.get(key, 0), depth[id(node)])
        # model inputs keep the order they were given in
        input_order = {id(t._keras_history[0]): i for i, t in enumerate(self.inputs)}
        layers.sort(
            key=lambda layer: (
                -layer_depth[id(layer)],
                input_order.get(id(layer), 0),
                first_seen[id(layer)],
            )
        )
        self._layers = layers

    @property
    def layers(self) -> list:
        """The model's layers (ops applied between them, such as `x * 2`, are not layers)."""
        return [layer for layer in self._layers if not isinstance(layer, OpLayer)]

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return map_structure(lambda t: t.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return map_structure(lambda t: t.shape, self._outputs_struct)

    @property
    def input_names(self) -> list[str]:
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def output_names(self) -> list[str]:
        return [t._keras_history[0].name for t in self.outputs]

    # --- running it -----------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        """Run the nodes in order on real data. Masks ride on the tensors from layer to
        layer (`x._keras_mask`); `mask=` puts one on the inputs."""
        flat = self._standardize_inputs(inputs)
        if mask is not None:
            for x, m in zip(flat, flatten(mask), strict=False):
                if m is not None:
                    set_mask(x, m)
        values = {id(t): x for t, x in zip(self.inputs, flat, strict=True)}
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            outputs = node.run(lambda t: values[id(t)], training)
            for tensor, value in zip(node.output_tensors, outputs, strict=True):
                values[id(tensor)] = value
        return map_structure(lambda t: values[id(t)], self._outputs_struct)

    def _standardize_inputs(self, inputs) -> list:
        """Data in the order of `self.inputs`: from a list, a dict by input name, or one array."""
        if isinstance(inputs, dict):
            flat = select_by_name(inputs, self.input_names, "inputs")
        else:
            flat = flatten(inputs) if isinstance(inputs, list | tuple) else [inputs]
        if len(flat) != len(self.inputs):
            raise ValueError(
                f"Model {self.name!r} expects {len(self.inputs)} input(s) {self.input_names}, "
                f"but it received {len(flat)} input tensors."
            )
        adjusted = [self._adjust_rank(x, t) for x, t in zip(flat, self.inputs, strict=True)]
        for x, new in zip(flat, adjusted, strict=True):
            if new is not x and get_mask(x) is not None:  # the mask stays with the data
                set_mask(new, get_mask(x))
        return adjusted

    def _adjust_rank(self, x, reference: KerasTensor):
        """Keras's one-axis leniency: (n,) data fits an input of shape (None, 1), and back."""
        x = ops.convert_to_tensor(x) if not isinstance(x, Tensor) else x
        expected = reference.shape
        if x.ndim == len(expected):
            return x
        if x.ndim == len(expected) + 1 and x.shape[-1] == 1:
            return ops.squeeze(x, -1)
        if x.ndim == len(expected) - 1 and expected[-1] == 1:
            return ops.expand_dims(x, -1)
        raise ValueError(
            f"Invalid input shape for input {reference.name!r} of model {self.name!r}: expected "
            f"shape {expected}, but the input has incompatible shape {x.shape}."
            + _rank_hint(x.shape, expected)
        )

    def _check_input(self, shapes) -> None:
        """Every declared axis of every input, before the graph runs (Keras's Functional does
        the same; a Sequential leaves it to its layers, which name themselves)."""
        if isinstance(shapes, dict):
            shapes = [shapes.get(name) for name in self.input_names]
        flat = [tuple(shapes)] if _is_shape(shapes) else [tuple(s) for s in flatten_shapes(shapes)]
        if len(flat) != len(self.inputs):
            return  # _standardize_inputs says how many inputs the model takes
        declared = [tuple(t.shape) for t in self.inputs]
        for i, (shape, expected) in enumerate(zip(flat, declared, strict=True)):
            got = _leniently_ranked(shape, expected)
            if got is None:
                continue  # a wrong rank: _adjust_rank explains it, with the likely fix
            if not _fits(got[1:], expected[1:]):
                raise ValueError(
                    f"Input {i} with name {self.input_names[i]!r} of model {self.name!r} is "
                    f"incompatible: expected shape {expected}, but received input of shape {shape}."
                    + _order_hint(flat, declared, self.input_names)
                )

    def compute_output_shape(self, input_shape):
        return map_structure(lambda t: t.shape, self._outputs_struct)

    # --- config ---------------------------------------------------------------------
    def get_config(self) -> dict:
        from .functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from .functional_config import functional_from_config

        return functional_from_config(cls, config, custom_objects)


def _check_symbolic(structure, what: str) -> None:
    for tensor in flatten(structure):
        if not isinstance(tensor, KerasTensor):
            raise TypeError(
                f"Model {what} must be symbolic tensors made with Input(...) and layer calls; "
                f"got {type(tensor).__name__}. (Did you pass NumPy data to Model(...)? Data goes to fit/predict.)"
            )


def _nodes_in_order(outputs: list[KerasTensor]) -> list[Node]:
    """Every node the outputs depend on, each after the nodes that feed it."""
    roots = [layer._inbound_nodes[index] for layer, index, _ in (t._keras_history for t in outputs)]
    return topological_order(roots, lambda node: node.parent_nodes)


def _check_connected(nodes: list[Node], inputs: list[KerasTensor]) -> None:
    """Every InputLayer the outputs need must be one of the model's inputs."""
    given = {id(t) for t in inputs}
    for node in nodes:
        if isinstance(node.layer, InputLayer) and id(node.output_tensors[0]) not in given:
            raise ValueError(
                f"Graph disconnected: cannot find the value of input {node.layer.name!r} "
                f"(shape {node.output_tensors[0].shape}). Add it to the model's inputs: "
                f"Model(inputs=[..., {node.layer.name}], outputs=...)."
            )


def _rank_hint(got, expected) -> str:
    """The likely fix when the data has one axis too few, told apart from the declared shape:
    one sample without its batch axis (x[None]), or a batch without its last axis (x[..., None])."""
    got, expected = tuple(got), tuple(expected)
    if len(got) != len(expected) - 1:
        return ""
    if _fits(got, expected[1:]):
        return (
            f" This looks like one sample of shape {got} without the batch axis: "
            f"use x[None] (shape {(1, *got)}) to predict on it."
        )
    if _fits(got[1:], expected[1:-1]):
        if expected[-1] is None:
            return " The last (feature or channel) axis seems to be missing: add it, x[..., None]."
        return (
            f" The last axis (size {expected[-1]}) seems to be missing: the data has "
            f"{got[0]} samples of shape {got[1:]}, the model wants {expected[1:]} each."
        )
    return ""


def _fits(shape, declared) -> bool:
    """`shape` matches `declared` axis by axis (None, on either side, matches any size)."""
    return len(shape) == len(declared) and all(
        d is None or s is None or s == d for s, d in zip(shape, declared, strict=True)
    )


def _leniently_ranked(shape, expected):
    """The shape `_adjust_rank` turns `shape` into, or None if no rank adjustment fits."""
    if len(shape) == len(expected):
        return shape
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        return shape[:-1]
    if len(shape) == len(expected) - 1 and expected[-1] == 1:
        return (*shape, 1)
    return None


def _order_hint(shapes, declared, names) -> str:
    """When the same data fits the inputs in another order, say so (a list given out of order)."""
    remaining = list(range(len(declared)))
    for shape in shapes:
        match = next((j for j in remaining if _fits(shape[1:], declared[j][1:])), None)
        if match is None:
            return ""
        remaining.remove(match)
    listing = ", ".join(f"{n!r} {d}" for n, d in zip(names, declared, strict=True))
    return (
        f" The inputs seem to be given in another order: the model's inputs are {listing}. "
        "Pass them in that order, or as a dict by input name."
    )

"""`Node`: the record of one call of a layer on symbolic tensors.

A layer used twice (shared weights) has two nodes; `layer.get_input_at(1)` reads the
second. Each node knows its input tensors (whose `_keras_history` points back to the
nodes that made them), so the whole graph can be walked from the outputs.
"""

from __future__ import annotations

from .keras_tensor import KerasTensor


class Node:
    """One application `outputs = layer(inputs, **arguments)` in a model's graph."""

    def __init__(self, layer, inputs, outputs, arguments: dict) -> None:
        self.layer = layer
        self.inputs = inputs  # as the user passed them: a tensor, or a list/tuple of them
        self.outputs = outputs
        self.arguments = arguments  # the call's other arguments (training=..., a mask, a value)
        # Every symbolic tensor the call read is an input of the node: the first argument's,
        # and those among the other arguments (MultiHeadAttention's value, a mask tensor).
        self.input_tensors: list[KerasTensor] = flatten(inputs) + [
            t for t in flatten(arguments) if isinstance(t, KerasTensor)
        ]
        self.output_tensors: list[KerasTensor] = flatten(outputs)
        layer._inbound_nodes.append(self)
        index = len(layer._inbound_nodes) - 1
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (layer, index, i)

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            layer, node_index, _ = tensor._keras_history
            parents.append(layer._inbound_nodes[node_index])
        return parents

    def run(self, value_of, training=None) -> list:
        """Call the layer again, on real values: `value_of(t)` gives each input tensor's value.

        The keyword arguments recorded with the call are passed again; `training`, if the
        call did not fix it, is the one given here. Returns the outputs as a flat list.
        """

        def value_or_same(x):  # a tensor among the other arguments gets its value too
            return value_of(x) if isinstance(x, KerasTensor) else x

        kwargs = map_structure(value_or_same, dict(self.arguments))
        positional = kwargs.pop("_positional", ())
        if kwargs.get("training") is None:
            kwargs["training"] = training
        return flatten(self.layer(map_structure(value_of, self.inputs), *positional, **kwargs))

    @property
    def input_shapes(self):
        return map_structure(lambda t: t.shape, self.inputs)

    @property
    def output_shapes(self):
        return map_structure(lambda t: t.shape, self.outputs)


def flatten(structure) -> list:
    """Nested lists/tuples/dicts -> a flat list of their leaves (in order)."""
    if isinstance(structure, list | tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten(structure[key])]
    return [structure]


def map_structure(fn, structure):
    """Apply `fn` to every leaf, keeping the nesting (lists stay lists, ...)."""
    if isinstance(structure, list | tuple):
        return type(structure)(map_structure(fn, item) for item in structure)
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    return fn(structure)

"""A functional model as a config dict (Keras 3's format) and back.

Each layer is stored with its `inbound_nodes`: for every call of the layer inside
this model, the tensors it was called on, named by `keras_history`
`[layer_name, node_index, tensor_index]`. Rebuilding replays those calls in order.
Keras 2's older list form `[[["dense", 0, 0, {}]]]` is read too.
"""

from __future__ import annotations

from ..layers.core.input_layer import InputLayer
from ..layers.keras_tensor import KerasTensor
from ..layers.node import flatten, map_structure


def _node_indices(model) -> dict[int, int]:
    """A node's index among *this model's* calls of its layer (layers may be shared elsewhere)."""
    in_model = {id(node) for node in model._nodes}
    index: dict[int, int] = {}
    for layer in model._layers:
        kept = [node for node in layer._inbound_nodes if id(node) in in_model]
        for i, node in enumerate(kept):
            index[id(node)] = i
    return index


def _history(tensor: KerasTensor, node_index: dict[int, int]) -> list:
    layer, node_i, tensor_i = tensor._keras_history
    return [layer.name, node_index[id(layer._inbound_nodes[node_i])], tensor_i]


def functional_config(model) -> dict:
    from ..layers.serialization import serialize

    node_index = _node_indices(model)
    in_model = {id(node) for node in model._nodes}
    layer_configs = []
    for layer in model._layers:
        config = serialize(layer)
        config.pop("build_config", None)
        config["name"] = layer.name
        inbound = []
        for node in layer._inbound_nodes:
            if id(node) not in in_model or isinstance(layer, InputLayer):
                continue

            def as_dict(t):
                return {
                    "class_name": "__keras_tensor__",
                    "config": {
                        "shape": list(t.shape),
                        "dtype": t.dtype,
                        "keras_history": _history(t, node_index),
                    },
                }

            def tensors_as_dicts(x):  # the other arguments: only their tensors are references
                return as_dict(x) if isinstance(x, KerasTensor) else x

            kwargs = map_structure(tensors_as_dicts, dict(node.arguments))
            # Keras 3 writes every positional argument: mha(query, value) -> [query, value]
            args = [map_structure(as_dict, node.inputs), *kwargs.pop("_positional", ())]
            inbound.append({"args": args, "kwargs": kwargs})
        config["inbound_nodes"] = inbound
        layer_configs.append(config)

    def refs(structure):
        return [_history(t, node_index) for t in flatten(structure)]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": _single_or_list(model._inputs_struct, refs),
        "output_layers": _single_or_list(model._outputs_struct, refs),
    }


def _single_or_list(structure, refs):
    flat = refs(structure)
    return flat if isinstance(structure, list | tuple) else flat[0]


def functional_from_config(cls, config: dict, custom_objects=None):
    """Re-create the layers, then replay their calls until every output exists."""
    from ..layers.serialization import deserialize

    layers: dict[str, object] = {}
    pending: list[tuple[object, list]] = []
    for layer_config in config["layers"]:
        layer = deserialize(layer_config, custom_objects)
        layers[layer_config.get("name", layer.name)] = layer
        pending.append((layer, _normalize_nodes(layer_config.get("inbound_nodes", []))))

    made: dict[tuple[str, int], list] = {}  # (layer name, node index) -> output tensors
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            made[(name, 0)] = [layer.output_tensor]

    progress = True
    while progress:
        progress = False
        for layer, nodes in pending:
            done = sum(1 for key in made if key[0] == layer.name)
            if isinstance(layer, InputLayer) or done >= len(nodes):
                continue
            args, kwargs = nodes[done]
            try:
                args = _map_refs(lambda ref: _lookup(made, ref), args)
                kwargs = _map_tensor_dicts(lambda ref: _lookup(made, ref), kwargs)
            except KeyError:
                continue  # an input is not built yet: try again in the next round
            made[(layer.name, done)] = flatten(layer(*args, **kwargs))
            progress = True

    def resolve(refs):
        return _map_refs(lambda ref: _lookup(made, ref), refs)

    try:
        inputs, outputs = resolve(config["input_layers"]), resolve(config["output_layers"])
    except KeyError as missing:
        raise ValueError(
            f"Model config is inconsistent: no layer call produces {missing}."
        ) from None
    return cls(
        inputs=inputs,
        outputs=outputs,
        name=config.get("name"),
        trainable=config.get("trainable", True),
    )


def _normalize_nodes(inbound_nodes: list) -> list[tuple]:
    """Both node formats -> a list of (args structure of refs, kwargs)."""
    nodes = []
    for node in inbound_nodes:
        if isinstance(node, dict):  # Keras 3
            nodes.append((list(node.get("args", [])), dict(node.get("kwargs", {}))))
        else:  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
            refs = [list(entry[:3]) for entry in node]
            kwargs = node[0][3] if node and len(node[0]) > 3 else {}
            nodes.append(([refs[0]] if len(refs) == 1 else [refs], dict(kwargs or {})))
    return nodes


def _is_ref(x) -> bool:
    """A tensor reference: Keras 3's `__keras_tensor__` dict or Keras 2's [name, node, index]."""
    if isinstance(x, dict):
        return x.get("class_name") == "__keras_tensor__"
    return (
        isinstance(x, list | tuple)
        and len(x) >= 3
        and isinstance(x[0], str)
        and isinstance(x[1], int)
    )


def _map_refs(fn, structure):
    """Apply `fn` to every tensor reference, keeping the nesting around them."""
    if _is_ref(structure):
        return fn(structure)
    if isinstance(structure, list | tuple):
        return [_map_refs(fn, item) for item in structure]
    if isinstance(structure, dict):
        return {key: _map_refs(fn, value) for key, value in structure.items()}
    return structure


def _map_tensor_dicts(fn, structure):
    """Apply `fn` to every Keras 3 tensor reference (`__keras_tensor__` dict) only: in keyword
    arguments a list such as `["a", 0, 1]` is a value, not a Keras 2 reference."""
    if isinstance(structure, dict):
        if structure.get("class_name") == "__keras_tensor__":
            return fn(structure)
        return {key: _map_tensor_dicts(fn, value) for key, value in structure.items()}
    if isinstance(structure, list | tuple):
        return [_map_tensor_dicts(fn, item) for item in structure]
    return structure


def _lookup(made, ref):
    if isinstance(ref, dict) and ref.get("class_name") == "__keras_tensor__":
        ref = ref["config"]["keras_history"]
    name, node_index, tensor_index = ref[:3]
    return made[(name, node_index)][tensor_index]

"""Layers to config dicts and back, in Keras 3's format."""

from __future__ import annotations

import inspect

from ..serialization.keras_objects import serialize_keras_object

# Models are layers too, and a config may nest one (a Sequential inside a model). Layers
# know no models: `teachkeras.models` adds its classes here when it is imported.
MODEL_CLASSES: dict[str, type] = {}


def layer_table() -> dict[str, type]:
    """Every layer class by name (plus the model classes, which are layers too)."""
    from .. import layers

    table = {
        name: obj
        for name, obj in vars(layers).items()
        if isinstance(obj, type) and issubclass(obj, layers.Layer)
    }
    # a class exported under another name is found by its own too (GroupedQueryAttention,
    # which Keras's `.h5` files name so)
    own_names = {obj.__name__: obj for obj in table.values() if obj.__name__ not in table}
    return {**own_names, **table, **MODEL_CLASSES}


def serialize(layer) -> dict:
    """`{'module': 'keras.layers', 'class_name': 'Dense', 'config': {...}, ...}`."""
    config = serialize_keras_object(layer)
    if type(layer).__module__.startswith("teachkeras.models"):
        # where Keras 3 looks models up: Sequential in `keras`, Functional in its own module
        functional = type(layer).__name__ == "Functional"
        config["module"] = "keras.src.models.functional" if functional else "keras"
        if functional:
            config["registered_name"] = "Functional"
    if layer.built and layer._build_shapes is not None and not hasattr(layer, "batch_shape"):
        config["build_config"] = {"input_shape": layer._build_shapes}
    return config


def deserialize(config: dict, custom_objects=None):
    """Re-create a layer from its config dict (built again if the config says how)."""
    from ..serialization.registry import get_registered_object, unknown_name_message

    cls_config = dict(config)
    table = {**layer_table(), **(custom_objects or {})}
    name = cls_config.get("registered_name") or cls_config["class_name"]
    cls = get_registered_object(name, custom_objects, table) or get_registered_object(
        cls_config["class_name"], custom_objects, table
    )
    if cls is None:
        raise ValueError(unknown_name_message(cls_config["class_name"], table, "layer"))
    inner = cls_config.get("config", {})
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        layer = cls.from_config(inner, custom_objects=custom_objects)  # models rebuild their layers
    else:
        layer = cls.from_config(inner)
    build = cls_config.get("build_config")
    if build and not layer.built and build.get("input_shape") is not None:
        layer._maybe_build(_as_shape_structure(build["input_shape"]))
    return layer


def _as_shape_structure(shape):
    if isinstance(shape, list | tuple) and all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    return [_as_shape_structure(s) for s in shape]

"""Objects to Keras config dicts and back.

Keras 3 writes a nested object (an initializer inside a Dense config, say) as

    {"module": "keras.initializers", "class_name": "GlorotUniform",
     "config": {"seed": None}, "registered_name": None}

and a plain function (an activation) as its name. We write the same, so configs and
saved files are interchangeable with Keras.
"""

from __future__ import annotations

# Our module -> the public Keras module that holds the same class.
_KERAS_MODULES = {
    "teachkeras.initializers": "keras.initializers",
    "teachkeras.regularizers": "keras.regularizers",
    "teachkeras.constraints": "keras.constraints",
    "teachkeras.optimizers.schedules": "keras.optimizers.schedules",  # before its parent
    "teachkeras.optimizers": "keras.optimizers",
    "teachkeras.losses": "keras.losses",
    "teachkeras.metrics": "keras.metrics",
    "teachkeras.layers": "keras.layers",
    "teachkeras.models": "keras.models",
    "teachkeras.activations": "keras.activations",
}


def keras_module_of(obj) -> str:
    module = type(obj).__module__ if not isinstance(obj, type) else obj.__module__
    for ours, theirs in _KERAS_MODULES.items():
        if module.startswith(ours):
            return theirs
    return module


def serialize_keras_object(obj, module: str | None = None):
    """A JSON-ready description of `obj`, as Keras 3's `serialize_keras_object` writes it.

    None and plain values stay as they are; an object with `get_config` becomes
    `{'module', 'class_name', 'config', 'registered_name'}`; a function becomes
    `{'module': 'builtins', 'class_name': 'function', 'config': its name, ...}`.
    (Activations are the exception Keras makes: `activations.serialize` writes a bare name.)
    """
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if not hasattr(obj, "get_config"):
        name = getattr(obj, "_registered_name", None) or getattr(obj, "__name__", repr(obj))
        return {
            "module": "builtins",
            "class_name": "function",
            "config": name,
            "registered_name": "function",
        }
    registered = getattr(type(obj), "_registered_name", None)
    return class_config(obj, (module or keras_module_of(obj)) if registered is None else None)


def class_config(obj, module: str | None) -> dict:
    """`{'module', 'class_name', 'config', 'registered_name'}`, the dict Keras 3 writes for an
    object with `get_config` (a registered class of your own has a `registered_name`)."""
    return {
        "module": module,
        # the name Keras exports the class by, where it differs (GroupQueryAttention); `vars`,
        # not getattr: a learner's subclass is saved under its own name
        "class_name": vars(type(obj)).get("_keras_export_name", type(obj).__name__),
        "config": obj.get_config(),
        "registered_name": getattr(type(obj), "_registered_name", None),
    }


def deserialize_keras_object(config, table: dict, kind: str, custom_objects=None):
    """The inverse of `serialize_keras_object`: names are looked up in `table`, never executed."""
    from .registry import resolve

    if isinstance(config, dict) and config.get("class_name") == "function":
        return resolve(config["config"], table, kind, custom_objects)
    return resolve(config, table, kind, custom_objects)

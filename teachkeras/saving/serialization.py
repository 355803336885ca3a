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


def serialize_keras_object(obj):
    """A JSON-ready description of `obj`: None, a name, or a class config dict."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if not hasattr(obj, "get_config"):
        # a function: activations and losses are stored by name
        return getattr(obj, "_registered_name", None) or getattr(obj, "__name__", repr(obj))
    registered = getattr(type(obj), "_registered_name", None)
    return {
        "module": keras_module_of(obj),
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": registered,
    }

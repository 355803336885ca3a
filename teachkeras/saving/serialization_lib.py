"""`serialize_keras_object` and `deserialize_keras_object`: Keras 3's public pair.

Any Keras object becomes a plain, JSON-ready config, and back:

    config = keras.saving.serialize_keras_object(keras.initializers.GlorotUniform(seed=1))
    # {'module': 'keras.initializers', 'class_name': 'GlorotUniform',
    #  'config': {'seed': 1, ...}, 'registered_name': None}
    initializer = keras.saving.deserialize_keras_object(config)

Going back, the config's `module` says which kind of object it is (`keras.layers`,
`keras.initializers`, `keras.optimizers.schedules`, ...), and that kind's own
`deserialize` builds it, looking the class up by name in teachkeras's tables (or in
your `custom_objects` and registered classes first). Nothing in a config is executed:
a `__lambda__` (Python bytecode, which Keras 3 can rebuild with `safe_mode=False`) is
always refused here.

The dict formats are the ones in `serialization/keras_objects.py`, which layers use for the objects
inside their own configs; this module adds the top-level dispatch and Keras's special
values (`__numpy__`, `__tensor__`, `__bytes__`, `__slice__`, `__ellipsis__`).
"""

from __future__ import annotations

import inspect
import types

import numpy as np

from ..serialization import keras_objects
from ..serialization.registry import custom_object_scope, get_registered_object
from .safe_mode import in_safe_mode

_PLAIN = (str, int, float, bool)

# The kinds teachkeras can rebuild, in the order Keras 3 searches them for a function name.
_FUNCTION_KINDS = (
    "activations",
    "constraints",
    "initializers",
    "losses",
    "metrics",
    "regularizers",
)
# A config's module ("keras.src.optimizers.schedules.learning_rate_schedule", ...) names its
# kind by one of these words; the more specific come first.
_MODULE_WORDS = (
    "schedules",
    "layers",
    "models",
    "activations",
    "initializers",
    "regularizers",
    "constraints",
    "losses",
    "metrics",
    "optimizers",
)
_MODEL_CLASS_NAMES = ("Sequential", "Functional", "Model")


# --- objects -> configs ------------------------------------------------------------------------
def serialize_keras_object(obj):
    """A JSON-ready config of `obj`, in Keras 3's format.

    Args:
        obj: a layer, model, initializer, regularizer, constraint, loss, metric,
            optimizer, schedule or function; or plain data (numbers, strings, lists,
            tuples, dicts, NumPy arrays, tensors), which is kept or converted.

    Returns:
        A dict `{'module', 'class_name', 'config', 'registered_name'}` for an object
        (a model's also holds its build and compile configs), or the plain value.

    Example:
        >>> keras.saving.serialize_keras_object(keras.regularizers.L2(0.1))
        {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.1}, 'registered_name': None}
    """
    from ..backend.tensor import Tensor
    from ..layers.layer import Layer

    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, list | tuple):
        items = [serialize_keras_object(item) for item in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, Layer):
        return _serialize_layer(obj)
    if isinstance(obj, np.ndarray | np.generic | Tensor):
        return _serialize_array(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        parts = {"start": obj.start, "stop": obj.stop, "step": obj.step}
        return {"class_name": "__slice__", "config": serialize_keras_object(parts)}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        raise ValueError(
            "serialize_keras_object: a lambda cannot be saved by teachkeras (loading it back "
            "would mean running code stored in a file). Write it as a named function with "
            "`def`, decorate it with @keras.saving.register_keras_serializable(), and save that."
        )
    return keras_objects.serialize_keras_object(obj)


def _serialize_layer(layer) -> dict:
    """A model's config as `model.to_json()` writes it; a layer's with its build config."""
    from ..models.model import Model

    if isinstance(layer, Model):
        from .json_yaml import serialize_model

        return serialize_model(layer)
    from ..layers.serialization import serialize

    return serialize(layer)


def _serialize_array(value):
    """0-d values become plain numbers; arrays and tensors keep their dtype (Keras's format)."""
    from ..backend.tensor import Tensor

    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.ndim == 0 and not isinstance(value, Tensor):
        return array.item()
    kind = "__tensor__" if isinstance(value, Tensor) else "__numpy__"
    return {"class_name": kind, "config": {"value": array.tolist(), "dtype": str(array.dtype)}}


# --- configs -> objects ------------------------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode: bool = True, **kwargs):
    """The object a config describes (the inverse of `serialize_keras_object`).

    Args:
        config: a config dict (`{'module', 'class_name', 'config', ...}`), a list or dict
            of them, or a plain value (returned as it is).
        custom_objects: `{'MyLayer': MyLayer}` for classes and functions of your own
            (registered ones, and those of an open `custom_object_scope`, are found too).
        safe_mode: refuse configs that carry Python code (a `Lambda(lambda ...)` layer). Code
            from a config is never run by teachkeras, even with `safe_mode=False`.
        **kwargs: `module_objects`, a dict of names Keras 2 code passed to look names up in.

    Returns:
        The object: a layer, model (compiled if the config says how), initializer, ...

    Raises:
        ValueError: an unknown class or function name (the message lists the known ones),
            or a lambda.
        TypeError: a config that is not a dict, list or plain value.

    Example:
        >>> dense = keras.saving.deserialize_keras_object(
        ...     {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3}})
    """
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(
            f"deserialize_keras_object() got unexpected keyword arguments: {sorted(kwargs)}"
        )
    custom_objects = {**(module_objects or {}), **(custom_objects or {})}
    with custom_object_scope(custom_objects):  # nested configs find them too
        return _deserialize(config, custom_objects, in_safe_mode(safe_mode))


def _deserialize(config, custom_objects: dict, safe_mode: bool):
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, str):  # Keras 2 files store some functions by name only
        found = custom_objects.get(config)
        return found if found is not None else config
    if isinstance(config, list | tuple):
        return [_deserialize(item, custom_objects, safe_mode) for item in config]
    if not isinstance(config, dict):
        raise TypeError(
            f"deserialize_keras_object: could not parse config {config!r} (of type "
            f"{type(config).__name__}); expected a dict, a list or a plain value."
        )
    if "class_name" not in config or "config" not in config:
        return {
            key: _deserialize(value, custom_objects, safe_mode) for key, value in config.items()
        }
    class_name = config["class_name"]
    if class_name in _SPECIAL_VALUES:
        return _SPECIAL_VALUES[class_name](config["config"] or {}, custom_objects, safe_mode)
    if class_name == "function":
        return _function(config, custom_objects)
    return _instance(config, custom_objects, safe_mode)


def _numpy(inner, *_):
    return np.array(inner["value"], dtype=inner["dtype"])


def _tensor(inner, *_):
    from ..backend.tensor import Tensor

    return Tensor(_numpy(inner))


def _slice(inner, custom_objects, safe_mode):
    parts = [
        _deserialize(inner.get(k), custom_objects, safe_mode) for k in ("start", "stop", "step")
    ]
    return slice(*parts)


def _lambda(inner, custom_objects, safe_mode):
    if safe_mode:
        raise ValueError(
            "Requested the deserialization of a Python lambda. This carries a potential risk "
            "of arbitrary code execution and thus it is disallowed by default (safe_mode=True)."
        )
    raise ValueError(
        "The config holds a Python lambda as bytecode. teachkeras never rebuilds code stored "
        "in a config, even with safe_mode=False: define the function in your own code and pass "
        "it in custom_objects."
    )


_SPECIAL_VALUES = {
    "__numpy__": _numpy,
    "__tensor__": _tensor,
    "__bytes__": lambda inner, *_: inner["value"].encode("utf-8"),
    "__ellipsis__": lambda inner, *_: Ellipsis,
    "__slice__": _slice,
    "__lambda__": _lambda,
}


def _function(config: dict, custom_objects: dict):
    """A function stored by name: yours first, then Keras's built-ins (activations, losses, ...)."""
    name = config["config"]
    if not isinstance(name, str):
        raise TypeError(
            f"deserialize_keras_object: a function's config must be its name, a string; got "
            f"{name!r} in {config!r}."
        )
    found = get_registered_object(name, custom_objects)
    if found is not None:
        return found
    kind = _kind_from_module(config.get("module"))
    for candidate in (kind, *_FUNCTION_KINDS) if kind else _FUNCTION_KINDS:
        found = _builtin_function(candidate, name)
        if found is not None:
            return found
    raise ValueError(
        f"Unknown function {name!r} (module {config.get('module')!r}). If it is your own, pass "
        "it in custom_objects or register it with @keras.saving.register_keras_serializable()."
    )


def _builtin_function(kind: str, name: str):
    """The plain function `name` of a kind (`relu` in activations), or None."""
    try:
        found = _deserializer(kind)(name, None)
    except (ValueError, TypeError, KeyError):
        return None
    return found if inspect.isfunction(found) else None


def _instance(config: dict, custom_objects: dict, safe_mode: bool):
    """An object of a class: the config's kind decides who builds it."""
    name = config.get("registered_name") or config["class_name"]
    custom = get_registered_object(name, custom_objects) or get_registered_object(
        config["class_name"], custom_objects
    )
    kind = _kind_of_class(custom) if custom is not None else _kind_from_module(config.get("module"))
    if kind is None and config.get("module") == "keras":
        kind = "models" if config["class_name"] in _MODEL_CLASS_NAMES else None
    if kind is None:
        raise ValueError(
            f"Cannot deserialize object of type `{config['class_name']}` (module "
            f"{config.get('module')!r}). If `{config['class_name']}` is a custom class, pass it "
            "in custom_objects or register it using the "
            "`@keras.saving.register_keras_serializable()` decorator."
        )
    if kind == "models":  # built, then compiled if the config says how
        from .json_yaml import model_from_config

        return model_from_config(config, custom_objects, compile=True, safe_mode=safe_mode)
    if kind == "layers":
        from .json_yaml import check_safe

        check_safe(config, safe_mode, "<config>")
    return _deserializer(kind)(config, custom_objects)


def _kind_from_module(module) -> str | None:
    """'layers' for 'keras.layers', 'schedules' for 'keras.optimizers.schedules', ..."""
    if not isinstance(module, str) or not (module == "keras" or module.startswith("keras.")):
        return None
    words = module.split(".")
    return next((word for word in _MODULE_WORDS if word in words), None)


def _kind_of_class(obj) -> str | None:
    """The kind of one of your own classes (or functions), from what it derives from."""
    from .. import constraints, initializers, losses, metrics, models, regularizers
    from ..layers.layer import Layer
    from ..optimizers import Optimizer, schedules

    if not isinstance(obj, type):
        return "activations" if callable(obj) else None
    bases = (
        ("models", models.Model),
        ("layers", Layer),
        ("initializers", initializers.Initializer),
        ("regularizers", regularizers.Regularizer),
        ("constraints", constraints.Constraint),
        ("losses", losses.Loss),
        ("metrics", metrics.Metric),
        ("optimizers", Optimizer),
        ("schedules", schedules.LearningRateSchedule),
    )
    return next((kind for kind, base in bases if issubclass(obj, base)), None)


def _deserializer(kind: str):
    """`deserialize(config, custom_objects)` of one kind, each in its own module."""
    from .. import activations, constraints, initializers, losses, metrics, optimizers, regularizers
    from ..layers import serialization as layer_serialization
    from ..optimizers import schedules

    return {
        "activations": activations.deserialize,
        "constraints": constraints.deserialize,
        "initializers": initializers.deserialize,
        "regularizers": regularizers.deserialize,
        "losses": losses.deserialize,
        "metrics": metrics.deserialize,
        "optimizers": optimizers.deserialize,
        "schedules": schedules.deserialize,
        "layers": layer_serialization.deserialize,
    }[kind]

"""Optimizers: how the weights move once the gradients are known.

    opt = keras.optimizers.Adam(learning_rate=1e-3)
    opt.apply_gradients(zip(grads, model.trainable_variables))

`optimizer.py` holds what all of them share (building slots, clipping, weight decay,
constraints, the step counter); each other file is one optimizer's `update_step`,
written in its paper's notation.
"""

from __future__ import annotations

from ..serialization import registry
from ..serialization.keras_objects import class_config
from . import schedules
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .clipping import clip_by_global_norm, clip_by_norm, global_norm
from .ftrl import Ftrl
from .lamb import Lamb
from .lion import Lion
from .nadam import Nadam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

# The names `get` accepts; a class name in any case ('Adam', 'RMSprop') means the same.
ALL_OBJECTS_DICT: dict[str, type[Optimizer]] = {
    cls.__name__.lower(): cls for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam)
}
# Keras 3's newer optimizers (its own table lacks Lamb, so keras.optimizers.get('lamb') fails there).
ALL_OBJECTS_DICT.update({cls.__name__.lower(): cls for cls in (AdamW, Adafactor, Ftrl, Lion, Lamb)})


def _lowercase_built_in(name: str) -> str:
    return name.lower() if name.lower() in ALL_OBJECTS_DICT else name


def serialize(optimizer: Optimizer) -> dict:
    """The optimizer as a Keras config dict (keys module, class_name, config, registered_name)."""
    return class_config(optimizer, "keras.optimizers")


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """A new optimizer from `serialize`'s dict (class names are case-insensitive)."""
    if not isinstance(config, dict):
        raise TypeError(f"optimizers.deserialize expects a config dict, got {config!r}.")
    config = dict(config)
    if isinstance(config.get("class_name"), str):
        config["class_name"] = _lowercase_built_in(config["class_name"])
    return registry.resolve(config, ALL_OBJECTS_DICT, "optimizer", custom_objects=custom_objects)


def get(identifier) -> Optimizer | None:
    """An optimizer from a name (`'adam'`), a config dict, or an optimizer (returned as is).

    Example:
        >>> get("adam").learning_rate.numpy()
        array(0.001, dtype=float32)
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        obj = registry.resolve(
            _lowercase_built_in(identifier), ALL_OBJECTS_DICT, "optimizer", instantiate=True
        )
        if isinstance(obj, Optimizer):
            return obj
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Pass a name such as "
        "'adam', a config dict, or an optimizer instance such as keras.optimizers.Adam()."
    )


__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "clip_by_global_norm",
    "clip_by_norm",
    "deserialize",
    "get",
    "global_norm",
    "schedules",
    "serialize",
]

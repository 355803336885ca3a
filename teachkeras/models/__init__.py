"""`teachkeras.models`: Model (functional and subclassed) and Sequential."""

from ..layers import serialization as _layer_serialization
from .cloning import clone_model
from .functional import Functional
from .model import Model
from .sequential import Sequential

# A layer config may name a model (a Sequential nested in another model): tell the layers.
_layer_serialization.MODEL_CLASSES.update(
    {"Sequential": Sequential, "Functional": Functional, "Model": Functional}
)


def __getattr__(name: str):
    """`keras.models.load_model` and friends live in `teachkeras.saving` (imported on use)."""
    if name in ("load_model", "save_model", "model_from_json", "model_from_yaml"):
        from .. import saving

        return getattr(saving, name)
    raise AttributeError(f"module 'teachkeras.models' has no attribute {name!r}")


__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "model_from_yaml",
    "save_model",
]

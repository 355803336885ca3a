"""`teachkeras.saving`: configs, and the files Keras reads and writes.

(names -> objects and objects -> config dicts sit one floor down, in
`teachkeras/serialization/`, so that layers and losses can use them; re-exported here)

serialization_lib.py  `serialize_keras_object` / `deserialize_keras_object` (Keras 3's public pair)
safe_mode.py      the switch that refuses configs naming Python code
json_yaml.py      a model's config as JSON/YAML, and the safety checks before rebuilding
saving_api.py     `save_model` / `load_model` / weights: picks the format from the file
keras_zip.py      the `.keras` zip (Keras 3)
legacy_h5.py      the HDF5 `.h5` layout (Keras 2, still read and written by Keras 3)
tf2_configs.py    training configs as TensorFlow 2 wrote them into `.h5`, made compilable
weights_h5.py     Keras 3's `.weights.h5` layout
atomic.py         write aside, then rename: a failed save never destroys the old file
errors.py         `ModelFileError`, the one error a damaged or foreign file raises
"""

from ..models.model_saving import SavingMixin  # Model's saving methods (the door to here)
from ..serialization.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    resolve,
)
from .errors import ModelFileError
from .serialization_lib import deserialize_keras_object, serialize_keras_object

# The file formats need h5py; they are imported on first use so `import teachkeras` stays fast.
_LAZY = {
    "load_model": "saving_api",
    "load_weights": "saving_api",
    "save_model": "saving_api",
    "save_weights": "saving_api",
    "model_from_json": "json_yaml",
    "model_from_yaml": "json_yaml",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'teachkeras.saving' has no attribute {name!r}")


__all__ = [
    "CustomObjectScope",
    "ModelFileError",
    "SavingMixin",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "model_from_json",
    "model_from_yaml",
    "register_keras_serializable",
    "resolve",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]

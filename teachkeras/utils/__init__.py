"""`teachkeras.utils`: helpers every tutorial uses."""

from ..backend.global_state import clear_session
from ..layers.keras_tensor import is_keras_tensor
from ..serialization.registry import (
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from .file_utils import get_file
from .model_visualization import model_to_dot, plot_model
from .numerical_utils import normalize, to_categorical
from .progbar import Progbar
from .py_dataset import PyDataset, Sequence, pack_x_y_sample_weight, unpack_x_y_sample_weight
from .rng_utils import set_random_seed
from .summary_utils import print_summary

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "clear_session",
    "custom_object_scope",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "is_keras_tensor",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "plot_model",
    "print_summary",
    "register_keras_serializable",
    "set_random_seed",
    "to_categorical",
    "unpack_x_y_sample_weight",
]

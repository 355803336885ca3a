"""`teachkeras.utils`: helpers every tutorial uses."""

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
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "plot_model",
    "print_summary",
    "set_random_seed",
    "to_categorical",
    "unpack_x_y_sample_weight",
]

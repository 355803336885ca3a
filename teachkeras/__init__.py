"""teachkeras: the Keras API, rebuilt in readable NumPy.

    import teachkeras as keras

    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=10)

This file only re-exports: each module is a chapter of its own.
"""

from . import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    experimental,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    preprocessing,
    random,
    regularizers,
    saving,
    utils,
    viz,
)
from .compat import install_as_keras, uninstall_as_keras
from .layers import Input, Layer
from .models import Model, Sequential

__version__ = "0.1.0"


def __getattr__(name: str):
    """`keras.datasets` is imported on first use: its download code is not needed to train."""
    if name == "datasets":
        import importlib

        return importlib.import_module(".datasets", __name__)
    raise AttributeError(f"module 'teachkeras' has no attribute {name!r}")


__all__ = [
    "Input",
    "Layer",
    "Model",
    "Sequential",
    "__version__",
    "activations",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "experimental",
    "initializers",
    "install_as_keras",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "preprocessing",
    "random",
    "regularizers",
    "saving",
    "uninstall_as_keras",
    "utils",
    "viz",
]

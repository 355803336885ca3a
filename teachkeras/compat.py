"""Run tutorial code unchanged: make `import keras` (and `tf.keras`) mean teachkeras.

    import teachkeras
    teachkeras.install_as_keras()

    from keras.models import Sequential          # teachkeras.models.Sequential
    from keras import backend as K               # teachkeras.backend
    import tensorflow as tf; tf.keras.layers     # teachkeras.layers

It works by putting teachkeras's modules into `sys.modules` under Keras's names, in
this Python process only: other processes (and a new kernel) still see a real Keras
if one is installed. `uninstall_as_keras()` undoes it.
"""

from __future__ import annotations

import importlib
import sys
import types

# Keras module path -> teachkeras module path (Keras 1/2/3 spellings tutorials import).
_ALIASES = {
    "keras": "teachkeras",
    "keras.models": "teachkeras.models",
    "keras.layers": "teachkeras.layers",
    "keras.layers.core": "teachkeras.layers",
    "keras.layers.convolutional": "teachkeras.layers",
    "keras.layers.pooling": "teachkeras.layers",
    "keras.layers.normalization": "teachkeras.layers",
    "keras.layers.merge": "teachkeras.layers",
    "keras.utils.vis_utils": "teachkeras.utils.vis_utils",
    "keras.backend": "teachkeras.backend",
    "keras.activations": "teachkeras.activations",
    "keras.initializers": "teachkeras.initializers",
    "keras.regularizers": "teachkeras.regularizers",
    "keras.constraints": "teachkeras.constraints",
    "keras.losses": "teachkeras.losses",
    "keras.metrics": "teachkeras.metrics",
    "keras.optimizers": "teachkeras.optimizers",
    "keras.optimizers.schedules": "teachkeras.optimizers.schedules",
    "keras.callbacks": "teachkeras.callbacks",
    "keras.utils": "teachkeras.utils",
    "keras.utils.np_utils": "teachkeras.utils",
    "keras.saving": "teachkeras.saving",
    "keras.config": "teachkeras.config",
    "keras.random": "teachkeras.random",
    "keras.experimental": "teachkeras.experimental",
}

_installed: dict[str, types.ModuleType | None] = {}


def install_as_keras(tensorflow: bool = True, verbose: bool = True) -> list[str]:
    """Make `keras` (and, if `tensorflow`, `tensorflow.keras`) import teachkeras in this process.

    Args:
        tensorflow: also provide a small `tensorflow` module whose `keras` attribute is
            teachkeras, so `import tensorflow as tf; tf.keras...` and
            `from tensorflow.keras.layers import Dense` work. It holds nothing else.
        verbose: print what was done.

    Returns:
        The module names that now point to teachkeras.
    """
    names = dict(_ALIASES)
    if tensorflow:
        names.update(
            {
                "tensorflow": None,
                **{k.replace("keras", "tensorflow.keras", 1): v for k, v in _ALIASES.items()},
            }
        )
    replaced_real = [
        n
        for n in ("keras", "tensorflow")
        if n in sys.modules and n not in _installed and not _is_ours(sys.modules[n])
    ]
    for name, target in names.items():
        if name not in _installed:
            _installed[name] = sys.modules.get(name)
        sys.modules[name] = (
            _tensorflow_shim() if target is None else importlib.import_module(target)
        )
    if verbose:
        lines = [
            "teachkeras.install_as_keras(): in this Python process, `import keras` now imports teachkeras"
        ]
        if tensorflow:
            lines.append(
                "and `tensorflow.keras` is teachkeras too (the `tensorflow` module here holds only `keras`)"
            )
        if replaced_real:
            lines.append(
                f"(the real {', '.join(replaced_real)} already imported here is hidden until uninstall_as_keras())"
            )
        print(";\n".join(lines) + ". Other processes are not affected.")
    return sorted(names)


def uninstall_as_keras() -> None:
    """Put back whatever `keras`/`tensorflow` meant before `install_as_keras()`."""
    for name, previous in _installed.items():
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous
    _installed.clear()


def _is_ours(module: types.ModuleType) -> bool:
    return getattr(module, "__name__", "").startswith("teachkeras") or getattr(
        module, "_teachkeras_shim", False
    )


def _tensorflow_shim() -> types.ModuleType:
    """A stand-in `tensorflow` module with only `keras` (and `__version__` for printouts)."""
    import teachkeras

    shim = types.ModuleType(
        "tensorflow", "teachkeras stand-in for TensorFlow: only `tf.keras` is provided."
    )
    shim.keras = teachkeras
    shim.__version__ = f"teachkeras-{teachkeras.__version__}"
    shim._teachkeras_shim = True
    shim.__path__ = []  # a package, so `tensorflow.keras.layers` resolves through sys.modules
    return shim

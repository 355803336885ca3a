"""`keras.config`: the settings of the whole process, in one place (Keras 3's namespace).

    import teachkeras as keras

    keras.config.floatx()                          # 'float32'
    keras.config.set_floatx("float64")             # new weights and inputs in float64
    keras.config.epsilon()                         # 1e-07, the fuzz factor
    keras.config.image_data_format()               # 'channels_last'
    keras.config.disable_interactive_logging()     # progress lines to `logging`
    keras.config.enable_unsafe_deserialization()   # see saving/safe_mode.py
    keras.config.backend()                         # 'numpy'

Each setting lives beside the code that reads it; this module only gathers them:
numbers in `backend/config.py`, logging in `utils/io_utils.py`, safe mode in
`saving/safe_mode.py`.

Not here: `dtype_policy` / `set_dtype_policy`. teachkeras layers compute and keep
their weights in one type, `dtype=` or `floatx()`; a global policy would have to be
read by every layer's constructor, so `set_floatx` is the switch that really acts.
"""

from __future__ import annotations

from .backend.config import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from .saving.safe_mode import enable_unsafe_deserialization
from .utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)


def backend() -> str:
    """The engine underneath, as Keras 3 names its backends: always `'numpy'` here.

    Returns:
        `'numpy'` (Keras 3 answers `'tensorflow'`, `'jax'`, `'torch'` or `'numpy'`).

    Example:
        >>> keras.config.backend()
        'numpy'
    """
    return "numpy"


__all__ = [
    "backend",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_interactive_logging_enabled",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
]

"""`keras.layers.experimental.preprocessing.X` (tf.keras 2.2–2.5) is `keras.layers.X` today.

TensorFlow's tutorials of those years write

    from tensorflow.keras.layers.experimental import preprocessing
    preprocessing.Rescaling(1. / 255), preprocessing.RandomFlip("horizontal")

Each name here is the Keras 3 layer itself, handed out with a warning (once) that shows the
modern spelling. (One number differs from tf.keras 2: `RandomContrast(0.2)` draws its
factor from [1, 1.2) in Keras 3.15, where tf.keras 2 drew from [0.8, 1.2); write
`RandomContrast((0.2, 0.2))` for the old range.)
"""

from __future__ import annotations

from ...legacy import warn_once

MOVED = (
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
)


def __getattr__(name: str):
    if name not in MOVED:
        raise AttributeError(
            f"keras.layers.experimental.preprocessing has no {name!r}; the preprocessing "
            f"layers are keras.layers.{name} in Keras 3 (if it exists there)."
        )
    from ... import layers

    warn_once(
        f"experimental.preprocessing.{name}",
        f"keras.layers.experimental.preprocessing.{name} is the tf.keras 2.2-2.5 spelling; "
        f"Keras 3 writes keras.layers.{name}.",
    )
    return getattr(layers, name)


def __dir__() -> list[str]:
    return sorted(MOVED)

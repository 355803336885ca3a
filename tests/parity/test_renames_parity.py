"""Every class or function that takes old spellings by table shows Keras 3's signature."""

from __future__ import annotations

import inspect

import pytest

import teachkeras as tk

# (teachkeras object, the path of its Keras 3 twin)
TRANSLATED = [
    (tk.layers.Dense, "layers.Dense"),
    (tk.layers.Conv1D, "layers.Conv1D"),
    (tk.layers.Conv2D, "layers.Conv2D"),
    (tk.layers.Conv2DTranspose, "layers.Conv2DTranspose"),
    (tk.layers.BatchNormalization, "layers.BatchNormalization"),
    (tk.layers.MaxPooling1D, "layers.MaxPooling1D"),
    (tk.layers.MaxPooling2D, "layers.MaxPooling2D"),
    (tk.layers.AveragePooling1D, "layers.AveragePooling1D"),
    (tk.layers.AveragePooling2D, "layers.AveragePooling2D"),
    (tk.layers.GlobalMaxPooling2D, "layers.GlobalMaxPooling2D"),
    (tk.layers.GlobalAveragePooling2D, "layers.GlobalAveragePooling2D"),
    (tk.layers.Cropping2D, "layers.Cropping2D"),
    (tk.layers.ZeroPadding2D, "layers.ZeroPadding2D"),
    (tk.layers.UpSampling2D, "layers.UpSampling2D"),
    (tk.layers.LeakyReLU, "layers.LeakyReLU"),
    (tk.callbacks.ReduceLROnPlateau, "callbacks.ReduceLROnPlateau"),
    (tk.regularizers.L1, "regularizers.L1"),
    (tk.regularizers.L2, "regularizers.L2"),
    (tk.constraints.MaxNorm, "constraints.MaxNorm"),
    (tk.activations.relu, "activations.relu"),
]


def _names(target) -> list[str]:
    function = target.__init__ if isinstance(target, type) else target
    return list(inspect.signature(function).parameters)


@pytest.mark.parametrize("ours, path", TRANSLATED, ids=[path for _, path in TRANSLATED])
def test_signature_is_keras_3s(keras, ours, path):
    theirs = keras
    for part in path.split("."):
        theirs = getattr(theirs, part)
    assert _names(ours) == _names(theirs)

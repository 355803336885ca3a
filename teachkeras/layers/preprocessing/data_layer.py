"""`RawValuesLayer`: the calling conventions of the layers that read raw values (strings,
integer ids, numbers to bucket) rather than float features.

    layer(["a", "b"])          a list (or nested lists) of values is one array, as in Keras
    layer(np.array([3, 7]))    integers and strings stay what they are: no cast to float32

The layer's `dtype` is the dtype of its output (int64 ids, or float32 encodings), and a
symbolic call (`Input(dtype="string")`) gives an output of that dtype.
"""

from __future__ import annotations

import numpy as np

from ...backend.tensor import Tensor
from ..keras_tensor import KerasTensor
from ..layer import Layer


class RawValuesLayer(Layer):
    """Inputs converted as they are (strings, ints); outputs of the layer's dtype."""

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | str | bytes | int | float):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _convert_input(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

"""`Activation`: apply an activation function as a layer of its own."""

from __future__ import annotations

from ... import activations
from ..layer import Layer


class Activation(Layer):
    """$y = f(x)$ for a named activation, e.g. `Activation('relu')`. No weights."""

    def __init__(self, activation, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}

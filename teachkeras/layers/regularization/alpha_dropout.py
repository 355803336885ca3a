"""`AlphaDropout`: dropout that keeps SELU's self-normalization (mean 0, variance 1)."""

from __future__ import annotations

from ...backend.random import make_generator
from ..layer import Layer

# SELU's constants: selu(x) = λ x for x > 0, λ α (eˣ - 1) below; its negative saturation is -λα.
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Drop values to SELU's saturation value α' = -λα, then rescale to keep mean and variance.

    While training, with keep mask k (each value kept with probability 1 - rate):

        y = a · (k x + α' (1 - k)) + b,   a = ((1 - rate)(1 + rate α'²))^{-1/2},   b = -a α' rate

    so a SELU network's activations keep mean 0 and variance 1 (Klambauer et al., 2017).
    At inference it passes inputs through unchanged. The mask is a constant to the
    gradient: $\\partial y / \\partial x = a k$.

    Args:
        rate: fraction of the inputs to drop, in [0, 1).
        noise_shape: shape of the keep/drop mask, `None` entries meaning "as the input".
        seed: makes the sequence of masks repeatable.
    """

    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self._generator = make_generator(seed) if seed is not None else None
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        shape = inputs.shape  # the mask's: None entries of noise_shape take the input's size
        if self.noise_shape is not None:
            shape = tuple(
                s if n is None else n for n, s in zip(self.noise_shape, shape, strict=True)
            )
        keep = (make_generator(self._generator).random(shape) >= self.rate).astype(inputs.dtype)
        alpha_p = -_ALPHA * _SCALE  # where SELU saturates
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * keep + alpha_p * (1 - keep)) + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }

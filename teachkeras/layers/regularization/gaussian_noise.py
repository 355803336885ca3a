"""`GaussianNoise`: add zero-mean Gaussian noise while training, a regularizer and augmenter."""

from __future__ import annotations

from ... import ops
from ...backend.random import make_generator
from ...legacy.renames import accepts_renamed
from ..layer import Layer


@accepts_renamed({"sigma": "stddev"})  # Keras 1: GaussianNoise(sigma=0.1)
class GaussianNoise(Layer):
    """$y = x + ε$, $ε \\sim \\mathcal{N}(0, σ^2)$ drawn afresh at every training step.

    At inference (`training=False`) it passes inputs through unchanged. The noise is a
    constant to the gradient: $\\partial y / \\partial x = 1$.

    Args:
        stddev: σ, the noise's standard deviation, in [0, 1].
        seed: makes the sequence of noise draws repeatable.

    Example:
        >>> layer = GaussianNoise(0.1)
        >>> layer(np.zeros((2, 3)), training=True)     # small random numbers
    """

    def __init__(self, stddev: float, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value between "
                f"0 and 1. Received: stddev={stddev}"
            )
        self.stddev = stddev
        self.seed = seed
        self._generator = make_generator(seed) if seed is not None else None
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            draws = make_generator(self._generator).standard_normal(inputs.shape)
            noise = ops.convert_to_tensor(self.stddev * draws, dtype=inputs.dtype)
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}

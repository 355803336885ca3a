"""`GaussianDropout`: multiply by noise around 1 while training (dropout's smooth cousin)."""

from __future__ import annotations

import math

from ... import ops
from ...backend.random import make_generator
from ...legacy.renames import accepts_renamed
from ..layer import Layer


@accepts_renamed({"p": "rate"})  # Keras 1: GaussianDropout(p=0.2)
class GaussianDropout(Layer):
    """$y = x \\cdot ε$, $ε \\sim \\mathcal{N}(1, \\frac{rate}{1 - rate})$ while training.

    The variance is the one `Dropout(rate)`'s scaled keep/drop mask has, so the two
    regularize alike, but every value is kept, a little louder or softer. The mean
    is 1, so nothing changes at inference (the layer passes inputs through). The noise
    is a constant to the gradient: $\\partial y / \\partial x = ε$.

    Args:
        rate: the equivalent dropout rate, in [0, 1).
        seed: makes the sequence of noise draws repeatable.
    """

    def __init__(self, rate: float, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self._generator = make_generator(seed) if seed is not None else None
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            draws = make_generator(self._generator).normal(1.0, stddev, inputs.shape)
            return inputs * ops.convert_to_tensor(draws, dtype=inputs.dtype)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}

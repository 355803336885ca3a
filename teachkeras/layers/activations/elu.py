"""`ELU`: exponential linear unit as a layer."""

from __future__ import annotations

from ... import ops
from ..layer import Layer


class ELU(Layer):
    """$y = x$ for $x > 0$, $y = \\alpha (e^x - 1)$ otherwise."""

    def __init__(self, alpha: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        self.alpha = float(alpha)

    def call(self, inputs):
        return ops.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}

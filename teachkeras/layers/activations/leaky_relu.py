"""`LeakyReLU`: a ReLU that lets a small slope through for negative inputs."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import accepts_renamed
from ..layer import Layer


@accepts_renamed({"alpha": "negative_slope"})  # Keras 2: LeakyReLU(alpha=0.1)
class LeakyReLU(Layer):
    """$y = x$ for $x > 0$, $y = s x$ otherwise ($s$ = `negative_slope`, default 0.3).

    Keras 2 called the slope `alpha`; that spelling still works.
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative. "
                f"Received: negative_slope={negative_slope}"
            )
        self.negative_slope = float(negative_slope)

    def call(self, inputs):
        return ops.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}

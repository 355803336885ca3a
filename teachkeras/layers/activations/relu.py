"""`ReLU`: the rectified linear unit as a layer, with its optional variants."""

from __future__ import annotations

from ... import activations
from ..layer import Layer


class ReLU(Layer):
    """$y = \\max(x, 0)$, or with the options:

    $y = \\min(x, m)$ for $x \\ge \\theta$; $y = s (x - \\theta)$ for $x < \\theta$,
    with $m$ = `max_value`, $s$ = `negative_slope`, $\\theta$ = `threshold`.
    """

    def __init__(
        self, max_value=None, negative_slope: float = 0.0, threshold: float = 0.0, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        if max_value is not None and max_value < 0:
            raise ValueError(
                f"max_value of a ReLU layer cannot be negative. Received: max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f"negative_slope of a ReLU layer cannot be negative. Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0:
            raise ValueError(
                f"threshold of a ReLU layer cannot be negative. Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }

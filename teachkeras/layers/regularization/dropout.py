"""`Dropout`: randomly silence units while training, so none can be relied on alone."""

from __future__ import annotations

from ...backend.nn_ops import dropout
from ...backend.random import make_generator
from ..layer import Layer


class Dropout(Layer):
    """Zero each input with probability `rate` during training; scale the rest by $1/(1-rate)$.

    At inference (`training=False`, as in `predict` and `evaluate`) it passes inputs
    through unchanged: the scaling during training already keeps the expected
    activation the same.

    Args:
        rate: fraction of the inputs to drop, in [0, 1).
        noise_shape: shape of the keep/drop mask, `None` entries meaning "as the input";
            e.g. `(batch, 1, features)` drops the same features at every time step.
        seed: makes the sequence of masks repeatable.
    """

    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        if not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        # one private generator per seeded layer: its masks differ step to step, repeat run to run
        self._generator = make_generator(seed) if seed is not None else None

    def call(self, inputs, training=None):
        if training and self.rate > 0:
            return dropout(inputs, self.rate, noise_shape=self.noise_shape, seed=self._generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }

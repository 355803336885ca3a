"""`RandomBrightness`: add one random amount to every pixel of each image."""

from __future__ import annotations

from .... import ops
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer
from .random_rotation import fraction_range

_VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


class RandomBrightness(BaseImagePreprocessingLayer):
    """x ↦ clip(x + δ, value_range), with δ = u·(high − low) for u ~ U[lower, upper) drawn
    once per image (only in training): the same δ for every pixel and channel.

    Args:
        factor: a number f in [−1, 1] (u in [−|f|, |f|)) or a pair (lower, upper): the
            shift as a fraction of the value range (0.2 with (0, 255): up to ±51).
        value_range: the range of the pixel values (default (0, 255)); outputs are clipped to it.
        seed: an int, so the sequence repeats run to run.

    Example:
        >>> RandomBrightness(0.2, value_range=(0, 1))(images)   # each image shifted by ±0.2
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.factor = fraction_range(factor, bounds=(-1.0, 1.0))
        if not isinstance(value_range, tuple | list) or len(value_range) != 2:
            raise ValueError(_VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)
        self._make_generator(seed)

    def get_random_transformation(self, images) -> dict:
        u = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1])
        return {"rgb_delta": u * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation):
        delta = ops.cast(transformation["rgb_delta"], images.dtype)
        return ops.clip(images + delta, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }

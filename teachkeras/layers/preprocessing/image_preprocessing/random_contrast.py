"""`RandomContrast`: stretch or squeeze each image's values around its mean."""

from __future__ import annotations

from .... import ops
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer
from .random_rotation import fraction_range


class RandomContrast(BaseImagePreprocessingLayer):
    """For each image and channel, with the channel's mean m over the pixels and a random
    c ~ U[1 − lower, 1 + upper) per image (only in training):

        x ↦ clip((x − m)·c + m, value_range)

    `factor` is read as Keras 3.15 reads it: a number f gives (lower, upper) = (0, f), so
    c ∈ [1, 1 + f) and the contrast only ever increases; a pair (a, b) gives c ∈ [1 − a, 1 + b).

    Args:
        factor: a number in [0, 1] or a pair (lower, upper).
        value_range: the range of the pixel values (default (0, 255)); outputs are clipped to it.
        seed: an int, so the sequence repeats run to run.

    Example:
        >>> RandomContrast((0.5, 0.5), value_range=(0, 1))(images)   # c in [0.5, 1.5)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.factor = fraction_range(factor, bounds=(0.0, 1.0))
        self.value_range = value_range
        self._make_generator(seed)

    def get_random_transformation(self, images) -> dict:
        shape = (images.shape[0], 1, 1, 1)
        low, high = 1.0 - self.factor[0], 1.0 + self.factor[1]
        return {"contrast_factor": self._uniform(shape, low, high, dtype=self.dtype)}

    def transform_images(self, images, transformation):
        height_axis, width_axis = self._spatial_axes
        mean = ops.mean(
            ops.mean(images, axis=height_axis, keepdims=True), axis=width_axis, keepdims=True
        )
        outputs = (images - mean) * transformation["contrast_factor"] + mean
        return ops.clip(outputs, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }

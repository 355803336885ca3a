"""`RandomFlip`: mirror each image left-right (and/or upside down) with probability ½."""

from __future__ import annotations

from .... import ops
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer

HORIZONTAL, VERTICAL = "horizontal", "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Flip each image of the batch, or not, at random (only in training).

    For each image a number u ~ U[0, 1) is drawn; u ≤ ½ flips it:

        "horizontal"               left ↔ right (the width axis reversed)
        "vertical"                 top ↔ bottom (the height axis reversed)
        "horizontal_and_vertical"  both at once (one u per image, as Keras 3: the image
                                   is turned by 180° or left alone)

    Args:
        mode: one of the three above (default "horizontal_and_vertical").
        seed: an int, so the sequence of flips repeats run to run.
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> flip = RandomFlip("horizontal", seed=1)
        >>> flip(images)                    # some images mirrored
        >>> flip(images, training=False)    # the images, unchanged
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs) -> None:
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument {mode!r}: "
                f"expected {HORIZONTAL!r}, {VERTICAL!r} or {HORIZONTAL_AND_VERTICAL!r}."
            )
        self.mode = mode
        self._make_generator(seed)

    def get_random_transformation(self, images) -> dict:
        return {"flips": self._uniform((images.shape[0], 1, 1, 1), 0.0, 1.0) <= 0.5}

    def transform_images(self, images, transformation):
        flips = transformation["flips"]  # (batch, 1, 1, 1) bool
        height_axis, width_axis = self._spatial_axes
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=width_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=height_axis), images)
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}

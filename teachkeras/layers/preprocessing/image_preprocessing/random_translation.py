"""`RandomTranslation`: shift each image by a random number of pixels."""

from __future__ import annotations

import numpy as np

from .affine_augmentation import AffineAugmentation, symmetric_range

_FACTOR_ERROR = (
    "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. "
)


class RandomTranslation(AffineAugmentation):
    """Shift each image by (dy, dx) = (u·height, v·width) pixels (only in training), with
    u ~ U[height lower, upper) and v ~ U[width lower, upper): a positive shift moves the
    content down / right. The uncovered border is filled by `fill_mode`.

    Args:
        height_factor: a number f (shifts in [−f·height, f·height]) or a pair, in [−1, 1].
        width_factor: the same for the width.
        fill_mode, interpolation, seed, fill_value, data_format: as `RandomRotation`.

    Example:
        >>> RandomTranslation(0.1, 0.1)(images)   # each image moved by up to 10% each way
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = symmetric_range(
            height_factor, "height_factor", _FACTOR_ERROR
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = symmetric_range(
            width_factor, "width_factor", _FACTOR_ERROR
        )

    def get_random_transformation(self, images) -> dict:
        batch = images.shape[0]
        height, width = self._height_width(images.shape)
        dy = self._uniform((batch, 1), self.height_lower, self.height_upper) * np.float32(height)
        dx = self._uniform((batch, 1), self.width_lower, self.width_upper) * np.float32(width)
        return {"translations": np.concatenate([dx, dy], axis=1)}  # (batch, 2): (dx, dy)

    def transform_matrix(self, transformation, height, width):
        translations = np.asarray(transformation["translations"], np.float32)
        return shift_matrix(translations[:, 0:1], translations[:, 1:2])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            **self._affine_config(),
        }


def shift_matrix(dx, dy) -> np.ndarray:
    """(batch, 8): x_in = x − dx, y_in = y − dy (`dx`, `dy` of shape (batch, 1))."""
    ones, zeros = np.ones_like(dx), np.zeros_like(dx)
    return np.concatenate([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)

"""`RandomZoom`: zoom each image in or out by a random amount, around its centre."""

from __future__ import annotations

import numpy as np

from .affine_augmentation import AffineAugmentation, symmetric_range

_FACTOR_ERROR = (
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two "
    "numbers) in the range (-1.0, 1.0]. "
)


class RandomZoom(AffineAugmentation):
    """Scale each image by z ~ U[1 + lower, 1 + upper) about its centre (only in training).

    The output pixel x reads the input at cx + z·(x − cx): z > 1 (a positive factor)
    zooms OUT (more of the scene, smaller, with the border filled by `fill_mode`), z < 1
    (a negative factor) zooms IN. `height_factor` = 0.2 means z in [0.8, 1.2);
    `width_factor` None zooms both axes by the same z (keeping the aspect ratio).

    Args:
        height_factor: a number f (the range [−f, f]) or a pair, each in (−1, 1].
        width_factor: the same for the width, or None (default): as the height.
        fill_mode, interpolation, seed, fill_value, data_format: as `RandomRotation`.

    Example:
        >>> RandomZoom((-0.5, -0.5))(images)   # every image zoomed in 2×, on its centre
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
            height_factor, "height_factor", _FACTOR_ERROR, include_low=False
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = symmetric_range(
                width_factor, "width_factor", _FACTOR_ERROR, include_low=False
            )

    def get_random_transformation(self, images) -> dict:
        batch = images.shape[0]
        height_zoom = self._uniform((batch, 1), 1.0 + self.height_lower, 1.0 + self.height_upper)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = self._uniform((batch, 1), 1.0 + self.width_lower, 1.0 + self.width_upper)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def transform_matrix(self, transformation, height, width):
        width_zoom = np.asarray(transformation["width_zoom"], np.float32)[:, 0]
        height_zoom = np.asarray(transformation["height_zoom"], np.float32)[:, 0]
        return zoom_matrix(width_zoom, height_zoom, height, width)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            **self._affine_config(),
        }


def zoom_matrix(width_zoom, height_zoom, height: int, width: int) -> np.ndarray:
    """(batch, 8): x_in = z_w·x + (W − 1)/2·(1 − z_w), y_in = z_h·y + (H − 1)/2·(1 − z_h)."""
    x_offset = (np.float32(width) - np.float32(1)) / np.float32(2) * (np.float32(1) - width_zoom)
    y_offset = (np.float32(height) - np.float32(1)) / np.float32(2) * (np.float32(1) - height_zoom)
    zeros = np.zeros_like(width_zoom)
    rows = [width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros]
    return np.stack(rows, axis=1).astype(np.float32)

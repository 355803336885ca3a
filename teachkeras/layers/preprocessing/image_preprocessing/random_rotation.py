"""`RandomRotation`: turn each image by a random angle around its centre."""

from __future__ import annotations

import numpy as np

from .affine_augmentation import AffineAugmentation, centred_affine_matrix


class RandomRotation(AffineAugmentation):
    """Rotate each image by θ ~ U[lower·360°, upper·360°) (only in training).

    `factor` is a fraction of a full turn: 0.1 means angles in [−36°, 36°), (−0.25, 0)
    turns only one way, by up to 90°; equal bounds, (0.25, 0.25), turn every image by 90°.
    A positive angle turns the image counter-clockwise as it is shown (row 0 at the top).
    The corners the rotation uncovers are filled by `fill_mode` (see `ops.image.affine_transform`).

    Args:
        factor: a number f (the range [−f, f]) or a pair (lower, upper), within [−1, 1].
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int, so the sequence of angles repeats run to run.
        fill_value: the value outside the image with fill_mode="constant" (default 0).
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> turn = RandomRotation(0.1, seed=7)
        >>> turn(images).shape == images.shape
        True
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = fraction_range(factor, bounds=(-1.0, 1.0))

    def get_random_transformation(self, images) -> dict:
        batch = images.shape[0]
        height, width = self._height_width(images.shape)
        angle = self._uniform((batch,), self.factor[0] * 360.0, self.factor[1] * 360.0)
        ones, zeros = np.ones(batch, np.float32), np.zeros(batch, np.float32)
        return {
            "angle": angle,
            "rotation_matrix": centred_affine_matrix(angle, zeros, zeros, ones, height, width),
        }

    def transform_matrix(self, transformation, height, width):
        return transformation["rotation_matrix"]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, **self._affine_config()}


def fraction_range(factor, bounds: tuple[float, float]) -> tuple:
    """`factor` as (lower, upper) within `bounds`: a number f means (max(−|f|, low), |f|),
    a pair is sorted (Keras 3's `_set_factor`, shared by the image layers' `factor`)."""
    low, high = bounds
    message = (
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        f"[{low:g}, {high:g}]. Received: factor={factor}"
    )
    if isinstance(factor, tuple | list):
        if len(factor) != 2 or factor[0] > high or factor[1] < low:
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, int | float) and not isinstance(factor, bool):
        if factor < low or factor > high:
            raise ValueError(message)
        return (max(-abs(factor), low), abs(factor))
    raise ValueError(message)

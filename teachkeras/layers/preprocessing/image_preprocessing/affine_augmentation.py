"""What RandomRotation, RandomZoom and RandomTranslation share: each draws numbers per image,
turns them into an affine transform, and moves the pixels with `ops.image.affine_transform`.

The transform `[a0, a1, a2, b0, b1, b2, 0, 0]` says where output pixel (y, x) reads the input:
x_in = a0·x + a1·y + a2, y_in = b0·x + b1·y + b2 (so it maps output to input: to rotate the
image by θ, the transform rotates the sampling grid by θ around the image's centre).
Pixels read from outside the image come from `fill_mode`; between pixels, `interpolation`.
"""

from __future__ import annotations

import math

import numpy as np

from .... import ops
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class AffineAugmentation(BaseImagePreprocessingLayer):
    """Validates `fill_mode` / `interpolation`, and applies a batch of transforms."""

    def __init__(
        self,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(data_format=data_format, **kwargs)
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}."
            )
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}."
            )
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self._make_generator(seed)

    def transform_images(self, images, transformation):
        height, width = self._height_width(images.shape)
        return ops.image.affine_transform(
            images,
            self.transform_matrix(transformation, height, width),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def transform_matrix(self, transformation: dict, height: int, width: int) -> np.ndarray:
        """The (batch, 8) transforms for the drawn numbers in `transformation`."""
        raise NotImplementedError

    def _affine_config(self) -> dict:
        return {
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }


def centred_affine_matrix(
    angle, translate_x, translate_y, scale, height: int, width: int
) -> np.ndarray:
    """(batch, 8) transforms: rotate by `angle` degrees and scale by `scale` around the image's
    centre (cx, cy) = ((width − 1)/2, (height − 1)/2), then shift by (translate_x, translate_y).

        a0 = s cos θ,  a1 = −s sin θ,  a2 = tx + cx − cx·a0 − cy·a1
        b0 = s sin θ,  b1 =  s cos θ,  b2 = ty + cy − cx·b0 − cy·b1

    In float32, as Keras 3 computes it (so the sampled positions agree to the last bit).
    """
    angle = np.asarray(angle, np.float32) * np.float32(math.pi / 180.0)
    cx = np.float32(0.5) * (np.float32(width) - np.float32(1))
    cy = np.float32(0.5) * (np.float32(height) - np.float32(1))
    cos, sin = np.cos(angle), np.sin(angle)
    a0, a1 = scale * cos, scale * -sin
    b0, b1 = scale * sin, scale * cos
    a2 = translate_x + cx - cx * a0 - cy * a1
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = np.zeros_like(a0)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype(np.float32)


def check_range(value, low: float, high: float, message: str, include_low: bool = True) -> None:
    """Refuse a factor outside [low, high] (or (low, high] when not `include_low`)."""
    if value > high or value < low or (value == low and not include_low):
        raise ValueError(message)


def symmetric_range(factor, name: str, message: str, include_low: bool = True) -> tuple:
    """`factor` as (lower, upper): a number f means (−|f|, |f|), a pair is sorted."""
    if isinstance(factor, tuple | list):
        if len(factor) != 2:
            raise ValueError(message + f"Received: {name}={factor}")
        for value in factor:
            check_range(value, -1.0, 1.0, message + f"Received: input_number={value}", include_low)
        return tuple(sorted(factor))
    if isinstance(factor, int | float) and not isinstance(factor, bool):
        check_range(factor, -1.0, 1.0, message + f"Received: input_number={factor}", include_low)
        return (-abs(factor), abs(factor))
    raise ValueError(message + f"Received: {name}={factor}")

"""`Resizing`: bring every image to `height` × `width` pixels."""

from __future__ import annotations

import numpy as np

from .... import ops
from ....backend.image_ops import RESIZE_INTERPOLATIONS
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer


class Resizing(BaseImagePreprocessingLayer):
    """Resize images to `height` × `width` (`ops.image.resize`), in training and at inference.

    Each output pixel is a weighted mix of the input pixels near the position it comes
    from (pixel centres aligned): one matrix per axis, Y = R_h X R_wᵀ.

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default), "nearest" or "bicubic".
        crop_to_aspect_ratio: first cut the largest centred box of the output's aspect
            ratio, so nothing is stretched.
        pad_to_aspect_ratio: first pad both sides with `fill_value` to that aspect ratio.
        fill_mode: "constant" (the only mode Keras 3 accepts on PyTorch).
        fill_value: the padding value (default 0).
        antialias: average all the pixels under the kernel when shrinking.
        data_format: "channels_last" (default) or "channels_first".

    Integer images (uint8) come out as integers of the same type, rounded and clipped to
    the type's range, as in Keras 3; float images stay floats.

    Example:
        >>> Resizing(180, 180)(np.zeros((2, 256, 320, 3))).shape
        (2, 180, 180, 3)
    """

    augments = False

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(data_format=data_format, **kwargs)
        if interpolation not in RESIZE_INTERPOLATIONS:
            raise ValueError(
                f"Invalid value for argument `interpolation`: {interpolation!r}. Expected one "
                f"of {RESIZE_INTERPOLATIONS}."
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def call(self, images, training=True):
        resized = super().call(images, training)  # computed in the layer's float dtype
        if not np.issubdtype(images.dtype, np.integer):
            return resized
        info = np.iinfo(images.dtype)  # back to the integer type: rounded, then saturated
        return ops.cast(ops.clip(ops.round(resized), info.min, info.max), images.dtype)

    def transform_images(self, images, transformation):
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        height_axis, width_axis = self._spatial_axes
        shape[height_axis], shape[width_axis] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }

"""`CenterCrop`: keep the central `height` × `width` pixels of each image."""

from __future__ import annotations

from .... import ops
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer


class CenterCrop(BaseImagePreprocessingLayer):
    """Cut the centre `height` × `width` window out of each image, in training and at
    inference alike: rows from ⌊(H − height)/2⌋, columns from ⌊(W − width)/2⌋.

    An image smaller than the window (in height or width) is instead cropped to the window's
    aspect ratio and resized to it (bilinear; Keras's `smart_resize`).

    Args:
        height, width: the output size.
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> CenterCrop(24, 24)(np.zeros((1, 32, 40, 3))).shape
        (1, 24, 24, 3)
    """

    augments = False

    def __init__(self, height, width, data_format=None, **kwargs) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def transform_images(self, images, transformation):
        height, width = self._height_width(images.shape)
        top, left = (height - self.height) // 2, (width - self.width) // 2
        if top < 0 or left < 0:
            size = (self.height, self.width)
            return ops.image.resize(
                images, size, crop_to_aspect_ratio=True, data_format=self.data_format
            )
        rows, cols = slice(top, top + self.height), slice(left, left + self.width)
        if self.data_format == "channels_last":
            return images[:, rows, cols, :]
        return images[:, :, rows, cols]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) not in (3, 4):
            raise ValueError(
                "`input_shape` must be a non-nested tuple or list of rank-1 with size 3 "
                f"(unbatched) or 4 (batched). Received: input_shape={input_shape}"
            )
        height_axis, width_axis = self._spatial_axes
        shape[height_axis], shape[width_axis] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}

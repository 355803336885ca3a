"""`RandomCrop`: cut a random `height` × `width` window out of the images."""

from __future__ import annotations

from .... import ops
from ....backend.random import global_generator
from .base_image_preprocessing_layer import BaseImagePreprocessingLayer


class RandomCrop(BaseImagePreprocessingLayer):
    """In training, one window of `height` × `width` pixels at a random place, the same for
    every image of the batch (as Keras 3 draws it): its top row and left column are drawn
    uniformly from the places where it fits.

    When the images are not larger than the window in both height and width, the largest
    centred box of the window's aspect ratio is taken instead, and resized (bilinear) to
    `height` × `width`.

    At inference (`training=False`, as in `predict`) the images pass unchanged, as in
    Keras 3.15: the output is then the input's size, not the window's.

    Args:
        height, width: the window's size.
        seed: an int, so the sequence of windows repeats run to run (default: one drawn
            from the global generator, which `keras.utils.set_random_seed` seeds).
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> RandomCrop(24, 24)(np.zeros((8, 32, 32, 3))).shape
        (8, 24, 24, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs) -> None:
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width
        self._make_generator(seed)
        if seed is None:  # Keras 3 keeps the seed it drew, so the config repeats the layer
            self.seed = int(global_generator().integers(1, 10**9))

    def get_random_transformation(self, images) -> tuple[int, int]:
        height, width = self._height_width(images.shape)
        if height > self.height and width > self.width:
            top = int(self._uniform((), 0.0, float(height - self.height + 1)))
            left = int(self._uniform((), 0.0, float(width - self.width + 1)))
            return (top, left)
        crop_height = max(min(height, int(width * self.height / self.width)), 1)
        crop_width = max(min(width, int(height * self.width / self.height)), 1)
        return (int((height - crop_height) / 2), int((width - crop_width) / 2))

    def transform_images(self, images, transformation):
        top, left = transformation  # the window's first row and column
        rows, cols = slice(top, top + self.height), slice(left, left + self.width)
        if self.data_format == "channels_last":
            images = images[:, rows, cols, :]
        else:
            images = images[:, :, rows, cols]
        if self._height_width(images.shape) != (self.height, self.width):
            images = ops.image.resize(
                images, (self.height, self.width), data_format=self.data_format
            )
        return images

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
            "seed": self.seed,
        }

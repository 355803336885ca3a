"""`BaseImagePreprocessingLayer`: what every image layer shares (Keras 3's base of the same name).

    call(images, training=True)
      1. check the rank: (height, width, channels) or (batch, height, width, channels)
      2. cast to the layer's dtype (uint8 pixels become float32)
      3. an augmentation at inference (training=False, as in `predict` or `evaluate`):
         the images, unchanged
      4. otherwise `get_random_transformation` draws the random numbers for the whole batch
         (one per image), `transform_images` applies them to the batch in one go

`training=True` is the default of `call`, as in Keras 3: calling an augmentation layer (or
a model holding one) on images shows augmented images; `fit` augments; `predict` does not.
Random numbers come from the layer's `SeedGenerator(seed)`: the same seed gives the same
sequence of augmentations on every run, and without a seed `keras.utils.set_random_seed`
(called before the layer is made) does the same for the whole notebook.
"""

from __future__ import annotations

from .... import ops
from ....backend.config import standardize_data_format
from ....random import SeedGenerator, uniform
from ...layer import Layer


class BaseImagePreprocessingLayer(Layer):
    """The base of the image layers: rank check, dtype, identity at inference, seeding.

    Subclasses write `get_random_transformation(images)` (a dict of the drawn numbers,
    for a 4-D batch) and `transform_images(images, transformation)` (the batch changed).
    Layers that are not augmentations (Resizing, CenterCrop) set `augments = False`: they
    change the images at inference too.
    """

    augments = True  # False: the same transform in training and at inference

    def __init__(self, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)

    def _make_generator(self, seed) -> None:
        """The layer's stream of random numbers (Keras 3: `self.seed`, `self.generator`)."""
        self.seed = seed
        self.generator = SeedGenerator(seed)

    # --- the shared call --------------------------------------------------------------------
    def call(self, images, training=True):
        images = self._checked_images(images)
        if self.augments and not training:
            return images
        batch = images if images.ndim == 4 else ops.expand_dims(images, 0)
        out = self.transform_images(batch, self.get_random_transformation(batch))
        return out if images.ndim == 4 else ops.squeeze(out, 0)

    def get_random_transformation(self, images) -> dict:
        """The random numbers for this batch (`images` is 4-D); none by default."""
        return {}

    def transform_images(self, images, transformation):
        raise NotImplementedError(f"{type(self).__name__} has not implemented transform_images().")

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}

    # --- helpers ------------------------------------------------------------------------------
    def _checked_images(self, images):
        if images.ndim not in (3, 4):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects images of rank 3 "
                "(height, width, channels) or rank 4 (batch, height, width, channels), but "
                f"received an input of rank {images.ndim}, shape {tuple(images.shape)}."
                + _rank_hint(images.ndim)
            )
        if images.dtype != self.dtype:
            images = ops.cast(images, self.dtype)
        return images

    @property
    def _spatial_axes(self) -> tuple[int, int]:
        """The height and width axes, counted from the end (for a rank 3 or 4 input)."""
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def _height_width(self, shape) -> tuple:
        """(height, width) of an input shape, for this layer's data format."""
        return tuple(shape[a] for a in self._spatial_axes)

    def _uniform(self, shape, low: float, high: float, dtype="float32"):
        """Numbers drawn uniformly from [low, high) from this layer's generator, as NumPy."""
        return uniform(shape, low, high, dtype=dtype, seed=self.generator).numpy()


def _rank_hint(ndim: int) -> str:
    if ndim == 2:
        return (
            " A grayscale image (height, width) needs a channels axis: x[..., None] (and a "
            "batch of them x[:, :, :, None]); Input((28, 28, 1)) rather than Input((28, 28))."
        )
    if ndim == 5:
        return " A batch of videos or volumes (rank 5) is not an image batch."
    return ""

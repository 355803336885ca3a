"""`UpSampling2D`: make each image `size` times larger, by repeating or interpolating pixels."""

from __future__ import annotations

from ...backend.config import standardize_data_format
from ...backend.image_ops import resize_images
from ...backend.pooling_ops import normalize_tuple
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from ..layer import Layer
from ..pooling.base_pooling import spatial_input_hint

# Other interpolations Keras names; their numbers differ between Keras backends
# (TensorFlow's bicubic uses a = -0.5, PyTorch's a = -0.75), so there is no one answer to copy.
_NOT_IMPLEMENTED = ("bicubic", "lanczos3", "lanczos5", "area")


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class UpSampling2D(Layer):
    """(batch, h, w, c) -> (batch, h * size_h, w * size_w, c).

    interpolation='nearest' repeats every row `size_h` times and every column `size_w`
    times (`ops.repeat`). interpolation='bilinear' mixes the two nearest input pixels
    along each axis, with half-pixel centres (TensorFlow's `resize`, PyTorch's
    `align_corners=False`): output pixel o reads input position
    $\\text{src} = (o + 0.5) / \\text{size} - 0.5$, clamped to [0, n - 1], as
    $(1 - t)\\,x_{\\lfloor src \\rfloor} + t\\,x_{\\lfloor src \\rfloor + 1}$ with $t = src - \\lfloor src \\rfloor$.
    That is a fixed matrix per axis, $Y = A_h X A_w^T$, written with `ops.matmul`, so the
    gradient comes for free ($A_h^T G A_w$).

    Args:
        size: int or (size_h, size_w), default (2, 2).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).
        interpolation: 'nearest' (default) or 'bilinear'.

    Example:
        >>> UpSampling2D(2)(np.ones((1, 7, 7, 16))).shape
        (1, 14, 14, 16)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = normalize_tuple(size, 2, "size")
        self.interpolation = str(interpolation).lower()
        if self.interpolation in _NOT_IMPLEMENTED:
            raise NotImplementedError(
                f"UpSampling2D(interpolation={interpolation!r}) is not implemented in teachkeras: "
                "its numbers differ between Keras backends. Use 'nearest' or 'bilinear'."
            )
        if self.interpolation not in ("nearest", "bilinear"):
            raise ValueError(
                "`interpolation` must be 'nearest' or 'bilinear' (or, in Keras, one of "
                f"{_NOT_IMPLEMENTED}). Received: interpolation={interpolation!r}"
            )
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        # repeat ('nearest') or A_h @ x @ A_w^T ('bilinear'): see backend/image_ops.py
        return resize_images(
            inputs, *self.size, data_format=self.data_format, interpolation=self.interpolation
        )

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        for axis, factor in zip((first, first + 1), self.size, strict=True):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def _input_hint(self, shape) -> str:
        return spatial_input_hint("UpSampling2D", 2, self.data_format, shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }

"""`MaxPooling2D` (alias `MaxPool2D`): the largest value in each window of an image."""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from .base_pooling import KERAS1_POOLING, BasePooling


@accepts_renamed(KERAS1_POOLING)  # Keras 1 spellings, translated first
class MaxPooling2D(BasePooling):
    """Max pooling over height and width, channel by channel.

    Output size per axis: floor((n - pool) / stride) + 1 with padding='valid',
    ceil(n / stride) with 'same'. So `MaxPooling2D(2)` halves a 28 x 28 image to 14 x 14.
    In training, each window's gradient goes to the cell that held its maximum (the
    first one, on ties).

    Args:
        pool_size: int or (pool_h, pool_w), default (2, 2).
        strides: int, tuple or None (None: equal to pool_size).
        padding: 'valid' or 'same'.
        data_format: 'channels_last' (batch, h, w, c) or 'channels_first' (batch, c, h, w).

    Example:
        >>> MaxPooling2D((2, 2))(np.zeros((8, 28, 28, 32))).shape
        (8, 14, 14, 32)
    """

    pool_dimensions = 2  # pooled axes: height and width
    pool_mode = "max"

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


MaxPool2D = MaxPooling2D

"""`AveragePooling2D` (alias `AvgPool2D`): the mean of each window of an image."""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from .base_pooling import KERAS1_POOLING, BasePooling


@accepts_renamed(KERAS1_POOLING)  # Keras 1 spellings, translated first
class AveragePooling2D(BasePooling):
    """Average pooling over height and width, channel by channel.

    With padding='same' each window is divided by the number of real (not padded)
    cells in it, as in Keras and TensorFlow. In training, each window's gradient is
    shared equally between those cells.

    Args:
        pool_size: int or (pool_h, pool_w). Keras 3 requires it; the default (2, 2) is
            Keras 2's, kept so that older code runs.
        strides: int, tuple or None (None: equal to pool_size).
        padding: 'valid' or 'same'.
        data_format: 'channels_last' (batch, h, w, c) or 'channels_first' (batch, c, h, w).

    Example:
        >>> AveragePooling2D(2)(np.zeros((8, 28, 28, 32))).shape
        (8, 14, 14, 32)
    """

    pool_dimensions = 2  # pooled axes: height and width
    pool_mode = "average"

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


AvgPool2D = AveragePooling2D

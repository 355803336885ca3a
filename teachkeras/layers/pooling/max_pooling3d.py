"""`MaxPooling3D` (alias `MaxPool3D`): the largest value in each window of a volume."""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from .base_pooling import KERAS1_POOLING, BasePooling


@accepts_renamed(KERAS1_POOLING)  # Keras 1 spellings, translated first
class MaxPooling3D(BasePooling):
    """Max pooling over depth, height and width, channel by channel.

    Output size per axis: floor((n - pool) / stride) + 1 with padding='valid',
    ceil(n / stride) with 'same'. So `MaxPooling3D(2)` halves a 16 × 32 × 32 volume to
    8 × 16 × 16. In training, each window's gradient goes to the cell that held its
    maximum (the first one, on ties).

    Args:
        pool_size: int or (pool_d, pool_h, pool_w), default (2, 2, 2).
        strides: int, tuple or None (None: equal to pool_size).
        padding: 'valid' or 'same'.
        data_format: 'channels_last' (batch, d, h, w, c) or 'channels_first' (batch, c, d, h, w).

    Example:
        >>> MaxPooling3D((2, 2, 2))(np.zeros((4, 16, 32, 32, 8))).shape
        (4, 8, 16, 16, 8)
    """

    pool_dimensions = 3  # pooled axes: depth, height and width
    pool_mode = "max"

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


MaxPool3D = MaxPooling3D

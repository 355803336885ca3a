"""`MaxPooling1D` (alias `MaxPool1D`): the largest value in each window of a sequence."""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from .base_pooling import KERAS1_POOLING, BasePooling


@accepts_renamed(KERAS1_POOLING)  # Keras 1 spellings, translated first
class MaxPooling1D(BasePooling):
    """Max pooling along the steps of a sequence, feature by feature.

    Args:
        pool_size: int, default 2 (Keras 1: `pool_length=`).
        strides: int or None (None: equal to pool_size; Keras 1: `stride=`).
        padding: 'valid' or 'same'.
        data_format: 'channels_last' (batch, steps, features) or 'channels_first'
            (batch, features, steps).

    Example:
        >>> MaxPooling1D(2)(np.zeros((8, 10, 16))).shape
        (8, 5, 16)
    """

    pool_dimensions = 1  # pooled axes: steps
    pool_mode = "max"

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


MaxPool1D = MaxPooling1D

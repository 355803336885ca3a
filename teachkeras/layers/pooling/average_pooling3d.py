"""`AveragePooling3D` (alias `AvgPool3D`): the mean of each window of a volume."""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from .base_pooling import KERAS1_POOLING, BasePooling


@accepts_renamed(KERAS1_POOLING)  # Keras 1 spellings, translated first
class AveragePooling3D(BasePooling):
    """Average pooling over depth, height and width, channel by channel.

    With padding='same' each window is divided by the number of real (not padded)
    cells in it, as in Keras's documented rule (TensorFlow's and JAX's; Keras 3.15 on
    PyTorch repeats the edge instead when the padding is uneven). In training, each
    window's gradient is shared equally between those cells.

    Args:
        pool_size: int or (pool_d, pool_h, pool_w). Keras 3 requires it; the default
            (2, 2, 2) is Keras 2's, kept so that older code runs.
        strides: int, tuple or None (None: equal to pool_size).
        padding: 'valid' or 'same'.
        data_format: 'channels_last' (batch, d, h, w, c) or 'channels_first' (batch, c, d, h, w).

    Example:
        >>> AveragePooling3D(2)(np.zeros((4, 16, 32, 32, 8))).shape
        (4, 8, 16, 16, 8)
    """

    pool_dimensions = 3  # pooled axes: depth, height and width
    pool_mode = "average"

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


AvgPool3D = AveragePooling3D

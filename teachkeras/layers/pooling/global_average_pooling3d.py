"""`GlobalAveragePooling3D` (alias `GlobalAvgPool3D`): the mean of each channel over a volume."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalAveragePooling3D(BaseGlobalPooling):
    """(batch, d, h, w, c) -> (batch, c): $y_{n,c} = \\frac{1}{dhw} \\sum_{i,j,k} x_{n,i,j,k,c}$.

    Example:
        >>> GlobalAveragePooling3D()(np.ones((4, 6, 7, 7, 64))).shape
        (4, 64)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.mean(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalAvgPool3D = GlobalAveragePooling3D

"""`GlobalMaxPooling3D` (alias `GlobalMaxPool3D`): the largest value of each channel over a volume."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalMaxPooling3D(BaseGlobalPooling):
    """(batch, d, h, w, c) -> (batch, c): $y_{n,c} = \\max_{i,j,k} x_{n,i,j,k,c}$.

    Example:
        >>> GlobalMaxPooling3D()(np.ones((4, 6, 7, 7, 64))).shape
        (4, 64)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool3D = GlobalMaxPooling3D

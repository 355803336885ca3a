"""`GlobalMaxPooling2D` (alias `GlobalMaxPool2D`): the largest value of each channel over the image."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalMaxPooling2D(BaseGlobalPooling):
    """(batch, h, w, c) -> (batch, c): $y_{n,c} = \\max_{i,j} x_{n,i,j,c}$.

    Example:
        >>> GlobalMaxPooling2D()(np.ones((8, 7, 7, 64))).shape
        (8, 64)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool2D = GlobalMaxPooling2D

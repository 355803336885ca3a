"""`GlobalAveragePooling2D` (alias `GlobalAvgPool2D`): the mean of each channel over the image."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalAveragePooling2D(BaseGlobalPooling):
    """(batch, h, w, c) -> (batch, c): $y_{n,c} = \\frac{1}{hw} \\sum_{i,j} x_{n,i,j,c}$.

    The usual last step of a modern CNN before the classifier, instead of Flatten:
    it has no weights and works for any image size.

    Example:
        >>> GlobalAveragePooling2D()(np.ones((8, 7, 7, 64))).shape
        (8, 64)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.mean(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalAvgPool2D = GlobalAveragePooling2D

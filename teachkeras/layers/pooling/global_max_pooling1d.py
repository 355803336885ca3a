"""`GlobalMaxPooling1D` (alias `GlobalMaxPool1D`): the largest value of each feature over the steps."""

from __future__ import annotations

from ... import ops
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalMaxPooling1D(BaseGlobalPooling):
    """(batch, steps, features) -> (batch, features): $y_{n,c} = \\max_t x_{n,t,c}$.

    Example:
        >>> GlobalMaxPooling1D()(np.ones((8, 10, 16))).shape
        (8, 16)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool1D = GlobalMaxPooling1D

"""`GlobalAveragePooling1D` (alias `GlobalAvgPool1D`): the mean of each feature over the steps."""

from __future__ import annotations

from ... import ops
from ...backend.tensor import as_array
from ...legacy.renames import KERAS1_DIM_ORDERING, accepts_renamed
from .base_global_pooling import BaseGlobalPooling


@accepts_renamed(KERAS1_DIM_ORDERING)  # Keras 1 spelling, translated first
class GlobalAveragePooling1D(BaseGlobalPooling):
    """(batch, steps, features) -> (batch, features): $y_{n,c} = \\frac{1}{T}\\sum_t x_{n,t,c}$.

    With a `mask` (batch, steps) of True for real steps and False for padding (as an
    Embedding with mask_zero=True gives), only real steps count:
    $y_{n,c} = \\sum_t m_{n,t} x_{n,t,c} / \\sum_t m_{n,t}$.

    Example:
        >>> GlobalAveragePooling1D()(np.ones((8, 10, 16))).shape
        (8, 16)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs) -> None:
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        steps = self.spatial_axes
        if mask is None:
            return ops.mean(inputs, axis=steps, keepdims=self.keepdims)
        channel_axis = 2 if self.data_format == "channels_last" else 1
        weights = ops.cast(ops.expand_dims(ops.convert_to_tensor(mask), channel_axis), inputs.dtype)
        kept = ops.where(as_array(weights) > 0, inputs, 0.0)  # a NaN in a masked step stays out
        total = ops.sum(kept, axis=steps, keepdims=self.keepdims)
        return total / ops.sum(weights, axis=steps, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


GlobalAvgPool1D = GlobalAveragePooling1D

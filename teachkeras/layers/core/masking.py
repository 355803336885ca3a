"""`Masking`: mark the time steps that are padding, so the layers after it skip them."""

from __future__ import annotations

from ... import ops
from ..layer import Layer, set_mask


class Masking(Layer):
    """A step is padding when every feature of it equals `mask_value`.

    Shapes: `(batch, steps, features)` in and out; the output carries the mask
    $m_{n,t} = \\exists c: x_{n,t,c} \\neq$ `mask_value` (True for real steps), and the
    padded steps of the output are set to 0. An LSTM after it skips them; so do Dense,
    GlobalAveragePooling1D and the loss.

    Args:
        mask_value: the value that fills a padded step (0.0, as `pad_sequences` writes).

    Example:
        >>> x = np.array([[[1.0, 2.0], [0.0, 0.0]]])      # the second step is padding
        >>> Masking()(x)._keras_mask
        [[True, False]]
    """

    def __init__(self, mask_value=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)  # (batch, steps)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = ops.where(keep, inputs, 0.0)  # (batch, steps, features), padding set to 0
        set_mask(outputs, ops.squeeze(keep, axis=-1))  # (batch, steps): computed once, here
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}

"""`Softmax`: turn scores into probabilities along an axis."""

from __future__ import annotations

from ... import ops
from ...backend.tensor import as_array
from ..layer import Layer


class Softmax(Layer):
    """$y_i = e^{x_i} / \\sum_j e^{x_j}$ along `axis` (the outputs sum to 1).

    `call(inputs, mask=None)`: where `mask` is False the score is ignored and its
    probability is 0, as in Keras 3. The mask must broadcast against the inputs from the
    right (each of its axes 1 or the input's size): an attention mask (batch, 1, keys)
    does; a sequence mask (batch, steps) on scores (batch, steps, units) does not (Keras 3
    refuses it too).
    """

    def __init__(self, axis: int = -1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.softmax(inputs, axis=self.axis)
        keep = self._check_mask(as_array(mask), inputs.shape)
        # a very negative score has probability e^{-1e9} = 0 after softmax
        outputs = ops.softmax(ops.where(keep, inputs, -1e9), axis=self.axis)
        return ops.where(keep, outputs, 0.0)  # 0, even where a whole row is masked

    def _check_mask(self, mask, input_shape):
        """The mask as booleans (a float mask keeps values > 0.5), once its shape is checked."""
        fits = mask.ndim <= len(input_shape) and all(
            m in (1, i) for m, i in zip(mask.shape[::-1], input_shape[::-1], strict=False)
        )
        if not fits:
            raise ValueError(
                f"Softmax layer {self.name!r}: the `mask` must be broadcastable to `inputs`: "
                "each mask axis, counted from the right, must be 1 or match the input's. "
                f"Received: inputs.shape={tuple(input_shape)}, mask.shape={mask.shape}. A "
                "sequence mask (batch, steps) from Embedding(mask_zero=True) does not fit "
                "scores (batch, steps, units): use Activation('softmax'), which ignores masks."
            )
        return mask if mask.dtype == bool else mask > 0.5

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

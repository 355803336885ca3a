"""`TimeDistributed`: apply one layer to every time step, with the same weights."""

from __future__ import annotations

from ... import ops
from ..core.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Apply `layer` to each step of `(batch, steps, ...)` inputs independently.

    The steps are folded into the batch: `(batch, steps, ...)` is reshaped to
    `(batch·steps, ...)`, the layer runs once on that, and its output is reshaped back to
    `(batch, steps, ...)`. Every step shares the layer's weights, so
    `TimeDistributed(Dense(8))` on 10 steps of 4 features has 4 × 8 + 8 = 40 parameters.
    (Keras 3 loops over the steps instead; the numbers are the same, except for a wrapped
    BatchNormalization in training, which here normalizes over batch and steps together.)

    The mask passes through: the output keeps the input's `(batch, steps)` mask, and a
    wrapped layer whose `call` takes a `mask` receives it folded like the inputs.

    Args:
        layer: the layer to apply at each step, e.g. `Dense(8)` or `Conv2D(16, 3)`.

    Example:
        >>> TimeDistributed(Dense(8))(np.ones((32, 10, 4))).shape
        (32, 10, 8)
    """

    def __init__(self, layer, **kwargs) -> None:
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_input_shape(self, input_shape) -> tuple:
        if not isinstance(input_shape, tuple | list) or len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed layer {self.name!r} needs inputs with at least 3 axes "
                f"(batch, steps, features...); received input_shape={input_shape}. For "
                "(batch, features) data, use the wrapped layer on its own."
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape) -> None:
        super().build(self._child_input_shape(input_shape))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_input_shape(input_shape))
        return (child[0], input_shape[1], *child[1:])

    def call(self, inputs, training=None, mask=None):
        batch, steps = inputs.shape[0], inputs.shape[1]
        if mask is not None:
            self._check_mask(mask, inputs.shape)
        folded = ops.reshape(inputs, (batch * steps, *inputs.shape[2:]))  # (batch·steps, ...)
        parameters = self.layer._call_signature.parameters
        kwargs = {}
        if "training" in parameters:
            kwargs["training"] = training
        if "mask" in parameters and mask is not None:
            kwargs["mask"] = ops.reshape(mask, (batch * steps, *mask.shape[2:]))
        outputs = self.layer.call(folded, **kwargs)  # (batch·steps, ...out)
        return ops.reshape(outputs, (batch, steps, *outputs.shape[1:]))  # (batch, steps, ...out)

    def _check_mask(self, mask, input_shape) -> None:
        if mask.ndim < 2 or tuple(mask.shape[:2]) != tuple(input_shape[:2]):
            raise ValueError(
                f"The `mask` passed to the TimeDistributed layer {self.name!r} has shape "
                f"{tuple(mask.shape)}: its first two axes must be the input's (batch, steps) = "
                f"{tuple(input_shape[:2])}."
            )

"""`Conv1DTranspose`: a transposed convolution along one axis, to lengthen a sequence."""

from __future__ import annotations

from .base_conv import arguments_of
from .base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """Each step paints a `kernel_size` stamp, `strides` steps apart: the sequence grows.

    The gradient of a `Conv1D` with respect to its input. Shapes (channels_last): x is
    `(batch, steps, channels)`, the kernel W is `(kernel_size, filters, channels)`
    (filters before channels, as in Keras), y is `(batch, out_steps, filters)` with
    `out_steps = steps * stride` for `padding='same'` and
    `(steps - 1) * stride + max(k_eff, stride)` for `'valid'`, unless `output_padding`
    is given.

    Args: see `BaseConvTranspose` and `BaseConv`.

    Example:
        >>> Conv1DTranspose(8, 3, strides=2, padding="same")(np.zeros((2, 10, 4))).shape
        (2, 20, 8)
    """

    rank = 1

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=1,
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(**arguments_of(locals()))  # BaseConvTranspose checks and stores them


Convolution1DTranspose = Conv1DTranspose  # Keras 3 exports both names

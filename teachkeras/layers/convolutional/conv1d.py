"""`Conv1D`: convolution along one axis (time series, text), $y = f(\\mathrm{conv1d}(x, W) + b)$."""

from __future__ import annotations

from ...backend import conv_ops
from ...legacy import pop_renamed
from .base_conv import BaseConv, take_keras1_arguments


class Conv1D(BaseConv):
    """Slide `filters` kernels of length `kernel_size` along the steps of a sequence.

    Shapes (channels_last): x is `(batch, steps, channels)`, the kernel W is
    `(kernel_size, channels, filters)`, y is `(batch, out_steps, filters)`.
    `padding='causal'` pads only the start, so that output step t sees no input after
    step t (WaveNet-style sequence models); otherwise as `Conv2D` on one axis.

    Args: see `BaseConv`. Keras 1 spellings (`nb_filter`, `filter_length`,
    `subsample_length`, `border_mode`, `init`, `W_regularizer`, `input_dim` +
    `input_length`, ...) are accepted and warn once.

    Example:
        >>> Conv1D(8, 3, padding="causal")(np.zeros((2, 10, 4))).shape
        (2, 10, 8)
    """

    rank = 1
    _allowed_paddings = ("valid", "same", "causal")

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        groups: int = 1,
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
        arguments = dict(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        # Keras 1: Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, ...)
        take_keras1_arguments("Conv1D", kwargs, arguments)
        for old, name in (("filter_length", "kernel_size"), ("subsample_length", "strides")):
            value = pop_renamed(kwargs, "Conv1D", old, f"{name}=")
            if value is not None:
                arguments[name] = value
        if "input_dim" in kwargs and "input_shape" not in kwargs:
            # Keras 1/2: Conv1D(input_dim=channels, input_length=steps) on (steps, channels)
            kwargs["input_shape"] = (kwargs.pop("input_length", None), kwargs.pop("input_dim"))
        super().__init__(**arguments, **kwargs)

    def convolution_op(self, inputs, kernel):
        return conv_ops.conv1d(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )


Convolution1D = Conv1D  # the Keras 1 name

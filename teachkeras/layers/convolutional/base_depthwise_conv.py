"""`BaseDepthwiseConv`: what DepthwiseConv1D and DepthwiseConv2D share.

A depthwise convolution gives each input channel `depth_multiplier` kernels of its own
and never mixes channels: `channels · depth_multiplier` outputs, from
`kernel_size · channels · depth_multiplier` weights (a Conv2D would need
`kernel_size · channels · filters`). The window, shapes, call and messages are
`BaseConv`'s; the weights and the op (`ops.depthwise_conv`) are its own.
"""

from __future__ import annotations

from ... import activations, constraints, initializers, regularizers
from ...backend import depthwise_conv_ops
from ...serialization.keras_objects import serialize_keras_object
from ..layer import Layer
from .base_conv import BaseConv


class BaseDepthwiseConv(BaseConv):
    """An N-D depthwise convolution layer: $y_{\\cdot, cM+m} = f(\\sum_k x_{\\cdot+k, c} W_{k,c,m} + b_{cM+m})$.

    Subclasses set `rank` and declare Keras 3's signature with its defaults.

    Args:
        kernel_size, strides, padding ('valid' or 'same'), data_format, dilation_rate,
            activation, use_bias: as `BaseConv`.
        depth_multiplier: M, the number of kernels (so of output channels) per input channel.
        depthwise_initializer, bias_initializer: how W and b start (glorot_uniform, zeros).
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties on the loss.
        depthwise_constraint, bias_constraint: projections applied after each update.
    """

    def __init__(
        self,
        *,
        kernel_size,
        strides,
        padding,
        depth_multiplier,
        data_format,
        dilation_rate,
        activation,
        use_bias,
        depthwise_initializer,
        bias_initializer,
        depthwise_regularizer,
        bias_regularizer,
        activity_regularizer,
        depthwise_constraint,
        bias_constraint,
        **kwargs,
    ) -> None:
        # Not BaseConv.__init__: there are no `filters` here, and the weights are named apart.
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        if kernel_size is None:
            raise ValueError(f"{owner} needs a `kernel_size`, e.g. {owner}({(3,) * self.rank}).")
        self.depth_multiplier = _positive_int(depth_multiplier, "depth_multiplier")
        self._take_window_arguments(
            kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def output_channels(self, in_channels: int | None) -> int | None:
        """Each input channel gives `depth_multiplier` outputs."""
        return None if in_channels is None else in_channels * self.depth_multiplier

    def add_kernels(self, in_channels: int) -> None:
        """Keras's weights: `kernel` (kernel_size + (in_channels, depth_multiplier)), `bias`."""
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, in_channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.add_bias(in_channels * self.depth_multiplier)

    def convolution_op(self, inputs, kernel):
        """One fused op with its backward (`ops.depthwise_conv`)."""
        return depthwise_conv_ops.depthwise_conv(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def get_config(self) -> dict:
        return {
            **Layer.get_config(self),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": serialize_keras_object(self.depthwise_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "depthwise_regularizer": serialize_keras_object(self.depthwise_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "depthwise_constraint": serialize_keras_object(self.depthwise_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
        }


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a strictly positive value. "
            f"Received {name}={value!r}."
        )
    return value

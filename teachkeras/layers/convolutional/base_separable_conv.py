"""`BaseSeparableConv`: what SeparableConv1D and SeparableConv2D share.

A separable convolution is a depthwise convolution (each channel filtered on its own,
`depth_multiplier` times) followed by a 1×1 convolution that mixes the channels into
`filters` outputs (the "pointwise" step). It learns far fewer weights than a full
convolution of the same size: k·k·C·M + C·M·F against k·k·C·F. Keras's weights are
`depthwise_kernel`, `pointwise_kernel`, `bias`; the op is `ops.separable_conv`.
"""

from __future__ import annotations

from ... import activations, constraints, initializers, regularizers
from ...backend import depthwise_conv_ops
from ...legacy.renames import DIM_ORDERING, Change
from ...serialization.keras_objects import serialize_keras_object
from ..layer import Layer
from .base_conv import BaseConv
from .base_depthwise_conv import _positive_int

# Keras 1: SeparableConvolution2D(nb_filter=32, nb_row=3, nb_col=3, subsample=..., ...)
# (its `init` set both kernels' initializers: `SeparableConvolution2D` reads it.)
KERAS1_SEPARABLE_CONV = {
    "nb_filter": "filters",
    "border_mode": "padding",
    "subsample": "strides",
    "dim_ordering": DIM_ORDERING,
    "b_regularizer": "bias_regularizer",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    ("nb_row", "nb_col"): Change(
        "kernel_size",
        convert=lambda nb_row, nb_col: (nb_row or nb_col, nb_col or nb_row),
        write="kernel_size=(nb_row, nb_col)",
    ),
}


class BaseSeparableConv(BaseConv):
    """An N-D separable convolution layer: $y = f(\\mathrm{pointwise}(\\mathrm{depthwise}(x, D), P) + b)$.

    Subclasses set `rank` and declare Keras 3's signature with its defaults.

    Args:
        filters: the number of output channels (of the pointwise step).
        depth_multiplier: kernels per input channel in the depthwise step.
        kernel_size, strides, padding ('valid' or 'same'), data_format, dilation_rate,
            activation, use_bias: as `BaseConv` (the window is the depthwise step's).
        depthwise_/pointwise_/bias_ initializer, regularizer, constraint: one of each per
            weight; activity_regularizer: a penalty on the output.
    """

    def __init__(
        self,
        *,
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        depth_multiplier,
        activation,
        use_bias,
        depthwise_initializer,
        pointwise_initializer,
        bias_initializer,
        depthwise_regularizer,
        pointwise_regularizer,
        bias_regularizer,
        activity_regularizer,
        depthwise_constraint,
        pointwise_constraint,
        bias_constraint,
        **kwargs,
    ) -> None:
        # Not BaseConv.__init__: two kernels, named apart.
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        if filters is None or kernel_size is None:
            raise ValueError(
                f"{owner} needs `filters` and `kernel_size`, e.g. {owner}(32, {(3,) * self.rank}). "
                f"Received: filters={filters}, kernel_size={kernel_size}"
            )
        self.filters = _positive_int(filters, "filters")
        self.depth_multiplier = _positive_int(depth_multiplier, "depth_multiplier")
        self._take_window_arguments(
            kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def add_kernels(self, in_channels: int) -> None:
        """Keras's weights, in order: `depthwise_kernel` (kernel_size + (C, M)),
        `pointwise_kernel` ((1,) * rank + (C·M, filters)), `bias` (filters,)."""
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, in_channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(*(1,) * self.rank, in_channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.add_bias(self.filters)

    def call(self, inputs):
        self._check_kernel_fits(self._spatial(inputs.shape))
        outputs = depthwise_conv_ops.separable_conv(  # depthwise, then the 1×1 mixing
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )  # (batch, *out_spatial, filters)
        return self.bias_and_activation(outputs)

    def get_config(self) -> dict:
        return {
            **Layer.get_config(self),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": serialize_keras_object(self.depthwise_initializer),
            "pointwise_initializer": serialize_keras_object(self.pointwise_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "depthwise_regularizer": serialize_keras_object(self.depthwise_regularizer),
            "pointwise_regularizer": serialize_keras_object(self.pointwise_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "depthwise_constraint": serialize_keras_object(self.depthwise_constraint),
            "pointwise_constraint": serialize_keras_object(self.pointwise_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
        }

"""`SeparableConv1D`: a depthwise then a pointwise convolution along a sequence."""

from __future__ import annotations

from .base_conv import arguments_of
from .base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """Filter each feature on its own along the steps, then mix the features 1×1.

    Shapes (channels_last): x is `(batch, steps, channels)`; the depthwise kernel is
    `(kernel_size, channels, depth_multiplier)`, the pointwise kernel
    `(1, channels · depth_multiplier, filters)`; y is `(batch, out_steps, filters)`.

    Args: see `BaseSeparableConv`.

    Example:
        >>> SeparableConv1D(8, 3, padding="same")(np.zeros((2, 10, 4))).shape
        (2, 10, 8)
    """

    rank = 1

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        depth_multiplier: int = 1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(**arguments_of(locals()))  # BaseSeparableConv checks and stores them


SeparableConvolution1D = SeparableConv1D  # Keras 2 and 3 export both names

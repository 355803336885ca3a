"""`DepthwiseConv2D`: each channel of an image filtered on its own (MobileNet's first half)."""

from __future__ import annotations

from .base_conv import arguments_of
from .base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """Filter every channel of an image with `depth_multiplier` kernels of its own.

    Shapes (channels_last): x is `(batch, height, width, channels)`, the kernel W is
    `(kh, kw, channels, depth_multiplier)`, y is
    `(batch, out_height, out_width, channels · depth_multiplier)`, output channel
    `c · depth_multiplier + m` being channel c filtered by its m-th kernel; the sizes as
    for `Conv2D`. So `DepthwiseConv2D(3)` on 32 channels has 3·3·32 + 32 = 320
    parameters, where `Conv2D(32, 3)` has 9248.

    Args: see `BaseDepthwiseConv`.

    Example:
        >>> DepthwiseConv2D(3, padding="same")(np.zeros((2, 28, 28, 32))).shape
        (2, 28, 28, 32)
    """

    rank = 2

    def __init__(
        self,
        kernel_size=None,
        strides=(1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(**arguments_of(locals()))  # BaseDepthwiseConv checks and stores them

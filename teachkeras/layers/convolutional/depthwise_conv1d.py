"""`DepthwiseConv1D`: each channel of a sequence filtered on its own."""

from __future__ import annotations

from .base_conv import arguments_of
from .base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """Filter every feature of a sequence with `depth_multiplier` kernels of its own.

    Shapes (channels_last): x is `(batch, steps, channels)`, the kernel W is
    `(kernel_size, channels, depth_multiplier)`, y is
    `(batch, out_steps, channels · depth_multiplier)`; the sizes as for `Conv1D`.

    Args: see `BaseDepthwiseConv`.

    Example:
        >>> DepthwiseConv1D(3, depth_multiplier=2)(np.zeros((2, 10, 4))).shape
        (2, 8, 8)
    """

    rank = 1

    def __init__(
        self,
        kernel_size=None,
        strides=1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate=1,
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

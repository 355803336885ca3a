"""`SeparableConv2D`: a depthwise then a pointwise convolution (Xception, MobileNet)."""

from __future__ import annotations

from ...legacy import warn_once
from ...legacy.renames import accepts_renamed
from .base_conv import arguments_of, keras1_positional
from .base_separable_conv import KERAS1_SEPARABLE_CONV, BaseSeparableConv


@accepts_renamed(KERAS1_SEPARABLE_CONV)  # Keras 1 spellings, translated first
class SeparableConv2D(BaseSeparableConv):
    """Filter each channel of an image on its own, then mix the channels 1×1.

    Shapes (channels_last): x is `(batch, height, width, channels)`; the depthwise kernel
    is `(kh, kw, channels, depth_multiplier)`, the pointwise kernel
    `(1, 1, channels · depth_multiplier, filters)`; y is
    `(batch, out_height, out_width, filters)`, the sizes as for `Conv2D`. So
    `SeparableConv2D(64, 3)` on 32 channels has 3·3·32 + 32·64 + 64 = 2400 parameters,
    where `Conv2D(64, 3)` has 18496.

    Args: see `BaseSeparableConv`. Keras 1 spellings (`nb_filter`, `nb_row`, `nb_col`,
    `subsample`, `border_mode`, `dim_ordering`, `b_regularizer`, `bias`, ...) are
    accepted and warn once.

    Example:
        >>> SeparableConv2D(64, 3, padding="same")(np.zeros((2, 28, 28, 32))).shape
        (2, 28, 28, 64)
    """

    rank = 2

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=(1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=(1, 1),
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


# Keras 1's positional arguments after (nb_filter, nb_row, nb_col), in order.
_KERAS1_POSITIONAL = (
    "init",
    "activation",
    "weights",
    "border_mode",
    "subsample",
    "depth_multiplier",
    "dim_ordering",
    "depthwise_regularizer",
    "pointwise_regularizer",
    "b_regularizer",
    "activity_regularizer",
    "depthwise_constraint",
    "pointwise_constraint",
    "b_constraint",
    "bias",
)


def SeparableConvolution2D(*args, **kwargs) -> SeparableConv2D:
    """Keras's other name of `SeparableConv2D` (Keras 1's only one): returns one.

    Keras 1 wrote `SeparableConvolution2D(32, 3, 3, init='he_normal')`: nb_filter, nb_row,
    nb_col, and one `init` for both kernels. Those are read that way, with a warning.
    """
    args, kwargs = keras1_positional(
        "SeparableConvolution2D",
        "SeparableConv2D",
        args,
        kwargs,
        ("nb_row", "nb_col"),
        _KERAS1_POSITIONAL,
    )
    init = kwargs.pop("init", None)
    if init is not None:
        warn_once(
            "SeparableConvolution2D.init",
            "SeparableConvolution2D(init=...) is the Keras 1 spelling; write "
            "SeparableConv2D(depthwise_initializer=..., pointwise_initializer=...) instead.",
        )
        kwargs = {"depthwise_initializer": init, "pointwise_initializer": init, **kwargs}
    return SeparableConv2D(*args, **kwargs)

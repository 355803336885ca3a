"""`Conv2D`: the image convolution layer, $y = f(\\mathrm{conv2d}(x, W) + b)$."""

from __future__ import annotations

from ...legacy import warn_once
from ...legacy.renames import Change, accepts_renamed
from .base_conv import KERAS1_CONV, BaseConv, arguments_of, keras1_positional


def _kernel_size(nb_row, nb_col):
    return (nb_row or nb_col, nb_col or nb_row)


# Keras 1: Conv2D(nb_filter=32, nb_row=3, nb_col=3, subsample=(2, 2), border_mode='same', ...)
KERAS1_CONV2D = {
    **KERAS1_CONV,
    ("nb_row", "nb_col"): Change(
        "kernel_size", convert=_kernel_size, write="kernel_size=(nb_row, nb_col)"
    ),
    "subsample": "strides",
}


@accepts_renamed(KERAS1_CONV2D)  # old spellings become today's before __init__ runs
class Conv2D(BaseConv):
    """Slide `filters` kernels of `kernel_size` over an image; each gives one output channel.

    Shapes (channels_last): x is `(batch, height, width, channels)`, the kernel W is
    `(kh, kw, channels, filters)`, b is `(filters,)`, y is
    `(batch, out_height, out_width, filters)` with, per spatial axis,
    `out = (size - (k - 1) * dilation - 1) // stride + 1` for `padding='valid'` and
    `out = ceil(size / stride)` for `padding='same'`. So `Conv2D(32, (3, 3))` on
    28×28×1 images has 3·3·1·32 + 32 = 320 parameters and gives 26×26×32.

    Args: see `BaseConv` (filters, kernel_size, strides, padding, data_format,
    dilation_rate, groups, activation, use_bias, initializers, regularizers, constraints).
    Keras 1 spellings (`nb_filter`, `nb_row`, `nb_col`, `border_mode`, `subsample`,
    `init`, `W_regularizer`, `dim_ordering`, ...) are accepted and warn once.

    Example:
        >>> layer = Conv2D(32, (3, 3), activation="relu")
        >>> layer(np.zeros((2, 28, 28, 1))).shape
        (2, 26, 26, 32)
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
        super().__init__(**arguments_of(locals()))  # BaseConv checks and stores them all


# Keras 1's positional arguments after (nb_filter, nb_row, nb_col), in order.
_KERAS1_POSITIONAL = (
    "init",
    "activation",
    "weights",
    "border_mode",
    "subsample",
    "dim_ordering",
    "W_regularizer",
    "b_regularizer",
    "activity_regularizer",
    "W_constraint",
    "b_constraint",
    "bias",
)


def Convolution2D(*args, **kwargs) -> Conv2D:
    """The Keras 1 name of `Conv2D`: returns a `Conv2D`.

    Keras 1 code writes `Convolution2D(32, 3, 3, border_mode='same')`: 32 filters of
    3×3 (nb_filter, nb_row, nb_col). With this name, two integers after the filters
    are read that way (with a warning); with `Conv2D` the third argument is `strides`,
    as in Keras 3.
    """
    args, kwargs = keras1_positional(
        "Convolution2D", "Conv2D", args, kwargs, ("nb_row", "nb_col"), _KERAS1_POSITIONAL
    )
    return Conv2D(*args, **kwargs)


# Keras 1's AtrousConvolution2D positional arguments after (nb_filter, nb_row, nb_col).
_KERAS1_ATROUS_POSITIONAL = (
    "init",
    "activation",
    "weights",
    "border_mode",
    "subsample",
    "atrous_rate",
    *_KERAS1_POSITIONAL[5:],  # dim_ordering, W_regularizer, ...
)


def AtrousConvolution2D(*args, **kwargs) -> Conv2D:
    """Keras 1's dilated convolution (Keras 2: `AtrousConv2D`): returns a `Conv2D`.

    `AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2))` is `Conv2D(64, (3, 3),
    dilation_rate=(2, 2))`: the kernel's taps are spread 2 pixels apart ("à trous": with
    holes), so it sees a 5×5 area with 3×3 weights.
    """
    args, kwargs = keras1_positional(
        "AtrousConvolution2D",
        "Conv2D",
        args,
        kwargs,
        ("nb_row", "nb_col"),
        _KERAS1_ATROUS_POSITIONAL,
    )
    rate = kwargs.pop("atrous_rate", 1)
    warn_once(
        "AtrousConvolution2D",
        f"AtrousConvolution2D(..., atrous_rate={rate!r}) is the Keras 1 spelling; write "
        f"Conv2D(..., dilation_rate={rate!r}) instead.",
    )
    return Conv2D(*args, dilation_rate=rate, **kwargs)


AtrousConv2D = AtrousConvolution2D  # Keras 2's short name

"""`Conv1D`: convolution along one axis (time series, text), $y = f(\\mathrm{conv1d}(x, W) + b)$."""

from __future__ import annotations

from ...legacy import warn_once
from ...legacy.renames import Change, accepts_renamed
from .base_conv import KERAS1_CONV, BaseConv, arguments_of, keras1_positional


def _input_shape(input_dim, input_length):
    return None if input_dim is None else (input_length, input_dim)


# Keras 1: Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, input_dim=5, ...)
KERAS1_CONV1D = {
    **KERAS1_CONV,
    "filter_length": "kernel_size",
    "subsample_length": "strides",
    ("input_dim", "input_length"): Change(
        "input_shape", convert=_input_shape, write="input_shape=(input_length, input_dim)"
    ),
}


@accepts_renamed(KERAS1_CONV1D)  # old spellings become today's before __init__ runs
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
        super().__init__(**arguments_of(locals()))  # BaseConv checks and stores them all


Convolution1D = Conv1D  # the Keras 1 name


# Keras 1's AtrousConvolution1D positional arguments after (nb_filter, filter_length).
_KERAS1_ATROUS_POSITIONAL = (
    "init",
    "activation",
    "weights",
    "border_mode",
    "subsample_length",
    "atrous_rate",
    "W_regularizer",
    "b_regularizer",
    "activity_regularizer",
    "W_constraint",
    "b_constraint",
    "bias",
)


def AtrousConvolution1D(*args, **kwargs) -> Conv1D:
    """Keras 1's dilated 1-D convolution (Keras 2: `AtrousConv1D`): returns a `Conv1D`.

    `AtrousConvolution1D(32, 2, atrous_rate=4)` is `Conv1D(32, 2, dilation_rate=4)`, the
    building block of WaveNet-style sequence models.
    """
    args, kwargs = keras1_positional(
        "AtrousConvolution1D", "Conv1D", args, kwargs, ("filter_length",), _KERAS1_ATROUS_POSITIONAL
    )
    rate = kwargs.pop("atrous_rate", 1)
    warn_once(
        "AtrousConvolution1D",
        f"AtrousConvolution1D(..., atrous_rate={rate!r}) is the Keras 1 spelling; write "
        f"Conv1D(..., dilation_rate={rate!r}) instead.",
    )
    return Conv1D(*args, dilation_rate=rate, **kwargs)


AtrousConv1D = AtrousConvolution1D  # Keras 2's short name

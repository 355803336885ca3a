"""`Conv2DTranspose`: the convolution run backwards, to grow an image (decoders, U-Nets)."""

from __future__ import annotations

from ...legacy import warn_once
from ...legacy.renames import accepts_renamed
from .base_conv import KERAS1_CONV, arguments_of, keras1_positional
from .base_conv_transpose import BaseConvTranspose


@accepts_renamed({**KERAS1_CONV, "subsample": "strides"})  # Keras 1 spellings, translated first
class Conv2DTranspose(BaseConvTranspose):
    """Each input pixel paints a `kernel_size` stamp, `strides` apart: the image grows.

    It is the gradient of a `Conv2D` with respect to its input, so it maps a shape a
    convolution would produce back to the shape it came from. Shapes (channels_last):
    x is `(batch, height, width, channels)`, the kernel W is
    `(kh, kw, filters, channels)` (note: filters before channels, as in Keras), y is
    `(batch, out_height, out_width, filters)` with, per spatial axis,
    `out = size * stride` for `padding='same'` and
    `out = (size - 1) * stride + max(k_eff, stride)` for `padding='valid'`
    (`k_eff = (k - 1) * dilation + 1`), unless `output_padding` is given.

    Args:
        output_padding: int or tuple: extra rows/columns at the end of the output, each
            smaller than its stride (None: the sizes above).
        The others as `Conv2D` (there is no `groups`).

    Example:
        >>> Conv2DTranspose(16, 3, strides=2, padding="same")(np.zeros((2, 7, 7, 8))).shape
        (2, 14, 14, 16)
    """

    rank = 2

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=(1, 1),
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=(1, 1),
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


Convolution2DTranspose = Conv2DTranspose  # Keras 3 exports both names

# Keras 1's positional arguments after (nb_filter, nb_row, nb_col, output_shape), in order.
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


def Deconvolution2D(*args, output_shape=None, **kwargs) -> Conv2DTranspose:
    """The Keras 1 and 2 name of `Conv2DTranspose` (Keras 2 also had `Deconv2D`): returns one.

    Keras 1 wrote `Deconvolution2D(64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2))`:
    nb_filter, nb_row, nb_col, and the output shape it could not yet compute. Keras 2 and 3
    compute the output shape themselves, so `output_shape` is dropped (with a warning);
    the other Keras 1 arguments are translated as for `Conv2DTranspose`.
    """
    warn_once(
        "Deconvolution2D",
        "Deconvolution2D is the Keras 1/2 name of Conv2DTranspose; write Conv2DTranspose(...) "
        "instead (the same layer).",
    )
    if len(args) >= 4 and all(type(a) is int for a in args[1:3]):  # Keras 1: the output shape
        output_shape, args = args[3], args[:3] + args[4:]
    if output_shape is not None:
        warn_once(
            "Deconvolution2D.output_shape",
            "Deconvolution2D(output_shape=...) is gone since Keras 2: the layer computes its "
            "output shape from strides and padding (use output_padding=... to add a row or "
            "column at the end).",
        )
    args, kwargs = keras1_positional(
        "Deconvolution2D",
        "Conv2DTranspose",
        args,
        kwargs,
        ("nb_row", "nb_col"),
        _KERAS1_POSITIONAL,
    )
    return Conv2DTranspose(*args, **kwargs)


Deconv2D = Deconvolution2D  # Keras 2's short name

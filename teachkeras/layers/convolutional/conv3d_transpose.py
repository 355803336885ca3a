"""`Conv3DTranspose`: a transposed convolution over volumes (3-D decoders, video)."""

from __future__ import annotations

from ...legacy import warn_once
from ...legacy.renames import accepts_renamed
from .base_conv import KERAS1_CONV, arguments_of
from .base_conv_transpose import BaseConvTranspose


@accepts_renamed({**KERAS1_CONV, "subsample": "strides"})  # Keras 1 spellings, translated first
class Conv3DTranspose(BaseConvTranspose):
    """Each input voxel paints a `kernel_size` stamp, `strides` apart: the volume grows.

    The gradient of a `Conv3D` with respect to its input. Shapes (channels_last): x is
    `(batch, depth, height, width, channels)`, the kernel W is
    `(kd, kh, kw, filters, channels)` (filters before channels, as in Keras), y is
    `(batch, out_depth, out_height, out_width, filters)`, each size as for
    `Conv2DTranspose`.

    Args: see `BaseConvTranspose` (note Keras 3's order: `data_format` comes before
    `output_padding` here, unlike Conv1DTranspose and Conv2DTranspose).

    Example:
        >>> Conv3DTranspose(4, 3, strides=2, padding="same")(np.zeros((1, 4, 5, 6, 2))).shape
        (1, 8, 10, 12, 4)
    """

    rank = 3

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=(1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        output_padding=None,
        dilation_rate=(1, 1, 1),
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


Convolution3DTranspose = Conv3DTranspose  # Keras 3 exports both names


def Deconvolution3D(*args, **kwargs) -> Conv3DTranspose:
    """Keras 2's name of `Conv3DTranspose` (also `Deconv3D`): returns a `Conv3DTranspose`."""
    warn_once(
        "Deconvolution3D",
        "Deconvolution3D is the Keras 2 name of Conv3DTranspose; write Conv3DTranspose(...) "
        "instead (the same layer).",
    )
    return Conv3DTranspose(*args, **kwargs)


Deconv3D = Deconvolution3D  # Keras 2's short name

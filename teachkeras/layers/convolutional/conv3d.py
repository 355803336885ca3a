"""`Conv3D`: convolution over volumes (medical scans, video clips), $y = f(\\mathrm{conv}(x, W) + b)$."""

from __future__ import annotations

from ...legacy.renames import Change, accepts_renamed
from .base_conv import KERAS1_CONV, BaseConv, arguments_of, keras1_positional

# Keras 1: Convolution3D(nb_filter=8, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3, subsample=...)
KERAS1_CONV3D = {
    **KERAS1_CONV,
    ("kernel_dim1", "kernel_dim2", "kernel_dim3"): Change(
        "kernel_size",
        convert=lambda d1, d2, d3: (d1, d2, d3),
        write="kernel_size=(kernel_dim1, kernel_dim2, kernel_dim3)",
    ),
    "subsample": "strides",
}


@accepts_renamed(KERAS1_CONV3D)  # old spellings become today's before __init__ runs
class Conv3D(BaseConv):
    """Slide `filters` kernels of `kernel_size` through a volume; each gives one output channel.

    Shapes (channels_last): x is `(batch, depth, height, width, channels)`, the kernel W
    is `(kd, kh, kw, channels, filters)`, b is `(filters,)`, y is
    `(batch, out_depth, out_height, out_width, filters)`, each size as for `Conv2D`.
    The arithmetic is `Conv2D`'s with one more window axis: one GEMM on a patch matrix
    with kd·kh·kw·channels columns.

    Args: see `BaseConv`. Keras 1 spellings (`nb_filter`, `kernel_dim1..3`, `subsample`,
    `border_mode`, `init`, `W_regularizer`, `dim_ordering`, ...) are accepted and warn once.

    Example:
        >>> Conv3D(8, 3, padding="same")(np.zeros((2, 6, 16, 16, 1))).shape
        (2, 6, 16, 16, 8)
    """

    rank = 3

    def __init__(
        self,
        filters: int | None = None,
        kernel_size=None,
        strides=(1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=(1, 1, 1),
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


# Keras 1's positional arguments after (nb_filter, kernel_dim1, kernel_dim2, kernel_dim3).
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


def Convolution3D(*args, **kwargs) -> Conv3D:
    """Keras's other name of `Conv3D` (Keras 1's only one): returns a `Conv3D`.

    Keras 1 wrote `Convolution3D(32, 3, 3, 3)`: 32 filters of 3×3×3 (nb_filter,
    kernel_dim1, kernel_dim2, kernel_dim3). With this name, three integers after the
    filters are read that way, with a warning; `Convolution3D(32, (3, 3, 3))` is Keras 3's.
    """
    args, kwargs = keras1_positional(
        "Convolution3D",
        "Conv3D",
        args,
        kwargs,
        ("kernel_dim1", "kernel_dim2", "kernel_dim3"),
        _KERAS1_POSITIONAL,
    )
    return Conv3D(*args, **kwargs)

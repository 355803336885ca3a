"""`Conv2DTranspose`: the convolution run backwards, to grow an image (decoders, U-Nets)."""

from __future__ import annotations

from ...backend import conv_ops
from ...legacy.renames import accepts_renamed
from .base_conv import KERAS1_CONV, BaseConv, arguments_of, standardize_tuple


@accepts_renamed({**KERAS1_CONV, "subsample": "strides"})  # Keras 1 spellings, translated first
class Conv2DTranspose(BaseConv):
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
        arguments = arguments_of(locals())
        del arguments["output_padding"]  # ours alone: BaseConv checks and stores the rest
        if "groups" in arguments:  # as in Keras: a transposed convolution has no groups
            raise TypeError(
                "Unrecognized keyword arguments passed to Conv2DTranspose: "
                f"{{'groups': {arguments['groups']!r}}}"
            )
        super().__init__(groups=1, **arguments)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, 2, "output_padding", allow_zero=True
            )
            for i, (extra, stride) in enumerate(
                zip(self.output_padding, self.strides, strict=True)
            ):
                if extra >= stride:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {extra} but "
                        f"`strides` is {stride}. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}"
                    )

    def kernel_shape(self, in_channels: int) -> tuple[int, ...]:
        """Keras's layout for a transposed kernel: kernel_size + (filters, in_channels)."""
        return (*self.kernel_size, self.filters, in_channels)

    def _output_spatial(self, spatial: tuple) -> tuple:
        extra = self.output_padding or (None,) * self.rank
        return tuple(
            None
            if size is None
            else conv_ops.conv_transpose_output_size(
                size,
                self.kernel_size[i],
                self.strides[i],
                self.padding,
                extra[i],
                self.dilation_rate[i],
            )
            for i, size in enumerate(spatial)
        )

    def _check_kernel_fits(self, spatial: tuple) -> None:
        """Any kernel fits: a transposed convolution only grows its input."""

    def convolution_op(self, inputs, kernel):
        return conv_ops.conv2d_transpose(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["groups"]  # Keras's Conv2DTranspose has none
        # Keras's key order: output_padding right after padding
        keys = list(config)
        keys.insert(keys.index("padding") + 1, "output_padding")
        config["output_padding"] = self.output_padding
        return {key: config[key] for key in keys}


Convolution2DTranspose = Conv2DTranspose  # Keras 3 exports both names

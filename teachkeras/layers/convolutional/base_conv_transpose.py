"""`BaseConvTranspose`: what Conv1DTranspose, Conv2DTranspose and Conv3DTranspose share.

A transposed convolution is the gradient of a convolution with respect to its input:
each input pixel paints a kernel-sized stamp, `strides` apart, so the output grows. The
arithmetic is `ops.conv_transpose` (in `teachkeras/backend/conv_ops.py`, the same im2col
machinery as `conv`, read backwards); this file adds `output_padding` to `BaseConv` and
says how large the output is.
"""

from __future__ import annotations

from ...backend import conv_ops
from .base_conv import BaseConv, standardize_tuple


class BaseConvTranspose(BaseConv):
    """An N-D transposed convolution layer: $y = f(\\mathrm{conv\\_transpose}(x, W) + b)$.

    Output size per spatial axis (k_eff = (k - 1) · dilation + 1):
    `size * stride` for `padding='same'`, `(size - 1) * stride + max(k_eff, stride)` for
    `padding='valid'`, unless `output_padding` says how many extra cells to keep at the end.

    Args:
        output_padding: int or tuple: extra cells at the end of each spatial axis, each
            smaller than its stride (None: the sizes above).
        The others as `BaseConv` (there is no `groups`).
    """

    def __init__(self, *, output_padding=None, **arguments) -> None:
        if "groups" in arguments:  # as in Keras: a transposed convolution has no groups
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{{'groups': {arguments['groups']!r}}}"
            )
        super().__init__(groups=1, **arguments)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, self.rank, "output_padding", allow_zero=True
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
        return conv_ops.conv_transpose(
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
        del config["groups"]  # Keras's transposed convolutions have none
        # Keras's key order: output_padding right after padding
        keys = list(config)
        keys.insert(keys.index("padding") + 1, "output_padding")
        config["output_padding"] = self.output_padding
        return {key: config[key] for key in keys}

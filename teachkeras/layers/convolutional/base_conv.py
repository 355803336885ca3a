"""`BaseConv`: what every convolution layer shares (Conv1D/2D/3D, their transposes, the
depthwise and separable ones).

A convolution layer is `y = activation(conv(x, W) + b)`: a kernel `W` of shape
`kernel_size + (in_channels, filters)` slid over the input, one bias per filter.
The window (kernel_size, strides, padding, dilation_rate, data_format), the shapes, the
call and the error messages are the same for every family; each family says what its
weights are (`add_kernels`) and which op slides them (`convolution_op`).
The arithmetic lives in `teachkeras.backend.conv_ops` (one fused op with its
backward); this file does the layer's side: arguments, weights, shapes, config,
and the error messages a learner meets first.
"""

from __future__ import annotations

from ... import activations, constraints, initializers, ops, regularizers
from ...backend import conv_ops
from ...backend.config import standardize_data_format
from ...backend.conv_ops import standardize_padding, standardize_tuple
from ...legacy import warn_once
from ...legacy.renames import DIM_ORDERING, KERAS1_KERNEL_AND_BIAS, Change
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec, assert_input_compatibility
from ..layer import Layer


def _padding(border_mode):
    if str(border_mode).lower() == "full":
        raise ValueError(
            "border_mode='full' was removed in Keras 2. Pad first with "
            "ZeroPadding2D(kernel_size - 1), then use padding='valid'."
        )
    return border_mode


# Keras 1 spellings every convolution layer accepts; each class adds its own (legacy/renames.py).
KERAS1_CONV = {
    "nb_filter": "filters",
    "border_mode": Change("padding", convert=_padding),
    **KERAS1_KERNEL_AND_BIAS,
    "dim_ordering": DIM_ORDERING,
}


def arguments_of(local_names: dict) -> dict:
    """A constructor's arguments, from `locals()` taken first thing in it: all but `self`,
    with `**kwargs` spread out. Conv1D, Conv2D, ... hand theirs to BaseConv this way."""
    own = {k: v for k, v in local_names.items() if k not in ("self", "kwargs", "__class__")}
    return {**own, **local_names.get("kwargs", {})}


def keras1_positional(
    owner: str, modern: str, args: tuple, kwargs: dict, kernel_names: tuple, after: tuple
) -> tuple[tuple, dict]:
    """Read Keras 1's positional arguments, `Convolution2D(32, 3, 3, 'glorot_uniform', ...)`.

    Keras 1 gave the kernel size as one integer per axis after the filters (`kernel_names`,
    e.g. nb_row, nb_col), then `after` (init, activation, ...) in its own order. When the
    integers are there, they become today's `kernel_size` tuple, the rest are passed by
    name (translated by the class's table), and a warning shows the modern line.
    Returns the (args, kwargs) for today's constructor.
    """
    count = len(kernel_names)
    sizes = args[1 : 1 + count]
    keras1 = len(sizes) == count and all(type(a) is int for a in sizes)
    if not keras1 or (count == 1 and len(args) <= 2):  # (filters, kernel_size): the same today
        return args, kwargs
    if len(args) > 1 + count + len(after):
        raise TypeError(f"{owner} got too many positional arguments: {args}")
    kernel_size = sizes if count > 1 else sizes[0]
    warn_once(
        f"{owner}.positional",
        f"{owner}({args[0]}, {', '.join(map(str, sizes))}, ...) is the Keras 1 spelling "
        f"(nb_filter, {', '.join(kernel_names)}, ...); write {modern}({args[0]}, {kernel_size}) "
        "instead, with any other argument by name.",
    )
    kwargs = {**kwargs, **dict(zip(after, args[1 + count :], strict=False))}
    return (args[0], kernel_size), kwargs


class BaseConv(Layer):
    """An N-D convolution layer: $y = f(\\mathrm{conv}(x, W) + b)$.

    Subclasses set `rank` (1, 2 or 3) and declare Keras 3's signature with its defaults;
    they hand every argument on with `arguments_of(locals())`.

    Args:
        filters: number of output channels (one kernel each).
        kernel_size: int or tuple of `rank` ints: the window's size.
        strides: int or tuple: the step between windows. `strides > 1` and
            `dilation_rate > 1` cannot be combined (as in Keras).
        padding: `'valid'` (no padding: the output shrinks by kernel_size - 1) or
            `'same'` (zeros around: with strides 1 the output keeps the input's size).
        data_format: `'channels_last'` (batch, ..., channels) or `'channels_first'`
            (batch, channels, ...); default `keras.config.image_data_format()`.
        dilation_rate: int or tuple: the gap between kernel taps (an "atrous" kernel).
        groups: only 1 (an ordinary convolution) is supported here.
        activation: applied to the output (default: none).
        use_bias: whether to add one bias per filter.
        kernel_initializer, bias_initializer: how W and b start (glorot_uniform, zeros).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties on the loss.
        kernel_constraint, bias_constraint: projections applied after each update.
    """

    rank = 2
    _allowed_paddings = ("valid", "same")

    def __init__(
        self,
        *,
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        groups,
        activation,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer,
        bias_regularizer,
        activity_regularizer,
        kernel_constraint,
        bias_constraint,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ) -> None:
        owner = type(self).__name__
        if lora_rank or lora_alpha:
            raise ValueError(
                f"{owner}(lora_rank=..., lora_alpha=...) is not supported by teachkeras."
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if filters is None or kernel_size is None:
            example = "(32, 3)" if self.rank == 1 else f"(32, {(3,) * self.rank})"
            raise ValueError(
                f"{owner} needs `filters` and `kernel_size`, e.g. {owner}{example}. "
                f"Received: filters={filters}, kernel_size={kernel_size}"
            )
        if isinstance(filters, bool) or int(filters) != filters or filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )
        if groups != 1:
            raise ValueError(
                f"{owner}: teachkeras implements ordinary convolutions only (groups=1); a grouped "
                f"convolution splits the channels into `groups` independent convolutions. "
                f"Received: groups={groups}. Use groups=1, or split the channels into that many "
                f"slices yourself, one {owner} each, and join them with Concatenate."
            )
        self.filters = int(filters)
        self.groups = 1
        self._take_window_arguments(
            kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def _take_window_arguments(
        self, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
    ) -> None:
        """Check and store what every convolution has: its window, layout and activation."""
        self.kernel_size = standardize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = standardize_tuple(strides, self.rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, self.rank, "dilation_rate")
        self.padding = standardize_padding(padding, self._allowed_paddings)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    # --- shapes --------------------------------------------------------------------------
    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _spatial(self, shape) -> tuple:
        """The spatial sizes of a full input shape (batch and channels dropped)."""
        return tuple(shape[1:-1] if self.data_format == "channels_last" else shape[2:])

    def _with_channels(self, batch, spatial, channels) -> tuple:
        if self.data_format == "channels_last":
            return (batch, *spatial, channels)
        return (batch, channels, *spatial)

    def kernel_shape(self, in_channels: int) -> tuple[int, ...]:
        """Keras's layout: kernel_size + (in_channels, filters)."""
        return (*self.kernel_size, in_channels, self.filters)

    def _pads(self, size: int, i: int) -> tuple[int, int]:
        if self.padding == "same":
            return conv_ops.same_padding(
                size, self.kernel_size[i], self.strides[i], self.dilation_rate[i]
            )
        if self.padding == "causal":
            return (
                conv_ops.effective_kernel_size(self.kernel_size[i], self.dilation_rate[i]) - 1,
                0,
            )
        return (0, 0)

    def _output_spatial(self, spatial: tuple) -> tuple:
        """Output size of each spatial axis (None stays None); checks the kernel fits."""
        self._check_kernel_fits(spatial)
        return tuple(
            None
            if size is None
            else conv_ops.conv_output_size(
                size,
                self.kernel_size[i],
                self.strides[i],
                self._pads(size, i),
                self.dilation_rate[i],
            )
            for i, size in enumerate(spatial)
        )

    def output_channels(self, in_channels: int | None) -> int | None:
        """How many channels come out: `filters` (a depthwise layer: in_channels · M)."""
        return self.filters

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = self._output_spatial(self._spatial(input_shape))
        channels = self.output_channels(input_shape[self._channel_axis])
        return self._with_channels(input_shape[0], spatial, channels)

    def _check_kernel_fits(self, spatial: tuple) -> None:
        """A window larger than the padded input has nowhere to go: say so, and what fits."""
        reach = tuple(
            conv_ops.effective_kernel_size(k, d)
            for k, d in zip(self.kernel_size, self.dilation_rate, strict=True)
        )
        padded = tuple(
            None if size is None else size + sum(self._pads(size, i))
            for i, size in enumerate(spatial)
        )
        if all(p is None or p >= r for p, r in zip(padded, reach, strict=True)):
            return
        dilated = (
            ""
            if max(self.dilation_rate) == 1
            else f" (dilation_rate={self.dilation_rate} spreads it over {reach} pixels)"
        )
        raise ValueError(
            f"{type(self).__name__} layer {self.name!r}: its kernel {self.kernel_size}{dilated} is "
            f"larger than its input's spatial size {spatial} with padding={self.padding!r}, so the "
            f"output would be empty. padding='same' would fit (the output would be "
            f"{tuple(None if s is None else -(-s // st) for s, st in zip(spatial, self.strides, strict=True))}); "
            "or use a smaller kernel_size, or a larger input (less pooling before this layer)."
        )

    # --- weights -------------------------------------------------------------------------
    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        # the rank first: a missing channel axis must be reported as such, not as a size error
        assert_input_compatibility(
            self.input_spec, input_shape, self.name, 0, self._input_hint(input_shape)
        )
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} needs to know its number of input "
                f"channels (the {'last' if self._channel_axis == -1 else 'second'} axis), but "
                f"got shape {input_shape}."
            )
        self.compute_output_shape(input_shape)  # checks the kernel fits before making weights
        self.add_kernels(channels)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.built = True

    def add_kernels(self, in_channels: int) -> None:
        """The weights, in Keras's order and names: `kernel`, then `bias` (one per filter)."""
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_shape(in_channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.add_bias(self.filters)

    def add_bias(self, size: int) -> None:
        """`bias`, one per output channel (None when `use_bias=False`)."""
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    # --- forward -------------------------------------------------------------------------
    def convolution_op(self, inputs, kernel):
        """The convolution itself, one fused op with its backward (`ops.conv`)."""
        return conv_ops.conv(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def call(self, inputs):
        self._check_kernel_fits(self._spatial(inputs.shape))  # the spatial size may differ per call
        outputs = self.convolution_op(inputs, self.kernel)  # (batch, *out_spatial, filters)
        return self.bias_and_activation(outputs)

    def bias_and_activation(self, outputs):
        """`activation(outputs + bias)`, the bias broadcast over batch and pixels."""
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":  # (filters,) -> (1, filters, 1, ...)
                bias = ops.reshape(bias, (1, -1) + (1,) * self.rank)
            outputs = outputs + bias
        return self.activation(outputs) if self.activation is not None else outputs

    # --- messages ------------------------------------------------------------------------
    def _input_hint(self, shape) -> str:
        name = type(self).__name__
        shape = tuple(shape)
        if (
            len(shape) == self.rank + 1
        ):  # the usual mistake: grayscale images without a channel axis
            sizes = shape[1:]
            if self.data_format == "channels_last":
                fix, reshape = "x[..., None]", (*sizes, 1)
            else:
                fix, reshape = "x[:, None]", (1, *sizes)
            return (
                f" {name} expects {self._layout()}: a channel axis is missing: use {fix} or "
                f"Reshape({reshape})."
            )
        if len(shape) == self.rank + 2 and isinstance(self.input_spec, InputSpec):
            expected = self.input_spec.axes.get(self._channel_axis)
            if expected is not None:
                return (
                    f" The layer was built for {expected} input channels, but the data has "
                    f"{shape[self._channel_axis]} (data_format={self.data_format!r})."
                )
        return f" {name} expects {self._layout()}."

    def _layout(self) -> str:
        spatial = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}[
            self.rank
        ]
        return "a batch of shape " + str(self._with_channels("batch", spatial, "channels")).replace(
            "'", ""
        )

    # --- config --------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
        }

"""`EinsumDense`: a Dense layer whose product is written as an einsum equation.

`Dense` multiplies the last axis of its input by a matrix. `EinsumDense` lets the
equation say which axes meet the kernel and which come out, so one layer can map a
feature axis to several axes (the heads of `MultiHeadAttention`) or several to one:

    "ab,bc->ac"        Dense: (batch, in) · (in, units) -> (batch, units)
    "abc,cde->abde"    each time step's features to (heads, key_dim): attention's projection
    "...b,bc->...c"    Dense on any number of leading axes ("..." stands for them)

Each letter names an axis. A letter of the input and the kernel that is not in the
output is summed over (the contraction); a letter in the kernel and the output is a new
axis whose size `output_shape` gives. The kernel's shape follows from the equation.
"""

from __future__ import annotations

import re

from ... import activations, constraints, initializers, ops, regularizers
from ...initializers.random_initializers import VarianceScaling
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec
from ..layer import Layer


class EinsumDense(Layer):
    """A dense layer written as an einsum: $y = f(\\mathrm{einsum}(eq, x, W) + b)$.

    Shapes, for `EinsumDense("abc,cde->abde", output_shape=(None, 4, 16), bias_axes="de")`
    on x of shape (batch, 10, 64): the kernel W is (64, 4, 16) (c from the input, d and e
    from `output_shape`), the bias b is (4, 16), y is (batch, 10, 4, 16): every time step's
    64 features become 4 heads of 16.

    Args:
        equation: `"<input>,<kernel>-><output>"`, each part a string of axis letters; the
            input and the output may start with `...` (any number of leading axes) or end
            with it.
        output_shape: the output's shape without the batch axis (an int for one axis);
            `None` for an axis the input decides (a time axis, say).
        activation: applied after the bias (default: none).
        bias_axes: the output letters the bias runs along (`"de"` above), or None for no
            bias. The bias broadcasts over the other axes.
        kernel_initializer, bias_initializer: glorot_uniform and zeros. A variance-scaling
            initializer (glorot, he, lecun) counts its fans over the kernel's input and
            output axes (64 in, 4 × 16 out above), as in Keras 3.
        kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as for `Dense`.

    Example:
        >>> layer = EinsumDense("ab,bc->ac", output_shape=8, bias_axes="c")   # a Dense(8)
        >>> layer(np.ones((2, 4))).shape
        (2, 8)
    """

    def __init__(
        self,
        equation: str,
        output_shape,
        activation=None,
        bias_axes: str | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        gptq_unpacked_column_size=None,
        quantization_config=None,
        **kwargs,
    ) -> None:
        if lora_rank or lora_alpha or gptq_unpacked_column_size or quantization_config:
            raise ValueError(
                "EinsumDense(lora_rank=..., lora_alpha=..., gptq_unpacked_column_size=..., "
                "quantization_config=...) are not supported by teachkeras: leave them out."
            )
        super().__init__(**kwargs)
        _parse(equation)  # a malformed equation fails here, not at the first call
        self.equation = equation
        self.partial_output_shape = (
            (int(output_shape),) if isinstance(output_shape, int) else tuple(output_shape)
        )
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.kernel = self.bias = None

    def build(self, input_shape) -> None:
        shapes = einsum_dense_shapes(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape, self.name
        )
        kernel_initializer = self.kernel_initializer
        if isinstance(kernel_initializer, VarianceScaling) and (
            kernel_initializer.input_axes is None or kernel_initializer.output_axes is None
        ):  # count the fans over the kernel's own input and output axes (Keras 3)
            kernel_initializer = type(kernel_initializer).from_config(
                {
                    **kernel_initializer.get_config(),
                    "input_axes": shapes.kernel_input_axes,
                    "output_axes": shapes.kernel_output_axes,
                }
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=shapes.kernel,
            initializer=kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if shapes.bias is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=shapes.bias,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=len(input_shape))

    def call(self, inputs):
        # "abc,cde->abde": (batch, t, 64) · (64, 4, 16) -> (batch, t, 4, 16)
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias  # (b, t, 4, 16) + (4, 16): broadcast over batch and time
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return einsum_dense_shapes(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape, self.name
        ).output

    def _input_hint(self, shape) -> str:
        if self.input_spec is None:
            return ""
        return (
            f" EinsumDense {self.equation!r} was built for inputs of rank "
            f"{self.input_spec.ndim}; use a new layer for inputs of another rank."
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "quantization_config": None,
        }


# --- the shapes an equation implies ----------------------------------------------------------
class EinsumShapes:
    """What an equation and an input shape imply: the kernel's and the bias's shapes, the
    full output shape, and which kernel axes face the input and which the output."""

    def __init__(self, kernel, bias, output, kernel_input_axes, kernel_output_axes) -> None:
        self.kernel = tuple(kernel)
        self.bias = None if bias is None else tuple(bias)
        self.output = tuple(output)
        self.kernel_input_axes = kernel_input_axes
        self.kernel_output_axes = kernel_output_axes


_FORMS = (  # the three forms Keras accepts; "0" stands for "..."
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), "none"),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$"), "left"),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$"), "right"),
)


def _parse(equation: str) -> tuple[str, str, str, str]:
    """(input letters, kernel letters, output letters, where "..." is: none/left/right)."""
    compact = str(equation).replace(" ", "").replace("...", "0")
    for pattern, ellipsis in _FORMS:
        match = pattern.match(compact)
        if match:
            return (*match.groups(), ellipsis)
    raise ValueError(
        f"Invalid einsum equation {equation!r}. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...: for example "
        "'ab,bc->ac' (a Dense) or '...b,bc->...c'."
    )


def einsum_dense_shapes(
    equation: str, bias_axes, input_shape: tuple, partial_output_shape: tuple, name: str = ""
) -> EinsumShapes:
    """The shapes `EinsumDense(equation, partial_output_shape, bias_axes=...)` implies for
    an input of `input_shape` (batch axis first).

    The output's first axis is the batch axis; `partial_output_shape` gives the rest,
    except the axes "..." stands for, which are the input's own.
    """
    in_letters, kernel_letters, out_letters, ellipsis = _parse(equation)
    layer = f"EinsumDense layer {name!r}" if name else "EinsumDense"
    elided = len(input_shape) - len(in_letters)  # how many axes "..." stands for
    if elided < 0 or (ellipsis == "none" and elided != 0):
        raise ValueError(
            f"{layer}: the equation {equation!r} names {len(in_letters)} input axes, but the "
            f"input has shape {input_shape}."
        )
    output = [input_shape[0], *partial_output_shape]
    if ellipsis == "left":  # "...b,bc->...c": the leading axes pass through
        output[1:1] = input_shape[1:elided]
        in_index = {c: elided + i for i, c in enumerate(in_letters)}
        out_index = {c: elided + i for i, c in enumerate(out_letters)}
    else:
        if ellipsis == "right":  # "ab...,bc->ac...": the trailing axes pass through
            output += input_shape[len(input_shape) - elided :]
        in_index = {c: i for i, c in enumerate(in_letters)}
        out_index = {c: i for i, c in enumerate(out_letters)}
    if len(output) != len(out_letters) + elided:
        raise ValueError(
            f"{layer}: output_shape={partial_output_shape} gives {len(partial_output_shape)} "
            f"axes besides the batch axis, but the equation {equation!r} has "
            f"{len(out_letters)} output axes (the batch axis included)."
        )

    for c in in_letters:  # an axis that passes through keeps its size
        if c in out_index and output[out_index[c]] not in (None, input_shape[in_index[c]]):
            raise ValueError(
                f"{layer}: input shape and output shape do not match at shared dimension "
                f"{c!r}. Input shape is {input_shape[in_index[c]]}, and output shape is "
                f"{output[out_index[c]]}."
            )
        if c in out_index:
            output[out_index[c]] = input_shape[in_index[c]]
    for c in out_letters:
        if c not in in_letters and c not in kernel_letters:
            raise ValueError(
                f"{layer}: dimension {c!r} of the output {out_letters!r} is neither in the "
                f"input {in_letters!r} nor in the kernel {kernel_letters!r}."
            )

    kernel, input_axes, output_axes = [], [], []
    for i, c in enumerate(kernel_letters):
        if c in out_index:  # a new output axis: its size comes from output_shape
            kernel.append(output[out_index[c]])
            output_axes.append(i)
        elif c in in_index:  # a contracted input axis
            kernel.append(input_shape[in_index[c]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"{layer}: kernel dimension {c!r} is neither in the input {in_letters!r} nor in "
                f"the output {out_letters!r}, so its size is unknown."
            )
    if None in kernel:
        raise ValueError(
            f"{layer}: the kernel's shape would be {tuple(kernel)}; every kernel axis needs a "
            f"known size (input shape {input_shape}, output_shape={partial_output_shape})."
        )

    bias = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in out_letters:
                raise ValueError(
                    f"{layer}: bias dimension {c!r} was requested, but is not part of the "
                    f"output {out_letters!r}."
                )
        # the bias spans from its first output axis to the end (1 where it does not vary)
        first = min(out_letters.index(c) for c in bias_axes)
        bias = [output[out_index[c]] if c in bias_axes else 1 for c in out_letters[first:]]
        if ellipsis == "right":
            bias += [1] * elided
    return EinsumShapes(kernel, bias, output, input_axes, output_axes)

"""`Dense`: the fully-connected layer, $y = \\mathrm{activation}(x W + b)$."""

from __future__ import annotations

from ... import activations, constraints, initializers, ops, regularizers
from ...legacy.renames import KERAS1_KERNEL_AND_BIAS, accepts_renamed
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec
from ..layer import Layer

# Keras 1 spellings: Dense(output_dim=8, init='uniform', W_regularizer=..., bias=False).
KERAS1_DENSE = {"output_dim": "units", **KERAS1_KERNEL_AND_BIAS}


@accepts_renamed(KERAS1_DENSE)  # old spellings become today's before __init__ runs
class Dense(Layer):
    """Every input feature connected to every unit: $y = f(x W + b)$.

    Shapes: x is `(batch, ..., input_dim)`, W (`kernel`) is `(input_dim, units)`,
    b (`bias`) is `(units,)`, y is `(batch, ..., units)`. So `Dense(8)` on 4 features
    has 4 × 8 + 8 = 40 parameters.

    Args:
        units: number of output features.
        activation: applied after the affine map (default: none, i.e. linear).
        use_bias: whether to add `b`.
        kernel_initializer, bias_initializer: how W and b start (glorot_uniform, zeros).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to the loss.
        kernel_constraint, bias_constraint: projections applied after each update.

    Example:
        >>> layer = Dense(8, activation="relu", input_dim=4)
        >>> layer(np.ones((2, 4))).shape
        (2, 8)
    """

    def __init__(
        self,
        units: int | None = None,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ) -> None:
        if lora_rank or lora_alpha or quantization_config:
            raise ValueError(
                "Dense(lora_rank=..., lora_alpha=..., quantization_config=...) are not supported "
                "by teachkeras."
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        if units is None or int(units) != units or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units}"
            )
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense layer {self.name!r} needs to know its last input axis, got shape {input_shape}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs):
        x = ops.matmul(inputs, self.kernel)  # (batch, input_dim) @ (input_dim, units)
        if self.bias is not None:
            x = x + self.bias  # (batch, units) + (units,): broadcast over the batch
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def _input_hint(self, shape) -> str:
        if len(shape) < 2:
            return (
                " Dense expects a batch of samples, shape (batch, features). For a single "
                "sample write x[None, :] or x.reshape(1, -1); for 1-D data use x.reshape(-1, 1)."
            )
        expected = self.input_spec.axes.get(-1) if isinstance(self.input_spec, InputSpec) else None
        return (
            f" The layer was built for {expected} input features, but the data has {shape[-1]}."
            " Check that input_dim / input_shape of your first layer equals x.shape[1:]."
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
        }

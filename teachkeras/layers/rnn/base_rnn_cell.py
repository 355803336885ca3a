"""`BaseRNNCell`: what SimpleRNNCell, LSTMCell and GRUCell share.

A cell is one time step: `call(x_t, states) -> (output, new_states)`. The three built-in
cells hold the same three weights, in Keras's layout, with the gates side by side along
the last axis (`gates` = 1 for SimpleRNN, 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h)):

    kernel             (input_dim, gates·units)   W: the input's share of every gate
    recurrent_kernel   (units, gates·units)       U: the previous state's share
    bias               (gates·units,)             b  (GRU with reset_after: (2, 3·units),
                                                      one row for W's side, one for U's)

Each cell's step is one fused op of `backend/recurrent_ops.py` (its gradient written
beside it); a cell falls back to plain ops only for what that op does not cover (an
activation it cannot differentiate from its output, recurrent dropout).
"""

from __future__ import annotations

from ... import activations, constraints, initializers, ops, regularizers
from ...backend import recurrent_ops
from ...serialization.keras_objects import serialize_keras_object
from ..layer import Layer
from .dropout_rnn_cell import DropoutRNNCell


class BaseRNNCell(Layer, DropoutRNNCell):
    """The arguments, weights and config every built-in cell shares.

    Subclasses set `gates`, declare Keras 3's signature, and write `call`.

    Args:
        units: the size of the state (and of the output).
        activation: for the candidate state and the output (default tanh).
        use_bias: whether to add b.
        kernel_initializer, recurrent_initializer, bias_initializer: how W, U and b start
            (glorot_uniform, orthogonal, zeros).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on W, U, b.
        kernel_constraint, recurrent_constraint, bias_constraint: projections after updates.
        dropout: fraction of the inputs dropped (one mask per batch, used at every step).
        recurrent_dropout: fraction of the previous state dropped (likewise).
        seed: makes the dropout masks repeatable.
    """

    gates = 1

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed=None,
        **kwargs,
    ) -> None:
        if units is None or int(units) != units or units <= 0:
            raise ValueError(
                "Received an invalid value for argument `units`, expected a positive integer, "
                f"got {units}."
            )
        # Keras 2's speed switch, which Keras 3 still takes (not in the signature, nor the
        # config): 1 computes each gate apart, which only matters for dropout masks.
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))  # clipped into [0, 1], as Keras does
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self._init_dropout(seed)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Cell {self.name!r} needs to know the number of features of each time step; "
                f"got input shape {tuple(input_shape)}."
            )
        width = self.gates * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(),
                name="bias",
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _bias_shape(self) -> tuple[int, ...]:
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    # --- helpers for call ------------------------------------------------------------------------
    def _dropped_inputs(self, inputs, training) -> list:
        """The step's input for each gate: with input dropout, times this batch's mask(s)."""
        if training and 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(inputs)
            if isinstance(mask, list):  # one mask per gate (implementation=1)
                return [inputs * m for m in mask]
            return [inputs * mask] * self.gates
        return [inputs] * self.gates

    def _project(self, gate_inputs: list):
        """x W + b, (batch, gates·units): one product, or one per gate when they differ."""
        if all(x is gate_inputs[0] for x in gate_inputs):
            x_proj = ops.matmul(gate_inputs[0], self.kernel)
        else:
            kernels = ops.split(self.kernel, self.gates, axis=1)
            x_proj = ops.concatenate(
                [ops.matmul(x, k) for x, k in zip(gate_inputs, kernels, strict=True)], axis=1
            )
        input_bias = self._input_bias()
        return x_proj + input_bias if input_bias is not None else x_proj

    def _input_bias(self):
        return self.bias

    def _recurrent_dropout_on(self, training) -> bool:
        return bool(training) and 0.0 < self.recurrent_dropout < 1.0

    def get_initial_state(self, batch_size=None) -> list:
        return [ops.zeros((batch_size, size), dtype=self.dtype) for size in _sizes(self)]

    # --- config ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "recurrent_initializer": serialize_keras_object(self.recurrent_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "recurrent_regularizer": serialize_keras_object(self.recurrent_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "recurrent_constraint": serialize_keras_object(self.recurrent_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


def fused_activation(function) -> str | None:
    """The name under which a fused step op knows `function` (tanh, sigmoid, ...), or None:
    then the cell computes its step with plain ops."""
    name = getattr(function, "__name__", None)
    if name in recurrent_ops.ACTIVATIONS and activations.get(name) is function:
        return name
    return None


def _sizes(cell) -> list[int]:
    size = cell.state_size
    return list(size) if isinstance(size, list | tuple) else [size]

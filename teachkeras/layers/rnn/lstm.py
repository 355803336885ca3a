"""`LSTMCell` and `LSTM`: long short-term memory (Hochreiter & Schmidhuber, 1997).

An LSTM carries two states: the output h and a carry (the "memory cell") c, which gates
write to, forget from and read out of. The carry changes by addition, so gradients can
flow along it over many steps. The step, with its gradient, is `recurrent_ops.lstm_step`.
"""

from __future__ import annotations

import numpy as np

from ... import activations, ops
from ...backend import recurrent_ops
from ...legacy.renames import accepts_renamed
from ..convolutional.base_conv import arguments_of
from .base_rnn_cell import BaseRNNCell, fused_activation
from .base_rnn_layer import BaseRNNLayer, _from_cell, checked_use_cudnn
from .rnn import FORGET_BIAS_INIT, IMPLEMENTATION, KERAS1_RECURRENT, TIME_MAJOR


class LSTMCell(BaseRNNCell):
    """One LSTM step.

    Formula (gates side by side in Keras's order i, f, c, o):
        z = x_t W + h_{t-1} U + b                    (batch, 4·units)
        i = σ(z_i)  f = σ(z_f)  g = tanh(z_c)  o = σ(z_o)
        c_t = f ⊙ c_{t-1} + i ⊙ g      h_t = o ⊙ tanh(c_t)

    Shapes: W (`kernel`) is `(input_dim, 4·units)`, U (`recurrent_kernel`)
    `(units, 4·units)`, b `(4·units,)`; the states are `[h, c]`, each `(batch, units)`.

    Args: see `BaseRNNCell`, plus:
        recurrent_activation: σ above, for the three gates (default sigmoid).
        unit_forget_bias: start the forget gate's bias at 1 (the rest of b from
            `bias_initializer`), so that at first the carry is kept (Jozefowicz et al., 2015).

    Example:
        >>> cell = LSTMCell(4)
        >>> h, [h, c] = cell(np.zeros((2, 3)), [np.zeros((2, 4)), np.zeros((2, 4))])
    """

    gates = 4

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias: bool = True,
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
        arguments = arguments_of(locals())
        recurrent_activation = arguments.pop("recurrent_activation")
        unit_forget_bias = arguments.pop("unit_forget_bias")
        super().__init__(**arguments)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        if self.recurrent_dropout != 0.0:
            self.implementation = 1  # Keras 3: a mask per gate on the state, computed gate by gate
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def forget_gate_at_one(shape, dtype=None):  # [b_i, 1, b_c, b_o]
            ones = np.ones((units,), dtype=dtype)
            return np.concatenate([base((units,), dtype), ones, base((2 * units,), dtype)])

        return forget_gate_at_one

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]  # (batch, units) each
        x_proj = self._project(self._dropped_inputs(inputs, training))  # (batch, 4·units)
        act = fused_activation(self.activation)
        gate = fused_activation(self.recurrent_activation)
        if self._recurrent_dropout_on(training) or act is None or gate is None:
            h, c = self._step_with_ops(x_proj, h_prev, c_prev, training)
        else:
            h, c = recurrent_ops.lstm_step(x_proj, h_prev, c_prev, self.recurrent_kernel, act, gate)
        return h, [h, c]

    def _step_with_ops(self, x_proj, h_prev, c_prev, training):
        """The same step from plain ops: for recurrent dropout (a mask per gate on h_{t-1})
        and for activations the fused op does not know."""
        if self._recurrent_dropout_on(training):
            masks = self.get_recurrent_dropout_mask(h_prev)
            kernels = ops.split(self.recurrent_kernel, 4, axis=1)
            h_proj = ops.concatenate(
                [ops.matmul(h_prev * m, k) for m, k in zip(masks, kernels, strict=True)], axis=1
            )
        else:
            h_proj = ops.matmul(h_prev, self.recurrent_kernel)
        z_i, z_f, z_c, z_o = ops.split(x_proj + h_proj, 4, axis=1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        return o * self.activation(c), c

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }


@accepts_renamed({**IMPLEMENTATION, **TIME_MAJOR, **KERAS1_RECURRENT, **FORGET_BIAS_INIT})
class LSTM(BaseRNNLayer):
    """Long short-term memory over a whole sequence: `RNN(LSTMCell(units, ...))`.

    Shapes: the input is `(batch, timesteps, features)`; the output `(batch, units)`, or
    `(batch, timesteps, units)` with `return_sequences=True`; `return_state=True` adds
    the final `h` and `c`. `LSTM(32)` on 8 features has 4·(8·32 + 32·32 + 32) = 5248
    parameters.

    Args: the cell's (see `LSTMCell`) and `RNN`'s (return_sequences, return_state,
    go_backwards, stateful, unroll), plus activity_regularizer. `use_cudnn` is accepted
    (there is no GPU here). Keras 1 spellings (`output_dim`, `init`, `inner_init`,
    `inner_activation`, `forget_bias_init`, `W_regularizer`, `U_regularizer`,
    `b_regularizer`, `dropout_W`, `dropout_U`, `input_dim` + `input_length`,
    `consume_less`) and Keras 2's `implementation` are accepted and warn once.

    Example:
        >>> seq, h, c = LSTM(4, return_sequences=True, return_state=True)(np.zeros((2, 5, 3)))
        >>> seq.shape, h.shape, c.shape
        ((2, 5, 4), (2, 4), (2, 4))
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed=None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn="auto",
        **kwargs,
    ) -> None:
        arguments = arguments_of(locals())
        self.use_cudnn = checked_use_cudnn(arguments.pop("use_cudnn"))
        super().__init__(**arguments)

    recurrent_activation = _from_cell("recurrent_activation")
    unit_forget_bias = _from_cell("unit_forget_bias")

"""`GRUCell` and `GRU`: the gated recurrent unit (Cho et al., 2014).

A GRU has one state, h, and two gates: the update gate z decides how much of the old
state to keep, the reset gate r how much of it the candidate state n may see:
h_t = z ⊙ h_{t-1} + (1 - z) ⊙ n. The step, with its gradient, is `recurrent_ops.gru_step`.
"""

from __future__ import annotations

from ... import activations, ops
from ...backend import recurrent_ops
from ...legacy.renames import accepts_renamed
from ..convolutional.base_conv import arguments_of
from .base_rnn_cell import BaseRNNCell, fused_activation
from .base_rnn_layer import BaseRNNLayer, _from_cell, checked_use_cudnn
from .rnn import IMPLEMENTATION, KERAS1_RECURRENT, TIME_MAJOR


class GRUCell(BaseRNNCell):
    """One GRU step.

    Formula (gates side by side in Keras's order z, r, h):
        reset_after=True (Keras 3's default):
            x = x_t W + b_in      r_h = h_{t-1} U + b_rec               (batch, 3·units)
            z = σ(x_z + r_z)   r = σ(x_r + r_r)   n = tanh(x_h + r ⊙ r_h)
        reset_after=False (the original GRU, Keras 2.0-2.2's default):
            z = σ(x_z + h_{t-1} U_z)   r = σ(x_r + h_{t-1} U_r)
            n = tanh(x_h + (r ⊙ h_{t-1}) U_h)
        h_t = z ⊙ h_{t-1} + (1 - z) ⊙ n

    Shapes: W (`kernel`) is `(input_dim, 3·units)`, U (`recurrent_kernel`)
    `(units, 3·units)`; b is `(2, 3·units)` with reset_after (row 0 b_in, row 1 b_rec),
    else `(3·units,)`. One state, h, `(batch, units)`.

    Args: see `BaseRNNCell`, plus:
        recurrent_activation: σ above (default sigmoid).
        reset_after: apply the reset gate after the recurrent product (True, the cuDNN form
            with two biases) or before it (False).
    """

    gates = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        reset_after: bool = True,
        seed=None,
        **kwargs,
    ) -> None:
        arguments = arguments_of(locals())
        recurrent_activation = arguments.pop("recurrent_activation")
        reset_after = arguments.pop("reset_after")
        super().__init__(**arguments)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after
        if self.recurrent_dropout != 0.0:
            self.implementation = 1  # Keras 3: a mask per gate on the state, computed gate by gate
        if self.implementation == 1:
            self.dropout_mask_count = 3

    def _bias_shape(self) -> tuple[int, ...]:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if self.bias is None:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def _recurrent_bias(self):
        return self.bias[1] if self.bias is not None and self.reset_after else None

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, list | tuple) else states  # (batch, units)
        x_proj = self._project(self._dropped_inputs(inputs, training))  # (batch, 3·units)
        act = fused_activation(self.activation)
        gate = fused_activation(self.recurrent_activation)
        if self._recurrent_dropout_on(training) or act is None or gate is None:
            h = self._step_with_ops(x_proj, h_prev, training)
        else:
            h = recurrent_ops.gru_step(
                x_proj,
                h_prev,
                self.recurrent_kernel,
                self._recurrent_bias(),
                reset_after=self.reset_after,
                activation=act,
                recurrent_activation=gate,
            )
        return h, [h] if isinstance(states, list | tuple) else h

    def _step_with_ops(self, x_proj, h_prev, training):
        """The same step from plain ops: for recurrent dropout (a mask per gate on h_{t-1})
        and for activations the fused op does not know."""
        if self._recurrent_dropout_on(training):
            h_z, h_r, h_h = (h_prev * m for m in self.get_recurrent_dropout_mask(h_prev))
        else:
            h_z = h_r = h_h = h_prev
        u_z, u_r, u_h = ops.split(self.recurrent_kernel, 3, axis=1)
        x_z, x_r, x_h = ops.split(x_proj, 3, axis=1)
        recurrent_z, recurrent_r = ops.matmul(h_z, u_z), ops.matmul(h_r, u_r)
        b_rec = self._recurrent_bias()
        if b_rec is not None:
            b_z, b_r, b_h = ops.split(b_rec, 3, axis=0)
            recurrent_z, recurrent_r = recurrent_z + b_z, recurrent_r + b_r
        z = self.recurrent_activation(x_z + recurrent_z)
        r = self.recurrent_activation(x_r + recurrent_r)
        if self.reset_after:
            recurrent_h = ops.matmul(h_h, u_h)
            if b_rec is not None:
                recurrent_h = recurrent_h + b_h
            recurrent_h = r * recurrent_h
        else:
            recurrent_h = ops.matmul(r * h_h, u_h)
        n = self.activation(x_h + recurrent_h)
        return z * h_prev + (1 - z) * n

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


@accepts_renamed({**IMPLEMENTATION, **TIME_MAJOR, **KERAS1_RECURRENT})
class GRU(BaseRNNLayer):
    """A gated recurrent unit over a whole sequence: `RNN(GRUCell(units, ...))`.

    Shapes: the input is `(batch, timesteps, features)`; the output `(batch, units)`, or
    `(batch, timesteps, units)` with `return_sequences=True`; `return_state=True` adds
    the final `h`. `GRU(32)` on 8 features has 3·(8·32 + 32·32) + 2·3·32 = 4032
    parameters (reset_after=True; 3936 with reset_after=False).

    Args: the cell's (see `GRUCell`, including `reset_after`) and `RNN`'s
    (return_sequences, return_state, go_backwards, stateful, unroll), plus
    activity_regularizer. `use_cudnn` is accepted. Keras 1 spellings (`output_dim`,
    `init`, `inner_init`, `inner_activation`, `W_regularizer`, `U_regularizer`,
    `b_regularizer`, `dropout_W`, `dropout_U`, `input_dim` + `input_length`,
    `consume_less`) and Keras 2's `implementation` are accepted and warn once.

    Example:
        >>> GRU(4)(np.zeros((2, 5, 3))).shape
        (2, 4)
    """

    cell_class = GRUCell
    cell_name = "gru_cell"

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
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
        reset_after: bool = True,
        use_cudnn="auto",
        **kwargs,
    ) -> None:
        arguments = arguments_of(locals())
        self.use_cudnn = checked_use_cudnn(arguments.pop("use_cudnn"))
        super().__init__(**arguments)

    recurrent_activation = _from_cell("recurrent_activation")
    reset_after = _from_cell("reset_after")

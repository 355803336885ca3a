"""`SimpleRNNCell` and `SimpleRNN`: the plain recurrent network, $h_t = f(x_t W + h_{t-1} U + b)$."""

from __future__ import annotations

from ... import ops
from ...backend import recurrent_ops
from ...legacy.renames import accepts_renamed
from ..convolutional.base_conv import arguments_of
from .base_rnn_cell import BaseRNNCell, fused_activation
from .base_rnn_layer import BaseRNNLayer
from .rnn import KERAS1_RECURRENT, TIME_MAJOR


class SimpleRNNCell(BaseRNNCell):
    """One step of a fully-connected RNN: $h_t = f(x_t W + h_{t-1} U + b)$.

    Shapes: x_t is `(batch, input_dim)`, W (`kernel`) `(input_dim, units)`, U
    (`recurrent_kernel`) `(units, units)`, b `(units,)`; the output and the one state
    are h_t, `(batch, units)`. The step is `recurrent_ops.simple_rnn_step`.

    Args: see `BaseRNNCell` (units, activation, use_bias, initializers, regularizers,
    constraints, dropout, recurrent_dropout, seed).

    Example:
        >>> cell = SimpleRNNCell(4)
        >>> h, [state] = cell(np.zeros((2, 3)), [np.zeros((2, 4))])
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
        super().__init__(**arguments_of(locals()))

    def call(self, sequence, states, training=False):
        h_prev = states[0] if isinstance(states, list | tuple) else states  # (batch, units)
        [x] = self._dropped_inputs(sequence, training)
        x_proj = self._project([x])  # x_t W + b, (batch, units)
        if self._recurrent_dropout_on(training):
            h_prev = h_prev * self.get_recurrent_dropout_mask(h_prev)
        name = fused_activation(self.activation)
        if name is not None:
            h = recurrent_ops.simple_rnn_step(x_proj, h_prev, self.recurrent_kernel, name)
        else:  # an activation the fused step does not know: plain ops
            h = self.activation(x_proj + ops.matmul(h_prev, self.recurrent_kernel))
        return h, [h] if isinstance(states, list | tuple) else h


@accepts_renamed(
    {**TIME_MAJOR, **KERAS1_RECURRENT}
)  # Keras 1 spellings become today's before __init__ runs
class SimpleRNN(BaseRNNLayer):
    """A fully-connected RNN over a whole sequence: `RNN(SimpleRNNCell(units, ...))`.

    Shapes: the input is `(batch, timesteps, features)`; the output `(batch, units)`, or
    `(batch, timesteps, units)` with `return_sequences=True`. `SimpleRNN(8)` on 3
    features has 3·8 + 8·8 + 8 = 96 parameters.

    Args: the cell's (see `SimpleRNNCell`) and `RNN`'s (return_sequences, return_state,
    go_backwards, stateful, unroll), plus activity_regularizer. Keras 1 spellings
    (`output_dim`, `init`, `inner_init`, `W_regularizer`, `U_regularizer`,
    `b_regularizer`, `dropout_W`, `dropout_U`, `input_dim` + `input_length`,
    `consume_less`) are accepted and warn once.

    Example:
        >>> SimpleRNN(8, return_sequences=True)(np.zeros((2, 5, 3))).shape
        (2, 5, 8)
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

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
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed=None,
        **kwargs,
    ) -> None:
        super().__init__(**arguments_of(locals()))

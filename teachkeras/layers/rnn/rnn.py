"""`RNN`: run a cell over the time axis of a sequence (the base of SimpleRNN, LSTM and GRU).

A cell knows one step: `cell(x_t, states) -> (output_t, new_states)`, with `state_size`
saying how wide each state is. `RNN` gives it a whole sequence (batch, timesteps,
features): it builds the cell, makes the initial states (zeros, the learner's
`initial_state`, or, when `stateful`, what the previous batch ended with), runs the
loop over time (`backend.recurrent_ops.rnn`), and returns the last output or all of
them, and the final states if asked.

Any layer with `state_size` and `call(inputs, states)` is a cell, so a learner's own
cell works here too, and a list of cells is stacked (`StackedRNNCells`).
"""

from __future__ import annotations

import inspect

import numpy as np

from ... import ops
from ...backend import recurrent_ops
from ...backend.tensor import Tensor, as_tensor
from ...legacy.renames import Change, accepts_renamed
from ..input_spec import InputSpec
from ..keras_tensor import KerasTensor
from ..layer import Layer, map_structure_shapes
from ..node import flatten
from .dropout_rnn_cell import DropoutRNNCell
from .stacked_rnn_cells import StackedRNNCells


# --- Keras 1 spellings every recurrent layer accepts (legacy/renames.py) ----------------------
def _input_shape(input_dim, input_length):
    return None if input_dim is None else (input_length, input_dim)


def _unit_forget_bias(forget_bias_init):
    if forget_bias_init not in ("one", "ones"):
        raise ValueError(
            f"forget_bias_init={forget_bias_init!r} has no Keras 2 or 3 meaning: the forget "
            "gate's bias starts at 1 with unit_forget_bias=True (the default), else at "
            "bias_initializer's values."
        )
    return True


def _implementation(consume_less):
    modes = {"cpu": 0, "mem": 1, "gpu": 2}
    if consume_less not in modes:
        raise ValueError(f"consume_less must be one of {sorted(modes)}; received {consume_less!r}.")
    return modes[consume_less]


KERAS1_RECURRENT = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "b_regularizer": "bias_regularizer",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "consume_less": Change(
        "implementation",
        convert=_implementation,
        write="implementation=... (or nothing: it chose a speed trade-off)",
    ),
    ("input_dim", "input_length"): Change(
        "input_shape", convert=_input_shape, write="input_shape=(input_length, input_dim)"
    ),
}
# LSTM's own: Keras 1 initialised the forget gate's bias with forget_bias_init='one'.
FORGET_BIAS_INIT = {
    "forget_bias_init": Change(
        "unit_forget_bias", convert=_unit_forget_bias, write="unit_forget_bias=True"
    )
}


def _implementation_warning(owner: str, value) -> str:
    return (
        f"{owner}(implementation={value!r}) is Keras 2's choice between two ways of computing "
        "the same gates (a speed trade-off). It is accepted and can be left out: the numbers "
        "are the same (with dropout, implementation=1 draws one input mask per gate, as in Keras)."
    )


# Keras 2's `implementation`: kept (LSTM and GRU honour it for dropout masks), with a warning.
IMPLEMENTATION = {"implementation": Change("implementation", message=_implementation_warning)}


def _time_major(time_major):
    if time_major:
        raise ValueError(
            "time_major=True read sequences as (timesteps, batch, features); recurrent layers "
            "now always take (batch, timesteps, features): swap the axes of your data "
            "(np.swapaxes(x, 0, 1)) and leave time_major out."
        )


# TensorFlow 2's Keras stored `time_major` in every recurrent layer's config (its .h5 files).
TIME_MAJOR = {
    "time_major": Change(
        None,
        convert=_time_major,
        message=lambda owner, value: (
            f"{owner}(time_major={value!r}) is TensorFlow 2's Keras "
            "argument; the layout is now always (batch, timesteps, features), so leave it out."
        ),
    )
}


@accepts_renamed(TIME_MAJOR)  # TensorFlow 2's time_major=False is dropped before __init__ runs
class RNN(Layer):
    """Run `cell` over every time step of a sequence.

    Shapes: the input is `(batch, timesteps, features)`; the output is the last step's
    output `(batch, output_size)`, or every step's `(batch, timesteps, output_size)` with
    `return_sequences=True`; with `return_state=True` the final states follow it, each
    `(batch, state_size)`.

    Args:
        cell: a cell (a layer with `state_size` and `call(inputs, states)`), or a list of
            cells, run one above the other at each step (`StackedRNNCells`).
        return_sequences: return every step's output, not only the last.
        return_state: also return the final states, as `[output, *states]`.
        go_backwards: read the sequence from its end (the outputs come reversed too).
        stateful: start each batch from the states the previous batch ended with (sample i
            continues sample i). The batch size is then fixed (`Input(batch_shape=...)`);
            `reset_states()` sets the states back to zeros.
        unroll: accepted (Keras unrolls the loop into a graph; here it is always a loop).
        zero_output_for_mask: a masked step outputs zeros, not the previous output.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: a list of tensors, one per state (for an LSTM `[h, c]`).
        mask: booleans `(batch, timesteps)`, False for padding: a masked step leaves the
            states as they were.
        training: turns the cell's dropout on.

    Example:
        >>> layer = RNN(LSTMCell(4), return_sequences=True)
        >>> layer(np.zeros((2, 10, 3))).shape
        (2, 10, 4)
    """

    def __init__(
        self,
        cell,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs,
    ) -> None:
        if isinstance(cell, list | tuple):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if getattr(cell, "state_size", None) is None:
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (single integer or list of "
                f"integers, one integer per RNN state). Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self.states = None  # with stateful=True: the states the last batch ended with
        self._expected_batch_size = None
        state_size = cell.state_size
        if not isinstance(state_size, int | list | tuple):
            raise ValueError(
                "state_size must be an integer, or a list/tuple of integers (one for each "
                f"state tensor). Received: state_size={state_size!r}"
            )
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    # --- the contract ------------------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None) -> None:
        if _is_list_of_shapes(sequences_shape):  # [x, *initial states]
            sequences_shape = tuple(sequences_shape[0])
        step_input_shape = (sequences_shape[0], *sequences_shape[2:])  # (batch, features)
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._maybe_build(step_input_shape)
        if self.stateful:
            batch_size = sequences_shape[0]
            if batch_size is None:
                raise ValueError(
                    f"Layer {self.name!r}: when using `stateful=True` in a RNN, the batch size "
                    f"must be static. Found dynamic batch size: sequence.shape={sequences_shape}. "
                    "Give it to the first layer: Input(batch_shape=(batch, timesteps, features)) "
                    "(Keras 2: batch_input_shape=(batch, timesteps, features))."
                )
            self._expected_batch_size = batch_size
            self.states = self._flat_states(self.get_initial_state(batch_size))

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if isinstance(sequences, list | tuple):  # [x, *initial states], from a symbolic call
            sequences, *given = sequences
            initial_state = given or initial_state
        if isinstance(mask, list | tuple):
            mask = mask[0]
        batch_size = sequences.shape[0]
        if initial_state is not None:
            initial_state = self._checked_initial_state(initial_state, batch_size)
        elif self.stateful:
            self._check_stateful_batch(batch_size)
            initial_state = self._pack_states(self.states)
        else:
            initial_state = self.get_initial_state(batch_size)

        last_output, outputs, states = recurrent_ops.rnn(
            self._step_function(training),
            sequences,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )
        _reset_dropout_masks(self.cell)  # the next batch draws its own masks
        if self.stateful:  # the next batch starts here (as a constant: no gradient across batches)
            self.states = [Tensor(np.array(s.data)) for s in flatten(states)]
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output, *states]
        return output

    def _step_function(self, training):
        """One step: the cell on (x_t, states), its new states always a list."""
        cell = self.cell
        parameters = inspect.signature(cell.call).parameters
        kwargs = {"training": training} if "training" in parameters else {}

        def step(inputs, states):
            output, new_states = cell(inputs, states, **kwargs)
            if not isinstance(new_states, list | tuple):
                new_states = [new_states]
            return output, list(new_states)

        return step

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        if _is_list_of_shapes(sequences_shape):
            sequences_shape = tuple(sequences_shape[0])
        batch_size, timesteps = sequences_shape[0], sequences_shape[1]
        output_size = self._output_size()
        if self.return_sequences:
            output_shape = (batch_size, timesteps, output_size)
        else:
            output_shape = (batch_size, output_size)
        if not self.return_state:
            return output_shape
        states = [
            (batch_size, size)
            if isinstance(size, int)
            else [(batch_size, s) for s in _flat_sizes(size)]
            for size in self.state_size
        ]
        return [output_shape, *states]

    def compute_output_spec(self, inputs):
        """Symbolic outputs; with `return_state`, the states keep their nesting (stacked cells)."""
        shapes = self.compute_output_shape(
            [t.shape for t in inputs] if isinstance(inputs, list | tuple) else inputs.shape
        )
        return map_structure_shapes(lambda shape: KerasTensor(shape, self.dtype), shapes)

    def compute_mask(self, inputs, mask):
        """The output keeps the input's mask only when it keeps the time axis; states have none."""
        if isinstance(mask, list | tuple):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    def _input_hint(self, shape) -> str:
        if len(shape) == 2:
            return (
                f" A recurrent layer takes sequences, shape (batch, timesteps, features); this "
                f"input {tuple(shape)} has no features axis. For one feature per step write "
                f"x[..., None] (shape {(*tuple(shape), 1)}); for one sequence of several "
                "features write x[None]."
            )
        if len(shape) < 2:
            return " A recurrent layer takes sequences, shape (batch, timesteps, features)."
        return ""

    # --- states ----------------------------------------------------------------------------------
    def get_initial_state(self, batch_size: int) -> list:
        """Zeros (or the cell's own `get_initial_state`): a list, one entry per state."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            state = make(batch_size=batch_size)
            return list(state) if isinstance(state, list | tuple) else [state]
        dtype = getattr(self.cell, "dtype", self.dtype)
        return [ops.zeros((batch_size, size), dtype=dtype) for size in _flat_sizes(self.state_size)]

    def reset_states(self, states=None) -> None:
        """Set a stateful layer's states back to zeros (or, as Keras 2 allowed, to `states`)."""
        if states is None:
            self.reset_state()
            return
        if not self.stateful:
            raise AttributeError(f"Layer {self.name!r} must be stateful to have its states set.")
        given = self._checked_initial_state(states, self._expected_batch_size)
        self.states = [Tensor(np.array(s.data)) for s in flatten(given)]

    def reset_state(self) -> None:
        """Keras 3's name: the states of a stateful layer become zeros."""
        if self.states is not None:
            self.states = [Tensor(np.zeros_like(s.data)) for s in self.states]

    def _checked_initial_state(self, initial_state, batch_size) -> list:
        """The learner's initial states as tensors of the layer's dtype, nested as the cell
        expects, after checking their number and shapes (the message names what is wrong)."""
        given = initial_state if isinstance(initial_state, list | tuple) else [initial_state]
        flat = [as_tensor(s) for s in flatten(list(given))]
        sizes = _flat_sizes(self.state_size)
        kind = type(self).__name__
        expected = ", ".join(f"(batch, {s})" for s in sizes)
        if len(flat) != len(sizes):
            raise ValueError(
                f"Layer {self.name!r} ({kind}) takes {len(sizes)} initial state(s), shaped "
                f"{expected}; received {len(flat)}. "
                + ("An LSTM's state is [h, c]. " if len(sizes) == 2 else "")
                + "Pass them as initial_state=[...]."
            )
        for i, (state, size) in enumerate(zip(flat, sizes, strict=True)):
            want = (batch_size, size)
            if state.ndim != 2 or state.shape[1] != size or state.shape[0] != batch_size:
                raise ValueError(
                    f"Layer {self.name!r} ({kind}): initial_state[{i}] should have shape "
                    f"{want} (batch, {size} units), but has shape {tuple(state.shape)}. "
                    "Its batch must be the input's, and its width the state's size."
                )
        flat = [s if s.dtype == np.dtype(self.dtype) else ops.cast(s, self.dtype) for s in flat]
        return self._pack_states(flat)

    def _check_stateful_batch(self, batch_size) -> None:
        if self._expected_batch_size is not None and batch_size != self._expected_batch_size:
            raise ValueError(
                f"Layer {self.name!r} is stateful, so each batch must have the batch size its "
                f"states were made for. Expected batch size: {self._expected_batch_size}; "
                f"received: {batch_size}. With fit/predict, pass batch_size="
                f"{self._expected_batch_size} and a number of samples it divides."
            )

    def _flat_states(self, states) -> list:
        return [as_tensor(s) for s in flatten(states)]

    def _pack_states(self, flat: list) -> list:
        """A flat list of states in the cell's nesting: one list per cell of a stack."""
        flat = iter(flat)
        return [
            next(flat) if isinstance(size, int) else [next(flat) for _ in _flat_sizes(size)]
            for size in self.state_size
        ]

    def _output_size(self) -> int:
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            first = self.state_size[0]
            output_size = first if isinstance(first, int) else _flat_sizes(first)[0]
        if not isinstance(output_size, int | np.integer):
            raise ValueError(f"output_size must be an integer. Received: {output_size!r}")
        return int(output_size)

    # --- config ------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        from ..serialization import serialize

        config = {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }
        cell = serialize(self.cell)
        cell.pop("build_config", None)  # the RNN builds its cell
        config["cell"] = cell
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> RNN:
        from ..serialization import deserialize

        config = dict(config)
        config["cell"] = deserialize(config["cell"], custom_objects)
        return super().from_config(config)


# --- helpers ----------------------------------------------------------------------------------------
def _flat_sizes(state_size) -> list[int]:
    if isinstance(state_size, list | tuple):
        return [s for item in state_size for s in _flat_sizes(item)]
    return [int(state_size)]


def _is_list_of_shapes(shape) -> bool:
    return isinstance(shape, list | tuple) and bool(shape) and isinstance(shape[0], list | tuple)


def _reset_dropout_masks(cell) -> None:
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    if isinstance(cell, StackedRNNCells):
        for inner in cell.cells:
            _reset_dropout_masks(inner)

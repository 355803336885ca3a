"""`StackedRNNCells`: several cells acting as one, each step feeding the next cell up.

At every time step the first cell reads x_t, the second reads the first's output, and
so on; the stack's output is the top cell's, and its state is the list of every cell's
states. `RNN([cell_1, cell_2])` makes one: a deep RNN in a single loop over time.
"""

from __future__ import annotations

import inspect

from ... import ops
from ..layer import Layer


class StackedRNNCells(Layer):
    """A list of cells run one above the other at each step.

    Args:
        cells: the cells, bottom first (each a layer with `state_size` and
            `call(inputs, states)`).

    Example:
        >>> rnn = RNN(StackedRNNCells([LSTMCell(8), LSTMCell(4)]))
        >>> rnn(np.zeros((2, 5, 3))).shape
        (2, 4)
    """

    def __init__(self, cells, **kwargs) -> None:
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(
                    f"All cells must have a `call` method. Received cell without a `call` "
                    f"method: {cell}"
                )
            if getattr(cell, "state_size", None) is None:
                raise ValueError(
                    "All cells must have a `state_size` attribute. Received cell without a "
                    f"`state_size`: {cell}"
                )
        self.cells = list(cells)
        self._takes_training = [_takes_training(cell) for cell in self.cells]

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None) -> list:
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                states.append(make(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.dtype))
            else:
                states.append(
                    [ops.zeros((batch_size, s), dtype=self.dtype) for s in cell.state_size]
                )
        return states

    def build(self, input_shape) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._maybe_build(tuple(input_shape))
            input_shape = (input_shape[0], _output_size(cell))  # what the next cell reads

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states, takes_training in zip(
            self.cells, states, self._takes_training, strict=True
        ):
            was_list = isinstance(cell_states, list | tuple)
            cell_states = list(cell_states) if was_list else [cell_states]
            kwargs = {"training": training} if takes_training else {}
            inputs, cell_states = cell(inputs, cell_states, **kwargs)  # the next cell's input
            if not isinstance(cell_states, list | tuple):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not was_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        return inputs, new_states

    def get_config(self) -> dict:
        from ..serialization import serialize

        cells = []
        for cell in self.cells:
            config = serialize(cell)
            config.pop("build_config", None)
            cells.append(config)
        return {**super().get_config(), "cells": cells}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> StackedRNNCells:
        from ..serialization import deserialize

        config = dict(config)
        config["cells"] = [deserialize(c, custom_objects) for c in config["cells"]]
        return super().from_config(config)


def _output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, list | tuple) else cell.state_size


def _takes_training(cell) -> bool:
    return "training" in inspect.signature(cell.call).parameters

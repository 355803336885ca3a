"""`DropoutRNNCell`: dropout masks drawn once per batch and used at every time step.

Dropout in a recurrent cell must not draw a new mask at every step: the state would be
scrambled a little differently each time and the network could not carry anything
far. Keras (after Gal & Ghahramani, 2016) draws one mask per batch for the inputs and
one for the recurrent state, and uses the same two at every step of the sequence. This
mix-in holds them: the cell asks for a mask at each step, the first request of a batch
draws it, and `RNN` forgets it after the batch (`reset_dropout_mask`).

With `dropout_mask_count` set (LSTM and GRU with `implementation=1` or recurrent
dropout), each gate gets a mask of its own: a list of masks.
"""

from __future__ import annotations

from ... import ops
from ...backend.nn_ops import dropout
from ...backend.random import make_generator
from ...backend.tensor import Tensor


class DropoutRNNCell:
    """What a cell with `dropout`, `recurrent_dropout` and `seed` needs to drop units.

    The cell sets `self.dropout`, `self.recurrent_dropout` (rates in [0, 1]) and calls
    `self._init_dropout(seed)` in its `__init__`.
    """

    dropout_mask_count: int | None = None

    def _init_dropout(self, seed) -> None:
        # one private generator per seeded cell, as the Dropout layer: repeatable masks
        self._generator = make_generator(seed) if seed is not None else None
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def _create_dropout_mask(self, step_input: Tensor, rate: float):
        """1/(1 - rate) where a unit is kept, 0 where dropped; one per gate if asked."""
        ones = ops.ones_like(step_input)  # (batch, features)
        count = self.dropout_mask_count
        if count is None:
            return dropout(ones, rate, seed=self._generator)
        return [dropout(ones, rate, seed=self._generator) for _ in range(count)]

    def get_dropout_mask(self, step_input: Tensor):
        """The input mask of this batch (drawn at the first step), or None without dropout."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input: Tensor):
        """The mask on the previous state for this batch, or None without recurrent dropout."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        """Forget the input mask: the next batch draws its own."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None

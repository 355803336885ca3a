"""`EpochIterator`: any data, cut into epochs of batches, with Keras 3's rules for `steps`.

`fit`, `evaluate` and `predict` all loop over `for step, batch in data.epoch():`,
whatever the data is (arrays, a generator, a PyDataset: see `dataset_adapters.py`).
What makes an epoch:

- without `steps_per_epoch`: one pass over the data. For a generator, that is until
  it stops; a generator cannot start over, so it gives one epoch only.
- with `steps_per_epoch`: that many batches, and the next epoch continues where this
  one stopped (so `steps_per_epoch=100` over a 300-batch pass reads it in three
  epochs). When the pass ends before the epoch is full, Keras 3 warns "Your input ran
  out of data" and ends the epoch there; arrays and PyDatasets start a new pass the
  next epoch, while an exhausted generator ends training (Keras 2 did the same).

Validation and `evaluate` start from the beginning each time (`restart`), as in Keras 3.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import data_adapter
from .data_adapter import ArrayData
from .dataset_adapters import get_adapter

_END = object()


class EpochIterator:
    """Batches for one epoch at a time, from arrays, a generator or a PyDataset."""

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        model=None,
        verb: str = "fit",
    ) -> None:
        self.verb = verb
        self.steps_name = {"fit": "steps_per_epoch", "validation": "validation_steps"}.get(
            verb, "steps"
        )
        self.steps_per_epoch = data_adapter.check_steps(steps_per_epoch, self.steps_name)
        self.adapter = get_adapter(
            x, y, sample_weight, batch_size, self.steps_per_epoch, shuffle, class_weight, model,
            verb,
        )  # fmt: skip
        self._pass: Iterator[ArrayData] | None = None  # the pass over the data being read
        self._seen = 0  # batches taken from it
        self._warned = False

    @property
    def num_batches(self) -> int | None:
        """Steps in one epoch (None when only the end of a generator will tell)."""
        return self.steps_per_epoch or self.adapter.num_batches

    def first_batch(self) -> ArrayData:
        """The first batch (kept to be read again), to build a model from its shapes."""
        return self.adapter.first_batch()

    def restart(self) -> None:
        """The next epoch starts a new pass (a generator just goes on)."""
        self._pass = None

    def epoch(self) -> Iterator[tuple[int, ArrayData]]:
        """`(step, batch)` for each batch of one epoch."""
        self.adapter.on_epoch_begin()
        try:
            if self._pass is None or self.steps_per_epoch is None:
                self._pass, self._seen = self.adapter.new_pass(), 0
            size, limit = self.adapter.num_batches, self.steps_per_epoch
            step = 0
            while limit is None or step < limit:
                # a pass of `size` batches is over after `size` (a PyDataset is never asked for more)
                pass_over = size is not None and self._seen >= size
                batch = _END if pass_over else next(self._pass, _END)
                if batch is _END:
                    if limit is not None or step == 0:
                        self._ran_out(step)
                    break
                self._seen += 1
                yield step, batch
                step += 1
            if size is not None and self._seen >= size:
                self._pass = None  # this pass is over: the next epoch starts another
        finally:
            self.adapter.on_epoch_end()

    def ran_out(self, epochs_left: int) -> bool:
        """True when the data can give no further epoch: a generator read to its end.

        Warns (once) when epochs were still to come, e.g. `fit(finite_generator(), epochs=5)`.
        """
        if not self.adapter.exhausted:
            return False
        if epochs_left > 0 and not self._warned:
            self._warned = True
            data_adapter.warn(
                f"Your input ran out of data: the generator gave all its "
                f"{self.adapter.batches_read} batches, so training stops with {epochs_left} "
                f"epoch(s) left. {_GENERATOR_ADVICE}"
            )
        return True

    def _ran_out(self, step: int) -> None:
        """Warn that this epoch got fewer batches than it should."""
        if self._warned:
            return
        whose = "Your validation data" if self.verb == "validation" else "Your input"
        limit, name = self.steps_per_epoch, self.steps_name
        after = f" after {step} of {limit} steps" if limit else ""
        if self.adapter.restartable:
            size = self.adapter.num_batches
            message = (
                f"{whose} ran out of data{after}: one pass over it is {size} batches "
                f"({name}={limit}). The next epoch starts a new pass, as in Keras 3; to avoid "
                f"short epochs, leave {name} out or make it divide {size}."
            )
        else:
            self._warned = True
            stops = {"fit": "training stops here", "validation": "validation stops here"}
            message = (
                f"{whose} ran out of data{after}: the generator stopped after "
                f"{self.adapter.batches_read} batches in all; "
                f"{stops.get(self.verb, self.verb + ' stops here')}. {_GENERATOR_ADVICE}"
            )
        data_adapter.warn(message)


_GENERATOR_ADVICE = (
    "A Python generator is read only once: for several epochs, make it loop forever "
    "(while True: ...) and pass steps_per_epoch (and validation_steps), or use a "
    "keras.utils.PyDataset, which starts over every epoch."
)

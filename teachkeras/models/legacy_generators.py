"""Keras 2's `fit_generator`, `evaluate_generator` and `predict_generator`.

Before TensorFlow 2.1, data that did not fit in memory went through separate methods:

    def batches():
        while True:
            for i in range(0, len(x), 32):
                yield x[i:i + 32], y[i:i + 32]

    model.fit_generator(batches(), steps_per_epoch=len(x) // 32, epochs=5)

Today the same line is `model.fit(batches(), steps_per_epoch=..., epochs=5)`. These
methods keep the old spelling working (each warns once with the new one) and behave
as Keras 2's did:

- the data is a Python generator (or iterator) yielding `(x, y)` or `(x, y, sample_weight)`
  batches, endlessly: `steps_per_epoch` (for `fit_generator`) and `steps` (for the others)
  say how many batches make one pass, and are required. The generator is not restarted
  between epochs: epoch 2 continues where epoch 1 stopped.
- or a sequence (an object with `len()` and `[i]` giving batch i, like
  `keras.utils.Sequence`): then the step counts default to its length, the batch order is
  shuffled each epoch if `shuffle`, and its `on_epoch_end()` is called after each epoch.
- `workers`, `use_multiprocessing` and `max_queue_size` are accepted and ignored: batches
  are read one after the other, in this process.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np

from ..backend.random import global_generator
from ..backend.tensor import Tensor, as_array
from ..legacy import warn_once
from . import data_adapter


class LegacyGeneratorsMixin:
    """The Keras 2 generator methods of `Model` (mixed in; `self` is the model)."""

    def fit_generator(
        self,
        generator,
        steps_per_epoch=None,
        epochs: int = 1,
        verbose=1,
        callbacks=None,
        validation_data=None,
        validation_steps=None,
        validation_freq: int = 1,
        class_weight=None,
        max_queue_size: int = 10,
        workers: int = 1,
        use_multiprocessing: bool = False,
        shuffle: bool = True,
        initial_epoch: int = 0,
    ):
        """Train on batches from a generator; returns a `History`, as `fit` does."""
        from ..callbacks.callback_list import CallbackList

        warn_once(
            "fit_generator",
            "Model.fit_generator() is the Keras 2 spelling (removed in Keras 3). Write instead: "
            "model.fit(generator, steps_per_epoch=..., epochs=...).",
        )
        self._assert_compiled("fit_generator")
        train = GeneratorData(generator, steps_per_epoch, "steps_per_epoch", shuffle, class_weight)
        val, val_arrays = None, None
        if validation_data is not None:
            if is_generator_like(validation_data):
                val = GeneratorData(validation_data, validation_steps, "validation_steps")
            else:
                vx, vy, vsw = data_adapter.unpack_validation_data(validation_data)
                val_arrays = data_adapter.prepare(vx, vy, vsw, model=self)
        verbose = 1 if verbose == "auto" else int(verbose)
        callbacks = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=train.steps,
        )
        self.stop_training = False
        callbacks.on_train_begin()
        logs: dict[str, float] = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, batch in enumerate(train.batches()):
                self._build_for_data(batch)
                callbacks.on_train_batch_begin(step)
                logs = self.train_step(batch)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if (val is not None or val_arrays is not None) and (epoch + 1) % validation_freq == 0:
                source = val if val is not None else val_arrays
                val_logs = self._evaluate_arrays(source, 32, validation_steps, callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self.stop_training:
                break
        callbacks.on_train_end(logs)
        return self.history

    def evaluate_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size: int = 10,
        workers: int = 1,
        use_multiprocessing: bool = False,
        verbose=0,
    ):
        """Loss and metrics over `steps` batches: a scalar, or a list in `metrics_names` order."""
        from ..callbacks.callback_list import CallbackList

        warn_once(
            "evaluate_generator",
            "Model.evaluate_generator() is the Keras 2 spelling (removed in Keras 3). Write "
            "instead: model.evaluate(generator, steps=...).",
        )
        self._assert_compiled("evaluate_generator")
        data = GeneratorData(generator, steps, "steps")
        callbacks = CallbackList(
            callbacks,
            add_progbar=int(verbose) != 0,
            model=self,
            verbose=int(verbose),
            steps=data.steps,
        )
        first = data.peek()
        self._build_for_data(first)
        logs = self._evaluate_arrays(data, 32, None, callbacks)
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def predict_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size: int = 10,
        workers: int = 1,
        use_multiprocessing: bool = False,
        verbose=0,
    ):
        """The model's outputs for `steps` batches of inputs, joined into NumPy arrays."""
        from ..callbacks.callback_list import CallbackList

        warn_once(
            "predict_generator",
            "Model.predict_generator() is the Keras 2 spelling (removed in Keras 3). Write "
            "instead: model.predict(generator, steps=...).",
        )
        data = GeneratorData(generator, steps, "steps", inputs_only=True)
        callbacks = CallbackList(
            callbacks,
            add_progbar=int(verbose) != 0,
            model=self,
            verbose=int(verbose),
            steps=data.steps,
        )
        callbacks.on_predict_begin()
        outputs = []
        for step, batch in enumerate(data.batches()):
            callbacks.on_predict_batch_begin(step)
            batch_out = self.predict_step(batch)
            parts = batch_out if isinstance(batch_out, list | tuple) else [batch_out]
            outputs.append([as_array(o) for o in parts])
            callbacks.on_predict_batch_end(step, {"outputs": batch_out})
        callbacks.on_predict_end()
        joined = [np.concatenate(group, axis=0) for group in zip(*outputs, strict=True)]
        return joined[0] if len(joined) == 1 else joined


def is_generator_like(data) -> bool:
    """A generator/iterator, or a sequence of batches; not arrays or (x, y) tuples."""
    return is_sequence(data) or (hasattr(data, "__next__") and hasattr(data, "__iter__"))


def is_sequence(data) -> bool:
    """An object with `len()` and `[i]` that is not itself data (array, list, tuple, dict)."""
    return (
        hasattr(data, "__len__")
        and hasattr(data, "__getitem__")
        and not isinstance(data, np.ndarray | list | tuple | dict | Tensor)
    )


class GeneratorData:
    """Batches read from a generator or a sequence, checked and packed as `ArrayData`.

    It has the `batches(...)` method of `data_adapter.ArrayData`, so the evaluation loop
    of `evaluate` runs on it unchanged.
    """

    def __init__(
        self,
        source,
        steps,
        steps_name: str,
        shuffle: bool = False,
        class_weight=None,
        inputs_only: bool = False,
    ) -> None:
        if not is_generator_like(source):
            raise TypeError(
                f"Expected a generator (or a keras.utils.Sequence) yielding batches; got "
                f"{type(source).__name__}. For arrays, use fit/evaluate/predict(x, y)."
            )
        self.sequence = is_sequence(source)
        if steps is None:
            if not self.sequence:
                raise ValueError(
                    f"`{steps_name}` is required when the data is a Python generator: it says how "
                    "many batches make one epoch, e.g. steps_per_epoch=len(x_train) // batch_size."
                )
            steps = len(source)
        self.source = source
        self.steps = int(steps)
        self.shuffle = shuffle
        self.class_weight = class_weight
        self.inputs_only = inputs_only
        self._iterator = None if self.sequence else iter(source)
        self._peeked: data_adapter.ArrayData | None = None

    def batches(
        self, batch_size=None, shuffle=None, steps=None
    ) -> Iterator[data_adapter.ArrayData]:
        """One epoch: `steps` batches (the arguments are those of `ArrayData.batches`, unused)."""
        if self.sequence:
            order = range(len(self.source))
            if self.shuffle:
                order = global_generator().permutation(len(self.source))
            for i in list(order)[: self.steps]:
                yield self._pack(self.source[int(i)])
            if hasattr(self.source, "on_epoch_end"):
                self.source.on_epoch_end()
            return
        for step in range(self.steps):
            if self._peeked is not None:
                batch, self._peeked = self._peeked, None
                yield batch
                continue
            try:
                item = next(self._iterator)
            except StopIteration:
                warnings.warn(
                    f"Your generator ran out of data after {step} of {self.steps} steps; stopping "
                    "there. A generator for fit_generator should loop forever (while True: ...).",
                    stacklevel=3,
                )
                return
            yield self._pack(item)

    def peek(self) -> data_adapter.ArrayData:
        """The first batch, kept to be yielded again (used to build an unbuilt model)."""
        if self.sequence:
            return self._pack(self.source[0])
        if self._peeked is None:
            self._peeked = self._pack(next(self._iterator))
        return self._peeked

    def _pack(self, item) -> data_adapter.ArrayData:
        if self.inputs_only:  # predict: (x, ...) tuples or x alone (a list is several inputs)
            x = item[0] if isinstance(item, tuple) else item
            return data_adapter.prepare(x)
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            raise ValueError(
                "Output of generator should be a tuple (x, y) or (x, y, sample_weight). "
                f"Found: {type(item).__name__}"
                + (f" of length {len(item)}" if isinstance(item, tuple) else "")
                + "."
            )
        x, y, *rest = item
        return data_adapter.prepare(x, y, rest[0] if rest else None, self.class_weight)

"""Keras 2's `fit_generator`, `evaluate_generator` and `predict_generator`.

Before TensorFlow 2.1, data that did not fit in memory went through separate methods:

    def batches():
        while True:
            for i in range(0, len(x), 32):
                yield x[i:i + 32], y[i:i + 32]

    model.fit_generator(batches(), steps_per_epoch=len(x) // 32, epochs=5)

Today `fit`, `evaluate` and `predict` read generators and `keras.utils.PyDataset`s
themselves, and the same line is `model.fit(batches(), steps_per_epoch=..., epochs=5)`.
Each method here warns once with that line and calls the modern one, keeping Keras 2's
arguments and defaults where they differ:

- a plain generator needs `steps_per_epoch` (fit) or `steps` (the others), since Keras 2
  expected it to loop forever; a Sequence (a `PyDataset`, or any object with `len()`
  and `[i]` giving batch i) defaults to its length;
- `workers`, `use_multiprocessing` and `max_queue_size` are accepted and ignored.
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import Tensor
from ..legacy import warn_once
from ..utils.py_dataset import PyDataset


def _evaluate_or_predict_generator(verb: str, doc: str):
    """Keras 2's `evaluate_generator` or `predict_generator`: one method, told which verb it is.

    It warns once with the modern line, then calls `model.evaluate` or `model.predict` on
    the generator, with Keras 2's arguments and defaults.
    """

    def method(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size: int = 10,
        workers: int = 1,
        use_multiprocessing: bool = False,
        verbose=0,
    ):
        warn_once(
            f"{verb}_generator",
            f"Model.{verb}_generator() is the Keras 2 spelling (removed in Keras 3). Write "
            f"instead: model.{verb}(generator, steps=...).",
        )
        data = as_dataset(generator, steps, "steps")
        return getattr(self, verb)(data, steps=steps, callbacks=callbacks, verbose=verbose)

    method.__name__ = f"{verb}_generator"
    method.__qualname__ = f"LegacyGeneratorsMixin.{verb}_generator"
    method.__doc__ = doc
    return method


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
        warn_once(
            "fit_generator",
            "Model.fit_generator() is the Keras 2 spelling (removed in Keras 3). Write instead: "
            "model.fit(generator, steps_per_epoch=..., epochs=...).",
        )
        if validation_data is not None and not isinstance(validation_data, list | tuple):
            validation_data = as_dataset(validation_data, validation_steps, "validation_steps")
        return self.fit(
            as_dataset(generator, steps_per_epoch, "steps_per_epoch"),
            steps_per_epoch=steps_per_epoch, epochs=epochs, verbose=verbose, callbacks=callbacks,
            validation_data=validation_data, validation_steps=validation_steps,
            validation_freq=validation_freq, class_weight=class_weight, shuffle=shuffle,
            initial_epoch=initial_epoch,
        )  # fmt: skip

    evaluate_generator = _evaluate_or_predict_generator(
        "evaluate",
        "Loss and metrics over `steps` batches: a scalar, or a list in `metrics_names` order.",
    )
    predict_generator = _evaluate_or_predict_generator(
        "predict", "The model's outputs for `steps` batches of inputs, joined into NumPy arrays."
    )


def as_dataset(data, steps, steps_name: str):
    """What Keras 2's generator methods took, as `fit` reads it: a generator (with `steps`),
    a PyDataset, or an object with `len()` and `[i]` (seen as a PyDataset)."""
    if isinstance(data, PyDataset):
        return data
    if hasattr(data, "__next__") and hasattr(data, "__iter__"):
        if steps is None:
            raise ValueError(
                f"`{steps_name}` is required when the data is a Python generator: it says how "
                "many batches make one epoch, e.g. steps_per_epoch=len(x_train) // batch_size."
            )
        return data
    if is_sequence(data):
        view = type(type(data).__name__, (SequenceView,), {})  # errors name the user's class
        return view(data)
    raise TypeError(
        f"Expected a generator (or a keras.utils.Sequence) yielding batches; got "
        f"{type(data).__name__}. For arrays, use fit/evaluate/predict(x, y)."
    )


def is_sequence(data) -> bool:
    """An object with `len()` and `[i]` that is not itself data (array, list, tuple, dict)."""
    return (
        hasattr(data, "__len__")
        and hasattr(data, "__getitem__")
        and not isinstance(data, np.ndarray | list | tuple | dict | Tensor)
    )


class SequenceView(PyDataset):
    """A Keras 2 Sequence that does not subclass `PyDataset`, read through `len()` and `[i]`."""

    def __init__(self, sequence) -> None:
        super().__init__()
        self.sequence = sequence

    def __len__(self) -> int:
        return len(self.sequence)

    def __getitem__(self, index):
        return self.sequence[index]

    def on_epoch_begin(self) -> None:
        if hasattr(self.sequence, "on_epoch_begin"):
            self.sequence.on_epoch_begin()

    def on_epoch_end(self) -> None:
        if hasattr(self.sequence, "on_epoch_end"):
            self.sequence.on_epoch_end()

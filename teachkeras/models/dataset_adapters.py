"""Where `fit`, `evaluate` and `predict` read their batches from: arrays, generators, PyDatasets.

As in Keras 3, one adapter stands in front of each kind of data and the training loop
sees only batches (`ArrayData`). Each adapter offers the same few things:

    num_batches       batches in one pass; None when only reading to the end tells (a generator)
    restartable       whether a new pass can start from the beginning (a generator cannot)
    exhausted         a generator that has been read to its end
    new_pass()        an iterator over one pass's batches
    first_batch()     the first batch, to build a model that does not know its input shape yet
    on_epoch_begin()  on_epoch_end(): passed on to a PyDataset

`epoch_iterator.py` cuts these passes into epochs. Every batch a dataset gives goes
through `data_adapter.prepare`, so it is checked exactly as arrays given to fit are.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np

from ..backend.random import global_generator
from ..legacy import warn_once
from ..utils.py_dataset import PyDataset
from . import data_adapter
from .data_adapter import ArrayData

_END = object()  # what next() returns once a generator is done


def is_dataset(data) -> bool:
    """A PyDataset, or a Python generator/iterator: data read one batch at a time."""
    return isinstance(data, PyDataset) or (hasattr(data, "__next__") and hasattr(data, "__iter__"))


def get_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    steps=None,
    shuffle=False,
    class_weight=None,
    model=None,
    verb: str = "fit",
):
    """The adapter for `x`: datasets are recognised first, everything else must be array-like."""
    if not is_dataset(x):
        data = data_adapter.prepare(x, y, sample_weight, class_weight, model, verb)
        if verb != "predict" and data.y is None:
            raise ValueError(
                f"{data_adapter.caller(verb)} needs targets: pass y (the labels or values to learn)."
            )
        if batch_size is None:  # Keras 3: `steps` batches cover the data once, else 32
            batch_size = math.ceil(data.num_samples / steps) if steps else 32
        return ArrayAdapter(data, batch_size, shuffle)
    kind = "PyDataset" if isinstance(x, PyDataset) else "generator"
    for name, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None:
            raise ValueError(
                f"When x is a {kind}, `{name}` should not be passed: the {kind} gives it as part "
                "of each batch, (x, y) or (x, y, sample_weight)."
            )
    if batch_size is not None:
        data_adapter.warn(
            f"batch_size={batch_size} is ignored: x is a {kind}, and each batch it gives is one "
            f"step. Leave batch_size out (the {kind} decides the batch size)."
        )
    if class_weight is not None and kind == "generator":
        warn_once(
            "fit.class_weight.generator",
            "fit(generator, class_weight=...) worked in Keras 2; Keras 3 refuses it. Yield "
            "(x, y, sample_weight) batches, or use a keras.utils.PyDataset, which takes class_weight.",
        )
    read = BatchReader(class_weight, model, verb)
    if kind == "PyDataset":
        return PyDatasetAdapter(x, shuffle, read)
    return GeneratorAdapter(x, read)


class BatchReader:
    """One item from a dataset (`x`, `(x,)`, `(x, y)`, `(x, y, sample_weight)`) -> checked `ArrayData`.

    NaN and infinity are reported for the first batch that has them, not for every batch.
    """

    def __init__(self, class_weight, model, verb: str) -> None:
        self.class_weight, self.model, self.verb = class_weight, model, verb
        self.warned_non_finite = False

    def __call__(self, item, source: str) -> ArrayData:
        if isinstance(item, list | tuple) and len(item) not in (1, 2, 3):
            raise ValueError(
                f"{source} gave a {type(item).__name__} of {len(item)} items; a batch should be "
                "x, (x,), or a tuple (x, y) or (x, y, sample_weight)."
            )
        x, y, sample_weight = _unpack(item)
        if self.verb != "predict" and y is None:
            raise ValueError(
                f"{data_adapter.caller(self.verb)} needs targets, but {source} gave x alone "
                f"({_describe(x)}). Each batch should be a tuple (x, y) or (x, y, sample_weight)."
            )
        if self.verb == "predict":
            y = sample_weight = None
        try:
            data = data_adapter.prepare(
                x, y, sample_weight, self.class_weight, self.model, self.verb, check_finite=False
            )
        except (ValueError, TypeError) as error:
            error.add_note(f"(in the batch that {source} gave)")
            raise
        if not self.warned_non_finite:
            self.warned_non_finite = data_adapter.warn_non_finite(data, self.verb)
        return data


def _unpack(item):
    """Keras 3's reading of a batch: a tuple/list by position, anything else is x alone."""
    if isinstance(item, list | tuple):
        return (*item, *(None,) * (3 - len(item)))
    return item, None, None


def _describe(value) -> str:
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    return f"{kind} of shape {tuple(shape)}" if shape is not None else kind


class ArrayAdapter:
    """Arrays in memory: a pass is `ceil(n / batch_size)` slices, in a new random order if shuffled."""

    restartable = True
    exhausted = False

    def __init__(self, data: ArrayData, batch_size: int, shuffle: bool) -> None:
        self.data, self.batch_size, self.shuffle = data, batch_size, bool(shuffle)

    @property
    def num_batches(self) -> int:
        return math.ceil(self.data.num_samples / self.batch_size)

    def new_pass(self) -> Iterator[ArrayData]:
        return self.data.batches(self.batch_size, self.shuffle)

    def first_batch(self) -> ArrayData:
        return self.data.take(slice(0, 1))

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass


class GeneratorAdapter:
    """A Python generator or iterator: read batch after batch, and never rewound.

    Its first batch is read at once (Keras 3 peeks too), so a generator that yields
    nothing or the wrong structure is reported before training starts; the batch is
    kept and given again as the first of the first pass.
    """

    restartable = False
    num_batches = None

    def __init__(self, source, read: BatchReader) -> None:
        self._iterator = iter(source)
        self._read = read
        self.batches_read = 0
        self.exhausted = False
        first = next(self._iterator, _END)
        if first is _END:
            raise ValueError(
                f"The generator given to {data_adapter.caller(read.verb)} yielded no batches: it can be "
                "read only once, so make a new one for each call (e.g. fit(make_batches(), ...))."
            )
        self._first: ArrayData | None = self._read_item(first)

    def _read_item(self, item) -> ArrayData:
        self.batches_read += 1
        return self._read(item, f"the generator (batch {self.batches_read})")

    def new_pass(self) -> Iterator[ArrayData]:
        """Continue where the last pass stopped, until the generator ends."""
        while True:
            if self._first is not None:
                batch, self._first = self._first, None
                yield batch
                continue
            item = next(self._iterator, _END)
            if item is _END:
                self.exhausted = True
                return
            yield self._read_item(item)

    def first_batch(self) -> ArrayData:
        if self._first is None:
            raise RuntimeError("The generator's first batch was already used.")
        return self._first

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass


class PyDatasetAdapter:
    """A `keras.utils.PyDataset`: a pass reads `dataset[i]` for i in `range(len(dataset))`.

    With `shuffle`, the order of the batches is new each pass (Keras 3 does the same);
    the samples inside a batch are the dataset's business. A dataset whose
    `num_batches` is None never ends: `steps_per_epoch` says where an epoch stops.
    """

    restartable = True
    exhausted = False

    def __init__(self, dataset: PyDataset, shuffle: bool, read: BatchReader) -> None:
        self.dataset, self.shuffle, self._read = dataset, bool(shuffle), read
        if self.num_batches == 0:
            raise ValueError(
                f"{type(dataset).__name__} has no batches (its __len__ is 0): check how it "
                "counts them, e.g. math.ceil(len(samples) / batch_size)."
            )

    @property
    def num_batches(self) -> int | None:
        return self.dataset.num_batches

    def new_pass(self) -> Iterator[ArrayData]:
        size = self.num_batches
        if size is None:
            indices = itertools.count()
        elif self.shuffle:
            indices = global_generator().permutation(size)
        else:
            indices = np.arange(size)
        for index in indices:
            yield self._read_index(int(index))

    def _read_index(self, index: int) -> ArrayData:
        name, size = type(self.dataset).__name__, self.num_batches
        try:
            item = self.dataset[index]
        except Exception as error:
            error.add_note(
                f"(raised by {name}.__getitem__({index}), while "
                f"{data_adapter.caller(self._read.verb)} read batch "
                f"{index} of {size if size is not None else 'an endless dataset'}: __getitem__(i) "
                "must return batch i as (x, y), (x, y, sample_weight) or x, for every i in "
                "range(len(dataset)))"
            )
            raise
        return self._read(item, f"{name}.__getitem__({index})")

    def first_batch(self) -> ArrayData:
        return self._read_index(0)

    def on_epoch_begin(self) -> None:
        self.dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self.dataset.on_epoch_end()

"""`PyDataset`: data written in Python, read by `fit` one batch at a time.

When the data does not fit in memory (images on disk, augmented on the fly), write
a class that says how many batches make one pass and how to make batch `i`:

    class Images(keras.utils.PyDataset):
        def __init__(self, paths, labels, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.paths, self.labels, self.batch_size = paths, labels, batch_size

        def __len__(self):                     # batches in one pass (one epoch)
            return math.ceil(len(self.paths) / self.batch_size)

        def __getitem__(self, i):              # batch i: (x, y) or (x, y, sample_weight)
            low, high = i * self.batch_size, (i + 1) * self.batch_size
            return load(self.paths[low:high]), self.labels[low:high]

    model.fit(Images(paths, labels, 32), epochs=5)

A batch is `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; `unpack_x_y_sample_weight`
reads those forms and `pack_x_y_sample_weight` writes them, for a `train_step` of your own.

Keras 3 can read a PyDataset with several threads or processes (`workers`,
`use_multiprocessing`, `max_queue_size`); teachkeras accepts these arguments and
reads the batches one after the other, in this process, so every line runs where
a learner can step through it.
"""

from __future__ import annotations

import itertools

from ..legacy import warn_once


class PyDataset:
    """Base class for a dataset that makes its batches in Python.

    Write `__len__` (the number of batches, or a `num_batches` property that returns
    None for an endless dataset) and `__getitem__(i)` (batch `i`, not sample `i`).
    `on_epoch_begin` and `on_epoch_end` are called around every epoch, e.g. to
    reshuffle the samples. `fit(dataset, shuffle=True)` already shuffles the order of
    the batches each epoch, as Keras 3 does.

    Args:
        workers, use_multiprocessing, max_queue_size: how Keras 3 parallelises the
            reading; accepted, and the batches are read one by one in this process.
    """

    # Class-level defaults, so a subclass that forgets `super().__init__()` still works.
    _workers = 1
    _use_multiprocessing = False
    _max_queue_size = 10

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return self._workers

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @property
    def max_queue_size(self):
        return self._max_queue_size

    def __getitem__(self, index):
        """Batch number `index`, as `(x, y)`, `(x, y, sample_weight)` or `x`."""
        raise NotImplementedError(
            f"{type(self).__name__} must define __getitem__(self, index) returning batch `index`."
        )

    @property
    def num_batches(self) -> int | None:
        """Batches in one epoch: `len(self)`, or None for a dataset that never ends."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            f"{type(self).__name__} must define __len__ (the number of batches) or a "
            "`num_batches` property (None for an endless dataset)."
        )

    def __iter__(self):
        """Batch after batch: one pass, or endlessly when `num_batches` is None."""
        size = self.num_batches
        for index in range(size) if size is not None else itertools.count():
            yield self[index]

    def on_epoch_begin(self) -> None:
        """Called before each epoch."""

    def on_epoch_end(self) -> None:
        """Called after each epoch (e.g. to reshuffle the samples)."""


class Sequence(PyDataset):
    """Keras 2's name for `PyDataset`: a subclass works as before and warns once."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        warn_once(
            "utils.Sequence",
            "keras.utils.Sequence is the Keras 2 name; Keras 3 calls it keras.utils.PyDataset. "
            f"Write: class {cls.__name__}(keras.utils.PyDataset), and call "
            "super().__init__(**kwargs) in its __init__.",
        )


def unpack_x_y_sample_weight(data):
    """`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` -> `(x, y, sample_weight)` with Nones.

    A list is read as a tuple, as in Keras 3 (so a batch `[x, y]` is x and y).

    Example:
        >>> x, y, sample_weight = unpack_x_y_sample_weight((features, labels))
        >>> sample_weight is None
        True
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) in (1, 2, 3):
        return (*data, *(None,) * (3 - len(data)))
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`; "
        f"found a tuple of {len(data)} items."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch form `fit` reads: `x` alone (or `(x,)` for a list/tuple x), `(x, y)`, `(x, y, sample_weight)`.

    A list or tuple `x` (several inputs) is wrapped as `(x,)`, so it is not read as `(x, y)`.
    """
    if y is None:
        return (x,) if isinstance(x, list | tuple) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight

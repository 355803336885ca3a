"""Folders of files -> batches `fit` can read: what `text_dataset_from_directory` and
`image_dataset_from_directory` share.

    main_directory/
        cats/   a.jpg  b.jpg ...        class 0 ("cats", the first name alphabetically)
        dogs/   c.jpg  d.jpg ...        class 1

`index_directory` lists the files and their labels in Keras 3's order (folders sorted,
files sorted, then, with `shuffle`, one seeded shuffle of the whole list), and
`get_training_or_validation_split` keeps the first or last `validation_split` of it.
`FileDataset` is the `PyDataset` that reads the files of batch `i` when `fit` asks for
it, so a folder larger than memory still trains.
"""

from __future__ import annotations

import math
import os

import numpy as np

from .io_utils import print_msg
from .py_dataset import PyDataset


def index_directory(
    directory,
    labels,
    formats: tuple[str, ...],
    class_names=None,
    shuffle: bool = True,
    seed: int | None = None,
    follow_links: bool = False,
    verbose: bool = True,
):
    """Every file of `directory` whose name ends with one of `formats`, with its label.

    Returns:
        `(file_paths, labels, class_names)`: `labels` an int32 array (None without labels),
        `class_names` the sub-folder names in label order (None without labels).
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"The directory {directory!r} does not exist (or is not a folder).")
    if labels == "inferred":
        subdirs = [
            d.rstrip("/")
            for d in sorted(os.listdir(directory))
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
        ]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    "The `class_names` passed did not match the names of the subdirectories of "
                    f"the target directory. Expected: {subdirs} (or a subset of it), but "
                    f"received: class_names={class_names}"
                )
            subdirs = list(class_names)  # their order is the labels' order
    else:  # explicit labels, or none: every file below `directory`
        subdirs = [""]
        if class_names is not None:
            raise ValueError(
                "When `labels=None` (no labels), argument `class_names` cannot be specified."
                if labels is None
                else "When argument `labels` is specified, argument `class_names` cannot be "
                "specified (the `class_names` will be the sorted list of labels)."
            )
    filenames, label_list = [], []
    for index, subdir in enumerate(subdirs):
        found = _files_below(os.path.join(directory, subdir), follow_links, formats)
        filenames += found
        label_list += [index] * len(found)
    if labels == "inferred":
        labels = np.array(label_list, dtype="int32")
        class_names = subdirs
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(filenames)} files "
                f"in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        found = f"Found {len(filenames)} files"
        print_msg(
            found + "." if labels is None else f"{found} belonging to {len(class_names)} classes."
        )
    file_paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:  # one seeded shuffle of the whole list, files and labels alike (Keras 3's)
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            labels = np.asarray(labels)
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def _files_below(folder: str, follow_links: bool, formats: tuple[str, ...]) -> list[str]:
    """The matching files below `folder`, as paths starting with its name, in sorted order
    (folders by their path, files by name)."""
    name = os.path.basename(folder)
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda w: w[0]):
        for file in sorted(files):
            if file.lower().endswith(formats):
                found.append(os.path.join(name, os.path.relpath(os.path.join(root, file), folder)))
    return found


def get_training_or_validation_split(samples, labels, validation_split, subset):
    """The last `validation_split` of the samples for "validation", the rest for "training"."""
    if not validation_split:
        return samples, labels
    num_val_samples = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val_samples} files for training.")
        samples = samples[:-num_val_samples]
        labels = None if labels is None else labels[:-num_val_samples]
    elif subset == "validation":
        print_msg(f"Using {num_val_samples} files for validation.")
        samples = samples[-num_val_samples:]
        labels = None if labels is None else labels[-num_val_samples:]
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return samples, labels


def check_validation_split_arg(validation_split, subset, shuffle, seed) -> None:
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def check_labels_args(labels, label_mode, class_names, what: str) -> None:
    if labels not in ("inferred", None):
        if not isinstance(labels, list | tuple):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size as "
                f"the number of {what} files in the target directory. If you wish to infer the "
                'labels from the subdirectory names in the target directory, pass `labels="inferred"`. '
                f"If you wish to get a dataset that only contains {what} samples (no labels), pass "
                f"`labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels}, and class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode}"
        )


def encode_labels(labels: np.ndarray, label_mode: str, num_classes: int) -> np.ndarray:
    """int: int32 `(n,)`; binary: float32 `(n, 1)`; categorical: float32 one-hot `(n, classes)`."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")


class DatasetOps:
    """The few `tf.data.Dataset` methods Keras tutorials call on these datasets, so their
    lines run unchanged: `map`, `take`, and `cache`/`prefetch`, which change nothing here
    (a batch is made when `fit` asks for it, in this process)."""

    def map(self, fn, num_parallel_calls=None, deterministic=None) -> MappedDataset:
        """Apply `fn` to every batch: `fn(x, y)` for a batch `(x, y)`, `fn(x)` for `x` alone.

        Example:
            >>> texts_only = train.map(lambda x, y: x)       # what TextVectorization.adapt reads
        """
        return MappedDataset(self, fn)

    def take(self, count: int) -> TakenDataset:
        """Only the first `count` batches (all of them for -1)."""
        return TakenDataset(self, count)

    def cache(self, filename: str = ""):
        return self

    def prefetch(self, buffer_size=None):
        return self


class MappedDataset(DatasetOps, PyDataset):
    """`dataset.map(fn)`: the batches of `dataset`, each passed through `fn`."""

    def __init__(self, dataset: PyDataset, fn) -> None:
        super().__init__()
        self.dataset, self.fn = dataset, fn
        self.class_names = getattr(dataset, "class_names", None)

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int):
        batch = self.dataset[index]
        return self.fn(*batch) if isinstance(batch, tuple) else self.fn(batch)

    def on_epoch_end(self) -> None:
        self.dataset.on_epoch_end()


class TakenDataset(DatasetOps, PyDataset):
    """`dataset.take(count)`: the first `count` batches of `dataset`."""

    def __init__(self, dataset: PyDataset, count: int) -> None:
        super().__init__()
        self.dataset = dataset
        self.count = len(dataset) if count < 0 else min(count, len(dataset))

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int):
        if not 0 <= index < self.count:
            raise IndexError(
                f"batch {index} is out of range: this dataset has {self.count} batches."
            )
        return self.dataset[index]


class FileDataset(DatasetOps, PyDataset):
    """Batches of `(x, y)` read from files when asked for (or `x` alone, without labels).

    Attributes:
        file_paths: the files, in the order the batches take them.
        class_names: the class of each label value (None without labels).

    Args:
        file_paths, labels: the samples (labels already encoded, or None).
        load: a function (list of paths) -> the batch's `x`.
        batch_size: samples per batch; None yields one sample at a time.
        shuffle, seed: with `shuffle`, the samples are reshuffled after every epoch
            (Keras 3's tf.data shuffles again each epoch too, with its own generator).
    """

    def __init__(
        self, file_paths, labels, load, batch_size, shuffle=False, seed=None, class_names=None
    ):
        super().__init__()
        self.file_paths = list(file_paths)
        self.labels = labels
        self.class_names = class_names
        self._load = load
        self.batch_size = batch_size
        self._order = np.arange(len(self.file_paths))
        self._rng = np.random.default_rng(seed) if shuffle else None

    def __len__(self) -> int:
        if self.batch_size is None:
            return len(self.file_paths)
        return math.ceil(len(self.file_paths) / self.batch_size)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(
                f"batch {index} is out of range: this dataset has {len(self)} batches."
            )
        size = self.batch_size or 1
        picked = self._order[index * size : (index + 1) * size]
        x = self._load([self.file_paths[i] for i in picked])
        if self.batch_size is None:
            x = x[0]
        if self.labels is None:
            return x
        y = self.labels[picked]
        return x, (y[0] if self.batch_size is None else y)

    def on_epoch_end(self) -> None:
        if self._rng is not None:
            self._order = self._rng.permutation(len(self.file_paths))

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {len(self.file_paths)} files, {len(self)} batches, "
            f"class_names={self.class_names}>"
        )

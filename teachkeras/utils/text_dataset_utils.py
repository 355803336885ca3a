"""`text_dataset_from_directory`: a folder of `.txt` files, one sub-folder per class ->
batches of `(texts, labels)` that `fit` reads.

    aclImdb/train/
        neg/  0_3.txt  1_1.txt ...      label 0
        pos/  0_9.txt  1_7.txt ...      label 1

    train = keras.utils.text_dataset_from_directory("aclImdb/train", batch_size=32,
                                                    validation_split=0.2, subset="training",
                                                    seed=1337)
    texts, labels = train[0]            # a NumPy array of 32 strings, 32 int32 labels
"""

from __future__ import annotations

import numpy as np

from . import dataset_utils
from .dataset_utils import FileDataset


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",  # noqa: A002 (Keras's name for it)
    verbose=True,
):
    """Text files in `directory` -> a `PyDataset` of `(texts, labels)` batches (Keras 3's
    arguments and defaults; the files are read when a batch is asked for).

    Args:
        directory: the folder; with `labels="inferred"`, one sub-folder per class.
        labels: "inferred" (from the sub-folder names), None (texts only), or a list of
            integer labels, one per file in sorted path order.
        label_mode: "int" (int32 `(batch,)`), "categorical" (one-hot float32
            `(batch, classes)`), "binary" (float32 `(batch, 1)`, exactly 2 classes) or None.
        class_names: the sub-folders to use, in label order (default: all, sorted).
        batch_size: texts per batch (None: one text at a time).
        max_length: keep at most this many characters of each text.
        shuffle, seed: shuffle the files once (Keras 3's seeded order), then again after
            every epoch; `shuffle=False` keeps them sorted.
        validation_split, subset: keep the last `validation_split` of the (shuffled) files
            for "validation", the rest for "training"; "both" returns the two datasets.
        follow_links: also walk folders that are symbolic links.
        format: accepted for Keras 3's signature ("tf" or "grain"); a `PyDataset` either way.
        verbose: print how many files and classes were found.

    Returns:
        A `PyDataset` with `class_names` and `file_paths` (or, for `subset="both"`, a
        list `[training, validation]`). Each batch is `(texts, labels)`: `texts` a NumPy
        array of str `(batch,)`.
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "text")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if labels is None or label_mode is None:
        labels = label_mode = None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        formats=(".txt",),
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )

    def dataset(paths, subset_labels, shuffled: bool, what: str) -> FileDataset:
        if not paths:
            raise ValueError(
                f"No {what}text files found in directory {directory}. Allowed format: .txt"
            )
        encoded = None
        if label_mode is not None:
            encoded = dataset_utils.encode_labels(subset_labels, label_mode, len(class_names))
        return FileDataset(
            paths,
            encoded,
            lambda batch: _read_texts(batch, max_length),
            batch_size,
            shuffle=shuffled,
            seed=seed,
            class_names=class_names,
        )

    if subset == "both":
        split = dataset_utils.get_training_or_validation_split
        train = split(file_paths, labels, validation_split, "training")
        val = split(file_paths, labels, validation_split, "validation")
        return [dataset(*train, shuffle, "training "), dataset(*val, False, "validation ")]
    paths, subset_labels = dataset_utils.get_training_or_validation_split(
        file_paths, labels, validation_split, subset
    )
    return dataset(paths, subset_labels, shuffle, "")


def _read_texts(paths: list[str], max_length) -> np.ndarray:
    """The files' contents, `(len(paths),)` strings, each cut to `max_length` characters."""
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read()[:max_length])
    return np.array(texts, dtype=str)

"""The word-index preprocessing shared by `imdb` and `reuters`, done on flat arrays.

A review is a list of word indices, `[14, 22, 16, 43, ...]`, ranked by frequency
(1 = the most frequent word). Reviews have different lengths, so instead of looping
over every word of every review we keep *all* words in one flat array plus one length
per review:

    sequences [[5, 9], [7], [2, 4, 8]]   ->   values [5 9 7 2 4 8],  lengths [2 1 3]

and every step below (shift, prepend a start mark, drop long reviews, cut the
vocabulary) is one vectorised NumPy expression on `values`. The rules are Keras's,
step for step, so the numbers match `keras.datasets.imdb.load_data` exactly.
"""

from __future__ import annotations

import itertools

import numpy as np


def flatten(sequences) -> tuple[np.ndarray, np.ndarray]:
    """Ragged sequences -> `(values, lengths)`, both int64."""
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    values = np.fromiter(
        itertools.chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum())
    )
    return values, lengths


def sequence_ids(lengths: np.ndarray) -> np.ndarray:
    """For each value, the number of the sequence it belongs to: lengths [2 1] -> [0 0 1]."""
    return np.repeat(np.arange(len(lengths)), lengths)


def mark_start_and_shift(values, lengths, start_char, index_from):
    """Add `index_from` to every word, and put `start_char` in front of every sequence.

    Formula: [w1, w2, ...] -> [start_char, w1 + index_from, w2 + index_from, ...]
    (with `start_char=None` only the shift happens). Indices below `index_from` are so
    left free for padding (0), the start mark (1) and out-of-vocabulary words (2).
    """
    values = values + index_from
    if start_char is None:
        return values, lengths
    starts = np.cumsum(lengths) - lengths  # where each sequence begins in `values`
    return np.insert(values, starts, start_char), lengths + 1


def keep_shorter_than(values, lengths, labels, maxlen):
    """Drop every sequence with `maxlen` or more words (Keras drops, it does not cut)."""
    keep = lengths < maxlen
    return values[np.repeat(keep, lengths)], lengths[keep], labels[keep]


def limit_vocabulary(values, lengths, num_words, skip_top, oov_char):
    """Keep words with `skip_top <= w < num_words`; others become `oov_char` or vanish.

    Formula: w -> w if skip_top <= w < num_words else oov_char   (oov_char=None: w removed)
    """
    inside = (values >= skip_top) & (values < num_words)
    if oov_char is not None:
        return np.where(inside, values, oov_char), lengths
    kept_per_sequence = np.bincount(sequence_ids(lengths)[inside], minlength=len(lengths))
    return values[inside], kept_per_sequence.astype(np.int64)


def to_lists(values, lengths) -> np.ndarray:
    """`(values, lengths)` -> a 1-D object array of Python lists, as Keras returns."""
    flat = values.tolist()
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]]
    lists = (flat[start:end] for start, end in zip(starts, ends, strict=True))
    # fromiter keeps each list as one element, even when all lists have the same length
    return np.fromiter(lists, dtype=object, count=len(lengths))


def prepare(
    sequences_and_labels: list,
    num_words: int | None,
    skip_top: int,
    maxlen: int | None,
    start_char: int | None,
    oov_char: int | None,
    index_from: int,
    require_kept: bool = False,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Keras's pipeline for a list of `(sequences, labels)` parts (imdb: train and test).

    Each part is marked and shifted, then filtered by `maxlen`; the vocabulary limit is
    set over all parts together (`num_words=None` means the largest index seen) and
    applied. Returns a list of `(x, y)`, x an object array of lists, one per part.
    `require_kept=True` (imdb) makes a part emptied by `maxlen` an error.
    """
    parts = []
    for sequences, labels in sequences_and_labels:
        values, lengths = flatten(sequences)
        values, lengths = mark_start_and_shift(values, lengths, start_char, index_from)
        labels = np.asarray(labels)
        if maxlen:
            values, lengths, labels = keep_shorter_than(values, lengths, labels, maxlen)
        parts.append((values, lengths, labels))
    if maxlen and require_kept and any(len(lengths) == 0 for _, lengths, _ in parts):
        raise ValueError(
            f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
            "kept. Increase maxlen."
        )
    if not num_words:  # Keras: the largest index present (note: `w < num_words` drops it)
        num_words = max((int(v.max()) for v, _, _ in parts if v.size), default=0)
    result = []
    for values, lengths, labels in parts:
        values, lengths = limit_vocabulary(values, lengths, num_words, skip_top, oov_char)
        result.append((to_lists(values, lengths), labels))
    return result

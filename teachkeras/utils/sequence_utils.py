"""`pad_sequences`: lists of different lengths -> one array a model can take.

    pad_sequences([[1, 2, 3], [4, 5], [6]])
    -> [[1, 2, 3],
        [0, 4, 5],
        [0, 0, 6]]

A batch must be a rectangle, but sentences have different lengths. Each sequence is
cut to `maxlen` (keeping its end, `truncating="pre"`, or its start, `"post"`) and the
rest is filled with `value` (before it, `padding="pre"`, or after it, `"post"`). With
`value=0`, `Embedding(mask_zero=True)` then knows which steps are padding.
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np


def pad_sequences(
    sequences,
    maxlen: int | None = None,
    dtype="int32",
    padding: str = "pre",
    truncating: str = "pre",
    value=0.0,
) -> np.ndarray:
    """Pad (and cut) sequences to one length: an array `(len(sequences), maxlen, ...)`.

    Args:
        sequences: a list of sequences (lists or arrays; each item a number, or an array
            of one shape, e.g. the features of a time step).
        maxlen: the length of the result (default: the longest sequence's).
        dtype: of the result (`"float32"` to pad real numbers; `object` for strings).
        padding: `"pre"` (fill before the sequence, the default) or `"post"`.
        truncating: `"pre"` (cut the start of a longer sequence, the default) or `"post"`.
        value: what fills the padding (0: the id `Embedding(mask_zero=True)` masks).

    Returns:
        The padded array.

    Example:
        >>> pad_sequences([[1, 2, 3], [4, 5]], maxlen=2, padding="post")
        array([[2, 3],
               [4, 5]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    for name, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise ValueError(f'{name.capitalize()} type "{given}" not understood')
    lengths = np.array([_length(s, i) for i, s in enumerate(sequences)], dtype=np.int64)
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    flat = _items(sequences, lengths, dtype)  # every item, one after another: (total, ...)
    if maxlen is None:
        maxlen = int(lengths.max()) if len(lengths) else 0
    out = np.full((len(lengths), maxlen, *flat.shape[1:]), value, dtype=dtype)

    kept = np.minimum(lengths, maxlen)  # items each row keeps
    starts = np.cumsum(lengths) - lengths  # where each sequence starts in `flat`
    first = starts + (lengths - kept if truncating == "pre" else 0)  # first item kept
    offset = maxlen - kept if padding == "pre" else np.zeros_like(kept)  # first slot filled
    slots = np.arange(maxlen)[None, :]  # (1, maxlen)
    filled = (slots >= offset[:, None]) & (slots < (offset + kept)[:, None])  # (n, maxlen)
    source = first[:, None] + slots - offset[:, None]  # (n, maxlen): index into `flat`
    out[filled] = flat[source[filled]]
    return out


def _length(sequence, position: int) -> int:
    try:
        return len(sequence)
    except TypeError:
        raise ValueError(
            "`sequences` must be a list of iterables (one list of ids per sample). Found "
            f"non-iterable: {sequence!r} at position {position}."
        ) from None


def _items(sequences, lengths: np.ndarray, dtype) -> np.ndarray:
    """All items of all sequences in one array, checked against `dtype` (the first bad item
    is named, with its position)."""
    if isinstance(sequences, np.ndarray) and sequences.ndim >= 2:  # already a rectangle
        items = flat = sequences.reshape(-1, *sequences.shape[2:])
    else:
        items = list(itertools.chain.from_iterable(sequences))
        try:
            flat = np.asarray(items)
        except ValueError:  # items of different shapes
            _raise_for_first_bad_item(sequences, dtype, "shape")
    if flat.dtype.kind in "USO" and np.dtype(dtype).kind in "iufb":
        _raise_for_first_bad_item(sequences, dtype, "number")
    if np.dtype(dtype).kind in "iu" and flat.dtype.kind == "f":
        if not np.array_equal(flat, np.floor(flat)):
            _raise_for_first_bad_item(sequences, dtype, "whole")
    if not len(items):
        return np.zeros((0,), dtype=dtype)
    return flat.astype(dtype)


def _raise_for_first_bad_item(sequences, dtype, problem: str):
    """Find the first item that breaks `problem` and say where it is."""
    shape = None
    for i, sequence in enumerate(sequences):
        for j, item in enumerate(sequence):
            item_shape = np.shape(item)
            if problem == "shape":
                if shape is None:
                    shape = item_shape
                elif item_shape != shape:
                    raise ValueError(
                        f"Shape of sample {item_shape} of sequence at position {i} (item {j}) "
                        f"is different from expected shape {shape}."
                    )
            elif problem == "number" and not _is_number(item):
                raise ValueError(
                    f"pad_sequences: the sequence at position {i} has the item {item!r} at "
                    f"position {j}, which is not a number (dtype={dtype!r}). Turn words into "
                    "ids first (Tokenizer.texts_to_sequences, or TextVectorization), or pass "
                    "dtype=object to pad strings."
                )
            elif problem == "whole" and not np.all(np.floor(item) == item):
                raise ValueError(
                    f"pad_sequences: the sequence at position {i} has the item {item!r} at "
                    f"position {j}, but dtype={dtype!r} would cut it to a whole number. Pass "
                    "dtype='float32' to pad real numbers."
                )
    raise ValueError(f"pad_sequences: the items cannot be stored as {dtype!r}.")


def _is_number(item) -> bool:
    values = np.asarray(item)
    if values.dtype == object:
        return all(isinstance(v, numbers.Number) for v in values.flat)
    return values.dtype.kind in "iufb"

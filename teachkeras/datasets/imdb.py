"""IMDB movie reviews, labelled positive (1) or negative (0): `keras.datasets.imdb`.

25,000 training and 25,000 test reviews, each already turned into a list of word
indices ranked by frequency (`3` is the 3rd most frequent word). Downloaded once
(`imdb.npz`, 17 MB) into `~/.keras/datasets/`; read without unpickling anything
(see `_safe_pickle`).
"""

from __future__ import annotations

import json
import warnings

import numpy as np

from ..legacy import user_stacklevel
from ..legacy.renames import accepts_renamed
from ._download import get_file
from ._safe_pickle import load_npz
from ._word_sequences import prepare

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"  # sha256
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"  # md5, as Keras checks it


@accepts_renamed({"nb_words": "num_words"}, owner="imdb.load_data")  # Keras 1 and 2
def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs,
):
    """Loads the IMDB dataset of 50,000 movie reviews labelled by sentiment.

    Each review is a list of word indices. Index `i + index_from` stands for the i-th
    most frequent word; 0 is kept for padding, `start_char` (1) opens every review and
    `oov_char` (2) replaces words cut by `num_words`/`skip_top`.

    Args:
        path: file name in the cache (`~/.keras/datasets/`).
        num_words: keep only the `num_words` most frequent words (indices `< num_words`);
            others become `oov_char`. `None` keeps all.
        skip_top: also replace the `skip_top` most frequent words (indices `< skip_top`)
            by `oov_char`.
        maxlen: drop (not cut!) every review with `maxlen` or more indices.
        seed: seed of the shuffle (train and test are each shuffled).
        start_char: index put at the start of each review (`None`: none).
        oov_char: index of an out-of-vocabulary word (`None`: such words are removed).
        index_from: added to every word index.
        **kwargs: ignored, with a warning (Keras ignores them silently). `nb_words=`, the
            Keras 1/2 spelling of `num_words`, is translated before, with its own warning.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x are 1-D `object` arrays of Python
        lists (25,000 each), y are integer arrays of 0/1 with shape `(25000,)`.

    Example:
        >>> (x_train, y_train), _ = imdb.load_data(num_words=10000)  # doctest: +SKIP
        >>> x_train[0][:5]                                            # doctest: +SKIP
        [1, 14, 22, 16, 43]
    """
    if kwargs:  # Keras 3 silently ignores these; we say so
        warnings.warn(
            f"imdb.load_data ignores unknown arguments {sorted(kwargs)} (as Keras does).",
            stacklevel=user_stacklevel(),
        )
    path = get_file(path, origin=ORIGIN_FOLDER + "imdb.npz", file_hash=FILE_HASH)
    arrays = load_npz(path)

    # Keras draws both shuffles from one RandomState, train first: same order here
    rng = np.random.RandomState(seed)
    order = np.arange(len(arrays["x_train"]))
    rng.shuffle(order)
    train = (arrays["x_train"][order], arrays["y_train"][order])
    order = np.arange(len(arrays["x_test"]))
    rng.shuffle(order)
    test = (arrays["x_test"][order], arrays["y_test"][order])

    (x_train, y_train), (x_test, y_test) = prepare(
        [train, test],
        num_words,
        skip_top,
        maxlen,
        start_char,
        oov_char,
        index_from,
        require_kept=True,
    )
    return (x_train, y_train), (x_test, y_test)


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The dict `word -> index` (1 = most frequent). In `x_train` a word is `index + 3`.

    Example:
        >>> index = imdb.get_word_index()                                  # doctest: +SKIP
        >>> words = {i + 3: w for w, i in index.items()} | {1: "[START]", 2: "[OOV]"}
        >>> " ".join(words.get(i, "?") for i in x_train[0])                # doctest: +SKIP
    """
    path = get_file(path, origin=ORIGIN_FOLDER + "imdb_word_index.json", file_hash=WORD_INDEX_HASH)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


__all__ = ["get_word_index", "load_data"]

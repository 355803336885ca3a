"""Reuters newswires, labelled with one of 46 topics: `keras.datasets.reuters`.

11,228 newswires as lists of word indices ranked by frequency, like `imdb`. Downloaded
once (`reuters.npz`, 2 MB) into `~/.keras/datasets/`; read without unpickling anything.
"""

from __future__ import annotations

import json

import numpy as np

from ..legacy.renames import accepts_renamed
from ._download import get_file
from ._safe_pickle import load_npz
from ._split import shuffled_indices
from ._word_sequences import prepare

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"  # sha256
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"  # md5, as Keras checks it

# The 46 topics, in label order (label 3 is "earn").
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
    "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


@accepts_renamed({"nb_words": "num_words"}, owner="reuters.load_data")  # Keras 1 and 2
def load_data(
    path: str = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs,
):
    """Loads the Reuters newswire topic dataset (11,228 wires, 46 topics).

    Args:
        path: file name in the cache (`~/.keras/datasets/`).
        num_words: keep only word indices `< num_words`; others become `oov_char`.
        skip_top: also replace indices `< skip_top` by `oov_char`.
        maxlen: drop (not cut!) every wire with `maxlen` or more indices.
        test_split: fraction of the (shuffled) wires used as test data.
        seed: seed of the shuffle.
        start_char: index put at the start of each wire (`None`: none).
        oov_char: index of an out-of-vocabulary word (`None`: such words are removed).
        index_from: added to every word index.
        **kwargs: none (`nb_words=`, the Keras 1/2 spelling of `num_words`, is translated
            before the function runs, with a warning).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x are 1-D `object` arrays of lists of
        word indices, y integer topic labels in `0..45` (8,982 train, 2,246 test).
    """
    if kwargs:
        raise TypeError(f"reuters.load_data got unexpected keyword arguments {sorted(kwargs)}")
    path = get_file(path, origin=ORIGIN_FOLDER + "reuters.npz", file_hash=FILE_HASH)
    arrays = load_npz(path)
    order = shuffled_indices(len(arrays["x"]), seed)
    ((xs, labels),) = prepare(
        [(arrays["x"][order], arrays["y"][order])],
        num_words,
        skip_top,
        maxlen,
        start_char,
        oov_char,
        index_from,
    )
    n_train = int(len(xs) * (1 - test_split))
    return (xs[:n_train], np.array(labels[:n_train])), (xs[n_train:], np.array(labels[n_train:]))


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The dict `word -> index` (1 = most frequent). In `x_train` a word is `index + 3`."""
    path = get_file(
        path, origin=ORIGIN_FOLDER + "reuters_word_index.json", file_hash=WORD_INDEX_HASH
    )
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names; `get_label_names()[y]` names label `y`."""
    return LABEL_NAMES

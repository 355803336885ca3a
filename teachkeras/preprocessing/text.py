"""Keras 2's `keras.preprocessing.text`: `Tokenizer` and `text_to_word_sequence`.

Keras 3 removed this module; its job is done by the `TextVectorization` layer:

    Keras 2                                      Keras 3
    tok = Tokenizer(num_words=10000)             vec = TextVectorization(max_tokens=10000,
    tok.fit_on_texts(texts)                                              output_sequence_length=100)
    seqs = tok.texts_to_sequences(texts)         vec.adapt(texts)
    x = pad_sequences(seqs, maxlen=100)          x = vec(texts)

The two do not number words alike: Tokenizer gives 1 to the most frequent word (ties:
first seen first), keeps every word in `word_index` and applies `num_words` only when
turning texts into ids; TextVectorization reserves 0 for padding and 1 for unknown
words, then numbers by frequency (ties: reverse alphabetical order). Tutorials written
for Keras 2 run here unchanged, with the numbers Keras 2 gave, and warn once.
"""

from __future__ import annotations

import json
from collections import OrderedDict, defaultdict

import numpy as np

from ..legacy import warn_once

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'  # no apostrophe: "don't" stays a word


def _warn_removed(what: str) -> None:
    warn_once(
        "preprocessing.text",
        f"keras.preprocessing.text.{what} is Keras 2: Keras 3 removed it. Write instead: "
        "vectorize = keras.layers.TextVectorization(max_tokens=..., output_sequence_length=...); "
        "vectorize.adapt(texts); ids = vectorize(texts).",
    )


def text_to_word_sequence(
    input_text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
) -> list[str]:
    """Split a text into words (Keras 2): lowercase it, turn every character of `filters`
    into `split`, split, and drop the empty pieces.

    Example:
        >>> text_to_word_sequence("Hello, world!  It's me.")
        ['hello', 'world', "it's", 'me']
    """
    _warn_removed("text_to_word_sequence")
    return _words(input_text, filters, lower, split)


def _words(text: str, filters: str, lower: bool, split: str) -> list[str]:
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in text.split(split) if word]


class Tokenizer:
    """Keras 2's word (or character) index over a corpus, and texts as lists of ids.

    `fit_on_texts(texts)` counts the words: `word_index` numbers them from 1 by decreasing
    count (ties: the word seen first comes first), the `oov_token` (if any) first of all.
    `texts_to_sequences(texts)` turns each text into its ids, keeping only ids below
    `num_words` (the others become the `oov_token`'s id, or are dropped).

    Args:
        num_words: keep the `num_words - 1` most frequent words when making ids (None: all).
        filters: characters removed from the texts (default: punctuation, tabs, newlines).
        lower: lowercase the texts first.
        split: the word separator.
        char_level: every character is a token.
        oov_token: a token for words outside the kept vocabulary (id 1 when given).
        analyzer: a function text -> tokens, used instead of filters/lower/split.

    Example:
        >>> tok = Tokenizer(num_words=3, oov_token="<OOV>")
        >>> tok.fit_on_texts(["the cat sat", "the dog sat down"])
        >>> tok.word_index
        {'<OOV>': 1, 'the': 2, 'sat': 3, 'cat': 4, 'dog': 5, 'down': 6}
        >>> tok.texts_to_sequences(["the cat ran"])
        [[2, 1, 1]]
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer=None,
        document_count: int = 0,
        **kwargs,
    ) -> None:
        _warn_removed("Tokenizer")
        if "nb_words" in kwargs:  # Keras 1's name, which Keras 2 still read
            num_words = kwargs.pop("nb_words")
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.document_count = document_count
        self.word_counts: OrderedDict[str, int] = OrderedDict()
        self.word_docs: defaultdict[str, int] = defaultdict(int)
        self.index_docs: defaultdict[int, int] = defaultdict(int)
        self.word_index: dict[str, int] = {}
        self.index_word: dict[int, str] = {}

    # --- text -> tokens ------------------------------------------------------------------
    def _tokens(self, text) -> list:
        if self.char_level or isinstance(text, list):  # a list is already tokens
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return list(text)
        if self.analyzer is not None:
            return list(self.analyzer(text))
        return _words(text, self.filters, self.lower, self.split)

    # --- learning the vocabulary ---------------------------------------------------------
    def fit_on_texts(self, texts) -> None:
        """Count every token, and number them from 1 by decreasing count into `word_index`."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        # sorted() is stable: among words with the same count, the first seen stays first
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [w for w, _ in ranked]
        self.word_index = {word: i for i, word in enumerate(vocabulary, start=1)}
        self.index_word = {i: word for word, i in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences) -> None:
        """Count, for each id, the documents it appears in (what `tfidf` mode needs)."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for i in set(sequence):
                self.index_docs[i] += 1

    # --- texts <-> ids -------------------------------------------------------------------
    def texts_to_sequences(self, texts) -> list[list[int]]:
        """Each text as its list of ids (unknown words: the `oov_token`'s id, or dropped)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for text in texts:
            ids = []
            for token in self._tokens(text):
                i = self.word_index.get(token)
                if i is not None and self.num_words and i >= self.num_words:
                    i = oov  # a word outside the num_words - 1 most frequent
                elif i is None:
                    i = oov
                if i is not None:
                    ids.append(i)
            yield ids

    def sequences_to_texts(self, sequences) -> list[str]:
        """Each list of ids back to a text (words joined by spaces)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for sequence in sequences:
            words = []
            for i in sequence:
                word = self.index_word.get(i)
                if word is not None and self.num_words and i >= self.num_words:
                    word = None if oov is None else self.index_word[oov]
                elif word is None and oov is not None:
                    word = self.index_word[oov]
                if word is not None:
                    words.append(word)
            yield " ".join(words)

    # --- texts -> one row of numbers per text --------------------------------------------
    def texts_to_matrix(self, texts, mode: str = "binary") -> np.ndarray:
        """`(len(texts), num_words)`: see `sequences_to_matrix`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode: str = "binary") -> np.ndarray:
        """One row per sequence, one column per id (float64, as Keras 2), by `mode`:

            binary   1 if the id occurs                  count   c, its number of occurrences
            freq     c / len(sequence)                   tfidf   (1 + ln c) · ln(1 + N / (1 + d))

        with N the number of documents fitted and d those containing the id. Ids from
        `num_words` on are left out; without `num_words` there are `len(word_index) + 1`
        columns (column 0 is never used).
        """
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError(
                "Specify a dimension (`num_words` argument), or fit on some text data first."
            )
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError(
                f"Unknown vectorization mode: {mode!r}; use 'binary', 'count', 'freq' or 'tfidf'."
            )
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        lengths = np.array([len(s) for s in sequences], dtype=np.int64)
        ids = np.fromiter((i for s in sequences for i in s), np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(sequences)), lengths)
        keep = ids < width
        counts = np.zeros((len(sequences), width))  # (texts, width)
        np.add.at(counts, (rows[keep], ids[keep]), 1.0)  # c for each (text, id)
        if mode == "count":
            return counts
        if mode == "binary":
            return (counts > 0).astype(np.float64)
        if mode == "freq":
            return counts / np.maximum(lengths, 1)[:, None]
        documents = np.array([self.index_docs.get(j, 0) for j in range(width)])  # d per id
        idf = np.log(1 + self.document_count / (1 + documents))
        with np.errstate(divide="ignore"):
            tf = np.where(counts > 0, 1 + np.log(counts), 0.0)
        return tf * idf

    # --- saving ----------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Keras 2's config: the settings, and the counts and indexes as JSON strings."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs) -> str:
        """The tokenizer as JSON (read it back with `tokenizer_from_json`)."""
        return json.dumps({"class_name": "Tokenizer", "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """A `Tokenizer` back from `Tokenizer.to_json()`."""
    config = dict(json.loads(json_string)["config"])
    counts = {k: json.loads(config.pop(k)) for k in ("word_counts", "word_docs", "index_docs")}
    index_word = json.loads(config.pop("index_word"))
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = OrderedDict(counts["word_counts"])
    tokenizer.word_docs = defaultdict(int, counts["word_docs"])
    tokenizer.index_docs = defaultdict(int, {int(k): v for k, v in counts["index_docs"].items()})
    tokenizer.index_word = {int(k): v for k, v in index_word.items()}
    tokenizer.word_index = word_index
    return tokenizer

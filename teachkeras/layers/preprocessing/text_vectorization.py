"""`TextVectorization`: texts -> token ids (or one row of word counts per text).

    vectorize = TextVectorization(max_tokens=20000, output_sequence_length=200)
    vectorize.adapt(train_texts)            # learn the vocabulary from the texts
    ids = vectorize(["The movie was great!"])   # (1, 200) int64: [[2, 9, 12, 48, 0, 0, ...]]

Each text goes through five steps (Keras 3's, in its order):

    1. standardize   "The movie was great!" -> "the movie was great"   (lowercase, no punctuation)
    2. split         -> ["the", "movie", "was", "great"]                (on whitespace)
    3. ngrams        -> add "the movie", "movie was", ... (if ngrams=2)
    4. index         each token -> its id in the vocabulary
    5. output        "int": the ids, padded with 0 to one length;
                     "multi_hot" / "count" / "tf_idf": one row per text, a column per token

The vocabulary that `adapt` learns is ordered by count (most frequent first), ties in
reverse alphabetical order. In "int" mode id 0 is padding ("") and id 1 stands for every
token outside the vocabulary ("[UNK]"); in the other modes column 0 is "[UNK]".
"""

from __future__ import annotations

import re
import string

import numpy as np

from ...backend.tensor import Tensor, as_array
from ...serialization.keras_objects import serialize_keras_object
from ..keras_tensor import KerasTensor
from ..layer import Layer
from .string_lookup import StringLookup

MASK_TOKEN, OOV_TOKEN = "", "[UNK]"
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
# TensorFlow's string ops, which Keras 3 uses: ASCII letters lowercased, ASCII
# punctuation removed, ASCII whitespace splitting (other characters are left as they are).
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


class TextVectorization(Layer):
    """Turn a batch of strings into token ids, or into a row of numbers per string.

    Args:
        max_tokens: the vocabulary's size, special tokens included (None: no limit).
        standardize: "lower_and_strip_punctuation" (default), "lower", "strip_punctuation",
            None, or a function array-of-str -> array-of-str.
        split: "whitespace" (default), "character", None (each text is one token), or a
            function array-of-str -> list of token lists.
        ngrams: None, n (all 1..n-grams) or a tuple of widths: add n-grams ("a b") as tokens.
        output_mode: "int" (default): ids `(batch, steps)`; "multi_hot": 1 where a token
            occurs `(batch, vocabulary)`; "count": how often; "tf_idf": count × idf;
            "one_hot" (with split=None): each text, one token, as a one-hot row.
        output_sequence_length: "int" mode: pad with 0 or cut every row to this length
            (default: the longest text of the batch).
        pad_to_max_tokens: other modes: `max_tokens` columns even for a smaller vocabulary.
        vocabulary: a list of tokens (or a file with one per line) instead of `adapt`.
        idf_weights: "tf_idf" mode with a given vocabulary: one weight per token.
        sparse, ragged: TensorFlow-only outputs in Keras 3; refused.
        encoding: of byte strings given as input (default "utf-8").

    Example:
        >>> vectorize = TextVectorization(output_mode="int")
        >>> vectorize.adapt(["the cat sat", "the dog"])
        >>> vectorize.get_vocabulary()
        ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
        >>> vectorize(["the bird sat"])
        [[2, 1, 3]]
    """

    reads_text = True  # the data layer passes raw strings to a model that starts with it

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ) -> None:
        if sparse or ragged:
            raise ValueError(
                "`sparse=True` and `ragged=True` can only be used with the TensorFlow backend "
                "(and teachkeras has none): the outputs are dense NumPy arrays."
            )
        _check_choice("standardize", standardize, STANDARDIZE, allow_none=True)
        _check_choice("split", split, SPLIT, allow_none=True)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        _check_choice("output_mode", output_mode, OUTPUT_MODES, allow_callable=False)
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))
        ):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` "
                f"is 'int'. Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode == "one_hot" and split is not None:
            raise ValueError(
                "output_mode='one_hot' encodes one token per text: use split=None with it, or "
                "output_mode='multi_hot' for texts split into words."
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)  # the columns, before assets load
        kwargs.pop("dtype", None)  # the output's dtype follows from output_mode
        super().__init__(name=name, dtype="int64" if output_mode == "int" else None, **kwargs)
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = pad_to_max_tokens
        self.encoding = encoding
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        # the vocabulary is a StringLookup's, as in Keras 3: "" is its mask (padding, id 0 in
        # "int" mode), "[UNK]" its one OOV id (1 in "int" mode, column 0 otherwise)
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token=MASK_TOKEN,
            oov_token=OOV_TOKEN,
            output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        self.built = True

    @property
    def idf_weights(self) -> np.ndarray | None:
        """tf_idf: one weight per column (the lookup's)."""
        return self._lookup_layer.idf_weights

    # --- steps 1-3: text -> tokens -------------------------------------------------------
    def _texts(self, inputs) -> np.ndarray:
        """The inputs as a 1-D array of str (a `(batch, 1)` input is squeezed)."""
        texts = np.asarray(as_array(inputs) if isinstance(inputs, Tensor) else inputs)
        if texts.dtype.kind == "S" or texts.dtype == object:
            texts = np.array(
                [t.decode(self.encoding) if isinstance(t, bytes) else t for t in texts.flat],
                dtype=str,
            ).reshape(texts.shape)
        if texts.dtype.kind != "U":
            raise ValueError(
                f"TextVectorization layer {self.name!r} takes strings, but received values of "
                f"dtype {texts.dtype}, shape {texts.shape}. Pass the raw texts, e.g. "
                "np.array(['a text', 'another text'])."
            )
        if texts.ndim == 0:
            texts = texts[None]
        if texts.ndim == 2 and texts.shape[-1] == 1:
            texts = texts[:, 0]
        if texts.ndim != 1:
            raise ValueError(
                "When using `TextVectorization` to tokenize strings, the input rank must be 1 or "
                f"the last shape dimension must be 1. Received: inputs.shape={texts.shape} with "
                f"rank={texts.ndim}"
            )
        return texts

    def _standardized(self, texts: np.ndarray) -> np.ndarray:
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.char.translate(texts, _LOWER)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            texts = np.char.translate(texts, _NO_PUNCTUATION)
        if callable(self.standardize):
            texts = np.asarray(self.standardize(texts), dtype=str)
        return texts

    def _token_lists(self, texts: np.ndarray) -> list[list[str]]:
        texts = self._standardized(texts)
        if self.split is None:
            return [[t] for t in texts]
        if self.split == "whitespace":
            return [[w for w in _WHITESPACE.split(t) if w] for t in texts]
        if self.split == "character":
            return [list(t) for t in texts]
        return [list(np.asarray(row, dtype=str)) for row in self.split(texts)]

    def _tokens_of(self, inputs) -> tuple[np.ndarray, np.ndarray]:
        """Every token of every text, flat, and the number of tokens of each text."""
        rows = self._token_lists(self._texts(inputs))
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        tokens = np.array([t for r in rows for t in r], dtype=str)
        if self._ngram_widths is not None:
            tokens, lengths = _with_ngrams(tokens, lengths, self._ngram_widths)
        return tokens, lengths

    # --- learning the vocabulary -----------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary from `data` (a list or array of texts, or an iterable of
        batches of texts, such as a dataset of texts): the tokens by count, most frequent
        first (ties: reverse alphabetical order), at most `max_tokens` with the specials."""
        self.reset_state()
        if isinstance(data, list | tuple | np.ndarray | Tensor):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data) -> None:
        if self._lookup_layer._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        if isinstance(data, tuple):
            raise ValueError(
                "TextVectorization.adapt reads texts, but a batch was a tuple (texts, labels?). "
                "Give it the texts only, e.g. adapt(dataset.map(lambda x, y: x))."
            )
        tokens, lengths = self._tokens_of(data)
        rows = np.repeat(np.arange(len(lengths)), lengths)  # each token's text
        self._lookup_layer.count_tokens(tokens, rows, len(lengths))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Use `vocabulary` (a list of tokens, or a file with one per line) as the vocabulary;
        it may start with the special tokens ("", "[UNK]" in "int" mode; "[UNK]" otherwise)."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """The tokens in id order: `["", "[UNK]", most frequent, ...]` in "int" mode."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The number of ids, special tokens included."""
        return self._lookup_layer.vocabulary_size()

    # --- steps 4-5: tokens -> ids -> output ------------------------------------------------
    def call(self, inputs):
        if self._lookup_layer._frozen_vocab_size is None:
            raise ValueError(
                f"TextVectorization layer {self.name!r} has no vocabulary yet: call "
                f"{self.name}.adapt(texts) on your training texts first, or pass "
                "vocabulary=[...] to the layer."
            )
        tokens, lengths = self._tokens_of(inputs)
        ids = self._lookup_layer.lookup(tokens)  # (total,): "" -> 0 ("int") or -1 (dropped)
        rows = np.repeat(np.arange(len(lengths)), lengths)  # each token's text
        if self.output_mode == "int":
            return Tensor(_padded(ids, rows, lengths, self.output_sequence_length))
        return Tensor(self._lookup_layer.encode(ids, rows, len(lengths)))  # (batch, columns)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        return self._lookup_layer.compute_output_shape((input_shape[0], None))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | str):  # ["a text", ...]: one array of strings
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _convert_input(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x))  # strings stay strings

    # --- saving ------------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("dtype", None)
        return {
            **config,
            "max_tokens": self.max_tokens,
            "standardize": _serialize_callable(self.standardize),
            "split": _serialize_callable(self.split),
            "ngrams": self.ngrams,
            "output_mode": self.output_mode,
            "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": _listify(self.input_vocabulary),
            "idf_weights": _listify(self.input_idf_weights),
            "encoding": self.encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                from ...serialization.keras_objects import deserialize_keras_object
                from ...serialization.registry import get_custom_objects

                config[key] = deserialize_keras_object(config[key], get_custom_objects(), key)
        return super().from_config(config)

    def save_own_variables(self, store: dict) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        """The learned vocabulary, one token per line (Keras 3's `vocabulary.txt`)."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)


# --- helpers -------------------------------------------------------------------------------
def _check_choice(name: str, value, choices, allow_none=False, allow_callable=True) -> None:
    if (value is None and allow_none) or (callable(value) and allow_callable) or value in choices:
        return
    extra = (" or None" if allow_none else "") + (" or a callable" if allow_callable else "")
    raise ValueError(
        f"Invalid value for argument `{name}` of TextVectorization: expected one of "
        f"{list(choices)}{extra}. Received: {name}={value!r}"
    )


def _with_ngrams(tokens: np.ndarray, lengths: np.ndarray, widths) -> tuple[np.ndarray, np.ndarray]:
    """Each text's n-grams of every width in `widths` (joined by " "), in Keras's order: a
    text's 1-grams, then its 2-grams, ... A text shorter than n has no n-grams."""
    rows = np.repeat(np.arange(len(lengths)), lengths)  # (total,) each token's text
    position = np.arange(len(tokens)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    pieces, piece_rows, piece_width, piece_position = [], [], [], []
    for w_index, n in enumerate(widths):
        starts = np.flatnonzero(position + n <= lengths[rows]) if len(tokens) else np.array([], int)
        gram = tokens[starts]
        for k in range(1, n):  # join the next tokens on: "a" -> "a b" -> "a b c"
            gram = np.char.add(np.char.add(gram, " "), tokens[starts + k])
        pieces.append(gram)
        piece_rows.append(rows[starts])
        piece_width.append(np.full(len(starts), w_index))
        piece_position.append(position[starts])
    grams = np.concatenate(pieces) if pieces else tokens[:0]
    grams_rows = np.concatenate(piece_rows)
    order = np.lexsort((np.concatenate(piece_position), np.concatenate(piece_width), grams_rows))
    return grams[order].astype(str), np.bincount(grams_rows, minlength=len(lengths))


def _padded(ids: np.ndarray, rows: np.ndarray, lengths: np.ndarray, length) -> np.ndarray:
    """The ragged ids as `(texts, length)` int64, each row cut or padded with 0 at its end
    (`length` None: the longest row's)."""
    if length is None:
        length = int(lengths.max()) if len(lengths) else 0
    out = np.zeros((len(lengths), length), dtype=np.int64)
    position = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    kept = position < length
    out[rows[kept], position[kept]] = ids[kept]
    return out


def _listify(x):
    if x is None or isinstance(x, str):
        return x
    return np.asarray(as_array(x) if isinstance(x, Tensor) else x).tolist()


def _serialize_callable(value):
    return serialize_keras_object(value) if callable(value) else value

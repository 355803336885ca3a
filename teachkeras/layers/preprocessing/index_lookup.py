"""`IndexLookup`: the vocabulary machinery of StringLookup, IntegerLookup and TextVectorization.

A vocabulary is a list of tokens; a token's id is its place in the list. The first ids are
special (Keras 3's layout):

    output_mode="int", mask_token set:    0 = mask, 1 .. n = OOV buckets, then the tokens
    otherwise:                            0 .. n−1 = OOV buckets, then the tokens

    StringLookup(vocabulary=["a", "b", "c"])                   "[UNK]" = 0, a = 1, b = 2, c = 3
    StringLookup(vocabulary=["a", "b", "c"], mask_token="")    "" = 0, "[UNK]" = 1, a = 2, ...

An out-of-vocabulary (OOV) token goes to the OOV id; with `num_oov_indices` > 1 it goes to
one of several OOV buckets, by hash (strings: FarmHash, as Hashing) or by value modulo the
number of buckets (integers). `adapt` counts the tokens and keeps the most frequent
(ties: the larger token first, as Keras 3 orders them), at most `max_tokens` with the specials.

Lookups are vectorised: the vocabulary sorted once, every input token found by one binary
search (`np.searchsorted`).
"""

from __future__ import annotations

import warnings

import numpy as np

from ...backend import config
from ...backend.tensor import Tensor, as_array
from ...legacy import user_stacklevel
from .adapt_data import is_one_batch
from .category_encoding import count_ids, encoded_shape
from .data_layer import RawValuesLayer
from .string_hashing import hash_to_buckets

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(RawValuesLayer):
    """Tokens -> ids (or ids -> tokens with `invert=True`) through a vocabulary.

    Subclasses say what a token is: `_as_tokens(values)` (strings for StringLookup, int64
    for IntegerLookup) and `_token_from_text(line)` (to read a vocabulary file).
    """

    reads_text = True  # the data layer passes raw strings to a model that starts with it

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                "If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                f"max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. Received: "
                f"num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"The `oov_method` argument of {type(self).__name__} should be one of "
                f"('floormod', 'farmhash'). Received: oov_method={oov_method}"
            )
        if salt is not None:
            if vocabulary_dtype == "int64" and oov_method != "farmhash":
                raise ValueError(
                    "`salt` can only be used when `oov_method='farmhash'`. Received: "
                    f"oov_method={oov_method}"
                )
            if isinstance(salt, tuple | list) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `IndexLookup` can only be a tuple of 2 integers, "
                    f"or a single integer. Received: salt={salt}."
                )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"The `output_mode` argument value of the {type(self).__name__} layer should be "
                f"one of {OUTPUT_MODES}. Received: {output_mode}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                "`output_mode` must be `'int'` when `invert` is true. Received: "
                f"output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                "`sparse=True` can only be used with the TensorFlow backend (and teachkeras has "
                "none): the outputs are dense NumPy arrays."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("dtype", None)  # the output's dtype follows from output_mode
        kwargs.pop("trainable", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        self.vocabulary_dtype = vocabulary_dtype
        if output_mode != "int":
            dtype = config.floatx()
        else:
            dtype = vocabulary_dtype if invert else "int64"
        super().__init__(name=name, dtype=dtype)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = self._as_tokens([])  # the vocabulary without the special ids
        self._warned_empty = False
        self.idf_weights: np.ndarray | None = None
        if output_mode == "tf_idf":
            if has_input_vocabulary and idf_weights is None:
                raise ValueError(
                    "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                    "`idf_weights` argument must also be provided."
                )
            if idf_weights is not None:
                self.idf_weights = np.asarray(idf_weights, dtype=config.floatx())
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()
        self.built = True

    # --- what a token is (the subclasses say) ---------------------------------------------------
    def _as_tokens(self, values) -> np.ndarray:
        raise NotImplementedError

    def _token_from_text(self, line: str):
        raise NotImplementedError

    # --- the layout of the ids ------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        """The first OOV id: 1 when id 0 is the mask (int mode with a mask token), else 0."""
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        """The id of the first real token, after the mask and the OOV ids."""
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of ids: the special ones and the tokens."""
        return self._token_start_index() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """Every id's token, in id order (the OOV ids read as the OOV token)."""
        specials = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            specials[0] = self.mask_token
        tokens = self._tokens.tolist()
        return (specials + tokens) if include_special_tokens else tokens

    # --- setting the vocabulary -----------------------------------------------------------------
    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Use `vocabulary` (a list or array of tokens, or a text file with one per line); it
        may start with the special tokens, in their order, or leave them out."""
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(
                    "output_mode `'tf_idf'` does not support loading a vocabulary from file."
                )
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [self._token_from_text(line) for line in f.read().splitlines()]
        vocabulary = np.asarray(
            as_array(vocabulary) if isinstance(vocabulary, Tensor) else vocabulary
        )
        if vocabulary.size == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        vocabulary = self._as_tokens(vocabulary.ravel())
        token_start = self._token_start_index()
        specials = [self.mask_token] * self._oov_start_index() + [
            self.oov_token
        ] * self.num_oov_indices
        found_specials = list(vocabulary[:token_start]) == specials
        tokens = vocabulary[token_start:] if found_specials else vocabulary
        unique, counts = np.unique(tokens, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {unique[counts > 1].tolist()}"
            )
        for token, what in (
            (self.mask_token, "mask"),
            (self.oov_token if self.invert else None, "OOV"),
        ):
            if token is not None and np.any(tokens == token):
                index = int(np.flatnonzero(vocabulary == token)[-1])
                raise ValueError(
                    f"Found reserved {what} token at unexpected location in `vocabulary`. Note "
                    "that passed `vocabulary` does not need to include the OOV and mask tokens. "
                    "Either remove all mask and OOV tokens, or include them only at the start "
                    f"of the vocabulary in precisely this order: {specials}. Received: "
                    f"{what.lower()}_token={token!r} at vocabulary index {index}"
                )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        self._tokens = tokens
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf":
            self._set_idf(np.asarray(idf_weights, dtype=float), len(vocabulary), found_specials)

    def _set_idf(self, weights: np.ndarray, vocabulary_length: int, found_specials: bool) -> None:
        if len(weights) != vocabulary_length:
            raise ValueError(
                "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                f"{len(weights)}; len(vocabulary) is {vocabulary_length}"
            )
        if weights.ndim != 1:
            raise ValueError(f"TF-IDF data must be a 1-index array. Received: {weights.shape}")
        front = 0 if found_specials else self._token_start_index()
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
        padded = np.pad(weights, (front, back), constant_values=(np.average(weights), 0))
        self.idf_weights = padded.astype(config.floatx())

    def _record_vocabulary_size(self) -> None:
        """Freeze the number of output columns (Keras 3: it may not change once known)."""
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            size = self.vocabulary_size()
            if self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
                raise RuntimeError(
                    f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                    "the vocabulary size cannot be changed after the layer is called. Old vocab "
                    f"size is {self._frozen_vocab_size}, new vocab size is {size}"
                )
        self._frozen_vocab_size = self.vocabulary_size()

    # --- learning the vocabulary ------------------------------------------------------------------
    def adapt(self, data, steps=None) -> None:
        """Learn the vocabulary from `data`: an array or list (each row one document), or a
        dataset / iterable of batches."""
        self.reset_state()
        if is_one_batch(data) or isinstance(data, list | tuple):
            values = np.asarray(as_array(data) if isinstance(data, Tensor) else data)
            self.update_state(values[..., None] if values.ndim == 1 else values)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data) -> None:
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        if isinstance(data, tuple) and len(data) in (2, 3) and not np.isscalar(data[0]):
            raise ValueError(
                f"{type(self).__name__}.adapt reads tokens, but a batch was a tuple (tokens, "
                "labels?). Give it the tokens only, e.g. adapt(dataset.map(lambda x, y: x))."
            )
        values = self._as_tokens(np.asarray(as_array(data) if isinstance(data, Tensor) else data))
        if values.ndim == 0:
            values = values[None]
        rows = values.reshape(1, -1) if values.ndim == 1 else values.reshape(len(values), -1)
        row_of = np.repeat(np.arange(len(rows)), rows.shape[1])
        self.count_tokens(rows.reshape(-1), row_of, len(rows))

    def count_tokens(self, tokens: np.ndarray, row_of: np.ndarray, num_rows: int) -> None:
        """Add the tokens (flat; `row_of[i]` is the document of `tokens[i]`, one of
        `num_rows` documents, some perhaps empty) to the counts."""
        unique, codes, counts = np.unique(tokens, return_inverse=True, return_counts=True)
        for token, count in zip(unique.tolist(), counts.tolist(), strict=True):
            self._counts[token] = self._counts.get(token, 0) + count
        if self.output_mode == "tf_idf":  # in how many documents each token appears
            pairs = np.unique(row_of * max(len(unique), 1) + codes.reshape(-1))  # (doc, token) once
            in_docs = np.bincount(pairs % max(len(unique), 1), minlength=len(unique))
            for token, count in zip(unique.tolist(), in_docs.tolist(), strict=True):
                self._document_counts[token] = self._document_counts.get(token, 0) + count
            self._num_documents += num_rows

    def finalize_state(self) -> None:
        """The counted tokens, most frequent first (ties: the larger token first), become the
        vocabulary; with tf_idf, idf = log(1 + documents / (1 + documents with the token))."""
        if self._has_input_vocabulary or not self._counts:
            self._record_vocabulary_size()
            return
        counts = {
            k: v for k, v in self._counts.items() if k != self.mask_token and k != self.oov_token
        }
        tokens = self._as_tokens(list(counts))
        order = np.lexsort((tokens, np.array(list(counts.values()))))[::-1]  # count, then token
        if self.max_tokens:
            order = order[: self.max_tokens - self._token_start_index()]
        self._tokens = tokens[order]
        if self.output_mode == "tf_idf":
            documents = np.array([self._document_counts[t] for t in self._tokens.tolist()])
            idf = np.log(1 + self._num_documents / (1 + documents)).astype(config.floatx())
            front = np.full(self._token_start_index(), np.mean(idf), dtype=idf.dtype)
            idf = np.concatenate([front, idf])
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.concatenate([idf, np.zeros(self.max_tokens - len(idf), idf.dtype)])
            self.idf_weights = idf
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self) -> None:
        self._counts: dict = {}
        self._document_counts: dict = {}
        self._num_documents = 0

    # --- tokens -> ids ---------------------------------------------------------------------------
    def lookup(self, tokens: np.ndarray) -> np.ndarray:
        """Each token's id (any shape), in int mode's layout: the mask token 0 (in other modes
        −1, so the encodings leave it out), OOV tokens their OOV id."""
        tokens = self._as_tokens(tokens)
        ids = np.full(tokens.shape, -1, dtype=np.int64)  # -1: not in the vocabulary
        if len(self._tokens):
            order = np.argsort(self._tokens, kind="stable")
            ordered = self._tokens[order]  # sorted, for the binary search
            where = np.searchsorted(ordered, tokens).clip(0, len(ordered) - 1)
            known = ordered[where] == tokens
            ids = np.where(known, order[where] + self._token_start_index(), ids)
        is_mask = (
            tokens == self.mask_token
            if self.mask_token is not None
            else np.zeros(tokens.shape, bool)
        )
        oov = (ids < 0) & ~is_mask
        if oov.any():
            ids[oov] = self._oov_ids(tokens[oov])
        ids[is_mask] = 0 if self.output_mode == "int" else -1
        return ids

    def _oov_ids(self, tokens: np.ndarray) -> np.ndarray:
        """The OOV id of each out-of-vocabulary token (one bucket, or a hash/modulo of many)."""
        if self.num_oov_indices == 0:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: when `num_oov_indices=0` all inputs "
                f"should be in vocabulary, found OOV values {np.unique(tokens).tolist()[:10]}, "
                "consider setting `num_oov_indices=1`."
            )
        start = self._oov_start_index()
        if self.num_oov_indices == 1:
            return np.full(tokens.shape, start, dtype=np.int64)
        if tokens.dtype.kind in "iu" and self.oov_method == "floormod":
            return np.mod(tokens, self.num_oov_indices).astype(np.int64) + start
        return hash_to_buckets(tokens, self.num_oov_indices, self.salt) + start

    def invert_lookup(self, ids: np.ndarray) -> np.ndarray:
        """Each id's token: 0 is the mask token (if any), every other id that is not a
        token's (an OOV id, or one past the end) reads as the OOV token."""
        ids = np.asarray(ids).astype(np.int64)
        vocabulary = self._as_tokens(self.get_vocabulary())  # (vocabulary_size,) by id
        inside = (ids >= 0) & (ids < len(vocabulary))
        tokens = vocabulary[ids.clip(0, len(vocabulary) - 1)]
        return np.where(inside, tokens, self._as_tokens([self.oov_token])[0])

    # --- the call --------------------------------------------------------------------------------
    def call(self, inputs):
        values = np.asarray(as_array(inputs))
        if self.invert:
            return Tensor(self.invert_lookup(values))
        self._check_vocabulary()
        ids = self.lookup(values)
        if self.output_mode == "int":
            return Tensor(ids)
        return Tensor(self.encode(ids))

    def encode(self, ids: np.ndarray, row_of=None, num_rows=None) -> np.ndarray:
        """ids -> one_hot / multi_hot / count / tf_idf columns. `ids` of shape (batch, n)
        (or (n,): one row; one_hot: any shape), or flat with `row_of` (ragged rows)."""
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if row_of is None:
            if self.output_mode == "one_hot":
                if ids.ndim > 1 and ids.shape[-1] == 1:
                    ids = ids[..., 0]
                if ids.ndim == 0:
                    ids = ids[None]
                return (ids[..., None] == np.arange(depth)).astype(self.dtype)
            single = ids.ndim <= 1
            rows = ids.reshape(1, -1) if single else ids
            if rows.ndim > 2:
                raise ValueError(
                    f"{type(self).__name__} layer {self.name!r} with output_mode="
                    f"{self.output_mode!r} encodes each row of a (batch, tokens) input; received "
                    f"shape {ids.shape}."
                )
            out = self.encode(
                rows.reshape(-1), np.repeat(np.arange(len(rows)), rows.shape[1]), len(rows)
            )
            return out[0] if single else out
        counts = count_ids(ids, row_of, num_rows, depth)  # (rows, depth)
        if self.output_mode in ("multi_hot", "one_hot"):
            counts = (counts > 0).astype(float)
        if self.output_mode == "tf_idf":
            counts = counts * self.idf_weights[:depth]
        return counts.astype(self.dtype)

    def _check_vocabulary(self) -> None:
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and self._frozen_vocab_size is None
        ):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                "must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                "argument to the layer, or call `adapt` with some sample data."
            )
        if len(self._tokens) == 0 and not self._warned_empty:
            self._warned_empty = True
            warnings.warn(
                f"{type(self).__name__} layer {self.name!r} has no vocabulary yet, so every "
                f"token is out of vocabulary (id {self._oov_start_index()}). Call "
                f"{self.name}.adapt(data) on your training data first, or pass vocabulary=[...].",
                stacklevel=user_stacklevel(),
            )

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        return encoded_shape(input_shape, self.output_mode, depth)

    # --- saving -----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    def save_own_variables(self, store: dict) -> None:
        if self.output_mode == "tf_idf":
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = np.asarray(store["idf_weights"], dtype=config.floatx())

    def save_assets(self, dir_path: str) -> None:
        """The vocabulary, special tokens included, one per line (Keras 3's `vocabulary.txt`)."""
        if self.input_vocabulary is not None:
            return  # it is in the config
        with open(f"{dir_path}/vocabulary.txt", "w", encoding="utf-8") as f:
            f.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path: str) -> None:
        if self.input_vocabulary is not None:
            return
        with open(f"{dir_path}/vocabulary.txt", encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = [self._token_from_text(line) for line in lines]
        idf = self.idf_weights if self.output_mode == "tf_idf" else None
        self.set_vocabulary(values, idf_weights=None if idf is None else idf[: len(values)])


def listify(x):
    if x is None or isinstance(x, str):
        return x
    return np.asarray(as_array(x) if isinstance(x, Tensor) else x).tolist()

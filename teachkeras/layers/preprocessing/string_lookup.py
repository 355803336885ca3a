"""`StringLookup`: strings -> integer ids through a vocabulary (or back, with `invert=True`).

    lookup = StringLookup(vocabulary=["a", "b", "c", "d"])
    lookup(np.array([["a", "c", "d"], ["d", "z", "b"]]))   -> [[1, 3, 4], [4, 0, 2]]   ("z": OOV, 0)

The vocabulary machinery (special ids, adapt, lookups, saving) is `IndexLookup`'s.
"""

from __future__ import annotations

import numpy as np

from .index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Map strings to ids: the OOV id(s) first, then the vocabulary in order.

    Args:
        max_tokens: the most ids, special ones included (None: no limit).
        num_oov_indices: OOV buckets (default 1); several spread OOV strings by hash.
        mask_token: a string that marks padding: id 0 in "int" mode (default None).
        oov_token: what `get_vocabulary` and `invert` show for OOV ids (default "[UNK]").
        vocabulary: a list of strings, or a text file with one per line, instead of `adapt`.
        idf_weights: "tf_idf" with a given vocabulary: one weight per token.
        invert: map ids back to strings.
        output_mode: "int" (default; int64 ids, the input's shape), "one_hot",
            "multi_hot", "count" or "tf_idf" (a (batch, tokens) input -> (batch, vocabulary)).
        pad_to_max_tokens: those modes: `max_tokens` columns even for a smaller vocabulary.
        sparse: TensorFlow-only in Keras 3; refused.
        encoding: of byte strings given as input (default "utf-8").
        salt: with num_oov_indices > 1, hash OOV strings with SipHash keyed by it.

    Example:
        >>> lookup = StringLookup()
        >>> lookup.adapt(["b", "a", "b", "c", "b", "a"])
        >>> lookup.get_vocabulary()
        ['[UNK]', 'b', 'a', 'c']
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ) -> None:
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def _as_tokens(self, values) -> np.ndarray:
        values = np.asarray(values)
        if values.dtype.kind == "S" or values.dtype == object:
            flat = [
                v.decode(self.encoding) if isinstance(v, bytes) else str(v) for v in values.ravel()
            ]
            values = np.array(flat, dtype=str).reshape(values.shape)
        if values.size == 0:
            return values.astype(str)
        if values.dtype.kind != "U":
            raise ValueError(
                f"StringLookup layer {self.name!r} looks up strings, but received values of "
                f"dtype {values.dtype}, e.g. {values.ravel()[0]!r}. For integer ids use "
                "IntegerLookup, or turn the values into strings first."
            )
        return values

    def _token_from_text(self, line: str):
        return line

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}

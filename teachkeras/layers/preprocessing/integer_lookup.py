"""`IntegerLookup`: integer values (user ids, years, codes) -> consecutive ids through a vocabulary.

    lookup = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    lookup(np.array([[12, 1138, 42], [42, 1000, 36]]))   -> [[1, 3, 4], [4, 0, 2]]   (1000: OOV, 0)

The vocabulary machinery (special ids, adapt, lookups, saving) is `IndexLookup`'s.
"""

from __future__ import annotations

import numpy as np

from .index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Map integers to ids: the OOV id(s) first, then the vocabulary in order.

    Args:
        max_tokens, num_oov_indices, vocabulary, idf_weights, invert, output_mode,
        pad_to_max_tokens, sparse: as `StringLookup`.
        mask_token: an integer that marks padding (often 0): id 0 in "int" mode (default None).
        oov_token: what `get_vocabulary` and `invert` show for OOV ids (default −1).
        vocabulary_dtype: "int64" (the only one Keras 3 supports).
        oov_method: with num_oov_indices > 1, OOV values go to bucket value mod n
            ("floormod", default) or to a hash of their decimal text ("farmhash").
        salt: with oov_method="farmhash", hash with SipHash keyed by it.

    Example:
        >>> lookup = IntegerLookup()
        >>> lookup.adapt([12, 36, 12, 42, 12, 36])
        >>> lookup.get_vocabulary()
        [-1, 12, 36, 42]
    """

    reads_text = False  # integer ids: the data layer checks them as numbers

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _as_tokens(self, values) -> np.ndarray:
        values = np.asarray(values)
        if values.size and not (
            np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
        ):
            raise ValueError(
                f"IntegerLookup layer {self.name!r} looks up integers, but received values of "
                f"dtype {values.dtype}, e.g. {values.ravel()[0]!r}. For strings use StringLookup."
            )
        return values.astype(np.int64)

    def _token_from_text(self, line: str):
        return int(line)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config

"""`Hashing`: any value (a string, an id) -> one of `num_bins` buckets, with no vocabulary.

    Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]]))   -> [[1], [0], [1], [1], [2]]

The bucket is a hash of the value's bytes modulo `num_bins` (`string_hashing.py`): the
same value always lands in the same bucket, on every machine, in Keras 3 (which uses
TensorFlow's FarmHash Fingerprint64, or SipHash-2-4 with a `salt`) and here alike.
Different values may share a bucket (a collision): that is the price of needing no vocabulary.
"""

from __future__ import annotations

import numpy as np

from ...backend import config
from ...backend.tensor import as_array
from .category_encoding import encode_categories, encoded_shape
from .data_layer import RawValuesLayer
from .string_hashing import hash_to_buckets

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(RawValuesLayer):
    """bucket(x) = Fingerprint64(bytes(x)) mod num_bins (SipHash-2-4 keyed by `salt` instead,
    if given); with a `mask_value`, that value goes to bucket 0 and the others to 1 + hash
    mod (num_bins − 1). Integers are hashed as their decimal text, floats as their integer part.

    Args:
        num_bins: the number of buckets (the mask's bucket included).
        mask_value: a value that marks padding: bucket 0 (default None: no mask bucket).
        salt: an int k (the key (k, k)) or a pair (k0, k1): use keyed SipHash, so the buckets
            cannot be guessed without the key.
        output_mode: "int" (default; int64 buckets), "one_hot", "multi_hot" or "count".
        sparse: TensorFlow-only in Keras 3; refused.

    Example:
        >>> Hashing(num_bins=3, salt=133)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]]))
        [[0], [0], [2], [1], [0]]
    """

    reads_text = True  # the data layer passes raw strings to a model that starts with it

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ) -> None:
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'in64'. Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{OUTPUT_MODES}. Received: output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                "`sparse=True` needs TensorFlow's sparse tensors; teachkeras's outputs are dense."
            )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, tuple | list) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, "
                    f"or a single integer. Received: salt={salt}."
                )
        self.built = True

    def call(self, inputs):
        values = np.asarray(as_array(inputs))
        if self.output_mode == "one_hot" and values.ndim > 0 and values.shape[-1] == 1:
            values = values[..., 0]
        bins = self._bins(values)
        who = f"Hashing layer {self.name!r}"
        return encode_categories(bins, self.output_mode, self.num_bins, self.dtype, who=who)

    def _bins(self, values: np.ndarray) -> np.ndarray:
        """Each value's bucket (0 for the mask value, if one is set)."""
        if self.mask_value is None or self.num_bins <= 1:
            return hash_to_buckets(values, self.num_bins, self.salt)
        is_mask = values == np.asarray(self.mask_value, dtype=values.dtype)
        return np.where(is_mask, 0, hash_to_buckets(values, self.num_bins - 1, self.salt) + 1)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }

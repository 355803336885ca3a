"""`CategoryEncoding`: integer category ids -> one-hot, multi-hot or count vectors.

`encode_categories` is the encoding itself, shared by every layer with an `output_mode`
(Hashing, Discretization, StringLookup, IntegerLookup, TextVectorization):

    ids [[1, 3], [2, 2]], depth 4
    one_hot    [[[0,1,0,0], [0,0,0,1]], [[0,0,1,0], [0,0,1,0]]]   a row per id
    multi_hot  [[0,1,0,1], [0,0,1,0]]                            1 where an id occurs
    count      [[0,1,0,1], [0,0,2,0]]                            how often it occurs
"""

from __future__ import annotations

import numpy as np

from ... import ops
from ...backend.tensor import Tensor, as_array
from .data_layer import RawValuesLayer

OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def encode_categories(
    ids, output_mode: str, depth: int, dtype="float32", count_weights=None, who: str = "the layer"
):
    """Encode integer `ids` (values in [0, depth); a negative id encodes as zeros).

    one_hot: `(..., depth)`, a trailing axis of size 1 replaced; multi_hot / count: each
    row of `(batch, ids)` becomes one `(batch, depth)` row (a 1-D input is one row), counts
    optionally weighted by `count_weights` (same shape as `ids`).
    """
    ids = np.asarray(as_array(ids) if isinstance(ids, Tensor) else ids)
    if output_mode == "int":
        return Tensor(ids.astype(dtype))
    if not np.issubdtype(ids.dtype, np.integer):
        ids = ids.astype(np.int64)
    if ids.size and ids.max() >= depth:
        raise ValueError(
            f"{who} encodes ids in [0, {depth}) ({depth} columns), but received the id "
            f"{int(ids.max())}. Raise num_tokens (num_bins) to at least {int(ids.max()) + 1}, or "
            "map the values to ids first (IntegerLookup, StringLookup, Hashing)."
        )
    if ids.ndim == 0:
        ids = ids[None]
    if output_mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return Tensor((ids[..., None] == np.arange(depth)).astype(dtype))  # (..., depth)
    if ids.ndim > 2:
        raise ValueError(
            f"{who} with output_mode={output_mode!r} encodes each row of a (batch, ids) input; "
            f"received ids of shape {ids.shape}. Reshape them to (batch, ids) first."
        )
    rows = ids if ids.ndim == 2 else ids[None]  # (rows, ids)
    weights = None if count_weights is None else np.asarray(count_weights, float).reshape(-1)
    row_of = np.repeat(np.arange(len(rows)), rows.shape[1])  # each id's row
    out = count_ids(rows.reshape(-1), row_of, len(rows), depth, weights)  # (rows, depth)
    if output_mode == "multi_hot":
        out = (out > 0).astype(float)
    out = out.astype(dtype)
    return Tensor(out if ids.ndim == 2 else out[0])


def count_ids(ids, row_of, num_rows: int, depth: int, weights=None) -> np.ndarray:
    """`(num_rows, depth)` counts: how often each id occurs in each row (`row_of[i]` is the
    row of `ids[i]`, so rows may hold different numbers of ids); negative ids are skipped."""
    kept = ids >= 0
    counts = np.zeros((num_rows, depth))
    added = 1.0 if weights is None else weights[kept]
    np.add.at(counts, (row_of[kept], ids[kept]), added)
    return counts


class CategoryEncoding(RawValuesLayer):
    """Turn integer ids in [0, num_tokens) into vectors of length `num_tokens`.

    Args:
        num_tokens: the number of categories (ids run from 0 to num_tokens − 1).
        output_mode: "multi_hot" (default): a (batch, ids) input -> (batch, num_tokens) with
            1 where an id occurs; "one_hot": each id its own row, (batch,) or (batch, 1) ->
            (batch, num_tokens); "count": how often each id occurs (weighted by
            `count_weights=` in the call, if given). "binary" is Keras 2's name for multi_hot.
        sparse: TensorFlow-only in Keras 3; refused.

    Example:
        >>> CategoryEncoding(4, output_mode="count")(np.array([[0, 1], [0, 0], [1, 2]]))
        [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not "
                "known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError(
                "`sparse=True` needs TensorFlow's sparse tensors; teachkeras's outputs are dense."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                "`count_weights` is not used when `output_mode` is not `'count'`. Received "
                f"`count_weights={count_weights}`."
            )
        if count_weights is not None:
            count_weights = ops.convert_to_numpy(count_weights).astype(self.dtype)
        who = f"CategoryEncoding layer {self.name!r}"
        return encode_categories(
            inputs, self.output_mode, self.num_tokens, self.dtype, count_weights, who
        )

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }


def encoded_shape(input_shape, output_mode: str, depth) -> tuple:
    """The shape `encode_categories` gives for an input shape."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if len(input_shape) == 0:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return (*input_shape[:-1], depth)
        return (*input_shape, depth)
    return (*input_shape[:-1], depth)

"""Attention masks: which query may look at which key.

A mask is a tensor of booleans, True where attention is allowed. `MultiHeadAttention`
and `GroupQueryAttention` combine every mask they are given into one, of shape
(batch, T, S) for T queries and S keys, with AND (Keras 3's rules):

    query_mask       (batch, T)   False for padded queries      -> (batch, T, 1)
    value_mask       (batch, S)   False for padded values       -> (batch, 1, S)
    key_mask         (batch, S)   False for padded keys         -> (batch, 1, S)
    use_causal_mask  query t sees keys 0..t (a decoder must not see the future)
                                  the lower triangle            -> (1, T, S)
    sliding_window   w: query t sees keys t-w+1 .. t+w-1       -> (1, T, S)
    attention_mask   (batch, T, S) given as it is

Inside the softmax a masked score is replaced by a very negative number, so that its
weight e^score is 0 (see the layers' `_masked_softmax` and `ops.dot_product_attention`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from ... import ops
from ..layer import get_mask, set_mask


def causal_mask(query_length: int, key_length: int) -> np.ndarray:
    """(1, T, S) booleans, True where key j ≤ query t: the lower triangle.

    Example:
        >>> causal_mask(3, 3)[0]
        array([[ True, False, False],
               [ True,  True, False],
               [ True,  True,  True]])
    """
    return np.tril(np.ones((query_length, key_length), dtype=bool))[None]  # (1, T, S)


def sliding_window_mask(query_length: int, key_length: int, window: int) -> np.ndarray:
    """(1, T, S) booleans, True where |t - j| < window: a band around the diagonal."""
    t = np.arange(query_length)[:, None]  # (T, 1)
    j = np.arange(key_length)[None, :]  # (1, S)
    return (np.abs(t - j) < window)[None]  # (1, T, S)


def combine_attention_masks(
    layer,
    query_shape: tuple,
    value_shape: tuple,
    num_heads: int,
    query_mask=None,
    value_mask=None,
    key_mask=None,
    attention_mask=None,
    use_causal_mask: bool = False,
    sliding_window: int | None = None,
):
    """Every mask given to `layer`'s call, as one boolean tensor (batch, T, S), or None.

    Each mask's shape is checked first, so a wrong one fails here with the shape it
    should have, rather than deep inside the attention.
    """
    masks = []
    t, s = query_shape[1], value_shape[1]
    if query_mask is not None:
        masks.append(ops.expand_dims(_checked(layer, "query_mask", query_mask, query_shape), -1))
    if value_mask is not None:
        masks.append(ops.expand_dims(_checked(layer, "value_mask", value_mask, value_shape), -2))
    if key_mask is not None:
        masks.append(ops.expand_dims(_checked(layer, "key_mask", key_mask, value_shape), -2))
    if use_causal_mask:
        masks.append(ops.convert_to_tensor(causal_mask(t, s)))
    if sliding_window is not None:
        masks.append(ops.convert_to_tensor(sliding_window_mask(t, s, sliding_window)))
    if attention_mask is not None:
        attention_mask = ops.cast(attention_mask, "bool")
        if len(query_shape) == 3:  # (batch, T, features): scores (batch, heads, T, S)
            _check_attention_mask(layer, attention_mask, (query_shape[0], num_heads, t, s))
        masks.append(attention_mask)
    if not masks:
        return None
    combined = masks[0]
    for mask in masks[1:]:
        combined = ops.logical_and(combined, mask)
    return combined


def _checked(layer, name: str, mask, input_shape: tuple):
    """`mask` as booleans, once it is shaped like the input without its feature axis."""
    mask = ops.cast(mask, "bool")
    expected = tuple(input_shape[:-1])
    if tuple(mask.shape) != expected:
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r}: `{name}` should have shape "
            f"{expected} (batch, steps): one boolean per time step of the input of shape "
            f"{tuple(input_shape)}, True for real data. Received: {name}.shape={tuple(mask.shape)}."
        )
    return mask


def _check_attention_mask(layer, attention_mask, scores_shape: tuple) -> None:
    """Refuse an `attention_mask` that broadcasts neither to (batch, T, S) nor to the
    scores' (batch, heads, T, S)."""
    expected = (scores_shape[0], *scores_shape[2:])  # (batch, T, S)
    shape = tuple(attention_mask.shape)
    try:
        target = expected if len(shape) <= 3 else scores_shape
        fits = len(shape) <= 4 and np.broadcast_shapes(shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r}: `attention_mask` should have shape "
            f"{expected} (batch, T, S): True where query t may attend to key s (an axis of "
            f"size 1 is broadcast). Received: attention_mask.shape={shape}."
        )


@contextlib.contextmanager
def masks_set_aside(*tensors) -> Iterator[None]:
    """The tensors' own masks are in the combined attention mask already: while the layer
    projects them (its EinsumDense sublayers), they carry none, so that no sublayer warns
    that it drops one (Keras 3 deletes them). Put back afterwards: a tensor may feed other
    layers too."""
    saved = [get_mask(t) for t in tensors]
    for tensor in tensors:
        set_mask(tensor, None)
    try:
        yield
    finally:
        for tensor, mask in zip(tensors, saved, strict=True):
            if mask is not None:
                set_mask(tensor, mask)

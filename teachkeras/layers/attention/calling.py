"""Calling an attention layer: several input tensors, and a flag that adds an output.

Keras 3's `Layer.__call__` does two things for these layers that teachkeras's `Layer`
does not do (yet) by itself:

1. `MultiHeadAttention(...)(query, value, key)` takes three tensors. Keras converts each
   of them (an array becomes a tensor of the layer's dtype) and builds the layer from
   all their shapes: `build(query_shape, value_shape, key_shape)`. `Layer.__call__` here
   converts and measures the first argument only.
2. With `return_attention_scores=True` the layer returns two tensors. Keras gives
   `compute_output_spec` the call's arguments, so a call on `Input(...)` knows it; ours
   gives it the inputs alone.

`call_with_query_value_key` and `returning_scores` do these two things, and then the
call goes through `Layer.__call__` like any other: it is computed, or, on symbolic
inputs, recorded in the model graph (where `value` and `key` count as inputs too, see
`layers/node.py`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..keras_tensor import KerasTensor


def call_with_query_value_key(layer, layer_call, query, value, key, kwargs: dict):
    """`layer(query, value, key=key, **kwargs)`, with every tensor converted and the
    layer built from all three shapes (Keras's `build(query_shape, value_shape, key_shape)`)."""
    name = type(layer).__name__
    if query is None or value is None:
        raise ValueError(
            f"{name} layer {layer.name!r} needs a query and a value: layer(query, value), or "
            "layer(x, x) for self-attention (a key is optional: it defaults to the value)."
        )
    if not any(isinstance(t, KerasTensor) for t in (query, value, key)):
        query, value = layer._convert_input(query), layer._convert_input(value)
        key = None if key is None else layer._convert_input(key)
    shapes = (tuple(query.shape), tuple(value.shape), None if key is None else tuple(key.shape))
    if not layer.built:
        layer.build(*shapes)
    layer._check_call_shapes(*shapes)
    if key is not None:
        kwargs = {"key": key, **kwargs}
    with returning_scores(layer, kwargs, value_shape=shapes[1]):
        return layer_call(query, value, **kwargs)


@contextlib.contextmanager
def returning_scores(layer, kwargs: dict, **shapes) -> Iterator[None]:
    """Let `layer.compute_output_spec` see, during this call, whether it returns the
    scores too (and the shapes it needs for them): `layer._spec_arguments`."""
    layer._spec_arguments = {
        "return_attention_scores": bool(kwargs.get("return_attention_scores", False)),
        **shapes,
    }
    try:
        yield
    finally:
        layer._spec_arguments = {}

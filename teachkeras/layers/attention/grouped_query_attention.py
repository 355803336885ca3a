"""`GroupQueryAttention`: multi-head attention whose query heads share fewer key/value heads
(Ainslie et al., 2023, "GQA"), as in Llama 2/3 and Mistral."""

from __future__ import annotations

import math

from ... import constraints, initializers, ops, regularizers
from ...serialization.keras_objects import serialize_keras_object
from ..activations.softmax import Softmax
from ..core.einsum_dense import EinsumDense
from ..keras_tensor import KerasTensor
from ..layer import (
    Layer,
)
from ..regularization.dropout import Dropout
from .calling import call_with_query_value_key
from .masks import combine_attention_masks, masks_set_aside
from .multi_head_attention import _check_value_and_key


class GroupedQueryAttention(Layer):
    """Attention with `num_query_heads` query heads and fewer key/value heads, shared in groups.

    Formula, for a query (batch, T, dim) and a value (batch, S, dim), with H = `head_dim`,
    N query heads and G key/value heads (N a multiple of G):

        Q = query · W_q + b_q      (batch, T, N, H)
        K = key   · W_k + b_k      (batch, S, G, H)    fewer heads: a smaller K and V
        V = value · W_v + b_v      (batch, S, G, H)
        K, V repeated N/G times along the heads: query heads n = g·N/G .. (g+1)·N/G - 1
            all read key/value head g
        per head: A = softmax(Q Kᵀ / √H + mask),  O = A V     (T, H)
        output = O · W_o + b_o     (batch, T, dim)

    G = N is `MultiHeadAttention`; G = 1 is multi-query attention. Fewer key/value heads
    mean fewer weights and, in a language model, a smaller cache of past keys and values.

    Weights (Keras 3's layout): `EinsumDense` layers `query` (dim, N, H), `key` and `value`
    (dim, G, H), `attention_output` (N, H, dim), each with a bias if `use_bias`.

    Args:
        head_dim: H, each head's size.
        num_query_heads: N.
        num_key_value_heads: G, a divisor of N.
        dropout, use_bias, sliding_window, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint, use_gate, seed, flash_attention: as for `MultiHeadAttention`.

    The call is `MultiHeadAttention`'s: `layer(query, value, key=None, query_mask=None,
    value_mask=None, key_mask=None, attention_mask=None, return_attention_scores=False,
    training=None, use_causal_mask=False)`; the query and the value must have the same
    number of features.

    Example:
        >>> gqa = GroupQueryAttention(head_dim=16, num_query_heads=4, num_key_value_heads=2)
        >>> x = np.random.randn(2, 10, 64)
        >>> gqa(x, x).shape
        (2, 10, 64)
    """

    # Keras 3 exports this class as `keras.layers.GroupQueryAttention`, and saves it by that
    # name (serialization/keras_objects.py reads this attribute).
    _keras_export_name = "GroupQueryAttention"

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
        sliding_window: int | None = None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate: bool = False,
        seed=None,
        **kwargs,
    ) -> None:
        for argument, value in (
            ("head_dim", head_dim),
            ("num_query_heads", num_query_heads),
            ("num_key_value_heads", num_key_value_heads),
        ):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"Received an invalid value for argument `{argument}`, expected a positive "
                    f"integer. Received: {argument}={value}"
                )
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                "`num_query_heads` must be divisible by `num_key_value_heads` (each key/value "
                f"head serves a group of query heads). Received: num_query_heads="
                f"{num_query_heads}, num_key_value_heads={num_key_value_heads}"
            )
        if sliding_window is not None and (
            not isinstance(sliding_window, int) or sliding_window <= 0
        ):
            raise ValueError(
                "`sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window}"
            )
        if flash_attention:
            raise ValueError(
                "GroupQueryAttention(flash_attention=True): flash attention is a fused GPU kernel "
                "(Keras refuses it on CPU too); teachkeras computes the same numbers with plain "
                "ops. Leave the argument out."
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))
        self._spec_arguments: dict = {}

    def build(self, query_shape, value_shape, key_shape=None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        _check_query_value_key(self, query_shape, value_shape, key_shape)
        self.feature_dim = query_shape[-1]

        def projection(name, equation, heads, bias_axes, input_shape, **options) -> EinsumDense:
            layer = EinsumDense(
                equation,
                output_shape=(None, heads, self.head_dim),
                bias_axes=bias_axes if self.use_bias else None,
                name=name,
                **options,
                **self._sublayer_arguments(),
            )
            layer.build(tuple(input_shape))
            return layer

        # (batch, T, dim) · (dim, N, H) -> (batch, T, N, H); keys and values with G heads
        heads, groups = self.num_query_heads, self.num_key_value_heads
        self._query_dense = projection("query", "bqm,muh->bquh", heads, "uh", query_shape)
        self._key_dense = projection("key", "bkm,mvh->bkvh", groups, "vh", key_shape)
        if self.use_gate:
            self._gate_dense = projection(
                "gate", "bqm,muh->bquh", heads, "uh", query_shape, activation="sigmoid"
            )
        self._value_dense = projection("value", "bkm,mvh->bkvh", groups, "vh", value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self.dropout, seed=self.seed, dtype=self.dtype)
        self._dot_product_equation = "bquh,bkuh->buqk"  # Q, K -> scores (batch, N, T, S)
        self._combine_equation = "buqk,bkuh->bquh"  # A, V -> (batch, T, N, H)
        self._output_dense = EinsumDense(
            "bquh,uhm->bqm",  # (batch, T, N, H) · (N, H, dim) -> (batch, T, dim)
            output_shape=(None, self.feature_dim),
            bias_axes="m" if self.use_bias else None,
            name="attention_output",
            **self._sublayer_arguments(),
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def _sublayer_arguments(self) -> dict:
        """What each projection shares; each gets its own copy of the initializers."""
        return {
            "kernel_initializer": type(self.kernel_initializer).from_config(
                self.kernel_initializer.get_config()
            ),
            "bias_initializer": type(self.bias_initializer).from_config(
                self.bias_initializer.get_config()
            ),
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "dtype": self.dtype,
        }

    def __call__(self, query=None, value=None, key=None, **kwargs):
        """`layer(query, value, key=None, ...)`: see `calling.py` for why this is here."""
        return call_with_query_value_key(self, super().__call__, query, value, key, kwargs)

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores: bool = False,
        training=None,
        use_causal_mask: bool = False,
    ):
        key = value if key is None else key
        attention_mask = combine_attention_masks(
            self,
            query.shape,
            value.shape,
            self.num_query_heads,
            query_mask=query_mask,
            value_mask=value_mask,
            key_mask=key_mask,
            attention_mask=attention_mask,
            use_causal_mask=use_causal_mask,
            sliding_window=self.sliding_window,
        )  # (batch, T, S) booleans, or None
        with masks_set_aside(query, value, key):
            gate = self._gate_dense(query) if self.use_gate else None
            query = self._query_dense(query)  # (batch, T, N, H)
            # (batch, S, G, H) -> (batch, S, N, H): each key/value head serves N/G query heads
            key = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
            value = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores
        )
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)  # (batch, T, dim)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        """softmax(Q Kᵀ / √H + mask) V: Keras 3's two roads, as in `MultiHeadAttention`."""
        if attention_mask is not None and len(attention_mask.shape) < 4:
            attention_mask = ops.expand_dims(attention_mask, -3)  # (batch, 1, T, S): every head
        if not (self.dropout > 0.0 or return_attention_scores):
            output = ops.dot_product_attention(
                query, key, value, mask=attention_mask, scale=self._inverse_sqrt_head_dim
            )
            return output, None
        query = query * self._inverse_sqrt_head_dim  # Q / √H
        scores = ops.einsum(self._dot_product_equation, query, key)  # (batch, N, T, S)
        if attention_mask is None:
            scores = self._softmax(scores)
        else:  # Keras 3's Softmax with a mask: -1e9 before, 0 after
            scores = ops.where(
                attention_mask, self._softmax(ops.where(attention_mask, scores, -1e9)), 0.0
            )
        dropped = self._dropout_layer(scores, training=training)
        return ops.einsum(self._combine_equation, dropped, value), scores  # (batch, T, N, H)

    def _check_call_shapes(self, query_shape, value_shape, key_shape) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        _check_query_value_key(self, query_shape, value_shape, key_shape)
        for name, shape, dense in (
            ("query", query_shape, self._query_dense),
            ("value", value_shape, self._value_dense),
            ("key", key_shape, self._key_dense),
        ):
            built = dense.kernel.shape[0]
            if shape[-1] != built:
                raise ValueError(
                    f"GroupQueryAttention layer {self.name!r} was built for a {name} with {built} "
                    f"features, but received {name}.shape={shape} (query.shape={query_shape}, "
                    f"value.shape={value_shape}). Use a new layer for inputs of other sizes."
                )

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is not None:
            key_shape = value_shape if key_shape is None else key_shape
            _check_query_value_key(self, tuple(query_shape), tuple(value_shape), tuple(key_shape))
        return tuple(query_shape)

    def compute_output_spec(
        self,
        query,
        value=None,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores: bool = False,
        training=None,
        use_causal_mask: bool = False,
    ):
        value_shape = value.shape if value is not None else self._spec_arguments["value_shape"]
        output = KerasTensor(self.compute_output_shape(query.shape, value_shape), self.dtype)
        if not (return_attention_scores or self._spec_arguments.get("return_attention_scores")):
            return output
        scores_shape = (query.shape[0], self.num_query_heads, query.shape[1], value_shape[1])
        return output, KerasTensor(scores_shape, self.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self._activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "seed": self.seed,
        }


GroupQueryAttention = GroupedQueryAttention  # Keras 3's public name for the class


def _check_query_value_key(layer, query_shape, value_shape, key_shape) -> None:
    """(batch, steps, features) inputs, the query's and the value's features alike."""
    name = f"GroupQueryAttention layer {layer.name!r}"
    if len(query_shape) != 3 or len(value_shape) != 3 or len(key_shape) != 3:
        raise ValueError(
            f"{name} expects a query, a value and a key of shape (batch, steps, features). "
            f"Received: query.shape={tuple(query_shape)}, value.shape={tuple(value_shape)}, "
            f"key.shape={tuple(key_shape)}."
        )
    if query_shape[-1] != value_shape[-1]:
        raise ValueError(
            f"{name}: the last dimension of the query and of the value must be equal, but are "
            f"{query_shape[-1]} and {value_shape[-1]}. Received: query_shape="
            f"{tuple(query_shape)}, value_shape={tuple(value_shape)}. Map one of them to the "
            "other's size first (a Dense layer), or use MultiHeadAttention, which allows it."
        )
    _check_value_and_key(layer, value_shape, key_shape)

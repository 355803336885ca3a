"""`MultiHeadAttention`: several attentions side by side, each in its own subspace
(Vaswani et al., 2017, "Attention Is All You Need")."""

from __future__ import annotations

import math
import string

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


class MultiHeadAttention(Layer):
    """Multi-head attention: each query position gathers what it needs from the values.

    Formula, for a query sequence (batch, T, dim) and a value sequence (batch, S, dim)
    (the key is the value unless given), with N heads of size H = `key_dim`:

        Q = query · W_q + b_q        (batch, T, N, H)   the `query` EinsumDense
        K = key   · W_k + b_k        (batch, S, N, H)   `key`
        V = value · W_v + b_v        (batch, S, N, H_v) `value` (H_v = value_dim)
        per head:  A = softmax(Q Kᵀ / √H + mask)   (T, S)   the attention scores
                   O = A V                          (T, H_v)
        output = O · W_o + b_o       (batch, T, dim)    `attention_output`: the heads,
                                                        concatenated, mapped back to dim

    Each head compares queries and keys in a space of its own (H = dim / N is usual),
    so one head can follow the previous word while another follows the subject. Self-
    attention is `layer(x, x)`: every position looks at every other one of the same
    sequence.

    Weights (Keras 3's layout, so saved files interchange): four `EinsumDense` layers
    named `query`, `key`, `value` and `attention_output`, with kernels (dim, N, H),
    (dim, N, H), (dim, N, H_v), (N, H_v, dim) and biases (N, H), (N, H), (N, H_v), (dim,).
    On dim 64 with 4 heads of 16: 4 × (64·64 + 64) = 16 640 parameters.

    Args:
        num_heads: N, the number of heads.
        key_dim: H, the size of each head's queries and keys.
        value_dim: each head's value size (default `key_dim`).
        dropout: the fraction of attention scores to drop in training.
        use_bias: whether the four projections have biases.
        output_shape: the output's feature shape (default: the query's last axis).
        attention_axes: the axes attention runs over (default: all but batch, heads and
            features: the time axis of (batch, T, dim)).
        sliding_window: w, to let query t see only keys t-w+1 .. t+w-1.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: for the four projections.
        use_gate: a sigmoid gate on each head's output, from the query (Keras 3.11+).
        seed: for the dropout.
        flash_attention: None or False (a fused GPU kernel in Keras; the same numbers).

    Call arguments:
        query (batch, T, dim); value (batch, S, dim_v); key (batch, S, dim_k), default value.
        query_mask (batch, T), value_mask (batch, S), key_mask (batch, S): False for padding.
        attention_mask (batch, T, S): True where query t may attend to key s.
        return_attention_scores: also return A, (batch, N, T, S).
        training: dropout on or off (by default the model's mode).
        use_causal_mask: query t sees only keys 0..t, as in a decoder.

    A query row whose keys are all masked has nothing to attend to. Keras 3 computes
    attention on one of two roads: with scores returned, with dropout, or over several
    axes, a masked softmax that gives such a row zeros; otherwise its fused op, which gives
    it the plain average of the values. We take the same two roads (`_compute_attention`),
    so even these rows match Keras.

    Example:
        >>> mha = MultiHeadAttention(num_heads=4, key_dim=16)
        >>> x = np.random.randn(2, 10, 64)
        >>> y, scores = mha(x, x, return_attention_scores=True)
        >>> y.shape, scores.shape
        ((2, 10, 64), (2, 4, 10, 10))
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape=None,
        attention_axes=None,
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
        for argument, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"Received an invalid value for argument `{argument}`, expected a positive "
                    f"integer. Received: {argument}={value}"
                )
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(
                "Received an invalid value for argument `value_dim`, expected a positive "
                f"integer or `None`. Received: value_dim={value_dim}"
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
                "MultiHeadAttention(flash_attention=True): flash attention is a fused GPU kernel "
                "(Keras refuses it on CPU too); teachkeras computes the same numbers with "
                "plain ops. Leave the argument out."
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim or key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self._output_shape = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, list | tuple):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple. "
                f"Received: attention_axes={attention_axes}"
            )
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._sliding_window = sliding_window
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))  # the 1/√H of the scores
        self._spec_arguments: dict = {}

    # Keras 3's names for the settings and the four projections
    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # --- building: four projections and the attention's equations -----------------------
    def build(self, query_shape, value_shape, key_shape=None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        _check_value_and_key(self, value_shape, key_shape)
        if len(query_shape) != len(value_shape) or len(query_shape) < 3:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r} needs a query and a value of the same "
                "rank, at least 3: (batch, steps, features). Received: "
                f"query.shape={tuple(query_shape)}, value.shape={tuple(value_shape)}."
            )
        rank = len(query_shape)

        def projection(name: str, input_shape, size: int, **options) -> EinsumDense:
            # "abc,cde->abde": (batch, T, dim) · (dim, heads, size) -> (batch, T, heads, size)
            equation, bias_axes, _ = _projection_equation(free=rank - 1, bound=1, out=2)
            layer = EinsumDense(
                equation,
                output_shape=[None] * (rank - 2) + [self._num_heads, size],
                bias_axes=bias_axes if self._use_bias else None,
                name=name,
                **options,
                **self._sublayer_arguments(),
            )
            layer.build(tuple(input_shape))
            return layer

        self._query_dense = projection("query", query_shape, self._key_dim)
        self._key_dense = projection("key", key_shape, self._key_dim)
        if self._use_gate:
            self._gate_dense = projection(
                "gate", query_shape, self._value_dim, activation="sigmoid"
            )
        self._value_dense = projection("value", value_shape, self._value_dim)

        self._attention_axes_built = (  # axes of the projected (batch, T, heads, H): rank + 1
            tuple(range(1, rank - 1))  # all but batch, heads and features
            if self._attention_axes is None
            else tuple(a if a >= 0 else rank + a for a in self._attention_axes)
        )
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(
            rank + 1, self._attention_axes_built
        )
        softmax_axes = tuple(range(scores_rank - len(self._attention_axes_built), scores_rank))
        self._softmax = Softmax(axis=softmax_axes, dtype=self.dtype)  # over the key axes
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)

        # "abcd,cde->abe": (batch, T, heads, H_v) · (heads, H_v, dim) -> (batch, T, dim)
        features = self._output_shape or (query_shape[-1],)
        equation, bias_axes, _ = _projection_equation(free=rank - 1, bound=2, out=len(features))
        self._output_dense = EinsumDense(
            equation,
            output_shape=[None] * (rank - 2) + list(features),
            bias_axes=bias_axes if self._use_bias else None,
            name="attention_output",
            **self._sublayer_arguments(),
        )
        self._output_dense.build((*query_shape[:-1], self._num_heads, self._value_dim))

    def _sublayer_arguments(self) -> dict:
        """What each projection shares; each gets its own copy of the initializers."""
        return {
            "kernel_initializer": type(self._kernel_initializer).from_config(
                self._kernel_initializer.get_config()
            ),
            "bias_initializer": type(self._bias_initializer).from_config(
                self._bias_initializer.get_config()
            ),
            "kernel_regularizer": self._kernel_regularizer,
            "bias_regularizer": self._bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self._kernel_constraint,
            "bias_constraint": self._bias_constraint,
            "dtype": self.dtype,
        }

    # --- calling ---------------------------------------------------------------------------
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
            self._num_heads,
            query_mask=query_mask,
            value_mask=value_mask,
            key_mask=key_mask,
            attention_mask=attention_mask,
            use_causal_mask=use_causal_mask,
            sliding_window=self._sliding_window,
        )  # (batch, T, S) booleans, or None
        with masks_set_aside(query, value, key):
            gate = self._gate_dense(query) if self._use_gate else None
            query = self._query_dense(query)  # (batch, T, N, H)
            key = self._key_dense(key)  # (batch, S, N, H)
            value = self._value_dense(value)  # (batch, S, N, H_v)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores
        )  # (batch, T, N, H_v), (batch, N, T, S)
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)  # (batch, T, dim)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        """softmax(Q Kᵀ / √H + mask) V, for every head at once.

        Keras 3 takes its fused op `ops.dot_product_attention` when it can (no scores to
        return, no dropout, one attention axis), and the einsum road otherwise. Both give
        the same numbers, except for a query whose keys are all masked (the fused op
        averages the values; the masked softmax gives 0): we take the same roads.
        """
        if attention_mask is not None:  # (batch, T, S) -> (batch, 1, T, S): one mask for every head
            for _ in range(len(query.shape) - len(attention_mask.shape)):
                attention_mask = ops.expand_dims(
                    attention_mask, -2 * len(self._attention_axes_built) - 1
                )
        fused = not (self._dropout > 0.0 or return_attention_scores or len(query.shape) != 4)
        if fused:
            output = ops.dot_product_attention(
                query, key, value, mask=attention_mask, scale=self._inverse_sqrt_key_dim
            )
            return output, None
        query = query * self._inverse_sqrt_key_dim  # Q / √H
        scores = ops.einsum(self._dot_product_equation, key, query)  # (batch, N, T, S): Q Kᵀ / √H
        scores = self._masked_softmax(scores, attention_mask)  # A
        dropped = self._dropout_layer(scores, training=training)
        output = ops.einsum(self._combine_equation, dropped, value)  # (batch, T, N, H_v): A V
        return output, scores

    def _masked_softmax(self, scores, mask=None):
        """Softmax over the keys; a masked key gets weight 0 (Keras 3's `Softmax` with a mask)."""
        if mask is None:
            return self._softmax(scores)
        scores = ops.where(mask, scores, -1e9)  # e^(-1e9 - max) is exactly 0
        weights = self._softmax(scores)
        return ops.where(mask, weights, 0.0)  # and a query with no key at all gets 0, not 1/S

    # --- shapes ----------------------------------------------------------------------------
    def _check_call_shapes(self, query_shape, value_shape, key_shape) -> None:
        """The inputs must fit the projections built for the first call."""
        key_shape = value_shape if key_shape is None else key_shape
        _check_value_and_key(self, value_shape, key_shape)
        for name, shape, dense in (
            ("query", query_shape, self._query_dense),
            ("value", value_shape, self._value_dense),
            ("key", key_shape, self._key_dense),
        ):
            built_for = dense.kernel.shape[0]
            if len(shape) != dense.input_spec.ndim or shape[-1] != built_for:
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r} was built for a {name} of rank "
                    f"{dense.input_spec.ndim} with {built_for} features in its last axis, but "
                    f"received {name}.shape={shape} (query.shape={query_shape}, "
                    f"value.shape={value_shape}). Use a new layer for inputs of other sizes."
                )
        if query_shape[0] is not None and value_shape[0] is not None:
            if query_shape[0] != value_shape[0]:
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r}: the query and the value must have "
                    f"the same batch size. Received: query.shape={query_shape}, "
                    f"value.shape={value_shape}."
                )

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            key_shape = value_shape if key_shape is None else key_shape
            _check_value_and_key(self, tuple(value_shape), tuple(key_shape))
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

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
        axes = getattr(self, "_attention_axes_built", tuple(range(1, len(query.shape) - 1)))
        scores_shape = (
            query.shape[0],
            self._num_heads,
            *(query.shape[a] for a in axes),
            *(value_shape[a] for a in axes),
        )  # (batch, N, T, S)
        return output, KerasTensor(scores_shape, self.dtype)

    # --- config ----------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": serialize_keras_object(self._kernel_initializer),
            "bias_initializer": serialize_keras_object(self._bias_initializer),
            "kernel_regularizer": serialize_keras_object(self._kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self._bias_regularizer),
            "activity_regularizer": serialize_keras_object(self._activity_regularizer),
            "kernel_constraint": serialize_keras_object(self._kernel_constraint),
            "bias_constraint": serialize_keras_object(self._bias_constraint),
            "seed": self.seed,
        }


# --- the einsum equations ---------------------------------------------------------------------
def _projection_equation(free: int, bound: int, out: int) -> tuple[str, str, int]:
    """A projection's einsum: `free` axes pass through, `bound` are multiplied away, `out` new.

    free=2, bound=1, out=2 gives "abc,cde->abde" (bias over "de"): (batch, T, dim) times
    (dim, heads, size). Returns (equation, bias axes, rank of the output).
    """
    letters = string.ascii_lowercase
    kept, summed, new = (
        letters[:free],
        letters[free : free + bound],
        letters[free + bound : free + bound + out],
    )
    return f"{kept}{summed},{summed}{new}->{kept}{new}", new, free + out


def _attention_equations(rank: int, attention_axes: tuple[int, ...]) -> tuple[str, str, int]:
    """The two einsums of attention, for projected tensors of `rank` axes (heads included).

    For (batch, T, heads, H), rank 4, attention over axis 1:
        scores:  "aecd,abcd->acbe"   K (batch, S, N, H), Q (batch, T, N, H) -> (batch, N, T, S)
        combine: "acbe,aecd->abcd"   A (batch, N, T, S), V (batch, S, N, H) -> (batch, T, N, H)
    The axes that are neither attended over nor the last are batch-like (batch, heads);
    each attended axis gets a second letter for the key side. Returns the two equations
    and the rank of the scores.
    """
    letters = string.ascii_lowercase
    query = letters[:rank]
    batch_like = [i for i in range(rank - 1) if i not in attention_axes]
    key = list(query)
    for n, axis in enumerate(attention_axes):
        key[axis] = letters[rank + n]  # the key's own letter for an attended axis
    key = "".join(key)
    scores = "".join(
        [query[i] for i in batch_like]
        + [query[i] for i in attention_axes]
        + [key[i] for i in attention_axes]
    )
    return f"{key},{query}->{scores}", f"{scores},{key}->{query}", len(scores)


def _check_value_and_key(layer, value_shape: tuple, key_shape: tuple) -> None:
    if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r}: all dimensions of `value` and `key`, "
            f"except the last one, must be equal (one key per value). Received: "
            f"value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}"
        )

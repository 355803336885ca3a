"""`Attention`: dot-product attention (Luong et al., 2015), without learned projections."""

from __future__ import annotations

from ... import ops, random
from ..keras_tensor import KerasTensor
from ..layer import Layer
from .calling import returning_scores
from .masks import causal_mask

# Keras 3 subtracts this from a masked score: e^(score - 1e9) is exactly 0 in float32.
MASKED_SCORE_OFFSET = 1.0e9


class Attention(Layer):
    """Each query takes a weighted average of the values, weighted by how well it matches each key.

    Formula, for a query (batch, T, dim), a value (batch, S, dim_v) and a key
    (batch, S, dim), the key being the value unless given:

        scores  = Q Kᵀ                  (batch, T, S)   score_mode="dot"
                  (× a learned scalar, with use_scale=True)
                  or c · Σ tanh(q + k)  over the features  score_mode="concat"
        scores -= 1e9 where the value mask is False (or the causal mask)
        weights = softmax(scores)       along the S keys: each row sums to 1
        output  = weights · V           (batch, T, dim_v)

    Unlike `MultiHeadAttention` it learns no projections: the query and the key must
    already have the same number of features (an LSTM's outputs, say, in a seq2seq
    model). Its only weights are the optional `scale` and `concat_score_weight`
    scalars.

    Args:
        use_scale: learn a scalar that multiplies the scores (starts at 1).
        score_mode: "dot" (Luong's multiplicative score) or "concat" (a sum of tanh).
        dropout: the fraction of attention weights to drop in training.
        seed: for the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`.
        mask: `[query_mask, value_mask]`, each (batch, steps) or None: padded values get no
            weight, and the output is 0 at padded queries.
        training: dropout on or off.
        return_attention_scores: also return the weights (batch, T, S).
        use_causal_mask: query t sees only values 0..t.

    Example:
        >>> q, v = np.random.randn(2, 3, 4), np.random.randn(2, 5, 4)
        >>> Attention()([q, v]).shape
        (2, 3, 4)
    """

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = random.SeedGenerator(seed=seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )
        self.supports_masking = True
        self.scale = self.concat_score_weight = None
        self._spec_arguments: dict = {}

    def build(self, input_shape) -> None:
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )

    def __call__(self, inputs, *args, **kwargs):
        """As any layer's; `returning_scores` tells `compute_output_spec` about the flag."""
        with returning_scores(self, kwargs):
            return super().__call__(inputs, *args, **kwargs)

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        which = "key" if len(inputs) > 2 else "value"  # what the query is compared with
        self._check_shapes(query.shape, value.shape, key.shape, query_mask, value_mask, which)
        scores = self._calculate_scores(query, key)  # (batch, T, S)
        keep = self._scores_mask(scores.shape, value_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, value, keep, training)
        if query_mask is not None:  # a padded query's output is 0
            output = ops.where(ops.expand_dims(ops.cast(query_mask, "bool"), -1), output, 0.0)
        return (output, weights) if return_attention_scores else output

    def _calculate_scores(self, query, key):
        """How well each query matches each key: (batch, T, dim), (batch, S, dim) -> (batch, T, S)."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))  # Q Kᵀ
            return scores * self.scale if self.scale is not None else scores
        q = ops.expand_dims(query, -2)  # (batch, T, 1, dim)
        k = ops.expand_dims(key, -3)  # (batch, 1, S, dim)
        pairs = q + k if self.scale is None else self.scale * (q + k)  # (batch, T, S, dim)
        return self.concat_score_weight * ops.sum(ops.tanh(pairs), axis=-1)

    def _scores_mask(self, scores_shape, value_mask, use_causal_mask):
        """Booleans, True where query t may look at value s: (batch, 1, S), (1, T, S) or both."""
        keep = None if value_mask is None else ops.expand_dims(ops.cast(value_mask, "bool"), -2)
        if use_causal_mask:
            causal = ops.convert_to_tensor(causal_mask(scores_shape[-2], scores_shape[-1]))
            keep = causal if keep is None else ops.logical_and(keep, causal)
        return keep

    def _apply_scores(self, scores, value, keep=None, training=False):
        """softmax(scores) · V, with masked scores lowered by 1e9 (Keras 3's way)."""
        if keep is not None:
            scores = ops.where(keep, scores, scores - MASKED_SCORE_OFFSET)
        weights = ops.softmax(scores, axis=-1)  # (batch, T, S)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights  # (batch, T, dim_v)

    def compute_mask(self, inputs, mask=None):
        """The output keeps the query's mask."""
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        self._validate_inputs(input_shape)
        return (*input_shape[0][:-1], input_shape[1][-1])

    def compute_output_spec(
        self,
        inputs,
        mask=None,
        return_attention_scores: bool = False,
        training=None,
        use_causal_mask: bool = False,
    ):
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]), self.dtype)
        if not (return_attention_scores or self._spec_arguments.get("return_attention_scores")):
            return output
        return output, KerasTensor((*query.shape[:-1], key.shape[-2]), self.dtype)

    # --- checks ----------------------------------------------------------------------------
    def _validate_inputs(self, inputs, mask=None) -> None:
        name = type(self).__name__
        one_shape = isinstance(inputs, tuple) and all(
            d is None or isinstance(d, int) for d in inputs
        )
        if not isinstance(inputs, list | tuple) or one_shape:  # one tensor, or one tensor's shape
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, list | tuple):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}."
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received: mask={mask}."
                )

    def _check_shapes(
        self, query_shape, value_shape, key_shape, query_mask, value_mask, which="value"
    ) -> None:
        """Shapes that would fail deep inside the product, refused with both shapes named."""
        name = f"{type(self).__name__} layer {self.name!r}"
        if query_shape[-1] != key_shape[-1]:
            raise ValueError(
                f"{name}: the query and the {which} must have the same last dimension (each "
                f"score compares a query with a key feature by feature). Received: "
                f"query.shape={tuple(query_shape)}, {which}.shape={tuple(key_shape)}. "
                "Project one of them first, e.g. with a Dense layer."
            )
        if key_shape[-2] != value_shape[-2]:
            raise ValueError(
                f"{name}: the key and the value must have the same number of steps (one key "
                f"per value). Received: value.shape={tuple(value_shape)}, "
                f"key.shape={tuple(key_shape)}."
            )
        for what, mask, shape in (
            ("query", query_mask, query_shape),
            ("value", value_mask, value_shape),
        ):
            if mask is not None and tuple(mask.shape) != tuple(shape[:-1]):
                raise ValueError(
                    f"{name}: the {what} mask should have shape {tuple(shape[:-1])} (batch, steps): "
                    f"one boolean per step of the {what} of shape {tuple(shape)}. Received: "
                    f"mask.shape={tuple(mask.shape)}."
                )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }

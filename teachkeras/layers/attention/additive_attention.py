"""`AdditiveAttention`: Bahdanau-style attention (Bahdanau et al., 2015)."""

from __future__ import annotations

from ... import ops
from .attention import Attention


class AdditiveAttention(Attention):
    """Attention whose score adds query and key before a tanh, instead of multiplying them.

    Formula, for a query (batch, T, dim), a value (batch, S, dim_v) and a key
    (batch, S, dim) (the value unless given):

        scores[t, s] = Σ_i  w_i · tanh(q[t, i] + k[s, i])     (batch, T, S)
        weights = softmax(scores) along s;  output = weights · V

    w (`scale`, shape (dim,), glorot_uniform) learns which features of the sum matter;
    with `use_scale=False` it is 1. Everything else (masks, dropout, causal mask, the
    call) is `Attention`'s.

    Args:
        use_scale: learn w (default True).
        dropout: the fraction of attention weights to drop in training.
        seed: for the dropout.

    Example:
        >>> q, v = np.random.randn(2, 3, 4), np.random.randn(2, 5, 4)
        >>> AdditiveAttention()([q, v]).shape
        (2, 3, 4)
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs) -> None:
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape) -> None:
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform"
            )

    def _check_shapes(self, query_shape, value_shape, key_shape, *masks_and_which) -> None:
        super()._check_shapes(query_shape, value_shape, key_shape, *masks_and_which)
        if self.scale is not None and query_shape[-1] != self.scale.shape[0]:
            raise ValueError(
                f"AdditiveAttention layer {self.name!r} was built for queries and keys with "
                f"{self.scale.shape[0]} features (its scale w), but received "
                f"query.shape={tuple(query_shape)}, value.shape={tuple(value_shape)}. Use a "
                "new layer for inputs of other sizes."
            )

    def _calculate_scores(self, query, key):
        """Σ_i w_i tanh(q_i + k_i): (batch, T, dim), (batch, S, dim) -> (batch, T, S)."""
        q = ops.expand_dims(query, -2)  # (batch, T, 1, dim)
        k = ops.expand_dims(key, -3)  # (batch, 1, S, dim)
        pairs = ops.tanh(q + k)  # (batch, T, S, dim): every query with every key
        return ops.sum(pairs * self.scale if self.use_scale else pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config

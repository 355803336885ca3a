"""`Embedding`: token ids -> learned vectors, $y_{n,t} = E[x_{n,t}]$ (a row lookup)."""

from __future__ import annotations

import numpy as np

from ... import constraints, initializers, ops, regularizers
from ...backend.tensor import as_array
from ...legacy.renames import Change, accepts_renamed
from ...serialization.keras_objects import serialize_keras_object
from ..keras_tensor import KerasTensor
from ..layer import Layer


def _length_warning(owner: str, input_length) -> str:
    return (
        f"{owner}(input_length={input_length}) is Keras 2: Keras 3 ignores input_length and "
        f"takes the sequence length from the data. Write keras.Input(shape=({input_length},)) "
        f"as the model's first layer (or {owner}(..., input_shape=({input_length},)))."
    )


# Keras 2: Embedding(10000, 8, input_length=maxlen) told Sequential the input shape, (maxlen,).
KERAS2_EMBEDDING = {
    "input_length": Change("input_shape", convert=lambda n: (n,), message=_length_warning),
}


@accepts_renamed(KERAS2_EMBEDDING)  # old spellings become today's before __init__ runs
class Embedding(Layer):
    """Turn token ids into dense vectors: row `i` of the matrix E is the vector of token `i`.

    Shapes: ids `(batch, steps)` (whole numbers in `[0, input_dim)`), the `embeddings`
    matrix E `(input_dim, output_dim)`, output `(batch, steps, output_dim)`. The lookup
    `E[ids]` is `ops.take(E, ids, axis=0)`; its gradient adds each step's output
    gradient into the row it read (`np.add.at`: a token seen twice gets both), so only the
    rows of the tokens in the batch change.

    With `mask_zero=True`, id 0 is padding: the output carries a mask, True where the id
    is not 0, and the layers after it (Dense, LSTM, GlobalAveragePooling1D, the loss) skip
    the padded steps. Id 0 then means nothing, so `input_dim` is the vocabulary size + 1.

    Args:
        input_dim: vocabulary size, i.e. the largest token id + 1.
        output_dim: length of each token's vector.
        embeddings_initializer: how E starts (default "uniform": U(-0.05, 0.05)).
        embeddings_regularizer, embeddings_constraint: a penalty on E, a projection after
            each update.
        mask_zero: whether id 0 is padding to be masked.
        weights: the initial matrix E `(input_dim, output_dim)` (or `[E]`), e.g. GloVe
            vectors; add `trainable=False` to keep them fixed.
        lora_rank: Keras 3's low-rank fine-tuning; refused (teachkeras has no LoRA).

    Example:
        >>> layer = Embedding(input_dim=1000, output_dim=8, mask_zero=True)
        >>> y = layer(np.array([[4, 20, 0]]))
        >>> y.shape, y._keras_mask
        ((1, 3, 8), [[True, True, False]])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero: bool = False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ) -> None:
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int | np.integer) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"`{name}` must be a positive integer. "
                    f"Received: {name}={value!r} (of type {type(value).__name__})."
                )
        if lora_rank or lora_alpha or quantization_config:
            raise ValueError(
                "Embedding(lora_rank=..., lora_alpha=..., quantization_config=...) are not "
                "supported by teachkeras."
            )
        kwargs.setdefault("autocast", False)  # ids stay whole numbers (Keras 3 does the same)
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:  # Embedding(..., weights=[glove_matrix]): set at once, as Keras
            self.build()
            self.set_weights(weights if isinstance(weights, list | tuple) else [weights])

    def build(self, input_shape=None) -> None:
        if self.built:
            return
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            name="embeddings",
        )

    def call(self, inputs):
        ids = self._token_ids(inputs)  # (batch, steps) of int64
        return ops.take(self.embeddings, ids, axis=0)  # (batch, steps, output_dim)

    def compute_mask(self, inputs, mask=None):
        """True where the id is not 0 (the padding), when `mask_zero`."""
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs):
        # the output is the embeddings' dtype, whatever the ids' dtype (autocast is off)
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def _token_ids(self, inputs) -> np.ndarray:
        """The ids as integers, after checking they are whole numbers in `[0, input_dim)`."""
        ids = as_array(inputs)
        if ids.dtype.kind == "f":
            whole = np.round(ids)
            if not np.array_equal(ids, whole):
                bad = ids[ids != whole].flat[0]
                raise ValueError(
                    f"Embedding layer {self.name!r} expects token ids (whole numbers), but "
                    f"received {bad!r} among inputs of shape {ids.shape}. Pass the integer ids "
                    "themselves (not scaled or normalized data); to feed vectors of real "
                    "numbers, use Dense instead."
                )
            ids = whole
        elif ids.dtype.kind not in "iub":
            raise ValueError(
                f"Embedding layer {self.name!r} expects integer token ids, but received "
                f"inputs of dtype {ids.dtype}. Turn text into ids first: TextVectorization, "
                "or Tokenizer.texts_to_sequences and pad_sequences."
            )
        ids = ids.astype(np.int64)
        if ids.size and (ids.max() >= self.input_dim or ids.min() < 0):
            largest, smallest = int(ids.max()), int(ids.min())
            if smallest < 0:
                raise ValueError(
                    f"Embedding layer {self.name!r} received the negative token id {smallest}; "
                    f"ids must be in [0, {self.input_dim})."
                )
            raise ValueError(
                f"Embedding layer {self.name!r} received token id {largest}, but "
                f"input_dim={self.input_dim} only has rows for ids 0 to {self.input_dim - 1}. "
                f"Use input_dim=max_id + 1 = {largest + 1}, or keep fewer words when making "
                "the ids (num_words=..., max_tokens=...)."
            )
        return ids

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)  # Keras writes it among the layer's own
        return {
            **config,
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": serialize_keras_object(self.embeddings_initializer),
            "embeddings_regularizer": serialize_keras_object(self.embeddings_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "embeddings_constraint": serialize_keras_object(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }

"""Attention layers: `Attention` (Luong), `AdditiveAttention` (Bahdanau),
`MultiHeadAttention` (Transformers) and `GroupQueryAttention`; `masks.py` combines their
masks, `calling.py` lets them take several input tensors."""

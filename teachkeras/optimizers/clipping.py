"""Gradient clipping: keep one bad batch from throwing the weights far away.

Three ways, one per optimizer argument (Keras applies them before the update):

    clipnorm=c         each gradient alone:   g ← g · c / max(‖g‖, c)
    global_clipnorm=c  all gradients at once: gᵢ ← gᵢ · c / max(N, c),  N = √(Σ ‖gᵢ‖²)
    clipvalue=c        each element:          g ← clip(g, −c, c)

Norm clipping keeps the gradient's direction; value clipping may turn it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def clip_by_norm(gradient: np.ndarray, clipnorm: float) -> np.ndarray:
    """Rescale so that the L2 norm is at most `clipnorm` (unchanged when it already is).

    Formula: `g ← g · c / max(‖g‖₂, c)`
    """
    norm = np.sqrt(np.sum(np.square(gradient)))
    return gradient * clipnorm / np.maximum(norm, clipnorm)


def global_norm(grads: Sequence[np.ndarray]) -> np.ndarray:
    """The L2 norm of all gradients joined into one vector: `√(Σᵢ ‖gᵢ‖²)`."""
    return np.sqrt(np.sum(np.stack([np.sum(np.square(g)) for g in grads])))


def clip_by_global_norm(grads: Sequence[np.ndarray], clip_norm: float) -> list[np.ndarray]:
    """Rescale all gradients by one factor so that their global norm is at most `clip_norm`.

    Formula: `gᵢ ← gᵢ · c · min(1/N, 1/c)`, with N the global norm (NaN if N is inf/NaN).
    """
    norm = global_norm(grads)
    with np.errstate(divide="ignore", invalid="ignore"):  # N = 0 gives 1/N = inf: scale 1
        scale = clip_norm * np.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [g * scale.astype(g.dtype) for g in grads]

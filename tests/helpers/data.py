"""Small arrays that several test files draw the same way.

`rand` is NumPy's `randn` in float32, seeded. The rest are `(y_true, y_pred)` pairs for
losses and metrics, a batch of N samples over C classes, each drawn from a NumPy Generator
so a test decides the seed; the parity tests give the same pair to teachkeras and Keras 3.
"""

from __future__ import annotations

import numpy as np

N, C = 6, 4  # the pairs' batch size and number of classes

Pair = tuple[np.ndarray, np.ndarray]


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    """Standard normal numbers of this shape, float32, from `default_rng(seed)`."""
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


# --- the pieces ---------------------------------------------------------------------------------
def probabilities(rng: np.random.Generator, shape: tuple[int, ...] = (N, C)) -> np.ndarray:
    """Rows that sum to 1, no entry near 0 (so logs stay finite)."""
    p = rng.uniform(0.05, 1.0, shape)
    return (p / p.sum(-1, keepdims=True)).astype("float32")


def one_hot(rng: np.random.Generator) -> np.ndarray:
    """N one-hot rows of C classes."""
    return np.eye(C, dtype="float32")[rng.integers(0, C, N)]


def normal(rng: np.random.Generator, shape: tuple[int, ...] = (N, C)) -> np.ndarray:
    return rng.standard_normal(shape).astype("float32")


def uniform(rng: np.random.Generator, low: float, high: float) -> np.ndarray:
    return rng.uniform(low, high, (N, C)).astype("float32")


# --- (y_true, y_pred) pairs -------------------------------------------------------------------
def signed(rng: np.random.Generator) -> Pair:
    """Regression targets and predictions of either sign."""
    return normal(rng), normal(rng)


def positive(rng: np.random.Generator) -> Pair:
    """Regression targets and predictions in [0.1, 3] (for logs and percentages)."""
    return uniform(rng, 0.1, 3), uniform(rng, 0.1, 3)


def categorical(rng: np.random.Generator) -> Pair:
    """One-hot labels and probabilities."""
    return one_hot(rng), probabilities(rng)


def categorical_logits(rng: np.random.Generator) -> Pair:
    """One-hot labels and logits."""
    return one_hot(rng), normal(rng) * 2


def sparse(rng: np.random.Generator) -> Pair:
    """Class indices, shape (N,), and probabilities."""
    return rng.integers(0, C, N), probabilities(rng)


def sparse_column(rng: np.random.Generator) -> Pair:
    """Class indices as a column, shape (N, 1), and probabilities."""
    return rng.integers(0, C, (N, 1)), probabilities(rng)


def sparse_logits(rng: np.random.Generator) -> Pair:
    """Class indices and logits."""
    return rng.integers(0, C, N), normal(rng) * 2


def binary(rng: np.random.Generator) -> Pair:
    """0/1 labels and probabilities in [0.02, 0.98]."""
    return rng.integers(0, 2, (N, C)).astype("float32"), uniform(rng, 0.02, 0.98)

"""The random state shared by initializers, dropout and shuffling.

One global `numpy.random.Generator`; `set_seed(n)` replaces it, so that everything
drawn afterwards repeats exactly from run to run (this is what makes notebook outputs
stable). An object given its own `seed=` owns a private generator instead.
"""

from __future__ import annotations

import numpy as np

_global_generator = np.random.default_rng()


def set_seed(seed: int) -> None:
    """Reseed the global generator that every unseeded random op draws from."""
    global _global_generator
    _global_generator = np.random.default_rng(seed)


def global_generator() -> np.random.Generator:
    return _global_generator


def make_generator(seed: int | np.random.Generator | None = None) -> np.random.Generator:
    """A generator for `seed`: the global one for `None`, a private one for an int."""
    if seed is None:
        return _global_generator
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(int(seed))

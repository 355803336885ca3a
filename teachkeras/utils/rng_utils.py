"""`set_random_seed`: one call that makes a whole notebook repeat exactly."""

from __future__ import annotations

import random

import numpy as np

from ..backend import random as backend_random


def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy's global state and teachkeras's generator.

    After this, initial weights, dropout masks and the shuffling in `fit` are the
    same on every run, so training curves (and notebook outputs) repeat exactly.
    """
    if not isinstance(seed, int | np.integer):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    backend_random.set_seed(int(seed))

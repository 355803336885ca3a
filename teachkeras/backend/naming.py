"""Unique default names: `dense`, `dense_1`, `dense_2`, ... (Keras's `K.get_uid`)."""

from __future__ import annotations

import re
from collections import defaultdict

_uids: defaultdict[str, int] = defaultdict(int)


def get_uid(prefix: str = "") -> int:
    """How many times `prefix` has been asked for, counting this call (1, 2, 3, ...)."""
    _uids[prefix] += 1
    return _uids[prefix]


def unique_name(prefix: str) -> str:
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ... as Keras names layers."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def reset_uids() -> None:
    """Forget every name given so far (part of `clear_session()`)."""
    _uids.clear()


def to_snake_case(name: str) -> str:
    """`'BatchNormalization'` -> `'batch_normalization'`, `'Conv2D'` -> `'conv2d'`.

    Keras's rule, step by step: drop non-word characters, split before a capital that
    starts a word, split between a lower-case letter and a capital, lower-case it all
    (so `'LeakyReLU'` -> `'leaky_re_lu'`, as in Keras).
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()

"""The state a session accumulates, and `clear_session()`, which forgets it.

Two things outlive a single call: the default names handed out so far (`dense`,
`dense_1`, ... in `naming.py`), and the learning phase that Keras 2's
`K.set_learning_phase(0/1)` fixes for every layer called without `training=`
(Keras 3 passes `training` to each call instead; `Layer.__call__` reads this value
only when nobody passed one).
"""

from __future__ import annotations

from .naming import reset_uids

_learning_phase: int | None = None


def learning_phase() -> int | None:
    """The learning phase fixed by `set_learning_phase`: 1 (train), 0 (test), or None (not fixed)."""
    return _learning_phase


def set_learning_phase(value: int | None) -> None:
    """Fix the training flag of layers called without `training=`: 1 = train, 0 = test, None = unset."""
    global _learning_phase
    if value not in (0, 1, None):
        raise ValueError(f"Expected learning phase to be 0 or 1. Received: {value!r}")
    _learning_phase = None if value is None else int(value)


def clear_session() -> None:
    """Start afresh: default names start again (`dense`, not `dense_3`), no learning phase set.

    Example:
        >>> Dense(1).name, Dense(1).name
        ('dense', 'dense_1')
        >>> clear_session(); Dense(1).name
        'dense'
    """
    reset_uids()
    set_learning_phase(None)

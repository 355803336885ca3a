"""What changed between Keras 1, 2 and 3, and the warning that teaches it.

Tutorials written for older Keras still work here: an old spelling is accepted,
behaves as it did, and warns once with the line to write today. This file is the
single table of those spellings, so a learner can read what changed in one place.
"""

from __future__ import annotations

import os
import sys
import warnings

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class KerasLegacyWarning(UserWarning):
    """An older Keras spelling was used; the message shows the modern one."""


# old spelling -> (Keras version that used it, what to write now)
RENAMED_ARGUMENTS: dict[str, tuple[str, str]] = {
    "lr": ("Keras 2", "learning_rate="),
    "decay": ("Keras 2", "a schedule: learning_rate=InverseTimeDecay(...)"),
    "init": ("Keras 1", "kernel_initializer="),
    "output_dim": ("Keras 1", "units="),
    "nb_epoch": ("Keras 1", "epochs="),
    "W_regularizer": ("Keras 1", "kernel_regularizer="),
    "b_regularizer": ("Keras 1", "bias_regularizer="),
    "W_constraint": ("Keras 1", "kernel_constraint="),
    "b_constraint": ("Keras 1", "bias_constraint="),
    "bias": ("Keras 1", "use_bias="),
}

_already_warned: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int | None = None) -> None:
    """Warn with `message` the first time `key` is seen in this process.

    The warning points at the learner's line (the first caller outside teachkeras),
    however deep inside the library the old spelling was noticed.
    """
    if key in _already_warned:
        return
    _already_warned.add(key)
    warnings.warn(message, KerasLegacyWarning, stacklevel=stacklevel or _user_stacklevel())


def _user_stacklevel() -> int:
    """The `stacklevel` that makes `warnings.warn` (called from warn_once) name user code."""
    frame, level = sys._getframe(2), 2  # 0: here, 1: warn_once, 2: its caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def warn_renamed(owner: str, old: str, new: str, stacklevel: int | None = None) -> None:
    """Warn once that `owner(old=...)` is now spelled `owner(new...)`."""
    warn_once(
        f"{owner}.{old}",
        f"{owner}({old}=...) is the older Keras spelling; write {owner}({new}...) instead.",
        stacklevel=stacklevel,
    )


def pop_renamed(kwargs: dict, owner: str, old: str, new: str):
    """Take `old` out of `kwargs` (warning once) and return its value, or None if absent."""
    if old not in kwargs:
        return None
    warn_renamed(owner, old, new)
    return kwargs.pop(old)


def reset_warnings() -> None:
    """Forget which warnings were given (for tests)."""
    _already_warned.clear()

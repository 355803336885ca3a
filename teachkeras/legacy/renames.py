"""Old argument names, translated by table before a constructor runs.

Keras 2 read Keras 1 code the same way (`keras/legacy/interfaces.py`): each layer's
`__init__` was wrapped by a converter built from its list of (old name, new name) pairs.
Here a class that still accepts old spellings carries one dict of them, beside it:

    @accepts_renamed({"output_dim": "units", "init": "kernel_initializer", ...})
    class Dense(Layer):
        def __init__(self, units=None, activation=None, ...):   # Keras 3's constructor

`Dense(output_dim=8)` warns once, at the learner's own line, then runs
`Dense.__init__(units=8)`: a constructor only ever sees today's names, and
`inspect.signature(Dense)` stays Keras 3's. Functions take the same decorator
(`activations.relu(x, alpha=0.1)`).

A value in the table is the new name, or a `Change` when more than the name changes: the
value (`dim_ordering='th'` is `data_format='channels_first'`), two old arguments making
one (`nb_row, nb_col` is `kernel_size`), or an argument with no Keras 3 name at all.
Every old spelling also has its row in `legacy.CHANGES`, the table a learner reads.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import warn_once


@dataclass(frozen=True)
class Change:
    """What an old argument becomes, when that is more than a new name.

    new:     the argument it becomes. None: dropped, as it means nothing today;
             its own name: kept, for a constructor that still honours it (`SGD(decay=)`).
    convert: the old value(s) -> the new value (one argument per old name); it raises
             ValueError for a value with no modern meaning. Default: the value as it is.
    write:   what the warning says to write instead (default `new=...`).
    message: the whole warning, for a change that is not a renaming: a string with
             `{owner}` in it, or a function (owner, value) -> string.
    """

    new: str | None
    convert: Callable[..., Any] | None = None
    write: str | None = None
    message: str | Callable[..., str] | None = None


# Every table in use, by owner: a test checks that each old name has its row in CHANGES.
TABLES: dict[str, dict[tuple[str, ...], Change]] = {}


def accepts_renamed(renames: dict, owner: str | None = None) -> Callable:
    """Let a class (its `__init__`) or a function also take the old names in `renames`.

    `renames` maps an old name, or a tuple of old names that together make one argument,
    to its new name or a `Change`. Each old name is replaced before the constructor runs,
    with a warning once per (owner, old name) at the learner's line; an old name given
    together with its new one is a TypeError. `owner` (default: the class's or function's
    name) is what the messages call it.
    """

    def decorate(target):
        name = owner or target.__name__
        if isinstance(target, type):
            target.__init__ = _translating(target.__init__, renames, name)
            return target
        return _translating(target, renames, name)

    return decorate


def _translating(function: Callable, renames: dict, owner: str) -> Callable:
    changes = {
        old if isinstance(old, tuple) else (old,): new if isinstance(new, Change) else Change(new)
        for old, new in renames.items()
    }
    old_names = {name for names in changes for name in names}
    signature = inspect.signature(function)
    TABLES[owner] = changes

    @functools.wraps(function)  # keeps the name, the docstring and the Keras 3 signature
    def accepting_old_names(*args, **kwargs):
        if not old_names.isdisjoint(kwargs):
            kwargs = _translate(owner, changes, signature, args, kwargs)
        return function(*args, **kwargs)

    return accepting_old_names


def _translate(owner: str, changes: dict, signature, args: tuple, kwargs: dict) -> dict:
    """`kwargs` with each old name replaced by today's (warning once for each)."""
    try:
        given = set(signature.bind_partial(*args).arguments) | set(kwargs)
    except TypeError:  # too many positional arguments: the function itself will say so
        given = set(kwargs)
    kwargs = dict(kwargs)
    for names, change in changes.items():
        if not any(name in kwargs for name in names):
            continue
        values = [kwargs.pop(name, None) for name in names]
        if all(value is None for value in values):
            continue  # None meant "not set" (old configs write it): nothing to translate
        renamed = change.new is not None and change.new not in names
        if renamed and change.new in given:
            old = ", ".join(f"{name}=" for name in names)
            raise TypeError(
                f"{owner}() got both {change.new}= and {old}, its older Keras spelling. "
                f"Keep only {change.new}=."
            )
        warn_once(f"{owner}.{names[0]}", _warning(owner, names, values, change))
        value = values[0]
        if change.convert is not None:
            try:
                value = change.convert(*values)
            except ValueError as error:
                raise ValueError(f"{owner}: {error}") from None
        if change.new is not None:
            kwargs[change.new] = value
    return kwargs


def _warning(owner: str, names: tuple, values: list, change: Change) -> str:
    if callable(change.message):
        return change.message(owner, *values)
    if change.message is not None:
        return change.message.format(owner=owner)
    old = ", ".join(f"{name}=..." for name in names)
    write = change.write or f"{change.new}=..."
    return f"{owner}({old}) is the older Keras spelling; write {owner}({write}) instead."


def pop_renamed(kwargs: dict, owner: str, old: str, new: str):
    """Take `old` out of `kwargs` and return its value (None if absent), with the warning a
    table gives (`new` is e.g. `"epochs="`). For a function that should not gain the wrapper
    frame `@accepts_renamed` adds: `fit`, whose data checks warn with a fixed `stacklevel`."""
    value = kwargs.pop(old, None)
    if value is not None:
        change = Change(new.rstrip("="))
        warn_once(f"{owner}.{old}", _warning(owner, (old,), [value], change))
    return value


# --- what several classes share --------------------------------------------------------
# Keras 1's names for a layer's kernel (W) and bias (b): Dense and every convolution.
KERAS1_KERNEL_AND_BIAS = {
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
}

# Keras 1's `dim_ordering` names for the two image layouts (every image layer took it).
_DATA_FORMATS = {"tf": "channels_last", "th": "channels_first", "default": None}


def _data_format(dim_ordering):
    if dim_ordering not in _DATA_FORMATS:
        raise ValueError(
            "dim_ordering must be 'tf' (data_format='channels_last'), 'th' "
            f"(data_format='channels_first') or 'default'. Received: dim_ordering={dim_ordering!r}"
        )
    return _DATA_FORMATS[dim_ordering]


def _dim_ordering_warning(owner: str, dim_ordering) -> str:
    data_format = _DATA_FORMATS.get(dim_ordering, "...")
    return (
        f"{owner}(dim_ordering={dim_ordering!r}) is the older Keras spelling; "
        f"write {owner}(data_format={data_format!r}) instead."
    )


DIM_ORDERING = Change("data_format", convert=_data_format, message=_dim_ordering_warning)
KERAS1_DIM_ORDERING = {"dim_ordering": DIM_ORDERING}  # the whole table of most image layers

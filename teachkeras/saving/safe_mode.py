"""Safe mode: the check that refuses files whose config names Python code.

A Keras file can describe a `Lambda` layer, or a function written as `__lambda__`
(Python bytecode in the file). Keras 3 refuses to load those unless `safe_mode=False`
is passed, or `keras.config.enable_unsafe_deserialization()` was called once for the
whole process. teachkeras has the same switch, with one difference worth knowing:

    teachkeras never runs code from a file, in either mode.

It has no `Lambda` layer and never turns `__lambda__` bytecode into a function. So
turning safe mode off only lets the loader go past the check: a `Lambda` layer then
builds only if you pass a class of your own under that name in `custom_objects`, and
the code that runs is yours, not the file's.
"""

from __future__ import annotations


class _SafeModeState:
    """Switched off for the whole process by `enable_unsafe_deserialization()`."""

    unsafe_deserialization = False


_state = _SafeModeState()


def enable_unsafe_deserialization() -> None:
    """Load configs that name Python code (a `Lambda` layer) without `safe_mode=False`.

    After this call every load behaves as if given `safe_mode=False` (as in Keras 3,
    the switch lasts until the process ends). teachkeras still never executes code
    stored in a file: a `Lambda` layer in a config is built only from a class you pass
    in `custom_objects={"Lambda": YourLayer}`, and a `__lambda__` function is never
    rebuilt from its bytecode (loading it raises a `ValueError` that says so).

    Example:
        >>> keras.config.enable_unsafe_deserialization()
        >>> model = keras.models.load_model("with_lambda.keras", custom_objects={"Lambda": MyLambda})
    """
    _state.unsafe_deserialization = True


def in_safe_mode(safe_mode: bool = True) -> bool:
    """The safe mode in force: what the caller asked for, unless switched off for the process.

    Args:
        safe_mode: the `safe_mode=` argument the loading function was given.

    Returns:
        False if `enable_unsafe_deserialization()` was called, else `safe_mode`.
    """
    return bool(safe_mode) and not _state.unsafe_deserialization

"""Safe mode: the check that refuses files whose config names Python code.

A Keras file can hold a function written as `__lambda__`: Python bytecode, which is how
Keras saves a `Lambda(lambda x: ...)` layer. Keras 3 refuses to load it unless
`safe_mode=False` is passed, or `keras.config.enable_unsafe_deserialization()` was called
once for the whole process; then it runs that bytecode. teachkeras has the same switch,
with one difference worth knowing:

    teachkeras never runs code from a file, in either mode.

Turning safe mode off only lets the loader go past the check: a `Lambda` layer whose
function was a lambda is then rebuilt from the function you pass under the layer's name
(`custom_objects={"square_it": lambda x: x ** 2}`), or refused with a message saying so
(`layers/core/lambda_layer.py`); a class of your own passed as `custom_objects={"Lambda":
MyLambda}` builds instead. Either way the code that runs is yours, not the file's. A
`Lambda` of a named function (`def square`) is saved by name and needs no switch: it
loads from your `custom_objects`, as in Keras.
"""

from __future__ import annotations


class _SafeModeState:
    """Switched off for the whole process by `enable_unsafe_deserialization()`."""

    unsafe_deserialization = False


_state = _SafeModeState()


def enable_unsafe_deserialization() -> None:
    """Load configs that hold Python code (a `Lambda(lambda ...)` layer) without `safe_mode=False`.

    After this call every load behaves as if given `safe_mode=False` (as in Keras 3,
    the switch lasts until the process ends). teachkeras still never executes code
    stored in a file: a `__lambda__` function is never rebuilt from its bytecode. A
    `Lambda` layer holding one is built from the function you pass under the layer's
    name, or from a class of yours passed as `custom_objects={"Lambda": YourLayer}`;
    otherwise loading raises a `ValueError` that says so.

    Example:
        >>> keras.config.enable_unsafe_deserialization()
        >>> model = keras.models.load_model("with_lambda.keras", custom_objects={"square_it": lambda x: x ** 2})
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

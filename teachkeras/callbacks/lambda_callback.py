"""`LambdaCallback`: a callback made of plain functions, without writing a class.

    LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))

Each function replaces the hook of the same name, and is called with that hook's
arguments: `on_epoch_begin/on_epoch_end(epoch, logs)`, `on_train_begin/on_train_end(logs)`,
`on_train_batch_begin/on_train_batch_end(batch, logs)`. Any other hook of `Callback`
(`on_test_end=...`, Keras 2's `on_batch_end=...`) can be given by name too.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from .callback import Callback

_HOOK_NAMES = sorted(name for name in vars(Callback) if name.startswith("on_"))
# The hooks called without an epoch or batch number: only `logs`.
_LOGS_ONLY = {
    f"on_{verb}_{end}" for verb in ("train", "test", "predict") for end in ("begin", "end")
}


class LambdaCallback(Callback):
    """Callback for creating simple, custom callbacks on-the-fly.

    Args:
        on_epoch_begin, on_epoch_end: called as `f(epoch, logs)`.
        on_train_begin, on_train_end: called as `f(logs)`.
        on_train_batch_begin, on_train_batch_end: called as `f(batch, logs)`.
        **kwargs: any other hook of `Callback`, e.g. `on_test_end=f`.

    Example:
        >>> losses = []
        >>> record = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
        >>> model.fit(x, y, epochs=3, callbacks=[record], verbose=0)
        >>> len(losses)
        3
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs,
    ) -> None:
        super().__init__()
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
            **kwargs,
        }
        for name, function in hooks.items():
            if name not in _HOOK_NAMES:
                close = difflib.get_close_matches(name, _HOOK_NAMES, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise TypeError(
                    f"LambdaCallback got {name}=..., which is not a callback hook.{hint} "
                    f"Hooks are: {', '.join(_HOOK_NAMES)}."
                )
            if function is None:
                continue
            if not callable(function):
                raise TypeError(f"LambdaCallback({name}=...) must be a function; got {function!r}.")
            # An instance attribute hides the class's method of the same name.
            setattr(self, name, _positional(function, takes_index=name not in _LOGS_ONLY))


def _positional(function: Callable, takes_index: bool) -> Callable:
    """Call `function(epoch_or_batch, logs)` or `function(logs)`, however the hook was called
    (`fit` may call `on_train_begin()` with no logs at all: the function still gets None)."""
    if takes_index:

        def hook(index, logs=None):
            return function(index, logs)

    else:

        def hook(logs=None):
            return function(logs)

    hook.__wrapped__ = function
    return hook

"""`CallbackList`: calls one hook on every callback, in order."""

from __future__ import annotations

from .callback import Callback
from .history import History
from .progbar_logger import ProgbarLogger

_HOOKS = [
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end",
]  # fmt: skip


class CallbackList:
    """The user's callbacks, plus `History` and the progress bar when asked for.

    As in Keras, the progress bar comes after the user's callbacks (so it prints the
    logs they may have added) and `History` comes last.
    """

    def __init__(
        self,
        callbacks=None,
        add_history: bool = False,
        add_progbar: bool = False,
        model=None,
        **params,
    ) -> None:
        self.callbacks: list[Callback] = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"callbacks must be Callback instances; got {type(callback).__name__}. "
                    "Did you pass the class instead of an instance, e.g. EarlyStopping instead of EarlyStopping()?"
                )
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if add_history:
            history = History()
            self.callbacks.append(history)
            if model is not None:
                model.history = history
        self.params = params
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(dict(params))

    def __iter__(self):
        return iter(self.callbacks)


def _make_hook(name: str, indexed: bool):
    """A CallbackList method that calls `name` on every callback, always passing `logs`
    (positionally, as Keras does, so `def on_train_begin(self, logs):` works too)."""
    if indexed:

        def hook(self, index: int, logs=None):
            for callback in self.callbacks:
                getattr(callback, name)(index, logs if logs is not None else {})

    else:

        def hook(self, logs=None):
            for callback in self.callbacks:
                getattr(callback, name)(logs if logs is not None else {})

    hook.__name__ = name
    return hook


for _name in _HOOKS:
    setattr(CallbackList, _name, _make_hook(_name, indexed="batch" in _name or "epoch" in _name))

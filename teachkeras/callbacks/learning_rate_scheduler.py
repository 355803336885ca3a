"""`LearningRateScheduler`: set the learning rate from a function of the epoch.

At the start of each epoch:

    lr ← schedule(epoch, lr)      (or schedule(epoch), the Keras 2 form)

and at its end the rate goes into `logs['learning_rate']` (so History records it).
This changes the rate once per *epoch*; a `LearningRateSchedule` passed as
`learning_rate=` to the optimizer changes it every *step* instead.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..backend.tensor import Tensor, as_array
from .callback import Callback


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    Args:
        schedule: a function `schedule(epoch, lr) -> new_lr` (epoch counts from 0, lr is
            the current rate as a float), or `schedule(epoch) -> new_lr`. It must return a float.
        verbose: 1 prints the rate set at each epoch.

    Example:
        >>> def scheduler(epoch, lr):
        ...     return lr if epoch < 10 else lr * math.exp(-0.1)
        >>> model.fit(x, y, epochs=15, callbacks=[LearningRateScheduler(scheduler)])
    """

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                "LearningRateScheduler expects a function schedule(epoch, lr) -> new_lr. "
                f"Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = verbose

    def _call_schedule(self, epoch: int, learning_rate: float):
        """`schedule(epoch, lr)` if it takes two arguments, else `schedule(epoch)`."""
        try:
            params = inspect.signature(self.schedule).parameters.values()
        except (TypeError, ValueError):  # no signature (some builtins): try as Keras does
            try:
                return self.schedule(epoch, learning_rate)
            except TypeError:
                return self.schedule(epoch)
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        takes_lr = len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)
        return self.schedule(epoch, learning_rate) if takes_lr else self.schedule(epoch)

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        current = float(as_array(optimizer.learning_rate))
        learning_rate = self._call_schedule(epoch, current)
        # Keras insists on a float; a 0-d array or tensor (e.g. lr * ops.exp(-0.1)) is one too.
        if isinstance(learning_rate, Tensor | np.ndarray) and learning_rate.ndim == 0:
            learning_rate = float(as_array(learning_rate))
        if not isinstance(learning_rate, float | np.floating):
            raise ValueError(
                "The output of the `schedule` function should be a float. "
                f"Got: {learning_rate!r} ({type(learning_rate).__name__}); "
                "return e.g. 0.01, not 1 or None."
            )
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}."
            )

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if logs is not None:
            logs["learning_rate"] = float(as_array(self.model.optimizer.learning_rate))

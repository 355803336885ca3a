"""`ReduceLROnPlateau`: divide the learning rate when the monitored quantity stalls.

Near a minimum a large step overshoots; a smaller one settles in. At each epoch end:

    if in cooldown:  cooldown_counter ← cooldown_counter - 1, wait ← 0
    if current improves on best (by more than min_delta):  best ← current, wait ← 0
    elif not in cooldown:
        wait ← wait + 1
        if wait ≥ patience and lr > min_lr:
            lr ← max(lr · factor, min_lr),  cooldown_counter ← cooldown,  wait ← 0

Every epoch it also writes the current rate into `logs['learning_rate']`, so
`history.history['learning_rate']` shows the staircase (as Keras 3 does).
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import as_array
from ..legacy.renames import accepts_renamed
from .monitor_callback import MonitorCallback


@accepts_renamed({"epsilon": "min_delta"})  # Keras 2: ReduceLROnPlateau(epsilon=1e-4)
class ReduceLROnPlateau(MonitorCallback):
    """Reduce the learning rate when a metric has stopped improving.

    Args:
        monitor: the quantity to watch. Defaults to `"val_loss"`.
        factor: `new_lr = lr * factor`; must be < 1. Defaults to 0.1.
        patience: epochs without improvement before the rate is reduced. Defaults to 10.
        verbose: 1 prints a message each time the rate is reduced.
        mode: `"min"`, `"max"` or `"auto"` (direction from the metric's name).
        min_delta: a change smaller than this is no improvement. Defaults to 1e-4.
        cooldown: epochs to wait after a reduction before counting again. Defaults to 0.
        min_lr: the rate is never reduced below this. Defaults to 0.

    Keras 2's `epsilon=` (the old name of `min_delta`) is accepted and warns once.

    Example:
        >>> reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
        >>> model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs,
    ) -> None:
        if kwargs:
            raise TypeError(
                f"ReduceLROnPlateau() got unexpected arguments {sorted(kwargs)}. Valid arguments: "
                "monitor, factor, patience, verbose, mode, min_delta, cooldown, min_lr."
            )
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau does not support a factor >= 1.0. "
                f"Received factor={factor} (use e.g. factor=0.5 to halve the learning rate)."
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0
        self._warned_missing = False

    def on_train_begin(self, logs=None) -> None:
        self._reset()

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(as_array(optimizer.learning_rate))
        current = logs.get(self.monitor)
        if current is None:
            self._warn_missing_monitor(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}.",
                logs,
            )
            return

        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_lr(optimizer, epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce_lr(self, optimizer, epoch: int) -> bool:
        """lr ← max(lr · factor, min_lr), unless lr is already at min_lr (then False)."""
        old_lr = float(as_array(optimizer.learning_rate))
        # The rate lives in a float32 variable, so min_lr is compared as a float32 too.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        return True

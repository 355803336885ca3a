"""`EarlyStopping`: stop training when the monitored quantity stops improving.

The lesson it teaches: training loss keeps falling while validation loss turns up
(overfitting); the best model is the one from the epoch where validation loss was lowest.

At the end of each epoch (from `start_from_epoch` on):

    wait ← wait + 1
    if current improves on best (by more than min_delta):
        best ← current, best_epoch ← epoch, remember the weights (restore_best_weights)
        wait ← 0   (only if current also beats `baseline`, when one is given)
    elif wait ≥ patience and epoch > 0:
        stop: model.stop_training ← True, stopped_epoch ← epoch

With `restore_best_weights=True`, the weights of the best epoch are put back when
training ends — as in Keras 3, also when training ran to the last epoch without stopping.
"""

from __future__ import annotations

import numpy as np

from .monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stop training when a monitored metric has stopped improving.

    Args:
        monitor: the quantity to watch. Defaults to `"val_loss"` (needs validation data).
        min_delta: an absolute change smaller than this is no improvement. Defaults to 0.
        patience: how many epochs without improvement to wait before stopping. Defaults to 0.
        verbose: 1 prints a message when the callback stops training or restores weights.
        mode: `"min"`, `"max"` or `"auto"` (direction from the metric's name).
        baseline: if set, training stops unless the quantity beats it within `patience` epochs.
        restore_best_weights: put back the weights of the best epoch at the end of training.
            The best epoch is restored even if it did not beat `baseline`.
        start_from_epoch: epochs of warm-up during which nothing is watched.

    Attributes (after `fit`): `stopped_epoch` (0 if training was not stopped),
    `best_epoch`, `best` (the best value), `wait`, `best_weights`.

    Example:
        >>> callback = EarlyStopping(monitor="loss", patience=3)
        >>> history = model.fit(x, y, epochs=100, callbacks=[callback], verbose=0)
        >>> len(history.history["loss"])  # fewer than 100 epochs were run
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights: list[np.ndarray] | None = None
        self.start_from_epoch = start_from_epoch
        self.best_epoch = 0

    def on_train_begin(self, logs=None) -> None:
        # Start afresh, so one instance can be used for several fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self._warned_missing = False

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()  # here, not in __init__: the metrics exist only now
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # The first watched epoch is the best so far, whatever its value.
            self.best_weights = self._copy_weights()
            self.best_epoch = epoch

        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self._copy_weights()
            # Patience restarts only when the value beats both the best and the baseline.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return

        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs) -> float | None:
        """`logs[monitor]`, or None (with one warning per fit naming the keys there are)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            self._warn_missing_monitor(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs)}",
                logs,
            )
        return value

    def _copy_weights(self) -> list[np.ndarray]:
        # Copies: the optimizer updates the weights in place after this epoch.
        return [np.array(w, copy=True) for w in self.model.get_weights()]

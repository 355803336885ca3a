"""`ModelCheckpoint`: save the model (or its weights) while it trains.

A long training run should leave files behind, so that a crash, a bad epoch or an
overfitted ending costs nothing: the best model is on disk. When to save:

    save_freq='epoch'   at the end of every epoch
    save_freq=N         after every N training batches (counted across epochs)

and, with `save_best_only=True`, only when the monitored quantity improved:

    mode 'min':  current < best      (val_loss)
    mode 'max':  current > best      (val_accuracy)

The file name may hold placeholders filled from the epoch (counted from 1, as the
progress bar does) and the logs: `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"` becomes
`ckpt-03-0.41.keras`. As in Keras 3 the extension says what is saved: `.keras` (or
`.h5`) for the whole model, `.weights.h5` for the weights alone (optimizer included).
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from .monitor_callback import MonitorCallback
from .save_frequency import SaveFrequencyMixin


class ModelCheckpoint(SaveFrequencyMixin, MonitorCallback):
    """Save the model or its weights at the end of epochs (or every N batches).

    Args:
        filepath: where to save; may contain `{epoch}`, `{batch}` and any key of the logs,
            with format specs, e.g. `"weights-{epoch:02d}-{val_loss:.2f}.weights.h5"`.
            Must end in `.keras` (or `.h5`) for a full model, `.weights.h5` with
            `save_weights_only=True`.
        monitor: the logs key compared when `save_best_only=True`. Defaults to `"val_loss"`.
        verbose: 1 prints a line each time the callback saves (or decides not to).
        save_best_only: save only when `monitor` beats the best value seen so far. With
            a fixed `filepath` (no placeholders) the file always holds the best model.
        save_weights_only: `model.save_weights(filepath)` instead of `model.save(filepath)`.
        mode: `"min"`, `"max"` or `"auto"` (direction from the metric's name).
        save_freq: `"epoch"`, or an integer: save after this many training batches.
        initial_value_threshold: the first "best" value: nothing is saved until the
            monitored quantity beats it (with `save_best_only=True`).

    Example:
        >>> checkpoint = ModelCheckpoint("best.keras", monitor="val_accuracy", save_best_only=True)
        >>> model.fit(x, y, validation_split=0.2, epochs=20, callbacks=[checkpoint])
        >>> best = keras.models.load_model("best.keras")
    """

    def __init__(
        self,
        filepath,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq="epoch",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor, mode, baseline=initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen: int | None = None
        self._current_epoch = 0

        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. "
                "Expected save_freq are 'epoch' or integer values"
            )
        # The same checks, and the same words, as Keras 3: the extension is the format.
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format). Received: "
                f"filepath={self.filepath}"
            )

    # --- the hooks ------------------------------------------------------------------------
    def on_train_begin(self, logs=None) -> None:
        # `best` is kept across fit() calls, as in Keras; only the missing-key warning resets.
        self._warned_missing = False

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        if self._should_save_on_batch(batch):  # every `save_freq` batches (save_frequency.py)
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()  # here, not in __init__: the metrics exist only now
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    # --- when to save ---------------------------------------------------------------------
    def _should_save_model(self, epoch: int, logs: dict, filepath: str) -> bool:
        """Always, unless `save_best_only` and the monitored value did not improve."""
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            # Nothing to compare with: save anyway, as Keras does (and say which keys exist).
            self._warn_missing_monitor(
                f"Can save best model only with {self.monitor} available. "
                f"Available metrics are: {','.join(logs)}",
                logs,
            )
            return True
        if isinstance(current, np.ndarray) and current.ndim > 0:
            warnings.warn(
                "Can save best model only when `monitor` is a scalar value. "
                f"Received: {current}. Falling back to `save_best_only=False`.",
                stacklevel=4,
            )
            return True
        if self.monitor_op is None:
            # Saving every N batches can ask before the first epoch ended (Keras 3 crashes here).
            self._set_monitor_op()
        best_text = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_text} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_text}")
        return False

    # --- saving ---------------------------------------------------------------------------
    def _save_model(self, epoch: int, batch: int | None, logs) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. "
                f"Filepath used is an existing directory: {filepath}"
            )
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch: int, batch: int | None, logs: dict) -> str:
        """`filepath` with its placeholders filled: epoch and batch count from 1."""
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". '
                f"Reason: {error}. The placeholders can be epoch, batch (with an integer "
                f"save_freq) and the logs keys: {sorted(logs)}."
            ) from None

"""`BackupAndRestore`: an interrupted `fit` picks up where it stopped.

A run killed half-way (a crash, a closed laptop, a Colab time-out) need not start
again from epoch 1. At the end of each epoch (or every N batches) this callback
writes the training state into `backup_dir`:

    latest.weights.h5         the weights and the optimizer state (Adam's moments, step count)
    training_metadata.json    {"epoch": epochs completed, "batch": last batch seen}

When `fit` starts and a backup exists, the weights and optimizer state are loaded
back and training resumes at the first epoch not completed. When `fit` ends
normally the backup is deleted (`delete_checkpoint=True`), so the next `fit` starts
from scratch. Call `fit` again with the same arguments (and the same callback) after
an interruption: a resumed run ends with the numbers an uninterrupted one would have.
"""

from __future__ import annotations

import json
import os
import shutil

from ..saving.errors import ModelFileError
from .callback import Callback
from .save_frequency import SaveFrequencyMixin


class BackupAndRestore(SaveFrequencyMixin, Callback):
    """Back up the training state in `backup_dir`, and restore it when `fit` restarts.

    Args:
        backup_dir: a folder for this run's backup only (not shared with another
            callback or another run).
        save_freq: `"epoch"` (back up at the end of each epoch) or an integer (every
            that many training batches).
        double_checkpoint: also keep the previous backup (`*.bkp`); if the latest one
            cannot be read (a file cut off by the crash), the previous one is used.
        delete_checkpoint: delete the backup when training ends normally.

    Example:
        >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
        >>> model.fit(x, y, epochs=10, callbacks=[backup])   # interrupted at epoch 4...
        >>> model.fit(x, y, epochs=10, callbacks=[backup])   # ...runs epochs 5 to 10 only
    """

    def __init__(
        self,
        backup_dir,
        save_freq="epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0  # epochs completed
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"

    # --- restoring ------------------------------------------------------------------------
    def on_train_begin(self, logs=None) -> None:
        try:
            self._load_model()
        except (OSError, ModelFileError):
            # The latest backup is damaged (the crash cut it off): fall back to the one before.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(self._prev_training_metadata_path, self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_model()

    def _load_model(self) -> None:
        """Weights and optimizer state back from the backup; fit resumes at the saved epoch."""
        if not self.model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model {self.model.name!r} is unbuilt. You can build it beforehand by "
                "calling it on a batch of data (or start it with Input(shape=...))."
            )
        if os.path.exists(self._weights_path):
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                # The slots (Adam's moments) must exist before their saved values can go in.
                optimizer.build(self.model.trainable_variables)
            self.model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path, encoding="utf-8") as f:
                metadata = json.load(f)
            # fit() reads this right after on_train_begin: `range(_initial_epoch, epochs)`.
            self.model._initial_epoch = metadata["epoch"]

    # --- backing up -----------------------------------------------------------------------
    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        if self._should_save_on_batch(batch):  # every `save_freq` batches (save_frequency.py)
            self._save_model()

    def _save_model(self) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            shutil.copyfile(self._weights_path, self._prev_weights_path)
        if self.double_checkpoint and os.path.exists(self._training_metadata_path):
            shutil.copyfile(self._training_metadata_path, self._prev_training_metadata_path)
        # save_weights writes beside the file and renames, so a crash here keeps the old backup.
        self.model.save_weights(self._weights_path, overwrite=True)
        with open(self._training_metadata_path, "w", encoding="utf-8") as f:
            json.dump({"epoch": self._current_epoch, "batch": self._last_batch_seen}, f)

    def on_train_end(self, logs=None) -> None:
        # Training finished normally: the next fit() starts from its own initial_epoch.
        # (Keras 3 leaves model._initial_epoch set, so a later fit() without this callback
        # would silently skip epochs; clearing it changes nothing else.)
        self.model._initial_epoch = None
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)

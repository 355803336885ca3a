"""`save_freq`, as ModelCheckpoint and BackupAndRestore read it: when to save.

    save_freq='epoch'   at the end of every epoch
    save_freq=N         after every N training batches, counted across epochs

`on_train_batch_end(batch)` is told the index of the batch within its epoch, which
starts again at 0 every epoch; counting across epochs means adding up what was seen
since the last call, which is all this mixin does.
"""

from __future__ import annotations


class SaveFrequencyMixin:
    """`_should_save_on_batch(batch)` for a callback with `save_freq` (mixed in).

    The callback sets `save_freq`, `_last_batch_seen` (the last batch index, or None
    before the first) and `_batches_seen_since_last_saving` (0) in its `__init__`.
    """

    save_freq: str | int
    _last_batch_seen: int | None
    _batches_seen_since_last_saving: int

    def _should_save_on_batch(self, batch: int) -> bool:
        """Count batches across epochs; True every `save_freq` of them."""
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch: batch indices restarted at 0
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

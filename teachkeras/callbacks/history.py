"""`History`: what `fit` returns, the per-epoch record of every log value."""

from __future__ import annotations

from .callback import Callback


class History(Callback):
    """Records `logs` at the end of each epoch.

    Attributes:
        history: `{'loss': [...], 'accuracy': [...], 'val_loss': [...], ...}`, one value per epoch.
        epoch: the epoch indices that were run.
        params: `{'verbose': ..., 'epochs': ..., 'steps': ...}`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self

    def plot(self, metrics=None, **kwargs):
        """Draw the curves (see `teachkeras.viz.plot_history`); returns the Figure."""
        from ..viz.history import plot_history

        return plot_history(self, metrics=metrics, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(self.history)
        return f"<History epochs={len(self.epoch)} keys=[{keys}]>"

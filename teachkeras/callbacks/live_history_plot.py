"""`LiveHistoryPlot`: watch the training curves grow while `fit` runs.

In a notebook (Jupyter, JupyterLab, VS Code, Colab) the figure of
`teachkeras.viz.plot_history` is shown once and then redrawn in place at the end of
every epoch, through an IPython display handle:

    handle = display(figure, display_id=True)     # first epoch: a new output area
    handle.update(figure)                          # later epochs: the same area, redrawn

so the cell's output holds one figure, not one per epoch. In a terminal, where no
figure can be shown, it prints a plain table instead, one row per epoch:

    epoch      loss  val_loss
        1    0.6931    0.6902  <- best
        2    0.6410    0.6950

The best epoch so far (lowest `val_loss`, or highest accuracy when that is the
monitored quantity) is marked in both: a circle on the curve, an arrow in the table.
"""

from __future__ import annotations

import math
import numbers

from ..utils.notebook import in_notebook
from ..viz.history import lower_is_better, plot_history
from .callback import Callback


class LiveHistoryPlot(Callback):
    """Redraw the loss and metric curves each epoch (notebook), or print a table (terminal).

    Args:
        metrics: the quantities to draw (default: loss and every metric logged).
        monitor: the quantity whose best epoch is marked (default `val_loss` when there
            is validation data, else `loss`).
        notebook: True to draw, False to print the table; None decides from where the
            code runs.
        every: redraw every that many epochs (the last epoch is always drawn).

    Attributes:
        history: `{'loss': [...], 'val_loss': [...], ...}` for the epochs seen so far.
        epochs: their indices (from 0, as Keras counts).
        best_epoch: the index of the best epoch so far (None before the first).

    Example:
        >>> model.fit(x, y, validation_split=0.2, epochs=30, verbose=0,
        ...           callbacks=[LiveHistoryPlot()])
    """

    def __init__(
        self, metrics=None, monitor: str | None = None, notebook: bool | None = None, every: int = 1
    ) -> None:
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"LiveHistoryPlot: every must be a positive integer; got {every!r}.")
        self.metrics = metrics
        self.monitor = monitor
        self.notebook = notebook
        self.every = every
        self._reset()

    def _reset(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.best_epoch: int | None = None
        self._best_value: float | None = None
        self._handle = None  # the notebook output area, made at the first draw
        self._columns: list[str] = []
        self._drawn_epochs = 0

    # --- the hooks ------------------------------------------------------------------------
    def on_train_begin(self, logs=None) -> None:
        self._reset()  # a new fit() gets a fresh figure, in its own cell's output
        if self.notebook is None:
            self.notebook = in_notebook()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        logs = dict(logs or {})
        seen = len(self.epochs)
        self.epochs.append(epoch)
        for key, value in logs.items():
            # keys that appear late (validation every other epoch) are padded with NaN: a gap
            self.history.setdefault(key, [math.nan] * seen).append(value)
        for key, values in self.history.items():
            if key not in logs:
                values.append(math.nan)
        improved = self._update_best(epoch, logs)
        if self.notebook:
            if len(self.epochs) % self.every == 0:
                self._draw()
        else:
            self._print_row(epoch, logs, improved)

    def on_train_end(self, logs=None) -> None:
        if not self.epochs:
            return
        stopped = self.epochs[-1] if getattr(self.model, "stop_training", False) else None
        if self.notebook:
            if stopped is not None or self._drawn_epochs != len(self.epochs):
                self._draw(stopped_epoch=stopped)  # mark where early stopping ended it
        elif self.best_epoch is not None:
            print(
                f"Best epoch: {self.best_epoch + 1} "
                f"({self._monitor_name()} = {_format(self._best_value)})"
            )

    # --- the best epoch -------------------------------------------------------------------
    def _monitor_name(self) -> str:
        if self.monitor is not None:
            return self.monitor
        return "val_loss" if "val_loss" in self.history else "loss"

    def _update_best(self, epoch: int, logs: dict) -> bool:
        name = self._monitor_name()
        value = logs.get(name)
        if not isinstance(value, numbers.Real) or math.isnan(value):
            return False
        if self._best_value is None or (
            value < self._best_value if lower_is_better(name) else value > self._best_value
        ):
            self._best_value, self.best_epoch = float(value), epoch
            return True
        return False

    # --- notebook: one figure, redrawn in place -------------------------------------------
    def _draw(self, stopped_epoch: int | None = None) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        numeric = {k: v for k, v in self.history.items() if _is_numeric_series(v)}
        figure = plot_history(
            numeric, metrics=self.metrics, stopped_epoch=stopped_epoch, epochs=self.epochs
        )
        if self._handle is None:
            self._handle = display(figure, display_id=True)
        else:
            self._handle.update(figure)
        # The handle holds the picture now; closing the figure stops the notebook from
        # showing it a second time when the cell ends (and frees its memory).
        plt.close(figure)
        self._drawn_epochs = len(self.epochs)

    # --- terminal: a plain table ----------------------------------------------------------
    def _print_row(self, epoch: int, logs: dict, improved: bool) -> None:
        columns = _ordered_columns(list(self.history))
        if columns != self._columns:  # first epoch, or new keys appeared: (re)print the header
            self._columns = columns
            print("epoch" + "".join(f"  {name:>{_width(name)}}" for name in columns))
        cells = "".join(f"  {_format(logs.get(name)):>{_width(name)}}" for name in columns)
        print(f"{epoch + 1:>5}{cells}" + ("  <- best" if improved else ""))


def _ordered_columns(keys: list[str]) -> list[str]:
    """Each quantity next to its validation twin: loss, val_loss, accuracy, val_accuracy."""
    columns = []
    for key in keys:
        if key.startswith("val_") and key[4:] in keys:
            continue
        columns.append(key)
        if f"val_{key}" in keys:
            columns.append(f"val_{key}")
    return columns


def _width(name: str) -> int:
    return max(len(name), 9)


def _format(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, numbers.Real):
        return f"{float(value):.4f}"
    return str(value)


def _is_numeric_series(values) -> bool:
    return all(isinstance(v, numbers.Real) for v in values)

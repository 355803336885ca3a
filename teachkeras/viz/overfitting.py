"""Overfitting on one figure: training curves (dashed) and validation curves (solid).

For each model (a size, a dropout rate, an L2 strength) one colour: the dashed line
is the loss on the data it learns from, the solid line the loss on data it never
saw. Where the solid line turns up while the dashed one keeps falling, the model has
started to memorise; a bigger model turns up sooner, regularisation later.
"""

from __future__ import annotations

import numpy as np

from .fonts import auto_korean_font
from .history import _history_dict, best_epoch


def plot_overfitting(
    histories: dict, metric: str = "loss", title: str | None = None, mark_best: bool = True, ax=None
):
    """Train (dashed) and validation (solid) curves of several runs on one axis; returns the Figure.

    Args:
        histories: `{label: History}` (or `{label: history.history}`), one per model.
        metric: which quantity to draw (`'loss'`, `'accuracy'`, ...).
        mark_best: mark each run's best validation epoch with a dot.

    A run without validation data draws only its dashed training curve. NaNs (a
    diverged epoch) leave gaps.

    Example:
        >>> plot_overfitting({"16 units": small.fit(...), "512 units": big.fit(...)})
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    if not isinstance(histories, dict) or not histories:
        raise TypeError(
            "plot_overfitting expects a dict {label: History}, e.g. "
            "{'small': history_small, 'big': history_big}."
        )
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    fig = ax.figure
    for label, history in histories.items():
        data = _history_dict(history)
        if metric not in data:
            raise ValueError(
                f"The history of {label!r} has no {metric!r}; it has {sorted(data)}. "
                "(Metric names are the ones given to compile(metrics=...).)"
            )
        train = np.asarray(data[metric], dtype=float)
        epochs = np.arange(1, len(train) + 1)
        (line,) = ax.plot(epochs, train, linestyle="--", alpha=0.8, label=f"{label} (train)")
        validation = data.get(f"val_{metric}")
        if validation is None:
            continue
        validation = np.asarray(validation, dtype=float)
        val_epochs = np.arange(1, len(validation) + 1)
        ax.plot(val_epochs, validation, color=line.get_color(), label=f"{label} (validation)")
        best = best_epoch(validation, metric)
        if mark_best and best is not None:
            ax.plot(val_epochs[best], validation[best], "o", color=line.get_color(), markersize=7)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric}: train (dashed) vs validation (solid)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig

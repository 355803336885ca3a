"""`plot_history`: the training curves every tutorial draws, drawn once, properly.

One panel per quantity (loss, then each metric), training and validation side by
side, the best validation epoch marked, and the epoch where training stopped marked
when it ended early. A NaN (a diverged epoch) leaves a gap instead of failing.
"""

from __future__ import annotations

import numpy as np

# For these, lower is better; for everything else (accuracy, auc, ...) higher is.
_LOWER_IS_BETTER = (
    "loss",
    "error",
    "mse",
    "mae",
    "mape",
    "msle",
    "crossentropy",
    "hinge",
    "poisson",
    "divergence",
)


def _history_dict(history) -> dict[str, list[float]]:
    """Accept a `History`, its `.history` dict, or any mapping of lists."""
    data = getattr(history, "history", history)
    if not isinstance(data, dict):
        raise TypeError(
            f"plot_history expects the History returned by fit() (or its .history dict); got {type(history).__name__}."
        )
    return data


def lower_is_better(name: str) -> bool:
    return any(word in name for word in _LOWER_IS_BETTER)


def best_epoch(values, name: str) -> int | None:
    """Index of the best finite value (minimum for losses, maximum for accuracies)."""
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).any():
        return None
    return int(np.nanargmin(array) if lower_is_better(name) else np.nanargmax(array))


def plot_history(
    history, metrics=None, stopped_epoch: int | None = None, epochs=None, title: str | None = None
):
    """Draw training and validation curves; returns the matplotlib Figure.

    Args:
        history: the `History` from `model.fit(...)`, or its `.history` dict.
        metrics: names to draw (default: `loss` then every metric that was logged).
        stopped_epoch: mark where early stopping ended training (EarlyStopping's
            `stopped_epoch`, counted from 0 as Keras does).
        epochs: x values (default: `history.epoch`, else 0, 1, 2, ...).

    Example:
        >>> history = model.fit(x, y, validation_split=0.2, epochs=20)
        >>> plot_history(history)
    """
    import matplotlib.pyplot as plt

    from .fonts import auto_korean_font

    auto_korean_font()  # Korean labels render, as in every viz plot
    data = _history_dict(history)
    names = [k for k in data if not k.startswith("val_")]
    names.sort(key=lambda k: (k != "loss", list(data).index(k)))
    if metrics is not None:
        wanted = [metrics] if isinstance(metrics, str) else list(metrics)
        missing = [m for m in wanted if m not in data]
        if missing:
            raise ValueError(
                f"The history has no {missing}; it has {sorted(data)}. "
                "(Metric names are the ones given to compile(metrics=...).)"
            )
        names = [m for m in wanted if not m.startswith("val_")] or wanted
    if not names:
        raise ValueError("The history is empty: was fit() run for at least one epoch?")
    x = np.asarray(
        epochs
        if epochs is not None
        else getattr(history, "epoch", None) or range(len(data[names[0]]))
    )
    x = x + 1  # epochs are counted from 1 in the progress bar: keep the plot the same

    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.4), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        _plot_one(ax, x, name, data)
        if stopped_epoch is not None:
            ax.axvline(
                stopped_epoch + 1,
                color="gray",
                linestyle=":",
                label=f"stopped (epoch {stopped_epoch + 1})",
            )
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _plot_one(ax, x, name: str, data: dict) -> None:
    train = np.asarray(data[name], dtype=float)
    ax.plot(x[: len(train)], train, marker=".", label=f"train {name}")
    validation = data.get(f"val_{name}")
    curve, label = train, name
    if validation is not None:
        validation = np.asarray(validation, dtype=float)
        ax.plot(x[-len(validation) :], validation, marker=".", label=f"validation {name}")
        curve, label = validation, f"val_{name}"
    best = best_epoch(curve, name)
    if best is not None:
        xs = x[-len(curve) :]
        ax.plot(xs[best], curve[best], "o", markersize=10, markerfacecolor="none", color="red",
                label=f"best {label} (epoch {xs[best]})")  # fmt: skip
    ax.set_xlabel("epoch")
    ax.set_ylabel(name)
    ax.set_title(name)
    ax.grid(alpha=0.3)

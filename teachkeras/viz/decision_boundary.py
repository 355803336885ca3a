"""Decision boundaries: what a classifier says at every point of a 2-D plane.

The model is asked about every point of a fine grid covering the data; colouring
the plane by its answer shows the boundary it has learned — a straight line for
logistic regression, a curve for a small MLP, a wiggly coastline around single
points when it overfits.
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from ..backend.tensor import as_array, no_grad
from .fonts import auto_korean_font


def class_labels(y) -> np.ndarray:
    """Class indices from labels given as indices (n,), a column (n, 1) or one-hot (n, k)."""
    y = np.asarray(as_array(y))
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    return np.rint(y.reshape(len(y))).astype(int)


def predict_grid(model, x, resolution: int = 200, margin: float = 0.5):
    """`(X, Y, outputs)`: the model's outputs on a grid covering `x` (+ `margin` around it).

    `outputs` has shape (resolution, resolution, units).
    """
    x = np.asarray(as_array(x), dtype=config.floatx())
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(
            f"A decision boundary can be drawn for 2-D inputs only: x must have shape (samples, 2). "
            f"Received: x.shape={x.shape}. (For more features, plot two of them or project first.)"
        )
    lows = np.nanmin(x, axis=0) - margin
    highs = np.nanmax(x, axis=0) + margin
    X, Y = np.meshgrid(
        np.linspace(lows[0], highs[0], resolution), np.linspace(lows[1], highs[1], resolution)
    )
    points = np.stack([X.ravel(), Y.ravel()], axis=1).astype(config.floatx())  # (resolution², 2)
    if hasattr(model, "predict"):
        outputs = model.predict(points, batch_size=8192, verbose=0)
    else:
        with no_grad():
            outputs = as_array(model(points))
    outputs = np.asarray(outputs, dtype=float).reshape(resolution, resolution, -1)
    return X, Y, outputs


def plot_decision_boundary(
    model, x, y, resolution: int = 200, ax=None, title: str | None = None, margin: float = 0.5
):
    """The plane coloured by the model's prediction, with the data on top; returns the Figure.

    One output unit (binary, sigmoid): the colour is the probability of class 1 and the
    black line is where it equals 0.5 (outputs outside [0, 1] are taken as logits and
    passed through a sigmoid first). Several units (softmax): each region has the colour
    of its predicted class.

    Example:
        >>> model.fit(x, y, epochs=200, verbose=0)
        >>> plot_decision_boundary(model, x, y)
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    X, Y, outputs = predict_grid(model, x, resolution, margin)
    labels = class_labels(y)
    x = np.asarray(as_array(x))
    if len(labels) != len(x):
        raise ValueError(f"x has {len(x)} samples but y has {len(labels)} labels.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 4.4), layout="constrained")
    fig = ax.figure
    if outputs.shape[-1] == 1:
        p = outputs[..., 0]
        if np.nanmin(p) < 0 or np.nanmax(p) > 1:  # logits, not probabilities
            p = 1.0 / (1.0 + np.exp(-p))
        filled = ax.contourf(X, Y, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        if np.nanmin(p) < 0.5 < np.nanmax(p):
            ax.contour(X, Y, p, levels=[0.5], colors="black", linewidths=1.5)
        fig.colorbar(filled, ax=ax, label="P(class 1)")
        cmap, n_classes = "RdBu_r", 2
    else:
        n_classes = outputs.shape[-1]
        predicted = np.argmax(outputs, axis=-1).astype(float)
        predicted[np.isnan(outputs).any(axis=-1)] = np.nan  # NaN outputs: leave the spot blank
        cmap = "tab10" if n_classes <= 10 else "tab20"
        ax.contourf(
            X,
            Y,
            predicted,
            levels=np.arange(n_classes + 1) - 0.5,
            cmap=cmap,
            alpha=0.35,
            vmin=-0.5,
            vmax=(10 if n_classes <= 10 else 20) - 0.5,
        )
        ax.contour(
            X, Y, predicted, levels=np.arange(n_classes) + 0.5, colors="black", linewidths=0.8
        )
    vmax = 1 if n_classes == 2 and cmap == "RdBu_r" else (10 if n_classes <= 10 else 20) - 1
    ax.scatter(
        x[:, 0],
        x[:, 1],
        c=labels,
        cmap=cmap,
        vmin=0,
        vmax=vmax,
        edgecolors="black",
        linewidths=0.5,
        s=18,
    )
    ax.set_xlim(X.min(), X.max())
    ax.set_ylim(Y.min(), Y.max())
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(title or "decision boundary")
    return fig

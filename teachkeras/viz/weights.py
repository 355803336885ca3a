"""Weight histograms: how the values inside each layer are spread.

Right after `compile` they show the initializer (glorot's uniform box, he's wider
bell); after training, which layers moved, and whether L2 pulled the weights towards
zero. Biases start at exactly 0, so their first histogram is a single bar.
"""

from __future__ import annotations

import math

import numpy as np

from ..backend.tensor import as_array
from .fonts import auto_korean_font


def plot_weight_histograms(model, bins: int = 30, include_bias: bool = True):
    """One histogram per weight (kernel, bias, ...) of every layer; returns the Figure.

    Example:
        >>> plot_weight_histograms(model)        # before and after fit, to compare
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    weights = [w for w in model.weights if include_bias or not _is_bias(w)]
    if not weights:
        raise ValueError(
            f"Model {model.name!r} has no weights yet: build it first (give it an Input, "
            "or call it on data)."
        )
    cols = min(len(weights), 4)
    rows = math.ceil(len(weights) / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.2 * cols, 2.5 * rows), squeeze=False, layout="constrained"
    )
    axes = axes.ravel()
    for ax, weight in zip(axes, weights, strict=False):
        values = np.asarray(as_array(weight), dtype=float).ravel()
        finite = values[np.isfinite(values)]  # a NaN weight is counted in the title, not binned
        ax.hist(finite, bins=bins, color="tab:blue", alpha=0.8)
        nan_note = f", {values.size - finite.size} not finite" if finite.size < values.size else ""
        std = finite.std() if finite.size else float("nan")
        ax.set_title(f"{_name(weight)}\n{tuple(weight.shape)}, std={std:.3g}{nan_note}", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[len(weights) :]:
        ax.set_visible(False)
    return fig


def _name(weight) -> str:
    return getattr(weight, "path", None) or weight.name


def _is_bias(weight) -> bool:
    return _name(weight).rsplit("/", 1)[-1].startswith("bias")

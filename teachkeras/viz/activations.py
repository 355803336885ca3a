"""Activation functions and their derivatives, side by side.

The right-hand panel is what decides how well a deep network trains: backpropagation
multiplies one derivative per layer, so a derivative that is at most 1/4 (sigmoid)
shrinks the gradient layer after layer, while ReLU's is exactly 1 where it is active.

The derivative is not written by hand here: it comes from teachkeras's own autodiff.
For an elementwise f, y_i = f(x_i) depends on x_i only, so

    d/dx_i Σ_j f(x_j) = f'(x_i)

and one backward pass of `sum(f(x))` gives f' at every point of the grid at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable

import numpy as np

from .. import activations, ops
from ..backend import config
from ..backend.tensor import GradientTape, Tensor, as_array
from .fonts import auto_korean_font

# Functions of a whole vector, not of each number: `plot_softmax` draws those.
_NOT_ELEMENTWISE = ("softmax", "log_softmax", "glu", "sparsemax")


def resolve_activation(name_or_fn, **kwargs) -> tuple[Callable, str]:
    """The activation as a one-argument function, and a label for the legend.

    `alpha` means the activation's shape parameter: `negative_slope` for (leaky) ReLU,
    `alpha` for ELU and CELU. An unknown name raises the registry's error, which lists
    the valid names.
    """
    if isinstance(name_or_fn, str) and name_or_fn in _NOT_ELEMENTWISE:
        raise ValueError(
            f"{name_or_fn!r} is a function of a whole vector, not of each number, so it has no "
            "curve f(x) to draw. Use plot_softmax(vector) to see what it does to a vector."
        )
    fn = activations.get(
        name_or_fn
    )  # unknown names: "Unknown activation function ... Did you mean"
    name = name_or_fn if isinstance(name_or_fn, str) else getattr(fn, "__name__", type(fn).__name__)
    if "alpha" in kwargs and not _accepts(fn, "alpha") and _accepts(fn, "negative_slope"):
        kwargs["negative_slope"] = kwargs.pop("alpha")  # leaky_relu's α is called negative_slope
    label = name + (f"({', '.join(f'{k}={v}' for k, v in kwargs.items())})" if kwargs else "")
    return (lambda x: fn(x, **kwargs)), label


def _accepts(fn: Callable, argument: str) -> bool:
    try:
        return argument in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # a builtin or C function: no signature to read
        return False


def activation_curve(
    name_or_fn, x_range: tuple[float, float] = (-5.0, 5.0), num: int = 401, **kwargs
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`(x, f(x), f'(x))` on `num` evenly spaced points of `x_range`.

    Formula: f'(x_i) = ∂/∂x_i Σ_j f(x_j), one backward pass (exact for elementwise f).
    """
    lo, hi = _check_range(x_range)
    fn, _ = resolve_activation(name_or_fn, **kwargs)
    x = ops.convert_to_tensor(np.linspace(lo, hi, num), dtype=config.floatx())
    # Outside its domain (sqrt of a negative) f gives NaN: the plot shows a gap, no warning.
    with GradientTape() as tape, np.errstate(invalid="ignore", divide="ignore"):
        tape.watch(x)
        y = fn(x)
        if not isinstance(y, Tensor):
            raise TypeError(
                f"The activation returned {type(y).__name__}, not a teachkeras Tensor, so its "
                "derivative cannot be computed. Write it with teachkeras ops "
                "(from teachkeras import ops; ops.exp, ops.maximum, ...)."
            )
        total = ops.sum(y)
    with np.errstate(invalid="ignore", divide="ignore"):
        dydx = tape.gradient(total, x)
    if dydx is None:  # f does not depend on x at all (a constant): its slope is 0
        dydx = np.zeros_like(x.data)
    return x.numpy(), y.numpy(), np.asarray(dydx)


def _check_range(x_range) -> tuple[float, float]:
    lo, hi = (float(v) for v in x_range)
    if not lo < hi:
        raise ValueError(
            f"x_range must be (low, high) with low < high. Received: x_range={tuple(x_range)}"
        )
    return lo, hi


def plot_activation(name_or_fn, x_range: tuple[float, float] = (-5.0, 5.0), **kwargs):
    """Draw an activation (left) and its derivative (right); returns the Figure.

    Args:
        name_or_fn: a name (`'relu'`, `'leaky_relu'`, `'gelu'`, ...) or a function
            written with backend ops.
        x_range: the interval of x to draw.
        **kwargs: the activation's own arguments (`negative_slope=0.1`, or `alpha=0.1`
            for the same thing; `alpha=` for elu; `approximate=True` for gelu).

    Example:
        >>> plot_activation("leaky_relu", alpha=0.1)
    """
    return plot_activations([name_or_fn], x_range=x_range, **kwargs)


def plot_activations(names: Iterable | dict, x_range: tuple[float, float] = (-5.0, 5.0), **kwargs):
    """Several activations on one figure: the functions left, their derivatives right.

    `names` is a list of names/functions, or a dict `{label: name_or_fn}`. `kwargs`
    are passed to every one of them.

    Example:
        >>> plot_activations(["sigmoid", "tanh", "relu"])   # compare the slopes
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    items = list(names.items()) if isinstance(names, dict) else [(None, n) for n in names]
    if not items:
        raise ValueError("plot_activations needs at least one activation name.")
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    labels = []
    for label, name_or_fn in items:
        label = label or resolve_activation(name_or_fn, **kwargs)[1]
        x, y, dydx = activation_curve(name_or_fn, x_range=x_range, **kwargs)
        ax_f.plot(x, y, label=label)
        ax_d.plot(x, dydx, label=label)
        labels.append(label)
    single = len(items) == 1
    title = labels[0] if single else None
    ax_f.set_title(title or "activation f(x)")
    ax_d.set_title(f"{title}: derivative" if title else "derivative f'(x)")
    for ax, ylabel in ((ax_f, "f(x)"), (ax_d, "f'(x)")):
        ax.axhline(0, color="gray", linewidth=0.6)
        ax.axvline(0, color="gray", linewidth=0.6)
        ax.set_xlabel("x")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if not single:
            ax.legend(fontsize=8)
    return fig


def plot_softmax(vector, temperature: float = 1.0):
    """Bars of a score vector (logits) and of its softmax; returns the Figure.

    Formula: p_i = exp(z_i / T) / Σ_j exp(z_j / T)
    A high temperature T flattens the probabilities; a low one sharpens them towards
    the arg-max ("hardmax").

    Example:
        >>> plot_softmax([2.0, 1.0, 0.1], temperature=0.5)
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    scores = np.asarray(as_array(vector), dtype=config.floatx())
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(
            f"plot_softmax expects one vector of scores, e.g. [2.0, 1.0, 0.1]. "
            f"Received an array of shape {scores.shape}."
        )
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0. Received: temperature={temperature}")
    probabilities = activations.softmax(scores / np.asarray(temperature, scores.dtype)).numpy()
    index = np.arange(scores.size)
    fig, (ax_z, ax_p) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    ax_z.bar(index, scores, color="tab:gray")
    ax_z.axhline(0, color="black", linewidth=0.6)
    ax_z.set_title("scores (logits) z")
    ax_p.bar(index, probabilities, color="tab:blue")
    for i, p in zip(index, probabilities, strict=True):
        ax_p.annotate(f"{p:.2f}", (i, p), ha="center", va="bottom", fontsize=8)
    ax_p.set_ylim(0, 1.1)
    ax_p.set_title(f"softmax(z / T), T = {temperature:g}")
    for ax in (ax_z, ax_p):
        ax.set_xticks(index)
        ax.set_xlabel("class i")
    return fig

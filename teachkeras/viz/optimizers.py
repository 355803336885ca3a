"""Optimizers racing down 2-D loss surfaces.

The weights here are just two numbers, w = (x, y), and the "loss" is a surface
L(x, y) we can draw as contours. Each optimizer is the real class from
`teachkeras.optimizers`, stepping a 2-element `Variable` with gradients from
`GradientTape` — exactly what happens to every weight in `fit`, made visible:

  - bowl: every optimizer gets there; compare the speed.
  - valley: steep across, flat along. SGD zig-zags across and crawls along;
    momentum cancels the zig-zag and keeps the speed along; Adam rescales each axis.
  - saddle: flat in the middle; who escapes the saddle point first?
  - Rosenbrock: a curved banana valley whose floor falls very slowly to (1, 1).
  - Beale: steep walls and flat plateaus, minimum at (3, 0.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import ops
from ..backend import config
from ..backend.tensor import GradientTape, Tensor, as_array, no_grad
from ..backend.variables import Variable
from .fonts import auto_korean_font


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface and how to look at it.

    Attributes:
        name: short name (`'rosenbrock'`).
        formula: the formula, for the plot title.
        function: `f(x, y)` written with backend ops (works on tensors of any shape).
        minimum: where the global minimum is (`None` if it is unbounded below).
        start: a starting point that shows the surface's difficulty.
        x_range, y_range: what to draw.
        learning_rate: a learning rate at which SGD makes visible progress here.
        log_levels: draw contours at log-spaced heights (for surfaces with huge ranges).
    """

    name: str
    formula: str
    function: Callable
    minimum: tuple[float, float] | None
    start: tuple[float, float]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    learning_rate: float
    log_levels: bool = False

    def __call__(self, x, y):
        return self.function(x, y)

    def loss(self, w) -> Tensor:
        """The loss at w = (x, y), a tensor of two elements."""
        return self.function(w[0], w[1])

    def grid(self, resolution: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`(X, Y, Z)`: the surface evaluated on a `resolution` × `resolution` grid."""
        xs = np.linspace(*self.x_range, resolution)
        ys = np.linspace(*self.y_range, resolution)
        X, Y = np.meshgrid(xs, ys)
        with no_grad():
            Z = as_array(
                self.function(
                    ops.convert_to_tensor(X, config.floatx()),
                    ops.convert_to_tensor(Y, config.floatx()),
                )
            )
        return X, Y, np.asarray(Z)


def _bowl(x, y):
    """Formula: L = x² + y²"""
    return ops.square(x) + ops.square(y)


def _valley(x, y):
    """Formula: L = 0.1 x² + 2 y²   (curvature 20 times larger across than along)"""
    return 0.1 * ops.square(x) + 2.0 * ops.square(y)


def _saddle(x, y):
    """Formula: L = x² − y² + y⁴/4   (a saddle point at 0, minima at (0, ±√2))"""
    y2 = ops.square(y)
    return ops.square(x) - y2 + 0.25 * ops.square(y2)


def _rosenbrock(x, y):
    """Formula: L = (1 − x)² + 100 (y − x²)²"""
    return ops.square(1.0 - x) + 100.0 * ops.square(y - ops.square(x))


def _beale(x, y):
    """Formula: L = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"""
    return (
        ops.square(1.5 - x + x * y)
        + ops.square(2.25 - x + x * ops.square(y))
        + ops.square(2.625 - x + x * y * ops.square(y))
    )


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface("bowl", "x² + y²", _bowl, (0.0, 0.0), (-4.0, 3.0), (-5, 5), (-5, 5), 0.1),
        Surface("valley", "0.1x² + 2y²", _valley, (0.0, 0.0), (-4.5, 1.5), (-5, 5), (-2, 2), 0.4),
        Surface(
            "saddle",
            "x² − y² + y⁴/4",
            _saddle,
            (0.0, np.sqrt(2.0)),
            (-1.8, 0.01),
            (-2, 2),
            (-2, 2),
            0.05,
        ),
        Surface(
            "rosenbrock",
            "(1−x)² + 100(y−x²)²",
            _rosenbrock,
            (1.0, 1.0),
            (-1.5, 2.0),
            (-2, 2),
            (-1, 3),
            1e-3,
            log_levels=True,
        ),
        Surface(
            "beale",
            "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²",
            _beale,
            (3.0, 0.5),
            (1.0, 1.5),
            (-1, 4.5),
            (-1.5, 2),
            1e-2,
            log_levels=True,
        ),
    )
}


def get_surface(surface: str | Surface) -> Surface:
    """A `Surface` by name (`'bowl'`, `'valley'`, `'saddle'`, `'rosenbrock'`, `'beale'`)."""
    if isinstance(surface, Surface):
        return surface
    if surface not in SURFACES:
        raise ValueError(f"Unknown loss surface: {surface!r}. Valid names: {list(SURFACES)}")
    return SURFACES[surface]


class OptimizerPath(NamedTuple):
    """Where an optimizer went: `points` (steps + 1, 2) and the loss there (steps + 1,)."""

    points: np.ndarray
    losses: np.ndarray


def _fresh_optimizer(optimizer):
    """A new optimizer from a name, a config dict, or a copy of an optimizer instance.

    A copy (from its config), because an optimizer builds its slots for the first
    variables it sees and keeps its step count: the caller's object is left untouched,
    and the same one can race again, on another surface, with the same result.
    """
    from .. import optimizers

    if isinstance(optimizer, optimizers.Optimizer):
        return type(optimizer).from_config(optimizer.get_config())
    return optimizers.get(optimizer)


def optimizer_path(
    optimizer, surface: str | Surface, start: tuple[float, float] | None = None, steps: int = 100
) -> OptimizerPath:
    """Run a real optimizer for `steps` steps on a surface, from `start`.

    Each step: loss = L(w) under a `GradientTape`, g = ∂L/∂w, `optimizer.apply([g], [w])`.
    If the walk diverges (inf/NaN), it stops and the rest of the path is NaN, which the
    plot draws as a gap.

    Example:
        >>> path = optimizer_path(keras.optimizers.SGD(0.1, momentum=0.9), "valley", steps=50)
        >>> path.points[-1], path.losses[-1]
    """
    surface = get_surface(surface)
    if not isinstance(steps, int | np.integer) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer. Received: steps={steps!r}")
    optimizer = _fresh_optimizer(optimizer)
    w = Variable(np.asarray(start if start is not None else surface.start), name="w")
    points = np.full((steps + 1, 2), np.nan)
    losses = np.full(steps + 1, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging walk overflows: we stop it
        for step in range(steps + 1):
            with GradientTape() as tape:
                loss = surface.loss(w)
            points[step], losses[step] = w.numpy(), float(loss.numpy())
            if step == steps or not np.isfinite(losses[step]):
                break
            (gradient,) = tape.gradient(loss, [w])
            optimizer.apply([gradient], [w])
    return OptimizerPath(points, losses)


def plot_optimizer_paths(
    optimizers: dict,
    surface: str | Surface = "valley",
    steps: int = 100,
    start=None,
    resolution: int = 200,
):
    """Contours of a surface with each optimizer's path (left) and loss against step (right).

    Args:
        optimizers: `{label: optimizer}`; each value an optimizer instance (a copy is
            run), a name, or a config dict.
        surface: a name from `SURFACES` or a `Surface`.
        steps: how many updates each optimizer makes.
        start: the starting point (default: the surface's own).

    Example:
        >>> plot_optimizer_paths({"SGD": SGD(0.2), "momentum": SGD(0.2, momentum=0.9),
        ...                       "Adam": Adam(0.3)}, "valley", steps=60)
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    auto_korean_font()
    surface = get_surface(surface)
    if not isinstance(optimizers, dict) or not optimizers:
        raise TypeError(
            "plot_optimizer_paths expects a dict {label: optimizer}, e.g. "
            "{'SGD': SGD(0.1), 'Adam': Adam(0.1)}."
        )
    fig, (ax_map, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    X, Y, Z = surface.grid(resolution)
    if surface.log_levels:
        low = max(float(np.nanmin(Z)), 1e-3)
        levels = np.logspace(np.log10(low), np.log10(float(np.nanmax(Z))), 25)
        ax_map.contour(
            X, Y, np.maximum(Z, low), levels=levels, norm=LogNorm(), cmap="viridis", linewidths=0.7
        )
    else:
        ax_map.contour(X, Y, Z, levels=25, cmap="viridis", linewidths=0.7)
    if surface.minimum is not None:
        ax_map.plot(
            *surface.minimum,
            "*",
            color="gold",
            markersize=14,
            markeredgecolor="black",
            label="minimum",
        )
    for label, optimizer in optimizers.items():
        path = optimizer_path(optimizer, surface, start=start, steps=steps)
        (line,) = ax_map.plot(
            path.points[:, 0],
            path.points[:, 1],
            marker=".",
            markersize=3,
            linewidth=1.2,
            label=str(label),
        )
        ax_loss.plot(np.arange(steps + 1), path.losses, color=line.get_color(), label=str(label))
    first = path.points[0]
    ax_map.plot(first[0], first[1], "o", color="black", markersize=6, label="start")
    ax_map.set_xlim(surface.x_range)
    ax_map.set_ylim(surface.y_range)
    ax_map.set_xlabel("x")
    ax_map.set_ylabel("y")
    ax_map.set_title(f"{surface.name}: L = {surface.formula}", fontsize=10)
    ax_map.legend(fontsize=8, loc="best")
    if surface.log_levels:
        ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss")
    ax_loss.set_title("loss against step")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend(fontsize=8)
    return fig

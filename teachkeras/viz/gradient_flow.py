"""Gradient flow: how big each layer's weight gradient is, from input to output.

Backpropagation reaches layer l through every layer above it, multiplying by one
weight matrix and one activation derivative per layer:

    ∂L/∂h_l = (∂L/∂h_{l+1}) · W_{l+1}ᵀ · diag(f'(z_{l+1}))

With sigmoid (f' ≤ 1/4) or with small initial weights each factor shrinks the
gradient, so the first layers barely learn (vanishing gradients); with weights too
large it grows (exploding gradients). Plotting ‖∂L/∂W_l‖ against the depth l, on a log
scale, shows it as a straight slope: sigmoid vs relu, or glorot vs he vs small normal.
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from ..backend import random as backend_random
from ..backend.tensor import GradientTape
from .fonts import auto_korean_font

# What the vanishing-gradient demos offer: Keras names plus two instructive bad choices.
INITIALIZER_CHOICES = {
    "glorot_uniform": ("GlorotUniform", {}),
    "he_normal": ("HeNormal", {}),
    "lecun_normal": ("LecunNormal", {}),
    "small_normal": ("RandomNormal", {"stddev": 0.01}),  # too small: gradients vanish
    "large_normal": ("RandomNormal", {"stddev": 1.0}),  # too large: saturates or explodes
}


def layer_gradient_norms(model, x, y, sample_weight=None) -> dict[str, float]:
    """The L2 norm of each layer's weight gradient for one batch, input side first.

    Formula: ‖∂L/∂θ_l‖ = sqrt(Σ_{w ∈ layer l} Σ (∂L/∂w)²), L = model.compute_loss(...)

    The forward pass runs in training mode (as in `fit`), and no weight is changed.
    Layers without trainable weights (Dropout, Flatten, ...) are left out.

    Example:
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> layer_gradient_norms(model, x[:64], y[:64])
        {'dense': 0.0004, 'dense_1': 0.003, 'dense_2': 0.05}
    """
    if getattr(model, "_objectives", None) is None:
        raise ValueError(
            f"Model {getattr(model, 'name', '')!r} has no loss yet: call "
            "model.compile(optimizer=..., loss=...) before layer_gradient_norms(model, x, y)."
        )
    layers = [layer for layer in model.layers if layer.trainable_weights]
    if not layers:
        raise ValueError(f"Model {model.name!r} has no trainable weights, so no gradients.")
    weights = [w for layer in layers for w in layer.trainable_weights]
    with GradientTape() as tape:
        y_pred = model(x, training=True)
        model._build_objectives(y, y_pred)  # pick the loss for these shapes, as fit does
        loss = model.compute_loss(x, y, y_pred, sample_weight)
    grads = iter(tape.gradient(loss, weights))
    norms = {}
    for layer in layers:
        squares = [
            np.sum(np.square(g, dtype=np.float64)) for g in _take(grads, layer) if g is not None
        ]
        norms[layer.name] = float(np.sqrt(sum(squares)))
    return norms


def _take(grads, layer) -> list:
    """The next `len(layer.trainable_weights)` gradients (they come in layer order)."""
    return [next(grads) for _ in layer.trainable_weights]


def deep_network(
    depth: int,
    activation: str = "sigmoid",
    initializer: str = "glorot_uniform",
    units: int = 32,
    input_dim: int = 16,
    seed: int = 0,
):
    """A compiled stack of `depth` Dense layers (plus a linear output), for gradient demos.

    The weights are seeded (`seed`), so the same arguments give the same network.
    `initializer` is a Keras name or one of `INITIALIZER_CHOICES` (`'small_normal'`
    draws N(0, 0.01²), `'large_normal'` draws N(0, 1)).
    """
    from .. import initializers, layers, models

    if not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(f"depth must be a positive integer. Received: depth={depth!r}")
    class_name, config = INITIALIZER_CHOICES.get(initializer, (initializer, {}))

    def make(i: int):
        return initializers.get(
            {"class_name": class_name, "config": {**config, "seed": seed * 1000 + i}}
        )

    model = models.Sequential([layers.Input((input_dim,))])
    for i in range(int(depth)):
        model.add(layers.Dense(units, activation=activation, kernel_initializer=make(i)))
    model.add(layers.Dense(1, kernel_initializer=make(int(depth))))
    model.compile(optimizer="sgd", loss="mse")
    return model


def gradient_flow_demo(
    depth: int = 10,
    activation: str = "sigmoid",
    initializer: str = "glorot_uniform",
    units: int = 32,
    batch_size: int = 64,
    seed: int = 0,
) -> dict[str, float]:
    """Per-layer gradient norms of `deep_network(...)` on a seeded random regression batch."""
    model = deep_network(depth, activation, initializer, units=units, seed=seed)
    rng = backend_random.make_generator(seed)
    input_dim = model.inputs[0].shape[-1]
    x = rng.standard_normal((batch_size, input_dim)).astype(config.floatx())
    y = rng.standard_normal((batch_size, 1)).astype(config.floatx())
    return layer_gradient_norms(model, x, y)


def _as_norms(value, record: int) -> tuple[np.ndarray, list[str] | None]:
    """Norms (one per layer) and layer names from any of the accepted kinds of value."""
    if hasattr(value, "gradient_norms") and hasattr(value, "layer_names"):  # a recorder
        table = np.asarray(value.gradient_norms, dtype=float)  # (records, layers)
        if table.ndim != 2 or table.shape[0] == 0:
            raise ValueError(
                f"{type(value).__name__}.gradient_norms holds no records yet (shape "
                f"{table.shape}): fit the model with the recorder as a callback first."
            )
        return table[record], list(value.layer_names)
    if isinstance(value, dict):
        return np.asarray(list(value.values()), dtype=float), list(value)
    norms = np.asarray(value, dtype=float)
    if norms.ndim != 1:
        raise ValueError(
            "plot_gradient_flow expects, per label, one norm per layer (a 1-D array), the dict "
            f"from layer_gradient_norms, or a GradientFlowRecorder. Got shape {norms.shape}."
        )
    return norms, None


def plot_gradient_flow(
    results: dict, log_scale: bool = True, record: int = -1, title: str | None = None, ax=None
):
    """Per-layer gradient norms against depth, one line per network; returns the Figure.

    Args:
        results: `{label: norms}` where norms is `layer_gradient_norms(...)`'s dict, a 1-D
            array (input layer first), or a `GradientFlowRecorder` (anything with
            `.gradient_norms` of shape (records, layers) and `.layer_names`).
        log_scale: a log y axis, on which vanishing shows as a straight slope.
        record: which record of a recorder to draw (default: the last).

    A zero norm cannot be shown on a log scale and a NaN is not a number: both leave
    a gap in the line.

    Example:
        >>> plot_gradient_flow({"sigmoid": gradient_flow_demo(activation="sigmoid"),
        ...                     "relu": gradient_flow_demo(activation="relu", initializer="he_normal")})
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    if not isinstance(results, dict) or not results:
        raise TypeError(
            "plot_gradient_flow expects a dict {label: norms}, e.g. "
            "{'sigmoid': layer_gradient_norms(model, x, y)}. Received: "
            f"{type(results).__name__}{' (empty)' if isinstance(results, dict) else ''}."
        )
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
    fig = ax.figure
    all_names = []
    for label, value in results.items():
        norms, names = _as_norms(value, record)
        depth = np.arange(1, len(norms) + 1)
        ax.plot(
            depth,
            np.where(norms > 0, norms, np.nan) if log_scale else norms,
            marker="o",
            label=str(label),
        )
        all_names.append(names)
    if log_scale:
        ax.set_yscale("log")
    names = all_names[0]
    if names and all(n == names for n in all_names):
        ax.set_xticks(np.arange(1, len(names) + 1), names, rotation=45, ha="right", fontsize=8)
    ax.set_xlabel("layer (input → output)")
    ax.set_ylabel("‖∂L/∂W‖ (gradient norm)")
    ax.set_title(title or "gradient flow")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig

"""Gradient through time: how much of the gradient reaches each step of a sequence.

A recurrent layer's last output h_T depends on the input x_t of every step through the
chain of states, one factor per step in between (backpropagation through time):

    ∂h_T/∂x_t = ∂h_T/∂h_{T-1} · ∂h_{T-1}/∂h_{T-2} · … · ∂h_{t+1}/∂h_t · ∂h_t/∂x_t

SimpleRNN: every factor is Uᵀ diag(1 - h²), the same kind of product as a deep network's
Wᵀ diag(f') (notebook 4), so the gradient shrinks by about the same factor at each step:
a straight line on a log scale. LSTM: along its carry the factor is the forget gate f_t
(c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t); GRU: the update gate z_t (h_t = z_t ⊙ h_{t-1} + ...).
A gate is a number the network computes, and its bias sets where it starts: gates near 1
let the gradient through (Keras starts the LSTM's forget bias at 1, so f ≈ σ(1) ≈ 0.73).
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import config
from ..backend import random as backend_random
from ..backend.tensor import GradientTape, as_tensor
from .fonts import auto_korean_font

RECURRENT_KINDS = ("SimpleRNN", "LSTM", "GRU")


def step_gradient_norms(layer, x) -> np.ndarray:
    """How much gradient reaches each time step: ‖∂(Σ h_T)/∂x_t‖, averaged over the batch.

    Formula: n_t = mean over the batch of sqrt(Σ_features (∂(Σ_units h_T)/∂x_t)²)

    `h_T` is the layer's last output (the last step of its output sequence if it returns
    sequences; the first output if it returns states too). No weight is changed.

    Args:
        layer: a recurrent layer (or any layer or model taking `(batch, timesteps, features)`).
        x: the input sequences, `(batch, timesteps, features)`.

    Returns:
        `(timesteps,)` float64: entry t is the gradient norm at step t + 1.

    Example:
        >>> step_gradient_norms(layers.SimpleRNN(16), np.random.randn(32, 60, 8))[[0, -1]]
        array([3e-09, 2.8e+00])   # the first step gets 10⁻⁹ of what the last one gets
    """
    sequences = as_tensor(np.asarray(x, dtype=config.floatx()))
    if sequences.ndim != 3:
        raise ValueError(
            "step_gradient_norms expects sequences of shape (batch, timesteps, features); "
            f"got shape {tuple(sequences.shape)}."
        )
    with GradientTape() as tape:
        tape.watch(sequences)
        output = layer(sequences)
        if isinstance(output, list | tuple):  # return_state=True: [output, *states]
            output = output[0]
        if output.ndim == 3:  # return_sequences=True: the last step's output
            output = output[:, -1]
        total = ops.sum(output)
    grad = np.asarray(tape.gradient(total, sequences), dtype=np.float64)  # (batch, T, features)
    return np.sqrt(np.sum(np.square(grad), axis=2)).mean(axis=0)  # (T,)


def set_gate_bias(layer, value: float) -> None:
    """Set the bias of the gate that keeps the state: the LSTM's forget gate, the GRU's
    update gate (its input-side row; the recurrent row is left as it is).

    LSTM: c_t = f ⊙ c_{t-1} + i ⊙ g with f = σ(z_f + b_f): b_f = 3 starts f at σ(3) ≈ 0.95.
    GRU:  h_t = z ⊙ h_{t-1} + (1 - z) ⊙ n with z = σ(x_z + r_z + b_z): likewise.
    A SimpleRNN has no gate: it is refused.
    """
    cell = getattr(layer, "cell", layer)
    kind = type(cell).__name__
    if kind not in ("LSTMCell", "GRUCell"):
        raise ValueError(f"set_gate_bias needs an LSTM or a GRU; {layer.name!r} is a {kind}.")
    if cell.bias is None:
        raise ValueError(f"{layer.name!r} has no bias (use_bias=False).")
    units = cell.units
    bias = np.array(cell.bias.numpy())  # a copy
    if kind == "LSTMCell":
        bias[units : 2 * units] = value  # gates i, f, c, o: f is the second block
    elif bias.ndim == 2:  # GRU, reset_after=True: row 0 the input side, row 1 the recurrent
        bias[0, :units] = value  # gates z, r, h: z is the first block
    else:
        bias[:units] = value
    cell.bias.assign(bias)


def recurrent_gradient_demo(
    kind: str,
    timesteps: int = 60,
    gate_bias: float | None = None,
    units: int = 16,
    features: int = 8,
    batch_size: int = 32,
    seed: int = 0,
) -> np.ndarray:
    """`step_gradient_norms` of a fresh, seeded SimpleRNN, LSTM or GRU on random sequences.

    The weights come from Keras's default initializers with fixed seeds, and the inputs
    from N(0, 1), so the same arguments give the same numbers (the global seed is not used).

    Args:
        kind: "SimpleRNN", "LSTM" or "GRU".
        timesteps: the length T of the sequences.
        gate_bias: if given, the bias of the LSTM's forget gate or the GRU's update gate
            (`set_gate_bias`); ignored for SimpleRNN, which has no gate.

    Returns:
        `(timesteps,)`: the gradient norm that reaches each step.
    """
    from .. import initializers, layers

    if kind not in RECURRENT_KINDS:
        raise ValueError(f"kind must be one of {RECURRENT_KINDS}. Received: kind={kind!r}")
    if int(timesteps) != timesteps or timesteps < 1:
        raise ValueError(f"timesteps must be a positive integer. Received: {timesteps!r}")
    layer = getattr(layers, kind)(
        units,
        kernel_initializer=initializers.GlorotUniform(seed=seed),
        recurrent_initializer=initializers.Orthogonal(seed=seed + 1),
    )
    layer.build((None, int(timesteps), features))
    if gate_bias is not None and kind != "SimpleRNN":
        set_gate_bias(layer, gate_bias)
    rng = backend_random.make_generator(seed)
    x = rng.standard_normal((batch_size, int(timesteps), features)).astype(config.floatx())
    return step_gradient_norms(layer, x)


def plot_step_gradients(results: dict, title: str | None = None, ax=None):
    """The gradient reaching each time step, one line per layer, on a log scale.

    Args:
        results: `{label: norms}`, each a 1-D array from `step_gradient_norms` (step 1 first).
        title: the axes' title.
        ax: draw into these axes (default: a new figure).

    A zero norm cannot be drawn on a log scale: it leaves a gap.

    Example:
        >>> plot_step_gradients({k: recurrent_gradient_demo(k) for k in RECURRENT_KINDS})
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    if not isinstance(results, dict) or not results:
        raise TypeError(
            "plot_step_gradients expects a dict {label: norms}, e.g. "
            "{'SimpleRNN': step_gradient_norms(layer, x)}. Received: "
            f"{type(results).__name__}{' (empty)' if isinstance(results, dict) else ''}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    for label, norms in results.items():
        norms = np.asarray(norms, dtype=float)
        if norms.ndim != 1:
            raise ValueError(
                f"plot_step_gradients: {label!r} must be one norm per time step (1-D); "
                f"got shape {norms.shape}."
            )
        steps = np.arange(1, len(norms) + 1)
        marker = "." if len(norms) <= 80 else None  # dots while each step can still be seen
        ax.plot(steps, np.where(norms > 0, norms, np.nan), marker=marker, label=str(label))
    ax.set_yscale("log")
    ax.set_xlabel("time step t  (the output is read after the last step)", fontsize=12)
    ax.set_ylabel(r"$\Vert\partial h_T / \partial x_t\Vert$  (gradient norm)", fontsize=12)
    ax.set_title(title or "gradient reaching each time step", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=11)
    return ax.figure

"""`DeadUnitMonitor`: how many units have stopped learning?

Two ways a unit stops passing gradient back, both visible on a sample batch:

- a **dead ReLU**: its output is never positive, so relu'(z) = 0 on every sample and
  its weights get no gradient, ever (a large negative bias or a too-large learning
  rate puts it there, and nothing brings it back);
- a **saturated sigmoid or tanh**: its output sits on a flat end of the S-curve,
  where the derivative σ'(z) = σ(z)(1 − σ(z)) or 1 − tanh²(z) is nearly 0.

Per layer, at the end of each epoch:

    dead fraction       = (units whose output is ≤ 0 on every sample) / units
    saturated fraction  = mean over samples of (units on a flat end) / units
                          flat end: sigmoid out < 1 − t or out > t;  tanh |out| > t   (t = 0.98)

A unit is one entry of the last axis (a neuron of Dense, a channel of Conv2D, whose
positions count as more samples).
"""

from __future__ import annotations

import numpy as np

from .. import activations
from ..backend import config
from .callback import Callback
from .gradient_flow import LayerOutputs, _check_sample

# Which activation functions count as which kind.
_RELU_LIKE = (activations.relu, activations.relu6)
_SIGMOID_LIKE = (activations.sigmoid, activations.hard_sigmoid)
_TANH_LIKE = (activations.tanh, activations.hard_tanh)


def activation_kind(layer) -> str | None:
    """`'relu'`, `'sigmoid'`, `'tanh'`, or None for a layer whose output is none of them."""
    from ..layers.activations.relu import ReLU

    if isinstance(layer, ReLU):
        return "relu" if layer.negative_slope == 0 else None  # a leaky ReLU never dies
    function = getattr(layer, "activation", None)
    if function in _RELU_LIKE:
        return "relu"
    if function in _SIGMOID_LIKE:
        return "sigmoid"
    if function in _TANH_LIKE:
        return "tanh"
    return None


def dead_fraction(outputs: np.ndarray) -> float:
    """Share of units (last axis) whose output is never positive over all samples."""
    per_unit = outputs.reshape(-1, outputs.shape[-1])  # (samples × positions, units)
    return float(np.mean(~np.any(per_unit > 0, axis=0)))


def saturated_fraction(outputs: np.ndarray, kind: str, threshold: float = 0.98) -> float:
    """Share of units on a flat end of the sigmoid/tanh curve, averaged over samples."""
    if kind == "sigmoid":
        flat = (outputs < 1 - threshold) | (outputs > threshold)
    elif kind == "tanh":
        flat = np.abs(outputs) > threshold
    else:
        raise ValueError(f"saturated_fraction: kind must be 'sigmoid' or 'tanh'; got {kind!r}.")
    return float(np.mean(flat))


class DeadUnitMonitor(Callback):
    """Record, per layer, the fraction of dead ReLU units and saturated sigmoid/tanh units.

    Args:
        x_sample: a fixed batch of inputs to measure on (a few hundred samples).
        threshold: where the flat ends start: sigmoid output below `1 - threshold` or
            above `threshold`, tanh |output| above `threshold`. Defaults to 0.98.

    Attributes (NumPy arrays, one row per epoch):
        layer_names, kinds: the watched layers (those ending in relu, sigmoid or tanh)
            and their kind, `'relu'`, `'sigmoid'` or `'tanh'`.
        dead_fractions: shape (epochs, layers); NaN for sigmoid/tanh layers.
        saturated_fractions: shape (epochs, layers); NaN for relu layers.
        epochs: the epoch of each row (from 0, as Keras counts).

    Example:
        >>> monitor = DeadUnitMonitor(x_train[:256])
        >>> model.fit(x_train, y_train, epochs=5, callbacks=[monitor])
        >>> dict(zip(monitor.layer_names, monitor.dead_fractions[-1]))
        {'dense': 0.03, 'dense_1': 0.41}
    """

    def __init__(self, x_sample, threshold: float = 0.98) -> None:
        super().__init__()
        _check_sample("DeadUnitMonitor", x_sample)
        if not 0.5 < threshold < 1:
            raise ValueError(
                "DeadUnitMonitor: threshold must lie between 0.5 and 1 (e.g. 0.98: a sigmoid "
                f"output above 0.98 or below 0.02 is saturated). Received: threshold={threshold}"
            )
        self.x_sample = x_sample
        self.threshold = threshold
        self.layer_names: list[str] = []
        self.kinds: list[str] = []
        self._layers: list = []
        self._probe: LayerOutputs | None = None
        self._rows: list[tuple[int, list[float], list[float]]] = []

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        dead, saturated = self.measure()
        self._rows.append((epoch, dead, saturated))

    def measure(self) -> tuple[list[float], list[float]]:
        """(dead fractions, saturated fractions) per watched layer, for the current weights."""
        if self._probe is None:
            self._layers = [layer for layer in self.model.layers if activation_kind(layer)]
            if not self._layers:
                raise ValueError(
                    f"DeadUnitMonitor found no layer of model {self.model.name!r} ending in a "
                    "relu, sigmoid or tanh activation (e.g. Dense(64, activation='relu'))."
                )
            self.layer_names = [layer.name for layer in self._layers]
            self.kinds = [activation_kind(layer) for layer in self._layers]
            self._probe = LayerOutputs(self.model, self._layers)
        dead, saturated = [], []
        for kind, outputs in zip(self.kinds, self._probe(self.x_sample), strict=True):
            if kind == "relu":
                dead.append(dead_fraction(outputs))
                saturated.append(np.nan)
            else:
                dead.append(np.nan)
                saturated.append(saturated_fraction(outputs, kind, self.threshold))
        return dead, saturated

    # --- the arrays a learner plots -------------------------------------------------------
    @property
    def dead_fractions(self) -> np.ndarray:
        return np.asarray([row[1] for row in self._rows], dtype=config.floatx()).reshape(
            len(self._rows), len(self.layer_names)
        )

    @property
    def saturated_fractions(self) -> np.ndarray:
        return np.asarray([row[2] for row in self._rows], dtype=config.floatx()).reshape(
            len(self._rows), len(self.layer_names)
        )

    @property
    def epochs(self) -> np.ndarray:
        return np.asarray([row[0] for row in self._rows], dtype="int64")

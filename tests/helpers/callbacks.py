"""Drive a callback as `fit` would, without training: `play`, `FakeModel`, and the small
model and data the callback tests train when they do need a real `fit`.

A callback sees only its hooks and their `logs` dicts, so most callback tests write the logs
by hand ("val_loss went 1.0, 0.9, 0.95, ...") and `play` calls the hooks in `fit`'s order
(see `Model.fit` in teachkeras/models/training.py):

    on_train_begin({})
      on_epoch_begin(epoch, {})
        on_train_batch_begin(b, {}) / on_train_batch_end(b, batch logs)   (batches_per_epoch)
      on_epoch_end(epoch, logs)              stops after it when model.stop_training is set
    on_train_end(last epoch's logs)

The parity tests play the same logs into real Keras 3's callbacks too (on a `FakeModel`
holding a Keras optimizer): `play` and `FakeModel` use nothing of teachkeras but the default
optimizer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from teachkeras import Input, Sequential
from teachkeras.layers import Dense
from teachkeras.optimizers import SGD
from teachkeras.utils import set_random_seed


class FakeMetric:
    """A compiled metric as far as a callback's mode="auto" reads it: a name, a direction."""

    def __init__(self, name: str, direction: str) -> None:
        self.name, self._direction = name, direction


class FakeModel:
    """What callbacks touch: `stop_training`, the weights, the optimizer, the metrics.

    `play` sets every weight to the epoch number before each epoch ends, so weights a
    callback restores tell which epoch they came from (`weights[0][0, 0] == 3`).

    Args:
        optimizer: any optimizer with a `learning_rate` (Keras 3's too, in parity tests);
            default `SGD(learning_rate)`.
        metrics: e.g. `[FakeMetric("accuracy", "up")]`.
    """

    def __init__(self, optimizer=None, learning_rate: float = 1.0, metrics=()) -> None:
        self.stop_training = False
        self.weights = [np.zeros((2, 2), "float32"), np.zeros(3, "float32")]
        self.optimizer = optimizer if optimizer is not None else SGD(learning_rate=learning_rate)
        self.metrics = list(metrics)

    def get_weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights) -> None:
        self.weights = [np.array(w) for w in weights]

    def stamp_epoch(self, epoch: int) -> None:
        """Set every weight to `epoch` (what training that epoch "did")."""
        self.weights = [np.full_like(w, epoch) for w in self.weights]


def play(
    callback,
    epoch_logs: Sequence[dict[str, Any]],
    model=None,
    *,
    batches_per_epoch: int = 0,
    batch_logs: Callable[[dict[str, Any], int], dict[str, Any]] | None = None,
):
    """Call `callback`'s hooks as `fit` does, one epoch per entry of `epoch_logs`.

    Args:
        callback: a teachkeras (or Keras 3) callback.
        epoch_logs: the logs each epoch ends with, e.g. `[{"loss": 1.0}, {"loss": 0.5}]`.
        model: what the callback is set on (default: a new `FakeModel`); a `FakeModel`'s
            weights are stamped with the epoch number before each epoch ends.
        batches_per_epoch: how many batch hooks run inside each epoch (default none).
        batch_logs: `f(epoch_logs, batch)`, the logs after that batch (default: the epoch's).

    Returns:
        `(model, seen)`: the model, and the logs each epoch ended with as the callback left
        them (it may add keys, such as "learning_rate"), up to the epoch that stopped training.
    """
    model = model if model is not None else FakeModel()
    callback.set_model(model)
    callback.set_params({"epochs": len(epoch_logs), "steps": batches_per_epoch, "verbose": 0})
    model.stop_training = False
    callback.on_train_begin({})
    seen: list[dict[str, Any]] = []
    logs: dict[str, Any] = {}
    for epoch, logs in enumerate(epoch_logs):
        callback.on_epoch_begin(epoch, {})
        for batch in range(batches_per_epoch):
            callback.on_train_batch_begin(batch, {})
            callback.on_train_batch_end(
                batch, batch_logs(logs, batch) if batch_logs else dict(logs)
            )
        if isinstance(model, FakeModel):
            model.stamp_epoch(epoch)
        logs = dict(logs)
        callback.on_epoch_end(epoch, logs)
        seen.append(logs)
        if model.stop_training:
            break
    callback.on_train_end(logs)
    return model, seen


def regression_data(n: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`x`: (n, 3) standard normal; `y = x · (1, -2, 0.5)`, a column: a line to learn."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], "float32"))[:, None]
    return x, y


def regression_model(
    optimizer="adam", units: int = 4, activation: str = "relu", seed: int | None = None
) -> Sequential:
    """`Input((3,))` -> `Dense(units, activation)` -> `Dense(1)`, compiled with mse.

    `seed` makes the initial weights repeatable (`set_random_seed(seed)` first): two models
    with one seed start equal, another seed gives other weights.
    """
    if seed is not None:
        set_random_seed(seed)
    model = Sequential([Input((3,)), Dense(units, activation=activation), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    return model

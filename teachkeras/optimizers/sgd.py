"""SGD: gradient descent, optionally with (Nesterov) momentum."""

from __future__ import annotations

import numbers

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class SGD(Optimizer):
    """Gradient descent with optional momentum.

    Formula (momentum μ = 0):  w ← w − η·g
    Formula (momentum μ > 0):  v ← μ·v − η·g;   w ← w + v
    Formula (nesterov=True):   v ← μ·v − η·g;   w ← w + μ·v − η·g

    The velocity `v` remembers past steps, so the walk keeps going through flat
    stretches and its zig-zags across a narrow valley cancel. Nesterov's variant steps
    with the velocity it is about to have ("look ahead").

    Args:
        learning_rate: η. Defaults to 0.01.
        momentum: μ, a float in [0, 1]. Defaults to 0.0 (plain gradient descent).
        nesterov: whether to use Nesterov momentum. Defaults to False.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).

    Example:
        >>> opt = SGD(learning_rate=0.1, momentum=0.9)
        >>> opt.apply_gradients(zip(grads, model.trainable_variables))
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(momentum, numbers.Real) or isinstance(momentum, bool):
            raise ValueError(f"SGD: `momentum` must be a float in [0, 1]. Received: {momentum!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"SGD: `momentum` must be a float in [0, 1]. Received: {momentum}")
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        # Plain gradient descent needs no memory, so no slots (Keras counts none).
        self.momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum else []

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr = gradient, learning_rate
        if not self.momentum:
            variable.assign_sub(lr * g)
            return
        mu = self.momentum
        v = self.momentums[self._get_variable_index(variable)]
        v.assign(mu * v.value - lr * g)
        if self.nesterov:
            variable.assign_add(mu * v.value - lr * g)
        else:
            variable.assign_add(v.value)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}

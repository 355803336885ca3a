"""Adamax: Adam with the infinity norm in place of the RMS."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7.1): Adam whose second moment is a max.

    Formula:  t = iterations + 1
    Formula:  m ← β₁·m + (1 − β₁)·g
    Formula:  u ← max(β₂·u, |g|)                   (exponentially weighted infinity norm)
    Formula:  w ← w − η·m / ((1 − β₁ᵗ)·(u + ε))

    `u` needs no bias correction: a max is not pulled towards its zero start.

    Args:
        learning_rate: η. Defaults to 0.001.
        beta_1: β₁, decay rate of the first moment. Defaults to 0.9.
        beta_2: β₂, decay rate of the infinity norm. Defaults to 0.999.
        epsilon: ε. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = self._epsilon_or_default(epsilon)

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        beta_1, beta_2 = self.beta_1, self.beta_2  # Python floats: 1 − β is exact enough
        t = (self.iterations.value + 1).astype(variable.dtype)
        beta_1_power = np.asarray(beta_1, variable.dtype) ** t

        m, u = self._m[i], self._u[i]
        m.assign(beta_1 * m.value + (1 - beta_1) * g)
        u.assign(np.maximum(beta_2 * u.value, np.abs(g)))
        variable.assign_sub(lr * m.value / ((1 - beta_1_power) * (u.value + self.epsilon)))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }

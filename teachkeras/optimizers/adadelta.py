"""Adadelta: steps whose size comes from the recent size of the steps themselves."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): RMSprop whose numerator is a running RMS of past steps.

    Formula:  E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
    Formula:  Δw     = −√(E[Δw²] + ε) / √(E[g²] + ε) · g
    Formula:  E[Δw²] ← ρ·E[Δw²] + (1 − ρ)·Δw²
    Formula:  w      ← w + η·Δw

    The ratio of the two RMS values has the units of `w`, which is why the paper needs
    no learning rate (η = 1.0 there; Keras keeps η and defaults it to 0.001).

    Args:
        learning_rate: η. Defaults to 0.001.
        rho: ρ, the decay rate of both running averages. Defaults to 0.95.
        epsilon: ε, keeps the square roots and the division finite. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.epsilon = self._epsilon_or_default(epsilon)

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        rho = self.rho  # a Python float: 1 − ρ is computed exactly, then rounded once
        mean_g2, mean_dw2 = self._accumulated_grads[i], self._accumulated_delta_vars[i]

        def rms(x):
            return np.sqrt(x + self.epsilon)

        mean_g2.assign(rho * mean_g2.value + (1 - rho) * np.square(g))
        delta_w = -rms(mean_dw2.value) * g / rms(mean_g2.value)
        mean_dw2.assign(rho * mean_dw2.value + (1 - rho) * np.square(delta_w))
        variable.assign_add(lr * delta_w)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}

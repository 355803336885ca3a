"""RMSprop: divide each step by a running root-mean-square of recent gradients."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): steps scaled by the recent size of each gradient.

    Formula:             s ← ρ·s + (1 − ρ)·g²                  (velocity: mean of g²)
    Formula (centered):  ḡ ← ρ·ḡ + (1 − ρ)·g;   d = s − ḡ² + ε   (variance of g)
    Formula (otherwise): d = s + ε
    Formula:             Δ = η·g / √d
    Formula (μ > 0):     m ← μ·m + Δ;   w ← w − m
    Formula (μ = 0):     w ← w − Δ

    A weight whose gradients are large takes smaller steps and one whose gradients are
    small takes larger ones, so every weight moves at about the same pace.

    Args:
        learning_rate: η. Defaults to 0.001.
        rho: ρ, how slowly the average forgets. Defaults to 0.9.
        momentum: μ; if > 0, the steps themselves are averaged. Defaults to 0.0.
        epsilon: ε, keeps the division finite. Defaults to 1e-7.
        centered: divide by the variance of g instead of its mean square. Defaults to False.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = self._epsilon_or_default(epsilon)
        self.centered = centered

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = (
            self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        )
        self._average_gradients = (
            self.add_optimizer_variables(var_list, "average_gradient") if self.centered else []
        )

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        rho = self.rho  # a Python float: 1 − ρ is computed exactly, then rounded once
        s = self._velocities[i]
        s.assign(rho * s.value + (1 - rho) * np.square(g))
        if self.centered:
            g_mean = self._average_gradients[i]
            g_mean.assign(rho * g_mean.value + (1 - rho) * g)
            denominator = s.value - np.square(g_mean.value) + self.epsilon
        else:
            denominator = s.value + self.epsilon
        increment = lr * g / np.sqrt(denominator)
        if self.momentum > 0:
            m = self._momentums[i]
            m.assign(self.momentum * m.value + increment)
            variable.assign_sub(m.value)
        else:
            variable.assign_sub(increment)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }

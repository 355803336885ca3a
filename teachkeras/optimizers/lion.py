"""Lion: step by the sign of an interpolated momentum."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Lion(Optimizer):
    """Lion (Chen et al., 2023): "EvoLved Sign Momentum", found by program search.

    Formula:  c = β₁·m + (1 − β₁)·g                  (the direction: momentum and gradient mixed)
    Formula:  w ← w − η·sign(c)
    Formula:  m ← β₂·m + (1 − β₂)·g                  (the momentum, with a slower β₂)

    Every weight moves by exactly ±η (or 0), whatever the size of its gradient: the sign
    does the job Adam's division by √v does, with one slot instead of two. Steps are
    therefore larger than Adam's: take η 3-10x smaller than for AdamW, and `weight_decay`
    3-10x larger.

    Args:
        learning_rate: η. Defaults to 0.001.
        beta_1: β₁, mixes the momentum and the gradient for the step. Defaults to 0.9.
        beta_2: β₂, decay rate of the momentum. Defaults to 0.99.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Lion: `beta_1` must be in the range (0, 1]; at 0 Lion is plain sign descent "
                f"(SignSGD). Received: beta_1={beta_1}"
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, m = gradient, learning_rate, self._momentums[self._get_variable_index(variable)]
        beta_1 = np.asarray(self.beta_1, variable.dtype)  # β in the variable's dtype, as Keras
        beta_2 = np.asarray(self.beta_2, variable.dtype)

        c = m.value * beta_1 + g * (1 - beta_1)
        variable.assign_sub(lr * np.sign(c))
        m.assign(m.value * beta_2 + g * (1 - beta_2))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}

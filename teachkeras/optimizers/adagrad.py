"""Adagrad: each weight's step shrinks with the sum of its squared gradients so far."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011): per-weight learning rates that only decrease.

    Formula:  a ← a + g²                  (accumulator, starts at `initial_accumulator_value`)
    Formula:  w ← w − η·g / √(a + ε)

    Weights that have seen large gradients take small steps; rarely-updated weights
    (rare words, rare features) keep taking large ones. Because `a` only grows, the
    steps shrink for ever: RMSprop and Adam forget old gradients instead.

    Args:
        learning_rate: η. Defaults to 0.001 (the paper's form uses 1.0).
        initial_accumulator_value: where `a` starts (>= 0). Defaults to 0.1.
        epsilon: ε, keeps the division finite. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = self._epsilon_or_default(epsilon)

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=self.initial_accumulator_value
        )

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr = gradient, learning_rate
        a = self._accumulators[self._get_variable_index(variable)]
        a.assign_add(np.square(g))
        variable.assign_sub(lr * g / np.sqrt(a.value + self.epsilon))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }

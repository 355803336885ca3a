"""FTRL: follow the regularized leader, with L1 that makes weights exactly zero."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), made at Google for click-through prediction.

    Formula:  n' = n + g²                                   (accumulator of squared gradients)
    Formula:  σ = (n'^(−p) − n^(−p)) / η                    (p = learning_rate_power: p = −½
                                                             gives σ = (√n' − √n)/η)
    Formula:  z ← z + g + 2·λ₂ₛ·w − σ·w                     (linear: the gradients so far, minus
                                                             the pull back to where w was)
    Formula:  q = n'^(−p) / η + 2·(λ₂ + β/(2η))             (quadratic)
    Formula:  w ← (clip(z, −λ₁, λ₁) − z) / q                (0 wherever |z| ≤ λ₁)
    Formula:  n ← n'

    The weights are not moved step by step but solved for afresh each step from `z` and
    `n`: the minimiser of "all gradients so far + L1 + L2". The L1 term λ₁ sets a weight to
    exactly 0 until its accumulated evidence |z| exceeds λ₁, which gives sparse models
    over millions of features. λ₂ₛ (shrinkage) adds 2·λ₂ₛ·w to the gradient in `z` only.

    Args:
        learning_rate: η. Defaults to 0.001.
        learning_rate_power: p, must be ≤ 0 (0: a fixed learning rate). Defaults to -0.5.
        initial_accumulator_value: n at the start, ≥ 0. Defaults to 0.1.
        l1_regularization_strength: λ₁ ≥ 0. Defaults to 0.0.
        l2_regularization_strength: λ₂ ≥ 0 (stabilising). Defaults to 0.0.
        l2_shrinkage_regularization_strength: λ₂ₛ ≥ 0 (magnitude penalty). Defaults to 0.0.
        beta: β of the paper (adds β/(2η) to λ₂). Defaults to 0.0.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if learning_rate_power > 0.0:
            raise ValueError(
                "Ftrl: `learning_rate_power` needs to be negative or zero. "
                f"Received: learning_rate_power={learning_rate_power}"
            )
        non_negative = {
            "initial_accumulator_value": initial_accumulator_value,
            "l1_regularization_strength": l1_regularization_strength,
            "l2_regularization_strength": l2_regularization_strength,
            "l2_shrinkage_regularization_strength": l2_shrinkage_regularization_strength,
        }
        for arg, value in non_negative.items():
            if value < 0.0:
                raise ValueError(
                    f"Ftrl: `{arg}` needs to be positive or zero. Received: {arg}={value}"
                )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = [], []
        for variable in var_list:  # interleaved, Keras's order: w0's n, w0's z, w1's n, ...
            n0 = self.initial_accumulator_value
            self._accumulators.append(self.add_variable_from_reference(variable, "accumulator", n0))
            self._linears.append(self.add_variable_from_reference(variable, "linear"))

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        n, z, w = self._accumulators[i], self._linears[i], variable.value
        p = self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)

        n_new = n.value + np.square(g)
        sigma = (n_new ** (-p) - n.value ** (-p)) / lr
        z.assign_add(g + 2 * self.l2_shrinkage_regularization_strength * w - sigma * w)
        q = n_new ** (-p) / lr + 2 * l2
        variable.assign((np.clip(z.value, -l1, l1) - z.value) / q)
        n.assign(n_new)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }

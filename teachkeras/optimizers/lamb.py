"""Lamb: Adam's step, rescaled per weight tensor by a trust ratio ‖w‖ / ‖step‖."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Lamb(Optimizer):
    """Lamb (You et al., 2019): layer-wise adaptive moments, for very large batches.

    Formula:  t = iterations + 1
    Formula:  m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
    Formula:  r = (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)    (Adam's bias-corrected step)
    Formula:  φ = ‖w‖ / ‖r‖      (φ = 1 if either norm is 0)   (the trust ratio)
    Formula:  w ← w − η·φ·r

    Each weight tensor (a kernel, a bias) moves by η times its own size, ‖η·φ·r‖ = η·‖w‖,
    whatever the size of its gradients: no layer races ahead of the others, which keeps
    training stable when huge batches call for a large η. The paper adds λ·w to r; Keras
    (and this class) leaves weight decay to the base class's decoupled `weight_decay`.

    Args:
        learning_rate: η. Defaults to 0.001.
        beta_1: β₁, decay rate of the first moment. Defaults to 0.9.
        beta_2: β₂, decay rate of the second moment. Defaults to 0.999.
        epsilon: ε. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        beta_1, beta_2 = self.beta_1, self.beta_2  # Python floats: 1 − β is exact enough
        t = (self.iterations.value + 1).astype(variable.dtype)
        beta_1_power = np.asarray(beta_1, variable.dtype) ** t  # β₁ᵗ, in the variable's dtype
        beta_2_power = np.asarray(beta_2, variable.dtype) ** t

        m, v = self._momentums[i], self._velocities[i]
        m.assign_add((g - m.value) * (1 - beta_1))  # = β₁·m + (1 − β₁)·g, as in adam.py
        v.assign_add((np.square(g) - v.value) * (1 - beta_2))
        r = (m.value / (1 - beta_1_power)) / (np.sqrt(v.value / (1 - beta_2_power)) + self.epsilon)
        w_norm = np.sqrt(np.sum(np.square(variable.value)))  # ‖w‖
        r_norm = np.sqrt(np.sum(np.square(r)))  # ‖r‖
        phi = w_norm / r_norm if w_norm > 0 and r_norm > 0 else np.ones((), variable.dtype)
        variable.assign_sub(phi * lr * r)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }

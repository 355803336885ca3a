"""Adam: momentum (first moment) divided by an RMS (second moment), both bias-corrected."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014): adaptive moment estimation.

    Formula:  t = iterations + 1
    Formula:  m ← β₁·m + (1 − β₁)·g                  (mean of g: momentum)
    Formula:  v ← β₂·v + (1 − β₂)·g²                 (mean of g²: velocity)
    Formula:  α = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)           (bias correction, folded into η)
    Formula (amsgrad):  v̂ ← max(v̂, v), used in place of v
    Formula:  w ← w − α·m / (√v + ε)

    `m` and `v` start at zero, so early on they are too small; dividing by
    `1 − βᵗ` undoes that. This `ε` is the paper's "epsilon hat" (added after the bias
    correction of `v`), which is why Keras's default 1e-7 is not the paper's 1e-8.

    Args:
        learning_rate: η. Defaults to 0.001.
        beta_1: β₁, decay rate of the first moment. Defaults to 0.9.
        beta_2: β₂, decay rate of the second moment. Defaults to 0.999.
        epsilon: ε. Defaults to 1e-7.
        amsgrad: use the running maximum of `v` (Reddi et al., 2018). Defaults to False.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = self._epsilon_or_default(epsilon)
        self.amsgrad = amsgrad

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        beta_1, beta_2 = self.beta_1, self.beta_2  # Python floats: 1 − β is exact enough
        t = (self.iterations.value + 1).astype(variable.dtype)
        beta_1_power = np.asarray(beta_1, variable.dtype) ** t  # β₁ᵗ, in the variable's dtype
        beta_2_power = np.asarray(beta_2, variable.dtype) ** t
        alpha = lr * np.sqrt(1 - beta_2_power) / (1 - beta_1_power)

        m, v = self._momentums[i], self._velocities[i]
        # β·m + (1 − β)·g written as m + (1 − β)·(g − m): the same value, fewer passes over
        # the array, and the order of float32 operations Keras uses.
        m.assign_add((g - m.value) * (1 - beta_1))
        v.assign_add((np.square(g) - v.value) * (1 - beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[i]
            v_hat.assign(np.maximum(v_hat.value, v.value))
            v = v_hat
        variable.assign_sub(m.value * alpha / (np.sqrt(v.value) + self.epsilon))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }

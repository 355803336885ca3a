"""Nadam: Adam with Nesterov momentum and Dozat's momentum schedule."""

from __future__ import annotations

import numpy as np

from ..backend.config import floatx
from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Nadam(Optimizer):
    """Nadam (Dozat, 2015): Adam that looks ahead along its momentum, as Nesterov does.

    Formula:  t = iterations + 1
    Formula:  μ_t = β₁·(1 − ½·0.96ᵗ),   μ_{t+1} = β₁·(1 − ½·0.96ᵗ⁺¹)   (momentum schedule)
    Formula:  Π_t = Π_{t−1}·μ_t                  (`u_product`, one per optimizer, Π_0 = 1)
    Formula:  m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
    Formula:  m̂ = μ_{t+1}·m / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g / (1 − Π_t)
    Formula:  v̂ = v / (1 − β₂ᵗ)
    Formula:  w ← w − η·m̂ / (√v̂ + ε)

    `m̂` mixes the next step's momentum with this step's gradient: the "look ahead".
    The product Π_t is shared by all weights, so it is updated once per step, before
    the per-weight updates (and it is the last entry of `variables`).

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
        self.epsilon = self._epsilon_or_default(epsilon)

    def build(self, var_list) -> None:
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        self._u_product = self.add_variable((), initializer=1.0, dtype=dtype, name="u_product")

    def _momentum_cache(self, t: np.ndarray) -> np.ndarray:
        """μ_t = β₁·(1 − ½·0.96ᵗ), in t's dtype."""
        decay = np.asarray(0.96, t.dtype)
        return np.asarray(self.beta_1, t.dtype) * (1 - 0.5 * decay**t)

    def _update_step_all(self, grads, variables, learning_rate) -> None:
        u_product = self._u_product
        t = (self.iterations.value + 1).astype(u_product.dtype)
        u_product.assign(u_product.value * self._momentum_cache(t))  # Π_t = Π_{t−1}·μ_t
        super()._update_step_all(grads, variables, learning_rate)

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        dtype = variable.dtype
        beta_1, beta_2 = self.beta_1, self.beta_2  # Python floats: 1 − β is exact enough
        t = (self.iterations.value + 1).astype(dtype)
        u_t, u_next = self._momentum_cache(t), self._momentum_cache(t + 1)
        u_product = self._u_product.value.astype(dtype)  # Π_t (already updated this step)
        u_product_next = u_product * u_next

        m, v = self._momentums[i], self._velocities[i]
        m.assign(beta_1 * m.value + (1 - beta_1) * g)
        v.assign(beta_2 * v.value + (1 - beta_2) * np.square(g))
        m_hat = u_next * m.value / (1 - u_product_next) + (1 - u_t) * g / (1 - u_product)
        v_hat = v.value / (1 - np.asarray(beta_2, dtype) ** t)
        variable.assign_sub(lr * m_hat / (np.sqrt(v_hat) + self.epsilon))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }

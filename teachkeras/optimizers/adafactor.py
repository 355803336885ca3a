"""Adafactor: Adam's second moment stored as row and column means, without momentum."""

from __future__ import annotations

import numpy as np

from ..backend.variables import Variable
from ..legacy.renames import accepts_renamed
from .optimizer import KERAS2_OPTIMIZER, Optimizer


def _rms(x: np.ndarray) -> np.ndarray:
    """Root mean square: √mean(x²)."""
    return np.sqrt(np.mean(np.square(x)))


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018): adaptive steps in sublinear memory.

    Formula:  t = iterations + 1,   ρ = min(η, 1/√t),   β̂₂ = 1 − tᶜ     (c = beta_2_decay)
    Formula:  α = max(ε₂, RMS(w))·ρ                   (a relative step: scaled by w's own size)
    Formula:  G = g² + ε₁
    Formula (w of rank ≥ 2):  R ← β̂₂·R + (1 − β̂₂)·mean(G, last axis)     (row means)
                              C ← β̂₂·C + (1 − β̂₂)·mean(G, 2nd-last axis) (column means)
                              v = (R / mean(R)) ⊗ C                     (rank-1 estimate of G)
    Formula (w of rank < 2):  v ← β̂₂·v + (1 − β̂₂)·G                     (as Adam's v)
    Formula:  u = g / √v,   û = u / max(1, RMS(u)/d)  (d = clip_threshold: update clipping)
    Formula:  w ← w − α·û

    For an (n, m) kernel Adam keeps n·m numbers of v; Adafactor keeps n + m (R and C) and
    rebuilds v from them as an outer product. β̂₂ grows towards 1 as t grows, so the
    average forgets slower and slower; that replaces Adam's bias correction.
    (Keras 3 clamps η by 1/√t whatever `relative_step` says, so its value changes no
    number; it is kept for the config.)

    Keras's slots, in its order, per weight: R, C, v. A weight of rank < 2 needs no R and C
    but gets two placeholders (int32 zeros) in their place, so the state loads either way.

    Args:
        learning_rate: η. Defaults to 0.001.
        beta_2_decay: c, the exponent of the β̂₂ schedule. Defaults to -0.8.
        epsilon_1: ε₁, keeps G away from 0. Defaults to 1e-30.
        epsilon_2: ε₂, the smallest RMS(w) used for the step size. Defaults to 1e-3.
        clip_threshold: d. Defaults to 1.0.
        relative_step: kept for the config (see above). Defaults to True.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `weight_decay`, `name`, ...).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            if len(variable.shape) < 2:  # placeholders, named after the weight (Keras's)
                self._r.append(self.add_variable((), 0, dtype="int32", name=variable.name))
                self._c.append(self.add_variable((), 0, dtype="int32", name=variable.name))
            else:
                shape = variable.shape  # (..., n, m): R is (..., n), C is (..., m)
                dtype, name = variable.dtype, variable.name
                self._r.append(self.add_variable(shape[:-1], dtype=dtype, name=name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=dtype, name=name))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        g, lr, i = gradient, learning_rate, self._get_variable_index(variable)
        dtype = variable.dtype
        t = (self.iterations.value + 1).astype(dtype)
        rho = np.minimum(lr, 1 / np.sqrt(t))
        alpha = np.maximum(np.asarray(self.epsilon_2, dtype), _rms(variable.value)) * rho
        G = np.square(g) + np.asarray(self.epsilon_1, dtype)
        beta_2 = 1 - t ** np.asarray(self.beta_2_decay, dtype)  # β̂₂

        R, C, v = self._r[i], self._c[i], self._v[i]
        if variable.ndim >= 2:
            R.assign(beta_2 * R.value + (1 - beta_2) * np.mean(G, axis=-1))  # (..., n)
            C.assign(beta_2 * C.value + (1 - beta_2) * np.mean(G, axis=-2))  # (..., m)
            row_share = R.value / np.mean(R.value, axis=-1, keepdims=True)  # (..., n)
            v.assign(row_share[..., :, None] * C.value[..., None, :])  # (..., n, m)
        else:
            v.assign(beta_2 * v.value + (1 - beta_2) * G)
        u = g / np.sqrt(v.value)
        u_hat = u / np.maximum(np.ones((), dtype), _rms(u) / np.asarray(self.clip_threshold, dtype))
        variable.assign_sub(alpha * u_hat)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }

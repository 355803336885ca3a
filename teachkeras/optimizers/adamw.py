"""AdamW: Adam whose weight decay is decoupled from the gradient."""

from __future__ import annotations

from ..legacy.renames import accepts_renamed
from .adam import Adam
from .optimizer import KERAS2_OPTIMIZER


@accepts_renamed(KERAS2_OPTIMIZER)  # Keras 2: lr=, decay=
class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019): Adam plus decoupled weight decay λ.

    Formula:  w ← w − η·λ·w                          (decay first, apart from the gradient)
    Formula:  t = iterations + 1
    Formula:  m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
    Formula:  α = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
    Formula:  w ← w − α·m / (√v + ε)                 (Adam's step, `adam.py`)

    Adding λ·‖w‖²/2 to the loss would put λ·w into g, and Adam would then divide it by
    √v: weights with large gradients would hardly decay. AdamW shrinks every weight by the
    same fraction η·λ instead. The shrinking is the base class's `weight_decay` (every
    optimizer has it, `optimizer.py`); what makes AdamW is that λ is on by default and
    cannot be None. `exclude_from_weight_decay(var_names=["bias"])` spares some weights.

    Args:
        learning_rate: η. Defaults to 0.001.
        weight_decay: λ. Defaults to 0.004.
        beta_1: β₁. Defaults to 0.9.
        beta_2: β₂. Defaults to 0.999.
        epsilon: ε. Defaults to 1e-7.
        amsgrad: use the running maximum of `v`. Defaults to False.
        **kwargs: the base `Optimizer` arguments (`clipnorm`, `name`, ...).
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            name=name,
            weight_decay=weight_decay,
            **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError(
                "AdamW: `weight_decay` must be a float (it is what makes AdamW; without it, "
                "use Adam). Received: weight_decay=None"
            )

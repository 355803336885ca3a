"""The activations of Keras 3's `keras.ops` that are written from primitives.

relu, sigmoid, tanh, softplus, elu, erf and friends carry their own VJP (`nn_ops.py`,
`math_ops.py`); everything here is a line or two of them, so its gradient is theirs:

    relu6         min(relu(x), 6)
    selu          scale · elu(x, α)                     (α ≈ 1.6733, scale ≈ 1.0507)
    gelu          ½x (1 + erf(x / √2)),  or with tanh when `approximate`
    silu, swish   x · σ(x)
    hard_sigmoid  relu6(x + 3) / 6
    hard_silu     x · hard_sigmoid(x)
    softsign      x / (|x| + 1)
    log_sigmoid   -softplus(-x)

`teachkeras.activations` (what `Dense(activation="gelu")` looks up) calls these, with
Keras's activation defaults (there `gelu` is exact unless asked; here, as in
`keras.ops.gelu`, approximate by default).
"""

from __future__ import annotations

import math

from .math_ops import abs, add, divide, erf, minimum, multiply, negative, tanh
from .nn_ops import elu, relu, sigmoid, softplus
from .tensor import Tensor, as_tensor

# SELU's constants (Klambauer et al., 2017): they keep mean 0 and variance 1 from layer to layer.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def relu6(x) -> Tensor:
    """$f(x) = \\min(\\max(x, 0), 6)$."""
    return minimum(relu(x), 6.0)


def selu(x) -> Tensor:
    """$f(x) = s \\cdot \\mathrm{elu}(x, α)$, with SELU's α and s."""
    return multiply(SELU_SCALE, elu(x, alpha=SELU_ALPHA))


def gelu(x, approximate: bool = True) -> Tensor:
    """$f(x) = x Φ(x) = \\tfrac12 x (1 + \\mathrm{erf}(x/\\sqrt2))$.

    `approximate=True`: $\\tfrac12 x (1 + \\tanh(\\sqrt{2/π}(x + 0.044715 x^3)))$.
    """
    x = as_tensor(x)
    half_x = multiply(0.5, x)
    if approximate:
        cube = multiply(multiply(x, x), x)
        inner = multiply(math.sqrt(2.0 / math.pi), add(x, multiply(0.044715, cube)))
        return multiply(half_x, add(1.0, tanh(inner)))
    return multiply(half_x, add(1.0, erf(divide(x, math.sqrt(2.0)))))


def silu(x) -> Tensor:
    """$f(x) = x\\,σ(x)$ (also called swish)."""
    x = as_tensor(x)
    return multiply(x, sigmoid(x))


def hard_sigmoid(x) -> Tensor:
    """$f(x) = \\mathrm{relu6}(x + 3) / 6$: 0 below -3, 1 above 3, a line between."""
    return divide(relu6(add(x, 3.0)), 6.0)


def hard_silu(x) -> Tensor:
    """$f(x) = x \\cdot \\mathrm{hard\\_sigmoid}(x)$ (also called hard swish)."""
    x = as_tensor(x)
    return multiply(x, hard_sigmoid(x))


def softsign(x) -> Tensor:
    """$f(x) = x / (|x| + 1)$."""
    x = as_tensor(x)
    return divide(x, add(abs(x), 1.0))


def log_sigmoid(x) -> Tensor:
    """$f(x) = \\ln σ(x) = -\\mathrm{softplus}(-x)$, never the log of a rounded-off 0."""
    return negative(softplus(negative(x)))


# Keras's other names for the same ops.
swish = silu
hard_swish = hard_silu

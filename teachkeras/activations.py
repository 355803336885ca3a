"""Activation functions: the nonlinearity a layer applies after its weighted sum.

    Dense(64, activation="relu")     # the name is looked up here: activations.get("relu")

Every function is written with backend ops, so its gradient comes for free: only
the primitives (relu, sigmoid, tanh, softplus, elu, softmax, ...) in
`backend/nn_ops.py` and `backend/math_ops.py` carry a hand-written backward.
Each docstring gives the `Formula:` and the derivative in words, which is what
decides how well gradients flow through a deep stack of layers.

The formulas and defaults are those of Keras 3 (PyTorch backend). Keras 2's
`hard_sigmoid` was `clip(0.2 x + 0.5, 0, 1)`; Keras 3 changed it to the one below.
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable

import numpy as np

from . import ops
from .backend import config
from .backend.activation_ops import SELU_ALPHA as SELU_ALPHA  # SELU's constants, re-exported
from .backend.activation_ops import SELU_SCALE as SELU_SCALE
from .backend.tensor import Tensor
from .legacy.renames import accepts_renamed
from .serialization.registry import get_registered_object, resolve, unknown_name_message


def _float_tensor(x) -> Tensor:
    """`x` as a tensor with a float type (integer inputs become `floatx()`)."""
    x = ops.convert_to_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = ops.cast(x, config.floatx())
    return x


# --- the rectifier family -------------------------------------------------------------
@accepts_renamed({"alpha": "negative_slope"})  # Keras 2: relu(x, alpha=0.0, max_value=None, ...)
def relu(
    x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0
) -> Tensor:
    """Rectified linear unit, with Keras's optional slope, ceiling and threshold.

    Formula: relu(x) = max(x, 0); in general f(x) = min(x, max_value) for x > threshold,
             and negative_slope * (x - threshold) otherwise.
    Derivative: 1 where x is above the threshold (and below max_value), negative_slope
    below the threshold, 0 above max_value.

    Example:
        >>> relu([-10.0, -5.0, 0.0, 5.0, 10.0], negative_slope=0.5)   # [-5, -2.5, 0, 5, 10]
    """
    x = _float_tensor(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    # The same three steps as Keras: keep the part above the threshold, cap it, then
    # subtract the leak below the threshold.
    if threshold != 0:
        out = ops.where(x > threshold, x, 0.0)
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0.0, max_value)
    if negative_slope != 0.0:
        below = ops.relu(threshold - x)  # how far x is under the threshold (0 above it)
        out = out - negative_slope * below
    return out


def leaky_relu(x, negative_slope: float = 0.2) -> Tensor:
    """ReLU that leaks a little for negative inputs, so no unit is ever fully dead.

    Formula: f(x) = x if x > 0 else negative_slope * x
    Derivative: 1 for x > 0, negative_slope for x < 0.
    """
    return ops.leaky_relu(_float_tensor(x), negative_slope=negative_slope)


def relu6(x) -> Tensor:
    """ReLU capped at 6 (used by MobileNet, and inside hard_sigmoid).

    Formula: f(x) = min(max(x, 0), 6)
    Derivative: 1 for 0 < x < 6, else 0.
    """
    return ops.relu6(_float_tensor(x))


def elu(x, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: smooth for negative inputs, saturating at -alpha.

    Formula: f(x) = x if x > 0 else alpha * (exp(x) - 1)
    Derivative: 1 for x > 0, alpha * exp(x) (= f(x) + alpha) for x < 0.
    """
    return ops.elu(_float_tensor(x), alpha=alpha)


def selu(x) -> Tensor:
    """Scaled ELU: self-normalising when used with `lecun_normal` weights.

    Formula: f(x) = scale * elu(x, alpha), alpha ≈ 1.67326, scale ≈ 1.05070
    Derivative: scale for x > 0, scale * alpha * exp(x) for x < 0.
    """
    return ops.selu(_float_tensor(x))


def celu(x, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: its slope is 1 on both sides of 0.

    Formula: f(x) = x if x >= 0 else alpha * (exp(x / alpha) - 1)   (= alpha * elu(x / alpha))
    Derivative: 1 for x > 0, exp(x / alpha) for x < 0.
    """
    return alpha * ops.elu(_float_tensor(x) / alpha)


# --- the sigmoid family ---------------------------------------------------------------
def sigmoid(x) -> Tensor:
    """Logistic sigmoid: squashes any number into (0, 1), a probability.

    Formula: sigmoid(x) = 1 / (1 + exp(-x))
    Derivative: sigmoid(x) * (1 - sigmoid(x)); at most 1/4 (at 0), vanishing for large |x|.
    """
    return ops.sigmoid(_float_tensor(x))


def hard_sigmoid(x) -> Tensor:
    """Piecewise-linear sigmoid: cheap, exactly 0 below -3 and 1 above 3 (Keras 3).

    Formula: f(x) = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1)
    Derivative: 1/6 for -3 < x < 3, else 0.
    """
    return ops.hard_sigmoid(_float_tensor(x))


def log_sigmoid(x) -> Tensor:
    """Logarithm of the sigmoid, computed without ever taking log(0).

    Formula: f(x) = log(sigmoid(x)) = -softplus(-x)
    Derivative: 1 - sigmoid(x) = sigmoid(-x).
    """
    return ops.log_sigmoid(_float_tensor(x))


def sparse_sigmoid(x) -> Tensor:
    """Sigmoid made of three straight pieces, exactly 0 below -1 and 1 above 1.

    Formula: f(x) = clip((x + 1) / 2, 0, 1)
    Derivative: 1/2 for -1 < x < 1, else 0.
    """
    return ops.clip(0.5 * (_float_tensor(x) + 1.0), 0.0, 1.0)


def tanh(x) -> Tensor:
    """Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).

    Formula: tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))
    Derivative: 1 - tanh(x)^2; 1 at 0, vanishing for large |x|.
    """
    return ops.tanh(_float_tensor(x))


def hard_tanh(x) -> Tensor:
    """Tanh replaced by a clip to [-1, 1].

    Formula: f(x) = clip(x, -1, 1)
    Derivative: 1 for -1 < x < 1, else 0.
    """
    return ops.clip(_float_tensor(x), -1.0, 1.0)


def tanh_shrink(x) -> Tensor:
    """What tanh leaves over: near 0 it is tiny, far away it grows like x.

    Formula: f(x) = x - tanh(x)
    Derivative: tanh(x)^2.
    """
    x = _float_tensor(x)
    return x - ops.tanh(x)


# --- smooth rectifiers ----------------------------------------------------------------
def softplus(x) -> Tensor:
    """A smooth ReLU.

    Formula: f(x) = log(exp(x) + 1)
    Derivative: sigmoid(x).
    """
    return ops.softplus(_float_tensor(x))


def softsign(x) -> Tensor:
    """A sigmoid-shaped curve with polynomial (slower) saturation, range (-1, 1).

    Formula: f(x) = x / (|x| + 1)
    Derivative: 1 / (|x| + 1)^2.
    """
    return ops.softsign(_float_tensor(x))


def silu(x) -> Tensor:
    """Swish / SiLU: the input gated by its own sigmoid (smooth, dips slightly below 0).

    Formula: f(x) = x * sigmoid(x)
    Derivative: sigmoid(x) * (1 + x * (1 - sigmoid(x))).
    """
    return ops.silu(_float_tensor(x))


swish = silu


def hard_silu(x) -> Tensor:
    """Hard swish: swish with the piecewise-linear hard_sigmoid as its gate.

    Formula: f(x) = x * relu6(x + 3) / 6   (0 below -3, x above 3)
    Derivative: (2x + 3) / 6 for -3 < x < 3, 0 below, 1 above.
    """
    return ops.hard_silu(_float_tensor(x))


hard_swish = hard_silu


def gelu(x, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit: x weighted by the chance a standard normal is below x.

    Formula: f(x) = x * Φ(x) = 0.5 x (1 + erf(x / √2));
             approximate=True: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
    Derivative: Φ(x) + x φ(x), with φ the standard normal density.
    """
    return ops.gelu(_float_tensor(x), approximate=approximate)


def mish(x) -> Tensor:
    """Mish: a smooth, non-monotonic rectifier.

    Formula: f(x) = x * tanh(softplus(x))
    Derivative: tanh(sp) + x * sigmoid(x) * (1 - tanh(sp)^2), with sp = softplus(x).
    """
    x = _float_tensor(x)
    return x * ops.tanh(ops.softplus(x))


def squareplus(x, b: float = 4) -> Tensor:
    """A softplus built from a square root instead of exp and log.

    Formula: f(x) = (x + sqrt(x² + b)) / 2
    Derivative: (1 + x / sqrt(x² + b)) / 2.
    """
    x = _float_tensor(x)
    return (x + ops.sqrt(ops.square(x) + float(b))) / 2.0


def sparse_plus(x) -> Tensor:
    """Softplus made of a parabola between two straight pieces.

    Formula: f(x) = 0 for x <= -1, (x + 1)² / 4 for -1 < x < 1, x for x >= 1
    Derivative: 0, (x + 1) / 2, 1 on the three pieces.
    """
    x = _float_tensor(x)
    middle = ops.where(x < 1.0, 0.25 * ops.square(x + 1.0), x)
    return ops.where(x <= -1.0, 0.0, middle)


# --- shrinkage and thresholds ---------------------------------------------------------
def soft_shrink(x, threshold: float = 0.5) -> Tensor:
    """Move every value `threshold` towards 0, and set those that would cross 0 to 0.

    Formula: f(x) = x - t for x > t, x + t for x < -t, else 0
    Derivative: 1 for |x| > t, else 0.
    """
    x = _float_tensor(x)
    outside = ops.where(x > threshold, x - threshold, x + threshold)
    return ops.where(ops.abs(x) > threshold, outside, 0.0)


def hard_shrink(x, threshold: float = 0.5) -> Tensor:
    """Keep values whose size exceeds `threshold`, zero the rest.

    Formula: f(x) = x if |x| > t else 0
    Derivative: 1 for |x| > t, else 0.
    """
    x = _float_tensor(x)
    return ops.where(ops.abs(x) > threshold, x, 0.0)


def threshold(x, threshold: float, default_value: float) -> Tensor:
    """Keep x above `threshold`, replace everything else by `default_value`.

    Formula: f(x) = x if x > threshold else default_value
    Derivative: 1 above the threshold, 0 below.
    """
    x = _float_tensor(x)
    return ops.where(x > threshold, x, float(default_value))


# --- functions of a whole axis --------------------------------------------------------
def _warn_if_size_one(x: Tensor, axis) -> None:
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {x.shape}. "
            "This axis has size 1. The softmax operation will always return the value 1, "
            "which is likely not what you intended. Did you mean to use a sigmoid instead?",
            stacklevel=3,
        )


def softmax(x, axis: int | tuple[int, ...] | None = -1) -> Tensor:
    """Turn scores (logits) into probabilities that sum to 1 along `axis`.

    Formula: softmax(x)_i = exp(x_i) / Σ_j exp(x_j)
    Derivative: ∂s_i/∂x_j = s_i (δ_ij - s_j): raising one score takes probability from all others.

    Works on any rank, a 1-D vector included (Keras 2 refused 1-D input; Keras 3 does not).
    `axis` may be a tuple of axes, or None for all of them.
    """
    x = _float_tensor(x)
    _warn_if_size_one(x, axis)
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis: int | tuple[int, ...] | None = -1) -> Tensor:
    """Logarithm of the softmax, computed stably (never log of a rounded-off 0).

    Formula: f(x)_i = x_i - log Σ_j exp(x_j)
    Derivative: ∂f_i/∂x_j = δ_ij - softmax(x)_j.
    """
    return ops.log_softmax(_float_tensor(x), axis=axis)


def glu(x, axis: int = -1) -> Tensor:
    """Gated linear unit: split `axis` into halves a, b and let b gate a.

    Formula: glu(x) = a * sigmoid(b), where x = [a, b] along `axis`
    Derivative: sigmoid(b) with respect to a; a * sigmoid(b) * (1 - sigmoid(b)) to b.
    """
    x = _float_tensor(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(
            f"glu splits axis {axis} into two equal halves, so its size must be even. "
            f"Received: x.shape={x.shape}"
        )
    axis = axis % x.ndim
    before = (slice(None),) * axis
    a = x[(*before, slice(0, size // 2))]
    b = x[(*before, slice(size // 2, size))]
    return a * ops.sigmoid(b)


def sparsemax(x, axis: int = -1) -> Tensor:
    """Like softmax, but the probabilities of low scores become exactly 0.

    Formula: f(x)_i = max(x_i - τ, 0), with τ chosen so that Σ_i f(x)_i = 1
             (τ = (Σ_{i∈S} x_i - 1) / |S| over the support S of the largest scores)
    Derivative: ∂f_i/∂x_j = δ_ij - 1/|S| for i, j in S, and 0 outside S.
    (Martins & Astudillo, 2016.)
    """
    x = _float_tensor(x)
    z = x.data
    # Find the support with NumPy (it does not change under a small nudge of x) ...
    z_sorted = -np.sort(-z, axis=axis)  # descending
    cumsum = np.cumsum(z_sorted, axis=axis)
    rank_shape = [1] * z.ndim
    rank_shape[axis] = -1
    rank = np.arange(1, z.shape[axis] + 1, dtype=z.dtype).reshape(rank_shape)
    size = np.sum(z_sorted - (cumsum - 1) / rank > 0, axis=axis, keepdims=True)
    tau_value = (np.take_along_axis(cumsum, size - 1, axis=axis) - 1) / size
    support = (z > tau_value).astype(z.dtype)
    # ... then compute τ with backend ops, so the gradient flows through it.
    tau = (ops.sum(x * support, axis=axis, keepdims=True) - 1.0) / size.astype(z.dtype)
    return ops.maximum(x - tau, 0.0)


# --- simple ones ------------------------------------------------------------------------
def exponential(x) -> Tensor:
    """Formula: f(x) = exp(x).  Derivative: exp(x) itself."""
    return ops.exp(_float_tensor(x))


def linear(x):
    """The identity: returns `x` unchanged (what `activation=None` means).

    Formula: f(x) = x.  Derivative: 1.
    """
    return x


# --- looking activations up by name -------------------------------------------------------
ALL_OBJECTS: dict[str, Callable] = {
    fn.__name__: fn
    for fn in (
        relu, leaky_relu, relu6, elu, selu, celu,
        sigmoid, hard_sigmoid, log_sigmoid, sparse_sigmoid, tanh, hard_tanh, tanh_shrink,
        softplus, softsign, silu, hard_silu, gelu, mish, squareplus, sparse_plus,
        soft_shrink, hard_shrink, threshold, softmax, log_softmax, glu, sparsemax,
        exponential, linear,
    )
}  # fmt: skip
ALL_OBJECTS["swish"] = silu
ALL_OBJECTS["hard_swish"] = hard_silu


def get(identifier) -> Callable:
    """The activation function `identifier` stands for.

    Accepts None (-> `linear`), a name (`'relu'`, `'swish'`), a Keras config dict
    (`{'class_name': 'function', 'config': 'relu', ...}`), or any callable (a function of
    your own, or a layer such as `ReLU()`), which is returned unchanged.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str | dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. "
        "Pass a name such as 'relu', a function, or None."
    )


def serialize(activation) -> str | dict:
    """The name Keras stores for an activation (`relu` -> `'relu'`).

    A function of your own must be registered (`@register_keras_serializable()`) so that
    a saved model can find it again; an object with `get_config` is stored as a config dict.
    """
    if (
        isinstance(activation, types.FunctionType)
        and ALL_OBJECTS.get(activation.__name__) is activation
    ):
        return activation.__name__
    registered = getattr(activation, "_registered_name", None)
    if registered is not None and isinstance(activation, types.FunctionType):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": registered,
            "registered_name": "function",
        }
    if hasattr(activation, "get_config"):
        from .serialization.keras_objects import serialize_keras_object

        return serialize_keras_object(activation)
    raise ValueError(
        f"Unknown activation function {activation!r} cannot be serialized: it is not one of "
        "teachkeras.activations. Register your own function with "
        "@teachkeras.saving.register_keras_serializable() (lambdas cannot be saved)."
    )


def deserialize(config, custom_objects: dict | None = None) -> Callable:
    """The activation function stored as `config` (a name or a Keras config dict)."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config["config"]  # Keras 3 stores functions as {'class_name': 'function', ...}
    if isinstance(config, str):
        found = get_registered_object(config, custom_objects, ALL_OBJECTS)
        if found is None:
            raise ValueError(unknown_name_message(config, ALL_OBJECTS, "activation function"))
        return found
    return resolve(config, ALL_OBJECTS, "activation function", custom_objects, instantiate=True)

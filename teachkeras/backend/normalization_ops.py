"""Batch normalization: one fused op for training, the inference form and `moments` from primitives.

In training, each channel is normalised with the statistics of the batch it sits in:

    μ = mean(x),  σ² = mean((x - μ)²)           over every axis but the channel axis
    x̂ = (x - μ) / √(σ² + ε)
    y = γ x̂ + β

Written with primitives, this would record a dozen ops and keep as many arrays for the
backward pass. The fused `batch_normalization_train` keeps only x̂ and 1/σ, and its
backward is the three closed-form lines derived in its docstring.

At inference the statistics are constants (the layer's moving averages), so
`batch_normalization` is an affine map, and is simply written with primitives.

Layer normalization is the same computation turned around: the statistics run over
each sample's own features (the `axis` of `LayerNormalization`), not over the batch,
so training and inference are one formula. `layer_normalization` is fused as well,
with the backward derived in its docstring.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import reduction_ops
from .array_ops import reshape
from .config import epsilon as default_epsilon
from .config import floatx
from .math_ops import add, cast, divide, multiply, rsqrt, sqrt, subtract
from .tensor import Tensor, as_tensor, record


def batch_normalization_train(
    x, gamma=None, beta=None, axes=(0,), epsilon: float = 1e-3
) -> tuple[Tensor, Tensor, Tensor]:
    """Normalise `x` with its own batch statistics: $y = \\gamma \\hat{x} + \\beta$.

    Formula:
        μ = mean(x, axes),  σ² = mean((x - μ)², axes)     (biased: divides by N)
        x̂ = (x - μ) / √(σ² + ε),  y = γ x̂ + β

    Backward. N is the number of values averaged per channel, g = ∂L/∂y and
    s = 1/√(σ² + ε), every Σ running over `axes`. The parameters are easy:

        ∂L/∂β = Σ g          ∂L/∂γ = Σ g·x̂

    For x, three paths lead from x_i to the loss: directly through x̂_i, through μ
    and through σ². With ∂L/∂x̂ = γg, ∂x̂_i/∂x_i = s, ∂μ/∂x_i = 1/N, ∂σ²/∂x_i = 2(x_i - μ)/N:

        ∂L/∂σ² = Σ γg·(x - μ)·(-½)s³       = -½ γ s² Σ g·x̂
        ∂L/∂μ  = Σ γg·(-s)  (+ a term ∝ Σ(x - μ) = 0)
        ∂L/∂x_i = γg_i s + ∂L/∂μ / N + ∂L/∂σ² · 2(x_i - μ)/N

    which collects into the line the code uses (σ standing for √(σ² + ε) = 1/s):

        dx = (1/N) · γ/σ · (N·g − Σg − x̂·Σ(g·x̂))

    The variance is computed in two passes, mean((x - μ)²). Keras 3's PyTorch backend
    uses E[x²] - E[x]², the same number up to float32 rounding; the two-pass form
    is the definition, and can never come out negative.

    Args:
        x: the input, any rank.
        gamma, beta: scale and offset, shaped like `x` without `axes`
            (`(channels,)` usually), or None for 1 and 0.
        axes: the axes to average over: all but the channel axis, e.g. `(0, 1, 2)` for
            channels_last images, `(0, 2, 3)` for channels_first.
        epsilon: added to σ² so that a constant channel does not divide by zero.

    Returns:
        `(y, mean, variance)`: the output (differentiable with respect to x, gamma and
        beta) and the batch statistics, shaped like gamma, as constants (the layer
        only reads them to update its moving averages).

    Example:
        >>> y, mean, var = batch_normalization_train(x, gamma, beta, axes=(0, 1, 2))
    """
    x = as_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):  # integer images, say: statistics need floats
        x = cast(x, floatx())
    gamma = None if gamma is None else as_tensor(gamma)
    beta = None if beta is None else as_tensor(beta)
    axes = _axes_tuple(axes, x.ndim)
    stat_shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))  # (1, 1, 1, c)
    param_shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)  # (c,)
    n = int(np.prod([x.shape[a] for a in axes]))
    dtype = x.dtype

    # The statistics: sums divided by N (NumPy's sum is faster than its mean over
    # several axes); x̂ is built in place in the centred copy, to spare a pass.
    xv = x.data
    mean = (xv.sum(axis=axes, keepdims=True) / n).astype(dtype, copy=False)  # (1, 1, 1, c)
    x_hat = xv - mean  # x - μ, for now
    variance = (np.square(x_hat).sum(axis=axes, keepdims=True) / n).astype(dtype, copy=False)
    inv_std = (1 / np.sqrt(variance + epsilon)).astype(dtype, copy=False)  # s = 1/√(σ² + ε)
    x_hat *= inv_std  # x̂ = (x - μ)·s: with s, all the backward needs

    parents, vjps = [x], []
    scale = _param_value(gamma, stat_shape, dtype, default=1)
    offset = _param_value(beta, stat_shape, dtype, default=0)
    out = (x_hat * scale).astype(dtype, copy=False)
    out += offset  # y = γ x̂ + β

    # Σg and Σg·x̂ are ∂L/∂β and ∂L/∂γ, and dx needs both: compute them once per g.
    cached: dict = {}

    def channel_sums(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if cached.get("g") is not g:
            cached["g"] = g
            cached["sums"] = (
                g.sum(axis=axes, keepdims=True),  # Σg       (1, 1, 1, c)
                (g * x_hat).sum(axis=axes, keepdims=True),  # Σg·x̂     (1, 1, 1, c)
            )
        return cached["sums"]

    def vjp_x(g: np.ndarray) -> np.ndarray:
        # dx = γs/N · (N·g − Σg − x̂·Σ(g·x̂)), distributed so that the per-channel
        # factors are computed once and only two products run over the whole batch.
        sum_g, sum_g_xhat = channel_sums(g)
        a = scale * inv_std  # γs, per channel
        dx = a * g
        dx -= a * sum_g / n
        dx -= x_hat * (a * sum_g_xhat / n)
        return dx

    vjps.append(vjp_x)
    if gamma is not None:
        parents.append(gamma)
        vjps.append(lambda g: channel_sums(g)[1].reshape(param_shape))
    if beta is not None:
        parents.append(beta)
        vjps.append(lambda g: channel_sums(g)[0].reshape(param_shape))

    y = record(out, parents, vjps)
    return y, Tensor(mean.reshape(param_shape)), Tensor(variance.reshape(param_shape))


def batch_normalization(
    x, mean, variance, axis, offset=None, scale=None, epsilon: float = 1e-3
) -> Tensor:
    """Normalise `x` with given statistics (inference): $y = \\gamma (x - μ)/\\sqrt{σ^2 + ε} + β$.

    The same signature as `keras.ops.batch_normalization`. Built from primitives
    (subtract, divide, sqrt, multiply, add), so its gradient needs no code of its own.

    Args:
        x: the input.
        mean, variance: per-channel statistics, shape `(channels,)`.
        axis: the channel axis (or a list of axes) that `mean` and `variance` run along.
        offset, scale: β and γ, or None.
        epsilon: added to the variance.
    """
    x = as_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = cast(x, floatx())
    kept = _axes_tuple(axis, x.ndim)
    stat_shape = tuple(n if i in kept else 1 for i, n in enumerate(x.shape))  # (1, 1, 1, c)

    def broadcastable(value) -> Tensor:
        value = as_tensor(value, x.dtype)
        return value if value.ndim == 0 else reshape(value, stat_shape)  # a scalar: every channel

    multiplier = divide(1, sqrt(add(broadcastable(variance), epsilon)))  # 1/√(σ² + ε)
    if scale is not None:
        multiplier = multiply(multiplier, broadcastable(scale))
    out = multiply(subtract(x, broadcastable(mean)), multiplier)
    if offset is not None:
        out = add(out, broadcastable(offset))
    return out


def layer_normalization(
    x, gamma=None, beta=None, axis=-1, epsilon: float | None = None, **kwargs
) -> Tensor:
    """Normalise each sample over `axis`: $y = \\gamma \\hat{x} + \\beta$ (fused, Keras 3's op).

    Formula (Ba et al., 2016), the statistics of each sample over the axes in `axis`:
        μ = mean(x, axis),  σ² = mean((x - μ)², axis)     (biased: divides by N)
        x̂ = (x - μ) / √(σ² + ε),  y = γ x̂ + β

    γ and β have the shape of the normalised axes (`(features,)` for the default
    `axis=-1`), so unlike batch normalization they vary *along* the axes the
    statistics run over, and are shared by every sample.

    Backward. N values per sample, s = 1/√(σ² + ε), g = ∂L/∂y, every Σ and every
    mean ⟨·⟩ over `axis` (within one sample). The parameters sum over the samples:

        ∂L/∂β = Σ_samples g          ∂L/∂γ = Σ_samples g·x̂

    For x, the gradient reaching x̂ is ĝ = γg. As in batch normalization, x_i reaches
    the loss through x̂_i, through μ and through σ² (∂x̂_i/∂x_i = s, ∂μ/∂x_i = 1/N,
    ∂σ²/∂x_i = 2(x_i - μ)/N, and ∂x̂_j/∂σ² = -½ (x_j - μ) s³):

        ∂L/∂x_i = s ĝ_i - (s/N) Σ_j ĝ_j - (s/N) x̂_i Σ_j ĝ_j x̂_j
                = s · (ĝ_i - ⟨ĝ⟩ - x̂_i ⟨ĝ·x̂⟩)

    (γ stays inside the sums here: it varies along them, unlike batch norm's γ.)

    The variance is computed in two passes, mean((x - μ)²), which is what PyTorch's
    `layer_norm` (Keras 3's torch backend, for the usual trailing axes) computes too.

    Args:
        x: the input, any rank.
        gamma, beta: scale and offset, shaped like the normalised axes, or None.
        axis: the axis, or list of axes, to normalise over (default: the last).
        epsilon: added to σ² (default `keras.config.epsilon()`, 1e-7; the layer's own
            default is 1e-3).
        rms_scaling: deprecated in Keras 3 (and warned about, as Keras does): y = γ·x/√(σ² + ε),
            x divided by its standard deviation without being centred, no β.

    Example:
        >>> y = layer_normalization(x, gamma, beta, axis=-1, epsilon=1e-3)   # x: (batch, steps, features)
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments: {sorted(kwargs)}")
    x = as_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = cast(x, floatx())
    eps = default_epsilon() if epsilon is None else float(epsilon)
    axes = _axes_tuple(axis, x.ndim)
    stat_shape = tuple(n if i in axes else 1 for i, n in enumerate(x.shape))  # (1, 1, features)
    gamma = None if gamma is None else as_tensor(gamma, x.dtype)
    beta = None if beta is None else as_tensor(beta, x.dtype)
    if rms_scaling:
        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly "
            "scales the input by the variance, not the root mean square. To correctly use RMS "
            "Normalization, please use `keras.ops.rms_normalization` instead.",
            stacklevel=2,
        )
        return _variance_scaling(x, gamma, axes, stat_shape, eps)

    # One row per sample, its N normalised values along the row: (rows, N). For the usual
    # trailing axes this is a free reshape; other axes are moved to the end first.
    samples = tuple(i for i in range(x.ndim) if i not in axes)  # the axes γ and β are shared over
    order = samples + axes
    moved = x.data.transpose(order)  # (batch, steps, features) for axis=-1: x itself
    n = int(np.prod([x.shape[a] for a in axes]))
    dtype = x.dtype
    x2 = moved.reshape(-1, n)  # (rows, N)
    ones = np.ones(n, dtype)  # x2 @ ones sums each row with one matrix-vector product (BLAS)
    mean = x2 @ ones / n  # μ per row (rows,)
    x_hat = x2 - mean[:, None]  # x - μ, for now
    variance = np.einsum("ij,ij->i", x_hat, x_hat) / n  # σ² = mean((x - μ)²), one pass
    inv_std = (1 / np.sqrt(variance + eps)).astype(dtype, copy=False)  # s (rows,)
    x_hat *= inv_std[:, None]  # x̂ = (x - μ)·s
    scale = np.ones(n, dtype) if gamma is None else gamma.data.reshape(n)  # γ along the row
    out = x_hat * scale
    if beta is not None:
        out += beta.data.reshape(n)  # y = γ x̂ + β

    def rows(g: np.ndarray) -> np.ndarray:  # g laid out as x was: (rows, N)
        return g.transpose(order).reshape(-1, n)

    def back(dx2: np.ndarray) -> np.ndarray:  # (rows, N) -> x's own layout
        return dx2.reshape(moved.shape).transpose(np.argsort(order))

    def vjp_x(g: np.ndarray) -> np.ndarray:
        # dx = s · (ĝ - ⟨ĝ⟩ - x̂·⟨ĝ·x̂⟩), ĝ = γg, the means along each row
        g_hat = rows(g) * scale  # (rows, N)
        mean_g = g_hat @ ones / n  # ⟨ĝ⟩ (rows,)
        mean_gx = np.einsum("ij,ij->i", g_hat, x_hat) / n  # ⟨ĝ·x̂⟩ (rows,)
        dx = g_hat
        dx -= mean_g[:, None]
        dx -= x_hat * mean_gx[:, None]
        dx *= inv_std[:, None]
        return back(dx)

    parents, vjps = [x], [vjp_x]
    if gamma is not None:
        parents.append(gamma)
        vjps.append(lambda g: np.einsum("ij,ij->j", rows(g), x_hat).reshape(gamma.shape))  # Σ g·x̂
    if beta is not None:
        parents.append(beta)
        vjps.append(lambda g: (np.ones(len(x_hat), dtype) @ rows(g)).reshape(beta.shape))  # Σ g
    return record(back(out), parents, vjps)


def _variance_scaling(x: Tensor, gamma, axes, stat_shape, eps: float) -> Tensor:
    """Keras 3's deprecated `rms_scaling=True`: $y = γ · x / \\sqrt{σ^2 + ε}$, from primitives."""
    variance = reduction_ops.var(x, axis=axes, keepdims=True)
    out = multiply(x, rsqrt(add(variance, eps)))
    if gamma is not None:
        out = multiply(out, reshape(gamma, stat_shape))
    return out


def moments(x, axes, keepdims: bool = False, synchronized: bool = False) -> tuple[Tensor, Tensor]:
    """The mean and the (biased) variance of `x` over `axes` (written from primitives).

    Formula: $μ = \\mathrm{mean}(x)$, $σ^2 = \\mathrm{mean}((x - μ)^2)$ over `axes`. The variance
    is computed in two passes (Keras 3 uses E[x²] - E[x]², equal up to float rounding).
    `synchronized` (averaging across devices) changes nothing here: there is one device.
    """
    mean = reduction_ops.mean(x, axis=axes, keepdims=keepdims)
    return mean, reduction_ops.var(x, axis=axes, keepdims=keepdims)


def _axes_tuple(axes, ndim: int) -> tuple[int, ...]:
    """Axes as sorted non-negative ints; a clear error for one outside the rank."""
    axes = list(axes) if isinstance(axes, list | tuple) else [axes]
    for a in axes:
        if not -ndim <= int(a) < ndim:
            raise ValueError(
                f"Axis {a} is out of bounds for an input of rank {ndim}: "
                f"use an axis in [{-ndim}, {ndim - 1}]."
            )
    return tuple(sorted({int(a) % ndim for a in axes}))


def _param_value(param, stat_shape: tuple[int, ...], dtype, default: float) -> np.ndarray:
    """γ or β as an array that broadcasts against x (a scalar `default` when absent)."""
    if param is None:
        return np.asarray(default, dtype=dtype)
    return np.asarray(param.data, dtype=dtype).reshape(stat_shape)

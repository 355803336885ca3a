"""Neural-network ops: activations, softmax, dropout, attention and the cross-entropies.

The activations here are primitives (one NumPy expression forward, one backward);
`teachkeras.activations` builds the rest (selu, swish, gelu, ...) from them.
`dot_product_attention` is written from primitives (matmul, softmax), so its gradient
is theirs. The cross-entropies follow Keras 3's formulas exactly (its PyTorch backend):
probabilities are renormalised, clipped to [ε, 1 - ε], then logged.
"""

from __future__ import annotations

import math

import numpy as np

from . import config
from .linalg_ops import norm
from .math_ops import (
    as_floating,
    clip,
    divide,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    rsqrt,
    square,
    subtract,
)
from .reduction_ops import sum
from .tensor import Tensor, as_array, as_tensor, record


def relu(x) -> Tensor:
    """$f(x) = \\max(x, 0)$.  VJP: $g$ where $x > 0$, else 0."""
    x = as_tensor(x)
    positive = x.data > 0
    out = np.maximum(x.data, 0)  # not np.where: a NaN must stay NaN, as in Keras
    return record(out, (x,), (lambda g: g * positive,))


def leaky_relu(x, negative_slope: float = 0.2) -> Tensor:
    """$f(x) = x$ if $x > 0$ else $\\alpha x$.  VJP: $g$ or $\\alpha g$."""
    x = as_tensor(x)
    slope = np.where(x.data > 0, 1, negative_slope).astype(x.dtype)
    return record(x.data * slope, (x,), (lambda g: g * slope,))


def elu(x, alpha: float = 1.0) -> Tensor:
    """$f(x) = x$ if $x > 0$ else $\\alpha(e^x - 1)$.  VJP: $g$ or $g\\,\\alpha e^x$."""
    x = as_tensor(x)
    xv = x.data
    positive = xv > 0
    expm1 = np.expm1(np.minimum(xv, 0))  # minimum: no overflow warnings for large x
    out = np.where(positive, xv, alpha * expm1).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * np.where(positive, 1, alpha * (expm1 + 1)),))


def sigmoid(x) -> Tensor:
    """$\\sigma(x) = 1 / (1 + e^{-x})$.  VJP: $g\\,\\sigma(x)(1 - \\sigma(x))$."""
    x = as_tensor(x)
    xv = x.data
    # Two branches so that e^{-x} never overflows: for x < 0 use e^x / (1 + e^x).
    z = np.exp(-np.abs(xv))
    out = np.where(xv >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * out * (1 - out),))


def softplus(x) -> Tensor:
    """$f(x) = \\ln(1 + e^x)$.  VJP: $g\\,\\sigma(x)$."""
    x = as_tensor(x)
    xv = x.data
    out = np.logaddexp(0, xv).astype(x.dtype, copy=False)
    return record(out, (x,), (lambda g: g * np.exp(xv - out),))


def softmax(x, axis: int = -1) -> Tensor:
    """$s_i = e^{x_i} / \\sum_j e^{x_j}$.  VJP: $s \\odot (g - \\sum_j g_j s_j)$.

    The Jacobian is $\\mathrm{diag}(s) - s s^T$; multiplying it by $g$ gives the
    formula above without ever building the matrix.

    Softmax does not change when a constant is subtracted from a row, so each row's
    maximum is subtracted first: then e^x cannot overflow. (The fused attention op,
    `dot_product_attention`, skips that shift where it is not needed, for speed.)
    """
    x = as_tensor(x)
    if not np.issubdtype(x.dtype, np.floating):  # integers have no gradient: a plain cast
        x = as_tensor(x.data.astype(config.floatx()))
    if isinstance(axis, list | tuple) and len(axis) == 1:  # Softmax(axis=(3,)), as in attention
        axis = axis[0]
    e = np.exp(x.data - np.max(x.data, axis=axis, keepdims=True))  # ≤ 1: no overflow
    s = e / np.sum(e, axis=axis, keepdims=True)
    return record(s, (x,), (lambda g: s * (g - np.sum(g * s, axis=axis, keepdims=True)),))


def _softmax_last_axis(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Softmax along the last axis, shifting by the row maximum only where it is needed
    (into `out`, when given)."""
    with np.errstate(over="ignore", under="ignore"):  # the rows where it happens are redone
        e = np.exp(x, out=out)
    sums = e @ np.ones(x.shape[-1], x.dtype)  # one matrix-vector product sums every row
    redo = ~((sums > 1e-30) & (sums < 1e30))  # overflowed, vanished (or NaN) rows: rare
    if np.any(redo):
        rows = x[redo]  # (rows to redo, n)
        e[redo] = np.exp(rows - rows.max(axis=-1, keepdims=True))
        sums[redo] = e[redo].sum(axis=-1)
    e /= sums[..., None]
    return e


def log_softmax(x, axis: int = -1) -> Tensor:
    """$f_i = x_i - \\ln \\sum_j e^{x_j}$.  VJP: $g - \\mathrm{softmax}(x) \\sum_j g_j$."""
    x = as_tensor(x)
    shifted = x.data - np.max(x.data, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    s = np.exp(out)
    return record(out, (x,), (lambda g: g - s * np.sum(g, axis=axis, keepdims=True),))


def dropout(x, rate: float, noise_shape=None, seed=None) -> Tensor:
    """Zero each value with probability `rate`, scale the rest by $1 / (1 - rate)$.

    The scaling keeps the expected sum unchanged, so nothing needs rescaling at
    inference time (when dropout is simply off). VJP: $g$ times the same mask.
    """
    from .random import make_generator

    x = as_tensor(x)
    if not 0 <= rate < 1:
        raise ValueError(
            f"dropout rate must be in [0, 1): the fraction of values to zero. Received: rate={rate}"
        )
    if rate == 0:
        return x
    shape = x.shape if noise_shape is None else _resolve_noise_shape(noise_shape, x.shape)
    keep = make_generator(seed).random(shape) >= rate
    mask = (keep / (1 - rate)).astype(x.dtype)
    return record(x.data * mask, (x,), (lambda g: g * mask,))


# What a masked score becomes: Keras 3's PyTorch backend adds -0.7 × (the largest
# float32), a finite stand-in for -∞ (e^score is exactly 0, and no inf - inf = NaN).
MASKED_SCORE = -0.7 * 3.38953e38


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal: bool = False,
    flash_attention=None,
    attn_logits_soft_cap=None,
) -> Tensor:
    """Scaled dot-product attention: $\\mathrm{softmax}(Q K^\\top \\cdot s + \\mathrm{mask})\\, V$ (fused).

    Formula, for each batch entry and head, with Q (T, H), K (S, H), V (S, H_v):

        scores  = Q Kᵀ · s          (T, S): how well each of the T queries matches each of
                                    the S keys; s = 1/√H unless `scale` says otherwise
        scores += bias              where `mask` is False: -0.7 × 3.4e38 (Keras's stand-in
                                    for -∞), so that key gets weight e^(-huge) = 0
        W       = softmax(scores)   along the keys: each query's weights sum to 1
        output  = W V               (T, H_v): each query's weighted average of the values

    The 1/√H keeps the scores' spread independent of H (a dot product of H random
    terms grows like √H), so the softmax does not saturate. A query row whose keys are
    all masked has scores all equal to the stand-in: it gets the plain average of the
    values, as in Keras 3 (its torch backend).

    Backward, with G = ∂L/∂output (T, H_v) and the scores' gradient written dS:

        ∂L/∂V = Wᵀ G                    (matmul's VJP)
        ∂L/∂W = G Vᵀ
        dS    = W ⊙ (∂L/∂W - rowsum(∂L/∂W ⊙ W))       (softmax's VJP, row by row)
                where rowsum(∂L/∂W ⊙ W)_t = Σ_s (G Vᵀ)_ts W_ts = G_t · (W V)_t = G_t · output_t,
                a sum over the H_v values of an output row rather than the S weights
        ∂L/∂Q = s · dS K                ∂L/∂K = s · dSᵀ Q       ∂L/∂bias = dS

    A key/value head shared by r query heads (grouped-query attention) sums the r
    gradients it receives.

    Why fused. Written with `matmul` and `softmax`, this is the same math, but the
    arrays of scores and weights, batch × heads × T × S floats, are megabytes, and each
    op passes over them in memory. Here the batch is taken a few entries at a time, so
    that a block's scores stay in the CPU's cache while they are multiplied, exponentiated,
    normalised and multiplied again (and, in the backward pass, differentiated): half
    the time of the op-by-op version. `MultiHeadAttention` shows the op-by-op version
    (its einsum road) when it returns its scores; Keras 3 has both roads too (its fused
    one is PyTorch's `scaled_dot_product_attention`).

    Args:
        query: (batch, T, heads, H).
        key: (batch, S, kv_heads, H); value: (batch, S, kv_heads, H_v). `kv_heads` may
            divide `heads` (grouped-query attention): each key/value head then serves
            heads // kv_heads query heads.
        bias: added to the scores, broadcastable to (batch, heads, T, S) (not with `mask`).
        mask: booleans broadcastable to (batch, heads, T, S), True where a query may look.
        scale: the factor s (default 1/√H).
        is_causal: query t looks only at keys 0..t (the lower triangle), as a decoder must.
        flash_attention: a fused GPU kernel in Keras; None or False here (same numbers).
        attn_logits_soft_cap: refused (Keras 3 applies it with JAX only).

    Returns:
        (batch, T, heads, H_v).

    Example:
        >>> q = k = v = np.random.randn(2, 5, 4, 8)          # 4 heads of size 8
        >>> dot_product_attention(q, k, v, is_causal=True).shape
        (2, 5, 4, 8)
    """
    if flash_attention:
        raise ValueError(
            "dot_product_attention(flash_attention=True): flash attention is a fused GPU kernel; "
            "teachkeras computes the same numbers with plain ops. Leave the argument out."
        )
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "dot_product_attention(attn_logits_soft_cap=...) is not supported: Keras 3 applies "
            "it with the JAX backend only."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs (batch, steps, heads, head_dim). "
            f"Received: query.shape={q.shape}, key.shape={k.shape}, value.shape={v.shape}."
        )
    batch, steps, heads, size = q.shape
    keys, kv_heads = k.shape[1], k.shape[2]
    if size != k.shape[-1] or keys != v.shape[1] or kv_heads != v.shape[2]:
        raise ValueError(
            "dot_product_attention: query and key need the same head size, key and value the "
            "same steps and heads. Received: "
            f"query.shape={q.shape}, key.shape={k.shape}, value.shape={v.shape}."
        )
    if heads % kv_heads:
        raise ValueError(
            f"dot_product_attention: the query's {heads} heads must be a multiple of the key's "
            f"{kv_heads}. Received: query.shape={q.shape}, key.shape={k.shape}."
        )
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    s = 1.0 / math.sqrt(size) if scale is None else float(scale)  # a Python float: keeps float32
    group = heads // kv_heads  # query heads per key/value head

    # Heads first, (batch, heads, steps, size), each key/value head repeated for its group.
    qh = (q.data.transpose(0, 2, 1, 3) * s).astype(dtype, copy=False)  # Q·s
    kh = _heads_first(k.data, group, dtype)
    kh_s = kh * s  # K·s, for Q's gradient
    vh = _heads_first(v.data, group, dtype)
    scores_shape = (batch, heads, steps, keys)
    addend = None  # what is added to the scores: the bias, or the mask's stand-in for -∞
    keep = _attention_mask(mask, is_causal, scores_shape)
    if keep is not None:
        addend = np.where(keep, 0, MASKED_SCORE).astype(dtype)
    if bias is not None:
        bias = as_tensor(bias)
        addend = bias.data.astype(dtype, copy=False)
    if addend is not None:  # four axes, so that its first is the batch's (or 1)
        addend = addend.reshape((1,) * (4 - addend.ndim) + addend.shape)

    weights = np.empty(scores_shape, dtype)  # W, kept for the backward pass
    out = np.empty((batch, steps, heads, vh.shape[-1]), dtype)  # the caller's layout
    for b in _batch_blocks(batch, heads * steps * keys):
        scores = qh[b] @ kh[b].swapaxes(-1, -2)  # (block, heads, T, S): Q Kᵀ·s
        if addend is not None:
            scores += addend[b] if addend.shape[0] > 1 else addend
        _softmax_last_axis(scores, out=weights[b])
        out[b] = (weights[b] @ vh[b]).transpose(0, 2, 1, 3)  # (block, T, heads, H_v): W V

    # The three (or four) gradients come from one backward pass: computed once per g.
    cached: dict = {}

    def backward(g: np.ndarray) -> tuple:
        if cached.get("g") is not g:
            # rowsum(dW ⊙ W) = Σ_s (G Vᵀ)_ts W_ts = G_t · (W V)_t: the output's rows, small
            g_dot_out = np.einsum("bthv,bthv->bht", g, out)[..., None]  # (batch, heads, T, 1)
            # each gradient in its input's layout (batch, steps, heads, size)
            dq, dk, dv = (np.empty(a.shape, dtype) for a in (q, k, v))
            dscores = np.empty(scores_shape, dtype) if bias is not None else None
            for b in _batch_blocks(batch, heads * steps * keys):
                w = weights[b]
                gb = np.ascontiguousarray(g[b].transpose(0, 2, 1, 3))  # (block, heads, T, H_v)
                ds = gb @ vh[b].swapaxes(-1, -2)  # dW = G Vᵀ, turned into dS in place:
                ds -= g_dot_out[b]
                ds *= w  # dS = W ⊙ (dW - rowsum(dW ⊙ W))
                dq[b] = (ds @ kh_s[b]).transpose(0, 2, 1, 3)  # s · dS K
                dk[b] = _per_key_head(ds.swapaxes(-1, -2) @ qh[b], group)  # s · dSᵀ Q (qh: Q·s)
                dv[b] = _per_key_head(w.swapaxes(-1, -2) @ gb, group)  # Wᵀ G
                if dscores is not None:
                    dscores[b] = ds
            cached["g"] = g
            cached["grads"] = [dq, dk, dv, dscores]
        return cached["grads"]

    parents = [q, k, v] + ([bias] if bias is not None else [])
    vjps = [lambda g, i=i: backward(g)[i] for i in range(len(parents))]
    return record(out, parents, vjps)  # (batch, T, heads, H_v)


def _heads_first(x: np.ndarray, group: int, dtype) -> np.ndarray:
    """(batch, S, kv_heads, H) -> (batch, heads, S, H), each head repeated for its group."""
    x = x.transpose(0, 2, 1, 3)
    if group > 1:
        return np.repeat(x, group, axis=1).astype(dtype, copy=False)
    return np.ascontiguousarray(x, dtype=dtype)


def _per_key_head(grads: np.ndarray, group: int) -> np.ndarray:
    """(block, heads, S, H) gradients -> (block, S, kv_heads, H): each key/value head gets
    the sum over the `group` query heads it served."""
    if group > 1:
        block, heads, keys, size = grads.shape
        grads = grads.reshape(block, heads // group, group, keys, size).sum(axis=2)
    return grads.transpose(0, 2, 1, 3)


def _batch_blocks(batch: int, per_entry: int) -> list[slice]:
    """Slices of the batch holding about 2¹⁷ attention scores (half a megabyte of
    float32) each: small enough to stay in the CPU's cache while they are worked on."""
    step = max(1, 2**17 // max(per_entry, 1))
    return [slice(i, min(i + step, batch)) for i in range(0, batch, step)]


def _attention_mask(mask, is_causal: bool, scores_shape) -> np.ndarray | None:
    """The booleans "query t may look at key j", broadcastable to (batch, heads, T, S)."""
    keep = None if mask is None else as_array(mask).astype(bool)
    try:
        fits = keep is None or np.broadcast_shapes(keep.shape, scores_shape) == scores_shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"dot_product_attention: the mask has shape {keep.shape}, which does not broadcast "
            f"to the attention scores' shape (batch, heads, T, S) = {scores_shape}."
        )
    if is_causal:  # query t sees keys 0..t: the lower triangle, as in Keras
        causal = np.tril(np.ones(scores_shape[-2:], dtype=bool))  # (T, S)
        keep = causal if keep is None else keep & causal
    return keep


def _resolve_noise_shape(noise_shape, shape) -> tuple[int, ...]:
    """`None` entries of a noise shape take the input's size (as in Keras)."""
    return tuple(s if n is None else int(n) for n, s in zip(noise_shape, shape, strict=True))


def normalize(x, axis: int | None = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """x divided by its norm along `axis`: unit vectors (as `keras.ops.normalize`).

    Formula: order 2: $x \\cdot \\min\\big(1 / \\sqrt{\\sum x^2},\\ 1/ε\\big)$ (Keras's form);
    other orders: $x / \\max(\\|x\\|_p, ε)$. ε defaults to `keras.config.epsilon()`.
    Written from primitives: no backward of its own (an all-zero vector gets a NaN
    gradient, as in Keras, from $1/\\sqrt{0}$).
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = as_floating(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        with np.errstate(divide="ignore"):  # 1/√0 = inf, then capped at 1/ε
            inverse_norm = rsqrt(sum(square(x), axis=axis, keepdims=True))
        return multiply(x, minimum(inverse_norm, 1.0 / epsilon))
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), epsilon))


# --- cross-entropies (Keras 3 formulas) ----------------------------------------------
def _clipped_probabilities(output: Tensor, axis: int) -> Tensor:
    """Renormalise along `axis`, then clip into [ε, 1 - ε] so the log stays finite."""
    eps = config.epsilon()
    output = divide(output, sum(output, axis=axis, keepdims=True))
    return clip(output, eps, 1.0 - eps)


def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1) -> Tensor:
    """$L = -\\sum_i t_i \\ln p_i$ over `axis`, with $p$ = softmax(output) for logits.

    Args:
        target: one-hot (or soft) labels, same shape as `output`.
        output: probabilities (or logits if `from_logits`).
    """
    target, output = as_tensor(target), as_tensor(output)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if from_logits:
        log_prob = log_softmax(output, axis=axis)
    else:
        log_prob = log(_clipped_probabilities(output, axis))
    return negative(sum(multiply(target, log_prob), axis=axis))


def sparse_categorical_crossentropy(
    target, output, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """$L = -\\ln p_{t}$: categorical cross-entropy with integer class labels $t$."""
    output = as_tensor(output)
    labels = as_array(target)
    if labels.ndim == output.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = output.shape[: axis % output.ndim] + output.shape[axis % output.ndim + 1 :]
    if labels.shape != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: target.shape={labels.shape}, output.shape={output.shape}"
        )
    num_classes = output.shape[axis]
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"Labels must be class indices in [0, {num_classes}), got values from "
            f"{labels.min()} to {labels.max()}."
        )
    one_hot = np.moveaxis(np.eye(num_classes, dtype=output.dtype)[labels], -1, axis)
    return categorical_crossentropy(one_hot, output, from_logits=from_logits, axis=axis)


def binary_crossentropy(target, output, from_logits: bool = False) -> Tensor:
    """$L = -[t \\ln p + (1 - t) \\ln(1 - p)]$ elementwise, $p$ clipped to [ε, 1 - ε].

    With logits $x$ it uses the stable form $\\max(x, 0) - x t + \\ln(1 + e^{-|x|})$.
    """
    target, output = as_tensor(target), as_tensor(output)
    if target.shape != output.shape:  # as Keras: broadcasting (n,) against (n, 1) is a bug
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if from_logits:
        return sigmoid_crossentropy_with_logits(target, output)
    eps = config.epsilon()
    p = clip(output, eps, 1.0 - eps)
    positive = multiply(target, log(p))
    negative_part = multiply(subtract(1.0, target), log(subtract(1.0, p)))
    return negative(positive + negative_part)


def sigmoid_crossentropy_with_logits(target, logits) -> Tensor:
    """$L = \\max(x, 0) - x t + \\ln(1 + e^{-|x|})$.  VJPs: $g(\\sigma(x) - t)$, $-g x$."""
    target, logits = as_tensor(target), as_tensor(logits)
    x, t = logits.data, target.data.astype(logits.dtype)
    out = (np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))).astype(logits.dtype)
    z = np.exp(-np.abs(x))
    sig = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return record(out, (target, logits), (lambda g: -g * x, lambda g: g * (sig - t)))

"""Elementwise math and matrix product, each with its vector-Jacobian product.

Read each op as: forward value, then one VJP per input, `g` being the gradient that
arrives from above. Broadcasting is undone by the engine (`tensor.unbroadcast`).

    op          forward            VJP for x1               VJP for x2
    add         x1 + x2            g                        g
    subtract    x1 - x2            g                        -g
    multiply    x1 * x2            g * x2                   g * x1
    divide      x1 / x2            g / x2                   -g * x1 / x2²
    matmul      x1 @ x2            g @ x2ᵀ                  x1ᵀ @ g
    power       x1 ** x2           g * x2 * x1^(x2-1)       g * x1^x2 * log(x1)
    mod         x1 mod x2          g                        -g * floor(x1 / x2)

The names are Keras 3's (`keras.ops.add(x1, x2)`); inside a VJP, `a` and `b` are the
two operands' values.
"""

from __future__ import annotations

import math

import numpy as np

from .tensor import Tensor, as_array, as_tensor, record


def _pair(a, b) -> tuple[Tensor, Tensor]:
    """Two operands as tensors; a Python number takes the other operand's type."""
    if not isinstance(a, Tensor) and isinstance(b, Tensor) and np.isscalar(a):
        a = np.asarray(a, dtype=_scalar_type(a, b.dtype))
    if not isinstance(b, Tensor) and isinstance(a, Tensor) and np.isscalar(b):
        b = np.asarray(b, dtype=_scalar_type(b, a.dtype))
    return as_tensor(a), as_tensor(b)


def _scalar_type(number, dtype: np.dtype) -> np.dtype:
    """The tensor's own type when the number fits it (`0.5 * x` stays float32, `labels + 1`
    stays integer), else float32."""
    if np.issubdtype(dtype, np.floating):
        return dtype
    if np.issubdtype(dtype, np.integer) and isinstance(number, int | np.integer):
        return dtype
    return np.dtype(np.float32)


# --- binary ops -----------------------------------------------------------------------
def add(x1, x2) -> Tensor:
    """$f(a, b) = a + b$.  VJPs: $g$, $g$."""
    a, b = _pair(x1, x2)
    return record(a.data + b.data, (a, b), (lambda g: g, lambda g: g))


def subtract(x1, x2) -> Tensor:
    """$f(a, b) = a - b$.  VJPs: $g$, $-g$."""
    a, b = _pair(x1, x2)
    return record(a.data - b.data, (a, b), (lambda g: g, lambda g: -g))


def multiply(x1, x2) -> Tensor:
    """$f(a, b) = a b$.  VJPs: $g b$, $g a$."""
    a, b = _pair(x1, x2)
    av, bv = a.data, b.data
    return record(av * bv, (a, b), (lambda g: g * bv, lambda g: g * av))


def divide(x1, x2) -> Tensor:
    """$f(a, b) = a / b$.  VJPs: $g / b$, $-g a / b^2$."""
    a, b = _pair(x1, x2)
    av, bv = a.data, b.data
    out = av / bv
    return record(out, (a, b), (lambda g: g / bv, lambda g: -g * out / bv))


def power(x1, x2) -> Tensor:
    """$f(a, b) = a^b$.  VJPs: $g\\,b\\,a^{b-1}$, $g\\,a^b \\ln a$ (0 where $a \\le 0$)."""
    a, b = _pair(x1, x2)
    av, bv = a.data, b.data
    out = av**bv

    def vjp_b(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            log_a = np.where(av > 0, np.log(np.where(av > 0, av, 1)), 0)
        return g * out * log_a

    return record(out, (a, b), (lambda g: g * bv * av ** (bv - 1), vjp_b))


def mod(x1, x2) -> Tensor:
    """$f(a, b) = a - b \\lfloor a / b \\rfloor$ (the sign of b, as NumPy and Keras).

    VJPs: $g$, $-g \\lfloor a / b \\rfloor$ (the floor is constant between its jumps).
    """
    a, b = _pair(x1, x2)
    av, bv = a.data, b.data
    quotient = np.floor_divide(av, bv)
    return record(np.mod(av, bv), (a, b), (lambda g: g, lambda g: -g * quotient))


def maximum(x1, x2) -> Tensor:
    """$f(a, b) = \\max(a, b)$.  The gradient goes to the larger input (half to each on ties)."""
    a, b = _pair(x1, x2)
    out = np.maximum(a.data, b.data)
    a_share = _share(a.data > b.data, a.data == b.data, out.dtype)
    return record(out, (a, b), (lambda g: g * a_share, lambda g: g * (1 - a_share)))


def minimum(x1, x2) -> Tensor:
    """$f(a, b) = \\min(a, b)$.  The gradient goes to the smaller input (half to each on ties)."""
    a, b = _pair(x1, x2)
    out = np.minimum(a.data, b.data)
    a_share = _share(a.data < b.data, a.data == b.data, out.dtype)
    return record(out, (a, b), (lambda g: g * a_share, lambda g: g * (1 - a_share)))


def _share(wins: np.ndarray, ties: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """`a`'s part of the gradient: 1 where it wins, ½ on a tie (as PyTorch, and as `ops.max`
    splits ties), 0 where it loses; `b` gets the rest."""
    return (wins + 0.5 * ties).astype(_scalar_type(0.5, dtype))


def matmul(x1, x2) -> Tensor:
    """Matrix product $C = A B$.  VJPs: $G B^T$ and $A^T G$.

    Works on stacks of matrices too (NumPy's `@`): the transposes swap the last
    two axes, and the engine sums over any broadcast batch axes.
    """
    a, b = as_tensor(x1), as_tensor(x2)
    av, bv = a.data, b.data
    if av.ndim == 1 or bv.ndim == 1:
        return _matmul_vector(a, b)
    return record(
        av @ bv,
        (a, b),
        (lambda g: g @ np.swapaxes(bv, -1, -2), lambda g: np.swapaxes(av, -1, -2) @ g),
    )


def _matmul_vector(a: Tensor, b: Tensor) -> Tensor:
    """`matmul` with a vector operand: lift it to a matrix, multiply, drop the axis."""
    from .array_ops import expand_dims, squeeze

    a2 = expand_dims(a, 0) if a.ndim == 1 else a
    b2 = expand_dims(b, -1) if b.ndim == 1 else b
    out = matmul(a2, b2)
    if a.ndim == 1:  # first: for two vectors, (1, 1) -> (1,) -> ()
        out = squeeze(out, -2)
    if b.ndim == 1:
        out = squeeze(out, -1)
    return out


def where(condition, x1=None, x2=None):
    """$f = x_1$ where `condition`, else $x_2$.  VJPs: $g$ masked to each side.

    With only `condition`, the indices where it holds: a tuple of int tensors, one per
    axis (as `np.nonzero`), not differentiable.
    """
    cond = as_array(condition).astype(bool)
    if x1 is None and x2 is None:
        return tuple(Tensor(i) for i in np.nonzero(cond))
    if x1 is None or x2 is None:
        raise ValueError(
            "where: give both x1 and x2 (the values to pick from), or neither (for the "
            f"indices where condition holds). Received: x1={x1!r}, x2={x2!r}"
        )
    a, b = _pair(x1, x2)
    return record(
        np.where(cond, a.data, b.data),
        (a, b),
        (lambda g: np.where(cond, g, 0), lambda g: np.where(cond, 0, g)),
    )


# --- unary ops ------------------------------------------------------------------------
def negative(x) -> Tensor:
    """$f(x) = -x$.  VJP: $-g$."""
    x = as_tensor(x)
    return record(-x.data, (x,), (lambda g: -g,))


def exp(x) -> Tensor:
    """$f(x) = e^x$.  VJP: $g e^x$."""
    x = as_tensor(x)
    out = np.exp(x.data)
    return record(out, (x,), (lambda g: g * out,))


def log(x) -> Tensor:
    """$f(x) = \\ln x$.  VJP: $g / x$."""
    x = as_tensor(x)
    xv = x.data
    return record(np.log(xv), (x,), (lambda g: g / xv,))


def log1p(x) -> Tensor:
    """$f(x) = \\ln(1 + x)$, accurate for small $x$.  VJP: $g / (1 + x)$."""
    x = as_tensor(x)
    xv = x.data
    return record(np.log1p(xv), (x,), (lambda g: g / (1 + xv),))


def expm1(x) -> Tensor:
    """$f(x) = e^x - 1$, accurate for small $x$.  VJP: $g e^x$."""
    x = as_tensor(x)
    out = np.expm1(x.data)
    return record(out, (x,), (lambda g: g * (out + 1),))


def sqrt(x) -> Tensor:
    """$f(x) = \\sqrt{x}$.  VJP: $g / (2\\sqrt{x})$."""
    x = as_tensor(x)
    out = np.sqrt(x.data)
    return record(out, (x,), (lambda g: g / (2 * out),))


def square(x) -> Tensor:
    """$f(x) = x^2$.  VJP: $2 g x$."""
    x = as_tensor(x)
    xv = x.data
    return record(xv * xv, (x,), (lambda g: 2 * g * xv,))


def abs(x) -> Tensor:
    """$f(x) = |x|$.  VJP: $g\\,\\mathrm{sign}(x)$ (0 at 0)."""
    x = as_tensor(x)
    xv = x.data
    return record(np.abs(xv), (x,), (lambda g: g * np.sign(xv),))


def tanh(x) -> Tensor:
    """$f(x) = \\tanh x$.  VJP: $g (1 - \\tanh^2 x)$."""
    x = as_tensor(x)
    out = np.tanh(x.data)
    return record(out, (x,), (lambda g: g * (1 - out * out),))


def sin(x) -> Tensor:
    """$f(x) = \\sin x$.  VJP: $g \\cos x$."""
    x = as_tensor(x)
    xv = x.data
    return record(np.sin(xv), (x,), (lambda g: g * np.cos(xv),))


def cos(x) -> Tensor:
    """$f(x) = \\cos x$.  VJP: $-g \\sin x$."""
    x = as_tensor(x)
    xv = x.data
    return record(np.cos(xv), (x,), (lambda g: -g * np.sin(xv),))


def erf(x) -> Tensor:
    """$f(x) = \\mathrm{erf}(x)$.  VJP: $g \\cdot \\tfrac{2}{\\sqrt{\\pi}} e^{-x^2}$."""
    from scipy.special import erf as _erf  # imported here: only GELU needs SciPy

    x = as_tensor(x)
    xv = x.data
    out = _erf(xv).astype(xv.dtype, copy=False)
    two_over_sqrt_pi = 2 / math.sqrt(math.pi)  # a Python float: np.float64 would upcast g
    return record(out, (x,), (lambda g: g * two_over_sqrt_pi * np.exp(-xv * xv),))


def clip(x, x_min, x_max) -> Tensor:
    """$f(x) = \\min(\\max(x, lo), hi)$.  VJP: $g$ inside $[lo, hi]$, 0 outside.

    (At the bounds themselves the gradient passes, as in TensorFlow and PyTorch.)
    """
    x = as_tensor(x)
    xv = x.data
    lo = np.asarray(as_array(x_min), dtype=xv.dtype)
    hi = np.asarray(as_array(x_max), dtype=xv.dtype)
    inside = (xv >= lo) & (xv <= hi)
    return record(np.clip(xv, lo, hi), (x,), (lambda g: g * inside,))


def cast(x, dtype) -> Tensor:
    """Change the element type.  VJP: $g$ cast back (nothing, for integer types)."""
    x = as_tensor(x)
    source = x.dtype
    out = x.data.astype(dtype)
    if not np.issubdtype(np.dtype(dtype), np.floating):
        return Tensor(out)
    return record(out, (x,), (lambda g: g.astype(source),))


def stop_gradient(variable) -> Tensor:
    """The same value, with no gradient flowing back through it."""
    return Tensor(as_array(variable))


# --- derived from the primitives above: no backward of their own -----------------------
def reciprocal(x) -> Tensor:
    """$f(x) = 1 / x$ (written as `divide`)."""
    return divide(1.0, as_floating(x))


def rsqrt(x) -> Tensor:
    """$f(x) = 1 / \\sqrt{x}$ (written as `divide` and `sqrt`)."""
    return divide(1.0, sqrt(as_floating(x)))


def log2(x) -> Tensor:
    """$f(x) = \\log_2 x = \\ln x / \\ln 2$ (written as `log` and `divide`)."""
    return divide(log(as_floating(x)), math.log(2.0))


def log10(x) -> Tensor:
    """$f(x) = \\log_{10} x = \\ln x / \\ln 10$ (written as `log` and `divide`)."""
    return divide(log(as_floating(x)), math.log(10.0))


def exp2(x) -> Tensor:
    """$f(x) = 2^x$ (written as `power`)."""
    return power(2.0, as_floating(x))


def as_floating(x) -> Tensor:
    """`x` as a tensor of a float type: integers and booleans become `floatx()` (a helper
    for the ops that only make sense on floats; not a Keras op)."""
    x = as_tensor(x)
    if np.issubdtype(x.dtype, np.floating):
        return x
    from .config import floatx

    return cast(x, floatx())


# --- not differentiable: comparisons, logic and rounding return constants ---------------
def sign(x) -> Tensor:
    return Tensor(np.sign(as_array(x)))


def round(x, decimals: int = 0) -> Tensor:
    """Round half to even (as NumPy and Keras), to `decimals` places."""
    return Tensor(np.round(as_array(x), decimals))


def floor(x) -> Tensor:
    return Tensor(np.floor(as_array(x)))


def floor_divide(x1, x2) -> Tensor:
    """$\\lfloor x_1 / x_2 \\rfloor$ (`x1 // x2`)."""
    a, b = _pair(x1, x2)
    return Tensor(np.floor_divide(a.data, b.data))


def equal(x1, x2) -> Tensor:
    return Tensor(np.equal(as_array(x1), as_array(x2)))


def not_equal(x1, x2) -> Tensor:
    return Tensor(np.not_equal(as_array(x1), as_array(x2)))


def greater(x1, x2) -> Tensor:
    return Tensor(np.greater(as_array(x1), as_array(x2)))


def greater_equal(x1, x2) -> Tensor:
    return Tensor(np.greater_equal(as_array(x1), as_array(x2)))


def less(x1, x2) -> Tensor:
    return Tensor(np.less(as_array(x1), as_array(x2)))


def less_equal(x1, x2) -> Tensor:
    return Tensor(np.less_equal(as_array(x1), as_array(x2)))


def logical_and(x1, x2) -> Tensor:
    return Tensor(np.logical_and(as_array(x1), as_array(x2)))


def logical_or(x1, x2) -> Tensor:
    return Tensor(np.logical_or(as_array(x1), as_array(x2)))


def logical_not(x) -> Tensor:
    return Tensor(np.logical_not(as_array(x)))


def isnan(x) -> Tensor:
    return Tensor(np.isnan(as_array(x)))


def isfinite(x) -> Tensor:
    return Tensor(np.isfinite(as_array(x)))

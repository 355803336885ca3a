"""Check an op's hand-written gradient against finite differences.

For a function $f$ of inputs $x_1 \\dots x_k$ we compare, for a random upstream
gradient $u$ (so that every entry of the Jacobian matters, not just its column sums),

    analytic:  ∂(u · f) / ∂x_i     from `gradients()`
    numeric:   [u · f(x + h e_j) - u · f(x - h e_j)] / 2h     for every entry j

in float64, where the central difference is accurate to O(h²).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .math_ops import multiply
from .reduction_ops import sum
from .tensor import Tensor, as_array, gradients


class GradientCheckError(AssertionError):
    """The analytic gradient disagrees with the finite-difference one."""


def numeric_gradient(
    f: Callable[..., Tensor], inputs: Sequence[np.ndarray], upstream: np.ndarray, h: float = 1e-6
) -> list[np.ndarray]:
    """Central differences of $u \\cdot f$ with respect to each input, one entry at a time."""
    grads = []
    for _i, x in enumerate(inputs):
        grad = np.zeros_like(x)
        flat, grad_flat = x.reshape(-1), grad.reshape(-1)
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + h
            plus = float(np.sum(upstream * as_array(f(*inputs))))
            flat[j] = saved - h
            minus = float(np.sum(upstream * as_array(f(*inputs))))
            flat[j] = saved
            grad_flat[j] = (plus - minus) / (2 * h)
        grads.append(grad)
    return grads


def check_gradients(
    f: Callable[..., Tensor],
    *inputs,
    wrt: Sequence[int] | None = None,
    h: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
) -> list[np.ndarray]:
    """Assert that `gradients()` of `f` matches finite differences; return the gradients.

    A non-scalar output is first reduced to the scalar $u \\cdot f$ with a fixed random
    $u$ (one check then covers every entry of the Jacobian), so what is compared and
    returned is the gradient of $u \\cdot f$. For a scalar `f`, $u = 1$: the returned
    arrays are the gradients of `f` itself.

    Args:
        f: a function of tensors returning a tensor, e.g. `lambda a, b: ops.matmul(a, b)`.
        *inputs: array-likes; they are converted to float64 (integer arrays, such as
            class labels, are passed through unchanged and not differentiated).
        wrt: indices of the inputs to check (default: every float input).

    Example:
        >>> check_gradients(lambda x: ops.tanh(x), np.random.randn(3, 4))
    """
    arrays = [
        np.array(as_array(x), dtype=np.float64) if _is_float(x) else as_array(x) for x in inputs
    ]
    wrt = [i for i, a in enumerate(arrays) if a.dtype == np.float64] if wrt is None else list(wrt)

    tensors = [Tensor(a) for a in arrays]
    for i in wrt:
        tensors[i].requires_grad = True
    out = f(*tensors)
    shape = np.shape(as_array(out))
    upstream = np.random.default_rng(seed).standard_normal(shape) if shape else np.array(1.0)
    analytic = gradients(sum(multiply(out, upstream)), [tensors[i] for i in wrt])

    def f_of_checked(*checked):
        args = list(arrays)
        for i, value in zip(wrt, checked, strict=True):
            args[i] = value
        return f(*[Tensor(a) for a in args])

    numeric = numeric_gradient(f_of_checked, [arrays[i].copy() for i in wrt], upstream, h)
    for i, a, n in zip(wrt, analytic, numeric, strict=True):
        a = np.zeros_like(n) if a is None else a
        if not np.allclose(a, n, rtol=rtol, atol=atol):
            flat_worst = np.argmax(np.abs(a - n))
            worst = tuple(int(j) for j in np.unravel_index(flat_worst, n.shape)) if n.ndim else ()
            raise GradientCheckError(
                f"Gradient of input {i} disagrees with finite differences: max |diff| = "
                f"{np.max(np.abs(a - n)):.3g} at index {worst} "
                f"(analytic {a[worst]:.6g}, numeric {n[worst]:.6g})."
            )
    return analytic


def _is_float(x) -> bool:
    return np.issubdtype(np.asarray(as_array(x)).dtype, np.floating)

"""Linear algebra: products over chosen axes, diagonals, triangles and norms.

Almost everything here is written with `matmul`, `transpose`, `reshape`, `getitem`
and the reductions, so the gradients are theirs. Two ops have their own VJP:

    einsum            every operand's gradient is another einsum: the output's
                      subscripts take the operand's place (see `einsum`)
    singular_values   σ of A = U diag(σ) Vᵀ;  VJP: U diag(g) Vᵀ

`dot` and `tensordot` show the pattern shared by every product: move the axes that
are summed over to one side, flatten, one matrix product, reshape back.
"""

from __future__ import annotations

import builtins  # max, min, sum and abs below are the ops
import math
import string
from collections import Counter

import numpy as np

from .array_ops import expand_dims, getitem, moveaxis, pad, reshape, transpose
from .math_ops import abs, as_floating, cast, matmul, multiply, power, sqrt, square, where
from .reduction_ops import count_nonzero, max, min, sum
from .tensor import Tensor, as_tensor, record


# --- products ---------------------------------------------------------------------------
def dot(x1, x2) -> Tensor:
    """NumPy's dot product: x1's last axis meets x2's second-to-last (its only one, if 1-D).

    Formula: $z_{i\\ldots,\\,j\\ldots,\\,m} = \\sum_k a_{i\\ldots,k}\\, b_{j\\ldots,k,m}$; shape
    `x1.shape[:-1] + x2.shape[:-2] + x2.shape[-1:]`. For matrices it is `matmul`; for more
    axes it is not: `(2, 3) · (4, 3, 5)` is `(2, 4, 5)` (matmul would treat x2 as a batch).
    A scalar operand multiplies.
    """
    a, b = as_tensor(x1), as_tensor(x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    k = b.shape[0 if b.ndim == 1 else -2]
    if a.shape[-1] != k:
        raise ValueError(
            f"dot: the axes to multiply together have different lengths ({a.shape[-1]} != {k}); "
            f"shapes {a.shape} and {b.shape}."
        )
    if b.ndim <= 2:  # here matmul is np.dot
        return matmul(a, b)
    k_first = [b.ndim - 2] + [i for i in range(b.ndim) if i != b.ndim - 2]
    b2 = reshape(transpose(b, k_first), (k, -1))  # (k, everything else of b)
    a2 = reshape(a, (-1, k))  # (everything else of a, k)
    return reshape(matmul(a2, b2), a.shape[:-1] + b.shape[:-2] + b.shape[-1:])


def tensordot(x1, x2, axes=2) -> Tensor:
    """Sum the products over chosen axes of x1 and x2 (as `np.tensordot`).

    `axes=n` pairs x1's last n axes with x2's first n; `axes=(axes1, axes2)` names them.
    The result has x1's other axes, then x2's. Written as transpose, reshape, one matmul.
    """
    a, b = as_tensor(x1), as_tensor(x2)
    if isinstance(axes, int | np.integer):
        axes_a, axes_b = list(range(a.ndim - int(axes), a.ndim)), list(range(int(axes)))
    else:
        axes_a, axes_b = ([int(i)] if np.ndim(i) == 0 else [int(j) for j in i] for i in axes)
    axes_a, axes_b = [i % a.ndim for i in axes_a], [i % b.ndim for i in axes_b]
    if [a.shape[i] for i in axes_a] != [b.shape[i] for i in axes_b]:
        raise ValueError(
            f"tensordot: the axes to sum over have different lengths: axes {axes_a} of shape "
            f"{a.shape} and axes {axes_b} of shape {b.shape}."
        )
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    k = math.prod(a.shape[i] for i in axes_a)
    a2 = reshape(transpose(a, free_a + axes_a), (-1, k))  # (a's other axes, k)
    b2 = reshape(transpose(b, axes_b + free_b), (k, -1))  # (k, b's other axes)
    shape = [a.shape[i] for i in free_a] + [b.shape[i] for i in free_b]
    return reshape(matmul(a2, b2), shape)


def outer(x1, x2) -> Tensor:
    """$z_{ij} = a_i b_j$ for the flattened inputs (a column times a row)."""
    return multiply(reshape(x1, (-1, 1)), reshape(x2, (1, -1)))


def einsum(subscripts: str, *operands, **kwargs) -> Tensor:
    """Einstein summation: `einsum("ij,jk->ik", a, b)` is `a @ b` (NumPy's rules).

    Each letter names an axis; a letter missing from the output is summed over.
    Forward: `np.einsum`. VJP for operand i: the gradient `g` has the output's letters,
    and multiplying it by every other operand (summing what operand i does not have)
    gives operand i's letters back:

        "ij,jk->ik":   dA = einsum("ik,jk->ij", g, B),   dB = einsum("ik,ij->jk", g, A)

    A letter that only operand i has was summed in the forward pass, so every entry
    along it gets the same gradient (broadcast); a letter repeated within operand i
    ("ii->i", a diagonal) gets the gradient on that diagonal and zeros elsewhere.

    Speed: NumPy's own einsum sums in a loop of its own; here a product of two operands
    goes to the matrix product (BLAS), 10-20 times faster on a layer's shapes
    (`EinsumDense`, attention): see `_contract`.
    """
    tensors = [as_tensor(t) for t in operands]
    inputs, output = _einsum_letters(subscripts, [t.ndim for t in tensors])
    arrays = [t.data for t in tensors]
    if kwargs:  # NumPy's options (dtype=, optimize=...): NumPy's einsum itself
        out = np.einsum(",".join(inputs) + "->" + output, *arrays, **kwargs)
    else:
        out = _contract(inputs, output, arrays)
    sizes: dict[str, int] = {}  # each letter's length (the broadcast one, where an operand has 1)
    for letters, t in zip(inputs, tensors, strict=True):
        for c, n in zip(letters, t.shape, strict=True):
            sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]

    def vjp_for(i: int):
        mine = inputs[i]
        others = [s for j, s in enumerate(inputs) if j != i]
        other_arrays = [a for j, a in enumerate(arrays) if j != i]
        unique = "".join(dict.fromkeys(mine))  # mine, each letter once
        kept = "".join(c for c in unique if c in output or any(c in s for s in others))

        def vjp(g: np.ndarray) -> np.ndarray:
            grad = _contract([output, *others], kept, [g, *other_arrays])
            summed_here = [unique.index(c) for c in unique if c not in kept]
            grad = np.broadcast_to(np.expand_dims(grad, summed_here), [sizes[c] for c in unique])
            if len(unique) == len(mine):
                return grad
            # a letter repeated in operand i ("ii"): the gradient goes onto that diagonal
            full = np.zeros([sizes[c] for c in mine], dtype=grad.dtype)
            grid = np.indices(grad.shape, sparse=True)  # one index array per unique letter
            full[tuple(grid[unique.index(c)] for c in mine)] = grad
            return full

        return vjp

    return record(out, tensors, [vjp_for(i) for i in range(len(tensors))])


def _contract(inputs: list[str], output: str, arrays: list[np.ndarray]) -> np.ndarray:
    """`np.einsum` of explicit subscripts, computed with matrix products.

    The common case, two operands whose shared letters are all summed away
    ("abc,cde->abde": a layer's kernel), is one `np.tensordot`: the summed axes moved
    together, both operands flattened to matrices, one matrix product, the axes put in
    the output's order. Anything else (a letter both operands keep, as a batch axis, or
    repeated) goes to `np.einsum` with `optimize=True`, which plans a sequence of
    matrix products for it.
    """
    if len(arrays) == 2:
        a, b = inputs
        summed = [c for c in a if c in b]
        plain = (
            all(len(set(s)) == len(s) for s in (a, b, output))
            and not any(c in output for c in summed)
            and all(c in output for c in a + b if c not in summed)
        )
        if plain:
            axes = ([a.index(c) for c in summed], [b.index(c) for c in summed])
            result = np.tensordot(arrays[0], arrays[1], axes=axes)
            letters = [c for c in a + b if c not in summed]  # tensordot's order of the rest
            return result.transpose([letters.index(c) for c in output])
    return np.einsum(",".join(inputs) + "->" + output, *arrays, optimize=True)


def _einsum_letters(subscripts: str, ranks: list[int]) -> tuple[list[str], str]:
    """Explicit subscripts: '...' spelled out with spare letters, and the output written
    out when it is implicit (NumPy's rule: the broadcast axes, then the letters used
    once, in alphabetical order)."""
    spec = subscripts.replace(" ", "")
    lhs, arrow, rhs = spec.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ranks):
        raise ValueError(
            f"einsum: {subscripts!r} names {len(inputs)} operand(s), but {len(ranks)} were given."
        )
    spare = [c for c in string.ascii_letters if c not in spec]
    broadcast = [r - (len(s) - 3) for s, r in zip(inputs, ranks, strict=True) if "..." in s]
    ellipsis = "".join(spare[: builtins.max(broadcast, default=0)])
    explicit = []
    for s, rank in zip(inputs, ranks, strict=True):
        if "..." in s:
            s = s.replace("...", ellipsis[len(ellipsis) - (rank - (len(s) - 3)) :])
        if len(s) != rank:
            raise ValueError(
                f"einsum: the subscripts {s!r} name {len(s)} axes, but the operand has {rank}."
            )
        explicit.append(s)
    if arrow:
        return explicit, rhs.replace("...", ellipsis)
    once = Counter(lhs.replace(",", "").replace(".", ""))
    return explicit, ellipsis + "".join(sorted(c for c, n in once.items() if n == 1))


# --- diagonals and triangles ------------------------------------------------------------
def diagonal(x, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The entries $x_{i,\\,i + offset}$ of the matrices in axes (axis1, axis2), as a last axis.

    Written as `getitem` with index arrays, so the gradient lands back on the diagonal.
    """
    moved = moveaxis(x, (axis1, axis2), (-2, -1))  # (..., n, m)
    n, m = moved.shape[-2:]
    rows = np.arange(builtins.max(0, -offset), builtins.min(n, m - offset))
    return getitem(moved, (Ellipsis, rows, rows + offset))


def trace(x, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """$\\mathrm{tr}(x) = \\sum_i x_{i,\\,i + offset}$ (written as `diagonal` and `sum`)."""
    return sum(diagonal(x, offset, axis1, axis2), axis=-1)


def diag(x, k: int = 0) -> Tensor:
    """A 1-D x becomes a matrix with x on diagonal k; a 2-D x gives its diagonal k.

    Built from primitives: x times the identity, padded so that the diagonal shifts by k.
    """
    x = as_tensor(x)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(
            f"diag: x must be 1-D (to build a matrix) or 2-D (to read a diagonal); got shape "
            f"{x.shape}. For stacks of matrices use diagonal(x, offset, axis1, axis2)."
        )
    square_matrix = multiply(x, np.eye(len(x), dtype=x.dtype))  # x_j at (j, j)
    widths = [(0, k), (k, 0)] if k >= 0 else [(-k, 0), (0, -k)]
    return pad(square_matrix, widths)


def tril(x, k: int = 0) -> Tensor:
    """The lower triangle of the last two axes (on and below diagonal k), zeros above."""
    x = _matrices("tril", x)
    return where(np.tri(*x.shape[-2:], k=k, dtype=bool), x, 0)


def triu(x, k: int = 0) -> Tensor:
    """The upper triangle of the last two axes (on and above diagonal k), zeros below."""
    x = _matrices("triu", x)
    return where(np.tri(*x.shape[-2:], k=k - 1, dtype=bool), 0, x)


def _matrices(op: str, x) -> Tensor:
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{op} works on matrices (the last two axes); got shape {x.shape}.")
    return x


# --- norms ------------------------------------------------------------------------------
def norm(x, ord=None, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A002 (Keras's name)
    """The norm of vectors (one axis) or matrices (two axes), as `np.linalg.norm`.

    Formulas (written from primitives):
        ord=None   $\\sqrt{\\sum x^2}$ over `axis` (all axes when None): Euclidean/Frobenius
        vectors    1: $\\sum |x|$;  2: $\\sqrt{\\sum x^2}$;  inf / -inf: $\\max / \\min |x|$;
                   0: how many are not 0;  p: $(\\sum |x|^p)^{1/p}$
        matrices   'fro': $\\sqrt{\\sum x^2}$;  'nuc': $\\sum σ$;  2 / -2: $\\max / \\min σ$;
                   1 / -1: max / min column sum of |x|;  inf / -inf: max / min row sum
    (σ: the singular values.) With `ord` given and `axis=None`, x must be 1-D or 2-D.
    """
    x = as_floating(x)
    if ord is None:
        return sqrt(sum(square(x), axis=axis, keepdims=keepdims))
    if axis is None:
        if x.ndim not in (1, 2):
            raise ValueError(
                f"norm: with ord={ord!r} and axis=None, x must be 1-D or 2-D (as NumPy); got "
                f"shape {x.shape}. Pass `axis`: one axis for vectors, two for matrices."
            )
        axis = tuple(range(x.ndim))
    axes = tuple(a % x.ndim for a in np.atleast_1d(axis))
    if len(axes) == 1:
        out = _vector_norm(x, ord, axes[0])
    elif len(axes) == 2 and axes[0] != axes[1]:
        out = _matrix_norm(x, ord, *axes)
    else:
        raise ValueError(f"norm: axis must be one axis or two different axes; got axis={axis}.")
    return expand_dims(out, sorted(axes)) if keepdims else out


def _vector_norm(x: Tensor, order, axis: int) -> Tensor:
    if isinstance(order, str):
        raise ValueError(
            f"norm: ord={order!r} is a matrix norm, but one axis holds vectors: use 1, 2, inf, "
            "-inf, 0 or any number p."
        )
    if order == 2:
        return sqrt(sum(square(x), axis=axis))
    if order == 1:
        return sum(abs(x), axis=axis)
    if order == np.inf:
        return max(abs(x), axis=axis)
    if order == -np.inf:
        return min(abs(x), axis=axis)
    if order == 0:
        return cast(count_nonzero(x, axis=axis), x.dtype)  # a count: no gradient
    return power(sum(power(abs(x), float(order)), axis=axis), 1.0 / float(order))


def _matrix_norm(x: Tensor, order, row: int, col: int) -> Tensor:
    if order == "fro":
        return sqrt(sum(square(x), axis=(row, col)))
    if order in ("nuc", 2, -2):
        sigma = singular_values(moveaxis(x, (row, col), (-2, -1)))  # (..., k)
        if order == "nuc":
            return sum(sigma, axis=-1)
        return max(sigma, axis=-1) if order == 2 else min(sigma, axis=-1)
    if order in (1, -1):  # column sums, then the largest (smallest) one
        sums = sum(abs(x), axis=row)
        return (max if order == 1 else min)(sums, axis=col - (col > row))
    if order in (np.inf, -np.inf):  # row sums, then the largest (smallest) one
        sums = sum(abs(x), axis=col)
        return (max if order == np.inf else min)(sums, axis=row - (row > col))
    raise ValueError(
        f"norm: ord={order!r} is not a matrix norm: use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf."
    )


def singular_values(x) -> Tensor:
    """σ: the singular values of each matrix in the last two axes, largest first.

    Formula: $A = U \\mathrm{diag}(σ) V^T$.  VJP: $U \\mathrm{diag}(g) V^T$, since a small
    change dA moves $σ_i$ by $u_i^T\\, dA\\, v_i$ (for distinct singular values).
    """
    x = as_tensor(x)
    u, s, vt = np.linalg.svd(x.data, full_matrices=False)  # (..., m, k), (..., k), (..., k, n)
    return record(s, (x,), (lambda g: (u * g[..., None, :]) @ vt,))

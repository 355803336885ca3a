"""Python's operators on tensors: `a + b` is `add(a, b)`, `x[i]` is `getitem(x, i)`.

One table, used by every kind of tensor. A `Tensor` computes the op at once (below);
a symbolic tensor (Keras 3's `KerasTensor`, Keras 2's placeholders) records it instead:
each class hands `define_operators` its own way to apply an op.

    a + b   add          a - b   subtract      a * b   multiply      a / b   divide
    a ** b  power        a @ b   matmul        -a      negative      abs(a)  abs
    a > b   greater      a >= b  greater_equal a < b   less          a <= b  less_equal
    x[i]    getitem

`2 + x` is `add(2, x)`: Python asks `x` for its reflected operator (`__radd__`) when
the number on the left does not know how to add a tensor. `==` is left alone: it stays
identity, so tensors can live in sets and dicts (compare values with `ops.equal`).
"""

from __future__ import annotations

from collections.abc import Callable

from . import array_ops, math_ops
from .tensor import Tensor

# Operators that have a reflected form (`2 * x` calls `x.__rmul__(2)`).
ARITHMETIC = {
    "add": math_ops.add,
    "sub": math_ops.subtract,
    "mul": math_ops.multiply,
    "truediv": math_ops.divide,
    "pow": math_ops.power,
    "matmul": math_ops.matmul,
}
# `a < b` falls back on `b > a` by itself: no reflected forms needed.
COMPARISONS = {
    "gt": math_ops.greater,
    "ge": math_ops.greater_equal,
    "lt": math_ops.less,
    "le": math_ops.less_equal,
}
UNARY = {"neg": math_ops.negative, "abs": math_ops.abs}


def define_operators(cls: type, apply: Callable) -> None:
    """Give `cls` Python's operators: `a + b` becomes `apply(add, a, b)`."""
    for name, op in ARITHMETIC.items():
        setattr(cls, f"__{name}__", _operator(op, apply, reflected=False))
        setattr(cls, f"__r{name}__", _operator(op, apply, reflected=True))
    for name, op in COMPARISONS.items():
        setattr(cls, f"__{name}__", _operator(op, apply, reflected=False))
    for name, op in UNARY.items():
        setattr(cls, f"__{name}__", _unary(op, apply))
    cls.__getitem__ = _operator(array_ops.getitem, apply, reflected=False)


def _operator(op: Callable, apply: Callable, reflected: bool) -> Callable:
    if reflected:
        return lambda self, other: apply(op, other, self)
    return lambda self, other: apply(op, self, other)


def _unary(op: Callable, apply: Callable) -> Callable:
    return lambda self: apply(op, self)


def compute(op: Callable, *operands):
    """How a `Tensor` applies an operator: it runs the op now.

    Unless another operand is symbolic: then we step aside (`NotImplemented`) and
    Python asks that operand's own operator, which records the op in its graph. This
    is NumPy's rule: an object whose `__array_ufunc__` is None takes over the binary
    operators of arrays (and tensors) it meets.
    """
    for operand in operands:
        if getattr(type(operand), "__array_ufunc__", 0) is None:
            return NotImplemented
    return op(*operands)


define_operators(Tensor, compute)

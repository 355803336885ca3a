"""Tensors, variables, and reverse-mode automatic differentiation.

A `Tensor` is a NumPy array plus, when it was computed from something that needs a
gradient, the record of how: its parent tensors and one vector-Jacobian product
(VJP) per parent. Every differentiable op ends with

    return record(out, parents=(a, b), vjps=(vjp_a, vjp_b))

where `vjp_a(g) = g · ∂out/∂a`: given the gradient of the loss with respect to `out`,
it returns the gradient with respect to `a`. If NumPy broadcast `a` in the forward
pass, the engine sums the gradient back to `a`'s shape (`unbroadcast`: the adjoint of
broadcasting is summation), so no op has to care.

`gradients(loss, variables)` sorts the recorded graph once (`topological_order.py`)
and walks it backwards, adding each VJP's result into the parent's gradient.

The record is kept in `GradNode`s, not in the tensors themselves: a node remembers its
parents' nodes and VJPs but no values, so an intermediate result (say, the output of a
bias add) is freed as soon as nothing but the graph points at it. Only what a VJP
closure captured (the inputs a product needs, a ReLU's mask) stays alive until the
backward pass, as in PyTorch.

A `Variable` is updated in place, so each node that reads one is also noted in the
variable's `_readers`: while such a node can still run its VJPs, an update gives the
variable a new array and the graph keeps the value it was computed with (`variable.py`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from . import config
from .topological_order import topological_order

VJP = Callable[[np.ndarray], np.ndarray]


class _RecordingState:
    """Whether ops currently record their parents (off inside `no_grad()`)."""

    enabled = True


_state = _RecordingState()


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Run ops without recording gradients: faster and lighter, used by `predict`.

    Example:
        >>> with no_grad():
        ...     y = model(x)          # y has no graph behind it
    """
    previous = _state.enabled
    _state.enabled = False
    try:
        yield
    finally:
        _state.enabled = previous


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    """Record gradients even inside an enclosing `no_grad()` (used by `GradientTape`)."""
    previous = _state.enabled
    _state.enabled = True
    try:
        yield
    finally:
        _state.enabled = previous


class GradNode:
    """One recorded op: the nodes of its inputs, and one VJP per input.

    A leaf node (no parents) stands for a tensor we differentiate with respect to: a
    `Variable`, or a tensor given to `GradientTape.watch`.
    """

    __slots__ = ("__weakref__", "dtype", "parents", "shape", "variables_read", "vjps")

    def __init__(self, parents: tuple[GradNode, ...], vjps: tuple[VJP, ...], shape, dtype) -> None:
        self.parents = parents
        self.vjps = vjps
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.variables_read: tuple = ()  # the Variables among the op's inputs

    def release(self) -> None:
        """Drop the VJPs (and the arrays they captured): this node's backward is done."""
        self.vjps = None
        for variable in self.variables_read:  # they may now be updated in place
            variable._readers.discard(self)


class Tensor:
    """A NumPy array that remembers how it was computed.

    Attributes:
        data: the value, an `np.ndarray`.
        requires_grad: True when a gradient can flow back through this tensor.
    """

    # Makes `ndarray + Tensor` call `Tensor.__radd__` instead of NumPy's loop.
    __array_priority__ = 100
    # The recorded ops that read this value: only a `Variable` keeps them (a WeakSet).
    _readers = None

    def __init__(
        self, data: np.ndarray, node: GradNode | None = None, name: str | None = None
    ) -> None:
        # np.asarray: NumPy returns a scalar, not an array, for ufuncs on 0-d arrays
        # (`a + b` of two scalar tensors); `data` is always an ndarray.
        self.data = np.asarray(data)
        self._node = node
        self.name = name

    @property
    def requires_grad(self) -> bool:
        """True when a gradient can flow back to (or through) this tensor."""
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self._node is None:
            self._node = GradNode((), (), self.data.shape, self.data.dtype)  # a new leaf
        elif not value:
            self._node = None

    # --- what a learner inspects -------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (the same array, not a copy)."""
        return self.data

    def item(self) -> float | int | bool:
        return self.data.item()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a scalar) is undefined.")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __format__(self, spec: str) -> str:
        if self.data.ndim == 0 and spec:
            return format(self.data.item(), spec)
        return format(str(self), spec)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, threshold=20)
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"<Tensor shape={self.shape}, dtype={self.dtype}{grad}, value={body}>"

    # `__eq__` stays identity so tensors can live in sets and dicts; use ops.equal.
    __hash__ = object.__hash__


def record(value: np.ndarray, parents: Sequence[Tensor], vjps: Sequence[VJP]) -> Tensor:
    """Wrap an op's result, remembering the parents that need a gradient.

    When recording is off, or no parent needs a gradient, the result is a plain
    constant tensor and the VJP closures are dropped at once.
    """
    if not _state.enabled:
        return Tensor(value)
    kept = [(p._node, f) for p, f in zip(parents, vjps, strict=True) if p._node is not None]
    if not kept:
        return Tensor(value)
    value = np.asarray(value)
    node = GradNode(tuple(n for n, _ in kept), tuple(f for _, f in kept), value.shape, value.dtype)
    # Every variable read, differentiated or not (its value may be in another input's VJP).
    node.variables_read = tuple(p for p in parents if p._readers is not None)
    for variable in node.variables_read:
        variable._readers.add(node)
    return Tensor(value, node)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`: the adjoint of NumPy broadcasting.

    Broadcasting copies a value along new leading axes and along axes of length 1;
    each copy received its own share of the gradient, so the shares add up.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    if grad.ndim == len(shape):
        stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
        if stretched:
            grad = grad.sum(axis=stretched, keepdims=True)
    if grad.shape != shape and _without_ones(grad.shape) == _without_ones(shape):
        grad = grad.reshape(shape)  # only length-1 axes differ, e.g. () for (1, 1)
    return grad  # any other mismatch is a wrong VJP: `gradients` reports it


def _without_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def _parents(node: GradNode) -> tuple[GradNode, ...]:
    return node.parents


def gradients(
    loss: Tensor,
    variables: Sequence[Tensor] | Tensor,
    output_gradient: np.ndarray | None = None,
    retain_graph: bool = True,
) -> list[np.ndarray | None]:
    """Gradients of `loss` with respect to each of `variables`.

    d loss / d v is built by the chain rule, from `loss` back to the leaves:
    grad[parent] += vjp(grad[child]) for every recorded edge child <- parent.

    A non-scalar `loss` is treated as `sum(loss)` (as TensorFlow and Keras 2 do),
    unless `output_gradient` gives the upstream gradient explicitly. A variable the
    loss does not depend on gets `None` (Keras 2's answer for an unconnected tensor).

    With `retain_graph=False` each node lets go of its VJPs (and so of the arrays they
    captured) as soon as it has passed its gradient on, as PyTorch does: the training
    loop uses it, so a step's peak memory is not every activation plus every gradient.
    The graph can then not be differentiated a second time.
    """
    single = isinstance(variables, Tensor)
    wanted = [variables] if single else list(variables)
    if not isinstance(loss, Tensor):
        return [None] * len(wanted) if not single else [None]
    if output_gradient is None:
        seed = np.ones_like(loss.data)
    else:
        seed = np.array(as_array(output_gradient), dtype=loss.dtype)  # a copy: never the caller's
        if seed.shape != loss.shape:
            raise ValueError(
                f"output_gradient has shape {seed.shape}, but the loss has shape {loss.shape}: "
                "give one upstream gradient per element of the loss."
            )
    if loss._node is None:
        return [None] * len(wanted)
    grads: dict[int, np.ndarray] = {id(loss._node): seed}
    keep = {id(v._node) for v in wanted if v._node is not None}
    for node in reversed(topological_order([loss._node], _parents)):
        g = grads.get(id(node)) if id(node) in keep else grads.pop(id(node), None)
        if g is None:
            continue
        if node.vjps is None:
            raise RuntimeError(
                "This graph was already differentiated with retain_graph=False, which freed it. "
                "Compute the loss again, or pass retain_graph=True the first time."
            )
        for parent, vjp in zip(node.parents, node.vjps, strict=True):
            parent_grad = unbroadcast(np.asarray(vjp(g)), parent.shape)
            assert parent_grad.shape == parent.shape, (
                f"gradient shape {parent_grad.shape} != tensor shape {parent.shape}"
            )
            if id(parent) in grads:
                grads[id(parent)] = grads[id(parent)] + parent_grad
            else:
                grads[id(parent)] = parent_grad
        if not retain_graph and node.parents:
            node.release()  # frees what the closures captured: this node is done
        del g
    result, handed_out = [], set()
    for v in wanted:
        g = grads.get(id(v._node)) if v._node is not None else None
        if g is not None:
            dtype = v.dtype if np.issubdtype(v.dtype, np.floating) else g.dtype
            # The caller owns what we return (optimizers update gradients in place), but a
            # VJP may give a read-only broadcast view, or the same array to two inputs
            # (add's VJP is `g` for both): copy those, and only those.
            owned = g.flags.writeable and g.flags.owndata and id(g) not in handed_out
            g = g.astype(dtype, copy=not owned)
            handed_out.add(id(g))
        result.append(g)
    return result


class GradientTape:
    """Record a computation, then ask for its gradients (as `tf.GradientTape`).

    Variables are watched automatically; call `tape.watch(x)` for a constant tensor
    whose gradient you want (before using it).

    Example:
        >>> with GradientTape() as tape:
        ...     loss = ops.mean(ops.square(model(x) - y))
        >>> grads = tape.gradient(loss, model.trainable_weights)

    A tape that is not `persistent` answers once, and then frees the graph (as
    TensorFlow's does), so that the optimizer step after it can update the weights in
    place. Inside another tape's `with` block the graph is kept: that tape may need it.
    """

    # How many tapes' `with` blocks are running now.
    _open = 0

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._used = False
        self._context = None

    def __enter__(self) -> GradientTape:
        self._context = enable_grad()
        self._context.__enter__()
        GradientTape._open += 1
        return self

    def __exit__(self, *exc_info) -> None:
        GradientTape._open -= 1
        self._context.__exit__(*exc_info)

    def watch(self, tensor: Tensor | Sequence[Tensor]) -> None:
        """Ask for gradients with respect to `tensor` (a constant tensor, usually)."""
        tensors = tensor if isinstance(tensor, list | tuple) else [tensor]
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch expects a Tensor, got {type(t).__name__}. "
                    "Wrap arrays first: x = ops.convert_to_tensor(x)."
                )
            t.requires_grad = True

    def gradient(self, target: Tensor, sources, output_gradients=None):
        """d target / d source for each source, mirroring the structure of `sources`."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Use GradientTape(persistent=True) to call gradient() again."
            )
        self._used = True
        retain = self.persistent or GradientTape._open > 0
        if isinstance(sources, Tensor):
            return gradients(target, [sources], output_gradients, retain_graph=retain)[0]
        grads = gradients(target, list(sources), output_gradients, retain_graph=retain)
        return tuple(grads) if isinstance(sources, tuple) else grads


def as_array(x, dtype=None) -> np.ndarray:
    """The NumPy value of a tensor, variable, array or Python number.

    Python floats (and lists of them) become `floatx()`, so a stray `0.5` never turns
    a float32 computation into float64.
    """
    if isinstance(x, Tensor):
        x = x.data
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, np.ndarray):
        return x
    array = np.asarray(x)
    if array.dtype == np.float64:
        array = array.astype(config.floatx())
    return array


def as_tensor(x, dtype=None) -> Tensor:
    """`x` itself if it is already a tensor, else a constant tensor holding it."""
    if isinstance(x, Tensor) and (dtype is None or x.dtype == np.dtype(dtype)):
        return x
    if isinstance(x, Tensor):
        # A cast is an op: the gradient flows back, converted to the source type.
        from .math_ops import cast

        return cast(x, dtype)
    return Tensor(as_array(x, dtype))

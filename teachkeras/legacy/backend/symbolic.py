"""Symbolic tensors: Keras 2's graph code (`K.placeholder`, `K.function`) on an eager engine.

Keras 2 code first *describes* a computation, then runs it on data:

    x = K.placeholder(shape=(None, 3))        # a value to be fed later
    y = K.sum(K.square(x), axis=1)            # nothing is computed yet
    f = K.function([x], [y])
    f([np.ones((2, 3))])                      # [array([3., 3.])]

Our engine computes eagerly, so a description is recorded instead: a `SymbolicTensor`
remembers ONE op call, the function and the arguments it was called with (some of
them symbolic tensors themselves). That record is the graph.

There is one place where ops meet symbolic tensors: the decorator `symbolic_op`, which
`backend/__init__.py` applies to every function it exports (and to `Tensor`'s operators).
Called on concrete values, a wrapped op simply runs. Called with a symbolic tensor among
its arguments, it runs nothing and returns a new `SymbolicTensor` recording the call.
So every `K` function works on placeholders without one line of per-op code, and a
learner's own function built from `K` ops does too.

`evaluate(tensors, feed)` replays the records in order (`backend/topological_order.py`,
the order `gradients` walks backwards too) with real values for the placeholders. A
model's `KerasTensor`s (`model.input`, `layer.output`) are nodes of such a graph too:
computing one is running the layer call that made it again (`Node.run`).

A recorded op's output shape is found by running it on zeros
(`backend/shape_inference.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import numpy as np

from ...backend import config
from ...backend.naming import unique_name
from ...backend.operators import define_operators
from ...backend.shape_inference import infer_output_specs
from ...backend.tensor import Tensor, as_array, enable_grad, no_grad
from ...backend.topological_order import topological_order
from ...backend.variables import Variable
from ...layers.keras_tensor import KerasTensor
from .. import warn_once


class SymbolicTensor:
    """A tensor whose value is not known yet: a placeholder, or an op applied to one.

    Attributes:
        shape: a tuple, `None` for the sizes only known when data arrives, e.g. `(None, 3)`.
        dtype: a dtype name, e.g. `'float32'`.
        name: a readable name (the placeholder's, or the op's).
        op: the function this tensor is the result of (None for a placeholder).
        args, kwargs: the arguments `op` was called with; symbolic ones are replaced by
            their values when the graph runs.
    """

    # NumPy must hand `ndarray + s` to `s.__radd__` instead of converting s to an array.
    __array_ufunc__ = None
    _is_placeholder = False  # True for `K.placeholder(...)` (and a model's `Input`)
    _needs_recording = False  # True for a gradient: the forward pass must record its graph

    def __init__(self, shape, dtype=None, name=None, op=None, args=(), kwargs=None) -> None:
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = str(np.dtype(dtype or config.floatx()))
        self.name = name
        self.op = op
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self._default: Callable[[], Tensor] | None = None  # a leaf's value when none is fed

    @property
    def ndim(self) -> int:
        return len(self.shape)

    # --- the graph protocol: what `evaluate` asks of each node --------------------------
    def _symbolic_inputs(self) -> list[SymbolicTensor]:
        """The symbolic tensors this one is computed from."""
        return [a for a in _leaves((self.args, self.kwargs)) if is_symbolic(a)]

    def _variables(self) -> list[Tensor]:
        """Concrete tensors with a gradient (variables) used directly by this node."""
        return [
            a
            for a in _leaves((self.args, self.kwargs))
            if isinstance(a, Tensor) and a.requires_grad
        ]

    def _watched(self) -> list[SymbolicTensor]:
        """Symbolic tensors whose gradient this node needs (see `K.gradients`)."""
        return []

    def _compute(self, value_of: Callable[[SymbolicTensor], object], run: Run):
        """This node's value, given `value_of` for the nodes it depends on."""
        if self.op is None:
            if self._default is not None:
                return self._default()
            raise missing_value_error(self)
        args = _replace_symbolic(self.args, value_of)
        kwargs = _replace_symbolic(self.kwargs, value_of)
        return self.op(*args, **kwargs)

    # --- what a learner inspects --------------------------------------------------------
    def __repr__(self) -> str:
        origin = "placeholder" if self.op is None else f"K.{_op_name(self.op)}"
        return f"<SymbolicTensor {origin} shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"{self!r} is symbolic: its value is only known when the graph runs. Get numbers "
            "with K.function([inputs], [outputs])([values]), or K.eval(x) if it needs no input."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            f"The truth value of {self!r} is unknown until the graph runs: use K.switch(cond, a, b) "
            "instead of `if`."
        )

    def __len__(self) -> int:
        raise TypeError(f"len() of a symbolic tensor is unknown (shape {self.shape}); use .shape.")

    def __iter__(self) -> Iterator:
        raise TypeError(
            f"A symbolic tensor (shape {self.shape}) cannot be iterated: index it (x[0]) instead."
        )

    __hash__ = object.__hash__  # `==` stays identity, as for Tensor: use K.equal


# Python's operators record the same ops as K.add, K.multiply, ... (one table: backend/operators.py)
define_operators(SymbolicTensor, lambda op, *operands: symbolic_call(op, operands))


def placeholder(shape=None, ndim: int | None = None, dtype=None, sparse: bool = False, name=None):
    """A symbolic input whose value is fed when the graph runs (Keras 2's `K.placeholder`).

    Args:
        shape: e.g. `(None, 3)`; `None` marks a size known only when data arrives.
        ndim: instead of `shape`: that many axes, all of unknown size.
        dtype: default `floatx()`.
        name: default `placeholder`, `placeholder_1`, ...

    Example:
        >>> x = K.placeholder(shape=(None, 3))
        >>> K.function([x], [2 * x])([np.ones((1, 3))])
        [array([[2., 2., 2.]], dtype=float32)]
    """
    if sparse:
        raise ValueError("Sparse placeholders are not supported by teachkeras: use a dense one.")
    if shape is None:
        if ndim is None:
            raise ValueError(
                "K.placeholder needs a `shape` (e.g. shape=(None, 3)) or an `ndim` "
                "(e.g. ndim=2): teachkeras does not support tensors of unknown rank."
            )
        shape = (None,) * int(ndim)
    tensor = SymbolicTensor(shape, dtype, name=name or unique_name("placeholder"))
    tensor._is_placeholder = True
    return tensor


def missing_value_error(tensor: SymbolicTensor) -> ValueError:
    return ValueError(
        f"Placeholder {tensor.name!r} (shape {tensor.shape}, dtype {tensor.dtype}) was given no "
        f"value. Put it in the inputs of K.function and feed an array for it: "
        f"f = K.function([{tensor.name}, ...], outputs); f([value, ...])."
    )


# --- the one dispatch point ---------------------------------------------------------------
def symbolic_op(fn: Callable) -> Callable:
    """Wrap a backend op: on concrete values it runs, with a symbolic input it is recorded.

    A symbolic tensor is looked for among the arguments and one level inside list/tuple
    arguments (`K.concatenate([a, b])`, an index tuple `x[:, i]`).
    """

    @functools.wraps(fn)
    def dispatched(*args, **kwargs):
        if _any_symbolic(args) or (kwargs and _any_symbolic(kwargs.values())):
            return symbolic_call(fn, args, kwargs)
        result = fn(*args, **kwargs)
        if type(result) is Tensor and _computed_from_variables(args, kwargs):
            result._recipe = _Recipe(fn, args, kwargs)  # see `_lift`
        return result

    return dispatched


def _computed_from_variables(args: tuple, kwargs: dict) -> bool:
    """True when the tensors among the arguments are all variables (or computed from them).

    Such a result, `K.transpose(W)` say, is a function of the variables alone. In Keras 2
    it was part of the graph and followed the variables when they changed; here it is
    computed at once, so it keeps its recipe (`_Recipe`) for `symbolic_call` to put back into a
    graph.
    """
    found = False
    for leaf in (*args, *kwargs.values()):
        for value in leaf if isinstance(leaf, list | tuple) else (leaf,):
            if isinstance(value, Variable) or getattr(value, "_recipe", None) is not None:
                found = True
            elif isinstance(value, Tensor):
                return False  # computed from data: no recipe to keep
    return found


def handles_symbolic(fn: Callable) -> Callable:
    """Mark a backend function that deals with symbolic tensors itself (not to be wrapped)."""
    fn._handles_symbolic = True
    return fn


def _any_symbolic(values) -> bool:
    for v in values:
        if is_symbolic(v):
            return True
        if isinstance(v, list | tuple) and any(is_symbolic(w) for w in v):
            return True
    return False


def symbolic_call(op: Callable, args: tuple, kwargs: dict | None = None):
    """The symbolic result of `op(*args, **kwargs)`: one tensor, or a tuple for a tuple-valued op."""
    args, kwargs = _map_leaves(args, _lift), _map_leaves(kwargs or {}, _lift)
    outputs, several = _infer_outputs(op, args, kwargs)
    name = _op_name(op)
    if not several:
        shape, dtype = outputs[0]
        return SymbolicTensor(shape, dtype, name=name, op=op, args=args, kwargs=kwargs)
    # the call itself (its value is the tuple), and one tensor per element of it
    whole = SymbolicTensor((), name=name, op=op, args=args, kwargs=kwargs)
    return tuple(
        SymbolicTensor(shape, dtype, name=f"{name}[{i}]", op=_pick, args=(whole, i))
        for i, (shape, dtype) in enumerate(outputs)
    )


class _Recipe:
    """How a tensor was computed from variables: the op and its arguments, where each
    argument that was itself computed from variables is kept as its recipe, not as its
    value (so a recipe never keeps intermediate arrays alive)."""

    __slots__ = ("args", "kwargs", "op")

    def __init__(self, op: Callable, args: tuple, kwargs: dict) -> None:
        self.op = op
        self.args = _map_leaves(args, _recipe_or_value)
        self.kwargs = _map_leaves(kwargs, _recipe_or_value)


def _recipe_or_value(value):
    recipe = getattr(value, "_recipe", None) if isinstance(value, Tensor) else None
    return value if recipe is None else recipe


def _lift(value):
    """An argument of a recorded op: a tensor computed from variables alone goes back in
    the graph as the op that computed it, so the graph recomputes it from the variables'
    current values each run, and `K.gradients` reaches the variables through it."""
    recipe = _recipe_or_value(value)
    if isinstance(recipe, _Recipe):
        return symbolic_call(recipe.op, recipe.args, recipe.kwargs)
    if isinstance(value, Tensor) and value.requires_grad and not isinstance(value, Variable):
        warn_once(
            "symbolic.eager_tensor_in_graph",
            "A Keras 2 graph was given a tensor computed at once from variables with a Python "
            "operator or a Keras 3 op (such as `w * 2`): the graph keeps its current value, so "
            "K.function will not follow later changes of the variables and K.gradients will not "
            "reach them through it. Write that part with K functions: K.multiply(w, 2).",
        )
    return value


def _pick(values, index: int):
    """The `index`-th result of a tuple-valued op."""
    return values[index]


def _infer_outputs(op: Callable, args: tuple, kwargs: dict) -> tuple[list[tuple], bool]:
    """(shape, dtype) of each output of `op`, found by running it on zeros (see
    `backend/shape_inference.py`); and whether `op` returns a tuple of tensors rather than one."""
    symbolic = [leaf for leaf in _leaves((args, kwargs)) if is_symbolic(leaf)]
    unknown = any(d is None for leaf in symbolic for d in leaf.shape)

    def run_on_zeros(size: int):
        """`op` with each symbolic input replaced by zeros (unknown sizes = `size`), and each
        variable by a copy (so that recording `K.update(v, x)` changes nothing)."""

        def stand_in(leaf):
            if is_symbolic(leaf):
                shape = tuple(size if d is None else d for d in leaf.shape)
                return Tensor(np.zeros(shape, dtype=leaf.dtype))
            if isinstance(leaf, Variable):
                return Variable(leaf.data.copy(), dtype=leaf.dtype, name=leaf.name)
            return leaf

        return op(*_map_leaves(args, stand_in), **_map_leaves(kwargs, stand_in))

    try:
        return infer_output_specs(run_on_zeros, unknown)
    except (ValueError, TypeError, IndexError) as error:
        raise ValueError(
            f"K.{_op_name(op)} cannot be applied to these symbolic inputs (shapes "
            f"{[leaf.shape for leaf in symbolic]}, None = unknown size): {error}"
        ) from error


def _op_name(op: Callable) -> str:
    return getattr(op, "__name__", type(op).__name__)


# --- running the graph --------------------------------------------------------------------
class Run:
    """The state of one evaluation of a graph.

    Attributes:
        training: the learning phase fed (True/False), or None: layers then use their default.
        cache: results shared between nodes (a layer's outputs, a set of gradients).
    """

    def __init__(self, training: bool | None) -> None:
        self.training = training
        self.cache: dict = {}


def evaluate(tensors: list[SymbolicTensor], feed: dict | None = None) -> list:
    """The values of `tensors`, with `feed` mapping placeholders (or any tensor) to values.

    Nodes run in topological order, each once. The graph behind a fed tensor is not run
    (you may feed an intermediate result, e.g. a layer's input). Gradients are recorded
    only when the graph contains a `K.gradients` result.
    """
    feed = feed or {}
    fed = {id(t): (t, _fed_value(t, v)) for t, v in feed.items()}
    order = topological_order(tensors, inputs_of, stop=lambda node: id(node) in fed)
    training = next(
        (bool(v.data) for t, v in fed.values() if getattr(t, "_is_learning_phase", False)), None
    )
    run = Run(training)
    watched = {id(w) for node in order if isinstance(node, SymbolicTensor) for w in node._watched()}
    recording = any(getattr(node, "_needs_recording", False) for node in order)
    values: dict[int, object] = {}
    with enable_grad() if recording else no_grad():
        for node in order:
            value = (
                fed[id(node)][1] if id(node) in fed else compute(node, lambda t: values[id(t)], run)
            )
            if id(node) in watched:
                value = _as_leaf(value)
            values[id(node)] = value
    return [values[id(t)] for t in tensors]


def ancestors(tensor, through: Callable[[SymbolicTensor], bool]) -> list:
    """`tensor` and every node it depends on, not looking behind nodes where `through` is False."""
    return topological_order([tensor], inputs_of, stop=lambda node: not through(node))


# --- Keras 3's KerasTensor in a Keras 2 graph -------------------------------------------------
# `K.function([model.input], [layer.output])` and `K.mean(model.output)` put a model's
# symbolic tensors in a Keras 2 graph. A KerasTensor is a node too: its inputs are those
# of the layer call that made it, and computing it is running that call again.
def is_symbolic(x) -> bool:
    """A value only known when the graph runs: a Keras 2 symbolic tensor or a KerasTensor."""
    return isinstance(x, SymbolicTensor | KerasTensor)


def inputs_of(tensor) -> list:
    """The symbolic tensors `tensor` is computed from."""
    if isinstance(tensor, KerasTensor):
        node = _layer_call(tensor)
        return [] if node is None else list(node.input_tensors)
    return tensor._symbolic_inputs()


def variables_of(tensor) -> list[Tensor]:
    """The variables used directly to compute `tensor` (a layer call: the layer's weights)."""
    if isinstance(tensor, KerasTensor):
        node = _layer_call(tensor)
        return [] if node is None else list(node.layer.weights)
    return tensor._variables()


def compute(tensor, value_of: Callable, run: Run):
    """The value of `tensor`, given `value_of` for the tensors it is computed from."""
    if not isinstance(tensor, KerasTensor):
        return tensor._compute(value_of, run)
    node = _layer_call(tensor)
    if node is None or not node.input_tensors:
        raise ValueError(
            f"Model input {tensor.name!r} (shape {tensor.shape}) was given no value. Put it in "
            "the inputs of K.function and feed an array for it: "
            "f = K.function([model.input, ...], outputs); f([x, ...])."
        )
    if id(node) not in run.cache:  # a layer with several outputs runs once
        run.cache[id(node)] = node.run(value_of, run.training)  # the learning phase fed, if any
    return run.cache[id(node)][tensor._keras_history[2]]


def is_model_input(tensor) -> bool:
    """A KerasTensor made by `Input(...)`: a placeholder of the model's graph."""
    if not isinstance(tensor, KerasTensor):
        return False
    node = _layer_call(tensor)
    return node is not None and not node.input_tensors


def _layer_call(tensor: KerasTensor):
    if tensor._keras_history is None:
        return None
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _fed_value(tensor: SymbolicTensor, value) -> Tensor:
    """A fed value as a tensor of the placeholder's dtype, after checking its shape."""
    if not is_symbolic(tensor):
        raise TypeError(f"Only symbolic tensors can be fed; got {type(tensor).__name__}.")
    array = np.asarray(as_array(value))
    if array.dtype != np.dtype(tensor.dtype):
        array = array.astype(tensor.dtype)
    expected = tensor.shape
    if array.ndim != len(expected) or any(
        d is not None and d != n for d, n in zip(expected, array.shape, strict=False)
    ):
        raise ValueError(
            f"Cannot feed a value of shape {array.shape} for {tensor.name!r}, which has shape "
            f"{expected} (None = any size)."
        )
    return Tensor(array)


def _as_leaf(value) -> Tensor:
    """A value whose gradient is wanted: kept if it already carries a graph, else a new leaf."""
    if isinstance(value, Tensor) and value.requires_grad:
        return value
    leaf = Tensor(np.array(as_array(value)))
    leaf.requires_grad = True
    return leaf


# --- walking nested arguments ---------------------------------------------------------------
def _leaves(structure) -> Iterator:
    if isinstance(structure, list | tuple):
        for item in structure:
            yield from _leaves(item)
    elif isinstance(structure, dict):
        for item in structure.values():
            yield from _leaves(item)
    else:
        yield structure


def _map_leaves(structure, fn):
    if isinstance(structure, list | tuple):
        return type(structure)(_map_leaves(item, fn) for item in structure)
    if isinstance(structure, dict):
        return {key: _map_leaves(value, fn) for key, value in structure.items()}
    return fn(structure)


def _replace_symbolic(structure, value_of):
    return _map_leaves(structure, lambda a: value_of(a) if is_symbolic(a) else a)

"""`K.function`, `K.gradients` and `K.eval` on symbolic tensors: running a Keras 2 graph.

    x = K.placeholder(shape=(None, 3))
    loss = K.sum(K.square(x))
    grads = K.gradients(loss, [x])            # symbolic: d loss / d x, to be computed
    f = K.function([x], [loss, grads[0]])
    f([np.ones((1, 3))])                      # [array(3.), array([[2., 2., 2.]])]

The inputs of a function may be placeholders, model inputs (`model.input`), any
intermediate tensor (`layer.input`: the graph before it is then not run), and
`K.learning_phase()`, fed 0 (test) or 1 (train), which every layer of the graph obeys.

A symbolic gradient is computed when the graph runs, by our engine: the forward pass
is recorded from the tensors the gradient is taken with respect to, then
`gradients()` walks it backwards. Second derivatives (the gradient of a gradient) are
not possible: the engine's gradients are plain arrays, not recorded computations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...backend import math_ops
from ...backend.tensor import Tensor, as_array
from ...backend.tensor import gradients as engine_gradients
from .symbolic import (
    SymbolicTensor,
    ancestors,
    evaluate,
    handles_symbolic,
    is_symbolic,
    variables_of,
)


class _Gradient(SymbolicTensor):
    """The symbolic gradient of `loss` with respect to `wrt[index]` (one of `K.gradients`'s results)."""

    _needs_recording = True

    def __init__(self, loss: SymbolicTensor, wrt: list, index: int) -> None:
        target = wrt[index]
        super().__init__(target.shape, target.dtype, name=f"gradient_of_{loss.name}")
        self.loss, self.wrt, self.index = loss, wrt, index

    def _symbolic_inputs(self) -> list[SymbolicTensor]:
        return [self.loss, *self._watched()]

    def _variables(self) -> list:
        return []

    def _watched(self) -> list[SymbolicTensor]:
        return [w for w in self.wrt if is_symbolic(w)]

    def _compute(self, value_of, run):
        # The gradients of one K.gradients call are computed together, once per run.
        key = ("gradients", id(self.loss), tuple(id(w) for w in self.wrt))
        if key not in run.cache:
            targets = [value_of(w) if is_symbolic(w) else w for w in self.wrt]
            run.cache[key] = engine_gradients(value_of(self.loss), targets)
        grad = run.cache[key][self.index]
        if grad is None:  # connected only through stop_gradient, argmax, round...: zero
            target = self.wrt[self.index]
            value = value_of(target) if is_symbolic(target) else target
            grad = np.zeros_like(as_array(value))
        return Tensor(grad)

    def __repr__(self) -> str:
        return f"<SymbolicTensor gradient shape={self.shape}, dtype={self.dtype}, name={self.name}>"


@handles_symbolic
def gradients(loss, variables, **kwargs) -> list:
    """Gradients of `loss` with respect to each of `variables` (Keras 2's `K.gradients`).

    Formula: $\\partial\\, \\mathrm{sum}(loss) / \\partial v$ for each $v$ (a non-scalar loss is summed, as in TensorFlow).

    On an eager tensor the gradients are computed now (NumPy arrays). On a symbolic loss
    they are symbolic tensors, computed when a `K.function` runs them. Either way, a
    variable the loss does not depend on gets `None`, as in Keras 2.

    Args:
        loss: a tensor (usually a scalar).
        variables: a list of variables, placeholders or symbolic tensors (or one of them).
    """
    single = not isinstance(variables, list | tuple)
    wanted = [variables] if single else list(variables)
    if not is_symbolic(loss):
        if any(is_symbolic(v) for v in wanted):
            raise TypeError(
                "K.gradients: the loss is a concrete tensor but some variables are symbolic. "
                "Build the loss from the placeholders (symbolic) or use concrete tensors throughout."
            )
        return engine_gradients(loss, wanted if not single else variables, **kwargs)
    graph = ancestors(
        loss, through=lambda node: getattr(node, "op", None) is not math_ops.stop_gradient
    )
    if any(isinstance(node, _Gradient) for node in graph):
        raise NotImplementedError(
            "K.gradients of a loss built from another K.gradients result (a second derivative) "
            "is not supported: teachkeras's engine differentiates once."
        )
    reachable = {id(node) for node in graph}
    variables_used = {id(v) for node in graph for v in variables_of(node)}
    wanted_list = list(wanted)
    return [
        _Gradient(loss, wanted_list, i) if id(v) in reachable or id(v) in variables_used else None
        for i, v in enumerate(wanted_list)
    ]


class Function:
    """A callable that runs a graph: `f = K.function(inputs, outputs); f(values)`.

    Args:
        inputs: symbolic tensors to feed (placeholders, `model.input`, `layer.input`,
            `K.learning_phase()`).
        outputs: a symbolic tensor or a list of them (variables are allowed: their value).
        updates: updates run after the outputs at each call: `K.update(v, new)`,
            `K.update_add(v, delta)`, ... on symbolic values, or `(variable, new_value)` pairs.
            Every new value is computed before any variable changes.

    Returns (when called with a list of values, one per input):
        a list of NumPy arrays, one per output (a single array for a single output).
    """

    def __init__(self, inputs, outputs, updates=None, name=None, **kwargs) -> None:
        self._input_structure = inputs
        self.inputs = _flatten(inputs)
        for x in self.inputs:
            if not is_symbolic(x) and not _is_fixed_phase(x):
                raise TypeError(
                    f"K.function inputs must be symbolic tensors (K.placeholder(...), model.input, "
                    f"layer.output, K.learning_phase()); got {type(x).__name__}: {x!r}."
                )
        self._single_output = not isinstance(outputs, list | tuple)
        self.outputs = [outputs] if self._single_output else list(outputs)
        self.updates = list(updates or [])
        self.name = name

    def __call__(self, inputs) -> list[np.ndarray] | np.ndarray:
        values = _flatten_like(self._input_structure, inputs, self.inputs)
        feed = {x: v for x, v in zip(self.inputs, values, strict=True) if not _is_fixed_phase(x)}
        feed.update(_fixed_phase_feed(self.inputs, values))
        symbolic_outputs = [o for o in self.outputs if is_symbolic(o)]
        pending = [_update_parts(u) for u in self.updates]  # (apply, symbolic new value or None)
        results = evaluate(symbolic_outputs + [new for _, new in pending if is_symbolic(new)], feed)
        by_id = dict(zip(map(id, symbolic_outputs), results, strict=False))
        new_values = iter(results[len(symbolic_outputs) :])
        for apply, new in pending:  # every new value is known: now change the variables
            apply(next(new_values) if is_symbolic(new) else new)
        arrays = [_to_numpy(by_id[id(o)] if id(o) in by_id else o) for o in self.outputs]
        return arrays[0] if self._single_output else arrays


@handles_symbolic
def function(inputs, outputs, updates=None, name=None, **kwargs) -> Function:
    """A Python callable running the graph from `inputs` to `outputs` (Keras 2's `K.function`).

    Example (a layer's activations, in test mode, as Keras 2's FAQ shows):
        >>> get_features = K.function([model.input, K.learning_phase()], [model.layers[1].output])
        >>> features = get_features([x, 0])[0]
    """
    return Function(inputs, outputs, updates=updates, name=name, **kwargs)


@handles_symbolic
def eval(x) -> np.ndarray:
    """The value of a tensor, variable or placeholder-free symbolic tensor as a NumPy array."""
    if is_symbolic(x):
        return _to_numpy(evaluate([x])[0])
    if isinstance(x, Tensor):
        return x.numpy()  # a variable's is a copy, as in Keras 2: it is updated in place later
    return np.asarray(as_array(x))


# --- helpers ------------------------------------------------------------------------------
def _update_parts(update):
    """An update as (apply(value), the symbolic value to compute first, or a concrete one)."""
    if isinstance(update, list | tuple) and len(update) == 2:
        variable, new = update
        return (lambda value: variable.assign(as_array(value))), new
    if is_symbolic(update):  # K.update_add(v, symbolic): running it applies it
        return (lambda value: None), update
    if isinstance(update, Tensor):  # an update on concrete values already happened when made
        return (lambda value: None), update
    raise TypeError(
        f"K.function updates must be K.update(...) results or (variable, new_value) pairs; "
        f"got {type(update).__name__}."
    )


def _is_fixed_phase(x) -> bool:
    """`K.learning_phase()` after `K.set_learning_phase(0/1)` is a plain 0 or 1 (as in Keras 2)."""
    return isinstance(x, int | bool | np.integer) and not is_symbolic(x)


def _fixed_phase_feed(inputs: list, values: list) -> dict:
    """A value fed for a fixed learning phase still chooses the phase of this call."""
    from .learning_phase import learning_phase_placeholder

    for x, v in zip(inputs, values, strict=True):
        if _is_fixed_phase(x):
            return {learning_phase_placeholder(): v}
    return {}


def _to_numpy(value) -> np.ndarray:
    if value is None:
        return None
    array = np.asarray(as_array(value))
    return array.copy() if isinstance(value, Tensor) and value.requires_grad else array


def _flatten(structure: Sequence | object) -> list:
    if isinstance(structure, list | tuple):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _flatten_like(structure, values, flat_inputs: list) -> list:
    """The fed values in the order of the flattened inputs (a value may itself be a list)."""
    if not isinstance(structure, list | tuple):
        return [values]
    if not isinstance(values, list | tuple) or len(values) != len(structure):
        count = len(values) if isinstance(values, list | tuple) else 1
        raise ValueError(
            f"This K.function has {len(structure)} input(s) "
            f"{[getattr(x, 'name', x) for x in flat_inputs]} but was called with {count} "
            "value(s). Pass one value per input, in a list: f([x_value, ...])."
        )
    return [
        leaf
        for s, v in zip(structure, values, strict=True)
        for leaf in _flatten_like(s, v, flat_inputs)
    ]

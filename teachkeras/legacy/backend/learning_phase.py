"""The learning phase (Keras 2): train (1) or test (0), and the ops that depend on it.

Keras 3 passes `training=True/False` to each call. Keras 2 also had one global switch:

    K.set_learning_phase(1)      # from now on, layers called without `training` train
    K.learning_phase()           # 1 here; before any set_learning_phase, a placeholder

Before `set_learning_phase` is called, `learning_phase()` is a symbolic scalar to feed
through `K.function`: `K.function([model.input, K.learning_phase()], [...])([x, 0])`
runs every layer of the graph in test mode (Dropout off, BatchNorm with its moving
statistics), `[x, 1]` in training mode. Not fed, it means test mode.

The value fixed by `set_learning_phase` is kept by the engine (`backend/global_state.py`),
where `Layer.__call__` reads it for layers called without `training`; `clear_session()`
forgets it.
"""

from __future__ import annotations

import numpy as np

from ...backend import global_state
from ...backend.math_ops import where
from ...backend.tensor import Tensor, as_array, as_tensor
from .symbolic import SymbolicTensor, handles_symbolic, is_symbolic, symbolic_op

_placeholder: SymbolicTensor | None = None


@handles_symbolic
def learning_phase():
    """0 (test) or 1 (train) if `set_learning_phase` fixed it, else the placeholder to feed."""
    phase = global_state.learning_phase()
    return phase if phase is not None else learning_phase_placeholder()


def learning_phase_placeholder() -> SymbolicTensor:
    """The scalar placeholder `keras_learning_phase` (it means 0 when nothing is fed)."""
    global _placeholder
    if _placeholder is None:
        _placeholder = SymbolicTensor((), "bool", name="keras_learning_phase")
        _placeholder._is_placeholder = True
        _placeholder._is_learning_phase = True
        _placeholder._default = lambda: Tensor(np.asarray(bool(global_state.learning_phase() or 0)))
    return _placeholder


def set_learning_phase(value: int) -> None:
    """Fix the learning phase: 1 = layers called without `training` train, 0 = they don't."""
    if value not in (0, 1):
        raise ValueError(f"Expected learning phase to be 0 or 1. Received: {value!r}")
    global_state.set_learning_phase(value)


# --- ops that choose between two values ----------------------------------------------------
@handles_symbolic
def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition` holds, else `else_expression` (Keras 2's `K.switch`).

    Formula: $y = c \\cdot a + (1 - c) \\cdot b$ elementwise; a scalar $c$ picks a whole branch.
    The gradient flows into the branch that was chosen (into each element's chosen branch).

    A scalar condition chooses one branch (a callable branch is only called if chosen,
    unless the condition is symbolic: then both are built, as Keras 2 built both).
    A condition with axes is broadcast against the branches after padding its shape with
    trailing 1s: a `(batch,)` condition selects whole rows of `(batch, features)` values.
    """
    if not is_symbolic(condition) and np.ndim(as_array(condition)) == 0:
        chosen = then_expression if bool(as_array(condition)) else else_expression
        return as_tensor(_called(chosen))  # only the chosen branch is computed
    return _select(condition, _called(then_expression), _called(else_expression))


@symbolic_op  # the condition may be the learning phase: decided when the graph runs
def _select(condition, then_value, else_value):
    cond = as_array(condition).astype(bool)
    if cond.ndim == 0:
        return as_tensor(then_value) if cond else as_tensor(else_value)
    then_value, else_value = as_tensor(then_value), as_tensor(else_value)
    target = max(then_value.ndim, else_value.ndim)
    if cond.ndim > target:
        raise ValueError(
            f"K.switch: the condition has rank {cond.ndim}, more than the branches "
            f"(rank {target}). Its rank must be at most theirs."
        )
    cond = cond.reshape(cond.shape + (1,) * (target - cond.ndim))  # (batch,) -> (batch, 1)
    return where(cond, then_value, else_value)


@handles_symbolic
def in_train_phase(x, alt, training=None):
    """`x` in training mode, `alt` in test mode (either may be a callable returning it).

    `training` is a bool, 0/1, or None for the learning phase: on concrete values its
    global value (test mode unless `set_learning_phase(1)`), in a symbolic graph the
    learning phase fed to `K.function`.
    """
    if training is None:
        x, alt = _called(x), _called(alt)
        symbolic = is_symbolic(x) or is_symbolic(alt)
        training = learning_phase() if symbolic else (global_state.learning_phase() or 0)
    if is_symbolic(training):
        return switch(training, x, alt)
    return _called(x) if bool(as_array(training)) else _called(alt)


@handles_symbolic
def in_test_phase(x, alt, training=None):
    """`x` in test mode, `alt` in training mode (the mirror of `in_train_phase`)."""
    return in_train_phase(alt, x, training=training)


def _called(branch):
    return branch() if callable(branch) else branch

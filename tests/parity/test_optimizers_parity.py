"""Optimizers against real Keras 3: same start, same gradients, same trajectory."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import optimizers

# Real Keras (torch backend) converts tensors with np.array(x), which NumPy 2 flags.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

STEPS = 20
RTOL, ATOL = 1e-5, 1e-6

# (class name, keyword arguments): every optimizer, and the options that change its arithmetic.
CASES = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1, "clipnorm": 1.0}),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("SGD", {"learning_rate": 0.1, "global_clipnorm": 1.0}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.1}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.9}),
    ("RMSprop", {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.5, "centered": True}),
    ("Adagrad", {}),
    ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "clipnorm": 0.5}),
    ("Adadelta", {"learning_rate": 1.0}),  # at the default η = 0.001 it hardly moves
    ("Adadelta", {"learning_rate": 1.0, "rho": 0.9, "global_clipnorm": 0.5}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.05, "amsgrad": True}),
    ("Adam", {"learning_rate": 0.05, "weight_decay": 0.1, "clipvalue": 1.0}),
    ("Adam", {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}),
    ("Adamax", {}),
    ("Adamax", {"learning_rate": 0.05, "clipnorm": 0.5}),
    ("Nadam", {}),
    ("Nadam", {"learning_rate": 0.05, "global_clipnorm": 0.5}),
    ("Nadam", {"learning_rate": 0.05, "weight_decay": 0.05}),
]


def _case_id(case) -> str:
    name, kwargs = case
    return name + "".join(f"-{k}={v}" for k, v in kwargs.items())


def _start_and_gradients(seed: int = 7):
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(5, 3)).astype("float32")
    bias = rng.normal(size=(3,)).astype("float32")
    # Gradients of changing sizes (some steps large enough for the clipping to act).
    grads = [
        (
            (rng.normal(size=(5, 3)) * rng.uniform(0.1, 2.0)).astype("float32"),
            (rng.normal(size=(3,)) * rng.uniform(0.1, 2.0)).astype("float32"),
        )
        for _ in range(STEPS)
    ]
    return kernel, bias, grads


def _run_keras(keras, name, kwargs, kernel, bias, grads):
    opt = getattr(keras.optimizers, name)(**kwargs)
    variables = [keras.Variable(kernel, name="kernel"), keras.Variable(bias, name="bias")]
    trajectory = []
    for step_grads in grads:
        tensors = [keras.ops.convert_to_tensor(g) for g in step_grads]
        opt.apply_gradients(zip(tensors, variables, strict=True))
        trajectory.append([keras.ops.convert_to_numpy(v.value) for v in variables])
    slots = [keras.ops.convert_to_numpy(v.value) for v in opt.variables]
    return trajectory, slots


def _run_ours(name, kwargs, kernel, bias, grads):
    opt = getattr(optimizers, name)(**kwargs)
    variables = [K.Variable(kernel, name="kernel"), K.Variable(bias, name="bias")]
    trajectory = []
    for step_grads in grads:
        opt.apply_gradients(zip(step_grads, variables, strict=True))
        trajectory.append([v.numpy().copy() for v in variables])
    slots = [v.numpy() for v in opt.variables]
    return trajectory, slots


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_trajectory_matches_keras(keras, case):
    name, kwargs = case
    kernel, bias, grads = _start_and_gradients()
    theirs, their_slots = _run_keras(keras, name, kwargs, kernel, bias, grads)
    ours, our_slots = _run_ours(name, kwargs, kernel, bias, grads)

    max_diff = 0.0
    for step, (their_step, our_step) in enumerate(zip(theirs, ours, strict=True)):
        for their_w, our_w in zip(their_step, our_step, strict=True):
            assert our_w.dtype == np.float32
            np.testing.assert_allclose(
                our_w, their_w, rtol=RTOL, atol=ATOL, err_msg=f"{name} step {step + 1}"
            )
            max_diff = max(max_diff, float(np.max(np.abs(our_w - their_w))))
    # The weights moved, so the comparison is not between two unchanged starts.
    assert np.max(np.abs(ours[-1][0] - kernel)) > 1e-3
    # Same optimizer variables, in the same order, with the same values.
    assert len(our_slots) == len(their_slots)
    for ours_v, theirs_v in zip(our_slots, their_slots, strict=True):
        np.testing.assert_allclose(ours_v, theirs_v, rtol=1e-4, atol=1e-6)
    print(f"{_case_id(case)}: max |Δw| over {STEPS} steps = {max_diff:.2e}")


@pytest.mark.parametrize(
    "name", ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"]
)
def test_defaults_and_config_match_keras(keras, name):
    theirs = getattr(keras.optimizers, name)().get_config()
    ours = getattr(optimizers, name)().get_config()
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if key != "name":
            assert ours[key] == pytest.approx(value), key
    # A config that real Keras wrote loads here, with the same values.
    keras_opt = getattr(keras.optimizers, name)(learning_rate=0.5, clipnorm=2.0)
    loaded = optimizers.deserialize(keras.optimizers.serialize(keras_opt))
    assert type(loaded) is getattr(optimizers, name)
    assert loaded.get_config() == pytest.approx(keras_opt.get_config())


def test_weight_decay_exclusion_matches_keras(keras):
    kernel, bias, grads = _start_and_gradients(seed=3)
    kwargs = {"learning_rate": 0.05, "weight_decay": 0.2}
    k_opt = keras.optimizers.Adam(**kwargs)
    k_vars = [keras.Variable(kernel, name="kernel"), keras.Variable(bias, name="bias")]
    k_opt.exclude_from_weight_decay(var_names=["bias"])
    o_opt = optimizers.Adam(**kwargs)
    o_vars = [K.Variable(kernel, name="kernel"), K.Variable(bias, name="bias")]
    o_opt.exclude_from_weight_decay(var_names=["bias"])
    for step_grads in grads:
        k_grads = [keras.ops.convert_to_tensor(g) for g in step_grads]
        k_opt.apply_gradients(zip(k_grads, k_vars, strict=True))
        o_opt.apply_gradients(zip(step_grads, o_vars, strict=True))
    for k_var, o_var in zip(k_vars, o_vars, strict=True):
        np.testing.assert_allclose(o_var.numpy(), k_var.numpy(), rtol=RTOL, atol=ATOL)


# --- a real loss: each framework computes its own gradients from its own weights -------
def _rosenbrock(x, y):
    """f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


@pytest.mark.parametrize(
    "name, kwargs",
    [("SGD", {"learning_rate": 1e-3, "momentum": 0.9}), ("Adam", {"learning_rate": 0.05})],
)
def test_rosenbrock_descent_matches_keras(keras, name, kwargs):
    import torch

    start = np.array([-1.2, 1.0], dtype="float32")
    k_opt = getattr(keras.optimizers, name)(**kwargs)
    k_var = keras.Variable(start)
    o_opt = getattr(optimizers, name)(**kwargs)
    o_var = K.Variable(start)

    losses, max_diff = [], 0.0
    for _ in range(STEPS):
        with torch.enable_grad():
            w = k_var.value
            k_loss = _rosenbrock(w[0], w[1])
            (k_grad,) = torch.autograd.grad(k_loss, w)
        k_opt.apply_gradients([(k_grad, k_var)])

        o_loss = _rosenbrock(o_var[0], o_var[1])
        (o_grad,) = K.gradients(o_loss, [o_var])
        o_opt.apply_gradients([(o_grad, o_var)])

        np.testing.assert_allclose(float(o_loss.item()), float(k_loss.item()), rtol=RTOL)
        np.testing.assert_allclose(o_var.numpy(), k_var.numpy(), rtol=RTOL, atol=ATOL)
        max_diff = max(max_diff, float(np.max(np.abs(o_var.numpy() - k_var.numpy()))))
        losses.append(float(o_loss.item()))
    assert losses[-1] < losses[0]  # it is descending
    print(f"Rosenbrock {name}: max |Δw| over {STEPS} steps = {max_diff:.2e}")

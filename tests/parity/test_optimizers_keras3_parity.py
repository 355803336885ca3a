"""AdamW, Lion, Adafactor, Ftrl and Lamb against real Keras 3: trajectories, slots, configs.

Two kinds of trajectory, 20 steps each: the same gradients fed to both (every option that
changes the arithmetic, weight decay included), and the same small model trained on the
same data, each framework computing its own gradients from its own weights.
"""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras import optimizers

STEPS = 20
RTOL, ATOL = 1e-5, 1e-6
NAMES = ["AdamW", "Lion", "Adafactor", "Ftrl", "Lamb"]

# (class name, keyword arguments): the defaults, and the options that change the arithmetic.
CASES = [
    ("AdamW", {}),
    ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ("AdamW", {"learning_rate": 0.05, "beta_1": 0.5, "epsilon": 1e-3, "clipnorm": 1.0}),
    ("Lion", {}),
    ("Lion", {"learning_rate": 0.01, "weight_decay": 0.5}),
    ("Lion", {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "global_clipnorm": 1.0}),
    ("Adafactor", {}),
    ("Adafactor", {"learning_rate": 0.5}),
    ("Adafactor", {"learning_rate": 0.05, "clip_threshold": 0.5, "weight_decay": 0.1}),
    ("Adafactor", {"learning_rate": 0.05, "beta_2_decay": -0.5, "epsilon_2": 0.1}),
    ("Ftrl", {}),
    ("Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.05, "beta": 0.5}),
    (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "l2_regularization_strength": 0.01,
            "l2_shrinkage_regularization_strength": 0.02,
            "initial_accumulator_value": 0.5,
        },
    ),
    ("Ftrl", {"learning_rate": 0.1, "learning_rate_power": 0.0, "weight_decay": 0.1}),
    ("Lamb", {}),
    ("Lamb", {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("Lamb", {"learning_rate": 0.05, "beta_2": 0.9, "clipvalue": 0.5}),
]
SHAPES = [(5, 3), (3,), (2, 4, 3)]  # a kernel, a bias, a conv-like kernel (rank 3)


def _case_id(case) -> str:
    name, kwargs = case
    return name + "".join(f"-{k}={v}" for k, v in kwargs.items())


def _start_and_gradients(seed: int = 7):
    rng = np.random.default_rng(seed)
    start = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [
        [(rng.normal(size=s) * rng.uniform(0.1, 2.0)).astype("float32") for s in SHAPES]
        for _ in range(STEPS)
    ]
    return start, grads


def _max_abs(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)), initial=0))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_trajectory_matches_keras(keras, case):
    name, kwargs = case
    start, grads = _start_and_gradients()
    k_opt, o_opt = getattr(keras.optimizers, name)(**kwargs), getattr(optimizers, name)(**kwargs)
    k_vars = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(start)]
    o_vars = [K.Variable(w, name=f"w{i}") for i, w in enumerate(start)]
    worst = 0.0
    for step, step_grads in enumerate(grads, start=1):
        k_grads = [keras.ops.convert_to_tensor(g) for g in step_grads]
        k_opt.apply_gradients(zip(k_grads, k_vars, strict=True))
        o_opt.apply_gradients(zip(step_grads, o_vars, strict=True))
        for k_var, o_var in zip(k_vars, o_vars, strict=True):
            theirs = keras.ops.convert_to_numpy(k_var.value)
            assert o_var.dtype == np.float32
            np.testing.assert_allclose(
                o_var.numpy(), theirs, rtol=RTOL, atol=ATOL, err_msg=f"{name} step {step}"
            )
            worst = max(worst, _max_abs(o_var.numpy(), theirs))
    assert np.max(np.abs(o_vars[0].numpy() - start[0])) > 1e-3  # the weights moved
    # The same optimizer variables, in the same order, shapes and values.
    theirs = [keras.ops.convert_to_numpy(v.value) for v in k_opt.variables]
    ours = [v.numpy() for v in o_opt.variables]
    assert [np.shape(t) for t in theirs] == [np.shape(o) for o in ours]
    for t, o in zip(theirs[1:], ours[1:], strict=True):  # (iteration: int32 there, int64 here)
        assert o.dtype == t.dtype
        np.testing.assert_allclose(o, t, rtol=1e-4, atol=1e-6)
    print(f"{_case_id(case)}: max |Δw| over {STEPS} steps = {worst:.2e}")


@pytest.mark.parametrize("name", NAMES)
def test_slot_names_match_keras(keras, name):
    k_opt, o_opt = getattr(keras.optimizers, name)(), getattr(optimizers, name)()
    k_opt.build([keras.Variable(np.ones(s, "float32"), name=f"w{i}") for i, s in enumerate(SHAPES)])
    o_opt.build([K.Variable(np.ones(s, "float32"), name=f"w{i}") for i, s in enumerate(SHAPES)])
    assert [v.name for v in o_opt.variables] == [v.name for v in k_opt.variables]


def _mlp(lib, weights, name, kwargs):
    model = lib.Sequential(
        [lib.Input((4,)), lib.layers.Dense(6, activation="tanh"), lib.layers.Dense(2)]
    )
    model.set_weights(weights)
    model.compile(optimizer=getattr(lib.optimizers, name)(**kwargs), loss="mse")
    return model


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("AdamW", {"learning_rate": 0.02}),
        ("Lion", {"learning_rate": 0.005, "weight_decay": 0.1}),
        ("Adafactor", {"learning_rate": 0.05}),
        ("Ftrl", {"learning_rate": 0.2, "l1_regularization_strength": 0.001}),
        ("Lamb", {"learning_rate": 0.02, "weight_decay": 0.01}),
    ],
)
def test_training_a_model_matches_keras(keras, name, kwargs):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    start = _mlp_weights(rng)
    theirs, ours = _mlp(keras, start, name, kwargs), _mlp(tk, start, name, kwargs)
    worst, losses = 0.0, []
    for _ in range(STEPS):
        k_loss = theirs.train_on_batch(x, y)
        o_loss = ours.train_on_batch(x, y)
        np.testing.assert_allclose(o_loss, k_loss, rtol=1e-4)
        for k_w, o_w in zip(theirs.weights, ours.weights, strict=True):
            theirs_w = keras.ops.convert_to_numpy(k_w.value)
            np.testing.assert_allclose(o_w.numpy(), theirs_w, rtol=1e-4, atol=1e-5)
            worst = max(worst, _max_abs(o_w.numpy(), theirs_w))
        losses.append(float(o_loss))
    assert losses[-1] < losses[0]
    print(f"{name} on an MLP: max |Δw| over {STEPS} train_on_batch steps = {worst:.2e}")


def _mlp_weights(rng):
    return [
        rng.normal(size=(4, 6)).astype("float32") * 0.5,
        np.zeros(6, "float32"),
        rng.normal(size=(6, 2)).astype("float32") * 0.5,
        np.zeros(2, "float32"),
    ]


def test_weight_decay_exclusion_matches_keras(keras):
    start, grads = _start_and_gradients(seed=3)
    for name in NAMES:
        kwargs = {"learning_rate": 0.05, "weight_decay": 0.2}
        k_opt, o_opt = (
            getattr(keras.optimizers, name)(**kwargs),
            getattr(optimizers, name)(**kwargs),
        )
        names = ["kernel", "bias", "conv"]
        k_vars = [keras.Variable(w, name=n) for w, n in zip(start, names, strict=True)]
        o_vars = [K.Variable(w, name=n) for w, n in zip(start, names, strict=True)]
        k_opt.exclude_from_weight_decay(var_list=[k_vars[2]], var_names=["bias"])
        o_opt.exclude_from_weight_decay(var_list=[o_vars[2]], var_names=["bias"])
        for step_grads in grads:
            k_grads = [keras.ops.convert_to_tensor(g) for g in step_grads]
            k_opt.apply_gradients(zip(k_grads, k_vars, strict=True))
            o_opt.apply_gradients(zip(step_grads, o_vars, strict=True))
        for k_var, o_var in zip(k_vars, o_vars, strict=True):
            np.testing.assert_allclose(
                o_var.numpy(), keras.ops.convert_to_numpy(k_var.value), rtol=RTOL, atol=ATOL
            )


@pytest.mark.parametrize("name", NAMES)
def test_defaults_and_configs_interchange(keras, name):
    theirs = getattr(keras.optimizers, name)().get_config()
    ours = getattr(optimizers, name)().get_config()
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if key != "name":
            assert ours[key] == pytest.approx(value), key
    # A config Keras wrote loads here, and ours loads there (Keras 3.15's `deserialize` does not
    # know Lamb: its table lacks it, so that direction goes through `Lamb.from_config`).
    k_opt = getattr(keras.optimizers, name)(learning_rate=0.5, clipnorm=2.0)
    loaded = optimizers.deserialize(keras.optimizers.serialize(k_opt))
    assert type(loaded) is getattr(optimizers, name)
    assert loaded.get_config() == pytest.approx(k_opt.get_config())
    o_opt = getattr(optimizers, name)(learning_rate=0.25, weight_decay=0.01)
    if name == "Lamb":
        back = keras.optimizers.Lamb.from_config(o_opt.get_config())
    else:
        back = keras.optimizers.deserialize(optimizers.serialize(o_opt))
    assert type(back).__name__ == name
    assert back.get_config() == pytest.approx(o_opt.get_config())

"""Models compiled with the new optimizers, losses and metrics: `.keras` files both ways.

A model saved by teachkeras loads in Keras 3 (and one saved by Keras 3 loads here) with the
same weights, the same optimizer state (slot for slot) and the same compile config; both
then take the same next training step and report the same metric values.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import teachkeras as tk

RTOL, ATOL = 1e-5, 1e-6
X = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
Y = (X[:, :2] > 0).astype("float32")  # two independent yes/no targets

OPTIMIZERS = {
    "AdamW": {"learning_rate": 0.01},
    "Lion": {"learning_rate": 0.001, "weight_decay": 0.1},
    "Adafactor": {"learning_rate": 0.05},
    "Ftrl": {"learning_rate": 0.05, "l1_regularization_strength": 0.01},
    "Lamb": {"learning_rate": 0.01},
}


def classifier(lib, optimizer: str):
    model = lib.Sequential(
        [
            lib.Input((4,)),
            lib.layers.Dense(5, activation="relu", name="hidden"),
            lib.layers.Dense(2, activation="sigmoid", name="out"),
        ],
        name="classifier",
    )
    model.compile(
        optimizer=getattr(lib.optimizers, optimizer)(**OPTIMIZERS[optimizer]),
        loss=lib.losses.BinaryFocalCrossentropy(gamma=1.5),
        metrics=[
            "auc",
            "precision",
            lib.metrics.Recall(thresholds=[0.3, 0.7]),
            lib.metrics.F1Score(average="macro", threshold=0.5),
            lib.metrics.AUC(curve="PR", multi_label=True, name="pr_auc"),
            lib.metrics.BinaryIoU(target_class_ids=[1]),
        ],
    )
    return model


def _numpy(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") and not hasattr(x, "detach") else x.detach())


def assert_same_state(a, b):
    for va, vb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(_value(va), _value(vb), rtol=RTOL, atol=ATOL)
    assert len(a.optimizer.variables) == len(b.optimizer.variables)
    for va, vb in zip(a.optimizer.variables, b.optimizer.variables, strict=True):
        np.testing.assert_allclose(_value(va), _value(vb), rtol=RTOL, atol=ATOL)


def _value(variable):
    value = getattr(variable, "value", variable)
    return np.asarray(value.detach().cpu().numpy() if hasattr(value, "detach") else value)


def _max_abs(a, b) -> float:
    return max(
        float(np.max(np.abs(_value(x).astype(float) - _value(y).astype(float)), initial=0))
        for x, y in zip(a, b, strict=True)
    )


def assert_same_evaluation(a, b):
    logs_a = a.evaluate(X, Y, verbose=0, return_dict=True)
    logs_b = b.evaluate(X, Y, verbose=0, return_dict=True)
    assert set(logs_a) == set(logs_b)
    for key in logs_a:
        np.testing.assert_allclose(logs_a[key], logs_b[key], rtol=1e-4, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_keras_loads_and_continues_our_model(keras, optimizer, tmp_path):
    ours = classifier(tk, optimizer)
    ours.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    ours.save(tmp_path / "m.keras")
    theirs = keras.saving.load_model(tmp_path / "m.keras")
    assert type(theirs.optimizer).__name__ == optimizer
    assert type(theirs.loss).__name__ == "BinaryFocalCrossentropy"
    assert_same_state(ours, theirs)
    ours.train_on_batch(X, Y)
    theirs.train_on_batch(X, Y)
    assert_same_state(ours, theirs)
    assert_same_evaluation(ours, theirs)
    print(
        f"{optimizer}: ours -> Keras, after a step max |Δw| = {_max_abs(ours.weights, theirs.weights):.2e}"
    )


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_we_load_and_continue_a_keras_model(keras, optimizer, tmp_path):
    keras.utils.set_random_seed(0)
    theirs = classifier(keras, optimizer)
    theirs.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    theirs.save(tmp_path / "m.keras")
    ours = tk.saving.load_model(tmp_path / "m.keras")
    assert type(ours.optimizer).__name__ == optimizer
    assert_same_state(theirs, ours)
    theirs.train_on_batch(X, Y)
    ours.train_on_batch(X, Y)
    assert_same_state(theirs, ours)
    assert_same_evaluation(theirs, ours)
    print(
        f"{optimizer}: Keras -> ours, after a step max |Δw| = {_max_abs(ours.weights, theirs.weights):.2e}"
    )


def test_compile_configs_are_keras(keras):
    ours, theirs = classifier(tk, "AdamW"), classifier(keras, "AdamW")
    ours.fit(X, Y, epochs=1, verbose=0)
    theirs.fit(X, Y, epochs=1, verbose=0)
    mine = json.loads(ours.to_json())["compile_config"]
    keras_config = json.loads(theirs.to_json())["compile_config"]
    for key in ("loss", "metrics"):
        assert mine[key] == keras_config[key], key
    assert mine["optimizer"]["class_name"] == keras_config["optimizer"]["class_name"]
    from_json = keras.models.model_from_json(ours.to_json())
    assert from_json.compiled and type(from_json.optimizer).__name__ == "AdamW"

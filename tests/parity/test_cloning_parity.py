"""`clone_model` here and in Keras 3: the same layers, shapes and weight shapes come out,
the weights are new in both, and the same misuse gets the same error."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import teachkeras as tk

pytestmark = pytest.mark.parity


def sequential(lib):
    model = lib.Sequential(
        [
            lib.Input((4,), name="x"),
            lib.layers.Dense(8, activation="relu", name="hidden"),
            lib.layers.Dropout(0.3, name="drop"),
            lib.layers.Dense(2, activation="softmax", name="out"),
        ],
        name="seq",
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def functional(lib):
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    shared = lib.layers.Dense(3, name="shared")
    merged = lib.layers.Concatenate(name="cat")([shared(a), shared(b)])
    return lib.Model([a, b], lib.layers.Dense(1, name="head")(merged), name="func")


def summary(model) -> dict:
    return {
        "class": type(model).__name__,
        "name": model.name,
        "layers": [(type(layer).__name__, layer.name) for layer in model.layers],
        "outputs": [tuple(t.shape) for t in model.outputs],
        "weights": [tuple(w.shape) for w in model.get_weights()],
        "compiled": model.compiled,
    }


def test_same_signature(keras):
    ours = inspect.signature(tk.models.clone_model).parameters
    theirs = inspect.signature(keras.models.clone_model).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]


@pytest.mark.parametrize("build", [sequential, functional])
def test_same_clone(keras, build):
    ours_model, theirs_model = build(tk), build(keras)
    ours, theirs = tk.models.clone_model(ours_model), keras.models.clone_model(theirs_model)
    assert summary(ours) == summary(theirs)
    for model, clone in ((ours_model, ours), (theirs_model, theirs)):
        assert not np.array_equal(model.get_weights()[0], clone.get_weights()[0])


def test_same_errors(keras):
    class Sub(tk.Model):
        def call(self, x):
            return x

    class KerasSub(keras.Model):
        def call(self, x):
            return x

    for lib, model in ((tk, Sub()), (keras, KerasSub())):
        with pytest.raises(ValueError, match="only supported for Sequential models or Functional"):
            lib.models.clone_model(model, clone_function=lambda layer: layer)
    for lib in (tk, keras):
        with pytest.raises(ValueError, match="not supported with Sequential models"):
            lib.models.clone_model(sequential(lib), call_function=lambda layer, *a: layer(*a))

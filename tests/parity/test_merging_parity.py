"""Merge layers against Keras 3: outputs, output shapes, configs, and a branched model."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras.layers.merging.add import Add
from teachkeras.layers.merging.average import Average
from teachkeras.layers.merging.concatenate import Concatenate
from teachkeras.layers.merging.dot import Dot
from teachkeras.layers.merging.maximum import Maximum
from teachkeras.layers.merging.minimum import Minimum
from teachkeras.layers.merging.multiply import Multiply
from teachkeras.layers.merging.subtract import Subtract

RTOL, ATOL = 1e-5, 1e-6

OURS = {
    "Add": Add,
    "Subtract": Subtract,
    "Multiply": Multiply,
    "Average": Average,
    "Maximum": Maximum,
    "Minimum": Minimum,
    "Concatenate": Concatenate,
    "Dot": Dot,
}

CASES = [  # (layer name, constructor kwargs, input shapes)
    ("Add", {}, [(3, 4), (3, 4), (3, 4)]),
    ("Add", {}, [(3, 1, 4), (3, 5, 1)]),
    ("Add", {}, [(3, 4), (3, 2, 4)]),
    ("Subtract", {}, [(3, 2, 4), (3, 2, 4)]),
    ("Multiply", {}, [(3, 4), (3, 4), (3, 1)]),
    ("Average", {}, [(3, 4), (3, 4), (3, 4)]),
    ("Maximum", {}, [(3, 2, 2, 3), (3, 2, 2, 3)]),
    ("Minimum", {}, [(3, 4), (3, 4), (3, 4)]),
    ("Concatenate", {}, [(3, 4), (3, 2)]),
    ("Concatenate", {"axis": 1}, [(3, 2, 4), (3, 5, 4), (3, 1, 4)]),
    ("Concatenate", {"axis": -3}, [(2, 2, 3, 3), (2, 4, 3, 3)]),
    ("Dot", {"axes": 1}, [(3, 4), (3, 4)]),
    ("Dot", {"axes": -1}, [(3, 2, 4), (3, 5, 4)]),
    ("Dot", {"axes": (1, 2)}, [(2, 3, 5), (2, 4, 3)]),
    ("Dot", {"axes": (2, 1)}, [(2, 4, 3, 2), (2, 3, 5)]),
    ("Dot", {"axes": (1, 1)}, [(2, 3), (2, 3, 4)]),
    ("Dot", {"axes": 1, "normalize": True}, [(3, 4), (3, 4)]),
    ("Dot", {"axes": (2, 2), "normalize": True}, [(2, 3, 4), (2, 5, 4)]),
]


@pytest.mark.parametrize("name, kwargs, shapes", CASES)
def test_outputs_and_shapes_match(keras, name, kwargs, shapes):
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=s).astype("float32") for s in shapes]
    ours, theirs = OURS[name](**kwargs), getattr(keras.layers, name)(**kwargs)
    y_ours = ours(xs).numpy()
    y_theirs = np.asarray(theirs(xs).detach())
    assert y_ours.shape == y_theirs.shape
    np.testing.assert_allclose(y_ours, y_theirs, rtol=RTOL, atol=ATOL)
    symbolic = [(None, *s[1:]) for s in shapes]
    assert ours.compute_output_shape(symbolic) == tuple(theirs.compute_output_shape(symbolic))


@pytest.mark.parametrize("name, kwargs, shapes", CASES)
def test_configs_match(keras, name, kwargs, shapes):
    ours = OURS[name](name="merge", **kwargs).get_config()
    theirs = getattr(keras.layers, name)(name="merge", **kwargs).get_config()
    assert set(ours) == set(theirs)
    for key in set(ours) - {"dtype"}:
        assert ours[key] == theirs[key], key


def test_incompatible_shapes_raise_in_both(keras):
    x = [np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")]
    with pytest.raises(ValueError):
        keras.layers.Add()(x)
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2, 4\)"):
        Add()(x)


def test_branched_model_outputs_and_gradients_match(keras):
    """Every merge layer in one two-input functional model."""
    import torch

    def build(lib, layers):
        a, b = lib.Input((5,)), lib.Input((5,))
        h = lib.layers.Dense(5, activation="tanh")(a)
        h = layers["Add"]()([a, h])
        g = lib.layers.Dense(5, activation="sigmoid")(b)
        h = layers["Multiply"]()([h, g])
        d = layers["Dot"](axes=1, normalize=True)([a, b])
        c = layers["Concatenate"]()([h, lib.layers.Dense(3)(b), d])
        p = lib.layers.Dense(9)(a)
        m = layers["Maximum"]()([c, layers["Minimum"]()([p, c])])
        s = layers["Subtract"]()([m, layers["Average"]()([c, p])])
        return lib.Model([a, b], lib.layers.Dense(2)(s))

    ours = build(tk, OURS)
    theirs = build(keras, {k: getattr(keras.layers, k) for k in OURS})
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    rng = np.random.default_rng(1)
    xa, xb = (rng.normal(size=(6, 5)).astype("float32") for _ in range(2))
    np.testing.assert_allclose(
        ours.predict([xa, xb], verbose=0), theirs.predict([xa, xb], verbose=0), rtol=RTOL, atol=ATOL
    )
    out = theirs([torch.tensor(xa), torch.tensor(xb)])
    upstream = rng.normal(size=tuple(out.shape)).astype("float32")
    (out * torch.tensor(upstream)).sum().backward()
    with K.GradientTape() as tape:
        loss = K.sum(ours([xa, xb]) * upstream)
    grads = tape.gradient(loss, ours.trainable_weights)
    for a, w in zip(grads, theirs.trainable_weights, strict=True):
        np.testing.assert_allclose(a, w.value.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_residual_model_fit_matches(keras):
    """Five SGD steps of a two-branch residual model with Add give Keras's weights."""

    def build(lib, add):
        x = lib.Input((4,))
        h = lib.layers.Dense(4, activation="relu")(x)
        h = lib.layers.Dense(4)(h)
        h = add()([x, h])
        return lib.Model(x, lib.layers.Dense(1)(h))

    ours, theirs = build(tk, Add), build(keras, keras.layers.Add)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    rng = np.random.default_rng(2)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (x @ rng.normal(size=(4, 1))).astype("float32")
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)

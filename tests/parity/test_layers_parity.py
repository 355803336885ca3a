"""Layers and models against Keras 3: outputs, weight gradients, shapes, counts, configs."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K

RTOL, ATOL = 1e-5, 1e-6


def keras_gradients(keras, model, x):
    """d sum(model(x) * u) / d weights, by torch autograd through real Keras."""
    import torch

    out = model(keras.ops.convert_to_tensor(x))
    upstream = torch.tensor(
        np.random.default_rng(1).normal(size=tuple(out.shape)).astype("float32")
    )
    (out * upstream).sum().backward()
    return [w.value.grad.numpy() for w in model.trainable_weights], upstream.numpy()


def our_gradients(model, x, upstream):
    with K.GradientTape() as tape:
        loss = K.sum(model(x) * upstream)
    return tape.gradient(loss, model.trainable_weights)


@pytest.mark.parametrize(
    "make",
    [
        lambda L: [L.Dense(5, activation="relu"), L.Dense(3, activation="softmax")],
        lambda L: [L.Dense(4, use_bias=False, activation="tanh"), L.Dense(2, activation="sigmoid")],
        lambda L: [
            L.Dense(6),
            L.LeakyReLU(),
            L.Dense(4),
            L.ELU(alpha=0.5),
            L.Dense(3),
            L.Softmax(),
        ],
        lambda L: [
            L.Dense(6),
            L.ReLU(max_value=1.0, threshold=0.1, negative_slope=0.2),
            L.Dense(2),
        ],
        lambda L: [
            L.Dense(6, activation="selu"),
            L.Dropout(0.5),
            L.Dense(4, activation="gelu"),
            L.Dense(2, activation="swish"),
        ],
        lambda L: [
            L.Reshape((2, 4)),
            L.Dense(3, activation="elu"),
            L.Flatten(),
            L.Dense(2, activation="softplus"),
        ],
    ],
    ids=[
        "relu-softmax",
        "tanh-sigmoid",
        "activation-layers",
        "relu-options",
        "selu-dropout-gelu",
        "reshape-3d-dense",
    ],
)
def test_forward_and_weight_gradients_match(keras, make):
    ours = tk.Sequential([tk.Input((8,)), *make(tk.layers)])
    theirs = keras.Sequential([keras.Input((8,)), *make(keras.layers)])
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    x = np.random.default_rng(0).normal(size=(7, 8)).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )
    theirs_grads, upstream = keras_gradients(keras, theirs, x)
    for got, want in zip(our_gradients(ours, x, upstream), theirs_grads, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_functional_two_branch_model_matches(keras):
    def build(lib):
        a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
        shared = lib.layers.Dense(5, activation="relu", name="shared")
        left = lib.layers.Dense(2, name="left")(shared(lib.layers.Dense(5, name="pa")(a)))
        right = lib.layers.Dense(2, name="right")(shared(lib.layers.Dense(5, name="pb")(b)))
        return lib.Model([a, b], [left, right], name="branches")

    ours, theirs = build(tk), build(keras)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert ours.count_params() == theirs.count_params()
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    xs = [np.ones((3, 4), "float32"), np.linspace(0, 1, 9, dtype="float32").reshape(3, 3)]
    for got, want in zip(ours.predict(xs, verbose=0), theirs.predict(xs, verbose=0), strict=True):
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)
    summary_ours, summary_theirs = [], []
    ours.summary(print_fn=summary_ours.append)
    theirs.summary(print_fn=summary_theirs.append)
    ours_lines = summary_ours[0].splitlines()
    theirs_lines = "".join(summary_theirs).splitlines()
    assert ours_lines == theirs_lines


def test_output_shapes_and_param_counts(keras):
    def build(lib):
        return lib.Sequential([lib.Input((6, 4)), lib.layers.Dense(3), lib.layers.Reshape((3, 6)),
                               lib.layers.Flatten(), lib.layers.Dense(10)])  # fmt: skip

    ours, theirs = build(tk), build(keras)
    assert [layer.output.shape for layer in ours.layers] == [
        tuple(layer.output.shape) for layer in theirs.layers
    ]
    assert ours.count_params() == theirs.count_params()


@pytest.mark.parametrize(
    "name",
    ["Dense", "Dropout", "Activation", "LeakyReLU", "ReLU", "ELU", "Softmax", "Flatten", "Reshape"],
)
def test_config_keys_cover_keras(keras, name):
    args = {"Dense": (3,), "Dropout": (0.2,), "Activation": ("relu",), "Reshape": ((2, 2),)}.get(
        name, ()
    )
    ours = getattr(tk.layers, name)(*args).get_config()
    theirs = getattr(keras.layers, name)(*args).get_config()
    assert set(theirs) - set(ours) <= {"quantization_config"}
    # a Keras config loads here, and ours loads in Keras
    assert getattr(tk.layers, name).from_config(
        {k: v for k, v in theirs.items() if k != "quantization_config"}
    )
    assert getattr(keras.layers, name).from_config(ours)


def test_sequential_and_functional_configs_load_both_ways(keras):
    theirs = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)]
    )
    ours = tk.Sequential.from_config(theirs.get_config())
    assert [type(layer).__name__ for layer in ours.layers] == [
        "Dense",
        "Dense",
    ] and ours.count_params() == 19
    back = keras.Sequential.from_config(ours.get_config())
    assert back.count_params() == 19

    a = keras.Input((4,), name="a")
    f_theirs = keras.Model(a, [keras.layers.Dense(2)(a), keras.layers.Dense(3)(a)])
    f_ours = tk.Model.from_config(f_theirs.get_config())
    assert [o.shape for o in f_ours.outputs] == [(None, 2), (None, 3)]
    f_back = keras.Model.from_config(f_ours.get_config())
    assert f_back.count_params() == f_theirs.count_params()

"""BatchNormalization against Keras 3: outputs, gradients and moving statistics."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras.layers.normalization.batch_normalization import BatchNormalization

RTOL, ATOL = 1e-5, 1e-5

CASES = [  # (input shape, axis)
    ((16, 5), -1),
    ((8, 4, 4, 3), -1),
    ((8, 4, 4, 3), 3),
    ((8, 3, 4, 4), 1),
    ((6, 3, 5), 1),
]


def random_weights(rng, channels):
    return [
        rng.uniform(0.5, 1.5, channels).astype("float32"),  # gamma
        rng.normal(size=channels).astype("float32"),  # beta
        rng.normal(size=channels).astype("float32"),  # moving_mean
        rng.uniform(0.5, 2.0, channels).astype("float32"),  # moving_variance
    ]


def pair(keras, shape, axis, rng, **kwargs):
    ours, theirs = (
        BatchNormalization(axis=axis, **kwargs),
        keras.layers.BatchNormalization(axis=axis, **kwargs),
    )
    ours.build((None, *shape[1:]))
    theirs.build((None, *shape[1:]))
    weights = random_weights(rng, shape[axis])
    if not kwargs.get("center", True):
        weights.pop(1)
    if not kwargs.get("scale", True):
        weights.pop(0)
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs


def keras_training_call(keras, layer, x, upstream):
    """Output and d sum(y * u)/d (x, gamma, beta) by torch autograd through Keras."""
    import torch

    xt = torch.tensor(x, requires_grad=True)
    y = layer(xt, training=True)
    (y * torch.tensor(upstream)).sum().backward()
    grads = [w.value.grad.numpy() for w in layer.trainable_weights]
    return y.detach().numpy(), xt.grad.numpy(), grads


def our_training_call(layer, x, upstream):
    xt = K.Tensor(x)
    with K.GradientTape() as tape:
        tape.watch(xt)
        y = layer(xt, training=True)
        loss = K.sum(y * upstream)
    grads = tape.gradient(loss, [xt, *layer.trainable_weights])
    return y.numpy(), grads[0], grads[1:]


@pytest.mark.parametrize("shape, axis", CASES)
def test_training_output_and_gradients(keras, shape, axis):
    rng = np.random.default_rng(0)
    ours, theirs = pair(keras, shape, axis, rng)
    x = (rng.normal(size=shape) * 2 + 1).astype("float32")
    upstream = rng.normal(size=shape).astype("float32")
    y_theirs, dx_theirs, dw_theirs = keras_training_call(keras, theirs, x, upstream)
    y_ours, dx_ours, dw_ours = our_training_call(ours, x, upstream)
    np.testing.assert_allclose(y_ours, y_theirs, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dx_ours, dx_theirs, rtol=1e-4, atol=1e-5)
    for a, b in zip(dw_ours, dw_theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape, axis", CASES)
def test_moving_statistics_after_five_training_calls_and_inference(keras, shape, axis):
    rng = np.random.default_rng(1)
    ours, theirs = pair(keras, shape, axis, rng, momentum=0.9)
    for _ in range(5):
        x = (rng.normal(size=shape) * 3 - 2).astype("float32")
        ours(x, training=True)
        theirs(x, training=True)
    for a, b in zip(ours.get_weights()[2:], theirs.get_weights()[2:], strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5, atol=1e-6)
    x = rng.normal(size=shape).astype("float32")
    np.testing.assert_allclose(
        ours(x, training=False).numpy(),
        np.asarray(theirs(x, training=False).detach()),
        rtol=RTOL,
        atol=ATOL,
    )


@pytest.mark.parametrize("options", [{"center": False}, {"scale": False}, {"epsilon": 0.1}])
def test_options_match(keras, options):
    rng = np.random.default_rng(2)
    shape = (8, 3, 3, 4)
    ours, theirs = pair(keras, shape, -1, rng, **options)
    x = rng.normal(size=shape).astype("float32")
    upstream = rng.normal(size=shape).astype("float32")
    y_theirs, dx_theirs, dw_theirs = keras_training_call(keras, theirs, x, upstream)
    y_ours, dx_ours, dw_ours = our_training_call(ours, x, upstream)
    np.testing.assert_allclose(y_ours, y_theirs, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dx_ours, dx_theirs, rtol=1e-4, atol=1e-5)
    for a, b in zip(dw_ours, dw_theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_inference_gradients(keras):
    import torch

    rng = np.random.default_rng(3)
    shape = (6, 2, 3, 3)
    ours, theirs = pair(keras, shape, 1, rng)
    x = rng.normal(size=shape).astype("float32")
    upstream = rng.normal(size=shape).astype("float32")
    y = theirs(torch.tensor(x), training=False)
    (y * torch.tensor(upstream)).sum().backward()
    with K.GradientTape() as tape:
        loss = K.sum(ours(x, training=False) * upstream)
    for a, w in zip(
        tape.gradient(loss, ours.trainable_weights), theirs.trainable_weights, strict=True
    ):
        np.testing.assert_allclose(a, w.value.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_frozen_layer_matches(keras):
    rng = np.random.default_rng(4)
    shape = (8, 3)
    ours, theirs = pair(keras, shape, -1, rng)
    ours.trainable = theirs.trainable = False
    x = rng.normal(size=shape).astype("float32")
    np.testing.assert_allclose(
        ours(x, training=True).numpy(),
        np.asarray(theirs(x, training=True).detach()),
        rtol=RTOL,
        atol=ATOL,
    )
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_array_equal(a, np.asarray(b))


def test_config_matches(keras):
    ours = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-4, center=False, name="bn")
    theirs = keras.layers.BatchNormalization(
        axis=1, momentum=0.9, epsilon=1e-4, center=False, name="bn"
    )
    a, b = ours.get_config(), theirs.get_config()
    assert set(a) == set(b)
    for key in set(a) - {"dtype"}:
        assert a[key] == b[key], key


def test_parameter_counts_match(keras):
    def build(lib, bn):
        return lib.Sequential([lib.Input((6,)), lib.layers.Dense(5), bn(), lib.layers.Dense(2)])

    ours = build(tk, BatchNormalization)
    theirs = build(keras, keras.layers.BatchNormalization)
    assert ours.count_params() == theirs.count_params()
    assert sum(w.size for w in ours.non_trainable_weights) == sum(
        int(np.prod(w.shape)) for w in theirs.non_trainable_weights
    )


def test_fit_with_batch_normalization_matches(keras):
    """Ten SGD steps on Dense -> BN -> Dense: weights and moving statistics agree."""

    def build(lib, bn):
        return lib.Sequential(
            [
                lib.Input((4,)),
                lib.layers.Dense(6),
                bn(momentum=0.8),
                lib.layers.Dense(3, activation="softmax"),
            ]
        )

    ours, theirs = build(tk, BatchNormalization), build(keras, keras.layers.BatchNormalization)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    rng = np.random.default_rng(5)
    x = (rng.normal(size=(80, 4)) * 2 + 1).astype("float32")
    y = rng.integers(0, 3, size=80)
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-4, atol=1e-5
    )

"""Convolutions against Keras 3: ops, layer outputs, weight gradients, shapes, configs, training."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras.backend import conv_ops
from teachkeras.layers.convolutional.conv1d import Conv1D
from teachkeras.layers.convolutional.conv2d import Conv2D
from teachkeras.layers.convolutional.conv2d_transpose import Conv2DTranspose

RTOL, ATOL = 1e-5, 1e-5  # a conv output sums up to 5·5·C float32 products
GRAD_RTOL, GRAD_ATOL = 1e-4, 1e-4  # a kernel gradient sums over batch × pixels

OURS = {"Conv1D": Conv1D, "Conv2D": Conv2D, "Conv2DTranspose": Conv2DTranspose}
FORMATS = ["channels_last", "channels_first"]


def _input(shape_cl, data_format, seed=0):
    x = np.random.default_rng(seed).normal(size=shape_cl).astype("float32")
    return np.ascontiguousarray(np.moveaxis(x, -1, 1)) if data_format == "channels_first" else x


def _feature_shape(shape_cl, data_format):
    """The per-sample shape (no batch axis) in the layout `data_format` uses."""
    if data_format == "channels_first":
        return (shape_cl[-1], *shape_cl[1:-1])
    return tuple(shape_cl[1:])


def assert_layer_matches(keras, name, kwargs, shape_cl):
    """Same weights, same input: same output and same weight gradients as real Keras."""
    import torch

    data_format = kwargs.get("data_format", "channels_last")
    x = _input(shape_cl, data_format)
    theirs = keras.Sequential([keras.Input(_feature_shape(shape_cl, data_format)),
                               getattr(keras.layers, name)(**kwargs)])  # fmt: skip
    ours = tk.Sequential([tk.Input(_feature_shape(shape_cl, data_format)), OURS[name](**kwargs)])
    assert ours.output_shape == tuple(theirs.output_shape)
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)

    out_theirs = theirs(keras.ops.convert_to_tensor(x))
    upstream = rng.normal(size=tuple(out_theirs.shape)).astype("float32")
    (out_theirs * torch.tensor(upstream)).sum().backward()
    grads_theirs = [w.value.grad.numpy() for w in theirs.trainable_weights]

    with K.GradientTape() as tape:
        out_ours = ours(x)
        loss = K.sum(out_ours * upstream)
    grads_ours = tape.gradient(loss, ours.trainable_weights)

    np.testing.assert_allclose(out_ours.numpy(), out_theirs.detach().numpy(), rtol=RTOL, atol=ATOL)
    for got, want in zip(grads_ours, grads_theirs, strict=True):
        np.testing.assert_allclose(got, want, rtol=GRAD_RTOL, atol=GRAD_ATOL)


# --- layers: every argument combination ----------------------------------------------------------
# (strides, dilation_rate): Keras refuses strides > 1 together with dilation > 1.
STEPS = [(1, 1), (2, 1), (1, 2)]


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides, dilation_rate", STEPS)
@pytest.mark.parametrize("kernel_size", [1, 3, 5])
def test_conv2d_matches_keras(keras, kernel_size, strides, dilation_rate, padding, data_format):
    kwargs = dict(filters=4, kernel_size=kernel_size, strides=strides, padding=padding,
                  dilation_rate=dilation_rate, data_format=data_format, activation="tanh")  # fmt: skip
    assert_layer_matches(keras, "Conv2D", kwargs, (3, 11, 10, 3))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(filters=5, kernel_size=(3, 5), strides=(1, 2), padding="same"),
        dict(filters=5, kernel_size=(5, 2), strides=(2, 3), padding="valid", use_bias=False),
        dict(filters=2, kernel_size=(1, 3), dilation_rate=(2, 1), padding="same"),
        dict(
            filters=3, kernel_size=(4, 4), strides=2, padding="same"
        ),  # even kernel: odd pad at the end
        dict(
            filters=3,
            kernel_size=(3, 2),
            strides=(2, 1),
            padding="same",
            data_format="channels_first",
            activation="relu",
        ),
    ],
    ids=["3x5-s1x2-same", "5x2-s2x3-valid-nobias", "1x3-d2x1", "4x4-s2-same", "3x2-first"],
)
def test_conv2d_non_square_matches_keras(keras, kwargs):
    assert_layer_matches(keras, "Conv2D", kwargs, (2, 9, 12, 3))


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
@pytest.mark.parametrize("strides, dilation_rate", STEPS)
@pytest.mark.parametrize("kernel_size", [1, 3, 5])
def test_conv1d_matches_keras(keras, kernel_size, strides, dilation_rate, padding, data_format):
    kwargs = dict(filters=4, kernel_size=kernel_size, strides=strides, padding=padding,
                  dilation_rate=dilation_rate, data_format=data_format)  # fmt: skip
    assert_layer_matches(keras, "Conv1D", kwargs, (3, 13, 2))


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("output_padding", [None, "explicit"])
@pytest.mark.parametrize("strides, dilation_rate", [*STEPS, (3, 1)])
@pytest.mark.parametrize("kernel_size", [1, 2, 3, 5])
def test_conv2d_transpose_matches_keras(
    keras, kernel_size, strides, dilation_rate, output_padding, padding, data_format
):
    if output_padding == "explicit":
        output_padding = strides - 1  # the largest allowed
    kwargs = dict(filters=3, kernel_size=kernel_size, strides=strides, padding=padding,
                  output_padding=output_padding, dilation_rate=dilation_rate,
                  data_format=data_format)  # fmt: skip
    assert_layer_matches(keras, "Conv2DTranspose", kwargs, (2, 5, 4, 3))


def test_conv2d_transpose_non_square_matches_keras(keras):
    kwargs = dict(
        filters=2, kernel_size=(3, 2), strides=(2, 3), padding="same", output_padding=(1, 0)
    )
    assert_layer_matches(keras, "Conv2DTranspose", kwargs, (2, 4, 5, 3))


# --- ops --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_ops_match_keras_ops_with_strides_and_dilation_together(keras, padding, data_format):
    """Keras's layers refuse strides and dilation together; its ops (and ours) allow it."""
    x = _input((2, 12, 11, 3), data_format)
    w = np.random.default_rng(2).normal(size=(3, 2, 3, 4)).astype("float32")
    for strides, dilation in itertools.product([1, 2, (2, 3)], [1, 2, (3, 1)]):
        ours = conv_ops.conv2d(x, w, strides, padding, data_format, dilation).numpy()
        theirs = keras.ops.conv(x, w, strides, padding, data_format, dilation)
        np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(theirs), rtol=RTOL, atol=ATOL)


# --- shapes, counts, configs --------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, kwargs, input_shape",
    [
        ("Conv2D", dict(filters=8, kernel_size=3, strides=2, padding="same"), (None, None, 7, 3)),
        (
            "Conv2D",
            dict(filters=8, kernel_size=(3, 1), data_format="channels_first"),
            (None, 3, None, 9),
        ),
        (
            "Conv1D",
            dict(filters=8, kernel_size=4, padding="causal", dilation_rate=2),
            (None, None, 3),
        ),
        ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2), (None, 5, None, 2)),
        (
            "Conv2DTranspose",
            dict(filters=4, kernel_size=4, strides=2, padding="same", output_padding=1),
            (None, 5, 6, 2),
        ),
    ],
)
def test_compute_output_shape_matches_keras(keras, name, kwargs, input_shape):
    ours = OURS[name](**kwargs).compute_output_shape(input_shape)
    theirs = getattr(keras.layers, name)(**kwargs).compute_output_shape(input_shape)
    assert ours == tuple(theirs)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("Conv2D", dict(filters=4, kernel_size=3)),
        (
            "Conv2D",
            dict(
                filters=4,
                kernel_size=(3, 5),
                strides=(2, 1),
                padding="same",
                activation="relu",
                use_bias=False,
                kernel_initializer="he_normal",
                kernel_regularizer="l2",
                bias_constraint="non_neg",
                data_format="channels_first",
            ),
        ),
        ("Conv1D", dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2)),
        ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2, output_padding=1)),
    ],
)
def test_config_matches_keras_both_ways(keras, name, kwargs):
    ours = OURS[name](**kwargs).get_config()
    theirs = getattr(keras.layers, name)(**kwargs).get_config()
    assert set(ours) == set(theirs)
    for key in ours:
        if key not in ("name", "dtype"):
            assert ours[key] == theirs[key], key
    assert OURS[name].from_config(theirs).get_config() == {**ours, "name": theirs["name"]}
    assert getattr(keras.layers, name).from_config(ours).get_config() == {
        **theirs,
        "name": ours["name"],
    }


# --- stacks ----------------------------------------------------------------------------------------
def _convnet(lib, conv2d):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((12, 12, 1)),
            conv2d(8, (3, 3), activation="relu"),
            conv2d(6, (3, 3), strides=2, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def test_convnet_stack_forward_gradients_and_counts_match_keras(keras):
    """Conv2D → Conv2D → Flatten → Dense (the MNIST convnet without its pooling layers)."""
    import torch

    theirs, ours = _convnet(keras, keras.layers.Conv2D), _convnet(tk, Conv2D)
    assert ours.count_params() == theirs.count_params() == 80 + 438 + (5 * 5 * 6 * 10 + 10)
    assert [tuple(layer.output.shape) for layer in ours.layers] == [
        tuple(layer.output.shape) for layer in theirs.layers
    ]
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    x = _input((5, 12, 12, 1), "channels_last")
    labels = np.arange(5) % 10
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=RTOL, atol=1e-6
    )
    loss_theirs = keras.losses.SparseCategoricalCrossentropy()(
        torch.tensor(labels), theirs(keras.ops.convert_to_tensor(x))
    )
    loss_theirs.backward()
    with K.GradientTape() as tape:
        loss_ours = tk.losses.SparseCategoricalCrossentropy()(labels, ours(x))
    np.testing.assert_allclose(float(loss_ours), float(loss_theirs.detach()), rtol=1e-5)
    grads = tape.gradient(loss_ours, ours.trainable_weights)
    for got, weight in zip(grads, theirs.trainable_weights, strict=True):
        np.testing.assert_allclose(got, weight.value.grad.numpy(), rtol=GRAD_RTOL, atol=1e-6)


def test_convnet_after_20_adam_steps_matches_keras(keras):
    theirs, ours = _convnet(keras, keras.layers.Conv2D), _convnet(tk, Conv2D)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 12, 12, 1)).astype("float32")
    y = rng.integers(0, 10, size=40)
    for model, lib in ((theirs, keras), (ours, tk)):
        model.compile(optimizer=lib.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
        model.fit(
            x, y, batch_size=8, epochs=4, shuffle=False, verbose=0
        )  # 5 batches × 4 = 20 steps
    for got, want in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-3, atol=2e-5)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-3, atol=1e-5
    )


def test_summary_matches_keras_line_for_line(keras):
    def build(lib, conv2d, conv2d_transpose):
        return lib.Sequential(
            [
                lib.Input((12, 12, 1)),
                conv2d(8, (3, 3), activation="relu"),
                conv2d_transpose(4, 3, strides=2, padding="same"),
                lib.layers.Flatten(),
                lib.layers.Dense(10),
            ]
        )

    ours, theirs = [], []
    build(tk, Conv2D, Conv2DTranspose).summary(print_fn=ours.append)
    build(keras, keras.layers.Conv2D, keras.layers.Conv2DTranspose).summary(print_fn=theirs.append)
    assert ours[0].splitlines() == "".join(theirs).splitlines()

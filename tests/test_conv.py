"""Convolution ops (gradient checks) and the Conv1D / Conv2D / Conv2DTranspose layers."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras.backend import conv_ops
from teachkeras.layers import Dense, Flatten, Input
from teachkeras.layers.convolutional.conv1d import Conv1D, Convolution1D
from teachkeras.layers.convolutional.conv2d import Conv2D, Convolution2D
from teachkeras.layers.convolutional.conv2d_transpose import Conv2DTranspose
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test

FORMATS = ["channels_last", "channels_first"]


def _image(rng, shape_cl, data_format):
    x = rng.normal(size=shape_cl)
    return np.moveaxis(x, -1, 1).copy() if data_format == "channels_first" else x


def _reference_conv2d(x, w, strides, pads, dilation):
    """Straight from the definition, with loops: y[n,i,j,o] = Σ x[n, i s + a d, j s + b d, c] W[a,b,c,o]."""
    x = np.pad(x, ((0, 0), *pads, (0, 0)))
    kh, kw, _, f = w.shape
    out_h = (x.shape[1] - (kh - 1) * dilation[0] - 1) // strides[0] + 1
    out_w = (x.shape[2] - (kw - 1) * dilation[1] - 1) // strides[1] + 1
    y = np.zeros((x.shape[0], out_h, out_w, f))
    for i, j, a, b in itertools.product(range(out_h), range(out_w), range(kh), range(kw)):
        pixel = x[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :]
        y[:, i, j, :] += pixel @ w[a, b]
    return y


# --- the ops --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kernel, strides, padding, dilation",
    [
        (k, s, p, d)
        for k, s, p, d in itertools.product(
            [1, 3, 5, (3, 2)], [1, 2, (1, 2)], ["valid", "same"], [1, 2]
        )
        if not (k == 5 and d == 2 and p == "valid")  # would not fit in the 6x7 test image
    ],
)
@pytest.mark.parametrize("data_format", FORMATS)
def test_conv2d_gradients(kernel, strides, padding, dilation, data_format, rng):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = _image(rng, (2, 6, 7, 2), data_format)
    w = rng.normal(size=(kh, kw, 2, 3))
    K.check_gradients(
        lambda a, b: conv_ops.conv2d(a, b, strides, padding, data_format, dilation), x, w
    )


@pytest.mark.parametrize(
    "kernel, strides, padding, dilation, output_padding",
    [
        (1, 1, "valid", 1, None),
        (3, 1, "valid", 1, None),
        (3, 2, "valid", 1, None),
        (3, 2, "same", 1, None),
        (5, 2, "same", 1, 1),
        (3, 2, "valid", 1, 1),
        (3, 1, "same", 2, None),
        (5, 1, "valid", 2, None),
        ((3, 2), (2, 1), "same", 1, None),
        (2, 3, "valid", 1, None),  # stride larger than the kernel: gaps in the output
        (4, 2, "same", 1, 0),
    ],
)
@pytest.mark.parametrize("data_format", FORMATS)
def test_conv2d_transpose_gradients(
    kernel, strides, padding, dilation, output_padding, data_format, rng
):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = _image(rng, (2, 4, 3, 2), data_format)
    w = rng.normal(size=(kh, kw, 3, 2))
    K.check_gradients(
        lambda a, b: conv_ops.conv2d_transpose(
            a, b, strides, padding, output_padding, data_format, dilation
        ),
        x,
        w,
    )


@pytest.mark.parametrize(
    "kernel, strides, padding, dilation",
    [
        (1, 1, "valid", 1),
        (3, 2, "same", 1),
        (3, 1, "causal", 2),
        (5, 1, "same", 2),
        (2, 2, "valid", 1),
    ],
)
@pytest.mark.parametrize("data_format", FORMATS)
def test_conv1d_gradients(kernel, strides, padding, dilation, data_format, rng):
    x = rng.normal(size=(2, 9, 2)) if data_format == "channels_last" else rng.normal(size=(2, 2, 9))
    w = rng.normal(size=(kernel, 2, 3))
    K.check_gradients(
        lambda a, b: conv_ops.conv1d(a, b, strides, padding, data_format, dilation), x, w
    )


@pytest.mark.parametrize(
    "strides, padding, dilation", [(1, "valid", 1), (2, "same", 1), ((2, 1), "same", (1, 2))]
)
def test_conv2d_matches_the_definition(strides, padding, dilation, rng):
    x, w = rng.normal(size=(2, 7, 6, 3)), rng.normal(size=(3, 2, 3, 4))
    s = conv_ops.standardize_tuple(strides, 2, "strides")
    d = conv_ops.standardize_tuple(dilation, 2, "dilation_rate")
    pads = (
        tuple(
            conv_ops.same_padding(n, k, si, di)
            for n, k, si, di in zip((7, 6), (3, 2), s, d, strict=True)
        )
        if padding == "same"
        else ((0, 0), (0, 0))
    )
    got = conv_ops.conv2d(x, w, strides, padding, "channels_last", dilation).numpy()
    np.testing.assert_allclose(got, _reference_conv2d(x, w, s, pads, d), rtol=1e-10)


def test_same_padding_is_keras_split():
    assert conv_ops.same_padding(28, 3, 1) == (1, 1)
    assert conv_ops.same_padding(28, 4, 1) == (1, 2)  # the odd pixel goes at the end
    assert conv_ops.same_padding(7, 3, 2) == (1, 1)
    assert conv_ops.same_padding(8, 3, 2) == (0, 1)
    assert conv_ops.same_padding(5, 3, 1, dilation=2) == (2, 2)


def test_conv2d_transpose_is_the_adjoint_of_conv2d(rng):
    """<conv2d(x, W), y> == <x, conv2d_transpose(y, W)>: one op is the other's gradient."""
    x, w = rng.normal(size=(2, 8, 8, 3)), rng.normal(size=(3, 3, 3, 4))
    y = rng.normal(size=(2, 4, 4, 4))
    forward = conv_ops.conv2d(x, w, 2, "same").numpy()
    backward = conv_ops.conv2d_transpose(y, w, 2, "same").numpy()  # the same kernel array
    assert forward.shape == y.shape and backward.shape == x.shape
    np.testing.assert_allclose(np.sum(forward * y), np.sum(x * backward), rtol=1e-10)


def test_ops_keep_float32_and_channels_first_matches_channels_last(rng):
    x = rng.normal(size=(2, 6, 6, 3)).astype("float32")
    w = rng.normal(size=(3, 3, 3, 5)).astype("float32")
    y = conv_ops.conv2d(x, w, 1, "same")
    y_first = conv_ops.conv2d(np.moveaxis(x, -1, 1), w, 1, "same", "channels_first")
    assert y.dtype == np.float32 and y_first.dtype == np.float32
    np.testing.assert_allclose(np.moveaxis(y_first.numpy(), 1, -1), y.numpy(), rtol=1e-6)
    xt, wt = K.Variable(x), K.Variable(w)
    dx, dw = K.gradients(K.sum(conv_ops.conv2d(xt, wt, 2, "same") ** 2), [xt, wt])
    assert dx.dtype == np.float32 and dw.dtype == np.float32
    yt = conv_ops.conv2d_transpose(x, np.swapaxes(w, 2, 3), 2, "same")
    assert yt.dtype == np.float32 and yt.shape == (2, 12, 12, 5)


def test_op_errors_name_the_sizes(rng):
    with pytest.raises(ValueError, match=r"input has 2 channels.*expects 3"):
        conv_ops.conv2d(np.ones((1, 5, 5, 2)), np.ones((3, 3, 3, 4)))
    with pytest.raises(ValueError, match=r"spans \(5, 5\).*\(3, 3\).*padding='same' would fit"):
        conv_ops.conv2d(np.ones((1, 3, 3, 1)), np.ones((5, 5, 1, 1)))
    with pytest.raises(ValueError, match="4-D input"):
        conv_ops.conv2d(np.ones((5, 5, 1)), np.ones((3, 3, 1, 1)))
    with pytest.raises(ValueError, match="padding"):
        conv_ops.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), padding="full")
    with pytest.raises(ValueError, match="strides"):
        conv_ops.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=(1, 0))


# --- layers: shapes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, input_shape, expected",
    [
        (lambda: Conv2D(32, 3), (None, 28, 28, 1), (None, 26, 26, 32)),
        (lambda: Conv2D(8, 3, padding="same", strides=2), (None, 7, 7, 3), (None, 4, 4, 8)),
        (lambda: Conv2D(8, (3, 5), dilation_rate=2), (None, 10, 12, 3), (None, 6, 4, 8)),
        (lambda: Conv2D(8, 3, data_format="channels_first"), (None, 3, 9, 9), (None, 8, 7, 7)),
        (lambda: Conv2D(8, 3), (None, None, None, 3), (None, None, None, 8)),
        (lambda: Conv2D(8, 3, strides=2), (4, None, 9, 3), (4, None, 4, 8)),
        (lambda: Conv1D(8, 3), (None, 10, 4), (None, 8, 8)),
        (lambda: Conv1D(8, 3, padding="causal", dilation_rate=2), (None, 10, 4), (None, 10, 8)),
        (lambda: Conv1D(8, 4, strides=2, padding="same"), (None, None, 4), (None, None, 8)),
        (lambda: Conv2DTranspose(8, 3), (None, 5, 5, 2), (None, 7, 7, 8)),
        (
            lambda: Conv2DTranspose(8, 3, strides=2, padding="same"),
            (None, 5, 5, 2),
            (None, 10, 10, 8),
        ),
        (lambda: Conv2DTranspose(8, 2, strides=3), (None, 5, 5, 2), (None, 15, 15, 8)),
        (
            lambda: Conv2DTranspose(8, 3, strides=2, output_padding=1),
            (None, 5, 4, 2),
            (None, 12, 10, 8),
        ),
        (
            lambda: Conv2DTranspose(8, 3, data_format="channels_first"),
            (None, 2, None, 5),
            (None, 8, None, 7),
        ),
    ],
)
def test_output_shapes_symbolic_and_eager(make, input_shape, expected):
    layer = make()
    assert layer.compute_output_shape(input_shape) == expected
    symbolic = Input(batch_shape=input_shape)
    assert tuple(layer(symbolic).shape) == expected
    concrete = tuple(4 if d is None else d for d in input_shape)
    y = layer(np.zeros(concrete, "float32"))
    assert y.shape == layer.compute_output_shape(concrete)
    assert y.dtype == np.float32


def test_conv2d_weights_and_parameter_count():
    layer = Conv2D(32, (3, 3), activation="relu")
    layer(np.zeros((1, 28, 28, 1)))
    assert [w.path for w in layer.weights] == ["conv2d/kernel", "conv2d/bias"]
    assert layer.kernel.shape == (3, 3, 1, 32) and layer.count_params() == 320
    t = Conv2DTranspose(4, (3, 2), use_bias=False)
    t(np.zeros((1, 5, 5, 6)))
    assert [w.shape for w in t.weights] == [(3, 2, 4, 6)]


def test_conv2d_layer_computes_conv_plus_bias_then_activation(rng):
    for data_format in FORMATS:
        layer = Conv2D(
            4,
            3,
            padding="same",
            activation="relu",
            data_format=data_format,
            bias_initializer="ones",
        )
        x = _image(rng, (2, 5, 5, 3), data_format).astype("float32")
        y = layer(x).numpy()
        conv = conv_ops.conv2d(x, layer.kernel.numpy(), 1, "same", data_format).numpy()
        np.testing.assert_allclose(y, np.maximum(conv + 1, 0), rtol=1e-6)


def test_float64_layer_keeps_float64(rng):
    layer = Conv2D(2, 3, dtype="float64")
    assert layer(rng.normal(size=(1, 5, 5, 1))).dtype == np.float64
    assert layer.kernel.dtype == np.float64


def test_default_data_format_follows_image_data_format():
    K.set_image_data_format("channels_first")
    layer = Conv2D(4, 3)
    assert layer.data_format == "channels_first"
    assert layer(np.zeros((2, 1, 8, 8))).shape == (2, 4, 6, 6)
    assert Conv1D(4, 3).data_format == "channels_first"


# --- layers: the contract (config, shapes, weights, gradients, one training step, saving) -----
LAYER_CASES = [
    layer_case(
        Conv2D,
        {"filters": 3, "kernel_size": 3},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 3, 3, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        Conv2D,
        {
            "filters": 16,
            "kernel_size": (3, 5),
            "strides": (1, 2),
            "padding": "same",
            "activation": "relu",
            "use_bias": False,
        },
        input_shape=(2, 4, 6, 1),
        expected_output_shape=(2, 4, 3, 16),
        expected_num_trainable_weights=1,
    ),
    layer_case(
        Conv2D,
        {
            "filters": 4,
            "kernel_size": 3,
            "dilation_rate": 2,
            "kernel_regularizer": "l2",
            "kernel_constraint": "max_norm",
        },
        input_shape=(2, 6, 7, 1),
        expected_output_shape=(2, 2, 3, 4),
        expected_num_losses=1,
    ),
    layer_case(
        Conv2D,
        {"filters": 2, "kernel_size": 3, "data_format": "channels_first"},
        input_shape=(2, 3, 5, 4),
        expected_output_shape=(2, 2, 3, 2),
    ),
    layer_case(
        Conv1D,
        {
            "filters": 8,
            "kernel_size": 3,
            "padding": "causal",
            "activity_regularizer": "l1",
            "bias_initializer": "ones",
        },
        input_shape=(2, 6, 2),
        expected_output_shape=(2, 6, 8),
        expected_num_trainable_weights=2,
        expected_num_losses=1,
    ),
    layer_case(
        Conv1D,
        {"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 2, 7),
        expected_output_shape=(2, 3, 3),
    ),
    layer_case(
        Conv2DTranspose,
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 3, 3, 2),
        expected_output_shape=(2, 6, 6, 2),
        expected_num_trainable_weights=2,
    ),
    layer_case(
        Conv2DTranspose,
        {
            "filters": 8,
            "kernel_size": 3,
            "strides": 2,
            "output_padding": 1,
            "data_format": "channels_first",
        },
        input_shape=(2, 2, 3, 2),
        expected_output_shape=(2, 8, 8, 6),
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


def test_config_keys_are_keras_keys():
    keys = set(Conv2D(4, 3).get_config())
    assert {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
            "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
            "kernel_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "bias_constraint"} <= keys  # fmt: skip
    transpose = Conv2DTranspose(4, 3).get_config()
    assert "groups" not in transpose and transpose["output_padding"] is None
    assert Conv2D(4, 3).get_config()["kernel_size"] == (3, 3)


# --- layers: bad input ------------------------------------------------------------------------------
def test_missing_channel_axis_shows_the_fix():
    with pytest.raises(
        ValueError,
        match=r"conv2d.*ndim=4.*\(2, 28, 28\).*channel axis is missing: use x\[\.\.\., None\] or Reshape\(\(28, 28, 1\)\)",
    ):
        Conv2D(32, 3)(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match=r"x\[:, None\] or Reshape\(\(1, 28, 28\)\)"):
        Conv2D(32, 3, data_format="channels_first")(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match=r"channel axis is missing.*Reshape\(\(28, 28, 1\)\)"):
        keras.Sequential([Input((28, 28)), Conv2D(32, 3)])
    with pytest.raises(ValueError, match=r"Reshape\(\(50, 1\)\)"):
        Conv1D(4, 3)(np.zeros((2, 50)))


def test_kernel_larger_than_input_names_layer_sizes_and_fix():
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'small'.*kernel \(5, 5\).*\(3, 3\).*padding='valid'.*padding='same' would fit",
    ):
        Conv2D(4, 5, name="small")(np.zeros((1, 3, 3, 1)))
    with pytest.raises(ValueError, match=r"dilation_rate=\(3, 3\) spreads it over \(7, 7\)"):
        Conv2D(4, 3, dilation_rate=3)(np.zeros((1, 6, 6, 1)))
    layer = Conv2D(4, 3)  # built for any size: the check happens at call time
    layer(np.zeros((1, None or 8, 8, 1)))
    with pytest.raises(ValueError, match=r"larger than its input's spatial size \(2, 8\)"):
        layer(np.zeros((1, 2, 8, 1)))
    assert Conv2D(4, 5, padding="same")(np.zeros((1, 3, 3, 1))).shape == (1, 3, 3, 4)


def test_wrong_channel_count_after_build():
    layer = Conv2D(4, 3)
    layer(np.zeros((1, 5, 5, 3)))
    with pytest.raises(ValueError, match=r"built for 3 input channels, but the data has 1"):
        layer(np.zeros((1, 5, 5, 1)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(filters=4, kernel_size=3, groups=2), r"groups=1.*Received: groups=2"),
        (dict(filters=0, kernel_size=3), r"filters.*strictly positive.*filters=0"),
        (dict(filters=4, kernel_size=(3, 3, 3)), r"kernel_size.*tuple of 2 integers"),
        (dict(filters=4, kernel_size=0), r"kernel_size"),
        (
            dict(filters=4, kernel_size=3, strides=2, dilation_rate=2),
            r"strides > 1.*dilation_rate > 1",
        ),
        (dict(filters=4, kernel_size=3, padding="causal"), r"padding.*'valid', 'same'"),
        (dict(kernel_size=3), r"needs `filters` and `kernel_size`"),
        (dict(filters=4, kernel_size=3, lora_rank=2), r"lora"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(**kwargs)


def test_output_padding_must_be_below_strides():
    with pytest.raises(ValueError, match=r"output_padding.*strictly less than.*strides"):
        Conv2DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(TypeError, match="groups"):
        Conv2DTranspose(4, 3, groups=1)


# --- Keras 1 spellings --------------------------------------------------------------------------------
def test_keras1_convolution2d_spelling_warns_and_behaves():
    with pytest.warns(KerasLegacyWarning) as record:
        layer = Convolution2D(
            32, 3, 3, border_mode="same", subsample=(2, 2), init="he_normal",
            W_regularizer="l2", dim_ordering="tf",
        )  # fmt: skip
    messages = " ".join(str(w.message) for w in record)
    assert "write Conv2D(32, (3, 3))" in messages
    assert "write Conv2D(padding=" in messages and "write Conv2D(strides=" in messages
    assert "kernel_initializer=" in messages and "kernel_regularizer=" in messages
    assert isinstance(layer, Conv2D)
    assert (layer.kernel_size, layer.strides, layer.padding) == ((3, 3), (2, 2), "same")
    assert type(layer.kernel_initializer).__name__ == "HeNormal"
    assert layer.kernel_regularizer is not None and layer.data_format == "channels_last"
    assert layer(np.zeros((1, 8, 8, 1))).shape == (1, 4, 4, 32)


def test_keras1_keywords_on_conv2d_and_conv1d():
    with pytest.warns(KerasLegacyWarning) as record:
        layer = Conv2D(nb_filter=8, nb_row=3, nb_col=2, bias=False, dim_ordering="th")
    assert (
        "Conv2D(nb_filter=...) is the older Keras spelling; write Conv2D(filters=...)"
        in " ".join(str(w.message) for w in record)
    )
    assert (layer.filters, layer.kernel_size, layer.use_bias) == (8, (3, 2), False)
    assert layer.data_format == "channels_first"
    with pytest.warns(KerasLegacyWarning) as record:
        conv1 = Convolution1D(
            nb_filter=4, filter_length=3, subsample_length=2, input_dim=5, input_length=9
        )
    assert "write Conv1D(kernel_size=" in " ".join(str(w.message) for w in record)
    assert (conv1.kernel_size, conv1.strides) == ((3,), (2,))
    model = keras.Sequential([conv1])
    assert model.output_shape == (None, 4, 4)
    with (
        pytest.raises(ValueError, match="border_mode='full' was removed"),
        pytest.warns(KerasLegacyWarning),
    ):
        Conv2D(4, 3, border_mode="full")


def test_each_old_spelling_warns_once():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        Conv2D(4, 3, border_mode="same")
        Conv2D(4, 3, border_mode="same")
    assert len([w for w in record if issubclass(w.category, KerasLegacyWarning)]) == 1


def test_keras3_conv2d_positional_third_argument_is_strides():
    assert Conv2D(4, 3, 2).strides == (2, 2)
    assert Convolution2D(4, (3, 3), 2).strides == (2, 2)


# --- training -------------------------------------------------------------------------------------------
def test_tiny_convnet_trains_with_fit():
    rng = np.random.default_rng(0)
    # two classes: a bright vertical bar or a bright horizontal bar, plus noise
    x = rng.normal(scale=0.3, size=(64, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 2, size=64)
    x[y == 0, :, 3:5, 0] += 1.0
    x[y == 1, 3:5, :, 0] += 1.0
    model = keras.Sequential(
        [
            Input((8, 8, 1)),
            Conv2D(4, 3, activation="relu", padding="same"),
            Conv2D(4, 3, strides=2, activation="relu"),
            Flatten(),
            Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert history.history["accuracy"][-1] > 0.9
    assert model.count_params() == (9 * 4 + 4) + (9 * 4 * 4 + 4) + (3 * 3 * 4 * 2 + 2)

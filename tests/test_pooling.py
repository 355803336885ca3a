"""Pooling ops (gradient checks, ties, 'same' padding) and the pooling layers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.backend import pooling_ops as P
from teachkeras.layers.core.input_layer import Input
from teachkeras.layers.pooling.average_pooling1d import AveragePooling1D, AvgPool1D
from teachkeras.layers.pooling.average_pooling2d import AveragePooling2D, AvgPool2D
from teachkeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from teachkeras.layers.pooling.global_average_pooling2d import (
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
)
from teachkeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from teachkeras.layers.pooling.global_max_pooling2d import GlobalMaxPool2D, GlobalMaxPooling2D
from teachkeras.layers.pooling.max_pooling1d import MaxPool1D, MaxPooling1D
from teachkeras.layers.pooling.max_pooling2d import MaxPool2D, MaxPooling2D
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.legacy.backend import keras2_nn as K2  # K's pooling by rank, and pool2d
from tests.helpers.layer_testing import layer_case, run_layer_test

POOL_LAYERS = [MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D]
GLOBAL_LAYERS = [
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    GlobalAveragePooling1D,
    GlobalMaxPooling1D,
]


def _batch(rank, data_format, rng, spatial=None):
    spatial = spatial or ((5, 6) if rank == 2 else (7,))
    shape = (2, *spatial, 2) if data_format == "channels_last" else (2, 2, *spatial)
    return rng.standard_normal(shape)


# --- the ops: gradients against finite differences, every argument combination ------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [None, 1, 2])
@pytest.mark.parametrize("pool", [2, 3])
@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("op", [P.max_pool, P.average_pool])
def test_pooling_gradients_match_finite_differences(
    op, rank, pool, strides, padding, data_format, rng
):
    x = _batch(rank, data_format, rng)
    K.check_gradients(lambda t: op(t, pool, strides, padding, data_format), x)


@pytest.mark.parametrize("op", [K2.max_pool2d, K2.avg_pool2d, K2.max_pool1d, K2.avg_pool1d])
def test_ranked_ops_check_gradients_with_rectangular_windows(op, rng):
    rank = 2 if op.__name__.endswith("2d") else 1
    pool, strides = ((3, 2), (2, 1)) if rank == 2 else (3, 2)
    x = _batch(rank, "channels_last", rng)
    K.check_gradients(lambda t: op(t, pool, strides, "same"), x)


def test_max_pool_values_and_dtype():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    y = K2.max_pool2d(x, 2)
    np.testing.assert_array_equal(y.numpy()[0, ..., 0], [[5, 7], [13, 15]])
    assert y.dtype == np.float32


def test_max_pool_ties_send_the_whole_gradient_to_the_first_maximum():
    """Overlapping 2x2 windows (stride 1) on a constant image: each window's first cell wins."""
    x = K.Tensor(np.zeros((1, 4, 4, 1), dtype="float32"))
    with K.GradientTape() as tape:
        tape.watch(x)
        y = K2.max_pool2d(x, 2, strides=1)
    grad = tape.gradient(K.sum(y), x)[0, ..., 0]
    expected = np.zeros((4, 4))
    expected[:3, :3] = 1  # the top-left cell of each of the 3 x 3 windows
    np.testing.assert_array_equal(grad, expected)
    assert grad.dtype == np.float32


def test_max_pool_same_padding_never_picks_the_padding():
    x = -np.ones((1, 3, 3, 1), dtype="float32")  # padding with 0 would win the max
    np.testing.assert_array_equal(K2.max_pool2d(x, 2, 2, "same").numpy(), -np.ones((1, 2, 2, 1)))


def test_average_pool_same_divides_by_the_real_cells():
    """Keras's documented rule (TensorFlow's): [10, 20], window 3, stride 2, one cell padded after.

    15 = (10 + 20) / 2, not (10 + 20 + 0) / 3 = 10, and not (10 + 20 + 20) / 3 (Keras 3.15's
    PyTorch backend, which repeats the edge; fixed later upstream).
    """
    x = np.array([10.0, 20.0], dtype="float32").reshape(1, 2, 1)
    np.testing.assert_allclose(K2.avg_pool1d(x, 3, 2, "same").numpy().ravel(), [15.0])
    image = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    y = K2.avg_pool2d(image, 2, 1, "same").numpy()[0, ..., 0]
    np.testing.assert_allclose(y, [[2, 3, 3.5], [5, 6, 6.5], [6.5, 7.5, 8]])


def test_average_pool_of_integers_is_float():
    y = K2.avg_pool1d(np.array([[[1], [2]]]), 2)
    assert y.dtype == np.float32 and y.numpy().item() == 1.5


def test_keras2_pool2d_defaults_to_stride_one():
    x = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    assert K2.pool2d(x, (2, 2)).shape == (1, 2, 2, 1)
    np.testing.assert_allclose(K2.pool2d(x, (2, 2), pool_mode="avg").numpy().ravel(), [2, 3, 5, 6])
    with pytest.raises(ValueError, match="pool_mode"):
        K2.pool2d(x, 2, pool_mode="mean")


def test_same_padding_split_puts_the_odd_cell_after():
    assert P.same_padding(4, 3, 2) == (0, 1)
    assert P.same_padding(7, 3, 1) == (1, 1)
    assert P.same_padding(5, 2, 2) == (0, 1)
    assert P.same_padding(6, 2, 2) == (0, 0)


def test_ops_name_the_expected_rank():
    with pytest.raises(ValueError, match=r"max_pool2d expects a 4-D input .*got shape \(2, 5, 5\)"):
        K2.max_pool2d(np.zeros((2, 5, 5)), 2)
    with pytest.raises(ValueError, match=r"avg_pool1d expects a 3-D input"):
        K2.avg_pool1d(np.zeros((2, 5, 5, 1)), 2)


# --- the layers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer, shape, expected",
    [
        (MaxPooling2D(), (8, 28, 28, 32), (8, 14, 14, 32)),
        (MaxPooling2D((3, 3), strides=(2, 2)), (1, 37, 37, 8), (1, 18, 18, 8)),
        (AveragePooling2D(3, 1, "same"), (1, 7, 6, 2), (1, 7, 6, 2)),
        (AveragePooling2D((2, 3), data_format="channels_first"), (1, 2, 7, 9), (1, 2, 3, 3)),
        (MaxPooling1D(), (4, 10, 16), (4, 5, 16)),
        (AveragePooling1D(3, 2, "same"), (4, 10, 16), (4, 5, 16)),
        (MaxPooling1D(2, data_format="channels_first"), (4, 16, 10), (4, 16, 5)),
    ],
)
def test_pooling_layer_shapes_agree_with_compute_output_shape(layer, shape, expected):
    assert layer(np.zeros(shape, dtype="float32")).shape == expected
    assert layer.compute_output_shape(shape) == expected


def test_unknown_sizes_stay_unknown_in_symbolic_calls():
    x = Input((None, None, 3))
    assert MaxPooling2D(3, 2, "same")(x).shape == (None, None, None, 3)
    y = MaxPooling2D((3, 3), strides=(2, 2))(Input((38, 38, 32)))  # the tutorial's ResNet stem
    assert y.shape == (None, 18, 18, 32)
    assert AveragePooling1D(2)(Input((None, 4))).shape == (None, None, 4)


def test_layers_keep_float32_and_gradients_flow():
    x = K.Tensor(np.random.default_rng(0).standard_normal((2, 6, 6, 3)).astype("float32"))
    for layer in [MaxPooling2D(), AveragePooling2D(3, 2, "same"), GlobalAveragePooling2D()]:
        with K.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        grad = tape.gradient(K.sum(y), x)
        assert y.dtype == np.float32 and grad.dtype == np.float32 and grad.shape == x.shape


def test_layer_dtype_float64():
    y = MaxPooling2D(dtype="float64")(np.zeros((1, 4, 4, 1), dtype="float32"))
    assert y.dtype == np.float64


def test_aliases_and_default_names():
    assert MaxPool2D is MaxPooling2D and AvgPool2D is AveragePooling2D
    assert MaxPool1D is MaxPooling1D and AvgPool1D is AveragePooling1D
    assert GlobalAvgPool2D is GlobalAveragePooling2D and GlobalMaxPool2D is GlobalMaxPooling2D
    assert [MaxPooling2D().name, MaxPool2D().name] == ["max_pooling2d", "max_pooling2d_1"]
    assert GlobalAveragePooling2D().name == "global_average_pooling2d"


@pytest.mark.parametrize("cls", POOL_LAYERS + GLOBAL_LAYERS)
def test_config_round_trip_through_json(cls):
    kwargs = {"data_format": "channels_first"}
    if cls in POOL_LAYERS:
        kwargs.update(pool_size=3, strides=1, padding="same")
    else:
        kwargs.update(keepdims=True)
    config = cls(**kwargs).get_config()
    again = cls.from_config(json.loads(json.dumps(config))).get_config()
    assert again == config
    expected_keys = {"name", "trainable", "dtype", "data_format"}
    expected_keys |= {"pool_size", "strides", "padding"} if cls in POOL_LAYERS else {"keepdims"}
    assert set(config) == expected_keys


def test_pooling_config_values():
    config = MaxPooling2D(3, strides=2, padding="SAME").get_config()
    assert (config["pool_size"], config["strides"], config["padding"]) == ((3, 3), (2, 2), "same")
    assert AveragePooling1D(4).get_config()["strides"] == (4,)


def test_image_data_format_sets_the_default_at_construction():
    K.set_image_data_format("channels_first")
    layer = MaxPooling2D()
    K.set_image_data_format("channels_last")
    assert layer.data_format == "channels_first"
    assert layer(np.zeros((1, 3, 8, 8), dtype="float32")).shape == (1, 3, 4, 4)


def test_keras1_spellings_are_accepted_with_a_warning():
    with pytest.warns(KerasLegacyWarning, match="border_mode"):
        layer = MaxPooling2D(pool_size=(2, 2), border_mode="same")
    assert layer.padding == "same"
    with pytest.warns(KerasLegacyWarning) as warned:
        layer = MaxPooling1D(pool_length=3, stride=1)
    assert (layer.pool_size, layer.strides) == ((3,), (1,))
    assert ["pool_length" in str(w.message) for w in warned] == [True, False]
    assert "write MaxPooling1D(strides=...)" in str(warned[1].message)
    with pytest.warns(KerasLegacyWarning, match="dim_ordering"):
        layer = AveragePooling2D(dim_ordering="th")
    assert layer.data_format == "channels_first"
    with pytest.warns(KerasLegacyWarning, match="dim_ordering"):
        assert GlobalMaxPooling2D(dim_ordering="tf").data_format == "channels_last"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"pool_size": 0}, r"pool_size.*Received: pool_size=0"),
        ({"pool_size": (2, 2, 2)}, r"tuple of 2 integers.*\(2, 2, 2\)"),
        ({"pool_size": "2"}, r"pool_size='2'"),
        ({"strides": -1}, r"Received: strides=-1"),
        ({"padding": "full"}, r"'valid', 'same'.*padding='full'"),
        ({"data_format": "NHWC"}, r"data_format"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MaxPooling2D(**kwargs)


def test_window_larger_than_input_names_layer_sizes_and_the_padding_that_fits():
    layer = MaxPooling2D(3)
    message = (
        r"MaxPooling2D layer 'max_pooling2d': the pool window \(3, 3\) is larger than the "
        r"input's spatial size \(2, 2\).*padding='same'.*ZeroPadding2D\(\(\(0, 1\), \(0, 1\)\)\)"
    )
    with pytest.raises(ValueError, match=message):
        layer(np.zeros((1, 2, 2, 1), dtype="float32"))
    with pytest.raises(ValueError, match=message):
        layer(Input((2, 2, 1)))
    assert MaxPooling2D(3, padding="same")(np.zeros((1, 2, 2, 1))).shape == (1, 1, 1, 1)
    with pytest.raises(
        ValueError, match=r"AveragePooling1D layer.*\(4,\).*\(3,\).*pad the input by 1"
    ):
        AveragePooling1D(4)(np.zeros((1, 3, 2)))


def test_missing_channel_axis_hint():
    with pytest.raises(
        ValueError, match=r"channel axis is missing.*x\[\.\.\., None\].*Reshape\(\(28, 28, 1\)\)"
    ):
        MaxPooling2D()(np.zeros((5, 28, 28), dtype="float32"))
    layer = AveragePooling2D(data_format="channels_first")
    with pytest.raises(ValueError, match=r"x\[:, None\].*Reshape\(\(1, 28, 28\)\)"):
        layer(np.zeros((5, 28, 28), dtype="float32"))
    with pytest.raises(ValueError, match=r"Reshape\(\(10, 1\)\)"):
        MaxPooling1D()(np.zeros((5, 10), dtype="float32"))
    with pytest.raises(ValueError, match=r"before Flatten"):
        MaxPooling2D()(np.zeros((5, 10), dtype="float32"))
    with pytest.raises(ValueError, match=r"2D version"):
        MaxPooling1D()(np.zeros((5, 8, 8, 1), dtype="float32"))
    with pytest.raises(ValueError, match=r"channel axis is missing"):
        GlobalAveragePooling2D()(np.zeros((5, 28, 28), dtype="float32"))


# --- global pooling ------------------------------------------------------------------------------
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_pooling_values_and_shapes(data_format, keepdims, rng):
    x4 = rng.standard_normal((2, 3, 4, 5)).astype("float32")
    x3 = rng.standard_normal((2, 3, 5)).astype("float32")
    axes2 = (1, 2) if data_format == "channels_last" else (2, 3)
    axis1 = 1 if data_format == "channels_last" else 2
    cases = [
        (GlobalAveragePooling2D, x4, np.mean(x4, axis=axes2, keepdims=keepdims)),
        (GlobalMaxPooling2D, x4, np.max(x4, axis=axes2, keepdims=keepdims)),
        (GlobalAveragePooling1D, x3, np.mean(x3, axis=axis1, keepdims=keepdims)),
        (GlobalMaxPooling1D, x3, np.max(x3, axis=axis1, keepdims=keepdims)),
    ]
    for cls, x, expected in cases:
        layer = cls(data_format=data_format, keepdims=keepdims)
        y = layer(x)
        np.testing.assert_allclose(y.numpy(), expected, rtol=1e-6)
        assert y.dtype == np.float32
        assert layer.compute_output_shape(x.shape) == expected.shape
    assert GlobalAveragePooling2D()(Input((None, None, 7))).shape == (None, 7)


def test_global_average_pooling1d_mask_ignores_padded_steps():
    x = np.array([[[1.0], [3.0], [100.0]]], dtype="float32")
    y = GlobalAveragePooling1D()(x, mask=np.array([[True, True, False]]))
    np.testing.assert_allclose(y.numpy(), [[2.0]])


# --- the contract: config, shapes, gradients, one training step, saving, for every layer -------
LAYER_CASES = [
    layer_case(
        MaxPooling2D,
        {"pool_size": 2},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 2, 2, 2),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        MaxPooling2D,
        {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 2, 4, 3),
        expected_output_shape=(2, 2, 4, 3),
    ),
    layer_case(
        AveragePooling2D,
        {"pool_size": (2, 3), "strides": (1, 2), "padding": "same"},
        input_shape=(2, 3, 5, 2),
        expected_output_shape=(2, 3, 3, 2),
    ),
    layer_case(
        AveragePooling2D,
        {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 2, 4, 3),
        expected_output_shape=(2, 2, 4, 3),
    ),
    layer_case(MaxPooling1D, {}, input_shape=(2, 6, 3), expected_output_shape=(2, 3, 3)),
    layer_case(
        MaxPooling1D,
        {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 5),
    ),
    layer_case(
        AveragePooling1D,
        {"pool_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 7, 2),
        expected_output_shape=(2, 4, 2),
    ),
    layer_case(
        AveragePooling1D,
        {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 5),
    ),
    layer_case(GlobalAveragePooling2D, {}, input_shape=(2, 3, 4, 2), expected_output_shape=(2, 2)),
    layer_case(GlobalMaxPooling2D, {}, input_shape=(2, 3, 4, 2), expected_output_shape=(2, 2)),
    layer_case(
        GlobalAveragePooling2D,
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 4, 2),
        expected_output_shape=(2, 3, 1, 1),
    ),
    layer_case(
        GlobalMaxPooling2D,
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 4, 2),
        expected_output_shape=(2, 3, 1, 1),
    ),
    layer_case(
        GlobalAveragePooling1D,
        {},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 3),
        supports_masking=True,
    ),
    layer_case(
        GlobalAveragePooling1D,
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 1),
    ),
    layer_case(GlobalMaxPooling1D, {}, input_shape=(2, 5, 3), expected_output_shape=(2, 3)),
    layer_case(
        GlobalMaxPooling1D,
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 1),
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)

"""ZeroPadding2D, Cropping2D and UpSampling2D: values, gradients, shapes, configs, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.backend.image_ops import linear_resize_matrix
from teachkeras.layers.core.input_layer import Input
from teachkeras.layers.pooling.max_pooling2d import MaxPooling2D
from teachkeras.layers.reshaping.cropping2d import Cropping2D
from teachkeras.layers.reshaping.up_sampling2d import UpSampling2D
from teachkeras.layers.reshaping.zero_padding2d import ZeroPadding2D
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test

FORMATS = ["channels_last", "channels_first"]


def _image(data_format, rng, h=4, w=5, dtype="float32"):
    shape = (2, h, w, 3) if data_format == "channels_last" else (2, 3, h, w)
    return rng.standard_normal(shape).astype(dtype)


def _hw(x, data_format):
    """View (batch, h, w, c) whatever the layout, to compare with NumPy."""
    return x if data_format == "channels_last" else np.moveaxis(x, 1, -1)


# --- ZeroPadding2D -------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "padding, pairs",
    [(1, ((1, 1), (1, 1))), ((2, 1), ((2, 2), (1, 1))), (((1, 2), (0, 3)), ((1, 2), (0, 3)))],
)
def test_zero_padding2d_values_shapes_and_gradient(padding, pairs, data_format, rng):
    x = _image(data_format, rng)
    layer = ZeroPadding2D(padding, data_format=data_format)
    y = layer(x)
    expected = np.pad(_hw(x, data_format), ((0, 0), *pairs, (0, 0)))
    np.testing.assert_array_equal(_hw(y.numpy(), data_format), expected)
    assert layer.padding == pairs and y.dtype == np.float32
    assert layer.compute_output_shape(x.shape) == y.shape
    K.check_gradients(ZeroPadding2D(padding, data_format=data_format, dtype="float64"), x)


def test_zero_padding2d_symbolic_and_resnet_stem():
    y = ZeroPadding2D((3, 3))(Input((32, 32, 3)))
    assert y.shape == (None, 38, 38, 3)
    assert ZeroPadding2D(1)(Input((None, 8, 3))).shape == (None, None, 10, 3)
    assert MaxPooling2D((3, 3), strides=(2, 2))(y).shape == (None, 18, 18, 3)


@pytest.mark.parametrize("padding", [-1, (1, 2, 3), ((1, 2, 3), (0, 0)), "1", (1, -2), 1.5])
def test_zero_padding2d_bad_padding(padding):
    with pytest.raises(ValueError, match=r"padding"):
        ZeroPadding2D(padding)


# --- Cropping2D ------------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "cropping, pairs",
    [(1, ((1, 1), (1, 1))), ((1, 2), ((1, 1), (2, 2))), (((0, 2), (1, 0)), ((0, 2), (1, 0)))],
)
def test_cropping2d_values_shapes_and_gradient(cropping, pairs, data_format, rng):
    x = _image(data_format, rng, h=5, w=6)
    layer = Cropping2D(cropping, data_format=data_format)
    y = layer(x)
    (top, bottom), (left, right) = pairs
    expected = _hw(x, data_format)[:, top : 5 - bottom, left : 6 - right]
    np.testing.assert_array_equal(_hw(y.numpy(), data_format), expected)
    assert layer.compute_output_shape(x.shape) == y.shape
    K.check_gradients(Cropping2D(cropping, data_format=data_format, dtype="float64"), x)


def test_cropping2d_unknown_sizes():
    assert Cropping2D(((1, 2), (0, 0)))(Input((None, None, 3))).shape == (None, None, None, 3)
    assert Cropping2D(2)(Input((10, None, 3))).shape == (None, 6, None, 3)


def test_cropping2d_more_than_the_image_is_a_clear_error():
    layer = Cropping2D(((2, 2), (0, 0)))
    message = r"Cropping2D layer 'cropping2d'.*removes 4 rows.*\(1, 4, 8, 3\).*has only 4"
    with pytest.raises(ValueError, match=message):
        layer(np.zeros((1, 4, 8, 3), dtype="float32"))
    with pytest.raises(ValueError, match=r"removes 6 columns"):
        Cropping2D((0, 3))(Input((10, 5, 3)))
    with pytest.raises(ValueError, match=r"cannot be negative"):
        Cropping2D(-1)


# --- UpSampling2D --------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("size", [2, (2, 3)])
def test_up_sampling2d_nearest_repeats_pixels(size, data_format, rng):
    x = _image(data_format, rng)
    layer = UpSampling2D(size, data_format=data_format)
    y = layer(x)
    sh, sw = (size, size) if isinstance(size, int) else size
    expected = np.repeat(np.repeat(_hw(x, data_format), sh, axis=1), sw, axis=2)
    np.testing.assert_array_equal(_hw(y.numpy(), data_format), expected)
    assert layer.compute_output_shape(x.shape) == y.shape and y.dtype == np.float32
    K.check_gradients(UpSampling2D(size, data_format=data_format, dtype="float64"), x)


def test_bilinear_matrix_uses_half_pixel_centres():
    # input pixels at 0 and 1; output pixel centres read positions -0.25, 0.25, 0.75, 1.25
    np.testing.assert_allclose(
        linear_resize_matrix(2, 2) @ np.array([0.0, 1.0]), [0.0, 0.25, 0.75, 1.0]
    )
    assert np.allclose(linear_resize_matrix(5, 3).sum(axis=1), 1)  # each row is an average


@pytest.mark.parametrize("data_format", FORMATS)
def test_up_sampling2d_bilinear_values_and_gradient(data_format, rng):
    x = _image(data_format, rng, h=3, w=4)
    layer = UpSampling2D((2, 3), data_format=data_format, interpolation="bilinear")
    y = layer(x)
    a_h, a_w = linear_resize_matrix(3, 2), linear_resize_matrix(4, 3)
    expected = np.einsum("Hh,nhwc,Ww->nHWc", a_h, _hw(x, data_format), a_w)
    np.testing.assert_allclose(_hw(y.numpy(), data_format), expected, rtol=1e-5, atol=1e-6)
    assert y.shape == layer.compute_output_shape(x.shape) and y.dtype == np.float32
    K.check_gradients(
        UpSampling2D(2, data_format=data_format, interpolation="bilinear", dtype="float64"), x
    )


def test_up_sampling2d_symbolic_and_interpolation_errors():
    assert UpSampling2D(2)(Input((None, 7, 4))).shape == (None, None, 14, 4)
    with pytest.raises(NotImplementedError, match=r"'bicubic'.*'nearest' or 'bilinear'"):
        UpSampling2D(interpolation="bicubic")
    with pytest.raises(ValueError, match=r"interpolation='linear'"):
        UpSampling2D(interpolation="linear")
    with pytest.raises(ValueError, match=r"Received: size=0"):
        UpSampling2D(0)
    assert UpSampling2D(interpolation="BILINEAR").interpolation == "bilinear"


# --- the contract: config, shapes, gradients, one training step, saving, for every layer -------
LAYER_CASES = [
    layer_case(
        ZeroPadding2D,
        {"padding": 1},
        input_shape=(2, 3, 4, 2),
        expected_output_shape=(2, 5, 6, 2),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        ZeroPadding2D,
        {"padding": ((1, 2), (3, 4)), "data_format": "channels_first"},
        input_shape=(2, 2, 3, 2),
        expected_output_shape=(2, 2, 6, 9),
    ),
    layer_case(
        Cropping2D,
        {"cropping": (1, 2)},
        input_shape=(2, 5, 6, 2),
        expected_output_shape=(2, 3, 2, 2),
    ),
    layer_case(
        Cropping2D,
        {"cropping": ((0, 2), (1, 0)), "data_format": "channels_first"},
        input_shape=(2, 2, 5, 4),
        expected_output_shape=(2, 2, 3, 3),
    ),
    layer_case(
        UpSampling2D, {"size": 2}, input_shape=(2, 2, 3, 2), expected_output_shape=(2, 4, 6, 2)
    ),
    layer_case(
        UpSampling2D,
        {"size": (2, 3), "interpolation": "bilinear"},
        input_shape=(2, 3, 2, 2),
        expected_output_shape=(2, 6, 6, 2),
    ),
    layer_case(
        UpSampling2D,
        {"size": (2, 1), "data_format": "channels_first", "interpolation": "bilinear"},
        input_shape=(2, 2, 3, 2),
        expected_output_shape=(2, 2, 6, 2),
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- shared: configs, defaults, hints, Keras 1 --------------------------------------------------
@pytest.mark.parametrize(
    "layer, keys",
    [
        (ZeroPadding2D(((1, 2), (3, 4)), "channels_first"), {"padding", "data_format"}),
        (Cropping2D((1, 2)), {"cropping", "data_format"}),
        (UpSampling2D((2, 3), interpolation="bilinear"), {"size", "data_format", "interpolation"}),
    ],
)
def test_config_round_trip_through_json(layer, keys):
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype"} | keys
    again = type(layer).from_config(json.loads(json.dumps(config))).get_config()
    assert again == config


def test_image_data_format_is_the_default():
    K.set_image_data_format("channels_first")
    layers = [ZeroPadding2D(), Cropping2D(), UpSampling2D()]
    K.set_image_data_format("channels_last")
    assert all(layer.data_format == "channels_first" for layer in layers)
    assert layers[0](np.zeros((1, 3, 4, 4))).shape == (1, 3, 6, 6)


@pytest.mark.parametrize("cls", [ZeroPadding2D, Cropping2D, UpSampling2D])
def test_missing_channel_axis_hint(cls):
    with pytest.raises(ValueError, match=r"channel axis is missing.*Reshape\(\(28, 28, 1\)\)"):
        cls()(np.zeros((2, 28, 28), dtype="float32"))


def test_keras1_dim_ordering():
    with pytest.warns(KerasLegacyWarning, match="dim_ordering"):
        layer = UpSampling2D(size=(2, 2), dim_ordering="th")
    assert layer.data_format == "channels_first"
    with pytest.raises(ValueError, match="dim_ordering"):
        ZeroPadding2D(dim_ordering="nchw")

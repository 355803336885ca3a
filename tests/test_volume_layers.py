"""Pooling of volumes, and the 1-D/3-D padding, cropping and up-sampling layers, Permute and
RepeatVector: values against NumPy, shapes, the layer contract, Keras 1 spellings, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.layers import (
    AveragePooling3D,
    AvgPool3D,
    Cropping1D,
    Cropping3D,
    GlobalAveragePooling3D,
    GlobalAvgPool3D,
    GlobalMaxPool3D,
    GlobalMaxPooling3D,
    Input,
    MaxPool3D,
    MaxPooling3D,
    Permute,
    RepeatVector,
    UpSampling1D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding3D,
)
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test

FORMATS = ["channels_last", "channels_first"]


def _volume(data_format, rng, shape=(2, 4, 6, 4, 3)):
    x = rng.standard_normal(shape).astype("float32")
    return x if data_format == "channels_last" else np.ascontiguousarray(np.moveaxis(x, -1, 1))


def _last(x, data_format):
    """(batch, d, h, w, c) whatever the layout, to compare with NumPy."""
    return x if data_format == "channels_last" else np.moveaxis(x, 1, -1)


# --- values ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
def test_3d_pooling_values(data_format, rng):
    x = _volume(data_format, rng)
    blocks = _last(x, data_format).reshape(2, 2, 2, 3, 2, 2, 2, 3)  # windows of 2 x 2 x 2
    y = MaxPooling3D(data_format=data_format)(x).numpy()
    np.testing.assert_array_equal(_last(y, data_format), blocks.max(axis=(2, 4, 6)))
    y = AveragePooling3D(2, data_format=data_format)(x).numpy()
    np.testing.assert_allclose(_last(y, data_format), blocks.mean(axis=(2, 4, 6)), rtol=1e-6)
    y = GlobalMaxPooling3D(data_format=data_format)(x).numpy()
    np.testing.assert_array_equal(y, _last(x, data_format).max(axis=(1, 2, 3)))
    y = GlobalAveragePooling3D(data_format=data_format, keepdims=True)(x).numpy()
    assert y.shape == ((2, 1, 1, 1, 3) if data_format == "channels_last" else (2, 3, 1, 1, 1))
    np.testing.assert_allclose(
        y.reshape(2, 3), _last(x, data_format).mean(axis=(1, 2, 3)), rtol=1e-6
    )
    assert MaxPool3D is MaxPooling3D and AvgPool3D is AveragePooling3D
    assert GlobalMaxPool3D is GlobalMaxPooling3D and GlobalAvgPool3D is GlobalAveragePooling3D


@pytest.mark.parametrize("data_format", FORMATS)
def test_zero_padding_cropping_and_up_sampling_3d_values(data_format, rng):
    x = _volume(data_format, rng, shape=(2, 3, 4, 5, 2))
    pads = ((1, 0), (2, 1), (0, 3))
    y = ZeroPadding3D(pads, data_format=data_format)(x).numpy()
    np.testing.assert_array_equal(
        _last(y, data_format), np.pad(_last(x, data_format), ((0, 0), *pads, (0, 0)))
    )
    crops = ((1, 1), (0, 2), (2, 1))
    y = Cropping3D(crops, data_format=data_format)(x).numpy()
    np.testing.assert_array_equal(_last(y, data_format), _last(x, data_format)[:, 1:2, 0:2, 2:4])
    y = UpSampling3D((1, 2, 3), data_format=data_format)(x).numpy()
    expected = _last(x, data_format).repeat(2, axis=2).repeat(3, axis=3)
    np.testing.assert_array_equal(_last(y, data_format), expected)
    for layer in (
        ZeroPadding3D(pads, data_format=data_format, dtype="float64"),
        Cropping3D(crops, data_format=data_format, dtype="float64"),
        UpSampling3D(2, data_format=data_format, dtype="float64"),
    ):
        K.check_gradients(layer, x.astype("float64"))


def test_sequence_layers_values(rng):
    x = rng.standard_normal((2, 5, 3)).astype("float32")
    np.testing.assert_array_equal(
        ZeroPadding1D((2, 1))(x).numpy(), np.pad(x, ((0, 0), (2, 1), (0, 0)))
    )
    first = np.moveaxis(x, 1, 2)  # (batch, features, steps)
    y = ZeroPadding1D(1, data_format="channels_first")(first).numpy()
    np.testing.assert_array_equal(y, np.pad(first, ((0, 0), (0, 0), (1, 1))))
    np.testing.assert_array_equal(Cropping1D((1, 2))(x).numpy(), x[:, 1:3])
    np.testing.assert_array_equal(Cropping1D((2, 0))(x).numpy(), x[:, 2:])
    np.testing.assert_array_equal(UpSampling1D(3)(x).numpy(), x.repeat(3, axis=1))
    np.testing.assert_array_equal(Permute((2, 1))(x).numpy(), np.swapaxes(x, 1, 2))
    np.testing.assert_array_equal(
        Permute((3, 1, 2))(x.reshape(2, 5, 3, 1)).numpy(),
        np.transpose(x.reshape(2, 5, 3, 1), (0, 3, 1, 2)),
    )
    v = x[:, 0]
    np.testing.assert_array_equal(RepeatVector(4)(v).numpy(), np.repeat(v[:, None], 4, axis=1))
    for layer, data in (
        (UpSampling1D(2, dtype="float64"), x),
        (Permute((2, 1), dtype="float64"), x),
        (RepeatVector(3, dtype="float64"), v),
        (Cropping1D(1, dtype="float64"), x),
    ):
        K.check_gradients(layer, data.astype("float64"))


def test_shapes_with_unknown_sizes():
    assert ZeroPadding3D(2)(Input((None, 4, 4, 2))).shape == (None, None, 8, 8, 2)
    assert Cropping3D(1)(Input((None, 4, 4, 2))).shape == (None, None, 2, 2, 2)
    assert UpSampling3D(2, data_format="channels_first")(Input((2, None, 3, 3))).shape == (
        None,
        2,
        None,
        6,
        6,
    )
    assert UpSampling1D(2)(Input((None, 3))).shape == (None, None, 3)
    assert Cropping1D(1)(Input((None, 3))).shape == (None, None, 3)
    assert MaxPooling3D(2, padding="same")(Input((5, None, 7, 1))).shape == (None, 3, None, 4, 1)
    assert RepeatVector(3)(Input((4,))).shape == (None, 3, 4)
    assert Permute((2, 3, 1))(Input((2, 3, 4))).shape == (None, 3, 4, 2)


# --- the contract ----------------------------------------------------------------------------------
LAYER_CASES = [
    layer_case(
        MaxPooling3D,
        {},
        input_shape=(2, 4, 4, 2, 2),
        expected_output_shape=(2, 2, 2, 1, 2),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        MaxPooling3D,
        {"pool_size": (2, 3, 2), "strides": 1, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 2, 3, 4, 3),
        expected_output_shape=(2, 2, 3, 4, 3),
    ),
    layer_case(
        AveragePooling3D,
        {"pool_size": 2, "strides": (1, 2, 1), "padding": "same"},
        input_shape=(2, 3, 5, 3, 2),
        expected_output_shape=(2, 3, 3, 3, 2),
    ),
    layer_case(GlobalMaxPooling3D, {}, input_shape=(2, 3, 2, 4, 3), expected_output_shape=(2, 3)),
    layer_case(
        GlobalAveragePooling3D,
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 2, 4, 3),
        expected_output_shape=(2, 3, 1, 1, 1),
    ),
    layer_case(ZeroPadding1D, {}, input_shape=(2, 4, 3), expected_output_shape=(2, 6, 3)),
    layer_case(
        ZeroPadding1D,
        {"padding": (0, 2), "data_format": "channels_first"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 6),
    ),
    layer_case(
        ZeroPadding3D, {}, input_shape=(2, 2, 3, 2, 2), expected_output_shape=(2, 4, 5, 4, 2)
    ),
    layer_case(
        ZeroPadding3D,
        {"padding": (1, 0, 2), "data_format": "channels_first"},
        input_shape=(2, 2, 3, 2, 2),
        expected_output_shape=(2, 2, 5, 2, 6),
    ),
    layer_case(Cropping1D, {}, input_shape=(2, 5, 3), expected_output_shape=(2, 3, 3)),
    layer_case(
        Cropping1D, {"cropping": (2, 0)}, input_shape=(2, 5, 3), expected_output_shape=(2, 3, 3)
    ),
    layer_case(Cropping3D, {}, input_shape=(2, 3, 4, 5, 2), expected_output_shape=(2, 1, 2, 3, 2)),
    layer_case(
        Cropping3D,
        {"cropping": ((0, 1), (1, 0), (0, 0)), "data_format": "channels_first"},
        input_shape=(2, 2, 3, 4, 5),
        expected_output_shape=(2, 2, 2, 3, 5),
    ),
    layer_case(UpSampling1D, {"size": 3}, input_shape=(2, 4, 2), expected_output_shape=(2, 12, 2)),
    layer_case(
        UpSampling3D, {}, input_shape=(2, 2, 1, 2, 3), expected_output_shape=(2, 4, 2, 4, 3)
    ),
    layer_case(
        UpSampling3D,
        {"size": (1, 3, 2), "data_format": "channels_first"},
        input_shape=(2, 3, 2, 1, 2),
        expected_output_shape=(2, 3, 2, 3, 4),
    ),
    layer_case(Permute, {"dims": (2, 1)}, input_shape=(2, 5, 3), expected_output_shape=(2, 3, 5)),
    layer_case(
        Permute, {"dims": (3, 1, 2)}, input_shape=(2, 2, 3, 4), expected_output_shape=(2, 4, 2, 3)
    ),
    layer_case(RepeatVector, {"n": 3}, input_shape=(2, 4), expected_output_shape=(2, 3, 4)),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- Keras 1 spellings ------------------------------------------------------------------------------
def test_keras1_spellings_warn_and_work():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pool = MaxPooling3D(pool_size=2, border_mode="same", dim_ordering="th")
        up = UpSampling1D(length=3)
        pad = ZeroPadding3D(1, dim_ordering="tf")
        gap = GlobalAveragePooling3D(dim_ordering="th")
    said = " ".join(str(w.message) for w in caught if issubclass(w.category, KerasLegacyWarning))
    assert (pool.padding, pool.data_format) == ("same", "channels_first")
    assert up.size == 3 and "UpSampling1D(size=...)" in said
    assert pad.data_format == "channels_last" and gap.data_format == "channels_first"


# --- bad input ---------------------------------------------------------------------------------------
def test_errors_name_the_layer_the_shapes_and_the_fix():
    with pytest.raises(
        ValueError,
        match=r"MaxPooling3D layer .*pool window \(2, 2, 2\).*\(1, 4, 4\).*ZeroPadding3D",
    ):
        MaxPooling3D()(np.zeros((2, 1, 4, 4, 3)))
    with pytest.raises(
        ValueError,
        match=r"channel axis is missing.*\(batch, depth, height, width, channels\).*Reshape\(\(4, 4, 4, 1\)\)",
    ):
        AveragePooling3D(2)(np.zeros((2, 4, 4, 4)))
    with pytest.raises(
        ValueError, match=r"Cropping3D layer .*removes 4 cells of the height.*only 3"
    ):
        Cropping3D(((0, 0), (2, 2), (0, 0)))(np.zeros((1, 3, 3, 3, 1)))
    with pytest.raises(ValueError, match=r"Cropping1D layer .*removes 5 steps.*only 4"):
        Cropping1D((2, 3))(Input((4, 2)))
    with pytest.raises(
        ValueError, match=r"RepeatVector.*already a sequence.*LSTM without return_sequences"
    ):
        RepeatVector(3)(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"Permute\(dims=\(2, 1\)\).*3 axes"):
        Permute((2, 1))(np.zeros((2, 5, 3, 1)))
    with pytest.raises(ValueError, match=r"consecutive and start from 1.*0 is the batch"):
        Permute((0, 1))
    with pytest.raises(ValueError, match=r"padding.*tuple of 3 ints"):
        ZeroPadding3D((1, 2))
    with pytest.raises(ValueError, match=r"cropping` cannot be negative"):
        Cropping3D(-1)
    with pytest.raises(TypeError, match=r"integer value for `size`"):
        UpSampling1D(2.0)
    with pytest.raises(ValueError, match=r"`n` should be a positive integer"):
        RepeatVector(0)

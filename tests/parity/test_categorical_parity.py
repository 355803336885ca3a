"""CategoryEncoding and Discretization against Keras 3 on PyTorch (the categorical layers that
run without TensorFlow; the others are in `test_preprocessing_goldens.py`): outputs, dtypes,
configs both ways, and `.keras` files both ways. Every difference is 0 (integers and 0/1)."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk

IDS = np.array([[0, 1, 3, 3], [2, 2, 2, 0], [1, 0, 3, 2]])


@pytest.mark.parametrize("output_mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize(
    "ids", [IDS, IDS[:, :1], IDS[0], np.array(2)], ids=["2d", "column", "1d", "scalar"]
)
def test_category_encoding_matches(keras, output_mode, ids):
    theirs = keras.layers.CategoryEncoding(5, output_mode=output_mode)(ids)
    ours = tk.layers.CategoryEncoding(5, output_mode=output_mode)(ids)
    theirs = np.asarray(keras.ops.convert_to_numpy(theirs))
    np.testing.assert_array_equal(ours.numpy(), theirs)
    assert ours.dtype == theirs.dtype


def test_count_weights_match(keras):
    weights = np.random.default_rng(0).uniform(size=IDS.shape).astype("float32")
    theirs = keras.layers.CategoryEncoding(4, output_mode="count")(IDS, count_weights=weights)
    ours = tk.layers.CategoryEncoding(4, output_mode="count")(IDS, count_weights=weights)
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(theirs), rtol=1e-6)


VALUES = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.5, 1.999]], dtype="float32")


@pytest.mark.parametrize("output_mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_matches(keras, output_mode):
    kwargs = {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": output_mode}
    data = VALUES if output_mode != "one_hot" else VALUES[:, :1]
    theirs = np.asarray(keras.ops.convert_to_numpy(keras.layers.Discretization(**kwargs)(data)))
    ours = tk.layers.Discretization(**kwargs)(data).numpy()
    np.testing.assert_array_equal(ours, theirs)
    assert ours.dtype == theirs.dtype


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("CategoryEncoding", {"num_tokens": 7, "output_mode": "count"}),
        ("Discretization", {"bin_boundaries": [0.5, 1.5], "output_mode": "one_hot"}),
        ("Discretization", {"num_bins": 4, "epsilon": 0.02}),
    ],
)
def test_configs_match_both_ways(keras, name, kwargs):
    ours = getattr(tk.layers, name)(**kwargs, name="layer")
    theirs = getattr(keras.layers, name)(**kwargs, name="layer")
    a, b = ours.get_config(), theirs.get_config()
    assert set(a) == set(b)
    for key in set(a) - {"dtype"}:
        assert a[key] == b[key], key
    assert getattr(keras.layers, name).from_config(a).get_config() == b
    assert getattr(tk.layers, name).from_config(b).get_config() == a


def _model(lib):
    inputs = lib.Input((4,))
    ids = lib.Input((4,), dtype="int32")
    outputs = [
        lib.layers.Discretization([0.0, 1.0, 2.0], output_mode="count")(inputs),
        lib.layers.CategoryEncoding(4, output_mode="multi_hot")(ids),
    ]
    return lib.Model([inputs, ids], outputs)


def test_keras_files_go_both_ways(keras, tmp_path):
    _model(tk).save(tmp_path / "ours.keras")
    _model(keras).save(tmp_path / "theirs.keras")
    theirs = keras.saving.load_model(tmp_path / "ours.keras")
    ours = tk.saving.load_model(tmp_path / "theirs.keras")
    data = [VALUES, IDS[:2].astype("int32")]
    for a, b in zip(ours.predict(data, verbose=0), theirs.predict(data, verbose=0), strict=True):
        np.testing.assert_array_equal(a, b)

"""`keras.utils` and `keras.saving` helpers against Keras 3: normalize, get_file's cache layout,
and configs that travel between `serialize_keras_object` and `deserialize_keras_object`."""

from __future__ import annotations

import json
import os
import tarfile

import numpy as np
import pytest

import teachkeras as tk

pytestmark = pytest.mark.parity


# --- normalize ----------------------------------------------------------------------------
@pytest.mark.parametrize(("axis", "order"), [(-1, 2), (1, 2), (-1, 1), (1, 3), (2, 2)])
def test_normalize_matches(keras, axis, order):
    x = np.random.default_rng(0).normal(size=(3, 4, 5)).astype("float32")
    x[0, 1] = 0.0  # a zero vector stays zero in both
    ours = tk.utils.normalize(x, axis=axis, order=order)
    theirs = keras.utils.normalize(x, axis=axis, order=order)
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_normalize_axis_0_where_keras_agrees(keras):
    # Keras 3 expands the norm at axis -1 whatever `axis` is (`axis = axis or -1`), which is
    # right for a column: teachkeras expands it at `axis`, right for every shape.
    x = np.array([[3.0], [4.0]])
    np.testing.assert_allclose(tk.utils.normalize(x, axis=0), keras.utils.normalize(x, axis=0))


# --- get_file: the same cache layout --------------------------------------------------------
@pytest.fixture
def archive(tmp_path):
    inner = tmp_path / "hello.txt"
    inner.write_text("hi")
    path = tmp_path / "src" / "bundle.tar.gz"
    path.parent.mkdir()
    with tarfile.open(path, "w:gz") as tar:
        tar.add(inner, arcname="hello.txt")
    return path


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"fname": "b.tgz"},
        {"extract": True},
        {"fname": "b.tar.gz", "extract": True},
        {"fname": "flowers", "extract": True},
    ],
    ids=["plain", "fname", "extract", "extract-fname-with-dot", "extract-fname"],
)
def test_get_file_lays_out_the_cache_as_keras(keras, archive, tmp_path, kwargs, capsys):
    origin = archive.as_uri()  # file:// : Keras reads it without any network
    for cache in ("ours", "theirs"):  # Keras 3 falls back to /tmp/.keras for a missing one
        (tmp_path / cache).mkdir()
    ours = tk.utils.get_file(origin=origin, cache_dir=str(tmp_path / "ours"), **kwargs)
    theirs = keras.utils.get_file(origin=origin, cache_dir=str(tmp_path / "theirs"), **kwargs)
    assert os.path.relpath(ours, tmp_path / "ours") == os.path.relpath(theirs, tmp_path / "theirs")
    assert sorted(os.listdir(tmp_path / "ours" / "datasets")) == sorted(
        os.listdir(tmp_path / "theirs" / "datasets")
    )


# --- configs both ways ------------------------------------------------------------------------
OBJECTS = {
    "GlorotUniform": lambda lib: lib.initializers.GlorotUniform(seed=3),
    "L1L2": lambda lib: lib.regularizers.L1L2(l1=0.1, l2=0.2),
    "MaxNorm": lambda lib: lib.constraints.MaxNorm(2.0, axis=1),
    "CategoricalCrossentropy": lambda lib: lib.losses.CategoricalCrossentropy(from_logits=True),
    "Accuracy": lambda lib: lib.metrics.Accuracy(name="acc"),
    "ExponentialDecay": lambda lib: lib.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9),
    "Adam": lambda lib: lib.optimizers.Adam(0.01, beta_1=0.8, name="adam"),
    "Dense": lambda lib: lib.layers.Dense(3, activation="relu", name="d"),
}
# Keys whose spelling differs on purpose: Keras 3 writes a dtype policy dict, we a name.
_DIFFERENT = {"dtype"}


def _same_config(a: dict, b: dict) -> None:
    shared = (set(a) & set(b)) - _DIFFERENT
    assert shared, (a, b)
    for key in shared:
        x, y = a[key], b[key]
        if isinstance(x, float) or isinstance(y, float):
            assert x == pytest.approx(y, rel=1e-6), key
        elif isinstance(x, dict) and isinstance(y, dict) and "class_name" in x:
            assert x["class_name"] == y["class_name"], key
        else:
            assert x == y, key


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_our_config_builds_the_same_object_in_keras(keras, name):
    config = json.loads(json.dumps(tk.saving.serialize_keras_object(OBJECTS[name](tk))))
    theirs = keras.saving.deserialize_keras_object(config)
    assert type(theirs).__name__ == name
    _same_config(theirs.get_config(), OBJECTS[name](tk).get_config())


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_keras_config_builds_the_same_object_here(keras, name):
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(OBJECTS[name](keras))))
    ours = tk.saving.deserialize_keras_object(config)
    assert type(ours).__name__ == name
    _same_config(ours.get_config(), OBJECTS[name](keras).get_config())


@pytest.mark.parametrize("name", ["relu", "softmax", "mean_squared_error"])
def test_functions_are_written_alike(keras, name):
    ours_fn = getattr(tk.activations, name, None) or getattr(tk.losses, name)
    theirs_fn = getattr(keras.activations, name, None) or getattr(keras.losses, name)
    ours = tk.saving.serialize_keras_object(ours_fn)
    assert ours == keras.saving.serialize_keras_object(theirs_fn)
    assert keras.saving.deserialize_keras_object(ours) is theirs_fn
    assert tk.saving.deserialize_keras_object(ours) is ours_fn


def test_numpy_values_are_written_alike(keras):
    x = np.arange(4, dtype="float32").reshape(2, 2)
    assert tk.saving.serialize_keras_object(x) == keras.saving.serialize_keras_object(x)
    back = tk.saving.deserialize_keras_object(keras.saving.serialize_keras_object(x))
    np.testing.assert_array_equal(back, x)

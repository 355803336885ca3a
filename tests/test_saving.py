"""Saving and loading: round trips, compile state, weights files, damaged files, fuzzing."""

from __future__ import annotations

import errno
import io
import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import teachkeras as keras
from teachkeras import layers
from teachkeras.backend import random as K_random
from teachkeras.models import Model
from teachkeras.saving import ModelFileError, SavingMixin, weights_h5
from teachkeras.saving import legacy_h5 as legacy_h5_module
from tests.zoo.tf_keras_files import write_tf211_h5

load_model = keras.saving.load_model


def test_model_has_the_saving_methods():
    assert issubclass(Model, SavingMixin)


# --- models -------------------------------------------------------------------------------
X = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
Y_CLASSES = np.eye(2, dtype="float32")[np.arange(16) % 2]
Y_VALUES = np.random.default_rng(1).normal(size=(16, 1)).astype("float32")


def mlp(optimizer="adam"):
    """A Sequential MLP with Dropout, trained a little (so the optimizer has state)."""
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y_CLASSES, batch_size=8, epochs=2, verbose=0)
    return model


def two_branch():
    """A functional model: two branches through one shared layer, two outputs."""
    x = keras.Input((4,), name="x")
    shared = layers.Dense(3, activation="relu", name="shared")
    left = shared(layers.Dense(5, name="left")(x))
    right = shared(layers.Dense(5, activation="tanh", name="right")(x))
    out_a = layers.Dense(1, name="out_a")(left)
    out_b = layers.Dense(1, name="out_b")(right)
    model = Model(x, [out_a, out_b])
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse", metrics=["mae"])
    model.fit(X, [Y_VALUES, Y_VALUES], batch_size=8, epochs=2, verbose=0)
    return model


# One small example of every layer type: (factory, the shape of one sample).
LAYER_CASES = {
    "Dense": (lambda: layers.Dense(3, activation="tanh"), (4,)),
    "Dropout": (lambda: layers.Dropout(0.25), (4,)),
    "Activation": (lambda: layers.Activation("sigmoid"), (4,)),
    "Flatten": (lambda: layers.Flatten(), (2, 3)),
    "Reshape": (lambda: layers.Reshape((3, 2)), (2, 3)),
    "LeakyReLU": (lambda: layers.LeakyReLU(negative_slope=0.2), (4,)),
    "ReLU": (lambda: layers.ReLU(max_value=2.0, negative_slope=0.1), (4,)),
    "ELU": (lambda: layers.ELU(alpha=0.5), (4,)),
    "Softmax": (lambda: layers.Softmax(), (4,)),
    # layers being added (each is tested as soon as `teachkeras.layers` exports it)
    "Conv1D": (lambda: layers.Conv1D(2, 3, activation="relu"), (6, 2)),
    "Conv2D": (lambda: layers.Conv2D(2, 3, padding="same"), (5, 5, 2)),
    "Conv2DTranspose": (lambda: layers.Conv2DTranspose(2, 2, strides=2), (3, 3, 2)),
    "MaxPooling1D": (lambda: layers.MaxPooling1D(2), (6, 2)),
    "AveragePooling1D": (lambda: layers.AveragePooling1D(2), (6, 2)),
    "MaxPooling2D": (lambda: layers.MaxPooling2D(2), (4, 4, 2)),
    "AveragePooling2D": (lambda: layers.AveragePooling2D(2), (4, 4, 2)),
    "GlobalMaxPooling1D": (lambda: layers.GlobalMaxPooling1D(), (6, 2)),
    "GlobalAveragePooling1D": (lambda: layers.GlobalAveragePooling1D(), (6, 2)),
    "GlobalMaxPooling2D": (lambda: layers.GlobalMaxPooling2D(), (4, 4, 2)),
    "GlobalAveragePooling2D": (lambda: layers.GlobalAveragePooling2D(), (4, 4, 2)),
    "BatchNormalization": (lambda: layers.BatchNormalization(momentum=0.5), (4,)),
    "ZeroPadding2D": (lambda: layers.ZeroPadding2D(1), (3, 3, 2)),
    "Cropping2D": (lambda: layers.Cropping2D(1), (4, 4, 2)),
    "UpSampling2D": (lambda: layers.UpSampling2D(2), (2, 2, 2)),
    "Add": (lambda: layers.Add(), (4,)),
    "Subtract": (lambda: layers.Subtract(), (4,)),
    "Multiply": (lambda: layers.Multiply(), (4,)),
    "Average": (lambda: layers.Average(), (4,)),
    "Maximum": (lambda: layers.Maximum(), (4,)),
    "Minimum": (lambda: layers.Minimum(), (4,)),
    "Concatenate": (lambda: layers.Concatenate(), (4,)),
    "Dot": (lambda: layers.Dot(axes=1), (4,)),
    "Embedding": (lambda: layers.Embedding(10, 3), (5,)),  # token ids: see TOKEN_IDS
    "Masking": (lambda: layers.Masking(), (3, 2)),
    "TimeDistributed": (lambda: layers.TimeDistributed(layers.Dense(2)), (3, 4)),
    "TextVectorization": (
        lambda: layers.TextVectorization(vocabulary=["a", "b", "c"], output_sequence_length=3),
        (1,),
    ),
    "SimpleRNN": (lambda: layers.SimpleRNN(3, return_sequences=True), (5, 2)),
    "LSTM": (lambda: layers.LSTM(3, return_sequences=True, go_backwards=True), (5, 2)),
    "GRU": (lambda: layers.GRU(3, return_sequences=True, reset_after=False), (5, 2)),
    "RNN": (lambda: layers.RNN(layers.GRUCell(3), return_sequences=True), (5, 2)),
    "SimpleRNNCell": (lambda: layers.RNN(layers.SimpleRNNCell(3)), (5, 2)),
    "LSTMCell": (lambda: layers.RNN(layers.LSTMCell(3)), (5, 2)),
    "GRUCell": (lambda: layers.RNN(layers.GRUCell(3)), (5, 2)),
    "StackedRNNCells": (
        lambda: layers.RNN(layers.StackedRNNCells([layers.LSTMCell(3), layers.GRUCell(2)])),
        (5, 2),
    ),
    "Bidirectional": (
        lambda: layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="ave"),
        (5, 2),
    ),
    "LayerNormalization": (lambda: layers.LayerNormalization(epsilon=0.01), (3, 4)),
    "EinsumDense": (
        lambda: layers.EinsumDense("abc,cde->abde", (None, 2, 3), bias_axes="e"),
        (3, 4),
    ),
    "Attention": (lambda: layers.Attention(use_scale=True, score_mode="concat"), (3, 4)),
    "AdditiveAttention": (lambda: layers.AdditiveAttention(), (3, 4)),
    "MultiHeadAttention": (lambda: layers.MultiHeadAttention(2, 3, dropout=0.2), (3, 4)),
    "GroupQueryAttention": (lambda: layers.GroupQueryAttention(3, 4, 2, dropout=0.2), (3, 4)),
    # augmentations, with draws that cannot differ (a seed's stream restarts on loading)
    "Rescaling": (lambda: layers.Rescaling(0.5, offset=1.0), (3, 4, 2)),
    "Resizing": (lambda: layers.Resizing(2, 3, interpolation="bicubic"), (3, 4, 2)),
    "CenterCrop": (lambda: layers.CenterCrop(2, 3), (3, 4, 2)),
    "Normalization": (lambda: layers.Normalization(mean=[1.0, 2.0], variance=[3.0, 4.0]), (3, 2)),
    "RandomFlip": (lambda: layers.RandomFlip("horizontal", seed=1), (3, 1, 2)),  # width 1
    "RandomRotation": (lambda: layers.RandomRotation((0.1, 0.1)), (3, 4, 2)),
    "RandomZoom": (lambda: layers.RandomZoom((0.2, 0.2), fill_mode="wrap"), (3, 4, 2)),
    "RandomTranslation": (lambda: layers.RandomTranslation((0.3, 0.3), (0.1, 0.1)), (3, 4, 2)),
    "RandomContrast": (lambda: layers.RandomContrast(0.0, value_range=(-9, 9)), (3, 4, 2)),
    "RandomBrightness": (
        lambda: layers.RandomBrightness((0.1, 0.1), value_range=(-9, 9)),
        (3, 4, 2),
    ),
    "RandomCrop": (lambda: layers.RandomCrop(3, 4), (3, 4, 2)),  # the whole image
    # categories: integer data first in the model (TOKEN_IDS)
    "CategoryEncoding": (lambda: layers.CategoryEncoding(10, output_mode="multi_hot"), (5,)),
    "Discretization": (lambda: layers.Discretization([2.0, 5.0], output_mode="one_hot"), (5,)),
    "Hashing": (lambda: layers.Hashing(4, output_mode="count"), (5,)),
    "IntegerLookup": (
        lambda: layers.IntegerLookup(vocabulary=[1, 3, 5], output_mode="count"),
        (5,),
    ),
    "StringLookup": (lambda: layers.StringLookup(vocabulary=["b d", "a b"]), (1,)),  # TEXT
    # issue 13: the rest of Keras's layers
    "PReLU": (lambda: layers.PReLU(alpha_initializer="ones"), (3, 2)),
    "Identity": (lambda: layers.Identity(), (4,)),
    "Lambda": (lambda: layers.Lambda(keras.ops.square), (4,)),
    "ActivityRegularization": (lambda: layers.ActivityRegularization(l1=0.01), (4,)),
    "GaussianNoise": (lambda: layers.GaussianNoise(0.1), (4,)),
    "GaussianDropout": (lambda: layers.GaussianDropout(0.2), (4,)),
    "AlphaDropout": (lambda: layers.AlphaDropout(0.2), (4,)),
    "SpatialDropout1D": (lambda: layers.SpatialDropout1D(0.3), (3, 2)),
    "SpatialDropout2D": (lambda: layers.SpatialDropout2D(0.3), (2, 2, 2)),
    "SpatialDropout3D": (lambda: layers.SpatialDropout3D(0.3), (2, 2, 2, 2)),
    "Conv3D": (lambda: layers.Conv3D(2, 2, padding="same"), (2, 3, 3, 2)),
    "Conv3DTranspose": (lambda: layers.Conv3DTranspose(2, 2, strides=2), (2, 2, 2, 2)),
    "Conv1DTranspose": (lambda: layers.Conv1DTranspose(2, 3, strides=2), (3, 2)),
    "DepthwiseConv1D": (lambda: layers.DepthwiseConv1D(2, depth_multiplier=2), (4, 2)),
    "DepthwiseConv2D": (lambda: layers.DepthwiseConv2D(2, padding="same"), (3, 3, 2)),
    "SeparableConv1D": (lambda: layers.SeparableConv1D(3, 2), (4, 2)),
    "SeparableConv2D": (lambda: layers.SeparableConv2D(3, 2, depth_multiplier=2), (3, 3, 2)),
    "MaxPooling3D": (lambda: layers.MaxPooling3D(2), (2, 4, 2, 2)),
    "AveragePooling3D": (lambda: layers.AveragePooling3D(2, padding="same"), (3, 2, 2, 2)),
    "GlobalMaxPooling3D": (lambda: layers.GlobalMaxPooling3D(), (2, 2, 2, 2)),
    "GlobalAveragePooling3D": (lambda: layers.GlobalAveragePooling3D(), (2, 2, 2, 2)),
    "ZeroPadding1D": (lambda: layers.ZeroPadding1D(1), (3, 2)),
    "ZeroPadding3D": (lambda: layers.ZeroPadding3D(1), (2, 2, 2, 2)),
    "Cropping1D": (lambda: layers.Cropping1D(1), (4, 2)),
    "Cropping3D": (lambda: layers.Cropping3D(1), (3, 3, 3, 2)),
    "UpSampling1D": (lambda: layers.UpSampling1D(2), (3, 2)),
    "UpSampling3D": (lambda: layers.UpSampling3D(2), (2, 1, 2, 2)),
    "Permute": (lambda: layers.Permute((2, 1)), (3, 2)),
    "RepeatVector": (lambda: layers.RepeatVector(3), (4,)),
    "GroupNormalization": (lambda: layers.GroupNormalization(2), (3, 4)),
    "UnitNormalization": (lambda: layers.UnitNormalization(), (4,)),
    "SpectralNormalization": (lambda: layers.SpectralNormalization(layers.Dense(3)), (4,)),
}
TOKEN_IDS = {"Embedding"}  # layers whose input is token ids: first in the model, integer data
TOKEN_IDS |= {"CategoryEncoding", "Discretization", "Hashing", "IntegerLookup"}
TEXT = {"TextVectorization"}  # layers that read strings: then an Embedding
TEXT |= {"StringLookup"}
MERGING = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"}
MERGING |= {"Attention", "AdditiveAttention"}  # called on a list [query, value] too
QUERY_VALUE = {"MultiHeadAttention", "GroupQueryAttention"}  # called as layer(query, value)
EXPORTED_LAYERS = sorted(
    name
    for name, obj in vars(layers).items()
    if isinstance(obj, type)
    and issubclass(obj, layers.Layer)
    # aliases (MaxPool2D) are the same class; GroupQueryAttention is Keras's name for its class
    and (obj.__name__ == name or name == "GroupQueryAttention")
    and name not in ("Layer", "InputLayer")
    and not name.startswith("Base")
    and name != "Merge"
    and name != "Wrapper"  # the abstract base of TimeDistributed
)


def layer_model(name):
    """A small trained model around one layer (a Dense first, so every layer gets gradients)."""
    factory, shape = LAYER_CASES[name]
    rng = np.random.default_rng(2)
    x = rng.normal(size=(8, *shape)).astype("float32")
    if name in MERGING:
        a, b = keras.Input(shape), keras.Input(shape)
        merged = factory()([layers.Dense(shape[-1])(a), b])
        model = Model([a, b], layers.Dense(2)(layers.Flatten()(merged)))
        x = [x, x[::-1].copy()]
    elif name in TEXT:
        x = rng.choice(["a b", "c a b", "b d"], size=(8, *shape))
        model = keras.Sequential(
            [
                keras.Input(shape, dtype="string"),
                factory(),
                layers.Embedding(5, 2),
                layers.Flatten(),
                layers.Dense(2),
            ]
        )
    elif name in TOKEN_IDS:
        x = rng.integers(0, 10, size=(8, *shape))
        model = keras.Sequential([keras.Input(shape), factory(), layers.Flatten(), layers.Dense(2)])
    elif name in QUERY_VALUE:
        a, b = keras.Input(shape), keras.Input(shape)
        attended = factory()(layers.Dense(shape[-1])(a), b)
        model = Model([a, b], layers.Dense(2)(layers.Flatten()(attended)))
        x = [x, x[::-1].copy()]
    else:
        model = keras.Sequential(
            [
                keras.Input(shape),
                layers.Dense(shape[-1]),
                factory(),
                layers.Flatten(),
                layers.Dense(2),
            ]
        )
    y = rng.normal(size=(8, 2)).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    return model, x, y


def data_for(model):
    if len(model.outputs) == 2:
        return X, [Y_VALUES, Y_VALUES]
    return X, Y_CLASSES


def assert_same_weights(a, b):
    assert len(a.weights) == len(b.weights)
    for va, vb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(va.numpy(), vb.numpy())


def predictions(model, x):
    out = model.predict(x, verbose=0)
    return out if isinstance(out, list) else [out]


BUILDERS = {"mlp": mlp, "two_branch": two_branch}


def test_every_layer_type_has_a_round_trip_case():
    missing = [name for name in EXPORTED_LAYERS if name not in LAYER_CASES]
    assert not missing, f"add a LAYER_CASES entry for {missing}"


@pytest.mark.parametrize("name", EXPORTED_LAYERS)
def test_every_layer_type_round_trips(name, tmp_path):
    """Save, load, predict exactly the same, and train on exactly the same, in both formats."""
    model, x, y = layer_model(name)
    for suffix in (".keras", ".h5"):
        model.save(tmp_path / f"m{suffix}")
        loaded = load_model(tmp_path / f"m{suffix}")
        assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
        np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
        assert_same_weights(model, loaded)
        K_random.set_seed(11)
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
        K_random.set_seed(11)
        loaded.fit(x, y, batch_size=4, epochs=1, verbose=0)
        assert_same_weights(model, loaded)


# --- whole-model round trips ------------------------------------------------------------------
@pytest.mark.parametrize("builder", sorted(BUILDERS))
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_round_trip_predicts_exactly_and_trains_on_identically(builder, suffix, tmp_path):
    model = BUILDERS[builder]()
    path = tmp_path / f"model{suffix}"
    model.save(path)
    loaded = load_model(path)

    assert type(loaded) is type(model)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert_same_weights(model, loaded)
    x, y = data_for(model)
    for a, b in zip(predictions(model, x), predictions(loaded, x), strict=True):
        np.testing.assert_array_equal(a, b)

    # compiled state: the same optimizer, in the same state
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    for va, vb in zip(model.optimizer.variables, loaded.optimizer.variables, strict=True):
        np.testing.assert_array_equal(va.numpy(), vb.numpy())
    assert loaded.metrics_names == model.metrics_names

    # continuing to train gives exactly the same next steps (Dropout reseeded alike)
    K_random.set_seed(7)
    history_a = model.fit(x, y, batch_size=4, epochs=2, verbose=0).history
    K_random.set_seed(7)
    history_b = loaded.fit(x, y, batch_size=4, epochs=2, verbose=0).history
    assert history_a == history_b
    assert_same_weights(model, loaded)


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_uncompiled_and_compile_false(suffix, tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.save(tmp_path / f"plain{suffix}")
    loaded = load_model(tmp_path / f"plain{suffix}")
    assert not loaded.compiled
    np.testing.assert_array_equal(model.predict(X, verbose=0), loaded.predict(X, verbose=0))

    trained = mlp()
    trained.save(tmp_path / f"trained{suffix}")
    assert not load_model(tmp_path / f"trained{suffix}", compile=False).compiled


def test_saved_before_training_loads_an_unbuilt_optimizer(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "skipping optimizer variables" warning
        loaded = load_model(tmp_path / "m.keras")
    assert len(loaded.optimizer.variables) == 2  # iteration and learning rate: no slots yet
    K_random.set_seed(3)
    model.fit(X, Y_CLASSES, epochs=1, verbose=0)
    K_random.set_seed(3)
    loaded.fit(X, Y_CLASSES, epochs=1, verbose=0)
    assert_same_weights(model, loaded)


def test_include_optimizer_false_leaves_out_the_compile_state(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.h5", include_optimizer=False)
    with h5py.File(tmp_path / "m.h5") as f:
        assert "training_config" not in f.attrs and "optimizer_weights" not in f
    assert not load_model(tmp_path / "m.h5").compiled


def test_loss_and_metric_objects_survive(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanAbsoluteError(), keras.losses.mean_squared_error],
    )
    model.fit(X, Y_VALUES, epochs=1, verbose=0)
    for suffix in (".keras", ".h5"):
        model.save(tmp_path / f"m{suffix}")
        loaded = load_model(tmp_path / f"m{suffix}")
        assert loaded.evaluate(X, Y_VALUES, verbose=0) == model.evaluate(X, Y_VALUES, verbose=0)


# --- the files are laid out as Keras lays them out ---------------------------------------------
def test_h5_layout(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5") as f:
        for attr in ("model_config", "training_config", "keras_version", "backend"):
            assert attr in f.attrs
        config = json.loads(f.attrs["model_config"])
        assert config["class_name"] == "Sequential"
        assert json.loads(f.attrs["training_config"])["optimizer_config"]["class_name"] == "Adam"
        group = f["model_weights"]
        assert list(legacy_h5_module.read_names(group, "layer_names")) == [
            "dense",
            "dropout",
            "dense_1",
        ]
        names = legacy_h5_module.read_names(group["dense"], "weight_names")
        assert names == ["dense/kernel", "dense/bias"]
        np.testing.assert_array_equal(group["dense"]["dense/kernel"][()], model.weights[0].numpy())
        assert legacy_h5_module.read_names(group["dropout"], "weight_names") == []
        assert "top_level_model_weights" in group
        assert legacy_h5_module.read_names(f["optimizer_weights"], "weight_names")[0] == (
            "adam/iteration"
        )


def test_keras_zip_layout(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        config = json.loads(archive.read("config.json"))
        assert json.loads(archive.read("metadata.json"))["keras_version"].startswith("3.")
        weights = io.BytesIO(archive.read("model.weights.h5"))
    assert config["class_name"] == "Sequential"
    assert config["build_config"] == {"input_shape": [None, 4]}
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    with h5py.File(weights) as f:
        np.testing.assert_array_equal(f["layers/dense/vars/0"][()], model.weights[0].numpy())
        np.testing.assert_array_equal(f["layers/dense_1/vars/1"][()], model.weights[3].numpy())
        assert len(f["layers/dropout/vars"]) == 0
        assert len(f["optimizer/vars"]) == len(model.optimizer.variables)
        assert "vars" in f


def test_weights_are_found_by_class_position_not_layer_name(tmp_path):
    """Keras 3 names groups `dense`, `dense_1`... by class and order, whatever the layer names."""
    model = two_branch()
    tree = dict(weights_h5.state_tree(model))
    assert tree["layers/input_layer"].name == "x"
    assert [tree[f"layers/dense{s}"].name for s in ("", "_1", "_2", "_3", "_4")] == [
        "left",
        "right",
        "shared",
        "out_a",
        "out_b",
    ]
    assert tree["optimizer"] is model.optimizer


# --- weights only --------------------------------------------------------------------------------
@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5", "model.keras"])
def test_weights_round_trip_into_a_model_from_json(filename, tmp_path):
    model = two_branch()
    path = tmp_path / filename
    if filename.endswith(".keras"):
        model.save(path)
    else:
        model.save_weights(path)
    rebuilt = keras.saving.model_from_json(model.to_json())
    rebuilt.load_weights(path)
    assert_same_weights(model, rebuilt)


def test_legacy_weights_by_name_loads_matching_layers_only(tmp_path):
    source = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, name="a"), layers.Dense(2, name="b")]
    )
    source.save_weights(tmp_path / "w.h5")
    target = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, name="a"), layers.Dense(2, name="other")]
    )
    before = target.get_layer("other").get_weights()
    target.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(
        target.get_layer("a").kernel.numpy(), source.get_layer("a").kernel.numpy()
    )
    for old, new in zip(before, target.get_layer("other").get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_by_name_from_a_whole_model_h5(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.h5")
    rebuilt = keras.saving.model_from_json(model.to_json())
    rebuilt.load_weights(tmp_path / "m.h5", by_name=True)
    assert_same_weights(model, rebuilt)


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_shape_mismatch_raises_or_is_skipped(filename, tmp_path):
    source = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    source.save_weights(tmp_path / filename)
    target = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(5)])
    before = target.get_weights()
    with pytest.raises(ModelFileError, match="shape"):
        target.load_weights(tmp_path / filename)
    for old, new in zip(before, target.get_weights(), strict=True):  # all or nothing
        np.testing.assert_array_equal(old, new)
    with pytest.warns(UserWarning, match="Skipping"):
        target.load_weights(tmp_path / filename, skip_mismatch=True)
    np.testing.assert_array_equal(target.layers[0].kernel.numpy(), source.layers[0].kernel.numpy())
    np.testing.assert_array_equal(target.layers[1].kernel.numpy(), before[2])


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_weights_for_another_architecture_raise(filename, tmp_path):
    bigger = keras.Sequential(
        [keras.Input((4,)), layers.Dense(4), layers.Dense(4), layers.Dense(4)]
    )
    bigger.save_weights(tmp_path / filename)
    smaller = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.Dense(4)])
    before = smaller.get_weights()
    with pytest.raises(ModelFileError, match=r"architecture|layers"):
        smaller.load_weights(tmp_path / filename)
    for old, new in zip(before, smaller.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_by_name_needs_the_legacy_layout(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="by_name"):
        model.load_weights(tmp_path / "w.weights.h5", by_name=True)


def test_weights_need_a_built_model_and_a_known_suffix(tmp_path):
    deferred = keras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not built"):
        deferred.save_weights(tmp_path / "w.weights.h5")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match=r"weights\.h5"):
        model.save_weights(tmp_path / "w.npz")
    with pytest.raises(ValueError, match="extension"):
        model.save(tmp_path / "model.tf")


def test_custom_layer_with_sublayers_round_trips(tmp_path):
    @keras.saving.register_keras_serializable(package="test_saving")
    class Block(layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.inner = layers.Dense(units, activation="relu")
            self.scale = None

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(self.units,), initializer="ones", name="scale")

        def call(self, x):
            return self.inner(x) * self.scale

        def compute_output_shape(self, input_shape):
            return (*input_shape[:-1], self.units)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = keras.Sequential([keras.Input((4,)), Block(3), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, Y_VALUES, epochs=1, verbose=0)
    paths = [path for path, _ in weights_h5.state_tree(model)]
    assert "layers/block/inner" in paths  # Keras's path: the attribute name
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(model.predict(X, verbose=0), loaded.predict(X, verbose=0))


# --- JSON and YAML -----------------------------------------------------------------------------
def test_json_round_trip_keeps_the_architecture_not_the_weights():
    model = two_branch()
    text = model.to_json()
    assert json.loads(text)["module"] == "keras.src.models.functional"
    rebuilt = keras.saving.model_from_json(text)
    assert rebuilt.get_config() == model.get_config()
    assert rebuilt.compiled and isinstance(rebuilt.optimizer, keras.optimizers.SGD)
    assert json.loads(model.to_json(indent=2)) == json.loads(text)


def test_yaml_round_trip_warns_and_works():
    model = mlp()
    with pytest.warns(keras.legacy.KerasLegacyWarning, match="to_yaml"):
        text = model.to_yaml()
    with pytest.warns(keras.legacy.KerasLegacyWarning, match="model_from_yaml"):
        rebuilt = keras.saving.model_from_yaml(text)
    assert rebuilt.get_config() == model.get_config()


def test_yaml_reads_keras2_tuples_but_builds_no_python_objects():
    keras2 = """
class_name: Sequential
config:
  name: sequential_1
  layers:
  - class_name: Dense
    config: {name: dense_1, units: 2, activation: relu, batch_input_shape: !!python/tuple [null, 4]}
keras_version: 2.2.4
backend: tensorflow
"""
    with pytest.warns(keras.legacy.KerasLegacyWarning):
        model = keras.saving.model_from_yaml(keras2)
    assert model.input_shape == (None, 4)
    hostile = "!!python/object/apply:os.system ['echo hacked']"
    with pytest.raises(ModelFileError, match="YAML"):
        keras.saving.model_from_yaml(hostile)


def test_model_from_json_rejects_garbage():
    with pytest.raises(ModelFileError, match="JSON"):
        keras.saving.model_from_json("{not json")
    with pytest.raises(ModelFileError, match="not a Keras model config"):
        keras.saving.model_from_json("[1, 2, 3]")
    dense_only = json.dumps({"class_name": "Dense", "config": {"units": 2}})
    with pytest.raises(ModelFileError, match="not a model"):
        keras.saving.model_from_json(dense_only)


# --- nothing executed ------------------------------------------------------------------------------
def _with_lambda(config: dict) -> dict:
    config = json.loads(json.dumps(config))
    config["config"]["layers"].insert(
        1,
        {
            "module": "keras.layers",
            "class_name": "Lambda",
            "config": {"name": "lambda", "function": {"class_name": "__lambda__", "config": {}}},
            "registered_name": None,
        },
    )
    return config


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_lambda_is_refused_unless_safe_mode_false(suffix, tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    path = tmp_path / f"m{suffix}"
    model.save(path)
    if suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        config = _with_lambda(json.loads(members["config.json"]))
        members["config.json"] = json.dumps(config).encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        with h5py.File(path, "r+") as f:
            config = _with_lambda(json.loads(f.attrs["model_config"]))
            f.attrs["model_config"] = json.dumps(config)
    with pytest.raises(ModelFileError, match="safe_mode=False"):
        load_model(path)
    # With safe_mode=False the check steps aside; the Lambda then needs the function from the
    # learner (custom_objects): teachkeras never runs the bytecode in the file.
    with pytest.raises(ModelFileError, match="Lambda"):
        load_model(path, safe_mode=False)


def test_lambda_in_json_is_refused():
    config = _with_lambda(
        json.loads(keras.Sequential([keras.Input((4,)), layers.Dense(2)]).to_json())
    )
    with pytest.raises(ModelFileError, match="Python code"):
        keras.saving.model_from_json(json.dumps(config))


# --- a failed save leaves the previous file intact -------------------------------------------------
@pytest.mark.parametrize("filename", ["m.keras", "m.h5", "w.weights.h5", "w.h5"])
def test_a_save_failing_half_way_keeps_the_old_file(filename, tmp_path, monkeypatch):
    model = mlp()
    path = tmp_path / filename
    save = model.save_weights if "w." in filename else model.save
    save(path)
    original = path.read_bytes()
    model.fit(X, Y_CLASSES, epochs=1, verbose=0)  # new weights: the next save would differ

    real_create_dataset = h5py.Group.create_dataset
    calls = []

    def failing_create_dataset(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 3:  # some arrays are written, then the disk "fills up"
            raise OSError(28, "No space left on device")
        return real_create_dataset(self, *args, **kwargs)

    monkeypatch.setattr(h5py.Group, "create_dataset", failing_create_dataset)
    with pytest.raises(OSError, match="No space"):
        save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == [filename]  # the temporary file is gone too
    monkeypatch.undo()
    save(path)
    assert path.read_bytes() != original


def test_a_keras_save_failing_while_zipping_keeps_the_old_file(tmp_path, monkeypatch):
    model = mlp()
    path = tmp_path / "m.keras"
    model.save(path)
    original = path.read_bytes()
    real_writestr = zipfile.ZipFile.writestr

    def failing_writestr(self, name, data, *args, **kwargs):
        if name == "model.weights.h5":  # metadata and config are already in the new zip
            raise KeyboardInterrupt
        return real_writestr(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["m.keras"]


# What h5py raises when the disk fills up while HDF5 writes (errno comes from HDF5's report).
H5PY_DISK_FULL = (
    "Can't synchronously write data (file write failed: time = Sat Dec  6 03:39:54 2025, "
    "filename = '.m.h5.w35hep1a.tmp', file descriptor = 3, errno = 28, error message = "
    "'No space left on device', total write size = 116008, offset = 249856)"
)


@pytest.mark.parametrize("filename", ["m.keras", "m.h5", "w.weights.h5", "w.h5"])
@pytest.mark.parametrize("old_file", [True, False])
def test_a_full_disk_is_named_and_the_old_file_is_intact(filename, old_file, tmp_path, monkeypatch):
    model = mlp()
    path = tmp_path / filename
    save = model.save_weights if "w." in filename else model.save
    if old_file:
        save(path)
    original = path.read_bytes() if old_file else None
    model.fit(X, Y_CLASSES, epochs=1, verbose=0)

    if filename.endswith(".keras"):  # the zip is written with Python's own file writes
        real_writestr = zipfile.ZipFile.writestr

        def writestr(self, name, data, *args, **kwargs):
            if name == "model.weights.h5":
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_writestr(self, name, data, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    else:  # HDF5 writes the arrays: h5py reports its failure as an OSError with errno 28
        real_create_dataset = h5py.Group.create_dataset

        def create_dataset(self, name, *args, **kwargs):
            if not name.startswith("dense/"):  # the first layer is written, then the disk is full
                raise OSError(errno.ENOSPC, H5PY_DISK_FULL)
            return real_create_dataset(self, name, *args, **kwargs)

        monkeypatch.setattr(h5py.Group, "create_dataset", create_dataset)

    with pytest.raises(OSError, match="the disk is full") as info:
        save(path)
    message = str(info.value)
    assert info.value.errno == errno.ENOSPC and str(path) in message
    if old_file:
        assert "The old file is intact" in message and path.read_bytes() == original
    else:
        assert "No file was written" in message and not path.exists()
    assert "Free some space" in message
    assert os.listdir(tmp_path) == ([filename] if old_file else [])  # no temporary file left


def test_a_full_disk_is_found_behind_the_error_raised_while_closing():
    from teachkeras.saving.atomic import _disk_full_errno

    try:
        try:
            raise OSError(errno.ENOSPC, H5PY_DISK_FULL)
        except OSError:
            raise RuntimeError("Unable to close file (file write failed)")  # noqa: B904
    except RuntimeError as on_close:
        assert _disk_full_errno(on_close) == errno.ENOSPC
    assert _disk_full_errno(OSError(errno.EACCES, "Permission denied")) is None
    assert _disk_full_errno(KeyboardInterrupt()) is None


def test_a_save_removes_the_temporary_files_a_killed_save_left_and_nothing_else(tmp_path):
    """Only `.m.keras.<8 of mkstemp's characters>.tmp` regular files older than this process."""
    from teachkeras.saving.atomic import process_start_time

    long_ago = process_start_time() - 3600
    stale = ".m.keras.k3x_9q1z.tmp"  # what `kill -9` during model.save("m.keras") leaves
    kept = [
        ".m.keras.abcd1234.tmp.bak",  # not our naming: a suffix after ours
        ".m.keras.abc1234.tmp",  # 7 random characters, not 8
        ".m.keras.ABCD1234.tmp",  # mkstemp never writes capitals
        ".m.keras.ab-d1234.tmp",  # nor a dash
        "m.keras.abcd1234.tmp",  # no leading dot
        ".xm.keras.abcd1234.tmp",  # another target
        ".m.h5.abcd1234.tmp",  # another target
        ".m.kerasXabcd1234.tmp",  # the dots are dots
        "notes.txt",
    ]
    for name in [stale, *kept]:
        (tmp_path / name).write_bytes(b"x" * 100)
        os.utime(tmp_path / name, (long_ago, long_ago))
    (tmp_path / ".m.keras.live5678.tmp").write_bytes(b"y")  # newer: maybe a save in progress
    kept.append(".m.keras.live5678.tmp")
    (tmp_path / ".m.keras.dir_5678.tmp").mkdir()  # our naming, but a folder
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_bytes(b"z")
    os.utime(outside / "precious", (long_ago, long_ago))
    os.symlink(outside / "precious", tmp_path / ".m.keras.link5678.tmp")  # our naming, a link
    kept += [".m.keras.dir_5678.tmp", ".m.keras.link5678.tmp", "outside"]

    keras.Sequential([keras.Input((4,)), layers.Dense(2)]).save(tmp_path / "m.keras")
    assert sorted(os.listdir(tmp_path)) == sorted([*kept, "m.keras"])
    assert (outside / "precious").read_bytes() == b"z"


def test_the_process_start_time_is_before_a_child_process_start():
    import subprocess
    import sys
    import time

    from teachkeras.saving import atomic
    from teachkeras.saving.atomic import process_start_time

    started = process_start_time()
    assert started is not None and started <= time.time()
    child = (  # atomic.py on its own: no teachkeras import, so the child starts fast
        f"import importlib.util as u; s = u.spec_from_file_location('a', {atomic.__file__!r}); "
        "m = u.module_from_spec(s); s.loader.exec_module(m); print(m.process_start_time())"
    )
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    assert started <= float(out.stdout)


def test_overwrite_false_refuses_to_replace(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(FileExistsError):
        model.save_weights(tmp_path / "m.keras", overwrite=False)


def test_saved_files_get_normal_permissions(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    mode = os.stat(tmp_path / "m.keras").st_mode & 0o777
    assert mode & 0o644 == 0o644 or os.name == "nt"


# --- damaged and foreign files ------------------------------------------------------------------
def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_damaged_and_foreign_files_raise_the_documented_error(tmp_path):
    model = mlp()
    model.save(tmp_path / "good.keras")
    model.save(tmp_path / "good.h5")
    good_keras = (tmp_path / "good.keras").read_bytes()
    good_h5 = (tmp_path / "good.h5").read_bytes()
    model.save_weights(tmp_path / "weights.h5")

    cases = {
        "missing.keras": None,
        "empty.keras": b"",
        "empty.h5": b"",
        "text.keras": b"hello, I am not a model",
        "truncated.keras": good_keras[: len(good_keras) // 2],
        "truncated.h5": good_h5[: len(good_h5) // 2],
        "head_only.h5": good_h5[:8],
        "flipped.keras": good_keras[:300] + bytes([good_keras[300] ^ 0xFF]) + good_keras[301:],
    }
    for name, data in cases.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    _zip(tmp_path / "no_config.keras", {"metadata.json": b"{}", "model.weights.h5": b""})
    config = zipfile.ZipFile(tmp_path / "good.keras").read("config.json")
    _zip(tmp_path / "no_weights.keras", {"config.json": config})
    _zip(tmp_path / "bad_json.keras", {"config.json": b"{]"})
    with h5py.File(tmp_path / "foreign.h5", "w") as f:
        f["data"] = np.arange(3)
    (tmp_path / "folder.keras").mkdir()

    expected = {
        "missing.keras": "no such file",
        "empty.keras": "empty",
        "empty.h5": "empty",
        "text.keras": "neither",
        "truncated.keras": "zip",
        "truncated.h5": "truncated",
        "head_only.h5": "truncated",
        "flipped.keras": "zip|CRC",
        "no_config.keras": "config.json",
        "no_weights.keras": "model.weights.h5",
        "bad_json.keras": "JSON",
        "foreign.h5": "model_config",
        "weights.h5": "model_config",
        "folder.keras": "folder",
    }
    for name, message in expected.items():
        with pytest.raises(ModelFileError, match=message) as info:
            load_model(tmp_path / name)
        assert name in str(info.value)  # the error names the file


def test_load_weights_from_damaged_files(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    data = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "cut.weights.h5").write_bytes(data[:1000])
    (tmp_path / "zero.weights.h5").write_bytes(b"")
    with h5py.File(tmp_path / "other.weights.h5", "w") as f:
        f["x"] = 1.0
    for name in ("cut.weights.h5", "zero.weights.h5", "other.weights.h5", "nowhere.weights.h5"):
        with pytest.raises(ModelFileError, match=name):
            model.load_weights(tmp_path / name)


def test_reads_a_keras2_h5_file(tmp_path):
    """Keras 2 (TensorFlow) wrote variable-length strings, `:0` weight names and Keras 2 configs."""
    rng = np.random.default_rng(0)
    kernel, bias = rng.normal(size=(4, 2)).astype("float32"), np.zeros(2, "float32")
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential_1",
            "layers": [
                {
                    "class_name": "Dense",
                    "config": {
                        "name": "dense_1",
                        "trainable": True,
                        "batch_input_shape": [None, 4],
                        "dtype": "float32",
                        "units": 2,
                        "activation": "softmax",
                        "use_bias": True,
                        "kernel_initializer": {
                            "class_name": "GlorotUniform",
                            "config": {"seed": None},
                        },
                        "bias_initializer": {"class_name": "Zeros", "config": {}},
                        "kernel_regularizer": None,
                        "bias_regularizer": None,
                        "activity_regularizer": None,
                        "kernel_constraint": None,
                        "bias_constraint": None,
                    },
                }
            ],
        },
    }
    training = {
        "loss": "categorical_crossentropy",
        "metrics": ["acc"],
        "loss_weights": None,
        "sample_weight_mode": None,
        "optimizer_config": {
            "class_name": "Adam",
            "config": {
                "name": "Adam",
                "learning_rate": 0.01,
                "decay": 0.0,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
                "is_legacy_optimizer": False,
            },
        },
    }
    path = tmp_path / "keras2.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)  # a str: variable-length, as Keras 2 wrote
        f.attrs["training_config"] = json.dumps(training)
        f.attrs["keras_version"] = "2.4.0"
        f.attrs["backend"] = "tensorflow"
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [b"dense_1"]
        layer = group.create_group("dense_1")
        layer.attrs["weight_names"] = [b"dense_1/kernel:0", b"dense_1/bias:0"]
        layer["dense_1/kernel:0"], layer["dense_1/bias:0"] = kernel, bias
        optimizer = f.create_group("optimizer_weights")
        optimizer.attrs["weight_names"] = [b"Adam/iter:0"]
        optimizer["Adam/iter:0"] = np.int64(3)
    with pytest.warns(UserWarning, match="optimizer"):  # Keras 2's slots are laid out otherwise
        model = load_model(path)
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), kernel)
    assert model.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    assert model.metrics_names == ["loss", "acc"]


def test_reads_a_tf211_h5_file_with_a_custom_adam_as_keras_3_does(tmp_path):
    """`Custom>Adam` is Adam with the saved settings; TF's optimizer state is not restored."""
    rng = np.random.default_rng(0)
    kernel, bias = rng.normal(size=(4, 2)).astype("float32"), np.full(2, 0.5, "float32")
    write_tf211_h5(tmp_path / "tf211.h5", kernel, bias)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(tmp_path / "tf211.h5")
    [warning] = [w for w in caught if "TensorFlow 2.11" in str(w.message)]
    assert "'Custom>Adam'" in str(warning.message) and "not restored" in str(warning.message)
    assert warning.filename == __file__  # it points at the learner's line
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), kernel)
    np.testing.assert_array_equal(model.layers[0].bias.numpy(), bias)
    assert type(model.optimizer) is keras.optimizers.Adam
    assert model.optimizer.get_config()["learning_rate"] == pytest.approx(0.002)
    assert int(model.optimizer.iterations.numpy()) == 0  # a fresh state: TF's 7 is not read


TF2_LOSS_OBJECT = {
    "class_name": "CategoricalCrossentropy",
    "config": {
        "reduction": "auto",
        "name": "categorical_crossentropy",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
    },
}


@pytest.mark.parametrize("loss", ["categorical_crossentropy", TF2_LOSS_OBJECT])
def test_a_tf2_h5_file_evaluates_and_trains_with_its_metrics_and_loss(loss, tmp_path):
    """TF 2 stored metrics as [[MeanMetricWrapper]] per output, and loss reductions as 'auto'."""
    kernel = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    write_tf211_h5(tmp_path / "tf2.h5", kernel, np.zeros(2, "float32"), loss=loss)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = load_model(tmp_path / "tf2.h5")
    x, y = X[:8], Y_CLASSES[:8]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert model.metrics_names == ["loss", "accuracy"]
    predicted = model.predict(x, verbose=0)
    assert logs["accuracy"] == pytest.approx(np.mean(predicted.argmax(1) == y.argmax(1)))
    expected_loss = -np.mean(np.sum(y * np.log(predicted), axis=1))  # averaged over the batch
    assert logs["loss"] == pytest.approx(expected_loss, rel=1e-5)
    history = model.fit(x, y, epochs=1, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}


def test_a_registered_custom_adam_is_used_as_it_is(tmp_path):
    class MyAdam(keras.optimizers.Adam):
        pass

    kernel, bias = np.ones((4, 2), "float32"), np.zeros(2, "float32")
    write_tf211_h5(tmp_path / "mine.h5", kernel, bias)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = load_model(tmp_path / "mine.h5", custom_objects={"Custom>Adam": MyAdam})
    assert type(model.optimizer) is MyAdam
    # TensorFlow Addons' Yogi is no Keras optimizer (AdamW, the old example here, now is one).
    write_tf211_h5(tmp_path / "yogi.h5", kernel, bias, optimizer="Custom>Yogi")
    with pytest.raises(ModelFileError, match="Unknown optimizer: 'Custom>Yogi'"):
        load_model(tmp_path / "yogi.h5")


def test_errors_are_value_errors_naming_the_file():
    err = ModelFileError("m.h5", "something is wrong.", "Do this.")
    assert isinstance(err, ValueError)
    assert (err.filepath, err.problem, err.hint) == ("m.h5", "something is wrong.", "Do this.")
    assert str(err) == "Cannot load 'm.h5': something is wrong. Do this."


# --- fuzzing: only the documented error (or success), never a half-built model --------------------
_VALID_FILES: dict[str, bytes] = {}


def _valid_files(folder) -> dict[str, bytes]:
    if not _VALID_FILES:
        model = keras.Sequential(
            [
                keras.Input((3,)),
                layers.Dense(2, activation="relu", name="d1"),
                layers.Dense(1, name="d2"),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        model.fit(X[:, :3], Y_VALUES, epochs=1, verbose=0)
        for name in ("m.keras", "m.h5"):
            model.save(folder / name)
        for name in ("w.weights.h5", "w.h5"):
            model.save_weights(folder / name)
        _VALID_FILES.update({name: (folder / name).read_bytes() for name in os.listdir(folder)})
        _VALID_FILES["model_json"] = model.to_json()  # type: ignore[assignment]
        _VALID_FILES["weights"] = model.get_weights()  # type: ignore[assignment]
    return _VALID_FILES


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["m.keras", "m.h5", "w.weights.h5", "w.h5"]),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
)
def test_fuzzed_files_give_the_documented_error_or_a_whole_model(
    name, cut, flips, tmp_path_factory
):
    folder = tmp_path_factory.getbasetemp() / "fuzz_valid"
    folder.mkdir(exist_ok=True)
    files = _valid_files(folder)
    data = bytearray(files[name])
    if flips:
        for where, value in flips:
            data[int(where * (len(data) - 1))] = value
    else:
        data = data[: int(cut * len(data))]
    path = folder.parent / f"fuzzed_{name}"
    path.write_bytes(bytes(data))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a damaged optimizer state only warns (as in Keras)
        if name.startswith("m."):
            try:
                model = load_model(path)
            except ModelFileError:
                return
            assert model.predict(X[:2, :3], verbose=0).shape == (2, 1)  # a whole model
        else:
            model = keras.saving.model_from_json(files["model_json"])
            before = model.get_weights()
            try:
                model.load_weights(path)
            except ModelFileError:
                for old, new in zip(before, model.get_weights(), strict=True):
                    np.testing.assert_array_equal(old, new)  # nothing changed
                return
    # loaded: the weights are the saved ones (a damaged weight fails its CRC or checksum)
    for saved, loaded in zip(files["weights"], model.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)


def test_reading_that_crashes_is_caught_in_a_child_process():
    from teachkeras.saving.errors import crashes_when_run

    assert not crashes_when_run(lambda: None)
    assert not crashes_when_run(lambda: 1 / 0)  # a Python error is not a crash
    if hasattr(os, "fork"):
        assert crashes_when_run(lambda: os.kill(os.getpid(), 11))  # SIGSEGV


def test_a_read_that_never_finishes_counts_as_damage():
    import time

    from teachkeras.saving.errors import crashes_when_run

    assert crashes_when_run(lambda: time.sleep(60), timeout=0.5) is True
    assert crashes_when_run(lambda: None, timeout=5) is False

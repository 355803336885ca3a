"""Files written here load in real Keras 3, and files written by Keras 3 load here.

For each format (`.keras`, whole-model `.h5`, `.weights.h5`, Keras 2's weights `.h5`
by name, JSON) and both directions: the loaded model predicts what the saved one
predicted, and a compiled model continues training with the same next step.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import teachkeras as tk
from teachkeras.models import Model
from teachkeras.saving import ModelFileError, SavingMixin

RTOL, ATOL = 1e-5, 1e-6

X = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
Y = np.eye(2, dtype="float32")[np.arange(16) % 2]
Y_VALUES = np.random.default_rng(1).normal(size=(16, 1)).astype("float32")


def test_model_has_the_saving_methods():
    assert issubclass(Model, SavingMixin)


# --- the same architectures in both libraries -------------------------------------------------
def mlp(lib, dropout=True):
    stack = [lib.Input((4,)), lib.layers.Dense(8, activation="relu", name="hidden")]
    if dropout:
        stack.append(lib.layers.Dropout(0.3, name="drop"))
    stack.append(lib.layers.Dense(2, activation="softmax", name="out"))
    model = lib.Sequential(stack, name="mlp")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, X, Y


def two_branch(lib):
    x = lib.Input((4,), name="x")
    shared = lib.layers.Dense(3, activation="relu", name="shared")
    left = shared(lib.layers.Dense(5, name="left")(x))
    right = shared(lib.layers.Dense(5, activation="tanh", name="right")(x))
    out_a = lib.layers.Dense(1, name="out_a")(left)
    out_b = lib.layers.Dense(1, name="out_b")(right)
    model = lib.Model(x, [out_a, out_b], name="two_branch")
    model.compile(optimizer=lib.optimizers.SGD(0.05, momentum=0.9), loss="mse")
    return model, X, [Y_VALUES, Y_VALUES]


def every_layer(lib):
    """Every layer type teachkeras exported when this was written, in one stack."""
    model = lib.Sequential(
        [
            lib.Input((2, 4)),
            lib.layers.Flatten(),
            lib.layers.Dense(8),
            lib.layers.LeakyReLU(negative_slope=0.2),
            lib.layers.ReLU(max_value=3.0),
            lib.layers.ELU(alpha=0.5),
            lib.layers.Dropout(0.25),
            lib.layers.Reshape((2, 4)),
            lib.layers.Activation("tanh"),
            lib.layers.Flatten(),
            lib.layers.Dense(2),
            lib.layers.Softmax(),
        ],
        name="every_layer",
    )
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    return model, X.reshape(8, 2, 4), Y[:8]


def cnn(lib):
    """The issue's CNN with BatchNormalization and Dropout."""
    model = lib.Sequential(
        [
            lib.Input((8, 8, 1)),
            lib.layers.Conv2D(4, 3, activation="relu", name="conv"),
            lib.layers.BatchNormalization(name="bn"),
            lib.layers.MaxPooling2D(name="pool"),
            lib.layers.Dropout(0.25, name="drop"),
            lib.layers.Flatten(name="flat"),
            lib.layers.Dense(2, activation="softmax", name="out"),
        ],
        name="cnn",
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    images = np.random.default_rng(3).random((len(X), 8, 8, 1), dtype=np.float32)
    return model, images, Y


ARCHITECTURES = {"mlp": mlp, "two_branch": two_branch, "every_layer": every_layer, "cnn": cnn}


def outputs(model, x) -> list[np.ndarray]:
    out = model.predict(x, verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, list | tuple) else [out])]


def assert_close_outputs(a, b, x_a, x_b=None):
    for out_a, out_b in zip(outputs(a, x_a), outputs(b, x_a if x_b is None else x_b), strict=True):
        np.testing.assert_allclose(out_a, out_b, rtol=RTOL, atol=ATOL)


def assert_close_weights(a, b):
    assert len(a.weights) == len(b.weights)
    for va, vb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(
            np.asarray(va.numpy()), np.asarray(vb.numpy()), rtol=RTOL, atol=ATOL
        )


def assert_same_optimizer_state(a, b):
    va, vb = a.optimizer.variables, b.optimizer.variables
    assert len(va) == len(vb)
    for x, y in zip(va, vb, strict=True):
        np.testing.assert_allclose(
            np.asarray(x.numpy()), np.asarray(y.numpy()), rtol=RTOL, atol=ATOL
        )


def trained(lib, name):
    model, x, y = ARCHITECTURES[name](lib)
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return model, x, y


def one_step(model, x, y):
    model.train_on_batch(x, y)


# --- teachkeras -> Keras -------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_keras_loads_our_model_files(keras, name, suffix, tmp_path):
    ours, x, _ = trained(tk, name)
    ours.save(tmp_path / f"m{suffix}")
    theirs = keras.saving.load_model(tmp_path / f"m{suffix}")
    assert [layer.name for layer in theirs.layers] == [layer.name for layer in ours.layers]
    assert_close_outputs(ours, theirs, x)
    assert type(theirs.optimizer).__name__ == type(ours.optimizer).__name__
    if suffix == ".keras":  # Keras 3.15's .h5 loader builds no optimizer slots (see below)
        assert_same_optimizer_state(ours, theirs)


def test_keras_h5_loader_drops_the_optimizer_state(keras, tmp_path):
    """A Keras limitation, not ours: its legacy .h5 loader builds the optimizer on the
    model's *own* variables (none), so the saved slots do not fit and it starts fresh.
    teachkeras restores them from the same file (test_we_load_keras_model_files)."""
    theirs, _, _ = trained(keras, "mlp")
    theirs.save(tmp_path / "m.h5")
    assert len(keras.saving.load_model(tmp_path / "m.h5").optimizer.variables) == 2
    ours = tk.saving.load_model(tmp_path / "m.h5")
    assert_same_optimizer_state(theirs, ours)


@pytest.mark.parametrize("suffix", [".keras"])
def test_keras_continues_training_our_model_like_us(keras, suffix, tmp_path):
    ours, x, y = mlp(tk, dropout=False)
    ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    ours.save(tmp_path / f"m{suffix}")
    theirs = keras.saving.load_model(tmp_path / f"m{suffix}")
    one_step(ours, x, y)
    one_step(theirs, x, y)
    assert_close_weights(ours, theirs)
    assert_same_optimizer_state(ours, theirs)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_keras_reads_our_weights_and_json(keras, name, tmp_path):
    ours, x, _ = trained(tk, name)
    ours.save_weights(tmp_path / "w.weights.h5")
    ours.save_weights(tmp_path / "w.h5")
    theirs = keras.models.model_from_json(ours.to_json())
    assert theirs.compiled  # the compile_config in the JSON is Keras's
    theirs.load_weights(tmp_path / "w.weights.h5")
    assert_close_outputs(ours, theirs, x)
    assert_same_optimizer_state(ours, theirs)
    fresh = keras.models.model_from_json(ours.to_json())
    fresh.load_weights(tmp_path / "w.h5")  # Keras 2's layout, in order
    assert_close_outputs(ours, fresh, x)
    by_name = keras.models.model_from_json(ours.to_json())
    by_name.load_weights(tmp_path / "w.h5", by_name=True)
    assert_close_outputs(ours, by_name, x)


@pytest.mark.parametrize("filename", ["m.h5", "w.h5", "w.weights.h5", "m.keras"])
def test_keras_loads_our_files_with_their_checksum_attributes(keras, filename, tmp_path):
    """Every array we write carries a `teachkeras_crc32` attribute; Keras 3 reads past it."""
    import h5py

    from teachkeras.saving.weights_h5 import CHECKSUM_ATTR

    ours, x, _ = trained(tk, "mlp")
    path = tmp_path / filename
    (ours.save if filename.startswith("m.") else ours.save_weights)(path)
    if filename.endswith(".h5"):
        arrays = []

        def note(_name, obj):  # returns None, or visititems would stop
            if isinstance(obj, h5py.Dataset):
                arrays.append(CHECKSUM_ATTR in obj.attrs)

        with h5py.File(path, "r") as f:
            f.visititems(note)
        assert arrays and all(arrays)
    if filename.startswith("m."):
        theirs = keras.saving.load_model(path)
    else:
        theirs = keras.models.model_from_json(ours.to_json())
        theirs.load_weights(path)
    assert_close_outputs(ours, theirs, x)


# --- Keras -> teachkeras -------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_we_load_keras_model_files(keras, name, suffix, tmp_path):
    keras.utils.set_random_seed(0)
    theirs, x, _ = trained(keras, name)
    theirs.save(tmp_path / f"m{suffix}")
    ours = tk.saving.load_model(tmp_path / f"m{suffix}")
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert_close_outputs(theirs, ours, x)
    assert type(ours.optimizer).__name__ == type(theirs.optimizer).__name__
    assert_same_optimizer_state(theirs, ours)


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_we_continue_training_a_keras_model_like_keras(keras, suffix, tmp_path):
    keras.utils.set_random_seed(0)
    theirs, x, y = mlp(keras, dropout=False)
    theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    theirs.save(tmp_path / f"m{suffix}")
    ours = tk.saving.load_model(tmp_path / f"m{suffix}")
    one_step(theirs, x, y)
    one_step(ours, x, y)
    assert_close_weights(theirs, ours)
    assert_same_optimizer_state(theirs, ours)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_we_read_keras_weights_and_json(keras, name, tmp_path):
    keras.utils.set_random_seed(0)
    theirs, x, _ = trained(keras, name)
    their_json = theirs.to_json()  # before saving a .h5, which drops Keras's compile optimizer
    theirs.save_weights(tmp_path / "w.weights.h5")
    theirs.save(tmp_path / "whole.h5")
    ours = tk.saving.model_from_json(their_json)
    assert ours.compiled
    ours.load_weights(tmp_path / "w.weights.h5")
    assert_close_outputs(theirs, ours, x)
    assert_same_optimizer_state(theirs, ours)
    by_name = tk.saving.model_from_json(their_json)
    by_name.load_weights(tmp_path / "whole.h5", by_name=True)  # the model_weights group
    assert_close_outputs(theirs, by_name, x)


def test_a_tf211_h5_with_custom_adam_loads_in_both(keras, tmp_path):
    """TensorFlow 2.11's `Custom>Adam`: both load the model, as Adam, without TF's state.

    One known difference: Keras 3.15 rebuilds `Adam()` by its name with default
    settings; teachkeras keeps the saved ones (learning_rate 0.002 here).
    """
    from tests.zoo.tf_keras_files import write_tf211_h5

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    kernel, bias = rng.normal(size=(4, 2)).astype("float32"), np.full(2, 0.5, "float32")
    write_tf211_h5(tmp_path / "tf211.h5", kernel, bias)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = keras.saving.load_model(tmp_path / "tf211.h5")
        ours = tk.saving.load_model(tmp_path / "tf211.h5")
    assert_close_outputs(theirs, ours, X)
    assert type(theirs.optimizer).__name__ == type(ours.optimizer).__name__ == "Adam"
    assert float(ours.optimizer.learning_rate.numpy()) == pytest.approx(0.002)
    assert float(theirs.optimizer.learning_rate.numpy()) == pytest.approx(0.001)
    assert int(ours.optimizer.iterations.numpy()) == 0


def test_json_configs_are_the_same(keras):
    """Our `to_json` and Keras's agree on the structure Keras reads back."""
    ours, _, _ = mlp(tk)
    theirs, _, _ = mlp(keras)
    a, b = json.loads(ours.to_json()), json.loads(theirs.to_json())
    assert (a["module"], a["class_name"], a["registered_name"]) == (
        b["module"],
        b["class_name"],
        b["registered_name"],
    )
    assert a["build_config"] == b["build_config"]
    assert set(a["compile_config"]) == set(b["compile_config"])
    layers_a = [(c["class_name"], c["config"]["name"]) for c in a["config"]["layers"]]
    layers_b = [(c["class_name"], c["config"]["name"]) for c in b["config"]["layers"]]
    assert layers_a == layers_b


def test_the_weights_file_layouts_are_the_same(keras, tmp_path):
    import h5py

    ours, _, _ = trained(tk, "two_branch")
    theirs, _, _ = trained(keras, "two_branch")
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs.save_weights(tmp_path / "theirs.weights.h5")

    def layout(path):
        found = []
        with h5py.File(path) as f:
            f.visititems(lambda name, obj: found.append((name, getattr(obj, "shape", None))))
        return sorted(found)

    assert layout(tmp_path / "ours.weights.h5") == layout(tmp_path / "theirs.weights.h5")


# --- a damaged Keras file is still only the documented error -------------------------------------
_KERAS_FILES: dict[str, bytes] = {}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["m.keras", "m.h5", "w.weights.h5"]),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_fuzzed_keras_files_give_the_documented_error(keras, name, flips, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "fuzz_keras"
    if not _KERAS_FILES:
        folder.mkdir(exist_ok=True)
        model, x, y = mlp(keras)
        model.fit(x, y, epochs=1, verbose=0)
        model.save(folder / "m.keras")
        model.save(folder / "m.h5")
        model.save_weights(folder / "w.weights.h5")
        _KERAS_FILES.update(
            {n: (folder / n).read_bytes() for n in ("m.keras", "m.h5", "w.weights.h5")}
        )
        _KERAS_FILES["json"] = model.to_json()  # type: ignore[assignment]
    data = bytearray(_KERAS_FILES[name])
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    path = folder / f"fuzzed_{name}"
    path.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if name.startswith("m."):
                tk.saving.load_model(path)
            else:
                tk.saving.model_from_json(_KERAS_FILES["json"]).load_weights(path)
        except ModelFileError:
            pass

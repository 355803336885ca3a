"""ModelCheckpoint: file names, when it saves, what it saves, and Keras 3's checks."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

from teachkeras import Input, Sequential
from teachkeras.callbacks import ModelCheckpoint
from teachkeras.layers import Dense
from teachkeras.models import load_model
from tests.helpers.callbacks import play, regression_data, regression_model


@pytest.fixture
def data():
    return regression_data(20)


# --- file names ----------------------------------------------------------------------------
def test_file_names_are_formatted_from_epoch_and_logs(tmp_path, data):
    model = regression_model()
    pattern = str(tmp_path / "w-{epoch:02d}-{loss:.3f}-{val_loss:.2f}.weights.h5")
    history = model.fit(
        *data,
        epochs=3,
        batch_size=5,
        validation_split=0.25,
        verbose=0,
        callbacks=[ModelCheckpoint(pattern, save_weights_only=True)],
    )
    expected = [
        f"w-{epoch + 1:02d}-{loss:.3f}-{val:.2f}.weights.h5"
        for epoch, (loss, val) in enumerate(
            zip(history.history["loss"], history.history["val_loss"], strict=True)
        )
    ]
    assert sorted(os.listdir(tmp_path)) == sorted(expected)


def test_missing_placeholder_key_raises_keyerror_naming_the_pattern(tmp_path, data):
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "{epoch}-{val_accuracy:.2f}.keras"))
    with pytest.raises(KeyError, match=r"Failed to format this callback filepath.*val_accuracy"):
        model.fit(*data, epochs=1, verbose=0, callbacks=[callback])


def test_creates_missing_directories(tmp_path, data):
    model = regression_model()
    path = tmp_path / "a" / "b" / "model.keras"
    model.fit(*data, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(path))])
    assert path.exists()


def test_an_existing_directory_as_filepath_is_a_clear_error(tmp_path, data):
    (tmp_path / "ckpt.keras").mkdir()
    model = regression_model()
    with pytest.raises(OSError, match="non-directory filepath"):
        model.fit(
            *data, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(tmp_path / "ckpt.keras"))]
        )


# --- when it saves -------------------------------------------------------------------------
def test_save_best_only_saves_only_improvements(tmp_path):
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "{epoch}.weights.h5"), save_best_only=True,
                               save_weights_only=True)  # fmt: skip
    play(callback, [{"val_loss": v} for v in [1.0, 0.8, 0.9, 0.8, 0.7]], model)
    assert sorted(os.listdir(tmp_path)) == ["1.weights.h5", "2.weights.h5", "5.weights.h5"]
    assert callback.best == 0.7


def test_mode_max_and_min(tmp_path):
    values = [0.5, 0.7, 0.4, 0.9]
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "max-{epoch}.keras"), monitor="val_acc",
                               mode="max", save_best_only=True)  # fmt: skip
    play(callback, [{"val_acc": v} for v in values], model)
    callback = ModelCheckpoint(str(tmp_path / "min-{epoch}.keras"), monitor="val_acc",
                               mode="min", save_best_only=True)  # fmt: skip
    play(callback, [{"val_acc": v} for v in values], model)
    assert sorted(os.listdir(tmp_path)) == ["max-1.keras", "max-2.keras", "max-4.keras",
                                            "min-1.keras", "min-3.keras"]  # fmt: skip


def test_auto_mode_reads_the_direction_from_the_compiled_metric(tmp_path, data):
    x, y = data
    model = Sequential([Input((3,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="accuracy", save_best_only=True)
    model.fit(x, (y > 0).astype("float32"), epochs=1, verbose=0, callbacks=[callback])
    assert callback.monitor_op is np.greater


def test_auto_mode_needs_a_known_direction():
    callback = ModelCheckpoint("m.keras", monitor="val_thing", save_best_only=True)
    callback.set_model(regression_model())
    with pytest.raises(ValueError, match="maximized or minimized"):
        callback.on_epoch_end(0, {"val_thing": 1.0})


def test_initial_value_threshold_must_be_beaten(tmp_path):
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "{epoch}.keras"), save_best_only=True,
                               initial_value_threshold=0.75)  # fmt: skip
    play(callback, [{"val_loss": v} for v in [1.0, 0.8, 0.7, 0.72]], model)
    assert os.listdir(tmp_path) == ["3.keras"]


def test_a_fixed_filepath_always_holds_the_best_model(tmp_path):
    model = regression_model()
    path = str(tmp_path / "best.weights.h5")
    callback = ModelCheckpoint(path, save_best_only=True, save_weights_only=True)
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch, value in enumerate([1.0, 0.5, 0.9]):
        model.layers[0].kernel.assign(np.full((3, 4), epoch, "float32"))
        callback.on_epoch_end(epoch, {"val_loss": value})
    fresh = regression_model()
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh.layers[0].kernel.numpy(), np.full((3, 4), 1.0))


def test_missing_monitor_saves_anyway_and_names_the_keys(tmp_path):
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "{epoch}.keras"), save_best_only=True)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        play(callback, [{"loss": 1.0}, {"loss": 0.5}], model)
    messages = [str(w.message) for w in record if "Can save best model only" in str(w.message)]
    assert len(messages) == 1  # once per fit, not once per epoch
    assert "val_loss" in messages[0] and "loss" in messages[0].split("Available")[1]
    assert sorted(os.listdir(tmp_path)) == ["1.keras", "2.keras"]


def test_save_freq_counts_batches_across_epochs(tmp_path, data):
    model = regression_model()
    pattern = str(tmp_path / "e{epoch}-b{batch}.weights.h5")
    callback = ModelCheckpoint(pattern, save_weights_only=True, save_freq=3)
    model.fit(*data, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[callback])
    # 5 batches an epoch: after batches 3, 6, 9 overall
    assert sorted(os.listdir(tmp_path)) == [
        "e1-b3.weights.h5",
        "e2-b1.weights.h5",
        "e2-b4.weights.h5",
    ]


def test_verbose_messages(tmp_path, capsys):
    model = regression_model()
    path = str(tmp_path / "m.keras")
    callback = ModelCheckpoint(path, save_best_only=True, verbose=1)
    play(callback, [{"val_loss": 1.0}, {"val_loss": 2.0}], model)
    out = capsys.readouterr().out
    assert f"\nEpoch 1: val_loss improved from None to 1.00000, saving model to {path}\n" in out
    assert f"\nEpoch 1: finished saving model to {path}\n" in out
    assert "\nEpoch 2: val_loss did not improve from 1.00000\n" in out


# --- what it saves -------------------------------------------------------------------------
def test_full_model_and_weights_only_files_load(tmp_path, data):
    x, y = data
    model = regression_model()
    callbacks = [
        ModelCheckpoint(str(tmp_path / "full.keras")),
        ModelCheckpoint(str(tmp_path / "full.h5")),
        ModelCheckpoint(str(tmp_path / "only.weights.h5"), save_weights_only=True),
    ]
    model.fit(x, y, epochs=2, verbose=0, callbacks=callbacks)
    expected = model.predict(x, verbose=0)
    for name in ("full.keras", "full.h5"):
        restored = load_model(str(tmp_path / name))
        np.testing.assert_allclose(restored.predict(x, verbose=0), expected, rtol=1e-6)
        assert restored.optimizer.iterations.numpy() == model.optimizer.iterations.numpy()
    fresh = regression_model()
    fresh.load_weights(str(tmp_path / "only.weights.h5"))
    np.testing.assert_allclose(fresh.predict(x, verbose=0), expected, rtol=1e-6)
    with pytest.raises(ValueError):
        load_model(str(tmp_path / "only.weights.h5"))  # weights alone are not a model


# --- Keras 3's argument checks -------------------------------------------------------------
@pytest.mark.parametrize("path", ["w.h5", "w.keras", "w.hdf5", "weights"])
def test_weights_only_needs_weights_h5(path):
    with pytest.raises(ValueError) as error:
        ModelCheckpoint(path, save_weights_only=True)
    assert str(error.value) == (
        "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must "
        f"end in `.weights.h5` (Keras weights format). Received: filepath={path}"
    )


@pytest.mark.parametrize("path", ["model", "model.tf", "model.hdf5", "ckpt/{epoch}"])
def test_full_model_needs_keras_extension(path):
    with pytest.raises(ValueError) as error:
        ModelCheckpoint(path)
    assert str(error.value) == (
        "The filepath provided must end in `.keras` (Keras model format). "
        f"Received: filepath={path}"
    )


def test_full_model_accepts_keras_h5_and_weights_h5_paths(tmp_path):
    for name in ("m.keras", "m.h5", "m.weights.h5"):
        assert ModelCheckpoint(tmp_path / name).filepath == str(tmp_path / name)  # PathLike ok


@pytest.mark.parametrize("save_freq", ["batch", 2.5, None])
def test_bad_save_freq(save_freq):
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        ModelCheckpoint("m.keras", save_freq=save_freq)


def test_save_best_only_with_save_freq_in_batches_compares_batch_logs(tmp_path):
    # Keras 3 fails here (the direction is chosen only at the first epoch end); we choose it.
    model = regression_model()
    callback = ModelCheckpoint(str(tmp_path / "b{batch}.keras"), monitor="loss",
                               save_best_only=True, save_freq=1)  # fmt: skip
    callback.set_model(model)
    callback.on_train_begin({})
    callback.on_epoch_begin(0, {})
    for batch, loss in enumerate([1.0, 0.9, 0.95, 0.5]):
        callback.on_train_batch_end(batch, {"loss": loss})
    assert sorted(os.listdir(tmp_path)) == ["b1.keras", "b2.keras", "b4.keras"]

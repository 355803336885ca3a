"""`keras.experimental.export_saved_model` / `load_from_saved_model`: a folder that holds a
`.keras` file and says what it is, read back here; both calls warn with the modern line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import layers
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.saving import ModelFileError

# the warnings themselves are checked once, below
pytestmark = pytest.mark.filterwarnings("ignore::teachkeras.legacy.KerasLegacyWarning")

X = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")


def trained_model():
    model = keras.Sequential(
        [keras.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, :1], epochs=2, verbose=0)
    return model


def test_export_writes_a_keras_file_and_a_note(tmp_path):
    folder = tmp_path / "saved_model"
    keras.experimental.export_saved_model(trained_model(), str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["README.txt", "model.keras"]
    note = (folder / "README.txt").read_text()
    assert "NOT a TensorFlow SavedModel" in note and 'model.save("model.keras")' in note
    assert f'keras.models.load_model("{folder}/model.keras")' in note


def test_load_gives_back_the_same_model_compiled(tmp_path):
    model = trained_model()
    keras.experimental.export_saved_model(model, tmp_path / "m")
    loaded = keras.experimental.load_from_saved_model(tmp_path / "m")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert loaded.compiled and int(loaded.optimizer.iterations.numpy()) == 2
    same = keras.models.load_model(tmp_path / "m" / "model.keras")
    np.testing.assert_allclose(same.predict(X, verbose=0), model.predict(X, verbose=0))
    the_file = keras.experimental.load_from_saved_model(tmp_path / "m" / "model.keras")
    np.testing.assert_allclose(the_file.predict(X, verbose=0), model.predict(X, verbose=0))


def test_both_calls_warn_at_the_callers_line_with_todays_spelling(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.experimental.export_saved_model(trained_model(), tmp_path / "m")
        keras.experimental.load_from_saved_model(tmp_path / "m")
    legacy = [w for w in caught if issubclass(w.category, KerasLegacyWarning)]
    assert len(legacy) == 2 and all(w.filename == __file__ for w in legacy)
    assert "model.save('model.keras')" in str(legacy[0].message)
    assert "model.export(path)" in str(legacy[0].message)
    assert "keras.models.load_model('model.keras')" in str(legacy[1].message)


def test_export_again_replaces_the_model(tmp_path):
    keras.experimental.export_saved_model(trained_model(), tmp_path / "m")
    other = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    keras.experimental.export_saved_model(other, tmp_path / "m", as_text=True, serving_only=True)
    assert keras.experimental.load_from_saved_model(tmp_path / "m").output_shape == (None, 2)


def test_export_to_a_file_path_is_refused(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(ValueError, match="must be a folder"):
        keras.experimental.export_saved_model(trained_model(), path)


def test_folders_it_cannot_read_say_why(tmp_path):
    with pytest.raises(ModelFileError, match="no such folder"):
        keras.experimental.load_from_saved_model(tmp_path / "missing")
    tf_folder = tmp_path / "tf"
    (tf_folder / "variables").mkdir(parents=True)
    (tf_folder / "saved_model.pb").write_bytes(b"\x08\x01")
    with pytest.raises(
        ModelFileError, match=r"TensorFlow SavedModel.*tf\.keras\.models\.load_model"
    ):
        keras.experimental.load_from_saved_model(tf_folder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelFileError, match=r"has no model\.keras"):
        keras.experimental.load_from_saved_model(tmp_path / "empty")


def test_tutorial_imports_after_install_as_keras():
    code = """
    import teachkeras
    teachkeras.install_as_keras(verbose=False)
    from keras.experimental import export_saved_model, load_from_saved_model
    from keras import config, random
    import tensorflow as tf
    assert export_saved_model is teachkeras.experimental.export_saved_model
    assert tf.keras.experimental is teachkeras.experimental and config is teachkeras.config
    assert random is teachkeras.random
    print("ok")
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr

"""The folder `keras.experimental.export_saved_model` writes: Keras 3 loads the model in it."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk

pytestmark = [
    pytest.mark.parity,
    pytest.mark.filterwarnings("ignore::teachkeras.legacy.KerasLegacyWarning"),
]


def test_keras_3_loads_the_exported_model(keras, tmp_path):
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model = tk.Sequential(
        [tk.Input((3,)), tk.layers.Dense(4, activation="relu"), tk.layers.Dense(2)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x[:, :2], epochs=2, verbose=0)
    tk.experimental.export_saved_model(model, tmp_path / "saved_model")
    theirs = keras.models.load_model(tmp_path / "saved_model" / "model.keras")
    np.testing.assert_allclose(
        np.asarray(theirs.predict(x, verbose=0)), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert theirs.optimizer.__class__.__name__ == "Adam" and int(theirs.optimizer.iterations) == 2

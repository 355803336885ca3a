"""install_as_keras(): Keras 2 tutorial code runs unchanged after one line."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

KERAS2_MLP = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import SGD
from keras.utils.np_utils import to_categorical
from keras import backend as K
import tensorflow as tf
from tensorflow.keras.layers import Dense as TFDense

np.random.seed(0)
teachkeras.utils.set_random_seed(0)
x = np.random.rand(200, 4)
y = to_categorical((x[:, 0] > 0.5).astype(int), 2)
model = Sequential()
model.add(Dense(16, input_dim=4, init="uniform", activation="relu"))
model.add(Dropout(0.1))
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.5, decay=1e-4, momentum=0.9), metrics=["acc"])
history = model.fit(x, y, nb_epoch=40, batch_size=20, verbose=0)
loss, acc = model.evaluate(x, y, verbose=0)
classes = model.predict_classes(x[:5])
assert TFDense is Dense and tf.keras.layers.Dense is Dense
assert K.backend() == "numpy" and model.metrics_names == ["loss", "acc"]
print("acc", round(acc, 2), sorted(history.history), list(classes))
"""


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_keras2_mlp_tutorial_runs_unchanged():
    result = run(KERAS2_MLP)
    assert result.returncode == 0, result.stderr
    assert "import keras` now imports teachkeras" in result.stdout
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("acc ") and float(line.split()[1]) >= 0.9
    assert "['acc', 'loss']" in line
    # each old spelling warned once, naming the modern one
    for modern in (
        "kernel_initializer=",
        "epochs=",
        "learning_rate=",
        "np.argmax(model.predict(x)",
    ):
        assert result.stderr.count(modern) >= 1, modern


def test_uninstall_restores_previous_modules():
    code = """
    import sys, teachkeras
    before = sys.modules.get("keras")
    teachkeras.install_as_keras(verbose=False)
    import keras
    assert keras is teachkeras
    teachkeras.uninstall_as_keras()
    assert sys.modules.get("keras") is before
    print("ok")
    """
    result = run(code)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("tensorflow", [True, False])
def test_install_lists_module_names(tensorflow):
    code = f"""
    import teachkeras
    names = teachkeras.install_as_keras(tensorflow={tensorflow}, verbose=False)
    print("tensorflow.keras.layers" in names, "keras.models" in names)
    """
    result = run(code)
    assert result.stdout.split() == [str(tensorflow), "True"], result.stderr

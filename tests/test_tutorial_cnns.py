"""The tutorials' CNNs build, count their parameters as Keras does, predict and train."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from tests.zoo.tutorial_models import convmodel, resnet50, simple_mnist_convnet


def test_resnet50_counts_and_predicts():
    model = resnet50(tk)
    assert model.count_params() == 23_600_006  # the figures every copy of the tutorial prints
    assert sum(w.size for w in model.trainable_weights) == 23_546_886
    assert sum(w.size for w in model.non_trainable_weights) == 53_120
    out = model.predict(
        np.random.default_rng(0).random((2, 64, 64, 3), dtype=np.float32), verbose=0
    )
    assert out.shape == (2, 6)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_resnet50_summary_totals():
    lines = []
    resnet50(tk).summary(print_fn=lines.append)
    text = lines[0]
    assert " Total params: 23,600,006 (90.03 MB)" in text
    assert " Non-trainable params: 53,120 (207.50 KB)" in text
    assert "Connected to" in text and "add[0][0]" in text


def test_convmodel_builds_and_trains():
    tk.utils.set_random_seed(0)
    model = convmodel(tk, input_shape=(16, 16, 3))
    assert model.get_layer("conv1").output.shape == (None, 20, 20, 32)
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((32, 16, 16, 3), dtype=np.float32)
    y = np.eye(6, dtype="float32")[rng.integers(0, 6, 32)]
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_simple_mnist_convnet_counts():
    model = simple_mnist_convnet(tk)
    assert model.count_params() == 34_826  # keras.io's summary
    assert [layer.output.shape for layer in model.layers][:4] == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64),
    ]  # fmt: skip


@pytest.mark.parametrize("data_format", ["channels_first"])
def test_image_data_format_changes_every_default(data_format):
    tk.backend.set_image_data_format(data_format)
    layers = [tk.layers.Conv2D(2, 3), tk.layers.MaxPooling2D(), tk.layers.Flatten(),
              tk.layers.ZeroPadding2D(1), tk.layers.GlobalAveragePooling2D(), tk.layers.UpSampling2D()]  # fmt: skip
    assert all(layer.data_format == data_format for layer in layers)
    model = tk.Sequential([tk.Input((1, 8, 8)), tk.layers.Conv2D(4, 3), tk.layers.MaxPooling2D()])
    assert model.output_shape == (None, 4, 3, 3)

"""to_categorical, normalize, set_random_seed, Progbar formatting."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import Input, Sequential
from teachkeras.layers import Dense, Dropout
from teachkeras.utils import Progbar, normalize, set_random_seed, to_categorical
from teachkeras.utils.progbar import _format_eta, _format_time
from teachkeras.utils.summary_utils import readable_memory_size


def test_to_categorical():
    out = to_categorical([0, 2, 1], 3)
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert out.dtype == np.float32
    assert to_categorical(np.array([[1], [0]])).shape == (2, 2)  # (n, 1) labels
    assert to_categorical([[0, 1], [1, 0]], 2).shape == (2, 2, 2)
    with pytest.raises(ValueError, match="num_classes=2"):
        to_categorical([0, 2], 2)
    with pytest.raises(ValueError, match="integer class indices"):
        to_categorical([0.5, 1.0])


def test_normalize():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0, 0]])
    np.testing.assert_allclose(normalize(np.array([[3.0], [4.0]]), axis=0), [[0.6], [0.8]])


def test_set_random_seed_repeats_weights_dropout_and_shuffling():
    def run():
        set_random_seed(7)
        model = Sequential([Input((3,)), Dense(4), Dropout(0.5), Dense(1)])
        model.compile("sgd", "mse")
        x = np.arange(60, dtype="float32").reshape(20, 3) / 60
        history = model.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=0)
        return model.get_weights(), history.history["loss"]

    (w1, l1), (w2, l2) = run(), run()
    assert l1 == l2
    for a, b in zip(w1, w2, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="integer"):
        set_random_seed("seven")


def test_time_formats_like_keras():
    assert _format_time(0.002, "step") == "2ms/step"
    assert _format_time(0.0002, "step") == "200us/step"
    assert _format_time(3.2, "step") == "3s/step"
    assert _format_eta(5) == "5s" and _format_eta(75) == "1:15" and _format_eta(3725) == "1:02:05"


def test_progbar_final_line(capsys):
    bar = Progbar(target=4)
    for step in range(1, 5):
        bar.update(step, [("loss", 0.5 / step), ("tiny", 1e-5)])
    line = capsys.readouterr().out.strip()
    assert line.startswith("4/4 [==============================] - ")
    assert line.endswith("- loss: 0.1250 - tiny: 1.0000e-05")


def test_progbar_partial_bar_shape():
    bar = Progbar(target=10, width=10)
    assert "[====>.....]" in bar._bar_line(5, bar._start + 1, finalize=False)


def test_readable_memory_size():
    assert readable_memory_size(1044) == "1.02 KB"
    assert readable_memory_size(0) == "0.00 B"
    assert readable_memory_size(3 * 1024**2) == "3.00 MB"


def test_progbar_add_advances(capsys):
    bar = Progbar(target=4)
    bar.add(2)
    bar.add(2, [("loss", 0.5)])
    assert capsys.readouterr().out.strip().startswith("4/4 [==============================]")

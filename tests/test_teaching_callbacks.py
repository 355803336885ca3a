"""The teaching callbacks: LiveHistoryPlot, GradientFlowRecorder, DeadUnitMonitor."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import IPython
import IPython.display
import matplotlib.pyplot as plt
import numpy as np
import pytest

from teachkeras import Input, Model, Sequential
from teachkeras import backend as K
from teachkeras.callbacks import (
    DeadUnitMonitor,
    EarlyStopping,
    GradientFlowRecorder,
    LiveHistoryPlot,
)
from teachkeras.callbacks.unit_monitor import dead_fraction, saturated_fraction
from teachkeras.initializers import Constant
from teachkeras.layers import Activation, Conv2D, Dense, Dropout, Flatten, LeakyReLU, ReLU
from teachkeras.utils.notebook import in_notebook


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = np.tanh(x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32"))
    return x, y


def small_model(compile_it: bool = True):
    model = Sequential([Input((4,)), Dense(8, activation="relu"), Dropout(0.3),
                        Dense(6, activation="sigmoid"), Dense(1)])  # fmt: skip
    if compile_it:
        model.compile(optimizer="sgd", loss="mse")
    return model


# --- LiveHistoryPlot -----------------------------------------------------------------------
class FakeHandle:
    def __init__(self) -> None:
        self.updates = []

    def update(self, obj) -> None:
        self.updates.append(obj)


class FakeDisplay:
    """Stands in for IPython.display.display: records the calls, returns a handle."""

    def __init__(self) -> None:
        self.calls = []
        self.handle = FakeHandle()

    def __call__(self, obj, display_id=None):
        self.calls.append((obj, display_id))
        return self.handle


class ZMQInteractiveShell:  # the name Jupyter's kernel shell has
    class events:  # matplotlib registers a hook on the shell when pyplot starts
        @staticmethod
        def register(*args) -> None: ...


@pytest.fixture
def notebook(monkeypatch):
    fake = FakeDisplay()
    monkeypatch.setattr(IPython.display, "display", fake)
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    return fake


def test_in_notebook_only_inside_a_kernel(monkeypatch):
    assert not in_notebook()  # pytest: no IPython shell
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    assert in_notebook()

    class ColabShell(ZMQInteractiveShell):
        pass

    monkeypatch.setattr(IPython, "get_ipython", lambda: ColabShell())
    assert in_notebook()

    class TerminalInteractiveShell:
        pass

    monkeypatch.setattr(IPython, "get_ipython", lambda: TerminalInteractiveShell())
    assert not in_notebook()


def test_live_plot_prints_a_table_outside_a_notebook(data, capsys, monkeypatch):
    fail = FakeDisplay()
    monkeypatch.setattr(IPython.display, "display", fail)
    model = small_model()
    history = model.fit(*data, epochs=4, validation_split=0.25, verbose=0,
                        callbacks=[LiveHistoryPlot()])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["epoch", "loss", "val_loss"]
    rows = lines[1:5]
    val = history.history["val_loss"]
    for epoch, row in enumerate(rows):
        cells = row.split()
        assert cells[:3] == [
            str(epoch + 1),
            f"{history.history['loss'][epoch]:.4f}",
            f"{val[epoch]:.4f}",
        ]
        best_so_far = val[epoch] < min(val[:epoch], default=np.inf)
        assert row.endswith("<- best") == best_so_far
    best = int(np.argmin(val))
    assert lines[5] == f"Best epoch: {best + 1} (val_loss = {val[best]:.4f})"
    assert fail.calls == []  # nothing displayed


def test_live_plot_table_reprints_the_header_when_new_keys_appear(capsys):
    callback = LiveHistoryPlot(notebook=False, monitor="loss")
    callback.set_model(small_model())
    callback.on_train_begin({})
    callback.on_epoch_end(0, {"loss": 1.0})
    callback.on_epoch_end(1, {"loss": 0.5, "val_loss": 0.7})
    callback.on_epoch_end(2, {"loss": 0.25})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["epoch", "loss"]
    assert lines[2].split() == ["epoch", "loss", "val_loss"]
    assert lines[4].split() == ["3", "0.2500", "-", "<-", "best"]
    assert np.isnan(callback.history["val_loss"][0]) and np.isnan(callback.history["val_loss"][2])
    assert callback.best_epoch == 2


def test_live_plot_in_a_notebook_displays_once_then_updates(data, notebook, capsys):
    model = small_model()
    model.fit(*data, epochs=3, validation_split=0.25, verbose=0, callbacks=[LiveHistoryPlot()])
    assert len(notebook.calls) == 1
    figure, display_id = notebook.calls[0]
    assert display_id is True
    assert isinstance(figure, matplotlib.figure.Figure)
    assert len(notebook.handle.updates) == 2  # epochs 2 and 3 redraw the same output area
    last = notebook.handle.updates[-1]
    (ax,) = last.axes
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["train loss", "validation loss"]
    assert any(label.startswith("best val_loss") for label in labels)
    assert len(ax.get_lines()[0].get_xdata()) == 3
    assert plt.get_fignums() == []  # closed: the notebook will not show them twice
    assert capsys.readouterr().out == ""  # no table in a notebook


def test_live_plot_marks_early_stopping_in_the_last_drawing(data, notebook):
    model = small_model()
    model.compile(optimizer="sgd", loss="mse")
    stopper = EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    model.fit(*data, epochs=10, verbose=0, callbacks=[stopper, LiveHistoryPlot()])
    final = notebook.handle.updates[-1]
    labels = [line.get_label() for line in final.axes[0].get_lines()]
    assert f"stopped (epoch {stopper.stopped_epoch + 1})" in labels


def test_live_plot_every_n_epochs_still_draws_the_last(data, notebook):
    model = small_model()
    model.fit(*data, epochs=5, verbose=0, callbacks=[LiveHistoryPlot(every=2)])
    # drawn after epochs 2 and 4, then once more at the end for epoch 5
    assert len(notebook.calls) == 1 and len(notebook.handle.updates) == 2


def test_live_plot_bad_every():
    with pytest.raises(ValueError, match="every must be a positive integer"):
        LiveHistoryPlot(every=0)


# --- GradientFlowRecorder ------------------------------------------------------------------
def test_gradient_flow_arrays_have_one_row_per_epoch_and_one_column_per_layer(data):
    model = small_model()
    recorder = GradientFlowRecorder(*data, histograms=True, bins=12)
    model.fit(*data, epochs=3, batch_size=8, verbose=0, callbacks=[recorder])
    assert recorder.layer_names == [
        model.layers[0].name,
        model.layers[2].name,
        model.layers[3].name,
    ]  # fmt: skip (no Dropout: no weights)
    assert recorder.gradient_norms.shape == recorder.activation_norms.shape == (3, 3)
    assert recorder.gradient_norms.dtype == np.float32
    assert recorder.epochs.tolist() == [0, 1, 2] and recorder.steps.tolist() == [4, 8, 12]
    assert recorder.gradient_histograms.shape == (3, 3, 12)
    assert recorder.gradient_bin_edges.shape == (3, 3, 13)
    assert recorder.activation_histograms.shape == (3, 3, 12)
    sizes = [4 * 8 + 8, 8 * 6 + 6, 6 + 1]  # weights per layer
    assert recorder.gradient_histograms.sum(axis=2).tolist() == [sizes] * 3
    assert recorder.activation_histograms.sum(axis=2).tolist() == [[32 * 8, 32 * 6, 32]] * 3
    assert np.all(recorder.gradient_norms > 0) and np.all(recorder.activation_norms > 0)


def test_gradient_norms_equal_k_gradients_by_hand(data):
    x, y = data
    model = small_model()
    recorder = GradientFlowRecorder(x, y)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[recorder])
    # The last record was taken after the last update: the weights are those of now.
    first, hidden = model.layers[0], model.layers[2]
    loss = K.mean(K.square(model(x, training=False) - y))  # mse, Dropout off
    grads = K.gradients(loss, [first.kernel, first.bias, hidden.kernel, hidden.bias])
    expected_first = np.sqrt(np.sum(grads[0] ** 2) + np.sum(grads[1] ** 2))
    expected_hidden = np.sqrt(np.sum(grads[2] ** 2) + np.sum(grads[3] ** 2))
    np.testing.assert_allclose(recorder.gradient_norms[-1, :2], [expected_first, expected_hidden],
                               rtol=1e-5)  # fmt: skip
    # Activation norm: sqrt(mean over samples of |a_i|^2), with a = relu(x W + b).
    a = np.maximum(x @ first.kernel.numpy() + first.bias.numpy(), 0)
    np.testing.assert_allclose(
        recorder.activation_norms[-1, 0], np.sqrt(np.mean(np.sum(a**2, axis=1))), rtol=1e-5
    )


def test_recording_does_not_change_training(data):
    histories = []
    for callbacks in ([], [GradientFlowRecorder(*data, every_n_batches=1)]):
        K.random.set_seed(7)
        model = small_model()
        model.fit(*data, epochs=2, batch_size=8, verbose=0, callbacks=callbacks)
        histories.append(model.get_weights())
    for a, b in zip(*histories, strict=True):
        np.testing.assert_array_equal(a, b)


def test_every_n_batches_counts_across_epochs(data):
    model = small_model()
    recorder = GradientFlowRecorder(*data, every_n_batches=3)
    model.fit(*data, epochs=2, batch_size=8, verbose=0, callbacks=[recorder])
    assert recorder.steps.tolist() == [3, 6] and recorder.epochs.tolist() == [0, 1]
    assert recorder.gradient_norms.shape == (2, 3)
    assert recorder.gradient_histograms is None  # not asked for


def test_functional_model_gives_the_same_numbers_as_sequential(data):
    sequential = small_model()
    inputs = Input((4,))
    h = Dense(8, activation="relu")(inputs)
    h = Dropout(0.3)(h)
    h = Dense(6, activation="sigmoid")(h)
    functional = Model(inputs, Dense(1)(h))
    functional.compile(optimizer="sgd", loss="mse")
    functional.set_weights(sequential.get_weights())
    results = []
    for model in (sequential, functional):
        recorder = GradientFlowRecorder(*data)
        recorder.set_model(model)
        recorder.record()
        results.append((recorder.gradient_norms, recorder.activation_norms))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)


def test_gradient_flow_bad_input(data):
    x, y = data
    with pytest.raises(ValueError, match="same number of samples"):
        GradientFlowRecorder(x, y[:5])
    with pytest.raises(ValueError, match="needs a sample batch"):
        GradientFlowRecorder(None, y)
    with pytest.raises(ValueError, match="every_n_batches must be a positive integer"):
        GradientFlowRecorder(x, y, every_n_batches=0)
    recorder = GradientFlowRecorder(x, y)
    recorder.set_model(small_model(compile_it=False))
    with pytest.raises(RuntimeError, match="needs a compiled model"):
        recorder.record()


def test_subclassed_models_are_refused_with_a_reason(data):
    class Tiny(Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(1)

        def call(self, x):
            return self.dense(x)

    model = Tiny()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(*data, epochs=1, verbose=0)
    recorder = GradientFlowRecorder(*data)
    recorder.set_model(model)
    with pytest.raises(ValueError, match="subclassed model"):
        recorder.record()


# --- DeadUnitMonitor -----------------------------------------------------------------------
def test_a_layer_with_bias_minus_ten_is_entirely_dead(data):
    x, y = data
    x = np.abs(x) / 10  # small inputs: x W stays far below 10
    model = Sequential([Input((4,)), Dense(16, activation="relu", bias_initializer=Constant(-10.0)),
                        Dense(16, activation="relu"), Dense(1)])  # fmt: skip
    model.compile(optimizer="sgd", loss="mse")
    monitor = DeadUnitMonitor(x)
    model.fit(x, y, epochs=3, verbose=0, callbacks=[monitor])
    assert monitor.layer_names == [model.layers[0].name, model.layers[1].name]
    assert monitor.kinds == ["relu", "relu"]
    assert monitor.dead_fractions.shape == (3, 2)
    np.testing.assert_array_equal(monitor.dead_fractions[:, 0], 1.0)  # dead, and stays dead
    np.testing.assert_array_equal(monitor.dead_fractions[:, 1], 1.0)  # fed only zeros: bias 0
    assert np.isnan(monitor.saturated_fractions).all()
    assert monitor.epochs.tolist() == [0, 1, 2]


def test_a_healthy_relu_network_has_few_dead_units(data):
    x, y = data
    model = Sequential([Input((4,)), Dense(32, activation="relu"), ReLU(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    monitor = DeadUnitMonitor(x)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.kinds == ["relu", "relu"]  # the ReLU layer is watched too
    assert np.all(monitor.dead_fractions < 0.5)


def test_saturated_sigmoid_and_tanh_units(data):
    x, _ = data
    model = Sequential([Input((4,)), Dense(8, activation="sigmoid"), Dense(8),
                        Activation("tanh"), Dense(4), LeakyReLU()])  # fmt: skip
    monitor = DeadUnitMonitor(x)
    monitor.set_model(model)
    dead, saturated = monitor.measure()
    assert monitor.kinds == ["sigmoid", "tanh"]  # LeakyReLU never dies: not watched
    assert np.isnan(dead).all() and np.all(np.array(saturated) < 0.5)

    first = model.layers[0]
    first.kernel.assign(first.kernel.numpy() * 200)  # huge weights: outputs pinned at 0 or 1
    model.layers[1].kernel.assign(np.full((8, 8), 50.0, "float32"))
    _, saturated = monitor.measure()
    assert saturated[0] > 0.9 and saturated[1] == 1.0


def test_fraction_functions_by_hand():
    outputs = np.zeros((2, 3, 3, 4), "float32")  # (samples, height, width, channels)
    outputs[1, 2, 2, 0] = 0.5  # channel 0 is alive at a single position
    outputs[0, 0, 0, 3] = 2.0
    assert dead_fraction(outputs) == 0.5
    sig = np.array([[0.01, 0.5, 0.99, 0.98], [0.5, 0.5, 0.5, 0.999]])
    assert saturated_fraction(sig, "sigmoid") == 3 / 8  # 0.98 itself is not beyond
    assert saturated_fraction(np.array([[-0.99, 0.0], [0.5, 0.981]]), "tanh") == 0.5
    with pytest.raises(ValueError, match="'sigmoid' or 'tanh'"):
        saturated_fraction(sig, "relu")


def test_dead_units_of_a_conv_layer(data):
    x = np.random.default_rng(0).normal(size=(4, 6, 6, 1)).astype("float32")
    model = Sequential([Input((6, 6, 1)),
                        Conv2D(3, 3, activation="relu", bias_initializer=Constant(-100.0)),
                        Flatten(), Dense(1)])  # fmt: skip
    monitor = DeadUnitMonitor(x)
    monitor.set_model(model)
    assert monitor.measure()[0] == [1.0]


def test_dead_unit_monitor_bad_input(data):
    with pytest.raises(ValueError, match=r"threshold must lie between 0\.5 and 1"):
        DeadUnitMonitor(data[0], threshold=2.0)
    monitor = DeadUnitMonitor(data[0])
    monitor.set_model(Sequential([Input((4,)), Dense(2)]))
    with pytest.raises(ValueError, match="found no layer"):
        monitor.measure()

"""The ipywidgets explorers: their plain update functions, and the wiring (no browser needed).

Setting a control's `.value` fires its observers exactly as dragging the slider would,
so the tests move the controls and look at the figure the explorer drew last.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from teachkeras import viz
from teachkeras.viz.widgets import SURFACES, _output_for, make_optimizer

ipywidgets = pytest.importorskip("ipywidgets")


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def rings():
    """A small 2-D binary problem: inside a circle or not, with some label noise."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 2)).astype("float32")
    y = (np.sum(x**2, axis=1) < 1.2).astype("float32")
    y[:6] = 1 - y[:6]
    return x, y


def title(fig, index=0) -> str:
    return fig.axes[index].get_title()


# --- update functions -------------------------------------------------------------------------


def test_activation_explorer_update():
    fig = viz.activation_explorer_update("elu", 0.5, -3.0, 2.0)
    assert title(fig) == "elu(alpha=0.5)"
    x, y = fig.axes[0].get_lines()[0].get_data()
    assert (x[0], x[-1]) == (-3.0, 2.0)
    assert y[0] == pytest.approx(0.5 * np.expm1(-3.0), rel=1e-5)
    assert title(viz.activation_explorer_update("sigmoid", 0.5)) == "sigmoid"  # alpha ignored
    leaky = viz.activation_explorer_update("leaky_relu", 0.3)
    assert leaky.axes[1].get_lines()[0].get_ydata()[0] == pytest.approx(0.3)


def test_optimizer_race_update():
    fig = viz.optimizer_race_update(["sgd", "momentum", "adam"], None, 0.8, "bowl", steps=15)
    ax_map, ax_loss = fig.axes
    assert [line.get_label() for line in ax_loss.get_lines()] == ["sgd", "momentum (μ=0.8)", "adam"]
    assert fig._suptitle.get_text() == "learning rate η = 0.1, 15 steps"  # the bowl's own rate
    sgd_x = ax_map.get_lines()[1].get_xdata()
    np.testing.assert_allclose(sgd_x, -4.0 * 0.8 ** np.arange(16), rtol=1e-5)  # SGD(0.1) on x²+y²
    nesterov = make_optimizer("nesterov", 0.05, 0.5)
    assert (nesterov.nesterov, float(nesterov.momentum)) == (True, 0.5)
    assert type(make_optimizer("rmsprop", 0.01)).__name__ == "RMSprop"
    with pytest.raises(ValueError, match="at least one optimizer"):
        viz.optimizer_race_update([])


def test_vanishing_gradient_explorer_update():
    fig = viz.vanishing_gradient_explorer_update(4, "sigmoid", "glorot_uniform")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == [
        "sigmoid, glorot_uniform",
        "relu, he_normal (reference)",
    ]
    assert len(lines[0].get_xdata()) == 5  # 4 hidden layers + output
    first, last = lines[0].get_ydata()[[0, -1]]
    assert title(fig) == f"depth 4: first / last layer gradient norm = {first / last:.1e}"
    alone = viz.vanishing_gradient_explorer_update(3, "relu", "he_normal")
    assert len(alone.axes[0].get_lines()) == 1


def test_overfitting_explorer_update_trains_and_draws(rings):
    x, y = rings
    fig = viz.overfitting_explorer_update(x, y, units=8, dropout=0.1, l2=1e-3, epochs=4)
    curves, boundary = fig.axes[:2]
    labels = [line.get_label() for line in curves.get_lines()]
    assert labels[:2] == [
        "8 units, dropout 0.1, L2 0.001 (train)",
        "8 units, dropout 0.1, L2 0.001 (validation)",
    ]
    assert len(curves.get_lines()[0].get_xdata()) == 4
    assert boundary.get_title() == "decision boundary (all data)"
    again = viz.overfitting_explorer_update(x, y, units=8, dropout=0.1, l2=1e-3, epochs=4)
    np.testing.assert_array_equal(
        again.axes[0].get_lines()[1].get_ydata(), curves.get_lines()[1].get_ydata()
    )  # seeded: the same sliders draw the same picture


def test_overfitting_explorer_early_stopping_and_regression(rings):
    x, y = rings
    fig = viz.overfitting_explorer_update(
        x, y, units=64, epochs=60, early_stopping=True, patience=1
    )
    lines = fig.axes[0].get_lines()
    stop = [line for line in lines if line.get_label().startswith("stopped")]
    assert len(stop) == 1 and len(lines[0].get_xdata()) < 60
    regression = viz.overfitting_explorer_update(x, x[:, 0] * 0.3 + 0.1, units=4, epochs=2)
    assert len(regression.axes) == 1  # no decision boundary for a regression
    with pytest.raises(ValueError, match="60 samples but y has 3"):
        viz.overfitting_explorer_update(x, y[:3])


def test_output_layer_follows_the_labels():
    assert _output_for(np.array([0.0, 1.0, 1.0]))[:3] == (1, "sigmoid", "binary_crossentropy")
    assert _output_for(np.array([0, 2, 1]))[:3] == (3, "softmax", "sparse_categorical_crossentropy")
    assert _output_for(np.eye(4))[:3] == (4, "softmax", "categorical_crossentropy")
    assert _output_for(np.array([0.3, 1.7]))[:3] == (1, None, "mse")


# --- the widgets ---------------------------------------------------------------------------------


def test_activation_explorer_redraws_when_controls_move():
    box = viz.activation_explorer()
    assert isinstance(box, ipywidgets.VBox)
    assert set(box.controls) == {"name", "alpha", "x_range"}
    assert title(box.figure) == "leaky_relu(negative_slope=0.2)"
    box.controls["alpha"].value = 0.5
    assert title(box.figure) == "leaky_relu(negative_slope=0.5)"
    box.controls["name"].value = "sigmoid"
    assert title(box.figure) == "sigmoid" and box.controls["alpha"].disabled
    box.controls["name"].value = "elu"  # alpha jumps to elu's default
    assert box.controls["alpha"].value == 1.0 and title(box.figure) == "elu(alpha=1.0)"
    box.controls["x_range"].value = (-2.0, 1.0)
    x = box.figure.axes[0].get_lines()[0].get_xdata()
    assert (x[0], x[-1]) == (-2.0, 1.0)
    assert plt.get_fignums() == []  # each drawn figure was shown, then closed


def test_optimizer_race_widget():
    box = viz.optimizer_race()
    controls = box.controls
    assert set(controls) == {"optimizers", "learning_rate", "momentum", "surface", "steps"}
    assert not controls["learning_rate"].continuous_update
    assert not controls["steps"].continuous_update
    controls["steps"].value = 20
    controls["surface"].value = "rosenbrock"
    assert controls["learning_rate"].value == pytest.approx(SURFACES["rosenbrock"].learning_rate)
    assert title(box.figure).startswith("rosenbrock")
    controls["optimizers"].value = ("adam",)
    assert [line.get_label() for line in box.figure.axes[1].get_lines()] == ["adam"]


def test_vanishing_gradient_widget():
    box = viz.vanishing_gradient_explorer()
    assert not box.controls["depth"].continuous_update
    box.controls["depth"].value = 3
    assert len(box.figure.axes[0].get_lines()[0].get_xdata()) == 4
    box.controls["initializer"].value = "small_normal"
    assert box.figure.axes[0].get_lines()[0].get_label() == "sigmoid, small_normal"


def test_overfitting_widget(rings):
    x, y = rings
    box = viz.overfitting_explorer(x, y)
    controls = box.controls
    assert set(controls) == {"units", "dropout", "l2", "epochs", "early_stopping"}
    assert all(not controls[k].continuous_update for k in ("units", "dropout", "l2", "epochs"))
    controls["epochs"].value = 10
    assert len(box.figure.axes[0].get_lines()[0].get_xdata()) == 10
    controls["units"].value = 4
    assert box.figure.axes[0].get_lines()[0].get_label().startswith("4 units")

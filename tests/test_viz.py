"""teachkeras.viz plots: the numbers behind each picture, its axes and labels, and bad input."""

from __future__ import annotations

import math
import types
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import erf

import teachkeras as keras
from teachkeras import backend as K
from teachkeras import viz
from teachkeras.callbacks import History
from teachkeras.viz import fonts
from teachkeras.viz.decision_boundary import class_labels, predict_grid
from teachkeras.viz.optimizers import SURFACES


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    with matplotlib.rc_context():  # the plots may switch on the Hangul font: undo it after
        yield
    plt.close("all")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# --- activations ---------------------------------------------------------------------------

# name -> (f, f') in float64 NumPy, written independently of teachkeras.
REFERENCE = {
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0) * 1.0),
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "elu": (lambda x: np.where(x > 0, x, np.expm1(x)), lambda x: np.where(x > 0, 1, np.exp(x))),
    "selu": (
        lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
        lambda x: 1.0507009873554805 * np.where(x > 0, 1, 1.6732632423543772 * np.exp(x)),
    ),
    "softplus": (lambda x: np.log1p(np.exp(x)), sigmoid),
    "swish": (lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    "gelu": (
        lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))),
        lambda x: (
            0.5 * (1 + erf(x / math.sqrt(2))) + x * np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
        ),
    ),
}


@pytest.mark.parametrize("name", list(REFERENCE))
def test_activation_and_its_autodiff_derivative_match_the_formulas(name):
    fig = viz.plot_activation(name, x_range=(-4, 4))
    ax_f, ax_d = fig.axes
    assert ax_f.get_title() == name and ax_d.get_title() == f"{name}: derivative"
    assert (ax_f.get_ylabel(), ax_d.get_ylabel()) == ("f(x)", "f'(x)")
    x, y = ax_f.get_lines()[0].get_data()
    _, dydx = ax_d.get_lines()[0].get_data()
    f, df = REFERENCE[name]
    assert x[0] == -4 and x[-1] == 4
    away_from_kink = np.abs(x) > 1e-3  # relu and elu have a kink at 0
    np.testing.assert_allclose(y, f(x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dydx[away_from_kink], df(x)[away_from_kink], rtol=1e-4, atol=1e-6)


def test_leaky_relu_alpha_and_negative_slope_are_the_same_parameter():
    _, y, dydx = viz.activation_curve("leaky_relu", (-2, 2), num=5, alpha=0.1)
    np.testing.assert_allclose(y, [-0.2, -0.1, 0.0, 1.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(dydx[[0, 1, 3, 4]], [0.1, 0.1, 1.0, 1.0], rtol=1e-6)
    _, y2, _ = viz.activation_curve("leaky_relu", (-2, 2), num=5, negative_slope=0.1)
    np.testing.assert_array_equal(y, y2)
    fig = viz.plot_activation("elu", alpha=0.5)
    assert fig.axes[0].get_title() == "elu(alpha=0.5)"
    assert fig.axes[0].get_lines()[0].get_ydata()[0] == pytest.approx(0.5 * np.expm1(-5), 1e-5)


def test_several_activations_on_one_figure():
    fig = viz.plot_activations(["sigmoid", "tanh", "relu"], x_range=(-3, 3))
    ax_f, ax_d = fig.axes
    curves = ax_d.get_lines()[:3]  # then the x and y axis lines
    assert [line.get_label() for line in curves] == ["sigmoid", "tanh", "relu"]
    peak = {line.get_label(): line.get_ydata().max() for line in curves}
    assert peak["sigmoid"] == pytest.approx(0.25, abs=1e-3)  # the slope that makes gradients vanish
    assert peak["tanh"] == pytest.approx(1.0, abs=1e-3)
    assert ax_f.get_legend() is not None
    labelled = viz.plot_activations({"mine": lambda x: K.square(x)})
    assert labelled.axes[0].get_title() == "mine"
    np.testing.assert_allclose(labelled.axes[1].get_lines()[0].get_ydata()[-1], 10.0, rtol=1e-6)


def test_bad_activation_input():
    with pytest.raises(ValueError, match=r"Unknown activation function.*relu"):
        viz.plot_activation("reluu")
    with pytest.raises(ValueError, match="plot_softmax"):
        viz.plot_activation("softmax")
    with pytest.raises(ValueError, match="low < high"):
        viz.plot_activation("relu", x_range=(3, -3))
    with pytest.raises(TypeError, match="teachkeras ops"):
        viz.plot_activation(lambda x: np.tanh(np.asarray(x)))


def test_nan_in_an_activation_leaves_a_gap():
    fig = viz.plot_activation(lambda x: K.sqrt(x), x_range=(-1, 1))
    y = fig.axes[0].get_lines()[0].get_ydata()
    assert np.isnan(y[0]) and y[-1] == pytest.approx(1.0)


def test_softmax_bars_and_temperature():
    fig = viz.plot_softmax([2.0, 1.0, 0.1], temperature=0.5)
    ax_z, ax_p = fig.axes
    heights = np.array([bar.get_height() for bar in ax_p.patches])
    expected = np.exp(np.array([2.0, 1.0, 0.1]) / 0.5)
    np.testing.assert_allclose(heights, expected / expected.sum(), rtol=1e-6)
    assert [bar.get_height() for bar in ax_z.patches] == pytest.approx([2.0, 1.0, 0.1])
    assert ax_p.get_title() == "softmax(z / T), T = 0.5"
    flat = viz.plot_softmax([2.0, 1.0, 0.1], temperature=100).axes[1]
    assert max(bar.get_height() for bar in flat.patches) < 0.34  # hot: almost uniform
    with pytest.raises(ValueError, match="temperature"):
        viz.plot_softmax([1.0, 2.0], temperature=0)
    with pytest.raises(ValueError, match=r"one vector.*\(2, 2\)"):
        viz.plot_softmax([[1.0, 2.0], [3.0, 4.0]])


# --- gradient flow -----------------------------------------------------------------------------


def small_model(activation="tanh"):
    model = keras.Sequential(
        [
            keras.layers.Input((3,)),
            keras.layers.Dense(4, activation=activation, name="first"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, name="second"),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_layer_gradient_norms_are_the_norms_of_the_loss_gradients(rng):
    model = small_model()
    x = rng.normal(size=(5, 3)).astype("float32")
    y = rng.normal(size=(5, 2)).astype("float32")
    before = [w.copy() for w in model.get_weights()]
    norms = viz.layer_gradient_norms(model, x, y)
    assert list(norms) == ["first", "second"]  # Flatten has no weights: left out
    with K.GradientTape() as tape:
        loss = K.mean(K.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_weights)
    expected = [
        np.sqrt(sum(np.sum(g.astype(float) ** 2) for g in grads[i : i + 2])) for i in (0, 2)
    ]
    np.testing.assert_allclose(list(norms.values()), expected, rtol=1e-5)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)  # nothing was trained


def test_layer_gradient_norms_needs_a_compiled_model(rng):
    model = keras.Sequential([keras.layers.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"compile\(optimizer=\.\.\., loss=\.\.\.\)"):
        viz.layer_gradient_norms(model, np.zeros((2, 3)), np.zeros((2, 1)))


def test_deep_sigmoid_network_has_vanishing_gradients_and_relu_he_does_not():
    sigmoid_norms = list(viz.gradient_flow_demo(8, "sigmoid", "glorot_uniform").values())
    relu_norms = list(viz.gradient_flow_demo(8, "relu", "he_normal").values())
    assert len(sigmoid_norms) == 9  # 8 hidden layers + the output layer
    assert sigmoid_norms[0] < 1e-4 * sigmoid_norms[-1]
    assert 0.05 < relu_norms[0] / relu_norms[-1] < 20
    tiny = list(viz.gradient_flow_demo(4, "tanh", "small_normal").values())
    assert tiny[0] < 1e-4 * tiny[-1]
    again = list(viz.gradient_flow_demo(8, "sigmoid", "glorot_uniform").values())
    assert again == sigmoid_norms  # seeded: the same picture every time


def test_plot_gradient_flow_draws_one_line_per_network():
    a = {"dense": 1e-4, "dense_1": 1e-2, "dense_2": 1.0}
    b = {"dense": 0.5, "dense_1": 0.8, "dense_2": 1.0}
    fig = viz.plot_gradient_flow({"sigmoid": a, "relu": b})
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["sigmoid", "relu"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[0].get_ydata(), [1e-4, 1e-2, 1.0])
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dense", "dense_1", "dense_2"]
    assert ax.get_xlabel() == "layer (input → output)"
    linear = viz.plot_gradient_flow({"plain": [1.0, 2.0]}, log_scale=False).axes[0]
    assert linear.get_yscale() == "linear"


def test_plot_gradient_flow_accepts_a_recorder():
    recorder = types.SimpleNamespace(
        gradient_norms=np.array([[1.0, 2.0, 3.0], [0.1, 0.2, 0.3]]), layer_names=["a", "b", "c"]
    )
    ax = viz.plot_gradient_flow({"run": recorder}).axes[0]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0.1, 0.2, 0.3])  # the last record
    first = viz.plot_gradient_flow({"run": recorder}, record=0).axes[0]
    np.testing.assert_allclose(first.get_lines()[0].get_ydata(), [1.0, 2.0, 3.0])
    empty = types.SimpleNamespace(gradient_norms=np.zeros((0, 3)), layer_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="no records yet"):
        viz.plot_gradient_flow({"run": empty})


def test_plot_gradient_flow_with_the_real_recorder(rng):
    gradient_flow = pytest.importorskip("teachkeras.callbacks.gradient_flow")
    model = small_model()
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    recorder = gradient_flow.GradientFlowRecorder(x, y)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[recorder])
    ax = viz.plot_gradient_flow({"tanh": recorder}).axes[0]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), recorder.gradient_norms[-1])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["first", "second"]
    # the recorder measured after the last epoch's update: the same as measuring now
    now = viz.layer_gradient_norms(model, x, y)
    np.testing.assert_allclose(list(now.values()), recorder.gradient_norms[-1], rtol=1e-4)


def test_plot_gradient_flow_zero_and_nan_are_gaps_and_bad_input_is_explained():
    y = viz.plot_gradient_flow({"x": [1.0, 0.0, np.nan, 2.0]}).axes[0].get_lines()[0].get_ydata()
    assert np.isnan(y[1]) and np.isnan(y[2]) and y[3] == 2.0
    with pytest.raises(TypeError, match=r"dict \{label: norms\}"):
        viz.plot_gradient_flow([1.0, 2.0])
    with pytest.raises(ValueError, match="1-D array"):
        viz.plot_gradient_flow({"x": [[1.0, 2.0]]})


# --- optimizers on 2-D surfaces -------------------------------------------------------------


@pytest.mark.parametrize("name", list(SURFACES))
def test_each_surface_has_its_minimum_where_it_says(name):
    surface = SURFACES[name]
    w = K.Variable(np.asarray(surface.minimum, dtype="float64"), dtype="float64")
    with K.GradientTape() as tape:
        loss = surface.loss(w)
    np.testing.assert_allclose(tape.gradient(loss, w), [0.0, 0.0], atol=1e-12)
    assert float(loss.numpy()) == pytest.approx(-1.0 if name == "saddle" else 0.0, abs=1e-12)
    X, Y, Z = surface.grid(21)
    assert Z.shape == (21, 21) and np.nanmin(Z) >= float(loss.numpy()) - 1e-9
    assert X[0, 0] == surface.x_range[0] and Y[-1, 0] == surface.y_range[1]


def test_sgd_path_on_the_bowl_is_the_closed_form():
    path = viz.optimizer_path(keras.optimizers.SGD(0.1), "bowl", start=(-4.0, 3.0), steps=10)
    t = np.arange(11)[:, None]
    # L = x² + y², g = 2w, so w_t = w_0 (1 − 2η)^t
    np.testing.assert_allclose(path.points, np.array([[-4.0, 3.0]]) * 0.8**t, rtol=1e-5)
    np.testing.assert_allclose(path.losses, 25.0 * 0.64 ** t[:, 0], rtol=1e-5)


def test_momentum_path_follows_the_momentum_formula_and_leaves_the_optimizer_alone():
    optimizer = keras.optimizers.SGD(0.1, momentum=0.9)
    path = viz.optimizer_path(optimizer, "valley", steps=5)
    w, v = np.array([-4.5, 1.5]), np.zeros(2)
    for step in range(1, 6):
        g = np.array([0.2, 4.0]) * w  # ∇(0.1x² + 2y²)
        v = 0.9 * v - 0.1 * g
        w = w + v
        np.testing.assert_allclose(path.points[step], w, rtol=1e-5, atol=1e-6)
    assert not optimizer.built and int(optimizer.iterations.numpy()) == 0  # a copy was run
    again = viz.optimizer_path(optimizer, "valley", steps=5)
    np.testing.assert_array_equal(again.points, path.points)


def test_a_diverging_path_stops_with_nan_and_still_plots():
    path = viz.optimizer_path("sgd", "rosenbrock", steps=50)  # name: SGD(0.01) diverges here
    assert np.isfinite(path.losses[0]) and np.isnan(path.losses[-1])
    fig = viz.plot_optimizer_paths({"sgd": keras.optimizers.SGD(0.01)}, "rosenbrock", steps=50)
    assert len(fig.axes) == 2


def test_plot_optimizer_paths_panels_and_lines():
    race = {"SGD": keras.optimizers.SGD(0.2), "Adam": keras.optimizers.Adam(0.3)}
    fig = viz.plot_optimizer_paths(race, "valley", steps=20)
    ax_map, ax_loss = fig.axes
    labels = [line.get_label() for line in ax_map.get_lines()]
    assert labels == ["minimum", "SGD", "Adam", "start"]
    sgd_line = ax_map.get_lines()[1]
    assert len(sgd_line.get_xdata()) == 21 and sgd_line.get_xdata()[0] == -4.5
    assert [line.get_label() for line in ax_loss.get_lines()] == ["SGD", "Adam"]
    assert ax_loss.get_lines()[0].get_color() == sgd_line.get_color()
    assert ax_map.get_xlim() == (-5, 5) and ax_map.get_title().startswith("valley")
    assert ax_loss.get_xlabel() == "step" and ax_loss.get_yscale() == "linear"
    log_fig = viz.plot_optimizer_paths({"adam": "adam"}, "beale", steps=5)
    assert log_fig.axes[1].get_yscale() == "log"


def test_bad_optimizer_or_surface_names():
    with pytest.raises(ValueError, match=r"Unknown loss surface: 'bowel'.*'bowl'"):
        viz.optimizer_path("sgd", "bowel")
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        viz.optimizer_path("adamm", "bowl")
    with pytest.raises(TypeError, match=r"dict \{label: optimizer\}"):
        viz.plot_optimizer_paths([keras.optimizers.SGD()], "bowl")


# --- decision boundary -----------------------------------------------------------------------


def linear_classifier(units=1, activation="sigmoid"):
    model = keras.Sequential([keras.layers.Input((2,)), keras.layers.Dense(units, activation=activation)])  # fmt: skip
    return model


def test_binary_decision_boundary_is_where_the_probability_is_one_half():
    model = linear_classifier()
    model.set_weights([np.array([[4.0], [0.0]], "float32"), np.array([-4.0], "float32")])  # x₁ = 1
    x = np.array([[0.0, 0.0], [2.0, 1.0], [0.5, -1.0], [1.5, 0.5]], "float32")
    y = np.array([0, 1, 0, 1])
    X, _, out = predict_grid(model, x, resolution=41)
    assert out.shape == (41, 41, 1)
    np.testing.assert_array_equal(out[..., 0] > 0.5, X > 1.0)
    fig = viz.plot_decision_boundary(model, x, y, resolution=41)
    ax = fig.axes[0]
    assert ax.get_title() == "decision boundary" and fig.axes[1].get_ylabel() == "P(class 1)"
    np.testing.assert_array_equal(ax.collections[-1].get_offsets(), x)  # the data points
    assert ax.get_xlim() == pytest.approx((-0.5, 2.5))


def test_softmax_decision_regions_and_label_formats():
    model = linear_classifier(3, "softmax")
    model.set_weights([np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 1.0]], "float32"), np.zeros(3, "float32")])  # fmt: skip
    x = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 3.0]], "float32")
    _, _, out = predict_grid(model, x, resolution=11)
    assert out.shape == (11, 11, 3)
    fig = viz.plot_decision_boundary(model, x, np.eye(3))  # one-hot labels
    assert len(fig.axes) == 1  # no colour bar for classes
    np.testing.assert_array_equal(class_labels(np.eye(3)), [0, 1, 2])
    np.testing.assert_array_equal(class_labels([[0.0], [1.0]]), [0, 1])


def test_decision_boundary_needs_2d_inputs():
    model = keras.Sequential([keras.layers.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"shape \(samples, 2\).*\(4, 3\)"):
        viz.plot_decision_boundary(model, np.zeros((4, 3)), np.zeros(4))


# --- convolution filters and feature maps ------------------------------------------------------


def conv_model(channels=1):
    return keras.Sequential(
        [
            keras.layers.Input((6, 6, channels)),
            keras.layers.Conv2D(3, 3, name="conv"),
            keras.layers.MaxPooling2D(name="pool"),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )


def test_plot_filters_shows_each_kernel():
    model = conv_model()
    kernel = np.arange(27, dtype="float32").reshape(3, 3, 1, 3)
    model.get_layer("conv").set_weights([kernel, np.zeros(3, "float32")])
    fig = viz.plot_filters(model.get_layer("conv"))
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    for i, ax in enumerate(visible):
        np.testing.assert_array_equal(ax.get_images()[0].get_array(), kernel[:, :, 0, i])
        assert ax.get_title() == str(i)
    assert fig._suptitle.get_text().startswith("conv: 3 of 3 filters")
    rgb = conv_model(channels=3)
    image = viz.plot_filters(rgb).axes[0].get_images()[0].get_array()  # a model: its first Conv2D
    assert image.shape == (3, 3, 3) and image.min() == 0 and image.max() == 1


def test_plot_filters_refuses_a_layer_without_a_2d_kernel():
    with pytest.raises(ValueError, match="built Conv2D"):
        viz.plot_filters(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="no Conv2D"):
        viz.plot_filters(small_model())


def test_feature_maps_are_the_layer_outputs(rng):
    model = conv_model()
    image = rng.normal(size=(6, 6, 1)).astype("float32")
    maps = viz.feature_maps(model, "conv", image)
    expected = model.get_layer("conv")(image[None]).numpy()[0]
    np.testing.assert_allclose(maps, expected, rtol=1e-6)
    fig = viz.plot_feature_maps(model, 1, image)  # by index: the pooling layer
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    pooled = expected.reshape(2, 2, 2, 2, 3).max(axis=(1, 3))
    np.testing.assert_allclose(visible[2].get_images()[0].get_array(), pooled[:, :, 2], rtol=1e-6)
    with pytest.raises(ValueError, match=r"one image of shape \(6, 6, 1\)"):
        viz.plot_feature_maps(model, "conv", np.zeros((2, 6, 6, 1)))
    with pytest.raises(ValueError, match="before Flatten"):
        viz.plot_feature_maps(model, 3, image)


# --- weights -------------------------------------------------------------------------------------


def test_weight_histograms_one_panel_per_weight():
    model = small_model()
    fig = viz.plot_weight_histograms(model, bins=10)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4
    assert visible[0].get_title().startswith("first/kernel\n(3, 4)")
    assert sum(bar.get_height() for bar in visible[0].patches) == 12
    without_bias = viz.plot_weight_histograms(model, include_bias=False)
    assert len([ax for ax in without_bias.axes if ax.get_visible()]) == 2
    model.layers[0].kernel.assign(np.full((3, 4), np.nan, "float32"))
    assert "12 not finite" in viz.plot_weight_histograms(model).axes[0].get_title()
    with pytest.raises(ValueError, match="no weights yet"):
        viz.plot_weight_histograms(keras.Sequential([keras.layers.Dense(2)]))


# --- overfitting --------------------------------------------------------------------------------


def history(loss, val_loss=None, **more):
    h = History()
    h.history = {"loss": list(loss), **more}
    if val_loss is not None:
        h.history["val_loss"] = list(val_loss)
    h.epoch = list(range(len(loss)))
    return h


def test_overfitting_plot_dashed_train_solid_validation_same_colour():
    small = history([1.0, 0.8, 0.7], [1.0, 0.85, 0.8])
    big = history([1.0, 0.5, 0.2], [0.9, 0.7, 0.95])
    fig = viz.plot_overfitting({"small": small, "big": big})
    (ax,) = fig.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert lines["big (train)"].get_linestyle() == "--"
    assert lines["big (validation)"].get_linestyle() == "-"
    assert lines["big (train)"].get_color() == lines["big (validation)"].get_color()
    assert lines["small (train)"].get_color() != lines["big (train)"].get_color()
    np.testing.assert_array_equal(lines["big (validation)"].get_xdata(), [1, 2, 3])
    best_marks = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert [m.get_ydata()[0] for m in best_marks] == [0.8, 0.7]  # each run's best val_loss
    assert ax.get_title() == "loss: train (dashed) vs validation (solid)"


def test_overfitting_missing_metric_nan_and_no_validation():
    with pytest.raises(ValueError, match=r"'big' has no 'accuracy'; it has \['loss', 'val_loss'\]"):
        viz.plot_overfitting({"big": history([1.0], [1.0])}, metric="accuracy")
    fig = viz.plot_overfitting({"nan": history([1.0, np.nan, 0.5], [1.0, 0.9, np.nan])})
    train, validation = fig.axes[0].get_lines()[:2]
    assert np.isnan(train.get_ydata()[1]) and np.isnan(validation.get_ydata()[2])
    only_train = viz.plot_overfitting({"run": {"loss": [1.0, 0.5]}}).axes[0]
    assert [line.get_label() for line in only_train.get_lines()] == ["run (train)"]
    with pytest.raises(TypeError, match=r"dict \{label: History\}"):
        viz.plot_overfitting(history([1.0]))


# --- Korean labels ------------------------------------------------------------------------------

needs_hangul = pytest.mark.skipif(
    fonts.korean_font_name() is None,
    reason="no Hangul font installed (apt-get install fonts-nanum)",
)


@needs_hangul
def test_korean_title_renders_without_missing_glyphs():
    name = viz.use_korean_font()
    assert name == fonts.korean_font_name()
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans", name]
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    fig = viz.plot_gradient_flow({"시그모이드": [1e-5, 1e-3, 1e-1]})  # a log axis: 10⁻⁵ labels
    fig.axes[0].set_title("층별 그래디언트 크기 (기울기 소실)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    assert missing == []


@needs_hangul
def test_plots_switch_to_the_hangul_font_unless_a_font_was_chosen():
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    viz.plot_softmax([1.0, 2.0])
    assert fonts.korean_font_name() in matplotlib.rcParams["font.family"]
    matplotlib.rcParams["font.family"] = ["serif"]
    viz.plot_softmax([1.0, 2.0])
    assert list(matplotlib.rcParams["font.family"]) == ["serif"]  # the user's choice stays


def test_without_a_hangul_font_nothing_changes_and_the_fix_is_named(monkeypatch):
    monkeypatch.setattr(fonts, "korean_font_name", lambda: None)
    family = list(matplotlib.rcParams["font.family"])
    with pytest.warns(UserWarning, match="fonts-nanum"):
        assert viz.use_korean_font() is None
    assert list(matplotlib.rcParams["font.family"]) == family

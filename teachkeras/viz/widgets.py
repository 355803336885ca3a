"""ipywidgets explorers: sliders around the plots of `teachkeras.viz`.

Each explorer is two parts:

  - a plain update function, `<name>_update(...) -> Figure`, that does all the work
    and can be called (and tested) without a notebook;
  - the explorer itself, which only builds the controls and wires them to the update
    function with `ipywidgets.interactive_output`, and returns a `VBox`.

The returned box has two extra attributes for scripts and tests: `box.controls`
(`{argument: widget}`) and `box.figure` (the Figure drawn last). Sliders whose update
trains or runs something are made by `_slider`, with `continuous_update=False`: the plot
is redrawn when the slider is released, not at every pixel of the drag.

Example (in a notebook):
    >>> from teachkeras.viz import optimizer_race
    >>> optimizer_race()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..backend import random as backend_random
from .activations import plot_activation
from .attention import plot_softmax_of_random_scores
from .decision_boundary import plot_decision_boundary
from .gradient_flow import INITIALIZER_CHOICES, gradient_flow_demo, plot_gradient_flow
from .optimizers import SURFACES, get_surface, plot_optimizer_paths
from .overfitting import plot_overfitting
from .recurrent import RECURRENT_KINDS, plot_step_gradients, recurrent_gradient_demo

# --- shared wiring ------------------------------------------------------------------------


def _explorer(update: Callable, controls: dict):
    """A VBox of `controls` above an output area that `update(**values)` redraws."""
    import ipywidgets as widgets

    box = widgets.VBox()

    def redraw(**values):
        figure = update(**values)
        box.figure = figure
        _show(figure)

    output = widgets.interactive_output(redraw, controls)  # draws once now, then on each change
    box.children = [widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}), output]
    box.controls = controls
    return box


def _slider(slider_class, description: str, **options):
    """A slider whose explorer redraws when it is released, not at every pixel of the drag
    (`continuous_update=False`: the update behind it trains or runs something)."""
    return slider_class(description=description, continuous_update=False, **options)


def _show(figure) -> None:
    """Show the figure in the output area, then close it so it is not shown a second time."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(figure)
    plt.close(figure)


# --- activation explorer --------------------------------------------------------------------

ACTIVATION_CHOICES = (
    "relu",
    "leaky_relu",
    "elu",
    "selu",
    "celu",
    "sigmoid",
    "hard_sigmoid",
    "tanh",
    "softplus",
    "softsign",
    "swish",
    "gelu",
    "mish",
    "relu6",
)
# Activations with a shape parameter (the `alpha` slider), and its Keras default.
ALPHA_DEFAULTS = {"leaky_relu": 0.2, "elu": 1.0, "celu": 1.0}


def activation_explorer_update(
    name: str = "leaky_relu", alpha: float | None = None, lo: float = -5.0, hi: float = 5.0
):
    """`plot_activation(name, x_range=(lo, hi))`, with `alpha` for leaky_relu/elu/celu.

    `alpha` is ignored for activations without a shape parameter.
    """
    kwargs = {"alpha": alpha} if alpha is not None and name in ALPHA_DEFAULTS else {}
    return plot_activation(name, x_range=(lo, hi), **kwargs)


def activation_explorer():
    """Choose an activation, its alpha and the x range; see it and its derivative."""
    import ipywidgets as widgets

    name = widgets.Dropdown(options=ACTIVATION_CHOICES, value="leaky_relu", description="function")
    alpha = widgets.FloatSlider(value=0.2, min=0.0, max=2.0, step=0.05, description="alpha")
    x_range = widgets.FloatRangeSlider(
        value=(-5.0, 5.0), min=-10.0, max=10.0, step=0.5, description="x range"
    )

    def follow_name(change) -> None:  # registered first: alpha is right before the redraw
        alpha.disabled = change["new"] not in ALPHA_DEFAULTS
        if not alpha.disabled:
            alpha.value = ALPHA_DEFAULTS[change["new"]]

    name.observe(follow_name, "value")
    return _explorer(
        lambda name, alpha, x_range: activation_explorer_update(name, alpha, *x_range),
        {"name": name, "alpha": alpha, "x_range": x_range},
    )


# --- optimizer race ----------------------------------------------------------------------------

OPTIMIZER_CHOICES = (
    "sgd",
    "momentum",
    "nesterov",
    "rmsprop",
    "adagrad",
    "adadelta",
    "adam",
    "adamax",
    "nadam",
)


def make_optimizer(name: str, learning_rate: float, momentum: float = 0.9):
    """An optimizer for the race: `'momentum'` and `'nesterov'` are SGD with `momentum`."""
    from .. import optimizers

    if name == "momentum":
        return optimizers.SGD(learning_rate, momentum=momentum)
    if name == "nesterov":
        return optimizers.SGD(learning_rate, momentum=momentum, nesterov=True)
    return optimizers.get({"class_name": name, "config": {"learning_rate": learning_rate}})


def optimizer_race_update(
    optimizers: Sequence[str] = ("sgd", "momentum", "adam"),
    learning_rate: float | None = None,
    momentum: float = 0.9,
    surface: str = "valley",
    steps: int = 100,
):
    """Race the named optimizers over `surface`, all with the same learning rate.

    `learning_rate=None` uses the surface's suggested one. `momentum` is μ of the
    `'momentum'` and `'nesterov'` entries (SGD with momentum).
    """
    chosen = get_surface(surface)
    names = [optimizers] if isinstance(optimizers, str) else list(optimizers)
    if not names:
        raise ValueError(f"Choose at least one optimizer from {list(OPTIMIZER_CHOICES)}.")
    lr = chosen.learning_rate if learning_rate is None else float(learning_rate)
    race = {}
    for name in names:
        label = f"{name} (μ={momentum:g})" if name in ("momentum", "nesterov") else name
        race[label] = make_optimizer(name, lr, momentum)
    figure = plot_optimizer_paths(race, chosen, steps=int(steps))
    figure.suptitle(f"learning rate η = {lr:g}, {steps} steps", fontsize=10)
    return figure


def optimizer_race():
    """Pick optimizers, a learning rate, momentum and a surface; watch them race."""
    import ipywidgets as widgets

    names = widgets.SelectMultiple(
        options=OPTIMIZER_CHOICES,
        value=("sgd", "momentum", "adam"),
        rows=5,
        description="optimizers",
    )
    surface = widgets.Dropdown(options=list(SURFACES), value="valley", description="surface")
    learning_rate = _slider(
        widgets.FloatLogSlider,
        "learning rate",
        value=SURFACES["valley"].learning_rate,
        base=10,
        min=-4,
        max=0,
        step=0.1,
    )
    momentum = _slider(widgets.FloatSlider, "momentum", value=0.9, min=0.0, max=0.99, step=0.01)
    steps = _slider(widgets.IntSlider, "steps", value=100, min=10, max=500, step=10)

    def follow_surface(change) -> None:  # each surface has its own sensible learning rate
        learning_rate.value = SURFACES[change["new"]].learning_rate

    surface.observe(follow_surface, "value")
    controls = {
        "optimizers": names,
        "learning_rate": learning_rate,
        "momentum": momentum,
        "surface": surface,
        "steps": steps,
    }
    return _explorer(optimizer_race_update, controls)


# --- vanishing gradients -----------------------------------------------------------------------

GRADIENT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "swish")


def vanishing_gradient_explorer_update(
    depth: int = 10,
    activation: str = "sigmoid",
    initializer: str = "glorot_uniform",
    reference: bool = True,
):
    """Per-layer gradient norms of a `depth`-layer network (and of relu + he_normal to compare).

    The title gives the ratio of the first layer's gradient norm to the last one's:
    far below 1, the first layers learn far more slowly (vanishing); far above, exploding.
    """
    norms = gradient_flow_demo(int(depth), activation, initializer)
    results = {f"{activation}, {initializer}": norms}
    if reference and (activation, initializer) != ("relu", "he_normal"):
        results["relu, he_normal (reference)"] = gradient_flow_demo(int(depth), "relu", "he_normal")
    values = list(norms.values())
    ratio = values[0] / values[-1] if values[-1] else float("nan")
    return plot_gradient_flow(
        results, title=f"depth {depth}: first / last layer gradient norm = {ratio:.1e}"
    )


def vanishing_gradient_explorer():
    """Pick depth, activation and initializer; see how the gradient reaches the first layers."""
    import ipywidgets as widgets

    controls = {
        "depth": _slider(widgets.IntSlider, "depth", value=10, min=1, max=30),
        "activation": widgets.Dropdown(
            options=GRADIENT_ACTIVATIONS, value="sigmoid", description="activation"
        ),
        "initializer": widgets.Dropdown(
            options=list(INITIALIZER_CHOICES), value="glorot_uniform", description="initializer"
        ),
    }
    return _explorer(vanishing_gradient_explorer_update, controls)


# --- gradient through time ------------------------------------------------------------------


def recurrent_gradient_explorer_update(timesteps: int = 60, gate_bias: float = 1.0):
    """The gradient reaching each time step of a SimpleRNN, an LSTM and a GRU (log scale).

    `gate_bias` sets the bias of the gate that keeps the state (the LSTM's forget gate, the
    GRU's update gate; `set_gate_bias`): σ(gate_bias) is where that gate starts. The
    SimpleRNN has no gate, so it is the reference. The title gives σ(gate_bias).
    """
    results = {
        kind: recurrent_gradient_demo(kind, int(timesteps), gate_bias) for kind in RECURRENT_KINDS
    }
    gate = 1 / (1 + np.exp(-gate_bias))
    return plot_step_gradients(
        results,
        title=f"T = {int(timesteps)} steps; forget / update gate bias {gate_bias:g}: "
        f"σ = {gate:.2f}",
    )


def recurrent_gradient_explorer():
    """Pick the sequence length and the gate bias; see how far back the gradient reaches."""
    import ipywidgets as widgets

    controls = {
        "timesteps": _slider(widgets.IntSlider, "timesteps", value=60, min=10, max=200, step=10),
        "gate_bias": _slider(
            widgets.FloatSlider, "gate bias", value=1.0, min=-2.0, max=6.0, step=0.5
        ),
    }
    return _explorer(recurrent_gradient_explorer_update, controls)


# --- the scale of attention scores ----------------------------------------------------------

ATTENTION_KEY_DIMS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


def attention_scale_explorer_update(key_dim: int = 64, scaled: bool = True, query: int = 0):
    """One random query against 8 random keys of `key_dim` components: scores and softmax.

    Without the scale the scores spread like √d, and the softmax gives nearly all the
    weight to one key once d is large; divided by √d they keep a spread of about 1.
    `query` picks another random query and keys (a seed).
    """
    return plot_softmax_of_random_scores(int(key_dim), bool(scaled), seed=int(query))


def attention_scale_explorer():
    """Pick the key size d, and scale the scores by 1/√d or not: see what the softmax does."""
    import ipywidgets as widgets

    controls = {
        "key_dim": widgets.SelectionSlider(
            options=list(ATTENTION_KEY_DIMS), value=64, description="key size d"
        ),
        "scaled": widgets.Checkbox(value=False, description="divide by √d"),
        "query": widgets.IntSlider(value=0, min=0, max=20, description="random draw"),
    }
    return _explorer(attention_scale_explorer_update, controls)


# --- overfitting --------------------------------------------------------------------------------


def _output_for(y: np.ndarray) -> tuple[int, str, str, list]:
    """(units, activation, loss, metrics) of the output layer that suits the labels `y`."""
    if y.ndim == 2 and y.shape[1] > 1:
        return y.shape[1], "softmax", "categorical_crossentropy", ["accuracy"]
    flat = y.reshape(len(y))
    if np.all(flat == np.rint(flat)):  # class indices
        classes = int(np.max(flat)) + 1
        if classes <= 2:
            return 1, "sigmoid", "binary_crossentropy", ["accuracy"]
        return classes, "softmax", "sparse_categorical_crossentropy", ["accuracy"]
    return 1, None, "mse", []


def overfitting_model(input_dim: int, y, units: int = 64, dropout: float = 0.0, l2: float = 0.0):
    """Two hidden Dense layers of `units` (with L2 and Dropout), an output that suits `y`."""
    from .. import layers, models, regularizers

    out_units, out_activation, loss, metrics = _output_for(np.asarray(y))
    model = models.Sequential([layers.Input((input_dim,))])
    for _ in range(2):
        model.add(
            layers.Dense(
                int(units),
                activation="relu",
                kernel_regularizer=regularizers.L2(l2) if l2 else None,
            )
        )
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(out_units, activation=out_activation))
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    return model


def overfitting_explorer_update(
    x,
    y,
    units: int = 64,
    dropout: float = 0.0,
    l2: float = 0.0,
    epochs: int = 100,
    early_stopping: bool = False,
    validation_split: float = 0.3,
    patience: int = 10,
    seed: int = 0,
):
    """Train `overfitting_model(...)` on (x, y) and draw its train/validation curves.

    The validation set is a seeded random `validation_split` of the data, and the run
    is seeded (`teachkeras.utils.set_random_seed(seed)`), so the same settings draw
    the same picture. With 2-D inputs and class labels, a second panel shows the
    decision boundary: the wiggles of an overfit model are easy to see.
    """
    import matplotlib.pyplot as plt

    from .. import callbacks, utils

    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples but y has {len(y)}.")
    utils.set_random_seed(seed)
    order = backend_random.make_generator(seed).permutation(len(x))  # its own seeded generator
    n_val = max(1, round(len(x) * validation_split))
    val, train = order[:n_val], order[n_val:]
    model = overfitting_model(x.shape[1], y, units, dropout, l2)
    stopper = callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )
    history = model.fit(
        x[train],
        y[train],
        validation_data=(x[val], y[val]),
        epochs=int(epochs),
        batch_size=32,
        verbose=0,
        callbacks=[stopper] if early_stopping else [],
    )
    boundary = x.shape[1] == 2 and _output_for(y)[1] is not None
    figure, axes = plt.subplots(
        1,
        2 if boundary else 1,
        figsize=(11 if boundary else 6.5, 4),
        squeeze=False,
        layout="constrained",
    )
    label = f"{units} units, dropout {dropout:g}, L2 {l2:g}"
    plot_overfitting({label: history}, ax=axes[0, 0])
    if early_stopping and stopper.stopped_epoch > 0:
        axes[0, 0].axvline(
            stopper.stopped_epoch + 1,
            color="gray",
            linestyle=":",
            label=f"stopped (epoch {stopper.stopped_epoch + 1})",
        )
        axes[0, 0].legend(fontsize=8)
    if boundary:
        plot_decision_boundary(
            model, x, y, resolution=100, ax=axes[0, 1], title="decision boundary (all data)"
        )
    return figure


def overfitting_explorer(x, y, validation_split: float = 0.3, seed: int = 0):
    """Sliders for model size, dropout, L2, epochs and early stopping, trained on (x, y)."""
    import ipywidgets as widgets

    units = _slider(
        widgets.SelectionSlider, "units", options=[2, 4, 8, 16, 32, 64, 128, 256], value=64
    )
    dropout = _slider(widgets.FloatSlider, "dropout", value=0.0, min=0.0, max=0.8, step=0.05)
    l2 = _slider(
        widgets.SelectionSlider,
        "L2",
        options=[
            ("0", 0.0),
            ("1e-5", 1e-5),
            ("1e-4", 1e-4),
            ("1e-3", 1e-3),
            ("1e-2", 1e-2),
            ("1e-1", 1e-1),
        ],
        value=0.0,
    )
    epochs = _slider(widgets.IntSlider, "epochs", value=100, min=10, max=500, step=10)
    early_stopping = widgets.Checkbox(value=False, description="early stopping")

    def update(**values):
        return overfitting_explorer_update(
            x, y, validation_split=validation_split, seed=seed, **values
        )

    controls = {
        "units": units,
        "dropout": dropout,
        "l2": l2,
        "epochs": epochs,
        "early_stopping": early_stopping,
    }
    return _explorer(update, controls)

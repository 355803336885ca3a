"""The optimizers Keras 3 added (AdamW, Lion, Adafactor, Ftrl, Lamb): first steps by hand,
their slots in Keras's order, configs, and what the base class gives them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import optimizers
from teachkeras.legacy import KerasLegacyWarning

GRADS = [0.5, -1.5, 2.0]  # three steps on one scalar weight that starts at 1.0
NAMES = ["AdamW", "Lion", "Adafactor", "Ftrl", "Lamb"]


def run(opt, grads=GRADS, start=1.0) -> list:
    """Apply `grads` one per step to a weight starting at `start`; the weight after each step."""
    w = K.Variable(np.asarray(start, "float32"))
    trajectory = []
    for g in grads:
        opt.apply_gradients([(np.asarray(g, "float32"), w)])
        assert w.dtype == np.float32
        trajectory.append(w.numpy().copy())
    return trajectory


# --- each optimizer's steps, computed by hand in float64 --------------------------------
def test_adamw_is_adam_after_decoupled_decay():
    lr, wd, b1, b2, eps = 0.1, 0.2, 0.9, 0.999, 1e-7
    w, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        w -= w * wd * lr  # decay first, with no gradient involved
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (math.sqrt(v) + eps)
        expected.append(w)
    assert run(optimizers.AdamW(lr, weight_decay=wd)) == pytest.approx(expected, rel=1e-5)


def test_adamw_defaults_and_needs_a_weight_decay():
    opt = optimizers.AdamW()
    assert opt.weight_decay == 0.004 and opt.name.startswith("adam_w")
    with pytest.raises(ValueError, match="`weight_decay` must be a float"):
        optimizers.AdamW(weight_decay=None)


def test_lion_by_hand():
    lr, b1, b2 = 0.1, 0.9, 0.99
    w, m, expected = 1.0, 0.0, []
    for g in GRADS:
        c = b1 * m + (1 - b1) * g
        w -= lr * math.copysign(1.0, c)
        m = b2 * m + (1 - b2) * g
        expected.append(w)
    assert run(optimizers.Lion(lr)) == pytest.approx(expected, rel=1e-6)


def test_lion_steps_are_plus_or_minus_the_learning_rate():
    w = K.Variable(np.zeros(3, "float32"))
    optimizers.Lion(0.25).apply([np.array([1e-4, -30.0, 0.0], "float32")], [w])
    np.testing.assert_array_equal(w.numpy(), [-0.25, 0.25, 0.0])  # the size of g is ignored


def test_lion_beta_1_must_be_in_0_1():
    with pytest.raises(ValueError, match="SignSGD"):
        optimizers.Lion(beta_1=0.0)


def _adafactor_reference(w0, grads, lr=0.01, decay=-0.8, eps1=1e-30, eps2=1e-3, d=1.0):
    """Adafactor in float64, following the formula block of adafactor.py."""
    w, r, c, v = np.array(w0, np.float64), None, None, None
    rms = lambda x: np.sqrt(np.mean(np.square(x)))  # noqa: E731
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, np.float64)
        rho = min(lr, 1 / math.sqrt(t))
        alpha = max(eps2, rms(w)) * rho
        G, beta = g**2 + eps1, 1 - t**decay
        if w.ndim >= 2:
            r = (1 - beta) * G.mean(-1) if r is None else beta * r + (1 - beta) * G.mean(-1)
            c = (1 - beta) * G.mean(-2) if c is None else beta * c + (1 - beta) * G.mean(-2)
            v = np.outer(r / r.mean(), c)
        else:
            v = (1 - beta) * G if v is None else beta * v + (1 - beta) * G
        u = g / np.sqrt(v)
        w = w - alpha * u / max(1.0, rms(u) / d)
    return w


@pytest.mark.parametrize("shape", [(3,), (3, 2)])
def test_adafactor_by_hand(shape):
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=shape).astype("float32")
    grads = [rng.normal(size=shape).astype("float32") for _ in range(4)]
    w = K.Variable(w0)
    opt = optimizers.Adafactor(learning_rate=0.5)
    for g in grads:
        opt.apply([g], [w])
    np.testing.assert_allclose(w.numpy(), _adafactor_reference(w0, grads, lr=0.5), rtol=1e-5)


def test_adafactor_slots_are_row_and_column_means_in_keras_order():
    kernel = K.Variable(np.ones((3, 2), "float32"), name="kernel")
    bias = K.Variable(np.ones(2, "float32"), name="bias")
    opt = optimizers.Adafactor()
    opt.build([kernel, bias])
    layout = [(v.name, v.shape, str(v.dtype)) for v in opt.variables[2:]]
    assert layout == [
        ("kernel", (3,), "float32"),  # R: one mean per row
        ("kernel", (2,), "float32"),  # C: one mean per column
        ("kernel_velocity", (3, 2), "float32"),
        ("bias", (), "int32"),  # a vector needs no R and C: placeholders, as in Keras
        ("bias", (), "int32"),
        ("bias_velocity", (2,), "float32"),
    ]
    g = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")
    opt.apply([g, np.ones(2, "float32")], [kernel, bias])
    R, C, v = (s.numpy() for s in opt.variables[2:5])
    np.testing.assert_allclose(v, np.outer(R / R.mean(), C), rtol=1e-6)  # v is rank 1


def test_adafactor_clamps_the_learning_rate_by_one_over_root_t():
    # ρ = min(η, 1/√t): η = 10 acts as 1 at the first step, whatever relative_step says.
    for relative_step in (True, False):
        big, w = optimizers.Adafactor(10.0, relative_step=relative_step), K.Variable([2.0])
        one = optimizers.Adafactor(1.0, relative_step=relative_step)
        w1 = K.Variable([2.0])
        big.apply([np.array([1.0], "float32")], [w])
        one.apply([np.array([1.0], "float32")], [w1])
        assert w.numpy() == pytest.approx(w1.numpy())


def test_ftrl_by_hand():
    lr, p, n0, l1, l2, l2s, beta = 0.1, -0.5, 0.1, 0.01, 0.02, 0.03, 0.5
    w, n, z, expected = 1.0, n0, 0.0, []
    for g in GRADS:
        n_new = n + g * g
        sigma = (n_new ** (-p) - n ** (-p)) / lr
        z += g + 2 * l2s * w - sigma * w
        q = n_new ** (-p) / lr + 2 * (l2 + beta / (2 * lr))
        w = (max(-l1, min(z, l1)) - z) / q
        n = n_new
        expected.append(w)
    opt = optimizers.Ftrl(
        lr,
        initial_accumulator_value=n0,
        l1_regularization_strength=l1,
        l2_regularization_strength=l2,
        l2_shrinkage_regularization_strength=l2s,
        beta=beta,
    )
    assert run(opt) == pytest.approx(expected, rel=1e-5)


def test_ftrl_l1_keeps_weights_at_exactly_zero():
    w = K.Variable(np.zeros(3, "float32"))
    opt = optimizers.Ftrl(0.5, l1_regularization_strength=1.0)
    for _ in range(3):  # |z| stays below λ₁ for the small gradients
        opt.apply([np.array([0.1, -0.2, 5.0], "float32")], [w])
    assert w.numpy()[0] == 0.0 and w.numpy()[1] == 0.0 and w.numpy()[2] < 0


def test_ftrl_slots_interleave_with_the_initial_accumulator():
    opt = optimizers.Ftrl(initial_accumulator_value=0.3)
    opt.build([K.Variable([1.0, 2.0], name="a"), K.Variable([3.0], name="b")])
    names = [v.name for v in opt.variables[2:]]
    assert names == ["a_accumulator", "a_linear", "b_accumulator", "b_linear"]
    np.testing.assert_allclose(opt.variables[2].numpy(), [0.3, 0.3])
    np.testing.assert_array_equal(opt.variables[3].numpy(), [0.0, 0.0])


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"learning_rate_power": 0.5}, "negative or zero"),
        ({"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
        ({"l1_regularization_strength": -1.0}, "l1_regularization_strength"),
        ({"l2_regularization_strength": -1.0}, "l2_regularization_strength"),
        ({"l2_shrinkage_regularization_strength": -1.0}, "l2_shrinkage"),
    ],
)
def test_ftrl_argument_checks(kwargs, word):
    with pytest.raises(ValueError, match=word):
        optimizers.Ftrl(**kwargs)


def test_lamb_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-7
    w0 = np.array([1.0, -2.0])
    grads = [np.array([0.5, 1.0]), np.array([-1.5, 0.2]), np.array([2.0, -0.3])]
    w, m, v = w0.copy(), 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        r = (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        w = w - lr * np.linalg.norm(w) / np.linalg.norm(r) * r
    got = run(optimizers.Lamb(lr), [g.astype("float32") for g in grads], w0.astype("float32"))
    np.testing.assert_allclose(got[-1], w, rtol=1e-5)


def test_lamb_trust_ratio_is_one_for_a_zero_weight():
    w = K.Variable(np.zeros(2, "float32"))
    optimizers.Lamb(0.1).apply([np.array([1.0, -1.0], "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [-0.1, 0.1], rtol=1e-5)  # Adam's first step: η·sign(g)


# --- what every one of them shares ------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_moves_downhill_on_a_bowl(name):
    w = K.Variable(np.array([2.0, -3.0], "float32"))
    opt = getattr(optimizers, name)(learning_rate=0.1)
    for _ in range(50):
        (g,) = K.gradients(K.sum(K.square(w)), [w])
        opt.apply_gradients([(g, w)])
    assert float(np.sum(w.numpy() ** 2)) < 13.0 * 0.9


@pytest.mark.parametrize("name", NAMES)
def test_float64_variables_stay_float64(name):
    w = K.Variable(np.ones((2, 2)), dtype="float64")
    opt = getattr(optimizers, name)()
    opt.apply([np.full((2, 2), 0.5, "float32")], [w])
    assert w.dtype == np.float64
    assert all(v.dtype == np.float64 for v in opt.variables[2:])


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip_and_get(name):
    cls = getattr(optimizers, name)
    opt = cls(learning_rate=0.25, clipnorm=2.0, weight_decay=0.01, name="mine")
    config = opt.get_config()
    assert config["learning_rate"] == pytest.approx(0.25) and config["name"] == "mine"
    assert cls.from_config(config).get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is cls and restored.get_config() == config
    assert isinstance(optimizers.get(name.lower()), cls)
    assert isinstance(optimizers.get(name), cls)


@pytest.mark.parametrize("name", NAMES)
def test_lr_is_the_keras_2_spelling(name):
    with pytest.warns(KerasLegacyWarning, match="learning_rate="):
        opt = getattr(optimizers, name)(lr=0.2)
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.2)


# Ftrl is left out: it solves for w afresh from its slots at every step, so a zero gradient
# does not leave w alone (the decay still reaches it, through σ·w in z).
@pytest.mark.parametrize("name", [n for n in NAMES if n != "Ftrl"])
def test_weight_decay_spares_excluded_variables(name):
    kernel, bias = K.Variable([[2.0]], name="kernel"), K.Variable([2.0], name="bias")
    opt = getattr(optimizers, name)(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    # Zero gradients: the rule itself does not move w, so only the decay w ← w − w·λ·η shows.
    opt.apply([np.zeros((1, 1), "float32"), np.zeros(1, "float32")], [kernel, bias])
    assert kernel.numpy()[0, 0] == pytest.approx(2.0 - 2.0 * 0.5 * 0.1)
    assert bias.numpy()[0] == 2.0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "kwargs",
    [{"use_ema": True}, {"loss_scale_factor": 128.0}, {"gradient_accumulation_steps": 4}],
)
def test_unsupported_base_features_are_refused_by_name(name, kwargs):
    argument = next(iter(kwargs))
    with pytest.raises(NotImplementedError, match=rf"{name}\({argument}="):
        getattr(optimizers, name)(**kwargs)


def test_state_saves_and_loads_through_the_store():
    kernel = K.Variable(np.ones((3, 2), "float32"), name="kernel")
    bias = K.Variable(np.ones(2, "float32"), name="bias")
    opt = optimizers.Adafactor(0.1)
    opt.apply([np.full((3, 2), 0.5, "float32"), np.ones(2, "float32")], [kernel, bias])
    store: dict = {}
    opt.save_own_variables(store)
    other = optimizers.Adafactor(0.1)
    other.build([kernel, bias])
    other.load_own_variables(store)
    for mine, theirs in zip(opt.variables, other.variables, strict=True):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())

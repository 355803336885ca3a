"""Optimizers: first steps by hand, clipping, weight decay, configs, Keras 2 spellings."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import optimizers
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.optimizers.schedules import LearningRateSchedule

GRADS = [0.5, -1.5, 2.0]  # three steps on one scalar weight that starts at 1.0
ALL_NAMES = ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"]


def run_scalar(opt, grads=GRADS, start=1.0) -> list[float]:
    """Apply `grads` one per step to a scalar weight; return the weight after each step."""
    w = K.Variable(start)
    trajectory = []
    for g in grads:
        opt.apply_gradients([(np.float32(g), w)])
        assert w.dtype == np.float32
        trajectory.append(float(w.numpy()))
    return trajectory


# --- each optimizer's first steps, computed by hand in float64 -----------------------
def test_sgd_plain_by_hand():
    assert run_scalar(optimizers.SGD(learning_rate=0.1)) == pytest.approx([0.95, 1.1, 0.9])


def test_sgd_momentum_and_nesterov_by_hand():
    lr, mu = 0.1, 0.9
    w, v, plain, nesterov = 1.0, 0.0, [], []
    w_n = 1.0
    for g in GRADS:
        v = mu * v - lr * g
        w += v
        w_n += mu * v - lr * g
        plain.append(w)
        nesterov.append(w_n)
    assert run_scalar(optimizers.SGD(lr, momentum=mu)) == pytest.approx(plain, rel=1e-6)
    opt = optimizers.SGD(lr, momentum=mu, nesterov=True)
    assert run_scalar(opt) == pytest.approx(nesterov, rel=1e-6)


def test_rmsprop_by_hand():
    lr, rho, eps = 0.01, 0.9, 1e-7
    w, s, expected = 1.0, 0.0, []
    for g in GRADS:
        s = rho * s + (1 - rho) * g * g
        w -= lr * g / math.sqrt(s + eps)
        expected.append(w)
    assert run_scalar(optimizers.RMSprop(lr)) == pytest.approx(expected, rel=1e-6)


def test_rmsprop_centered_with_momentum_by_hand():
    lr, rho, mu, eps = 0.01, 0.9, 0.5, 1e-7
    w, s, g_mean, m, expected = 1.0, 0.0, 0.0, 0.0, []
    for g in GRADS:
        s = rho * s + (1 - rho) * g * g
        g_mean = rho * g_mean + (1 - rho) * g
        m = mu * m + lr * g / math.sqrt(s - g_mean**2 + eps)
        w -= m
        expected.append(w)
    opt = optimizers.RMSprop(lr, momentum=mu, centered=True)
    assert run_scalar(opt) == pytest.approx(expected, rel=1e-6)


def test_adagrad_by_hand():
    lr, eps = 0.1, 1e-7
    w, a, expected = 1.0, 0.1, []  # the accumulator starts at 0.1
    for g in GRADS:
        a += g * g
        w -= lr * g / math.sqrt(a + eps)
        expected.append(w)
    assert run_scalar(optimizers.Adagrad(lr)) == pytest.approx(expected, rel=1e-6)


def test_adadelta_by_hand():
    lr, rho, eps = 1.0, 0.95, 1e-7
    w, eg2, edw2, expected = 1.0, 0.0, 0.0, []
    for g in GRADS:
        eg2 = rho * eg2 + (1 - rho) * g * g
        dw = -math.sqrt(edw2 + eps) / math.sqrt(eg2 + eps) * g
        edw2 = rho * edw2 + (1 - rho) * dw * dw
        w += lr * dw
        expected.append(w)
    assert run_scalar(optimizers.Adadelta(lr)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_by_hand(amsgrad):
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-7
    w, m, v, v_max, expected = 1.0, 0.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        w -= alpha * m / (math.sqrt(v_max if amsgrad else v) + eps)
        expected.append(w)
    # A step with a smaller gradient shows amsgrad's max: v shrinks, v̂ does not.
    grads = [*GRADS]
    assert run_scalar(optimizers.Adam(lr, amsgrad=amsgrad), grads) == pytest.approx(
        expected, rel=1e-5
    )


def test_adam_first_step_is_learning_rate_times_sign():
    # With bias correction, Adam's first step is η·g/|g| (up to ε), whatever |g| is.
    assert run_scalar(optimizers.Adam(0.1), [123.0]) == pytest.approx([0.9], rel=1e-6)


def test_adamax_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-7
    w, m, u, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        u = max(b2 * u, abs(g))
        w -= lr * m / ((1 - b1**t) * (u + eps))
        expected.append(w)
    assert run_scalar(optimizers.Adamax(lr)) == pytest.approx(expected, rel=1e-5)


def test_nadam_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-7
    w, m, v, u_product, expected = 1.0, 0.0, 0.0, 1.0, []
    for t, g in enumerate(GRADS, start=1):
        u_t = b1 * (1 - 0.5 * 0.96**t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_product *= u_t
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = u_next * m / (1 - u_product * u_next) + (1 - u_t) * g / (1 - u_product)
        v_hat = v / (1 - b2**t)
        w -= lr * m_hat / (math.sqrt(v_hat) + eps)
        expected.append(w)
    opt = optimizers.Nadam(lr)
    assert run_scalar(opt) == pytest.approx(expected, rel=1e-5)
    assert float(opt.variables[-1].numpy()) == pytest.approx(u_product, rel=1e-6)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_float64_variables_stay_float64(name):
    opt = getattr(optimizers, name)(learning_rate=0.1)
    w = K.Variable(np.array([1.0, 2.0]), dtype="float64")
    opt.apply_gradients([(np.array([0.5, -0.5], dtype="float32"), w)])
    assert w.dtype == np.float64
    assert all(v.dtype == np.float64 for v in opt.variables[2:])


# --- clipping ----------------------------------------------------------------------------
def test_clip_functions():
    g = np.array([3.0, 4.0], dtype="float32")
    np.testing.assert_allclose(optimizers.clip_by_norm(g, 1.0), [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(optimizers.clip_by_norm(g, 10.0), g, rtol=1e-6)
    assert optimizers.clip_by_norm(g, 1.0).dtype == np.float32
    a, b = np.array([3.0], "float32"), np.array([[4.0]], "float32")
    assert float(optimizers.global_norm([a, b])) == pytest.approx(5.0)
    clipped = optimizers.clip_by_global_norm([a, b], 1.0)
    np.testing.assert_allclose(clipped[0], [0.6], rtol=1e-6)
    np.testing.assert_allclose(clipped[1], [[0.8]], rtol=1e-6)
    zeros = optimizers.clip_by_global_norm([np.zeros(2, "float32")], 1.0)  # no 0/0
    np.testing.assert_array_equal(zeros[0], [0.0, 0.0])
    assert np.isnan(optimizers.clip_by_global_norm([np.array([np.inf], "float32")], 1.0)[0][0])


def _one_sgd_step(**kwargs):
    """SGD with η = 1 on two variables; returns the steps taken (= the clipped gradients)."""
    a, b = K.Variable(np.zeros(2)), K.Variable(np.zeros(1))
    grads = [np.array([3.0, 4.0]), np.array([12.0])]
    optimizers.SGD(learning_rate=1.0, **kwargs).apply(grads, [a, b])
    return -a.numpy(), -b.numpy()


def test_clipnorm_clips_each_gradient_alone():
    a, b = _one_sgd_step(clipnorm=1.0)
    np.testing.assert_allclose(a, [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(b, [1.0], rtol=1e-6)


def test_global_clipnorm_clips_all_gradients_together():
    a, b = _one_sgd_step(global_clipnorm=1.0)  # global norm is √(9 + 16 + 144) = 13
    np.testing.assert_allclose(a, [3 / 13, 4 / 13], rtol=1e-6)
    np.testing.assert_allclose(b, [12 / 13], rtol=1e-6)


def test_clipvalue_clips_each_element():
    a, b = _one_sgd_step(clipvalue=3.5)
    np.testing.assert_allclose(a, [3.0, 3.5])
    np.testing.assert_allclose(b, [3.5])


def test_only_one_clipping_argument():
    with pytest.raises(ValueError, match="only one of `clipnorm`"):
        optimizers.Adam(clipnorm=1.0, clipvalue=1.0)


# --- weight decay ----------------------------------------------------------------------
def test_weight_decay_is_decoupled_and_excludable():
    kernel, bias = K.Variable([2.0], name="kernel"), K.Variable([2.0], name="bias")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply([np.zeros(1), np.zeros(1)], [kernel, bias])
    assert float(kernel.numpy()[0]) == pytest.approx(2.0 - 2.0 * 0.5 * 0.1)
    assert float(bias.numpy()[0]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


def test_weight_decay_exclusion_by_variable():
    a, b = K.Variable([1.0]), K.Variable([1.0])
    opt = optimizers.SGD(learning_rate=1.0, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_list=[b])
    opt.apply([np.zeros(1), np.zeros(1)], [a, b])
    assert a.numpy()[0] == pytest.approx(0.9) and b.numpy()[0] == 1.0


# --- None gradients, constraints, bookkeeping ---------------------------------------
def test_none_gradients_are_skipped_with_a_warning():
    a = K.Variable([1.0], name="kernel", path="dense/kernel")
    b = K.Variable([1.0], name="bias", path="dense/bias")
    opt = optimizers.SGD(learning_rate=1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['dense/bias'\]"):
        opt.apply_gradients([(np.ones(1), a), (None, b)])
    assert a.numpy()[0] == 0.0 and b.numpy()[0] == 1.0
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply_gradients([(None, a), (None, b)])


def test_constraints_are_applied_after_the_update():
    clipped = K.Variable([0.5, 0.5], constraint=lambda w: K.clip(w, 0.0, 1.0))
    numpy_constraint = K.Variable([0.5], constraint=lambda w: np.abs(K.as_array(w)))
    optimizers.SGD(learning_rate=1.0).apply(
        [np.array([-2.0, 2.0]), np.array([1.0])], [clipped, numpy_constraint]
    )
    np.testing.assert_array_equal(clipped.numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(numpy_constraint.numpy(), [0.5])


def test_gradients_may_be_tensors():
    w = K.Variable([1.0, 2.0])
    loss = K.sum(K.square(w))
    (grad,) = K.gradients(loss, [w])
    optimizers.SGD(learning_rate=0.25).apply_gradients([(grad, w)])
    np.testing.assert_allclose(w.numpy(), [0.5, 1.0])


def test_iterations_counts_steps():
    opt = optimizers.Adam()
    assert opt.iterations.dtype == np.int64 and not opt.iterations.trainable
    run_scalar(opt)
    assert int(opt.iterations.numpy()) == len(GRADS)


def _weights(n):
    return [K.Variable(np.zeros((i + 1,))) for i in range(n)]


@pytest.mark.parametrize(
    "make, per_weight, extra",
    [
        (lambda: optimizers.SGD(), 0, 0),
        (lambda: optimizers.SGD(momentum=0.9), 1, 0),
        (lambda: optimizers.RMSprop(), 1, 0),
        (lambda: optimizers.RMSprop(momentum=0.5, centered=True), 3, 0),
        (lambda: optimizers.Adagrad(), 1, 0),
        (lambda: optimizers.Adadelta(), 2, 0),
        (lambda: optimizers.Adam(), 2, 0),
        (lambda: optimizers.Adam(amsgrad=True), 3, 0),
        (lambda: optimizers.Adamax(), 2, 0),
        (lambda: optimizers.Nadam(), 2, 1),  # + u_product
    ],
)
def test_variable_counts_as_keras(make, per_weight, extra):
    opt = make()
    opt.build(_weights(23))
    assert len(opt.variables) == 2 + per_weight * 23 + extra  # iterations, learning_rate, slots


def test_adam_on_23_weights_has_48_variables_in_keras_order():
    opt = optimizers.Adam()
    weights = _weights(23)
    opt.build(weights)
    assert len(opt.variables) == 48
    assert opt.variables[0] is opt.iterations and opt.variables[1] is opt.learning_rate
    assert opt.variables[2].shape == (1,) and opt.variables[3].shape == (1,)  # w0: m, v
    assert opt.variables[4].shape == (2,)  # then w1's momentum


def test_apply_errors():
    w = K.Variable([1.0, 2.0], path="dense/kernel")
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([np.ones(2)])
    with pytest.raises(ValueError, match=r"'dense/kernel' has shape \(3,\)"):
        opt.apply([np.ones(3)], [w])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        optimizers.SGD().apply([np.ones(2), np.ones(2)], [w])
    with pytest.raises(ValueError, match="create a new optimizer"):
        opt.apply([np.ones(1)], [K.Variable([0.0])])
    with pytest.raises(TypeError, match="expected Variables"):
        optimizers.SGD().apply([np.ones(2)], [np.ones(2)])
    with pytest.raises(TypeError, match=r"\(gradient, variable\) pairs"):
        optimizers.SGD().apply_gradients([np.ones(2)])
    opt.apply([np.ones(2)])  # built now: the variables may be left out
    np.testing.assert_allclose(w.numpy(), [0.99, 1.99])


# --- the learning rate ---------------------------------------------------------------
def test_learning_rate_setter_assigns_the_variable():
    opt = optimizers.SGD(learning_rate=0.1)
    lr_variable = opt.learning_rate
    opt.learning_rate = 0.5
    assert opt.learning_rate is lr_variable
    assert opt.learning_rate.dtype == np.float32
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.5)
    w = K.Variable(1.0)
    opt.apply_gradients([(1.0, w)])
    assert float(w.numpy()) == pytest.approx(0.5)
    K.set_value(opt.learning_rate, 0.25)  # the Keras 2 way still works
    opt.apply_gradients([(1.0, w)])
    assert float(w.numpy()) == pytest.approx(0.25)


class HalvingSchedule(LearningRateSchedule):
    def __init__(self, initial_learning_rate):
        self.initial_learning_rate = initial_learning_rate

    def __call__(self, step):
        return self.initial_learning_rate * 0.5**step

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate}


def test_schedule_learning_rate():
    opt = optimizers.SGD(learning_rate=HalvingSchedule(1.0))
    assert len(opt.variables) == 1  # only iterations: a schedule has no variable
    assert float(opt.learning_rate) == 1.0
    assert run_scalar(opt, [1.0, 1.0, 1.0]) == pytest.approx([0.0, -0.5, -0.75])
    assert float(opt.learning_rate) == pytest.approx(0.125)
    assert opt.learning_rate.dtype == np.float32
    with pytest.raises(TypeError, match="cannot be set to a number"):
        opt.learning_rate = 0.1
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "HalvingSchedule"
    clone = optimizers.SGD.from_config(config, custom_objects={"HalvingSchedule": HalvingSchedule})
    assert isinstance(clone._learning_rate, HalvingSchedule)


def test_setting_a_schedule_drops_the_learning_rate_variable():
    opt = optimizers.Adam(learning_rate=0.1)
    opt.learning_rate = HalvingSchedule(0.2)
    assert len(opt.variables) == 1 and float(opt.learning_rate) == pytest.approx(0.2)


def test_plain_callables_as_learning_rate():
    assert run_scalar(optimizers.SGD(learning_rate=lambda: 0.5), [1.0]) == [0.5]
    opt = optimizers.SGD(learning_rate=lambda step: 1.0 / (step + 1))
    assert run_scalar(opt, [1.0, 1.0]) == pytest.approx([0.0, -0.5])


def test_bad_learning_rate():
    with pytest.raises(ValueError, match="learning_rate='fast'"):
        optimizers.Adam(learning_rate="fast")


def test_schedule_base_class_asks_to_be_overridden():
    with pytest.raises(NotImplementedError, match="__call__"):
        LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        LearningRateSchedule().get_config()
    config = optimizers.schedules.serialize(HalvingSchedule(0.3))
    restored = optimizers.schedules.deserialize(config, {"HalvingSchedule": HalvingSchedule})
    assert restored.initial_learning_rate == 0.3


# --- Keras 2 spellings ----------------------------------------------------------------
def _legacy_warnings(record):
    return [w for w in record if issubclass(w.category, KerasLegacyWarning)]


def test_lr_is_accepted_and_warns_once():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        opt = optimizers.Adam(lr=0.1)
        optimizers.Adam(lr=0.2)
    legacy = _legacy_warnings(record)
    assert len(legacy) == 1 and "learning_rate=" in str(legacy[0].message)
    assert legacy[0].filename == __file__  # points at the user's line
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.1)
    with pytest.warns(KerasLegacyWarning, match="optimizer.learning_rate") as record:
        assert opt.lr is opt.learning_rate
        opt.lr = 0.3
    assert len(record) == 1 and record[0].filename == __file__
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.3)


def test_decay_behaves_as_keras_2_and_warns_once():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        opt = optimizers.SGD(lr=1.0, decay=0.5)
        optimizers.SGD(learning_rate=1.0, decay=0.5)
    messages = [str(w.message) for w in _legacy_warnings(record)]
    assert all(w.filename == __file__ for w in _legacy_warnings(record))
    assert len(messages) == 2  # one for lr=, one for decay=
    assert sum("InverseTimeDecay" in m for m in messages) == 1
    # η_t = η / (1 + decay·t), with t the number of steps already taken.
    assert run_scalar(opt, [1.0, 1.0, 1.0]) == pytest.approx([0.0, -1 / 1.5, -1 / 1.5 - 0.5])
    assert float(opt.learning_rate.numpy()) == 1.0  # the variable keeps the base rate
    clone = optimizers.SGD.from_config(opt.get_config())
    assert clone.decay == 0.5


def test_epsilon_none_means_the_default():
    with pytest.warns(KerasLegacyWarning, match="epsilon=1e-07") as record:
        opt = optimizers.Adam(epsilon=None)
    assert record[0].filename == __file__
    assert opt.epsilon == K.epsilon()


# --- configs, get, errors --------------------------------------------------------------
@pytest.mark.parametrize("name", ALL_NAMES)
def test_config_round_trip(name):
    cls = getattr(optimizers, name)
    opt = cls(learning_rate=0.25, clipnorm=2.0, weight_decay=0.01, name="mine")
    config = opt.get_config()
    assert config["learning_rate"] == pytest.approx(0.25)
    assert config["name"] == "mine" and config["clipnorm"] == 2.0
    assert cls.from_config(config).get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is cls and restored.get_config() == config


def test_get():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("Adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("sgd"), optimizers.SGD)
    opt = optimizers.Nadam()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    from_dict = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5}})
    assert float(from_dict.learning_rate.numpy()) == 0.5
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'\. Did you mean 'adam'\?"):
        optimizers.get("adamm")


def test_default_names_are_unique_snake_case():
    assert optimizers.Adam().name == "adam"
    assert optimizers.Adam().name == "adam_1"
    assert optimizers.RMSprop().name == "rm_sprop"  # Keras's own snake case of "RMSprop"
    assert optimizers.Adam().iterations.path == "adam_2/iteration"


def test_unknown_arguments_are_named():
    with pytest.raises(ValueError, match=r"'beta1' \(did you mean 'beta_1'\?\)"):
        optimizers.Adam(beta1=0.9)
    with pytest.raises(ValueError, match="'momentum'"):
        optimizers.Adam(momentum=0.9)


@pytest.mark.parametrize(
    "kwargs",
    [{"use_ema": True}, {"loss_scale_factor": 128.0}, {"gradient_accumulation_steps": 4}],
)
def test_unsupported_features_raise(kwargs):
    with pytest.raises(NotImplementedError, match=next(iter(kwargs))):
        optimizers.Adam(**kwargs)


def test_sgd_momentum_must_be_in_range():
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum="high")


def test_weights_save_and_load():
    w = K.Variable([1.0, 2.0])
    opt = optimizers.Adam(0.1)
    opt.apply_gradients([(np.array([1.0, -1.0]), w)])
    store: dict = {}
    opt.save_own_variables(store)
    other = optimizers.Adam(0.1)
    other.build([K.Variable([0.0, 0.0])])
    other.load_own_variables(store)
    for mine, theirs in zip(opt.variables, other.variables, strict=True):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    fresh = optimizers.Adam()
    fresh.build([K.Variable([0.0, 0.0])])
    fresh.set_weights([v.numpy() for v in opt.variables])
    assert int(fresh.iterations.numpy()) == 1
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)


class SignSGD(optimizers.Optimizer):
    """A learner's own optimizer, written the Keras way: w ← w − η·sign(g + 0.5·m)."""

    def __init__(self, learning_rate=0.1, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.memories = [self.add_variable_from_reference(v, "memory") for v in var_list]
        self.ones = self.add_variable((2,), initializer="ones", name="ones")
        self.drawn = self.add_variable((2,), initializer=lambda shape, dtype: np.full(shape, 7.0))

    def update_step(self, gradient, variable, learning_rate):
        m = self.memories[self._get_variable_index(variable)]
        self.assign_sub(variable, learning_rate * np.sign(gradient + 0.5 * m.value))
        self.assign(m, gradient)
        self.assign_add(self.ones, np.ones(2))


def test_a_custom_optimizer_subclass():
    w = K.Variable([1.0, 1.0], path="dense/kernel")
    opt = SignSGD()
    assert opt.name == "sign_sgd"
    opt.apply_gradients([(np.array([1.0, -1.0]), w)])
    opt.apply_gradients([(np.array([-0.1, 0.1]), w)])  # the memory outweighs the gradient
    np.testing.assert_allclose(w.numpy(), [0.8, 1.2], rtol=1e-6)
    assert [v.path for v in opt.variables][2] == "sign_sgd/dense_kernel_memory"
    np.testing.assert_array_equal(opt.ones.numpy(), [3.0, 3.0])
    np.testing.assert_array_equal(opt.drawn.numpy(), [7.0, 7.0])
    assert opt.drawn.path == "sign_sgd/variable"
    assert opt.scale_loss(2.5) == 2.5  # no loss scaling here
    opt.finalize_variable_values([w])  # nothing to do without EMA
    np.testing.assert_allclose(w.numpy(), [0.8, 1.2], rtol=1e-6)


def test_the_base_class_asks_for_update_step():
    class Lazy(optimizers.Optimizer):
        pass

    with pytest.raises(NotImplementedError, match="update_step"):
        Lazy(learning_rate=0.1).apply([np.ones(1)], [K.Variable([1.0])])

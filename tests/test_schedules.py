"""Learning-rate schedules: Keras 3 formulas, configs, and use as an optimizer's learning rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from teachkeras import Input, Sequential
from teachkeras.layers import Dense
from teachkeras.optimizers import SGD, Adam, schedules
from teachkeras.optimizers.schedules import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

STEPS = np.arange(0, 120)


def check(schedule, expected) -> None:
    """Scalar calls and one vectorised call agree with the float64 formula (to float32)."""
    values = np.array([schedule(int(t)) for t in STEPS])
    assert values.dtype == np.float32 and schedule(np.int64(3)).shape == ()
    np.testing.assert_allclose(values, expected, rtol=2e-6, atol=1e-8)
    np.testing.assert_allclose(schedule(STEPS), values, rtol=1e-6, atol=1e-9)


def test_exponential_decay():
    check(ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9), 0.1 * 0.9 ** (STEPS / 10))
    check(
        ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9, staircase=True),
        0.1 * 0.9 ** np.floor(STEPS / 10),
    )


def test_inverse_time_decay():
    check(InverseTimeDecay(0.1, decay_steps=5, decay_rate=0.5), 0.1 / (1 + 0.5 * STEPS / 5))
    check(
        InverseTimeDecay(0.1, decay_steps=5, decay_rate=0.5, staircase=True),
        0.1 / (1 + 0.5 * np.floor(STEPS / 5)),
    )


def test_piecewise_constant_decay_boundaries_belong_to_the_left_interval():
    schedule = PiecewiseConstantDecay([10, 50], [1.0, 0.5, 0.1])
    expected = np.where(STEPS <= 10, 1.0, np.where(STEPS <= 50, 0.5, 0.1))
    check(schedule, expected)
    assert float(schedule(10)) == 1.0 and float(schedule(11)) == 0.5
    # With an integer step, a float boundary is truncated to an integer (as in Keras).
    assert float(PiecewiseConstantDecay([10.5], [1.0, 0.5])(10)) == 1.0
    assert float(PiecewiseConstantDecay([10.5], [1.0, 0.5])(10.25)) == 1.0


def test_polynomial_decay_with_and_without_cycle():
    t = np.minimum(STEPS, 40)
    check(
        PolynomialDecay(0.1, decay_steps=40, end_learning_rate=0.01, power=0.5),
        0.09 * (1 - t / 40) ** 0.5 + 0.01,
    )
    period = 40 * np.maximum(np.ceil(STEPS / 40), 1)
    check(
        PolynomialDecay(0.1, decay_steps=40, power=2.0, cycle=True),
        (0.1 - 0.0001) * (1 - STEPS / period) ** 2 + 0.0001,
    )


def test_cosine_decay_and_warmup():
    t = np.minimum(STEPS, 100)
    check(CosineDecay(0.1, decay_steps=100), 0.1 * 0.5 * (1 + np.cos(np.pi * t / 100)))
    check(
        CosineDecay(0.1, decay_steps=100, alpha=0.2),
        0.1 * (0.8 * 0.5 * (1 + np.cos(np.pi * t / 100)) + 0.2),
    )
    warm = CosineDecay(0.0, decay_steps=80, warmup_target=0.2, warmup_steps=20, alpha=0.1)
    t = np.minimum(STEPS, 100)
    decay = 0.2 * (0.9 * 0.5 * (1 + np.cos(np.pi * (t - 20) / 80)) + 0.1)
    check(warm, np.where(t < 20, 0.2 * t / 20, decay))
    assert float(warm(20)) == pytest.approx(0.2) and float(warm(1000)) == pytest.approx(0.02)
    # warmup_steps=0 with a target: straight into the decay from the target.
    check(
        CosineDecay(0.5, decay_steps=100, warmup_target=0.2),
        0.2 * 0.5 * (1 + np.cos(np.pi * np.minimum(STEPS, 100) / 100)),
    )


def test_cosine_decay_restarts():
    # t_mul = 1: every period has the same length; m_mul shrinks each restart.
    i = np.floor(STEPS / 30)
    f = STEPS / 30 - i
    check(
        CosineDecayRestarts(0.1, first_decay_steps=30, t_mul=1.0, m_mul=0.5, alpha=0.1),
        0.1 * (0.9 * 0.5**i * 0.5 * (1 + np.cos(np.pi * f)) + 0.1),
    )
    # t_mul = 2: periods of 10, 20, 40, 80 steps starting at 0, 10, 30, 70.
    starts, lengths = np.array([0, 10, 30, 70]), np.array([10, 20, 40, 80])
    k = np.searchsorted(starts, STEPS, side="right") - 1
    f = (STEPS - starts[k]) / lengths[k]
    schedule = CosineDecayRestarts(0.1, first_decay_steps=10)
    check(schedule, 0.1 * 0.5 * (1 + np.cos(np.pi * f)))
    assert float(schedule(10)) == pytest.approx(0.1)  # a restart jumps back up


def test_configs_round_trip_and_serialize():
    built_ins = [
        ExponentialDecay(0.1, 10, 0.9, staircase=True),
        PiecewiseConstantDecay([10, 20], [0.3, 0.2, 0.1]),
        PolynomialDecay(0.1, 40, cycle=True),
        InverseTimeDecay(0.1, 5, 0.5),
        CosineDecay(0.0, 80, warmup_target=0.2, warmup_steps=20),
        CosineDecayRestarts(0.1, 10, t_mul=1.5, m_mul=0.9),
    ]
    for schedule in built_ins:
        config = schedule.get_config()
        again = type(schedule).from_config(config)
        assert again.get_config() == config
        np.testing.assert_array_equal(again(STEPS), schedule(STEPS))
        restored = schedules.deserialize(schedules.serialize(schedule))
        assert type(restored) is type(schedule) and restored.get_config() == config
    assert schedules.serialize(built_ins[0])["class_name"] == "ExponentialDecay"
    assert set(CosineDecayRestarts(0.1, 10).get_config()) == {
        "initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name",
    }  # fmt: skip
    assert repr(InverseTimeDecay(0.1, 5, 0.5)).startswith(
        "InverseTimeDecay(initial_learning_rate=0.1, decay_steps=5"
    )


def test_bad_arguments_are_explained():
    for cls in (ExponentialDecay, InverseTimeDecay):
        with pytest.raises(
            ValueError, match=r"`decay_steps` must be > 0\. Received: decay_steps=0"
        ):
            cls(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="decay_steps"):
        PolynomialDecay(0.1, -1)
    with pytest.raises(ValueError, match="decay_steps"):
        CosineDecay(0.1, 0)
    with pytest.raises(ValueError, match="first_decay_steps"):
        CosineDecayRestarts(0.1, 0)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="strictly increasing"):
        PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1])


def test_schedule_drives_the_optimizer_step_by_step():
    schedule = ExponentialDecay(0.5, decay_steps=1, decay_rate=0.5)
    opt = SGD(learning_rate=schedule)
    from teachkeras import backend as K

    w = K.Variable(np.zeros(1, "float32"))
    moves = []
    for _ in range(4):
        assert float(opt.learning_rate) == pytest.approx(0.5 * 0.5 ** int(opt.iterations.numpy()))
        before = w.numpy().copy()
        opt.apply([np.ones(1, "float32")], [w])
        moves.append(float((before - w.numpy())[0]))
    # The step-t update uses schedule(t), t counted before the update (0, 1, 2, ...).
    np.testing.assert_allclose(moves, [0.5, 0.25, 0.125, 0.0625], rtol=1e-6)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    again = SGD.from_config(config)
    assert isinstance(again._learning_rate, ExponentialDecay)


def test_schedule_as_learning_rate_in_fit():
    x = np.linspace(-1, 1, 32, dtype="float32")[:, None]
    model = Sequential([Input((1,)), Dense(1)])
    schedule = CosineDecay(0.1, decay_steps=16, warmup_target=0.2, warmup_steps=4)
    model.compile(optimizer=Adam(learning_rate=schedule), loss="mse")
    history = model.fit(x, 3 * x, batch_size=8, epochs=5, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 20
    assert float(model.optimizer.learning_rate) == pytest.approx(float(schedule(20)))
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_schedule_subclass_still_works():
    class Halving(LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return self.rate * 0.5**step

        def get_config(self):
            return {"rate": self.rate}

    assert repr(Halving(0.2)) == "Halving(rate=0.2)"
    assert float(SGD(learning_rate=Halving(0.2)).learning_rate) == pytest.approx(0.2)
    assert math.isclose(float(Halving(0.2)(2)), 0.05)

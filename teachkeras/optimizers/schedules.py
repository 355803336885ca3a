"""Learning-rate schedules: a learning rate that changes with the training step.

An optimizer accepts, instead of a float, any object whose `__call__(step)` returns
the learning rate to use at `step` (the optimizer's `iterations` before the update):

    schedule = MySchedule(...)            # a LearningRateSchedule subclass
    opt = SGD(learning_rate=schedule)     # opt.learning_rate == schedule(opt.iterations)

This file holds the base class, the built-in schedules of Keras 3 and the
(de)serialisation that `Optimizer.get_config` uses. With `t` the step:

    ExponentialDecay        η₀ · rate^(t / T)                      (staircase: ⌊t / T⌋)
    InverseTimeDecay        η₀ / (1 + rate · t / T)                (staircase: ⌊t / T⌋)
    PiecewiseConstantDecay  values[i] for boundaries[i-1] < t ≤ boundaries[i]
    PolynomialDecay         (η₀ − η_end) · (1 − min(t, T) / T)^power + η_end
    CosineDecay             η₀ · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α), after an
                            optional linear warm-up from η₀ to `warmup_target`
    CosineDecayRestarts     the same cosine, restarted after T, T·t_mul, T·t_mul², ... steps

As in Keras, every value is computed in `floatx()` (float32). A schedule also accepts an
array of steps and returns the array of rates, which is handy for plotting it:

    >>> steps = np.arange(1000)
    >>> plt.plot(steps, CosineDecay(0.1, decay_steps=1000)(steps))
"""

from __future__ import annotations

import math

import numpy as np

from ..backend import config
from ..backend.tensor import as_array
from ..serialization import registry
from ..serialization.keras_objects import class_config


class LearningRateSchedule:
    """Base class of every learning-rate schedule.

    Override `__call__(step)` (and `get_config` if it should be saved). Example:

        >>> class OneOverT(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1)
        ...     def get_config(self):
        ...         return {"initial_learning_rate": self.initial_learning_rate}
        >>> opt = SGD(learning_rate=OneOverT(0.1))
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """The inverse of `get_config`: `cls(**config)`."""
        return cls(**config)

    def __repr__(self) -> str:
        try:
            arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            arguments = ""
        return f"{type(self).__name__}({arguments})"


def _floats(value) -> np.ndarray:
    """A number (or the optimizer's step variable) as an array of `floatx()`, as Keras casts it."""
    return np.asarray(as_array(value), dtype=config.floatx())


def _check_positive_steps(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(LearningRateSchedule):
    """The learning rate multiplied by `decay_rate` every `decay_steps` steps.

    Formula: `lr(t) = initial_learning_rate * decay_rate ** (t / decay_steps)`,
    with `t / decay_steps` rounded down when `staircase=True` (a staircase, not a slope).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps over which the rate is multiplied by `decay_rate`; > 0.
        decay_rate: the factor per `decay_steps` steps, e.g. 0.96.
        staircase: decay at discrete intervals instead of continuously.
        name: a name for the schedule.

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=100000, decay_rate=0.96, staircase=True)
        >>> model.compile(optimizer=SGD(learning_rate=schedule), loss="mse")
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ) -> None:
        super().__init__()
        _check_positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step) -> np.ndarray:
        p = _floats(step) / _floats(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _floats(self.initial_learning_rate) * np.power(_floats(self.decay_rate), p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate on each interval between boundaries.

    Formula: `lr(t) = values[0]` for `t <= boundaries[0]`, `values[i]` for
    `boundaries[i-1] < t <= boundaries[i]`, and `values[-1]` for `t > boundaries[-1]`.

    Args:
        boundaries: strictly increasing step numbers (compared in the step's dtype, so
            with the optimizer's integer step a boundary 100.5 acts as 100, as in Keras).
        values: the rates, one more than `boundaries`.
        name: a name for the schedule.

    Example:
        >>> schedule = PiecewiseConstantDecay([100000, 110000], [1.0, 0.5, 0.1])
    """

    def __init__(self, boundaries, values, name: str = "PiecewiseConstant") -> None:
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        if np.any(np.diff(np.asarray(boundaries, dtype=float)) <= 0):
            raise ValueError(
                "PiecewiseConstantDecay: `boundaries` must be strictly increasing. "
                f"Received: boundaries={boundaries}"
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step) -> np.ndarray:
        step = np.asarray(as_array(step))
        boundaries = np.asarray(self.boundaries).astype(step.dtype)
        values = _floats(self.values)
        # The interval index: how many boundaries lie strictly below the step.
        index = np.searchsorted(boundaries, step, side="left")
        return values[index]

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From `initial_learning_rate` down to `end_learning_rate` along a polynomial.

    Formula: `lr(t) = (lr0 - lr_end) * (1 - min(t, T) / T) ** power + lr_end`, T = `decay_steps`.
    With `cycle=True`, T becomes the first multiple of `decay_steps` ≥ t, so the rate
    climbs back and decays again (each cycle longer than the last).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps to reach `end_learning_rate`; > 0.
        end_learning_rate: the final rate. Defaults to 0.0001.
        power: the polynomial's power; 1.0 (default) is a straight line.
        cycle: restart after `decay_steps` instead of staying at `end_learning_rate`.
        name: a name for the schedule.

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10000, end_learning_rate=0.01, power=0.5)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ) -> None:
        super().__init__()
        _check_positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step) -> np.ndarray:
        lr0, lr_end = _floats(self.initial_learning_rate), _floats(self.end_learning_rate)
        t, decay_steps = _floats(step), _floats(self.decay_steps)
        if self.cycle:
            # The first multiple of decay_steps at or after t (one period at t = 0).
            multiplier = np.where(t == 0, _floats(1.0), np.ceil(t / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            t = np.minimum(t, decay_steps)
        p = t / decay_steps
        return (lr0 - lr_end) * np.power(_floats(1.0) - p, _floats(self.power)) + lr_end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """The rate divided by a denominator that grows linearly with the step (1/t decay).

    Formula: `lr(t) = initial_learning_rate / (1 + decay_rate * t / decay_steps)`,
    with `t / decay_steps` rounded down when `staircase=True`. Keras 2's
    `SGD(lr=η, decay=d)` is `InverseTimeDecay(η, decay_steps=1, decay_rate=d)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how often to apply the decay; > 0.
        decay_rate: the decay rate.
        staircase: decay at discrete intervals instead of continuously.
        name: a name for the schedule.

    Example:
        >>> schedule = InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ) -> None:
        super().__init__()
        _check_positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step) -> np.ndarray:
        p = _floats(step) / _floats(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _floats(self.initial_learning_rate) / (_floats(1.0) + _floats(self.decay_rate) * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def _cosine_decay(fraction: np.ndarray, alpha) -> np.ndarray:
    """`(1 - α) · ½(1 + cos(π · fraction)) + α`: from 1 at fraction 0 down to α at fraction 1."""
    cosine = _floats(0.5) * (_floats(1.0) + np.cos(_floats(math.pi) * fraction))
    return _floats(1 - alpha) * cosine + _floats(alpha)


class CosineDecay(LearningRateSchedule):
    """Half a cosine wave from the rate down to `alpha` times it, after an optional warm-up.

    Formula (no warm-up): `lr(t) = lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, T) / T)) + alpha)`.
    With `warmup_target`, the rate first climbs linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps` steps, then decays from `warmup_target` as above
    (T = `decay_steps` steps after the warm-up). See Loshchilov & Hutter, SGDR (2016)
    and, for the warm-up, Goyal et al. (2017).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps of the cosine decay; > 0.
        alpha: the final rate as a fraction of the decay's starting rate. Defaults to 0.
        name: a name for the schedule.
        warmup_target: the rate the warm-up climbs to; None (default) means no warm-up.
        warmup_steps: the number of warm-up steps. Defaults to 0.

    Example:
        >>> schedule = CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=100)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ) -> None:
        super().__init__()
        _check_positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def __call__(self, step) -> np.ndarray:
        lr0, t, decay_steps = (
            _floats(self.initial_learning_rate),
            _floats(step),
            _floats(self.decay_steps),
        )
        if self.warmup_target is None:
            t = np.minimum(t, decay_steps)
            return lr0 * _cosine_decay(t / decay_steps, self.alpha)
        target, warmup_steps = _floats(self.warmup_target), _floats(self.warmup_steps)
        t = np.minimum(t, decay_steps + warmup_steps)
        with np.errstate(divide="ignore", invalid="ignore"):  # warmup_steps = 0: branch unused
            warming = (target - lr0) * (t / warmup_steps) + lr0
        decaying = target * _cosine_decay((t - warmup_steps) / decay_steps, self.alpha)
        return np.where(t < warmup_steps, warming, decaying)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay that jumps back up ("warm restarts", SGDR) at the end of each period.

    The first period lasts `first_decay_steps` steps; each next one lasts `t_mul` times
    longer and starts from `m_mul` times the previous starting rate. Within a period,
    with `f` the fraction of it completed and `i` the number of restarts so far:

    Formula: `lr(t) = lr0 * ((1 - alpha) * m_mul**i * 0.5 * (1 + cos(pi * f)) + alpha)`.

    Since period k lasts T·t_mul^k, restart i begins at T·(1 − t_mul^i)/(1 − t_mul), so
    `i = floor(log(1 − (t/T)(1 − t_mul)) / log(t_mul))` (or `floor(t/T)` when t_mul = 1).

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the length of the first period; > 0.
        t_mul: how much longer each period is than the previous. Defaults to 2.0.
        m_mul: how much lower each period starts than the previous. Defaults to 1.0.
        alpha: the lowest rate as a fraction of `initial_learning_rate`. Defaults to 0.
        name: a name for the schedule.

    Example:
        >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=1000)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ) -> None:
        super().__init__()
        _check_positive_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step) -> np.ndarray:
        lr0, alpha = _floats(self.initial_learning_rate), _floats(self.alpha)
        t_mul, m_mul = _floats(self._t_mul), _floats(self._m_mul)
        one = _floats(1.0)
        fraction = _floats(step) / _floats(self.first_decay_steps)  # in units of the 1st period
        if self._t_mul == 1.0:
            i_restart = np.floor(fraction)
            fraction = fraction - i_restart
        else:
            i_restart = np.floor(np.log(one - fraction * (one - t_mul)) / np.log(t_mul))
            steps_before = (one - np.power(t_mul, i_restart)) / (one - t_mul)
            fraction = (fraction - steps_before) / np.power(t_mul, i_restart)
        cosine = (
            _floats(0.5) * np.power(m_mul, i_restart) * (one + np.cos(_floats(math.pi) * fraction))
        )
        return lr0 * ((one - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


def _built_in_schedules() -> dict[str, type]:
    """Every schedule class defined in teachkeras, by class name (found by subclassing)."""
    found: dict[str, type] = {}
    pending = [LearningRateSchedule]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("teachkeras."):
            found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """The schedule as a Keras config dict (keys module, class_name, config, registered_name)."""
    return class_config(learning_rate_schedule, "keras.optimizers.schedules")


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from what `serialize` returned (or a `{'class_name', 'config'}` dict)."""
    return registry.resolve(
        config, _built_in_schedules(), "learning rate schedule", custom_objects=custom_objects
    )

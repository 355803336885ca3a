"""Learning-rate schedules: a learning rate that changes with the training step.

An optimizer accepts, instead of a float, any object whose `__call__(step)` returns
the learning rate to use at `step` (the optimizer's `iterations` before the update):

    schedule = MySchedule(...)            # a LearningRateSchedule subclass
    opt = SGD(learning_rate=schedule)     # opt.learning_rate == schedule(opt.iterations)

This file holds the base class and the (de)serialisation that `Optimizer.get_config`
uses. The built-in schedules (ExponentialDecay, InverseTimeDecay, ...) subclass it.
"""

from __future__ import annotations

from ..saving import registry


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
    cls = type(learning_rate_schedule)
    return {
        "module": "keras.optimizers.schedules",
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": getattr(cls, "_registered_name", None),
    }


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from what `serialize` returned (or a `{'class_name', 'config'}` dict)."""
    return registry.resolve(
        config, _built_in_schedules(), "learning rate schedule", custom_objects=custom_objects
    )

"""`Metric`: a number reported during training, accumulated over many batches.

A loss is computed afresh on every batch; a metric keeps running totals in state
variables so that, at the end of an epoch, `result()` is the value over every
sample seen, not just the last batch:

    m = Mean()
    m.update_state([1, 2])      # total = 3, count = 2
    m.update_state([6])         # total = 9, count = 3
    float(m.result())           # 3.0
    m.reset_state()             # back to zero for the next epoch

State lives in non-trainable `K.Variable`s created with `add_variable`, and
updates run under `no_grad()`: metrics are watched, never differentiated.
"""

from __future__ import annotations

import numpy as np

from .. import legacy
from ..backend import config
from ..backend.naming import to_snake_case, unique_name
from ..backend.tensor import Tensor, as_array, no_grad
from ..backend.variables import Variable


class Metric:
    """Base class of all metrics.

    Subclasses create their state in `__init__` with `self.add_variable(...)`,
    change it in `update_state(...)` and compute the value in `result()`.

    Args:
        name: name of the metric (the key in `History.history`).
        dtype: float type of the state and the result (default `keras.config.floatx()`).

    Example:
        >>> class Count(Metric):
        ...     def __init__(self, name="count", **kwargs):
        ...         super().__init__(name=name, **kwargs)
        ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.n.assign_add(len(y_pred))
        ...     def result(self):
        ...         return ops.convert_to_tensor(self.n.value)
    """

    def __init__(self, dtype=None, name: str | None = None) -> None:
        # Set through object.__setattr__: the tracking below needs these lists first.
        object.__setattr__(self, "_variables", [])
        object.__setattr__(self, "_metrics", [])
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype = str(np.dtype(dtype or config.floatx()))

    # --- what a learner inspects ----------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def variables(self) -> list[Variable]:
        """This metric's state variables, then those of metrics it holds."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def __setattr__(self, name, value) -> None:
        # A metric held as an attribute is part of this one (its state, its reset).
        if isinstance(value, Metric) and "_metrics" in self.__dict__:
            if value not in self._metrics:
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    # --- state ------------------------------------------------------------------------
    def add_variable(
        self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None
    ) -> Variable:
        """Create a non-trainable state variable (a running total, a count, ...)."""
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                "You forgot to call `super().__init__()` in the `__init__()` method of "
                f"{type(self).__name__}. Go add it!"
            )
        variable = Variable(
            _initial_value(initializer, tuple(shape), dtype or self.dtype),
            dtype=dtype or self.dtype,
            trainable=False,
            name=name,
        )
        variable.aggregation = aggregation
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None) -> Variable:
        """Keras 2's name for `add_variable`."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    def reset_state(self) -> None:
        """Set every state variable back to zero (called at the start of each epoch)."""
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self) -> None:
        """Keras 2's name for `reset_state`."""
        legacy.warn_once(
            "Metric.reset_states",
            "metric.reset_states() is the Keras 2 spelling; write metric.reset_state() instead.",
        )
        self.reset_state()

    # --- the contract -------------------------------------------------------------------
    def update_state(self, *args, **kwargs) -> None:
        """Add one batch to the running state."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self) -> Tensor:
        """The current value, as a 0-d tensor: `float(m.result())` or `m.result().numpy()`."""
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs) -> Tensor:
        """`update_state(...)`, then `result()` (note: the state keeps accumulating)."""
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"You forgot to call `super().__init__()` in {type(self).__name__}.__init__()."
            )
        with no_grad():
            self.update_state(*args, **kwargs)
            return self.result()

    # --- configs ------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _initial_value(initializer, shape: tuple, dtype: str) -> np.ndarray:
    """The starting value of a state variable: `'zeros'`, `'ones'` or a callable."""
    if initializer in (None, "zeros", "Zeros"):
        return np.zeros(shape, dtype=dtype)
    if initializer in ("ones", "Ones"):
        return np.ones(shape, dtype=dtype)
    if isinstance(initializer, str):
        from .. import initializers  # the full table of named initializers

        initializer = initializers.get(initializer)
    return np.asarray(as_array(initializer(shape, dtype=dtype)), dtype=dtype)


def scalar_result(value, dtype: str) -> Tensor:
    """A metric value as a 0-d tensor of the metric's float type."""
    return Tensor(np.asarray(as_array(value), dtype=dtype).reshape(()))

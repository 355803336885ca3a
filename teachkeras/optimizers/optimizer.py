"""The `Optimizer` base class: everything an optimizer does around its own update rule.

One training step calls `optimizer.apply(grads, variables)`, which

  1. builds the slots on the first call (`build(var_list)`: momentums, velocities, ...),
  2. drops the variables whose gradient is None (warning with their names),
  3. clips the gradients (`clipnorm`, `global_clipnorm` or `clipvalue`),
  4. decays the weights (`weight_decay`: w ← w − w·wd·η, decoupled from the gradient),
  5. calls `update_step(g, w, η)` for each variable: the optimizer's own rule,
  6. applies each variable's `constraint`,
  7. adds 1 to `iterations`.

A subclass writes only `build` (create its slots) and `update_step` (the paper's
formula), plus `get_config` for its own arguments. Updates are plain NumPy on
`variable.value`: they are not differentiated, so no graph is recorded.
"""

from __future__ import annotations

import difflib
import inspect
import numbers
import re
import warnings
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .. import legacy
from ..backend import config, naming
from ..backend.tensor import Tensor, as_array, no_grad
from ..backend.variables import Variable
from ..legacy.renames import Change
from .clipping import clip_by_global_norm, clip_by_norm
from .schedules import LearningRateSchedule
from .schedules import deserialize as deserialize_schedule
from .schedules import serialize as serialize_schedule


def _decay(decay):
    if not isinstance(decay, numbers.Real) or decay < 0:
        raise ValueError(f"`decay` must be a float >= 0. Received: decay={decay!r}")
    return decay


def _decay_warning(owner: str, decay) -> str:
    if decay == 0:
        return f"{owner}(decay=0) is a Keras 2 spelling that does nothing: remove it."
    return (
        f"{owner}(decay={decay}) is the Keras 2 spelling of η_t = η / (1 + decay·t); write "
        f"{owner}(learning_rate=keras.optimizers.schedules.InverseTimeDecay(η, decay_steps=1, "
        f"decay_rate={decay})) instead."
    )


# Keras 2 spellings every optimizer accepts: SGD(lr=0.01, decay=1e-6). Each optimizer class takes
# them with `@accepts_renamed(KERAS2_OPTIMIZER)` (legacy/renames.py), before its __init__ runs.
# `decay` keeps its name: Optimizer.__init__ still honours it, as Keras 2 did.
KERAS2_OPTIMIZER = {
    "lr": "learning_rate",
    "decay": Change("decay", convert=_decay, message=_decay_warning),
}

# Keras 3 arguments that teachkeras does not implement, with the default that means "off".
_UNSUPPORTED_DEFAULTS = {
    "use_ema": False,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class Optimizer:
    """Base class of all optimizers (Keras 3 semantics).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable returning the
            learning rate (called with the step if it takes an argument).
        weight_decay: if set, each step first shrinks every weight: `w ← w − w·wd·η`.
        clipnorm: if set, each gradient is rescaled so that its L2 norm is at most this.
        clipvalue: if set, each gradient element is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are rescaled together so that the norm
            of their concatenation is at most this.
        name: the optimizer's name (default: the class name in snake case, made unique).

    `use_ema`, `loss_scale_factor` and `gradient_accumulation_steps` are accepted only
    at their defaults. Keras 2's `lr=` and `decay=` are accepted and warn once
    (`KERAS2_OPTIMIZER` above).
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ) -> None:
        owner = type(self).__name__
        # Keras 2's decay=: η_t = η / (1 + decay·t) (KERAS2_OPTIMIZER above, the only one left)
        self.decay = kwargs.pop("decay", None)
        if kwargs:
            raise ValueError(self._unknown_arguments_message(kwargs))
        given = {
            "use_ema": use_ema,
            "loss_scale_factor": loss_scale_factor,
            "gradient_accumulation_steps": gradient_accumulation_steps,
        }
        for arg, value in given.items():
            if value != _UNSUPPORTED_DEFAULTS[arg]:
                raise NotImplementedError(
                    f"{owner}({arg}={value!r}) is a Keras 3 feature that teachkeras does not "
                    f"implement. Remove it (its default, {_UNSUPPORTED_DEFAULTS[arg]!r}, is off)."
                )
        clip_args = {
            "clipnorm": clipnorm,
            "clipvalue": clipvalue,
            "global_clipnorm": global_clipnorm,
        }
        if sum(value is not None for value in clip_args.values()) > 1:
            received = ", ".join(f"{k}={v}" for k, v in clip_args.items())
            raise ValueError(
                f"{owner}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: {received}"
            )

        self.name = name or naming.unique_name(naming.to_snake_case(owner))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False

        self._variables: list[Variable] = []  # what `optimizer.variables` lists, in order
        self._trainable_variables: list[Variable] = []
        self._trainable_variables_indices: dict[int, int] = {}
        self._exclude_ids: set[int] = set()
        self._exclude_pattern: re.Pattern | None = None

        # Keras's order: the step counter, then the learning rate, then the slots.
        self._iterations = self.add_variable((), initializer=0, dtype="int64", name="iteration")
        self._learning_rate = self._make_learning_rate(learning_rate)

    # --- the two methods a subclass writes ------------------------------------------
    def build(self, var_list: Sequence[Variable]) -> None:
        """Remember the variables this optimizer updates; subclasses then add their slots."""
        self._trainable_variables = list(var_list)
        self._trainable_variables_indices = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate) -> None:
        """Update one `variable` given its `gradient` (an array in the variable's dtype)."""
        raise NotImplementedError(
            f"{type(self).__name__} must override `update_step(gradient, variable, learning_rate)`."
        )

    # --- slots -------------------------------------------------------------------------
    def add_variable(self, shape, initializer="zeros", dtype=None, name=None) -> Variable:
        """Create a non-trainable variable owned (and listed) by this optimizer.

        `initializer` is `'zeros'`, `'ones'`, a number, or a callable `f(shape, dtype)`.
        """
        shape, dtype, name = tuple(shape), dtype or config.floatx(), name or "variable"
        if isinstance(initializer, str) and initializer in ("zeros", "ones"):
            initializer = 0 if initializer == "zeros" else 1
        if isinstance(initializer, numbers.Number):
            initializer = np.full(shape, initializer, dtype=dtype)
        elif isinstance(initializer, str):
            from .. import initializers  # only for names other than zeros/ones

            initializer = initializers.get(initializer)
        variable = Variable(
            initializer,
            shape=shape,
            dtype=dtype,
            trainable=False,
            name=name,
            path=f"{self.name}/{name}",
        )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self, reference_variable: Variable, name: str | None = None, initializer="zeros"
    ) -> Variable:
        """A slot shaped like `reference_variable`, named e.g. `dense_kernel_momentum`."""
        prefix = getattr(reference_variable, "path", None) or reference_variable.name
        return self.add_variable(
            shape=reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{prefix.replace('/', '_')}_{name or 'var'}",
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable for each name; several names are created interleaved.

        `add_optimizer_variables(vars, ["momentum", "velocity"])` makes w0's momentum,
        w0's velocity, w1's momentum, ... (Keras's order) and returns the two lists.
        """
        names = [name] if isinstance(name, str) else list(name)
        slots: tuple[list, ...] = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, slot_name in enumerate(names):
                slots[i].append(self.add_variable_from_reference(variable, slot_name, initializer))
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable: Variable) -> int:
        return self._trainable_variables_indices[id(variable)]

    @property
    def variables(self) -> list[Variable]:
        """iterations, learning_rate (unless it is a schedule), then every slot."""
        return self._variables[:]

    @property
    def iterations(self) -> Variable:
        """How many times `apply` has run (an int64 variable)."""
        return self._iterations

    # --- the learning rate -------------------------------------------------------------
    def _make_learning_rate(self, learning_rate):
        if _is_learning_rate_callable(learning_rate):
            return learning_rate
        if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
            return self.add_variable((), initializer=float(learning_rate), name="learning_rate")
        raise ValueError(
            f"{type(self).__name__}: `learning_rate` should be a float, a LearningRateSchedule, "
            f"or a callable returning the learning rate. Received: learning_rate={learning_rate!r}"
        )

    @property
    def learning_rate(self):
        """The learning-rate variable, or, for a schedule, its value at the current step."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return self._scheduled_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        if _is_learning_rate_callable(learning_rate):
            if isinstance(self._learning_rate, Variable):
                self._variables.remove(self._learning_rate)  # a schedule has no variable
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(float(learning_rate))
        else:
            raise TypeError(
                f"{type(self).__name__} was created with a schedule as its learning rate, so the "
                "learning rate cannot be set to a number. Create the optimizer with a float "
                "`learning_rate` if you need to change it by hand."
            )

    @property
    def lr(self):
        """Keras 2's name for `learning_rate` (warns once)."""
        _warn_lr_attribute()
        return self.learning_rate

    @lr.setter
    def lr(self, value) -> None:
        _warn_lr_attribute()
        self.learning_rate = value

    def _scheduled_learning_rate(self) -> np.ndarray:
        """The learning rate at the current step, before Keras 2's `decay`."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            value = lr.value
        else:
            value = _call_learning_rate(lr, int(self._iterations.value))
        return np.asarray(as_array(value), dtype=config.floatx())

    def _current_learning_rate(self) -> np.ndarray:
        """The learning rate this step uses: Keras 2's `decay` gives η_t = η / (1 + decay·t)."""
        lr = self._scheduled_learning_rate()
        if self.decay:
            one = np.asarray(1, lr.dtype)
            t = self._iterations.value.astype(lr.dtype)
            lr = lr * (one / (one + np.asarray(self.decay, lr.dtype) * t))
        return lr

    # --- one training step -------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Iterable) -> Variable:
        """Apply `(gradient, variable)` pairs, e.g. `zip(grads, model.trainable_variables)`."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        if any(not isinstance(pair, tuple | list) or len(pair) != 2 for pair in pairs):
            raise TypeError(
                f"{self.name}.apply_gradients expects (gradient, variable) pairs, e.g. "
                f"zip(grads, model.trainable_variables). Received: {pairs[0]!r}"
            )
        grads, variables = zip(*pairs, strict=True)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads: Sequence, trainable_variables: Sequence | None = None) -> None:
        """Update the variables with the gradients (steps 1-7 of this file's docstring)."""
        grads = list(grads)
        if not grads:
            return
        variables = self._variables_for(grads, trainable_variables)
        grads, variables = self._filter_empty_gradients(grads, variables)
        grads = [self._as_gradient(g, v) for g, v in zip(grads, variables, strict=True)]
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(variables, learning_rate)
        self._update_step_all(grads, variables, learning_rate)
        with no_grad():  # a constraint written with K ops need not record a graph
            for variable in variables:
                if variable.constraint is not None:
                    variable.assign(as_array(variable.constraint(variable)))
        self._iterations.assign_add(1)

    def _update_step_all(self, grads, variables, learning_rate) -> None:
        """Run `update_step` for each variable (Nadam adds a per-step update first)."""
        for gradient, variable in zip(grads, variables, strict=True):
            self.update_step(gradient, variable, learning_rate.astype(variable.dtype))

    def _variables_for(self, grads, trainable_variables) -> list[Variable]:
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.name}: when passing `grads` without variables, the optimizer must "
                    "already be built. Call `optimizer.build(trainable_variables)` first, or "
                    "pass the variables: `optimizer.apply(grads, trainable_variables)`."
                )
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"{self.name}: got {len(grads)} gradients for {len(variables)} variables; "
                "there must be one gradient (or None) per variable."
            )
        for variable in variables:
            if not isinstance(variable, Variable):
                raise TypeError(
                    f"{self.name}: expected Variables to update, got {type(variable).__name__}. "
                    "Pass `model.trainable_variables` (or your `Variable`s)."
                )
        if not self.built:
            self.build(variables)
        unknown = [v.path for v in variables if id(v) not in self._trainable_variables_indices]
        if unknown:
            raise ValueError(
                f"{self.name} was built for other variables and does not know {unknown}. "
                "An optimizer keeps slots per variable: create a new optimizer for new variables."
            )
        return variables

    @staticmethod
    def _filter_empty_gradients(grads, variables):
        """Keep the (gradient, variable) pairs whose gradient is not None (warn about the rest)."""
        kept = [(g, v) for g, v in zip(grads, variables, strict=True) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        missing = [v.path for g, v in zip(grads, variables, strict=True) if g is None]
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3,
            )
        return [g for g, _ in kept], [v for _, v in kept]

    @staticmethod
    def _as_gradient(gradient, variable: Variable) -> np.ndarray:
        gradient = np.asarray(as_array(gradient), dtype=variable.dtype)
        if gradient.shape != variable.shape:
            raise ValueError(
                f"The gradient for variable {variable.path!r} has shape {gradient.shape}, but the "
                f"variable has shape {variable.shape}: gradients must match their variables."
            )
        return gradient

    def _clip_gradients(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        if self.clipnorm and self.clipnorm > 0:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    # --- weight decay --------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Skip weight decay for these variables, or those whose name contains a given word.

        Example: `opt.exclude_from_weight_decay(var_names=["bias"])`. Call it before the
        optimizer is built.
        """
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the optimizer "
                "is built (before its first `apply`)."
            )
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable: Variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return not (self._exclude_pattern and self._exclude_pattern.search(variable.name))

    def _apply_weight_decay(self, variables, learning_rate: np.ndarray) -> None:
        """Decoupled weight decay: `w ← w − w·wd·η` (Loshchilov & Hutter), before the update."""
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                w = variable.value
                wd = np.asarray(self.weight_decay, w.dtype)
                variable.assign(w - w * wd * learning_rate.astype(w.dtype))

    # --- helpers for subclasses written as in Keras ------------------------------------
    def assign(self, variable: Variable, value) -> None:
        variable.assign(as_array(value))

    def assign_add(self, variable: Variable, value) -> None:
        variable.assign_add(as_array(value))

    def assign_sub(self, variable: Variable, value) -> None:
        variable.assign_sub(as_array(value))

    def scale_loss(self, loss):
        """Multiply the loss by `loss_scale_factor` before differentiating: here always 1."""
        return loss

    def finalize_variable_values(self, var_list) -> None:
        """Called by `fit` after training; only matters with EMA, which we do not implement."""

    # --- state and config ----------------------------------------------------------------
    def set_weights(self, weights: Sequence) -> None:
        """Set every optimizer variable, in the order of `variables`."""
        if not self.built:
            raise ValueError(
                f"{self.name} has not been built yet: call `optimizer.build(variables)` "
                "before `set_weights()`."
            )
        for variable, weight in zip(self._variables, weights, strict=False):
            variable.assign(weight)

    def save_own_variables(self, store: dict) -> None:
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self._variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(self._variables):
            variable.assign(np.asarray(store[str(i)]))

    def get_config(self) -> dict:
        """Keras 3's config keys (plus `decay` when Keras 2's `decay=` was used)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            learning_rate = float(lr.value)
        elif isinstance(lr, LearningRateSchedule):
            learning_rate = serialize_schedule(lr)
        else:
            learning_rate = lr  # a plain callable: only a Python round trip can keep it
        config = {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay is not None:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        """The inverse of `get_config` (a new optimizer: slots are not restored)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        lr = self._learning_rate
        lr_text = f"{float(lr.value):g}" if isinstance(lr, Variable) else type(lr).__name__
        return (
            f"<{type(self).__name__} name={self.name}, learning_rate={lr_text}, "
            f"iterations={int(self._iterations.value)}>"
        )

    # --- Keras 2 spellings and argument checks -------------------------------------------
    def _epsilon_or_default(self, epsilon):
        """Keras 2 wrote `epsilon=None` for "the default fuzz factor" (`keras.config.epsilon()`)."""
        if epsilon is not None:
            return epsilon
        owner = type(self).__name__
        legacy.warn_once(
            f"{owner}.epsilon",
            f"{owner}(epsilon=None) is the Keras 2 spelling of the default; "
            f"write {owner}(epsilon={config.epsilon()}) or leave it out.",
        )
        return config.epsilon()

    def _unknown_arguments_message(self, kwargs: dict) -> str:
        owner = type(self).__name__
        valid = [
            p
            for cls in type(self).__mro__
            if "__init__" in vars(cls)
            for p in inspect.signature(cls.__init__).parameters
            if p not in ("self", "kwargs")
        ]
        valid = list(dict.fromkeys(valid))
        hints = []
        for arg in kwargs:
            close = difflib.get_close_matches(arg, valid, n=1)
            hints.append(f"{arg!r} (did you mean {close[0]!r}?)" if close else repr(arg))
        return (
            f"{owner}() got unknown argument(s): {', '.join(hints)}. "
            f"Valid arguments are: {', '.join(valid)}."
        )


def _warn_lr_attribute() -> None:
    legacy.warn_once(
        "optimizer.lr",
        "`optimizer.lr` is the Keras 2 name; write `optimizer.learning_rate` instead.",
    )


def _is_learning_rate_callable(value) -> bool:
    return isinstance(value, LearningRateSchedule) or (
        callable(value) and not isinstance(value, Tensor | type)
    )


def _call_learning_rate(schedule: Callable, step: int):
    """A schedule gets the step; a plain callable gets it only if it takes an argument."""
    if isinstance(schedule, LearningRateSchedule):
        return schedule(step)
    try:
        takes_step = any(
            p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in inspect.signature(schedule).parameters.values()
        )
    except (TypeError, ValueError):  # builtins without a signature
        takes_step = False
    return schedule(step) if takes_step else schedule()

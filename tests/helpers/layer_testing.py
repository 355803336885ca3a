"""`run_layer_test`: every promise a layer makes, checked in one call.

Modelled on Keras 3's `keras.src.testing.TestCase.run_layer_test`: a layer's test file
lists its cases (the class, its arguments, an input shape, what to expect; see
`layer_case`) and this helper does the work. Each check proves one part of the layer
contract written at the top of `teachkeras/layers/layer.py`:

    config    `get_config()` comes back unchanged through `from_config`, through JSON and
              through `serialize_keras_object`; building the layer does not change it; and
              the re-created layer, given the same weights, computes the same output
    eager     called on data, the output is a tensor of the layer's dtype whose shape is
              `compute_output_shape`'s (and the expected one), with the expected values,
              losses and `supports_masking`
    build     `build(input_shape)` alone creates the weights and marks the layer built;
              calling it afterwards adds no weights
    symbolic  called on `Input(...)`, the layer returns a `KerasTensor` of the layer's dtype
              whose shape is `compute_output_shape`'s, with the batch axis unknown, and
              which agrees with the eager output's shape wherever it is known
    gradient  built in float64, the gradient of u·output (u random, so every entry of the
              Jacobian counts) with respect to the input(s) and every trainable weight
              matches central finite differences, by `teachkeras.backend.check_gradients`
              (the one finite-difference helper)
    training  in a tiny model (`Input` -> the layer), one `fit` step on one batch gives a
              finite loss and moves every trainable weight
    saving    that model, saved to `.keras` and loaded back, has the same layer config, the
              same weights and the same predictions

The build, symbolic and eager checks also count the weights: every way of building gives
the same numbers of trainable and non-trainable weights (the expected ones, when given).

A failure raises `LayerTestError` naming the layer, its arguments and the check, with the
original error chained below it.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.backend import Tensor, Variable, check_gradients
from teachkeras.backend.gradient_check import GradientCheckError
from teachkeras.layers import Input, KerasTensor, Layer
from teachkeras.saving import deserialize_keras_object, serialize_keras_object

Shape = tuple[int | None, ...]

# The checks, in the order they run; a `run_*_check` argument may skip the last three.
CHECKS = ("config", "eager", "build", "symbolic", "gradient", "training", "saving")


class LayerTestError(AssertionError):
    """A check of `run_layer_test` failed: the message names the layer and the check."""


@dataclass
class LayerTestReport:
    """What `run_layer_test` did: the checks that passed, and those skipped with the reason."""

    layer: str
    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def run_layer_test(
    layer_cls: type[Layer],
    init_kwargs: dict[str, Any] | None = None,
    *,
    input_shape: Shape | list[Shape] | dict[str, Shape] | None = None,
    input_data: np.ndarray | list[np.ndarray] | dict[str, np.ndarray] | None = None,
    call_kwargs: dict[str, Any] | None = None,
    expected_output_shape: Shape | None = None,
    expected_output: np.ndarray | None = None,
    expected_output_dtype: str | None = None,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    expected_num_losses: int | None = None,
    supports_masking: bool | None = None,
    custom_objects: dict[str, Any] | None = None,
    run_gradient_check: bool | str = True,
    run_training_check: bool | str = True,
    run_saving_check: bool | str = True,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    gradient_rtol: float = 1e-5,
    gradient_atol: float = 1e-6,
    tmp_path: Path | None = None,
    seed: int = 0,
) -> LayerTestReport:
    """Run every check of the module docstring on `layer_cls(**init_kwargs)`.

    Args:
        layer_cls: the layer class under test.
        init_kwargs: its constructor arguments (not `dtype`: the gradient check sets it).
        input_shape: the data's shape, batch axis included, e.g. `(2, 4)`; a list of shapes
            for a layer that takes a list of inputs (merge layers); a dict for a layer
            called with several tensor arguments, as Keras's own test does:
            `{"query_shape": (2, 3, 4), "value_shape": (2, 5, 4)}` calls
            `layer(query=..., value=...)`, `build(query_shape=..., value_shape=...)` and
            `compute_output_shape(query_shape=..., value_shape=...)`. Data is drawn from a
            seeded standard normal distribution.
        input_data: the data itself instead (one array, a list or a dict), e.g. for a layer that
            needs positive inputs or for `expected_output`.
        call_kwargs: keyword arguments for each call, e.g. `{"training": True}`.
        expected_output_shape: the eager output's shape (`None` matches any size).
        expected_output: the eager output's values (needs `input_data`), to `rtol`/`atol`.
        expected_output_dtype: default: the layer's dtype (`floatx()`).
        expected_num_trainable_weights / expected_num_non_trainable_weights: once built.
        expected_num_losses: `len(layer.losses)` after the eager call.
        supports_masking: the layer's `supports_masking`, when given.
        custom_objects: `{name: class}` for a layer class that is not registered (a test's
            own), passed to `deserialize_keras_object` and `load_model`.
        run_gradient_check / run_training_check / run_saving_check: True to run the check;
            to skip it, the reason as a string (it goes in the report). False is refused:
            a skipped check says why.
        gradient_rtol / gradient_atol: the finite-difference comparison's tolerances.
        tmp_path: where the saving check writes (default: a temporary folder).
        seed: for the input data, the gradient check's u and the training targets.

    Returns:
        A `LayerTestReport`: the checks that passed and the skipped ones with their reason.

    Example:
        >>> run_layer_test(Dense, {"units": 3}, input_shape=(2, 4),
        ...                expected_output_shape=(2, 3), expected_num_trainable_weights=2)
    """
    if expected_output is not None and input_data is None:
        raise ValueError("run_layer_test: expected_output needs input_data (the values it is for).")
    given = input_shape if input_data is None else input_data
    names = [k.removesuffix("_shape") for k in given] if isinstance(given, dict) else None
    test = _LayerTest(
        layer_cls,
        dict(init_kwargs or {}),
        dict(call_kwargs or {}),
        _make_inputs(input_shape, input_data, np.random.default_rng(seed)),
        multiple_inputs=isinstance(given, list | dict),
        custom_objects=custom_objects,
        seed=seed,
        input_names=names,
    )
    runs = {
        "config": test.check_config,
        "eager": lambda: test.check_eager(
            expected_output_shape,
            expected_output,
            expected_output_dtype,
            expected_num_losses,
            supports_masking,
            (rtol, atol),
        ),
        "build": test.check_build,
        "symbolic": test.check_symbolic,
        "gradient": lambda: test.check_gradient(gradient_rtol, gradient_atol),
        "training": test.check_training,
        "saving": lambda: test.check_saving(tmp_path),
    }
    switches = {
        "gradient": run_gradient_check,
        "training": run_training_check,
        "saving": run_saving_check,
    }
    test.expected_counts = (expected_num_trainable_weights, expected_num_non_trainable_weights)
    report = LayerTestReport(test.label)
    for check in CHECKS:
        switch = switches.get(check, True)
        if switch is False:
            raise ValueError(
                f"run_layer_test({test.label}): to skip the {check} check, give the reason: "
                f"run_{check}_check='why it cannot run'."
            )
        if isinstance(switch, str):
            report.skipped[check] = switch
            continue
        with _naming_failures(test.label, check):
            runs[check]()
        report.passed.append(check)
    return report


def layer_case(layer_cls: type[Layer], init_kwargs: dict[str, Any] | None = None, **expectations):
    """One row of a layer file's table of `run_layer_test` calls, as a `pytest.param`.

    The row's id is the layer with its arguments, e.g. `Dense(units=3)`; the table's test
    is `run_layer_test(**case, tmp_path=tmp_path)`. `test_layer_testing.py` reads every
    table to check that each layer class has at least one row.
    """
    case = {"layer_cls": layer_cls, "init_kwargs": dict(init_kwargs or {}), **expectations}
    call = case.get("call_kwargs")
    suffix = f"-call({_arguments(call)})" if call else ""
    return pytest.param(case, id=_label(layer_cls, case["init_kwargs"]) + suffix)


# --- the checks ------------------------------------------------------------------------------
class _LayerTest:
    """The state shared by the checks: the layer's class and arguments, and the data."""

    def __init__(
        self,
        layer_cls: type[Layer],
        init_kwargs: dict[str, Any],
        call_kwargs: dict[str, Any],
        arrays: list[np.ndarray],
        multiple_inputs: bool,
        custom_objects: dict[str, Any] | None,
        seed: int,
        input_names: list[str] | None = None,
    ) -> None:
        self.layer_cls, self.init_kwargs, self.call_kwargs = layer_cls, init_kwargs, call_kwargs
        self.label = _label(layer_cls, init_kwargs)
        self.arrays, self.multiple_inputs = arrays, multiple_inputs
        self.input_names = input_names  # call the layer by argument name: layer(query=, value=)
        self.custom_objects = custom_objects
        self.rng = np.random.default_rng(seed + 1)
        self.expected_counts: tuple[int | None, int | None] = (None, None)
        self.output: np.ndarray | None = None  # the eager output, once computed
        self.model: keras.Model | None = None  # the tiny trained model, once trained

    # helpers -------------------------------------------------------------------------------
    def make(self, **overrides) -> Layer:
        return self.layer_cls(**{**self.init_kwargs, **overrides})

    def inputs(self, arrays: Sequence | None = None):
        """The layer's input: one array, or the list of them (merge layers)."""
        arrays = self.arrays if arrays is None else list(arrays)
        return list(arrays) if self.multiple_inputs else arrays[0]

    def shapes(self, batch: int | str | None = "data"):
        """The input shape(s) to give `build` or `compute_output_shape`, with this batch size."""
        shapes = [a.shape if batch == "data" else (batch, *a.shape[1:]) for a in self.arrays]
        if self.input_names:
            return {f"{n}_shape": tuple(s) for n, s in zip(self.input_names, shapes, strict=True)}
        return [tuple(s) for s in shapes] if self.multiple_inputs else tuple(shapes[0])

    def call(self, layer: Layer, arrays: Sequence | None = None):
        """`layer` called on the data (or on `arrays`), with the call's keyword arguments."""
        if self.input_names:
            arrays = self.arrays if arrays is None else list(arrays)
            named = dict(zip(self.input_names, arrays, strict=True))
            return layer(**named, **self.call_kwargs)
        return layer(self.inputs(arrays), **self.call_kwargs)

    def with_shapes(self, method, shapes):
        """`build` or `compute_output_shape` on `shapes`: by name for named inputs."""
        return method(**shapes) if isinstance(shapes, dict) else method(shapes)

    def check_counts(self, layer: Layer, after: str) -> None:
        """The numbers of trainable and non-trainable weights: expected, and equal on every path."""
        counts = (len(layer.trainable_weights), len(layer.non_trainable_weights))
        for kind, count, expected in zip(
            ("trainable", "non-trainable"), counts, self.expected_counts, strict=True
        ):
            assert expected is None or count == expected, (
                f"after {after}, {count} {kind} weights; expected {expected}"
            )
        self.expected_counts = counts

    # config -------------------------------------------------------------------------------
    def check_config(self) -> None:
        layer = self.make()
        config = layer.get_config()
        rebuilt = {  # how the config came back -> (the layer it made, went through JSON?)
            "from_config(get_config())": (self.layer_cls.from_config(config), False),
            "from_config through JSON": (self.layer_cls.from_config(_through_json(config)), True),
            "deserialize_keras_object(serialize_keras_object(layer))": (
                deserialize_keras_object(
                    serialize_keras_object(layer), custom_objects=self.custom_objects
                ),
                False,
            ),
        }
        for how, (again, through_json) in rebuilt.items():
            assert type(again) is self.layer_cls, f"{how} made a {type(again).__name__}"
            _assert_same_config(how, config, again.get_config(), through_json)

        self.call(layer)  # builds it
        _assert_same_config("building the layer", config, layer.get_config())
        clone = self.layer_cls.from_config(config)
        self.call(clone)  # builds it, with its own weights
        clone.set_weights(layer.get_weights())
        reference = self.call(layer)
        np.testing.assert_array_equal(
            self.call(clone).numpy(),
            reference.numpy(),
            err_msg="the layer re-created from its config, with the same weights, computes "
            "another output",
        )

    # eager --------------------------------------------------------------------------------
    def check_eager(
        self,
        expected_shape: Shape | None,
        expected_output: np.ndarray | None,
        expected_dtype: str | None,
        expected_num_losses: int | None,
        supports_masking: bool | None,
        tolerances: tuple[float, float],
    ) -> None:
        layer = self.make()
        output = self.call(layer)
        assert isinstance(output, Tensor) and not isinstance(output, KerasTensor), (
            f"the output is a {type(output).__name__}, not a Tensor"
        )
        computed = tuple(self.with_shapes(layer.compute_output_shape, self.shapes()))
        assert output.shape == computed, (
            f"output shape {output.shape}, but compute_output_shape({self.shapes()}) = {computed}"
        )
        if expected_shape is not None:
            assert _shape_matches(expected_shape, output.shape), (
                f"output shape {output.shape}; expected {expected_shape}"
            )
        dtype = expected_dtype or layer.dtype
        assert output.dtype == np.dtype(dtype), f"output dtype {output.dtype}; expected {dtype}"
        if expected_output is not None:
            rtol, atol = tolerances
            np.testing.assert_allclose(
                output.numpy(), expected_output, rtol=rtol, atol=atol, err_msg="output values"
            )
        if expected_num_losses is not None:
            assert len(layer.losses) == expected_num_losses, (
                f"{len(layer.losses)} losses after the call; expected {expected_num_losses}"
            )
        if supports_masking is not None:
            assert layer.supports_masking == supports_masking, (
                f"supports_masking is {layer.supports_masking}; expected {supports_masking}"
            )
        self.check_counts(layer, "the eager call")
        self.output = output.numpy()

    # build --------------------------------------------------------------------------------
    def check_build(self) -> None:
        layer = self.make()
        self.with_shapes(layer.build, self.shapes())
        assert layer.built, "build(input_shape) did not mark the layer built (Keras 3 does)"
        self.check_counts(layer, "build(input_shape)")
        self.call(layer)
        self.check_counts(layer, "build(input_shape) and then a call")

    # symbolic -----------------------------------------------------------------------------
    def check_symbolic(self) -> None:
        layer = self.make()
        symbolic_shapes = self.shapes(batch=None)
        inputs = [Input(batch_shape=(None, *a.shape[1:])) for a in self.arrays]
        if self.input_names:
            output = self.call(layer, inputs)
        else:
            output = layer(inputs if self.multiple_inputs else inputs[0], **self.call_kwargs)
        assert isinstance(output, KerasTensor), (
            f"on Input(...), the layer returned a {type(output).__name__}, not a KerasTensor"
        )
        computed = tuple(self.with_shapes(layer.compute_output_shape, symbolic_shapes))
        assert tuple(output.shape) == computed, (
            f"symbolic output shape {output.shape}, but compute_output_shape({symbolic_shapes}) "
            f"= {computed}"
        )
        assert output.shape[0] is None, f"the batch axis became known: {output.shape}"
        assert self.output is not None and _shape_matches(output.shape, self.output.shape), (
            f"symbolic output shape {output.shape}, but the eager output's is "
            f"{None if self.output is None else self.output.shape}"
        )
        assert np.dtype(output.dtype) == np.dtype(layer.dtype), (
            f"symbolic output dtype {output.dtype}; the layer's is {layer.dtype}"
        )
        self.check_counts(layer, "the symbolic call")

    # gradient -----------------------------------------------------------------------------
    def check_gradient(self, rtol: float, atol: float) -> None:
        layer = self.make(dtype="float64")
        arrays = [a.astype("float64") if a.dtype.kind == "f" else a for a in self.arrays]
        output = self.call(layer, arrays)
        wrong = [w.path for w in layer.weights if w.dtype != np.float64]
        assert output.dtype == np.float64 and not wrong, (
            f"a float64 layer computed in {output.dtype}; weights not in float64: {wrong}"
        )
        weights = layer.trainable_weights
        count = len(arrays)

        def layer_output(*tensors: Tensor) -> Tensor:
            with _weights_replaced(layer, weights, tensors[count:]):
                return self.call(layer, tensors[:count])

        try:
            analytic = check_gradients(
                layer_output, *arrays, *[w.numpy() for w in weights], rtol=rtol, atol=atol
            )
        except GradientCheckError as error:
            names = [f"input {i}" for i in range(count)] + [w.path for w in weights]
            raise GradientCheckError(
                f"{error} The inputs, in order: {', '.join(names)}."
            ) from error
        # A weight the output does not reach would pass vacuously (0 == 0): refuse that too.
        checked_inputs = sum(a.dtype == np.float64 for a in arrays)  # integer inputs are not
        unreached = [
            w.path for w, g in zip(weights, analytic[checked_inputs:], strict=True) if g is None
        ]
        assert not unreached, f"the output does not depend on the weights {unreached}"

    # training -----------------------------------------------------------------------------
    def tiny_model(self) -> keras.Model:
        """`Input` -> the layer: a Sequential model, or a functional one for a list of inputs."""
        layer = self.make()
        inputs = [Input(shape=a.shape[1:]) for a in self.arrays]
        if self.input_names:  # layer(query=..., value=...)
            return keras.Model(inputs, layer(**dict(zip(self.input_names, inputs, strict=True))))
        if self.multiple_inputs:
            return keras.Model(inputs, layer(inputs))
        return keras.Sequential([inputs[0], layer])

    def check_training(self) -> None:
        model = self.tiny_model()
        model.compile(optimizer="sgd", loss="mse")
        assert self.output is not None
        targets = self.rng.standard_normal(self.output.shape).astype("float32")
        before = [w.numpy() for w in model.trainable_weights]
        batch_size = len(self.arrays[0])
        with warnings.catch_warnings():  # a layer without weights trains nothing: expected
            warnings.filterwarnings("ignore", "The model does not have any trainable weights")
            history = model.fit(
                self.inputs(), targets, batch_size=batch_size, epochs=1, shuffle=False, verbose=0
            )
        loss = history.history["loss"][0]
        assert np.isfinite(loss), f"the training loss is {loss}"
        unmoved = [
            w.path
            for w, old in zip(model.trainable_weights, before, strict=True)
            if np.array_equal(w.numpy(), old)
        ]
        assert not unmoved, f"one SGD step left these trainable weights unchanged: {unmoved}"
        self.model = model

    # saving -------------------------------------------------------------------------------
    def check_saving(self, tmp_path: Path | None) -> None:
        model = self.model or self.tiny_model()
        layer = model.layers[-1]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(tmp_path or folder) / f"{type(layer).__name__}.keras"
            model.save(path)
            loaded = keras.saving.load_model(path, custom_objects=self.custom_objects)
        again = loaded.get_layer(layer.name)
        assert type(again) is self.layer_cls, f"loaded back as a {type(again).__name__}"
        _assert_same_config(
            "saving and loading", layer.get_config(), again.get_config(), through_json=True
        )
        for old, new, weight in zip(
            layer.get_weights(), again.get_weights(), layer.weights, strict=True
        ):
            np.testing.assert_array_equal(new, old, err_msg=f"weight {weight.path} after loading")
        np.testing.assert_array_equal(
            loaded.predict(self.inputs(), verbose=0),
            model.predict(self.inputs(), verbose=0),
            err_msg="the loaded model predicts otherwise",
        )


# --- small helpers -----------------------------------------------------------------------------
def _make_inputs(input_shape, input_data, rng: np.random.Generator) -> list[np.ndarray]:
    """The data as a list of arrays: given, or drawn from a standard normal distribution."""
    if (input_shape is None) == (input_data is None):
        raise ValueError("run_layer_test needs input_shape or input_data (exactly one of them).")
    if input_data is not None:
        if isinstance(input_data, dict):
            input_data = list(input_data.values())
        items = input_data if isinstance(input_data, list) else [input_data]
        return [np.asarray(a) for a in items]
    if isinstance(input_shape, dict):
        input_shape = list(input_shape.values())
    shapes = input_shape if isinstance(input_shape, list) else [input_shape]
    for shape in shapes:
        if any(d is None for d in shape):
            raise ValueError(
                f"run_layer_test: input_shape={input_shape} must be the data's shape, batch axis "
                "included, e.g. (2, 4); the symbolic check makes the batch axis None itself."
            )
    return [rng.standard_normal(shape).astype("float32") for shape in shapes]


@contextmanager
def _naming_failures(label: str, check: str) -> Iterator[None]:
    """Re-raise any failure inside a check as a `LayerTestError` naming the layer and check."""
    try:
        yield
    except Exception as error:
        raise LayerTestError(
            f"run_layer_test: {label}: the {check} check failed: {type(error).__name__}: {error}"
        ) from error


@contextmanager
def _weights_replaced(layer: Layer, variables: Sequence[Variable], values: Sequence[Tensor]):
    """Let `layer` read `values` where it reads `variables`, for the calls inside the block.

    Keras 3 calls this a stateless call. Layers keep their weights as attributes
    (`self.kernel`), so the attribute holding each variable points at its value meanwhile;
    the gradient check can then vary a weight as it varies an input.
    """
    swaps = []
    for variable, value in zip(variables, values, strict=True):
        owner, name = _attribute_holding(layer, variable)
        swaps.append((owner, name, variable))
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, variable in reversed(swaps):
            setattr(owner, name, variable)


def _attribute_holding(layer: Layer, variable: Variable) -> tuple[Layer, str]:
    for owner in _layer_and_sublayers(layer):
        for name, value in vars(owner).items():
            if value is variable:
                return owner, name
    raise ValueError(
        f"weight {variable.path!r} is no attribute of layer {layer.name!r} or its sub-layers, so "
        "the gradient check cannot vary it; keep each weight as an attribute (self.kernel = ...)"
    )


def _layer_and_sublayers(layer: Layer) -> Iterator[Layer]:
    yield layer
    for sublayer in layer._layers:
        yield from _layer_and_sublayers(sublayer)


def _shape_matches(expected: Sequence, actual: Sequence) -> bool:
    """Same rank, and equal sizes wherever `expected` gives one (`None` matches any size)."""
    return len(expected) == len(actual) and all(
        e is None or e == a for e, a in zip(expected, actual, strict=True)
    )


def _assert_same_config(how: str, before: dict, after: dict, through_json: bool = False) -> None:
    """The configs are equal; after a trip through JSON, which has no tuples, equal as JSON
    (Keras's own config test compares them as JSON text too)."""
    if through_json:
        before, after = _through_json(before), _through_json(after)
    changed = {
        key: (before.get(key, "<missing>"), after.get(key, "<missing>"))
        for key in sorted(set(before) | set(after))
        if before.get(key, "<missing>") != after.get(key, "<missing>")
    }
    assert not changed, f"{how} changed the config: {changed} (key: (before, after))"


def _through_json(config: dict) -> dict:
    return json.loads(json.dumps(config))


def _arguments(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in kwargs.items())


def _label(layer_cls: type[Layer], init_kwargs: dict[str, Any]) -> str:
    return f"{layer_cls.__name__}({_arguments(init_kwargs)})"

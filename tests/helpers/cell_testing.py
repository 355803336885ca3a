"""`run_cell_test`: `run_layer_test`'s checks for a recurrent cell (one time step).

A cell is not called like other layers: `cell(x_t, states)` returns `(output, new_states)`,
a step of a sequence. So its checks are the same promises, made for one step:

    config    `get_config()` comes back through `from_config`, JSON and
              `serialize_keras_object`, and the re-created cell, given the same weights,
              computes the same step
    eager     one step on data: the output is `(batch, output_size)`, the new states are
              nested like `state_size`, each `(batch, size)`, all in the cell's dtype
    build     `build((batch, features))` creates the weights; a call adds none
    symbolic  inside `RNN(cell)` on `Input(...)`: the output shape `(None, output_size)`
    gradient  in float64, one step's output and new states against central finite
              differences, with respect to the input, every state and every weight
    training  `RNN(cell)` in a tiny model: one `fit` step moves every trainable weight
    saving    that model through `.keras`: same cell config, weights and predictions

Each check makes its cell afresh from the row's config (so the cells a row lists, for
`StackedRNNCells`, are never shared between checks); the float64 cell is the same config
with every `dtype` in it set to float64.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

import teachkeras as keras
from teachkeras.backend import Tensor, check_gradients
from teachkeras.layers import RNN, Input, Layer
from teachkeras.layers.node import flatten
from teachkeras.saving import deserialize_keras_object, serialize_keras_object
from tests.helpers.layer_testing import (
    CHECKS,
    LayerTestReport,
    _assert_same_config,
    _label,
    _naming_failures,
    _through_json,
    _weights_replaced,
)

TIMESTEPS = 3  # the sequence the RNN(cell) checks run on


def run_cell_test(
    layer_cls: type[Layer],
    init_kwargs: dict[str, Any] | None = None,
    *,
    input_shape: tuple[int, int],
    expected_output_shape: tuple[int, int] | None = None,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    custom_objects: dict[str, Any] | None = None,
    run_gradient_check: bool | str = True,
    run_training_check: bool | str = True,
    run_saving_check: bool | str = True,
    tmp_path: Path | None = None,
    seed: int = 0,
) -> LayerTestReport:
    """Run every check of the module docstring on `layer_cls(**init_kwargs)`, a cell.

    Args:
        input_shape: one step's input, `(batch, features)`.
        expected_output_shape: the step's output shape, `(batch, output_size)`.
        Other arguments: as `run_layer_test`'s.
    """
    test = _CellTest(layer_cls, dict(init_kwargs or {}), input_shape, custom_objects, seed)
    test.expected = (expected_output_shape, expected_num_trainable_weights,
                     expected_num_non_trainable_weights)  # fmt: skip
    switches = {
        "gradient": run_gradient_check,
        "training": run_training_check,
        "saving": run_saving_check,
    }
    runs = {
        "config": test.check_config,
        "eager": test.check_eager,
        "build": test.check_build,
        "symbolic": test.check_symbolic,
        "gradient": test.check_gradient,
        "training": test.check_training,
        "saving": lambda: test.check_saving(tmp_path),
    }
    report = LayerTestReport(test.label)
    for check in CHECKS:
        switch = switches.get(check, True)
        if switch is False:
            raise ValueError(f"run_cell_test({test.label}): give the reason to skip {check}.")
        if isinstance(switch, str):
            report.skipped[check] = switch
            continue
        with _naming_failures(test.label, check):
            runs[check]()
        report.passed.append(check)
    return report


class _CellTest:
    def __init__(self, layer_cls, init_kwargs, input_shape, custom_objects, seed) -> None:
        self.layer_cls, self.init_kwargs = layer_cls, init_kwargs
        self.label = _label(layer_cls, init_kwargs)
        self.custom_objects = custom_objects
        self.rng = np.random.default_rng(seed)
        self.x = self.rng.standard_normal(input_shape).astype("float32")  # one step
        self.sequence = self.rng.standard_normal(
            (input_shape[0], TIMESTEPS, input_shape[1])
        ).astype("float32")
        self.config = serialize_keras_object(layer_cls(**init_kwargs))
        self.expected = (None, None, None)
        self.model: keras.Model | None = None

    def make(self, dtype: str | None = None) -> Layer:
        """A fresh cell from the row's config (float64 everywhere when asked)."""
        config = json.loads(json.dumps(self.config))
        if dtype is not None:
            _set_dtype(config, dtype)
        return deserialize_keras_object(config, custom_objects=self.custom_objects)

    def states(self, cell: Layer, dtype: str = "float32") -> list:
        """Random states nested like `cell.state_size`."""

        def draw(size):
            if isinstance(size, list | tuple):
                return [draw(s) for s in size]
            return self.rng.standard_normal((len(self.x), size)).astype(dtype)

        size = cell.state_size
        return draw(size) if isinstance(size, list | tuple) else [draw(size)]

    def check_counts(self, cell: Layer, after: str) -> None:
        _, trainable, non_trainable = self.expected
        counts = (len(cell.trainable_weights), len(cell.non_trainable_weights))
        for kind, count, want in zip(
            ("trainable", "non-trainable"), counts, (trainable, non_trainable), strict=True
        ):
            assert want is None or count == want, f"after {after}, {count} {kind}; want {want}"

    def check_config(self) -> None:
        cell = self.make()
        config = cell.get_config()
        for how, again, through_json in (
            ("from_config(get_config())", self.layer_cls.from_config(config), False),
            ("from_config through JSON", self.layer_cls.from_config(_through_json(config)), True),
            (
                "deserialize_keras_object(serialize_keras_object(cell))",
                deserialize_keras_object(serialize_keras_object(cell), self.custom_objects),
                False,
            ),
        ):
            assert type(again) is self.layer_cls, f"{how} made a {type(again).__name__}"
            _assert_same_config(how, config, again.get_config(), through_json)
        states = self.states(cell)
        reference, _ = cell(self.x, states)
        clone = self.layer_cls.from_config(config)
        clone(self.x, states)
        clone.set_weights(cell.get_weights())
        again, _ = clone(self.x, states)
        np.testing.assert_array_equal(again.numpy(), reference.numpy(), err_msg="the clone's step")

    def check_eager(self) -> None:
        cell = self.make()
        output, new_states = cell(self.x, self.states(cell))
        assert isinstance(output, Tensor), f"the output is a {type(output).__name__}"
        size = getattr(cell, "output_size", None)
        assert output.shape == (len(self.x), size), f"output shape {output.shape}"
        expected_shape = self.expected[0]
        assert expected_shape is None or output.shape == tuple(expected_shape)
        want = _state_shapes(cell.state_size, len(self.x))
        got = [tuple(s.shape) for s in flatten(new_states)]
        assert got == want, f"new states' shapes {got}; state_size says {want}"
        dtypes = {str(t.dtype) for t in [output, *flatten(new_states)]}
        assert dtypes == {cell.dtype}, f"dtypes {dtypes}; the cell's is {cell.dtype}"
        self.check_counts(cell, "a step")

    def check_build(self) -> None:
        cell = self.make()
        cell.build(self.x.shape)
        assert cell.built, "build(input_shape) did not mark the cell built"
        self.check_counts(cell, "build")
        count = len(cell.weights)
        cell(self.x, self.states(cell))
        assert len(cell.weights) == count, "a call after build added weights"

    def check_symbolic(self) -> None:
        cell = self.make()
        output = RNN(cell)(Input((TIMESTEPS, self.x.shape[1])))
        assert output.shape == (None, cell.output_size), f"symbolic output {output.shape}"

    def check_gradient(self) -> None:
        cell = self.make(dtype="float64")
        x = self.x.astype("float64")
        states = self.states(cell, "float64")
        cell(x, states)  # builds it
        weights = cell.trainable_weights
        flat_states = flatten(states)
        count = 1 + len(flat_states)

        def step(*tensors):
            structure = _pack(states, list(tensors[1:count]))
            with _weights_replaced(cell, weights, tensors[count:]):
                output, new_states = cell(tensors[0], structure)
            return keras.ops.concatenate([output, *flatten(new_states)], axis=-1)

        grads = check_gradients(step, x, *flat_states, *[w.numpy() for w in weights])
        unreached = [w.path for w, g in zip(weights, grads[count:], strict=True) if g is None]
        assert not unreached, f"the step does not depend on {unreached}"

    def tiny_model(self) -> keras.Model:
        return keras.Sequential([Input(self.sequence.shape[1:]), RNN(self.make())])

    def check_training(self) -> None:
        model = self.tiny_model()
        model.compile(optimizer="sgd", loss="mse")
        target = self.rng.standard_normal(model.output_shape[1:])[None].repeat(len(self.x), 0)
        before = [w.numpy() for w in model.trainable_weights]
        model.fit(self.sequence, target, batch_size=len(self.x), epochs=1, verbose=0)
        unmoved = [
            w.path
            for w, old in zip(model.trainable_weights, before, strict=True)
            if np.array_equal(w.numpy(), old)
        ]
        assert not unmoved, f"one SGD step left these weights unchanged: {unmoved}"
        self.model = model

    def check_saving(self, tmp_path: Path | None) -> None:
        model = self.model or self.tiny_model()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(tmp_path or folder) / "cell.keras"
            model.save(path)
            loaded = keras.saving.load_model(path, custom_objects=self.custom_objects)
        cell, again = model.layers[-1].cell, loaded.layers[-1].cell
        assert type(again) is self.layer_cls, f"loaded back as a {type(again).__name__}"
        _assert_same_config("saving", cell.get_config(), again.get_config(), through_json=True)
        for old, new in zip(model.get_weights(), loaded.get_weights(), strict=True):
            np.testing.assert_array_equal(new, old)
        np.testing.assert_array_equal(
            loaded.predict(self.sequence, verbose=0), model.predict(self.sequence, verbose=0)
        )


def _set_dtype(config, dtype: str) -> None:
    """Every `dtype` inside a config (a cell's, and those of the cells it holds) -> `dtype`."""
    if isinstance(config, dict):
        for key, value in config.items():
            if key == "dtype":
                config[key] = dtype
            else:
                _set_dtype(value, dtype)
    elif isinstance(config, list):
        for item in config:
            _set_dtype(item, dtype)


def _state_shapes(state_size, batch: int) -> list[tuple[int, int]]:
    if isinstance(state_size, list | tuple):
        return [shape for size in state_size for shape in _state_shapes(size, batch)]
    return [(batch, int(state_size))]


def _pack(structure, leaves: list):
    leaves = iter(leaves)

    def pack(item):
        return [pack(part) for part in item] if isinstance(item, list | tuple) else next(leaves)

    return pack(structure)

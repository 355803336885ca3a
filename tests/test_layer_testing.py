"""`run_layer_test` itself: each check catches the fault it is there for, and every layer
exported from `teachkeras.layers` has a row in some layer file's table."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

import teachkeras.layers
from teachkeras import ops
from teachkeras.backend.tensor import record
from teachkeras.layers import Dense, InputLayer, Layer, Wrapper
from tests.helpers.layer_testing import CHECKS, LayerTestError, run_layer_test

# The files whose LAYER_CASES tables, together, must cover every exported layer class.
LAYER_TEST_MODULES = [
    "test_layers",
    "test_conv",
    "test_pooling",
    "test_merging",
    "test_reshaping_images",
    "test_batch_normalization",
    "test_sequence_layers",
    "test_text",
    "test_recurrent",
    "test_layer_normalization",
    "test_attention",
    "test_image_preprocessing",
    "test_categorical_preprocessing",
    "test_conv_nd",
    "test_volume_layers",
    "test_noise_and_normalization",
    "test_lambda",
]
NO_ROW = {
    Layer: "the abstract base (its call() raises); test_layers.py runs the contract on a "
    "learner's subclass of it, Scale",
    InputLayer: "never called on data: it makes a model's Input tensor; test_layers.py and every "
    "model test cover it",
    Wrapper: "the abstract base of TimeDistributed (no call() of its own); TimeDistributed's "
    "rows in test_sequence_layers.py run the contract on it",
}


def test_every_exported_layer_class_has_a_run_layer_test_row():
    exported = {
        obj
        for name in teachkeras.layers.__all__
        if inspect.isclass(obj := getattr(teachkeras.layers, name)) and issubclass(obj, Layer)
    }
    tested = {
        case.values[0]["layer_cls"]
        for module in LAYER_TEST_MODULES
        for case in importlib.import_module(module).LAYER_CASES
    }
    missing = sorted(cls.__name__ for cls in exported - tested - set(NO_ROW))
    assert not missing, (
        f"layers without a run_layer_test row: {missing}; add a layer_case(...) to the "
        "LAYER_CASES table of their test file (or to NO_ROW here, with the reason)"
    )
    assert set(NO_ROW) <= exported, "NO_ROW names a class teachkeras.layers no longer exports"


# --- each check catches its fault: one broken layer per check ------------------------------------
class ForgetsItsFactor(Layer):
    """get_config leaves `factor` out, so the layer re-created from it computes x * 1."""

    def __init__(self, factor: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


class ComputesTheWrongShape(Layer):
    def call(self, x):
        return x

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 99)


class MakesWeightsInCall(Layer):
    """Creates its weight on the first call instead of in build."""

    def call(self, x):
        if not self.weights:
            self.w = self.add_weight(shape=(x.shape[-1],), initializer="ones", name="w")
        return x * self.w


class FixesTheBatchSize(Layer):
    def call(self, x):
        return x

    def compute_output_shape(self, input_shape):
        return (2, *input_shape[1:])


class WrongGradient(Layer):
    """x² with a backward that forgot the 2."""

    def call(self, x):
        return record(np.square(x.data), (x,), (lambda g: g * x.data,))


class NeverReadsItsWeight(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * 2.0


class IgnoresAWeightInTraining(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.v = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="v")

    def call(self, x, training=False):
        return x * self.w if training else x * self.w * self.v


class CountsStepsOutsideItsWeights(Layer):
    """A training step counter kept in a Python attribute: it is lost on saving."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.steps = 0

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x, training=False):
        if training:
            self.steps += 1
        return x * self.w + float(self.steps)


@pytest.mark.parametrize(
    "layer_cls, init_kwargs, check, message",
    [
        (ForgetsItsFactor, {"factor": 2.0}, "config", "computes another output"),
        (ComputesTheWrongShape, {}, "eager", r"compute_output_shape\(\(2, 3\)\) = \(2, 99\)"),
        (MakesWeightsInCall, {}, "build", "after build.*0 trainable weights; expected 1"),
        (FixesTheBatchSize, {}, "symbolic", r"batch axis became known: \(2, 3\)"),
        (WrongGradient, {}, "gradient", "Gradient of input 0 disagrees"),
        (NeverReadsItsWeight, {}, "gradient", r"does not depend on the weights \['.*/w'\]"),
        pytest.param(
            IgnoresAWeightInTraining,
            {},
            "training",
            r"unchanged: \['.*/v'\]",
            marks=pytest.mark.filterwarnings("ignore:Gradients do not exist for variables"),
        ),
        (CountsStepsOutsideItsWeights, {}, "saving", "the loaded model predicts otherwise"),
    ],
)
def test_each_check_fails_on_the_fault_it_is_for(layer_cls, init_kwargs, check, message):
    name = layer_cls.__name__
    with pytest.raises(
        LayerTestError, match=rf"(?s){name}\(.*\): the {check} check failed: .*{message}"
    ):
        run_layer_test(layer_cls, init_kwargs, input_shape=(2, 3), custom_objects={name: layer_cls})


def test_expected_values_counts_and_losses_are_checked():
    x = np.ones((2, 3), "float32")
    with pytest.raises(
        LayerTestError, match=r"Dense\(units=2, kernel_initializer='ones'\): the eager"
    ):
        run_layer_test(  # x @ ones = 3, not 4
            Dense,
            {"units": 2, "kernel_initializer": "ones"},
            input_data=x,
            expected_output=np.full((2, 2), 4.0),
        )
    with pytest.raises(LayerTestError, match="2 trainable weights; expected 1"):
        run_layer_test(Dense, {"units": 2}, input_shape=(2, 3), expected_num_trainable_weights=1)
    with pytest.raises(LayerTestError, match="0 losses after the call; expected 1"):
        run_layer_test(Dense, {"units": 2}, input_shape=(2, 3), expected_num_losses=1)
    with pytest.raises(LayerTestError, match=r"output shape \(2, 2\); expected \(2, 3\)"):
        run_layer_test(Dense, {"units": 2}, input_shape=(2, 3), expected_output_shape=(2, 3))


def test_a_skipped_check_says_why_and_false_is_refused():
    report = run_layer_test(
        Dense, {"units": 2}, input_shape=(2, 3), run_saving_check="the example has no files"
    )
    assert report.skipped == {"saving": "the example has no files"}
    assert report.passed == [check for check in CHECKS if check != "saving"]
    with pytest.raises(ValueError, match="give the reason: run_gradient_check='why"):
        run_layer_test(Dense, {"units": 2}, input_shape=(2, 3), run_gradient_check=False)


def test_the_gradient_check_varies_the_weights_too():
    """A layer whose weight gets a wrong gradient (its input's is right) fails the check."""

    class WrongWeightGradient(Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            w = record(self.w.data, (self.w,), (lambda g: 2 * g,))  # the identity, gradient 2g
            return x * ops.stop_gradient(self.w) + w

    with pytest.raises(
        LayerTestError, match=r"the gradient check failed.*input 1.*inputs, in order: input 0, .*/w"
    ):
        run_layer_test(
            WrongWeightGradient,
            input_shape=(2, 3),
            custom_objects={"WrongWeightGradient": WrongWeightGradient},
        )


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="input_shape or input_data"):
        run_layer_test(Dense, {"units": 2})
    with pytest.raises(ValueError, match="batch axis included"):
        run_layer_test(Dense, {"units": 2}, input_shape=(None, 3))
    with pytest.raises(ValueError, match="expected_output needs input_data"):
        run_layer_test(Dense, {"units": 2}, input_shape=(2, 3), expected_output=np.zeros((2, 2)))

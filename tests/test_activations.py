"""Activation functions: values at hand-computed points, gradients, names and errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from teachkeras import activations
from teachkeras import backend as K
from teachkeras.legacy import KerasLegacyWarning


def values(y) -> np.ndarray:
    return np.asarray(K.as_array(y), dtype=np.float64)


X = np.array([-2.0, -0.5, 0.0, 1.0, 4.0], dtype="float32")


def sig(v):
    return 1 / (1 + math.exp(-v))


# name -> (function, expected values on X, computed by hand from the formula)
EXPECTED = {
    "linear": [-2, -0.5, 0, 1, 4],
    "relu": [0, 0, 0, 1, 4],
    "relu6": [0, 0, 0, 1, 4],
    "leaky_relu": [-0.4, -0.1, 0, 1, 4],
    "elu": [math.exp(-2) - 1, math.exp(-0.5) - 1, 0, 1, 4],
    "selu": [
        activations.SELU_SCALE * activations.SELU_ALPHA * (math.exp(v) - 1) if v < 0
        else activations.SELU_SCALE * v
        for v in X
    ],
    "celu": [math.exp(-2) - 1, math.exp(-0.5) - 1, 0, 1, 4],
    "sigmoid": [sig(v) for v in X],
    "hard_sigmoid": [1 / 6, 2.5 / 6, 0.5, 4 / 6, 1.0],
    "log_sigmoid": [math.log(sig(v)) for v in X],
    "sparse_sigmoid": [0, 0.25, 0.5, 1, 1],
    "tanh": [math.tanh(v) for v in X],
    "hard_tanh": [-1, -0.5, 0, 1, 1],
    "tanh_shrink": [v - math.tanh(v) for v in X],
    "softplus": [math.log1p(math.exp(v)) for v in X],
    "softsign": [-2 / 3, -1 / 3, 0, 0.5, 0.8],
    "silu": [v * sig(v) for v in X],
    "swish": [v * sig(v) for v in X],
    "hard_silu": [-2 / 6, -0.5 * 2.5 / 6, 0, 4 / 6, 4],
    "hard_swish": [-2 / 6, -0.5 * 2.5 / 6, 0, 4 / 6, 4],
    "gelu": [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in X],
    "mish": [v * math.tanh(math.log1p(math.exp(v))) for v in X],
    "squareplus": [(v + math.sqrt(v * v + 4)) / 2 for v in X],
    "sparse_plus": [0, 0.0625, 0.25, 1, 4],
    "soft_shrink": [-1.5, 0, 0, 0.5, 3.5],
    "hard_shrink": [-2, 0, 0, 1, 4],
    "exponential": [math.exp(v) for v in X],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_values_at_hand_computed_points(name):
    y = activations.get(name)(X)
    np.testing.assert_allclose(values(y), EXPECTED[name], rtol=1e-6, atol=1e-7)
    if name != "linear":
        assert y.dtype == np.float32, "float32 in, float32 out"


def test_gelu_tanh_approximation():
    v = 1.5
    inner = math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)
    expected = 0.5 * v * (1 + math.tanh(inner))
    assert values(activations.gelu(np.array([v]), approximate=True))[0] == pytest.approx(expected)
    # the two forms differ, but only slightly
    exact = values(activations.gelu(np.array([v])))[0]
    assert exact != pytest.approx(expected, abs=1e-6) and exact == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [0, 0, 0, 5, 10]),
        ({"negative_slope": 0.5}, [-5, -2.5, 0, 5, 10]),
        ({"max_value": 5.0}, [0, 0, 0, 5, 5]),
        ({"threshold": 5.0}, [0, 0, 0, 0, 10]),
        ({"negative_slope": 0.5, "threshold": 5.0}, [-7.5, -5, -2.5, 0, 10]),
        ({"negative_slope": 0.5, "max_value": 6.0}, [-5, -2.5, 0, 5, 6]),
        ({"max_value": 6.0, "threshold": 2.0}, [0, 0, 0, 5, 6]),
        ({"negative_slope": 0.1, "max_value": 7.0, "threshold": 1.0}, [-1.1, -0.6, -0.1, 5, 7]),
    ],
)
def test_relu_options(kwargs, expected):
    # The examples of Keras's docstring, plus the combinations.
    x = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], dtype="float32")
    np.testing.assert_allclose(values(activations.relu(x, **kwargs)), expected, rtol=1e-6)


def test_relu_keras2_alpha_is_negative_slope_and_warns():
    x = np.array([-2.0, 3.0])
    with pytest.warns(KerasLegacyWarning, match="negative_slope"):
        y = activations.relu(x, alpha=0.1)
    np.testing.assert_allclose(values(y), [-0.2, 3.0])
    with pytest.raises(TypeError, match="unexpected keyword"):
        activations.relu(x, slope=0.1)


def test_elu_alpha_and_celu_alpha():
    x = np.array([-1.0, 2.0])
    np.testing.assert_allclose(values(activations.elu(x, alpha=2.0)), [2 * (math.exp(-1) - 1), 2])
    np.testing.assert_allclose(
        values(activations.celu(x, alpha=2.0)), [2 * (math.exp(-0.5) - 1), 2], rtol=1e-6
    )


def test_threshold_and_shrink_parameters():
    x = np.array([-1.0, 0.3, 0.9])
    np.testing.assert_allclose(values(activations.threshold(x, 0.5, -7.0)), [-7, -7, 0.9])
    np.testing.assert_allclose(values(activations.soft_shrink(x, threshold=0.2)), [-0.8, 0.1, 0.7])
    np.testing.assert_allclose(values(activations.hard_shrink(x, threshold=0.3)), [-1, 0, 0.9])


def test_softmax_rows_sum_to_one_and_match_formula():
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], dtype="float32")
    y = values(activations.softmax(x))
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(y[0], e / e.sum(), rtol=1e-6)
    np.testing.assert_allclose(y[1], [1 / 3] * 3, rtol=1e-6)
    np.testing.assert_allclose(values(activations.softmax(x, axis=0)).sum(axis=0), 1, rtol=1e-6)


def test_softmax_accepts_1d_input_as_keras3_does():
    y = values(activations.softmax(np.array([-1.0, 0.0, 1.0])))
    np.testing.assert_allclose(y, [0.09003057, 0.24472847, 0.66524096], rtol=1e-6)


def test_softmax_over_size_one_axis_warns():
    with pytest.warns(UserWarning, match="sigmoid instead"):
        y = activations.softmax(np.ones((2, 1)))
    np.testing.assert_allclose(values(y), 1.0)


def test_softmax_over_several_axes_and_all():
    x = np.arange(12.0).reshape(2, 2, 3)
    np.testing.assert_allclose(values(activations.softmax(x, axis=(1, 2))).sum(axis=(1, 2)), 1)
    np.testing.assert_allclose(values(activations.softmax(x, axis=None)).sum(), 1)


def test_log_softmax_is_log_of_softmax():
    x = np.array([[1.0, -2.0, 0.5]])
    np.testing.assert_allclose(
        values(activations.log_softmax(x)), np.log(values(activations.softmax(x))), rtol=1e-6
    )


def test_glu_gates_first_half_with_second():
    x = np.array([[1.0, 2.0, 0.0, -1.0]])
    np.testing.assert_allclose(values(activations.glu(x)), [[0.5, 2 * sig(-1.0)]], rtol=1e-6)
    with pytest.raises(ValueError, match="even"):
        activations.glu(np.ones((2, 3)))


def test_sparsemax_is_a_sparse_distribution():
    x = np.array([[1.0, 0.8, 0.1, -1.0], [0.0, 0.0, 5.0, 0.0]])
    y = values(activations.sparsemax(x))
    # row 0: support {1.0, 0.8}, tau = (1.8 - 1) / 2 = 0.4
    np.testing.assert_allclose(y, [[0.6, 0.4, 0, 0], [0, 0, 1, 0]], atol=1e-7)
    np.testing.assert_allclose(values(activations.sparsemax(x.T, axis=0)), y.T, atol=1e-7)


def test_integer_input_becomes_floatx():
    y = activations.sigmoid(np.array([0, 1]))
    assert y.dtype == np.float32
    np.testing.assert_allclose(values(y), [0.5, sig(1)], rtol=1e-6)


def test_float64_stays_float64():
    assert activations.gelu(np.array([0.3])).dtype == np.float64
    assert activations.selu(np.array([-0.3])).dtype == np.float64


def test_no_overflow_warnings_for_large_inputs():
    x = np.array([-1000.0, 1000.0], dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("sigmoid", "softplus", "elu", "selu", "celu", "mish", "log_sigmoid", "silu"):
            assert np.all(np.isfinite(values(activations.get(name)(x)))), name


# --- gradients (float64, finite differences), at points away from every kink -------------------
POINTS = np.array([[-4.3, -2.7, -1.6, -0.8, -0.3], [0.2, 0.7, 1.4, 2.2, 3.6]])

GRADIENT_CASES = {
    **{name: activations.get(name) for name in EXPECTED},
    "relu_slope_max_threshold": lambda x: activations.relu(
        x, negative_slope=0.3, max_value=2.0, threshold=0.5
    ),
    "relu_max": lambda x: activations.relu(x, max_value=1.0),
    "relu_threshold": lambda x: activations.relu(x, threshold=-1.0),
    "elu_alpha": lambda x: activations.elu(x, alpha=1.7),
    "celu_alpha": lambda x: activations.celu(x, alpha=0.6),
    "gelu_approximate": lambda x: activations.gelu(x, approximate=True),
    "softmax": activations.softmax,
    "softmax_axis0": lambda x: activations.softmax(x, axis=0),
    "log_softmax": activations.log_softmax,
    "glu": activations.glu,
    "sparsemax": activations.sparsemax,
    "threshold": lambda x: activations.threshold(x, 0.5, -1.0),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_finite_differences(name):
    fn = GRADIENT_CASES[name]
    x = POINTS if name != "glu" else POINTS[:, :4]
    if name == "linear":
        fn = lambda t: activations.linear(t) * 1.0  # noqa: E731 - make a graph to differentiate
    K.check_gradients(fn, x)


def test_gradient_of_relu6_is_zero_outside_0_6():
    x = K.Variable(np.array([-1.0, 3.0, 7.0]))
    (g,) = K.gradients(K.sum(activations.relu6(x)), [x])
    np.testing.assert_array_equal(g, [0, 1, 0])


# --- names ----------------------------------------------------------------------------------------
def test_get_none_is_linear_and_callables_pass_through():
    assert activations.get(None) is activations.linear
    fn = lambda x: x  # noqa: E731
    assert activations.get(fn) is fn
    assert activations.get(activations.relu) is activations.relu


def test_get_aliases():
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.swish is activations.silu


def test_get_unknown_name_suggests_the_closest():
    with pytest.raises(ValueError, match=r"Unknown activation function: 'rleu'.*'relu'"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)


@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS))
def test_serialize_deserialize_round_trip(name):
    fn = activations.get(name)
    stored = activations.serialize(fn)
    assert stored == fn.__name__
    assert activations.deserialize(stored) is fn


def test_deserialize_keras3_function_dict():
    config = {
        "module": "builtins",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    assert activations.get(config) is activations.relu


def test_serialize_unregistered_function_is_a_clear_error():
    with pytest.raises(ValueError, match="register_keras_serializable"):
        activations.serialize(lambda x: x)


def test_registered_custom_activation_round_trip():
    from teachkeras.serialization.registry import (
        _GLOBAL_CUSTOM_OBJECTS,
        register_keras_serializable,
    )

    @register_keras_serializable(package="test_acts")
    def doubled(x):
        return x * 2.0

    try:
        stored = activations.serialize(doubled)
        assert stored["config"] == "test_acts>doubled"
        assert activations.deserialize(stored) is doubled
        assert activations.get("doubled") is doubled
    finally:
        _GLOBAL_CUSTOM_OBJECTS.pop("test_acts>doubled", None)


def test_custom_objects_argument():
    fn = lambda x: x  # noqa: E731
    assert activations.deserialize("mine", custom_objects={"mine": fn}) is fn

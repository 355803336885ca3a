"""`Lambda`: what it computes (arguments, masks, training), its shapes, its configs, and how it
saves and loads: a named function by name, a Python lambda only from the function the learner
passes (teachkeras never runs code read from a file)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import ops
from teachkeras.layers import Dense, Embedding, Input, Lambda
from teachkeras.saving import ModelFileError, load_model
from tests.helpers.layer_testing import layer_case, run_layer_test


@keras.saving.register_keras_serializable(package="tests")
def cube(x):
    return x**3


@keras.saving.register_keras_serializable(package="tests")
def scaled_shift(x, scale=1.0, shift=0.0):
    return x * scale + shift


def double(x):  # not registered: it must come in custom_objects
    return x * 2.0


def test_calls_the_function_with_its_arguments():
    x = np.array([[1.0, -2.0]], "float32")
    np.testing.assert_allclose(Lambda(lambda t: t**2)(x).numpy(), [[1.0, 4.0]])
    layer = Lambda(scaled_shift, arguments={"scale": 3.0, "shift": 1.0})
    np.testing.assert_allclose(layer(x).numpy(), [[4.0, -5.0]])
    np.testing.assert_allclose(Lambda(ops.abs)(x).numpy(), [[1.0, 2.0]])
    both = Lambda(lambda pair: pair[0] - pair[1])([x, x * 3])
    np.testing.assert_allclose(both.numpy(), [[-2.0, 4.0]])


def test_fills_mask_and_training_when_the_function_takes_them():
    seen = {}

    def spy(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    inputs = Embedding(4, 2, mask_zero=True)(np.array([[1, 0]]))
    with pytest.warns(UserWarning, match="does not support masking"):  # no mask=: Keras's warning
        Lambda(spy)(inputs, training=True)
    np.testing.assert_array_equal(seen["mask"].numpy(), [[True, False]])
    assert seen["training"] is True


def test_output_shape_inferred_given_or_computed():
    assert Lambda(lambda t: t[:, :2])(Input((5,))).shape == (None, 2)
    assert Lambda(lambda t: ops.concatenate([t, t], axis=-1))(Input((3, 4))).shape == (None, 3, 8)
    assert Lambda(lambda t: t, output_shape=(7,)).compute_output_shape((None, 7)) == (None, 7)
    layer = Lambda(lambda t: t, output_shape=lambda shape: (shape[0], 9))
    assert layer.compute_output_shape((4, 9)) == (4, 9)
    two = Lambda(lambda t: [t, t], output_shape=[(3,), (3,)])
    assert two.compute_output_shape((2, 3)) == [(2, 3), (2, 3)]

    def needs_a_known_width(t):
        raise ValueError("no")

    with pytest.raises(NotImplementedError, match=r"could not infer the shape.*`output_shape`"):
        Lambda(needs_a_known_width)(Input((3,)))


def test_masks_as_in_keras():
    x = Embedding(4, 2, mask_zero=True)(np.array([[1, 0, 2]]))
    plain = Lambda(lambda t: t * 2)
    with pytest.warns(UserWarning, match="does not support masking"):
        assert getattr(plain(x), "_keras_mask", None) is None  # Keras: no mask= -> dropped
    keep = Lambda(lambda t: t * 2, mask=lambda inputs, mask: mask)
    assert keep.supports_masking
    np.testing.assert_array_equal(keep(x)._keras_mask.numpy(), [[True, False, True]])
    fixed = Lambda(lambda t: t * 1, mask=np.array([[False, True, True]]))
    np.testing.assert_array_equal(np.asarray(fixed(x)._keras_mask), [[False, True, True]])


def test_gradients_flow_through_the_ops_it_uses():
    layer = Lambda(lambda t: ops.sum(t**2, axis=-1, keepdims=True))
    x = keras.backend.Variable(np.array([[1.0, 2.0]]))
    with keras.backend.GradientTape() as tape:
        loss = keras.backend.sum(layer(x))
    np.testing.assert_allclose(tape.gradient(loss, x), [[2.0, 4.0]])


# --- configs ------------------------------------------------------------------------------------------
def test_configs_are_keras_3s():
    config = Lambda(cube, name="c").get_config()
    assert config["function"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "tests>cube",
        "registered_name": "function",
    }
    assert config["arguments"] == {} and "output_shape" not in config and "mask" not in config
    code = Lambda(lambda t: t + 1, output_shape=(3,)).get_config()
    assert code["function"]["class_name"] == "__lambda__"
    assert set(code["function"]["config"]) == {"code", "defaults", "closure"}
    assert code["output_shape"] == (3,)
    arrays = Lambda(scaled_shift, arguments={"scale": np.array([1.0, 2.0])}).get_config()
    assert arrays["arguments"]["scale"] == {
        "class_name": "__numpy__",
        "config": {"value": [1.0, 2.0], "dtype": "float64"},
    }
    again = Lambda.from_config(json.loads(json.dumps(arrays)))
    np.testing.assert_array_equal(again.arguments["scale"], [1.0, 2.0])


def test_from_config_finds_yours_and_keras_functions_and_says_what_is_missing():
    relu = Lambda.from_config({"function": {"class_name": "function", "config": "relu"}})
    np.testing.assert_array_equal(relu(np.array([[-1.0, 2.0]])).numpy(), [[0.0, 2.0]])
    square = Lambda.from_config({"function": {"class_name": "function", "config": "square"}})
    assert square.function is ops.square
    config = Lambda(double, name="d").get_config()
    with pytest.raises(
        ValueError, match=r"calls the function 'double'.*custom_objects=\{'double': double\}"
    ):
        Lambda.from_config(config)
    assert Lambda.from_config(config, custom_objects={"double": double}).function is double
    with pytest.raises(TypeError, match="Lambda wraps a function"):
        Lambda("x * 2")
    with pytest.raises(ValueError, match="Lambda cannot save"):
        Lambda(np.square).get_config()


def test_keras2_lambda_configs_are_read():
    config = {"name": "l", "function": "double", "function_type": "function", "module": "__main__",
              "output_shape": [4], "output_shape_type": "raw", "output_shape_module": None,
              "arguments": {}}  # fmt: skip
    layer = Lambda.from_config(config, custom_objects={"double": double})
    assert layer.function is double and layer.compute_output_shape((None, 4)) == (None, 4)


# --- saving: a file's code is never run ---------------------------------------------------------------------
def _model(function):
    model = keras.Sequential(
        [Input((3,)), Dense(2, name="dense"), Lambda(function, name="square_it")]
    )
    model.compile("sgd", "mse")
    return model


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_python_lambda_loads_only_from_the_function_you_pass(suffix, tmp_path):
    model = _model(lambda t: t**2)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    path = tmp_path / f"model{suffix}"
    model.save(path)
    with pytest.raises(
        ModelFileError,
        match=r"Python code \(a Python lambda, in Lambda 'square_it'\).*safe_mode=False",
    ):
        load_model(path)
    with pytest.raises(ModelFileError, match=r"never runs code read from a file.*'square_it'"):
        load_model(path, safe_mode=False)
    loaded = load_model(path, safe_mode=False, custom_objects={"square_it": lambda t: t**2})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert loaded.get_layer("square_it").get_config()["function"]["class_name"] == "__lambda__"


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_named_function_loads_in_safe_mode_from_custom_objects(suffix, tmp_path):
    model = _model(double)
    path = tmp_path / f"model{suffix}"
    model.save(path)
    with pytest.raises(ModelFileError, match=r"custom_objects=\{'double': double\}"):
        load_model(path)
    loaded = load_model(path, custom_objects={"double": double})
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_a_lambda_in_json_needs_the_function_too():
    text = _model(lambda t: t**2).to_json()
    with pytest.raises(ModelFileError, match="safe_mode=False"):
        keras.models.model_from_json(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.saving.deserialize_keras_object(
            json.loads(text), custom_objects={"square_it": lambda t: t**2}, safe_mode=False
        )
    assert model.layers[-1].compute_output_shape((None, 2)) == (None, 2)


# --- the contract ----------------------------------------------------------------------------------------
LAYER_CASES = [
    layer_case(Lambda, {"function": cube}, input_shape=(2, 3), expected_output_shape=(2, 3)),
    layer_case(
        Lambda,
        {
            "function": scaled_shift,
            "arguments": {"scale": 2.0, "shift": -1.0},
            "output_shape": (3,),
        },
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        supports_masking=False,
    ),
    layer_case(Lambda, {"function": ops.tanh}, input_shape=(2, 2, 3)),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)

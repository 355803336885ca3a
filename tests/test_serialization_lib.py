"""`keras.saving.serialize_keras_object` / `deserialize_keras_object`: every kind, both ways."""

from __future__ import annotations

import json

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import layers
from teachkeras.saving import (
    ModelFileError,
    deserialize_keras_object,
    safe_mode,
    serialize_keras_object,
)

OBJECTS = {
    "initializer": lambda: keras.initializers.GlorotUniform(seed=3),
    "regularizer": lambda: keras.regularizers.L1L2(l1=0.1, l2=0.2),
    "constraint": lambda: keras.constraints.MaxNorm(2.0, axis=1),
    "loss": lambda: keras.losses.CategoricalCrossentropy(from_logits=True),
    "metric": lambda: keras.metrics.Accuracy(name="acc"),
    "optimizer": lambda: keras.optimizers.Adam(0.01, beta_1=0.8),
    "schedule": lambda: keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9),
    "layer": lambda: layers.Dense(3, activation="relu", name="d"),
}


@pytest.mark.parametrize("kind", sorted(OBJECTS))
def test_round_trip_keeps_class_and_config(kind):
    obj = OBJECTS[kind]()
    config = serialize_keras_object(obj)
    assert set(config) >= {"module", "class_name", "config", "registered_name"}
    assert json.loads(json.dumps(config)) == config  # JSON-ready
    back = deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(back) is type(obj) and back is not obj
    assert back.get_config() == obj.get_config()


def test_schedules_get_keras_3s_module():
    config = serialize_keras_object(OBJECTS["schedule"]())
    assert config["module"] == "keras.optimizers.schedules"
    optimizer = serialize_keras_object(keras.optimizers.SGD(OBJECTS["schedule"]()))
    assert optimizer["config"]["learning_rate"]["module"] == "keras.optimizers.schedules"


@pytest.mark.parametrize(
    "function", [keras.activations.relu, keras.activations.softmax, keras.losses.mean_squared_error]
)
def test_functions_by_name(function):
    config = serialize_keras_object(function)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": function.__name__,
        "registered_name": "function",
    }
    assert deserialize_keras_object(config) is function


def test_keras_3s_longer_module_names_dispatch_too():
    adam = {
        "module": "keras.src.backend.torch.optimizers.torch_adam",
        "class_name": "Adam",
        "config": {"learning_rate": 0.5},
        "registered_name": None,
    }
    assert float(deserialize_keras_object(adam).learning_rate.numpy()) == 0.5
    schedule = {
        "module": "keras.src.optimizers.schedules.learning_rate_schedule",
        "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 1.0, "decay_steps": 5},
    }
    assert type(deserialize_keras_object(schedule)).__name__ == "CosineDecay"


def test_a_layer_comes_back_built_and_a_model_compiled():
    dense = layers.Dense(2)
    dense(np.ones((1, 4), dtype="float32"))
    back = deserialize_keras_object(serialize_keras_object(dense))
    assert back.built and back.kernel.shape == (4, 2)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)], name="m")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    clone = deserialize_keras_object(serialize_keras_object(model))
    assert isinstance(clone, keras.Sequential) and clone.name == "m" and clone.compiled
    assert type(clone.optimizer).__name__ == "Adam"
    assert clone.predict(np.ones((1, 4)), verbose=0).shape == (1, 2)


def test_plain_values_and_keras_special_values():
    values = {"a": [1, 2.5, "x", None, True], "t": (1, 2)}
    assert deserialize_keras_object(serialize_keras_object(values)) == {
        "a": [1, 2.5, "x", None, True],
        "t": [1, 2],  # a tuple comes back a list, as in Keras 3
    }
    array = np.arange(6, dtype="float16").reshape(2, 3)
    config = serialize_keras_object(array)
    assert config == {
        "class_name": "__numpy__",
        "config": {"value": array.tolist(), "dtype": "float16"},
    }
    back = deserialize_keras_object(config)
    assert back.dtype == np.float16 and (back == array).all()
    tensor = deserialize_keras_object(serialize_keras_object(keras.backend.constant([1.0, 2.0])))
    assert isinstance(tensor, keras.backend.Tensor) and tensor.numpy().tolist() == [1.0, 2.0]
    assert serialize_keras_object(np.float32(0.5)) == 0.5
    for value in (b"bytes", slice(1, None, 2), Ellipsis):
        assert deserialize_keras_object(serialize_keras_object(value)) == value


def test_your_own_classes_registered_or_passed():
    @keras.saving.register_keras_serializable(package="lib_test")
    class Halve(layers.Layer):
        def call(self, x):
            return x / 2

    config = serialize_keras_object(Halve(name="h"))
    assert config["registered_name"] == "lib_test>Halve"
    assert isinstance(deserialize_keras_object(config), Halve)

    class Mine(keras.regularizers.Regularizer):
        def __call__(self, x):
            return 0.0

        def get_config(self):
            return {}

    config = serialize_keras_object(Mine())
    with pytest.raises(ValueError, match="Cannot deserialize object of type `Mine`"):
        deserialize_keras_object(config)
    assert isinstance(deserialize_keras_object(config, custom_objects={"Mine": Mine}), Mine)

    def my_activation(x):
        return x

    named = {"module": "builtins", "class_name": "function", "config": "my_activation"}
    assert deserialize_keras_object(named, custom_objects={"my_activation": my_activation}) is (
        my_activation
    )
    assert deserialize_keras_object("my_activation", module_objects={"my_activation": 1}) == 1


def test_nested_custom_objects_are_found_inside_a_layer():
    def scaled_tanh(x):
        return keras.activations.tanh(x) * 2

    config = serialize_keras_object(layers.Dense(2, activation="tanh"))
    config["config"]["activation"] = "scaled_tanh"  # as a file names a function of yours
    dense = deserialize_keras_object(config, custom_objects={"scaled_tanh": scaled_tanh})
    assert dense.activation is scaled_tanh


def test_unknown_names_and_bad_input_explain():
    with pytest.raises(ValueError, match="Unknown function 'not_a_function'"):
        deserialize_keras_object(
            {"module": "builtins", "class_name": "function", "config": "not_a_function"}
        )
    with pytest.raises(ValueError, match="Did you mean 'Dense'"):
        deserialize_keras_object({"module": "keras.layers", "class_name": "Dens", "config": {}})
    with pytest.raises(TypeError, match="could not parse config"):
        deserialize_keras_object(object())
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        deserialize_keras_object({}, compile=True)


def test_lambdas_are_never_rebuilt(monkeypatch):
    monkeypatch.setattr(safe_mode._state, "unsafe_deserialization", False)
    code = {"class_name": "__lambda__", "config": {"value": "YmFk"}}
    with pytest.raises(ValueError, match="disallowed by default"):
        deserialize_keras_object(code)
    with pytest.raises(ValueError, match="never rebuilds code"):
        deserialize_keras_object(code, safe_mode=False)
    with pytest.raises(ValueError, match="lambda cannot be saved"):
        serialize_keras_object(lambda x: x)
    lambda_layer = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "l", "function": code},
    }
    with pytest.raises(ModelFileError, match="Python code"):
        deserialize_keras_object(lambda_layer)

"""`keras.models.clone_model`: same architecture and config, new layers, fresh weights."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import layers
from teachkeras.models import clone_model

X = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")


def sequential(compiled: bool = True):
    model = keras.Sequential(
        [
            layers.Dense(8, activation="relu", input_shape=(4,), name="hidden"),
            layers.Dropout(0.3, name="drop"),
            layers.Dense(2, activation="softmax", name="out"),
        ],
        name="seq",
    )
    if compiled:
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


def functional():
    """Two inputs, two outputs, and a layer used twice (its weights shared)."""
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.Concatenate(name="cat")([shared(a), shared(b)])
    out_1 = layers.Dense(1, name="out_1")(merged)
    out_2 = layers.Dense(2, name="out_2")(layers.Add(name="add")([shared(a), shared(b)]))
    return keras.Model([a, b], [out_1, out_2], name="func")


def assert_fresh_copy(model, clone):
    assert clone is not model and type(clone) is type(model)
    assert clone.get_config() == model.get_config()
    for old, new in zip(model.layers, clone.layers, strict=True):
        assert new is not old
    old_weights, new_weights = model.get_weights(), clone.get_weights()
    assert [w.shape for w in new_weights] == [w.shape for w in old_weights]
    kernels = [(a, b) for a, b in zip(old_weights, new_weights, strict=True) if a.ndim == 2]
    assert kernels and all(not np.array_equal(a, b) for a, b in kernels)  # drawn afresh


def test_sequential_clone_has_the_config_and_new_weights():
    model = sequential()
    clone = clone_model(model)
    assert_fresh_copy(model, clone)
    assert clone.input_shape == (None, 4) and clone.output_shape == (None, 2)
    assert clone.predict(X, verbose=0).shape == (5, 2)


def test_a_compiled_model_gives_a_compiled_clone_with_its_own_optimizer():
    model = sequential()
    clone = clone_model(model)
    assert clone.compiled and clone.optimizer is not model.optimizer
    assert type(clone.optimizer) is type(model.optimizer)
    assert float(clone.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    history = clone.fit(X, np.ones((5, 2)), epochs=1, verbose=0).history
    assert set(history) == {"loss", "mae"}
    assert not clone_model(sequential(compiled=False)).compiled


def test_an_unbuilt_sequential_stays_unbuilt():
    model = keras.Sequential([layers.Dense(3), layers.Dense(1)])
    clone = clone_model(model)
    assert not clone.built and [type(layer) for layer in clone.layers] == [layers.Dense] * 2
    assert clone.predict(X, verbose=0).shape == (5, 1)


def test_functional_clone_keeps_the_graph_and_shared_layers():
    model = functional()
    clone = clone_model(model)
    assert_fresh_copy(model, clone)
    shared = clone.get_layer("shared")
    assert len(shared._inbound_nodes) == 4  # still one layer, called four times
    assert [t.shape for t in clone.outputs] == [(None, 1), (None, 2)]
    out_1, out_2 = clone.predict([X, X], verbose=0)
    assert out_1.shape == (5, 1) and out_2.shape == (5, 2)


def test_clone_function_makes_each_layer():
    def ones(layer):
        config = layer.get_config()
        if "kernel_initializer" in config:
            config["kernel_initializer"] = "ones"
        return layer.__class__.from_config(config)

    clone = clone_model(sequential(), clone_function=ones)
    assert all((w == 1).all() for w in clone.get_weights() if w.ndim == 2)
    model = functional()
    same_layers = clone_model(model, clone_function=lambda layer: layer)
    assert same_layers.get_layer("shared") is model.get_layer("shared")  # weights shared
    with pytest.raises(ValueError, match="to be a callable"):
        clone_model(model, clone_function="copy")


def test_call_function_can_insert_layers():
    def dropout_after_dense(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        return layers.Dropout(0.5)(out) if isinstance(layer, layers.Dense) else out

    model = functional()
    clone = clone_model(model, call_function=dropout_after_dense)
    dropouts = [layer for layer in clone.layers if isinstance(layer, layers.Dropout)]
    assert len(dropouts) == 6  # 4 calls of `shared`, out_1, out_2
    with pytest.raises(ValueError, match="not supported with Sequential"):
        clone_model(sequential(), call_function=dropout_after_dense)


def test_input_tensors_are_used():
    model = functional()
    a, b = keras.Input((4,), name="new_a"), keras.Input((4,), name="new_b")
    clone = clone_model(model, input_tensors=[a, b])
    assert clone.inputs[0] is a and clone.inputs[1] is b
    x = keras.Input((4,), name="x")
    seq = clone_model(sequential(), input_tensors=[x])
    assert seq.inputs[0] is x and seq.output_shape == (None, 2)
    with pytest.raises(ValueError, match="same structure"):
        clone_model(model, input_tensors=[a])
    with pytest.raises(ValueError, match="must be a KerasTensor"):
        clone_model(model, input_tensors=[X, X])
    with pytest.raises(ValueError, match=r"must come from keras\.Input"):
        clone_model(sequential(), input_tensors=layers.Dense(4)(x))
    with pytest.raises(ValueError, match="single tensor"):
        clone_model(sequential(), input_tensors=[a, b])


def test_recursive_clones_nested_models_with_the_same_function():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="inner_dense")], name="inner")
    x = keras.Input((4,))
    outer = keras.Model(x, layers.Dense(1, name="head")(inner(x)))
    seen = []

    def record(layer):
        seen.append(layer.name)
        return layer.__class__.from_config(layer.get_config())

    clone_model(outer, clone_function=record)
    assert seen == ["inner", "head"]  # the nested model is one layer
    seen.clear()
    clone = clone_model(outer, clone_function=record, recursive=True)
    assert seen == ["inner_dense", "head"]
    assert clone.get_layer("inner") is not inner


# --- subclassed models -------------------------------------------------------------------------
class NoArguments(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(x)


class WithConfig(keras.Model):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class WithoutConfig(WithConfig):
    get_config = keras.layers.Layer.get_config


@pytest.mark.parametrize("cls", [NoArguments, WithConfig])
def test_subclassed_models_are_rebuilt_from_their_config(cls):
    model = cls(**({"units": 5} if cls is WithConfig else {}))
    model(X)
    clone = clone_model(model)
    assert type(clone) is cls and clone.predict(X, verbose=0).shape == model(X).shape
    assert not np.array_equal(clone.get_weights()[0], model.get_weights()[0])


def test_subclassed_models_without_their_arguments_in_get_config_raise():
    with pytest.raises(NotImplementedError, match=r"\(units\).*implement `get_config\(\)`"):
        clone_model(WithoutConfig(units=3))
    with pytest.raises(ValueError, match="only supported for Sequential models or Functional"):
        clone_model(NoArguments(), clone_function=lambda layer: layer)
    with pytest.raises(ValueError, match="only supported for Functional models"):
        clone_model(NoArguments(), call_function=lambda layer, *a: layer(*a))


def test_bad_arguments():
    with pytest.raises(ValueError, match="Unexpected keyword argument"):
        clone_model(sequential(), copy_weights=True)
    with pytest.raises(ValueError, match="expects a keras Model"):
        clone_model(layers.Dense(2))

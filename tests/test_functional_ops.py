"""Ops between layers in a functional model (Keras 3): `x[:, 0] * 2` is a step of the graph."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras import layers, ops
from teachkeras.layers.core.op_layer import OpLayer


def dense_model_with_ops():
    inputs = keras.Input((4,))
    hidden = layers.Dense(3, name="hidden")(inputs)
    outputs = 2 * hidden[:, :2] + 1  # a slice, a product and a sum: three op nodes
    return keras.Model(inputs, outputs), inputs, hidden, outputs


def test_operators_on_keras_tensors_make_keras_tensors_with_shapes():
    _, _, hidden, outputs = dense_model_with_ops()
    assert isinstance(outputs, layers.KerasTensor)
    assert outputs.shape == (None, 2)
    assert (hidden > 0).dtype == "bool"  # the op's own dtype, not the layer's float
    assert hidden[0].shape == (3,)  # indexing the batch axis removes it
    assert (hidden @ np.ones((3, 5), dtype="float32")).shape == (None, 5)


def test_a_model_with_ops_computes_them():
    model, *_ = dense_model_with_ops()
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    hidden = model.get_layer("hidden")
    want = 2 * (x @ hidden.kernel.numpy() + hidden.bias.numpy())[:, :2] + 1
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-6)


def test_ops_are_not_listed_as_layers_but_run_in_the_graph():
    model, *_ = dense_model_with_ops()
    assert [layer.name for layer in model.layers] == ["input_layer", "hidden"]
    assert sum(isinstance(layer, OpLayer) for layer in model._layers) == 3


def test_a_model_with_ops_trains():
    model, *_ = dense_model_with_ops()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(1).random((32, 4)).astype("float32")
    y = x[:, :2].copy()
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


def test_saving_a_model_with_ops_says_what_to_do(tmp_path):
    model, *_ = dense_model_with_ops()
    with pytest.raises(NotImplementedError, match="cannot be saved by teachkeras yet"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


def test_k_function_evaluates_ops_on_layer_outputs():
    model, _, hidden, _ = dense_model_with_ops()
    f = K.function([model.input], [K.mean(hidden[:, 0])])
    x = np.ones((2, 4), dtype="float32")
    want = (x @ model.get_layer("hidden").kernel.numpy())[:, 0].mean() + model.get_layer(
        "hidden"
    ).bias.numpy()[0]
    np.testing.assert_allclose(f([x])[0], want, rtol=1e-6)


def test_an_op_that_does_not_fit_the_shapes_is_refused_at_once():
    inputs = keras.Input((4,))
    with pytest.raises(ValueError, match=r"matmul cannot be applied to symbolic inputs"):
        inputs @ np.ones((3, 2), dtype="float32")


def test_plain_ops_on_keras_tensors_say_they_are_symbolic():
    inputs = keras.Input((4,))
    with pytest.raises(TypeError, match=r"is symbolic.*Python's operators \(x \* 2"):
        ops.exp(inputs)


def test_model_to_dot_draws_the_ops_as_nodes():
    inputs = keras.Input((4,))
    hidden = layers.Dense(3, name="hidden")(inputs)
    model = keras.Model(inputs, layers.Dense(1, name="out")(hidden[:, :2] * 2))
    dot = keras.utils.model_to_dot(model)
    names = [node.get_name() for node in dot.get_nodes()]
    assert names == ["input_layer", "hidden", "get_item", "multiply", "out"]
    edges = [(e.get_source(), e.get_destination()) for e in dot.get_edges()]
    assert all(a in names and b in names for a, b in edges)  # no edge to a node not drawn
    assert ("get_item", "multiply") in edges

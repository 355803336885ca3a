"""Sequential and functional models: building, layers, weights, configs, summary."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import Input, Model, Sequential
from teachkeras import backend as K
from teachkeras.layers import Dense, Dropout, InputLayer, Layer
from teachkeras.models import Functional


def mlp():
    return Sequential([Dense(10, activation="sigmoid", input_shape=(2,)), Dense(10, activation="sigmoid"),
                       Dense(10, activation="sigmoid"), Dense(1, activation="sigmoid")])  # fmt: skip


def test_sequential_from_list_builds_with_input_shape():
    model = mlp()
    assert model.built and model.name == "sequential"
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2", "dense_3"]
    assert model.count_params() == 261  # 2*10+10 + 10*10+10 + 10*10+10 + 10+1
    assert model.input_shape == (None, 2) and model.output_shape == (None, 1)


def test_sequential_add_pop_and_deferred_build():
    model = Sequential()
    model.add(Dense(4))
    model.add(Dense(1))
    assert not model.built
    with pytest.raises(AttributeError, match="input shape is not known"):
        model.output
    y = model(np.ones((3, 5)))
    assert y.shape == (3, 1) and model.built and model.count_params() == 5 * 4 + 4 + 4 + 1
    removed = model.pop()
    assert removed.name == "dense_1" and model.output_shape == (None, 4)


def test_sequential_accepts_input_tensor_first():
    model = Sequential([Input(shape=(3,)), Dense(2)])
    assert len(model.layers) == 1 and model.input_shape == (None, 3)
    with pytest.raises(ValueError, match="unique names"):
        model.add(model.layers[0])
    with pytest.raises(ValueError, match=r"Only instances of `keras\.Layer`"):
        model.add("dense")


def test_sequential_one_dimensional_data_is_lifted():
    model = Sequential([Dense(1, input_shape=[1], kernel_initializer="ones")])
    np.testing.assert_allclose(model.predict(np.array([1.0, 2.0]), verbose=0), [[1.0], [2.0]])


def test_functional_two_inputs_two_outputs():
    a, b = Input((4,), name="a"), Input((3,), name="b")
    shared = Dense(2, name="shared")
    x, y = shared(Dense(5)(a)), shared(Dense(5)(b))
    model = Model(inputs=[a, b], outputs=[x, y], name="two")
    assert isinstance(model, Functional) and model.name == "two"
    assert [layer.name for layer in model.layers] == ["a", "b", "dense", "dense_1", "shared"]
    out = model.predict([np.ones((2, 4)), np.ones((2, 3))], verbose=0)
    assert [o.shape for o in out] == [(2, 2), (2, 2)]
    dict_out = model({"a": np.ones((1, 4)), "b": np.ones((1, 3))})
    assert len(dict_out) == 2
    assert model.get_layer("shared") is shared and model.get_layer(index=0).name == "a"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")


def test_functional_graph_disconnected():
    a, b = Input((2,)), Input((2,))
    merged = Dense(1)(Dense(2)(b))
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, merged)


def test_functional_refuses_numpy():
    with pytest.raises(TypeError, match="Data goes to fit/predict"):
        Model(np.ones((2, 2)), np.ones((2, 1)))


def test_model_inside_model():
    inner = Sequential([Input((3,)), Dense(2)], name="inner")
    x = Input((3,))
    outer = Model(x, Dense(1)(inner(x)))
    assert outer.count_params() == 3 * 2 + 2 + 2 + 1
    assert outer.predict(np.ones((4, 3)), verbose=0).shape == (4, 1)


def test_get_set_weights_order_is_layer_order():
    model = mlp()
    weights = model.get_weights()
    assert [w.shape for w in weights[:4]] == [(2, 10), (10,), (10, 10), (10,)]
    model.set_weights([np.zeros_like(w) for w in weights])
    np.testing.assert_allclose(model.predict(np.ones((1, 2)), verbose=0), [[0.5]])


def test_sequential_config_round_trip_gives_same_predictions():
    model = Sequential(
        [Input((3,)), Dense(4, activation="relu"), Dropout(0.2), Dense(2, activation="softmax")]
    )
    clone = Sequential.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dropout", "Dense"]


def test_functional_config_round_trip_with_shared_layer():
    a, b = Input((4,), name="a"), Input((4,), name="b")
    shared = Dense(3, name="shared")
    out = Dense(1, name="out")(shared(a))
    out2 = Dense(1, name="out2")(shared(b))
    model = Model([a, b], [out, out2])
    config = model.get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["layers"][2]["inbound_nodes"][1]["args"][0]["config"]["keras_history"] == [
        "b",
        0,
        0,
    ]
    clone = Model.from_config(config)
    clone.set_weights(model.get_weights())
    xs = [np.ones((2, 4)), np.full((2, 4), 2.0)]
    for got, want in zip(clone.predict(xs, verbose=0), model.predict(xs, verbose=0), strict=True):
        np.testing.assert_array_equal(got, want)


def test_subclassed_model_trains():
    class TwoLayer(Model):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(4, activation="tanh")
            self.out = Dense(1)

        def call(self, x, training=None):
            return self.out(self.hidden(x))

    model = TwoLayer()
    assert model.name == "two_layer"
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    history = model.fit(x, x[:, :1], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(model.weights) == 4


def test_summary_matches_keras_layout(capsys):
    mlp().summary()
    text = capsys.readouterr().out
    assert text.startswith('Model: "sequential"')
    assert "│ dense (Dense)" in text and "│ (None, 10)" in text
    assert " Total params: 261 (1.02 KB)" in text
    assert " Trainable params: 261 (1.02 KB)" in text
    assert " Non-trainable params: 0 (0.00 B)" in text


def test_summary_functional_branches_has_connected_to():
    a = Input((4,), name="a")
    x1, x2 = Dense(2)(a), Dense(2)(a)
    model = Model(a, [x1, x2])
    lines = []
    model.summary(print_fn=lines.append)
    assert "Connected to" in lines[0] and "a[0][0]" in lines[0]


def test_summary_counts_non_trainable():
    model = mlp()
    model.layers[0].trainable = False
    lines = []
    model.summary(print_fn=lines.append)
    assert " Trainable params: 231" in lines[0] and " Non-trainable params: 30" in lines[0]


def test_input_layer_excluded_from_sequential_layers():
    model = Sequential([Input((2,)), Dense(1)])
    assert not any(isinstance(layer, InputLayer) for layer in model.layers)


def test_losses_of_a_model_collect_layer_penalties():
    model = Sequential([Input((2,)), Dense(1, kernel_regularizer="l2", kernel_initializer="ones")])
    assert [float(K.as_array(v)) for v in model.losses] == pytest.approx([0.01 * 2])


def test_layer_base_without_call_raises():
    with pytest.raises(NotImplementedError):
        Layer()(np.ones((1, 1)))

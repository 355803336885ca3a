"""Layer base, core layers, symbolic calls, weights, configs and input errors."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras.layers import (
    ELU,
    Activation,
    Dense,
    Dropout,
    Flatten,
    Input,
    InputLayer,
    Layer,
    LeakyReLU,
    ReLU,
    Reshape,
    Softmax,
)
from tests.helpers.layer_testing import layer_case, run_layer_test


def test_default_names_are_unique_and_resettable():
    assert [Dense(1).name, Dense(1).name, Dense(1).name] == ["dense", "dense_1", "dense_2"]
    assert LeakyReLU().name == "leaky_re_lu"
    K.clear_session()
    assert Dense(1).name == "dense"


def test_dense_forward_and_parameter_count():
    layer = Dense(8, input_dim=4)
    x = np.arange(8, dtype="float32").reshape(2, 4)
    y = layer(x)
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(y.numpy(), x @ kernel + bias, rtol=1e-6)
    assert layer.count_params() == 4 * 8 + 8
    assert [w.path for w in layer.weights] == ["dense/kernel", "dense/bias"]
    assert y.dtype == np.float32


def test_dense_float64_input_is_cast_to_float32():
    y = Dense(2)(np.ones((3, 5)))
    assert y.dtype == np.float32


def test_dense_activation_and_no_bias():
    layer = Dense(3, activation="relu", use_bias=False, kernel_initializer="ones")
    y = layer(-np.ones((2, 4)))
    assert np.all(y.numpy() == 0) and len(layer.weights) == 1


def test_dense_wrong_width_names_layer_and_shapes():
    layer = Dense(2)
    layer(np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"layer 'dense'.*value 4.*\(3, 5\).*input_dim"):
        layer(np.ones((3, 5)))


def test_dense_rejects_bad_units():
    with pytest.raises(ValueError, match="units=0"):
        Dense(0)


def test_dense_on_a_single_vector_explains_batch_axis():
    with pytest.raises(ValueError, match=r"x\[None, :\]"):
        Dense(2)(np.ones(4))


def test_legacy_keras1_dense_spellings_warn_once_and_work():
    with pytest.warns(keras.legacy.KerasLegacyWarning) as warned:
        layer = Dense(output_dim=3, init="zeros")
    messages = [str(w.message) for w in warned]
    assert len(messages) == 2 and "units=" in messages[0] and "kernel_initializer=" in messages[1]
    layer(np.ones((1, 2)))
    assert layer.units == 3 and np.all(layer.get_weights()[0] == 0)


def test_symbolic_call_records_nodes_and_shapes():
    x = Input(shape=(4,))
    assert x.shape == (None, 4)
    dense = Dense(3)
    y = dense(x)
    assert y.shape == (None, 3)
    assert dense.input is x and dense.output is y
    assert dense.input_shape == (None, 4) and dense.output_shape == (None, 3)
    z = dense(Input(shape=(4,)))
    assert dense.get_output_at(1) is z
    assert dense.get_input_shape_at(1) == (None, 4)
    with pytest.raises(ValueError, match="only 2 inbound nodes"):
        dense.get_input_at(2)


def test_layer_without_calls_has_no_input():
    with pytest.raises(AttributeError, match="never been called"):
        Dense(2).input


def test_set_weights_checks_count_and_shapes():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    with pytest.raises(ValueError, match="length 1, but the layer was expecting 2"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(
        ValueError, match=r"\(3, 2\) is not compatible with provided weight shape \(2, 3\)"
    ):
        layer.set_weights([np.zeros((2, 3)), np.zeros(2)])
    layer.set_weights([np.ones((3, 2)), np.zeros(2)])
    np.testing.assert_array_equal(layer(np.ones((1, 3))).numpy(), [[3, 3]])


def test_count_params_before_build_explains():
    with pytest.raises(ValueError, match="isn't built"):
        Dense(2).count_params()


def test_trainable_flag_moves_weights():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


class Scale(Layer):
    """A learner's layer: only build and call."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


def test_custom_layer_trains_without_writing_a_backward():
    layer = Scale()
    x = np.array([[1.0, 2.0]], dtype="float32")
    with K.GradientTape() as tape:
        loss = K.sum(K.square(layer(x) - 3.0))
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    np.testing.assert_allclose(grad, 2 * (x[0] - 3) * x[0])
    # and its output shape is found by running it when compute_output_shape is not written
    assert layer(Input((2,))).shape == (None, 2)


def test_build_by_hand_marks_a_learners_layer_built():
    """Keras 3 wraps every `build`: once it returns, the layer is built, even when the
    learner's `build` does not say so; a later call must not build (and add weights) again."""
    layer = Scale()
    layer.build((None, 2))
    assert layer.built
    layer(np.ones((1, 2), dtype="float32"))
    assert len(layer.weights) == 1


def test_nested_layers_are_tracked():
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.a = Dense(3)
            self.b = Dense(2)

        def call(self, x):
            return self.b(self.a(x))

    block = Block()
    block(np.ones((1, 4)))
    assert len(block.weights) == 4 and block.count_params() == 4 * 3 + 3 + 3 * 2 + 2


def test_regularizers_add_losses():
    layer = Dense(
        2,
        kernel_initializer="ones",
        kernel_regularizer=keras.regularizers.L2(0.1),
        activity_regularizer="l1",
    )
    y = layer(np.ones((1, 3), dtype="float32"))
    values = sorted(float(K.as_array(v)) for v in layer.losses)
    assert values == pytest.approx(
        sorted([0.1 * 6, 0.01 * float(np.abs(y.numpy()).sum()) / 1]), rel=1e-5
    )


def test_activation_layers_match_functions():
    x = np.linspace(-3, 3, 13, dtype="float32")[None, :]
    np.testing.assert_allclose(Activation("tanh")(x).numpy(), np.tanh(x), rtol=1e-6)
    np.testing.assert_allclose(ReLU(max_value=1.0)(x).numpy(), np.clip(x, 0, 1))
    np.testing.assert_allclose(LeakyReLU()(x).numpy(), np.where(x > 0, x, 0.3 * x), rtol=1e-6)
    np.testing.assert_allclose(
        ELU(alpha=0.5)(x).numpy(), np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6
    )
    s = Softmax()(x).numpy()
    np.testing.assert_allclose(s.sum(), 1.0, rtol=1e-6)


def test_leaky_relu_keras2_alpha():
    with pytest.warns(keras.legacy.KerasLegacyWarning, match="negative_slope"):
        assert LeakyReLU(alpha=0.1).negative_slope == pytest.approx(0.1)


def test_dropout_only_in_training_and_keeps_expectation():
    layer = Dropout(0.5, seed=3)
    x = np.ones((1000, 10), dtype="float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    assert abs(y.mean() - 1.0) < 0.05
    noise = Dropout(0.5, noise_shape=(None, 1), seed=1)(x, training=True).numpy()
    assert np.all(noise.min(axis=1) == noise.max(axis=1))  # whole rows kept or dropped
    with pytest.raises(ValueError, match=r"rate=1\.5"):
        Dropout(1.5)


def test_flatten_and_reshape():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    assert Flatten()(x).shape == (2, 12)
    first = Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(first, np.transpose(x, (0, 2, 1)).reshape(2, -1))
    assert Reshape((4, -1))(x).shape == (2, 4, 3)
    assert Reshape((4, -1))(Input((3, 4))).shape == (None, 4, 3)
    with pytest.raises(ValueError, match="number of values must stay the same"):
        Reshape((5, 5))(x)


def test_input_layer_and_legacy_input_shape():
    layer = InputLayer(shape=(3,))
    assert layer.get_config()["batch_shape"] == (None, 3)
    with pytest.warns(keras.legacy.KerasLegacyWarning):
        assert InputLayer(input_shape=(2,)).batch_shape == (None, 2)
    with pytest.raises(ValueError, match="shape"):
        Input()


# --- the layer contract: run_layer_test on every core, activation and reshaping layer -------------
LAYER_CASES = [
    layer_case(
        Dense,
        {"units": 3},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
    ),
    layer_case(
        Dense,
        {"units": 3, "activation": "relu", "kernel_regularizer": "l2"},
        input_shape=(2, 4),
        expected_num_trainable_weights=2,
        expected_num_losses=1,
    ),
    layer_case(
        Dense,
        {
            "units": 2,
            "use_bias": False,
            "activity_regularizer": "l1",
            "kernel_constraint": "max_norm",
        },
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 2),
        expected_num_trainable_weights=1,
        expected_num_losses=1,
    ),
    layer_case(Activation, {"activation": "sigmoid"}, input_shape=(2, 5)),
    layer_case(Activation, {"activation": "tanh"}, input_shape=(2, 3, 2)),
    layer_case(ReLU, {"max_value": 6.0}, input_shape=(2, 5), expected_num_trainable_weights=0),
    layer_case(ReLU, {"negative_slope": 0.1, "threshold": 0.5}, input_shape=(2, 5)),
    layer_case(LeakyReLU, {"negative_slope": 0.2}, input_shape=(2, 5)),
    layer_case(ELU, {"alpha": 0.7}, input_shape=(2, 5)),
    layer_case(Softmax, {"axis": 1}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)),
    layer_case(Softmax, {}, input_shape=(2, 5)),
    layer_case(Dropout, {"rate": 0.3, "seed": 2}, input_shape=(2, 5)),
    layer_case(Flatten, {}, input_shape=(2, 3, 4), expected_output_shape=(2, 12)),
    layer_case(
        Flatten,
        {"data_format": "channels_first"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 12),
    ),
    layer_case(
        Reshape, {"target_shape": (2, 2)}, input_shape=(3, 4), expected_output_shape=(3, 2, 2)
    ),
    layer_case(
        Reshape, {"target_shape": (4, -1)}, input_shape=(2, 3, 4), expected_output_shape=(2, 4, 3)
    ),
    layer_case(
        Scale,
        {},
        input_shape=(2, 3),
        expected_num_trainable_weights=1,
        custom_objects={"Scale": Scale},
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


def test_unknown_keyword_is_refused():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        Dense(2, activaton="relu")

"""Embedding, Masking, TimeDistributed: the layer contract, the lookup and its gradient, errors."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras import layers
from teachkeras.backend import check_gradients
from teachkeras.layers import Embedding, Masking, TimeDistributed
from teachkeras.legacy import KerasLegacyWarning, reset_warnings
from tests.helpers.layer_testing import layer_case, run_layer_test

IDS = np.array([[1, 2, 0, 0], [3, 4, 5, 0], [6, 0, 0, 9]])
PADDED = np.array(
    [[[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]], [[0.0, 0.0], [0.5, 0.0], [2.0, 2.0]]], "float32"
)

# The row's wrapped layer is one instance, made once: a float64 wrapper around it still
# computes in its float32. test_time_distributed_gradients checks the gradient instead.
WRAPPED_DTYPE = "the wrapped layer keeps its own float32: see test_time_distributed_gradients"

LAYER_CASES = [
    layer_case(
        Embedding,
        {"input_dim": 10, "output_dim": 3},
        input_data=IDS,
        expected_output_shape=(3, 4, 3),
        expected_num_trainable_weights=1,
        supports_masking=False,
    ),
    layer_case(
        Embedding,
        {"input_dim": 10, "output_dim": 2, "mask_zero": True, "embeddings_regularizer": "l2"},
        input_data=IDS,
        expected_output_shape=(3, 4, 2),
        expected_num_losses=1,
        supports_masking=True,
    ),
    layer_case(
        Masking,
        {},
        input_data=PADDED,
        expected_output=PADDED,
        supports_masking=True,
        run_gradient_check="the mask is a step function of the input: a finite-difference "
        "nudge of a padded (all-zero) step un-pads it (the next row checks the gradient)",
        run_training_check="Masking has no weights to train (its output is the input's values)",
    ),
    layer_case(
        Masking,
        {"mask_value": 2.0},
        input_data=PADDED[:, :2],  # no step is all 2.0: the gradient is the identity's
        expected_output=PADDED[:, :2],
        run_training_check="Masking has no weights to train",
    ),
    layer_case(
        TimeDistributed,
        {"layer": layers.Dense(4, activation="tanh")},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=2,
        supports_masking=True,
        run_gradient_check=WRAPPED_DTYPE,
    ),
    layer_case(
        TimeDistributed,
        {"layer": layers.Conv1D(2, 3)},
        input_shape=(2, 4, 6, 3),
        expected_output_shape=(2, 4, 4, 2),
        expected_num_trainable_weights=2,
        run_gradient_check=WRAPPED_DTYPE,
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- Embedding ----------------------------------------------------------------------------------
def test_embedding_looks_up_rows():
    layer = Embedding(10, 3)
    out = layer(IDS)
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out.numpy(), table[IDS])
    assert out.dtype == np.float32 and [w.path for w in layer.weights] == ["embedding/embeddings"]


def test_embedding_gradient_adds_up_in_the_rows_it_read():
    layer = Embedding(5, 2)
    ids = np.array([[1, 1, 3]])
    with K.GradientTape() as tape:
        loss = K.sum(layer(ids) * np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]))
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    np.testing.assert_array_equal(
        grad, [[0, 0], [4.0, 6.0], [0, 0], [5.0, 6.0], [0, 0]]
    )  # token 1 seen twice: both gradients add up


def test_float_ids_with_whole_values_are_fine_and_others_are_refused():
    layer = Embedding(10, 3)
    np.testing.assert_array_equal(layer(IDS.astype("float32")).numpy(), layer(IDS).numpy())
    with pytest.raises(ValueError, match=r"'embedding'.*token ids \(whole numbers\).*0\.5"):
        layer(IDS / 2)
    with pytest.raises(ValueError, match=r"integer token ids.*<U"):
        layer(np.array([["a", "b"]]))


def test_ids_out_of_range_name_the_largest_id_and_the_fix():
    layer = Embedding(5, 3)
    with pytest.raises(
        ValueError, match=r"token id 9, but input_dim=5.*input_dim=max_id \+ 1 = 10"
    ):
        layer(IDS)
    with pytest.raises(ValueError, match=r"negative token id -1"):
        layer(np.array([[1, -1]]))


@pytest.mark.parametrize("bad", [0, -3, 2.5, None, True])
def test_embedding_sizes_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match=r"`input_dim` must be a positive integer"):
        Embedding(bad, 3)
    with pytest.raises(ValueError, match=r"`output_dim` must be a positive integer"):
        Embedding(3, bad)


def test_pretrained_weights_can_be_given_and_frozen():
    glove = np.arange(12, dtype="float32").reshape(4, 3)
    for weights in (glove, [glove]):
        layer = Embedding(4, 3, weights=weights, trainable=False)
        assert layer.built and layer.trainable_weights == []
        np.testing.assert_array_equal(layer(np.array([[3, 0]])).numpy(), glove[[[3, 0]]])
    with pytest.raises(ValueError, match=r"weight shape \(4, 3\).*\(3, 3\)"):
        Embedding(4, 3, weights=[glove[:3]])


def test_lora_is_refused():
    with pytest.raises(ValueError, match="lora_rank"):
        Embedding(4, 3, lora_rank=2)


def test_keras2_input_length_gives_the_input_shape_and_warns():
    reset_warnings()
    with pytest.warns(KerasLegacyWarning, match=r"input_length=7.*Input\(shape=\(7,\)\)"):
        model = keras.Sequential([Embedding(20, 4, input_length=7), layers.Flatten()])
    assert model.input_shape == (None, 7) and model.output_shape == (None, 28)


def test_embedding_in_a_model_trains_only_the_rows_it_saw():
    model = keras.Sequential(
        [keras.Input((3,)), Embedding(8, 2), layers.Flatten(), layers.Dense(1)]
    )
    model.compile("sgd", "mse")
    before = model.layers[0].get_weights()[0]
    model.fit(np.array([[1, 2, 2], [2, 1, 5]]), np.ones(2), epochs=1, verbose=0)
    moved = np.any(model.layers[0].get_weights()[0] != before, axis=1)
    np.testing.assert_array_equal(moved, [False, True, True, False, False, True, False, False])


# --- TimeDistributed ----------------------------------------------------------------------------
def test_time_distributed_applies_the_same_layer_at_every_step():
    dense = layers.Dense(2)
    wrapper = TimeDistributed(dense)
    x = np.random.default_rng(0).normal(size=(3, 4, 5)).astype("float32")
    out = wrapper(x).numpy()
    for t in range(4):
        np.testing.assert_allclose(out[:, t], dense(x[:, t]).numpy(), rtol=1e-6)
    assert wrapper.weights == dense.weights and wrapper.count_params() == 5 * 2 + 2


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: layers.Dense(3, activation="tanh", dtype="float64"), (2, 4, 5)),
        (lambda: layers.Conv1D(2, 2, dtype="float64"), (2, 3, 4, 2)),
    ],
)
def test_time_distributed_gradients(make, shape):
    wrapper = TimeDistributed(make(), dtype="float64")
    x = np.random.default_rng(0).normal(size=shape)
    wrapper(x)
    kernel, bias = wrapper.layer.kernel, wrapper.layer.bias

    def f(x, w, b):
        wrapper.layer.kernel, wrapper.layer.bias = w, b
        try:
            return wrapper(x)
        finally:
            wrapper.layer.kernel, wrapper.layer.bias = kernel, bias

    check_gradients(f, x, kernel.numpy(), bias.numpy())


def test_time_distributed_passes_training_on():
    wrapper = TimeDistributed(layers.Dropout(0.5, seed=1))
    x = np.ones((2, 3, 100), "float32")
    assert np.any(wrapper(x, training=True).numpy() == 0)
    np.testing.assert_array_equal(wrapper(x).numpy(), x)


def test_time_distributed_refuses_inputs_without_a_time_axis_and_non_layers():
    with pytest.raises(ValueError, match=r"at least 3 axes.*input_shape=\(None, 4\)"):
        TimeDistributed(layers.Dense(2))(keras.Input((4,)))
    with pytest.raises(ValueError, match=r"wraps a layer instance"):
        TimeDistributed("dense")


def test_time_distributed_config_holds_the_wrapped_layer():
    wrapper = TimeDistributed(layers.Dense(3, name="inner"), name="td")
    config = wrapper.get_config()
    assert config["layer"]["class_name"] == "Dense" and config["layer"]["config"]["units"] == 3
    again = TimeDistributed.from_config(config)
    assert isinstance(again.layer, layers.Dense) and again.layer.name == "inner"

"""LayerNormalization and its fused op, `ops.layer_normalization`."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import ops
from teachkeras.backend import GradientTape, Variable
from teachkeras.layers import LayerNormalization
from tests.helpers.layer_testing import layer_case, run_layer_test

LAYER_CASES = [
    layer_case(
        LayerNormalization,
        {},
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 5),
        expected_num_trainable_weights=2,
        supports_masking=True,
    ),
    layer_case(LayerNormalization, {"axis": [1, 3], "epsilon": 0.01}, input_shape=(2, 3, 2, 4)),
    layer_case(LayerNormalization, {"axis": 1, "center": False}, input_shape=(3, 4, 2)),
    layer_case(
        LayerNormalization,
        {"scale": False, "center": False},
        input_shape=(2, 4),
        expected_num_trainable_weights=0,
        run_training_check="no weights to train",
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these rows should warn
        run_layer_test(**case, tmp_path=tmp_path)


def reference(x, gamma, beta, axes, epsilon):
    """The formula, in float64 NumPy: (x - μ)/√(σ² + ε)·γ + β per sample."""
    x = x.astype("float64")
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


def test_each_sample_is_normalised_over_its_features_with_epsilon_1e_3():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(4, 3, 6)) * 5 + 2).astype("float32")
    layer = LayerNormalization()
    assert layer.epsilon == 1e-3  # Keras 3's default (not backend.epsilon())
    y = layer(x).numpy()
    np.testing.assert_allclose(y, reference(x, 1.0, 0.0, -1, 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-5)


def test_gamma_and_beta_span_the_normalised_axes_and_broadcast_over_the_others():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    layer = LayerNormalization(axis=[3, 1], epsilon=0.1)
    layer.build(x.shape)
    assert layer.gamma.shape == (3, 5) and layer.beta.shape == (3, 5)  # sorted axes 1, 3
    gamma, beta = rng.uniform(0.5, 2, (3, 5)), rng.normal(size=(3, 5))
    layer.set_weights([gamma.astype("float32"), beta.astype("float32")])
    expected = reference(x, gamma[None, :, None, :], beta[None, :, None, :], (1, 3), 0.1)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_the_statistics_never_mix_samples():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(5, 6)).astype("float32")
    layer = LayerNormalization()
    full = layer(x).numpy()
    np.testing.assert_allclose(layer(x[2:3]).numpy(), full[2:3], rtol=1e-6, atol=1e-6)


def test_rms_scaling_warns_and_divides_by_the_standard_deviation_without_centring():
    rng = np.random.default_rng(3)
    x = (rng.normal(size=(2, 3, 4)) + 1).astype("float32")
    with pytest.warns(UserWarning, match="rms_scaling=True.*deprecated"):
        layer = LayerNormalization(rms_scaling=True)
    layer.build(x.shape)
    assert [w.name for w in layer.weights] == ["gamma"]  # no beta: Keras 3 makes none
    expected = x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the layer warned once, in __init__: not at each call
        np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_the_op_defaults_to_keras_epsilon_and_accepts_no_parameters():
    x = np.arange(5, dtype="float32")
    np.testing.assert_allclose(
        ops.layer_normalization(x).numpy(),
        reference(x, 1.0, 0.0, -1, keras.config.epsilon()),
        rtol=1e-6,
    )


def test_the_fused_op_computes_the_composed_formula_and_its_gradients():
    rng = np.random.default_rng(4)
    x = Variable(rng.normal(size=(3, 4, 5)), dtype="float64")
    gamma = Variable(rng.uniform(0.5, 2, (4,)), dtype="float64")
    beta = Variable(rng.normal(size=(4,)), dtype="float64")
    u = rng.normal(size=(3, 4, 5))

    def composed():
        mean = ops.mean(x, axis=1, keepdims=True)
        var = ops.mean(ops.square(x - mean), axis=1, keepdims=True)
        g, b = ops.reshape(gamma, (1, 4, 1)), ops.reshape(beta, (1, 4, 1))
        return (x - mean) * ops.rsqrt(var + 1e-3) * g + b

    grads = []
    for f in (lambda: ops.layer_normalization(x, gamma, beta, axis=1, epsilon=1e-3), composed):
        with GradientTape() as tape:
            loss = ops.sum(f() * u)
        grads.append(tape.gradient(loss, [x, gamma, beta]))
    for fused, plain in zip(*grads, strict=True):
        np.testing.assert_allclose(fused, plain, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("axis", [3, -4, [0, 5]])
def test_an_axis_outside_the_input_is_refused_with_the_valid_range(axis):
    with pytest.raises(ValueError, match=r"input has rank 3 .*must be in \[-3, 2\]"):
        LayerNormalization(axis=axis)(np.ones((2, 3, 4)))


def test_axis_must_be_ints():
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        LayerNormalization(axis="last")


def test_other_feature_sizes_after_building_are_refused_naming_both():
    layer = LayerNormalization()
    layer(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"axis -1 of input shape to have value 4.*\(2, 5\)"):
        layer(np.ones((2, 5)))


def test_the_same_layer_normalises_inputs_of_another_rank_with_the_same_features():
    layer = LayerNormalization()
    layer(np.ones((2, 4)))
    assert layer(np.random.default_rng(5).normal(size=(2, 3, 4))).shape == (2, 3, 4)


def test_config_keeps_the_axis_as_given_and_round_trips():
    layer = LayerNormalization(axis=-1, epsilon=0.01, center=False)
    config = layer.get_config()
    layer.build((2, 3))
    assert layer.get_config() == config  # Keras 3 turns axis=-1 into [-1] here; we keep it
    assert LayerNormalization.from_config(config).get_config()["epsilon"] == 0.01


def test_in_a_model_it_trains_and_saves(tmp_path):
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(16, 5, 4)).astype("float32"), rng.normal(size=(16, 5, 2))
    model = keras.Sequential(
        [keras.Input((5, 4)), keras.layers.Dense(4), LayerNormalization(), keras.layers.Dense(2)]
    )
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))

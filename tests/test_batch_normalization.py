"""BatchNormalization: the fused op's gradients, training vs inference, moving statistics."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras.backend.normalization_ops import batch_normalization, batch_normalization_train
from teachkeras.layers.normalization.batch_normalization import BatchNormalization
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.legacy.backend.keras2_nn import normalize_batch_in_training
from tests.helpers.layer_testing import layer_case, run_layer_test

# (input shape, channel axes): channels_last and channels_first, 2-D to 4-D, and a list
CASES = [
    ((5, 3), (1,)),
    ((6, 4), (0,)),
    ((4, 2, 2, 3), (3,)),
    ((4, 3, 2, 2), (1,)),
    ((2, 3, 4), (1,)),
    ((3, 2, 4, 2), (1, 3)),
]


def reduction_axes(shape, channel_axes):
    return tuple(i for i in range(len(shape)) if i not in channel_axes)


def param_shape(shape, channel_axes):
    return tuple(shape[a] for a in channel_axes)


@pytest.mark.parametrize("shape, channel_axes", CASES)
@pytest.mark.parametrize("with_params", [True, False])
def test_fused_op_gradients_match_finite_differences(rng, shape, channel_axes, with_params):
    axes = reduction_axes(shape, channel_axes)
    x = rng.normal(size=shape) * 2 + 1
    gamma = rng.normal(size=param_shape(shape, channel_axes))
    beta = rng.normal(size=param_shape(shape, channel_axes))
    if with_params:
        K.check_gradients(
            lambda x, g, b: batch_normalization_train(x, g, b, axes)[0], x, gamma, beta
        )
    else:
        K.check_gradients(lambda x: batch_normalization_train(x, None, None, axes)[0], x)


@pytest.mark.parametrize("shape, channel_axes", CASES)
def test_inference_form_gradients_match_finite_differences(rng, shape, channel_axes):
    p = param_shape(shape, channel_axes)
    x = rng.normal(size=shape)
    mean, var = rng.normal(size=p), rng.uniform(0.5, 2.0, size=p)
    gamma, beta = rng.normal(size=p), rng.normal(size=p)
    K.check_gradients(
        lambda x, m, v, g, b: batch_normalization(x, m, v, channel_axes, offset=b, scale=g),
        x, mean, var, gamma, beta,
    )  # fmt: skip


@pytest.mark.parametrize("shape, channel_axes", CASES)
def test_fused_op_forward_matches_numpy(rng, shape, channel_axes):
    axes = reduction_axes(shape, channel_axes)
    p = param_shape(shape, channel_axes)
    x = (rng.normal(size=shape) * 3 + 2).astype("float32")
    gamma, beta = rng.normal(size=p).astype("float32"), rng.normal(size=p).astype("float32")
    y, mean, var = batch_normalization_train(x, gamma, beta, axes, epsilon=1e-3)
    bshape = [1 if i in axes else n for i, n in enumerate(shape)]
    m, v = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)  # biased
    expected = (x - m) / np.sqrt(v + 1e-3) * gamma.reshape(bshape) + beta.reshape(bshape)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mean.numpy(), m.reshape(p), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(var.numpy(), v.reshape(p), rtol=1e-5)
    assert y.dtype == mean.dtype == var.dtype == np.float32
    assert not mean.requires_grad and not var.requires_grad


def test_inference_form_matches_numpy_and_keeps_float64(rng):
    x = rng.normal(size=(4, 3))
    m, v = rng.normal(size=3), rng.uniform(1, 2, size=3)
    y = batch_normalization(x, m, v, axis=-1, epsilon=0.01)
    np.testing.assert_allclose(y.numpy(), (x - m) / np.sqrt(v + 0.01))
    assert y.dtype == np.float64


def test_keras2_name_is_the_fused_op(rng):
    x = rng.normal(size=(6, 2)).astype("float32")
    legacy = normalize_batch_in_training(x, None, None, [0])
    modern = batch_normalization_train(x, None, None, (0,))
    for a, b in zip(legacy, modern, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_op_rejects_axis_outside_rank():
    with pytest.raises(ValueError, match="Axis 4 is out of bounds for an input of rank 2"):
        batch_normalization_train(np.zeros((2, 3)), None, None, axes=(4,))


# --- the layer ---------------------------------------------------------------------------
def test_training_uses_batch_statistics(rng):
    x = (rng.normal(size=(64, 5)) * 4 + 3).astype("float32")
    y = BatchNormalization()(x, training=True).numpy()
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(0), np.sqrt(x.var(0) / (x.var(0) + 1e-3)), rtol=1e-4)


def test_inference_uses_moving_statistics(rng):
    x = (rng.normal(size=(8, 5)) * 4 + 3).astype("float32")
    bn = BatchNormalization()
    y = bn(x).numpy()  # training defaults to False: moving mean 0, variance 1
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-6)
    assert np.all(bn.moving_mean.numpy() == 0)  # no update outside training


def test_moving_statistics_after_several_steps(rng):
    bn = BatchNormalization(momentum=0.9)
    mean, var = np.zeros(3, "float32"), np.ones(3, "float32")
    for _ in range(4):
        x = (rng.normal(size=(16, 3)) * 2 + 5).astype("float32")
        bn(x, training=True)
        mean = 0.9 * mean + 0.1 * x.mean(0)
        var = 0.9 * var + 0.1 * x.var(0)  # the biased variance, as Keras 3
    np.testing.assert_allclose(bn.moving_mean.numpy(), mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), var, rtol=1e-5)
    x = rng.normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(
        bn(x).numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5
    )


def test_moving_statistics_get_no_gradient(rng):
    bn = BatchNormalization()
    x = rng.normal(size=(8, 3)).astype("float32")
    with K.GradientTape() as tape:
        loss = K.sum(bn(x, training=True) * rng.normal(size=(8, 3)).astype("float32"))
    grads = tape.gradient(loss, bn.weights)
    assert grads[0] is not None and grads[1] is not None
    assert grads[2] is None and grads[3] is None


def test_channels_first_images(rng):
    x = (rng.normal(size=(6, 3, 4, 4)) + np.arange(3)[None, :, None, None]).astype("float32")
    bn = BatchNormalization(axis=1)
    y = bn(x, training=True).numpy()
    assert bn.gamma.shape == (3,)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * x.mean(axis=(0, 2, 3)), rtol=1e-4)


def test_list_axis(rng):
    x = rng.normal(size=(5, 2, 3, 4)).astype("float32")
    bn = BatchNormalization(axis=[1, 3])
    y = bn(x, training=True).numpy()
    assert bn.gamma.shape == (2, 4)
    np.testing.assert_allclose(y.mean(axis=(0, 2)), 0, atol=1e-5)
    assert bn.get_config()["axis"] == [1, 3]


def test_weights_order_and_trainability():
    bn = BatchNormalization()
    bn.build((None, 4))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    np.testing.assert_array_equal(bn.get_weights()[0], np.ones(4))
    np.testing.assert_array_equal(bn.get_weights()[1], np.zeros(4))
    np.testing.assert_array_equal(bn.get_weights()[3], np.ones(4))
    assert bn.count_params() == 16


@pytest.mark.parametrize(
    "center, scale, names",
    [
        (False, True, ["gamma", "moving_mean", "moving_variance"]),
        (True, False, ["beta", "moving_mean", "moving_variance"]),
        (False, False, ["moving_mean", "moving_variance"]),
    ],
)
def test_center_and_scale(rng, center, scale, names):
    bn = BatchNormalization(center=center, scale=scale)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = bn(x, training=True).numpy()
    assert [w.name for w in bn.weights] == names
    np.testing.assert_allclose(y, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), rtol=1e-4, atol=1e-5)


def test_frozen_layer_runs_in_inference_mode(rng):
    bn = BatchNormalization()
    x = (rng.normal(size=(8, 3)) + 2).astype("float32")
    bn(x, training=True)
    bn.trainable = False
    before = bn.moving_mean.numpy().copy()
    y = bn(x, training=True).numpy()
    np.testing.assert_array_equal(bn.moving_mean.numpy(), before)
    np.testing.assert_allclose(y, bn(x, training=False).numpy())
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4


def test_axis_beyond_rank_names_axis_and_rank():
    with pytest.raises(ValueError, match=r"axis=3, but its input has rank 2 \(shape \(2, 4\)\)"):
        BatchNormalization(axis=3)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"axis=3.*rank 2.*\(None, 10\)"):
        BatchNormalization(axis=3)(tk.layers.Input((10,)))


def test_other_channel_count_after_build_is_explained():
    bn = BatchNormalization()
    bn(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 4"):
        bn(np.zeros((2, 5), "float32"))


def test_bad_arguments():
    with pytest.raises(ValueError, match="renorm=True"):
        BatchNormalization(renorm=True)
    with pytest.raises(TypeError, match="Received: axis='channels'"):
        BatchNormalization(axis="channels")
    with pytest.raises(ValueError, match="epsilon > 0"):
        BatchNormalization(epsilon=0)
    with pytest.raises(ValueError, match="mode=2"):
        BatchNormalization(mode=2)


def test_legacy_spellings_warn_and_work():
    with pytest.warns(KerasLegacyWarning, match="gamma_initializer="):
        bn = BatchNormalization(gamma_init="zeros")
    bn.build((None, 2))
    np.testing.assert_array_equal(bn.gamma.numpy(), np.zeros(2))
    with pytest.warns(KerasLegacyWarning, match="mode=0"):
        BatchNormalization(mode=0)
    with pytest.warns(KerasLegacyWarning, match="fused"):
        BatchNormalization(fused=True)


def test_regularizer_adds_a_loss(rng):
    bn = BatchNormalization(gamma_regularizer=tk.regularizers.L2(0.1))
    bn(rng.normal(size=(4, 3)).astype("float32"), training=True)
    np.testing.assert_allclose(float(bn.losses[0].numpy()), 0.1 * 3)


KERAS_CONFIG_KEYS = {
    "name", "trainable", "dtype", "axis", "momentum", "epsilon", "center", "scale",
    "beta_initializer", "gamma_initializer", "moving_mean_initializer",
    "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
    "gamma_constraint", "synchronized", "renorm", "renorm_clipping", "renorm_momentum",
}  # fmt: skip


def test_config_round_trip():
    bn = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False, name="bn1")
    config = bn.get_config()
    assert set(config) == KERAS_CONFIG_KEYS
    assert config["gamma_initializer"]["class_name"] == "Ones"
    assert config["moving_variance_initializer"]["class_name"] == "Ones"
    clone = BatchNormalization.from_config(config)
    assert clone.get_config() == config


def test_compute_output_shape_keeps_the_shape():
    assert BatchNormalization(axis=1).compute_output_shape((None, 3, 8, 8)) == (None, 3, 8, 8)


# --- the contract: config, shapes, gradients, one training step, saving --------------------------
LAYER_CASES = [
    layer_case(
        BatchNormalization,
        {},
        input_shape=(4, 3),
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
        supports_masking=True,
    ),
    layer_case(  # the batch statistics, and their gradients (the fused op's backward)
        BatchNormalization,
        {},
        input_shape=(4, 3),
        call_kwargs={"training": True},
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
    ),
    layer_case(
        BatchNormalization,
        {"axis": 1, "momentum": 0.9, "epsilon": 1e-5, "center": False, "name": "bn1"},
        input_shape=(4, 3, 2, 2),
        call_kwargs={"training": True},
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=2,
    ),
    layer_case(
        BatchNormalization,
        {"axis": [1, 3], "scale": False, "gamma_regularizer": "l2"},
        input_shape=(3, 2, 4, 2),
        call_kwargs={"training": True},
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=2,
    ),
    layer_case(
        BatchNormalization,
        {"beta_regularizer": "l2", "gamma_regularizer": "l1"},
        input_shape=(2, 3, 4),
        expected_num_losses=2,
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


def test_model_counts_moving_statistics_as_non_trainable():
    model = tk.Sequential([tk.Input((4,)), tk.layers.Dense(6), BatchNormalization()])
    trainable = sum(w.size for w in model.trainable_weights)
    non_trainable = sum(w.size for w in model.non_trainable_weights)
    assert (trainable, non_trainable) == (4 * 6 + 6 + 12, 12)


def test_model_trains_and_predicts_with_moving_statistics(rng):
    x = (rng.normal(size=(128, 4)) * 3 + 2).astype("float32")
    y = (x[:, 0] > 2).astype("int64")
    model = tk.Sequential(
        [tk.Input((4,)), BatchNormalization(), tk.layers.Dense(2, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=32, epochs=8, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    bn = model.layers[0]
    assert np.all(bn.moving_mean.numpy() > 0.1)  # moved towards the data mean (≈ 2)
    expected = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + 1e-3)
    expected = expected * bn.gamma.numpy() + bn.beta.numpy()
    np.testing.assert_allclose(
        bn(x).numpy(), expected, rtol=1e-5, atol=1e-5
    )  # predict-time path uses the moving statistics

"""Noise and regularization layers (GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout,
ActivityRegularization), PReLU and Identity, and the Group/Unit/Spectral normalizations: what
they compute, their statistics in training, masks, the layer contract and their errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras.layers import (
    ActivityRegularization,
    AlphaDropout,
    Conv2D,
    Dense,
    Embedding,
    GaussianDropout,
    GaussianNoise,
    GroupNormalization,
    Identity,
    Input,
    PReLU,
    SeparableConv2D,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
    SpectralNormalization,
    UnitNormalization,
)
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test


# --- noise -----------------------------------------------------------------------------------------
def test_noise_layers_pass_inputs_through_at_inference(rng):
    x = rng.standard_normal((4, 5)).astype("float32")
    for layer in (
        GaussianNoise(0.5),
        GaussianDropout(0.5),
        AlphaDropout(0.5),
        SpatialDropout1D(0.5),
    ):
        data = x[:, :, None] if isinstance(layer, SpatialDropout1D) else x
        np.testing.assert_array_equal(layer(data).numpy(), data)
        np.testing.assert_array_equal(layer(data, training=False).numpy(), data)


def test_gaussian_noise_adds_noise_of_the_given_stddev_with_gradient_one():
    x = K.Variable(np.zeros((200, 100), "float32"))
    layer = GaussianNoise(0.3, seed=1)
    with K.GradientTape() as tape:
        y = layer(x, training=True)
        loss = K.sum(y)
    assert abs(float(np.mean(y.numpy()))) < 0.01 and abs(float(np.std(y.numpy())) - 0.3) < 0.01
    np.testing.assert_array_equal(tape.gradient(loss, x), np.ones((200, 100)))
    assert y.dtype == np.float32
    again = GaussianNoise(0.3, seed=1)(np.zeros((200, 100)), training=True).numpy()
    np.testing.assert_array_equal(again, y.numpy())  # a seed repeats the draws
    assert not np.array_equal(layer(x, training=True).numpy(), y.numpy())  # new noise each step


def test_gaussian_dropout_multiplies_by_noise_around_one():
    rate = 0.2
    y = GaussianDropout(rate, seed=3)(np.ones((400, 100)), training=True).numpy()
    assert abs(y.mean() - 1) < 0.01
    assert abs(y.var() - rate / (1 - rate)) < 0.01  # the variance of Dropout(rate)'s scaled mask


def test_alpha_dropout_keeps_mean_zero_and_variance_one(rng):
    rate = 0.3
    x = rng.standard_normal((500, 200)).astype("float32")  # what a SELU network keeps
    y = AlphaDropout(rate, seed=5)(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.02
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    dropped = np.isclose(y, a * alpha_p + b)
    assert abs(dropped.mean() - rate) < 0.01
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5)
    shared = AlphaDropout(rate, noise_shape=(None, 1), seed=5)(x[:4], training=True).numpy()
    assert all(len(np.unique(np.isclose(row, a * alpha_p + b))) == 1 for row in shared)


@pytest.mark.parametrize(
    "layer, shape, channel_axis",
    [
        (SpatialDropout1D(0.5, seed=1), (8, 6, 10), 2),
        (SpatialDropout2D(0.5, seed=1), (8, 3, 4, 10), 3),
        (SpatialDropout2D(0.5, data_format="channels_first", seed=1), (8, 10, 3, 4), 1),
        (SpatialDropout3D(0.5, seed=1), (8, 2, 3, 2, 10), 4),
        (SpatialDropout3D(0.5, data_format="channels_first", seed=1), (8, 10, 2, 3, 2), 1),
    ],
)
def test_spatial_dropout_drops_whole_channels(layer, shape, channel_axis):
    y = layer(np.ones(shape), training=True).numpy()
    per_channel = np.moveaxis(y, channel_axis, -1).reshape(shape[0], -1, shape[channel_axis])
    for sample in per_channel:  # each channel of each sample: all 0, or all 1 / (1 - rate)
        assert np.all(np.ptp(sample, axis=0) == 0)
        assert set(np.unique(sample)) <= {0.0, 2.0}
    assert 0.3 < np.mean(per_channel == 0) < 0.7


def test_activity_regularization_adds_its_penalty_over_the_batch():
    layer = ActivityRegularization(l1=0.01, l2=0.1)
    x = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)
    [penalty] = layer.losses
    expected = (0.01 * np.abs(x).sum() + 0.1 * np.square(x).sum()) / 2
    np.testing.assert_allclose(float(penalty.numpy()), expected, rtol=1e-6)
    assert "activity_regularizer" not in layer.get_config()


# --- PReLU, Identity -----------------------------------------------------------------------------------
def test_prelu_learns_a_slope_per_unit_or_per_shared_axes(rng):
    x = rng.standard_normal((2, 4, 5, 3)).astype("float32")
    layer = PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(layer(x).numpy(), np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    assert layer.alpha.shape == (4, 5, 3) and [w.path for w in layer.weights] == [
        f"{layer.name}/alpha"
    ]
    shared = PReLU(shared_axes=[1, 2])
    shared(x)
    assert shared.alpha.shape == (1, 1, 3)
    assert shared(np.ones((1, 7, 9, 3))).shape == (1, 7, 9, 3)  # any height and width now
    x64 = x.astype("float64")
    K.check_gradients(lambda a, t: a * 0 + PReLU(dtype="float64")(t), np.ones(1), x64)
    slope = K.Variable(np.full((1, 1, 3), 0.1))
    t = K.Tensor(x64)
    with K.GradientTape() as tape:
        loss = K.sum(K.relu(t) - slope * K.relu(-t))
    np.testing.assert_allclose(
        tape.gradient(loss, slope).ravel(), np.minimum(x64, 0).sum(axis=(0, 1, 2))
    )


def test_prelu_errors_and_keras1_init():
    with pytest.raises(ValueError, match=r"PReLU layer .*needs to know the size.*shared_axes"):
        PReLU()(Input((None, 3)))
    with pytest.raises(ValueError, match=r"shared_axes=\[0\] names the batch axis"):
        PReLU(shared_axes=0)(np.ones((2, 3)))
    with pytest.warns(KerasLegacyWarning, match=r"PReLU\(alpha_initializer=...\)"):
        layer = PReLU(init="one")
    assert type(layer.alpha_initializer).__name__ == "Ones"


def test_identity_passes_everything_through_masks_too():
    x = Embedding(5, 3, mask_zero=True)(np.array([[1, 2, 0]]))
    y = Identity()(x)
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[True, True, False]])
    pair = Identity()([np.ones((1, 2)), np.zeros((1, 3))])
    assert [t.shape for t in pair] == [(1, 2), (1, 3)]


@pytest.mark.parametrize(
    "layer",
    [
        GaussianNoise(0.1),
        GaussianDropout(0.1),
        AlphaDropout(0.1),
        SpatialDropout1D(0.1),
        ActivityRegularization(0.01),
        PReLU(),
        GroupNormalization(1),
        UnitNormalization(),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_masks_pass_through_as_in_keras(layer):
    inputs = Input((3,))
    x = Embedding(5, 4, mask_zero=True)(inputs)
    y = layer(x)
    assert layer.supports_masking and y._keras_mask is not None
    eager = layer(Embedding(5, 4, mask_zero=True)(np.array([[1, 0, 2]])), training=True)
    np.testing.assert_array_equal(eager._keras_mask.numpy(), [[True, False, True]])


# --- normalizations -----------------------------------------------------------------------------------
def _group_norm_reference(x, groups, epsilon, axis=-1):
    x = np.moveaxis(x, axis, -1)
    grouped = x.reshape(*x.shape[:-1], groups, x.shape[-1] // groups)  # (..., groups, per_group)
    axes = (*range(1, grouped.ndim - 2), grouped.ndim - 1)  # all but batch and group
    mean = grouped.mean(axis=axes, keepdims=True)
    var = grouped.var(axis=axes, keepdims=True)
    return np.moveaxis(((grouped - mean) / np.sqrt(var + epsilon)).reshape(x.shape), -1, axis)


@pytest.mark.parametrize("groups, expected_groups", [(2, 2), (1, 1), (-1, 6), (6, 6)])
def test_group_normalization_normalises_each_group_of_each_sample(groups, expected_groups, rng):
    x = rng.standard_normal((3, 4, 5, 6)) * 3 + 1
    layer = GroupNormalization(groups, epsilon=1e-5, dtype="float64")
    np.testing.assert_allclose(
        layer(x).numpy(), _group_norm_reference(x, expected_groups, 1e-5), rtol=1e-9, atol=1e-12
    )
    assert [w.path.split("/")[-1] for w in layer.weights] == ["gamma", "beta"]
    assert layer.get_config()["groups"] == groups  # as given: building does not change it


def test_group_normalization_channels_first_and_affine(rng):
    x = rng.standard_normal((2, 4, 3, 3))
    layer = GroupNormalization(2, axis=1, gamma_initializer="ones", dtype="float64")
    layer(x)
    layer.gamma.assign(np.array([1.0, 2.0, 3.0, 4.0]))
    layer.beta.assign(np.array([0.5, 0.0, -1.0, 2.0]))
    expected = _group_norm_reference(x, 2, 1e-3, axis=1) * np.array([1.0, 2, 3, 4])[:, None, None]
    expected += np.array([0.5, 0.0, -1.0, 2.0])[:, None, None]
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-9, atol=1e-12)


def test_group_normalization_errors():
    with pytest.raises(ValueError, match=r"6 channels .*groups=4 .*\[1, 2, 3, 6\]"):
        GroupNormalization(4)(np.ones((1, 2, 6)))
    with pytest.raises(ValueError, match=r"expected a positive integer .*groups=0"):
        GroupNormalization(0)
    with pytest.raises(ValueError, match=r"axis 0 is not a channel axis"):
        GroupNormalization(1, axis=0)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"axis -1 of the input should have a defined dimension"):
        GroupNormalization(1)(Input((3, None)))


def test_unit_normalization_gives_unit_vectors(rng):
    x = rng.standard_normal((3, 4, 5)).astype("float32")
    y = UnitNormalization()(x).numpy()
    np.testing.assert_allclose(np.linalg.norm(y, axis=-1), 1, rtol=1e-6)
    y = UnitNormalization(axis=[1, 2])(x).numpy()
    np.testing.assert_allclose(np.sqrt((y**2).sum(axis=(1, 2))), 1, rtol=1e-6)
    np.testing.assert_allclose(UnitNormalization()(np.array([[3.0, 4.0]])).numpy(), [[0.6, 0.8]])
    with pytest.raises(ValueError, match=r"axis 3 is out of bounds"):
        UnitNormalization(axis=3)(Input((2, 2)))
    with pytest.raises(TypeError, match="axis"):
        UnitNormalization(axis="last")


def test_spectral_normalization_divides_the_kernel_by_its_largest_singular_value(rng):
    layer = SpectralNormalization(Dense(4), power_iterations=50)
    x = rng.standard_normal((2, 6)).astype("float32")
    before = layer(x)  # builds; inference leaves the kernel alone
    kernel = layer.layer.kernel.numpy()
    np.testing.assert_array_equal(layer(x).numpy(), before.numpy())
    sigma = np.linalg.svd(kernel, compute_uv=False)[0]
    after = layer(x, training=True)
    np.testing.assert_allclose(layer.layer.kernel.numpy(), kernel / sigma, rtol=1e-4)
    np.testing.assert_allclose(
        np.linalg.svd(layer.layer.kernel.numpy(), compute_uv=False)[0], 1, rtol=1e-4
    )
    np.testing.assert_allclose(
        after.numpy(), x @ (kernel / sigma) + layer.layer.bias.numpy(), rtol=1e-4
    )
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "vector_u", "bias"]
    assert [w.path.split("/")[-1] for w in layer.trainable_weights] == ["kernel", "bias"]


def test_spectral_normalization_wraps_convolutions_and_embeddings(rng):
    conv = SpectralNormalization(Conv2D(3, 2))
    conv(np.ones((1, 4, 4, 2)), training=True)
    assert conv.vector_u.shape == (1, 3) and conv.kernel is conv.layer.kernel
    embedding = SpectralNormalization(Embedding(5, 3))
    embedding(np.array([[1, 2]]), training=True)
    assert embedding.kernel is embedding.layer.embeddings
    with pytest.raises(ValueError, match=r"SeparableConv2D object has no attribute 'kernel'"):
        SpectralNormalization(SeparableConv2D(2, 3))(np.ones((1, 4, 4, 2)))
    with pytest.raises(ValueError, match="power_iterations"):
        SpectralNormalization(Dense(2), power_iterations=0)


def test_spectral_normalization_counts_a_kernel_penalty_once():
    layer = SpectralNormalization(Dense(2, kernel_regularizer=keras.regularizers.L2(0.5)))
    layer(np.ones((1, 3)))
    [penalty] = layer.losses
    np.testing.assert_allclose(
        float(penalty.numpy()), 0.5 * np.sum(layer.layer.kernel.numpy() ** 2), rtol=1e-6
    )


def test_keras1_noise_spellings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        noise = GaussianNoise(sigma=0.2)
        drop = GaussianDropout(p=0.3)
        spatial = SpatialDropout2D(p=0.4, dim_ordering="th")
    said = " ".join(str(w.message) for w in caught if issubclass(w.category, KerasLegacyWarning))
    assert (noise.stddev, drop.rate, spatial.rate, spatial.data_format) == (
        0.2,
        0.3,
        0.4,
        "channels_first",
    )
    assert "GaussianNoise(stddev=...)" in said and "GaussianDropout(rate=...)" in said


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: GaussianNoise(1.5), r"stddev.*between 0 and 1"),
        (lambda: GaussianDropout(-0.1), r"rate.*between 0 and 1"),
        (lambda: AlphaDropout(2), r"rate.*between 0 and 1"),
        (lambda: SpatialDropout1D(1.5), r"rate.*between 0 and 1"),
    ],
)
def test_bad_rates(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_spatial_dropout_expects_its_rank():
    with pytest.raises(ValueError, match=r"ndim=4, found ndim=3"):
        SpatialDropout2D(0.5)(np.ones((2, 3, 4)))


def test_spectral_normalization_gradients_are_the_wrapped_layers(rng):
    """In training the kernel is replaced by W / σ first; the gradient is then Dense's, at W / σ."""
    layer = SpectralNormalization(Dense(3, dtype="float64"), dtype="float64")
    x = rng.standard_normal((2, 4))
    layer(x)
    kernel, bias = layer.layer.kernel, layer.layer.bias
    K.check_gradients(lambda t: layer(t), x)  # inference: Dense itself
    with K.GradientTape() as tape:
        loss = K.sum(layer(x, training=True) ** 2)
    d_kernel, d_bias = tape.gradient(loss, [kernel, bias])
    y = x @ kernel.numpy() + bias.numpy()  # the kernel already normalized, as the call used it
    np.testing.assert_allclose(d_kernel, x.T @ (2 * y), rtol=1e-10)
    np.testing.assert_allclose(d_bias, (2 * y).sum(axis=0), rtol=1e-10)


# --- the contract -------------------------------------------------------------------------------------
# A row's wrapped layer is one instance, made once: a float64 wrapper around it still computes
# in its float32. test_spectral_normalization_gradients_are_the_wrapped_layers checks instead.
WRAPPED_DTYPE = (
    "the wrapped layer keeps its own float32: see the SpectralNormalization gradient test"
)

LAYER_CASES = [
    layer_case(
        GaussianNoise,
        {"stddev": 0.1, "seed": 3},
        input_shape=(2, 4),
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    ),
    layer_case(
        GaussianDropout, {"rate": 0.2}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)
    ),
    layer_case(
        AlphaDropout,
        {"rate": 0.1, "noise_shape": (None, 1)},
        input_shape=(2, 4),
        supports_masking=True,
    ),
    layer_case(
        SpatialDropout1D, {"rate": 0.5}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)
    ),
    layer_case(
        SpatialDropout2D,
        {"rate": 0.3, "data_format": "channels_first", "seed": 1},
        input_shape=(2, 3, 2, 2),
    ),
    layer_case(SpatialDropout3D, {"rate": 0.3}, input_shape=(2, 2, 2, 2, 3)),
    layer_case(
        ActivityRegularization,
        {"l1": 0.01, "l2": 0.02},
        input_shape=(2, 4),
        expected_output_shape=(2, 4),
        expected_num_losses=1,
    ),
    layer_case(
        PReLU,
        {},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        supports_masking=True,
    ),
    layer_case(
        PReLU,
        {"alpha_initializer": "ones", "alpha_regularizer": "l2", "shared_axes": [1, 2]},
        input_shape=(2, 3, 2, 4),
        expected_num_losses=1,
    ),
    layer_case(
        Identity, {}, input_shape=(2, 3), expected_output_shape=(2, 3), supports_masking=True
    ),
    layer_case(
        GroupNormalization,
        {"groups": 2},
        input_shape=(3, 5, 4),
        expected_output_shape=(3, 5, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        GroupNormalization,
        {"groups": -1, "axis": 1, "center": False, "gamma_regularizer": "l2", "epsilon": 1e-5},
        input_shape=(2, 3, 4, 4),
        expected_num_trainable_weights=1,
        expected_num_losses=1,
    ),
    layer_case(UnitNormalization, {}, input_shape=(2, 4), expected_output_shape=(2, 4)),
    layer_case(UnitNormalization, {"axis": [1, 2]}, input_shape=(2, 3, 4)),
    layer_case(
        SpectralNormalization,
        {"layer": Dense(3)},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
        run_gradient_check=WRAPPED_DTYPE,
    ),
    layer_case(
        SpectralNormalization,
        {"layer": Conv2D(2, 2), "power_iterations": 2},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(2, 3, 3, 2),
        run_gradient_check=WRAPPED_DTYPE,
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)

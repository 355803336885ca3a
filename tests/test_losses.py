"""Losses: values by hand, reductions, sample weights, configs, errors, gradients."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import legacy, losses

# (function, makes y_true from rng, makes y_pred from rng) for the gradient checks:
# inputs are kept away from kinks (|e| = delta, margins) and clips (0, 1).
SHAPE = (4, 3)


def _probabilities(rng, shape=SHAPE):
    p = rng.uniform(0.1, 1.0, shape)
    return p / p.sum(-1, keepdims=True)


def _one_hot(rng, shape=SHAPE):
    return np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]


# --- plain functions against NumPy formulas -------------------------------------------------
def test_regression_functions_match_numpy(rng):
    y = rng.uniform(0.5, 2.0, SHAPE).astype("float32")
    p = rng.uniform(0.5, 2.0, SHAPE).astype("float32")
    e = p - y
    expected = {
        losses.mean_squared_error: np.mean(e**2, -1),
        losses.mean_absolute_error: np.mean(np.abs(e), -1),
        losses.mean_absolute_percentage_error: 100 * np.mean(np.abs(e / y), -1),
        losses.mean_squared_logarithmic_error: np.mean((np.log1p(p) - np.log1p(y)) ** 2, -1),
        losses.log_cosh: np.mean(np.log(np.cosh(e)), -1),
        losses.huber: np.mean(np.where(np.abs(e) <= 1, 0.5 * e**2, np.abs(e) - 0.5), -1),
        losses.cosine_similarity: -np.sum(
            y
            / np.linalg.norm(y, axis=-1, keepdims=True)
            * p
            / np.linalg.norm(p, axis=-1, keepdims=True),
            -1,
        ),
        losses.poisson: np.mean(p - y * np.log(p + 1e-7), -1),
    }
    for fn, want in expected.items():
        got = fn(y, p)
        assert got.shape == (4,), fn.__name__
        assert got.dtype == np.float32, fn.__name__
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6, err_msg=fn.__name__)


def test_short_aliases_are_the_functions():
    assert losses.mse is losses.MSE is losses.mean_squared_error
    assert losses.mae is losses.MAE is losses.mean_absolute_error
    assert losses.mape is losses.MAPE is losses.mean_absolute_percentage_error
    assert losses.msle is losses.MSLE is losses.mean_squared_logarithmic_error
    assert losses.kld is losses.KLD is losses.kl_divergence
    assert losses.bce is losses.binary_crossentropy


def test_huber_delta_switches_branch():
    y = np.zeros((1, 2), "float32")
    p = np.array([[0.5, 3.0]], "float32")
    np.testing.assert_allclose(losses.huber(y, p, delta=2.0).numpy(), [(0.125 + (6 - 2)) / 2])


def test_cosine_similarity_of_a_zero_vector_is_zero_and_finite():
    out = losses.cosine_similarity(np.zeros((2, 3)), np.ones((2, 3)))
    np.testing.assert_allclose(out.numpy(), [0.0, 0.0])


def test_categorical_crossentropy_probabilities_and_logits(rng):
    t = _one_hot(rng).astype("float32")
    logits = rng.standard_normal(SHAPE).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    want = -np.sum(t * np.log(probs), -1)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(t, probs).numpy(), want, rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        losses.categorical_crossentropy(t, logits, from_logits=True).numpy(),
        want,
        rtol=1e-5,
        atol=1e-6,
    )


def test_categorical_crossentropy_label_smoothing(rng):
    t = _one_hot(rng).astype("float32")
    p = _probabilities(rng).astype("float32")
    smoothed = t * 0.8 + 0.2 / 3
    np.testing.assert_allclose(
        losses.categorical_crossentropy(t, p, label_smoothing=0.2).numpy(),
        -np.sum(smoothed * np.log(p), -1),
        rtol=1e-5,
    )


def test_categorical_crossentropy_clips_zero_probabilities():
    out = losses.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]])
    np.testing.assert_allclose(out.numpy(), [-np.log(1e-7)], rtol=1e-4)


def test_sparse_equals_categorical_on_one_hot(rng):
    labels = rng.integers(0, 3, 4)
    p = _probabilities(rng).astype("float32")
    dense = losses.categorical_crossentropy(np.eye(3)[labels], p)
    for y in (labels, labels[:, None], labels.astype("float32")):
        np.testing.assert_allclose(
            losses.sparse_categorical_crossentropy(y, p).numpy(), dense.numpy(), rtol=1e-6
        )


def test_sparse_ignore_class_masks_the_mean(rng):
    labels = np.array([0, 2, 1, 2])
    p = _probabilities(rng).astype("float32")
    per_sample = losses.sparse_categorical_crossentropy(labels, p, ignore_class=2)
    assert per_sample.numpy()[1] == 0 and per_sample.numpy()[3] == 0
    assert per_sample._keras_mask.tolist() == [True, False, True, False]
    full = losses.sparse_categorical_crossentropy(labels, p).numpy()
    loss = losses.SparseCategoricalCrossentropy(ignore_class=2)(labels, p)
    np.testing.assert_allclose(float(loss), (full[0] + full[2]) / 2, rtol=1e-6)


def test_binary_crossentropy_probabilities_logits_smoothing(rng):
    t = rng.integers(0, 2, SHAPE).astype("float32")
    z = rng.standard_normal(SHAPE).astype("float32")
    p = 1 / (1 + np.exp(-z))

    def bce(t, p):
        return np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), -1)

    np.testing.assert_allclose(losses.binary_crossentropy(t, p).numpy(), bce(t, p), rtol=1e-5)
    np.testing.assert_allclose(
        losses.binary_crossentropy(t, z, from_logits=True).numpy(), bce(t, p), rtol=1e-5
    )
    np.testing.assert_allclose(
        losses.binary_crossentropy(t, p, label_smoothing=0.1).numpy(),
        bce(t * 0.9 + 0.05, p),
        rtol=1e-5,
    )


def test_kl_divergence_of_equal_distributions_is_zero(rng):
    p = _probabilities(rng)
    np.testing.assert_allclose(losses.kl_divergence(p, p).numpy(), 0, atol=1e-12)
    q = _probabilities(rng)
    np.testing.assert_allclose(
        losses.kl_divergence(p, q).numpy(), np.sum(p * np.log(p / q), -1), rtol=1e-10
    )


def test_hinge_losses_convert_zero_one_labels():
    p = np.array([[0.3, -0.8], [2.0, 0.1]], "float32")
    zero_one = np.array([[1, 0], [0, 1]], "float32")
    plus_minus = 2 * zero_one - 1
    for fn in (losses.hinge, losses.squared_hinge):
        np.testing.assert_allclose(fn(zero_one, p).numpy(), fn(plus_minus, p).numpy())
    margin = np.maximum(1 - plus_minus * p, 0)
    np.testing.assert_allclose(losses.hinge(zero_one, p).numpy(), margin.mean(-1))
    np.testing.assert_allclose(losses.squared_hinge(zero_one, p).numpy(), (margin**2).mean(-1))
    # categorical hinge: max(neg - pos + 1, 0) with neg = max((1 - t) * p): the true
    # class enters neg as 0, so neg = max(0, -0.8) = 0 in the first row (as in Keras).
    np.testing.assert_allclose(
        losses.categorical_hinge(zero_one, p).numpy(), [0 - 0.3 + 1, 2.0 - 0.1 + 1], rtol=1e-6
    )


def test_float64_inputs_stay_float64(rng):
    y, p = rng.random(SHAPE), rng.random(SHAPE)
    assert losses.mean_squared_error(y, p).dtype == np.float64
    assert losses.MeanSquaredError(dtype="float64")(y, p).dtype == np.float64
    assert losses.MeanSquaredError()(y, p).dtype == np.float32  # the Loss casts to floatx


# --- the Loss object: reductions, weights, masks --------------------------------------------
def test_reductions_and_sample_weight(rng):
    y, p = rng.random(SHAPE).astype("float32"), rng.random(SHAPE).astype("float32")
    w = np.array([1.0, 0.0, 2.0, 0.5], "float32")
    per_sample = np.mean((y - p) ** 2, -1)
    cases = {
        "sum_over_batch_size": np.sum(per_sample * w) / 4,
        "mean": np.sum(per_sample * w) / 4,
        "sum": np.sum(per_sample * w),
        "mean_with_sample_weight": np.sum(per_sample * w) / w.sum(),
        "none": per_sample * w,
        None: per_sample * w,
    }
    for reduction, want in cases.items():
        got = losses.MeanSquaredError(reduction=reduction)(y, p, sample_weight=w)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, err_msg=str(reduction))
    # (n, 1) weights and a scalar weight give the same as (n,) weights
    loss = losses.MeanSquaredError()
    np.testing.assert_allclose(
        float(loss(y, p, sample_weight=w[:, None])), float(loss(y, p, sample_weight=w))
    )
    np.testing.assert_allclose(float(loss(y, p, sample_weight=2.0)), 2 * float(loss(y, p)))


def test_mean_with_sample_weight_all_zero_gives_zero(rng):
    y, p = rng.random(SHAPE), rng.random(SHAPE)
    loss = losses.MeanSquaredError(reduction="mean_with_sample_weight")
    assert float(loss(y, p, sample_weight=np.zeros(4))) == 0.0


def test_invalid_reduction_names_the_choices():
    with pytest.raises(ValueError, match=r"reduction='avg'"):
        losses.MeanSquaredError(reduction="avg")


def test_mask_on_y_pred_is_folded_into_the_weights(rng):
    y, p = rng.random((2, 3, 1)).astype("float32"), rng.random((2, 3, 1)).astype("float32")
    p_tensor = K.as_tensor(p)
    p_tensor._keras_mask = np.array([[True, True, False], [True, False, False]])
    per_value = ((y - p) ** 2)[..., 0]
    want = per_value[p_tensor._keras_mask].mean()
    np.testing.assert_allclose(float(losses.MeanSquaredError()(y, p_tensor)), want, rtol=1e-6)


def test_sample_weight_of_the_wrong_shape_says_how_to_fix_it(rng):
    y, p = rng.random((4, 3, 2)), rng.random((4, 3, 2))
    with pytest.raises(ValueError, match=r"sample_weight of shape \(4,\).*\(4, 1\)"):
        losses.MeanSquaredError()(y, p, sample_weight=np.ones(4))


def test_wrapper_lines_up_ranks(rng):
    y = rng.integers(0, 2, 5).astype("float32")
    p = rng.uniform(0.1, 0.9, (5, 1)).astype("float32")
    got = losses.BinaryCrossentropy()(y, p)
    want = losses.binary_crossentropy(y[:, None], p).numpy().mean()
    np.testing.assert_allclose(float(got), want, rtol=1e-6)


def test_loss_is_differentiable_through_the_class(rng):
    p = K.Variable(rng.random(SHAPE).astype("float32"))
    y = rng.random(SHAPE).astype("float32")
    (grad,) = K.gradients(losses.MeanSquaredError()(y, p), [p])
    np.testing.assert_allclose(grad, 2 * (p.numpy() - y) / y.size, rtol=1e-5)


def test_subclassing_loss():
    class Twice(losses.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * K.mean(K.abs(y_pred - y_true), axis=-1)

    loss = Twice()
    assert loss.name == "twice"
    np.testing.assert_allclose(float(loss([[0.0, 1.0]], [[1.0, 1.0]])), 1.0)


def test_class_names_and_default_names():
    assert losses.Huber().name == "huber_loss"
    assert losses.LogCosh().name == "log_cosh"
    assert losses.LossFunctionWrapper(losses.mse).name == "loss_function_wrapper"
    assert losses.LossFunctionWrapper(losses.mse).name == "loss_function_wrapper_1"


# --- identifiers and configs -----------------------------------------------------------------
def test_get_names_classes_dicts_and_callables():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    obj = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(obj, losses.CategoricalCrossentropy) and obj.from_logits
    instance = losses.Hinge()
    assert losses.get(instance) is instance
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Did you mean 'mse'"):
        losses.get("msee")
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


def test_keras2_names_warn_once_and_work():
    with pytest.warns(legacy.KerasLegacyWarning, match="log_cosh"):
        assert losses.get("logcosh") is losses.log_cosh
    with pytest.warns(legacy.KerasLegacyWarning, match="kl_divergence"):
        assert losses.kullback_leibler_divergence is losses.kl_divergence
    with pytest.warns(legacy.KerasLegacyWarning, match="cosine_similarity"):
        assert losses.get("cosine_proximity") is losses.cosine_similarity


def test_as_loss_object_always_gives_a_loss():
    mse = losses.as_loss_object("mse")
    assert isinstance(mse, losses.LossFunctionWrapper) and mse.name == "mse"
    assert mse.fn is losses.mean_squared_error

    def my_loss(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    wrapped = losses.as_loss_object(my_loss)
    assert wrapped.name == "my_loss" and wrapped.fn is my_loss
    instance = losses.Huber()
    assert losses.as_loss_object(instance) is instance
    assert isinstance(losses.as_loss_object("Huber"), losses.Huber)


def test_resolve_compile_loss_crossentropy_by_shape():
    def fn(identifier, t, p):
        return losses.resolve_compile_loss(identifier, t, p).fn

    assert fn("crossentropy", (None, 1), (None, 1)) is losses.binary_crossentropy
    assert fn("ce", (None,), (None, 10)) is losses.sparse_categorical_crossentropy
    assert fn("ce", (None, 1), (None, 10)) is losses.sparse_categorical_crossentropy
    assert fn("crossentropy", (None, 10), (None, 10)) is losses.categorical_crossentropy
    assert losses.resolve_compile_loss("ce", (None, 1), (None, 1)).name == "ce"
    assert losses.resolve_compile_loss("mae", (None, 1), (None, 1)).fn is losses.mae


@pytest.mark.parametrize(
    "loss",
    [
        losses.MeanSquaredError(reduction="sum"),
        losses.MeanAbsoluteError(name="l1"),
        losses.MeanAbsolutePercentageError(),
        losses.MeanSquaredLogarithmicError(),
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=-1),
        losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
        losses.BinaryCrossentropy(label_smoothing=0.2),
        losses.KLDivergence(),
        losses.Poisson(),
        losses.CosineSimilarity(),
        losses.Hinge(),
        losses.SquaredHinge(),
        losses.CategoricalHinge(),
        losses.LogCosh(),
        losses.Huber(),
    ],
    ids=lambda loss: type(loss).__name__,
)
def test_serialize_round_trip(loss):
    config = losses.serialize(loss)
    assert config["class_name"] == type(loss).__name__
    assert config["module"] == "keras.losses"
    again = losses.deserialize(config)
    assert type(again) is type(loss)
    assert again.get_config() == loss.get_config()


def test_config_keys_match_keras():
    assert losses.CategoricalCrossentropy().get_config() == {
        "name": "categorical_crossentropy",
        "reduction": "sum_over_batch_size",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
    }
    assert losses.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy",
        "reduction": "sum_over_batch_size",
        "from_logits": False,
        "ignore_class": None,
    }
    assert losses.Huber().get_config() == {"name": "huber_loss", "reduction": "sum_over_batch_size"}


def test_function_serialization_and_wrapper_round_trip():
    config = losses.serialize(losses.mse)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "mean_squared_error",
        "registered_name": "function",
    }
    assert losses.deserialize(config) is losses.mean_squared_error
    assert losses.deserialize("mse") is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=2.0, name="h")
    again = losses.LossFunctionWrapper.from_config(wrapper.get_config())
    assert again.fn is losses.huber and again._fn_kwargs == {"delta": 2.0} and again.name == "h"


# --- errors that teach -----------------------------------------------------------------------
@pytest.mark.parametrize("labels", [np.array([0, 2, 1]), np.array([[0], [2], [1]])])
def test_class_indices_to_categorical_crossentropy(labels):
    p = np.full((3, 3), 1 / 3, "float32")
    with pytest.raises(ValueError, match="labels look like class indices") as info:
        losses.categorical_crossentropy(labels, p)
    assert "sparse_categorical_crossentropy" in str(info.value)
    assert "to_categorical" in str(info.value)
    with pytest.raises(ValueError, match="labels look like class indices"):
        losses.CategoricalCrossentropy()(labels, p)


def test_one_hot_to_sparse_categorical_crossentropy():
    p = np.full((3, 3), 1 / 3, "float32")
    with pytest.raises(ValueError, match="labels look one-hot") as info:
        losses.sparse_categorical_crossentropy(np.eye(3), p)
    assert "categorical_crossentropy" in str(info.value) and "argmax" in str(info.value)


def test_sparse_labels_out_of_range_name_the_range():
    p = np.full((3, 4), 0.25, "float32")
    with pytest.raises(ValueError, match=r"range \[0, 3\].*got values from 1 to 4"):
        losses.sparse_categorical_crossentropy(np.array([1, 2, 4]), p)
    with pytest.raises(ValueError, match=r"range \[0, 3\]"):
        losses.sparse_categorical_crossentropy(np.array([-1, 2, 3]), p)


def test_mismatched_shapes_name_the_loss_and_both_shapes():
    with pytest.raises(ValueError, match=r"categorical_crossentropy.*\(3, 2\).*\(3, 4\)"):
        losses.categorical_crossentropy(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(3, 2\).*\(3, 4\)"):
        losses.mean_squared_error(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"binary_crossentropy.*\(3,\).*\(3, 1\)"):
        losses.binary_crossentropy(np.ones(3), np.full((3, 1), 0.5))
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy.*\(2,\).*\(3, 4\)"):
        losses.sparse_categorical_crossentropy(np.array([0, 1]), np.ones((3, 4)))


def test_categorical_crossentropy_warns_for_one_unit():
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5))


# --- gradients: backend ops give the right derivatives ------------------------------------------
def _positive(rng):
    return rng.uniform(0.5, 2.0, SHAPE)


GRADIENT_CASES = {
    "mean_squared_error": (losses.mean_squared_error, _positive, _positive),
    "mean_absolute_error": (
        losses.mean_absolute_error,
        lambda r: r.uniform(0, 1, SHAPE),
        lambda r: r.uniform(1.5, 2, SHAPE),
    ),
    "mean_absolute_percentage_error": (
        losses.mean_absolute_percentage_error,
        lambda r: r.uniform(0.5, 1, SHAPE),
        lambda r: r.uniform(1.5, 2, SHAPE),
    ),
    "mean_squared_logarithmic_error": (losses.mean_squared_logarithmic_error, _positive, _positive),
    "cosine_similarity": (losses.cosine_similarity, _positive, _positive),
    "huber": (losses.huber, lambda r: r.uniform(0, 0.5, SHAPE), lambda r: r.uniform(-3, 3, SHAPE)),
    "log_cosh": (losses.log_cosh, _positive, lambda r: r.standard_normal(SHAPE)),
    "categorical_crossentropy": (losses.categorical_crossentropy, _probabilities, _probabilities),
    "categorical_crossentropy_logits": (
        lambda t, p: losses.categorical_crossentropy(t, p, from_logits=True, label_smoothing=0.1),
        _one_hot,
        lambda r: r.standard_normal(SHAPE),
    ),
    "sparse_categorical_crossentropy": (
        losses.sparse_categorical_crossentropy,
        lambda r: r.integers(0, 3, 4),
        _probabilities,
    ),
    "sparse_categorical_crossentropy_logits": (
        lambda t, p: losses.sparse_categorical_crossentropy(t, p, from_logits=True),
        lambda r: r.integers(0, 3, 4),
        lambda r: r.standard_normal(SHAPE),
    ),
    "binary_crossentropy": (
        losses.binary_crossentropy,
        lambda r: r.integers(0, 2, SHAPE).astype(float),
        lambda r: r.uniform(0.05, 0.95, SHAPE),
    ),
    "binary_crossentropy_logits": (
        lambda t, p: losses.binary_crossentropy(t, p, from_logits=True, label_smoothing=0.1),
        lambda r: r.integers(0, 2, SHAPE).astype(float),
        lambda r: r.standard_normal(SHAPE),
    ),
    "kl_divergence": (losses.kl_divergence, _probabilities, _probabilities),
    "poisson": (losses.poisson, _positive, _positive),
    "hinge": (
        losses.hinge,
        lambda r: r.integers(0, 2, SHAPE).astype(float),
        lambda r: r.uniform(-0.8, 0.8, SHAPE),
    ),
    "squared_hinge": (
        losses.squared_hinge,
        lambda r: r.integers(0, 2, SHAPE).astype(float),
        lambda r: r.uniform(-0.8, 0.8, SHAPE),
    ),
    "categorical_hinge": (
        losses.categorical_hinge,
        _one_hot,
        lambda r: r.uniform(0, 0.5, SHAPE) + np.arange(3) * 0.01,
    ),
}


@pytest.mark.parametrize("name", list(GRADIENT_CASES))
def test_gradient_wrt_y_pred(name, rng):
    fn, make_true, make_pred = GRADIENT_CASES[name]
    y_true = make_true(rng)
    y_pred = np.asarray(make_pred(rng), dtype=np.float64)
    # y_true is held fixed (a constant); only y_pred is checked.
    K.check_gradients(lambda p: fn(y_true, p), y_pred)

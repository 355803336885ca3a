"""Metrics: accumulation over batches, weights, every function and class, compile resolution."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import legacy, losses, metrics


# --- the base class and the reductions --------------------------------------------------------
def test_mean_accumulates_over_batches_and_resets():
    m = metrics.Mean()
    m.update_state([1, 2])
    m.update_state([6])
    result = m.result()
    assert isinstance(result, K.Tensor) and result.shape == () and result.dtype == np.float32
    assert float(result) == 3.0 and result.numpy() == 3.0
    assert [float(v.numpy()) for v in m.variables] == [9.0, 3.0]
    assert all(not v.trainable for v in m.variables)
    m.reset_state()
    assert float(m.result()) == 0.0  # no samples: 0, not nan


def test_mean_sample_weights_scalar_and_rank_two():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0
    m = metrics.Mean()
    m.update_state([1.0, 3.0], sample_weight=2.0)  # the batch mean counts 2 times
    assert float(m.variables[0].numpy()) == 4.0 and float(m.variables[1].numpy()) == 2.0
    # values (n, t) with weights (n,): each sample's mean over t, weighted
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=np.array([[1.0], [3.0]]))
    assert float(m.result()) == pytest.approx((2 * 1 + 6 * 3) / 4)


def test_sum_metric():
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7])
    m.update_state([[1.0], [1.0]], sample_weight=[2.0, 0.0])
    assert float(m.result()) == 18.0


def test_call_updates_and_returns_result_without_recording_gradients():
    m = metrics.MeanMetricWrapper(losses.mean_squared_error, name="mse")
    p = K.Variable(np.array([[1.0], [2.0]], "float32"))
    r = m(np.zeros((2, 1), "float32"), p)
    assert float(r) == pytest.approx(2.5) and not r.requires_grad
    r = m(np.zeros((1, 1), "float32"), np.array([[3.0]], "float32"))
    assert float(r) == pytest.approx((1 + 4 + 9) / 3)


def test_reset_states_is_the_keras2_spelling():
    m = metrics.Mean()
    m.update_state([2.0])
    with pytest.warns(legacy.KerasLegacyWarning, match="reset_state"):
        m.reset_states()
    assert float(m.result()) == 0.0


def test_custom_metric_subclass_and_nested_metrics():
    class CountPositives(metrics.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.n = self.add_variable(shape=(), initializer="zeros", name="n")
            self.inner = metrics.Mean()

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign_add(np.sum(K.as_array(y_pred) > 0))
            self.inner.update_state(y_pred)

        def result(self):
            return K.as_tensor(self.n.value)

    m = CountPositives()
    m.update_state(None, np.array([1.0, -1.0, 2.0]))
    assert float(m.result()) == 2.0
    assert len(m.variables) == 3  # n, then inner's total and count
    m.reset_state()
    assert [float(v.numpy()) for v in m.variables] == [0.0, 0.0, 0.0]
    assert m.get_config() == {"name": "count_positives", "dtype": "float32"}


def test_forgetting_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable(shape=(), initializer="zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_metric_default_names_are_unique():
    assert metrics.MeanMetricWrapper(losses.mse).name == "mean_metric_wrapper"
    assert metrics.MeanMetricWrapper(losses.mse).name == "mean_metric_wrapper_1"


# --- accuracy functions ------------------------------------------------------------------------
def test_accuracy_functions():
    p = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], "float32")
    labels = np.array([1, 1, 2])
    one_hot = np.eye(3, dtype="float32")[labels]
    assert metrics.sparse_categorical_accuracy(labels, p).numpy().tolist() == [1, 0, 1]
    assert metrics.sparse_categorical_accuracy(labels[:, None], p).shape == (3,)
    assert metrics.categorical_accuracy(one_hot, p).numpy().tolist() == [1, 0, 1]
    assert metrics.top_k_categorical_accuracy(one_hot, p, k=2).numpy().tolist() == [1, 1, 1]
    assert metrics.top_k_categorical_accuracy(one_hot, p, k=1).numpy().tolist() == [1, 0, 1]
    assert metrics.sparse_top_k_categorical_accuracy(labels, p, k=2).numpy().tolist() == [1, 1, 1]
    sorted_ids = np.argsort(-p, axis=-1)
    assert metrics.sparse_top_k_categorical_accuracy(
        labels, sorted_ids, k=1, from_sorted_ids=True
    ).numpy().tolist() == [1, 0, 1]
    binary = metrics.binary_accuracy(np.array([[1], [0], [1]]), np.array([[0.6], [0.4], [0.2]]))
    assert binary.numpy().ravel().tolist() == [1, 1, 0]
    assert metrics.binary_accuracy([1.0, 1.0], [0.6, 0.8], threshold=0.7).numpy().tolist() == [0, 1]
    assert metrics.accuracy([[1], [2]], [[1], [3]]).numpy().ravel().tolist() == [1, 0]
    assert metrics.accuracy([[1], [2]], [[1], [3]]).dtype == np.float32


def test_accuracy_classes_with_sample_weight():
    p = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], "float32")
    labels = np.array([1, 1, 1])
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(labels, p, sample_weight=[1.0, 3.0, 0.0])
    assert float(m.result()) == pytest.approx(0.25)
    m = metrics.CategoricalAccuracy()
    m.update_state(np.eye(2)[labels], p)
    assert float(m.result()) == pytest.approx(2 / 3)
    m = metrics.BinaryAccuracy(threshold=0.5)
    m.update_state([[1], [0]], [[0.9], [0.9]])
    assert float(m.result()) == 0.5
    m = metrics.Accuracy()
    m.update_state([1, 2, 3, 4], [1, 2, 0, 0])
    assert float(m.result()) == 0.5
    m = metrics.TopKCategoricalAccuracy(k=1)
    m.update_state(np.eye(2)[labels], p)
    assert float(m.result()) == pytest.approx(2 / 3)
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    m.update_state(labels, p)
    assert float(m.result()) == pytest.approx(2 / 3)


# --- regression and probabilistic metrics ----------------------------------------------------
def test_regression_metrics(rng):
    y = rng.uniform(0.5, 2, (5, 3)).astype("float32")
    p = rng.uniform(0.5, 2, (5, 3)).astype("float32")
    e = p - y
    expected = {
        metrics.MeanSquaredError: np.mean(e**2),
        metrics.MeanAbsoluteError: np.mean(np.abs(e)),
        metrics.MeanAbsolutePercentageError: 100 * np.mean(np.abs(e / y)),
        metrics.MeanSquaredLogarithmicError: np.mean((np.log1p(p) - np.log1p(y)) ** 2),
        metrics.RootMeanSquaredError: np.sqrt(np.mean(e**2)),
        metrics.LogCoshError: np.mean(np.log(np.cosh(e))),
        metrics.CosineSimilarity: np.mean(
            np.sum(y * p, -1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1)
        ),
    }
    for cls, want in expected.items():
        m = cls()
        m.update_state(y[:2], p[:2])
        m.update_state(y[2:], p[2:])
        assert float(m.result()) == pytest.approx(float(want), rel=1e-5), cls.__name__


def test_rmse_is_root_of_the_mean_not_mean_of_roots():
    m = metrics.RootMeanSquaredError()
    m.update_state([[0.0]], [[1.0]])
    m.update_state([[0.0]], [[3.0]])
    assert float(m.result()) == pytest.approx(np.sqrt(5.0))
    m.reset_state()
    m.update_state([0.0, 0.0], [1.0, 3.0], sample_weight=[1.0, 0.0])
    assert float(m.result()) == pytest.approx(1.0)


def test_probabilistic_and_hinge_metrics_average_their_losses(rng):
    labels = rng.integers(0, 3, 6)
    one_hot = np.eye(3, dtype="float32")[labels]
    p = rng.uniform(0.1, 1, (6, 3)).astype("float32")
    p /= p.sum(-1, keepdims=True)
    binary = rng.integers(0, 2, (6, 3)).astype("float32")
    cases = [
        (metrics.CategoricalCrossentropy(), losses.categorical_crossentropy, one_hot),
        (metrics.SparseCategoricalCrossentropy(), losses.sparse_categorical_crossentropy, labels),
        (metrics.BinaryCrossentropy(), losses.binary_crossentropy, binary),
        (metrics.KLDivergence(), losses.kl_divergence, one_hot),
        (metrics.Poisson(), losses.poisson, one_hot),
        (metrics.Hinge(), losses.hinge, binary),
        (metrics.SquaredHinge(), losses.squared_hinge, binary),
        (metrics.CategoricalHinge(), losses.categorical_hinge, one_hot),
    ]
    w = rng.random(6).astype("float32")
    for metric, fn, y in cases:
        metric.update_state(y, p, sample_weight=w)
        want = np.sum(fn(y, p).numpy() * w) / w.sum()
        assert float(metric.result()) == pytest.approx(float(want), rel=1e-5), metric.name


def test_crossentropy_metric_options(rng):
    logits = rng.standard_normal((4, 3)).astype("float32")
    one_hot = np.eye(3, dtype="float32")[[0, 1, 2, 0]]
    m = metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    m.update_state(one_hot, logits)
    want = losses.categorical_crossentropy(one_hot, logits, from_logits=True, label_smoothing=0.1)
    assert float(m.result()) == pytest.approx(float(want.numpy().mean()), rel=1e-6)
    m = metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    m.update_state(np.array([0, 1, 2, 0]), logits)
    per_sample = losses.sparse_categorical_crossentropy(np.array([0, 1, 2, 0]), logits, True)
    # As in Keras 3, the ignored samples' mask only takes effect with sample weights:
    # without them the zeros are averaged in.
    assert float(m.result()) == pytest.approx(float(per_sample.numpy()[1:3].sum() / 4), rel=1e-6)
    m.reset_state()
    m.update_state(np.array([0, 1, 2, 0]), logits, sample_weight=np.ones(4))
    assert float(m.result()) == pytest.approx(float(per_sample.numpy()[1:3].mean()), rel=1e-6)


def test_wrapping_a_user_function():
    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    m = metrics.MeanMetricWrapper(mean_pred, name="mean_pred")
    m.update_state(None, np.array([[1.0], [3.0]]))  # a scalar counts as one sample
    m.update_state(None, np.array([[5.0]]))
    assert float(m.result()) == 3.5


# --- identifiers and configs -----------------------------------------------------------------
def test_get_follows_keras3():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("mean_squared_error"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("accuracy"), metrics.Accuracy)
    assert isinstance(metrics.get("categorical_accuracy"), metrics.CategoricalAccuracy)
    assert isinstance(metrics.get("binary_crossentropy"), metrics.BinaryCrossentropy)
    assert isinstance(metrics.get("TopKCategoricalAccuracy"), metrics.TopKCategoricalAccuracy)
    assert isinstance(metrics.get("kld"), metrics.KLDivergence)
    assert metrics.get("huber") is losses.huber  # a loss with no metric class
    m = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.7}})
    assert isinstance(m, metrics.BinaryAccuracy) and m.threshold == 0.7
    assert metrics.get(metrics.Mean) is not None
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        metrics.get("acuracy")


def test_keras2_metric_names_warn():
    with pytest.warns(legacy.KerasLegacyWarning, match="log_cosh_error"):
        assert isinstance(metrics.get("logcosh"), metrics.LogCoshError)
    with pytest.warns(legacy.KerasLegacyWarning):
        assert metrics.get("cosine_proximity") is losses.cosine_similarity


@pytest.mark.parametrize(
    "metric",
    [
        metrics.Mean(name="m"),
        metrics.Sum(),
        metrics.Accuracy(),
        metrics.BinaryAccuracy(threshold=0.3),
        metrics.CategoricalAccuracy(),
        metrics.SparseCategoricalAccuracy(),
        metrics.TopKCategoricalAccuracy(k=3),
        metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True),
        metrics.MeanSquaredError(),
        metrics.MeanAbsoluteError(),
        metrics.MeanAbsolutePercentageError(),
        metrics.MeanSquaredLogarithmicError(),
        metrics.RootMeanSquaredError(),
        metrics.CosineSimilarity(),
        metrics.LogCoshError(),
        metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        metrics.CategoricalCrossentropy(label_smoothing=0.2),
        metrics.SparseCategoricalCrossentropy(ignore_class=3),
        metrics.KLDivergence(),
        metrics.Poisson(),
        metrics.Hinge(),
        metrics.SquaredHinge(),
        metrics.CategoricalHinge(),
        metrics.MeanMetricWrapper(losses.huber, name="h", delta=2.0),
        metrics.MeanMetricWrapper(metrics.binary_accuracy, threshold=0.2),
    ],
    ids=lambda m: type(m).__name__,
)
def test_serialize_round_trip(metric):
    config = metrics.serialize(metric)
    assert config["module"] == "keras.metrics" and config["class_name"] == type(metric).__name__
    again = metrics.deserialize(config)
    assert type(again) is type(metric)
    assert again.get_config() == metric.get_config()


def test_config_keys_match_keras():
    assert metrics.BinaryAccuracy().get_config() == {
        "name": "binary_accuracy",
        "dtype": "float32",
        "threshold": 0.5,
    }
    wrapper = metrics.MeanMetricWrapper(losses.huber, delta=2.0).get_config()
    assert wrapper["fn"]["config"] == "huber" and wrapper["delta"] == 2.0
    assert metrics.MeanMetricWrapper.from_config(wrapper)._fn is losses.huber


# --- what compile(metrics=[...]) does -------------------------------------------------------------
@pytest.mark.parametrize(
    ("y_true_shape", "y_pred_shape", "expected"),
    [
        ((None, 1), (None, 1), metrics.BinaryAccuracy),
        ((None,), (None, 1), metrics.BinaryAccuracy),
        ((None,), (None, 10), metrics.SparseCategoricalAccuracy),
        ((None, 1), (None, 10), metrics.SparseCategoricalAccuracy),
        ((None, 10), (None, 10), metrics.CategoricalAccuracy),
    ],
)
def test_accuracy_is_chosen_from_the_shapes(y_true_shape, y_pred_shape, expected):
    for written in ("accuracy", "acc"):
        m = metrics.resolve_compile_metric(written, "mse", y_true_shape, y_pred_shape)
        assert type(m) is expected
        assert m.name == written  # the History key is what the user wrote


def test_accuracy_falls_back_to_the_loss_without_shapes():
    resolve = metrics.resolve_compile_metric
    assert type(resolve("acc", "binary_crossentropy")) is metrics.BinaryAccuracy
    assert type(resolve("acc", losses.BinaryCrossentropy())) is metrics.BinaryAccuracy
    sparse = losses.as_loss_object("sparse_categorical_crossentropy")
    assert type(resolve("acc", sparse)) is metrics.SparseCategoricalAccuracy
    assert type(resolve("accuracy", "categorical_crossentropy")) is metrics.CategoricalAccuracy


def test_crossentropy_metric_is_chosen_from_the_shapes():
    m = metrics.resolve_compile_metric("ce", None, (None,), (None, 5))
    assert type(m) is metrics.SparseCategoricalCrossentropy and m.name == "ce"
    m = metrics.resolve_compile_metric("crossentropy", None, (None, 1), (None, 1))
    assert type(m) is metrics.BinaryCrossentropy


def test_other_compile_metrics():
    m = metrics.resolve_compile_metric("mse", "mse", (None, 1), (None, 1))
    assert type(m) is metrics.MeanSquaredError and m.name == "mse"
    m = metrics.resolve_compile_metric("huber", "mse", (None, 1), (None, 1))
    assert isinstance(m, metrics.MeanMetricWrapper) and m.name == "huber"

    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    m = metrics.resolve_compile_metric(mean_pred, "mse", (None, 1), (None, 1))
    assert type(m) is metrics.MeanMetricWrapper and m.name == "mean_pred"
    m.update_state(np.zeros((2, 1)), np.array([[1.0], [2.0]]))
    assert float(m.result()) == 1.5
    instance = metrics.Mean(name="kept")
    assert metrics.resolve_compile_metric(instance) is instance
    with pytest.raises(ValueError, match="None"):
        metrics.resolve_compile_metric(None)

"""teachkeras.metrics against real Keras 3 (PyTorch backend).

Every metric class gets the same batches (with and without sample weights) in both
libraries; the accumulated results must agree to float32 precision. Each test
loops over its cases (the `keras` fixture costs ~0.2 s per test).
"""

from __future__ import annotations

import numpy as np

from teachkeras import backend as K
from teachkeras import losses, metrics
from tests.helpers.data import (
    C,
    N,
    binary,
    categorical,
    categorical_logits,
    positive,
    signed,
    sparse,
    sparse_column,
    sparse_logits,
)

RTOL, ATOL = 1e-5, 1e-6


def sequences(rng):  # (batch, time, features): per-sample values have extra axes
    return rng.standard_normal((N, 3, C)).astype("float32"), rng.standard_normal((N, 3, C)).astype(
        "float32"
    )


def binary_column(rng):
    return rng.integers(0, 2, (N, 1)).astype("float32"), rng.uniform(0.02, 0.98, (N, 1)).astype(
        "float32"
    )


def exact(rng):
    return rng.integers(0, 3, (N, 1)).astype("float32"), rng.integers(0, 3, (N, 1)).astype(
        "float32"
    )


# (class name, constructor kwargs, inputs)
METRIC_CASES = [
    ("Accuracy", {}, exact),
    ("BinaryAccuracy", {}, binary),
    ("BinaryAccuracy", {"threshold": 0.3}, binary_column),
    ("CategoricalAccuracy", {}, categorical),
    ("SparseCategoricalAccuracy", {}, sparse),
    ("SparseCategoricalAccuracy", {}, sparse_column),
    ("TopKCategoricalAccuracy", {"k": 2}, categorical),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, sparse),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, sparse_column),
    ("MeanSquaredError", {}, signed),
    ("MeanSquaredError", {}, sequences),
    ("MeanAbsoluteError", {}, signed),
    ("MeanAbsolutePercentageError", {}, positive),
    ("MeanSquaredLogarithmicError", {}, positive),
    ("RootMeanSquaredError", {}, signed),
    ("RootMeanSquaredError", {}, sequences),
    ("CosineSimilarity", {}, signed),
    ("LogCoshError", {}, signed),
    ("Hinge", {}, binary),
    ("SquaredHinge", {}, binary),
    ("CategoricalHinge", {}, categorical),
    ("KLDivergence", {}, categorical),
    ("Poisson", {}, positive),
    ("BinaryCrossentropy", {}, binary),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, signed),
    ("CategoricalCrossentropy", {}, categorical),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, categorical_logits),
    ("SparseCategoricalCrossentropy", {}, sparse),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, sparse_logits),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}, sparse_logits),
]
WEIGHTS = {
    "no weight": lambda rng: None,
    "per-sample weight": lambda rng: rng.uniform(0, 2, N).astype("float32"),
    "(n, 1) weight": lambda rng: rng.uniform(0, 2, (N, 1)).astype("float32"),
}


def _case_id(name, kwargs, make) -> str:
    return f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {make.__name__}"


def test_metric_classes_accumulate_like_keras(keras, rng):
    worst = 0.0
    for name, kwargs, make in METRIC_CASES:
        theirs = getattr(keras.metrics, name)(**kwargs)
        ours = getattr(metrics, name)(**kwargs)
        for weight, make_weight in WEIGHTS.items():  # three batches, then the result
            y_true, y_pred = make(rng)
            sample_weight = make_weight(rng)
            theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
            ours.update_state(y_true, y_pred, sample_weight=sample_weight)
            want = float(theirs.result())
            got = ours.result()
            case = f"{_case_id(name, kwargs, make)}, after a batch with {weight}"
            assert got.shape == () and got.dtype == np.float32, case
            np.testing.assert_allclose(float(got), want, rtol=RTOL, atol=ATOL, err_msg=case)
            worst = max(worst, abs(float(got) - want))
        for theirs_var, ours_var in zip(theirs.variables, ours.variables, strict=True):
            np.testing.assert_allclose(
                ours_var.numpy(),
                theirs_var.value.detach().numpy(),
                rtol=RTOL,
                atol=ATOL,
                err_msg=name,
            )
        theirs.reset_state()
        ours.reset_state()
        assert float(ours.result()) == float(theirs.result()) == 0.0
    print(f"\nmetric classes: max |teachkeras - keras| = {worst:.3g}")


def test_metric_functions_match_keras(keras, rng):
    cases = [
        ("binary_accuracy", {}, binary),
        ("binary_accuracy", {"threshold": 0.8}, binary_column),
        ("categorical_accuracy", {}, categorical),
        ("sparse_categorical_accuracy", {}, sparse),
        ("sparse_categorical_accuracy", {}, sparse_column),
        ("top_k_categorical_accuracy", {"k": 2}, categorical),
        ("sparse_top_k_categorical_accuracy", {"k": 2}, sparse_column),
    ]
    for name, kwargs, make in cases:
        y_true, y_pred = make(rng)
        want = getattr(keras.metrics, name)(y_true, y_pred, **kwargs).numpy()
        got = getattr(metrics, name)(y_true, y_pred, **kwargs)
        case = _case_id(name, kwargs, make)
        assert got.shape == want.shape, case
        np.testing.assert_array_equal(got.numpy(), want, err_msg=case)


def test_reduction_metrics_match_keras(keras, rng):
    values = rng.standard_normal((N, 3)).astype("float32")
    weight_cases = [None, rng.random(N), rng.random((N, 1)), rng.random((N, 3)), np.float32(0.5)]
    for cls in ("Mean", "Sum"):
        for sample_weight in weight_cases:
            theirs = getattr(keras.metrics, cls)()
            ours = getattr(metrics, cls)()
            for _ in range(2):
                theirs.update_state(values, sample_weight=sample_weight)
                ours.update_state(values, sample_weight=sample_weight)
            np.testing.assert_allclose(
                float(ours.result()), float(theirs.result()), rtol=RTOL, atol=ATOL, err_msg=cls
            )


def test_mean_metric_wrapper_with_a_user_function(keras, rng):
    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    def keras_mean_pred(y_true, y_pred):
        return keras.ops.mean(y_pred)

    theirs = keras.metrics.MeanMetricWrapper(keras_mean_pred, name="mean_pred")
    ours = metrics.MeanMetricWrapper(mean_pred, name="mean_pred")
    for _ in range(3):
        y_true, y_pred = signed(rng)
        theirs.update_state(y_true, y_pred)
        ours.update_state(y_true, y_pred)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=RTOL)


def test_compile_metric_resolution_matches_keras(keras):
    from keras.src.trainers import compile_utils

    shapes = [((8, 1), (8, 1)), ((8,), (8, 1)), ((8,), (8, 5)), ((8, 1), (8, 5)), ((8, 5), (8, 5))]
    for t_shape, p_shape in shapes:
        for identifier in ("accuracy", "acc", "mse", "mae", "binary_crossentropy"):
            want = compile_utils.get_metric(
                identifier, keras.ops.zeros(t_shape), keras.ops.zeros(p_shape)
            )
            got = metrics.resolve_compile_metric(identifier, "mse", t_shape, p_shape)
            case = f"{identifier} for y_true {t_shape}, y_pred {p_shape}"
            assert type(got).__name__ == type(want).__name__, case
            assert got.name == want.name, case


def test_configs_match_keras(keras):
    for name, kwargs, _ in METRIC_CASES:
        want = getattr(keras.metrics, name)(**kwargs).get_config()
        got = getattr(metrics, name)(**kwargs).get_config()
        assert got == want, name
    wrapper = keras.metrics.MeanMetricWrapper(keras.losses.huber, name="h", delta=2.0)
    ours = metrics.MeanMetricWrapper(losses.huber, name="h", delta=2.0)
    assert metrics.serialize(ours) == keras.metrics.serialize(wrapper)
    again = metrics.deserialize(keras.metrics.serialize(wrapper))
    assert again._fn is losses.huber and again._fn_kwargs == {"delta": 2.0}

"""F-scores, R², IoU and correlation metrics by hand; the new metrics in compile and fit."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import metrics

Y3 = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], "int32")
P3 = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], "float32")


def value(metric):
    return np.asarray(metric.result().numpy())


def f_beta(tp, fp, fn, beta):
    p, r = tp / (tp + fp), tp / (tp + fn)
    return (1 + beta**2) * p * r / (beta**2 * p + r)


# --- F-scores ---------------------------------------------------------------------------
def test_f1_per_class_by_hand():
    m = metrics.F1Score(threshold=0.5)
    m.update_state(Y3, P3)
    # class 0: TP 1, FN 2; class 1: TP 2, FP 1; class 2: TP 1, FP 1 (answers: p > 0.5)
    want = [f_beta(1, 0, 2, 1), f_beta(2, 1, 0, 1), f_beta(1, 1, 0, 1)]
    np.testing.assert_allclose(value(m), want, rtol=1e-5)  # [0.5, 0.8, 0.667]: Keras's docs
    assert [v.name for v in m.variables] == [
        "true_positives",
        "false_positives",
        "false_negatives",
        "intermediate_weights",
    ]


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_f_beta_averages_by_hand(average):
    m = metrics.FBetaScore(average=average, beta=2.0, threshold=0.5)
    m.update_state(Y3, P3)
    per_class = np.array([f_beta(1, 0, 2, 2), f_beta(2, 1, 0, 2), f_beta(1, 1, 0, 2)])
    want = {
        "micro": f_beta(4, 2, 2, 2),  # counts pooled over the classes
        "macro": per_class.mean(),
        "weighted": np.average(per_class, weights=Y3.sum(0)),  # by each class's support
    }[average]
    assert float(value(m)) == pytest.approx(want, rel=1e-5)
    assert m.true_positives.shape == (() if average == "micro" else (3,))


def test_f_score_without_threshold_takes_the_top_score():
    m = metrics.F1Score(average="micro")
    m.update_state([[0, 1, 0], [1, 0, 0]], [[0.1, 0.5, 0.4], [0.0, 0.0, 0.0]])
    # row 1: answer class 1, right; row 2: all zeros, no answer at all (not all three)
    assert m.true_positives.numpy() == 1 and m.false_positives.numpy() == 0
    assert m.false_negatives.numpy() == 1


def test_f_score_sample_weights_and_reset():
    m = metrics.F1Score(average="macro", threshold=0.5)
    m.update_state(Y3, P3, sample_weight=[1.0, 0.0, 1.0])  # the second row does not count
    n = metrics.F1Score(average="macro", threshold=0.5)
    n.update_state(Y3[[0, 2]], P3[[0, 2]])
    assert float(value(m)) == pytest.approx(float(value(n)), rel=1e-6)
    m.reset_state()
    assert all(np.all(v.numpy() == 0) for v in m.variables)


def test_f_score_argument_checks():
    with pytest.raises(ValueError, match="Invalid `average`"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match=r"write 2\.0, not 2"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match=r"F1Score expects 2D inputs .* y_pred.shape=\(3,\)"):
        metrics.F1Score().update_state([1, 0, 1], [0.5, 0.5, 0.5])
    assert "beta" not in metrics.F1Score().get_config()
    assert metrics.FBetaScore(beta=0.5).get_config()["beta"] == 0.5


# --- R² ---------------------------------------------------------------------------------
def test_r2_by_hand():
    y, p = np.array([[1.0], [4.0], [3.0]]), np.array([[2.0], [4.0], [4.0]])
    m = metrics.R2Score()
    m.update_state(y, p)
    ss_res, ss_tot = np.sum((y - p) ** 2), np.sum((y - y.mean()) ** 2)
    assert float(value(m)) == pytest.approx(1 - ss_res / ss_tot, rel=1e-6)  # 0.5714: Keras docs
    assert [v.name for v in m.variables] == [
        "num_samples",
        "squared_sum",
        "sum",
        "residual",
        "count",
    ]


def test_r2_over_batches_equals_r2_of_all():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(12, 2)).astype("float32")
    p = (y + rng.normal(size=(12, 2)) * 0.5).astype("float32")
    m, whole = metrics.R2Score(class_aggregation=None), metrics.R2Score(class_aggregation=None)
    m.update_state(y[:5], p[:5])
    m.update_state(y[5:], p[5:])
    whole.update_state(y, p)
    np.testing.assert_allclose(value(m), value(whole), rtol=1e-5)
    want = 1 - ((y - p) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)
    np.testing.assert_allclose(value(m), want, rtol=1e-4)


def test_r2_aggregations_and_adjusted():
    y = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [4.0, 40.0]], "float32")
    p = np.array([[1.5, 12.0], [2.0, 25.0], [2.5, 21.0], [4.5, 38.0]], "float32")
    per_column = metrics.R2Score(class_aggregation=None)
    per_column.update_state(y, p)
    r2 = value(per_column)
    ss_tot = ((y - y.mean(0)) ** 2).sum(0)
    weighted = metrics.R2Score(class_aggregation="variance_weighted_average")
    weighted.update_state(y, p)
    assert float(value(weighted)) == pytest.approx(np.average(r2, weights=ss_tot), rel=1e-5)
    adjusted = metrics.R2Score(num_regressors=2)
    adjusted.update_state(y, p)
    n = y.size  # Keras counts values, not rows
    assert float(value(adjusted)) == pytest.approx(
        1 - (1 - r2.mean()) * (n - 1) / (n - 3), rel=1e-5
    )
    too_many = metrics.R2Score(num_regressors=20)
    too_many.update_state(y, p)
    with pytest.warns(UserWarning, match="More independent predictors than datapoints"):
        assert float(value(too_many)) == pytest.approx(r2.mean(), rel=1e-6)


def test_r2_argument_and_shape_checks():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match=r"reshape both to \(batch_size, 1\)"):
        metrics.R2Score().update_state(np.ones((2, 3, 1)), np.ones((2, 3, 1)))


# --- IoU --------------------------------------------------------------------------------
def test_iou_by_hand():
    m = metrics.IoU(num_classes=2, target_class_ids=[0])
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])  # class 0: 1 right, 1 missed, 1 false alarm
    assert float(value(m)) == pytest.approx(1 / 3)
    np.testing.assert_array_equal(m.total_cm.numpy(), [[1, 1], [1, 1]])
    assert m.total_cm.dtype == np.int32 and m.variables[0].name == "total_confusion_matrix"


def test_mean_iou_with_float_weights():
    m = metrics.MeanIoU(num_classes=2, dtype="float32")
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    # cm = [[0.3, 0.3], [0.3, 0.1]]: IoU₀ = 0.3/0.9, IoU₁ = 0.1/0.7
    assert float(value(m)) == pytest.approx((0.3 / 0.9 + 0.1 / 0.7) / 2, rel=1e-5)


def test_int_matrix_truncates_float_weights_with_a_warning():
    m = metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="0.5 becomes 0"):
        m.update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 2.0]))
    np.testing.assert_array_equal(m.total_cm.numpy(), [[0, 0], [0, 2]])


def test_absent_classes_and_ignored_and_out_of_range_labels():
    m = metrics.MeanIoU(num_classes=3, ignore_class=2)
    m.update_state([0, 0, 2, 5], [0, 0, 1, 1])  # 2 is ignored, 5 is out of range
    np.testing.assert_array_equal(m.total_cm.numpy().sum(), 2)
    assert float(value(m)) == pytest.approx(1.0, rel=1e-6)  # only class 0 is present
    m.reset_state()
    assert float(value(m)) == 0.0


def test_binary_and_one_hot_iou():
    binary = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    binary.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])  # answers 0, 0, 1, 1
    assert float(value(binary)) == pytest.approx((1 / 3 + 1 / 3) / 2)
    y = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    p = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    one_hot = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    one_hot.update_state(y, p)  # class 0: 0 of 3; class 2: 1 of 3
    assert float(value(one_hot)) == pytest.approx((0 + 1 / 3) / 2, rel=1e-6)
    mean = metrics.OneHotMeanIoU(num_classes=3)
    mean.update_state(y, p)
    assert float(value(mean)) == pytest.approx((0 + 0 + 1 / 3) / 3, rel=1e-6)


def test_iou_configs():
    assert metrics.IoU(3, [1, 2]).get_config()["target_class_ids"] == [1, 2]
    with pytest.raises(ValueError, match=r"Target class id 3 is out of range, which is \[0, 3\)"):
        metrics.IoU(3, [3])
    for m in (
        metrics.BinaryIoU(),
        metrics.MeanIoU(4),
        metrics.OneHotIoU(4, [0]),
        metrics.OneHotMeanIoU(4),
    ):
        config = m.get_config()
        assert type(m).from_config(config).get_config() == config


# --- correlations -----------------------------------------------------------------------
def test_pearson_by_hand():
    y = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 1.0, 5.0]], "float32")
    p = np.array([[3.0, 5.0, 7.0, 9.0], [1.0, 2.0, 0.0, 3.0]], "float32")
    want = [np.corrcoef(y[i], p[i])[0, 1] for i in range(2)]
    np.testing.assert_allclose(metrics.pearson_correlation(y, p).numpy(), want, rtol=1e-5)
    m = metrics.PearsonCorrelation()
    m.update_state(y, p)
    assert float(value(m)) == pytest.approx(np.mean(want), rel=1e-5)


def test_concordance_is_one_only_for_equal_predictions():
    y = np.array([[1.0, 2.0, 3.0, 4.0]], "float32")
    assert float(metrics.concordance_correlation(y, y)[0]) == pytest.approx(1.0, rel=1e-5)
    shifted = float(metrics.concordance_correlation(y, y + 1)[0])
    assert shifted < 0.9 and float(metrics.pearson_correlation(y, y + 1)[0]) == pytest.approx(1)
    # Keras's centring of y_true on mean(y_pred): 2·mean((y − ȳp)(p − ȳp)) / (var + var + Δ²)
    p = y + 1
    want = 2 * np.mean((y - p.mean()) * (p - p.mean())) / (y.var() + p.var() + 1.0)
    assert shifted == pytest.approx(want, rel=1e-5)


def test_correlation_configs():
    m = metrics.ConcordanceCorrelation(axis=0, name="ccc")
    assert m.get_config() == {"name": "ccc", "dtype": "float32", "axis": 0}
    assert metrics.ConcordanceCorrelation.from_config(m.get_config()).axis == 0


# --- names, compile and fit -------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls",
    [
        ("auc", "AUC"),
        ("AUC", "AUC"),
        ("precision", "Precision"),
        ("recall", "Recall"),
        ("f1_score", "F1Score"),
        ("f_beta_score", "FBetaScore"),
        ("r2_score", "R2Score"),
        ("true_positives", "TruePositives"),
        ("false_negatives", "FalseNegatives"),
        ("pearson_correlation", "PearsonCorrelation"),
        ("concordance_correlation", "ConcordanceCorrelation"),
    ],
)
def test_names_resolve_as_in_keras(name, cls):
    assert type(metrics.get(name)) is getattr(metrics, cls)
    assert type(metrics.resolve_compile_metric(name)).__name__ == cls


def test_compile_and_fit_with_the_new_metrics():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer=keras.optimizers.Lion(0.01),
        loss=keras.losses.BinaryFocalCrossentropy(),
        metrics=[
            "auc",
            "precision",
            "recall",
            keras.metrics.F1Score(),
            keras.metrics.Precision(thresholds=[0.3, 0.6]),
        ],
    )
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "auc", "precision", "recall", "f1_score", "precision_1"}
    assert isinstance(history.history["auc"][0], float)
    assert history.history["precision_1"][0].shape == (2,)  # one value per threshold, as Keras
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["f1_score"].shape == (1,)
    model.fit(x, y, epochs=1, batch_size=8, verbose=1)  # the progress bar shows the means

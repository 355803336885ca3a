"""Confusion metrics and AUC: counts by hand, both counting methods, edge cases, state."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import metrics
from teachkeras.metrics.confusion_counts import (
    NEG_INF,
    confusion_counts,
    evenly_spaced,
    filter_top_k,
    parse_thresholds,
)

Y = np.array([0, 0, 1, 1], "float32")
P = np.array([0.1, 0.5, 0.3, 0.9], "float32")


def value(metric):
    return np.asarray(metric.result().numpy())


# --- the counting engine ----------------------------------------------------------------
def test_counts_by_hand_with_both_methods():
    # t = 0: all four above; t = 0.5: only 0.9 (0.5 is not above 0.5); t = 1: none.
    expected = {"tp": [2, 1, 0], "fp": [2, 0, 0], "tn": [0, 2, 2], "fn": [0, 1, 2]}
    for evenly in (False, True):
        counts = confusion_counts(Y, P, [0.0, 0.5, 1.0], thresholds_evenly_spaced=evenly)
        for key, want in expected.items():
            np.testing.assert_array_equal(counts[key], want, err_msg=f"{key} evenly={evenly}")


def test_bucket_method_matches_comparison_on_random_scores():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, (50, 3)), rng.uniform(0, 1, (50, 3)).astype("float32")
    w = rng.uniform(0, 2, 50).astype("float32")
    thresholds = [i / 10 for i in range(11)]
    for multi_label in (False, True):
        a = confusion_counts(y, p, thresholds, sample_weight=w, multi_label=multi_label)
        b = confusion_counts(
            y,
            p,
            thresholds,
            sample_weight=w,
            multi_label=multi_label,
            thresholds_evenly_spaced=True,
        )
        for key in a:
            # (TN = Σ weights − FP by buckets: float32 rounding of totals near 100)
            np.testing.assert_allclose(a[key], b[key], rtol=1e-5, atol=1e-4, err_msg=key)
        assert a["tp"].shape == ((11, 3) if multi_label else (11,))


def test_counts_add_up_to_the_weights():
    w = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    counts = confusion_counts(Y, P, [0.2, 0.7], sample_weight=w)
    total = counts["tp"] + counts["fp"] + counts["tn"] + counts["fn"]
    np.testing.assert_array_equal(total, [10.0, 10.0])
    np.testing.assert_array_equal(counts["tp"], [3 + 4, 4])  # positives: weights 3 (0.3), 4 (0.9)


def test_threshold_helpers():
    assert parse_thresholds(None, 0.5) == [0.5]
    assert parse_thresholds(0.3, 0.5) == [0.3]
    with pytest.raises(ValueError, match=r"must be in \[0, 1\]. Received: \[1.5\]"):
        parse_thresholds([0.2, 1.5], 0.5)
    assert evenly_spaced([0.0, 0.5, 1.0]) and not evenly_spaced([0.0, 0.4, 1.0])
    assert not evenly_spaced([0.0, 1.0])  # fewer than 3 is never "evenly spaced"
    kept = filter_top_k(np.array([[0.1, 0.7, 0.3]], "float32"), 2)
    np.testing.assert_array_equal(kept, np.array([[NEG_INF, 0.7, 0.3]], "float32"))


def test_sample_weight_that_does_not_fit_is_explained():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3, 1\) does not broadcast"):
        confusion_counts(np.ones((4, 2)), np.ones((4, 2)), [0.5], sample_weight=np.ones(3))


# --- the four counts --------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, want",
    [("TruePositives", 1), ("FalsePositives", 0), ("TrueNegatives", 2), ("FalseNegatives", 1)],
)
def test_count_metrics(name, want):
    m = getattr(metrics, name)()
    m.update_state(Y, P)
    assert value(m) == want and m.result().shape == ()
    assert [v.name for v in m.variables] == ["accumulator"]
    m.update_state(Y, P, sample_weight=[2.0, 2.0, 2.0, 2.0])
    assert value(m) == 3 * want
    m.reset_state()
    assert value(m) == 0


def test_count_with_a_list_of_thresholds():
    m = metrics.TruePositives(thresholds=[0.0, 0.25, 0.5, 0.95])
    m.update_state(Y, P)
    np.testing.assert_array_equal(value(m), [2, 2, 1, 0])
    assert m.get_config()["thresholds"] == [0.0, 0.25, 0.5, 0.95]


# --- precision and recall ---------------------------------------------------------------
def test_precision_and_recall_by_hand():
    y, p = [0, 1, 1, 1], [1, 0, 1, 1]
    precision, recall = metrics.Precision(), metrics.Recall()
    precision.update_state(y, p)
    recall.update_state(y, p)
    assert float(value(precision)) == pytest.approx(2 / 3)
    assert float(value(recall)) == pytest.approx(2 / 3)
    precision.update_state(y, p, sample_weight=[0, 0, 1, 0])  # adds one TP
    assert float(value(precision)) == pytest.approx(3 / 4)
    assert [v.name for v in precision.variables] == ["true_positives", "false_positives"]
    assert [v.name for v in recall.variables] == ["true_positives", "false_negatives"]
    assert precision.false_positives is precision.variables[1]


def test_no_positives_gives_zero_not_nan():
    precision, recall = metrics.Precision(), metrics.Recall()
    precision.update_state([0, 0, 1], [0.1, 0.2, 0.3])  # nothing called positive
    recall.update_state([0, 0, 0], [0.9, 0.2, 0.3])  # nothing to find
    assert value(precision) == 0.0 and value(recall) == 0.0


def test_precision_per_threshold():
    m = metrics.Precision(thresholds=[0.0, 0.4, 0.6])
    m.update_state(Y, P)
    np.testing.assert_allclose(value(m), [2 / 4, 1 / 2, 1 / 1])  # above 0.4: 0.5 (no), 0.9


def test_top_k_and_class_id():
    y = np.array([[0, 0, 1, 1], [0, 1, 0, 0]], "float32")
    p = np.array([[0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.7, 0.6]], "float32")
    top_2 = metrics.Precision(top_k=2)  # row 1: 0.3, 0.4 right; row 2: 0.9 wrong, 0.8 right
    top_2.update_state(y, p)
    assert float(value(top_2)) == pytest.approx(3 / 4)
    recall_1 = metrics.Recall(class_id=1)  # class 1 is positive only in row 2, scored 0.8
    recall_1.update_state(y, p)
    assert float(value(recall_1)) == 1.0
    with pytest.raises(ValueError, match="class_id is provided, y_pred must be a 2D array"):
        metrics.Recall(class_id=1).update_state(Y, P)


def test_precision_config_round_trip():
    m = metrics.Precision(thresholds=[0.3, 0.6], top_k=3, class_id=2, name="p")
    config = m.get_config()
    assert config == {
        "name": "p",
        "dtype": "float32",
        "thresholds": [0.3, 0.6],
        "top_k": 3,
        "class_id": 2,
    }
    assert metrics.Precision.from_config(config).get_config() == config


# --- one rate at another ----------------------------------------------------------------
FIVE = ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])


@pytest.mark.parametrize(
    "name, arg, data, weights, want",
    [  # the examples of Keras's docstrings, each checked by hand
        ("SensitivityAtSpecificity", 0.5, FIVE, None, 0.5),
        ("SensitivityAtSpecificity", 0.5, FIVE, [1, 1, 2, 2, 1], 1 / 3),
        ("SpecificityAtSensitivity", 0.5, FIVE, None, 2 / 3),
        ("SpecificityAtSensitivity", 0.5, FIVE, [1, 1, 2, 2, 2], 0.5),
        ("PrecisionAtRecall", 0.5, FIVE, None, 0.5),
        ("RecallAtPrecision", 0.8, (Y, P), None, 0.5),  # 0.9 alone: precision 1, recall ½
    ],
)
def test_rate_at_rate_by_hand(name, arg, data, weights, want):
    m = getattr(metrics, name)(arg)
    m.update_state(*data, sample_weight=weights)
    assert float(value(m)) == pytest.approx(want, rel=1e-6)
    assert [v.name for v in m.variables] == [
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
    ]
    assert m.variables[0].shape == (200,)


def test_rate_at_rate_with_nothing_feasible_is_zero():
    m = metrics.RecallAtPrecision(1.0)  # no threshold reaches precision 1 here
    m.update_state([1, 0], [0.2, 0.9])
    assert value(m) == 0.0


def test_rate_at_rate_argument_checks_and_config():
    with pytest.raises(ValueError, match=r"`recall` must be in the range \[0, 1\]"):
        metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)
    m = metrics.SpecificityAtSensitivity(0.4, num_thresholds=11, class_id=1)
    assert m.get_config() == {
        "name": m.name,
        "dtype": "float32",
        "class_id": 1,
        "num_thresholds": 11,
        "sensitivity": 0.4,
    }
    assert metrics.SpecificityAtSensitivity(0.4, num_thresholds=1).thresholds == [0.5]


# --- AUC --------------------------------------------------------------------------------
def test_auc_by_hand():
    m = metrics.AUC(num_thresholds=3)  # thresholds -ε, 0.5, 1 + ε
    m.update_state(Y, P)
    # ROC points (FPR, TPR): (1, 1), (0, 0.5), (0, 0); trapezoids: 1·(1 + 0.5)/2 + 0 = 0.75
    assert float(value(m)) == pytest.approx(0.75)
    np.testing.assert_array_equal(m.true_positives.numpy(), [2, 1, 0])
    np.testing.assert_array_equal(m.false_positives.numpy(), [2, 0, 0])


@pytest.mark.parametrize("method, want", [("minoring", 0.5), ("majoring", 1.0)])
def test_auc_riemann_sums(method, want):
    m = metrics.AUC(num_thresholds=3, summation_method=method)
    m.update_state(Y, P)
    assert float(value(m)) == pytest.approx(want)


def test_auc_of_perfect_reversed_and_random_rankings():
    y = np.array([0, 0, 0, 1, 1, 1])
    perfect, reversed_ = metrics.AUC(), metrics.AUC()
    perfect.update_state(y, [0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    reversed_.update_state(y, [0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    assert float(value(perfect)) == pytest.approx(1.0, abs=1e-6)
    assert float(value(reversed_)) == pytest.approx(0.0, abs=1e-6)
    # ROC AUC = P(a random positive scores above a random negative): the Mann-Whitney U / n₊n₋
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 400), rng.uniform(0, 1, 400)
    pairs = (p[y == 1][:, None] > p[y == 0][None, :]).mean()
    m = metrics.AUC(num_thresholds=1000)
    m.update_state(y, p)
    assert float(value(m)) == pytest.approx(pairs, abs=2e-3)


@pytest.mark.parametrize(
    "method, want", [("interpolation", 1.0), ("majoring", 1.0), ("minoring", 0.5)]
)
def test_auc_pr_of_a_perfect_ranking(method, want):
    # Above the top score nothing is predicted positive, and precision 0/0 counts as 0, so
    # the curve ends at (recall 0, precision 0): the lower sum "minoring" loses half the area.
    m = metrics.AUC(curve="PR", summation_method=method)
    m.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert float(value(m)) == pytest.approx(want, abs=1e-6)


def test_auc_multi_label_builds_on_the_first_batch_and_averages():
    y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    p = np.array([[0.1, 0.9], [0.8, 0.3], [0.9, 0.7], [0.2, 0.4]])  # label 0 perfect, 1 not
    m = metrics.AUC(multi_label=True)
    assert m.variables == [] and float(value(m)) == 0.0
    m.update_state(y, p)
    assert m.true_positives.shape == (200, 2)
    per_label = []
    for j in range(2):
        single = metrics.AUC()
        single.update_state(y[:, j], p[:, j])
        per_label.append(float(value(single)))
    assert float(value(m)) == pytest.approx(np.mean(per_label), rel=1e-6)
    weighted = metrics.AUC(multi_label=True, num_labels=2, label_weights=[3.0, 1.0])
    weighted.update_state(y, p)
    assert float(value(weighted)) == pytest.approx(np.average(per_label, weights=[3, 1]))
    m.reset_state()
    assert np.all(m.true_positives.numpy() == 0)


def test_auc_from_logits_and_own_thresholds():
    z = np.log(P / (1 - P))  # sigmoid(z) = P
    a, b = metrics.AUC(from_logits=True), metrics.AUC()
    a.update_state(Y, z)
    b.update_state(Y, P)
    assert float(value(a)) == pytest.approx(float(value(b)))
    own = metrics.AUC(thresholds=[0.6, 0.2])  # sorted, with the two ends added
    assert own.num_thresholds == 4 and own.thresholds[1:3] == [0.2, 0.6]
    assert own.get_config()["thresholds"] == [0.2, 0.6]


def test_auc_argument_checks():
    with pytest.raises(ValueError, match='Invalid AUC curve value: "ROCK"'):
        metrics.AUC(curve="ROCK")
    with pytest.raises(ValueError, match="Invalid AUC summation method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label`"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="must have rank 2"):
        metrics.AUC(multi_label=True).update_state(Y, P)
    assert metrics.AUC(curve="pr", summation_method="Majoring").get_config()["curve"] == "PR"

"""The confusion, F-score, R², IoU and correlation metrics against real Keras 3.

Each case gets three batches in both libraries (no weight, then two kinds of sample
weight); after each batch the results agree to float32 precision, and at the end the
state variables agree in name, shape, dtype and value. Configs interchange both ways, and
the names `compile(metrics=[...])` accepts resolve to the same classes.
"""

from __future__ import annotations

import numpy as np

from teachkeras import metrics

RTOL, ATOL = 1e-5, 1e-6
N, C = 8, 4


# --- (y_true, y_pred) makers --------------------------------------------------------------
def scores(rng):  # 0/1 labels and scores in [0, 1]
    return rng.integers(0, 2, (N, C)).astype("float32"), rng.uniform(0, 1, (N, C)).astype("float32")


def grid_scores(rng):  # scores on the tenths: exactly on the thresholds, the edge cases
    return rng.integers(0, 2, (N, C)).astype("float32"), (rng.integers(0, 11, (N, C)) / 10).astype(
        "float32"
    )


def column(rng):
    return rng.integers(0, 2, (N, 1)).astype("float32"), rng.uniform(0, 1, (N, 1)).astype("float32")


def flat(rng):
    return rng.integers(0, 2, N).astype("float32"), rng.uniform(0, 1, N).astype("float32")


def logits(rng):
    return rng.integers(0, 2, (N, C)).astype("float32"), (rng.standard_normal((N, C)) * 2).astype(
        "float32"
    )


def one_hot(rng):
    p = rng.uniform(0.05, 1, (N, C))
    return np.eye(C, dtype="float32")[rng.integers(0, C, N)], (p / p.sum(-1, keepdims=True)).astype(
        "float32"
    )


def regression(rng):
    y = rng.standard_normal((N, 3)).astype("float32")
    return y, (y + 0.5 * rng.standard_normal((N, 3))).astype("float32")


def class_ids(rng):  # (batch, pixels) of class ids: a tiny segmentation
    return rng.integers(0, C, (N, 5)), rng.integers(0, C, (N, 5))


def mask(rng):
    return rng.integers(0, 2, (N, 5)).astype("float32"), rng.uniform(0, 1, (N, 5)).astype("float32")


# (class name, constructor kwargs, inputs)
CASES = [
    ("TruePositives", {}, scores),
    ("FalsePositives", {"thresholds": [0.1, 0.5, 0.9]}, scores),
    ("TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]}, grid_scores),
    ("FalseNegatives", {"thresholds": 0.3}, column),
    ("Precision", {}, scores),
    ("Precision", {"thresholds": [0.2, 0.5, 0.8]}, scores),
    ("Precision", {"top_k": 2}, one_hot),
    ("Precision", {"class_id": 1}, scores),
    ("Precision", {"top_k": 2, "class_id": 1, "thresholds": [0.1, 0.3]}, scores),
    ("Recall", {}, flat),
    ("Recall", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, grid_scores),
    ("Recall", {"top_k": 1}, one_hot),
    ("Recall", {"class_id": 2}, scores),
    ("AUC", {}, scores),
    ("AUC", {}, grid_scores),
    ("AUC", {"curve": "PR"}, scores),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, scores),
    ("AUC", {"summation_method": "majoring", "num_thresholds": 7}, grid_scores),
    ("AUC", {"curve": "PRGAIN"}, scores),
    ("AUC", {"thresholds": [0.1, 0.4, 0.7]}, scores),
    ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, grid_scores),
    ("AUC", {"multi_label": True}, scores),
    ("AUC", {"multi_label": True, "num_labels": C, "curve": "PR"}, scores),
    ("AUC", {"multi_label": True, "label_weights": [1.0, 2.0, 0.0, 1.0]}, scores),
    ("AUC", {"label_weights": [1.0, 2.0, 0.0, 1.0]}, scores),
    ("AUC", {"from_logits": True}, logits),
    ("PrecisionAtRecall", {"recall": 0.5}, scores),
    ("RecallAtPrecision", {"precision": 0.6, "num_thresholds": 11}, scores),
    ("SensitivityAtSpecificity", {"specificity": 0.7}, scores),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "class_id": 1}, scores),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "num_thresholds": 1}, scores),
    ("F1Score", {}, one_hot),
    ("F1Score", {"average": "micro", "threshold": 0.3}, scores),
    ("F1Score", {"average": "macro"}, one_hot),
    ("F1Score", {"average": "weighted", "threshold": 0.5}, scores),
    ("FBetaScore", {"beta": 2.0, "average": "weighted"}, one_hot),
    ("FBetaScore", {"beta": 0.5, "threshold": 0.4}, scores),
    ("R2Score", {}, regression),
    ("R2Score", {"class_aggregation": None}, regression),
    (
        "R2Score",
        {"class_aggregation": "variance_weighted_average", "num_regressors": 2},
        regression,
    ),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, class_ids),
    ("MeanIoU", {"num_classes": C}, class_ids),
    ("MeanIoU", {"num_classes": C, "ignore_class": 1}, class_ids),
    ("MeanIoU", {"num_classes": C, "dtype": "float32"}, class_ids),
    ("BinaryIoU", {}, mask),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, mask),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3]}, one_hot),
    ("OneHotMeanIoU", {"num_classes": C}, one_hot),
    ("PearsonCorrelation", {}, regression),
    ("ConcordanceCorrelation", {}, regression),
]
INT_STATE = ("IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU")


def _case_id(name, kwargs, make) -> str:
    return f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {make.__name__}"


def _weights(rng, step: int, name: str, kwargs: dict, y_true):
    """None, then per-sample weights (integers for an int32 confusion matrix)."""
    if step == 0:
        return None
    if name in INT_STATE and kwargs.get("dtype") != "float32":
        weights = rng.integers(0, 3, len(y_true)).astype("int32")
    else:
        weights = rng.uniform(0, 2, len(y_true)).astype("float32")
    if name in ("IoU", "MeanIoU", "BinaryIoU"):  # one weight per pixel (Keras needs them all)
        weights = np.repeat(weights[:, None], y_true.shape[1], axis=1)
        if step == 1:
            weights = rng.permuted(weights, axis=1)
    return weights


def _numpy(keras, x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_metrics_accumulate_like_keras(keras, rng):
    worst: dict[str, float] = {}
    for name, kwargs, make in CASES:
        theirs, ours = getattr(keras.metrics, name)(**kwargs), getattr(metrics, name)(**kwargs)
        case = _case_id(name, kwargs, make)
        for step in range(3):
            y_true, y_pred = make(rng)
            sample_weight = _weights(rng, step, name, kwargs, y_true)
            theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
            ours.update_state(y_true, y_pred, sample_weight=sample_weight)
            want, got = _numpy(keras, theirs.result()), ours.result().numpy()
            assert got.shape == want.shape and got.dtype == want.dtype, f"{case} step {step}"
            np.testing.assert_allclose(
                got, want, rtol=RTOL, atol=ATOL, err_msg=f"{case} step {step}"
            )
            difference = float(np.max(np.abs(got.astype(float) - want.astype(float)), initial=0))
            worst[name] = max(worst.get(name, 0.0), difference)
        assert [(v.name, v.shape, str(v.dtype)) for v in ours.variables] == [
            (v.name, tuple(v.shape), str(v.dtype)) for v in theirs.variables
        ], case
        for their_var, our_var in zip(theirs.variables, ours.variables, strict=True):
            want = _numpy(keras, their_var.value)
            np.testing.assert_allclose(our_var.numpy(), want, rtol=RTOL, atol=1e-4, err_msg=case)
        theirs.reset_state()
        ours.reset_state()
        for their_var, our_var in zip(theirs.variables, ours.variables, strict=True):
            assert not np.any(our_var.numpy()) and not np.any(_numpy(keras, their_var.value))
    print("\n" + "\n".join(f"{k}: max |teachkeras - keras| = {v:.3g}" for k, v in worst.items()))


def test_configs_interchange_both_ways(keras):
    for name, kwargs, _ in CASES:
        theirs, ours = getattr(keras.metrics, name)(**kwargs), getattr(metrics, name)(**kwargs)
        want, got = theirs.get_config(), ours.get_config()
        if want.get("label_weights") is not None:  # Keras keeps a tensor there
            want = {**want, "label_weights": _numpy(keras, want["label_weights"]).tolist()}
        assert got == want, f"{name}({kwargs})"
        from_keras = metrics.deserialize(keras.metrics.serialize(theirs))
        assert type(from_keras) is type(ours) and from_keras.get_config() == got
        from_us = keras.metrics.deserialize(metrics.serialize(ours))
        assert type(from_us) is type(theirs)
        again = from_us.get_config()
        if again.get("label_weights") is not None:
            again = {**again, "label_weights": _numpy(keras, again["label_weights"]).tolist()}
        assert again == want


def test_compile_names_resolve_like_keras(keras):
    from keras.src.trainers import compile_utils

    y = keras.ops.zeros((8, 1))
    for identifier in (
        "auc",
        "AUC",
        "precision",
        "recall",
        "f1_score",
        "f_beta_score",
        "r2_score",
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
        "pearson_correlation",
        "concordance_correlation",
    ):
        want = compile_utils.get_metric(identifier, y, y)
        got = metrics.resolve_compile_metric(identifier, "mse", (8, 1), (8, 1))
        assert type(got).__name__ == type(want).__name__, identifier
        assert got.name == want.name == identifier
        assert got.get_config() == {**want.get_config(), "name": identifier}


def test_metric_functions_match_keras(keras, rng):
    for name in ("pearson_correlation", "concordance_correlation"):
        y_true, y_pred = regression(rng)
        for axis in (-1, 0):
            want = _numpy(keras, getattr(keras.metrics, name)(y_true, y_pred, axis=axis))
            got = getattr(metrics, name)(y_true, y_pred, axis=axis).numpy()
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=f"{name} {axis}")

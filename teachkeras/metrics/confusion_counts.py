"""Counting TP, FP, TN and FN at many thresholds at once: the engine of the confusion metrics.

A classifier that says "positive" when its score p is above a threshold t, checked
against 0/1 labels y (each sample weighted by w), fills one confusion matrix per t:

                     p > t                  p ≤ t
    y = 1     TP(t) = Σ w·[y=1]·[p>t]   FN(t) = Σ w·[y=1]·[p≤t]
    y = 0     FP(t) = Σ w·[y=0]·[p>t]   TN(t) = Σ w·[y=0]·[p≤t]

Precision, Recall, AUC and the "X at Y" metrics keep some of these four counts, one
per threshold, and `confusion_counts` gives them what one batch adds. There are two
ways to count, and Keras 3 picks one by the thresholds (so do we, to give its numbers):

- any thresholds: compare every score with every threshold, a (T, M) table of
  booleans, and sum each column of it: T·M work;
- evenly spaced thresholds tᵢ = i/(T-1) (AUC's 200): drop each score into its bucket
  ⌈p·(T-1)⌉ - 1 (the last threshold below it), histogram the buckets, and read
  TP(tᵢ) = Σ_{j≥i} bucket_j off a reversed cumulative sum: T + M work.
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from ..backend.tensor import as_array
from ..losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # the score of a class outside the top k: below every threshold


def parse_thresholds(thresholds, default: float) -> list[float]:
    """`thresholds` (a float, a list, or None for `default`) as a list of floats in [0, 1]."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, list | tuple | np.ndarray) else [thresholds]
    invalid = [t for t in values if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return values


def evenly_spaced(thresholds) -> bool:
    """True for at least 3 thresholds of the form i/(T-1), i = 0 … T-1 (within ε)."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def divide_no_nan(a, b) -> np.ndarray:
    """a / b, with 0 where b is 0 (an empty count gives a rate of 0, not NaN)."""
    a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
    return np.divide(a, b, out=np.zeros(a.shape, np.result_type(a, b)), where=b != 0)


def filter_top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Keep the k highest scores of each row (last axis); the others become NEG_INF."""
    top = np.argsort(-scores, axis=-1, kind="stable")[..., :k]  # (..., k)
    in_top_k = np.zeros(scores.shape, bool)
    np.put_along_axis(in_top_k, top, True, axis=-1)
    return np.where(in_top_k, scores, np.asarray(NEG_INF, scores.dtype))


def confusion_counts(
    y_true,
    y_pred,
    thresholds,
    sample_weight=None,
    top_k: int | None = None,
    class_id: int | None = None,
    multi_label: bool = False,
    label_weights=None,
    thresholds_evenly_spaced: bool = False,
    dtype: str = "float32",
) -> dict[str, np.ndarray]:
    """What one batch adds to TP, FP, TN and FN, at each threshold.

    Args:
        y_true: labels, any shape; nonzero means positive.
        y_pred: scores of the same shape (or one axis of length 1 more or less).
        thresholds: T floats, sorted for the bucket method.
        sample_weight: one weight per sample `(batch,)`, or per value (`y_pred`'s shape).
        top_k: only the k highest scores of each row may count as positive.
        class_id: count only this column (class) of `y_pred`.
        multi_label: keep one count per label (last axis) instead of pooling all values.
        label_weights: one weight per label, when the labels are pooled.
        thresholds_evenly_spaced: use the bucket method (see the module docstring).

    Returns:
        `{"tp": ..., "fp": ..., "tn": ..., "fn": ...}`, each of shape (T,), or
        (T, labels) with `multi_label`.
    """
    with_epsilon = thresholds_evenly_spaced and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    thresholds = np.asarray(thresholds, dtype)  # (T,)
    y_true = np.asarray(as_array(y_true)).astype(dtype)
    y_pred = np.asarray(as_array(y_pred)).astype(dtype)
    y_pred, y_true = (as_array(t) for t in squeeze_or_expand_to_same_rank(y_pred, y_true))
    if sample_weight is not None:  # (batch,) becomes (batch, 1), to broadcast over the values
        sample_weight = np.asarray(as_array(sample_weight), dtype)[..., None]
        sample_weight = as_array(
            squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)[1]
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {y_pred.shape}"
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]  # (batch, 1)

    weights = np.ones(y_pred.shape, dtype)
    if sample_weight is not None:
        weights = weights * _broadcast("sample_weight", sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        label_weights = np.asarray(label_weights, dtype)[None]  # (1, labels)
        weights = weights * _broadcast("label_weights", label_weights, y_pred.shape)
    if not multi_label:  # pool every value: one long list of (label, score, weight)
        y_true, y_pred, weights = y_true.ravel(), y_pred.ravel(), weights.ravel()  # (M,)
    positive = y_true != 0  # (M,) or (batch, labels)

    if thresholds_evenly_spaced:
        return _count_by_buckets(positive, y_pred, weights, len(thresholds), with_epsilon)
    return _count_by_comparison(positive, y_pred, weights, thresholds)


def _count_by_comparison(positive, y_pred, weights, thresholds) -> dict[str, np.ndarray]:
    """Any thresholds: a (T, M) table `p > t`, each count a weighted column sum."""
    t = thresholds.reshape(-1, *([1] * y_pred.ndim))  # (T, 1) or (T, 1, 1)
    above = y_pred[None] > t  # (T, M) or (T, batch, labels)
    zero = np.zeros((), weights.dtype)
    return {
        "tp": np.sum(np.where(positive & above, weights, zero), axis=1),
        "fp": np.sum(np.where(~positive & above, weights, zero), axis=1),
        "tn": np.sum(np.where(~positive & ~above, weights, zero), axis=1),
        "fn": np.sum(np.where(positive & ~above, weights, zero), axis=1),
    }


def _count_by_buckets(positive, y_pred, weights, T: int, with_epsilon: bool) -> dict:
    """Thresholds i/(T-1): histogram of buckets, then a reversed cumulative sum."""
    dtype = weights.dtype
    true_w = np.where(positive, weights, 0).astype(dtype)  # weight of each positive
    false_w = np.where(positive, 0, weights).astype(dtype)  # weight of each negative
    p = np.clip(y_pred, 0.0, 1.0)
    # Bucket j holds the scores in (t_j, t_j+1]: above thresholds 0 … j, not above j+1.
    bucket = np.ceil(p * np.asarray(T - 1, dtype)) - 1
    if with_epsilon:  # AUC's first threshold is -ε: a score of 0 is above it, bucket 0
        bucket = np.maximum(bucket, 0)
    bucket = bucket.astype(np.int64)
    if positive.ndim == 2:  # multi_label: label l's buckets are numbered l·T … l·T + T-1
        labels = bucket.shape[1]
        bucket = bucket + T * np.arange(labels)  # (batch, labels)
    kept = bucket >= 0  # a score of exactly 0 is above no threshold (t₀ = 0)
    size = T * (bucket.shape[1] if bucket.ndim == 2 else 1)

    def above(w: np.ndarray) -> np.ndarray:
        hist = np.bincount(bucket[kept], weights=w[kept], minlength=size).astype(dtype)
        hist = hist.reshape(-1, T).T.reshape((T, -1) if bucket.ndim == 2 else (T,))
        return np.cumsum(hist[::-1], axis=0)[::-1]  # Σ over buckets j ≥ i: (T,) or (T, labels)

    tp, fp = above(true_w), above(false_w)
    return {"tp": tp, "fp": fp, "tn": false_w.sum(axis=0) - fp, "fn": true_w.sum(axis=0) - tp}


def _broadcast(name: str, weights: np.ndarray, shape: tuple) -> np.ndarray:
    try:
        return np.broadcast_to(weights, shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {weights.shape} does not broadcast to the predictions' shape "
            f"{shape}. Give one weight per sample (batch,), or one per value {shape}."
        ) from None

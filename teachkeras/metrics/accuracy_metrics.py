"""Accuracy metrics: the fraction of predictions that are right.

Each function returns 1.0 or 0.0 per sample; its class is a `MeanMetricWrapper`,
which averages them over the epoch. What "right" means depends on the labels:

    accuracy                          y_pred == y_true exactly
    binary_accuracy                   (y_pred > threshold) == y_true       (0/1 labels)
    categorical_accuracy              argmax(y_pred) == argmax(y_true)     (one-hot labels)
    sparse_categorical_accuracy       argmax(y_pred) == y_true             (class indices)
    top_k_categorical_accuracy        the true class is among the k highest scores
    sparse_top_k_categorical_accuracy the same, with class-index labels

When you write `metrics=['accuracy']`, compile picks one of the middle three from
the shapes of your labels and outputs (see `resolve_compile_metric`).
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor, as_array
from ..losses.loss import squeeze_or_expand_to_same_rank
from .metric import Metric
from .reduction_metrics import FixedFunctionMetric


def _matches(condition: np.ndarray) -> Tensor:
    """Booleans -> 1.0 / 0.0 in the default float type (as Keras: `floatx()`)."""
    return Tensor(np.asarray(condition, dtype=config.floatx()))


def accuracy(y_true, y_pred) -> Tensor:
    """1.0 where the prediction equals the label exactly.

    Formula: `acc = cast(y_true == y_pred, float)`
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(as_array(y_true) == as_array(y_pred))


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> Tensor:
    """1.0 where the thresholded prediction equals the 0/1 label.

    Formula: `acc = cast(y_true == cast(y_pred > threshold, y_true.dtype), float)`
    (one value per output unit; the metric averages them all).
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    true, pred = as_array(y_true), as_array(y_pred)
    predicted_label = (pred > threshold).astype(true.dtype)
    return _matches(true == predicted_label)


def categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where the highest score is the one-hot label's class.

    Formula: `acc = cast(argmax(y_true, -1) == argmax(y_pred, -1), float)`
    """
    true_class = np.argmax(as_array(y_true), axis=-1)
    pred = as_array(y_pred)
    original_shape = true_class.shape
    if true_class.ndim == pred.ndim:  # labels came with an extra trailing axis
        true_class = np.squeeze(true_class, -1)
    matches = true_class == np.argmax(pred, axis=-1)
    return _matches(matches.reshape(original_shape) if matches.shape != original_shape else matches)


def sparse_categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where the highest score is at the label's class index.

    Formula: `acc = cast(y_true == argmax(y_pred, -1), float)`
    """
    true = as_array(y_true)
    pred = as_array(y_pred)
    if true.ndim == pred.ndim and true.shape[-1] == 1:
        true = np.squeeze(true, -1)  # (n, 1) labels -> (n,)
    matches = true == np.argmax(pred, axis=-1).astype(true.dtype)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = np.squeeze(matches, -1)
    return _matches(matches)


def in_top_k(targets: np.ndarray, predictions: np.ndarray, k: int) -> np.ndarray:
    """True where the target class's score is at least the k-th highest score (ties count)."""
    k = min(int(k), predictions.shape[-1])
    kth_highest = np.sort(predictions, axis=-1)[..., -k]
    target_score = np.take_along_axis(predictions, targets[:, None].astype(np.int64), axis=-1)
    return target_score[:, 0] >= kth_highest


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> Tensor:
    """1.0 where the one-hot label's class is among the `k` highest scores.

    Formula: `acc = cast(in_top_k(argmax(y_true, -1), y_pred, k), float)`
    """
    true_class = np.argmax(as_array(y_true), axis=-1)
    pred = as_array(y_pred)
    pred = pred.reshape(-1, pred.shape[-1])
    matches = in_top_k(true_class.reshape(-1), pred, k)
    return _matches(matches.reshape(true_class.shape))


def sparse_top_k_categorical_accuracy(
    y_true, y_pred, k: int = 5, from_sorted_ids: bool = False
) -> Tensor:
    """1.0 where the label's class index is among the `k` highest scores.

    Formula: `acc = cast(in_top_k(y_true, y_pred, k), float)`
    With `from_sorted_ids=True`, `y_pred` already holds class ids sorted by score,
    and the label just has to appear among the first `k`.
    """
    pred = as_array(y_pred)
    true = np.asarray(as_array(y_true))
    true = true.astype(pred.dtype if from_sorted_ids else np.int32)
    original_shape = true.shape
    pred = pred.reshape(-1, pred.shape[-1])
    true = true.reshape(-1)
    if from_sorted_ids:
        matches = np.any(true[:, None] == pred[:, :k], axis=1)
    else:
        matches = in_top_k(true, pred, k)
    return _matches(matches.reshape(original_shape))


# --- classes ----------------------------------------------------------------------------
class Accuracy(FixedFunctionMetric):
    """How often predictions equal labels exactly (`accuracy`)."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"


class BinaryAccuracy(FixedFunctionMetric):
    """How often thresholded predictions match 0/1 labels (`binary_accuracy`)."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self._direction = "up"


class CategoricalAccuracy(FixedFunctionMetric):
    """How often the top score matches one-hot labels (`categorical_accuracy`)."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class SparseCategoricalAccuracy(FixedFunctionMetric):
    """How often the top score matches integer labels (`sparse_categorical_accuracy`)."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class TopKCategoricalAccuracy(FixedFunctionMetric):
    """How often the one-hot label is among the top `k` scores (`top_k_categorical_accuracy`)."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self._direction = "up"


class SparseTopKCategoricalAccuracy(FixedFunctionMetric):
    """How often the integer label is among the top `k` scores.

    The metric form of `sparse_top_k_categorical_accuracy`.
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self._direction = "up"

    def get_config(self) -> dict:
        config = {**Metric.get_config(self), "k": self.k}
        if self.from_sorted_ids:  # Keras writes it only when it is set
            config["from_sorted_ids"] = True
        return config

"""Confusion metrics: counts of right and wrong yes/no answers, and the rates made from them.

    metric                        result (per threshold t: the score p > t says "yes")
    TruePositives, FalsePositives,
    TrueNegatives, FalseNegatives  the weighted count itself
    Precision                     TP / (TP + FP)   of the "yes" answers, how many were right
    Recall                        TP / (TP + FN)   of the true positives, how many were found
    SensitivityAtSpecificity      the best recall (sensitivity) among the thresholds whose
                                  TN / (TN + FP) (specificity) is at least the given value
    SpecificityAtSensitivity      the best specificity where recall ≥ the given value
    PrecisionAtRecall             the best precision where recall ≥ the given value
    RecallAtPrecision             the best recall where precision ≥ the given value

Each keeps its counts in state variables of one entry per threshold, named and ordered
as in Keras 3; a rate with nothing to count (0 / 0) is 0. The counting itself is
`confusion_counts.py`. A single threshold gives a scalar result, a list of thresholds
one result per threshold.

`top_k=k` (Precision, Recall) counts as "yes" only the k highest scores of each row;
`class_id=c` looks only at column c, the one-vs-rest view of a multi-class output.
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import Tensor
from .confusion_counts import (
    NEG_INF,
    confusion_counts,
    divide_no_nan,
    evenly_spaced,
    parse_thresholds,
)
from .metric import Metric


def _per_threshold_result(values: np.ndarray, dtype: str) -> Tensor:
    """One value per threshold; a single threshold gives a scalar."""
    values = np.asarray(values, dtype)
    return Tensor(values[0] if values.shape == (1,) else values)


class _ConfusionMatrixCount(Metric):
    """One of the four counts, at each threshold (default 0.5), in `accumulator`."""

    _count = "tp"  # which of confusion_counts' four

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, default=0.5)
        self._evenly_spaced = evenly_spaced(self.thresholds)
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            thresholds_evenly_spaced=self._evenly_spaced,
            dtype=self.dtype,
        )
        self.accumulator.assign_add(counts[self._count])

    def result(self) -> Tensor:
        return _per_threshold_result(self.accumulator.value, self.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixCount):
    """The weighted number of positives scored above the threshold: Σ w·[y=1]·[p>t]."""

    _count = "tp"


class FalsePositives(_ConfusionMatrixCount):
    """The weighted number of negatives scored above the threshold: Σ w·[y=0]·[p>t]."""

    _count = "fp"


class TrueNegatives(_ConfusionMatrixCount):
    """The weighted number of negatives scored at or below the threshold: Σ w·[y=0]·[p≤t]."""

    _count = "tn"


class FalseNegatives(_ConfusionMatrixCount):
    """The weighted number of positives scored at or below the threshold: Σ w·[y=1]·[p≤t]."""

    _count = "fn"


class _PrecisionOrRecall(Metric):
    """TP and one other count, at each threshold, with `top_k` and `class_id`."""

    _other = "fp"  # Precision divides by TP + FP, Recall by TP + FN

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k, any score that survived the filter counts as "yes".
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default=default)
        self._evenly_spaced = evenly_spaced(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        other_name = "false_positives" if self._other == "fp" else "false_negatives"
        self._other_count = self.add_variable((n,), "zeros", name=other_name)
        setattr(self, other_name, self._other_count)  # Precision.false_positives, Recall...

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
            thresholds_evenly_spaced=self._evenly_spaced,
            dtype=self.dtype,
        )
        self.true_positives.assign_add(counts["tp"])
        self._other_count.assign_add(counts[self._other])

    def result(self) -> Tensor:
        tp = self.true_positives.value
        return _per_threshold_result(divide_no_nan(tp, tp + self._other_count.value), self.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionOrRecall):
    """Of the samples called positive, the fraction that are: TP / (TP + FP).

    Formula: `precision = true_positives / (true_positives + false_positives)`  (0 if none)

    Args:
        thresholds: a score above it counts as positive; a list gives one precision per
            threshold. Defaults to 0.5 (or, with `top_k`, any score in the top k).
        top_k: only the k highest scores of each row count as positive.
        class_id: look only at this class (column) of a multi-class output.

    Example:
        >>> m = Precision(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
        0.6666667
    """

    _other = "fp"


class Recall(_PrecisionOrRecall):
    """Of the true positives, the fraction found: TP / (TP + FN).

    Formula: `recall = true_positives / (true_positives + false_negatives)`  (0 if none)

    Args: as `Precision`.

    Example:
        >>> m = Recall(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
        0.6666667
    """

    _other = "fn"


# --- one rate, at the best threshold that keeps another rate high enough ----------------
class _RateAtRate(Metric):
    """All four counts at `num_thresholds` evenly spaced thresholds in [0, 1]."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 0. Received: "
                f"num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            self.thresholds, self._evenly_spaced = [0.5], False
        else:  # 0, 1/(n-1), …, 1
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly_spaced = [0.0, *inner, 1.0], True
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        self.false_positives = self.add_variable((n,), "zeros", name="false_positives")
        self.true_negatives = self.add_variable((n,), "zeros", name="true_negatives")
        self.false_negatives = self.add_variable((n,), "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            class_id=self.class_id,
            thresholds_evenly_spaced=self._evenly_spaced,
            dtype=self.dtype,
        )
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def _rates(self) -> dict[str, np.ndarray]:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "recall": divide_no_nan(tp, tp + fn),  # = sensitivity
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }

    def _best(self, wanted: str, constrained: str) -> Tensor:
        """max of rate `wanted` over the thresholds where rate `constrained` ≥ value (else 0)."""
        rates = self._rates()
        feasible = rates[constrained] >= self.value
        best = np.max(np.where(feasible, rates[wanted], 0), initial=0)
        return Tensor(np.asarray(best, self.dtype))

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id}


def _check_rate(name: str, value) -> None:
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivityAtSpecificity(_RateAtRate):
    """The best sensitivity (recall) among thresholds with specificity ≥ `specificity`.

    Formula: `max over t of TP/(TP+FN), where TN/(TN+FP) >= specificity`  (0 if no t qualifies)
    Used in medicine: "how many sick patients do we find if at most 5% of the healthy
    ones get a false alarm?" is SensitivityAtSpecificity(0.95).
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("specificity", specificity)
        self.specificity = specificity
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Tensor:
        return self._best("recall", constrained="specificity")

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(_RateAtRate):
    """The best specificity among thresholds with sensitivity (recall) ≥ `sensitivity`.

    Formula: `max over t of TN/(TN+FP), where TP/(TP+FN) >= sensitivity`  (0 if no t qualifies)
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Tensor:
        return self._best("specificity", constrained="recall")

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(_RateAtRate):
    """The best precision among thresholds with recall ≥ `recall`.

    Formula: `max over t of TP/(TP+FP), where TP/(TP+FN) >= recall`  (0 if no t qualifies)
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("recall", recall)
        self.recall = recall
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Tensor:
        return self._best("precision", constrained="recall")

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(_RateAtRate):
    """The best recall among thresholds with precision ≥ `precision`.

    Formula: `max over t of TP/(TP+FN), where TP/(TP+FP) >= precision`  (0 if no t qualifies)
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("precision", precision)
        self.precision = precision
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Tensor:
        return self._best("recall", constrained="precision")

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }

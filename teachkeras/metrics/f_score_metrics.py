"""F-scores: one number that is high only when precision and recall both are.

    F_β = (1 + β²) · P · R / (β² · P + R)        P = TP/(TP+FP), R = TP/(TP+FN)

F₁ (β = 1) is the harmonic mean of P and R; β = 2 counts recall twice as much as
precision, β = ½ the other way round. The inputs are (batch, classes): one-hot or
multi-hot labels, and scores that become 0/1 answers by `threshold` (or, without one,
by "the top score of the row is the answer").

    average      what `result()` returns
    None         one F-score per class (the default: a vector)
    "micro"      one F-score of the counts pooled over all classes
    "macro"      the mean of the per-class F-scores (each class counts the same)
    "weighted"   the per-class F-scores averaged with weights = each class's Σ y_true

State (Keras 3's, created at the first batch): `true_positives`, `false_positives`,
`false_negatives`, `intermediate_weights` (Σ w·y_true), each (classes,), or () for micro.
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from ..backend.tensor import Tensor, as_array
from .metric import Metric

AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F_β score, per class or averaged.

    Formula: `f_beta = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)`
    (each division with ε added to its denominator, so an empty class scores 0).

    Args:
        average: None, "micro", "macro" or "weighted" (module docstring). Defaults to None.
        beta: β > 0, a Python float. Defaults to 1.0.
        threshold: a score above it is a "yes" (0 < threshold ≤ 1); None: the row's top
            score (and any score tied with it) is the "yes". Defaults to None.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.6], [0.2, 0.8]]); m.result()  # per class
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float (write 2.0, not "
                f"2). Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0  # micro pools the classes too
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}. For one sigmoid output, give labels of shape "
                "(batch, 1) and predictions of shape (batch, 1)."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = np.asarray(as_array(y_true)).astype(self.dtype)  # (batch, classes)
        y_pred = np.asarray(as_array(y_pred)).astype(self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:  # the top score of each row ([0, 0, 0] stays all "no")
            top = np.max(y_pred, axis=-1, keepdims=True)
            y_pred = (y_pred >= top) & (np.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.astype(self.dtype)  # 0/1 answers

        def weighted_sum(values: np.ndarray) -> np.ndarray:
            if sample_weight is not None:
                values = values * np.asarray(as_array(sample_weight), self.dtype)[:, None]
            return np.sum(values, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self) -> Tensor:
        eps = np.asarray(config.epsilon(), self.dtype)
        tp, fp, fn = (
            self.true_positives.value,
            self.false_positives.value,
            self.false_negatives.value,
        )
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta_squared = self.beta**2
        f_score = (
            precision * recall / (beta_squared * precision + recall + eps) * (1 + beta_squared)
        )
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            f_score = np.sum(f_score * (weights / (np.sum(weights) + eps)))
        elif self.average is not None:  # micro (already one number) or macro
            f_score = np.mean(f_score)
        return Tensor(np.asarray(f_score, self.dtype))

    def reset_state(self) -> None:
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, variable.dtype))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """The F₁ score: the harmonic mean of precision and recall, 2·P·R / (P + R).

    Formula: `f1 = 2 * precision * recall / (precision + recall)`
    Args: as `FBetaScore`, without `beta` (it is 1).

    Example:
        >>> m = F1Score(average="macro", threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.6], [0.2, 0.8]]); float(m.result())
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config

"""AUC: the area under the ROC or precision-recall curve, from counts at many thresholds.

Sweep the threshold t from 0 to 1 and each t gives one point of a curve:

    curve    x                         y
    ROC      FPR = FP / (FP + TN)      TPR = recall = TP / (TP + FN)
    PR       recall                    precision = TP / (TP + FP)
    PRGAIN   recall gain               precision gain      (Flach & Kull, 2015)

The area is a Riemann sum over the T - 1 gaps between neighbouring thresholds:

    AUC = Σᵢ (xᵢ - xᵢ₊₁) · hᵢ      hᵢ = (yᵢ + yᵢ₊₁)/2   "interpolation" (trapezoids)
                                  hᵢ = min(yᵢ, yᵢ₊₁)     "minoring"  (a lower sum)
                                  hᵢ = max(yᵢ, yᵢ₊₁)     "majoring"  (an upper sum)

ROC AUC is the probability that a random positive scores above a random negative: 0.5
is guessing, 1.0 a perfect ranking. The PR curve with "interpolation" interpolates the
counts TP and FP between thresholds, not the ratio (Davis & Goadrich, 2006): see
`_interpolated_pr_auc`.

Only the four counts per threshold are kept (state variables `true_positives`,
`false_positives`, `true_negatives`, `false_negatives`, Keras's order), so the AUC of an
epoch is exact up to the threshold grid, however the batches fell.
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor, as_array, no_grad
from .confusion_counts import confusion_counts, divide_no_nan, evenly_spaced
from .metric import Metric

CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
SUMMATION_METHODS = ("interpolation", "majoring", "minoring")


def _curve(curve: str) -> str:
    if curve not in ("ROC", "roc", "PR", "pr", "PRGAIN", "prgain"):
        raise ValueError(
            f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]'
        )
    return CURVES[curve.lower()]


def _summation_method(method: str) -> str:
    if method not in (*SUMMATION_METHODS, *(m.title() for m in SUMMATION_METHODS)):
        raise ValueError(
            f'Invalid AUC summation method value: "{method}". Expected values are '
            '["interpolation", "majoring", "minoring"]'
        )
    return method.lower()


class AUC(Metric):
    """Area under the ROC (default) or PR curve.

    Args:
        num_thresholds: T, the number of thresholds, evenly spaced in [0, 1] (the two
            ends nudged to -ε and 1 + ε). More gives a finer curve. Defaults to 200.
        curve: "ROC", "PR" or "PRGAIN". Defaults to "ROC".
        summation_method: "interpolation", "minoring" or "majoring" (module docstring).
        thresholds: your own thresholds in [0, 1] instead (then T = len + 2).
        multi_label: the last axis holds independent labels: one curve per label, and the
            result their mean (weighted by `label_weights`). Otherwise every value is
            pooled into one curve.
        num_labels: with `multi_label`, the number of labels (else learned from the first
            batch).
        label_weights: one weight per label: the weights of the mean with `multi_label`,
            otherwise weights of each label's values in the pooled counts.
        from_logits: apply the sigmoid to `y_pred` first.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
        0.75
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        self.curve = _curve(curve)
        self.summation_method = _summation_method(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(thresholds)
            self.num_thresholds = len(thresholds) + 2
            self._evenly_spaced = evenly_spaced(np.array([0.0, *thresholds, 1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly_spaced = True
        # The ends sit just outside [0, 1]: every score is above the first, none above the last.
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps, *thresholds, 1.0 + eps])
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"

        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else np.asarray(label_weights, self.dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        elif num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        else:
            self._build(None)

    @property
    def thresholds(self) -> list[float]:
        """The T thresholds, ends included."""
        return list(self._thresholds)

    def _build(self, shape) -> None:
        """Create the four counts: (T,), or (T, labels) with `multi_label`."""
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    f"AUC(multi_label=True): `y_pred` must have rank 2, (batch, labels). "
                    f"Found rank {len(shape)}. Full shape received for `y_pred`: {shape}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self.add_variable(variable_shape, name="true_positives")
        self.false_positives = self.add_variable(variable_shape, name="false_positives")
        self.true_negatives = self.add_variable(variable_shape, name="true_negatives")
        self.false_negatives = self.add_variable(variable_shape, name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self._built:
            self._build(np.shape(as_array(y_pred)))
        if self._from_logits:
            with no_grad():  # a metric is watched, never differentiated
                y_pred = ops.sigmoid(ops.convert_to_tensor(y_pred, self.dtype))
        counts = confusion_counts(
            y_true,
            y_pred,
            self._thresholds,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            thresholds_evenly_spaced=self._evenly_spaced,
            dtype=self.dtype,
        )
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    # --- the area ---------------------------------------------------------------------
    def result(self) -> Tensor:
        if not self._built:  # multi_label before the first batch: nothing counted yet
            return Tensor(np.zeros((), self.dtype))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_over_labels(self._interpolated_pr_auc())
        x, y = self._curve_points()  # (T,) or (T, labels), x decreasing as t grows
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:  # "majoring"
            heights = np.maximum(y[:-1], y[1:])
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def _curve_points(self) -> tuple[np.ndarray, np.ndarray]:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return divide_no_nan(fp, fp + tn), recall  # (FPR, TPR)
        if self.curve == "PR":
            return recall, divide_no_nan(tp, tp + fp)  # (recall, precision)
        # PRGAIN: gains relative to the always-positive classifier, with π = P/(P+N):
        # gain = 1 - (π/(1-π))·FN/TP (recall), 1 - (π/(1-π))·FP/TP (precision).
        scale = divide_no_nan(tp + fn, tn + fp)  # P / N
        recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
        precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
        recall_gain = np.where(tp == 0, 0.0, recall_gain)  # no positive found: gain 0 …
        precision_gain = np.where(tp == 0, 1.0, precision_gain)  # … and precision gain 1
        return np.maximum(recall_gain, 0.0), precision_gain  # negative gain counts as 0

    def _interpolated_pr_auc(self) -> np.ndarray:
        """PR area with TP interpolated linearly in P = TP + FP between thresholds.

        Between thresholds i and i+1, TP = slope·P + intercept, so precision = TP/P, and
        the area of that piece is exact: slope·(ΔTP + intercept·ln(Pᵢ/Pᵢ₊₁)) / (TP + FN).
        """
        tp, fp, fn = (
            self.true_positives.value,
            self.false_positives.value,
            self.false_negatives.value,
        )
        dtp = tp[:-1] - tp[1:]  # (T-1,) or (T-1, labels)
        p = tp + fp  # predicted positives at each threshold
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        p_ratio = np.where(both_positive, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return divide_no_nan(
            slope * (dtp + intercept * np.log(p_ratio)), np.maximum(tp[1:] + fn[1:], 0)
        )

    def _average_over_labels(self, pieces: np.ndarray) -> Tensor:
        """Sum the pieces of area; with `multi_label`, average the labels' areas."""
        if not self.multi_label:
            return Tensor(np.asarray(np.sum(pieces), self.dtype))
        by_label = np.sum(pieces, axis=0)  # (labels,)
        if self.label_weights is None:
            return Tensor(np.asarray(np.mean(by_label), self.dtype))
        weighted = divide_no_nan(np.sum(by_label * self.label_weights), np.sum(self.label_weights))
        return Tensor(np.asarray(weighted, self.dtype))

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict:
        label_weights = self.label_weights
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if label_weights is None else label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:  # without the two ends, as they were given
            config["thresholds"] = self.thresholds[1:-1]
        return config

    @classmethod
    def from_config(cls, config: dict) -> AUC:
        label_weights = config.get("label_weights")
        if isinstance(label_weights, dict):  # Keras 3 writes its tensor as a "__tensor__" dict
            config = {**config, "label_weights": label_weights["config"]["value"]}
        return cls(**config)

"""R2Score: the coefficient of determination, how much of the targets' variance is explained.

    R² = 1 - SS_res / SS_tot      SS_res = Σ w (y - ŷ)²,   SS_tot = Σ w (y - ȳ)²

1 is a perfect fit, 0 is as good as always predicting the mean ȳ, below 0 is worse.
Both sums are kept per target column from running totals (Keras 3's state), so the
result over an epoch is exact however the batches fell:

    sum = Σ w y,   squared_sum = Σ w y²,   residual = Σ w (y - ŷ)²,   count = Σ w
    SS_tot = squared_sum - sum · (sum / count)                     (= Σ w (y - ȳ)²)
"""

from __future__ import annotations

import warnings

import numpy as np

from ..backend.tensor import Tensor, as_array
from ..losses.loss import squeeze_or_expand_to_same_rank
from .metric import Metric

CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """R² over all samples seen, per output column and then aggregated.

    Formula: `r2 = 1 - sum(w * (y_true - y_pred)**2) / sum(w * (y_true - mean(y_true))**2)`
    Adjusted (with p = num_regressors, n = number of values seen):
    `r2_adj = 1 - (1 - r2) * (n - 1) / (n - p - 1)`.

    Args:
        class_aggregation: how to combine the columns' R²: "uniform_average" (their mean),
            "variance_weighted_average" (weighted by each column's SS_tot), or None (one R²
            per column). Defaults to "uniform_average".
        num_regressors: p, the number of input features, for the adjusted R² (0: plain R²).
            Note: n counts values, not rows (Keras 3's `num_samples`).

    Example:
        >>> m = R2Score()
        >>> m.update_state([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]]); float(m.result())
        0.5
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in CLASS_AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{CLASS_AGGREGATIONS}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}. For one "
                "target, reshape both to (batch_size, 1)."
            )
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(columns, name="squared_sum")
        self.sum = self.add_variable(columns, name="sum")
        self.total_mse = self.add_variable(columns, name="residual")
        self.count = self.add_variable(columns, name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = np.asarray(as_array(y_true), self.dtype)
        y_pred = np.asarray(as_array(y_pred), self.dtype)
        y_true, y_pred = (as_array(t) for t in squeeze_or_expand_to_same_rank(y_true, y_pred))
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        w = np.asarray(1 if sample_weight is None else as_array(sample_weight), self.dtype)
        if w.ndim == 1:
            w = w[:, None]  # one weight per row, for every column
        w = np.broadcast_to(w, y_true.shape)  # (batch, columns)

        weighted_y = y_true * w
        self.sum.assign_add(np.sum(weighted_y, axis=0))
        self.squared_sum.assign_add(np.sum(y_true * weighted_y, axis=0))
        self.total_mse.assign_add(np.sum((y_true - y_pred) ** 2 * w, axis=0))
        self.count.assign_add(np.sum(w, axis=0))
        self.num_samples.assign_add(y_true.size)

    def result(self) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):  # no data yet: NaN, as Keras
            mean = self.sum.value / self.count.value
            total = self.squared_sum.value - self.sum.value * mean  # SS_tot per column
            raw_scores = 1 - self.total_mse.value / total
        raw_scores = np.where(np.isinf(raw_scores), 0.0, raw_scores)  # a constant column: 0

        if self.class_aggregation == "uniform_average":
            r2 = np.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            r2 = np.sum(total * raw_scores) / np.sum(total)
        else:
            r2 = raw_scores

        n, p = self.num_samples.value, np.asarray(self.num_regressors, self.dtype)
        if p != 0:
            if p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. "
                    "Falling back to standard R2 score.",
                    stacklevel=2,
                )
            elif p == n - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                r2 = 1.0 - (1.0 - r2) * (n - 1.0) / (n - p - 1.0)  # adjusted R²
        return Tensor(np.asarray(r2, self.dtype))

    def reset_state(self) -> None:
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, variable.dtype))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }

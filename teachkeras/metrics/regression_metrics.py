"""Regression metrics: the regression losses, averaged over the epoch.

Each class is a `MeanMetricWrapper` around the loss function of the same name
(`teachkeras.losses`), except two:

- `RootMeanSquaredError` keeps the mean of squared errors and takes the square
  root only in `result()`: the root of the mean, not the mean of per-batch roots;
- `CosineSimilarity` reports the cosine itself (+1 = same direction), where the
  loss reports its negative.
"""

from __future__ import annotations

import numpy as np

from .. import losses, ops
from ..backend.tensor import Tensor, as_array, no_grad
from ..losses.loss import squeeze_or_expand_to_same_rank
from .metric import Metric, scalar_result
from .reduction_metrics import FixedFunctionMetric, Mean


def cosine_similarity(y_true, y_pred, axis: int = -1) -> Tensor:
    """Cosine of the angle between label and prediction vectors (the metric's sign: +1 is best).

    Formula: `metric = sum(l2_norm(y_true) * l2_norm(y_pred), axis=axis)`
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.sum(losses.l2_normalize(y_true, axis) * losses.l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(FixedFunctionMetric):
    """Mean of squared errors over all samples seen (`mean_squared_error`)."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=losses.mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"


class MeanAbsoluteError(FixedFunctionMetric):
    """Mean of absolute errors (`mean_absolute_error`)."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name, dtype=dtype)
        self._direction = "down"


class MeanAbsolutePercentageError(FixedFunctionMetric):
    """Mean absolute percentage error (`mean_absolute_percentage_error`)."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name, dtype=dtype)
        self._direction = "down"


class MeanSquaredLogarithmicError(FixedFunctionMetric):
    """Mean squared logarithmic error (`mean_squared_logarithmic_error`)."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name, dtype=dtype)
        self._direction = "down"


class CosineSimilarity(FixedFunctionMetric):
    """Mean cosine similarity between labels and predictions (+1 is best).

    (Keras's config keeps only `name` and `dtype`, so `axis` is not saved.)
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self) -> dict:
        return Metric.get_config(self)  # Keras leaves `axis` out of this config


class LogCoshError(FixedFunctionMetric):
    """Mean logarithm of the hyperbolic cosine of the error (`log_cosh`)."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name, dtype=dtype)
        self._direction = "down"


class RootMeanSquaredError(Mean):
    """Square root of the mean squared error over all samples seen.

    Formula: `rmse = sqrt(Σ wᵢ mean_j (y_pred - y_true)²ᵢⱼ / Σ wᵢ)`
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        with no_grad():
            y_true = ops.convert_to_tensor(y_true, self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, self.dtype)
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
            error_sq = ops.square(y_pred - y_true)
            super().update_state(error_sq, sample_weight=sample_weight)

    def result(self) -> Tensor:
        return scalar_result(np.sqrt(as_array(super().result())), self.dtype)

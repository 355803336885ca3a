"""Correlation metrics: do predictions rise and fall with the targets?

    pearson_correlation       r = mean(z(y) · z(ŷ))        z(x) = (x - mean x) / std x
    concordance_correlation   ρ_c = 2·cov / (var y + var ŷ + (mean y - mean ŷ)²)

Both are computed along `axis` (default: the features of one sample) and then averaged
over the samples seen, like any `MeanMetricWrapper`. Pearson's r is +1 when ŷ is any
increasing straight-line function of y; Lin's concordance ρ_c is +1 only when ŷ = y, as it
also penalises a shift or a change of scale.
"""

from __future__ import annotations

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor
from ..losses.loss import squeeze_or_expand_to_same_rank
from .reduction_metrics import MeanMetricWrapper


def pearson_correlation(y_true, y_pred, axis: int = -1) -> Tensor:
    """Pearson's correlation coefficient between labels and predictions, along `axis`.

    Formula: `r = mean(((y_true - mean(y_true)) / std(y_true)) * ((y_pred - mean(y_pred)) / std(y_pred)))`
    (population std; NaN where a row is constant).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_true_centred = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    y_pred_centred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    z_true = y_true_centred / ops.std(y_true_centred, axis=axis, keepdims=True)
    z_pred = y_pred_centred / ops.std(y_pred_centred, axis=axis, keepdims=True)
    return ops.mean(z_true * z_pred, axis=axis)


def concordance_correlation(y_true, y_pred, axis: int = -1) -> Tensor:
    """Lin's concordance correlation coefficient, along `axis`, as Keras 3 computes it.

    Formula: `ccc = mean(2 * (y_true - mean(y_pred)) * (y_pred - mean(y_pred)) / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))**2 + epsilon))`
    Lin's covariance centres y_true on its own mean; Keras 3.15 centres it on mean(y_pred),
    and so does this function, to give Keras's numbers. The two agree when the means do.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    y_pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    y_true_var = ops.var(y_true - y_true_mean, axis=axis, keepdims=True)
    y_pred_var = ops.var(y_pred - y_pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - y_pred_mean) * (y_pred - y_pred_mean)  # (Keras's centring, above)
    norm = y_true_var + y_pred_var + ops.square(y_true_mean - y_pred_mean)
    return ops.mean(2 * covariance / (norm + config.epsilon()), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Pearson's r along `axis`, averaged over all samples seen (`pearson_correlation`)."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Lin's concordance ρ_c along `axis`, averaged over all samples seen (`concordance_correlation`)."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}

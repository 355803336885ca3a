"""`Sum`, `Mean` and `MeanMetricWrapper`: running totals over batches.

Most metrics are `MeanMetricWrapper(fn)`: `fn(y_true, y_pred)` gives one value per
sample (1.0 or 0.0 for accuracy, a squared error for MSE), and the metric keeps

    total += Σᵢ wᵢ vᵢ          count += Σᵢ wᵢ       (wᵢ = 1 without sample weights)
    result = total / count    (0 before any update)

so the epoch value is the weighted mean over every sample, however the batches fell.
A value with extra axes (one per time step, say) is first averaged to one value
per sample.
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import Tensor, as_array, no_grad
from ..losses import ALL_OBJECTS as LOSS_OBJECTS
from ..losses.loss import apply_mask, squeeze_or_expand_to_same_rank
from .metric import Metric, scalar_result


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype: str):
    """Weighted per-sample values `(batch,)` and the matching weights (Keras 3's rule).

    1. line up the ranks of `values` and `sample_weight`;
    2. reduce `values` with `reduce_fn` over the axes the weights do not have;
    3. multiply by the weights (broadcast), and reduce weights of rank > 1 likewise;
    4. reduce what is left to one value per sample.
    """
    mask = getattr(values, "_keras_mask", None)
    values = as_array(values).astype(dtype, copy=False)
    if sample_weight is not None:
        sample_weight = np.asarray(as_array(sample_weight), dtype=dtype)
        if mask is not None:
            sample_weight = as_array(apply_mask(sample_weight, mask, dtype, "sum"))
        values, sample_weight = (
            as_array(t) for t in squeeze_or_expand_to_same_rank(values, sample_weight)
        )
        weight_ndim, values_ndim = sample_weight.ndim, values.ndim
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = np.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of all values seen.

    Example:
        >>> m = Sum(); m.update_state([1, 3, 5, 7]); float(m.result())
        16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None) -> None:
        with no_grad():
            values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum, self.dtype)
            self.total.assign_add(np.sum(values))

    def reset_state(self) -> None:
        self.total.assign(0)

    def result(self) -> Tensor:
        return scalar_result(self.total.value, self.dtype)


class Mean(Metric):
    """The (weighted) mean of all values seen: `total / count`.

    Example:
        >>> m = Mean(); m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values, sample_weight=None) -> None:
        with no_grad():
            values, sample_weight = reduce_to_samplewise_values(
                values, sample_weight, np.mean, self.dtype
            )
            self.total.assign_add(np.sum(values))
            if sample_weight is not None:
                num_samples = np.sum(sample_weight)
            elif values.ndim >= 1:
                num_samples = values.shape[0]
            else:
                num_samples = 1
            self.count.assign_add(num_samples)

    def reset_state(self) -> None:
        self.total.assign(0)
        self.count.assign(0)

    def result(self) -> Tensor:
        count = self.count.value
        value = self.total.value / count if count != 0 else np.zeros((), self.dtype)
        return scalar_result(value, self.dtype)


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    This is how a plain function becomes a metric: `metrics=[my_fn]` in `compile`
    wraps `my_fn` this way. The function may return one value per sample, or a
    single value for the batch (which then counts as one sample).

    Example:
        >>> def mean_pred(y_true, y_pred):
        ...     return ops.mean(y_pred)
        >>> m = MeanMetricWrapper(mean_pred, name="mean_pred")
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        # A wrapped Keras loss should go down during training.
        if fn in LOSS_OBJECTS:
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        with no_grad():
            mask = getattr(y_pred, "_keras_mask", None)
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
            sample_weight = apply_mask(sample_weight, mask, self.dtype, "sum")
            super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from . import serialize  # the package's serializer knows every metric function

        return {**super().get_config(), "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if "fn" in config:
            from . import deserialize

            fn = config["fn"]
            config["fn"] = deserialize(fn) if isinstance(fn, dict | str) else fn
        return cls(**config)


class FixedFunctionMetric(MeanMetricWrapper):
    """A named metric class around one fixed function (`Accuracy`, `MeanSquaredError`, ...).

    As `losses.FixedFunctionLoss`: the function's keyword arguments are kept as attributes
    too (`metric.threshold`), and the config is `name`, `dtype` and those arguments, as Keras
    writes it: the class says which function it wraps, so the function is not saved.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(fn, name=name, dtype=dtype, **kwargs)
        for argument, value in kwargs.items():
            setattr(self, argument, value)

    def get_config(self) -> dict:
        return {**Metric.get_config(self), **{key: getattr(self, key) for key in self._fn_kwargs}}

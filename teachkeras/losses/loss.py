"""`Loss`: turn per-sample losses into the one number that training minimises.

A loss function such as `mean_squared_error(y_true, y_pred)` returns one value per
sample (shape `(batch,)`, or `(batch, time)` for sequences). A `Loss` object calls
it, weights each value, and reduces them to a scalar:

    reduction                  result
    "sum_over_batch_size"      Σ wᵢ Lᵢ / (number of values)      (the default)
    "mean"                     the same as "sum_over_batch_size"
    "sum"                      Σ wᵢ Lᵢ
    "mean_with_sample_weight"  Σ wᵢ Lᵢ / Σ wᵢ
    "none" or None             the weighted values wᵢ Lᵢ, unreduced

Note that the default divides by the number of values, not by Σ wᵢ: a sample
weight of 0 still counts in the denominator (as in Keras).

Masks: a tensor may carry a boolean `_keras_mask` attribute (Keras's name). A mask
on `y_pred`, or on the losses themselves (e.g. `ignore_class`), becomes part of the
sample weight, so that masked values count neither in the sum nor in the size.
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import config
from ..backend.naming import to_snake_case, unique_name
from ..backend.tensor import Tensor, as_array

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


class Loss:
    """Base class of every loss object: `loss(y_true, y_pred, sample_weight=None)`.

    Subclasses implement `call(y_true, y_pred)`, returning per-sample losses; this
    class does the dtype conversion, weighting, masking and reduction.

    Args:
        name: name of the loss (default: the class name in snake_case).
        reduction: see the module docstring; default `"sum_over_batch_size"`.
        dtype: float type of the computation (default `keras.config.floatx()`): both `y_true`
            and `y_pred` are converted to it.

    Example:
        >>> class MyMSE(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ops.mean(ops.square(y_pred - y_true), axis=-1)
        >>> MyMSE()([[0.0, 1.0]], [[1.0, 1.0]])   # 0.5
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None) -> None:
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = str(np.dtype(dtype or config.floatx()))

    @property
    def dtype(self) -> str:
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        in_mask = getattr(y_pred, "_keras_mask", None)  # read before a cast drops it
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = as_array(in_mask).astype(bool) & as_array(out_mask).astype(bool)
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(
            losses, sample_weight, mask, reduction=self.reduction, dtype=self.dtype, name=self.name
        )

    def call(self, y_true, y_pred) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, reduction={self.reduction}>"


class LossFunctionWrapper(Loss):
    """A `Loss` around a plain function `fn(y_true, y_pred, **kwargs)`.

    Before calling `fn` it lines up the ranks of `y_true` and `y_pred` (labels of
    shape `(n,)` against predictions `(n, 1)` become `(n, 1)`), as Keras does.

    Example:
        >>> LossFunctionWrapper(huber, delta=2.0)(y_true, y_pred)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred) -> Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from . import serialize  # the package's serializer knows every loss function

        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("fn"), dict | str):
            from . import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        fn_name = getattr(self.fn, "__name__", self.fn)
        return f"<LossFunctionWrapper({fn_name}, kwargs={self._fn_kwargs})>"


class FixedFunctionLoss(LossFunctionWrapper):
    """A named loss class around one fixed function (`MeanSquaredError`, `BinaryCrossentropy`, ...).

    The function's keyword arguments are kept as attributes too (`loss.from_logits`), and
    the config is `name`, `reduction` and those arguments, as Keras writes it: the class
    says which function it wraps, so the function is not saved. (Where Keras leaves an
    argument out of the config, as `Huber` leaves out `delta`, the class says so.)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for argument, value in kwargs.items():
            setattr(self, argument, value)

    def get_config(self) -> dict:
        return {**Loss.get_config(self), **{key: getattr(self, key) for key in self._fn_kwargs}}


# --- shapes ---------------------------------------------------------------------------
def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Line up two ranks that differ by one trailing axis of length 1.

    `(n, 1)` against `(n,)`: the `(n,)` side gains the axis (when `expand_rank_1`),
    otherwise the length-1 axis is dropped. Any other pair is returned unchanged.
    """
    x1, x2 = ops.convert_to_tensor(x1), ops.convert_to_tensor(x2)
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


# --- weighting and reduction ------------------------------------------------------------
def apply_mask(sample_weight, mask, dtype, reduction):
    """Fold a boolean mask into the sample weights.

    For the averaging reductions a kept value gets weight `total / kept`, so that
    "divide by the number of values" becomes "divide by the number of kept values".
    """
    if mask is None:
        return sample_weight
    mask = np.asarray(as_array(mask)).astype(bool)
    if reduction in ("mean", "sum_over_batch_size"):
        kept = mask.sum()
        scale = mask.size / kept if kept else 0.0  # divide_no_nan: all masked -> weight 0
        float_mask = ops.convert_to_tensor(np.where(mask, scale, 0.0).astype(dtype))
    else:
        float_mask = ops.convert_to_tensor(mask.astype(dtype))
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(
        float_mask, ops.convert_to_tensor(sample_weight, dtype)
    )
    try:
        np.broadcast_shapes(sample_weight.shape, float_mask.shape)
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {tuple(sample_weight.shape)} does not fit the mask of shape "
            f"{tuple(float_mask.shape)} that the predictions carry (from Embedding(mask_zero=True)"
            " or Masking): Keras 3 refuses it too. Give one weight per step, shape "
            f"{tuple(float_mask.shape)}, e.g. np.repeat(w[:, None], steps, axis=1)."
        ) from None
    return ops.multiply(sample_weight, float_mask)


def reduce_values(values: Tensor, sample_weight=None, reduction="sum_over_batch_size") -> Tensor:
    """Sum the (already weighted) values and divide as `reduction` says."""
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = ops.sum(ops.cast(sample_weight, loss.dtype))
    else:
        divisor = ops.convert_to_tensor(np.asarray(values.size, dtype=loss.dtype))
    if not as_array(divisor):  # divide_no_nan: nothing to average over gives 0
        return ops.multiply(loss, 0.0)
    return ops.divide(loss, divisor)


def reduce_weighted_values(
    values,
    sample_weight=None,
    mask=None,
    reduction="sum_over_batch_size",
    dtype=None,
    name: str = "loss",
) -> Tensor:
    """Weight per-sample `values` by `sample_weight` (and `mask`), then reduce them.

    `sample_weight` may be a scalar, one weight per sample `(batch,)` or `(batch, 1)`,
    or one weight per value (the same shape as `values`).
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        _check_weight_shape(name, values.shape, sample_weight.shape)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


def _check_weight_shape(name: str, values_shape, weight_shape) -> None:
    try:
        np.broadcast_shapes(values_shape, weight_shape)
    except ValueError:
        hint = ""
        if len(weight_shape) < len(values_shape):
            padded = tuple(weight_shape) + (1,) * (len(values_shape) - len(weight_shape))
            hint = (
                f" Give one weight per value (shape {values_shape}), or reshape the "
                f"weights to {padded} so they broadcast over the trailing axes."
            )
        raise ValueError(
            f"Loss {name!r}: sample_weight of shape {tuple(weight_shape)} does not match the "
            f"per-sample losses of shape {tuple(values_shape)}.{hint}"
        ) from None

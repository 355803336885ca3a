"""Probabilistic losses: how surprised is the model by the true labels?

    loss                              per sample
    binary_crossentropy               mean over the last axis of -[t ln p + (1 - t) ln(1 - p)]
    categorical_crossentropy          -Σ_c t_c ln p_c          (t one-hot, p a distribution)
    sparse_categorical_crossentropy   -ln p_y                  (y an integer class index)
    kl_divergence                     Σ t ln(t / p)
    poisson                           mean of p - t ln(p + ε)

Probabilities are clipped to [ε, 1 - ε] before the log (ε = `keras.config.epsilon()` = 1e-7),
so a confident wrong answer costs about 16, not infinity. With `from_logits=True`
the loss takes raw scores and applies the sigmoid/softmax itself, in a numerically
stable way: prefer it to a sigmoid/softmax output layer when you can.

The two categorical losses differ only in the labels they expect, and mixing them
up is the most common error in a first classifier, so both check their labels and
say which one you want.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor, as_array
from .loss import FixedFunctionLoss
from .regression_losses import prepare_pair


# --- label checks -----------------------------------------------------------------------
def _check_categorical_labels(y_true: Tensor, y_pred: Tensor) -> None:
    """Class-index labels given to `categorical_crossentropy`: say what to do instead."""
    if y_true.shape == y_pred.shape:
        return
    num_classes = y_pred.shape[-1] if y_pred.ndim else 1
    batch_shape = y_pred.shape[:-1]
    if num_classes > 1 and y_true.shape in (batch_shape, (*batch_shape, 1)):
        labels = as_array(y_true)
        if np.all(labels == np.round(labels)):
            raise ValueError(
                "categorical_crossentropy: labels look like class indices: use "
                "sparse_categorical_crossentropy, or one-hot them with to_categorical(y, "
                f"{num_classes}). (Got y_true.shape={y_true.shape} for y_pred.shape="
                f"{y_pred.shape}, {num_classes} classes.)"
            )
    raise ValueError(
        f"categorical_crossentropy: y_true and y_pred must have the same shape, got "
        f"y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}. The last layer "
        "needs one unit per class, and y_true one column per class."
    )


def _check_sparse_labels(labels: np.ndarray, y_pred: Tensor, axis: int) -> None:
    """One-hot, mis-shaped or out-of-range labels given to `sparse_categorical_crossentropy`."""
    num_classes = y_pred.shape[axis]
    expected = y_pred.shape[: axis % y_pred.ndim] + y_pred.shape[axis % y_pred.ndim + 1 :]
    if labels.shape == y_pred.shape and num_classes > 1:
        raise ValueError(
            "sparse_categorical_crossentropy: labels look one-hot: use "
            "categorical_crossentropy, or argmax them: y = y.argmax(axis=-1). (Got "
            f"y_true.shape={labels.shape}, the same as y_pred.shape={y_pred.shape}.)"
        )
    if labels.shape != expected:
        raise ValueError(
            f"sparse_categorical_crossentropy: y_true must hold one class index per sample, "
            f"of shape {expected} (or {(*expected, 1)}), got y_true.shape={labels.shape} "
            f"for y_pred.shape={y_pred.shape}."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"sparse_categorical_crossentropy: labels must be class indices in the range "
            f"[0, {num_classes - 1}] (y_pred has {num_classes} classes), got values from "
            f"{labels.min():g} to {labels.max():g}. Does the last layer have one unit per "
            "class? (Labels that start at 1 need y - 1.)"
        )


def _check_same_shape(name: str, y_true: Tensor, y_pred: Tensor) -> None:
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{name}: y_true and y_pred must have the same shape, got y_true.shape="
            f"{y_true.shape} and y_pred.shape={y_pred.shape}. For one sigmoid unit, "
            "give labels of shape (n, 1), or use the loss object, which lines them up."
        )


# --- functions --------------------------------------------------------------------------
def categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Cross-entropy between one-hot labels and predicted class probabilities.

    Formula: `loss = -sum(y_true * log(y_pred), axis=axis)`
    with `y_pred` renormalised and clipped to [ε, 1 - ε] (or `softmax(y_pred)` when
    `from_logits`). Label smoothing first mixes the labels with the uniform
    distribution: `y_true * (1 - s) + s / num_classes`.
    Gradient (with logits): `dL/dz = softmax(z) - y_true`.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type bool")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    _check_categorical_labels(y_true, y_pred)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: y_pred.shape="
            f"{y_pred.shape}. With one class the loss is always 0: consider "
            "'binary_crossentropy' if you only have 2 classes.",
            UserWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> Tensor:
    """Cross-entropy with integer class labels: the log-probability of the true class.

    Formula: `loss = -log(y_pred[y_true])`
    (the same number as categorical_crossentropy with `one_hot(y_true)`).
    Labels equal to `ignore_class` give a loss of 0 and are masked out of the mean.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    labels = np.asarray(as_array(y_true))
    if labels.ndim == y_pred.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class  # (batch, ...)
        labels = np.where(valid, labels, 0)
        # Ignored samples get harmless predictions (uniform), so that nothing below
        # divides by zero; their loss is replaced by 0 afterwards anyway.
        y_pred = ops.where(np.expand_dims(valid, axis), y_pred, 1.0)
    _check_sparse_labels(labels, y_pred, axis)
    losses = ops.sparse_categorical_crossentropy(
        labels.astype(np.int64), y_pred, from_logits=from_logits, axis=axis
    )
    if valid is not None:
        losses = ops.where(valid, losses, 0.0)
        losses._keras_mask = valid  # the Loss reduction averages over kept samples only
    return losses


def binary_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Cross-entropy of independent yes/no labels, averaged over `axis`.

    Formula: `loss = mean(-(y_true * log(p) + (1 - y_true) * log(1 - p)), axis=axis)`
    with `p = clip(y_pred, ε, 1 - ε)`, or `p = sigmoid(y_pred)` when `from_logits`.
    Label smoothing pulls labels towards ½: `y_true * (1 - s) + 0.5 * s`.
    Gradient (with logits): `dL/dz = (sigmoid(z) - y_true) / d`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def kl_divergence(y_true, y_pred) -> Tensor:
    """Kullback-Leibler divergence from the predicted to the true distribution.

    Formula: `loss = sum(y_true * log(y_true / y_pred), axis=-1)`
    with both clipped to [ε, 1].  Gradient: `dL/dy_pred = -y_true / y_pred` (inside the clip).
    """
    y_true, y_pred = prepare_pair("kl_divergence", y_true, y_pred, line_up=False)
    y_true = ops.clip(y_true, config.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, config.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(ops.divide(y_true, y_pred)), axis=-1)


def poisson(y_true, y_pred) -> Tensor:
    """Negative log-likelihood of counts `y_true` under a Poisson rate `y_pred` (up to a constant).

    Formula: `loss = mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`
    Gradient: `dL/dy_pred = (1 - y_true / (y_pred + ε)) / d`.
    """
    y_true, y_pred = prepare_pair("poisson", y_true, y_pred, line_up=False)
    return ops.mean(y_pred - y_true * ops.log(y_pred + config.epsilon()), axis=-1)


# --- classes ----------------------------------------------------------------------------
class BinaryCrossentropy(FixedFunctionLoss):
    """Binary cross-entropy for one or more independent yes/no labels (`binary_crossentropy`).

    Example:
        >>> loss = BinaryCrossentropy(from_logits=True)
        >>> loss([[0.0], [1.0]], [[-2.0], [3.0]])
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(FixedFunctionLoss):
    """Cross-entropy for one-hot labels (`categorical_crossentropy`)."""

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(FixedFunctionLoss):
    """Cross-entropy for integer class labels (`sparse_categorical_crossentropy`)."""

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["axis"]  # Keras 3 leaves `axis` out of this loss's config
        return config


class KLDivergence(FixedFunctionLoss):
    """Kullback-Leibler divergence (`kl_divergence`)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(FixedFunctionLoss):
    """Poisson loss for count targets (`poisson`)."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

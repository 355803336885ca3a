"""Overlap losses: how well does the predicted region cover the true one? (segmentation)

    loss      value, with I = Σ y·p the soft overlap of labels y and predictions p
    dice      1 - 2I / (Σ y + Σ p + ε)
    tversky   1 - I / (I + α·Σ y(1 - p) + β·Σ p(1 - y) + ε)

For a mask where the object covers 2% of the pixels, a model that predicts "background"
everywhere is 98% accurate and has a tiny cross-entropy, but its Dice loss is 1: these
losses measure the object, not the pixels. The sums run over `axis` (default: every
axis, one number for the whole batch; `axis=(1, 2, 3)` gives one value per image).
Tversky's α and β weigh the two kinds of error; α = β = ½ gives Dice.
"""

from __future__ import annotations

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor
from .loss import Loss, LossFunctionWrapper


# --- functions --------------------------------------------------------------------------
def dice(y_true, y_pred, axis=None) -> Tensor:
    """One minus the Dice coefficient (the F1 score of soft masks).

    Formula: `loss = 1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`
    with the sums over `axis` (None: all of them).
    Gradient: `dL/dy_pred = (2I - 2 y_true S) / S²`, with `I` the overlap and `S` the denominator.

    Example:
        >>> dice([[1.0, 1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0, 1.0]])  # 1 - 2·1/(2 + 2) = 0.5
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)  # I
    total = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + config.epsilon()  # S
    return 1 - ops.divide(2.0 * intersection, total)


def tversky(y_true, y_pred, alpha: float = 0.5, beta: float = 0.5, axis=None) -> Tensor:
    """One minus the Tversky index: Dice with the two kinds of error weighed apart.

    Formula: `loss = 1 - I / (I + alpha * sum(y_true * (1 - y_pred)) + beta * sum((1 - y_true) * y_pred) + epsilon)`
    with `I = sum(y_true * y_pred)` over `axis`. As Keras 3 computes it, `alpha` weighs
    the missed foreground Σ y(1 - p) and `beta` the false alarms Σ p(1 - y) (its docs name
    them the other way round); α = β = ½ gives `dice`.
    Gradient: `dL/dy_pred = -(y_true D - I (y_true (1 - α) + β (1 - y_true))) / D²`, `D` the denominator.

    Example:
        >>> tversky([[1.0, 1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0, 1.0]], alpha=0.7, beta=0.3)
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)  # I
    missed = ops.sum((1 - y_pred) * y_true, axis=axis)  # foreground predicted as background
    false_alarm = ops.sum(y_pred * (1 - y_true), axis=axis)  # background predicted as foreground
    index = ops.divide(
        intersection, intersection + missed * alpha + false_alarm * beta + config.epsilon()
    )
    return 1 - index


# --- classes ----------------------------------------------------------------------------
class Dice(LossFunctionWrapper):
    """Dice loss (`dice`); `axis=(1, 2, 3)` gives one value per image of a batch of masks."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Tversky loss (`tversky`): α and β trade missed foreground against false alarms."""

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}

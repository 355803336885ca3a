"""Focal losses: cross-entropy that turns down the easy examples (Lin et al., 2018).

    loss                              per sample
    binary_focal_crossentropy         mean over the last axis of (1 - p_t)^γ · bce       [· α_t]
    categorical_focal_crossentropy    Σ_c α · (1 - p_c)^γ · (-t_c ln p_c)

p_t is the probability the model gives to the true answer (p where the label is 1,
1 - p where it is 0). A confident right answer (p_t = 0.9) keeps only (0.1)² = 1% of
its cross-entropy at γ = 2, a wrong one (p_t = 0.1) keeps 81%: training spends its
effort on the examples it still gets wrong, which helps when one class is rare (a
detector's background). With γ = 0 (and no α) both are the plain cross-entropies.

As in `probabilistic_losses.py`, probabilities are clipped to [ε, 1 - ε]; with
`from_logits=True` the sigmoid/softmax is applied first (Keras 3 applies it, then
clips: the focal losses have no separate logits formula).
"""

from __future__ import annotations

import warnings

from .. import ops
from ..backend import config
from ..backend.tensor import Tensor
from .loss import Loss, LossFunctionWrapper
from .probabilistic_losses import _check_same_shape


# --- functions --------------------------------------------------------------------------
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Binary cross-entropy times the focal factor (1 - p_t)^γ, averaged over `axis`.

    Formula: `loss = mean((1 - p_t) ** gamma * bce(y_true, p), axis=axis)`
    with `p_t = y_true * p + (1 - y_true) * (1 - p)`, `p = y_pred` (or `sigmoid(y_pred)`
    when `from_logits`), and, when `apply_class_balancing`, each term also multiplied by
    `alpha` where `y_true = 1` and by `1 - alpha` where `y_true = 0`.
    Label smoothing first pulls labels towards ½: `y_true * (1 - s) + 0.5 * s`.
    Gradient (for y_true = 1, inside the clip): `dL/dp = (γ (1-p)^(γ-1) ln p - (1-p)^γ / p) / d`.

    Example:
        >>> binary_focal_crossentropy([[0.0, 1.0]], [[0.6, 0.4]], gamma=2.0)  # [0.330]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    _check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)

    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)  # (batch, ..., d)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)  # probability of the true answer
    focal_bce = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce  # α_t
    return ops.mean(focal_bce, axis=axis)


def categorical_focal_crossentropy(
    y_true,
    y_pred,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Categorical cross-entropy with each class's term weighted by α·(1 - p_c)^γ.

    Formula: `loss = sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis=axis)`
    with `p = y_pred / sum(y_pred)` clipped to [ε, 1 - ε] (or `softmax(y_pred)` when
    `from_logits`). `alpha` is one float, or one weight per class (e.g. inverse class
    frequencies). Label smoothing: `y_true * (1 - s) + s / num_classes`.
    Gradient (w.r.t. p_c, inside the clip): `dL/dp_c = α t_c (γ (1-p_c)^(γ-1) ln p_c - (1-p_c)^γ / p_c)`.

    Example:
        >>> categorical_focal_crossentropy([[0, 1, 0]], [[0.05, 0.9, 0.05]])  # [0.000263]
    """
    if isinstance(axis, bool):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    _check_one_hot("categorical_focal_crossentropy", y_true, y_pred)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Consider using 'binary_focal_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)

    p = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)  # each row sums to 1
    p = ops.clip(p, config.epsilon(), 1.0 - config.epsilon())
    cross_entropy = -y_true * ops.log(p)  # (batch, ..., classes)
    weight = ops.multiply(ops.power(1.0 - p, gamma), _as_weight(alpha, p.dtype))
    return ops.sum(weight * cross_entropy, axis=axis)


def _as_weight(alpha, dtype):
    """α as given: a Python number, or per-class weights as an array of the loss's dtype."""
    return alpha if isinstance(alpha, int | float) else ops.convert_to_tensor(alpha, dtype)


def _check_one_hot(name: str, y_true: Tensor, y_pred: Tensor) -> None:
    """Class-index labels given to a one-hot loss: say how to one-hot them."""
    if y_true.shape == y_pred.shape:
        return
    num_classes = y_pred.shape[-1] if y_pred.ndim else 1
    raise ValueError(
        f"{name}: y_true and y_pred must have the same shape, got y_true.shape={y_true.shape} "
        f"and y_pred.shape={y_pred.shape}. It takes one-hot labels: if yours are class "
        f"indices, one-hot them with to_categorical(y, {num_classes})."
    )


# --- classes ----------------------------------------------------------------------------
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal cross-entropy for yes/no labels (`binary_focal_crossentropy`).

    Example:
        >>> loss = BinaryFocalCrossentropy(gamma=2.0, from_logits=True)
        >>> loss([[0.0], [1.0]], [[-2.0], [3.0]])
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal cross-entropy for one-hot labels (`categorical_focal_crossentropy`)."""

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }

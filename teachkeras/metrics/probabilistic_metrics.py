"""Probabilistic and hinge metrics: the matching losses, averaged over the epoch.

These let you watch, say, the cross-entropy on validation data while training
with another loss. Each is a `MeanMetricWrapper` around the loss function of the
same name in `teachkeras.losses`; their configs hold Keras's keys.
"""

from __future__ import annotations

from ..losses import (
    binary_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from .reduction_metrics import FixedFunctionMetric


class KLDivergence(FixedFunctionMetric):
    """Mean Kullback-Leibler divergence (`kl_divergence`)."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)


class Poisson(FixedFunctionMetric):
    """Mean Poisson loss (`poisson`)."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=poisson, name=name, dtype=dtype)


class BinaryCrossentropy(FixedFunctionMetric):
    """Mean binary cross-entropy (`binary_crossentropy`)."""

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self._direction = "down"


class CategoricalCrossentropy(FixedFunctionMetric):
    """Mean categorical cross-entropy (`categorical_crossentropy`)."""

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self._direction = "down"


class SparseCategoricalCrossentropy(FixedFunctionMetric):
    """Mean sparse categorical cross-entropy (`sparse_categorical_crossentropy`)."""

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self._direction = "down"


class Hinge(FixedFunctionMetric):
    """Mean hinge loss (`hinge`)."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=hinge, name=name, dtype=dtype)
        self._direction = "down"


class SquaredHinge(FixedFunctionMetric):
    """Mean squared hinge loss (`squared_hinge`)."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)
        self._direction = "down"


class CategoricalHinge(FixedFunctionMetric):
    """Mean categorical hinge loss (`categorical_hinge`)."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

"""`BatchNormalization`: normalise each channel, with batch statistics in training and
moving averages of them at inference."""

from __future__ import annotations

import numpy as np

from ... import constraints, initializers, ops, regularizers
from ...backend.config import epsilon as fuzz_factor
from ...backend.normalization_ops import batch_normalization, batch_normalization_train
from ...legacy.renames import Change, accepts_renamed
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec
from ..layer import Layer


def _only_mode_0(mode):
    if mode != 0:
        raise ValueError(
            f"mode={mode} (Keras 1's sample-wise modes) no longer exists; only the feature-wise "
            "mode 0 remains, which is what BatchNormalization() does."
        )


# Keras 1 and tf.keras 2: BatchNormalization(beta_init=..., gamma_init=..., mode=0, fused=True)
KERAS1_BATCH_NORMALIZATION = {
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
    "mode": Change(
        None,
        convert=_only_mode_0,
        message="{owner}(mode=...) is Keras 1's: mode=0, the only mode left, is what {owner}() "
        "does. Remove the argument.",
    ),
    "fused": Change(
        None,
        message="{owner}(fused=...) was a TensorFlow speed option and has no effect: "
        "remove the argument.",
    ),
}


@accepts_renamed(KERAS1_BATCH_NORMALIZATION)  # old spellings become today's before __init__ runs
class BatchNormalization(Layer):
    """Keep each channel's activations centred and scaled: $y = \\gamma \\hat{x} + \\beta$.

    Formula:
        training=True:   x̂ = (x - mean(batch)) / √(var(batch) + ε)
        training=False:  x̂ = (x - moving_mean) / √(moving_variance + ε)
        after each training call:
            moving_mean     ← momentum · moving_mean     + (1 - momentum) · mean(batch)
            moving_variance ← momentum · moving_variance + (1 - momentum) · var(batch)

    `var(batch)` is the biased variance (divided by N, not N - 1), both for normalising
    and in the moving average, as in Keras 3. The statistics run over every axis but
    `axis`, so after a channels_last Conv2D (`(batch, h, w, c)`, the default `axis=-1`)
    each of the c channels gets its own mean over batch, height and width.

    Weights, in this order: `gamma` (γ, if `scale`), `beta` (β, if `center`), then
    `moving_mean` and `moving_variance`, which training does not touch through gradients:
    they count as non-trainable parameters, so `BatchNormalization` on 32 channels has
    64 trainable and 64 non-trainable parameters.

    A layer with `trainable = False` always runs in inference mode (Keras 3 behaviour:
    freezing it for fine-tuning also freezes its statistics).

    Args:
        axis: the channel axis (an int, or a list of ints): `-1` for channels_last,
            `1` after a channels_first convolution.
        momentum: weight of the old value in the moving averages.
        epsilon: added to the variance, so a constant channel does not divide by zero.
        center, scale: whether to learn β and γ.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: first values (zeros, ones, zeros, ones).
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint.
        synchronized: accepted and ignored (it syncs statistics across devices in
            TensorFlow's distributed training; there is one device here).

    Example:
        >>> bn = BatchNormalization()
        >>> y = bn(np.random.randn(32, 10) * 5 + 3, training=True)   # mean ≈ 0, std ≈ 1
    """

    def __init__(
        self,
        axis=-1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm: bool = False,
        renorm_clipping=None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if renorm:
            raise ValueError(
                "BatchNormalization(renorm=True) (batch renormalization) is not supported by "
                "teachkeras. Received: renorm=True"
            )
        self.axis = _validate_axis(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        if self.epsilon <= 0:
            raise ValueError(
                "BatchNormalization needs epsilon > 0 (it keeps √(var + ε) away from zero). "
                f"Received: epsilon={epsilon}"
            )
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape) -> None:
        rank = len(input_shape)
        self._channel_axes = self._resolve_axes(input_shape)  # e.g. (3,) for (n, h, w, c)
        self._reduction_axes = tuple(i for i in range(rank) if i not in self._channel_axes)
        shape = tuple(input_shape[a] for a in self._channel_axes)  # (c,)
        if None in shape:
            raise ValueError(
                f"BatchNormalization layer {self.name!r} needs to know the size of axis "
                f"{self.axis}, but the input shape is {tuple(input_shape)}."
            )
        if self.scale:
            self.gamma = self.add_weight(
                shape=shape,
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=shape,
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )
        self.moving_mean = self.add_weight(
            shape=shape,
            name="moving_mean",
            initializer=self.moving_mean_initializer,
            trainable=False,
            autocast=False,
        )
        self.moving_variance = self.add_weight(
            shape=shape,
            name="moving_variance",
            initializer=self.moving_variance_initializer,
            trainable=False,
            autocast=False,
        )
        self.input_spec = InputSpec(ndim=rank, axes={a: input_shape[a] for a in self._channel_axes})
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if training and self.trainable and mask is not None:  # padded steps left out
            mean, variance = self._masked_moments(inputs, mask)
            self._update_moving_statistics(mean, variance)
            return batch_normalization(
                inputs,
                mean,
                variance,
                axis=self._channel_axes,
                offset=self.beta,
                scale=self.gamma,
                epsilon=self.epsilon,
            )
        if training and self.trainable:
            outputs, mean, variance = batch_normalization_train(
                inputs, self.gamma, self.beta, axes=self._reduction_axes, epsilon=self.epsilon
            )
            self._update_moving_statistics(mean, variance)
            return outputs
        return batch_normalization(
            inputs,
            self.moving_mean,
            self.moving_variance,
            axis=self._channel_axes,
            offset=self.beta,
            scale=self.gamma,
            epsilon=self.epsilon,
        )

    def _masked_moments(self, inputs, mask):
        """The batch statistics over the kept steps only (Keras 3): with $m$ the mask,
        $μ = Σ m x / (Σ m + ε')$ and $σ^2 = Σ m (x - μ)^2 / (Σ m + ε')$, ε' = `epsilon()`.

        The mask is (batch, steps) for inputs (batch, steps, channels)."""
        if mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f"BatchNormalization layer {self.name!r}: the mask should have one axis fewer "
                f"than the inputs. Received: mask.shape={tuple(mask.shape)}, "
                f"inputs.shape={tuple(inputs.shape)}"
            )
        keep = np.broadcast_to(np.asarray(mask, bool)[..., None], inputs.shape)
        axes, eps = self._reduction_axes, fuzz_factor()
        count = keep.sum(axis=axes, keepdims=True).astype(inputs.dtype)  # (1, 1, channels)
        mean = ops.sum(ops.where(keep, inputs, 0.0), axis=axes, keepdims=True) / (count + eps)
        squared = ops.square(ops.where(keep, inputs - mean, 0.0))
        variance = ops.sum(squared, axis=axes, keepdims=True) / (count + eps)
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))  # (channels,)

    def _update_moving_statistics(self, mean, variance) -> None:
        """moving ← momentum · moving + (1 - momentum) · batch, on plain arrays.

        A state update, not part of the model's function: it works on NumPy values, so
        nothing is recorded and no gradient flows into the moving averages.
        """
        m = self.momentum
        self.moving_mean.assign(self.moving_mean.numpy() * m + mean.numpy() * (1.0 - m))
        self.moving_variance.assign(self.moving_variance.numpy() * m + variance.numpy() * (1.0 - m))

    def compute_output_shape(self, input_shape):
        self._resolve_axes(input_shape)  # the same clear error as build, for a bad axis
        return tuple(input_shape)

    def _resolve_axes(self, input_shape) -> tuple[int, ...]:
        """The channel axes as non-negative ints, checked against the input's rank."""
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(
                    f"BatchNormalization layer {self.name!r} got axis={self.axis}, but its "
                    f"input has rank {rank} (shape {tuple(input_shape)}), so the axis must be "
                    f"in [{-rank}, {rank - 1}]. axis=3 is the channel axis of 4-D images "
                    "(batch, height, width, channels); for 2-D data (batch, features) use the "
                    "default axis=-1."
                )
        return tuple(sorted({a % rank for a in axes}))

    def _input_hint(self, shape) -> str:
        return (
            " BatchNormalization keeps the input rank and channel count it was built with; "
            "use a new layer for inputs of another shape."
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize_keras_object(self.beta_initializer),
            "gamma_initializer": serialize_keras_object(self.gamma_initializer),
            "moving_mean_initializer": serialize_keras_object(self.moving_mean_initializer),
            "moving_variance_initializer": serialize_keras_object(self.moving_variance_initializer),
            "beta_regularizer": serialize_keras_object(self.beta_regularizer),
            "gamma_regularizer": serialize_keras_object(self.gamma_regularizer),
            "beta_constraint": serialize_keras_object(self.beta_constraint),
            "gamma_constraint": serialize_keras_object(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _validate_axis(axis):
    """An int, or a list of ints (Keras 2 allowed several channel axes)."""
    if isinstance(axis, list | tuple):
        if not axis or not all(_is_int(a) for a in axis):
            raise TypeError(
                f"BatchNormalization expects axis to be an int or a list of ints. Received: axis={axis}"
            )
        return [int(a) for a in axis]
    if not _is_int(axis):
        raise TypeError(
            f"BatchNormalization expects axis to be an int or a list of ints. Received: axis={axis!r}"
        )
    return int(axis)


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)

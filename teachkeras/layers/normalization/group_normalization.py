"""`GroupNormalization`: normalise groups of channels within each sample (Wu & He, 2018)."""

from __future__ import annotations

from ... import constraints, initializers, ops, regularizers
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec
from ..layer import Layer


class GroupNormalization(Layer):
    """Split the channels into `groups`; normalise each group of each sample on its own.

    Formula, for sample n and group g (its channels, and every position of them):
        x̂ = (x - μ_{n,g}) / √(σ²_{n,g} + ε),   y = γ x̂ + β   (γ, β: one per channel)

    No batch statistics: it behaves the same in training and at inference and for any
    batch size, which is why it replaces BatchNormalization when batches are small.
    `groups=1` is LayerNormalization over all features; `groups=-1` (one channel per
    group) is InstanceNormalization. The computation is `ops.moments` on a view of x
    with the channel axis split in two, (..., groups, channels_per_group), so the
    gradient comes from the ops.

    Args:
        groups: the number of groups (it must divide the number of channels), or -1 for
            one group per channel. Default 32.
        axis: the channel axis (default -1).
        epsilon: ε, added to the variance (default 1e-3).
        center, scale: learn β and γ.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
            beta_constraint, gamma_constraint: for β and γ.

    Example:
        >>> GroupNormalization(groups=4)(np.random.rand(2, 8, 8, 16)).shape
        (2, 8, 8, 16)
    """

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ) -> None:
        if (
            not isinstance(groups, int)
            or isinstance(groups, bool)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer "
                f"(or `-1` for instance normalization). Received: groups={groups}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        self._check_axis(input_shape)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: axis {self.axis} of the input should have "
                f"a defined dimension but the layer received an input with shape {input_shape}."
            )
        groups = channels if self.groups == -1 else self.groups
        if channels < groups or channels % groups:
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: {channels} channels (axis {self.axis} "
                f"of {input_shape}) cannot be split into groups={groups} equal groups. Use a "
                f"number of groups that divides {channels}, e.g. "
                f"{[g for g in range(1, channels + 1) if channels % g == 0]}."
            )
        self._group_count = groups
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )

    def call(self, inputs):
        axis = self.axis % inputs.ndim
        groups = self._group_count
        per_group = inputs.shape[axis] // groups
        # (..., channels, ...) -> (..., groups, channels_per_group, ...): a group per slice
        grouped_shape = (*inputs.shape[:axis], groups, per_group, *inputs.shape[axis + 1 :])
        grouped = ops.reshape(inputs, (-1, *grouped_shape[1:]))
        statistic_axes = [a for a in range(1, grouped.ndim) if a != axis]  # all but batch, group
        mean, variance = ops.moments(grouped, axes=statistic_axes, keepdims=True)
        inverse = ops.rsqrt(variance + self.epsilon)  # 1 / √(σ² + ε), per sample and group
        # γ and β are per channel: shaped (groups, per_group) at the group axes
        parameter_shape = [1] * grouped.ndim
        parameter_shape[axis : axis + 2] = [groups, per_group]
        if self.gamma is not None:
            inverse = inverse * ops.reshape(self.gamma, parameter_shape)
        shift = -mean * inverse
        if self.beta is not None:
            shift = shift + ops.reshape(self.beta, parameter_shape)
        outputs = grouped * inverse + shift  # γ (x - μ) / √(σ² + ε) + β
        return ops.reshape(outputs, (-1, *inputs.shape[1:]))

    def compute_output_shape(self, input_shape):
        self._check_axis(input_shape)
        return input_shape

    def _check_axis(self, input_shape) -> None:
        if (
            not -len(input_shape) <= self.axis < len(input_shape)
            or self.axis % len(input_shape) == 0
        ):
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: axis {self.axis} is not a channel axis "
                f"of input shape {tuple(input_shape)} (axis 0 is the batch). Received: axis={self.axis}"
            )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize_keras_object(self.beta_initializer),
            "gamma_initializer": serialize_keras_object(self.gamma_initializer),
            "beta_regularizer": serialize_keras_object(self.beta_regularizer),
            "gamma_regularizer": serialize_keras_object(self.gamma_regularizer),
            "beta_constraint": serialize_keras_object(self.beta_constraint),
            "gamma_constraint": serialize_keras_object(self.gamma_constraint),
        }

"""`PReLU`: a leaky ReLU whose negative slope is learned (He et al., 2015)."""

from __future__ import annotations

from ... import constraints, initializers, ops, regularizers
from ...legacy.renames import accepts_renamed
from ...serialization.keras_objects import serialize_keras_object
from ..input_spec import InputSpec
from ..layer import Layer


@accepts_renamed({"init": "alpha_initializer"})  # Keras 1: PReLU(init='zero')
class PReLU(Layer):
    """$y = x$ for $x > 0$, $y = α x$ otherwise, with a learned slope α per input unit.

    Written as $y = \\mathrm{relu}(x) - α\\,\\mathrm{relu}(-x)$, so the gradient comes from
    the ops: $\\partial y/\\partial x = 1$ or $α$, $\\partial y/\\partial α = \\min(x, 0)$.
    By default α has the shape of one sample (every unit its own slope, starting at 0,
    i.e. a plain ReLU); `shared_axes` gives axes one slope for all their positions, e.g.
    `shared_axes=[1, 2]` for one slope per channel of an image.

    Args:
        alpha_initializer: how α starts (default zeros).
        alpha_regularizer, alpha_constraint: a penalty on α, a projection after each update.
        shared_axes: axes (counted from 1, after the batch) along which α is shared.

    Example:
        >>> layer = PReLU(shared_axes=[1, 2])
        >>> layer(np.ones((2, 28, 28, 32))); layer.alpha.shape
        (1, 1, 32)
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged (Keras 3)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, list | tuple):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        shared = self._shared_axes(len(input_shape))
        alpha_shape = [
            1 if axis in shared else input_shape[axis] for axis in range(1, len(input_shape))
        ]
        if None in alpha_shape:
            raise ValueError(
                f"PReLU layer {self.name!r} learns one slope per input unit, so it needs to know "
                f"the size of every axis but the batch, but got shape {input_shape}. Share the "
                "unknown axes (shared_axes=[...]) or give the input a fixed shape."
            )
        self.alpha = self.add_weight(
            name="alpha",
            shape=alpha_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {a: input_shape[a] for a in range(1, len(input_shape)) if a not in shared}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def _shared_axes(self, ndim: int) -> set[int]:
        shared = {a % ndim for a in self.shared_axes or ()}
        if 0 in shared:
            raise ValueError(
                f"PReLU layer {self.name!r}: shared_axes={self.shared_axes} names the batch axis "
                "(0); axes are counted from 1, e.g. shared_axes=[1, 2] to share over height "
                "and width."
            )
        return shared

    def call(self, inputs):
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": serialize_keras_object(self.alpha_initializer),
            "alpha_regularizer": serialize_keras_object(self.alpha_regularizer),
            "alpha_constraint": serialize_keras_object(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }

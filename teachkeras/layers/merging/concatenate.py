"""`Concatenate` and `concatenate`: join tensors side by side along one axis."""

from __future__ import annotations

from ... import ops
from .base_merge import Merge, _check_masks, _listing


class Concatenate(Merge):
    """Join a list of tensors along `axis`; every other axis must have the same size.

    Shapes: `(batch, 4)` and `(batch, 3)` give `(batch, 7)` with the default `axis=-1`;
    two channels_last feature maps `(batch, h, w, 16)` and `(batch, h, w, 32)` give
    `(batch, h, w, 48)`.

    The gradient of a concatenation is the slice of `g` that each input contributed.

    Args:
        axis: the axis to join along (counted with the batch axis; -1 is the last).

    Example:
        >>> y = Concatenate()([Dense(4)(x), Dense(3)(x)])     # (None, 7)
    """

    def __init__(self, axis: int = -1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape) -> None:
        # Concatenating along axis 0 joins batches, so batch sizes may differ here.
        shapes = self._check_list_of_shapes(input_shape, same_batch=False)
        axis = self._concat_axis(shapes)
        for d in range(len(shapes[0])):
            sizes = {s[d] for s in shapes} - {None}
            if d != axis and len(sizes) > 1:
                differing = " vs ".join(str(size) for size in sorted(sizes))
                raise ValueError(
                    "A `Concatenate` layer requires inputs with matching shapes except for "
                    f"the concatenation axis. Layer {self.name!r} received shapes "
                    f"{_listing(shapes)}: they differ on axis {d} ({differing}), "
                    f"but are joined along axis {self.axis}. Check the axis "
                    "(channels_first feature maps join on axis=1), or resize one input first."
                )
        self._reshape_required = False
        self.built = True

    def _merge_function(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = self._check_list_of_shapes(input_shape, same_batch=False)
        axis = self._concat_axis(shapes)
        output = list(shapes[0])
        sizes = [s[axis] for s in shapes]
        output[axis] = None if None in sizes else sum(sizes)
        return tuple(output)

    def compute_mask(self, inputs, mask=None):
        """The masks joined like the inputs, then one step kept where any feature is (Keras 3):
        an input without a mask counts as all True; a mask (batch, steps) of an input
        (batch, steps, features) is first spread over its features."""
        masks = _check_masks(self, inputs, mask)
        if masks is None:
            return None
        spread = []
        for x, m in zip(inputs, masks, strict=True):
            if m is None:
                m = ops.ones_like(x, dtype="bool")  # (batch, steps, features)
            elif m.ndim < x.ndim:
                m = ops.broadcast_to(ops.expand_dims(m, -1), x.shape)  # (batch, steps, features)
            spread.append(m)
        return ops.any(ops.concatenate(spread, axis=self.axis), axis=-1)

    def _concat_axis(self, shapes: list[tuple]) -> int:
        """The axis as a non-negative int, after checking that all ranks agree."""
        ranks = {len(s) for s in shapes}
        if len(ranks) > 1:
            raise ValueError(
                "A `Concatenate` layer requires inputs with matching shapes except for the "
                f"concatenation axis. Layer {self.name!r} received shapes {_listing(shapes)}, "
                "which have different ranks. Reshape (or Flatten) them to the same rank first."
            )
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Concatenate layer {self.name!r} got axis={self.axis}, but its inputs have "
                f"rank {rank} (shapes {_listing(shapes)}): use an axis in [{-rank}, {rank - 1}]."
            )
        return self.axis % rank

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional form of `Concatenate`: `concatenate([x1, x2], axis=-1)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)

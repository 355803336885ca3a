"""`Permute`: reorder the axes of each sample (the batch axis stays first)."""

from __future__ import annotations

from ... import ops
from ..input_spec import InputSpec
from ..layer import Layer


class Permute(Layer):
    """(batch, d1, d2, ...) -> (batch, d_dims[0], d_dims[1], ...): `ops.transpose`.

    `dims` numbers the axes from 1 (0 is the batch), so `Permute((2, 1))` swaps the two
    axes of a sequence: (batch, steps, features) -> (batch, features, steps). Its
    gradient is the inverse permutation of the upstream gradient.

    Args:
        dims: a permutation of 1, ..., n for an input of n axes besides the batch.

    Example:
        >>> Permute((2, 1))(np.ones((4, 10, 64))).shape
        (4, 64, 10)
    """

    def __init__(self, dims, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1 (0 is the batch axis, which "
                f"stays in place). Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def _input_hint(self, shape) -> str:
        return (
            f" Permute(dims={self.dims}) reorders {len(self.dims)} axes besides the batch, so "
            f"it needs inputs of {len(self.dims) + 1} axes."
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}

"""`Reshape`: give each sample a new shape with the same number of values."""

from __future__ import annotations

import math

from ... import ops
from ..layer import Layer


class Reshape(Layer):
    """(batch, *any) -> (batch, *target_shape); one entry of `target_shape` may be -1."""

    def __init__(self, target_shape, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(
                f"Reshape: only one -1 is allowed in target_shape, got {self.target_shape}."
            )

    def call(self, inputs):
        size = math.prod(inputs.shape[1:])
        target = self._resolve(size, inputs.shape)
        return ops.reshape(inputs, (inputs.shape[0], *target))

    def _resolve(self, size, input_shape) -> tuple:
        """Fill in the -1 and check that the sizes agree."""
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size is None:
                return tuple(None if d == -1 else d for d in self.target_shape)
            if known == 0 or size % known:
                raise self._mismatch(input_shape)
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if size is not None and size != known:
            raise self._mismatch(input_shape)
        return self.target_shape

    def _mismatch(self, input_shape) -> ValueError:
        return ValueError(
            f"Layer {self.name!r}: cannot reshape an input of shape {tuple(input_shape)} "
            f"({math.prod(d for d in input_shape[1:] if d)} values per sample) to target_shape "
            f"{self.target_shape}: the number of values must stay the same."
        )

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], *self._resolve(size, input_shape))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}

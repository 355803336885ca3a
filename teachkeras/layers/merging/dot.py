"""`Dot` and `dot`: the dot product of two tensors, sample by sample.

For two batches of vectors `(batch, n)` it gives `(batch, 1)`: one number per sample,
$y_b = \\sum_i x_{1,bi}\\, x_{2,bi}$. With `normalize=True` the vectors are first
scaled to length 1, so the result is their cosine similarity.
"""

from __future__ import annotations

from ... import ops
from ...backend import config
from ...backend.tensor import Tensor
from .base_merge import Merge


class Dot(Merge):
    """The dot product of two tensors along `axes`, for each sample of the batch.

    Shapes: with `axes=(1, 2)`, `(batch, 3, 5)` and `(batch, 10, 3)` give `(batch, 5, 10)`:
    the summed axes disappear, the rest of the first input's axes come first, then the
    second's (batch axis once). A result of rank 1 becomes `(batch, 1)`.

    Args:
        axes: an int (the same axis in both inputs) or a pair `(axis_1, axis_2)`. The two
            axes must have the same size; the batch axis 0 cannot be one of them.
        normalize: L2-normalise both inputs along the axes first: $x / \\max(\\|x\\|, ε)$,
            so the output is the cosine similarity.

    Example:
        >>> y = Dot(axes=1)([a, b])          # (batch, n), (batch, n) -> (batch, 1)
    """

    def __init__(self, axes, normalize: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, list | tuple):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize

    def build(self, input_shape) -> None:
        shape1, shape2 = self._check_two_shapes(input_shape)
        a1, a2 = self._resolve_axes(len(shape1), len(shape2))
        if shape1[a1] is not None and shape2[a2] is not None and shape1[a1] != shape2[a2]:
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[a1]} (at axis {a1}) != "
                f"{shape2[a2]} (at axis {a2}). Full input shapes: {shape1}, {shape2}. "
                f"Layer {self.name!r} multiplies the two axes entry by entry, so their sizes "
                "must match: choose axes=(i, j) with shape1[i] == shape2[j]."
            )
        self._reshape_required = False
        self.built = True

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on exactly 2 inputs. Received {len(inputs)}."
            )
        x1, x2 = inputs
        a1, a2 = self._resolve_axes(x1.ndim, x2.ndim)
        if self.normalize:
            x1, x2 = l2_normalize(x1, a1), l2_normalize(x2, a2)
        return batch_dot(x1, x2, (a1, a2))

    def compute_mask(self, inputs, mask=None):
        """No mask: the dot product sums the time steps away (Keras 3)."""
        return None

    def compute_output_shape(self, input_shape):
        shape1, shape2 = self._check_two_shapes(input_shape)
        a1, a2 = self._resolve_axes(len(shape1), len(shape2))
        rest1 = [d for i, d in enumerate(shape1) if i != a1]  # batch axis and the free axes
        rest2 = [d for i, d in enumerate(shape2) if i not in (0, a2)]
        output = rest1 + rest2
        return tuple(output if len(output) > 1 else [*output, 1])

    def _check_two_shapes(self, input_shape) -> tuple[tuple, tuple]:
        shapes = self._check_list_of_shapes(input_shape)
        if len(shapes) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on a list of 2 inputs. Layer {self.name!r} "
                f"received: input_shape={input_shape}"
            )
        return shapes[0], shapes[1]

    def _resolve_axes(self, rank1: int, rank2: int) -> tuple[int, int]:
        """`axes` as two non-negative ints, and never the batch axis."""
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        resolved = []
        for axis, rank in zip(axes, (rank1, rank2), strict=True):
            if not -rank <= axis < rank:
                raise ValueError(
                    f"Dot layer {self.name!r} got axes={self.axes}, out of bounds for inputs of "
                    f"ranks {rank1} and {rank2}."
                )
            resolved.append(axis % rank)
        if 0 in resolved:
            raise ValueError(
                f"Cannot perform batch_dot over axis 0 (layer {self.name!r}, axes={self.axes}). "
                "Axis 0 is the batch axis: the dot product is taken inside each sample. If your "
                "inputs are not batched, add a batch axis with x[None]."
            )
        return resolved[0], resolved[1]

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def batch_dot(x, y, axes: tuple[int, int]) -> Tensor:
    """$z_b = \\sum_k x_{b,\\dots,k}\\, y_{b,k,\\dots}$ for each sample b: one batched matmul.

    Move x's summed axis last and y's to position 1, flatten the other axes of each
    into one, multiply `(batch, m, k) @ (batch, k, n)`, and unflatten `(batch, m, n)`.
    """
    a1, a2 = axes
    free1 = [d for i, d in enumerate(x.shape) if i not in (0, a1)]  # x's axes that stay
    free2 = [d for i, d in enumerate(y.shape) if i not in (0, a2)]  # y's axes that stay
    batch, k = x.shape[0], x.shape[a1]
    x = ops.transpose(x, [i for i in range(x.ndim) if i != a1] + [a1])  # (batch, *free1, k)
    y = ops.transpose(y, [0, a2] + [i for i in range(1, y.ndim) if i != a2])  # (batch, k, *free2)
    x = ops.reshape(x, (batch, -1, k))  # (batch, m, k)
    y = ops.reshape(y, (batch, k, -1))  # (batch, k, n)
    z = ops.matmul(x, y)  # (batch, m, n)
    return ops.reshape(z, (batch, *free1, *free2) if free1 or free2 else (batch, 1))


def l2_normalize(x, axis: int) -> Tensor:
    """$x / \\max(\\|x\\|_2, ε)$ along `axis` (ε = `keras.config.epsilon()`), as Keras's `normalize`.

    Written as $x / \\sqrt{\\max(\\sum x^2, ε^2)}$: the same value, and a finite gradient
    for an all-zero vector.
    """
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, config.epsilon() ** 2)))


def dot(inputs, axes=-1, **kwargs):
    """Functional form of `Dot`: `dot([x1, x2], axes=1)`."""
    return Dot(axes=axes, **kwargs)(inputs)

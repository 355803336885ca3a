"""`Merge`: the base of the layers that combine a list of tensors into one.

    y = Add()([x1, x2])            # skip connections: y = x1 + x2
    y = Concatenate()([x1, x2])    # two branches side by side

A merge layer is called on a LIST of tensors, so its `build` and
`compute_output_shape` receive a list of shapes, e.g. `[(None, 4), (None, 4)]`.
The element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum) follow
NumPy's broadcasting rules on the axes after the batch axis: sizes must be equal or 1.
Inputs of different rank get length-1 axes inserted after the batch axis until the
ranks match (Keras 3's rule), so `(batch, 5)` merges with `(batch, 3, 5)`.
"""

from __future__ import annotations

from ... import ops
from ...backend.tensor import Tensor
from ..layer import Layer


class Merge(Layer):
    """Base class of element-wise merge layers: subclasses write `_merge_function`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list[Tensor]) -> Tensor:
        raise NotImplementedError

    def build(self, input_shape) -> None:
        shapes = self._check_list_of_shapes(input_shape)
        self._elementwise_output_shape(shapes)  # raises, naming the shapes, if they clash
        # Inputs of different ranks need length-1 axes before they broadcast.
        self._reshape_required = len({len(s) for s in shapes}) > 1
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, list | tuple):
            raise ValueError(
                f"A merge layer should be called on a list of inputs, but {self.name!r} got "
                f"{type(inputs).__name__} {getattr(inputs, 'shape', '')}. "
                f"Write {type(self).__name__}()([x1, x2])."
            )
        inputs = list(inputs)
        if self._reshape_required:
            # (batch, 5) and (batch, 3, 5): insert axes after the batch axis -> (batch, 1, 5)
            max_rank = max(x.ndim for x in inputs)
            for i, x in enumerate(inputs):
                for _ in range(max_rank - x.ndim):
                    x = ops.expand_dims(x, 1)
                inputs[i] = x
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        shapes = self._check_list_of_shapes(input_shape)
        return self._elementwise_output_shape(shapes)

    def compute_mask(self, inputs, mask=None):
        """A step is kept where any input keeps it (Keras 3: the masks OR-ed), and there is
        no mask as soon as one input has none."""
        masks = _check_masks(self, inputs, mask)
        if masks is None or any(m is None for m in masks):
            return None
        output_mask = masks[0]
        for m in masks[1:]:
            output_mask = ops.logical_or(output_mask, m)
        return output_mask

    # --- shape rules -------------------------------------------------------------------
    def _check_list_of_shapes(self, input_shape, same_batch: bool = True) -> list[tuple]:
        """The input shapes as a list of tuples, or a clear error for a single tensor."""
        if not isinstance(input_shape, list | tuple) or not all(
            isinstance(s, list | tuple) for s in input_shape
        ):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Layer {self.name!r} "
                f"received: input_shape={input_shape} (not a list of shapes). "
                f"Write {type(self).__name__}()([x1, x2])."
            )
        if len(input_shape) < 1:
            raise ValueError(
                f"A merge layer should be called on a list of at least 1 input. Layer "
                f"{self.name!r} received an empty list."
            )
        shapes = [tuple(s) for s in input_shape]
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if same_batch and len(batch_sizes) > 1:
            raise ValueError(
                f"Cannot merge tensors with different batch sizes. Layer {self.name!r} "
                f"received tensors with shapes {_listing(shapes)}."
            )
        return shapes

    def _elementwise_output_shape(self, shapes: list[tuple]) -> tuple:
        """Broadcast the shapes (batch axis apart) from the right, as NumPy does."""
        output = shapes[0][1:]
        for shape in shapes[1:]:
            output = self._broadcast(output, shape[1:], shapes)
        batch_sizes = {s[0] for s in shapes if s} - {None}
        batch = batch_sizes.pop() if batch_sizes else None
        return (batch, *output)

    def _broadcast(self, shape1: tuple, shape2: tuple, all_shapes: list[tuple]) -> tuple:
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return shape1
        output = list(shape1[: -len(shape2)])
        for i, j in zip(shape1[-len(shape2) :], shape2, strict=True):
            if i is None or j is None:
                output.append(None)
            elif i == 1 or j == 1:
                output.append(j if i == 1 else i)
            elif i != j:
                raise ValueError(
                    f"Inputs have incompatible shapes. Layer {self.name!r} "
                    f"({type(self).__name__}) received shapes {_listing(all_shapes)}: sizes "
                    f"{i} and {j} differ (each axis after the batch axis must match, or be 1). "
                    "To join tensors of different sizes, use Concatenate; to add a skip "
                    "connection of another width, project it first, e.g. with Dense or a 1x1 "
                    "Conv2D."
                )
            else:
                output.append(i)
        return tuple(output)


def _check_masks(layer: Layer, inputs, mask) -> list | None:
    """The list of input masks (None if no input has one), checked against the inputs."""
    if mask is None:
        return None
    if not isinstance(mask, list | tuple) or not isinstance(inputs, list | tuple):
        raise ValueError(
            f"Merge layer {layer.name!r}: `mask` and `inputs` should both be lists. "
            f"Received: mask={mask!r}"
        )
    if len(mask) != len(inputs):
        raise ValueError(
            f"Merge layer {layer.name!r}: the lists `inputs` and `mask` should have the same "
            f"length. Received {len(inputs)} inputs and {len(mask)} masks."
        )
    return None if all(m is None for m in mask) else list(mask)


def _listing(shapes: list[tuple]) -> str:
    """`(None, 4) and (None, 5)`, or `(None, 4), (None, 4) and (None, 5)`."""
    text = [str(tuple(s)) for s in shapes]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]

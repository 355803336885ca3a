"""`OpLayer`: one op applied to symbolic tensors inside a functional model.

In Keras 3 an op is a step of a functional model like a layer is:

    x = Input((4,))
    y = Dense(3)(x)[:, 0] * 2         # a slice and a product, on symbolic tensors
    model = Model(x, y)

Each operator on a `KerasTensor` makes an `OpLayer` that remembers the op and its
other arguments (the constants: `2`, the slice), and is called on the symbolic inputs,
so the graph records it as a node. When the model runs, the layer calls the op on
real values. It has no weights, and it is not listed in `model.layers` (as in Keras 3).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...backend import array_ops
from ...backend.naming import unique_name
from ...backend.shape_inference import infer_output_specs
from ...backend.tensor import Tensor
from ..keras_tensor import KerasTensor
from ..layer import Layer


class _Slot:
    """Where the i-th symbolic input goes among the op's arguments."""

    def __init__(self, index: int) -> None:
        self.index = index


class OpLayer(Layer):
    """Applies `op(*arguments)`, with the layer's inputs in the places marked by slots.

    Args:
        op: the op (e.g. `ops.multiply`, or the indexing op behind `x[...]`).
        arguments: the op's positional arguments, `_Slot(i)` standing for input i.
    """

    def __init__(self, op: Callable, arguments: tuple, **kwargs) -> None:
        kwargs.setdefault("autocast", False)  # values pass through as they are
        super().__init__(name=kwargs.pop("name", None) or unique_name(_op_name(op)), **kwargs)
        self.op = op
        self.arguments = arguments

    @classmethod
    def apply(cls, op: Callable, operands: tuple) -> KerasTensor:
        """Record `op(*operands)`, where some operands are KerasTensors: a new node."""
        inputs = [x for x in operands if isinstance(x, KerasTensor)]
        slots = iter(range(len(inputs)))
        arguments = tuple(_Slot(next(slots)) if isinstance(x, KerasTensor) else x for x in operands)
        return cls(op, arguments)(inputs)

    def call(self, inputs):
        values = list(inputs)
        return self.op(*(values[a.index] if isinstance(a, _Slot) else a for a in self.arguments))

    def _pass_mask_on(self, inputs, outputs, previous_mask) -> None:
        """An op is not a layer in Keras 3: its result carries no mask, and no warning says so."""

    def compute_output_spec(self, inputs):
        """The symbolic outputs, found by running the op on zeros of the inputs' shapes
        (twice, to tell which axes depend on the unknown batch size)."""
        shapes = [t.shape for t in inputs]
        unknown = any(d is None for shape in shapes for d in shape)

        def run(size: int):
            zeros = [
                Tensor(np.zeros(tuple(size if d is None else d for d in t.shape), t.dtype))
                for t in inputs
            ]
            return self.call(zeros)

        try:
            specs, several = infer_output_specs(run, unknown)
        except (ValueError, TypeError, IndexError) as error:
            raise ValueError(
                f"{self.name} cannot be applied to symbolic inputs of shapes {shapes} "
                f"(None = unknown size): {error}"
            ) from error
        outputs = [KerasTensor(shape, dtype) for shape, dtype in specs]
        return outputs if several else outputs[0]

    def compute_output_shape(self, input_shapes):
        return self.compute_output_spec([KerasTensor(s, self.dtype) for s in input_shapes]).shape

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"A model containing `{self.name}` applied to symbolic tensors (an operator such as "
            "x * 2 or x[:, 0] between layers) cannot be saved by teachkeras yet. Write the op "
            "inside a layer (a Layer subclass whose call() applies it) to save the model."
        )


def _op_name(op: Callable) -> str:
    if op is array_ops.getitem:
        return "get_item"
    return getattr(op, "__name__", type(op).__name__)

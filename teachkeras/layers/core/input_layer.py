"""`Input` and `InputLayer`: where a model's data enters.

`Input(shape=(4,))` makes a symbolic tensor of shape `(None, 4)`: `None` is the batch
axis, whose size is only known when data arrives.
"""

from __future__ import annotations

from ...legacy.renames import accepts_renamed
from ..keras_tensor import KerasTensor
from ..layer import Layer, _as_shape, _dtype_name
from ..node import Node


# Keras 2: InputLayer(input_shape=(4,)) and InputLayer(batch_input_shape=(32, 4)).
@accepts_renamed({"input_shape": "shape", "batch_input_shape": "batch_shape"})
class InputLayer(Layer):
    """The layer that holds a model's input tensor (it computes nothing).

    Args:
        shape: the shape of one sample, without the batch axis, e.g. `(28, 28, 1)`.
        batch_size: fixed batch size, if any.
        batch_shape: the full shape including the batch axis (instead of the two above).
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> None:
        if sparse:
            raise ValueError("Sparse inputs are not supported by teachkeras.")
        if batch_shape is None:
            if shape is None:
                raise ValueError(
                    "You must pass a `shape` argument to Input/InputLayer, e.g. Input(shape=(4,))."
                )
            batch_shape = (batch_size, *_as_shape(shape))
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self.optional = optional
        self._dtype = _dtype_name(dtype)
        self.built = True
        self.output_tensor = KerasTensor(self.batch_shape, self._dtype, name=self.name)
        Node(self, [], self.output_tensor, {})

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self.batch_shape

    def get_config(self) -> dict:
        return {
            "batch_shape": self.batch_shape,
            "dtype": self.dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config: dict) -> InputLayer:
        config = dict(config)
        config.pop("ragged", None)
        return cls(**config)


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name: str | None = None,
    tensor=None,
    optional: bool = False,
    **kwargs,
) -> KerasTensor:
    """A symbolic input tensor: `Input(shape=(4,))` has shape `(None, 4)`.

    Example:
        >>> x = Input(shape=(4,))
        >>> y = Dense(8)(x)          # (None, 8)
        >>> model = Model(x, y)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        optional=optional,
        **kwargs,
    )
    return layer.output_tensor

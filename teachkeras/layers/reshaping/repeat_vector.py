"""`RepeatVector`: one vector per sample becomes a sequence of `n` copies of it."""

from __future__ import annotations

from ... import ops
from ..input_spec import InputSpec
from ..layer import Layer


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features), each step a copy of the input.

    The bridge of a Keras 2 sequence-to-sequence model: an encoder's last state,
    repeated once per output step, feeds a decoder LSTM. The gradient adds the n
    copies' gradients up.

    Args:
        n: the number of copies (time steps).

    Example:
        >>> RepeatVector(3)(np.ones((2, 32))).shape
        (2, 3, 32)
    """

    def __init__(self, n: int, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)  # (batch, n, features)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def _input_hint(self, shape) -> str:
        if len(shape) == 3:
            return (
                " RepeatVector repeats one vector per sample; this input is already a "
                "sequence (batch, steps, features). Give it the encoder's last output "
                "(an LSTM without return_sequences), or Flatten first."
            )
        return " RepeatVector expects (batch, features)."

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}

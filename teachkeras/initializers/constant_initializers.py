"""Initializers that need no randomness: zeros, ones, a constant, the identity matrix.

Zeros is the usual choice for biases. For kernels it is a trap: every unit of a
layer then computes the same thing and receives the same gradient, so they stay
identical forever. That is why kernels start random (see `random_initializers.py`).
"""

from __future__ import annotations

import numpy as np

from .initializer import Initializer, standardize_dtype, standardize_shape


class Zeros(Initializer):
    """Fill with 0.

    Example:
        >>> Zeros()((2, 2))          # array([[0., 0.], [0., 0.]], dtype=float32)
    """

    def __call__(self, shape, dtype=None) -> np.ndarray:
        return np.zeros(standardize_shape(shape, "Zeros"), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fill with 1 (BatchNormalization's gamma starts here)."""

    def __call__(self, shape, dtype=None) -> np.ndarray:
        return np.ones(standardize_shape(shape, "Ones"), dtype=standardize_dtype(dtype))


class Constant(Initializer):
    """Fill with `value` (a scalar, or an array that broadcasts to the shape).

    Example:
        >>> Constant(10.0)((2, 2))    # array([[10., 10.], [10., 10.]], dtype=float32)
    """

    def __init__(self, value=0.0) -> None:
        self.value = value

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "Constant")
        value = np.asarray(self.value, dtype=standardize_dtype(dtype))
        try:
            return np.broadcast_to(value, shape).copy()
        except ValueError:
            raise ValueError(
                f"Constant initializer: a value of shape {value.shape} cannot fill a weight "
                f"of shape {shape}. Use a scalar, or an array that broadcasts to the shape."
            ) from None

    def get_config(self) -> dict:
        value = self.value
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, np.ndarray):
            # The way Keras 3 writes a NumPy value into a JSON config.
            value = {
                "class_name": "__numpy__",
                "config": {"value": value.tolist(), "dtype": str(value.dtype)},
            }
        return {"value": value}

    @classmethod
    def from_config(cls, config: dict) -> Constant:
        value = config["value"]
        if isinstance(value, dict) and value.get("class_name") == "__numpy__":
            value = np.asarray(value["config"]["value"], dtype=value["config"]["dtype"])
        return cls(value)


class Identity(Initializer):
    """`gain` times the identity matrix (2-D weights only; a rectangle gets ones on its diagonal).

    Used for recurrent kernels, so that at first a state is carried over unchanged.
    """

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "Identity")
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}. "
                "For a convolution kernel use e.g. 'orthogonal' or 'glorot_uniform'."
            )
        dtype = standardize_dtype(dtype)
        return (self.gain * np.eye(*shape, dtype=dtype)).astype(dtype, copy=False)

    def get_config(self) -> dict:
        # Keras 3 writes {} here and so forgets the gain; we keep it (Keras reads it back).
        return {"gain": self.gain}

"""`teachkeras.layers`: every layer, importable as `keras.layers.X`.

Each layer lives in a file of its own, grouped as in Keras: core/, activations/,
regularization/, reshaping/.
"""

from .activations.activation import Activation
from .activations.elu import ELU
from .activations.leaky_relu import LeakyReLU
from .activations.relu import ReLU
from .activations.softmax import Softmax
from .core.dense import Dense
from .core.input_layer import Input, InputLayer
from .input_spec import InputSpec
from .keras_tensor import KerasTensor, is_keras_tensor
from .layer import Layer
from .regularization.dropout import Dropout
from .reshaping.flatten import Flatten
from .reshaping.reshape import Reshape

__all__ = [
    "ELU",
    "Activation",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Reshape",
    "Softmax",
    "is_keras_tensor",
]

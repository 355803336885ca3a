"""`teachkeras.layers`: every layer, importable as `keras.layers.X`.

Each layer lives in a file of its own, grouped as in Keras: core/, activations/,
convolutional/, pooling/, normalization/, merging/, regularization/, reshaping/, attention/.
Recurrent layers and their cells live in rnn/.
"""

from . import experimental
from .activations.activation import Activation
from .activations.elu import ELU
from .activations.leaky_relu import LeakyReLU
from .activations.relu import ReLU
from .activations.softmax import Softmax
from .attention.additive_attention import AdditiveAttention
from .attention.attention import Attention
from .attention.grouped_query_attention import GroupQueryAttention
from .attention.multi_head_attention import MultiHeadAttention
from .convolutional.conv1d import Conv1D, Convolution1D
from .convolutional.conv2d import Conv2D, Convolution2D
from .convolutional.conv2d_transpose import Conv2DTranspose, Convolution2DTranspose
from .core.dense import Dense
from .core.einsum_dense import EinsumDense
from .core.embedding import Embedding
from .core.input_layer import Input, InputLayer
from .core.masking import Masking
from .core.wrapper import Wrapper
from .input_spec import InputSpec
from .keras_tensor import KerasTensor, is_keras_tensor
from .layer import Layer
from .merging.add import Add, add
from .merging.average import Average, average
from .merging.concatenate import Concatenate, concatenate
from .merging.dot import Dot, dot
from .merging.legacy_merge import merge
from .merging.maximum import Maximum, maximum
from .merging.minimum import Minimum, minimum
from .merging.multiply import Multiply, multiply
from .merging.subtract import Subtract, subtract
from .normalization.batch_normalization import BatchNormalization
from .normalization.layer_normalization import LayerNormalization
from .pooling.average_pooling1d import AveragePooling1D, AvgPool1D
from .pooling.average_pooling2d import AveragePooling2D, AvgPool2D
from .pooling.global_average_pooling1d import GlobalAveragePooling1D, GlobalAvgPool1D
from .pooling.global_average_pooling2d import GlobalAveragePooling2D, GlobalAvgPool2D
from .pooling.global_max_pooling1d import GlobalMaxPool1D, GlobalMaxPooling1D
from .pooling.global_max_pooling2d import GlobalMaxPool2D, GlobalMaxPooling2D
from .pooling.max_pooling1d import MaxPool1D, MaxPooling1D
from .pooling.max_pooling2d import MaxPool2D, MaxPooling2D
from .preprocessing.category_encoding import CategoryEncoding
from .preprocessing.discretization import Discretization
from .preprocessing.hashing import Hashing
from .preprocessing.image_preprocessing.center_crop import CenterCrop
from .preprocessing.image_preprocessing.random_brightness import RandomBrightness
from .preprocessing.image_preprocessing.random_contrast import RandomContrast
from .preprocessing.image_preprocessing.random_crop import RandomCrop
from .preprocessing.image_preprocessing.random_flip import RandomFlip
from .preprocessing.image_preprocessing.random_rotation import RandomRotation
from .preprocessing.image_preprocessing.random_translation import RandomTranslation
from .preprocessing.image_preprocessing.random_zoom import RandomZoom
from .preprocessing.image_preprocessing.resizing import Resizing
from .preprocessing.integer_lookup import IntegerLookup
from .preprocessing.normalization import Normalization
from .preprocessing.rescaling import Rescaling
from .preprocessing.string_lookup import StringLookup
from .preprocessing.text_vectorization import TextVectorization
from .regularization.dropout import Dropout
from .reshaping.cropping2d import Cropping2D
from .reshaping.flatten import Flatten
from .reshaping.reshape import Reshape
from .reshaping.up_sampling2d import UpSampling2D
from .reshaping.zero_padding2d import ZeroPadding2D
from .rnn.bidirectional import Bidirectional
from .rnn.gru import GRU, GRUCell
from .rnn.lstm import LSTM, LSTMCell
from .rnn.rnn import RNN
from .rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from .rnn.stacked_rnn_cells import StackedRNNCells
from .rnn.time_distributed import TimeDistributed

__all__ = [
    "ELU",
    "GRU",
    "LSTM",
    "RNN",
    "Activation",
    "Add",
    "AdditiveAttention",
    "Attention",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Bidirectional",
    "CategoryEncoding",
    "CenterCrop",
    "Concatenate",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Convolution1D",
    "Convolution2D",
    "Convolution2DTranspose",
    "Cropping2D",
    "Dense",
    "Discretization",
    "Dot",
    "Dropout",
    "EinsumDense",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GroupQueryAttention",
    "Hashing",
    "Input",
    "InputLayer",
    "InputSpec",
    "IntegerLookup",
    "KerasTensor",
    "LSTMCell",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "MultiHeadAttention",
    "Multiply",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "ReLU",
    "Rescaling",
    "Reshape",
    "Resizing",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "StackedRNNCells",
    "StringLookup",
    "Subtract",
    "TextVectorization",
    "TimeDistributed",
    "UpSampling2D",
    "Wrapper",
    "ZeroPadding2D",
    "add",
    "average",
    "concatenate",
    "dot",
    "is_keras_tensor",
    "maximum",
    "merge",
    "minimum",
    "multiply",
    "subtract",
]

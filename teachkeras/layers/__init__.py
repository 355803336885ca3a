"""`teachkeras.layers`: every layer, importable as `keras.layers.X`.

Each layer lives in a file of its own, grouped as in Keras: core/, activations/,
convolutional/, pooling/, normalization/, merging/, regularization/, reshaping/, attention/.
Recurrent layers and their cells live in rnn/.
"""

from . import experimental
from .activations.activation import Activation
from .activations.elu import ELU
from .activations.leaky_relu import LeakyReLU
from .activations.prelu import PReLU
from .activations.relu import ReLU
from .activations.softmax import Softmax
from .attention.additive_attention import AdditiveAttention
from .attention.attention import Attention
from .attention.grouped_query_attention import GroupQueryAttention
from .attention.multi_head_attention import MultiHeadAttention
from .convolutional.conv1d import AtrousConv1D, AtrousConvolution1D, Conv1D, Convolution1D
from .convolutional.conv1d_transpose import Conv1DTranspose, Convolution1DTranspose
from .convolutional.conv2d import AtrousConv2D, AtrousConvolution2D, Conv2D, Convolution2D
from .convolutional.conv2d_transpose import (
    Conv2DTranspose,
    Convolution2DTranspose,
    Deconv2D,
    Deconvolution2D,
)
from .convolutional.conv3d import Conv3D, Convolution3D
from .convolutional.conv3d_transpose import (
    Conv3DTranspose,
    Convolution3DTranspose,
    Deconv3D,
    Deconvolution3D,
)
from .convolutional.depthwise_conv1d import DepthwiseConv1D
from .convolutional.depthwise_conv2d import DepthwiseConv2D
from .convolutional.separable_conv1d import SeparableConv1D, SeparableConvolution1D
from .convolutional.separable_conv2d import SeparableConv2D, SeparableConvolution2D
from .core.dense import Dense
from .core.einsum_dense import EinsumDense
from .core.embedding import Embedding
from .core.identity import Identity
from .core.input_layer import Input, InputLayer
from .core.lambda_layer import Lambda
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
from .normalization.group_normalization import GroupNormalization
from .normalization.layer_normalization import LayerNormalization
from .normalization.spectral_normalization import SpectralNormalization
from .normalization.unit_normalization import UnitNormalization
from .pooling.average_pooling1d import AveragePooling1D, AvgPool1D
from .pooling.average_pooling2d import AveragePooling2D, AvgPool2D
from .pooling.average_pooling3d import AveragePooling3D, AvgPool3D
from .pooling.global_average_pooling1d import GlobalAveragePooling1D, GlobalAvgPool1D
from .pooling.global_average_pooling2d import GlobalAveragePooling2D, GlobalAvgPool2D
from .pooling.global_average_pooling3d import GlobalAveragePooling3D, GlobalAvgPool3D
from .pooling.global_max_pooling1d import GlobalMaxPool1D, GlobalMaxPooling1D
from .pooling.global_max_pooling2d import GlobalMaxPool2D, GlobalMaxPooling2D
from .pooling.global_max_pooling3d import GlobalMaxPool3D, GlobalMaxPooling3D
from .pooling.max_pooling1d import MaxPool1D, MaxPooling1D
from .pooling.max_pooling2d import MaxPool2D, MaxPooling2D
from .pooling.max_pooling3d import MaxPool3D, MaxPooling3D
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
from .regularization.activity_regularization import ActivityRegularization
from .regularization.alpha_dropout import AlphaDropout
from .regularization.dropout import Dropout
from .regularization.gaussian_dropout import GaussianDropout
from .regularization.gaussian_noise import GaussianNoise
from .regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from .reshaping.cropping1d import Cropping1D
from .reshaping.cropping2d import Cropping2D
from .reshaping.cropping3d import Cropping3D
from .reshaping.flatten import Flatten
from .reshaping.permute import Permute
from .reshaping.repeat_vector import RepeatVector
from .reshaping.reshape import Reshape
from .reshaping.up_sampling1d import UpSampling1D
from .reshaping.up_sampling2d import UpSampling2D
from .reshaping.up_sampling3d import UpSampling3D
from .reshaping.zero_padding1d import ZeroPadding1D
from .reshaping.zero_padding2d import ZeroPadding2D
from .reshaping.zero_padding3d import ZeroPadding3D
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
    "ActivityRegularization",
    "Add",
    "AdditiveAttention",
    "AlphaDropout",
    "AtrousConv1D",
    "AtrousConv2D",
    "AtrousConvolution1D",
    "AtrousConvolution2D",
    "Attention",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Bidirectional",
    "CategoryEncoding",
    "CenterCrop",
    "Concatenate",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Deconv2D",
    "Deconv3D",
    "Deconvolution2D",
    "Deconvolution3D",
    "Dense",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "Discretization",
    "Dot",
    "Dropout",
    "EinsumDense",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "GroupNormalization",
    "GroupQueryAttention",
    "Hashing",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "IntegerLookup",
    "KerasTensor",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "Minimum",
    "MultiHeadAttention",
    "Multiply",
    "Normalization",
    "PReLU",
    "Permute",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "ReLU",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "Resizing",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "SpectralNormalization",
    "StackedRNNCells",
    "StringLookup",
    "Subtract",
    "TextVectorization",
    "TimeDistributed",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "Wrapper",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
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

"""Convolutions in 1, 2 and 3 dimensions, depthwise and separable: the ops against their
definitions (loops over pixels, written only here), their gradients, and their errors."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import ops
from teachkeras.backend import conv_ops, pooling_ops
from teachkeras.layers import (
    AtrousConv1D,
    AtrousConv2D,
    AtrousConvolution1D,
    AtrousConvolution2D,
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution3D,
    Deconv3D,
    Deconvolution2D,
    DepthwiseConv1D,
    DepthwiseConv2D,
    Input,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test


def _padded(x, kernel_sizes, strides, padding, dilation):
    """x (channels_last) with Keras's zeros around, and the pads used."""
    spatial = x.shape[1:-1]
    if padding == "same":
        pads = [conv_ops.same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel_sizes, strides, dilation, strict=True)]  # fmt: skip
    else:
        pads = [(0, 0)] * len(spatial)
    return np.pad(x, ((0, 0), *pads, (0, 0)))


def _reference_conv(x, w, strides, padding, dilation):
    """y[n, *o, f] = Σ_{k, c} x[n, *(o·s + k·d), c] W[*k, c, f], one output pixel at a time."""
    rank = x.ndim - 2
    kernel_sizes = w.shape[:rank]
    xp = _padded(x, kernel_sizes, strides, padding, dilation)
    out = [
        (n - (k - 1) * d - 1) // s + 1
        for n, k, s, d in zip(xp.shape[1:-1], kernel_sizes, strides, dilation, strict=True)
    ]
    y = np.zeros((x.shape[0], *out, w.shape[-1]))
    for o in itertools.product(*map(range, out)):
        for k in itertools.product(*map(range, kernel_sizes)):
            at = tuple(
                oi * s + ki * d for oi, ki, s, d in zip(o, k, strides, dilation, strict=True)
            )
            y[(slice(None), *o)] += xp[(slice(None), *at)] @ w[k]
    return y


def _reference_depthwise(x, w, strides, padding, dilation):
    """Each channel c on its own: y[..., c·M + m] = conv(x[..., c], W[..., c, m])."""
    columns = [
        _reference_conv(x[..., c : c + 1], w[..., c : c + 1, :], strides, padding, dilation)
        for c in range(x.shape[-1])
    ]
    return np.concatenate(columns, axis=-1)  # channel c's M outputs side by side


CONV_CASES = [
    # (spatial, kernel, strides, padding, dilation)
    ((9,), (3,), (2,), "same", (1,)),
    ((7, 6), (3, 2), (1, 2), "valid", (1, 1)),
    ((7, 6), (2, 3), (1, 1), "same", (2, 1)),
    ((5, 6, 4), (3, 2, 2), (1, 1, 1), "valid", (1, 1, 1)),
    ((5, 6, 4), (2, 3, 3), (2, 1, 2), "same", (1, 1, 1)),
    ((6, 5, 5), (2, 2, 2), (1, 1, 1), "same", (2, 1, 2)),
]


@pytest.mark.parametrize("spatial, kernel, strides, padding, dilation", CONV_CASES)
def test_conv_matches_the_definition_in_every_rank(
    spatial, kernel, strides, padding, dilation, rng
):
    x = rng.normal(size=(2, *spatial, 3))
    w = rng.normal(size=(*kernel, 3, 4))
    got = ops.conv(x, w, strides, padding, dilation_rate=dilation).numpy()
    np.testing.assert_allclose(got, _reference_conv(x, w, strides, padding, dilation), rtol=1e-10)


@pytest.mark.parametrize("spatial, kernel, strides, padding, dilation", CONV_CASES)
def test_depthwise_conv_matches_the_definition(spatial, kernel, strides, padding, dilation, rng):
    x = rng.normal(size=(2, *spatial, 3))
    w = rng.normal(size=(*kernel, 3, 2))
    got = ops.depthwise_conv(x, w, strides, padding, dilation_rate=dilation).numpy()
    want = _reference_depthwise(x, w, strides, padding, dilation)
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_separable_conv_is_depthwise_then_one_by_one(rng):
    x = rng.normal(size=(2, 6, 5, 3))
    depthwise, pointwise = rng.normal(size=(3, 3, 3, 2)), rng.normal(size=(1, 1, 6, 4))
    got = ops.separable_conv(x, depthwise, pointwise, 2, "same").numpy()
    mixed = _reference_depthwise(x, depthwise, (2, 2), "same", (1, 1)) @ pointwise[0, 0]
    np.testing.assert_allclose(got, mixed, rtol=1e-10)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_transpose_is_the_adjoint_of_conv_in_every_rank(rank, padding, rng):
    """<conv(x, W), y> == <x, conv_transpose(y, W)>: one op is the other's input gradient."""
    # sizes the strided convolution covers exactly, so the transpose gives x's shape back
    spatial = (7, 6, 7) if padding == "valid" else (6, 4, 8)
    x = rng.normal(size=(2, *spatial[:rank], 3))
    w = rng.normal(size=(*(3, 2, 3)[:rank], 3, 4))
    forward = ops.conv(x, w, 2, padding).numpy()
    y = rng.normal(size=forward.shape)
    backward = ops.conv_transpose(y, w, 2, padding).numpy()  # the same kernel array
    assert backward.shape == x.shape
    np.testing.assert_allclose(np.sum(forward * y), np.sum(x * backward), rtol=1e-10)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_channels_first_gives_the_transposed_answer(data_format, rng):
    x = rng.normal(size=(2, 5, 4, 6, 3)).astype("float32")
    w, d = rng.normal(size=(2, 3, 2, 3, 4)).astype("float32"), rng.normal(size=(2, 2, 2, 3, 2))
    first = np.moveaxis(x, -1, 1)
    for op, kernel in ((ops.conv, w), (ops.depthwise_conv, d.astype("float32"))):
        last = op(x, kernel, 1, "same").numpy()
        cf = op(first, kernel, 1, "same", "channels_first")
        assert cf.dtype == np.float32
        np.testing.assert_allclose(np.moveaxis(cf.numpy(), 1, -1), last, rtol=1e-5, atol=1e-6)


def test_the_named_ranks_check_their_rank():
    assert conv_ops.conv3d(np.ones((1, 4, 4, 4, 2)), np.ones((3, 3, 3, 2, 5))).shape == (
        1,
        2,
        2,
        2,
        5,
    )
    assert conv_ops.conv3d_transpose(np.ones((1, 2, 2, 2, 5)), np.ones((3, 3, 3, 2, 5))).shape == (
        1, 4, 4, 4, 2,
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"conv3d: expects a 5-D input \(batch, depth, height"):
        conv_ops.conv3d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 5)))
    with pytest.raises(ValueError, match=r"conv1d: expects a 3-D input \(batch, steps, channels\)"):
        conv_ops.conv1d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 5)))


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: ops.depthwise_conv(np.ones((1, 5, 5, 2)), np.ones((3, 3, 3, 1))),
            r"depthwise_conv: the input has 2 channels.*expects 3",
        ),
        (
            lambda: ops.depthwise_conv(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1))),
            r"depthwise_conv: the kernel spans \(3, 3\).*padding='same' would fit",
        ),
        (
            lambda: ops.conv(np.ones((1, 5, 5, 5, 1)), np.ones((3, 3, 3, 1, 1)), padding="causal"),
            r"padding.*'valid', 'same'",
        ),
        (
            lambda: ops.conv(np.ones((1, 5, 2)), np.ones((3, 3, 2, 1))),
            r"conv: expects .*kernel of the same rank.*kernel.shape=\(3, 3, 2, 1\)",
        ),
        (
            lambda: ops.conv_transpose(np.ones((1, 3, 3, 3, 2)), np.ones((3, 3, 3, 4, 1))),
            r"conv_transpose: the input has 2 channels.*expects 1",
        ),
        (
            lambda: ops.separable_conv(
                np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 2)), np.ones((1, 1, 2, 3))
            ),
            r"conv: the input has 4 channels.*expects 2",
        ),
        (lambda: ops.normalize(np.ones(3), order=0), r"order.*int >= 1"),
    ],
)
def test_op_errors_name_the_sizes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_gradients_of_the_new_ranks(rng):
    """Beyond the rows of test_backend_gradients.py: strides with dilation, causal 1-D."""
    x = rng.normal(size=(1, 9, 3))
    K.check_gradients(
        lambda a, b: ops.depthwise_conv(a, b, 2, "same", dilation_rate=2),
        x,
        rng.normal(size=(3, 3, 2)),
    )
    K.check_gradients(
        lambda a, b: ops.conv(a, b, 1, "causal", dilation_rate=2), x, rng.normal(size=(3, 3, 2))
    )
    x3 = rng.normal(size=(1, 4, 5, 4, 2))
    K.check_gradients(
        lambda a: pooling_ops.max_pool(a, 2, 1, "same"),
        x3 + np.arange(x3.size).reshape(x3.shape) * 1e-3,
    )
    K.check_gradients(lambda a: pooling_ops.average_pool(a, (2, 3, 2), 2, "same"), x3)


def test_3d_pooling_matches_its_definition(rng):
    x = rng.normal(size=(2, 4, 6, 4, 3))
    got = ops.max_pool(x, (2, 3, 2)).numpy()
    want = x.reshape(2, 2, 2, 2, 3, 2, 2, 3).max(axis=(2, 4, 6))
    np.testing.assert_allclose(got, want)
    got = ops.average_pool(x, 2, padding="same").numpy()
    assert got.shape == (2, 2, 3, 2, 3)
    np.testing.assert_allclose(got[:, 0, 0, 0], x[:, :2, :2, :2].mean(axis=(1, 2, 3)))


def test_3d_pooling_errors_say_what_fits():
    with pytest.raises(ValueError, match=r"ZeroPadding3D\(\(\(0, 1\), \(0, 0\), \(0, 2\)\)\)"):
        ops.max_pool(np.ones((1, 3, 4, 2, 1)), (4, 4, 4))
    with pytest.raises(ValueError, match=r"5-D input \(batch, depth, height, width, channels\)"):
        ops.average_pool(np.ones((1, 3, 4, 1)), (2, 2, 2))


# --- the layers: the contract (config, shapes, weights, gradients, one training step, saving) -------
LAYER_CASES = [
    layer_case(
        Conv3D,
        {"filters": 3, "kernel_size": 2},
        input_shape=(2, 3, 4, 3, 2),
        expected_output_shape=(2, 2, 3, 2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    ),
    layer_case(
        Conv3D,
        {
            "filters": 2,
            "kernel_size": (2, 3, 1),
            "strides": (1, 2, 1),
            "padding": "same",
            "data_format": "channels_first",
            "activation": "tanh",
            "kernel_regularizer": "l2",
        },
        input_shape=(2, 3, 3, 4, 2),
        expected_output_shape=(2, 2, 3, 2, 2),
        expected_num_losses=1,
    ),
    layer_case(
        Conv3DTranspose,
        {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same", "use_bias": False},
        input_shape=(2, 2, 3, 2, 3),
        expected_output_shape=(2, 4, 6, 4, 2),
        expected_num_trainable_weights=1,
    ),
    layer_case(
        Conv3DTranspose,
        {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1, "dilation_rate": 1},
        input_shape=(1, 2, 2, 2, 2),
        expected_output_shape=(1, 6, 6, 6, 3),
    ),
    layer_case(
        Conv1DTranspose,
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 10, 4),
        expected_num_trainable_weights=2,
    ),
    layer_case(
        Conv1DTranspose,
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 2, 6),
    ),
    layer_case(
        DepthwiseConv2D,
        {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        input_shape=(2, 4, 5, 3),
        expected_output_shape=(2, 4, 5, 6),
        expected_num_trainable_weights=2,
    ),
    layer_case(
        DepthwiseConv2D,
        {
            "kernel_size": (2, 3),
            "strides": 2,
            "data_format": "channels_first",
            "use_bias": False,
            "depthwise_regularizer": "l1",
            "activation": "relu",
        },
        input_shape=(2, 2, 5, 6),
        expected_output_shape=(2, 2, 2, 2),
        expected_num_trainable_weights=1,
        expected_num_losses=1,
    ),
    layer_case(
        DepthwiseConv1D,
        {"kernel_size": 3, "dilation_rate": 2, "depth_multiplier": 3},
        input_shape=(2, 7, 2),
        expected_output_shape=(2, 3, 6),
    ),
    layer_case(
        SeparableConv2D,
        {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(2, 4, 4, 4),
        expected_num_trainable_weights=3,
    ),
    layer_case(
        SeparableConv2D,
        {
            "filters": 2,
            "kernel_size": 2,
            "strides": (2, 1),
            "data_format": "channels_first",
            "pointwise_regularizer": "l2",
            "use_bias": False,
        },
        input_shape=(2, 3, 5, 4),
        expected_output_shape=(2, 2, 2, 3),
        expected_num_trainable_weights=2,
        expected_num_losses=1,
    ),
    layer_case(
        SeparableConv1D,
        {"filters": 3, "kernel_size": 2, "strides": 2, "activation": "sigmoid"},
        input_shape=(2, 6, 2),
        expected_output_shape=(2, 3, 3),
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


def test_weights_are_keras_weights_in_keras_order():
    def paths(layer, shape):
        layer(np.zeros(shape, "float32"))
        return [(w.path.split("/")[-1], w.shape) for w in layer.weights]

    assert paths(Conv3D(4, 3, name="c"), (1, 4, 4, 4, 2)) == [
        ("kernel", (3, 3, 3, 2, 4)),
        ("bias", (4,)),
    ]
    assert paths(Conv3DTranspose(4, 3), (1, 2, 2, 2, 2)) == [
        ("kernel", (3, 3, 3, 4, 2)),
        ("bias", (4,)),
    ]
    assert paths(Conv1DTranspose(4, 3), (1, 2, 2)) == [("kernel", (3, 4, 2)), ("bias", (4,))]
    assert paths(DepthwiseConv2D(3, depth_multiplier=2), (1, 4, 4, 3)) == [
        ("kernel", (3, 3, 3, 2)),
        ("bias", (6,)),
    ]
    assert paths(SeparableConv2D(5, 3, depth_multiplier=2), (1, 4, 4, 3)) == [
        ("depthwise_kernel", (3, 3, 3, 2)),
        ("pointwise_kernel", (1, 1, 6, 5)),
        ("bias", (5,)),
    ]
    layer = SeparableConv2D(64, 3)
    layer(np.zeros((1, 8, 8, 32), "float32"))
    assert layer.count_params() == 3 * 3 * 32 + 32 * 64 + 64  # the docstring's 2400


@pytest.mark.parametrize(
    "make, input_shape, expected",
    [
        (lambda: Conv3D(8, 3), (None, 10, None, 12, 2), (None, 8, None, 10, 8)),
        (lambda: Conv3D(8, 3, strides=2, padding="same"), (None, 5, 6, 7, 2), (None, 3, 3, 4, 8)),
        (lambda: Conv3DTranspose(8, 3, strides=2), (None, 4, 4, None, 2), (None, 9, 9, None, 8)),
        (lambda: Conv1DTranspose(8, 2, strides=3), (None, 5, 2), (None, 15, 8)),
        (lambda: DepthwiseConv2D(3, depth_multiplier=4), (None, 8, 8, 3), (None, 6, 6, 12)),
        (lambda: DepthwiseConv1D(3, padding="same"), (None, None, 3), (None, None, 3)),
        (lambda: SeparableConv1D(5, 3, strides=2), (None, 9, 3), (None, 4, 5)),
    ],
)
def test_output_shapes_symbolic_and_eager(make, input_shape, expected):
    layer = make()
    assert layer.compute_output_shape(input_shape) == expected
    assert tuple(layer(Input(batch_shape=input_shape)).shape) == expected
    concrete = tuple(4 if d is None else d for d in input_shape)
    assert layer(np.zeros(concrete, "float32")).shape == layer.compute_output_shape(concrete)


def test_layers_compute_their_op_plus_bias(rng):
    x = rng.normal(size=(2, 5, 5, 3)).astype("float32")
    layer = DepthwiseConv2D(3, depth_multiplier=2, bias_initializer="ones")
    layer(x)  # builds it
    want = ops.depthwise_conv(x, layer.kernel.numpy()).numpy() + 1
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-6)
    sep = SeparableConv2D(4, 3, padding="same", activation="relu")
    sep(x)
    want = ops.separable_conv(
        x, sep.depthwise_kernel.numpy(), sep.pointwise_kernel.numpy(), 1, "same"
    )
    np.testing.assert_allclose(sep(x).numpy(), np.maximum(want.numpy(), 0), rtol=1e-5, atol=1e-6)


# --- bad input ----------------------------------------------------------------------------------
def test_missing_channel_axis_of_a_volume_shows_the_fix():
    with pytest.raises(
        ValueError,
        match=r"ndim=5.*\(2, 8, 8, 8\).*\(batch, depth, height, width, channels\).*"
        r"channel axis is missing.*x\[\.\.\., None\] or Reshape\(\(8, 8, 8, 1\)\)",
    ):
        Conv3D(4, 3)(np.zeros((2, 8, 8, 8)))
    with pytest.raises(ValueError, match=r"channel axis is missing.*Reshape\(\(10, 1\)\)"):
        DepthwiseConv1D(3)(np.zeros((2, 10)))


def test_kernel_larger_than_the_input_names_the_layer_and_the_fix():
    with pytest.raises(
        ValueError, match=r"DepthwiseConv2D layer 'dw'.*kernel \(5, 5\).*padding='same' would fit"
    ):
        DepthwiseConv2D(5, name="dw")(np.zeros((1, 3, 3, 2)))
    with pytest.raises(ValueError, match=r"SeparableConv1D layer .*kernel \(7,\).*\(4,\)"):
        SeparableConv1D(2, 7)(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match=r"Conv3D layer .*\(3, 2, 3\)"):
        Conv3D(2, 3)(np.zeros((1, 3, 2, 3, 1)))
    assert Conv1DTranspose(2, 9)(np.zeros((1, 2, 1))).shape == (1, 10, 2)  # any kernel fits


def test_wrong_channel_count_after_build():
    layer = SeparableConv2D(4, 3)
    layer(np.zeros((1, 5, 5, 3)))
    with pytest.raises(ValueError, match=r"built for 3 input channels, but the data has 2"):
        layer(np.zeros((1, 5, 5, 2)))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: DepthwiseConv2D(3, depth_multiplier=0), r"depth_multiplier.*strictly positive"),
        (lambda: SeparableConv2D(0, 3), r"filters.*strictly positive.*filters=0"),
        (lambda: SeparableConv2D(None, 3), r"needs `filters` and `kernel_size`"),
        (lambda: DepthwiseConv2D(), r"needs a `kernel_size`"),
        (lambda: Conv3D(4, (3, 3)), r"kernel_size.*tuple of 3 integers"),
        (lambda: Conv3D(4, 3, groups=2), r"groups=1"),
        (
            lambda: Conv3DTranspose(4, 3, strides=2, output_padding=2),
            r"output_padding.*strictly less",
        ),
        (lambda: Conv1DTranspose(4, 3, padding="causal"), r"padding.*'valid', 'same'"),
        (lambda: DepthwiseConv1D(3, padding="causal"), r"padding.*'valid', 'same'"),
    ],
)
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_transposed_convolutions_have_no_groups():
    with pytest.raises(TypeError, match="groups"):
        Conv1DTranspose(4, 3, groups=2)


# --- Keras 1 and 2 names --------------------------------------------------------------------------
def _warned(make):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = make()
    return layer, " ".join(
        str(w.message) for w in caught if issubclass(w.category, KerasLegacyWarning)
    )


def test_keras1_convolution3d_reads_three_kernel_sizes():
    layer, said = _warned(
        lambda: Convolution3D(8, 3, 2, 3, border_mode="same", subsample=(1, 2, 1))
    )
    assert isinstance(layer, Conv3D) and "write Conv3D(8, (3, 2, 3))" in said
    assert (layer.kernel_size, layer.strides, layer.padding) == ((3, 2, 3), (1, 2, 1), "same")
    layer, said = _warned(lambda: Conv3D(nb_filter=4, kernel_dim1=1, kernel_dim2=2, kernel_dim3=3))
    assert (layer.filters, layer.kernel_size) == (
        4,
        (1, 2, 3),
    ) and "kernel_size=(kernel_dim1" in said
    assert Convolution3D(8, (3, 3, 3)).kernel_size == (3, 3, 3)  # Keras 3's own alias: no warning


def test_atrous_convolutions_are_dilated_convolutions():
    layer, said = _warned(
        lambda: AtrousConvolution2D(16, 3, 3, atrous_rate=(2, 2), border_mode="same")
    )
    assert isinstance(layer, Conv2D) and layer.dilation_rate == (2, 2) and layer.padding == "same"
    assert "Conv2D(..., dilation_rate=(2, 2))" in said
    layer, said = _warned(lambda: AtrousConvolution1D(8, 2, atrous_rate=4, border_mode="causal"))
    assert isinstance(layer, Conv1D) and layer.dilation_rate == (4,) and layer.padding == "causal"
    assert AtrousConv1D is AtrousConvolution1D and AtrousConv2D is AtrousConvolution2D


def test_deconvolutions_are_transposed_convolutions():
    layer, said = _warned(
        lambda: Deconvolution2D(4, 3, 3, (None, 14, 14, 4), subsample=(2, 2), border_mode="same")
    )
    assert (
        isinstance(layer, Conv2DTranspose) and "Conv2DTranspose" in said and "output_shape" in said
    )
    assert (layer.kernel_size, layer.strides) == ((3, 3), (2, 2))
    assert layer(np.zeros((1, 7, 7, 2))).shape == (1, 14, 14, 4)
    layer, said = _warned(lambda: Deconv3D(2, 3, strides=2))
    assert isinstance(layer, Conv3DTranspose) and "Conv3DTranspose" in said


def test_keras1_separable_convolution2d_sets_both_initializers():
    layer, said = _warned(
        lambda: SeparableConvolution2D(8, 3, 3, init="he_normal", subsample=(2, 2))
    )
    assert isinstance(layer, SeparableConv2D) and layer.strides == (2, 2)
    assert (
        type(layer.depthwise_initializer).__name__
        == type(layer.pointwise_initializer).__name__
        == "HeNormal"
    )
    assert "depthwise_initializer=..., pointwise_initializer=..." in said
    assert SeparableConvolution1D is SeparableConv1D

"""Convolutions in 1, 2 and 3 dimensions, depthwise and separable: the ops against their
definitions (loops over pixels, written only here), their gradients, and their errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import ops
from teachkeras.backend import conv_ops, pooling_ops


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

"""Keras 2's `K` functions against the Keras 3 ops that still compute the same thing.

Keras 3 dropped `K`, but most of its functions live on as `keras.ops` (`dot`, `cumprod`,
`softsign`, `normalize`, `in_top_k`, `slice`, `repeat`, `pad`, `image.resize`, ...) or
inside Keras (`batch_dot` in the Dot layer's module, `relu`'s options in
`keras.activations.relu`). Same float32 inputs, values compared at rtol 1e-5 / atol 1e-6;
symbolic `K.gradients` is compared with PyTorch's autograd through `keras.ops`.
`hard_sigmoid` has no counterpart: Keras 3 changed its formula (K keeps Keras 2's).
"""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K

R = np.random.default_rng(11)
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3 once for the module: these comparisons create no Keras state."""
    return pytest.importorskip("keras", reason="real Keras 3 is not installed")


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def close(ours, theirs, record_property=None):
    ours, theirs = np.asarray(K.eval(ours)), np.asarray(theirs)
    assert ours.shape == theirs.shape
    if ours.dtype == bool:
        np.testing.assert_array_equal(ours, theirs)
        return 0.0
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    return float(np.max(np.abs(ours - theirs))) if ours.size else 0.0


def numpy_of(keras, tensor):
    return keras.ops.convert_to_numpy(tensor)


@pytest.mark.parametrize(
    "x_shape, y_shape", [((2, 3), (3, 4)), ((2, 3, 4), (4, 5)), ((3,), (3, 2))]
)
def test_dot(keras, x_shape, y_shape, record_property):
    x, y = f32(*x_shape), f32(*y_shape)
    diff = close(K.dot(x, y), numpy_of(keras, keras.ops.dot(x, y)))
    record_property("max_abs_diff", diff)


@pytest.mark.parametrize("x_shape, y_shape", [((2, 3), (4, 3, 5)), ((2, 2, 3), (2, 3, 4))])
def test_dot_with_a_stack_as_y_is_keras2s_not_keras3_torchs(keras, x_shape, y_shape):
    """Keras 2 documented `(2, 3) . (4, 3, 5) -> (2, 4, 5)` (np.dot, Theano's rule); Keras 3's
    torch backend runs torch.matmul, which broadcasts y's leading axes instead."""
    x, y = f32(*x_shape), f32(*y_shape)
    close(K.dot(x, y), np.dot(x, y))
    assert numpy_of(keras, keras.ops.dot(x, y)).shape == np.matmul(x, y).shape


@pytest.mark.parametrize(
    "x_shape, y_shape, axes",
    [
        ((4, 3), (4, 3), None),
        ((2, 3, 4), (2, 4, 5), None),
        ((2, 3, 4), (2, 5, 3), (1, 2)),
        ((2, 3), (2, 4, 3), (1, 2)),
        ((32, 20, 1), (32, 30, 20), (1, 2)),
    ],
)
def test_batch_dot(keras, x_shape, y_shape, axes, record_property):
    from keras.src.layers.merging.dot import batch_dot

    x, y = f32(*x_shape), f32(*y_shape)
    theirs = numpy_of(
        keras, batch_dot(keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(y), axes)
    )
    record_property("max_abs_diff", close(K.batch_dot(x, y, axes), theirs))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumprod(keras, axis, record_property):
    x = R.uniform(0.5, 1.5, (3, 5)).astype(np.float32)
    record_property(
        "max_abs_diff", close(K.cumprod(x, axis), numpy_of(keras, keras.ops.cumprod(x, axis=axis)))
    )


def test_softsign_l2_normalize_gather_permute(keras, record_property):
    x = f32(4, 5)
    diffs = [
        close(K.softsign(x), numpy_of(keras, keras.ops.softsign(x))),
        close(K.l2_normalize(x, axis=-1), numpy_of(keras, keras.ops.normalize(x, axis=-1))),
        close(K.l2_normalize(x, axis=0), numpy_of(keras, keras.ops.normalize(x, axis=0))),
        close(K.gather(x, [3, 0, 3]), numpy_of(keras, keras.ops.take(x, [3, 0, 3], axis=0))),
        close(K.permute_dimensions(x, (1, 0)), numpy_of(keras, keras.ops.transpose(x, (1, 0)))),
        close(K.repeat_elements(x, 3, 1), numpy_of(keras, keras.ops.repeat(x, 3, axis=1))),
    ]
    record_property("max_abs_diff", max(diffs))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_in_top_k(keras, k):
    predictions = np.array(
        [[0.1, 0.5, 0.4, 0.0], [0.3, 0.3, 0.4, 0.0], [0.2, 0.2, 0.6, 0.2], [0.25] * 4],
        dtype=np.float32,
    )
    targets = np.array([2, 0, 3, 1])
    theirs = numpy_of(keras, keras.ops.in_top_k(targets, predictions, k))
    close(K.in_top_k(predictions, targets, k), theirs)


def test_slice_and_spatial_2d_padding(keras, record_property):
    x = f32(2, 5, 6, 3)
    diffs = [
        close(
            K.slice(x, (0, 1, 2, 0), (2, 3, 2, 3)),
            numpy_of(keras, keras.ops.slice(x, (0, 1, 2, 0), (2, 3, 2, 3))),
        ),
        close(
            K.spatial_2d_padding(x, ((1, 2), (3, 0))),
            numpy_of(keras, keras.ops.pad(x, [(0, 0), (1, 2), (3, 0), (0, 0)])),
        ),
        close(
            K.spatial_2d_padding(x, ((1, 1), (0, 2)), data_format="channels_first"),
            numpy_of(keras, keras.ops.pad(x, [(0, 0), (0, 0), (1, 1), (0, 2)])),
        ),
    ]
    record_property("max_abs_diff", max(diffs))


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_resize_images(keras, interpolation, data_format, record_property):
    x = f32(2, 4, 5, 3) if data_format == "channels_last" else f32(2, 3, 4, 5)
    theirs = keras.ops.image.resize(
        x, (8, 15), interpolation=interpolation, antialias=False, data_format=data_format
    )
    ours = K.resize_images(x, 2, 3, data_format, interpolation=interpolation)
    record_property("max_abs_diff", close(ours, numpy_of(keras, theirs)))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"alpha": 0.2},
        {"max_value": 1.0},
        {"threshold": 0.5},
        {"alpha": 0.1, "max_value": 6.0, "threshold": 1.0},
        {"alpha": 0.3, "threshold": -0.5},
    ],
)
def test_relu_options(keras, options, record_property):
    x = np.linspace(-8, 8, 33, dtype=np.float32)
    theirs = keras.activations.relu(
        x,
        negative_slope=options.get("alpha", 0.0),
        max_value=options.get("max_value"),
        threshold=options.get("threshold", 0.0),
    )
    record_property("max_abs_diff", close(K.relu(x, **options), numpy_of(keras, theirs)))


def test_creation_functions(keras):
    close(K.eye(4), numpy_of(keras, keras.ops.eye(4)))
    close(K.eye((2, 3)), numpy_of(keras, keras.ops.eye(2, 3)))
    x = f32(3, 2)
    close(K.zeros_like(x), numpy_of(keras, keras.ops.zeros_like(x)))
    close(K.ones_like(x), numpy_of(keras, keras.ops.ones_like(x)))
    close(K.zeros((2, 3)), numpy_of(keras, keras.ops.zeros((2, 3))))
    close(K.ones((2, 3)), numpy_of(keras, keras.ops.ones((2, 3))))


def test_symbolic_gradients_against_torch_autograd(keras, record_property):
    import torch

    x_value, w_value = f32(4, 3), f32(3, 2)
    x = K.placeholder(shape=(None, 3))
    w = K.variable(w_value)
    loss = K.sum(K.square(K.tanh(K.dot(x, w)))) + K.mean(K.softplus(x) * K.sin(x))
    grad_x, grad_w = K.gradients(loss, [x, w])
    got_x, got_w = K.function([x], [grad_x, grad_w])([x_value])

    tx = torch.tensor(x_value, requires_grad=True)
    tw = torch.tensor(w_value, requires_grad=True)
    ops = keras.ops
    their_loss = ops.sum(ops.square(ops.tanh(ops.matmul(tx, tw)))) + ops.mean(
        ops.softplus(tx) * ops.sin(tx)
    )
    their_loss.backward()
    diffs = [close(got_x, tx.grad.numpy()), close(got_w, tw.grad.numpy())]
    record_property("max_abs_diff", max(diffs))


def test_keras2_signatures_over_keras3_ops(keras, record_property):
    """K keeps Keras 2's arguments and defaults where Keras 3 changed them; each is the Keras 3
    op with Keras 2's meaning spelled out (concatenate on the last axis, argmax on the last,
    cumsum on the first, repeat as a new axis, ...)."""
    ops = keras.ops
    x, y, t = f32(3, 4), f32(3, 2), f32(2, 3, 4)
    labels = np.array([0, 2, 1])
    diffs = [
        close(K.concatenate([x, y]), numpy_of(keras, ops.concatenate([x, y], axis=-1))),
        close(K.argmax(x), numpy_of(keras, ops.argmax(x, axis=-1))),
        close(K.argmin(t, 1), numpy_of(keras, ops.argmin(t, axis=1))),
        close(K.cumsum(t), numpy_of(keras, ops.cumsum(t, axis=0))),
        close(K.clip(x, min_value=-0.5, max_value=0.5), numpy_of(keras, ops.clip(x, -0.5, 0.5))),
        close(K.reshape(t, shape=(4, 6)), numpy_of(keras, ops.reshape(t, (4, 6)))),
        close(K.one_hot(labels, 3), numpy_of(keras, ops.one_hot(labels, 3))),
        close(K.repeat(x, 2), numpy_of(keras, ops.repeat(ops.expand_dims(x, 1), 2, axis=1))),
        close(K.tile(x, 2), numpy_of(keras, ops.tile(x, 2))),
        close(K.flatten(t), numpy_of(keras, ops.ravel(t))),
        close(K.batch_flatten(t), numpy_of(keras, ops.reshape(t, (2, -1)))),
        close(K.arange(5), numpy_of(keras, ops.arange(5, dtype="int32"))),
    ]
    assert K.repeat(x, 2).shape == (3, 2, 4)  # (batch, dim) -> (batch, n, dim)
    assert K.arange(1.0, 3.0).dtype == np.int32 and K.arange(3, dtype="float32").dtype == "float32"
    record_property("max_abs_diff", max(diffs))

"""Pooling and image reshaping layers against real Keras 3: outputs, input gradients, configs.

Gradients on the Keras side come from torch autograd through the Keras layer, for the
same random upstream gradient u: d sum(layer(x) * u) / dx.

One known difference: Keras 3.15's PyTorch backend pads *asymmetric* 'same' average
pooling by repeating the edge (keras-team/keras PR #23233 fixes it later), so the edge
windows count the edge twice. We follow Keras's documented rule (TensorFlow's, and the
JAX backend's): divide by the real cells. For those cases the reference is that rule,
computed with torch (zero padding, divided by a pooled mask of ones).
"""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.backend.pooling_ops import same_padding
from teachkeras.layers.pooling.average_pooling1d import AveragePooling1D
from teachkeras.layers.pooling.average_pooling2d import AveragePooling2D
from teachkeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from teachkeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from teachkeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from teachkeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from teachkeras.layers.pooling.max_pooling1d import MaxPooling1D
from teachkeras.layers.pooling.max_pooling2d import MaxPooling2D
from teachkeras.layers.reshaping.cropping2d import Cropping2D
from teachkeras.layers.reshaping.up_sampling2d import UpSampling2D
from teachkeras.layers.reshaping.zero_padding2d import ZeroPadding2D

OURS = {
    "MaxPooling2D": MaxPooling2D,
    "AveragePooling2D": AveragePooling2D,
    "MaxPooling1D": MaxPooling1D,
    "AveragePooling1D": AveragePooling1D,
    "GlobalAveragePooling2D": GlobalAveragePooling2D,
    "GlobalMaxPooling2D": GlobalMaxPooling2D,
    "GlobalAveragePooling1D": GlobalAveragePooling1D,
    "GlobalMaxPooling1D": GlobalMaxPooling1D,
    "ZeroPadding2D": ZeroPadding2D,
    "Cropping2D": Cropping2D,
    "UpSampling2D": UpSampling2D,
}
MAX_DIFF: dict[str, float] = {}  # largest |ours - keras| seen, printed with -s


def keras_forward_backward(layer, x: np.ndarray):
    import torch

    xt = torch.tensor(x, requires_grad=True)
    out = layer(xt)
    upstream = np.random.default_rng(1).standard_normal(tuple(out.shape)).astype("float32")
    (out * torch.tensor(upstream)).sum().backward()
    return out.detach().numpy(), xt.grad.numpy(), upstream


def our_forward_backward(layer, x: np.ndarray, upstream: np.ndarray):
    xt = K.Tensor(x)
    with K.GradientTape() as tape:
        tape.watch(xt)
        out = layer(xt)
        loss = K.sum(out * upstream)
    return out.numpy(), tape.gradient(loss, xt)


def assert_close(name, ours, theirs, rtol=1e-5, atol=1e-6):
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)
    MAX_DIFF[name] = max(MAX_DIFF.get(name, 0.0), float(np.max(np.abs(ours - theirs), initial=0)))


def compare(keras, class_name, x, grad_atol=1e-6, **kwargs):
    theirs = getattr(keras.layers, class_name)(**kwargs)
    ours = OURS[class_name](**kwargs)
    y_k, dx_k, upstream = keras_forward_backward(theirs, x)
    y, dx = our_forward_backward(ours, x, upstream)
    assert_close(class_name, y, y_k)
    assert_close(class_name, dx, dx_k, atol=grad_atol)
    assert ours.compute_output_shape(x.shape) == tuple(y_k.shape)
    return ours, theirs


def image(data_format, rank=2, seed=0):
    spatial = (7, 8) if rank == 2 else (9,)
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


GRID = [
    (pool, strides, padding, fmt)
    for pool in (2, 3)
    for strides in (None, 1, 2)
    for padding in ("valid", "same")
    for fmt in ("channels_last", "channels_first")
]


@pytest.mark.parametrize("pool, strides, padding, data_format", GRID)
@pytest.mark.parametrize("class_name", ["MaxPooling2D", "MaxPooling1D"])
def test_max_pooling_matches_keras(keras, class_name, pool, strides, padding, data_format):
    rank = 2 if class_name.endswith("2D") else 1
    compare(
        keras,
        class_name,
        image(data_format, rank),
        pool_size=pool,
        strides=strides,
        padding=padding,
        data_format=data_format,
    )


@pytest.mark.parametrize("pool, strides, padding, data_format", GRID)
@pytest.mark.parametrize("class_name", ["AveragePooling2D", "AveragePooling1D"])
def test_average_pooling_matches_keras(keras, class_name, pool, strides, padding, data_format):
    rank = 2 if class_name.endswith("2D") else 1
    x = image(data_format, rank)
    args = dict(pool_size=pool, strides=strides, padding=padding, data_format=data_format)
    spatial = x.shape[1:-1] if data_format == "channels_last" else x.shape[2:]
    step = pool if strides is None else strides
    pads = [same_padding(n, pool, step) for n in spatial] if padding == "same" else []
    if all(before == after for before, after in pads):
        compare(keras, class_name, x, **args)
        return
    # Asymmetric 'same': Keras-torch 3.15 repeats the edge; compare with Keras's documented rule.
    y_ref, dx_ref, upstream = keras_forward_backward(
        lambda t: _average_of_real_cells(t, rank, pool, step, pads, data_format), x
    )
    y, dx = our_forward_backward(OURS[class_name](**args), x, upstream)
    assert_close(class_name, y, y_ref)
    assert_close(class_name, dx, dx_ref)
    keras_y, _, _ = keras_forward_backward(getattr(keras.layers, class_name)(**args), x)
    assert keras_y.shape == y.shape  # same shape, values differ only at the edge windows


def _average_of_real_cells(t, rank, pool, stride, pads, data_format):
    """TensorFlow's 'same' average pooling in torch: zero-pad, sum, divide by real cells."""
    import torch
    import torch.nn.functional as F

    if data_format == "channels_last":
        t = t.movedim(-1, 1)
    widths = [w for before, after in reversed(pads) for w in (before, after)]
    avg = F.avg_pool2d if rank == 2 else F.avg_pool1d
    total = avg(F.pad(t, widths), pool, stride)
    real = avg(F.pad(torch.ones_like(t), widths), pool, stride)
    out = total / real
    return out.movedim(1, -1) if data_format == "channels_last" else out


@pytest.mark.parametrize(
    "pool, strides, padding", [(3, 1, "same"), (3, 2, "valid"), (2, 1, "valid")]
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_max_pooling_ties_go_to_the_first_maximum_as_in_keras(
    keras, pool, strides, padding, data_format
):
    """Few distinct values: many ties, in overlapping windows too."""
    x = np.random.default_rng(3).integers(0, 3, size=(2, 6, 7, 2)).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    args = dict(pool_size=pool, strides=strides, padding=padding, data_format=data_format)
    compare(keras, "MaxPooling2D", x, **args)
    compare(keras, "MaxPooling1D", x[:, 0], **args)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "class_name",
    [
        "GlobalAveragePooling2D",
        "GlobalMaxPooling2D",
        "GlobalAveragePooling1D",
        "GlobalMaxPooling1D",
    ],
)
def test_global_pooling_matches_keras(keras, class_name, data_format, keepdims):
    rank = 2 if class_name.endswith("2D") else 1
    compare(keras, class_name, image(data_format, rank), data_format=data_format, keepdims=keepdims)


def test_global_average_pooling1d_mask_matches_keras(keras):
    x = image("channels_last", 1)
    mask = np.array([[1] * 9, [1] * 4 + [0] * 5], dtype=bool)
    y_k = keras.layers.GlobalAveragePooling1D()(x, mask=mask)
    y = GlobalAveragePooling1D()(x, mask=mask)
    assert_close("GlobalAveragePooling1D", y.numpy(), y_k.detach().numpy())


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", [1, (2, 1), ((1, 2), (0, 3))])
def test_zero_padding2d_matches_keras(keras, padding, data_format):
    compare(keras, "ZeroPadding2D", image(data_format), padding=padding, data_format=data_format)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cropping", [1, (1, 2), ((0, 2), (1, 0)), ((2, 0), (0, 0))])
def test_cropping2d_matches_keras(keras, cropping, data_format):
    compare(keras, "Cropping2D", image(data_format), cropping=cropping, data_format=data_format)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("size", [2, (2, 3), (3, 1)])
def test_up_sampling2d_matches_keras(keras, size, interpolation, data_format):
    compare(
        keras,
        "UpSampling2D",
        image(data_format),
        size=size,
        interpolation=interpolation,
        data_format=data_format,
        # a pixel's gradient sums up to 9 weighted upstream values: float32 rounding ~1e-6
        grad_atol=1e-5,
    )


@pytest.mark.parametrize(
    "class_name, kwargs",
    [
        ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}),
        ("AveragePooling2D", {"pool_size": (2, 3)}),
        ("MaxPooling1D", {"strides": 1}),
        ("AveragePooling1D", {"pool_size": 4, "data_format": "channels_first"}),
        ("GlobalAveragePooling2D", {"keepdims": True}),
        ("GlobalMaxPooling2D", {}),
        ("GlobalAveragePooling1D", {}),
        ("GlobalMaxPooling1D", {"data_format": "channels_first"}),
        ("ZeroPadding2D", {"padding": (2, 1)}),
        ("Cropping2D", {"cropping": 1}),
        ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}),
    ],
)
def test_configs_match_keras(keras, class_name, kwargs):
    theirs = getattr(keras.layers, class_name)(**kwargs).get_config()
    ours = OURS[class_name](**kwargs).get_config()
    assert set(ours) == set(theirs)
    for key in set(ours) - {"dtype"}:
        assert ours[key] == theirs[key], key


def test_aliases_match_keras(keras):
    from teachkeras.layers.pooling import (
        average_pooling1d,
        average_pooling2d,
        global_average_pooling1d,
        global_average_pooling2d,
        global_max_pooling1d,
        global_max_pooling2d,
        max_pooling1d,
        max_pooling2d,
    )

    modules = [
        max_pooling2d,
        max_pooling1d,
        average_pooling2d,
        average_pooling1d,
        global_average_pooling2d,
        global_average_pooling1d,
        global_max_pooling2d,
        global_max_pooling1d,
    ]
    for alias in [
        "MaxPool2D",
        "MaxPool1D",
        "AvgPool2D",
        "AvgPool1D",
        "GlobalAvgPool2D",
        "GlobalAvgPool1D",
        "GlobalMaxPool2D",
        "GlobalMaxPool1D",
    ]:
        ours = next(getattr(m, alias) for m in modules if hasattr(m, alias))
        assert ours.__name__ == getattr(keras.layers, alias).__name__


def test_report_max_abs_diffs():
    """Runs last in this file: prints the largest differences seen (pytest -s shows them)."""
    for name, diff in sorted(MAX_DIFF.items()):
        print(f"max |ours - keras| {name}: {diff:.3g}")

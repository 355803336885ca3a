"""The backend against real Keras 3 (PyTorch backend), in float32.

Values: every op against the `keras.ops` function of the same name (or the nearest
spelling where Keras has none: `flatten` is `ravel`, `getitem` is indexing, ...).
Gradients: the nn ops and the cross-entropies against PyTorch autograd run through
`keras.ops`, plus the conventions at kinks (ties, 0, clip bounds) that decide what a
gradient is where the function has none.

Each test records the largest absolute difference it saw as the `max_abs_diff` property
(visible with `--junitxml`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.backend import naming


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3, once for this module (overrides the shared per-test fixture).

    The shared fixture calls `keras.utils.clear_session()`, whose garbage collection costs
    ~0.15 s a test; these op-by-op comparisons create no Keras state that needs clearing.
    (A missing Keras is still an error in CI: `conftest.py` raises when it imports it.)
    """
    return pytest.importorskip(
        "keras", reason="real Keras 3 is not installed: pip install -e .[parity]"
    )


# Keras's own torch backend reverses axes with `x.T`, which PyTorch deprecates for n-d.
pytestmark = pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning")

R = np.random.default_rng(7)
RTOL, ATOL = 1e-5, 1e-6


def f32(*shape: int, low: float | None = None, high: float | None = None) -> np.ndarray:
    if low is None:
        return R.standard_normal(shape).astype(np.float32)
    return R.uniform(low, high, shape).astype(np.float32)


def soft_labels(*shape: int) -> np.ndarray:
    t = R.uniform(0.0, 1.0, shape).astype(np.float32)
    return t / t.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class Pair:
    name: str
    ours: Callable  # (*arrays) -> teachkeras Tensor
    theirs: Callable  # (keras, *arrays) -> keras tensor
    inputs: tuple


def same(name: str, *inputs, label: str = "", **kwargs) -> Pair:
    """`K.<name>(*inputs, **kwargs)` against `keras.ops.<name>(*inputs, **kwargs)`."""
    return Pair(
        name + (f"[{label}]" if label else ""),
        lambda *a: getattr(K, name)(*a, **kwargs),
        lambda keras, *a: getattr(keras.ops, name)(*a, **kwargs),
        inputs,
    )


def pair(name: str, ours: Callable, theirs: Callable, *inputs) -> Pair:
    return Pair(name, ours, theirs, inputs)


X34, Y34, P34 = f32(3, 4), f32(3, 4), f32(3, 4, low=0.5, high=2.0)
X234 = f32(2, 3, 4)
HALVES = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.2, -1.7], dtype=np.float32)
MASK = R.random((3, 4)) > 0.5
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float32)
INT_LABELS = R.integers(0, 4, (3,))

VALUE_PAIRS: list[Pair] = [
    # math, binary (with broadcasting)
    same("add", X34, f32(4)),
    same("subtract", f32(3, 1), f32(1, 4)),
    same("multiply", X34, f32(4)),
    same("divide", X34, P34),
    same("power", P34, f32(4)),
    same("maximum", X34, f32(4)),
    same("minimum", f32(3, 1), f32(1, 4)),
    same("matmul", f32(2, 3), f32(3, 4), label="2d"),
    same("matmul", f32(2, 2, 3), f32(3, 4), label="batched"),
    same("matmul", f32(3), f32(3, 4), label="vector-left"),
    same("matmul", f32(3), f32(3), label="inner"),
    same("dot", f32(2, 3), f32(3, 4)),
    same("where", MASK, X34, f32(4)),
    # math, unary
    same("negative", X34),
    same("exp", X34),
    same("log", P34),
    same("log1p", f32(3, 4, low=-0.5, high=2.0)),
    same("sqrt", P34),
    same("square", X34),
    same("abs", X34),
    same("tanh", X34),
    same("sin", X34),
    same("cos", X34),
    same("erf", X34),
    pair("clip", lambda x: K.clip(x, -0.5, 0.5), lambda k, x: k.ops.clip(x, -0.5, 0.5), X34),
    same("cast", HALVES, dtype="int32", label="int32"),
    same("cast", X34, dtype="float64", label="float64"),
    pair(
        "stop_gradient",
        K.stop_gradient,
        lambda k, x: k.ops.stop_gradient(k.ops.convert_to_tensor(x)),
        X34,
    ),
    same("sign", np.array([-2.0, 0.0, 3.0], dtype=np.float32)),
    same("round", HALVES),
    same("floor", HALVES),
    same("equal", X34, np.where(MASK, X34, Y34)),
    same("not_equal", X34, np.where(MASK, X34, Y34)),
    same("greater", X34, Y34),
    same("greater_equal", X34, np.where(MASK, X34, Y34)),
    same("less", X34, Y34),
    same("less_equal", X34, np.where(MASK, X34, Y34)),
    # reductions
    same("sum", X234, label="all"),
    same("sum", X234, axis=(0, 2), keepdims=True, label="axes-keepdims"),
    same("mean", X234, axis=1, label="axis1"),
    same("mean", X234, axis=-1, keepdims=True, label="keepdims"),
    same("max", X234, axis=1),
    same("min", X234, axis=(0, 2), keepdims=True),
    same("prod", f32(3, 4, low=0.5, high=1.5), axis=1),
    same("cumsum", X234, axis=1),
    same("var", X234, axis=-1),
    same("std", X234, axis=0, keepdims=True),
    same("logsumexp", X234, axis=-1),
    same("logsumexp", X234, label="all"),
    same("norm", X34, label="frobenius"),
    same("norm", X34, axis=1, keepdims=True, label="rows"),
    same("argmax", TIES, axis=1),
    same("argmin", TIES, axis=0),
    same("any", MASK, axis=1),
    same("all", MASK, axis=0),
    # array ops
    pair(
        "reshape",
        lambda x: K.reshape(x, (4, -1, 2)),
        lambda k, x: k.ops.reshape(x, (4, -1, 2)),
        X234,
    ),
    same("transpose", X234, axes=(0, -1, 1)),
    same("transpose", X234, label="reverse"),
    same("expand_dims", X34, axis=-1),
    same("squeeze", f32(3, 1, 4), axis=1),
    pair("flatten", K.flatten, lambda k, x: k.ops.ravel(x), X234),
    pair("batch_flatten", K.batch_flatten, lambda k, x: k.ops.reshape(x, (2, -1)), X234),
    pair(
        "broadcast_to",
        lambda x: K.broadcast_to(x, (2, 3, 4)),
        lambda k, x: k.ops.broadcast_to(x, (2, 3, 4)),
        f32(3, 1),
    ),
    pair(
        "getitem[slices]",
        lambda x: x[1:, ::2],
        lambda k, x: k.ops.convert_to_tensor(x)[1:, ::2],
        X34,
    ),
    pair(
        "getitem[pairs]",
        lambda x: x[[0, 0, 2], [1, 1, 3]],
        lambda k, x: k.ops.convert_to_tensor(x)[[0, 0, 2], [1, 1, 3]],
        X34,
    ),
    pair(
        "getitem[mask]",
        lambda x: x[MASK],
        lambda k, x: k.ops.convert_to_tensor(x)[k.ops.convert_to_tensor(MASK)],
        X34,
    ),
    same("take", X34, np.array([[1, 1], [-1, 0]]), axis=-1),
    same("take", X34, np.array([0, 5, 5, 11]), label="flat"),
    pair(
        "concatenate",
        lambda a, b: K.concatenate([a, b], axis=0),
        lambda k, a, b: k.ops.concatenate([a, b], axis=0),
        f32(2, 3),
        f32(4, 3),
    ),
    pair(
        "stack",
        lambda a, b: K.stack([a, b], axis=1),
        lambda k, a, b: k.ops.stack([a, b], axis=1),
        f32(2, 3),
        f32(2, 3),
    ),
    pair("tile", lambda x: K.tile(x, (2, 1, 3)), lambda k, x: k.ops.tile(x, (2, 1, 3)), f32(2, 3)),
    same("repeat", f32(2, 3), repeats=3, axis=-1),
    pair(
        "pad",
        lambda x: K.pad(x, [(1, 2), (0, 1)], constant_value=3.0),
        lambda k, x: k.ops.pad(x, [(1, 2), (0, 1)], constant_values=3.0),
        f32(2, 3),
    ),
    same("one_hot", np.array([0, 3, 1]), 4),
    # nn ops
    same("relu", X34),
    same("relu", np.array([np.nan, -1.0, 0.0, 2.0], np.float32), label="nan"),
    same("leaky_relu", np.array([np.nan, -1.0, 0.0, 2.0], np.float32), label="nan"),
    same("elu", np.array([np.nan, -1.0, 0.0, 2.0], np.float32), label="nan"),
    same("sigmoid", np.array([np.nan, -1.0, 0.0, 2.0], np.float32), label="nan"),
    same("leaky_relu", X34),
    same("leaky_relu", X34, negative_slope=0.1, label="slope"),
    same("elu", X34),
    same("elu", X34, alpha=0.5, label="alpha"),
    same("sigmoid", 10 * X34),
    same("softplus", 10 * X34),
    same("softmax", X234, axis=1),
    same("softmax", X234, label="last"),
    same("log_softmax", X234, axis=0),
    same("log_softmax", X234, label="last"),
    same("categorical_crossentropy", soft_labels(3, 4), P34, label="probs"),
    same("categorical_crossentropy", soft_labels(3, 4), X34, from_logits=True, label="logits"),
    same("categorical_crossentropy", soft_labels(2, 3, 4), f32(2, 3, 4, low=0.1, high=1), axis=1),
    same("sparse_categorical_crossentropy", INT_LABELS, P34, label="probs"),
    same("sparse_categorical_crossentropy", INT_LABELS, X34, from_logits=True, label="logits"),
    same("binary_crossentropy", f32(3, 4, low=0, high=1), f32(3, 4, low=0.01, high=0.99)),
    same(
        "binary_crossentropy",
        f32(3, 4, low=0, high=1),
        10 * X34,
        from_logits=True,
        label="logits",
    ),
    pair(
        "sigmoid_crossentropy_with_logits",
        K.sigmoid_crossentropy_with_logits,
        lambda k, t, x: k.ops.binary_crossentropy(t, x, from_logits=True),
        f32(3, 4, low=0, high=1),
        10 * X34,
    ),
]


def _compare(ours: np.ndarray, theirs: np.ndarray, record_property) -> None:
    assert ours.shape == theirs.shape
    if theirs.dtype == np.float32:
        assert ours.dtype == np.float32, f"ours is {ours.dtype}"
    if theirs.dtype.kind in "biu":
        np.testing.assert_array_equal(ours, theirs)
        record_property("max_abs_diff", 0.0)
        return
    diff = float(np.max(np.abs(ours.astype(np.float64) - theirs))) if ours.size else 0.0
    record_property("max_abs_diff", diff)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("p", VALUE_PAIRS, ids=[p.name for p in VALUE_PAIRS])
def test_value_matches_keras_ops(keras, p: Pair, record_property):
    ours = np.asarray(K.as_array(p.ours(*p.inputs)))
    theirs = keras.ops.convert_to_numpy(p.theirs(keras, *p.inputs))
    _compare(ours, theirs, record_property)


def test_dropout_has_keras_structure(keras):
    """Random draws differ between libraries; what is kept is scaled by 1 / (1 - rate)."""
    x = f32(50, 40, low=0.5, high=1.5)
    ours = K.dropout(x, 0.25, seed=1).numpy()
    theirs = keras.ops.convert_to_numpy(
        keras.random.dropout(keras.ops.convert_to_tensor(x), 0.25, seed=1)
    )
    for out in (ours, theirs):
        kept = out != 0
        np.testing.assert_allclose(out[kept], x[kept] / 0.75, rtol=1e-6)
        assert abs(kept.mean() - 0.75) < 0.05
    assert ours.dtype == theirs.dtype == np.float32


def test_to_snake_case_matches_keras(keras):
    from keras.src.utils.naming import to_snake_case

    names = [
        "Dense",
        "BatchNormalization",
        "Conv2D",
        "Conv2DTranspose",
        "LeakyReLU",
        "PReLU",
        "ReLU",
        "GRU",
        "LSTMCell",
        "SimpleRNN",
        "GlobalAveragePooling2D",
        "UpSampling2D",
        "ZeroPadding2D",
        "HTTPServer",
        "SGD",
        "RMSprop",
        "MeanIoU",
        "AUC",
        "TextVectorization",
        "My-Layer.v2",
        "already_snake",
    ]
    assert [naming.to_snake_case(n) for n in names] == [to_snake_case(n) for n in names]


# --- gradients against PyTorch autograd through keras.ops ---------------------------------
@dataclass(frozen=True)
class GradPair:
    name: str
    ours: Callable
    theirs: Callable
    inputs: tuple
    wrt: tuple[int, ...]  # the inputs whose gradients are compared


def grad_same(name: str, *inputs, wrt=(0,), label: str = "", **kwargs) -> GradPair:
    return GradPair(
        name + (f"[{label}]" if label else ""),
        lambda *a: getattr(K, name)(*a, **kwargs),
        lambda keras, *a: getattr(keras.ops, name)(*a, **kwargs),
        inputs,
        tuple(wrt),
    )


WITH_ZEROS = np.array([[-1.5, 0.0, 0.7], [0.0, 2.0, -0.3]], dtype=np.float32)

GRAD_PAIRS: list[GradPair] = [
    # nn ops (inputs include exact zeros: the convention at the kink must match too)
    grad_same("relu", WITH_ZEROS),
    grad_same("leaky_relu", WITH_ZEROS),
    grad_same("leaky_relu", WITH_ZEROS, negative_slope=0.1, label="slope"),
    grad_same("elu", WITH_ZEROS),
    grad_same("elu", WITH_ZEROS, alpha=0.5, label="alpha"),
    grad_same("sigmoid", 10 * X34),
    grad_same("softplus", 10 * X34),
    grad_same("softmax", X234, label="last"),
    grad_same("softmax", X234, axis=1, label="axis1"),
    grad_same("softmax", X234, axis=0, label="axis0"),
    grad_same("log_softmax", X234, label="last"),
    grad_same("log_softmax", X234, axis=1, label="axis1"),
    # cross-entropies, w.r.t. the prediction and (for soft labels) the target
    grad_same("categorical_crossentropy", soft_labels(3, 4), P34, wrt=(0, 1), label="probs"),
    grad_same(
        "categorical_crossentropy",
        soft_labels(3, 4),
        X34,
        from_logits=True,
        wrt=(0, 1),
        label="logits",
    ),
    grad_same(
        "categorical_crossentropy",
        soft_labels(2, 3, 4),
        f32(2, 3, 4, low=0.1, high=1.0),
        axis=1,
        wrt=(0, 1),
        label="axis1",
    ),
    grad_same("sparse_categorical_crossentropy", INT_LABELS, P34, wrt=(1,), label="probs"),
    grad_same(
        "sparse_categorical_crossentropy",
        INT_LABELS,
        X34,
        from_logits=True,
        wrt=(1,),
        label="logits",
    ),
    grad_same(
        "binary_crossentropy",
        f32(3, 4, low=0, high=1),
        f32(3, 4, low=0.05, high=0.95),
        wrt=(0, 1),
        label="probs",
    ),
    grad_same(
        "binary_crossentropy",
        f32(3, 4, low=0, high=1),
        3 * X34,
        from_logits=True,
        wrt=(0, 1),
        label="logits",
    ),
    GradPair(
        "sigmoid_crossentropy_with_logits",
        K.sigmoid_crossentropy_with_logits,
        lambda k, t, x: k.ops.binary_crossentropy(t, x, from_logits=True),
        (f32(3, 4, low=0, high=1), 3 * X34),
        (0, 1),
    ),
    # conventions at kinks: ties split evenly, 0 at abs(0), clip passes at its bounds
    grad_same(
        "maximum",
        np.array([1.0, 2.0, 3.0], np.float32),
        np.array([1.0, 1.0, 4.0], np.float32),
        wrt=(0, 1),
    ),
    grad_same(
        "minimum",
        np.array([1.0, 2.0, 3.0], np.float32),
        np.array([1.0, 1.0, 4.0], np.float32),
        wrt=(0, 1),
    ),
    grad_same("max", TIES, axis=1, label="ties"),
    grad_same("max", TIES, label="ties-all"),
    grad_same("abs", np.array([-1.0, 0.0, 2.0], np.float32)),
    GradPair(
        "clip[bounds]",
        lambda x: K.clip(x, 0.0, 1.0),
        lambda k, x: k.ops.clip(x, 0.0, 1.0),
        (np.array([-1.0, 0.0, 0.5, 1.0, 2.0], np.float32),),
        (0,),
    ),
]


def _ours_gradients(p: GradPair, upstream: np.ndarray) -> list[np.ndarray]:
    args = [K.Variable(x) if i in p.wrt else x for i, x in enumerate(p.inputs)]
    out = p.ours(*args)
    return K.gradients(K.sum(out * upstream), [args[i] for i in p.wrt])


def _torch_gradients(keras, p: GradPair, upstream: np.ndarray) -> list[np.ndarray]:
    import torch

    args = [torch.tensor(x, requires_grad=i in p.wrt) for i, x in enumerate(p.inputs)]
    out = p.theirs(keras, *args)
    (out * torch.tensor(upstream)).sum().backward()
    return [args[i].grad.numpy() for i in p.wrt]


@pytest.mark.parametrize("p", GRAD_PAIRS, ids=[p.name for p in GRAD_PAIRS])
def test_gradient_matches_torch_autograd(keras, p: GradPair, record_property):
    out_shape = np.shape(K.as_array(p.ours(*p.inputs)))
    upstream = np.random.default_rng(1).standard_normal(out_shape).astype(np.float32)
    ours = _ours_gradients(p, upstream)
    theirs = _torch_gradients(keras, p, upstream)
    worst = 0.0
    for i, (a, b) in zip(p.wrt, zip(ours, theirs, strict=True), strict=True):
        assert a is not None, f"no gradient for input {i}"
        assert a.dtype == np.float32
        worst = max(worst, float(np.max(np.abs(a - b))))
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"input {i}")
    record_property("max_abs_diff", worst)

"""`teachkeras.ops` against real Keras 3's `keras.ops` (PyTorch backend), in float32.

Values: every op against the `keras.ops` function of the same name, called with the SAME
arguments (positional and keyword): that is what proves the signatures and defaults are
Keras 3's. A few engine helpers that Keras has under another spelling (`getitem` is
indexing, `sigmoid_crossentropy_with_logits` is `binary_crossentropy(from_logits=True)`)
are compared with it. Gradients: the nn ops, the activations and the cross-entropies
against PyTorch autograd run through `keras.ops`, plus the conventions at kinks (ties, 0,
clip bounds) that decide what a gradient is where the function has none.

`test_signatures_match_keras` compares every op's parameters (names, order, defaults)
with the installed Keras, so they cannot drift; `test_ops_exports_only_keras_names`
keeps teachkeras-only helpers out of `ops`. (Keras 2's `K` has its own file.)

Each test records the largest absolute difference it saw as the `max_abs_diff` property
(visible with `--junitxml`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from teachkeras import ops
from teachkeras.backend import naming, nn_ops
from teachkeras.backend.tensor import as_array, gradients
from teachkeras.backend.variables import Variable


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


# Keras's own torch backend reverses axes with `x.T`, which PyTorch deprecates for n-d
# (and, in count_nonzero, for 0-d).
pytestmark = [
    pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning"),
    pytest.mark.filterwarnings("ignore:Tensor.T is deprecated on 0-D tensors:UserWarning"),
]

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
    ours: Callable  # (*arrays) -> teachkeras Tensor (or a tuple/list of them)
    theirs: Callable  # (keras, *arrays) -> keras tensor (or a tuple/list of them)
    inputs: tuple


def same(name: str, *inputs, label: str = "", **kwargs) -> Pair:
    """`ops.<name>(*inputs, **kwargs)` against `keras.ops.<name>(*inputs, **kwargs)`."""
    return Pair(
        name + (f"[{label}]" if label else ""),
        lambda *a: getattr(ops, name)(*a, **kwargs),
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
DISTINCT = R.permutation(np.linspace(-2, 2, 15, dtype=np.float32)).reshape(3, 5)
WIDE = np.linspace(-5, 5, 41, dtype=np.float32)  # across every kink of the hard activations
W234, W3 = f32(2, 3, 4, low=0.1, high=1.0), f32(3, low=0.1, high=1.0)


def _numpy(fn: Callable, *args, **kwargs) -> Callable:
    """NumPy's own function as the reference, where Keras's torch backend departs from it."""
    return lambda keras, *arrays: fn(*arrays, *args, **kwargs)


VALUE_PAIRS: list[Pair] = [
    # math, binary (with broadcasting)
    same("add", X34, f32(4)),
    same("subtract", f32(3, 1), f32(1, 4)),
    same("multiply", X34, f32(4)),
    same("divide", X34, P34),
    same("power", P34, f32(4)),
    same("maximum", X34, f32(4)),
    same("minimum", f32(3, 1), f32(1, 4)),
    same("mod", 3 * X34, P34),
    same("floor_divide", 3 * X34, P34),
    same("matmul", f32(2, 3), f32(3, 4), label="2d"),
    same("matmul", f32(2, 2, 3), f32(3, 4), label="batched"),
    same("matmul", f32(3), f32(3, 4), label="vector-left"),
    same("matmul", f32(3), f32(3), label="inner"),
    same("where", MASK, X34, f32(4)),
    same("where", MASK, x1=X34, x2=0.5, label="keywords"),
    pair("where[indices]", lambda c: ops.where(c), lambda k, c: k.ops.where(c), MASK),
    # math, unary
    same("negative", X34),
    same("exp", X34),
    same("expm1", 1e-3 * X34),
    same("exp2", X34),
    same("log", P34),
    same("log1p", f32(3, 4, low=-0.5, high=2.0)),
    same("log2", P34),
    same("log10", P34),
    same("sqrt", P34),
    same("rsqrt", P34),
    same("reciprocal", P34),
    same("square", X34),
    same("abs", X34),
    same("absolute", X34),
    same("tanh", X34),
    same("sin", X34),
    same("cos", X34),
    same("erf", X34),
    same("clip", X34, -0.5, 0.5),
    same("clip", X34, x_min=-0.5, x_max=0.5, label="keywords"),
    same("cast", HALVES, dtype="int32", label="int32"),
    same("cast", X34, dtype="float64", label="float64"),
    pair(
        "stop_gradient",
        ops.stop_gradient,
        lambda k, x: k.ops.stop_gradient(k.ops.convert_to_tensor(x)),
        X34,
    ),
    same("sign", np.array([-2.0, 0.0, 3.0], dtype=np.float32)),
    same("round", HALVES),
    same("round", np.array([1.234, -2.25, 0.05], dtype=np.float32), decimals=1, label="decimals"),
    same("floor", HALVES),
    same("equal", X34, np.where(MASK, X34, Y34)),
    same("not_equal", X34, np.where(MASK, X34, Y34)),
    same("greater", X34, Y34),
    same("greater_equal", X34, np.where(MASK, X34, Y34)),
    same("less", X34, Y34),
    same("less_equal", X34, np.where(MASK, X34, Y34)),
    same("logical_and", MASK, X34 > 0),
    same("logical_or", MASK, X34 > 0),
    same("logical_not", MASK),
    same("isnan", np.array([np.nan, 1.0, np.inf], dtype=np.float32)),
    same("isfinite", np.array([np.nan, 1.0, np.inf, -np.inf], dtype=np.float32)),
    # reductions
    same("sum", X234, label="all"),
    same("sum", X234, axis=(0, 2), keepdims=True, label="axes-keepdims"),
    same("mean", X234, axis=1, label="axis1"),
    same("mean", X234, axis=-1, keepdims=True, label="keepdims"),
    same("mean", np.array([1, 2, 4]), label="int"),
    same("mean", MASK, axis=0, label="bool"),
    same("max", X234, axis=1),
    same("max", X234, axis=1, initial=0.5, label="initial"),
    same("min", X234, axis=(0, 2), keepdims=True),
    same("min", X234, initial=-0.5, label="initial"),
    same("prod", f32(3, 4, low=0.5, high=1.5), axis=1),
    same("cumsum", X234, axis=1),
    same("cumsum", X234, label="flat"),
    same("var", X234, axis=-1),
    same("std", X234, axis=0, keepdims=True),
    same("logsumexp", X234, axis=-1),
    same("logsumexp", X234, label="all"),
    same("argmax", TIES, axis=1),
    same("argmax", X234, label="flat"),
    same("argmax", X234, axis=-1, keepdims=True, label="keepdims"),
    same("argmin", TIES, axis=0),
    same("argmin", X234, label="flat"),
    same("any", MASK, axis=1),
    same("all", MASK, axis=0),
    same("count_nonzero", np.where(MASK, X34, 0.0), label="all"),
    same("count_nonzero", np.where(MASK, X34, 0.0), axis=1, label="axis"),
    same("average", X234, axis=1),
    same("average", X234, axis=-1, weights=W234, label="weights"),
    # Keras's torch backend divides by sum(weights, dim=-1) and broadcasts 1-D weights
    # against the last axis; NumPy's rule (Keras's NumPy and JAX backends) is the reference.
    pair(
        "average[all-weights]",
        lambda x: ops.average(x, weights=W234),
        _numpy(np.average, weights=W234),
        X234,
    ),
    pair(
        "average[1d-weights]",
        lambda x: ops.average(x, axis=1, weights=W3),
        _numpy(np.average, axis=1, weights=W3),
        X234,
    ),
    pair("moments", lambda x: ops.moments(x, [0, 2]), lambda k, x: k.ops.moments(x, [0, 2]), X234),
    pair(
        "moments[keepdims]",
        lambda x: ops.moments(x, axes=1, keepdims=True),
        lambda k, x: k.ops.moments(x, axes=1, keepdims=True),
        X234,
    ),
    # norms: vectors and matrices
    same("norm", X34, label="frobenius"),
    same("norm", X34, axis=1, keepdims=True, label="rows"),
    same("norm", X34, ord=1, axis=1, label="vector-1"),
    same("norm", X34, ord=3, axis=0, label="vector-3"),
    same("norm", X34, ord=np.inf, axis=-1, label="vector-inf"),
    same("norm", X34, ord=-np.inf, axis=-1, label="vector-minus-inf"),
    same("norm", np.where(MASK, X34, 0.0), ord=0, axis=1, label="vector-0"),
    same("norm", f32(5), ord=2, label="vector-2"),
    same("norm", X34, ord="fro", label="fro"),
    same("norm", X34, ord="nuc", label="nuc"),
    same("norm", X34, ord=2, label="spectral"),
    same("norm", X34, ord=-2, label="smallest-singular"),
    same("norm", X34, ord=1, label="matrix-1"),
    same("norm", X34, ord=-1, label="matrix-minus-1"),
    same("norm", X34, ord=np.inf, label="matrix-inf"),
    same("norm", X234, ord="nuc", axis=(2, 1), keepdims=True, label="stack"),
    # linear algebra
    same("dot", f32(2, 3), f32(3, 4), label="2d"),
    same("dot", f32(2, 3, 4), f32(4, 5), label="3d-2d"),
    same("dot", f32(3), f32(3), label="vectors"),
    same("dot", np.float32(2.5), f32(2, 3), label="scalar"),
    same("tensordot", X234, f32(3, 4, 5), label="axes2"),
    same("tensordot", X234, f32(4, 2), axes=([0, 2], [1, 0]), label="pairs"),
    same("tensordot", f32(2), f32(3), axes=0, label="outer"),
    same("outer", f32(3), f32(2, 2)),
    same("einsum", "ij,jk->ik", f32(2, 3), f32(3, 4), label="matmul"),
    same("einsum", "...ij,jk", X234, f32(4, 5), label="ellipsis-implicit"),
    same("einsum", "bij,bkj->bik", X234, f32(2, 5, 4), label="batched"),
    same("einsum", "ii->i", f32(3, 3), label="diagonal"),
    same("einsum", "ij->", X34, label="sum"),
    same("diagonal", X234, offset=1, axis1=2, axis2=0),
    same("trace", X34, label="main"),
    same("trace", f32(2, 3, 3), offset=-1, axis1=1, axis2=2, label="offset"),
    same("diag", f32(3), k=1, label="build"),
    same("diag", X34, k=-1, label="read"),
    same("tril", X234),
    same("tril", X34, k=1, label="k1"),
    same("triu", X34, k=-1),
    # array ops
    same("reshape", X234, (4, -1, 2)),
    same("reshape", X234, newshape=(6, 4), label="keyword"),
    same("transpose", X234, axes=(0, -1, 1)),
    same("transpose", X234, label="reverse"),
    same("expand_dims", X34, axis=-1),
    same("squeeze", f32(3, 1, 4), axis=1),
    same("squeeze", f32(3, 1, 4, 1), label="all"),
    same("ravel", X234),
    same("swapaxes", X234, 0, 2),
    same("moveaxis", X234, 0, -1),
    same("moveaxis", X234, (0, 1), (2, 0), label="two"),
    same("flip", X234, label="all"),
    same("flip", X234, axis=1, label="axis"),
    same("broadcast_to", f32(3, 1), (2, 3, 4)),
    pair(
        "getitem[slices]",
        lambda x: ops.convert_to_tensor(x)[1:, ::2],
        lambda k, x: k.ops.convert_to_tensor(x)[1:, ::2],
        X34,
    ),
    pair(
        "getitem[pairs]",
        lambda x: ops.convert_to_tensor(x)[[0, 0, 2], [1, 1, 3]],
        lambda k, x: k.ops.convert_to_tensor(x)[[0, 0, 2], [1, 1, 3]],
        X34,
    ),
    pair(
        "getitem[mask]",
        lambda x: ops.convert_to_tensor(x)[MASK],
        lambda k, x: k.ops.convert_to_tensor(x)[k.ops.convert_to_tensor(MASK)],
        X34,
    ),
    same("take", X34, np.array([[1, 1], [-1, 0]]), axis=-1),
    same("take", X34, np.array([0, 5, 5, 11]), label="flat"),
    same("take_along_axis", X34, np.array([[0, 0], [3, 1], [2, 2]]), axis=1),
    same("take_along_axis", X34, np.array([5, 0, 11]), label="flat"),
    same("concatenate", [f32(2, 3), f32(4, 3)], label="default-axis0"),
    same("concatenate", [f32(2, 3), f32(2, 1)], axis=-1, label="last"),
    same("stack", [f32(2, 3), f32(2, 3)], axis=1),
    same("stack", [f32(2, 3), f32(2, 3)], label="default"),
    same("split", f32(6, 2), 3, label="sections"),
    same("split", f32(2, 7), [1, 4], axis=1, label="indices"),
    same("tile", f32(2, 3), (2, 1, 3)),
    same("tile", f32(2, 3), repeats=2, label="int"),
    same("repeat", f32(2, 3), repeats=3, axis=-1),
    same("repeat", f32(2, 3), 2, label="flat"),
    same("pad", f32(2, 3), [(1, 2), (0, 1)], constant_values=3.0),
    pair("pad[int]", lambda x: ops.pad(x, 1), _numpy(np.pad, 1), f32(2, 3)),  # torch: pairs only
    same("pad", f32(2, 3), [(1, 0), (2, 2)], mode="constant", label="mode"),
    same("one_hot", np.array([0, 3, 1]), 4),
    same("one_hot", np.array([[0, 2], [-1, 1]]), 3, axis=0, dtype="int32", label="axis0"),
    # sorting
    same("sort", DISTINCT),
    same("sort", DISTINCT, axis=0, label="axis0"),
    same("argsort", DISTINCT),
    same("argsort", DISTINCT, axis=0, label="axis0"),
    pair("top_k", lambda x: ops.top_k(x, 3), lambda k, x: k.ops.top_k(x, 3), DISTINCT),
    pair(
        "in_top_k",
        lambda t, p: ops.in_top_k(t, p, 2),
        lambda k, t, p: k.ops.in_top_k(t, p, 2),
        np.array([0, 4, 2]),
        DISTINCT,
    ),
    # making tensors
    pair("shape", lambda x: np.array(ops.shape(x)), lambda k, x: np.array(k.ops.shape(x)), X234),
    pair("zeros", lambda: ops.zeros((2, 3)), lambda k: k.ops.zeros((2, 3))),
    pair("ones", lambda: ops.ones(3, dtype="int32"), lambda k: k.ops.ones(3, dtype="int32")),
    same("zeros_like", X34),
    same("ones_like", np.arange(3), dtype="float32"),
    pair("full", lambda: ops.full((2, 2), 7.0), lambda k: k.ops.full((2, 2), 7.0)),
    same("full_like", X34, 3.5),
    pair("eye", lambda: ops.eye(3, 4, k=1), lambda k: k.ops.eye(3, 4, k=1)),
    pair("identity", lambda: ops.identity(3), lambda k: k.ops.identity(3)),
    pair("arange", lambda: ops.arange(1, 7, 2), lambda k: k.ops.arange(1, 7, 2)),
    pair(
        "arange[float]", lambda: ops.arange(0.5, 2.0, 0.25), lambda k: k.ops.arange(0.5, 2.0, 0.25)
    ),
    pair("linspace", lambda: ops.linspace(0.0, 1.0, 5), lambda k: k.ops.linspace(0.0, 1.0, 5)),
    pair(
        "linspace[no-endpoint]",
        lambda: ops.linspace(-1.0, 1.0, 4, endpoint=False),
        lambda k: k.ops.linspace(-1.0, 1.0, 4, endpoint=False),
    ),
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
    same("relu6", WIDE * 2),
    same("selu", WIDE),
    same("gelu", WIDE, label="approximate"),
    same("gelu", WIDE, approximate=False, label="exact"),
    same("silu", WIDE),
    same("swish", WIDE),
    same("hard_sigmoid", WIDE),
    same("hard_silu", WIDE),
    same("hard_swish", WIDE),
    same("softsign", WIDE),
    same("log_sigmoid", 10 * WIDE),
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
        nn_ops.sigmoid_crossentropy_with_logits,
        lambda k, t, x: k.ops.binary_crossentropy(t, x, from_logits=True),
        f32(3, 4, low=0, high=1),
        10 * X34,
    ),
    same("batch_normalization", X34, f32(4), f32(4, low=0.5, high=2), -1, f32(4), f32(4)),
    same("batch_normalization", X234, f32(3), f32(3, low=0.5, high=2), 1, label="no-affine"),
    # convolutions and pooling (each also has its own suite: test_conv_parity, test_pooling_parity)
    same("conv", f32(2, 7, 3), f32(3, 3, 4), padding="same", label="1d"),
    same("conv", f32(2, 6, 6, 3), f32(3, 3, 3, 2), strides=2, dilation_rate=1, label="2d"),
    same(
        "conv",
        f32(1, 3, 7, 7),
        f32(3, 3, 3, 2),
        dilation_rate=2,
        data_format="channels_first",
        label="2d-dilated-cf",
    ),
    same("conv_transpose", f32(2, 5, 3), f32(3, 4, 3), strides=2, padding="same", label="1d"),
    same("conv_transpose", f32(2, 4, 3), f32(2, 2, 3), strides=2, output_padding=1, label="1d-op"),
    same("conv_transpose", f32(1, 3, 3, 2), f32(3, 3, 4, 2), strides=2, label="2d"),
    same("max_pool", f32(2, 6, 6, 3), 2, label="2d"),
    same("max_pool", f32(2, 7, 3), 3, strides=2, padding="same", label="1d"),
    same("average_pool", f32(2, 6, 6, 3), 3, strides=2, label="2d"),
]


def _as_numpy(value) -> list[np.ndarray]:
    """One or several results (a tuple from `where`, `split`, `top_k`, ...) as arrays."""
    if isinstance(value, tuple | list) or type(value).__name__ == "topk":
        return [np.asarray(as_array(v)) for v in value]
    return [np.asarray(as_array(value))]


def _compare(ours: np.ndarray, theirs: np.ndarray) -> float:
    """Assert equal shapes, float32 where Keras gives float32, and close values; the max diff."""
    assert ours.shape == theirs.shape
    if theirs.dtype == np.float32:
        assert ours.dtype == np.float32, f"ours is {ours.dtype}"
    if theirs.dtype.kind in "biu":
        np.testing.assert_array_equal(ours, theirs)
        return 0.0
    diff = float(np.max(np.abs(ours.astype(np.float64) - theirs))) if ours.size else 0.0
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    return diff


@pytest.mark.parametrize("p", VALUE_PAIRS, ids=[p.name for p in VALUE_PAIRS])
def test_value_matches_keras_ops(keras, p: Pair, record_property):
    ours = _as_numpy(p.ours(*p.inputs))
    theirs = p.theirs(keras, *p.inputs)
    if p.name == "where[indices]":  # Keras's torch backend stacks what NumPy returns as a tuple
        ours = [np.stack(ours)]
    theirs = [keras.ops.convert_to_numpy(t) for t in _several(theirs)]
    assert len(ours) == len(theirs)
    worst = 0.0
    for a, b in zip(ours, theirs, strict=True):
        worst = max(worst, _compare(a, b))
    record_property("max_abs_diff", worst)


def _several(value) -> list:
    return list(value) if isinstance(value, tuple | list) else [value]


def test_dropout_has_keras_structure(keras):
    """Random draws differ between libraries; what is kept is scaled by 1 / (1 - rate)."""
    x = f32(50, 40, low=0.5, high=1.5)
    ours = nn_ops.dropout(x, 0.25, seed=1).numpy()
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
        lambda *a: getattr(ops, name)(*a, **kwargs),
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
    # the activations written from primitives. relu6, hard_sigmoid and hard_silu are compared
    # off their upper kink: at exactly 6 (x = 3 for the hard ones) `minimum` splits the tie,
    # ½ each way, where PyTorch's relu6/hardsigmoid give 0 (WIDE + 1/8 holds no kink).
    grad_same("relu6", WIDE * 2 + 0.125),
    grad_same("selu", WIDE),
    grad_same("gelu", WIDE, label="approximate"),
    grad_same("gelu", WIDE, approximate=False, label="exact"),
    grad_same("silu", WIDE),
    grad_same("hard_sigmoid", WIDE + 0.125),
    grad_same("hard_silu", WIDE + 0.125),
    grad_same("softsign", WIDE),
    grad_same("log_sigmoid", 10 * WIDE),
    # products, sorting and norms
    grad_same("dot", f32(2, 3), f32(3, 4), wrt=(0, 1)),
    GradPair(
        "einsum",
        lambda a, b: ops.einsum("bij,bkj->bik", a, b),
        lambda k, a, b: k.ops.einsum("bij,bkj->bik", a, b),
        (X234, f32(2, 5, 4)),
        (0, 1),
    ),
    grad_same("tensordot", X234, f32(4, 2), axes=([0, 2], [1, 0]), wrt=(0, 1)),
    grad_same("sort", DISTINCT, axis=0),
    grad_same("norm", X34, ord="nuc", label="nuc"),
    grad_same("norm", X34, ord=1, axis=1, label="vector-1"),
    GradPair(
        "average",
        lambda x, w: ops.average(x, axis=-1, weights=w),
        lambda k, x, w: k.ops.average(x, axis=-1, weights=w),
        (X234, W234),
        (0, 1),
    ),
    grad_same("mod", 3 * X34, P34, wrt=(0, 1)),
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
        nn_ops.sigmoid_crossentropy_with_logits,
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
        lambda x: ops.clip(x, 0.0, 1.0),
        lambda k, x: k.ops.clip(x, 0.0, 1.0),
        (np.array([-1.0, 0.0, 0.5, 1.0, 2.0], np.float32),),
        (0,),
    ),
]


def _ours_gradients(p: GradPair, upstream: np.ndarray) -> list[np.ndarray]:
    args = [Variable(x) if i in p.wrt else x for i, x in enumerate(p.inputs)]
    out = p.ours(*args)
    return gradients(ops.sum(out * upstream), [args[i] for i in p.wrt])


def _torch_gradients(keras, p: GradPair, upstream: np.ndarray) -> list[np.ndarray]:
    import torch

    args = [torch.tensor(x, requires_grad=i in p.wrt) for i, x in enumerate(p.inputs)]
    out = p.theirs(keras, *args)
    (out * torch.tensor(upstream)).sum().backward()
    return [args[i].grad.numpy() for i in p.wrt]


@pytest.mark.parametrize("p", GRAD_PAIRS, ids=[p.name for p in GRAD_PAIRS])
def test_gradient_matches_torch_autograd(keras, p: GradPair, record_property):
    out_shape = np.shape(as_array(p.ours(*p.inputs)))
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


# --- the signatures themselves ---------------------------------------------------------------
def _public_functions(namespace) -> dict[str, Callable]:
    return {
        name: value
        for name, value in vars(namespace).items()
        if not name.startswith("_") and callable(value) and not inspect.isclass(value)
    }


def _parameters(fn: Callable) -> list[tuple[str, str, object]]:
    """(name, kind, default) of each parameter; Keras's `inspect.Parameter.empty` is ours."""
    return [(p.name, p.kind.name, p.default) for p in inspect.signature(fn).parameters.values()]


# Names `teachkeras.ops` has and `keras.ops` has not, each with its reason.
NOT_IN_KERAS = {"pow": "NumPy's name for `power`, kept as an alias (tests/test_ops.py)"}


def test_ops_exports_only_keras_names(keras):
    """`teachkeras.ops` is Keras 3's namespace: teachkeras's own helpers live in the engine files."""
    extra = sorted(set(_public_functions(ops)) - set(dir(keras.ops)) - set(NOT_IN_KERAS))
    assert not extra, f"teachkeras.ops exports names keras.ops does not have: {extra}"
    assert not hasattr(keras.ops, "pow"), "keras.ops has `pow` now: drop it from NOT_IN_KERAS"


def test_signatures_match_keras(keras):
    """Every op both namespaces have takes the same parameters, in the same order, with the
    same defaults: a Keras 3 call (positional or keyword) means the same thing here."""
    ours = {n: f for n, f in _public_functions(ops).items() if n not in NOT_IN_KERAS}
    compared, differ = 0, []
    for name in sorted(ours):
        theirs = getattr(keras.ops, name)
        compared += 1
        if _parameters(ours[name]) != _parameters(theirs):
            differ.append(f"{name}{inspect.signature(ours[name])} != {inspect.signature(theirs)}")
    assert not differ, "signatures differ from keras.ops:\n" + "\n".join(differ)
    assert compared > 120  # the ops a learner meets in Keras 3 tutorials, and more

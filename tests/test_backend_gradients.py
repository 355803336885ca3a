"""Every differentiable op of `teachkeras.ops` and of Keras 2's `K`, checked against finite differences.

One table, `CASES`: each row names the exported op it covers, a function of tensors that
uses it, and the inputs (float64, so central differences are accurate). The meta-test
at the end enumerates the public callables of the backend and fails if a differentiable
one has no row: adding an op means adding its gradient check here.

Inputs are chosen away from kinks (|x| at 0, relu at 0, clip bounds) unless the row is
about the kink's convention (ties in max/min/maximum are split evenly, which is what a
central difference measures).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import ops
from teachkeras.backend import recurrent_ops
from teachkeras.backend.tensor import Tensor
from teachkeras.legacy import backend as keras2_backend

R = np.random.default_rng(2024)


def normal(*shape: int) -> np.ndarray:
    return R.standard_normal(shape)


def positive(*shape: int) -> np.ndarray:
    return R.uniform(0.5, 2.0, shape)


def away_from_zero(*shape: int) -> np.ndarray:
    """Values with |x| in [0.3, 2]: no kink of abs/relu/... within reach of h."""
    return R.uniform(0.3, 2.0, shape) * R.choice([-1.0, 1.0], shape)


def distinct(*shape: int) -> np.ndarray:
    """All values at least 0.05 apart (no accidental ties for max/min)."""
    n = int(np.prod(shape))
    return R.permutation(np.linspace(-2.0, 2.0, n) if n > 1 else np.array([0.7])).reshape(shape)


def probabilities(*shape: int) -> np.ndarray:
    return R.uniform(0.05, 0.95, shape)


def labels(num_classes: int, *shape: int) -> np.ndarray:
    return R.integers(0, num_classes, shape)


@dataclass(frozen=True)
class Case:
    op: Callable  # the exported backend op this row covers
    f: Callable[..., Tensor]
    inputs: tuple
    name: str


def case(op: Callable, *inputs, f: Callable | None = None, name: str = "", **kwargs) -> Case:
    """A row: `f` defaults to `op(*tensors, **kwargs)`."""
    fn = f if f is not None else (lambda *t: op(*t, **kwargs))
    label = op.__name__ + (f"[{name}]" if name else "")
    return Case(op, fn, inputs, label)


def _without_warning(op: Callable, *args, **kwargs):
    """`op(...)`, silencing the deprecation warning it gives (the row checks the math)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return op(*args, **kwargs)


MASK_34 = R.random((3, 4)) > 0.5
MASK_4 = np.array([True, False, True, True])
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])  # each row's max appears twice
TIES_MIN = np.array([[1.0, 1.0, 3.0], [0.0, 2.0, 0.0]])  # each row's min appears twice
WITH_ZERO = np.array([[0.5, 0.0, 1.5], [2.0, -1.0, 0.7]])  # prod's gradient without division
MASK_25 = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)  # gaps in an rnn's sequence
CLIP_SAFE = np.array([[-1.0, -0.2, 0.1], [0.3, 0.9, 2.0]])  # nothing near the bounds ±0.5
ATTENTION_MASK = R.random((2, 1, 3, 5)) > 0.4  # (batch, heads, T, S), each query keeps a key:
ATTENTION_MASK[..., 0] = True  # a fully masked row's output does not depend on the scores

CASES: list[Case] = [
    # --- math: binary ops, with every broadcasting pattern ---------------------------
    case(K.add, normal(3, 4), normal(3, 4), name="same"),
    case(K.add, normal(3, 4), normal(4), name="row"),
    case(K.add, normal(3, 1), normal(1, 4), name="outer"),
    case(K.add, normal(4), normal(2, 3, 4), name="left-broadcast"),
    case(K.add, normal(2, 3, 4), normal(), name="scalar"),
    case(K.subtract, normal(3, 4), normal(4), name="row"),
    case(K.subtract, normal(3, 1), normal(1, 4), name="outer"),
    case(K.subtract, normal(), normal(2, 3), name="scalar-left"),
    case(K.multiply, normal(3, 4), normal(4), name="row"),
    case(K.multiply, normal(3, 1), normal(1, 4), name="outer"),
    case(K.multiply, normal(2, 1, 4), normal(3, 1), name="3d"),
    case(K.divide, normal(3, 4), away_from_zero(4), name="row"),
    case(K.divide, normal(3, 1), away_from_zero(1, 4), name="outer"),
    case(K.divide, away_from_zero(), away_from_zero(2, 3), name="scalar-left"),
    case(K.power, positive(3, 4), normal(4), name="row"),
    case(K.power, positive(3, 1), normal(1, 4), name="outer"),
    case(K.power, normal(3, 4), f=lambda x: K.power(x, 3.0), name="cube"),
    case(K.power, normal(3, 4), f=lambda x: x**2, name="operator"),
    case(K.power, normal(3, 4), f=lambda x: 2.0**x, name="reflected"),
    case(K.maximum, distinct(3, 4), distinct(4) + 0.025, name="row"),
    case(K.maximum, distinct(3, 1), distinct(1, 4) + 0.025, name="outer"),
    case(K.maximum, np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0]), name="ties"),
    case(K.minimum, distinct(3, 4), distinct(4) + 0.025, name="row"),
    case(K.minimum, np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0]), name="ties"),
    case(K.matmul, normal(2, 3), normal(3, 4), name="2d"),
    case(K.matmul, normal(2, 2, 3), normal(2, 3, 4), name="batched"),
    case(K.matmul, normal(2, 2, 3), normal(3, 4), name="broadcast-b"),
    case(K.matmul, normal(3, 4), normal(2, 4, 2), name="broadcast-a"),
    case(K.matmul, normal(2, 1, 2, 3), normal(1, 3, 3, 2), name="broadcast-both"),
    case(K.matmul, normal(3), normal(3, 4), name="vector-left"),
    case(K.matmul, normal(2, 3), normal(3), name="vector-right"),
    case(K.matmul, normal(3), normal(3), name="inner"),
    case(K.matmul, normal(2, 3), normal(3, 4), f=lambda a, b: a @ b, name="operator"),
    case(K.where, normal(3, 4), normal(4), f=lambda a, b: K.where(MASK_34, a, b), name="row"),
    case(K.where, normal(3, 4), normal(), f=lambda a, b: K.where(MASK_4, a, b), name="mask-bc"),
    # --- math: unary ops ---------------------------------------------------------------
    case(K.negative, normal(3, 4)),
    case(K.negative, normal(3, 4), f=lambda x: -x, name="operator"),
    case(K.exp, normal(3, 4)),
    case(K.log, positive(3, 4)),
    case(K.log1p, R.uniform(-0.5, 2.0, (3, 4))),
    case(K.sqrt, positive(3, 4)),
    case(K.square, normal(3, 4)),
    case(K.abs, away_from_zero(3, 4)),
    case(K.tanh, normal(3, 4)),
    case(K.sin, normal(3, 4)),
    case(K.cos, normal(3, 4)),
    case(K.erf, normal(3, 4)),
    case(K.clip, CLIP_SAFE, f=lambda x: K.clip(x, -0.5, 0.5)),
    case(K.cast, normal(3, 4), f=lambda x: K.cast(x, "float64")),
    # --- reductions --------------------------------------------------------------------
    case(K.sum, normal(2, 3, 4), name="all"),
    case(K.sum, normal(2, 3, 4), axis=0, name="axis0"),
    case(K.sum, normal(2, 3, 4), axis=-1, name="axis-1"),
    case(K.sum, normal(2, 3, 4), axis=(0, 2), name="axes"),
    case(K.sum, normal(2, 3, 4), axis=1, keepdims=True, name="keepdims"),
    case(K.sum, normal(2, 3, 4), keepdims=True, name="all-keepdims"),
    case(K.mean, normal(2, 3, 4), name="all"),
    case(K.mean, normal(2, 3, 4), axis=1, name="axis1"),
    case(K.mean, normal(2, 3, 4), axis=[0, -1], name="axes"),
    case(K.mean, normal(2, 3, 4), axis=-1, keepdims=True, name="keepdims"),
    case(K.max, distinct(2, 3, 4), name="all"),
    case(K.max, distinct(2, 3, 4), axis=1, name="axis1"),
    case(K.max, distinct(2, 3, 4), axis=(0, 2), keepdims=True, name="keepdims"),
    case(K.max, TIES, axis=1, name="ties"),
    case(K.max, TIES, name="ties-all"),
    case(K.min, distinct(2, 3, 4), name="all"),
    case(K.min, distinct(2, 3, 4), axis=-1, keepdims=True, name="keepdims"),
    case(K.min, TIES_MIN, axis=1, name="ties"),
    case(K.prod, away_from_zero(2, 3), name="all"),
    case(K.prod, away_from_zero(2, 3, 2), axis=1, name="axis1"),
    case(K.prod, away_from_zero(2, 3, 2), axis=(0, 2), keepdims=True, name="keepdims"),
    case(K.prod, WITH_ZERO, axis=1, name="zero"),
    case(K.cumsum, normal(3, 4), axis=0, name="axis0"),
    case(K.cumsum, normal(2, 3, 4), axis=-1, name="axis-1"),
    case(K.var, normal(3, 4), name="all"),
    case(K.var, normal(3, 4), axis=1, keepdims=True, name="keepdims"),
    case(K.std, normal(3, 4), name="all"),
    case(K.std, normal(3, 4), axis=0, name="axis0"),
    case(K.logsumexp, normal(3, 4), name="all"),
    case(K.logsumexp, normal(2, 3, 4), axis=-1, name="axis-1"),
    case(K.logsumexp, normal(2, 3, 4), axis=[0, 2], keepdims=True, name="keepdims"),
    case(K.norm, normal(3, 4), name="all"),
    case(K.norm, normal(3, 4), axis=1, keepdims=True, name="keepdims"),
    # --- array ops ---------------------------------------------------------------------
    case(K.reshape, normal(2, 3, 4), shape=(6, 4)),
    case(K.reshape, normal(2, 3, 4), shape=(4, -1, 2), name="infer"),
    case(K.transpose, normal(2, 3, 4), name="reverse"),
    case(K.transpose, normal(2, 3, 4), axes=(1, 0, 2), name="axes"),
    case(K.transpose, normal(2, 3, 4), axes=(0, -1, 1), name="negative-axes"),
    case(K.expand_dims, normal(3, 4), axis=0, name="front"),
    case(K.expand_dims, normal(3, 4), axis=-1, name="back"),
    case(K.squeeze, normal(3, 1, 4, 1), name="all"),
    case(K.squeeze, normal(3, 1, 4, 1), axis=1, name="axis"),
    case(K.flatten, normal(2, 3, 4)),
    case(K.batch_flatten, normal(2, 3, 4)),
    case(K.broadcast_to, normal(3, 1), shape=(2, 3, 4)),
    case(K.broadcast_to, normal(), shape=(2, 3), name="scalar"),
    case(K.getitem, normal(4, 5), f=lambda x: x[1:, ::2], name="slices"),
    case(K.getitem, normal(4, 5), f=lambda x: x[::-1, -2], name="reverse-int"),
    case(K.getitem, normal(2, 3, 4), f=lambda x: x[..., 1], name="ellipsis"),
    case(K.getitem, normal(3, 4), f=lambda x: x[None, :, 0], name="newaxis"),
    case(K.getitem, normal(4, 3), f=lambda x: x[[0, 2, 0, 0]], name="repeated-rows"),
    case(K.getitem, normal(4, 3), f=lambda x: x[np.array([[0, 1], [1, 1]])], name="2d-index"),
    case(K.getitem, normal(3, 4), f=lambda x: x[[0, 0, 2], [1, 1, 3]], name="pairs"),
    case(K.getitem, normal(3, 4), f=lambda x: x[:, [2, 2, 0]], name="columns"),
    case(K.getitem, normal(3, 4), f=lambda x: x[MASK_34], name="bool-mask"),
    case(K.getitem, normal(4, 3), f=lambda x: x[MASK_4], name="bool-rows"),
    case(K.getitem, normal(4, 3), f=lambda x: x[Tensor(np.array([3, 3, 1]))], name="tensor"),
    case(K.getitem, normal(4, 3), f=lambda x: K.getitem(x, (slice(1, 3), 0)), name="function"),
    case(K.take, normal(3, 4), f=lambda x: K.take(x, [0, 5, 5, 11]), name="flat"),
    case(K.take, normal(4, 3), f=lambda x: K.take(x, [2, 0, 2], axis=0), name="rows"),
    case(K.take, normal(3, 4), f=lambda x: K.take(x, [[1, 1], [-1, 0]], axis=-1), name="2d"),
    case(K.concatenate, normal(2, 3), normal(4, 3), f=lambda a, b: K.concatenate([a, b], 0)),
    case(
        K.concatenate,
        normal(2, 1),
        normal(2, 3),
        normal(2, 2),
        f=lambda a, b, c: K.concatenate([a, b, c], axis=-1),
        name="three",
    ),
    case(K.stack, normal(2, 3), normal(2, 3), f=lambda a, b: K.stack([a, b]), name="axis0"),
    case(K.stack, normal(2, 3), normal(2, 3), f=lambda a, b: K.stack([a, b], -1), name="last"),
    case(K.tile, normal(2, 3), reps=(2, 1)),
    case(K.tile, normal(2, 3), reps=(2, 1, 3), name="more-reps"),
    case(K.tile, normal(2, 3), reps=(2,), name="fewer-reps"),
    case(ops.repeat, normal(2, 3), repeats=2, axis=0, name="axis0"),
    case(ops.repeat, normal(2, 3), repeats=3, axis=-1, name="axis-1"),
    case(ops.repeat, normal(2, 3), repeats=2, name="flat"),
    case(ops.repeat, normal(3, 2), repeats=[2, 0, 1], axis=0, name="counts"),
    case(ops.pad, normal(2, 3), pad_width=[(1, 2), (0, 1)], constant_values=3.0),
    case(ops.pad, normal(2, 3), pad_width=1, name="int"),
    case(K.pad, normal(2, 3), pad_width=[(0, 1), (2, 0)], name="K"),
    # --- nn ops ------------------------------------------------------------------------
    case(K.relu, away_from_zero(3, 4)),
    case(K.leaky_relu, away_from_zero(3, 4), name="default"),
    case(K.leaky_relu, away_from_zero(3, 4), negative_slope=0.1, name="slope"),
    case(K.elu, away_from_zero(3, 4), name="default"),
    case(K.elu, away_from_zero(3, 4), alpha=0.5, name="alpha"),
    case(K.sigmoid, np.array([-30.0, -3.0, -0.5, 0.0, 0.5, 3.0, 30.0])),
    case(K.softplus, np.array([-30.0, -3.0, -0.5, 0.0, 0.5, 3.0, 30.0])),
    case(K.softmax, normal(2, 3, 4), name="last"),
    case(K.softmax, normal(2, 3, 4), axis=0, name="axis0"),
    case(K.softmax, normal(2, 3, 4), axis=1, name="axis1"),
    case(K.log_softmax, normal(2, 3, 4), name="last"),
    case(K.log_softmax, normal(2, 3, 4), axis=0, name="axis0"),
    case(K.log_softmax, normal(2, 3, 4), axis=1, name="axis1"),
    case(K.dropout, normal(4, 5), rate=0.5, seed=3),
    case(K.dropout, normal(4, 5), rate=0.3, noise_shape=(None, 1), seed=7, name="noise-shape"),
    case(K.dropout, normal(4, 5), rate=0.0, name="rate0"),
    case(K.categorical_crossentropy, probabilities(3, 4), positive(3, 4), name="probs"),
    case(
        K.categorical_crossentropy,
        probabilities(3, 4),
        normal(3, 4),
        from_logits=True,
        name="logits",
    ),
    case(
        K.categorical_crossentropy,
        probabilities(2, 4, 3),
        positive(2, 4, 3),
        axis=1,
        name="axis1",
    ),
    case(K.sparse_categorical_crossentropy, labels(4, 3), positive(3, 4), name="probs"),
    case(
        K.sparse_categorical_crossentropy,
        labels(4, 3, 1),
        normal(3, 4),
        from_logits=True,
        name="logits",
    ),
    case(
        K.sparse_categorical_crossentropy,
        labels(4, 2, 3),
        normal(2, 4, 3),
        from_logits=True,
        axis=1,
        name="axis1",
    ),
    case(K.binary_crossentropy, probabilities(3, 4), probabilities(3, 4), name="probs"),
    case(
        K.binary_crossentropy,
        probabilities(3, 4),
        normal(3, 4),
        from_logits=True,
        name="logits",
    ),
    case(K.sigmoid_crossentropy_with_logits, probabilities(3, 4), 5 * normal(3, 4)),
    case(K.sigmoid_crossentropy_with_logits, probabilities(4), normal(3, 4), name="bc-target"),
    # --- fused image ops (each also has its own exhaustive checks in test_conv/test_pooling/...)
    case(K.conv2d, normal(2, 5, 5, 3), normal(3, 3, 3, 4), name="valid"),
    case(
        K.conv2d, normal(2, 6, 5, 3), normal(3, 2, 3, 2), strides=2, padding="same", name="same-s2"
    ),
    case(
        K.conv2d,
        normal(1, 3, 7, 7),
        normal(3, 3, 3, 2),
        dilation_rate=2,
        data_format="channels_first",
        name="dilated-cf",
    ),
    case(K.conv1d, normal(2, 7, 3), normal(3, 3, 2), padding="causal", name="causal"),
    case(
        K.conv2d_transpose,
        normal(2, 3, 3, 2),
        normal(3, 3, 4, 2),
        strides=2,
        padding="same",
        name="same-s2",
    ),
    case(K.max_pool, distinct(2, 5, 5, 2), pool_size=2, name="2d"),
    case(K.max_pool, distinct(2, 7, 2), pool_size=3, strides=2, padding="same", name="1d-overlap"),
    case(
        K.max_pool2d,
        distinct(1, 2, 5, 5),
        pool_size=(2, 2),
        data_format="channels_first",
        name="cf",
    ),
    case(K.max_pool1d, distinct(2, 6, 3), pool_size=2),
    case(
        K.average_pool, normal(2, 5, 5, 2), pool_size=3, strides=2, padding="same", name="2d-same"
    ),
    case(K.avg_pool2d, normal(2, 4, 4, 3), pool_size=(2, 2)),
    case(K.avg_pool1d, normal(2, 7, 3), pool_size=3, strides=1),
    case(K.pool2d, distinct(1, 5, 5, 2), pool_size=(2, 2), pool_mode="max", name="max"),
    case(K.pool2d, normal(1, 5, 5, 2), pool_size=(2, 2), pool_mode="avg", name="avg"),
    case(
        K.batch_normalization_train,
        normal(6, 4),
        positive(4),
        normal(4),
        f=lambda x, g, b: K.batch_normalization_train(x, g, b, axes=(0,))[0],
        name="2d",
    ),
    case(
        K.batch_normalization_train,
        normal(3, 2, 4, 4),
        positive(2),
        normal(2),
        f=lambda x, g, b: K.batch_normalization_train(x, g, b, axes=(0, 2, 3))[0],
        name="cf-4d",
    ),
    case(
        K.normalize_batch_in_training,
        normal(5, 3),
        positive(3),
        normal(3),
        f=lambda x, g, b: K.normalize_batch_in_training(x, g, b, (0,))[0],
    ),
    case(
        K.batch_normalization,
        normal(4, 3),
        normal(3),
        positive(3),
        normal(3),
        positive(3),
        f=lambda x, m, v, o, sc: K.batch_normalization(x, m, v, offset=o, scale=sc),
    ),
    # --- teachkeras.ops with Keras 3's signatures (where K keeps Keras 2's) ---------------
    case(ops.clip, CLIP_SAFE, f=lambda x: ops.clip(x, x_min=-0.5, x_max=0.5)),
    case(ops.cumsum, normal(3, 4), name="flat"),
    case(ops.cumsum, normal(2, 3, 4), axis=-1, name="axis-1"),
    case(ops.reshape, normal(2, 3, 4), newshape=(4, -1, 2)),
    case(ops.concatenate, normal(2, 3), normal(4, 3), f=lambda a, b: ops.concatenate([a, b])),
    case(ops.max, distinct(2, 3), axis=1, initial=0.1, name="initial"),
    case(ops.min, distinct(2, 3), initial=-0.1, name="initial"),
    case(ops.dot, normal(2, 3), normal(3, 4), name="2d"),
    case(ops.dot, normal(2, 3), normal(4, 3, 5), name="2d-3d"),
    case(ops.dot, normal(3), normal(3), name="vectors"),
    case(ops.dot, normal(), normal(2, 3), name="scalar"),
    # --- math: the new elementwise ops -------------------------------------------------
    case(ops.mod, normal(3, 4) * 3, positive(4), name="row"),
    case(ops.expm1, normal(3, 4)),
    case(ops.reciprocal, away_from_zero(3, 4)),
    case(ops.rsqrt, positive(3, 4)),
    case(ops.log2, positive(3, 4)),
    case(ops.log10, positive(3, 4)),
    case(ops.exp2, normal(3, 4)),
    # --- reductions and statistics -------------------------------------------------------
    case(ops.average, normal(3, 4), name="plain"),
    case(ops.average, normal(3, 4), positive(3, 4), f=lambda x, w: ops.average(x, weights=w)),
    case(
        ops.average,
        normal(3, 4),
        positive(4),
        f=lambda x, w: ops.average(x, axis=1, weights=w),
        name="1d-weights",
    ),
    case(ops.moments, normal(4, 3), f=lambda x: ops.moments(x, axes=[0])[0], name="mean"),
    case(ops.moments, normal(4, 3), f=lambda x: ops.moments(x, [0], keepdims=True)[1], name="var"),
    # --- array ops: Keras 3's additions --------------------------------------------------
    case(ops.ravel, normal(2, 3, 4)),
    case(ops.swapaxes, normal(2, 3, 4), axis1=0, axis2=2),
    case(ops.moveaxis, normal(2, 3, 4), source=0, destination=-1),
    case(ops.moveaxis, normal(2, 3, 4), source=(0, 1), destination=(2, 0), name="two"),
    case(ops.flip, normal(3, 4), name="all"),
    case(ops.flip, normal(3, 4), axis=1, name="axis"),
    case(ops.split, normal(4, 3), f=lambda x: ops.split(x, 2)[1], name="sections"),
    case(ops.split, normal(3, 5), f=lambda x: ops.split(x, [1, 4], axis=1)[1], name="indices"),
    case(
        ops.take_along_axis,
        normal(3, 4),
        f=lambda x: ops.take_along_axis(x, np.array([[0, 0], [3, 1], [2, 2]]), axis=1),
    ),
    case(
        ops.take_along_axis,
        normal(3, 4),
        f=lambda x: ops.take_along_axis(x, np.array([5, 0, 11, 5])),
        name="flat",
    ),
    case(ops.sort, distinct(3, 4), name="last"),
    case(ops.sort, distinct(3, 4), axis=0, name="axis0"),
    case(ops.top_k, distinct(3, 5), f=lambda x: ops.top_k(x, 2)[0]),
    # --- linear algebra ----------------------------------------------------------------
    case(ops.tensordot, normal(2, 3, 4), normal(3, 4, 5), name="axes2"),
    case(ops.tensordot, normal(2, 3), normal(4, 2), axes=([0], [1]), name="pairs"),
    case(ops.tensordot, normal(2), normal(3), axes=0, name="outer"),
    case(ops.outer, normal(3), normal(2, 2)),
    case(ops.einsum, normal(2, 3), normal(3, 4), f=lambda a, b: ops.einsum("ij,jk->ik", a, b)),
    case(
        ops.einsum,
        normal(2, 2, 3),
        normal(3, 4),
        f=lambda a, b: ops.einsum("...ij,jk", a, b),
        name="ellipsis-implicit",
    ),
    case(ops.einsum, normal(3, 4), f=lambda a: ops.einsum("ij->", a), name="sum"),
    case(ops.einsum, normal(3, 3), f=lambda a: ops.einsum("ii->i", a), name="diagonal"),
    case(
        ops.einsum,
        normal(3, 4),
        normal(1, 4),
        f=lambda a, b: ops.einsum("ij,ij->i", a, b),
        name="broadcast",
    ),
    case(ops.diagonal, normal(2, 3, 4), offset=1, axis1=2, axis2=0),
    case(ops.trace, normal(3, 4), name="main"),
    case(ops.trace, normal(2, 3, 3), offset=-1, axis1=1, axis2=2, name="offset"),
    case(ops.diag, normal(3), k=1, name="build"),
    case(ops.diag, normal(3), k=-2, name="build-below"),
    case(ops.diag, normal(3, 4), k=-1, name="read"),
    case(ops.tril, normal(2, 3, 4), name="main"),
    case(ops.tril, normal(3, 4), k=1, name="k1"),
    case(ops.triu, normal(3, 4), k=-1),
    case(ops.norm, normal(3, 4), ord=1, axis=1, name="vector-1"),
    case(ops.norm, away_from_zero(3, 4), ord=3, axis=0, keepdims=True, name="vector-p"),
    case(ops.norm, distinct(3, 4) + 0.025, ord=np.inf, axis=-1, name="vector-inf"),  # no |x| ties
    case(ops.norm, distinct(3, 4) + 0.025, ord=-np.inf, axis=-1, name="vector-minus-inf"),
    case(ops.norm, normal(3, 4), ord="fro", name="fro"),
    case(ops.norm, normal(3, 4), ord="nuc", name="nuc"),
    case(ops.norm, normal(2, 3, 4), ord=2, axis=(1, 2), name="spectral"),
    case(ops.norm, normal(3, 4), ord=-2, name="smallest-singular"),
    case(ops.norm, away_from_zero(3, 4), ord=1, name="matrix-1"),
    case(ops.norm, away_from_zero(3, 4), ord=-np.inf, axis=(1, 0), keepdims=True, name="rows"),
    # --- activations from the primitives ---------------------------------------------------
    case(ops.relu6, R.uniform(-8.0, 8.0, (3, 4)) + 0.05),
    case(ops.selu, away_from_zero(3, 4)),
    case(ops.gelu, normal(3, 4), name="approximate"),
    case(ops.gelu, normal(3, 4), approximate=False, name="exact"),
    case(ops.silu, normal(3, 4)),
    case(ops.hard_sigmoid, R.uniform(-4.0, 4.0, (3, 4)) + 0.05),
    case(ops.hard_silu, R.uniform(-4.0, 4.0, (3, 4)) + 0.05),
    case(ops.log_sigmoid, np.array([-30.0, -3.0, -0.5, 0.0, 0.5, 3.0, 30.0])),
    # --- convolutions whose rank comes from the input ----------------------------------------
    case(ops.conv, normal(2, 7, 3), normal(3, 3, 2), padding="same", name="1d"),
    case(ops.conv, normal(2, 5, 5, 3), normal(3, 3, 3, 2), strides=2, name="2d"),
    case(
        ops.conv_transpose,
        normal(2, 4, 3),
        normal(3, 2, 3),
        strides=2,
        padding="same",
        name="1d",
    ),
    case(
        ops.conv_transpose,
        normal(2, 2, 5, 3),
        normal(3, 2, 2, 2),
        strides=2,
        output_padding=1,
        data_format="channels_first",
        name="1d-cf-output-padding",
    ),
    case(ops.conv_transpose, normal(1, 3, 3, 2), normal(2, 2, 4, 2), strides=2, name="2d"),
    case(ops.conv, normal(2, 4, 5, 3, 2), normal(2, 3, 2, 2, 3), padding="same", name="3d"),
    case(
        ops.conv,
        normal(1, 2, 6, 5, 4),
        normal(3, 2, 2, 2, 2),
        strides=(1, 2, 1),
        data_format="channels_first",
        name="3d-cf-strided",
    ),
    case(ops.conv, normal(1, 7, 6, 2), normal(3, 2, 2, 2), dilation_rate=(2, 3), name="2d-dilated"),
    case(
        ops.conv_transpose,
        normal(1, 3, 2, 3, 2),
        normal(2, 3, 2, 3, 2),
        strides=(2, 1, 2),
        padding="same",
        name="3d",
    ),
    case(ops.depthwise_conv, normal(2, 8, 3), normal(3, 3, 2), strides=2, name="1d"),
    case(ops.depthwise_conv, normal(2, 5, 6, 2), normal(3, 2, 2, 3), padding="same", name="2d"),
    case(
        ops.depthwise_conv,
        normal(1, 3, 6, 5),
        normal(2, 2, 3, 2),
        dilation_rate=2,
        data_format="channels_first",
        name="2d-cf-dilated",
    ),
    case(ops.depthwise_conv, normal(1, 4, 4, 3, 2), normal(2, 2, 2, 2, 1), name="3d"),
    case(
        ops.separable_conv,
        normal(2, 5, 5, 2),
        normal(3, 3, 2, 2),
        normal(1, 1, 4, 3),
        padding="same",
        name="2d",
    ),
    case(
        ops.separable_conv, normal(2, 7, 3), normal(3, 3, 1), normal(1, 3, 2), strides=2, name="1d"
    ),
    case(ops.normalize, normal(3, 4), name="l2"),
    case(ops.normalize, normal(3, 4), axis=0, order=1, name="l1-axis0"),
    case(ops.normalize, away_from_zero(2, 3, 4), axis=(1, 2), name="l2-two-axes"),
    # --- Keras 2's K functions (keras2_ops, keras2_nn, keras2_api, learning_phase) -------
    case(K.dot, normal(2, 3), normal(3, 4), name="2d"),
    case(K.dot, normal(2, 3, 4), normal(4, 5), name="3d-2d"),
    case(K.dot, normal(2, 3), normal(4, 3, 5), name="2d-3d"),
    case(K.dot, normal(2, 2, 3), normal(2, 3, 4), name="3d-3d"),
    case(K.batch_dot, normal(4, 3), normal(4, 3), name="vectors"),
    case(K.batch_dot, normal(2, 3, 4), normal(2, 4, 5), name="matrices"),
    case(K.batch_dot, normal(2, 3, 4), normal(2, 5, 3), axes=(1, 2), name="axes"),
    case(K.batch_dot, normal(2, 3), normal(2, 4, 3), axes=(1, 2), name="2d-3d"),
    case(K.batch_dot, normal(2, 3, 4, 2), normal(2, 2, 5), axes=(3, 1), name="4d-3d"),
    case(K.gather, normal(4, 3), f=lambda x: K.gather(x, [2, 0, 2])),
    case(K.cumprod, away_from_zero(3, 4), axis=1, name="axis1"),
    case(K.cumprod, away_from_zero(2, 3, 4), axis=0, name="axis0"),
    case(K.cumprod, WITH_ZERO, axis=1, name="zero"),
    case(K.permute_dimensions, normal(2, 3, 4), pattern=(2, 0, 1)),
    case(K.expand_dims, normal(3, 4), name="default-last"),
    case(K.tile, normal(2, 3), f=lambda x: K.tile(x, 2), name="int"),
    case(K.repeat, normal(2, 3), n=4, name="keras2"),
    case(
        K.concatenate,
        normal(2, 3),
        normal(2, 1),
        f=lambda a, b: K.concatenate([a, b]),
        name="default-last",
    ),
    case(K.slice, normal(3, 4, 5), start=(1, 0, 2), size=(2, -1, 2)),
    case(K.repeat_elements, normal(2, 3), rep=2, axis=1),
    case(K.spatial_2d_padding, normal(1, 3, 3, 2), padding=((1, 2), (0, 1)), name="last"),
    case(
        K.spatial_2d_padding,
        normal(1, 2, 3, 3),
        padding=((1, 0), (2, 1)),
        data_format="channels_first",
        name="first",
    ),
    case(
        K.resize_images, normal(1, 2, 3, 2), f=lambda x: K.resize_images(x, 2, 3, "channels_last")
    ),
    case(
        K.resize_images,
        normal(2, 3, 2, 2),
        f=lambda x: K.resize_images(x, 2, 2, "channels_last", interpolation="bilinear"),
        name="bilinear",
    ),
    case(
        K.resize_images,
        normal(1, 2, 3, 2),
        f=lambda x: K.resize_images(x, 3, 2, "channels_first", interpolation="bilinear"),
        name="bilinear-cf",
    ),
    case(K.bias_add, normal(2, 3, 4), normal(4), name="last"),
    case(K.bias_add, normal(2, 3, 2, 2), normal(3), data_format="channels_first", name="first"),
    case(K.bias_add, normal(2, 3, 4), normal(3, 4), name="sample-shape"),
    case(K.softsign, normal(3, 4)),
    case(K.hard_sigmoid, R.uniform(-2.4, 2.4, (3, 4))),
    case(K.l2_normalize, normal(3, 4), axis=-1, name="rows"),
    case(K.l2_normalize, normal(3, 4), name="all"),
    case(K.relu, away_from_zero(3, 4), alpha=0.1, name="alpha"),
    case(K.relu, distinct(3, 4) * 3, max_value=1.1, name="max-value"),
    case(K.relu, distinct(3, 4), threshold=0.525, alpha=0.3, name="threshold-alpha"),
    case(K.relu, distinct(3, 4) * 3, alpha=0.2, max_value=2.1, name="alpha-max"),
    case(K.identity, normal(3, 4)),
    case(
        K.switch, normal(3, 4), normal(3, 4), f=lambda a, b: K.switch(MASK_4[:3], a, b), name="rows"
    ),
    # a scalar condition picks one branch: only it receives a gradient
    case(K.switch, normal(3, 4), f=lambda a: K.switch(True, a, K.zeros_like(a)), name="scalar"),
    case(K.in_train_phase, normal(3), f=lambda a: K.in_train_phase(a, -a, training=1)),
    case(K.in_test_phase, normal(3), f=lambda a: K.in_test_phase(-a, a, training=1)),
    case(
        K.batch_normalization,
        normal(4, 3),
        normal(3),
        positive(3),
        normal(3),
        positive(3),
        f=lambda x, m, v, b, g: K.batch_normalization(x, m, v, b, g, epsilon=1e-3),
        name="keras2-order",
    ),
    # --- teachkeras.ops where K's function of the same name is Keras 2's own -----------
    case(ops.mean, normal(2, 3, 4), axis=1, name="axis1"),
    case(ops.expand_dims, normal(3, 4), axis=1, name="middle"),
    case(ops.tile, normal(2, 3), f=lambda x: ops.tile(x, (2, 1)), name="reps"),
    case(ops.relu, away_from_zero(3, 4)),
    case(
        ops.batch_normalization,
        normal(4, 3),
        normal(3),
        positive(3),
        normal(3),
        positive(3),
        f=lambda x, m, v, o, sc: ops.batch_normalization(x, m, v, axis=-1, offset=o, scale=sc),
    ),
    # --- recurrent steps (fused, hand-written VJPs) and the loop over time ----------------
    *[
        case(
            recurrent_ops.lstm_step,
            normal(3, 8),
            normal(3, 2),
            normal(3, 2),
            normal(2, 8),
            f=lambda x, h, c, u, a=act, g=gate: ops.concatenate(
                recurrent_ops.lstm_step(x, h, c, u, a, g), axis=1
            ),
            name=f"{act}-{gate}",
        )
        for act, gate in [("tanh", "sigmoid"), ("relu", "hard_sigmoid"), ("linear", "sigmoid")]
    ],
    case(
        recurrent_ops.gru_step,
        normal(3, 6),
        normal(3, 2),
        normal(2, 6),
        normal(6),
        f=lambda x, h, u, b: recurrent_ops.gru_step(x, h, u, b),
        name="reset-after",
    ),
    case(
        recurrent_ops.gru_step,
        normal(3, 6),
        normal(3, 2),
        normal(2, 6),
        f=lambda x, h, u: recurrent_ops.gru_step(x, h, u),
        name="reset-after-no-bias",
    ),
    case(
        recurrent_ops.gru_step,
        normal(3, 6),
        normal(3, 2),
        normal(2, 6),
        f=lambda x, h, u: recurrent_ops.gru_step(
            x, h, u, reset_after=False, activation="relu", recurrent_activation="hard_sigmoid"
        ),
        name="reset-before",
    ),
    case(recurrent_ops.simple_rnn_step, normal(3, 2), normal(3, 2), normal(2, 2), name="tanh"),
    case(
        recurrent_ops.simple_rnn_step,
        normal(3, 2),
        normal(3, 2),
        normal(2, 2),
        activation="relu",
        name="relu",
    ),
    case(
        recurrent_ops.unstack,
        normal(2, 4, 3),
        f=lambda x: ops.stack(recurrent_ops.unstack(x, axis=1)[::-1], axis=0) * 2,
    ),
    case(
        recurrent_ops.rnn,
        normal(2, 5, 3),
        normal(2, 2),
        normal(2, 2),
        normal(2, 8),
        normal(3, 8),
        f=lambda x, h, c, u, w: recurrent_ops.rnn(
            lambda x_t, s: _lstm_output_and_states(ops.matmul(x_t, w), s, u),
            x,
            [h, c],
            mask=MASK_25,
        )[1],
        name="lstm-bptt-masked",
    ),
    # layer normalization: the fused op (hand-written backward) on every layout it handles
    case(
        ops.layer_normalization,
        normal(2, 3, 5) * 2 + 1,
        positive(5),
        normal(5),
        f=lambda x, g, b: ops.layer_normalization(x, g, b, axis=-1, epsilon=1e-3),
        name="last",
    ),
    case(
        ops.layer_normalization,
        normal(2, 3, 4, 2),
        positive(3, 2),
        normal(3, 2),
        f=lambda x, g, b: ops.layer_normalization(x, g, b, axis=[1, 3], epsilon=1e-3),
        name="axes-1-3",
    ),
    case(
        ops.layer_normalization,
        normal(3, 4),
        f=lambda x: ops.layer_normalization(x, axis=0),
        name="no-params-axis0",
    ),
    case(
        ops.layer_normalization,
        normal(2, 3, 4),
        positive(4),
        f=lambda x, g: _without_warning(ops.layer_normalization, x, g, rms_scaling=True),
        name="rms-scaling",
    ),
    # scaled dot-product attention, written from primitives: masks, causal, groups of heads
    case(ops.dot_product_attention, normal(2, 3, 2, 4), normal(2, 5, 2, 4), normal(2, 5, 2, 3)),
    case(
        ops.dot_product_attention,
        normal(2, 3, 2, 4),
        normal(2, 5, 2, 4),
        normal(2, 5, 2, 4),
        f=lambda q, k, v: ops.dot_product_attention(q, k, v, mask=ATTENTION_MASK, scale=0.3),
        name="mask",
    ),
    case(
        ops.dot_product_attention,
        normal(1, 4, 4, 2),
        normal(1, 4, 2, 2),
        normal(1, 4, 2, 3),
        f=lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True),
        name="causal-grouped",
    ),
    case(
        ops.dot_product_attention,
        normal(2, 3, 1, 4),
        normal(2, 5, 1, 4),
        normal(2, 5, 1, 4),
        normal(2, 1, 3, 5),
        f=lambda q, k, v, b: ops.dot_product_attention(q, k, v, bias=b),
        name="bias",
    ),
    # --- images (ops.image): linear in the pixels, so the check is exact --------------
    case(ops.image.resize, normal(2, 3, 5, 2), size=(4, 3), name="bilinear"),
    case(ops.image.resize, normal(1, 4, 4, 1), size=(2, 6), interpolation="bicubic", name="cubic"),
    case(ops.image.resize, normal(1, 4, 6, 2), size=(3, 3), crop_to_aspect_ratio=True, name="crop"),
    case(
        ops.image.affine_transform,
        normal(2, 4, 5, 2),
        transform=np.array([[0.9, 0.3, -0.7, -0.2, 1.1, 0.4, 0, 0], [1, 0, 1.5, 0, 1, -0.5, 0, 0]]),
        fill_mode="constant",
        fill_value=2.0,
        name="bilinear-constant",
    ),
    case(
        ops.image.affine_transform,
        normal(1, 4, 5, 3),
        transform=np.array([1.2, 0.1, -0.3, 0.2, 0.8, 0.6, 0, 0]),
        fill_mode="reflect",
        name="bilinear-reflect",
    ),
    case(
        ops.image.affine_transform,
        normal(1, 3, 4, 2),
        transform=np.array([1, 0, 2.2, 0, 1, -1.6, 0, 0]),
        interpolation="nearest",
        fill_mode="wrap",
        name="nearest-wrap",
    ),
]


def _lstm_output_and_states(x_proj, states, u):
    h, c = recurrent_ops.lstm_step(x_proj, states[0], states[1], u)
    return h, [h, c]


@pytest.mark.parametrize("row", CASES, ids=[c.name for c in CASES])
def test_gradient_matches_finite_differences(row: Case):
    grads = K.check_gradients(row.f, *row.inputs)
    assert all(g is not None for g in grads), "the op recorded no gradient for an input"


@pytest.mark.parametrize("row", CASES, ids=[c.name for c in CASES])
def test_float32_in_float32_out_and_every_vjp_keeps_its_parents_dtype(row: Case):
    """No silent float64: in the forward value, nor in any VJP along the recorded graph."""
    tensors = []
    for x in row.inputs:
        x = np.asarray(x)
        t = Tensor(x.astype(np.float32) if x.dtype == np.float64 else x)
        t.requires_grad = t.dtype == np.float32
        tensors.append(t)
    out = row.f(*tensors)
    if row.op is not K.cast:
        assert out.dtype == np.float32
    seen: set[int] = set()
    stack = [out._node] if out._node is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for parent, vjp in zip(node.parents, node.vjps, strict=True):
            g = np.asarray(vjp(np.ones(node.shape, node.dtype)))
            assert g.dtype == parent.dtype, f"a VJP of {row.name} returned {g.dtype}"
            stack.append(parent)


# --- the meta-test: no differentiable op without a row -----------------------------------
NOT_DIFFERENTIABLE = {
    # engine, tensors and gradient tools
    "Tensor": "a class",
    "Variable": "a class",
    "GradientTape": "a class (tested in test_backend_engine)",
    "GradientCheckError": "an exception",
    "gradients": "the engine itself",
    "no_grad": "a context manager",
    "enable_grad": "a context manager",
    "check_gradients": "the checker",
    "numeric_gradient": "the checker's helper",
    "as_array": "a conversion",
    "as_tensor": "a conversion",
    "convert_to_tensor": "a conversion (a cast, when asked, is K.cast: checked)",
    "convert_to_numpy": "returns a NumPy array",
    "stop_gradient": "gradient is zero by definition (tested in test_backend_engine)",
    # settings and names
    "epsilon": "config",
    "floatx": "config",
    "image_data_format": "config",
    "set_epsilon": "config",
    "set_floatx": "config",
    "set_image_data_format": "config",
    "standardize_data_format": "config",
    "get_uid": "naming",
    "reset_uids": "naming",
    "clear_session": "naming",
    # Keras 2 helpers
    "backend": "a string",
    "is_tensor": "a predicate",
    "variable": "a constructor",
    "constant": "a constructor",
    "eval": "returns a NumPy array",
    "get_value": "returns a NumPy array",
    "set_value": "assigns a variable",
    "int_shape": "shape arithmetic",
    "ndim": "shape arithmetic",
    "dtype": "a string",
    "count_params": "an integer",
    # piecewise constant: gradient zero almost everywhere, so none is recorded
    "sign": "piecewise constant",
    "round": "piecewise constant",
    "floor": "piecewise constant",
    "equal": "boolean",
    "not_equal": "boolean",
    "greater": "boolean",
    "greater_equal": "boolean",
    "less": "boolean",
    "less_equal": "boolean",
    "argmax": "an index",
    "argmin": "an index",
    "any": "boolean",
    "all": "boolean",
    "one_hot": "built from integer labels",
    # Keras 2's K: classes, graph tools, constructors, state
    "SymbolicTensor": "a class",
    "Function": "a class (K.function's result)",
    "function": "runs a graph (tested in test_symbolic)",
    "placeholder": "a symbolic input",
    "learning_phase": "a flag",
    "set_learning_phase": "a flag",
    "is_keras_tensor": "a predicate",
    "is_placeholder": "a predicate",
    "shape": "integers",
    "cast_to_floatx": "returns a NumPy array",
    "batch_get_value": "returns NumPy arrays",
    "batch_set_value": "assigns variables",
    "update": "assigns a variable",
    "update_add": "assigns a variable",
    "update_sub": "assigns a variable",
    "moving_average_update": "assigns a variable",
    "eye": "a constructor",
    "zeros": "a constructor",
    "ones": "a constructor",
    "zeros_like": "a constant (no gradient, as in Keras 2)",
    "ones_like": "a constant (no gradient, as in Keras 2)",
    "random_uniform": "random draws",
    "random_normal": "random draws",
    "truncated_normal": "random draws",
    "random_uniform_variable": "a constructor",
    "random_normal_variable": "a constructor",
    "in_top_k": "boolean",
    "isnan": "boolean",
    "isfinite": "boolean",
    "logical_and": "boolean",
    "logical_or": "boolean",
    "logical_not": "boolean",
    "floor_divide": "piecewise constant",
    "count_nonzero": "an integer count",
    "argsort": "indices",
    "arange": "a constructor",
    "linspace": "a constructor",
    "full": "a constructor",
    "full_like": "a constant (as zeros_like)",
    "identity": "ops.identity(n) is a constructor (K.identity(x) has a row)",
}

NON_DIFFERENTIABLE_CALLS: dict[str, Callable] = {
    "sign": lambda x: K.sign(x),
    "round": lambda x: ops.round(x, decimals=1),
    "floor": lambda x: K.floor(x),
    "equal": lambda x: K.equal(x, 2 * x),
    "not_equal": lambda x: K.not_equal(x, 2 * x),
    "greater": lambda x: K.greater(x, 2 * x),
    "greater_equal": lambda x: K.greater_equal(x, 2 * x),
    "less": lambda x: K.less(x, 2 * x),
    "less_equal": lambda x: K.less_equal(x, 2 * x),
    "argmax": lambda x: K.argmax(x),
    "argmin": lambda x: K.argmin(x, axis=0),
    "any": lambda x: K.any(x > 0),
    "all": lambda x: K.all(x > 0, axis=1),
    "one_hot": lambda x: K.one_hot(K.argmax(x), 3),
    "in_top_k": lambda x: K.in_top_k(x, [0, 2], 2),
    "zeros_like": lambda x: K.zeros_like(x),
    "isnan": lambda x: ops.isnan(x),
    "isfinite": lambda x: ops.isfinite(x / x),
    "logical_and": lambda x: ops.logical_and(x > 0, x < 1),
    "logical_or": lambda x: ops.logical_or(x > 0, x < -1),
    "logical_not": lambda x: ops.logical_not(x > 0),
    "floor_divide": lambda x: ops.floor_divide(x, 0.3),
    "count_nonzero": lambda x: ops.count_nonzero(x, axis=0),
    "argsort": lambda x: ops.argsort(x),
    "full_like": lambda x: ops.full_like(x, 2.0),
}


def _public_callables() -> dict[str, Callable]:
    """Every public function of `teachkeras.ops`, and of Keras 2's `K` (the same ops seen
    through its symbolic wrapper, plus its own)."""
    found = {}
    for prefix, namespace in (("K.", keras2_backend), ("ops.", ops)):
        for name, value in vars(namespace).items():
            if not name.startswith("_") and callable(value) and not inspect.ismodule(value):
                found[name if prefix == "K." else prefix + name] = value
    return found


def test_every_differentiable_op_has_a_gradient_check():
    # a row written with K.op covers the op itself too (K's wrapper keeps it as __wrapped__)
    covered = {id(c.op) for c in CASES} | {id(getattr(c.op, "__wrapped__", None)) for c in CASES}
    missing = sorted(
        name
        for name, fn in _public_callables().items()
        if id(fn) not in covered and name.removeprefix("ops.") not in NOT_DIFFERENTIABLE
    )
    assert not missing, (
        f"backend ops without a row in CASES: {missing}. Add a gradient check for each "
        "(or, if it truly has no gradient, add it to NOT_DIFFERENTIABLE with the reason)."
    )


def test_not_differentiable_list_names_real_exports():
    exported = {name.removeprefix("ops.") for name in _public_callables()}
    stale = sorted(set(NOT_DIFFERENTIABLE) - exported)
    assert not stale, f"NOT_DIFFERENTIABLE names that the backend no longer exports: {stale}"


@pytest.mark.parametrize("name", sorted(NON_DIFFERENTIABLE_CALLS))
def test_non_differentiable_ops_record_nothing(name):
    x = K.Variable(np.array([[0.4, -1.6, 2.5], [1.0, 0.0, -0.5]]))
    out = NON_DIFFERENTIABLE_CALLS[name](x)
    assert not out.requires_grad
    assert K.gradients(K.sum(K.cast(out, "float32")), [x]) == [None]


def test_check_gradients_catches_a_wrong_vjp():
    from teachkeras.backend.tensor import record

    def wrong_square(x):
        return record(x.data**2, (x,), (lambda g: g * x.data,))  # forgot the factor 2

    with pytest.raises(K.GradientCheckError, match="disagrees with finite differences") as caught:
        K.check_gradients(wrong_square, np.array([0.5, -1.0, 2.0]))
    # the worst entry (the largest x, where 2x and x differ most) is named as a learner indexes it
    assert "at index (2,) (analytic " in str(caught.value) and "int64" not in str(caught.value)


def test_check_gradients_of_a_scalar_returns_the_gradient_itself():
    x = np.array([1.0, -2.0, 3.0])
    [grad] = K.check_gradients(lambda t: K.sum(t**2), x)
    np.testing.assert_allclose(grad, 2 * x)


def test_check_gradients_leaves_integer_inputs_alone():
    grads = K.check_gradients(
        lambda y, p: K.sparse_categorical_crossentropy(y, p, from_logits=True),
        np.array([0, 2]),
        normal(2, 3),
    )
    assert len(grads) == 1 and grads[0].shape == (2, 3)


def test_numeric_gradient_of_a_known_function():
    x = np.array([1.0, 2.0, 3.0])
    upstream = np.array([1.0, 0.5, 2.0])
    (g,) = K.numeric_gradient(lambda t: K.square(t), [x.copy()], upstream)
    np.testing.assert_allclose(g, 2 * x * upstream, rtol=1e-6)


@pytest.mark.parametrize("namespace", [keras2_backend, ops], ids=["K", "ops"])
def test_the_meta_test_notices_a_new_op(monkeypatch, namespace):
    monkeypatch.setattr(namespace, "brand_new_op", lambda x: x, raising=False)
    with pytest.raises(AssertionError, match="brand_new_op"):
        test_every_differentiable_op_has_a_gradient_check()

"""`teachkeras.ops`: Keras 3's op namespace, the plain engine ops with their gradients."""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest

from teachkeras import ops
from teachkeras.backend import (
    activation_ops,
    array_ops,
    conv_ops,
    creation_ops,
    linalg_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    sort_ops,
)
from teachkeras.backend.tensor import Tensor
from teachkeras.backend.variables import Variable


def test_ops_are_the_engine_functions_themselves():
    """One import away from the gradient: no wrapper between a layer and the op it calls."""
    assert ops.matmul is math_ops.matmul
    assert ops.sum is reduction_ops.sum
    assert ops.reshape is array_ops.reshape
    assert ops.softmax is nn_ops.softmax
    for name, value in vars(ops).items():
        if inspect.isfunction(value) and not name.startswith("_"):
            assert value.__module__.startswith("teachkeras."), name
            assert "symbolic" not in value.__module__ and "legacy" not in value.__module__, name


def test_convert_to_tensor_keeps_tensors_and_wraps_the_rest():
    t = Tensor(np.ones(3, dtype=np.float32))
    assert ops.convert_to_tensor(t) is t
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32  # Python floats: floatx
    assert ops.convert_to_tensor(np.ones(2)).dtype == np.float64  # an array keeps its dtype
    assert ops.convert_to_tensor(t, "float64").dtype == np.float64
    with pytest.raises(ValueError, match="sparse"):
        ops.convert_to_tensor(t, sparse=True)


def test_convert_to_numpy_copies_a_variable_but_not_a_result():
    v = Variable(np.zeros(3, dtype=np.float32))
    value = ops.convert_to_numpy(v)
    v.assign(np.ones(3, dtype=np.float32))
    np.testing.assert_array_equal(value, 0.0)  # the variable changed in place; the copy did not
    result = ops.square(Tensor(np.array([1.0, 2.0], dtype=np.float32)))
    assert ops.convert_to_numpy(result) is result.data
    np.testing.assert_array_equal(ops.convert_to_numpy([1, 2]), [1, 2])


def test_absolute_and_pow_are_keras_aliases():
    assert ops.absolute is ops.abs and ops.pow is ops.power


def test_importing_teachkeras_does_not_load_keras2s_k():
    code = (
        "import sys, teachkeras, teachkeras.ops\n"
        "assert 'teachkeras.legacy.backend' not in sys.modules, 'K loaded at import'\n"
        "from teachkeras import backend as K\n"
        "from teachkeras.backend import random\n"  # an engine module: still no K
        "assert 'teachkeras.legacy.backend' not in sys.modules, 'K loaded by an engine import'\n"
        "assert K.sum.__wrapped__ is teachkeras.ops.sum  # K: the same op, symbolic-aware\n"
        "assert 'teachkeras.legacy.backend' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_k_names_nothing_it_does_not_have():
    from teachkeras import backend as K

    with pytest.raises(AttributeError, match="no attribute 'no_such_function'"):
        K.no_such_function


def test_tensor_operators_are_the_ops():
    a = Tensor(np.array([1.0, 2.0], dtype=np.float32))
    np.testing.assert_array_equal((a + 1).numpy(), [2.0, 3.0])
    np.testing.assert_array_equal((2 * a).numpy(), [2.0, 4.0])  # reflected
    np.testing.assert_array_equal((1 - a).numpy(), [0.0, -1.0])
    np.testing.assert_array_equal((a @ a).numpy(), 5.0)
    np.testing.assert_array_equal((-a).numpy(), [-1.0, -2.0])
    np.testing.assert_array_equal(abs(-a).numpy(), [1.0, 2.0])
    np.testing.assert_array_equal((a > 1).numpy(), [False, True])
    np.testing.assert_array_equal(a[1].numpy(), 2.0)
    assert a == a and not (a == Tensor(a.numpy()))  # == stays identity


def test_new_families_are_the_engine_functions_too():
    assert ops.einsum is linalg_ops.einsum and ops.norm is linalg_ops.norm
    assert ops.top_k is sort_ops.top_k and ops.arange is creation_ops.arange
    assert ops.gelu is activation_ops.gelu and ops.swish is ops.silu
    assert ops.conv is conv_ops.conv and ops.split is array_ops.split


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ops.pad(np.ones(3), 1, mode="reflect"), r"pad: .*mode='constant' only"),
        (lambda: ops.where(np.ones(2) > 0, 1.0), r"where: give both x1 and x2"),
        (
            lambda: ops.squeeze(np.ones((2, 3)), axis=1),
            r"squeeze: axis 1 .* not an axis of length 1",
        ),
        (lambda: ops.one_hot([0, 3], 3), r"one_hot: class index 3 is not below num_classes=3"),
        (lambda: ops.split(np.ones(5), 2), r"split: axis 0 has length 5"),
        (lambda: ops.einsum("ij,jk", np.ones((2, 2))), r"einsum: 'ij,jk' names 2 operand"),
        (lambda: ops.einsum("ijk", np.ones((2, 2))), r"einsum: the subscripts 'ijk' name 3 axes"),
        (lambda: ops.norm(np.ones(3), ord="fro"), r"norm: ord='fro' is a matrix norm"),
        (lambda: ops.norm(np.ones((2, 2)), ord=3), r"norm: ord=3 is not a matrix norm"),
        (lambda: ops.norm(np.ones((2, 2, 2)), ord=1), r"norm: with ord=1 and axis=None"),
        (lambda: ops.dot(np.ones((2, 3)), np.ones((2, 3))), r"dot: .*different lengths"),
        (lambda: ops.tensordot(np.ones((2, 3)), np.ones(2), 1), r"tensordot: .*different lengths"),
        (lambda: ops.conv(np.ones((2, 3)), np.ones((1, 3, 1))), r"conv: .*Received: inputs.shape"),
        (lambda: ops.top_k(np.ones((2, 3)), 4), r"top_k: k=4 must be between 0 and .* 3"),
        (lambda: ops.diag(np.ones((2, 2, 2))), r"diag: x must be 1-D .* or 2-D"),
        (lambda: ops.tril(np.ones(3)), r"tril works on matrices"),
        (lambda: ops.average(np.ones((2, 3)), weights=np.ones(3)), r"average: `weights` must"),
    ],
)
def test_errors_name_the_op_what_it_expected_and_what_it_got(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_dtypes_follow_keras():
    x = np.ones((2, 3), dtype=np.float32)
    assert ops.mean(np.array([1, 2, 4])).dtype == np.float32  # integers average to a float
    assert ops.argmax(x).dtype == np.int32 and ops.argsort(x).dtype == np.int32
    assert ops.count_nonzero(x).dtype == np.int32
    assert ops.arange(5).dtype == np.int32 and ops.arange(0.0, 1.0, 0.5).dtype == np.float32
    assert ops.linspace(0, 1, 3).dtype == np.float32 and ops.eye(2).dtype == np.float32
    assert ops.zeros(2).dtype == ops.full((2,), 3).dtype == ops.identity(2).dtype == np.float32
    assert ops.zeros_like(np.arange(3)).dtype == np.arange(3).dtype
    assert ops.cumsum(np.array([True, True])).dtype == np.int32
    for fn in (ops.log2, ops.log10, ops.exp2, ops.rsqrt, ops.reciprocal, ops.var, ops.norm):
        assert fn(np.array([1, 2, 4])).dtype == np.float32, fn.__name__
    values, step = ops.linspace(0.0, 1.0, 5, retstep=True)
    assert step == 0.25 and values.shape == (5,)


def test_where_with_only_a_condition_gives_the_indices():
    rows, columns = ops.where(np.array([[True, False], [False, True]]))
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(columns.numpy(), [0, 1])


def test_one_hot_of_a_negative_index_is_all_zeros_and_axis_places_the_classes():
    out = ops.one_hot(np.array([1, -1]), 3, axis=0, dtype="int32").numpy()
    np.testing.assert_array_equal(out, [[0, 0], [1, 0], [0, 0]])


def test_top_k_breaks_ties_towards_the_lower_index():
    values, indices = ops.top_k(np.array([[1.0, 3.0, 3.0, 2.0]], dtype=np.float32), 3)
    np.testing.assert_array_equal(indices.numpy(), [[1, 2, 3]])
    np.testing.assert_array_equal(values.numpy(), [[3.0, 3.0, 2.0]])

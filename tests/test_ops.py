"""`teachkeras.ops`: Keras 3's op namespace, the plain engine ops with their gradients."""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest

from teachkeras import ops
from teachkeras.backend import array_ops, math_ops, nn_ops, reduction_ops
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

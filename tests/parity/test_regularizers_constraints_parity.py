"""Regularizers and constraints against real Keras 3: values, gradients and configs."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import constraints, regularizers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

RTOL, ATOL = 1e-5, 1e-6
W = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
W[1] *= 4.0  # some long vectors, some short ones, so the norm constraints act
W[:, 2] *= 0.1

REGULARIZERS = [
    ("L1", {"l1": 0.3}),
    ("L2", {"l2": 0.2}),
    ("L1L2", {"l1": 0.1, "l2": 0.05}),
    ("L1L2", {}),
    ("OrthogonalRegularizer", {"factor": 0.5}),
    ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
]


def test_regularizer_values_and_gradients_match_keras(keras):
    import torch

    worst = 0.0
    for name, kwargs in REGULARIZERS:
        w = K.Variable(W)
        penalty = getattr(regularizers, name)(**kwargs)(w)
        t = torch.tensor(W, requires_grad=True)
        ref = getattr(keras.regularizers, name)(**kwargs)(t)
        np.testing.assert_allclose(K.as_array(penalty), ref.detach().numpy(), rtol=RTOL)
        if not kwargs:  # L1L2() is the constant 0: neither has a gradient
            continue
        (g,) = K.gradients(penalty, [w])
        ref.backward()
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=RTOL, atol=ATOL, err_msg=name)
        worst = max(worst, float(np.abs(g - t.grad.numpy()).max()))
    print(f"regularizer gradients vs Keras: max |diff| {worst:.3g}")


def test_regularizer_configs_match_keras(keras):
    for name, kwargs in REGULARIZERS:
        ours = getattr(regularizers, name)(**kwargs).get_config()
        theirs = getattr(keras.regularizers, name)(**kwargs).get_config()
        assert list(ours) == list(theirs), name
        # Keras stores L1's and OrthogonalRegularizer's factor as a float32 tensor, so its
        # config says 0.30000001192092896 where ours says 0.3.
        for key in ours:
            assert ours[key] == (pytest.approx(theirs[key]) if key != "mode" else theirs[key])
        assert (
            type(
                regularizers.deserialize(
                    keras.regularizers.serialize(getattr(keras.regularizers, name)(**kwargs))
                )
            ).__name__
            == name
        )
    for name in ("l1", "l2", "l1l2", "orthogonal_regularizer", "L1L2"):
        assert type(regularizers.get(name)).__name__ == type(keras.regularizers.get(name)).__name__


CONSTRAINTS = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 1.5, "axis": 1}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0, "rate": 0.7, "axis": 1}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1]}),
]


def test_constraint_outputs_match_keras(keras):
    worst = 0.0
    for name, kwargs in CONSTRAINTS:
        ours = K.as_array(getattr(constraints, name)(**kwargs)(W))
        theirs = keras.ops.convert_to_numpy(getattr(keras.constraints, name)(**kwargs)(W))
        assert ours.dtype == theirs.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=f"{name}{kwargs}")
        worst = max(worst, float(np.abs(ours - theirs).max()))
    kernel = np.random.default_rng(1).normal(size=(3, 3, 2, 4)).astype("float32")
    ours = K.as_array(constraints.MaxNorm(1.0, axis=[0, 1, 2])(kernel))
    theirs = keras.ops.convert_to_numpy(keras.constraints.MaxNorm(1.0, axis=[0, 1, 2])(kernel))
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    print(f"constraints vs Keras: max |diff| {worst:.3g}")


def test_constraint_configs_match_keras(keras):
    for name, kwargs in CONSTRAINTS:
        ours = getattr(constraints, name)(**kwargs)
        theirs = getattr(keras.constraints, name)(**kwargs)
        assert ours.get_config() == theirs.get_config(), name
        assert list(ours.get_config()) == list(theirs.get_config()), name
        assert constraints.serialize(ours) == keras.constraints.serialize(theirs), name
    from keras.src.constraints import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        if cls.__name__ != "Constraint":
            assert type(constraints.get(name)).__name__ == cls.__name__, name

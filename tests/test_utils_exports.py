"""`keras.utils` names that live elsewhere in teachkeras: each is the one object, and works."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend, layers
from teachkeras.layers import keras_tensor
from teachkeras.serialization import registry


def test_registry_functions_are_the_saving_ones():
    for name in (
        "custom_object_scope",
        "get_custom_objects",
        "get_registered_name",
        "get_registered_object",
        "register_keras_serializable",
    ):
        assert getattr(keras.utils, name) is getattr(registry, name)


def test_register_and_find_through_utils():
    @keras.utils.register_keras_serializable(package="utils_test")
    class Twice(layers.Layer):
        def call(self, x):
            return x * 2

    assert keras.utils.get_registered_name(Twice) == "utils_test>Twice"
    assert keras.utils.get_registered_object("utils_test>Twice") is Twice
    assert keras.utils.get_custom_objects()["utils_test>Twice"] is Twice

    class Local:
        pass

    with keras.utils.custom_object_scope({"Local": Local}):
        assert keras.utils.get_registered_object("Local") is Local
    assert keras.utils.get_registered_object("Local") is None


def test_clear_session_is_the_backends_and_restarts_names():
    assert keras.utils.clear_session is backend.clear_session
    layers.Dense(1)
    keras.utils.clear_session()
    assert layers.Dense(1).name == "dense"


def test_is_keras_tensor():
    assert keras.utils.is_keras_tensor is keras_tensor.is_keras_tensor
    x = keras.Input((3,))
    assert keras.utils.is_keras_tensor(x)
    assert keras.utils.is_keras_tensor(layers.Dense(2)(x))
    assert not keras.utils.is_keras_tensor(np.ones(3))
    assert not keras.utils.is_keras_tensor(backend.constant(np.ones(3)))


@pytest.mark.parametrize(("axis", "order"), [(-1, 2), (1, 1), (0, 2), (-1, 3)])
def test_normalize_makes_unit_norms(axis, order):
    x = np.random.default_rng(0).normal(size=(4, 5))
    out = keras.utils.normalize(x, axis=axis, order=order)
    np.testing.assert_allclose(np.linalg.norm(out, ord=order, axis=axis), 1.0, rtol=1e-12)

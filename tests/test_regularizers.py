"""Regularizers: penalty values, gradients, validation, names and configs."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import regularizers
from teachkeras.legacy import KerasLegacyWarning

W = np.array([[1.0, -2.0], [0.5, 0.0]], dtype="float32")


def value(t) -> float:
    return float(K.as_array(t))


def test_l1_l2_l1l2_values():
    assert value(regularizers.L1(0.1)(W)) == pytest.approx(0.1 * 3.5)
    assert value(regularizers.L2(0.1)(W)) == pytest.approx(0.1 * 5.25)
    assert value(regularizers.L1L2(l1=0.1, l2=0.2)(W)) == pytest.approx(0.35 + 0.2 * 5.25)
    assert value(regularizers.L1L2()(W)) == 0.0
    assert regularizers.L1()(W).dtype == np.float32


def test_defaults_match_keras():
    assert regularizers.L1().l1 == 0.01 and regularizers.L2().l2 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L1(None).l1 == 0.01


def test_keras_docstring_example():
    # Dense(5, kernel_initializer='ones', kernel_regularizer=L1(0.01)) on 5 inputs: 0.25
    assert value(regularizers.L1(0.01)(np.ones((5, 5)))) == pytest.approx(0.25)


@pytest.mark.parametrize(
    "reg",
    [
        regularizers.L1(0.3),
        regularizers.L2(0.3),
        regularizers.L1L2(0.1, 0.2),
        regularizers.OrthogonalRegularizer(0.5),
        regularizers.OrthogonalRegularizer(0.5, mode="columns"),
    ],
    ids=lambda r: repr(r),
)
def test_gradients_match_finite_differences(reg):
    x = np.array([[0.3, -1.2, 0.7], [1.5, 0.4, -0.9], [-0.6, 0.8, 1.1]])
    K.check_gradients(reg, x)


def test_l2_gradient_is_weight_decay():
    w = K.Variable(W)
    (g,) = K.gradients(regularizers.L2(0.1)(w), [w])
    np.testing.assert_allclose(g, 2 * 0.1 * W, rtol=1e-6)


def test_orthogonal_regularizer_values():
    assert value(regularizers.OrthogonalRegularizer(1.0)(np.eye(3))) == pytest.approx(0.0)
    # two equal rows: |cos| = 1 for the only pair
    assert value(regularizers.OrthogonalRegularizer(1.0)(np.ones((2, 3)))) == pytest.approx(1.0)
    rows = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    # pairs: (r0, r1) 1/√2, (r0, r2) 0, (r1, r2) 1/√2 -> mean √2/3
    expected = 0.1 * np.sqrt(2) / 3
    assert value(regularizers.OrthogonalRegularizer(0.1)(rows)) == pytest.approx(expected)
    assert value(regularizers.OrthogonalRegularizer(0.1, "columns")(rows.T)) == pytest.approx(
        expected
    )


def test_orthogonal_regularizer_zero_row_has_finite_gradient():
    x = np.array([[0.0, 0.0], [1.0, 2.0], [0.5, -1.0]])
    w = K.Variable(x)
    (g,) = K.gradients(regularizers.OrthogonalRegularizer()(w), [w])
    assert np.all(np.isfinite(g))


def test_orthogonal_regularizer_errors():
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "0.1", True])
def test_bad_factors_are_rejected(bad):
    with pytest.raises(ValueError, match="non-negative float"):
        regularizers.L2(bad)


def test_lower_case_names_are_the_classes():
    assert regularizers.l1 is regularizers.L1
    assert regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2


def test_keras1_l_argument_warns():
    with pytest.warns(KerasLegacyWarning, match="l2="):
        assert regularizers.l2(l=0.3).l2 == 0.3
    with pytest.raises(TypeError, match="unexpected"):
        regularizers.L1(lam=0.3)


def test_keras1_module_names_warn():
    with pytest.warns(KerasLegacyWarning, match="Keras 1"):
        reg = regularizers.activity_l2(0.2)
    assert reg.get_config() == {"l1": 0.0, "l2": 0.2}
    with pytest.warns(KerasLegacyWarning):
        assert regularizers.l1l2().get_config() == {"l1": 0.01, "l2": 0.01}
    with pytest.raises(AttributeError):
        regularizers.l3


@pytest.mark.parametrize(
    "name, cls",
    [("l1", regularizers.L1), ("L2", regularizers.L2), ("l1l2", regularizers.L1L2),
     ("orthogonal_regularizer", regularizers.OrthogonalRegularizer)],
)  # fmt: skip
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_get_keras2_l1_l2_string():
    with pytest.warns(KerasLegacyWarning, match="L1L2"):
        reg = regularizers.get("l1_l2")
    assert reg.get_config() == {"l1": 0.01, "l2": 0.01}


def test_get_other_identifiers_and_errors():
    assert regularizers.get(None) is None
    fn = lambda w: K.sum(w)  # noqa: E731
    assert regularizers.get(fn) is fn
    assert type(regularizers.get(regularizers.L2)) is regularizers.L2
    reg = regularizers.get({"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.0}})
    assert reg.get_config() == {"l1": 0.5, "l2": 0.0}
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Could not interpret"):
        regularizers.get(0.01)


@pytest.mark.parametrize(
    "reg",
    [regularizers.L1(0.2), regularizers.L2(0.3), regularizers.L1L2(0.1, 0.4),
     regularizers.OrthogonalRegularizer(0.2, "columns")],
    ids=lambda r: type(r).__name__,
)  # fmt: skip
def test_config_round_trip(reg):
    again = regularizers.deserialize(regularizers.serialize(reg))
    assert type(again) is type(reg) and again.get_config() == reg.get_config()
    assert regularizers.serialize(reg)["module"] == "keras.regularizers"


def test_base_class():
    assert regularizers.Regularizer()(W) == 0.0
    with pytest.raises(NotImplementedError):
        regularizers.Regularizer().get_config()

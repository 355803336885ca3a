"""Constraints: projected values, names, configs and the older spellings."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import constraints
from teachkeras.legacy import KerasLegacyWarning

EPS = 1e-7
# columns have norms 5 and 0.5
W = np.array([[3.0, 0.3], [4.0, -0.4]], dtype="float32")


def values(t) -> np.ndarray:
    return np.asarray(K.as_array(t))


def test_max_norm_rescales_only_long_vectors():
    out = values(constraints.MaxNorm(2.0)(W))
    np.testing.assert_allclose(out[:, 0], W[:, 0] * 2 / (5 + EPS), rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], W[:, 1] * 0.5 / (0.5 + EPS), rtol=1e-6)
    assert out.dtype == np.float32


def test_max_norm_axis():
    out = values(constraints.MaxNorm(1.0, axis=1)(W))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), [1.0, 1.0], rtol=1e-5)
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 4)).astype("float32")
    out = values(constraints.MaxNorm(0.5, axis=[0, 1, 2])(kernel))
    np.testing.assert_allclose(np.sqrt((out**2).sum(axis=(0, 1, 2))), 0.5, rtol=1e-5)


def test_min_max_norm():
    out = values(constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(W))
    np.testing.assert_allclose(np.linalg.norm(out, axis=0), [2.0, 1.0], rtol=1e-5)
    half = values(constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(W))
    # norm moves halfway: 5 -> 3.5, 0.5 -> 0.75
    np.testing.assert_allclose(np.linalg.norm(half, axis=0), [3.5, 0.75], rtol=1e-5)


def test_non_neg():
    out = values(constraints.NonNeg()(W))
    np.testing.assert_array_equal(out, np.where(W > 0, W, 0))
    assert out[1, 1] == 0 and out.dtype == np.float32


def test_unit_norm():
    out = values(constraints.UnitNorm()(W))
    np.testing.assert_allclose(out, W / (np.linalg.norm(W, axis=0) + EPS), rtol=1e-6)


def test_uses_the_configured_epsilon():
    K.set_epsilon(0.5)
    out = values(constraints.UnitNorm()(W))
    np.testing.assert_allclose(out[:, 1], W[:, 1] / 1.0, rtol=1e-6)


def test_base_constraint_is_identity():
    assert constraints.Constraint()(W) is W
    assert constraints.Constraint().get_config() == {}


def test_a_variable_applies_its_constraint_value():
    v = K.Variable(W, constraint=constraints.NonNeg())
    v.assign(v.constraint(v))
    assert np.all(v.numpy() >= 0)


def test_lower_case_names_are_the_classes():
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm


def test_older_spellings_warn():
    with pytest.warns(KerasLegacyWarning, match="max_norm"):
        assert constraints.maxnorm is constraints.MaxNorm
    with pytest.warns(KerasLegacyWarning, match="non_neg"):
        assert type(constraints.get("nonneg")) is constraints.NonNeg
    with pytest.warns(KerasLegacyWarning, match="max_value="):
        assert constraints.MaxNorm(m=3).max_value == 3
    with pytest.raises(AttributeError):
        constraints.minnorm


@pytest.mark.parametrize(
    "name, cls",
    [("max_norm", constraints.MaxNorm), ("MinMaxNorm", constraints.MinMaxNorm),
     ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm)],
)  # fmt: skip
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls


def test_get_other_identifiers_and_errors():
    assert constraints.get(None) is None
    fn = lambda w: w  # noqa: E731
    assert constraints.get(fn) is fn
    c = constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 1}})
    assert c.get_config() == {"max_value": 3, "axis": 1}
    with pytest.raises(ValueError, match=r"Unknown constraint: 'max_nrom'.*'max_norm'"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="Could not interpret"):
        constraints.get(2)


@pytest.mark.parametrize(
    "c",
    [constraints.MaxNorm(3, axis=[0, 1]), constraints.MinMaxNorm(0.5, 2.0, 0.3, 1),
     constraints.NonNeg(), constraints.UnitNorm(axis=1)],
    ids=lambda c: type(c).__name__,
)  # fmt: skip
def test_config_round_trip(c):
    again = constraints.deserialize(constraints.serialize(c))
    assert type(again) is type(c) and again.get_config() == c.get_config()

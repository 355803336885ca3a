"""`keras.random` here and in Keras 3: signatures, shapes, dtypes, ranges and dropout's scaling.

The numbers themselves differ (two different generators); what must agree is everything
a learner's code relies on.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import teachkeras as tk

pytestmark = pytest.mark.parity

CALLS = {
    "normal": ((2, 3), {}),
    "uniform": ((2, 3), {"minval": -1.0, "maxval": 1.0}),
    "truncated_normal": ((2, 3), {"stddev": 0.5}),
    "randint": ((2, 3), {"minval": 0, "maxval": 4}),
    "gamma": ((2, 3), {"alpha": 2.0}),
    "beta": ((2, 3), {"alpha": 2.0, "beta": 3.0}),
    "binomial": ((2, 3), {"counts": 5, "probabilities": 0.5}),
}


def _numpy(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x.cpu())


def test_same_names_and_signatures(keras):
    for name in tk.random.__all__:
        theirs = getattr(keras.random, name)
        ours = getattr(tk.random, name)
        if name == "SeedGenerator":
            ours, theirs = ours.__init__, theirs.__init__
        assert _params(ours) == _params(theirs), name


def _params(function) -> list:
    """Names, kinds and defaults (not the annotations, which Keras does not write)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_same_shape_and_dtype(keras, name):
    shape, kwargs = CALLS[name]
    ours = _numpy(getattr(tk.random, name)(shape, seed=1, **kwargs))
    theirs = _numpy(getattr(keras.random, name)(shape, seed=1, **kwargs))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype


def test_same_ranges(keras):
    for lib in (tk, keras):
        u = _numpy(lib.random.uniform((10_000,), minval=-1.0, maxval=1.0, seed=0))
        assert -1.0 <= u.min() and u.max() < 1.0
        t = _numpy(lib.random.truncated_normal((10_000,), stddev=0.5, seed=0))
        assert np.abs(t).max() <= 1.0
        r = _numpy(lib.random.randint((10_000,), 0, 4, seed=0))
        assert set(np.unique(r)) == {0, 1, 2, 3}


def test_categorical_shape_and_dtype(keras):
    logits = np.log(np.array([[0.5, 0.5], [0.1, 0.9]], dtype="float32"))
    ours = _numpy(tk.random.categorical(logits, 7, seed=0))
    theirs = _numpy(keras.random.categorical(logits, 7, seed=0))
    assert ours.shape == theirs.shape == (2, 7) and ours.dtype == theirs.dtype


def test_dropout_scales_the_kept_values_the_same_way(keras):
    x = np.arange(1.0, 101.0, dtype="float32").reshape(10, 10)
    for lib, data in ((tk, x), (keras, keras.ops.convert_to_tensor(x))):
        out = _numpy(lib.random.dropout(data, 0.3, seed=0))
        kept = out != 0
        np.testing.assert_allclose(out[kept], x[kept] / 0.7, rtol=1e-6)


def test_seed_generator_config(keras):
    ours = tk.random.SeedGenerator(7, name="g").get_config()
    theirs = keras.random.SeedGenerator(7, name="g").get_config()
    assert ours == theirs

"""`keras.random`: shapes, dtypes, moments on large draws, and the three kinds of seed."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import random
from teachkeras.backend import GradientTape, Tensor, Variable, nn_ops
from teachkeras.utils import set_random_seed

N = 200_000  # draws for the moment checks: standard errors of about 0.002 σ

# name -> a call with the given seed (every function of keras.random but dropout/shuffle)
DRAWS = {
    "normal": lambda shape, seed=None, **kw: random.normal(shape, seed=seed, **kw),
    "uniform": lambda shape, seed=None, **kw: random.uniform(shape, seed=seed, **kw),
    "truncated_normal": lambda shape, seed=None, **kw: random.truncated_normal(
        shape, seed=seed, **kw
    ),
    "gamma": lambda shape, seed=None, **kw: random.gamma(shape, 2.0, seed=seed, **kw),
    "beta": lambda shape, seed=None, **kw: random.beta(shape, 2.0, 5.0, seed=seed, **kw),
    "binomial": lambda shape, seed=None, **kw: random.binomial(shape, 10, 0.3, seed=seed, **kw),
    "randint": lambda shape, seed=None, **kw: random.randint(shape, 0, 10, seed=seed, **kw),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_shape_and_default_dtype(name):
    out = DRAWS[name]((3, 4), seed=0)
    assert isinstance(out, Tensor) and out.shape == (3, 4)
    assert out.dtype == ("int32" if name == "randint" else "float32")
    assert DRAWS[name](5, seed=0).shape == (5,)  # an int shape is one axis


@pytest.mark.parametrize("name", sorted(set(DRAWS) - {"randint"}))
def test_float_draws_follow_floatx_and_dtype(name):
    keras.config.set_floatx("float64")
    assert DRAWS[name]((2,), seed=0).dtype == "float64"
    keras.config.set_floatx("float32")
    assert DRAWS[name]((2,), seed=0, dtype="float16").dtype == "float16"
    with pytest.raises(ValueError, match=r"floating point `dtype`\. Received: dtype=int32"):
        DRAWS[name]((2,), seed=0, dtype="int32")


def test_randint_wants_an_integer_dtype():
    assert random.randint((2,), 0, 5, dtype="int64", seed=0).dtype == "int64"
    with pytest.raises(ValueError, match="randint` requires an integer `dtype`"):
        random.randint((2,), 0, 5, dtype="float32")


@pytest.mark.parametrize(
    ("name", "mean", "std"),
    [
        ("normal", 0.0, 1.0),
        ("uniform", 0.5, np.sqrt(1 / 12)),
        ("truncated_normal", 0.0, 0.8796),  # σ of N(0, 1) cut at ±2
        ("gamma", 2.0, np.sqrt(2.0)),
        ("beta", 2 / 7, np.sqrt(2 * 5 / (7**2 * 8))),
        ("binomial", 3.0, np.sqrt(10 * 0.3 * 0.7)),
        ("randint", 4.5, np.sqrt((10**2 - 1) / 12)),
    ],
)
def test_moments_on_large_draws(name, mean, std):
    x = DRAWS[name]((N,), seed=1).numpy().astype(np.float64)
    assert abs(x.mean() - mean) < 0.01 * max(std, 1)
    assert abs(x.std() - std) < 0.01 * max(std, 1)


def test_parameters_move_the_distribution():
    x = random.normal((N,), mean=3.0, stddev=0.5, seed=0).numpy()
    assert abs(x.mean() - 3.0) < 0.01 and abs(x.std() - 0.5) < 0.01
    u = random.uniform((N,), minval=-2.0, maxval=-1.0, seed=0).numpy()
    assert u.min() >= -2.0 and u.max() < -1.0
    t = random.truncated_normal((N,), mean=10.0, stddev=2.0, seed=0).numpy()
    assert t.min() >= 6.0 and t.max() <= 14.0
    r = random.randint((N,), 3, 6, seed=0).numpy()
    assert set(np.unique(r)) == {3, 4, 5}


def test_categorical_frequencies_are_the_softmax():
    logits = np.log([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]])
    samples = random.categorical(logits, 50_000, seed=0).numpy()
    assert samples.shape == (2, 50_000) and samples.dtype == np.int32
    for row, expected in zip(samples, np.exp(logits), strict=True):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / 50_000, expected, atol=0.01)
    masked = random.categorical([[-np.inf, 0.0, -np.inf]], 100, seed=0).numpy()
    assert (masked == 1).all()
    with pytest.raises(ValueError, match="2-D tensor"):
        random.categorical([0.0, 1.0], 3)


# --- the three kinds of seed --------------------------------------------------------------------
def test_an_int_seed_repeats_at_every_call():
    for name, draw in DRAWS.items():
        np.testing.assert_array_equal(draw((5,), seed=7).numpy(), draw((5,), seed=7).numpy(), name)
    assert not np.array_equal(random.normal((5,), seed=7).numpy(), random.normal((5,), seed=8))
    np.testing.assert_array_equal(random.normal((3,), seed=-1), random.normal((3,), seed=-1))


def test_a_seed_generator_gives_a_repeatable_stream():
    first, again = random.SeedGenerator(42), random.SeedGenerator(42)
    a1, a2 = random.normal((4,), seed=first).numpy(), random.normal((4,), seed=first).numpy()
    b1, b2 = random.normal((4,), seed=again).numpy(), random.normal((4,), seed=again).numpy()
    assert not np.array_equal(a1, a2)  # each draw moves the stream on
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert first.state.tolist() == [42, 2]


def test_seed_generator_next_config_and_errors():
    gen = random.SeedGenerator(3, name="mine")
    assert gen.next().tolist() == [3, 0] and gen.next().tolist() == [3, 1]
    assert gen.get_config() == {"seed": 3, "name": "mine"}
    clone = random.SeedGenerator.from_config(gen.get_config())
    assert clone.state.tolist() == [3, 0]
    with pytest.raises(ValueError, match=r"must be an integer\. Received: seed=1\.5"):
        random.SeedGenerator(1.5)
    with pytest.raises(ValueError, match="unrecognized keyword"):
        random.SeedGenerator(1, backend="jax")


def test_the_global_seed_controls_unseeded_draws():
    set_random_seed(5)
    first = [random.normal((3,)).numpy(), random.uniform((3,)).numpy()]
    unseeded_generator = random.SeedGenerator()
    from_it = random.normal((3,), seed=unseeded_generator).numpy()
    set_random_seed(5)
    second = [random.normal((3,)).numpy(), random.uniform((3,)).numpy()]
    assert random.SeedGenerator().state[0] == unseeded_generator.state[0]
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], random.normal((3,)).numpy())
    assert from_it.shape == (3,)


def test_a_bad_seed_names_the_function():
    with pytest.raises(ValueError, match=r"keras.random.normal: argument `seed` must be"):
        random.normal((2,), seed="42")
    with pytest.raises(ValueError, match=r"keras.random.uniform: `shape` must be"):
        random.uniform((2, -1))
    with pytest.raises(ValueError, match=r"Received: shape=None"):
        random.normal(None)


# --- dropout and shuffle ------------------------------------------------------------------------
def test_dropout_is_the_engines_op_with_the_same_scaling():
    x = np.arange(1.0, 41.0, dtype="float32").reshape(4, 10)
    ours = random.dropout(x, 0.25, seed=3).numpy()
    engine = nn_ops.dropout(x, 0.25, seed=3).numpy()
    np.testing.assert_array_equal(ours, engine)
    kept = ours != 0
    np.testing.assert_allclose(ours[kept], x[kept] / 0.75, rtol=1e-6)
    assert 0.5 < kept.mean() < 0.95


def test_dropout_is_differentiable_and_takes_a_noise_shape():
    w = Variable(np.ones((3, 6), dtype="float32"))
    with GradientTape() as tape:
        y = random.dropout(w, 0.5, seed=random.SeedGenerator(0))
        loss = keras.backend.sum(y)
    (grad,) = tape.gradient(loss, [w])
    np.testing.assert_array_equal(grad, y.numpy())  # d(sum)/dw is the scaled mask
    columns = random.dropout(np.ones((3, 6)), 0.5, noise_shape=(1, None), seed=1).numpy()
    assert (columns == columns[0]).all()  # one mask row, broadcast down the batch
    with pytest.raises(ValueError, match="rate must be in"):
        random.dropout(np.ones(2), 1.0)


def test_shuffle_permutes_one_axis():
    x = np.arange(20).reshape(10, 2)
    rows = random.shuffle(x, seed=0).numpy()
    assert sorted(map(tuple, rows)) == sorted(map(tuple, x)) and not np.array_equal(rows, x)
    cols = random.shuffle(np.arange(40).reshape(2, 20), axis=-1, seed=0).numpy()
    assert (np.sort(cols, axis=1) == np.arange(40).reshape(2, 20)).all()
    assert (cols[1] - cols[0] == 20).all()  # both rows moved the same way
    np.testing.assert_array_equal(random.shuffle(x, seed=4), random.shuffle(x, seed=4))
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        random.shuffle(x, axis=2)


def test_shuffle_passes_gradients_back():
    w = Variable(np.arange(4.0, dtype="float32"))
    with GradientTape() as tape:
        loss = keras.backend.sum(random.shuffle(w, seed=0) * np.arange(4.0, dtype="float32"))
    (grad,) = tape.gradient(loss, [w])
    order = random.shuffle(np.arange(4), seed=0).numpy()
    expected = np.empty(4, dtype="float32")
    expected[order] = np.arange(4.0)
    np.testing.assert_array_equal(grad, expected)


def test_exported_at_the_top():
    assert keras.random is random
    assert set(random.__all__) >= {"normal", "uniform", "SeedGenerator", "dropout", "shuffle"}

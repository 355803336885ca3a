"""`keras.random`: random tensors, drawn from a seed you can name (Keras 3's namespace).

    keras.random.normal((2, 3))                  # from the global stream (set_random_seed seeds it)
    keras.random.normal((2, 3), seed=42)         # the same six numbers at every call
    gen = keras.random.SeedGenerator(42)
    keras.random.normal((2, 3), seed=gen)        # new numbers at every call, the same sequence each run

`seed` means the same three things everywhere, as in Keras 3:

    None               the global generator of `backend/random.py`, the one that
                       `keras.utils.set_random_seed(n)` reseeds (so notebooks repeat)
    an int             a generator made from that int for this one call: same seed, same numbers
    a SeedGenerator    a stream of its own, whose state is (seed, number of draws so far):
                       each draw takes the next state, so the sequence repeats but no two draws do

Each function is one NumPy `Generator` call, cast to `dtype` (`floatx()` unless given),
and returned as an engine `Tensor`. Random numbers are constants to the gradient, except
in `dropout`, which is the engine's own differentiable dropout op.
"""

from __future__ import annotations

import numpy as np

from .backend.array_ops import take
from .backend.config import floatx
from .backend.naming import unique_name
from .backend.nn_ops import dropout as _dropout_op
from .backend.random import global_generator, make_generator
from .backend.tensor import Tensor, as_array

_SEED_MODULUS = 2**64  # NumPy seeds are non-negative; Keras accepts any int, so wrap negatives


class SeedGenerator:
    """A repeatable stream of random draws, to pass as `seed=` (Keras 3's `SeedGenerator`).

    Its state is the pair (seed, counter). Each random function that receives it takes
    the current state as the seed of its draw and moves the counter on by one: two
    generators made with the same seed give the same sequence of draws.

    Args:
        seed: an int; None draws one from the global generator (so `set_random_seed`
            still makes the run repeat).
        name: a name for the generator (default `seed_generator`, `seed_generator_1`, ...).

    Example:
        >>> gen = keras.random.SeedGenerator(1337)
        >>> a = keras.random.uniform((2,), seed=gen)
        >>> b = keras.random.uniform((2,), seed=gen)     # different from a
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs) -> None:
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments: {kwargs}")
        self.name = name or unique_name("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = int(global_generator().integers(1, 10**9))
        if not _is_int(seed):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed!r}")
        self.state = np.array([int(seed) % _SEED_MODULUS, 0], dtype=np.uint64)  # (seed, draws)

    def next(self, ordered: bool = True) -> np.ndarray:
        """The state for the next draw, `(seed, counter)`; the counter then moves on by one.

        Args:
            ordered: accepted for Keras 3's signature; both orders advance the counter by one.

        Returns:
            A copy of the state before the step, an array of two unsigned ints.
        """
        state = self.state.copy()
        self.state[1] += 1
        return state

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name}, state={self.state.tolist()}>"


# --- the seed, the shape and the dtype, checked once for every function -----------------------
def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _generator(seed, function: str) -> np.random.Generator:
    """The NumPy generator a draw uses, for each of the three kinds of `seed`."""
    if seed is None:
        return global_generator()
    if isinstance(seed, SeedGenerator):
        return np.random.default_rng(seed.next())
    if _is_int(seed):
        return make_generator(int(seed) % _SEED_MODULUS)
    raise ValueError(
        f"keras.random.{function}: argument `seed` must be either an integer or an instance of "
        f"`SeedGenerator`. Received: seed={seed!r} (of type {type(seed).__name__})"
    )


def _shape(shape, function: str) -> tuple[int, ...]:
    dims = (shape,) if _is_int(shape) or not hasattr(shape, "__iter__") else tuple(shape)
    if not all(_is_int(d) and d >= 0 for d in dims):
        raise ValueError(
            f"keras.random.{function}: `shape` must be a tuple of non-negative ints, such as "
            f"(32, 10). Received: shape={shape!r}"
        )
    return tuple(int(d) for d in dims)


def _dtype(dtype, function: str, kind: str = "float") -> np.dtype:
    """`dtype` as a NumPy dtype (None: `floatx()`), refusing the wrong kind of number."""
    dtype = np.dtype(floatx() if dtype is None else dtype)
    wanted = np.floating if kind == "float" else np.integer
    if not np.issubdtype(dtype, wanted):
        article = "a floating point" if kind == "float" else "an integer"
        raise ValueError(
            f"`keras.random.{function}` requires {article} `dtype`. Received: dtype={dtype}"
        )
    return dtype


def _checked(function: str, shape, dtype, seed, kind: str = "float"):
    """`(generator, shape, dtype)` for a draw of `function`: what every draw below starts with."""
    dtype = _dtype(dtype, function, kind)
    return _generator(seed, function), _shape(shape, function), dtype


# --- continuous distributions ------------------------------------------------------------------
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Draw from the normal distribution N(mean, stddev²).

    Args:
        shape: the shape of the result, e.g. `(2, 3)`.
        mean, stddev: the distribution's mean and standard deviation.
        dtype: a float type; default `keras.config.floatx()`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`.

    Example:
        >>> keras.random.normal((2, 2), seed=1).shape
        (2, 2)
    """
    rng = _generator(seed, "normal")
    values = rng.normal(mean, stddev, _shape(shape, "normal"))
    return Tensor(values.astype(_dtype(dtype, "normal")))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> Tensor:
    """Draw uniformly from [minval, maxval): `minval` can come out, `maxval` never does.

    Args:
        shape: the shape of the result.
        minval, maxval: the bounds of the interval.
        dtype: a float type (default `floatx()`); for integers use `randint`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`.

    Example:
        >>> keras.random.uniform((3,), minval=-1.0, maxval=1.0, seed=0).numpy()  # doctest: +SKIP
    """
    rng, shape, dtype = _checked("uniform", shape, dtype, seed)
    return Tensor(rng.uniform(minval, maxval, shape).astype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Normal values, but any more than two standard deviations from the mean is drawn again.

    About 4.6% of the values fall outside ±2σ and are redrawn, so the loop runs a few
    times at most. The result has mean `mean` and standard deviation ≈ 0.88 · `stddev`.

    Args:
        shape: the shape of the result.
        mean, stddev: of the normal distribution before truncation.
        dtype: a float type; default `floatx()`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`, every value within mean ± 2·stddev.

    Example:
        >>> x = keras.random.truncated_normal((1000,), seed=0).numpy()
        >>> bool(abs(x).max() <= 2)
        True
    """
    rng, shape, dtype = _checked("truncated_normal", shape, dtype, seed)
    z = rng.standard_normal(shape)
    outside = np.abs(z) > 2
    while outside.any():
        z[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(z) > 2
    return Tensor((mean + stddev * z).astype(dtype))


def gamma(shape, alpha, dtype=None, seed=None) -> Tensor:
    """Draw from the Gamma distribution of shape `alpha` and scale 1 (mean and variance `alpha`).

    Args:
        shape: the shape of the result.
        alpha: the shape parameter (> 0).
        dtype: a float type; default `floatx()`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`.

    Example:
        >>> keras.random.gamma((2,), alpha=2.0, seed=0).shape
        (2,)
    """
    rng, shape, dtype = _checked("gamma", shape, dtype, seed)
    return Tensor(rng.gamma(alpha, 1.0, shape).astype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None) -> Tensor:
    """Draw from the Beta distribution: values in [0, 1] with mean alpha / (alpha + beta).

    Args:
        shape: the shape of the result.
        alpha, beta: the two positive parameters (numbers, or arrays broadcastable to `shape`).
        dtype: a float type; default `floatx()`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`.

    Example:
        >>> keras.random.beta((2,), alpha=2.0, beta=5.0, seed=0).shape
        (2,)
    """
    rng, shape, dtype = _checked("beta", shape, dtype, seed)
    return Tensor(rng.beta(as_array(alpha), as_array(beta), shape).astype(dtype))


# --- discrete distributions --------------------------------------------------------------------
def randint(shape, minval, maxval, dtype="int32", seed=None) -> Tensor:
    """Draw integers uniformly from [minval, maxval): `maxval` itself never comes out.

    Args:
        shape: the shape of the result.
        minval, maxval: the bounds (`randint((5,), 0, 10)` gives digits 0 to 9).
        dtype: an integer type; default `'int32'`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`.

    Example:
        >>> keras.random.randint((4,), 0, 10, seed=0).numpy()  # doctest: +SKIP
    """
    rng, shape, dtype = _checked("randint", shape, dtype, seed, kind="int")
    return Tensor(rng.integers(minval, maxval, shape).astype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None) -> Tensor:
    """The number of successes in `counts` trials, each succeeding with `probabilities`.

    Args:
        shape: the shape of the result.
        counts: the number of trials (a number or an array broadcastable to `shape`).
        probabilities: the chance of success of one trial.
        dtype: a float type (as in Keras 3, counts come back as floats); default `floatx()`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of `shape` and `dtype`, with mean `counts * probabilities`.

    Example:
        >>> keras.random.binomial((3,), counts=10, probabilities=0.5, seed=0).shape
        (3,)
    """
    rng, shape, dtype = _checked("binomial", shape, dtype, seed)
    return Tensor(rng.binomial(as_array(counts), as_array(probabilities), shape).astype(dtype))


def categorical(logits, num_samples: int, dtype="int32", seed=None) -> Tensor:
    """Draw class indices, each row from the distribution softmax(logits[row]).

    A uniform number u in [0, 1) falls into class k when the cumulative probabilities
    p₀ + … + p_{k-1} ≤ u < p₀ + … + p_k: the sample is how many cumulative sums u passed.

    Args:
        logits: a 2-D array (batch_size, num_classes) of unnormalised log-probabilities.
        num_samples: how many draws per row.
        dtype: an integer type; default `'int32'`.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` of shape (batch_size, num_samples) holding class indices.

    Example:
        >>> keras.random.categorical([[0.0, 10.0]], 3, seed=0).numpy()
        array([[1, 1, 1]], dtype=int32)
    """
    logits = np.asarray(as_array(logits), dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits of shape {logits.shape}"
        )
    dtype = _dtype(dtype, "categorical", kind="int")
    p = np.exp(logits - logits.max(axis=1, keepdims=True))  # (batch, classes)
    cumulative = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)  # (batch, classes)
    u = _generator(seed, "categorical").random((logits.shape[0], int(num_samples)))
    passed = (u[:, :, None] >= cumulative[:, None, :]).sum(axis=2)  # (batch, num_samples)
    return Tensor(np.minimum(passed, logits.shape[1] - 1).astype(dtype))  # rounding at the top


# --- random operations on a tensor -------------------------------------------------------------
def dropout(inputs, rate: float, noise_shape=None, seed=None) -> Tensor:
    """Zero each value with probability `rate` and scale the rest by 1 / (1 - rate).

    This is the engine's dropout op (`backend/nn_ops.py`), the one the `Dropout` layer
    uses: differentiable, its gradient is g times the same mask.

    Args:
        inputs: the tensor to drop values from.
        rate: the fraction to zero, in [0, 1).
        noise_shape: the shape of the mask, broadcast over `inputs` (None entries: the
            input's size), e.g. `(batch, 1, features)` to drop whole features.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` shaped like `inputs`.

    Example:
        >>> keras.random.dropout(np.ones((2, 4)), rate=0.5, seed=0).numpy()  # 0s and 2s
        ... # doctest: +SKIP
    """
    return _dropout_op(inputs, rate, noise_shape=noise_shape, seed=_generator(seed, "dropout"))


def shuffle(x, axis: int = 0, seed=None) -> Tensor:
    """The slices of `x` along `axis`, in a random order (rows, by default).

    Args:
        x: the tensor to shuffle.
        axis: the axis whose order is permuted.
        seed: None (global generator), an int, or a `SeedGenerator`.

    Returns:
        A `Tensor` with the same values as `x`, reordered along `axis`.

    Example:
        >>> keras.random.shuffle(np.arange(5), seed=0).numpy()  # doctest: +SKIP
    """
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    if x.ndim == 0 or not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"keras.random.shuffle: axis={axis} is out of range for a tensor of shape {x.shape}."
        )
    order = _generator(seed, "shuffle").permutation(x.shape[axis])
    return take(x, order, axis=axis)


__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]

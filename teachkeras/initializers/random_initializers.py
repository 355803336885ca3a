"""Random initializers: where a network's first weights come from.

Weights must start different from one another (or every unit learns the same
thing), and at the right size: too large and activations explode through the
layers, too small and they fade away. The variance-scaling family picks the size
from the weight's shape so that the variance of the signal stays about the same
from layer to layer:

    Var(w) = scale / n,   n = fan_in, fan_out or their average

    glorot (Xavier)  scale=1, n=fan_avg     for tanh / sigmoid
    he (Kaiming)     scale=2, n=fan_in      for relu (which zeroes half its inputs)
    lecun            scale=1, n=fan_in      for selu

Randomness: with `seed=None` values come from the global generator, which
`utils.set_random_seed(n)` reseeds, so a seeded script repeats exactly; each call
gives new values. With an integer seed every call returns the SAME values, as Keras 3
documents ("an initializer seeded with an integer will produce the same random values
across multiple calls").
"""

from __future__ import annotations

import math

import numpy as np

from ..backend.random import make_generator
from .initializer import Initializer, standardize_dtype, standardize_shape

# Standard deviation of a standard normal truncated to (-2, 2). Dividing by it makes a
# truncated normal come out with the standard deviation that was asked for.
TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


# --- drawing numbers ----------------------------------------------------------------------
def _float_dtypes(dtype, owner: str) -> tuple[np.dtype, np.dtype]:
    """(the dtype to return, the dtype to draw in): NumPy draws float32 or float64 only."""
    dtype = standardize_dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(
            f"{owner} draws random floats, so it needs a float dtype. Received: dtype={dtype}. "
            "For an integer weight use 'zeros', 'ones' or 'constant'."
        )
    return dtype, np.dtype(np.float64 if dtype == np.float64 else np.float32)


def random_uniform(rng, shape, dtype, minval: float, maxval: float) -> np.ndarray:
    """Uniform on [minval, maxval)."""
    out_dtype, work = _float_dtypes(dtype, "A uniform initializer")
    u = rng.random(shape, dtype=work)
    return (minval + (maxval - minval) * u).astype(out_dtype, copy=False)


def random_normal(rng, shape, dtype, mean: float, stddev: float) -> np.ndarray:
    """Normal with the given mean and standard deviation."""
    out_dtype, work = _float_dtypes(dtype, "A normal initializer")
    z = rng.standard_normal(shape, dtype=work)
    return (mean + stddev * z).astype(out_dtype, copy=False)


def truncated_normal(rng, shape, dtype, mean: float, stddev: float) -> np.ndarray:
    """Normal, but every value more than 2 standard deviations from the mean is redrawn.

    Only the rejected entries are drawn again (about 4.6% each round), until none is left.
    """
    out_dtype, work = _float_dtypes(dtype, "A truncated normal initializer")
    z = rng.standard_normal(shape, dtype=work)
    flat = z.reshape(-1)  # a view: writing into it writes into z
    rejected = np.flatnonzero(np.abs(flat) >= 2)
    while rejected.size:
        flat[rejected] = rng.standard_normal(rejected.size, dtype=work)
        rejected = rejected[np.abs(flat[rejected]) >= 2]
    return (mean + stddev * z).astype(out_dtype, copy=False)


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the `seed`.

    Args:
        seed: None (use the global generator: new values on each call, repeatable
            after `set_random_seed`), an int (the same values on every call), or a
            `numpy.random.Generator` of your own (new values on each call).
    """

    def __init__(self, seed=None) -> None:
        if seed is not None and not isinstance(seed, int | np.integer | np.random.Generator):
            raise ValueError(
                f"`seed` argument should be an integer, a numpy.random.Generator or None. "
                f"Received: seed={seed!r}"
            )
        self.seed = int(seed) if isinstance(seed, np.integer) else seed

    def _generator(self) -> np.random.Generator:
        # An int seed builds a fresh generator on every call: hence the same values each time.
        return make_generator(self.seed)

    def get_config(self) -> dict:
        # A Generator object cannot be written to JSON; it is stored as "no seed".
        return {"seed": self.seed if not isinstance(self.seed, np.random.Generator) else None}


class RandomUniform(RandomInitializer):
    """Uniform values in [minval, maxval).

    Example:
        >>> RandomUniform(minval=-1.0, maxval=1.0, seed=0)((2, 2))
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed=None) -> None:
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "RandomUniform")
        return random_uniform(self._generator(), shape, dtype, self.minval, self.maxval)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class RandomNormal(RandomInitializer):
    """Normal values with the given `mean` and `stddev`."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "RandomNormal")
        return random_normal(self._generator(), shape, dtype, self.mean, self.stddev)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Normal values, redrawn when more than 2 `stddev` away from `mean`.

    (`stddev` is that of the normal before truncation; the values end up a little
    narrower, 0.88 × stddev.)
    """

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "TruncatedNormal")
        return truncated_normal(self._generator(), shape, dtype, self.mean, self.stddev)


# --- variance scaling -----------------------------------------------------------------------
def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """(fan_in, fan_out): how many inputs feed one output unit, and how many outputs one input feeds.

    Dense kernel (in, out): fan_in = in, fan_out = out.
    Conv kernel (k1, ..., kd, in, out): each output sees a receptive field of
    k1 × ... × kd positions of `in` channels, so fan_in = k1⋯kd · in and
    fan_out = k1⋯kd · out. A vector (n,) has fan_in = fan_out = n; a scalar 1 and 1.

    Example:
        >>> compute_fans((3, 3, 16, 32))     # (144, 288)
    """
    shape = tuple(int(d) for d in shape)
    if input_axes is not None and output_axes is not None:
        return (
            int(np.prod([shape[a] for a in input_axes])),
            int(np.prod([shape[a] for a in output_axes])),
        )
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2]))  # 1 for a Dense kernel
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Random values whose variance is `scale / n`, n chosen by `mode` from the weight's shape.

    Formula:
        n = fan_in | fan_out | (fan_in + fan_out) / 2       (mode)
        "truncated_normal":   stddev = sqrt(scale / n) / 0.8796...  (before truncation)
        "untruncated_normal": stddev = sqrt(scale / n)
        "uniform":            limit = sqrt(3 * scale / n), values in [-limit, limit]

    (A uniform on [-a, a] has variance a²/3, hence the 3.)

    Args:
        scale: positive factor.
        mode: "fan_in", "fan_out" or "fan_avg".
        distribution: "truncated_normal" (also written "normal"), "untruncated_normal"
            or "uniform".
        seed: see `RandomInitializer`.
        input_axes, output_axes: optional axes to count the fans over (default: guessed
            from the shape, see `compute_fans`).
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in allowed_modes:
            raise ValueError(
                f"Invalid `mode` argument: {mode!r}. Please use one of {allowed_modes}"
            )
        distribution = distribution.lower()
        if distribution == "normal":  # the older name, kept by Keras
            distribution = "truncated_normal"
        allowed = ("uniform", "truncated_normal", "untruncated_normal")
        if distribution not in allowed:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution!r}. Please use one of {allowed}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def target_variance(self, shape) -> float:
        """The variance the values will have for a weight of `shape`: scale / n."""
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        return self.scale / max(1.0, n)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, type(self).__name__)
        variance = self.target_variance(shape)
        rng = self._generator()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV
            return truncated_normal(rng, shape, dtype, 0.0, stddev)
        if self.distribution == "untruncated_normal":
            return random_normal(rng, shape, dtype, 0.0, math.sqrt(variance))
        limit = math.sqrt(3.0 * variance)
        return random_uniform(rng, shape, dtype, -limit, limit)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution (Glorot, He, LeCun)."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None) -> None:
        super().__init__(
            scale=self.SCALE,
            mode=self.MODE,
            distribution=self.DISTRIBUTION,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        return {key: config[key] for key in ("seed", "input_axes", "output_axes")}


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: values in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)).

    The default kernel initializer of Dense and Conv layers. (Glorot & Bengio, 2010.)
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "uniform"


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "truncated_normal"


class HeUniform(_NamedVarianceScaling):
    """He (Kaiming) uniform: values in [-limit, limit], limit = sqrt(6 / fan_in). For ReLU."""

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "uniform"


class HeNormal(_NamedVarianceScaling):
    """He (Kaiming) normal: truncated normal with stddev sqrt(2 / fan_in). For ReLU.

    (He et al., 2015.)
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "truncated_normal"


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: values in [-limit, limit], limit = sqrt(3 / fan_in)."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "uniform"


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with stddev sqrt(1 / fan_in). Pairs with `selu`."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"


# --- orthogonal -------------------------------------------------------------------------------
class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (times `gain`): its rows or columns are orthonormal.

    A shape (d1, ..., dk, n) is treated as the matrix (d1⋯dk, n) and reshaped back.
    Recipe: draw a normal matrix, take its QR decomposition, and flip the sign of each
    column of Q by the sign of R's diagonal, which makes Q uniformly distributed over
    orthogonal matrices. Fewer rows than columns: the rows come out orthonormal.
    (Saxe et al., 2014.)
    """

    def __init__(self, gain: float = 1.0, seed=None) -> None:
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = standardize_shape(shape, "Orthogonal")
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}. "
                "For a bias vector use 'zeros'."
            )
        out_dtype, _ = _float_dtypes(dtype, "Orthogonal")
        num_rows, num_cols = int(np.prod(shape[:-1])), shape[-1]
        tall = (max(num_rows, num_cols), min(num_rows, num_cols))
        a = self._generator().standard_normal(tall)  # float64: QR is more accurate there
        q, r = np.linalg.qr(a)  # q: (tall rows, short side) with orthonormal columns
        q = q * np.sign(np.diag(r))  # sign correction, one sign per column
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(out_dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}

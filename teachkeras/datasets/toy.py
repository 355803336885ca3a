"""Toy datasets drawn on the spot: small 2-D problems whose answer you can see.

Each function returns `(x, y)`: `x` float32 points, `y` int64 class labels (float32
targets for `noisy_sine`). All are vectorised and seeded: the default `seed=0` gives the
same points on every run, so notebook outputs never change; `seed=None` draws from
teachkeras's global generator (`keras.utils.set_random_seed`).

| function     | what a straight line can do     | what it teaches                        |
| ------------ | ------------------------------- | -------------------------------------- |
| `xor`        | nothing (chance)                | why hidden layers exist                |
| `circles`    | nothing (chance)                | a hidden layer bends the boundary      |
| `moons`      | most of it (~85-90%)            | the last few % need a curved boundary  |
| `spirals`    | nothing (chance)                | depth and width; slow, wiggly training |
| `noisy_sine` | regression: a line is a bad fit | fitting a curve, overfitting the noise |
| `reviews`    | (text) word counts get most     | padding, Embedding, masks; word order  |

Samples come interleaved or shuffled (never sorted by class), so that
`fit(..., validation_split=0.2)`, which takes the *last* 20%, sees every class.
"""

from __future__ import annotations

import numpy as np

from ..backend.random import make_generator

DEFAULT_SEED = 0


def _check(name: str, n_samples, noise, at_least: int = 1) -> None:
    if not isinstance(n_samples, (int, np.integer)) or n_samples < at_least:
        raise ValueError(
            f"{name}: n_samples must be an integer >= {at_least}. Received: n_samples={n_samples!r}"
        )
    if noise < 0:
        raise ValueError(
            f"{name}: noise is a standard deviation and must be >= 0. Received: noise={noise}"
        )


def _shuffled(x: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(x))
    return x[order], y[order]


def xor(n_samples: int = 200, noise: float = 0.15, seed: int | None = DEFAULT_SEED):
    """Points around the four corners of the XOR truth table; label = a XOR b.

    Formula: corner (a, b) ∈ {(0,0), (0,1), (1,0), (1,1)} in turn,
             x = (a, b) + noise·N(0, I),   y = a XOR b

    What a learner sees: two diagonal pairs of blobs. No single line puts (0,1) and
    (1,0) on one side and (0,0), (1,1) on the other, so `Dense(1, "sigmoid")` alone
    stays at 50%; one hidden layer (e.g. `Dense(4, "tanh")`) solves it.
    `xor(4, noise=0)` is exactly the truth table, in order.

    Returns:
        x float32 `(n_samples, 2)`, y int64 `(n_samples,)` of 0/1.
    """
    _check("xor", n_samples, noise)
    rng = make_generator(seed)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    ab = corners[np.arange(n_samples) % 4]  # (n, 2): the corners cycle, classes interleave
    x = ab + noise * rng.normal(size=(n_samples, 2))
    y = (ab[:, 0] != ab[:, 1]).astype(np.int64)
    return x.astype(np.float32), y


def circles(
    n_samples: int = 300,
    noise: float = 0.05,
    factor: float = 0.5,
    seed: int | None = DEFAULT_SEED,
):
    """A ring (class 0, radius 1) around a smaller ring (class 1, radius `factor`).

    Formula: θ evenly spaced in [0, 2π),  x = r (cos θ, sin θ) + noise·N(0, I),
             r = 1 for y = 0 and r = factor for y = 1

    What a learner sees: one class inside the other. A linear model cannot separate
    them; a hidden layer of a few relu units draws a polygon around the inner ring.

    Returns:
        x float32 `(n_samples, 2)`, y int64 `(n_samples,)` of 0/1, shuffled.
    """
    _check("circles", n_samples, noise, at_least=2)
    if not 0 < factor < 1:
        raise ValueError(
            f"circles: factor is the inner radius and must be in (0, 1). Received: factor={factor}"
        )
    rng = make_generator(seed)
    n_outer = n_samples // 2
    y = (np.arange(n_samples) >= n_outer).astype(np.int64)
    index_in_ring = np.where(y == 0, np.arange(n_samples), np.arange(n_samples) - n_outer)
    ring_size = np.where(y == 0, n_outer, n_samples - n_outer)
    theta = 2 * np.pi * index_in_ring / ring_size
    radius = np.where(y == 0, 1.0, factor)
    x = radius[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    x = x + noise * rng.normal(size=x.shape)
    return _shuffled(x.astype(np.float32), y, rng)


def moons(n_samples: int = 300, noise: float = 0.1, seed: int | None = DEFAULT_SEED):
    """Two interleaving half circles ("moons"), as scikit-learn's `make_moons` draws them.

    Formula: t evenly spaced in [0, π];  class 0: (cos t, sin t),
             class 1: (1 - cos t, 1/2 - sin t);  then + noise·N(0, I)

    What a learner sees: a line gets most points right but cuts the tips of both
    moons; a small hidden layer bends the boundary between them.

    Returns:
        x float32 `(n_samples, 2)`, y int64 `(n_samples,)` of 0/1, shuffled.
    """
    _check("moons", n_samples, noise, at_least=2)
    rng = make_generator(seed)
    n_upper = n_samples // 2
    y = (np.arange(n_samples) >= n_upper).astype(np.int64)
    index_in_moon = np.where(y == 0, np.arange(n_samples), np.arange(n_samples) - n_upper)
    moon_size = np.where(y == 0, n_upper, n_samples - n_upper)
    t = np.pi * index_in_moon / np.maximum(moon_size - 1, 1)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower)
    x = x + noise * rng.normal(size=x.shape)
    return _shuffled(x.astype(np.float32), y, rng)


def spirals(
    n_samples: int = 300,
    n_classes: int = 2,
    noise: float = 0.05,
    seed: int | None = DEFAULT_SEED,
    turns: float = 1.0,
):
    """`n_classes` spiral arms winding out of the centre, one arm per class.

    Formula: for a point at position s ∈ [0, 1) along arm k:
             r = s,  θ = 2π·k / n_classes + 2π·turns·s,
             x = r (cos θ, sin θ) + noise·N(0, I)

    What a learner sees: the arms interleave, so a linear model stays near chance
    (1 / n_classes); a network of two hidden relu layers learns the spiral, and more
    `turns` need more units and epochs (the CS231n and TensorFlow-playground classic).

    Returns:
        x float32 `(n_samples, 2)`, y int64 `(n_samples,)` in `0..n_classes-1`, shuffled.
    """
    if not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
        raise ValueError(f"spirals: n_classes must be an integer >= 2. Received: {n_classes!r}")
    _check("spirals", n_samples, noise, at_least=n_classes)
    rng = make_generator(seed)
    y = np.arange(n_samples) % n_classes  # classes interleave: equal counts (±1)
    per_arm = -(-n_samples // n_classes)  # ceil: points on the longest arm
    s = (np.arange(n_samples) // n_classes) / per_arm  # position along the arm, in [0, 1)
    theta = 2 * np.pi * y / n_classes + 2 * np.pi * turns * s
    x = s[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    x = x + noise * rng.normal(size=x.shape)
    return _shuffled(x.astype(np.float32), y.astype(np.int64), rng)


def noisy_sine(n_samples: int = 100, noise: float = 0.1, seed: int | None = DEFAULT_SEED):
    """A regression set: `y = sin(x) + noise`, with `x` drawn uniformly in [-π, π].

    Formula: x ~ U(-π, π),   y = sin(x) + noise·N(0, 1)

    What a learner sees: a line (no hidden layer) fits only the trend; a few tanh or
    relu units fit the wave; a big network trained long on few points (e.g.
    `n_samples=20, noise=0.3`) starts to follow the noise: overfitting. The points
    are not sorted: sort `x` (`order = x[:, 0].argsort()`) before drawing a curve.

    Returns:
        x float32 `(n_samples, 1)`, y float32 `(n_samples, 1)`.
    """
    _check("noisy_sine", n_samples, noise)
    rng = make_generator(seed)
    x = rng.uniform(-np.pi, np.pi, size=(n_samples, 1))
    y = np.sin(x) + noise * rng.normal(size=(n_samples, 1))
    return x.astype(np.float32), y.astype(np.float32)


# --- text ------------------------------------------------------------------------------------
# The words of `reviews`: what is reviewed, how it is said, and what is said of it.
_SUBJECTS = np.array(
    ["the movie", "this film", "the acting", "the story", "the ending", "the music", "the cast"]
)
_VERBS = np.array(["was", "is", "felt", "seemed"])
_INTENSIFIERS = np.array(["", "", "really ", "very ", "so ", "quite "])
_OPENINGS = np.array(["", "", "", "honestly, ", "i think ", "overall, ", "to be fair, "])
_POSITIVE = np.array(["great", "wonderful", "funny", "moving", "brilliant", "fun", "charming"])
_NEGATIVE = np.array(["boring", "awful", "dull", "terrible", "slow", "silly", "predictable"])


def reviews(n_samples: int = 400, seed: int | None = DEFAULT_SEED):
    """A GENERATED toy corpus of short movie "reviews" with a sentiment label (not real data).

    Generator: the label y (1 positive, 0 negative) is drawn first, then the review is made
    to say it, from the word lists in this file:

        clause    = subject verb [not] [intensifier] adjective
                    "the acting was not really great": the clause's sentiment is the
                    adjective's polarity, flipped by "not" (in 30% of the clauses)
        review    = opening clause                       (half of the reviews)
                  | opening clause "and" clause          (a quarter: both clauses say y)
                  | opening clause "but" clause          (a quarter: the first says the
                                                          opposite, the one after "but" says y)

    What a learner sees: texts of different lengths (4 to 16 words) to pad and mask;
    counting positive and negative words gets most reviews right, but "not" and "but"
    make word order matter (n-grams or a recurrent layer get the rest).

    Returns:
        x: an array of `n_samples` str (e.g. "Honestly, the movie was very fun."),
        y int64 `(n_samples,)` of 0/1, in about equal numbers.

    Example:
        >>> texts, labels = reviews(4)
    """
    _check("reviews", n_samples, 0.0)
    rng = make_generator(seed)
    y = rng.integers(0, 2, size=n_samples)
    kind = rng.choice(3, size=n_samples, p=[0.5, 0.25, 0.25])  # one clause, "and", "but"

    def pick(words: np.ndarray) -> np.ndarray:
        return words[rng.integers(0, len(words), size=n_samples)]

    def clause(sentiment: np.ndarray) -> np.ndarray:
        negated = rng.random(n_samples) < 0.3
        adjective = np.where((sentiment == 1) != negated, pick(_POSITIVE), pick(_NEGATIVE))
        words = pick(_SUBJECTS)
        for part in (" ", pick(_VERBS), " ", np.where(negated, "not ", ""), pick(_INTENSIFIERS)):
            words = np.char.add(words, part)
        return np.char.add(words, adjective)

    first = clause(np.where(kind == 2, 1 - y, y))  # before "but": the opposite
    second = clause(y)
    joint = np.where(kind == 1, " and ", " but ")
    text = np.char.add(pick(_OPENINGS), first)
    text = np.where(kind == 0, text, np.char.add(np.char.add(text, joint), second))
    text = np.char.add(np.char.capitalize(text), ".")
    return text.astype(str), y.astype(np.int64)


__all__ = ["circles", "moons", "noisy_sine", "reviews", "spirals", "xor"]
